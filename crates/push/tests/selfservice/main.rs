//! Self-service end to end against a real privacyIDEA 3.14 (started by
//! `scripts/privacyidea/start.sh`, one server for this binary).
//!
//! Each test signs in as a user of its own with Tessera's [`Session`], and checks the outcome
//! the way a relying party would: `/validate/check` with the password and the code Tessera
//! generates. Policies a test needs beyond the defaults (`login_mode=privacyIDEA`, a realm with
//! fewer rights) are set for that test's user or realm only.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod hostile;

use std::time::{Duration, Instant, SystemTime};

use tessera_core::keystore::MemoryKeyStore;
use tessera_core::otp::generate;
use tessera_core::vault::{Protection, Unlock, Vault, VaultError};
use tessera_core::{Account, Otp, UnixTime};
use tessera_push::protocol::{Decision, KeySize};
use tessera_push::selfservice::{
    Here, Password, Right, SecondFactor, SelfServiceError, Server, Session, SignIn, TokenInfo,
    TokenStatus, mark_here, save_enrolled,
};
use tessera_push::store::{load_tokens, save_token};
use tessera_testkit::pi::{Rp, transaction_of};
use tessera_testkit::push::{client, poll_one};

fn now() -> UnixTime {
    UnixTime(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
}

fn server_of(rp: &Rp) -> Server {
    Server::parse(&rp.server.url).unwrap()
}

fn password(rp: &Rp) -> Password {
    Password::new(rp.server.user_pass.clone())
}

async fn sign_in(rp: &Rp) -> Session {
    match Session::sign_in(
        &client(),
        &server_of(rp),
        &rp.user,
        Some(rp.server.realm.as_str()),
        &password(rp),
    )
    .await
    .unwrap()
    {
        SignIn::Done(session) => session,
        SignIn::SecondFactor(step) => panic!("unexpected second factor: {step:?}"),
    }
}

fn code_of(account: &Account) -> String {
    generate(&account.secret, &account.otp, now())
        .as_str()
        .to_owned()
}

fn hotp_at(account: &Account, counter: u64) -> String {
    let Otp::Hotp {
        algorithm, digits, ..
    } = account.otp
    else {
        panic!("not HOTP")
    };
    let otp = Otp::Hotp {
        algorithm,
        digits,
        counter,
    };
    generate(&account.secret, &otp, now()).as_str().to_owned()
}

fn find<'a>(tokens: &'a [TokenInfo], serial: &str) -> &'a TokenInfo {
    tokens
        .iter()
        .find(|token| token.serial == serial)
        .unwrap_or_else(|| panic!("{serial} not listed"))
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_list_and_enroll_totp_into_the_vault_then_validate() {
    let rp = Rp::new().await;
    let started = Instant::now();
    let session = sign_in(&rp).await;
    eprintln!("sign in: {} ms", started.elapsed().as_millis());
    assert_eq!(session.user(), rp.user);
    assert_eq!(session.realm(), rp.server.realm);
    for right in [
        Right::EnrollTotp,
        Right::EnrollHotp,
        Right::EnrollPush,
        Right::EnrollTan,
        Right::Delete,
        Right::Disable,
        Right::Enable,
        Right::Reset,
        Right::Resync,
    ] {
        assert!(session.rights().allows(right), "{right}");
    }
    assert!(session.list_tokens().await.unwrap().is_empty());
    // Debug shows who, never the session token.
    let debug = format!("{session:?}");
    assert!(
        debug.contains(&rp.user) && !debug.contains("eyJ"),
        "{debug}"
    );

    // A vault on a temp dir, unlocked by a memory keychain.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let keychain = MemoryKeyStore::new();
    let protection = Protection {
        keychain: Some(&keychain),
        passphrase: None,
    };
    let (mut vault, _recovery) = Vault::create(&path, protection, now()).unwrap();

    let started = Instant::now();
    let enrolled = session
        .enroll_totp_here(Some("Tessera test"), now())
        .await
        .unwrap();
    eprintln!("enroll TOTP here: {} ms", started.elapsed().as_millis());
    assert!(enrolled.serial.starts_with("TOTP"), "{}", enrolled.serial);
    assert!(!format!("{enrolled:?}").contains("secret: OtpSecret([")); // only its length
    let serial = enrolled.serial.clone();
    let server = session.server().clone();
    let id = vault
        .update(|data| Ok::<_, VaultError>(save_enrolled(data, &server, &serial, enrolled.account)))
        .unwrap();
    drop(vault);

    // Reopen: the account (and its link) were saved encrypted.
    let vault = Vault::open(&path, Unlock::Keychain(&keychain)).unwrap();
    let account = vault.data().account(id).unwrap();
    assert!(matches!(account.otp, Otp::Totp { .. }));

    let mut tokens = session.list_tokens().await.unwrap();
    mark_here(&mut tokens, session.server(), vault.data(), None);
    let token = find(&tokens, &serial);
    assert_eq!(token.kind, "totp");
    assert_eq!(token.description, "Tessera test");
    assert_eq!(token.status(), TokenStatus::Active);
    assert_eq!(token.here, Some(Here::Account(id)));

    let started = Instant::now();
    assert!(
        rp.accepts(&code_of(account)).await,
        "the code Tessera generates is accepted"
    );
    eprintln!("validate/check: {} ms", started.elapsed().as_millis());
    let tokens = session.list_tokens().await.unwrap();
    assert!(
        find(&tokens, &serial).last_used.is_some(),
        "last use is reported"
    );

    // Wrong password: a typed refusal.
    let wrong = Session::sign_in(
        &client(),
        &server_of(&rp),
        &rp.user,
        None,
        &Password::new("wrong".into()),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(wrong, SelfServiceError::BadCredentials { .. }),
        "{wrong:?}"
    );
    session.sign_out();
}

