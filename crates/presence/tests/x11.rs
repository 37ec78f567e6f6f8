//! The X11 idle source against a real X server: a private `Xvfb`, real input sent through the
//! XTEST extension (what `xdotool` and on-screen keyboards use).
//!
//! `make test` sets `TESSERA_REAL_X11=1`: a missing `Xvfb` then fails the test; without it the
//! test skips with the reason.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tessera_presence::X11Idle;
use x11rb::connection::Connection as _;
use x11rb::protocol::xproto::MOTION_NOTIFY_EVENT;
use x11rb::protocol::xtest::ConnectionExt as _;

const GATE: &str = "TESSERA_REAL_X11";
const XVFB: &str = "/usr/bin/Xvfb";

/// A private X server, stopped when dropped.
struct Xvfb {
    child: Child,
    display: String,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `Xvfb` on a free display (`-displayfd` picks it and prints it), or says why not.
fn xvfb() -> Option<Xvfb> {
    if !std::path::Path::new(XVFB).exists() {
        assert!(
            std::env::var_os(GATE).is_none(),
            "{GATE} is set but {XVFB} is missing: apt-get install xvfb"
        );
        eprintln!("skipped: {XVFB} is missing (apt-get install xvfb)");
        return None;
    }
    let mut child = Command::new(XVFB)
        .args([
            "-displayfd",
            "1",
            "-nolisten",
            "tcp",
            "-screen",
            "0",
            "640x480x24",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("Xvfb prints its display");
    Some(Xvfb {
        child,
        display: format!(":{}", line.trim()),
    })
}

#[test]
fn idle_time_grows_without_input_and_restarts_at_real_input() {
    let Some(server) = xvfb() else { return };
    let idle = X11Idle::connect(Some(&server.display)).expect("the X server has the extension");

    std::thread::sleep(Duration::from_millis(1200));
    let before = idle.idle().unwrap();
    assert!(
        before >= Duration::from_secs(1),
        "idle {before:?} after 1.2 s without input"
    );

    // A pointer move from another client, as a user's mouse would be seen.
    let (user, screen) = x11rb::connect(Some(&server.display)).unwrap();
    let root = user.setup().roots[screen].root;
    user.xtest_fake_input(MOTION_NOTIFY_EVENT, 0, 0, root, 100, 100, 0)
        .unwrap()
        .check()
        .unwrap();
    user.flush().unwrap();

    let after = idle.idle().unwrap();
    assert!(
        after < Duration::from_millis(500),
        "idle {after:?} right after input"
    );
    assert!(after < before);
}

#[test]
fn a_display_that_does_not_exist_is_an_error_not_a_panic() {
    // Display numbers this high are never served here; the error names no secret.
    assert!(X11Idle::connect(Some(":9876")).is_err());
}
