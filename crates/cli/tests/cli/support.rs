//! A throwaway vault per test, and the real binary run against it with everything it prints
//! recorded, so a test can finally assert that no secret was ever printed.

use std::cell::RefCell;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// RFC 4226 App. D / RFC 6238 App. B SHA-1 seed ("12345678901234567890") in base32.
pub(crate) const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// The vault passphrase the tests use.
pub(crate) const PASSPHRASE: &str = "correct horse battery staple";

/// One `tessera` run: exit status, stdout and stderr as text.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) status: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    fn from(output: Output) -> Self {
        Self {
            status: output.status.code(),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    /// Asserts success and returns self.
    #[track_caller]
    pub(crate) fn ok(self) -> Self {
        assert_eq!(self.status, Some(0), "{self:#?}");
        self
    }

    /// Asserts the exit status and the `(code)` at the end of the error line.
    #[track_caller]
    pub(crate) fn fails(self, status: i32, code: &str) -> Self {
        assert_eq!(self.status, Some(status), "{self:#?}");
        let first = self.stderr.lines().find(|l| l.starts_with("error: "));
        let first = first.unwrap_or_else(|| panic!("no error line: {self:#?}"));
        assert!(first.ends_with(&format!(" ({code})")), "{self:#?}");
        self
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {self:#?}"))
    }
}

/// A temporary directory with a vault path, a keychain service no real entry uses, and a log
/// of every output.
pub(crate) struct Env {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) vault: PathBuf,
    pub(crate) keychain_service: String,
    log: RefCell<Vec<(String, Run)>>,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl Env {
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault.tessera");
        let keychain_service = format!(
            "tessera-cli-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        Self {
            dir,
            vault,
            keychain_service,
            log: RefCell::new(Vec::new()),
        }
    }

    pub(crate) fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tessera"));
        command
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env("TESSERA_VAULT", &self.vault)
            .env("TESSERA_KEYCHAIN_SERVICE", &self.keychain_service);
        command
    }

    /// Runs `tessera ARGS` with `stdin` (not a terminal) and records the output.
    pub(crate) fn run(&self, args: &[&str], stdin: &str) -> Run {
        self.run_command(self.command().args(args), args, stdin)
    }

    pub(crate) fn run_command(&self, command: &mut Command, args: &[&str], stdin: &str) -> Run {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The binary may exit before reading everything (an early error): that is not ours.
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        let run = Run::from(child.wait_with_output().unwrap());
        self.log.borrow_mut().push((
            args.join(" "),
            Run {
                status: run.status,
                stdout: run.stdout.clone(),
                stderr: run.stderr.clone(),
            },
        ));
        run
    }

    /// `tessera --recovery-key-stdin ARGS`, with `more` lines after the key.
    pub(crate) fn with_key(&self, key: &str, args: &[&str], more: &str) -> Run {
        let mut full = vec!["--recovery-key-stdin"];
        full.extend_from_slice(args);
        self.run(&full, &format!("{key}\n{more}"))
    }

    /// `tessera --passphrase-stdin ARGS` with [`PASSPHRASE`], with `more` lines after it.
    pub(crate) fn with_passphrase(&self, args: &[&str], more: &str) -> Run {
        let mut full = vec!["--passphrase-stdin"];
        full.extend_from_slice(args);
        self.run(&full, &format!("{PASSPHRASE}\n{more}"))
    }

    /// A vault without keychain, with [`PASSPHRASE`]; returns its recovery key.
    pub(crate) fn init_passphrase_vault(&self) -> String {
        let run = self
            .run(
                &["init", "--no-keychain", "--passphrase-stdin"],
                &format!("{PASSPHRASE}\n"),
            )
            .ok();
        recovery_key_in(&run.stdout)
    }

    /// Every output so far, for leak checks: (args, stdout, stderr).
    pub(crate) fn outputs(&self) -> Vec<(String, String, String)> {
        self.log
            .borrow()
            .iter()
            .map(|(args, run)| (args.clone(), run.stdout.clone(), run.stderr.clone()))
            .collect()
    }
}

/// The recovery key printed alone on stdout: eight groups of four, indented.
#[track_caller]
pub(crate) fn recovery_key_in(stdout: &str) -> String {
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "stdout holds the key alone: {stdout:?}");
    let key = lines[0].trim().to_owned();
    let groups: Vec<&str> = key.split('-').collect();
    assert_eq!(groups.len(), 8, "{key}");
    assert!(
        groups
            .iter()
            .all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_alphanumeric())),
        "{key}"
    );
    key
}
