//! Sans-IO: the answers of privacyIDEA's `/auth`, `/token/…` and `/validate/polltransaction`
//! (protocol doc §8, §13, §15), from an HTTP status and body to typed values.
//!
//! Answers that carry a secret (the JWT, an enrollment link with `secret=`, TAN codes) are read
//! into structs that borrow from the body instead of a `serde_json::Value` (whose strings are
//! never wiped); the fields with the secret in them are skipped, not copied.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, de::IgnoredAny};
use serde_json::Value;
use tessera_core::UnixTime;
use tessera_core::uri::OtpUri;
use zeroize::Zeroizing;

use super::error::SelfServiceError;
use super::rights::{Right, Rights};
use super::secret::{BackupCodes, SessionToken};
use super::tokens::TokenInfo;
use crate::protocol::EnrollmentUri;

/// What a failed call was about, to name the refusal precisely.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Context {
    /// `/auth`: a 401 is a wrong password or code.
    SignIn,
    /// A call with the session token; `Some(right)` when a policy right guards it.
    User(Option<Right>),
    /// `/validate/polltransaction`: needs no authentication.
    Public,
}

#[derive(Deserialize)]
struct Probe {
    result: ProbeResult,
}

/// `detail.loginmode` is `privacyIDEA` in a refusal of `/auth` when the server checks the
/// password together with a one-time code (the `webui` policy `login_mode=privacyIDEA`). Read
/// from refusals only, and leniently: a detail of another shape just says nothing.
#[derive(Deserialize)]
struct RefusalProbe {
    #[serde(default)]
    detail: Option<RefusalDetail>,
}

#[derive(Deserialize)]
struct RefusalDetail {
    #[serde(default)]
    loginmode: Option<String>,
}

#[derive(Deserialize)]
struct ProbeResult {
    #[serde(default)]
    status: Option<bool>,
    #[serde(default)]
    error: Option<ProbeError>,
}

#[derive(Deserialize)]
struct ProbeError {
    #[serde(default)]
    code: Option<i64>,
}

/// Fails with the typed error when the answer is one; `Ok` for a successful privacyIDEA answer
/// (`result.status: true` on a 2xx).
pub(crate) fn check(status: u16, body: &[u8], context: Context) -> Result<(), SelfServiceError> {
    let ok_status = (200..300).contains(&status);
    let probe: Probe = match serde_json::from_slice(body) {
        Ok(probe) => probe,
        Err(_) if !ok_status => return Err(refusal(status, None, false, context)),
        Err(_) => {
            return Err(SelfServiceError::InvalidResponse(
                "not a privacyIDEA JSON answer",
            ));
        }
    };
    if ok_status && probe.result.status == Some(true) {
        return Ok(());
    }
    let code = probe.result.error.and_then(|error| error.code);
    let with_code = serde_json::from_slice::<RefusalProbe>(body)
        .ok()
        .and_then(|refusal| refusal.detail?.loginmode)
        .is_some_and(|mode| mode.eq_ignore_ascii_case("privacyIDEA"));
    Err(refusal(status, code, with_code, context))
}

fn refusal(status: u16, code: Option<i64>, with_code: bool, context: Context) -> SelfServiceError {
    match (status, code, context) {
        // 4031: wrong credentials at /auth.
        (401, _, Context::SignIn) | (_, Some(4031), Context::SignIn) => {
            SelfServiceError::BadCredentials { with_code }
        }
        // 4033 no header, 4304/4305 bad or expired JWT, any other 401 with a token.
        (401, _, _) | (_, Some(4033 | 4304 | 4305), _) => SelfServiceError::SessionExpired,
        (403, _, Context::User(Some(right))) | (_, Some(303), Context::User(Some(right))) => {
            SelfServiceError::NotAllowed(right)
        }
        (403, _, _) | (_, Some(303), _) => SelfServiceError::PolicyRefused,
        (_, Some(601), _) | (404, _, Context::User(_)) => SelfServiceError::TokenNotFound,
        _ => SelfServiceError::Server { status, code },
    }
}

