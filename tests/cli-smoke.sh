#!/usr/bin/env bash
# Smoke test of a built `tessera` binary as it ships (scripts/build-cli.sh: static on Linux),
# run by scripts/test.sh inside scripts/with-keyring.sh (a private, real Secret Service):
# init binds the keychain, a later call opens the vault silently, codes equal oathtool's, and
# host names still resolve (static glibc's built-in NSS).
#
#   scripts/with-keyring.sh tests/cli-smoke.sh PATH/TO/tessera
set -euo pipefail
tessera="${1:?usage: $0 PATH/TO/tessera}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export TESSERA_VAULT="$work/vault.tessera" TESSERA_KEYCHAIN_SERVICE="tessera-smoke-$$"
secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
fail() { echo "cli-smoke: $*" >&2; exit 1; }

"$tessera" init >"$work/init.out" </dev/null || fail "init failed"
grep -Eq '([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}' "$work/init.out" || fail "init printed no recovery key"
"$tessera" add --uri "otpauth://totp/Smoke:alice?secret=$secret&issuer=Smoke" </dev/null >/dev/null || fail "add failed"

# The same code as oathtool's at the same moment (retry across a period boundary).
for _ in 1 2 3; do
    before="$(oathtool --totp -b "$secret")"
    ours="$("$tessera" code smoke </dev/null | awk '{print $1}')"
    after="$(oathtool --totp -b "$secret")"
    [ "$before" = "$after" ] && break
done
[ "$ours" = "$before" ] || fail "code from the vault: got '$ours', oathtool says '$before'"
ours="$("$tessera" code --uri "otpauth://totp/X:y?secret=$secret&issuer=X" | awk '{print $1}')"
[ "$ours" = "$(oathtool --totp -b "$secret")" ] || [ "$ours" = "$before" ] || fail "code --uri: got '$ours'"

# A name lookup goes through NSS: with no server on port 9 the error is "cannot connect", never
# a resolution failure.
out="$(echo password | "$tessera" account tokens --server https://localhost:9 --user nobody 2>&1 || true)"
echo "$out" | grep -qi 'resolve\|dns\|lookup' && fail "localhost did not resolve: $out"
echo "$out" | grep -qi 'connect' || fail "unexpected answer for localhost:9: $out"
echo "cli-smoke: ok ($("$tessera" --version))"
