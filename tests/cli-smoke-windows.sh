#!/usr/bin/env bash
# Smoke test of the Windows `tessera.exe` under Wine, against the Windows Credential Manager
# (keyring's Windows backend: Wine implements CredWriteW/CredReadW and keeps each credential
# under HKCU\Software\Wine\Credential Manager). Run by scripts/windows/stage.sh in its prefix:
# init binds the keychain, codes equal oathtool's, a deleted credential says
# keychain_entry_missing and the recovery key still opens the vault, a damaged vault is refused.
#
#   WINEPREFIX=DIR tests/cli-smoke-windows.sh PATH/TO/tessera.exe
set -euo pipefail
exe="${1:?usage: WINEPREFIX=DIR $0 PATH/TO/tessera.exe}"
: "${WINEPREFIX:?the Wine prefix of scripts/windows/wine-prefix.sh}"
export WINEDEBUG=-all
work="$(mktemp -d)"
service="tessera-smoke-$$"
TESSERA_VAULT="$(winepath -w "$work/vault.tessera")"
export TESSERA_VAULT TESSERA_KEYCHAIN_SERVICE="$service"
secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
fail() { echo "cli-smoke-windows: $*" >&2; exit 1; }
tessera() { wine "$exe" "$@"; }
credentials="HKCU\\Software\\Wine\\Credential Manager"
# The Credential Manager entries of this run (keyring names them "<entry>.<service>").
ours() { wine reg query "$credentials" | tr -d '\r' | grep -F "Generic: " | grep -F ".$service" || true; }
cleanup() {
    ours | while read -r entry; do wine reg delete "$entry" /f >/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT

tessera init >"$work/init.out" 2>"$work/init.err" </dev/null || fail "init failed: $(cat "$work/init.err")"
grep -q "silently with the system keychain" "$work/init.err" || fail "init did not bind the keychain: $(cat "$work/init.err")"
key="$(grep -Eo '([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}' "$work/init.out")" || fail "init printed no recovery key"
[ "$(ours | wc -l)" -eq 1 ] || fail "no Credential Manager entry for $service: $(ours)"
tessera add --uri "otpauth://totp/Smoke:alice?secret=$secret&issuer=Smoke" </dev/null >/dev/null 2>&1 || fail "add failed"

# The same code as oathtool's at the same moment (retry across a period boundary); silent: the
# keychain opened the vault.
for _ in 1 2 3; do
    before="$(oathtool --totp -b "$secret")"
    ours_code="$(tessera code smoke </dev/null 2>"$work/code.err" | awk '{print $1}')"
    after="$(oathtool --totp -b "$secret")"
    [ "$before" = "$after" ] && break
done
[ "$ours_code" = "$before" ] || fail "code from the vault: got '$ours_code', oathtool says '$before'"
[ ! -s "$work/code.err" ] || fail "code was not silent: $(cat "$work/code.err")"

# The credential is deleted (a new Windows profile, or removed in Credential Manager): a clear
# error, and the recovery key still opens the vault.
entry="$(ours)"
wine reg delete "$entry" /f >/dev/null || fail "could not delete $entry"
[ -z "$(ours)" ] || fail "the entry is still there"
status=0
tessera code smoke </dev/null >/dev/null 2>"$work/missing.err" || status=$?
if [ "$status" -ne 5 ] || ! grep -q '(keychain_entry_missing)' "$work/missing.err"; then
    fail "a deleted credential: exit $status, $(cat "$work/missing.err")"
fi
ours_code="$(echo "$key" | tessera --recovery-key-stdin code smoke --at 59 | awk '{print $1}')"
[ "$ours_code" = "$(oathtool --totp -b -N @59 "$secret")" ] || fail "the recovery key did not open the vault"

# A damaged vault (one byte of the ciphertext flipped) is refused with its error code.
python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[-20] ^= 0x40; open(p, "wb").write(b)' \
    "$work/vault.tessera"
status=0
echo "$key" | tessera --recovery-key-stdin list >/dev/null 2>"$work/damaged.err" || status=$?
if [ "$status" -ne 1 ] || ! grep -q '(cannot_decrypt)' "$work/damaged.err"; then
    fail "a damaged vault: exit $status, $(cat "$work/damaged.err")"
fi
echo "cli-smoke-windows: ok ($(tessera --version | tr -d '\r'))"
