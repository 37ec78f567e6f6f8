//! Opening the push key store ([`tessera_push::sealed`]): from the vault when it is unlocked,
//! else through its own keychain entry, retried sparingly when the keychain fails.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tauri::{AppHandle, Manager, Runtime};
use tessera_core::UnixTime;
use tessera_push::sealed::{PushStore, PushStoreError};

use super::service::PushService;
use crate::error::IpcError;
use crate::state::AppState;

/// How long to wait before asking the keychain again for a push store it could not open.
const STORE_RETRY: Duration = Duration::from_secs(30);

pub(super) fn unix_now() -> UnixTime {
    UnixTime(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|since| since.as_secs())
            .unwrap_or_default(),
    )
}

impl PushService {
    /// Opens the push key store if it is not open yet: made, moved out of the vault or
    /// re-bound when the vault is unlocked, else through its own keychain entry (at most every
    /// [`STORE_RETRY`]). Nothing happens when it is open already.
    pub(super) fn open_store<R: Runtime>(&self, app: &AppHandle<R>) {
        let state = app.state::<AppState>();
        let Some(vault_path) = state.vault_path().map(ToOwned::to_owned) else {
            return;
        };
        let unlocked = state.is_unlocked();
        {
            let mut inner = self.inner();
            if inner.store.is_some() {
                return;
            }
            // An unlock is worth trying at once; otherwise a failure is not retried every second
            // (a keychain that does not answer, a disk that fails).
            let now = Instant::now();
            let due = inner
                .store_retry
                .is_none_or(|(at, was_unlocked)| now >= at || (unlocked && !was_unlocked));
            if !due || (!unlocked && !PushStore::path_beside(&vault_path).exists()) {
                return;
            }
            inner.store_retry = Some((now + STORE_RETRY, unlocked));
        }
        let opened = if unlocked {
            state.with_unlocked(|vault| {
                PushStore::open_from_vault(vault, Some(state.keychain()), unix_now())
                    .map_err(IpcError::from)
            })
        } else {
            PushStore::open_with_keychain(&vault_path, state.keychain()).map_err(IpcError::from)
        };
        match opened {
            Ok(store) => {
                let mut inner = self.inner();
                if inner.store.is_none() {
                    inner.store = Some(store);
                }
            }
            // Locked meanwhile, or a store only the vault opens: the next unlock opens it.
            Err(error) if matches!(error.code, "locked" | "push_store_needs_vault") => {}
            Err(error) => eprintln!(
                "tessera-desktop: push key store not opened ({})",
                error.code
            ),
        }
    }

    /// Runs `action` on the open push key store (opening it first if the vault allows).
    pub(super) fn with_store<R: Runtime, T>(
        &self,
        app: &AppHandle<R>,
        action: impl FnOnce(&mut PushStore) -> Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        self.open_store(app);
        let mut inner = self.inner();
        let store = inner.store.as_mut().ok_or_else(|| {
            IpcError::from(PushStoreError::NeedsVault(
                tessera_core::VaultError::NoKeychainSlot,
            ))
        })?;
        action(store)
    }
}
