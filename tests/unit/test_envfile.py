"""Unit tests for the .env writer: keys, quoting, rendering, merging, git checks and writing."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from dotenv import dotenv_values
from pydantic import SecretStr

from wizard.core import envfile
from wizard.core.envfile import (
    ENV_KEYS,
    GitStatus,
    check_prefix,
    env_values,
    git_status,
    merge_dotenv,
    merge_dotenv_report,
    quote_dotenv,
    render_dotenv,
    render_json,
    render_shell,
    write_env_file,
)
from wizard.core.envfile.parse import parse_chunks
from wizard.core.errors import EnvFileError, FileSystemError, ValidationFailed
from wizard.core.exitcodes import ExitCode
from wizard.core.models import Endpoints, LocalDev, Profile
from wizard.core.visma import AppType

SECRET = "s3cr3t-'quoted'-\"and\"-\\back-#hash $dollar"


def make_profile(app_type: AppType = AppType.SERVICE, **kw: object) -> Profile:
    fields: dict[str, object] = {
        "name": "dev",
        "app_type": app_type,
        "app_name": "My app",
        "client_id": "isv_my-app",
        "endpoints": Endpoints.defaults(app_type),
    }
    fields.update(kw)
    return Profile(**fields)


def read_back(text: str, *, interpolate: bool = True) -> dict[str, str | None]:
    return dict(dotenv_values(stream=io.StringIO(text), interpolate=interpolate))


def values(**extra: SecretStr | str) -> dict[str, SecretStr | str]:
    base: dict[str, SecretStr | str] = {
        "BNXT_CLIENT_ID": "isv_my-app",
        "BNXT_CLIENT_SECRET": SecretStr(SECRET),
        "BNXT_SCOPE": "business-graphql-service-api:access-group-based",
    }
    base.update(extra)
    return base


# --- keys -------------------------------------------------------------------------------


def test_env_keys_order() -> None:
    assert ENV_KEYS == (
        "CLIENT_ID",
        "CLIENT_SECRET",
        "TOKEN_URL",
        "SCOPE",
        "GRAPHQL_URL",
        "ISSUER",
        "SERVICE_SCOPE",
        "LOGIN_URI",
        "LOGOUT_URI",
        "REDIRECT_URI",
        "TENANT_ID",
    )


def test_env_values_service_keeps_secret_wrapped() -> None:
    got = env_values(make_profile(), SecretStr("abc"))
    assert list(got) == [
        "BNXT_CLIENT_ID",
        "BNXT_CLIENT_SECRET",
        "BNXT_TOKEN_URL",
        "BNXT_SCOPE",
        "BNXT_GRAPHQL_URL",
    ]
    assert isinstance(got["BNXT_CLIENT_SECRET"], SecretStr)
    assert got["BNXT_CLIENT_SECRET"].get_secret_value() == "abc"
    assert got["BNXT_CLIENT_ID"] == "isv_my-app"
    assert got["BNXT_TOKEN_URL"] == "https://connect.visma.com/connect/token"
    assert got["BNXT_GRAPHQL_URL"] == "https://business.visma.net/api/graphql-service"
    assert got["BNXT_SCOPE"] == "business-graphql-service-api:access-group-based"
    assert "abc" not in repr(got)


def test_env_values_without_secret_omits_the_key() -> None:
    assert "BNXT_CLIENT_SECRET" not in env_values(make_profile(), None)


def test_env_values_web_app_adds_issuer_uris_and_tenant() -> None:
    endpoints = Endpoints.defaults(AppType.WEB).model_copy(
        update={"service_scope": "business-graphql-service-api:access-group-based"}
    )
    profile = make_profile(
        AppType.WEB, endpoints=endpoints, local_dev=LocalDev(port=4443), tenant_id="tenant-1"
    )
    got = env_values(profile, SecretStr("x"), prefix="APP_")
    assert list(got) == ["APP_" + k for k in ENV_KEYS]
    assert got["APP_ISSUER"] == "https://connect.visma.com"
    assert str(got["APP_SCOPE"]).split()[0] == "openid"  # the sign-in scopes
    assert got["APP_SERVICE_SCOPE"] == "business-graphql-service-api:access-group-based"
    assert got["APP_LOGIN_URI"] == "https://app.local:4443/"
    assert got["APP_LOGOUT_URI"] == "https://app.local:4443/logout"
    assert got["APP_REDIRECT_URI"] == "https://app.local:4443/signin-oidc"
    assert got["APP_TENANT_ID"] == "tenant-1"


def test_env_values_web_app_without_local_dev_has_no_uris() -> None:
    got = env_values(make_profile(AppType.WEB), None, prefix="")
    # no Service API integration: no SERVICE_SCOPE either
    assert list(got) == ["CLIENT_ID", "TOKEN_URL", "SCOPE", "GRAPHQL_URL", "ISSUER"]


def test_env_values_service_never_has_uris() -> None:
    got = env_values(make_profile(local_dev=LocalDev()), None)
    assert "BNXT_LOGIN_URI" not in got
    assert "BNXT_ISSUER" not in got and "BNXT_SERVICE_SCOPE" not in got


def test_env_values_rejects_bad_prefix() -> None:
    with pytest.raises(ValidationFailed):
        env_values(make_profile(), None, prefix="1BAD")


@pytest.mark.parametrize("prefix", ["", "BNXT_", "_", "a1_", "MY_APP_"])
def test_check_prefix_accepts(prefix: str) -> None:
    assert not [f for f in check_prefix(prefix) if f.is_error]


@pytest.mark.parametrize("prefix", ["1X_", "A-B_", "A B_", "É_", "X=", "$X", "X\n"])
def test_check_prefix_rejects(prefix: str) -> None:
    found = check_prefix(prefix)
    assert [f.level for f in found] == ["error"]
    assert found[0].field == "prefix"


def test_check_prefix_hints_missing_underscore() -> None:
    assert [f.level for f in check_prefix("BNXT")] == ["hint"]


# --- quoting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "spelled"),
    [
        ("isv_my-app", "isv_my-app"),
        ("https://connect.visma.com/connect/token", "https://connect.visma.com/connect/token"),
        ("", "''"),
        ("a b", "'a b'"),
        ("x#y", "'x#y'"),
        ('say "hi"', "'say \"hi\"'"),
        ("${HOME}", "'${HOME}'"),
        ("it's", '"it\'s"'),
        ("back\\slash", '"back\\\\slash"'),
        ("two\nlines", '"two\\nlines"'),
        ("cr\rlf", '"cr\\rlf"'),
        ("all ' \" \\ \n", '"all \' \\" \\\\ \\n"'),
    ],
)
def test_quote_dotenv_spelling_and_read_back(value: str, spelled: str) -> None:
    assert quote_dotenv(value) == spelled
    assert read_back(f"K={spelled}\n", interpolate=False) == {"K": value}


@pytest.mark.parametrize("bad", ["nul\x00byte", "lone \ud800 surrogate"])
def test_unwritable_values_are_refused_without_echo(bad: str) -> None:
    with pytest.raises(EnvFileError):
        quote_dotenv(bad)
    with pytest.raises(EnvFileError) as caught:
        render_dotenv({"BNXT_CLIENT_SECRET": SecretStr(bad)})
    err = caught.value
    assert "BNXT_CLIENT_SECRET" in err.message
    assert bad not in err.message and bad not in (err.hint or "")
    assert err.exit_code is ExitCode.CONFIG
    with pytest.raises(EnvFileError):
        render_shell({"K": bad})
    with pytest.raises(EnvFileError):
        render_json({"K": bad})


@pytest.mark.parametrize("key", ["1ABC", "A-B", "", "A B", "X\n"])
def test_invalid_key_refused(key: str) -> None:
    with pytest.raises(EnvFileError):
        render_dotenv({key: "v"})


def test_interpolation_is_what_python_dotenv_does() -> None:
    """Documents why `${NAME}` values get a warning: no quoting protects them."""
    for text in ("K='${HOME}'\n", 'K="${HOME}"\n', "K=${HOME}\n"):
        assert read_back(text)["K"] == os.environ["HOME"]
        assert read_back(text, interpolate=False)["K"] == "${HOME}"


@pytest.mark.parametrize(
    ("value", "warned"),
    [
        ("${HOME}", True),
        ("x${A:-b}y", True),
        ("${}", True),
        ("$HOME", False),
        ("${unterminated", False),
        ("${a:b}", False),
        ("$ {A}", False),
    ],
)
def test_interpolation_warning(value: str, warned: bool) -> None:
    secret = {"BNXT_CLIENT_SECRET": SecretStr(value)}
    warnings = envfile.dotenv_warnings(secret)
    assert bool(warnings) is warned
    for w in warnings:
        assert "BNXT_CLIENT_SECRET" in w and "interpolate=False" in w
        assert value not in w
    text = render_dotenv(secret)
    assert read_back(text, interpolate=False)["BNXT_CLIENT_SECRET"] == value
    if not warned:
        assert read_back(text)["BNXT_CLIENT_SECRET"] == value


# --- rendering --------------------------------------------------------------------------


def test_render_dotenv_fresh_file() -> None:
    text = render_dotenv(values(), profile="dev")
    lines = text.splitlines()
    assert lines[0] == "# Visma Business NXT (bnxt-wizard profile dev)"
    assert lines[1] == "BNXT_CLIENT_ID=isv_my-app"
    assert text.endswith("\n") and "\r" not in text
    got = read_back(text)
    assert got == {
        "BNXT_CLIENT_ID": "isv_my-app",
        "BNXT_CLIENT_SECRET": SECRET,
        "BNXT_SCOPE": "business-graphql-service-api:access-group-based",
    }


def test_header_without_profile_and_with_odd_name() -> None:
    assert render_dotenv({}).startswith("# Visma Business NXT (bnxt-wizard)\n")
    assert "\n\n" not in render_dotenv({"K": "v"}, profile="a\nb")


def test_render_json() -> None:
    text = render_json(values(BNXT_X="ünïcode\n"))
    assert json.loads(text) == {
        "BNXT_CLIENT_ID": "isv_my-app",
        "BNXT_CLIENT_SECRET": SECRET,
        "BNXT_SCOPE": "business-graphql-service-api:access-group-based",
        "BNXT_X": "ünïcode\n",
    }
    assert text.endswith("}\n")


SHELL_CASES = [
    "plain",
    "",
    "it's",
    "'''",
    'dq " and $HOME and `id` and $(id) and \\',
    "new\nline and\r\ncrlf",
    "ünïcødé ✓ 🎉",
    "${HOME} ${X:-y} !event ; & | > < * ? ~",
    " leading and trailing ",
]


@pytest.mark.parametrize("value", SHELL_CASES)
@pytest.mark.parametrize("shell", ["bash", "sh"])
def test_render_shell_evals_back(value: str, shell: str) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} not installed")
    script = render_shell({"BNXT_CLIENT_SECRET": SecretStr(value)}, profile="dev")
    assert script.startswith("# Visma Business NXT")
    # The secret travels on stdin, never in argv.
    out = subprocess.run(
        [shell, "-c", 'eval "$(cat)"; printf %s "$BNXT_CLIENT_SECRET"'],
        input=script.encode(),
        capture_output=True,
        check=True,
        timeout=10,
    )
    assert out.stdout.decode() == value


def test_render_shell_exports() -> None:
    script = render_shell({"BNXT_A": "a"})
    out = subprocess.run(
        ["bash", "-c", 'eval "$(cat)"; env'],
        input=script.encode(),
        capture_output=True,
        check=True,
        timeout=10,
    )
    assert "BNXT_A=a" in out.stdout.decode().splitlines()


# --- parsing mirror ---------------------------------------------------------------------


def test_parse_chunks_cover_the_text() -> None:
    text = '\ufeff# c\n\n  export A=1 # x\nB="multi\nC=line"\nbad line\nD\n   '
    chunks = parse_chunks(text)
    assert "".join(c.text for c in chunks) == text
    keyed = [(c.key, c.value, c.line) for c in chunks if c.key]
    assert keyed == [("A", "1", 3), ("B", "multi\nC=line", 4), ("D", None, 7)]
    assert [c.line for c in chunks if c.error] == [6]


# --- merging ----------------------------------------------------------------------------

EXISTING = """\
# my app settings
DEBUG=1

