"""The profile models: the same rules as validation.py, Visma's defaults, and lossless JSON.

Expected Visma values are written out literally from shared/domain.md rather than imported
from wizard.core.visma, so a drift in either place shows up here.
"""

from __future__ import annotations

import string
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from wizard.core.models import (
    CompanyGrant,
    Endpoints,
    EnvFileRecord,
    LocalDev,
    Profile,
    SecretRef,
    describe_validation_error,
)
from wizard.core.visma import AppType

SERVICE_DEFAULTS = {
    "token_url": "https://connect.visma.com/connect/token",
    "authorize_url": None,
    "graphql_url": "https://business.visma.net/api/graphql-service",
    "scope": "business-graphql-service-api:access-group-based",
}
WEB_DEFAULTS = {
    "token_url": "https://connect.visma.com/connect/token",
    "authorize_url": None,  # from the issuer's discovery document
    "graphql_url": "https://business.visma.net/api/graphql",
    "scope": "openid profile email offline_access business-graphql-api:access-group-based",
    "issuer": "https://connect.visma.com",
}
NO_WEB_FIELDS = {"issuer", "jwks_url", "end_session_url", "service_scope"}
MARKER = "QZX7marker"


def service_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "app_type": "service",
        "app_name": "Accountflow",
        "client_id": "isv_accountflow_app",
        "endpoints": dict(SERVICE_DEFAULTS),
        "companies": [{"company_no": 1234567, "access_group": "Admin"}],
        "secret": {"store": "keyring"},
    }
    data.update(changes)
    return data


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " | ".join(describe_validation_error(exc.value))


# ---------------------------------------------------------------- Endpoints


class TestEndpoints:
    def test_service_defaults_match_the_domain(self) -> None:
        assert Endpoints.defaults("service").model_dump(exclude=NO_WEB_FIELDS) == SERVICE_DEFAULTS
        assert Endpoints.defaults(AppType.SERVICE).model_dump(exclude_none=True) == {
            k: v for k, v in SERVICE_DEFAULTS.items() if v is not None
        }

    def test_web_defaults_match_the_domain(self) -> None:
        assert Endpoints.defaults("web").model_dump(exclude_none=True) == {
            k: v for k, v in WEB_DEFAULTS.items() if v is not None
        }
        assert Endpoints.defaults(AppType.WEB).model_dump()["service_scope"] is None

    def test_unknown_app_type_is_refused(self) -> None:
        with pytest.raises(ValueError):
            Endpoints.defaults("desktop")

    def test_token_url_defaults_to_visma_connect(self) -> None:
        endpoints = Endpoints(graphql_url=SERVICE_DEFAULTS["graphql_url"], scope="s")
        assert endpoints.token_url == "https://connect.visma.com/connect/token"
        assert endpoints.authorize_url is None

    def test_simulator_on_loopback_may_use_http(self) -> None:
        endpoints = Endpoints(
            token_url="http://127.0.0.1:8765/connect/token",
            authorize_url="http://localhost:8765/connect/authorize",
            graphql_url="http://[::1]:8765/api/graphql-service",
            scope="business-graphql-service-api:access-group-based",
        )
        assert endpoints.graphql_url == "http://[::1]:8765/api/graphql-service"

    @pytest.mark.parametrize(
        ("field", "url"),
        [
            ("token_url", "http://connect.visma.com/connect/token"),
            ("graphql_url", "ftp://business.visma.net/api/graphql"),
            ("authorize_url", "https://:x"),
            ("graphql_url", "http://127.0.0.1:0/"),
            ("token_url", " https://connect.visma.com/connect/token"),
        ],
    )
    def test_bad_urls_are_refused(self, field: str, url: str) -> None:
        data = dict(SERVICE_DEFAULTS) | {field: url}
        with pytest.raises(ValidationError) as exc:
            Endpoints.model_validate(data)
        assert messages(exc).startswith(field + ": ")

    @pytest.mark.parametrize("scope", ["", "  ", "a\tb"])
    def test_bad_scope_is_refused(self, scope: str) -> None:
        with pytest.raises(ValidationError):
            Endpoints(graphql_url=SERVICE_DEFAULTS["graphql_url"], scope=scope)

    def test_assignment_is_validated(self) -> None:
        endpoints = Endpoints.defaults("service")
        with pytest.raises(ValidationError):
            endpoints.token_url = "http://evil.example/token"
        assert endpoints.token_url == SERVICE_DEFAULTS["token_url"]

    def test_extra_fields_are_refused(self) -> None:
        with pytest.raises(ValidationError):
            Endpoints.model_validate(SERVICE_DEFAULTS | {"userinfo_url": "https://x/"})


