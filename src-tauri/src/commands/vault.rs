//! Vault status, first run, unlock and lock.

use tauri::ipc::Channel;
use tauri::{AppHandle, Manager as _, Runtime, State};

use crate::clock;
use crate::dto::push::PushEvent;
use crate::dto::{
    BackendEvent, CreatedDto, FirstScreenDto, SecretText, UnlockMethodIn, VaultStatusDto,
};
use crate::error::{IpcError, IpcErrorCode};
use crate::events::Events;
use crate::push::PushService;
use crate::state::AppState;
use crate::verification::{Purpose, Verification};

/// The first screen's one round trip: opens both event channels (so nothing sent meanwhile is
/// lost), then hands over the status, the lock screen's appearance and, while unlocked (the
/// keychain unlocks silently before the window exists), the settings, the accounts with their
/// codes and a link waiting to be added; with the push status either way.
#[tauri::command]
pub(crate) async fn first_screen<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    events: State<'_, Events>,
    push: State<'_, PushService>,
    channel: Channel<BackendEvent>,
    push_channel: Channel<PushEvent>,
) -> Result<FirstScreenDto, IpcError> {
    events.subscribe(channel);
    push.subscribe(push_channel);
    push.sync(&app);
    let status = state.status();
    let settings = state.settings_if_unlocked();
    // Codes that cannot be made now (a clock before 1970) leave the list to `list_accounts`,
    // whose error the accounts screen shows; the rest of the first screen still draws.
    let accounts = settings
        .as_ref()
        .and_then(|_| crate::commands::accounts::codes(&state, &push).ok());
    Ok(FirstScreenDto {
        status,
        appearance: state.appearance(settings.as_ref()),
        settings,
        accounts,
        deep_link: state.pending_link(),
        push: push.status(),
    })
}

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

/// Unlocks. Through the keychain, the OS verifies the user first ("it's me": fingerprint or
/// password) unless the vault's settings turned that off: anyone at an unlocked desktop can
/// click the button, and the Secret Service hands the key to any process of the session, so
/// the question is what makes the lock screen more than a privacy screen.
#[tauri::command]
pub(crate) async fn unlock_vault<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    how: UnlockMethodIn,
) -> Result<VaultStatusDto, IpcError> {
    let UnlockMethodIn::Keychain { interactive } = how else {
        return state.unlock(how);
    };
    let vault = state.open_with_keychain()?;
    if vault.settings().verify_keychain_unlock {
        if !interactive {
            return Err(IpcError::new(
                IpcErrorCode::VerifyRequired,
                "the keychain unlocks after the OS verifies it is you",
            ));
        }
        app.state::<Verification>()
            .ask(&app, Purpose::Unlock, false, None)
            .await
            .map_err(|error| {
                crate::verification::to_ipc(
                    error,
                    "unlock with the passphrase or recovery key instead (or turn off the \
                     keychain verification in Settings)",
                )
            })?;
    }
    Ok(state.install(vault))
}

/// The keychain lost the vault's entry and the user agreed to store it again.
#[tauri::command]
pub(crate) async fn rebind_keychain(
    state: State<'_, AppState>,
) -> Result<VaultStatusDto, IpcError> {
    state.rebind_keychain()
}

/// The keychain lost the vault's entry and the user keeps it out (asked again next unlock).
#[tauri::command]
pub(crate) async fn keep_keychain_out(
    state: State<'_, AppState>,
) -> Result<VaultStatusDto, IpcError> {
    Ok(state.keep_keychain_out())
}

#[tauri::command]
pub(crate) async fn lock_vault(state: State<'_, AppState>) -> Result<VaultStatusDto, IpcError> {
    Ok(state.lock())
}
