#!/usr/bin/env bash
# ./run.sh [--silos N]
# Starts the whole system on its embedded default: a private PostgreSQL under ./.data (installed from
# Debian's packages if missing), the upstream simulators, N silos (default 1) and the gateway.
# A silo, the gateway or the simulators that dies is restarted, saying so, while the rest keep running:
# after 1 s, doubling up to 30 s while it keeps dying, back to 1 s once it has stayed up 60 s; its log
# is appended to. Ctrl-C (or SIGTERM) stops everything, and so does PostgreSQL stopping.
# Data under ./.data survives restarts.
#   TRIBUTARY_ADMIN_KEY  the admin API key (default: generated once, kept in .data/admin-key)
#   TRIBUTARY_KEYRING_KEY  seals the key ring of stored secrets (default: generated once, kept in .data/keyring-key)
#   TRIBUTARY_API_PORT   the gateway port (default 5080)
#   TRIBUTARY_SIM_PORT   the simulators' port (default 5090)
#   TRIBUTARY_CREDINVEST_HOST ...  a real Credinvest SFTP server instead of the private sshd (see below)
#   DOTNET_GCgen0size    the .NET processes' gen0 budget, hexadecimal bytes (default 0x400000: 4 MB)
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

silos=1
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos=${2:-}; shift 2 || { echo "--silos needs a number" >&2; exit 2; } ;;
    --silos=*) silos=${1#*=}; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# Gen0 budget of every .NET process started here (hexadecimal bytes; 4 MB). Left to itself the runtime sizes gen0 from the
# L3 cache, which on a large server CPU makes rare collections that each find seconds of new grain activations alive, and
# pause the silo tens of milliseconds; frequent small ones pause it a few. Read only at a process' start; set it to override.
export DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x400000}

api_port=${TRIBUTARY_API_PORT:-5080}
sim_port=${TRIBUTARY_SIM_PORT:-5090}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$api_port" "$sim_port"; do
  port_free "$p" || { echo "Port $p is in use: stop what holds it or set TRIBUTARY_API_PORT / TRIBUTARY_SIM_PORT." >&2; exit 1; }
done
for i in $(seq 1 "$silos"); do
  for p in $((11110 + i)) $((29999 + i)) $((18080 + i)); do
    port_free "$p" || { echo "Silo port $p is in use (is another ./run.sh running?)." >&2; exit 1; }
  done
done

scripts/postgres.sh install
mkdir -p .data/logs
chmod 755 .data   # the postgres user must enter it when we run as root
# The database lives in .data/pg, or, when we run as root from a folder the postgres user cannot enter (a clone in
# /root), in a folder of its own under /var/lib/tributary: said once here, kept across runs.
pg_dir=$(scripts/postgres.sh data-dir "$root/.data/pg")
if [ "$pg_dir" != "$root/.data/pg" ]; then
  echo "PostgreSQL keeps its data in $pg_dir: the postgres user cannot enter $root (its permissions are left as they are)."
fi
now() { printf '%(%H:%M:%S)T' -1; }
# Sleeps in the background so a signal's trap runs at once; 2>/dev/null keeps bash's own "Killed ..."
# notice of a dead child quiet (run.sh says which process died, and what it does about it).
pause() { sleep "$1" & wait $! 2>/dev/null || true; }

# How long stopping waits for a process after SIGTERM before it kills it: longer than the silos' own
# Silo:ShutdownTimeout (30 s), short once PostgreSQL is gone (a silo cannot leave the cluster cleanly then).
stop_grace=45
# What run.sh knows of each process, by name (simulators, silo-1..silo-N, gateway; the log is
# .data/logs/NAME.log): its pid (empty while it waits to be restarted), when it started, the delay
# before its next restart and when that restart is due.
names=()
declare -A pid_of=() up_since=() delay_of=() restart_at=()

stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping..."
  # Every process this script started in the background and still running, restarted ones included
  # (the job table, so even one started a moment before the signal came is not left behind).
  local pid pids name n
  pids=($(jobs -pr))
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  local deadline=$((SECONDS + stop_grace))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do pause 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      name="process $pid"
      for n in "${!pid_of[@]}"; do if [ "${pid_of[$n]}" = "$pid" ]; then name="$n (pid $pid)"; fi; done
      echo "$name did not stop within $stop_grace s of SIGTERM; killing it."
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "${sftp_dir:-}" ]; then scripts/sshd.sh stop "$sftp_dir" || true; fi
  scripts/postgres.sh stop "$pg_dir"
  echo "Stopped. Data kept in $root/.data$([ "$pg_dir" = "$root/.data/pg" ] || echo " and $pg_dir")"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_port=$(scripts/postgres.sh start "$pg_dir")
pg_pid=$(scripts/postgres.sh pid "$pg_dir")
postgres_alive() { kill -0 "$pg_pid" 2>/dev/null; }
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
# Stored secrets (webhook secrets) are encrypted with a key ring kept in PostgreSQL, itself sealed by this key: keep
# it with the database (losing it makes the stored secrets unreadable).
if [ -n "${TRIBUTARY_KEYRING_KEY:-}" ]; then
  keyring_key=$TRIBUTARY_KEYRING_KEY
else
  if [ ! -s .data/keyring-key ]; then
    (umask 077; head -c 32 /dev/urandom | base64 -w 0 > .data/keyring-key)
  fi
  keyring_key=$(cat .data/keyring-key)
fi

echo "Building (Release)..."
dotnet build Cluster.sln -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null || dotnet build Cluster.sln -c Release -nologo -clp:ErrorsOnly
bin() { echo "$root/$1/bin/Release/net10.0/$2.dll"; }

# One command per kind of process, shared by the first start and every restart. Each execs, so the pid
# run.sh watches and signals is the dotnet process itself.
run_simulators() {
  exec dotnet "$(bin simulators Tributary.Simulators)" --urls "http://127.0.0.1:$sim_port"
}
run_silo() { # i
  local i=$1
  exec env Database__ConnectionString="$db" Silo__SiloPort=$((11110 + i)) \
    Silo__GatewayPort=$((29999 + i)) Silo__HealthPort=$((18080 + i)) Silo__Name="silo-$i" Database__MigrateOnStart=false \
    MarketData__BaseUrl="http://127.0.0.1:$sim_port/marketdata/v1/" MarketData__ApiKey="$market_key" \
    WealthX__BaseUrl="$wealthx_url" WealthX__Username="$wealthx_user" WealthX__Password="$wealthx_password" \
    TrueLayer__AuthUrl="$truelayer_auth_url" TrueLayer__DataUrl="$truelayer_data_url" TrueLayer__ClientId="$truelayer_client_id" \
    TrueLayer__ClientSecret="$truelayer_client_secret" TrueLayer__RedirectUri="http://127.0.0.1:$api_port/api/truelayer/callback" \
    Vestr__KeycloakUrl="$vestr_keycloak_url" Vestr__GraphQlUrl="$vestr_graphql_url" Vestr__Username="$vestr_user" \
    Vestr__Password="$vestr_password" Vestr__TotpSecret="$vestr_totp_secret" \
    Credinvest__Host="$credinvest_host" Credinvest__Port="$credinvest_port" Credinvest__Username="$credinvest_user" \
    Credinvest__PrivateKeyPath="$credinvest_key" Credinvest__Password="$credinvest_password" \
    Credinvest__HostKeyFingerprint="$credinvest_fingerprint" Credinvest__Directory="$credinvest_directory" \
    Dropbox__OAuthUrl="$dropbox_oauth_url" Dropbox__ApiUrl="$dropbox_api_url" Dropbox__ContentUrl="$dropbox_content_url" \
    Dropbox__AppKey="$dropbox_app_key" Dropbox__AppSecret="$dropbox_app_secret" Dropbox__RefreshToken="$dropbox_refresh_token" \
    Relay__DownloadDirectory="$relay_downloads" \
    Tasks__Provider="$tasks_provider" AiPlatform__BaseUrl="$ai_url" AiPlatform__ApiKey="$ai_api_key" AiPlatform__TenantId="$ai_tenant" \
    DataProtection__KeyRingKey="$keyring_key" \
    dotnet "$(bin silo Tributary.Silo)"
}
run_gateway() {
  # Webhooks to private addresses stay refused unless the caller's environment says Webhooks__AllowPrivateTargets=true.
  exec env Database__ConnectionString="$db" TRIBUTARY_ADMIN_KEY="$admin_key" DataProtection__KeyRingKey="$keyring_key" \
    TRIBUTARY_API_PORT="$api_port" dotnet "$(bin api Tributary.Api)"
}
run_process() { # name
  case $1 in
    simulators) run_simulators ;;
    silo-*) run_silo "${1#silo-}" ;;
    gateway) run_gateway ;;
  esac
}

