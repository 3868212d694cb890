"""Start the interactive wizard, optionally against the built-in simulator (demo mode)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from pydantic import SecretStr

from wizard.core.profiles import Workspace
from wizard.core.session import DemoInfo, Session


def demo_info(sim: object) -> DemoInfo:
    from wizard.simulator import DEMO_CLIENT_ID, DEMO_NEXT_SECRET, DEMO_SECRET, Simulator

    assert isinstance(sim, Simulator)
    grants = tuple(
        (access.company_no, access.access_group)
        for row in sim.seed.user_table
        if row.user == DEMO_CLIENT_ID
        for access in row.access
    )
    return DemoInfo(
        base_url=sim.base_url,
        token_url=sim.token_url,
        graphql_service_url=sim.graphql_service_url,
        graphql_url=sim.graphql_url,
        client_id=DEMO_CLIENT_ID,
        secret=SecretStr(DEMO_SECRET),
        next_secret=SecretStr(DEMO_NEXT_SECRET),
        companies=grants,
    )


def launch(*, config_dir: str | None, profile: str, demo: bool, start: str = "welcome") -> int:
    from wizard.app import WizardApp

    if not demo:
        session = Session(Workspace.open(config_dir), profile=profile, start=start)
        return WizardApp(session).run() or 0

    from wizard.simulator import Simulator

    folder = Path(tempfile.mkdtemp(prefix="bnxt-wizard-demo-"))
    try:
        with Simulator() as sim:
            session = Session(
                Workspace(folder),
                profile=profile,
                start=start,
                demo=demo_info(sim),
                forced_store="file",
            )
            return WizardApp(session).run() or 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)
