#!/usr/bin/env bash
# A private OpenSSH SFTP server (the Credinvest upstream) for run.sh and test.sh: Debian's openssh-server run on a
# loopback port with its own host key, SFTP only (internal-sftp forced, rooted at DIR/files), key login for the user
# who runs it.
#
#   scripts/sshd.sh install              install openssh-server from Debian's packages if missing
#   scripts/sshd.sh start DIR            keys in DIR if new, start on a free loopback port, print the port
#   scripts/sshd.sh stop DIR             stop the server of DIR
#   scripts/sshd.sh fingerprint DIR      the host key's SHA256 fingerprint (what Credinvest:HostKeyFingerprint pins)
#
# DIR gets: host_ed25519 (the server's key), client_ed25519 (the key to log in with), files/ (what the server serves),
# sshd.log. Password login is not offered: an unprivileged sshd cannot check passwords.
set -euo pipefail

SSHD=/usr/sbin/sshd

install_server() {
  if [ -x "$SSHD" ]; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "OpenSSH's server ($SSHD) is missing and this is not root. Install it with: sudo apt-get install -y openssh-server" >&2
    exit 1
  fi
  echo "Installing OpenSSH's server from Debian's packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq openssh-server >&2
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Below Linux's ephemeral range and apart from PostgreSQL's 15432-15999 and the silos' ports.
pick_port() {
  local p i offset=$((RANDOM % 500))
  for i in $(seq 0 499); do
    p=$((16100 + (offset + i) % 500))
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  echo "No free loopback port between 16100 and 16599." >&2
  exit 1
}

start() {
  local dir=$1
  install_server
  mkdir -p "$dir/files"
  dir=$(cd "$dir" && pwd)
  [ -f "$dir/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C tributary-sftp-host -f "$dir/host_ed25519"
  [ -f "$dir/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C tributary-sftp-client -f "$dir/client_ed25519"
  cp "$dir/client_ed25519.pub" "$dir/authorized_keys"
  chmod 600 "$dir/host_ed25519" "$dir/client_ed25519" "$dir/authorized_keys"
  if [ "$(id -u)" -eq 0 ]; then mkdir -p /run/sshd && chmod 755 /run/sshd; fi
  if [ -f "$dir/sshd.pid" ] && kill -0 "$(cat "$dir/sshd.pid")" 2>/dev/null; then
    sed -n 's/^Port //p' "$dir/sshd_config"
    return 0
  fi
  local port
  port=$(pick_port)
  cat >"$dir/sshd_config" <<CONFIG
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
AllowUsers $(id -un)
AllowTcpForwarding no
AllowAgentForwarding no
X11Forwarding no
PermitTTY no
Subsystem sftp internal-sftp
ForceCommand internal-sftp -d $dir/files
CONFIG
  "$SSHD" -f "$dir/sshd_config" -E "$dir/sshd.log"
  local i
  for i in $(seq 1 100); do
    if ! port_free "$port"; then echo "$port"; return 0; fi
    sleep 0.1
  done
  echo "sshd did not listen on 127.0.0.1:$port within 10 s; its log:" >&2
  cat "$dir/sshd.log" >&2 || true
  exit 1
}

stop() {
  local dir=$1
  if [ -f "$dir/sshd.pid" ]; then
    kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true
    rm -f "$dir/sshd.pid"
  fi
}

case ${1:-} in
  install) install_server ;;
  start) start "${2:?usage: $0 start DIR}" ;;
  stop) stop "${2:?usage: $0 stop DIR}" ;;
  fingerprint) ssh-keygen -l -E sha256 -f "${2:?usage: $0 fingerprint DIR}/host_ed25519.pub" | awk '{print $2}' ;;
  *) echo "usage: $0 install | start DIR | stop DIR | fingerprint DIR" >&2; exit 2 ;;
esac
