"""How a :class:`~wizard.core.checks.CheckReport` looks on the Test step: widgets, no logic.

Everything in a report may come from a server (names, scope, claims, error text): it is
shown only as ``rich.text.Text`` (never markup) and sanitised (no escapes, no controls).
"""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from rich.console import Group
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static

from wizard.core.check_results import CheckReport, CompanyGap
from wizard.core.results import ErrorInfo
from wizard.core.steps import Step, describe
from wizard.core.text import sanitize
from wizard.core.tokens import TokenSummary
from wizard.widgets.fit import LabelledRows

MARKS: dict[bool | None, tuple[str, str]] = {
    True: ("✓", "green"),
    False: ("✗", "red"),
    None: ("-", "dim"),
}


def _when(iso: object) -> str:
    try:
        return datetime.fromisoformat(str(iso)).strftime("%Y-%m-%d %H:%M:%S UTC")
    except ValueError:
        return "not given by the server"


def _in(seconds: object) -> str:
    if not isinstance(seconds, int):
        return ""
    return f" (in {seconds // 60} min)" if seconds >= 120 else f" (in {seconds} s)"


def report_widgets(report: CheckReport, *, to_prove: str = "") -> list[Widget]:
    """The verdict with one line per stage, the token, and the companies reached."""
    widgets: list[Widget] = [Static(stages_view(report, to_prove=to_prove), id="stages")]
    if report.token:
        widgets.append(Static(token_text(report.token), id="token", classes="card"))
    if report.companies_reached:
        widgets.append(Static("[b]Companies reached[/b]", classes="table-title"))
        widgets.append(companies_table(report))
    return widgets


def stages_view(report: CheckReport, *, signed_in: bool = False, to_prove: str = "") -> Group:
    """The verdict (honest: a web app's check without a browser proves only its client ID
    and secret, so "It works" waits for the sign-in) and one line per stage."""
    proven = report.works(signed_in=signed_in)
    mark = "✓" if report.ok else "✗"
    verdict = Text(f"{mark} {report.verdict(signed_in=signed_in)}", style="bold")
    verdict.stylize("green" if proven else "yellow" if report.ok else "red")
    if report.ok and not proven and to_prove:
        verdict.append(f"\n  {to_prove}", style="not bold")
    names = [sanitize(s.name) for s in report.steps]
    times = [f"{s.seconds:.2f} s" for s in report.steps]
    name_width = max(map(cell_len, names), default=0)
    time_width = max(map(cell_len, times), default=0)
    rows = []
    for s, name, seconds in zip(report.steps, names, times, strict=True):
        mark, style = MARKS[None if s.skipped else s.ok]
        head = Text.assemble(
            (mark, style),
            " ",
            (name + " " * (name_width - cell_len(name)), "bold"),
            " ",
            (seconds.rjust(time_width), "dim"),
        )
        rows.append((head, Text(sanitize(s.detail, multiline=True))))
    # side by side where a detail's longest word (a scope, a URL) fits, else under its stage
    return Group(verdict, LabelledRows(rows, gap=1))


def token_text(token: TokenSummary) -> Text:
    shown = sanitize(", ".join(f"{k}={v}" for k, v in token.claims.items()))
    return Text.assemble(
        ("Token  ", "bold"),
        sanitize(f"{token.token_type} · scope {token.scope}") + "\n",
        ("Expires ", "bold"),
        f"{_when(token.expires_at)}{_in(token.expires_in)}\n",
        ("Claims ", "bold"),
        shown or "none readable",
    )


def companies_table(report: CheckReport) -> DataTable[Text]:
    # DataTable reads a str cell as markup: every cell is Text.
    table: DataTable[Text] = DataTable(id="companies", cursor_type="row", zebra_stripes=True)
    table.add_columns("Visma.net company ID", "Name", "Customer", "In profile")
    for c in report.companies_reached:
        table.add_row(
            Text(sanitize(c.company_no)),
            Text(sanitize(c.name)),
            Text(sanitize(c.customer_id or "")),
            Text("yes" if c.in_profile else "no (not listed)"),
        )
    return table


def failure_widgets(error: ErrorInfo, missing: list[CompanyGap], fix: Step | None) -> list[Widget]:
    """The core's explanation; each missing company with its User table steps; the fix."""
    parts: list[Widget] = [
        Static(Text(sanitize(error.title or "Failed"), style="bold red")),
        Static(Text(sanitize(error.message, multiline=True))),
    ]
    parts += [Static(Text(sanitize(f"✗ {gap.message}")), classes="gap") for gap in missing]
    if error.hint and not missing:  # for gaps the hint repeats their messages
        parts.append(Static(Text(sanitize(f"Hint: {error.hint}")), classes="hint"))
    if fix is not None:
        parts.append(Button(f"Fix: {describe(fix)}", id="fix", variant="warning", compact=True))
    return parts
