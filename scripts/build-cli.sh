#!/usr/bin/env bash
# Builds the release `tessera` CLI the way it ships, and prints its path.
#
# On Linux (glibc) the CLI is a static executable: a `tessera code` call is a whole process
# start, and loading libc, libm and libgcc_s and resolving their symbols was a third of it
# (0.8 ms dynamic vs 0.5 ms static for a hello world here). Static glibc still resolves host
# names and home directories through its built-in `files`/`dns` NSS modules (checked by
# scripts/test.sh, which runs this binary against the real keychain). Only the CLI is linked so:
# the desktop app loads GTK and WebKit as shared libraries anyway.
#
# `cargo rustc` passes the flag to the binary alone, so the cached dependencies stay shared with
# `cargo build --release`. The binary is copied to $CARGO_TARGET_DIR/cli/tessera, where later
# builds with other flags do not overwrite it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target}"

flags=()
if [ "$(uname -s)" = Linux ] && ldd --version 2>&1 | grep -qi 'gnu libc\|glibc'; then
    flags=(-C target-feature=+crt-static)
fi
cargo rustc --quiet --release --locked -p tessera-cli --bin tessera -- "${flags[@]}"
# Another build of the same binary (a plain `cargo build --release` running at the same time)
# can replace it between the two steps: never ship or time a dynamic one by mistake.
if [ ${#flags[@]} -gt 0 ] && ! ldd "$CARGO_TARGET_DIR/release/tessera" 2>&1 | grep -q 'statically linked'; then
    echo "error: $CARGO_TARGET_DIR/release/tessera is not static (rebuilt by another build?): run again" >&2
    exit 1
fi
mkdir -p "$CARGO_TARGET_DIR/cli"
cp "$CARGO_TARGET_DIR/release/tessera" "$CARGO_TARGET_DIR/cli/tessera.new"
mv -f "$CARGO_TARGET_DIR/cli/tessera.new" "$CARGO_TARGET_DIR/cli/tessera"
echo "$CARGO_TARGET_DIR/cli/tessera"
