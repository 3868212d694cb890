"""A fresh file in each format. Secrets are revealed only here, while building the text."""

from __future__ import annotations

import json

from wizard.core.envfile.keys import EnvValues, reveal
from wizard.core.envfile.quoting import check_values, quote_dotenv, quote_shell

HEADER = "# Visma Business NXT (bnxt-wizard{profile})"


def header(profile: str | None = None) -> str:
    """The comment line above the keys; the profile name is shown when known."""
    if not profile:
        return HEADER.format(profile="")
    shown = "".join(c if c.isprintable() else "?" for c in profile)
    return HEADER.format(profile=f" profile {shown}")


def dotenv_line(key: str, value: str) -> str:
    return f"{key}={quote_dotenv(value)}"


def render_dotenv(values: EnvValues, *, profile: str | None = None) -> str:
    check_values(values)
    lines = [header(profile)]
    lines += [dotenv_line(key, reveal(value)) for key, value in values.items()]
    return "\n".join(lines) + "\n"


def render_json(values: EnvValues) -> str:
    check_values(values)
    plain = {key: reveal(value) for key, value in values.items()}
    return json.dumps(plain, indent=2, ensure_ascii=False) + "\n"


def render_shell(values: EnvValues, *, profile: str | None = None) -> str:
    """``export KEY='...'`` lines: safe to ``eval`` or ``source`` in sh, bash and zsh."""
    check_values(values)
    lines = [header(profile)]
    lines += [f"export {key}={quote_shell(reveal(value))}" for key, value in values.items()]
    return "\n".join(lines) + "\n"
