//! The user's tokens as the server lists them, and which of them live in this Tessera.
//!
//! A token enrolled here is linked to its vault account in the vault section `selfservice`
//! (`{"version":1,"links":[{"account","server","serial"}]}`): public data only, the secret is
//! in the account. Push tokens need no link: a stored [`crate::PushToken`] names its serial
//! and server.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tessera_core::vault::VaultData;
use tessera_core::{Account, AccountId, UnixTime};

use super::Server;
use crate::store::load_tokens;

/// Vault section linking accounts to the server tokens they were enrolled as.
pub const LINK_SECTION: &str = "selfservice";

/// One of the user's tokens at the server (`GET /token/`). Texts come from the server:
/// sanitise them before a terminal shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenInfo {
    /// Serial, e.g. `TOTP000064A1`.
    pub serial: String,
    /// Type: `totp`, `hotp`, `push`, `tan`, …
    pub kind: String,
    /// The description the user or admin gave it.
    pub description: String,
    /// `false` when disabled.
    pub active: bool,
    /// privacyIDEA's `locked` flag (set, with `revoked`, when a token is revoked).
    pub locked: bool,
    /// Revoked for good.
    pub revoked: bool,
    /// Failed attempts in a row.
    pub failcount: u32,
    /// Failed attempts after which the token is locked (0: no limit).
    pub maxfail: u32,
    /// `enrolled`, or an unfinished state like `clientwait` (push step 2 never done).
    pub rollout_state: String,
    /// Last successful or failed use, when the server records it (`info.last_auth`).
    pub last_used: Option<UnixTime>,
    /// Backup codes (TAN) left unused.
    pub remaining_codes: Option<u32>,
    /// Where it lives in this Tessera, after [`mark_here`].
    pub here: Option<Here>,
}

/// The state to show for a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenStatus {
    /// Usable.
    Active,
    /// Disabled by the user or an admin: enable it to use it again.
    Disabled,
    /// Too many failed attempts: reset the failure counter.
    Locked,
    /// Revoked for good: delete it and enroll another.
    Revoked,
    /// The enrollment was never finished.
    Unfinished,
}

impl TokenStatus {
    /// A stable lower-case name: `active`, `disabled`, `locked`, `revoked`, `unfinished`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Disabled => "disabled",
            Self::Locked => "locked",
            Self::Revoked => "revoked",
            Self::Unfinished => "unfinished",
        }
    }
}

impl TokenInfo {
    /// The state to show (revoked, then locked, then unfinished, then disabled).
    pub fn status(&self) -> TokenStatus {
        if self.revoked {
            TokenStatus::Revoked
        } else if self.locked || (self.maxfail > 0 && self.failcount >= self.maxfail) {
            TokenStatus::Locked
        } else if !self.rollout_state.is_empty() && self.rollout_state != "enrolled" {
            TokenStatus::Unfinished
        } else if !self.active {
            TokenStatus::Disabled
        } else {
            TokenStatus::Active
        }
    }
}

/// Where a server token lives in this Tessera.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Here {
    /// An OTP account of the vault.
    Account(AccountId),
    /// A stored push token ([`crate::PushToken::id`]).
    Push(String),
}

#[derive(Serialize, Deserialize)]
struct Links {
    version: u32,
    links: Vec<Link>,
    /// The last server signed in to (no password, no session).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last: Option<LastServer>,
    #[serde(flatten)]
    unknown: serde_json::Map<String, Value>,
}

/// Where the user last signed in, to offer it next time: public data only (no password, no
/// session token), kept in the vault's `selfservice` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LastServer {
    /// The base URL as typed (checked again by [`Server::parse`] when used).
    pub url: String,
    /// The user name.
    pub user: String,
    /// The realm, if one was given.
    #[serde(default)]
    pub realm: Option<String>,
    /// Whether TLS certificates were checked (off only when the user turned it off for this
    /// server).
    #[serde(default = "verify_by_default")]
    pub verify_tls: bool,
    /// The server refused the password alone and took it with a one-time code (its
    /// `login_mode=privacyIDEA` without a challenge-response policy): ask for both up front
    /// next time, since each password sent alone counts as a failure on every token of the
    /// user.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub code_with_password: bool,
}

