"""The garbage-collector pause: collection resumes afterwards, cycles made meanwhile are collected by the
ordinary young collections (not kept until a full one), objects frozen by someone else stay frozen."""

import gc
import weakref

from tiaodu.core.gcpause import gc_paused, without_gc


class _Node:
    pass


def test_collection_resumes_and_cycles_made_meanwhile_are_collected():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested: only the outermost resumes
            pass
        assert not gc.isenabled()
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        alive = weakref.ref(a)
        del a, b
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    # no gc.collect(): allocating container objects triggers the young collections a worker sees between
    # requests, and those must free the cycle
    kept = [_Node() for _ in range(50_000)]
    assert alive() is None
    del kept


def test_objects_frozen_before_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 1000
        without_gc(lambda: [_Node() for _ in range(1000)])()
        assert gc.isenabled()
        # not unfrozen (that would leave 0); a few frozen objects may have been freed meanwhile
        assert gc.get_freeze_count() > frozen - 100
    finally:
        gc.unfreeze()


def test_an_exception_still_resumes_collection():
    @without_gc
    def fails():
        raise ValueError("x")

    try:
        fails()
    except ValueError:
        pass
    assert gc.isenabled()
