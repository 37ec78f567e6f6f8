//! The account model: what Tessera knows about one OTP account.
//!
//! Parameters are parsed into types that cannot hold an invalid value ("parse, don't
//! validate"): a `Digits` is always 5..=10, a `Period` never zero, and Steam accounts carry no
//! algorithm, digits or period because Steam fixes them (SHA-1, 5 characters, 30 s).

use std::fmt;
use std::num::NonZeroU32;

use crate::secret::OtpSecret;

/// Seconds since the Unix epoch (UTC). The core never reads the clock: callers pass this in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UnixTime(pub u64);

/// Stable identity of an account, kept across renames, exports and re-imports into Tessera.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountId(uuid::Uuid);

impl AccountId {
    /// A fresh random id.
    pub fn make() -> Self {
        Self(uuid::Uuid::new_v4())
    }

    /// Parses the hyphenated text form written by [`fmt::Display`].
    pub fn parse(text: &str) -> Option<Self> {
        uuid::Uuid::try_parse(text).ok().map(Self)
    }

    /// The raw 16 bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }

    /// Builds an id from 16 bytes (used by decoders of stored forms).
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(uuid::Uuid::from_bytes(bytes))
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// The HMAC hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    /// HMAC-SHA-1, the default of RFC 4226 and of nearly every site.
    #[default]
    Sha1,
    /// HMAC-SHA-256 (RFC 6238).
    Sha256,
    /// HMAC-SHA-512 (RFC 6238).
    Sha512,
}

impl Algorithm {
    /// The name used in `otpauth://` URIs and most export files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha512 => "SHA512",
        }
    }

    /// Case-insensitive parse of `SHA1`, `SHA256`, `SHA512` (also `SHA-1` style spellings).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_uppercase().replace('-', "").as_str() {
            "SHA1" => Some(Self::Sha1),
            "SHA256" => Some(Self::Sha256),
            "SHA512" => Some(Self::Sha512),
            _ => None,
        }
    }
}

/// Number of decimal digits in a TOTP/HOTP code.
///
/// RFC 4226 allows 6 to 8 (the 31-bit truncated value has at most 10 digits); real accounts use
/// 5 to 10, so that is the accepted range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digits(u8);

impl Digits {
    /// Smallest accepted number of digits.
    pub const MIN: u8 = 5;
    /// Largest meaningful number of digits (a 31-bit value has at most 10).
    pub const MAX: u8 = 10;
    /// The default of every spec: 6.
    pub const SIX: Digits = Digits(6);

    /// `None` outside `MIN..=MAX`.
    pub fn new(digits: u32) -> Option<Self> {
        u8::try_from(digits)
            .ok()
            .filter(|d| (Self::MIN..=Self::MAX).contains(d))
            .map(Self)
    }

    /// The number of digits.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl Default for Digits {
    fn default() -> Self {
        Self::SIX
    }
}

/// TOTP time step in seconds; never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period(NonZeroU32);

impl Period {
    /// The default of every spec: 30 seconds.
    pub const THIRTY: Period = Period(NonZeroU32::MIN.saturating_add(29));

    /// `None` for zero.
    pub fn new(seconds: u32) -> Option<Self> {
        NonZeroU32::new(seconds).map(Self)
    }

    /// The period in seconds.
    pub fn get(self) -> u32 {
        self.0.get()
    }
}

impl Default for Period {
    fn default() -> Self {
        Self::THIRTY
    }
}

/// How codes are generated for an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Otp {
    /// Counter-based codes (RFC 4226). `counter` is the value the next code will use.
    Hotp {
        /// HMAC hash.
        algorithm: Algorithm,
        /// Code length.
        digits: Digits,
        /// Counter of the next code.
        counter: u64,
    },
    /// Steam Guard: TOTP with HMAC-SHA-1, 30 s, written as 5 characters of Steam's alphabet.
    Steam,
    /// Time-based codes (RFC 6238).
    Totp {
        /// HMAC hash.
        algorithm: Algorithm,
        /// Code length.
        digits: Digits,
        /// Time step.
        period: Period,
    },
}

impl Otp {
    /// The default kind: TOTP, SHA-1, 6 digits, 30 s.
    pub const DEFAULT_TOTP: Otp = Otp::Totp {
        algorithm: Algorithm::Sha1,
        digits: Digits::SIX,
        period: Period::THIRTY,
    };

    /// Whether an account with these parameters makes the same codes as one with `other`, given
    /// the same secret: the same kind, algorithm, digits and period. An HOTP counter is not
    /// compared: it advances with use, so an older export of an account has a lower one.
    /// (Two accounts with one secret and SHA-1 against SHA-256, or 30 s against 45 s, make
    /// different codes: they are different accounts.)
    pub fn same_codes_as(&self, other: &Otp) -> bool {
        match (self, other) {
            (
                Otp::Hotp {
                    algorithm: a1,
                    digits: d1,
                    ..
                },
                Otp::Hotp {
                    algorithm: a2,
                    digits: d2,
                    ..
                },
            ) => a1 == a2 && d1 == d2,
            _ => self == other,
        }
    }

    /// The stable lower-case name of the kind: `totp`, `hotp`, `steam`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Self::Hotp { .. } => "hotp",
            Self::Steam => "steam",
            Self::Totp { .. } => "totp",
        }
    }
}

