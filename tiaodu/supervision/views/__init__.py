"""Pages of the supervision loop: the register (督办台账), items, the problem board, meetings,
accountability, the inbox and the time-limit settings. Reads through selectors, writes through services."""