/// One challenge of a second sign-in step (`detail.multi_challenge[]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Challenge {
    /// The token asked, e.g. `TOTP000064A1`.
    pub serial: String,
    /// Its type: `totp`, `hotp`, `push`, `tan`, …
    #[serde(rename = "type", default)]
    pub kind: String,
}

/// What `/auth` said.
pub(crate) enum AuthOutcome {
    /// Signed in.
    Session {
        token: SessionToken,
        user: String,
        realm: String,
        rights: Rights,
    },
    /// A second factor is needed (`login_mode=privacyIDEA`).
    Challenge {
        transaction_id: String,
        challenges: Vec<Challenge>,
    },
}

#[derive(Deserialize)]
struct AuthBody<'a> {
    #[serde(borrow)]
    result: AuthResult<'a>,
    #[serde(default)]
    detail: Option<AuthDetail>,
}

#[derive(Deserialize)]
struct AuthResult<'a> {
    #[serde(borrow, default, deserialize_with = "object_or_none")]
    value: Option<AuthValue<'a>>,
}

#[derive(Deserialize)]
struct AuthValue<'a> {
    #[serde(borrow)]
    token: Cow<'a, str>,
    #[serde(default)]
    rights: Vec<String>,
    #[serde(default)]
    role: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    realm: String,
}

#[derive(Deserialize)]
struct AuthDetail {
    #[serde(default)]
    transaction_id: Option<String>,
    #[serde(default)]
    multi_challenge: Vec<Challenge>,
}

/// `result.value` is the session object on success and `false` on a challenge.
fn object_or_none<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<AuthValue<'de>>, D::Error> {
    struct ObjectOrNone;
    impl<'de> Visitor<'de> for ObjectOrNone {
        type Value = Option<AuthValue<'de>>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object or a boolean")
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            AuthValue::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }
    }
    deserializer.deserialize_any(ObjectOrNone)
}

/// Reads `/auth`'s answer.
pub(crate) fn parse_auth(status: u16, body: &[u8]) -> Result<AuthOutcome, SelfServiceError> {
    check(status, body, Context::SignIn)?;
    let parsed: AuthBody<'_> = serde_json::from_slice(body)
        .map_err(|_| SelfServiceError::InvalidResponse("sign-in answer"))?;
    if let Some(value) = parsed.result.value {
        if value.role != "user" {
            // An administrator's token would list and change everybody's tokens: this client
            // is self-service only.
            return Err(SelfServiceError::InvalidResponse(
                "not a user account (administrator)",
            ));
        }
        if value.token.is_empty() {
            return Err(SelfServiceError::InvalidResponse("empty session token"));
        }
        let token = Zeroizing::new(value.token.into_owned());
        return Ok(AuthOutcome::Session {
            token: SessionToken::new(token),
            user: value.username,
            realm: value.realm,
            rights: Rights::from_actions(value.rights),
        });
    }
    match parsed.detail {
        Some(AuthDetail {
            transaction_id: Some(transaction_id),
            multi_challenge,
        }) if !transaction_id.is_empty() && !multi_challenge.is_empty() => {
            Ok(AuthOutcome::Challenge {
                transaction_id,
                challenges: multi_challenge,
            })
        }
        _ => Err(SelfServiceError::InvalidResponse(
            "neither a session nor a challenge",
        )),
    }
}

#[derive(Deserialize)]
struct ListBody {
    result: ListResult,
}

#[derive(Deserialize)]
struct ListResult {
    value: ListValue,
}

#[derive(Deserialize)]
struct ListValue {
    tokens: Vec<Value>,
    #[serde(default)]
    next: Option<Value>,
}

/// Reads one page of `GET /token/`: the tokens, and whether a next page exists.
pub(crate) fn parse_token_page(
    status: u16,
    body: &[u8],
) -> Result<(Vec<TokenInfo>, bool), SelfServiceError> {
    check(status, body, Context::User(None))?;
    let parsed: ListBody = serde_json::from_slice(body)
        .map_err(|_| SelfServiceError::InvalidResponse("token list"))?;
    let tokens = parsed
        .result
        .value
        .tokens
        .iter()
        .map(token_info)
        .collect::<Option<Vec<_>>>()
        .ok_or(SelfServiceError::InvalidResponse("token entry"))?;
    let more = parsed.result.value.next.is_some_and(|next| !next.is_null());
    Ok((tokens, more))
}

