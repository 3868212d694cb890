"""Smoke test for `make bench`: every bench script runs and prints its figures.

Tiny repeat counts, nothing timed or compared with a goal: a slow machine must not fail
this. What it does catch: a bench script that crashes, a wizard that no longer reaches its
first screen the way `bnxt-wizard` starts it, a headless command that starts importing
Textual, and a README section the writer would mangle.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.once import once_per_run

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"


def bench(script: str, *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> dict[str, Any]:
    """One quick run of every part, as `make bench` would run them (but one sample each);
    once per test run, whichever workers run these tests."""

    def run() -> str:
        return bench("run.py", "--quick", "--json").strip().splitlines()[-1]

    result = json.loads(once_per_run(tmp_path_factory, worker_id, "bench-quick.json", run))
    assert isinstance(result, dict)
    return result


@pytest.fixture
def bench_modules(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.syspath_prepend(str(BENCH))
    yield
    for name in ("run", "benchlib", "memory", "startup", "headless", "transition", "login"):
        sys.modules.pop(name, None)


@pytest.mark.slow
def test_startup_reaches_the_welcome_screen_on_both_sides(figures: dict[str, Any]) -> None:
    startup = figures["startup"]
    assert startup["wizard"]["screen"] == "WelcomeScreen"
    assert startup["bare"]["screen"] == startup["stack"]["screen"] == "Screen"
    for side in ("wizard", "bare", "stack"):
        assert 0 < startup[side]["ready_ms"] <= startup[side]["wall_ms"]
        assert startup[side]["peak_kb"] > 0
    assert startup["ready_ratio"] > 0
    assert figures["memory"]["ratio"] > 0


def test_headless_check_gets_a_token_and_never_imports_textual(figures: dict[str, Any]) -> None:
    check = figures["check"]
    assert check["wizard_ms"] > 0 and check["minimal_ms"] > 0 and check["stack_ms"] > 0
    assert set(check["ui_loaded"]) >= {"check --no-graphql", "token", "profiles list"}
    assert check["textual_free"] is True, check["ui_loaded"]


def test_transitions_are_timed_through_the_whole_tour(figures: dict[str, Any]) -> None:
    transition = figures["transition"]
    assert transition["goto"]["median_ms"] > 0
    assert transition["bare"]["median_ms"] > 0
    names = [name for name, _ms in transition["tour"]["steps"]]
    assert names[0] == "app-type -> registration"
    assert names[-1] == "review -> test"


def test_login_is_timed_to_its_url_and_its_redirects(figures: dict[str, Any]) -> None:
    login = figures["login"]
    assert login["login_ms"] > 0 and login["check_ms"] > 0 and login["ratio"] > 0
    assert 0 < login["redirect_ms"] <= login["redirect_max_ms"]
    assert login["login_redirect_ms"] > 0


def test_the_table_names_every_goal(figures: dict[str, Any], bench_modules: None) -> None:
    import run

    text = run.table(figures)
    for what in (
        "first interactive screen",
        "check --no-graphql",
        "step transition",
        "memory",
        "sign-in URL",
        "redirect",
    ):
        assert what in text
    assert "PASS" in text or "MISS" in text
    assert figures["machine"]["cpu"] in text


def test_readme_writer_touches_only_its_own_section(
    figures: dict[str, Any], bench_modules: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import benchlib
    import run

    monkeypatch.setattr(benchlib, "ROOT", tmp_path)
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\nIntro.\n\n## Usage\n\nText.\n", encoding="utf-8")
    run.write_readme(figures)
    first = readme.read_text(encoding="utf-8")
    assert first.startswith("# Title\n\nIntro.\n\n## Usage\n\nText.\n\n## Performance\n")
    assert first.count("## Performance") == 1
    run.write_readme(figures)  # a second run replaces the section instead of adding one
    assert readme.read_text(encoding="utf-8") == first
    readme.write_text(first + "\nNotes written by hand.\n", encoding="utf-8")
    run.write_readme(figures)  # hand-written notes after the generated block survive
    assert readme.read_text(encoding="utf-8") == first + "\nNotes written by hand.\n"


def test_each_part_prints_its_figures_for_people(
    figures: dict[str, Any], bench_modules: None
) -> None:
    import headless
    import login
    import startup
    import transition

    assert "ratio" in startup.report(figures["startup"])
    assert "minimal httpx script" in headless.report(figures["check"])
    assert "until the sign-in URL" in login.report(figures["login"])
    assert "Next presses" in transition.report(figures["transition"])
    assert "MiB" in bench("memory.py", "--repeats", "1")
