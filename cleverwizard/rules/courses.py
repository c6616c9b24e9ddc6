"""Suggesting which of the platform's courses each Clever section is.

The platform keeps its own course catalogue; Clever's courses are often rebuilt from
section data, with new ids and other spellings ("Algebra 1" here, "Algebra I" there). So,
as with teachers, only exact identifiers are confident: a choice saved earlier, the same
course name once folded, the same course number, or the course already chosen for another
section of the same Clever course. Names, subject and grade only rank suggestions; the
wizard pre-selects the best one when it is clear and the administrator decides.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from rapidfuzz import fuzz, process

from cleverwizard.clever.models import Course as CleverCourse
from cleverwizard.clever.models import Section as CleverSection
from cleverwizard.rules.grades import grade_label
from cleverwizard.rules.names import fold
from cleverwizard.rules.teachers import MAX_CANDIDATES, best_suggestion, unique_values
from cleverwizard.store.models import Course, CourseMethod, Section

CourseReason = Literal["saved choice", "same name", "same number", "same Clever course", "similar name"]

REASON_METHOD: dict[CourseReason, CourseMethod] = {
    "saved choice": "chosen",
    "same name": "same name",
    "same number": "same number",
    "same Clever course": "same Clever course",
    "similar name": "chosen",
}
"""How a section's course is recorded when a suggestion of this kind is taken."""

SHOW_FROM = 60
"""Likeness from which a course is listed as a candidate at all."""
SECTION_NAME_DISCOUNT = 10
"""A section's own name ("Math 7 - P3") is weaker evidence than its course's name."""
OTHER_NUMBER_PENALTY = 30
"""Both names carry grade or level numbers and none agree: Math 7 is not Math 8."""
MAX_BONUS = 10
"""The most subject and grade can add, so a name scoring below ``SHOW_FROM - MAX_BONUS`` is never shown."""

_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bphysical education\b|\bp e\b", "pe"),
        (r"\benglish language arts\b|\blanguage arts\b|\bela\b", "english"),
        (r"\bmathematics\b|\bmaths\b", "math"),
        (r"\bpre ?k(indergarten)?\b", "prek"),
        (r"\bkinder\b|\bgrade k\b", "kindergarten"),
        (r"&", " and "),
    )
)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$")


@lru_cache(maxsize=8192)
def course_key(name: str | None) -> str:
    """A course name as matching compares it: folded, numerals and common words unified.

    "Algebra I" and "Algebra 1" give "algebra 1"; "2nd Grade Homeroom" gives "2 grade
    homeroom"; "Mathematics" gives "math"; "PE & Health" gives "pe and health".
    """
    text = fold(name or "")
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    words = []
    for word in text.split():
        ordinal = _ORDINAL.match(word)
        words.append(ordinal.group(1) if ordinal else _ROMAN.get(word, word))
    return " ".join(words)


def _numbers(key: str) -> set[str]:
    return {word for word in key.split() if word.isdigit()}


@dataclass(frozen=True)
class CourseCandidate:
    course_id: int
    score: int
    reason: CourseReason

    @property
    def confident(self) -> bool:
        return self.reason != "similar name"


@dataclass
class SectionMatchRow:
    """One Clever section, the platform courses it might be, and our suggestion."""

    section: CleverSection
    clever_course: CleverCourse | None = None
    candidates: list[CourseCandidate] = field(default_factory=list)
    suggested: int | None = None
    """The platform course pre-selected; ``None`` means "This course is not in the list"."""
    decided: bool = False
    """True when a saved choice (not our guess) made the suggestion."""

    @property
    def suggestion(self) -> CourseCandidate | None:
        return next((c for c in self.candidates if c.course_id == self.suggested), None)

    @property
    def clever_course_name(self) -> str | None:
        return self.clever_course.name if self.clever_course else None


def course_label(course: Course) -> str:
    """How a dropdown lists a platform course: name, then subject and grades if known."""
    parts = [course.name]
    if course.subject:
        parts.append(course.subject)
    if course.grades:
        parts.append(", ".join(grade_label(grade) for grade in course.grades))
    if course.number:
        parts.append(course.number)
    return " · ".join(parts)


def saved_course_choices(sections: Iterable[Section]) -> dict[str, int | None]:
    """Clever section id -> the platform course decided for it (``None``: not in the list)."""
    return {
        section.clever_id: section.course_id
        for section in sections
        if section.clever_id and section.course_method is not None
    }


def course_score(course: Course, section: CleverSection, clever_course: CleverCourse | None) -> int:
    """0-100 likeness of a platform course and a Clever section, by name, subject and grade."""
    ours = course_key(course.name)
    theirs = course_key(clever_course.name) if clever_course and clever_course.name else ""
    named = course_key(section.name)
    if not ours or not (theirs or named):
        return 0
    named_score = max(
        fuzz.token_sort_ratio(ours, theirs) if theirs else 0,
        fuzz.token_set_ratio(ours, named) - SECTION_NAME_DISCOUNT if named else 0,
    )
    return _adjusted(named_score, course, _numbers(ours), section, _numbers(theirs) or _numbers(named))


def _adjusted(
    named_score: float, course: Course, our_numbers: set[str], section: CleverSection, their_numbers: set[str]
) -> int:
    """The name likeness corrected by grade numbers in the names, subject and grade."""
    score = named_score
    if our_numbers and their_numbers and not our_numbers & their_numbers:
        score -= OTHER_NUMBER_PENALTY
    if course.subject and section.subject:
        score += 5 if fold(course.subject) == fold(section.subject) else -15
    if course.grades and section.grade:
        score += 5 if section.grade in course.grades else -20
    return max(0, min(100, int(score)))


