"""Built-in rules, one module per rule; each registers through the entry-point
group ``postlint.rules`` like any plugin (see pyproject.toml)."""
