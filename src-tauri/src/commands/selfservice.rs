//! Self-service at the user's privacyIDEA ("Reset my MFA"): each command is one call of
//! [`crate::state::selfservice`], which holds the session and knows what the webview may see.

use tauri::{AppHandle, Runtime, State};

use crate::clock;
use crate::dto::SecretText;
use crate::dto::selfservice::{
    AnswerIn, BackupCodesDto, EnrollKind, EnrolledDto, FactorDto, ResyncIn, StatusDto, StepDto,
    TokenAction,
};
use crate::error::IpcError;
use crate::push::PushService;
use crate::state::AppState;
use crate::state::selfservice;

/// Signs in with the password (and `code`, where the server takes the two together); the
/// answer is the session or the second step to complete.
/// `verify_tls` is on unless the user turned it off for this server.
#[tauri::command]
pub(crate) async fn selfservice_connect(
    state: State<'_, AppState>,
    server: String,
    user: String,
    realm: Option<String>,
    password: SecretText,
    code: Option<SecretText>,
    verify_tls: bool,
) -> Result<StepDto, IpcError> {
    selfservice::connect(
        &state,
        &server,
        &user,
        realm.as_deref(),
        password,
        code,
        verify_tls,
    )
    .await
}

/// Completes the second step: a code Tessera computes, a typed or backup code, or a push
/// approval (waited for up to two minutes).
///
/// Codes Tessera computes use the same time as the codes on screen (the push server's, when
/// the user chose it because this computer's clock is off).
#[tauri::command]
pub(crate) async fn selfservice_answer(
    state: State<'_, AppState>,
    push: State<'_, PushService>,
    answer: AnswerIn,
) -> Result<StepDto, IpcError> {
    selfservice::answer(&state, answer, push.code_time(clock::now()?)).await
}

/// The open session, if any, and the last server signed in to (to fill the form).
#[tauri::command]
pub(crate) async fn selfservice_status(state: State<'_, AppState>) -> Result<StatusDto, IpcError> {
    selfservice::status(&state)
}

#[tauri::command]
pub(crate) async fn selfservice_factors(
    state: State<'_, AppState>,
) -> Result<Vec<FactorDto>, IpcError> {
    selfservice::factors(&state).await
}

/// Enrolls a TOTP/HOTP token into the vault, or a push token that the push service then
/// polls like one enrolled from a link.
#[tauri::command]
pub(crate) async fn selfservice_enroll<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    push: State<'_, PushService>,
    kind: EnrollKind,
) -> Result<EnrolledDto, IpcError> {
    let enrolled =
        selfservice::enroll(&state, kind, clock::now()?, |token| push.save(&app, token)).await?;
    if matches!(kind, EnrollKind::Push) {
        push.sync(&app);
    }
    Ok(enrolled)
}

#[tauri::command]
pub(crate) async fn selfservice_token_action(
    state: State<'_, AppState>,
    serial: String,
    action: TokenAction,
) -> Result<(), IpcError> {
    selfservice::act(&state, &serial, action).await
}

/// Resyncs with two codes Tessera computes (at the codes' time, as above) or typed ones.
#[tauri::command]
pub(crate) async fn selfservice_resync(
    state: State<'_, AppState>,
    push: State<'_, PushService>,
    serial: String,
    codes: ResyncIn,
) -> Result<(), IpcError> {
    selfservice::resync(&state, &serial, codes, push.code_time(clock::now()?)).await
}

/// A new set of backup codes, shown once: the user asked to see them.
#[tauri::command]
pub(crate) async fn selfservice_backup_codes(
    state: State<'_, AppState>,
    count: u32,
) -> Result<BackupCodesDto, IpcError> {
    selfservice::backup_codes(&state, count).await
}

#[tauri::command]
pub(crate) async fn selfservice_sign_out(state: State<'_, AppState>) -> Result<(), IpcError> {
    selfservice::sign_out(&state);
    Ok(())
}
