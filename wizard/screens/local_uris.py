"""Step: the login, logout and redirect URIs to register for local development."""

from __future__ import annotations

import asyncio
import re

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Button, Checkbox, Input, Static

from wizard.core import hosts
from wizard.core import validation as v
from wizard.core.models import LocalDev
from wizard.core.steps import Step
from wizard.core.visma import LOCAL_DEV_HOST, AppType
from wizard.screens.base import StepPane, set_value
from wizard.widgets.copy_row import CopyRow
from wizard.widgets.field import Field
from wizard.widgets.marks import MarkedCheckbox

# The core's own words for a loopback host in a portal URI (one rule, one message).
LOOPBACK_RULE = v.errors(v.check_portal_uri("https://localhost:12345/"))[0]
_LOOPBACK_TEXT = re.compile(r"localhost|127\.\d+\.\d+\.\d+|::1", re.IGNORECASE)
URIS = (
    ("uri-login", "Initiate Login URI", "login_uri"),
    ("uri-logout", "Frontchannel Logout URI", "logout_uri"),
    ("uri-redirect", "Redirect URI", "redirect_uri"),
)


def port_findings(value: str) -> list[v.Finding]:
    """check_port, plus the portal's loopback rule when a localhost address was typed."""
    found = v.check_port(value)
    if found and _LOOPBACK_TEXT.search(value):
        return [v.Finding("error", LOOPBACK_RULE, "port"), *found]
    return found


class LocalUrisPane(StepPane):
    STEP = Step.LOCAL_URIS
    FIRST = "#port, #local-dev"
    WHY = (
        "A web sign-in sends the browser back to your app, so the portal's registration form "
        "asks for the URIs your app serves. Type the port your app listens on locally and "
        "copy the three URIs into the form."
    )

    hosts_checked: bool = False

    @property
    def required(self) -> bool:
        return self.state.app_type is AppType.WEB

    def compose_body(self) -> ComposeResult:
        s = self.state
        if not self.required:
            # a checkbox, not a Switch: its mark reads on/off without colour
            yield MarkedCheckbox(
                "This service also has a local web front end",
                value=s.local_dev_enabled,
                id="local-dev",
                classes="optional",
            )
            yield Static(
                "Left unticked, a pure service registers no URIs: press Next to go on.",
                classes="field-help",
                id="skip-note",
            )
        with Vertical(id="local-details"):
            yield Static(
                f"[b]localhost is refused.[/b] {LOOPBACK_RULE}", classes="why", id="loopback-rule"
            )
            yield Field(
                "Local port",
                input_id="port",
                value=s.port,
                rule=port_findings,
                help_text="the HTTPS port your app listens on, e.g. 12345",
            )
            for row_id, label, _ in URIS:
                yield CopyRow(label, "", id=row_id)
            yield Static(f"[b]Does {LOCAL_DEV_HOST} point at this machine?[/b]", id="hosts-title")
            yield Static("", id="hosts-status")
            with Vertical(id="hosts-fix"):
                yield CopyRow("Hosts-file line", hosts.hosts_line(), id="hosts-line")
                yield Static("", classes="field-help", id="hosts-where")
                yield Button("Check again", id="hosts-recheck", compact=True)

    def prepare(self) -> None:
        self.query_one("#hosts-fix").display = False
        self._show_uris(self.state.port)

    def load(self) -> None:
        if not self.required:
            set_value(self.query_one("#local-dev", Checkbox), self.state.local_dev_enabled)
        set_value(self.query_one("#port", Input), self.state.port)

    async def shown(self) -> None:
        # the hosts file may have been fixed since the last visit: ask again
        self.hosts_checked = False
        self._show_details()

    @property
    def enabled(self) -> bool:
        return self.required or self.query_one("#local-dev", Checkbox).value

    def _show_details(self) -> None:
        self.query_one("#local-details").display = self.enabled
        if not self.required:
            self.query_one("#skip-note").display = not self.enabled
        if self.enabled and not self.hosts_checked:
            self.hosts_checked = True
            self.check_hosts()

    def _show_uris(self, port: str) -> None:
        local = LocalDev(port=int(port.strip())) if not v.check_port(port) else None
        for row_id, _, attr in URIS:
            self.query_one(f"#{row_id}", CopyRow).set_value(getattr(local, attr) if local else "")

    # the hosts-file check ------------------------------------------------------------
    @work(exclusive=True, exit_on_error=False, group="hosts-check")
    async def check_hosts(self) -> None:
        self.query_one("#hosts-status", Static).update(
            f"[i]Asking the resolver where {LOCAL_DEV_HOST} points…[/i]"
        )
        self.query_one("#hosts-recheck", Button).disabled = True
        self._show_hosts(await asyncio.to_thread(hosts.resolve_app_local))

    def _show_hosts(self, result: hosts.HostsCheck) -> None:
        mark = "[green]✓[/green]" if result.is_local else "[yellow]![/yellow]"
        self.query_one("#hosts-status", Static).update(f"{mark} {escape(result.message)}")
        self.query_one("#hosts-fix").display = not result.is_local
        self.query_one("#hosts-recheck", Button).disabled = False
        self.query_one("#hosts-line", CopyRow).set_value(result.hosts_line)
        self.query_one("#hosts-where", Static).update(
            f"Edit {escape(result.hosts_file)} as administrator (sudo on macOS and Linux), then "
            "press Check again."
        )

    # values --------------------------------------------------------------------------
    def store(self) -> None:
        self.state.local_dev_enabled = self.enabled
        self.state.port = self.query_one("#port", Input).value

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "port":
            self._show_uris(event.value)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "local-dev":
            self._show_details()  # (StepPane's handler stores it: Textual calls both)

    @on(Button.Pressed, "#hosts-recheck")
    def _recheck_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.check_hosts()
