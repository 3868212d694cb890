"""The baseline: the smallest Textual app a wizard screen could be, one Input and a Footer."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Input


class BareApp(App[int]):
    def compose(self) -> ComposeResult:
        yield Input(placeholder="type here")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
