"""Shared by the bench scripts: fresh child processes, isolation, medians, machine facts.

Every figure is a median over fresh processes, and the two sides of a ratio are run
interleaved (A, B, A, B, ...) so a busy neighbour slows both alike.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable


def now() -> float:
    """Seconds on the system-wide monotonic clock: the same clock in parent and child."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000.0


def peak_kb() -> int:
    """This process's peak resident memory (VmHWM), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def isolated_env(folder: Path) -> dict[str, str]:
    """Environment for a child: its own HOME and config folder, never the user's.

    Bytecode caching is left on (as after any ``pip install``): with PYTHONDONTWRITEBYTECODE
    the wizard's own modules would be compiled from source on every start while Textual's
    came precompiled, which measures the environment rather than the code.
    """
    home = folder / "home"
    home.mkdir(parents=True, exist_ok=True)
    skip = ("BNXT_", "TEXTUAL", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        BNXT_WIZARD_CONFIG_DIR=str(folder / "config"),
    )
    return env


def timed_run(
    cmd: Sequence[str], *, env: dict[str, str], stdin: str | None = None
) -> tuple[float, str]:
    """Run ``cmd`` to the end; its wall time in seconds and its stdout. Fails loudly."""
    start = now()
    done = subprocess.run(
        list(cmd), input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    elapsed = now() - start
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd[:4])} ... exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    return elapsed, done.stdout


def run_json_script(script: str, *args: str) -> dict[str, object]:
    """Run ``bench/<script> --json ...`` in a fresh process and return its JSON figures."""
    done = subprocess.run(
        [PYTHON, str(BENCH / script), "--json", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{script} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert isinstance(result, dict)
    return result


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count() or "?"),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "date": time.strftime("%Y-%m-%d"),
    }


def script_main(
    description: str,
    default_repeats: int,
    measure: Callable[[int], dict[str, Any]],
    report: Callable[[dict[str, Any]], str],
) -> int:
    """The command line every bench script shares: --repeats N and --json."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeats", type=int, default=default_repeats)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(max(1, args.repeats))
    print(json.dumps(result) if args.json else report(result))
    return 0
