"""Planning ``emails fill``: a login email for every account that has none, from a pattern or a file.

Only emails that are sure are used: one that is already a login, or that two accounts would
get, is listed and set for nobody; a file row is matched by SIS id, else by the exact full
name when only one account has it. A filled email is saved as an edit (``edited``), so later
syncs keep it even when Clever sends another one (see ``people.build``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from cleverwizard.files.csv_in import BadRow, FileRow, ParsedFile
from cleverwizard.people.build import PlatformView
from cleverwizard.people.plan import FieldChange, Plan, PlannedChange
from cleverwizard.rules.email_patterns import build_email
from cleverwizard.rules.names import normalise_email
from cleverwizard.store.models import Account, PersonKind, Problem, RunCounts


@dataclass(frozen=True)
class NotFilled:
    name: str
    reason: str

    def describe(self) -> str:
        return f"can't fill: {self.name}: {self.reason}"


@dataclass
class FillPlan:
    """The emails a fill would set and the accounts it can't fill, before anything is written."""

    kind: PersonKind
    source: str
    """The pattern or the file name, for the report and the run's detail."""
    base_revision: int
    people: Plan
    missing: int = 0
    """Active accounts without a login email when the plan was made."""
    not_filled: list[NotFilled] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def counts(self) -> RunCounts:
        return RunCounts(updated=len(self.people.changes))

    @property
    def problems(self) -> list[Problem]:
        return []

    @property
    def writes_nothing(self) -> bool:
        return not self.people.changes

    def summary(self) -> str:
        if self.bad:
            return f"{self.source}: {len(self.bad)} bad row{'s' if len(self.bad) != 1 else ''}; no email is set until every row is good."
        who = f"{self.kind}s"
        return (
            f"{self.missing} {who} without a login email: {len(self.people.changes)} would get one from {self.source}, "
            f"{len(self.not_filled)} can't."
        )

    def lines(self) -> list[str]:
        out = [self.summary()]
        out += [f"  bad row: {bad.describe()}" for bad in self.bad]
        out += [f"  set: {change.name}: {change.values['email']}" for change in self.people.changes]
        out += [f"  {item.describe()}" for item in self.not_filled]
        if self.ignored:
            out.append("  columns not used: " + ", ".join(self.ignored))
        return out


def without_email(view: PlatformView, kind: PersonKind) -> list[Account]:
    """The active accounts of ``kind`` nobody can log in as yet, by name."""
    people = [a for a in view.accounts(kind) if a.status == "active" and not (a.email or "").strip()]
    return sorted(people, key=lambda a: (a.last_name.casefold(), a.first_name.casefold(), a.id))


def plan_fill_pattern(view: PlatformView, kind: PersonKind, pattern: str) -> FillPlan:
    """Give each account without email the address ``pattern`` builds (see ``rules.email_patterns``)."""
    targets = without_email(view, kind)
    plan = _new_plan(view, kind, pattern, len(targets))
    proposals: list[tuple[Account, str]] = []
    for account in targets:
        email, why = build_email(pattern, account.first_name, account.last_name, account.sis_id)
        if email is None:
            plan.not_filled.append(NotFilled(_label(account), why))
        else:
            proposals.append((account, email))
    _settle(view, plan, proposals)
    return plan


def plan_fill_file(view: PlatformView, kind: PersonKind, parsed: ParsedFile, source: str) -> FillPlan:
    """Match the file's rows to the accounts without email: by SIS id, else a name only one account has."""
    targets = without_email(view, kind)
    plan = _new_plan(view, kind, source, len(targets))
    plan.bad, plan.ignored = list(parsed.bad), parsed.ignored
    target_ids = {a.id for a in targets}
    active = [a for a in view.accounts(kind) if a.status == "active"]
    by_sis: dict[str, list[Account]] = defaultdict(list)
    by_name: dict[str, list[Account]] = defaultdict(list)
    for account in active:
        if account.sis_id:
            by_sis[account.sis_id.strip()].append(account)
        by_name[_name_key(account.first_name, account.last_name)].append(account)
    wanted: dict[int, list[tuple[FileRow, str]]] = defaultdict(list)
    reported: set[int] = set()
    for row in parsed.rows:
        found = _row_account(row, by_sis, by_name)
        if isinstance(found, str):
            fits = {a.id for a in by_name[_name_key(row.get("first_name"), row.get("last_name"))]} & target_ids
            if fits:
                name = f"{row.values['first_name']} {row.values['last_name']}"
                plan.not_filled.append(NotFilled(f"{name} (line {row.line})", found))
                reported |= fits
            continue
        if found is not None and found.id in target_ids:
            wanted[found.id].append((row, row.values["email"]))
    proposals: list[tuple[Account, str]] = []
    for account in targets:
        rows = wanted.get(account.id, [])
        emails = {normalise_email(email) for _, email in rows}
        if not rows:
            if account.id not in reported:
                plan.not_filled.append(NotFilled(_label(account), "not in the file"))
        elif len(emails) > 1:
            lines = ", ".join(str(row.line) for row, _ in rows)
            plan.not_filled.append(NotFilled(_label(account), f"lines {lines} give different emails"))
        else:
            proposals.append((account, rows[0][1]))
    _settle(view, plan, proposals)
    return plan


def _row_account(
    row: FileRow, by_sis: dict[str, list[Account]], by_name: dict[str, list[Account]]
) -> Account | str | None:
    """The one account a row is for, a reason it fits several, or ``None`` when it fits none."""
    sis = (row.get("sis_id") or "").strip()
    if sis and len(by_sis.get(sis, [])) == 1:
        return by_sis[sis][0]
    same_name = by_name.get(_name_key(row.get("first_name"), row.get("last_name")), [])
    if len(same_name) > 1:
        return f"the name fits {len(same_name)} accounts; add their SIS ids (sis_id or Employee ID) to the file"
    return same_name[0] if same_name else None


def _settle(view: PlatformView, plan: FillPlan, proposals: Sequence[tuple[Account, str]]) -> None:
    """Keep the proposals whose email is unique: not a login already, not given to two accounts."""
    logins = {normalise_email(a.email): a for a in [*view.teachers, *view.students] if a.email}
    claims: dict[str | None, list[Account]] = defaultdict(list)
    for account, email in proposals:
        claims[normalise_email(email)].append(account)
    for account, email in proposals:
        key = normalise_email(email)
        owner = logins.get(key)
        if owner is not None:
            plan.not_filled.append(NotFilled(_label(account), f"{email} is already the login of {owner.full_name}"))
        elif len(claims[key]) > 1:
            others = ", ".join(_label(a) for a in claims[key] if a.id != account.id)
            plan.not_filled.append(NotFilled(_label(account), f"{email} would also be the email of {others}"))
        else:
            edited = sorted({*account.edited, "email"})
            plan.people.changes.append(
                PlannedChange(
                    action="update",
                    kind=plan.kind,
                    account_id=account.id,
                    clever_id=account.clever_id,
                    name=_label(account),
                    reason="login email filled",
                    values={"email": email, "edited": edited},
                    diffs=[FieldChange(field="email", old=account.email, new=email)],
                )
            )


def _new_plan(view: PlatformView, kind: PersonKind, source: str, missing: int) -> FillPlan:
    people = Plan(kind=kind, school_id="", base_revision=view.revision)
    return FillPlan(kind=kind, source=source, base_revision=view.revision, people=people, missing=missing)


def _label(account: Account) -> str:
    return account.full_name or f"(no name) #{account.id}"


def _name_key(first: str | None, last: str | None) -> str:
    return " ".join(f"{first or ''} {last or ''}".casefold().split())
