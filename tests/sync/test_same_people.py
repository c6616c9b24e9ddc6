"""Who the wizard may call "possibly the same person", and what folding one in does.

An account whose Clever id went missing *now* (still active) may be a new record with its
email or name; an archived account only has a twin: an account a sync made for a look-alike
within days of archiving it (Clever re-mints within days; namesakes and recycled emails
come a term or a year later). Each offer names one account for one record, and only the
same SIS id, or the same email for an account gone only now, starts ticked.
"""

from __future__ import annotations

from cleverwizard.people.build import PlatformView, plan_students, plan_teachers
from tests.sync.factories import SCHOOL, clever_student, clever_teacher, student, teacher

YEARS_AGO = "2023-06-20T10:00:00+00:00"
ARCHIVED = "2026-09-01T06:00:00+00:00"
NEXT_DAY = "2026-09-02T06:00:00+00:00"


def test_a_newcomer_given_a_graduates_recycled_email_is_not_offered_as_them() -> None:
    graduate = student(
        1, "Sam", "Lee", "sam.lee@d.org", clever_id="c-old", source="clever", status="archived", updated_at=YEARS_AGO
    )
    made = student(2, "Sam", "Lee", None, clever_id="c-new", source="clever", sis_id="5555", created_at=NEXT_DAY)
    newcomer = clever_student("Sam", "Lee", "sam.lee@d.org", sis_id="5555", id="c-new")
    plan = plan_students(PlatformView(students=[graduate, made]), [newcomer], SCHOOL)
    assert plan.same_people == []
    assert not [p for p in plan.problems if "whose Clever id" in p.issue]  # and not flagged either


def test_two_records_alike_one_gone_account_are_offered_nothing() -> None:
    """Siblings share a parent's email: which of them the old account was is anyone's guess."""
    old = student(1, "Ana", "Diaz", None, clever_id="c-old", clever_email="diaz@x.org", source="clever")
    ana = clever_student("Ana", "Diaz", "diaz@x.org", sis_id="9", id="c-ana")
    bea = clever_student("Bea", "Diaz", "diaz@x.org", sis_id="10", id="c-bea")
    plan = plan_students(PlatformView(students=[old]), [ana, bea], SCHOOL, same_people={"c-ana": 1, "c-bea": 1})
    assert plan.same_people == [] and not plan.of("relink")
    assert sorted(c.clever_id or "" for c in plan.of("create")) == ["c-ana", "c-bea"]


def test_a_twin_with_the_same_sis_id_is_offered_ticked_and_one_by_email_unticked() -> None:
    old = student(
        1, "Ana", "Diaz", "ana@d.org", clever_id="c-1", source="clever", status="archived", sis_id="S-7",
        updated_at=ARCHIVED,
    )  # fmt: skip
    twin = student(2, "Ana", "Smith", None, clever_id="c-2", source="clever", sis_id="S-7", created_at=NEXT_DAY)
    ana = clever_student("Ana", "Smith", "ana.smith@d.org", sis_id="S-7", id="c-2")
    [same] = plan_students(PlatformView(students=[old, twin]), [ana], SCHOOL).same_people
    assert (same.alike_by, same.account_id, same.twin_id, same.suggested) == ("SIS id", 1, 2, True)
    assert same.archived_at == "2026-09-01"

    by_email = student(3, "Bo", "Li", None, clever_id="c-4", source="clever", sis_id="X", created_at=NEXT_DAY)
    gone = student(4, "Bo", "Li", "bo@d.org", clever_id="c-3", source="clever", status="archived", updated_at=ARCHIVED)
    bo = clever_student("Bo", "Li", "bo@d.org", sis_id="X", id="c-4")
    [alike] = plan_students(PlatformView(students=[gone, by_email]), [bo], SCHOOL).same_people
    assert (alike.alike_by, alike.twin_id, alike.suggested) == ("email", 3, False)


def test_folding_a_twin_in_frees_its_login_for_the_person() -> None:
    old = student(1, "Ana", "Diaz", None, clever_id="c-old", source="clever", status="archived", updated_at=ARCHIVED)
    twin = student(2, "Ana", "Diaz", "ana.diaz@d.org", clever_id="c-new", source="clever", created_at=NEXT_DAY)
    ana = clever_student("Ana", "Diaz", "ana.diaz@d.org", sis_id="9", id="c-new")
    plan = plan_students(PlatformView(students=[old, twin]), [ana], SCHOOL, same_people={"c-new": 1})
    relink, archive = plan.changes
    assert (relink.action, relink.account_id, relink.values["email"]) == ("relink", 1, "ana.diaz@d.org")
    assert (archive.action, archive.account_id, archive.values["email"]) == ("archive", 2, None)
    assert plan.merged_into == {2: 1}
    assert not [p for p in plan.problems if "already the login" in p.issue]


def test_a_teacher_said_to_be_nobody_in_clever_is_not_moved_to_a_new_id() -> None:
    old = teacher(1, "Ann", "Lee", "ann@school.org", clever_id="t-old", source="clever", sis_id="T1")
    new = clever_teacher("Ann", "Lee", "ann.lee@school.org", sis_id="T1", id="t-new")
    chosen = plan_teachers(PlatformView(teachers=[old]), [new], SCHOOL, {1: None})
    assert not chosen.of("relink")
    unchosen = plan_teachers(PlatformView(teachers=[old]), [new], SCHOOL)
    assert [c.account_id for c in unchosen.of("relink")] == [1]  # without that choice, the SIS id moves it
