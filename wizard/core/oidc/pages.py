"""The small pages the sign-in listener answers the browser with. Every value is escaped."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

STYLE = "body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}"


@dataclass(frozen=True)
class Page:
    status: int
    html: str = ""
    location: str | None = None  # a redirect when set


def _page(status: int, title: str, *paragraphs: str) -> Page:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)
    return Page(
        status,
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}"
        "<p><small>bnxt-wizard sign-in test</small></p></body></html>",
    )


def success(who: str) -> Page:
    return _page(
        200,
        "Signed in",
        f"Signed in as {who}. The wizard is finishing its checks in the terminal.",
        "You can close this tab.",
    )


def failure(title: str, message: str, hint: str | None) -> Page:
    return _page(400, title, message, f"What to do: {hint}" if hint else "")


def done() -> Page:
    return _page(
        200,
        "Already done",
        "This sign-in test has already received its answer; this request was ignored.",
        "You can close this tab.",
    )


def signed_out() -> Page:
    return _page(200, "Signed out", "The local test app has ended its session.")


def not_found() -> Page:
    return _page(
        404, "Not found", "The local test app serves only its login, redirect and logout addresses."
    )


def too_long() -> Page:
    return _page(
        414, "Address too long", "The address is longer than any sign-in answer; it was ignored."
    )


def not_allowed() -> Page:
    return _page(405, "Method not allowed", "Use GET.")


def redirect(location: str) -> Page:
    return Page(302, "", location)
