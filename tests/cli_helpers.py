"""Run the real `bnxt-wizard` command in a child process, secrets only on stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(
    *args: str,
    config_dir: Path,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    cwd: Path | None = None,
) -> Result:
    child_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BNXT_CLIENT_SECRET", "PYTEST_CURRENT_TEST")
    }
    child_env["BNXT_WIZARD_CONFIG_DIR"] = str(config_dir)
    child_env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    child_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env=child_env,
        timeout=timeout,
        cwd=cwd,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def init_service(
    sim_token_url: str,
    sim_graphql_url: str,
    *,
    config_dir: Path,
    client_id: str,
    secret: str,
    profile: str = "default",
    companies: tuple[str, ...] = ("5280101:Full access", "5280102:Read only"),
    extra: tuple[str, ...] = (),
) -> Result:
    company_args = [a for spec in companies for a in ("--company", spec)]
    return run_cli(
        "init",
        "--non-interactive",
        "--profile",
        profile,
        "--app-type",
        "service",
        "--app-name",
        "Test service",
        "--client-id",
        client_id,
        "--token-url",
        sim_token_url,
        "--graphql-url",
        sim_graphql_url,
        "--secret-stdin",
        "--secret-store",
        "file",
        *company_args,
        *extra,
        config_dir=config_dir,
        stdin=secret + "\n",
    )
