//! Ente Auth exports (formats.md §11): the plain text export (an `otpauth://` list, read by
//! [`crate::text`]) and the encrypted JSON export (Argon2id, then libsodium's
//! `crypto_secretstream_xchacha20poly1305`, through RustCrypto's `crypto_secretstream` port).

use crypto_secretstream::{Header, Key, PullStream, Tag};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::crypto::{self, base64};
use crate::entry::Num;
use crate::json::{self, num};
use crate::{Format, Import, ImportError};

const FORMAT: Format = Format::Ente;
const INVALID: ImportError = ImportError::InvalidContainer { format: FORMAT };

/// Imports an Ente Auth export: the encrypted JSON (needs `password`) or the plain text.
pub fn import(bytes: &[u8], password: Option<&str>) -> Result<Import, ImportError> {
    match json::parse(bytes, FORMAT) {
        Ok(json) => from_json(&json.0, password),
        Err(_) if !bytes.trim_ascii_start().starts_with(b"{") => {
            let text = std::str::from_utf8(bytes).map_err(|_| INVALID)?;
            crate::text::import_str(text, Some(FORMAT))
        }
        Err(error) => Err(error),
    }
}

pub(crate) fn from_json(value: &Value, password: Option<&str>) -> Result<Import, ImportError> {
    match num(value, "version") {
        Num::Value(1) => {}
        Num::Value(_) => return Err(ImportError::UnsupportedVersion { format: FORMAT }),
        _ => return Err(INVALID),
    }
    let params = value.get("kdfParams").ok_or(INVALID)?;
    let salt = base64(json::required_str(params, "salt", FORMAT)?).ok_or(INVALID)?;
    // libsodium's memLimit is in bytes; argon2 counts KiB.
    let memory_kib = json::required_u64(params, "memLimit", FORMAT)? / 1024;
    let ops = json::required_u64(params, "opsLimit", FORMAT)?;
    let header = base64(json::required_str(value, "encryptionNonce", FORMAT)?).ok_or(INVALID)?;
    let header = Header::try_from(header.as_slice()).map_err(|_| INVALID)?;
    let mut buffer = base64(json::required_str(value, "encryptedData", FORMAT)?).ok_or(INVALID)?;
    // 17 bytes of overhead: the encrypted tag byte and the Poly1305 MAC.
    if buffer.len() < 17 {
        return Err(ImportError::Truncated { format: FORMAT });
    }
    let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
    let key = crypto::argon2id(FORMAT, password.as_bytes(), &salt, ops, memory_kib, 1)?;
    let key = Key::try_from(key.as_slice()).map_err(|_| INVALID)?;
    let mut stream = PullStream::init(header, &key);
    let mut plain: Zeroizing<Vec<u8>> = Zeroizing::new(std::mem::take(&mut *buffer));
    let tag = stream
        .pull(&mut *plain, b"")
        .map_err(|_| ImportError::WrongPassword { format: FORMAT })?;
    // Newer exports end the single chunk with FINAL, older ones with MESSAGE: accept both.
    if !matches!(tag, Tag::Final | Tag::Message) {
        return Err(INVALID);
    }
    let text = std::str::from_utf8(&plain).map_err(|_| INVALID)?;
    match crate::text::import_str(text, Some(FORMAT)) {
        // An export of an empty Ente account is a valid, empty import.
        Err(ImportError::Empty) => Ok(Import {
            format: FORMAT,
            entries: Vec::new(),
            problems: Vec::new(),
            export_codes: Vec::new(),
        }),
        other => other,
    }
}
