//! Vault status, first run, unlock and lock.

use tauri::State;

use crate::clock;
use crate::dto::{CreatedDto, SecretText, UnlockMethodIn, VaultStatusDto};
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
pub(crate) async fn vault_status(state: State<'_, AppState>) -> Result<VaultStatusDto, IpcError> {
    Ok(state.status())
}

/// Creates the vault; returns its recovery key, the one secret the UI ever receives (shown once).
#[tauri::command]
pub(crate) async fn create_vault(
    state: State<'_, AppState>,
    passphrase: Option<SecretText>,
) -> Result<CreatedDto, IpcError> {
    let passphrase = passphrase.filter(|text| !text.is_empty());
    let recovery_key = state.create(passphrase, clock::now()?)?;
    Ok(CreatedDto {
        recovery_key: SecretText(recovery_key),
    })
}

#[tauri::command]
pub(crate) async fn unlock_vault(
    state: State<'_, AppState>,
    how: UnlockMethodIn,
) -> Result<VaultStatusDto, IpcError> {
    state.unlock(how)
}

#[tauri::command]
pub(crate) async fn lock_vault(state: State<'_, AppState>) -> Result<VaultStatusDto, IpcError> {
    Ok(state.lock())
}
