//! What crosses IPC for QR scans: the held scan's result list (labels, kinds, statuses, never
//! a decoded text) and accounts drawn as QR codes.

use serde::Serialize;

use crate::error::IpcError;

/// One line of the result list, as the webview sees it.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "QrItem"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QrItemDto {
    /// Stable within the held scan: what `qr_add` takes.
    pub(crate) id: usize,
    /// Where it was found: `screen:MONITOR`, a file name, `clipboard`.
    pub(crate) source: String,
    pub(crate) kind: QrItemKind,
    pub(crate) issuer: String,
    pub(crate) name: String,
    /// `totp`, `hotp` or `steam` for accounts; empty otherwise.
    pub(crate) otp_kind: &'static str,
    pub(crate) status: QrItemStatus,
    /// For accounts from an export: which code of it (1-based) and how many it has.
    pub(crate) batch: Option<BatchDto>,
    /// `other`: scheme and host only (`https://example.com`); `invalid`: the error code.
    pub(crate) detail: String,
}

/// What one QR code holds.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum QrItemKind {
    /// An account (`otpauth://`, or one of a Google Authenticator export).
    Account,
    /// A push token enrollment.
    Push,
    /// Not an account: `detail` has its scheme and host only.
    Other,
    /// An account or export code that does not read: `detail` has the error code.
    Invalid,
}

/// For accounts: `new` or `duplicate` (the vault has it). Empty for the other kinds. An
/// account of an export with codes not scanned yet is `new` too (the scan's `missing` names
/// those codes).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum QrItemStatus {
    New,
    Duplicate,
    #[serde(rename = "")]
    None,
}

#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "QrBatch"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BatchDto {
    pub(crate) id: i32,
    pub(crate) number: i32,
    pub(crate) size: i32,
}

/// An export some of whose codes are not scanned yet.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "QrMissing"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MissingDto {
    pub(crate) batch_id: i32,
    pub(crate) size: i32,
    /// 1-based numbers of the codes still to scan.
    pub(crate) numbers: Vec<i32>,
}

/// A source that could not be read (a damaged file, an unsupported format).
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "QrFailure"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QrFailureDto {
    pub(crate) source: String,
    pub(crate) error: IpcError,
}

#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "QrScan"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QrScanDto {
    pub(crate) scan_id: String,
    /// Everything held, oldest first.
    pub(crate) items: Vec<QrItemDto>,
    /// How many codes this scan found (0: "no QR code found").
    pub(crate) found: usize,
    pub(crate) missing: Vec<MissingDto>,
    /// Sources of this scan that could not be read.
    pub(crate) failures: Vec<QrFailureDto>,
}

#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "QrAdded"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QrAddedDto {
    pub(crate) added: usize,
    /// Picked but already in the vault (maybe added meanwhile).
    pub(crate) skipped: usize,
}

#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "QrSvg"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct QrSvgDto {
    /// A standalone SVG document: modules only, no text.
    pub(crate) svg: String,
}
