//! Tauri commands: each resolves state, makes one call and maps the result to a DTO or an
//! `IpcError`. Every command must also be listed in `build.rs` (which generates its permission)
//! and granted in `capabilities/main.json`; `COMMANDS` in `ui/src/lib/ipc/contract.ts` names them.
//!
//! Commands that touch the disk or the keychain are `async`, so they run off the main thread and
//! a slow Argon2 or D-Bus call never freezes the window.

pub(crate) mod accounts;
pub(crate) mod links;
pub(crate) mod push;
pub(crate) mod qr;
pub(crate) mod selfservice;
pub(crate) mod settings;
pub(crate) mod transfer;
pub(crate) mod vault;

/// Every command name, as `build.rs` lists them (checked by a test).
#[cfg(test)]
pub(crate) const NAMES: [&str; 57] = [
    "vault_status",
    "create_vault",
    "unlock_vault",
    "lock_vault",
    "list_accounts",
    "add_account_uri",
    "add_account_form",
    "update_account",
    "delete_account",
    "undo_delete",
    "reorder_accounts",
    "next_hotp_code",
    "copy_code",
    "get_settings",
    "update_settings",
    "pending_deep_link",
    "confirm_deep_link",
    "dismiss_deep_link",
    "report_activity",
    "subscribe_events",
    "import_pick",
    "import_open_paths",
    "import_unlock",
    "import_commit",
    "import_cancel",
    "export_save",
    "export_migration_qr",
    "enroll_push",
    "list_push_tokens",
    "rename_push_token",
    "remove_push_token",
    "push_status",
    "answer_push",
    "deny_all_push",
    "check_push_now",
    "push_activity",
    "subscribe_push",
    "selfservice_connect",
    "selfservice_answer",
    "selfservice_status",
    "selfservice_factors",
    "selfservice_enroll",
    "selfservice_token_action",
    "selfservice_resync",
    "selfservice_backup_codes",
    "selfservice_sign_out",
    "enroll_push_link",
    "dismiss_push_link",
    "qr_scan_screen",
    "qr_scan_pick",
    "qr_scan_paths",
    "qr_scan_clipboard",
    "qr_add",
    "qr_dismiss",
    "qr_enroll_push",
    "account_qr_svg",
    "use_server_time",
];
