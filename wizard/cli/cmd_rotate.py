"""`bnxt-wizard rotate`: replace a profile's secret without downtime.

Every mode ends by saying where the rotation stands; an interrupted one is continued by the
command ``rotate --status`` names (see :mod:`wizard.core.rotation`).
"""

from __future__ import annotations

import asyncio

from wizard.cli.common import read_secret_stdin, workspace
from wizard.cli.options import RotateOptions
from wizard.cli.output import emit_json, info
from wizard.core import rotation
from wizard.core.errors import ValidationFailed
from wizard.core.exitcodes import ExitCode
from wizard.core.profiles import Workspace, prepare_secret
from wizard.core.steps import Step


def run_rotate(args: RotateOptions) -> int:
    ws = workspace(args)
    if not (args.secret_stdin or args.finish or args.rollback or args.status or args.resume):
        from wizard.cli.cmd_ui import open_wizard

        return open_wizard(args, start="rotate", demo=args.demo)
    if args.status:
        return _status(ws, args)
    profile = ws.config.get(args.profile)
    if args.finish:
        rotation.finish(ws, profile)
        _say(args, {"ok": True, "stage": "finished"}, "Old secret's backup deleted. Rotation done.")
        return ExitCode.OK
    if args.rollback:
        done = rotation.rollback(ws, profile)
        if done.cancelled:
            text = "Nothing new had been stored: the rotation is cancelled (old secret in use)."
            return _report(args, done, "cancelled", text)
        return _report(args, done, "rolled-back", "The old secret is the current one again.")
    if args.resume:
        done = rotation.resume(ws, profile.name)
        return _report(args, done, "stored", "The new secret is stored.", finish_hint=True)
    blocked = rotation.already_open(ws, profile.name)
    if blocked is not None:
        raise blocked
    new_secret, warnings = prepare_secret(read_secret_stdin(), profile.client_id)
    for w in warnings:
        info(f"warning: {w}")
    if rotation.is_current_secret(ws, profile, new_secret):
        raise ValidationFailed([rotation.SAME_SECRET], step=Step.SECRET)
    if not args.json:
        info(f"Testing the new secret against {profile.endpoints.token_url} ...")
    options = args.client_options()
    token = asyncio.run(rotation.test_new_secret(ws, profile, new_secret, options))
    done = rotation.rotate(ws, profile.name, new_secret)
    where = ws.vault.describe(done.profile)
    if args.json:
        data: dict[str, object] = {
            "token": token.summary().model_dump(mode="json"),
            "secret_location": where,
        }
        return _report(args, done, "stored", "", extra=data, finish_hint=True)
    print("✓ The new secret works (token issued).")
    if done.profile.secret and done.profile.secret.store == "env":
        print("  The secret lives in BNXT_CLIENT_SECRET: update it wherever your services run.")
    else:
        print(f"✓ Stored in the {where}; the old one is kept as a backup.")
    return _report(args, done, "stored", "", finish_hint=True)


def _report(
    args: RotateOptions,
    done: rotation.Outcome,
    stage: str,
    text: str,
    *,
    extra: dict[str, object] | None = None,
    finish_hint: bool = False,
) -> int:
    """The .env lines, then what to do next; exit INCOMPLETE when a .env was not rewritten."""
    name = done.profile.name
    code = ExitCode.OK if done.complete else ExitCode.INCOMPLETE
    retry = rotation.command(name, "--resume" if finish_hint else "--rollback")
    if args.json:
        out: dict[str, object] = {"ok": done.complete, "stage": stage, **(extra or {})}
        out["env_files"] = done.lines
        out["env_files_not_rewritten"] = done.failed
        if not done.complete:
            out["next"] = f"Fix the files listed, then run: {retry}"
        elif finish_hint:
            out["next"] = f"{rotation.PORTAL_REMINDER} Then: {rotation.command(name, '--finish')}"
        emit_json(out)
        return code
    if text:
        print(text)
    for line in done.lines:
        print(f"  {line}")
    if not done.complete:
        print(f"✗ {len(done.failed)} .env file(s) NOT rewritten; fix what is said above, then run:")
        print(f"  {retry}")
    elif finish_hint:
        print(f"Next: {rotation.PORTAL_REMINDER}")
        print(f"Then: {rotation.command(name, '--finish')}")
    return code


def _status(ws: Workspace, args: RotateOptions) -> int:
    ws.config.get(args.profile)  # an unknown profile is an error, not "no rotation"
    found = rotation.status(ws, args.profile, deep=True)
    if args.json:
        emit_json(found.to_json_dict() if found else {"open": False, "profile": args.profile})
        return ExitCode.OK
    if found is None:
        print(f"No rotation of profile {args.profile!r} is open.")
        return ExitCode.OK
    print(f"Rotation of profile {args.profile!r}: at '{found.step}'.")
    print(f"  {found.summary}")
    for path, state in found.files.items():
        note = found.notes.get(path)
        print(f"  {state:8} {path}" + (f" ({note})" if note else ""))
    print(f"Next: {found.next_command}")
    return ExitCode.OK


def _say(args: RotateOptions, data: dict[str, object], text: str) -> None:
    if args.json:
        emit_json(data)
    else:
        print(text)
