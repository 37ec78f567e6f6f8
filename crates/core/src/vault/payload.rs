//! What the vault stores: accounts, settings and room for what later versions add.
//!
//! Encoding: MessagePack since vault format version 2, JSON before (see [`Encoding`]). Both
//! carry the same maps with the same field names, through the same serde code below; MessagePack
//! only makes reading faster (strings are length-prefixed: nothing to scan for quotes and
//! escapes), which every CLI command pays for on a large vault.
//!
//! Forward compatibility without format bumps: every object is read field by field, and any key
//! this version does not know (a new top-level section such as `push_tokens` or `activity`, a new
//! account field, a new setting) is kept verbatim and written back on the next save. So an older
//! Tessera that edits a vault made by a newer one never drops the newer one's data. Unknown
//! values are kept as JSON values, so new fields must use JSON's types (no MessagePack binary or
//! extension values): an older version could not hold them.
//!
//! Secrets and ids: MessagePack (not human-readable) stores them as raw bytes, JSON as base32 and
//! UUID text. A secret is written straight into the wiping [`SecretBuf`] and read from the
//! borrowed payload into the `OtpSecret`'s own buffer, so no intermediate copy outlives the call (`serde(flatten)` is avoided for that reason: it would
//! buffer whole accounts, secrets included, in unwiped memory).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::crypto::SecretBuf;
use crate::model::{Account, AccountId, Algorithm, Digits, Otp, Period, UnixTime};
use crate::secret::OtpSecret;

/// Colour theme of the desktop app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Dark.
    Dark,
    /// Light.
    Light,
    /// Follow the operating system; also what an unknown (newer) theme name reads as.
    #[default]
    #[serde(other)]
    System,
}

/// User preferences stored in the vault (so they travel with it and stay private).
///
/// Every field has a default, so a vault written before a field existed still reads; unknown
/// fields are kept on save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Settings {
    /// UI language as a BCP 47 tag ("de", "pt-BR"); `None` follows the system.
    pub language: Option<String>,
    /// Colour theme.
    pub theme: Theme,
    /// Seconds after which a copied code is cleared from the clipboard; 0 = never.
    pub clipboard_clear_secs: u32,
    /// Seconds of inactivity after which the app locks; 0 = never.
    pub auto_lock_secs: u32,
    /// Show the next TOTP code beside the current one.
    pub show_next_code: bool,
    /// Hide codes until an account is clicked.
    pub hide_codes: bool,
    /// The desktop app starts hidden in the tray.
    pub start_minimized: bool,
    /// The desktop app starts when the user logs in (mirrored into the OS autostart entry).
    pub start_at_login: bool,
    /// Lock when the machine goes to sleep.
    pub lock_on_sleep: bool,
    /// Lock when the screen locks.
    pub lock_on_screen_lock: bool,
    /// Ask the OS to verify the user ("it's me") before every push approval, not only while
    /// locked or when the organisation asks.
    pub verify_every_approval: bool,
    /// Ask the OS to verify the user before the keychain unlocks the vault (the lock screen's
    /// "Use the keychain"); off, the keychain opens it with no question, at start too.
    pub verify_keychain_unlock: bool,
    /// Settings written by a newer Tessera, kept verbatim.
    #[serde(flatten)]
    unknown: Map<String, Value>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            language: None,
            theme: Theme::System,
            clipboard_clear_secs: 30,
            auto_lock_secs: 300,
            show_next_code: false,
            hide_codes: false,
            start_minimized: false,
            start_at_login: false,
            lock_on_sleep: true,
            lock_on_screen_lock: true,
            verify_every_approval: false,
            verify_keychain_unlock: true,
            unknown: Map::new(),
        }
    }
}

/// The decrypted contents of a vault.
#[derive(Debug, PartialEq)]
#[non_exhaustive]
pub struct VaultData {
    /// The accounts, in the user's order.
    pub accounts: Vec<Account>,
    /// Preferences.
    pub settings: Settings,
    /// When the vault was created.
    pub created: UnixTime,
    /// Top-level sections this version does not know (kept verbatim).
    sections: Map<String, Value>,
    /// Named secret blobs of other features (push device keys), stored as base32 under
    /// `secrets` and only ever held in wiping buffers.
    secrets: BTreeMap<String, OtpSecret>,
    /// Per-account fields this version does not know, by account id (kept verbatim).
    account_fields: HashMap<AccountId, Map<String, Value>>,
}

