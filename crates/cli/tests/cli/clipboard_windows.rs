//! `code --copy` on Windows (run under Wine, whose clipboard works without a display).

use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::support::{Env, RFC_SECRET};

/// Windows (run under Wine, whose clipboard works without a display): the code is on the
/// clipboard with the formats that keep it out of Windows' clipboard history and cloud
/// clipboard, and it is cleared after the delay.
#[test]
fn copy_on_windows_is_kept_out_of_history_and_cloud() {
    use clipboard_win::{Clipboard, Unicode, get, is_format_avail, register_format};
    let env = Env::new();
    let key = env.init_passphrase_vault();
    let uri = format!("otpauth://totp/ACME:bob?secret={RFC_SECRET}&digits=8&issuer=ACME");
    env.with_key(&key, &["add", "--uri", &uri], "").ok();
    let run = env
        .with_key(
            &key,
            &["code", "acme", "--at", "59", "--copy", "--clear-after", "2"],
            "",
        )
        .ok();
    assert!(run.stdout.is_empty(), "{run:#?}");
    // The command returned before the holder's clear: the holder did not keep this test's
    // pipes open (run.rs reads until every writer closed them).
    let returned = Instant::now();
    let read = || {
        let _open = Clipboard::new_attempts(50).unwrap();
        let text = get::<String, _>(Unicode).ok();
        let marks = [
            "ExcludeClipboardContentFromMonitorProcessing",
            "CanIncludeInClipboardHistory",
            "CanUploadToCloudClipboard",
        ]
        .map(|name| (name, is_format_avail(register_format(name).unwrap().get())));
        (text, marks)
    };
    let (text, marks) = read();
    assert_eq!(text.as_deref(), Some("94287082"));
    for (name, present) in marks {
        assert!(present, "{name} is not on the clipboard");
    }
    assert!(returned.elapsed() < Duration::from_secs(2));
    while read().0.is_some_and(|text| !text.is_empty()) {
        assert!(
            returned.elapsed() < Duration::from_secs(6),
            "the code is cleared after the delay"
        );
        sleep(Duration::from_millis(100));
    }
}
