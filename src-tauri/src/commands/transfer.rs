//! Import and export: the wizard's steps and the export dialog.
//!
//! Files are chosen in native dialogs opened from Rust (the webview gets no dialog or file
//! system permission), or given as paths: the ones the OS hands over when files are dropped on
//! the window, and the end-to-end tests, which cannot drive a native dialog.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager as _, Runtime, State};
use tauri_plugin_dialog::DialogExt as _;
use tessera_transfer::export::ExportFormat;
use zeroize::Zeroizing;

use crate::clock;
use crate::dto::{BackendEvent, SecretText};
use crate::error::IpcError;
use crate::events::Events;
use crate::state::{
    AppState, ExportedDto, Files, ImportOpenedDto, ImportPreviewDto, ImportSummaryDto,
    MigrationQrDto, TransferErrorCode, read_import_cancellable,
};

/// How often a running key derivation reports that it is still running.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

/// Sent on the channel of `import_unlock` while the file is decrypted.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ImportProgress"))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImportProgressDto {
    stage: ImportStage,
    /// Since the password was submitted. The KDF libraries report no progress of their own,
    /// so the UI shows a running bar with this time rather than a made-up percentage.
    elapsed_ms: u64,
}

/// Where the decryption of an import file stands.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ImportStage {
    /// The password's key derivation and the decryption run.
    Deriving,
    Done,
}

/// Reads the chosen files (a folder stands for its files) with the importers' own reader.
fn read_files(paths: &[PathBuf]) -> Result<Files, IpcError> {
    tessera_transfer::files::read_files(paths)
        .map(Arc::new)
        .map_err(|error| IpcError {
            // The message names the path, never the content.
            code: error.code(),
            message: error.to_string(),
            field: None,
        })
}

async fn open_paths(state: &AppState, paths: Vec<PathBuf>) -> Result<ImportOpenedDto, IpcError> {
    let files = read_files(&paths)?;
    state.import_open(files, Instant::now())
}

/// Opens the native file picker; `None` when the user closed it.
#[tauri::command]
pub(crate) async fn import_pick<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<ImportOpenedDto>, IpcError> {
    // Async command: this runs on a worker thread, where the blocking picker is allowed.
    let Some(picked) = app.dialog().file().blocking_pick_files() else {
        return Ok(None);
    };
    let paths = picked
        .into_iter()
        .filter_map(|file| file.into_path().ok())
        .collect();
    open_paths(&state, paths).await.map(Some)
}

/// Opens files given by path, and tells the UI on the events channel as a drop does: the
/// window's import wizard opens on that event. The end-to-end tests use this command in place
/// of a drop, which WebDriver cannot make.
#[tauri::command]
pub(crate) async fn import_open_paths(
    state: State<'_, AppState>,
    events: State<'_, Events>,
    paths: Vec<String>,
) -> Result<ImportOpenedDto, IpcError> {
    paths_from_page_allowed()?;
    let result = open_paths(&state, paths.into_iter().map(PathBuf::from).collect()).await;
    events.emit(&opened_event(&result));
    result
}

/// Paths named by the page are honoured only in the end-to-end tests' build (feature `e2e`) and
/// the unit tests (they stand in for a drop or a picker with them): in any build a user runs,
/// only the user, through a native dialog or an OS drop, chooses which files Tessera reads.
pub(crate) fn paths_from_page_allowed() -> Result<(), IpcError> {
    if cfg!(any(test, feature = "e2e")) {
        Ok(())
    } else {
        Err(IpcError::invalid(
            None,
            "files are chosen in the file dialog or dropped on the window",
        ))
    }
}

fn opened_event(result: &Result<ImportOpenedDto, IpcError>) -> BackendEvent {
    match result {
        Ok(opened) => BackendEvent::ImportOpened {
            opened: opened.clone(),
        },
        Err(error) => BackendEvent::ImportFailed {
            error: error.clone(),
        },
    }
}

/// Files dropped on the window (the OS gives their paths to Rust, not to the webview): opened
/// off the event loop, the outcome sent to the UI.
pub(crate) fn open_dropped<R: Runtime>(app: &AppHandle<R>, paths: Vec<PathBuf>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let result = open_paths(&app.state::<AppState>(), paths).await;
        app.state::<Events>().emit(&opened_event(&result));
    });
}

