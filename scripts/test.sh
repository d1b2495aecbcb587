#!/usr/bin/env bash
# Runs every test: installs the tools the tests need, builds the solution, runs all test projects, and ends with
# one line "tests: N passed, N failed" summed over the projects.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/bootstrap.sh
dotnet build FusionBot.sln --nologo -v q
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test FusionBot.sln --no-build --nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# CI shows only the end of the output: repeat each failed test there with the start of its error message.
failed=$(awk '/^  Failed [^ ]/ { print; grab = 1; n = 0; next }
              grab && /^  Stack Trace:/ { grab = 0 }
              grab && n++ < 10 { print }' "$log")
if [ -n "$failed" ]; then printf 'failed tests:\n%s\n' "$failed"; fi
awk '/^ *Passed: *[0-9]+$/ { p += $2 } /^ *Failed: *[0-9]+$/ { f += $2 } END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