fn verify_by_default() -> bool {
    true
}

/// Remembers where the user signed in (see [`LastServer`]). What was learnt about signing in
/// there ([`LastServer::code_with_password`]) is kept while the server and user stay the same.
pub fn remember_server(data: &mut VaultData, server: &Server, user: &str, realm: Option<&str>) {
    let mut stored = links(data);
    let code_with_password = stored.last.as_ref().is_some_and(|last| {
        last.code_with_password && last.url == server.url() && last.user == user
    });
    stored.last = Some(LastServer {
        url: server.url().to_owned(),
        user: user.to_owned(),
        realm: realm.map(str::to_owned),
        verify_tls: server.verifies_tls(),
        code_with_password,
    });
    write_links(data, &stored);
}

/// Remembers whether the last server (see [`remember_server`]) takes the password together
/// with a one-time code ([`LastServer::code_with_password`]).
pub fn remember_code_with_password(data: &mut VaultData, needed: bool) {
    let mut stored = links(data);
    if let Some(last) = &mut stored.last {
        last.code_with_password = needed;
        write_links(data, &stored);
    }
}

/// Where the user last signed in, if anywhere (a damaged section remembers nothing).
pub fn last_server(data: &VaultData) -> Option<LastServer> {
    links(data).last
}

#[derive(Serialize, Deserialize)]
struct Link {
    account: String,
    server: String,
    serial: String,
    #[serde(flatten)]
    unknown: serde_json::Map<String, Value>,
}

fn links(data: &VaultData) -> Links {
    data.section(LINK_SECTION)
        .and_then(|value| serde_json::from_value(value.clone()).ok())
        .unwrap_or(Links {
            version: 1,
            links: Vec::new(),
            last: None,
            unknown: serde_json::Map::new(),
        })
}

fn write_links(data: &mut VaultData, links: &Links) {
    // Plain strings and numbers: serialising them cannot fail.
    if let Ok(value) = serde_json::to_value(links) {
        data.set_section(LINK_SECTION, value);
    }
}

/// Adds an account enrolled at `server` as `serial` to the vault and links the two, so
/// [`mark_here`] knows it. Returns the account's id.
pub fn save_enrolled(
    data: &mut VaultData,
    server: &Server,
    serial: &str,
    account: Account,
) -> AccountId {
    let id = account.id;
    data.accounts.push(account);
    let mut stored = links(data);
    stored
        .links
        .retain(|link| !(link.server == server.origin() && link.serial == serial));
    stored.links.push(Link {
        account: id.to_string(),
        server: server.origin().to_owned(),
        serial: serial.to_owned(),
        unknown: serde_json::Map::new(),
    });
    write_links(data, &stored);
    id
}

/// Links an account just added from a privacyIDEA enrollment link (`uri`, an `otpauth://` URI)
/// to the server token it came from, so [`mark_here`] knows it. privacyIDEA names the token
/// in its links (`serial=`) but not the server: the link is kept without one, and matches the
/// token of that serial on whichever server lists it (serials are the type and eight random
/// hex digits: two servers giving the same one to the same user is not a real case). Returns
/// the serial, or `None` when the URI names none (a link from another issuer).
pub fn link_added(data: &mut VaultData, account: AccountId, uri: &str) -> Option<String> {
    let serial = serial_in_link(uri)?;
    let mut stored = links(data);
    stored
        .links
        .retain(|link| !(link.server.is_empty() && link.serial == serial));
    stored.links.push(Link {
        account: account.to_string(),
        server: String::new(),
        serial: serial.clone(),
        unknown: serde_json::Map::new(),
    });
    write_links(data, &stored);
    Some(serial)
}

