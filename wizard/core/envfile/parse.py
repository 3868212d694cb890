r"""A mirror of python-dotenv 1.x's grammar, so a merge sees a file exactly as its reader will.

python-dotenv is only a test dependency, so its grammar (``dotenv/parser.py``) is restated
here. A merge needs it to split a file into bindings without mistaking a line inside a
multi-line quoted value for a key, and to re-read its own result before writing it.
``tests/unit/test_envfile_props.py`` checks this mirror against python-dotenv on arbitrary text.

The text is cut into :class:`Chunk` s whose ``text`` fields, joined, give back the input
exactly: blank stretches, a leading BOM, comments, bindings and unparseable lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ANY_SPACE = re.compile(r"\s*")
_SPACE = re.compile(r"[^\S\r\n]*")
_EXPORT = re.compile(r"(?:export[^\S\r\n]+)?")
_SINGLE_QUOTED_KEY = re.compile(r"'([^']+)'")
_UNQUOTED_KEY = re.compile(r"([^=\#\s]+)")
_EQUAL_SIGN = re.compile(r"=[^\S\r\n]*")
_SINGLE_QUOTED = re.compile(r"'((?:\\.|[^'\\])*)'", re.DOTALL)
_DOUBLE_QUOTED = re.compile(r'"((?:\\.|[^"\\])*)"', re.DOTALL)
_UNQUOTED = re.compile(r"[^\r\n]*")
_INLINE_COMMENT = re.compile(r"\s+#.*")
_COMMENT = re.compile(r"(?:[^\S\r\n]*#[^\r\n]*)?")
_END_OF_LINE = re.compile(r"[^\S\r\n]*(\r\n|\n|\r|$)")
_REST_OF_LINE = re.compile(r"[^\r\n]*(?:\r|\n|\r\n)?")
_SINGLE_ESCAPES = re.compile(r"\\[\\']")
_DOUBLE_ESCAPES = re.compile(r"\\[\\'\"abfnrtv]")
_UNESCAPE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
NEWLINE = re.compile(r"\r\n|\n|\r")


@dataclass(frozen=True)
class Chunk:
    """One piece of a .env file. ``key`` is None for anything that is not a binding."""

    text: str
    line: int
    key: str | None = None
    value: str | None = None  # None: the key has no '=' at all
    indent: str = ""
    export: str = ""  # "export " as written, or ""
    comment: str = ""  # an inline comment after the value, with its leading space
    newline: str = ""  # the line ending that closed the binding ("" at end of text)
    error: bool = False  # python-dotenv could not parse it and skips it


class _Unparseable(Exception):
    def __init__(self, pos: int) -> None:
        self.pos = pos


def _need(regex: re.Pattern[str], text: str, pos: int) -> re.Match[str]:
    match = regex.match(text, pos)
    if match is None:
        raise _Unparseable(pos)
    return match


def _unescape_double(match: re.Match[str]) -> str:
    char = match.group()[1]
    return _UNESCAPE.get(char, char)


def _value(text: str, pos: int) -> tuple[str, int, str]:
    """(value, end, inline comment) for the value starting at ``pos``."""
    char = text[pos : pos + 1]
    if char == "'":
        m = _need(_SINGLE_QUOTED, text, pos)
        return _SINGLE_ESCAPES.sub(lambda e: e.group()[1], m.group(1)), m.end(), ""
    if char == '"':
        m = _need(_DOUBLE_QUOTED, text, pos)
        return _DOUBLE_ESCAPES.sub(_unescape_double, m.group(1)), m.end(), ""
    if char in ("", "\n", "\r"):
        return "", pos, ""
    part = _need(_UNQUOTED, text, pos).group()
    cut = _INLINE_COMMENT.search(part)
    value = part[: cut.start()] if cut else part
    return value.rstrip(), pos + len(part), part[cut.start() :] if cut else ""


def _binding(text: str, start: int, line: int) -> Chunk:
    pos = _SPACE.match(text, start).end()  # type: ignore[union-attr]
    indent = text[start:pos]
    export = _need(_EXPORT, text, pos).group()
    pos += len(export)
    key: str | None = None
    if text[pos : pos + 1] != "#":
        regex = _SINGLE_QUOTED_KEY if text[pos : pos + 1] == "'" else _UNQUOTED_KEY
        m = _need(regex, text, pos)
        key, pos = m.group(1), m.end()
    pos = _need(_SPACE, text, pos).end()
    value: str | None = None
    comment = ""
    if text[pos : pos + 1] == "=":
        equal_sign = _need(_EQUAL_SIGN, text, pos).group()
        pos += len(equal_sign)
        if len(equal_sign) > 1 and text[pos : pos + 1] == "#":
            value = ""
        else:
            value, pos, comment = _value(text, pos)
    m = _need(_COMMENT, text, pos)
    comment, pos = comment + m.group(), m.end()
    m = _need(_END_OF_LINE, text, pos)
    return Chunk(text[start : m.end()], line, key, value, indent, export, comment, m.group(1))


def _next_chunk(text: str, pos: int, line: int) -> Chunk:
    space = _ANY_SPACE.match(text, pos).group()  # type: ignore[union-attr]
    if pos + len(space) == len(text):
        return Chunk(space, line)
    blank = max(space.rfind("\n"), space.rfind("\r")) + 1
    if blank:
        return Chunk(space[:blank], line)
    try:
        return _binding(text, pos, line)
    except _Unparseable as err:
        end = _REST_OF_LINE.match(text, err.pos).end()  # type: ignore[union-attr]
        return Chunk(text[pos:end], line, error=True)


def parse_chunks(text: str) -> list[Chunk]:
    chunks: list[Chunk] = []
    pos, line = 0, 1
    if text.startswith("\ufeff"):
        chunks.append(Chunk("\ufeff", line))
        pos = 1
    while pos < len(text):
        chunk = _next_chunk(text, pos, line)
        chunks.append(chunk)
        pos += len(chunk.text)
        line += len(NEWLINE.findall(chunk.text))
    return chunks


def parsed_values(text: str) -> dict[str, str | None]:
    """What ``dotenv_values(stream=..., interpolate=False)`` returns for ``text``."""
    found: dict[str, str | None] = {}
    for chunk in parse_chunks(text):
        if chunk.key is not None:
            found[chunk.key] = chunk.value
    return found
