//! The OS integration of the real app (not used by the mock-runtime tests): official plugins,
//! the tray icon, otpauth:// links, the start window, and the once-a-second tick behind
//! auto-lock and picking up the CLI's changes.

use std::sync::Arc;
use std::time::Duration;

use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{App, AppHandle, Builder, Manager, Runtime, Wry};
use tauri_plugin_autostart::{MacosLauncher, ManagerExt as _};
use tauri_plugin_deep_link::DeepLinkExt as _;
use tauri_plugin_window_state::StateFlags;

use crate::clipboard::{Board, SystemClipboard};
use crate::dto::{BackendEvent, SettingsDto};
use crate::events::Events;
use crate::i18n::{Language, language_of, tray_text};
use crate::state::{AppState, SettingsHook};

const MAIN: &str = "main";
const TRAY: &str = "tray";

/// The plugins and the setup of the real app. Single-instance comes first, as its docs require.
/// `at_login`: the login item started the app, which then stays in the tray.
pub(crate) fn configure(builder: Builder<Wry>, at_login: bool) -> Builder<Wry> {
    builder
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            // otpauth:// arguments were already forwarded to the deep-link plugin (feature
            // `deep-link`); a second launch just brings the window forward.
            show_main(app);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(
            tauri_plugin_window_state::Builder::new()
                // Visibility is ours to decide (start minimised, tray).
                .with_state_flags(StateFlags::all() - StateFlags::VISIBLE)
                .build(),
        )
        // Windows: the Run key's command carries `--at-login`, so a start at login stays in the
        // tray as Windows apps do. Elsewhere the login item is unchanged: a Linux desktop may
        // have no tray to come back from.
        .plugin(tauri_plugin_autostart::init(
            MacosLauncher::LaunchAgent,
            cfg!(windows).then(|| vec![crate::launch::AT_LOGIN_ARG]),
        ))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(navigation_guard())
        // Files dropped on the window go to the import wizard, images to the QR scan; the OS
        // hands their paths to Rust.
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                if !paths.is_empty() && paths.iter().all(|p| crate::state::scan::is_image_path(p)) {
                    crate::state::scan::scan_dropped(window.app_handle(), paths.clone());
                } else {
                    crate::state::import_files::open_dropped(window.app_handle(), paths.clone());
                }
            }
        })
        .setup(move |app| {
            setup(app, at_login)?;
            Ok(())
        })
}

fn setup(app: &mut App<Wry>, at_login: bool) -> tauri::Result<()> {
    let handle = app.handle().clone();
    app.manage(Board::new(Arc::new(SystemClipboard(handle.clone()))));
    let hook_handle = handle.clone();
    app.manage(SettingsHook::new(move |settings| {
        apply_outside_settings(&hook_handle, settings)
    }));

    // Development builds are not installed, so register the scheme at runtime (Linux, Windows).
    #[cfg(all(debug_assertions, any(target_os = "linux", windows)))]
    if let Err(error) = app.deep_link().register_all() {
        eprintln!("tessera-desktop: cannot register the otpauth scheme: {error}");
    }
    let link_handle = handle.clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            offer_link(&link_handle, url.as_str());
        }
        show_main(&link_handle);
    });
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        for url in urls {
            offer_link(&handle, url.as_str());
        }
    }

    let settings = app.state::<AppState>().settings_if_unlocked();
    build_tray(app, language_of(settings.as_ref()))?;
    let minimized = at_login
        || settings
            .as_ref()
            .is_some_and(|settings| settings.start_minimized);
    if !minimized {
        show_main(&handle);
    }
    if let Some(settings) = &settings {
        // The login item follows the vault's setting (another machine may have changed it).
        let _ = apply_login_item(&handle, settings.start_at_login);
    }

    // Push pollers follow lock/unlock, token changes, window visibility and waking up.
    let screen_handle = handle.clone();
    crate::push::spawn_tick(handle.clone(), move |event| {
        on_session_event(&screen_handle, event);
    })?;
    let session_handle = handle.clone();
    if let Err(reason) = crate::sessionwatch::watch(move |event| {
        on_session_event(&session_handle, event);
    }) {
        // No system bus or no logind: the idle auto-lock (which counts time asleep) still locks.
        eprintln!("tessera-desktop: sleep and screen lock are not watched ({reason})");
    }
    std::thread::Builder::new()
        .name("tick".into())
        .spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(1));
                if let Some(event) = handle.state::<AppState>().tick(crate::clock::Moment::now()) {
                    handle.state::<Events>().emit(&event);
                }
            }
        })?;
    Ok(())
}

/// Sleep or screen lock: lock (as the settings say) and tell the UI; back from either: poll now.
fn on_session_event<R: Runtime>(app: &AppHandle<R>, event: crate::sessionwatch::SessionEvent) {
    if let Some(event) = app.state::<AppState>().on_session_event(event) {
        app.state::<Events>().emit(&event);
    }
    if matches!(
        event,
        crate::sessionwatch::SessionEvent::Wake | crate::sessionwatch::SessionEvent::ScreenUnlocked
    ) {
        app.state::<crate::push::PushService>().user_back();
    }
}

