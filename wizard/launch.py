"""Start the interactive wizard, optionally against the built-in simulator (demo mode)."""

from __future__ import annotations

import gc
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.core.session import DemoInfo, Session
from wizard.core.workspace import Workspace

if TYPE_CHECKING:
    from wizard.app import WizardApp
    from wizard.core._http import ClientOptions


def demo_info(sim: object) -> DemoInfo:
    from pydantic import SecretStr

    from wizard.simulator import (
        DEMO_CLIENT_ID,
        DEMO_NEXT_SECRET,
        DEMO_SECRET,
        DEMO_WEB_CLIENT_ID,
        Simulator,
    )

    assert isinstance(sim, Simulator)
    grants = tuple(
        (access.company_no, access.access_group)
        for row in sim.seed.user_table
        if row.user == DEMO_CLIENT_ID
        for access in row.access
    )
    web = sim.seed.client(DEMO_WEB_CLIENT_ID)
    return DemoInfo(
        base_url=sim.base_url,
        token_url=sim.token_url,
        graphql_service_url=sim.graphql_service_url,
        graphql_url=sim.graphql_url,
        client_id=DEMO_CLIENT_ID,
        secret=SecretStr(DEMO_SECRET),
        next_secret=SecretStr(DEMO_NEXT_SECRET),
        companies=grants,
        web_client_id=DEMO_WEB_CLIENT_ID,
        web_secret=web.secrets[0] if web is not None and web.secrets else None,
        users=tuple((u.username, u.password.get_secret_value()) for u in sim.seed.users),
    )


def _run(app: WizardApp) -> int:
    # Everything imported so far (Textual and the wizard's first screen) lives until exit:
    # freezing it keeps the cyclic collector from re-scanning those objects on every full
    # collection while the first screen is built and at each step after (see
    # bench/startup.py). The step screens and pydantic, loaded later, are frozen after they
    # load (StepScreens.warm_up, told by freeze_gc).
    gc.freeze()
    app.freeze_gc = True
    try:
        code = app.run() or 0
    finally:
        gc.unfreeze()
    if app.crashed:  # Textual's own report (with locals) went nowhere; say what happened
        print(app.write_crash_report(), file=sys.stderr)
        return 1
    return code


def launch(
    *,
    config_dir: str | None,
    profile: str,
    demo: bool,
    start: str = "welcome",
    options: ClientOptions | None = None,
) -> int:
    from wizard.app import WizardApp

    if not demo:
        session = Session(Workspace.open(config_dir), profile=profile, start=start, options=options)
        return _run(WizardApp(session))

    from wizard.simulator import Simulator

    # --config-dir is honoured in the demo too (its profiles then outlive the run); without
    # it the demo works in a throwaway folder.
    throwaway = None if config_dir else Path(tempfile.mkdtemp(prefix="bnxt-wizard-demo-"))
    try:
        with Simulator() as sim:
            session = Session(
                Workspace(throwaway) if throwaway else Workspace.open(config_dir),
                profile=profile,
                start=start,
                demo=demo_info(sim),
                forced_store="file",
                throwaway_folder=throwaway is not None,
                options=options,
            )
            return _run(WizardApp(session))
    finally:
        if throwaway is not None:
            shutil.rmtree(throwaway, ignore_errors=True)
