#!/usr/bin/env bash
# Refresh the lock files from pyproject.toml's ranges, then commit them:
#   requirements.lock                              the assistant and its dev tools (scripts/setup.sh)
#   assistant/generate/data/requirements-llm.lock  the opt-in bundled model (`assistant llm install`)
# Every package is pinned with its sha256 (pip-tools' pip-compile --generate-hashes); pyproject.toml
# keeps its ranges for people who use the package as a library.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${TMPDIR:-/tmp}/assistant-lock-tools"
[ -x "$tools/bin/pip-compile" ] || {
  python3 -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet "pip-tools==7.7.0"
}
compile=("$tools/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras
  --no-emit-index-url --no-emit-find-links --newline LF)
"${compile[@]}" --extra dev -o requirements.lock pyproject.toml
# the [llm] extra alone: its packages need nothing else
python3 -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["llm"]))' \
  | "${compile[@]}" -o assistant/generate/data/requirements-llm.lock -
echo "wrote requirements.lock and assistant/generate/data/requirements-llm.lock: commit both"
