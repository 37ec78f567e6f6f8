//! The self-service commands end to end against a real privacyIDEA (started by
//! `scripts/privacyidea/start.sh` through `tessera_testkit::pi`, one server for this
//! binary), on the mock runtime: sign in, list, enroll TOTP into the vault and sign in at
//! `/validate/check` with the code the app shows, lost device (disable, delete), reset, resync
//! with codes Tessera computes, backup codes once, a second factor answered by Tessera, a
//! missing right refused, and signing out on lock.

use serde_json::{Value, json};

use super::*;

use tessera_testkit::pi;

fn block<T>(future: impl std::future::Future<Output = T>) -> T {
    tauri::async_runtime::block_on(future)
}

fn connect(h: &Harness, rp: &pi::Rp) -> Result<Value, Value> {
    h.call(
        "selfservice_connect",
        json!({
            "server": rp.server.url,
            "user": rp.user,
            "realm": rp.server.realm,
            "password": rp.server.user_pass,
            "verifyTls": true,
        }),
    )
}

fn factors(h: &Harness) -> Vec<Value> {
    h.ok("selfservice_factors", json!({}))
        .as_array()
        .unwrap()
        .clone()
}

fn factor(h: &Harness, serial: &str) -> Value {
    factors(h)
        .into_iter()
        .find(|factor| factor["serial"] == serial)
        .unwrap_or_else(|| panic!("{serial} not listed"))
}

/// The code the accounts list shows for `id`.
fn shown_code(h: &Harness, id: &str) -> String {
    let accounts = h.ok("list_accounts", json!({}));
    accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|account| account["id"] == id)
        .unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn accepted(rp: &pi::Rp, code: &str) -> bool {
    block(rp.accepts(code))
}

