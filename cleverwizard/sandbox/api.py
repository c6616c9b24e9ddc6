"""The sandbox's request handler: answers Clever v3.0 Data and Events API requests.

One handler serves both the in-process ``httpx.MockTransport`` and the loopback HTTP server,
so tests, the demo and benchmarks all see the same behaviour: Clever's envelope, relative
``next``/``prev`` links carrying the version, ``limit`` 100 by default and 413 above 10000,
bearer auth, ``{"message": ...}`` errors and rate-limit headers on every response.

Where Clever is vague, the sandbox chooses:

- ``next`` is present whenever a page is full, so the last page may be empty, as at Clever;
  a ``starting_after`` page carries ``prev`` and an ``ending_before`` page carries ``next``.
- ``/events?starting_after=<id>`` needs ``<id>`` to still be in the log: an id dropped by
  ``SandboxDistrict.expire_events_before`` (or never issued) gets 404
  ``{"message": "Resource not found: event <id> has expired or does not exist"}``, the signal
  to resync from the Data API. ``ending_before=last`` ends at the newest event.
- ``/events?school=<id>`` keeps events whose record names that school (a user's role
  ``school``/``schools``, a section's ``school``, or the school itself).
- Both ``/v3.0`` and ``/v3.1`` are served from the same data; v3.1 students also carry
  ``preferred_name`` (``SandboxDistrict.preferred_names``) and the sensitive fields v3.1
  adds (disability, gifted, 504, FRL, home language), which a client is expected to drop.
- ``GET /oauth/tokens?owner_type=district[&district=ID]`` on the origin (outside the version
  path) answers the district's current token for the district's own app credentials (HTTP
  Basic ``client_id:client_secret``), 401 for any other; ``Faults.rotate_token_after`` rotates it.
- Rate-limit headers report a real per-minute window of 1200 but never refuse on their own;
  only ``Faults.rate_limit_next`` produces 429s.

Lists of ids per query are cached until ``SandboxDistrict.version`` changes (every mutation
method bumps it), so a page costs a bisect and a slice, never a walk over the district.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import threading
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

import httpx

from cleverwizard.sandbox.district import Record, SandboxDistrict
from cleverwizard.sandbox.faults import HTML_ERROR_BODY, Faults

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
RATE_LIMIT = 1200
NOT_FOUND = "Resource not found"
SCHOOL_USER_ROLES = ("teacher", "student", "staff")
USER_ROLES = ("contact", "district_admin", "staff", "student", "teacher")
SECTION_USER_ROLES = ("student", "teacher")
_PAGING = ("limit", "starting_after", "ending_before")
VERSIONS = ("/v3.0", "/v3.1")
"""The Data API versions served side by side; ``next`` links keep the version asked for."""
OAUTH_TOKENS = "/oauth/tokens"
"""Clever's district-token list, served on the origin beside the versioned Data API."""
TOKEN_SCOPES = ("read:district_admins", "read:school_admins", "read:sis", "read:user_id")


