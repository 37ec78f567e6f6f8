//! A fingerprint for real, through Tessera's verification path: [`PolkitVerifier`] → polkitd →
//! the authentication agent → the real `polkit-agent-helper-1` → the `polkit-1` PAM stack with
//! `pam_fprintd` → `fprintd` → libfprint's virtual fingerprint reader (`FP_VIRTUAL_DEVICE`).
//!
//! The PAM stack is Debian's `polkit-1` with the line `pam-auth-update` adds when the
//! "Fingerprint authentication" profile is turned on (`pam_fprintd.so max-tries=1 timeout=10`,
//! sufficient, before `common-auth`). The test enrolls a finger for `nobody` (fprintd's prints
//! go to the test's own `STATE_DIRECTORY`), then the child verifier, as `nobody`, asks polkit;
//! the agent runs the helper and puts a finger on the virtual reader when PAM asks for one.
//! Where the helper and its PAM modules need the system bus and the PAM file at their fixed
//! paths, see [`common::agent::Helper`].
//!
//! Gated like the polkit tests: `TESSERA_REQUIRE_REAL=1`, as root.
//!
//! [`PolkitVerifier`]: tessera_verify::polkit::PolkitVerifier
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::agent::{Answer, Event, HELPER, Helper, OnFinger, scan};
use common::{Bus, verify_as_nobody};
use zbus::blocking::MessageIterator;
use zbus::zvariant::OwnedObjectPath;

const FPRINTD: &str = "/usr/libexec/fprintd";
const PAM_FPRINTD: &str = "/usr/lib/x86_64-linux-gnu/security/pam_fprintd.so";
const POLKIT_PAM: &str = "/usr/lib/pam.d/polkit-1";
/// The id of the enrolled "finger" on the virtual reader.
const FINGER: &str = "tessera-right-index";

#[test]
fn child_entry_point() {
    common::child_main();
}

fn enabled() -> bool {
    common::enabled_with(&[
        (FPRINTD, "fprintd"),
        (PAM_FPRINTD, "libpam-fprintd"),
        (HELPER, "polkitd"),
        (POLKIT_PAM, "polkitd"),
        ("/usr/bin/unshare", "util-linux"),
    ])
}

/// fprintd on the test's bus, with one virtual reader; stopped on drop.
struct Fprintd {
    process: Child,
    /// The virtual reader's command socket (listening while a client has claimed the device).
    reader: PathBuf,
}

