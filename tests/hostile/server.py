"""A hostile fake Clever: real HTTP/1.1 on loopback, misbehaving on purpose.

It answers the district and the school politely, so ``connect`` works, and answers a school's
users with whatever ``behaviour`` the test picked: trickled headers or body, a body that never
ends, fresh ``next`` links for ever, a page far bigger than asked, JSON nested 100,000 deep,
garbage labelled gzip, the same ids on two pages. It runs on its own event loop in a thread,
so the code under test (which runs ``asyncio.run`` itself, as the CLI does) talks to it over a
real socket. Every endless behaviour is bounded in count and time, and stops when the client
hangs up or the server is stopped.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import json
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

DISTRICT = "d0000000000000000000000a"
SCHOOL = "s0000000000000000000000b"
TOKEN = "hostile-test-token"
TRICKLE_SECONDS = 0.05
"""Gap between trickled bytes: well under the tests' read timeout, so only a deadline stops it."""
MAX_ENDLESS = 20_000
"""Bound on any endless behaviour (bytes trickled, chunks or pages sent)."""


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]

    def param(self, name: str, default: str = "") -> str:
        return self.query.get(name, [default])[0]


Behaviour = Callable[[Request, asyncio.StreamWriter], Awaitable[None]]


def user(user_id: str, first: str, *, school: str = SCHOOL, grade: str = "3") -> dict[str, Any]:
    return {
        "id": user_id,
        "district": DISTRICT,
        "email": f"{first.lower()}@school.example",
        "name": {"first": first, "last": "Tester"},
        "roles": {"student": {"school": school, "schools": [school], "grade": grade, "sis_id": f"sis-{user_id}"}},
    }


def page(records: list[dict[str, Any]], next_uri: str | None = None) -> dict[str, Any]:
    links = [{"rel": "self", "uri": "/v3.0/schools"}]
    if next_uri:
        links.append({"rel": "next", "uri": next_uri})
    return {"data": [{"data": record} for record in records], "links": links}


async def send(
    writer: asyncio.StreamWriter,
    status: int,
    body: bytes,
    headers: dict[str, str] | None = None,
) -> None:
    head = {"Content-Type": "application/json", "Content-Length": str(len(body)), **(headers or {})}
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in head.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()


async def send_json(writer: asyncio.StreamWriter, payload: Any, status: int = 200) -> None:
    await send(writer, status, json.dumps(payload).encode())


# -- the behaviours a test can pick for the school's users ------------------------------------


async def polite_users(request: Request, writer: asyncio.StreamWriter) -> None:
    await send_json(writer, page([user("u1", "Ana"), user("u2", "Ben")]))


async def trickle_headers(request: Request, writer: asyncio.StreamWriter) -> None:
    """A status line, then a header one byte at a time that never ends."""
    writer.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    for _ in range(MAX_ENDLESS):
        writer.write(b"a")
        await writer.drain()
        await asyncio.sleep(TRICKLE_SECONDS)


async def trickle_body(request: Request, writer: asyncio.StreamWriter) -> None:
    """Headers promising a body, then the body one byte at a time."""
    body = json.dumps(page([user("u1", "Ana")])).encode()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body) + MAX_ENDLESS}\r\n\r\n"
    writer.write(head.encode())
    for index in range(MAX_ENDLESS):
        writer.write(body[index : index + 1] or b" ")
        await writer.drain()
        await asyncio.sleep(TRICKLE_SECONDS)


async def silent(request: Request, writer: asyncio.StreamWriter) -> None:
    """Accepts the request and never says a word."""
    await asyncio.sleep(60)


async def endless_body(request: Request, writer: asyncio.StreamWriter) -> None:
    """A chunked body of JSON-looking bytes that never ends."""
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b'{"data": [' + b'{"data": {"id": "x"}}, ' * 3000
    for _ in range(MAX_ENDLESS):
        writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        await writer.drain()


async def endless_next(request: Request, writer: asyncio.StreamWriter) -> None:
    """One fresh record a page, and always a fresh next link."""
    number = int(request.param("starting_after", "0") or "0") + 1
    if number > MAX_ENDLESS:
        await send_json(writer, page([]))
        return
    next_uri = f"/v3.0/schools/{SCHOOL}/users?role=student&starting_after={number}"
    await send_json(writer, page([user(f"u{number}", f"P{number}")], next_uri))


@functools.cache
def oversized_body() -> bytes:
    records = [{"data": {"id": f"u{n}"}} for n in range(200_000)]
    return json.dumps({"data": records, "links": []}).encode()


async def oversized_page(request: Request, writer: asyncio.StreamWriter) -> None:
    """200,000 records whatever the limit asked for (built before the test starts the clock)."""
    await send(writer, 200, oversized_body())


