//! Linux: polkit `CheckAuthorization` with user interaction on Tessera's own action.
//!
//! polkit hands the question to the authentication agent of the user's session (GNOME Shell,
//! KDE's polkit-kde-agent, lxpolkit…), which runs the PAM stack of `/etc/pam.d/polkit-1`: a
//! fingerprint through `pam_fprintd` where a finger is enrolled, the login password otherwise.
//! The action ships in `crates/verify/polkit/org.tessera.desktop.verify.policy` with
//! `auth_self` everywhere: the user proves they are themselves, never an administrator.
//!
//! A required biometric check ([`crate::Request::require_biometric`]) cannot be expressed to
//! polkit: the PAM stack decides (fingerprint first where `pam_fprintd` is set up and a finger
//! is enrolled, as `tests/fingerprint.rs` shows with a real fprintd), and polkit does not say
//! which method passed, so the result is [`Method::Polkit`].
//!
//! Plain D-Bus calls on the system bus (`DBUS_SYSTEM_BUS_ADDRESS` is honoured by zbus), no
//! generated proxy: four methods and one reply type do not need one.
//!
//! Outcomes, as polkit reports them:
//! - `(true, _, _)` → verified.
//! - details `polkit.dismissed` → the user closed the agent's dialog → `verify_cancelled`.
//! - `(false, true, _)` although user interaction was allowed → nobody could be asked: polkit
//!   found no authentication agent for the process or its session → `verify_no_agent`.
//! - `(false, false, _)` → asked and failed (wrong password or finger) → `verify_refused`.
//! - error `org.freedesktop.PolicyKit1.Error.Cancelled` → our `CancelCheckAuthorization`.
//! - no polkitd on the bus (`ServiceUnknown`, `NameHasNoOwner`), no system bus, or the action
//!   not installed ("Action … is not registered") → `verify_unavailable`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use zbus::blocking::Connection;
use zbus::zvariant::Value;

use crate::cancel::{Waited, wait};
use crate::{Availability, Method, Request, Verified, Verifier, VerifyError};

/// The action Tessera ships (`polkit/org.tessera.desktop.verify.policy`).
pub const ACTION_ID: &str = "org.tessera.desktop.verify";

const DESTINATION: &str = "org.freedesktop.PolicyKit1";
const PATH: &str = "/org/freedesktop/PolicyKit1/Authority";
const INTERFACE: &str = "org.freedesktop.PolicyKit1.Authority";
/// `CheckAuthorizationFlags.AllowUserInteraction`.
const ALLOW_USER_INTERACTION: u32 = 1;

/// How long a withdrawn check may take to report back before we stop waiting. polkit answers
/// a `CancelCheckAuthorization` at once (it tells the agent to close its dialog and replies
/// `Cancelled`); this only bounds a polkitd that hangs.
const CANCEL_GRACE: Duration = Duration::from_secs(2);

/// A process as polkit names it: `unix-process` with pid, start time and uid. The start time
/// (clock ticks after boot, from `/proc/PID/stat`) makes the subject unique even if the pid is
/// reused; the uid (the real one) spares polkit a racy lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnixProcess {
    /// Process id.
    pub pid: u32,
    /// Field 22 of `/proc/PID/stat`.
    pub start_time: u64,
    /// Real user id.
    pub uid: u32,
}

impl UnixProcess {
    /// This process.
    pub fn current() -> Result<Self, VerifyError> {
        Self::of(std::process::id())
    }

    /// Process `pid`, read from `/proc` (the test agent registers for a child process).
    pub fn of(pid: u32) -> Result<Self, VerifyError> {
        let unreadable = |what: &str| VerifyError::failed(format!("cannot read {what} of {pid}"));
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map_err(|_| unreadable("/proc stat"))?;
        let start_time = parse_start_time(&stat).ok_or_else(|| unreadable("the start time"))?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .map_err(|_| unreadable("/proc status"))?;
        let uid = parse_real_uid(&status).ok_or_else(|| unreadable("the uid"))?;
        Ok(Self {
            pid,
            start_time,
            uid,
        })
    }

    /// The D-Bus form, `(sa{sv})`. polkit reads `pid` as `u`, `start-time` as `t` and `uid`
    /// as `i` (polkitsubject.c), so the types matter.
    pub fn to_subject(&self) -> (&'static str, HashMap<&'static str, Value<'static>>) {
        let mut details = HashMap::new();
        details.insert("pid", Value::from(self.pid));
        details.insert("start-time", Value::from(self.start_time));
        // uids fit in i32 on Linux (the kernel's uid_t tops out at 2^32-2, but real accounts
        // stay far below 2^31); a wrap would only make polkit refuse the subject.
        details.insert("uid", Value::from(self.uid as i32));
        ("unix-process", details)
    }
}

/// Field 22 (`starttime`) of `/proc/PID/stat`. The second field, the command name, is in
/// parentheses and may itself hold spaces and parentheses, so counting starts after the last
/// `)`, where field 3 begins.
fn parse_start_time(stat: &str) -> Option<u64> {
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(22 - 3)?.parse().ok()
}

