"""The wizard's checkbox and radio button: an empty box when off, a marked one when on.

Textual draws the same ``X`` (or ``●``) in both states and only changes its colour, which
is hard to tell apart in the light theme and with some colour vision. These draw the mark
only when on (app.tcss fills the box with the success colour too), so the state reads by
shape as well as colour. Use them for every checkbox and radio button in the wizard.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton

CHECK_MARK = "✓"
RADIO_MARK = "●"
OFF = " "


def _show_mark(button: Checkbox | RadioButton, mark: str) -> None:
    """Draw ``mark`` in the box when the button is on, nothing when off."""
    button.BUTTON_INNER = mark if button.value else OFF
    button.refresh()


class Tick(Checkbox):
    """A checkbox whose box is empty when off and shows ✓ when on."""

    def on_mount(self) -> None:
        _show_mark(self, CHECK_MARK)

    def watch_value(self) -> None:
        _show_mark(self, CHECK_MARK)
        super().watch_value()


class Choice(RadioButton):
    """A radio button whose box is empty when off and shows ● when on."""

    def on_mount(self) -> None:
        _show_mark(self, RADIO_MARK)

    def watch_value(self) -> None:
        _show_mark(self, RADIO_MARK)
        super().watch_value()
