//! Tauri commands: each resolves state, makes one core call and maps the result to a DTO or an
//! `IpcError`. Every command must also be listed in `build.rs` (which generates its permission)
//! and granted in `capabilities/main.json`.

pub(crate) mod accounts;
