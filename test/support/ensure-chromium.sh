#!/usr/bin/env bash
# The review page is tested in a real browser: Debian's Chromium, driven by playwright-core.
# Installs it when missing and this user may (root with apt-get); otherwise says how.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser test of the review page..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium is missing: run 'sudo apt-get install chromium' (or set CHROMIUM_PATH) and try again." >&2
exit 1
