"""Full garbage collections wait for the person to pause (cleverwizard/ui/heap.py)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from cleverwizard.ui.heap import IDLE_SECONDS, NEVER, SWEEP_SECONDS, IdleCollector
from tests.ui.walk import SIZE, AppFactory, settle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    before = gc.get_threshold()
    yield Clock()
    gc.set_threshold(*before)
    gc.unfreeze()


def something_old() -> None:
    """A young collection, so the old generation has had something new since the last pass."""
    gc.collect(1)


def test_while_running_python_starts_no_full_pass_and_the_start_up_heap_is_frozen(clock: Clock) -> None:
    young, middle, _ = gc.get_threshold()
    heap = IdleCollector(clock)
    heap.start()
    assert gc.get_threshold() == (young, middle, NEVER)
    assert gc.get_freeze_count() > 0
    heap.stop()
    assert gc.get_threshold()[2] != NEVER
    assert gc.get_freeze_count() == 0


def test_a_pass_runs_only_after_a_pause_with_no_worker_running_and_once_per_pause(clock: Clock) -> None:
    heap = IdleCollector(clock)
    heap.start()
    something_old()
    assert not heap.collect_if_idle(busy=False), "no pause yet"
    clock.now += IDLE_SECONDS
    assert not heap.collect_if_idle(busy=True), "a worker is running"
    assert not heap.collect_if_idle(busy=False), "a worker just ended: its result is being shown"
    clock.now += IDLE_SECONDS
    assert heap.collect_if_idle(busy=False)
    something_old()
    clock.now += SWEEP_SECONDS / 2
    assert not heap.collect_if_idle(busy=False), "one pass per pause"
    heap.noticed_input()
    clock.now += IDLE_SECONDS
    assert heap.collect_if_idle(busy=False), "the next pause gets its own"
    heap.stop()


class Node:
    """One side of a reference cycle: freed only by a pass that walks it."""

    def __init__(self) -> None:
        self.other: Node | None = None


def test_a_long_pause_also_frees_cycles_that_were_frozen_and_then_let_go(clock: Clock) -> None:
    heap = IdleCollector(clock)
    heap.start()
    first, second = Node(), Node()
    first.other, second.other = second, first
    gone = weakref.ref(first)
    heap.freeze()  # as after a pass at Notifications
    del first, second  # later replaced, as a footer's keys are
    something_old()
    clock.now += IDLE_SECONDS
    assert heap.collect_if_idle(busy=False)
    assert gone() is not None, "a frozen cycle is out of the ordinary passes"
    clock.now += SWEEP_SECONDS
    assert heap.collect_if_idle(busy=False), "a long pause gets a pass over everything"
    assert gone() is None
    clock.now += 600
    assert not heap.collect_if_idle(busy=False), "once per pause"
    heap.stop()


def test_no_pass_when_nothing_reached_the_old_generation(clock: Clock) -> None:
    heap = IdleCollector(clock)
    heap.start()
    gc.collect()  # counts back to zero, as after a pass
    clock.now += IDLE_SECONDS
    assert gc.get_count()[2] == 0
    assert not heap.collect_if_idle(busy=False)
    heap.stop()


async def test_the_wizard_keeps_full_passes_for_pauses_and_notices_keys(make_app: AppFactory, clock: Clock) -> None:
    app = make_app()
    app.heap = IdleCollector(clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert gc.get_threshold()[2] == NEVER
        clock.now += IDLE_SECONDS + 1
        await pilot.press("down")
        assert app.heap.idle_for() == 0, "a key counts as work"
    assert gc.get_threshold()[2] != NEVER, "an ended wizard gives Python its own settings back"


async def test_a_pass_at_notifications_freezes_what_survived_it_but_not_over_a_step_or_a_toast(
    make_app: AppFactory, clock: Clock
) -> None:
    """What survives a pass with only Notifications open lives as long as the wizard: frozen, the
    next pass walks only what came since. A step or a toast still open will go, and a frozen
    screen that goes is never collected: no freeze then."""
    app = make_app()
    app.heap = IdleCollector(clock)

    def frozen(thing: object) -> bool:
        return not any(tracked is thing for tracked in gc.get_objects())

    def pause() -> None:
        app.heap.noticed_input()
        clock.now += IDLE_SECONDS + 1  # a pause, shorter than one that sweeps
        something_old()

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        app.open_step("history")
        await settle(app, pilot)
        step = app.screen
        pause()
        app.collect_if_idle()
        assert not frozen(step), "a pass over an open step froze it"
        del step
        await pilot.press("escape")
        await settle(app, pilot)
        app.notify("Saved")
        await settle(app, pilot)
        assert app.screen.query("Toast"), "no toast to test with"
        toast = [app]  # a container made now, alive as long as the app
        pause()
        app.collect_if_idle()
        assert not frozen(toast), "a pass with a toast showing froze it"
        app.clear_notifications()
        await settle(app, pilot)
        pause()
        app.collect_if_idle()
        assert frozen(toast), "what survived a pass at Notifications is walked again by the next"
