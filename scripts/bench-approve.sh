#!/usr/bin/env bash
# bench-approve.sh: how fast a reviewer's Approve (adaptiveCard/action invoke) is answered while Microsoft Graph takes
# 200 ms to answer checkMemberGroups, on every click (Review:MembershipCacheDuration 00:00:00).
#
#   scripts/bench-approve.sh [bench/ApproveBenchmark options: --requests 200 --warm-up 10 --concurrency 10
#                             --graph-delay-ms 200 --runs 3]
#
# Publishes src/FusionBot in Release, builds bench/ApproveBenchmark, and runs it against the published FusionBot.dll:
# per run it starts FusionBot as its own process on a free loopback port (auth off, a fresh SQLite file), with a fake
# Graph and a recording Bot Connector on loopback (tests/FusionBot.TestKit), seeds the Tier 2 requests through the
# bot, then times the approves. Prints every run and the medians (markdown); exits 1 when p99 >= 1 s or any errored.
# Needs no npm tools or harness. See docs/benchmarks.md, "Approve under a slow Graph".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/fusionbot-approve.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "bench-approve: publishing FusionBot (Release) to $work/app"
dotnet publish "$root/src/FusionBot" -c Release -o "$work/app" --nologo -v q >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log"; exit 1; }
echo "bench-approve: building bench/ApproveBenchmark (Release)"
dotnet build "$root/bench/ApproveBenchmark" -c Release --nologo -v q >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }
echo "bench-approve: $(uptime)"
status=0
dotnet "$root/bench/ApproveBenchmark/bin/Release/net10.0/ApproveBenchmark.dll" --app "$work/app/FusionBot.dll" "$@" || status=$?
echo "bench-approve: $(uptime)"
exit $status
