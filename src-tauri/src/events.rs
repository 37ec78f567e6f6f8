//! Backend events reach the UI through IPC channels the UI opened with `first_screen`, not
//! through Tauri's global event bus: so the webview needs no `core:event` permission, and cannot
//! listen to other plugins' events (the deep-link plugin's carries whole URIs, secrets included).

use std::sync::Mutex;

use tauri::ipc::Channel;

use crate::dto::BackendEvent;

/// Managed state: the open channels.
#[derive(Default)]
pub(crate) struct Events(Mutex<Vec<Channel<BackendEvent>>>);

impl Events {
    pub(crate) fn subscribe(&self, channel: Channel<BackendEvent>) {
        self.lock().push(channel);
    }

    /// Sends to every channel, dropping those whose webview is gone.
    pub(crate) fn emit(&self, event: &BackendEvent) {
        self.lock()
            .retain(|channel| channel.send(event.clone()).is_ok());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Channel<BackendEvent>>> {
        // The list stays consistent whatever panicked: entries are only pushed or removed.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
