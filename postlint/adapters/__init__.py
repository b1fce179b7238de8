"""Every use of a third-party library's private API, one module per library,
each with a test in tests/adapters/ that fails naming the internal that
changed (issue 13, item 5)."""
