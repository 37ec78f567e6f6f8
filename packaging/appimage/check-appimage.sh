#!/usr/bin/env bash
# Checks Tessera's AppImage for real: the runtime's options, --appimage-extract gives back the
# AppDir, the CLI runs from the image (both ways AppRun offers, through the extraction cache and,
# where squashfuse and FUSE work, mounted), and the desktop app starts under Xvfb: its process
# is found running and its window mapped.
#   check-appimage.sh Tessera.AppImage VERSION
# Runs inside scripts/with-keyring.sh (private D-Bus and keychain), as scripts/bench_app.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -eq 2 ] || { echo "usage: $0 Tessera.AppImage VERSION" >&2; exit 2; }
if [ -z "${TESSERA_KEYRING_SESSION:-}" ]; then
    exec "$here/../../scripts/with-keyring.sh" "$0" "$@"
fi
image="$(realpath "$1")" version="$2"

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "  ok: $*" >&2; }

work="$(mktemp -d)"
xvfb_pid="" app_pid=""
stop() { # PID: TERM, then KILL after 5 s
    kill "$1" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
cleanup() {
    if [ -n "$app_pid" ]; then stop "$app_pid"; fi
    if [ -n "$xvfb_pid" ]; then stop "$xvfb_pid"; fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
# The extraction cache of this check only.
export XDG_CACHE_HOME="$work/cache"

[ "$(head -c 11 "$image" | tail -c 3)" = "$(printf 'AI\002')" ] || fail "no type-2 magic at offset 8"
offset="$("$image" --appimage-offset)"
unsquashfs -s -o "$offset" "$image" | grep -q 'Compression zstd' || fail "no squashfs at offset $offset"
ok "type-2 layout: magic at 8, squashfs (zstd) at $offset"

(cd "$work" && "$image" --appimage-extract >/dev/null)
root="$work/squashfs-root"
for path in AppRun usr/bin/tessera-desktop usr/bin/tessera; do
    [ -x "$root/$path" ] || fail "$path missing or not executable in the extraction"
done
grep -qx 'MimeType=x-scheme-handler/otpauth;x-scheme-handler/pia;' "$root/tessera.desktop" ||
    fail "tessera.desktop lacks the URL handlers"
for icon in .DirIcon tessera.png; do [ -s "$root/$icon" ] || fail "no $icon"; done
# Byte for byte what unsquashfs (Debian's reference reader) sees.
unsquashfs -q -n -d "$work/reference" -o "$offset" "$image" >/dev/null
diff -r --no-dereference "$work/reference" "$root" >&2 || fail "--appimage-extract differs from unsquashfs"
ok "--appimage-extract: the AppDir, equal to unsquashfs's"

got="$(APPIMAGE_EXTRACT_AND_RUN=1 "$image" --cli --version)"
[ "$got" = "tessera $version" ] || fail "--cli --version said '$got'"
cached="$(find "$XDG_CACHE_HOME/tessera/appimage" -mindepth 1 -maxdepth 1)"
if [ "$(wc -l <<<"$cached")" != 1 ] || [ ! -x "$cached/AppRun" ]; then
    fail "no single cached extraction: $cached"
fi
ln -s "$image" "$work/tessera"
got="$(APPIMAGE_EXTRACT_AND_RUN=1 "$work/tessera" --version)"
[ "$got" = "tessera $version" ] || fail "a 'tessera' symlink to the image said '$got'"
[ "$(find "$XDG_CACHE_HOME/tessera/appimage" -mindepth 1 -maxdepth 1)" = "$cached" ] ||
    fail "a second start extracted again"
ok "the CLI from the image ('$got'), via --cli and via a 'tessera' symlink; extracted once into the cache"

if command -v squashfuse >/dev/null && [ -w /dev/fuse ]; then
    rm -rf "$XDG_CACHE_HOME"
    got="$("$image" --cli --version)"
    [ "$got" = "tessera $version" ] || fail "mounted: --cli --version said '$got'"
    [ ! -e "$XDG_CACHE_HOME/tessera/appimage" ] || fail "extracted although squashfuse is here"
    ! grep -q "/.mount_" /proc/mounts || fail "a mount left behind"
    ok "mounted with squashfuse, unmounted after"
else
    echo "  note: squashfuse or /dev/fuse absent: the mounted path is not run here" >&2
fi

Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || fail "Xvfb did not start"
DISPLAY=":$(head -n1 "$work/display")"
export DISPLAY NO_AT_BRIDGE=1 GDK_BACKEND=x11
export TESSERA_VAULT="$work/vault.tessera"
"$image" >"$work/app.log" 2>&1 &
app_pid=$!
window=""
for _ in $(seq 300); do
    kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log" >&2; fail "the app exited"; }
    # The window is created hidden and shown once the page is ready: wait for it to be mapped.
    window="$(xdotool search --onlyvisible --name '^Tessera$' 2>/dev/null | head -n1 || true)"
    [ -n "$window" ] && break
    sleep 0.1
done
[ -n "$window" ] || { cat "$work/app.log" >&2; fail "no Tessera window mapped within 30 s"; }
xwininfo -id "$window" | grep -q 'Map State: IsViewable' || fail "window $window not viewable"
pgrep -f "tessera/appimage/.*/usr/bin/tessera-desktop" >/dev/null ||
    pgrep -f "/.mount_.*/usr/bin/tessera-desktop" >/dev/null || fail "tessera-desktop is not running from the image"
ok "desktop app started from the image under Xvfb, window $window mapped"
# The runtime passes SIGTERM on to the app, and unmounts once it ends.
kill "$app_pid"
for _ in $(seq 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app_pid" 2>/dev/null && fail "the app did not end within 5 s of SIGTERM"
app_pid=""
! pgrep -f "/.mount_Tessera.*/usr/bin/tessera-desktop" >/dev/null || fail "the app is left running"
! grep -q "/.mount_Tessera" /proc/mounts || fail "the image is still mounted after the app ended"
ok "SIGTERM to the image ends the app, and the image is unmounted"
