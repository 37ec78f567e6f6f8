//! Telling the formats apart by content (formats.md §15) and dispatching to the importers.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde_json::Value;

use crate::crypto;
use crate::entry::Collector;
use crate::json::{self, Json};
use crate::limits::{Limit, MAX_FILE_BYTES};
use crate::{
    Format, Import, ImportError, aegis, andotp, bitwarden, ente, freeotp, freeotp_plus, lastpass,
    proton, steam, tessera, text, two_fas,
};

/// Java serialization stream magic and version (FreeOTP 2 backups).
const JAVA_MAGIC: &[u8] = &[0xAC, 0xED, 0x00, 0x05];

/// Which format `bytes` are, judged from the content alone; `None` if none matches.
///
/// Binary data that is nothing else is taken for an encrypted andOTP backup, which has no magic
/// (formats.md §15, last row); whether it really is one shows only when it is decrypted.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    if tessera::is_backup(bytes) {
        return Some(Format::TesseraBackup);
    }
    match sniff(bytes) {
        Sniffed::Json(json) => json_format(&json.0),
        Sniffed::Text(text) => text_format(text),
        Sniffed::Binary => binary_format(bytes),
    }
}

/// Imports an export file of any supported format, recognised from its content.
///
/// `password` is used only by encrypted files; an encrypted file without one fails with
/// [`ImportError::PasswordRequired`], so the caller can ask and try again.
///
/// Every cap of [`crate::limits`] applies; the key derivations of the file share one budget.
pub fn import(bytes: &[u8], password: Option<&str>) -> Result<Import, ImportError> {
    crypto::scope(None, || import_one(bytes, password))
}

/// [`import`] that stops with [`ImportError::Cancelled`] once `cancel` is set: checked before
/// and after every key derivation (the slow steps), so a cancelled import ends within one
/// derivation.
pub fn import_cancellable(
    bytes: &[u8],
    password: Option<&str>,
    cancel: &Arc<AtomicBool>,
) -> Result<Import, ImportError> {
    crypto::scope(Some(cancel), || import_one(bytes, password))
}

fn import_one(bytes: &[u8], password: Option<&str>) -> Result<Import, ImportError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImportError::LimitExceeded {
            format: None,
            limit: Limit::FileBytes,
        });
    }
    if tessera::is_backup(bytes) {
        return tessera::import(bytes, password);
    }
    match sniff(bytes) {
        Sniffed::Json(json) => {
            let format = json_format(&json.0).ok_or(ImportError::UnknownFormat)?;
            from_json(format, &json.0, password)
        }
        Sniffed::Text(text) if looks_like_json(text) => Err(broken_json(text)),
        Sniffed::Text(text) => match text_format(text).ok_or(ImportError::UnknownFormat)? {
            Format::Bitwarden => bitwarden::import_csv(text.as_bytes()),
            Format::Steam => Err(ImportError::SteamFolderRequired),
            _ => text::import_str(text, None),
        },
        Sniffed::Binary => match binary_format(bytes) {
            Some(Format::FreeOtp) => freeotp::import(bytes, password),
            Some(Format::AndOtp) => andotp::import(bytes, password),
            // A screenshot of QR codes (a Google Authenticator export), recognised by its
            // magic bytes whatever the file is called.
            _ if is_image(bytes) => crate::image::import(bytes),
            _ => Err(ImportError::UnknownFormat),
        },
    }
}

/// Imports several files chosen together: a Steam Desktop Authenticator folder
/// (`manifest.json` and its `.maFile`s, encrypted or not), or files that are each importable
/// alone, whose entries are appended in the order given (the format reported is the first
/// file's). `files` pairs each file's name (used only to match the manifest's `filename`s) with
/// its content.
pub fn import_files(
    files: &[(&str, &[u8])],
    password: Option<&str>,
) -> Result<Import, ImportError> {
    crypto::scope(None, || import_many(files, password))
}

/// [`import_files`] that stops with [`ImportError::Cancelled`] once `cancel` is set (see
/// [`import_cancellable`]).
pub fn import_files_cancellable(
    files: &[(&str, &[u8])],
    password: Option<&str>,
    cancel: &Arc<AtomicBool>,
) -> Result<Import, ImportError> {
    crypto::scope(Some(cancel), || import_many(files, password))
}

fn import_many(files: &[(&str, &[u8])], password: Option<&str>) -> Result<Import, ImportError> {
    let is_manifest = |name: &str| {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        base.eq_ignore_ascii_case("manifest.json")
    };
    if files
        .iter()
        .any(|(_, bytes)| bytes.len() as u64 > MAX_FILE_BYTES)
    {
        return Err(ImportError::LimitExceeded {
            format: None,
            limit: Limit::FileBytes,
        });
    }
    if let Some((_, manifest)) = files.iter().find(|(name, _)| is_manifest(name)) {
        let others: Vec<(&str, &[u8])> = files
            .iter()
            .filter(|(name, _)| !is_manifest(name))
            .copied()
            .collect();
        return steam::import_folder(manifest, &others, password);
    }
    let mut merged: Option<Collector> = None;
    for (_, bytes) in files {
        let import = import_one(bytes, password)?;
        merged
            .get_or_insert_with(|| Collector::new(import.format))
            .extend(import);
    }
    merged.ok_or(ImportError::Empty)?.finish()
}

