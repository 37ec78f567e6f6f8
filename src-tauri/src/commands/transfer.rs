//! Import and export: the wizard's steps and the export dialog.
//!
//! Files are chosen in native dialogs opened from Rust (the webview gets no dialog or file
//! system permission), or given as paths: the ones the OS hands over when files are dropped on
//! the window, and the end-to-end tests, which cannot drive a native dialog.

use std::time::Instant;

use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::clock;
use crate::dto::SecretText;
use crate::dto::transfer::{
    ExportedDto, ImportOpenedDto, ImportPreviewDto, ImportProgressDto, ImportSummaryDto,
    MigrationQrDto,
};
use crate::error::IpcError;
use crate::events::Events;
use crate::state::export_files::{self, ExportForm};
use crate::state::{AppState, import_files};

/// Opens the native file picker; `None` when the user closed it.
#[tauri::command]
pub(crate) async fn import_pick<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<ImportOpenedDto>, IpcError> {
    import_files::pick(&app, &state).await
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
    import_files::open_page_paths(&state, &events, paths).await
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
    import_files::unlock(&state, &import_id, password, on_progress).await
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
    let form = ExportForm {
        format,
        password,
        confirm,
        plain_confirmed,
        file_kind,
    };
    export_files::save(&app, &state, form, path)
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
