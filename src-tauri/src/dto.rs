//! Everything the webview receives, and nothing else: labels, codes, timings and error codes.
//!
//! No DTO has a field that could hold a secret, and domain types never derive `Serialize`; the
//! TypeScript mirror is `ui/src/lib/ipc/contract.ts` (hand-written for now, see its header).

use serde::Serialize;
use tessera_core::{Account, Otp, UnixTime, otp};

use crate::launch::UriSource;
use crate::state::RejectedUri;

/// The codes of every account at one instant.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CodesDto {
    /// The instant (Unix seconds) the codes were computed at, read by Rust.
    pub(crate) now: u64,
    pub(crate) accounts: Vec<AccountCodeDto>,
}

/// One account's public face and its current code.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccountCodeDto {
    pub(crate) id: String,
    pub(crate) issuer: String,
    pub(crate) name: String,
    /// `totp`, `hotp` or `steam`.
    pub(crate) kind: &'static str,
    /// The code text, ungrouped ("123456"); the UI groups it for reading.
    pub(crate) code: String,
    /// Seconds until `code` changes (1..=period); absent for HOTP.
    pub(crate) seconds_left: Option<u32>,
    /// The time step in seconds; absent for HOTP.
    pub(crate) period: Option<u32>,
}

/// A launch URI that was rejected: where it was, and why (never its text).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LaunchErrorDto {
    pub(crate) source: UriSourceDto,
    /// 1-based position within its source.
    pub(crate) position: u32,
    /// The core's stable `UriError::code()`.
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum UriSourceDto {
    Argument,
    Environment,
}

impl CodesDto {
    pub(crate) fn new(accounts: &[Account], now: UnixTime) -> Self {
        Self {
            now: now.0,
            accounts: accounts
                .iter()
                .map(|account| AccountCodeDto::new(account, now))
                .collect(),
        }
    }
}

impl AccountCodeDto {
    pub(crate) fn new(account: &Account, now: UnixTime) -> Self {
        let period = match account.otp {
            Otp::Hotp { .. } => None,
            // Steam Guard fixes a 30 s step.
            Otp::Steam => Some(30),
            Otp::Totp { period, .. } => Some(period.get()),
        };
        Self {
            id: account.id.to_string(),
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            kind: account.otp.kind_name(),
            code: otp::generate(&account.secret, &account.otp, now)
                .as_str()
                .to_owned(),
            seconds_left: otp::seconds_left(&account.otp, now),
            period,
        }
    }
}

impl From<&RejectedUri> for LaunchErrorDto {
    fn from(rejected: &RejectedUri) -> Self {
        Self {
            source: match rejected.source {
                UriSource::Argument => UriSourceDto::Argument,
                UriSource::Environment => UriSourceDto::Environment,
            },
            position: rejected.position,
            code: rejected.error.code(),
            message: rejected.error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use tessera_core::{Algorithm, Digits, OtpSecret, Period};

    use super::*;
    use crate::launch::GivenUri;
    use crate::state::AppState;

    /// RFC 6238 App. B key, base32 `GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ`.
    fn rfc_account(otp: Otp) -> Account {
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
    fn account_code_has_exactly_the_public_fields() {
        let totp8 = Otp::Totp {
            algorithm: Algorithm::Sha1,
            digits: Digits::new(8).unwrap(),
            period: Period::THIRTY,
        };
        let json =
            serde_json::to_value(CodesDto::new(&[rfc_account(totp8)], UnixTime(59))).unwrap();
        assert_eq!(keys(&json), ["accounts", "now"]);
        let account = &json["accounts"][0];
        assert_eq!(
            keys(account),
            [
                "code",
                "id",
                "issuer",
                "kind",
                "name",
                "period",
                "secondsLeft"
            ]
        );
        // RFC 6238 App. B: T = 59 s, SHA-1, 8 digits.
        assert_eq!(account["code"], json!("94287082"));
        assert_eq!(account["secondsLeft"], json!(1));
        assert_eq!(account["period"], json!(30));
        assert_eq!(account["kind"], json!("totp"));
        assert_eq!(json["now"], json!(59));
        let text = json.to_string();
        assert!(!text.contains("GEZDGNBV"), "base32 secret leaked: {text}");
        assert!(!text.contains("1234567890"), "raw secret leaked: {text}");
    }

    #[test]
    fn hotp_has_no_countdown() {
        let hotp = Otp::Hotp {
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            counter: 1,
        };
        let json =
            serde_json::to_value(AccountCodeDto::new(&rfc_account(hotp), UnixTime(7))).unwrap();
        // RFC 4226 App. D, counter 1.
        assert_eq!(json["code"], json!("287082"));
        assert_eq!(json["secondsLeft"], Value::Null);
        assert_eq!(json["period"], Value::Null);
    }

    #[test]
    fn rejected_uri_reports_code_and_position_but_no_secret() {
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        let given = vec![
            GivenUri {
                source: UriSource::Argument,
                position: 1,
                text: format!("otpauth://totp/Example:alice?secret={secret}&digits=99"),
            },
            GivenUri {
                source: UriSource::Environment,
                position: 2,
                text: format!("https://example.com/?secret={secret}"),
            },
        ];
        let state = AppState::from_uris(given, UnixTime(0));
        assert!(state.accounts().is_empty());
        let dtos: Vec<LaunchErrorDto> = state.rejected().iter().map(Into::into).collect();
        let json = serde_json::to_value(&dtos).unwrap();
        for (entry, (source, position)) in json
            .as_array()
            .unwrap()
            .iter()
            .zip([("argument", 1), ("environment", 2)])
        {
            assert_eq!(keys(entry), ["code", "message", "position", "source"]);
            assert_eq!(entry["source"], json!(source));
            assert_eq!(entry["position"], json!(position));
            assert!(!entry["code"].as_str().unwrap().is_empty());
        }
        let text = json.to_string();
        assert!(!text.contains(secret), "secret leaked: {text}");
    }
}
