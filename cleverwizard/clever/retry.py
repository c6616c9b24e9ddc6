"""How long to wait before asking Clever again.

Clever allows 1200 requests a minute per token and resets the count every minute, so a
429 is normal during a big import and should be waited out, not shown to the user. Clever
documents ``X-RateLimit-Reset`` (a Unix timestamp); ``Retry-After`` is honoured too in case
a proxy adds it. Both may carry one value per rate-limit bucket, comma separated, so we
wait for the latest reset still in the future: only then are all buckets open again.
Server errors and network failures get bounded exponential backoff with jitter, so many
clients that failed together do not retry in lockstep.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import httpx

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]

RETRYABLE_STATUSES: frozenset[int] = frozenset({500, 502, 503, 504})
"""Clever failures that may pass: wait and retry (CONTRACT.md §8)."""

_HTTP_DATE = re.compile(r"[A-Za-z]{3},\s*\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}:\d{2}\s+GMT")


def is_retryable_exception(exc: BaseException) -> bool:
    """Timeouts and dropped connections may pass; a bad URL scheme never will."""
    return isinstance(exc, httpx.TransportError) and not isinstance(exc, httpx.UnsupportedProtocol)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def retry_after_waits(value: str, now: float) -> list[float]:
    """Seconds to wait for each entry of a ``Retry-After`` list (seconds or HTTP dates).

    HTTP dates contain a comma themselves, so they are picked out before the rest of the
    header is split on commas.
    """
    waits: list[float] = []
    for match in _HTTP_DATE.findall(value):
        try:
            waits.append(parsedate_to_datetime(match).timestamp() - now)
        except (TypeError, ValueError):
            continue
    for part in _HTTP_DATE.sub("", value).split(","):
        try:
            waits.append(float(part.strip()))
        except ValueError:
            continue
    return waits


def reset_waits(value: str, now: float) -> list[float]:
    """Seconds until each Unix timestamp of an ``X-RateLimit-Reset`` list."""
    waits: list[float] = []
    for part in value.split(","):
        try:
            waits.append(float(part.strip()) - now)
        except ValueError:
            continue
    return waits


def rate_limit_wait(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds until the latest future reset the headers name, or ``None`` if none is usable.

    Header names are matched case-insensitively. Resets already in the past are ignored:
    they say nothing about when the current window ends.
    """
    waits: list[float] = []
    retry_after = _header(headers, "Retry-After")
    if retry_after:
        waits += retry_after_waits(retry_after, now)
    reset = _header(headers, "X-RateLimit-Reset")
    if reset:
        waits += reset_waits(reset, now)
    future = [wait for wait in waits if wait > 0]
    return max(future) if future else None


async def _asyncio_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """Limits on retrying; ``sleep``, ``clock`` and ``rng`` are injectable for tests.

    ``max_attempts`` counts every try of one request that ends in a 5xx or a network
    failure (the first try included). Rate-limit waits are not attempts: they are bounded
    by ``max_rate_limit_wait`` seconds in total for that request instead.
    """

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    jitter: float = 0.5
    max_rate_limit_wait: float = 120.0
    sleep: Sleep = field(default=_asyncio_sleep, repr=False)
    clock: Clock = field(default=time.time, repr=False)
    rng: Callable[[], float] = field(default=random.random, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay <= 0 or self.max_delay < self.base_delay:
            raise ValueError("need 0 < base_delay <= max_delay")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter must be in [0, 1)")
        if self.max_rate_limit_wait < 0:
            raise ValueError("max_rate_limit_wait must not be negative")

    def backoff_delay(self, attempt: int) -> float:
        """Wait after the ``attempt``-th failure: doubling from ``base_delay``, capped.

        Jitter shortens the wait by up to ``jitter`` of itself, so it never exceeds
        ``max_delay`` and never drops to zero.
        """
        exponent = max(attempt - 1, 0)
        delay = min(self.max_delay, self.base_delay * 2.0 ** min(exponent, 62))
        return delay * (1.0 - self.jitter * self.rng())

    def rate_limit_delay(self, headers: Mapping[str, str], attempt: int) -> float:
        """Wait after the ``attempt``-th 429 in a row: the headers' reset, else backoff."""
        wait = rate_limit_wait(headers, self.clock())
        return wait if wait is not None else self.backoff_delay(attempt)
