"""The test suite's own machinery: work made once per run (tests/once.py), the run order
(slow tests spread over the workers, tests/conftest.py) and the seeded onboarding states the
snapshots start from (tests/ui_seed.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.conftest import run_order, run_plan, workers_of
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


def kind_of(name: str) -> int:
    return {"s": 0, "r": 2}.get(name[0], 1)


def runs(plan: list[str], workers: int) -> list[list[str]]:
    """The runs xdist's worksteal hands out first: near-equal, consecutive."""
    cut, left, start = [], len(plan), 0
    for k in range(workers):
        size = left // (workers - k)
        cut.append(plan[start : start + size])
        start, left = start + size, left - size
    return cut


@pytest.mark.parametrize("workers", [1, 2, 3, 6, 8])
def test_every_worker_starts_on_its_share_of_the_slow_tests(workers: int) -> None:
    tests = [f"t{i:02}" for i in range(40)]
    slow = ["s0", "s1", "s2", "s3", "s4", "s5", "s6"]
    readers = ["r0", "r1"]
    items = [*tests[:10], "r0", *slow[:3], *tests[10:], *slow[3:], "r1"]
    plan = run_plan(items, workers, kind_of)
    assert sorted(plan) == sorted(items)  # nothing lost, nothing twice
    assert plan[-2:] == readers  # what a slow test made is read last
    cut = runs(plan, workers)
    for k, run in enumerate(cut):
        mine = slow[k::workers]
        assert run[: len(mine)] == mine, (k, run)  # its slow tests first, at once
        assert not set(run[len(mine) :]) & set(slow)
    assert [t for t in plan if t.startswith("t")] == tests  # the rest keep their order


def test_the_run_is_planned_with_the_slow_tests_spread(request: pytest.FixtureRequest) -> None:
    items = request.session.items
    kinds = [run_order(item) for item in items]
    shares = []
    for run in runs([str(kind) for kind in kinds], workers_of(request.config)):
        head = len(run) - len("".join(run).lstrip("0"))
        assert "0" not in run[head:], run  # a run's slow tests come first
        shares.append(head)
    assert max(shares) - min(shares) <= 1  # and are spread evenly
    late = kinds.count(2)
    assert kinds[len(kinds) - late :] == [2] * late  # readers of a slow test's work: last
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
