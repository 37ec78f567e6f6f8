//! Push sign-in approvals: enroll from a link, list/rename/remove tokens, status, answer open
//! prompts, "check now" and the activity log (its event channel opens with `first_screen`). The logic is in
//! `crate::push::PushService`.

use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::dto::SecretText;
use crate::dto::push::{
    ActivityEntryDto, AnswerDto, DecisionIn, EnrollStep, PushStatusDto, PushTokenDto, ReasonIn,
};
use crate::error::IpcError;
use crate::push::PushService;

/// Enrolls from an `otpauth://pipush/…` or `pia://pipush/…` link. The device key is made on
/// the blocking pool (seconds of CPU); `on_progress` hears each step. `allow_unverified_tls`:
/// the user explicitly chose to enroll a link with TLS checks off (`sslverify=0`); without it
/// such a link is refused (`push_unverified_tls`).
#[tauri::command]
pub(crate) async fn enroll_push<R: Runtime>(
    app: AppHandle<R>,
    push: State<'_, PushService>,
    uri: SecretText,
    allow_unverified_tls: bool,
    on_progress: Channel<EnrollStep>,
) -> Result<PushTokenDto, IpcError> {
    push.enroll(&app, &uri, allow_unverified_tls, |step| {
        let _ = on_progress.send(step);
    })
    .await
}

/// Enrolls the push link opened from outside (its preview is in `push_status().link`);
/// `allow_unverified_tls` as for [`enroll_push`].
#[tauri::command]
pub(crate) async fn enroll_push_link<R: Runtime>(
    app: AppHandle<R>,
    push: State<'_, PushService>,
    allow_unverified_tls: bool,
    on_progress: Channel<EnrollStep>,
) -> Result<PushTokenDto, IpcError> {
    push.enroll_link(&app, allow_unverified_tls, |step| {
        let _ = on_progress.send(step);
    })
    .await
}

/// Forgets the push link opened from outside (its enrollment credential is wiped).
#[tauri::command]
pub(crate) async fn dismiss_push_link(push: State<'_, PushService>) -> Result<(), IpcError> {
    push.dismiss_link();
    Ok(())
}

#[tauri::command]
pub(crate) async fn list_push_tokens<R: Runtime>(
    app: AppHandle<R>,
    push: State<'_, PushService>,
) -> Result<Vec<PushTokenDto>, IpcError> {
    push.tokens(&app)
}

#[tauri::command]
pub(crate) async fn rename_push_token<R: Runtime>(
    app: AppHandle<R>,
    push: State<'_, PushService>,
    id: String,
    label: String,
) -> Result<(), IpcError> {
    push.rename(&app, &id, &label)
}

/// Removes the token locally (its key is wiped; the server keeps its side).
#[tauri::command]
pub(crate) async fn remove_push_token<R: Runtime>(
    app: AppHandle<R>,
    push: State<'_, PushService>,
    id: String,
) -> Result<(), IpcError> {
    push.remove(&app, &id)
}

#[tauri::command]
pub(crate) async fn push_status<R: Runtime>(
    app: AppHandle<R>,
    push: State<'_, PushService>,
) -> Result<PushStatusDto, IpcError> {
    // Right after unlock the tick may not have started the pollers yet.
    push.sync(&app);
    Ok(push.status())
}

/// Answers an open prompt. An approval that needs "it's me" asks the OS first; `stand_in` is
/// the vault passphrase or recovery key, for when the answer was `verify_stand_in` (the OS has
/// no verifier).
#[tauri::command]
pub(crate) async fn answer_push<R: Runtime>(
    app: AppHandle<R>,
    push: State<'_, PushService>,
    nonce: String,
    decision: DecisionIn,
    stand_in: Option<SecretText>,
) -> Result<AnswerDto, IpcError> {
    push.answer(&app, &nonce, decision.into_decision(), stand_in.as_deref())
        .await
}

/// Denies every open prompt at once (prompt bombing), optionally reporting them as not me.
#[tauri::command]
pub(crate) async fn deny_all_push<R: Runtime>(
    app: AppHandle<R>,
    push: State<'_, PushService>,
    reason: Option<ReasonIn>,
) -> Result<Vec<AnswerDto>, IpcError> {
    Ok(push.deny_all(&app, reason.map(ReasonIn::into_reason)).await)
}

/// Computes TOTP codes at the push server's time (the local clock is wrong), or stops.
#[tauri::command]
pub(crate) async fn use_server_time(
    push: State<'_, PushService>,
    enabled: bool,
) -> Result<PushStatusDto, IpcError> {
    push.use_server_time(enabled);
    Ok(push.status())
}

#[tauri::command]
pub(crate) async fn check_push_now(push: State<'_, PushService>) -> Result<(), IpcError> {
    push.check_now();
    Ok(())
}

/// The sign-in history, newest first.
#[tauri::command]
pub(crate) async fn push_activity<R: Runtime>(
    app: AppHandle<R>,
    push: State<'_, PushService>,
) -> Result<Vec<ActivityEntryDto>, IpcError> {
    push.activity(&app)
        .map(|entries| entries.iter().map(ActivityEntryDto::from).collect())
}