/// The real uid: the first number of the `Uid:` line of `/proc/PID/status`.
fn parse_real_uid(status: &str) -> Option<u32> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Verification through polkit on the system bus.
#[derive(Debug)]
pub struct PolkitVerifier {
    action: String,
}

impl Default for PolkitVerifier {
    fn default() -> Self {
        Self::new()
    }
}

impl PolkitVerifier {
    /// A verifier for [`ACTION_ID`]; connects to the system bus on each call (a verification
    /// is rare and the bus may restart between two).
    pub fn new() -> Self {
        Self::for_action(ACTION_ID)
    }

    /// A verifier for another action id: a packaging that ships the policy under its own
    /// name, and the tests (an action that is not installed).
    pub fn for_action(action: impl Into<String>) -> Self {
        Self {
            action: action.into(),
        }
    }

    /// Whether polkitd knows the action (its policy file is installed). Development builds
    /// (`cargo run`) and tarballs have none: verification is unavailable and the passphrase
    /// stands in.
    fn action_installed(&self, connection: &Connection) -> Result<bool, VerifyError> {
        type Description = (
            String,
            String,
            String,
            String,
            String,
            String,
            u32,
            u32,
            u32,
            HashMap<String, String>,
        );
        let reply = connection
            .call_method(
                Some(DESTINATION),
                PATH,
                Some(INTERFACE),
                "EnumerateActions",
                &("",),
            )
            .map_err(|e| map_error(e, &self.action))?;
        let actions: Vec<Description> = reply
            .body()
            .deserialize()
            .map_err(|e| VerifyError::failed(format!("polkit's action list: {e}")))?;
        Ok(actions.iter().any(|action| action.0 == self.action))
    }
}

fn connect() -> Result<Connection, VerifyError> {
    Connection::system()
        .map_err(|e| VerifyError::unavailable(format!("no D-Bus system bus to reach polkit: {e}")))
}

/// A cancellation id unique to this process; polkit scopes them per D-Bus client anyway.
fn cancellation_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "tessera-verify-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Maps a D-Bus error of the authority (`action`: the one asked about).
fn map_error(error: zbus::Error, action: &str) -> VerifyError {
    let (name, message) = match &error {
        zbus::Error::MethodError(name, message, _) => (
            name.as_str().to_owned(),
            message.clone().unwrap_or_default(),
        ),
        zbus::Error::FDO(fdo) => {
            use zbus::DBusError as _;
            (
                fdo.name().to_string(),
                fdo.description().unwrap_or("").into(),
            )
        }
        other => return VerifyError::failed(format!("D-Bus: {other}")),
    };
    match name.as_str() {
        "org.freedesktop.PolicyKit1.Error.Cancelled" => VerifyError::Cancelled,
        // No polkitd and no activation file for it: the package is not installed, or the
        // daemon is not running on a system without bus activation.
        "org.freedesktop.DBus.Error.ServiceUnknown"
        | "org.freedesktop.DBus.Error.NameHasNoOwner"
        | "org.freedesktop.DBus.Error.Spawn.ServiceNotFound"
        | "org.freedesktop.DBus.Error.Spawn.ChildExited"
        | "org.freedesktop.DBus.Error.Spawn.ExecFailed" => {
            VerifyError::unavailable("polkit is not installed or not running")
        }
        // polkitd went away (crash, restart) while the dialog was open: nothing was verified.
        "org.freedesktop.DBus.Error.NoReply" => {
            VerifyError::failed("polkit stopped before answering")
        }
        _ if message.contains("is not registered") => {
            VerifyError::unavailable(format!("Tessera's polkit action {action} is not installed"))
        }
        _ => VerifyError::failed(format!("polkit: {name}: {message}")),
    }
}

/// Maps the `(bba{ss})` reply of `CheckAuthorization` (see the module comment).
fn map_result(
    authorized: bool,
    challenge: bool,
    details: &HashMap<String, String>,
) -> Result<Verified, VerifyError> {
    if authorized {
        Ok(Verified::by(Method::Polkit))
    } else if details.contains_key("polkit.dismissed") {
        Err(VerifyError::Cancelled)
    } else if challenge {
        Err(VerifyError::NoAgent)
    } else {
        Err(VerifyError::Refused)
    }
}

fn check(
    connection: &Connection,
    action: &str,
    subject: &UnixProcess,
    id: &str,
) -> Result<Verified, VerifyError> {
    // No details: polkit accepts them (and so a custom `polkit.message`) only from uid 0 or
    // the action's owner, and would refuse the whole call. The agent shows the action's
    // message, translated by polkit into the user's language from the policy file.
    let details: HashMap<&str, &str> = HashMap::new();
    let reply = connection
        .call_method(
            Some(DESTINATION),
            PATH,
            Some(INTERFACE),
            "CheckAuthorization",
            &(
                subject.to_subject(),
                action,
                details,
                ALLOW_USER_INTERACTION,
                id,
            ),
        )
        .map_err(|e| map_error(e, action))?;
    let (authorized, challenge, details): (bool, bool, HashMap<String, String>) = reply
        .body()
        .deserialize()
        .map_err(|e| VerifyError::failed(format!("polkit's answer is not (bba{{ss}}): {e}")))?;
    map_result(authorized, challenge, &details)
}

