"""Pausing Python's cyclic garbage collector around bulk computations. Pure: no Django."""

import contextlib
import functools
import gc


@contextlib.contextmanager
def gc_paused():
    """Pause the cyclic garbage collector for the block. For code that builds hundreds of thousands of
    objects holding no reference cycles (the CPM passes, investment_status, the overview): the collections
    those allocations trigger cost a quarter to a third of the time and free nothing.

    Collection simply resumes afterwards (the next young collection walks what the block kept and frees
    any cycles it left, e.g. an openpyxl workbook or a WeasyPrint layout). Moving the block's objects
    straight to the oldest generation (gc.freeze/unfreeze) was tried and dropped: it saved 0.1 s after the
    overview but kept such garbage cycles until a full collection, hundreds of MB per briefing in a
    long-lived worker. Nested pauses resume only at the outermost."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def without_gc(fn):
    """fn with the cyclic garbage collector paused (gc_paused)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with gc_paused():
            return fn(*args, **kwargs)

    return wrapper
