"""Building plans: compare Clever's people with the platform's accounts.

The same functions serve the wizard's preview, ``import --dry-run`` and the daily sync, so
what the administrator reviews is exactly what gets applied. Nothing here writes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from cleverwizard.bulk import paused_gc
from cleverwizard.clever.decode import CleverUser
from cleverwizard.clever.models import role_school_ids
from cleverwizard.people.plan import ChangeAction, FieldChange, KeptEdit, Plan, PlannedChange, SamePerson
from cleverwizard.people.relink import find_relinks
from cleverwizard.rules.emails import EmailBook, clever_problems
from cleverwizard.rules.names import normalise_email
from cleverwizard.rules.teachers import Candidate, TeacherMatchRow, display_name, suggest_teacher_matches
from cleverwizard.store.models import (
    Account,
    Course,
    Login,
    MatchDecision,
    MatchMethod,
    PersonKind,
    Section,
    Student,
    Teacher,
)

_REASON_METHOD: dict[str, MatchMethod] = {
    "saved match": "clever_id",
    "same email": "email",
    "same SIS id": "sis_id",
    "similar name": "name",
}


class MatchConflict(ValueError):
    """Two platform teachers were matched to the same Clever teacher."""

    def __init__(self, clashes: dict[str, list[int]]) -> None:
        self.clashes = clashes
        super().__init__(
            f"{len(clashes)} Clever teacher(s) are matched to more than one platform teacher; "
            "choose one match for each before importing"
        )


@dataclass
class PlatformView:
    """A read-only snapshot of the platform's side, taken when planning starts."""

    teachers: list[Teacher] = field(default_factory=list)
    students: list[Student] = field(default_factory=list)
    decisions: dict[int, MatchDecision] = field(default_factory=dict)
    revision: int = 0
    sections: list[Section] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    """The platform's course catalogue."""
    student_logins: list[Login] | None = None
    """Only the students' logins, in place of ``students``, for a plan that needs no more of
    them (a teacher plan: which emails are taken). ``None``: ``students`` holds them all."""

    def accounts(self, kind: PersonKind) -> Sequence[Account]:
        if kind == "student" and self.student_logins is not None:
            raise ValueError("this view holds only the students' logins: read the students to plan them")
        return self.teachers if kind == "teacher" else self.students

    def logins(self, kind: PersonKind) -> Sequence[Account | Login]:
        """Whose login is which email, for one kind of account."""
        if kind == "student" and self.student_logins is not None:
            return self.student_logins
        return self.teachers if kind == "teacher" else self.students


def find_conflicts(choices: Mapping[int, str | None]) -> dict[str, list[int]]:
    """Clever ids chosen for more than one platform teacher, with those teachers' ids."""
    chosen: dict[str, list[int]] = defaultdict(list)
    for account_id, clever_id in choices.items():
        if clever_id:
            chosen[clever_id].append(account_id)
    return {cid: ids for cid, ids in chosen.items() if len(ids) > 1}


def one_per_id(clever: Sequence[CleverUser]) -> list[CleverUser]:
    """Clever's people with each id once (the last copy, in the first one's place).

    The client already reads a list keyed by id; this is the guard where accounts are
    planned, so no caller's list with a repeated id can ever make two accounts for one
    person, or count one person's email twice and take it from them as "shared".
    """
    unique = {user.id: user for user in clever}
    return list(clever) if len(unique) == len(clever) else list(unique.values())


