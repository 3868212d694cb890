"""Dispatch a command line to its command, and turn every failure into a message + exit code."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable

from wizard.cli.options import CommonOptions, from_namespace
from wizard.cli.output import report_error, safe_streams
from wizard.core.errors import WizardError
from wizard.core.exitcodes import ExitCode
from wizard.core.fserrors import file_system_error

_SECRET_FLAGS = ("--secret", "--client-secret", "--secret=", "--client-secret=")


def _refuse_secret_in_argv(argv: list[str]) -> bool:
    for arg in argv:
        if arg in _SECRET_FLAGS[:2] or arg.startswith(_SECRET_FLAGS[2:]):
            print(
                "error: secrets are never accepted as command-line arguments (other users can "
                "read them in the process list).\n"
                "  what to do: pipe the secret in with --secret-stdin, e.g.\n"
                "    bnxt-wizard init ... --secret-stdin < secret.txt\n"
                "  or set BNXT_CLIENT_SECRET in the environment.",
                file=sys.stderr,
            )
            return True
    return False


def run(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if _refuse_secret_in_argv(args_list):
        return ExitCode.USAGE
    from wizard.cli.commands import find
    from wizard.cli.parser import build_parser

    namespace = build_parser().parse_args(args_list)
    command = find(namespace.command)
    options = from_namespace(command.options, namespace)  # the Namespace ends here
    # Textual draws through sys.__stderr__ and captures sys.stdout itself: the wrappers
    # only ever see what the commands print.
    with safe_streams():
        return _guarded(command.load, options)


def _guarded(load: Callable[[], Callable[[CommonOptions], int]], options: CommonOptions) -> int:
    """Import and run the command; every failure becomes a message and a documented exit code."""
    as_json = options.json
    try:
        code = int(load()(options))
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except WizardError as err:
        return _report(err, as_json)
    except KeyboardInterrupt:
        print("interrupted; nothing more was written.", file=sys.stderr)
        return 130
    except OSError as exc:
        typed = file_system_error(exc, exc.filename, action="use")
        if typed is not None:
            return _report(typed, as_json)
        return _bug(exc)
    except Exception as exc:  # a bug: say so plainly, no traceback unless asked for
        return _bug(exc)


def _report(err: WizardError, as_json: bool) -> int:
    try:
        report_error(err, as_json=as_json)
        sys.stdout.flush()
    except BrokenPipeError:
        return _quiet_broken_pipe()
    return int(err.exit_code)


def _quiet_broken_pipe() -> int:
    """Whoever read our output stopped (``bnxt-wizard profiles | head -1``): say nothing and
    exit 141, the status a shell shows for git or coreutils ended by SIGPIPE. stdout is
    pointed at /dev/null so the interpreter's last flush cannot complain either."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(devnull)
    return ExitCode.BROKEN_PIPE


def _bug(exc: BaseException) -> int:
    if os.environ.get("BNXT_WIZARD_DEBUG"):
        raise exc
    print(
        f"error: unexpected {type(exc).__name__}. This is a bug in bnxt-wizard.\n"
        "  what to do: run again with BNXT_WIZARD_DEBUG=1 to see the details, and report it.",
        file=sys.stderr,
    )
    return ExitCode.CONFIG
