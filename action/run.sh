#!/usr/bin/env bash
# The GitHub Action's one step: action.yml runs exactly this file, and so do the
# tests (tests/integration/test_action.py). Inputs come as INPUT_* variables.
set -euo pipefail

python="${POSTLINT_PYTHON:-python3}"
if [[ "${INPUT_INSTALL:-true}" == "true" ]]; then
  # postlint from the action's own checkout, never from an index, in a virtual
  # environment of its own: the runners' system Python refuses pip installs (PEP 668).
  venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/postlint-action-venv"
  "$python" -m venv "$venv"
  bin="$venv/bin"
  [[ -d "$venv/Scripts" ]] && bin="$venv/Scripts"  # Windows runners
  "$bin/python" -m pip install --quiet --disable-pip-version-check "${GITHUB_ACTION_PATH:?is not set}"
  python="$bin/python"
fi
exec "$python" -m postlint.integrations.github_action