fn token_info(entry: &Value) -> Option<TokenInfo> {
    let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
    let flag = |key: &str| entry.get(key).and_then(Value::as_bool).unwrap_or(false);
    let number = |key: &str| {
        entry
            .get(key)
            .and_then(Value::as_u64)
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
            .unwrap_or(0)
    };
    let info = entry.get("info");
    let last_used = info
        .and_then(|info| info.get("last_auth"))
        .and_then(Value::as_str)
        .and_then(parse_last_auth);
    // `tan.count` is a number in 3.14; older servers may send text.
    let remaining_codes = info.and_then(|info| info.get("tan.count")).and_then(|n| {
        n.as_u64()
            .or_else(|| n.as_str().and_then(|s| s.parse().ok()))
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
    });
    Some(TokenInfo {
        serial: text("serial").filter(|serial| !serial.is_empty())?,
        kind: text("tokentype").unwrap_or_default(),
        description: text("description").unwrap_or_default(),
        active: entry.get("active").and_then(Value::as_bool).unwrap_or(true),
        locked: flag("locked"),
        revoked: flag("revoked"),
        failcount: number("failcount"),
        maxfail: number("maxfail"),
        rollout_state: text("rollout_state").unwrap_or_default(),
        last_used,
        remaining_codes,
        here: None,
    })
}

/// `info.last_auth` as privacyIDEA 3.14 writes it: `2026-11-29 12:57:09.656272+0000`.
fn parse_last_auth(text: &str) -> Option<UnixTime> {
    let parsed = chrono::DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%z")
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(text))
        .ok()?;
    u64::try_from(parsed.timestamp()).ok().map(UnixTime)
}

#[derive(Deserialize)]
struct InitBody<'a> {
    #[serde(borrow)]
    detail: InitDetail<'a>,
}

#[derive(Deserialize)]
struct InitDetail<'a> {
    #[serde(default)]
    serial: String,
    #[serde(borrow, default)]
    googleurl: Option<Link<'a>>,
    #[serde(borrow, default)]
    pushurl: Option<Link<'a>>,
    #[serde(borrow, default)]
    otps: Option<BTreeMap<Cow<'a, str>, Cow<'a, str>>>,
    // `otpkey` (the seed again, hex and base32) and the QR images are skipped unread.
    #[serde(default)]
    #[allow(dead_code)]
    otpkey: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct Link<'a> {
    #[serde(borrow)]
    value: Cow<'a, str>,
}

fn init_detail<'a>(
    status: u16,
    body: &'a [u8],
    right: Right,
) -> Result<InitDetail<'a>, SelfServiceError> {
    check(status, body, Context::User(Some(right)))?;
    let parsed: InitBody<'a> = serde_json::from_slice(body)
        .map_err(|_| SelfServiceError::InvalidResponse("enrollment answer"))?;
    if parsed.detail.serial.is_empty() {
        return Err(SelfServiceError::InvalidResponse(
            "enrollment without serial",
        ));
    }
    Ok(parsed.detail)
}

/// Reads a wiped copy of `text` when serde had to unescape it (an owned `Cow`).
fn with_text<T>(text: Cow<'_, str>, f: impl FnOnce(&str) -> T) -> T {
    match text {
        Cow::Borrowed(text) => f(text),
        Cow::Owned(text) => {
            let text = Zeroizing::new(text);
            f(&text)
        }
    }
}

