//! `tessera account …` against a real privacyIDEA (see `pi.rs`): list the user's tokens,
//! enroll TOTP straight into the vault and sign in at `/validate/check` with the code
//! `tessera code` prints, disable/enable, backup codes used once, delete.

use crate::pi;
use crate::support::{Env, PASSPHRASE};

#[test]
fn tokens_enroll_totp_sign_in_with_its_code_and_recover() {
    let server = pi::server();
    let env = Env::new();
    env.init_passphrase_vault();
    let connect = [
        "--server",
        server.url.as_str(),
        "--user",
        server.user.as_str(),
        "--realm",
        "testrealm",
    ];
    let pass = format!("{}\n", server.user_pass);
    let account = |args: &[&str], more: &str| {
        let mut full = vec!["account"];
        full.extend_from_slice(args);
        full.extend_from_slice(&connect);
        env.with_passphrase(&full, more)
    };
    // Commands without the vault read the password alone.
    let plain = |args: &[&str], stdin: &str| {
        let mut full = vec!["account"];
        full.extend_from_slice(args);
        full.extend_from_slice(&connect);
        env.run(&full, stdin)
    };

    // A wrong password first: a sign-in that worked is kept for the next commands.
    let wrong = account(&["tokens"], "wrong password\n").fails(1, "selfservice_bad_credentials");
    assert!(wrong.stderr.contains("check the user name"), "{wrong:#?}");
    assert_eq!(
        account(&["tokens", "--json"], &pass).ok().json(),
        serde_json::json!([])
    );

    // Enroll TOTP into the vault: the secret is never printed.
    let run = account(&["enroll-totp", "--json"], &pass).ok();
    let enrolled = run.json();
    let serial = enrolled["serial"].as_str().unwrap().to_owned();
    let id = enrolled["account"].as_str().unwrap().to_owned();
    assert!(!run.stdout.contains("secret=") && !run.stderr.contains("secret="));

    let listed = account(&["tokens", "--json"], &pass).ok().json();
    let token = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|token| token["serial"] == serial.as_str())
        .unwrap()
        .clone();
    assert_eq!(token["type"], "totp");
    assert_eq!(token["status"], "active");
    assert_eq!(token["here"], id.as_str(), "{listed}");
    let text = account(&["tokens"], &pass).ok();
    assert!(text.stdout.contains("[here: "), "{text:#?}");

    // The code Tessera prints signs in (password + code, otppin=userstore).
    let code = env
        .with_passphrase(&["code", &id, "--json"], "")
        .ok()
        .json()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let checked = server.check(&format!("{}{code}", server.user_pass), None);
    assert_eq!(checked["result"]["authentication"], "ACCEPT", "{checked}");

    // Disabled: the token no longer signs in; enabled again.
    plain(&["disable", &serial], &pass).ok();
    let listed = account(&["tokens", "--json"], &pass).ok().json();
    assert_eq!(listed[0]["status"], "disabled", "{listed}");
    plain(&["enable", &serial], &pass).ok();
    plain(&["reset", &serial], &pass).ok();
    plain(&["disable", "NOSUCH0001"], &pass).fails(3, "selfservice_token_not_found");

    // Backup codes: shown once, each accepted once.
    let run = plain(&["backup-codes", "--count", "3"], &pass).ok();
    let codes: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(codes.len(), 3, "{run:#?}");
    let with_code = format!("{}{}", server.user_pass, codes[0]);
    assert_eq!(
        server.check(&with_code, None)["result"]["authentication"],
        "ACCEPT"
    );
    assert_eq!(
        server.check(&with_code, None)["result"]["authentication"],
        "REJECT"
    );

    // Delete: asks first; gone after.
    plain(&["delete", &serial], &pass).fails(2, "confirmation_needed");
    plain(&["delete", &serial, "--yes"], &pass).ok();
    let listed = account(&["tokens", "--json"], &pass).ok().json();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|token| token["serial"] != serial.as_str()),
        "{listed}"
    );
    // With login_mode=privacyIDEA the password opens a second step: a backup code answers it.
    env.run(&["lock"], "").ok();
    server.admin_post(
        &format!("/policy/login_mode_{}", server.user),
        &[
            ("scope", "webui"),
            ("realm", "testrealm"),
            ("user", &server.user),
            ("action", "login_mode=privacyIDEA"),
            ("active", "true"),
        ],
    );
    server.user_policy("challenge_response", "challenge_response=totp hotp tan");
    account(&["tokens", "--json"], &pass).fails(2, "stdin_ended");
    account(&["tokens", "--json"], &format!("{pass}{}\n", codes[0]))
        .fails(1, "selfservice_bad_credentials");
    let listed = account(&["tokens", "--json"], &format!("{pass}{}\n", codes[1]))
        .ok()
        .json();
    assert_eq!(listed[0]["type"], "tan", "{listed}");
    assert_eq!(listed[0]["remaining_codes"], 1, "{listed}");
    // The vault never saw the secret on any output.
    for (args, stdout, stderr) in env.outputs() {
        assert!(
            !stdout.contains(PASSPHRASE) && !stderr.contains(PASSPHRASE),
            "{args}"
        );
        assert!(
            !stdout.contains(&server.user_pass) && !stderr.contains(&server.user_pass),
            "{args}"
        );
    }
}

