//! The stored form of push tokens and of the activity log, inside a vault-format store (the
//! push key store of [`crate::sealed`]; older Tessera versions kept them in the vault itself).
//!
//! - Public token data goes in the vault section `push` (`{"version":1,"tokens":[…]}`).
//! - Each device private key goes in the vault's wiping secret store under
//!   `push/<serial>@<origin>` as PKCS#8 DER, never in a JSON `Value` (those are not wiped).
//! - The activity log is the section `activity` (`{"version":1,"entries":[…]}`), newest last,
//!   capped at [`MAX_ACTIVITY`] entries.

use std::fmt;

use data_encoding::BASE64;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tessera_core::vault::VaultData;
use tessera_core::{OtpSecret, UnixTime};
use url::Url;

use crate::PushError;
use crate::protocol::{DeclineReason, DeviceKey, EnrollmentUri, ForceUnlock, ServerKey, token_id};

/// Vault section with the public data of every push token.
pub const PUSH_SECTION: &str = "push";
/// Vault section with the activity log.
pub const ACTIVITY_SECTION: &str = "activity";
/// Most activity entries kept; older ones are dropped first.
pub const MAX_ACTIVITY: usize = 2000;

/// An enrolled push token: everything needed to poll and answer. Several tokens, on several
/// servers, live side by side; a token is identified by [`PushToken::id`] (serials are only
/// unique per server).
///
/// Holds the device private key: no `Clone` or `Serialize`; `Debug` shows metadata only.
pub struct PushToken {
    serial: String,
    url: String,
    origin: String,
    sslverify: bool,
    server_key: ServerKey,
    device_key: DeviceKey,
    /// The name shown to the user (the link's label at first; the user may rename it).
    pub label: String,
    /// The organisation, from the link's `issuer`.
    pub issuer: Option<String>,
    /// When the token was enrolled.
    pub enrolled: UnixTime,
    /// The verification the organisation demands before an approval (from the link).
    pub force_unlock: Option<ForceUnlock>,
}

impl PushToken {
    /// A token from a finished enrollment (step 2 answered with `server_key`).
    pub fn new(
        uri: &EnrollmentUri,
        device_key: DeviceKey,
        server_key: ServerKey,
        enrolled: UnixTime,
    ) -> Self {
        Self {
            serial: uri.serial().to_owned(),
            url: uri.url_text().to_owned(),
            origin: uri.url().origin().ascii_serialization(),
            sslverify: uri.sslverify(),
            server_key,
            device_key,
            label: uri.label().to_owned(),
            issuer: uri.issuer().map(str::to_owned),
            enrolled,
            force_unlock: uri.force_unlock(),
        }
    }

    /// A stable identifier across servers: `<serial>@<origin>`, e.g.
    /// `PIPU00005FB7@https://pi.example.com`.
    pub fn id(&self) -> String {
        token_id(&self.serial, &self.origin)
    }

    /// The serial, e.g. `PIPU00005FB7`.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// The registration URL that polls go to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The server, as `scheme://host[:port]` (what the activity log and prompts show).
    pub fn server(&self) -> &str {
        &self.origin
    }

    /// Whether TLS certificates are checked. `false` (the link said `sslverify=0`) must be
    /// shown as a warning on the token.
    pub fn sslverify(&self) -> bool {
        self.sslverify
    }

    /// The server's key, which every request must be signed with.
    pub fn server_key(&self) -> &ServerKey {
        &self.server_key
    }

    /// The device key (signs polls and answers).
    pub fn device_key(&self) -> &DeviceKey {
        &self.device_key
    }

    fn secret_name(&self) -> String {
        format!("push/{}", self.id())
    }
}

impl fmt::Debug for PushToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PushToken")
            .field("serial", &self.serial)
            .field("server", &self.origin)
            .field("label", &self.label)
            .field("sslverify", &self.sslverify)
            .field("device_key", &self.device_key)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
struct StoredTokens {
    version: u32,
    tokens: Vec<StoredToken>,
    /// Fields written by a newer Tessera, kept on save.
    #[serde(flatten)]
    unknown: serde_json::Map<String, Value>,
}

