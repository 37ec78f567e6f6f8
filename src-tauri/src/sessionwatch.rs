//! What the desktop session says about the user: the machine is going to sleep, the screen was
//! locked or unlocked. The vault locks on sleep and on screen lock (each a setting, on by
//! default), and push polls at once when the user is back.
//!
//! Linux: systemd-logind on the system bus, `org.freedesktop.login1.Manager.PrepareForSleep`
//! and the `Lock`/`Unlock` signals of this process's session (what `loginctl lock-session`
//! sends and screen lockers obey). The screen's lock state is also read once a second on
//! every platform (`tessera_presence`: the session's lock flag on Windows, the session
//! dictionary on macOS, logind's `LockedHint` on Linux) and its edges come here through the
//! push tick. Sleep on Windows and macOS is not signalled to Tessera: there the push tick notices
//! the wake from its two clocks and hands it here as a sleep, so the vault locks within a second
//! of resuming (and the idle auto-lock counts the time asleep).

/// One thing the session reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionEvent {
    /// The machine is about to sleep.
    Sleep,
    /// The machine woke up.
    #[cfg_attr(
        not(target_os = "linux"),
        expect(
            dead_code,
            reason = "only logind reports the wake; elsewhere it comes as a sleep"
        )
    )]
    Wake,
    /// The screen was locked.
    ScreenLocked,
    /// The screen was unlocked.
    ScreenUnlocked,
}

#[cfg(target_os = "linux")]
pub(crate) use linux::watch;
#[cfg(all(test, target_os = "linux"))]
pub(crate) use linux::watch_on;

#[cfg(not(target_os = "linux"))]
pub(crate) fn watch(
    _on_event: impl Fn(SessionEvent) + Send + Sync + 'static,
) -> Result<(), String> {
    Err("session events are not watched on this platform yet".into())
}

#[cfg(target_os = "linux")]
mod linux {
    use std::sync::Arc;

    use zbus::blocking::{Connection, MessageIterator, Proxy};
    use zbus::zvariant::OwnedObjectPath;
    use zbus::{MatchRule, Message};

    use super::SessionEvent;

    const LOGIN1: &str = "org.freedesktop.login1";
    const MANAGER_PATH: &str = "/org/freedesktop/login1";
    const MANAGER: &str = "org.freedesktop.login1.Manager";
    const SESSION: &str = "org.freedesktop.login1.Session";

    /// Watches the system bus (`DBUS_SYSTEM_BUS_ADDRESS` or the standard socket) on two
    /// threads. Fails when there is no system bus or no logind; the caller then relies on the
    /// idle auto-lock alone.
    pub(crate) fn watch(
        on_event: impl Fn(SessionEvent) + Send + Sync + 'static,
    ) -> Result<(), String> {
        let connection = Connection::system().map_err(|error| error.to_string())?;
        watch_on(&connection, Arc::new(on_event))
    }

    /// [`watch`] on a given connection (tests pass a private bus).
    pub(crate) fn watch_on(
        connection: &Connection,
        on_event: Arc<dyn Fn(SessionEvent) + Send + Sync>,
    ) -> Result<(), String> {
        let manager = Proxy::new(connection, LOGIN1, MANAGER_PATH, MANAGER)
            .map_err(|error| error.to_string())?;
        // Subscribe before anything else, so no signal is missed between the two steps.
        let sleep = signals(connection, MANAGER, "PrepareForSleep", None)?;
        spawn("logind-sleep", sleep, Arc::clone(&on_event), |message| {
            let going_to_sleep: bool = message.body().deserialize().ok()?;
            Some(if going_to_sleep {
                SessionEvent::Sleep
            } else {
                SessionEvent::Wake
            })
        })?;
        // This process's session; none when started outside a login session (a service,
        // a test): then only sleep is watched.
        let Ok(session) =
            manager.call::<_, _, OwnedObjectPath>("GetSessionByPID", &(std::process::id()))
        else {
            return Ok(());
        };
        let locks = signals(connection, SESSION, "Lock", Some(session.as_str()))?;
        spawn("logind-lock", locks, Arc::clone(&on_event), |_| {
            Some(SessionEvent::ScreenLocked)
        })?;
        let unlocks = signals(connection, SESSION, "Unlock", Some(session.as_str()))?;
        spawn("logind-unlock", unlocks, on_event, |_| {
            Some(SessionEvent::ScreenUnlocked)
        })?;
        Ok(())
    }

    fn signals(
        connection: &Connection,
        interface: &'static str,
        member: &'static str,
        path: Option<&str>,
    ) -> Result<MessageIterator, String> {
        let mut rule = MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .sender(LOGIN1)
            .and_then(|rule| rule.interface(interface))
            .and_then(|rule| rule.member(member))
            .map_err(|error| error.to_string())?;
        if let Some(path) = path {
            rule = rule
                .path(path.to_owned())
                .map_err(|error| error.to_string())?;
        }
        MessageIterator::for_match_rule(rule.build(), connection, Some(8))
            .map_err(|error| error.to_string())
    }

    fn spawn(
        name: &str,
        messages: MessageIterator,
        on_event: Arc<dyn Fn(SessionEvent) + Send + Sync>,
        read: fn(&Message) -> Option<SessionEvent>,
    ) -> Result<(), String> {
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                for message in messages.flatten() {
                    if let Some(event) = read(&message) {
                        on_event(event);
                    }
                }
            })
            .map(drop)
            .map_err(|error| error.to_string())
    }
}
