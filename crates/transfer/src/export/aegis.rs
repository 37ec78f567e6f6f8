//! Aegis vault JSON (formats.md §5), plain or encrypted, database version 3: what Aegis 2.x and
//! 3.x write and read (`VaultEntry.toJson`, `PasswordSlot.toJson` in beemdevelopment/Aegis).
//!
//! Tags become Aegis groups (one group per distinct tag, in first-seen order; an empty tag has no
//! meaning as a group and is left out). Entry UUIDs are the accounts' Tessera ids, so exporting
//! twice gives the same entry ids. Tessera's icon hints are names of built-in icons, not image
//! data, so `icon` is null. HOTP counters above 2^63-1 are written exactly but Aegis, which reads
//! them as a Java `long`, would refuse them; no real counter gets there.

use serde_json::{Map, Value, json};
use tessera_core::{Account, Otp};
use zeroize::Zeroizing;

use super::{ExportError, SecretBuf};
use crate::crypto;
use crate::json::Json;
use crate::limits;

/// scrypt cost of an encrypted Aegis export's password slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AegisKdf {
    log_n: u8,
    r: u32,
    p: u32,
}

impl AegisKdf {
    /// What Aegis itself writes: N = 2^15, r = 8, p = 1 (32 MiB, about a second on a phone).
    pub const AEGIS: AegisKdf = AegisKdf {
        log_n: 15,
        r: 8,
        p: 1,
    };

    /// Checked constructor: N = 2^`log_n`. `None` for values scrypt refuses or that exceed what
    /// the importers accept (`limits::MAX_SCRYPT_MEMORY`, `limits::MAX_SCRYPT_PARALLELISM`), so
    /// every export opens again. Lower costs than [`AegisKdf::AEGIS`] are for tests.
    pub fn new(log_n: u8, r: u32, p: u32) -> Option<Self> {
        if !(1..64).contains(&log_n) || r == 0 || p == 0 {
            return None;
        }
        let memory = 128u64
            .checked_mul(1u64 << log_n)?
            .checked_mul(u64::from(r))?;
        if memory > limits::MAX_SCRYPT_MEMORY || u64::from(p) > limits::MAX_SCRYPT_PARALLELISM {
            return None;
        }
        scrypt::Params::new(log_n, r, p).ok()?;
        Some(Self { log_n, r, p })
    }

    /// N, as Aegis stores it (the number, not its logarithm).
    pub fn n(&self) -> u64 {
        1u64 << self.log_n
    }

    /// Block size r.
    pub fn r(&self) -> u32 {
        self.r
    }

    /// Parallelism p.
    pub fn p(&self) -> u32 {
        self.p
    }
}

impl Default for AegisKdf {
    fn default() -> Self {
        Self::AEGIS
    }
}

/// An Aegis vault file in plain text: `header.slots` and `header.params` null, the database
/// (version 3) as a JSON object. Anyone who reads the file has the secrets.
pub fn aegis_plain(accounts: &[Account]) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    let mut db = database(accounts)?;
    // Moved into the file document, which wipes it on drop like `db` would have.
    let file = Json(json!({
        "version": 1,
        "header": { "slots": null, "params": null },
        "db": std::mem::take(&mut db.0),
    }));
    to_bytes(&file, accounts.len())
}

/// An Aegis vault file encrypted with `password`: a random 256-bit master key encrypts the
/// database (AES-256-GCM, fresh 96-bit nonce, no AAD); one password slot wraps the master key
/// under scrypt(`password`, fresh 256-bit salt, `kdf`) with its own fresh nonce.
pub fn aegis_encrypted(
    accounts: &[Account],
    password: &str,
    kdf: AegisKdf,
) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    if password.is_empty() {
        return Err(ExportError::EmptyPassword);
    }
    let master = crypto::random::<32>().ok_or(ExportError::NoRandomness)?;
    let salt = crypto::random::<32>().ok_or(ExportError::NoRandomness)?;
    let slot_nonce = crypto::random::<12>().ok_or(ExportError::NoRandomness)?;
    let db_nonce = crypto::random::<12>().ok_or(ExportError::NoRandomness)?;
    let slot_uuid = make_uuid()?;

    let derived = crypto::scrypt(
        crate::Format::Aegis,
        password.as_bytes(),
        salt.as_ref(),
        kdf.n(),
        u64::from(kdf.r),
        u64::from(kdf.p),
    )
    .map_err(|_| ExportError::InvalidKdfParams)?;
    let mut wrapped = Zeroizing::new(*master);
    let key_tag = crypto::gcm_seal_in_place(&derived, &slot_nonce, wrapped.as_mut_slice())
        .ok_or(ExportError::Encryption)?;

    let db = database(accounts)?;
    let mut sealed = serialize(&db, accounts.len())?;
    drop(db);
    let db_tag = crypto::gcm_seal_in_place(&master, &db_nonce, sealed.as_mut_slice())
        .ok_or(ExportError::Encryption)?;
    // After sealing, `sealed` holds ciphertext only: safe to encode as it is.
    let sealed = sealed.into_inner();

    let hex = |bytes: &[u8]| data_encoding::HEXLOWER.encode(bytes);
    let file = Json(json!({
        "version": 1,
        "header": {
            "slots": [{
                "type": 1,
                "uuid": slot_uuid,
                "key": hex(wrapped.as_ref()),
                "key_params": { "nonce": hex(slot_nonce.as_ref()), "tag": hex(&key_tag) },
                "n": kdf.n(),
                "r": kdf.r,
                "p": kdf.p,
                "salt": hex(salt.as_ref()),
                "repaired": true,
                "is_backup": false,
            }],
            "params": { "nonce": hex(db_nonce.as_ref()), "tag": hex(&db_tag) },
        },
        "db": data_encoding::BASE64.encode(&sealed),
    }));
    to_bytes(&file, 0)
}

