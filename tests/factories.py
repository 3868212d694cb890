"""Small builders shared by the tests."""

from __future__ import annotations

from typing import Any

from wizard.core.models import Endpoints, Profile


def make_profile(name: str = "default", **changes: Any) -> Profile:
    """A valid service profile; pass keyword arguments to change any field."""
    data: dict[str, Any] = {
        "name": name,
        "app_type": "service",
        "app_name": "Accountflow",
        "client_id": "isv_accountflow_app",
        "endpoints": Endpoints.defaults("service"),
    }
    data.update(changes)
    return Profile.model_validate(data)
