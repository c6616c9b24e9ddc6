"""Below the Teachers preview's rows: who gets a new account, and what to fix in the SIS.

Both lists come from the plan (``Plan.of("create")`` and ``Plan.problems``), so they always
say what *Import* will do with the current choices: a Clever teacher chosen in no row
gets a new account, and a record with no name, no email, a malformed email or an email
two people share is flagged with the fix an administrator can ask the SIS team for.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from cleverwizard.people.plan import Plan
from cleverwizard.rules.order import person_order
from cleverwizard.ui.literal import literal

SIS_FIX = "Update the data your SIS shares with Clever."
LISTED = 100
"""Most lines per list: redrawn after every choice, a thousand lines would make choosing lag."""


def _capped(lines: list[Content], noun: str) -> Content:
    shown = lines[:LISTED]
    if len(lines) > LISTED:
        shown.append(Content.styled(f"  … and {len(lines) - LISTED} more {noun}", "italic"))
    return Content("\n").join(shown)


class TeacherPlanLists(Vertical):
    """The *New accounts* and *Check in your SIS* lists for one teacher plan."""

    DEFAULT_CSS = """
    TeacherPlanLists {
        height: auto;
        & > .section-title { text-style: bold; margin-top: 1; color: $text-accent; }
        & > Static { height: auto; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="new-accounts-title", classes="section-title")
        yield Static("", id="new-accounts")
        yield Static("", id="sis-problems-title", classes="section-title")
        yield Static("", id="sis-problems")

    def show(self, plan: Plan) -> None:
        created = sorted(
            plan.of("create"),
            key=lambda c: person_order(c.values.get("last_name"), c.values.get("first_name"), c.clever_id),
        )  # as View Imported Teachers will list them
        self.query_one("#new-accounts-title", Static).update(
            f"New accounts ({len(created)}): Clever teachers not chosen for any platform teacher"
        )
        self.query_one("#new-accounts", Static).update(
            _capped(
                [
                    Content.assemble(
                        literal(f"  + {change.name or '(no name)'}  "),
                        literal(change.values.get("email") or "(no login email)", "$foreground-muted"),
                    )
                    for change in created
                ],
                "new accounts",
            )
            if created
            else "  None: every Clever teacher is matched to a platform teacher."
        )
        problems = plan.problems
        self.query_one("#sis-problems-title", Static).update(
            f"Check in your SIS ({len(problems)}): Clever teachers with missing or suspicious data"
        )
        self.query_one("#sis-problems", Static).update(
            _capped(
                [
                    Content.assemble(
                        ("  ! ", "bold $text-warning"),
                        literal(problem.name, "bold"),
                        literal(f": {problem.issue}. "),
                        literal(problem.fix or SIS_FIX, "italic"),
                    )
                    for problem in problems
                ],
                "records to fix",
            )
            if problems
            else "  None: every Clever teacher has a name and a usable email."
        )
