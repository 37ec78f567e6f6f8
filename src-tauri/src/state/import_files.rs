//! Files for the import wizard: chosen in the native picker, dropped on the window or (tests)
//! named by the page, read from disk, and decrypted on a thread of their own that reports
//! progress while the password's key derivation runs.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tauri::ipc::Channel;
use tauri::{AppHandle, Manager as _, Runtime};
use tauri_plugin_dialog::DialogExt as _;
use zeroize::Zeroizing;

use super::AppState;
use super::transfer::{Files, TransferErrorCode, read_import_cancellable};
use crate::dto::transfer::{ImportOpenedDto, ImportPreviewDto, ImportProgressDto, ImportStage};
use crate::dto::{BackendEvent, SecretText};
use crate::error::IpcError;
use crate::events::Events;

/// How often a running key derivation reports that it is still running.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

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
pub(crate) async fn pick<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
) -> Result<Option<ImportOpenedDto>, IpcError> {
    // Async command: this runs on a worker thread, where the blocking picker is allowed.
    let Some(picked) = app.dialog().file().blocking_pick_files() else {
        return Ok(None);
    };
    let paths = picked
        .into_iter()
        .filter_map(|file| file.into_path().ok())
        .collect();
    open_paths(state, paths).await.map(Some)
}

/// Opens files given by path, and tells the UI on the events channel as a drop does: the
/// window's import wizard opens on that event. The end-to-end tests use this command in place
/// of a drop, which WebDriver cannot make.
pub(crate) async fn open_page_paths(
    state: &AppState,
    events: &Events,
    paths: Vec<String>,
) -> Result<ImportOpenedDto, IpcError> {
    paths_from_page_allowed()?;
    let result = open_paths(state, paths.into_iter().map(PathBuf::from).collect()).await;
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
pub(crate) async fn unlock(
    state: &AppState,
    import_id: &str,
    password: SecretText,
    on_progress: Channel<ImportProgressDto>,
) -> Result<ImportPreviewDto, IpcError> {
    let (files, cancelled) = state.import_files_of(import_id, Instant::now())?;
    let import = tauri::async_runtime::spawn_blocking(move || {
        derive_reporting(&files, &password, &cancelled, &on_progress)
    })
    .await
    .map_err(|_| IpcError::new(crate::error::IpcErrorCode::Unknown, "the import stopped"))??;
    state.import_read(import_id, import, Instant::now())
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
