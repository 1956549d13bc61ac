#!/usr/bin/env bash
# Installs the system tools the tests use, when missing: LibreOffice (headless .docx -> PDF), poppler-utils
# (pdftotext), Chromium (renders the Teams card preview), and the npm packages of the card preview.
# Without root or apt (a newcomer's laptop) it says what is missing; those tests then skip with a reason.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v soffice   >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium  >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'liberation' || need+=(fonts-liberation)
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "system-deps: missing ${need[*]} (not root or no apt): the tests that need them will skip"
  fi
fi
bash scripts/npm-deps.sh
