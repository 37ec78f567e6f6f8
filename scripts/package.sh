#!/usr/bin/env bash
# `make package`: the release packages, each checked for real, left in one folder (printed last):
#   - the .deb (Tauri's bundler, as scripts/bench_app.sh builds it);
#   - Tessera-<version>-x64-setup.exe, the Windows installer (packaging/windows/tessera.nsi with
#     Debian's makensis), installed, upgraded and uninstalled under Wine by
#     packaging/windows/check-installer.sh;
#   - Tessera-<version>-x86_64.AppImage (packaging/appimage-runtime + mksquashfs), extracted and
#     run (CLI, and the desktop app under Xvfb) by packaging/appimage/check-appimage.sh.
# packaging/README.md says why the installer and the AppImage are not made by Tauri's bundler.
# Needs what scripts/setup.sh installs: npm, mingw-w64, wine64, nsis, squashfs-tools, Xvfb.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target}"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
out="$CARGO_TARGET_DIR/package"
win_target=x86_64-pc-windows-gnu
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
for tool in npm makensis mksquashfs wine x86_64-w64-mingw32-gcc x86_64-w64-mingw32-objdump Xvfb; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing (run scripts/setup.sh)" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out"

step "UI (ui/dist, which both desktop builds embed)"
[ -d ui/node_modules ] || (cd ui && npm ci --silent)
# Only when its sources changed: a rebuilt ui/dist (new mtimes) relinks both release desktop
# builds, minutes each.
if [ ! -f ui/dist/index.html ] ||
    [ -n "$(find ui/src ui/index.html ui/package.json ui/package-lock.json ui/vite.config.ts \
        ui/svelte.config.js -newer ui/dist/index.html -print -quit)" ]; then
    (cd ui && npm run --silent build >&2)
fi

step ".deb: tessera-desktop (release) and Tauri's deb bundle"
# As scripts/bench_app.sh builds it (`tauri build` reuses the release build in CARGO_TARGET_DIR),
# the UI build left out: done above.
(cd ui && npm run --silent tauri -- build --bundles deb --config '{"build":{"beforeBuildCommand":""}}' >&2)
# shellcheck disable=SC2012 # the newest bundle; cargo names its .deb files (no odd characters)
deb="$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb | head -n1)"
cp "$deb" "$out/"

step "Windows: tessera-desktop.exe and tessera.exe (release, $win_target)"
cargo build --release --locked --target "$win_target" -p tessera-desktop -p tessera-cli \
    --bin tessera-desktop --bin tessera >&2
win="$CARGO_TARGET_DIR/$win_target/release"
stage="$out/.windows-stage"
mkdir -p "$stage"
cp "$win/tessera-desktop.exe" "$win/tessera.exe" "$win/WebView2Loader.dll" "$stage/"
# The gnu build links WebView2's loader dynamically: the exe must import it and the installer
# must carry it (a missing DLL is a dialog at start on the user's machine, not an error here).
imports="$(x86_64-w64-mingw32-objdump -p "$stage/tessera-desktop.exe")"
grep -qi 'DLL Name: WebView2Loader.dll' <<<"$imports" ||
    { echo "error: tessera-desktop.exe no longer imports WebView2Loader.dll: check packaging/windows/tessera.nsi" >&2; exit 1; }

step "Windows installer (makensis)"
setup="$out/Tessera-$version-x64-setup.exe"
makensis -V2 -DVERSION="$version" -DSTAGE="$stage" -DICON="$root/icons/icon.ico" \
    -DOUTFILE="$setup" packaging/windows/tessera.nsi >&2
# An older release to upgrade from in the check (zlib: quick to make, the same script).
old_setup="$stage/Tessera-0.0.1-x64-setup.exe"
makensis -V2 -DCOMPRESSOR=zlib -DVERSION=0.0.1 -DSTAGE="$stage" -DICON="$root/icons/icon.ico" \
    -DOUTFILE="$old_setup" packaging/windows/tessera.nsi >&2

step "Windows installer under Wine: install, upgrade, PATH, handlers, uninstall"
packaging/windows/check-installer.sh "$setup" "$old_setup" "$version"

step "AppImage: runtime, AppDir, squashfs"
scripts/build-cli.sh >/dev/null
cargo build --release --locked -p tessera-appimage-runtime >&2
appimage="$out/Tessera-$version-x86_64.AppImage"
packaging/appimage/build-appimage.sh "$appimage" "$CARGO_TARGET_DIR/release/tessera-appimage-runtime" \
    "$CARGO_TARGET_DIR/release/tessera-desktop" "$CARGO_TARGET_DIR/cli/tessera"

step "AppImage: extract, the CLI, the desktop app under Xvfb"
packaging/appimage/check-appimage.sh "$appimage" "$version"

rm -rf "$stage"
step "sizes"
mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
{
    echo "Windows installer       $(mib "$setup")  ($(basename "$setup"))"
    echo "  tessera-desktop.exe   $(mib "$win/tessera-desktop.exe")"
    echo "  WebView2Loader.dll    $(mib "$win/WebView2Loader.dll")"
    echo "  tessera.exe           $(mib "$win/tessera.exe")"
    echo "AppImage                $(mib "$appimage")  ($(basename "$appimage"))"
    echo ".deb                    $(mib "$out/$(basename "$deb")")  ($(basename "$deb"), installed $(($(dpkg-deb -f "$deb" Installed-Size) / 1024)) MiB)"
} | tee "$out/SIZES.txt" >&2
echo "$out"
