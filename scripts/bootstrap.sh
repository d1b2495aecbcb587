#!/usr/bin/env bash
# Installs what the tests and local tools need beyond the .NET SDK and Node.js:
# the npm tools in tools/ (azurite, the Adaptive Cards parser, the manifest schema, the Agents Playground).
# Idempotent: does nothing when tools/node_modules matches tools/package-lock.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/tools"
stamp="$tools/node_modules/.fusionbot-lock"
if [ ! -f "$stamp" ] || ! cmp -s "$tools/package-lock.json" "$stamp"; then
  echo "bootstrap: installing npm tools (tools/package-lock.json)"
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$tools/package-lock.json" "$stamp"
fi
