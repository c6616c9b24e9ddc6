"""Typed errors for everything that can go wrong talking to Clever.

Each error's ``message`` is written for the school administrator who will read it in the
wizard or the CLI: one line saying what happened and what to do next. The HTTP status
stays on ``status`` for code that needs to branch on it. Clever error bodies may be HTML
rather than JSON, so building an error from a response never fails; a short JSON
``message`` from Clever is appended when there is one, with secrets masked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, ClassVar

from cleverwizard.text import one_line

_BEARER = re.compile(r"Bearer\s+\S+", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_MAX_DETAIL = 200
_SCOPE_HINT = "not in token's scopes"


def mask_secrets(text: str, secrets: Iterable[str] = ()) -> str:
    """Hide ``Bearer <token>`` and any known secret so a message is safe to show or log."""
    masked = _BEARER.sub("Bearer ***", text)
    for secret in secrets:
        if secret:
            masked = masked.replace(secret, "***")
    return masked


def _one_line(text: str) -> str:
    """One printable line: Clever's words may hold newlines and terminal escapes."""
    return _WHITESPACE.sub(" ", one_line(text)).strip()


def clean_detail(detail: str | None, secrets: Iterable[str] = ()) -> str | None:
    """Clever's own words, trimmed to one short, secret-free line (or ``None`` if empty)."""
    if not detail:
        return None
    text = _one_line(mask_secrets(detail, secrets))
    if len(text) > _MAX_DETAIL:
        text = text[: _MAX_DETAIL - 1].rstrip() + "…"
    return text or None


def detail_from_body(body: bytes | str) -> str | None:
    """The ``message`` (or ``error``) string of a JSON error body; ``None`` for HTML or junk."""
    try:
        payload: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(payload, dict):
        return None
    for key in ("message", "error"):
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


class CleverError(Exception):
    """Base of every Clever failure; ``str(error)`` is the administrator-facing message.

    ``detail`` is Clever's own explanation when its body had one. ``secrets`` (the token)
    are masked out of both, because Clever may echo what it was sent.
    """

    default_status: ClassVar[int | None] = None
    default_message: ClassVar[str] = (
        "Clever gave an answer this app did not expect: try again later, and contact support if it keeps happening."
    )

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        detail: str | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        secrets = tuple(secrets)
        self.status: int | None = status if status is not None else self.default_status
        self.detail: str | None = clean_detail(detail, secrets)
        text = _one_line(mask_secrets(message or self.default_message, secrets))
        if self.detail:
            text = f"{text} (Clever said: {self.detail})"
        self.message: str = text
        super().__init__(text)

    def __str__(self) -> str:
        return self.message


class CleverBadRequest(CleverError):
    default_status = 400
    default_message = "Clever could not understand a request from this app: report this to the app's support team."


class CleverAuthError(CleverError):
    default_status = 401
    default_message = (
        "Clever refused the token: it was revoked or is wrong. Get a new district token "
        "from the Clever dashboard and set CLEVER_TOKEN or connect again."
    )


class CleverForbidden(CleverError):
    """403: the token is valid but may not see this data (often: no Secure Sync)."""

    default_status = 403
    default_message = (
        "Clever refused access to this data: the district has not shared it with this app. "
        "Check the app's data sharing in the Clever dashboard, then try again."
    )
    no_secure_sync_message: ClassVar[str] = (
        "Clever refused access because this app does not have Secure Sync for the district: "
        "ask Clever support to enable Secure Sync for the app, then connect again."
    )


class CleverNotFound(CleverError):
    """404: Clever hides unshared records behind the same answer as deleted ones."""

    default_status = 404
    default_message = (
        "Clever could not find this record: it was unshared, deleted, or belongs to another "
        "district. Check data sharing in the Clever dashboard and that the token is for "
        "the right district."
    )


class CleverLimitTooLarge(CleverError):
    default_status = 413
    default_message = "Clever refused the page size as too large: set the page size to 10000 or less and try again."


class CleverUnsupported(CleverError):
    default_status = 501
    default_message = (
        "Clever does not support a request this app made: update the app, or report this to its support team."
    )