#[tokio::test(flavor = "multi_thread")]
async fn enroll_hotp_here_and_resync_after_the_counter_ran_ahead() {
    let rp = Rp::new().await;
    let session = sign_in(&rp).await;
    let enrolled = session.enroll_hotp_here(None, now()).await.unwrap();
    assert!(enrolled.serial.starts_with("OATH"), "{}", enrolled.serial);
    let account = enrolled.account;
    // privacyIDEA's link says `counter=1` (its server count starts at 0, inside the window).
    assert!(matches!(account.otp, Otp::Hotp { counter: 1, .. }));
    assert!(
        rp.accepts(&code_of(&account)).await,
        "the code Tessera shows"
    );

    // The device ran 30 codes ahead: beyond the server's window of 10.
    assert!(!rp.accepts(&hotp_at(&account, 30)).await);
    let refused = session
        .resync(&enrolled.serial, "000000", "111111")
        .await
        .unwrap_err();
    assert!(
        matches!(refused, SelfServiceError::ResyncFailed),
        "{refused:?}"
    );
    session
        .resync(
            &enrolled.serial,
            &hotp_at(&account, 31),
            &hotp_at(&account, 32),
        )
        .await
        .unwrap();
    assert!(rp.accepts(&hotp_at(&account, 33)).await, "in sync again");
}

