//! A read-only glance at a vault, for one-shot commands that pick one account of many
//! (`tessera code QUERY`).
//!
//! Opening a vault builds every account: an allocation per label, tag and icon, a base32 decode
//! per secret, every unknown field kept as a JSON value. A command that shows one code throws
//! nearly all of that away, and on 1,000 accounts it was most of `tessera code`'s run time. A
//! glance decrypts the same way (same slots, same errors), then reads the accounts with labels
//! borrowed from the decrypted payload, decodes a secret only for the account asked for, and
//! skips what it does not need (icons, times, other sections, fields of newer versions).
//!
//! A glance cannot be changed or saved: commands that write (an HOTP code advances its counter)
//! open the [`Vault`](super::Vault). The decrypted payload is wiped when the glance drops.

use std::borrow::Cow;
use std::fmt;
use std::fs;
use std::ops::Range;
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use zeroize::Zeroizing;

use super::payload::{self, Encoding, IdIn, Settings, StoredOtpIn};
use super::{Unlock, VaultError};
use super::{crypto, format};
use crate::model::{AccountId, Otp};
use crate::secret::OtpSecret;

/// The decrypted payload of a vault, to read accounts from (see the module docs).
pub struct Glance {
    /// The vault file, its payload decrypted where it lies (one buffer, not two: at 270 kB
    /// each, the second one's page faults and copy cost more than the decryption).
    buffer: Zeroizing<Vec<u8>>,
    payload: Range<usize>,
    encoding: Encoding,
}

impl Glance {
    /// Reads and decrypts the vault at `path`: the same checks and errors as
    /// [`Vault::open`](super::Vault::open). The payload is decrypted where it lies in the file's
    /// buffer.
    pub fn open(path: &Path, unlock: Unlock<'_>) -> Result<Self, VaultError> {
        let mut buffer =
            Zeroizing::new(fs::read(path).map_err(|e| VaultError::io("read", path, e))?);
        let (header_len, key, version) = {
            let parsed = format::decode(&buffer).map_err(|e| super::format_error(e, path))?;
            let key = super::unlock_key(&parsed.header, unlock)?;
            (parsed.header_bytes.len(), key, parsed.version)
        };
        let (header_bytes, body) = buffer.split_at_mut(header_len);
        let payload = crypto::open_in_place(&key, header_bytes, body).map_err(|_| {
            VaultError::CannotDecrypt {
                backups: super::backup_count(path),
            }
        })?;
        Ok(Self {
            payload: header_len + payload.start..header_len + payload.end,
            buffer,
            encoding: Encoding::of_version(version),
        })
    }

    /// The accounts and settings, borrowed from the payload. Error messages name fields, never
    /// values.
    pub fn read(&self) -> Result<GlanceData<'_>, VaultError> {
        self.read_where(|_| true)
    }

    /// [`Glance::read`] keeping only the accounts `keep` accepts, asked one by one in the
    /// user's order as they are read: a search then never holds every account at once (on
    /// 1,000 accounts, a 136 kB list whose first-touch page faults cost more than its use).
    pub fn read_where(
        &self,
        mut keep: impl FnMut(&AccountGlance<'_>) -> bool,
    ) -> Result<GlanceData<'_>, VaultError> {
        let plaintext = self.buffer.get(self.payload.clone()).unwrap_or_default();
        payload::read_all_seeded(plaintext, self.encoding, DataSeed(&mut keep))
            .map_err(|error| VaultError::PayloadUnreadable { detail: error.0 })
    }
}

impl fmt::Debug for Glance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Glance({} bytes)", self.payload.len())
    }
}

/// What a glance reads: the accounts in the user's order, and the settings.
#[derive(Debug)]
#[non_exhaustive]
pub struct GlanceData<'a> {
    /// The accounts, in the user's order.
    pub accounts: Vec<AccountGlance<'a>>,
    /// Preferences.
    pub settings: Settings,
}

/// One account as a glance sees it.
#[non_exhaustive]
pub struct AccountGlance<'a> {
    /// Stable id.
    pub id: AccountId,
    /// Service name; may be empty.
    pub issuer: Cow<'a, str>,
    /// Account name within the service; may be empty.
    pub name: Cow<'a, str>,
    /// Tags.
    pub tags: Vec<Cow<'a, str>>,
    /// How codes are generated.
    pub otp: Otp,
    /// The secret as stored, still inside the wiped payload buffer.
    secret: StoredSecret<'a>,
}

impl AccountGlance<'_> {
    /// Decodes this account's secret.
    pub fn secret(&self) -> Result<OtpSecret, VaultError> {
        match self.secret {
            StoredSecret::Raw(bytes) => Ok(OtpSecret::from_slice(bytes)),
            StoredSecret::Base32(text) => {
                payload::decode_secret(text).map_err(|detail| VaultError::PayloadUnreadable {
                    detail: detail.to_owned(),
                })
            }
        }
    }
}

impl fmt::Debug for AccountGlance<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountGlance")
            .field("id", &self.id)
            .field("issuer", &self.issuer)
            .field("name", &self.name)
            .field("tags", &self.tags)
            .field("otp", &self.otp)
            .finish_non_exhaustive()
    }
}

