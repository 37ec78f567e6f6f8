//! Servers that misbehave at `/auth` (local sockets: no privacyIDEA does this on purpose).
//! Every case ends in a typed error within the configured time: no hang, no panic, no redirect
//! followed with the password.

use std::time::{Duration, Instant};

use tessera_push::selfservice::{Password, SelfServiceError, Server, Session};
use tessera_push::transport::{ClientConfig, PushClient};
use tessera_testkit::hostile::{Behaviour, ok_json, serve};
use tokio::net::TcpListener;

async fn hostile(behaviour: Behaviour) -> Server {
    Server::parse(&format!("http://{}", serve(behaviour).await)).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_sign_in_answers_end_in_typed_errors_within_the_timeout() {
    let mut config = ClientConfig::default();
    config.timeout = Duration::from_secs(3);
    config.connect_timeout = Duration::from_secs(2);
    let client = PushClient::new(config).unwrap();
    let cases: [(&str, Behaviour, &str); 10] = [
        ("garbage", Behaviour::Canned(ok_json("{\"result\"")), "selfservice_invalid_response"),
        ("not http", Behaviour::Canned(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"), "selfservice_network"),
        (
            "huge declared",
            Behaviour::Canned(b"HTTP/1.1 200 OK\r\nContent-Length: 104857600\r\n\r\n{"),
            "selfservice_body_too_large",
        ),
        ("huge chunked", Behaviour::HugeChunked, "selfservice_body_too_large"),
        ("silent", Behaviour::Silent, "selfservice_timeout"),
        (
            "server error",
            Behaviour::Canned(b"HTTP/1.1 500 Oops\r\nContent-Length: 6\r\n\r\n<html>"),
            "selfservice_server",
        ),
        (
            "redirect elsewhere",
            Behaviour::Canned(
                b"HTTP/1.1 302 Found\r\nLocation: http://203.0.113.1/auth\r\nContent-Length: 0\r\n\r\n",
            ),
            "selfservice_server",
        ),
        (
            "an administrator's session",
            Behaviour::Canned(ok_json(
                r#"{"result": {"status": true, "value": {"token": "a.b.c", "role": "admin"}}}"#,
            )),
            "selfservice_invalid_response",
        ),
        (
            "a challenge without a transaction",
            Behaviour::Canned(ok_json(
                r#"{"result": {"status": true, "value": false}, "detail": {"multi_challenge": []}}"#,
            )),
            "selfservice_invalid_response",
        ),
        (
            "a session token that is not text",
            Behaviour::Canned(ok_json(
                r#"{"result": {"status": true, "value": {"token": 5, "role": "user"}}}"#,
            )),
            "selfservice_invalid_response",
        ),
    ];
    for (name, behaviour, code) in cases {
        let server = hostile(behaviour).await;
        let started = Instant::now();
        let error = Session::sign_in(
            &client,
            &server,
            "alice",
            None,
            &Password::new("secret-password".into()),
        )
        .await
        .unwrap_err();
        let took = started.elapsed();
        assert!(took < Duration::from_secs(5), "{name}: took {took:?}");
        assert_eq!(error.code(), code, "{name}: {error:?}");
        let text = format!("{error} {error:?}");
        assert!(!text.contains("secret-password"), "{name}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_port_is_a_network_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let server = Server::parse(&format!("http://{address}")).unwrap();
    let client = PushClient::new(ClientConfig::default()).unwrap();
    let error = Session::sign_in(&client, &server, "alice", None, &Password::new("pw".into()))
        .await
        .unwrap_err();
    assert!(matches!(error, SelfServiceError::Network(_)), "{error:?}");
}
