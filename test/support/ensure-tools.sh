#!/usr/bin/env bash
# Tools the tests look through as a user would: Debian's Chromium (driven by playwright-core) for the
# web pages, and poppler's pdftoppm to see the documents' pixels; and Java for the local DynamoDB.
# Installs what is missing when this user may (root with apt-get); otherwise says how.
set -euo pipefail
bash "$(dirname "$0")/../../infra/local/ensure-java.sh"
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$chromium" ] || missing+=(chromium)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} for the tests that look at pages and documents..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "Missing: ${missing[*]}. Run 'sudo apt-get install ${missing[*]}' (or set CHROMIUM_PATH) and try again." >&2
exit 1
