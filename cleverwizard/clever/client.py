"""Async client for the Clever v3.0 Data API, read-only, for a district roster sync.

Every call goes through one retry driver (attempts.py) that waits out rate limits, retries
server and network failures a bounded number of times, and turns everything else into a typed
:class:`~cleverwizard.clever.errors.CleverError` an administrator can act on. Lists are
read page by page by following Clever's ``next`` links (CONTRACT.md §5), and each record
is validated so bad data is reported by record id instead of surfacing later as a
confusing sync result.

The district token is a password to a whole district's roster: it is only ever sent in
the ``Authorization`` header, and it is kept out of ``repr``, errors and logs.
"""

from __future__ import annotations

import functools
import logging
import ssl
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Final, Self, TypeVar, cast
from urllib.parse import quote

import httpx

from cleverwizard.bulk import paused_gc

from .answers import Answer, json_object, list_items, next_uri, read_answer, refuse_oversized, size_text, validate
from .attempts import answer_with_retries, reached_server
from .decode import CleverUser, RosterUser, decode_users_page, roster_user
from .errors import (
    CleverDataError,
    CleverError,
    CleverNetworkError,
    CleverNotFound,
    CleverStalled,
    CleverTooMuch,
    mask_secrets,
)
from .limits import Limits
from .models import CleverModel, Course, District, Event, School, Section, Term, User
from .retry import RetryPolicy

DEFAULT_BASE_URL: Final = "https://api.clever.com/v3.0"
MAX_PAGE_LIMIT: Final = 10_000
DEFAULT_PAGE_LIMIT: Final = 1000

M = TypeVar("M", bound=CleverModel | RosterUser)
V = TypeVar("V", bound=CleverModel)
Progress = Callable[[int], None]
QueryParams = Mapping[str, str | int | Sequence[str]]


class TokenMaskFilter(logging.Filter):
    """Rewrites log records so ``Bearer <token>`` never reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


logger = logging.getLogger(__name__)
logger.addFilter(TokenMaskFilter())
# Retry notices are progress for whoever configures logging, never stray lines on a
# terminal: without a handler, Python's last-resort handler would print every warning to
# stderr, beside the one line a failed command is allowed.
logger.addHandler(logging.NullHandler())


class _Secret:
    """Holds the token so that printing the holder can never print the token."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<secret>"


