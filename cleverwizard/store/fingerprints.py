"""The digest of a stored record, which every run keeps of what it left (see ``runs.journal``).

It lives with the store because a migration of stored records must carry the runs'
fingerprints along (``store.kept_logins``); ``runs.journal.fingerprint`` takes models too.
The format is fixed: digests saved by old runs must stay comparable.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cleverwizard.store.ascii_json import ascii_json

_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)
"""The text a fingerprint hashes: exactly ``json.dumps(doc, sort_keys=True, separators=(",", ":"),
default=str)``, with the encoder made once instead of once per record."""


def canonical_bytes(doc: dict[str, Any]) -> bytes:
    """The bytes a fingerprint hashes: exactly ``_CANONICAL_JSON.encode(doc)`` in UTF-8.

    orjson writes the same compact, key-sorted text several times faster, once its non-ASCII
    characters and DEL are escaped as the stdlib escapes them (``ascii_json``): stored records
    hold only strings, integers, booleans, null, lists and objects (no floats, whose spelling
    differs). Anything else takes the stdlib encoder, so the digests of old runs stay comparable.
    """
    fast = ascii_json(doc, sort_keys=True, escape_del=True)
    return fast if fast is not None else _CANONICAL_JSON.encode(doc).encode("utf-8")


def doc_fingerprint(doc: dict[str, Any]) -> str:
    """A short digest of one stored document; equal digests mean an unchanged record."""
    return hashlib.sha256(canonical_bytes(doc)).hexdigest()[:20]
