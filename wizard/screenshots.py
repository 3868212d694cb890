"""`make screenshots`: draw every screen of the demo into screenshots/*.svg.

Runs the same Pilot walk as the tests (wizard.screens.tour) against the built-in simulator, with a
throwaway config folder: every screen at 120x40 (the step rail shows from 100 columns), and a form
step at 80x24 and 60x20. Secrets stay masked on every screen; a test checks the SVGs.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text
    from textual.pilot import Pilot

    from wizard.app import WizardApp
    from wizard.core.session import DemoInfo
    from wizard.screens.tour import Snap
    from wizard.simulator import Simulator

SIZE = (120, 40)
# A picture in the README should not change with every run, nor show where it was made: the
# simulator and the local app take these ports when they are free (else any free one), and the
# pictures show these stand-ins for the throwaway config folder and the working folder.
SIM_PORT = 38459
APP_PORT = 12345  # the demo web client's registered port
SHOWN_CONFIG = "/tmp/bnxt-wizard-demo"  # noqa: S108 - a name in a picture, never a file
SHOWN_CWD = "~/my-service"
# (screen of the walk, size): the same step where the rail gives way to the one-line header
NARROW = (("03-registration", (80, 24)), ("03-registration", (60, 20)))


async def capture(
    out_dir: Path, size: tuple[int, int] = SIZE, *, stable_ports: bool = False
) -> list[Path]:
    """Every screen into ``out_dir``; with ``stable_ports`` the simulator and the local app
    take :data:`SIM_PORT` and :data:`APP_PORT` when free (``make screenshots``; tests use
    free ports)."""
    from wizard.launch import demo_info
    from wizard.screens.tour import walk_all, walk_onboarding

    target = out_dir.resolve()  # the walk works in a folder of its own
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    home = Path.cwd()
    with (
        _simulator(SIM_PORT if stable_ports else 0) as sim,
        tempfile.TemporaryDirectory(prefix="bnxt-shots-cwd-") as cwd,
    ):
        os.chdir(cwd)  # the .env dialog looks here: a fresh folder, never this repository
        try:
            demo = demo_info(sim)
            await _walk(target, size, demo, walk_all, "", written)
            web = _web_walk(sim, APP_PORT if stable_ports else 0)
            await _walk(target, size, demo, web, "", written)
            for screen, (width, height) in NARROW:
                suffix = f"-{width}x{height}"

                async def one(pilot: Pilot[int], snap: Snap, screen: str = screen) -> None:
                    await walk_onboarding(pilot, snap, upto=screen)

                await _walk(target, (width, height), demo, one, suffix, written, only=screen)
        finally:
            os.chdir(home)
    return [out_dir / path.name for path in written]


@contextmanager
def _simulator(port: int) -> Iterator[Simulator]:
    from wizard.simulator import Simulator
    from wizard.simulator.server import BindError

    try:
        sim = Simulator(port=port).start()
    except BindError:  # taken: any free port (the pictures then show that one)
        sim = Simulator().start()
    try:
        yield sim
    finally:
        sim.stop()


def _free(preferred: int) -> int:
    """``preferred`` when nothing listens there now, else (or for 0) any free port."""
    import socket

    from wizard.core.oidc.listener import free_port

    if not preferred:
        return free_port()
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
        except OSError:
            return free_port()
    return preferred


def _web_walk(sim: object, preferred: int) -> Callable[[Pilot[int], Snap], Awaitable[None]]:
    """The web walk on a free port, which the simulator's web client is told to accept."""
    from wizard.screens.tour import walk_web
    from wizard.simulator import DEMO_WEB_CLIENT_ID, Simulator

    assert isinstance(sim, Simulator)
    port = _free(preferred)
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
                show_stand_ins(app, {tmp: SHOWN_CONFIG, str(Path.cwd()): SHOWN_CWD})
                await pilot.pause()
                path = out_dir / f"{name}{suffix}.svg"
                app.save_screenshot(filename=path.name, path=str(out_dir))
                written.append(path)

            await walk(pilot, snap)


def show_stand_ins(app: WizardApp, stand_ins: dict[str, str]) -> None:
    """Where a text on screen names this run's throwaway folders, show the stand-ins.

    Only the picture changes (the walk has used the real folders). A text that is not plain
    (a table, a group) is drawn first at the widget's width, keeping its styles."""
    from rich.console import Console, ConsoleRenderable
    from rich.text import Text
    from textual.widgets import Static

    def has_real(plain: str) -> bool:
        return any(real in plain for real in stand_ins)

    for static in app.screen.query(Static):
        content = static.content
        if isinstance(content, str):  # our own words, maybe with markup
            content = Text.from_markup(content)
        if not isinstance(content, Text):
            if not isinstance(content, ConsoleRenderable):  # a Textual visual: not ours
                continue
            width = max(static.content_region.width, 20)
            console = Console(width=width, color_system="truecolor", legacy_windows=False)
            lines = console.render_lines(content, console.options, pad=False)
            drawn = Text("\n").join(
                Text.assemble(*((seg.text, seg.style or "") for seg in line if not seg.control))
                for line in lines
            )
            if not has_real(drawn.plain):
                continue
            content = drawn
        if has_real(content.plain):
            for real, stand_in in stand_ins.items():
                content = _replaced(content, real, stand_in)
            static.update(content)


def _replaced(text: Text, real: str, stand_in: str) -> Text:
    """``text`` with every ``real`` shown as ``stand_in``, in the style it had there."""
    from rich.console import Console
    from rich.text import Text

    out, start, console = Text(style=text.style, end=text.end), 0, Console()
    while (found := text.plain.find(real, start)) >= 0:
        out.append_text(text[start:found])
        out.append(stand_in, style=text.get_style_at_offset(console, found))
        start = found + len(real)
    out.append_text(text[start:])
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m wizard.screenshots [DIR] [--free-ports]`` (tests: never the fixed ports)."""
    args = sys.argv[1:] if argv is None else argv
    free = "--free-ports" in args
    folders = [a for a in args if a != "--free-ports"]
    out_dir = Path(folders[0] if folders else "screenshots")
    for path in sorted(asyncio.run(capture(out_dir, stable_ports=not free))):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
