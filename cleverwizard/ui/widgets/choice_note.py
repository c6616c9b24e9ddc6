"""The words under a preview row's dropdown, shared by the teacher and the section rows.

Both previews explain the current choice by the same rules: a saved choice, our suggestion
and its reason, no confident match, nothing similar, or the administrator's own choice.
Only a few words differ between them, so they are passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from textual.content import Content

from cleverwizard.ui.literal import literal


class SuggestedRow(Protocol):
    """A preview row as the note reads it (``TeacherMatchRow``, ``SectionMatchRow``)."""

    @property
    def candidates(self) -> Sequence[object]: ...

    @property
    def suggested(self) -> object: ...

    @property
    def decided(self) -> bool: ...


def choice_note(
    row: SuggestedRow,
    value: object,
    reason: str | None,
    *,
    saved: str,
    nothing_similar: str,
    chosen: bool = False,
    not_listed: str | None = None,
) -> Content:
    """Why ``value`` is chosen; ``reason``: why it is a candidate, ``None`` when it is not one.

    ``chosen``: the administrator picked it (even if it was the suggestion too);
    ``not_listed``: what *not in the list* will do, said once the administrator chose it.
    """
    if value is None and not_listed is not None and (chosen or value != row.suggested):
        return literal(f"Chosen by you: {not_listed}", "$text-accent")
    if value == row.suggested and not chosen:
        if row.decided:
            return Content.styled(saved if value else "Saved: not in the list", "$text-success")
        if reason is not None:
            return Content.assemble(("Suggested: ", "bold $text-success"), literal(reason, "$text-success"))
        if row.candidates:
            return Content.styled("No confident match: choose one if listed", "$text-warning")
        return Content.styled(nothing_similar, "$foreground-muted")
    if value is None:
        return Content.styled("Chosen by you: not in the list", "$text-accent")
    why = f" ({reason})" if reason is not None else ""
    return literal(f"Chosen by you{why}", "$text-accent")
