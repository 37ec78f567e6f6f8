//! Signing in at `/auth` (with the second step of `login_mode=privacyIDEA`) and the calls a
//! signed-in user makes on their own tokens, over the push crate's HTTP client (same timeouts,
//! body cap, no redirects, rustls).

use std::borrow::Cow;
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;
use serde::{Deserialize, Serialize};
use tessera_core::keystore::KeyMaterial;
use tessera_core::{Account, UnixTime};
use url::Url;
use zeroize::Zeroizing;

use super::Server;
use super::error::SelfServiceError;
use super::parse::{
    AuthOutcome, Challenge, PushStatus, parse_action, parse_auth, parse_backup_codes,
    parse_otp_enrollment, parse_poll_transaction, parse_push_enrollment, parse_token_page,
};
use super::rights::{Right, Rights};
use super::secret::{BackupCodes, Password, SessionToken};
use super::tokens::TokenInfo;
use crate::protocol::KeySize;
use crate::store::PushToken;
use crate::transport::{PushClient, make_device_key};

/// Most pages of `GET /token/` read (100 tokens each).
const MAX_PAGES: u32 = 20;
/// How often a pending push sign-in is checked.
const PUSH_CHECK_INTERVAL: Duration = Duration::from_millis(500);

/// What [`Session::keep`] writes (JSON; the token is a JWT, so it borrows without escapes).
#[derive(Serialize, Deserialize)]
struct Kept<'a> {
    #[serde(borrow)]
    token: Cow<'a, str>,
    #[serde(borrow)]
    user: Cow<'a, str>,
    #[serde(borrow)]
    realm: Cow<'a, str>,
    #[serde(borrow)]
    rights: Vec<Cow<'a, str>>,
}

/// The outcome of a sign-in step.
#[derive(Debug)]
// A session is the common, final case; boxing it would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum SignIn {
    /// Signed in.
    Done(Session),
    /// The server wants a second factor (`login_mode=privacyIDEA`): answer with a code from
    /// Tessera or a backup code, or approve the push request and wait.
    SecondFactor(SecondFactor),
}

/// A signed-in user at one server. The session token (a JWT) lives in memory only and is wiped
/// when this is dropped: drop it (or call [`Session::sign_out`]) when the app locks.
pub struct Session {
    client: PushClient,
    server: Server,
    user: String,
    realm: String,
    token: SessionToken,
    rights: Rights,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("server", &self.server.origin())
            .field("user", &self.user)
            .field("realm", &self.realm)
            .field("rights", &self.rights)
            .finish_non_exhaustive()
    }
}

/// A TOTP or HOTP token enrolled at the server whose secret went straight into `account`.
/// Save it with [`super::save_enrolled`] (inside `Vault::update`).
#[derive(Debug)]
#[non_exhaustive]
pub struct Enrolled {
    /// The server's serial.
    pub serial: String,
    /// The vault account, secret included.
    pub account: Account,
}

/// The second sign-in step: a challenge is open under `transaction_id` on one or more of the
/// user's tokens.
pub struct SecondFactor {
    client: PushClient,
    server: Server,
    user: String,
    realm: Option<String>,
    transaction_id: String,
    challenges: Vec<Challenge>,
}

impl std::fmt::Debug for SecondFactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecondFactor")
            .field("server", &self.server.origin())
            .field("user", &self.user)
            .field("challenges", &self.challenges)
            .finish_non_exhaustive()
    }
}

async fn post_auth(
    client: &PushClient,
    server: &Server,
    form: &[(&str, &str)],
) -> Result<AuthOutcome, SelfServiceError> {
    let response = client
        .send(server.verifies_tls(), |http| {
            http.post(server.endpoint(&["auth"])).form(form)
        })
        .await?;
    parse_auth(response.status, &zeroize::Zeroizing::new(response.body))
}

