//! `tessera push …` against a real privacyIDEA (see `pi.rs`): enroll from the link the server
//! returns, a `/validate/check` sign-in shows up in `push watch` (driven through stdin without
//! a terminal), approve → the login is accepted, deny and "not me" → refused; the activity log
//! keeps every decision.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};
use tessera_testkit::proxy::Proxy;

use crate::pi;
use crate::support::{Env, PASSPHRASE};

/// Runs `tessera --passphrase-stdin push watch --once`, answers the first request with
/// `decision` (built from the request line) and returns the request and answer lines.
pub(crate) fn watch_once(env: &Env, decide: impl Fn(&Value) -> Value) -> (Value, Value) {
    watch_once_as(env, true, decide)
}

/// [`watch_once`], with the vault passphrase on stdin (`proven`) or with the push key store
/// opened silently through the keychain; the OS verifier finds no system bus either way.
fn watch_once_as(env: &Env, proven: bool, decide: impl Fn(&Value) -> Value) -> (Value, Value) {
    let mut command = env.command();
    if proven {
        command.arg("--passphrase-stdin");
    }
    let mut child = command
        .args(["push", "watch", "--once"])
        .env(
            "DBUS_SYSTEM_BUS_ADDRESS",
            "unix:path=/nonexistent/tessera-test-bus",
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    if proven {
        writeln!(stdin, "{PASSPHRASE}").unwrap();
    }
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let Ok(request) = serde_json::from_str::<Value>(&line) else {
        drop(stdin);
        let output = child.wait_with_output().unwrap();
        panic!(
            "no request line: {line:?} {}",
            String::from_utf8_lossy(&output.stderr)
        )
    };
    writeln!(stdin, "{}", decide(&request)).unwrap();
    drop(stdin);
    line.clear();
    stdout.read_line(&mut line).unwrap();
    let answer: Value = serde_json::from_str(&line).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success());
    (request, answer)
}

/// A push key store the keychain opened, with nobody proving anything: the "locked" case. No OS
/// verifier answers and no terminal can take the passphrase, so an approval is not sent (the
/// answer line says which verification was missing); a denial still goes through.
#[test]
fn unverified_approvals_are_not_sent_and_denials_are() {
    if !crate::keychain::real_keychain() {
        return;
    }
    let server = pi::server();
    let env = Env::new();
    // Bound to the keychain, with a passphrase as well.
    env.run(&["init", "--passphrase-stdin"], &format!("{PASSPHRASE}\n"))
        .ok();
    let link = server.push_link();
    env.run(
        &[
            "push",
            "enroll",
            "-",
            "--key-bits",
            "2048",
            "--allow-unverified-tls",
        ],
        &format!("{link}\n"),
    )
    .ok();
    // The token went to the push key store beside the vault, which the keychain opens alone.
    let store = env.vault.with_file_name("vault.tessera.push");
    assert!(store.exists());

    server.trigger();
    let (request, answer) = watch_once_as(
        &env,
        false,
        |request| json!({"nonce": request["nonce"], "decision": "approve"}),
    );
    assert_eq!(request["event"], "request");
    assert_eq!(
        (answer["outcome"].as_str(), answer["missing"].as_str()),
        (Some("not_sent"), Some("verify_unavailable")),
        "{answer}"
    );
    let activity = env.run(&["push", "activity", "--json"], "").ok().json();
    assert_eq!(activity, json!([]), "nothing was sent, nothing logged");

    // Still pending at the server: a denial now goes through without any verification.
    let (_, answer) = watch_once_as(
        &env,
        false,
        |request| json!({"nonce": request["nonce"], "decision": "deny"}),
    );
    assert_eq!(answer["outcome"], "accepted", "{answer}");
    let activity = env.run(&["push", "activity", "--json"], "").ok().json();
    assert_eq!(activity[0]["decision"]["kind"], "declined", "{activity}");

    // With the vault passphrase typed (proven), the same approval needs nothing more.
    let transaction = server.trigger();
    let (_, answer) = watch_once_as(
        &env,
        true,
        |request| json!({"nonce": request["nonce"], "decision": "approve"}),
    );
    assert_eq!(answer["outcome"], "accepted", "{answer}");
    let finalized = server.check("", Some(&transaction));
    assert_eq!(
        finalized["result"]["authentication"], "ACCEPT",
        "{finalized}"
    );
}