/// Decrypts a held import with `password` off the UI thread, reporting on `on_progress` while
/// the key derivation runs. `wrong_password` leaves the import held, so the user can retry.
#[tauri::command]
pub(crate) async fn import_unlock(
    state: State<'_, AppState>,
    import_id: String,
    password: SecretText,
    on_progress: Channel<ImportProgressDto>,
) -> Result<ImportPreviewDto, IpcError> {
    let (files, cancelled) = state.import_files_of(&import_id, Instant::now())?;
    let import = tauri::async_runtime::spawn_blocking(move || {
        derive_reporting(&files, &password, &cancelled, &on_progress)
    })
    .await
    .map_err(|_| IpcError::new(crate::error::IpcErrorCode::Unknown, "the import stopped"))??;
    state.import_read(&import_id, import, Instant::now())
}

/// Runs the import on its own thread and reports every [`PROGRESS_EVERY`] until it ends or is
/// cancelled. A cancel returns at once; the derivation cannot be interrupted, so its thread
/// finishes alone and its result (the secrets) is dropped.
pub(crate) fn derive_reporting(
    files: &Files,
    password: &SecretText,
    cancelled: &Arc<AtomicBool>,
    progress: &Channel<ImportProgressDto>,
) -> Result<tessera_transfer::Import, IpcError> {
    let cancelled_error = || TransferErrorCode::ImportGone.error("the import was cancelled");
    if cancelled.load(Ordering::Relaxed) {
        return Err(cancelled_error());
    }
    let started = Instant::now();
    let report = |stage| {
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        // A closed window is no reason to stop: the result is still held for a new one.
        let _ = progress.send(ImportProgressDto { stage, elapsed_ms });
    };
    report(ImportStage::Deriving);
    let (sender, receiver) = mpsc::channel();
    let worker_files = Arc::clone(files);
    let worker_password = Zeroizing::new(password.to_string());
    let worker_cancelled = Arc::clone(cancelled);
    std::thread::Builder::new()
        .name("import-kdf".into())
        .spawn(move || {
            let result =
                read_import_cancellable(&worker_files, Some(&worker_password), &worker_cancelled);
            let _ = sender.send(result);
        })
        .map_err(|error| {
            IpcError::new(
                crate::error::IpcErrorCode::Unknown,
                format!("no thread for the import: {error}"),
            )
        })?;
    loop {
        match receiver.recv_timeout(PROGRESS_EVERY) {
            Ok(result) => {
                report(ImportStage::Done);
                return result.map_err(IpcError::from);
            }
            Err(mpsc::RecvTimeoutError::Timeout) if cancelled.load(Ordering::Relaxed) => {
                return Err(cancelled_error());
            }
            Err(mpsc::RecvTimeoutError::Timeout) => report(ImportStage::Deriving),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(IpcError::new(
                    crate::error::IpcErrorCode::Unknown,
                    "the import stopped unexpectedly",
                ));
            }
        }
    }
}

/// Adds the selected entries (indices from the preview's `entry`) in one vault write.
#[tauri::command]
pub(crate) async fn import_commit(
    state: State<'_, AppState>,
    import_id: String,
    selected: Vec<usize>,
) -> Result<ImportSummaryDto, IpcError> {
    state.import_commit(&import_id, &selected, clock::now()?, Instant::now())
}

/// Drops a held import (its secrets are wiped); unknown ids are ignored.
#[tauri::command]
pub(crate) async fn import_cancel(
    state: State<'_, AppState>,
    import_id: String,
) -> Result<(), IpcError> {
    state.import_cancel(&import_id);
    Ok(())
}

/// Checks an export request before any dialog opens: a known file format, a confirmed
/// password for the encrypted ones, the "unencrypted" acknowledgement for the plain ones.
fn export_request(
    format: &str,
    password: Option<&SecretText>,
    confirm: Option<&SecretText>,
    plain_confirmed: bool,
) -> Result<ExportFormat, IpcError> {
    let format = ExportFormat::parse(format)
        .filter(|format| *format != ExportFormat::GoogleMigration)
        .ok_or_else(|| IpcError::invalid(None, "not a file export format"))?;
    if format.is_plaintext() {
        if !plain_confirmed {
            return Err(TransferErrorCode::PlainNotConfirmed
                .error("a plain export must be confirmed: the file will not be encrypted"));
        }
        return Ok(format);
    }
    let password = password.map_or("", |password| &**password);
    if password.is_empty() {
        return Err(tessera_transfer::export::ExportError::EmptyPassword.into());
    }
    if confirm.map_or("", |confirm| &**confirm) != password {
        return Err(TransferErrorCode::PasswordMismatch
            .error("the password and its confirmation are different"));
    }
    Ok(format)
}

