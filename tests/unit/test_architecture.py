"""The core, the simulator and the headless CLI must never pull in Textual."""

from __future__ import annotations

import subprocess
import sys

import wizard

HEADLESS_PACKAGES = ("wizard.core", "wizard.simulator", "wizard.cli")


def test_headless_packages_do_not_import_textual() -> None:
    code = f"""
import importlib, pkgutil, sys
import wizard
names = []
for pkg_name in {HEADLESS_PACKAGES!r}:
    pkg = importlib.import_module(pkg_name)
    names.append(pkg_name)
    for info in pkgutil.walk_packages(pkg.__path__, pkg_name + "."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
        names.append(info.name)
bad = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(len(names), "modules;", "textual loaded" if bad else "clean")
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr
    assert "clean" in out.stdout, out.stdout
    assert int(out.stdout.split()[0]) > 20


def test_version_is_exposed() -> None:
    assert wizard.__version__


def test_first_screen_needs_no_pydantic(tmp_path: object) -> None:
    """Start-up is a feature: the welcome screen is drawn before pydantic is imported.

    (The app's warm-up imports it on purpose 0.3 s after the welcome screen is shown; on a
    loaded machine that could come before this look, so the child puts it off.)"""
    code = f"""
import asyncio, sys
from pathlib import Path
import wizard.app
from wizard.app import WizardApp
wizard.app.WARM_UP_DELAY = 3600.0
from wizard.core.session import Session
from wizard.core.workspace import Workspace

async def main():
    app = WizardApp(Session(Workspace(Path({str(tmp_path)!r}))))
    async with app.run_test() as pilot:
        await pilot.pause()
        print(type(app.screen).__name__, "pydantic" in sys.modules)

asyncio.run(main())
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.stdout.split() == ["WelcomeScreen", "False"], out.stderr