#[derive(Serialize, Deserialize)]
struct StoredToken {
    serial: String,
    url: String,
    sslverify: bool,
    /// Base64 of the PKCS#1 DER public key.
    server_public_key: String,
    label: String,
    #[serde(default)]
    issuer: Option<String>,
    enrolled: u64,
    /// Absent in tokens enrolled before Tessera read the policy: nothing demanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    force_unlock: Option<ForceUnlock>,
    #[serde(flatten)]
    unknown: serde_json::Map<String, Value>,
}

fn stored_tokens(data: &VaultData) -> Result<StoredTokens, PushError> {
    match data.section(PUSH_SECTION) {
        None => Ok(StoredTokens {
            version: 1,
            tokens: Vec::new(),
            unknown: serde_json::Map::new(),
        }),
        Some(value) => serde_json::from_value(value.clone())
            .map_err(|_| PushError::InvalidStoredToken("push section")),
    }
}

fn write_tokens(data: &mut VaultData, stored: &StoredTokens) -> Result<(), PushError> {
    let value =
        serde_json::to_value(stored).map_err(|_| PushError::InvalidStoredToken("push section"))?;
    data.set_section(PUSH_SECTION, value);
    Ok(())
}

/// Every stored push token, in enrollment order.
pub fn load_tokens(data: &VaultData) -> Result<Vec<PushToken>, PushError> {
    stored_tokens(data)?
        .tokens
        .into_iter()
        .map(|stored| {
            let url = Url::parse(&stored.url).map_err(|_| PushError::InvalidStoredToken("url"))?;
            let origin = url.origin().ascii_serialization();
            let server_der = BASE64
                .decode(stored.server_public_key.as_bytes())
                .map_err(|_| PushError::InvalidStoredToken("server key"))?;
            let server_key = ServerKey::from_pkcs1_der(&server_der)
                .map_err(|_| PushError::InvalidStoredToken("server key"))?;
            let name = format!("push/{}@{}", stored.serial, origin);
            let secret = data
                .secret(&name)
                .ok_or(PushError::InvalidStoredToken("device key missing"))?;
            // EXPOSE: the PKCS#8 DER is parsed straight from the vault's wiping buffer.
            let device_key = DeviceKey::from_pkcs8_der(secret.expose_secret())?;
            Ok(PushToken {
                serial: stored.serial,
                url: stored.url,
                origin,
                sslverify: stored.sslverify,
                server_key,
                device_key,
                label: stored.label,
                issuer: stored.issuer,
                enrolled: UnixTime(stored.enrolled),
                force_unlock: stored.force_unlock,
            })
        })
        .collect()
}

/// Stores `token` (public part in the `push` section, device key in the secret store),
/// replacing a token with the same [`PushToken::id`]. Use inside `Vault::update`.
pub fn save_token(data: &mut VaultData, token: &PushToken) -> Result<(), PushError> {
    let mut stored = stored_tokens(data)?;
    let der = token.device_key.to_pkcs8_der()?;
    let entry = StoredToken {
        serial: token.serial.clone(),
        url: token.url.clone(),
        sslverify: token.sslverify,
        server_public_key: BASE64.encode(&token.server_key.to_pkcs1_der()?),
        label: token.label.clone(),
        issuer: token.issuer.clone(),
        enrolled: token.enrolled.0,
        force_unlock: token.force_unlock,
        unknown: serde_json::Map::new(),
    };
    let id = token.id();
    match stored
        .tokens
        .iter_mut()
        .find(|existing| stored_id(existing).as_deref() == Some(id.as_str()))
    {
        Some(existing) => {
            let unknown = std::mem::take(&mut existing.unknown);
            *existing = StoredToken { unknown, ..entry };
        }
        None => stored.tokens.push(entry),
    }
    write_tokens(data, &stored)?;
    // The DER moves from one wiping buffer (Zeroizing) into the vault's (OtpSecret).
    data.set_secret(&token.secret_name(), Some(OtpSecret::from_slice(&der)));
    Ok(())
}

fn stored_id(stored: &StoredToken) -> Option<String> {
    let url = Url::parse(&stored.url).ok()?;
    Some(token_id(
        &stored.serial,
        &url.origin().ascii_serialization(),
    ))
}

