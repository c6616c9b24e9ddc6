"""Reading Clever's answers: one complete body, its JSON, a list's records, the next link.

Everything here checks what Clever sent rather than trusting it, and says what was wrong in
a ``CleverDataError`` that names the page (and the record, by id, when it has one).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import ValidationError

from .errors import CleverDataError, CleverStalled, CleverTooMuch
from .limits import Limits, MiB
from .models import CleverModel

M = TypeVar("M", bound=CleverModel)


@dataclass(frozen=True, slots=True)
class Answer:
    """One complete answer from Clever, read within the limits."""

    status: int
    headers: httpx.Headers
    body: bytes


async def read_answer(http: httpx.AsyncClient, url: httpx.URL, limits: Limits, where: str) -> Answer:
    """One GET: the whole answer within ``limits``' deadline and size cap, or an error.

    The body is streamed so that the cap can stop it: ``httpx`` would otherwise read an
    endless body into memory before anything could look at its size. Every request to Clever
    (the Data API and the app's tokens endpoint alike) is read through here.
    """
    cap = limits.max_response_bytes
    try:
        async with asyncio.timeout(limits.request_deadline):
            async with http.stream("GET", url) as response:
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > cap:
                        raise CleverTooMuch.about(where, f"an answer of more than {size_text(cap)}")
                    chunks.append(chunk)
                return Answer(response.status_code, response.headers, b"".join(chunks))
    except TimeoutError:
        problem = f"no complete answer within {limits.request_deadline:g} seconds"
        raise CleverStalled.during(where, problem) from None
    except httpx.DecodingError:
        problem = "the compressed answer could not be unpacked"
        raise CleverDataError.about(where, problem) from None


def size_text(count: int) -> str:
    return f"{count / MiB:g} MiB" if count >= MiB else f"{count:,} bytes"


def looks_like_html(answer: Answer) -> bool:
    if "html" in answer.headers.get("content-type", "").lower():
        return True
    return answer.body.lstrip()[:1] == b"<"


def json_object(answer: Answer, where: str) -> dict[str, Any]:
    """The answer's JSON object, or a ``CleverDataError`` saying what came instead."""
    try:
        payload = json.loads(answer.body)
    except RecursionError:
        raise CleverDataError.about(where, "the answer is nested too deeply to read") from None
    except (ValueError, UnicodeDecodeError):
        kind = "a web page" if looks_like_html(answer) else "not JSON"
        raise CleverDataError.about(where, f"the answer was {kind}") from None
    if not isinstance(payload, dict):
        raise CleverDataError.about(where, "the answer is not a JSON object")
    return payload


def refuse_oversized(count: int, most: int, where: str) -> None:
    """A page with more records than the ``most`` asked for is refused, never read."""
    if count > most:
        raise CleverTooMuch.about(where, f"{count:,} records on a page of at most {most:,}")


def list_items(payload: Mapping[str, Any], where: str, most: int | None = None) -> list[dict[str, Any]]:
    """The records of a list answer, unwrapped from their ``{"data": {...}}`` envelopes;
    more than ``most`` records (the page size asked for) is refused, not read."""
    if "data" not in payload:
        raise CleverDataError.about(where, "the answer has no 'data'")
    data = payload["data"]
    if not isinstance(data, list):
        raise CleverDataError.about(where, "'data' is not a list")
    if most is not None:
        refuse_oversized(len(data), most, where)
    records: list[dict[str, Any]] = []
    for index, item in enumerate(data, start=1):
        record = item.get("data") if isinstance(item, dict) else None
        if not isinstance(record, dict):
            raise CleverDataError.about(where, f"item {index} is not a wrapped record")
        records.append(record)
    return records


def next_uri(payload: Mapping[str, Any], where: str) -> str | None:
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


def validate(model: type[M], record: dict[str, Any], where: str) -> M:
    """Parse one record, naming it (by id when it has one) if Clever sent something odd."""
    try:
        return model.model_validate(record)
    except ValidationError as exc:
        record_id = record.get("id")
        name = f"record {record_id[:40]}" if isinstance(record_id, str) and record_id else "a record"
        first = exc.errors(include_url=False, include_input=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or "record"
        problem = f"{model.__name__} {name}, field '{field}': {first['msg']}"
        raise CleverDataError.about(where, problem) from None