impl VaultData {
    /// An empty vault created at `created`.
    pub fn new(created: UnixTime) -> Self {
        Self {
            accounts: Vec::new(),
            settings: Settings::default(),
            created,
            sections: Map::new(),
            secrets: BTreeMap::new(),
            account_fields: HashMap::new(),
        }
    }

    /// A section stored under `name` by a feature this type has no field for (`push`,
    /// `activity`). Sections hold public data; secrets go through [`Self::set_secret`].
    pub fn section(&self, name: &str) -> Option<&Value> {
        self.sections.get(name)
    }

    /// Stores `value` as the top-level section `name` (a feature's public data, such as the
    /// push token list or the activity log). Returns `false`, storing nothing, for the names
    /// the vault itself uses (`created`, `settings`, `accounts`, `secrets`).
    pub fn set_section(&mut self, name: &str, value: Value) -> bool {
        if RESERVED_SECTIONS.contains(&name) {
            return false;
        }
        self.sections.insert(name.to_owned(), value);
        true
    }

    /// Removes the section `name`, returning it.
    pub fn remove_section(&mut self, name: &str) -> Option<Value> {
        self.sections.remove(name)
    }

    /// The secret blob stored under `name` (e.g. `push/PIPU0001`), for secrets that are not
    /// account secrets: a push token's device key.
    pub fn secret(&self, name: &str) -> Option<&OtpSecret> {
        self.secrets.get(name)
    }

    /// Stores (`Some`) or removes (`None`) the secret blob `name`.
    pub fn set_secret(&mut self, name: &str, secret: Option<OtpSecret>) {
        match secret {
            Some(secret) => {
                self.secrets.insert(name.to_owned(), secret);
            }
            None => {
                self.secrets.remove(name);
            }
        }
    }

    /// The account with `id`.
    pub fn account(&self, id: AccountId) -> Option<&Account> {
        self.accounts.iter().find(|account| account.id == id)
    }

    /// A deep copy, secrets included: used only by `Vault::update` so that a failed change
    /// leaves the unlocked data untouched.
    pub(crate) fn duplicate(&self) -> Self {
        Self {
            accounts: self.accounts.iter().map(duplicate_account).collect(),
            settings: self.settings.clone(),
            created: self.created,
            sections: self.sections.clone(),
            secrets: self
                .secrets
                .iter()
                .map(|(name, secret)| (name.clone(), secret.duplicate()))
                .collect(),
            account_fields: self.account_fields.clone(),
        }
    }
}

/// Top-level keys written by the vault itself; a feature section cannot take these names.
const RESERVED_SECTIONS: [&str; 4] = ["created", "settings", "accounts", "secrets"];

fn duplicate_account(account: &Account) -> Account {
    Account {
        id: account.id,
        issuer: account.issuer.clone(),
        name: account.name.clone(),
        secret: account.secret.duplicate(),
        otp: account.otp,
        tags: account.tags.clone(),
        icon: account.icon.clone(),
        favorite: account.favorite,
        created: account.created,
        updated: account.updated,
    }
}

/// Why a decrypted payload could not be read.
#[derive(Debug)]
pub(crate) struct PayloadError(pub(crate) String);

/// How a payload is encoded, by the vault format version that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Format version 1.
    Json,
    /// Format version 2 and later: MessagePack, maps with field names (self-describing, so
    /// unknown fields are kept as they are in JSON).
    MessagePack,
}

impl Encoding {
    /// The encoding of a payload in a file of format `version`.
    pub(crate) fn of_version(version: u16) -> Self {
        if version <= 1 {
            Self::Json
        } else {
            Self::MessagePack
        }
    }
}

/// Serializes `data` into a wiping buffer (the plaintext never exists elsewhere), in the
/// encoding of the format version this code writes.
pub(crate) fn encode(data: &VaultData) -> Result<SecretBuf, PayloadError> {
    // Roughly 200 bytes per account: one allocation in the common case.
    let mut buffer = SecretBuf::with_capacity(4096 + data.accounts.len() * 256);
    DataOut(data)
        .serialize(&mut rmp_serde::Serializer::new(&mut buffer).with_struct_map())
        .map_err(|error| PayloadError(error.to_string()))?;
    Ok(buffer)
}

/// Parses a decrypted payload. Error messages name fields, never values.
pub(crate) fn decode(plaintext: &[u8], encoding: Encoding) -> Result<VaultData, PayloadError> {
    read_all::<DataIn>(plaintext, encoding).map(|data| data.0)
}

