"""Help (F1 or ?): the steps in order and the keys that work everywhere."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Markdown

from cleverwizard.service.steps import STEPS
from cleverwizard.ui.steps import help_steps

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
- `escape`: back to Notifications, or to the step a list was opened from (cancels a fetch
  in progress)
- `c`: cancel a fetch from Clever
- `i`: on Teachers, Students and Sections: *Import …* (fetch from Clever), then *Import*
  on the preview; `v`: *View Imported Teachers / Students* once imported
- `f`: students preview: show only students without an email
- `/`, `n`, `e` in View Imported Teachers / Students: filter, only accounts without a login
  email, edit the selected login email; `escape` in the filter box clears it
- `h`: History from Notifications; `u`: undo the selected run there
- `ctrl+p`: command palette: jump to any step, change the theme
- `F1`, `?`: this help
- `q`: quit (when no text field has the cursor); `ctrl+q` always quits
"""

HELP_TEXT = HELP_TEXT_TEMPLATE.format(steps=help_steps(), last=len(STEPS))


class HelpScreen(ModalScreen[None]):
    """Steps and keys; escape, F1 or ? closes it."""

    BINDINGS = [
        Binding("escape,f1,question_mark", "close", "Close help", id="close-help"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            with VerticalScroll(id="help-scroll"):
                yield Markdown(HELP_TEXT, id="help-text")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="help-close", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#help-close")
    def _close(self) -> None:
        self.dismiss(None)
