#!/usr/bin/env bash
# A private PostgreSQL cluster for run.sh and test.sh: one mechanism, two users.
#
#   scripts/postgres.sh install                 install the server from Debian's packages if missing
#   scripts/postgres.sh start DIR [--ephemeral] [--same-port]
#                                                init DIR if new, start on a free loopback port (its former one
#                                                when free; --same-port: that one or fail), print the port
#   scripts/postgres.sh data-dir WANTED          where a cluster wanted at WANTED can live (WANTED, or a folder of
#                                                its own under /var/lib/tributary when root's postgres user
#                                                cannot reach WANTED, e.g. a clone in a 0700 home)
#   scripts/postgres.sh stop DIR                 fast shutdown
#   scripts/postgres.sh port DIR                 the port a running cluster in DIR listens on
#   scripts/postgres.sh pid DIR                  the postmaster's pid of a running cluster in DIR (fails if none runs)
#
# --ephemeral turns fsync off: for throwaway test clusters only, never for ./.data.
set -euo pipefail

find_bin() {
  local tool=$1
  if command -v "$tool" >/dev/null 2>&1; then command -v "$tool"; return 0; fi
  local candidate
  candidate=$(ls -d /usr/lib/postgresql/*/bin/"$tool" 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$candidate" ] && { echo "$candidate"; return 0; }
  return 1
}

install_server() {
  if find_bin initdb >/dev/null && find_bin pg_ctl >/dev/null; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL server binaries (initdb, pg_ctl) are missing and this is not root." >&2
    echo "Install them with: sudo apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "Installing PostgreSQL from Debian's packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  # Debian's package starts a system cluster; ours are private, so leave theirs alone.
}

# initdb and postgres refuse to run as root: run them as the postgres user then.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Below Linux's ephemeral range (32768-60999), where every outgoing connection takes its local port: a port picked
# there can be taken by a client socket before the server binds it ("Address already in use"). Below it only
# listeners compete, and the test fixtures hand out silo ports from 20000 up, so the two never meet.
# The search starts at a random port of the range, not its first: a cluster stopped for a while (a test playing an
# outage) comes back on its own port, which another cluster started meanwhile would otherwise be the first to take.
pick_port() {
  local p i offset=$((RANDOM % 568))
  for i in $(seq 0 567); do
    p=$((15432 + (offset + i) % 568))
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  echo "No free loopback port between 15432 and 15999." >&2
  exit 1
}

# Where a cluster wanted at WANTED can live: WANTED itself, unless we run as root and the postgres user (which runs
# the server: PostgreSQL refuses root) cannot traverse WANTED's parents, as with a clone in Debian's 0700 /root.
# Then a folder of its own under /var/lib/tributary, named after WANTED so each clone keeps its own. Never loosens
# the permissions of the user's folders.
data_dir() {
  local wanted=$1 parent
  parent=$(dirname "$wanted")
  mkdir -p "$parent"
  parent=$(cd "$parent" && pwd)
  if [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$parent" 2>/dev/null || ! id postgres >/dev/null 2>&1; then
    echo "$parent/$(basename "$wanted")"
    return 0
  fi
  local key
  key=$(printf '%s' "$parent/$(basename "$wanted")" | sha256sum | cut -c1-16)
  mkdir -p /var/lib/tributary
  chmod 755 /var/lib/tributary
  echo "/var/lib/tributary/$key/$(basename "$wanted")"
}

start() {
  local dir=$1 ephemeral="" same_port="" flag
  shift
  for flag in "$@"; do
    case "$flag" in
      --ephemeral) ephemeral=$flag ;;
      --same-port) same_port=$flag ;;
      *) echo "Unknown option $flag: use --ephemeral and/or --same-port." >&2; exit 2 ;;
    esac
  done
  install_server
  local initdb pg_ctl
  initdb=$(find_bin initdb); pg_ctl=$(find_bin pg_ctl)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" -eq 0 ]; then
    if ! runuser -u postgres -- test -x "$(dirname "$dir")"; then
      echo "The postgres user cannot reach $(dirname "$dir"); make its parents traversable (chmod o+x) or pick another folder." >&2
      exit 1
    fi
    chown postgres:postgres "$dir"; chmod 700 "$dir"
  fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    as_owner "$initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  fi
  if as_owner "$pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    cat "$dir/tributary.port"
    return 0
  fi
  local port
  if [ -f "$dir/tributary.port" ] && port_free "$(cat "$dir/tributary.port")"; then
    port=$(cat "$dir/tributary.port")
  elif [ -n "$same_port" ] && [ -f "$dir/tributary.port" ]; then
    # Clients hold connection strings with the old port: a server on another one would look like a lost database.
    echo "Port $(cat "$dir/tributary.port") of the cluster in $dir is taken by another process; it cannot come back on it." >&2
    exit 1
  else
    port=$(pick_port)
  fi
  local opts="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300"
  if [ "$ephemeral" = "--ephemeral" ]; then
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  echo "$port" > "$dir/tributary.port.tmp"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir/tributary.port.tmp"; fi
  mv "$dir/tributary.port.tmp" "$dir/tributary.port"
  as_owner "$pg_ctl" -D "$dir" -l "$dir/server.log" -o "$opts" -w -t 60 start >/dev/null
  echo "$port"
}

stop() {
  local dir=$1
  [ -f "$dir/PG_VERSION" ] || return 0
  as_owner "$(find_bin pg_ctl)" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

pid() {
  local dir=$1
  if ! as_owner "$(find_bin pg_ctl)" -D "$dir" status >/dev/null 2>&1; then
    echo "No PostgreSQL runs in $dir." >&2
    exit 1
  fi
  head -n 1 "$dir/postmaster.pid"
}

cmd=${1:-}
case "$cmd" in
  install) install_server ;;
  start) [ $# -ge 2 ] || { echo "usage: $0 start DIR [--ephemeral] [--same-port]" >&2; exit 2; }; shift; start "$@" ;;
  data-dir) [ $# -ge 2 ] || { echo "usage: $0 data-dir WANTED" >&2; exit 2; }; data_dir "$2" ;;
  stop) [ $# -ge 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }; stop "$2" ;;
  port) cat "$2/tributary.port" ;;
  pid) [ $# -ge 2 ] || { echo "usage: $0 pid DIR" >&2; exit 2; }; pid "$2" ;;
  *) echo "usage: $0 install | start DIR [--ephemeral] [--same-port] | stop DIR | port DIR | pid DIR" >&2; exit 2 ;;
esac
