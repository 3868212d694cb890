"""`make screenshots`: draw every screen of the demo into screenshots/*.svg.

Runs the same Pilot walk as the tests (wizard.screens.tour) against the built-in simulator, with a
throwaway config folder: every screen at 120x40 (the step rail shows from 100 columns), and a form
step at 80x24 and 60x20. Secrets stay masked on every screen; a test checks the SVGs.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from wizard.core.session import DemoInfo
    from wizard.screens.tour import Snap

SIZE = (120, 40)
# (screen of the walk, size): the same step where the rail gives way to the one-line header
NARROW = (("03-registration", (80, 24)), ("03-registration", (60, 20)))


async def capture(out_dir: Path, size: tuple[int, int] = SIZE) -> list[Path]:
    from wizard.launch import demo_info
    from wizard.screens.tour import walk_all, walk_onboarding
    from wizard.simulator import Simulator

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with Simulator() as sim:
        demo = demo_info(sim)
        await _walk(out_dir, size, demo, walk_all, "", written)
        await _walk(out_dir, size, demo, _web_walk(sim), "", written)
        for screen, (width, height) in NARROW:
            suffix = f"-{width}x{height}"

            async def one(pilot: Pilot[int], snap: Snap, screen: str = screen) -> None:
                await walk_onboarding(pilot, snap, upto=screen)

            await _walk(out_dir, (width, height), demo, one, suffix, written, only=screen)
    return written


def _web_walk(sim: object) -> Callable[[Pilot[int], Snap], Awaitable[None]]:
    """The web walk on a free port, which the simulator's web client is told to accept."""
    from wizard.core.oidc.listener import free_port
    from wizard.screens.tour import walk_web
    from wizard.simulator import DEMO_WEB_CLIENT_ID, Simulator

    assert isinstance(sim, Simulator)
    port = free_port()
    web = sim.seed.client(DEMO_WEB_CLIENT_ID)
    assert web is not None
    web.redirect_uris[:] = [f"https://app.local:{port}/signin-oidc"]

    async def walk(pilot: Pilot[int], snap: Snap) -> None:
        await walk_web(pilot, snap, port=port)

    return walk


async def _walk(
    out_dir: Path,
    size: tuple[int, int],
    demo: DemoInfo,
    walk: Callable[[Pilot[int], Snap], Awaitable[None]],
    suffix: str,
    written: list[Path],
    only: str = "",
) -> None:
    from wizard.app import WizardApp
    from wizard.core.profiles import Workspace
    from wizard.core.session import Session

    with tempfile.TemporaryDirectory(prefix="bnxt-shots-") as tmp:
        session = Session(Workspace(Path(tmp)), demo=demo, forced_store="file")
        session.throwaway_folder = True
        app = WizardApp(session)
        async with app.run_test(size=size) as pilot:

            async def snap(name: str) -> None:
                if only and name != only:
                    return
                await pilot.pause()
                path = out_dir / f"{name}{suffix}.svg"
                app.save_screenshot(filename=path.name, path=str(out_dir))
                written.append(path)

            await walk(pilot, snap)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0] if args else "screenshots")
    for path in sorted(asyncio.run(capture(out_dir))):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
