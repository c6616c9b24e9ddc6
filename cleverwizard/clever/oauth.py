"""A Clever app's own credentials, and the district tokens Clever gives for them.

A real app holds one client id and secret; Clever hands out each connected district's
token from ``GET {oauth}/oauth/tokens?owner_type=district[&district=ID]`` (HTTP Basic
``client_id:client_secret``, CONTRACT.md §2). Tokens rotate, so they are kept in memory only
(:class:`AppTokens`) and fetched again when Clever answers 401 (:class:`DistrictTokenAuth`,
which the Data API client uses instead of a fixed token). Nothing here ever writes a file.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

import httpx

from .answers import Answer, json_object, read_answer
from .attempts import answer_with_retries
from .errors import (
    CleverAuthError,
    CleverDataError,
    CleverError,
    CleverNetworkError,
    CleverNotFound,
    detail_from_body,
)
from .limits import Limits
from .retry import RetryPolicy

DEFAULT_OAUTH_URL: Final = "https://clever.com"


TOKENS: Final = "the app's district tokens"
"""What a failed tokens request is about, in its one-line message."""


class AppCredentials(Protocol):
    """The platform's Clever app (``config.AppCredentials``): client id and secret."""

    @property
    def client_id(self) -> str: ...

    @property
    def client_secret(self) -> str: ...


@dataclass(frozen=True)
class DistrictToken:
    """One district connected to the app, with the token Clever gave for it."""

    district_id: str
    access_token: str = field(repr=False)
    scopes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"DistrictToken(district_id={self.district_id!r})"


class AppCredentialsRefused(CleverAuthError):
    """Clever said no to the app's client id or secret (a 401 from the tokens endpoint)."""

    default_message = (
        "Clever refused the app's client id or secret: check CLEVER_CLIENT_ID and "
        "CLEVER_CLIENT_SECRET with whoever runs the platform's Clever app."
    )


class DistrictNotConnected(CleverNotFound):
    """The tokens endpoint has no token for the district: it has not connected to the app."""


class AppTokens:
    """The app's district tokens, asked of Clever when needed and kept in this process only.

    One instance serves every step of a command or of the wizard, so a token is fetched once
    and again only when Clever refused it (``fresh=True``). Safe to share between threads.
    """

    def __init__(
        self,
        credentials: AppCredentials,
        oauth_url: str = DEFAULT_OAUTH_URL,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        limits: Limits | None = None,
    ) -> None:
        """``limits`` bound each tokens request as they bound the Data API's (deadline, size)."""
        self.credentials = credentials
        self.oauth_url = oauth_url.rstrip("/")
        self._transport = transport
        self.retry = retry or RetryPolicy()
        self.limits = limits or Limits()
        self._lock = threading.Lock()
        self._tokens: dict[str, str] = {}
        self.fetches = 0
        """How many times Clever was asked for tokens (tests prove rotation refetches once)."""

    def __repr__(self) -> str:
        return f"AppTokens(oauth_url={self.oauth_url!r}, client_id={self.credentials.client_id!r})"

    async def token(self, district_id: str, *, fresh: bool = False) -> str:
        """The district's token: the one in memory, or (``fresh``, or none yet) Clever's."""
        if not fresh:
            with self._lock:
                known = self._tokens.get(district_id)
            if known is not None:
                return known
        found = [entry for entry in await self.district_tokens(district_id) if entry.district_id == district_id]
        if not found:
            raise DistrictNotConnected(
                f"Clever has no district {district_id!r} connected to this app: check the district id "
                "(`cleverwizard districts` lists the connected ones), or ask the district to add the app "
                "in its Clever dashboard."
            )
        with self._lock:
            self._tokens[district_id] = found[0].access_token
        return found[0].access_token

    def forget(self, district_id: str, token: str) -> None:
        """Drop ``token`` if it is still the one kept for the district (Clever refused it)."""
        with self._lock:
            if self._tokens.get(district_id) == token:
                del self._tokens[district_id]

    async def district_tokens(self, district_id: str | None = None) -> list[DistrictToken]:
        """Every district connected to the app (or just ``district_id``) with its token."""
        params = {"owner_type": "district"}
        if district_id:
            params["district"] = district_id
        payload = await self._get(params)
        entries = [_entry(item) for item in _items(payload)]
        tokens = [entry for entry in entries if entry is not None]
        with self._lock:
            for entry in tokens:
                self._tokens[entry.district_id] = entry.access_token
        return tokens

    async def _get(self, params: Mapping[str, str]) -> dict[str, Any]:
        creds = self.credentials
        secrets = (creds.client_secret,)
        url = httpx.URL(self.oauth_url + "/oauth/tokens", params=dict(params))

        def refused(answer: Answer) -> CleverError | None:
            if answer.status == 401:
                return AppCredentialsRefused(detail=detail_from_body(answer.body), secrets=secrets)
            return None

        def gave_up(exc: httpx.TransportError, stalls: int) -> CleverError:
            return CleverNetworkError.for_host(url.host)

        async with httpx.AsyncClient(
            transport=self._transport,
            verify=_tls() if self._transport is None else True,
            timeout=httpx.Timeout(self.limits.read_timeout),
            follow_redirects=False,
            auth=httpx.BasicAuth(creds.client_id, creds.client_secret),
            headers={"Accept": "application/json"},
        ) as http:

            async def read() -> Answer:
                self.fetches += 1
                return await read_answer(http, url, self.limits, TOKENS)

            answer = await answer_with_retries(
                read, self.retry, path=url.path, secrets=secrets, gave_up=gave_up, refused=refused
            )
        return json_object(answer, TOKENS)


