//! Everything that crosses IPC, and nothing else: labels, codes, timings, settings and error
//! codes out; forms, patches and unlock secrets in.
//!
//! No outbound DTO has a field that could hold an account secret, and domain types never derive
//! `Serialize`. The one secret that goes out is the recovery key in [`CreatedDto`], on purpose:
//! it is shown once at first run.
//!
//! The TypeScript declarations of these types (and of the other DTOs of this crate) are generated
//! into `ui/src/lib/ipc/generated.ts` by the test in `contract.rs`, which fails while that
//! file is stale; `ui/src/lib/ipc/contract.ts` builds the UI's API on them.

use serde::{Deserialize, Serialize};
use tessera_core::vault::{Settings, Theme};
use tessera_core::{Account, Algorithm, Otp, UnixTime, otp};
use zeroize::Zeroizing;

use crate::error::{Field, IpcError};

/// Secret text crossing IPC (unlock secrets and form secrets in, the recovery key out), wiped on
/// drop. No `Debug`, so it cannot end up in a log.
pub(crate) struct SecretText(pub(crate) Zeroizing<String>);

impl std::ops::Deref for SecretText {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self(Zeroizing::new(text)))
    }
}

/// Text in TypeScript.
#[cfg(test)]
impl ts_rs::TS for SecretText {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(_: &ts_rs::Config) -> String {
        "string".to_owned()
    }
    fn inline(config: &ts_rs::Config) -> String {
        Self::name(config)
    }
}

impl Serialize for SecretText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

/// Where the vault stands: none yet, locked, or unlocked.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum VaultState {
    NoVault,
    Locked,
    Unlocked,
}

/// Whether a vault exists and how it can be unlocked.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "VaultStatus"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VaultStatusDto {
    pub(crate) state: VaultState,
    /// The OS keychain answered (a silent unlock or a keychain slot is possible).
    pub(crate) keychain_available: bool,
    pub(crate) has_passphrase: bool,
    pub(crate) has_keychain_slot: bool,
    /// Unlocked with the passphrase or recovery key because the keychain lost the vault's
    /// entry (a keychain that answers): the UI offers to store it again (`rebind_keychain`).
    /// Never done without asking.
    pub(crate) keychain_lost: bool,
    /// Where the vault file is (or will be created).
    pub(crate) vault_path: String,
}

/// The recovery key of a new vault, as the grouped text the user writes down.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Created"))]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreatedDto {
    // Zeroizing: wiped once serialized into the IPC response.
    pub(crate) recovery_key: SecretText,
}

/// One account's public face and its codes.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AccountView"))]
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccountDto {
    pub(crate) id: String,
    pub(crate) issuer: String,
    pub(crate) name: String,
    /// `totp`, `hotp` or `steam`.
    #[cfg_attr(test, ts(as = "KindIn"))]
    pub(crate) kind: &'static str,
    /// `SHA1`, `SHA256` or `SHA512` (Steam: SHA1).
    #[cfg_attr(test, ts(as = "crate::contract::Algorithm"))]
    pub(crate) algorithm: &'static str,
    pub(crate) digits: u8,
    /// The time step in seconds; absent for HOTP.
    pub(crate) period: Option<u32>,
    /// The counter of the shown code; absent for TOTP and Steam.
    pub(crate) counter: Option<u64>,
    pub(crate) tags: Vec<String>,
    /// A built-in icon name; absent for the generated initial.
    pub(crate) icon: Option<String>,
    pub(crate) favorite: bool,
    /// The code text, ungrouped ("123456"); the UI groups it for reading.
    pub(crate) code: String,
    /// The code of the next time step; absent for HOTP.
    pub(crate) next_code: Option<String>,
    /// Seconds until `code` changes (1..=period); absent for HOTP.
    pub(crate) seconds_left: Option<u32>,
}

/// Every account at one instant, in the user's order.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Accounts"))]
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccountsDto {
    /// The instant (Unix seconds) the codes were computed at, read by Rust.
    pub(crate) now: u64,
    pub(crate) accounts: Vec<AccountDto>,
}

/// The token that undoes one deletion (random, meaningless outside this process).
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Deleted"))]
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DeletedDto {
    pub(crate) undo_token: String,
}

/// When the copied code will be cleared from the clipboard (0: never).
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Copied"))]
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CopiedDto {
    pub(crate) clear_after_secs: u32,
}

