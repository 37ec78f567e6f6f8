//! Finding the account a user means: an id (or a unique prefix of 8+ characters of one), else
//! the best tier of matches on issuer, name and tags, case-insensitively:
//!
//! 1. the whole label: `Issuer:name` or `Issuer (name)`;
//! 2. the whole issuer, name or a tag;
//! 3. the start of the issuer or name;
//! 4. anywhere in the issuer, name or a tag.
//!
//! One account in the best tier is the match; several are ambiguous and listed.

use tessera_core::vault::AccountGlance;
use tessera_core::{Account, AccountId};

use crate::failure::CliError;
use crate::sanitize::sanitize;

/// Characters of the id shown in lists (and the shortest accepted id prefix).
pub(crate) const SHORT_ID: usize = 8;

/// What matching looks at: a vault's [`Account`], or an [`AccountGlance`] of one.
pub(crate) trait Labelled {
    fn id(&self) -> AccountId;
    fn issuer(&self) -> &str;
    fn name(&self) -> &str;
    fn tags(&self) -> impl Iterator<Item = &str>;

    /// "Issuer (name)", or whichever of the two is set.
    fn display_label(&self) -> String {
        tessera_core::model::display_label(self.issuer(), self.name())
    }
}

impl Labelled for Account {
    fn id(&self) -> AccountId {
        self.id
    }
    fn issuer(&self) -> &str {
        &self.issuer
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn tags(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(String::as_str)
    }
}

impl Labelled for AccountGlance<'_> {
    fn id(&self) -> AccountId {
        self.id
    }
    fn issuer(&self) -> &str {
        &self.issuer
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn tags(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(|tag| tag.as_ref())
    }
}

/// The index of the one account `query` means.
pub(crate) fn resolve<T: Labelled>(accounts: &[T], query: &str) -> Result<usize, CliError> {
    let mut ranker = Ranker::new(query);
    for account in accounts {
        ranker.offer(account);
    }
    let hits = ranker.best().map(|(_, index)| index).collect();
    one_of(accounts, hits, ranker.seen, query)
}

/// [`resolve`] after a streaming search: `kept` are the accounts `ranker` accepted, in order.
/// Returns the position in `kept`.
pub(crate) fn resolve_kept<T: Labelled>(
    kept: &[T],
    ranker: &Ranker,
    query: &str,
) -> Result<usize, CliError> {
    let hits = ranker.best().map(|(position, _)| position).collect();
    one_of(kept, hits, ranker.seen, query)
}

/// The one hit among `accounts`, or why there is not one (`total`: how many were searched).
fn one_of<T: Labelled>(
    accounts: &[T],
    hits: Vec<usize>,
    total: usize,
    query: &str,
) -> Result<usize, CliError> {
    match hits.as_slice() {
        [one] => Ok(*one),
        [] if total == 0 => Err(CliError::NoAccounts),
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
                        short_id(account.id()),
                        sanitize(&account.display_label())
                    )
                })
                .collect(),
        }),
    }
}

/// The indices of the accounts in the best tier for `query` (empty if none match).
#[cfg(test)]
pub(crate) fn find<T: Labelled>(accounts: &[T], query: &str) -> Vec<usize> {
    let mut ranker = Ranker::new(query);
    for account in accounts {
        ranker.offer(account);
    }
    ranker.best().map(|(_, index)| index).collect()
}

/// Ranks accounts against one query as they come, lower is better: the whole id, then a prefix
/// of the id (a query of 8+ hex digits), then the label tiers. It keeps only accounts at least as
/// good as the best seen so far, so a search can run while a vault is being read.
pub(crate) struct Ranker {
    /// The lower-cased query; empty matches nothing.
    query: String,
    id: Option<AccountId>,
    id_prefix: Option<String>,
    /// (index among all offered, rank) of each kept account, in order.
    kept: Vec<(usize, usize)>,
    best: usize,
    seen: usize,
}

impl Ranker {
    pub(crate) fn new(query: &str) -> Self {
        let query = query.trim();
        let looks_like_id =
            query.len() >= SHORT_ID && query.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        Self {
            query: query.to_lowercase(),
            id: AccountId::parse(query),
            id_prefix: looks_like_id.then(|| query.to_ascii_lowercase()),
            kept: Vec::new(),
            best: usize::MAX,
            seen: 0,
        }
    }

    /// Ranks the next account; true when the caller should keep it (it may still lose to a
    /// better one later: [`Ranker::best`] says which kept ones won).
    pub(crate) fn offer<T: Labelled>(&mut self, account: &T) -> bool {
        let index = self.seen;
        self.seen += 1;
        let Some(rank) = self.rank(account) else {
            return false;
        };
        if rank > self.best {
            return false;
        }
        self.best = rank;
        self.kept.push((index, rank));
        true
    }

    /// The winners: (position among the kept, index among all offered).
    pub(crate) fn best(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.kept
            .iter()
            .enumerate()
            .filter(|(_, (_, rank))| *rank == self.best)
            .map(|(position, (index, _))| (position, *index))
    }

    fn rank<T: Labelled>(&self, account: &T) -> Option<usize> {
        if self.query.is_empty() {
            return None;
        }
        if self.id == Some(account.id()) {
            return Some(0);
        }
        if let Some(prefix) = &self.id_prefix
            && account.id().to_string().starts_with(prefix.as_str())
        {
            return Some(1);
        }
        tier(account, &self.query).map(|tier| tier + 2)
    }
}

