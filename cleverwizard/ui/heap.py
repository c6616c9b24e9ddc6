"""When the wizard lets Python's garbage collector walk the whole heap: only while idle.

A full pass of the collector walks every tracked object the wizard keeps: Textual's
widgets and their render caches, the roster, an open list's 20,000 students. It holds the
interpreter lock throughout, so the event loop stops for as long: 150-350 ms each on a
2-core machine (``bench/bench_ui_lag.py``, its ``gc`` columns), whenever the allocation
counts happened to trigger one, in the middle of a keystroke or a redraw.

So while the wizard runs:

- what is alive at start-up is frozen out of every pass (it lives as long as the wizard),
  and so is what survives a pass made at Notifications with nothing else open (its drawn
  lines, the roster re-read after an import): the next pass walks only what came since;
- the young generations are collected as usual (cheap: they walk only new objects), but
  Python never starts a full pass by itself;
- a full pass runs when the wizard is idle: no key or click and no worker running for
  ``IDLE_SECONDS`` (a fetch that ends shows its preview: the person is about to read and
  choose, not pausing), and something has reached the old generation since the last pass; once
  per pause (a wizard left open all day does not keep walking its heap). What
  it frees (a dismissed step's screen, whose widgets refer to each other) waits at most
  until the person next pauses. A closed step lets go of its data itself
  (``WizardScreen.release``, ``ui/handoff.py``), so a pass walks only its widgets.

A frozen object is still freed when nothing refers to it, but one that later becomes part
of garbage that refers to itself (a footer's keys Notifications replaced, a cache Textual
cleared) is never collected while frozen. So once per long pause (``SWEEP_SECONDS``
without a key, after something was frozen) a pass walks everything, frozen included.

A key pressed during an idle pass waits for it (at most one pass). Everything is given
back to Python's own settings when the wizard ends.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_SECONDS = 2.0
"""How long after the last key or click the wizard counts as idle."""
SWEEP_SECONDS = 60.0
"""How long a pause must be before a pass also walks what was frozen since start-up."""
NEVER = 2**31 - 1
"""A third-generation threshold no count reaches: Python starts no full pass by itself."""


class IdleCollector:
    """Freezes the start-up heap and keeps full collections for idle moments."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input = clock()
        self._passed = False
        self._swept = False
        self._frozen_since_sweep = False
        self._thresholds: tuple[int, int, int] | None = None

    @property
    def running(self) -> bool:
        return self._thresholds is not None

    def start(self) -> None:
        """Freeze what is alive (the roster just read, Textual, the first screen) and stop
        Python from starting full passes. Called once, where next to nothing alive is garbage."""
        if self._thresholds is not None:
            return
        self.freeze()
        self._thresholds = gc.get_threshold()
        young, middle, _old = self._thresholds
        gc.set_threshold(young, middle, NEVER)

    def freeze(self) -> None:
        """Exempt everything alive now from every pass. Frozen objects are still freed when
        nothing refers to them (a roster re-read replaces the old one); only call this where
        nothing alive is garbage-to-be, never over a screen that will be dismissed."""
        gc.freeze()
        self._frozen_since_sweep = True

    def stop(self) -> None:
        """Give the heap and the thresholds back (a process that runs more than one wizard,
        as the tests do, frees each one's heap)."""
        if self._thresholds is None:
            return
        gc.set_threshold(*self._thresholds)
        self._thresholds = None
        gc.unfreeze()

    def noticed_input(self) -> None:
        """A key or a click: the person is working, a pass would be in their way."""
        self._last_input = self._clock()
        self._passed = self._swept = False

    def idle_for(self) -> float:
        return self._clock() - self._last_input

    def collect_if_idle(self, *, busy: bool) -> bool:
        """Run a full pass if the wizard is idle and one could free anything; say if it ran.

        A running worker counts as work in progress: the pause starts when it has ended. A
        pause that lasts ``SWEEP_SECONDS`` gets a second pass that unfreezes everything first
        (the caller may freeze again after it, as after any pass)."""
        if busy:
            self.noticed_input()
            return False
        if not self.running:
            return False
        if self._passed and not self._swept and self._frozen_since_sweep and self.idle_for() >= SWEEP_SECONDS:
            gc.unfreeze()
            gc.collect()
            self._swept, self._frozen_since_sweep = True, False
            return True
        if self._passed or self.idle_for() < IDLE_SECONDS:
            return False
        if gc.get_count()[2] == 0:
            return False  # no young collection since the last full pass: nothing new is old
        gc.collect()
        self._passed = True
        return True
