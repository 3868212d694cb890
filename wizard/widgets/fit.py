"""Label-and-value rows that are never cut in the middle of a value's word.

A scope or a URL is one long word: in a two-column grid on a narrow terminal it would end in
an ellipsis ("business-graphql-service-api:access…"), which is no use to someone who must
type it into the portal. :class:`LabelledRows` lays the rows out side by side where the
longest word of every value fits beside its label, and otherwise puts each value on the
lines under its label, indented, where it has the whole width. A word longer than even that
line (a deep path) is folded over lines rather than cut: all of it stays readable.
Used by the app-type cards, the Test step's stages and Review's sections.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

Row = tuple[Text, Text]  # (label, value)


def longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


class LabelledRows:
    """``rows`` of (label, value): a grid where it fits, else each value under its label."""

    def __init__(self, rows: Iterable[Row], *, gap: int = 2, indent: int = 4) -> None:
        self.rows: Sequence[Row] = list(rows)
        self.gap, self.indent = gap, indent

    def needs(self) -> int:
        """The width at which every value's longest word fits beside the widest label."""
        labels = max((label.cell_len for label, _ in self.rows), default=0)
        words = max((longest_word(value.plain) for _, value in self.rows), default=0)
        return labels + self.gap + words

    def _grid(self) -> Table:
        table = Table.grid(padding=(0, self.gap))
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        for label, value in self.rows:
            table.add_row(label, value)
        return table

    def _stacked(self) -> Group:
        parts: list[RenderableType] = []
        for label, value in self.rows:
            folded = value.copy()
            folded.overflow = "fold"
            parts += [label, Padding(folded, (0, 0, 0, self.indent))]  # every line indented
        return Group(*parts)

    def _layout(self, width: int) -> Table | Group:
        return self._grid() if width >= self.needs() else self._stacked()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._layout(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self._layout(options.max_width))
