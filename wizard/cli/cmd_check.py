"""`bnxt-wizard check`: the end-to-end check, as text or JSON, recorded when it passes."""

from __future__ import annotations

import asyncio

from wizard.cli.common import workspace
from wizard.cli.options import CheckOptions
from wizard.cli.output import emit_json, info, warn
from wizard.core.profiles import mark_verified
from wizard.core.secret_source import env_overrides, override_note


def run_check_command(args: CheckOptions) -> int:
    from wizard.cli.check_report import render_report
    from wizard.core.checks import run_check
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
            options=args.client_options(),
            progress=progress,
        )
    )
    # A web profile is verified by its sign-in (`login`, the Test step), not by this check,
    # which proves the client ID and secret only.
    if report.works() and not mark_verified(ws, profile) and not args.json:
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