impl Verifier for PolkitVerifier {
    fn verify(&self, request: &Request) -> Result<Verified, VerifyError> {
        if request.cancel.is_cancelled() {
            return Err(VerifyError::Cancelled);
        }
        let subject = UnixProcess::current()?;
        let connection = connect()?;
        let id = cancellation_id();
        // The call blocks until the user answers the agent's dialog, so it runs on its own
        // thread while this one watches the cancel handle and the deadline. The same
        // connection must send the cancel: polkit only accepts it from the caller that started
        // the check.
        let (tx, rx) = mpsc::channel();
        {
            let connection = connection.clone();
            let id = id.clone();
            let action = self.action.clone();
            std::thread::Builder::new()
                .name("tessera-polkit".into())
                .spawn(move || {
                    // The receiver is gone only after a cancel whose grace ran out: nobody
                    // is left to tell.
                    let _ = tx.send(check(&connection, &action, &subject, &id));
                })
                .map_err(|e| VerifyError::failed(format!("cannot start a thread: {e}")))?;
        }
        let withdrawn = match wait(&rx, request) {
            Waited::Answer(answer) => return answer,
            Waited::Lost => {
                return Err(VerifyError::failed("the polkit call ended without a word"));
            }
            Waited::Cancelled => VerifyError::Cancelled,
            Waited::TimedOut => VerifyError::Timeout,
        };
        // Withdraw the agent's dialog. Whatever the check answers now (even "authorized", if
        // the user finished in the same instant) is dropped: the request was withdrawn and
        // nothing may be approved on it.
        let _ = connection.call_method(
            Some(DESTINATION),
            PATH,
            Some(INTERFACE),
            "CancelCheckAuthorization",
            &(id.as_str(),),
        );
        let _ = rx.recv_timeout(CANCEL_GRACE);
        Err(withdrawn)
    }

    fn availability(&self) -> Availability {
        // Asking polkitd for its actions also starts it where it runs on demand (bus
        // activation), as a verification would.
        match connect().and_then(|connection| self.action_installed(&connection)) {
            Ok(true) => Availability::Available { biometric: None },
            Ok(false) => Availability::Unavailable(VerifyError::unavailable(format!(
                "Tessera's polkit action {} is not installed",
                self.action
            ))),
            Err(error) if error.allows_stand_in() => Availability::Unavailable(error),
            Err(error) => Availability::Unavailable(VerifyError::unavailable(format!(
                "polkit does not answer: {error}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_time_survives_odd_command_names() {
        let stat = "4242 (a) b (c) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 \
                    987654 1000000 100 18446744073709551615";
        assert_eq!(parse_start_time(stat), Some(987_654));
        assert_eq!(parse_start_time("4242 (cut"), None);
        let own = std::fs::read_to_string("/proc/self/stat").unwrap();
        assert!(parse_start_time(&own).is_some());
    }

    #[test]
    fn real_uid_is_the_first_of_four() {
        assert_eq!(
            parse_real_uid("Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t1\t1\t1\t1\n"),
            Some(1000)
        );
        assert_eq!(parse_real_uid("Name:\tx\n"), None);
        assert!(UnixProcess::current().is_ok());
    }

    #[test]
    fn reply_mapping() {
        let none = HashMap::new();
        assert_eq!(
            map_result(true, false, &none).unwrap().method,
            Method::Polkit
        );
        assert_eq!(map_result(false, true, &none), Err(VerifyError::NoAgent));
        assert_eq!(map_result(false, false, &none), Err(VerifyError::Refused));
        let dismissed = HashMap::from([("polkit.dismissed".to_owned(), "true".to_owned())]);
        assert_eq!(
            map_result(false, false, &dismissed),
            Err(VerifyError::Cancelled)
        );
    }

    #[test]
    fn error_mapping() {
        let method_error = |name: &'static str, message: &str| {
            let name = zbus::names::OwnedErrorName::try_from(name).unwrap();
            let reply = zbus::message::Message::method_call("/", "m")
                .unwrap()
                .build(&())
                .unwrap();
            map_error(
                zbus::Error::MethodError(name, Some(message.into()), reply),
                ACTION_ID,
            )
        };
        assert_eq!(
            method_error("org.freedesktop.PolicyKit1.Error.Cancelled", "x"),
            VerifyError::Cancelled
        );
        assert_eq!(
            method_error("org.freedesktop.DBus.Error.ServiceUnknown", "x").code(),
            "verify_unavailable"
        );
        assert_eq!(
            method_error(
                "org.freedesktop.PolicyKit1.Error.Failed",
                "Action org.tessera.desktop.verify is not registered"
            )
            .code(),
            "verify_unavailable"
        );
        assert_eq!(
            method_error("org.freedesktop.PolicyKit1.Error.Failed", "other").code(),
            "verify_failed"
        );
    }
}
