//! Bitwarden exports (formats.md §8): JSON, CSV, and password-protected JSON (PBKDF2-SHA256 or
//! Argon2id, then HKDF-expanded AES-256-CBC + HMAC-SHA256 "EncString" type 2).
//!
//! Only login items with a TOTP field are accounts; other items (passwords without TOTP,
//! notes, cards) are not entries and are not reported.

use std::collections::HashMap;

use hmac::{KeyInit, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tessera_core::uri::OtpUri;
use tessera_core::{Otp, OtpSecret};
use zeroize::Zeroizing;

use crate::crypto::{self, Prf, base64, cbc_open};
use crate::entry::{Collector, EntryError, Num, base32_secret};
use crate::json::{self, num, str_field};
use crate::{Format, Import, ImportError};

const FORMAT: Format = Format::Bitwarden;
const INVALID: ImportError = ImportError::InvalidContainer { format: FORMAT };

/// Imports a Bitwarden JSON export, plain or password-protected.
pub fn import(bytes: &[u8], password: Option<&str>) -> Result<Import, ImportError> {
    let json = json::parse(bytes, FORMAT)?;
    from_json(&json.0, password)
}

pub(crate) fn from_json(value: &Value, password: Option<&str>) -> Result<Import, ImportError> {
    if value.get("encrypted").and_then(Value::as_bool) != Some(true) {
        return read_items(value);
    }
    if value.get("passwordProtected").and_then(Value::as_bool) != Some(true) {
        return Err(ImportError::AccountRestricted);
    }
    let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
    let keys = derive_keys(value, password)?;
    // The validation string only proves the password; its content is a random UUID.
    let validation = json::required_str(value, "encKeyValidation_DO_NOT_EDIT", FORMAT)?;
    keys.open(validation)?;
    let plain = keys.open(json::required_str(value, "data", FORMAT)?)?;
    let inner = json::parse(&plain, FORMAT)?;
    read_items(&inner.0)
}

/// Imports a Bitwarden CSV export (columns located by header name).
pub fn import_csv(bytes: &[u8]) -> Result<Import, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader.headers().map_err(|_| INVALID)?.clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let totp_column = column("login_totp").ok_or(INVALID)?;
    let (name_column, user_column, folder_column) =
        (column("name"), column("login_username"), column("folder"));
    let mut collector = Collector::new(FORMAT);
    let mut record = csv::StringRecord::new();
    while !collector.is_full() {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) if error.is_io_error() => {
                return Err(ImportError::Truncated { format: FORMAT });
            }
            Err(_) => return Err(INVALID),
        }
        let field = |index: Option<usize>| index.and_then(|i| record.get(i)).unwrap_or_default();
        let totp = Zeroizing::new(field(Some(totp_column)).to_owned());
        if totp.trim().is_empty() {
            continue;
        }
        let folder = field(folder_column);
        let tags = if folder.is_empty() {
            Vec::new()
        } else {
            vec![folder.to_owned()]
        };
        add(
            &mut collector,
            &totp,
            field(name_column),
            field(user_column),
            tags,
        );
    }
    // Wipe the TOTP seeds the reader kept in its record buffer.
    record.clear();
    collector.finish()
}

fn read_items(value: &Value) -> Result<Import, ImportError> {
    let items = value
        .get("items")
        .and_then(Value::as_array)
        .ok_or(INVALID)?;
    let folders: HashMap<&str, &str> = value
        .get("folders")
        .and_then(Value::as_array)
        .map(|folders| {
            folders
                .iter()
                .filter_map(|f| Some((str_field(f, "id")?, str_field(f, "name")?)))
                .collect()
        })
        .unwrap_or_default();
    let mut collector = Collector::new(FORMAT);
    for item in items {
        // Type 1 is a login; only logins carry TOTP seeds.
        if num(item, "type") != Num::Value(1) {
            continue;
        }
        let login = item.get("login").unwrap_or(&Value::Null);
        let Some(totp) = str_field(login, "totp").filter(|t| !t.trim().is_empty()) else {
            continue;
        };
        let tags = str_field(item, "folderId")
            .and_then(|id| folders.get(id))
            .map(|name| vec![(*name).to_owned()])
            .unwrap_or_default();
        add(
            &mut collector,
            totp,
            str_field(item, "name").unwrap_or_default(),
            str_field(login, "username").unwrap_or_default(),
            tags,
        );
    }
    collector.finish()
}

/// `login.totp` is an `otpauth://` URI, `steam://SECRET`, or a bare base32 secret (TOTP
/// defaults). Without names of their own, entries take the item name and login username.
fn add(collector: &mut Collector, totp: &str, item_name: &str, username: &str, tags: Vec<String>) {
    let totp = totp.trim();
    let is_uri = totp.contains("://");
    let parsed: Result<(String, String, OtpSecret, Otp), EntryError> = if is_uri {
        OtpUri::parse(totp)
            .map(|uri| (uri.issuer, uri.name, uri.secret, uri.otp))
            .map_err(|error| EntryError::from_uri(error, totp))
    } else {
        base32_secret(Some(totp))
            .map(|secret| (String::new(), String::new(), secret, Otp::DEFAULT_TOTP))
    };
    match parsed {
        Ok((issuer, name, secret, otp)) => {
            let (issuer, name) = if issuer.is_empty() && name.is_empty() {
                (item_name.to_owned(), username.to_owned())
            } else {
                (issuer, name)
            };
            collector.add(issuer, name, Ok((secret, otp)), tags);
        }
        Err(error) => collector.add(item_name.to_owned(), username.to_owned(), Err(error), tags),
    }
}

