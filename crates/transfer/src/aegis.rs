//! Aegis vault JSON (formats.md §5): plain, or encrypted with password slots (scrypt, then
//! AES-256-GCM key wrap and payload), database versions 1 to 3.

use std::collections::HashMap;

use serde_json::Value;
use zeroize::Zeroizing;

use crate::crypto::{self, base64, gcm_open, hex};
use crate::entry::Num;
use crate::entry::{Collector, EntryError, Kind, Params, base32_secret};
use crate::json::{self, num, str_field, text};
use crate::limits::{KdfLimit, MAX_PASSWORD_SLOTS};
use crate::{Format, Import, ImportError};

const FORMAT: Format = Format::Aegis;
const INVALID: ImportError = ImportError::InvalidContainer { format: FORMAT };

/// Imports an Aegis vault export, plain or encrypted.
pub fn import(bytes: &[u8], password: Option<&str>) -> Result<Import, ImportError> {
    let json = json::parse(bytes, FORMAT)?;
    from_json(&json.0, password)
}

pub(crate) fn from_json(value: &Value, password: Option<&str>) -> Result<Import, ImportError> {
    let db = value.get("db").ok_or(INVALID)?;
    match db {
        Value::Object(_) => read_db(db),
        Value::String(sealed) => {
            let header = value.get("header").ok_or(INVALID)?;
            // Before the password is even asked: a file that could never be opened in reasonable
            // time is refused at once.
            let slots = password_slots(header)?;
            let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
            crypto::plan(FORMAT, slots_work(&slots, password)?)?;
            let master = unlock(&slots, password)?;
            let params = header.get("params").ok_or(INVALID)?;
            let nonce = hex_field(params, "nonce")?;
            let tag = hex_field(params, "tag")?;
            let mut sealed = base64(sealed).ok_or(INVALID)?;
            sealed.extend_from_slice(&tag);
            // The slot verified, so a failing payload tag means a damaged file, not a password.
            let plain = gcm_open(master.as_ref(), &nonce, &sealed, b"").ok_or(INVALID)?;
            let db = json::parse(&plain, FORMAT)?;
            read_db(&db.0)
        }
        _ => Err(INVALID),
    }
}

fn hex_field(value: &Value, key: &str) -> Result<Vec<u8>, ImportError> {
    str_field(value, key).and_then(hex).ok_or(INVALID)
}

/// The password slots of the header (the ones a password can open; there may be none), at
/// most [`MAX_PASSWORD_SLOTS`], each with scrypt parameters within the per-derivation caps.
fn password_slots(header: &Value) -> Result<Vec<&Value>, ImportError> {
    let slots = header
        .get("slots")
        .and_then(Value::as_array)
        .ok_or(INVALID)?;
    let password_slots: Vec<&Value> = slots
        .iter()
        .filter(|slot| num(slot, "type") == Num::Value(1))
        .collect();
    if password_slots.len() > MAX_PASSWORD_SLOTS {
        return Err(ImportError::KdfBudgetExceeded {
            format: FORMAT,
            limit: KdfLimit::PasswordSlots,
        });
    }
    for slot in &password_slots {
        let (n, r, p) = scrypt_params(slot)?;
        crypto::check_scrypt(FORMAT, n, r, p)?;
    }
    Ok(password_slots)
}

fn scrypt_params(slot: &Value) -> Result<(u64, u64, u64), ImportError> {
    Ok((
        json::required_u64(slot, "n", FORMAT)?,
        json::required_u64(slot, "r", FORMAT)?,
        json::required_u64(slot, "p", FORMAT)?,
    ))
}

/// The key-derivation work a wrong `password` costs: every slot, twice for the slots that
/// also try the pre-#95 encoding.
fn slots_work(slots: &[&Value], password: &str) -> Result<u64, ImportError> {
    let legacy = legacy_password(password).is_some();
    let mut total = 0u64;
    for slot in slots {
        let (n, r, p) = scrypt_params(slot)?;
        let tries = if legacy && !is_repaired(slot) { 2 } else { 1 };
        total = total.saturating_add(crypto::scrypt_work(n, r, p).saturating_mul(tries));
    }
    Ok(total)
}

