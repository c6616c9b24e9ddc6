"""The fast record check (``store.check``) only ever says yes: whatever it passes the models
accept, whatever the models refuse it refuses, and what it cannot vouch for goes to the models
(whose word is final, and whose error names the record and field)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args, get_origin

import msgspec
import pytest
from pydantic import BaseModel, ValidationError

from cleverwizard.store import RosterStore
from cleverwizard.store.check import passes
from cleverwizard.store.models import Problem, Run, RunCounts, Student
from cleverwizard.store.tables import RECORD_MODELS

MODELS: list[type[BaseModel]] = [*RECORD_MODELS.values(), Run, Problem]


def sample(model: type[BaseModel]) -> dict[str, Any]:
    """A valid record of ``model`` in stored form, every field filled."""
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        values[name] = filled(info.annotation)
    return model.model_validate(values).model_dump(mode="json")


def filled(annotation: Any) -> Any:
    origin, args = get_origin(annotation), get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return sample(annotation)
    if annotation is int:
        return 7
    if annotation is str:
        return "x"
    if origin is list:
        return [filled(args[0])]
    if origin is dict:
        return {"k": filled(args[1])}
    if args:  # a Literal's first value, or the first type of a union
        first = args[0]
        return (
            first
            if not isinstance(first, type) and get_origin(first) is None and first is not object
            else filled(first)
        )
    return {"any": 1}


def wrong(annotation: Any) -> Any:
    """A value of the wrong type for ``annotation`` (the models refuse it too)."""
    if annotation is str or get_origin(annotation) is not None and str in get_args(annotation):
        return 5
    return "no such value"  # for a number, a list, a record, a fixed choice


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_what_the_models_store_passes(model: type[BaseModel]) -> None:
    assert passes(model, [sample(model), model.model_validate(sample(model)).model_dump(mode="json")])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_wrong_typed_field_never_passes(model: type[BaseModel]) -> None:
    for name, info in model.model_fields.items():
        doc = {**sample(model), name: wrong(info.annotation)}
        with pytest.raises(ValidationError):
            model.model_validate(doc)
        assert not passes(model, [sample(model), doc]), name
    required = [name for name, info in model.model_fields.items() if info.is_required()]
    for name in required:
        doc = {key: value for key, value in sample(model).items() if key != name}
        assert not passes(model, [doc]), name


def test_a_table_is_checked_a_chunk_at_a_time_to_its_last_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each msgspec call holds the interpreter lock; chunks keep every call short, and a damaged
    record in the last chunk still fails the check."""
    calls: list[int] = []
    real = msgspec.convert

    def spy(docs: list[Any], kind: Any) -> Any:
        calls.append(len(docs))
        return real(docs, kind)

    monkeypatch.setattr(msgspec, "convert", spy)
    good = [Student(id=i).model_dump(mode="json") for i in range(1, 8)]
    assert passes(Student, good, chunk=3) and calls == [3, 3, 1]
    assert not passes(Student, [*good, {**good[0], "id": "8"}], chunk=3)
    assert passes(Student, [], chunk=3)
    calls.clear()
    assert passes(Student, [good[0]] * 4500) and calls == [2000, 2000, 500]


def test_what_only_the_lax_models_accept_is_left_to_them(tmp_path: Path) -> None:
    """A number stored as text: msgspec cannot vouch for it, the model accepts it, so the
    roster opens as it always did."""
    doc = {**Student(id=3).model_dump(mode="json"), "id": "3"}
    assert not passes(Student, [doc])
    assert Student.model_validate(doc).id == 3
    meta = {"schema_version": 2, "revision": 1, "last_account_id": 3}
    run = {"id": 1, "kind": "import students", "started_by": "cli", "counts": RunCounts(created="1").model_dump()}
    (tmp_path / "roster.json").write_text(json.dumps({"meta": {"1": meta}, "students": {"3": doc}, "runs": {"1": run}}))
    with RosterStore.open(tmp_path) as store:
        assert [s.id for s in store.students()] == [3]


@pytest.mark.parametrize(
    ("damage", "table"),
    [
        ({"runs": {"1": {"id": 1, "kind": "a party", "started_by": "cli", "problem_set": None}}}, "runs"),
        (
            {
                "runs": {"1": {"id": 1, "kind": "sync", "started_by": "cli", "problem_set": "p"}},
                "problems": {"p": {"problems": [{"kind": "student", "clever_id": None, "name": 5}]}},
            },
            "problems",
        ),
    ],
)
def test_a_damaged_run_or_problem_list_is_one_line_naming_the_file(
    tmp_path: Path, damage: dict[str, Any], table: str
) -> None:
    from cleverwizard.store import StoreCorrupt

    path = tmp_path / "roster.json"
    path.write_text(json.dumps({"meta": {"1": {"schema_version": 2}}, **damage}))
    with pytest.raises(StoreCorrupt, match=f"table '{table}'") as raised:
        RosterStore.open(tmp_path)
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)
