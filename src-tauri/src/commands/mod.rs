//! Tauri commands: each resolves state, makes one call and maps the result to a DTO or an
//! `IpcError`. Every command must also be named in `names.rs` (from which `build.rs` generates
//! its permission and the UI's `COMMANDS`, in `ui/src/lib/ipc/generated.ts`) and granted in
//! `capabilities/main.json` (checked by a test).
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

#[cfg(test)]
include!("names.rs");
