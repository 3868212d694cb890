"""`bnxt-wizard env`: write the settings (and secret) your services read."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wizard.cli.common import workspace
from wizard.cli.output import emit_json, warn
from wizard.core import validation as v
from wizard.core.errors import ValidationFailed
from wizard.core.exitcodes import ExitCode
from wizard.core.models import EnvFileRecord
from wizard.core.profiles import record_env_file


def run_env(args: argparse.Namespace) -> int:
    from wizard.core.envfile import (
        check_prefix,
        dotenv_warnings,
        env_values,
        render_dotenv,
        render_json,
        render_shell,
        write_env_file,
    )

    problems = v.errors(check_prefix(args.prefix))
    if problems:
        raise ValidationFailed(problems)
    ws = workspace(args)
    profile = ws.config.get(args.profile)
    secret = None if args.no_secret else ws.vault.load(profile).value
    values = env_values(profile, secret, args.prefix)
    if args.output == "-":
        if args.format == "json":
            sys.stdout.write(render_json(values))
        elif args.format == "shell":
            sys.stdout.write(render_shell(values, profile=profile.name))
        else:
            for w in dotenv_warnings(values):
                warn(w)
            sys.stdout.write(render_dotenv(values, profile=profile.name))
        return ExitCode.OK
    result = write_env_file(Path(args.output), values, fmt=args.format, profile=profile.name)
    record = EnvFileRecord(
        path=str(result.path.resolve()),
        format=args.format,
        prefix=args.prefix,
        include_secret=secret is not None,
    )
    record_env_file(ws, profile.name, record)
    if args.json:
        emit_json(
            {
                "ok": True,
                "path": record.path,
                "created": result.created,
                "format": args.format,
                "keys": list(values),
                "warnings": result.warnings,
            }
        )
        return ExitCode.OK
    for w in result.warnings:
        warn(w)
    verb = "Wrote" if result.created else "Updated"
    print(f"{verb} {record.path} ({len(values)} variables, mode 0600).")
    if secret is not None:
        print("It holds the client secret: keep it out of version control.")
    return ExitCode.OK