impl Drop for Fprintd {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn start_fprintd(bus: &Bus) -> Fprintd {
    let reader = bus.dir.path().join("virtual-reader");
    let state = bus.dir.path().join("fprint");
    std::fs::create_dir(&state).unwrap();
    let log = std::fs::File::create(bus.dir.path().join("fprintd.log")).unwrap();
    let process = Command::new(FPRINTD)
        .arg("--no-timeout")
        .env("DBUS_SYSTEM_BUS_ADDRESS", &bus.address)
        .env("FP_VIRTUAL_DEVICE", &reader)
        // where fprintd keeps enrolled prints (systemd's StateDirectory=; /var/lib/fprint
        // otherwise): the test's own directory
        .env("STATE_DIRECTORY", &state)
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("start fprintd");
    let connection = bus.connect();
    let started = Instant::now();
    loop {
        let up = connection
            .call_method(
                Some("org.freedesktop.DBus"),
                "/org/freedesktop/DBus",
                Some("org.freedesktop.DBus"),
                "NameHasOwner",
                &("net.reactivated.Fprint",),
            )
            .unwrap()
            .body()
            .deserialize::<bool>()
            .unwrap();
        if up {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "fprintd did not start"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    Fprintd { process, reader }
}

/// Enrolls `finger` as `nobody`'s right index finger, as `fprintd-enroll` does: claim, start,
/// one scan per enroll stage until `enroll-completed`, stop, release.
fn enroll(bus: &Bus, reader: &Path, user: &str) {
    let connection = bus.connect();
    let device: OwnedObjectPath = connection
        .call_method(
            Some("net.reactivated.Fprint"),
            "/net/reactivated/Fprint/Manager",
            Some("net.reactivated.Fprint.Manager"),
            "GetDefaultDevice",
            &(),
        )
        .expect("fprintd sees the virtual reader")
        .body()
        .deserialize()
        .unwrap();
    // one body type per method: a macro rather than a generic closure
    macro_rules! call {
        ($method:literal, $body:expr) => {
            connection
                .call_method(
                    Some("net.reactivated.Fprint"),
                    device.as_str(),
                    Some("net.reactivated.Fprint.Device"),
                    $method,
                    $body,
                )
                .unwrap_or_else(|e| panic!("fprintd {}: {e}", $method))
        };
    }
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface("net.reactivated.Fprint.Device")
        .unwrap()
        .member("EnrollStatus")
        .unwrap()
        .build();
    let mut statuses = MessageIterator::for_match_rule(rule, &connection, None).unwrap();
    call!("Claim", &(user,));
    call!("EnrollStart", &("right-index-finger",));
    loop {
        scan(reader, FINGER);
        let signal = statuses.next().unwrap().unwrap();
        let (status, done): (String, bool) = signal.body().deserialize().unwrap();
        if done {
            assert_eq!(status, "enroll-completed");
            break;
        }
        assert_eq!(status, "enroll-stage-passed");
    }
    call!("EnrollStop", &());
    call!("Release", &());
}

/// Debian's polkit-1 PAM file with the fingerprint profile's line before `common-auth`.
fn pam_stack_with_fingerprint(dir: &Path) -> PathBuf {
    let debian = std::fs::read_to_string(POLKIT_PAM).unwrap();
    assert!(debian.contains("@include common-auth"), "{debian}");
    let stack = debian.replacen(
        "@include common-auth",
        "auth\tsufficient\tpam_fprintd.so max-tries=1 timeout=10\n@include common-auth",
        1,
    );
    let path = dir.join("polkit-1.pam");
    std::fs::write(&path, stack).unwrap();
    path
}

fn helper_lines(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Helper(line) => Some(line.clone()),
            _ => None,
        })
        .collect()
}

/// Sets up everything and verifies once with `finger` on the reader (None: fprintd stops
/// when PAM asks for the finger).
fn verify_with_finger(finger: Option<&str>) -> (common::Outcome, Vec<String>, Bus) {
    let bus = Bus::with_polkitd();
    let fprintd = start_fprintd(&bus);
    let started = Instant::now();
    enroll(&bus, &fprintd.reader, "nobody");
    eprintln!("enrolled in {:?}", started.elapsed());
    let helper = Helper {
        bus_dir: bus.dir.path().to_owned(),
        pam_stack: pam_stack_with_fingerprint(bus.dir.path()),
        on_finger: match finger {
            Some(finger) => OnFinger::Scan {
                socket: fprintd.reader.clone(),
                finger: finger.to_owned(),
            },
            None => OnFinger::StopFprintd(fprintd.process.id()),
        },
        password: "not-the-password".into(),
    };
    let (outcome, agent) = verify_as_nobody(&bus, Some(Answer::Pam(Arc::new(helper))));
    let lines = helper_lines(&agent.unwrap().events());
    drop(fprintd);
    (outcome, lines, bus)
}

#[test]
fn enrolled_finger_verifies() {
    if !enabled() {
        return;
    }
    let (outcome, lines, bus) = verify_with_finger(Some(FINGER));
    assert_eq!(
        outcome.result,
        "ok:Polkit",
        "helper: {lines:#?}\npolkitd: {}",
        bus.polkitd_log()
    );
    // PAM asked for the finger, never for a password
    assert!(
        lines[0].starts_with("PAM_TEXT_INFO") && lines[0].contains("right index finger"),
        "{lines:#?}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("PAM_PROMPT")),
        "{lines:#?}"
    );
    assert!(lines.contains(&"SUCCESS".to_owned()), "{lines:#?}");
    eprintln!(
        "verified by fingerprint in {:?}: {lines:?}",
        outcome.elapsed
    );
}

#[test]
fn another_finger_is_refused() {
    if !enabled() {
        return;
    }
    let (outcome, lines, bus) = verify_with_finger(Some("someone-else"));
    assert_eq!(
        outcome.result,
        "err:verify_refused",
        "helper: {lines:#?}\npolkitd: {}",
        bus.polkitd_log()
    );
    // the finger did not match (one try), PAM fell back to the password, which was wrong too
    assert!(lines[0].contains("right index finger"), "{lines:#?}");
    assert!(
        lines.iter().any(|l| l.starts_with("PAM_PROMPT_ECHO_OFF")),
        "{lines:#?}"
    );
    assert!(lines.contains(&"FAILURE".to_owned()), "{lines:#?}");
    eprintln!("refused in {:?}: {lines:?}", outcome.elapsed);
}

/// fprintd gone mid-scan: pam_fprintd gives up (fprintd's bus name lost its owner), PAM falls
/// back to the password, which is wrong here: refused, nothing verified.
#[test]
fn fprintd_gone_mid_scan_verifies_nothing() {
    if !enabled() {
        return;
    }
    let (outcome, lines, bus) = verify_with_finger(None);
    assert_eq!(
        outcome.result,
        "err:verify_refused",
        "helper: {lines:#?}\npolkitd: {}",
        bus.polkitd_log()
    );
    assert!(lines[0].contains("right index finger"), "{lines:#?}");
    assert!(
        lines.iter().any(|l| l.starts_with("PAM_PROMPT_ECHO_OFF")),
        "{lines:#?}"
    );
    eprintln!("fprintd gone: {lines:?}");
}
