//! Accounts: list with codes, add, edit, delete and undo, order, HOTP next code, copy.

use std::time::Instant;

use tauri::State;

use crate::clipboard::Board;
use crate::clock;
use crate::dto::{AccountDto, AccountFormIn, AccountPatchIn, AccountsDto, CopiedDto, DeletedDto};
use crate::error::IpcError;
use crate::push::PushService;
use crate::state::AppState;

/// Every account with its codes. Rust reads the clock itself, so the webview can neither ask
/// for codes at another time nor needs to be trusted with the time.
#[tauri::command]
pub(crate) async fn list_accounts(
    state: State<'_, AppState>,
    push: State<'_, PushService>,
) -> Result<AccountsDto, IpcError> {
    codes(&state, &push)
}

/// Every account with its codes now (`list_accounts`, and the first screen's reply).
pub(crate) fn codes(state: &AppState, push: &PushService) -> Result<AccountsDto, IpcError> {
    // Codes may be computed at the push server's time (the user's choice when the clock is
    // off); `now` stays local, so the UI's countdown on the local clock still lines up.
    let local = clock::now()?;
    let mut codes = state.list(push.code_time(local))?;
    codes.now = local.0;
    Ok(codes)
}

#[tauri::command]
pub(crate) async fn add_account_uri(
    state: State<'_, AppState>,
    uri: crate::dto::SecretText,
) -> Result<AccountDto, IpcError> {
    state.add_uri(&uri, clock::now()?)
}

#[tauri::command]
pub(crate) async fn add_account_form(
    state: State<'_, AppState>,
    form: AccountFormIn,
) -> Result<AccountDto, IpcError> {
    state.add_form(form, clock::now()?)
}

#[tauri::command]
pub(crate) async fn update_account(
    state: State<'_, AppState>,
    id: String,
    patch: AccountPatchIn,
) -> Result<AccountDto, IpcError> {
    state.update_account(&id, patch, clock::now()?)
}

#[tauri::command]
pub(crate) async fn delete_account(
    state: State<'_, AppState>,
    id: String,
) -> Result<DeletedDto, IpcError> {
    let undo_token = state.delete(&id, Instant::now())?;
    Ok(DeletedDto { undo_token })
}

#[tauri::command]
pub(crate) async fn undo_delete(
    state: State<'_, AppState>,
    undo_token: String,
) -> Result<AccountDto, IpcError> {
    state.undo_delete(&undo_token, Instant::now(), clock::now()?)
}

#[tauri::command]
pub(crate) async fn reorder_accounts(
    state: State<'_, AppState>,
    ids: Vec<String>,
) -> Result<(), IpcError> {
    state.reorder(&ids)
}

/// Advances the HOTP counter in one vault write.
#[tauri::command]
pub(crate) async fn next_hotp_code(
    state: State<'_, AppState>,
    id: String,
) -> Result<AccountDto, IpcError> {
    state.next_hotp(&id, clock::now()?)
}

/// Puts the account's current code on the clipboard; it is cleared after the settings' delay if
/// it is still there. The code itself does not come back over IPC.
#[tauri::command]
pub(crate) async fn copy_code(
    state: State<'_, AppState>,
    board: State<'_, Board>,
    push: State<'_, PushService>,
    id: String,
) -> Result<CopiedDto, IpcError> {
    let (code, clear_after_secs) = state.code_to_copy(&id, push.code_time(clock::now()?))?;
    board.copy(code, clear_after_secs)?;
    Ok(CopiedDto { clear_after_secs })
}
