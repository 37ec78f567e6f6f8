//! FreeOTP 2 backups (`externalBackup.xml`, formats.md §10): a Java-serialized
//! `HashMap<String, String>` holding a PBKDF2-protected master key and, per token, its
//! parameters as JSON and its secret encrypted with AES-GCM under the master key.
//!
//! Only the subset of the Java Object Serialization Stream Protocol that a serialized HashMap
//! of strings uses is read (Java SE "Object Serialization Stream Protocol" §6.4 grammar:
//! `newObject`, `newClassDesc`, `TC_STRING`/`TC_LONGSTRING`, `TC_REFERENCE`, block data); any
//! other construct is refused as a damaged file.

use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;
use tessera_core::OtpSecret;
use zeroize::Zeroizing;

use crate::crypto::{self, Prf, gcm_open};
use crate::entry::{Collector, EntryError};
use crate::freeotp_plus::{CounterStorage, names, token_otp};
use crate::json::{self, signed_bytes, str_field};
use crate::limits::{Limit, MAX_DECODED_BYTES, MAX_ENTRIES, MAX_FREEOTP_STRING_BYTES};
use crate::{Format, Import, ImportError};

const FORMAT: Format = Format::FreeOtp;
const INVALID: ImportError = ImportError::InvalidContainer { format: FORMAT };
const TRUNCATED: ImportError = ImportError::Truncated { format: FORMAT };
const TOKEN_SUFFIX: &str = "-token";

/// Imports a FreeOTP 2 backup; it is always encrypted, so `password` is required.
pub fn import(bytes: &[u8], password: Option<&str>) -> Result<Import, ImportError> {
    let map = read_hash_map(bytes)?;
    // Java's HashMap has unique keys; the first of a forged duplicate wins.
    let mut index: HashMap<&str, &str> = HashMap::new();
    for (key, value) in &map {
        index.entry(&**key).or_insert(&**value);
    }
    let lookup = |key: &str| index.get(key).copied();
    let master_json = json::parse(lookup("masterKey").ok_or(INVALID)?.as_bytes(), FORMAT)?;
    let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
    let master = unlock(&master_json.0, password)?;

    let mut collector = Collector::new(FORMAT);
    for (key, value) in &map {
        if collector.is_full() {
            break;
        }
        let Some(uuid) = key.strip_suffix(TOKEN_SUFFIX) else {
            continue;
        };
        let token = match json::parse(value.as_bytes(), FORMAT) {
            Ok(token) => token,
            Err(_) => {
                collector.problem(uuid.to_owned(), EntryError::Malformed);
                continue;
            }
        };
        let (issuer, name) = names(&token.0);
        let parsed = token_secret(lookup(uuid), &master).and_then(|secret| {
            token_otp(&token.0, &issuer, CounterStorage::AsIs).map(|otp| (secret, otp))
        });
        collector.add(issuer, name, parsed, Vec::new());
    }
    // An encrypted token key without its token's parameters is an account too: report it.
    // Other map entries (none in known backups) are not accounts.
    for (key, value) in &map {
        let orphan = &**key != "masterKey"
            && !key.ends_with(TOKEN_SUFFIX)
            && lookup(&format!("{key}{TOKEN_SUFFIX}")).is_none()
            && json::parse(value.as_bytes(), FORMAT).is_ok_and(|v| v.0.get("key").is_some());
        if orphan {
            collector.problem(key.to_string(), EntryError::Malformed);
        }
    }
    collector.finish()
}

/// Derives the password key and opens the master key (formats.md §10).
fn unlock(master: &Value, password: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let algorithm = json::required_str(master, "mAlgorithm", FORMAT)?.to_ascii_uppercase();
    let prf = if algorithm.ends_with("SHA512") {
        Prf::Sha512
    } else if algorithm.ends_with("SHA256") {
        Prf::Sha256
    } else if algorithm.ends_with("SHA1") {
        Prf::Sha1
    } else {
        return Err(INVALID);
    };
    let iterations = json::required_u64(master, "mIterations", FORMAT)?;
    let salt = master.get("mSalt").and_then(signed_bytes).ok_or(INVALID)?;
    let key = crypto::pbkdf2(FORMAT, prf, password.as_bytes(), &salt, iterations)?;
    let sealed = master.get("mEncryptedKey").ok_or(INVALID)?;
    let (nonce, ciphertext, aad) = encrypted_key(sealed).ok_or(INVALID)?;
    gcm_open(key.as_ref(), &nonce, &ciphertext, aad.as_bytes())
        .ok_or(ImportError::WrongPassword { format: FORMAT })
}