/// The database object, version 3. Its secret strings are wiped when the [`Json`] drops.
fn database(accounts: &[Account]) -> Result<Json, ExportError> {
    // (tag, group uuid), in first-seen order.
    let mut groups: Vec<(&str, String)> = Vec::new();
    let mut entries = Vec::with_capacity(accounts.len());
    for account in accounts {
        let mut entry_groups: Vec<Value> = Vec::new();
        for tag in account.tags.iter().filter(|tag| !tag.is_empty()) {
            let id = match groups.iter().find(|(name, _)| name == tag) {
                Some((_, id)) => id.clone(),
                None => {
                    let id = make_uuid()?;
                    groups.push((tag, id.clone()));
                    id
                }
            };
            let id = Value::String(id);
            if !entry_groups.contains(&id) {
                entry_groups.push(id);
            }
        }
        entries.push(entry(account, entry_groups));
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(name, id)| json!({ "uuid": id, "name": name }))
        .collect();
    Ok(Json(json!({
        "version": 3,
        "entries": entries,
        "groups": groups,
        "icons_optimized": true,
    })))
}

fn entry(account: &Account, groups: Vec<Value>) -> Value {
    let mut base32 = account.secret.to_base32();
    // Moved, not copied, into the document, which wipes it on drop.
    let secret = Value::String(std::mem::take(&mut *base32));
    let mut info = Map::new();
    info.insert("secret".into(), secret);
    match account.otp {
        Otp::Hotp {
            algorithm,
            digits,
            counter,
        } => {
            info.insert("algo".into(), algorithm.as_str().into());
            info.insert("digits".into(), digits.get().into());
            info.insert("counter".into(), counter.into());
        }
        Otp::Steam => {
            info.insert("algo".into(), "SHA1".into());
            info.insert("digits".into(), 5.into());
            info.insert("period".into(), 30.into());
        }
        Otp::Totp {
            algorithm,
            digits,
            period,
        } => {
            info.insert("algo".into(), algorithm.as_str().into());
            info.insert("digits".into(), digits.get().into());
            info.insert("period".into(), period.get().into());
        }
    }
    json!({
        "type": account.otp.kind_name(),
        "uuid": account.id.to_string(),
        "name": account.name,
        "issuer": account.issuer,
        "note": "",
        "favorite": false,
        "icon": null,
        "icon_mime": null,
        "icon_hash": null,
        "info": Value::Object(info),
        "groups": groups,
    })
}

/// A fresh random (version 4) UUID in its hyphenated text form.
fn make_uuid() -> Result<String, ExportError> {
    let bytes = crypto::random::<16>().ok_or(ExportError::NoRandomness)?;
    Ok(uuid_text(&bytes))
}

/// The version 4 UUID made of `bytes`, hyphenated.
fn uuid_text(bytes: &[u8; 16]) -> String {
    uuid::Builder::from_random_bytes(*bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// Compact JSON of `document` in a wiping buffer sized for `accounts` entries.
fn serialize(document: &Json, accounts: usize) -> Result<SecretBuf, ExportError> {
    let mut buffer =
        SecretBuf::with_capacity(512usize.saturating_add(accounts.saturating_mul(320)));
    serde_json::to_writer(&mut buffer, &document.0).map_err(|_| ExportError::Encoding)?;
    Ok(buffer)
}

fn to_bytes(document: &Json, accounts: usize) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    Ok(serialize(document, accounts)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kdf_parameters_are_checked() {
        assert_eq!(AegisKdf::default(), AegisKdf::AEGIS);
        assert_eq!(AegisKdf::AEGIS.n(), 32768);
        assert!(AegisKdf::new(4, 8, 1).is_some());
        assert!(AegisKdf::new(0, 8, 1).is_none());
        assert!(AegisKdf::new(15, 0, 1).is_none());
        assert!(AegisKdf::new(15, 8, 0).is_none());
        // 128 · 2^21 · 8 = 2 GiB: more than the importer accepts.
        assert!(AegisKdf::new(21, 8, 1).is_none());
        assert!(AegisKdf::new(10, 8, 17).is_none());
        assert!(AegisKdf::new(63, 1, 1).is_none());
    }

    #[test]
    fn uuids_are_version_4() {
        let id = uuid_text(&[0xFF; 16]);
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }
}
