//! One-time codes: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard.
//!
//! Everything here is a pure function of the secret, the parameters and a counter or a time the
//! caller passes in, so codes are reproducible in tests and the core never reads a clock.
//!
//! # Why not totp-rs on the production path
//!
//! totp-rs 6 (already a workspace dependency) was the first choice for TOTP and Steam. It does
//! not fit two of our invariants, so all three kinds share the small HMAC + truncation below,
//! built on exactly the `hmac`/`sha1`/`sha2` versions totp-rs uses (no duplicate crates):
//!
//! - its `Token` computes `10^digits` in a `u32` with `expect`, so a 10-digit account (which
//!   [`Digits`] allows, and real exports contain) would panic instead of producing a code;
//! - a `totp_rs::Totp` owns its own copy of the key (`totp_rs::Secret`), so every code would
//!   either copy key material onto the heap again or keep a second long-lived secret type
//!   beside [`OtpSecret`].
//!
//! totp-rs is still used as an independent oracle in the tests (same codes for 6..=9 digits
//! and Steam).

mod code;
mod hotp;
mod steam;
mod totp;

pub use code::Code;
pub use hotp::hotp;
pub use steam::steam;
pub use totp::{time_step, totp};

use crate::model::{Account, Otp, Period, UnixTime};
use crate::secret::OtpSecret;

/// The code an account shows at `now`.
///
/// HOTP uses the counter stored in `otp` (the caller advances it after use); TOTP and Steam use
/// `now`.
pub fn generate(secret: &OtpSecret, otp: &Otp, now: UnixTime) -> Code {
    match *otp {
        Otp::Hotp {
            algorithm,
            digits,
            counter,
        } => hotp(secret, algorithm, digits, counter),
        Otp::Steam => steam(secret, now),
        Otp::Totp {
            algorithm,
            digits,
            period,
        } => totp(secret, algorithm, digits, period, now),
    }
}

/// Seconds until the code shown at `now` changes (1..=period); `None` for HOTP, whose codes
/// change only when the counter does.
pub fn seconds_left(otp: &Otp, now: UnixTime) -> Option<u32> {
    let period = match *otp {
        Otp::Hotp { .. } => return None,
        Otp::Steam => steam::PERIOD,
        Otp::Totp { period, .. } => period,
    };
    Some(remaining(period, now))
}

impl Account {
    /// The `count` codes a server asks for to resynchronise this account (privacyIDEA's resync
    /// takes two in a row): for HOTP the ones after the stored counter (counter + 1, + 2, …),
    /// for TOTP the one at `now` and those of the periods after it. `None` for Steam, which no
    /// server resyncs.
    pub fn consecutive_codes(&self, now: UnixTime, count: u64) -> Option<Vec<Code>> {
        let code = |step: u64| match self.otp {
            Otp::Hotp {
                algorithm,
                digits,
                counter,
            } => Some(hotp(
                &self.secret,
                algorithm,
                digits,
                counter.saturating_add(1).saturating_add(step),
            )),
            Otp::Totp {
                algorithm,
                digits,
                period,
            } => {
                let at = UnixTime(
                    now.0
                        .saturating_add(step.saturating_mul(period.get().into())),
                );
                Some(totp(&self.secret, algorithm, digits, period, at))
            }
            Otp::Steam => None,
        };
        (0..count).map(code).collect()
    }
}

fn remaining(period: Period, now: UnixTime) -> u32 {
    let period = u64::from(period.get());
    let left = period - now.0 % period;
    // `left` is in 1..=period and period came from a u32, so this never saturates.
    u32::try_from(left).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Algorithm, Digits};

    fn rfc_secret() -> OtpSecret {
        OtpSecret::from_slice(b"12345678901234567890")
    }

    fn codes(account: &Account, now: u64, count: u64) -> Option<Vec<String>> {
        let codes = account.consecutive_codes(UnixTime(now), count)?;
        Some(codes.iter().map(|code| code.as_str().to_owned()).collect())
    }

    #[test]
    fn consecutive_codes_follow_the_rfc_vectors() {
        // RFC 6238 Appendix B (SHA-1, 8 digits, 30 s): 1111111109 and 1111111111 fall in two
        // consecutive periods, so the second code is the first's next period.
        let totp = Otp::Totp {
            algorithm: Algorithm::Sha1,
            digits: Digits::new(8).unwrap(),
            period: Period::THIRTY,
        };
        let account = Account::new("", "", rfc_secret(), totp, UnixTime(0));
        assert_eq!(
            codes(&account, 1_111_111_109, 2).unwrap(),
            ["07081804", "14050471"]
        );
        // RFC 4226 Appendix D: counter 0 is the code shown; a resync sends 1 and 2.
        let hotp = Otp::Hotp {
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            counter: 0,
        };
        let account = Account::new("", "", rfc_secret(), hotp, UnixTime(0));
        assert_eq!(
            codes(&account, 59, 3).unwrap(),
            ["287082", "359152", "969429"]
        );
        assert_eq!(codes(&account, 59, 0).unwrap(), Vec::<String>::new());
        let steam = Account::new("", "", rfc_secret(), Otp::Steam, UnixTime(0));
        assert_eq!(codes(&steam, 59, 2), None, "Steam has no resync");
    }

    #[test]
    fn generate_dispatches_on_kind() {
        let secret = rfc_secret();
        let now = UnixTime(59);
        let hotp_kind = Otp::Hotp {
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            counter: 1,
        };
        // RFC 4226 App. D counter 1; the time is ignored for HOTP.
        assert_eq!(generate(&secret, &hotp_kind, now).as_str(), "287082");
        let totp_kind = Otp::Totp {
            algorithm: Algorithm::Sha1,
            digits: Digits::new(8).unwrap(),
            period: Period::THIRTY,
        };
        // RFC 6238 App. B, T = 59.
        assert_eq!(generate(&secret, &totp_kind, now).as_str(), "94287082");
        assert_eq!(generate(&secret, &Otp::Steam, now).as_str().len(), 5);
    }

    #[test]
    fn seconds_left_counts_down_to_the_boundary() {
        let kind = Otp::DEFAULT_TOTP;
        assert_eq!(seconds_left(&kind, UnixTime(0)), Some(30));
        assert_eq!(seconds_left(&kind, UnixTime(1)), Some(29));
        assert_eq!(seconds_left(&kind, UnixTime(29)), Some(1));
        assert_eq!(seconds_left(&kind, UnixTime(30)), Some(30));
        assert_eq!(seconds_left(&kind, UnixTime(1_700_000_000)), Some(10));
        assert_eq!(seconds_left(&Otp::Steam, UnixTime(1_700_000_023)), Some(17));
        let odd = Otp::Totp {
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            period: Period::new(7).unwrap(),
        };
        assert_eq!(seconds_left(&odd, UnixTime(15)), Some(6));
        assert_eq!(
            seconds_left(&odd, UnixTime(u64::MAX)),
            Some(7 - (u64::MAX % 7) as u32)
        );
    }

    #[test]
    fn seconds_left_is_none_for_hotp() {
        let kind = Otp::Hotp {
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            counter: 0,
        };
        assert_eq!(seconds_left(&kind, UnixTime(12)), None);
    }
}
