"""The wizard's footer: Textual's, rebuilt only when the keys it shows change.

Textual's ``Footer`` recomposes on every bindings signal, and a screen sends one on each
focus move, each mount and each ``refresh_bindings``: a new widget per key each time, every
one restyled as it mounts. Walking a Teachers preview sent it a dozen times while nothing
it shows changed, and those rebuilds were a good part of the event loop's stalls there.
This footer compares what it would show with what it shows and keeps its keys when they
are the same; what it draws is Textual's own, unchanged.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's footer that skips rebuilds which would draw the same keys."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: Hashable | None = None

    def _what_it_shows(self) -> Hashable:
        """Everything ``Footer.compose`` reads: the shown bindings, their state, the palette key."""
        keys = tuple(
            (binding.key, binding.description, binding.action, binding.group, enabled, tooltip)
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING
        )
        return (keys, self.compact, self.show_command_palette)

    async def recompose(self) -> None:
        """Rebuild the keys only when they differ from the ones on screen."""
        if not self.is_attached:
            return
        shown = self._what_it_shows()
        if shown == self._shown and self.children:
            return
        self._shown = shown
        await super().recompose()
