"""Third-party libraries' undocumented internals, one module per library.

Every use postlint makes of a library's private or undocumented API (an
underscore module or name, parser internals, a subclassed internal class)
is in the module named after that library here, and nowhere else
(tests/adapters/test_boundary.py enforces it); each module's docstring lists
what it relies on, and tests/adapters/test_<library>.py fails, naming the
library's version and the internal, when an installed version changes it.
pyproject.toml bounds these libraries' versions accordingly.

The adapters come first in the pipeline's stages: they import no other part
of postlint, and import their library only when first used.
"""
