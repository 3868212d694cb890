"""Shared fixtures. Every test runs with a temporary HOME and config folder and an
in-memory keyring, so no test ever touches the real home folder or the OS keyring.

Every test also gets its tier's marker (``pytest -m ui``): by its folder under tests/ when
that folder is named after a tier, else by its file name in ``TIERS``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

TESTS = Path(__file__).parent
TIER_NAMES = ("unit", "ui", "e2e", "faults")
# File -> tier, for the files not yet in a folder named after their tier.
TIERS: dict[str, str] = {
    "test_architecture.py": "unit",
    "test_checks.py": "unit",
    "test_cli_table.py": "unit",
    "test_config_store.py": "unit",
    "test_connect.py": "unit",
    "test_drafts.py": "unit",
    "test_envfile.py": "unit",
    "test_envfile_props.py": "unit",
    "test_graphql_probe.py": "unit",
    "test_hosts.py": "unit",
    "test_models.py": "unit",
    "test_onboarding.py": "unit",
    "test_profiles_ops.py": "unit",
    "test_rotation.py": "unit",
    "test_secrets.py": "unit",
    "test_no_textual_private.py": "unit",
    "test_ui_layers.py": "unit",
    "test_validation.py": "unit",
    "test_snapshots.py": "ui",
    "test_tour.py": "ui",
    "test_ui_first_view.py": "ui",
    "test_ui_review_test.py": "ui",
    "test_ui_rotate.py": "ui",
    "test_ui_onboarding.py": "ui",
    "test_ui_steps.py": "ui",
    "test_bench_smoke.py": "e2e",
    "test_cli_e2e.py": "e2e",
    "test_json_shapes.py": "e2e",
    "test_secret_canary.py": "e2e",
    "test_simulator.py": "e2e",
    "test_terminal.py": "e2e",
    "test_demo_info.py": "unit",
    "test_explain.py": "unit",
    "test_migrations.py": "unit",
    "test_oidc_units.py": "unit",
    "test_profile_updates.py": "unit",
    "test_secret_keys.py": "unit",
    "test_visma_facts.py": "unit",
    "test_ui_welcome_odd.py": "ui",
    "test_cli_hygiene.py": "e2e",
    "test_login_cli.py": "e2e",
    "test_login_e2e.py": "e2e",
    "test_rotate_cli.py": "e2e",
    "test_signin_sim.py": "e2e",
    "test_sim_rate_limit.py": "e2e",
    "test_sim_wizard.py": "e2e",
    "test_files_hygiene.py": "faults",
    "test_rotation_kill.py": "faults",
    "test_state_concurrency.py": "faults",
}


def tier_of(path: Path) -> str | None:
    parts = path.relative_to(TESTS).parts
    if len(parts) > 1 and parts[0] in TIER_NAMES:
        return parts[0]
    return TIERS.get(path.name) if len(parts) == 1 else None


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
            f"no test tier for {names}: add the file to TIERS in tests/conftest.py "
            f"(one of {', '.join(TIER_NAMES)})"
        )


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
