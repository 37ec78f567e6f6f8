//! End to end against a real privacyIDEA 3.14 (started by `scripts/privacyidea/start.sh`).
//!
//! Each test plays the relying party for a user of its own, with a push token enrolled by
//! Tessera's own code, and checks the login outcome on the server.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod hostile;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use data_encoding::BASE64;
use tessera_push::answer::{NumberError, answer};
use tessera_push::pollers::{Changes, PollerSet, ServerEvent};
use tessera_push::protocol::{Decision, DeclineReason, Inbox, KeySize};
use tessera_push::store::ActivityDecision;
use tessera_push::transport::{ClientConfig, PollEvent, Poller, PollerMode, PushClient, Schedule};
use tessera_push::{Outcome, PushError, PushToken};
use tessera_testkit::pi::{Rp, transaction_of};
use tessera_testkit::proxy::Proxy;
use tessera_testkit::push::{client, enroll, poll_one};

fn link_of(detail: &serde_json::Value) -> String {
    detail["pushurl"]["value"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn enroll_from_link_approve_completes_the_login() {
    let rp = Rp::new().await;
    let client = client();
    // 4096 bits, as the app makes them.
    let started = Instant::now();
    let token = enroll(&client, &rp.push_link().await, KeySize::Rsa4096).await;
    eprintln!(
        "enroll with RSA-4096 keygen: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        !token.sslverify(),
        "the test server enrolls with sslverify=0"
    );
    assert_eq!(token.device_key().bits(), 4096);

    let transaction = transaction_of(&rp.trigger().await);
    assert_eq!(rp.status(&transaction).await, "pending");
    let request = poll_one(&client, &token)
        .await
        .verify(token.server_key())
        .unwrap();
    assert_eq!(request.title(), "CI test");
    assert_eq!(request.question(), "Log in from 127.0.0.1?");
    assert!(request.accepts_decline_reason());
    let started = Instant::now();
    let outcome = client
        .answer(&token, &request, &Decision::Approve { number: None })
        .await
        .unwrap();
    eprintln!("approve round trip: {} ms", started.elapsed().as_millis());
    assert!(outcome.accepted);
    assert_eq!(outcome.display_code, None);
    assert_eq!(rp.status(&transaction).await, "accept");
    let finalized = rp.finalize(&transaction, "").await;
    assert_eq!(
        finalized["result"]["authentication"], "ACCEPT",
        "{finalized}"
    );
    // Answering again is refused by the server (the challenge is used up).
    let again = client
        .answer(&token, &request, &Decision::Approve { number: None })
        .await
        .unwrap();
    assert!(!again.accepted);
}

#[tokio::test(flavor = "multi_thread")]
async fn enroll_from_the_qr_image_the_server_returns() {
    let rp = Rp::new().await;
    let detail = rp.init_push().await;
    let image = detail["pushurl"]["img"].as_str().unwrap();
    let png = BASE64
        .decode(
            image
                .strip_prefix("data:image/png;base64,")
                .unwrap()
                .as_bytes(),
        )
        .unwrap();
    let texts = tessera_qr::decode_image_bytes(&png).unwrap();
    assert_eq!(texts.len(), 1);
    // EXPOSE: the enrollment link is what the test enrolls with.
    let text = texts[0].expose_secret().to_owned();
    assert!(matches!(
        tessera_qr::classify(&text),
        Ok(tessera_qr::Payload::PushEnrollment)
    ));
    assert_eq!(text, link_of(&detail), "the QR code holds the link");
    let client = client();
    let token = enroll(&client, &text, KeySize::Rsa2048).await;
    let transaction = transaction_of(&rp.trigger().await);
    let request = poll_one(&client, &token)
        .await
        .verify(token.server_key())
        .unwrap();
    assert!(
        client
            .answer(&token, &request, &Decision::Approve { number: None })
            .await
            .unwrap()
            .accepted
    );
    assert_eq!(rp.finalize(&transaction, "").await["result"]["value"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn deny_fails_the_login_and_reasons_reach_the_server() {
    let rp = Rp::new().await;
    let client = client();
    let token = enroll(&client, &rp.push_link().await, KeySize::Rsa2048).await;
    for (reason, status) in [
        (None, "declined"),
        (Some(DeclineReason::UnknownTrigger), "declined"),
        (Some(DeclineReason::Cancelled), "cancelled"),
    ] {
        let transaction = transaction_of(&rp.trigger().await);
        let request = poll_one(&client, &token)
            .await
            .verify(token.server_key())
            .unwrap();
        let outcome = client
            .answer(&token, &request, &Decision::Decline { reason })
            .await
            .unwrap();
        assert!(outcome.accepted, "{reason:?}");
        assert_eq!(rp.status(&transaction).await, status, "{reason:?}");
        let finalized = rp.finalize(&transaction, "").await;
        assert_eq!(
            finalized["result"]["authentication"], "REJECT",
            "{finalized}"
        );
        assert_eq!(finalized["result"]["value"], false);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn number_matching_wrong_then_right() {
    let rp = Rp::new().await;
    rp.user_policy(
        "presence",
        "push_require_presence=1, push_presence_options=NUMERIC, push_presence_num_options=4",
    )
    .await;
    let client = client();
    let token = enroll(&client, &rp.push_link().await, KeySize::Rsa2048).await;
    let trigger = rp.trigger().await;
    let shown = trigger["detail"]["presence_answer"]
        .as_str()
        .unwrap()
        .to_owned();
    let transaction = transaction_of(&trigger);
    let request = poll_one(&client, &token)
        .await
        .verify(token.server_key())
        .unwrap();
    let options: Vec<String> = request
        .presence_options()
        .unwrap()
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(options.len(), 4);
    assert!(options.contains(&shown), "{options:?} lacks {shown}");
    // Not picking is refused locally, before anything is sent.
    assert!(matches!(
        client
            .answer(&token, &request, &Decision::Approve { number: None })
            .await,
        Err(PushError::AnswerMismatch)
    ));
    assert_eq!(
        answer(
            &client,
            &token,
            &request,
            &Decision::Approve { number: None }
        )
        .await,
        Err(NumberError::Missing)
    );
    let wrong = options
        .iter()
        .find(|option| **option != shown)
        .unwrap()
        .clone();
    let refused = answer(
        &client,
        &token,
        &request,
        &Decision::Approve {
            number: Some(wrong),
        },
    )
    .await
    .unwrap();
    assert_eq!(refused.outcome, Outcome::Refused, "a wrong pick is refused");
    assert!(refused.retry, "and the prompt stays open");
    assert_eq!(
        rp.status(&transaction).await,
        "pending",
        "and can be retried"
    );
    let accepted = answer(
        &client,
        &token,
        &request,
        &Decision::Approve {
            number: Some(shown),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (accepted.outcome, accepted.retry),
        (Outcome::Accepted, false)
    );
    assert_eq!(rp.status(&transaction).await, "accept");
    assert_eq!(rp.finalize(&transaction, "").await["result"]["value"], true);
}

/// A single look (`tessera push watch --once`) admits requests as a poller round does: a new
/// one once, then known while pending; a nonce handled in an earlier session is a replay,
/// reported once; one answered meanwhile and no longer listed is withdrawn.
#[tokio::test(flavor = "multi_thread")]
async fn a_single_poll_round_admits_like_the_poller() {
    let rp = Rp::new().await;
    let client = client();
    let token = enroll(&client, &rp.push_link().await, KeySize::Rsa2048).await;
    let tokens = [Arc::new(token)];
    let inbox = Mutex::new(Inbox::new());
    let round = client.poll_round(&tokens, &inbox).await;
    assert!(
        round.events.is_empty() && round.failure.is_none(),
        "{round:?}"
    );
    let transaction = transaction_of(&rp.trigger().await);
    let round = client.poll_round(&tokens, &inbox).await;
    let [PollEvent::Request { request, .. }] = round.events.as_slice() else {
        panic!("{round:?}");
    };
    let request = request.clone();
    assert!(client.poll_round(&tokens, &inbox).await.events.is_empty());

    let mut earlier = Inbox::new();
    earlier.remember(
        request.nonce(),
        SystemTime::now() - Duration::from_secs(3600),
    );
    let earlier = Mutex::new(earlier);
    let round = client.poll_round(&tokens, &earlier).await;
    assert!(
        matches!(
            round.events.as_slice(),
            [PollEvent::Dropped {
                error: PushError::Replay,
                ..
            }]
        ),
        "{round:?}"
    );
    assert!(client.poll_round(&tokens, &earlier).await.events.is_empty());

    let answered = answer(
        &client,
        &tokens[0],
        &request,
        &Decision::Decline {
            reason: Some(DeclineReason::UnknownTrigger),
        },
    )
    .await
    .unwrap();
    assert_eq!(answered.outcome, Outcome::Accepted);
    assert_eq!(
        answered.decision,
        ActivityDecision::Declined {
            reason: Some(DeclineReason::UnknownTrigger)
        }
    );
    assert_eq!(rp.status(&transaction).await, "declined");
    let round = client.poll_round(&tokens, &inbox).await;
    assert!(
        matches!(round.events.as_slice(), [PollEvent::Withdrawn { nonce, .. }] if *nonce == request.nonce()),
        "{round:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn code_to_phone_shows_the_code_that_completes_the_login() {
    let rp = Rp::new().await;
    rp.user_policy(
        "code",
        "push_code_to_phone=1, push_code_to_phone_message=Type this code on the login page",
    )
    .await;
    let client = client();
    let token = enroll(&client, &rp.push_link().await, KeySize::Rsa2048).await;
    let transaction = transaction_of(&rp.trigger().await);
    let request = poll_one(&client, &token)
        .await
        .verify(token.server_key())
        .unwrap();
    let answered = answer(
        &client,
        &token,
        &request,
        &Decision::Approve { number: None },
    )
    .await
    .unwrap();
    assert!(answered.accepted());
    let code = answered.display_code().expect("display_code").to_owned();
    assert!(
        !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    assert_eq!(
        answered.message.as_deref(),
        Some("Type this code on the login page")
    );
    let finalized = rp.finalize(&transaction, &code).await;
    assert_eq!(
        finalized["result"]["authentication"], "ACCEPT",
        "{finalized}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn skewed_local_clock_still_works() {
    let rp = Rp::new().await;
    // Ten minutes slow: privacyIDEA allows ±60 s, so the first poll is refused, the offset is
    // read from its Date header, and the retry is accepted.
    let clock = Arc::new(|| SystemTime::now() - Duration::from_secs(600));
    let client = PushClient::new(ClientConfig::with_clock(clock)).unwrap();
    let token = enroll(&client, &rp.push_link().await, KeySize::Rsa2048).await;
    let transaction = transaction_of(&rp.trigger().await);
    let request = poll_one(&client, &token)
        .await
        .verify(token.server_key())
        .unwrap();
    let offset = client.clock_offset().seconds();
    assert!((595..=605).contains(&offset), "offset {offset}");
    assert!(
        client
            .answer(&token, &request, &Decision::Approve { number: None })
            .await
            .unwrap()
            .accepted
    );
    assert_eq!(rp.finalize(&transaction, "").await["result"]["value"], true);

    // Without compensation the same clock is refused, and the error says so.
    let fast = Arc::new(|| SystemTime::now() + Duration::from_secs(3600));
    let unaware = PushClient::new(ClientConfig::with_clock(fast)).unwrap();
    unaware.set_clock_offset(tessera_push::ClockOffset::ZERO);
    let polled = unaware.poll(&token).await;
    assert!(polled.is_ok(), "compensated on the retry: {polled:?}");
    assert!((-3605..=-3595).contains(&unaware.clock_offset().seconds()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_challenge_altered_in_between_is_rejected() {
    let rp = Rp::new().await;
    let proxy = Proxy::start(&rp.server.url, |body| {
        // The attacker rewords the prompt; JSON stays valid, the signature does not.
        String::from_utf8_lossy(body)
            .replace("Log in from", "Approve payment from")
            .into_bytes()
    });
    let client = client();
    // The user's network path goes through the proxy: the registration URL points at it.
    let link = proxy.rewrite_link(&rp.push_link().await);
    let token = Arc::new(enroll(&client, &link, KeySize::Rsa2048).await);
    let transaction = transaction_of(&rp.trigger().await);
    let altered = poll_one(&client, &token).await;
    assert!(matches!(
        altered.verify(token.server_key()),
        Err(PushError::BadSignature)
    ));
    // Through the poller: dropped and reported, never delivered.
    let (poller, mut events) = Poller::spawn(
        client.clone(),
        vec![Arc::clone(&token)],
        Schedule::default(),
        PollerMode::Active,
    );
    let event = tokio::time::timeout(Duration::from_secs(20), events.recv())
        .await
        .unwrap()
        .unwrap();
    match event {
        PollEvent::Dropped {
            error: PushError::BadSignature,
            nonce,
            ..
        } => assert!(!nonce.is_empty()),
        other => panic!("expected a dropped request, got {other:?}"),
    }
    poller.stop();
    assert!(proxy.altered() > 0);
    assert_eq!(rp.status(&transaction).await, "pending");
}

#[tokio::test(flavor = "multi_thread")]
async fn poller_prompt_latency_and_withdrawal() {
    let rp = Rp::new().await;
    let client = client();
    let token = Arc::new(enroll(&client, &rp.push_link().await, KeySize::Rsa2048).await);
    let (poller, mut events) = Poller::spawn(
        client.clone(),
        vec![Arc::clone(&token)],
        Schedule::default(),
        PollerMode::Active,
    );
    let mut latencies = Vec::new();
    let mut round_trips = Vec::new();
    let polls_before = poller.polls_sent();
    let started = Instant::now();
    for round in 0..10u64 {
        // Sign-ins arrive independently of the poll phase: wait a spread-out 0-3 s first
        // (otherwise every trigger lands right after a poll, the worst case).
        tokio::time::sleep(Duration::from_millis(round * 3000 / 10 + 137)).await;
        let triggered = Instant::now();
        let transaction = transaction_of(&rp.trigger().await);
        let request = loop {
            match tokio::time::timeout(Duration::from_secs(20), events.recv())
                .await
                .unwrap()
                .unwrap()
            {
                PollEvent::Request { request, token_id } => {
                    assert_eq!(token_id, token.id());
                    break request;
                }
                PollEvent::Withdrawn { .. } => {}
                other => panic!("unexpected {other:?}"),
            }
        };
        latencies.push(triggered.elapsed());
        let answering = Instant::now();
        assert!(
            client
                .answer(&token, &request, &Decision::Approve { number: None })
                .await
                .unwrap()
                .accepted
        );
        round_trips.push(answering.elapsed());
        poller.answered(request.nonce(), SystemTime::now());
        assert_eq!(rp.finalize(&transaction, "").await["result"]["value"], true);
    }
    let minutes = started.elapsed().as_secs_f64() / 60.0;
    // n polls span n - 1 intervals: count intervals, or a short run over-reports the rate.
    let per_minute = (poller.polls_sent() - polls_before).saturating_sub(1) as f64 / minutes;
    eprintln!(
        "prompt latency over 10 sign-ins: p50 {} ms, p95 {} ms; approve round trip p50 {} ms, p95 {} ms; {per_minute:.1} polls/min active",
        percentile(&mut latencies, 0.5).as_millis(),
        percentile(&mut latencies, 0.95).as_millis(),
        percentile(&mut round_trips, 0.5).as_millis(),
        percentile(&mut round_trips, 0.95).as_millis(),
    );
    assert!(percentile(&mut latencies, 0.95) < Duration::from_secs(5));
    assert!(per_minute <= 21.0, "{per_minute} polls/min");

    // A request answered elsewhere (here: by a direct answer the poller was not told about)
    // is withdrawn from the prompt list.
    let transaction = transaction_of(&rp.trigger().await);
    let PollEvent::Request { request, .. } =
        tokio::time::timeout(Duration::from_secs(20), events.recv())
            .await
            .unwrap()
            .unwrap()
    else {
        panic!("expected a request");
    };
    assert!(
        client
            .answer(&token, &request, &Decision::Decline { reason: None })
            .await
            .unwrap()
            .accepted
    );
    poller.check_now();
    let event = tokio::time::timeout(Duration::from_secs(20), events.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(&event, PollEvent::Withdrawn { nonce, .. } if nonce == request.nonce()),
        "{event:?}"
    );
    assert_eq!(rp.status(&transaction).await, "declined");
    poller.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_deleted_on_the_server_is_noticed() {
    let rp = Rp::new().await;
    let client = client();
    let token: PushToken = enroll(&client, &rp.push_link().await, KeySize::Rsa2048).await;
    assert!(client.poll(&token).await.unwrap().requests.is_empty());
    rp.delete_token(token.serial()).await;
    assert!(matches!(
        client.poll(&token).await,
        Err(PushError::TokenUnknownToServer)
    ));
    // Enrolling twice with the same link is refused.
    let detail = rp.init_push().await;
    let link = link_of(&detail);
    let _ = enroll(&client, &link, KeySize::Rsa2048).await;
    let uri = tessera_push::EnrollmentUri::parse(&link)
        .unwrap()
        .allowing_unverified_tls(true);
    let key = tessera_push::transport::make_device_key(KeySize::Rsa2048)
        .await
        .unwrap();
    assert!(matches!(
        client.enroll(&uri, key).await,
        Err(PushError::EnrollmentNotPending)
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_poller_set_polls_each_server_once_and_follows_token_changes() {
    let rp = Rp::new().await;
    let client = client();
    let first = Arc::new(enroll(&client, &rp.push_link().await, KeySize::Rsa2048).await);
    let second = Arc::new(enroll(&client, &rp.push_link().await, KeySize::Rsa2048).await);
    let fast = Schedule::new(
        Duration::from_millis(500),
        Duration::from_secs(15),
        Duration::from_millis(250),
        Duration::from_secs(2),
    );
    let (mut set, mut events) = PollerSet::new(client.clone(), fast, PollerMode::Active);
    // Two tokens on one server: one poller.
    let changes = set.set_tokens(&[Arc::clone(&first), Arc::clone(&second)], &[]);
    assert_eq!(changes.started, [first.server()]);
    assert!(changes.stopped.is_empty());
    assert_eq!(set.servers().collect::<Vec<_>>(), [first.server()]);

    // A sign-in challenges both tokens of the user: both requests arrive, tagged with the
    // server that polled them.
    let _transaction = transaction_of(&rp.trigger().await);
    let mut requested = std::collections::BTreeSet::new();
    while requested.len() < 2 {
        let ServerEvent { server, event } =
            tokio::time::timeout(Duration::from_secs(20), events.recv())
                .await
                .unwrap()
                .unwrap();
        assert_eq!(server, first.server());
        if let PollEvent::Request { token_id, .. } = event {
            requested.insert(token_id);
        }
    }
    assert_eq!(requested, [first.id(), second.id()].into_iter().collect());

    // One token fewer on the same server: the same poller, nothing started or stopped.
    assert_eq!(
        set.set_tokens(&[Arc::clone(&first)], &[]),
        Changes::default()
    );
    // None left: stopped, and the event stream ends.
    let changes = set.set_tokens(&[], &[]);
    assert_eq!(changes.stopped, [first.server()]);
    assert!(set.is_empty());
    drop(set);
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while events.recv().await.is_some() {}
    })
    .await;
    assert!(
        ended.is_ok(),
        "the merged stream closes once its pollers are gone"
    );
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}
