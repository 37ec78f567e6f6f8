//! What crosses IPC for imports and exports: previews (labels, kinds, statuses, reason codes;
//! never a secret), progress, and what an export wrote.

use serde::Serialize;

/// What opening a file gave: its preview, or a request for its password.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ImportOpened"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "camelCase")]
pub(crate) enum ImportOpenedDto {
    #[serde(rename_all = "camelCase")]
    NeedsPassword {
        import_id: String,
        /// `Format::code()`.
        format: &'static str,
    },
    Preview {
        preview: ImportPreviewDto,
    },
}

/// The entries of a read import, without their secrets.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ImportPreview"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImportPreviewDto {
    pub(crate) import_id: String,
    /// `Format::code()`: `aegis`, `two_fas`, `ente`, `bitwarden`, …
    pub(crate) format: &'static str,
    /// Every entry of the file, in file order: importable ones and the ones that are not.
    pub(crate) items: Vec<ImportItemDto>,
    /// Codes of a Google Authenticator export that were not given: their accounts are not in
    /// `items` (the shape of a QR scan's missing codes).
    pub(crate) missing: Vec<super::qr::MissingDto>,
}

/// One entry of the file.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ImportItem"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImportItemDto {
    /// What `import_commit` selects this entry by; absent for unsupported and rejected ones.
    pub(crate) entry: Option<usize>,
    pub(crate) issuer: String,
    pub(crate) name: String,
    /// `totp`, `hotp` or `steam`; absent when the entry could not be read.
    #[cfg_attr(test, ts(as = "Option<crate::dto::KindIn>"))]
    pub(crate) kind: Option<&'static str>,
    pub(crate) status: ImportStatus,
    /// For `unsupported` and `rejected`: the `EntryError::code()`.
    pub(crate) reason: Option<&'static str>,
}

/// How an entry of an import file relates to the vault, or why it cannot be imported.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ImportStatus {
    New,
    /// Already in the vault.
    Duplicate,
    /// The same label as a vault account, with another secret.
    Conflict,
    /// Earlier in the file.
    Repeated,
    /// A kind Tessera does not hold (mOTP, Yandex).
    Unsupported,
    /// Unreadable: `reason` says why.
    Rejected,
}

/// What a commit did.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ImportSummary"))]
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImportSummaryDto {
    pub(crate) added: usize,
    /// Duplicates of vault accounts (or of earlier entries) that were not added.
    pub(crate) skipped_duplicates: usize,
    /// Other entries the user left unchecked.
    pub(crate) not_selected: usize,
    pub(crate) unsupported: usize,
    pub(crate) rejected: usize,
}

/// An export written to a file.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Exported"))]
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExportedDto {
    pub(crate) path: String,
    pub(crate) accounts: usize,
}

/// One Google Authenticator migration QR code, drawn in Rust.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "MigrationQr"))]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MigrationQrDto {
    /// 0-based; the UI says "n of m".
    pub(crate) index: usize,
    pub(crate) total: usize,
    /// An SVG document. It encodes secrets: shown only after the user confirmed, never stored.
    pub(crate) svg: crate::dto::SecretText,
    /// Accounts Google Authenticator cannot hold, with `NotPortable::code()`.
    pub(crate) skipped: Vec<SkippedDto>,
}

#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "MigrationSkipped"))]
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SkippedDto {
    pub(crate) label: String,
    pub(crate) reason: &'static str,
}

/// Sent on the channel of `import_unlock` while the file is decrypted.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ImportProgress"))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImportProgressDto {
    pub(crate) stage: ImportStage,
    /// Since the password was submitted. The KDF libraries report no progress of their own,
    /// so the UI shows a running bar with this time rather than a made-up percentage.
    pub(crate) elapsed_ms: u64,
}

/// Where the decryption of an import file stands.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ImportStage {
    /// The password's key derivation and the decryption run.
    Deriving,
    Done,
}
