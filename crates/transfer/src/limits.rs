//! Every cap the importers apply to what a file asks for, in one place.
//!
//! An export file is untrusted input: it may come from anywhere, and the app reads it as soon
//! as it is dropped on the window, before any password is asked. Each cap below is far above
//! what any real export needs (the reason is noted beside it) and far below what would make an
//! import hang or exhaust memory. A file beyond a cap is refused with a typed error
//! ([`crate::ImportError::LimitExceeded`], [`crate::ImportError::KdfTooExpensive`] or
//! [`crate::ImportError::KdfBudgetExceeded`]) before the costly work starts; nothing is
//! imported.
//!
//! The Tessera-backup reader's Argon2 caps live with the vault format, in
//! `tessera_core::vault::KdfParams` (`MAX_MEMORY_KIB`, `MAX_ITERATIONS`, `MAX_WORK_KIB`).

use std::fmt;

// --- Input size and shape ---

/// Bytes of one input file. The largest real exports are a few hundred KiB (an Aegis vault
/// with a thousand embedded icons stays under 20 MiB); a bigger file is refused before it is
/// read into memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Accounts and reported problems in one import (all files of one import together). Heavy
/// users have a few hundred accounts; 2FAS and Aegis users with a thousand are rare. Each entry
/// costs a few hundred bytes and a row in the preview.
pub const MAX_ENTRIES: usize = 10_000;

/// Bytes of text a decoder may produce from one file, counting every copy a format's
/// back-references would make (FreeOTP's Java serialization can name one string many times).
/// Real FreeOTP backups decode to a few KiB per token; 64 MiB is the input cap again, so a
/// file can never decode to more than it could have spelled out.
pub const MAX_DECODED_BYTES: u64 = MAX_FILE_BYTES;

/// Bytes of one string inside a FreeOTP backup (a key name, a token's JSON, the master key's
/// JSON). Real ones are under 1 KiB; 1 MiB leaves room for a token with an embedded image.
pub const MAX_FREEOTP_STRING_BYTES: u64 = 1024 * 1024;

/// JSON nesting depth (objects and arrays inside each other). Real exports nest at most 6
/// deep (Bitwarden: items → login → fido2 credentials); serde_json itself stops at 128, but
/// only after building what it read.
pub const MAX_JSON_DEPTH: usize = 64;

/// JSON objects and arrays in one document. A parsed object costs up to ~700 bytes however
/// small its text (`{"a":0}` is 7 bytes), so a file of tiny objects would expand 100-fold in
/// memory. Real exports hold about 5 per account: 200,000 allows 40,000 accounts, and bounds
/// the parsed containers to ~140 MiB.
pub const MAX_JSON_CONTAINERS: u64 = 200_000;

/// JSON values of any kind in one document (counted as items of arrays and objects). Each
/// costs 32 bytes or more once parsed, from 2 bytes of text (`0,`). Real exports hold about 20
/// per account: 1,000,000 allows 50,000 accounts.
pub const MAX_JSON_VALUES: u64 = 1_000_000;

// --- Key derivation: one derivation ---

/// PBKDF2 iterations of one derivation. Bitwarden allows up to 2,000,000; Aegis refuses andOTP
/// files above 10,000,000 (about 5 s here).
pub const MAX_PBKDF2_ITERATIONS: u64 = 10_000_000;
/// Argon2 memory of one derivation, in KiB: 1 GiB. Ente writes 1 GiB at most (libsodium's
/// "sensitive" limit, halved on small phones down to 128 MiB), Stratum 1 GiB, Bitwarden at
/// most 1 GiB.
pub const MAX_ARGON2_MEMORY_KIB: u64 = 1024 * 1024;
/// Argon2 passes. Ente doubles from 4 as it halves memory (256 MiB × 16); Bitwarden allows 10.
pub const MAX_ARGON2_ITERATIONS: u64 = 1024;
/// Argon2 memory × passes, in KiB: 8 GiB of memory traffic (Ente's 1 GiB × 4, 512 MiB × 8 and
/// 256 MiB × 16 are all 4 GiB).
pub const MAX_ARGON2_WORK_KIB: u64 = 8 * 1024 * 1024;
/// Argon2 lanes (Bitwarden allows 16).
pub const MAX_ARGON2_PARALLELISM: u64 = 16;
/// scrypt memory of one derivation, 128·N·r bytes: 256 MiB. Aegis always writes N = 2^15,
/// r = 8 (32 MiB); the only other scrypt user would be a hand-made file.
pub const MAX_SCRYPT_MEMORY: u64 = 256 * 1024 * 1024;
/// scrypt p (Aegis writes 1).
pub const MAX_SCRYPT_PARALLELISM: u64 = 16;

// --- Key derivation: the whole file ---

/// Password slots one file may ask Tessera to try. Aegis writes one password slot (plus
/// biometric ones, which are never tried); a few more leave room for hand-edited vaults.
pub const MAX_PASSWORD_SLOTS: usize = 8;

