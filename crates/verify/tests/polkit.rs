//! polkit for real: `polkitd` on a private system bus, Tessera's action, a test authentication
//! agent, and [`tessera_verify::polkit::PolkitVerifier`] in a child process (as `nobody`).
//! How polkit treats root and the missing logind session: see `common/mod.rs`.
//!
//! Run with `TESSERA_REAL_POLKIT=1` as root (CI, `make test`); skipped with a message otherwise.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Bus, ChildVerifier, UNPRIVILEGED};
use tessera_verify::polkit::{ACTION_ID, UnixProcess};
use zbus::blocking::{Connection, MessageIterator};
use zbus::message::Type;
use zbus::zvariant::OwnedValue;

const AUTHORITY: &str = "org.freedesktop.PolicyKit1";
const AUTHORITY_PATH: &str = "/org/freedesktop/PolicyKit1/Authority";
const AUTHORITY_IFACE: &str = "org.freedesktop.PolicyKit1.Authority";
const AGENT_IFACE: &str = "org.freedesktop.PolicyKit1.AuthenticationAgent";
const AGENT_PATH: &str = "/org/tessera/TestAgent";
const CANCELLED: &str = "org.freedesktop.PolicyKit1.Error.Cancelled";

/// How long any one answer may take before the test fails (a hang must not stall CI).
const ANSWER: Duration = Duration::from_secs(20);

/// The `child_entry_point` the child verifiers run (see `common::child_main`); a no-op in a
/// normal test run.
#[test]
fn child_entry_point() {
    common::child_main();
}

/// What the test agent does with `BeginAuthentication`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Event {
    Begin {
        action_id: String,
        identities: Vec<String>,
    },
    Responded,
    CancelledByPolkit,
}

/// A polkit authentication agent registered for one process.
struct Agent {
    events: Arc<Mutex<Vec<Event>>>,
    begun: mpsc::Receiver<()>,
    _connection: Connection,
}

impl Agent {
    fn register(bus: &Bus, subject: &UnixProcess, answer: Answer) -> Self {
        let connection = bus.connect();
        let messages = MessageIterator::from(&connection);
        connection
            .call_method(
                Some(AUTHORITY),
                AUTHORITY_PATH,
                Some(AUTHORITY_IFACE),
                "RegisterAuthenticationAgent",
                &(subject.to_subject(), "en_US.UTF-8", AGENT_PATH),
            )
            .expect("register the test agent");
        let events = Arc::new(Mutex::new(Vec::new()));
        let (begun_tx, begun) = mpsc::channel();
        let serve = {
            let connection = connection.clone();
            let events = Arc::clone(&events);
            move || serve(&connection, messages, answer, &events, &begun_tx)
        };
        std::thread::spawn(serve);
        Self {
            events,
            begun,
            _connection: connection,
        }
    }

    fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap().clone()
    }

    fn wait_begun(&self) {
        self.begun
            .recv_timeout(ANSWER)
            .expect("polkit never asked the agent");
    }
}

type Identity = (String, HashMap<String, OwnedValue>);

