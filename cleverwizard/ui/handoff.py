"""Data given to a Textual worker, taken out when the work starts.

Textual keeps every worker in a reference cycle: the worker holds its task, and the task's
context names the worker as ``active_worker``. So a worker that has ended is freed only by a
full garbage collection, and with it whatever its arguments or its closure still hold: a
20,000-student plan, a school's accounts. That collection walks all of it while the loop
waits (``ui/heap.py``). Given in a ``Handoff`` that the worker empties, the data is freed as
soon as the work and the screen let go of it, and the cycle keeps only an empty box.
"""

from __future__ import annotations

from typing import Generic, TypeVar

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
