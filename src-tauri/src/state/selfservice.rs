//! Self-service at the user's privacyIDEA ("Reset my MFA"): sign in (with a second factor
//! computed here, typed, or approved by push), list one's factors marking those living in this
//! vault, enroll TOTP/HOTP/push straight into the vault, disable/enable/delete, reset, resync,
//! and create backup codes. The protocol is `tessera_push::selfservice`; this is the app's
//! glue: which vault account answers, what the webview may see, and signing out on lock.
//!
//! The session token (a JWT) lives only in [`Held`], inside the app state's session mutex, and
//! every lock of the vault (command, tray, idle, vault replaced) calls [`Held::sign_out`]. The
//! webview sees labels, serials, states and error codes; the one exception is a fresh set of
//! backup codes, which the user asked to see (one-time server codes, not vault secrets).

use std::sync::Arc;
use std::time::Duration;

use tessera_core::{AccountId, Otp, UnixTime, Vault};
use tessera_push::selfservice::{
    Password, SecondFactor, SelfServiceError, Server, Session, SignIn, last_server, local_account,
    mark_here, remember_code_with_password, remember_server, save_enrolled,
};
use tessera_push::transport::ClientConfig;
use tessera_push::{KeySize, PushClient};
use zeroize::Zeroizing;

use super::AppState;
use crate::dto::SecretText;
use crate::dto::selfservice::{
    AnswerIn, BackupCodesDto, ChallengeDto, EnrollKind, EnrolledDto, FactorDto, LastServerDto,
    ResyncIn, SessionDto, StatusDto, StepDto, TokenAction,
};
use crate::error::IpcError;

/// How long a push approval of the second sign-in step is waited for.
const PUSH_WAIT: Duration = Duration::from_secs(120);
/// Description given at the server to what is enrolled here.
const DESCRIPTION: &str = "Tessera";

/// The self-service sign-in of this app run: memory only.
#[derive(Debug, Default)]
pub(crate) struct Held {
    /// Bumped at every sign-out, so a sign-in that was on the network while the vault locked
    /// is dropped instead of stored.
    epoch: u64,
    pending: Option<Pending>,
    session: Option<Arc<Session>>,
}

#[derive(Debug)]
struct Pending {
    server: Server,
    step: Arc<SecondFactor>,
}

impl Held {
    /// Forgets the session and any half-done sign-in (the JWT is wiped when the last in-flight
    /// call using it ends).
    pub(crate) fn sign_out(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
        self.pending = None;
        self.session = None;
    }
}

/// Failures of the app's side of self-service (the server's are `SelfServiceError`s).
#[derive(Debug, thiserror::Error)]
pub(crate) enum AppError {
    /// No session: connect first (or again, after a lock).
    #[error("you are not signed in to your organisation's server: connect first")]
    SignedOut,
    /// An answer to a second step that is not open.
    #[error("no sign-in is waiting for a second factor: connect again")]
    NoSecondStep,
    /// A code from Tessera for a token that does not live in this vault.
    #[error("this token does not live in this Tessera: type its codes instead")]
    NotHere,
    /// Resync from Tessera of an account that is not HOTP or TOTP.
    #[error("only HOTP and TOTP tokens can be resynced")]
    NotResyncable,
    /// The server refused the password alone and takes it with a one-time code (its
    /// `login_mode=privacyIDEA` without a challenge-response policy): ask for both.
    #[error("this server wants the password and a one-time code together")]
    CodeWithPassword,
}

tessera_core::error_codes!(AppError {
    SignedOut => "selfservice_signed_out",
    NoSecondStep => "selfservice_no_second_step",
    NotHere => "selfservice_not_here",
    NotResyncable => "selfservice_not_resyncable",
    CodeWithPassword => "selfservice_code_with_password",
});

fn session(state: &AppState) -> Result<Arc<Session>, IpcError> {
    state.selfservice(|held| {
        held.session
            .clone()
            .ok_or_else(|| AppError::SignedOut.into())
    })
}

/// Stores the outcome of a sign-in step begun at `epoch`, unless the vault locked meanwhile.
fn settle(
    state: &AppState,
    epoch: u64,
    server: &Server,
    step: SignIn,
) -> Result<StepDto, IpcError> {
    // Computed before taking the self-service slot: `here` reads the vault under the same lock.
    let challenges = match &step {
        SignIn::Done(_) => Vec::new(),
        SignIn::SecondFactor(second) => state.with_unlocked(|vault| {
            Ok(second
                .challenges()
                .iter()
                .map(|challenge| ChallengeDto {
                    serial: challenge.serial.clone(),
                    kind: challenge.kind.clone(),
                    here: local_account(vault.data(), server, &challenge.serial).is_some(),
                })
                .collect())
        })?,
    };
    // Signed in: remember where (public data), to fill the form next time.
    if let SignIn::Done(session) = &step {
        let realm = Some(session.realm()).filter(|realm| !realm.is_empty());
        state.with_unlocked(|vault| {
            vault.update(|data| {
                remember_server(data, server, session.user(), realm);
                Ok::<_, IpcError>(())
            })
        })?;
    }
    let unlocked = state.with_unlocked(|_| Ok(())).is_ok();
    state.selfservice(|held| {
        if !unlocked {
            return Err(IpcError::locked());
        }
        // Signed out (or signed in again) while this step was on the network: it is stale.
        if held.epoch != epoch {
            return Err(AppError::SignedOut.into());
        }
        Ok(match step {
            SignIn::Done(session) => {
                let dto = SessionDto::new(&session);
                held.pending = None;
                held.session = Some(Arc::new(session));
                StepDto::SignedIn { session: dto }
            }
            SignIn::SecondFactor(second) => {
                let push = second.has_push();
                held.pending = Some(Pending {
                    server: server.clone(),
                    step: Arc::new(second),
                });
                StepDto::SecondFactor { challenges, push }
            }
        })
    })
}

