"""For scale only: the bare app plus what the wizard's stack costs before its own code.

The bare app of ``bare_app.py`` holding its state in a pydantic model, as the wizard holds
its onboarding state: Textual + pydantic, and nothing of the wizard. ``startup.py`` reports
it next to the goal's baseline so the gap splits into "the stack" and "the wizard".
"""

from __future__ import annotations

from bare_app import BareApp
from pydantic import BaseModel, SecretStr


class State(BaseModel):
    profile: str = "default"
    client_id: str = ""
    secret: SecretStr | None = None


class StackApp(BareApp):
    def __init__(self) -> None:
        super().__init__()
        self.state = State()


if __name__ == "__main__":
    StackApp().run()
