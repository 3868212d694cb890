"""`make bench`: every figure of the speed goals, measured side by side in one run.

Each part runs as its own fresh process (bench/startup.py, headless.py, transition.py), so
this process stays light and nothing one part loads can speed up or slow down another.

    python bench/run.py [--quick] [--json] [--write-readme]

``--quick`` uses tiny repeat counts (a smoke test, not a measurement); ``--write-readme``
replaces the "## Performance" section at the end of README.md with these figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import benchlib
import memory

GOALS = {
    "startup": 1.2,  # first interactive screen, wizard / bare Textual app
    # check --no-graphql, wizard / the same token request on the stack it declares (asyncio +
    # httpx.AsyncClient + a pydantic model with SecretStr): issue 10's floor
    "check": 1.25,
    "transition": 50.0,  # ms, median step transition under Pilot
    "login": 1.3,  # login start -> sign-in URL printed, / check --no-graphql
    "redirect": 100.0,  # ms, the local app answering the redirect, token exchange aside
}
README_HEADING = "## Performance"


def run_all(quick: bool) -> dict[str, Any]:
    started = time.monotonic()
    startup_repeats, headless_repeats, goto_repeats = (1, 1, 3) if quick else (21, 9, 30)
    figures: dict[str, Any] = {"machine": benchlib.machine(), "quick": quick}
    figures["startup"] = benchlib.run_json_script("startup.py", "--repeats", str(startup_repeats))
    figures["memory"] = memory.summary(figures["startup"])
    figures["check"] = benchlib.run_json_script("headless.py", "--repeats", str(headless_repeats))
    figures["transition"] = benchlib.run_json_script(
        "transition.py", "--repeats", str(goto_repeats)
    )
    figures["login"] = benchlib.run_json_script("login.py", "--repeats", str(headless_repeats))
    figures["seconds"] = time.monotonic() - started
    return figures


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def rows(figures: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(what, measured, goal, verdict) for the table."""
    s, c, t, m = figures["startup"], figures["check"], figures["transition"], figures["memory"]
    g = figures["login"]
    goto, tour, bare = t["goto"], t["tour"], t["bare"]
    floor = c["wizard_ms"] / c["stack_ms"]  # the check against its declared stack
    return [
        (
            "first interactive screen, wizard vs bare Textual app",
            f"{s['wizard']['ready_ms']:.0f} vs {s['bare']['ready_ms']:.0f} ms"
            f" = {s['ready_ratio']:.2f}x (CPU {s['cpu_ratio']:.2f}x;"
            f" bare + pydantic alone {s['stack_ratio']:.2f}x)",
            f"<= {GOALS['startup']}x",
            _verdict(s["ready_ratio"] <= GOALS["startup"]),
        ),
        (
            "check --no-graphql vs the same request on asyncio + httpx async + pydantic",
            f"{c['wizard_ms']:.0f} vs {c['stack_ms']:.0f} ms = {floor:.2f}x"
            f" (for information: minimal sync httpx script {c['minimal_ms']:.0f} ms,"
            f" {c['ratio']:.2f}x; sync httpx + pydantic {c['stack_sync_ms']:.0f} ms)",
            f"<= {GOALS['check']}x",
            _verdict(floor <= GOALS["check"]),
        ),
        (
            "headless commands import Textual",
            "never"
            if c["textual_free"]
            else "YES: "
            + ", ".join(name for name, pkgs in c["ui_loaded"].items() if "textual" in pkgs),
            "never",
            _verdict(c["textual_free"]),
        ),
        (
            "step transition under Pilot, median: back and forth (goto)",
            f"{goto['median_ms']:.0f} ms (bare screen switch {bare['median_ms']:.0f} ms)",
            f"< {GOALS['transition']:.0f} ms",
            _verdict(goto["median_ms"] < GOALS["transition"]),
        ),
        (
            "step transition, median: every Next of the demo tour (first visits)",
            f"{tour['median_ms']:.0f} ms median, slowest {tour['max_ms']:.0f} ms",
            f"< {GOALS['transition']:.0f} ms",
            _verdict(tour["median_ms"] < GOALS["transition"]),
        ),
        (
            "login: start until the sign-in URL is printed vs check --no-graphql",
            f"{g['login_ms']:.0f} vs {g['check_ms']:.0f} ms = {g['ratio']:.2f}x",
            f"<= {GOALS['login']}x",
            _verdict(g["ratio"] <= GOALS["login"]),
        ),
        (
            "login: local app answers the redirect, token exchange aside (median)",
            f"{g['redirect_ms']:.0f} ms (slowest {g['redirect_max_ms']:.0f} ms)",
            f"< {GOALS['redirect']:.0f} ms",
            _verdict(g["redirect_max_ms"] < GOALS["redirect"]),
        ),
        (
            "peak memory, wizard vs bare Textual app",
            f"{m['wizard_mb']:.1f} vs {m['bare_mb']:.1f} MiB = {m['ratio']:.2f}x",
            "reported",
            "-",
        ),
    ]


def machine_line(figures: dict[str, Any]) -> str:
    m = figures["machine"]
    return f"{m['cpu']}, {m['cores']} cores, Python {m['python']}, {m['os']}, {m['date']}"


def table(figures: dict[str, Any]) -> str:
    data = rows(figures)
    widths = [max(len(r[i]) for r in data) for i in range(4)]
    head = ("what", "measured", "goal", "result")
    widths = [max(w, len(h)) for w, h in zip(widths, head, strict=True)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in data]
    out.append(f"machine: {machine_line(figures)}; bench took {figures['seconds']:.0f} s")
    if figures["quick"]:
        out.append("(--quick: one or two samples each, not a measurement)")
    return "\n".join(out)


def markdown(figures: dict[str, Any]) -> str:
    lines = [
        README_HEADING,
        "",
        "`make bench` measures the speed goals side by side in one run: fresh processes,",
        "wizard and baseline interleaved, medians (`bench/run.py --write-readme` rewrites this",
        "table). The latest figures:",
        "",
        "| what | measured | goal | result |",
        "|---|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows(figures)]
    lines += ["", f"Measured on: {machine_line(figures)}.", ""]
    return "\n".join(lines)


def write_readme(figures: dict[str, Any]) -> None:
    """Replace the Performance section (the README's last) with ``markdown(figures)``."""
    path = benchlib.ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    before, found, _after = text.partition("\n" + README_HEADING + "\n")
    notes = ""
    if found:
        # keep hand-written notes that follow the generated block, marked by a rule
        _old, rule, rest = _after.partition("\n<!-- end of bench figures -->\n")
        notes = rule + rest if rule else ""
    body = before.rstrip("\n") + "\n\n" + markdown(figures)
    path.write_text(body + (notes or "\n<!-- end of bench figures -->\n"), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description="all bnxt-wizard speed figures")
    parser.add_argument("--quick", action="store_true", help="tiny repeat counts (smoke test)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()
    figures = run_all(args.quick)
    print(json.dumps(figures) if args.json else table(figures))
    if args.write_readme:
        if args.quick:
            print("not writing --quick figures into README.md", file=sys.stderr)
            return 2
        write_readme(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
