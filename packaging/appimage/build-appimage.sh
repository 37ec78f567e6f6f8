#!/usr/bin/env bash
# Makes Tessera's AppImage from parts this machine has: our runtime (packaging/appimage-runtime)
# as the head, an AppDir squashed by Debian's mksquashfs appended to it.
#   build-appimage.sh OUT.AppImage RUNTIME TESSERA_DESKTOP TESSERA_CLI
# WebKitGTK 4.1 is not bundled: packaging/README.md says why.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
[ $# -eq 4 ] || { echo "usage: $0 OUT.AppImage RUNTIME TESSERA_DESKTOP TESSERA_CLI" >&2; exit 2; }
out="$1" runtime="$2" desktop="$3" cli="$4"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
appdir="$work/Tessera.AppDir"
mkdir -p "$appdir/usr/bin" "$appdir/usr/share/applications" "$appdir/usr/share/icons/hicolor/128x128/apps" \
    "$appdir/usr/share/polkit-1/actions"
install -m 755 "$here/AppRun" "$appdir/AppRun"
install -m 755 "$desktop" "$appdir/usr/bin/tessera-desktop"
install -m 755 "$cli" "$appdir/usr/bin/tessera"
install -m 644 "$here/tessera.desktop" "$appdir/usr/share/applications/tessera.desktop"
install -m 644 "$root/icons/128x128.png" "$appdir/usr/share/icons/hicolor/128x128/apps/tessera.png"
# The "verify it's you" action: polkit reads it only from /usr/share/polkit-1/actions, so it works
# once an administrator copies it there (README); without it the app asks for the vault passphrase.
install -m 644 "$root/crates/verify/polkit/org.tessera.desktop.verify.policy" "$appdir/usr/share/polkit-1/actions/"
# What AppImage tools and desktop integrations look for at the root.
ln -s usr/share/applications/tessera.desktop "$appdir/tessera.desktop"
ln -s usr/share/icons/hicolor/128x128/apps/tessera.png "$appdir/tessera.png"
ln -s tessera.png "$appdir/.DirIcon"

# Reproducible: fixed times, root-owned, zstd (what the runtime reads).
squashfs="$work/image.squashfs"
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}" \
    mksquashfs "$appdir" "$squashfs" -comp zstd -Xcompression-level 19 -b 1M -root-owned -noappend \
    -quiet -no-progress >&2
# The type-2 magic in the ELF identification padding (bytes 8-10), which loaders ignore.
cp "$runtime" "$work/head"
printf 'AI\002' | dd of="$work/head" bs=1 seek=8 conv=notrunc status=none
cat "$work/head" "$squashfs" >"$out.new"
chmod 755 "$out.new"
mv -f "$out.new" "$out"
