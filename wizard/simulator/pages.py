"""The few HTML pages the simulated Visma Connect shows a browser: login, consent, errors.

Every value that came from a request or the seed is escaped with :func:`html.escape`.
"""

from __future__ import annotations

from html import escape

from wizard.simulator.seed import SimPerson

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem}"
    "label{display:block;margin:.6rem 0}.note{color:#555;font-size:.9rem}"
    ".error{color:#a00}button{margin-right:.5rem}"
)


def page(title: str, body: str) -> str:
    """``body`` is HTML the caller built from escaped values."""
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}"
        "<p class=note>Visma Connect simulator (local, not the real service).</p></body></html>"
    )


def _hidden(name: str, value: str) -> str:
    return f'<input type=hidden name="{escape(name)}" value="{escape(value)}">'


def login_page(action: str, request_id: str, people: list[SimPerson], error: str = "") -> str:
    shown = "".join(
        f"<li><code>{escape(p.username)}</code> / <code>{escape(p.password.get_secret_value())}"
        f"</code>: {escape(p.name)}</li>"
        for p in people
    )
    problem = f"<p class=error>{escape(error)}</p>" if error else ""
    return page(
        "Sign in to Visma.net",
        f'{problem}<form method=post action="{escape(action)}">'
        f"{_hidden('request_id', request_id)}"
        "<label>User name <input name=username autocomplete=username></label>"
        "<label>Password <input name=password type=password></label>"
        "<button name=action value=login>Sign in</button>"
        "<button name=action value=cancel>Cancel</button></form>"
        f"<p class=note>Demo users (user name / password):</p><ul>{shown}</ul>",
    )


def consent_page(action: str, request_id: str, app: str, who: str, scopes: list[str]) -> str:
    items = "".join(f"<li><code>{escape(s)}</code></li>" for s in scopes)
    return page(
        "Allow access?",
        f"<p>{escape(app)} asks to act as <b>{escape(who)}</b> with:</p><ul>{items}</ul>"
        f'<form method=post action="{escape(action)}">{_hidden("request_id", request_id)}'
        "<button name=decision value=allow>Allow</button>"
        "<button name=decision value=deny>Deny</button></form>",
    )


def error_page(title: str, message: str) -> str:
    return page(title, f"<p class=error>{escape(message)}</p>")


def signed_out_page() -> str:
    return page("Signed out", "<p>You are signed out of the simulated Visma Connect.</p>")
