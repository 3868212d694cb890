"""Property tests: what the writer produces is what python-dotenv reads, for any text."""

from __future__ import annotations

import io
import logging
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from dotenv import dotenv_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from wizard.core.envfile import (
    ENV_KEYS,
    merge_dotenv,
    merge_dotenv_report,
    quote_dotenv,
    render_dotenv,
    render_shell,
    write_env_file,
)
from wizard.core.envfile.parse import parse_chunks, parsed_values
from wizard.core.envfile.quoting import is_interpolated

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MERGES = settings(FAST, max_examples=100)

# Characters that matter to dotenv and shell syntax, mixed with arbitrary unicode.
SPECIAL = list("'\"\\$#= \t\n\r{}:-`!;&|<>()*?~\x0b\x0c\x85\u2028\ufeff")
value_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(SPECIAL),
        st.characters(codec="utf-8", exclude_characters="\x00"),
    ),
    max_size=40,
)
MANAGED = ["BNXT_" + key for key in ENV_KEYS]


@pytest.fixture(autouse=True, scope="module")
def _quiet_dotenv() -> Iterator[None]:
    """python-dotenv logs every line it cannot parse; the differential test makes many."""
    log = logging.getLogger("dotenv.main")
    level = log.level
    log.setLevel(logging.CRITICAL)
    yield
    log.setLevel(level)


def read(text: str, *, interpolate: bool = True) -> dict[str, str | None]:
    return dict(dotenv_values(stream=io.StringIO(text), interpolate=interpolate))


# --- the grammar mirror agrees with python-dotenv -----------------------------------------

FRAGMENTS = [
    "A", "B", "k", "export ", "export", "=", "#", " ", "\t", "'", '"', "\\", "\n", "\r",
    "\r\n", "$", "{", "}", "x y", "\ufeff", "\x0b", "é", " #", "= ", "\\n", "\\'", '\\"',
]  # fmt: skip
dotenv_soup = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)


@FAST
@given(dotenv_soup)
def test_parse_mirror_matches_python_dotenv(text: str) -> None:
    assert parsed_values(text) == read(text, interpolate=False)


@FAST
@given(st.one_of(dotenv_soup, st.text(max_size=60)))
def test_chunks_give_back_the_text(text: str) -> None:
    assert "".join(c.text for c in parse_chunks(text)) == text


# --- quoting round-trips --------------------------------------------------------------------


@FAST
@given(value_text)
def test_quote_dotenv_round_trips(value: str) -> None:
    text = f"K={quote_dotenv(value)}\n"
    assert read(text, interpolate=False) == {"K": value}
    if not is_interpolated(value):
        assert read(text) == {"K": value}
    assert "\n" not in text[:-1] and "\r" not in text


@FAST
@given(st.dictionaries(st.sampled_from(MANAGED), value_text, max_size=len(MANAGED)))
def test_render_dotenv_round_trips(values: dict[str, str]) -> None:
    wrapped: dict[str, SecretStr | str] = {
        k: SecretStr(v) if k.endswith("SECRET") else v for k, v in values.items()
    }
    text = render_dotenv(wrapped, profile="dev")
    exact = read(text, interpolate=False)
    assert exact == values
    expanded = read(text)
    for key, value in values.items():
        if not is_interpolated(value):
            assert expanded[key] == value


