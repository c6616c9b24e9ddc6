"""Schema 3: logins kept when a hand-made account was linked are "kept", not "edited".

Before ``Account.kept`` existed, linking a hand-made account to Clever kept its own login
email by adding ``"email"`` to ``edited``, as if someone had typed it. The two can be told
apart afterwards from the journal of the run that linked the account: it holds the record
as it was before the link (no Clever id, ``email`` not edited). When the login now is still
that pre-link email, nobody changed it since; it moves from ``edited`` to ``kept``. An
account whose email differs from its pre-link one was edited after the link and stays
edited. The migrated record's digest replaces the old one in every run journal that held
it, so a run that could be undone before the migration still can.
"""

from __future__ import annotations

from typing import Any

from cleverwizard.store.fingerprints import doc_fingerprint

RawTable = dict[str, dict[str, Any]]
PEOPLE = ("teachers", "students")


def _same(a: object, b: object) -> bool:
    return isinstance(a, str) and isinstance(b, str) and a.strip().casefold() == b.strip().casefold()


def migrate_kept_logins(tables: dict[str, RawTable], journals_table: str) -> None:
    """Move link-kept logins from ``edited`` to ``kept``, in place (see the module doc)."""
    journals = tables.get(journals_table, {})
    ordered = [journals[key] for key in sorted(journals, key=lambda k: int(k) if k.isdigit() else 0)]
    for table in PEOPLE:
        docs = tables.get(table, {})
        candidates = {
            key: doc
            for key, doc in docs.items()
            if doc.get("source") == "manual" and doc.get("clever_id") and "email" in (doc.get("edited") or [])
        }
        if not candidates:
            continue
        before_link: dict[str, object] = {}
        for journal in ordered:  # oldest first: the last link of an account wins
            before = (journal.get("before") or {}).get(table) or {}
            for key in candidates.keys() & before.keys():
                old = before[key]
                if isinstance(old, dict) and old.get("clever_id") is None and "email" not in (old.get("edited") or []):
                    before_link[key] = old.get("email")
        for key, email in before_link.items():
            doc = candidates[key]
            if not _same(email, doc.get("email")):
                continue
            migrated = dict(doc)
            migrated["edited"] = [name for name in doc["edited"] if name != "email"]
            migrated["kept"] = sorted({*(doc.get("kept") or []), "email"})
            old_print, new_print = doc_fingerprint(doc), doc_fingerprint(migrated)
            docs[key] = migrated
            for journal in ordered:
                left = (journal.get("after") or {}).get(table)
                if isinstance(left, dict) and left.get(key) == old_print:
                    left[key] = new_print
