//! Exporters: accounts in, the bytes of another app's import format out.
//!
//! Every exporter is pure: it writes no file, logs nothing and keeps no copy. The exported
//! plaintext (secrets included) comes back in a buffer that is wiped on drop
//! ([`Zeroizing`]); the caller writes it atomically where the user chose, and never to a log or
//! a temporary file. Randomness (keys, salts, nonces, ids) comes from the operating system.
//!
//! | format | function | protected |
//! |---|---|---|
//! | Tessera backup | `tessera_core::Vault::export_to` | passphrase (Argon2id) |
//! | Aegis JSON, plain | [`aegis_plain`] | no |
//! | Aegis JSON, encrypted | [`aegis_encrypted`] | password (scrypt) |
//! | `otpauth://` list | [`otpauth_list`] | no |
//! | Google Authenticator migration QR codes | [`migration_uris`] | no |
//!
//! Each export is checked by importing it again with this crate's importer for that format.

mod aegis;
mod migration;
mod otpauth;

pub use aegis::{AegisKdf, aegis_encrypted, aegis_plain};
pub use migration::{
    MAX_ACCOUNTS_PER_CODE, MAX_URI_LEN, MigrationAccount, MigrationExport, MigrationOutcome,
    MigrationWarning, NotPortable, migration_uris,
};
pub use otpauth::otpauth_list;

use std::fmt;
use std::io;

use zeroize::Zeroizing;

/// The formats Tessera exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExportFormat {
    /// Aegis vault JSON encrypted with a password ([`aegis_encrypted`]).
    AegisEncrypted,
    /// Aegis vault JSON in plain text ([`aegis_plain`]).
    AegisJson,
    /// Google Authenticator `otpauth-migration://` URIs, one per QR code ([`migration_uris`]).
    GoogleMigration,
    /// One `otpauth://` URI per line ([`otpauth_list`]).
    OtpauthList,
    /// Tessera's own encrypted backup (`tessera_core::Vault::export_to`).
    TesseraBackup,
}

impl ExportFormat {
    /// Every export format, the encrypted ones first (the order a picker should offer them).
    pub const ALL: [ExportFormat; 5] = [
        Self::TesseraBackup,
        Self::AegisEncrypted,
        Self::AegisJson,
        Self::OtpauthList,
        Self::GoogleMigration,
    ];

    /// Stable snake_case identifier for UIs, scripts and the CLI's `--format`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AegisEncrypted => "aegis_encrypted",
            Self::AegisJson => "aegis_json",
            Self::GoogleMigration => "google_migration",
            Self::OtpauthList => "otpauth_list",
            Self::TesseraBackup => "tessera_backup",
        }
    }

    /// The format whose [`code`](Self::code) is `code`.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.code() == code)
    }

    /// What users call it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::AegisEncrypted => "Aegis (encrypted)",
            Self::AegisJson => "Aegis (plain JSON)",
            Self::GoogleMigration => "Google Authenticator QR codes",
            Self::OtpauthList => "otpauth:// list",
            Self::TesseraBackup => "Tessera backup",
        }
    }

    /// Whether the result holds the secrets readable by anyone who gets the file or sees the
    /// codes: the CLI and the app must warn before writing or showing it.
    pub fn is_plaintext(&self) -> bool {
        match self {
            Self::AegisJson | Self::GoogleMigration | Self::OtpauthList => true,
            Self::AegisEncrypted | Self::TesseraBackup => false,
        }
    }

    /// Whether the export asks for a password (the encrypted formats).
    pub fn needs_password(&self) -> bool {
        !self.is_plaintext()
    }

    /// The file name extension, without the dot. Migration URIs are meant to be shown as QR
    /// codes; saved, they are text like the `otpauth://` list.
    pub fn file_extension(&self) -> &'static str {
        match self {
            Self::AegisEncrypted | Self::AegisJson => "json",
            Self::GoogleMigration | Self::OtpauthList => "txt",
            Self::TesseraBackup => "tessera",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an export could not be made. Messages never hold secrets, names or passwords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// An encrypted export was asked for with an empty password.
    #[error("the export password is empty: choose one with at least one character")]
    EmptyPassword,
    /// The export could not be encoded. Not expected to happen (the encoders write to memory);
    /// kept so that no path of the exporters panics.
    #[error("the export could not be encoded")]
    Encoding,
    /// The export could not be encrypted (AES-GCM refuses only inputs over 64 GiB).
    #[error("the export could not be encrypted")]
    Encryption,
    /// Key-derivation parameters outside what the importers accept.
    #[error("the key derivation parameters are out of range")]
    InvalidKdfParams,
    /// The operating system gave no random bytes; nothing was exported.
    #[error("the operating system gave no random bytes; nothing was exported: try again")]
    NoRandomness,
}

tessera_core::error_codes!(pub ExportError {
    EmptyPassword => "empty_password",
    Encoding => "encoding_failed",
    Encryption => "encryption_failed",
    InvalidKdfParams => "invalid_kdf_params",
    NoRandomness => "no_randomness",
});

/// A growing byte buffer for exported plaintext that leaves no unwiped copy behind: when it
/// must grow, the bytes move to a larger buffer and the old one is wiped (a plain `Vec` would
/// free the old allocation as it is).
pub(crate) struct SecretBuf(Zeroizing<Vec<u8>>);

impl SecretBuf {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self(Zeroizing::new(Vec::with_capacity(capacity)))
    }

    pub(crate) fn push(&mut self, bytes: &[u8]) {
        let needed = self.0.len().saturating_add(bytes.len());
        if needed > self.0.capacity() {
            let capacity = needed.max(self.0.capacity().saturating_mul(2));
            let mut bigger = Zeroizing::new(Vec::with_capacity(capacity));
            bigger.extend_from_slice(&self.0);
            // The old buffer is wiped (whole capacity) as `Zeroizing` drops it.
            self.0 = bigger;
        }
        self.0.extend_from_slice(bytes);
    }

    pub(crate) fn into_inner(self) -> Zeroizing<Vec<u8>> {
        self.0
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [u8] {
        self.0.as_mut_slice()
    }
}

impl io::Write for SecretBuf {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.push(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_codes_round_trip_and_plaintext_flags() {
        for format in ExportFormat::ALL {
            assert_eq!(ExportFormat::parse(format.code()), Some(format));
            assert_eq!(format.needs_password(), !format.is_plaintext());
        }
        assert_eq!(ExportFormat::parse("aegis"), None);
        let plain: Vec<_> = ExportFormat::ALL
            .into_iter()
            .filter(ExportFormat::is_plaintext)
            .map(|f| f.code())
            .collect();
        assert_eq!(plain, ["aegis_json", "otpauth_list", "google_migration"]);
        assert_eq!(ExportFormat::TesseraBackup.file_extension(), "tessera");
        assert_eq!(ExportFormat::AegisEncrypted.file_extension(), "json");
        assert_eq!(ExportFormat::OtpauthList.file_extension(), "txt");
    }

    #[test]
    fn secret_buf_grows_and_keeps_every_byte() {
        let mut buf = SecretBuf::with_capacity(1);
        for i in 0..100u8 {
            buf.push(&[i, i]);
        }
        let bytes = buf.into_inner();
        assert_eq!(bytes.len(), 200);
        assert!(
            bytes
                .chunks(2)
                .enumerate()
                .all(|(i, c)| c == [i as u8, i as u8])
        );
    }
}
