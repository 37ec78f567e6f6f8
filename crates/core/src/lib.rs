//! Tessera's core: everything an authenticator does that needs no window, no network and no clock.
//!
//! Time, randomness and keys are passed in by the caller; nothing here reads the system clock.
// deny, not forbid: `vault/windows.rs` alone allows it, for the Win32 calls std lacks.
#![deny(unsafe_code)]
#![deny(missing_docs)]

mod error_code;
pub mod keystore;
pub mod migration;
pub mod model;
pub mod otp;
pub mod secret;
pub mod uri;
pub mod vault;

pub use error_code::ErrorCode;
pub use model::{Account, AccountId, Algorithm, Digits, Otp, Period, UnixTime};
pub use secret::OtpSecret;
pub use vault::{Unlock, Vault, VaultError};