/// Reads one `T` that must span the whole of `plaintext`, in either encoding.
pub(super) fn read_all<'de, T: Deserialize<'de>>(
    plaintext: &'de [u8],
    encoding: Encoding,
) -> Result<T, PayloadError> {
    read_all_seeded(plaintext, encoding, std::marker::PhantomData::<T>)
}

/// [`read_all`] with a seed (a reader that carries state, such as a filter).
pub(super) fn read_all_seeded<'de, S: DeserializeSeed<'de>>(
    plaintext: &'de [u8],
    encoding: Encoding,
    seed: S,
) -> Result<S::Value, PayloadError> {
    match encoding {
        Encoding::Json => {
            let mut deserializer = serde_json::Deserializer::from_slice(plaintext);
            let value = seed
                .deserialize(&mut deserializer)
                .map_err(|e| redact_json(&e))?;
            deserializer.end().map_err(|e| redact_json(&e))?;
            Ok(value)
        }
        Encoding::MessagePack => {
            // Bytes after the top-level map are not looked at: the payload is authenticated,
            // so only a Tessera wrote it, and rmp-serde exposes no end check for borrowed input.
            let mut deserializer = rmp_serde::Deserializer::from_read_ref(plaintext);
            seed.deserialize(&mut deserializer)
                .map_err(|e| redact_msgpack(&e))
        }
    }
}

/// serde_json messages can quote input ("invalid type: string \"JBSW…\""): keep only the
/// position and the category.
fn redact_json(error: &serde_json::Error) -> PayloadError {
    PayloadError(format!(
        "{:?} error at line {} column {}",
        error.classify(),
        error.line(),
        error.column()
    ))
}

/// The same for MessagePack: serde's own messages (`Syntax`) can quote a value, so they become
/// a fixed sentence; rmp's other errors describe the bytes' structure only.
fn redact_msgpack(error: &rmp_serde::decode::Error) -> PayloadError {
    use rmp_serde::decode::Error;
    PayloadError(match error {
        Error::Syntax(_) | Error::Uncategorized(_) => {
            "a field is missing or has the wrong type".to_owned()
        }
        other => other.to_string(),
    })
}

// ---- writing ----

struct DataOut<'a>(&'a VaultData);

impl Serialize for DataOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let data = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("created", &data.created.0)?;
        map.serialize_entry("settings", &data.settings)?;
        map.serialize_entry("accounts", &AccountsOut(data))?;
        if !data.secrets.is_empty() {
            map.serialize_entry("secrets", &SecretsOut(&data.secrets))?;
        }
        for (key, value) in &data.sections {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

struct SecretsOut<'a>(&'a BTreeMap<String, OtpSecret>);

impl Serialize for SecretsOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, secret) in self.0 {
            map.serialize_entry(name, &SecretOut(secret))?;
        }
        map.end()
    }
}

/// An account id: its UUID text in JSON (version 1), its 16 bytes in MessagePack.
struct IdOut(AccountId);

impl Serialize for IdOut {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&self.0.to_string())
        } else {
            serializer.serialize_bytes(self.0.as_bytes())
        }
    }
}

/// A secret: base32 text in JSON (version 1), its raw bytes in MessagePack. Either way it is
/// written straight into the wiping [`SecretBuf`]; the base32 text is wiped on drop.
struct SecretOut<'a>(&'a OtpSecret);

impl Serialize for SecretOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            // EXPOSE (via to_base32): the payload is the one place secrets are stored.
            serializer.serialize_str(self.0.to_base32().as_str())
        } else {
            // EXPOSE: as above, as bytes.
            serializer.serialize_bytes(self.0.expose_secret())
        }
    }
}

struct AccountsOut<'a>(&'a VaultData);

impl Serialize for AccountsOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.accounts.len()))?;
        for account in &self.0.accounts {
            seq.serialize_element(&AccountOut {
                account,
                unknown: self.0.account_fields.get(&account.id),
            })?;
        }
        seq.end()
    }
}

struct AccountOut<'a> {
    account: &'a Account,
    unknown: Option<&'a Map<String, Value>>,
}

