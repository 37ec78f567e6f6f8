//! A polkit authentication agent for the tests, registered for one process (the child
//! verifier), as `pkttyagent --process PID` does.
//!
//! It answers `BeginAuthentication` right, wrong, dismissed, holds it until polkit cancels,
//! or runs the real `polkit-agent-helper-1` (PAM) as a desktop agent does.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tessera_verify::polkit::UnixProcess;
use zbus::blocking::{Connection, MessageIterator};
use zbus::message::{Message, Type};
use zbus::zvariant::OwnedValue;

use super::Bus;

pub const AUTHORITY: &str = "org.freedesktop.PolicyKit1";
pub const AUTHORITY_PATH: &str = "/org/freedesktop/PolicyKit1/Authority";
pub const AUTHORITY_IFACE: &str = "org.freedesktop.PolicyKit1.Authority";
const AGENT_IFACE: &str = "org.freedesktop.PolicyKit1.AuthenticationAgent";
const AGENT_PATH: &str = "/org/tessera/TestAgent";
const CANCELLED: &str = "org.freedesktop.PolicyKit1.Error.Cancelled";
const FAILED: &str = "org.freedesktop.PolicyKit1.Error.Failed";
pub const HELPER: &str = "/usr/lib/polkit-1/polkit-agent-helper-1";

/// How long polkit may take to ask the agent before the test fails.
const ASKED: Duration = Duration::from_secs(20);

/// What the test agent does with `BeginAuthentication`.
#[derive(Debug, Clone)]
pub enum Answer {
    /// The user authenticated: confirm the cookie as polkit-agent-helper-1 does after PAM
    /// succeeded (`AuthenticationAgentResponse2`), then return.
    Right,
    /// PAM failed: return an error without confirming, as pkttyagent does ("Authentication
    /// failed").
    Wrong,
    /// The user closed the dialog: return polkit's `Cancelled` error.
    Dismiss,
    /// Keep the dialog open until polkit sends `CancelAuthentication`.
    Hold,
    /// Run the real helper and its PAM conversation (see [`Helper`]).
    Pam(Arc<Helper>),
}

/// The real `polkit-agent-helper-1`, as a desktop agent runs it: it runs the PAM stack of the
/// `polkit-1` service for the user, and on success confirms the cookie to polkitd itself.
///
/// The helper clears its environment (it is setuid), so it and its PAM modules reach the
/// system bus only at the default `/run/dbus/system_bus_socket`, and PAM reads
/// `/etc/pam.d/polkit-1` or `/usr/lib/pam.d/polkit-1`. Neither can be pointed elsewhere, so the
/// helper runs in a private mount namespace (`unshare --mount`, root) where a tmpfs covers
/// `/run`, the test's bus directory is mounted at `/run/dbus`, and `pam_stack` is mounted
/// over the polkit-1 PAM file. Nothing outside the namespace changes.
#[derive(Debug)]
pub struct Helper {
    /// The directory holding the bus's `system_bus_socket`.
    pub bus_dir: PathBuf,
    /// The PAM configuration to use as `polkit-1`.
    pub pam_stack: PathBuf,
    /// What happens when PAM asks for a finger.
    pub on_finger: OnFinger,
    /// Typed when PAM asks for a password.
    pub password: String,
}

/// What the user (or the system) does when PAM asks for a finger.
#[derive(Debug)]
pub enum OnFinger {
    /// A finger with print id `finger` on the virtual reader listening at `socket`.
    Scan { socket: PathBuf, finger: String },
    /// fprintd (this pid, started by the test) is stopped mid-scan.
    StopFprintd(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Begin {
        action_id: String,
        /// The action's message, in the agent's language.
        message: String,
        identities: Vec<String>,
    },
    Responded,
    CancelledByPolkit,
    /// A line from polkit-agent-helper-1 (`PAM_TEXT_INFO …`, `SUCCESS`…).
    Helper(String),
}

/// A polkit authentication agent registered for one process.
pub struct Agent {
    events: Arc<Mutex<Vec<Event>>>,
    begun: mpsc::Receiver<()>,
    _connection: Connection,
}

impl Agent {
    pub fn register(bus: &Bus, subject: &UnixProcess, answer: Answer) -> Self {
        Self::register_in(bus, subject, answer, "en_US.UTF-8")
    }