class _NameScores:
    """Name likeness of the whole catalogue to one text, computed once per distinct text.

    Many sections share a course name, and rapidfuzz's ``process.extract`` compares one text
    with every course in C++, so a school of 1,000 sections and a catalogue of 200 courses
    plans in a fraction of a second rather than seconds.
    """

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.numbers = [_numbers(key) for key in keys]
        self._courses: dict[str, dict[int, float]] = {}
        self._sections: dict[str, dict[int, float]] = {}

    def of_course(self, text: str) -> dict[int, float]:
        if text not in self._courses:
            self._courses[text] = self._extract(text, fuzz.token_sort_ratio, 0)
        return self._courses[text]

    def of_section(self, text: str) -> dict[int, float]:
        if text not in self._sections:
            self._sections[text] = self._extract(text, fuzz.token_set_ratio, SECTION_NAME_DISCOUNT)
        return self._sections[text]

    def _extract(self, text: str, scorer: Any, discount: int) -> dict[int, float]:
        if not text:
            return {}
        found = process.extract(
            text, self.keys, scorer=scorer, limit=None, score_cutoff=SHOW_FROM - MAX_BONUS + discount
        )
        return {index: score - discount for _, score, index in found if self.keys[index]}


def suggest_course_matches(
    platform_courses: Sequence[Course],
    clever_sections: Sequence[CleverSection],
    clever_courses: Sequence[CleverCourse],
    decisions: Mapping[str, int | None],
    *,
    only: Collection[str] | None = None,
) -> list[SectionMatchRow]:
    """A row per Clever section, in Clever's order, candidates best first.

    ``decisions`` are saved choices by Clever section id (see ``saved_course_choices``); a
    choice of a course no longer in the catalogue is ignored, so it is asked again.
    ``only`` limits the rows to these Clever section ids (the others still count as
    sections of the same Clever course), so a sync scores only undecided sections.
    """
    catalogue = {course.id: course for course in platform_courses}
    theirs = {course.id: course for course in clever_courses}
    keys = {course.id: course_key(course.name) for course in platform_courses}
    unique_keys = unique_values(keys.values())
    by_key = {key: course_id for course_id, key in keys.items() if key in unique_keys}
    numbers = {course.id: fold(course.number) for course in platform_courses if course.number}
    unique_numbers = unique_values(numbers.values())
    by_number = {number: course_id for course_id, number in numbers.items() if number in unique_numbers}
    valid = {sid: cid for sid, cid in decisions.items() if cid is None or cid in catalogue}
    siblings: dict[str, set[int]] = defaultdict(set)
    for section in clever_sections:
        chosen = valid.get(section.id)
        if section.course and chosen is not None:
            siblings[section.course].add(chosen)

    names = _NameScores([keys[course.id] for course in platform_courses])
    rows = []
    for section in clever_sections:
        if only is not None and section.id not in only:
            continue
        clever_course = theirs.get(section.course or "")
        row = SectionMatchRow(section=section, clever_course=clever_course)
        exact: list[CourseCandidate] = []
        if section.id in valid:
            row.decided = True
            row.suggested = valid[section.id]
            if row.suggested is not None:
                exact.append(CourseCandidate(row.suggested, 100, "saved choice"))
        shared = siblings.get(section.course or "", set())
        if len(shared) == 1:
            exact.append(CourseCandidate(next(iter(shared)), 100, "same Clever course"))
        name = clever_course.name if clever_course and clever_course.name else section.name
        if (key := course_key(name)) in by_key:
            exact.append(CourseCandidate(by_key[key], 100, "same name"))
        number = fold(clever_course.number) if clever_course and clever_course.number else ""
        if number in by_number:
            exact.append(CourseCandidate(by_number[number], 100, "same number"))
        ranked = sorted(
            _similar(names, platform_courses, section, clever_course),
            key=lambda c: (-c.score, catalogue[c.course_id].name.casefold()),
        )
        seen: set[int] = set()
        for candidate in [*exact, *ranked]:
            if candidate.course_id not in seen:
                seen.add(candidate.course_id)
                row.candidates.append(candidate)
        row.candidates = row.candidates[:MAX_CANDIDATES]
        if not row.decided:
            pick = best_suggestion(row.candidates)
            row.suggested = pick.course_id if pick else None
        rows.append(row)
    return rows


def _similar(
    names: _NameScores, platform_courses: Sequence[Course], section: CleverSection, clever_course: CleverCourse | None
) -> list[CourseCandidate]:
    """Catalogue courses scoring ``SHOW_FROM`` or more; the same scores as ``course_score``."""
    theirs = course_key(clever_course.name) if clever_course and clever_course.name else ""
    named = course_key(section.name)
    best = dict(names.of_course(theirs))
    for index, score in names.of_section(named).items():
        best[index] = max(best.get(index, 0), score)
    their_numbers = _numbers(theirs) or _numbers(named)
    found = []
    for index, named_score in best.items():
        course = platform_courses[index]
        score = _adjusted(named_score, course, names.numbers[index], section, their_numbers)
        if score >= SHOW_FROM:
            found.append(CourseCandidate(course.id, score, "similar name"))
    return found
