"""Guided secret rotation: one screen (:mod:`.screen`) and the widgets of its stages."""

from wizard.screens.rotate.screen import RotateScreen

__all__ = ["RotateScreen"]
