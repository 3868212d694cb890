"""Snapshot tests: every screen of the demo walk at 80x24, and four of them at 60x20 and
120x40, compared with their stored SVGs.

Each starts from the onboarding state the walk leaves at its step (``tests/ui_seed.py``)
rather than walking there; ``tests/ui/test_tour.py`` walks the whole way once.

Update after an intended visual change:
    .venv/bin/pytest tests/ui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.signin_helpers import web_seed
from tests.ui_seed import start_at, start_rotation
from tests.ui_snap_support import (
    SHOWN_CONFIG,
    SHOWN_CWD,
    freeze_volatile,
    show_stand_ins,
    snapshot_app,
    snapshot_simulator,
    steady_cursors,
)
from wizard.core.oidc.listener import free_port
from wizard.screens.tour import SCREENS, walk_web
from wizard.simulator import Simulator

ONBOARDING = [name for name in SCREENS if name != "11-rotate"]


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with snapshot_simulator() as s:
        yield s


@pytest.mark.parametrize("screen", ONBOARDING)
def test_onboarding_screen(
    screen: str,
    sim: Simulator,
    snap_compare: Callable[..., bool],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    config, cwd = tmp_path / "config", tmp_path / "project"
    freeze_volatile(monkeypatch, cwd)

    async def run_before(pilot: Pilot[Any]) -> None:
        await start_at(pilot, screen)
        show_stand_ins(pilot.app, {config: SHOWN_CONFIG, cwd: SHOWN_CWD})
        steady_cursors(pilot.app)
        await pilot.pause()

    app = snapshot_app(sim, config)
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_rotation_screen(
    sim: Simulator,
    snap_compare: Callable[..., bool],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    config, cwd = tmp_path / "config", tmp_path / "project"
    freeze_volatile(monkeypatch, cwd)

    async def run_before(pilot: Pilot[Any]) -> None:
        await start_rotation(pilot)
        show_stand_ins(pilot.app, {config: SHOWN_CONFIG, cwd: SHOWN_CWD})
        steady_cursors(pilot.app)
        await pilot.pause()

    app = snapshot_app(sim, config)
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


# The smallest and a wide terminal (80x24 is above): the welcome, a form step, the Test step
# and rotation. At 120x40 the step rail shows; at 60x20 the labels narrow.
SIZED = ["01-welcome", "03-registration", "09-test"]


@pytest.mark.parametrize("size", [(60, 20), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", SIZED)
def test_onboarding_screen_sized(
    screen: str,
    size: tuple[int, int],
    sim: Simulator,
    snap_compare: Callable[..., bool],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    config, cwd = tmp_path / "config", tmp_path / "project"
    freeze_volatile(monkeypatch, cwd)

    async def run_before(pilot: Pilot[Any]) -> None:
        await start_at(pilot, screen)
        show_stand_ins(pilot.app, {config: SHOWN_CONFIG, cwd: SHOWN_CWD})
        steady_cursors(pilot.app)
        await pilot.pause()

    assert snap_compare(snapshot_app(sim, config), run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", [(60, 20), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_rotation_screen_sized(
    size: tuple[int, int],
    sim: Simulator,
    snap_compare: Callable[..., bool],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    config, cwd = tmp_path / "config", tmp_path / "project"
    freeze_volatile(monkeypatch, cwd)

    async def run_before(pilot: Pilot[Any]) -> None:
        await start_rotation(pilot)
        show_stand_ins(pilot.app, {config: SHOWN_CONFIG, cwd: SHOWN_CWD})
        steady_cursors(pilot.app)
        await pilot.pause()

    assert snap_compare(snapshot_app(sim, config), run_before=run_before, terminal_size=size)


@pytest.mark.slow
def test_web_sign_in_result_screen(
    snap_compare: Callable[..., bool], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The web Test step after the demo user signed in (the demo playing the browser)."""
    config, cwd = tmp_path / "config", tmp_path / "project"
    freeze_volatile(monkeypatch, cwd)
    port = free_port()

    async def run_before(pilot: Pilot[Any]) -> None:
        await walk_web(pilot, port=port)
        show_stand_ins(pilot.app, {config: SHOWN_CONFIG, cwd: SHOWN_CWD})
        steady_cursors(pilot.app)
        await pilot.pause()

    with Simulator(web_seed(port)) as web_sim:
        app = snapshot_app(web_sim, config)
        assert snap_compare(app, run_before=run_before, terminal_size=(100, 40))
