#!/usr/bin/env bash
# Checks the Windows installer for real under Wine, in the prefix scripts/windows/wine-prefix.sh
# prepares (TESSERA_WINEPREFIX): an older release installed, then this one over it, then the
# uninstaller; after each, the files, the registry (wine reg query), the user's PATH, and that
# the installed tessera.exe runs from the PATH. The user's vault must survive the uninstall.
#
# WebView2 under Wine: no runtime and no network. The first install must find it missing, fail
# to fetch it, say so (setup-warnings.txt, exit code 3) and still install everything; the second
# runs with the runtime's registry value present (as on Windows 11) and must not try at all.
#   check-installer.sh SETUP.exe OLDER-SETUP.exe VERSION
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -eq 3 ] || { echo "usage: $0 SETUP.exe OLDER-SETUP.exe VERSION" >&2; exit 2; }
setup="$(realpath "$1")" old_setup="$(realpath "$2")" version="$3"

WINEPREFIX="$("$here/../../scripts/windows/wine-prefix.sh")"
# No Wine menu entries or file associations written into the host's desktop (winemenubuilder).
export WINEPREFIX WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "  ok: $*" >&2; }
reg_value() { # KEY VALUE -> the data, or nothing
    wine reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' | awk -v v="$2" '$1 == v { $1 = ""; $2 = ""; sub(/^  /, ""); print }'
}
reg_default() { # KEY -> its default value's data
    wine reg query "$1" /ve 2>/dev/null | tr -d '\r' | sed -n 's/^    (Default)    REG_SZ    //p'
}
reg_exists() { wine reg query "$1" >/dev/null 2>&1; }

user="$(wine cmd /c 'echo %USERNAME%' | tr -d '\r')"
users="$WINEPREFIX/drive_c/users/$user"
inst="$users/AppData/Local/Programs/Tessera"
inst_win="C:\\users\\$user\\AppData\\Local\\Programs\\Tessera"
lnk="$users/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Tessera.lnk"
uninst_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Tessera'
webview2_key='HKCU\Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}'
vault="$users/AppData/Roaming/Tessera/vault.tessera"
other_path='C:\Tools\bin'

# A known starting point: no Tessera, no WebView2, a PATH of the user's own, a vault.
if [ -x "$inst/uninstall.exe" ]; then wine "$inst/uninstall.exe" /S || true; wineserver -w; fi
rm -rf "$inst"
for key in "$uninst_key" 'HKCU\Software\Classes\otpauth' 'HKCU\Software\Classes\pia' "$webview2_key"; do
    wine reg delete "$key" /f >/dev/null 2>&1 || true
done
wine reg add 'HKCU\Environment' /v Path /t REG_EXPAND_SZ /d "$other_path" /f >/dev/null
mkdir -p "$(dirname "$vault")"
vault_bytes="vault of the user $(date +%s%N)"
printf '%s' "$vault_bytes" >"$vault"

check_installed() { # VERSION
    for file in tessera-desktop.exe WebView2Loader.dll bin/tessera.exe uninstall.exe; do
        [ -f "$inst/$file" ] || fail "$file not installed"
    done
    [ -f "$lnk" ] || fail "no Start menu shortcut"
    [ "$(reg_value "$uninst_key" DisplayVersion)" = "$1" ] || fail "DisplayVersion is not $1"
    [ "$(reg_value "$uninst_key" DisplayName)" = Tessera ] || fail "no DisplayName"
    [ "$(reg_value "$uninst_key" Publisher)" = Tessera ] || fail "no Publisher"
    [ "$(reg_value "$uninst_key" DisplayIcon)" = "$inst_win\\tessera-desktop.exe,0" ] || fail "DisplayIcon"
    [ "$(reg_value "$uninst_key" QuietUninstallString)" = "\"$inst_win\\uninstall.exe\" /S" ] || fail "QuietUninstallString"
    size_kib=$(($(reg_value "$uninst_key" EstimatedSize)))
    on_disk_kib=$(($(du -sk --apparent-size "$inst" | cut -f1)))
    if [ $((size_kib * 10)) -lt $((on_disk_kib * 9)) ] || [ $((size_kib * 10)) -gt $((on_disk_kib * 11)) ]; then
        fail "EstimatedSize $size_kib KiB, $on_disk_kib KiB installed"
    fi
    for scheme in otpauth pia; do
        wine reg query "HKCU\\Software\\Classes\\$scheme" /v 'URL Protocol' >/dev/null 2>&1 ||
            fail "no $scheme URL handler"
        [ "$(reg_default "HKCU\\Software\\Classes\\$scheme\\shell\\open\\command")" = \
            "\"$inst_win\\tessera-desktop.exe\" \"%1\"" ] || fail "$scheme handler command"
    done
    [ "$(reg_value 'HKCU\Environment' Path)" = "$other_path;$inst_win\\bin" ] ||
        fail "PATH is '$(reg_value 'HKCU\Environment' Path)'"
    # A new process gets the PATH from the registry, as on Windows after WM_SETTINGCHANGE (both
    # installers carry this build's exes: only their version stamps differ).
    got="$(wine cmd /c 'tessera --version' 2>&1 | tr -d '\r')"
    [ "$got" = "tessera $version" ] || fail "tessera --version from the PATH said '$got'"
    ok "installed $1: files, Start menu, Add/Remove Programs (size ${size_kib} KiB), otpauth/pia, PATH, '$got'"
}

echo "installing the older release (no WebView2, no network)" >&2
rc=0
wine "$old_setup" /S || rc=$?
wineserver -w
[ "$rc" = 3 ] || fail "the installer exited $rc, not 3 (installed with a warning)"
check_installed 0.0.1
grep -q WebView2 <(iconv -f UTF-16 -t UTF-8 "$inst/setup-warnings.txt") || fail "the missing WebView2 is not reported"
ok "WebView2 missing and not downloadable: reported (exit 3, setup-warnings.txt), install complete"

echo "upgrading to $version (the WebView2 runtime registered, as on Windows 11)" >&2
wine reg add "$webview2_key" /v pv /d 131.0.2903.112 /f >/dev/null
rc=0
wine "$setup" /S || rc=$?
wineserver -w
[ "$rc" = 0 ] || fail "the upgrade exited $rc"
check_installed "$version"
[ ! -e "$inst/setup-warnings.txt" ] || fail "a warning left after a clean install"
cmp -s "$inst/bin/tessera.exe" "$(dirname "$setup")/.windows-stage/tessera.exe" || fail "tessera.exe not replaced"
ok "upgrade over $(basename "$old_setup"): one PATH entry, files replaced, no WebView2 step"

echo "uninstalling" >&2
wine "$inst/uninstall.exe" /S
# The uninstaller copies itself to a temporary folder and runs from there: wait for it.
wineserver -w
[ ! -e "$inst" ] || fail "install folder left: $(find "$inst" | head -5)"
[ ! -e "$lnk" ] || fail "Start menu shortcut left"
reg_exists "$uninst_key" && fail "Add/Remove Programs entry left"
for scheme in otpauth pia; do reg_exists "HKCU\\Software\\Classes\\$scheme" && fail "$scheme handler left"; done
[ "$(reg_value 'HKCU\Environment' Path)" = "$other_path" ] || fail "PATH after uninstall: '$(reg_value 'HKCU\Environment' Path)'"
[ "$(cat "$vault")" = "$vault_bytes" ] || fail "the vault was touched"
ok "uninstalled: files, shortcut, registry, PATH entry gone; the user's PATH and vault kept"

wine reg delete "$webview2_key" /f >/dev/null 2>&1 || true
rm -rf "$users/AppData/Roaming/Tessera"
