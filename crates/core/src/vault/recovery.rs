//! The recovery key: 152 random bits a person writes down once and types back when the keychain
//! is gone.
//!
//! Text form: 32 symbols of Crockford base32 (`0-9 A-Z` without `I L O U`) in eight groups of
//! four, e.g. `7Q2M-K9XA-...`. The 20 encoded bytes are 19 key bytes plus one check byte (the
//! first byte of SHA-256 over a label and the key), so a typo is reported as a typo (and not as
//! "wrong key") in 255 of 256 cases. Input is forgiving: any case, spaces and dashes anywhere,
//! and `I`/`L` read as `1`, `O` as `0` (Crockford's decoding rules,
//! <https://www.crockford.com/base32.html>).

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

/// Bytes of key material in a recovery key (152 bits, above the 128-bit floor).
const KEY_BYTES: usize = 19;
/// Key bytes plus the check byte.
const CODED_BYTES: usize = KEY_BYTES + 1;
/// Symbols in the text form: 20 bytes = 160 bits = 32 symbols of 5 bits.
const SYMBOLS: usize = 32;
/// Symbols per group in the text form.
const GROUP: usize = 4;
/// Crockford's encoding alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Domain separation for the check byte.
const CHECK_LABEL: &[u8] = b"tessera recovery key check v1";

/// Why typed recovery-key text was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecoveryKeyError {
    /// A check failed: most likely a typo.
    #[error("the recovery key has a typo: compare it with what you wrote down, group by group")]
    Checksum,
    /// A character outside the recovery-key alphabet.
    // The message names the position only, never the character: what was typed may be a
    // password typed into the wrong field, and messages reach logs and the webview.
    #[error(
        "symbol {position} of the recovery key is not one it can contain: it uses only digits \
         and the letters A-Z except U"
    )]
    InvalidCharacter {
        /// 1-based position among the symbols (spaces and dashes not counted).
        position: usize,
        /// The offending character, for the caller's own checks; not in the message.
        character: char,
    },
    /// Too few or too many symbols.
    #[error(
        "a recovery key has 32 letters and digits in 8 groups of 4; this one has {found}: check \
         for a missing or extra group"
    )]
    WrongLength {
        /// Symbols found (spaces and dashes not counted).
        found: usize,
    },
}

crate::error_codes!(pub RecoveryKeyError {
    Checksum => "recovery_key_typo",
    InvalidCharacter => "recovery_key_character",
    WrongLength => "recovery_key_length",
});

/// A vault's recovery key. No `Clone`, no `Display`, redacted `Debug`, wiped on drop.
pub struct RecoveryKey(Box<Zeroizing<[u8; KEY_BYTES]>>);

impl RecoveryKey {
    /// A fresh random recovery key.
    pub(crate) fn make() -> Result<Self, super::crypto::CannotSeal> {
        let mut bytes: [u8; KEY_BYTES] = super::crypto::random_array()?;
        let key = Self(Box::new(Zeroizing::new(bytes)));
        bytes.zeroize();
        Ok(key)
    }

    /// Parses typed text (see the module doc for what is tolerated).
    pub fn parse(text: &str) -> Result<Self, RecoveryKeyError> {
        let mut values = Zeroizing::new([0u8; SYMBOLS]);
        let mut found = 0usize;
        for character in text.chars() {
            if character.is_whitespace() || character == '-' {
                continue;
            }
            let value = symbol_value(character).ok_or_else(|| RecoveryKeyError::InvalidCharacter {
                position: found + 1,
                character,
            });
            // Count every symbol so the length error reports the real length.
            if found < SYMBOLS {
                values[found] = value?;
            } else {
                value?;
            }
            found += 1;
        }
        if found != SYMBOLS {
            return Err(RecoveryKeyError::WrongLength { found });
        }
        let mut coded = Zeroizing::new([0u8; CODED_BYTES]);
        unpack(&values, &mut coded);
        let mut key = Box::new(Zeroizing::new([0u8; KEY_BYTES]));
        key.copy_from_slice(&coded[..KEY_BYTES]);
        if coded[KEY_BYTES] != check_byte(&key) {
            return Err(RecoveryKeyError::Checksum);
        }
        Ok(Self(key))
    }

