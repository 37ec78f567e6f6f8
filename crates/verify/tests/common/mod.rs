//! Real parts for the verification tests: a private *system* bus (`dbus-daemon`), Debian's
//! `polkitd` on it with Tessera's action installed, and the verifier run in a child process
//! as an unprivileged user.
//!
//! Each test starts its own bus and polkitd and stops them when it ends, so tests run in
//! parallel (threads under `cargo test`, processes under nextest) without sharing state. The
//! verifier reads `DBUS_SYSTEM_BUS_ADDRESS`, which is process-wide, so it only ever runs in a
//! child process given its test's address; this process never changes its own environment.
//!
//! Why a child, and why not as root (how polkit treats the test's situation):
//! - polkit authorizes uid 0 for every action without asking anyone (the "uid 0 is always
//!   authorized" special case of `polkitbackendinteractiveauthority.c`; pinned by the test
//!   `root_is_authorized_without_asking`). CI runs the tests as root, so the verifier runs as
//!   `nobody` (uid 65534), a child of the test binary started with `Command::uid`.
//! - No logind runs here: polkitd's `sd_pid_get_session` finds no session for the child, so the
//!   subject is "not in any session" and the action's `allow_any` default applies (`auth_self`,
//!   the same as `allow_active`). Checked by hand with a copy of the action whose `allow_any`
//!   is `no`: `pkcheck` as `nobody` then says "Not authorized" at once (exit 1), where
//!   Tessera's action says "requires authentication but no agent is available" (exit 2). There is no session agent either: the test agent registers
//!   for the child's `unix-process` subject (pid + start time), which polkit looks up before
//!   any session agent, as `pkttyagent --process` does.
//! - Answering "right" needs root: `AuthenticationAgentResponse2` is accepted from uid 0 only
//!   (it is what setuid `polkit-agent-helper-1` calls after PAM succeeded). The test process is
//!   root and plays the agent and the helper, so no PAM password is involved.
//! - Actions are read only from `/usr/share/polkit-1/actions` (compiled into polkitd, no option
//!   or environment variable moves it), so the test installs Tessera's action file there, as
//!   root, as the .deb would. It is written atomically and left in place: identical content
//!   from every test, harmless to the system, and what `polkitd` on a developer machine would
//!   see after installing the package.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    unreachable_pub,
    missing_docs
)]

pub mod agent;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tessera_testkit::real;
use tessera_verify::polkit::UnixProcess;

pub const DBUS_DAEMON: &str = "/usr/bin/dbus-daemon";
pub const POLKITD: &str = "/usr/lib/polkit-1/polkitd";
pub const ACTIONS_DIR: &str = "/usr/share/polkit-1/actions";
/// `nobody` on Debian.
pub const UNPRIVILEGED: u32 = 65534;

/// Whether the real tests run. They install an action where polkitd reads actions, so they
/// run only when asked: under `make test` (`TESSERA_REQUIRE_REAL=1`, see `tessera_testkit::real`),
/// where a missing part fails the test saying what to install; elsewhere they skip with the
/// reason printed.
pub fn enabled() -> bool {
    enabled_with(&[])
}

/// [`enabled`], with more parts (path, Debian package) that must be there.
pub fn enabled_with(parts: &[(&str, &str)]) -> bool {
    let mut missing = Vec::new();
    if !real::required() {
        missing.push(format!(
            "{}=1 (they install a polkit action system-wide, as root)",
            real::REQUIRE
        ));
    }
    let ours = [(DBUS_DAEMON, "dbus-daemon"), (POLKITD, "polkitd")];
    for &(path, package) in ours.iter().chain(parts) {
        if !Path::new(path).exists() {
            missing.push(format!("{path} (Debian package {package})"));
        }
    }
    if !real::is_root() {
        missing
            .push("root (to install the polkit action and answer as polkit-agent-helper-1)".into());
    }
    real::available("the real polkit tests", &missing)
}

