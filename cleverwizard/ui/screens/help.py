"""Help (F1 or ?): the steps in order and the keys that work everywhere."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Markdown

HELP_TEXT = """\
# Help

Set this site up with Clever in order; every step returns to **Notifications**.

1. **Connect your District** – type the Clever district id (and the district token when none
   is configured). The wizard checks it with Clever before saving it.
2. **Select your School** – one Clever school connects to this site. For another school, run
   the wizard for that site with its own data folder (`--data-dir`).
3. **Teachers** – *Import Teachers* fetches Clever's teachers; choose the match for each
   platform teacher, then *Import*. *View Imported Teachers* lets you fix login emails.
4. **Students** – *Import Students* fetches Clever's students and shows them by grade;
   students without an email can't log in until one is entered. *Import*, then
   *View Imported Students* to enter emails.
5. **Sections** – *Import Sections* fetches Clever's sections (classes); choose each one's
   platform course (our suggestion is pre-selected and says why, or *not in the list*),
   then *Import*. Sections whose teacher or students are not imported yet are flagged.

**History** (`h` on Notifications) lists every import, sync and undo with its counts and
problems; *Undo this run* (`u`) reverts one run where nothing later depends on it.

Nothing is saved until you press *Connect*, *Confirm*, *Import* or *Save*, so you can quit at
any time. Emails edited here are kept by later imports and syncs.

## Keys

- `1` – `5`: open a step from Notifications
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