impl Serialize for AccountOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let account = self.account;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &IdOut(account.id))?;
        map.serialize_entry("issuer", &account.issuer)?;
        map.serialize_entry("name", &account.name)?;
        map.serialize_entry("secret", &SecretOut(&account.secret))?;
        map.serialize_entry("otp", &OtpOut(account.otp))?;
        // Left out when empty, as `favorite` below: reading takes no tags and no icon.
        if !account.tags.is_empty() {
            map.serialize_entry("tags", &account.tags)?;
        }
        if let Some(icon) = &account.icon {
            map.serialize_entry("icon", icon)?;
        }
        // Written only when set, so a vault without favourites stays byte-for-byte as before.
        if account.favorite {
            map.serialize_entry("favorite", &true)?;
        }
        map.serialize_entry("created", &account.created.0)?;
        map.serialize_entry("updated", &account.updated.0)?;
        if let Some(unknown) = self.unknown {
            for (key, value) in unknown {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

/// The stored form of [`Otp`]: a map tagged by `kind`, with the parameters that differ from the
/// otpauth defaults beside it (SHA-1, 6 digits, 30 s: what nearly every account uses, so most
/// accounts store `kind` alone). A version 1 (JSON) payload always wrote all of them.
struct OtpOut(Otp);

impl Serialize for OtpOut {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        let (algorithm, digits) = match self.0 {
            Otp::Hotp {
                algorithm,
                digits,
                counter,
            } => {
                map.serialize_entry("kind", "hotp")?;
                map.serialize_entry("counter", &counter)?;
                (algorithm, digits)
            }
            Otp::Steam => {
                map.serialize_entry("kind", "steam")?;
                return map.end();
            }
            Otp::Totp {
                algorithm,
                digits,
                period,
            } => {
                map.serialize_entry("kind", "totp")?;
                if period != Period::THIRTY {
                    map.serialize_entry("period", &period.get())?;
                }
                (algorithm, digits)
            }
        };
        if algorithm != Algorithm::Sha1 {
            map.serialize_entry("algorithm", algorithm.as_str())?;
        }
        if digits != Digits::SIX {
            map.serialize_entry("digits", &u32::from(digits.get()))?;
        }
        map.end()
    }
}

// ---- reading ----

struct DataIn(VaultData);

impl<'de> Deserialize<'de> for DataIn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(DataVisitor)
    }
}

struct DataVisitor;

impl<'de> Visitor<'de> for DataVisitor {
    type Value = DataIn;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a vault payload object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DataIn, A::Error> {
        let mut data = VaultData::new(UnixTime(0));
        while let Some(key) = map.next_key::<Key>()? {
            match key.0.as_str() {
                "created" => data.created = UnixTime(map.next_value()?),
                "settings" => data.settings = map.next_value()?,
                "accounts" => {
                    map.next_value_seed(AccountsSeed {
                        accounts: &mut data.accounts,
                        unknown: &mut data.account_fields,
                    })?;
                }
                "secrets" => {
                    map.next_value_seed(SecretsSeed(&mut data.secrets))?;
                }
                _ => {
                    let value: Value = map.next_value()?;
                    data.sections.insert(key.0, value);
                }
            }
        }
        Ok(DataIn(data))
    }
}

/// A map key read without allocating when it is one of the known names.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Key, E> {
                Ok(Key(value.to_owned()))
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// Reads `secrets` straight into `OtpSecret` buffers (no unwiped `Value` copy).
struct SecretsSeed<'a>(&'a mut BTreeMap<String, OtpSecret>);

impl<'de> DeserializeSeed<'de> for SecretsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for SecretsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of named secrets")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            let secret = map.next_value::<SecretIn>()?.0;
            self.0.insert(name, secret);
        }
        Ok(())
    }
}

struct AccountsSeed<'a> {
    accounts: &'a mut Vec<Account>,
    unknown: &'a mut HashMap<AccountId, Map<String, Value>>,
}

impl<'de> DeserializeSeed<'de> for AccountsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for AccountsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of accounts")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if let Some(hint) = seq.size_hint() {
            self.accounts.reserve(hint);
        }
        while let Some(AccountIn { account, unknown }) = seq.next_element()? {
            if !unknown.is_empty() {
                self.unknown.insert(account.id, unknown);
            }
            self.accounts.push(account);
        }
        Ok(())
    }
}

struct AccountIn {
    account: Account,
    unknown: Map<String, Value>,
}

/// Account field names, matched without allocating.
enum Field {
    Created,
    Favorite,
    Icon,
    Id,
    Issuer,
    Name,
    Otp,
    Secret,
    Tags,
    Updated,
    Other(String),
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an account field name")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Field, E> {
                Ok(match value {
                    "created" => Field::Created,
                    "favorite" => Field::Favorite,
                    "icon" => Field::Icon,
                    "id" => Field::Id,
                    "issuer" => Field::Issuer,
                    "name" => Field::Name,
                    "otp" => Field::Otp,
                    "secret" => Field::Secret,
                    "tags" => Field::Tags,
                    "updated" => Field::Updated,
                    other => Field::Other(other.to_owned()),
                })
            }
        }
        deserializer.deserialize_identifier(FieldVisitor)
    }
}