/// Writes an export of every account. Without `path`, the native save dialog asks where
/// (`None` back when the user closed it); with one (end-to-end tests, debug builds only), it is
/// used as is.
#[tauri::command]
#[allow(clippy::too_many_arguments)] // one per field of the export form
pub(crate) async fn export_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: String,
    password: Option<SecretText>,
    confirm: Option<SecretText>,
    plain_confirmed: bool,
    file_kind: Option<String>,
    path: Option<String>,
) -> Result<Option<ExportedDto>, IpcError> {
    let format = export_request(
        &format,
        password.as_ref(),
        confirm.as_ref(),
        plain_confirmed,
    )?;
    let path = match path {
        // A path from the page is honoured in the end-to-end tests' build only (feature `e2e`),
        // where it stands in for the native dialog: a build a user runs never lets the webview
        // choose where secrets are written, nor which file is replaced.
        Some(path) if cfg!(any(test, feature = "e2e")) => PathBuf::from(path),
        Some(_) => {
            return Err(IpcError::invalid(
                None,
                "the export's place is chosen in the save dialog",
            ));
        }
        None => {
            let picked = app
                .dialog()
                .file()
                .set_file_name(format!("tessera-export.{}", format.file_extension()))
                .add_filter(
                    dialog_label(file_kind.as_deref()).unwrap_or(format.name()),
                    &[format.file_extension()],
                )
                .blocking_save_file();
            match picked.and_then(|file| file.into_path().ok()) {
                Some(path) => path,
                None => return Ok(None),
            }
        }
    };
    let accounts = state.export_to_file(format, password.as_deref(), &path)?;
    Ok(Some(ExportedDto {
        path: path.display().to_string(),
        accounts,
    }))
}

/// The save dialog's name for the file type, as the UI words it in the user's language (the
/// English name when it sends none, or something no dialog should show).
fn dialog_label(label: Option<&str>) -> Option<&str> {
    label.filter(|label| {
        !label.is_empty() && label.chars().count() <= 80 && !label.chars().any(char::is_control)
    })
}

/// QR code `index` of the Google Authenticator export (the UI asked the user first: it shows
/// secrets on screen).
#[tauri::command]
pub(crate) async fn export_migration_qr(
    state: State<'_, AppState>,
    index: usize,
) -> Result<MigrationQrDto, IpcError> {
    state.migration_qr(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(text: &str) -> SecretText {
        SecretText(Zeroizing::new(text.to_owned()))
    }

    #[test]
    fn the_dialog_shows_the_ui_words_for_the_file_type_when_sensible() {
        assert_eq!(dialog_label(Some("Aegis, chiffré")), Some("Aegis, chiffré"));
        assert_eq!(dialog_label(Some("")), None);
        assert_eq!(dialog_label(Some("a\nb")), None);
        assert_eq!(dialog_label(Some(&"x".repeat(81))), None);
        assert_eq!(dialog_label(None), None);
    }

    #[test]
    fn export_requests_are_checked_before_any_dialog() {
        let code = |result: Result<ExportFormat, IpcError>| result.map_err(|e| e.code);
        assert_eq!(
            code(export_request("aegis_json", None, None, false)),
            Err("plain_not_confirmed")
        );
        assert_eq!(
            code(export_request("otpauth_list", None, None, true)),
            Ok(ExportFormat::OtpauthList)
        );
        assert_eq!(
            code(export_request("tessera_backup", None, None, true)),
            Err("empty_password")
        );
        assert_eq!(
            code(export_request(
                "aegis_encrypted",
                Some(&secret("a")),
                Some(&secret("b")),
                false
            )),
            Err("password_mismatch")
        );
        assert_eq!(
            code(export_request(
                "aegis_encrypted",
                Some(&secret("a")),
                Some(&secret("a")),
                false
            )),
            Ok(ExportFormat::AegisEncrypted)
        );
        assert_eq!(
            code(export_request("google_migration", None, None, true)),
            Err("invalid_input")
        );
        assert_eq!(
            code(export_request("nope", None, None, true)),
            Err("invalid_input")
        );
    }
}
