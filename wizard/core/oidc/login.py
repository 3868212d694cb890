"""One browser sign-in, run end to end: the core under ``bnxt-wizard login`` and the web Test step.

:meth:`LoginSession.run` goes through the stages and returns a :class:`LoginResult`; it never
raises a :class:`WizardError` (the failure is in the result, with its exit code). Progress is
told through ``on_event`` (called on the event loop's thread). From any thread,
:meth:`LoginSession.cancel` ends the wait cleanly and :meth:`LoginSession.submit_redirect`
hands in the address a user pasted (the fallback when the browser cannot reach app.local).

Stages: hosts (app.local -> loopback; a warning, never a stop), discovery, certificate,
listener, sign-in (wait for the redirect); then, in :mod:`.after_redirect`, exchange, id_token,
refresh, graphql.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlencode

import httpx
from pydantic import SecretStr

from wizard.core._http import ClientOptions, client_scope, host_of
from wizard.core.errors import ConfigError, SignInError, WizardError
from wizard.core.models import LocalDev, Profile
from wizard.core.oidc import pages, pkce
from wizard.core.oidc.discovery import WebEndpoints, fetch_discovery, issuer_of, resolve
from wizard.core.oidc.pages import Page
from wizard.core.oidc.redirect import parse_response, query_of
from wizard.core.oidc.results import LoginResult
from wizard.core.results import stage_since
from wizard.core.steps import Step

if TYPE_CHECKING:
    from wizard.core.hosts import HostsCheck, Resolver
    from wizard.core.oidc.cert import CertFiles
    from wizard.core.oidc.listener import Listener

EventKind = Literal["stage", "notice", "url"]
PAGE_WAIT = 120.0  # longest a browser waits for its page while the code is exchanged


@dataclass(frozen=True)
class LoginEvent:
    kind: EventKind
    message: str = ""
    stage: str = ""
    ok: bool = True
    url: str = ""


@dataclass(frozen=True)
class LoginOptions:
    timeout: float = 300.0  # waiting for the browser
    graphql: bool = True
    cert: str | None = None  # the developer's own pair; else the kept one
    key: str | None = None
    network: ClientOptions = field(default_factory=ClientOptions)
    resolver: Resolver | None = None  # the hosts check's seam (tests)
    bind_host: str = "127.0.0.1"


def _cancelled() -> SignInError:
    return SignInError(
        "The sign-in was cancelled before the browser came back.",
        title="Sign-in cancelled",
        hint="Run it again when ready.",
        step=Step.TEST,
    )


class LoginSession:
    def __init__(
        self,
        profile: Profile,
        secret: SecretStr,
        config_folder: Path,
        options: LoginOptions | None = None,
        on_event: Callable[[LoginEvent], None] | None = None,
    ) -> None:
        self.profile, self.secret, self.folder = profile, secret, config_folder
        self.options = options or LoginOptions()
        self.local = profile.local_dev or LocalDev()
        self._tell = on_event or (lambda _event: None)
        self.state, self.nonce = pkce.new_state(), pkce.new_nonce()
        self.verifier = pkce.new_verifier()
        self.result = LoginResult(profile=profile.name, client_id=profile.client_id)
        self.authorize_url = ""
        self.endpoints: WebEndpoints | None = None
        self.certificate: CertFiles | None = None  # the local app's, once prepared
        self._loop: asyncio.AbstractEventLoop | None = None
        self._answer: asyncio.Future[str] | None = None  # the code, or a SignInError
        self._verdict: asyncio.Future[Page] | None = None  # the page for the browser
        self._cancel_early = False
        self._cancel_requested = False
        self._task: asyncio.Task[object] | None = None

    # the edges other threads use ----------------------------------------------------
    @property
    def sign_in_url(self) -> str:
        """Where the browser starts: the app's Initiate Login URI, which sends it on."""
        return self.local.login_uri

    def cancel(self) -> None:
        """End the run as cancelled (exit 7): the wait at once, a network call by cancelling it."""
        loop = self._loop
        if loop is None or loop.is_closed():
            self._cancel_early = True
            return
        try:
            loop.call_soon_threadsafe(self._cancel_now)
        except RuntimeError:  # the loop closed in between
            self._cancel_early = True

    def _cancel_now(self) -> None:
        self._cancel_requested = True
        if self._answer is not None and not self._answer.done():
            self._settle(None)
        elif self._task is not None and not self._task.done():
            self._task.cancel()

    def submit_redirect(self, address: str) -> Page:
        """The paste fallback: the address the browser ended on. Safe from any thread."""
        return self._from_thread(query_of(address))

    # Site: what the listener calls, on its own threads ----------------------------------
    def login(self) -> Page:
        return pages.redirect(self.authorize_url) if self.authorize_url else pages.not_found()

    def redirect(self, query: str) -> Page:
        return self._from_thread(query)

    def logout(self) -> Page:
        self.notice("The browser opened the logout URI: the local session is ended.")
        return pages.signed_out()

    def notice(self, message: str) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._tell, LoginEvent("notice", message))

    # running -----------------------------------------------------------------------------
    async def run(self) -> LoginResult:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        self._answer = self._loop.create_future()
        self._verdict = self._loop.create_future()
        if self._cancel_early:
            self._cancel_now()
        self._listener: Listener | None = None
        try:
            async with client_scope(None, self.options.network) as http:
                await self._prepare(http)
                await self._signed_in(http)
        except WizardError as err:
            self._failed(err)
        except asyncio.CancelledError:
            if not self._cancel_requested or self._task is None:
                raise
            self._task.uncancel()
            self._failed(_cancelled())
        finally:
            if not self._verdict.done():
                self._verdict.set_result(pages.done())
            if self._answer.done() and not self._answer.cancelled():
                self._answer.exception()  # retrieved: no "never retrieved" warning
            if self._listener is not None:
                await asyncio.to_thread(self._listener.stop)
        return self.result

    def _failed(self, err: WizardError) -> None:
        self.result.fail(err)
        assert self._verdict is not None
        if not self._verdict.done():
            self._verdict.set_result(pages.failure(err.title, err.message, err.hint))

    def _record(
        self, name: str, started: float, ok: bool, detail: str, skipped: bool = False
    ) -> None:
        stage = stage_since(name, started, ok, detail, skipped=skipped)
        self.result.stages.append(stage)
        self._tell(LoginEvent("stage", detail, stage=name, ok=ok))

    async def _prepare(self, http: httpx.AsyncClient) -> None:
        issuer = issuer_of(self.profile)
        self.result.issuer = issuer
        started = time.perf_counter()
        hosts, doc, cert = await asyncio.gather(
            asyncio.to_thread(self._hosts),
            self._discover(http, issuer),
            asyncio.to_thread(self._certificate),
            return_exceptions=True,
        )
        self._hosts_stage(hosts, started)
        for name, outcome in (("discovery", doc), ("certificate", cert)):
            if isinstance(outcome, WizardError):
                self._record(name, started, False, outcome.message)
                raise outcome
            if isinstance(outcome, BaseException):
                raise outcome
        assert isinstance(doc, WebEndpoints)
        self.endpoints = doc
        self._record("discovery", started, True, self._discovery_detail(doc))
        from wizard.core.oidc.cert import CertFiles, server_context, trust_advice

        assert isinstance(cert, CertFiles)
        self.certificate = cert
        self.result.certificate_fingerprint = cert.fingerprint
        self._record("certificate", started, True, trust_advice(cert))
        self._listener = self._listen(server_context(cert))

    def _hosts(self) -> HostsCheck:
        from wizard.core.hosts import resolve_app_local

        return resolve_app_local(self.local.host, resolver=self.options.resolver)

    def _hosts_stage(self, outcome: object, started: float) -> None:
        from wizard.core.hosts import HostsCheck

        if not isinstance(outcome, HostsCheck):
            self._record("hosts", started, False, f"The {self.local.host} lookup failed.")
            return
        if outcome.is_local:
            self._record("hosts", started, True, outcome.message)
            return
        self._record(
            "hosts",
            started,
            False,
            f"{outcome.message} Carrying on: if the browser cannot reach the local app, paste "
            "the address it ends on (holding ?code=) here.",
        )

    async def _discover(self, http: httpx.AsyncClient, issuer: str) -> WebEndpoints:
        doc = await fetch_discovery(issuer, client=http, options=self.options.network)
        return resolve(self.profile, doc)

    def _discovery_detail(self, ep: WebEndpoints) -> str:
        detail = f"Issuer {ep.issuer}: authorize at {host_of(ep.authorize)}, keys from the JWKS."
        if ep.discovered_token.rstrip("/") != ep.token.rstrip("/"):
            detail += (
                f" Note: the profile's token URL {ep.token} differs from the discovered "
                f"{ep.discovered_token}; the profile's is used."
            )
        return detail

    def _certificate(self) -> CertFiles:
        from wizard.core.oidc.cert import ensure_certificate, own_certificate

        if self.options.cert or self.options.key:
            if not (self.options.cert and self.options.key):
                raise ConfigError(
                    "Give both --cert and --key, or neither.",
                    title="Certificate incomplete",
                    hint="--cert FILE is the certificate for app.local, --key FILE its key.",
                )
            return own_certificate(self.options.cert, self.options.key)
        return ensure_certificate(self.folder, self.local.host)

    def _listen(self, context: object) -> Listener:
        import ssl

        from wizard.core.oidc.listener import Listener

        assert isinstance(context, ssl.SSLContext) and self.endpoints is not None
        started = time.perf_counter()
        listener = Listener(
            self,
            context,
            self.local.port,
            login_path=self.local.login_path,
            redirect_path=self.local.redirect_path,
            logout_path=self.local.logout_path,
            host=self.options.bind_host,
        )
        try:
            listener.start()
        except WizardError as err:
            self._record("listener", started, False, err.message)
            raise
        self.authorize_url = self._authorize_url(self.endpoints)
        self.result.sign_in_url = self.sign_in_url
        self._record(
            "listener",
            started,
            True,
            f"Serving {self.local.login_uri}, {self.local.redirect_uri} and "
            f"{self.local.logout_uri} on {self.options.bind_host}:{listener.port}.",
        )
        return listener

    def _authorize_url(self, ep: WebEndpoints) -> str:
        # Authorization code with PKCE (S256), state and nonce, the exact registered redirect
        # URI: as Visma's web sample signs in (visma_facts "web_grants"; SAMPLE_WEB).
        params = {
            "response_type": "code",
            "client_id": self.profile.client_id,
            "redirect_uri": self.local.redirect_uri,
            "scope": self.profile.endpoints.scope,
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": pkce.challenge(self.verifier),
            "code_challenge_method": "S256",
        }
        return ep.authorize + ("&" if "?" in ep.authorize else "?") + urlencode(params)

    async def _signed_in(self, http: httpx.AsyncClient) -> None:
        assert self._answer is not None and self.endpoints is not None
        started = time.perf_counter()
        self._tell(LoginEvent("url", "Open this address to sign in:", url=self.sign_in_url))
        try:
            code = await asyncio.wait_for(asyncio.shield(self._answer), self.options.timeout)
        except TimeoutError:
            err = SignInError(
                f"No sign-in came back within {self.options.timeout:g} seconds.",
                title="Sign-in timed out",
                hint="Run it again and finish the sign-in in the browser; if the browser "
                "cannot reach app.local, paste the address it ends on.",
                step=Step.TEST,
            )
            self._record("sign-in", started, False, err.message)
            raise err from None
        except SignInError as err:
            self._record("sign-in", started, False, err.message)
            raise
        self._record("sign-in", started, True, "The browser came back with an authorization code.")
        from wizard.core.oidc.after_redirect import AfterRedirect

        after = AfterRedirect(
            profile=self.profile,
            secret=self.secret,
            endpoints=self.endpoints,
            redirect_uri=self.local.redirect_uri,
            verifier=self.verifier,
            nonce=self.nonce,
            network=self.options.network,
            graphql=self.options.graphql,
            result=self.result,
            record=self._record,
        )
        tokens = await after.exchange(http, code)
        claims = await after.verify(http, tokens)
        assert self._verdict is not None
        self._verdict.set_result(pages.success(claims.name or claims.email or claims.subject))
        if tokens.refresh_token is not None:
            await after.refresh(http, tokens.refresh_token)
        else:
            self._record(
                "refresh",
                time.perf_counter(),
                True,
                "Skipped: no refresh token came back. Tick Offline Access on the application's "
                "Details tab and ask for offline_access to get one.",
                skipped=True,
            )
        await after.graphql_probe(http, tokens)
        self.result.ok = True

    # the redirect, on the loop ---------------------------------------------------------------
    def _from_thread(self, query: str) -> Page:
        loop = self._loop
        if loop is None or loop.is_closed():
            return pages.done()
        work = self._on_redirect(query)
        try:
            future = asyncio.run_coroutine_threadsafe(work, loop)
        except RuntimeError:  # the loop closed in between: the run is over
            work.close()
            return pages.done()
        try:
            return future.result(timeout=PAGE_WAIT)
        except Exception:  # the loop stopped, or the exchange outlived the page's wait
            return pages.done()

    async def _on_redirect(self, query: str) -> Page:
        assert self._answer is not None and self._verdict is not None
        if self._answer.done():
            return pages.done()
        try:
            code = parse_response(query, state=self.state, issuer=self.result.issuer)
        except SignInError as err:
            self._settle(err)
            return pages.failure(err.title, err.message, err.hint)
        self._settle(code)
        return await asyncio.shield(self._verdict)

    def _settle(self, outcome: str | SignInError | None) -> None:
        """The one answer the wait gets: a code, a refusal, or (None) a cancellation."""
        if self._answer is None or self._answer.done():
            return
        if isinstance(outcome, str):
            self._answer.set_result(outcome)
        else:
            self._answer.set_exception(outcome or _cancelled())
