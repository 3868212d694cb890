"""The welcome screen meets what people and other tools leave behind: a draft of a dotted
profile name, stray files in drafts/, a draft that claims another name, and profile names
(hand-edited into config.toml) holding Rich markup and escapes. It must show them as text,
resume the right draft, and never crash."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Button, OptionList

from tests.ui_helpers import settle, text_of
from wizard.app import WizardApp
from wizard.core.onboarding import Onboarding
from wizard.core.profiles import Workspace
from wizard.core.session import Session
from wizard.core.steps import Step
from wizard.core.visma import AppType
from wizard.screens.pick_profile import PickProfileScreen
from wizard.screens.welcome import WelcomeScreen

MARKUP_NAME = "Fjord [/AS] Bakeri [link=https://evil.test/]x[/link]"


def odd_folder(folder: Path) -> Workspace:
    ws = Workspace(folder)
    state = Onboarding(profile="prod.v2")
    state.choose_app_type(AppType.SERVICE)
    state.app_name = "Dotted"
    ws.drafts.save("prod.v2", Step.REGISTRATION.value, state.to_draft())
    drafts = folder / "drafts"
    (drafts / "notes.txt").write_text("not a draft")
    (drafts / "my draft.json").write_text("{}")
    (drafts / "broken.json").write_text("{not json")
    (drafts / "folder.json").mkdir()
    (drafts / "ok.json").write_text(
        json.dumps({"profile": MARKUP_NAME, "step": "registration", "values": {}})
    )
    (folder / "config.toml").write_text(
        "schema_version = 1\n"
        f'[profiles."{MARKUP_NAME}"]\napp_type = "service"\n'
        '[profiles."x\\u001b]0;pwned\\u0007"]\napp_type = "service"\n',
        encoding="utf-8",
    )
    return ws


async def test_welcome_survives_odd_drafts_and_names_and_resumes_the_dotted_one(
    tmp_path: Path,
) -> None:
    ws = odd_folder(tmp_path / "cfg")
    app = WizardApp(Session(ws))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, WelcomeScreen)
        labels = [str(b.label) for b in app.screen.query(".resume").results(Button)]
        assert any("'prod.v2'" in label for label in labels), labels
        assert any("'ok'" in label for label in labels)  # the file's name, not its claim
        assert not any("evil" in label or "my draft" in label for label in labels)
        saved = text_of(app, "#saved")
        assert MARKUP_NAME in saved and "\x1b" not in saved  # as typed, brackets and all
        buttons = app.screen.query(".resume").results(Button)
        dotted = next(b for b in buttons if "prod.v2" in str(b.label))
        dotted.press()
        await settle(app, pilot)
        assert app.state.profile == "prod.v2"
        assert app.state.step is Step.REGISTRATION and app.state.app_name == "Dotted"


async def test_check_lists_a_markup_name_as_text(tmp_path: Path) -> None:
    ws = odd_folder(tmp_path / "cfg")
    app = WizardApp(Session(ws))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, PickProfileScreen)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert MARKUP_NAME in prompts
        await pilot.press("enter")  # the broken profile is explained, not a crash
        await settle(app, pilot)
        assert app.return_code is None
