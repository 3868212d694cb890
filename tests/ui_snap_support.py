"""Deterministic demo apps for snapshot tests: frozen volatile values, stand-ins for the
simulator's free port and the per-test folders wherever a picture would show them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.app import App
from textual.widgets import Input, Static

from wizard.app import WizardApp
from wizard.core import hosts
from wizard.core.checks import CheckReport
from wizard.core.profiles import Workspace
from wizard.core.session import Session
from wizard.launch import demo_info
from wizard.simulator import Simulator

FROZEN_EXPIRY = "2030-01-01T12:00:00+00:00"
# The simulator listens on a free port; the pictures show this one in its place.
SHOWN_PORT = 38459
# Each test works in folders of its own; the pictures show these in their place (the Secret
# step names the file under the config folder, the .env dialog the file under the cwd).
SHOWN_CONFIG = "/tmp/bnxt-wizard-snapshots/config"
SHOWN_CWD = "/tmp/bnxt-wizard-snapshots-cwd"
LOOPBACK_PORT = re.compile(r"127\.0\.0\.1:\d+")
# The web sign-in: the local app's free port, its certificate (made per test) and the times.
APP_LOCAL_PORT = re.compile(r"app\.local:\d+")
SHOWN_APP_PORT = 12345
FINGERPRINT = re.compile(r"(?:[0-9A-F]{2}:){31}[0-9A-F]{2}")
SHOWN_FINGERPRINT = ":".join(["AB"] * 32)
WHEN = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")


@contextmanager
def snapshot_simulator() -> Iterator[Simulator]:
    with Simulator() as sim:
        yield sim


def snapshot_app(sim: Simulator, folder: Path) -> WizardApp:
    """A demo app over ``sim`` whose profiles and drafts live in ``folder`` (a fresh one)."""
    folder.mkdir(parents=True)
    return WizardApp(Session(Workspace(folder), demo=demo_info(sim), forced_store="file"))


def show_stand_ins(app: App[Any], stand_ins: dict[Path, str]) -> None:
    """Where a Static on screen shows one of the real (per-test) folders or the simulator's
    free port, show its stand-in.

    Like the frozen times, this changes only what the picture shows, after the walk: the app
    worked with the real folders."""
    for static in app.screen.query(Static):
        content = static.content
        if isinstance(content, Text):
            shown = content.plain
        elif isinstance(content, str):
            shown = content
        else:
            continue
        for real, stand_in in stand_ins.items():
            shown = shown.replace(str(real), stand_in)
        shown = LOOPBACK_PORT.sub(f"127.0.0.1:{SHOWN_PORT}", shown)  # the demo card's URLs
        shown = APP_LOCAL_PORT.sub(f"app.local:{SHOWN_APP_PORT}", shown)
        shown = FINGERPRINT.sub(SHOWN_FINGERPRINT, shown)
        shown = WHEN.sub("2030-01-01 12:00:00 UTC", shown)
        if isinstance(content, Text):
            if shown != content.plain:
                static.update(_restyled(content, shown))
        elif shown != content:
            static.update(shown)


def _restyled(content: Text, shown: str) -> Text:
    """``shown`` with ``content``'s styles where the stand-ins kept the length, else plain."""
    if len(shown) != len(content.plain):
        return Text(shown, style=content.style)
    text = content.copy()
    text.plain = shown
    return text


def _freeze(report: CheckReport) -> CheckReport:
    if report.token:
        claims = dict(report.token.claims)
        if "exp" in claims:
            claims["exp"] = 1893499200
        if isinstance(claims.get("iss"), str):
            claims["iss"] = LOOPBACK_PORT.sub(f"127.0.0.1:{SHOWN_PORT}", str(claims["iss"]))
        frozen_at = datetime.fromisoformat(FROZEN_EXPIRY)
        report.token = report.token.model_copy(
            update={"expires_at": frozen_at, "obtained_at": frozen_at, "claims": claims}
        )
    steps = []
    for step in report.steps:
        detail = re.sub(r"\(\d{4}-\d\d-\d\d [\d:]+ UTC\)", "(2030-01-01 12:00:00 UTC)", step.detail)
        detail = LOOPBACK_PORT.sub(f"127.0.0.1:{SHOWN_PORT}", detail)
        steps.append(step.model_copy(update={"seconds": 0.01, "detail": detail}))
    report.steps = steps
    return report


def freeze_volatile(monkeypatch: pytest.MonkeyPatch, cwd: Path) -> None:
    """Keep the real check, but pin what changes from run to run (times, hosts lookup), and
    work in ``cwd`` (a fresh folder: the .env dialog looks there)."""
    cwd.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(cwd)
    import wizard.screens.test_run as test_run
    from wizard.core.checks import run_check as real

    async def frozen_check(*args: Any, **kwargs: Any) -> CheckReport:
        return _freeze(await real(*args, **kwargs))

    monkeypatch.setattr(test_run, "run_check", frozen_check)
    from wizard.screens.example_request import example_script as real_script

    monkeypatch.setattr(
        test_run,
        "example_script",
        lambda profile: LOOPBACK_PORT.sub(f"127.0.0.1:{SHOWN_PORT}", real_script(profile)),
    )
    fixed = hosts.HostsCheck(
        resolves=False,
        addresses=[],
        is_local=False,
        message="app.local does not resolve on this machine yet.",
        hosts_line=hosts.hosts_line(),
        hosts_file="/etc/hosts",
    )
    monkeypatch.setattr(hosts, "resolve_app_local", lambda *a, **k: fixed)


def steady_cursors(app: App[Any]) -> None:
    """Just before the picture: every input's cursor steady, shown (``Input.cursor_blink``
    off). A blinking cursor would be caught on or off depending on how long the walk took.
    (The walk presses buttons without their 0.2 s flash: ``wizard.screens.tour``.)"""
    for screen in app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
