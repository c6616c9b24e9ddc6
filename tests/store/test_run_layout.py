"""Runs on disk: small rows, journals apart, one copy of a problem list, old files migrated."""

from __future__ import annotations

import json
from pathlib import Path

from cleverwizard.store import SCHEMA_VERSION, Problem, RosterStore, Run, RunCounts
from tests.store.conftest import make_student


def flags(count: int) -> list[Problem]:
    return [
        Problem(kind="student", clever_id=f"c{i}", name=f"Kid {i}", issue="No email in Clever", fix="Add it")
        for i in range(count)
    ]


def quiet_run(run_id: int, problems: list[Problem]) -> Run:
    return Run(
        id=run_id, kind="sync", started_by="schedule", counts=RunCounts(flagged=len(problems)), problems=problems
    )


def test_runs_that_flag_the_same_problems_store_the_list_once(store: RosterStore) -> None:
    with store.transaction() as tx:
        tx.add_run(quiet_run(1, flags(500)))
    one = store.path.stat().st_size
    for run_id in range(2, 12):
        with store.transaction() as tx:
            tx.add_run(quiet_run(run_id, flags(500)))
    grown = store.path.stat().st_size - one
    assert grown < 10 * 400, f"ten quiet runs added {grown} bytes"
    data = json.loads(store.path.read_text())
    assert len(data["problems"]) == 1 and data["journals"] == {}
    assert all("problems" not in row and "before" not in row for row in data["runs"].values())
    assert [len(run.problems) for run in store.runs()] == [500] * 11
    assert store.run(3) is not None and store.run(3).problems == flags(500)  # type: ignore[union-attr]


def test_history_reads_leave_journals_and_problems_out_when_asked(store: RosterStore) -> None:
    run = Run(
        id=1,
        kind="import students",
        started_by="t",
        problems=flags(2),
        before={"students": {"5": None}},
        after={"students": {"5": "abc"}},
    )
    with store.transaction() as tx:
        tx.add_run(run)
    [light] = store.runs(journal=False, problems=False)
    assert (light.before, light.after, light.problems) == ({}, {}, [])
    assert light.model_dump(exclude={"before", "after", "problems"}) == run.model_dump(
        exclude={"before", "after", "problems"}
    )
    assert store.runs() == [run] and store.run(1) == run
    with store.transaction() as tx:
        assert tx.runs(journal=False)[0].before == {} and tx.run(1) == run


def v1_file(data_dir: Path, run: Run) -> Path:
    """A roster as schema version 1 saved it: journal and problems inside the run row."""
    data_dir.mkdir(parents=True, exist_ok=True)
    student = make_student(5).model_dump(mode="json")
    content = {
        "meta": {"1": {"schema_version": 1, "revision": 4, "last_run_id": 1, "last_account_id": 5}},
        "site": {},
        "teachers": {},
        "students": {"5": student},
        "matches": {},
        "runs": {"1": run.model_dump(mode="json")},
        "sections": {},
        "courses": {},
    }
    path = data_dir / "roster.json"
    path.write_text(json.dumps(content))
    return path


def test_a_schema_1_roster_is_read_as_it_was_and_saved_in_the_new_layout_on_the_first_write(data_dir: Path) -> None:
    run = Run(
        id=1,
        kind="import students",
        started_by="t",
        counts=RunCounts(created=1, flagged=1),
        problems=flags(1),
        before={"students": {"5": None}},
        after={"students": {"5": "abc"}},
    )
    path = v1_file(data_dir, run)
    saved = path.read_bytes()
    store = RosterStore.open(data_dir)
    assert store.runs() == [run] and store.run(1) == run and store.revision == 4
    assert [s.id for s in store.students()] == [5]
    assert path.read_bytes() == saved  # reading never rewrites the file
    with store.transaction() as tx:
        tx.add_run(quiet_run(tx.next_run_id(), flags(1)))
    data = json.loads(path.read_text())
    assert data["meta"]["1"]["schema_version"] == SCHEMA_VERSION and data["meta"]["1"]["revision"] == 5
    assert set(data["runs"]["1"]) >= {"id", "kind", "counts", "problem_set"} and "before" not in data["runs"]["1"]
    assert data["journals"]["1"] == {"before": {"students": {"5": None}}, "after": {"students": {"5": "abc"}}}
    assert len(data["problems"]) == 1  # run 2 flagged the same record: one shared list
    store.close()
    with RosterStore.open(data_dir) as reopened:
        assert reopened.run(1) == run and [r.id for r in reopened.runs()] == [2, 1]
