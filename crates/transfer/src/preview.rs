//! Sorting an import against the vault: new accounts, duplicates, conflicts.

use tessera_core::{Account, AccountId};

use crate::{Import, ImportedEntry};

/// How each imported entry relates to the vault, for the confirmation screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// One item per entry of [`Import::entries`], in the same order.
    pub entries: Vec<PreviewEntry>,
}

impl Preview {
    /// Entries that are new to the vault (what an import adds by default).
    pub fn new_entries(&self) -> impl Iterator<Item = &PreviewEntry> {
        self.entries
            .iter()
            .filter(|e| e.status == PreviewStatus::New)
    }
}

/// The status of one imported entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewEntry {
    /// Index into [`Import::entries`].
    pub index: usize,
    /// How it relates to the vault.
    pub status: PreviewStatus,
}

/// How an imported entry relates to the vault and to the rest of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PreviewStatus {
    /// Same issuer and name as an existing account but a different secret or kind: importing
    /// it would add a second account the user could confuse with the first.
    Conflict {
        /// The existing account.
        existing: AccountId,
    },
    /// The vault already has this account: same secret bytes and the same kind and parameters
    /// (an HOTP counter may have moved on, so it is not compared).
    Duplicate {
        /// The existing account.
        existing: AccountId,
    },
    /// Not in the vault.
    New,
    /// The same account appears earlier in this file.
    RepeatedInFile {
        /// Index into [`Import::entries`] of the first occurrence.
        first: usize,
    },
}

/// Classifies every entry of `import` against `existing` accounts.
pub fn preview(import: &Import, existing: &[Account]) -> Preview {
    let entries = import
        .entries
        .iter()
        .enumerate()
        .map(|(index, entry)| PreviewEntry {
            index,
            status: status(import, index, entry, existing),
        })
        .collect();
    Preview { entries }
}

fn status(
    import: &Import,
    index: usize,
    entry: &ImportedEntry,
    existing: &[Account],
) -> PreviewStatus {
    if let Some(account) = existing
        .iter()
        .find(|a| a.same_as(&entry.secret, &entry.otp))
    {
        return PreviewStatus::Duplicate {
            existing: account.id,
        };
    }
    if let Some(first) = import.entries[..index]
        .iter()
        .position(|e| e.secret == entry.secret && e.otp.same_codes_as(&entry.otp))
    {
        return PreviewStatus::RepeatedInFile { first };
    }
    if let Some(account) = existing
        .iter()
        .find(|a| same_label(&a.issuer, &a.name, &entry.issuer, &entry.name))
    {
        return PreviewStatus::Conflict {
            existing: account.id,
        };
    }
    PreviewStatus::New
}

/// Issuer and name equal after trimming, ignoring case (how users perceive "the same account").
fn same_label(issuer_a: &str, name_a: &str, issuer_b: &str, name_b: &str) -> bool {
    let eq = |x: &str, y: &str| x.trim().to_lowercase() == y.trim().to_lowercase();
    eq(issuer_a, issuer_b) && eq(name_a, name_b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Format;
    use tessera_core::{Algorithm, Digits, Otp, OtpSecret, UnixTime};

    fn entry(issuer: &str, name: &str, key: &[u8], otp: Otp) -> ImportedEntry {
        ImportedEntry {
            position: 0,
            issuer: issuer.into(),
            name: name.into(),
            secret: OtpSecret::from_slice(key),
            otp,
            tags: Vec::new(),
        }
    }

    fn hotp(counter: u64) -> Otp {
        Otp::Hotp {
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            counter,
        }
    }

    #[test]
    fn classifies_each_case() {
        let now = UnixTime(0);
        let existing = vec![
            Account::new(
                "GitHub",
                "me",
                OtpSecret::from_slice(b"aaaa"),
                Otp::DEFAULT_TOTP,
                now,
            ),
            Account::new("Bank", "me", OtpSecret::from_slice(b"bbbb"), hotp(3), now),
        ];
        let import = Import {
            format: Format::OtpauthUri,
            entries: vec![
                // duplicate under another name
                entry("GH", "other", b"aaaa", Otp::DEFAULT_TOTP),
                // same label, other secret
                entry("github ", "ME", b"cccc", Otp::DEFAULT_TOTP),
                // HOTP with an advanced counter: still the same account
                entry("Bank", "me", b"bbbb", hotp(9)),
                // same secret, other kind: not a duplicate
                entry("X", "y", b"aaaa", Otp::Steam),
                // repeated within the file
                entry("X", "y2", b"aaaa", Otp::Steam),
                // same secret as GitHub, SHA-256 (a Google export had both): other codes, new
                entry(
                    "GH",
                    "sha256",
                    b"aaaa",
                    Otp::Totp {
                        algorithm: Algorithm::Sha256,
                        digits: Digits::SIX,
                        period: tessera_core::Period::THIRTY,
                    },
                ),
                entry("New", "one", b"dddd", Otp::DEFAULT_TOTP),
            ],
            problems: Vec::new(),
            export_codes: Vec::new(),
        };
        let statuses: Vec<_> = preview(&import, &existing)
            .entries
            .into_iter()
            .map(|e| e.status)
            .collect();
        assert_eq!(
            statuses,
            [
                PreviewStatus::Duplicate {
                    existing: existing[0].id
                },
                PreviewStatus::Conflict {
                    existing: existing[0].id
                },
                PreviewStatus::Duplicate {
                    existing: existing[1].id
                },
                PreviewStatus::New,
                PreviewStatus::RepeatedInFile { first: 3 },
                PreviewStatus::New,
                PreviewStatus::New,
            ]
        );
    }
}
