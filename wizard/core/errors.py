"""Typed errors with a human title, an explanation and the step to revisit.

Hierarchy::

    WizardError                 every failure the user can be told about
    ├── ConfigError             config file missing, unreadable, corrupt       (exit 1)
    ├── ValidationFailed        input that breaks a rule                         (exit 1)
    ├── SecretStoreError        keyring / secrets file / environment problems    (exit 1)
    ├── EnvFileError            refusing or failing to write a .env file         (exit 1)
    ├── FileSystemError         disk full, read-only file system, no permission  (exit 8)
    └── ConnectError            anything that went wrong talking to Visma
        ├── NetworkError        connection refused, DNS, TLS, timeout            (exit 5)
        ├── HttpStatusError     an unexpected HTTP status                        (exit 5)
        ├── MalformedResponse   an answer that is not what the protocol says     (exit 5)
        ├── OAuthError          an RFC 6749 error code (exit 3 or 4 by code)
        └── GraphQLError        GraphQL errors, User-table problems              (exit 6)
    SignInError                 browser sign-in failed, refused, cancelled, timed out (exit 7)

No message, title or hint ever contains a secret: callers pass only non-secret values.
"""

from __future__ import annotations

from wizard.core.exitcodes import ExitCode
from wizard.core.steps import Step


class WizardError(Exception):
    exit_code: ExitCode = ExitCode.CONFIG
    default_title = "Something went wrong"

    def __init__(
        self,
        message: str,
        *,
        title: str | None = None,
        hint: str | None = None,
        step: Step | None = None,
        exit_code: ExitCode | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.title = title or self.default_title
        self.hint = hint
        self.step = step
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def to_dict(self) -> dict[str, object]:
        return {
            "error": type(self).__name__,
            "title": self.title,
            "message": self.message,
            "hint": self.hint,
            "step": self.step.value if self.step else None,
            "exit_code": int(self.exit_code),
        }


class ConfigError(WizardError):
    default_title = "Configuration problem"


class ValidationFailed(WizardError):
    default_title = "Invalid input"

    def __init__(self, problems: list[str], *, step: Step | None = None) -> None:
        self.problems = problems
        super().__init__("; ".join(problems), step=step)


class SecretStoreError(WizardError):
    default_title = "Secret storage problem"


class EnvFileError(WizardError):
    default_title = "Cannot write the .env file"


class FileSystemError(WizardError):
    """The operating system refused a file operation for a reason the user can fix (see
    :func:`wizard.core.fserrors.file_system_error`). ``errno`` is the OSError's number."""

    exit_code = ExitCode.FILE_SYSTEM
    default_title = "File system problem"

    def __init__(self, message: str, *, errno: int, **kw: object) -> None:
        self.errno = errno
        super().__init__(message, **kw)  # type: ignore[arg-type]


class ConnectError(WizardError):
    exit_code = ExitCode.NETWORK
    default_title = "Visma Connect request failed"


class NetworkError(ConnectError):
    default_title = "Network problem"


class HttpStatusError(ConnectError):
    default_title = "Unexpected HTTP status"

    def __init__(self, message: str, *, status_code: int, **kw: object) -> None:
        self.status_code = status_code
        super().__init__(message, **kw)  # type: ignore[arg-type]


class MalformedResponse(ConnectError):
    default_title = "Unexpected answer"


class OAuthError(ConnectError):
    default_title = "Token request refused"

    def __init__(self, message: str, *, code: str, **kw: object) -> None:
        self.code = code
        super().__init__(message, **kw)  # type: ignore[arg-type]


class GraphQLError(ConnectError):
    exit_code = ExitCode.GRAPHQL
    default_title = "GraphQL problem"


class SignInError(WizardError):
    exit_code = ExitCode.SIGN_IN
    default_title = "Sign-in failed"
