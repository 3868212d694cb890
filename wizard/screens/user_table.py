"""Step (services): make the client ID a Business NXT user and grant it companies."""

from __future__ import annotations

from itertools import count

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, Static

from wizard.core import validation as v
from wizard.core.onboarding import USER_TABLE_STEP_COUNT, CompanyRow
from wizard.core.steps import Step
from wizard.core.visma import USER_TABLE_ROLES, user_table_steps
from wizard.screens.base import StepPane, set_value
from wizard.widgets.copy_row import CopyRow
from wizard.widgets.marks import MarkedCheckbox
from wizard.widgets.validators import RuleValidator

ROLES = (
    f"You need a Visma.net user with the [b]{USER_TABLE_ROLES[0]}[/b] and "
    f"[b]{USER_TABLE_ROLES[1]}[/b] roles (given in Visma.net Admin). In Business NXT:"
)
GRANTS = (
    "[b]Companies granted[/b]: one row per Connect Application Access row you saved, each "
    "by its [b]Visma.net company ID[/b] (vismaNetCompanyId, the number the API's "
    "useCompany(no:) takes; 7 digits in Visma's examples). The Test step lists every company "
    "the service reaches, by name and ID, so you can match them."
)


def step_text(text: str, client_id: str) -> Content:
    """The step text with the client ID in bold: it is what must be typed exactly."""
    before, found, after = text.partition(client_id) if client_id else (text, "", "")
    return Content.assemble(before, (found, "bold"), after)


class StepCheck(Horizontal):
    """A numbered step with a checkbox. A Checkbox label never wraps, so the text sits
    beside it; clicking the text ticks the box too."""

    def __init__(self, number: int, text: Content, *, value: bool, box_id: str) -> None:
        super().__init__(classes="step-check")
        self.box = MarkedCheckbox(f"{number}.", value=value, id=box_id)
        self.text = text

    def compose(self) -> ComposeResult:
        yield self.box
        yield Static(self.text, classes="step-text")

    def set_text(self, text: Content) -> None:
        if text != self.text:
            self.text = text
            self.query_one(".step-text", Static).update(text)

    def on_click(self, event: events.Click) -> None:
        if event.widget is not self.box:
            self.box.toggle()
            self.box.focus()


class CompanyEditor(Vertical):
    """One company: its Visma.net company ID, its access group, and a Remove button."""

    def __init__(self, row: CompanyRow, key: int) -> None:
        super().__init__(id=f"company-{key}", classes="company-row")
        self.initial = row

    def compose(self) -> ComposeResult:
        with Horizontal(classes="company-inputs"):
            yield Input(
                value=self.initial.company_no,
                placeholder="e.g. 1234567",
                classes="company-no",
                validators=[RuleValidator(v.check_company_number)],
                validate_on=["changed", "blur"],
                compact=True,
            )
            yield Input(
                value=self.initial.access_group,
                placeholder="access group, as Business NXT shows it",
                classes="access-group",
                validators=[RuleValidator(v.check_access_group)],
                validate_on=["changed", "blur"],
                compact=True,
            )
            yield Button("Remove", classes="remove-company", compact=True)
        yield Static("", classes="field-msg company-msg")

    def on_mount(self) -> None:
        if not self.children:  # mounted while the app shuts down: nothing was composed
            return
        self.show()

    @property
    def row(self) -> CompanyRow:
        no = self.query_one(".company-no", Input).value
        group = self.query_one(".access-group", Input).value
        return CompanyRow(company_no=no, access_group=group)

    def show(self) -> None:
        """The row's first error, once anything is typed in it (an empty row is just unused)."""
        row = self.row
        found: list[str] = []
        if row.company_no or row.access_group:
            found += v.errors(v.check_company_number(row.company_no))
            found += v.errors(v.check_access_group(row.access_group))
        message = self.query_one(".company-msg", Static)
        message.set_classes("field-msg company-msg" + (" -error" if found else ""))
        message.update(Text(f"✗ {found[0]}" if found else ""))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show()


class UserTablePane(StepPane):
    STEP = Step.USER_TABLE
    FIRST = "#ut-check-0"
    WHY = (
        "A service signs in as itself, so Business NXT must know it as a user: its client ID "
        "becomes a user name, and each company it may read is granted to it with an access group."
    )

    _keys = count()

    def compose_body(self) -> ComposeResult:
        s = self.state
        yield Static(ROLES, id="roles")
        yield CopyRow("User name", s.client_id, id="user-name")
        for i, text in enumerate(user_table_steps(s.client_id)):
            yield StepCheck(
                i + 1,
                step_text(text, s.client_id),
                value=s.user_table_checks[i],
                box_id=f"ut-check-{i}",
            )
        yield Static(GRANTS, id="grants")
        with Horizontal(id="company-header"):
            yield Label("Company ID", classes="company-no")
            yield Label("Access group", classes="access-group")
        with Vertical(id="company-rows"):
            for row in s.companies or [CompanyRow()]:
                yield CompanyEditor(row, next(self._keys))
        with Horizontal(id="company-tools"):
            yield Button("Add company", id="add-company", compact=True)
            if self.session.demo:
                yield Button("Fill in the demo companies", id="demo-companies", compact=True)

    def load(self) -> None:
        s = self.state
        self.query_one("#user-name", CopyRow).set_value(s.client_id)
        for i, (text, check) in enumerate(
            zip(user_table_steps(s.client_id), self.query(StepCheck), strict=False)
        ):
            check.set_text(step_text(text, s.client_id))
            set_value(check.box, s.user_table_checks[i])

    async def shown(self) -> None:
        rows = self.state.companies or [CompanyRow()]
        if [editor.row for editor in self.query(CompanyEditor)] != rows:
            await self.query(CompanyEditor).remove()
            for row in rows:
                await self.add_company(row, focus=False)

    def store(self) -> None:
        s = self.state
        s.user_table_checks = [
            self.query_one(f"#ut-check-{i}", Checkbox).value for i in range(USER_TABLE_STEP_COUNT)
        ]
        s.companies = [editor.row for editor in self.query(CompanyEditor)]

    async def add_company(self, row: CompanyRow, *, focus: bool = True) -> CompanyEditor:
        editor = CompanyEditor(row, next(self._keys))
        await self.query_one("#company-rows").mount(editor)
        if focus:
            editor.query_one(".company-no", Input).focus()
            editor.scroll_visible()
        return editor

    async def fill_demo(self) -> None:
        demo = self.session.demo
        if demo is None:
            return
        await self.query(CompanyEditor).remove()
        for no, group in demo.companies:
            await self.add_company(CompanyRow(company_no=str(no), access_group=group), focus=False)
        self.notify(f"Filled in the {len(demo.companies)} companies the demo user table grants.")

    @on(Button.Pressed, "#add-company")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.add_company(CompanyRow())
        self.changed()

    @on(Button.Pressed, "#demo-companies")
    async def _demo_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.fill_demo()
        self.changed()

    @on(Button.Pressed, ".remove-company")
    async def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await event.button.query_ancestor(CompanyEditor).remove()
        self.query_one("#add-company", Button).focus()
        self.changed()
