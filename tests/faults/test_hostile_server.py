"""A hostile server: escape sequences, C1 controls and Rich markup in every field it sends.

The token scope, the error description, a redirect's ``Location`` and the company and
customer names go through the CLI's text output, its ``--json`` output and the wizard's
Test step. None of them may carry an escape or control character to the terminal, none may
be read as markup (``Fjord [/AS] Bakeri`` must not crash the wizard, ``[link=...]`` must not
become a link), and no credential may be shown.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.faults.conftest import Cli
from tests.faults.helpers import CANARY, CLIENT_ID, SECRET, assert_no_secret, profile, token_json
from tests.faults.server import FaultServer, Reply, Seen
from tests.ui_helpers import plain, settle
from wizard.core.text import sanitize

TOKEN_PATH = "/connect/token"
GRAPHQL_PATH = "/graphql"
# Everything a terminal would act on: OSC (retitle), CSI (clear), 8-bit CSI (U+009B), a
# lone ESC, NEL (C1), a bidi override, a Rich closing tag with no opening one, a link.
NASTY = (
    "\x1b]0;pwned\x07\x1b[2J\u009b31m\x1bc\x85\u202e"
    "Fjord [/AS] Bakeri [link=https://evil.test/]click[/link] [b]bold[/b]"
)
VISIBLE = "Fjord [/AS] Bakeri [link=https://evil.test/]click[/link] [b]bold[/b]"
CONTROLS = {chr(c) for c in range(0x20)} - {"\n"} | {chr(c) for c in range(0x7F, 0xA0)}
CONTROLS |= {"\u202e"}


def assert_clean(text: str) -> None:
    bad = sorted({f"U+{ord(c):04X}" for c in text if c in CONTROLS})
    assert not bad, f"control characters reached the output: {bad}"


def graphql_body(name: str) -> dict[str, Any]:
    return {
        "data": {
            "availableCustomers": {
                "totalCount": 1,
                "items": [{"name": name, "vismaNetCustomerId": 77}],
            },
            "availableCompanies": {
                "totalCount": 1,
                "items": [{"name": name, "vismaNetCompanyId": 5280101, "vismaNetCustomerId": 77}],
            },
        }
    }


def hostile(seen: Seen) -> Reply:
    """A token whose scope is nasty; a GraphQL answer whose names are nasty."""
    if seen.path == TOKEN_PATH:
        return Reply(body=token_json(scope=NASTY))
    return Reply.json(200, graphql_body(NASTY))


def test_sanitize_keeps_the_words_and_drops_every_control() -> None:
    shown = sanitize(NASTY)
    assert shown == VISIBLE
    assert_clean(shown)
    assert sanitize("Ærlig Øl på Åsen 株式会社 👩‍💻") == "Ærlig Øl på Åsen 株式会社 👩‍💻"
    assert sanitize("a\tb\nc", multiline=True) == "a\tb\nc"
    assert sanitize("a\tb\nc") == "a b c"


def test_check_text_output_shows_server_text_as_plain_words(cli: Cli) -> None:
    with FaultServer(hostile) as srv:
        cli.init(srv.url(TOKEN_PATH), srv.url(GRAPHQL_PATH), CANARY)
        result = cli("check", "--timeout", "2")
    assert result.code == 0, result.out + result.err
    assert_clean(result.out + result.err)
    assert f"scope '{VISIBLE}'" in result.out
    assert f"5280101  {VISIBLE}" in result.out  # the company, named as the server named it
    assert_no_secret(result.out, result.err)


def test_check_json_output_carries_no_raw_control_character(cli: Cli) -> None:
    with FaultServer(hostile) as srv:
        cli.init(srv.url(TOKEN_PATH), srv.url(GRAPHQL_PATH), CANARY)
        result = cli("check", "--json", "--timeout", "2")
    assert result.code == 0, result.out + result.err
    assert_clean(result.out)  # not even escaped ones: nothing for jq -r to turn back
    assert "\\u001b" not in result.out and "\\u009b" not in result.out
    data = json.loads(result.out)
    assert data["token"]["scope"] == VISIBLE
    assert data["companies_reached"][0]["name"] == VISIBLE
    assert data["customers_reached"][0]["name"] == VISIBLE


def test_error_description_is_cleaned_in_text_and_json(cli: Cli) -> None:
    refusal = Reply.json(400, {"error": "invalid_client\x1b[2J", "error_description": NASTY})
    with FaultServer(refusal) as srv:
        cli.init(srv.url(TOKEN_PATH), srv.url(GRAPHQL_PATH), CANARY)
        text = cli("check", "--timeout", "2")
        as_json = cli("check", "--json", "--timeout", "2")
    assert text.code == 3 and as_json.code == 3
    assert_clean(text.out + text.err)
    assert_clean(as_json.out)
    assert VISIBLE in text.out
    assert VISIBLE in json.loads(as_json.out)["error"]["message"]
    assert "pwned" not in text.out + as_json.out  # the escape's payload goes with it


@pytest.mark.parametrize("json_flag", [False, True])
def test_redirect_location_is_shown_without_credentials(cli: Cli, json_flag: bool) -> None:
    """A hostile token endpoint echoes the decoded credentials into Location."""

    def echo(seen: Seen) -> Reply:
        where = (
            f"http://{CLIENT_ID}:{CANARY}@evil.test/x/{CANARY}?client_secret={CANARY}"
            f"&next=1#{CANARY}"
        )  # (httpx itself refuses a Location holding an escape: a broken connection)
        return Reply(status=302, headers=(("Location", where.replace(" ", "%20")),))

    with FaultServer(echo) as srv:
        cli.init(srv.url(TOKEN_PATH), srv.url(GRAPHQL_PATH), CANARY)
        result = cli("check", "--timeout", "2", *(["--json"] if json_flag else []))
    assert result.code == 5, result.out + result.err
    assert "evil.test" in result.out, result.out
    assert CLIENT_ID + ":" not in result.out  # no user info
    assert_no_secret(result.out, result.err)
    assert_clean(result.out + result.err)


def test_a_hand_edited_profile_name_with_escapes_is_shown_clean(cli: Cli, config_dir: Path) -> None:
    config_dir.mkdir(mode=0o700)
    (config_dir / "config.toml").write_text(
        'schema_version = 1\n[profiles."x\\u001b]0;pwned\\u0007\\u009b2J"]\napp_type = "web"\n',
        encoding="utf-8",
    )
    for argv in (("profiles",), ("profiles", "--json"), ("check", "--profile", "nope")):
        result = cli(*argv)
        assert_clean(result.out + result.err)


async def test_the_wizard_shows_hostile_names_and_scope_as_text(tmp_path: Path) -> None:
    from textual.widgets import DataTable, Static

    from wizard.app import WizardApp
    from wizard.core.profiles import Workspace, save_profile
    from wizard.core.session import Session

    with FaultServer(hostile) as srv:
        ws = Workspace(tmp_path / "cfg")
        save_profile(ws, profile(srv.url(TOKEN_PATH), srv.url(GRAPHQL_PATH)), SECRET, "file")
        app = WizardApp(Session(ws, profile="default"))
        async with app.run_test(size=(120, 40)) as pilot:
            app.check_existing("default")
            await settle(app, pilot)
            await settle(app, pilot)
            assert app.return_code is None  # still running: no markup error ended it
            shown = "\n".join(plain(s) for s in app.screen.query(Static).results(Static))
            assert VISIBLE in shown  # the scope, brackets and all
            table = app.screen.query_one("#companies", DataTable)
            cell = table.get_row_at(0)[1]
            assert str(cell) == VISIBLE
            assert not getattr(cell, "spans", [])  # no style (and no link) from the name
            assert_clean(shown)
    assert_no_secret(shown)


def test_an_access_token_with_an_escape_is_refused_not_printed(cli: Cli) -> None:
    nasty = Reply(body=token_json(access_token="tok\x1b]0;pwned\x07\u009b2J"))
    with FaultServer(nasty) as srv:
        cli.init(srv.url(TOKEN_PATH), srv.url(GRAPHQL_PATH), CANARY)
        result = cli("token", "--timeout", "2")
    assert result.code == 5, result.out + result.err
    assert result.out == ""
    assert "access_token" in result.err and "pwned" not in result.err
    assert_clean(result.err)
