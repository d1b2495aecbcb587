#!/usr/bin/env bash
# Starts the Microsoft 365 Agents Playground (local Teams stand-in) against a bot already running on
# http://127.0.0.1:3978 (override with BOT_ENDPOINT). Web UI: http://127.0.0.1:${PLAYGROUND_PORT:-56150}.
# Mock users, team and channels: playground/.m365agentsplayground.yml.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/bootstrap.sh"
port=${PLAYGROUND_PORT:-56150}
export APPLICATION_INSIGHTS_NO_STATSBEAT=true
export TEAMSAPPTESTER_BROWSER=none
export M365_AGENTS_PLAYGROUND_CONFIG_PATH="$root/playground/.m365agentsplayground.yml"
echo "Agents Playground: http://127.0.0.1:$port  (bot: ${BOT_ENDPOINT:-http://127.0.0.1:3978/api/messages})"
exec node "$root/tools/node_modules/@microsoft/m365agentsplayground/cli.js" \
  -e "${BOT_ENDPOINT:-http://127.0.0.1:3978/api/messages}" -c msteams -p "$port" \
  --service-url "http://127.0.0.1:$port/_connector" --disable-telemetry
