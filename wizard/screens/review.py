"""Step: everything on one page, what is still wrong (with a way to fix it), then Save.

Nothing is written before Save: the secret goes to its store first, then the profile that
points at it (``save_profile``), so a failure half way never leaves a profile without its
secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from wizard.core.errors import SecretStoreError, WizardError
from wizard.core.models import LocalDev, Profile, SecretStoreKind
from wizard.core.profiles import choose_store, save_profile
from wizard.core.steps import Step, describe
from wizard.core.visma import CLIENT_ID_MAX, AppType, facts
from wizard.screens.base import StepPane
from wizard.screens.confirm import ConfirmScreen
from wizard.widgets.fit import LabelledRows
from wizard.widgets.messages import GotoStep, ProfileSaved

if TYPE_CHECKING:
    from wizard.core.onboarding import Onboarding

Rows = list[tuple[str, str]]


def section_rows(rows: Rows) -> LabelledRows:
    """A section's label/value pairs: beside each other where every value's longest word (a
    URI, the scope, a path) fits, else each label above its value; a URI is never broken
    mid-token (LabelledRows). Values are plain Text, so nothing the user typed reads as
    markup."""
    shown = [(Text(label, style="bold"), Text(value or "—")) for label, value in rows]
    return LabelledRows(shown, gap=2, indent=2)


class ProblemList(Vertical):
    """What is still wrong, each with a button to its step; or that all is well."""

    def __init__(self, state: Onboarding, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state
        self.problems: list[tuple[Step, str]] = []  # as drawn

    def compose(self) -> ComposeResult:
        problems = self.problems = self.state.all_problems()
        if not problems:
            yield Static("✓ Everything checks out. Save the profile, then test it.", id="review-ok")
            return
        with Vertical(id="review-problems", classes="card"):
            count = len(problems)
            yield Static(f"[b]{count} thing{'s' if count > 1 else ''} to fix before saving[/b]")
            for i, (step, message) in enumerate(problems):
                yield Static(Text(f"✗ {message}"), classes="problem-msg")
                number, _ = self.state.position(step)
                yield Button(
                    f"Fix in step {number}: {describe(step)}",
                    id=f"fix-{i}",
                    name=step.value,  # the step it leads to, as drawn (see on_button_pressed)
                    classes="jump",
                    compact=True,
                )


class ReviewPane(StepPane):
    STEP = Step.REVIEW
    rows_shown: dict[Step, Rows]
    WHY = (
        "Everything you entered, on one page. Anything still wrong is listed first, with a "
        "button that takes you to its step. Nothing is stored until you press Save profile."
    )

    def next_label(self) -> str:
        return "Save profile"

    def problems(self) -> list[str]:
        return [message for _, message in self.state.all_problems()]

    # layout ------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        self.rows_shown = {}  # each section's rows as drawn
        yield ProblemList(self.state, id="review-status")
        for step, rows in self._sections():
            self.rows_shown[step] = rows
            with Vertical(classes="card section"):
                with Horizontal(classes="section-head"):
                    yield Static(f"[b]{describe(step)}[/b]", classes="section-title")
                    yield Button("Edit", id=f"edit-{step.value}", compact=True, classes="edit")
                yield Static(section_rows(rows), classes="section-rows", id=f"rows-{step.value}")

    async def shown(self) -> None:
        """The summary of everything, brought up to date on every visit: each section's
        rows redrawn when they changed, the problem list rebuilt when it did."""
        for step, rows in self._sections():
            if self.rows_shown.get(step) != rows:
                self.rows_shown[step] = rows
                self.query_one(f"#rows-{step.value}", Static).update(section_rows(rows))
        problems = self.query_one(ProblemList)
        if problems.problems != self.state.all_problems():
            await problems.recompose()

    def _sections(self) -> list[tuple[Step, Rows]]:
        s = self.state
        kind = facts(s.app_type).title if s.app_type else "not chosen"
        web_service = s.app_type is AppType.WEB and s.service_api  # client credentials too
        sections: list[tuple[Step, Rows]] = [
            (Step.APP_TYPE, [("Type", kind)]),
            (
                Step.REGISTRATION,
                [
                    ("Profile name", s.profile),
                    ("Application name", s.app_name),
                    (
                        "Client ID",
                        f"{s.client_id}  ({len(s.client_id)}/{CLIENT_ID_MAX} characters)",
                    ),
                    ("Description", s.description),
                ],
            ),
            (
                Step.INTEGRATION,
                [
                    ("API", facts(s.app_type).api_name if s.app_type else ""),
                    *([("Issuer", s.issuer or "")] if s.app_type is AppType.WEB else []),
                    *([("Service API scope", s.service_scope)] if web_service else []),
                    ("Token URL", s.token_url),
                    ("GraphQL URL", s.graphql_url),
                    ("Scope", s.scope),
                    ("Client authentication", s.auth_method),
                    *([("Tenant ID", s.tenant_id)] if s.tenant_id else []),
                ],
            ),
            (Step.SECRET, [("Client secret", self._secret_text())]),
        ]
        if Step.LOCAL_URIS in s.steps():
            sections.append((Step.LOCAL_URIS, self._local_rows()))
        if Step.USER_TABLE in s.steps():
            companies = [
                (f"Company {row.company_no}", f"access group {row.access_group}")
                for row in s.companies
                if row.company_no.strip() or row.access_group.strip()
            ]
            sections.append((Step.USER_TABLE, companies or [("Companies", "none yet")]))
        return sections

    def _store_kind(self) -> SecretStoreKind | None:
        return self.state.secret_store or self.session.forced_store

    def _secret_text(self) -> str:
        secret = self.state.secret
        if secret is None:
            return "not entered yet"
        kind = self._store_kind()
        where = (
            self.session.workspace.vault.backend(kind).describe()
            if kind
            else "the OS keyring, if it works here (checked when you save)"
        )
        return f"•••• ({len(secret.get_secret_value())} characters) — stored in {where}"

    def _local_rows(self) -> Rows:
        if not self.state.local_dev_enabled:
            return [("Local development", "not used")]
        try:
            dev = LocalDev(port=int(self.state.port))
        except ValueError:
            return [("Port", f"{self.state.port} (not a valid port)")]
        return [
            ("Initiate login URI", dev.login_uri),
            ("Frontchannel logout URI", dev.logout_uri),
            ("Redirect URI", dev.redirect_uri),
        ]

    # actions -----------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button.startswith("fix-"):
            event.stop()
            self.post_message(GotoStep(Step(event.button.name or Step.REVIEW.value), fix=True))
        elif button.startswith("edit-"):
            event.stop()
            self.post_message(GotoStep(Step(button.removeprefix("edit-"))))

    def next_pressed(self) -> bool:
        """Save (asking first before replacing a saved profile); the screen goes on to the
        Test step when told :class:`ProfileSaved`."""
        self._start_save()
        return True

    def _start_save(self) -> None:
        ws = self.session.workspace
        try:
            profile = self.state.to_profile()
            existing = ws.config.find(profile.name)
        except WizardError as err:
            self._show_error(err)
            return
        if existing is None:
            self._save(profile, None)
            return

        def answered(overwrite: bool | None) -> None:
            if overwrite:
                self._save(profile, existing)

        self.app.push_screen(
            ConfirmScreen(
                f"A profile named [b]{profile.name}[/b] is already saved. Replace its settings "
                "and its secret with these?",
                yes="Overwrite",
            ),
            answered,
        )

    def _save(self, profile: Profile, existing: Profile | None) -> None:
        ws = self.session.workspace
        try:
            store = self._store_kind() or choose_store(None)
            if existing is not None:  # the .env files it wrote still belong to it
                profile = profile.model_copy(
                    update={"env_files": existing.env_files, "created_at": existing.created_at}
                )
            saved = save_profile(ws, profile, self.state.secret, store)
            if existing and existing.secret and existing.secret.store != store:
                ws.vault.delete(existing)  # no stale copy left in the store it moved from
        except SecretStoreError as err:
            self._show_error(err)
            self.post_message(GotoStep(Step.SECRET))
            return
        except WizardError as err:
            self._show_error(err)
            return
        except OSError as err:
            self.notify(str(err.strerror or err), title="Could not save", severity="error")
            return
        self.state.secret_store = store
        self.notify(
            f"Secret in the {ws.vault.describe(saved)}.",
            title=f"Saved profile '{saved.name}'",
        )
        self.post_message(ProfileSaved())

    def _show_error(self, err: WizardError) -> None:
        text = err.message + (f"\n{err.hint}" if err.hint else "")
        self.notify(text, title=err.title, severity="error", timeout=12)
