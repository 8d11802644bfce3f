#!/usr/bin/env bash
# Installs what the browser tests (pytest -m browser) need: Debian's Chromium and its driver, and
# the Playwright *Python package* only. Never `playwright install`: it downloads its own browser
# build, which this network does not allow; the tests drive /usr/bin/chromium instead.
set -euo pipefail

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends chromium chromium-driver
fi

PYTHON="${PYTHON:-python}"
if ! "$PYTHON" -c "import playwright" 2>/dev/null; then
  "$PYTHON" -m pip install --quiet "playwright>=1.45"
fi

/usr/bin/chromium --version
"$PYTHON" -m pip show playwright | sed -n "1,2p"
