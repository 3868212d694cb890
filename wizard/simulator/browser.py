"""Play the browser through a sign-in against the simulator: no real browser, no hosts file.

Used by the tests and by the demo ("Sign in as the demo user"): it opens the local app's
address, follows the redirect to the simulator's login page, posts a demo user's name and
password, answers the consent page, and follows the redirect back to the local app. Requests
for ``app.local`` go to 127.0.0.1 with ``Host: app.local`` and TLS SNI ``app.local``, checked
against the local app's own certificate, exactly as a browser with a hosts line would.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import httpx

from wizard.core.visma import LOCAL_DEV_HOST


class _LocalAppTransport(httpx.HTTPTransport):
    """Sends ``host`` to 127.0.0.1, keeping its name for the Host header and TLS."""

    def __init__(self, host: str, verify: ssl.SSLContext) -> None:
        super().__init__(verify=verify)
        self.host = host

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != self.host:
            return super().handle_request(request)
        routed = httpx.Request(
            request.method,
            request.url.copy_with(host="127.0.0.1"),
            headers=request.headers,  # Host: app.local:PORT, as the browser sends it
            stream=request.stream,
            extensions={**request.extensions, "sni_hostname": self.host},
        )
        response = super().handle_request(routed)
        response.request = request
        return response


@dataclass
class _Form:
    action: str
    fields: dict[str, str]


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(_Form(found.get("action", ""), {}))
        elif tag == "input" and self.forms and found.get("type") == "hidden":
            self.forms[-1].fields[found.get("name", "")] = found.get("value", "")


def _form(response: httpx.Response) -> _Form:
    parser = _Forms()
    parser.feed(response.text)
    if not parser.forms:
        raise BrowserError(f"Expected a form at {response.url}, got HTTP {response.status_code}.")
    form = parser.forms[0]
    form.action = urljoin(str(response.url), form.action)
    return form


class BrowserError(Exception):
    """The sign-in did not go the way a browser would have seen it go."""


@dataclass(frozen=True)
class Landing:
    """Where the browser ended: the local app's page (or an error page on the way)."""

    url: str
    status: int
    text: str


def client(
    cert_file: Path | str, host: str = LOCAL_DEV_HOST, timeout: float = 30.0
) -> httpx.Client:
    """An httpx client reaching ``https://app.local:PORT`` on loopback, trusting ``cert_file``."""
    context = ssl.create_default_context(cafile=str(cert_file))
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN  # a self-signed leaf as the anchor
    return httpx.Client(
        transport=_LocalAppTransport(host, context),
        follow_redirects=True,
        timeout=timeout,
    )


def sign_in(
    http: httpx.Client,
    start_url: str,
    *,
    username: str = "demo",
    password: str = "demo",  # noqa: S107 - the simulator's published demo user
    allow: bool = True,
    follow_back: bool = True,
) -> Landing:
    """From the app's login URI to the page the app answers its redirect with.

    ``follow_back=False`` stops at the redirect back to the app, as a browser that cannot
    reach it would: the Landing's ``url`` is then the address to paste."""
    page = http.get(start_url)
    if page.status_code != 200:
        return Landing(str(page.url), page.status_code, page.text)
    login = _form(page)
    consent = http.post(
        login.action,
        data={**login.fields, "username": username, "password": password, "action": "login"},
    )
    if "decision" not in consent.text:
        raise BrowserError(f"The login was not accepted (HTTP {consent.status_code}).")
    form = _form(consent)
    decision = {**form.fields, "decision": "allow" if allow else "deny"}
    end = http.post(form.action, data=decision, follow_redirects=follow_back)
    if not follow_back and end.is_redirect:
        return Landing(end.headers["location"], end.status_code, "")
    return Landing(str(end.url), end.status_code, end.text)