/// Which accounts a read keeps.
type Filter<'f> = &'f mut dyn FnMut(&AccountGlance<'_>) -> bool;

struct DataSeed<'f>(Filter<'f>);

impl<'de> DeserializeSeed<'de> for DataSeed<'_> {
    type Value = GlanceData<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DataSeed<'_> {
    type Value = GlanceData<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a vault payload object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut data = GlanceData {
            accounts: Vec::new(),
            settings: Settings::default(),
        };
        while let Some(key) = map.next_key::<Text<'de>>()? {
            match key.0.as_ref() {
                "settings" => data.settings = map.next_value()?,
                "accounts" => map.next_value_seed(AccountsSeed {
                    accounts: &mut data.accounts,
                    keep: &mut *self.0,
                })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(data)
    }
}

struct AccountsSeed<'v, 'f, 'de> {
    accounts: &'v mut Vec<AccountGlance<'de>>,
    keep: Filter<'f>,
}

impl<'de> DeserializeSeed<'de> for AccountsSeed<'_, '_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for AccountsSeed<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of accounts")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(account) = seq.next_element::<AccountGlance<'de>>()? {
            if (self.keep)(&account) {
                self.accounts.push(account);
            }
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for AccountGlance<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(AccountVisitor)
    }
}

struct AccountVisitor;

impl<'de> Visitor<'de> for AccountVisitor {
    type Value = AccountGlance<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an account object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut id = None;
        let mut secret = None;
        let mut otp = None;
        let mut issuer = Cow::Borrowed("");
        let mut name = Cow::Borrowed("");
        let mut tags = Vec::new();
        while let Some(key) = map.next_key::<Text<'de>>()? {
            match key.0.as_ref() {
                "id" => id = Some(map.next_value::<IdIn>()?.0),
                "issuer" => issuer = map.next_value::<Text<'de>>()?.0,
                "name" => name = map.next_value::<Text<'de>>()?.0,
                "tags" => {
                    tags = map
                        .next_value::<Vec<Text<'de>>>()?
                        .into_iter()
                        .map(|tag| tag.0)
                        .collect();
                }
                "otp" => otp = Some(payload::otp_from_stored(map.next_value::<StoredOtpIn>()?)?),
                "secret" => secret = Some(map.next_value::<StoredSecret<'de>>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(AccountGlance {
            id: id.ok_or_else(|| de::Error::missing_field("id"))?,
            issuer,
            name,
            tags,
            otp: otp.ok_or_else(|| de::Error::missing_field("otp"))?,
            secret: secret.ok_or_else(|| de::Error::missing_field("secret"))?,
        })
    }
}

/// A secret as stored: raw bytes (version 2) or base32 text (version 1; plain ASCII, which the
/// writer never escapes, so it borrows too). Never copied out of the payload.
#[derive(Clone, Copy)]
enum StoredSecret<'a> {
    Raw(&'a [u8]),
    Base32(&'a str),
}

impl<'de> Deserialize<'de> for StoredSecret<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SecretVisitor;
        impl<'de> Visitor<'de> for SecretVisitor {
            type Value = StoredSecret<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a secret")
            }
            fn visit_borrowed_bytes<E: de::Error>(
                self,
                value: &'de [u8],
            ) -> Result<StoredSecret<'de>, E> {
                Ok(StoredSecret::Raw(value))
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                value: &'de str,
            ) -> Result<StoredSecret<'de>, E> {
                Ok(StoredSecret::Base32(value))
            }
        }
        deserializer.deserialize_str(SecretVisitor)
    }
}

