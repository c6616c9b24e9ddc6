"""Data given to a Textual worker, taken out when the work starts; a thread worker that lets go.

Textual keeps every worker in a reference cycle: the worker holds its task, and the task's
context names the worker as ``active_worker``. So a worker that has ended is freed only by a
full garbage collection, and with it whatever its arguments or its closure still hold: a
20,000-student plan, a school's accounts. That collection walks all of it while the loop
waits (``ui/heap.py``). Given in a ``Handoff`` that the worker empties, the data is freed as
soon as the work and the screen let go of it, and the cycle keeps only an empty box.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Generic, ParamSpec, TypeVar, cast

from textual.worker import Worker, active_worker

T = TypeVar("T")


class Handoff(Generic[T]):
    """One value, for one worker to take once."""

    __slots__ = ("_value", "_taken")

    def __init__(self, value: T) -> None:
        self._value: T | None = value
        self._taken = False

    def take(self) -> T:
        """The value; the box lets go of it. Taking twice is a bug in the caller."""
        if self._taken:
            raise RuntimeError("this handoff was already taken")
        value, self._value, self._taken = self._value, None, True
        return value  # type: ignore[return-value]  # T itself may admit None


P = ParamSpec("P")
R = TypeVar("R")


def lets_go(body: Callable[P, R]) -> Callable[P, R]:
    """A thread worker's body (under ``@work(thread=True)``) that lets go of its worker at the end.

    Textual starts a thread worker by setting ``active_worker`` in the pool thread's own
    context and never unsets it, so the idle pool thread keeps the worker, its screen and
    everything the screen shows (a 20,000-student preview) alive after the screen is
    dismissed, and every full garbage collection walks all of it again (a third of a
    second each). Setting it back when the body ends lets a dismissed screen be freed.
    """

    @wraps(body)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return body(*args, **kwargs)
        finally:
            active_worker.set(cast("Worker[Any]", None))

    return run
