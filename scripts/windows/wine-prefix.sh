#!/usr/bin/env bash
# Prepares (once) the Wine prefix the Windows stage of `make test` runs Windows builds in, and
# prints its path. Idempotent: a prefix whose stamp matches this script's inputs is reused.
#
# The prefix gets the bcryptprimitives.dll stub (processprng.c, test scaffolding for Wine only:
# see that file) in system32, so Rust executables start under Wine 8.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="${TESSERA_WINEPREFIX:-$HOME/.cache/tessera/wine}"
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="

for tool in wine x86_64-w64-mingw32-gcc; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing (run scripts/setup.sh)" >&2; exit 1; }
done

stamp="$prefix/.tessera-stamp"
want="$(cat "$here/processprng.c" "$here/bcryptprimitives.def" "$0" | sha256sum | cut -c1-16) $(wine --version)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "$prefix"
    exit 0
fi

echo "==> preparing the Wine prefix $prefix (first start takes a few seconds)" >&2
mkdir -p "$prefix"
wineboot --init >/dev/null 2>&1
wineserver --wait
dll="$prefix/drive_c/windows/system32/bcryptprimitives.dll"
x86_64-w64-mingw32-gcc -O2 -shared -s -o "$dll.new" "$here/processprng.c" "$here/bcryptprimitives.def" -ladvapi32
mv -f "$dll.new" "$dll"
echo "$want" >"$stamp"
echo "$prefix"
