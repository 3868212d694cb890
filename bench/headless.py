"""`bnxt-wizard check --no-graphql` vs a minimal httpx script, and no Textual when headless.

One simulator runs in this process; a service profile is saved into a temporary config
folder with `bnxt-wizard init --non-interactive ... --secret-stdin --secret-store file`. Then
fresh `python -m wizard check --no-graphql` processes and fresh `python bench/minimal_token.py`
processes run interleaved against it; each figure is the median whole-process wall time.
For scale, `bench/stack_token.py` (the same request on asyncio + httpx.AsyncClient + pydantic,
without the wizard; and with ``--sync`` on httpx.Client + pydantic) runs in the same rotation.
Finally every headless command runs once under ``python -X importtime`` to show which
packages it loaded: Textual must not be among them.

    python bench/headless.py [--repeats N] [--json]
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import benchlib

UI_PACKAGES = ("textual", "rich")


def _wizard(config: Path, *args: str) -> list[str]:
    return [benchlib.PYTHON, "-m", "wizard", "--config-dir", str(config), *args]


def _imported(cmd: list[str], env: dict[str, str], stdin: str | None) -> set[str]:
    """Top-level packages a command imported, from ``-X importtime``."""
    import subprocess

    done = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=benchlib.ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{cmd[3:]} exited {done.returncode}:\n{done.stderr[-2000:]}")
    found = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            found.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return found


def measure(repeats: int) -> dict[str, Any]:
    from wizard.simulator import DEMO_CLIENT_ID, DEMO_SECRET, SERVICE_SCOPE, Simulator

    with tempfile.TemporaryDirectory(prefix="bnxt-bench-headless-") as tmp, Simulator() as sim:
        folder = Path(tmp)
        env = benchlib.isolated_env(folder)
        config = folder / "config"
        secret = DEMO_SECRET + "\n"
        init = _wizard(config, "init", "--non-interactive", "--app-type", "service")
        init += ["--app-name", "Bench", "--client-id", DEMO_CLIENT_ID]
        init += ["--token-url", sim.token_url, "--graphql-url", sim.graphql_service_url]
        init += ["--company", "5280101:Accounting", "--secret-stdin", "--secret-store", "file"]
        benchlib.timed_run(init, env=env, stdin=secret)

        token_args = (sim.token_url, DEMO_CLIENT_ID, SERVICE_SCOPE)
        sides = {
            "wizard": (_wizard(config, "check", "--no-graphql"), None),
            "minimal": (
                [benchlib.PYTHON, str(benchlib.BENCH / "minimal_token.py"), *token_args],
                secret,
            ),
            "stack": (
                [benchlib.PYTHON, str(benchlib.BENCH / "stack_token.py"), *token_args],
                secret,
            ),
            "stack_sync": (
                [benchlib.PYTHON, str(benchlib.BENCH / "stack_token.py"), "--sync", *token_args],
                secret,
            ),
        }
        times: dict[str, list[float]] = {side: [] for side in sides}
        for cmd, stdin in sides.values():  # warm-up: bytecode, page cache
            benchlib.timed_run(cmd, env=env, stdin=stdin)
        for i in range(repeats):
            order = list(sides)[i % len(sides) :] + list(sides)[: i % len(sides)]
            for side in order:
                cmd, stdin = sides[side]
                elapsed, out = benchlib.timed_run(cmd, env=env, stdin=stdin)
                if side != "wizard" and out.strip() != "200":
                    raise RuntimeError(f"{side} token request answered {out.strip()}")
                times[side].append(elapsed)

        commands = {
            "check --no-graphql": (_wizard(config, "check", "--no-graphql"), None),
            "token": (_wizard(config, "token"), None),
            "profiles list": (_wizard(config, "profiles", "list"), None),
            "env -o -": (_wizard(config, "env", "-o", "-"), None),
            "init --non-interactive": (init, secret),
            "--help": (_wizard(config, "--help"), None),
        }
        ui_loaded = {
            name: sorted(_imported(cmd, env, stdin) & set(UI_PACKAGES))
            for name, (cmd, stdin) in commands.items()
        }
    wizard_ms = benchlib.median_ms(times["wizard"])
    minimal_ms = benchlib.median_ms(times["minimal"])
    return {
        "repeats": repeats,
        "wizard_ms": wizard_ms,
        "minimal_ms": minimal_ms,
        "stack_ms": benchlib.median_ms(times["stack"]),
        "stack_sync_ms": benchlib.median_ms(times["stack_sync"]),
        "ratio": wizard_ms / minimal_ms,
        "ui_loaded": ui_loaded,
        "textual_free": all("textual" not in pkgs for pkgs in ui_loaded.values()),
    }


def report(result: dict[str, Any]) -> str:
    lines = [
        f"token request, median of {result['repeats']} fresh processes each:",
        f"  bnxt-wizard check --no-graphql {result['wizard_ms']:6.0f} ms",
        f"  minimal httpx script           {result['minimal_ms']:6.0f} ms",
        f"  ratio {result['ratio']:.2f}x (goal: at most 1.3x)",
        "  for scale, the same request with nothing of the wizard:",
        f"    asyncio + httpx.AsyncClient + pydantic   {result['stack_ms']:6.0f} ms",
        f"    httpx.Client + pydantic (no asyncio)     {result['stack_sync_ms']:6.0f} ms",
        "UI packages imported by headless commands (python -X importtime):",
    ]
    for name, pkgs in result["ui_loaded"].items():
        lines.append(f"  {name:24s} {', '.join(pkgs) or 'none'}")
    return "\n".join(lines)


def main() -> int:
    return benchlib.script_main("check --no-graphql vs minimal httpx", 9, measure, report)


if __name__ == "__main__":
    raise SystemExit(main())
