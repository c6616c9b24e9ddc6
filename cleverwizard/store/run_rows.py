"""How a run is laid out on disk, so a quiet day adds (almost) nothing to the roster.

A ``Run`` is three things of very different sizes and uses:

- the **row** (``runs`` table): id, kind, who, when, counts, detail. A few hundred bytes;
  history, the checklist and ``status`` read only these.
- the **journal** (``journals`` table, same key): what the run changed (``before``) and the
  fingerprints it left (``after``). It can hold a whole school; only undo reads it. A run
  that changed nothing has no journal document at all.
- the **problems** (``problems`` table): the records Clever sent that need fixing in the
  SIS. A daily sync that changes nothing flags the same thousands of records as yesterday,
  so a problem list is stored once, under a digest of its content, and every run that
  flagged exactly that list points at it (``problem_set``). The list the latest run points
  at is the current state; older runs keep theirs, so history still shows what each run
  flagged, and a new list is stored only when the problems really changed.

Schema version 1 kept all three inside each run row; ``migrate_v1`` splits such a file in
memory when it is read, and the first write saves it in the new layout.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from cleverwizard.store.ascii_json import compact_json

RawTable = dict[str, dict[str, Any]]

RUNS = "runs"
JOURNALS = "journals"
PROBLEMS = "problems"
JOURNAL_FIELDS = ("before", "after")
PROBLEM_SET = "problem_set"
"""The run row's key naming its problem list in ``problems`` (``None``: it flagged nothing)."""


DIGEST_CHUNK = 500
"""Problems encoded per call while digesting a list (each call holds the interpreter lock:
a school's 10,000 problems in one took over 20 ms)."""
_DIGEST_TEXT = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def problem_digest(problems: list[dict[str, Any]], chunk: int = DIGEST_CHUNK) -> str:
    """The key of a problem list: equal lists (same problems, same order) share one document.

    The hash of ``json.dumps(problems, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)`` in UTF-8, fed ``chunk`` problems at a time: a list's text is its
    items' texts between brackets, so the digest (saved in every run row) is the same."""
    digest = hashlib.sha256(b"[")
    for start in range(0, len(problems), chunk):
        if start:
            digest.update(b",")
        piece = problems[start : start + chunk]
        text = compact_json(piece, sort_keys=True) if _only_text(piece) else None
        digest.update((text if text is not None else _DIGEST_TEXT.encode(piece).encode("utf-8"))[1:-1])
    digest.update(b"]")
    return digest.hexdigest()[:24]


def _only_text(problems: list[dict[str, Any]]) -> bool:
    """Every field of every problem is text or null, as a stored ``Problem``'s are: orjson then
    writes the stdlib's bytes several times faster (a float it would spell its own way)."""
    return all(type(value) is str or value is None for problem in problems for value in problem.values())


def split_run(key: str, doc: dict[str, Any], journals: RawTable, problems: RawTable) -> dict[str, Any]:
    """Store a run's journal and problems in their own tables; return the row to keep in ``runs``.

    ``doc`` is the run's JSON form (``Run.model_dump(mode="json")``) and is not changed.
    """
    row = {key: value for key, value in doc.items() if key not in (*JOURNAL_FIELDS, "problems")}
    journal = {field: doc.get(field) or {} for field in JOURNAL_FIELDS}
    if any(journal.values()):
        journals[key] = journal
    else:
        journals.pop(key, None)
    listed = doc.get("problems") or []
    digest = problem_digest(listed) if listed else None
    if digest is not None and digest not in problems:
        problems[digest] = {"problems": listed}
    row[PROBLEM_SET] = digest
    return row


def problem_list(row: dict[str, Any], problems: RawTable) -> list[dict[str, Any]]:
    """The stored problem documents a run row points at (shared: do not change them)."""
    digest = row.get(PROBLEM_SET)
    if digest is None:
        return []
    found = problems.get(digest)
    listed = found.get("problems") if found else None
    return listed if isinstance(listed, list) else []


def join_run(
    row: dict[str, Any], journals: RawTable, problems: RawTable, *, journal: bool, with_problems: bool
) -> dict[str, Any]:
    """A run's JSON form again from its row, with its journal and problems when asked for.

    The journal is deep-copied (its records are free-form dicts a caller may change); the
    problem documents are validated into new models by the caller, so they are not.
    """
    doc = {key: value for key, value in row.items() if key != PROBLEM_SET}
    if journal:
        stored = journals.get(str(row.get("id")))
        if stored:
            doc.update(copy.deepcopy({key: stored.get(key) or {} for key in JOURNAL_FIELDS}))
    if with_problems:
        doc["problems"] = problem_list(row, problems)
    return doc


def migrate_v1(tables: dict[str, RawTable]) -> None:
    """Split every schema-1 run row (journal and problems inline) into the new layout, in place."""
    journals = tables.setdefault(JOURNALS, {})
    problems = tables.setdefault(PROBLEMS, {})
    runs = tables.get(RUNS, {})
    for key, doc in list(runs.items()):
        if PROBLEM_SET not in doc:
            runs[key] = split_run(key, doc, journals, problems)
