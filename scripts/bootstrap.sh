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

# The Bicep CLI (self-contained, from NuGet) so infra/ builds and lints offline. Restoring tools/bicep downloads it
# into the NuGet global packages folder once; later runs find it there and skip the restore.
bicep_version=0.49.2
nuget_root=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: //')
bicep="${nuget_root%/}/azure.bicep.commandline.linux-x64/$bicep_version/tools/bicep"
if [ ! -f "$bicep" ]; then
  echo "bootstrap: downloading the Bicep CLI $bicep_version (NuGet)"
  dotnet restore "$tools/bicep/bicep.csproj" --nologo -v q
fi
chmod u+x "$bicep"
echo "bootstrap: bicep at $bicep"

# Debian's chromium for the end-to-end tests (Playwright drives it; browser downloads do not work here). CI
# machines are fresh Debian running as root; elsewhere install it yourself or run this as root.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bootstrap: /usr/bin/chromium is missing; install it as root: apt-get update && apt-get install -y chromium" >&2
    exit 1
  fi
  echo "bootstrap: installing chromium (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
fi
echo "bootstrap: chromium at /usr/bin/chromium ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