def plan_teachers(
    view: PlatformView,
    clever: Sequence[CleverUser],
    school_id: str,
    choices: Mapping[int, str | None] | None = None,
    *,
    rows: Sequence[TeacherMatchRow] | None = None,
    archive_missing: bool = False,
    other_clever_emails: Sequence[str | None] = (),
    gone: set[str] | None = None,
    same_people: Mapping[str, int] | None = None,
) -> Plan:
    """Plan a teacher import.

    ``choices`` are the wizard's dropdowns (platform teacher id -> Clever id, or ``None``
    for "not in the list"); without them, as on the command line, only saved decisions and
    exact email / SIS id matches link, and every other Clever teacher gets a new account.
    ``same_people``: as for ``plan_students``. The Teachers preview offers a look-alike
    record in the account's dropdown instead, and does not yet offer to fold in a second
    account a sync made (the archived teacher has no row to choose it on).
    """
    clever = one_per_id(clever)
    rows = list(rows) if rows is not None else suggest_teacher_matches(view.teachers, clever, view.decisions)
    by_row = {row.account.id: row for row in rows}
    decisions: list[MatchDecision] = []
    pairs: dict[str, int] = {}
    followed: dict[str, tuple[int, str]] = {}
    """New Clever id -> (account, why): a gone id's account the administrator moved to it."""
    if choices is None:
        for row in rows:
            pick = row.suggestion
            if row.decided and row.suggested:
                pairs[row.suggested] = row.account.id
            elif pick is not None and pick.confident and row.account.clever_id in (None, pick.clever_id):
                # an account already linked to another Clever id is left to ``find_relinks``:
                # only the same SIS id moves it to a new id; an email alone is flagged
                pairs[pick.clever_id] = row.account.id
                if pick.reason != "saved match":
                    decisions.append(_decision(row.account.id, pick.clever_id, pick.reason))
    else:
        clashes = find_conflicts(choices)
        if clashes:
            raise MatchConflict(clashes)
        for account_id, clever_id in choices.items():
            chosen_row = by_row.get(account_id)
            if clever_id:
                pairs[clever_id] = account_id
            reason = _reason_for(chosen_row, clever_id)
            candidate = _candidate(chosen_row, clever_id)
            if clever_id and candidate is not None and candidate.replaces:
                followed[clever_id] = (account_id, f"chosen in the wizard: {reason}, new Clever id")
            saved = view.decisions.get(account_id)
            if saved is None or saved.clever_id != clever_id:
                decisions.append(_decision(account_id, clever_id, reason))
    for account in view.teachers:
        if account.clever_id and account.clever_id not in pairs:
            chosen_elsewhere = choices is not None and account.id in choices
            if not chosen_elsewhere:
                pairs.setdefault(account.clever_id, account.id)
    said_nobody = (
        {account_id for account_id, clever_id in choices.items() if clever_id is None}
        if choices is not None
        else {account_id for account_id, decision in view.decisions.items() if decision.clever_id is None}
    )
    plan = _plan(
        "teacher",
        view,
        clever,
        school_id,
        pairs,
        archive_missing,
        other_clever_emails,
        gone,
        followed,
        same_people=same_people,
        kept_apart=said_nobody,
    )
    plan.decisions = [d for d in decisions if d.account_id not in plan.merged_into]  # an archived twin decides nothing
    return plan


def _candidate(row: TeacherMatchRow | None, clever_id: str | None) -> Candidate | None:
    if row is None or clever_id is None:
        return None
    return next((c for c in row.candidates if c.clever_id == clever_id), None)


def plan_students(
    view: PlatformView,
    clever: Sequence[CleverUser],
    school_id: str,
    *,
    archive_missing: bool = False,
    other_clever_emails: Sequence[str | None] = (),
    gone: set[str] | None = None,
    same_people: Mapping[str, int] | None = None,
) -> Plan:
    """Plan a student import: link by saved Clever id, then unique exact email or SIS id.

    ``same_people`` are the wizard's ticks (Clever id -> the account whose id is gone that
    the administrator says is that person; ``Plan.same_people`` lists what can be ticked).
    """
    clever = one_per_id(clever)
    pairs: dict[str, int] = {}
    accounts = view.accounts("student")
    linked_ids = {s.clever_id for s in accounts if s.clever_id}
    for student in accounts:
        if student.clever_id:
            pairs[student.clever_id] = student.id
    loose = [s for s in accounts if not s.clever_id and s.status == "active"]
    by_email = _unique_index((normalise_email(s.email), s.id) for s in loose)
    by_sis = _unique_index((s.sis_id, s.id) for s in loose)
    used: set[int] = set()
    for user in clever if by_email or by_sis else ():  # nobody unlinked to match: skip the pass
        if user.id in linked_ids:
            continue
        sis = user.roles.student.sis_id if user.roles.student else None
        match = by_email.get(normalise_email(user.email) or "") or by_sis.get(sis or "")
        if match is not None and match not in used:
            pairs[user.id] = match
            used.add(match)
    return _plan(
        "student", view, clever, school_id, pairs, archive_missing, other_clever_emails, gone, same_people=same_people
    )


def _unique_index(items: Any) -> dict[str, int]:
    pairs = [(key, value) for key, value in items if key]
    counts = Counter(key for key, _ in pairs)
    return {key: value for key, value in pairs if counts[key] == 1}


def _reason_for(row: TeacherMatchRow | None, clever_id: str | None) -> str:
    if clever_id is None:
        return "not in the list"
    candidate = next((c for c in row.candidates if c.clever_id == clever_id), None) if row else None
    if candidate is None:
        return "chosen by hand"
    if candidate.reason == "similar name" and row is not None and row.suggested != clever_id:
        return "chosen by hand"
    return candidate.reason


