"""The shape of `--json` output is a promise to scripts: pinned here, key by key and type by type.

Each test runs the real command in a child process against the simulator on loopback and
compares the shape of what it printed (keys, and the JSON type of every value) with the one
documented in the README. A changed shape fails here before it reaches a user's script.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import init_service, run_cli
from tests.signin_helpers import cert_file, free_port, web_secret, web_seed
from wizard.simulator import DEMO_CLIENT_ID, DEMO_NEXT_SECRET, DEMO_SECRET, Simulator, browser

from .test_login_cli import init_web, read_url, start_login

Shape = Any


def shape(value: object) -> Shape:
    """The JSON type of ``value``; a dict's keys with theirs; a list by its first item."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if value is None:
        return "null"
    return type(value).__name__


ERROR = {
    "error": "str",
    "title": "str",
    "message": "str",
    "hint": "str",
    "step": "str",
    "exit_code": "int",
}
STAGE = {"name": "str", "ok": "bool", "skipped": "bool", "detail": "str", "seconds": "float"}
TOKEN = {
    "token_type": "str",
    "scope": "str",
    "expires_in": "int",
    "expires_at": "str",
    "obtained_at": "str",
    "claims": {"client_id": "str", "iss": "str", "exp": "int"},
}
CHECK_HEAD = {
    "profile": "str",
    "app_type": "str",
    "client_id": "str",
    "token_url": "str",
    "graphql_url": "str",
}
CHECK_OK = {
    **CHECK_HEAD,
    "ok": "bool",
    "exit_code": "int",
    "token": TOKEN,
    "companies_reached": [
        {"name": "str", "company_no": "int", "customer_id": "int", "in_profile": "bool"}
    ],
    "customers_reached": [{"name": "str", "customer_id": "int"}],
    "missing_companies": [],
    "error": "null",
    "steps": [STAGE],
    "secret_source": "str",
    "secret_plaintext": "bool",
    "secret_env_override": "bool",  # added by issue 10: BNXT_CLIENT_SECRET overrides the store
}
CHECK_GAP = {
    **CHECK_OK,
    "missing_companies": [
        {
            "company_no": "int",
            "access_group": "str",
            "message": "str",
            "reachable": [{"company_no": "int", "name": "str"}],
        }
    ],
    "error": ERROR,
}
ROTATE_STORED = {
    "ok": "bool",
    "stage": "str",
    "token": TOKEN,
    "secret_location": "str",
    "env_files": [],
    "env_files_not_rewritten": [],
    "next": "str",
}
LOGIN_OK = {
    "profile": "str",
    "client_id": "str",
    "issuer": "str",
    "sign_in_url": "str",
    "certificate_fingerprint": "str",
    "ok": "bool",
    "exit_code": "int",
    "stages": [STAGE],
    "subject": "str",
    "name": "str",
    "email": "str",
    "scopes": ["str"],
    "access_token_expires_in": "int",
    "access_token_expires_at": "str",
    "id_token_expires_at": "str",
    "refresh_token": "bool",
    "refreshed": "bool",
    "companies": [{"number": "int", "name": "str"}],
    "customers": [{"number": "int", "name": "str"}],
    "error": "null",
}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as s:
        yield s


def _init(sim: Simulator, config_dir: Path, *companies: str) -> None:
    done = init_service(
        sim.token_url,
        sim.graphql_service_url,
        config_dir=config_dir,
        client_id=DEMO_CLIENT_ID,
        secret=DEMO_SECRET,
        companies=companies or ("5280101:Full access",),
    )
    assert done.code == 0, done.err


def _json(*args: str, config_dir: Path, code: int = 0, stdin: str | None = None) -> Any:
    r = run_cli(*args, "--json", config_dir=config_dir, stdin=stdin)
    assert r.code == code, r.out + r.err
    return json.loads(r.out)


def test_check_json_shape(sim: Simulator, config_dir: Path) -> None:
    _init(sim, config_dir)
    assert shape(_json("check", config_dir=config_dir)) == CHECK_OK


def test_check_json_shape_when_a_company_is_missing(sim: Simulator, config_dir: Path) -> None:
    _init(sim, config_dir, "5280101:Full access", "5199203:Sales")
    assert shape(_json("check", config_dir=config_dir, code=6)) == CHECK_GAP


def test_token_json_shape(sim: Simulator, config_dir: Path) -> None:
    _init(sim, config_dir)
    assert shape(_json("token", config_dir=config_dir)) == {"ok": "bool", **TOKEN}


def test_rotate_json_shape(sim: Simulator, config_dir: Path) -> None:
    _init(sim, config_dir)
    stored = _json("rotate", "--secret-stdin", config_dir=config_dir, stdin=DEMO_NEXT_SECRET)
    assert shape(stored) == ROTATE_STORED
    assert shape(_json("rotate", "--finish", config_dir=config_dir)) == {
        "ok": "bool",
        "stage": "str",
    }


def test_error_json_shape(config_dir: Path) -> None:
    missing = _json("check", "--profile", "nobody", config_dir=config_dir, code=1)
    assert shape(missing) == {"ok": "bool", **ERROR, "step": "null"}


def test_login_json_shape(config_dir: Path) -> None:
    port = free_port()
    with Simulator(web_seed(port)) as web:
        secret = web_secret(web).get_secret_value()
        assert init_web(web, config_dir, port, secret).code == 0
        proc = start_login(config_dir, "--json", "--timeout", "60")
        try:
            url, _ = read_url(proc)
            with browser.client(cert_file(config_dir)) as http:
                browser.sign_in(http, url)
            out, err = proc.communicate(timeout=60)
        finally:
            proc.kill()
    assert proc.returncode == 0, err
    assert shape(json.loads(out)) == LOGIN_OK