# ---------------------------------------------------------------- LocalDev


class TestLocalDev:
    def test_defaults_give_the_seed_uris(self) -> None:
        local = LocalDev()
        assert local.login_uri == "https://app.local:12345/"
        assert local.logout_uri == "https://app.local:12345/logout"
        assert local.redirect_uri == "https://app.local:12345/signin-oidc"

    @pytest.mark.parametrize("port", [1, 443, 65535, "8443"])
    def test_ports_in_range(self, port: int | str) -> None:
        local = LocalDev(port=port)
        assert local.login_uri == f"https://app.local:{port}/"

    @pytest.mark.parametrize("port", [0, -1, 65536, "abc", "١٢", 1.5, ""])
    def test_ports_out_of_range(self, port: object) -> None:
        with pytest.raises(ValidationError) as exc:
            LocalDev(port=port)
        assert messages(exc).startswith("port: ")

    def test_bool_is_not_a_port(self) -> None:
        with pytest.raises(ValidationError):
            LocalDev(port=True)

    def test_overridden_paths(self) -> None:
        local = LocalDev(port=5001, login_path="/start", logout_path="/bye", redirect_path="/cb")
        assert local.login_uri == "https://app.local:5001/start"
        assert local.logout_uri == "https://app.local:5001/bye"
        assert local.redirect_uri == "https://app.local:5001/cb"

    def test_own_host(self) -> None:
        assert LocalDev(host="dev.example.com").redirect_uri == (
            "https://dev.example.com:12345/signin-oidc"
        )

    @pytest.mark.parametrize("host", ["localhost", "LOCALHOST"])
    def test_localhost_is_refused_with_app_local_advice(self, host: str) -> None:
        with pytest.raises(ValidationError) as exc:
            LocalDev(host=host)
        assert "app.local" in messages(exc)

    @pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2"])
    def test_a_loopback_address_is_kept_the_docs_name_only_localhost(self, host: str) -> None:
        assert LocalDev(host=host).host == host

    @pytest.mark.parametrize("host", ["", " app.local", "app.local\n", "app local", "a@b"])
    def test_bad_hosts_are_refused(self, host: str) -> None:
        with pytest.raises(ValidationError):
            LocalDev(host=host)

    @pytest.mark.parametrize("path", ["logout", "", "/a b", "/a?b=1", "/a#b", "/a\n"])
    def test_bad_paths_are_refused(self, path: str) -> None:
        with pytest.raises(ValidationError):
            LocalDev(logout_path=path)

    def test_assignment_is_validated(self) -> None:
        local = LocalDev()
        with pytest.raises(ValidationError):
            local.port = 70000


# ---------------------------------------------------------------- CompanyGrant


class TestCompanyGrant:
    @pytest.mark.parametrize(
        ("raw", "number"),
        [(1234567, 1234567), ("5280123", 5280123), (" 5280123 ", 5280123), (7654321.0, 7654321)],
    )
    def test_numbers(self, raw: object, number: int) -> None:
        assert CompanyGrant(company_no=raw, access_group="Admin").company_no == number

    @pytest.mark.parametrize("raw", [0, 12, -1, 1.5, "١٢", "abc", "", 2**31, "9" * 5000])
    def test_bad_numbers(self, raw: object) -> None:
        with pytest.raises(ValidationError) as exc:
            CompanyGrant(company_no=raw, access_group="Admin")
        assert messages(exc).startswith("company_no: ")

    def test_bool_is_not_a_company_number(self) -> None:
        with pytest.raises(ValidationError):
            CompanyGrant(company_no=True, access_group="Admin")

    def test_access_group_is_trimmed(self) -> None:
        assert (
            CompanyGrant(company_no=1234567, access_group="  Read only ").access_group
            == "Read only"
        )

    @pytest.mark.parametrize("group", ["", "   ", "Ad\x00min"])
    def test_bad_access_groups(self, group: str) -> None:
        with pytest.raises(ValidationError) as exc:
            CompanyGrant(company_no=1234567, access_group=group)
        assert messages(exc).startswith("access_group: ")