export BNXT_CLIENT_ID=old_id # the portal ID
  BNXT_SCOPE='old scope'
OTHER="multi
BNXT_CLIENT_SECRET=inside-another-value"
# trailing comment
"""


def test_merge_replaces_in_place_and_keeps_everything_else() -> None:
    result = merge_dotenv_report(EXISTING, values())
    assert result.warnings == []
    lines = result.text.split("\n")
    assert lines[:3] == ["# my app settings", "DEBUG=1", ""]
    assert lines[3] == "export BNXT_CLIENT_ID=isv_my-app # the portal ID"
    assert lines[4] == "  BNXT_SCOPE=business-graphql-service-api:access-group-based"
    # the missing secret goes right after the last key of ours already there
    assert lines[5].startswith("BNXT_CLIENT_SECRET=")
    assert lines[6:] == [
        'OTHER="multi',
        'BNXT_CLIENT_SECRET=inside-another-value"',
        "# trailing comment",
        "",
    ]
    got = read_back(result.text)
    assert got["BNXT_CLIENT_SECRET"] == SECRET
    assert got["OTHER"] == "multi\nBNXT_CLIENT_SECRET=inside-another-value"
    assert got["DEBUG"] == "1"


def test_merge_appends_with_header_when_none_of_ours_is_there() -> None:
    text = merge_dotenv("A=1\n# end\n", {"BNXT_X": "x"}, profile="prod")
    assert text == "A=1\n# end\n\n# Visma Business NXT (bnxt-wizard profile prod)\nBNXT_X=x\n"


def test_merge_does_not_double_blank_lines() -> None:
    assert merge_dotenv("A=1\n\n", {"K": "v"}) == (
        "A=1\n\n# Visma Business NXT (bnxt-wizard)\nK=v\n"
    )


def test_merge_into_empty_text_is_a_fresh_file() -> None:
    assert merge_dotenv("", values(), profile="dev") == render_dotenv(values(), profile="dev")


def test_merge_keeps_crlf_and_missing_final_newline() -> None:
    text = merge_dotenv("A=1\r\nB=2", {"K": "v", "B": "3"})
    assert text == "A=1\r\nB=3\r\nK=v"
    text = merge_dotenv("A=1\r\nB=2", {"K": "v"})
    assert text == "A=1\r\nB=2\r\n\r\n# Visma Business NXT (bnxt-wizard)\r\nK=v"
    assert merge_dotenv("A=1\r\n", {"A": "2"}) == "A=2\r\n"


def test_merge_removes_later_duplicates_and_says_so() -> None:
    existing = "K=one\nA=1\nexport K=two\nK=three"
    result = merge_dotenv_report(existing, {"K": "new"})
    assert result.text == "K=new\nA=1"
    assert len(result.warnings) == 2
    assert "line 3" in result.warnings[0] and "line 4" in result.warnings[1]
    assert all("K" in w for w in result.warnings)
    assert read_back(result.text)["K"] == "new"


def test_merge_warnings_never_show_values() -> None:
    existing = "BNXT_CLIENT_SECRET=old-secret\nBNXT_CLIENT_SECRET=older-secret\n"
    result = merge_dotenv_report(existing, values())
    assert result.warnings
    for w in result.warnings:
        assert "secret\n" not in w and "older-secret" not in w and SECRET not in w


def test_merge_keeps_keys_it_does_not_manage() -> None:
    existing = "BNXT_CLIENT_SECRET=keep-me\nBNXT_CLIENT_ID=old\n"
    text = merge_dotenv(existing, {"BNXT_CLIENT_ID": "new"})
    assert text == "BNXT_CLIENT_SECRET=keep-me\nBNXT_CLIENT_ID=new\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("K", "K=v"),
        ("K=", "K=v"),
        ("K= # note", "K=v # note"),
        ("K='a'# note", "K=v # note"),
        ('K="a"   # note', "K=v   # note"),
        ("'K'=old", "K=v"),
        ("export\tK=old", "export\tK=v"),
        ("\t K=old   ", "\t K=v"),
    ],
)
def test_merge_replacement_shapes(line: str, expected: str) -> None:
    assert merge_dotenv(f"{line}\nZ=1\n", {"K": "v"}) == f"{expected}\nZ=1\n"


def test_merge_replaced_comment_stays_a_comment_with_quoted_value() -> None:
    text = merge_dotenv("K=old # note\n", {"K": "a b"})
    assert text == "K='a b' # note\n"
    assert read_back(text) == {"K": "a b"}


def test_merge_keeps_bom_and_unparseable_lines() -> None:
    existing = "\ufeffA=1\nthis is = not valid'\n"
    result = merge_dotenv_report(existing, {"K": "v"})
    assert result.text.startswith("\ufeffA=1\nthis is = not valid'\n")
    assert any("Line 2" in w for w in result.warnings)


def test_merge_refuses_when_an_open_quote_would_swallow_our_lines() -> None:
    existing = "A='never closed\nB=1\n"
    with pytest.raises(EnvFileError) as caught:
        merge_dotenv(existing, {"K": "it's"})
    assert "K" in caught.value.message
    assert "it's" not in caught.value.message


def test_merge_is_idempotent_on_examples() -> None:
    for existing in (EXISTING, "A=1", "A=1\r\nK=2\r\nK=3", "\n\n", "# only\n", "K"):
        once = merge_dotenv(existing, values(K="v"))
        assert merge_dotenv(once, values(K="v")) == once


def test_merge_grows_a_group_in_place() -> None:
    first = merge_dotenv("A=1\n", {"BNXT_CLIENT_ID": "x"}, profile="p")
    with_more = first + "LATER=1\n"
    text = merge_dotenv(with_more, {"BNXT_CLIENT_ID": "x", "BNXT_TENANT_ID": "t"}, profile="p")
    assert text == (
        "A=1\n\n# Visma Business NXT (bnxt-wizard profile p)\n"
        "BNXT_CLIENT_ID=x\nBNXT_TENANT_ID=t\nLATER=1\n"
    )


# --- git --------------------------------------------------------------------------------


@pytest.fixture
def git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        timeout=10,
    )


@pytest.fixture
def repo(tmp_path: Path, git_env: None) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q")
    return folder


def test_git_status_outside_a_repo(tmp_path: Path, git_env: None) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    assert git_status(outside / ".env") == GitStatus(False, False, False)


def test_git_status_untracked_ignored_tracked(repo: Path) -> None:
    env = repo / ".env"
    assert git_status(env) == GitStatus(True, False, False)
    (repo / ".gitignore").write_text(".env\n")
    assert git_status(env) == GitStatus(True, False, True)
    env.write_text("A=1\n")
    git(repo, "add", "-f", ".env")
    assert git_status(env) == GitStatus(True, True, False)


def test_git_status_treats_names_literally(repo: Path) -> None:
    (repo / "a.env").write_text("")
    git(repo, "add", "a.env")
    assert git_status(repo / "*.env").tracked is False
    assert git_status(repo / ":(glob)*.env").tracked is False
    assert git_status(repo / "-x").in_work_tree is True


def test_git_status_inside_dot_git(repo: Path) -> None:
    assert git_status(repo / ".git" / "x").in_work_tree is False


def test_git_status_git_missing_is_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    status = git_status(tmp_path / ".env")
    assert status == GitStatus(None, None, None, "git is not installed")
    assert not status.known


def test_git_status_timeout_is_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: object, **kw: object) -> None:
        raise subprocess.TimeoutExpired(cmd="git", timeout=3)

    monkeypatch.setattr(subprocess, "run", slow)
    status = git_status(tmp_path / ".env")
    assert not status.known and "3 seconds" in status.detail


# --- writing ----------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "app"
    out.mkdir()
    return out


def test_write_creates_private_file(folder: Path) -> None:
    path = folder / ".env"
    result = write_env_file(path, values(), profile="dev")
    assert result.created and result.path == path
    assert mode(path) == 0o600
    assert dotenv_values(path)["BNXT_CLIENT_SECRET"] == SECRET
    assert SECRET not in repr(result)
    assert path.read_text().startswith("# Visma Business NXT (bnxt-wizard profile dev)\n")


def test_write_tightens_loose_mode_and_says_so(folder: Path) -> None:
    path = folder / ".env"
    path.write_text("A=1\n")
    path.chmod(0o644)
    result = write_env_file(path, values())
    assert not result.created
    assert mode(path) == 0o600
    assert any("0644" in w and "0600" in w for w in result.warnings)
    assert dotenv_values(path)["A"] == "1"


def test_write_private_file_has_no_mode_warning(folder: Path) -> None:
    path = folder / ".env"
    path.write_text("A=1\n")
    path.chmod(0o600)
    assert write_env_file(path, values()).warnings == []


def test_write_merges_preserving_bytes(folder: Path) -> None:
    path = folder / ".env"
    path.write_bytes(EXISTING.replace("\n", "\r\n").encode())
    path.chmod(0o600)
    write_env_file(path, values())
    data = path.read_bytes()
    assert data.startswith(b"# my app settings\r\nDEBUG=1\r\n\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert dotenv_values(path)["BNXT_CLIENT_SECRET"] == SECRET


@pytest.mark.parametrize("fmt", ["json", "shell"])
def test_write_json_and_shell_overwrite_and_say_so(folder: Path, fmt: str) -> None:
    path = folder / "out"
    result = write_env_file(path, values(), fmt=fmt)
    assert result.created and result.warnings == []
    path.write_text("OLD=1\n")
    result = write_env_file(path, values(), fmt=fmt)
    assert "OLD" not in path.read_text()
    assert any("replaced" in w and fmt in w for w in result.warnings)
    if fmt == "json":
        assert json.loads(path.read_text())["BNXT_CLIENT_SECRET"] == SECRET


def test_write_warns_about_interpolation_for_dotenv_only(folder: Path) -> None:
    risky = {"BNXT_CLIENT_SECRET": SecretStr("a${B}c")}
    warnings = write_env_file(folder / ".env", risky).warnings
    assert any("interpolate=False" in w for w in warnings)
    assert dotenv_values(folder / ".env", interpolate=False)["BNXT_CLIENT_SECRET"] == "a${B}c"
    assert write_env_file(folder / "env.json", risky, fmt="json").warnings == []


def test_write_unknown_format(folder: Path) -> None:
    with pytest.raises(EnvFileError):
        write_env_file(folder / ".env", values(), fmt="yaml")


def test_write_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(EnvFileError) as caught:
        write_env_file(tmp_path / "nope" / ".env", values())
    assert "does not exist" in caught.value.message
    assert "mkdir -p" in (caught.value.hint or "")


def test_write_parent_is_a_file(folder: Path) -> None:
    (folder / "file").write_text("")
    with pytest.raises(EnvFileError, match="not a folder"):
        write_env_file(folder / "file" / ".env", values())


def test_write_to_a_directory(folder: Path) -> None:
    with pytest.raises(EnvFileError, match="is a folder"):
        write_env_file(folder, values())


def test_write_to_a_fifo(folder: Path) -> None:
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(EnvFileError, match="not a regular file"):
        write_env_file(fifo, values())


def test_write_refuses_non_utf8(folder: Path) -> None:
    path = folder / ".env"
    path.write_bytes(b"A=\xff\xfe\n")
    with pytest.raises(EnvFileError, match="UTF-8"):
        write_env_file(path, values())
    assert path.read_bytes() == b"A=\xff\xfe\n"


def test_write_refuses_unsafe_merge_and_leaves_file(folder: Path) -> None:
    path = folder / ".env"
    path.write_text("A='open\n")
    with pytest.raises(EnvFileError):
        write_env_file(path, {"K": "it's"})
    assert path.read_text() == "A='open\n"


def test_write_through_symlink_inside_folder(folder: Path) -> None:
    (folder / "real.env").write_text("A=1\n")
    link = folder / ".env"
    link.symlink_to("real.env")
    result = write_env_file(link, values())
    assert link.is_symlink()
    assert result.path == (folder / "real.env")
    assert dotenv_values(folder / "real.env")["BNXT_CLIENT_ID"] == "isv_my-app"


def test_write_refuses_symlink_outside_folder(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious\n")
    link = folder / ".env"
    link.symlink_to(target)
    with pytest.raises(EnvFileError, match="outside"):
        write_env_file(link, values())
    assert target.read_text() == "precious\n"
    result = write_env_file(link, values(), allow_outside_symlink=True)
    assert result.path == target.resolve()
    assert link.is_symlink()
    assert dotenv_values(target)["BNXT_CLIENT_SECRET"] == SECRET


def test_write_dangling_symlink_inside_folder(folder: Path) -> None:
    link = folder / ".env"
    link.symlink_to("new.env")
    result = write_env_file(link, values())
    assert result.created and (folder / "new.env").is_file()


def test_write_symlink_loop(folder: Path) -> None:
    link = folder / ".env"
    link.symlink_to(".env")
    with pytest.raises(EnvFileError):
        write_env_file(link, values())


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_interrupted_write_leaves_old_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = folder / ".env"
    path.write_text("OLD=1\n")

    def boom(*args: object, **kw: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, boom)
    with pytest.raises(FileSystemError) as caught:
        write_env_file(path, values())
    monkeypatch.undo()
    assert "disk" in caught.value.message and "Nothing was changed" in caught.value.message
    assert caught.value.exit_code == ExitCode.FILE_SYSTEM
    assert path.read_text() == "OLD=1\n"
    assert sorted(p.name for p in folder.iterdir()) == [".env"]


def test_write_refuses_git_tracked_file(repo: Path) -> None:
    path = repo / ".env"
    path.write_text("A=1\n")
    git(repo, "add", ".env")
    with pytest.raises(EnvFileError) as caught:
        write_env_file(path, values())
    assert "tracked by git" in caught.value.message
    assert "git rm --cached .env" in (caught.value.hint or "")
    assert caught.value.exit_code is ExitCode.CONFIG
    assert path.read_text() == "A=1\n"
    no_secret = {k: v for k, v in values().items() if not isinstance(v, SecretStr)}
    result = write_env_file(path, no_secret)
    assert not any(".gitignore" in w or "ask git" in w for w in result.warnings)


def test_write_without_secret_skips_git(repo: Path) -> None:
    path = repo / ".env"
    path.write_text("A=1\n")
    path.chmod(0o600)
    git(repo, "add", ".env")
    result = write_env_file(path, {"BNXT_CLIENT_ID": "x"})
    assert result.warnings == []


def test_write_in_repo_not_ignored_warns(repo: Path) -> None:
    result = write_env_file(repo / ".env", values())
    assert any("echo .env >> .gitignore" in w for w in result.warnings)
    # a command to paste as it is: into the file's own folder first (never "in ..")
    assert any(f"cd {(repo / '.env').resolve().parent} && echo" in w for w in result.warnings)
    assert (repo / ".env").exists()


def test_write_in_repo_ignored_is_quiet(repo: Path) -> None:
    (repo / ".gitignore").write_text(".env\n")
    assert write_env_file(repo / ".env", values()).warnings == []


def test_write_with_git_missing_still_writes(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(folder / "no-bin"))
    result = write_env_file(folder / ".env", values())
    assert result.warnings == []
    assert (folder / ".env").exists()


def test_write_with_git_unknown_warns(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: object, **kw: object) -> None:
        raise subprocess.TimeoutExpired(cmd="git", timeout=3)

    monkeypatch.setattr(subprocess, "run", slow)
    result = write_env_file(folder / ".env", values())
    assert any("Could not ask git" in w for w in result.warnings)


@pytest.fixture
def no_git_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    calls: list[list[str]] = []
    real = subprocess.run

    def spy(cmd: list[str], *args: object, **kw: object) -> object:
        calls.append(list(cmd))
        return real(cmd, *args, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", spy)
    yield calls


def test_git_never_sees_the_secret(repo: Path, no_git_calls: list[list[str]]) -> None:
    write_env_file(repo / ".env", values())
    assert no_git_calls
    assert all(SECRET not in " ".join(cmd) for cmd in no_git_calls)
