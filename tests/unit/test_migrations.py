"""Schema 1 -> 2: web profiles get an issuer; a version-1 file still loads, with a backup."""

from __future__ import annotations

import tomllib
from pathlib import Path

from wizard.core import config_store
from wizard.core.config_store import CONFIG_FILE, ConfigStore
from wizard.core.migrations import V2_WEB_SCOPE

V1_FILE = """\
schema_version = 1

[profiles.portal]
app_type = "web"
app_name = "Customer portal"
client_id = "isv_portal"
auth_method = "basic"
created_at = "2026-01-05T10:00:00Z"

[profiles.portal.endpoints]
token_url = "https://connect.visma.com/connect/token"
authorize_url = "https://connect.visma.com/connect/authorize"
graphql_url = "https://business.visma.net/api/graphql"
scope = "business-graphql-api:access-group-based openid email offline_access"

[profiles.portal.local_dev]
port = 44321

[profiles.portal.secret]
store = "keyring"

[profiles.custom]
app_type = "web"
app_name = "Simulator web"
client_id = "isv_custom"
created_at = "2026-01-05T10:00:00Z"

[profiles.custom.endpoints]
token_url = "http://127.0.0.1:8765/connect/token"
authorize_url = "http://127.0.0.1:8765/connect/authorize"
graphql_url = "http://127.0.0.1:8765/api/graphql"
scope = "openid business-graphql-api:access-group-based"

[profiles.sync]
app_type = "service"
app_name = "Invoice sync"
client_id = "isv_sync"
created_at = "2026-01-05T10:00:00Z"

[profiles.sync.endpoints]
token_url = "https://connect.visma.com/connect/token"
graphql_url = "https://business.visma.net/api/graphql-service"
scope = "business-graphql-service-api:access-group-based"
"""


def write(config_dir: Path) -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / CONFIG_FILE
    path.write_text(V1_FILE)
    path.chmod(0o600)
    return path


def test_version_1_web_profiles_load_and_get_an_issuer(config_dir: Path) -> None:
    path = write(config_dir)
    profiles = ConfigStore().load_all()
    portal = profiles["portal"].endpoints
    assert portal.issuer == "https://connect.visma.com"
    assert portal.authorize_url is None  # the old default: discovery gives it now
    assert portal.scope == V2_WEB_SCOPE
    assert profiles["portal"].local_dev is not None and profiles["portal"].local_dev.port == 44321
    custom = profiles["custom"].endpoints
    assert custom.issuer == "http://127.0.0.1:8765"  # where its token URL lives
    assert custom.authorize_url == "http://127.0.0.1:8765/connect/authorize"  # kept: an override
    assert custom.scope == "openid business-graphql-api:access-group-based"  # edited: kept
    sync = profiles["sync"].endpoints
    assert sync.issuer is None and sync.scope == "business-graphql-service-api:access-group-based"
    data = tomllib.loads(path.read_text())
    assert data["schema_version"] == config_store.SCHEMA_VERSION == 2
    assert "issuer" not in data["profiles"]["sync"]["endpoints"]
    [backup] = sorted(config_dir.glob(f"{CONFIG_FILE}.v1.*.bak"))
    assert backup.read_text() == V1_FILE


def test_migrated_file_round_trips(config_dir: Path) -> None:
    write(config_dir)
    store = ConfigStore()
    before = store.load_all()
    store.save(before["sync"])
    assert ConfigStore().load_all() == before
