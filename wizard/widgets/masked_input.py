"""An Input for secrets whose messages never carry the value into a log.

Textual writes every message it dispatches to its debug log (``TEXTUAL_LOG`` or the devtools
console) by its ``repr``, and Input's Changed, Submitted and Blurred messages show the whole
value there, once for each widget they bubble through. These subclasses keep the value on the
message, so handlers read ``event.value`` as before, but print it masked. They keep the
``input`` namespace, so ``on_input_changed`` and ``@on(Input.Changed)`` handlers still fire.
"""

from __future__ import annotations

from textual.widgets import Input


def _masked(kind: str, message: Input.Changed | Input.Submitted | Input.Blurred) -> str:
    return f"MaskedInput.{kind}(input={message.input!r}, value=<{len(message.value)} chars>)"


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
