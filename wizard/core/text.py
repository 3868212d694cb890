"""Untrusted text made safe for a terminal: the one sanitiser.

Everything a server, a file or the environment sends (a token's scope, company and customer
names, error descriptions, profile names read from a hand-edited config, paths) passes
through :func:`sanitize` before a terminal sees it, in plain text and in ``--json`` output.

What it removes:

* whole escape sequences, 7-bit and 8-bit: CSI (``ESC [`` / U+009B ... final byte), OSC,
  DCS, SOS, PM and APC strings (``ESC ]`` / U+009D ... BEL or ST), and two-character
  ``ESC x`` sequences, so no half of a sequence is left to be shown;
* every other control or invisible character: C0 and C1 controls, DEL, bidirectional
  overrides and isolates, line and paragraph separators, private-use and unassigned code
  points (``str.isprintable`` is false for all of them); tabs and newlines only where the
  caller allows several lines.

Printable Unicode (``Fjord Bakeri ÆØÅ``, ``株式会社``) stays as it is. Rich markup is *not*
escaped here: the UI never builds markup from such text (it uses ``rich.text.Text``), and a
terminal shows ``[b]`` as the two brackets it is.
"""

from __future__ import annotations

import re

# ESC or its 8-bit twin, then the body of the sequence. Unterminated strings run to the end.
_ESCAPES = re.compile(
    r"""
      (?:\x1b\[|\x9b) [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]?          # CSI
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]) .*? (?:\x07|\x1b\\|\x9c|$)  # OSC DCS SOS PM APC
    | \x1b [\x20-\x2f]* [\x30-\x7e]?                                   # nF / Fp / Fe / Fs
    """,
    re.VERBOSE | re.DOTALL,
)
# Joiners are invisible but needed by some scripts and emoji; they cannot move the cursor.
_KEEP_INVISIBLE = frozenset("\u200c\u200d")
_ELLIPSIS = "…"


def _keep(char: str, multiline: bool) -> bool:
    if char.isprintable() or char in _KEEP_INVISIBLE:
        return True
    return multiline and char in "\n\t"


def sanitize(text: object, *, multiline: bool = False, limit: int | None = None) -> str:
    """``text`` without escape sequences or control characters, safe to print.

    On one line (the default) every run of whitespace becomes one space; ``multiline``
    keeps newlines and tabs (and turns ``\\r\\n`` into ``\\n``). ``limit`` cuts the result
    to that many characters, ending with an ellipsis.
    """
    raw = str(text).replace("\r\n", "\n")
    raw = _ESCAPES.sub("", raw)
    if multiline:
        kept = "".join(c if _keep(c, True) else "" for c in raw.replace("\r", "\n"))
    else:
        kept = "".join(c if _keep(c, False) else " " for c in raw)
        kept = " ".join(kept.split())
    if limit is not None and len(kept) > limit:
        return kept[: max(0, limit - 1)] + _ELLIPSIS
    return kept


def sanitize_data(value: object) -> object:
    """Every string in a JSON-like structure (dict keys included) sanitised, multi-line
    allowed; other values unchanged. For ``--json`` output."""
    if isinstance(value, str):
        return sanitize(value, multiline=True)
    if isinstance(value, dict):
        return {sanitize_data(k): sanitize_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [sanitize_data(item) for item in value]
    return value


# -- credentials kept out of what is shown ---------------------------------------------------

REDACTED = "[redacted]"
# Query parameters whose value is a credential (matched as a word inside the name).
_SECRET_PARAM = re.compile(
    r"secret|passw|passwd|pwd|token|code|key|sig|auth|credential|assertion|session|ticket",
    re.IGNORECASE,
)


def redact(text: str, sensitive: tuple[str, ...] = ()) -> str:
    """Each sensitive value removed as is and in every URL-encoded spelling of it."""
    from urllib.parse import quote, quote_plus

    forms = {f for v in sensitive if v for f in (v, quote(v), quote(v, safe=""), quote_plus(v))}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, REDACTED)
    return text


def _redact_component(part: str, sensitive: tuple[str, ...]) -> str:
    from urllib.parse import unquote, unquote_plus

    decoded = (part, unquote(part), unquote_plus(part))
    if any(v and v in d for v in sensitive for d in decoded):
        return REDACTED
    return redact(part, sensitive)


def shown_url(
    url: str, sensitive: tuple[str, ...] = (), *, query: bool = True, limit: int = 200
) -> str:
    """A URL as it may be shown: no user name or password, no credential-like query values,
    no ``sensitive`` value in any spelling, no control characters.

    ``query=False`` drops the query and fragment altogether (a redirect's ``Location`` can
    carry codes or tokens under any name).
    """
    from urllib.parse import parse_qsl, urlencode, urlsplit

    text = sanitize(url)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return sanitize(redact(text, sensitive), limit=limit)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    path = "/".join(_redact_component(seg, sensitive) for seg in parts.path.split("/"))
    shown = f"{parts.scheme}://{netloc}{path}" if parts.scheme or netloc else path
    if query and parts.query:
        pairs = [
            (k, REDACTED if _SECRET_PARAM.search(k) else _redact_component(v, sensitive))
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
        ]
        shown += "?" + urlencode(pairs, safe="[]/:")
    return sanitize(redact(shown, sensitive), limit=limit)