/// Removes the token with `id` and its device key from the vault (local only: the server
/// keeps its side until an admin or the user's self-service deletes it). Returns whether it
/// existed.
pub fn remove_token(data: &mut VaultData, id: &str) -> Result<bool, PushError> {
    let mut stored = stored_tokens(data)?;
    let before = stored.tokens.len();
    stored
        .tokens
        .retain(|token| stored_id(token).as_deref() != Some(id));
    let removed = stored.tokens.len() != before;
    if removed {
        write_tokens(data, &stored)?;
        data.set_secret(&format!("push/{id}"), None);
    }
    Ok(removed)
}

/// Renames the token with `id`. Returns whether it existed.
pub fn rename_token(data: &mut VaultData, id: &str, label: &str) -> Result<bool, PushError> {
    let mut stored = stored_tokens(data)?;
    let Some(token) = stored
        .tokens
        .iter_mut()
        .find(|token| stored_id(token).as_deref() == Some(id))
    else {
        return Ok(false);
    };
    token.label = label.to_owned();
    write_tokens(data, &stored)?;
    Ok(true)
}

/// The secret names of the device keys the `push` section refers to (what moving the tokens
/// to another store must carry along).
pub fn device_key_names(data: &VaultData) -> Result<Vec<String>, PushError> {
    Ok(stored_tokens(data)?
        .tokens
        .iter()
        .filter_map(stored_id)
        .map(|id| format!("push/{id}"))
        .collect())
}

/// Adds the tokens of another store's `push` section (`incoming`, as stored) to `data`: a token
/// with the same id is replaced, others are kept. Device keys are the caller's to copy.
pub fn merge_tokens(data: &mut VaultData, incoming: &Value) -> Result<(), PushError> {
    let incoming: StoredTokens = serde_json::from_value(incoming.clone())
        .map_err(|_| PushError::InvalidStoredToken("push section"))?;
    let mut stored = stored_tokens(data)?;
    for token in incoming.tokens {
        let id = stored_id(&token);
        stored
            .tokens
            .retain(|existing| id.is_none() || stored_id(existing) != id);
        stored.tokens.push(token);
    }
    write_tokens(data, &stored)
}

/// Adds another store's activity log (`incoming`, as stored) before this one's entries, skipping
/// entries already present, and keeps the newest [`MAX_ACTIVITY`].
pub fn merge_activity(data: &mut VaultData, incoming: &Value) {
    let Ok(incoming) = serde_json::from_value::<StoredActivity>(incoming.clone()) else {
        return;
    };
    let mut stored = stored_activity(data);
    let mut entries: Vec<Value> = incoming
        .entries
        .into_iter()
        .filter(|entry| !stored.entries.contains(entry))
        .collect();
    entries.append(&mut stored.entries);
    let excess = entries.len().saturating_sub(MAX_ACTIVITY);
    entries.drain(..excess);
    stored.entries = entries;
    if let Ok(value) = serde_json::to_value(&stored) {
        data.set_section(ACTIVITY_SECTION, value);
    }
}

/// What the user decided on a prompt (if they saw one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActivityDecision {
    /// Approved (with number matching: the number picked).
    Approved,
    /// Denied, with the reason given.
    Declined {
        /// The reason the user gave, if any.
        #[serde(default)]
        reason: Option<DeclineReason>,
    },
    /// No decision: the request was dropped or expired before an answer.
    None,
}

/// How a prompt ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// The server accepted the answer (approve or deny recorded).
    Accepted,
    /// The server said no to the answer (wrong number, expired, already answered).
    Refused,
    /// Code to phone: accepted, and this code was shown to type on the sign-in page.
    CodeShown {
        /// The code.
        code: String,
    },
    /// Expired before the user answered.
    Expired,
    /// Answered elsewhere, cancelled, or expired on the server before an answer here.
    Withdrawn,
    /// Never shown: forged, altered, replayed, or for an unknown token ([`PushError::code`]).
    /// Only older versions wrote it: unverified data is now counted in memory, never stored
    /// (a stored forgery's nonce hid the genuine request). Still read, to show old logs.
    Dropped {
        /// The error code.
        code: String,
    },
    /// The answer could not be delivered ([`PushError::code`]).
    Failed {
        /// The error code.
        code: String,
    },
}