enum Sniffed<'a> {
    Json(Json),
    Text(&'a str),
    Binary,
}

fn sniff(bytes: &[u8]) -> Sniffed<'_> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(body) else {
        return Sniffed::Binary;
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        // A JSON-looking file that does not parse is still judged as text (and then refused),
        // so a truncated export reports "truncated" through its importer below.
        if let Ok(json) = json::parse(body, Format::OtpauthUri) {
            return Sniffed::Json(json);
        }
    }
    Sniffed::Text(text)
}

fn looks_like_json(text: &str) -> bool {
    let trimmed = text.trim_start();
    trimmed.starts_with('{') || trimmed.starts_with('[')
}

/// The error for JSON that does not parse: "truncated" or "damaged", named after the format its
/// keys suggest (the same keys as [`json_format`], searched as text).
fn broken_json(text: &str) -> ImportError {
    const HINTS: &[(&str, Format)] = &[
        ("\"db\"", Format::Aegis),
        ("\"schemaVersion\"", Format::TwoFas),
        ("\"kdfParams\"", Format::Ente),
        ("\"encryptedData\"", Format::Ente),
        ("\"items\"", Format::Bitwarden),
        ("\"passwordProtected\"", Format::Bitwarden),
        ("\"tokens\"", Format::FreeOtpPlus),
        ("\"issuerName\"", Format::LastPass),
        ("\"shared_secret\"", Format::Steam),
        ("\"content\"", Format::Proton),
        ("\"label\"", Format::AndOtp),
    ];
    let hinted = HINTS
        .iter()
        .find(|(hint, _)| text.contains(hint))
        .map(|&(_, format)| format);
    // Refused by a shape cap rather than broken: say so, whatever the format.
    if let Err(limit) = json::check_shape(text.as_bytes()) {
        return ImportError::LimitExceeded {
            format: hinted,
            limit,
        };
    }
    match hinted {
        Some(format) => match json::parse(text.as_bytes(), format) {
            Err(error) => error,
            // Unreachable in practice (it failed to parse before); still a clear answer.
            Ok(_) => ImportError::InvalidContainer { format },
        },
        None => ImportError::UnknownFormat,
    }
}

fn has(value: &Value, key: &str) -> bool {
    value.get(key).is_some()
}

fn json_format(value: &Value) -> Option<Format> {
    if let Some(items) = value.as_array() {
        let looks_andotp = items
            .iter()
            .all(|item| has(item, "secret") && (has(item, "label") || has(item, "type")));
        return looks_andotp.then_some(Format::AndOtp);
    }
    let format = if has(value, "header") && has(value, "db") {
        Format::Aegis
    } else if has(value, "schemaVersion")
        && (has(value, "services") || has(value, "servicesEncrypted"))
    {
        Format::TwoFas
    } else if has(value, "kdfParams") && has(value, "encryptedData") {
        Format::Ente
    } else if has(value, "items")
        || has(value, "passwordProtected")
        || has(value, "encKeyValidation_DO_NOT_EDIT")
    {
        Format::Bitwarden
    } else if has(value, "tokens") && (has(value, "tokenOrder") || value["tokens"].is_array()) {
        Format::FreeOtpPlus
    } else if value.get("entries").is_some_and(|e| {
        e.as_array()
            .is_some_and(|items| items.iter().any(|i| has(i, "content")))
    }) || (has(value, "salt") && has(value, "content") && !has(value, "entries"))
    {
        Format::Proton
    } else if value
        .get("accounts")
        .and_then(Value::as_array)
        .is_some_and(|accounts| {
            accounts
                .iter()
                .any(|a| has(a, "issuerName") || has(a, "timeStep") || has(a, "userName"))
        })
    {
        Format::LastPass
    } else if has(value, "shared_secret")
        || value.get("accounts").is_some_and(Value::is_object)
        || is_sda_manifest(value)
    {
        Format::Steam
    } else if value
        .get("entries")
        .and_then(Value::as_array)
        .is_some_and(|e| e.is_empty())
        && has(value, "version")
    {
        // An empty Proton export has nothing else to tell it by.
        Format::Proton
    } else {
        return None;
    };
    Some(format)
}

fn is_sda_manifest(value: &Value) -> bool {
    value
        .get("entries")
        .and_then(Value::as_array)
        .is_some_and(|entries| entries.iter().any(|e| has(e, "filename")))
}

