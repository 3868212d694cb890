"""Headless command line. Never imports Textual unless the UI is asked for."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    from wizard.cli.app import run

    return run(argv)
