"""Help (F1 or ?): the steps in order and the keys that work everywhere."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from cleverwizard.service.steps import STEPS
from cleverwizard.ui.steps import help_steps
from cleverwizard.ui.widgets.keys_footer import KeysFooter

HELP_TEXT_TEMPLATE = """\
# Help

Set this site up with Clever in order; every step returns to **Notifications**.

{steps}

**History** (`h` on Notifications) lists every import, sync and undo with its counts and
problems; *Undo this run* (`u`) reverts one run where nothing later depends on it.

Nothing is saved until you press *Connect*, *Confirm*, *Import* or *Save*, so you can quit at
any time. Emails edited here are kept by later imports and syncs.

## Keys

- `1` – `{last}`: open a step from Notifications
- `tab`, `shift+tab`, `↑` `↓`: move between steps, fields, buttons and rows
- `enter`: press the focused button, choose the highlighted row
- `escape`: one step back: to Notifications, or to the step a list was opened from (cancels a
  fetch in progress; a preview whose choices you changed asks first)
- `c`: cancel a fetch from Clever
- `i`: on Teachers, Students and Sections: *Import …* (fetch from Clever), then *Import*
  on the preview, which asks once: `y` imports, `enter` or `escape` keeps the preview
- `v`: *View Imported Teachers / Students* once imported; `t`, `s` open them from Notifications
- `f`: students preview: show only students without an email
- `/`, `n`, `e` in View Imported Teachers / Students: filter, only accounts without a login
  email, edit the selected login email; `escape` in the filter box clears it
- `h`: History from Notifications; `u`: undo the selected run there
- `ctrl+p`: command palette: jump to any step, change the theme
- `F1`, `?`: this help
- `q`: quit (when no text field has the cursor); `ctrl+q` always quits
"""

HELP_TEXT = HELP_TEXT_TEMPLATE.format(steps=help_steps(), last=len(STEPS))


_SPAN = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*|`[^`]+`)")


def _inline(text: str) -> Content:
    """**bold**, *italic* and `keys` as styles, the words between them untouched."""
    parts: list[Content | str] = []
    for piece in _SPAN.split(text):
        if piece.startswith("**"):
            parts.append(Content.styled(piece[2:-2], "bold"))
        elif piece.startswith("*"):
            parts.append(Content.styled(piece[1:-1], "italic"))
        elif piece.startswith("`"):
            parts.append(Content.styled(piece[1:-1], "bold $text-accent"))
        elif piece:
            parts.append(piece)
    return Content.assemble(*parts)


def help_content(text: str) -> Content:
    """Help's small Markdown as styled text: paragraphs re-joined, headings bold.

    Textual's Markdown widget moved the space after an emphasis before it ("Import
    Teachersfetches"); the help needs only headings, lists and emphasis, done here.
    """
    blocks: list[str] = []
    starts = re.compile(r"^(#|- |\d+\. )")
    for line in text.splitlines():
        if line.strip() and not starts.match(line) and blocks and blocks[-1] and not blocks[-1].startswith("#"):
            blocks[-1] += " " + line.strip()
        else:
            blocks.append(line.rstrip())
    out: list[Content] = []
    for block in blocks:
        if block.startswith("#"):
            out.append(Content.styled(block.lstrip("# "), "bold $text-accent"))
        else:
            out.append(_inline(block))
    return Content("\n").join(out)


class HelpScreen(ModalScreen[None]):
    """Steps and keys; escape, F1 or ? closes it."""

    BINDINGS = [
        Binding("escape,f1,question_mark", "close", "Close help", id="close-help"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            with VerticalScroll(id="help-scroll"):
                yield Static(help_content(HELP_TEXT), id="help-text")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="help-close", variant="primary")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#help-close")
    def _close(self) -> None:
        self.dismiss(None)