/// How well `account` matches the lower-cased `query` (lower is better).
fn tier<T: Labelled>(account: &T, query: &str) -> Option<usize> {
    let issuer = Folded::new(account.issuer());
    let name = Folded::new(account.name());
    let tags = || account.tags().map(Folded::new);
    let whole_label = issuer
        .rest_of(query)
        .and_then(|rest| rest.strip_prefix(':'))
        .is_some_and(|rest| name.is(rest))
        || match (account.issuer().is_empty(), account.name().is_empty()) {
            // The display label: "Issuer (name)", else whichever is set.
            (false, false) => {
                issuer
                    .rest_of(query)
                    .and_then(|rest| rest.strip_prefix(" ("))
                    .and_then(|rest| name.rest_of(rest))
                    == Some(")")
            }
            (false, true) => issuer.is(query),
            (true, _) => name.is(query),
        };
    if whole_label {
        return Some(0);
    }
    if issuer.is(query) || name.is(query) || tags().any(|tag| tag.is(query)) {
        return Some(1);
    }
    if issuer.starts_with(query) || name.starts_with(query) {
        return Some(2);
    }
    if issuer.contains(query) || name.contains(query) || tags().any(|tag| tag.contains(query)) {
        return Some(3);
    }
    None
}

/// A label to compare with a lower-cased query. ASCII labels (nearly all of them) are compared
/// ignoring ASCII case without allocating: `tessera code` looks through every account, and
/// lower-casing copies of each label was a fifth of its run time on 1,000 accounts. Other text
/// goes through full Unicode lower-casing.
enum Folded<'a> {
    Ascii(&'a [u8]),
    Lower(String),
}

impl<'a> Folded<'a> {
    fn new(label: &'a str) -> Self {
        if label.is_ascii() {
            Self::Ascii(label.as_bytes())
        } else {
            Self::Lower(label.to_lowercase())
        }
    }

    fn is(&self, query: &str) -> bool {
        match self {
            Self::Ascii(label) => label.eq_ignore_ascii_case(query.as_bytes()),
            Self::Lower(label) => label == query,
        }
    }

    /// What follows this label at the start of `query`, if `query` starts with it.
    fn rest_of<'q>(&self, query: &'q str) -> Option<&'q str> {
        match self {
            Self::Ascii(label) => {
                let head = query.as_bytes().get(..label.len())?;
                // Equal to ASCII bytes, so `label.len()` is a character boundary of `query`.
                head.eq_ignore_ascii_case(label)
                    .then(|| &query[label.len()..])
            }
            Self::Lower(label) => query.strip_prefix(label.as_str()),
        }
    }

    fn starts_with(&self, query: &str) -> bool {
        match self {
            Self::Ascii(label) => label
                .get(..query.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(query.as_bytes())),
            Self::Lower(label) => label.starts_with(query),
        }
    }

    fn contains(&self, query: &str) -> bool {
        match self {
            Self::Ascii(label) => label
                .windows(query.len().max(1))
                .any(|window| window.eq_ignore_ascii_case(query.as_bytes())),
            Self::Lower(label) => label.contains(query),
        }
    }
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
            account("École", "élève", &[]),
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
            ("non-ASCII label, other case", "ÉCOLE:ÉLÈVE", &[5]),
            ("non-ASCII prefix", "éco", &[5]),
            ("non-ASCII display label", "école (élève)", &[5]),
            (
                "query longer than every label",
                "github:alice-and-much-more",
                &[],
            ),
        ];
        for (name, query, expected) in cases {
            assert_eq!(find(&accounts, query), *expected, "{name}");
            // The streaming search (a glance keeps only the accounts still in the running)
            // comes to the same answer.
            let mut ranker = Ranker::new(query);
            let kept: Vec<&Account> = accounts.iter().filter(|a| ranker.offer(*a)).collect();
            let streamed = resolve_kept(&kept, &ranker, query).map(|i| kept[i].id);
            let whole = resolve(&accounts, query).map(|i| accounts[i].id);
            assert_eq!(format!("{streamed:?}"), format!("{whole:?}"), "{name}");
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
        assert!(matches!(
            resolve::<Account>(&[], "x"),
            Err(CliError::NoAccounts)
        ));
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

    /// The first implementation, lower-casing copies of every label: the reference the
    /// allocation-free matcher must agree with.
    fn tier_by_lowercasing(account: &Account, query: &str) -> Option<usize> {
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
        if issuer.contains(query) || name.contains(query) || tags.iter().any(|t| t.contains(query))
        {
            return Some(3);
        }
        None
    }

    /// The streaming test keeps references, as a glance keeps borrowed accounts.
    impl<T: Labelled> Labelled for &T {
        fn id(&self) -> AccountId {
            (*self).id()
        }
        fn issuer(&self) -> &str {
            (*self).issuer()
        }
        fn name(&self) -> &str {
            (*self).name()
        }
        fn tags(&self) -> impl Iterator<Item = &str> {
            (*self).tags()
        }
    }

    proptest::proptest! {
        #[test]
        fn tier_agrees_with_lowercasing(
            issuer in "[aAbB:( )éÉ]{0,5}",
            name in "[aAbB:( )éÉ]{0,5}",
            tag in "[aAbBéÉ]{0,3}",
            query in "[aAbB:( )éÉ]{1,9}",
        ) {
            let account = account(&issuer, &name, &[tag.as_str()]);
            let query = query.to_lowercase();
            proptest::prop_assert_eq!(tier(&account, &query), tier_by_lowercasing(&account, &query));
        }
    }
}