impl Outcome {
    /// Whether this ends a request whose signatures verified, for good: answered (the server
    /// took or refused the answer), expired, or withdrawn by the server. Not a dropped request
    /// (its nonce is whatever the sender wrote) nor an answer that never arrived (the request
    /// may still be open at the server).
    pub fn closes_verified_request(&self) -> bool {
        match self {
            Self::Accepted
            | Self::Refused
            | Self::CodeShown { .. }
            | Self::Expired
            | Self::Withdrawn => true,
            Self::Dropped { .. } | Self::Failed { .. } => false,
        }
    }
}

/// The nonces that count as seen after a restart ([`crate::protocol::Inbox::remember`]), with
/// when each was handled: those of entries whose outcome
/// [closes a verified request](Outcome::closes_verified_request). A forged copy of a pending
/// request, dropped (and, by older versions, logged), must not make the genuine one a replay.
pub fn seen_nonces(entries: &[ActivityEntry]) -> Vec<(String, std::time::SystemTime)> {
    entries
        .iter()
        .filter(|entry| entry.outcome.closes_verified_request())
        .map(|entry| {
            let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(entry.time.0);
            (entry.nonce.clone(), at)
        })
        .collect()
}

/// One line of the sign-in history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ActivityEntry {
    /// When it happened (local clock).
    #[serde(with = "unix_time")]
    pub time: UnixTime,
    /// The server, `scheme://host[:port]`.
    pub server: String,
    /// The token serial.
    pub serial: String,
    /// The request nonce (replay detection across restarts).
    pub nonce: String,
    /// The request's title (server text).
    pub title: String,
    /// The request's question (server text; carries the context the server gives, such as
    /// the client IP).
    pub question: String,
    /// What the user decided.
    pub decision: ActivityDecision,
    /// How it ended.
    pub outcome: Outcome,
}

impl ActivityEntry {
    /// An entry for `token` and a request with `nonce`, `title` and `question`.
    pub fn new(
        time: UnixTime,
        token: &PushToken,
        nonce: &str,
        title: &str,
        question: &str,
        decision: ActivityDecision,
        outcome: Outcome,
    ) -> Self {
        Self {
            time,
            server: token.server().to_owned(),
            serial: token.serial().to_owned(),
            nonce: nonce.to_owned(),
            title: title.to_owned(),
            question: question.to_owned(),
            decision,
            outcome,
        }
    }
}

/// Serde for core's `UnixTime` (which has no serde derive): whole seconds.
mod unix_time {
    use serde::{Deserialize, Deserializer, Serializer};
    use tessera_core::UnixTime;

