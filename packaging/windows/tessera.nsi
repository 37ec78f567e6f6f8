; Tessera's Windows installer, built with makensis (Debian's nsis) by scripts/package.sh.
;
; Why not Tauri's NSIS bundler: it needs its own plugin (nsis_tauri_utils.dll, pinned by hash)
; downloaded from GitHub at build time, which the project's machines cannot reach.
;
; Per user, no administrator rights (as Windows per-user apps do): everything goes under
; %LOCALAPPDATA%\Programs\Tessera and HKCU. The user's vault (%APPDATA%\Tessera) is never touched.
;
; Defines passed by scripts/package.sh (makensis -D...):
;   VERSION   x.y.z of the workspace
;   STAGE     folder holding tessera-desktop.exe, WebView2Loader.dll, tessera.exe
;   ICON      icons/icon.ico
;   OUTFILE   the installer to write
;   COMPRESSOR optional (default /SOLID lzma; the check's "older release" uses zlib, quicker)
;
; Exit codes (silent installs are scripted: they must be able to tell):
;   0  installed, nothing missing
;   2  cancelled, or could not install (e.g. Tessera was running and was not closed)
;   3  installed with a warning, written to setup-warnings.txt in the install folder: the WebView2
;      Runtime is missing and could not be installed (the window will not open until it is), or
;      the user's PATH was too long to change safely

Unicode true
; A 64-bit installer: the apps are 64-bit, and it reads the same registry view as they do.
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
!ifndef COMPRESSOR
    !define COMPRESSOR "/SOLID lzma"
!endif
SetCompressor ${COMPRESSOR}

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WinMessages.nsh

!define PRODUCT "Tessera"
!define PUBLISHER "Tessera"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Tessera"
!define WEBVIEW2_GUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_BOOTSTRAPPER "https://go.microsoft.com/fwlink/p/?LinkId=2124703"
!define EXIT_WARNING 3

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Tessera"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=0 "FileDescription" "${PRODUCT} installer"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT OR Apache-2.0"

Var Warnings ; what setup-warnings.txt will say (empty: no warning)

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\tessera-desktop.exe"
!define MUI_FINISHPAGE_NOREBOOTSUPPORT

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "$(UnVaultKept)"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; NSIS picks the one matching the user's Windows display language (English otherwise).
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "French"

LangString UnVaultKept ${LANG_ENGLISH} "Tessera will be removed from your computer: the apps, the tessera command, its shortcuts and links. Your vault and settings (in %APPDATA%\Tessera) are kept: reinstalling Tessera opens them again. Delete that folder yourself only if you no longer need your accounts."
LangString UnVaultKept ${LANG_FRENCH} "Tessera va être supprimé de votre ordinateur : les applications, la commande tessera, ses raccourcis et liens. Votre coffre et vos réglages (dans %APPDATA%\Tessera) sont conservés : réinstaller Tessera les rouvre. Ne supprimez ce dossier vous-même que si vous n'avez plus besoin de vos comptes."
LangString AppRunning ${LANG_ENGLISH} "Tessera is running. Close it (also from its icon in the notification area), then choose Retry."
LangString AppRunning ${LANG_FRENCH} "Tessera est ouvert. Fermez-le (aussi depuis son icône dans la zone de notification), puis choisissez Recommencer."
LangString WebView2Downloading ${LANG_ENGLISH} "Installing the Microsoft Edge WebView2 Runtime, which Tessera's window needs…"
LangString WebView2Downloading ${LANG_FRENCH} "Installation du Microsoft Edge WebView2 Runtime, nécessaire à la fenêtre de Tessera…"
LangString WebView2Missing ${LANG_ENGLISH} "The Microsoft Edge WebView2 Runtime could not be installed (no Internet connection, or blocked by a policy). Tessera is installed, but its window will not open until the runtime is: download and run its installer from ${WEBVIEW2_BOOTSTRAPPER} (or ask your IT department), then start Tessera. The tessera command works without it."
LangString WebView2Missing ${LANG_FRENCH} "Le Microsoft Edge WebView2 Runtime n'a pas pu être installé (pas de connexion Internet, ou bloqué par une stratégie). Tessera est installé, mais sa fenêtre ne s'ouvrira qu'une fois le runtime installé : téléchargez et lancez son installateur depuis ${WEBVIEW2_BOOTSTRAPPER} (ou demandez à votre service informatique), puis démarrez Tessera. La commande tessera fonctionne sans lui."
LangString PathTooLong ${LANG_ENGLISH} "Your PATH is too long for the installer to change it safely, so the tessera command was not added to it. Add this folder to your PATH yourself: "
LangString PathTooLong ${LANG_FRENCH} "Votre PATH est trop long pour que l'installateur le modifie sans risque : la commande tessera n'y a pas été ajoutée. Ajoutez vous-même ce dossier à votre PATH : "

; ---------------------------------------------------------------------------------------------
; PATH: one entry, "<install folder>\bin", holding only tessera.exe (the desktop exe and its DLL
; stay off the PATH).

; Removes every entry equal to $R1 (case-insensitive, as Windows compares paths) from the
; ;-separated list in $R0; the result is left in $R0. Empty entries are dropped too.
!macro PATH_WITHOUT un
Function ${un}PathWithout
    Push $R2 ; result
    Push $R3 ; current entry
    Push $R4 ; index
    Push $R5 ; character
    StrCpy $R2 ""
    StrCpy $R3 ""
    StrCpy $R4 0
    ${Do}
        StrCpy $R5 $R0 1 $R4
        ${If} $R5 == ";"
        ${OrIf} $R5 == ""
            ${If} $R3 != ""
            ${AndIf} $R3 != $R1
            ${AndIf} $R3 != "$R1\"
                ${If} $R2 == ""
                    StrCpy $R2 $R3
                ${Else}
                    StrCpy $R2 "$R2;$R3"
                ${EndIf}
            ${EndIf}
            StrCpy $R3 ""
            ${IfThen} $R5 == "" ${|} ${ExitDo} ${|}
        ${Else}
            StrCpy $R3 "$R3$R5"
        ${EndIf}
        IntOp $R4 $R4 + 1
    ${Loop}
    StrCpy $R0 $R2
    Pop $R5
    Pop $R4
    Pop $R3
    Pop $R2
FunctionEnd
!macroend
!insertmacro PATH_WITHOUT ""
!insertmacro PATH_WITHOUT "un."

; Windows re-reads HKCU\Environment in new processes only once told.
!macro BROADCAST_ENVIRONMENT
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
!macroend

; ---------------------------------------------------------------------------------------------
; WebView2: Tessera's window is a WebView2 (Edge) view. Windows 11 and up-to-date Windows 10 have
; the Evergreen runtime; where it is missing, Microsoft's bootstrapper installs it.

; $R0 = "1" if the Evergreen runtime is installed, per machine or per user (the keys and the
; rule Microsoft documents: a "pv" value that is neither empty nor 0.0.0.0).
Function WebView2Installed
    StrCpy $R0 ""
    ReadRegStr $R1 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
    ${If} $R1 == ""
    ${OrIf} $R1 == "0.0.0.0"
        ReadRegStr $R1 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
    ${EndIf}
    ${If} $R1 == ""
    ${OrIf} $R1 == "0.0.0.0"
        ReadRegStr $R1 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
    ${EndIf}
    ${If} $R1 != ""
    ${AndIf} $R1 != "0.0.0.0"
        StrCpy $R0 "1"
    ${EndIf}
FunctionEnd

Function EnsureWebView2
    Call WebView2Installed
    ${If} $R0 == "1"
        DetailPrint "WebView2 Runtime: installed"
        Return
    ${EndIf}
    DetailPrint "$(WebView2Downloading)"
    ; PowerShell is on every supported Windows (10 and 11); TLS 1.2 stated for Windows PowerShell 5.
    StrCpy $R2 "$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe"
    nsExec::ExecToLog `"$SYSDIR\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "$$ProgressPreference = 'SilentlyContinue'; [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12; Invoke-WebRequest -UseBasicParsing -Uri '${WEBVIEW2_BOOTSTRAPPER}' -OutFile '$R2'"`
    Pop $R3
    DetailPrint "WebView2 bootstrapper download: $R3"
    ${If} ${FileExists} $R2
        ExecWait `"$R2" /silent /install` $R3
        DetailPrint "WebView2 bootstrapper exit code: $R3"
    ${EndIf}
    ; Whatever the tools said, the registry says whether the runtime is there now.
    Call WebView2Installed
    ${If} $R0 != "1"
        StrCpy $Warnings "$Warnings$(WebView2Missing)$\r$\n"
    ${EndIf}
FunctionEnd

; ---------------------------------------------------------------------------------------------

; Asks the user to close Tessera while one of its exes cannot be replaced (Windows keeps a
; running exe's file locked). Silent: gives up with exit code 2.
!macro REQUIRE_CLOSED file
    ${Do}
        ClearErrors
        ${IfNot} ${FileExists} "$INSTDIR\${file}"
            ${ExitDo}
        ${EndIf}
        Delete "$INSTDIR\${file}"
        ${IfNot} ${Errors}
            ${ExitDo}
        ${EndIf}
        ${If} ${Cmd} `MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDCANCEL IDCANCEL`
            SetErrorLevel 2
            Quit
        ${EndIf}
    ${Loop}
!macroend

Function .onInit
    StrCpy $Warnings ""
FunctionEnd

Section "Tessera" SecMain
    SectionIn RO
    SetOutPath "$INSTDIR"
    ; An upgrade or reinstall replaces the exes in place: they must not be running.
    !insertmacro REQUIRE_CLOSED "tessera-desktop.exe"
    !insertmacro REQUIRE_CLOSED "bin\tessera.exe"
    Delete "$INSTDIR\setup-warnings.txt"

    File "${STAGE}\tessera-desktop.exe"
    ; The gnu build links WebView2's loader dynamically: it must sit beside the exe.
    File "${STAGE}\WebView2Loader.dll"
    SetOutPath "$INSTDIR\bin"
    File "${STAGE}\tessera.exe"
    SetOutPath "$INSTDIR"
    WriteUninstaller "$INSTDIR\uninstall.exe"

    CreateShortCut "$SMPROGRAMS\Tessera.lnk" "$INSTDIR\tessera-desktop.exe" "" "$INSTDIR\tessera-desktop.exe" 0

    ; The URL handlers, written as tauri-plugin-deep-link writes them (the app re-registers itself
    ; the same way at start, so both agree).
    !macro URL_HANDLER scheme
        WriteRegStr HKCU "Software\Classes\${scheme}" "" "URL:org.tessera.desktop protocol"
        WriteRegStr HKCU "Software\Classes\${scheme}" "URL Protocol" ""
        WriteRegStr HKCU "Software\Classes\${scheme}\DefaultIcon" "" "$INSTDIR\tessera-desktop.exe,0"
        WriteRegStr HKCU "Software\Classes\${scheme}\shell\open\command" "" '"$INSTDIR\tessera-desktop.exe" "%1"'
    !macroend
    !insertmacro URL_HANDLER "otpauth"
    !insertmacro URL_HANDLER "pia"

    ; tessera.exe on the user's PATH (HKCU\Environment, REG_EXPAND_SZ as Windows keeps it).
    ReadRegStr $R0 HKCU "Environment" "Path"
    StrLen $R2 $R0
    IntOp $R2 $R2 + 300 ; room for our entry; longer strings would be cut by NSIS: never write them
    ${If} $R2 >= ${NSIS_MAX_STRLEN}
        StrCpy $Warnings "$Warnings$(PathTooLong)$INSTDIR\bin$\r$\n"
    ${Else}
        StrCpy $R1 "$INSTDIR\bin"
        Call PathWithout
        ${If} $R0 == ""
            StrCpy $R0 "$INSTDIR\bin"
        ${Else}
            StrCpy $R0 "$R0;$INSTDIR\bin"
        ${EndIf}
        WriteRegExpandStr HKCU "Environment" "Path" $R0
        !insertmacro BROADCAST_ENVIRONMENT
    ${EndIf}

    Call EnsureWebView2

    ; Add/Remove Programs ("Apps & features").
    WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
    WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
    WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
    WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\tessera-desktop.exe,0"
    WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
    WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
    WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
    WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
    ${GetSize} "$INSTDIR" "/S=0K" $R0 $R1 $R2
    WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $R0

    ${If} $Warnings != ""
        FileOpen $R0 "$INSTDIR\setup-warnings.txt" w
        FileWriteUTF16LE /BOM $R0 $Warnings
        FileClose $R0
        DetailPrint $Warnings
        MessageBox MB_OK|MB_ICONEXCLAMATION $Warnings /SD IDOK
        SetErrorLevel ${EXIT_WARNING}
    ${EndIf}
SectionEnd

Section "Uninstall"
    !insertmacro REQUIRE_CLOSED "tessera-desktop.exe"
    !insertmacro REQUIRE_CLOSED "bin\tessera.exe"
    Delete "$INSTDIR\WebView2Loader.dll"
    Delete "$INSTDIR\setup-warnings.txt"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR\bin"
    RMDir "$INSTDIR"
    Delete "$SMPROGRAMS\Tessera.lnk"

    ; Only the handlers that still point at this install (another app may have taken them since).
    !macro REMOVE_URL_HANDLER scheme
        ReadRegStr $R0 HKCU "Software\Classes\${scheme}\shell\open\command" ""
        ${If} $R0 == '"$INSTDIR\tessera-desktop.exe" "%1"'
            DeleteRegKey HKCU "Software\Classes\${scheme}"
        ${EndIf}
    !macroend
    !insertmacro REMOVE_URL_HANDLER "otpauth"
    !insertmacro REMOVE_URL_HANDLER "pia"

    ; Start at login, if the user turned it on in the app (tauri-plugin-autostart's values).
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "${PRODUCT}"
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run" "${PRODUCT}"

    ReadRegStr $R0 HKCU "Environment" "Path"
    StrCpy $R1 "$INSTDIR\bin"
    StrCpy $R2 $R0
    Call un.PathWithout
    ${If} $R0 != $R2
        ${If} $R0 == ""
            DeleteRegValue HKCU "Environment" "Path"
        ${Else}
            WriteRegExpandStr HKCU "Environment" "Path" $R0
        ${EndIf}
        !insertmacro BROADCAST_ENVIRONMENT
    ${EndIf}

    DeleteRegKey HKCU "${UNINST_KEY}"
    ; The vault (%APPDATA%\Tessera) is the user's: never removed here.
SectionEnd
