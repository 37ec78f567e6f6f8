//! Linux: the X server's screen-saver extension for idle time, logind for the lock state (and
//! for idle time where there is no X server).

use std::time::{Duration, Instant};

use x11rb::connection::Connection as _;
use x11rb::protocol::screensaver::ConnectionExt as _;
use x11rb::rust_connection::RustConnection;
use zbus::blocking::{Connection, Proxy};
use zbus::proxy::CacheProperties;
use zbus::zvariant::OwnedObjectPath;

use crate::Reading;

/// A source that failed (no X server yet, logind restarting) is asked again after this long,
/// not on every reading.
const RETRY: Duration = Duration::from_secs(30);

/// Idle time from an X server's MIT-SCREEN-SAVER extension.
pub struct X11Idle {
    connection: RustConnection,
    root: u32,
}

impl std::fmt::Debug for X11Idle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("X11Idle").finish_non_exhaustive()
    }
}

impl X11Idle {
    /// Connects to `display` (`None`: `DISPLAY`) and checks that it has the extension.
    pub fn connect(display: Option<&str>) -> Result<Self, String> {
        let (connection, screen) = x11rb::connect(display).map_err(|error| error.to_string())?;
        let root = connection
            .setup()
            .roots
            .get(screen)
            .map(|screen| screen.root)
            .ok_or("the X server has no such screen")?;
        let idle = Self { connection, root };
        idle.idle()?;
        Ok(idle)
    }

    /// Time since the last keyboard or pointer input the X server saw.
    pub fn idle(&self) -> Result<Duration, String> {
        let info = self
            .connection
            .screensaver_query_info(self.root)
            .map_err(|error| error.to_string())?
            .reply()
            .map_err(|error| error.to_string())?;
        Ok(Duration::from_millis(info.ms_since_user_input.into()))
    }
}

/// This login session's hints in systemd-logind.
pub struct Logind {
    session: Proxy<'static>,
}

impl std::fmt::Debug for Logind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logind")
            .field("session", &self.session.path().as_str())
            .finish()
    }
}

impl Logind {
    /// The session on the system bus (`DBUS_SYSTEM_BUS_ADDRESS` or the standard socket).
    pub fn system() -> Result<Self, String> {
        Self::on(&Connection::system().map_err(|error| error.to_string())?)
    }

    /// The session on `connection`: logind's `auto` session, which is the caller's own or,
    /// for a process outside any session (started by a service), the user's graphical one.
    pub fn on(connection: &Connection) -> Result<Self, String> {
        let manager = Proxy::new(
            connection,
            "org.freedesktop.login1",
            "/org/freedesktop/login1",
            "org.freedesktop.login1.Manager",
        )
        .map_err(|error| error.to_string())?;
        let path: OwnedObjectPath = manager
            .call("GetSession", &("auto",))
            .map_err(|error| error.to_string())?;
        // No property cache: a reading is one call, and a cache would need signals routed.
        let session = zbus::blocking::proxy::Builder::new(connection)
            .destination("org.freedesktop.login1")
            .and_then(|builder| builder.path(path))
            .and_then(|builder| builder.interface("org.freedesktop.login1.Session"))
            .map(|builder| builder.cache_properties(CacheProperties::No))
            .and_then(|builder| builder.build())
            .map_err(|error| error.to_string())?;
        Ok(Self { session })
    }

    /// `LockedHint`: a screen locker said the screen is locked.
    pub fn locked(&self) -> Result<bool, String> {
        self.session
            .get_property("LockedHint")
            .map_err(|error| error.to_string())
    }

    /// Idle time from `IdleHint`: zero while the desktop says the user is active, the time
    /// since `IdleSinceHintMonotonic` once it says idle. Desktops set the hint after their own
    /// idle delay (GNOME: 5 min by default), so "active" can be a few minutes stale; that
    /// errs toward polling fast, never toward missing a prompt.
    pub fn idle(&self) -> Result<Duration, String> {
        let idle: bool = self
            .session
            .get_property("IdleHint")
            .map_err(|error| error.to_string())?;
        if !idle {
            return Ok(Duration::ZERO);
        }
        let since_micros: u64 = self
            .session
            .get_property("IdleSinceHintMonotonic")
            .map_err(|error| error.to_string())?;
        let now = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
        let now_micros = u64::try_from(now.tv_sec)
            .unwrap_or_default()
            .saturating_mul(1_000_000)
            .saturating_add(u64::try_from(now.tv_nsec / 1000).unwrap_or_default());
        Ok(Duration::from_micros(
            now_micros.saturating_sub(since_micros),
        ))
    }
}

/// A source that is reconnected at most every [`RETRY`] after it failed.
struct Retried<T> {
    source: Option<T>,
    next_try: Option<Instant>,
}

impl<T> Default for Retried<T> {
    fn default() -> Self {
        Self {
            source: None,
            next_try: None,
        }
    }
}

impl<T> Retried<T> {
    /// Runs `read` on the source, connecting it first when due; a failed read drops it.
    fn read<R>(
        &mut self,
        connect: impl FnOnce() -> Result<T, String>,
        read: impl FnOnce(&T) -> Result<R, String>,
    ) -> Option<R> {
        let now = Instant::now();
        if self.source.is_none() && self.next_try.is_none_or(|at| now >= at) {
            self.source = connect().ok();
            if self.source.is_none() {
                self.next_try = Some(now + RETRY);
            }
        }
        let value = read(self.source.as_ref()?);
        if value.is_err() {
            self.source = None;
            self.next_try = Some(now + RETRY);
        }
        value.ok()
    }
}

#[derive(Default)]
pub(crate) struct Sources {
    x11: Retried<X11Idle>,
    logind: Retried<Logind>,
    last: &'static str,
}

impl Sources {
    pub(crate) fn read(&mut self) -> Reading {
        let set = |name: &str| std::env::var_os(name).is_some_and(|value| !value.is_empty());
        // Under Wayland, Xwayland's idle time counts input to X clients only: a user typing in
        // a native Wayland browser would look away. There logind's hint (set by GNOME and KDE)
        // is the source, or none.
        let x11_idle = if set("DISPLAY") && !set("WAYLAND_DISPLAY") {
            self.x11.read(|| X11Idle::connect(None), X11Idle::idle)
        } else {
            None
        };
        let screen_locked = self.logind.read(Logind::system, Logind::locked);
        let (idle, source) = match x11_idle {
            Some(idle) => (Some(idle), "x11"),
            None => match self.logind.read(Logind::system, Logind::idle) {
                Some(idle) => (Some(idle), "logind"),
                None => (None, "none"),
            },
        };
        self.last = source;
        Reading {
            idle,
            screen_locked,
        }
    }

    pub(crate) fn source(&self) -> &'static str {
        if self.last.is_empty() {
            "none"
        } else {
            self.last
        }
    }
}
