"""Helpers the sandbox tests share: reading links and walking ``next`` pages."""

from __future__ import annotations

from typing import Any

import httpx

BASE_URL = "https://sandbox.clever.invalid/v3.0"
ORIGIN = "https://sandbox.clever.invalid"


def link(body: dict[str, Any], rel: str) -> str | None:
    return next((item["uri"] for item in body["links"] if item["rel"] == rel), None)


async def walk(client: httpx.AsyncClient, path: str) -> tuple[list[dict[str, Any]], int]:
    """Follow ``next`` links from ``path``; returns every record and the number of pages."""
    records: list[dict[str, Any]] = []
    url: str | None = path
    pages = 0
    while url is not None:
        response = await client.get(ORIGIN + url if url.startswith("/v3.0/") else url)
        assert response.status_code == 200, response.text
        body = response.json()
        pages += 1
        records.extend(item["data"] for item in body["data"])
        url = link(body, "next") if body["data"] else None
        assert pages < 10_000
    return records, pages
