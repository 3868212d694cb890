"""A Footer that redraws only when the keys it shows change.

Textual's Footer rebuilds its keys on every screen switch and focus change, whether or not
they changed, and a rebuild restyles and lays out the whole screen again: on a step
screen that is most of the time a step transition takes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

Shown = tuple[tuple[str, str, str, bool, str], ...]


def shown_keys(screen: Screen[object]) -> Shown:
    """What a Footer draws for ``screen``: each key's binding, label and state."""
    return tuple(
        (key, binding.action, binding.description, enabled, tooltip)
        for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
        if binding.show or key == screen.app.COMMAND_PALETTE_BINDING
    )


class QuietFooter(Footer):
    drawn_keys: Shown | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        """(Footer's public hook for the screen's bindings signal.) The first call always
        draws; later ones only when the keys shown would differ."""
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            shown = shown_keys(screen)
            if shown == self.drawn_keys:
                return
            self.drawn_keys = shown
        super().bindings_changed(screen)
