//! Where scanned QR codes come from: the screen, image files (picker, drop, paths) and the
//! clipboard. The file reads and captures run on the blocking pool, never on the UI thread;
//! captures and images live in memory only and are wiped once decoded (`tessera_qr`).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tauri::{AppHandle, Manager as _, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt as _;
use tauri_plugin_dialog::DialogExt as _;
use tessera_qr::screen::ScreenError;
use tessera_qr::{DecodeError, Frame, PixelLayout, QrText};

use super::AppState;
use super::qr::Source as QrSource;
use crate::clock;
use crate::dto::BackendEvent;
use crate::dto::qr::QrScanDto;
use crate::error::{IpcError, IpcErrorCode};
use crate::events::Events;

/// Image files the picker offers and a drop is routed here for (the decoder sniffs the real
/// format from the bytes).
pub(crate) const IMAGE_EXTENSIONS: [&str; 6] = ["png", "jpg", "jpeg", "webp", "gif", "bmp"];

/// Time for the compositor to take the hidden window off the screen before the capture.
const HIDE_SETTLE: Duration = Duration::from_millis(300);

fn decode_error(error: &DecodeError) -> IpcError {
    // Messages describe the image (size, format), never its content.
    IpcError {
        code: error.code(),
        message: error.to_string(),
        field: None,
    }
}

fn screen_error(error: &ScreenError) -> IpcError {
    IpcError {
        code: error.code(),
        message: error.to_string(),
        field: None,
    }
}

fn stopped() -> IpcError {
    IpcError::new(IpcErrorCode::Unknown, "the scan stopped")
}

/// Whether a path names an image file by its extension (how a drop is told from an import).
pub(crate) fn is_image_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Reads and decodes one file; a failure is listed, it does not stop the other files.
fn decode_path(path: &Path) -> Result<Vec<QrText>, IpcError> {
    let unreadable = |error: std::io::Error| {
        IpcError::new(
            IpcErrorCode::Unknown,
            format!("{} cannot be read: {error}", path.display()),
        )
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    file.take(tessera_qr::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    tessera_qr::decode_image_bytes(&bytes).map_err(|e| decode_error(&e))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Decodes image files off the UI thread and adds what they hold to the held scan.
pub(crate) async fn scan_paths(
    state: &AppState,
    paths: Vec<PathBuf>,
) -> Result<QrScanDto, IpcError> {
    if paths.is_empty() {
        return Err(IpcError::invalid(None, "no file was given"));
    }
    // Locked: nothing is read.
    state.qr_ready()?;
    let sources: Vec<QrSource> = tauri::async_runtime::spawn_blocking(move || {
        paths
            .iter()
            .map(|path| (file_name(path), decode_path(path)))
            .collect()
    })
    .await
    .map_err(|_| stopped())?;
    state.qr_scanned(sources, clock::now()?)
}

/// Files dropped on the window that are all images: scanned, and the result sent on the
/// events channel (the Add dialog shows it).
pub(crate) fn scan_dropped<R: Runtime>(app: &AppHandle<R>, paths: Vec<PathBuf>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let result = scan_paths(&app.state::<AppState>(), paths).await;
        app.state::<Events>().emit(&scanned_event(result));
    });
}

fn scanned_event(result: Result<QrScanDto, IpcError>) -> BackendEvent {
    match result {
        Ok(scan) => BackendEvent::QrScanned { scan },
        Err(error) => BackendEvent::QrScanFailed { error },
    }
}

/// Hides the window, captures every monitor, shows the window again (whatever happened) and
/// adds the codes found to the held scan. On Wayland the desktop asks the user first.
pub(crate) async fn scan_screen<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
) -> Result<QrScanDto, IpcError> {
    // Locked: fail before the window blinks.
    state.qr_ready()?;
    let window = app.get_webview_window("main");
    if let Some(window) = &window {
        let _ = window.hide();
    }
    let capture = tauri::async_runtime::spawn_blocking(|| {
        std::thread::sleep(HIDE_SETTLE);
        tessera_qr::screen::scan_screens()
    })
    .await;
    if let Some(window) = &window {
        let _ = window.show();
        let _ = window.set_focus();
    }
    let monitors = capture
        .map_err(|_| stopped())?
        .map_err(|e| screen_error(&e))?;
    let sources = monitors
        .into_iter()
        .map(|m| (format!("screen:{}", m.monitor), Ok(m.texts)))
        .collect();
    state.qr_scanned(sources, clock::now()?)
}

/// The native open dialog (images only); `None` when the user closed it. `filter_name` is the
/// dialog's name for the image filter, in the UI's language.
pub(crate) async fn scan_pick<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    filter_name: &str,
) -> Result<Option<QrScanDto>, IpcError> {
    state.qr_ready()?;
    // A label, not markup: keep it short and printable whatever the webview sent.
    let filter_name: String = filter_name
        .chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect();
    // Async command: this runs on a worker thread, where the blocking picker is allowed.
    let Some(picked) = app
        .dialog()
        .file()
        .add_filter(filter_name, &IMAGE_EXTENSIONS)
        .blocking_pick_files()
    else {
        return Ok(None);
    };
    let paths = picked
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .collect();
    scan_paths(state, paths).await.map(Some)
}

/// Image files given by path, told to the UI on the events channel as a drop does (the open
/// scan step shows the result from there). The end-to-end tests use it, as WebDriver can drive
/// neither a native picker nor an OS drop; debug builds only (see `paths_from_page_allowed`).
pub(crate) async fn scan_page_paths(
    state: &AppState,
    events: &Events,
    paths: Vec<String>,
) -> Result<QrScanDto, IpcError> {
    super::import_files::paths_from_page_allowed()?;
    let result = scan_paths(state, paths.into_iter().map(PathBuf::from).collect()).await;
    events.emit(&scanned_event(result.clone()));
    result
}

/// The image on the clipboard (a screenshot copied with PrtSc, say).
pub(crate) async fn scan_clipboard<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
) -> Result<QrScanDto, IpcError> {
    state.qr_ready()?;
    let image = app.clipboard().read_image().map_err(|error| {
        IpcError::new(
            IpcErrorCode::Clipboard,
            format!("the clipboard holds no image: {error}"),
        )
    })?;
    let (width, height) = (image.width(), image.height());
    let frame = Frame::new(width, height, PixelLayout::Rgba8, image.rgba().to_vec())
        .map_err(|e| decode_error(&e))?;
    drop(image);
    let texts = tauri::async_runtime::spawn_blocking(move || tessera_qr::decode_frame(frame))
        .await
        .map_err(|_| stopped())?;
    state.qr_scanned(vec![("clipboard".into(), Ok(texts))], clock::now()?)
}