fn from_json(format: Format, value: &Value, password: Option<&str>) -> Result<Import, ImportError> {
    match format {
        Format::Aegis => aegis::from_json(value, password),
        Format::AndOtp => andotp::from_json(value),
        Format::Bitwarden => bitwarden::from_json(value, password),
        Format::Ente => ente::from_json(value, password),
        Format::FreeOtpPlus => freeotp_plus::from_json(value),
        Format::LastPass => lastpass::from_json(value),
        Format::Proton => proton::from_json(value, password),
        Format::Steam if is_sda_manifest(value) => Err(ImportError::SteamFolderRequired),
        Format::Steam => steam::from_json(value),
        Format::TwoFas => two_fas::from_json(value, password),
        _ => Err(ImportError::UnknownFormat),
    }
}

fn text_format(text: &str) -> Option<Format> {
    let trimmed = text.trim_start();
    // A truncated JSON export: report it through its own format's "truncated" error.
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return None;
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))?;
    let scheme = first
        .split_once("://")
        .map(|(scheme, _)| scheme.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("otpauth-migration") => return Some(Format::GoogleMigration),
        Some("otpauth" | "steam" | "motp") => return Some(Format::OtpauthUri),
        _ => {}
    }
    if first
        .split(',')
        .any(|column| column.trim().trim_matches('"') == "login_totp")
    {
        return Some(Format::Bitwarden);
    }
    // An encrypted maFile is base64 of AES-CBC blocks and nothing else.
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.len() >= 24
        && crate::crypto::base64(&compact).is_some_and(|b| !b.is_empty() && b.len() % 16 == 0)
    {
        return Some(Format::Steam);
    }
    None
}

fn binary_format(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(JAVA_MAGIC) {
        Some(Format::FreeOtp)
    } else if is_image(bytes) || bytes.len() < andotp::MIN_ENCRYPTED_LEN {
        None
    } else {
        Some(Format::AndOtp)
    }
}

fn is_image(bytes: &[u8]) -> bool {
    const MAGICS: &[&[u8]] = &[
        b"\x89PNG\r\n\x1a\n",
        b"\xFF\xD8\xFF",
        b"GIF87a",
        b"GIF89a",
        b"BM",
    ];
    MAGICS.iter().any(|m| bytes.starts_with(m))
        || (bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_table() {
        let cases: &[(&str, &[u8], Option<Format>)] = &[
            ("aegis", br#"{"version":1,"header":{},"db":{}}"#, Some(Format::Aegis)),
            ("two_fas", br#"{"schemaVersion":4,"services":[]}"#, Some(Format::TwoFas)),
            ("ente", br#"{"kdfParams":{},"encryptedData":""}"#, Some(Format::Ente)),
            ("bitwarden", br#"{"encrypted":false,"items":[]}"#, Some(Format::Bitwarden)),
            ("freeotp_plus", br#"{"tokenOrder":[],"tokens":[]}"#, Some(Format::FreeOtpPlus)),
            ("proton", br#"{"version":1,"entries":[{"content":{}}]}"#, Some(Format::Proton)),
            ("proton_enc", br#"{"version":1,"salt":"","content":""}"#, Some(Format::Proton)),
            ("lastpass", br#"{"version":3,"accounts":[{"issuerName":"a"}]}"#, Some(Format::LastPass)),
            ("steam", br#"{"shared_secret":"AAAA"}"#, Some(Format::Steam)),
            ("steam_app", br#"{"accounts":{"a":{}}}"#, Some(Format::Steam)),
            ("andotp", br#"[{"secret":"A","label":"b"}]"#, Some(Format::AndOtp)),
            ("uri", b"otpauth://totp/a?secret=A", Some(Format::OtpauthUri)),
            ("migration", b"# x\notpauth-migration://offline?data=A", Some(Format::GoogleMigration)),
            ("csv", b"folder,type,name,login_totp\n", Some(Format::Bitwarden)),
            ("freeotp", b"\xAC\xED\x00\x05sr", Some(Format::FreeOtp)),
            ("png", b"\x89PNG\r\n\x1a\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", None),
            ("prose", b"hello world", None),
            ("json_other", br#"{"hello":1}"#, None),
        ];
        for (case, bytes, expected) in cases {
            assert_eq!(detect(bytes), *expected, "{case}");
        }
    }

    #[test]
    fn images_and_unknown_files_get_clear_errors() {
        // Recognised by its magic bytes, then read by the QR path (which finds it damaged).
        let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();
        assert_eq!(
            import(&png, None).unwrap_err(),
            ImportError::UnreadableImage
        );
        assert_eq!(
            import(b"hello", None).unwrap_err(),
            ImportError::UnknownFormat
        );
        assert_eq!(
            import(br#"{"a":1}"#, None).unwrap_err(),
            ImportError::UnknownFormat
        );
        assert_eq!(import(b"", None).unwrap_err(), ImportError::UnknownFormat);
        assert_eq!(
            import(
                br#"{"version":1,"entries":[{"filename":"1.maFile"}]}"#,
                None
            )
            .unwrap_err(),
            ImportError::SteamFolderRequired
        );
    }
}
