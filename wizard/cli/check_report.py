"""The plain-text report of `bnxt-wizard check` (the JSON one is the report model itself)."""

from __future__ import annotations

import re

from wizard.core.check_results import CheckReport, login_command
from wizard.core.steps import Step, describe
from wizard.core.visma import facts

_NUMBERED = re.compile(r" (?=\d+\. )")


def render_report(report: CheckReport) -> str:
    """One line per stage, what was reached, then the verdict."""
    lines = [
        f"Profile {report.profile}: {facts(report.app_type).title.lower()}, "
        f"client ID {report.client_id}",
        f"  token URL   {report.token_url}",
        f"  GraphQL URL {report.graphql_url}",
        "",
    ]
    for step in report.steps:
        mark = "-" if step.skipped else "✓" if step.ok else "✗"
        lines.append(f"{mark} {step.name:<9} {step.seconds:>6.2f} s  {step.detail}")
    if report.companies_reached:
        lines += ["", "Companies reached (Visma.net company ID, name):"]
        for c in report.companies_reached:
            note = "" if c.in_profile else "  (not in the profile)"
            lines.append(f"  {c.company_no:>10}  {c.name}{note}")
    elif report.missing_companies:
        lines += ["", "Companies reached: none."]
    if report.customers_reached:
        lines += ["", "Customers reached:"]
        lines += [f"  {c.customer_id:>8}  {c.name}" for c in report.customers_reached]
    for gap in report.missing_companies:
        # The message numbers its steps inline ("1. ... 2. ..."); give each its own line.
        first, *steps = _NUMBERED.split(gap.message)
        lines += ["", f"✗ {first}", *(f"    {step}" for step in steps)]
    lines.append("")
    if report.works():
        lines.append("Result: OK")
        return "\n".join(lines)
    if report.ok:
        lines.append("Result: OK, the client ID and secret only (no browser was involved).")
        lines.append(f"  The sign-in itself is proven by: {login_command(report.profile)}")
        return "\n".join(lines)
    error = report.error
    title = f": {error.title}" if error and error.title else ""
    lines.append(f"Result: FAILED (exit code {report.exit_code}){title}")
    if error and error.hint and not report.missing_companies:
        lines.append(f"  Hint: {error.hint}")
    if error and error.step:
        lines.append(f"  Step to revisit: {describe(Step(error.step))}")
    return "\n".join(lines)
