"""Shared fixtures. Every test runs with a temporary HOME and config folder and an
in-memory keyring, so no test ever touches the real home folder or the OS keyring.

Every test also gets its tier's marker (``pytest -m ui``) from its folder: tests/unit,
tests/ui, tests/e2e or tests/faults.

Tests marked ``slow`` (each takes many seconds) are spread over the parallel workers.
``make test`` runs pytest-xdist's ``worksteal`` mode: the ordered tests are split into one
run of consecutive tests per worker, and a worker that runs out steals the second half of the
longest queue left. :func:`run_plan` orders the tests so that each of those runs starts with
its share of the slow ones: they start at once, on different workers, and what the others
steal from their queues is quick, so the workers finish together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import keyring
import keyring.backend
import pytest
from hypothesis import HealthCheck, settings

# Property tests run beside six workers on two cores: a draw or an example can take seconds
# there. Neither Hypothesis's 200 ms deadline nor its slow-generation check is what these
# tests are about (a Python 3.13 CI run once failed on "Input generation is slow").
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")

TESTS = Path(__file__).parent
T = TypeVar("T")
TIER_NAMES = ("unit", "ui", "e2e", "faults")


def tier_of(path: Path) -> str | None:
    parts = path.relative_to(TESTS).parts
    return parts[0] if len(parts) > 1 and parts[0] in TIER_NAMES else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    untiered: set[str] = set()
    for item in items:
        tier = tier_of(item.path)
        if tier is None:
            untiered.add(str(item.path.relative_to(TESTS)))
        else:
            item.add_marker(getattr(pytest.mark, tier))
    if untiered:
        names = ", ".join(sorted(untiered))
        raise pytest.UsageError(
            f"no test tier for {names}: put the file in the folder of its tier, "
            f"tests/<tier>/ (one of {', '.join(TIER_NAMES)})"
        )
    items[:] = run_plan(items, workers_of(config), run_order)  # the same on every worker


def workers_of(config: pytest.Config) -> int:
    """How many pytest-xdist workers share the run (1 without xdist)."""
    workerinput = getattr(config, "workerinput", None)
    return int(workerinput["workercount"]) if workerinput else 1


# Fixtures a slow test makes once per run for the others of its module (tests/once.py): those
# others run last, when it is made, rather than wait for it on another worker.
MADE_BY_A_SLOW_TEST = ("figures",)


def run_order(item: pytest.Item) -> int:
    """0: slow tests; 1: the rest, in their order; 2: tests reading what one made."""
    if item.get_closest_marker("slow") is not None:
        return 0
    fixtures = getattr(item, "fixturenames", ())
    return 2 if any(name in fixtures for name in MADE_BY_A_SLOW_TEST) else 1


def run_plan(items: list[T], workers: int, kind: Callable[[T], int]) -> list[T]:
    """The tests in the order the workers' runs are cut from (xdist's ``worksteal`` gives
    worker *k* the *k*-th of ``workers`` near-equal runs of consecutive tests): each run
    starts with every ``workers``-th slow test (``kind`` 0), then its share of the rest
    (``kind`` 1), in their order; the tests reading what a slow test made (``kind`` 2) close
    the last run. One worker: the slow tests, the rest, the readers."""
    slow = [item for item in items if kind(item) == 0]
    rest = [item for item in items if kind(item) == 1]
    late = [item for item in items if kind(item) == 2]
    workers = max(1, min(workers, len(items)))
    plan: list[T] = []
    left = len(items)
    for k in range(workers):
        size = left // (workers - k)  # as xdist splits what is left among the workers left
        left -= size
        run = slow[k::workers]
        take = max(0, size - len(run) - (len(late) if k == workers - 1 else 0))
        plan += [*run, *rest[:take]]
        del rest[:take]
    return [*plan, *rest, *late]


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring: unannotated
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        import keyring.errors

        try:
            del self.store[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(username) from None


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("BNXT_WIZARD_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("BNXT_CLIENT_SECRET", raising=False)
    yield


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    return tmp_path / "config"