impl<'de> Deserialize<'de> for AccountIn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(AccountVisitor)
    }
}

struct AccountVisitor;

impl<'de> Visitor<'de> for AccountVisitor {
    type Value = AccountIn;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an account object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AccountIn, A::Error> {
        let mut id = None;
        let mut secret = None;
        let mut otp = None;
        let mut issuer = String::new();
        let mut name = String::new();
        let mut tags = Vec::new();
        let mut icon = None;
        let mut favorite = false;
        let mut created = UnixTime(0);
        let mut updated = UnixTime(0);
        let mut unknown = Map::new();
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Created => created = UnixTime(map.next_value()?),
                Field::Favorite => favorite = map.next_value()?,
                Field::Icon => icon = map.next_value()?,
                Field::Id => id = Some(map.next_value::<IdIn>()?.0),
                Field::Issuer => issuer = map.next_value()?,
                Field::Name => name = map.next_value()?,
                Field::Otp => otp = Some(otp_from_stored(map.next_value()?)?),
                Field::Secret => secret = Some(map.next_value::<SecretIn>()?.0),
                Field::Tags => tags = map.next_value()?,
                Field::Updated => updated = UnixTime(map.next_value()?),
                Field::Other(key) => {
                    unknown.insert(key, map.next_value()?);
                }
            }
        }
        let account = Account {
            id: id.ok_or_else(|| de::Error::missing_field("id"))?,
            issuer,
            name,
            secret: secret.ok_or_else(|| de::Error::missing_field("secret"))?,
            otp: otp.ok_or_else(|| de::Error::missing_field("otp"))?,
            tags,
            icon,
            favorite,
            created,
            updated,
        };
        Ok(AccountIn { account, unknown })
    }
}

/// The same JSON as [`StoredOtp`], read as one flat struct: serde's internally tagged enums
/// buffer every field before choosing a variant, which made this the costliest part of opening
/// a large vault (measured with callgrind on 1,000 accounts).
#[derive(Deserialize)]
pub(super) struct StoredOtpIn {
    kind: StoredKind,
    algorithm: Option<String>,
    digits: Option<u32>,
    counter: Option<u64>,
    period: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum StoredKind {
    Hotp,
    Steam,
    Totp,
}

pub(super) fn otp_from_stored<E: de::Error>(stored: StoredOtpIn) -> Result<Otp, E> {
    // A parameter left out is the otpauth default (see `OtpOut`).
    let algorithm = || match stored.algorithm.as_deref() {
        None => Ok(Algorithm::Sha1),
        Some(text) => Algorithm::parse(text).ok_or_else(|| E::custom("unknown otp algorithm")),
    };
    let digits = || match stored.digits {
        None => Ok(Digits::SIX),
        Some(value) => Digits::new(value).ok_or_else(|| E::custom("otp digits out of range")),
    };
    Ok(match stored.kind {
        StoredKind::Hotp => Otp::Hotp {
            algorithm: algorithm()?,
            digits: digits()?,
            counter: stored.counter.ok_or_else(|| E::missing_field("counter"))?,
        },
        StoredKind::Steam => Otp::Steam,
        StoredKind::Totp => Otp::Totp {
            algorithm: algorithm()?,
            digits: digits()?,
            period: match stored.period {
                None => Period::THIRTY,
                Some(value) => Period::new(value).ok_or_else(|| E::custom("otp period is zero"))?,
            },
        },
    })
}

pub(super) struct IdIn(pub(super) AccountId);

impl<'de> Deserialize<'de> for IdIn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = IdIn;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an account id")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<IdIn, E> {
                AccountId::parse(value)
                    .map(IdIn)
                    .ok_or_else(|| E::custom("account id is not a UUID"))
            }
            fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<IdIn, E> {
                <[u8; 16]>::try_from(value)
                    .map(|bytes| IdIn(AccountId::from_bytes(bytes)))
                    .map_err(|_| E::custom("account id is not 16 bytes"))
            }
        }
        deserializer.deserialize_str(IdVisitor)
    }
}

/// A stored secret: base32 text (version 1) decoded straight into the secret's own buffer, or
/// raw bytes (version 2) copied into it.
struct SecretIn(OtpSecret);

