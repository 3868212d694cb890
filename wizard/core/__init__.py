"""The wizard's core: knows Visma, files and HTTP, and nothing of the terminal.

No module under ``wizard.core`` may import Textual (a test enforces it), so the headless
CLI starts fast and every rule is testable without a screen.
"""