/// The `serial=` parameter of an enrollment link. Only that parameter is decoded: the rest of
/// the link carries the secret, which is not copied here.
fn serial_in_link(uri: &str) -> Option<String> {
    let query = uri.split_once('?')?.1;
    let query = query.split_once('#').map_or(query, |(before, _)| before);
    let value = query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.eq_ignore_ascii_case("serial").then_some(value)
    })?;
    let serial: String = url::form_urlencoded::parse(format!("s={value}").as_bytes())
        .next()?
        .1
        .trim()
        .to_owned();
    // privacyIDEA serials are short and printable (`TOTP000025A2`); anything else is not one.
    let printable = serial.chars().all(|c| c.is_ascii_graphic());
    (!serial.is_empty() && serial.len() <= 64 && printable).then_some(serial)
}

/// The vault account enrolled at `server` as `serial` (or added from a link naming `serial`,
/// see [`link_added`]), if it still exists.
pub fn local_account(data: &VaultData, server: &Server, serial: &str) -> Option<AccountId> {
    links(data)
        .links
        .iter()
        .filter(|link| {
            (link.server == server.origin() || link.server.is_empty()) && link.serial == serial
        })
        .filter_map(|link| AccountId::parse(&link.account))
        .find(|id| data.account(*id).is_some())
}

/// Sets [`TokenInfo::here`] on each token of `server` that lives in this Tessera: a linked
/// account of the vault `data` (see [`save_enrolled`]) or a push token of the push key store
/// `push_store` (see [`crate::sealed`]) with the same serial and server. A damaged push section,
/// or no store, marks no push token.
pub fn mark_here(
    tokens: &mut [TokenInfo],
    server: &Server,
    data: &VaultData,
    push_store: Option<&VaultData>,
) {
    let push = push_store
        .map(|store| load_tokens(store).unwrap_or_default())
        .unwrap_or_default();
    for token in tokens {
        token.here = local_account(data, server, &token.serial)
            .map(Here::Account)
            .or_else(|| {
                push.iter()
                    .find(|stored| {
                        stored.serial() == token.serial && stored.server() == server.origin()
                    })
                    .map(|stored| Here::Push(stored.id()))
            });
    }
}

#[cfg(test)]
mod tests {
    use tessera_core::{Otp, OtpSecret};

    use super::*;

    fn token(serial: &str) -> TokenInfo {
        TokenInfo {
            serial: serial.into(),
            kind: "totp".into(),
            description: String::new(),
            active: true,
            locked: false,
            revoked: false,
            failcount: 0,
            maxfail: 10,
            rollout_state: "enrolled".into(),
            last_used: None,
            remaining_codes: None,
            here: None,
        }
    }

    #[test]
    fn status_order() {
        let mut t = token("T");
        assert_eq!(t.status(), TokenStatus::Active);
        t.active = false;
        assert_eq!(t.status(), TokenStatus::Disabled);
        t.rollout_state = "clientwait".into();
        assert_eq!(t.status(), TokenStatus::Unfinished);
        t.failcount = 10;
        assert_eq!(t.status(), TokenStatus::Locked);
        t.revoked = true;
        assert_eq!(t.status(), TokenStatus::Revoked);
        let mut unlimited = token("U");
        unlimited.maxfail = 0;
        unlimited.failcount = 99;
        assert_eq!(unlimited.status(), TokenStatus::Active);
    }

    #[test]
    fn the_last_server_is_remembered_beside_the_links() {
        let mut data = VaultData::new(UnixTime(1));
        assert_eq!(last_server(&data), None);
        let server = Server::parse("https://pi.example.com/pi/")
            .unwrap()
            .verifying_tls(false);
        remember_server(&mut data, &server, "alice", Some("staff"));
        let account = Account::new(
            "privacyIDEA",
            "TOTP1",
            OtpSecret::from_slice(b"12345678901234567890"),
            Otp::DEFAULT_TOTP,
            UnixTime(1),
        );
        save_enrolled(&mut data, &server, "TOTP1", account);
        let last = last_server(&data).unwrap();
        assert_eq!(last.url, "https://pi.example.com/pi/");
        assert_eq!(
            (last.user.as_str(), last.realm.as_deref()),
            ("alice", Some("staff"))
        );
        assert!(!last.verify_tls);
        assert!(!last.code_with_password);
        // Learnt once, kept while the server and user stay; forgotten for another user.
        remember_code_with_password(&mut data, true);
        remember_server(&mut data, &server, "alice", Some("staff"));
        assert!(last_server(&data).unwrap().code_with_password);
        remember_server(&mut data, &server, "carol", None);
        assert!(!last_server(&data).unwrap().code_with_password);
        // Older sections (links only) still read, and keep their links.
        data.set_section(
            LINK_SECTION,
            serde_json::json!({"version": 1, "links": [], "future": 1}),
        );
        assert_eq!(last_server(&data), None);
        remember_server(&mut data, &server, "bob", None);
        assert_eq!(data.section(LINK_SECTION).unwrap()["future"], 1);
    }

    #[test]
    fn an_account_added_from_the_servers_own_link_is_marked_by_its_serial() {
        let server = Server::parse("http://127.0.0.1:5000").unwrap();
        let mut data = VaultData::new(UnixTime(1));
        // As privacyIDEA 3.14 writes a TOTP token's link (the label is the serial by default,
        // but a `tokenlabel` policy may make it anything: `serial=` is what names the token).
        let uri = "otpauth://totp/alice%40example?secret=ZO36WIJ373B3BWZFAK5WNYVTUUZW5UCH\
                   &period=30&digits=6&creator=privacyidea&issuer=privacyIDEA&serial=TOTP000025A2";
        let account = tessera_core::uri::OtpUri::parse(uri)
            .unwrap()
            .into_account(UnixTime(1));
        let id = account.id;
        data.accounts.push(account);
        assert_eq!(
            link_added(&mut data, id, uri).as_deref(),
            Some("TOTP000025A2")
        );
        let mut tokens = [token("TOTP000025A2"), token("TOTP00009999")];
        mark_here(&mut tokens, &server, &data, None);
        assert_eq!(tokens[0].here, Some(Here::Account(id)));
        assert_eq!(tokens[1].here, None);
        // Links of other issuers name no serial; odd serials are not taken.
        for other in [
            "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&serial=",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&serial=a%0Ab",
        ] {
            assert_eq!(link_added(&mut data, id, other), None, "{other}");
        }
        assert_eq!(
            serial_in_link("otpauth://totp/x?SERIAL=HOTP%2D1&secret=A#serial=no").as_deref(),
            Some("HOTP-1")
        );
    }

    #[test]
    fn linked_accounts_are_marked_per_server() {
        let here = Server::parse("http://127.0.0.1:5000").unwrap();
        let other = Server::parse("https://pi.example.com").unwrap();
        let mut data = VaultData::new(UnixTime(1));
        let account = Account::new(
            "privacyIDEA",
            "TOTP1",
            OtpSecret::from_slice(b"12345678901234567890"),
            Otp::DEFAULT_TOTP,
            UnixTime(1),
        );
        let id = save_enrolled(&mut data, &here, "TOTP1", account);
        let mut tokens = [token("TOTP1"), token("TOTP2")];
        mark_here(&mut tokens, &here, &data, None);
        assert_eq!(tokens[0].here, Some(Here::Account(id)));
        assert_eq!(tokens[1].here, None);
        let mut elsewhere = [token("TOTP1")];
        mark_here(&mut elsewhere, &other, &data, None);
        assert_eq!(elsewhere[0].here, None, "same serial, other server");
        // A deleted account is no longer "here".
        data.accounts.clear();
        assert_eq!(local_account(&data, &here, "TOTP1"), None);
    }
}
