//! Steam Guard codes: TOTP with HMAC-SHA-1 and 30 s, written in Steam's 26-letter alphabet.

use super::code::Code;
use super::hotp::truncated_mac;
use super::totp::time_step;
use crate::model::{Algorithm, Period, UnixTime};
use crate::secret::OtpSecret;

/// Steam fixes the period at 30 seconds.
pub(super) const PERIOD: Period = Period::THIRTY;

/// Steam's alphabet: digits and consonants that cannot be misread (no 0/O, 1/I, A, E, ...).
const ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

/// Steam codes are always 5 characters.
const LENGTH: usize = 5;

/// The Steam Guard code at `now` (formats.md §2.3): the 31-bit truncated HMAC-SHA-1 value
/// written least significant character first.
pub fn steam(secret: &OtpSecret, now: UnixTime) -> Code {
    let mut value = truncated_mac(secret, Algorithm::Sha1, time_step(PERIOD, now));
    let mut text = String::with_capacity(LENGTH);
    for _ in 0..LENGTH {
        // `value % 26` is always a valid index; the fallback is unreachable.
        let index = usize::try_from(value % 26).unwrap_or(0);
        text.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'2')));
        value /= 26;
    }
    Code::new(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base32(text: &str) -> OtpSecret {
        OtpSecret::from_bytes(data_encoding::BASE32_NOPAD.decode(text.as_bytes()).unwrap())
    }

    /// formats.md §2.3, each row citing its source project.
    #[test]
    fn steam_vectors() {
        let cases = [
            // dyc3/steamguard-cli steamguard/src/token.rs (base64 zvIayp3JPvtvX/QGHqsqKBk/44s=)
            (
                "dyc3",
                "Z3ZBVSU5ZE7PW3276QDB5KZKFAMT7Y4L",
                1_616_374_841,
                "2F9J5",
            ),
            // stratumauth/app Stratum.Test/src/Generator/SteamOtpTest.cs
            (
                "stratum_1",
                "63BEDWCQZKTQWPESARIERL5DTTQFCJTK",
                1_511_200_518,
                "FR8RV",
            ),
            (
                "stratum_2",
                "63BEDWCQZKTQWPESARIERL5DTTQFCJTK",
                1_511_200_714,
                "9P3VP",
            ),
            // protonpass/proton-pass-common proton-authenticator/src/parser/aegis/json.rs
            ("proton", "STEAMKEY", 1_742_298_622, "NTK5M"),
        ];
        for (name, secret, time, code) in cases {
            assert_eq!(
                steam(&base32(secret), UnixTime(time)).as_str(),
                code,
                "{name}"
            );
        }
    }

    #[test]
    fn steam_codes_use_only_the_alphabet() {
        let secret = base32("STEAMKEY");
        for t in (0..3_000).map(|i| i * 30) {
            let code = steam(&secret, UnixTime(t));
            assert_eq!(code.len(), LENGTH);
            assert!(code.as_str().bytes().all(|c| ALPHABET.contains(&c)));
        }
    }
}
