"""Pausing Python's cyclic garbage collector around bulk computations. Pure: no Django."""

import functools
import gc


def without_gc(fn):
    """Pause the cyclic garbage collector during fn. For functions that build hundreds of thousands of
    objects holding no reference cycles (the CPM passes, investment_status): the collections those
    allocations trigger cost a quarter to a third of the time and free nothing."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper
