//! HOTP (RFC 4226): HMAC over a counter, dynamic truncation, decimal digits.

use hmac::{Hmac, KeyInit, Mac};

use super::code::Code;
use crate::model::{Algorithm, Digits};
use crate::secret::OtpSecret;

/// The HOTP code for `counter` (RFC 4226 §5.3), with any hash and 5..=10 digits.
pub fn hotp(secret: &OtpSecret, algorithm: Algorithm, digits: Digits, counter: u64) -> Code {
    let value = truncated_mac(secret, algorithm, counter);
    // `value` < 2^31, so 10^digits (up to 10^10) must be computed in u64.
    let modulus = 10_u64.pow(u32::from(digits.get()));
    let number = u64::from(value) % modulus;
    Code::new(format!(
        "{number:0width$}",
        width = usize::from(digits.get())
    ))
}

/// The 31-bit "dynamic truncation" of HMAC(secret, counter) that every OTP kind builds on.
pub(super) fn truncated_mac(secret: &OtpSecret, algorithm: Algorithm, counter: u64) -> u32 {
    // EXPOSE: the key is the HMAC key; it goes straight into the MAC state, which `hmac`'s
    // `zeroize` feature wipes on drop.
    let key = secret.expose_secret();
    match algorithm {
        Algorithm::Sha1 => truncate_with::<Hmac<sha1::Sha1>>(key, counter),
        Algorithm::Sha256 => truncate_with::<Hmac<sha2::Sha256>>(key, counter),
        Algorithm::Sha512 => truncate_with::<Hmac<sha2::Sha512>>(key, counter),
    }
}

fn truncate_with<M: Mac + KeyInit>(key: &[u8], counter: u64) -> u32 {
    // HMAC takes keys of any length (RFC 2104 §2: long keys are hashed, short ones padded), so
    // `new_from_slice` cannot fail for `Hmac<_>`; the error type exists only for fixed-key MACs.
    #[allow(clippy::expect_used)]
    let mut mac = <M as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(&counter.to_be_bytes());
    dynamic_truncation(&mac.finalize().into_bytes())
}

/// RFC 4226 §5.3: the low nibble of the last byte picks a 4-byte window; its top bit is masked.
fn dynamic_truncation(mac: &[u8]) -> u32 {
    let offset = usize::from(mac.last().copied().unwrap_or(0) & 0x0f);
    // Every MAC here is at least 20 bytes and `offset` is at most 15, so the window is always
    // present; the `0` fallback only keeps a panic path out of the code.
    mac.get(offset..offset + 4)
        .and_then(|window| <[u8; 4]>::try_from(window).ok())
        .map_or(0, |window| u32::from_be_bytes(window) & 0x7fff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4226 Appendix D: secret "12345678901234567890", HMAC-SHA-1, 6 digits, counters 0..=9.
    /// Columns: counter, truncated value (decimal), HOTP.
    const RFC4226_APPENDIX_D: [(u64, u32, &str); 10] = [
        (0, 1_284_755_224, "755224"),
        (1, 1_094_287_082, "287082"),
        (2, 137_359_152, "359152"),
        (3, 1_726_969_429, "969429"),
        (4, 1_640_338_314, "338314"),
        (5, 868_254_676, "254676"),
        (6, 1_918_287_922, "287922"),
        (7, 82_162_583, "162583"),
        (8, 673_399_871, "399871"),
        (9, 645_520_489, "520489"),
    ];

    #[test]
    fn rfc4226_appendix_d() {
        let secret = OtpSecret::from_slice(b"12345678901234567890");
        for (counter, truncated, code) in RFC4226_APPENDIX_D {
            assert_eq!(
                truncated_mac(&secret, Algorithm::Sha1, counter),
                truncated,
                "counter {counter}"
            );
            assert_eq!(
                hotp(&secret, Algorithm::Sha1, Digits::SIX, counter).as_str(),
                code,
                "counter {counter}"
            );
        }
    }

    #[test]
    fn rfc4226_section_5_4_example() {
        // RFC 4226 §5.4: the HMAC-SHA-1 value 1f8698690e02ca16618550ef7f19da8e945b555a truncates
        // to 0x50ef7f19 = 1357872921, i.e. "872921" with 6 digits.
        let mac = [
            0x1f, 0x86, 0x98, 0x69, 0x0e, 0x02, 0xca, 0x16, 0x61, 0x85, 0x50, 0xef, 0x7f, 0x19,
            0xda, 0x8e, 0x94, 0x5b, 0x55, 0x5a,
        ];
        assert_eq!(dynamic_truncation(&mac), 1_357_872_921);
    }

    #[test]
    fn digit_counts_pad_and_cut() {
        let secret = OtpSecret::from_slice(b"12345678901234567890");
        // Counter 7 truncates to 82162583: short codes cut the top, long ones pad with zeros.
        let cases = [
            (5, "62583"),
            (6, "162583"),
            (7, "2162583"),
            (8, "82162583"),
            (9, "082162583"),
            (10, "0082162583"),
        ];
        for (digits, code) in cases {
            let digits = Digits::new(digits).unwrap();
            assert_eq!(hotp(&secret, Algorithm::Sha1, digits, 7).as_str(), code);
        }
    }

    #[test]
    fn empty_and_long_keys_still_produce_codes() {
        // HMAC defines both; importers reject empty keys, but the generator must not panic.
        let empty = OtpSecret::from_slice(b"");
        assert_eq!(hotp(&empty, Algorithm::Sha512, Digits::SIX, 0).len(), 6);
        let long = OtpSecret::from_slice(&[0xa5; 300]);
        assert_eq!(
            hotp(&long, Algorithm::Sha256, Digits::SIX, u64::MAX).len(),
            6
        );
    }
}
