"""The web Test step's browser sign-in: the wizard plays the registered app for one sign-in.

A :class:`~wizard.core.oidc.login.LoginSession` runs in a worker on the app's event loop, so
its progress events arrive on the UI thread. Anything that waits on the session from outside
(the paste fallback, the demo playing the browser) runs in a thread: the session answers
those through the very loop the UI runs on. Everything shown from a server or a token is
sanitised and shown as ``Text``, never markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from pydantic import SecretStr
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Static

from wizard.core.connect import ClientOptions
from wizard.core.models import Profile
from wizard.core.oidc.login import LoginEvent, LoginOptions, LoginSession
from wizard.core.oidc.results import LoginResult
from wizard.core.text import sanitize
from wizard.screens.test_run_report import MARKS

if TYPE_CHECKING:
    from wizard.core.hosts import Resolver
    from wizard.core.session import DemoInfo


DEMO_LABEL = "Or let the demo play the browser, signing in as:"


class SignInDone(Message):
    """The sign-in ended (passed, failed or cancelled): the pane records and explains it."""

    def __init__(self, result: LoginResult) -> None:
        super().__init__()
        self.result = result


def result_text(result: LoginResult) -> Text:
    """Who signed in, the scopes, the lifetimes and what the user reaches."""
    who = result.subject or "?"
    extra = ", ".join(x for x in (result.name, result.email) if x)
    lines = Text.assemble(("Signed in  ", "bold"), sanitize(who))
    if extra:
        lines.append(f" ({sanitize(extra)})")
    scopes = sanitize(" ".join(result.scopes))
    lines.append_text(Text.assemble("\n", ("Scopes     ", "bold"), scopes))
    if result.access_token_expires_at is not None:
        when = result.access_token_expires_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        lines.append_text(Text.assemble("\n", ("Access     ", "bold"), f"until {when}"))
    if result.id_token_expires_at is not None:
        when = result.id_token_expires_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        lines.append_text(Text.assemble("\n", ("ID token   ", "bold"), f"until {when}"))
    refresh = "refreshed once" if result.refreshed else "none (Offline Access not ticked?)"
    if result.refresh_token and not result.refreshed:
        refresh = "received"
    lines.append_text(Text.assemble("\n", ("Refresh    ", "bold"), refresh))
    reached = [f"{c.number} {c.name}" for c in result.companies]
    if reached:
        lines.append_text(
            Text.assemble("\n", ("Companies  ", "bold"), sanitize("; ".join(reached)))
        )
    return lines


class SignInPanel(Vertical):
    """Stages as they happen, the address to open, the paste box, then who signed in."""

    resolver: ClassVar[Resolver | None] = None  # the hosts check's seam (tests)
    timeout: ClassVar[float] = 300.0

    def __init__(self, demo: DemoInfo | None) -> None:
        super().__init__(id="signin")
        self.demo = demo
        self.session: LoginSession | None = None
        self.stage_lines = Text()

    def compose(self) -> ComposeResult:
        yield Static(Text("Browser sign-in", style="bold"), id="signin-title")
        yield Static("", id="signin-stages")
        yield Static("", id="signin-url")
        with Horizontal(id="signin-actions"):
            yield Button("Open browser", id="open-browser", compact=True)
        if self.demo is not None and self.demo.users:
            with Vertical(id="demo-users"):
                yield Static(DEMO_LABEL, id="demo-label")
                with Horizontal(id="demo-buttons"):
                    for i, (username, _password) in enumerate(self.demo.users):
                        shown = sanitize(username)
                        yield Button(
                            Text(shown),
                            id=f"demo-signin-{i}",
                            classes="demo-signin",
                            variant="primary" if i == 0 else "default",
                            compact=True,
                            tooltip=Text(f"The demo plays the browser and signs in as {shown}."),
                        )
        with Horizontal(id="paste-row"):
            yield Input(
                placeholder="Browser cannot reach app.local? Paste the address it ended on "
                "(holding ?code=)",
                id="paste",
            )
            yield Button("Use it", id="paste-go", compact=True)
        yield Static("", id="signin-result", classes="card")

    def on_mount(self) -> None:
        if not self.children:  # mounted while the app shuts down: nothing was composed
            return
        self.show_waiting(False)
        self.query_one("#signin-result").display = False

    def show_waiting(self, waiting: bool) -> None:
        for row in self.query("#signin-actions, #demo-users, #paste-row"):
            row.display = waiting

    @property
    def running(self) -> bool:
        return any(w.group == "signin" and w.is_running for w in self.workers)

    # running -------------------------------------------------------------------------
    def start(
        self, profile: Profile, secret: SecretStr, folder: Path, network: ClientOptions
    ) -> None:
        self.stage_lines = Text()
        self.query_one("#signin-stages", Static).update(self.stage_lines)
        self.query_one("#signin-result").display = False
        options = LoginOptions(timeout=self.timeout, network=network, resolver=self.resolver)
        self.session = LoginSession(profile, secret, folder, options, on_event=self.login_event)
        self.sign_in_worker(self.session)

    @work(exclusive=True, exit_on_error=False, group="signin")
    async def sign_in_worker(self, session: LoginSession) -> None:
        result = await session.run()
        self.show_waiting(False)
        self.show_result(result)
        self.post_message(SignInDone(result))

    def cancel(self) -> None:
        if self.session is not None and self.running:
            self.session.cancel()

    def login_event(self, event: LoginEvent) -> None:
        if event.kind == "url":
            url = Text.assemble(
                (sanitize(event.message) + " ", "bold"), (sanitize(event.url), "underline")
            )
            url.append("\nEsc cancels.", style="dim")
            self.query_one("#signin-url", Static).update(url)
            self.show_waiting(True)
            button = "#demo-signin-0" if self.query("#demo-signin-0") else "#open-browser"
            self.query_one(button, Button).focus()
            return
        if event.kind == "notice":
            note = Text.assemble(("• ", "dim"), sanitize(event.message), "\n")
            self.stage_lines.append_text(note)
        else:
            mark, style = MARKS[event.ok]
            self.stage_lines.append_text(
                Text.assemble(
                    (mark + " ", style),
                    (sanitize(event.stage) + ": ", "bold"),
                    sanitize(event.message, multiline=True),
                    "\n",
                )
            )
        self.query_one("#signin-stages", Static).update(self.stage_lines)

    def show_result(self, result: LoginResult) -> None:
        self.query_one("#signin-url", Static).update("")
        if not result.ok:
            return
        verdict = Text("✓ Signed in through the browser. It works.\n", style="bold green")
        card = self.query_one("#signin-result", Static)
        card.update(verdict + result_text(result))
        card.display = True

    # buttons -------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("demo-signin"):
            event.stop()
            self.demo_sign_in(int((event.button.id or "").rpartition("-")[2]))
            return
        actions = {"open-browser": self.open_browser, "paste-go": self.paste_address}
        action = actions.get(event.button.id or "")
        if action is not None:
            event.stop()
            action()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "paste":
            event.stop()
            self.paste_address()

    def open_browser(self) -> None:
        if self.session is not None:
            self.in_thread(_open, self.session.sign_in_url)

    def paste_address(self) -> None:
        box = self.query_one("#paste", Input)
        address = box.value.strip()
        if self.session is None or not ("code=" in address or "error=" in address):
            self.notify("Paste the whole address the browser ended on: it holds ?code=.")
            return
        box.value = ""
        self.in_thread(self.session.submit_redirect, address)

    def demo_sign_in(self, which: int = 0) -> None:
        """The demo playing the browser as its ``which``-th demo user (one button each)."""
        session, demo = self.session, self.demo
        if session is None or demo is None or session.certificate is None:
            return
        if not 0 <= which < len(demo.users):
            return
        for button in self.query(".demo-signin").results(Button):
            button.disabled = True  # one sign-in per run
        self.in_thread(self.demo_browser, session, demo.users[which])

    def demo_browser(self, session: LoginSession, user: tuple[str, str]) -> None:
        """The demo playing the browser: the simulator's login page, consent, back to the app.
        Runs in a thread."""
        from wizard.simulator import browser

        assert session.certificate is not None
        username, password = user
        try:
            with browser.client(session.certificate.cert_path) as http:
                browser.sign_in(http, session.sign_in_url, username=username, password=password)
        except Exception as err:  # its text could quote a page: only its kind is shown
            note = f"The demo browser stopped ({type(err).__name__}); try Open browser."
            self.app.call_from_thread(self.notify, note, severity="warning")

    def in_thread(self, call: object, *args: object) -> None:
        """Blocking calls (the session answers them on the UI's own loop) off the UI thread."""
        assert callable(call)
        self.run_worker(lambda: call(*args), thread=True, group="signin-helper")


def _open(url: str) -> None:
    import webbrowser

    try:
        webbrowser.open(url)
    except Exception:  # no browser: the address is on screen
        return
