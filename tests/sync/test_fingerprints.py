"""Fingerprints are hashed from exactly the stdlib's canonical JSON, however it is produced."""

from __future__ import annotations

import json
import typing
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from cleverwizard.runs.journal import canonical_bytes
from cleverwizard.store import models as store_models

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


_TEXT = st.text(max_size=8) | st.sampled_from(["\x7f", "Zoë\x7f", "🙂", "\u202e", "\ud800", "a\x00b"])
_SCALARS = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | _TEXT
STORED_ISH = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(_TEXT, inner, max_size=6),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(doc=st.dictionaries(_TEXT, STORED_ISH, max_size=8))
def test_any_stored_shape_hashes_the_stdlib_s_bytes(doc: dict[str, Any]) -> None:
    """Whatever text a record holds (accents, emoji, DEL, a lone surrogate, huge numbers)."""
    try:
        expected = json.dumps(doc, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            canonical_bytes(doc)
        return
    assert canonical_bytes(doc) == expected


def test_no_stored_record_has_a_float_field() -> None:
    """The file's encoder and the fingerprints' take orjson's spelling, which differs from
    the stdlib's and pydantic-core's only for floats (``1e-07``, NaN): none may be stored."""

    def floats_in(annotation: Any, seen: set[Any]) -> list[str]:
        if annotation is float:
            return ["float"]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                return []
            seen.add(annotation)
            return [
                f"{annotation.__name__}.{name}: {found}"
                for name, info in annotation.model_fields.items()
                for found in floats_in(info.annotation, seen)
            ]
        return [found for arg in typing.get_args(annotation) for found in floats_in(arg, seen)]

    models = [
        model for model in vars(store_models).values() if isinstance(model, type) and issubclass(model, BaseModel)
    ]
    assert len(models) > 8
    assert [found for model in models for found in floats_in(model, set())] == []