class CleverClient:
    """A Clever district-token session; use ``async with`` or call :meth:`aclose`.

    ``token`` is a fixed district token; ``auth`` (``clever.oauth.DistrictTokenAuth``) instead
    fetches the district's token with the app's credentials and again when it rotates.
    """

    def __init__(
        self,
        token: str | None,
        base_url: str = DEFAULT_BASE_URL,
        *,
        auth: httpx.Auth | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        page_limit: int = DEFAULT_PAGE_LIMIT,
        retry: RetryPolicy | None = None,
        limits: Limits | None = None,
    ) -> None:
        if auth is None and (not token or not token.strip()):
            raise ValueError("a Clever district token (or an auth that fetches one) is required")
        if isinstance(page_limit, bool) or not 1 <= page_limit <= MAX_PAGE_LIMIT:
            raise ValueError(f"page_limit must be between 1 and {MAX_PAGE_LIMIT}")
        self._token = _Secret((token or "").strip())
        self._base_url = base_url.rstrip("/")
        self._base = httpx.URL(self._base_url + "/")
        if self._base.scheme not in ("http", "https") or not self._base.host:
            raise ValueError("base_url must be an http(s) URL")
        self.page_limit = page_limit
        self.retry = retry or RetryPolicy()
        self.limits = limits or Limits()
        self._http = httpx.AsyncClient(
            transport=transport,
            verify=_tls_context() if transport is None else True,
            timeout=self.limits.read_timeout,
            follow_redirects=False,
            auth=auth,
            headers={"Authorization": f"Bearer {self._token.reveal()}"} if auth is None else {},
        )
        self._http.headers["Accept"] = "application/json"

    @property
    def base_url(self) -> str:
        return self._base_url

    def __repr__(self) -> str:
        return f"CleverClient(base_url={self._base_url!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def district(self) -> District:
        """The one district this token belongs to (``/districts`` lists only that one)."""
        payload = await self._get_json(self._url("/districts"))
        items = list_items(payload, "the district list")
        if not items:
            raise CleverNotFound(
                "Clever lists no district for this token: check in the Clever dashboard "
                "that the app is connected to the district, then connect again."
            )
        return validate(District, items[0], "the district list")

    async def get_district(self, district_id: str) -> District:
        return await self._get_one(f"/districts/{_seg(district_id)}", District)

    async def schools(self, on_progress: Progress | None = None) -> list[School]:
        return await self._collect("/schools", {}, School, on_progress)

    async def get_school(self, school_id: str) -> School:
        return await self._get_one(f"/schools/{_seg(school_id)}", School)

    async def school_teachers(self, school_id: str, on_progress: Progress | None = None) -> list[CleverUser]:
        """Teachers of a school, including those linked only through enrollments.

        Decoded like students (``school_students``): only the fields the platform uses.
        """
        path = f"/schools/{_seg(school_id)}/users"
        return list[CleverUser](await self._collect(path, {"role": "teacher"}, RosterUser, on_progress))

    async def school_students(self, school_id: str, on_progress: Progress | None = None) -> list[CleverUser]:
        """Students of a school, including those linked only through enrollments.

        A school's people are the bulk of every import, so they are decoded fast and keep
        only the fields the platform uses (``clever.decode``); a page the fast decoder cannot
        vouch for is read through the ``User`` model, whose errors name the record and field.
        """
        path = f"/schools/{_seg(school_id)}/users"
        return list[CleverUser](await self._collect(path, {"role": "student"}, RosterUser, on_progress))

    async def school_sections(self, school_id: str, on_progress: Progress | None = None) -> list[Section]:
        path = f"/schools/{_seg(school_id)}/sections"
        return await self._collect(path, {}, Section, on_progress)

    async def get_section(self, section_id: str) -> Section:
        """One section by id (``CleverNotFound`` once it is deleted): a daily sync re-reads the
        few sections whose people changed instead of the school's whole list."""
        return await self._get_one(f"/sections/{_seg(section_id)}", Section)

    async def school_courses(self, school_id: str) -> list[Course]:
        return await self._collect(f"/schools/{_seg(school_id)}/courses", {}, Course, None)

    async def school_terms(self, school_id: str) -> list[Term]:
        return await self._collect(f"/schools/{_seg(school_id)}/terms", {}, Term, None)

    async def events(
        self,
        starting_after: str | None = None,
        *,
        school: str | None = None,
        record_types: Sequence[str] = (),
        on_progress: Progress | None = None,
    ) -> list[Event]:
        """Events after ``starting_after`` (an event id), oldest first.

        ``record_types`` (e.g. ``("users", "sections")``) is sent as a repeated
        ``record_type`` parameter, as the events spec defines it.
        """
        params: dict[str, str | Sequence[str]] = {}
        if starting_after:
            params["starting_after"] = starting_after
        if school:
            params["school"] = school
        if record_types:
            params["record_type"] = list(record_types)
        return await self._collect("/events", params, Event, on_progress)

    async def latest_event_id(self) -> str | None:
        """Id of the newest event, saved before a full sync so polling resumes from it.

        ``None`` when the district has no events yet (or events are not enabled, which
        Clever may report as 404).
        """
        url = self._url("/events").copy_merge_params({"ending_before": "last", "limit": 1})
        try:
            payload = await self._get_json(url, "the newest event")
        except CleverNotFound:
            return None
        items = list_items(payload, "the newest event", most=1)
        if not items:
            return None
        return validate(Event, items[-1], "the newest event").id

    async def iter_pages(self, path: str, params: QueryParams | None, model: type[M]) -> AsyncIterator[list[M]]:
        """Yield each non-empty page of a Clever list as validated records.

        Follows ``rel: next`` links, resolved against the base URL's origin because they
        already include the version prefix. Stops when there is no next link or a page is
        empty. A next link that leaves the API or repeats an earlier URL is refused rather
        than followed: the first could leak the token, the second would never end. A page
        with more records than asked for, and a list past ``Limits``' pages or bytes, is
        refused as ``CleverTooMuch``.
        """
        query: dict[str, Any] = dict(params or {})
        query.setdefault("limit", self.page_limit)
        limit = int(query["limit"])
        url = self._url(path).copy_merge_params(query)
        max_pages = self.limits.max_pages(limit)
        seen: set[str] = set()
        number = received = 0
        while True:
            number += 1
            seen.add(str(url))
            where = f"page {number} of {path}"
            answer = await self._send(url, where)
            received += len(answer.body)
            if received > self.limits.max_list_bytes:
                raise CleverTooMuch.about(path, f"more than {size_text(self.limits.max_list_bytes)} in one list")
            with paused_gc():  # a page is thousands of records; see cleverwizard.bulk
                page, payload = _read_page(model, answer, where, limit)
            if not page:
                return
            yield page
            link = next_uri(payload, where)
            if link is None:
                return
            if number >= max_pages:
                problem = f"still more pages after {number} pages of up to {limit} records"
                raise CleverTooMuch.about(path, problem)
            url = self._resolve_next(link, where, limit)
            if str(url) in seen:
                raise CleverDataError.about(where, "the next-page link repeats an earlier page")

    async def _collect(self, path: str, params: QueryParams, model: type[M], on_progress: Progress | None) -> list[M]:
        """The whole list, one record per Clever id.

        A record Clever sends again (on a later page, or changed between pages, as when a
        student moves school mid-read) replaces the earlier copy in its place: two copies of
        one id would otherwise become two accounts for one person.
        """
        records: dict[str, M] = {}
        async for page in self.iter_pages(path, params, model):
            for record in page:
                records[getattr(record, "id")] = record  # noqa: B009 - every listed model has an id
            if on_progress is not None:
                on_progress(len(records))
        return list(records.values())

    async def _get_one(self, path: str, model: type[V]) -> V:
        payload = await self._get_json(self._url(path), path)
        record = payload.get("data")
        if not isinstance(record, dict):
            raise CleverDataError.about(path, "the answer has no record in 'data'")
        return validate(model, record, path)

    def _url(self, path: str) -> httpx.URL:
        return httpx.URL(self._base_url + "/" + path.lstrip("/"))

    def _resolve_next(self, uri: str, where: str, limit: int) -> httpx.URL:
        """The next page's URL, on Clever's own origin and asking for the same ``limit``."""
        try:
            url = self._base.join(uri)
        except httpx.InvalidURL:
            raise CleverDataError.about(where, "the next-page link is not a URL") from None
        if (url.scheme, url.host, url.port) != (
            self._base.scheme,
            self._base.host,
            self._base.port,
        ):
            raise CleverDataError.about(where, "the next-page link points outside Clever's API")
        if url.params.get("limit") != str(limit):
            url = url.copy_set_param("limit", limit)
        return url

    async def _get_json(self, url: httpx.URL, where: str | None = None) -> dict[str, Any]:
        where = where or url.path
        return json_object(await self._send(url, where), where)

    async def _send(self, url: httpx.URL, where: str) -> Answer:
        """GET ``url``, waiting out 429s and retrying 5xx/network failures within the policy.

        A failure to connect is "cannot reach Clever"; a connection that went quiet or broke
        off is "Clever stopped answering", and so is an answer not complete at the deadline
        (not retried: a server that trickles would trickle again).
        """

        def gave_up(exc: httpx.TransportError, stalls: int) -> CleverError:
            if reached_server(exc):
                return CleverStalled.during(where, self._stall_problem(exc, stalls))
            return CleverNetworkError.for_host(self._base.host)

        return await answer_with_retries(
            lambda: self._read(url, where),
            self.retry,
            path=url.path,
            secrets=tuple(filter(None, (self._token.reveal(),))),
            gave_up=gave_up,
            log=logger,
        )

    async def _read(self, url: httpx.URL, where: str) -> Answer:
        """One try: the whole answer within the deadline and the size cap, or an error."""
        return await read_answer(self._http, url, self.limits, where)

    def _stall_problem(self, exc: httpx.TransportError, stalls: int) -> str:
        """How the last try stalled, and how many tries did."""
        if isinstance(exc, httpx.TimeoutException):
            what = f"nothing sent for {self.limits.read_timeout:g} seconds"
        else:
            what = "the connection broke off before the answer was complete"
        return what if stalls == 1 else f"{what}; {stalls} tries stalled"


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The TLS settings every client of this process shares.

    Loading the CA bundle costs ~80 ms, and the wizard opens a client per step (connect,
    schools, teachers, students), so it is loaded once, as httpx would load it by default.
    """
    return httpx.create_ssl_context()


def _seg(value: str) -> str:
    """Quote an id for use as one path segment, so it can never change the path."""
    return quote(value, safe="")


def _read_page(model: type[M], answer: Answer, where: str, limit: int) -> tuple[list[M], Mapping[str, Any]]:
    """One page's records (never more than ``limit``) and the page itself (for its links).

    ``RosterUser`` pages take the fast decoder; a page it cannot vouch for is read the
    fully checked way, so its errors name the page, the record and the field as before.
    """
    if issubclass(model, RosterUser):
        fast = decode_users_page(answer.body)
        if fast is not None:
            refuse_oversized(len(fast[0]), limit, where)
            return cast("list[M]", fast[0]), fast[1]
        payload = json_object(answer, where)
        users = [roster_user(validate(User, item, where)) for item in list_items(payload, where, most=limit)]
        return cast("list[M]", users), payload
    payload = json_object(answer, where)
    return [validate(model, item, where) for item in list_items(payload, where, most=limit)], payload


__all__ = ["DEFAULT_BASE_URL", "DEFAULT_PAGE_LIMIT", "MAX_PAGE_LIMIT", "CleverClient", "TokenMaskFilter"]