launch() { # name [again]: start the process; "again" appends to its log instead of starting a new one
  local name=$1 log=.data/logs/$1.log
  if [ "${2:-}" = again ]; then
    echo "=== $(date '+%F %T') run.sh restarts $name ===" >>"$log"
  else
    : >"$log"
    names+=("$name")
    delay_of[$name]=1
  fi
  run_process "$name" >>"$log" 2>&1 &
  pid_of[$name]=$!
  up_since[$name]=$SECONDS
}
start() { # name
  launch "$1"
  echo "  $1 (pid ${pid_of[$1]}) -> .data/logs/$1.log"
}

echo "Starting..."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
start simulators
# Migrate (and, on an empty database, load the FinTrack demo data) once before the silos start.
Database__ConnectionString="$db" dotnet "$(bin silo Tributary.Silo)" seed-demo >.data/logs/migrate.log 2>&1 \
  || { echo "Migration failed:" >&2; tail -n 20 .data/logs/migrate.log >&2; exit 1; }
# The simulators' market-data key and WealthX login are dev-only fakes (simulators/appsettings.json); a real
# feed's credentials come from the environment.
market_key=${TRIBUTARY_MARKETDATA_KEY:-sim-marketdata-key-dev-only}
wealthx_url=${TRIBUTARY_WEALTHX_URL:-http://127.0.0.1:$sim_port/wealthx/rest/v1/}
wealthx_user=${TRIBUTARY_WEALTHX_USERNAME:-tributary-sim}
wealthx_password=${TRIBUTARY_WEALTHX_PASSWORD:-sim-password-dev-only}
# TrueLayer: the simulators' auth dialog and Data API with their dev-only client; a real client comes from the environment.
truelayer_auth_url=${TRIBUTARY_TRUELAYER_AUTH_URL:-http://127.0.0.1:$sim_port/truelayer/auth/}
truelayer_data_url=${TRIBUTARY_TRUELAYER_DATA_URL:-http://127.0.0.1:$sim_port/truelayer/api/}
truelayer_client_id=${TRIBUTARY_TRUELAYER_CLIENT_ID:-tributary-sim}
truelayer_client_secret=${TRIBUTARY_TRUELAYER_CLIENT_SECRET:-sim-truelayer-secret-dev-only}
# Vestr: the simulators' Keycloak realm and GraphQL endpoint with their dev-only login and TOTP secret.
vestr_keycloak_url=${TRIBUTARY_VESTR_KEYCLOAK_URL:-http://127.0.0.1:$sim_port/keycloak/realms/vestr/}
vestr_graphql_url=${TRIBUTARY_VESTR_GRAPHQL_URL:-http://127.0.0.1:$sim_port/vestr/graphql}
vestr_user=${TRIBUTARY_VESTR_USERNAME:-tributary-sim}
vestr_password=${TRIBUTARY_VESTR_PASSWORD:-sim-vestr-password-dev-only}
vestr_totp_secret=${TRIBUTARY_VESTR_TOTP_SECRET:-JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP}
# Credinvest: a private OpenSSH SFTP server on a loopback port (scripts/sshd.sh), seeded once with INTE files of
# today and the days before, logged in with its own key and pinned by its host key; a real server comes from the
# environment (TRIBUTARY_CREDINVEST_HOST with its login and fingerprint).
if [ -n "${TRIBUTARY_CREDINVEST_HOST:-}" ]; then
  credinvest_host=$TRIBUTARY_CREDINVEST_HOST
  credinvest_port=${TRIBUTARY_CREDINVEST_PORT:-22}
  credinvest_user=${TRIBUTARY_CREDINVEST_USERNAME:?set TRIBUTARY_CREDINVEST_USERNAME with TRIBUTARY_CREDINVEST_HOST}
  credinvest_key=${TRIBUTARY_CREDINVEST_PRIVATE_KEY_PATH:-}
  credinvest_password=${TRIBUTARY_CREDINVEST_PASSWORD:-}
  credinvest_fingerprint=${TRIBUTARY_CREDINVEST_HOST_KEY_FINGERPRINT:?set TRIBUTARY_CREDINVEST_HOST_KEY_FINGERPRINT (SHA256:...) with TRIBUTARY_CREDINVEST_HOST}
  credinvest_directory=${TRIBUTARY_CREDINVEST_DIRECTORY:-.}
else
  sftp_dir=$root/.data/sftp
  scripts/sshd.sh install
  credinvest_port=$(scripts/sshd.sh start "$sftp_dir")
  credinvest_host=127.0.0.1
  credinvest_user=$(id -un)
  credinvest_key=$sftp_dir/client_ed25519
  credinvest_password=
  credinvest_fingerprint=$(scripts/sshd.sh fingerprint "$sftp_dir")
  credinvest_directory=.
  if [ -z "$(ls -A "$sftp_dir/files")" ]; then
    for account in 10001 10002 10003 10004 10005; do
      for day in 0 1 4; do
        stamp=$(date -d "-$day day" +%Y%m%d)170000
        head -c $((20000 + account % 7 * 1000)) /dev/urandom >"$sftp_dir/files/$account-$stamp-INTE100F.xlsx"
        head -c $((15000 + account % 5 * 1000)) /dev/urandom >"$sftp_dir/files/$account-$stamp-INTE400F.xlsx"
      done
    done
    echo "readme" >"$sftp_dir/files/README.txt"
  fi
fi
# Dropbox: the simulators' API with their dev-only app; a real app's refresh token comes from the environment.
dropbox_oauth_url=${TRIBUTARY_DROPBOX_OAUTH_URL:-http://127.0.0.1:$sim_port/dropbox}
dropbox_api_url=${TRIBUTARY_DROPBOX_API_URL:-http://127.0.0.1:$sim_port/dropbox/api}
dropbox_content_url=${TRIBUTARY_DROPBOX_CONTENT_URL:-http://127.0.0.1:$sim_port/dropbox/content/}
dropbox_app_key=${TRIBUTARY_DROPBOX_APP_KEY:-tributary-sim}
dropbox_app_secret=${TRIBUTARY_DROPBOX_APP_SECRET:-sim-dropbox-secret-dev-only}
dropbox_refresh_token=${TRIBUTARY_DROPBOX_REFRESH_TOKEN:-sim-dropbox-refresh-dev-only}
relay_downloads=$root/.data/credinvest
# Analysis tasks: the built-in analytics by default; TRIBUTARY_TASKS_PROVIDER=platform uses the AI platform (the
# simulators' unless TRIBUTARY_AI_URL / _API_KEY / _TENANT_ID name a real one).
tasks_provider=${TRIBUTARY_TASKS_PROVIDER:-builtin}
ai_url=${TRIBUTARY_AI_URL:-http://127.0.0.1:$sim_port/aiplatform/}
ai_api_key=${TRIBUTARY_AI_API_KEY:-sim-ai-key-dev-only}
ai_tenant=${TRIBUTARY_AI_TENANT_ID:-tributary}
for i in $(seq 1 "$silos"); do
  start "silo-$i"
done
start gateway

exit_text() { # status -> "code 137 (signal KILL)"
  if [ "$1" -gt 128 ] && [ "$1" -lt 160 ]; then
    echo "code $1 (signal $(kill -l $(($1 - 128))))"
  else
    echo "code $1"
  fi
}
# One look at everything: stop all if PostgreSQL is gone; say which process died, with its exit code and
# when it comes back; restart those whose backoff is over. The others keep running throughout.
watch_processes() {
  local name pid status
  if ! postgres_alive; then
    echo "$(now) PostgreSQL (pid $pg_pid) stopped; see $pg_dir/server.log. Stopping everything." >&2
    stop_grace=5
    exit 1
  fi
  for name in "${names[@]}"; do
    pid=${pid_of[$name]}
    if [ -n "$pid" ]; then
      if kill -0 "$pid" 2>/dev/null; then continue; fi
      status=0
      wait "$pid" 2>/dev/null || status=$?
      pid_of[$name]=
      if [ $((SECONDS - up_since[$name])) -ge 60 ]; then delay_of[$name]=1; fi
      restart_at[$name]=$((SECONDS + delay_of[$name]))
      echo "$(now) $name (pid $pid) exited with $(exit_text "$status"); restarting it in ${delay_of[$name]} s (log: .data/logs/$name.log)."
      delay_of[$name]=$((delay_of[$name] * 2 > 30 ? 30 : delay_of[$name] * 2))
    elif [ $SECONDS -ge "${restart_at[$name]}" ]; then
      launch "$name" again
      echo "$(now) $name restarted (pid ${pid_of[$name]})."
    fi
  done
}

# curl when present; a bare HTTP/1.0 request over bash's /dev/tcp otherwise (a fresh machine may lack curl).
http_ok() {
  if command -v curl >/dev/null 2>&1; then curl -fsS "http://127.0.0.1:$1$2" >/dev/null 2>&1; return; fi
  (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3 && head -n 1 <&3 | grep -q ' 200 ') 2>/dev/null
}
echo "Waiting for the gateway's /ping..."
deadline=$((SECONDS + 180))
# A process that dies meanwhile is restarted like later on (a silo can fail its start-up for a passing
# reason, e.g. a cluster that was not stopped cleanly); one that keeps dying ends in the 180 s limit.
# (2>/dev/null: bash's own "Killed ..." notice of a child that died during curl.)
until http_ok "$api_port" /ping 2>/dev/null; do
  watch_processes
  if [ $SECONDS -ge $deadline ]; then
    echo "The gateway did not answer /ping within 180 s; the last lines of the logs:" >&2
    tail -n 15 .data/logs/*.log >&2
    exit 1
  fi
  pause 1
done

cat <<INFO

Tributary is running ($silos silo(s)).
  API          http://127.0.0.1:$api_port        (header X-Api-Key: <admin key>)
  API docs     http://127.0.0.1:$api_port/docs   (browser: any user name, the key as password)
  Dashboard    http://127.0.0.1:$api_port/dashboard
  Health       http://127.0.0.1:$api_port/health   (and /alive; /metrics with the admin key)
  Silo probes  http://127.0.0.1:18081/health, /alive, /metrics   (silo i on port 18080+i)
  Simulators   http://127.0.0.1:$sim_port
  Credinvest   sftp://$credinvest_host:$credinvest_port   (the relay downloads to $relay_downloads)
  PostgreSQL   psql -h 127.0.0.1 -p $pg_port -U postgres tributary
  Admin key    $admin_key
  Logs         $root/.data/logs/
Press Ctrl-C to stop.
INFO

# Stay up until Ctrl-C/SIGTERM, or until PostgreSQL stops.
while true; do
  watch_processes
  pause 1
done