#[test]
fn sign_in_enroll_recover_and_backup_codes_against_a_real_server() {
    let rp = block(pi::Rp::new());
    let h = harness();
    h.created();
    assert_eq!(
        h.ok("selfservice_status", json!({})),
        json!({"session": null, "last": null})
    );
    assert_eq!(
        h.err("selfservice_factors", json!({}))["code"],
        "selfservice_signed_out"
    );
    let wrong = h.err(
        "selfservice_connect",
        json!({"server": rp.server.url, "user": rp.user, "realm": rp.server.realm,
               "password": "wrong", "verifyTls": true}),
    );
    assert_eq!(wrong["code"], "selfservice_bad_credentials");
    let insecure = h.err(
        "selfservice_connect",
        json!({"server": "http://pi.example.com", "user": rp.user, "password": "x",
               "verifyTls": true}),
    );
    assert_eq!(insecure["code"], "selfservice_insecure_server_url");

    let step = connect(&h, &rp).unwrap();
    assert_eq!(step["step"], "signedIn", "{step}");
    assert_eq!(step["session"]["user"], rp.user.as_str());
    assert_eq!(step["session"]["verifyTls"], true);
    let rights = step["session"]["rights"].as_array().unwrap();
    for right in [
        "enrollTOTP",
        "delete",
        "disable",
        "reset",
        "resync",
        "enrollTAN",
    ] {
        assert!(rights.iter().any(|r| r == right), "{right}: {step}");
    }
    // The session is open, and the server is remembered for next time (no password).
    let status = h.ok("selfservice_status", json!({}));
    assert_eq!(status["session"], step["session"]);
    assert_eq!(
        status["last"],
        json!({"server": format!("{}/", rp.server.url), "user": rp.user,
               "realm": rp.server.realm, "verifyTls": true, "codeWithPassword": false})
    );
    assert!(factors(&h).is_empty());

    // Enroll TOTP here: the webview gets a serial and an account id, never the secret; the
    // code the accounts list shows signs in.
    let enrolled = h.ok("selfservice_enroll", json!({"kind": "totp"}));
    let text = enrolled.to_string();
    assert!(
        !text.contains("secret") && !text.contains("otpauth"),
        "{text}"
    );
    let serial = enrolled["serial"].as_str().unwrap().to_owned();
    let id = enrolled["accountId"].as_str().unwrap().to_owned();
    let listed = factor(&h, &serial);
    assert_eq!(listed["kind"], "totp");
    assert_eq!(listed["status"], "active");
    assert_eq!(listed["here"], "account");
    assert_eq!(listed["accountId"], id.as_str());
    assert!(accepted(&rp, &shown_code(&h, &id)));

    // An HOTP token too ("my codes are rejected"): its counter runs ahead of the server's
    // window, and a resync with two codes Tessera computes brings it back.
    let hotp = h.ok("selfservice_enroll", json!({"kind": "hotp"}));
    let hotp_serial = hotp["serial"].as_str().unwrap().to_owned();
    let hotp_id = hotp["accountId"].as_str().unwrap().to_owned();
    for _ in 0..12 {
        h.ok("next_hotp_code", json!({"id": hotp_id}));
    }
    assert!(!accepted(&rp, &shown_code(&h, &hotp_id)));
    h.ok(
        "selfservice_resync",
        json!({"serial": hotp_serial, "codes": {"method": "tessera"}}),
    );
    assert!(accepted(&rp, &shown_code(&h, &hotp_id)));
    let refused = h.err(
        "selfservice_resync",
        json!({"serial": hotp_serial,
               "codes": {"method": "typed", "first": "000000", "second": "111111"}}),
    );
    assert_eq!(refused["code"], "selfservice_resync_failed");

    // "My token is locked": failures up to the limit, then reset.
    let maxfail = listed["maxfail"].as_u64().unwrap();
    for _ in 0..maxfail {
        accepted(&rp, "000000");
    }
    let locked = factor(&h, &serial);
    assert_eq!(locked["status"], "locked", "{locked}");
    h.ok(
        "selfservice_token_action",
        json!({"serial": serial, "action": "reset"}),
    );
    assert_eq!(factor(&h, &serial)["failcount"], 0);
    // The failed sign-ins counted against every token of the user: unlock the HOTP one too.
    h.ok(
        "selfservice_token_action",
        json!({"serial": hotp_serial, "action": "reset"}),
    );

    // "I lost my device": disable (the code no longer signs in), then delete.
    h.ok(
        "selfservice_token_action",
        json!({"serial": serial, "action": "disable"}),
    );
    assert_eq!(factor(&h, &serial)["status"], "disabled");
    assert!(!accepted(&rp, &shown_code(&h, &id)));
    h.ok(
        "selfservice_token_action",
        json!({"serial": serial, "action": "delete"}),
    );
    assert!(factors(&h).iter().all(|f| f["serial"] != serial.as_str()));
    let gone = h.err(
        "selfservice_token_action",
        json!({"serial": serial, "action": "enable"}),
    );
    assert_eq!(gone["code"], "selfservice_token_not_found");

    // Backup codes: shown once, each signs in once.
    let codes = h.ok("selfservice_backup_codes", json!({"count": 3}));
    let codes: Vec<String> = codes["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|code| code.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 3);
    assert!(accepted(&rp, &codes[0]));
    assert!(!accepted(&rp, &codes[0]));

    // Locking signs out: the session is gone, and stays gone after unlocking.
    h.ok("lock_vault", json!({}));
    h.ok(
        "unlock_vault",
        json!({"how": {"method": "keychain", "interactive": true}}),
    );
    let status = h.ok("selfservice_status", json!({}));
    assert_eq!(status["session"], Value::Null);
    assert_eq!(status["last"]["user"], rp.user.as_str());
    assert_eq!(
        h.err("selfservice_factors", json!({}))["code"],
        "selfservice_signed_out"
    );

    // login_mode=privacyIDEA: the password opens a second step, which Tessera answers with the
    // HOTP account it holds.
    block(rp.webui_policy("login_mode", "login_mode=privacyIDEA"));
    block(rp.user_policy("challenge_response", "challenge_response=hotp tan"));
    let step = connect(&h, &rp).unwrap();
    assert_eq!(step["step"], "secondFactor", "{step}");
    let here: Vec<&Value> = step["challenges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|challenge| challenge["here"] == true)
        .collect();
    assert_eq!(here.len(), 1, "{step}");
    assert_eq!(here[0]["serial"], hotp_serial.as_str());
    let wrong = h.err(
        "selfservice_answer",
        json!({"answer": {"method": "code", "code": "000000"}}),
    );
    assert_eq!(wrong["code"], "selfservice_bad_credentials");
    let step = connect(&h, &rp).unwrap();
    assert_eq!(step["step"], "secondFactor");
    let done = h.ok(
        "selfservice_answer",
        json!({"answer": {"method": "tessera", "serial": hotp_serial}}),
    );
    assert_eq!(done["step"], "signedIn", "{done}");
    // And with a backup code typed.
    let step = connect(&h, &rp).unwrap();
    assert_eq!(step["step"], "secondFactor");
    let done = h.ok(
        "selfservice_answer",
        json!({"answer": {"method": "code", "code": codes[1]}}),
    );
    assert_eq!(done["step"], "signedIn", "{done}");
    // Auto-lock after the idle delay (300 s by default) signs out as well.
    assert_ne!(
        h.ok("selfservice_status", json!({}))["session"],
        Value::Null
    );
    let idle = crate::clock::Moment::now().awake(std::time::Duration::from_secs(301));
    assert_eq!(h.state().tick(idle), Some(BackendEvent::VaultLocked));
    h.ok(
        "unlock_vault",
        json!({"how": {"method": "keychain", "interactive": true}}),
    );
    assert_eq!(
        h.ok("selfservice_status", json!({}))["session"],
        Value::Null
    );
    let step = connect(&h, &rp).unwrap();
    assert_eq!(step["step"], "secondFactor");
    h.ok("selfservice_sign_out", json!({}));
    assert_eq!(
        h.err(
            "selfservice_answer",
            json!({"answer": {"method": "code", "code": "1"}})
        )["code"],
        "selfservice_no_second_step"
    );
}

/// A realm of its own over the same users whose user policy grants only TOTP enrollment:
/// the session lists just that right, and the rest is refused with `selfservice_not_allowed`
/// in plain words, before anything is sent.
#[test]
fn a_missing_right_is_refused_in_plain_words() {
    let rp = block(pi::Rp::new());
    let h = harness();
    h.created();
    block(rp.admin_post("/realm/app_limited", &[("resolvers", "flatusers")]));
    block(rp.admin_post(
        "/policy/app_limited_user",
        &[
            ("scope", "user"),
            ("realm", "app_limited"),
            ("action", "enrollTOTP"),
            ("active", "true"),
        ],
    ));
    let step = h.ok(
        "selfservice_connect",
        json!({"server": rp.server.url, "user": rp.user, "realm": "app_limited",
               "password": rp.server.user_pass, "verifyTls": true}),
    );
    assert_eq!(step["session"]["rights"], json!(["enrollTOTP"]), "{step}");
    let refused = h.err("selfservice_backup_codes", json!({"count": 3}));
    assert_eq!(refused["code"], "selfservice_not_allowed");
    assert_eq!(
        refused["message"],
        "your organisation does not allow you to create backup codes (missing right `enrollTAN`)"
    );
    let refused = h.err(
        "selfservice_token_action",
        json!({"serial": "TOTP0001", "action": "delete"}),
    );
    assert_eq!(refused["code"], "selfservice_not_allowed");
}

/// Push end to end through the commands: a push token enrolled into the vault (the push
/// service then polls it), then `login_mode=privacyIDEA` completed by approving the push
/// request, as the user would on another Tessera or on the app's own prompt.
#[test]
fn enroll_push_then_sign_in_with_a_push_approval() {
    let rp = block(pi::Rp::new());
    let h = harness();
    h.created();
    assert_eq!(connect(&h, &rp).unwrap()["step"], "signedIn");
    let enrolled = h.ok("selfservice_enroll", json!({"kind": "push"}));
    assert_eq!(enrolled["accountId"], Value::Null);
    let serial = enrolled["serial"].as_str().unwrap().to_owned();
    assert!(serial.starts_with("PIPU"), "{enrolled}");
    assert_eq!(factor(&h, &serial)["here"], "push");
    let listed = h.ok("list_push_tokens", json!({}));
    assert_eq!(listed[0]["serial"], serial.as_str(), "{listed}");

    block(rp.webui_policy("login_mode", "login_mode=privacyIDEA"));
    let step = connect(&h, &rp).unwrap();
    assert_eq!(step["step"], "secondFactor", "{step}");
    assert_eq!(step["push"], true, "{step}");

    // The "phone": the stored token answers the request while the command waits.
    // It went to the push key store beside the vault, not into the vault.
    let store_path = tessera_push::sealed::PushStore::path_beside(&h.path);
    let mut tokens = h
        .state()
        .with_unlocked(|vault| {
            assert!(
                vault
                    .data()
                    .section(tessera_push::store::PUSH_SECTION)
                    .is_none()
            );
            let store = tessera_push::sealed::PushStore::open_from_vault(
                vault,
                None,
                tessera_core::UnixTime(1),
            )
            .unwrap();
            assert_eq!(store.path(), store_path);
            Ok(tessera_push::store::load_tokens(store.data()).unwrap())
        })
        .unwrap();
    let token = tokens.pop().unwrap();
    let phone = std::thread::spawn(move || {
        block(async {
            let client = tessera_testkit::push::client();
            let request = tessera_testkit::push::poll_one(&client, &token)
                .await
                .verify(token.server_key())
                .unwrap();
            client
                .answer(
                    &token,
                    &request,
                    &tessera_push::Decision::Approve { number: None },
                )
                .await
                .unwrap();
        });
    });
    let started = std::time::Instant::now();
    let done = h.ok("selfservice_answer", json!({"answer": {"method": "push"}}));
    phone.join().unwrap();
    assert_eq!(done["step"], "signedIn", "{done}");
    eprintln!(
        "push-approved sign-in through the command: {} ms",
        started.elapsed().as_millis()
    );
}

/// privacyIDEA's `login_mode=privacyIDEA` without a challenge-response policy (its default):
/// the password alone is refused, and the app asks for the one-time code to send with it (as
/// the CLI does) instead of calling the right password wrong.
#[test]
fn a_server_that_takes_the_password_with_a_code_is_asked_for_both() {
    let rp = block(pi::Rp::new());
    let h = harness();
    h.created();
    connect(&h, &rp).unwrap();
    let enrolled = h.ok("selfservice_enroll", json!({"kind": "totp"}));
    let account = enrolled["accountId"].as_str().unwrap().to_owned();
    h.ok("selfservice_sign_out", json!({}));

    block(rp.webui_policy("login_mode", "login_mode=privacyIDEA"));
    let asked = connect(&h, &rp).unwrap_err();
    assert_eq!(asked["code"], "selfservice_code_with_password", "{asked}");
    let with_code = |password: &str, code: &str| {
        h.call(
            "selfservice_connect",
            json!({"server": rp.server.url, "user": rp.user, "realm": rp.server.realm,
                   "password": password, "code": code, "verifyTls": true}),
        )
    };
    // A wrong code with the right password is wrong, not a request for a code.
    let wrong = with_code(&rp.server.user_pass, "000000").unwrap_err();
    assert_eq!(wrong["code"], "selfservice_bad_credentials", "{wrong}");
    let step = with_code(&rp.server.user_pass, &shown_code(&h, &account)).unwrap();
    assert_eq!(step["step"], "signedIn", "{step}");
    assert_eq!(step["session"]["user"], rp.user.as_str());
    // Remembered, so the form asks for both up front next time.
    let status = h.ok("selfservice_status", json!({}));
    assert_eq!(status["last"]["codeWithPassword"], true, "{status}");
}
