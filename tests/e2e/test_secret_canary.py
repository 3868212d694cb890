"""Secret hygiene, end to end: fresh canary secrets go in, and are searched for everywhere.

Each run makes new canaries (see :mod:`tests.canary_support`) and a simulator that accepts
them, then drives the real tool: the CLI as child processes, the CLI in-process (to see the
argv of every child it starts and every error it builds), the Textual wizard under Pilot, and
``python -m wizard.screenshots``. A canary may only ever be found in the secrets file and in
the .env files the user asked for; never in other files, output, errors, argv or screenshots.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote_plus

import pytest
from pydantic import SecretStr

from tests.canary_support import (
    CANARY_CLIENT_ID,
    CANARY_COMPANIES,
    Canaries,
    canary_seed,
    file_leaks,
    forms,
    leaks,
    make_canaries,
    svg_leaks,
    visible_text,
)
from tests.cli_helpers import Result, run_cli
from wizard.core.errors import WizardError
from wizard.simulator import DEMO_NEXT_SECRET, DEMO_SECRET, Simulator

SECRETS_FILE = "secrets.toml"
REVEALABLE = {"05-secret": ("#secret", "first"), "11-rotate": ("#new-secret", "tricky")}


@pytest.fixture(scope="module")
def canaries() -> Canaries:
    return make_canaries()


@pytest.fixture(scope="module")
def sim(canaries: Canaries) -> Iterator[Simulator]:
    with Simulator(seed=canary_seed(canaries)) as s:
        yield s


def git_repo(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(folder)], check=True, capture_output=True)
    return folder


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def init_args(sim: Simulator, *, profile: str = "default", **flags: str) -> list[str]:
    values = {
        "app-name": "Canary service",
        "client-id": CANARY_CLIENT_ID,
        "token-url": sim.token_url,
        "graphql-url": sim.graphql_service_url,
        "secret-store": "file",
    } | {k.replace("_", "-"): v for k, v in flags.items()}
    args = ["init", "--non-interactive", "--profile", profile, "--app-type", "service"]
    for key, value in values.items():
        args += [f"--{key}", value]
    for number, group in CANARY_COMPANIES:
        args += ["--company", f"{number}:{group}"]
    return [*args, "--secret-stdin"]


def stored_in(path: Path, c: Canaries) -> set[str]:
    """Which canaries (by name) a file holds as they are, e.g. {"rotated"}."""
    text = path.read_text(encoding="utf-8")
    return {name for name, secret in c.all().items() if secret in text}


# ---------------------------------------------------------------------------------------
# 1. The real CLI in child processes: everything printed, every file written.
# ---------------------------------------------------------------------------------------


class Cli:
    """Runs ``python -m wizard`` (secrets on stdin only) and keeps every run's output."""

    def __init__(self, config: Path, cwd: Path) -> None:
        self.config, self.cwd = config, cwd
        self.runs: list[tuple[str, Result]] = []

    def __call__(
        self, *args: str, stdin: str = "", code: int = 0, env: dict[str, str] | None = None
    ) -> Result:
        result = run_cli(*args, config_dir=self.config, stdin=stdin, env=env, cwd=self.cwd)
        label = " ".join(args) + (f" [env {sorted(env)}]" if env else "")
        assert result.code == code, f"{label}: exit {result.code}\n{result.out}\n{result.err}"
        self.runs.append((label, result))
        return result


