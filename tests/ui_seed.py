"""The demo walk's screens reached from a seeded onboarding state instead of walked to.

A snapshot of step N need not replay steps 1 to N-1 through the UI: the onboarding state the
walk leaves on arriving at a step is built here directly (``seeded_state``), the onboarding
screen is started on it, and only what the newcomer does on that screen itself is played
(``wizard.screens.tour.STOPS``). The one full walk stays in ``tests/ui/test_tour.py``, which
also checks that these states are the ones the walk leaves (``test_seeds_match_the_walk``).
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from wizard.app import WizardApp
from wizard.core.models import SecretStoreKind
from wizard.core.onboarding import (
    INTEGRATION_CHECKS,
    REGISTRATION_CHECKS,
    USER_TABLE_STEP_COUNT,
    CompanyRow,
    Onboarding,
)
from wizard.core.profiles import save_profile
from wizard.core.session import DemoInfo
from wizard.core.steps import Step
from wizard.core.visma import AppType
from wizard.screens.tour import STOPS, walk_rotation, walk_stops


def _app_type(state: Onboarding, demo: DemoInfo) -> None:
    state.choose_app_type(AppType.SERVICE, endpoints=demo.endpoints(AppType.SERVICE))


def _registration(state: Onboarding, demo: DemoInfo) -> None:
    state.app_name = "Invoice sync"
    state.client_id = demo.client_id
    state.description = "Posts approved invoices to Business NXT"
    state.registration_checks = [True] * len(REGISTRATION_CHECKS)


def _integration(state: Onboarding, demo: DemoInfo) -> None:
    state.integration_checks = [True] * len(INTEGRATION_CHECKS)


def _secret(state: Onboarding, demo: DemoInfo) -> None:
    state.secret = demo.secret


def _user_table(state: Onboarding, demo: DemoInfo) -> None:
    state.user_table_checks = [True] * USER_TABLE_STEP_COUNT
    state.companies = [CompanyRow(company_no=str(no), access_group=g) for no, g in demo.companies]


# what the walk fills in on each step (the local URIs: the switch is turned off again)
FILLS = {
    Step.APP_TYPE: _app_type,
    Step.REGISTRATION: _registration,
    Step.INTEGRATION: _integration,
    Step.SECRET: _secret,
    Step.USER_TABLE: _user_table,
}


def seeded_state(demo: DemoInfo, step: Step, store: SecretStoreKind | None) -> Onboarding:
    """The onboarding as the demo walk leaves it on arriving at ``step`` of a service
    (``store``: the session's forced secret store, which the Secret step records)."""
    state = Onboarding(profile="default")
    for earlier in list(Step)[: list(Step).index(step)]:
        fill = FILLS.get(earlier)
        if fill is not None:
            fill(state, demo)
        if earlier is Step.SECRET:
            state.secret_store = store
    state.step = step
    return state


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def start_at(pilot: Pilot[Any], screen: str) -> None:
    """Show ``screen`` of the demo walk (``wizard.screens.tour.SCREENS``) as the walk would:
    seeded at the nearest step before it that holds no saved profile yet, then the walk
    from there (so the Test step's pictures still save through Review and run the check)."""
    app: WizardApp = pilot.app  # type: ignore[assignment]
    demo = app.session.demo
    assert demo is not None, "a demo session"
    await settle(pilot)
    if screen == "01-welcome":
        app.clear_notifications()
        await pilot.pause()
        return
    names = [stop.name for stop in STOPS]
    first = max(i for i in range(names.index(screen) + 1) if STOPS[i].step is not Step.TEST)
    app.start_onboarding(seeded_state(demo, STOPS[first].step, app.session.forced_store))
    await settle(pilot)
    await walk_stops(pilot, STOPS[first:], upto=screen)


async def start_rotation(pilot: Pilot[Any]) -> None:
    """Rotation's screen with the demo's next secret pasted, over the demo profile saved
    as the walk saves it (its secret in the session's store)."""
    app: WizardApp = pilot.app  # type: ignore[assignment]
    demo = app.session.demo
    assert demo is not None, "a demo session"
    store = app.session.forced_store or "file"
    state = seeded_state(demo, Step.TEST, store)
    save_profile(app.workspace, state.to_profile(), state.secret, store)
    await settle(pilot)
    await walk_rotation(pilot)
