"""postlint: lint and validate Jekyll post repositories.

The Python API (docs/api.md) is re-exported here lazily: `import postlint`
and `postlint --version` import nothing but this module; the engine loads on
the first use of `postlint.lint_text` and the others.
"""

# Not `from typing import TYPE_CHECKING`: `import postlint` imports nothing,
# typing included; type checkers read any constant of this name as True.
TYPE_CHECKING = False

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "Diagnostic",
    "Edit",
    "Fix",
    "__version__",
    "fix_text",
    "lint_paths",
    "lint_post",
    "lint_text",
]

if TYPE_CHECKING:  # pragma: no cover
    from postlint.api import ConfigError, Diagnostic, Edit, Fix, fix_text, lint_paths, lint_post, lint_text

_API = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> object:
    if name in _API:
        from postlint import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'postlint' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _API)
