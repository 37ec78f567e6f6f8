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
    ]);
    let attributes = tauri_build::Attributes::new().app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports through cargo; `{:#}` keeps anyhow's cause chain on one line.
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
