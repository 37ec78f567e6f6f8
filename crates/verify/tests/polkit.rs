//! polkit for real: `polkitd` on a private system bus, Tessera's action, a test authentication
//! agent, and [`tessera_verify::polkit::PolkitVerifier`] in a child process (as `nobody`).
//! How polkit treats root and the missing logind session: see `common/mod.rs`.
//!
//! Run with `TESSERA_REQUIRE_REAL=1` as root (CI, `make test`); skipped with a message otherwise.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::time::Duration;

use common::agent::{Agent, Answer, Event};
use common::{ANSWER, Bus, ChildVerifier, UNPRIVILEGED, verify_as_nobody, verify_as_nobody_in};
use tessera_verify::polkit::{ACTION_ID, UnixProcess};

/// The `child_entry_point` the child verifiers run (see `common::child_main`); a no-op in a
/// normal test run.
#[test]
fn child_entry_point() {
    common::child_main();
}

/// The English message of `polkit/org.tessera.desktop.verify.policy`.
const MESSAGE_EN: &str =
    "Tessera needs to confirm it is you to approve a sign-in or open your accounts.";

fn begin_for_nobody() -> Event {
    Event::Begin {
        action_id: ACTION_ID.into(),
        message: MESSAGE_EN.into(),
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

/// A development build (`cargo run`) or a tarball has no policy file installed: unavailable
/// (the passphrase stands in), both when asked up front and when verifying.
#[test]
fn an_action_not_installed_is_unavailable() {
    if !common::enabled() {
        return;
    }
    let bus = Bus::with_polkitd();
    for mode in ["availability", "verify"] {
        let mut child = ChildVerifier::spawn_full(
            bus.dir.path(),
            &bus.address,
            Some(UNPRIVILEGED),
            mode,
            None,
            Some("org.tessera.desktop.not-installed"),
        );
        child.go();
        assert_eq!(
            child.outcome(ANSWER).result,
            "err:verify_unavailable",
            "{mode}: {}",
            bus.polkitd_log()
        );
    }
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
    // measured ~10 ms (a 20 ms poll and two D-Bus round trips); the bound leaves room for a
    // loaded CI machine
    assert!(after_cancel < Duration::from_secs(1), "{after_cancel:?}");
    // polkit closed the agent's dialog, and nothing confirmed the cookie
    let expected = [begin_for_nobody(), Event::CancelledByPolkit];
    assert_eq!(agent.events_when(&expected), expected);
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
        outcome.elapsed >= Duration::from_millis(700) && outcome.elapsed < Duration::from_secs(3),
        "{:?}",
        outcome.elapsed
    );
    let expected = [begin_for_nobody(), Event::CancelledByPolkit];
    assert_eq!(agent.events_when(&expected), expected);
}

#[test]
fn polkitd_gone_mid_check_verifies_nothing() {
    if !common::enabled() {
        return;
    }
    let mut bus = Bus::with_polkitd();
    let mut child =
        ChildVerifier::spawn(bus.dir.path(), &bus.address, Some(UNPRIVILEGED), "verify");
    let agent = Agent::register(&bus, &UnixProcess::of(child.pid).unwrap(), Answer::Hold);
    child.go();
    agent.wait_begun();
    bus.stop_polkitd();
    assert_eq!(child.outcome(ANSWER).result, "err:verify_failed");
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

/// polkit reads the action file Tessera ships and translates its message for the agent's
/// language: a French desktop shows the French line.
#[test]
fn french_agents_get_the_french_message() {
    if !common::enabled() {
        return;
    }
    let bus = Bus::with_polkitd();
    let (outcome, agent) = verify_as_nobody_in(&bus, Some(Answer::Right), "fr_FR.UTF-8");
    assert_eq!(outcome.result, "ok:Polkit");
    let events = agent.unwrap().events();
    let Some(Event::Begin { message, .. }) = events.first() else {
        panic!("{events:?}");
    };
    assert_eq!(
        message,
        "Tessera doit confirmer votre identité pour approuver une connexion ou ouvrir vos comptes."
    );
}

/// With the gate set, a missing part fails the test instead of skipping it; without it, the
/// tests skip.
#[test]
fn the_gate_fails_on_a_missing_part() {
    let gated = tessera_testkit::real::required();
    let missing = std::panic::catch_unwind(|| {
        common::enabled_with(&[("/nonexistent/tessera-part", "some-package")])
    });
    if gated {
        let panic = missing.expect_err("a missing part must fail the test");
        let text = panic.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(
            text.contains("/nonexistent/tessera-part (Debian package some-package)"),
            "{text}"
        );
    } else {
        assert!(!missing.unwrap());
    }
}
