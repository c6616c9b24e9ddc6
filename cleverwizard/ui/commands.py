"""Command palette (ctrl+p): jump to any step of the wizard by typing its name."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from cleverwizard.service.status import Checklist
from cleverwizard.service.steps import STEPS
from cleverwizard.ui.literal import markup_escaped
from cleverwizard.ui.steps import Destination

if TYPE_CHECKING:
    from cleverwizard.ui.app import CleverWizardApp

JUMPS: tuple[tuple[str, Destination, str], ...] = (
    ("Notifications", "home", "The checklist: where this site stands with Clever"),
    *((step.name, step.key, step.about) for step in STEPS),
    ("View Imported Teachers", "teacher-list", "The imported teachers; check or edit their login emails"),
    ("View Imported Students", "student-list", "The imported students; enter the login emails Clever lacks"),
    ("History", "history", "Every import, sync and undo; undo a run"),
    ("Help", "help", "The steps and the keys"),
)


class WizardCommands(Provider):
    """One command per step; steps that need an earlier one say so instead of opening."""

    checklist: Checklist | None = None

    @property
    def wizard(self) -> CleverWizardApp:
        return cast("CleverWizardApp", self.app)

    async def startup(self) -> None:
        """Read the checklist once per palette opening, not once per command."""
        self.checklist = self.wizard.checklist()

    def _help(self, key: Destination, help_text: str) -> str:
        reason = self.wizard.blocked_reason(key, self.checklist)
        return markup_escaped(f"{help_text} — {reason}" if reason else help_text)  # the palette reads markup

    async def discover(self) -> Hits:
        for title, key, help_text in JUMPS:
            yield DiscoveryHit(
                title,
                partial(self.wizard.open_step, key),
                help=self._help(key, help_text),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, key, help_text in JUMPS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.wizard.open_step, key),
                    text=title,
                    help=self._help(key, help_text),
                )
