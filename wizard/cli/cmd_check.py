"""`bnxt-wizard check` and `bnxt-wizard token`."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from wizard.cli.common import workspace
from wizard.cli.output import emit_json, info, warn, write_payload
from wizard.core.exitcodes import ExitCode
from wizard.core.profiles import Workspace, mark_verified
from wizard.core.secret_source import env_overrides, override_note

if TYPE_CHECKING:
    from wizard.core.connect import ClientOptions


def client_options(args: argparse.Namespace) -> ClientOptions:
    from wizard.core.connect import ClientOptions

    total = max(1.0, float(getattr(args, "timeout", 30.0) or 30.0))
    return ClientOptions(
        ca_bundle=getattr(args, "ca_bundle", None),
        total_timeout=total,
        connect_timeout=min(5.0, total / 2),
        read_timeout=min(10.0, total * 0.8),
    )


def run_check_command(args: argparse.Namespace) -> int:
    from wizard.core.checks import render_report, run_check
    from wizard.core.rotation import pending_rotation_notice

    ws = workspace(args)
    profile = ws.config.get(args.profile)
    resolved = ws.vault.load(profile)
    notice = pending_rotation_notice(ws, profile)
    if notice and not args.json:
        warn(notice)
    if env_overrides(profile):
        if not args.json:
            warn(override_note(profile))
    elif ws.vault.is_plaintext(profile) and not args.json:
        warn(f"the secret is stored in a {ws.vault.describe(profile)}.")
    progress = None if args.json else info
    report = asyncio.run(
        run_check(
            profile,
            resolved.value,
            graphql=not args.no_graphql,
            options=client_options(args),
            progress=progress,
        )
    )
    if report.ok and not mark_verified(ws, profile) and not args.json:
        warn("the profile changed or was deleted while the check ran; not recorded as verified.")
    if args.json:
        data = report.to_json_dict()
        data["secret_source"] = resolved.source
        data["secret_plaintext"] = ws.vault.is_plaintext(profile)
        data["secret_env_override"] = env_overrides(profile)
        emit_json(data)
    else:
        print(render_report(report))
        print(f"secret: {resolved.source}")
    return int(report.exit_code)


def run_token_command(args: argparse.Namespace) -> int:
    from wizard.core.connect import request_token

    ws: Workspace = workspace(args)
    profile = ws.config.get(args.profile)
    resolved = ws.vault.load(profile)
    token = asyncio.run(request_token(profile, resolved.value, options=client_options(args)))
    if args.json:
        emit_json({"ok": True, **token.summary()})
        info("(--json prints the token's details, not the token; drop --json to print it)")
    else:
        write_payload(token.access_token.get_secret_value() + "\n")
    return ExitCode.OK
