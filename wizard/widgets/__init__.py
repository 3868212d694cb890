"""Small reusable widgets for the wizard's screens."""
