"""What one run of the interactive wizard works with: the folder, the profile, the demo."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wizard.core.visma import AppType
from wizard.core.workspace import Workspace

if TYPE_CHECKING:  # kept out of start-up: the first screen needs none of them
    from pydantic import SecretStr

    from wizard.core._http import ClientOptions
    from wizard.core.models import Endpoints, SecretStoreKind
    from wizard.core.secrets import KeyringProbe


@dataclass(frozen=True)
class DemoInfo:
    """The simulator the demo runs against, and the credentials a newcomer types."""

    base_url: str
    token_url: str
    graphql_service_url: str
    graphql_url: str
    client_id: str
    secret: SecretStr
    next_secret: SecretStr
    companies: tuple[tuple[int, str], ...]
    web_client_id: str = ""
    web_secret: SecretStr | None = None
    users: tuple[tuple[str, str], ...] = ()  # demo users who can sign in: (user name, password)

    def secret_for(self, client_id: str) -> SecretStr | None:
        """The demo secret of the client ID typed (service or web), if it is a demo client."""
        if client_id == self.client_id:
            return self.secret
        if client_id and client_id == self.web_client_id:
            return self.web_secret
        return None

    def endpoints(self, app_type: AppType) -> Endpoints:
        from wizard.core.models import Endpoints

        ep = Endpoints.defaults(app_type)
        graphql = self.graphql_service_url if app_type is AppType.SERVICE else self.graphql_url
        web = app_type is AppType.WEB
        return ep.model_copy(
            update={
                "token_url": self.token_url,
                "graphql_url": graphql,
                "issuer": self.base_url if web else None,  # discovery gives the rest
            }
        )


@dataclass
class Session:
    workspace: Workspace
    profile: str = "default"
    start: str = "welcome"  # welcome | onboarding | rotate
    demo: DemoInfo | None = None
    forced_store: SecretStoreKind | None = None  # the demo keeps its secret in its temp folder
    throwaway_folder: bool = False  # the demo's folder is deleted on exit (no --config-dir)
    options: ClientOptions | None = None  # --ca-bundle, --timeout: for every request the UI makes
    notes: list[str] = field(default_factory=list)
    keyring_probe: KeyringProbe | None = None  # probed once per run: it can take seconds