# ---------------------------------------------------------------- Profile


class TestProfile:
    def test_service_profile(self) -> None:
        profile = Profile.model_validate(service_data())
        assert profile.is_service
        assert profile.name == "default"
        assert profile.auth_method == "basic"
        assert profile.endpoints == Endpoints.defaults("service")
        assert profile.companies == [CompanyGrant(company_no=1234567, access_group="Admin")]
        assert profile.secret == SecretRef(store="keyring")
        assert profile.created_at.tzinfo is not None
        assert profile.created_at.microsecond == 0

    def test_web_profile_with_local_dev(self) -> None:
        profile = Profile(
            app_type=AppType.WEB,
            app_name="Shop",
            client_id="isv_shop",
            endpoints=Endpoints.defaults("web"),
            local_dev=LocalDev(port=5001),
        )
        assert not profile.is_service
        assert profile.local_dev is not None
        assert profile.local_dev.redirect_uri == "https://app.local:5001/signin-oidc"

    def test_client_id_of_24_fits_and_25_does_not(self) -> None:
        assert Profile.model_validate(service_data(client_id="isv_" + "a" * 20))
        with pytest.raises(ValidationError) as exc:
            Profile.model_validate(service_data(client_id="isv_" + "a" * 21))
        text = messages(exc)
        assert text.startswith("client_id: ")
        assert "User table" in text

    def test_client_id_without_prefix_is_only_a_hint(self) -> None:
        assert Profile.model_validate(service_data(client_id="accountflow")).client_id

    @pytest.mark.parametrize("client_id", ["", "isv app", "isv_café", "isv_app\n"])
    def test_bad_client_ids(self, client_id: str) -> None:
        with pytest.raises(ValidationError):
            Profile.model_validate(service_data(client_id=client_id))

    def test_app_name_is_trimmed(self) -> None:
        assert Profile.model_validate(service_data(app_name="  Flow ")).app_name == "Flow"

    def test_empty_tenant_becomes_none(self) -> None:
        assert Profile.model_validate(service_data(tenant_id="")).tenant_id is None

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("app_type", "desktop"),
            ("app_name", "  "),
            ("name", "../evil"),
            ("description", "x" * 1001),
            ("auth_method", "jwt"),
            ("tenant_id", "a b"),
            ("secret", {"store": "vault"}),
            ("companies", [{"company_no": 0, "access_group": "Admin"}]),
            ("endpoints", {"graphql_url": "http://example.com/", "scope": "s"}),
            ("local_dev", {"host": "localhost"}),
            ("client_secret", "should-not-be-a-field"),
        ],
    )
    def test_bad_fields(self, field: str, value: object) -> None:
        with pytest.raises(ValidationError) as exc:
            Profile.model_validate(service_data(**{field: value}))
        assert messages(exc).startswith(field)

    def test_duplicate_company_numbers_are_refused(self) -> None:
        companies = [
            {"company_no": 1200000, "access_group": "Admin"},
            {"company_no": 1300000, "access_group": "Admin"},
            {"company_no": "1200000", "access_group": "Read"},
        ]
        with pytest.raises(ValidationError) as exc:
            Profile.model_validate(service_data(companies=companies))
        assert "Company 1200000 is listed twice" in messages(exc)

    def test_distinct_company_numbers_are_fine(self) -> None:
        companies = [{"company_no": n, "access_group": "A"} for n in (1000001, 1000002, 1000003)]
        assert len(Profile.model_validate(service_data(companies=companies)).companies) == 3

    def test_assignment_is_validated(self) -> None:
        profile = Profile.model_validate(service_data())
        with pytest.raises(ValidationError):
            profile.client_id = "isv_" + "a" * 21
        assert profile.client_id == "isv_accountflow_app"

    def test_json_round_trip_of_a_full_profile(self) -> None:
        profile = Profile.model_validate(
            service_data(
                name="prod",
                description="Line one\nLine two",
                auth_method="post",
                tenant_id="tenant-1",
                local_dev={"port": 4443, "redirect_path": "/cb"},
                env_files=[{"path": "/srv/app/.env", "format": "shell", "include_secret": False}],
                secret={"store": "file", "previous_store": "keyring"},
                rotated_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                verified_at="2026-02-03T04:05:06Z",
            )
        )
        dumped = profile.model_dump(mode="json")
        assert Profile.model_validate(dumped) == profile
        assert Profile.model_validate_json(profile.model_dump_json()) == profile
        assert dumped["app_type"] == "service"
        assert dumped["rotated_at"] == "2026-01-02T03:04:05Z"