/// "My codes are rejected": an HOTP token whose counter ran ahead of the server's window is
/// resynced with two consecutive codes from `tessera code`, then signs in again.
#[test]
fn enroll_hotp_then_resync_a_counter_that_ran_ahead() {
    let server = pi::server();
    let env = Env::new();
    env.init_passphrase_vault();
    let connect = [
        "--server",
        server.url.as_str(),
        "--user",
        server.user.as_str(),
        "--realm",
        "testrealm",
    ];
    let pass = format!("{}\n", server.user_pass);
    let mut args = vec!["account", "enroll-hotp", "--json"];
    args.extend_from_slice(&connect);
    let enrolled = env.with_passphrase(&args, &pass).ok().json();
    let serial = enrolled["serial"].as_str().unwrap().to_owned();
    let id = enrolled["account"].as_str().unwrap().to_owned();
    let code = || {
        env.with_passphrase(&["code", &id, "--json"], "")
            .ok()
            .json()["code"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // Twelve codes shown and never used: the server's window (10) is behind.
    for _ in 0..12 {
        code();
    }
    let stale = code();
    let checked = server.check(&format!("{}{stale}", server.user_pass), None);
    assert_eq!(checked["result"]["authentication"], "REJECT", "{checked}");
    let (first, second) = (code(), code());
    let mut args = vec!["account", "resync"];
    args.extend_from_slice(&connect);
    args.push(&serial);
    // Signed in by enroll-hotp a moment ago: the two codes alone, no password. (The sign-in is
    // kept in the kernel keyring: elsewhere than on Linux each command signs in again.)
    let password = if cfg!(target_os = "linux") {
        ""
    } else {
        pass.as_str()
    };
    env.run(&args, &format!("{password}{first}\n{second}\n"))
        .ok();
    let checked = server.check(&format!("{}{}", server.user_pass, code()), None);
    assert_eq!(checked["result"]["authentication"], "ACCEPT", "{checked}");
    // Two codes that do not follow each other are refused in plain words.
    env.run(&["lock"], "").ok();
    let run = env.run(&args, &format!("{pass}000000\n111111\n"));
    let run = run.fails(1, "selfservice_resync_failed");
    assert!(run.stderr.contains("hint: "), "{run:#?}");

    // Without the right, the refusal is explained in plain words: a realm of its own over the
    // same users, whose user policy grants less (the server's other tests keep theirs).
    server.admin_post("/realm/limited_cli", &[("resolvers", "flatusers")]);
    server.admin_post(
        "/policy/selfservice_limited_cli",
        &[
            ("scope", "user"),
            ("realm", "limited_cli"),
            ("action", "disable"),
            ("active", "true"),
        ],
    );
    let args = [
        "account",
        "enroll-totp",
        "--server",
        server.url.as_str(),
        "--user",
        server.user.as_str(),
        "--realm",
        "limited_cli",
    ];
    let run = env
        .with_passphrase(&args, &pass)
        .fails(1, "selfservice_not_allowed");
    assert!(
        run.stderr.contains("does not allow you to") && run.stderr.contains("IT service"),
        "{run:#?}"
    );
}

/// `account enroll-push`: a push token enrolled end to end at the server lands in the vault,
/// is listed as living here, and approves a sign-in through `push watch`.
#[test]
fn enroll_push_then_approve_a_sign_in() {
    let server = pi::server();
    let env = Env::new();
    env.init_passphrase_vault();
    let pass = format!("{}\n", server.user_pass);
    let connect = [
        "--server",
        server.url.as_str(),
        "--user",
        server.user.as_str(),
        "--realm",
        "testrealm",
    ];
    let mut args = vec!["account", "enroll-push", "--key-bits", "2048", "--json"];
    args.extend_from_slice(&connect);
    let run = env.with_passphrase(&args, &pass).ok();
    assert!(run.stderr.contains("Making the device key"), "{run:#?}");
    let token = run.json();
    let serial = token["serial"].as_str().unwrap().to_owned();
    assert!(serial.starts_with("PIPU"), "{token}");
    assert_eq!(token["server"], server.url.as_str());
    let pushed = env
        .with_passphrase(&["push", "list", "--json"], "")
        .ok()
        .json();
    assert_eq!(pushed[0]["serial"], serial.as_str(), "{pushed}");

    let mut args = vec!["account", "tokens", "--json"];
    args.extend_from_slice(&connect);
    let listed = env.with_passphrase(&args, &pass).ok().json();
    let listed = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|listed| listed["serial"] == serial.as_str())
        .unwrap()
        .clone();
    assert_eq!(listed["type"], "push");
    assert_eq!(listed["status"], "active", "{listed}");
    assert_eq!(listed["here"], token["id"], "{listed}");

    // A sign-in triggers a push request that this vault approves.
    let transaction = server.trigger();
    let (request, answer) = crate::push::watch_once(
        &env,
        |request| serde_json::json!({"nonce": request["nonce"], "decision": "approve"}),
    );
    assert_eq!(request["serial"], serial.as_str());
    assert_eq!(answer["outcome"], "accepted", "{answer}");
    let finalized = server.check("", Some(&transaction));
    assert_eq!(
        finalized["result"]["authentication"], "ACCEPT",
        "{finalized}"
    );
}

/// privacyIDEA's `login_mode=privacyIDEA` without a challenge-response policy (the default):
/// the password alone is refused, and the right password and code sign in together. The
/// server is remembered, the way to sign in there too, and the sign-in is kept for the next
/// commands: "disable, then delete" needs one code, not two.
// The sign-in is kept in the kernel keyring: Linux only.
#[cfg(target_os = "linux")]
#[test]
fn login_mode_privacyidea_without_challenge_response_remembered_and_kept() {
    let server = pi::server();
    let env = Env::new();
    env.init_passphrase_vault();
    let pass = format!("{}\n", server.user_pass);
    // Signed in once with everything given; the next commands find it all in the vault.
    let listed = env
        .with_passphrase(
            &[
                "account",
                "tokens",
                "--json",
                "--server",
                &server.url,
                "--user",
                &server.user,
                "--realm",
                "testrealm",
            ],
            &pass,
        )
        .ok()
        .json();
    assert_eq!(listed, serde_json::json!([]));
    let run = env
        .with_passphrase(&["account", "backup-codes", "--count", "4"], "")
        .ok();
    let codes: Vec<String> = run.stdout.lines().map(str::to_owned).collect();
    assert_eq!(codes.len(), 4, "{run:#?}");
    let enrolled = env
        .with_passphrase(&["account", "enroll-totp", "--json"], "")
        .ok()
        .json();
    let totp = enrolled["serial"].as_str().unwrap().to_owned();

    // Without a vault to remember them, the server and user must be given.
    let bare = Env::new();
    let run = bare.run(&["account", "disable", &totp], &pass);
    assert!(run.fails(2, "no_server").stderr.contains("--server URL"));

    server.admin_post(
        &format!("/policy/login_mode_{}", server.user),
        &[
            ("scope", "webui"),
            ("realm", "testrealm"),
            ("user", &server.user),
            ("action", "login_mode=privacyIDEA"),
            ("active", "true"),
        ],
    );
    env.run(&["lock"], "").ok();
    // The password alone: refused, saying a code goes with it.
    let run = env
        .with_passphrase(&["account", "tokens", "--json"], &pass)
        .fails(1, "selfservice_bad_credentials");
    assert!(
        run.stderr.contains("one-time code") && run.stderr.contains("the line after it"),
        "{run:#?}"
    );
    // The password, then a code (a backup code here: a TOTP code is accepted once per 30 s).
    let listed = env
        .with_passphrase(
            &["account", "tokens", "--json"],
            &format!("{pass}{}\n", codes[0]),
        )
        .ok()
        .json();
    let tan = |listed: &serde_json::Value| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|token| token["type"] == "tan")
            .unwrap()
            .clone()
    };
    assert_eq!(tan(&listed)["remaining_codes"], 3, "{listed}");
    let failures = |listed: &serde_json::Value| -> Vec<u64> {
        let mut counts: Vec<_> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|token| token["failcount"].as_u64().unwrap())
            .collect();
        counts.sort_unstable();
        counts
    };
    let before = failures(&listed);

    // Learnt: the next sign-in sends the password and the code together, spending no failure
    // on the user's other tokens (a password sent alone counts one on the TOTP token).
    env.run(&["lock"], "").ok();
    let listed = env
        .with_passphrase(
            &["account", "tokens", "--json"],
            &format!("{pass}{}\n", codes[1]),
        )
        .ok()
        .json();
    assert_eq!(tan(&listed)["remaining_codes"], 2, "{listed}");
    assert_eq!(failures(&listed), before, "{listed}");

    // Kept: disable, then delete, with nothing more on standard input.
    env.with_passphrase(&["account", "disable", &totp], "").ok();
    env.with_passphrase(&["account", "delete", &totp, "--yes"], "")
        .ok();
    let listed = env
        .with_passphrase(&["account", "tokens", "--json"], "")
        .ok()
        .json();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|token| token["serial"] != totp.as_str()),
        "{listed}"
    );
    // `lock` drops the sign-in: the next command signs in again.
    env.run(&["lock"], "").ok();
    env.with_passphrase(&["account", "tokens", "--json"], "")
        .fails(2, "stdin_ended");
    for (args, stdout, stderr) in env.outputs() {
        assert!(
            !stdout.contains(&server.user_pass) && !stderr.contains(&server.user_pass),
            "{args}"
        );
    }
}

/// A TOTP token enrolled by the server (here by the admin) and added from the server's own
/// link (`serial=` in it) is listed as living here.
#[test]
fn an_account_added_from_the_servers_link_is_here() {
    let server = pi::server();
    let env = Env::new();
    env.init_passphrase_vault();
    let body = server.admin_post(
        "/token/init",
        &[
            ("type", "totp"),
            ("genkey", "1"),
            ("user", &server.user),
            ("realm", "testrealm"),
        ],
    );
    let link = body["detail"]["googleurl"]["value"].as_str().unwrap();
    let serial = body["detail"]["serial"].as_str().unwrap();
    assert!(link.contains(&format!("serial={serial}")), "{link}");
    env.with_passphrase(&["add", "--uri", "-"], &format!("{link}\n"))
        .ok();
    let id = env.with_passphrase(&["list", "--json"], "").ok().json()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let listed = env
        .with_passphrase(
            &[
                "account",
                "tokens",
                "--json",
                "--server",
                &server.url,
                "--user",
                &server.user,
            ],
            &format!("{}\n", server.user_pass),
        )
        .ok()
        .json();
    assert_eq!(listed[0]["serial"], serial, "{listed}");
    assert_eq!(listed[0]["here"], id.as_str(), "{listed}");
}