/// An otpauth:// link waiting for the user's "add it?": labels only, the URI stays in Rust.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "UriPreview"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UriPreviewDto {
    /// Which waiting link this is: "add" and "dismiss" name it, so the account added is the
    /// one the dialog showed, even if another link arrived meanwhile.
    pub(crate) id: u32,
    pub(crate) issuer: String,
    pub(crate) name: String,
    #[cfg_attr(test, ts(as = "KindIn"))]
    pub(crate) kind: &'static str,
}

/// Settings, both ways.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SettingsView"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SettingsDto {
    pub(crate) language: LanguageDto,
    pub(crate) theme: ThemeDto,
    /// 0: never cleared.
    pub(crate) clipboard_clear_secs: u32,
    /// 0: never locked.
    pub(crate) auto_lock_secs: u32,
    pub(crate) show_next_code: bool,
    pub(crate) start_minimized: bool,
    pub(crate) start_at_login: bool,
    pub(crate) lock_on_sleep: bool,
    pub(crate) lock_on_screen_lock: bool,
    pub(crate) verify_every_approval: bool,
    pub(crate) verify_keychain_unlock: bool,
}

#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Language"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LanguageDto {
    System,
    En,
    Fr,
}

#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Theme"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ThemeDto {
    System,
    Light,
    Dark,
}

/// The language and theme the lock screen shows (kept by Rust outside the vault too).
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Appearance"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppearanceDto {
    pub(crate) language: LanguageDto,
    pub(crate) theme: ThemeDto,
}

/// Everything the first screen needs, in one IPC reply (`first_screen`): the page draws the
/// lock screen or the codes from it without another round trip.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "FirstScreen"))]
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FirstScreenDto {
    pub(crate) status: VaultStatusDto,
    pub(crate) appearance: AppearanceDto,
    /// While unlocked: the settings, the accounts with their codes.
    pub(crate) settings: Option<SettingsDto>,
    pub(crate) accounts: Option<AccountsDto>,
    pub(crate) deep_link: Option<UriPreviewDto>,
    pub(crate) push: push::PushStatusDto,
}

/// What Rust tells the UI without being asked, on the channel `first_screen` opens.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "BackendEventDto"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub(crate) enum BackendEvent {
    VaultChanged,
    VaultLocked,
    DeepLink {
        preview: UriPreviewDto,
    },
    // The tray and future OS shortcuts ask the UI to act; nothing emits it yet.
    #[allow(dead_code)]
    Shortcut {
        action: ShortcutAction,
    },
    /// Files dropped on the window were opened for import (`commands::transfer`).
    ImportOpened {
        opened: transfer::ImportOpenedDto,
    },
    /// Files dropped on the window could not be opened.
    ImportFailed {
        error: IpcError,
    },
    /// Images dropped on the window were scanned for QR codes (`commands::qr`).
    QrScanned {
        scan: qr::QrScanDto,
    },
    /// Images dropped on the window could not be scanned (the vault is locked, say).
    QrScanFailed {
        error: IpcError,
    },
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub(crate) enum ShortcutAction {
    Lock,
    Add,
    Search,
}

// ---- inbound ----

/// How to unlock. The secret text is wiped when this is dropped.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "UnlockMethod"))]
#[derive(Deserialize)]
#[serde(tag = "method", rename_all = "camelCase", deny_unknown_fields)]
pub(crate) enum UnlockMethodIn {
    /// `interactive`: the user clicked "Use the keychain", so the OS may ask them to verify it
    /// is them (the `verify_keychain_unlock` setting). The silent attempt at start is not
    /// interactive: it fails with `verify_required` rather than open a dialog nobody asked for.
    Keychain {
        #[serde(default)]
        interactive: bool,
    },
    RecoveryKey {
        secret: SecretText,
    },
    Passphrase {
        secret: SecretText,
    },
}

/// A manually entered account: `period` is used for TOTP only, `counter` for HOTP only. The
/// secret text is wiped when this is dropped.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AccountForm"))]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct AccountFormIn {
    pub(crate) issuer: String,
    pub(crate) name: String,
    /// Base32 as typed (spaces, dashes and case are tolerated).
    pub(crate) secret: SecretText,
    pub(crate) kind: KindIn,
    #[cfg_attr(test, ts(as = "crate::contract::Algorithm"))]
    pub(crate) algorithm: String,
    pub(crate) digits: u32,
    pub(crate) period: u32,
    pub(crate) counter: u64,
}

