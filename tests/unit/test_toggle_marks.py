"""Every check, radio and switch the wizard builds reads on/off without colour (issue 10,
item 6): it is a MarkedCheckbox or a MarkedRadioButton, never a plain Checkbox, RadioButton
or a Switch (whose knob differs by colour only). Pilot checks the onboarding's panes; this
scan covers every screen, including rotation and the .env export."""

from __future__ import annotations

import ast
from pathlib import Path

import wizard

COLOUR_ONLY = {"Checkbox", "RadioButton", "Switch"}


def constructed(tree: ast.AST) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in COLOUR_ONLY:
                found.append((name, node.lineno))
    return found


def test_no_toggle_is_built_without_a_shape_mark() -> None:
    root = Path(wizard.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{line} {name}(...)"
        for path in sorted(root.rglob("*.py"))
        if path.name != "marks.py"
        for name, line in constructed(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_the_scan_finds_a_plain_switch() -> None:
    code = "from textual.widgets import Switch\nx = Switch(value=True)\ny = widgets.Checkbox('a')"
    assert constructed(ast.parse(code)) == [("Switch", 2), ("Checkbox", 3)]
