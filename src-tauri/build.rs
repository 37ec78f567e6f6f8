//! Generates the app's ACL manifest: one `allow-<command>` permission per command listed here,
//! which `capabilities/main.json` grants. A command missing from this list cannot be invoked.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
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
    ]);
    let attributes = tauri_build::Attributes::new().app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports through cargo; `{:#}` keeps anyhow's cause chain on one line.
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
