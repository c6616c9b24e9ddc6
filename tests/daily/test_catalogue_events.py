"""School, term and course events in the daily sync: a renamed term or school reaches the
platform without ``sync --full``."""

from __future__ import annotations

from pathlib import Path

from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
from tests.daily.conftest import Run, opened
from tests.daily.test_sync_sections import sectioned  # noqa: F401  (the fixture)


def test_a_term_renamed_in_clever_reaches_every_section_through_events(
    cw: Run, sectioned: str, district: SandboxDistrict, api: SandboxAPI, data_dir: Path
) -> None:
    with opened(data_dir) as store:
        term_id = next(s.clever_term_id for s in store.sections() if s.clever_term_id and s.status == "active")
    district.update_record("terms", term_id, name="Autumn Semester (renamed)")
    api.path_counts.clear()
    result = cw("sync")
    assert result.exit_code == 0, result.output
    assert "event log" in result.output.splitlines()[0]  # not a full comparison
    with opened(data_dir) as store:
        in_term = [s for s in store.sections() if s.clever_term_id == term_id]
    assert in_term and all(s.term_name == "Autumn Semester (renamed)" for s in in_term)
    assert not any(path.endswith("/users") for path in api.path_counts)  # people were not re-read


def test_a_school_renamed_in_clever_is_renamed_here_through_events(
    cw: Run, sectioned: str, district: SandboxDistrict, data_dir: Path
) -> None:
    district.update_record("schools", sectioned, name="Renamed Elementary")
    result = cw("sync")
    assert result.exit_code == 0, result.output
    with opened(data_dir) as store:
        site = store.site()
    assert site is not None and site.school_name == "Renamed Elementary"
    assert "Renamed Elementary" in cw("status").output
