"""How long and how much this app will take from Clever before it gives up.

A server that is broken (or hostile) can trickle an answer a byte at a time, send a body that
never ends, hand out a fresh ``next`` link on every page or answer a page of 200,000 records to
a request for 1,000. httpx's timeout is per read, so none of those would ever end on their own.
These limits end each of them with one clear error, in bounded time and memory. The defaults
are far above what the real Clever does for the largest school, so they only ever stop a
broken answer; tests hand in small ones through ``CleverLink``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on one Clever request and on one list read page by page.

    - ``read_timeout``: seconds without a single byte from Clever before one try fails (that
      try is retried like a dropped connection).
    - ``request_deadline``: seconds for one whole request, from connecting to the last byte of
      the answer; a server that keeps sending a little at a time is stopped here, not retried.
    - ``max_response_bytes``: the largest answer read (after decompression).
    - ``max_list_records`` and ``max_list_bytes``: the most records, and answer bytes, that one
      list (a school's students, the events since the last sync) may add up to; the number of
      pages followed is derived from the records and the page size.
    """

    read_timeout: float = 30.0
    request_deadline: float = 120.0
    max_response_bytes: int = 64 * MiB
    max_list_records: int = 1_000_000
    max_list_bytes: int = 1024 * MiB

    def __post_init__(self) -> None:
        if self.read_timeout <= 0 or self.request_deadline <= 0:
            raise ValueError("read_timeout and request_deadline must be positive")
        if min(self.max_response_bytes, self.max_list_records, self.max_list_bytes) < 1:
            raise ValueError("the size limits must be at least 1")

    def max_pages(self, page_limit: int) -> int:
        """Pages of one list followed at most when each asks for ``page_limit`` records."""
        return max(1, math.ceil(self.max_list_records / page_limit))
