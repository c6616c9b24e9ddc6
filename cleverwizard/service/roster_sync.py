"""The one API the command line and the wizard both call.

Each method is one step an administrator takes (connect, pick a school, fetch, plan,
apply, edit an email). Fetching is async and reports progress through a callback, so the
wizard can run it in a worker and the CLI can simply await it.

The steps an import never takes (the daily sync, sections, undo) import their code when
called, so a headless ``import students`` loads only what it runs (``bench/bench_import_process.py``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, overload

import httpx

from cleverwizard.clever import (
    CleverAuthError,
    CleverClient,
    CleverForbidden,
    CleverNotFound,
    CleverUser,
    District,
    School,
)
from cleverwizard.clever.client import DEFAULT_PAGE_LIMIT
from cleverwizard.clever.limits import Limits
from cleverwizard.clever.oauth import AppCredentialsRefused, AppTokens, DistrictNotConnected, DistrictTokenAuth
from cleverwizard.clever.retry import RetryPolicy
from cleverwizard.config import Settings, save_token
from cleverwizard.people.apply import apply_plan
from cleverwizard.people.build import PlatformView, plan_students, plan_teachers
from cleverwizard.people.plan import Plan
from cleverwizard.rules.names import email_refusal, normalise_email
from cleverwizard.rules.teachers import TeacherMatchRow, suggest_teacher_matches
from cleverwizard.service import district_state
from cleverwizard.service.files_in import FilesIn
from cleverwizard.service.files_out import FilesOut
from cleverwizard.service.status import Checklist, build_checklist, cached_checklist, run_history
from cleverwizard.service.steps import StepKey, missing
from cleverwizard.store import RosterStore
from cleverwizard.store.models import (
    Account,
    CleverDistrictState,
    Course,
    PersonKind,
    Run,
    Site,
    Student,
    Teacher,
    now_iso,
)
from cleverwizard.text import counted, one_line

if TYPE_CHECKING:
    from cleverwizard.daily.report import SyncReport
    from cleverwizard.rules.courses import SectionMatchRow
    from cleverwizard.runs.undo import UndoReport
    from cleverwizard.sections.build import SectionData
    from cleverwizard.sections.plan import SectionPlan

Progress = Callable[[int], None]


class StepOutOfOrder(RuntimeError):
    """A step was asked for before the one it needs (import before connect)."""


class SchoolSwitchNeedsConfirming(StepOutOfOrder):
    """Moving a site that already has Clever people to another school must be confirmed.

    One school connects to one site; switching re-points every later import and sync at the
    other school's people, so the accounts already imported would be archived by the next
    sync. The wizard asks (Cancel focused); the CLI wants ``--yes``.
    """

    def __init__(self, consequence: str) -> None:
        super().__init__(f"{consequence} Run again with --yes to switch anyway.")
        self.consequence = consequence


class EmailRejected(ValueError):
    """A login email typed in the wizard cannot be used; the message says why."""


@dataclass
class CleverLink:
    """How this process reaches Clever: the HTTP transport (``None``: the real network), the
    retry policy and the limits (``None``: the client's defaults).

    It is handed in, never looked up: the demo wires in the in-process sandbox, tests wire in a
    sandbox or a hostile server with quick retries, and production passes nothing.
    """

    transport: httpx.AsyncBaseTransport | None = None
    retry: RetryPolicy | None = None
    limits: Limits | None = None
    """Deadlines and size caps on what Clever sends (``None``: the client's defaults)."""


class RosterSync(FilesIn, FilesOut):
    """Connect, fetch, plan and apply, on one data folder (adding from files and exporting
    are in the ``FilesIn`` and ``FilesOut`` mixins)."""

    def __init__(
        self,
        settings: Settings,
        store: RosterStore,
        *,
        link: CleverLink | None = None,
        started_by: str = "cli",
        page_limit: int = DEFAULT_PAGE_LIMIT,
    ) -> None:
        """``page_limit`` is the records asked for per Clever page (1 to 10,000): bigger
        pages mean fewer requests against Clever's rate limit for a large school."""
        self.settings = settings
        self.store = store
        self.link = link or CleverLink()
        self.started_by = started_by
        self.page_limit = page_limit
        self._app_tokens: AppTokens | None = None
        self._district_seen: CleverDistrictState | None = None
        """Clever's district state read by the last fetch, kept when its import is saved."""

    @property
    def app_tokens(self) -> AppTokens | None:
        """The app's district tokens (in memory, this process only), when app credentials are set."""
        if self._app_tokens is None and self.settings.app is not None:
            self._app_tokens = AppTokens(
                self.settings.app,
                self.settings.oauth_url,
                transport=self.link.transport,
                retry=self.link.retry,
                limits=self.link.limits,
            )
        return self._app_tokens

    @asynccontextmanager
    async def client(self, token: str | None = None, *, district_id: str | None = None) -> AsyncIterator[CleverClient]:
        """A Clever client for one step, with the token INTERFACE.md says to use.

        ``token`` (typed in the wizard) or ``CLEVER_TOKEN`` first; else, with app credentials,
        the token Clever gives the app for ``district_id`` (default: the connected district),
        fetched again once when it rotates; else the token saved by an earlier version.
        """
        use = token or self.settings.token
        tokens = None if use else self.app_tokens
        if not use and tokens is None:
            raise StepOutOfOrder(
                "No Clever credentials: set CLEVER_CLIENT_ID and CLEVER_CLIENT_SECRET (the platform's "
                "Clever app), or CLEVER_TOKEN to a district-app token, or enter a token when connecting "
                "in the wizard."
            )
        auth = None
        if tokens is not None:
            auth = DistrictTokenAuth(tokens, district_id or self.require_site().district_id)
        async with CleverClient(
            use,
            self.settings.clever_url,
            auth=auth,
            transport=self.link.transport,
            retry=self.link.retry,
            limits=self.link.limits,
            page_limit=self.page_limit,
        ) as client:
            try:
                yield client
            except CleverAuthError as error:
                if auth is None or isinstance(error, AppCredentialsRefused):
                    raise
                raise CleverAuthError(
                    f"Clever refused the token it gives this app for district {auth.district_id}, even "
                    "fetched again: check in the Clever dashboard that the district still shares its "
                    "data with the app.",
                    status=error.status,
                ) from error

    async def app_districts(self) -> list[District]:
        """The districts connected to the platform's Clever app, by name (needs app credentials)."""
        tokens = self.app_tokens
        if tokens is None:
            raise StepOutOfOrder(
                "No app credentials: set CLEVER_CLIENT_ID and CLEVER_CLIENT_SECRET to the platform's "
                "Clever app (whoever runs the platform has them)."
            )
        found: list[District] = []
        for entry in await tokens.district_tokens():
            async with CleverClient(
                entry.access_token, self.settings.clever_url, transport=self.link.transport, retry=self.link.retry
            ) as clever:
                try:
                    found.append(await clever.get_district(entry.district_id))
                except (CleverAuthError, CleverForbidden, CleverNotFound):
                    found.append(District(id=entry.district_id))
        return sorted(found, key=lambda district: ((district.name or "").casefold(), district.id))

    # -- connecting -----------------------------------------------------------------

    async def check_district(self, district_id: str, token: str | None = None) -> District:
        """The district, or a ``CleverNotFound`` that names the id the person typed."""
        wanted = district_id.strip()
        async with self.client(token, district_id=wanted) as clever:
            try:
                return await clever.get_district(wanted)
            except DistrictNotConnected:
                raise
            except CleverNotFound as error:
                raise CleverNotFound(
                    f"Clever has no district {wanted!r} for this token: check the district id "
                    "on your Clever dashboard (Settings > District ID), and that the token is "
                    "this district's.",
                    status=error.status,
                ) from error

    async def connect(
        self,
        district_id: str,
        token: str | None = None,
        *,
        school_id: str | None = None,
        switch_confirmed: bool = False,
    ) -> District:
        """Check the district (and ``school_id``, when given) with Clever, then save both in
        one write (and a token typed in the wizard; a token fetched with the app credentials
        is never saved). A school Clever does not have, or a switch that needs confirming,
        fails before anything is written, so the data folder stays exactly as it was."""
        district = await self.check_district(district_id, token)
        school: School | None = None
        if school_id is not None:
            async with self.client(token, district_id=district.id) as clever:
                school = await _school_of(clever, school_id, district.name or district.id)
            if not switch_confirmed:
                self.check_school_switch(school.id, school.name)
        if token:
            save_token(self.settings.data_dir, token)
            self.settings.token = token.strip()
        with self.store.transaction() as tx:
            old = tx.site
            keep_school = old is not None and old.district_id == district.id
            site = Site(
                district_id=district.id,
                district_name=district.name or district.id,
                school_id=old.school_id if keep_school and old else None,
                school_name=old.school_name if keep_school and old else None,
                school_grades=old.school_grades if keep_school and old else None,
                school_selected_at=old.school_selected_at if keep_school and old else None,
            )
            tx.site = _with_school(site, school) if school is not None else site
        district_state.keep(self.settings.data_dir, district_state.district_state(district))
        return district

    async def refresh_district_state(self) -> CleverDistrictState | None:
        """Ask Clever how its SIS sync of the connected district stands, and keep the answer.

        The wizard calls it in a worker when Notifications opens; ``None`` when Clever will
        not show the district record (the saved state, if any, stays).
        """
        site = self.require_site()
        async with self.client() as clever:
            state = await district_state.read_district(clever, site.district_id)
        district_state.keep(self.settings.data_dir, state)
        return state

    def saved_district_state(self) -> CleverDistrictState | None:
        """What Clever last said about the connected district's sync (no request)."""
        site = self.store.site()
        return district_state.read_district_state(self.settings.data_dir, site.district_id) if site else None

    async def schools(self) -> list[School]:
        self.require_site()
        async with self.client() as clever:
            found = await clever.schools()
        return sorted(found, key=lambda school: (school.name or "").casefold())

    def school_switch_consequence(self, school_id: str, school_name: str | None) -> str | None:
        """What moving this site to another school would mean, when it has Clever people
        already; ``None`` when there is nothing to confirm (no school yet, the same school,
        or nothing imported)."""
        site = self.store.site()
        if site is None or not site.school_id or site.school_id == school_id:
            return None
        meta = self.store.meta()
        view = self.view()
        teachers = sum(1 for t in view.teachers if t.clever_id)
        students = sum(1 for s in view.students if s.clever_id)
        if not (meta.teachers_imported_at or meta.students_imported_at or teachers or students):
            return None
        old = one_line(site.school_name or site.school_id)
        new = one_line(school_name or school_id)
        return (
            f"This site already has {counted(teachers, 'teacher')} and {counted(students, 'student')} "
            f"from {old}. One school connects to one site: to set up {new}, use another data "
            "folder (--data-dir)."
        )

    def check_school_switch(self, school_id: str, school_name: str | None = None) -> None:
        """Raise ``SchoolSwitchNeedsConfirming`` if moving to ``school_id`` must be confirmed."""
        consequence = self.school_switch_consequence(school_id, school_name)
        if consequence is not None:
            raise SchoolSwitchNeedsConfirming(consequence)

    async def select_school(self, school_id: str, *, switch_confirmed: bool = False) -> School:
        """Connect this site to one of the district's schools.

        Raises ``SchoolSwitchNeedsConfirming`` (writing nothing) when the site already has
        people from another school and the switch was not confirmed.
        """
        site = self.require_site()
        async with self.client() as clever:
            school = await _school_of(clever, school_id, site.district_name or "this district")
        if not switch_confirmed:
            self.check_school_switch(school.id, school.name)
        with self.store.transaction() as tx:
            tx.site = _with_school(site, school)
        return school

    def require_site(self, *, school: bool = False) -> Site:
        site = self.store.site()
        if site is None:
            raise StepOutOfOrder(
                "Not connected to a Clever district yet: run `cleverwizard connect DISTRICT_ID` "
                "or open the wizard and choose Connect your District."
            )
        if school and not site.school_id:
            raise StepOutOfOrder(
                "No school selected yet: run `cleverwizard connect DISTRICT_ID --school SCHOOL_ID` "
                "(see `cleverwizard schools`) or choose Select your School in the wizard."
            )
        return site

    # -- importing ------------------------------------------------------------------

    async def fetch(self, kind: PersonKind, on_progress: Progress | None = None) -> list[CleverUser]:
        """The connected school's teachers or students, every page."""
        site = self.require_site(school=True)
        assert site.school_id is not None
        async with self.client() as clever:
            people: list[CleverUser]
            if kind == "teacher":
                people = list[CleverUser](await clever.school_teachers(site.school_id, on_progress=on_progress))
            else:
                people = await clever.school_students(site.school_id, on_progress=on_progress)
            self._district_seen = await district_state.read_district(clever, site.district_id)  # after the people
        return people

    def view(self, *, students: bool = True) -> PlatformView:
        """The platform as it is on disk now (a scheduled sync may have written).

        ``students=False``: only the students' logins (``PlatformView.student_logins``), enough
        for a teacher plan; validating a school's students for it held the interpreter lock
        long enough to stall the Teachers preview, once per dropdown choice."""
        self.store.refresh()
        return PlatformView(
            teachers=self.store.teachers(),
            students=self.store.students() if students else [],
            student_logins=None if students else self.store.logins("student"),
            decisions=self.store.matches(),
            revision=self.store.revision,
            sections=self.store.sections(),
            courses=self.store.courses(),
        )

    @overload
    def people(self, kind: Literal["teacher"]) -> Sequence[Teacher]: ...
    @overload
    def people(self, kind: Literal["student"]) -> Sequence[Student]: ...
    @overload
    def people(self, kind: PersonKind) -> Sequence[Account]: ...
    def people(self, kind: PersonKind) -> Sequence[Account]:
        """One kind of account as on disk now. A screen that shows teachers reads (and
        validates) only the teachers, not a school's 20,000 students as ``view`` would."""
        self.store.refresh()
        return self.store.teachers() if kind == "teacher" else self.store.students()

    def fields(self, kind: PersonKind, names: Sequence[str]) -> list[tuple[Any, ...]]:
        """``names`` of every teacher or student as on disk now, as stored (``RosterStore.peek``):
        for counts over a school, which need no models (validating 20,000 students for the
        Students step's intro took its thread longer than the whole plan after it)."""
        self.store.refresh()
        return self.store.peek("teachers" if kind == "teacher" else "students", names)

    def teacher_rows(self, clever: Sequence[CleverUser]) -> list[TeacherMatchRow]:
        """The preview's ranked suggestions: they need the teachers and the saved decisions,
        not the school's students."""
        return suggest_teacher_matches(self.people("teacher"), clever, self.store.matches())

    def plan(
        self,
        kind: PersonKind,
        clever: Sequence[CleverUser],
        choices: dict[int, str | None] | None = None,
        *,
        rows: Sequence[TeacherMatchRow] | None = None,
        same_people: Mapping[str, int] | None = None,
        view: PlatformView | None = None,
    ) -> Plan:
        """Plan an import; pass the ``rows`` already ranked for the preview so each
        change of a dropdown re-plans in milliseconds instead of re-scoring every name.
        ``same_people``: the preview's *Possibly the same person* ticks (``Plan.same_people``).
        ``view``: the platform as the caller just read it (the Students preview shows the
        accounts it was planned against); by default it is read now."""
        site = self.require_site(school=True)
        assert site.school_id is not None
        if kind == "teacher":
            view = view if view is not None else self.view(students=False)
            return plan_teachers(view, clever, site.school_id, choices, rows=rows, same_people=same_people)
        return plan_students(view if view is not None else self.view(), clever, site.school_id, same_people=same_people)

    def apply(self, plan: Plan) -> Run:
        """Save the plan as one run; the district state the fetch saw is kept only then,
        so a dry run or a failed import leaves the data folder as it was."""
        run = apply_plan(self.store, plan, started_by=self.started_by)
        district_state.keep(self.settings.data_dir, self._district_seen)
        self._district_seen = None
        return run

    # -- editing --------------------------------------------------------------------

    def set_login_email(self, kind: PersonKind, account_id: int, email: str) -> Account:
        """Save a login email typed in the wizard; it stays through later syncs."""
        cleaned = email.strip()
        if (refusal := email_refusal(cleaned)) is not None:
            raise EmailRejected(refusal)
        wanted = normalise_email(cleaned)
        with self.store.transaction() as tx:
            people: list[Account] = [*tx.teachers(), *tx.students()]
            clash = next(
                (p for p in people if normalise_email(p.email) == wanted and p.id != account_id),
                None,
            )
            if clash is not None:
                raise EmailRejected(f"{cleaned} is already the login of {clash.full_name}.")
            current = tx.teacher(account_id) if kind == "teacher" else tx.student(account_id)
            if current is None:
                raise EmailRejected("That account no longer exists; reopen the list.")
            edited = sorted({*current.edited, "email"})
            kept = [name for name in current.kept if name != "email"]  # typed now: an edit, no longer kept
            updated = current.model_copy(
                update={"email": cleaned, "edited": edited, "kept": kept, "updated_at": now_iso()}
            )
            if isinstance(updated, Teacher):
                tx.put_teachers([updated])
            elif isinstance(updated, Student):
                tx.put_students([updated])
        return updated

    def checklist(self) -> Checklist:
        return build_checklist(self.store)

    def cached_checklist(self) -> Checklist | None:
        """The checklist already built for the roster as saved now, or ``None`` (then call
        ``refresh`` and ``checklist``, off the event loop: they read the whole roster)."""
        return cached_checklist(self.store)

    def waiting_for(self, key: StepKey) -> str | None:
        """What must be done before step ``key`` (``service/steps.py``), or ``None``."""
        return missing(key, self.store.site(), self.store.meta())

    # -- sections -------------------------------------------------------------------

    async def fetch_sections(self, on_progress: Progress | None = None) -> SectionData:
        """The connected school's sections (progress counts them), courses and terms."""
        from cleverwizard.sections.build import SectionData

        site = self.require_site(school=True)
        assert site.school_id is not None
        async with self.client() as clever:
            sections = await clever.school_sections(site.school_id, on_progress=on_progress)
            courses = await clever.school_courses(site.school_id)
            terms = await clever.school_terms(site.school_id)
        return SectionData(sections=sections, courses=courses, terms=terms)

    def section_rows(self, data: SectionData) -> list[SectionMatchRow]:
        """A course dropdown per Clever section, saved choices and our suggestions filled in."""
        from cleverwizard.rules.courses import saved_course_choices, suggest_course_matches

        view = self.view()
        return suggest_course_matches(view.courses, data.sections, data.courses, saved_course_choices(view.sections))

    def plan_sections(self, data: SectionData, choices: dict[str, int | None] | None = None) -> SectionPlan:
        """``choices``: Clever section id -> platform course id, or ``None`` for "not in the list"."""
        from cleverwizard.sections.build import plan_sections

        site = self.require_site(school=True)
        assert site.school_id is not None
        return plan_sections(self.view(), data.sections, data.courses, data.terms, site.school_id, choices)

    def apply_sections(self, plan: SectionPlan) -> Run:
        from cleverwizard.sections.apply import apply_sections

        return apply_sections(self.store, plan, started_by=self.started_by)

    def courses(self) -> list[Course]:
        """The platform's course catalogue, by name, as the course dropdown lists it."""
        self.store.refresh()
        return sorted(self.store.courses(), key=lambda course: (course.name.casefold(), course.id))

    # -- daily sync, history and undo -------------------------------------------------

    async def daily_sync(
        self, *, dry_run: bool = False, force: bool = False, full: bool = False, wait: float | None = None
    ) -> SyncReport:
        """Teachers, students and (once the Sections step is done) sections of the connected
        school in one run (see ``sync.daily`` and ``sync.daily_sections``).

        ``wait`` is how long to wait for a sync already running on this data folder before
        giving up with ``SyncAlreadyRunning`` (``None``: ``daily.run.DEFAULT_WAIT``); a held run
        (``report.held``) wrote nothing.
        """
        from cleverwizard.daily.run import DEFAULT_WAIT, run_daily_sync

        site = self.require_site(school=True)
        assert site.school_id is not None
        async with self.client() as clever:
            state = await district_state.read_district(clever, site.district_id)  # one request per run
            report = await run_daily_sync(
                self.store,
                clever,
                site.school_id,
                self.view,
                started_by=self.started_by,
                dry_run=dry_run,
                force=force,
                full=full,
                wait=DEFAULT_WAIT if wait is None else wait,
                notes=district_state.sync_notes(state),
            )
        if not dry_run and not report.held:
            district_state.keep(self.settings.data_dir, state)
        return report

    def history(self, *, problems: bool = True) -> list[Run]:
        """Applied imports, syncs and undos, newest first, as saved on disk now.

        Without their undo journals (``before``/``after`` are empty: only undo reads
        them), and without their problem lists when ``problems`` is false.
        """
        return run_history(self.store, problems=problems)

    def undo(self, run_id: int) -> UndoReport:
        """Revert one run where nothing since depends on it; the report lists what stayed."""
        from cleverwizard.runs.undo import undo_run

        return undo_run(self.store, run_id, started_by=self.started_by)


async def _school_of(clever: CleverClient, school_id: str, district_name: str) -> School:
    """The school ``school_id`` names, or a one-line refusal naming the id and ``schools``."""
    try:
        return await clever.get_school(school_id.strip())
    except CleverNotFound as error:
        raise StepOutOfOrder(
            f"Clever has no school {one_line(school_id.strip())!r} in {one_line(district_name)} "
            "that this app may see: `cleverwizard schools` lists the school ids."
        ) from error


def _with_school(site: Site, school: School) -> Site:
    return site.model_copy(
        update={
            "school_id": school.id,
            "school_name": school.name or school.id,
            "school_grades": school.grade_span,
            "school_selected_at": now_iso(),
        }
    )