/// The secret of one token: its map value is `{"key": "<EncryptedKey JSON as a string>"}`.
fn token_secret(value: Option<&str>, master: &[u8]) -> Result<OtpSecret, EntryError> {
    let value = value.ok_or(EntryError::MissingSecret)?;
    let outer = json::parse(value.as_bytes(), FORMAT).map_err(|_| EntryError::Malformed)?;
    let inner = str_field(&outer.0, "key").ok_or(EntryError::Malformed)?;
    let sealed = json::parse(inner.as_bytes(), FORMAT).map_err(|_| EntryError::Malformed)?;
    let (nonce, ciphertext, aad) = encrypted_key(&sealed.0).ok_or(EntryError::Malformed)?;
    let secret =
        gcm_open(master, &nonce, &ciphertext, aad.as_bytes()).ok_or(EntryError::CannotDecrypt)?;
    if secret.is_empty() {
        return Err(EntryError::MissingSecret);
    }
    Ok(OtpSecret::from_slice(&secret))
}

/// `(nonce, ciphertext || tag, AAD)` of a FreeOTP `EncryptedKey`; the AAD is its `mToken`.
fn encrypted_key(value: &Value) -> Option<([u8; 12], Vec<u8>, String)> {
    let ciphertext = signed_bytes(value.get("mCipherText")?)?;
    let parameters = signed_bytes(value.get("mParameters")?)?;
    let token = str_field(value, "mToken")?.to_owned();
    Some((gcm_nonce(&parameters)?, ciphertext, token))
}

/// The nonce from the DER `mParameters`: a bare `OCTET STRING` (`04 0C ..`) or a
/// `GCMParameters` SEQUENCE (`30 11 04 0C .. 02 01 10`).
fn gcm_nonce(der: &[u8]) -> Option<[u8; 12]> {
    let octets = match der {
        [0x30, _, rest @ ..] => rest,
        other => other,
    };
    match octets {
        [0x04, 12, nonce @ ..] => nonce.get(..12)?.try_into().ok(),
        _ => None,
    }
}

// --- Java serialization (only what a HashMap<String, String> uses) ---

const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_STRING: u8 = 0x74;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_LONGSTRING: u8 = 0x7C;
const BASE_HANDLE: u32 = 0x7E_0000;

/// A decoded string, shared by every `TC_REFERENCE` to it (a reference never copies it).
type Shared = Rc<str>;

struct Reader<'a> {
    bytes: &'a [u8],
    /// Objects that later `TC_REFERENCE`s may point at: strings, or `None` for class
    /// descriptors and the map itself.
    handles: Vec<Option<Shared>>,
    /// Bytes of text the map's keys and values amount to, a reference counting as the string
    /// it names (capped at [`MAX_DECODED_BYTES`], so the importer's work on the map stays
    /// bounded however often one string is named).
    decoded: u64,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ImportError> {
        let (head, tail) = self.bytes.split_at_checked(n).ok_or(TRUNCATED)?;
        self.bytes = tail;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, ImportError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, ImportError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, ImportError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn expect(&mut self, byte: u8) -> Result<(), ImportError> {
        if self.u8()? == byte {
            Ok(())
        } else {
            Err(INVALID)
        }
    }

    /// A `utf` item: u16 length, then modified UTF-8.
    fn utf(&mut self) -> Result<String, ImportError> {
        let len = usize::from(self.u16()?);
        decode_modified_utf8(self.take(len)?)
    }

    /// A string object: new (short or long) or a reference to an earlier one.
    fn string(&mut self) -> Result<Shared, ImportError> {
        let text: Shared = match self.u8()? {
            TC_STRING => {
                let len = usize::from(self.u16()?);
                self.new_string(len)?
            }
            TC_LONGSTRING => {
                let len = self.take(8)?;
                let len = u64::from_be_bytes(len.try_into().map_err(|_| INVALID)?);
                if len > MAX_FREEOTP_STRING_BYTES {
                    return Err(limit(Limit::StringBytes));
                }
                self.new_string(usize::try_from(len).map_err(|_| TRUNCATED)?)?
            }
            TC_REFERENCE => {
                let handle = self.u32()?.checked_sub(BASE_HANDLE).ok_or(INVALID)?;
                let index = usize::try_from(handle).map_err(|_| INVALID)?;
                self.handles.get(index).cloned().flatten().ok_or(INVALID)?
            }
            _ => return Err(INVALID),
        };
        self.decoded = self.decoded.saturating_add(text.len() as u64);
        if self.decoded > MAX_DECODED_BYTES {
            return Err(limit(Limit::DecodedBytes));
        }
        Ok(text)
    }

    /// The next `len` bytes as a new string, registered as a handle.
    fn new_string(&mut self, len: usize) -> Result<Shared, ImportError> {
        if len as u64 > MAX_FREEOTP_STRING_BYTES {
            return Err(limit(Limit::StringBytes));
        }
        let text: Shared = decode_modified_utf8(self.take(len)?)?.into();
        self.handles.push(Some(Rc::clone(&text)));
        Ok(text)
    }
}

fn limit(limit: Limit) -> ImportError {
    ImportError::LimitExceeded {
        format: Some(FORMAT),
        limit,
    }
}

