"""The setup steps, once: their order, names, and which must be done before which.

The checklist (``service/status.py``, so ``cleverwizard status`` and Notifications), the
CLI's out-of-order refusals and the wizard's step table all read this registry, so a step
added or reordered here is added or reordered everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cleverwizard.store.models import Meta, Site

StepKey = Literal["district", "school", "teachers", "students", "sections"]


@dataclass(frozen=True)
class Step:
    """One setup step as an administrator meets it."""

    key: StepKey
    number: int
    """Its place in the checklist, and the key that opens it on Notifications."""
    title: str
    """The checklist's heading for it."""
    name: str
    """Its screen's title, and its name in the command palette."""
    label: str
    """Its short name: the footer's label for the number key."""
    start: str
    """The action that begins it ("Connect your District"); also what later steps need."""
    about: str
    """What the step does, in one line (the command palette's help)."""
    needs: tuple[StepKey, ...] = ()
    """Steps that must be done first."""
    needs_text: str | None = None
    """How the checklist says what is missing when ``needs`` is not met."""


STEPS: tuple[Step, ...] = (
    Step(
        "district",
        1,
        "Clever district",
        "Connect your District",
        "District",
        "Connect your District",
        "Check a Clever district id and connect to it",
    ),
    Step(
        "school",
        2,
        "School",
        "Select your School",
        "School",
        "Select your School",
        "Choose the Clever school this site belongs to",
        needs=("district",),
        needs_text="Connect your District",
    ),
    Step(
        "teachers",
        3,
        "Teachers",
        "Teachers",
        "Teachers",
        "Go to Teachers",
        "Import teachers from Clever and choose their matches",
        needs=("school",),
        needs_text="Select your School",
    ),
    Step(
        "students",
        4,
        "Students",
        "Students",
        "Students",
        "Go to Students",
        "Import students from Clever, grouped by grade",
        needs=("school",),
        needs_text="Select your School",
    ),
    Step(
        "sections",
        5,
        "Sections",
        "Sections",
        "Sections",
        "Go to Sections",
        "Import sections from Clever and choose their platform courses",
        needs=("teachers", "students"),
        needs_text="Import Teachers and Students",
    ),
)
"""In checklist order: sections come after teachers and students, so classes can be filled."""

STEP_KEYS: tuple[StepKey, ...] = tuple(step.key for step in STEPS)


def step(key: StepKey) -> Step:
    return next(s for s in STEPS if s.key == key)


def finished(key: StepKey, site: Site | None, meta: Meta) -> bool:
    """Whether ``key`` has been done on this site (what a later step waits for)."""
    if key == "district":
        return site is not None
    if key == "school":
        return bool(site and site.school_id)
    stamps = {
        "teachers": meta.teachers_imported_at,
        "students": meta.students_imported_at,
        "sections": meta.sections_imported_at,
    }
    return stamps[key] is not None


def missing(key: StepKey, site: Site | None, meta: Meta) -> str | None:
    """What must be done before ``key`` (the checklist's words), or ``None`` when it can start."""
    wanted = step(key)
    if all(finished(need, site, meta) for need in wanted.needs):
        return None
    return wanted.needs_text
