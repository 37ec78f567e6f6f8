#!/usr/bin/env bash
# Installs privacyIDEA 3.14 into a reusable venv for the push end-to-end tests.
#
# Idempotent: the venv ($PI_VENV, default $HOME/.cache/tessera/privacyidea-venv) is reused when it
# was built from the same constraints.txt; a changed constraints file rebuilds it. Concurrent
# callers (several test binaries starting at once) serialise on a lock file, so only one pip runs.
# Network: PyPI only, through pip.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${TESSERA_CACHE:-$HOME/.cache/tessera}"
VENV="${PI_VENV:-$CACHE/privacyidea-venv}"
CONSTRAINTS="$HERE/constraints.txt"
mkdir -p "$CACHE"

# python3 with the venv module (Debian/Ubuntu ship it separately as python3-venv).
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    echo "setup: installing python3 and python3-venv (apt)" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
fi

# The stamp names what the venv was built from; a mismatch means rebuild.
WANT="privacyidea==3.14 $(sha256sum "$CONSTRAINTS" | cut -d' ' -f1) $(python3 -c 'import sys; print(sys.version.split()[0])')"
exec 9>"$CACHE/privacyidea-venv.lock"
flock 9
if [ -x "$VENV/bin/pi-manage" ] && [ "$(cat "$VENV/.tessera-stamp" 2>/dev/null)" = "$WANT" ]; then
    exit 0
fi
echo "setup: building $VENV (pip install privacyidea==3.14, about a minute)" >&2
T0=$(date +%s)
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -c "$CONSTRAINTS" 'privacyidea==3.14'
echo "$WANT" > "$VENV/.tessera-stamp"
echo "setup: venv ready in $(( $(date +%s) - T0 )) s" >&2
