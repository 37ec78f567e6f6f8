//! Generates the app's ACL manifest: one `allow-<command>` permission per command listed here,
//! which `capabilities/main.json` grants. A command missing from this list cannot be invoked.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&["list_codes", "list_launch_errors"]);
    let attributes = tauri_build::Attributes::new().app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports through cargo; `{:#}` keeps anyhow's cause chain on one line.
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
