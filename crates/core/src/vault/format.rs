//! The vault file format: a pure codec over bytes (no IO, no crypto).
//!
//! ```text
//! offset size  field
//!      0    8  magic "TSRVAULT"
//!      8    2  format version, u16 little-endian (2; 1 is still read)
//!     10    4  header length H, u32 LE: bytes from offset 0 to the end of the key slots
//!     14   16  vault id (random, stable for the vault's life; names its keychain entry)
//!     30    8  generation, u64 LE: +1 on every write (lets other processes notice changes)
//!     38    1  number of key slots N (at most 8)
//!     39       N × { kind u8, length u16 LE, body }
//!      H       payload: nonce (12) || AES-256-GCM ciphertext || tag (16); the plaintext is
//!              MessagePack since version 2, JSON in version 1 (same fields, see `payload`)
//! ```
//!
//! The whole header (bytes 0..H) is the payload's associated data, so any change to the
//! version, id, generation or slots makes the payload fail to open.
//!
//! Slot bodies (a [`SlotWrap`] is recipient public key 32, ephemeral public key 32, nonce 12,
//! wrapped key 48):
//! - kind 1 keychain: keychain key id (16) || wrap
//! - kind 2 recovery: wrap
//! - kind 3 passphrase: Argon2id memory KiB u32, iterations u32, lanes u32, salt (16) || wrap
//!
//! Compatibility promise: every later Tessera reads versions 1 and 2 (a version 1 file is
//! rewritten as version 2 on its next save). Unknown slot kinds (from a newer Tessera) are carried
//! along unread; new payload fields need no version change at all.

use super::slots::{SlotWrap, WRAP_LEN};

/// The file magic.
pub(crate) const MAGIC: &[u8; 8] = b"TSRVAULT";
/// The format version this code writes.
pub(crate) const VERSION: u16 = 2;
/// The oldest format version this code reads.
const OLDEST_VERSION: u16 = 1;
/// Bytes before the slots.
const FIXED_LEN: usize = 8 + 2 + 4 + 16 + 8 + 1;
/// A header is a few hundred bytes; anything larger is damage, not data.
const MAX_HEADER_LEN: usize = 16 * 1024;
/// Most slots a header may hold.
pub(crate) const MAX_SLOTS: usize = 8;
/// Smallest possible payload: nonce + tag.
const MIN_BODY_LEN: usize = 12 + 16;

/// Bytes of a vault id.
pub(crate) const VAULT_ID_LEN: usize = 16;
/// Bytes of a keychain key id.
pub(crate) const KEY_ID_LEN: usize = 16;
/// Bytes of a passphrase salt.
pub(crate) const SALT_LEN: usize = 16;

const KIND_KEYCHAIN: u8 = 1;
const KIND_RECOVERY: u8 = 2;
const KIND_PASSPHRASE: u8 = 3;

/// Why bytes are not a readable vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormatError {
    /// No vault magic: some other file.
    NotAVault,
    /// Structure broken: truncated, lengths inconsistent.
    Malformed,
    /// Written by a newer format version this code cannot read.
    UnsupportedVersion(u16),
}

/// Argon2id parameters as stored; checked against caps only when the slot is used, so a damaged
/// passphrase slot never blocks the other ways in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoredKdf {
    pub(crate) memory_kib: u32,
    pub(crate) iterations: u32,
    pub(crate) parallelism: u32,
}

/// One key slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Slot {
    /// Unlocked by a secret kept in the OS keychain under a name built from the key id.
    Keychain {
        key_id: [u8; KEY_ID_LEN],
        wrap: SlotWrap,
    },
    /// Unlocked by a passphrase through Argon2id.
    Passphrase {
        kdf: StoredKdf,
        salt: [u8; SALT_LEN],
        wrap: SlotWrap,
    },
    /// Unlocked by the recovery key.
    Recovery { wrap: SlotWrap },
    /// A kind this version does not know; kept as is on ordinary writes.
    Unknown { kind: u8, body: Vec<u8> },
}

impl Slot {
    /// The kind byte.
    pub(crate) fn kind(&self) -> u8 {
        match self {
            Self::Keychain { .. } => KIND_KEYCHAIN,
            Self::Passphrase { .. } => KIND_PASSPHRASE,
            Self::Recovery { .. } => KIND_RECOVERY,
            Self::Unknown { kind, .. } => *kind,
        }
    }

    /// Binds a wrap to this vault and slot kind.
    pub(crate) fn context(vault_id: &[u8; VAULT_ID_LEN], kind: u8) -> [u8; VAULT_ID_LEN + 1] {
        let mut context = [0u8; VAULT_ID_LEN + 1];
        context[..VAULT_ID_LEN].copy_from_slice(vault_id);
        context[VAULT_ID_LEN] = kind;
        context
    }

