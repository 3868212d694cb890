"""`bnxt-wizard login`: sign in through the browser as the registered web app, end to end."""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from typing import TYPE_CHECKING

from wizard.cli.common import workspace
from wizard.cli.options import LoginCommandOptions
from wizard.cli.output import emit_json, info, warn
from wizard.core.errors import ConfigError
from wizard.core.exitcodes import ExitCode
from wizard.core.profiles import mark_verified
from wizard.core.steps import Step

if TYPE_CHECKING:
    from wizard.core.oidc.login import LoginEvent, LoginSession

PASTE_HINT = (
    "If the browser cannot reach the local app (no hosts line, certificate refused), paste "
    "here the address it ended on (it holds ?code=...) and press Enter."
)


class _Printer:
    """Progress on stderr; the sign-in URL always on a line of its own."""

    def __init__(self, *, quiet: bool, browser: bool, timeout: float) -> None:
        self.quiet, self.browser, self.timeout = quiet, browser, timeout

    def __call__(self, event: LoginEvent) -> None:
        if event.kind == "url":
            self._url(event.url)
        elif event.kind == "notice":
            info(f"note: {event.message}")
        elif not self.quiet or not event.ok or event.stage == "certificate":
            # With --json, still what the user must act on: the certificate to accept, warnings.
            mark = "✓" if event.ok else "!"
            info(f"{mark} {event.stage}: {event.message}")

    def _url(self, url: str) -> None:
        if self.browser:
            info("Opening your browser at:")
            threading.Thread(target=_open_browser, args=(url,), daemon=True).start()
        else:
            info("Open this address in your browser to sign in:")
        print(url, file=sys.stderr, flush=True)
        info(f"Waiting up to {self.timeout:g} s for the sign-in (Ctrl+C cancels). {PASTE_HINT}")


def _open_browser(url: str) -> None:
    import webbrowser

    try:
        webbrowser.open(url)
    except Exception:  # no browser is fine: the URL is printed
        info("note: could not open a browser; open the address above yourself.")


def _read_pastes(session: LoginSession) -> None:
    """Hand every pasted line that looks like a sign-in answer to the session."""
    stream = sys.stdin
    if stream is None or stream.closed:
        return
    for line in stream:
        if "code=" in line or "error=" in line:
            session.submit_redirect(line)


async def _run(session: LoginSession) -> object:
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGINT, session.cancel)
    except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C interrupts as usual
        pass
    threading.Thread(target=_read_pastes, args=(session,), daemon=True).start()
    try:
        return await session.run()
    finally:
        try:
            loop.remove_signal_handler(signal.SIGINT)
        except (NotImplementedError, RuntimeError):
            pass


def run_login(args: LoginCommandOptions) -> int:
    from wizard.cli.login_report import render_login
    from wizard.core.oidc.login import LoginOptions, LoginSession
    from wizard.core.oidc.results import LoginResult

    ws = workspace(args)
    profile = ws.config.get(args.profile)
    if profile.is_service:
        raise ConfigError(
            f"Profile {profile.name!r} is a service application: nobody signs in to it.",
            title="Not a web application",
            hint="Use `bnxt-wizard check` for a service; `login` is for web applications.",
            step=Step.APP_TYPE,
        )
    if profile.local_dev is None:
        raise ConfigError(
            f"Profile {profile.name!r} has no local port for the registered URIs.",
            title="No local port",
            hint="Save the port registered in the Developer Portal: bnxt-wizard init "
            f"--non-interactive --profile {profile.name} --port N.",
            step=Step.LOCAL_URIS,
        )
    timeout = float(args.timeout)
    if not 1 <= timeout <= 3600:
        raise ConfigError(
            "--timeout must be from 1 to 3600 seconds.", hint="The default is 300 (5 minutes)."
        )
    resolved = ws.vault.load(profile)
    network = args.client_options()
    options = LoginOptions(
        timeout=timeout,
        graphql=not args.no_graphql,
        cert=args.cert,
        key=args.key,
        network=network,
    )
    printer = _Printer(quiet=bool(args.json), browser=not args.no_browser, timeout=timeout)
    session = LoginSession(profile, resolved.value, ws.folder, options, on_event=printer)
    try:
        result = asyncio.run(_run(session))
    except KeyboardInterrupt:  # where Ctrl+C cannot be caught as a signal (Windows)
        info("Sign-in cancelled; the local app has stopped.")
        return ExitCode.SIGN_IN
    assert isinstance(result, LoginResult)
    if result.ok and not mark_verified(ws, profile) and not args.json:
        warn("the profile changed or was deleted while you signed in; not recorded as verified.")
    if args.json:
        emit_json(result.to_json_dict())
    else:
        print(render_login(result))
    return result.exit_code
