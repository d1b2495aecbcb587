#!/usr/bin/env bash
# Runs every test: installs the tools the tests need, builds the solution, runs all test projects.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/bootstrap.sh
dotnet build FusionBot.sln --nologo -v q
dotnet test FusionBot.sln --no-build --nologo --logger "console;verbosity=normal" "$@"
