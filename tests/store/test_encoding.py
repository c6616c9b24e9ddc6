"""The roster is encoded in pieces (so a save never holds the interpreter lock for long), and
the pieces join into exactly the bytes one ``pydantic_core.to_json`` call gives; a problem
list is digested in pieces too, to the digest of its whole text. It is read back with msgspec,
to exactly what pydantic-core's parser gives."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pydantic_core
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleverwizard.store import Problem, RosterStore, Run, Section, storage
from cleverwizard.store.fingerprints import doc_fingerprint
from cleverwizard.store.run_rows import problem_digest
from cleverwizard.store.storage import decode_roster, encode_json
from tests.store.conftest import make_student, make_teacher

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["", "\x00", "\x7f", "a\nb", '"quoted"', "back\\slash", "Zoë", "\u202egpj", "😀", "\ud800"]),
)
JSONISH = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=25) | st.dictionaries(st.text(max_size=6), inner, max_size=25),
    max_leaves=120,
)
FIELD = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=6,
)


def whole(data: Any) -> bytes:
    return pydantic_core.to_json(data, ensure_ascii=True)


def outcome(encode: Callable[[], bytes]) -> bytes | str:
    """The bytes, or the error a value the encoder refuses (a lone surrogate) gives."""
    try:
        return encode()
    except pydantic_core.PydanticSerializationError as error:
        return str(error)


@settings(max_examples=300, deadline=None)
@given(value=JSONISH, budget=st.sampled_from([0, 1, 2, 5, 40]))
def test_pieces_join_into_the_one_call_encoding(value: Any, budget: int) -> None:
    assert outcome(lambda: encode_json(value, budget)) == outcome(lambda: whole(value))


@settings(max_examples=60, deadline=None)
@given(
    tables=st.dictionaries(
        st.sampled_from(["meta", "students", "journals", "problems", "runs"]),
        st.dictionaries(
            st.integers(0, 10_000).map(str), st.dictionaries(st.text(max_size=5), FIELD, max_size=6), max_size=30
        ),
        max_size=5,
    ),
    budget=st.sampled_from([0, 3, 30]),
)
def test_a_roster_shaped_value_encodes_the_same(tables: dict[str, Any], budget: int) -> None:
    assert outcome(lambda: encode_json(tables, budget)) == outcome(lambda: whole(tables))


def test_keys_that_are_not_strings_are_written_as_the_encoder_writes_them() -> None:
    value = {1: {"a": [1, 2, 3]}, "b": [{"c": None}] * 3, 2: True}
    for budget in (0, 1, 4, 100):
        assert encode_json(value, budget) == whole(value)


def test_an_unserialisable_value_fails_the_same_way() -> None:
    with pytest.raises(pydantic_core.PydanticSerializationError):
        encode_json({"t": {str(i): {"a": i} for i in range(50)} | {"x": {"a": object()}}}, 5)


def saved_roster(store: RosterStore, students: int) -> dict[str, Any]:
    """A roster with every table in use, a journal of a whole school and a long problem list."""
    problems = [
        Problem(kind="student", clever_id=f"stu-{i}", name=f"Zoë {i}", issue="No email", fix="Fix it")
        for i in range(students // 2)
    ]
    with store.transaction() as tx:
        tx.put_teachers([make_teacher(i, first_name="José") for i in range(1, 21)])
        tx.put_students([make_student(i, last_name=f"Ñúñez {i}\u202e") for i in range(21, 21 + students)])
        tx.put_sections([Section(id=tx.next_section_id(), name="Art", student_ids=list(range(21, 51)))])
        tx.add_run(
            Run(
                id=tx.next_run_id(),
                kind="import students",
                started_by="admin",
                before={"students": {str(i): None for i in range(21, 21 + students)}},
                after={"students": {str(i): f"{i:020d}" for i in range(21, 21 + students)}},
                problems=problems,
            )
        )
    data = store._storage.read()
    assert data is not None
    return data


def test_the_saved_file_is_byte_for_byte_the_one_call_encoding(store: RosterStore) -> None:
    data = saved_roster(store, 5000)
    saved = store.path.read_bytes()
    assert saved == whole(data)
    for budget in (0, 100, 7_000):
        assert encode_json(data, budget) == saved


def test_fingerprints_of_saved_records_survive_the_file(store: RosterStore) -> None:
    """Undo compares a record's digest now with the one its run kept: the file must give back
    the very documents that were saved."""
    saved_roster(store, 300)
    before = {table: {key: doc_fingerprint(doc) for key, doc in store._data[table].items()} for table in store._data}
    with RosterStore.open(store.data_dir) as reopened:
        after = {
            table: {key: doc_fingerprint(doc) for key, doc in docs.items()} for table, docs in reopened._data.items()
        }
    assert after == before


def test_twenty_thousand_students_are_encoded_in_many_short_calls(
    store: RosterStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_roster(store, 20_000)
    sizes: list[int] = []
    real: Callable[[Any], bytes] = storage._to_json

    def spy(value: Any) -> bytes:
        encoded = real(value)
        sizes.append(len(encoded))
        return encoded

    monkeypatch.setattr(storage, "_to_json", spy)
    with store.transaction() as tx:
        tx.meta.last_event_id = "evt-1"
    assert len(sizes) > 20
    assert max(sizes) < sum(sizes) / 8, sorted(sizes)[-3:]


PROBLEM_ISH = st.dictionaries(st.text(max_size=6), _SCALARS | st.lists(_SCALARS, max_size=3), max_size=6)


@settings(max_examples=200, deadline=None)
@given(problems=st.lists(PROBLEM_ISH, max_size=12), chunk=st.integers(1, 5))
def test_a_problem_lists_digest_is_the_one_of_its_whole_text(problems: list[dict[str, Any]], chunk: int) -> None:
    """Run rows keep the digest of their problem list: digesting in pieces must not change it."""

    def whole_digest() -> str:
        text = json.dumps(problems, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]

    try:
        expected = whole_digest()
    except UnicodeEncodeError:  # a lone surrogate: refused either way
        with pytest.raises(UnicodeEncodeError):
            problem_digest(problems, chunk)
        return
    assert problem_digest(problems, chunk) == expected


def test_a_schools_problem_list_has_the_digest_it_always_had() -> None:
    problems = [
        Problem(kind="student", clever_id=f"stu-{i}", name=f"Zoë {i}", issue="No email", fix="Enter one").model_dump(
            mode="json"
        )
        for i in range(10_000)
    ]
    text = json.dumps(problems, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert problem_digest(problems) == hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


@settings(max_examples=300, deadline=None)
@given(value=JSONISH)
def test_a_roster_reads_back_as_pydantic_core_would_read_it(value: Any) -> None:
    encoded = outcome(lambda: whole(value))
    if isinstance(encoded, bytes):  # a value the encoder refuses is never stored
        assert repr(decode_roster(encoded)) == repr(pydantic_core.from_json(encoded)) == repr(value)


@settings(max_examples=200, deadline=None)
@given(
    tables=st.dictionaries(st.text(max_size=6), st.dictionaries(st.text(max_size=6), JSONISH, max_size=6), max_size=4)
)
def test_tables_of_records_read_back_record_by_record_as_one_parse_would(tables: dict[str, Any]) -> None:
    encoded = outcome(lambda: whole(tables))
    if isinstance(encoded, bytes):
        assert repr(decode_roster(encoded)) == repr(pydantic_core.from_json(encoded)) == repr(tables)


def test_what_msgspec_refuses_is_read_as_pydantic_core_reads_it() -> None:
    """``json.dumps`` (the TinyDB-compatible writer) writes NaN and Infinity; msgspec refuses them."""
    raw = json.dumps({"a": float("nan"), "b": float("inf"), "c": [1, "x"]}).encode()
    assert repr(decode_roster(raw)) == repr(pydantic_core.from_json(raw))
    with pytest.raises(ValueError, match="expected value at line 1 column 1"):
        decode_roster(b"\x00\x00 not json")
