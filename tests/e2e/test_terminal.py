"""A wizard whose terminal goes away leaves at once and keeps its draft (no busy loop)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


def _read_some(fd: int, seconds: float) -> bytes:
    deadline = time.monotonic() + seconds
    data = b""
    while time.monotonic() < deadline and b"Welcome" not in data:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                data += os.read(fd, 65536)
            except OSError:
                break
    return data


def test_closing_the_terminal_ends_the_wizard(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "wizard", "--config-dir", str(tmp_path / "cfg")],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    try:
        shown = _read_some(master, 30)
        assert b"Welcome" in shown, shown[-500:]
        os.close(master)  # the terminal window is closed
        start = time.monotonic()
        proc.wait(timeout=15)
        assert time.monotonic() - start < 15
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