class _Reply(Exception):
    """Raised inside routing to answer at once with an error status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _ids(records: dict[str, Record], keep: Callable[[Record], bool] | None = None) -> list[str]:
    return sorted(key for key, record in records.items() if keep is None or keep(record))


def _role_schools(held: Record | None, *, primary: bool = False) -> set[str]:
    if not held:
        return set()
    found = {held["school"]} if held.get("school") else set()
    if not primary or "school" not in held:
        found.update(held.get("schools") or ())
    return found


def _user_schools(user: Record, *, primary: bool = False) -> set[str]:
    found: set[str] = set()
    for held in user["roles"].values():
        found |= _role_schools(held, primary=primary)
    return found


def _record_schools(record: Record) -> set[str]:
    if "roles" in record:
        return _user_schools(record)
    if "school" in record:
        return {record["school"]}
    if "low_grade" in record or "school_number" in record:
        return {record["id"]}
    return set()


def v31_student_fields(user: Record, preferred: Record | None) -> Record:
    """What v3.1 adds to a student role (v3.1.yml ``Student``), derived from the user id so
    every request sees the same: ``preferred_name`` and the sensitive programme fields."""
    digest = hashlib.sha256(user["id"].encode()).digest()
    yes_no = ("N", "N", "N", "Y")
    return {
        "preferred_name": preferred or {"first": None, "middle": None, "last": None},
        "disability": {"disability_status": yes_no[digest[0] % 4], "disability_code": None, "disability_type": None},
        "gifted_status": yes_no[digest[1] % 4],
        "section_504_status": yes_no[digest[2] % 4],
        "frl_status": ("Free", "Reduced", "Paid", "")[digest[3] % 4],
        "home_language": ("Hmong", "Swedish", "por", None)[digest[4] % 4],
        "home_language_code": ("hmn", "swe", "por", None)[digest[4] % 4],
        "iep_status": "",
    }


class _SandboxTransport(httpx.MockTransport):
    """``MockTransport`` whose synchronous side sleeps instead of awaiting the latency."""

    def __init__(self, api: SandboxAPI) -> None:
        super().__init__(api.handle)
        self.api = api

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if self.api.faults.latency > 0:
            time.sleep(self.api.faults.latency)
        return self.api.respond(request)


class SandboxAPI:
    """Answers Clever v3.0 requests from a ``SandboxDistrict``, with optional ``Faults``."""

    def __init__(self, district: SandboxDistrict, faults: Faults | None = None, *, base_path: str = "/v3.0") -> None:
        self.district = district
        self.faults = faults if faults is not None else Faults()
        self.base_path = "/" + base_path.strip("/") if base_path.strip("/") else ""
        self.request_count = 0
        self.path_counts: Counter[str] = Counter()
        self._lock = threading.RLock()
        self._version = -1
        self._lists: dict[tuple[Any, ...], list[str]] = {}
        self._encoded: dict[tuple[bool, str], bytes] = {}
        self._v31 = False
        self._window = (0, 0)

    async def handle(self, request: httpx.Request) -> httpx.Response:
        """The async entry point used by ``httpx.MockTransport``."""
        if self.faults.latency > 0:
            await asyncio.sleep(self.faults.latency)
        return self.respond(request)

    def transport(self) -> httpx.MockTransport:
        """An in-process transport (no sockets, same behaviour) for ``httpx.AsyncClient``,
        and for a plain ``httpx.Client`` too."""
        return _SandboxTransport(self)

    def respond(self, request: httpx.Request) -> httpx.Response:
        """Answer one request synchronously; thread-safe, used directly by the HTTP server."""
        with self._lock:
            path = request.url.path
            self.request_count += 1
            self.path_counts[path] += 1
            status, body, content_type = self._answer(request, path)
            headers = self._rate_headers(status == 429)
            headers["Content-Type"] = content_type
            return httpx.Response(status, headers=headers, content=body, request=request)

    def _answer(self, request: httpx.Request, path: str) -> tuple[int, bytes, str]:
        faults = self.faults
        try:
            if path == OAUTH_TOKENS:
                return 200, _encode(self._tokens(request)), "application/json"
            if faults.revoked:
                raise _Reply(401, "Unauthorized: this token has been revoked")
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or token.strip() != self.district.token:
                raise _Reply(401, "Unauthorized")
            if faults.rate_limit_next > 0:
                faults.rate_limit_next -= 1
                raise _Reply(429, "Too Many Requests")
            if faults.server_error_next > 0:
                faults.server_error_next -= 1
                raise _Reply(faults.server_error_status, HTTPStatus(faults.server_error_status).phrase)
            if faults.html_error_next > 0:
                faults.html_error_next -= 1
                return 500, HTML_ERROR_BODY, "text/html"
            if faults.fail_after_pages is not None and faults.fail_after_pages <= 0:
                raise _Reply(503, "Service Unavailable")
            if request.method != "GET":
                raise _Reply(405, "Method not allowed: the v3.0 API is read-only")
            payload = self._route(request, path)
        except _Reply as reply:
            return reply.status, json.dumps({"message": reply.message}).encode(), "application/json"
        body = payload if isinstance(payload, bytes) else _encode(payload)
        if faults.fail_after_pages is not None:
            faults.fail_after_pages -= 1
        if faults.rotate_token_after is not None:
            faults.rotate_token_after -= 1
            if faults.rotate_token_after <= 0:
                faults.rotate_token_after = None
                self.district.rotate_token()
        marker = faults.malformed_page_at
        if marker is not None and marker in str(request.url.raw_path, "ascii", "replace"):
            body = body[: max(1, len(body) // 2)]
        return 200, body, "application/json"

    def _tokens(self, request: httpx.Request) -> Record:
        """``GET /oauth/tokens``: the sandbox app's district token, for its own credentials only.

        The entry has the shape Clever's docs give: ``id``, ``created``, ``owner {type, id}``,
        ``access_token`` and ``scopes``. ``district=`` another id answers an empty list.
        """
        d = self.district
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        try:
            given = base64.b64decode(encoded.strip(), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            given = ""
        if scheme.lower() != "basic" or not d.client_id or given != f"{d.client_id}:{d.client_secret}":
            raise _Reply(401, "invalid_client: the client id or secret is wrong")
        if request.method != "GET":
            raise _Reply(405, "Method not allowed")
        params = request.url.params
        if params.get("owner_type") != "district":
            raise _Reply(400, "owner_type must be 'district'")
        wanted = params.get("district")
        if wanted is not None and wanted != d.district_id:
            return {"data": []}
        entry = {
            "id": hashlib.sha256(f"sandbox-token-entry:{d.seed}:{d.rotations}".encode()).hexdigest()[:24],
            "created": d.district.get("created") or "2025-07-01T08:00:00.000Z",
            "owner": {"type": "district", "id": d.district_id},
            "access_token": d.token,
            "scopes": list(TOKEN_SCOPES),
        }
        return {"data": [entry]}

    def _rate_headers(self, limited: bool) -> dict[str, str]:
        now = time.time()
        minute = int(now) // 60 * 60
        start, count = self._window
        self._window = (minute, 1) if start != minute else (start, count + 1)
        reset = int(now) + 2 if limited else minute + 60
        remaining = 0 if limited else max(0, RATE_LIMIT - self._window[1])
        return {
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(reset),
            "X-RateLimit-Bucket": "all",
        }

    def _cached(self, key: tuple[Any, ...], build: Callable[[], list[str]]) -> list[str]:
        if key not in self._lists:
            self._lists[key] = build()
        return self._lists[key]

    def _route(self, request: httpx.Request, path: str) -> Record | bytes:
        prefixes = VERSIONS if self.base_path in VERSIONS else (self.base_path,)
        prefix = next((p for p in prefixes if not p or path == p or path.startswith(p + "/")), None)
        if prefix is None:
            raise _Reply(404, NOT_FOUND)
        self._v31 = prefix == "/v3.1"
        if self._version != self.district.version:
            self._lists.clear()
            self._encoded.clear()
            self._version = self.district.version
        parts = [part for part in path[len(prefix) :].split("/") if part]
        if not parts:
            raise _Reply(404, NOT_FOUND)
        d = self.district
        params = request.url.params
        head, rest = parts[0], parts[1:]
        stores: dict[str, dict[str, Record]] = {
            "schools": d.schools,
            "users": d.users,
            "sections": d.sections,
            "courses": d.courses,
            "terms": d.terms,
        }
        if head == "me" and not rest:
            return self._single(request, {"id": d.district_id, "district": d.district_id, "type": "district"})
        if head == "districts":
            if not rest:
                return self._page(request, [d.district_id], lambda _: d.district)
            if len(rest) == 1 and rest[0] == d.district_id:
                return self._single(request, d.district)
            raise _Reply(404, NOT_FOUND)
        if head == "events":
            return self._events(request, rest)
        store = stores.get(head)
        if store is None:
            raise _Reply(404, NOT_FOUND)
        if not rest:
            return self._page(request, self._top_level(head, params), store.__getitem__)
        record = store.get(rest[0])
        if record is None:
            raise _Reply(404, NOT_FOUND)
        if len(rest) == 1:
            return self._single(request, record)
        if len(rest) == 2:
            return self._nested(request, head, record, rest[1], stores)
        raise _Reply(404, NOT_FOUND)

    def _top_level(self, head: str, params: httpx.QueryParams) -> list[str]:
        store = getattr(self.district, head)
        if head != "users":
            return self._cached((head,), lambda: _ids(store))
        role = params.get("role") or None
        if role is not None and role not in USER_ROLES:
            raise _Reply(400, f"invalid role {role!r}: expected one of {', '.join(USER_ROLES)}")
        keep = None if role is None else (lambda user: bool(user["roles"].get(role)))
        return self._cached(("users", role), lambda: _ids(store, keep))

    def _nested(
        self, request: httpx.Request, head: str, record: Record, child: str, stores: dict[str, dict[str, Record]]
    ) -> Record | bytes:
        d, params, rid = self.district, request.url.params, record["id"]
        single = {"school": "schools", "course": "courses", "term": "terms"}
        if head == "sections" and child in (*single, "district"):
            if child == "district":
                return self._single(request, d.district)
            target_id = record.get("term_id" if child == "term" else child)
            target = stores[single[child]].get(target_id or "")
            if target is None:
                raise _Reply(404, NOT_FOUND)
            return self._single(request, target)
        if head == "schools" and child == "users":
            role = params.get("role") or None
            if role is not None and role not in SCHOOL_USER_ROLES:
                raise _Reply(400, f"invalid role {role!r}: expected one of {', '.join(SCHOOL_USER_ROLES)}")
            primary = params.get("primary") == "true"
            roles = (role,) if role else SCHOOL_USER_ROLES
            ids = self._cached(
                ("school_users", rid, role, primary),
                lambda: _ids(
                    d.users, lambda u: any(rid in _role_schools(u["roles"].get(r), primary=primary) for r in roles)
                ),
            )
            return self._page(request, ids, d.users.__getitem__)
        if child == "sections" and head in ("schools", "users", "courses", "terms"):
            field = {"schools": "school", "courses": "course", "terms": "term_id"}.get(head)
            keep: Callable[[Record], bool] = (
                (lambda s: rid in s["students"] or rid in s["teachers"])
                if field is None
                else (lambda s: s.get(field) == rid)
            )
            ids = self._cached((head, rid, "sections"), lambda: _ids(d.sections, keep))
            return self._page(request, ids, d.sections.__getitem__)
        if head == "schools" and child in ("courses", "terms"):
            link = "course" if child == "courses" else "term_id"
            ids = self._cached(
                ("schools", rid, child),
                lambda: sorted(
                    {s[link] for s in d.sections.values() if s["school"] == rid and s.get(link) in stores[child]}
                ),
            )
            return self._page(request, ids, stores[child].__getitem__)
        if head == "sections" and child == "users":
            role = params.get("role") or None
            if role is not None and role not in SECTION_USER_ROLES:
                raise _Reply(400, f"invalid role {role!r}: expected student or teacher")
            members = set(record["students"] if role != "teacher" else ()) | set(
                record["teachers"] if role != "student" else ()
            )
            return self._page(request, sorted(m for m in members if m in d.users), d.users.__getitem__)
        if head == "users" and child == "schools":
            primary = params.get("primary") == "true"
            ids = sorted(s for s in _user_schools(record, primary=primary) if s in d.schools)
            return self._page(request, ids, d.schools.__getitem__)
        raise _Reply(404, NOT_FOUND)

    def _events(self, request: httpx.Request, rest: list[str]) -> Record | bytes:
        d = self.district
        by_id = {event["id"]: event for event in d.events} if rest else {}
        if rest:
            if len(rest) != 1 or rest[0] not in by_id:
                raise _Reply(404, NOT_FOUND)
            return self._single(request, by_id[rest[0]])
        params = request.url.params
        all_ids = self._cached(("events",), lambda: [event["id"] for event in d.events])
        after = params.get("starting_after")
        if after is not None:
            at = bisect_left(all_ids, after)
            if at == len(all_ids) or all_ids[at] != after:
                raise _Reply(404, f"{NOT_FOUND}: event {after} has expired or does not exist")
        types = tuple(sorted(set(params.get_list("record_type"))))
        school = params.get("school") or None
        if not types and school is None:
            ids = all_ids
        else:
            ids = self._cached(
                ("events", types, school),
                lambda: [
                    event["id"]
                    for event in d.events
                    if (not types or event["type"].split(".", 1)[0] in types)
                    and (school is None or school in _record_schools(event["data"]["object"]))
                ],
            )
        events = {event["id"]: event for event in d.events} if ids else {}
        return self._page(request, ids, events.__getitem__)

    def _single(self, request: httpx.Request, record: Record) -> Record:
        return {"data": self._shaped(record), "links": [{"rel": "self", "uri": self._self_uri(request)}]}

    def _shaped(self, record: Record) -> Record:
        """The record as the version asked for has it: v3.1 students carry ``preferred_name``
        and the sensitive fields v3.1 adds (which a client must drop)."""
        if not self._v31:
            return record
        student = (record.get("roles") or {}).get("student") if isinstance(record.get("roles"), dict) else None
        if not student:
            return record
        extra = v31_student_fields(record, self.district.preferred_names.get(record["id"]))
        return {**record, "roles": {**record["roles"], "student": {**student, **extra}}}

    @staticmethod
    def _self_uri(request: httpx.Request) -> str:
        return request.url.raw_path.decode("ascii", "replace")

    def _limit(self, params: httpx.QueryParams) -> int:
        raw = params.get("limit")
        if raw is None or raw == "":
            return DEFAULT_LIMIT
        try:
            limit = int(raw)
        except ValueError:
            raise _Reply(400, f"limit must be an integer, got {raw!r}") from None
        if limit > MAX_LIMIT:
            raise _Reply(413, f"limit must be at most {MAX_LIMIT}")
        if limit < 1:
            raise _Reply(400, "limit must be at least 1")
        return limit

    def _page(self, request: httpx.Request, ids: list[str], fetch: Callable[[str], Record]) -> bytes:
        """One page of ``ids`` in Clever's envelope, each record encoded once per district version."""
        params = request.url.params
        limit = self._limit(params)
        after, before = params.get("starting_after"), params.get("ending_before")
        if after is not None and before is not None:
            raise _Reply(400, "starting_after and ending_before cannot be used together")
        kept = [(key, value) for key, value in params.multi_items() if key not in _PAGING]

        def link(rel: str, cursor: str, value: str) -> dict[str, str]:
            query = urlencode([*kept, (cursor, value), ("limit", str(limit))])
            return {"rel": rel, "uri": f"{request.url.path}?{query}"}

        links = [{"rel": "self", "uri": self._self_uri(request)}]
        if before is not None:
            end = len(ids) if before == "last" else bisect_left(ids, before)
            page = ids[max(0, end - limit) : end]
            if len(page) == limit:
                links.append(link("prev", "ending_before", page[0]))
            if page:
                links.append(link("next", "starting_after", page[-1]))
        else:
            start = bisect_right(ids, after) if after is not None else 0
            page = ids[start : start + limit]
            if len(page) == limit:
                links.append(link("next", "starting_after", page[-1]))
            if after is not None and page:
                links.append(link("prev", "ending_before", page[0]))
        encoded, v31 = self._encoded, self._v31
        for key in page:
            if (v31, key) not in encoded:
                encoded[v31, key] = b'{"data":' + _encode(self._shaped(fetch(key))) + b"}"
        return b'{"data":[' + b",".join(encoded[v31, key] for key in page) + b'],"links":' + _encode(links) + b"}"