/// Installs Tessera's action where polkitd reads actions (see the module comment).
pub fn install_action() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("polkit")
        .join("org.tessera.desktop.verify.policy");
    let ours = std::fs::read(&source).expect("read the shipped policy file");
    let target = Path::new(ACTIONS_DIR).join("org.tessera.desktop.verify.policy");
    if std::fs::read(&target).is_ok_and(|installed| installed == ours) {
        return;
    }
    std::fs::create_dir_all(ACTIONS_DIR).expect("create the polkit actions directory");
    // Write then rename: parallel tests never see half a file, and polkitd (which watches the
    // directory) never parses one.
    let temporary = Path::new(ACTIONS_DIR).join(format!(".tessera-verify-{}", std::process::id()));
    std::fs::write(&temporary, &ours).expect("write the policy file");
    std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::rename(&temporary, &target).expect("install the policy file");
}

fn wait_for(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(
            started.elapsed() < timeout,
            "{what} not ready after {timeout:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A private system bus, and optionally polkitd on it; both stopped on drop.
pub struct Bus {
    pub dir: tempfile::TempDir,
    pub address: String,
    daemon: Child,
    polkitd: Option<Child>,
    /// When the bus and polkitd were ready, from the start.
    pub startup: Duration,
}

impl Bus {
    /// A bus without polkitd.
    pub fn bare() -> Self {
        let started = Instant::now();
        let dir = tempfile::Builder::new()
            .prefix("tessera-verify-")
            .tempdir()
            .unwrap();
        // The child runs as `nobody`: it must reach the socket and the copied test binary.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let socket = dir.path().join("system_bus_socket");
        let config = dir.path().join("bus.conf");
        // A system bus (polkitd insists on the system bus) that lets everyone talk to
        // everyone: the test plays the agent and the helper, the child the app. No
        // <servicedir>: nothing is activated, so "polkitd not running" is really that.
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
"#,
                socket.display()
            ),
        )
        .unwrap();
        let log = std::fs::File::create(dir.path().join("dbus-daemon.log")).unwrap();
        let mut daemon = Command::new(DBUS_DAEMON)
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--nopidfile", "--print-address"])
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("start dbus-daemon");
        let mut line = String::new();
        BufReader::new(daemon.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line.trim().to_owned();
        assert!(
            address.starts_with("unix:"),
            "dbus-daemon printed no address"
        );
        Self {
            dir,
            address,
            daemon,
            polkitd: None,
            startup: started.elapsed(),
        }
    }

    /// A bus with polkitd running on it and Tessera's action installed.
    pub fn with_polkitd() -> Self {
        let started = Instant::now();
        install_action();
        let mut bus = Self::bare();
        let log = std::fs::File::create(bus.dir.path().join("polkitd.log")).unwrap();
        bus.polkitd = Some(
            Command::new(POLKITD)
                .arg("--no-debug")
                .env("DBUS_SYSTEM_BUS_ADDRESS", &bus.address)
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .expect("start polkitd"),
        );
        let connection = bus.connect();
        wait_for(
            "polkitd on the private bus",
            Duration::from_secs(10),
            || {
                connection
                    .call_method(
                        Some("org.freedesktop.DBus"),
                        "/org/freedesktop/DBus",
                        Some("org.freedesktop.DBus"),
                        "NameHasOwner",
                        &("org.freedesktop.PolicyKit1",),
                    )
                    .unwrap()
                    .body()
                    .deserialize::<bool>()
                    .unwrap()
            },
        );
        bus.startup = started.elapsed();
        bus
    }

    pub fn connect(&self) -> zbus::blocking::Connection {
        zbus::blocking::connection::Builder::address(self.address.as_str())
            .unwrap()
            .build()
            .expect("connect to the private bus")
    }

    /// polkitd's own log (for failure messages).
    pub fn polkitd_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("polkitd.log")).unwrap_or_default()
    }

    /// Stops polkitd, keeping the bus.
    pub fn stop_polkitd(&mut self) {
        if let Some(mut polkitd) = self.polkitd.take() {
            let _ = polkitd.kill();
            let _ = polkitd.wait();
        }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        self.stop_polkitd();
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// How long any one answer may take before the test fails (a hang must not stall CI).
pub const ANSWER: Duration = Duration::from_secs(30);

/// One verification by a child running as `nobody`, answered by `answer` (None: no agent).
pub fn verify_as_nobody(
    bus: &Bus,
    answer: Option<agent::Answer>,
) -> (Outcome, Option<agent::Agent>) {
    verify_as_nobody_in(bus, answer, "en_US.UTF-8")
}

/// [`verify_as_nobody`] with an agent for `locale`.
pub fn verify_as_nobody_in(
    bus: &Bus,
    answer: Option<agent::Answer>,
    locale: &str,
) -> (Outcome, Option<agent::Agent>) {
    let mut child =
        ChildVerifier::spawn(bus.dir.path(), &bus.address, Some(UNPRIVILEGED), "verify");
    let subject = UnixProcess::of(child.pid).unwrap();
    assert_eq!(subject.uid, UNPRIVILEGED);
    let agent = answer.map(|answer| agent::Agent::register_in(bus, &subject, answer, locale));
    child.go();
    (child.outcome(ANSWER), agent)
}

/// The environment variable that turns a run of the test binary into a child verifier.
pub const CHILD: &str = "TESSERA_VERIFY_CHILD";

/// What the child reports.
#[derive(Debug)]
pub struct Outcome {
    /// `ok:<method>` or `err:<code>`.
    pub result: String,
    /// From "go" to the answer.
    pub elapsed: Duration,
    /// From our "cancel" to the answer, if we cancelled.
    pub after_cancel: Option<Duration>,
}

/// The verifier in a child process, as `uid` (None: as this process's user).
pub struct ChildVerifier {
    process: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
    /// The child's pid (the polkit subject).
    pub pid: u32,
}

impl ChildVerifier {
    /// Starts the child (`mode`: `verify` or `availability`) connected to `address`; it waits
    /// for [`ChildVerifier::go`] before asking, so the agent can register for it first.
    pub fn spawn(bus_dir: &Path, address: &str, uid: Option<u32>, mode: &str) -> Self {
        Self::spawn_with(bus_dir, address, uid, mode, None)
    }

    pub fn spawn_with(
        bus_dir: &Path,
        address: &str,
        uid: Option<u32>,
        mode: &str,
        deadline: Option<Duration>,
    ) -> Self {
        Self::spawn_full(bus_dir, address, uid, mode, deadline, None)
    }

    /// [`ChildVerifier::spawn_with`], for another polkit `action` than Tessera's.
    pub fn spawn_full(
        bus_dir: &Path,
        address: &str,
        uid: Option<u32>,
        mode: &str,
        deadline: Option<Duration>,
        action: Option<&str>,
    ) -> Self {
        let exe = child_exe(bus_dir);
        let mut command = Command::new(&exe);
        command
            .args([
                "--exact",
                "child_entry_point",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, mode)
            .env("DBUS_SYSTEM_BUS_ADDRESS", address)
            .env_remove(real::REQUIRE)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(deadline) = deadline {
            command.env(
                "TESSERA_VERIFY_CHILD_DEADLINE_MS",
                deadline.as_millis().to_string(),
            );
        }
        if let Some(uid) = uid {
            command.uid(uid).gid(uid);
        }
        if let Some(action) = action {
            command.env("TESSERA_VERIFY_CHILD_ACTION", action);
        }
        let mut process = command.spawn().expect("start the child verifier");
        let stdin = process.stdin.take().unwrap();
        let stdout = process.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let pid = process.id();
        let child = Self {
            process,
            stdin,
            lines,
            pid,
        };
        // The child says READY once it runs (its /proc entry then holds its final uid and
        // start time, which the agent registers with).
        child.expect_line("READY", Duration::from_secs(30));
        child
    }

    /// The next line holding `prefix`, from `prefix` on (the bench reads one per round).
    pub fn expect_line(&self, prefix: &str, timeout: Duration) -> String {
        let started = Instant::now();
        loop {
            let left = timeout.saturating_sub(started.elapsed());
            match self.lines.recv_timeout(left) {
                // libtest prints "test child_entry_point ... " before the child's first line
                Ok(line) => {
                    if let Some(at) = line.find(prefix) {
                        return line[at..].to_owned();
                    }
                }
                Err(_) => panic!("the child verifier did not say {prefix} within {timeout:?}"),
            }
        }
    }

    pub fn go(&mut self) {
        writeln!(self.stdin, "go").unwrap();
    }

    pub fn cancel(&mut self) {
        writeln!(self.stdin, "cancel").unwrap();
    }

    /// The child's answer (it must come within `timeout`).
    pub fn outcome(mut self, timeout: Duration) -> Outcome {
        let line = self.expect_line("RESULT ", timeout);
        let _ = self.process.wait();
        let fields: Vec<&str> = line.split_whitespace().collect();
        let ms = |field: &str| field.parse::<u64>().ok().map(Duration::from_millis);
        Outcome {
            result: fields[1].to_owned(),
            elapsed: ms(fields[2]).unwrap(),
            after_cancel: ms(fields[3]),
        }
    }
}

impl Drop for ChildVerifier {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// The test binary, linked or copied where `nobody` can run it (the build directory is
/// usually under root's home, which is closed to others).
fn child_exe(bus_dir: &Path) -> PathBuf {
    let copy = bus_dir.join("verify-child");
    if !copy.exists() {
        let exe = std::env::current_exe().unwrap();
        // A hard link when the build directory is on the same file system (the debug test
        // binary is ~80 MB), a copy otherwise; the binary is already world-executable.
        if std::fs::hard_link(&exe, &copy).is_err() {
            std::fs::copy(&exe, &copy).expect("copy the test binary");
            std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    copy
}

/// The child's side: called by the `child_entry_point` test of each binary; does nothing
/// unless [`CHILD`] is set.
pub fn child_main() {
    use tessera_verify::{Availability, Request, Verifier};

    let Ok(mode) = std::env::var(CHILD) else {
        return;
    };
    let mut stdin = BufReader::new(std::io::stdin()).lines();
    println!("READY");
    assert_eq!(stdin.next().and_then(Result::ok).as_deref(), Some("go"));
    let mut request = Request::new("Approve the test sign-in");
    if let Some(ms) = std::env::var("TESSERA_VERIFY_CHILD_DEADLINE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
    {
        request = request.deadline(Instant::now() + Duration::from_millis(ms));
    }
    let cancel = request.cancel.clone();
    let (cancelled_tx, cancelled_at) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stdin.map_while(Result::ok) {
            if line == "cancel" {
                let _ = cancelled_tx.send(Instant::now());
                cancel.cancel();
            }
        }
    });
    let started = Instant::now();
    let verifier = match std::env::var("TESSERA_VERIFY_CHILD_ACTION") {
        Ok(action) => tessera_verify::polkit::PolkitVerifier::for_action(action),
        Err(_) => tessera_verify::polkit::PolkitVerifier::new(),
    };
    let result = match mode.as_str() {
        "verify" => match verifier.verify(&request) {
            Ok(verified) => format!("ok:{:?}", verified.method),
            Err(error) => format!("err:{}", error.code()),
        },
        "availability" => match verifier.availability() {
            Availability::Available { .. } => "ok:available".to_owned(),
            Availability::Unavailable(error) => format!("err:{}", error.code()),
            other => format!("err:{other:?}"),
        },
        other => panic!("unknown child mode {other}"),
    };
    let elapsed = started.elapsed().as_millis();
    let after_cancel = cancelled_at
        .try_recv()
        .map(|at| at.elapsed().as_millis().to_string())
        .unwrap_or_else(|_| "-".into());
    println!("RESULT {result} {elapsed} {after_cancel}");
}
