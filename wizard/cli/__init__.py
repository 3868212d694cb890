"""Headless command line. Never imports Textual unless the UI is asked for."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    import os

    # bnxt-wizard uses no pydantic plugins; not scanning installed packages for them saves
    # start-up time, and keeps third-party instrumentation (telemetry) out of our models.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from wizard.cli.app import run

    return run(argv)
