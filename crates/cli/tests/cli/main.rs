//! Runs the real `tessera` binary: output formats, stdin, errors and exit codes, NO_COLOR,
//! broken pipes, and a cross-check against oathtool (`code --uri`, here); the vault commands
//! (`vault.rs`), the real keychain (`keychain.rs`) and the clipboard (`clipboard.rs`).

// Helpers are not `#[test]` fns, so clippy's test exemption misses them; a failed unwrap here
// is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// X11 clipboard and screen (Xvfb, xclip, feh): Linux only.
#[cfg(target_os = "linux")]
mod clipboard;
#[cfg(windows)]
mod clipboard_windows;
mod keychain;
mod pi;
mod push;
mod qr;
#[cfg(target_os = "linux")]
mod screen;
mod selfservice;
mod support;
mod transfer;
mod vault;

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

const SHA1_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn tessera() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera"));
    // Tests must not depend on the caller's colour settings.
    command.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    command
}

fn run(args: &[&str]) -> Output {
    tessera().args(args).output().unwrap()
}

fn with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = tessera()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn prints_code_and_seconds_left() {
    // RFC 6238 App. B, SHA1, 8 digits, T = 59: one second before the step changes.
    let uri = format!("otpauth://totp/ACME:bob?secret={SHA1_SEED}&digits=8&issuer=ACME");
    let out = run(&["code", "--uri", &uri, "--at", "59"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "94287082  (1 s left)\n");
    assert!(out.stderr.is_empty());
}

#[test]
fn hotp_prints_the_code_alone() {
    // RFC 4226 App. D, counter 4.
    let uri = format!("otpauth://hotp/x?secret={SHA1_SEED}&counter=4");
    let out = run(&["code", "--uri", &uri, "--at", "1"]);
    assert_eq!(text(&out.stdout), "338314\n");
}

#[test]
fn json_output() {
    let uri = "otpauth://steam/Steam:me?secret=STEAMKEY&issuer=Steam";
    // formats.md §2.3, Proton's Steam vector.
    let out = run(&["code", "--uri", uri, "--json", "--at", "1742298622"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"code": "NTK5M", "seconds_left": 8, "issuer": "Steam", "name": "me"})
    );
    let hotp = run(&["code", "--uri", "otpauth://hotp/x?secret=GEZA", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&hotp.stdout).unwrap();
    assert_eq!(json["seconds_left"], serde_json::Value::Null);
}

#[test]
fn reads_the_uri_from_stdin() {
    let uri = format!("\n  \notpauth://totp/x?secret={SHA1_SEED}&digits=8\nignored\n");
    let out = with_stdin(&["code", "--uri", "-", "--at", "1111111109"], &uri);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "07081804  (1 s left)\n");

    let empty = with_stdin(&["code", "--uri", "-"], "\n \n");
    assert_eq!(empty.status.code(), Some(2));
    assert_eq!(
        text(&empty.stderr),
        "error: standard input holds no URI (empty_stdin)\n"
    );
}

#[test]
fn bad_input_exits_2_without_echoing_the_secret() {
    let cases = [
        (
            "otpauth://totp/x?secret=SECRETSECRETSECRET1",
            "invalid_secret",
        ),
        (
            "otpauth://totp/x?secret=SECRETSECRETSECRET&digits=4",
            "invalid_digits",
        ),
        (
            "otpauth://totp/x?secret=SECRETSECRETSECRET&algorithm=MD5",
            "invalid_algorithm",
        ),
        (
            "https://example.com/?secret=SECRETSECRETSECRET",
            "not_otpauth",
        ),
        ("otpauth://totp/x", "missing_secret"),
    ];
    for (uri, code) in cases {
        let out = run(&["code", "--uri", uri]);
        assert_eq!(out.status.code(), Some(2), "{uri}");
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.ends_with(&format!(" ({code})\n")), "{stderr}");
        assert!(!stderr.contains("SECRETSECRET"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["code", "--uri"]).status.code(), Some(2));
    assert_eq!(
        run(&["code", "--uri", "x", "--at", "soon"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn colour_follows_no_color() {
    let args = ["code", "--uri", "otpauth://totp/x"];
    let forced = tessera()
        .args(args)
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(
        forced.stderr.contains(&0x1b),
        "CLICOLOR_FORCE should colour"
    );
    let plain = tessera()
        .args(args)
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!plain.stderr.contains(&0x1b), "NO_COLOR must win");
    assert_eq!(
        text(&plain.stderr),
        "error: the URI has no secret (missing_secret)\n"
    );
}

#[test]
fn closed_stdout_is_not_an_error() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let uri = format!("otpauth://totp/x?secret={SHA1_SEED}");
    let out = tessera()
        .args(["code", "--uri", &uri, "--json"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

// oathtool is a Linux program: a Windows test under Wine can start it but not wait for its output.
#[cfg(not(windows))]
#[test]
fn matches_oathtool() {
    const SHA256_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    const SHA512_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA";
    let probe = Command::new("oathtool").arg("--version").output();
    assert!(
        probe.is_ok_and(|o| o.status.success()),
        "oathtool is required for this test (apt-get install oathtool)"
    );
    let times = [
        59_u64,
        1_111_111_109,
        1_234_567_890,
        1_700_000_000,
        2_000_000_000,
    ];
    let cases = [
        ("SHA1", SHA1_SEED),
        ("SHA256", SHA256_SEED),
        ("SHA512", SHA512_SEED),
    ];
    for (algorithm, seed) in cases {
        for digits in ["6", "8"] {
            for time in times {
                let theirs = Command::new("oathtool")
                    .args([&format!("--totp={algorithm}"), "-b", "-d", digits, "--now"])
                    .arg(format!("@{time}"))
                    .arg(seed)
                    .output()
                    .unwrap();
                assert!(theirs.status.success(), "{}", text(&theirs.stderr));
                let uri =
                    format!("otpauth://totp/x?secret={seed}&algorithm={algorithm}&digits={digits}");
                let ours = run(&["code", "--uri", &uri, "--json", "--at", &time.to_string()]);
                let json: serde_json::Value = serde_json::from_slice(&ours.stdout).unwrap();
                assert_eq!(
                    json["code"].as_str().unwrap(),
                    text(&theirs.stdout).trim(),
                    "{algorithm} {digits} digits at {time}"
                );
            }
        }
    }
}