fn is_repaired(slot: &Value) -> bool {
    slot.get("repaired").and_then(Value::as_bool) == Some(true)
}

/// Opens the master key with the first password slot whose tag verifies.
fn unlock(password_slots: &[&Value], password: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    if password_slots.is_empty() {
        // Only raw or biometric slots: the key never leaves the phone's keystore.
        return Err(INVALID);
    }
    for slot in password_slots {
        let salt = hex_field(slot, "salt")?;
        let (n, r, p) = scrypt_params(slot)?;
        let key = crypto::scrypt(FORMAT, password.as_bytes(), &salt, n, r, p)?;
        let params = slot.get("key_params").ok_or(INVALID)?;
        let nonce = hex_field(params, "nonce")?;
        let mut wrapped = hex_field(slot, "key")?;
        wrapped.extend_from_slice(&hex_field(params, "tag")?);
        if let Some(master) = gcm_open(key.as_ref(), &nonce, &wrapped, b"") {
            return Ok(master);
        }
        // Slots from before Aegis fixed issue #95 derived from Java's whole encoder buffer.
        if let Some(legacy) = (!is_repaired(slot))
            .then(|| legacy_password(password))
            .flatten()
        {
            let key = crypto::scrypt(FORMAT, &legacy, &salt, n, r, p)?;
            if let Some(master) = gcm_open(key.as_ref(), &nonce, &wrapped, b"") {
                return Ok(master);
            }
        }
    }
    Err(ImportError::WrongPassword { format: FORMAT })
}

/// The bytes old Aegis versions fed to scrypt (issue #95): the backing array of Java's
/// `CharsetEncoder.encode`, which starts at `(int)(chars * 1.1)` bytes for UTF-8, grows to
/// `2n + 1` while too small, and keeps its unused tail as zeros. `None` when there is no tail.
fn legacy_password(password: &str) -> Option<Zeroizing<Vec<u8>>> {
    let units = password.encode_utf16().count();
    let used = password.len();
    // (int)(units * 1.1f) without floating point: units * 11 / 10, rounded down.
    let mut capacity = units.checked_mul(11)? / 10;
    while capacity < used {
        capacity = capacity.checked_mul(2)?.checked_add(1)?;
    }
    (capacity > used).then(|| {
        let mut bytes = Zeroizing::new(Vec::with_capacity(capacity));
        bytes.extend_from_slice(password.as_bytes());
        bytes.resize(capacity, 0);
        bytes
    })
}

fn read_db(db: &Value) -> Result<Import, ImportError> {
    match num(db, "version") {
        Num::Value(1..=3) => {}
        Num::Value(_) => {
            return Err(ImportError::UnsupportedVersion { format: FORMAT });
        }
        _ => return Err(INVALID),
    }
    let entries = db.get("entries").and_then(Value::as_array).ok_or(INVALID)?;
    // v3: entries list group UUIDs, resolved through the db's `groups`.
    let groups: HashMap<&str, &str> = db
        .get("groups")
        .and_then(Value::as_array)
        .map(|groups| {
            groups
                .iter()
                .filter_map(|g| Some((str_field(g, "uuid")?, str_field(g, "name")?)))
                .collect()
        })
        .unwrap_or_default();
    let mut collector = Collector::new(FORMAT);
    for entry in entries {
        let mut tags = Vec::new();
        // v2: one group name per entry.
        if let Some(group) = str_field(entry, "group").filter(|g| !g.is_empty()) {
            tags.push(group.to_owned());
        }
        for uuid in json::strings(entry, "groups") {
            if let Some(name) = groups.get(uuid.as_str()) {
                tags.push((*name).to_owned());
            }
        }
        collector.add(
            text(entry, "issuer"),
            text(entry, "name"),
            read_entry(entry),
            tags,
        );
    }
    collector.finish()
}