def _decision(account_id: int, clever_id: str | None, reason: str) -> MatchDecision:
    if clever_id is None:
        method: MatchMethod = "not_in_list"
    else:
        method = _REASON_METHOD.get(reason, "manual")
    return MatchDecision(account_id=account_id, clever_id=clever_id, method=method)


def clever_values(kind: PersonKind, user: CleverUser, school_id: str) -> dict[str, Any]:
    """The platform fields a Clever record sets, before the login email is decided.

    Reads each of the record's properties once: this runs for every person of an import.
    """
    roles, name = user.roles, user.name
    role = roles.teacher if kind == "teacher" else roles.student
    values: dict[str, Any] = {
        "first_name": name.first or "",
        "last_name": name.last or "",
        "sis_id": role.sis_id if role else None,
        "schools": sorted(role_school_ids(role.school, role.schools)) if role else [],
        "clever_email": user.email,
    }
    if kind == "teacher":
        values["title"] = roles.teacher.title if roles.teacher else None
    else:
        values["grade"] = roles.student.grade if roles.student else None
        values["school"] = school_id
    return values


@paused_gc()  # one plan entry per Clever person; see cleverwizard.bulk
def _plan(
    kind: PersonKind,
    view: PlatformView,
    clever: Sequence[CleverUser],
    school_id: str,
    pairs: Mapping[str, int],
    archive_missing: bool,
    other_clever_emails: Sequence[str | None] = (),
    gone: set[str] | None = None,
    followed: Mapping[str, tuple[int, str]] | None = None,
    *,
    same_people: Mapping[str, int] | None = None,
    kept_apart: AbstractSet[int] = frozenset(),
) -> Plan:
    """``other_clever_emails`` are the emails Clever gives the school's people who are not in
    ``clever`` (a daily sync plans only the changed ones), so an email two people share is
    still seen as shared and given to neither.

    ``gone`` are the Clever ids this run saw disappear (a daily sync's deletes); an import or
    a full run, which read every record of the school, work them out. An account whose id is
    gone follows a new id of the same SIS id (``people.relink``) instead of being archived
    (or left behind) while a twin is created.
    """
    plan = Plan.model_construct(kind=kind, school_id=school_id, base_revision=view.revision, clever_total=len(clever))
    accounts = {a.id: a for a in view.accounts(kind)}
    if gone is None:
        listed = {user.id for user in clever}
        gone = {a.clever_id for a in accounts.values() if a.clever_id and a.clever_id not in listed}
    relinks = find_relinks(kind, list(accounts.values()), clever, pairs, gone, kept_apart)
    plan.same_people = relinks.possible
    chosen = dict(followed or {})
    twins: dict[int, SamePerson] = {}
    for same in relinks.possible:
        if (same_people or {}).get(same.clever_id) == same.account_id:
            chosen[same.clever_id] = (same.account_id, same.reason())
            if same.twin_id is not None:
                twins[same.twin_id] = same
    for clever_id, found in chosen.items():  # chosen in the wizard: relinked, not linked anew
        relinks.accounts.setdefault(clever_id, found)
        relinks.problems = [p for p in relinks.problems if p.clever_id != clever_id]
    if relinks.accounts:
        pairs = {**pairs, **{clever_id: found[0] for clever_id, found in relinks.accounts.items()}}
    plan.problems.extend(relinks.problems)
    plan.merged_into = {twin_id: same.account_id for twin_id, same in twins.items()}
    # A twin's login goes with the person: it is not an owner the kept account must avoid.
    book = EmailBook.build(
        [a for a in view.logins("teacher") if a.id not in twins],
        [a for a in view.logins("student") if a.id not in twins],
        clever,
    )
    book.clever_counts.update(email for raw in other_clever_emails if (email := normalise_email(raw)))
    seen: set[str] = set()
    for user in clever:
        seen.add(user.id)
        account = accounts.get(pairs.get(user.id, -1))
        values = clever_values(kind, user, school_id)
        name = display_name(user)
        if account is None:
            values["email"] = book.login_email(user, owner=None)
            values.update(clever_id=user.id, source="clever", status="active")
            plan.changes.append(PlannedChange(action="create", kind=kind, clever_id=user.id, name=name, values=values))
            plan.problems.extend(clever_problems(kind, user, book, has_login_email=values["email"] is not None))
            continue
        first_link = account.clever_id != user.id
        usable = book.login_email(user, owner=account.id)
        same_address = normalise_email(usable) == normalise_email(account.email)
        edited = "email" in account.edited
        kept = "email" in account.kept or (first_link and bool(account.email) and not same_address and not edited)
        if edited or kept:
            # A kept login is reported on the run that links it (nobody needs telling again);
            # an edit that differs from Clever is reported on every run (the sync promises that).
            if usable and not same_address and (edited or first_link):
                plan.kept_edits.append(
                    KeptEdit(
                        account_id=account.id,
                        name=name,
                        field="email",
                        kept=account.email,
                        clever_value=user.email,
                        edited=edited,
                    )
                )
            values["email"] = account.email
            if kept and not edited:
                values["kept"] = sorted({*account.kept, "email"})
        elif same_address:
            values["email"] = account.email
        else:
            values["email"] = usable or account.email
        values["clever_id"] = user.id
        plan.problems.extend(clever_problems(kind, user, book, has_login_email=values["email"] is not None))
        diffs = _diffs(account, values)
        relinked = relinks.accounts.get(user.id)
        action: ChangeAction
        if relinked is not None:
            action = "relink"
            if account.status == "archived":
                values["status"] = "active"
                diffs.append(FieldChange(field="status", old="archived", new="active"))
        elif account.status == "archived":
            action = "restore"
            values["status"] = "active"
            diffs.append(FieldChange(field="status", old="archived", new="active"))
        elif first_link:
            action = "link"
        elif diffs:
            action = "update"
        else:
            plan.unchanged += 1
            continue
        reason = "same account" if not first_link else ""
        if relinked is not None:
            reason = f"{relinked[1]}; was {account.clever_id}"
        plan.changes.append(
            PlannedChange(
                action=action,
                kind=kind,
                clever_id=user.id,
                account_id=account.id,
                name=name,
                reason=reason,
                values=values,
                diffs=diffs,
            )
        )
    if archive_missing:
        matched = {pairs[user.id] for user in clever if user.id in pairs}  # matched this run: kept
        missing = {a.clever_id for a in accounts.values() if a.clever_id and a.clever_id not in seen}
        plan.changes += archive_changes(kind, [a for a in accounts.values() if a.id not in matched], missing)
    for account in accounts.values():
        if account.id in twins:
            plan.changes.append(_twin_archived(kind, account, twins[account.id]))
        elif account.clever_id and pairs.get(account.clever_id) != account.id and account.clever_id in seen:
            plan.changes.append(
                PlannedChange(
                    action="unlink",
                    kind=kind,
                    clever_id=None,
                    account_id=account.id,
                    name=account.full_name,
                    reason="not the same person",
                    values={"clever_id": None},
                    diffs=[FieldChange(field="clever_id", old=account.clever_id, new=None)],
                )
            )
    return plan


