"""The UI's layers: nothing below the app imports it, widgets import no screen, the rotation
screens live in their own package, and no UI module imports another in a circle.

Imports under ``if TYPE_CHECKING:`` are type hints, not imports at run time: they are left
out; an import inside a function counts (it runs when the function does).
"""

from __future__ import annotations

import ast
from pathlib import Path

import wizard

ROOT = Path(wizard.__file__).parent.parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(source: str, package: str) -> set[str]:
    """The wizard modules ``source`` imports when it runs."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("wizard"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            if base.startswith("wizard"):
                found.add(base)
                found.update(f"{base}.{a.name}" for a in node.names)
        for inner in ast.iter_child_nodes(node):
            visit(inner)

    visit(ast.parse(source))
    return found


def graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in (ROOT / "wizard").rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges[name] = {m for m in runtime_imports(path.read_text(), package) if m in paths}
    return edges


UI_PACKAGES = ("wizard.screens", "wizard.widgets")


def in_ui(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in UI_PACKAGES)


def test_nothing_below_the_app_imports_it() -> None:
    edges = graph()
    offenders = {m for m, deps in edges.items() if in_ui(m) and "wizard.app" in deps}
    assert not offenders


def test_widgets_import_no_screen() -> None:
    edges = graph()
    offenders = {
        m: sorted(d for d in deps if d.startswith("wizard.screens"))
        for m, deps in edges.items()
        if m.startswith("wizard.widgets")
    }
    assert not {m: d for m, d in offenders.items() if d}


def test_rotation_screens_have_their_own_package() -> None:
    edges = graph()
    assert "wizard.screens.rotate.screen" in edges
    assert not [m for m in edges if m.startswith("wizard.screens.rotate_")]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for dep in sorted(edges.get(node, ())):
            if state.get(dep) == 1:
                found.append([*path[path.index(dep) :], dep])
            elif dep not in state:
                visit(dep)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return found


def test_no_import_cycles_among_the_ui_modules() -> None:
    edges = graph()
    # a package's __init__ re-exporting its own module is not a cycle of two ideas
    ui = {
        m: {d for d in deps if in_ui(d) and not m.startswith(d + ".")}
        for m, deps in edges.items()
        if in_ui(m) or m == "wizard.app"
    }
    assert not cycles(ui)


def test_the_cycle_finder_finds_one() -> None:
    assert cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b", "a"]]
    assert not cycles({"a": {"b"}, "b": set()})
