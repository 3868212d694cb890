"""Start the interactive wizard, optionally against the built-in simulator (demo mode)."""

from __future__ import annotations

import contextlib
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
    from wizard.simulator import Simulator


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


# A demo kept in a --config-dir folder notes its simulator's port there: drafts and profiles
# saved in one demo run hold that port in their URLs, and the next run listens on it again.
DEMO_PORT_FILE = "demo-simulator-port"


def demo_simulator(folder: Path | None) -> Simulator:
    """A started simulator for the demo. With a kept ``folder``, on the port the last demo in
    that folder used when it is free (else any free port, noted for the next run)."""
    from wizard.simulator import BindError, Simulator

    noted = _noted_port(folder / DEMO_PORT_FILE) if folder is not None else None
    sim: Simulator | None = None
    if noted is not None:
        with contextlib.suppress(BindError):  # taken by another program (or demo) now
            sim = Simulator(port=noted).start()
    if sim is None:
        sim = Simulator().start()
    if folder is not None and sim.port != noted:
        from wizard.core.atomic import atomic_write_text
        from wizard.core.errors import WizardError
        from wizard.core.paths import ensure_private_dir

        try:
            ensure_private_dir(folder)
            atomic_write_text(folder / DEMO_PORT_FILE, f"{sim.port}\n")
        except (OSError, WizardError):
            pass  # a convenience for the next run; saving a profile reports a bad folder
    return sim


def _noted_port(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 5):
        return None
    port = int(text)
    return port if 1024 <= port <= 65535 else None


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

    # --config-dir is honoured in the demo too (its profiles then outlive the run); without
    # it the demo works in a throwaway folder.
    throwaway = None if config_dir else Path(tempfile.mkdtemp(prefix="bnxt-wizard-demo-"))
    workspace = Workspace(throwaway) if throwaway else Workspace.open(config_dir)
    try:
        sim = demo_simulator(None if throwaway else workspace.folder)
        try:
            session = Session(
                workspace,
                profile=profile,
                start=start,
                demo=demo_info(sim),
                forced_store="file",
                throwaway_folder=throwaway is not None,
                options=options,
            )
            return _run(WizardApp(session))
        finally:
            sim.stop()
    finally:
        if throwaway is not None:
            shutil.rmtree(throwaway, ignore_errors=True)
