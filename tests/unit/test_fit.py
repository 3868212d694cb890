"""LabelledRows: side by side where every value's longest word fits, else stacked."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from wizard.widgets.fit import LabelledRows, longest_word

SCOPE = "business-graphql-service-api:access-group-based"
ROWS = [
    (Text("  Scope:"), Text(SCOPE)),
    (Text("  GraphQL:"), Text("https://business.visma.net/api/graphql-service")),
    (Text("  User table:"), Text("required: the client ID becomes a Business NXT user")),
]


def lines(width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None)
    console.print(LabelledRows(ROWS))
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_side_by_side_where_the_longest_word_fits() -> None:
    rows = LabelledRows(ROWS)
    assert rows.needs() == len("  User table:") + 2 + len(SCOPE)
    shown = lines(rows.needs())
    assert shown[0] == f"  Scope:       {SCOPE}"
    assert len(shown) == 4  # the User table value wraps between words, beside its label


def test_stacked_and_indented_where_it_does_not() -> None:
    rows = LabelledRows(ROWS)
    shown = lines(rows.needs() - 1)
    assert shown[:2] == ["  Scope:", f"    {SCOPE}"]
    assert all(line.startswith("    ") for line in shown[5:])  # wrapped lines stay indented
    for width in (rows.needs() - 1, 60, 54):
        text = "\n".join(lines(width))
        assert SCOPE in text and "…" not in text, width


def test_longest_word() -> None:
    assert longest_word("a bb  ccc") == 3 and longest_word("") == 0
    assert longest_word("日本 a") == 4  # cells, not characters
