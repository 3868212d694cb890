"""Snapshot of the web app's Integration step: the Service API box ticked, Advanced open with
the issuer. No simulator and no folder on screen, so nothing to stand in for.

Update after an intended visual change:
    .venv/bin/pytest tests/ui/test_snapshots_web.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Checkbox, Collapsible

from wizard.app import WizardApp
from wizard.core.onboarding import Onboarding
from wizard.core.profiles import Workspace
from wizard.core.session import Session
from wizard.core.steps import Step
from wizard.core.visma import AppType


def test_web_integration_step(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    app = WizardApp(Session(Workspace(tmp_path / "cfg")))

    async def run_before(pilot: Pilot[Any]) -> None:
        state = Onboarding(profile="portal")
        state.choose_app_type(AppType.WEB)
        state.app_name, state.client_id = "Customer portal", "isv_portal"
        state.registration_checks = [True] * 4
        state.integration_checks = [True, True]
        app.start_onboarding(state)
        app.goto(Step.INTEGRATION)
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.screen.query_one("#service-api", Checkbox).value = True
        app.screen.query_one("#advanced", Collapsible).collapsed = False
        for _ in range(3):  # the box's change, the section opening, its layout (a loaded machine)
            await pilot.pause()
            await app.workers.wait_for_complete()

    # tall enough for the whole step: no scroll position to depend on the machine's speed
    assert snap_compare(app, run_before=run_before, terminal_size=(100, 66))