/// `totp`, `hotp` or `steam`: the kinds of one-time code.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "OtpKind"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum KindIn {
    Totp,
    Hotp,
    Steam,
}

/// The fields `update_account` changes; absent fields stay. `icon: null` removes the icon.
// In TypeScript, fields that may be left out: a `null` reads as absent too, but only `icon`'s
// means something (remove the icon).
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AccountPatch", optional_fields))]
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct AccountPatchIn {
    pub(crate) issuer: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) tags: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_even_if_null")]
    #[cfg_attr(test, ts(as = "Option<String>", optional = nullable))]
    pub(crate) icon: Option<Option<String>>,
    pub(crate) favorite: Option<bool>,
}

/// Tells "absent" (`None`) from "null" (`Some(None)`).
fn some_even_if_null<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

pub(crate) mod push;
pub(crate) mod qr;
pub(crate) mod selfservice;
pub(crate) mod transfer;

// ---- mapping ----

impl AccountsDto {
    pub(crate) fn new(accounts: &[Account], now: UnixTime) -> Self {
        Self {
            now: now.0,
            accounts: accounts
                .iter()
                .map(|account| AccountDto::new(account, now))
                .collect(),
        }
    }
}

impl AccountDto {
    pub(crate) fn new(account: &Account, now: UnixTime) -> Self {
        let (algorithm, digits, period, counter) = match account.otp {
            Otp::Hotp {
                algorithm,
                digits,
                counter,
            } => (algorithm, digits.get(), None, Some(counter)),
            // Steam Guard fixes HMAC-SHA-1, 5 characters and a 30 s step.
            Otp::Steam => (Algorithm::Sha1, 5, Some(30), None),
            Otp::Totp {
                algorithm,
                digits,
                period,
            } => (algorithm, digits.get(), Some(period.get()), None),
        };
        let code_at = |time: UnixTime| {
            otp::generate(&account.secret, &account.otp, time)
                .as_str()
                .to_owned()
        };
        Self {
            id: account.id.to_string(),
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            kind: account.otp.kind_name(),
            algorithm: algorithm.as_str(),
            digits,
            period,
            counter,
            tags: account.tags.clone(),
            icon: account.icon.clone(),
            favorite: account.favorite,
            code: code_at(now),
            // `now + period` always falls in the next step.
            next_code: period.map(|step| code_at(UnixTime(now.0.saturating_add(step.into())))),
            seconds_left: otp::seconds_left(&account.otp, now),
        }
    }
}

impl UriPreviewDto {
    pub(crate) fn new(id: u32, issuer: &str, name: &str, otp: &Otp) -> Self {
        Self {
            id,
            issuer: issuer.to_owned(),
            name: name.to_owned(),
            kind: otp.kind_name(),
        }
    }
}

impl From<&Settings> for SettingsDto {
    fn from(settings: &Settings) -> Self {
        Self {
            // Another client may store a language the desktop app has no strings for.
            language: match settings.language.as_deref() {
                Some("en") => LanguageDto::En,
                Some("fr") => LanguageDto::Fr,
                _ => LanguageDto::System,
            },
            theme: match settings.theme {
                Theme::Dark => ThemeDto::Dark,
                Theme::Light => ThemeDto::Light,
                _ => ThemeDto::System,
            },
            clipboard_clear_secs: settings.clipboard_clear_secs,
            auto_lock_secs: settings.auto_lock_secs,
            show_next_code: settings.show_next_code,
            start_minimized: settings.start_minimized,
            start_at_login: settings.start_at_login,
            lock_on_sleep: settings.lock_on_sleep,
            lock_on_screen_lock: settings.lock_on_screen_lock,
            verify_every_approval: settings.verify_every_approval,
            verify_keychain_unlock: settings.verify_keychain_unlock,
        }
    }
}

impl SettingsDto {
    /// Longest accepted clipboard and auto-lock delays: one day.
    pub(crate) const MAX_DELAY_SECS: u32 = 86_400;