fn serve(
    connection: &Connection,
    messages: MessageIterator,
    answer: Answer,
    events: &Mutex<Vec<Event>>,
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
                let (action_id, _message, _icon, _details, cookie, identities): (
                    String,
                    String,
                    String,
                    HashMap<String, String>,
                    String,
                    Vec<Identity>,
                ) = message.body().deserialize().unwrap();
                record(Event::Begin {
                    action_id,
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
                        .reply_error(
                            &header,
                            "org.freedesktop.PolicyKit1.Error.Failed",
                            &("Authentication failed",),
                        )
                        .unwrap(),
                    Answer::Dismiss => connection
                        .reply_error(&header, CANCELLED, &("Dismissed by the user",))
                        .unwrap(),
                    Answer::Hold => held = Some(message.clone()),
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

/// One verification by a child running as `nobody`, answered by `answer` (None: no agent).
fn verify_as_nobody(bus: &Bus, answer: Option<Answer>) -> (common::Outcome, Option<Agent>) {
    let mut child =
        ChildVerifier::spawn(bus.dir.path(), &bus.address, Some(UNPRIVILEGED), "verify");
    let subject = UnixProcess::of(child.pid).unwrap();
    assert_eq!(subject.uid, UNPRIVILEGED);
    let agent = answer.map(|answer| Agent::register(bus, &subject, answer));
    child.go();
    (child.outcome(ANSWER), agent)
}

fn begin_for_nobody() -> Event {
    Event::Begin {
        action_id: ACTION_ID.into(),
        identities: vec![format!("unix-user:{UNPRIVILEGED}")],
    }
}

#[test]
fn right_answer_verifies() {
    if !common::enabled() {
        return;
    }
    let bus = Bus::with_polkitd();
    let (outcome, agent) = verify_as_nobody(&bus, Some(Answer::Right));
    assert_eq!(outcome.result, "ok:Polkit", "{}", bus.polkitd_log());
    // polkit asked our agent, for our action, to authenticate the user themselves (auth_self)
    assert_eq!(
        agent.unwrap().events(),
        [begin_for_nobody(), Event::Responded]
    );
    eprintln!(
        "bus + polkitd ready in {:?}; verified in {:?}",
        bus.startup, outcome.elapsed
    );
}

#[test]
fn wrong_answer_is_refused() {
    if !common::enabled() {
        return;
    }
    let bus = Bus::with_polkitd();
    let (outcome, agent) = verify_as_nobody(&bus, Some(Answer::Wrong));
    assert_eq!(
        outcome.result,
        "err:verify_refused",
        "{}",
        bus.polkitd_log()
    );
    assert_eq!(agent.unwrap().events(), [begin_for_nobody()]);
}

#[test]
fn dismissed_dialog_is_cancelled() {
    if !common::enabled() {
        return;
    }
    let bus = Bus::with_polkitd();
    let (outcome, _agent) = verify_as_nobody(&bus, Some(Answer::Dismiss));
    assert_eq!(
        outcome.result,
        "err:verify_cancelled",
        "{}",
        bus.polkitd_log()
    );
}

#[test]
fn no_agent_is_reported_as_such() {
    if !common::enabled() {
        return;
    }
    let bus = Bus::with_polkitd();
    let (outcome, _) = verify_as_nobody(&bus, None);
    assert_eq!(
        outcome.result,
        "err:verify_no_agent",
        "{}",
        bus.polkitd_log()
    );
}

#[test]
fn polkitd_not_running_is_unavailable() {
    if !common::enabled() {
        return;
    }
    let mut bus = Bus::with_polkitd();
    // available while it runs…
    let child = |mode| {
        let mut child =
            ChildVerifier::spawn(bus.dir.path(), &bus.address, Some(UNPRIVILEGED), mode);
        child.go();
        child.outcome(ANSWER).result
    };
    assert_eq!(child("availability"), "ok:available");
    // …and not once it is gone (no bus activation on this bus, as on a system without polkit)
    bus.stop_polkitd();
    let child = |mode| {
        let mut child =
            ChildVerifier::spawn(bus.dir.path(), &bus.address, Some(UNPRIVILEGED), mode);
        child.go();
        child.outcome(ANSWER).result
    };
    assert_eq!(child("availability"), "err:verify_unavailable");
    assert_eq!(child("verify"), "err:verify_unavailable");
}

#[test]
fn no_system_bus_is_unavailable() {
    if !common::enabled() {
        return;
    }
    let bus = Bus::bare();
    let nowhere = format!(
        "unix:path={}",
        bus.dir.path().join("no-such-socket").display()
    );
    for mode in ["availability", "verify"] {
        let mut child = ChildVerifier::spawn(bus.dir.path(), &nowhere, Some(UNPRIVILEGED), mode);
        child.go();
        assert_eq!(child.outcome(ANSWER).result, "err:verify_unavailable");
    }
}

#[test]
fn our_cancel_withdraws_the_dialog_quickly() {
    if !common::enabled() {
        return;
    }
    let bus = Bus::with_polkitd();
    let mut child =
        ChildVerifier::spawn(bus.dir.path(), &bus.address, Some(UNPRIVILEGED), "verify");
    let agent = Agent::register(&bus, &UnixProcess::of(child.pid).unwrap(), Answer::Hold);
    child.go();
    agent.wait_begun();
    child.cancel();
    let outcome = child.outcome(ANSWER);
    assert_eq!(outcome.result, "err:verify_cancelled");
    let after_cancel = outcome.after_cancel.unwrap();
    assert!(
        after_cancel < Duration::from_millis(500),
        "{after_cancel:?}"
    );
    // polkit closed the agent's dialog, and nothing confirmed the cookie
    assert_eq!(
        agent.events(),
        [begin_for_nobody(), Event::CancelledByPolkit]
    );
    eprintln!("cancel to answer: {after_cancel:?}");
}

#[test]
fn an_expiring_request_withdraws_the_dialog() {
    if !common::enabled() {
        return;
    }
    let bus = Bus::with_polkitd();
    let mut child = ChildVerifier::spawn_with(
        bus.dir.path(),
        &bus.address,
        Some(UNPRIVILEGED),
        "verify",
        Some(Duration::from_millis(700)),
    );
    let agent = Agent::register(&bus, &UnixProcess::of(child.pid).unwrap(), Answer::Hold);
    child.go();
    let outcome = child.outcome(ANSWER);
    assert_eq!(outcome.result, "err:verify_timeout");
    assert!(
        outcome.elapsed >= Duration::from_millis(700) && outcome.elapsed < Duration::from_secs(2),
        "{:?}",
        outcome.elapsed
    );
    assert_eq!(
        agent.events(),
        [begin_for_nobody(), Event::CancelledByPolkit]
    );
}

/// Why the verifier runs as `nobody` in these tests: polkit authorizes root for everything
/// without asking (no agent here). Tessera never runs as root; this pins the behaviour the
/// test setup depends on.
#[test]
fn root_is_authorized_without_asking() {
    if !common::enabled() {
        return;
    }
    let bus = Bus::with_polkitd();
    let mut child = ChildVerifier::spawn(bus.dir.path(), &bus.address, None, "verify");
    child.go();
    assert_eq!(child.outcome(ANSWER).result, "ok:Polkit");
}
