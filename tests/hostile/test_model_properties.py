"""Whatever JSON Clever puts in a record, reading it is a model or one clean error line.

Arbitrary JSON-ish values, in the places the models look at and in places they do not, must
never surface as anything but ``pydantic.ValidationError`` from the models, or
``CleverDataError`` (one printable line) from the client's reading of a page.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from cleverwizard.clever import CleverDataError, CleverModel, Event, School, Section, User
from cleverwizard.clever.answers import validate

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["", "\x1b[2J", "\x00", "a\nb", "[link=x]y[/]", "\u202egpj.exe", "Kindergarten", "13"]),
)
JSONISH = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _shaped(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Either anything at all, or a dict with some of the model's own keys holding anything."""
    return JSONISH | st.fixed_dictionaries({}, optional=fields)


def _loose(*names: str) -> dict[str, st.SearchStrategy[Any]]:
    return dict.fromkeys(names, JSONISH)


_ROLE = _shaped(
    {**_loose("school", "sis_id", "grade", "title", "state_id"), "schools": JSONISH | st.lists(_SCALARS, max_size=3)}
)
USERS = _shaped(
    {
        **_loose("id", "district", "email", "created", "last_modified", "extra"),
        "name": _shaped(_loose("first", "middle", "last")),
        "roles": _shaped({"student": _ROLE, "teacher": _ROLE, "staff": _ROLE, "district_admin": _ROLE}),
    }
)
SECTIONS = _shaped(
    {
        **_loose("id", "school", "name", "course", "term_id", "teacher", "grade", "subject"),
        "teachers": JSONISH | st.lists(_SCALARS, max_size=3),
        "students": JSONISH | st.lists(_SCALARS, max_size=3),
    }
)
SCHOOLS = _shaped(_loose("id", "name", "low_grade", "high_grade", "principal"))
EVENTS = _shaped({**_loose("id", "type", "created", "previous_attributes"), "data": _shaped({"object": USERS})})


_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _one_safe_line(text: str) -> bool:
    """No control character (newlines included) and no direction override: safe on a terminal."""
    return not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in _BIDI for c in text)


def _read(model: type[CleverModel], record: Any) -> None:
    """The model's own validation: a model, or a ValidationError, and nothing else."""
    try:
        parsed = model.model_validate(record)
    except ValidationError:
        return
    assert isinstance(getattr(parsed, "id", None), str)
    if isinstance(parsed, User):
        parsed.school_ids("student"), parsed.school_ids("teacher"), parsed.name.full
    if isinstance(parsed, Event):
        parsed.record_type, parsed.action, parsed.previous_values  # noqa: B018


def _page_read(model: type[CleverModel], record: Any) -> None:
    """The client's reading of one record of a page: a model or one printable error line."""
    if not isinstance(record, dict):
        return
    try:
        validate(model, record, "page 1 of /test")
    except CleverDataError as error:
        message = str(error)
        assert _one_safe_line(message), message
        assert message.startswith("Clever sent data this app cannot read (page 1 of /test: ")


@pytest.mark.parametrize(
    ("model", "records"),
    [(User, USERS), (Section, SECTIONS), (School, SCHOOLS), (Event, EVENTS)],
    ids=["user", "section", "school", "event"],
)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_record_is_a_model_or_a_clean_error(model: type[CleverModel], records: Any, data: st.DataObject) -> None:
    record = data.draw(records)
    _read(model, record)
    _page_read(model, record)


@given(st.text(max_size=300))
def test_a_record_id_is_shown_printable_and_short(record_id: str) -> None:
    with pytest.raises(CleverDataError) as raised:
        validate(User, {"id": record_id, "email": ["not", "a", "string"]}, "page 1 of /test")
    message = str(raised.value)
    assert _one_safe_line(message), message
    assert len(message) < 400
    assert "field 'email'" in message


def test_deep_nesting_in_an_extra_field_is_kept_or_refused_cleanly() -> None:
    nested: Any = "leaf"
    for _ in range(900):  # under json's own recursion limit, so a page could carry it
        nested = [nested]
    _read(User, {"id": "u1", "extra": nested})
    _page_read(User, {"id": "u1", "extra": nested})
