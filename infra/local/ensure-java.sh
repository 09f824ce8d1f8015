#!/usr/bin/env bash
# The local stack's DynamoDB is Amazon's DynamoDB Local, which runs on Java 17 or newer. Installs
# Debian's headless JRE when it is missing and this user may (root with apt-get); otherwise says how.
set -euo pipefail
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
major() { "$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if command -v "$java" >/dev/null && [ "$(major)" -ge 17 ] 2>/dev/null; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Java (default-jre-headless) for the local DynamoDB..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq default-jre-headless >/dev/null
  exit 0
fi
echo "The local DynamoDB needs Java 17 or newer: run 'sudo apt-get install default-jre-headless' (or set JAVA_HOME) and try again." >&2
exit 1