def _twin_archived(kind: PersonKind, twin: Account, same: SamePerson) -> PlannedChange:
    """The second account a sync made for a person, archived as their first one takes the id
    back; its login is freed for them and its classes move to them (``apply_people_plan``)."""
    values: dict[str, Any] = {"clever_id": None, "status": "archived"}
    diffs = [FieldChange(field="clever_id", old=twin.clever_id, new=None)]
    if twin.status != "archived":
        diffs.append(FieldChange(field="status", old=twin.status, new="archived"))
    if twin.email:
        values["email"] = None
        diffs.append(FieldChange(field="email", old=twin.email, new=None))
    return PlannedChange(
        action="archive",
        kind=kind,
        clever_id=None,
        account_id=twin.id,
        name=twin.full_name,
        reason=(
            f"a second account for {same.account_name} (account {same.account_id}), "
            "who follows the new Clever id and takes over its classes"
        ),
        values=values,
        diffs=diffs,
    )


def _diffs(account: Account, values: Mapping[str, Any]) -> list[FieldChange]:
    diffs = []
    for key, new in values.items():
        if key in ("clever_email",):
            continue
        old = getattr(account, key, None)
        if old != new:
            diffs.append(FieldChange(field=key, old=old, new=new))
    return diffs


def archive_changes(kind: PersonKind, accounts: Sequence[Account], gone: set[str]) -> list[PlannedChange]:
    """Archive (never delete) active accounts linked to Clever people who are gone."""
    return [
        PlannedChange(
            action="archive",
            kind=kind,
            clever_id=account.clever_id,
            account_id=account.id,
            name=account.full_name,
            reason="no longer in Clever for this school",
            values={"status": "archived"},
            diffs=[FieldChange(field="status", old="active", new="archived")],
        )
        for account in accounts
        if account.clever_id in gone and account.status == "active"
    ]
