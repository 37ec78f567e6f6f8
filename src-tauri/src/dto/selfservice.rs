//! What crosses IPC for self-service at the user's privacyIDEA: the session and its rights,
//! the second step, the factors, and the answers the webview sends.

use serde::{Deserialize, Serialize};
use tessera_push::selfservice::{Here, LastServer, Session, TokenInfo};

use super::SecretText;

/// Who is signed in where, and what they may do (offer only these actions).
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SelfServiceSession"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SessionDto {
    pub(crate) server: String,
    pub(crate) user: String,
    pub(crate) realm: String,
    pub(crate) verify_tls: bool,
    /// privacyIDEA's action names of the known rights granted, e.g. `enrollTOTP`, `delete`.
    #[cfg_attr(test, ts(as = "Vec<crate::contract::SelfServiceRight>"))]
    pub(crate) rights: Vec<&'static str>,
}

impl SessionDto {
    pub(crate) fn new(session: &Session) -> Self {
        Self {
            server: session.server().origin().to_owned(),
            user: session.user().to_owned(),
            realm: session.realm().to_owned(),
            verify_tls: session.server().verifies_tls(),
            rights: session
                .rights()
                .granted()
                .into_iter()
                .map(|right| right.as_str())
                .collect(),
        }
    }
}

/// The session, if any, and where the user last signed in (to fill the form).
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SelfServiceStatus"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StatusDto {
    pub(crate) session: Option<SessionDto>,
    pub(crate) last: Option<LastServerDto>,
}

/// The last server signed in to: no password, no session.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "LastServer"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LastServerDto {
    pub(crate) server: String,
    pub(crate) user: String,
    pub(crate) realm: Option<String>,
    pub(crate) verify_tls: bool,
    /// The server took the password only together with a one-time code: the form asks for
    /// both up front (each password sent alone counts as a failure on the user's tokens).
    pub(crate) code_with_password: bool,
}

impl From<LastServer> for LastServerDto {
    fn from(last: LastServer) -> Self {
        Self {
            server: last.url,
            user: last.user,
            realm: last.realm,
            verify_tls: last.verify_tls,
            code_with_password: last.code_with_password,
        }
    }
}

/// A token challenged in the second sign-in step.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SelfServiceChallenge"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ChallengeDto {
    pub(crate) serial: String,
    pub(crate) kind: String,
    /// Tessera can compute its code (an account of this vault is linked to it).
    pub(crate) here: bool,
}

/// Where a sign-in stands.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SelfServiceStep"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "camelCase")]
pub(crate) enum StepDto {
    SignedIn {
        session: SessionDto,
    },
    #[serde(rename_all = "camelCase")]
    SecondFactor {
        challenges: Vec<ChallengeDto>,
        /// A push token was challenged: approving it finishes the sign-in.
        push: bool,
    },
}

/// How the user answers the second step.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SelfServiceAnswer"))]
#[derive(Deserialize)]
#[serde(tag = "method", rename_all = "camelCase")]
pub(crate) enum AnswerIn {
    /// Tessera computes the code of the linked account of `serial`.
    Tessera { serial: String },
    /// A typed code: from another device, or a backup code.
    Code { code: SecretText },
    /// Wait for the push approval.
    Push,
}

/// One of the user's factors at the server.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Factor"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FactorDto {
    pub(crate) serial: String,
    /// `totp`, `hotp`, `push`, `tan`, …
    pub(crate) kind: String,
    pub(crate) description: String,
    /// `active`, `disabled`, `locked`, `revoked` or `unfinished`.
    #[cfg_attr(test, ts(as = "crate::contract::FactorStatus"))]
    pub(crate) status: &'static str,
    pub(crate) failcount: u32,
    pub(crate) maxfail: u32,
    /// Unix seconds of the last use, when the server records it.
    pub(crate) last_used: Option<u64>,
    /// Backup codes left (backup-code sets only).
    pub(crate) remaining_codes: Option<u32>,
    /// When it lives in this Tessera: as an account or a push token.
    pub(crate) here: Option<FactorHere>,
    /// The vault account, when `here` is `account`.
    pub(crate) account_id: Option<String>,
}

/// Where a factor lives in this Tessera.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FactorHere {
    /// An account of the vault (`account_id`).
    Account,
    /// A push token.
    Push,
}

impl FactorDto {
    pub(crate) fn new(token: &TokenInfo) -> Self {
        let (here, account_id) = match &token.here {
            Some(Here::Account(id)) => (Some(FactorHere::Account), Some(id.to_string())),
            Some(Here::Push(_)) => (Some(FactorHere::Push), None),
            None => (None, None),
        };
        Self {
            serial: token.serial.clone(),
            kind: token.kind.clone(),
            description: token.description.clone(),
            status: token.status().as_str(),
            failcount: token.failcount,
            maxfail: token.maxfail,
            last_used: token.last_used.map(|time| time.0),
            remaining_codes: token.remaining_codes,
            here,
            account_id,
        }
    }
}

/// What to enroll.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum EnrollKind {
    Totp,
    Hotp,
    Push,
}

/// A token enrolled into this vault.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Enrolled"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EnrolledDto {
    pub(crate) serial: String,
    /// The new vault account (TOTP/HOTP); push tokens have none.
    pub(crate) account_id: Option<String>,
    pub(crate) label: String,
}

/// Actions on one token that need nothing but its serial.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum TokenAction {
    Disable,
    Enable,
    Delete,
    Reset,
}

/// Where the two resync codes come from.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ResyncCodes"))]
#[derive(Deserialize)]
#[serde(tag = "method", rename_all = "camelCase")]
pub(crate) enum ResyncIn {
    /// Tessera computes two consecutive codes of the linked account.
    Tessera,
    /// Typed from the device that holds the token.
    Typed {
        first: SecretText,
        second: SecretText,
    },
}

/// A fresh set of backup codes, shown once.
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "BackupCodes"))]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BackupCodesDto {
    pub(crate) serial: String,
    /// The one secret-like thing sent to the webview on purpose: the user asked to see them
    /// once, to print or save. Wiped here once serialized.
    pub(crate) codes: Vec<SecretText>,
}
