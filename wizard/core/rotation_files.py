"""The .env files of a rotation: rewriting them (journaled file by file) and checking
which still hold a secret, without ever showing it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from wizard.core import rotation_journal as journal
from wizard.core.errors import WizardError
from wizard.core.models import EnvFileRecord, Profile
from wizard.core.rotation_journal import FileState, Journal

if TYPE_CHECKING:
    from wizard.core.workspace import Workspace


def rewrite_journaled(
    ws: Workspace, j: Journal, profile: Profile, secret: SecretStr | None, stale: SecretStr | None
) -> tuple[Journal, list[str]]:
    """Rewrite each recorded .env with ``secret``, journaled file by file.

    A file already done is written again only if it still holds ``stale``. During a
    rotation the steps are "rewriting" then "rewritten"; during a rollback the journal
    stays at "rolling-back".
    """
    rolling = j.step == "rolling-back"
    records = {r.path: r for r in profile.env_files}
    pending = {p: ("pending" if p not in j.files else j.files[p]) for p in records}
    j = replace(j, files=pending, notes={k: v for k, v in j.notes.items() if k in records})
    j = journal.record(ws, j if rolling else j.at("rewriting"))
    lines: list[str] = []
    for path_text, record in records.items():
        path = Path(path_text)
        if j.files[path_text] in ("done", "skipped") and not holds(path, stale):
            lines.append(f"{path} is up to date")
            continue
        j = journal.record(ws, j.with_file(path_text, "writing"), file=path_text)
        state, note, more = write_one(profile, record, secret)
        lines += more
        j = journal.record(ws, j.with_file(path_text, state, note), file=path_text)
    if not rolling:
        j = journal.record(ws, j.at("rewritten"))
    return j, lines


def rewrite_plain(profile: Profile, secret: SecretStr) -> list[str]:
    """Rewrite the recorded files outside any rotation (nothing to journal)."""
    return [line for r in profile.env_files for line in write_one(profile, r, secret)[2]]


def write_one(
    profile: Profile, record: EnvFileRecord, secret: SecretStr | None
) -> tuple[FileState, str, list[str]]:
    """Write one recorded .env file: its new state, why it failed, lines to show."""
    from wizard.core.envfile import env_values, write_env_file

    path = Path(record.path)
    if not path.exists():
        return "skipped", "", [f"skipped {path}: it no longer exists"]
    if secret is None and record.include_secret:
        note = (
            "the new secret is not available here (set it in the environment variable "
            "BNXT_CLIENT_SECRET and run again)"
        )
        return "failed", note, [f"NOT rewritten {path}: {note}"]
    try:
        values = env_values(profile, secret if record.include_secret else None, record.prefix)
        result = write_env_file(path, values, fmt=record.format, profile=profile.name)
    except WizardError as err:
        return "failed", err.message, [f"NOT rewritten {path}: {err.message}"]
    return "done", "", [f"rewrote {result.path}", *(f"  warning: {w}" for w in result.warnings)]


def holds(path: Path, secret: SecretStr | None) -> bool:
    """Whether the file holds ``secret`` as a value, in any of the formats we write."""
    if secret is None:
        return False
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot look: do not claim it is clean
    value = secret.get_secret_value()
    if value in text or json.dumps(value, ensure_ascii=False)[1:-1] in text:
        return True
    from wizard.core.envfile.parse import parsed_values

    return value in parsed_values(text).values()


def stale_files(profile: Profile | None, old: SecretStr | None) -> list[str]:
    if profile is None or old is None:
        return []
    records: list[EnvFileRecord] = profile.env_files
    return [r.path for r in records if holds(Path(r.path), old)]
