"""Snapshot tests: every screen of the demo walk at 80x24, and four of them at 60x20 and
120x40, compared with their stored SVGs.

Update after an intended visual change:
    .venv/bin/pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.ui_snap_support import freeze_volatile, snapshot_app, snapshot_simulator
from wizard.screens.tour import SCREENS, walk_onboarding, walk_rotation
from wizard.simulator import Simulator

ONBOARDING = [name for name in SCREENS if name != "11-rotate"]


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with snapshot_simulator() as s:
        yield s


@pytest.mark.parametrize("screen", ONBOARDING)
def test_onboarding_screen(
    screen: str, sim: Simulator, snap_compare: Callable[..., bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze_volatile(monkeypatch)

    async def run_before(pilot: Pilot[Any]) -> None:
        await walk_onboarding(pilot, upto=screen)

    assert snap_compare(snapshot_app(sim), run_before=run_before, terminal_size=(80, 24))


def test_rotation_screen(
    sim: Simulator, snap_compare: Callable[..., bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze_volatile(monkeypatch)

    async def run_before(pilot: Pilot[Any]) -> None:
        await walk_onboarding(pilot)
        await walk_rotation(pilot)

    assert snap_compare(snapshot_app(sim), run_before=run_before, terminal_size=(80, 24))


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
) -> None:
    freeze_volatile(monkeypatch)

    async def run_before(pilot: Pilot[Any]) -> None:
        await walk_onboarding(pilot, upto=screen)

    assert snap_compare(snapshot_app(sim), run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", [(60, 20), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_rotation_screen_sized(
    size: tuple[int, int],
    sim: Simulator,
    snap_compare: Callable[..., bool],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze_volatile(monkeypatch)

    async def run_before(pilot: Pilot[Any]) -> None:
        await walk_onboarding(pilot)
        await walk_rotation(pilot)

    assert snap_compare(snapshot_app(sim), run_before=run_before, terminal_size=size)