@pytest.mark.slow
def test_headless_commands_print_and_write_no_secret(
    sim: Simulator, canaries: Canaries, tmp_path: Path
) -> None:
    c = canaries
    home, config = tmp_path / "home", tmp_path / "config"
    project = git_repo(tmp_path / "project")
    dotenv, secrets_file = project / ".env", config / SECRETS_FILE
    cli = Cli(config, project)

    cli(*init_args(sim), stdin=c.first + "\n")
    cli("check")
    cli("check", "--json")
    cli("token", "--json")
    cli("token")  # prints a token, which is not the secret
    cli("profiles", "--json")
    cli("profiles")
    cli("profiles", "show", "default", "--json")
    cli("profiles", "show", "default")
    cli("env", "-o", str(dotenv))
    assert stored_in(dotenv, c) == {"first"}
    for fmt in ("dotenv", "json", "shell"):
        cli("env", "-o", "-", "--no-secret", "--format", fmt)
    asked = run_cli("env", "-o", "-", config_dir=config, cwd=project)
    assert c.first in asked.out  # the user asked for it on stdout: the search must see it

    # rotation: a refused secret changes nothing; a good one is stored and rewrites the .env
    cli("rotate", "--secret-stdin", stdin=c.wrong + "\n", code=3)
    cli("rotate", "--secret-stdin", "--json", stdin=c.wrong + "\n", code=3)
    cli("rotate", "--secret-stdin", stdin=c.rotated + "\n")
    assert stored_in(dotenv, c) == {"rotated"}
    assert stored_in(secrets_file, c) == {"first", "rotated"}  # the old one kept as backup
    cli("profiles", "show", "default", "--json")
    cli("rotate", "--finish")
    assert stored_in(secrets_file, c) == {"rotated"}
    cli("check")
    cli("rotate", "--secret-stdin", "--json", stdin=c.tricky + "\n")
    cli("rotate", "--finish", "--json")
    cli("check", "--json")
    cli("env", "-o", str(dotenv), "--json")
    assert stored_in(dotenv, c) == {"tricky"}

    # a wrong secret stored, then one from the environment: refused, exit 3, nothing echoed
    cli(*init_args(sim), "--json", stdin=c.wrong + "\n")
    for args in (("check",), ("check", "--json"), ("token",), ("token", "--json")):
        cli(*args, code=3)
        cli(*args, code=3, env={"BNXT_CLIENT_SECRET": c.wrong_env})
    cli("env", "-o", "-", "--no-secret", env={"BNXT_CLIENT_SECRET": c.wrong_env})

    for label, result in cli.runs:
        assert not leaks(result.out + result.err, c.all()), label

    files = {**file_leaks(config, c.all()), **file_leaks(home, c.all())}
    files |= file_leaks(project, c.all())
    assert set(files) == {secrets_file, dotenv}, files
    assert stored_in(secrets_file, c) == {"wrong"}
    assert stored_in(dotenv, c) == {"tricky"}  # init does not touch .env files


# ---------------------------------------------------------------------------------------
# 2. In-process: the argv of every child process, and the text of every error.
# ---------------------------------------------------------------------------------------


