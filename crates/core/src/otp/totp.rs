//! TOTP (RFC 6238): HOTP over the number of periods since the Unix epoch.

use super::code::Code;
use super::hotp::hotp;
use crate::model::{Algorithm, Digits, Period, UnixTime};
use crate::secret::OtpSecret;

/// The TOTP code at `now` (T0 = 0, 64-bit time and counter, so dates past 2038 and 2106 work).
pub fn totp(
    secret: &OtpSecret,
    algorithm: Algorithm,
    digits: Digits,
    period: Period,
    now: UnixTime,
) -> Code {
    hotp(secret, algorithm, digits, time_step(period, now))
}

/// The RFC 6238 counter `T = floor(now / period)`.
pub fn time_step(period: Period, now: UnixTime) -> u64 {
    now.0 / u64::from(period.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B: period 30 s, 8 digits. The seeds differ per hash (the RFC's
    /// reference code repeats "1234567890" to 20, 32 and 64 bytes). Columns: time, SHA1,
    /// SHA256, SHA512. The last row needs 64-bit time (year 2603).
    const RFC6238_APPENDIX_B: [(u64, &str, &str, &str); 6] = [
        (59, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ];

    fn seed(len: usize) -> OtpSecret {
        OtpSecret::from_bytes(b"1234567890".iter().copied().cycle().take(len).collect())
    }

    #[test]
    fn rfc6238_appendix_b() {
        let eight = Digits::new(8).unwrap();
        let (sha1, sha256, sha512) = (seed(20), seed(32), seed(64));
        for (time, code1, code256, code512) in RFC6238_APPENDIX_B {
            let now = UnixTime(time);
            let at = |secret: &OtpSecret, algorithm| {
                totp(secret, algorithm, eight, Period::THIRTY, now).to_string()
            };
            assert_eq!(at(&sha1, Algorithm::Sha1), code1, "SHA1 at {time}");
            assert_eq!(at(&sha256, Algorithm::Sha256), code256, "SHA256 at {time}");
            assert_eq!(at(&sha512, Algorithm::Sha512), code512, "SHA512 at {time}");
        }
    }

    #[test]
    fn rfc6238_time_steps() {
        // The "T (hex)" column of RFC 6238 Appendix B.
        assert_eq!(time_step(Period::THIRTY, UnixTime(59)), 0x1);
        assert_eq!(
            time_step(Period::THIRTY, UnixTime(1_111_111_109)),
            0x0235_23EC
        );
        assert_eq!(
            time_step(Period::THIRTY, UnixTime(20_000_000_000)),
            0x27BC_86AA
        );
    }

    #[test]
    fn dim13_vector() {
        // dim13/otpauth migration/evaluate_test.go: JBSWY3DPEHPK3PXP at 2009-11-10 23:00:00 UTC.
        let secret = OtpSecret::from_slice(b"Hello!\xde\xad\xbe\xef");
        let code = totp(
            &secret,
            Algorithm::Sha1,
            Digits::SIX,
            Period::THIRTY,
            UnixTime(1_257_894_000),
        );
        assert_eq!(code.as_str(), "528064");
    }

    #[test]
    fn codes_change_only_at_period_boundaries() {
        let secret = seed(20);
        let period = Period::new(60).unwrap();
        let at = |t| totp(&secret, Algorithm::Sha1, Digits::SIX, period, UnixTime(t));
        assert_eq!(at(1_200), at(1_259));
        assert_ne!(at(1_259), at(1_260));
    }

    #[test]
    fn far_future_does_not_overflow() {
        let code = totp(
            &seed(20),
            Algorithm::Sha1,
            Digits::SIX,
            Period::new(1).unwrap(),
            UnixTime(u64::MAX),
        );
        assert_eq!(code.len(), 6);
    }
}
