//! What the running app holds: the accounts it was started with and the URIs it rejected.
//!
//! Read-only for now (no lock needed); the vault will replace the launch URIs as the source of
//! accounts, and bring a `Mutex` with it.

use tessera_core::uri::{OtpUri, UriError};
use tessera_core::{Account, UnixTime};

use crate::launch::{GivenUri, UriSource};

/// Managed Tauri state.
pub(crate) struct AppState {
    accounts: Vec<Account>,
    rejected: Vec<RejectedUri>,
}

/// A launch URI that did not parse. The URI text itself is dropped here: it may hold a secret.
pub(crate) struct RejectedUri {
    pub(crate) source: UriSource,
    pub(crate) position: u32,
    pub(crate) error: UriError,
}

impl AppState {
    /// Parses every given URI; each failure is kept (not dropped) so the UI can report it.
    pub(crate) fn from_uris(uris: Vec<GivenUri>, now: UnixTime) -> Self {
        let mut accounts = Vec::new();
        let mut rejected = Vec::new();
        for given in uris {
            match OtpUri::parse(&given.text) {
                Ok(uri) => accounts.push(uri.into_account(now)),
                Err(error) => rejected.push(RejectedUri {
                    source: given.source,
                    position: given.position,
                    error,
                }),
            }
        }
        Self { accounts, rejected }
    }

    /// The accounts, in the order given.
    pub(crate) fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// The URIs that did not parse, in the order given.
    pub(crate) fn rejected(&self) -> &[RejectedUri] {
        &self.rejected
    }
}
