"""A modal that writes the profile's settings to a .env (or JSON, or shell) file.

Everything that could refuse or surprise (a git-tracked file, a file git would offer to
commit, a merge into an existing file) is shown *before* Write is pressed; the writer itself
(:func:`wizard.core.envfile.write_env_file`) checks it all again. The file is recorded on the
profile so a rotation rewrites it. Dismisses with the path written, or None.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import ClassVar

from pydantic import SecretStr
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioSet, Static

from wizard.core.envfile import DEFAULT_PREFIX, FORMATS, check_prefix, env_values, write_env_file
from wizard.core.errors import WizardError
from wizard.core.models import EnvFileRecord, Profile
from wizard.core.profiles import Workspace, record_env_file
from wizard.core.validation import errors
from wizard.screens.env_export_preview import Preview, preview
from wizard.widgets.marks import MarkedCheckbox, MarkedRadioButton

DEFAULT_PATH = "./.env"


class EnvExportScreen(ModalScreen[Path | None]):
    CSS_PATH = "env_export.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(
        self, profile: str, secret: SecretStr | None, ws: Workspace, *, cwd: Path | None = None
    ) -> None:
        super().__init__()
        self.ws = ws
        self.profile: Profile = ws.config.get(profile)
        self.secret = secret
        self.cwd = cwd or Path.cwd()
        self.written: Path | None = None
        self._preview: Preview | None = None
        self._generation = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="env-box"):
            yield Static(f"[b]Write profile {self.profile.name} to a file[/b]", id="env-title")
            with Horizontal(classes="env-row"):
                yield Label("File", classes="env-label")
                yield Input(DEFAULT_PATH, id="env-path", compact=True)
            yield Static("", id="env-resolved", classes="env-help")
            with Horizontal(classes="env-row", id="env-format-row"):
                yield Label("Format", classes="env-label")
                with RadioSet(id="env-format"):
                    for fmt in FORMATS:
                        yield MarkedRadioButton(fmt, id=f"fmt-{fmt}", value=fmt == "dotenv")
            with Horizontal(classes="env-row"):
                yield Label("Variable prefix", classes="env-label")
                yield Input(DEFAULT_PREFIX, id="env-prefix", compact=True)
            yield Static("", id="env-prefix-msg", classes="env-help")
            yield MarkedCheckbox(
                "Include the client secret",
                value=self.secret is not None,
                disabled=self.secret is None,
                id="env-secret",
            )
            yield Static("", id="env-status")
            yield Static("", id="env-result")
            with Horizontal(id="env-buttons"):
                yield Button("Cancel", id="env-cancel", compact=True)
                yield Button("Write", id="env-write", variant="primary", compact=True)

    def on_mount(self) -> None:
        if not self.children:  # mounted while the app shuts down: nothing was composed
            return
        self.query_one("#env-path", Input).focus()
        self._say("#env-result", "")
        self._say("#env-status", "Checking ...")
        self._changed()

    # reading the form --------------------------------------------------------
    @property
    def path(self) -> Path:
        raw = self.query_one("#env-path", Input).value.strip() or DEFAULT_PATH
        return Path(os.path.normpath(self.cwd / Path(raw).expanduser()))

    @property
    def fmt(self) -> str:
        pressed = self.query_one("#env-format", RadioSet).pressed_button
        return (pressed.id or "fmt-dotenv").removeprefix("fmt-") if pressed else "dotenv"

    @property
    def prefix(self) -> str:
        return self.query_one("#env-prefix", Input).value.strip()

    @property
    def with_secret(self) -> bool:
        return self.query_one("#env-secret", Checkbox).value and self.secret is not None

    def _env_values(self) -> dict[str, SecretStr | str]:
        return env_values(self.profile, self.secret if self.with_secret else None, self.prefix)

    # live checks -------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        self._changed()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._changed()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._changed()

    def _changed(self) -> None:
        self.query_one("#env-resolved", Static).update(Text(f"→ {self.path}"))
        findings = check_prefix(self.prefix)
        self._say("#env-prefix-msg", findings[0].message if findings else "")
        self.query_one("#env-prefix-msg").set_class(bool(errors(findings)), "-error")
        self._preview = None
        self._generation += 1
        self._refresh_write()
        if not errors(findings):
            ours = set(self._env_values())
            self._inspect(self._generation, self.path, self.fmt, ours, self.with_secret)

    @work(thread=True, exclusive=True, group="env-preview", exit_on_error=False)
    def _inspect(
        self, generation: int, path: Path, fmt: str, ours: set[str], with_secret: bool
    ) -> None:
        found = preview(path, fmt, ours, with_secret)
        self.app.call_from_thread(self._show_preview, generation, found)

    def _show_preview(self, generation: int, found: Preview) -> None:
        if generation != self._generation:
            return  # the form changed while git was asked
        self._preview = found
        self._say(
            "#env-status", found.refusal or "\n".join(found.notes), refused=bool(found.refusal)
        )
        self._refresh_write()

    def _say(self, selector: str, text: str | Text, *, refused: bool = False) -> None:
        """Show ``text`` in a message line; an empty message takes no room."""
        line = self.query_one(selector, Static)
        line.update(Text(text) if isinstance(text, str) else text)
        line.display = bool(text)
        line.set_class(refused, "-refused")

    def _refresh_write(self) -> None:
        ready = self._preview is not None and not self._preview.refusal
        self.query_one("#env-write", Button).disabled = not ready or self.written is not None

    # writing -----------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "env-write":
            self.action_write()
        else:
            self.action_close()

    def action_write(self) -> None:
        if self._preview is None or self._preview.refusal or self.written is not None:
            return
        path, fmt, prefix, with_secret = self.path, self.fmt, self.prefix, self.with_secret
        try:
            written = write_env_file(
                path,
                self._env_values(),
                fmt=fmt,
                profile=self.profile.name,
                config_folder=self.ws.folder,
            )
            self._record(
                EnvFileRecord.model_validate(
                    {
                        "path": str(path),
                        "format": fmt,
                        "prefix": prefix,
                        "include_secret": with_secret,
                    }
                )
            )
        except WizardError as err:
            self._say("#env-result", f"✗ {err.message}\n{err.hint or ''}".strip(), refused=True)
            return
        except OSError as err:  # the file was written, but the profile could not be updated
            self._say("#env-result", f"✗ Could not record the file: {err.strerror}", refused=True)
            return
        lines = [Text(f"✓ Wrote {written.path}" + (" (new file)." if written.created else "."))]
        lines += [Text(f"! {warning}", style="yellow") for warning in written.warnings]
        if fmt != "json":
            lines.append(Text(f"Load it with: set -a; . {shlex.quote(str(path))}; set +a", "dim"))
        self._say("#env-result", Text("\n").join(lines))
        self.written = path
        self._refresh_write()
        close = self.query_one("#env-cancel", Button)
        close.label = "Close"
        close.focus()

    def _record(self, record: EnvFileRecord) -> None:
        """Remember the file (once per path) so a rotation rewrites it."""
        record_env_file(self.ws, self.profile.name, record)

    def action_close(self) -> None:
        self.dismiss(self.written)
