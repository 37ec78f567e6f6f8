//! The X11 idle source against a real X server: a private `Xvfb`, real input sent through the
//! XTEST extension (what `xdotool` and on-screen keyboards use).
//!
//! A missing `Xvfb` fails the test under `make test` and skips it elsewhere, saying why
//! (`tessera_testkit::real`).
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use tessera_presence::X11Idle;
use tessera_testkit::xvfb::Display;
use x11rb::connection::Connection as _;
use x11rb::protocol::xproto::MOTION_NOTIFY_EVENT;
use x11rb::protocol::xtest::ConnectionExt as _;

#[test]
fn idle_time_grows_without_input_and_restarts_at_real_input() {
    let Some(server) = Display::start() else {
        return;
    };
    let idle = X11Idle::connect(Some(&server.name)).expect("the X server has the extension");

    std::thread::sleep(Duration::from_millis(1200));
    let before = idle.idle().unwrap();
    assert!(
        before >= Duration::from_secs(1),
        "idle {before:?} after 1.2 s without input"
    );

    // A pointer move from another client, as a user's mouse would be seen.
    let (user, screen) = x11rb::connect(Some(&server.name)).unwrap();
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
