"""Text from Clever or the roster, as the wizard shows it: exactly as written, on one line.

Textual reads a plain ``str`` handed to ``Static``, ``Label``, ``Button``, a ``DataTable``
cell, an ``OptionList`` option or a toast as markup: a district called
``[@click=app.quit]Lakeview`` would quit the app when clicked, and one with a stray ``[/b]``
would crash every screen that shows it. ``Content`` and Rich ``Text`` are never parsed, so
every widget that shows a value from Clever, the store or an error message is handed one of
these, built from ``one_line`` so no escape sequence reaches the terminal and no value
spreads over several lines.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import JustifyMethod
from rich.text import Text
from textual.content import Content
from textual.markup import escape

from cleverwizard.text import one_line


def literal(value: object, style: str = "") -> Content:
    """``value`` as one line of literal ``Content`` (``style`` is a Textual style, e.g. ``"bold"``)."""
    return Content.styled(one_line(value), style) if style else Content(one_line(value))


def literal_lines(lines: Iterable[object]) -> Content:
    """Several values, each on its own literal line: the line breaks are the wizard's, not the data's."""
    return Content("\n".join(one_line(line) for line in lines))


def markup_escaped(value: object) -> str:
    """For the few Textual APIs that take only a markup string (the command palette's help):
    ``value`` on one line with every ``[`` escaped, so it still reads as written."""
    return escape(one_line(value))


def literal_cell(value: object, style: str = "", justify: JustifyMethod | None = None) -> Text:
    """A ``DataTable`` cell or ``Select`` prompt: Rich ``Text``, never markup, one line."""
    return Text(one_line(value), style=style, justify=justify)
