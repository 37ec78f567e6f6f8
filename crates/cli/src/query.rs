//! Finding the account a user means: an id (or a unique prefix of 8+ characters of one), else
//! the best tier of matches on issuer, name and tags, case-insensitively:
//!
//! 1. the whole label: `Issuer:name` or `Issuer (name)`;
//! 2. the whole issuer, name or a tag;
//! 3. the start of the issuer or name;
//! 4. anywhere in the issuer, name or a tag.
//!
//! One account in the best tier is the match; several are ambiguous and listed.

use tessera_core::{Account, AccountId};

use crate::failure::CliError;
use crate::sanitize::sanitize;

/// Characters of the id shown in lists (and the shortest accepted id prefix).
pub(crate) const SHORT_ID: usize = 8;

/// The index of the one account `query` means.
pub(crate) fn resolve(accounts: &[Account], query: &str) -> Result<usize, CliError> {
    let hits = find(accounts, query);
    match hits.as_slice() {
        [one] => Ok(*one),
        [] if accounts.is_empty() => Err(CliError::NoAccounts),
        [] => Err(CliError::NoMatch {
            query: query.to_owned(),
        }),
        many => Err(CliError::Ambiguous {
            query: query.to_owned(),
            candidates: many
                .iter()
                .map(|&i| {
                    let account = &accounts[i];
                    format!(
                        "{}  {}",
                        short_id(account.id),
                        sanitize(&account.display_label())
                    )
                })
                .collect(),
        }),
    }
}

/// The indices of the accounts in the best tier for `query` (empty if none match).
pub(crate) fn find(accounts: &[Account], query: &str) -> Vec<usize> {
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    if let Some(id) = AccountId::parse(query)
        && let Some(index) = accounts.iter().position(|a| a.id == id)
    {
        return vec![index];
    }
    if query.len() >= SHORT_ID && query.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        let prefix = query.to_ascii_lowercase();
        let hits: Vec<usize> = (0..accounts.len())
            .filter(|&i| accounts[i].id.to_string().starts_with(&prefix))
            .collect();
        if !hits.is_empty() {
            return hits;
        }
    }
    let query = query.to_lowercase();
    let mut best = usize::MAX;
    let mut hits = Vec::new();
    for (index, account) in accounts.iter().enumerate() {
        let Some(tier) = tier(account, &query) else {
            continue;
        };
        if tier < best {
            best = tier;
            hits.clear();
        }
        if tier == best {
            hits.push(index);
        }
    }
    hits
}

/// How well `account` matches the lower-cased `query` (lower is better).
fn tier(account: &Account, query: &str) -> Option<usize> {
    let issuer = account.issuer.to_lowercase();
    let name = account.name.to_lowercase();
    let tags: Vec<String> = account.tags.iter().map(|t| t.to_lowercase()).collect();
    if format!("{issuer}:{name}") == query || account.display_label().to_lowercase() == query {
        return Some(0);
    }
    if issuer == query || name == query || tags.iter().any(|t| t == query) {
        return Some(1);
    }
    if issuer.starts_with(query) || name.starts_with(query) {
        return Some(2);
    }
    if issuer.contains(query) || name.contains(query) || tags.iter().any(|t| t.contains(query)) {
        return Some(3);
    }
    None
}

/// The first characters of the id, as lists show it.
pub(crate) fn short_id(id: AccountId) -> String {
    let mut text = id.to_string();
    text.truncate(SHORT_ID);
    text
}

#[cfg(test)]
mod tests {
    use tessera_core::{Otp, OtpSecret, UnixTime};

    use super::*;

    fn account(issuer: &str, name: &str, tags: &[&str]) -> Account {
        let mut account = Account::new(
            issuer,
            name,
            OtpSecret::from_slice(b"0123456789"),
            Otp::DEFAULT_TOTP,
            UnixTime(0),
        );
        account.tags = tags.iter().map(|t| (*t).to_owned()).collect();
        account
    }

    #[test]
    fn named_cases() {
        let accounts = vec![
            account("GitHub", "alice", &["work"]),
            account("GitHub", "bob", &[]),
            account("GitLab", "alice", &["work"]),
            account("Proton", "me@proton.me", &["mail"]),
            account("", "standalone", &[]),
        ];
        let cases: &[(&str, &str, &[usize])] = &[
            ("whole label", "github:bob", &[1]),
            ("label with parentheses", "GitLab (alice)", &[2]),
            ("issuer shared by two", "github", &[0, 1]),
            ("whole name beats prefix", "alice", &[0, 2]),
            ("prefix", "prot", &[3]),
            ("prefix of two issuers", "git", &[0, 1, 2]),
            ("tag exact", "mail", &[3]),
            ("tag shared", "work", &[0, 2]),
            ("substring", "proton.me", &[3]),
            ("name only", "STANDALONE", &[4]),
            ("nothing", "zzz", &[]),
            ("blank", "  ", &[]),
        ];
        for (name, query, expected) in cases {
            assert_eq!(find(&accounts, query), *expected, "{name}");
        }
    }

    #[test]
    fn ids_full_and_prefix() {
        let accounts = vec![account("A", "a", &[]), account("B", "b", &[])];
        let id = accounts[1].id.to_string();
        assert_eq!(find(&accounts, &id), vec![1]);
        assert_eq!(find(&accounts, &id[..SHORT_ID]), vec![1]);
        assert_eq!(find(&accounts, &id[..SHORT_ID].to_uppercase()), vec![1]);
        assert_eq!(resolve(&accounts, &id[..SHORT_ID]).ok(), Some(1));
    }

    #[test]
    fn resolve_errors() {
        assert!(matches!(resolve(&[], "x"), Err(CliError::NoAccounts)));
        let accounts = vec![account("Evil\u{202e}", "x", &[]), account("Evil", "y", &[])];
        match resolve(&accounts, "evi") {
            Err(CliError::Ambiguous { candidates, .. }) => {
                assert_eq!(candidates.len(), 2);
                assert!(
                    candidates[0].ends_with("Evil\\u{202e} (x)"),
                    "{candidates:?}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            resolve(&accounts, "nobody"),
            Err(CliError::NoMatch { .. })
        ));
    }
}