    /// An agent whose user reads `locale` (polkit translates the action's message for it).
    pub fn register_in(bus: &Bus, subject: &UnixProcess, answer: Answer, locale: &str) -> Self {
        let connection = bus.connect();
        let messages = MessageIterator::from(&connection);
        connection
            .call_method(
                Some(AUTHORITY),
                AUTHORITY_PATH,
                Some(AUTHORITY_IFACE),
                "RegisterAuthenticationAgent",
                &(subject.to_subject(), locale, AGENT_PATH),
            )
            .expect("register the test agent");
        let events = Arc::new(Mutex::new(Vec::new()));
        let (begun_tx, begun) = mpsc::channel();
        let serve = {
            let connection = connection.clone();
            let events = Arc::clone(&events);
            move || serve(&connection, messages, &answer, &events, &begun_tx)
        };
        std::thread::spawn(serve);
        Self {
            events,
            begun,
            _connection: connection,
        }
    }

    pub fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap().clone()
    }

    /// The events once they equal `expected`, or after a few seconds whatever they are:
    /// polkit tells the agent and the caller separately, so the agent may still be reading its
    /// `CancelAuthentication` when the caller already has its answer.
    pub fn events_when(&self, expected: &[Event]) -> Vec<Event> {
        let started = std::time::Instant::now();
        loop {
            let events = self.events();
            if events == expected || started.elapsed() > Duration::from_secs(5) {
                return events;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn wait_begun(&self) {
        self.begun
            .recv_timeout(ASKED)
            .expect("polkit never asked the agent");
    }
}

type Identity = (String, HashMap<String, OwnedValue>);

fn serve(
    connection: &Connection,
    messages: MessageIterator,
    answer: &Answer,
    events: &Arc<Mutex<Vec<Event>>>,
    begun: &mpsc::Sender<()>,
) {
    let record = |event| events.lock().unwrap().push(event);
    let mut held = None;
    // Ends when the bus goes away at the end of the test.
    for message in messages.map_while(Result::ok) {
        let header = message.header();
        if message.message_type() != Type::MethodCall
            || header.interface().map(|i| i.as_str()) != Some(AGENT_IFACE)
        {
            continue;
        }
        match header.member().map(|m| m.as_str()) {
            Some("BeginAuthentication") => {
                let (action_id, text, _icon, _details, cookie, identities): (
                    String,
                    String,
                    String,
                    HashMap<String, String>,
                    String,
                    Vec<Identity>,
                ) = message.body().deserialize().unwrap();
                record(Event::Begin {
                    action_id,
                    message: text,
                    identities: identities
                        .iter()
                        .map(|(kind, details)| {
                            let uid = details
                                .get("uid")
                                .and_then(|v| u32::try_from(v).ok())
                                .map_or_else(String::new, |uid| uid.to_string());
                            format!("{kind}:{uid}")
                        })
                        .collect(),
                });
                let _ = begun.send(());
                match answer {
                    Answer::Right => {
                        // uid: the agent's own (root registered it); identity: the one the user
                        // authenticated as, the subject's own user under auth_self.
                        connection
                            .call_method(
                                Some(AUTHORITY),
                                AUTHORITY_PATH,
                                Some(AUTHORITY_IFACE),
                                "AuthenticationAgentResponse2",
                                &(0_u32, cookie.as_str(), &identities[0]),
                            )
                            .expect("AuthenticationAgentResponse2");
                        record(Event::Responded);
                        connection.reply(&header, &()).unwrap();
                    }
                    Answer::Wrong => connection
                        .reply_error(&header, FAILED, &("Authentication failed",))
                        .unwrap(),
                    Answer::Dismiss => connection
                        .reply_error(&header, CANCELLED, &("Dismissed by the user",))
                        .unwrap(),
                    Answer::Hold => held = Some(message.clone()),
                    Answer::Pam(helper) => {
                        // The conversation takes seconds (PAM delays after a failure): run it
                        // beside the loop, which must stay free for CancelAuthentication.
                        let user = user_name(&identities[0]);
                        let (helper, connection, events) =
                            (Arc::clone(helper), connection.clone(), Arc::clone(events));
                        let begin = message.clone();
                        std::thread::spawn(move || {
                            converse(&helper, &user, &cookie, &events, &connection, &begin);
                        });
                    }
                }
            }
            Some("CancelAuthentication") => {
                record(Event::CancelledByPolkit);
                connection.reply(&header, &()).unwrap();
                if let Some(begin) = held.take() {
                    connection
                        .reply_error(&begin.header(), CANCELLED, &("Withdrawn",))
                        .unwrap();
                }
            }
            _ => {}
        }
    }
}

/// The user name of a `unix-user` identity (the helper takes a name, not a uid).
fn user_name(identity: &Identity) -> String {
    let uid = identity
        .1
        .get("uid")
        .and_then(|v| u32::try_from(v).ok())
        .expect("a unix-user identity");
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.get(2) == Some(&uid.to_string().as_str())).then(|| fields[0].to_owned())
        })
        .unwrap_or_else(|| panic!("no user with uid {uid} in /etc/passwd"))
}

