//! otpauth:// links opened from outside: the UI sees a preview and answers "add" or "dismiss".

use tauri::State;

use crate::clock;
use crate::dto::{AccountDto, UriPreviewDto};
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
pub(crate) async fn pending_deep_link(
    state: State<'_, AppState>,
) -> Result<Option<UriPreviewDto>, IpcError> {
    Ok(state.pending_link())
}

/// Adds the account of the link `id` the dialog showed (`no_deep_link` if it is gone).
#[tauri::command]
pub(crate) async fn confirm_deep_link(
    state: State<'_, AppState>,
    id: u32,
) -> Result<AccountDto, IpcError> {
    state.confirm_link(id, clock::now()?)
}

#[tauri::command]
pub(crate) async fn dismiss_deep_link(state: State<'_, AppState>, id: u32) -> Result<(), IpcError> {
    state.dismiss_link(id);
    Ok(())
}