    /// The text to show the user once: eight dash-separated groups of four symbols.
    pub fn to_display_text(&self) -> Zeroizing<String> {
        let mut coded = Zeroizing::new([0u8; CODED_BYTES]);
        // EXPOSE: the user asked to see the recovery key; the text is wiped on drop.
        coded[..KEY_BYTES].copy_from_slice(self.expose_secret());
        coded[KEY_BYTES] = check_byte(&self.0);
        let mut values = Zeroizing::new([0u8; SYMBOLS]);
        pack(&coded, &mut values);
        let mut text = Zeroizing::new(String::with_capacity(SYMBOLS + SYMBOLS / GROUP));
        for (index, value) in values.iter().enumerate() {
            if index > 0 && index % GROUP == 0 {
                text.push('-');
            }
            text.push(char::from(ALPHABET[usize::from(*value & 31)]));
        }
        text
    }

    /// The raw key bytes. Every caller must justify the exposure with an `// EXPOSE:` comment.
    pub(crate) fn expose_secret(&self) -> &[u8; KEY_BYTES] {
        &self.0
    }
}

impl fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryKey(..)")
    }
}

fn check_byte(key: &[u8; KEY_BYTES]) -> u8 {
    let mut hasher = Sha256::new();
    hasher.update(CHECK_LABEL);
    hasher.update(key);
    hasher.finalize()[0]
}

fn symbol_value(character: char) -> Option<u8> {
    let upper = character.to_ascii_uppercase();
    let normalized = match upper {
        'I' | 'L' => '1',
        'O' => '0',
        other => other,
    };
    let byte = u8::try_from(normalized).ok()?;
    ALPHABET
        .iter()
        .position(|symbol| *symbol == byte)
        .and_then(|index| u8::try_from(index).ok())
}

/// 20 bytes → 32 five-bit values, most significant bit first.
fn pack(bytes: &[u8; CODED_BYTES], values: &mut [u8; SYMBOLS]) {
    for (index, value) in values.iter_mut().enumerate() {
        let mut v = 0u8;
        for bit in 0..5 {
            let position = index * 5 + bit;
            let set = (bytes[position / 8] >> (7 - position % 8)) & 1;
            v = (v << 1) | set;
        }
        *value = v;
    }
}