@settings(max_examples=40, deadline=None)
@given(value_text, st.booleans())
def test_written_file_round_trips_through_text_mode(value: str, fresh: bool) -> None:
    """dotenv_values(path) reads in text mode (CR -> LF); the escapes must survive that."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ".env"
        if not fresh:
            path.write_text("A=1\r\n# c\r\n", newline="")
        values = {"BNXT_CLIENT_SECRET": SecretStr(value)}
        write_env_file(path, values)
        assert dotenv_values(path, interpolate=False)["BNXT_CLIENT_SECRET"] == value


@settings(max_examples=30, deadline=None)
@given(value_text)
def test_render_shell_round_trips_through_bash(value: str) -> None:
    script = render_shell({"BNXT_CLIENT_SECRET": SecretStr(value)})
    out = subprocess.run(  # the secret goes over stdin, never argv
        ["bash", "-c", 'eval "$(cat)"; printf %s "$BNXT_CLIENT_SECRET"'],
        input=script.encode(),
        capture_output=True,
        check=True,
        timeout=10,
    )
    assert out.stdout.decode() == value


# --- merging into arbitrary files -----------------------------------------------------------

no_newline_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00\r\n"), max_size=20
)
other_key = st.from_regex(r"[A-Z][A-Z0-9_]{0,8}", fullmatch=True).filter(
    lambda k: k not in MANAGED and k != "export"
)


@st.composite
def binding(draw: st.DrawFn, key: st.SearchStrategy[str], eol: str) -> str:
    name = draw(key)
    value = draw(value_text)
    style = draw(st.sampled_from(["quoted", "bare", "multiline", "none"]))
    if style == "quoted":
        rhs = "=" + quote_dotenv(value)
    elif style == "bare":
        rhs = "=" + draw(st.from_regex(r"[A-Za-z0-9_./:-]{0,12}", fullmatch=True))
    elif style == "multiline":
        body = value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
        rhs = '="' + body.replace("\n", eol) + '"'
    else:
        rhs = ""
    prefix = draw(st.sampled_from(["", "export ", "  ", "export\t"]))
    comment = draw(st.sampled_from(["", " # note", "  #x"])) if style != "bare" else ""
    if style == "bare" and not rhs[1:]:
        comment = ""
    return f"{prefix}{name}{rhs}{comment}"


@st.composite
def env_file(draw: st.DrawFn, managed: list[str]) -> tuple[str, list[str], str]:
    """(text, the entries that are not ours, line ending)."""
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    others = st.one_of(
        no_newline_text.map(lambda t: "#" + t),
        st.sampled_from(["", "   ", "\t"]),
        binding(other_key, eol),
        binding(st.sampled_from([k for k in MANAGED if k not in managed] or ["ZZ"]), eol),
    )
    ours = binding(st.sampled_from(managed), eol)
    entries = draw(
        st.lists(
            st.one_of(others.map(lambda t: (False, t)), ours.map(lambda t: (True, t))),
            max_size=12,
        )
    )
    lines = [text for _, text in entries]
    kept = [text for is_ours, text in entries if not is_ours]
    final = draw(st.booleans())
    return eol.join(lines) + (eol if final and lines else ""), kept, eol


managed_values = st.dictionaries(
    st.sampled_from(MANAGED), value_text.filter(lambda v: not is_interpolated(v)), min_size=1
)


@st.composite
def merge_case(draw: st.DrawFn) -> tuple[str, list[str], str, dict[str, str]]:
    values = draw(managed_values)
    text, kept, eol = draw(env_file(list(values)))
    return text, kept, eol, values


@MERGES
@given(merge_case())
def test_merge_keeps_other_lines_and_reads_back(
    case: tuple[str, list[str], str, dict[str, str]],
) -> None:
    existing, kept, eol, values = case
    result = merge_dotenv_report(existing, values, profile="dev")
    merged = result.text
    # our keys read back exactly, with and without interpolation
    assert {k: read(merged)[k] for k in values} == values
    assert {k: read(merged, interpolate=False)[k] for k in values} == values
    # every other key reads as before
    before = read(existing, interpolate=False)
    after = read(merged, interpolate=False)
    assert {k: v for k, v in after.items() if k not in values} == {
        k: v for k, v in before.items() if k not in values
    }
    # every entry that is not ours is still there, verbatim and in order
    cursor = 0
    for entry in kept:
        found = merged.find(entry, cursor)
        assert found >= 0, entry
        cursor = found + len(entry)
    # line endings and the final newline are the file's own
    if existing:
        assert merged.endswith(eol) == existing.endswith(eol)
    if eol in existing:
        if eol == "\n":
            assert "\r" not in merged
        else:
            assert "\n" not in merged.replace("\r\n", "")
    # merging again changes nothing
    assert merge_dotenv(merged, values, profile="dev") == merged


@MERGES
@given(merge_case(), managed_values)
def test_merge_with_new_values_then_old_is_stable(
    case: tuple[str, list[str], str, dict[str, str]], newer: dict[str, str]
) -> None:
    existing, _, _, values = case
    once = merge_dotenv(existing, values)
    twice = merge_dotenv(merge_dotenv(once, newer), values)
    assert {k: read(twice, interpolate=False)[k] for k in values} == values
    assert merge_dotenv(twice, values) == twice
