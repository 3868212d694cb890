"""`bnxt-wizard init --non-interactive`: create or update a profile from flags."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from wizard.cli.common import read_secret_stdin, workspace
from wizard.cli.options import InitOptions
from wizard.cli.output import emit_json, info, warn
from wizard.core import validation as v
from wizard.core.errors import ValidationFailed
from wizard.core.exitcodes import ExitCode
from wizard.core.models import Endpoints, Profile
from wizard.core.profiles import build_profile, choose_store, prepare_secret, save_profile


def run_init(args: InitOptions) -> int:
    if not args.non_interactive:
        from wizard.cli.cmd_ui import open_wizard

        return open_wizard(args, start="onboarding", demo=args.demo)
    ws = workspace(args)
    existing = ws.config.find(args.profile)
    profile, client_id, problems = _collect(args, existing)
    secret: SecretStr | None = None
    warnings: list[str] = []
    if args.secret_stdin:
        try:
            secret, warnings = prepare_secret(read_secret_stdin(), client_id)
        except ValidationFailed as err:
            problems += err.problems
    if problems or profile is None:
        raise ValidationFailed(problems)
    store = choose_store(
        args.secret_store or (existing.secret.store if existing and existing.secret else None)
    )
    profile = save_profile(ws, profile, secret, store)
    warnings += [f.message for f in v.check_scope(profile.endpoints.scope) if f.level == "warning"]
    for w in warnings:
        warn(w)
    where = ws.vault.describe(profile)
    if args.json:
        emit_json(
            {
                "ok": True,
                "profile": profile.model_dump(mode="json"),
                "config_file": str(ws.config.path),
                "secret_location": where,
                "secret_plaintext": ws.vault.is_plaintext(profile),
                "warnings": warnings,
            }
        )
    else:
        verb = "Updated" if existing else "Saved"
        print(f"{verb} profile {profile.name!r} ({profile.app_type.value}, {profile.client_id}).")
        print(f"  config: {ws.config.path}")
        print(f"  secret: {where}")
        if ws.vault.is_plaintext(profile):
            warn("the secret is stored in a plaintext file (readable only by you, mode 0600).")
        for hint in v.check_client_id(profile.client_id):
            if hint.level == "hint":
                info(f"hint: {hint.message}")
        print(f"Next: bnxt-wizard check --profile {profile.name}")
    return ExitCode.OK


def _collect(args: InitOptions, existing: Profile | None) -> tuple[Profile | None, str, list[str]]:
    """The profile the flags describe (None when they cannot), its client ID, every problem."""
    problems: list[str] = []
    base: dict[str, Any] = existing.model_dump() if existing else {"name": args.profile}
    app_type = args.app_type or (existing.app_type.value if existing else None)
    if app_type is None:
        problems.append("Choose the application type with --app-type service or --app-type web.")
        app_type = "service"
    if existing is None or (args.app_type and args.app_type != existing.app_type.value):
        base["endpoints"] = Endpoints.defaults(app_type).model_dump()
    base["app_type"] = app_type
    for flag, key in (
        ("app_name", "app_name"),
        ("client_id", "client_id"),
        ("description", "description"),
    ):
        value = getattr(args, flag)
        if value is not None:
            base[key] = value
    for flag in ("app_name", "client_id"):
        if flag not in base:
            problems.append(f"Give --{flag.replace('_', '-')}; it is required for a new profile.")
    endpoints = dict(base["endpoints"])
    flags = ("token_url", "authorize_url", "graphql_url", "scope", "issuer", "jwks_url")
    for flag in (*flags, "end_session_url", "service_scope"):
        value = getattr(args, flag)
        if value is not None:
            endpoints[flag] = value or None
    if args.issuer and args.token_url is None:
        # Visma Connect's layout: the token endpoint lives under the issuer.
        endpoints["token_url"] = args.issuer.rstrip("/") + "/connect/token"
    if app_type != "web":
        for flag in ("issuer", "jwks_url", "end_session_url", "service_scope"):
            if getattr(args, flag):
                problems.append(f"--{flag.replace('_', '-')} is for web applications only.")
    base["endpoints"] = endpoints
    if args.tenant_id is not None:
        base["tenant_id"] = args.tenant_id or None
    if args.auth is not None:
        base["auth_method"] = args.auth
    if args.company is not None:
        companies = []
        for spec in args.company:
            number, group, found = v.parse_company_spec(spec)
            problems += v.errors(found)
            if not found:
                companies.append({"company_no": number, "access_group": group})
        base["companies"] = companies
    if args.port is not None:
        port_problems = v.errors(v.check_port(args.port))
        problems += port_problems
        if not port_problems:
            local = dict(base.get("local_dev") or {})
            local["port"] = int(args.port)
            base["local_dev"] = local
    if app_type == "service" and not base.get("companies"):
        # the same completeness rule as the wizard's User table step: a service reaches only
        # the companies granted to it, so a profile with none could never pass a check
        problems.append(
            "A service needs at least one company it may reach: give --company NO:GROUP "
            "(repeatable), as granted in the User table."
        )
    profile = None
    if "app_name" in base and "client_id" in base:
        try:
            profile = build_profile(base)
        except ValidationFailed as err:
            problems += [p for p in err.problems if p not in problems]
    return profile, str(base.get("client_id") or ""), problems
