"""URIs, scopes and client IDs are never broken mid-token, at any terminal size (issue 10,
What to build 3): each is shown whole on one line, or cut with an ellipsis where a Copy
button holds all of it, or scrolls sideways.

The check reads what each widget renders, line by line: a token that is not on any one line,
but is there once the lines are joined, was folded across two.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from textual.app import App
from textual.widget import Widget

from tests.ui_helpers import pane_of, settle
from wizard.app import WizardApp
from wizard.core.models import LocalDev
from wizard.core.onboarding import CompanyRow, Onboarding
from wizard.core.profiles import Workspace
from wizard.core.session import Session
from wizard.core.steps import Step
from wizard.core.visma import AppType
from wizard.launch import demo_info
from wizard.screens.tour import walk_all
from wizard.simulator import Simulator
from wizard.widgets.copy_row import CopyRow


def widget_lines(app: App[int]) -> Iterator[tuple[Widget, list[str]]]:
    """Every shown leaf widget on screen with the lines it renders (scrolled out of view
    or not)."""
    for widget in app.screen.query("*"):
        if widget.children or not widget.display or not widget.size.area:
            continue
        yield widget, [widget.render_line(y).text for y in range(widget.size.height)]


def split_tokens(app: App[int], tokens: set[str]) -> list[str]:
    found = []
    for widget, lines in widget_lines(app):
        joined = "".join(line.strip() for line in lines)
        for token in tokens:
            if token in joined and not any(token in line for line in lines):
                found.append(f"{token!r} folded in {widget!r}")
    return found


def shown_whole(app: App[int], token: str, selector: str) -> bool:
    widgets = set(app.screen.query(selector))
    return any(token in line for w, lines in widget_lines(app) if w in widgets for line in lines)


def tokens_of(state: Onboarding) -> set[str]:
    found = {state.client_id, state.token_url, state.graphql_url, *state.scope.split()}
    if state.port.strip().isdigit():
        dev = LocalDev(port=int(state.port))
        found |= {dev.login_uri, dev.logout_uri, dev.redirect_uri}
    return {token for token in found if len(token) > 4}


def web_state() -> Onboarding:
    state = Onboarding(profile="dev", step=Step.REVIEW)
    state.choose_app_type(AppType.WEB)
    state.app_name = "Invoice sync"
    state.client_id = "isv_invoice-sync"
    state.description = "Posts invoices"
    state.registration_checks = [True] * len(state.registration_checks)
    state.integration_checks = [True] * len(state.integration_checks)
    state.secret = SecretStr("S3cr3t-v4lue-for-tests")
    state.local_dev_enabled = True
    state.port = "50001"
    state.companies = [CompanyRow(company_no="5280101", access_group="Readers")]
    return state


@contextlib.asynccontextmanager
async def web_onboarding(
    tmp_path: Path, size: tuple[int, int], step: Step = Step.REVIEW
) -> AsyncIterator[tuple[WizardApp, Onboarding]]:
    """The app showing ``step`` of :func:`web_state`'s onboarding, settled."""
    app = WizardApp(Session(Workspace(tmp_path / "cfg"), forced_store="file"))
    async with app.run_test(size=size) as pilot:
        state = web_state()
        state.step = step
        app.start_onboarding(state)
        await settle(app, pilot)
        yield app, state


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (200, 50)])
async def test_review_shows_every_uri_and_scope_whole(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    async with web_onboarding(tmp_path, size) as (app, state):
        tokens = tokens_of(state)
        assert len(tokens) >= 8
        assert split_tokens(app, tokens) == []
        for token in tokens:  # the Review is where they are read over: whole, not cut
            assert shown_whole(app, token, ".section-rows"), token


async def test_no_token_is_folded_anywhere_in_the_walk_at_60x20(tmp_path: Path) -> None:
    seen: list[str] = []
    with Simulator() as sim:
        session = Session(Workspace(tmp_path / "cfg"), demo=demo_info(sim), forced_store="file")
        app = WizardApp(session)
        async with app.run_test(size=(60, 20)) as pilot:

            async def snap(name: str) -> None:
                await pilot.pause()
                seen.append(name)
                assert split_tokens(app, tokens_of(app.state)) == [], name
                cut = [line for _, lines in widget_lines(app) for line in lines if "…" in line]
                assert cut == [], name  # nothing ends in an ellipsis either
                if name == "09-test":  # the example commands scroll sideways, whole
                    assert shown_whole(app, app.state.scope, "#example-code")
                    assert shown_whole(app, app.state.token_url, "#example-code")

            await walk_all(pilot, snap)
    assert "08-review" in seen and "09-test" in seen and "11-rotate" in seen


@pytest.mark.parametrize("width", [60, 70])
@pytest.mark.parametrize("step", [Step.LOCAL_URIS, Step.INTEGRATION])
async def test_values_to_copy_are_whole_at_60x20(tmp_path: Path, step: Step, width: int) -> None:
    """Under 80 columns a value to copy goes under its label: the URIs and the scope the
    user types into the portal are shown whole, not cut to their host."""
    async with web_onboarding(tmp_path, (width, 20), step) as (app, _):
        rows = list(pane_of(app).query(CopyRow))
        shown = [row.value for row in rows if row.value and row.display]
        assert len(shown) >= (3 if step is Step.LOCAL_URIS else 2)
        for value in shown:
            assert shown_whole(app, value, ".copy-value"), value


@pytest.mark.parametrize("width", [60, 70, 100])
async def test_the_portal_address_is_whole_at_every_width(tmp_path: Path, width: int) -> None:
    """Beside its button where it fits; under it below 80 columns (it was cut there)."""
    from wizard.core.visma import PORTAL_URL

    async with web_onboarding(tmp_path, (width, 20), Step.REGISTRATION) as (app, _):
        assert shown_whole(app, PORTAL_URL, "#portal-url")


async def test_review_section_titles_wrap_rather_than_cut(tmp_path: Path) -> None:
    async with web_onboarding(tmp_path, (60, 20)) as (app, _):
        titles = list(pane_of(app).query(".section-title"))
        assert any(title.size.height > 1 for title in titles)  # 60 columns: some wrap
        for title in titles:
            head = title.parent
            assert isinstance(head, Widget)
            assert title.region.bottom <= head.region.bottom  # none of its lines clipped


@pytest.mark.parametrize(("first", "then"), [(60, 100), (80, 60), (120, 70)])
async def test_the_app_type_choices_are_never_cut(tmp_path: Path, first: int, then: int) -> None:
    """Where the long label would end in an ellipsis, the short one is shown (the grant is
    in the card under the choices); it follows the terminal when it is resized."""
    from textual.widgets import RadioButton

    from wizard.screens.app_type import LABELS

    app = WizardApp(Session(Workspace(tmp_path / "cfg")))
    async with app.run_test(size=(first, 24)) as pilot:
        await pilot.press("n")
        await settle(app, pilot)
        for width in (first, then):
            await pilot.resize_terminal(width, 24)
            await settle(app, pilot)
            await pilot.pause()
            drawn = "".join(line for _, lines in widget_lines(app) for line in lines)
            for app_type, (long_label, short_label) in LABELS.items():
                radio = app.screen.query_one(f"#{app_type.value}", RadioButton)
                want = str(radio.label)
                assert want in (long_label, short_label)
                assert want == {60: short_label, 80: long_label}.get(width, want), width
                assert want in drawn and "…" not in radio.render_line(0).text, width


async def test_what_is_missing_wraps_rather_than_cut_at_60x20(tmp_path: Path) -> None:
    from textual.widgets import RadioButton, Static

    app = WizardApp(Session(Workspace(tmp_path / "cfg")))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("n")
        await settle(app, pilot)
        app.screen.query_one("#service", RadioButton).value = True
        await pilot.pause()
        await pilot.press("ctrl+n")  # Registration, nothing filled in yet
        await settle(app, pilot)
        problems = app.screen.query_one("#problems", Static)
        said = " ".join(str(problems.render()).split())
        drawn = [problems.render_line(y).text for y in range(problems.size.height)]
        assert said.startswith("• ") and len(said) > 56  # longer than the line
        assert " ".join(" ".join(drawn).split()) == said  # all of it, over several lines
        assert problems.size.height > 1 and not any("…" in line for line in drawn)
