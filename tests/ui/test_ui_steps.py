"""Pilot tests for the integration, secret, local URIs and User table steps.

Each test builds a WizardApp, fills ``app.state`` as if the earlier steps were done and
jumps straight to the step under test, so it does not depend on the other screens.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Collapsible, Input, RadioButton, Static

from tests.ui_helpers import pane_of
from wizard.app import WizardApp
from wizard.core import hosts
from wizard.core import secrets as secret_stores
from wizard.core.onboarding import CompanyRow
from wizard.core.profiles import Workspace
from wizard.core.secrets import KeyringProbe
from wizard.core.session import DemoInfo, Session
from wizard.core.steps import Step
from wizard.core.visma import AppType
from wizard.screens.integration import IntegrationPane
from wizard.screens.local_uris import LOOPBACK_RULE, LocalUrisPane
from wizard.screens.secret import SecretPane
from wizard.screens.user_table import CompanyEditor, UserTablePane
from wizard.widgets.copy_row import CopyRow

CLIENT_ID = "isv_test-app"
SECRET = "S3cr3t-v4lue"

# -- fixtures and helpers -----------------------------------------------------------------


class FakeResolver:
    """Stands in for socket.getaddrinfo behind the hosts check: no test asks real DNS."""

    def __init__(self) -> None:
        self.addresses: list[str] = ["127.0.0.1"]
        self.error: OSError | None = None
        self.hang = False
        self.release = threading.Event()
        self.calls = 0

    def __call__(self, *args: Any) -> list[tuple[Any, ...]]:
        self.calls += 1
        if self.hang:
            self.release.wait(10)
        if self.error:
            raise self.error
        return [(2, 1, 6, "", (a, 0)) for a in self.addresses]


@pytest.fixture(autouse=True)
def resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeResolver]:
    fake = FakeResolver()
    check = partial(hosts.resolve_app_local, resolver=fake, timeout=0.3, platform="linux")
    monkeypatch.setattr(hosts, "resolve_app_local", check)
    yield fake
    fake.release.set()


@pytest.fixture
def demo() -> Iterator[DemoInfo]:
    from wizard.launch import demo_info
    from wizard.simulator import Simulator

    with Simulator() as sim:
        yield demo_info(sim)


def make_app(tmp_path: Path, demo: DemoInfo | None = None) -> WizardApp:
    session = Session(
        Workspace(tmp_path / "cfg"),
        demo=demo,
        forced_store="file" if demo else None,
        throwaway_folder=demo is not None,  # as launch() runs the demo without --config-dir
    )
    return WizardApp(session)


def prepare(app: WizardApp, app_type: AppType = AppType.SERVICE) -> None:
    """The state after the app type and registration steps are done."""
    s = app.state
    s.choose_app_type(app_type)
    s.app_name = "Test app"
    s.client_id = CLIENT_ID
    s.registration_checks = [True] * 4


async def show(pilot: Pilot[Any], step: Step) -> None:
    app = pilot.app
    assert isinstance(app, WizardApp)
    app.goto(step)
    await settle(pilot)


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text(pilot: Pilot[Any], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


def next_enabled(pilot: Pilot[Any]) -> bool:
    return not pilot.app.screen.query_one("#next", Button).disabled


@pytest.fixture
async def pilot(tmp_path: Path) -> AsyncIterator[Pilot[Any]]:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as running:
        prepare(app)
        yield running


# -- API integration --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("app_type", "api", "scope"),
    [
        (AppType.SERVICE, "Business NXT GraphQL Service API", "business-graphql-service-api:"),
        (AppType.WEB, "Business NXT Graphql API", "business-graphql-api:access-group-based"),
    ],
)
async def test_integration_names_the_api_and_scope(
    pilot: Pilot[Any], app_type: AppType, api: str, scope: str
) -> None:
    prepare(pilot.app, app_type)  # type: ignore[arg-type]
    await show(pilot, Step.INTEGRATION)
    screen = pane_of(pilot.app)
    assert isinstance(screen, IntegrationPane)
    assert screen.query_one("#api-name", CopyRow).value == api
    assert screen.query_one("#portal-scope", CopyRow).value.startswith(scope)
    extra = screen.query("#extra-scopes")
    assert bool(extra) is (app_type is AppType.WEB)
    if extra:
        said = text(pilot, "#extra-scopes")
        assert "openid profile email offline_access business-graphql-api:access-group-based" in said
        assert "Offline Access box" in said
    assert bool(screen.query("#service-scope")) is (app_type is AppType.SERVICE)


async def test_the_read_only_service_scope_is_a_choice(pilot: Pilot[Any]) -> None:
    readonly = "business-graphql-service-api:access-group-based-readonly"
    await show(pilot, Step.INTEGRATION)
    screen = pilot.app.screen
    assert "Read only" in str(screen.query_one("#scope-readonly", RadioButton).label)
    assert screen.query_one("#scope-full", RadioButton).value
    screen.query_one("#scope-readonly", RadioButton).value = True
    await pilot.pause()
    assert screen.query_one("#portal-scope", CopyRow).value == readonly
    assert screen.query_one("#scope", Input).value == readonly
    assert pilot.app.state.scope == readonly  # type: ignore[attr-defined]
    assert text(pilot, "#scope-msg") == ""  # a documented scope: no warning


async def test_an_undocumented_scope_shows_the_warning(pilot: Pilot[Any]) -> None:
    await show(pilot, Step.INTEGRATION)
    pilot.app.screen.query_one("#scope", Input).value = "custom:scope"
    await pilot.pause()
    assert "Not among the scopes Visma documents" in text(pilot, "#scope-msg")


async def test_integration_next_waits_for_both_ticks(pilot: Pilot[Any]) -> None:
    await show(pilot, Step.INTEGRATION)
    assert not next_enabled(pilot)
    assert "integration added" in text(pilot, "#problems")
    await pilot.press("space")  # the first checkbox has focus
    await pilot.pause()
    assert pilot.app.state.integration_checks == [True, False]  # type: ignore[attr-defined]
    assert "integration approved" in text(pilot, "#problems")
    await pilot.press("tab", "space")
    await pilot.pause()
    assert pilot.app.state.integration_checks == [True, True]  # type: ignore[attr-defined]
    assert next_enabled(pilot)
    assert text(pilot, "#problems") == ""
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pane_of(pilot.app), SecretPane)


async def test_integration_advanced_values_are_checked_and_kept(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, WizardApp)
    app.state.integration_checks = [True, True]
    await show(pilot, Step.INTEGRATION)
    screen = pane_of(app)
    assert screen.query_one("#advanced", Collapsible).collapsed
    screen.query_one("#token-url", Input).value = "http://example.com/token"
    await pilot.pause()
    assert app.state.token_url == "http://example.com/token"
    assert not next_enabled(pilot)
    assert "https://" in text(pilot, "#problems")
    assert "https://" in text(pilot, "#token-url-msg")

    screen.query_one("#token-url", Input).value = "https://login.example.com/connect/token"
    screen.query_one("#tenant-id", Input).value = "tenant-42"
    screen.query_one("#scope", Input).value = "custom:scope"
    screen.query_one("#auth-post", RadioButton).value = True
    await pilot.pause()
    assert next_enabled(pilot)
    assert app.state.auth_method == "post"

    await pilot.press("ctrl+b")  # back to registration, then forward again
    await settle(pilot)
    assert not isinstance(pane_of(app), IntegrationPane)
    await pilot.press("ctrl+n")
    await settle(pilot)
    screen = pane_of(app)
    assert isinstance(screen, IntegrationPane)
    assert screen.query_one("#token-url", Input).value == "https://login.example.com/connect/token"
    assert screen.query_one("#tenant-id", Input).value == "tenant-42"
    assert screen.query_one("#scope", Input).value == "custom:scope"
    assert screen.query_one("#auth-post", RadioButton).value
    assert screen.query_one("#int-check-1", Checkbox).value
    assert (app.state.tenant_id, app.state.scope) == ("tenant-42", "custom:scope")


async def test_integration_opens_advanced_when_a_hidden_value_is_wrong(pilot: Pilot[Any]) -> None:
    pilot.app.state.graphql_url = "ftp://nowhere"  # type: ignore[attr-defined]
    await show(pilot, Step.INTEGRATION)
    assert not pilot.app.screen.query_one("#advanced", Collapsible).collapsed
    assert "https://" in text(pilot, "#graphql-url-msg")


# -- client secret ----------------------------------------------------------------------


async def test_secret_is_masked_and_reveal_toggles(pilot: Pilot[Any]) -> None:
    await show(pilot, Step.SECRET)
    secret_input = pilot.app.screen.query_one("#secret", Input)
    assert secret_input.password
    assert pilot.app.screen.query_one("#reveal", Checkbox).value is False
    await pilot.press(*SECRET)
    await pilot.pause()
    assert pilot.app.state.secret.get_secret_value() == SECRET  # type: ignore[attr-defined]
    assert SECRET not in pilot.app.export_screenshot()
    pilot.app.screen.query_one("#reveal", Checkbox).toggle()
    await pilot.pause()
    assert not secret_input.password
    pilot.app.screen.query_one("#reveal", Checkbox).toggle()
    await pilot.pause()
    assert secret_input.password


async def test_secret_whitespace_is_trimmed_with_a_warning(pilot: Pilot[Any]) -> None:
    await show(pilot, Step.SECRET)
    await pilot.press("space", *SECRET, "space")
    await pilot.pause()
    assert pilot.app.state.secret.get_secret_value() == SECRET  # type: ignore[attr-defined]
    assert "Removed whitespace" in text(pilot, "#secret-msg")
    assert next_enabled(pilot)


async def test_pasted_secret_with_line_breaks_is_kept_and_trim_reported(pilot: Pilot[Any]) -> None:
    await show(pilot, Step.SECRET)
    secret_input = pilot.app.screen.query_one("#secret", Input)
    secret_input.post_message(events.Paste(f"\n  {SECRET}\n"))
    await pilot.pause()
    assert pilot.app.state.secret.get_secret_value() == SECRET  # type: ignore[attr-defined]
    assert "Removed whitespace" in text(pilot, "#secret-msg")

    secret_input.value = ""
    secret_input.post_message(events.Paste("first line\nsecond line"))
    await pilot.pause()
    assert secret_input.value == ""
    assert pilot.app.state.secret is None  # type: ignore[attr-defined]


async def test_secret_equal_to_client_id_is_refused(pilot: Pilot[Any]) -> None:
    await show(pilot, Step.SECRET)
    await pilot.press(*CLIENT_ID)
    await pilot.pause()
    assert "That is the client ID" in text(pilot, "#secret-msg")
    assert "That is the client ID" in text(pilot, "#problems")
    assert not next_enabled(pilot)
    await pilot.press("x")
    await pilot.pause()
    assert next_enabled(pilot)


async def test_secret_is_kept_across_back_and_next_but_never_in_the_draft(
    pilot: Pilot[Any], tmp_path: Path
) -> None:
    app = pilot.app
    assert isinstance(app, WizardApp)
    app.state.integration_checks = [True, True]
    await show(pilot, Step.SECRET)
    assert not next_enabled(pilot)
    assert "Paste the client secret" in text(pilot, "#problems")
    await pilot.press(*SECRET)
    await pilot.pause()
    await pilot.press("ctrl+b")
    await settle(pilot)
    assert isinstance(pane_of(app), IntegrationPane)
    await pilot.press("ctrl+n")
    await settle(pilot)
    secret_input = app.screen.query_one("#secret", Input)
    assert secret_input.value == SECRET and secret_input.password
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pane_of(app), LocalUrisPane)
    drafts = list((tmp_path / "cfg" / "drafts").glob("*.json"))
    assert drafts, "moving between steps saves a draft"
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path


async def test_usable_keyring_is_shown_and_chosen(pilot: Pilot[Any]) -> None:
    await show(pilot, Step.SECRET)
    assert "OS keyring (" in text(pilot, "#store-status")
    assert pilot.app.state.secret_store == "keyring"  # type: ignore[attr-defined]
    assert not pilot.app.screen.query_one("#store-choice").display


async def test_unusable_keyring_asks_where_the_secret_goes(
    pilot: Pilot[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    reason = "no keyring backend is available [b]here[/b]"  # shown as typed, not as markup
    probe = KeyringProbe(False, "fail.Keyring", reason)
    monkeypatch.setattr(secret_stores, "probe_keyring", lambda: probe)
    await show(pilot, Step.SECRET)
    await pilot.press(*SECRET)
    await pilot.pause()
    screen = pane_of(pilot.app)
    assert reason in text(pilot, "#store-status")
    assert screen.query_one("#store-choice").display
    assert "plaintext" in str(screen.query_one("#store-file", RadioButton).label)
    assert "secrets.toml" in text(pilot, "#store-note")
    assert "Choose where the secret is kept" in text(pilot, "#problems")
    assert not next_enabled(pilot)
    screen.query_one("#store-env", RadioButton).value = True
    await pilot.pause()
    assert pilot.app.state.secret_store == "env"  # type: ignore[attr-defined]
    assert "BNXT_CLIENT_SECRET" in text(pilot, "#store-note")
    screen.query_one("#store-file", RadioButton).value = True
    await pilot.pause()
    assert pilot.app.state.secret_store == "file"  # type: ignore[attr-defined]
    assert "Plaintext" in text(pilot, "#store-note")
    assert "secrets.toml" in text(pilot, "#store-note")
    assert next_enabled(pilot)


async def test_a_failing_keyring_probe_asks_for_a_choice(
    pilot: Pilot[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> KeyringProbe:
        raise RuntimeError("backend exploded")

    monkeypatch.setattr(secret_stores, "probe_keyring", broken)
    await show(pilot, Step.SECRET)
    assert pilot.app.is_running
    assert "the keyring check failed" in text(pilot, "#store-status")
    assert pilot.app.screen.query_one("#store-choice").display


async def test_next_waits_for_a_slow_keyring_probe(
    pilot: Pilot[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def slow_probe() -> KeyringProbe:
        release.wait(5)
        return KeyringProbe(True, "memory.MemoryKeyring", "")

    monkeypatch.setattr(secret_stores, "probe_keyring", slow_probe)
    pilot.app.state.secret = SecretStr(SECRET)  # type: ignore[attr-defined]
    pilot.app.goto(Step.SECRET)  # type: ignore[attr-defined]
    await pilot.pause()
    try:
        assert "Checking the OS keyring" in text(pilot, "#store-status")
        assert "one moment" in text(pilot, "#problems")
        assert not next_enabled(pilot)
    finally:
        release.set()
    await settle(pilot)
    assert "memory.MemoryKeyring" in text(pilot, "#store-status")
    assert next_enabled(pilot)


async def test_demo_secret_fills_masked_and_store_is_forced(tmp_path: Path, demo: DemoInfo) -> None:
    app = make_app(tmp_path, demo)
    async with app.run_test(size=(80, 24)) as pilot:
        prepare(app)
        app.state.client_id = demo.client_id
        await show(pilot, Step.SECRET)
        assert "Demo: kept in the throwaway folder" in text(pilot, "#store-status")
        assert app.state.secret_store == "file"
        app.screen.query_one("#demo-secret", Button).press()
        await pilot.pause()
        secret_input = app.screen.query_one("#secret", Input)
        assert secret_input.password
        assert app.state.secret is not None
        assert app.state.secret.get_secret_value() == demo.secret.get_secret_value()
        assert next_enabled(pilot)


async def test_demo_secret_follows_the_client_id_typed(tmp_path: Path, demo: DemoInfo) -> None:
    app = make_app(tmp_path, demo)
    async with app.run_test(size=(80, 24)) as pilot:
        prepare(app)
        app.state.client_id = demo.web_client_id
        await show(pilot, Step.SECRET)
        app.screen.query_one("#demo-secret", Button).press()
        await pilot.pause()
        web = demo.secret_for(demo.web_client_id)
        assert web is not None and app.state.secret is not None
        assert app.state.secret.get_secret_value() == web.get_secret_value()
        assert web.get_secret_value() != demo.secret.get_secret_value()

        app.state.client_id = "isv_not_a_demo_client"
        app.screen.query_one("#secret", Input).value = ""
        await pilot.pause()
        app.screen.query_one("#demo-secret", Button).press()
        await pilot.pause()
        assert app.screen.query_one("#secret", Input).value == ""  # nothing to offer


# -- local development URIs -------------------------------------------------------------


def uri(pilot: Pilot[Any], row: str) -> str:
    return pilot.app.screen.query_one(f"#{row}", CopyRow).value


async def test_web_uris_follow_the_port_as_typed(pilot: Pilot[Any]) -> None:
    prepare(pilot.app, AppType.WEB)  # type: ignore[arg-type]
    await show(pilot, Step.LOCAL_URIS)
    assert not pilot.app.screen.query("#local-dev")  # web: no switch, always required
    assert uri(pilot, "uri-login") == "https://app.local:12345/"
    await pilot.press(*"5001")  # the port is focused and selected: typing replaces it
    await pilot.pause()
    assert pilot.app.state.port == "5001"  # type: ignore[attr-defined]
    assert uri(pilot, "uri-login") == "https://app.local:5001/"
    assert uri(pilot, "uri-logout") == "https://app.local:5001/logout"
    assert uri(pilot, "uri-redirect") == "https://app.local:5001/signin-oidc"
    assert "localhost" in text(pilot, "#loopback-rule")


@pytest.mark.parametrize("port", ["0", "70000", "abc"])
async def test_bad_port_is_explained_and_blocks_next(pilot: Pilot[Any], port: str) -> None:
    prepare(pilot.app, AppType.WEB)  # type: ignore[arg-type]
    await show(pilot, Step.LOCAL_URIS)
    pilot.app.screen.query_one("#port", Input).value = port
    await pilot.pause()
    assert "1-65535" in text(pilot, "#port-msg")
    assert "1-65535" in text(pilot, "#problems")
    assert not next_enabled(pilot)
    assert uri(pilot, "uri-login") == ""
    assert pilot.app.screen.query_one("#uri-login .copy-button", Button).disabled


async def test_localhost_typed_shows_the_portal_rule(pilot: Pilot[Any]) -> None:
    prepare(pilot.app, AppType.WEB)  # type: ignore[arg-type]
    await show(pilot, Step.LOCAL_URIS)
    pilot.app.screen.query_one("#port", Input).value = "https://localhost:5001/"
    await pilot.pause()
    assert LOOPBACK_RULE in text(pilot, "#port-msg")
    assert "app.local" in LOOPBACK_RULE


async def test_copy_button_copies_the_uri(
    pilot: Pilot[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    copied: list[str] = []
    monkeypatch.setattr(pilot.app, "copy_to_clipboard", copied.append)
    prepare(pilot.app, AppType.WEB)  # type: ignore[arg-type]
    await show(pilot, Step.LOCAL_URIS)
    pilot.app.screen.query_one("#uri-redirect .copy-button", Button).press()
    await pilot.pause()
    assert copied == ["https://app.local:12345/signin-oidc"]


async def test_service_switch_skips_or_requires_the_step(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, WizardApp)
    await show(pilot, Step.LOCAL_URIS)
    screen = pane_of(app)
    assert not app.state.local_dev_enabled
    assert not screen.query_one("#local-details").display
    assert next_enabled(pilot)
    await pilot.press("space")  # the switch has focus
    await pilot.pause()
    assert app.state.local_dev_enabled
    assert screen.query_one("#local-details").display
    screen.query_one("#port", Input).value = "0"
    await pilot.pause()
    assert not next_enabled(pilot)
    screen.query_one("#port", Input).value = "8443"
    await pilot.pause()
    assert next_enabled(pilot)

    await pilot.press("ctrl+b")
    await settle(pilot)
    assert isinstance(pane_of(app), SecretPane)
    app.state.secret = SecretStr(SECRET)
    app.goto(Step.LOCAL_URIS)
    await settle(pilot)
    assert app.screen.query_one("#local-dev", Checkbox).value
    assert app.screen.query_one("#port", Input).value == "8443"
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pane_of(app), UserTablePane)


async def test_hosts_check_resolving_locally(pilot: Pilot[Any], resolver: FakeResolver) -> None:
    prepare(pilot.app, AppType.WEB)  # type: ignore[arg-type]
    await show(pilot, Step.LOCAL_URIS)
    assert resolver.calls == 1
    assert "this machine" in text(pilot, "#hosts-status")
    assert not pilot.app.screen.query_one("#hosts-fix").display


async def test_hosts_check_not_resolving_offers_the_line(
    pilot: Pilot[Any], resolver: FakeResolver, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    resolver.error = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    copied: list[str] = []
    monkeypatch.setattr(pilot.app, "copy_to_clipboard", copied.append)
    prepare(pilot.app, AppType.WEB)  # type: ignore[arg-type]
    await show(pilot, Step.LOCAL_URIS)
    screen = pane_of(pilot.app)
    assert "does not resolve" in text(pilot, "#hosts-status")
    assert screen.query_one("#hosts-fix").display
    assert screen.query_one("#hosts-line", CopyRow).value == "127.0.0.1 app.local"
    assert "/etc/hosts" in text(pilot, "#hosts-where")
    screen.query_one("#hosts-line .copy-button", Button).press()
    await pilot.pause()
    assert copied == ["127.0.0.1 app.local"]

    resolver.error = None  # the user fixed the hosts file
    screen.query_one("#hosts-recheck", Button).press()
    await settle(pilot)
    assert resolver.calls == 2
    assert "this machine" in text(pilot, "#hosts-status")
    assert not screen.query_one("#hosts-fix").display


async def test_hosts_check_timeout_is_reported(pilot: Pilot[Any], resolver: FakeResolver) -> None:
    resolver.hang = True
    prepare(pilot.app, AppType.WEB)  # type: ignore[arg-type]
    await show(pilot, Step.LOCAL_URIS)
    assert "did not answer within" in text(pilot, "#hosts-status")
    assert pilot.app.screen.query_one("#hosts-fix").display


# -- User table -------------------------------------------------------------------------


def editors(pilot: Pilot[Any]) -> list[CompanyEditor]:
    return list(pilot.app.screen.query(CompanyEditor))


def fill(editor: CompanyEditor, no: str, group: str) -> None:
    editor.query_one("Input.company-no", Input).value = no
    editor.query_one("Input.access-group", Input).value = group


async def test_user_table_lists_roles_and_steps_with_the_client_id(pilot: Pilot[Any]) -> None:
    await show(pilot, Step.USER_TABLE)
    assert "Application access" in text(pilot, "#roles")
    assert "System supervisor" in text(pilot, "#roles")
    steps = [str(s.render()) for s in pilot.app.screen.query(".step-text").results(Static)]
    assert len(steps) == 7
    assert CLIENT_ID in steps[2] and CLIENT_ID in steps[4]
    assert pilot.app.screen.query_one("#user-name", CopyRow).value == CLIENT_ID


async def test_user_table_rows_add_remove_and_validate(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, WizardApp)
    app.state.user_table_checks = [True] * 7
    await show(pilot, Step.USER_TABLE)
    assert len(editors(pilot)) == 1
    assert "at least one company" in text(pilot, "#problems")

    first = editors(pilot)[0]
    first.query_one("Input.company-no", Input).focus()
    await pilot.press(*"12", "tab", *"Full")
    await pilot.pause()
    assert app.state.companies == [CompanyRow(company_no="12", access_group="Full")]
    said = str(first.query_one(".company-msg", Static).render())
    assert "Too short to be a Visma.net company ID (12)" in said
    assert not next_enabled(pilot)
    await pilot.press("shift+tab", "end", *"34567x")
    await pilot.pause()
    assert "whole number" in str(first.query_one(".company-msg", Static).render())
    assert not next_enabled(pilot)
    await pilot.press("end", "backspace")
    await pilot.pause()
    assert next_enabled(pilot)
    assert str(first.query_one(".company-msg", Static).render()) == ""

    app.screen.query_one("#add-company", Button).press()
    for _ in range(400):  # the row is mounted, then focused: on a loaded machine, frames later
        await pilot.pause()
        rows = editors(pilot)
        if len(rows) == 2 and rows[1].query_one("Input.company-no", Input).has_focus:
            break
        await pilot.pause(0.025)
    assert len(editors(pilot)) == 2
    assert editors(pilot)[1].query_one("Input.company-no", Input).has_focus
    await pilot.press(*"1234567", "tab", *"RO")
    await pilot.pause()
    assert "listed twice" in text(pilot, "#problems")
    assert not next_enabled(pilot)

    editors(pilot)[0].query_one(".remove-company", Button).press()
    await pilot.pause()
    assert len(editors(pilot)) == 1
    assert app.state.companies == [CompanyRow(company_no="1234567", access_group="RO")]
    await settle(pilot)  # the row's removal, then the screen's re-check (a loaded machine)
    assert next_enabled(pilot)


async def test_user_table_checks_and_rows_survive_back_next(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, WizardApp)
    app.state.companies = [CompanyRow(company_no="7654321", access_group="Admin")]
    await show(pilot, Step.USER_TABLE)
    for i in range(7):
        box = app.screen.query_one(f"#ut-check-{i}", Checkbox)
        box.focus()
        await pilot.press("space")
    await pilot.pause()
    assert app.state.user_table_checks == [True] * 7
    assert next_enabled(pilot)
    app.screen.query_one("#ut-check-3", Checkbox).toggle()
    await pilot.pause()
    assert "Tick step 4" in text(pilot, "#problems")

    await pilot.press("ctrl+b")
    await settle(pilot)
    assert isinstance(pane_of(app), LocalUrisPane)
    await pilot.press("ctrl+n")  # the service has no local front end: nothing blocks
    await settle(pilot)
    assert isinstance(pane_of(app), UserTablePane)
    expected = [CompanyRow(company_no="7654321", access_group="Admin")]
    assert [e.row for e in editors(pilot)] == expected
    assert not app.screen.query_one("#ut-check-3", Checkbox).value
    assert app.screen.query_one("#ut-check-2", Checkbox).value


async def test_clicking_a_step_text_ticks_its_box(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        prepare(app)
        await show(pilot, Step.USER_TABLE)
        step_texts = list(app.screen.query(".step-text"))
        await pilot.click(step_texts[1])
        await pilot.pause()
        assert app.state.user_table_checks[:3] == [False, True, False]


async def test_user_table_demo_companies(tmp_path: Path, demo: DemoInfo) -> None:
    app = make_app(tmp_path, demo)
    async with app.run_test(size=(80, 24)) as pilot:
        prepare(app)
        app.state.user_table_checks = [True] * 7
        await show(pilot, Step.USER_TABLE)
        app.screen.query_one("#demo-companies", Button).press()
        await settle(pilot)
        expected = [CompanyRow(company_no=str(n), access_group=g) for n, g in demo.companies]
        assert expected
        assert app.state.companies == expected
        assert len(editors(pilot)) == len(expected)
        assert next_enabled(pilot)


@pytest.mark.slow
async def test_layout_fits_80x24_and_120x40(tmp_path: Path) -> None:
    """Every step keeps its Next button on screen and a usable body at both sizes."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        prepare(app)
        for step in (Step.INTEGRATION, Step.SECRET, Step.LOCAL_URIS, Step.USER_TABLE):
            await show(pilot, step)
            for width, height in ((80, 24), (120, 40)):
                await pilot.resize_terminal(width, height)
                await pilot.pause()
                nav = app.screen.query_one("#next", Button).region
                assert nav.height == 1 and nav.bottom <= height, (step, width)
                assert nav.right <= width, (step, width)
                assert app.screen.query_one("#body").region.height >= 10
            await pilot.resize_terminal(80, 24)
