"""Canary secrets and the search for them, for the secret-hygiene tests.

A canary is a secret made fresh for each test run, so finding it anywhere can only mean the
tool put it there. A leak rarely shows the secret as typed: it is URL-encoded in a form body,
base64'd into a Basic header, JSON-escaped in a log, or cut short in a preview, so every one
of those forms is searched for. SVG screenshots spell spaces as ``&#160;`` and split lines
into many ``<text>`` elements, so they are also searched as the text a reader would see.
"""

from __future__ import annotations

import base64
import html
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus

from pydantic import SecretStr

from wizard.simulator import SERVICE_SCOPE, SimAccess, SimClient, SimSeed, SimUser, load_seed

CANARY_CLIENT_ID = "isv_canary"
PREFIX_LENGTH = 12
CANARY_COMPANIES = ((5280101, "Full access"), (5199203, "Read only"))


@dataclass(frozen=True)
class Canaries:
    """``first`` and ``rotated`` are the two secrets the simulator accepts; ``tricky`` (also
    accepted) carries ``+ % : space`` so that encoded forms differ from the raw one; the
    ``wrong*`` ones are well formed but refused."""

    first: str
    rotated: str
    tricky: str
    wrong: str
    wrong_env: str

    def all(self) -> dict[str, str]:
        return {
            "first": self.first,
            "rotated": self.rotated,
            "tricky": self.tricky,
            "wrong": self.wrong,
            "wrong_env": self.wrong_env,
        }


def make_canaries() -> Canaries:
    def fresh(tag: str) -> str:
        return f"cnry{tag}-" + secrets.token_urlsafe(24)

    head, tail = secrets.token_urlsafe(9), secrets.token_urlsafe(12)
    return Canaries(
        first=fresh("A"),
        rotated=fresh("B"),
        tricky=f"cnryT{head}+x%2F y:{tail}%",
        wrong=fresh("W"),
        wrong_env=fresh("E"),
    )


def canary_seed(c: Canaries) -> SimSeed:
    """The packaged world plus one approved service client, ``isv_canary``, with a User table
    row granting two companies. It accepts ``first``, ``rotated`` and ``tricky``."""
    seed = load_seed()
    client = SimClient(
        client_id=CANARY_CLIENT_ID,
        secrets=[SecretStr(c.first), SecretStr(c.rotated), SecretStr(c.tricky)],
        app_type="service",
        approved=True,
        scopes=[SERVICE_SCOPE],
    )
    user = SimUser(
        user=CANARY_CLIENT_ID,
        connect_application=True,
        access=[SimAccess(company_no=n, access_group=g) for n, g in CANARY_COMPANIES],
    )
    return seed.model_copy(
        update={"clients": [*seed.clients, client], "user_table": [*seed.user_table, user]}
    )


def _b64(text: str) -> list[str]:
    raw = text.encode()
    return [base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()]


def forms(secret: str, client_id: str = CANARY_CLIENT_ID) -> dict[str, str]:
    """Every spelling of ``secret`` a leak could take, by a name that says which it is."""
    found = {
        "raw": secret,
        "quote": quote(secret),
        "quote-all": quote(secret, safe=""),
        "quote_plus": quote_plus(secret),
        "json": json.dumps(secret)[1:-1],
        "json-ascii": json.dumps(secret, ensure_ascii=True)[1:-1],
        "html": html.escape(secret),
        "svg": html.escape(secret).replace(" ", "&#160;"),
        "prefix": secret[:PREFIX_LENGTH],
    }
    for name, pair in (
        ("basic", f"{client_id}:{secret}"),
        ("basic-form", f"{quote_plus(client_id)}:{quote_plus(secret)}"),
        ("b64-secret", secret),
    ):
        for i, encoded in enumerate(_b64(pair)):
            found[f"{name}{'-urlsafe' if i else ''}"] = encoded
    return found


def leaks(text: str, canaries: dict[str, str]) -> list[str]:
    """``["first/quote_plus", ...]``: which canary, in which form, ``text`` holds."""
    hits = []
    for label, secret in canaries.items():
        for form, value in forms(secret).items():
            if value and value in text:
                hits.append(f"{label}/{form}")
    return hits


def visible_text(svg: str) -> str:
    """The characters an SVG screenshot shows, joined without the markup between them."""
    pieces = re.findall(r">([^<]*)<", svg)
    return html.unescape("".join(pieces)).replace("\xa0", " ")


def svg_leaks(svg: str, canaries: dict[str, str]) -> list[str]:
    return sorted(set(leaks(svg, canaries) + leaks(visible_text(svg), canaries)))


def file_leaks(root: Path, canaries: dict[str, str]) -> dict[Path, list[str]]:
    """Every file under ``root`` that holds a canary in any form, with what it holds."""
    found: dict[Path, list[str]] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        hits = leaks(text, canaries)
        if hits:
            found[path] = hits
    return found