/// 32 five-bit values → 20 bytes (the inverse of [`pack`]).
fn unpack(values: &[u8; SYMBOLS], bytes: &mut [u8; CODED_BYTES]) {
    bytes.fill(0);
    for (index, value) in values.iter().enumerate() {
        for bit in 0..5 {
            let position = index * 5 + bit;
            let set = (value >> (4 - bit)) & 1;
            bytes[position / 8] |= set << (7 - position % 8);
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn key_from(bytes: [u8; KEY_BYTES]) -> RecoveryKey {
        RecoveryKey(Box::new(Zeroizing::new(bytes)))
    }

    #[test]
    fn debug_is_redacted() {
        let key = key_from([0xAB; KEY_BYTES]);
        let text = key.to_display_text();
        let printed = format!("{key:?} {key:#?}");
        assert_eq!(printed, "RecoveryKey(..) RecoveryKey(..)");
        assert!(!printed.contains(&text[..4]));
    }

    #[test]
    fn text_form_is_grouped_and_unambiguous() {
        let text = RecoveryKey::make().unwrap().to_display_text();
        assert_eq!(text.len(), 39);
        let groups: Vec<&str> = text.split('-').collect();
        assert_eq!(groups.len(), 8);
        assert!(groups.iter().all(|group| group.len() == 4));
        assert!(!text.contains(['I', 'L', 'O', 'U']));
    }

    #[test]
    fn known_answer_all_zero_key() {
        // All-zero key bytes; the check byte is SHA-256("tessera recovery key check v1" || 0^19)[0].
        let key = key_from([0; KEY_BYTES]);
        let text = key.to_display_text();
        assert!(text.starts_with("0000-0000-0000-0000-0000-0000-000"));
        let check = check_byte(&[0; KEY_BYTES]);
        let expected_tail = format!(
            "{}{}",
            char::from(ALPHABET[usize::from(check >> 5)]),
            char::from(ALPHABET[usize::from(check & 31)])
        );
        assert!(text.ends_with(&expected_tail));
    }

    #[test]
    fn input_is_forgiving() {
        let key = RecoveryKey::make().unwrap();
        let text = key.to_display_text();
        let sloppy = text
            .to_lowercase()
            .replace('-', " ")
            .replace('1', "l")
            .replace('0', "o");
        let parsed = RecoveryKey::parse(&format!("  {sloppy}\n")).unwrap();
        assert_eq!(parsed.expose_secret(), key.expose_secret());
        let no_separators = text.replace('-', "");
        let parsed = RecoveryKey::parse(&no_separators).unwrap();
        assert_eq!(parsed.expose_secret(), key.expose_secret());
    }

    #[test]
    fn named_invalid_cases() {
        let good = key_from([0x5A; KEY_BYTES]).to_display_text();
        let cases: [(&str, String, &str); 5] = [
            ("empty", String::new(), "recovery_key_length"),
            (
                "missing group",
                good[5..].to_string(),
                "recovery_key_length",
            ),
            (
                "extra symbol",
                format!("{}0", good.as_str()),
                "recovery_key_length",
            ),
            (
                "letter u",
                format!("U{}", &good[1..]),
                "recovery_key_character",
            ),
            (
                "punctuation",
                format!("{}!", &good[..38]),
                "recovery_key_character",
            ),
        ];
        for (name, input, code) in cases {
            let error = RecoveryKey::parse(&input).unwrap_err();
            assert_eq!(error.code(), code, "case {name}");
        }
        // A password typed into the wrong field: the message says where, never what.
        let error = RecoveryKey::parse("ABCD-EFG§").unwrap_err();
        assert!(!error.to_string().contains('§'), "{error}");
        assert!(error.to_string().contains("symbol 8"), "{error}");
    }

    #[test]
    fn a_single_changed_symbol_is_reported_as_typo() {
        let key = key_from([0x33; KEY_BYTES]);
        let text = key.to_display_text();
        let mut detected = 0;
        let mut total = 0;
        for position in (0..text.len()).filter(|i| !text[*i..].starts_with('-')) {
            for replacement in ALPHABET.iter().map(|b| char::from(*b)) {
                if text[position..].starts_with(replacement) {
                    continue;
                }
                let mut typo = text.to_string();
                typo.replace_range(position..=position, &replacement.to_string());
                total += 1;
                if RecoveryKey::parse(&typo) == Err(RecoveryKeyError::Checksum) {
                    detected += 1;
                }
            }
        }
        // An 8-bit check misses about 1 in 256 substitutions.
        assert!(detected * 100 >= total * 98, "{detected}/{total}");
    }

    impl PartialEq for RecoveryKey {
        fn eq(&self, other: &Self) -> bool {
            self.expose_secret() == other.expose_secret()
        }
    }

    proptest! {
        #[test]
        fn parse_display_round_trip(bytes in proptest::array::uniform19(any::<u8>())) {
            let key = key_from(bytes);
            let parsed = RecoveryKey::parse(&key.to_display_text()).unwrap();
            prop_assert_eq!(parsed.expose_secret(), &bytes);
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,80}") {
            let _ = RecoveryKey::parse(&text);
        }
    }
}
