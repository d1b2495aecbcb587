#!/usr/bin/env bash
# Builds the Teams app package: fills manifest/manifest.json from the environment, validates it offline
# (bundled schema + icon checks) and zips it with the two icons.
#   TEAMS_APP_ID      the Teams app id (a GUID of your choosing, stable across versions)
#   MICROSOFT_APP_ID  the bot's Microsoft App ID (the managed identity's client id: infra output botId)
#   BOT_DOMAIN        the bot's host name, e.g. fusionbot-prod.azurewebsites.net (infra output webAppHostName)
# Usage: scripts/package-app.sh [output-dir]   (default: artifacts/; writes appPackage.zip there)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/artifacts"}

fail() { echo "package-app: $*" >&2; exit 1; }

guid='^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'
host='^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$'
for name in TEAMS_APP_ID MICROSOFT_APP_ID BOT_DOMAIN; do
  [ -n "${!name:-}" ] || fail "$name is not set (see the header of scripts/package-app.sh or docs/deployment.md)"
done
[[ $TEAMS_APP_ID =~ $guid ]] || fail "TEAMS_APP_ID must be a GUID, got '$TEAMS_APP_ID'"
[[ $MICROSOFT_APP_ID =~ $guid ]] || fail "MICROSOFT_APP_ID must be a GUID (the bot identity's client id), got '$MICROSOFT_APP_ID'"
[[ $BOT_DOMAIN =~ $host ]] || fail "BOT_DOMAIN must be a bare host name such as fusionbot.azurewebsites.net (no scheme, port or path), got '$BOT_DOMAIN'"

[ -f "$root/tools/node_modules/@microsoft/app-manifest/package.json" ] || bash "$root/scripts/bootstrap.sh"

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
# The values were checked above to hold only GUID / host name characters, so they are safe in a sed replacement.
sed -e "s/\${{TEAMS_APP_ID}}/$TEAMS_APP_ID/g" \
    -e "s/\${{MICROSOFT_APP_ID}}/$MICROSOFT_APP_ID/g" \
    -e "s/\${{BOT_DOMAIN}}/$BOT_DOMAIN/g" \
    "$root/manifest/manifest.json" > "$staging/manifest.json"
if grep -q '\${{' "$staging/manifest.json"; then
  fail "manifest.json still has placeholders: $(grep -o '\${{[A-Z_]*}}' "$staging/manifest.json" | sort -u | tr '\n' ' ')"
fi
cp "$root/manifest/icons/color.png" "$root/manifest/icons/outline.png" "$staging/"

node "$root/manifest/validate.js" "$staging" || fail "the manifest is not valid (see above)"

mkdir -p "$out"
package="$(cd "$out" && pwd)/appPackage.zip"
rm -f "$package"
# Teams wants the three files at the root of the zip.
if command -v zip > /dev/null; then
  (cd "$staging" && zip -q -X "$package" manifest.json color.png outline.png)
else
  (cd "$staging" && python3 -m zipfile -c "$package" manifest.json color.png outline.png)
fi
echo "package-app: wrote $package"
