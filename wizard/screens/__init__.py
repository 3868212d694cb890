"""One module per wizard step. Screens are thin: every rule lives in wizard.core."""
