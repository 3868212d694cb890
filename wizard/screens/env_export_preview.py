"""What writing a .env file would do, worked out before anything is written (no Textual).

Runs git (paths only) and reads the existing file, so the modal calls it off the UI thread.
The writer checks everything again when it writes; this is only so the user sees it first.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from wizard.core.envfile import git_status
from wizard.core.envfile.parse import parse_chunks


@dataclass
class Preview:
    """What writing would do, worked out before anything is written."""

    refusal: str = ""
    notes: list[str] = field(default_factory=list)


def other_lines(text: str, ours: set[str]) -> int:
    """Non-blank lines of an existing .env that a merge keeps untouched."""
    return sum(
        1
        for chunk in parse_chunks(text)
        if chunk.key not in ours
        for line in chunk.text.splitlines()
        if line.strip()
    )


def preview(path: Path, fmt: str, ours: set[str], with_secret: bool) -> Preview:
    """Runs git (paths only) and reads the existing file: call it off the UI thread."""
    if not path.parent.is_dir():
        return Preview(f"The folder {path.parent} does not exist: create it or pick another.")
    if path.is_dir():
        return Preview(f"{path} is a folder; give a file name, e.g. {path / '.env'}.")
    found = Preview()
    if with_secret:
        status = git_status(path)
        if status.tracked:
            return Preview(
                f"{path.name} is tracked by git, so the secret would go into the next commit. "
                "Untick 'Include the client secret', pick a path outside the repository, or "
                f"run git rm --cached {path.name} and add it to .gitignore."
            )
        if status.in_work_tree and not status.ignored:
            found.notes.append(
                f"! {path.name} is inside a git work tree and not ignored: tell git to ignore "
                f"it (cd {shlex.quote(str(path.parent))} && echo {shlex.quote(path.name)} "
                ">> .gitignore) so the secret is never committed."
            )
        elif status.in_work_tree:
            found.notes.append(f"✓ git ignores {path.name}.")
    if not path.exists():
        found.notes.append("A new file will be created, readable only by you (0600).")
    elif fmt != "dotenv":
        found.notes.append(f"! {path.name} exists and will be replaced as a whole ({fmt}).")
    else:
        try:
            kept = other_lines(path.read_text(encoding="utf-8"), ours)
        except (OSError, UnicodeDecodeError):
            return Preview(f"{path} cannot be read as UTF-8 text, so it cannot be merged.")
        found.notes.append(
            f"{path.name} exists: the {len(ours)} settings are merged in and "
            f"{kept} other line{'' if kept == 1 else 's'} will be kept."
        )
    return found
