#!/usr/bin/env bash
# System packages some tests need: Chromium for the browser tests, LibreOffice to check .docx output.
# Idempotent and quiet when everything is there already.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)
command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
