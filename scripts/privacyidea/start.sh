#!/usr/bin/env bash
# Starts a throwaway privacyIDEA 3.14 on 127.0.0.1 (SQLite, poll-only push policies) and waits
# until it answers. Writes the server's descriptor, $PI_WORK/server.json (what every test harness
# reads: crates/testkit and tests/e2e/privacyidea.mjs), and prints its path on stdout; the same
# settings stay in $PI_WORK/env (shell-sourceable, for a restart).
#
#   scripts/privacyidea/start.sh          fresh server: new temp dir, free port, new database
#   scripts/privacyidea/start.sh DIR      restart the server of DIR (same port, same database),
#                                         e.g. after `stop.sh --keep DIR`
#
# server.json: url, work, pid, admin {user, password}, realm, users, user_password, files {config,
# encryption_key, audit_private_key, audit_public_key, log}. Set PI_WATCH_PID=<pid> to have the server stopped when that process exits (test
# binaries pass their own pid, so a crashed test leaves no server behind). PI_USERS="a b c" names
# the realm's users of a fresh server (default: ten).
# Only loopback is used; the venv comes from setup.sh (cached under $HOME/.cache/tessera).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${TESSERA_CACHE:-$HOME/.cache/tessera}"
VENV="${PI_VENV:-$CACHE/privacyidea-venv}"
"$HERE/setup.sh"

log() { echo "start: $*" >&2; }
free_port() {
    "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
random_word() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "${1:-20}"; }