fn sign_in_result(
    outcome: AuthOutcome,
    client: &PushClient,
    server: &Server,
    user: &str,
    realm: Option<&str>,
) -> SignIn {
    match outcome {
        AuthOutcome::Session {
            token,
            user: signed_in,
            realm: signed_in_realm,
            rights,
        } => SignIn::Done(Session {
            client: client.clone(),
            server: server.clone(),
            user: if signed_in.is_empty() {
                user.to_owned()
            } else {
                signed_in
            },
            realm: signed_in_realm,
            token,
            rights,
        }),
        AuthOutcome::Challenge {
            transaction_id,
            challenges,
        } => SignIn::SecondFactor(SecondFactor {
            client: client.clone(),
            server: server.clone(),
            user: user.to_owned(),
            realm: realm.map(str::to_owned),
            transaction_id,
            challenges,
        }),
    }
}

impl Session {
    /// Signs `user` in with their directory password. `realm` may be `None` for the server's
    /// default realm. With `login_mode=privacyIDEA` and challenge-response tokens, the answer
    /// is [`SignIn::SecondFactor`].
    pub async fn sign_in(
        client: &PushClient,
        server: &Server,
        user: &str,
        realm: Option<&str>,
        password: &Password,
    ) -> Result<SignIn, SelfServiceError> {
        let mut form = vec![
            ("username", user),
            // EXPOSE: the password goes to the server it belongs to, in the request body.
            ("password", password.expose_secret()),
        ];
        if let Some(realm) = realm {
            form.push(("realm", realm));
        }
        let outcome = post_auth(client, server, &form).await?;
        Ok(sign_in_result(outcome, client, server, user, realm))
    }

    /// Signs in in one step with the password followed by a code (from Tessera, or a backup
    /// code), as `login_mode=privacyIDEA` with `otppin=userstore` accepts when the server
    /// triggers no challenge for the user's tokens.
    pub async fn sign_in_with_code(
        client: &PushClient,
        server: &Server,
        user: &str,
        realm: Option<&str>,
        password: &Password,
        code: &str,
    ) -> Result<SignIn, SelfServiceError> {
        Self::sign_in(client, server, user, realm, &password.with_code(code)).await
    }

    /// The server.
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// The signed-in user's login name.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The user's realm.
    pub fn realm(&self) -> &str {
        &self.realm
    }

    /// What the user may do: offer only these actions.
    pub fn rights(&self) -> &Rights {
        &self.rights
    }

    /// The session as bytes, for a caller that keeps it for a short while outside this process
    /// (the CLI: in the kernel session keyring between commands, see `tessera account`): the
    /// user, realm, rights and the session token itself. Keep it where only this user's login
    /// session reads it, and not longer than the server's own limit (privacyIDEA's JWTs live an
    /// hour by default); [`Session::resume`] reads it back.
    pub fn keep(&self) -> KeyMaterial {
        let kept = Kept {
            token: Cow::Borrowed(self.token.expose_secret()),
            user: Cow::Borrowed(&self.user),
            realm: Cow::Borrowed(&self.realm),
            rights: self
                .rights
                .actions()
                .iter()
                .map(|a| Cow::Borrowed(a.as_str()))
                .collect(),
        };
        // Reserved up front, so the buffer holding the token is never reallocated (and left
        // unwiped) while it grows.
        let size = 256
            + self.token.expose_secret().len()
            + self.user.len()
            + self.realm.len()
            + self
                .rights
                .actions()
                .iter()
                .map(|a| a.len() + 3)
                .sum::<usize>();
        let mut bytes = Vec::with_capacity(size * 2);
        // Plain strings: serialising them into memory cannot fail.
        let _ = serde_json::to_writer(&mut bytes, &kept);
        KeyMaterial::from_bytes(bytes)
    }

