//! Whether the user is at the computer: the OS's idle time (time since the last keyboard or
//! pointer input anywhere on the desktop, not only in Tessera's window) and whether the screen
//! is locked.
//!
//! Tessera polls its push servers fast while the user is at the desktop and slowly while they
//! are away (issue 15): a sign-in usually starts in a browser, with Tessera hidden, so the
//! window's own focus says nothing about whether someone is about to need a prompt.
//!
//! [`Presence::system`] picks the platform's sources; [`Presence::read`] is cheap (one X11
//! round trip, one D-Bus property read, or one system call) and meant to be called about once a
//! second from a background thread:
//!
//! - Linux/X11: the MIT-SCREEN-SAVER extension's `ms_since_user_input` (what `xprintidle` and
//!   screen savers read). Not under Wayland: Xwayland answers it too, but only for input to X
//!   clients, so a user typing in a Wayland window would look away.
//! - Linux, any display server: logind's session properties: `LockedHint` (set by screen
//!   lockers through `SetLockedHint`) and, without X11, `IdleHint`/`IdleSinceHintMonotonic`
//!   (set by GNOME and KDE after their own idle delay).
//! - Windows: `GetLastInputInfo`, and the session's lock flag from
//!   `WTSQuerySessionInformationW(WTSSessionInfoEx)`.
//! - macOS: `CGEventSourceSecondsSinceLastEventType`, and the session dictionary's
//!   `CGSSessionScreenIsLocked`.
//!
//! A source that does not answer gives `None`: callers fall back to what they know (the app
//! uses its window's focus), never to "away" on a guess.
#![deny(missing_docs)]
// Only the Windows and macOS bindings call foreign code; they allow it locally with SAFETY
// comments. Linux (X11 and D-Bus in pure Rust) forbids it outright.
#![deny(unsafe_code)]
#![cfg_attr(not(any(windows, target_os = "macos")), forbid(unsafe_code))]

use std::time::Duration;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "macos")]
mod macos;
#[cfg(windows)]
mod windows;

#[cfg(target_os = "linux")]
pub use linux::{Logind, X11Idle};

/// What the OS said at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reading {
    /// Time since the last keyboard or pointer input on the desktop; `None`: no source says.
    pub idle: Option<Duration>,
    /// Whether the session's screen is locked; `None`: no source says.
    pub screen_locked: Option<bool>,
}

impl Reading {
    /// Whether the user is at the computer: the screen not locked and input within `threshold`.
    /// `None` when the OS gave no idle time (the caller decides from what it knows).
    pub fn present(&self, threshold: Duration) -> Option<bool> {
        if self.screen_locked == Some(true) {
            return Some(false);
        }
        self.idle.map(|idle| idle < threshold)
    }
}

/// The platform's presence sources, kept open between readings.
pub struct Presence {
    #[cfg(target_os = "linux")]
    inner: linux::Sources,
    #[cfg(windows)]
    inner: windows::Sources,
    #[cfg(target_os = "macos")]
    inner: macos::Sources,
}

impl std::fmt::Debug for Presence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Presence")
            .field("source", &self.source())
            .finish()
    }
}

impl Presence {
    /// The sources this platform offers (on Linux: the X server of `DISPLAY` and logind on the
    /// system bus, each optional). Never fails: a missing source reads as `None`.
    #[cfg(any(target_os = "linux", windows, target_os = "macos"))]
    pub fn system() -> Self {
        Self {
            inner: Default::default(),
        }
    }

    /// Reads idle time and lock state now.
    #[cfg(any(target_os = "linux", windows, target_os = "macos"))]
    pub fn read(&mut self) -> Reading {
        self.inner.read()
    }

    /// Which source gave the idle time last ("x11", "logind", "windows", "macos", or "none"),
    /// for logs.
    #[cfg(any(target_os = "linux", windows, target_os = "macos"))]
    pub fn source(&self) -> &'static str {
        self.inner.source()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_MINUTES: Duration = Duration::from_secs(120);

    #[test]
    fn a_locked_screen_is_away_whatever_the_idle_time() {
        let cases = [
            ("input a second ago", Some(1), None, Some(true)),
            ("input two minutes ago", Some(120), None, Some(false)),
            (
                "locked, input a second ago",
                Some(1),
                Some(true),
                Some(false),
            ),
            ("unlocked, idle long", Some(600), Some(false), Some(false)),
            ("unlocked, active", Some(3), Some(false), Some(true)),
            ("locked, no idle source", None, Some(true), Some(false)),
            ("no source at all", None, None, None),
            ("unlocked, no idle source", None, Some(false), None),
        ];
        for (name, idle, screen_locked, want) in cases {
            let reading = Reading {
                idle: idle.map(Duration::from_secs),
                screen_locked,
            };
            assert_eq!(reading.present(TWO_MINUTES), want, "{name}");
        }
    }
}
