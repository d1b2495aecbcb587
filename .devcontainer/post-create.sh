#!/usr/bin/env bash
# Makes the container ready for the README's two commands (`dotnet run --project src/FusionBot`,
# `bash scripts/test.sh`): Debian's chromium for the end-to-end tests (needs root, so through sudo here), then the
# repository's own bootstrap (npm tools, the Bicep CLI) as the container user.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
fi
bash scripts/bootstrap.sh
dotnet build FusionBot.sln --nologo -v q