    /// A session [`Session::keep`] made, at `server`, over `client`. Whether the server still
    /// takes it shows on the first call ([`SelfServiceError::SessionExpired`]: sign in again).
    pub fn resume(
        client: &PushClient,
        server: &Server,
        kept: &KeyMaterial,
    ) -> Result<Session, SelfServiceError> {
        let kept: Kept<'_> = serde_json::from_slice(kept.expose_secret())
            .map_err(|_| SelfServiceError::InvalidResponse("kept session"))?;
        if kept.token.is_empty() {
            return Err(SelfServiceError::InvalidResponse("kept session"));
        }
        Ok(Session {
            client: client.clone(),
            server: server.clone(),
            user: kept.user.into_owned(),
            realm: kept.realm.into_owned(),
            token: SessionToken::new(Zeroizing::new(kept.token.into_owned())),
            rights: Rights::from_actions(kept.rights.into_iter().map(Cow::into_owned)),
        })
    }

    /// Signs out: the session token is wiped. privacyIDEA's JWTs are stateless, so nothing is
    /// sent; the token stays valid at the server until it expires, but no copy is left here.
    pub fn sign_out(self) {}

    fn require(&self, right: Right) -> Result<(), SelfServiceError> {
        if self.rights.allows(right) {
            Ok(())
        } else {
            Err(SelfServiceError::NotAllowed(right))
        }
    }

    fn authorized(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        // EXPOSE: the JWT authenticates the user's own requests to the server that issued it.
        match HeaderValue::from_str(self.token.expose_secret()) {
            Ok(mut value) => {
                value.set_sensitive(true);
                request.header("PI-Authorization", value)
            }
            // parse_auth only accepts a JSON string; a JWT with control characters would be
            // refused by the server anyway, and sending none makes it answer 401.
            Err(_) => request,
        }
    }

    async fn post(
        &self,
        path: &[&str],
        form: &[(&str, &str)],
    ) -> Result<(u16, zeroize::Zeroizing<Vec<u8>>), SelfServiceError> {
        let response = self
            .client
            .send(self.server.verifies_tls(), |http| {
                self.authorized(http.post(self.server.endpoint(path)).form(form))
            })
            .await?;
        Ok((response.status, zeroize::Zeroizing::new(response.body)))
    }

    /// The user's tokens, all pages. Mark the ones living here with [`super::mark_here`].
    pub async fn list_tokens(&self) -> Result<Vec<TokenInfo>, SelfServiceError> {
        let mut tokens = Vec::new();
        for page in 1..=MAX_PAGES {
            let page = page.to_string();
            let response = self
                .client
                .send(self.server.verifies_tls(), |http| {
                    self.authorized(
                        http.get(self.server.endpoint(&["token", ""]))
                            .query(&[("page", page.as_str()), ("pagesize", "100")]),
                    )
                })
                .await?;
            let (mut listed, more) = parse_token_page(response.status, &response.body)?;
            tokens.append(&mut listed);
            if !more {
                break;
            }
        }
        Ok(tokens)
    }

    async fn enroll_otp(
        &self,
        kind: &str,
        right: Right,
        description: Option<&str>,
        now: UnixTime,
    ) -> Result<Enrolled, SelfServiceError> {
        self.require(right)?;
        let mut form = vec![("type", kind), ("genkey", "1")];
        if let Some(description) = description {
            form.push(("description", description));
        }
        let (status, body) = self.post(&["token", "init"], &form).await?;
        let (serial, uri) = parse_otp_enrollment(status, &body, right)?;
        if uri.otp.kind_name() != kind {
            return Err(SelfServiceError::InvalidResponse(
                "the server enrolled another token type",
            ));
        }
        Ok(Enrolled {
            serial,
            account: uri.into_account(now),
        })
    }

    /// Enrolls a new TOTP token whose secret goes straight from the server's answer into the
    /// returned account (never shown, logged or returned as text). Needs `enrollTOTP`.
    pub async fn enroll_totp_here(
        &self,
        description: Option<&str>,
        now: UnixTime,
    ) -> Result<Enrolled, SelfServiceError> {
        self.enroll_otp("totp", Right::EnrollTotp, description, now)
            .await
    }

    /// Enrolls a new HOTP token, like [`Session::enroll_totp_here`]. Needs `enrollHOTP`.
    pub async fn enroll_hotp_here(
        &self,
        description: Option<&str>,
        now: UnixTime,
    ) -> Result<Enrolled, SelfServiceError> {
        self.enroll_otp("hotp", Right::EnrollHotp, description, now)
            .await
    }