    /// Writes these values into the stored settings (fields the app does not show are kept).
    pub(crate) fn apply_to(&self, settings: &mut Settings) -> Result<(), IpcError> {
        if self.clipboard_clear_secs > Self::MAX_DELAY_SECS
            || self.auto_lock_secs > Self::MAX_DELAY_SECS
        {
            return Err(IpcError::invalid(None, "delays are at most one day"));
        }
        settings.language = match self.language {
            LanguageDto::System => None,
            LanguageDto::En => Some("en".to_owned()),
            LanguageDto::Fr => Some("fr".to_owned()),
        };
        settings.theme = match self.theme {
            ThemeDto::System => Theme::System,
            ThemeDto::Light => Theme::Light,
            ThemeDto::Dark => Theme::Dark,
        };
        settings.clipboard_clear_secs = self.clipboard_clear_secs;
        settings.auto_lock_secs = self.auto_lock_secs;
        settings.show_next_code = self.show_next_code;
        settings.start_minimized = self.start_minimized;
        settings.start_at_login = self.start_at_login;
        settings.lock_on_sleep = self.lock_on_sleep;
        settings.lock_on_screen_lock = self.lock_on_screen_lock;
        settings.verify_every_approval = self.verify_every_approval;
        settings.verify_keychain_unlock = self.verify_keychain_unlock;
        Ok(())
    }
}

impl AccountFormIn {
    /// The account this form describes, or the first field at fault.
    pub(crate) fn into_account(self, now: UnixTime) -> Result<Account, IpcError> {
        use tessera_core::{Digits, OtpSecret, Period};
        let issuer = self.issuer.trim().to_owned();
        let name = self.name.trim().to_owned();
        if issuer.is_empty() && name.is_empty() {
            return Err(IpcError::invalid(
                Some(Field::Issuer),
                "give the account an issuer or a name",
            ));
        }
        let secret = tessera_core::uri::decode_base32(&self.secret)
            .filter(|decoded| !decoded.secret.is_empty())
            .ok_or_else(|| IpcError::invalid(Some(Field::Secret), "the secret is not base32"))?;
        let secret: OtpSecret = secret.secret;
        let algorithm = || {
            Algorithm::parse(&self.algorithm)
                .ok_or_else(|| IpcError::invalid(None, "use SHA1, SHA256 or SHA512"))
        };
        let digits = || {
            Digits::new(self.digits)
                .ok_or_else(|| IpcError::invalid(Some(Field::Digits), "digits are 5 to 10"))
        };
        let otp = match self.kind {
            KindIn::Steam => Otp::Steam,
            KindIn::Hotp => Otp::Hotp {
                algorithm: algorithm()?,
                digits: digits()?,
                counter: self.counter,
            },
            KindIn::Totp => Otp::Totp {
                algorithm: algorithm()?,
                digits: digits()?,
                period: Period::new(self.period).ok_or_else(|| {
                    IpcError::invalid(Some(Field::Period), "the period is at least 1 second")
                })?,
            },
        };
        Ok(Account::new(issuer, name, secret, otp, now))
    }
}

