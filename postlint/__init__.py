"""postlint: lint and validate Jekyll post repositories."""

__version__ = "0.1.0"