    /// Kind byte of keychain slots.
    pub(crate) const KEYCHAIN: u8 = KIND_KEYCHAIN;
    /// Kind byte of passphrase slots.
    pub(crate) const PASSPHRASE: u8 = KIND_PASSPHRASE;
    /// Kind byte of recovery slots.
    pub(crate) const RECOVERY: u8 = KIND_RECOVERY;

    fn encode_body(&self, out: &mut Vec<u8>) {
        match self {
            Self::Keychain { key_id, wrap } => {
                out.extend_from_slice(key_id);
                wrap.encode(out);
            }
            Self::Passphrase { kdf, salt, wrap } => {
                out.extend_from_slice(&kdf.memory_kib.to_le_bytes());
                out.extend_from_slice(&kdf.iterations.to_le_bytes());
                out.extend_from_slice(&kdf.parallelism.to_le_bytes());
                out.extend_from_slice(salt);
                wrap.encode(out);
            }
            Self::Recovery { wrap } => wrap.encode(out),
            Self::Unknown { body, .. } => out.extend_from_slice(body),
        }
    }

    fn decode(kind: u8, body: &[u8]) -> Result<Self, FormatError> {
        let mut reader = Reader::new(body);
        let slot = match kind {
            KIND_KEYCHAIN => Self::Keychain {
                key_id: reader.array()?,
                wrap: reader.wrap()?,
            },
            KIND_PASSPHRASE => Self::Passphrase {
                kdf: StoredKdf {
                    memory_kib: reader.u32()?,
                    iterations: reader.u32()?,
                    parallelism: reader.u32()?,
                },
                salt: reader.array()?,
                wrap: reader.wrap()?,
            },
            KIND_RECOVERY => Self::Recovery {
                wrap: reader.wrap()?,
            },
            other => {
                return Ok(Self::Unknown {
                    kind: other,
                    body: body.to_vec(),
                });
            }
        };
        reader.finish()?;
        Ok(slot)
    }
}

/// The parsed header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) vault_id: [u8; VAULT_ID_LEN],
    pub(crate) generation: u64,
    pub(crate) slots: Vec<Slot>,
}

impl Header {
    /// The encoded header: the payload's associated data and the start of the file.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(FIXED_LEN + self.slots.len() * (WRAP_LEN + 40));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&[0; 4]); // header length, patched below
        out.extend_from_slice(&self.vault_id);
        out.extend_from_slice(&self.generation.to_le_bytes());
        // Callers build headers with at most MAX_SLOTS slots (a handful of known kinds).
        out.push(u8::try_from(self.slots.len()).unwrap_or(u8::MAX));
        for slot in &self.slots {
            out.push(slot.kind());
            let length_at = out.len();
            out.extend_from_slice(&[0; 2]);
            slot.encode_body(&mut out);
            let length = u16::try_from(out.len() - length_at - 2).unwrap_or(u16::MAX);
            out[length_at..length_at + 2].copy_from_slice(&length.to_le_bytes());
        }
        let total = u32::try_from(out.len()).unwrap_or(u32::MAX);
        out[10..14].copy_from_slice(&total.to_le_bytes());
        out
    }
}

/// A parsed file: the header, its exact bytes (the AAD) and the sealed payload.
#[derive(Debug)]
pub(crate) struct Parsed<'a> {
    /// The format version the file was written in (says how its payload is encoded).
    pub(crate) version: u16,
    pub(crate) header: Header,
    pub(crate) header_bytes: &'a [u8],
    pub(crate) body: &'a [u8],
}

/// Parses a whole vault file. Never panics, whatever the bytes.
pub(crate) fn decode(file: &[u8]) -> Result<Parsed<'_>, FormatError> {
    if file.len() < MAGIC.len() || &file[..MAGIC.len()] != MAGIC {
        return Err(FormatError::NotAVault);
    }
    let mut reader = Reader::new(&file[MAGIC.len()..]);
    let version = u16::from_le_bytes(reader.array()?);
    if !(OLDEST_VERSION..=VERSION).contains(&version) {
        return Err(if version > VERSION {
            FormatError::UnsupportedVersion(version)
        } else {
            FormatError::Malformed
        });
    }
    let header_len = usize::try_from(reader.u32()?).map_err(|_| FormatError::Malformed)?;
    if !(FIXED_LEN..=MAX_HEADER_LEN).contains(&header_len) || header_len > file.len() {
        return Err(FormatError::Malformed);
    }
    let (header_bytes, body) = file.split_at(header_len);
    if body.len() < MIN_BODY_LEN {
        return Err(FormatError::Malformed);
    }
    let mut reader = Reader::new(&header_bytes[MAGIC.len() + 6..]);
    let vault_id = reader.array()?;
    let generation = reader.u64()?;
    let slot_count = usize::from(reader.u8()?);
    if slot_count > MAX_SLOTS {
        return Err(FormatError::Malformed);
    }
    let mut slots = Vec::with_capacity(slot_count);
    for _ in 0..slot_count {
        let kind = reader.u8()?;
        let length = usize::from(u16::from_le_bytes(reader.array()?));
        slots.push(Slot::decode(kind, reader.take(length)?)?);
    }
    reader.finish()?;
    Ok(Parsed {
        version,
        header: Header {
            vault_id,
            generation,
            slots,
        },
        header_bytes,
        body,
    })
}

