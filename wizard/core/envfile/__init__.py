"""The .env writer: a profile's settings and secret, in a file the user's services read.

Modules, one idea each:

    keys       which variables, under which names (ENV_KEYS, env_values, check_prefix)
    quoting    how a value is spelled so python-dotenv reads it back exactly
    render     a fresh file: dotenv, json, shell
    parse      a mirror of python-dotenv's grammar (python-dotenv is a test dependency only)
    merge      our keys into an existing .env, every other line kept
    gitcheck   is the file tracked or ignored by git (paths only, never content)
    target     which file a path really means (symlinks, folders)
    write      write_env_file: all of the above, then an atomic 0600 replace
"""

from wizard.core.envfile.gitcheck import GitStatus, git_status
from wizard.core.envfile.keys import (
    DEFAULT_PREFIX,
    ENV_KEYS,
    EnvValues,
    check_prefix,
    env_values,
)
from wizard.core.envfile.merge import MergeResult, merge_dotenv, merge_dotenv_report
from wizard.core.envfile.quoting import dotenv_warnings, quote_dotenv, quote_shell
from wizard.core.envfile.render import render_dotenv, render_json, render_shell
from wizard.core.envfile.write import FORMATS, WriteResult, write_env_file

__all__ = [
    "DEFAULT_PREFIX",
    "ENV_KEYS",
    "FORMATS",
    "EnvValues",
    "GitStatus",
    "MergeResult",
    "WriteResult",
    "check_prefix",
    "dotenv_warnings",
    "env_values",
    "git_status",
    "merge_dotenv",
    "merge_dotenv_report",
    "quote_dotenv",
    "quote_shell",
    "render_dotenv",
    "render_json",
    "render_shell",
    "write_env_file",
]
