//! Why a whole file could not be imported.

use crate::Format;
use crate::limits::{KdfLimit, Limit};

/// A failure of the whole file. Per-entry failures are [`crate::EntryProblem`]s instead.
///
/// Messages name the format and the reason, never file contents, secrets or passwords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// A Bitwarden export encrypted with the account key: only Bitwarden itself can read it.
    #[error(
        "this Bitwarden export is encrypted with your account key; export again as plain JSON \
         or as a password-protected file"
    )]
    AccountRestricted,
    /// The file is empty or holds only blank lines and comments.
    #[error("the file is empty")]
    Empty,
    /// The import was cancelled (its cancel flag was set) between two steps.
    #[error("the import was cancelled; nothing was imported")]
    Cancelled,
    /// An image (a screenshot of a Google Authenticator export, say) with no readable QR code.
    #[error("no QR code was found in the image; nothing was imported")]
    NoQrCode,
    /// An image whose QR codes hold no authenticator link (`otpauth://` or
    /// `otpauth-migration://`): a web link, Wi-Fi settings, a push enrollment.
    #[error(
        "the image's QR code is not an authenticator account or a Google Authenticator export; \
         nothing was imported"
    )]
    NotAnAccountQr,
    /// The file looks like this format but its structure or encoding is broken.
    #[error("the {format} file is damaged or not a valid {format} export")]
    InvalidContainer {
        /// The format the file claimed to be.
        format: Format,
    },
    /// The file asks for more key derivations than Tessera runs for one import: too many
    /// password slots, or more total work than [`crate::limits::MAX_KDF_WORK_KIB`]. Checked
    /// before the first derivation.
    #[error(
        "the {format} file asks for {limit}, beyond what Tessera runs for one file; it was \
         refused before trying the password and nothing was imported"
    )]
    KdfBudgetExceeded {
        /// The format whose file was refused.
        format: Format,
        /// Which budget it exceeded.
        limit: KdfLimit,
    },
    /// Key-derivation parameters so costly they could only be meant to exhaust the machine.
    #[error(
        "the {format} file asks for a key derivation too costly to run (memory or iterations \
         beyond any real export); it was refused and nothing was imported"
    )]
    KdfTooExpensive {
        /// The format whose parameters were refused.
        format: Format,
    },
    /// The file exceeds one of the size caps of [`crate::limits`] (entries, decoded bytes,
    /// nesting, ...): refused before it could exhaust memory.
    #[error("{}", limit_message(*format, *limit))]
    LimitExceeded {
        /// The format the file was recognised as, if it got that far.
        format: Option<Format>,
        /// Which cap it exceeded.
        limit: Limit,
    },
    /// Steam Desktop Authenticator files read only together: an encrypted maFile needs the
    /// `manifest.json` beside it (it holds salt and IV), and the manifest needs its maFiles.
    #[error(
        "Steam Desktop Authenticator files must be imported together: pick the whole folder \
         (manifest.json and the .maFile files)"
    )]
    SteamFolderRequired,
    /// The file is encrypted and no password was given.
    #[error("the {format} file is encrypted: a password is required")]
    PasswordRequired {
        /// The format of the encrypted file.
        format: Format,
    },
    /// The file ends early.
    #[error("the {format} file is truncated")]
    Truncated {
        /// The format of the truncated file.
        format: Format,
    },
    /// An image file that cannot be decoded: damaged, empty, or in a format the QR reader does
    /// not read (PNG, JPEG, WebP, GIF and BMP are read).
    #[error(
        "the image could not be read (damaged, or not PNG, JPEG, WebP, GIF or BMP); nothing was \
         imported"
    )]
    UnreadableImage,
    /// Not a format Tessera imports.
    #[error("the file is not an export Tessera recognises")]
    UnknownFormat,
    /// A version of the format newer than this importer knows.
    #[error("this {format} file uses a version Tessera does not read yet")]
    UnsupportedVersion {
        /// The format with the unknown version.
        format: Format,
    },
    /// A Tessera vault without a passphrase: it opens only with its keychain or recovery key,
    /// so it cannot be imported as a backup.
    #[error(
        "this is a Tessera vault without a passphrase, not a backup: open it in Tessera with its \
         recovery key, then export a backup from it"
    )]
    VaultWithoutPassphrase,
    /// The password does not open the file.
    #[error("wrong password for the {format} file")]
    WrongPassword {
        /// The format of the encrypted file.
        format: Format,
    },
}

tessera_core::error_codes!(pub ImportError {
    AccountRestricted => "account_restricted",
    Empty => "empty_file",
    Cancelled => "import_cancelled",
    NoQrCode => "no_qr_code",
    NotAnAccountQr => "qr_not_account",
    InvalidContainer => "invalid_container",
    KdfBudgetExceeded => "kdf_budget_exceeded",
    KdfTooExpensive => "kdf_too_expensive",
    LimitExceeded => "limit_exceeded",
    SteamFolderRequired => "steam_folder_required",
    PasswordRequired => "password_required",
    Truncated => "truncated",
    UnknownFormat => "unknown_format",
    UnreadableImage => "image_unreadable",
    UnsupportedVersion => "import_unsupported_version",
    VaultWithoutPassphrase => "vault_without_passphrase",
    WrongPassword => "wrong_password",
});

impl ImportError {
    /// The format the file was recognised as, when it got that far.
    pub fn format(&self) -> Option<Format> {
        match *self {
            Self::InvalidContainer { format }
            | Self::KdfBudgetExceeded { format, .. }
            | Self::KdfTooExpensive { format }
            | Self::PasswordRequired { format }
            | Self::Truncated { format }
            | Self::UnsupportedVersion { format }
            | Self::WrongPassword { format } => Some(format),
            Self::AccountRestricted => Some(Format::Bitwarden),
            Self::SteamFolderRequired => Some(Format::Steam),
            Self::VaultWithoutPassphrase => Some(Format::TesseraBackup),
            Self::LimitExceeded { format, .. } => format,
            Self::Cancelled
            | Self::Empty
            | Self::NoQrCode
            | Self::NotAnAccountQr
            | Self::UnknownFormat
            | Self::UnreadableImage => None,
        }
    }
}

fn limit_message(format: Option<Format>, limit: Limit) -> String {
    let file = match format {
        Some(format) => format!("the {format} file"),
        None => "the file".to_owned(),
    };
    format!(
        "{file} is beyond what Tessera reads ({limit}); it was refused and nothing was imported"
    )
}
