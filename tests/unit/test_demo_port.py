"""A demo kept in a --config-dir folder listens where its last run did, so the drafts and
profiles that run saved (their URLs hold the simulator's port) still reach it."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx

from wizard.launch import DEMO_PORT_FILE, demo_simulator


def discovery_ok(base_url: str) -> bool:
    answer = httpx.get(f"{base_url}/.well-known/openid-configuration", timeout=10, trust_env=False)
    return answer.status_code == 200


def test_the_next_demo_in_the_folder_listens_on_the_same_port(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    first = demo_simulator(folder)
    try:
        saved_url = first.token_url  # what a draft or profile of this run keeps
        port = first.port
    finally:
        first.stop()
    assert (folder / DEMO_PORT_FILE).read_text(encoding="ascii") == f"{port}\n"
    again = demo_simulator(folder)
    try:
        assert again.port == port and again.token_url == saved_url
        assert discovery_ok(again.base_url)
    finally:
        again.stop()


def test_a_taken_port_gives_a_free_one_noted_for_the_next_run(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        folder.mkdir(mode=0o700)
        (folder / DEMO_PORT_FILE).write_text(f"{busy}\n", encoding="ascii")
        sim = demo_simulator(folder)
        try:
            assert sim.port != busy and discovery_ok(sim.base_url)
            assert (folder / DEMO_PORT_FILE).read_text(encoding="ascii") == f"{sim.port}\n"
        finally:
            sim.stop()


def test_a_note_that_is_no_port_is_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    folder.mkdir(mode=0o700)
    for text in ("", "80", "99999", "12a4", "\x1b[2J", "٣٣٣٣", "1" * 400):
        (folder / DEMO_PORT_FILE).write_text(text, encoding="utf-8")
        sim = demo_simulator(folder)
        try:
            assert discovery_ok(sim.base_url)
            assert (folder / DEMO_PORT_FILE).read_text(encoding="ascii") == f"{sim.port}\n"
        finally:
            sim.stop()


def test_a_throwaway_demo_notes_nothing(tmp_path: Path) -> None:
    sim = demo_simulator(None)
    try:
        assert discovery_ok(sim.base_url)
    finally:
        sim.stop()
    assert not list(tmp_path.rglob(DEMO_PORT_FILE))  # (the test's HOME is in tmp_path)
