"""Async client for the Clever v3.0 Data API, read-only, for a district roster sync.

Every call goes through one loop that waits out rate limits, retries server and network
failures a bounded number of times, and turns everything else into a typed
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
from pydantic import ValidationError

from cleverwizard.bulk import paused_gc

from .decode import CleverUser, RosterUser, decode_users_page, roster_user
from .errors import (
    CleverDataError,
    CleverNetworkError,
    CleverNotFound,
    CleverRateLimited,
    CleverUnavailable,
    detail_from_body,
    error_for_status,
    mask_secrets,
)
from .models import CleverModel, Course, District, Event, School, Section, Term, User
from .retry import RETRYABLE_STATUSES, RetryPolicy, is_retryable_exception

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
        timeout: float = 30.0,
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
        self._http = httpx.AsyncClient(
            transport=transport,
            verify=_tls_context() if transport is None else True,
            timeout=timeout,
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
        items = _list_items(payload, "the district list")
        if not items:
            raise CleverNotFound(
                "Clever lists no district for this token: check in the Clever dashboard "
                "that the app is connected to the district, then connect again."
            )
        return _validate(District, items[0], "the district list")

    async def get_district(self, district_id: str) -> District:
        return await self._get_one(f"/districts/{_seg(district_id)}", District)

    async def schools(self, on_progress: Progress | None = None) -> list[School]:
        return await self._collect("/schools", {}, School, on_progress)

    async def get_school(self, school_id: str) -> School:
        return await self._get_one(f"/schools/{_seg(school_id)}", School)

    async def school_teachers(self, school_id: str, on_progress: Progress | None = None) -> list[User]:
        """Teachers of a school, including those linked only through enrollments."""
        path = f"/schools/{_seg(school_id)}/users"
        return await self._collect(path, {"role": "teacher"}, User, on_progress)

    async def school_students(self, school_id: str, on_progress: Progress | None = None) -> list[CleverUser]:
        """Students of a school, including those linked only through enrollments.

        A school's students are the bulk of every import, so they are decoded fast and
        keep only the fields the platform uses (``clever.decode``); teachers, a few hundred
        at most, stay full ``User`` records.
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
            payload = await self._get_json(url)
        except CleverNotFound:
            return None
        items = _list_items(payload, "the newest event")
        if not items:
            return None
        return _validate(Event, items[-1], "the newest event").id

    async def iter_pages(self, path: str, params: QueryParams | None, model: type[M]) -> AsyncIterator[list[M]]:
        """Yield each non-empty page of a Clever list as validated records.

        Follows ``rel: next`` links, resolved against the base URL's origin because they
        already include the version prefix. Stops when there is no next link or a page is
        empty. A next link that leaves the API or repeats an earlier URL is refused rather
        than followed: the first could leak the token, the second would never end.
        """
        query: dict[str, Any] = dict(params or {})
        query.setdefault("limit", self.page_limit)
        url = self._url(path).copy_merge_params(query)
        seen: set[str] = set()
        number = 0
        while True:
            number += 1
            seen.add(str(url))
            where = f"page {number} of {path}"
            response = await self._send(url)
            with paused_gc():  # a page is thousands of records; see cleverwizard.bulk
                page, payload = _read_page(model, response, where)
            if not page:
                return
            yield page
            next_uri = _next_uri(payload, where)
            if next_uri is None:
                return
            url = self._resolve_next(next_uri, where)
            if str(url) in seen:
                raise CleverDataError.about(where, "the next-page link repeats an earlier page")

    async def _collect(self, path: str, params: QueryParams, model: type[M], on_progress: Progress | None) -> list[M]:
        records: list[M] = []
        async for page in self.iter_pages(path, params, model):
            records.extend(page)
            if on_progress is not None:
                on_progress(len(records))
        return records

    async def _get_one(self, path: str, model: type[V]) -> V:
        payload = await self._get_json(self._url(path), path)
        record = payload.get("data")
        if not isinstance(record, dict):
            raise CleverDataError.about(path, "the answer has no record in 'data'")
        return _validate(model, record, path)

    def _url(self, path: str) -> httpx.URL:
        return httpx.URL(self._base_url + "/" + path.lstrip("/"))

    def _resolve_next(self, uri: str, where: str) -> httpx.URL:
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
        if "limit" not in url.params:
            url = url.copy_add_param("limit", self.page_limit)
        return url

    async def _get_json(self, url: httpx.URL, where: str | None = None) -> dict[str, Any]:
        response = await self._send(url)
        return _json_object(response, where or url.path)

    async def _send(self, url: httpx.URL) -> httpx.Response:
        """GET ``url``, waiting out 429s and retrying 5xx/network failures within the policy."""
        policy = self.retry
        secrets = tuple(filter(None, (self._token.reveal(),)))
        failures = rate_limited = 0
        waited = 0.0
        while True:
            try:
                response = await self._http.get(url)
            except httpx.TransportError as exc:
                failures += 1
                if not is_retryable_exception(exc) or failures >= policy.max_attempts:
                    raise CleverNetworkError.for_host(self._base.host) from exc
                problem = type(exc).__name__
            else:
                status = response.status_code
                if 200 <= status < 300:
                    logger.debug("GET %s -> %d", url.path, status)
                    return response
                if status == 429:
                    rate_limited += 1
                    delay = policy.rate_limit_delay(response.headers, rate_limited)
                    if waited + delay > policy.max_rate_limit_wait:
                        detail = detail_from_body(response.content)
                        raise CleverRateLimited.after_waiting(waited, detail, secrets=secrets)
                    logger.info("Clever rate limit reached; waiting %.1fs", delay)
                    waited += delay
                    await policy.sleep(delay)
                    continue
                if status not in RETRYABLE_STATUSES:
                    raise error_for_status(status, response.content, secrets=secrets)
                failures += 1
                if failures >= policy.max_attempts:
                    detail = detail_from_body(response.content)
                    raise CleverUnavailable.after_attempts(status, failures, detail, secrets=secrets)
                problem = f"error {status}"
            delay = policy.backoff_delay(failures)
            retries = policy.max_attempts - 1
            message = "Clever request to %s failed (%s); retry %d of %d in %.1fs"
            logger.warning(message, url.path, problem, failures, retries, delay)
            await policy.sleep(delay)


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


