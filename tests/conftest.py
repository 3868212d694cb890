"""Shared fixtures. Every test runs with a temporary HOME and config folder and an
in-memory keyring, so no test ever touches the real home folder or the OS keyring.

Every test also gets its tier's marker (``pytest -m ui``) from its folder: tests/unit,
tests/ui, tests/e2e or tests/faults.

Tests marked ``slow`` (each takes many seconds) run first: the parallel workers take tests one
or two at a time (``make test``: ``--maxschedchunk 2``), so starting the longest ones first
lets every worker finish at about the same time, instead of one long test running alone at
the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
    items.sort(key=run_order)  # a stable sort: every worker agrees on the order


# Fixtures a slow test makes once per run for the others of its module (tests/once.py): those
# others run last, when it is made, rather than wait for it on another worker.
MADE_BY_A_SLOW_TEST = ("figures",)


def run_order(item: pytest.Item) -> int:
    """0: slow tests, first; 1: the rest, in their order; 2: tests reading what one made."""
    if item.get_closest_marker("slow") is not None:
        return 0
    fixtures = getattr(item, "fixturenames", ())
    return 2 if any(name in fixtures for name in MADE_BY_A_SLOW_TEST) else 1


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
