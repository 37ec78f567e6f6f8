//! `scan --screen` on a real X11 screen: a private Xvfb server shows a QR code (drawn by
//! qrencode, shown by feh), tessera captures every monitor, finds the account, and adds it with
//! the code oathtool computes.

use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::support::{Env, PASSPHRASE, RFC_SECRET, Run};
use tessera_testkit::xvfb::Display;

/// A QR code of `text` in a borderless feh window at (40, 40); closed on drop.
struct Shown(Child);

impl Shown {
    fn new(env: &Env, display: &Display, text: &str) -> Self {
        Self::with(env, display, text, &[])
    }

    /// With more qrencode options (colours).
    fn with(env: &Env, display: &Display, text: &str, options: &[&str]) -> Self {
        let png = env.dir.path().join("code.png");
        let status = Command::new("qrencode")
            .args(options)
            .args(["-s", "4", "-o"])
            .arg(&png)
            .arg(text)
            .status()
            .expect("qrencode is required for this test (apt-get install qrencode)");
        assert!(status.success());
        let viewer = Command::new("feh")
            .args(["--borderless", "--geometry", "+40+40"])
            .arg(&png)
            .env("DISPLAY", &display.name)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("feh is required for this test (apt-get install feh)");
        Self(viewer)
    }
}

impl Drop for Shown {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn scan_screen(env: &Env, display: &Display, args: &[&str], stdin: &str) -> Run {
    let mut command = env.command();
    command.env("DISPLAY", &display.name).args(args);
    env.run_command(&mut command, args, stdin)
}

/// `scan --screen --json` until the window is up (feh takes a moment to map it).
fn scan_until_found(env: &Env, display: &Display) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let json = scan_screen(env, display, &["scan", "--screen", "--json"], "")
            .ok()
            .json();
        if !json["found"].as_array().unwrap().is_empty()
            || start.elapsed() > Duration::from_secs(15)
        {
            return json;
        }
        sleep(Duration::from_millis(200));
    }
}

#[test]
fn scan_screen_finds_the_account_and_adds_it_with_the_right_code() {
    let env = Env::new();
    let Some(display) = Display::start() else {
        return;
    };
    let uri = format!("otpauth://totp/Screen%20Co:carol?secret={RFC_SECRET}&issuer=Screen%20Co");
    let _shown = Shown::new(&env, &display, &uri);

    let json = scan_until_found(&env, &display);
    let found = &json["found"][0];
    assert_eq!(found["type"], "otpauth", "{json}");
    assert!(
        found["file"].as_str().unwrap().starts_with("screen:"),
        "{json}"
    );
    assert_eq!(found["account"]["issuer"], "Screen Co");
    assert_eq!(found["account"]["name"], "carol");
    assert_eq!(json["found"].as_array().unwrap().len(), 1, "{json}");
    assert!(
        found.get("text").is_none(),
        "no secret without --show-secrets: {json}"
    );

    let shown = scan_screen(&env, &display, &["scan", "--screen", "--show-secrets"], "").ok();
    assert!(
        shown.stdout.contains(&format!("  text: {uri}")),
        "{shown:#?}"
    );

    env.init_passphrase_vault();
    let added = scan_screen(
        &env,
        &display,
        &["--passphrase-stdin", "scan", "--screen", "--add"],
        &format!("{PASSPHRASE}\n"),
    )
    .ok();
    assert!(added.stderr.contains("Added 1 accounts"), "{added:#?}");
    let ours = env
        .with_passphrase(&["code", "carol", "--at", "1111111109"], "")
        .ok();
    let theirs = Command::new("oathtool")
        .args([
            "--totp",
            "-b",
            "--now",
            "2005-03-18 01:58:29 UTC",
            RFC_SECRET,
        ])
        .output()
        .expect("oathtool is required for this test (apt-get install oathtool)");
    let theirs = String::from_utf8(theirs.stdout).unwrap();
    // `tessera code` prints `CODE  (N s left)`.
    assert_eq!(
        ours.stdout.split_whitespace().next(),
        Some(theirs.trim()),
        "{ours:#?}"
    );
}

#[test]
fn scan_screen_reads_a_dark_mode_code() {
    let env = Env::new();
    let Some(display) = Display::start() else {
        return;
    };
    // Light modules on a dark page, as dark-mode sites draw them.
    let uri = format!("otpauth://totp/Dark:eve?secret={RFC_SECRET}&issuer=Dark");
    let _shown = Shown::with(
        &env,
        &display,
        &uri,
        &["--foreground=E8EAED", "--background=202124"],
    );
    let json = scan_until_found(&env, &display);
    assert_eq!(json["found"][0]["account"]["issuer"], "Dark", "{json}");
}

#[test]
fn scan_screen_without_a_display_says_so() {
    let env = Env::new();
    // `Env::command` removes DISPLAY and WAYLAND_DISPLAY.
    let run = env
        .run(&["scan", "--screen"], "")
        .fails(1, "screen_no_display");
    assert!(run.stderr.contains("hint: take a screenshot"), "{run:#?}");
}

#[test]
fn scan_screen_on_wayland_asks_the_portal_and_says_why_it_cannot() {
    let env = Env::new();
    let mut command = env.command();
    // A Wayland session selects the portal. The test session bus (scripts/with-keyring.sh) has
    // xdg-desktop-portal without a Screenshot backend, and no bus at all gives the same answer:
    // a typed error at once, no X11 fallback (which would read only XWayland windows).
    command.env("WAYLAND_DISPLAY", "wayland-tessera-test");
    command.args(["scan", "--screen"]);
    let run = env.run_command(&mut command, &["scan", "--screen"], "");
    assert_eq!(run.status, Some(1), "{run:#?}");
    let error = run.stderr.lines().next().unwrap_or_default();
    assert!(
        error.ends_with("(screen_portal_unavailable)")
            || error.ends_with("(screen_capture_refused)"),
        "{run:#?}"
    );
}
