#!/usr/bin/env bash
# Runs a command against a real, private Secret Service keychain (Linux, headless-friendly):
# a fresh D-Bus session (dbus-run-session) and a gnome-keyring-daemon whose "login" keyring is
# created in a temporary XDG_DATA_HOME and unlocked with a throwaway password fed on stdin.
# The real-keychain tests run only when TESSERA_REAL_KEYCHAIN=1, which this script exports.
#
#   scripts/with-keyring.sh cargo test -p tessera-tests --test vault keychain
#
# Needs: dbus (dbus-run-session), gnome-keyring. Nothing touches the user's own keyring.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if [[ -z "${TESSERA_KEYRING_SESSION:-}" ]]; then
  for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found (install dbus and gnome-keyring)" >&2; exit 2; }
  done
  # Re-enter this script inside a private session bus; it ends (and takes the daemon with it)
  # when the command exits.
  exec env TESSERA_KEYRING_SESSION=1 dbus-run-session -- "$0" "$@"
fi

keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$keyring_home/run}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

# --unlock reads the password on stdin, creating the login keyring if there is none, and prints
# the daemon's environment (GNOME_KEYRING_CONTROL, ...) for eval.
eval "$(printf '%s' "tessera-throwaway-password" \
  | gnome-keyring-daemon --daemonize --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

# The daemon may still be claiming its bus name when --daemonize returns: a first client would
# then find no Secret Service. Wait (up to 5 s) until the name has an owner.
for _ in $(seq 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
      | grep -q 'boolean true'; then
    break
  fi
  sleep 0.05
done

export TESSERA_REAL_KEYCHAIN=1
"$@"