/// Reads a TOTP/HOTP `/token/init` answer: the serial and the parsed `googleurl` (the
/// `otpauth://` link with the secret). The link text itself is never returned.
pub(crate) fn parse_otp_enrollment(
    status: u16,
    body: &[u8],
    right: Right,
) -> Result<(String, OtpUri), SelfServiceError> {
    let detail = init_detail(status, body, right)?;
    let link = detail
        .googleurl
        .ok_or(SelfServiceError::InvalidResponse("enrollment without link"))?;
    let uri = with_text(link.value, OtpUri::parse).map_err(SelfServiceError::InvalidOtpUri)?;
    Ok((detail.serial, uri))
}

/// Reads a push `/token/init` answer: the serial and the `otpauth://pipush/` link.
pub(crate) fn parse_push_enrollment(
    status: u16,
    body: &[u8],
) -> Result<(String, EnrollmentUri), SelfServiceError> {
    let detail = init_detail(status, body, Right::EnrollPush)?;
    let link = detail.pushurl.ok_or(SelfServiceError::InvalidResponse(
        "push enrollment without link",
    ))?;
    let uri = with_text(link.value, EnrollmentUri::parse)
        .map_err(|error| SelfServiceError::Push(error.into()))?;
    if uri.serial() != detail.serial {
        return Err(SelfServiceError::InvalidResponse(
            "push link for another serial",
        ));
    }
    Ok((detail.serial, uri))
}

/// Reads a TAN `/token/init` answer: the codes in `detail.otps` (`{"0": "722221", …}`), in
/// index order.
pub(crate) fn parse_backup_codes(
    status: u16,
    body: &[u8],
) -> Result<BackupCodes, SelfServiceError> {
    let detail = init_detail(status, body, Right::EnrollTan)?;
    let otps = detail
        .otps
        .filter(|otps| !otps.is_empty())
        .ok_or(SelfServiceError::InvalidResponse("no backup codes"))?;
    let mut indexed = Vec::with_capacity(otps.len());
    for (index, code) in otps {
        let index: u32 = index
            .parse()
            .map_err(|_| SelfServiceError::InvalidResponse("backup code index"))?;
        let code = Zeroizing::new(code.into_owned());
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(SelfServiceError::InvalidResponse("backup code"));
        }
        indexed.push((index, code));
    }
    indexed.sort_unstable_by_key(|(index, _)| *index);
    Ok(BackupCodes::new(
        detail.serial,
        indexed.into_iter().map(|(_, code)| code).collect(),
    ))
}

/// Reads the `result.value` of a token action: a count (`1` = done) or a boolean.
pub(crate) fn parse_action(
    status: u16,
    body: &[u8],
    right: Right,
) -> Result<bool, SelfServiceError> {
    check(status, body, Context::User(Some(right)))?;
    let parsed: Value = serde_json::from_slice(body)
        .map_err(|_| SelfServiceError::InvalidResponse("action answer"))?;
    match &parsed["result"]["value"] {
        Value::Bool(done) => Ok(*done),
        Value::Number(count) => Ok(count.as_u64().is_some_and(|count| count > 0)),
        _ => Err(SelfServiceError::InvalidResponse("action answer")),
    }
}

/// Where a push sign-in stands (`detail.challenge_status` of `/validate/polltransaction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PushStatus {
    Accepted,
    Declined,
    Pending,
}

