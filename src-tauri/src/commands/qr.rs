//! QR codes: scan the screen, an image file (picker, drop or path) or the clipboard, add what
//! was found; show an account as a QR code.
//!
//! The scans themselves are in `state::scan`; the webview gets the result list (labels, kinds,
//! statuses), never a decoded text.

use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::dto::push::{EnrollStep, PushTokenDto};
use crate::dto::qr::{QrAddedDto, QrScanDto, QrSvgDto};
use crate::error::IpcError;
use crate::events::Events;
use crate::push::PushService;
use crate::state::{AppState, scan};

/// Hides the window, captures every monitor, shows the window again (whatever happened) and
/// adds the codes found to the held scan. On Wayland the desktop asks the user first.
#[tauri::command]
pub(crate) async fn qr_scan_screen<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<QrScanDto, IpcError> {
    scan::scan_screen(&app, &state).await
}

/// The native open dialog (images only); `None` when the user closed it. `filter_name` is the
/// dialog's name for the image filter, in the UI's language.
#[tauri::command]
pub(crate) async fn qr_scan_pick<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    filter_name: String,
) -> Result<Option<QrScanDto>, IpcError> {
    scan::scan_pick(&app, &state, &filter_name).await
}

/// Image files given by path, told to the UI on the events channel as a drop does (debug
/// builds only: the end-to-end tests stand in for a picker or a drop with it).
#[tauri::command]
pub(crate) async fn qr_scan_paths(
    state: State<'_, AppState>,
    events: State<'_, Events>,
    paths: Vec<String>,
) -> Result<QrScanDto, IpcError> {
    scan::scan_page_paths(&state, &events, paths).await
}

/// The image on the clipboard (a screenshot copied with PrtSc, say).
#[tauri::command]
pub(crate) async fn qr_scan_clipboard<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<QrScanDto, IpcError> {
    scan::scan_clipboard(&app, &state).await
}

/// Adds the picked accounts of the held scan in one vault write, then forgets the scan.
#[tauri::command]
pub(crate) async fn qr_add(
    state: State<'_, AppState>,
    scan_id: String,
    ids: Vec<usize>,
) -> Result<QrAddedDto, IpcError> {
    state.qr_add(&scan_id, &ids)
}

#[tauri::command]
pub(crate) async fn qr_dismiss(
    state: State<'_, AppState>,
    scan_id: String,
) -> Result<(), IpcError> {
    state.qr_dismiss(&scan_id);
    Ok(())
}

/// Hands a scanned push enrollment link to the push service, in Rust
/// (`allow_unverified_tls` as for `enroll_push`).
#[tauri::command]
pub(crate) async fn qr_enroll_push<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    push: State<'_, PushService>,
    scan_id: String,
    id: usize,
    allow_unverified_tls: bool,
    on_progress: Channel<EnrollStep>,
) -> Result<PushTokenDto, IpcError> {
    let link = state.qr_push_link(&scan_id, id)?;
    push.enroll(&app, &link, allow_unverified_tls, |step| {
        let _ = on_progress.send(step);
    })
    .await
}

/// An account as an `otpauth://` QR code (SVG drawn in Rust; the UI asks for confirmation
/// first, since the code reveals the secret).
#[tauri::command]
pub(crate) async fn account_qr_svg(
    state: State<'_, AppState>,
    id: String,
) -> Result<QrSvgDto, IpcError> {
    state.account_qr_svg(&id)
}
