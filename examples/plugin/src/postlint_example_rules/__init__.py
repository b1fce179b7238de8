"""Example postlint rules (docs/plugins.md): XA100 missing-author, XA200 duplicate-title."""
