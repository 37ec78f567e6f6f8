//! The floor of any Tauri 2 app, for the desktop bench (scripts/bench_app.sh): one window showing
//! the same static page as scripts/webkit_floor.c, no commands, no plugins, no state. Above
//! WebKitGTK's own floor it shows what Tauri costs; Tessera's figures above it, what Tessera does.

fn main() {
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("tauri-floor: {error}");
        std::process::exit(1);
    }
}
