import pytest

from cleverwizard.people.build import MatchConflict, PlatformView, find_conflicts, plan_students, plan_teachers
from cleverwizard.store.models import Login, MatchDecision
from tests.sync.factories import SCHOOL, clever_student, clever_teacher, student, teacher


def test_cli_plan_links_exact_matches_and_creates_the_rest() -> None:
    ann = clever_teacher("Ann", "Lee", "ann@school.org")
    bob = clever_teacher("Robert", "Johnson", "rj@school.org")
    view = PlatformView(
        teachers=[teacher(1, "Ann", "Lee", "Ann@School.org"), teacher(2, "Bob", "Johnson", "bob@gmail.com")]
    )
    plan = plan_teachers(view, [ann, bob], SCHOOL)
    assert [(c.action, c.clever_id, c.account_id) for c in plan.changes] == [
        ("link", ann.id, 1),
        ("create", bob.id, None),
    ]
    assert plan.decisions[0].method == "email"
    assert plan.counts.linked == 1 and plan.counts.created == 1
    assert "Nothing is deleted" in plan.summary()


def test_linking_keeps_the_existing_login_email() -> None:
    ann = clever_teacher("Ann", "Lee", "ann.lee@school.org", sis_id="T1")
    view = PlatformView(teachers=[teacher(1, "Ann", "Lee", "ann@home.net")])
    plan = plan_teachers(view, [ann], SCHOOL, {1: ann.id})
    link = plan.changes[0]
    assert link.action == "link" and link.values["email"] == "ann@home.net"
    assert plan.kept_edits and plan.kept_edits[0].clever_value == "ann.lee@school.org"


def test_wizard_choices_override_suggestions_and_record_decisions() -> None:
    ann = clever_teacher("Ann", "Lee", "ann@school.org")
    view = PlatformView(teachers=[teacher(1, "Ann", "Lee", "ann@school.org")])
    plan = plan_teachers(view, [ann], SCHOOL, {1: None})
    assert [c.action for c in plan.changes] == ["create"]
    assert plan.decisions == [
        MatchDecision(account_id=1, clever_id=None, method="not_in_list", decided_at=plan.decisions[0].decided_at)
    ]
    assert plan.changes[0].values["email"] is None  # the platform teacher keeps that login
    assert any("already the login" in p.issue for p in plan.problems)


def test_a_teacher_plan_from_the_students_logins_alone_is_the_plan_from_the_students() -> None:
    """The wizard plans teachers against ``PlatformView.student_logins`` (no student models):
    a student's login is still never handed to a teacher, and nothing else changes."""
    ann = clever_teacher("Ann", "Lee", "ann@school.org")
    kid = student(7, "Kid", "Lee", "ANN@school.org", clever_id="s1")
    whole = PlatformView(teachers=[teacher(1, "Bo", "Ray")], students=[kid])
    light = PlatformView(
        teachers=whole.teachers, student_logins=[Login(kid.id, kid.email, kid.first_name, kid.last_name)]
    )
    plans = [plan_teachers(view, [ann], SCHOOL) for view in (whole, light)]
    assert plans[0].changes[0].values["email"] is None  # the student keeps that login
    assert plans[0].model_dump() == plans[1].model_dump()
    with pytest.raises(ValueError, match="only the students' logins"):
        plan_students(light, [], SCHOOL)


def test_conflicting_choices_are_refused_not_resolved() -> None:
    ann = clever_teacher("Ann", "Lee")
    view = PlatformView(teachers=[teacher(1, "Ann", "Lee"), teacher(2, "Anne", "Lee")])
    assert find_conflicts({1: ann.id, 2: ann.id}) == {ann.id: [1, 2]}
    with pytest.raises(MatchConflict):
        plan_teachers(view, [ann], SCHOOL, {1: ann.id, 2: ann.id})


def test_flags_missing_malformed_and_shared_emails_and_missing_names() -> None:
    people = [
        clever_teacher("No", "Email"),
        clever_teacher("Bad", "Email", "bad.school.org"),
        clever_teacher("Twin", "One", "twins@school.org"),
        clever_teacher("Twin", "Two", "TWINS@school.org"),
        clever_teacher(None, "Nameless", "nameless@school.org"),
    ]
    plan = plan_teachers(PlatformView(), people, SCHOOL)
    issues = " | ".join(p.issue for p in plan.problems)
    assert "No email" in issues and "not a valid address" in issues and "No first name" in issues
    assert sum("Shares the email" in p.issue for p in plan.problems) == 2
    created = {c.name: c.values["email"] for c in plan.changes}
    assert created["Twin One"] is None and created["Twin Two"] is None
    assert created["Bad Email"] is None
    assert all(p.fix for p in plan.problems)


def test_second_import_changes_nothing() -> None:
    ann = clever_teacher("Ann", "Lee", "ann@school.org")
    view = PlatformView(
        teachers=[
            teacher(
                1,
                "Ann",
                "Lee",
                "ann@school.org",
                clever_id=ann.id,
                sis_id=None,
                schools=[SCHOOL],
                clever_email="ann@school.org",
                source="clever",
            )
        ]
    )
    plan = plan_teachers(view, [ann], SCHOOL)
    assert plan.changes == [] and plan.unchanged == 1


def test_edited_email_is_kept_and_reported() -> None:
    sam = clever_student("Sam", "Ray", "sam@school.org", id="s1")
    kept = student(
        1,
        "Sam",
        "Ray",
        "sam.ray@school.org",
        clever_id="s1",
        edited=["email"],
        grade="3",
        school=SCHOOL,
        schools=[SCHOOL],
    )
    plan = plan_students(PlatformView(students=[kept]), [sam], SCHOOL)
    assert all(c.values.get("email") == "sam.ray@school.org" for c in plan.changes)
    assert plan.kept_edits[0].clever_value == "sam@school.org"


def test_students_without_email_are_created_and_flagged() -> None:
    kid = clever_student("Kid", "Small", None, grade="Kindergarten")
    plan = plan_students(PlatformView(), [kid], SCHOOL)
    assert plan.changes[0].action == "create" and plan.changes[0].values["grade"] == "Kindergarten"
    assert "can't log in" in plan.problems[0].issue


def test_students_link_by_unique_email() -> None:
    kid = clever_student("Kid", "Small", "kid@school.org")
    plan = plan_students(PlatformView(students=[student(7, "Kiddo", "Small", "KID@school.org")]), [kid], SCHOOL)
    assert plan.changes[0].action == "link" and plan.changes[0].account_id == 7


def test_archive_only_when_asked_and_restore_when_back() -> None:
    gone = student(1, "Gone", "Away", "g@school.org", clever_id="s-gone")
    back = student(2, "Back", "Again", "b@school.org", clever_id="s-back", status="archived")
    returning = clever_student("Back", "Again", "b@school.org", id="s-back")
    view = PlatformView(students=[gone, back])
    assert [c.action for c in plan_students(view, [returning], SCHOOL).changes] == ["restore"]
    actions = sorted(c.action for c in plan_students(view, [returning], SCHOOL, archive_missing=True).changes)
    assert actions == ["archive", "restore"]