/// Reads the `(key, value)` pairs of a serialized `java.util.HashMap`, in stream order.
fn read_hash_map(bytes: &[u8]) -> Result<Vec<(Shared, Shared)>, ImportError> {
    let mut reader = Reader {
        bytes,
        handles: Vec::new(),
        decoded: 0,
    };
    if reader.take(4)? != [0xAC, 0xED, 0x00, 0x05] {
        return Err(INVALID);
    }
    reader.expect(TC_OBJECT)?;
    reader.expect(TC_CLASSDESC)?;
    if reader.utf()? != "java.util.HashMap" {
        return Err(INVALID);
    }
    reader.take(8)?; // serialVersionUID
    reader.take(1)?; // flags
    let field_count = reader.u16()?;
    reader.handles.push(None); // the class descriptor
    let mut values_len = 0usize;
    for _ in 0..field_count {
        let type_code = reader.u8()?;
        reader.utf()?;
        values_len += match type_code {
            b'B' | b'Z' => 1,
            b'C' | b'S' => 2,
            b'F' | b'I' => 4,
            b'D' | b'J' => 8,
            // HashMap's serializable fields are primitives (loadFactor, threshold).
            _ => return Err(INVALID),
        };
    }
    reader.expect(TC_ENDBLOCKDATA)?; // no class annotation
    reader.expect(TC_NULL)?; // no serializable superclass
    reader.handles.push(None); // the map object
    reader.take(values_len)?;
    // writeObject's block: capacity and size, then size key/value objects.
    reader.expect(TC_BLOCKDATA)?;
    if reader.u8()? != 8 {
        return Err(INVALID);
    }
    let _capacity = reader.u32()?;
    let size = reader.u32()?;
    // Two map entries per token (its parameters and its key) and the master key. The size is
    // never used to reserve memory: the map grows only as entries are actually read.
    if u64::from(size) > 2 * MAX_ENTRIES as u64 + 1 {
        return Err(limit(Limit::Entries));
    }
    let mut map = Vec::new();
    for _ in 0..size {
        let key = reader.string()?;
        let value = reader.string()?;
        map.push((key, value));
    }
    reader.expect(TC_ENDBLOCKDATA)?;
    Ok(map)
}

/// Java's modified UTF-8: UTF-8 over UTF-16 code units, with NUL as `C0 80`.
fn decode_modified_utf8(bytes: &[u8]) -> Result<String, ImportError> {
    let mut units = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let continuation = |b: Option<&u8>| match b {
        Some(b) if b & 0xC0 == 0x80 => Ok(u16::from(b & 0x3F)),
        _ => Err(INVALID),
    };
    while let Some(&b) = bytes.get(i) {
        let (unit, len) = if b & 0x80 == 0 {
            (u16::from(b), 1)
        } else if b & 0xE0 == 0xC0 {
            (
                (u16::from(b & 0x1F) << 6) | continuation(bytes.get(i + 1))?,
                2,
            )
        } else if b & 0xF0 == 0xE0 {
            (
                (u16::from(b & 0x0F) << 12)
                    | (continuation(bytes.get(i + 1))? << 6)
                    | continuation(bytes.get(i + 2))?,
                3,
            )
        } else {
            return Err(INVALID);
        };
        units.push(unit);
        i += len;
    }
    String::from_utf16(&units).map_err(|_| INVALID)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_forms() {
        let nonce: Vec<u8> = (1..=12).collect();
        let bare = [&[0x04, 12][..], &nonce].concat();
        let sequence = [&[0x30, 0x11, 0x04, 12][..], &nonce, &[0x02, 0x01, 0x10]].concat();
        assert_eq!(gcm_nonce(&bare).map(|n| n.to_vec()), Some(nonce.clone()));
        assert_eq!(gcm_nonce(&sequence).map(|n| n.to_vec()), Some(nonce));
        assert_eq!(gcm_nonce(&[0x04, 12, 1, 2]), None);
        assert_eq!(gcm_nonce(&[]), None);
    }

    #[test]
    fn modified_utf8() {
        assert_eq!(decode_modified_utf8(b"abc").unwrap(), "abc");
        assert_eq!(decode_modified_utf8(&[0xC0, 0x80]).unwrap(), "\0");
        assert_eq!(decode_modified_utf8("é€".as_bytes()).unwrap(), "é€");
        // A supplementary character as a CESU-8 surrogate pair.
        assert_eq!(
            decode_modified_utf8(&[0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80]).unwrap(),
            "\u{1F600}"
        );
        assert!(decode_modified_utf8(&[0xC3]).is_err());
        assert!(decode_modified_utf8(&[0xED, 0xA0, 0xBD]).is_err());
    }

    #[test]
    fn map_reader_refuses_other_streams() {
        assert_eq!(read_hash_map(b"\xAC\xED\x00\x05").unwrap_err(), TRUNCATED);
        assert_eq!(
            read_hash_map(b"\xAC\xED\x00\x05\x74\x00\x00").unwrap_err(),
            INVALID
        );
        let mut other_class = b"\xAC\xED\x00\x05\x73\x72\x00\x03Foo".to_vec();
        other_class.extend_from_slice(&[0; 16]);
        assert_eq!(read_hash_map(&other_class).unwrap_err(), INVALID);
    }
}
