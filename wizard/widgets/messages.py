"""Messages the wizard's panes, widgets and screens send up ("attributes down, messages up").

A pane asks for another step with :class:`GotoStep`; the onboarding screen that holds it
decides. A screen asks the app to go home or start something with the others; the app
decides. Nothing below the app imports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from wizard.core.onboarding import Onboarding
    from wizard.core.steps import Step


@dataclass
class GotoStep(Message):
    """Show ``step`` of the onboarding this came from; ``fix``: focus its first field that
    is wrong (a Fix button), rather than its first field."""

    step: Step
    fix: bool = False


class GoHome(Message):
    """Back to the welcome screen (the onboarding screen may ask first)."""


class ProfileSaved(Message):
    """Review saved the profile and its secret: on to the Test step."""


class CheckPassed(Message):
    """The Test step's check passed: Done is what comes next."""


class StepChanged(Message):
    """A pane's values changed: the screen re-checks what blocks Next."""


class AppTypeChosen(Message):
    """The app type changed: the later steps' panes show what the old one implied."""


@dataclass
class StartOnboarding(Message):
    """Open a new onboarding screen for ``state`` (a new profile, or a resumed draft)."""

    state: Onboarding


@dataclass
class CheckProfile(Message):
    """Load the saved profile ``name`` and go to its Test step."""

    name: str


class OpenRotation(Message):
    """Open the secret rotation."""


class LeaveToHome(Message):
    """A screen is done (confirmed if it had to ask): the app shows the welcome screen."""