    /// Enrolls a new push token end to end: step 1 as the user, a fresh device key of `size`
    /// (made on the blocking pool), step 2 with the push client. Save the result with
    /// [`crate::store::save_token`]. Needs `enrollPUSH`.
    ///
    /// A push link that turns TLS certificate checks off (the server's `push_ssl_verify=0`) is
    /// enrolled only with `allow_unverified_tls` (the user's explicit choice), or where this
    /// session had no certificate checks to lose: turned off by the user for this server, or
    /// plain http to this computer. Otherwise [`crate::PushError::UnverifiedTls`], before the
    /// key is made.
    pub async fn enroll_push_here(
        &self,
        description: Option<&str>,
        size: KeySize,
        allow_unverified_tls: bool,
    ) -> Result<PushToken, SelfServiceError> {
        self.require(Right::EnrollPush)?;
        let mut form = vec![("type", "push"), ("genkey", "1")];
        if let Some(description) = description {
            form.push(("description", description));
        }
        let (status, body) = self.post(&["token", "init"], &form).await?;
        let unchecked_session =
            !self.server.verifies_tls() || self.server.base().scheme() == "http";
        let (_, uri) = parse_push_enrollment(status, &body)?;
        let uri = uri.allowing_unverified_tls(allow_unverified_tls || unchecked_session);
        uri.check_transport()?;
        let key = make_device_key(size).await?;
        Ok(self.client.enroll(&uri, key).await?)
    }

    /// Creates a set of `count` one-time backup codes (a privacyIDEA TAN list; a server policy
    /// `tantoken_count` may fix another count). They are returned this once. Each code signs
    /// in once, in any order, after the password (or as the second step). Needs `enrollTAN`.
    pub async fn create_backup_codes(
        &self,
        count: u32,
        description: Option<&str>,
    ) -> Result<BackupCodes, SelfServiceError> {
        self.require(Right::EnrollTan)?;
        let count = count.clamp(1, 1000).to_string();
        let mut form = vec![("type", "tan"), ("genkey", "1"), ("tantoken_count", &count)];
        if let Some(description) = description {
            form.push(("description", description));
        }
        let (status, body) = self.post(&["token", "init"], &form).await?;
        parse_backup_codes(status, &body)
    }

    async fn action(
        &self,
        right: Right,
        path: &[&str],
        form: &[(&str, &str)],
    ) -> Result<bool, SelfServiceError> {
        self.require(right)?;
        let (status, body) = self.post(path, form).await?;
        parse_action(status, &body, right)
    }

    async fn serial_action(
        &self,
        right: Right,
        verb: &str,
        serial: &str,
    ) -> Result<(), SelfServiceError> {
        if self.action(right, &["token", verb, serial], &[]).await? {
            Ok(())
        } else {
            Err(SelfServiceError::TokenNotFound)
        }
    }

    /// Disables a token (e.g. on a lost device) without deleting it. Needs `disable`.
    pub async fn disable(&self, serial: &str) -> Result<(), SelfServiceError> {
        self.serial_action(Right::Disable, "disable", serial).await
    }

    /// Enables a disabled token. Needs `enable`.
    pub async fn enable(&self, serial: &str) -> Result<(), SelfServiceError> {
        self.serial_action(Right::Enable, "enable", serial).await
    }

    /// Resets a locked token's failure counter ("my token is locked"). Needs `reset`.
    pub async fn reset_failcounter(&self, serial: &str) -> Result<(), SelfServiceError> {
        self.serial_action(Right::Reset, "reset", serial).await
    }

    /// Revokes a token for good (it stays listed, unusable). Needs `revoke`.
    pub async fn revoke(&self, serial: &str) -> Result<(), SelfServiceError> {
        self.serial_action(Right::Revoke, "revoke", serial).await
    }

