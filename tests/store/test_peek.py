"""``peek``: stored fields of a whole table for counts, without models, as the store has them."""

from __future__ import annotations

import json
from pathlib import Path

from cleverwizard.store import RosterStore
from tests.store.conftest import make_student


def test_peek_gives_each_record_s_fields_in_the_order_asked(tmp_path: Path) -> None:
    with RosterStore.open(tmp_path) as store:
        with store.transaction() as tx:
            tx.put_student(make_student(1, email="a@school.org"))
            tx.put_student(make_student(2, email=None, status="archived"))
        assert sorted(store.peek("students", ("email", "status")), key=str) == [
            ("a@school.org", "active"),
            (None, "archived"),
        ]
        assert sorted(store.peek("students", ("status",))) == [("active",), ("archived",)]


def test_a_field_an_older_record_lacks_reads_as_the_model_s_default(tmp_path: Path) -> None:
    with RosterStore.open(tmp_path) as store, store.transaction() as tx:
        tx.put_student(make_student(1, email="a@school.org"))
        tx.put_student(make_student(2, email="b@school.org"))
    saved = json.loads((tmp_path / "roster.json").read_text())
    older = next(iter(saved["students"].values()))
    del older["edited"]
    (tmp_path / "roster.json").write_text(json.dumps(saved))
    with RosterStore.open(tmp_path) as store:
        assert sorted(store.peek("students", ("email", "edited")), key=str) == [
            ("a@school.org", []),
            ("b@school.org", []),
        ]


def test_logins_are_each_account_s_id_email_and_name_as_its_model_gives_them(tmp_path: Path) -> None:
    with RosterStore.open(tmp_path) as store:
        with store.transaction() as tx:
            tx.put_student(make_student(1, email="a@school.org"))
            tx.put_student(make_student(2, email=None, first_name="", status="archived"))
        logins = sorted(store.logins("student"))
        assert logins == sorted((s.id, s.email, s.first_name, s.last_name) for s in store.students())
        assert [login.full_name for login in logins] == [
            s.full_name for s in sorted(store.students(), key=lambda s: s.id)
        ]
        assert store.logins("teacher") == []
