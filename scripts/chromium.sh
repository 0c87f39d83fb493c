#!/usr/bin/env bash
# scripts/chromium.sh install — installs Debian's Chromium (/usr/bin/chromium) if missing, for the web console's Playwright
# tests. Playwright drives it through ExecutablePath; no browser is ever downloaded by Playwright itself.
set -euo pipefail
CHROMIUM=/usr/bin/chromium

case "${1:-}" in
  install)
    if [ -x "$CHROMIUM" ]; then exit 0; fi
    if [ "$(id -u)" -ne 0 ]; then
      echo "Chromium ($CHROMIUM) is missing and this is not root. Install it with: sudo apt-get install -y chromium" >&2
      exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq chromium >&2
    ;;
  *)
    echo "usage: scripts/chromium.sh install" >&2
    exit 2
    ;;
esac
