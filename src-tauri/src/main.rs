// Without this a release build on Windows also opens a console window next to the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    // WebKit reads these once, as it starts: they must be in the environment before GTK does.
    #[cfg(target_os = "linux")]
    for (name, value) in tessera_desktop::software_rendering_env(
        |name| std::env::var_os(name),
        tessera_desktop::has_render_node(),
    ) {
        // The one `unsafe` of the app. SAFETY: nothing else runs yet (no thread has been
        // started, no library reads the environment concurrently), which is all `set_var` needs.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var(name, value)
        };
    }
    tessera_desktop::run()
}
