"""The result family every report shares: one stage's outcome and one failure's explanation.

The check (:mod:`wizard.core.checks`) and the web sign-in (:mod:`wizard.core.oidc.results`)
report their stages as :class:`StageResult` and their failure as :class:`ErrorInfo`. The CLI
text, ``--json`` and the UI all render these same objects; JSON is made from them only at the
very edge (``model_dump(mode="json")``), in the shape the README documents.
"""

from __future__ import annotations

import time

from pydantic import BaseModel

from wizard.core.errors import WizardError
from wizard.core.exitcodes import ExitCode


class StageResult(BaseModel):
    """One stage of a report: its name, whether it passed or was skipped, what it found."""

    name: str
    ok: bool
    skipped: bool = False
    detail: str
    seconds: float


class ErrorInfo(BaseModel):
    """A :class:`~wizard.core.errors.WizardError` as data: what failed, why, what to do."""

    error: str
    title: str
    message: str
    hint: str | None = None
    step: str | None = None
    exit_code: int = int(ExitCode.CONFIG)

    @classmethod
    def from_error(cls, err: WizardError) -> ErrorInfo:
        """The error's own :meth:`~wizard.core.errors.WizardError.to_dict`, typed."""
        return cls.model_validate(err.to_dict())


def stage_since(
    name: str, started: float, ok: bool, detail: str, *, skipped: bool = False
) -> StageResult:
    """The :class:`StageResult` of a stage begun at ``started`` (``time.perf_counter()``)."""
    seconds = round(time.perf_counter() - started, 3)
    return StageResult(name=name, ok=ok, skipped=skipped, detail=detail, seconds=seconds)


class Stopwatch:
    """Times one stage from its creation; :meth:`result` makes its :class:`StageResult`."""

    def __init__(self, name: str) -> None:
        self.name, self.started = name, time.perf_counter()

    def result(self, ok: bool, detail: str, *, skipped: bool = False) -> StageResult:
        return stage_since(self.name, self.started, ok, detail, skipped=skipped)
