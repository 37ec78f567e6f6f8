//! `code --copy` on a real X11 clipboard (a private Xvfb server), read back with xclip: the
//! code is there, it is cleared after the delay, and a clipboard the user changed meanwhile is
//! left alone.

use std::io::Write as _;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::support::{Env, RFC_SECRET};
use tessera_testkit::xvfb::Display;

/// The X11 clipboard of a test display, through xclip.
trait Clipboard {
    fn clipboard(&self) -> Option<String>;
    fn targets(&self) -> Vec<String>;
    fn copy_other(&self, text: &str) -> Child;
}

impl Clipboard for Display {
    /// The clipboard text, or `None` when nothing owns the clipboard.
    fn clipboard(&self) -> Option<String> {
        let out = Command::new("xclip")
            .args(["-selection", "clipboard", "-o"])
            .env("DISPLAY", &self.name)
            .output()
            .expect("xclip is required for this test (apt-get install xclip)");
        out.status
            .success()
            .then(|| String::from_utf8(out.stdout).unwrap())
    }

    /// The formats the clipboard owner offers (`TARGETS`).
    fn targets(&self) -> Vec<String> {
        let out = Command::new("xclip")
            .args(["-selection", "clipboard", "-t", "TARGETS", "-o"])
            .env("DISPLAY", &self.name)
            .output()
            .unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// Copies `text` the way another application would (xclip keeps serving it).
    fn copy_other(&self, text: &str) -> Child {
        let mut child = Command::new("xclip")
            .args(["-selection", "clipboard", "-i", "-quiet"])
            .env("DISPLAY", &self.name)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        child
    }
}

/// Waits up to `limit` for the clipboard to satisfy `check`.
fn wait_for(display: &Display, limit: Duration, check: impl Fn(Option<&str>) -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check(display.clipboard().as_deref()) {
            return true;
        }
        sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn copy_then_clear_only_our_code() {
    let Some(display) = Display::start() else {
        return;
    };
    let env = Env::new();
    let key = env.init_passphrase_vault();
    let uri = format!("otpauth://totp/ACME:bob?secret={RFC_SECRET}&digits=8&issuer=ACME");
    env.with_key(&key, &["add", "--uri", &uri], "").ok();
    let copy = |clear_after: &str| {
        let mut command = env.command();
        command.env("DISPLAY", &display.name);
        env.run_command(
            command.args([
                "--recovery-key-stdin",
                "code",
                "acme",
                "--at",
                "59",
                "--copy",
                "--clear-after",
                clear_after,
            ]),
            &["code --copy"],
            &format!("{key}\n"),
        )
    };

    // Copied: not printed on stdout, on the clipboard, then cleared after the delay.
    let run = copy("2").ok();
    assert!(run.stdout.is_empty(), "{run:#?}");
    assert!(
        run.stderr.contains("Copied the code of ACME (bob)"),
        "{run:#?}"
    );
    assert!(run.stderr.contains("cleared in 2 s"), "{run:#?}");
    assert_eq!(display.clipboard().as_deref(), Some("94287082"));
    // Marked as a secret, which clipboard managers and histories leave out (as the app does).
    assert!(
        display
            .targets()
            .contains(&"x-kde-passwordManagerHint".to_owned()),
        "{:?}",
        display.targets()
    );
    assert!(
        wait_for(&display, Duration::from_secs(6), |text| text
            .is_none_or(str::is_empty)),
        "the code is cleared after the delay"
    );

    // The user copies something else before the delay ends: it stays.
    copy("2").ok();
    assert_eq!(display.clipboard().as_deref(), Some("94287082"));
    let mut other = display.copy_other("my own text");
    assert!(wait_for(&display, Duration::from_secs(2), |text| text
        == Some("my own text")));
    sleep(Duration::from_secs(3));
    assert_eq!(display.clipboard().as_deref(), Some("my own text"));
    let _ = other.kill();
    let _ = other.wait();

    // No display: a clear error, exit 1, and nothing printed on stdout.
    let run = env.with_key(&key, &["code", "acme", "--copy"], "");
    let run = run.fails(1, "clipboard_unavailable");
    assert!(run.stdout.is_empty());
}