struct Keys {
    enc: Zeroizing<[u8; 32]>,
    mac: Zeroizing<[u8; 32]>,
}

fn derive_keys(value: &Value, password: &str) -> Result<Keys, ImportError> {
    // The salt string's UTF-8 bytes, not its base64 decoding (Bitwarden quirk).
    let salt = json::required_str(value, "salt", FORMAT)?.as_bytes();
    let iterations = json::required_u64(value, "kdfIterations", FORMAT)?;
    let master = match num(value, "kdfType") {
        Num::Value(0) => {
            crypto::pbkdf2(FORMAT, Prf::Sha256, password.as_bytes(), salt, iterations)?
        }
        Num::Value(1) => {
            let memory_mib = json::required_u64(value, "kdfMemory", FORMAT)?;
            let parallelism = json::required_u64(value, "kdfParallelism", FORMAT)?;
            let salt_hash = Sha256::digest(salt);
            crypto::argon2id(
                FORMAT,
                password.as_bytes(),
                &salt_hash,
                iterations,
                memory_mib.saturating_mul(1024),
                parallelism,
            )?
        }
        _ => return Err(INVALID),
    };
    let hkdf = hkdf::Hkdf::<Sha256>::from_prk(master.as_ref()).map_err(|_| INVALID)?;
    let mut keys = Keys {
        enc: Zeroizing::new([0; 32]),
        mac: Zeroizing::new([0; 32]),
    };
    hkdf.expand(b"enc", keys.enc.as_mut())
        .map_err(|_| INVALID)?;
    hkdf.expand(b"mac", keys.mac.as_mut())
        .map_err(|_| INVALID)?;
    Ok(keys)
}

impl Keys {
    /// Opens an EncString `2.iv|ct|mac`: the MAC is checked first, so a mismatch is a wrong
    /// password, and a padding failure after a good MAC is a damaged file.
    fn open(&self, enc_string: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
        let body = enc_string.strip_prefix("2.").ok_or(INVALID)?;
        let mut parts = body.split('|');
        let (Some(iv), Some(ciphertext), Some(mac), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(INVALID);
        };
        let iv = base64(iv).ok_or(INVALID)?;
        let ciphertext = base64(ciphertext).ok_or(INVALID)?;
        let mac = base64(mac).ok_or(INVALID)?;
        let mut check = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(self.mac.as_ref())
            .map_err(|_| INVALID)?;
        check.update(&iv);
        check.update(&ciphertext);
        check
            .verify_slice(&mac)
            .map_err(|_| ImportError::WrongPassword { format: FORMAT })?;
        cbc_open(self.enc.as_ref(), &iv, &ciphertext).ok_or(INVALID)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_forms_and_fallback_names() {
        let file = br#"{"encrypted":false,"folders":[{"id":"f","name":"2FA"}],"items":[
            {"type":1,"name":"Site","folderId":"f","login":{"username":"me","totp":"JBSWY3DPEHPK3PXP"}},
            {"type":1,"name":"Game","login":{"username":"player","totp":"steam://JBSWY3DPEHPK3PXP"}},
            {"type":1,"name":"Bare","login":{"username":"u","totp":"otpauth://totp/?secret=JBSWY3DPEHPK3PXP"}},
            {"type":1,"name":"NoTotp","login":{"username":"u","totp":null}},
            {"type":2,"name":"Note"},
            {"type":1,"name":"Bad","login":{"username":"b","totp":"not base32!"}}]}"#;
        let import = import(file, None).unwrap();
        let names: Vec<_> = import
            .entries
            .iter()
            .map(|e| (e.issuer.as_str(), e.name.as_str(), e.otp.kind_name()))
            .collect();
        assert_eq!(
            names,
            [
                ("Site", "me", "totp"),
                ("Game", "player", "steam"),
                ("Bare", "u", "totp")
            ]
        );
        assert_eq!(import.entries[0].tags, ["2FA"]);
        assert_eq!(import.problems.len(), 1);
        assert_eq!(import.problems[0].label, "Bad (b)");
    }

    #[test]
    fn csv_with_extra_fields_and_blank_lines() {
        let csv = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
            Work,,login,\"Quoted, name\",,,0,,alice,pw,JBSWY3DPEHPK3PXP,extra\n\
            \n\
            ,,login,NoTotp,,,0,,bob,pw,\n";
        let import = import_csv(csv.as_bytes()).unwrap();
        assert_eq!(import.entries.len(), 1);
        assert_eq!(import.entries[0].issuer, "Quoted, name");
        assert_eq!(import.entries[0].name, "alice");
        assert_eq!(import.entries[0].tags, ["Work"]);
    }

    #[test]
    fn account_restricted_and_absurd_kdf() {
        assert_eq!(
            import(
                br#"{"encrypted":true,"encKeyValidation_DO_NOT_EDIT":"2.a|b|c","data":"2.a|b|c"}"#,
                None
            )
            .unwrap_err(),
            ImportError::AccountRestricted
        );
        let argon = br#"{"encrypted":true,"passwordProtected":true,"salt":"s","kdfType":1,
            "kdfIterations":3,"kdfMemory":1048576,"kdfParallelism":4,
            "encKeyValidation_DO_NOT_EDIT":"2.a|b|c","data":"2.a|b|c"}"#;
        assert_eq!(
            import(argon, Some("pw")).unwrap_err(),
            ImportError::KdfTooExpensive { format: FORMAT }
        );
    }
}
