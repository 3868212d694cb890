r"""Quoting values so python-dotenv 1.x reads back exactly what was written.

How python-dotenv (1.2, ``dotenv/parser.py``) reads a value, and what follows from it:

* bare ``KEY=value``: the rest of the line, minus a `` #comment`` and trailing spaces. Used
  only for plain text (letters, digits, ``_.,:/@%+-``), which every dotenv reader agrees on.
* ``'...'``: may span lines; only ``\\`` and ``\'`` are unescaped. Used when the value
  has no ``'``, ``\``, CR or LF, so the text between the quotes is the value, literally,
  for every dotenv reader (and for sh).
* ``"..."``: ``\\ \' \" \a \b \f \n \r \t \v`` are unescaped. Used for everything
  else, with ``\``, ``"``, LF and CR escaped: each value stays on one line (so the file
  survives text-mode reading, which turns a bare CR into LF).
* Interpolation: with ``interpolate=True`` (the default of ``load_dotenv`` and
  ``dotenv_values``) *every* value, whatever its quotes, has ``${NAME}`` and
  ``${NAME:-default}`` replaced by the variable's value. No quoting prevents that, so such a
  value is written exactly and a warning (:func:`interpolation_warning`) tells the user how
  the reading service can get it verbatim (``interpolate=False``).

python-dotenv is the reference reader. Others differ in details (docker compose expands
``${...}`` outside single quotes too; Node's dotenv unescapes only ``\n`` and ``\r`` in
double quotes), which is why bare and single-quoted spellings are preferred when they fit.

Text no environment variable can hold (NUL) or that is not encodable as UTF-8 (lone
surrogates) is refused with :class:`EnvFileError`.
"""

from __future__ import annotations

import re

from wizard.core.envfile.keys import NAME_RE, EnvValues, reveal
from wizard.core.errors import EnvFileError

_BARE = re.compile(r"[A-Za-z0-9_.,:/@%+\-]+")
_NEEDS_DOUBLE = re.compile(r"['\\\r\n]")
_DOUBLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_DOUBLE_ESCAPE_RE = re.compile(r'[\\"\n\r]')

# python-dotenv's own pattern (dotenv/variables.py); a value it matches is interpolated.
_POSIX_VARIABLE = re.compile(r"\$\{(?P<name>[^\}:]*)(?::-(?P<default>[^\}]*))?\}")


def unwritable_reason(value: str) -> str | None:
    """Why ``value`` cannot be written to an env file at all, or None."""
    if "\x00" in value:
        return "contains a NUL character, which no environment variable can hold"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains text that cannot be saved as UTF-8 (a broken surrogate character)"
    return None


def _refuse(what: str, reason: str) -> EnvFileError:
    return EnvFileError(
        f"{what} {reason}.",
        hint="Check the value (for a secret: copy it again from the Credentials tab of the "
        "Developer Portal) and run the command again.",
    )


def check_values(values: EnvValues) -> None:
    """Raise EnvFileError for a key or value no env file can hold. Never echoes a value."""
    for key, value in values.items():
        if not NAME_RE.fullmatch(key):
            raise EnvFileError(
                f"{key!r} is not a valid environment variable name.",
                hint="Use letters, digits and '_', not starting with a digit.",
            )
        reason = unwritable_reason(reveal(value))
        if reason:
            raise _refuse(key, reason)


def quote_dotenv(value: str) -> str:
    """The dotenv spelling of ``value`` (see the module docstring for the rules)."""
    reason = unwritable_reason(value)
    if reason:
        raise _refuse("The value", reason)
    if _BARE.fullmatch(value):
        return value
    if not _NEEDS_DOUBLE.search(value):
        return f"'{value}'"
    return '"' + _DOUBLE_ESCAPE_RE.sub(lambda m: _DOUBLE_ESCAPES[m.group()], value) + '"'


def quote_shell(value: str) -> str:
    """Single-quote for sh/bash: everything inside is literal; ``'`` becomes ``'\\''``."""
    reason = unwritable_reason(value)
    if reason:
        raise _refuse("The value", reason)
    return "'" + value.replace("'", "'\\''") + "'"


def is_interpolated(value: str) -> bool:
    """True when python-dotenv with ``interpolate=True`` would not read ``value`` verbatim."""
    return _POSIX_VARIABLE.search(value) is not None


def interpolation_warning(key: str, value: str) -> str | None:
    if not is_interpolated(value):
        return None
    return (
        f"{key} contains text of the form ${{NAME}} or ${{NAME:-default}}. The file holds "
        "the exact value, but python-dotenv's load_dotenv() and dotenv_values() expand such "
        "text by default: they replace it with the environment variable NAME (or the "
        "default, or nothing), so your service would read a different value. Load the file "
        "with load_dotenv(interpolate=False) / dotenv_values(interpolate=False), or write "
        "--format json or --format shell instead."
    )


def dotenv_warnings(values: EnvValues) -> list[str]:
    found = (interpolation_warning(k, reveal(v)) for k, v in values.items())
    return [w for w in found if w]
