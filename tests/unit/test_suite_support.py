"""The test suite's own machinery: work made once per run (tests/once.py), the run order
(slow tests first, tests/conftest.py) and the seeded onboarding states the snapshots start
from (tests/ui_seed.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.conftest import run_order
from tests.once import once_per_run
from tests.ui_seed import seeded_state
from wizard.core.session import DemoInfo
from wizard.core.steps import Step
from wizard.launch import demo_info
from wizard.simulator import Simulator


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoInfo]:
    with Simulator() as sim:
        yield demo_info(sim)


def test_once_per_run_makes_it_once_for_every_worker(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    made: list[int] = []

    def make() -> str:
        made.append(1)
        return f"figures {len(made)}"

    name = f"once-{uuid.uuid4().hex}.txt"  # this run's shared folder: a name of its own
    seen = [once_per_run(tmp_path_factory, worker, name, make) for worker in ("gw0", "gw1")]
    assert seen == ["figures 1", "figures 1"] and len(made) == 1
    # without workers there is nothing to share: made each time it is asked for
    assert once_per_run(tmp_path_factory, "master", name, make) == "figures 2"


def test_slow_tests_run_first_and_readers_of_their_work_last(
    request: pytest.FixtureRequest,
) -> None:
    items = request.session.items
    order = [run_order(item) for item in items]
    assert order == sorted(order)  # 0 slow, 1 the rest, 2 tests reading what a slow one made
    slow = [item.nodeid for item in items if item.get_closest_marker("slow")]
    if slow:  # (all of them, when the whole suite runs)
        assert [item.nodeid for item in items[: len(slow)]] == slow
    for item in items:
        if "figures" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("slow"):
            assert run_order(item) == 2, item.nodeid


@pytest.mark.parametrize("step", list(Step), ids=lambda s: s.value)
def test_a_seeded_state_is_complete_up_to_its_step(demo: DemoInfo, step: Step) -> None:
    """What the walk filled in before ``step`` is there, and nothing blocks those steps."""
    state = seeded_state(demo, step, "file")
    assert state.step is step
    order = state.steps()
    for earlier in order[: order.index(step)]:
        assert state.problems(earlier) == [], earlier
    if step is Step.REVIEW:  # everything before Review: the profile it saves can be built
        profile = state.to_profile()
        assert profile.client_id == demo.client_id
        assert [c.company_no for c in profile.companies] == [no for no, _ in demo.companies]
    if step in (Step.APP_TYPE, Step.REGISTRATION):
        assert state.secret is None  # pasted on the Secret step, not before
