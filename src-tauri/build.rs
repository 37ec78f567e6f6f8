//! Generates the app's ACL manifest: one `allow-<command>` permission per command named in
//! `src/commands/names.rs`, which `capabilities/main.json` grants.

include!("src/commands/names.rs");

fn main() {
    // tauri-build names the files it watches, which turns off cargo's "any file changed".
    println!("cargo:rerun-if-changed=src/commands/names.rs");
    let manifest = tauri_build::AppManifest::new().commands(NAMES);
    let attributes = tauri_build::Attributes::new().app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports through cargo; `{:#}` keeps anyhow's cause chain on one line.
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
