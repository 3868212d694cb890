"""`bnxt-wizard token`: only the access token on stdout (its details with --json)."""

from __future__ import annotations

import asyncio

from wizard.cli.common import workspace
from wizard.cli.options import TokenOptions
from wizard.cli.output import emit_json, info, write_payload
from wizard.core.exitcodes import ExitCode


def run_token_command(args: TokenOptions) -> int:
    from wizard.core.connect import request_token

    ws = workspace(args)
    profile = ws.config.get(args.profile)
    resolved = ws.vault.load(profile)
    token = asyncio.run(request_token(profile, resolved.value, options=args.client_options()))
    if args.json:
        emit_json({"ok": True, **token.summary().model_dump(mode="json")})
        info("(--json prints the token's details, not the token; drop --json to print it)")
    else:
        write_payload(token.access_token.get_secret_value() + "\n")
    return ExitCode.OK
