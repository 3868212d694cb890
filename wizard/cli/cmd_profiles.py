"""`bnxt-wizard profiles [list|show NAME|delete NAME]`."""

from __future__ import annotations

import sys
from typing import Any

from wizard.cli.common import workspace
from wizard.cli.options import ProfilesOptions
from wizard.cli.output import emit_json
from wizard.core.errors import ValidationFailed
from wizard.core.exitcodes import ExitCode
from wizard.core.models import Profile
from wizard.core.profiles import Workspace, delete_profile
from wizard.core.rotation import pending_rotation_notice
from wizard.core.secret_source import env_overrides, override_note
from wizard.core.secrets import ENV_SECRET
from wizard.core.text import shown_url


def _row(ws: Workspace, p: Profile) -> dict[str, Any]:
    return {
        "name": p.name,
        "app_type": p.app_type.value,
        "client_id": p.client_id,
        "app_name": p.app_name,
        "secret_location": ws.vault.describe(p),
        "secret_plaintext": ws.vault.is_plaintext(p),
        "secret_env_override": env_overrides(p),
        "verified_at": p.verified_at.isoformat() if p.verified_at else None,
        "rotation": pending_rotation_notice(ws, p),
    }


def run_profiles(args: ProfilesOptions) -> int:
    ws = workspace(args)
    if args.action == "list":
        return _list(ws, args)
    if not args.name:
        raise ValidationFailed([f"Name the profile: bnxt-wizard profiles {args.action} NAME."])
    if args.action == "show":
        p = ws.config.get(args.name)
        if args.json:
            emit_json({**p.model_dump(mode="json"), **_row(ws, p)})
        else:
            _show(ws, p)
        return ExitCode.OK
    p = ws.config.get(args.name)
    if not args.yes:
        if args.json or not sys.stdin.isatty():  # --json never skips the confirmation
            raise ValidationFailed([f"Add --yes to delete profile {p.name!r} and its secret."])
        answer = input(f"Delete profile {p.name!r} and its stored secret? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing deleted.")
            return ExitCode.OK
    delete_profile(ws, p.name)
    if args.json:
        emit_json({"ok": True, "deleted": p.name})
    else:
        print(f"Deleted profile {p.name!r} and its secret ({ws.vault.describe(p)}).")
    return ExitCode.OK


def _list(ws: Workspace, args: ProfilesOptions) -> int:
    profiles = ws.config.load_all()
    rows = [_row(ws, p) for p in profiles.values()]
    if args.json:
        emit_json({"config_file": str(ws.config.path), "profiles": rows})
        return ExitCode.OK
    if not rows:
        print(f"No profiles yet in {ws.config.path}. Run `bnxt-wizard` to create one.")
        return ExitCode.OK
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        flag = "  ⚠ plaintext" if r["secret_plaintext"] else ""
        if r["secret_env_override"]:
            flag += f"  (overridden: {ENV_SECRET} is set)"
        verified = f"verified {r['verified_at'][:10]}" if r["verified_at"] else "not verified"
        print(
            f"{r['name']:<{width}}  {r['app_type']:<7}  {r['client_id']:<24}  {verified:<19}  "
            f"secret: {r['secret_location']}{flag}"
        )
        if r["rotation"]:
            print(f"{'':<{width}}  ↳ {r['rotation']}")
    return ExitCode.OK


def _show(ws: Workspace, p: Profile) -> None:
    e = p.endpoints
    lines = [
        f"profile      {p.name}",
        f"type         {p.app_type.value}",
        f"application  {p.app_name}",
        f"client ID    {p.client_id} ({len(p.client_id)}/24 characters)",
        f"token URL    {shown_url(e.token_url)}",
        f"GraphQL URL  {shown_url(e.graphql_url)}",
        f"scope        {e.scope}",
        f"auth         {'HTTP Basic' if p.auth_method == 'basic' else 'client_secret_post'}",
    ]
    if e.issuer:
        lines.append(f"issuer       {shown_url(e.issuer)} (its discovery document: endpoints)")
    if e.authorize_url:
        lines.append(f"authorize    {shown_url(e.authorize_url)}")
    if e.service_scope:
        lines.append(f"service API  {e.service_scope} (client credentials)")
    if p.tenant_id:
        lines.append(f"tenant ID    {p.tenant_id}")
    if p.local_dev:
        ld = p.local_dev
        lines += [
            f"login URI    {ld.login_uri}",
            f"logout URI   {ld.logout_uri}",
            f"redirect URI {ld.redirect_uri}",
        ]
    for c in p.companies:
        lines.append(f"company      {c.company_no} (access group {c.access_group})")
    flag = "  (plaintext!)" if ws.vault.is_plaintext(p) else ""
    lines.append(f"secret       {ws.vault.describe(p)}{flag}")
    if env_overrides(p):
        lines.append(f"             {override_note(p)}")
    for rec in p.env_files:
        lines.append(f"env file     {rec.path} ({rec.format})")
    lines.append(f"verified     {p.verified_at.isoformat() if p.verified_at else 'never'}")
    notice = pending_rotation_notice(ws, p)
    if notice:
        lines.append(f"rotation     {notice}")
    print("\n".join(lines))
