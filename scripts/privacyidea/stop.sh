#!/usr/bin/env bash
# Stops a server started by start.sh and removes its directory.
#
#   scripts/privacyidea/stop.sh [--keep] [DIR]
#
# DIR defaults to $PI_WORK. --keep (or PI_KEEP_WORK=1) keeps the directory (database, logs), so
# `start.sh DIR` can bring the same server back. Idempotent: a server already gone is fine.
set -euo pipefail
KEEP="${PI_KEEP_WORK:-}"
if [ "${1:-}" = "--keep" ]; then KEEP=1; shift; fi
WORK="${1:-${PI_WORK:-}}"
[ -n "$WORK" ] || { echo "usage: stop.sh [--keep] DIR (or set PI_WORK)" >&2; exit 2; }
[ -d "$WORK" ] || exit 0
# Only remove what start.sh made: a dir with its env file.
[ -f "$WORK/env" ] || [ -f "$WORK/pi.cfg" ] || { echo "stop: $WORK is not a server dir" >&2; exit 2; }
if [ -f "$WORK/server.pid" ]; then
    PID="$(cat "$WORK/server.pid")"
    if kill "$PID" 2>/dev/null; then
        # The port must be free again before a restart on the same port: wait for the exit.
        for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$PID" 2>/dev/null || true
    fi
    rm -f "$WORK/server.pid"
fi
if [ -z "$KEEP" ]; then rm -rf "$WORK"; fi
