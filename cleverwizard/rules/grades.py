"""Grade levels in school order, for grouping students the way a school lists them.

Clever sends grades as strings ("Kindergarten", "1" .. "13", "Ungraded", "" or null).
Screens group "" and null together as "No grade" but the store keeps them apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

from cleverwizard.clever.models import GRADES

T = TypeVar("T")
K = TypeVar("K", bound="SupportsRichComparison")
"""A sort key: the people of a grade are listed by ``rules.order`` keys in the wizard."""

NO_GRADE = "No grade"
_ORDER: dict[str, int] = {grade: index for index, grade in enumerate(GRADES) if grade}
_LABELS: dict[str, str] = {
    "InfantToddler": "Infant/Toddler",
    "Preschool": "Preschool",
    "PreKindergarten": "PreKindergarten",
    "TransitionalKindergarten": "Transitional Kindergarten",
    "Kindergarten": "Kindergarten",
    "PostGraduate": "PostGraduate",
    "Ungraded": "Ungraded",
    "Other": "Other",
}


def grade_label(grade: str | None) -> str:
    """ "Grade 3" for "3", the spec's name for the rest, "No grade" for "" and null."""
    if not grade:
        return NO_GRADE
    if grade.isdigit():
        return f"Grade {grade}"
    return _LABELS.get(grade, grade)


def grade_rank(grade: str | None) -> int:
    """Position in school order; unknown values after Other, no grade last."""
    if not grade:
        return len(GRADES) + 1
    return _ORDER.get(grade, len(GRADES))


def group_by_grade(
    people: Iterable[T],
    grade_of: Callable[[T], str | None],
    sort_key: Callable[[T], K] | None = None,
) -> list[tuple[str, list[T]]]:
    """(label, people) per grade in school order, people sorted within each grade by
    ``sort_key`` (``None``: as given, for a count that never lists them)."""
    groups: dict[str, list[T]] = {}
    ranks: dict[str, int] = {}
    for person in people:
        grade = grade_of(person)
        label = grade_label(grade)
        groups.setdefault(label, []).append(person)
        ranks[label] = min(ranks.get(label, 10**6), grade_rank(grade))
    ordered = sorted(groups, key=lambda label: (ranks[label], label))
    if sort_key is None:
        return [(label, groups[label]) for label in ordered]
    return [(label, sorted(groups[label], key=sort_key)) for label in ordered]


def outside_span(grade: str | None, span: str | None) -> bool:
    """Whether a student's grade falls outside the school's span ("Kindergarten–5").

    Only real grade levels are judged: no grade, Ungraded, Other and PostGraduate never are,
    and neither is anything when the school gives no span.
    """
    if not grade or not span or grade in ("Ungraded", "Other", "PostGraduate") or grade not in _ORDER:
        return False
    low, _, high = span.partition("–")
    high = high or low
    if low not in _ORDER or high not in _ORDER:
        return False
    return not _ORDER[low] <= _ORDER[grade] <= _ORDER[high]


def span_text(span: str) -> str:
    """ "Kindergarten–Grade 5" from Clever's "Kindergarten–5"."""
    low, _, high = span.partition("–")
    return f"{grade_label(low)}–{grade_label(high)}" if high else grade_label(low)