class InProcess:
    """``wizard.cli.main`` with stdin as given; output captured by pytest's capsys."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self.capsys, self.monkeypatch = capsys, monkeypatch
        self.outputs: list[tuple[str, str]] = []

    def __call__(self, *args: str, stdin: str = "", code: int = 0) -> str:
        from wizard.cli import main

        self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        got = main(list(args))
        out, err = self.capsys.readouterr()
        label = " ".join(args)
        assert got == code, f"{label}: exit {got}\n{out}\n{err}"
        self.outputs.append((label, out + err))
        return out + err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> InProcess:
    return InProcess(capsys, monkeypatch)


def test_no_child_process_gets_a_secret_in_argv_or_environment(
    sim: Simulator,
    canaries: Canaries,
    tmp_path: Path,
    cli: InProcess,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = canaries
    project = git_repo(tmp_path / "project")
    started: list[tuple[Any, Any]] = []
    original = subprocess.Popen.__init__

    def spy(self: subprocess.Popen[Any], args: Any, *more: Any, **kw: Any) -> None:
        started.append((args, kw.get("env")))
        original(self, args, *more, **kw)

    monkeypatch.setattr(subprocess.Popen, "__init__", spy)

    cli(*init_args(sim), stdin=c.first + "\n")
    cli("check")
    cli("env", "-o", str(project / ".env"))
    cli("env", "-o", str(project / "settings.json"), "--format", "json")
    cli("rotate", "--secret-stdin", stdin=c.tricky + "\n")  # rewrites both files
    cli("rotate", "--finish")
    monkeypatch.setenv("BNXT_CLIENT_SECRET", c.wrong_env)
    cli("env", "-o", str(project / "ci.env"))

    git_calls = [args for args, _ in started if "git" in str(args)]
    assert len(git_calls) >= 6, started  # git was really asked, for every file written
    for args, env in started:
        argv = " ".join(map(str, args)) if isinstance(args, list | tuple) else str(args)
        assert not leaks(argv, c.all()), argv
        env_text = json.dumps(dict(env)) if env is not None else ""
        assert not leaks(env_text, c.all()), f"{argv}: the secret is in its environment"
    for label, text in cli.outputs:
        assert not leaks(text, c.all()), label


def sent_secret(seen: Any) -> str:
    """The secret a token request carried, read back the way Visma Connect reads it."""
    form = parse_qs(seen.body.decode())
    if "client_secret" in form:
        return str(form["client_secret"][0])
    pair = base64.b64decode(seen.headers["authorization"].removeprefix("Basic ")).decode()
    return unquote_plus(pair.partition(":")[2])


def shown_cause(err: BaseException) -> BaseException | None:
    """The exception a traceback prints above ``err``: ``raise ... from None`` hides it."""
    if err.__cause__ is not None:
        return err.__cause__
    return None if err.__suppress_context__ else err.__context__


class ErrorLog:
    """Every WizardError built (caught or not) and every one the CLI reported."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import wizard.cli.app
        import wizard.cli.output

        self.built: list[WizardError] = []
        self.reported: list[WizardError] = []
        init, report = WizardError.__init__, wizard.cli.output.report_error

        def record_init(err: WizardError, *args: Any, **kw: Any) -> None:
            init(err, *args, **kw)
            self.built.append(err)

        def record_report(err: WizardError, *, as_json: bool) -> None:
            self.reported.append(err)
            report(err, as_json=as_json)

        monkeypatch.setattr(WizardError, "__init__", record_init)
        monkeypatch.setattr(wizard.cli.app, "report_error", record_report)

    def texts(self) -> Iterator[tuple[str, str]]:
        for err in self.built + self.reported:
            parts = [err.message, err.hint or "", err.title, repr(err), str(err)]
            parts += [json.dumps(err.to_dict()), *getattr(err, "problems", [])]
            cause = shown_cause(err)
            while cause is not None:  # what a traceback (BNXT_WIZARD_DEBUG=1) would print
                parts += [str(cause), repr(cause)]
                cause = shown_cause(cause)
            yield type(err).__name__, "\n".join(parts)


