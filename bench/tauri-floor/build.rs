//! tauri-build reads tauri.conf.json and writes the context `generate_context!` embeds.

fn main() {
    tauri_build::build();
}
