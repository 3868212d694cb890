"""Textual validators that wrap the core's pure rule functions (one rule, one function)."""

from __future__ import annotations

from collections.abc import Callable

from textual.validation import ValidationResult, Validator

from wizard.core.validation import Finding


class RuleValidator(Validator):
    """Fails with the first error message the core rule returns for the value."""

    def __init__(self, rule: Callable[[str], list[Finding]]) -> None:
        super().__init__()
        self.rule = rule

    def validate(self, value: str) -> ValidationResult:
        errors = [f.message for f in self.rule(value) if f.is_error]
        if errors:
            return self.failure(errors[0])
        return self.success()
