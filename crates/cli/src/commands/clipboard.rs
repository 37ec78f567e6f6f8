//! `code --copy`: the code goes on the clipboard and is cleared after a delay, but only if the
//! clipboard still holds it (the user may have copied something else since).
//!
//! A detached child process (`tessera __clipboard-hold SECONDS`, handled before argument
//! parsing so it stays out of help and completions) does the work, so the command
//! returns at once: on X11 the clipboard is served by the process that set it, so something
//! must stay alive for the delay anyway. The code reaches the child on its stdin (never argv);
//! it answers `ok` or `error: <reason>` on its stdout once the clipboard is set, then waits,
//! checks and clears on its own.

use std::io::{self, BufRead as _, BufReader, Read as _, Write as _};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use tessera_core::otp::Code;
use zeroize::Zeroizing;

use crate::failure::CliError;
use crate::sanitize::sanitize;

/// The first argument that makes `tessera` the clipboard holder.
pub(crate) const HOLD_ARG: &str = "__clipboard-hold";

/// How often the holder checks whether the clipboard still holds the code.
const POLL: Duration = Duration::from_millis(200);

/// Copies `code` and starts the clearer. `label` names the account in the message.
pub(crate) fn copy(code: &Code, clear_after: u32, label: &str) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("finding the tessera executable")?;
    let mut command = Command::new(exe);
    command
        .args([HOLD_ARG, &clear_after.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    detach(&mut command);
    let mut child = command.spawn().context("starting the clipboard holder")?;
    let mut stdin = child
        .stdin
        .take()
        .context("the clipboard holder has no stdin")?;
    let mut line = Zeroizing::new(String::with_capacity(code.len() + 1));
    line.push_str(code.as_str());
    line.push('\n');
    stdin
        .write_all(line.as_bytes())
        .context("handing the code to the clipboard holder")?;
    drop(stdin);
    let stdout = child
        .stdout
        .take()
        .context("the clipboard holder has no stdout")?;
    let mut answer = String::new();
    BufReader::new(stdout.take(4096))
        .read_line(&mut answer)
        .context("waiting for the clipboard holder")?;
    // The holder outlives this process on purpose; init reaps it.
    drop(child);
    match answer.trim_end() {
        "ok" => {
            let when = if clear_after == 0 {
                "it stays until something else is copied".to_owned()
            } else {
                format!("it is cleared in {clear_after} s")
            };
            anstream::eprintln!(
                "Copied the code of {} to the clipboard; {when}.",
                sanitize(label)
            );
            Ok(())
        }
        other => Err(CliError::Clipboard {
            reason: other
                .strip_prefix("error: ")
                .filter(|reason| !reason.is_empty())
                .unwrap_or("the clipboard holder stopped")
                .to_owned(),
        }
        .into()),
    }
}

/// Puts the holder in its own process group (Unix) or detached from the console (Windows), so
/// Ctrl-C in the terminal or closing the console does not take the clipboard down early.
fn detach(command: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt as _;
        command.process_group(0);
    }
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt as _;
        const DETACHED_PROCESS: u32 = 0x0000_0008;
        const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
        command.creation_flags(DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP);
        keep_standard_handles_from_children();
    }
}

/// Windows passes a child every inheritable handle of its parent, and the standard handles a
/// process was started with are inheritable (its caller made them so). The holder would then
/// keep the caller's output pipe open while it runs: a script or test reading `code --copy`'s
/// output would wait for the clipboard to be cleared (found under Wine). Marking them not
/// inheritable keeps them here; std duplicates them anew for any child given `Stdio::inherit`.
#[cfg(windows)]
#[allow(unsafe_code)] // the one Win32 call std has no safe wrapper for
fn keep_standard_handles_from_children() {
    use std::os::windows::io::AsRawHandle as _;
    use windows_sys::Win32::Foundation::{HANDLE_FLAG_INHERIT, SetHandleInformation};
    for handle in [
        io::stdin().as_raw_handle(),
        io::stdout().as_raw_handle(),
        io::stderr().as_raw_handle(),
    ] {
        // SAFETY: the call only changes a flag of a handle this process owns; a missing
        // standard handle (null) is refused by Windows with an error, ignored here.
        unsafe { SetHandleInformation(handle, HANDLE_FLAG_INHERIT, 0) };
    }
}

/// Sets `code` with the hints clipboard managers and histories honour to leave it out (as the
/// desktop app does): KDE's `x-kde-passwordManagerHint: secret` on X11 and Wayland (Klipper,
/// GPaste, CopyQ read it), `ExcludeClipboardContentFromMonitorProcessing` on Windows (history
/// and cloud sync too), `org.nspasteboard.ConcealedType` on macOS.
fn set_secret(clipboard: &mut arboard::Clipboard, code: &str) -> Result<(), arboard::Error> {
    #[cfg(windows)]
    use arboard::SetExtWindows as _;
    // Monitoring covers history and cloud sync; the two narrower formats are set as well, as
    // password managers do, for clipboard tools that look only for those.
    #[cfg(windows)]
    return clipboard
        .set()
        .exclude_from_monitoring()
        .exclude_from_history()
        .exclude_from_cloud()
        .text(code);
    #[cfg(target_os = "macos")]
    use arboard::SetExtApple as _;
    #[cfg(all(unix, not(target_os = "macos")))]
    use arboard::SetExtLinux as _;
    #[cfg(not(windows))]
    return clipboard.set().exclude_from_history().text(code);
}

/// The clipboard holder: `clear_after` seconds (0: keep the code until something else is
/// copied).
pub(crate) fn hold(clear_after: u32) -> anyhow::Result<()> {
    let mut code = Zeroizing::new(String::with_capacity(64));
    io::stdin().lock().take(64).read_line(&mut code)?;
    let end = code.trim_end().len();
    code.truncate(end);
    let mut out = io::stdout().lock();
    let mut clipboard = match arboard::Clipboard::new()
        .and_then(|mut clipboard| set_secret(&mut clipboard, code.as_str()).map(|()| clipboard))
    {
        Ok(clipboard) => clipboard,
        Err(error) => {
            writeln!(out, "error: {error}")?;
            return Ok(());
        }
    };
    writeln!(out, "ok")?;
    out.flush()?;
    drop(out);
    let deadline =
        (clear_after > 0).then(|| Instant::now() + Duration::from_secs(u64::from(clear_after)));
    loop {
        thread::sleep(POLL);
        let still_ours = clipboard
            .get_text()
            .map(Zeroizing::new)
            .is_ok_and(|text| *text == *code);
        if !still_ours {
            // Something else was copied: leave it alone.
            return Ok(());
        }
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            // Clear by overwriting, then by releasing: some clipboard managers keep the last
            // text they saw, and an empty text replaces it there too.
            let _ = clipboard.set_text(String::new());
            let _ = clipboard.clear();
            return Ok(());
        }
    }
}
