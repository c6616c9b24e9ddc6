"""Switchable failures for the sandbox, so tests can prove the client survives Clever's bad days.

Every field may be changed while the sandbox is serving; counters count down as the faults
fire, so ``faults.rate_limit_next = 2`` means exactly the next two requests are refused and
the third is answered normally.
"""

from __future__ import annotations

from dataclasses import dataclass

HTML_ERROR_BODY = (
    b"<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n"
    b"<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
"""What a proxy in front of Clever sends instead of JSON (the docs warn bodies may be HTML)."""


@dataclass
class Faults:
    """Failures the sandbox injects, checked in this order after authentication.

    - ``revoked``: every request gets 401 ``{"message": ...}``, even with the right token.
    - ``rate_limit_next``: the next N requests get 429 with ``X-RateLimit-Reset`` 1–2 s ahead.
    - ``server_error_next``: the next N requests get ``server_error_status`` (503 by default).
    - ``html_error_next``: the next N requests get a 500 whose body is an HTML page.
    - ``fail_after_pages``: a budget of successful (200) responses; once it reaches 0 every
      request gets 503 until it is set back to ``None``.
    - ``malformed_page_at``: any 200 response whose path and query contain this substring
      gets a truncated, invalid JSON body (still labelled ``application/json``).
    - ``latency``: seconds to wait before answering each request.
    - ``rotate_token_after``: a budget of successful Data API answers; when it reaches 0 the
      district's token rotates (the old one gets 401 from then on) and the budget is cleared.
    """

    rate_limit_next: int = 0
    server_error_next: int = 0
    server_error_status: int = 503
    malformed_page_at: str | None = None
    html_error_next: int = 0
    revoked: bool = False
    latency: float = 0.0
    fail_after_pages: int | None = None
    rotate_token_after: int | None = None

    def clear(self) -> None:
        """Switch every fault off."""
        self.rate_limit_next = self.server_error_next = self.html_error_next = 0
        self.server_error_status = 503
        self.malformed_page_at = None
        self.revoked = False
        self.latency = 0.0
        self.fail_after_pages = None
        self.rotate_token_after = None
