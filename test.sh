#!/usr/bin/env bash
# ./test.sh [FILTER]  — installs what the tests need (PostgreSQL, OpenSSH's server, Chromium), starts a throwaway PostgreSQL, builds, runs every test
# project (or only those whose name contains FILTER), and ends with the line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
filter=${1:-}

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK is missing: install .NET 10 (https://dot.net) and run ./test.sh again." >&2
  exit 1
fi
scripts/postgres.sh install
# The Credinvest tests talk to a real OpenSSH SFTP server (Debian's openssh-server, started per test on loopback).
scripts/sshd.sh install
# The web console's tests drive Debian's Chromium with Playwright (never a downloaded browser).
scripts/chromium.sh install
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

work=$(mktemp -d /tmp/tributary-test.XXXXXX)
chmod 755 "$work"   # initdb runs as the postgres user when we are root: it must enter this folder
cleanup() {
  scripts/postgres.sh stop "$work/pg" || true
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

port=$(scripts/postgres.sh start "$work/pg" --ephemeral)
export TRIBUTARY_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Maximum Pool Size=20"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "PostgreSQL for tests on 127.0.0.1:$port"

echo "Building (Release)..."
dotnet build Cluster.sln -c Release -nologo -clp:ErrorsOnly

status=0
results="$work/results"
# The console tests' screenshots, kept after the run (the results folder goes with $work).
export TRIBUTARY_SCREENSHOTS="$root/tests/Tributary.Console.Tests/TestResults/screenshots"
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  if [ -n "$filter" ] && [[ "$name" != *"$filter"* ]]; then continue; fi
  echo "=== $name"
  # A hung test fails the run with a dump instead of eating CI's 90 minutes.
  set +e
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" --blame-hang-timeout 5m 2>&1 | grep -vE '^\s*$|^\s+Passed '
  code=${PIPESTATUS[0]}
  set -e
  if [ "$code" -ne 0 ]; then status=1; fi
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  # Skipped tests are not counted as notExecuted in the TRX counters: they are the total less the executed.
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters"); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$failed" -ne 0 ]; then
  # The failures again, at the end, where a CI log's tail shows them: the test and the first lines of its message.
  echo "=== Failed tests"
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    awk '
      /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); print "FAILED " substr($0, RSTART + 10, RLENGTH - 11); inside = 1; lines = 0; next }
      !inside { next }
      /<\/UnitTestResult>/ { inside = 0; next }
      /<Message>/ { msg = 1 }
      msg {
        last = ($0 ~ /<\/Message>/)
        line = $0; sub(/^[ \t]*<Message>/, "", line); sub(/<\/Message>.*/, "", line)
        if (lines++ < 8) print "    " line
        if (last) msg = 0
      }
' "$trx"
  done
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "No test ran." >&2
  status=1
fi
if [ "$failed" -ne 0 ]; then status=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
