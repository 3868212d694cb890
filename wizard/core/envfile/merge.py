"""Merging our keys into an existing .env file without disturbing anything else.

The rules, so a user can predict the result:

* Every line that is not one of our keys stays byte for byte, in order: comments, blank
  lines, other keys (even multi-line quoted ones), lines python-dotenv cannot parse.
* Only the keys in ``values`` are ours. A key of ours already in the file is replaced where
  it first appears, keeping its indentation, its ``export`` and its inline comment. Later
  copies are removed (python-dotenv keeps the *last* copy, which would hide the new value),
  and a warning names their line numbers.
* Keys not yet in the file go right after the last of our keys that is there; when none is,
  they are appended at the end after a blank line and a ``# Visma Business NXT ...`` header.
* The file's line ending (of its first line) is used for new lines, and the result ends with
  a newline exactly when the old text did.
* The result is re-read with the python-dotenv grammar before it is returned; if any of our
  keys would not read back exactly (an unterminated quote earlier in the file can swallow
  the lines after it), nothing is written and EnvFileError says which line to fix.

Merging the same values twice gives the same text as merging once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wizard.core.envfile.keys import EnvValues, reveal
from wizard.core.envfile.parse import NEWLINE, Chunk, parse_chunks, parsed_values
from wizard.core.envfile.quoting import check_values, quote_dotenv
from wizard.core.envfile.render import dotenv_line, header, render_dotenv
from wizard.core.errors import EnvFileError


@dataclass(frozen=True)
class MergeResult:
    text: str
    warnings: list[str] = field(default_factory=list)


def _line_ending(text: str) -> str:
    found = NEWLINE.search(text)
    return found.group() if found else "\n"


def _ends_with_newline(text: str) -> bool:
    return text.endswith(("\n", "\r"))


def _strip_final_newline(text: str) -> str:
    return text.removesuffix("\n").removesuffix("\r")


def _last_line_blank(text: str) -> bool:
    body = _strip_final_newline(text)
    last = NEWLINE.split(body)[-1]
    return not last.strip()


def _replaced(chunk: Chunk, value: str) -> str:
    comment = chunk.comment
    if comment and not comment[0].isspace():
        comment = " " + comment
    quoted = quote_dotenv(value)
    return f"{chunk.indent}{chunk.export}{chunk.key}={quoted}{comment}{chunk.newline}"


def _appended(pieces: list[str], block: str, nl: str, profile: str | None) -> None:
    tail = "".join(pieces)
    lead = "" if _ends_with_newline(tail) else nl
    if not _last_line_blank(tail + lead):
        lead += nl
    pieces.append(lead + header(profile) + nl + block)


def merge_dotenv_report(
    existing: str, values: EnvValues, *, profile: str | None = None
) -> MergeResult:
    """Merge ``values`` into the text of an existing .env file (see the module rules)."""
    check_values(values)
    if not existing:
        return MergeResult(render_dotenv(values, profile=profile))
    nl = _line_ending(existing)
    warnings: list[str] = []
    pieces: list[str] = []
    seen: set[str] = set()
    last_ours = -1
    for chunk in parse_chunks(existing):
        if chunk.error:
            warnings.append(
                f"Line {chunk.line} is not valid .env syntax; python-dotenv skips it "
                "(left as it was)."
            )
        if chunk.key is None or chunk.key not in values:
            pieces.append(chunk.text)
        elif chunk.key in seen:
            warnings.append(
                f"Removed another {chunk.key} line (line {chunk.line}): python-dotenv uses "
                "the last copy of a key, which would have hidden the new value."
            )
        else:
            seen.add(chunk.key)
            pieces.append(_replaced(chunk, reveal(values[chunk.key])))
            last_ours = len(pieces) - 1
    missing = [key for key in values if key not in seen]
    if missing:
        block = "".join(dotenv_line(key, reveal(values[key])) + nl for key in missing)
        if last_ours >= 0:
            if not _ends_with_newline(pieces[last_ours]):
                pieces[last_ours] += nl
            pieces.insert(last_ours + 1, block)
        else:
            _appended(pieces, block, nl, profile)
    text = "".join(pieces)
    if not _ends_with_newline(existing):
        # The file's own last line had no newline; keep it so, even when that last line was
        # a duplicate of ours that got removed and a blank line is now at the end.
        text = text.rstrip("\r\n")
    _check_reads_back(text, values)
    return MergeResult(text, warnings)


def merge_dotenv(existing: str, values: EnvValues, *, profile: str | None = None) -> str:
    return merge_dotenv_report(existing, values, profile=profile).text


def _check_reads_back(text: str, values: EnvValues) -> None:
    found = parsed_values(text)
    for key, value in values.items():
        if found.get(key) != reveal(value):
            bad = next((c.line for c in parse_chunks(text) if c.error), None)
            where = f" (line {bad} cannot be parsed)" if bad else ""
            raise EnvFileError(
                f"Merging into the existing file would not leave {key} readable as written"
                f"{where}; the file was not changed.",
                hint="An unterminated quote usually swallows the lines after it. Fix that "
                "line, or write to another file with --output.",
            )