pub(crate) fn parse_poll_transaction(
    status: u16,
    body: &[u8],
) -> Result<PushStatus, SelfServiceError> {
    check(status, body, Context::Public)?;
    let parsed: Value = serde_json::from_slice(body)
        .map_err(|_| SelfServiceError::InvalidResponse("transaction status"))?;
    Ok(
        match parsed["detail"]["challenge_status"]
            .as_str()
            .unwrap_or("pending")
        {
            "accept" => PushStatus::Accepted,
            "declined" | "cancelled" => PushStatus::Declined,
            _ => PushStatus::Pending,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_body(code: i64) -> Vec<u8> {
        format!(
            r#"{{"detail": null, "result": {{"error": {{"code": {code}, "message": "x"}}, "status": false}}}}"#
        )
        .into_bytes()
    }

    #[test]
    fn refusals_are_typed() {
        let cases: [(&str, u16, i64, Context, &str); 7] = [
            (
                "wrong password",
                401,
                4031,
                Context::SignIn,
                "selfservice_bad_credentials",
            ),
            (
                "expired jwt",
                401,
                4304,
                Context::User(None),
                "selfservice_session_expired",
            ),
            (
                "missing right",
                403,
                303,
                Context::User(Some(Right::EnrollTan)),
                "selfservice_not_allowed",
            ),
            (
                "policy",
                403,
                303,
                Context::User(None),
                "selfservice_policy_refused",
            ),
            (
                "no token",
                404,
                601,
                Context::User(Some(Right::Delete)),
                "selfservice_token_not_found",
            ),
            (
                "no token 400",
                400,
                601,
                Context::User(None),
                "selfservice_token_not_found",
            ),
            ("other", 500, 99, Context::User(None), "selfservice_server"),
        ];
        for (name, status, code, context, want) in cases {
            let error = check(status, &error_body(code), context).unwrap_err();
            assert_eq!(error.code(), want, "{name}");
        }
        assert!(matches!(
            check(403, &error_body(303), Context::User(Some(Right::EnrollTan))),
            Err(SelfServiceError::NotAllowed(Right::EnrollTan))
        ));
    }

    #[test]
    fn a_refusal_in_login_mode_privacyidea_says_a_code_goes_with_the_password() {
        // As privacyIDEA 3.14 refuses /auth with the password alone (or a wrong one) when its
        // webui policy says login_mode=privacyIDEA; without the policy the detail is empty.
        let with_mode = br#"{"detail": {"loginmode": "privacyIDEA", "message": "wrong otp pin"},
            "result": {"error": {"code": 4031, "message": "Authentication failed."}, "status": false}}"#;
        let plain = br#"{"detail": {}, "result": {"error": {"code": 4031,
            "message": "Authentication failed."}, "status": false}}"#;
        let odd = br#"{"detail": [1], "result": {"error": {"code": 4031}, "status": false}}"#;
        let cases: [(&[u8], bool); 3] = [(with_mode, true), (plain, false), (odd, false)];
        for (body, want) in cases {
            match check(401, body, Context::SignIn) {
                Err(SelfServiceError::BadCredentials { with_code }) => assert_eq!(with_code, want),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn garbage_and_hostile_bodies() {
        assert!(matches!(
            check(200, b"<html>", Context::Public),
            Err(SelfServiceError::InvalidResponse(_))
        ));
        assert!(matches!(
            check(502, b"bad gateway", Context::Public),
            Err(SelfServiceError::Server {
                status: 502,
                code: None
            })
        ));
        let deep = "[".repeat(100_000);
        assert!(check(200, deep.as_bytes(), Context::Public).is_err());
        assert!(parse_auth(200, br#"{"result": {"status": true, "value": 7}}"#).is_err());
        assert!(parse_auth(200, br#"{"result": {"status": true, "value": false}}"#).is_err());
        assert!(
            parse_token_page(
                200,
                br#"{"result": {"status": true, "value": {"tokens": [{}]}}}"#
            )
            .is_err()
        );
        assert!(parse_backup_codes(200, br#"{"result": {"status": true}, "detail": {"serial": "P", "otps": {"0": "12 4"}}}"#).is_err());
    }

    #[test]
    fn auth_session_and_challenge() {
        // Shapes from privacyIDEA 3.14 (protocol doc §15, and a login_mode=privacyIDEA run).
        let session = br#"{"id": 2, "jsonrpc": "2.0", "result": {"authentication": "ACCEPT", "status": true,
            "value": {"token": "eyJhbGciOiJIUzI1NiJ9.e30.sig", "role": "user", "username": "alice",
                      "realm": "testrealm", "rights": ["enrollTOTP", "delete"], "menus": ["tokens"]}},
            "detail": {"loginmode": "privacyIDEA", "serial": "PITN0001C6E5"}}"#;
        let AuthOutcome::Session {
            token,
            user,
            realm,
            rights,
        } = parse_auth(200, session).unwrap()
        else {
            panic!("a session")
        };
        assert_eq!(token.expose_secret(), "eyJhbGciOiJIUzI1NiJ9.e30.sig");
        assert_eq!((user.as_str(), realm.as_str()), ("alice", "testrealm"));
        assert!(rights.allows(Right::Delete) && !rights.allows(Right::Reset));

        let challenge = br#"{"detail": {"client_mode": "interactive", "loginmode": "privacyIDEA",
            "message": "please enter otp: ", "multi_challenge": [{"client_mode": "interactive",
            "message": "please enter otp: ", "serial": "PITN0001C6E5", "transaction_id": "07862433001538070635",
            "type": "tan"}], "serial": "PITN0001C6E5", "transaction_id": "07862433001538070635", "type": "tan"},
            "id": 2, "jsonrpc": "2.0", "result": {"authentication": "CHALLENGE", "status": true, "value": false}}"#;
        let AuthOutcome::Challenge {
            transaction_id,
            challenges,
        } = parse_auth(200, challenge).unwrap()
        else {
            panic!("a challenge")
        };
        assert_eq!(transaction_id, "07862433001538070635");
        assert_eq!(challenges[0].kind, "tan");

        let admin =
            br#"{"result": {"status": true, "value": {"token": "x.y.z", "role": "admin"}}}"#;
        assert!(matches!(
            parse_auth(200, admin),
            Err(SelfServiceError::InvalidResponse(_))
        ));
    }

    #[test]
    fn token_list_entry() {
        let page = br#"{"result": {"status": true, "value": {"count": 1, "next": null, "prev": null, "tokens": [
            {"active": true, "count": 0, "description": "", "failcount": 10, "maxfail": 10, "locked": false,
             "revoked": false, "rollout_state": "enrolled", "serial": "PITN0000198E", "tokentype": "tan",
             "info": {"last_auth": "2026-11-29 12:57:09.656272+0000", "tan.count": 3}}]}}}"#;
        let (tokens, more) = parse_token_page(200, page).unwrap();
        assert!(!more);
        let token = &tokens[0];
        assert_eq!(token.serial, "PITN0000198E");
        assert_eq!(token.remaining_codes, Some(3));
        assert_eq!(token.last_used, Some(UnixTime(1_795_957_029)));
        assert_eq!(token.status(), super::super::tokens::TokenStatus::Locked);
    }

    #[test]
    fn enrollment_answers() {
        let totp = br#"{"detail": {"googleurl": {"description": "URL for google Authenticator", "img": "data:",
            "value": "otpauth://totp/TOTP000064A1?secret=SR5XI72IWVH3P6TOLXSWDTN6AOYSTHUC&period=30&digits=6&creator=privacyidea&issuer=privacyIDEA&serial=TOTP000064A1"},
            "otpkey": {"value": "seed://b1c6", "value_b32": "WHDO"}, "rollout_state": "enrolled", "serial": "TOTP000064A1"},
            "result": {"status": true, "value": true}}"#;
        let (serial, uri) = parse_otp_enrollment(200, totp, Right::EnrollTotp).unwrap();
        assert_eq!(serial, "TOTP000064A1");
        assert_eq!(uri.issuer, "privacyIDEA");
        assert_eq!(uri.secret.len(), 20);
        // An escaped link (serde unescapes into an owned, then wiped, copy) parses the same.
        let escaped = String::from_utf8(totp.to_vec())
            .unwrap()
            .replace("otpauth://", "otpauth:\\/\\/");
        let (_, again) = parse_otp_enrollment(200, escaped.as_bytes(), Right::EnrollTotp).unwrap();
        assert_eq!(again.secret, uri.secret);

        let tan = br#"{"detail": {"otps": {"0": "722221", "1": "157853", "10": "000001", "2": "590077"},
            "rollout_state": "enrolled", "serial": "PITN0000198E"}, "result": {"status": true, "value": true}}"#;
        let codes = parse_backup_codes(200, tan).unwrap();
        assert_eq!(codes.serial(), "PITN0000198E");
        assert_eq!(
            codes.expose_codes().collect::<Vec<_>>(),
            ["722221", "157853", "590077", "000001"]
        );
    }
}