/// Signs in (replacing any earlier session). The password is wiped once sent.
pub(crate) async fn connect(
    state: &AppState,
    server: &str,
    user: &str,
    realm: Option<&str>,
    password: SecretText,
    code: Option<SecretText>,
    verify_tls: bool,
) -> Result<StepDto, IpcError> {
    let server = Server::parse(server)?.verifying_tls(verify_tls);
    let user = user.trim();
    if user.is_empty() {
        return Err(IpcError::invalid(None, "the user name is empty"));
    }
    let realm = realm.map(str::trim).filter(|realm| !realm.is_empty());
    // The vault must be open: a second factor may be computed from it, and enrolled tokens
    // go into it.
    state.with_unlocked(|_| Ok(()))?;
    let epoch = state.selfservice(|held| {
        held.sign_out();
        held.epoch
    });
    let mut password = password;
    // Moved, not copied, into the wiping `Password`.
    let password = Password::new(std::mem::take(&mut *password.0));
    let client = PushClient::new(ClientConfig::default())?;
    let code = code.filter(|code| !code.trim().is_empty());
    let step = match &code {
        Some(code) => {
            Session::sign_in_with_code(&client, &server, user, realm, &password, code.trim()).await
        }
        None => Session::sign_in(&client, &server, user, realm, &password).await,
    };
    drop(password);
    let step = match step {
        // Refused alone, but the server would take it with a code: the form asks for one
        // (each password sent alone counts as a failure on the user's tokens, so say why).
        Err(SelfServiceError::BadCredentials { with_code: true }) if code.is_none() => {
            return Err(AppError::CodeWithPassword.into());
        }
        step => step?,
    };
    let signed_in = matches!(step, SignIn::Done(_));
    let dto = settle(state, epoch, &server, step)?;
    if signed_in {
        // Whether this server takes the password only with a code, for the form next time.
        state.with_unlocked(|vault| {
            vault.update(|data| {
                remember_code_with_password(data, code.is_some());
                Ok::<_, IpcError>(())
            })
        })?;
    }
    Ok(dto)
}

/// The account of `serial` in this vault, or [`AppError::NotHere`].
fn linked(vault: &Vault, server: &Server, serial: &str) -> Result<AccountId, IpcError> {
    local_account(vault.data(), server, serial).ok_or_else(|| AppError::NotHere.into())
}

/// `count` consecutive codes of a linked account: TOTP from now on; HOTP from the one after
/// the code on screen (which may have been used already: the server would refuse it again),
/// with the counter moved past them in the same vault write, so none is shown or sent again.
fn codes_from_vault(
    state: &AppState,
    server: &Server,
    serial: &str,
    count: u64,
    now: UnixTime,
) -> Result<Vec<Zeroizing<String>>, IpcError> {
    state.with_unlocked(|vault| {
        let id = linked(vault, server, serial)?;
        vault.update(|data| {
            let account = data
                .accounts
                .iter_mut()
                .find(|account| account.id == id)
                .ok_or_else(|| IpcError::from(AppError::NotHere))?;
            let codes = account
                .consecutive_codes(now, count)
                .ok_or(AppError::NotResyncable)?
                .iter()
                .map(|code| Zeroizing::new(code.as_str().to_owned()))
                .collect::<Vec<_>>();
            if let Otp::Hotp { counter, .. } = &mut account.otp {
                *counter = counter.saturating_add(1 + count);
                account.updated = now;
            }
            Ok::<_, IpcError>(codes)
        })
    })
}

/// Answers the open second step. A wrong code leaves it open for another try.
pub(crate) async fn answer(
    state: &AppState,
    answer: AnswerIn,
    now: UnixTime,
) -> Result<StepDto, IpcError> {
    let (epoch, server, step) = state.selfservice(|held| {
        held.pending
            .as_ref()
            .map(|pending| {
                (
                    held.epoch,
                    pending.server.clone(),
                    Arc::clone(&pending.step),
                )
            })
            .ok_or_else(|| IpcError::from(AppError::NoSecondStep))
    })?;
    let next = match answer {
        AnswerIn::Tessera { serial } => {
            if !step.challenges().iter().any(|c| c.serial == serial) {
                return Err(AppError::NotHere.into());
            }
            let codes = codes_from_vault(state, &server, &serial, 1, now)?;
            let code = codes.first().map(|code| code.as_str()).unwrap_or_default();
            step.answer_code(code).await
        }
        AnswerIn::Code { code } => step.answer_code(code.trim()).await,
        AnswerIn::Push => step.wait_for_push(PUSH_WAIT).await,
    }?;
    settle(state, epoch, &server, next)
}

