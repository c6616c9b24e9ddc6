"""The daily sync reports a hand-made account's kept login on the run that links it, not every day.

An edit made in the wizard that differs from Clever is reported by every run that lists its
records (a day with nothing new is still one line, as before).
"""

from __future__ import annotations

from pathlib import Path

from cleverwizard.sandbox import SandboxDistrict
from cleverwizard.store.models import Teacher
from tests.daily.conftest import Run, opened, teachers_at


def test_a_kept_login_is_reported_once_and_an_edit_every_run(
    cw: Run, connected: str, district: SandboxDistrict, data_dir: Path
) -> None:
    clever = next(t for t in teachers_at(district, connected) if t["roles"]["teacher"].get("sis_id") and t.get("email"))
    sis_id = clever["roles"]["teacher"]["sis_id"]
    with opened(data_dir) as store, store.transaction() as tx:
        tx.put_teachers(
            [
                Teacher(
                    id=tx.next_account_id(),
                    first_name="Hand",
                    last_name="Made",
                    email="own@home.example",
                    sis_id=sis_id,
                )
            ]
        )
    first = cw("sync")
    assert first.exit_code == 0, first.output
    kept = [line for line in first.output.splitlines() if line.startswith("kept ")]
    assert kept == [
        f"kept login email from before Clever for {_name(clever)}: own@home.example (Clever has {clever['email']})"
    ]
    assert "kept edited" not in first.output
    with opened(data_dir) as store:
        [account] = [t for t in store.teachers() if t.clever_id == clever["id"]]
        assert (account.kept, account.edited, account.email) == (["email"], [], "own@home.example")

    quiet = cw("sync", "--full")
    assert quiet.exit_code == 0 and "nothing new, nothing changed" in quiet.output
    again = cw("sync", "--full", "--verbose")  # every line of the run: still not reported again
    assert again.exit_code == 0, again.output
    assert "kept " not in again.output

    with opened(data_dir) as store, store.transaction() as tx:  # now someone edits it in the wizard
        current = tx.teacher(account.id)
        assert current is not None
        tx.put_teachers([current.model_copy(update={"email": "typed@school.example", "edited": ["email"], "kept": []})])
    for _ in range(2):
        edited = cw("sync", "--full", "--verbose")
        assert f"kept edited email for {_name(clever)}: typed@school.example" in edited.output


def _name(user: dict[str, object]) -> str:
    name = user["name"]
    assert isinstance(name, dict)
    return f"{name['first']} {name['last']}"
