"""`bnxt-wizard rotate`: replace a profile's secret without downtime."""

from __future__ import annotations

import argparse
import asyncio

from wizard.cli.cmd_check import client_options
from wizard.cli.common import read_secret_stdin, workspace
from wizard.cli.output import emit_json, info
from wizard.core import rotation
from wizard.core.errors import ValidationFailed
from wizard.core.exitcodes import ExitCode
from wizard.core.profiles import prepare_secret
from wizard.core.steps import Step


def run_rotate(args: argparse.Namespace) -> int:
    ws = workspace(args)
    if not (args.secret_stdin or args.finish or args.rollback):
        from wizard.cli.cmd_ui import open_wizard

        return open_wizard(args, start="rotate")
    profile = ws.config.get(args.profile)
    if args.finish:
        rotation.finish(ws, profile)
        _say(args, {"ok": True, "stage": "finished"}, "Old secret's backup deleted. Rotation done.")
        return ExitCode.OK
    if args.rollback:
        restored = rotation.rollback(ws, profile)
        lines = rotation.rewrite_env_files(ws, restored, ws.vault.load(restored).value)
        _say(
            args,
            {"ok": True, "stage": "rolled-back", "env_files": lines},
            "\n".join(["The old secret is the current one again.", *lines]),
        )
        return ExitCode.OK
    blocked = rotation.unfinished_backup(profile)
    if blocked is not None:
        raise blocked
    new_secret, warnings = prepare_secret(read_secret_stdin(), profile.client_id)
    for w in warnings:
        info(f"warning: {w}")
    if rotation.is_current_secret(ws, profile, new_secret):
        raise ValidationFailed(
            [rotation.SAME_SECRET],
            step=Step.SECRET,
        )
    if not args.json:
        info(f"Testing the new secret against {profile.endpoints.token_url} ...")
    options = client_options(args)
    token = asyncio.run(rotation.test_new_secret(ws, profile, new_secret, options))
    updated = rotation.store_new_secret(ws, profile, new_secret)
    lines = rotation.rewrite_env_files(ws, updated, new_secret)
    where = ws.vault.describe(updated)
    if args.json:
        emit_json(
            {
                "ok": True,
                "stage": "stored",
                "token": token.summary(),
                "secret_location": where,
                "env_files": lines,
                "next": rotation.PORTAL_REMINDER,
            }
        )
        return ExitCode.OK
    print("✓ The new secret works (token issued).")
    if updated.secret and updated.secret.store == "env":
        print("  The secret lives in BNXT_CLIENT_SECRET: update it wherever your services run.")
    else:
        print(f"✓ Stored in the {where}; the old one is kept as a backup.")
    for line in lines:
        print(f"  {line}")
    print(f"Next: {rotation.PORTAL_REMINDER}")
    print(f"Then: bnxt-wizard rotate --profile {profile.name} --finish")
    return ExitCode.OK


def _say(args: argparse.Namespace, data: dict[str, object], text: str) -> None:
    if args.json:
        emit_json(data)
    else:
        print(text)
