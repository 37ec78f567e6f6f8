//! Sleep and screen lock lock the vault: a real `dbus-daemon` (private, started here) stands for
//! the system bus, and a stand-in logind on it owns `org.freedesktop.login1`, answers
//! `GetSessionByPID` and sends the signals the real one sends.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

use zbus::blocking::Connection;
use zbus::blocking::connection::Builder;
use zbus::zvariant::OwnedObjectPath;

use super::*;
use crate::sessionwatch::SessionEvent;

const SESSION_PATH: &str = "/org/freedesktop/login1/session/_31";

/// A private message bus, stopped on drop.
struct Bus {
    daemon: Child,
    address: String,
}

impl Bus {
    fn start() -> Self {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (Debian package dbus) is needed for this test");
        let mut line = String::new();
        BufReader::new(daemon.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        Self {
            daemon,
            address: line.trim().to_owned(),
        }
    }

    fn connect(&self) -> Connection {
        Builder::address(self.address.as_str())
            .unwrap()
            .build()
            .unwrap()
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

struct Manager;

#[zbus::interface(name = "org.freedesktop.login1.Manager")]
impl Manager {
    #[zbus(name = "GetSessionByPID")]
    fn get_session_by_pid(&self, _pid: u32) -> OwnedObjectPath {
        OwnedObjectPath::try_from(SESSION_PATH).unwrap()
    }
}

fn logind(bus: &Bus) -> Connection {
    Builder::address(bus.address.as_str())
        .unwrap()
        .name("org.freedesktop.login1")
        .unwrap()
        .serve_at("/org/freedesktop/login1", Manager)
        .unwrap()
        .build()
        .unwrap()
}

fn send(
    from: &Connection,
    path: &str,
    interface: &str,
    member: &str,
    body: &(impl serde::Serialize + zbus::zvariant::DynamicType),
) {
    from.emit_signal(None::<&str>, path, interface, member, body)
        .unwrap();
}

fn sleep_signal(from: &Connection, starting: bool) {
    send(
        from,
        "/org/freedesktop/login1",
        "org.freedesktop.login1.Manager",
        "PrepareForSleep",
        &(starting,),
    );
}

fn session_signal(from: &Connection, member: &str) {
    send(
        from,
        SESSION_PATH,
        "org.freedesktop.login1.Session",
        member,
        &(),
    );
}

/// Events seen by the watcher, in order; `None` when nothing came within a second.
fn next(events: &mpsc::Receiver<SessionEvent>) -> Option<SessionEvent> {
    events.recv_timeout(Duration::from_secs(1)).ok()
}

#[test]
fn sleep_and_screen_lock_lock_the_vault_and_impostors_are_ignored() {
    let bus = Bus::start();
    let logind = logind(&bus);
    let h = harness();
    h.created();
    let (tx, events) = mpsc::channel();
    let watcher = bus.connect();
    crate::sessionwatch::watch_on(
        &watcher,
        Arc::new(move |event| {
            let _ = tx.send(event);
        }),
    )
    .unwrap();

    // Another client on the bus cannot pass for logind.
    let impostor = bus.connect();
    sleep_signal(&impostor, true);
    session_signal(&impostor, "Lock");
    assert_eq!(next(&events), None);

    sleep_signal(&logind, true);
    let event = next(&events).unwrap();
    assert_eq!(event, SessionEvent::Sleep);
    assert_eq!(
        h.state().on_session_event(event),
        Some(BackendEvent::VaultLocked)
    );
    assert!(!h.state().is_unlocked());
    sleep_signal(&logind, false);
    assert_eq!(next(&events), Some(SessionEvent::Wake));

    h.ok(
        "unlock_vault",
        json!({"how": {"method": "keychain", "interactive": true}}),
    );
    session_signal(&logind, "Lock");
    let event = next(&events).unwrap();
    assert_eq!(event, SessionEvent::ScreenLocked);
    assert_eq!(
        h.state().on_session_event(event),
        Some(BackendEvent::VaultLocked)
    );
    assert!(!h.state().is_unlocked());
    session_signal(&logind, "Unlock");
    assert_eq!(next(&events), Some(SessionEvent::ScreenUnlocked));
    // Another session's lock is not ours.
    send(
        &logind,
        "/org/freedesktop/login1/session/c2",
        "org.freedesktop.login1.Session",
        "Lock",
        &(),
    );
    assert_eq!(next(&events), None);
}

#[test]
fn the_settings_can_keep_the_vault_open_through_sleep_and_screen_lock() {
    let h = harness();
    h.created();
    let mut settings = h.ok("get_settings", json!({}));
    settings["lockOnSleep"] = json!(false);
    settings["lockOnScreenLock"] = json!(false);
    h.ok("update_settings", json!({"settings": settings}));
    for event in [
        SessionEvent::Sleep,
        SessionEvent::ScreenLocked,
        SessionEvent::Wake,
    ] {
        assert_eq!(h.state().on_session_event(event), None);
    }
    assert!(h.state().is_unlocked());
    settings["lockOnScreenLock"] = json!(true);
    h.ok("update_settings", json!({"settings": settings}));
    assert_eq!(
        h.state().on_session_event(SessionEvent::ScreenLocked),
        Some(BackendEvent::VaultLocked)
    );
}
