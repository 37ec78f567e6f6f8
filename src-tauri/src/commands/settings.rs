//! Settings (stored in the vault) and the activity ping behind auto-lock.

use tauri::State;

use crate::dto::SettingsDto;
use crate::error::{IpcError, IpcErrorCode};
use crate::state::AppState;
use crate::state::SettingsHook;

#[tauri::command]
pub(crate) async fn get_settings(state: State<'_, AppState>) -> Result<SettingsDto, IpcError> {
    state.settings()
}

/// Saves the settings, then applies what lives outside the vault (login item, tray language).
#[tauri::command]
pub(crate) async fn update_settings(
    state: State<'_, AppState>,
    hook: State<'_, SettingsHook>,
    settings: SettingsDto,
) -> Result<SettingsDto, IpcError> {
    let saved = state.update_settings(&settings)?;
    hook.apply(&saved)
        .map_err(|reason| IpcError::new(IpcErrorCode::Unknown, reason))?;
    Ok(saved)
}

/// The UI calls this (at most every 30 s) while the user is active; auto-lock counts from it.
#[tauri::command]
pub(crate) async fn report_activity(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.report_activity(crate::clock::Moment::now());
    Ok(())
}