    pub(super) fn serialize<S: Serializer>(
        time: &UnixTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(time.0)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<UnixTime, D::Error> {
        u64::deserialize(deserializer).map(UnixTime)
    }
}

#[derive(Serialize, Deserialize)]
struct StoredActivity {
    version: u32,
    entries: Vec<Value>,
    #[serde(flatten)]
    unknown: serde_json::Map<String, Value>,
}

fn stored_activity(data: &VaultData) -> StoredActivity {
    data.section(ACTIVITY_SECTION)
        .and_then(|value| serde_json::from_value(value.clone()).ok())
        .unwrap_or(StoredActivity {
            version: 1,
            entries: Vec::new(),
            unknown: serde_json::Map::new(),
        })
}

/// The activity log, oldest first. Entries a newer Tessera wrote in a form this one cannot
/// read are skipped (and kept on save).
pub fn load_activity(data: &VaultData) -> Vec<ActivityEntry> {
    stored_activity(data)
        .entries
        .into_iter()
        .filter_map(|entry| serde_json::from_value(entry).ok())
        .collect()
}

/// Appends `entry` to the activity log, dropping the oldest beyond [`MAX_ACTIVITY`].
pub fn append_activity(data: &mut VaultData, entry: &ActivityEntry) -> Result<(), PushError> {
    let mut stored = stored_activity(data);
    let value =
        serde_json::to_value(entry).map_err(|_| PushError::InvalidStoredToken("activity"))?;
    stored.entries.push(value);
    let excess = stored.entries.len().saturating_sub(MAX_ACTIVITY);
    stored.entries.drain(..excess);
    let value =
        serde_json::to_value(&stored).map_err(|_| PushError::InvalidStoredToken("activity"))?;
    data.set_section(ACTIVITY_SECTION, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::KeySize;

    fn token(link: &str) -> PushToken {
        let uri = EnrollmentUri::parse(link).unwrap();
        let server = crate::protocol::tests::vector_server_key();
        PushToken::new(
            &uri,
            DeviceKey::make(KeySize::Rsa2048).unwrap(),
            server,
            UnixTime(5),
        )
    }

    #[test]
    fn tokens_round_trip_through_the_vault_data() {
        let mut data = VaultData::new(UnixTime(1));
        let a = token(
            "otpauth://pipush/Work?v=1&serial=PIPU1&enrollment_credential=c&url=https://pi.example:8443/ttype/push&issuer=ACME",
        );
        // Same serial on another server: a different token.
        let b = token(
            "pia://pipush/Other?v=1&serial=PIPU1&enrollment_credential=c&url=http://127.0.0.1:5000/ttype/push&sslverify=0",
        );
        save_token(&mut data, &a).unwrap();
        save_token(&mut data, &b).unwrap();
        assert_eq!(a.id(), "PIPU1@https://pi.example:8443");
        let loaded = load_tokens(&data).unwrap();
        assert_eq!(loaded.len(), 2);
        assert_eq!(loaded[0].label, "Work");
        assert_eq!(loaded[0].issuer.as_deref(), Some("ACME"));
        assert!(loaded[0].sslverify() && !loaded[1].sslverify());
        assert_eq!(loaded[1].server(), "http://127.0.0.1:5000");
        // The device key came back: it signs exactly as before.
        assert_eq!(
            loaded[0].device_key().sign_b32("x"),
            a.device_key().sign_b32("x")
        );
        assert_ne!(
            loaded[1].device_key().sign_b32("x"),
            a.device_key().sign_b32("x")
        );
        // No key material in the public section.
        let section = data.section(PUSH_SECTION).unwrap().to_string();
        assert!(!section.contains("MIIE"), "{section}");
        assert!(data.secret("push/PIPU1@https://pi.example:8443").is_some());

        assert!(rename_token(&mut data, &a.id(), "Renamed").unwrap());
        save_token(&mut data, &b).unwrap(); // replace, not append
        let loaded = load_tokens(&data).unwrap();
        assert_eq!((loaded.len(), loaded[0].label.as_str()), (2, "Renamed"));
        assert!(remove_token(&mut data, &a.id()).unwrap());
        assert!(!remove_token(&mut data, &a.id()).unwrap());
        assert!(data.secret("push/PIPU1@https://pi.example:8443").is_none());
        assert_eq!(load_tokens(&data).unwrap().len(), 1);
        assert!(format!("{:?}", loaded[0]).contains("DeviceKey(rsa-2048)"));

        // The organisation's unlock policy survives the store; older tokens have none.
        let strict = token(
            "otpauth://pipush/S?v=1&serial=PIPU2&enrollment_credential=c&url=https://pi.example/ttype/push&app_force_unlock=biometric",
        );
        save_token(&mut data, &strict).unwrap();
        let loaded = load_tokens(&data).unwrap();
        assert_eq!(loaded[0].force_unlock, None);
        assert_eq!(loaded[1].force_unlock, Some(ForceUnlock::Biometric));
    }

    #[test]
    fn a_token_without_its_key_is_reported() {
        let mut data = VaultData::new(UnixTime(1));
        let a = token(
            "otpauth://pipush/W?v=1&serial=PIPU2&enrollment_credential=c&url=https://pi.example/ttype/push",
        );
        save_token(&mut data, &a).unwrap();
        data.set_secret(&format!("push/{}", a.id()), None);
        assert!(matches!(
            load_tokens(&data),
            Err(PushError::InvalidStoredToken("device key missing"))
        ));
    }

    #[test]
    fn only_verified_closed_requests_count_as_seen() {
        let a = token(
            "otpauth://pipush/W?v=1&serial=PIPU4&enrollment_credential=c&url=https://pi.example/ttype/push",
        );
        let code = |code: &str| code.to_owned();
        let cases: [(&str, ActivityDecision, Outcome, bool); 8] = [
            (
                "approved and accepted",
                ActivityDecision::Approved,
                Outcome::Accepted,
                true,
            ),
            (
                "denied, the server refused the answer",
                ActivityDecision::Declined { reason: None },
                Outcome::Refused,
                true,
            ),
            (
                "code to phone shown",
                ActivityDecision::Approved,
                Outcome::CodeShown { code: code("123") },
                true,
            ),
            (
                "expired unanswered",
                ActivityDecision::None,
                Outcome::Expired,
                true,
            ),
            (
                "withdrawn by the server",
                ActivityDecision::None,
                Outcome::Withdrawn,
                true,
            ),
            (
                "forged copy logged by an older version",
                ActivityDecision::None,
                Outcome::Dropped {
                    code: code("push_bad_signature"),
                },
                false,
            ),
            (
                "unknown serial logged by an older version",
                ActivityDecision::None,
                Outcome::Dropped {
                    code: code("push_unknown_serial"),
                },
                false,
            ),
            (
                "answer not delivered: still open at the server",
                ActivityDecision::Approved,
                Outcome::Failed {
                    code: code("push_network"),
                },
                false,
            ),
        ];
        for (name, decision, outcome, seen) in cases {
            let entry = ActivityEntry::new(UnixTime(100), &a, "NONCE", "", "", decision, outcome);
            let nonces = seen_nonces(std::slice::from_ref(&entry));
            assert_eq!(!nonces.is_empty(), seen, "{name}");
            if seen {
                assert_eq!(
                    nonces,
                    [(
                        "NONCE".to_owned(),
                        std::time::UNIX_EPOCH + std::time::Duration::from_secs(100)
                    )],
                    "{name}"
                );
            }
        }
        // As an older version stored it: read back, and still not seen.
        let mut data = VaultData::new(UnixTime(1));
        data.set_section(
            ACTIVITY_SECTION,
            serde_json::json!({"version": 1, "entries": [{
                "time": 100, "server": "https://pi.example", "serial": "PIPU4", "nonce": "N1",
                "title": "", "question": "", "decision": {"kind": "none"},
                "outcome": {"kind": "dropped", "code": "push_bad_signature"},
            }]}),
        );
        assert_eq!(load_activity(&data).len(), 1);
        assert!(seen_nonces(&load_activity(&data)).is_empty());
    }

    #[test]
    fn activity_log_appends_caps_and_keeps_unknown_entries() {
        let mut data = VaultData::new(UnixTime(1));
        let a = token(
            "otpauth://pipush/W?v=1&serial=PIPU3&enrollment_credential=c&url=https://pi.example/ttype/push",
        );
        let entry = ActivityEntry::new(
            UnixTime(100),
            &a,
            "NONCE",
            "CI test",
            "Log in from 10.0.0.1?",
            ActivityDecision::Declined {
                reason: Some(DeclineReason::UnknownTrigger),
            },
            Outcome::Accepted,
        );
        append_activity(&mut data, &entry).unwrap();
        let stored = data.section(ACTIVITY_SECTION).unwrap();
        assert_eq!(
            stored["entries"][0]["decision"]["reason"],
            "unknown_trigger"
        );
        assert_eq!(stored["entries"][0]["time"], 100);
        // An entry from a newer version is kept but skipped.
        let mut value = stored.clone();
        value["entries"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"future": 1}));
        data.set_section(ACTIVITY_SECTION, value);
        assert_eq!(load_activity(&data), std::slice::from_ref(&entry));
        // A full log (entry i at time i; set in one go: appending 2,000 times re-encodes the
        // whole log each time, minutes under Wine's allocator), then five more: the five
        // oldest go, the newest stay at the end.
        let at = |time: u64| {
            let mut value = serde_json::to_value(&entry).unwrap();
            value["time"] = time.into();
            value
        };
        let mut full = data.section(ACTIVITY_SECTION).unwrap().clone();
        full["entries"] = (0..MAX_ACTIVITY as u64).map(at).collect();
        data.set_section(ACTIVITY_SECTION, full);
        for time in 10_000..10_005 {
            let mut newer = entry.clone();
            newer.time = UnixTime(time);
            append_activity(&mut data, &newer).unwrap();
        }
        let times: Vec<u64> = data.section(ACTIVITY_SECTION).unwrap()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["time"].as_u64().unwrap())
            .collect();
        assert_eq!(times.len(), MAX_ACTIVITY);
        assert_eq!(times[..2], [5, 6]);
        assert_eq!(
            times[MAX_ACTIVITY - 5..],
            [10_000, 10_001, 10_002, 10_003, 10_004]
        );
    }
}