if [ $# -ge 1 ]; then
    WORK="$(cd "$1" && pwd)"
    [ -f "$WORK/env" ] || { echo "start: $WORK/env missing: not a server dir" >&2; exit 2; }
    # shellcheck disable=SC1091
    . "$WORK/env"
    PORT="${PI_URL##*:}"
else
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/tessera-pi.XXXXXX")"
    PORT="$(free_port)"
    PI_URL="http://127.0.0.1:$PORT"
    PI_ADMIN_PASS="$(random_word 20)"
    PI_USER_PASS="User-$(random_word 16)"
    # Several users, so tests running in parallel can each get their own user-scoped policies
    # (number matching, code to phone) without conflicting. A server shared by several test
    # processes (the Windows stage's) needs one per test of them all: PI_USERS names them.
    PI_USERS="${PI_USERS:-alice bob carol dave erin frank grace heidi ivan judy}"
    cat > "$WORK/pi.cfg" <<CFG
SQLALCHEMY_DATABASE_URI = 'sqlite:///$WORK/pi.sqlite'
SECRET_KEY = '$(random_word 32)'
PI_PEPPER = '$(random_word 24)'
PI_ENCFILE = '$WORK/enckey'
PI_AUDIT_KEY_PRIVATE = '$WORK/private.pem'
PI_AUDIT_KEY_PUBLIC = '$WORK/public.pem'
PI_AUDIT_SQL_TRUNCATE = True
PI_LOGFILE = '$WORK/privacyidea.log'
PI_LOGLEVEL = 20
PI_NODE = 'tessera-test'
PI_NODE_UUID = '$(cat /proc/sys/kernel/random/uuid)'
PI_BASE_URL = '$PI_URL/'
CFG
    # 5000 sha512-crypt rounds: passlib's default (656 000) adds 0.2-0.5 s to every login.
    HASH="$("$VENV/bin/python" -c 'import sys; from passlib.hash import sha512_crypt; print(sha512_crypt.using(rounds=5000).hash(sys.argv[1]))' "$PI_USER_PASS")"
    uid=1001
    : > "$WORK/users.passwd"
    for user in $PI_USERS; do
        printf '%s:%s:%s:%s:%s Tester,,,:/home/%s:/bin/sh\n' "$user" "$HASH" "$uid" "$uid" "$user" "$user" >> "$WORK/users.passwd"
        uid=$((uid + 1))
    done
    sed -e "s|@WORK@|$WORK|g" -e "s|@PI_URL@|$PI_URL|g" "$HERE/pi-config.yaml" > "$WORK/pi-config.yaml"
    T0=$(date +%s.%N)
    PRIVACYIDEA_CONFIGFILE="$WORK/pi.cfg" "$VENV/bin/python" "$HERE/bootstrap.py" \
        "$WORK/pi-config.yaml" "$PI_ADMIN_PASS" > "$WORK/bootstrap.out" 2>&1 \
        || { cat "$WORK/bootstrap.out" >&2; exit 1; }
    log "database ready in $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
fi

T0=$(date +%s.%N)
cd "$WORK"
PRIVACYIDEA_CONFIGFILE="$WORK/pi.cfg" nohup "$VENV/bin/pi-manage" run -h 127.0.0.1 -p "$PORT" \
    >> "$WORK/server.out" 2>&1 &
PI_PID=$!
echo "$PI_PID" > "$WORK/server.pid"
ready=""
for _ in $(seq 1 240); do
    if ! kill -0 "$PI_PID" 2>/dev/null; then break; fi
    if curl -fs --max-time 2 "$PI_URL/healthz/" >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.25
done
if [ -z "$ready" ]; then
    echo "start: server did not come up; last lines of $WORK/server.out:" >&2
    tail -n 30 "$WORK/server.out" >&2 || true
    kill "$PI_PID" 2>/dev/null || true
    exit 1
fi
log "server up at $PI_URL in $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s (pid $PI_PID, dir $WORK)"

if [ -n "${PI_WATCH_PID:-}" ]; then
    # Stops the server when the watched process is gone (a test binary that crashed or was
    # killed never runs its own clean-up).
    # When the watched process is gone, stop.sh also removes the directory; when only the
    # server stopped (`stop.sh --keep` before a restart), the directory stays.
    (
        while kill -0 "$PI_WATCH_PID" 2>/dev/null && kill -0 "$PI_PID" 2>/dev/null; do sleep 1; done
        if ! kill -0 "$PI_WATCH_PID" 2>/dev/null; then "$HERE/stop.sh" "$WORK"; fi
    ) </dev/null >/dev/null 2>&1 &
    disown || true
fi

cat > "$WORK/env" <<ENV
PI_URL=$PI_URL
PI_WORK=$WORK
PI_PID=$PI_PID
PI_ADMIN_USER=admin
PI_ADMIN_PASS=$PI_ADMIN_PASS
PI_REALM=testrealm
PI_USERS="$PI_USERS"
PI_USER_PASS=$PI_USER_PASS
ENV
# The descriptor, written whole then renamed: a reader never sees half of it.
PI_URL="$PI_URL" PI_WORK="$WORK" PI_PID="$PI_PID" PI_ADMIN_PASS="$PI_ADMIN_PASS" PI_REALM=testrealm \
    PI_USERS="$PI_USERS" PI_USER_PASS="$PI_USER_PASS" "$VENV/bin/python" - "$WORK/server.json" <<'PY'
import json, os, sys
env, work = os.environ, os.environ["PI_WORK"]
descriptor = {
    "url": env["PI_URL"],
    "work": work,
    "pid": int(env["PI_PID"]),
    "admin": {"user": "admin", "password": env["PI_ADMIN_PASS"]},
    "realm": env["PI_REALM"],
    "users": env["PI_USERS"].split(),
    "user_password": env["PI_USER_PASS"],
    "files": {
        "config": f"{work}/pi.cfg",
        "encryption_key": f"{work}/enckey",
        "audit_private_key": f"{work}/private.pem",
        "audit_public_key": f"{work}/public.pem",
        "log": f"{work}/server.out",
    },
}
with open(sys.argv[1] + ".tmp", "w", encoding="utf-8") as out:
    json.dump(descriptor, out, indent=2)
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
PY
echo "$WORK/server.json"
