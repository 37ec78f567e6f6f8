//! Account listing and codes.

use tauri::State;

use crate::clock;
use crate::dto::{CodesDto, LaunchErrorDto};
use crate::error::IpcError;
use crate::state::AppState;

/// The current code of every account. Rust reads the clock itself, so the webview can neither
/// ask for codes at another time nor needs to be trusted with the time.
#[tauri::command]
pub(crate) fn list_codes(state: State<'_, AppState>) -> Result<CodesDto, IpcError> {
    clock::now().map(|now| CodesDto::new(state.accounts(), now))
}

/// The launch URIs that were rejected, so the UI can say which and why.
#[tauri::command]
pub(crate) fn list_launch_errors(state: State<'_, AppState>) -> Vec<LaunchErrorDto> {
    state.rejected().iter().map(LaunchErrorDto::from).collect()
}