async def deep_json(request: Request, writer: asyncio.StreamWriter) -> None:
    depth = 100_000
    await send(writer, 200, b'{"data": ' + b"[" * depth + b"]" * depth + b"}")


async def deep_json_in_a_record(request: Request, writer: asyncio.StreamWriter) -> None:
    """A well-formed page whose one record carries an unknown field nested 100,000 deep."""
    depth = 100_000
    record = b'{"id": "u1", "ext": ' + b"[" * depth + b"]" * depth + b"}"
    await send(writer, 200, b'{"data": [{"data": ' + record + b'}], "links": []}')


async def invalid_json(request: Request, writer: asyncio.StreamWriter) -> None:
    await send(writer, 200, b'{"data": [{"data": {"id": "u1", ')


async def bad_gzip(request: Request, writer: asyncio.StreamWriter) -> None:
    garbage = gzip.compress(json.dumps(page([user("u1", "Ana")])).encode())[:12] + b"\x00not gzip at all" * 64
    await send(writer, 200, garbage, {"Content-Encoding": "gzip"})


async def duplicate_ids(request: Request, writer: asyncio.StreamWriter) -> None:
    """Ben is on both pages; between them his grade and his school list changed."""
    if request.param("starting_after"):
        moved = user("u2", "Ben", grade="4")
        moved["roles"]["student"]["schools"] = [SCHOOL, "s-other"]
        await send_json(writer, page([moved, user("u3", "Cy")]))
        return
    next_uri = f"/v3.0/schools/{SCHOOL}/users?role=student&starting_after=u2"
    await send_json(writer, page([user("u1", "Ana"), user("u2", "Ben")], next_uri))


async def greedy_next(request: Request, writer: asyncio.StreamWriter) -> None:
    """A next link that asks for 200,000 records a page, then a page of 1,000."""
    if request.param("starting_after"):
        await send_json(writer, page([{"id": f"u{n}"} for n in range(2, 1002)]))
        return
    next_uri = f"/v3.0/schools/{SCHOOL}/users?role=student&limit=200000&starting_after=u1"
    await send_json(writer, page([user("u1", "Ana")], next_uri))


def retrying_then(times: int, then: Behaviour) -> Behaviour:
    """``times`` 503s (each one a retry notice in the client), then ``then``."""
    left = [times]

    async def behaviour(request: Request, writer: asyncio.StreamWriter) -> None:
        if left[0] > 0:
            left[0] -= 1
            await send_json(writer, {"message": "try later"}, status=503)
            return
        await then(request, writer)

    return behaviour


# -- the server --------------------------------------------------------------------------------


@dataclass
class HostileClever:
    """Start with ``start()``; ``base_url`` is the v3.0 root; set ``users`` to a behaviour."""

    users: Behaviour = polite_users
    tokens: Behaviour | None = None
    """How ``/oauth/tokens`` (the app's district tokens) answers; ``None``: 404."""
    requests: list[Request] = field(default_factory=list)
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _server: asyncio.Server | None = None
    _port: int = 0
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/v3.0"

    def start(self) -> HostileClever:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            self._server = loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
            self._port = self._server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name="hostile-clever", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the hostile server did not start")
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return

        async def shutdown() -> None:
            assert self._server is not None
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        try:
            while True:  # keep-alive: httpx reuses the connection for the next page
                request = await _read_request(reader)
                if request is None:
                    return
                self.requests.append(request)
                await self._route(request, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            return  # the client hung up, as it should on a hostile answer, or the server stopped
        finally:
            self._tasks.discard(task)  # type: ignore[arg-type]
            writer.close()

    async def _route(self, request: Request, writer: asyncio.StreamWriter) -> None:
        if request.path == "/oauth/tokens" and self.tokens is not None:
            await self.tokens(request, writer)
        elif request.headers.get("authorization") != f"Bearer {TOKEN}":
            await send_json(writer, {"message": "bad token"}, status=401)
        elif request.path == f"/v3.0/districts/{DISTRICT}":
            await send_json(writer, {"data": {"id": DISTRICT, "name": "Hostile District"}})
        elif request.path == f"/v3.0/schools/{SCHOOL}":
            await send_json(writer, {"data": {"id": SCHOOL, "district": DISTRICT, "name": "Hostile School"}})
        elif request.path == f"/v3.0/schools/{SCHOOL}/users":
            await self.users(request, writer)
        else:
            await send_json(writer, {"message": "not found"}, status=404)


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    parts = urlsplit(target)
    return Request(method=method, path=parts.path, query=parse_qs(parts.query), headers=headers)