/// A string borrowed from the payload, or unescaped into a copy when it holds escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(value)))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(value.to_owned())))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::model::UnixTime;
    use crate::vault::VaultData;

    fn glance_of(data: &VaultData) -> Glance {
        plain(payload::encode(data).unwrap().as_slice().to_vec())
    }

    fn plain(payload: Vec<u8>) -> Glance {
        Glance {
            payload: 0..payload.len(),
            buffer: Zeroizing::new(payload),
            encoding: Encoding::MessagePack,
        }
    }

    /// A version 1 (JSON) payload.
    fn json(text: &str) -> Glance {
        Glance {
            encoding: Encoding::Json,
            ..plain(text.as_bytes().to_vec())
        }
    }

    /// What a glance reads must be exactly what a full open reads.
    fn assert_same(glance: &GlanceData<'_>, full: &VaultData) {
        assert_eq!(glance.settings, full.settings);
        assert_eq!(glance.accounts.len(), full.accounts.len());
        for (seen, account) in glance.accounts.iter().zip(&full.accounts) {
            assert_eq!(seen.id, account.id);
            assert_eq!(seen.issuer, account.issuer);
            assert_eq!(seen.name, account.name);
            assert_eq!(seen.tags, account.tags);
            assert_eq!(seen.otp, account.otp);
            assert_eq!(
                seen.secret().unwrap().expose_secret(),
                account.secret.expose_secret()
            );
        }
    }

    #[test]
    fn reads_what_a_full_open_reads_and_skips_the_rest() {
        let now = UnixTime(1_700_000_000);
        let mut data = VaultData::new(now);
        data.accounts = payload::tests::every_kind_of_account(now);
        data.accounts[0].issuer = "Tab\there \"quoted\" \u{1F512}".into();
        data.settings.clipboard_clear_secs = 12;
        data.set_section("activity", json!({"entries": [{"app": "VPN"}]}));
        data.set_secret("push.device", Some(OtpSecret::from_slice(b"device key")));
        let glance = glance_of(&data);
        let read = glance.read().unwrap();
        assert_same(&read, &data);
        // MessagePack strings are never escaped: every label is borrowed.
        assert!(
            read.accounts
                .iter()
                .all(|a| matches!(a.issuer, Cow::Borrowed(_)))
        );
    }

    #[test]
    fn version_1_labels_with_escapes_are_unescaped_copies() {
        let glance = json(
            r#"{"accounts":[{"id":"5f0c6bde-6d4b-4f3c-9e51-0c8a8b5ad2b1","issuer":"A\"B\u00e9",
            "name":"plain","secret":"GEZDGNBV","otp":{"kind":"steam"},"tags":["t\u00e0g"]}]}"#,
        );
        let read = glance.read().unwrap();
        let account = &read.accounts[0];
        assert_eq!(account.issuer, "A\"Bé");
        assert!(matches!(account.issuer, Cow::Owned(_)));
        assert!(matches!(account.name, Cow::Borrowed(_)));
        assert_eq!(account.tags, ["tàg"]);
    }

    #[test]
    fn read_where_keeps_what_the_filter_accepts_in_order() {
        let now = UnixTime(1_700_000_000);
        let mut data = VaultData::new(now);
        data.accounts = payload::tests::every_kind_of_account(now);
        let glance = glance_of(&data);
        let mut asked = Vec::new();
        let read = glance
            .read_where(|account| {
                asked.push(account.id);
                !account.issuer.is_empty()
            })
            .unwrap();
        let every: Vec<AccountId> = data.accounts.iter().map(|a| a.id).collect();
        assert_eq!(asked, every, "asked about every account, in order");
        let kept: Vec<&str> = read.accounts.iter().map(|a| a.issuer.as_ref()).collect();
        assert_eq!(kept, ["GitHub", "Steam"]);
    }

    #[test]
    fn fields_of_newer_versions_are_skipped() {
        let text = json!({
            "created": 1,
            "future_section": {"deep": [1, 2, {"x": null}]},
            "accounts": [{
                "id": "5f0c6bde-6d4b-4f3c-9e51-0c8a8b5ad2b1",
                "issuer": "ACME", "name": "bob", "secret": "GEZDGNBV",
                "otp": {"kind": "steam"}, "tags": ["a"], "icon": null,
                "favorite": true, "color": "#ff0000", "created": 1, "updated": 2
            }]
        })
        .to_string();
        let glance = json(&text);
        let read = glance.read().unwrap();
        assert_eq!(read.accounts.len(), 1);
        assert_eq!(read.accounts[0].issuer, "ACME");
        assert_eq!(read.accounts[0].secret().unwrap().expose_secret(), b"12345");
    }

    #[test]
    fn damaged_payloads_are_errors_that_never_quote_the_payload() {
        for text in [
            r#"{"accounts":[{"id":"5f0c6bde-6d4b-4f3c-9e51-0c8a8b5ad2b1","otp":{"kind":"steam"}}]}"#,
            r#"{"accounts":[{"id":"nope","secret":"GEZDGNBV","otp":{"kind":"steam"}}]}"#,
            r#"{"accounts":[{"id":"5f0c6bde-6d4b-4f3c-9e51-0c8a8b5ad2b1","secret":"SECRET1!","otp":{"kind":"totp","period":0}}]}"#,
            r#"{"accounts":[] trailing"#,
        ] {
            let glance = json(text);
            match glance.read() {
                Err(VaultError::PayloadUnreadable { detail }) => {
                    assert!(!detail.contains("SECRET1"), "{detail}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        // A secret that is not base32 fails when it is asked for, without quoting it.
        let text = r#"{"accounts":[{"id":"5f0c6bde-6d4b-4f3c-9e51-0c8a8b5ad2b1","secret":"SECRET1!","otp":{"kind":"steam"}}]}"#;
        let glance = json(text);
        let read = glance.read().unwrap();
        let error = read.accounts[0].secret().unwrap_err();
        assert!(!error.to_string().contains("SECRET1"), "{error}");
    }

    proptest! {
        #[test]
        fn agrees_with_a_full_open(
            accounts in proptest::collection::vec(payload::tests::arb_account(), 0..8),
        ) {
            let mut data = VaultData::new(UnixTime(0));
            data.accounts = accounts;
            let glance = glance_of(&data);
            assert_same(
                &glance.read().unwrap(),
                &payload::decode(&glance.buffer, Encoding::MessagePack).unwrap(),
            );
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let glance = plain(bytes);
            if let Ok(read) = glance.read() {
                for account in &read.accounts {
                    let _ = account.secret();
                }
            }
        }
    }
}