impl<'de> Deserialize<'de> for SecretIn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SecretVisitor;
        impl Visitor<'_> for SecretVisitor {
            type Value = SecretIn;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base32 secret")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<SecretIn, E> {
                decode_secret(value).map(SecretIn).map_err(E::custom)
            }
            fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<SecretIn, E> {
                // The source is the decrypted payload, which its owner wipes.
                Ok(SecretIn(OtpSecret::from_slice(value)))
            }
        }
        deserializer.deserialize_str(SecretVisitor)
    }
}

/// Decodes stored base32 text straight into the secret's own buffer.
pub(super) fn decode_secret(text: &str) -> Result<OtpSecret, &'static str> {
    const NOT_BASE32: &str = "secret is not base32";
    let encoding = &data_encoding::BASE32_NOPAD;
    let length = encoding.decode_len(text.len()).map_err(|_| NOT_BASE32)?;
    let mut bytes = vec![0u8; length];
    match encoding.decode_mut(text.as_bytes(), &mut bytes) {
        Ok(written) => {
            bytes.truncate(written);
            Ok(OtpSecret::from_bytes(bytes))
        }
        Err(_) => {
            zeroize::Zeroize::zeroize(&mut bytes);
            Err(NOT_BASE32)
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::*;

    pub(crate) fn every_kind_of_account(now: UnixTime) -> Vec<Account> {
        let totp = Account::new(
            "GitHub",
            "alice@example.com",
            OtpSecret::from_slice(b"12345678901234567890"),
            Otp::Totp {
                algorithm: Algorithm::Sha256,
                digits: Digits::new(8).unwrap(),
                period: Period::new(60).unwrap(),
            },
            now,
        );
        let mut hotp = Account::new(
            "",
            "bob",
            OtpSecret::from_slice(&[0xFF; 64]),
            Otp::Hotp {
                algorithm: Algorithm::Sha512,
                digits: Digits::new(10).unwrap(),
                counter: u64::MAX,
            },
            now,
        );
        hotp.tags = vec!["work".into(), "ünïcödé \"quoted\"".into()];
        hotp.icon = Some("bank".into());
        let steam = Account::new(
            "Steam",
            "",
            OtpSecret::from_slice(&[1, 2, 3, 4, 5]),
            Otp::Steam,
            now,
        );
        vec![totp, hotp, steam]
    }

    /// A version 1 payload, as JSON text.
    fn decode_str(text: &str) -> VaultData {
        decode(text.as_bytes(), Encoding::Json).unwrap()
    }

    /// The same JSON as a version 2 (MessagePack) payload.
    fn as_msgpack(text: &str) -> Vec<u8> {
        let value: Value = serde_json::from_str(text).unwrap();
        rmp_serde::to_vec_named(&value).unwrap()
    }

    /// A MessagePack payload as a JSON value (binary fields become arrays of numbers).
    fn as_value(mut encoded: &[u8]) -> Value {
        serde_json::to_value(rmpv::decode::read_value(&mut encoded).unwrap()).unwrap()
    }

    #[test]
    fn round_trip_with_every_otp_kind() {
        let mut data = VaultData::new(UnixTime(1_700_000_000));
        data.accounts = every_kind_of_account(UnixTime(1_700_000_001));
        data.settings.theme = Theme::Dark;
        data.settings.language = Some("de".into());
        let encoded = encode(&data).unwrap();
        assert_eq!(
            decode(encoded.as_slice(), Encoding::MessagePack).unwrap(),
            data
        );
    }

    #[test]
    fn unknown_sections_fields_and_settings_survive_a_save() {
        let text = r#"{
            "created": 5,
            "settings": {"theme": "solarized", "future_setting": [1, 2]},
            "accounts": [{
                "id": "5f0c6bde-6d4b-4f3c-9e51-0c8a8b5ad2b1",
                "secret": "GEZDGNBV",
                "otp": {"kind": "totp", "algorithm": "SHA1", "digits": 6, "period": 30},
                "favorite": true,
                "colour": "teal"
            }],
            "push_tokens": [{"serial": "PIPU0001"}],
            "activity": {"entries": []}
        }"#;
        let data = decode_str(text);
        assert_eq!(
            data.settings.theme,
            Theme::System,
            "unknown theme falls back"
        );
        assert_eq!(data.accounts.len(), 1);
        assert!(data.section("push_tokens").is_some());
        let saved = encode(&data).unwrap();
        let value = as_value(saved.as_slice());
        assert_eq!(value["push_tokens"][0]["serial"], "PIPU0001");
        assert_eq!(value["activity"]["entries"], Value::Array(vec![]));
        assert!(data.accounts[0].favorite, "favorite is a known field");
        assert_eq!(value["accounts"][0]["favorite"], true);
        assert_eq!(value["accounts"][0]["colour"], "teal");
        let id = data.accounts[0].id.as_bytes().to_vec();
        assert_eq!(
            value["accounts"][0]["id"],
            serde_json::json!(id),
            "ids are 16 raw bytes"
        );
        assert_eq!(value["settings"]["future_setting"][1], 2);
        assert_eq!(
            decode(saved.as_slice(), Encoding::MessagePack).unwrap(),
            data
        );
    }

    #[test]
    fn named_secrets_and_feature_sections_round_trip() {
        let mut data = VaultData::new(UnixTime(7));
        data.set_secret(
            "push/PIPU0001",
            Some(OtpSecret::from_slice(&[0x30, 0x82, 1, 2, 3])),
        );
        assert!(data.set_section(
            "push",
            serde_json::json!({"tokens": [{"serial": "PIPU0001"}]})
        ));
        assert!(
            !data.set_section("accounts", Value::Null),
            "reserved names are refused"
        );
        assert!(
            !data.set_section("secrets", Value::Null),
            "reserved names are refused"
        );
        let encoded = encode(&data).unwrap();
        let value = as_value(encoded.as_slice());
        // Stored as raw bytes (base32 "GCBACAQD" in a version 1 payload).
        assert_eq!(
            value["secrets"]["push/PIPU0001"],
            serde_json::json!([0x30, 0x82, 1, 2, 3])
        );
        let back = decode(encoded.as_slice(), Encoding::MessagePack).unwrap();
        assert_eq!(back, data);
        assert_eq!(
            back.secret("push/PIPU0001").unwrap().expose_secret(),
            &[0x30, 0x82, 1, 2, 3]
        );
        assert_eq!(
            back.section("push").unwrap()["tokens"][0]["serial"],
            "PIPU0001"
        );
        let mut copy = back.duplicate();
        copy.set_secret("push/PIPU0001", None);
        assert!(copy.remove_section("push").is_some());
        assert!(copy.secret("push/PIPU0001").is_none());
        assert_ne!(copy, back);
        let empty = as_value(encode(&copy).unwrap().as_slice());
        assert!(empty.get("secrets").is_none());
        assert!(decode(br#"{"secrets": {"a": "not base32!"}}"#, Encoding::Json).is_err());
    }

    #[test]
    fn otp_parameters_at_their_defaults_are_left_out() {
        let now = UnixTime(1_700_000_000);
        let mut data = VaultData::new(now);
        data.accounts = every_kind_of_account(now);
        data.accounts.push(Account::new(
            "Plain",
            "me",
            OtpSecret::from_slice(b"0123456789"),
            Otp::DEFAULT_TOTP,
            now,
        ));
        let encoded = encode(&data).unwrap();
        let value = as_value(encoded.as_slice());
        let otps: Vec<&Value> = value["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|account| &account["otp"])
            .collect();
        assert_eq!(
            otps,
            [
                &serde_json::json!({"kind": "totp", "period": 60, "algorithm": "SHA256", "digits": 8}),
                &serde_json::json!({"kind": "hotp", "counter": u64::MAX, "algorithm": "SHA512", "digits": 10}),
                &serde_json::json!({"kind": "steam"}),
                &serde_json::json!({"kind": "totp"}),
            ]
        );
        let plain = &value["accounts"][3];
        assert!(plain.get("tags").is_none() && plain.get("icon").is_none());
        assert_eq!(
            decode(encoded.as_slice(), Encoding::MessagePack).unwrap(),
            data
        );
    }

    #[test]
    fn missing_settings_take_defaults() {
        let data = decode_str(r#"{"accounts": [], "settings": {"auto_lock_secs": 60}}"#);
        assert_eq!(data.settings.auto_lock_secs, 60);
        assert_eq!(data.settings.clipboard_clear_secs, 30);
        assert_eq!(decode_str("{}"), VaultData::new(UnixTime(0)));
    }

    #[test]
    fn invalid_payloads_are_errors_without_values() {
        let cases = [
            ("not json", "garbage"),
            ("trailing data", "{} {}"),
            (
                "bad base32",
                r#"{"accounts":[{"id":"5f0c6bde-6d4b-4f3c-9e51-0c8a8b5ad2b1","secret":"SECRET1!","otp":{"kind":"steam"}}]}"#,
            ),
            (
                "missing secret",
                r#"{"accounts":[{"id":"5f0c6bde-6d4b-4f3c-9e51-0c8a8b5ad2b1","otp":{"kind":"steam"}}]}"#,
            ),
            (
                "bad id",
                r#"{"accounts":[{"id":"JBSWY3DPEHPK3PXP","secret":"GEZDGNBV","otp":{"kind":"steam"}}]}"#,
            ),
            (
                "zero period",
                r#"{"accounts":[{"id":"5f0c6bde-6d4b-4f3c-9e51-0c8a8b5ad2b1","secret":"GEZDGNBV","otp":{"kind":"totp","algorithm":"SHA1","digits":6,"period":0}}]}"#,
            ),
            (
                "unknown kind",
                r#"{"accounts":[{"id":"5f0c6bde-6d4b-4f3c-9e51-0c8a8b5ad2b1","secret":"GEZDGNBV","otp":{"kind":"motp"}}]}"#,
            ),
            (
                "secret as number",
                r#"{"accounts":[{"id":"5f0c6bde-6d4b-4f3c-9e51-0c8a8b5ad2b1","secret":1234567,"otp":{"kind":"steam"}}]}"#,
            ),
        ];
        for (name, text) in cases {
            let mut errors = vec![decode(text.as_bytes(), Encoding::Json).unwrap_err()];
            if serde_json::from_str::<Value>(text).is_ok() {
                errors.push(decode(&as_msgpack(text), Encoding::MessagePack).unwrap_err());
            }
            for error in errors {
                assert!(!error.0.contains("SECRET1"), "case {name}: {}", error.0);
                assert!(!error.0.contains("JBSWY3DP"), "case {name}: {}", error.0);
                assert!(!error.0.contains("1234567"), "case {name}: {}", error.0);
            }
        }
    }

    #[test]
    fn duplicate_is_equal_and_independent() {
        let mut data = VaultData::new(UnixTime(1));
        data.accounts = every_kind_of_account(UnixTime(2));
        let mut copy = data.duplicate();
        assert_eq!(copy, data);
        copy.accounts.pop();
        assert_ne!(copy, data);
    }

    fn arb_otp() -> impl Strategy<Value = Otp> {
        let algorithm = prop_oneof![
            Just(Algorithm::Sha1),
            Just(Algorithm::Sha256),
            Just(Algorithm::Sha512)
        ];
        prop_oneof![
            Just(Otp::Steam),
            (algorithm.clone(), 5u32..=10, any::<u64>()).prop_map(|(algorithm, d, counter)| {
                Otp::Hotp {
                    algorithm,
                    digits: Digits::new(d).unwrap(),
                    counter,
                }
            }),
            (algorithm, 5u32..=10, 1u32..=u32::MAX).prop_map(|(algorithm, d, p)| Otp::Totp {
                algorithm,
                digits: Digits::new(d).unwrap(),
                period: Period::new(p).unwrap(),
            }),
        ]
    }

    prop_compose! {
        pub(crate) fn arb_account()(issuer in "\\PC{0,20}", name in "\\PC{0,20}",
                         secret in proptest::collection::vec(any::<u8>(), 0..70),
                         otp in arb_otp(), tags in proptest::collection::vec("\\PC{0,8}", 0..3),
                         icon in proptest::option::of("[a-z]{1,8}"), favorite in any::<bool>(),
                         created in any::<u64>(), updated in any::<u64>()) -> Account {
            let mut account = Account::new(issuer, name, OtpSecret::from_bytes(secret), otp,
                                           UnixTime(created));
            account.tags = tags;
            account.icon = icon;
            account.favorite = favorite;
            account.updated = UnixTime(updated);
            account
        }
    }

    proptest! {
        #[test]
        fn decode_encode_round_trip(accounts in proptest::collection::vec(arb_account(), 0..8),
                                    created in any::<u64>(), clear in any::<u32>()) {
            let mut data = VaultData::new(UnixTime(created));
            data.accounts = accounts;
            data.settings.clipboard_clear_secs = clear;
            let encoded = encode(&data).unwrap();
            prop_assert_eq!(decode(encoded.as_slice(), Encoding::MessagePack).unwrap(), data);
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&bytes, Encoding::Json);
            let _ = decode(&bytes, Encoding::MessagePack);
        }
    }
}
