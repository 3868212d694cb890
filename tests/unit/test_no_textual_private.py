"""No `wizard` module, test or bench script touches a `_`-prefixed attribute of Textual
(rule: every dependency through its public API; any Textual release may rename or remove a
private one).

An AST scan: every `_name` (not dunder) that Textual itself defines (as a class attribute,
a method, or `self._name = ...` in its source) is collected, and no wizard module may read,
write, override or define an attribute of that name, nor name it to `setattr`/`getattr`
(`monkeypatch.setattr(Input, "_toggle_cursor", ...)`); nor import a `textual` module whose
path has a `_`-prefixed part.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import textual

import wizard

WIZARD = Path(wizard.__file__).parent
ROOT = WIZARD.parent
TEXTUAL = Path(textual.__file__).parent
# the calls that name an attribute in a string
BY_NAME = ("setattr", "getattr", "hasattr", "delattr")
# what a test or bench script imports when it works with Textual objects
UI_MODULES = ("textual", "wizard.app", "wizard.screens", "wizard.widgets")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@cache
def textual_private_names() -> frozenset[str]:
    names: set[str] = set()
    for path in TEXTUAL.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        names.add(item.name)
                    elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        names.add(item.target.id)
                    elif isinstance(item, ast.Assign):
                        names.update(t.id for t in item.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return frozenset(n for n in names if _private(n))


def touches(source: str) -> list[str]:
    """Each use in ``source`` of a private name Textual defines, or of a private module."""
    private = textual_private_names()
    found: list[str] = []
    tree = ast.parse(source)
    methods = {
        item
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef)
        for item in cls.body
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    own = _imported_from_elsewhere(tree)
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute) and node.attr in private:
            found.append(f"line {line}: .{node.attr}")
        elif isinstance(node, ast.Call) and _called(node.func) in BY_NAME and node.args:
            target, *rest = node.args
            if isinstance(target, ast.Name) and target.id in own:
                continue  # e.g. setattr(launch_module, "_run", ...): the wizard's own name
            found += [
                f"line {line}: {_called(node.func)} {arg.value!r}"
                for arg in rest
                if isinstance(arg, ast.Constant) and arg.value in private
            ]
        elif node in methods and node.name in private:
            found.append(f"line {line}: def {node.name}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
            module = node.module or ""
            if any(_private(part) for part in module.split(".")):
                found.append(f"line {line}: from {module}")
            found += [f"line {line}: import {a.name}" for a in node.names if _private(a.name)]
    return found


def _imported_from_elsewhere(tree: ast.Module) -> set[str]:
    """The names bound by imports of modules other than Textual's (the wizard's, stdlib)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] != "textual":
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(
                a.asname or a.name.split(".")[0]
                for a in node.names
                if a.name.split(".")[0] != "textual"
            )
    return names


def _called(func: ast.expr) -> str:
    """The name a call is made through: ``setattr`` or ``monkeypatch.setattr`` -> setattr."""
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def uses_textual(source: str) -> bool:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual":
            return True
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] == "textual" for a in node.names
        ):
            return True
    return False


def test_no_wizard_module_touches_a_private_textual_attribute() -> None:
    """(In the modules that use Textual: a private name of its own in a Textual subclass
    could shadow Textual's, so those count too.)"""
    sources = {path: path.read_text(encoding="utf-8") for path in sorted(WIZARD.rglob("*.py"))}
    ui = {path: text for path, text in sources.items() if uses_textual(text)}
    assert len(ui) > 20  # the screens and widgets are all scanned
    offences = {str(path.relative_to(WIZARD.parent)): touches(text) for path, text in ui.items()}
    assert not {path: hits for path, hits in offences.items() if hits}


def uses_ui(source: str) -> bool:
    """Imports Textual or the wizard's UI (whose objects are Textual's)."""
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        if any(n == m or n.startswith(f"{m}.") for n in names for m in UI_MODULES):
            return True
    return False


def test_no_test_or_bench_script_touches_a_private_textual_attribute() -> None:
    """Tests and bench scripts too: a test that patches a private method breaks (or, worse,
    silently stops patching) with the next Textual release."""
    paths = sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")])
    sources = {path: path.read_text(encoding="utf-8") for path in paths}
    ui = {path: text for path, text in sources.items() if uses_ui(text)}
    assert len(ui) > 15  # the UI tests, their helpers and the bench's Pilot scripts
    assert ROOT / "tests" / "ui_snap_support.py" in ui
    assert ROOT / "bench" / "transition.py" in ui
    offences = {str(path.relative_to(ROOT)): touches(text) for path, text in ui.items()}
    assert not {path: hits for path, hits in offences.items() if hits}


def test_the_scan_finds_what_the_old_step_cache_did() -> None:
    """The scan can fail: the calls the old step-screen cache made are each caught."""
    old = """
from textual.widgets._footer import FooterKey
class Quiet(Footer):
    def _on_paste(self, event): ...
    def refresh(self):
        self.app._load_screen_css(screen)
        monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
        setattr(Button, "_start_active_affect", None)
        screen._refresh_layout(size)
        screen._compositor.render_update(full=True)
        screen._update_timer.resume()
        return self._bindings_ready
"""
    found = touches(old)
    for expected in (
        "from textual.widgets._footer",
        "def _on_paste",
        "._load_screen_css",
        "._refresh_layout",
        "._compositor",
        "._update_timer",
        "._bindings_ready",
        "setattr '_toggle_cursor'",
        "setattr '_start_active_affect'",
    ):
        assert any(expected in hit for hit in found), (expected, found)
    assert not touches("self.state = 1\nself.session.workspace.drafts.save()\n")
    assert not touches('monkeypatch.setattr(Input, "cursor_blink", False)\n')
    assert not touches('import wizard.launch as launch\nmonkeypatch.setattr(launch, "_run", f)\n')
    assert touches('from textual.app import App\nmonkeypatch.setattr(App, "_run", f)\n')