@pytest.mark.slow
def test_no_error_quotes_a_secret(
    sim: Simulator,
    canaries: Canaries,
    tmp_path: Path,
    cli: InProcess,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.faults.server import FaultServer, Reply, Seen

    c = canaries
    errors = ErrorLog(monkeypatch)
    config = tmp_path / "config"

    # the secret pasted where the client ID goes; control characters; the client ID as secret
    cli(*init_args(sim, client_id=c.tricky), stdin=c.first + "\n", code=1)
    cli(*init_args(sim, client_id=c.first), stdin=c.first + "\n", code=1)
    with_bell = c.first[:16] + "\x07" + c.first[16:]
    cli(*init_args(sim), stdin=with_bell + "\n", code=1)
    cli(*init_args(sim), "--json", stdin=f"{c.first}\n{c.rotated}\n", code=1)

    # a wrong secret: at check, at token, and as a rotation's "new" secret
    cli(*init_args(sim), stdin=c.wrong + "\n")
    cli("check", code=3)
    cli("check", "--json", code=3)
    cli("token", "--json", code=3)
    cli("rotate", "--secret-stdin", stdin=c.wrong_env + "\n", code=3)
    cli("rotate", "--secret-stdin", "--json", stdin=c.wrong + "\n", code=1)  # same as stored

    # network down, and TLS spoken to a plain-HTTP port
    down = f"http://127.0.0.1:{closed_port()}/connect/token"
    cli(*init_args(sim, profile="down", token_url=down), stdin=c.first + "\n")
    cli("check", "--profile", "down", "--timeout", "2", code=5)
    cli("check", "--profile", "down", "--json", "--timeout", "2", code=5)
    tls = sim.token_url.replace("http://", "https://")
    cli(*init_args(sim, profile="tls", token_url=tls), stdin=c.first + "\n")
    cli("check", "--profile", "tls", "--json", "--timeout", "2", code=5)

    # a server that echoes the request it got (Basic header, form body) in its refusals
    def echo(seen: Seen) -> Reply:
        secret = sent_secret(seen)
        form = "&".join(reversed(seen.body.decode().split("&")))  # client_secret first
        said = f"secret {secret!r} ({quote(secret)}) {seen.headers.get('authorization')} {form}"
        if seen.path == "/html":
            return Reply.html(500, f"<pre>{said}</pre>")
        if seen.path == "/padded":  # the secret straddles the first 4 KiB of the page
            return Reply.html(500, "<p>" + " " * (4096 - 3 - 14) + f"{secret}</p>")
        return Reply.json(401, {"error": "invalid_client", "error_description": said})

    with FaultServer(echo) as server:
        for auth, path in (
            ("basic", "/token"),
            ("post", "/token"),
            ("basic", "/html"),
            ("post", "/padded"),
        ):
            name = f"echo-{auth}-{path.strip('/')}"
            url = server.url(path)
            cli(*init_args(sim, profile=name, token_url=url, auth=auth), stdin=c.tricky + "\n")
            code = 3 if path == "/token" else 5
            cli("check", "--profile", name, code=code)
            cli("check", "--profile", name, "--json", code=code)
        assert len(server.seen) >= 8
        assert all(sent_secret(seen) == c.tricky for seen in server.seen)
        assert any(leaks(str(s.headers) + s.body.decode(), c.all()) for s in server.seen)

    # the secrets file broken on a line that holds a secret: the parser must not quote it
    secrets_file = config / SECRETS_FILE
    secrets_file.write_text(f'[secrets]\ndefault = "{c.rotated}\n', encoding="utf-8")
    cli("check", code=1)
    cli("check", "--json", code=1)

    assert any("client_id=isv_canary" in text for _, text in errors.texts())  # echo shown
    reported = {type(e).__name__ for e in errors.reported}  # what stopped a command
    assert reported >= {"ValidationFailed", "OAuthError", "SecretStoreError"}
    built = {type(e).__name__ for e in errors.built}  # also what a check report explains
    assert built >= reported | {"NetworkError", "HttpStatusError"}
    for name, text in errors.texts():
        assert not leaks(text, c.all()), f"{name}: {text}"
    for label, text in cli.outputs:
        assert not leaks(text, c.all()), label


# ---------------------------------------------------------------------------------------
# 3. The Textual wizard under Pilot, and the screenshots of the built-in demo.
# ---------------------------------------------------------------------------------------


@pytest.mark.slow
async def test_wizard_screens_logs_and_files_hold_no_secret(
    sim: Simulator,
    canaries: Canaries,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import textual.constants
    from textual import events
    from textual.app import App
    from textual.widgets import Button, Checkbox, Input

    from wizard.app import WizardApp
    from wizard.core.profiles import Workspace
    from wizard.core.session import DemoInfo, Session
    from wizard.screens.rotate import RotateScreen
    from wizard.screens.tour import walk_all

    c = canaries
    folder, shots = tmp_path / "cfg", tmp_path / "shots"
    project = git_repo(tmp_path / "project")
    dotenv = project / ".env"
    shots.mkdir()
    textual_log = tmp_path / "textual.log"
    monkeypatch.setattr(textual.constants, "LOG_FILE", str(textual_log))
    records: list[logging.LogRecord] = []

    class Catcher(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    catcher = Catcher(logging.DEBUG)
    root = logging.getLogger()
    monkeypatch.setattr(root, "level", logging.DEBUG)
    root.addHandler(catcher)
    notes: list[str] = []
    notify = App.notify

    def record_notify(app: App[Any], message: str, **kw: Any) -> None:
        notes.append(f"{kw.get('title', '')}: {message}")
        notify(app, message, **kw)

    monkeypatch.setattr(App, "notify", record_notify)

    demo = DemoInfo(
        base_url=sim.base_url,
        token_url=sim.token_url,
        graphql_service_url=sim.graphql_service_url,
        graphql_url=sim.graphql_url,
        client_id=CANARY_CLIENT_ID,
        secret=SecretStr(c.first),
        next_secret=SecretStr(c.tricky),
        companies=CANARY_COMPANIES,
    )
    app = WizardApp(Session(Workspace(folder), demo=demo, forced_store="file"))
    svgs: list[Path] = []
    try:
        async with app.run_test(size=(100, 34)) as pilot:

            async def settle() -> None:
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()

            async def revealed_leaks(secret: str) -> list[str]:
                reveal = app.screen.query_one("#reveal", Checkbox)
                reveal.value = True
                await settle()
                shown = svg_leaks(app.export_screenshot(), c.all())
                reveal.value = False
                await settle()
                return [hit for hit in shown if hit.startswith(f"{secret}/raw")]

            async def snap(name: str) -> None:
                await pilot.pause()
                app.save_screenshot(filename=f"{name}.svg", path=str(shots))
                svgs.append(shots / f"{name}.svg")
                if name in REVEALABLE:
                    field, secret = REVEALABLE[name]
                    typed = app.screen.query_one(field, Input)
                    assert typed.value == getattr(c, secret)
                    typed.value = ""  # paste it again, as the terminal would
                    typed.focus()
                    app.post_message(events.Paste(getattr(c, secret)))
                    await settle()
                    assert typed.value == getattr(c, secret)
                    assert await revealed_leaks(secret)  # control: the search must see it
                if name == "10-env-export":  # write a .env, so the rotation rewrites it
                    app.screen.query_one("#env-path", Input).value = str(dotenv)
                    await settle()
                    app.screen.query_one("#env-write", Button).press()
                    await settle()
                    await snap("10b-env-written")

            await walk_all(pilot, snap)
            assert isinstance(app.screen, RotateScreen)
            for button, name in (
                ("#test-secret", "12-rotate-tested"),
                ("#store", "13-rotate-stored"),
                ("#rewrite", "14-rotate-rewritten"),
                ("#to-finish", "15-rotate-finish"),
                ("#finish", "16-rotate-done"),
            ):
                app.screen.query_one(button, Button).press()
                await settle()
                await snap(name)
    finally:
        root.removeHandler(catcher)

    ws = Workspace(folder)
    profile = ws.config.get("default")
    assert ws.vault.load(profile).value.get_secret_value() == c.tricky  # rotated for real
    assert c.tricky in dotenv.read_text() and c.first not in dotenv.read_text()
    for svg in svgs:
        assert not svg_leaks(svg.read_text(encoding="utf-8"), c.all()), svg
    assert CANARY_CLIENT_ID in visible_text((shots / "08-review.svg").read_text())
    files = file_leaks(folder, c.all()) | file_leaks(project, c.all())
    files |= file_leaks(tmp_path / "home", c.all())
    assert set(files) == {folder / SECRETS_FILE, dotenv}, files
    assert forms(c.tricky)["raw"] in (folder / SECRETS_FILE).read_text()
    assert c.first not in (folder / SECRETS_FILE).read_text()  # the backup went at finish
    assert textual_log.exists()
    assert not leaks(textual_log.read_text(encoding="utf-8"), c.all())
    for record in records:
        text = f"{record.name} {record.msg} {record.args} {record.getMessage()}"
        assert not leaks(text, c.all()), text
    for note in notes:
        assert not leaks(note, c.all()), note


@pytest.mark.slow
def test_demo_screenshots_hold_no_demo_secret(tmp_path: Path) -> None:
    """`make screenshots` as it runs: every screen of the demo walk, the web walk and the
    narrow registration step are drawn, and none shows a demo secret in any form (its first
    12 characters included). (The one run of the whole capture in the suite.)"""
    from wizard.screens.tour import SCREENS, WEB_SCREENS
    from wizard.screenshots import NARROW

    shots = tmp_path / "shots"
    proc = subprocess.run(
        [sys.executable, "-m", "wizard.screenshots", str(shots), "--free-ports"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    demo = {"demo": DEMO_SECRET, "next": DEMO_NEXT_SECRET}
    svgs = sorted(shots.glob("*.svg"))
    assert len(svgs) >= 11 and [str(p) for p in svgs] == proc.stdout.split()
    narrow = [f"{screen}-{width}x{height}" for screen, (width, height) in NARROW]
    assert sorted(p.stem for p in svgs) == sorted([*SCREENS, *WEB_SCREENS, *narrow])
    for svg in svgs:
        drawn = svg.read_text(encoding="utf-8")
        assert not svg_leaks(drawn, demo), svg
        # nor where it was made: the throwaway folders are shown as stand-ins
        assert "bnxt-shots" not in drawn and str(tmp_path) not in drawn, svg
    assert not leaks(proc.stdout + proc.stderr, demo)


# ---------------------------------------------------------------------------------------
# 4. A crash: Textual would print a traceback with the locals; the wizard prints a short
#    message and writes a redacted log instead.
# ---------------------------------------------------------------------------------------


def test_a_crash_prints_no_secret_and_logs_none(
    canaries: Canaries,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import functools
    from urllib.parse import quote_plus

    from wizard.app import WizardApp
    from wizard.core.profiles import Workspace
    from wizard.core.session import Session
    from wizard.launch import _run

    c = canaries
    folder = tmp_path / "cfg"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("BNXT_CLIENT_SECRET", c.wrong_env)

    here = Path(sys.modules[WizardApp.__module__].__file__ or "").parent

    class Crashing(WizardApp):
        CSS_PATH = [here / str(p) for p in WizardApp.CSS_PATH]

        def on_mount(self) -> None:
            super().on_mount()
            self.set_timer(0.05, self.store_step)

        def store_step(self) -> None:  # a bug that quotes the value it failed on
            new = SecretStr(c.tricky)
            raw = new.get_secret_value()
            self.state.secret = SecretStr(c.first)
            raise RuntimeError(f"could not store {raw!r} ({quote_plus(raw)})")

    app = Crashing(Session(Workspace(folder)))
    monkeypatch.setattr(app, "run", functools.partial(WizardApp.run, app, headless=True))
    capsys.readouterr()
    code = _run(app)
    out, err = capsys.readouterr()
    assert code == 1
    # control: what Textual rendered (its traceback with locals) does hold the secret
    assert leaks(app.crash_sink.getvalue(), c.all())
    assert not leaks(out + err, c.all()), out + err
    assert "This is a bug" in err and "Traceback" not in out + err
    logs = sorted(folder.glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    assert logs[0].stat().st_mode & 0o777 == 0o600
    logged = logs[0].read_text(encoding="utf-8")
    assert "RuntimeError: could not store" in logged and "store_step" in logged
    assert not leaks(logged, c.all()), logged