/// Runs polkit-agent-helper-1 for `user` and plays the user at the computer: a finger on the
/// (virtual) reader when PAM asks for one, `password` when it asks for a password.
fn converse(
    helper: &Helper,
    user: &str,
    cookie: &str,
    events: &Mutex<Vec<Event>>,
    connection: &Connection,
    begin: &Message,
) {
    let record = |event| events.lock().unwrap().push(event);
    let script = r#"set -e
mount -t tmpfs tmpfs /run
mkdir /run/dbus
mount --bind "$1" /run/dbus
if [ -e /etc/pam.d/polkit-1 ]; then target=/etc/pam.d/polkit-1; else target=/usr/lib/pam.d/polkit-1; fi
mount --bind "$2" "$target"
exec "$3" "$4"
"#;
    let mut process = Command::new("unshare")
        .args([
            "--mount",
            "--propagation",
            "private",
            "--",
            "sh",
            "-c",
            script,
            "sh",
        ])
        .arg(&helper.bus_dir)
        .arg(&helper.pam_stack)
        .arg(HELPER)
        .arg(user)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run polkit-agent-helper-1 under unshare");
    let mut stdin = process.stdin.take().unwrap();
    writeln!(stdin, "{cookie}").unwrap();
    let mut success = false;
    for line in BufReader::new(process.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
    {
        record(Event::Helper(line.clone()));
        if line.starts_with("PAM_TEXT_INFO") && line.contains("finger") {
            match &helper.on_finger {
                OnFinger::Scan { socket, finger } => scan(socket, finger),
                OnFinger::StopFprintd(pid) => {
                    // the shell's own `kill` (procps may not be installed)
                    let stopped = Command::new("sh")
                        .args(["-c", &format!("kill {pid}")])
                        .status();
                    assert!(stopped.is_ok_and(|s| s.success()), "stop fprintd");
                }
            }
        } else if line.starts_with("PAM_PROMPT_ECHO_OFF") || line.starts_with("PAM_PROMPT_ECHO_ON")
        {
            let _ = writeln!(stdin, "{}", helper.password);
        } else if line == "SUCCESS" {
            success = true;
        }
    }
    let mut stderr = String::new();
    let _ = process.stderr.take().unwrap().read_to_string(&mut stderr);
    let _ = process.wait();
    for line in stderr.lines() {
        record(Event::Helper(format!("stderr: {line}")));
    }
    // On SUCCESS the helper has already confirmed the cookie to polkitd
    // (AuthenticationAgentResponse2); the agent only ends the request.
    if success {
        connection.reply(&begin.header(), &()).unwrap();
    } else {
        connection
            .reply_error(&begin.header(), FAILED, &("Authentication failed",))
            .unwrap();
    }
}

/// One command to libfprint's virtual device (`FP_VIRTUAL_DEVICE`): one connection per
/// command, closed by the device once read.
pub fn virtual_device(socket: &Path, command: &str) {
    let mut stream = UnixStream::connect(socket)
        .unwrap_or_else(|e| panic!("connect to the virtual fingerprint reader: {e}"));
    stream.write_all(command.as_bytes()).unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
}

/// A finger with print id `finger` on the virtual reader.
pub fn scan(socket: &Path, finger: &str) {
    virtual_device(socket, &format!("SCAN {finger}"));
}
