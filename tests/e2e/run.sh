#!/usr/bin/env bash
# End-to-end tests of the desktop app: builds what is missing, then runs each test file
# (`run.sh [FILE.test.mjs...]`, default every *.test.mjs here) inside its own private D-Bus session
# with an unlocked gnome-keyring (scripts/with-keyring.sh), its own Xvfb, tauri-driver (which
# starts WebKitWebDriver and the app) and TESSERA_VAULT in a temporary directory, and stops
# everything it started.
# Needs: node, oathtool, xclip, secret-tool (libsecret-tools), Xvfb, dunst, xdotool, /usr/bin/WebKitWebDriver,
# dbus, gnome-keyring, cargo. Writes screenshots to tests/e2e/artifacts/. Exits non-zero on failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${TESSERA_CACHE:-$HOME/.cache/tessera}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$cache/target}"
export PATH="$cache/tools/bin:$HOME/.cargo/bin:$PATH"

log() { printf '==> e2e: %s\n' "$*" >&2; }

if [ "${1:-}" != "--one" ]; then
# --- build ---------------------------------------------------------------------------------------
if [ ! -d "$root/ui/node_modules" ]; then
    log "npm ci (ui)"
    (cd "$root/ui" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -f "$root/ui/dist/index.html" ] || [ -n "$(find "$root/ui/src" "$root/ui/index.html" -newer "$root/ui/dist/index.html" -print -quit)" ]; then
    log "building the UI"
    (cd "$root/ui" && npm run --silent build)
fi
# scripts/test.sh has the binary built already, by the Rust test step (src-tauri's command-line
# test needs it): building it here again, with other features, would rebuild tauri and its tree.
if [ "${TESSERA_E2E_PREBUILT:-0}" = 1 ] && [ -x "$CARGO_TARGET_DIR/debug/tessera-desktop" ]; then
    log "using the tessera-desktop built by the Rust test step"
else
    log "building tessera-desktop (debug, UI embedded, feature e2e: the page may name files)"
    (cd "$root" && cargo build --quiet -p tessera-desktop --features e2e)
fi

if ! command -v tauri-driver >/dev/null; then
    log "installing tauri-driver 2.1.0 into $cache/tools"
    CARGO_TARGET_DIR="$cache/tools-target" cargo install --locked --quiet tauri-driver --version 2.1.0 --root "$cache/tools"
fi
for tool in Xvfb oathtool node xclip secret-tool dunst dunstctl xdotool; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing (run scripts/setup.sh)" >&2; exit 1; }
done
[ -x /usr/bin/WebKitWebDriver ] || { echo "error: /usr/bin/WebKitWebDriver is missing (apt: webkit2gtk-driver)" >&2; exit 1; }

