"""argparse that never echoes a value: any argument could be a mistyped secret.

argparse's own messages quote what was typed (``unrecognized arguments: --secre=S``,
``argument --secret-stdin: ignored explicit argument 'S'``, ``invalid choice: 'S'``). A
secret typed by mistake would then land on the screen, in the scrollback and in CI logs.
:class:`QuietParser` rewrites every such message to name only the option, never the value,
and turns off prefix matching (``--secre`` for ``--secret-stdin``), which can hide a typo.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

from wizard.core.text import sanitize

_OPTION_NAME = re.compile(r"--?[A-Za-z][A-Za-z0-9-]{0,40}")
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def _unrecognized(rest: str) -> str:
    words = rest.split(" ")
    names = [w.split("=", 1)[0] for w in words if w.startswith("--") or w.startswith("-")]
    shown = [n for n in names if _OPTION_NAME.fullmatch(n)]
    hidden = len(words) - len(shown)
    text = "unrecognized arguments"
    if shown:
        text += ": " + " ".join(dict.fromkeys(shown))
    if hidden:
        text += f" ({'and ' if shown else ''}{hidden} value{'s' if hidden > 1 else ''} not shown)"
    return text


def scrub(message: str) -> str:
    """``message`` with every typed value left out (option names and our choices stay)."""
    if message.startswith("unrecognized arguments: "):
        return _unrecognized(message.removeprefix("unrecognized arguments: "))
    head, sep, _tail = message.partition(": ignored explicit argument")
    if sep:
        return f"{head}: takes no value (leave out the '=...')"
    if "invalid choice:" in message:
        head = message.partition("invalid choice:")[0]
        choices = message.rfind(" (choose from ")
        return head + "invalid choice" + (message[choices:] if choices >= 0 else "")
    value_error = re.match(r"(argument [^:]+: invalid [\w ]*?value):", message)
    if value_error:
        return value_error.group(1)
    ambiguous = re.match(r"ambiguous option: ([^=\s]+)\S* could match (.*)", message, re.DOTALL)
    if ambiguous:
        return f"ambiguous option: {ambiguous.group(1)} could match {ambiguous.group(2)}"
    return _QUOTED.sub("(value not shown)", message)


class QuietParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors never quote a typed value; no abbreviations."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {sanitize(scrub(message))}\n")
