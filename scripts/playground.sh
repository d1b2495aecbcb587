#!/usr/bin/env bash
# The local demo: starts FusionBot in Development (no Azure, no authentication) with roles for the Playground's mock
# users, then the Microsoft 365 Agents Playground (local Teams stand-in) against it. Web UI:
# http://127.0.0.1:${PLAYGROUND_PORT:-56150}. Ctrl+C stops both.
#   Alex Wilber (the Playground's own user) — maker: no role configured, like anyone in the tenant
#   Patti Fernandez — CoE admin (Governance__AdminIds__0)
#   Megan Bowen, Adele Vance — pro-dev reviewers (Review__ReviewerIds__0/1)
# Other users act through the Playground's "Mock an Activity" (see the README's demo walk).
# With BOT_ENDPOINT set, no bot is started: the Playground talks to that one.
# Mock users, team and channels: playground/.m365agentsplayground.yml.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/bootstrap.sh"
port=${PLAYGROUND_PORT:-56150}
bot_port=${BOT_PORT:-3978}

if [ -z "${BOT_ENDPOINT:-}" ]; then
  BOT_ENDPOINT="http://127.0.0.1:$bot_port/api/messages"
  ASPNETCORE_ENVIRONMENT=Development \
  Governance__AdminIds__0=00000000-0000-0000-0000-0000000000024 \
  Review__ReviewerIds__0=00000000-0000-0000-0000-0000000000021 \
  Review__ReviewerIds__1=00000000-0000-0000-0000-0000000000022 \
    dotnet run --project "$root/src/FusionBot" --urls "http://127.0.0.1:$bot_port" &
  bot=$!
  trap 'kill $bot 2>/dev/null || true' EXIT
  echo "Waiting for FusionBot on http://127.0.0.1:$bot_port ..."
  until curl -fs "http://127.0.0.1:$bot_port/healthz" >/dev/null; do
    kill -0 $bot 2>/dev/null || { echo "FusionBot did not start" >&2; exit 1; }
    sleep 1
  done
fi

export APPLICATION_INSIGHTS_NO_STATSBEAT=true
export TEAMSAPPTESTER_BROWSER=none
export M365_AGENTS_PLAYGROUND_CONFIG_PATH="$root/playground/.m365agentsplayground.yml"
echo "Agents Playground: http://127.0.0.1:$port  (bot: $BOT_ENDPOINT)"
node "$root/tools/node_modules/@microsoft/m365agentsplayground/cli.js" \
  -e "$BOT_ENDPOINT" -c msteams -p "$port" \
  --service-url "http://127.0.0.1:$port/_connector" --disable-telemetry
