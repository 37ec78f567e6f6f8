//! The once-a-second tick: window in use, presence at the desktop, screen lock and waking
//! from sleep set how fast the pollers run; "check now" and the user coming back poll at once.

use std::time::{Duration, Instant, SystemTime};

use tauri::{AppHandle, Manager, Runtime};

use super::attention::MAIN_WINDOW;
use super::book::{AWAY_AFTER, ScreenLockEdges, WakeDetector};
use super::service::PushService;
use crate::state::AppState;

impl PushService {
    /// Once a second (the tick thread): wake and presence (`desktop`: what the OS says of the
    /// user, see [`tessera_presence`]), then [`Self::sync`]. Returns whether the machine woke
    /// from sleep since the last tick (the two clocks parted).
    pub(crate) fn tick<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        desktop: tessera_presence::Reading,
    ) -> bool {
        let now = Instant::now();
        let in_use = app.get_webview_window(MAIN_WINDOW).is_some_and(|window| {
            window.is_visible().unwrap_or(false) && !window.is_minimized().unwrap_or(false)
        });
        let woke = {
            let mut inner = self.inner();
            let woke = inner
                .wake
                .get_or_insert_with(WakeDetector::new)
                .tick(SystemTime::now(), now);
            if in_use {
                inner.presence().last_focus = Some(now);
            }
            inner.presence().at_desktop = desktop.present(AWAY_AFTER);
            if woke {
                inner.presence().woke = Some(now);
                if let Some(pollers) = &inner.pollers {
                    pollers.check_now();
                }
            }
            woke
        };
        let unlocked = app.state::<AppState>().is_unlocked();
        let locked_now = {
            let mut inner = self.inner();
            let was = std::mem::replace(&mut inner.unlocked, unlocked);
            if was && !unlocked {
                // Lock means locked: a held enrollment link (its one-time credential) goes too.
                inner.link = None;
            }
            was && !unlocked
        };
        if locked_now {
            self.emit_status();
        }
        self.sync(app);
        let changed = self.inner().apply_mode(now);
        if changed || woke {
            self.emit_status();
        }
        woke
    }

    /// The user is back (screen unlocked, machine woke): poll every server at once, and fast
    /// for a while.
    pub(crate) fn user_back(&self) {
        let mut inner = self.inner();
        inner.presence().woke = Some(Instant::now());
        inner.apply_mode(Instant::now());
        if let Some(pollers) = &inner.pollers {
            pollers.check_now();
        }
    }

    /// Polls every server now ("check now"); the user is here, so polling turns fast too.
    pub(crate) fn check_now(&self) {
        let mut inner = self.inner();
        inner.presence().last_focus = Some(Instant::now());
        // The user just clicked: at the desktop, whatever the last reading said.
        if inner.presence().at_desktop.is_some() {
            inner.presence().at_desktop = Some(true);
        }
        inner.apply_mode(Instant::now());
        if let Some(pollers) = &inner.pollers {
            pollers.check_now();
        }
    }
}

/// The once-a-second push tick of the real app. It also reads whether the user is at the
/// computer (OS idle time, screen lock) and hands screen lock and unlock edges, and a wake it
/// noticed, to `on_session` (the session handler that locks the vault as the settings say and
/// polls at once when the user is back). The wake matters where no sleep signal reaches
/// Tessera (Windows, macOS, a Linux without logind): the vault then locks at the first second
/// after resuming, before anyone can use it.
pub(crate) fn spawn_tick<R: Runtime>(
    app: AppHandle<R>,
    on_session: impl Fn(crate::sessionwatch::SessionEvent) + Send + 'static,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("push-tick".into())
        .spawn(move || {
            let mut desktop = tessera_presence::Presence::system();
            let mut edges = ScreenLockEdges::default();
            loop {
                let reading = desktop.read();
                match edges.edge(reading.screen_locked) {
                    Some(true) => on_session(crate::sessionwatch::SessionEvent::ScreenLocked),
                    Some(false) => on_session(crate::sessionwatch::SessionEvent::ScreenUnlocked),
                    None => {}
                }
                if app.state::<PushService>().tick(&app, reading) {
                    on_session(crate::sessionwatch::SessionEvent::Sleep);
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        })
        .map(drop)
}
