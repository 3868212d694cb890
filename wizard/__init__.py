"""bnxt-wizard: register, verify and maintain Visma Business NXT API applications."""

__version__ = "0.1.0"
