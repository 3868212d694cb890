"""The plain-text report of `bnxt-wizard login` (the JSON one is the result model itself)."""

from __future__ import annotations

from wizard.core.oidc.results import LoginResult
from wizard.core.steps import Step, describe


def render_login(result: LoginResult) -> str:
    lines = [f"Profile {result.profile}: web application, client ID {result.client_id}"]
    if result.issuer:
        lines.append(f"  issuer      {result.issuer}")
    lines.append("")
    for stage in result.stages:
        mark = "-" if stage.skipped else "✓" if stage.ok else "✗"
        first, *rest = stage.detail.splitlines() or [""]
        lines.append(f"{mark} {stage.name:<11} {stage.seconds:>6.2f} s  {first}")
        lines += [f"{'':22}{line.strip()}" for line in rest]
    if result.subject:
        lines += ["", f"Signed in:  {result.subject}"]
        for label, value in (("name", result.name), ("email", result.email)):
            if value:
                lines.append(f"  {label:<9} {value}")
        lines.append(f"  scopes    {' '.join(result.scopes) or '(none listed)'}")
        if result.access_token_expires_at:
            lines.append(
                f"  access token valid {result.access_token_expires_in} s, until "
                f"{result.access_token_expires_at:%Y-%m-%d %H:%M:%S} UTC"
            )
        refresh = "yes" if result.refresh_token else "no"
        lines.append(f"  refresh token: {'yes, refreshed once' if result.refreshed else refresh}")
    if result.companies:
        lines += ["", "Companies the user reaches:"]
        lines += [f"  {c.number:>8}  {c.name}" for c in result.companies]
    lines.append("")
    if result.ok:
        lines.append("Result: OK")
        return "\n".join(lines)
    error = result.error
    lines.append(
        f"Result: FAILED (exit code {result.exit_code})" + (f": {error.title}" if error else "")
    )
    if error and error.hint:
        lines.append(f"  Hint: {error.hint}")
    if error and error.step:
        lines.append(f"  Step to revisit: {describe(Step(error.step))}")
    return "\n".join(lines)
