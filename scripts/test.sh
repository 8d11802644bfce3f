#!/usr/bin/env bash
# The test command CI runs: unit, slow end-to-end and browser tests, then the gated evaluation.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/assistant ]; then
  echo "No .venv yet: run 'bash scripts/setup.sh' first." >&2
  exit 2
fi
# shellcheck disable=SC1091
. .venv/bin/activate
bash scripts/install-system-deps.sh
ruff check assistant tests benchmarks
mypy assistant
python -m pytest -q
assistant eval --gate