# ---------------------------------------------------------------- describe_validation_error


class TestDescribeValidationError:
    def test_plain_messages_with_location(self) -> None:
        with pytest.raises(ValidationError) as exc:
            Profile.model_validate(service_data(companies=[{"company_no": 0, "access_group": "A"}]))
        (text,) = describe_validation_error(exc.value)
        assert text.startswith("companies.0.company_no: Too short to be a Visma.net company ID")
        assert "Value error" not in text

    def test_other_exceptions_pass_through(self) -> None:
        assert describe_validation_error(RuntimeError("boom")) == ["boom"]

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("client_id", f"isv {MARKER} é"),
            ("client_id", MARKER * 4),
            ("app_name", f"{MARKER}\x00"),
            ("name", f"-{MARKER}"),
            ("description", f"{MARKER}\x07"),
            ("tenant_id", f"{MARKER} x"),
            ("auth_method", MARKER),
            ("app_type", MARKER),
            ("created_at", MARKER),
            ("endpoints", {"graphql_url": f"http://{MARKER}.example/", "scope": "s"}),
            ("endpoints", {"graphql_url": f"https://user:{MARKER}@x/", "scope": "s"}),
            ("endpoints", {"graphql_url": f"https://x:{MARKER}/", "scope": "s"}),
            ("endpoints", {"graphql_url": "https://x/", "scope": f"{MARKER}\t"}),
            ("local_dev", {"port": MARKER}),
            ("local_dev", {"host": f"{MARKER} "}),
            ("local_dev", {"login_path": f"/{MARKER}?x"}),
            ("local_dev", {"login_path": MARKER}),
            ("companies", [{"company_no": MARKER, "access_group": "A"}]),
            ("companies", [{"company_no": 1234567, "access_group": f"{MARKER}\x1b"}]),
            ("secret", {"store": MARKER}),
            ("env_files", MARKER),
        ],
    )
    def test_never_echoes_the_input(self, field: str, value: object) -> None:
        with pytest.raises(ValidationError) as exc:
            Profile.model_validate(service_data(**{field: value}))
        for text in describe_validation_error(exc.value):
            assert MARKER not in text

    @settings(max_examples=200)
    @given(
        field=st.sampled_from(
            [
                "name",
                "app_name",
                "client_id",
                "description",
                "tenant_id",
                "auth_method",
                "app_type",
                "created_at",
                "endpoints.token_url",
                "endpoints.scope",
                "local_dev.host",
                "local_dev.port",
                "local_dev.redirect_path",
                "companies.company_no",
                "companies.access_group",
                "secret.store",
            ]
        ),
        head=st.text(max_size=20),
        tail=st.text(max_size=20),
    )
    def test_never_echoes_arbitrary_input(self, field: str, head: str, tail: str) -> None:
        value = f"{head}{MARKER}{tail}"
        data = service_data(local_dev={})
        data["companies"] = [dict(data["companies"][0])]
        outer, _, inner = field.partition(".")
        if not inner:
            data[outer] = value
        elif outer == "companies":
            data["companies"][0][inner] = value
        else:
            data[outer] = dict(data[outer]) | {inner: value}
        try:
            Profile.model_validate(data)
        except ValidationError as exc:
            for text in describe_validation_error(exc):
                assert MARKER not in text


