//! Generates the app's ACL manifest: one `allow-<command>` permission per command named in
//! `src/commands/names.rs`, which `capabilities/main.json` grants.

include!("src/commands/names.rs");

fn main() {
    // tauri-build names the files it watches, which turns off cargo's "any file changed".
    println!("cargo:rerun-if-changed=src/commands/names.rs");
    // Linux (glibc): relative relocations packed (DT_RELR) instead of 24 bytes each: 17,000 of
    // them made 400 kB of the 15 MB binary, ~10 kB packed; the loader also reads less at start.
    // Needs glibc >= 2.36 (Debian 12, Ubuntu 22.10); the linker records that requirement.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu")
    {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    let manifest = tauri_build::AppManifest::new().commands(NAMES);
    let attributes = tauri_build::Attributes::new().app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports through cargo; `{:#}` keeps anyhow's cause chain on one line.
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