/// A bounds-checked cursor: every read returns `Malformed` instead of panicking.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    fn take(&mut self, count: usize) -> Result<&'a [u8], FormatError> {
        let (head, tail) = self
            .rest
            .split_at_checked(count)
            .ok_or(FormatError::Malformed)?;
        self.rest = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], FormatError> {
        self.take(N)?.try_into().map_err(|_| FormatError::Malformed)
    }

    fn u8(&mut self) -> Result<u8, FormatError> {
        Ok(self.array::<1>()?[0])
    }

    fn u32(&mut self) -> Result<u32, FormatError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, FormatError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn wrap(&mut self) -> Result<SlotWrap, FormatError> {
        SlotWrap::decode(self.take(WRAP_LEN)?).ok_or(FormatError::Malformed)
    }

    fn finish(self) -> Result<(), FormatError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(FormatError::Malformed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(seed: u8) -> SlotWrap {
        SlotWrap {
            recipient: [seed; 32],
            ephemeral: [seed.wrapping_add(1); 32],
            nonce: [seed.wrapping_add(2); 12],
            wrapped: [seed.wrapping_add(3); 48],
        }
    }

    fn sample_header() -> Header {
        Header {
            vault_id: [7; 16],
            generation: 42,
            slots: vec![
                Slot::Keychain {
                    key_id: [1; 16],
                    wrap: wrap(10),
                },
                Slot::Recovery { wrap: wrap(20) },
                Slot::Passphrase {
                    kdf: StoredKdf {
                        memory_kib: 65536,
                        iterations: 3,
                        parallelism: 1,
                    },
                    salt: [3; 16],
                    wrap: wrap(30),
                },
                Slot::Unknown {
                    kind: 200,
                    body: vec![9, 9, 9],
                },
            ],
        }
    }

    fn sample_file() -> Vec<u8> {
        let mut file = sample_header().encode();
        file.extend_from_slice(&[0xEE; 40]);
        file
    }

    #[test]
    fn header_round_trip() {
        let file = sample_file();
        let parsed = decode(&file).unwrap();
        assert_eq!(parsed.header, sample_header());
        assert_eq!(parsed.header_bytes, sample_header().encode().as_slice());
        assert_eq!(parsed.body, &[0xEE; 40]);
    }

    #[test]
    fn named_rejections() {
        let good = sample_file();
        let header_len = sample_header().encode().len();
        let mut newer = good.clone();
        newer[8] = 3;
        let mut older = good.clone();
        older[8] = 1;
        assert_eq!(
            decode(&older).unwrap().version,
            1,
            "version 1 is still read"
        );
        let mut zero_version = good.clone();
        zero_version[8] = 0;
        let mut too_many_slots = good.clone();
        too_many_slots[38] = 9;
        let mut slot_length_off = good.clone();
        slot_length_off[40] = slot_length_off[40].wrapping_add(1);
        let cases: [(&str, &[u8], FormatError); 7] = [
            ("empty", &[], FormatError::NotAVault),
            ("other file", b"PK\x03\x04 zip file", FormatError::NotAVault),
            ("magic only", MAGIC, FormatError::Malformed),
            ("newer version", &newer, FormatError::UnsupportedVersion(3)),
            ("version zero", &zero_version, FormatError::Malformed),
            ("too many slots", &too_many_slots, FormatError::Malformed),
            (
                "header without body",
                &good[..header_len + 27],
                FormatError::Malformed,
            ),
        ];
        for (name, bytes, expected) in cases {
            assert_eq!(decode(bytes).unwrap_err(), expected, "case {name}");
        }
        assert!(decode(&slot_length_off).is_err());
    }

    #[test]
    fn every_truncation_and_byte_flip_of_the_header_is_handled() {
        let good = sample_file();
        let header_len = sample_header().encode().len();
        for cut in 0..good.len() {
            // Truncations into the header fail; truncations of the body keep parsing (the AEAD
            // catches them) as long as nonce + tag still fit.
            let result = decode(&good[..cut]);
            if cut < header_len + MIN_BODY_LEN {
                assert!(result.is_err(), "cut at {cut}");
            }
        }
        for position in 0..header_len {
            for flip in [0x01u8, 0x80, 0xFF] {
                let mut bytes = good.clone();
                bytes[position] ^= flip;
                // Must not panic; a flip in a wrap or id still parses, and is caught by the AEAD.
                if let Ok(parsed) = decode(&bytes) {
                    assert_ne!(parsed.header_bytes, sample_header().encode().as_slice());
                }
            }
        }
    }
}
