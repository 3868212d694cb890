"""`make screenshots`: draw every screen of the demo into screenshots/*.svg.

Runs the same Pilot walk as the tests (wizard.screens.tour) against the built-in simulator, with a
throwaway config folder. Secrets stay masked on every screen; a test checks the SVGs.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

SIZE = (120, 40)


async def capture(out_dir: Path, size: tuple[int, int] = SIZE) -> list[Path]:
    from wizard.app import WizardApp
    from wizard.core.profiles import Workspace
    from wizard.core.session import Session
    from wizard.launch import demo_info
    from wizard.screens.tour import walk_all
    from wizard.simulator import Simulator

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="bnxt-shots-") as tmp, Simulator() as sim:
        session = Session(Workspace(Path(tmp)), demo=demo_info(sim), forced_store="file")
        app = WizardApp(session)
        async with app.run_test(size=size) as pilot:

            async def snap(name: str) -> None:
                await pilot.pause()
                path = out_dir / f"{name}.svg"
                app.save_screenshot(filename=path.name, path=str(out_dir))
                written.append(path)

            await walk_all(pilot, snap)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0] if args else "screenshots")
    for path in asyncio.run(capture(out_dir)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
