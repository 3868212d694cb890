"""The table of Visma facts: each has a documentation page, or is advice worded as advice."""

from __future__ import annotations

import pytest

from wizard.core import visma
from wizard.core.visma_facts import ADVICE_WORDS, FACTS, Fact

DOCUMENTATION_HOSTS = (
    "https://docs.vismasoftware.no/businessnxtapi/",
    "https://docs.connect.visma.com/docs/",
    "https://github.com/Visma-Business/GraphQLSamples/",
    "https://www.rfc-editor.org/rfc/rfc6749",
)


@pytest.mark.parametrize("key", sorted(FACTS))
def test_every_fact_has_a_documentation_url_or_is_advice(key: str) -> None:
    item = FACTS[key]
    if item.documented:
        assert item.source is not None and item.source.startswith(DOCUMENTATION_HOSTS), key
    else:
        assert item.source is None


@pytest.mark.parametrize("key", sorted(k for k, f in FACTS.items() if not f.documented))
def test_advice_is_worded_as_advice(key: str) -> None:
    words = FACTS[key].text.lower()
    assert any(w in words for w in ADVICE_WORDS), f"{key} reads like a rule: {words!r}"


@pytest.mark.parametrize("key", sorted(FACTS))
def test_every_fact_is_a_sentence(key: str) -> None:
    text = FACTS[key].text
    assert text[0].isupper() and text.endswith((".", ".'")), key


def test_the_unverified_claims_are_advice_not_facts() -> None:
    for key in ("loopback_ip", "invalid_grant", "secret_expiry", "column_no", "missing_user_row"):
        assert not FACTS[key].documented, key
    assert "expired" not in FACTS["invalid_grant"].text


def test_scope_sentences_name_the_constants() -> None:
    assert visma.SERVICE_SCOPE in FACTS["service_scopes"].text
    assert visma.SERVICE_SCOPE_READONLY in FACTS["service_scopes"].text
    assert visma.WEB_SIGN_IN_SCOPE in FACTS["web_sign_in_scopes"].text
    assert set(visma.SERVICE_SCOPES) == {visma.SERVICE_SCOPE, visma.SERVICE_SCOPE_READONLY}
    assert visma.WEB_API_SCOPE in visma.WEB_SIGN_IN_SCOPES
    assert visma.SERVICE_SCOPE not in visma.WEB_SIGN_IN_SCOPES


def test_rate_limit_sentence_matches_the_constant() -> None:
    assert f"{visma.REQUESTS_PER_MINUTE} requests a minute" in FACTS["rate_limit"].text


def test_a_fact_reads_as_its_text() -> None:
    assert str(Fact("Words.", "https://x")) == "Words."
