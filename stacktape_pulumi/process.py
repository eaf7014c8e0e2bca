"""How a one-shot process (the `stacktape-pulumi` command) runs its work: collector tuned, no collection at exit.

A process that exits as soon as its work is done has no use for the cyclic garbage collector's
passes over objects that live until the end, nor for collecting garbage that exit frees anyway:

* Before the work, the collector is set to `BULK_GC_THRESHOLDS`: imports, the loader and a preview
  make objects by the hundred thousand and free few, so the default passes only walk live objects
  again (~0.015 s of `validate` of 100 workloads, a third of a 200-workload preview).
* After the work, the heap is frozen: the interpreter's shutdown runs the cyclic collector over
  everything still alive (after a preview, the SDK, the pulumi_aws classes, the config models and
  the recording: ~0.3-0.5 s of a 20-workload preview), and frozen objects are skipped. Their memory
  goes back with the process. Shutdown still runs as usual otherwise (atexit handlers, flushing,
  joining threads).
* While the work runs, `exits_when_done()` is true: the offline engine then leaves a preview's
  garbage to the exit instead of collecting it when the run ends (`engine.offline`), which a
  longer-lived host (tests, a program running many previews) needs and a one-shot process does not.

Only `run_once` does this; `cli.main` called from a longer-lived program keeps its collector.
"""

import gc
from collections.abc import Callable

# The collector's thresholds for work that allocates objects by the hundred thousand and frees few (a
# one-shot process; the offline engine's runs): young objects every 100,000 net allocations instead of 700,
# the middle generation after 1,000 such passes instead of 10, so in practice never during a run. A
# preview's objects (resources, Outputs, futures, protobuf messages) mostly live to its end: each young
# pass only moves them on, a larger one lets more of the short-lived die by reference count first, and
# each middle pass walked every survivor again. Measured on a 200-workload preview (2 cores): the
# collector's passes 1.2-1.6 s with (10,000, 50, 100) -> 0.25-0.3 s; peak RSS 331 -> 339 MB (cyclic
# garbage waits for the end-of-run collection, `engine.offline`).
BULK_GC_THRESHOLDS = (100_000, 1_000, 1_000)

_ONE_SHOT = [False]


def run_once(work: Callable[[], int]) -> int:
    """Run `work` (returning an exit code) as the whole of this process, which exits right after."""
    gc.set_threshold(*BULK_GC_THRESHOLDS)
    _ONE_SHOT[0] = True
    try:
        return work()
    finally:
        _ONE_SHOT[0] = False
        gc.freeze()


def exits_when_done() -> bool:
    """Whether the running work is a one-shot process's, whose garbage the exit frees (see `run_once`)."""
    return _ONE_SHOT[0]