# --- one private keyring session, display and vault per test file --------------------------------
# Usage: run.sh [FILE.test.mjs...] (default: every *.test.mjs here, in name order).
if [ "$#" -eq 0 ]; then set -- "$here"/*.test.mjs; fi
failed=()
for file in "$@"; do
    log "$(basename "$file")"
    TESSERA_E2E_FILE="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")" \
        env -u TESSERA_KEYRING_SESSION "$root/scripts/with-keyring.sh" "$here/run.sh" --one || failed+=("$(basename "$file")")
done
if [ "${#failed[@]}" -ne 0 ]; then
    echo "error: end-to-end tests failed: ${failed[*]}" >&2
    exit 1
fi
log "screenshots: tests/e2e/artifacts/*.png"
exit 0
fi

# --- services (inside the keyring session, for $TESSERA_E2E_FILE) -------------------------------
work="$(mktemp -d)"
# A fresh vault for this run: first run, restart and recovery all happen on it.
export TESSERA_VAULT="$work/vault/tessera.vault"
mkdir -p "$work/vault" "$work/config" "$work/run"
chmod 700 "$work/run"
# Window state, autostart entry, the debug build's otpauth registration and the webview's data go
# to the temporary directory, never the user's own (with-keyring.sh already moved XDG_DATA_HOME).
export XDG_CONFIG_HOME="$work/config"
pids=()
# Every process started here, children first (tauri-driver → WebKitWebDriver → the app).
descendants() {
    local child
    for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do descendants "$child"; echo "$child"; done
}
cleanup() {
    local status=$? pid
    for pid in "${pids[@]}"; do
        for child in $(descendants "$pid"); do kill "$child" 2>/dev/null || true; done
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "$status" -ne 0 ]; then
        for f in "$work"/*.log; do [ -s "$f" ] && { echo "--- $(basename "$f")" >&2; tail -n 40 "$f" >&2; }; done
    fi
    # The desktop portal the bus started may have mounted its document store in our runtime dir.
    if grep -q " $work/" /proc/mounts 2>/dev/null; then
        fusermount -uz "$work/run/doc" 2>/dev/null || umount -l "$work/run/doc" 2>/dev/null || true
    fi
    rm -rf "$work" 2>/dev/null || echo "warning: could not remove $work" >&2
    exit "$status"
}
trap cleanup EXIT INT TERM

# Xvfb picks a free display itself and writes its number to fd 3.
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || { echo "error: Xvfb did not start" >&2; exit 1; }
DISPLAY=":$(head -n1 "$work/display")"
export DISPLAY
log "Xvfb on $DISPLAY"
# Services the private bus starts on demand (the desktop portal) get the display and our
# directories too (else the document portal mounts itself in ~/.cache/doc).
if command -v dbus-update-activation-environment >/dev/null; then
    XDG_RUNTIME_DIR="$work/run" dbus-update-activation-environment DISPLAY GDK_BACKEND=x11 \
        XDG_CONFIG_HOME XDG_RUNTIME_DIR >/dev/null 2>&1 || true
fi

# A user at the computer: the app polls its push servers fast while the X server saw input in
# the last two minutes (tessera-presence), slowly otherwise. WebDriver clicks go through WebKit,
# not the X server, so a pointer nudge every 20 s plays the person at the desk. Tests that need
# the user away stop it (TESSERA_E2E_PRESENCE_PID).
( while sleep 20; do xdotool mousemove_relative -- 1 0 mousemove_relative -- -1 0; done ) >/dev/null 2>&1 &
pids+=($!)
export TESSERA_E2E_PRESENCE_PID=$!
# No system bus: the OS verifier (polkit) and logind are absent, as on a machine without them,
# and the same on every machine (a root polkitd would authorize uid 0 without asking): the
# "it's me" paths the tests see are the stand-in ones.
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/no-system-bus"

# The session's notification daemon, a real freedesktop one (push prompts notify through it).
dunst >"$work/dunst.log" 2>&1 &
pids+=($!)

# No GPU under Xvfb: software rendering, no DMA-BUF renderer; no accessibility bus either.
export WEBKIT_DISABLE_DMABUF_RENDERER=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1 NO_AT_BRIDGE=1 GDK_BACKEND=x11
# Deterministic UI language for the assertions and the screenshot.
export LANG=C.UTF-8 LANGUAGE=en

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port="$(free_port)"
native_port="$(free_port)"
while [ "$native_port" = "$port" ]; do native_port="$(free_port)"; done
tauri-driver --port "$port" --native-port "$native_port" --native-driver /usr/bin/WebKitWebDriver \
    >"$work/tauri-driver.log" 2>&1 &
pids+=($!)
log "tauri-driver on 127.0.0.1:$port"

# --- test ----------------------------------------------------------------------------------------
mkdir -p "$here/artifacts"
# In the background with `wait`, so a signal runs the cleanup at once (bash defers traps until a
# foreground child exits).
TESSERA_APP="$CARGO_TARGET_DIR/debug/tessera-desktop" TESSERA_WEBDRIVER_URL="http://127.0.0.1:$port" \
    node --test --test-reporter=spec --test-timeout=600000 "$TESSERA_E2E_FILE" &
pids+=($!)
wait "$!"