class DistrictTokenAuth(httpx.Auth):
    """Bearer auth with the district's current token, fetched again once when Clever says 401.

    Clever rotates district tokens; an app is meant to keep the district id and ask for the
    token again (CONTRACT.md §2). A request refused with a fresh token stays refused: the
    401 reaches the client, which reports it.
    """

    requires_response_body = False

    def __init__(self, tokens: AppTokens, district_id: str) -> None:
        self.tokens = tokens
        self.district_id = district_id

    def __repr__(self) -> str:
        return f"DistrictTokenAuth(district_id={self.district_id!r})"

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self.tokens.token(self.district_id)
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code != 401:
            return
        self.tokens.forget(self.district_id, token)
        renewed = await self.tokens.token(self.district_id, fresh=True)
        request.headers["Authorization"] = f"Bearer {renewed}"
        yield request


def _tls() -> Any:
    from .client import _tls_context  # one CA bundle load per process, shared with the Data API client

    return _tls_context()


def _items(payload: Mapping[str, Any]) -> list[Any]:
    data = payload.get("data")
    if not isinstance(data, list):
        raise CleverDataError.about(TOKENS, "'data' is not a list")
    return data


def _entry(item: Any) -> DistrictToken | None:
    """One token entry (``{owner: {type, id}, access_token, scopes}``); ``None`` if not a district's."""
    if not isinstance(item, dict):
        raise CleverDataError.about(TOKENS, "an entry is not an object")
    if isinstance(item.get("data"), dict):  # tolerate the Data API's wrapped form
        item = item["data"]
    owner = item.get("owner")
    token = item.get("access_token")
    if not isinstance(owner, dict) or not isinstance(token, str) or not token.strip():
        raise CleverDataError.about(TOKENS, "an entry has no owner or no access_token")
    if owner.get("type") not in (None, "district") or not isinstance(owner.get("id"), str):
        return None
    scopes = item.get("scopes")
    kept = tuple(s for s in scopes if isinstance(s, str)) if isinstance(scopes, list) else ()
    return DistrictToken(district_id=owner["id"], access_token=token.strip(), scopes=kept)


__all__ = [
    "DEFAULT_OAUTH_URL",
    "AppCredentials",
    "AppCredentialsRefused",
    "AppTokens",
    "DistrictNotConnected",
    "DistrictToken",
    "DistrictTokenAuth",
]
