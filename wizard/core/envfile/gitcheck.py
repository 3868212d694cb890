"""Asking git whether a file would be committed, before a secret is written into it.

Only paths go to git, never file content. Every call has a short timeout, runs with a fixed
locale (so answers can be read) and without fsmonitor hooks, and with none of git's
location variables (``GIT_DIR``, ``GIT_WORK_TREE``, ``GIT_INDEX_FILE``, ...) from our
environment: they would make git answer about another repository than the file's;
``ls-files`` gets literal pathspecs, so a file named ``*.env`` is just a name
(``check-ignore`` refuses pathspec magic and takes plain names anyway). When git is
missing, too slow or fails, the answer is "unknown" (None fields), never an error: the
writer then warns instead of refusing.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from wizard.core.secrets import ENV_SECRET

GIT_TIMEOUT = 3.0
GIT_MISSING = "git is not installed"


@dataclass(frozen=True)
class GitStatus:
    in_work_tree: bool | None  # None: could not tell
    tracked: bool | None
    ignored: bool | None
    detail: str = ""  # why it could not tell

    @property
    def known(self) -> bool:
        return self.in_work_tree is not None


def _unknown(detail: str) -> GitStatus:
    return GitStatus(None, None, None, detail)


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


# Variables that point git at another repository, index or object store than the one the
# folder belongs to (git's "local environment variables", `git rev-parse --local-env-vars`).
_GIT_LOCATION_VARS = frozenset(
    {
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_COMMON_DIR",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_NAMESPACE",
        "GIT_CEILING_DIRECTORIES",
        "GIT_DISCOVERY_ACROSS_FILESYSTEM",
        "GIT_CONFIG",
        "GIT_CONFIG_PARAMETERS",
        "GIT_CONFIG_COUNT",
        "GIT_IMPLICIT_WORK_TREE",
        "GIT_GRAFT_FILE",
        "GIT_REPLACE_REF_BASE",
        "GIT_PREFIX",
        "GIT_SHALLOW_FILE",
        "GIT_INTERNAL_SUPER_PREFIX",
    }
)


def _keep(name: str) -> bool:
    if name == ENV_SECRET or name in _GIT_LOCATION_VARS:
        return False  # git needs no secret, and must find the repository from the folder
    return not name.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if _keep(k)},
        "LC_ALL": "C",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
    }
    command = ["git", "-c", "core.fsmonitor=false", "-C", str(folder), *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=GIT_TIMEOUT,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def git_status(path: Path) -> GitStatus:
    """Whether ``path`` sits in a git work tree, is tracked (in the index) or is ignored."""
    folder, name = path.parent, path.name
    try:
        inside = _git(folder, "rev-parse", "--is-inside-work-tree")
        if inside.returncode != 0:
            if "not a git repository" in inside.stderr:
                return GitStatus(False, False, False)
            return _unknown(_last_line(inside.stderr) or "git rev-parse failed")
        if inside.stdout.strip() != "true":  # inside a .git folder
            return GitStatus(False, False, False)
        listed = _git(folder, "--literal-pathspecs", "ls-files", "--cached", "-z", "--", name)
        if listed.returncode != 0:
            return _unknown("git ls-files failed")
        if listed.stdout:
            return GitStatus(True, True, False)
        ignore = _git(folder, "check-ignore", "-q", "--", f"./{name}")  # "./": no magic
    except FileNotFoundError:
        return _unknown(GIT_MISSING)
    except subprocess.TimeoutExpired:
        return _unknown(f"git did not answer within {GIT_TIMEOUT:.0f} seconds")
    except OSError as err:
        return _unknown(f"git could not be run ({err.strerror})")
    if ignore.returncode not in (0, 1):
        return _unknown("git check-ignore failed")
    return GitStatus(True, False, ignore.returncode == 0)
