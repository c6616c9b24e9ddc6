"""A fast first check of stored records: msgspec types made from the store's models.

Opening a roster checks every record (``tables.check_records``) so a damaged field is one
line naming the file in every command, never a traceback later. Validating 20,000 students
into pydantic models only to throw them away took longer than reading the file. Here each
model's fields become a msgspec struct (made from the model itself, so the two cannot
drift apart), and a whole table is checked in a few calls at a small fraction of the cost.

The check only ever says yes: msgspec's strict types accept less than the models' lax
ones (never a string for a number, never a number for a string), so whatever passes here
passes the model too. When a table does not pass, the caller validates it through the
models, whose error names the record and the field as before; and if the models accept
it after all, it is good.
"""

from __future__ import annotations

import types
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

import msgspec
from pydantic import BaseModel

CHUNK = 2000
"""Records checked per msgspec call: about a millisecond's work, where a whole table of
20,000 students in one call took 15-20 ms."""


@cache
def _struct(model: type[BaseModel]) -> Any:
    """The msgspec struct with ``model``'s fields; optional ones get a placeholder default,
    which msgspec never validates (only what a record holds is checked)."""
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    for name, info in model.model_fields.items():
        kind = _type(info.annotation)
        fields.append((name, kind) if info.is_required() else (name, kind, None))
    return msgspec.defstruct(f"Stored{model.__name__}", fields, kw_only=True, gc=False)


def _type(annotation: Any) -> Any:
    """``annotation`` with every model in it replaced by its struct."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _struct(annotation)
    if annotation is object:
        return Any
    origin = get_origin(annotation)
    if origin is None or origin is Literal:
        return annotation
    args = tuple(_type(arg) for arg in get_args(annotation))
    if origin in (Union, types.UnionType):
        return Union[args]  # noqa: UP007 - built from a runtime tuple
    return origin[args]


def passes(model: type[BaseModel], docs: list[Any], chunk: int = CHUNK) -> bool:
    """Every document in ``docs`` is certainly a valid ``model``; ``False``: ask the model.

    ``chunk`` documents per msgspec call: each call holds the interpreter lock, and a whole
    table of 20,000 students in one would hold it for tens of milliseconds."""
    kind: Any = list[_struct(model)]  # type: ignore[misc]
    try:
        for start in range(0, len(docs), chunk):
            msgspec.convert(docs[start : start + chunk], kind)
    except (msgspec.ValidationError, RecursionError):
        return False
    return True