def _looks_like_html(response: httpx.Response) -> bool:
    if "html" in response.headers.get("content-type", "").lower():
        return True
    return response.content.lstrip()[:1] == b"<"


def _json_object(response: httpx.Response, where: str) -> dict[str, Any]:
    """The answer's JSON object, or a ``CleverDataError`` saying what came instead."""
    try:
        payload = response.json()
    except (ValueError, UnicodeDecodeError):
        kind = "a web page" if _looks_like_html(response) else "not JSON"
        raise CleverDataError.about(where, f"the answer was {kind}") from None
    if not isinstance(payload, dict):
        raise CleverDataError.about(where, "the answer is not a JSON object")
    return payload


def _list_items(payload: Mapping[str, Any], where: str) -> list[dict[str, Any]]:
    """The records of a list answer, unwrapped from their ``{"data": {...}}`` envelopes."""
    if "data" not in payload:
        raise CleverDataError.about(where, "the answer has no 'data'")
    data = payload["data"]
    if not isinstance(data, list):
        raise CleverDataError.about(where, "'data' is not a list")
    records: list[dict[str, Any]] = []
    for index, item in enumerate(data, start=1):
        record = item.get("data") if isinstance(item, dict) else None
        if not isinstance(record, dict):
            raise CleverDataError.about(where, f"item {index} is not a wrapped record")
        records.append(record)
    return records


def _next_uri(payload: Mapping[str, Any], where: str) -> str | None:
    links = payload.get("links")
    if links is None:
        return None
    if not isinstance(links, list):
        raise CleverDataError.about(where, "'links' is not a list")
    for link in links:
        if isinstance(link, dict) and link.get("rel") == "next":
            uri = link.get("uri")
            if not isinstance(uri, str) or not uri.strip():
                raise CleverDataError.about(where, "the next-page link has no address")
            return uri.strip()
    return None


def _read_page(model: type[M], response: httpx.Response, where: str) -> tuple[list[M], Mapping[str, Any]]:
    """One page's records and the page itself (for its links).

    ``RosterUser`` pages take the fast decoder; a page it cannot vouch for is read the
    fully checked way, so its errors name the page, the record and the field as before.
    """
    if issubclass(model, RosterUser):
        fast = decode_users_page(response.content)
        if fast is not None:
            return cast("list[M]", fast[0]), fast[1]
        payload = _json_object(response, where)
        users = [roster_user(_validate(User, item, where)) for item in _list_items(payload, where)]
        return cast("list[M]", users), payload
    payload = _json_object(response, where)
    return [_validate(model, item, where) for item in _list_items(payload, where)], payload


def _validate(model: type[V], record: dict[str, Any], where: str) -> V:
    """Parse one record, naming it (by id when it has one) if Clever sent something odd."""
    try:
        return model.model_validate(record)
    except ValidationError as exc:
        record_id = record.get("id")
        name = f"record {record_id}" if isinstance(record_id, str) and record_id else "a record"
        first = exc.errors(include_url=False, include_input=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or "record"
        problem = f"{model.__name__} {name}, field '{field}': {first['msg']}"
        raise CleverDataError.about(where, problem) from None


__all__ = ["DEFAULT_BASE_URL", "DEFAULT_PAGE_LIMIT", "MAX_PAGE_LIMIT", "CleverClient", "TokenMaskFilter"]
