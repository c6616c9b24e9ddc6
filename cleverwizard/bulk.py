"""Building many objects at once without paying the garbage collector for each batch.

A 20,000-student import creates a few hundred thousand small objects (parsed JSON, one
pydantic model per record and sub-record, plan entries, stored documents). CPython's
cyclic garbage collector starts a pass every few hundred new container objects and, as
the heap grows, repeatedly walks every object already alive: measured on a 20,000-student
import this tripled the time to parse and validate a page and dominated saving. None of
these objects form reference cycles, so reference counting frees them anyway; the
collector is pure overhead while they are built.

``paused_gc`` switches the collector off for one synchronous stretch of bulk work and
back on afterwards. It is a standard-library-only leaf module, so every layer may use it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector for the body, then restore it.

    Use it around synchronous work only (never across an ``await`` or a ``yield`` that
    hands control to other code), so nothing else runs with the collector off. Nesting is
    free: an inner pause sees the collector already off and leaves it to the outer one.
    The collector is switched back on only if this pause switched it off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if not (_ONE_SHOT and _KEPT):
            gc.enable()


_KEPT: list[object] = []
_ONE_SHOT = False


def one_shot_process() -> None:
    """Say that this process runs one command and then ends (``cleverwizard.cli.main.main``).

    In such a process, once a batch job keeps its results until exit (``keep_until_exit``),
    the collector stays off to the end: switched back on, its first pass would walk every
    object the job built while it was paused (0.1 s at 20,000 students) only to find them
    all alive. Tests that run commands in their own process never call this.
    """
    global _ONE_SHOT
    _ONE_SHOT = True


def keep_until_exit(*objects: object) -> None:
    """Hold a batch job's results (fetched records, plans) until the process ends.

    Freeing a few hundred thousand objects one by one takes a quarter of a second at 20,000
    students, for memory the operating system takes back at once when the process exits.
    A command that calls this asks ``exit_skipping_teardown`` to end the process once
    everything is saved, flushed and closed; code that is not a one-shot command must not.
    In a ``one_shot_process`` the garbage collector is not switched back on after it either.
    """
    _KEPT.append(objects)


def exit_skipping_teardown_requested() -> bool:
    """Whether a batch command asked to end the process without freeing its objects."""
    return bool(_KEPT)
