#!/usr/bin/env bash
# ./run.sh [--silos N]
# Starts the whole system on its embedded default: a private PostgreSQL under ./.data (installed from
# Debian's packages if missing), the upstream simulators, N silos (default 1) and the gateway.
# Ctrl-C (or SIGTERM) stops everything. Data under ./.data survives restarts.
#   TRIBUTARY_ADMIN_KEY  the admin API key (default: generated once, kept in .data/admin-key)
#   TRIBUTARY_API_PORT   the gateway port (default 5080)
#   TRIBUTARY_SIM_PORT   the simulators' port (default 5090)
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

silos=1
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos=${2:-}; shift 2 || { echo "--silos needs a number" >&2; exit 2; } ;;
    --silos=*) silos=${1#*=}; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option '$1'. Usage: ./run.sh [--silos N]" >&2; exit 2 ;;
  esac
done
if ! [[ "$silos" =~ ^[0-9]+$ ]] || [ "$silos" -lt 1 ] || [ "$silos" -gt 9 ]; then
  echo "--silos must be a number from 1 to 9, was '$silos'." >&2
  exit 2
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK is missing: install .NET 10 (https://dot.net) and run ./run.sh again." >&2
  exit 1
fi

api_port=${TRIBUTARY_API_PORT:-5080}
sim_port=${TRIBUTARY_SIM_PORT:-5090}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$api_port" "$sim_port"; do
  port_free "$p" || { echo "Port $p is in use: stop what holds it or set TRIBUTARY_API_PORT / TRIBUTARY_SIM_PORT." >&2; exit 1; }
done
for i in $(seq 1 "$silos"); do
  for p in $((11110 + i)) $((29999 + i)); do
    port_free "$p" || { echo "Silo port $p is in use (is another ./run.sh running?)." >&2; exit 1; }
  done
done

scripts/postgres.sh install
mkdir -p .data/logs
chmod 755 .data   # the postgres user must enter it when we run as root
pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  scripts/postgres.sh stop .data/pg
  echo "Stopped. Data kept in $root/.data"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_port=$(scripts/postgres.sh start .data/pg)
if ! psql -h 127.0.0.1 -p "$pg_port" -U postgres -Atc "select 1 from pg_database where datname = 'tributary'" postgres | grep -q 1; then
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "create database tributary" postgres
fi
db="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=tributary"

if [ -n "${TRIBUTARY_ADMIN_KEY:-}" ]; then
  admin_key=$TRIBUTARY_ADMIN_KEY
else
  if [ ! -s .data/admin-key ]; then
    (umask 077; head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40 > .data/admin-key)
  fi
  admin_key=$(cat .data/admin-key)
fi

echo "Building (Release)..."
dotnet build Cluster.sln -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null || dotnet build Cluster.sln -c Release -nologo -clp:ErrorsOnly
bin() { echo "$root/$1/bin/Release/net10.0/$2.dll"; }

start() { # name logfile command...
  local name=$1 log=$2; shift 2
  "$@" >"$log" 2>&1 &
  pids+=($!)
  echo "  $name (pid $!) -> $log"
}

echo "Starting..."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
start simulators .data/logs/simulators.log dotnet "$(bin simulators Tributary.Simulators)" --urls "http://127.0.0.1:$sim_port"
# Migrate (and, on an empty database, load the FinTrack demo data) once before the silos start.
Database__ConnectionString="$db" dotnet "$(bin silo Tributary.Silo)" seed-demo >.data/logs/migrate.log 2>&1 \
  || { echo "Migration failed:" >&2; tail -n 20 .data/logs/migrate.log >&2; exit 1; }
# The simulators' market-data key and WealthX login are dev-only fakes (simulators/appsettings.json); a real
# feed's credentials come from the environment.
market_key=${TRIBUTARY_MARKETDATA_KEY:-sim-marketdata-key-dev-only}
wealthx_url=${TRIBUTARY_WEALTHX_URL:-http://127.0.0.1:$sim_port/wealthx/rest/v1/}
wealthx_user=${TRIBUTARY_WEALTHX_USERNAME:-tributary-sim}
wealthx_password=${TRIBUTARY_WEALTHX_PASSWORD:-sim-password-dev-only}
for i in $(seq 1 "$silos"); do
  start "silo $i" ".data/logs/silo-$i.log" env Database__ConnectionString="$db" Silo__SiloPort=$((11110 + i)) \
    Silo__GatewayPort=$((29999 + i)) Silo__Name="silo-$i" Database__MigrateOnStart=false \
    MarketData__BaseUrl="http://127.0.0.1:$sim_port/marketdata/v1/" MarketData__ApiKey="$market_key" \
    WealthX__BaseUrl="$wealthx_url" WealthX__Username="$wealthx_user" WealthX__Password="$wealthx_password" \
    dotnet "$(bin silo Tributary.Silo)"
done
start gateway .data/logs/gateway.log env Database__ConnectionString="$db" TRIBUTARY_ADMIN_KEY="$admin_key" \
  TRIBUTARY_API_PORT="$api_port" dotnet "$(bin api Tributary.Api)"

# curl when present; a bare HTTP/1.0 request over bash's /dev/tcp otherwise (a fresh machine may lack curl).
http_ok() {
  if command -v curl >/dev/null 2>&1; then curl -fsS "http://127.0.0.1:$1$2" >/dev/null 2>&1; return; fi
  (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3 && head -n 1 <&3 | grep -q ' 200 ') 2>/dev/null
}
echo "Waiting for the gateway's /ping..."
deadline=$((SECONDS + 180))
until http_ok "$api_port" /ping; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "A process stopped during start-up; the last lines of the logs:" >&2
      tail -n 15 .data/logs/*.log >&2
      exit 1
    fi
  done
  if [ $SECONDS -ge $deadline ]; then
    echo "The gateway did not answer /ping within 180 s; see .data/logs/." >&2
    exit 1
  fi
  sleep 1
done

cat <<INFO

Tributary is running ($silos silo(s)).
  API          http://127.0.0.1:$api_port        (header X-Api-Key: <admin key>)
  API docs     http://127.0.0.1:$api_port/docs   (browser: any user name, the key as password)
  Dashboard    http://127.0.0.1:$api_port/dashboard
  Health       http://127.0.0.1:$api_port/health
  Simulators   http://127.0.0.1:$sim_port
  PostgreSQL   psql -h 127.0.0.1 -p $pg_port -U postgres tributary
  Admin key    $admin_key
  Logs         $root/.data/logs/
Press Ctrl-C to stop.
INFO

# Stay up until Ctrl-C/SIGTERM, or until a process dies (then stop the rest and say which).
while true; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "Process $pid exited unexpectedly; see .data/logs/. Stopping the rest." >&2
      exit 1
    fi
  done
  sleep 2 & wait $! || true
done