/// Key-derivation work of one import, summed over every derivation it may run (all slots that
/// would be tried, both Aegis password encodings, every maFile of a Steam folder, every file of
/// one import), in KiB of memory traffic: Argon2 memory × passes, scrypt 128·N·r·p × 2 (it
/// writes then reads its memory), and one KiB per four PBKDF2 iterations (an HMAC iteration
/// costs roughly a quarter of an Argon2 1 KiB block). 8 GiB, the one-derivation Argon2 cap:
/// an Ente export at libsodium's "sensitive" cost (4 GiB) runs, as does a Bitwarden export at
/// its maximum PBKDF2 (2 M iterations) or a Steam folder of 600 encrypted maFiles (50,000
/// iterations each); Aegis' own 32 MiB slot is 64 MiB. A file asking for more is refused
/// before its first derivation.
pub const MAX_KDF_WORK_KIB: u64 = 8 * 1024 * 1024;

/// Which cap a file exceeded, for [`crate::ImportError::LimitExceeded`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// [`MAX_FILE_BYTES`].
    FileBytes,
    /// [`MAX_ENTRIES`].
    Entries,
    /// [`MAX_DECODED_BYTES`].
    DecodedBytes,
    /// [`MAX_FREEOTP_STRING_BYTES`].
    StringBytes,
    /// [`MAX_JSON_DEPTH`].
    Nesting,
    /// [`MAX_JSON_CONTAINERS`].
    JsonContainers,
    /// [`MAX_JSON_VALUES`].
    JsonValues,
    /// The QR reader's image caps ([`tessera_qr::MAX_SIDE`], [`tessera_qr::MAX_PIXELS`] and its
    /// decoder memory), checked from the image's header before any pixel is decoded.
    ImagePixels,
}

impl Limit {
    /// Stable snake_case name of the limit, for UIs, scripts and logs.
    pub fn code(self) -> &'static str {
        match self {
            Self::FileBytes => "max_file_bytes",
            Self::Entries => "max_entries",
            Self::DecodedBytes => "max_decoded_bytes",
            Self::StringBytes => "max_string_bytes",
            Self::Nesting => "max_nesting",
            Self::JsonContainers => "max_json_containers",
            Self::JsonValues => "max_json_values",
            Self::ImagePixels => "max_image_pixels",
        }
    }

    /// The cap's value, in the unit its `Display` names (bytes, entries, levels).
    pub fn value(self) -> u64 {
        match self {
            Self::FileBytes => MAX_FILE_BYTES,
            Self::Entries => MAX_ENTRIES as u64,
            Self::DecodedBytes => MAX_DECODED_BYTES,
            Self::StringBytes => MAX_FREEOTP_STRING_BYTES,
            Self::Nesting => MAX_JSON_DEPTH as u64,
            Self::JsonContainers => MAX_JSON_CONTAINERS,
            Self::JsonValues => MAX_JSON_VALUES,
            Self::ImagePixels => tessera_qr::MAX_PIXELS,
        }
    }
}

impl fmt::Display for Limit {
    /// "more than 10000 entries", "more than 64 MiB of decoded text", ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.value();
        match self {
            Self::FileBytes => write!(f, "larger than {} MiB", value >> 20),
            Self::Entries => write!(f, "more than {value} entries"),
            Self::DecodedBytes => write!(f, "more than {} MiB of decoded text", value >> 20),
            Self::StringBytes => write!(f, "a string longer than {} KiB", value >> 10),
            Self::Nesting => write!(f, "nesting deeper than {value} levels"),
            Self::JsonContainers => write!(f, "more than {value} JSON objects and arrays"),
            Self::JsonValues => write!(f, "more than {value} JSON values"),
            Self::ImagePixels => write!(
                f,
                "an image of more than {} megapixels or {} pixels a side",
                value >> 20,
                tessera_qr::MAX_SIDE
            ),
        }
    }
}

/// Which part of the key-derivation budget a file exceeded, for
/// [`crate::ImportError::KdfBudgetExceeded`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KdfLimit {
    /// [`MAX_PASSWORD_SLOTS`].
    PasswordSlots,
    /// [`MAX_KDF_WORK_KIB`].
    Work,
}

impl KdfLimit {
    /// Stable snake_case name of the limit, for UIs, scripts and logs.
    pub fn code(self) -> &'static str {
        match self {
            Self::PasswordSlots => "max_password_slots",
            Self::Work => "max_kdf_work",
        }
    }
}

impl fmt::Display for KdfLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PasswordSlots => write!(f, "more than {MAX_PASSWORD_SLOTS} password slots"),
            Self::Work => write!(
                f,
                "more than {} GiB of key-derivation work in total",
                MAX_KDF_WORK_KIB >> 20
            ),
        }
    }
}
