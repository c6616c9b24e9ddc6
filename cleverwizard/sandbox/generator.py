"""Builds a ``SandboxDistrict`` from a seed, quirks included.

Everything comes from one ``random.Random(seed)`` consumed in a fixed order, so a seed always
gives the same district byte for byte. The quirks real districts have are placed on purpose,
at fixed slots, so tests can count them and the demo always shows them:

Per school, when it has at least 11 teachers: teacher 0 also teaches at the next school (in
``schools``, and co-teaches a section there); 1 has an accented last name, 2 a hyphenated one,
3 and 10 a first name with a common nickname (Robert → Bob), 4 an apostrophe (O'Brien);
5 and 6 share one email; 7's email has no ``@``; 8 has no email; 9 is also staff.

Per school, when it has at least 24 students, one student each: accented first and last
name, hyphenated last, hyphenated first, apostrophe last, a null last (even schools) or
null first (odd schools) name, an email without ``@``, a sibling pair sharing a parent's
email, grade ``"Ungraded"``, grade ``""``, grade null, grade ``"13"`` (high schools only, or
the last school when there is no high school), and a student of the next school who also
lists this one in ``schools`` and sits in one of its sections. On top of those, young
students often have no email (70% up to grade 2, 20% in 3–5, 3% above) and most people
have no middle name.

A district-wide ``district_admin`` and two staff per school hold no teacher role.
"""

from __future__ import annotations

import hashlib
import random
from functools import lru_cache

from cleverwizard.sandbox.district import GENERATION_START, Record, SandboxDistrict, iso
from cleverwizard.sandbox.names import (
    ACCENTED_FIRST_NAMES,
    ACCENTED_LAST_NAMES,
    APOSTROPHE_LAST_NAMES,
    DISTRICT_SUFFIXES,
    FIRST_NAMES,
    HYPHENATED_FIRST_NAMES,
    HYPHENATED_LAST_NAMES,
    LAST_NAMES,
    MIDDLE_NAMES,
    NICKNAMES,
    PERSONAL_DOMAINS,
    PLACES,
    SCHOOL_NAMESAKES,
    STAFF_TITLES,
    TEACHER_TITLES,
    ascii_slug,
    username,
)

_iso = lru_cache(maxsize=256)(iso)
LEVELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Elementary School", ("PreKindergarten", "Kindergarten", "1", "2", "3", "4", "5")),
    ("Middle School", ("6", "7", "8")),
    ("High School", ("9", "10", "11", "12")),
)
GRADE_NUMBER = {"PreKindergarten": -1, "Kindergarten": 0, **{str(g): g for g in range(1, 13)}}
GRADE_LABEL = {
    "PreKindergarten": "Pre-K",
    "Kindergarten": "Kindergarten",
    **{str(g): f"Grade {g}" for g in range(1, 13)},
}
TERMS = (("Fall 2025", "2025-08-18", "2025-12-19"), ("Spring 2026", "2026-01-05", "2026-05-29"))
SECONDARY_SUBJECTS: tuple[tuple[str, str, str], ...] = (
    ("english/language arts", "English", "ENG"),
    ("math", "Math", "MATH"),
    ("science", "Science", "SCI"),
    ("social studies", "Social Studies", "SOC"),
    ("PE and health", "PE & Health", "PE"),
    ("arts and music", "Art & Music", "ART"),
    ("language", "Spanish", "SPA"),
    ("technology and engineering", "Engineering", "ENGR"),
)
SUBJECTS_PER_STUDENT = 6
SECTION_SIZE = 30
STUDENT_QUIRKS = (
    "accented",
    "hyphenated_last",
    "hyphenated_first",
    "apostrophe",
    "null_name",
    "no_at",
    "shared_email",
    "ungraded",
    "empty_grade",
    "null_grade",
    "grade_13",
    "visitor",
)
NICKNAMED = tuple(NICKNAMES)
TEACHER_FIRST_NAMES = FIRST_NAMES + NICKNAMED


