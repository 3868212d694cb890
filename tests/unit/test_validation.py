"""Every input rule of the wizard, at its boundaries and under arbitrary text.

The rules come from the seed (client ID limit, app.local instead of localhost) and from what
keeps users out of trouble (no silent trimming, no secrets in messages). The property tests
throw arbitrary text at every entry point: bad input must always become a message.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.core import validation as v
from wizard.core.validation import Finding

ACTION_WORDS = re.compile(
    r"\b(give|use|enter|keep|retype|remove|register|paste|copy|generate|write|start|change)\b",
    re.IGNORECASE,
)
CLIENT_ID_ALPHABET = string.ascii_letters + string.digits + "_-."


def levels(findings: list[Finding]) -> list[str]:
    return [f.level for f in findings]


def is_ok(findings: list[Finding]) -> bool:
    return not v.errors(findings)


def assert_sentence(message: str) -> None:
    assert message.strip() == message, message
    assert message[0].isupper(), message
    assert message.endswith("."), message


def assert_actionable(message: str) -> None:
    """A complete sentence that tells the user what to do."""
    assert_sentence(message)
    assert ACTION_WORDS.search(message), f"says nothing to do: {message!r}"


# ---------------------------------------------------------------- client ID


class TestClientId:
    def test_empty_is_required(self) -> None:
        found = v.check_client_id("")
        assert levels(found) == ["error"]
        assert "client ID" in found[0].message

    @pytest.mark.parametrize("length", [1, 23, 24])
    def test_up_to_24_characters_fit(self, length: int) -> None:
        value = ("isv_" + "a" * 30)[:length] if length >= 4 else "a" * length
        assert is_ok(v.check_client_id(value))

    def test_25_characters_do_not_fit_and_the_message_says_why(self) -> None:
        found = v.check_client_id("isv_" + "a" * 21)
        message = v.first_error(found)
        assert message is not None
        assert "25" in message
        assert "24" in message
        assert "User table" in message
        assert "Business NXT" in message

    def test_prefix_counts_toward_the_limit(self) -> None:
        assert is_ok(v.check_client_id("isv_" + "x" * 20))
        assert not is_ok(v.check_client_id("isv_" + "x" * 21))

    def test_exactly_isv_plus_20_has_no_hint(self) -> None:
        assert v.check_client_id("isv_" + "b" * 20) == []

    def test_real_world_ids_are_clean(self) -> None:
        assert v.check_client_id("isv_accountflow_app") == []
        assert v.check_client_id("isv_my-application") == []

    def test_missing_prefix_is_a_hint_not_an_error(self) -> None:
        found = v.check_client_id("accountflow_app")
        assert levels(found) == ["hint"]
        assert "isv_" in found[0].message
        assert "24" in found[0].message

    def test_uppercase_prefix_still_gets_the_hint(self) -> None:
        assert levels(v.check_client_id("ISV_app")) == ["hint"]

    def test_no_hint_when_there_is_an_error(self) -> None:
        assert levels(v.check_client_id("no prefix")) == ["error"]

    @pytest.mark.parametrize(
        "value", ["isv app", "isv_app ", " isv_app", "isv\tapp", "isv_app\n", "isv\u00a0app"]
    )
    def test_whitespace_is_refused(self, value: str) -> None:
        message = v.first_error(v.check_client_id(value))
        assert message is not None
        assert "whitespace" in message

    @pytest.mark.parametrize("value", ["isv_café", "isv_ñandú", "isv_日本", "isv_app!", "isv/app"])
    def test_characters_outside_the_documented_set_are_named(self, value: str) -> None:
        message = v.first_error(v.check_client_id(value))
        assert message is not None
        assert v.CLIENT_ID_ALLOWED in message
        bad = next(c for c in value if c not in CLIENT_ID_ALPHABET)
        assert repr(bad) in message

    def test_unicode_digits_are_not_allowed(self) -> None:
        assert not is_ok(v.check_client_id("isv_١٢"))

    def test_whitespace_and_bad_characters_are_both_reported(self) -> None:
        found = v.check_client_id("isv é")
        assert levels(found) == ["error", "error"]

    def test_all_errors_at_once_for_a_long_bad_id(self) -> None:
        found = v.check_client_id("isv é" + "a" * 30)
        assert levels(found) == ["error", "error", "error"]

    def test_documented_set_matches_the_rule(self) -> None:
        assert is_ok(v.check_client_id("isv_" + CLIENT_ID_ALPHABET[:20]))
        assert is_ok(v.check_client_id("A.b-C_9"))

    @given(st.text(alphabet=CLIENT_ID_ALPHABET, min_size=1, max_size=24))
    def test_allowed_alphabet_up_to_24_is_accepted(self, value: str) -> None:
        found = v.check_client_id(value)
        assert is_ok(found)
        assert levels(found) == ([] if value.startswith("isv_") else ["hint"])

    @given(st.text(alphabet=CLIENT_ID_ALPHABET, min_size=25, max_size=200))
    def test_allowed_alphabet_over_24_is_refused(self, value: str) -> None:
        found = v.check_client_id(value)
        assert levels(found) == ["error"]
        assert str(len(value)) in found[0].message


# ---------------------------------------------------------------- secret


class TestSecret:
    def test_plain_secret_is_fine(self) -> None:
        assert v.check_secret("s3cr3t-VALUE~x", "isv_app") == []

    @pytest.mark.parametrize("value", ["", " ", "\t", "\n", " \r\n "])
    def test_empty_or_blank_is_refused(self, value: str) -> None:
        message = v.first_error(v.check_secret(value))
        assert message is not None
        assert "Paste" in message

    @pytest.mark.parametrize("value", [" abc", "abc ", "\tabc", "abc\n", "abc\r\n", " abc "])
    def test_surrounding_whitespace_is_a_warning(self, value: str) -> None:
        found = v.check_secret(value)
        assert levels(found) == ["warning"]
        assert "trimmed" in found[0].message

    def test_inner_space_is_kept(self) -> None:
        assert v.check_secret("ab cd") == []

    @pytest.mark.parametrize("value", ["ab\x00cd", "ab\x1bcd", "ab\x7fcd", "ab\u200bcd", "a\tb"])
    def test_control_characters_are_refused(self, value: str) -> None:
        message = v.first_error(v.check_secret(value))
        assert message is not None
        assert "copy it again" in message

    def test_equal_to_client_id_is_refused(self) -> None:
        message = v.first_error(v.check_secret("isv_app", "isv_app"))
        assert message is not None
        assert "client ID" in message

    def test_equal_to_client_id_after_trimming_is_refused(self) -> None:
        found = v.check_secret("  isv_app\n", "isv_app")
        assert levels(found) == ["warning", "error"]
        trimmed, _ = v.normalize_secret("  isv_app\n")
        assert not is_ok(v.check_secret(trimmed, "isv_app"))

    def test_equal_to_a_client_id_with_stray_spaces_is_refused(self) -> None:
        assert not is_ok(v.check_secret("isv_app", " isv_app "))

    def test_no_client_id_means_no_comparison(self) -> None:
        assert v.check_secret("isv_app", None) == []
        assert v.check_secret("isv_app", "") == []
        assert v.check_secret("isv_app", "   ") == []

    def test_similar_to_client_id_is_fine(self) -> None:
        assert v.check_secret("ISV_APP", "isv_app") == []


class TestNormalizeSecret:
    @pytest.mark.parametrize("value", [" abc", "abc ", "\tabc\n", "abc\r\n", "\u00a0abc"])
    def test_trims_and_warns(self, value: str) -> None:
        trimmed, found = v.normalize_secret(value)
        assert trimmed == "abc"
        assert levels(found) == ["warning"]
        assert found[0].field == "secret"
        assert "Removed whitespace" in found[0].message

    def test_clean_secret_is_unchanged_and_silent(self) -> None:
        assert v.normalize_secret("a b") == ("a b", [])

    def test_blank_secret_is_left_for_check_secret(self) -> None:
        trimmed, found = v.normalize_secret("  \n")
        assert found == []
        assert not is_ok(v.check_secret(trimmed))

    @given(st.text())
    def test_never_trims_silently(self, value: str) -> None:
        trimmed, found = v.normalize_secret(value)
        if trimmed != value:
            assert levels(found) == ["warning"]
            assert trimmed == value.strip()
        else:
            assert found == []

    @given(st.text(), st.text(min_size=1))
    def test_warning_never_contains_the_secret(self, head: str, tail: str) -> None:
        secret = f" {head}MARKER-3f9a{tail}\n"
        _, found = v.normalize_secret(secret)
        for f in found:
            assert "MARKER-3f9a" not in f.message


# ---------------------------------------------------------------- port


class TestPort:
    @pytest.mark.parametrize("value", ["1", "65535", "12345", " 12 ", "080", 1, 65535, 8443])
    def test_accepted(self, value: str | int) -> None:
        assert v.check_port(value) == []

    @pytest.mark.parametrize(
        "value",
        [
            "0",
            "65536",
            "abc",
            "",
            " ",
            "-1",
            "+80",
            "1.5",
            "1e3",
            "0x50",
            "١٢",
            "²",
            "\uff18\uff10",
            "½",
        ],
    )
    def test_refused_text(self, value: str) -> None:
        message = v.first_error(v.check_port(value))
        assert message is not None
        assert "1-65535" in message

    @pytest.mark.parametrize(
        "value", [0, -1, 65536, True, False, pytest.param(10**5000, id="huge")]
    )
    def test_refused_numbers(self, value: int) -> None:
        assert not is_ok(v.check_port(value))

    def test_huge_digit_strings_do_not_crash(self) -> None:
        assert not is_ok(v.check_port("9" * 5000))
        assert not is_ok(v.check_port("0" * 5000 + "80"))

    @given(st.text(max_size=40))
    def test_accepted_text_is_safe_for_int(self, value: str) -> None:
        if is_ok(v.check_port(value)):
            assert 1 <= int(value) <= 65535


# ---------------------------------------------------------------- portal URIs


class TestPortalUri:
    @pytest.mark.parametrize(
        ("uri", "path"),
        [
            ("https://app.local:12345/", "/"),
            ("https://app.local:12345", "/"),
            ("https://app.local:12345/logout", "/logout"),
            ("https://app.local:12345/signin-oidc", "/signin-oidc"),
            ("HTTPS://APP.LOCAL:1/", "/"),
            ("https://app.local:65535/", "/"),
            ("https://app.local/", "/"),
            ("https://myapp.example.com/signin-oidc", "/signin-oidc"),
        ],
    )
    def test_accepted(self, uri: str, path: str) -> None:
        assert v.check_portal_uri(uri, path) == []

    def test_no_expected_path_accepts_any_path(self) -> None:
        assert v.check_portal_uri("https://app.local:1/anything/at/all") == []

    @pytest.mark.parametrize(
        "uri",
        [
            "https://localhost:12345/",
            "https://LOCALHOST:1/",
            "https://localhost./",
        ],
    )
    def test_localhost_is_refused_as_documented(self, uri: str) -> None:
        message = v.first_error(v.check_portal_uri(uri))
        assert message is not None
        assert "does not support localhost" in message
        assert "127.0.0.1 app.local" in message

    @pytest.mark.parametrize(
        "uri",
        [
            "https://127.0.0.1:12345/",
            "https://127.0.0.2/",
            "https://[::1]:8443/",
            "https://[::ffff:127.0.0.1]/",
        ],
    )
    def test_numeric_loopback_is_accepted_with_advice(self, uri: str) -> None:
        """The docs name only localhost: a loopback address gets advice, not a refusal."""
        found = v.check_portal_uri(uri)
        assert [f.level for f in found] == ["warning"]
        assert "may or may not" in found[0].message and "app.local" in found[0].message

    @pytest.mark.parametrize(
        "uri", ["http://app.local:1/", "ftp://app.local/", "app.local:1/", "//app.local/", "x"]
    )
    def test_only_https(self, uri: str) -> None:
        message = v.first_error(v.check_portal_uri(uri))
        assert message is not None
        assert "https://" in message

    @pytest.mark.parametrize(
        "uri",
        [
            "https://app.local:0/",
            "https://app.local:65536/",
            "https://app.local:abc/",
            "https://app.local:-1/",
            "https://app.local:١٢/",
            "https://app.local:" + "9" * 5000 + "/",
        ],
    )
    def test_port_range(self, uri: str) -> None:
        message = v.first_error(v.check_portal_uri(uri))
        assert message is not None
        assert "1 to 65535" in message

    def test_empty_port_is_no_port(self) -> None:
        assert v.check_portal_uri("https://app.local:/") == []

    @pytest.mark.parametrize("uri", ["https://:x", "https://", "https:///path", "https://:443/"])
    def test_no_host(self, uri: str) -> None:
        assert not is_ok(v.check_portal_uri(uri))

    @pytest.mark.parametrize("uri", ["https://[::1", "https://[app.local]/", "https://a\uff03b/"])
    def test_unparseable(self, uri: str) -> None:
        assert not is_ok(v.check_portal_uri(uri))

    @pytest.mark.parametrize(
        "uri",
        [
            " https://app.local:1/",
            "https://app.local:1/ ",
            "https://app.local:1/sign\nin-oidc",
            "https://app.local:1/sign\tin-oidc",
            "https://app.lo\rcal:1/",
            "https://app.local:1/\x00",
            "https://app.local:1/\u200b",
        ],
    )
    def test_whitespace_and_controls_are_refused(self, uri: str) -> None:
        message = v.first_error(v.check_portal_uri(uri, "/signin-oidc"))
        assert message is not None
        assert "Remove the spaces" in message

    def test_credentials_are_refused(self) -> None:
        message = v.first_error(v.check_portal_uri("https://me:pw@app.local:1/"))
        assert message is not None
        assert "@" in message
        assert "pw" not in message

    def test_fragment_is_refused(self) -> None:
        assert not is_ok(v.check_portal_uri("https://app.local:1/signin-oidc#x", "/signin-oidc"))
        assert not is_ok(v.check_portal_uri("https://app.local:1/#", "/"))

    def test_query_is_allowed(self) -> None:
        assert v.check_portal_uri("https://app.local:1/signin-oidc?a=b", "/signin-oidc") == []

    @pytest.mark.parametrize(
        ("uri", "path"),
        [
            ("https://app.local:1/signin", "/signin-oidc"),
            ("https://app.local:1/signin-oidc/", "/signin-oidc"),
            ("https://app.local:1/Logout", "/logout"),
            ("https://app.local:1/logout", "/"),
            ("https://app.local:1/", "/logout"),
            ("https://app.local:1", "/signin-oidc"),
        ],
    )
    def test_paths_must_match_exactly(self, uri: str, path: str) -> None:
        message = v.first_error(v.check_portal_uri(uri, path))
        assert message is not None
        assert repr(path) in message
        assert "override" in message

    def test_overridden_path_is_honoured(self) -> None:
        assert v.check_portal_uri("https://app.local:1/auth/callback", "/auth/callback") == []

    @pytest.mark.parametrize("path", ["signin-oidc", "", "/a b", "/a?b", "/a#b", "/a\n"])
    def test_a_bad_overridden_path_is_reported_as_such(self, path: str) -> None:
        message = v.first_error(v.check_portal_uri("https://app.local:1/x", path))
        assert message is not None
        assert message.startswith("Write the path")

    def test_field_name_is_carried(self) -> None:
        assert v.check_portal_uri("http://x/", field="redirect_uri")[0].field == "redirect_uri"


class TestUriPath:
    @pytest.mark.parametrize("path", ["/", "/logout", "/signin-oidc", "/a/b.c", "/%20"])
    def test_accepted(self, path: str) -> None:
        assert v.check_uri_path(path) == []

    @pytest.mark.parametrize("path", ["", "logout", " /", "/a b", "/a?b", "/a#b", "/\t"])
    def test_refused(self, path: str) -> None:
        assert not is_ok(v.check_uri_path(path))


# ---------------------------------------------------------------- endpoint URLs


class TestEndpointUrl:
    @pytest.mark.parametrize(
        "url",
        [
            "https://connect.visma.com/connect/token",
            "https://business.visma.net/api/graphql-service",
            "https://127.0.0.1:8443/graphql",
            "http://127.0.0.1:8000/connect/token",
            "http://localhost:8000/graphql",
            "http://LOCALHOST/graphql",
            "HTTP://localhost/",
            "http://[::1]:8443/graphql",
            "http://127.0.0.2:9000/",
            "https://example.com:443/x?y=1",
        ],
    )
    def test_accepted(self, url: str) -> None:
        assert v.check_endpoint_url(url) == []

    @pytest.mark.parametrize(
        "url",
        [
            "http://connect.visma.com/connect/token",
            "http://app.local:1/",
            "http://192.168.1.10/",
            "http://localhost.example.com/",
            "http://127.0.0.1.nip.io/",
        ],
    )
    def test_http_off_loopback_is_refused(self, url: str) -> None:
        message = v.first_error(v.check_endpoint_url(url))
        assert message is not None
        assert "https://" in message
        assert "loopback" in message

    @pytest.mark.parametrize("url", ["ftp://example.com/", "file:///etc/passwd", "example.com", ""])
    def test_other_schemes_are_refused(self, url: str) -> None:
        message = v.first_error(v.check_endpoint_url(url))
        assert message is not None
        assert "https://" in message

    @pytest.mark.parametrize(
        "url",
        [
            "https://:x",
            "https://",
            "http://",
            "https://[::1",
            "http://127.0.0.1:0/",
            "http://127.0.0.1:65536/",
            "https://x:abc/",
            "https://x/a\tb",
            " https://x/",
            "https://x/\n",
            "https://user:pw@x/",
        ],
    )
    def test_garbage_is_refused(self, url: str) -> None:
        assert not is_ok(v.check_endpoint_url(url))

    def test_messages_do_not_echo_the_url(self) -> None:
        url = "https://user:hunter2@x:abc/"
        for f in v.check_endpoint_url(url):
            assert "hunter2" not in f.message


# ---------------------------------------------------------------- companies


class TestCompanyNumber:
    @pytest.mark.parametrize(
        "value", ["1234567", " 5280123 ", "0100000", "100000", "2147483647", 1234567, 99887766]
    )
    def test_accepted(self, value: str | int) -> None:
        assert v.check_company_number(value) == []

    @pytest.mark.parametrize("value", ["0", "1", "12", "4711", 99999, "0099999"])
    def test_too_short_for_a_visma_net_company_id(self, value: str | int) -> None:
        message = v.first_error(v.check_company_number(value))
        assert message is not None
        assert "Too short to be a Visma.net company ID" in message
        assert "useCompany(no:)" in message and "1234567" in message

    @pytest.mark.parametrize(
        "value",
        [
            "-1",
            "1.5",
            "",
            " ",
            "abc",
            "1 2",
            "+5",
            "١٢",
            "²",
            "\uff11\uff12",
            "9" * 5000,
        ],
    )
    def test_refused(self, value: str) -> None:
        message = v.first_error(v.check_company_number(value))
        assert message is not None
        assert "Visma.net company ID" in message
        assert "0-9" in message

    def test_above_a_graphql_int_is_refused_with_the_reason(self) -> None:
        message = v.first_error(v.check_company_number("2147483648"))
        assert message is not None and "GraphQL Int" in message

    @pytest.mark.parametrize("value", [0, -1, 2**31, True, pytest.param(10**5000, id="huge")])
    def test_refused_numbers(self, value: int) -> None:
        assert not is_ok(v.check_company_number(value))

    @given(st.one_of(st.text(max_size=40), st.from_regex(r"\s*0*[0-9]{1,12}\s*", fullmatch=True)))
    def test_accepted_text_is_safe_for_int(self, value: str) -> None:
        if is_ok(v.check_company_number(value)):
            assert v.COMPANY_NO_MIN <= int(value) <= v.COMPANY_NO_MAX

    def test_arabic_indic_digits_are_refused_although_int_accepts_them(self) -> None:
        assert "١٢".isdigit()
        assert int("١٢") == 12
        assert not is_ok(v.check_company_number("١٢"))


class TestAccessGroup:
    @pytest.mark.parametrize("value", ["Admin", "Full access", "Les-og-skriv æøå"])
    def test_accepted(self, value: str) -> None:
        assert v.check_access_group(value) == []

    @pytest.mark.parametrize("value", ["", " ", "\t"])
    def test_blank_is_refused(self, value: str) -> None:
        assert not is_ok(v.check_access_group(value))

    @pytest.mark.parametrize("value", ["Ad\x00min", "Ad\nmin", "A\x1b[31m", "Full\u00a0access"])
    def test_control_or_invisible_characters_are_refused(self, value: str) -> None:
        assert not is_ok(v.check_access_group(value))

    @pytest.mark.parametrize("value", ["Admin\n", " Admin ", "\u00a0Admin"])
    def test_surrounding_whitespace_is_left_to_the_trim(self, value: str) -> None:
        assert v.check_access_group(value) == []


class TestParseCompanySpec:
    @pytest.mark.parametrize(
        ("spec", "expected"),
        [
            ("1234567:Admin", (1234567, "Admin")),
            (" 5280123 : Read only ", (5280123, "Read only")),
            ("7654321:Group:with:colons", (7654321, "Group:with:colons")),
            ("0007654321:A", (7654321, "A")),
        ],
    )
    def test_parsed(self, spec: str, expected: tuple[int, str]) -> None:
        number, group, found = v.parse_company_spec(spec)
        assert (number, group) == expected
        assert found == []

    @pytest.mark.parametrize(
        "spec",
        [
            "1234567",
            "",
            ":",
            "0:Admin",
            "12:Admin",
            "-1:Admin",
            "1.5:Admin",
            "١٢:Admin",
            "1234567:",
            "1234567: ",
            "x:y",
        ],
    )
    def test_refused(self, spec: str) -> None:
        number, group, found = v.parse_company_spec(spec)
        assert (number, group) == (0, "")
        assert not is_ok(found)

    def test_missing_colon_shows_the_format(self) -> None:
        _, _, found = v.parse_company_spec("1234567")
        assert "VISMA_NET_COMPANY_ID:ACCESS_GROUP" in found[0].message

    def test_both_halves_reported(self) -> None:
        _, _, found = v.parse_company_spec("0:")
        assert [f.field for f in found] == ["company_no", "access_group"]


# ---------------------------------------------------------------- other fields


class TestOtherFields:
    @pytest.mark.parametrize("value", ["default", "dev", "prod-2", "a", "A.b_c-d", "x" * 64])
    def test_profile_names_accepted(self, value: str) -> None:
        assert v.check_profile_name(value) == []

    @pytest.mark.parametrize("value", ["", ".hidden", "-x", "a b", "x" * 65, "ü", "../etc", "a/b"])
    def test_profile_names_refused(self, value: str) -> None:
        assert not is_ok(v.check_profile_name(value))

    def test_app_name(self) -> None:
        assert v.check_app_name("Accountflow") == []
        assert not is_ok(v.check_app_name("  "))
        assert not is_ok(v.check_app_name("x" * (v.NAME_MAX + 1)))
        assert v.check_app_name("x" * v.NAME_MAX) == []
        assert not is_ok(v.check_app_name("a\nb"))
        assert v.check_app_name(" Accountflow\n") == []
        assert v.check_app_name(" " + "x" * v.NAME_MAX + " ") == []

    def test_description(self) -> None:
        assert v.check_description("") == []
        assert v.check_description("line one\nline\ttwo") == []
        assert v.check_description("x" * v.DESCRIPTION_MAX) == []
        assert not is_ok(v.check_description("x" * (v.DESCRIPTION_MAX + 1)))
        assert not is_ok(v.check_description("bell\x07"))

    def test_scope(self) -> None:
        assert v.check_scope("business-graphql-api:access-group-based openid") == []
        assert not is_ok(v.check_scope(""))
        assert not is_ok(v.check_scope("a\tb"))

    @pytest.mark.parametrize(
        "scope",
        [
            "business-graphql-service-api:access-group-based",
            "business-graphql-service-api:access-group-based-readonly",
            "openid profile email offline_access business-graphql-api:access-group-based",
        ],
    )
    def test_documented_scopes_pass_quietly(self, scope: str) -> None:
        assert v.check_scope(scope) == []

    def test_an_undocumented_scope_is_kept_with_a_warning_naming_the_documented(self) -> None:
        found = v.check_scope("business-graphql-service-api:everything openid")
        assert [f.level for f in found] == ["warning"]
        message = found[0].message
        assert message.startswith("Not among the scopes Visma documents for Business NXT: ")
        assert "NXT: business-graphql-service-api:everything (kept" in message
        assert "business-graphql-service-api:access-group-based-readonly" in message
        assert "openid profile email offline_access" in message
        assert "everything openid" not in message

    def test_tenant_id(self) -> None:
        assert v.check_tenant_id("") == []
        assert v.check_tenant_id("0f1e2d3c-aaaa") == []
        assert not is_ok(v.check_tenant_id("a b"))
        assert not is_ok(v.check_tenant_id("ab\x00"))

    def test_finding_helpers(self) -> None:
        found = [Finding("hint", "H."), Finding("error", "E1."), Finding("error", "E2.")]
        assert v.errors(found) == ["E1.", "E2."]
        assert v.first_error(found) == "E1."
        assert v.first_error(found[:1]) is None


# ---------------------------------------------------------------- properties

# Text that reaches the odd corners: every unicode category, URL-ish prefixes, digits.
any_char = st.one_of(
    st.characters(codec=None, exclude_categories=()),
    st.characters(codec=None, categories=["Cs"]),  # lone surrogates, as broken pastes give
)
any_text = st.text(any_char, max_size=60)
url_like = st.builds(
    lambda a, b: a + b,
    st.sampled_from(
        ["", "https://", "http://", "ftp://", "https://[", "https://:", "//", "http://["]
    ),
    any_text,
)
numberish = st.one_of(
    any_text,
    st.from_regex("\\s*[+-]?[0-9\u0660-\u0669\u00b2]{0,12}\\s*", fullmatch=True),
    st.integers(),
)
texts = st.one_of(any_text, url_like)

CHECKS: list[tuple[str, Callable[[str], list[Finding]]]] = [
    ("check_profile_name", v.check_profile_name),
    ("check_app_name", v.check_app_name),
    ("check_description", v.check_description),
    ("check_client_id", v.check_client_id),
    ("check_secret", v.check_secret),
    ("check_port", v.check_port),
    ("check_uri_path", v.check_uri_path),
    ("check_portal_uri", v.check_portal_uri),
    ("check_endpoint_url", v.check_endpoint_url),
    ("check_scope", v.check_scope),
    ("check_tenant_id", v.check_tenant_id),
    ("check_company_number", v.check_company_number),
    ("check_access_group", v.check_access_group),
]


def test_every_check_function_is_covered() -> None:
    public = {name for name in dir(v) if name.startswith("check_")}
    assert public == {name for name, _ in CHECKS}


def assert_well_formed(found: object) -> None:
    assert isinstance(found, list)
    for f in found:
        assert isinstance(f, Finding)
        assert f.level in ("error", "warning", "hint")
        assert f.field
        assert f.message.strip()
        assert_sentence(f.message)
        if f.is_error:
            assert_actionable(f.message)


@pytest.mark.parametrize(("name", "check"), CHECKS, ids=[n for n, _ in CHECKS])
@settings(
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=texts)
def test_check_never_raises_and_answers_with_sentences(
    name: str, check: Callable[[str], list[Finding]], value: str
) -> None:
    assert_well_formed(check(value))


@given(value=numberish)
def test_number_checks_take_anything(value: str | int) -> None:
    assert_well_formed(v.check_port(value))
    assert_well_formed(v.check_company_number(value))


@given(value=texts, path=st.one_of(st.none(), st.sampled_from(["/", "/logout"]), any_text))
def test_portal_uri_with_any_expected_path(value: str, path: str | None) -> None:
    assert_well_formed(v.check_portal_uri(value, path, field="redirect_uri"))


@given(spec=st.one_of(any_text, st.builds(lambda a, b: f"{a}:{b}", numberish, any_text)))
def test_parse_company_spec_takes_anything(spec: str) -> None:
    number, group, found = v.parse_company_spec(spec)
    assert_well_formed(found)
    if v.errors(found):
        assert (number, group) == (0, "")
    else:
        assert 1 <= number <= v.COMPANY_NO_MAX
        assert group and group == group.strip()


@given(value=texts, client_id=st.one_of(st.none(), any_text))
def test_secret_check_takes_anything(value: str, client_id: str | None) -> None:
    assert_well_formed(v.check_secret(value, client_id))
    trimmed, found = v.normalize_secret(value)
    assert_well_formed(found)
    assert_well_formed(v.check_secret(trimmed, client_id))


@given(head=any_text, tail=any_text, client_id=st.one_of(st.none(), any_text))
def test_secret_messages_never_echo_the_secret(head: str, tail: str, client_id: str | None) -> None:
    secret = f"{head}S3CR3T-q7Zx{tail}"
    for f in v.check_secret(secret, client_id) + v.normalize_secret(secret)[1]:
        assert "S3CR3T-q7Zx" not in f.message


@given(st.text(alphabet=string.ascii_letters + string.digits + "-_~.", min_size=12, max_size=64))
def test_realistic_secrets_are_accepted_and_never_echoed(secret: str) -> None:
    found = v.check_secret(secret, "isv_app")
    assert found == []
    found = v.check_secret(f" {secret}\n", "isv_app")
    assert levels(found) == ["warning"]
    assert secret not in found[0].message


@given(st.integers(min_value=1, max_value=65535))
def test_every_port_in_range_is_accepted(port: int) -> None:
    assert v.check_port(port) == []
    assert v.check_port(str(port)) == []
    assert v.check_portal_uri(f"https://app.local:{port}/", "/") == []


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=65536)))
def test_every_port_out_of_range_is_refused(port: int) -> None:
    assert not is_ok(v.check_port(port))
    assert not is_ok(v.check_port(str(port)))


@given(st.integers(min_value=v.COMPANY_NO_MIN, max_value=v.COMPANY_NO_MAX))
def test_every_company_number_in_range_is_accepted(number: int) -> None:
    assert v.check_company_number(number) == []
    assert v.parse_company_spec(f"{number}:Admin") == (number, "Admin", [])


@given(st.text(st.characters(categories=["Nd"]), min_size=1, max_size=6))
def test_only_ascii_digits_make_a_number(digits: str) -> None:
    ok = is_ok(v.check_company_number(digits))
    port_ok = is_ok(v.check_port(digits))
    if not digits.isascii():
        assert not ok
        assert not port_ok