    /// Deletes a token ("I lost my device"). Needs `delete`.
    pub async fn delete(&self, serial: &str) -> Result<(), SelfServiceError> {
        self.require(Right::Delete)?;
        let response = self
            .client
            .send(self.server.verifies_tls(), |http| {
                self.authorized(http.delete(self.server.endpoint(&["token", serial])))
            })
            .await?;
        if parse_action(response.status, &response.body, Right::Delete)? {
            Ok(())
        } else {
            Err(SelfServiceError::TokenNotFound)
        }
    }

    /// Sets a token's description. Needs `setdescription`.
    pub async fn set_description(
        &self,
        serial: &str,
        description: &str,
    ) -> Result<(), SelfServiceError> {
        self.action(
            Right::SetDescription,
            &["token", "description", serial],
            &[("description", description)],
        )
        .await
        .map(|_| ())
    }

    /// Resyncs an HOTP/TOTP token with two consecutive codes ("my codes are rejected").
    /// Needs `resync`.
    pub async fn resync(
        &self,
        serial: &str,
        code1: &str,
        code2: &str,
    ) -> Result<(), SelfServiceError> {
        if self
            .action(
                Right::Resync,
                &["token", "resync", serial],
                &[("otp1", code1), ("otp2", code2)],
            )
            .await?
        {
            Ok(())
        } else {
            Err(SelfServiceError::ResyncFailed)
        }
    }
}

impl SecondFactor {
    /// The tokens challenged (type and serial), to choose how to answer.
    pub fn challenges(&self) -> &[Challenge] {
        &self.challenges
    }

    /// Whether a push token was challenged (approve it, then [`SecondFactor::wait_for_push`]).
    pub fn has_push(&self) -> bool {
        self.challenges
            .iter()
            .any(|challenge| challenge.kind == "push")
    }

    /// The transaction the challenges belong to.
    pub fn transaction_id(&self) -> &str {
        &self.transaction_id
    }

    /// Answers with a code (TOTP/HOTP from Tessera, or a backup code). A wrong code is
    /// [`SelfServiceError::BadCredentials`] and the step can be answered again while the
    /// challenge lives.
    pub async fn answer_code(&self, code: &str) -> Result<SignIn, SelfServiceError> {
        self.finish(code).await
    }

    async fn finish(&self, password: &str) -> Result<SignIn, SelfServiceError> {
        let mut form = vec![
            ("username", self.user.as_str()),
            ("password", password),
            ("transaction_id", self.transaction_id.as_str()),
        ];
        if let Some(realm) = &self.realm {
            form.push(("realm", realm));
        }
        let outcome = post_auth(&self.client, &self.server, &form).await?;
        Ok(sign_in_result(
            outcome,
            &self.client,
            &self.server,
            &self.user,
            self.realm.as_deref(),
        ))
    }

    /// Waits until the push request is approved (on this Tessera or another device), then
    /// finishes the sign-in. Declined is [`SelfServiceError::Declined`]; nothing within
    /// `timeout` is [`SelfServiceError::SignInExpired`].
    pub async fn wait_for_push(&self, timeout: Duration) -> Result<SignIn, SelfServiceError> {
        let deadline = Instant::now() + timeout;
        loop {
            let response = self
                .client
                .send(self.server.verifies_tls(), |http| {
                    http.get(self.server.endpoint(&["validate", "polltransaction"]))
                        .query(&[("transaction_id", self.transaction_id.as_str())])
                })
                .await?;
            match parse_poll_transaction(response.status, &response.body)? {
                PushStatus::Accepted => return self.finish("").await,
                PushStatus::Declined => return Err(SelfServiceError::Declined),
                PushStatus::Pending if Instant::now() >= deadline => {
                    return Err(SelfServiceError::SignInExpired);
                }
                PushStatus::Pending => tokio::time::sleep(PUSH_CHECK_INTERVAL).await,
            }
        }
    }
}

impl Server {
    /// The URL of `segments` under the server's base URL (each segment percent-encoded, so a
    /// serial cannot change the path).
    pub(crate) fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.base().clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }
}