class _Builder:
    """Holds the generator's running state so the steps can be small methods."""

    def __init__(self, seed: int, n_schools: int, n_teachers: int, n_students: int) -> None:
        self.rng = random.Random(seed)
        self.n_teachers, self.n_students = n_teachers, n_students
        place = self.rng.choice(PLACES)
        self.place = place
        domain = f"{ascii_slug(place.replace(' ', ''))}schools.org"
        self.student_domain = f"students.{domain}"
        token = "sandbox-" + hashlib.sha256(f"sandbox-token:{seed}".encode()).hexdigest()[:32]
        self.d = SandboxDistrict(
            seed=seed,
            district_id="",
            token=token,
            client_id="sandbox-app-" + hashlib.sha256(f"sandbox-client:{seed}".encode()).hexdigest()[:16],
            client_secret="sandbox-secret-" + hashlib.sha256(f"sandbox-secret:{seed}".encode()).hexdigest()[:32],
            domain=domain,
            district={},
            machine=SandboxDistrict.machine_for(seed),
        )
        self.taken: set[str] = set()
        self.course_ids: dict[str, str] = {}
        self.n_schools = n_schools
        self.namesakes = list(SCHOOL_NAMESAKES)
        random.Random(seed).shuffle(self.namesakes)
        self.visitors: list[Record] = []
        self.travelling: list[Record] = []

    def stamp(self) -> tuple[str, str]:
        """A new id and its creation time; a bulk import writes about 20 records a second."""
        self.d.clock = GENERATION_START + self.d.counter // 20
        return self.d.new_id(), _iso(self.d.clock)

    def pick(self, pool: tuple[str, ...]) -> str:
        """``rng.choice`` at a third of the cost, which matters for 50,000 students."""
        return pool[int(self.rng.random() * len(pool))]

    def below(self, n: int) -> int:
        return int(self.rng.random() * n)

    def unique_email(self, first: str | None, last: str | None, domain: str) -> str:
        stem = ".".join(ascii_slug(part) for part in (first, last) if part) or "user"
        email, n = f"{stem}@{domain}", 1
        while email in self.taken:
            n += 1
            email = f"{stem}{n}@{domain}"
        self.taken.add(email)
        return email

    def middle(self) -> str | None:
        return self.pick(MIDDLE_NAMES) if self.rng.random() < 0.35 else None

    def person(self, first_pool: tuple[str, ...] = FIRST_NAMES) -> tuple[str, str]:
        roll = self.rng.random()
        first = self.pick(
            ACCENTED_FIRST_NAMES if roll < 0.06 else HYPHENATED_FIRST_NAMES if roll < 0.08 else first_pool
        )
        roll = self.rng.random()
        last = self.pick(
            ACCENTED_LAST_NAMES
            if roll < 0.08
            else HYPHENATED_LAST_NAMES
            if roll < 0.13
            else APOSTROPHE_LAST_NAMES
            if roll < 0.16
            else LAST_NAMES
        )
        return first, last

    def user(self, first: str | None, last: str | None, email: str | None, roles: Record) -> Record:
        user_id, created = self.stamp()
        record = {
            "id": user_id,
            "district": self.d.district_id,
            "email": email,
            "name": {"first": first, "middle": self.middle(), "last": last},
            "created": created,
            "last_modified": created,
            "roles": roles,
        }
        self.d.users[user_id] = record
        return record

    def build(self) -> SandboxDistrict:
        d = self.d
        d.district_id, _ = self.stamp()
        d.district = {
            "id": d.district_id,
            "name": f"{self.place} {self.pick(DISTRICT_SUFFIXES)}",
            "state": "success",
            "last_sync": None,
            "launch_date": "2025-07-01",
            "login_methods": ["Clever Badges", "Google"],
            "sis_type": "PowerSchool",
            "portal_url": f"https://clever.com/in/{ascii_slug(self.place.replace(' ', '-'))}",
            "nces_id": f"06{self.below(10**5):05d}",
            "mdr_number": None,
            "pause_start": None,
            "pause_end": None,
            "error": "",
        }
        for name, start, end in TERMS:
            term_id, _ = self.stamp()
            d.terms[term_id] = {
                "id": term_id,
                "district": d.district_id,
                "name": name,
                "start_date": f"{start}T00:00:00.000Z",
                "end_date": f"{end}T00:00:00.000Z",
            }
        self.fall, self.spring = list(d.terms)
        schools = [self.school(i) for i in range(self.n_schools)]
        first, last = self.person(TEACHER_FIRST_NAMES)
        contact = self.user(
            first,
            last,
            self.unique_email(first, last, d.domain),
            {"district_admin": {"title": "Director of Technology"}},  # v3.0.yml: legacy_id is never null
        )
        d.district["district_contact"] = {
            "id": contact["id"],
            "district": d.district_id,
            "email": contact["email"],
            "name": dict(contact["name"]),
            "title": "Director of Technology",
        }
        for index, school in enumerate(schools):
            self.people(index, school)
        self.cross_school(schools)
        d.clock += 7 * 86400
        d.district["last_sync"] = iso(d.clock)
        return d

    def school(self, index: int) -> Record:
        rng, namesakes = self.rng, self.namesakes
        level, grades = LEVELS[index % len(LEVELS)]
        namesake = namesakes[index % len(namesakes)]
        if index >= len(namesakes):
            namesake += f" {index // len(namesakes) + 1}"
        school_id, created = self.stamp()
        number = str(101 + index)
        principal_first, principal_last = self.person(TEACHER_FIRST_NAMES)
        record = {
            "id": school_id,
            "district": self.d.district_id,
            "name": f"{namesake} {level}",
            "sis_id": number,
            "school_number": number,
            "state_id": f"CA-{self.below(10**6):06d}",
            "nces_id": f"06{self.below(10**10):010d}",
            "mdr_number": None,
            "low_grade": grades[0],
            "high_grade": grades[-1],
            "phone": f"(555) 01{index % 10}-{rng.randrange(1000, 10000)}",
            "principal": {
                "name": f"{principal_first} {principal_last}",
                "email": self.unique_email(principal_first, principal_last, self.d.domain),
            },
            "location": {
                "address": f"{rng.randrange(100, 9999)} {namesake.split()[-1]} Way",
                "city": self.place,
                "state": "CA",
                "zip": f"9{self.below(10**4):04d}",
                "lat": None,
                "lon": None,
            },
            "created": created,
            "last_modified": created,
            "ext": {},
        }
        self.d.schools[school_id] = record
        return record

    def people(self, index: int, school: Record) -> None:
        d, sid, number = self.d, school["id"], school["sis_id"]
        for j in range(2):
            title, department = STAFF_TITLES[(index * 2 + j) % len(STAFF_TITLES)]
            first, last = self.person(TEACHER_FIRST_NAMES)
            self.user(
                first,
                last,
                self.unique_email(first, last, d.domain),
                {
                    "staff": {
                        "schools": [sid],
                        "staff_id": f"E{number}{j + 1:03d}",
                        "title": title,
                        "department": department,
                        "credentials": {"district_username": username(first, last)},
                    }
                },
            )
        teachers: list[Record] = []
        for t in range(self.n_teachers):
            teachers.append(self.teacher(t, school, teachers[-1] if t == 6 else None))
        grades = LEVELS[index % len(LEVELS)][1]
        high_school = grades[-1] == "12" or (self.n_schools < 3 and index == self.n_schools - 1)
        slots = self.student_slots()
        students: list[Record] = []
        placed: list[str] = []
        for k in range(self.n_students):
            grade = grades[k % len(grades)]
            quirk = slots.get(k)
            if quirk is None and slots.get(k - 1) == "shared_email":
                sibling = students[-1]
                student = self.student(k, school, grade, None, high_school, sibling["name"]["last"])
                student["email"] = sibling["email"]
            else:
                student = self.student(k, school, grade, quirk, high_school)
            if quirk == "visitor":
                self.visitors.append(student)
            students.append(student)
            placed.append(grade)
        if teachers:
            self.travelling.append(teachers[0])
            self.sections(school, grades, teachers, list(zip(students, placed, strict=True)))

    def teacher(self, t: int, school: Record, shares_with: Record | None) -> Record:
        d = self.d
        first, last = self.person(TEACHER_FIRST_NAMES)
        if t in (3, 10):
            first = self.pick(NICKNAMED)
        last = {
            1: self.pick(ACCENTED_LAST_NAMES),
            2: self.pick(HYPHENATED_LAST_NAMES),
            4: self.pick(APOSTROPHE_LAST_NAMES),
        }.get(t, last)
        unique = self.unique_email(first, last, d.domain)
        email: str | None = unique
        if shares_with is not None:
            email = shares_with["email"]
        elif t == 7:
            email = unique.replace("@", ".")
        elif t == 8:
            email = None
        number = f"{school['sis_id']}{t + 1:03d}"
        roles: Record = {
            "teacher": {
                "district": d.district_id,
                "school": school["id"],
                "schools": [school["id"]],
                "sis_id": f"T{number}",
                "state_id": f"{self.below(10**8):08d}",
                "teacher_number": number,
                "title": self.pick(TEACHER_TITLES),
                "credentials": {"district_username": username(first, last, number)},
            }
        }
        if t == 9:
            roles["staff"] = {
                "schools": [school["id"]],
                "staff_id": f"E{number}",
                "title": "Instructional Coach",
                "department": "Curriculum",
                "credentials": roles["teacher"]["credentials"],
            }
        return self.user(first, last, email, roles)

    def student_slots(self) -> dict[int, str]:
        m = self.n_students
        if m < 2 * len(STUDENT_QUIRKS):
            return {}
        return {(j * m) // len(STUDENT_QUIRKS) + 1: quirk for j, quirk in enumerate(STUDENT_QUIRKS)}

    def student(
        self, k: int, school: Record, grade: str, quirk: str | None, high_school: bool, family: str | None = None
    ) -> Record:
        """One student; ``grade`` is where they sit in sections, the quirk may show another."""
        rng = self.rng
        first: str | None  # a "null_name" student loses one of the two below
        last: str | None
        first, last = self.person()
        last = family or last
        if quirk == "accented":
            first, last = self.pick(ACCENTED_FIRST_NAMES), self.pick(ACCENTED_LAST_NAMES)
        elif quirk == "hyphenated_last":
            last = self.pick(HYPHENATED_LAST_NAMES)
        elif quirk == "hyphenated_first":
            first = self.pick(HYPHENATED_FIRST_NAMES)
        elif quirk == "apostrophe":
            last = self.pick(APOSTROPHE_LAST_NAMES)
        number = GRADE_NUMBER[grade]
        no_email = 0.7 if number <= 2 else 0.2 if number <= 5 else 0.03
        email: str | None = None
        if rng.random() >= no_email or quirk in ("no_at", "shared_email"):
            email = self.unique_email(first, last, self.student_domain)
        if quirk == "no_at":
            email = (email or "").replace("@", ".")
        elif quirk == "shared_email":
            email = f"{ascii_slug(last)}.family{10 + self.below(89)}@{self.pick(PERSONAL_DOMAINS)}"
        month, day = self.below(12) + 1, self.below(28) + 1
        birth_year = 2025 - (number + 5) - (1 if month > 8 else 0)
        school_index = int(school["sis_id"]) - 101
        if quirk == "null_name":
            first, last = (first, None) if school_index % 2 == 0 else (None, last)
        shown = {"ungraded": "Ungraded", "empty_grade": "", "null_grade": None}.get(quirk or "", grade)
        if quirk == "grade_13" and high_school:
            shown = "13"
        roll = rng.random()
        sis_id = f"{school['sis_id']}{k + 1:05d}"
        return self.user(
            first,
            last,
            email,
            {
                "student": {
                    "school": school["id"],
                    "schools": [school["id"]],
                    "sis_id": sis_id,
                    "state_id": f"{10**9 + self.below(9 * 10**9)}",
                    "student_number": f"S{sis_id}",
                    "grade": shown,
                    "graduation_year": str(2026 + 12 - number),
                    "dob": f"{month}/{day}/{birth_year}",
                    "gender": "F" if roll < 0.48 else "M" if roll < 0.96 else "X" if roll < 0.99 else "",
                    "credentials": {"district_username": username(first, last, sis_id[-4:])},
                }
            },
        )

    def course(self, name: str, number: str) -> str:
        if name not in self.course_ids:
            course_id, _ = self.stamp()
            self.d.courses[course_id] = {
                "id": course_id,
                "district": self.d.district_id,
                "name": name,
                "number": number,
            }
            self.course_ids[name] = course_id
        return self.course_ids[name]

    def section(
        self,
        school: Record,
        course: str,
        name: str,
        grade: str,
        subject: str,
        term: str,
        teacher: Record,
        period: str,
        students: list[Record],
    ) -> Record:
        section_id, created = self.stamp()
        number = len(self.d.sections) + 1
        record = {
            "id": section_id,
            "district": self.d.district_id,
            "school": school["id"],
            "name": name,
            "section_number": str(number),
            "sis_id": f"{school['sis_id']}-{number:05d}",
            "period": period,
            "grade": grade,
            "subject": subject,
            "course": course,
            "term_id": term,
            "teacher": teacher["id"],
            "teachers": [teacher["id"]],
            "students": [s["id"] for s in students],
            "created": created,
            "last_modified": created,
            "ext": {},
        }
        self.d.sections[section_id] = record
        return record

    def sections(
        self, school: Record, grades: tuple[str, ...], teachers: list[Record], students: list[tuple[Record, str]]
    ) -> None:
        """Homerooms for elementary grades; six subjects a student for secondary grades."""
        by_grade: dict[str, list[Record]] = {g: [] for g in grades}
        for student, grade in students:
            by_grade[grade].append(student)
        if grades[0] == "PreKindergarten":
            for g_index, grade in enumerate(grades):
                staff = teachers[g_index :: len(grades)] or [teachers[g_index % len(teachers)]]
                course = self.course(f"{GRADE_LABEL[grade]} Homeroom", f"HR-{GRADE_NUMBER[grade] + 1:02d}")
                for t_index, teacher in enumerate(staff):
                    name = f"{GRADE_LABEL[grade]} - {teacher['name']['last'] or teacher['name']['first']}"
                    self.section(
                        school,
                        course,
                        name,
                        grade,
                        "homeroom/advisory",
                        self.fall,
                        teacher,
                        "HR",
                        by_grade[grade][t_index :: len(staff)],
                    )
            return
        periods: dict[str, int] = {}
        for s_index, (subject, label, code) in enumerate(SECONDARY_SUBJECTS[:SUBJECTS_PER_STUDENT]):
            staff = teachers[s_index :: len(SECONDARY_SUBJECTS)] or [teachers[s_index % len(teachers)]]
            term = self.fall if s_index < 4 else self.spring
            turn = 0
            for grade in grades:
                roster = by_grade[grade]
                count = max(1, -(-len(roster) // SECTION_SIZE))
                course = self.course(f"{label} {grade}", f"{code}-{int(grade):02d}")
                for j in range(count):
                    teacher = staff[turn % len(staff)]
                    turn += 1
                    period = periods.get(teacher["id"], 0) % 7 + 1
                    periods[teacher["id"]] = period
                    self.section(
                        school,
                        course,
                        f"{label} {grade} - P{period}",
                        grade,
                        subject,
                        term,
                        teacher,
                        str(period),
                        roster[j::count],
                    )

    def cross_school(self, schools: list[Record]) -> None:
        if len(schools) < 2:
            return
        for index, school in enumerate(schools):
            here = self.d.sections_at_school(school["id"])
            if not here:
                continue
            nxt = (index + 1) % len(schools)
            if nxt < len(self.visitors) and self.visitors[nxt]["roles"]["student"]["school"] != school["id"]:
                visitor = self.visitors[nxt]
                visitor["roles"]["student"]["schools"].append(school["id"])
                here[0]["students"].append(visitor["id"])
            prev = (index - 1) % len(schools)
            if prev < len(self.travelling) and self.travelling[prev]["roles"]["teacher"]["school"] != school["id"]:
                teacher = self.travelling[prev]
                teacher["roles"]["teacher"]["schools"].append(school["id"])
                here[-1]["teachers"].append(teacher["id"])


def build(seed: int, schools: int, teachers: int, students: int) -> SandboxDistrict:
    """Generate the district; see the module docstring for where each quirk sits."""
    if min(schools, teachers, students) < 0:
        raise ValueError("schools, teachers and students must not be negative")
    district = _Builder(seed, schools, teachers, students).build()
    _prefer_nicknames(district)
    return district


def _prefer_nicknames(district: SandboxDistrict) -> None:
    """Every third student with a common long first name goes by its short form (v3.1's
    ``preferred_name``); chosen by id so adding people never reshuffles it."""
    for user in district.users.values():
        first = (user.get("name") or {}).get("first")
        chosen = hashlib.sha256(user["id"].encode()).digest()[0] % 3 == 0
        if user["roles"].get("student") and first in NICKNAMES and chosen:
            district.preferred_names[user["id"]] = {"first": NICKNAMES[first], "middle": None, "last": None}
