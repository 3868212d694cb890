"""Time to the first interactive screen: the wizard as `bnxt-wizard` starts it vs a bare app.

Each sample is a fresh process on a pseudo-terminal (so the wizard's "needs a terminal" check
passes as it would for a user). The child patches ``App.run`` the same way on both sides: run
headless, and as soon as the first screen has a focused widget and has been painted, note the
time and exit. The parent notes the time just before starting the child; both read the
system-wide monotonic clock, so the figure includes interpreter start-up and every import.
The child imports nothing of its own beyond what Textual needs anyway, so the driver adds
no weight to either side.

    python bench/startup.py [--repeats N] [--json]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

SIDES = ("wizard", "bare", "stack")  # stack: for scale only, see stack_app.py


# child: python bench/startup.py --child SIDE CONFIG_DIR OUT -------------------------
def _now() -> float:
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def _peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _resolve(future: Any) -> None:
    if not future.done():
        future.set_result(None)


def _child(side: str, config_dir: str, out: Path) -> int:
    import asyncio

    import textual.app
    from textual.pilot import Pilot

    marks: dict[str, float] = {}
    original_run = textual.app.App.run

    async def exit_when_interactive(pilot: Pilot[Any]) -> None:
        app = pilot.app
        deadline = _now() + 30.0
        while app.screen.focused is None or not app.screen.is_mounted:
            if _now() > deadline:
                app.exit(3)
                return
            await asyncio.sleep(0.001)
        painted = asyncio.get_running_loop().create_future()
        app.screen.call_after_refresh(_resolve, painted)
        await painted
        marks["ready"] = _now()
        marks["cpu"] = time.process_time()
        marks["screen"] = type(app.screen).__name__  # type: ignore[assignment]
        app.exit(0)

    def run(self: textual.app.App[Any], **kwargs: Any) -> Any:
        marks["run"] = _now()
        kwargs.update(headless=True, size=(100, 30), auto_pilot=exit_when_interactive)
        return original_run(self, **kwargs)

    textual.app.App.run = run  # type: ignore[method-assign]

    marks["main"] = _now()
    if side == "wizard":
        from wizard.cli import main  # what the bnxt-wizard console script calls

        code = main(["--config-dir", config_dir])
    elif side == "bare":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bare_app import BareApp

        code = BareApp().run() or 0
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from stack_app import StackApp

        code = StackApp().run() or 0
    if "ready" not in marks:
        return 3
    import json

    marks["peak_kb"] = _peak_kb()
    marks["modules"] = len(sys.modules)
    out.write_text(json.dumps(marks))
    return int(code)


# parent --------------------------------------------------------------------------
def _run_on_pty(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Start ``cmd`` with a terminal as stdin/stdout; (start time, wall seconds)."""
    import os
    import select
    import subprocess

    import benchlib

    master, slave = os.openpty()
    start = benchlib.now()
    proc = subprocess.Popen(
        cmd, stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=env, cwd=benchlib.ROOT
    )
    os.close(slave)
    try:
        while proc.poll() is None:
            readable, _, _ = select.select([master], [], [], 0.02)
            if readable:
                try:
                    os.read(master, 65536)
                except OSError:
                    pass
        wall = benchlib.now() - start
    finally:
        os.close(master)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[-4:]} exited {proc.returncode}:\n{err}")
    return start, wall


def sample(side: str, folder: Path) -> dict[str, Any]:
    """One fresh process of ``side``; its timings in seconds and its peak memory."""
    import json

    import benchlib

    out = folder / f"{side}.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", side]
    cmd += [str(folder / "config"), str(out)]
    start, wall = _run_on_pty(cmd, benchlib.isolated_env(folder))
    marks = json.loads(out.read_text())
    return {
        "ready_s": marks["ready"] - start,
        "to_main_s": marks["main"] - start,
        "imports_s": marks["run"] - marks["main"],
        "run_s": marks["ready"] - marks["run"],
        "wall_s": wall,
        "cpu_s": marks["cpu"],
        "peak_kb": marks["peak_kb"],
        "modules": marks["modules"],
        "screen": marks["screen"],
    }


def measure(repeats: int) -> dict[str, Any]:
    """Interleaved fresh processes (after one unrecorded warm-up each); medians."""
    import statistics
    import tempfile

    import benchlib

    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    with tempfile.TemporaryDirectory(prefix="bnxt-bench-startup-") as tmp:
        folder = Path(tmp)
        for side in SIDES:
            sample(side, folder)
        for i in range(repeats):
            for side in SIDES[i % 3 :] + SIDES[: i % 3]:
                runs[side].append(sample(side, folder))
    result: dict[str, Any] = {"repeats": repeats}
    for side in SIDES:
        rows = runs[side]
        result[side] = {
            f"{key}_ms": benchlib.median_ms([r[f"{key}_s"] for r in rows])
            for key in ("ready", "to_main", "imports", "run", "wall", "cpu")
        }
        result[side]["peak_kb"] = statistics.median(r["peak_kb"] for r in rows)
        result[side]["modules"] = statistics.median(r["modules"] for r in rows)
        result[side]["screen"] = rows[-1]["screen"]
    result["ready_ratio"] = result["wizard"]["ready_ms"] / result["bare"]["ready_ms"]
    result["cpu_ratio"] = result["wizard"]["cpu_ms"] / result["bare"]["cpu_ms"]
    result["stack_ratio"] = result["stack"]["ready_ms"] / result["bare"]["ready_ms"]
    result["memory_ratio"] = result["wizard"]["peak_kb"] / result["bare"]["peak_kb"]
    return result


def report(result: dict[str, Any]) -> str:
    w, b = result["wizard"], result["bare"]
    lines = [f"first interactive screen, median of {result['repeats']} fresh processes each:"]
    for name, side in (("wizard", w), ("bare", b), ("stack", result["stack"])):
        lines.append(
            f"  {name:6s} {side['ready_ms']:6.0f} ms  = start {side['to_main_ms']:4.0f}"
            f" + own imports {side['imports_ms']:4.0f} + app to painted {side['run_ms']:4.0f}"
            f"   ({side['screen']}; whole process {side['wall_ms']:.0f} ms)"
        )
    lines.append("  (stack: the bare app plus pydantic state, for scale only)")
    lines.append(
        f"  ratio  {result['ready_ratio']:.2f}x (goal: at most 1.2x); CPU time to ready"
        f" {w['cpu_ms']:.0f} vs {b['cpu_ms']:.0f} ms = {result['cpu_ratio']:.2f}x"
    )
    return "\n".join(lines)


def main() -> int:
    import benchlib  # not at the top: the timed child processes must not pay for it

    return benchlib.script_main("time to the first interactive screen", 9, measure, report)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        side, config_dir, out = sys.argv[2:5]
        raise SystemExit(_child(side, config_dir, Path(out)))
    raise SystemExit(main())
