"""An Input for secrets whose messages never carry the value into a log.

Textual writes every message a widget handles to its debug log (``TEXTUAL_LOG`` or the
devtools console) by its ``repr``. Input's Changed, Submitted and Blurred messages and the
terminal's Paste event show the whole secret there, once for each widget they pass through.
The subclasses below keep the value on the message, so handlers read ``event.value`` and
``event.text`` as before, but print it masked. They keep Textual's handler names, so
``on_input_changed``, ``@on(Input.Changed)`` and ``_on_paste`` still fire.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input


def _masked(kind: str, message: Input.Changed | Input.Submitted | Input.Blurred) -> str:
    return f"MaskedInput.{kind}(input={message.input!r}, value=<{len(message.value)} chars>)"


class Paste(events.Paste):
    """A paste into a MaskedInput; named ``Paste`` so ``_on_paste`` handles it."""

    def __repr__(self) -> str:
        return f"Paste(text=<{len(self.text)} chars>)"


class MaskedInput(Input):
    class Changed(Input.Changed, namespace="input"):
        def __repr__(self) -> str:
            return _masked("Changed", self)

    class Submitted(Input.Submitted, namespace="input"):
        def __repr__(self) -> str:
            return _masked("Submitted", self)

    class Blurred(Input.Blurred, namespace="input"):
        def __repr__(self) -> str:
            return _masked("Blurred", self)

    def post_message(self, message: Message) -> bool:
        """Swap the terminal's Paste for the masked one before it is queued (and logged).

        (The app forwards a paste to the focused widget; Input's handler, or SecretInput's,
        stops it there, so it never bubbles back up to be forwarded again.)"""
        if type(message) is events.Paste:
            message = Paste(message.text)
        return super().post_message(message)
