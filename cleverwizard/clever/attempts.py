"""One retry driver for every request to Clever: the Data API and the tokens endpoint.

Both wait out 429s within the policy's budget, retry 5xx answers and network failures a
bounded number of times with backoff, and fail at once on anything else. Only the names of
the failures differ between callers, so those are the caller's: ``gave_up`` names a network
failure that outlasted the retries, ``refused`` names a status the caller knows better
(a 401 from the tokens endpoint means the app's credentials are wrong, not a token).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import httpx

from .answers import Answer
from .errors import CleverError, CleverRateLimited, CleverUnavailable, detail_from_body, error_for_status
from .retry import RETRYABLE_STATUSES, RetryPolicy, is_retryable_exception

Read = Callable[[], Awaitable[Answer]]
GaveUp = Callable[[httpx.TransportError, int], CleverError]
"""Names a network failure after the last try, given how many tries reached the server."""
Refused = Callable[[Answer], CleverError | None]

_QUIET = logging.getLogger(__name__)
_QUIET.addHandler(logging.NullHandler())


def reached_server(exc: httpx.TransportError) -> bool:
    """``True`` when the connection was made and then went quiet or broke off."""
    return not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.UnsupportedProtocol)


async def answer_with_retries(
    read: Read,
    policy: RetryPolicy,
    *,
    path: str,
    secrets: tuple[str, ...],
    gave_up: GaveUp,
    refused: Refused | None = None,
    log: logging.Logger = _QUIET,
) -> Answer:
    """The first 2xx answer ``read`` gives, or the error that ends the tries."""
    failures = rate_limited = stalls = 0
    waited = 0.0
    while True:
        try:
            answer = await read()
        except httpx.TransportError as exc:
            failures += 1
            stalls += reached_server(exc)
            if not is_retryable_exception(exc) or failures >= policy.max_attempts:
                raise gave_up(exc, stalls) from exc
            problem = type(exc).__name__
        else:
            status = answer.status
            if 200 <= status < 300:
                log.debug("GET %s -> %d", path, status)
                return answer
            known = refused(answer) if refused is not None else None
            if known is not None:
                raise known
            if status == 429:
                rate_limited += 1
                delay = policy.rate_limit_delay(answer.headers, rate_limited)
                if waited + delay > policy.max_rate_limit_wait:
                    detail = detail_from_body(answer.body)
                    raise CleverRateLimited.after_waiting(waited, detail, secrets=secrets)
                log.info("Clever rate limit reached; waiting %.1fs", delay)
                waited += delay
                await policy.sleep(delay)
                continue
            if status not in RETRYABLE_STATUSES:
                raise error_for_status(status, answer.body, secrets=secrets)
            failures += 1
            if failures >= policy.max_attempts:
                detail = detail_from_body(answer.body)
                raise CleverUnavailable.after_attempts(status, failures, detail, secrets=secrets)
            problem = f"error {status}"
        delay = policy.backoff_delay(failures)
        message = "Clever request to %s failed (%s); retry %d of %d in %.1fs"
        log.warning(message, path, problem, failures, policy.max_attempts - 1, delay)
        await policy.sleep(delay)
