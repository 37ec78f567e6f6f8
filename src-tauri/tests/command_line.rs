//! The desktop binary's command line, run as the OS runs it: `--help`, and arguments it cannot
//! understand refused before any window, keychain or vault is touched, without echoing them
//! (an argument may be an `otpauth://` link whose `secret=` must never reach a terminal or log).
//!
//! Building this test also builds the `tessera-desktop` binary in the test build (with the
//! workspace's test features), which the end-to-end tests then drive: one build, not two.

use std::process::Command;

const APP: &str = env!("CARGO_BIN_EXE_tessera-desktop");

#[test]
fn help_prints_the_usage_and_succeeds() {
    let out = Command::new(APP).arg("--help").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Usage: tessera-desktop"), "{text}");
    assert!(text.contains("TESSERA_URIS"), "{text}");
}

#[test]
fn an_unknown_option_is_refused_without_echoing_any_argument() {
    let secret = "JBSWY3DPEHPK3PXPSECRETVALUE";
    let link = format!("otpauth://totp/Example:alice?secret={secret}&issuer=Example");
    let out = Command::new(APP)
        .args(["--uri", &link, "--frobnicate"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        printed.contains("argument 3 is not a known option"),
        "{printed}"
    );
    assert!(
        !printed.contains(secret) && !printed.contains("frobnicate"),
        "{printed}"
    );
}
