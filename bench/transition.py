"""How long one step transition takes in the wizard under Pilot.

Two walks in one app (100x30, headless), each transition timed from the keypress or
``app.goto`` call until the first frame showing the new step's pane has been drawn (``Frames``
notes when Textual displays each screen, through the public ``App.post_display_hook``):

* ``goto``: back and forth between Registration and Integration, ``--repeats`` times; the
  first visit of each pane (built and mounted) is reported apart as "cold".
* ``tour``: the demo tour of :mod:`wizard.screens.tour` against a local simulator, timing every
  Ctrl+N (Next) from the app type to the Test step: each a first visit. The tour waits for
  the app's workers between steps, as a reader's seconds on a step would, so the pane after
  has been built off-stage (wizard/screens/onboarding.py) by the time Next comes.
  The key is posted as the terminal would deliver it; ``pilot.press`` would also wait for the
  app to go idle, and so time that background build as well.
* ``bare``: for scale, the same switch between two screens that hold only an Input and a
  Footer (the bare app of ``bare_app.py``), measured the same way.

    python bench/transition.py [--repeats N] [--json]
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import tempfile
import time
import weakref
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import benchlib

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot
    from textual.screen import Screen

    from wizard.app import WizardApp

SIZE = (100, 30)


class Frames:
    """When each screen last had a frame drawn, on the same clock as ``time.perf_counter``:
    a transition ends when the new screen's first frame is drawn. Textual calls
    ``App.post_display_hook`` (public, "used in tests") right after the screen on top has
    been composited and displayed; the bench hooks it on its own app instances only."""

    drawn: ClassVar[dict[int, float]] = {}
    history: ClassVar[dict[int, list[float]]] = {}  # every frame's time, per screen
    hooked: ClassVar[weakref.WeakSet[Any]] = weakref.WeakSet()

    @classmethod
    def install(cls, app: App[Any]) -> None:
        if app in cls.hooked:
            return
        after_display = app.post_display_hook

        def timed() -> None:
            after_display()
            screen = id(app.screen)
            cls.drawn[screen] = now = time.perf_counter()
            cls.history.setdefault(screen, []).append(now)

        app.post_display_hook = timed  # type: ignore[method-assign]
        cls.hooked.add(app)


_switchers: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_switched: dict[int, float] = {}  # id(screen) -> when its step switcher last changed step


def current_step(app: App[Any]) -> str:
    """The step shown now ("" when the screen is not the onboarding). The switcher is
    looked up once per screen: this is polled every half millisecond on the app's own event
    loop, and a query over the whole screen each time would slow the very transition timed.
    The switch itself is noted as it happens (a watch on the switcher's ``current``): the
    poll can run after the new step's first frame, and would then wait for a later one."""
    from textual.widgets import ContentSwitcher

    screen = app.screen
    if screen not in _switchers:
        found = screen.query("#steps")
        if not found:
            return ""
        switcher = _switchers[screen] = found.first(ContentSwitcher)
        key = id(screen)

        def note_switch() -> None:
            _switched[key] = time.perf_counter()

        screen.watch(switcher, "current", note_switch, init=False)
        note_switch()  # (a step already shown: noticed now)
    pane = _switchers[screen].visible_content
    step = getattr(pane, "STEP", None)  # a StepPane's step (its id varies by build)
    return str(step.value) if step is not None else ""


async def until_shown(
    app: App[Any], old: str, start: float, timeout: float = 10.0
) -> tuple[str, float]:
    """Wait until a step other than ``old`` is current and a frame has been drawn since it
    became current; its pane id and the seconds from ``start`` to the end of the first such
    frame (several can be drawn before this poll runs again)."""
    Frames.install(app)
    deadline = time.perf_counter() + timeout
    while True:
        step = current_step(app)
        switched = _switched.get(id(app.screen), 0.0) if step != old else 0.0
        if switched > start:
            frames = Frames.history.get(id(app.screen), [])
            after = [t for t in frames[-8:] if t > switched]
            if after:
                return step, after[0] - start
        if time.perf_counter() > deadline:
            raise TimeoutError(f"still on {old}")
        await asyncio.sleep(0.0005)


async def until_screen(
    app: App[Any], old: Screen[Any], start: float, timeout: float = 10.0
) -> tuple[str, float]:
    """Wait until a screen other than ``old`` has had a frame drawn after ``start``."""
    Frames.install(app)
    deadline = time.perf_counter() + timeout
    while True:
        screen = app.screen
        drawn = Frames.drawn.get(id(screen), 0.0)
        if screen is not old and drawn > start:
            return type(screen).__name__, drawn - start
        if time.perf_counter() > deadline:
            raise TimeoutError(f"still on {type(old).__name__}")
        await asyncio.sleep(0.0005)


async def goto_walk(repeats: int) -> dict[str, Any]:
    from wizard.app import WizardApp
    from wizard.core.onboarding import Onboarding
    from wizard.core.profiles import Workspace
    from wizard.core.session import Session
    from wizard.core.steps import Step
    from wizard.core.visma import AppType

    with tempfile.TemporaryDirectory(prefix="bnxt-bench-goto-") as tmp:
        app = WizardApp(Session(Workspace(Path(tmp) / "cfg"), forced_store="file"))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            state = Onboarding(profile="bench")
            state.choose_app_type(AppType.SERVICE)
            state.app_name, state.client_id = "Bench", "isv_bench"
            app.start_onboarding(state)
            await until_shown(app, "", time.perf_counter())
            times: list[float] = []
            steps = (Step.REGISTRATION, Step.INTEGRATION)
            for i in range(repeats + 2):
                await pilot.pause(0.2)  # the pane after is built off-stage meanwhile
                old = current_step(app)
                start = time.perf_counter()
                app.goto(steps[i % 2])
                times.append((await until_shown(app, old, start))[1])
    cold, warm = times[:2], times[2:]
    return {
        "repeats": len(warm),
        "cold_ms": [round(t * 1000, 1) for t in cold],
        "median_ms": statistics.median(warm) * 1000,
        "max_ms": max(warm) * 1000,
    }


async def tour_walk() -> dict[str, Any]:
    from textual import events

    import wizard.screens.tour as tour
    from wizard.app import WizardApp
    from wizard.core.profiles import Workspace
    from wizard.core.session import Session
    from wizard.launch import demo_info
    from wizard.simulator import Simulator

    steps: list[tuple[str, float]] = []
    plain_next = tour._next

    async def timed_next(pilot: Pilot[int]) -> None:
        app: WizardApp = pilot.app  # type: ignore[assignment]
        await tour._settle(pilot)
        await pilot.pause(0.2)  # a reader's moment: the pane after is built off-stage
        old = current_step(app)
        start = time.perf_counter()
        # The key as the terminal would deliver it. Not pilot.press: that also waits until
        # the app is idle, so it would time the next step being built in the background too.
        app.post_message(events.Key("ctrl+n", None))
        name, elapsed = await until_shown(app, old, start)
        steps.append((f"{old} -> {name}", elapsed))
        await tour._settle(pilot)

    with tempfile.TemporaryDirectory(prefix="bnxt-bench-tour-") as tmp, Simulator() as sim:
        session = Session(Workspace(Path(tmp) / "cfg"), demo=demo_info(sim), forced_store="file")
        app = WizardApp(session)
        gc.freeze()  # as launch() runs the app
        app.freeze_gc = True
        tour._next = timed_next
        try:
            async with app.run_test(size=SIZE) as pilot:
                await tour.walk_onboarding(pilot, upto="09-test")
        finally:
            tour._next = plain_next
            gc.unfreeze()
    times = [t for _, t in steps]
    return {
        "transitions": len(steps),
        "median_ms": statistics.median(times) * 1000,
        "max_ms": max(times) * 1000,
        "steps": [(name, round(t * 1000, 1)) for name, t in steps],
    }


async def bare_walk(repeats: int) -> dict[str, Any]:
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import Footer, Input

    class BareScreen(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Input(placeholder="type here")
            yield Footer()

    app: App[None] = App()
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(BareScreen())
        times: list[float] = []
        for _ in range(repeats + 2):
            await pilot.pause()
            old = app.screen
            start = time.perf_counter()
            app.switch_screen(BareScreen())
            times.append((await until_screen(app, old, start))[1])
    return {"repeats": repeats, "median_ms": statistics.median(times[2:]) * 1000}


def _fresh(walk: Coroutine[Any, Any, dict[str, Any]]) -> dict[str, Any]:
    """Run one walk after collecting what the walks before it left behind: their garbage is
    not this walk's, and a collection of it would land in one of this walk's transitions."""
    gc.collect()
    return asyncio.run(walk)


def measure(repeats: int) -> dict[str, Any]:
    return {
        "goto": _fresh(goto_walk(repeats)),
        "bare": _fresh(bare_walk(repeats)),
        "tour": _fresh(tour_walk()),
    }


def report(result: dict[str, Any]) -> str:
    goto, tour = result["goto"], result["tour"]
    lines = [
        f"step transition, Registration <-> Integration, {goto['repeats']} times:",
        f"  median {goto['median_ms']:.1f} ms, slowest {goto['max_ms']:.1f} ms"
        f" (first visits: {', '.join(f'{t:.0f}' for t in goto['cold_ms'])} ms) (goal: < 50 ms)",
        f"  for scale: a screen of one Input and a Footer switches in"
        f" {result['bare']['median_ms']:.1f} ms here",
        f"demo tour, {tour['transitions']} Next presses: median {tour['median_ms']:.1f} ms,"
        f" slowest {tour['max_ms']:.1f} ms",
    ]
    lines += [f"  {name:40s} {ms:6.1f} ms" for name, ms in tour["steps"]]
    return "\n".join(lines)


def main() -> int:
    return benchlib.script_main("step transition time under Pilot", 30, measure, report)


if __name__ == "__main__":
    raise SystemExit(main())