#[tokio::test(flavor = "multi_thread")]
async fn enroll_push_here_and_approve_a_sign_in() {
    let rp = Rp::new().await;
    let session = sign_in(&rp).await;
    let started = Instant::now();
    let token = session
        .enroll_push_here(Some("Tessera push"), KeySize::Rsa2048, false)
        .await
        .unwrap();
    eprintln!(
        "enroll push here (RSA-2048): {} ms",
        started.elapsed().as_millis()
    );
    // The push key store's content (crate::sealed), beside an empty vault's.
    let vault_data = tessera_core::vault::VaultData::new(now());
    let mut data = tessera_core::vault::VaultData::new(now());
    save_token(&mut data, &token).unwrap();
    assert_eq!(load_tokens(&data).unwrap().len(), 1);
    let mut tokens = session.list_tokens().await.unwrap();
    mark_here(&mut tokens, session.server(), &vault_data, Some(&data));
    let listed = find(&tokens, token.serial());
    assert_eq!(listed.kind, "push");
    assert_eq!(listed.status(), TokenStatus::Active);
    assert_eq!(listed.here, Some(Here::Push(token.id())));

    let push = client();
    let trigger = rp.trigger().await;
    let transaction = transaction_of(&trigger);
    let request = poll_one(&push, &token)
        .await
        .verify(token.server_key())
        .unwrap();
    assert!(
        push.answer(&token, &request, &Decision::Approve { number: None })
            .await
            .unwrap()
            .accepted
    );
    assert_eq!(
        rp.finalize(&transaction, "").await["result"]["authentication"],
        "ACCEPT"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn lost_device_disable_delete_and_sign_in_with_the_replacement() {
    let rp = Rp::new().await;
    let session = sign_in(&rp).await;
    let lost = session
        .enroll_totp_here(Some("old phone"), now())
        .await
        .unwrap();
    // The lost phone: disabled first, so its codes stop working at once.
    session.disable(&lost.serial).await.unwrap();
    let tokens = session.list_tokens().await.unwrap();
    assert_eq!(find(&tokens, &lost.serial).status(), TokenStatus::Disabled);
    assert!(!rp.accepts(&code_of(&lost.account)).await);
    session.enable(&lost.serial).await.unwrap();
    assert_eq!(
        find(&session.list_tokens().await.unwrap(), &lost.serial).status(),
        TokenStatus::Active
    );
    // Then deleted for good, and replaced here.
    session.delete(&lost.serial).await.unwrap();
    assert!(
        session
            .list_tokens()
            .await
            .unwrap()
            .iter()
            .all(|token| token.serial != lost.serial)
    );
    let again = session.delete(&lost.serial).await.unwrap_err();
    assert!(
        matches!(again, SelfServiceError::TokenNotFound),
        "{again:?}"
    );
    let replacement = session
        .enroll_totp_here(Some("Tessera"), now())
        .await
        .unwrap();
    assert!(
        !rp.accepts(&code_of(&lost.account)).await,
        "the lost token is gone"
    );
    assert!(rp.accepts(&code_of(&replacement.account)).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn locked_token_is_reset_and_works_again() {
    let rp = Rp::new().await;
    let session = sign_in(&rp).await;
    let enrolled = session.enroll_hotp_here(None, now()).await.unwrap();
    // Three failures lock it (the admin's maxfail for this token).
    rp.admin_post(
        "/token/set",
        &[("serial", &enrolled.serial), ("max_failcount", "3")],
    )
    .await;
    for _ in 0..3 {
        assert!(!rp.accepts("000000").await);
    }
    let tokens = session.list_tokens().await.unwrap();
    let token = find(&tokens, &enrolled.serial);
    assert_eq!((token.failcount, token.maxfail), (3, 3));
    assert_eq!(token.status(), TokenStatus::Locked);
    assert!(
        !rp.accepts(&hotp_at(&enrolled.account, 0)).await,
        "a locked token refuses even the right code"
    );

    session.reset_failcounter(&enrolled.serial).await.unwrap();
    let tokens = session.list_tokens().await.unwrap();
    assert_eq!(find(&tokens, &enrolled.serial).failcount, 0);
    assert_eq!(
        find(&tokens, &enrolled.serial).status(),
        TokenStatus::Active
    );
    assert!(rp.accepts(&hotp_at(&enrolled.account, 1)).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn backup_codes_each_work_once() {
    let rp = Rp::new().await;
    let session = sign_in(&rp).await;
    let codes = session
        .create_backup_codes(5, Some("backup codes"))
        .await
        .unwrap();
    assert_eq!(codes.len(), 5);
    assert!(codes.serial().starts_with("PITN"));
    let texts: Vec<String> = codes.expose_codes().map(str::to_owned).collect();
    let debug = format!("{codes:?}");
    assert!(
        texts.iter().all(|code| !debug.contains(code.as_str())),
        "{debug}"
    );
    assert_eq!(
        find(&session.list_tokens().await.unwrap(), codes.serial()).remaining_codes,
        Some(5)
    );
    // Any order, each once.
    for code in [&texts[3], &texts[0]] {
        assert!(rp.accepts(code).await);
        assert!(!rp.accepts(code).await, "a backup code works only once");
    }
    let tokens = session.list_tokens().await.unwrap();
    let listed = find(&tokens, codes.serial());
    assert_eq!(listed.kind, "tan");
    assert_eq!(listed.remaining_codes, Some(3));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_right_is_refused_with_a_typed_error() {
    let rp = Rp::new().await;
    // A realm of its own over the same users, whose user policy grants less.
    rp.admin_post("/realm/limited", &[("resolvers", "flatusers")])
        .await;
    let policy = |actions: &'static str| {
        [
            ("scope", "user"),
            ("realm", "limited"),
            ("action", actions),
            ("active", "true"),
        ]
    };
    rp.admin_post(
        "/policy/limited_user",
        &policy("enrollTOTP, enrollTAN, delete"),
    )
    .await;
    let SignIn::Done(session) = Session::sign_in(
        &client(),
        &server_of(&rp),
        &rp.user,
        Some("limited"),
        &password(&rp),
    )
    .await
    .unwrap() else {
        panic!("no second factor in this realm")
    };
    assert_eq!(
        session.rights().granted(),
        [Right::Delete, Right::EnrollTan, Right::EnrollTotp]
    );
    // Refused before asking: the rights do not offer it.
    let error = session.enroll_hotp_here(None, now()).await.unwrap_err();
    assert!(
        matches!(error, SelfServiceError::NotAllowed(Right::EnrollHotp)),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "your organisation does not allow you to add HOTP tokens (missing right `enrollHOTP`)"
    );
    let error = session.reset_failcounter("X").await.unwrap_err();
    assert!(matches!(error, SelfServiceError::NotAllowed(Right::Reset)));

    // Refused by the server: the right was withdrawn after sign-in.
    rp.admin_post("/policy/limited_user", &policy("enrollTOTP, delete"))
        .await;
    let error = session.create_backup_codes(3, None).await.unwrap_err();
    assert!(
        matches!(error, SelfServiceError::NotAllowed(Right::EnrollTan)),
        "{error:?}"
    );
    assert_eq!(error.code(), "selfservice_not_allowed");
}

/// Turns on `login_mode=privacyIDEA` for this user, with challenge-response for OTP and TAN
/// tokens so the password alone opens the second step.
async fn require_second_factor(rp: &Rp) {
    rp.webui_policy("login_mode", "login_mode=privacyIDEA")
        .await;
    rp.user_policy("challenge_response", "challenge_response=totp hotp tan")
        .await;
}

async fn second_step(rp: &Rp) -> SecondFactor {
    match Session::sign_in(
        &client(),
        &server_of(rp),
        &rp.user,
        Some(rp.server.realm.as_str()),
        &password(rp),
    )
    .await
    .unwrap()
    {
        SignIn::SecondFactor(step) => step,
        SignIn::Done(_) => panic!("signed in without a second factor"),
    }
}

fn done(sign_in: SignIn) -> Session {
    match sign_in {
        SignIn::Done(session) => session,
        SignIn::SecondFactor(step) => panic!("another step: {step:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn login_mode_privacyidea_with_a_code_a_backup_code_and_a_push_approval() {
    let rp = Rp::new().await;
    let session = sign_in(&rp).await;
    let totp = session.enroll_totp_here(None, now()).await.unwrap();
    let codes = session.create_backup_codes(3, None).await.unwrap();
    let backup: Vec<String> = codes.expose_codes().map(str::to_owned).collect();
    drop(codes);
    let push_token = session
        .enroll_push_here(None, KeySize::Rsa2048, false)
        .await
        .unwrap();
    session.sign_out();
    require_second_factor(&rp).await;

    // 1. A TOTP code from Tessera (a wrong one first: refused, and the step stays open).
    let step = second_step(&rp).await;
    let mut kinds: Vec<&str> = step.challenges().iter().map(|c| c.kind.as_str()).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["push", "tan", "totp"]);
    assert!(step.has_push());
    let wrong = step.answer_code("000000").await.unwrap_err();
    assert!(
        matches!(wrong, SelfServiceError::BadCredentials { .. }),
        "{wrong:?}"
    );
    let session = done(step.answer_code(&code_of(&totp.account)).await.unwrap());
    assert!(session.rights().allows(Right::Delete));
    assert_eq!(session.list_tokens().await.unwrap().len(), 3);

    // 2. A backup code as the second step, and one in a single step after the password.
    let step = second_step(&rp).await;
    done(step.answer_code(&backup[1]).await.unwrap());
    let one_step = Session::sign_in_with_code(
        &client(),
        &server_of(&rp),
        &rp.user,
        Some(rp.server.realm.as_str()),
        &password(&rp),
        &backup[2],
    )
    .await
    .unwrap();
    done(one_step);
    let used = second_step(&rp)
        .await
        .answer_code(&backup[1])
        .await
        .unwrap_err();
    assert!(
        matches!(used, SelfServiceError::BadCredentials { .. }),
        "used once only"
    );

    // 3. A push approval from Tessera's own push token.
    let step = second_step(&rp).await;
    let push = client();
    let started = Instant::now();
    let request = poll_one(&push, &push_token)
        .await
        .verify(push_token.server_key())
        .unwrap();
    assert!(
        push.answer(&push_token, &request, &Decision::Approve { number: None })
            .await
            .unwrap()
            .accepted
    );
    let session = done(step.wait_for_push(Duration::from_secs(30)).await.unwrap());
    eprintln!(
        "push-approved sign-in (poll, approve, finish): {} ms",
        started.elapsed().as_millis()
    );
    assert_eq!(session.user(), rp.user);

    // 4. Declined on the push token: a typed error.
    let step = second_step(&rp).await;
    let request = poll_one(&push, &push_token)
        .await
        .verify(push_token.server_key())
        .unwrap();
    push.answer(&push_token, &request, &Decision::Decline { reason: None })
        .await
        .unwrap();
    let declined = step
        .wait_for_push(Duration::from_secs(30))
        .await
        .unwrap_err();
    assert!(
        matches!(declined, SelfServiceError::Declined),
        "{declined:?}"
    );
}
