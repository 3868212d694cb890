"""`bnxt-wizard env`: write the settings (and secret) your services read."""

from __future__ import annotations

from pathlib import Path

from wizard.cli.common import workspace
from wizard.cli.options import EnvOptions
from wizard.cli.output import emit_json, warn, write_payload
from wizard.core import validation as v
from wizard.core.errors import ValidationFailed
from wizard.core.exitcodes import ExitCode
from wizard.core.models import EnvFileRecord
from wizard.core.profiles import record_env_file


def run_env(args: EnvOptions) -> int:
    from wizard.core.envfile import (
        check_prefix,
        dotenv_warnings,
        env_values,
        render_dotenv,
        render_json,
        render_shell,
        write_env_file,
    )
    from wizard.core.envfile.write import FILE_MODE

    problems = v.errors(check_prefix(args.prefix))
    if problems:
        raise ValidationFailed(problems)
    ws = workspace(args)
    profile = ws.config.get(args.profile)
    secret = None if args.no_secret else ws.vault.load(profile).value
    values = env_values(profile, secret, args.prefix)
    if args.output == "-":
        if args.format == "json":
            write_payload(render_json(values))
        elif args.format == "shell":
            write_payload(render_shell(values, profile=profile.name))
        else:
            for w in dotenv_warnings(values):
                warn(w)
            write_payload(render_dotenv(values, profile=profile.name))
        return ExitCode.OK
    result = write_env_file(
        Path(args.output), values, fmt=args.format, profile=profile.name, config_folder=ws.folder
    )
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
    print(f"{verb} {record.path} ({len(values)} variables, mode {FILE_MODE:04o}).")
    if secret is not None:
        print("It holds the client secret: keep it out of version control.")
    return ExitCode.OK
