//! The server goes down and comes back: the poller backs off exponentially, reports it, and
//! recovers by itself. Own test binary, so stopping the server disturbs no other test.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]
// Under Wine the server runs on the Linux side, which a Windows test cannot stop and restart.
#![cfg(not(windows))]

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tessera_push::protocol::{Decision, KeySize};
use tessera_push::transport::{PollEvent, Poller, PollerMode, Schedule};
use tessera_testkit::pi::{Rp, server, transaction_of};
use tessera_testkit::push::{client, enroll};

#[tokio::test(flavor = "multi_thread")]
async fn poller_backs_off_while_the_server_is_down_and_recovers() {
    let rp = Rp::new().await;
    // A server named by TESSERA_PI_DESCRIPTOR is not this process's to stop.
    if !tessera_testkit::real::needs(
        "stopping the server",
        server().work.is_some(),
        "a server of this process's own (TESSERA_PI_DESCRIPTOR names another's)",
    ) {
        return;
    }
    let client = client();
    let token = Arc::new(enroll(&client, &rp.push_link().await, KeySize::Rsa2048).await);
    let schedule = Schedule::new(
        Duration::from_millis(500),
        Duration::from_secs(15),
        Duration::from_millis(250),
        Duration::from_secs(2),
    );
    let (poller, mut events) = Poller::spawn(
        client.clone(),
        vec![Arc::clone(&token)],
        schedule,
        PollerMode::Active,
    );

    server().stop_keeping_data();
    let mut waits = Vec::new();
    let down_since = Instant::now();
    while waits.len() < 4 {
        match tokio::time::timeout(Duration::from_secs(20), events.recv())
            .await
            .unwrap()
            .unwrap()
        {
            PollEvent::ServerDown { error, retry_in } => {
                assert!(error.is_transient(), "{error:?}");
                waits.push(retry_in);
            }
            other => panic!("expected ServerDown, got {other:?}"),
        }
    }
    // 250 ms, 500 ms, 1 s, 2 s (+ up to 10 % jitter), capped at 2 s.
    for (wait, base) in waits.iter().zip([250u64, 500, 1000, 2000]) {
        let base = Duration::from_millis(base);
        assert!(
            *wait >= base && *wait <= base + base / 10 + Duration::from_millis(1),
            "{waits:?}"
        );
    }
    eprintln!(
        "back-off while down for {:.1} s: {waits:?}",
        down_since.elapsed().as_secs_f64()
    );

    let restarted = server().restart();
    assert_eq!(restarted.url, server().url, "restarted on the same port");
    poller.check_now();
    let up = Instant::now();
    loop {
        match tokio::time::timeout(Duration::from_secs(20), events.recv())
            .await
            .unwrap()
            .unwrap()
        {
            PollEvent::ServerUp => break,
            PollEvent::ServerDown { .. } => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    eprintln!(
        "recovered {} ms after the restart",
        up.elapsed().as_millis()
    );

    // And prompts flow again.
    let transaction = transaction_of(&rp.trigger().await);
    let request = match tokio::time::timeout(Duration::from_secs(20), events.recv())
        .await
        .unwrap()
        .unwrap()
    {
        PollEvent::Request { request, .. } => request,
        other => panic!("unexpected {other:?}"),
    };
    assert!(
        client
            .answer(&token, &request, &Decision::Approve { number: None })
            .await
            .unwrap()
            .accepted
    );
    poller.answered(request.nonce(), SystemTime::now());
    assert_eq!(rp.finalize(&transaction, "").await["result"]["value"], true);
    poller.stop();
}
