//! Google Authenticator migration QR codes (formats.md §4): `otpauth-migration://offline?data=`
//! URIs, split into batches the way Google Authenticator splits its own exports.
//!
//! Google's format cannot express every account. Instead of changing an account silently (a
//! 60 s account exported as 30 s gives wrong codes on the phone), each account gets an outcome:
//! exported, possibly with a warning, or skipped with the reason. The caller shows the report
//! before the QR codes.
//!
//! Batches: at most [`MAX_ACCOUNTS_PER_CODE`] accounts per code, as Google Authenticator and
//! Aegis (`ImportExportPreferencesFragment`: `qrSize = 10`) do, and at most [`MAX_URI_LEN`]
//! characters per URI so every code stays scannable from a screen (long names or 64-byte
//! SHA-512 keys close a batch early). All codes share one random `batch_id`, carry the number of
//! codes as `batch_size` and their position as `batch_index`, and use payload version 1.

use std::fmt;
use std::ops::Range;

use tessera_core::migration::{self, BatchInfo, MigrationEntry};
use tessera_core::{Account, Algorithm, Otp, Period};
use zeroize::Zeroizing;

use super::ExportError;
use crate::crypto;

/// Most accounts in one QR code: what Google Authenticator itself puts in each of its codes.
pub const MAX_ACCOUNTS_PER_CODE: usize = 10;

/// Longest URI in one QR code. 1500 bytes fit a version 32 code at error correction M (about
/// what Google's own ten-account codes reach), well inside the 2331-byte limit of version 40.
/// A single account longer than this still gets its own code.
pub const MAX_URI_LEN: usize = 1500;

/// The migration URIs of an export and what became of each account.
#[derive(Debug)]
pub struct MigrationExport {
    /// One URI per QR code, in `batch_index` order. Empty when no account is portable. Each
    /// holds secrets: show it as a QR code, never log it.
    pub uris: Vec<Zeroizing<String>>,
    /// The random id shared by every code of this export.
    pub batch_id: i32,
    /// One outcome per account given, in the same order.
    pub accounts: Vec<MigrationAccount>,
}

impl MigrationExport {
    /// Accounts written to a code.
    pub fn exported(&self) -> impl Iterator<Item = &MigrationAccount> {
        self.accounts
            .iter()
            .filter(|a| matches!(a.outcome, MigrationOutcome::Exported { .. }))
    }

    /// Accounts left out because Google's format cannot express them.
    pub fn skipped(&self) -> impl Iterator<Item = &MigrationAccount> {
        self.accounts
            .iter()
            .filter(|a| matches!(a.outcome, MigrationOutcome::Skipped { .. }))
    }
}

/// What became of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationAccount {
    /// Position of the account in the input.
    pub index: usize,
    /// "Issuer (name)", as the account list shows it. Never the secret.
    pub label: String,
    /// Exported or skipped.
    pub outcome: MigrationOutcome,
}

/// Exported (to which code, with which caveats) or skipped (why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationOutcome {
    /// Written to the code at `code` (0-based index into [`MigrationExport::uris`]).
    Exported {
        /// Which QR code holds the account.
        code: usize,
        /// Parameters some Google Authenticator versions may not honour.
        warnings: Vec<MigrationWarning>,
    },
    /// Not written: Google's format cannot express it.
    Skipped {
        /// Why.
        reason: NotPortable,
    },
}

/// Why an account cannot be moved with Google Authenticator's migration codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotPortable {
    /// HOTP counters above 2^63-1 do not fit Google's signed field.
    #[error("the HOTP counter is too large for Google Authenticator")]
    CounterTooLarge,
    /// Google's format has 6 and 8 digits only.
    #[error("Google Authenticator supports only 6 or 8 digits (this account has {digits})")]
    Digits {
        /// The account's number of digits.
        digits: u8,
    },
    /// Google's format has no period: every TOTP account is 30 s.
    #[error("Google Authenticator supports only a 30 second period (this account has {seconds} s)")]
    Period {
        /// The account's period in seconds.
        seconds: u32,
    },
    /// Steam codes cannot be expressed.
    #[error("Google Authenticator cannot hold Steam accounts")]
    Steam,
}

tessera_core::error_codes!(pub NotPortable {
    CounterTooLarge => "counter_too_large",
    Digits => "unsupported_digits",
    Period => "unsupported_period",
    Steam => "unsupported_steam",
});

/// A parameter written as it is, that some Google Authenticator versions ignore (formats.md
/// §4: apps differ on whether it honours SHA-256/512 and 8 digits). The user should check the
/// first code on the phone against Tessera's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MigrationWarning {
    /// SHA-256 or SHA-512 instead of SHA-1.
    Algorithm {
        /// The account's algorithm.
        algorithm: Algorithm,
    },
    /// 8 digits instead of 6.
    EightDigits,
}

impl MigrationWarning {
    /// Stable snake_case identifier.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Algorithm { .. } => "algorithm_may_be_ignored",
            Self::EightDigits => "digits_may_be_ignored",
        }
    }
}

impl fmt::Display for MigrationWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Algorithm { algorithm } => write!(
                f,
                "some Google Authenticator versions ignore {}: check the first code on the phone",
                algorithm.as_str()
            ),
            Self::EightDigits => f.write_str(
                "some Google Authenticator versions show 6 digits instead of 8: check the first \
                 code on the phone",
            ),
        }
    }
}