/// Queues a link and tells the UI; a bad link is reported by its code only (never its text).
fn offer_link<R: Runtime>(app: &AppHandle<R>, text: &str) {
    if tessera_push::protocol::is_push_link(text) {
        if let Err(error) = app.state::<crate::push::PushService>().offer_link(text) {
            eprintln!(
                "tessera-desktop: ignored a push enrollment link ({})",
                error.code
            );
        }
        return;
    }
    match app.state::<AppState>().offer_link(text) {
        Ok(preview) => app
            .state::<Events>()
            .emit(&BackendEvent::DeepLink { preview }),
        Err(error) => eprintln!("tessera-desktop: ignored an otpauth link ({})", error.code),
    }
}

fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

fn toggle_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        if window.is_visible().unwrap_or(false) {
            let _ = window.hide();
        } else {
            show_main(app);
        }
    }
}

fn apply_outside_settings<R: Runtime>(
    app: &AppHandle<R>,
    settings: &SettingsDto,
) -> Result<(), String> {
    if let Some(tray) = app.tray_by_id(TRAY) {
        let menu =
            tray_menu(app, language_of(Some(settings))).map_err(|error| error.to_string())?;
        tray.set_menu(Some(menu))
            .map_err(|error| error.to_string())?;
    }
    apply_login_item(app, settings.start_at_login)
}

fn apply_login_item<R: Runtime>(app: &AppHandle<R>, enabled: bool) -> Result<(), String> {
    let autostart = app.autolaunch();
    if autostart.is_enabled().unwrap_or(!enabled) == enabled {
        return Ok(());
    }
    let result = if enabled {
        autostart.enable()
    } else {
        autostart.disable()
    };
    result.map_err(|error| format!("cannot change the login item: {error}"))
}

fn tray_menu<R: Runtime, M: Manager<R>>(app: &M, language: Language) -> tauri::Result<Menu<R>> {
    let text = tray_text(language);
    let toggle = MenuItem::with_id(app, "toggle", text.toggle, true, None::<&str>)?;
    let lock = MenuItem::with_id(app, "lock", text.lock, true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", text.quit, true, None::<&str>)?;
    Menu::with_items(app, &[&toggle, &lock, &quit])
}

fn build_tray(app: &App<Wry>, language: Language) -> tauri::Result<()> {
    let mut tray = TrayIconBuilder::with_id(TRAY)
        .tooltip("Tessera")
        .menu(&tray_menu(app, language)?)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "toggle" => toggle_main(app),
            "lock" => {
                app.state::<AppState>().lock();
                app.state::<Events>().emit(&BackendEvent::VaultLocked);
            }
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    // Windows: a left click on a tray icon opens the app and the right button opens the menu
    // (Tauri's default shows the menu on either). Linux trays send no click events.
    #[cfg(windows)]
    {
        use tauri::tray::{MouseButton, MouseButtonState, TrayIconEvent};
        tray = tray
            .show_menu_on_left_click(false)
            .on_tray_icon_event(|tray, event| {
                if let TrayIconEvent::Click {
                    button: MouseButton::Left,
                    button_state: MouseButtonState::Up,
                    ..
                } = event
                {
                    show_main(tray.app_handle());
                }
            });
    }
    tray.build(app)?;
    Ok(())
}

/// The webview never leaves the app's own pages: a link in a server's text, a dropped URL or a
/// script cannot take the window (and the IPC bridge its capability grants) to another origin.
fn navigation_guard<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|_, url| {
            let allowed = is_app_url(url);
            if !allowed {
                eprintln!(
                    "tessera-desktop: refused to navigate to a {} URL",
                    url.scheme()
                );
            }
            allowed
        })
        .build()
}

/// The app's own pages: `tauri://localhost` (Linux, macOS), `http(s)://tauri.localhost`
/// (Windows); with `tauri dev` (no `custom-protocol`), the Vite server of tauri.conf.json.
pub(crate) fn is_app_url(url: &tauri::Url) -> bool {
    let host = url.host_str();
    match url.scheme() {
        "tauri" => host == Some("localhost"),
        "http" | "https" if host == Some("tauri.localhost") => true,
        "http" => {
            cfg!(not(feature = "custom-protocol"))
                && host == Some("localhost")
                && url.port() == Some(5173)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_app_s_own_pages_are_navigable() {
        let cases = [
            ("tauri://localhost/index.html", true),
            ("http://tauri.localhost/", true),
            ("https://tauri.localhost/#/settings", true),
            ("https://evil.example/", false),
            ("http://localhost:8080/", false),
            ("tauri://evil/", false),
            ("file:///etc/passwd", false),
            ("javascript:alert(1)", false),
            ("data:text/html,hi", false),
            ("otpauth://totp/x?secret=AAAA", false),
        ];
        for (url, allowed) in cases {
            let url: tauri::Url = url.parse().unwrap();
            assert_eq!(is_app_url(&url), allowed, "{url}");
        }
    }
}
