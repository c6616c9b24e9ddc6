"""The demo: the wizard on the sandbox district, in a folder that is never the real one.

The demo platform starts the way a real school's does before Clever: a handful of
teacher accounts made by hand, some of them Clever teachers under a nickname, a maiden
name, a typo or another email, so the matching screen has real work to do; and its own
course catalogue, worded partly like Clever's courses and partly not, for the Sections step.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from cleverwizard import config
from cleverwizard.store import RosterStore
from cleverwizard.store.models import Course, Teacher, now_iso


def prepare_demo(
    folder: Path, *, seed: int = 2026, fresh: bool = False, clever_state: str | None = None
) -> config.Settings:
    """Make (or reuse) a demo folder wired to the in-process sandbox district.

    ``settings.json`` is written last: a folder without it is an unfinished demo and is
    made again from scratch, so a demo interrupted while being made never half-exists.

    The folder keeps the sandbox app's client id and secret (never a token), so the demo gets
    its district token from the sandbox's ``/oauth/tokens`` exactly as production gets one
    from Clever. Only a demo folder ever holds app credentials: production reads them from
    the environment and never writes them.
    """
    from cleverwizard.sandbox import demo_district, demo_platform_courses, demo_platform_teachers

    if fresh and folder.exists():
        shutil.rmtree(folder)
    district = demo_district(seed)
    is_new = not (folder / config.SETTINGS_FILE).exists()
    if is_new and folder.exists():
        shutil.rmtree(folder)
    app = {"sandbox_client_id": district.client_id, "sandbox_client_secret": district.client_secret}
    if is_new:
        store = RosterStore.open(folder)
        try:
            first_school = next(iter(district.schools))
            stamp = now_iso()
            with store.transaction() as tx:
                tx.put_teachers(
                    [
                        Teacher(id=tx.next_account_id(), source="manual", created_at=stamp, updated_at=stamp, **person)
                        for person in demo_platform_teachers(district, first_school)
                    ]
                )
                tx.put_courses(
                    [
                        Course(id=tx.next_course_id(), created_at=stamp, updated_at=stamp, **course)
                        for course in demo_platform_courses(district)
                    ]
                )
        finally:
            store.close()
        config.save_settings(
            folder,
            sandbox_seed=seed,
            clever_url=config.SANDBOX_URL,
            sandbox_district_id=district.district_id,
            sandbox_school_id=first_school,
            **app,
        )
    elif not app.items() <= config.read_saved(folder).items():  # a demo made by an older version
        config.save_settings(folder, sandbox_district_id=district.district_id, **app)
    if clever_state is not None:  # how Clever's own sync of the sandbox district stands, from now on
        config.save_settings(folder, sandbox_clever_state=clever_state)
    return config.resolve(folder)
