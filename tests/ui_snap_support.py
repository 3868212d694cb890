"""Deterministic demo apps for snapshot tests: fixed port, fixed folder, frozen volatile values."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Input

from wizard.app import WizardApp
from wizard.core import hosts
from wizard.core.checks import CheckReport
from wizard.core.profiles import Workspace
from wizard.core.session import Session
from wizard.launch import demo_info
from wizard.simulator import Simulator

SNAP_PORT = 38459
SNAP_FOLDER = Path("/tmp/bnxt-wizard-snapshots/config")
SNAP_CWD = Path("/tmp/bnxt-wizard-snapshots-cwd")  # the .env dialog shows paths under the cwd
FROZEN_EXPIRY = "2030-01-01T12:00:00+00:00"


@contextmanager
def snapshot_simulator() -> Iterator[Simulator]:
    try:
        sim = Simulator(port=SNAP_PORT).start()
    except OSError:
        pytest.skip(f"port {SNAP_PORT} is busy; snapshot tests need it for stable URLs")
    try:
        yield sim
    finally:
        sim.stop()


def snapshot_app(sim: Simulator) -> WizardApp:
    shutil.rmtree(SNAP_FOLDER.parent, ignore_errors=True)
    SNAP_FOLDER.mkdir(parents=True)
    return WizardApp(Session(Workspace(SNAP_FOLDER), demo=demo_info(sim), forced_store="file"))


def _freeze(report: CheckReport) -> CheckReport:
    if report.token:
        claims = dict(report.token.claims)
        if "exp" in claims:
            claims["exp"] = 1893499200
        frozen_at = datetime.fromisoformat(FROZEN_EXPIRY)
        report.token = report.token.model_copy(
            update={"expires_at": frozen_at, "obtained_at": frozen_at, "claims": claims}
        )
    report.steps = [
        step.model_copy(
            update={
                "seconds": 0.01,
                "detail": re.sub(
                    r"\(\d{4}-\d\d-\d\d [\d:]+ UTC\)", "(2030-01-01 12:00:00 UTC)", step.detail
                ),
            }
        )
        for step in report.steps
    ]
    return report


def freeze_volatile(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the real check, but pin what changes from run to run (times, hosts lookup, cwd)."""
    SNAP_CWD.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(SNAP_CWD)
    import wizard.screens.test_run as test_run

    real = test_run.run_check

    async def frozen_check(*args: Any, **kwargs: Any) -> CheckReport:
        return _freeze(await real(*args, **kwargs))

    monkeypatch.setattr(test_run, "run_check", frozen_check)
    fixed = hosts.HostsCheck(
        resolves=False,
        addresses=[],
        is_local=False,
        message="app.local does not resolve on this machine yet.",
        hosts_line=hosts.hosts_line(),
        hosts_file="/etc/hosts",
    )
    monkeypatch.setattr(hosts, "resolve_app_local", lambda *a, **k: fixed)
    # A blinking cursor is caught on or off depending on how long the walk took: keep it on.
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    # Likewise a pressed button's 0.2 s highlight.
    monkeypatch.setattr(Button, "_start_active_affect", lambda self: None)