class CleverUnavailable(CleverError):
    """Clever itself failed (5xx), after the retries the policy allows."""

    default_message = (
        "Clever is not working right now: wait a few minutes and try again (status.clever.com shows outages)."
    )

    @classmethod
    def after_attempts(
        cls,
        status: int,
        attempts: int,
        detail: str | None = None,
        *,
        secrets: Iterable[str] = (),
    ) -> CleverUnavailable:
        """Clever kept failing with a server error even after retrying."""
        return cls(
            f"Clever is not working right now (error {status}, tried {attempts} times): "
            "wait a few minutes and try again (status.clever.com shows outages).",
            status=status,
            detail=detail,
            secrets=secrets,
        )


class CleverNetworkError(CleverError):
    """Clever never answered (no connection, timeouts), after the allowed retries."""

    default_message = "cannot reach Clever: check the network connection, then try again."

    @classmethod
    def for_host(cls, host: str) -> CleverNetworkError:
        """The connection failed or timed out every time we tried ``host``."""
        return cls(f"cannot reach Clever at {host}: check the network connection, then try again.")


class CleverStalled(CleverNetworkError):
    """Clever was reached but stopped answering: no byte for too long, a connection broken
    off mid-answer, or an answer still not complete at the request deadline."""

    default_message = "Clever stopped answering: wait a few minutes and try again (status.clever.com shows outages)."

    @classmethod
    def during(cls, where: str, problem: str) -> CleverStalled:
        """Name the request that stalled and how, so support can tell a slow link from a dead one."""
        return cls(
            f"Clever stopped answering ({where}: {problem}): wait a few minutes and try again "
            "(status.clever.com shows outages)."
        )


class CleverRateLimited(CleverError):
    """Still 429 once the policy's total rate-limit wait is used up."""

    default_status = 429
    default_message = "Clever kept asking this app to slow down: wait a few minutes, then try again."

    waited: float = 0.0
    """Seconds already spent waiting for the rate limit before giving up."""

    @classmethod
    def after_waiting(
        cls, seconds: float, detail: str | None = None, *, secrets: Iterable[str] = ()
    ) -> CleverRateLimited:
        """Still rate limited once the wait budget was spent (or would be overspent)."""
        if seconds >= 1:
            message = (
                f"Clever kept asking this app to slow down, even after waiting {seconds:.0f} "
                "seconds: wait a few minutes, then try again."
            )
        else:
            message = (
                "Clever asked this app to pause for longer than it is allowed to wait: "
                "wait a few minutes, then try again."
            )
        error = cls(message, detail=detail, secrets=secrets)
        error.waited = seconds
        return error


class CleverDataError(CleverError):
    """Clever answered 200 with something unreadable; the message names page and record."""

    default_message = (
        "Clever sent data this app cannot read: try again later, and report it to the "
        "app's support team if it keeps happening."
    )

    @classmethod
    def about(cls, where: str, problem: str) -> CleverDataError:
        """Name the page or record that could not be read, so support can find it."""
        return cls(
            f"Clever sent data this app cannot read ({where}: {problem}): try again later, "
            "and report it to the app's support team if it keeps happening."
        )


class CleverTooMuch(CleverDataError):
    """Clever sent more than was asked for: an answer, a page or a list past its limit."""

    @classmethod
    def about(cls, where: str, problem: str) -> CleverTooMuch:
        return cls(
            f"Clever sent more than asked ({where}: {problem}): try again later, and report it "
            "to the app's support team if it keeps happening."
        )


_BY_STATUS: dict[int, type[CleverError]] = {
    400: CleverBadRequest,
    401: CleverAuthError,
    403: CleverForbidden,
    404: CleverNotFound,
    413: CleverLimitTooLarge,
    429: CleverRateLimited,
    501: CleverUnsupported,
}


def error_for_status(status: int, body: bytes | str = b"", *, secrets: Iterable[str] = ()) -> CleverError:
    """The typed error for a final (not retried) HTTP status, safe on HTML bodies."""
    detail = detail_from_body(body)
    cls = _BY_STATUS.get(status)
    if cls is CleverForbidden and detail and _SCOPE_HINT in detail.lower():
        return CleverForbidden(CleverForbidden.no_secure_sync_message, detail=detail, secrets=secrets)
    if cls is not None:
        return cls(detail=detail, secrets=secrets)
    if status >= 500:
        return CleverUnavailable(status=status, detail=detail, secrets=secrets)
    return CleverError(
        f"Clever gave an unexpected answer (error {status}): try again later, "
        "and contact support if it keeps happening.",
        status=status,
        detail=detail,
        secrets=secrets,
    )
