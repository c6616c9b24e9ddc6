"""Fingerprints are hashed from exactly the stdlib's canonical JSON, however it is produced."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cleverwizard.runs.journal import canonical_bytes

DOCS: list[Any] = [
    {"b": 1, "a": [True, False, None], "c": {"z": "", "y": "plain"}},
    {"name": 'quote " backslash \\ slash / tab \t newline \n return \r bell \x07 escape \x1b del \x7f'},
    {"controls": "".join(chr(c) for c in range(32)), "big": 2**63 - 1, "negative": -(2**63)},
    {"accents": "José Núñez", "cjk": "李", "emoji": "🙂", "separators": "\u2028\u2029"},
    {"huge": 2**70},
    {"nested": [[{"k": []}], {}], "Upper": 1, "lower": 2, "_under": 3, "1": 4},
    {},
]


@pytest.mark.parametrize("doc", DOCS)
def test_canonical_bytes_are_the_stdlib_s_canonical_json(doc: Any) -> None:
    expected = json.dumps(doc, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")
    assert canonical_bytes(doc) == expected