impl AccountPatchIn {
    /// Applies the patch; an issuer and a name both empty is refused.
    pub(crate) fn apply_to(self, account: &mut Account, now: UnixTime) -> Result<(), IpcError> {
        if let Some(issuer) = self.issuer {
            account.issuer = issuer.trim().to_owned();
        }
        if let Some(name) = self.name {
            account.name = name.trim().to_owned();
        }
        if account.issuer.is_empty() && account.name.is_empty() {
            return Err(IpcError::invalid(
                Some(Field::Issuer),
                "give the account an issuer or a name",
            ));
        }
        if let Some(tags) = self.tags {
            let mut clean: Vec<String> = Vec::with_capacity(tags.len());
            for tag in tags.iter().map(|tag| tag.trim()) {
                if !tag.is_empty() && !clean.iter().any(|kept| kept == tag) {
                    clean.push(tag.to_owned());
                }
            }
            account.tags = clean;
        }
        if let Some(icon) = self.icon {
            account.icon = icon.filter(|icon| !icon.trim().is_empty());
        }
        if let Some(favorite) = self.favorite {
            account.favorite = favorite;
        }
        account.updated = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use tessera_core::{Digits, OtpSecret, Period};

    use super::*;

    /// RFC 6238 App. B key, base32 `GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ`.
    pub(crate) fn rfc_account(otp: Otp) -> Account {
        Account::new(
            "Example",
            "alice@example.com",
            OtpSecret::from_slice(b"12345678901234567890"),
            otp,
            UnixTime(0),
        )
    }

    fn keys(value: &Value) -> Vec<&str> {
        let mut keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        keys
    }

    #[test]
    fn account_has_exactly_the_public_fields() {
        let totp8 = Otp::Totp {
            algorithm: Algorithm::Sha1,
            digits: Digits::new(8).unwrap(),
            period: Period::THIRTY,
        };
        let json =
            serde_json::to_value(AccountsDto::new(&[rfc_account(totp8)], UnixTime(59))).unwrap();
        assert_eq!(keys(&json), ["accounts", "now"]);
        let account = &json["accounts"][0];
        assert_eq!(
            keys(account),
            [
                "algorithm",
                "code",
                "counter",
                "digits",
                "favorite",
                "icon",
                "id",
                "issuer",
                "kind",
                "name",
                "nextCode",
                "period",
                "secondsLeft",
                "tags"
            ]
        );
        // RFC 6238 App. B: T = 59 s and T = 89 s (the next step), SHA-1, 8 digits.
        assert_eq!(account["code"], json!("94287082"));
        assert_eq!(account["nextCode"], json!("37359152"));
        assert_eq!(account["secondsLeft"], json!(1));
        assert_eq!(account["period"], json!(30));
        assert_eq!(account["counter"], Value::Null);
        assert_eq!(account["algorithm"], json!("SHA1"));
        assert_eq!(account["digits"], json!(8));
        assert_eq!(account["favorite"], json!(false));
        assert_eq!(account["kind"], json!("totp"));
        assert_eq!(json["now"], json!(59));
        let text = json.to_string();
        assert!(!text.contains("GEZDGNBV"), "base32 secret leaked: {text}");
        assert!(!text.contains("1234567890"), "raw secret leaked: {text}");
    }

    #[test]
    fn hotp_has_a_counter_and_no_countdown() {
        let hotp = Otp::Hotp {
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            counter: 1,
        };
        let json = serde_json::to_value(AccountDto::new(&rfc_account(hotp), UnixTime(7))).unwrap();
        // RFC 4226 App. D, counter 1.
        assert_eq!(json["code"], json!("287082"));
        assert_eq!(json["counter"], json!(1));
        assert_eq!(json["secondsLeft"], Value::Null);
        assert_eq!(json["nextCode"], Value::Null);
        assert_eq!(json["period"], Value::Null);
    }

    #[test]
    fn steam_reports_its_fixed_parameters() {
        let json =
            serde_json::to_value(AccountDto::new(&rfc_account(Otp::Steam), UnixTime(7))).unwrap();
        assert_eq!(json["kind"], json!("steam"));
        assert_eq!(json["digits"], json!(5));
        assert_eq!(json["period"], json!(30));
        assert_eq!(json["code"].as_str().unwrap().len(), 5);
        assert_eq!(json["nextCode"].as_str().unwrap().len(), 5);
    }

    #[test]
    fn settings_round_trip_and_reject_unknown_fields() {
        let mut settings = Settings::default();
        let dto = SettingsDto::from(&settings);
        let json = serde_json::to_value(&dto).unwrap();
        assert_eq!(
            keys(&json),
            [
                "autoLockSecs",
                "clipboardClearSecs",
                "language",
                "lockOnScreenLock",
                "lockOnSleep",
                "showNextCode",
                "startAtLogin",
                "startMinimized",
                "theme",
                "verifyEveryApproval",
                "verifyKeychainUnlock"
            ]
        );
        assert_eq!(json["language"], json!("system"));
        let mut changed: SettingsDto = serde_json::from_value(json!({
            "language": "fr", "theme": "dark", "clipboardClearSecs": 0, "autoLockSecs": 60,
            "showNextCode": true, "startMinimized": true, "startAtLogin": false,
            "lockOnSleep": false, "lockOnScreenLock": true, "verifyEveryApproval": true,
            "verifyKeychainUnlock": false
        }))
        .unwrap();
        changed.apply_to(&mut settings).unwrap();
        assert_eq!(settings.language.as_deref(), Some("fr"));
        assert_eq!(SettingsDto::from(&settings), changed);
        changed.auto_lock_secs = SettingsDto::MAX_DELAY_SECS + 1;
        assert_eq!(
            changed.apply_to(&mut settings).unwrap_err().code,
            "invalid_input"
        );
        let extra = json!({
            "language": "fr", "theme": "dark", "clipboardClearSecs": 0, "autoLockSecs": 60,
            "showNextCode": true, "startMinimized": true, "startAtLogin": false,
            "lockOnSleep": false, "lockOnScreenLock": true, "verifyEveryApproval": true,
            "verifyKeychainUnlock": false, "x": 1
        });
        assert!(serde_json::from_value::<SettingsDto>(extra).is_err());
        settings.language = Some("de".to_owned());
        assert_eq!(SettingsDto::from(&settings).language, LanguageDto::System);
    }

    fn form(value: Value) -> AccountFormIn {
        serde_json::from_value(value).unwrap()
    }

    fn base_form() -> Value {
        json!({"issuer": " Example ", "name": "alice", "secret": "gezd gnbv gy3t qojq",
               "kind": "totp", "algorithm": "SHA256", "digits": 8, "period": 60, "counter": 0})
    }

    #[test]
    fn form_builds_an_account_or_names_the_field_at_fault() {
        let account = form(base_form()).into_account(UnixTime(5)).unwrap();
        assert_eq!(account.issuer, "Example");
        assert_eq!(account.secret.expose_secret(), b"1234567890");
        assert_eq!(
            account.otp,
            Otp::Totp {
                algorithm: Algorithm::Sha256,
                digits: Digits::new(8).unwrap(),
                period: Period::new(60).unwrap()
            }
        );
        let cases = [
            ("secret", json!("not base32!"), Field::Secret),
            ("secret", json!(""), Field::Secret),
            ("digits", json!(4), Field::Digits),
            ("digits", json!(11), Field::Digits),
            ("period", json!(0), Field::Period),
        ];
        for (key, value, field) in cases {
            let mut bad = base_form();
            bad[key] = value;
            let error = form(bad).into_account(UnixTime(5)).unwrap_err();
            assert_eq!((error.code, error.field), ("invalid_input", Some(field)));
            assert!(!error.message.contains("GEZD"));
        }
        let mut nameless = base_form();
        nameless["issuer"] = json!(" ");
        nameless["name"] = json!("");
        let error = form(nameless).into_account(UnixTime(5)).unwrap_err();
        assert_eq!(error.field, Some(Field::Issuer));
        let mut hotp = base_form();
        hotp["kind"] = json!("hotp");
        hotp["counter"] = json!(7);
        hotp["period"] = json!(0);
        let account = form(hotp).into_account(UnixTime(5)).unwrap();
        assert!(matches!(account.otp, Otp::Hotp { counter: 7, .. }));
        let mut extra = base_form();
        extra["secretBytes"] = json!([1]);
        assert!(serde_json::from_value::<AccountFormIn>(extra).is_err());
    }

    #[test]
    fn patch_tells_absent_from_null() {
        let mut account = rfc_account(Otp::Steam);
        account.icon = Some("github".to_owned());
        let patch: AccountPatchIn =
            serde_json::from_value(json!({"tags": [" work ", "work", ""], "favorite": true}))
                .unwrap();
        patch.apply_to(&mut account, UnixTime(9)).unwrap();
        assert_eq!(account.tags, ["work"]);
        assert_eq!(account.icon.as_deref(), Some("github"));
        assert!(account.favorite);
        assert_eq!(account.updated, UnixTime(9));
        let patch: AccountPatchIn = serde_json::from_value(json!({"icon": null})).unwrap();
        patch.apply_to(&mut account, UnixTime(9)).unwrap();
        assert_eq!(account.icon, None);
        let patch: AccountPatchIn =
            serde_json::from_value(json!({"issuer": "", "name": " "})).unwrap();
        assert_eq!(
            patch.apply_to(&mut account, UnixTime(9)).unwrap_err().field,
            Some(Field::Issuer)
        );
    }

    #[test]
    fn events_are_tagged_by_type() {
        let preview = UriPreviewDto::new(7, "Example", "alice", &Otp::Steam);
        assert_eq!(
            serde_json::to_value(BackendEvent::DeepLink { preview }).unwrap(),
            json!({"type": "deepLink", "preview": {"id": 7, "issuer": "Example", "name": "alice", "kind": "steam"}})
        );
        assert_eq!(
            serde_json::to_value(BackendEvent::VaultLocked).unwrap(),
            json!({"type": "vaultLocked"})
        );
        let status = VaultStatusDto {
            state: VaultState::NoVault,
            keychain_available: true,
            has_passphrase: false,
            keychain_lost: false,
            has_keychain_slot: false,
            vault_path: "/v".to_owned(),
        };
        assert_eq!(
            serde_json::to_value(status).unwrap(),
            json!({"state": "noVault", "keychainAvailable": true, "hasPassphrase": false,
                   "hasKeychainSlot": false, "keychainLost": false, "vaultPath": "/v"})
        );
    }
}
