"""A kept step screen must know every state field it shows or edits (its ``WATCHES``).

Step screens outlive their visit (wizard/screens/step_cache.py) and are shown again only
while the fields in ``WATCHES`` are unchanged; a field read but not watched would let a
reused screen show, and write back, a stale value. This reads each step module's source
for the Onboarding fields it touches (``self.state.X``, or ``s.X`` with ``s = self.state``)
and checks each is watched, or refreshed by the screen's own ``sync``.
"""

from __future__ import annotations

import inspect
import re
import sys

import pytest

from wizard.core.onboarding import Onboarding
from wizard.core.steps import Step
from wizard.screens.step_cache import screen_class

FIELDS = set(Onboarding.model_fields)
USE = re.compile(r"(?:self\.state|\bs)\.([a-z_]+)\b")
# Fields a screen shows but refreshes in its sync() on every visit, so need not watch.
SYNCED: dict[str, set[str]] = {
    "ReviewScreen": FIELDS,  # the summary of everything: sync() redraws every section
    "SecretScreen": {"client_id"},  # the findings (a secret equal to the client ID, ...)
}


# the steps whose screen can be shown twice (the Test step's is shown once per build)
KEPT = [step for step in Step if screen_class(step).REUSABLE and not screen_class(step).ONE_VISIT]


@pytest.mark.parametrize("step", KEPT, ids=lambda step: step.value)
def test_every_field_a_step_screen_reads_is_watched(step: Step) -> None:
    cls = screen_class(step)
    used = set(USE.findall(inspect.getsource(sys.modules[cls.__module__]))) & FIELDS
    missing = used - cls.WATCHES - SYNCED.get(cls.__name__, set()) - {"step"}
    assert not missing, f"{cls.__name__} reads {sorted(missing)} but does not watch them"


def test_only_the_test_step_is_shown_once() -> None:
    assert [step for step in Step if step not in KEPT] == [Step.TEST]


def test_the_check_finds_reads() -> None:
    """The pattern above does see a screen's reads (so the test above can fail)."""
    cls = screen_class(Step.REGISTRATION)
    used = set(USE.findall(inspect.getsource(sys.modules[cls.__module__]))) & FIELDS
    assert {"profile", "app_name", "client_id", "description"} <= used