#[test]
fn enroll_watch_approve_deny_and_activity_against_a_real_server() {
    let server = pi::server();
    let env = Env::new();
    env.init_passphrase_vault();
    assert_eq!(
        env.with_passphrase(&["push", "list", "--json"], "")
            .ok()
            .json(),
        json!([])
    );

    // The test server's links turn TLS checks off (its push_ssl_verify=0): refused without
    // the flag, before the key is made or anything is sent (the one-time link still works).
    let link = server.push_link();
    let refused = env
        .with_passphrase(
            &["push", "enroll", "-", "--key-bits", "2048"],
            &format!("{link}\n"),
        )
        .fails(2, "push_unverified_tls");
    assert!(
        refused.stderr.contains("--allow-unverified-tls")
            && !refused.stderr.contains("Making the device key"),
        "{refused:#?}"
    );
    // Enroll from the link on standard input, by choice.
    let run = env
        .with_passphrase(
            &[
                "push",
                "enroll",
                "-",
                "--key-bits",
                "2048",
                "--json",
                "--allow-unverified-tls",
            ],
            &format!("{link}\n"),
        )
        .ok();
    assert!(run.stderr.contains("Making the device key"), "{run:#?}");
    assert!(run.stderr.contains("sslverify=0"), "TLS warning: {run:#?}");
    let token = run.json();
    let id = token["id"].as_str().unwrap().to_owned();
    let serial = token["serial"].as_str().unwrap().to_owned();
    assert_eq!(token["sslverify"], false);
    assert_eq!(token["server"], server.url.as_str());
    // The same link again is refused (the token is already here).
    env.with_passphrase(
        &[
            "push",
            "enroll",
            &link,
            "--key-bits",
            "2048",
            "--allow-unverified-tls",
        ],
        "",
    )
    .fails(1, "duplicate_account");

    let listed = env.with_passphrase(&["push", "list"], "").ok();
    assert!(listed.stdout.contains(&id) && listed.stdout.contains("TLS not verified"));
    env.with_passphrase(&["push", "rename", &serial, "Work laptop"], "")
        .ok();
    let listed = env
        .with_passphrase(&["push", "list", "--json"], "")
        .ok()
        .json();
    assert_eq!(listed[0]["label"], "Work laptop");

    // Nothing open: --once says so and exits.
    let idle = env.with_passphrase(&["push", "watch", "--once"], "").ok();
    assert!(
        idle.stderr.contains("No open sign-in requests"),
        "{idle:#?}"
    );

    // Approve → the login is accepted.
    let transaction = server.trigger();
    let (request, answer) = watch_once(
        &env,
        |request| json!({"nonce": request["nonce"], "decision": "approve"}),
    );
    assert_eq!(request["event"], "request");
    assert_eq!(request["serial"], serial.as_str());
    assert_eq!(request["title"], "CI test");
    assert_eq!(request["question"], "Log in from 127.0.0.1?");
    assert_eq!(answer["outcome"], "accepted", "{answer}");
    let finalized = server.check("", Some(&transaction));
    assert_eq!(
        finalized["result"]["authentication"], "ACCEPT",
        "{finalized}"
    );

    // Deny → refused; "not me" → refused as well.
    for decision in ["deny", "not_me"] {
        let transaction = server.trigger();
        let (_, answer) = watch_once(
            &env,
            |request| json!({"nonce": request["nonce"], "decision": decision}),
        );
        assert_eq!(answer["outcome"], "accepted", "{decision}: {answer}");
        let finalized = server.check("", Some(&transaction));
        assert_eq!(
            finalized["result"]["authentication"], "REJECT",
            "{finalized}"
        );
    }

    // A decision for another request is refused, and nothing is answered.
    let transaction = server.trigger();
    let mut wrong = env
        .command()
        .args(["--passphrase-stdin", "push", "watch", "--once"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wrong
        .stdin
        .take()
        .unwrap()
        .write_all(
            format!("{PASSPHRASE}\n{{\"nonce\":\"other\",\"decision\":\"approve\"}}\n").as_bytes(),
        )
        .unwrap();
    let output = wrong.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        server.check("", Some(&transaction))["result"]["authentication"],
        "REJECT"
    );

    // The activity log has the three decisions.
    let activity = env
        .with_passphrase(&["push", "activity", "--json"], "")
        .ok()
        .json();
    let decisions: Vec<&str> = activity
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["decision"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        decisions,
        ["approved", "declined", "declined"],
        "{activity}"
    );
    assert_eq!(activity[2]["decision"]["reason"], "unknown_trigger");
    let text = env.with_passphrase(&["push", "activity"], "").ok();
    assert!(text.stdout.contains("denied (not me)"), "{text:#?}");

    // A number for a request without number matching (the one left open above) is a usage
    // error: nothing is sent, nothing logged.
    let refused = env
        .with_passphrase(
            &["push", "watch", "--once"],
            "{\"decision\":\"approve\",\"number\":\"12\"}\n",
        )
        .fails(2, "invalid_parameters");
    assert!(
        refused.stderr.contains("does not use number matching"),
        "{refused:#?}"
    );
    let logged = env
        .with_passphrase(&["push", "activity", "--json"], "")
        .ok()
        .json();
    assert_eq!(logged, activity);

    // Removed locally.
    env.with_passphrase(&["push", "rm", &id], "")
        .fails(2, "confirmation_needed");
    env.with_passphrase(&["push", "rm", &id, "--yes"], "").ok();
    env.with_passphrase(&["push", "rm", &id, "--yes"], "")
        .fails(3, "no_push_token");
    env.with_passphrase(&["push", "watch", "--once"], "")
        .fails(3, "no_push_tokens");
}

/// `push watch` (polling, not --once) with number matching: the request shows the options, a
/// wrong pick is refused and asked again, the right one completes the login.
#[test]
fn watch_with_number_matching_wrong_then_right() {
    let server = pi::server();
    server.user_policy(
        "presence",
        "push_require_presence=1, push_presence_options=NUMERIC, push_presence_num_options=4",
    );
    let env = Env::new();
    env.init_passphrase_vault();
    env.with_passphrase(
        &[
            "push",
            "enroll",
            "-",
            "--key-bits",
            "2048",
            "--allow-unverified-tls",
        ],
        &format!("{}\n", server.push_link()),
    )
    .ok();
    let mut child = env
        .command()
        .args(["--passphrase-stdin", "push", "watch", "--interval", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{PASSPHRASE}").unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    // Triggered while watching: the poller brings it.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let trigger = server.trigger_body();
    let shown = trigger["detail"]["presence_answer"]
        .as_str()
        .unwrap()
        .to_owned();
    let transaction = trigger["detail"]["transaction_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut next = || {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        serde_json::from_str::<Value>(&line).unwrap_or_else(|_| panic!("{line:?}"))
    };
    let request = next();
    let options: Vec<String> = request["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|option| option.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(options.len(), 4, "{request}");
    assert!(options.contains(&shown));
    let wrong = options.iter().find(|option| **option != shown).unwrap();
    let nonce = request["nonce"].clone();
    writeln!(
        stdin,
        "{}",
        json!({"nonce": nonce, "decision": "approve", "number": wrong})
    )
    .unwrap();
    assert_eq!(next()["outcome"], "refused");
    let again = next();
    assert_eq!(again["event"], "request");
    assert_eq!(again["nonce"], nonce);
    writeln!(
        stdin,
        "{}",
        json!({"nonce": nonce, "decision": "approve", "number": shown})
    )
    .unwrap();
    assert_eq!(next()["outcome"], "accepted");
    let finalized = server.check("", Some(&transaction));
    assert_eq!(
        finalized["result"]["authentication"], "ACCEPT",
        "{finalized}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let activity = env
        .with_passphrase(&["push", "activity", "--json"], "")
        .ok()
        .json();
    let outcomes: Vec<&str> = activity
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["outcome"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["refused", "accepted"], "{activity}");
}

/// Issue 16: plain http to another computer would let whoever sits in between pin their own
/// server key. Refused at once, before the device key is made or anything is sent (a connect
/// to TEST-NET would take the full connect timeout).
#[test]
fn plain_http_enrollment_to_another_computer_is_refused_before_any_request() {
    let env = Env::new();
    env.init_passphrase_vault();
    let link = "otpauth://pipush/x?v=1&serial=PIPU1&enrollment_credential=c&url=http%3A//192.0.2.1/ttype/push";
    let started = std::time::Instant::now();
    for extra in [None, Some("--allow-unverified-tls")] {
        let mut args = vec!["push", "enroll", link, "--key-bits", "2048"];
        args.extend(extra);
        let refused = env.with_passphrase(&args, "").fails(2, "push_insecure_url");
        assert!(
            !refused.stderr.contains("Making the device key"),
            "{refused:#?}"
        );
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        env.with_passphrase(&["push", "list", "--json"], "")
            .ok()
            .json(),
        json!([])
    );
}

/// Flips one character of every challenge signature in a poll answer (the forgery keeps the
/// genuine request's nonce); other answers pass unchanged.
fn forge_signatures(body: &[u8]) -> Vec<u8> {
    let Ok(mut answer) = serde_json::from_slice::<Value>(body) else {
        return body.to_vec();
    };
    let Some(challenges) = answer["result"]["value"].as_array_mut() else {
        return body.to_vec();
    };
    if challenges.is_empty() {
        return body.to_vec();
    }
    for challenge in challenges {
        let signature = challenge["signature"].as_str().unwrap();
        let flipped = if signature.starts_with('A') { "B" } else { "A" };
        challenge["signature"] = Value::String(format!("{flipped}{}", &signature[1..]));
    }
    serde_json::to_vec(&answer).unwrap()
}

/// Issue 16: a forged copy of a pending request, dropped by one `push watch --once`, must not
/// make the genuine request a replay for the next run (the dropped nonce used to be written to
/// the activity log and counted as seen).
#[test]
fn a_forged_copy_does_not_hide_the_genuine_request_from_the_next_run() {
    let server = pi::server();
    let env = Env::new();
    env.init_passphrase_vault();
    let tamper = Arc::new(AtomicBool::new(false));
    let on = Arc::clone(&tamper);
    let proxy = Proxy::start(&server.url, move |body| {
        if on.load(Ordering::SeqCst) {
            forge_signatures(body)
        } else {
            body.to_vec()
        }
    });
    let link = proxy.rewrite_link(&server.push_link());
    env.with_passphrase(
        &[
            "push",
            "enroll",
            "-",
            "--key-bits",
            "2048",
            "--allow-unverified-tls",
        ],
        &format!("{link}\n"),
    )
    .ok();

    let transaction = server.trigger();
    tamper.store(true, Ordering::SeqCst);
    let forged = env.with_passphrase(&["push", "watch", "--once"], "").ok();
    assert!(proxy.altered() > 0, "{forged:#?}");
    assert!(
        forged.stderr.contains("dropped") && forged.stderr.contains("push_bad_signature"),
        "{forged:#?}"
    );
    assert!(forged.stdout.is_empty(), "never shown: {forged:#?}");
    let activity = env
        .with_passphrase(&["push", "activity", "--json"], "")
        .ok()
        .json();
    assert_eq!(activity, json!([]), "unverified data writes nothing");

    // The next run, untampered: the genuine request shows, and its approval is accepted.
    tamper.store(false, Ordering::SeqCst);
    let (request, answer) = watch_once(
        &env,
        |request| json!({"nonce": request["nonce"], "decision": "approve"}),
    );
    assert_eq!(request["event"], "request");
    assert_eq!(answer["outcome"], "accepted", "{answer}");
    assert_eq!(
        server.check("", Some(&transaction))["result"]["authentication"],
        "ACCEPT"
    );
}
