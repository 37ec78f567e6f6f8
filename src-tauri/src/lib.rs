//! Tessera's desktop app: a thin Tauri 2 shell over `tessera-core`.
//!
//! Secrets stay in this process. The webview gets labels, codes, seconds left and error codes
//! through the commands in [`commands`], whose payloads are the types in `dto.rs`; events reach
//! it through the channels `first_screen` opens.

mod clipboard;
mod clock;
mod commands;
// The UI's generated contract (DTO types, command names, error codes): above every module.
#[cfg(test)]
mod contract;
mod desktop;
mod dto;
mod error;
mod events;
mod i18n;
mod launch;
mod push;
#[cfg(target_os = "linux")]
mod rendering;
mod sessionwatch;
mod state;
mod verification;

use std::process::ExitCode;

use anyhow::Context as _;
use tauri::{App, Builder, Context, Manager as _, Runtime};
use tessera_core::keystore::OsKeyStore;
use tessera_core::vault::{self, KdfParams};

use crate::events::Events;
use crate::launch::Launch;
#[cfg(target_os = "linux")]
pub use crate::rendering::{has_render_node, software_rendering_env};
use crate::state::AppState;

/// Entry point of the `tessera-desktop` binary.
pub fn run() -> ExitCode {
    let launch = launch::parse(
        std::env::args_os().skip(1),
        std::env::var_os(launch::URIS_ENV),
    );
    let (uris, at_login) = match launch {
        Ok(Launch::Run { uris, at_login }) => (uris, at_login),
        Ok(Launch::Help) => {
            println!("{}", launch::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("tessera-desktop: {error}\n\n{}", launch::USAGE);
            return ExitCode::from(2);
        }
    };
    match start(uris, at_login) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tessera-desktop: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn start(uris: Vec<launch::GivenUri>, at_login: bool) -> anyhow::Result<()> {
    let state = AppState::new(
        vault::default_vault_path(),
        Box::new(OsKeyStore::for_this_build()),
        KdfParams::RECOMMENDED,
    );
    // Push enrollment links wait in the push service, which exists once the app is built.
    let (push_links, uris): (Vec<_>, Vec<_>) = uris
        .into_iter()
        .partition(|given| tessera_push::protocol::is_push_link(&given.text));
    offer_launch_uris(&state, uris);
    // Before the window exists, so a keychain-bound vault opens straight onto the codes.
    state.try_silent_unlock();
    let app = run_app(
        desktop::configure(Builder::default(), at_login),
        context(),
        state,
    )
    .context("starting the window")?;
    for given in push_links {
        if let Err(error) = app.state::<push::PushService>().offer_link(&given.text) {
            eprintln!(
                "tessera-desktop: push link {} ignored ({})",
                given.position, error.code
            );
        }
    }
    app.run(|handle, event| {
        // Quitting: a code of ours still on the clipboard goes (the X11 and Wayland clipboard
        // would go with this process anyway; Windows and macOS keep it).
        if let tauri::RunEvent::Exit = event {
            handle.state::<clipboard::Board>().clear_on_lock();
        }
    });
    Ok(())
}

/// Launch URIs become "add this account?" offers; a bad one is reported by position and code.
fn offer_launch_uris(state: &AppState, uris: Vec<launch::GivenUri>) {
    for given in uris {
        if let Err(error) = state.offer_link(&given.text) {
            let source = match given.source {
                launch::UriSource::Argument => "argument URI",
                launch::UriSource::Environment => "TESSERA_URIS line",
            };
            eprintln!(
                "tessera-desktop: {source} {} ignored: {} ({})",
                given.position, error.message, error.code
            );
        }
    }
}

/// The generated context: config, embedded `ui/dist`, icons and the ACL from `capabilities/`.
fn context<R: Runtime>() -> Context<R> {
    tauri::generate_context!()
}

/// Builds the app on any runtime, so tests can pass `tauri::test::mock_builder()` (with a
/// memory clipboard and settings hook managed; the real ones come from `desktop::configure`).
pub(crate) fn run_app<R: Runtime>(
    builder: Builder<R>,
    context: Context<R>,
    state: AppState,
) -> tauri::Result<App<R>> {
    builder
        .manage(state)
        .manage(Events::default())
        .manage(push::PushService::default())
        .manage(verification::Verification::default())
        .invoke_handler(tauri::generate_handler![
            commands::vault::first_screen,
            commands::vault::vault_status,
            commands::vault::create_vault,
            commands::vault::unlock_vault,
            commands::vault::lock_vault,
            commands::vault::rebind_keychain,
            commands::vault::keep_keychain_out,
            commands::accounts::list_accounts,
            commands::accounts::add_account_uri,
            commands::accounts::add_account_form,
            commands::accounts::update_account,
            commands::accounts::delete_account,
            commands::accounts::undo_delete,
            commands::accounts::reorder_accounts,
            commands::accounts::next_hotp_code,
            commands::accounts::copy_code,
            commands::settings::get_settings,
            commands::settings::update_settings,
            commands::settings::report_activity,
            commands::links::pending_deep_link,
            commands::links::confirm_deep_link,
            commands::links::dismiss_deep_link,
            commands::transfer::import_pick,
            commands::transfer::import_open_paths,
            commands::transfer::import_unlock,
            commands::transfer::import_commit,
            commands::transfer::import_cancel,
            commands::transfer::export_save,
            commands::transfer::export_migration_qr,
            commands::push::enroll_push,
            commands::push::list_push_tokens,
            commands::push::rename_push_token,
            commands::push::remove_push_token,
            commands::push::push_status,
            commands::push::answer_push,
            commands::push::deny_all_push,
            commands::push::check_push_now,
            commands::push::push_activity,
            commands::selfservice::selfservice_connect,
            commands::selfservice::selfservice_answer,
            commands::selfservice::selfservice_status,
            commands::selfservice::selfservice_factors,
            commands::selfservice::selfservice_enroll,
            commands::selfservice::selfservice_token_action,
            commands::selfservice::selfservice_resync,
            commands::selfservice::selfservice_backup_codes,
            commands::selfservice::selfservice_sign_out,
            commands::push::enroll_push_link,
            commands::push::dismiss_push_link,
            commands::qr::qr_scan_screen,
            commands::qr::qr_scan_pick,
            commands::qr::qr_scan_paths,
            commands::qr::qr_scan_clipboard,
            commands::qr::qr_add,
            commands::qr::qr_dismiss,
            commands::qr::qr_enroll_push,
            commands::qr::account_qr_svg,
            commands::push::use_server_time,
        ])
        .build(context)
        .inspect(|app| {
            // Lock means locked: a code of ours still on the clipboard goes with it (every lock:
            // the button, the tray, idle, sleep, screen lock, a vault replaced underneath).
            let handle = app.handle().clone();
            app.state::<AppState>().after_lock(move || {
                if let Some(board) = handle.try_state::<clipboard::Board>() {
                    board.clear_on_lock();
                }
            });
        })
}

#[cfg(test)]
mod tests;