# ---------------------------------------------------------------- properties

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=200)
@given(
    overrides=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "app_type",
                "app_name",
                "client_id",
                "description",
                "endpoints",
                "auth_method",
                "tenant_id",
                "local_dev",
                "companies",
                "secret",
                "env_files",
                "created_at",
            ]
        ),
        json_values,
        max_size=4,
    )
)
def test_any_json_gives_a_profile_or_plain_messages(overrides: dict[str, Any]) -> None:
    try:
        Profile.model_validate(service_data(**overrides))
    except ValidationError as exc:
        texts = describe_validation_error(exc)
        assert texts
        assert all(t.strip() for t in texts)


printable = st.characters(codec="utf-8").filter(str.isprintable)
client_ids = st.text(string.ascii_letters + string.digits + "_-.", min_size=1, max_size=24)
app_names = st.text(printable, min_size=1, max_size=100).filter(str.strip)
access_groups = st.text(printable, min_size=1, max_size=30).filter(str.strip)
moments = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)
loopback_url = st.builds(
    "{}://{}:{}/{}".format,
    st.sampled_from(["http", "https"]),
    st.sampled_from(["127.0.0.1", "localhost", "[::1]"]),
    st.integers(1, 65535),
    st.sampled_from(["", "graphql", "connect/token"]),
)


@st.composite
def endpoints(draw: st.DrawFn) -> Endpoints:
    app_type = draw(st.sampled_from(list(AppType)))
    if draw(st.booleans()):
        return Endpoints.defaults(app_type)
    return Endpoints(
        token_url=draw(loopback_url),
        authorize_url=draw(st.one_of(st.none(), loopback_url)),
        graphql_url=draw(loopback_url),
        scope=draw(st.sampled_from(["a", "a b", "business-graphql-api:access-group-based"])),
    )


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    numbers = draw(st.lists(st.integers(100_000, 2**31 - 1), max_size=4, unique=True))
    local_dev = draw(
        st.one_of(
            st.none(),
            st.builds(
                LocalDev,
                port=st.integers(1, 65535),
                redirect_path=st.sampled_from(["/signin-oidc", "/cb", "/auth/callback"]),
            ),
        )
    )
    return Profile(
        name=draw(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}", fullmatch=True)),
        app_type=draw(st.sampled_from(list(AppType))),
        app_name=draw(app_names),
        client_id=draw(client_ids),
        description=draw(st.text(st.one_of(printable, st.sampled_from("\n\t")), max_size=40)),
        endpoints=draw(endpoints()),
        auth_method=draw(st.sampled_from(["basic", "post"])),
        tenant_id=draw(st.one_of(st.none(), st.text(string.ascii_letters + "-", max_size=20))),
        local_dev=local_dev,
        companies=[CompanyGrant(company_no=n, access_group=draw(access_groups)) for n in numbers],
        secret=draw(
            st.one_of(
                st.none(),
                st.builds(
                    SecretRef,
                    store=st.sampled_from(["keyring", "file", "env"]),
                    previous_store=st.sampled_from([None, "keyring", "file", "env"]),
                ),
            )
        ),
        env_files=draw(
            st.lists(
                st.builds(
                    EnvFileRecord,
                    path=st.text(printable, max_size=30),
                    format=st.sampled_from(["dotenv", "json", "shell"]),
                    prefix=st.text(string.ascii_uppercase + "_", max_size=8),
                    include_secret=st.booleans(),
                ),
                max_size=3,
            )
        ),
        created_at=draw(moments),
        rotated_at=draw(st.one_of(st.none(), moments)),
        verified_at=draw(st.one_of(st.none(), moments)),
    )


@settings(max_examples=60, deadline=None)
@given(profiles())
def test_json_round_trip_is_lossless(profile: Profile) -> None:
    dumped = profile.model_dump(mode="json")
    again = Profile.model_validate(dumped)
    assert again == profile
    assert again.model_dump(mode="json") == dumped
    assert Profile.model_validate_json(profile.model_dump_json()) == profile
