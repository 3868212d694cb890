"""The demo knows both demo clients: each client ID typed gets its own secret, and the
web demo's endpoints come from the simulator's issuer."""

from __future__ import annotations

from wizard.core.visma import AppType
from wizard.launch import demo_info
from wizard.simulator import DEMO_CLIENT_ID, DEMO_SECRET, DEMO_WEB_CLIENT_ID, Simulator


def test_demo_secret_follows_the_client_id_typed() -> None:
    with Simulator() as sim:
        demo = demo_info(sim)
        web = sim.seed.client(DEMO_WEB_CLIENT_ID)
        assert web is not None
        service_secret = demo.secret_for(DEMO_CLIENT_ID)
        web_secret = demo.secret_for(DEMO_WEB_CLIENT_ID)
        assert service_secret is not None and service_secret.get_secret_value() == DEMO_SECRET
        assert web_secret is not None and web_secret == web.secrets[0]
        assert demo.secret_for("isv_someone_else") is None and demo.secret_for("") is None
        assert demo.web_client_id == DEMO_WEB_CLIENT_ID
        assert [u for u, _ in demo.users] == [p.username for p in sim.seed.users]
        endpoints = demo.endpoints(AppType.WEB)
        assert endpoints.issuer == sim.base_url and endpoints.authorize_url is None
        assert endpoints.token_url == sim.token_url and endpoints.graphql_url == sim.graphql_url
        assert demo.endpoints(AppType.SERVICE).issuer is None


def test_demo_web_client_registers_the_default_port() -> None:
    from wizard.core.models import LocalDev
    from wizard.simulator import load_seed

    web = load_seed().client(DEMO_WEB_CLIENT_ID)
    assert web is not None and web.redirect_uris == [LocalDev().redirect_uri]