/// The current session, if any, and the last server signed in to.
pub(crate) fn status(state: &AppState) -> Result<StatusDto, IpcError> {
    let last = state.with_unlocked(|vault| Ok(last_server(vault.data())))?;
    Ok(StatusDto {
        session: state.selfservice(|held| held.session.as_deref().map(SessionDto::new)),
        last: last.map(LastServerDto::from),
    })
}

/// The user's factors, marking those living here.
pub(crate) async fn factors(state: &AppState) -> Result<Vec<FactorDto>, IpcError> {
    let pi = session(state)?;
    let mut tokens = pi.list_tokens().await?;
    state.with_unlocked(|vault| {
        // The push tokens live in the push key store beside the vault.
        let store = tessera_push::sealed::PushStore::open_from_vault(
            vault,
            Some(state.keychain()),
            crate::clock::now()?,
        )
        .ok();
        mark_here(
            &mut tokens,
            pi.server(),
            vault.data(),
            store.as_ref().map(|store| store.data()),
        );
        Ok(tokens.iter().map(FactorDto::new).collect())
    })
}

/// Enrolls a new token straight into the vault (TOTP/HOTP) or the push key store (push): the
/// secrets and the push device key never leave Rust.
pub(crate) async fn enroll(
    state: &AppState,
    kind: EnrollKind,
    now: UnixTime,
    save_push: impl FnOnce(&tessera_push::PushToken) -> Result<(), IpcError>,
) -> Result<EnrolledDto, IpcError> {
    let pi = session(state)?;
    let description = Some(DESCRIPTION);
    let enrolled = match kind {
        EnrollKind::Totp => pi.enroll_totp_here(description, now).await?,
        EnrollKind::Hotp => pi.enroll_hotp_here(description, now).await?,
        EnrollKind::Push => {
            // RSA 4096, as the official app makes; generated on the blocking pool.
            let token = pi
                .enroll_push_here(description, KeySize::Rsa4096, false)
                .await?;
            let serial = token.serial().to_owned();
            let label = token.label.clone();
            // Into the push key store, which polls while the vault is locked.
            save_push(&token)?;
            return Ok(EnrolledDto {
                serial,
                account_id: None,
                label,
            });
        }
    };
    let serial = enrolled.serial.clone();
    let label = enrolled.account.display_label();
    let server = pi.server().clone();
    let id = state.with_unlocked(|vault| {
        vault.update(|data| {
            Ok::<_, IpcError>(save_enrolled(data, &server, &serial, enrolled.account))
        })
    })?;
    Ok(EnrolledDto {
        serial,
        account_id: Some(id.to_string()),
        label,
    })
}

/// Disables, enables, deletes or unlocks (resets) one token.
pub(crate) async fn act(
    state: &AppState,
    serial: &str,
    action: TokenAction,
) -> Result<(), IpcError> {
    let pi = session(state)?;
    match action {
        TokenAction::Disable => pi.disable(serial).await,
        TokenAction::Enable => pi.enable(serial).await,
        TokenAction::Delete => pi.delete(serial).await,
        TokenAction::Reset => pi.reset_failcounter(serial).await,
    }?;
    Ok(())
}

/// Resyncs a token with two consecutive codes, computed here for a token of this vault or
/// typed.
pub(crate) async fn resync(
    state: &AppState,
    serial: &str,
    codes: ResyncIn,
    now: UnixTime,
) -> Result<(), IpcError> {
    let pi = session(state)?;
    let (first, second) = match codes {
        ResyncIn::Tessera => {
            let mut codes = codes_from_vault(state, pi.server(), serial, 2, now)?.into_iter();
            match (codes.next(), codes.next()) {
                (Some(first), Some(second)) => (first, second),
                _ => return Err(AppError::NotResyncable.into()),
            }
        }
        ResyncIn::Typed { first, second } => (
            Zeroizing::new(first.trim().to_owned()),
            Zeroizing::new(second.trim().to_owned()),
        ),
    };
    pi.resync(serial, &first, &second).await?;
    Ok(())
}

/// Creates a set of backup codes at the server, returned this once.
pub(crate) async fn backup_codes(state: &AppState, count: u32) -> Result<BackupCodesDto, IpcError> {
    let pi = session(state)?;
    let codes = pi
        .create_backup_codes(count.clamp(1, 100), Some("Tessera backup codes"))
        .await?;
    Ok(BackupCodesDto {
        serial: codes.serial().to_owned(),
        codes: codes
            .expose_codes()
            .map(|code| SecretText(Zeroizing::new(code.to_owned())))
            .collect(),
    })
}

/// Signs out now (the JWT is wiped).
pub(crate) fn sign_out(state: &AppState) {
    state.selfservice(Held::sign_out);
}
