//! Tessera's importers and exporters: other authenticators' export files in, accounts out;
//! accounts in, files for other authenticators out ([`export`]).
//!
//! Every importer is pure: bytes and an optional password in, an [`Import`] out, nothing written
//! anywhere. An import succeeds partially: the entries it could read, plus one [`EntryProblem`]
//! per entry it could not (an unsupported type such as mOTP, digits 0, a bad secret), so no
//! entry is ever dropped silently. Only the container as a whole fails with an [`ImportError`]:
//! a missing or wrong password, a damaged, truncated or foreign file, absurd KDF parameters.
//!
//! Every file is untrusted: the caps of [`limits`] (size, entries, decoded bytes, JSON shape,
//! password slots, key-derivation work) are checked before the work they bound, and an import
//! can be cancelled between key derivations ([`files::import_cancellable`]).
//!
//! [`import`] recognises the format from the content (never the file name, formats.md §15);
//! each format also has its own module with an `import` function. An image is a screenshot of
//! QR codes ([`image`]): a Google Authenticator export, or an account's `otpauth://` code. A
//! Google export split over several codes imports the accounts of the codes it was given and
//! names the others ([`Import::missing_codes`]). [`preview`] then sorts the
//! entries into new ones and duplicates of the vault's accounts, so the CLI and the app can ask
//! the user and commit the chosen accounts in one vault write.
//!
//! Formats are described in `shared/docs/formats.md`; the section is named in each module.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod aegis;
pub mod andotp;
pub mod bitwarden;
pub mod ente;
pub mod export;
pub mod files;
pub mod freeotp;
pub mod freeotp_plus;
pub mod image;
pub mod lastpass;
pub mod proton;
pub mod steam;
pub mod tessera;
pub mod text;
pub mod two_fas;

mod crypto;
mod detect;
mod entry;
mod error;
mod json;
mod missing;
mod preview;

pub mod limits;
pub use detect::{detect, import, import_cancellable, import_files, import_files_cancellable};
pub use entry::{EntryError, EntryProblem, Import, ImportedEntry, OtherKind};
pub use error::ImportError;
pub use missing::MissingCodes;
pub use preview::{Preview, PreviewEntry, PreviewStatus, preview};

use std::fmt;

/// The apps whose files Tessera imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Aegis vault JSON, plain or encrypted (formats.md §5).
    Aegis,
    /// andOTP JSON, or its two encrypted binary generations (§7).
    AndOtp,
    /// Bitwarden JSON, CSV or password-protected JSON (§8).
    Bitwarden,
    /// Ente Auth plain text or encrypted JSON (§11).
    Ente,
    /// FreeOTP 2 encrypted backup, a Java-serialized map (§10).
    FreeOtp,
    /// FreeOTP+ JSON (§9).
    FreeOtpPlus,
    /// Google Authenticator `otpauth-migration://` text (§4).
    GoogleMigration,
    /// LastPass Authenticator JSON (§14).
    LastPass,
    /// A plain list of `otpauth://` URIs, one per line (§3).
    OtpauthUri,
    /// Proton Authenticator JSON, plain or encrypted (§13).
    Proton,
    /// Steam maFile, Steam app JSON, or an encrypted Steam Desktop Authenticator folder (§12).
    Steam,
    /// Tessera's own encrypted backup (`Vault::export_to`), opened with its passphrase.
    TesseraBackup,
    /// 2FAS `.2fas` backup, schemas 1 to 4, plain or encrypted (§6).
    TwoFas,
}

impl Format {
    /// Stable snake_case identifier for UIs, scripts and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Aegis => "aegis",
            Self::AndOtp => "andotp",
            Self::Bitwarden => "bitwarden",
            Self::Ente => "ente",
            Self::FreeOtp => "freeotp",
            Self::FreeOtpPlus => "freeotp_plus",
            Self::GoogleMigration => "google_migration",
            Self::LastPass => "lastpass",
            Self::OtpauthUri => "otpauth_uri",
            Self::Proton => "proton_authenticator",
            Self::Steam => "steam",
            Self::TesseraBackup => "tessera_backup",
            Self::TwoFas => "two_fas",
        }
    }

    /// The app's name as users know it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Aegis => "Aegis",
            Self::AndOtp => "andOTP",
            Self::Bitwarden => "Bitwarden",
            Self::Ente => "Ente Auth",
            Self::FreeOtp => "FreeOTP",
            Self::FreeOtpPlus => "FreeOTP+",
            Self::GoogleMigration => "Google Authenticator",
            Self::LastPass => "LastPass Authenticator",
            Self::OtpauthUri => "otpauth:// list",
            Self::Proton => "Proton Authenticator",
            Self::Steam => "Steam",
            Self::TesseraBackup => "Tessera backup",
            Self::TwoFas => "2FAS",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