fn read_entry(entry: &Value) -> Result<(tessera_core::OtpSecret, tessera_core::Otp), EntryError> {
    let kind = Kind::parse(str_field(entry, "type").ok_or(EntryError::Malformed)?)?;
    let info = entry.get("info").ok_or(EntryError::Malformed)?;
    let params = Params {
        algorithm: str_field(info, "algo"),
        digits: num(info, "digits"),
        period: num(info, "period"),
        counter: num(info, "counter"),
        ..Params::new(kind)
    };
    let otp = params.otp()?;
    let secret = base32_secret(str_field(info, "secret"))?;
    Ok((secret, otp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(entries: &str, version: u32) -> String {
        format!(
            r#"{{"version":1,"header":{{"slots":null,"params":null}},"db":{{"version":{version},
            "entries":[{entries}],"groups":[{{"uuid":"g1","name":"Work"}}]}}}}"#
        )
    }

    #[test]
    fn other_types_and_invalid_entries_are_reported_in_place() {
        let entry = |kind: &str, name: &str, info: &str| {
            format!(
                r#"{{"type":"{kind}","name":"{name}","issuer":"I","groups":["g1"],
                "info":{{"secret":"JBSWY3DPEHPK3PXP",{info}}}}}"#
            )
        };
        let entries = [
            entry("totp", "ok", r#""algo":"SHA1","digits":6,"period":30"#),
            entry(
                "motp",
                "m",
                r#""algo":"MD5","digits":6,"period":10,"pin":"1234""#,
            ),
            entry(
                "yandex",
                "y",
                r#""algo":"SHA256","digits":8,"period":30,"pin":"1""#,
            ),
            entry("totp", "d0", r#""algo":"SHA1","digits":0,"period":30"#),
            entry("totp", "p0", r#""algo":"SHA1","digits":6,"period":0"#),
            entry("hotp", "h", r#""algo":"SHA512","digits":8,"counter":5"#),
            entry("steam", "s", r#""algo":"SHA1","digits":5,"period":30"#),
            entry("xotp", "x", r#""digits":6"#),
        ]
        .join(",");
        let import = import(db(&entries, 3).as_bytes(), None).unwrap();
        assert_eq!(import.entries.len(), 3);
        assert_eq!(import.entries[0].tags, ["Work"]);
        assert_eq!(
            import
                .entries
                .iter()
                .map(|e| e.position)
                .collect::<Vec<_>>(),
            [0, 5, 6]
        );
        let problems: Vec<_> = import
            .problems
            .iter()
            .map(|p| (p.label.as_str(), p.error.code(), p.is_unsupported()))
            .collect();
        assert_eq!(
            problems,
            [
                ("I (m)", "unsupported_type", true),
                ("I (y)", "unsupported_type", true),
                ("I (d0)", "invalid_digits", false),
                ("I (p0)", "invalid_period", false),
                ("I (x)", "unknown_type", false),
            ]
        );
    }

    #[test]
    fn legacy_password_padding() {
        assert!(legacy_password("test").is_none());
        assert!(legacy_password("123456789").is_none());
        assert_eq!(
            legacy_password("1234567890").unwrap().as_slice(),
            b"1234567890\0"
        );
        assert_eq!(legacy_password(&"a".repeat(25)).unwrap().len(), 27);
        // 3 chars of 2 bytes: capacity 3, grown to 7 for 6 bytes.
        assert_eq!(legacy_password("äöü").unwrap().len(), 7);
    }

    #[test]
    fn container_errors() {
        assert_eq!(
            import(db("", 9).as_bytes(), None).unwrap_err(),
            ImportError::UnsupportedVersion { format: FORMAT }
        );
        let encrypted = r#"{"version":1,"header":{"slots":[],"params":{}},"db":"AAAA"}"#;
        assert_eq!(
            import(encrypted.as_bytes(), None).unwrap_err(),
            ImportError::PasswordRequired { format: FORMAT }
        );
        assert_eq!(
            import(encrypted.as_bytes(), Some("pw")).unwrap_err(),
            INVALID
        );
        let absurd = r#"{"version":1,"header":{"slots":[{"type":1,"n":1099511627776,"r":8,"p":1,
            "salt":"00","key":"00","key_params":{"nonce":"00","tag":"00"}}],"params":{}},"db":"AAAA"}"#;
        assert_eq!(
            import(absurd.as_bytes(), Some("pw")).unwrap_err(),
            ImportError::KdfTooExpensive { format: FORMAT }
        );
    }
}