/// One OTP account.
///
/// `Debug` is derived but safe: the secret's own `Debug` prints only its length.
#[derive(Debug, PartialEq, Eq)]
pub struct Account {
    /// Stable id.
    pub id: AccountId,
    /// Service name ("GitHub"); may be empty.
    pub issuer: String,
    /// Account name within the service ("alice@example.com"); may be empty.
    pub name: String,
    /// The shared secret.
    pub secret: OtpSecret,
    /// How codes are generated.
    pub otp: Otp,
    /// Free-form tags used for search and filtering.
    pub tags: Vec<String>,
    /// Optional icon hint (a built-in icon name).
    pub icon: Option<String>,
    /// Pinned on top of the list. Vaults written before this field existed read as `false`.
    pub favorite: bool,
    /// When the account was added.
    pub created: UnixTime,
    /// When the account was last changed.
    pub updated: UnixTime,
}

impl Account {
    /// The one rule for "the same account" (imports, scans, adding, the CLI): the same secret
    /// making the same codes ([`Otp::same_codes_as`]). Issuer, name and tags do not count: they
    /// may have been edited on either side.
    pub fn same_as(&self, secret: &OtpSecret, otp: &Otp) -> bool {
        self.secret == *secret && self.otp.same_codes_as(otp)
    }

    /// A new account with a fresh id, no tags and no icon, created and updated at `now`.
    pub fn new(
        issuer: impl Into<String>,
        name: impl Into<String>,
        secret: OtpSecret,
        otp: Otp,
        now: UnixTime,
    ) -> Self {
        Self {
            id: AccountId::make(),
            issuer: issuer.into(),
            name: name.into(),
            secret,
            otp,
            tags: Vec::new(),
            icon: None,
            favorite: false,
            created: now,
            updated: now,
        }
    }

    /// "Issuer (name)", "Issuer" or "name": how the account is shown in lists and messages.
    pub fn display_label(&self) -> String {
        display_label(&self.issuer, &self.name)
    }
}

/// "Issuer (name)", "Issuer" or "name": the one rule for showing an account's labels (also for
/// entries that are not vault accounts yet: imports, URIs, a glance).
pub fn display_label(issuer: &str, name: &str) -> String {
    match (issuer.is_empty(), name.is_empty()) {
        (false, false) => format!("{issuer} ({name})"),
        (false, true) => issuer.to_owned(),
        (true, _) => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_range() {
        assert_eq!(Digits::new(4), None);
        assert_eq!(Digits::new(5).map(Digits::get), Some(5));
        assert_eq!(Digits::new(10).map(Digits::get), Some(10));
        assert_eq!(Digits::new(11), None);
        assert_eq!(Digits::new(u32::MAX), None);
    }

    #[test]
    fn the_same_account_is_the_same_secret_making_the_same_codes() {
        let totp = |algorithm, digits: u32, period: u32| Otp::Totp {
            algorithm,
            digits: Digits::new(digits).unwrap(),
            period: Period::new(period).unwrap(),
        };
        let hotp = |counter| Otp::Hotp {
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            counter,
        };
        let cases = [
            ("identical", Otp::DEFAULT_TOTP, Otp::DEFAULT_TOTP, true),
            (
                "SHA-1 against SHA-256",
                Otp::DEFAULT_TOTP,
                totp(Algorithm::Sha256, 6, 30),
                false,
            ),
            (
                "30 s against 45 s",
                Otp::DEFAULT_TOTP,
                totp(Algorithm::Sha1, 6, 45),
                false,
            ),
            (
                "6 digits against 8",
                Otp::DEFAULT_TOTP,
                totp(Algorithm::Sha1, 8, 30),
                false,
            ),
            ("TOTP against Steam", Otp::DEFAULT_TOTP, Otp::Steam, false),
            ("TOTP against HOTP", Otp::DEFAULT_TOTP, hotp(0), false),
            ("HOTP counters advance with use", hotp(3), hotp(9), true),
        ];
        let secret = OtpSecret::from_slice(b"12345678901234567890");
        for (name, a, b, same) in cases {
            assert_eq!(a.same_codes_as(&b), same, "{name}");
            assert_eq!(b.same_codes_as(&a), same, "{name}, reversed");
            let account = Account::new("I", "n", secret.duplicate(), a, UnixTime(0));
            assert_eq!(account.same_as(&secret, &b), same, "{name}, same secret");
            let other = OtpSecret::from_slice(b"another secret bytes");
            assert!(!account.same_as(&other, &b), "{name}, other secret");
        }
    }

    #[test]
    fn period_rejects_zero() {
        assert_eq!(Period::new(0), None);
        assert_eq!(Period::THIRTY.get(), 30);
    }

    #[test]
    fn algorithm_parse_is_lenient_on_case() {
        assert_eq!(Algorithm::parse("sha1"), Some(Algorithm::Sha1));
        assert_eq!(Algorithm::parse("SHA-256"), Some(Algorithm::Sha256));
        assert_eq!(Algorithm::parse("Sha512"), Some(Algorithm::Sha512));
        assert_eq!(Algorithm::parse("MD5"), None);
    }

    #[test]
    fn account_debug_hides_secret() {
        let account = Account::new(
            "GitHub",
            "alice",
            OtpSecret::from_slice(b"12345678901234567890"),
            Otp::DEFAULT_TOTP,
            UnixTime(1_700_000_000),
        );
        let printed = format!("{account:?}");
        assert!(printed.contains("OtpSecret(len=20)"));
        assert!(!printed.contains("GEZDGNBV"));
        assert!(!printed.contains("12345678"));
    }
}
