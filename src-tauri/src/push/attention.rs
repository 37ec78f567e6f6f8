//! Getting the user's attention for a prompt: the main window in front (and on top) while a
//! prompt is open, and a desktop notification in the app's language.

use tauri::{AppHandle, Manager, Runtime};

use super::service::PushService;
use crate::dto::push::PromptDto;
use crate::state::AppState;

pub(super) const MAIN_WINDOW: &str = "main";

impl PushService {
    /// Keeps the main window in front while a prompt is open, and lets it go afterwards.
    pub(super) fn update_window<R: Runtime>(&self, app: &AppHandle<R>) {
        let want = !self.inner().book.is_empty();
        let changed = {
            let mut inner = self.inner();
            let changed = inner.on_top != want;
            inner.on_top = want;
            changed
        };
        if !want && !changed {
            return;
        }
        let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
            return;
        };
        if want {
            let _ = window.show();
            let _ = window.unminimize();
            if changed {
                let _ = window.set_always_on_top(true);
            }
            let _ = window.set_focus();
        } else if changed {
            let _ = window.set_always_on_top(false);
        }
    }
}

/// A desktop notification for a new prompt, in the app's language; best effort (no
/// notification daemon under a bare X server, say). Server texts are the signed ones.
pub(super) fn notify<R: Runtime>(app: &AppHandle<R>, prompt: &PromptDto) {
    use tauri_plugin_notification::NotificationExt as _;
    if app
        .try_state::<tauri_plugin_notification::Notification<R>>()
        .is_none()
    {
        return;
    }
    let language =
        crate::i18n::language_of(app.state::<AppState>().settings_if_unlocked().as_ref());
    let heading = crate::i18n::prompt_heading(language);
    let body = format!("{} — {}\n{}", prompt.title, prompt.server, prompt.question);
    let app = app.clone();
    // The D-Bus call can take a moment: not on the poller's or the UI's thread.
    tauri::async_runtime::spawn_blocking(move || {
        let _ = app
            .notification()
            .builder()
            .title(heading)
            .body(body)
            .show();
    });
}
