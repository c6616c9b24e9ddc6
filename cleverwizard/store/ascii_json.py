"""ASCII-only JSON at orjson's speed: orjson's UTF-8 output with ``\\uXXXX`` escapes put back.

The roster file and the fingerprints' canonical text are ASCII-only JSON (``ensure_ascii``):
pydantic-core's encoder for the file, the stdlib's for fingerprints. orjson writes the same
compact text five to ten times faster, except that it leaves non-ASCII characters as UTF-8.
Escaping those afterwards, as both encoders do (lowercase hex, a surrogate pair above
U+FFFF), gives their bytes exactly; they differ only on DEL, which the stdlib escapes.
"""

from __future__ import annotations

import codecs
from typing import Any

import orjson

_HANDLER = "cleverwizard.json-escape"
_KEEP_TYPES_OUT = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS
"""Types orjson spells its own way (datetimes, dataclasses, subclasses of str or dict) raise
instead, so the caller's own encoder writes them."""


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 | code >> 10:04x}\\u{0xDC00 | code & 0x3FF:04x}"


def _json_escapes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(map(_escape, error.object[error.start : error.end])), error.end


codecs.register_error(_HANDLER, _json_escapes)


def escape_non_ascii(raw: bytes, *, escape_del: bool) -> bytes:
    """``raw`` (JSON in UTF-8) with every non-ASCII character written as ``\\uXXXX``.

    Outside its strings JSON is ASCII, so every such character is inside a string.
    ``escape_del``: also write DEL (U+007F) as ``\\u007f``, as the stdlib does.
    """
    if escape_del and b"\x7f" in raw:
        raw = raw.replace(b"\x7f", b"\\u007f")
    if raw.isascii():
        return raw
    return raw.decode("utf-8").encode("ascii", _HANDLER)


def compact_json(value: Any, *, sort_keys: bool = False) -> bytes | None:
    """``value`` as compact JSON in UTF-8, or ``None`` where orjson can't vouch for the
    spelling (a key that is not a string, an integer past 64 bits, a lone surrogate, a type
    it would spell its own way): the caller then uses its own encoder."""
    option = _KEEP_TYPES_OUT | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    try:
        return orjson.dumps(value, option=option)
    except TypeError:  # orjson.JSONEncodeError
        return None


def ascii_json(value: Any, *, sort_keys: bool = False, escape_del: bool = False) -> bytes | None:
    """``compact_json`` with its non-ASCII characters escaped (``escape_non_ascii``)."""
    raw = compact_json(value, sort_keys=sort_keys)
    return None if raw is None else escape_non_ascii(raw, escape_del=escape_del)
