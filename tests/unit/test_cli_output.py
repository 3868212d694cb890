"""The CLI's sanitising stream wrapper."""

from __future__ import annotations

import gc
import io
import sys
from typing import Any

import pytest

from wizard.cli.output import SafeStream, safe_streams


def test_escape_sequences_are_removed_and_lines_kept() -> None:
    inner = io.StringIO()
    stream = SafeStream(inner)
    stream.write("Fjord\x1b]0;owned\x07 AS\nline two\x9b2J\n")
    stream.writelines(["a\x1b[2Jb\n"])
    assert inner.getvalue() == "Fjord AS\nline two\nab\n"


def test_a_wrapper_collected_after_its_stream_closed_reports_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An io-based wrapper flushed the closed stream when collected; Python then reported
    # "Exception ignored in: <SafeStream ...>", which failed a CI run on 3.13.
    seen: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    inner = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # like pytest's capture
    stream = SafeStream(inner)
    stream.write("x")
    inner.close()
    del stream
    gc.collect()
    assert seen == []


def test_safe_streams_restores_the_real_streams() -> None:
    out, err = sys.stdout, sys.stderr
    with safe_streams():
        assert isinstance(sys.stdout, SafeStream)
        assert isinstance(sys.stderr, SafeStream)
    assert (sys.stdout, sys.stderr) == (out, err)