/// Google Authenticator migration URIs for `accounts`, one per QR code, with an outcome for
/// every account. Accounts Google cannot express are skipped and reported, never altered.
pub fn migration_uris(accounts: &[Account]) -> Result<MigrationExport, ExportError> {
    let batch_id = {
        let bytes = crypto::random::<4>().ok_or(ExportError::NoRandomness)?;
        i32::from_le_bytes(*bytes)
    };
    let mut report = Vec::with_capacity(accounts.len());
    // The portable accounts, and where each one's outcome is in `report`.
    let mut portable: Vec<MigrationEntry> = Vec::new();
    let mut positions: Vec<usize> = Vec::new();
    for (index, account) in accounts.iter().enumerate() {
        let label = account.display_label();
        match check(&account.otp) {
            Ok(warnings) => {
                positions.push(report.len());
                portable.push(MigrationEntry::from_account(account));
                report.push(MigrationAccount {
                    index,
                    label,
                    // The code index is set once the batches are known.
                    outcome: MigrationOutcome::Exported { code: 0, warnings },
                });
            }
            Err(reason) => report.push(MigrationAccount {
                index,
                label,
                outcome: MigrationOutcome::Skipped { reason },
            }),
        }
    }

    let batches = split(&portable)?;
    let size = i32::try_from(batches.len()).map_err(|_| ExportError::Encoding)?;
    let mut uris = Vec::with_capacity(batches.len());
    for (code, batch) in batches.iter().enumerate() {
        let info = BatchInfo {
            version: 1,
            size,
            index: i32::try_from(code).map_err(|_| ExportError::Encoding)?,
            id: batch_id,
        };
        for position in &positions[batch.clone()] {
            if let Some(MigrationAccount {
                outcome: MigrationOutcome::Exported { code: slot, .. },
                ..
            }) = report.get_mut(*position)
            {
                *slot = code;
            }
        }
        uris.push(write(info, &portable[batch.clone()])?);
    }
    Ok(MigrationExport {
        uris,
        batch_id,
        accounts: report,
    })
}

/// Whether Google's format expresses `otp`, and with which caveats.
fn check(otp: &Otp) -> Result<Vec<MigrationWarning>, NotPortable> {
    let (algorithm, digits) = match *otp {
        Otp::Steam => return Err(NotPortable::Steam),
        Otp::Hotp {
            algorithm,
            digits,
            counter,
        } => {
            if i64::try_from(counter).is_err() {
                return Err(NotPortable::CounterTooLarge);
            }
            (algorithm, digits)
        }
        Otp::Totp {
            algorithm,
            digits,
            period,
        } => {
            if period != Period::THIRTY {
                return Err(NotPortable::Period {
                    seconds: period.get(),
                });
            }
            (algorithm, digits)
        }
    };
    let mut warnings = Vec::new();
    match digits.get() {
        6 => {}
        8 => warnings.push(MigrationWarning::EightDigits),
        digits => return Err(NotPortable::Digits { digits }),
    }
    if algorithm != Algorithm::Sha1 {
        warnings.push(MigrationWarning::Algorithm { algorithm });
    }
    Ok(warnings)
}

/// Groups the portable accounts into batches: consecutive, at most
/// [`MAX_ACCOUNTS_PER_CODE`] each, and each URI at most [`MAX_URI_LEN`] long (measured with
/// the longest possible batch fields, so the final URIs are no longer).
fn split(portable: &[MigrationEntry]) -> Result<Vec<Range<usize>>, ExportError> {
    let widest = BatchInfo {
        version: 1,
        size: i32::MAX,
        index: i32::MAX,
        // Negative ids take the longest (10-byte) varint.
        id: -1,
    };
    let mut batches = Vec::new();
    let mut start = 0;
    while start < portable.len() {
        let mut end = start + 1;
        while end < portable.len() && end - start < MAX_ACCOUNTS_PER_CODE {
            if write(widest, &portable[start..=end])?.len() > MAX_URI_LEN {
                break;
            }
            end += 1;
        }
        batches.push(start..end);
        start = end;
    }
    Ok(batches)
}

fn write(info: BatchInfo, entries: &[MigrationEntry]) -> Result<Zeroizing<String>, ExportError> {
    // `check` lets through only what the core writer expresses; a refusal here would be a bug
    // in `check`, reported rather than panicking.
    migration::write(info, entries).map_err(|_| ExportError::Encoding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_core::Digits;

    #[test]
    fn portability_table() {
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
        type Case = (
            &'static str,
            Otp,
            Result<Vec<MigrationWarning>, NotPortable>,
        );
        let cases: &[Case] = &[
            ("default", Otp::DEFAULT_TOTP, Ok(vec![])),
            ("hotp", hotp(5), Ok(vec![])),
            ("hotp_max", hotp(i64::MAX as u64), Ok(vec![])),
            (
                "hotp_too_large",
                hotp(1 << 63),
                Err(NotPortable::CounterTooLarge),
            ),
            ("steam", Otp::Steam, Err(NotPortable::Steam)),
            (
                "60s",
                totp(Algorithm::Sha1, 6, 60),
                Err(NotPortable::Period { seconds: 60 }),
            ),
            (
                "5_digits",
                totp(Algorithm::Sha1, 5, 30),
                Err(NotPortable::Digits { digits: 5 }),
            ),
            (
                "7_digits",
                totp(Algorithm::Sha1, 7, 30),
                Err(NotPortable::Digits { digits: 7 }),
            ),
            (
                "10_digits",
                totp(Algorithm::Sha1, 10, 30),
                Err(NotPortable::Digits { digits: 10 }),
            ),
            (
                "8_digits",
                totp(Algorithm::Sha1, 8, 30),
                Ok(vec![MigrationWarning::EightDigits]),
            ),
            (
                "sha512_8",
                totp(Algorithm::Sha512, 8, 30),
                Ok(vec![
                    MigrationWarning::EightDigits,
                    MigrationWarning::Algorithm {
                        algorithm: Algorithm::Sha512,
                    },
                ]),
            ),
        ];
        for (case, otp, expected) in cases {
            assert_eq!(&check(otp), expected, "{case}");
        }
    }
}
