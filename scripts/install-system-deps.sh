#!/usr/bin/env bash
# System packages from Debian. Always: what ingest needs for scanned PDFs and images, Tesseract with
# Swedish and English (OCR) and poppler's pdftoppm (renders a page for OCR) — scripts/setup.sh runs
# `install-system-deps.sh --runtime` for these alone. Without --runtime also what tests need:
# Chromium for the browser tests, LibreOffice to check .docx output (scripts/test.sh).
# Idempotent and quiet when everything is there already.
set -euo pipefail
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
[ -n "$(ls /usr/share/tesseract-ocr/*/tessdata/swe.traineddata 2>/dev/null)" ] || need+=(tesseract-ocr-swe)
[ -n "$(ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata 2>/dev/null)" ] || need+=(tesseract-ocr-eng)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ "${1:-}" != "--runtime" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)
  command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
