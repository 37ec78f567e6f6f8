//! Servers that misbehave (no privacyIDEA does this on purpose, so these are local sockets):
//! every case must end in a typed error within the configured time, never a hang or a panic.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tessera_push::PushError;
use tessera_push::protocol::{EnrollmentUri, KeySize};
use tessera_push::transport::{ClientConfig, PushClient, make_device_key};
use tessera_testkit::hostile::{Behaviour, serve};
use tokio::net::TcpListener;

const GARBAGE: Behaviour =
    Behaviour::Canned(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{\"result\"");
const NOT_HTTP: Behaviour = Behaviour::Canned(b"SSH-2.0-OpenSSH_9.6\r\n\r\n");
const HUGE_DECLARED: Behaviour =
    Behaviour::Canned(b"HTTP/1.1 200 OK\r\nContent-Length: 104857600\r\n\r\n{");
const SERVER_ERROR: Behaviour = Behaviour::Canned(
    b"HTTP/1.1 500 INTERNAL SERVER ERROR\r\nContent-Length: 21\r\n\r\n<html>oops</html>\r\n\r\n",
);

/// The enrollment URL of a server answering as `behaviour`.
async fn hostile(behaviour: Behaviour) -> String {
    format!("http://{}/ttype/push", serve(behaviour).await)
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_servers_end_in_typed_errors_within_the_timeout() {
    let mut config = ClientConfig::default();
    config.timeout = Duration::from_secs(3);
    config.connect_timeout = Duration::from_secs(2);
    let client = PushClient::new(config).unwrap();
    let key_size = KeySize::Rsa2048;
    for (name, behaviour) in [
        ("garbage", GARBAGE),
        ("not http", NOT_HTTP),
        ("huge declared", HUGE_DECLARED),
        ("huge chunked", Behaviour::HugeChunked),
        ("silent", Behaviour::Silent),
        ("drip", Behaviour::Drip),
        ("server error", SERVER_ERROR),
    ] {
        let url = hostile(behaviour).await;
        let link = format!("otpauth://pipush/x?v=1&serial=PIPU1&enrollment_credential=c&url={url}");
        let uri = EnrollmentUri::parse(&link).unwrap();
        let key = make_device_key(key_size).await.unwrap();
        let started = Instant::now();
        let error = client.enroll(&uri, key).await.unwrap_err();
        let took = started.elapsed();
        assert!(took < Duration::from_secs(5), "{name}: took {took:?}");
        let expected = match name {
            "garbage" => matches!(error, PushError::InvalidResponse(_) | PushError::Network(_)),
            "not http" => matches!(error, PushError::Network(_)),
            "huge declared" | "huge chunked" => {
                matches!(error, PushError::BodyTooLarge { limit: 262_144 })
            }
            "silent" | "drip" => matches!(error, PushError::Timeout),
            _ => matches!(
                error,
                PushError::Server {
                    status: 500,
                    code: None
                }
            ),
        };
        assert!(expected, "{name}: {error:?}");
        assert!(
            error.is_transient() || matches!(error, PushError::InvalidResponse(_)),
            "{name}"
        );
    }
}

/// Issue 16: whoever answers the enrollment pins the server key, so a link that would let
/// someone in between answer is refused before any connection: plain http to another computer
/// at parse, `sslverify=0` without the user's choice by the client itself.
#[tokio::test(flavor = "multi_thread")]
async fn insecure_enrollment_is_refused_before_any_connection() {
    let started = Instant::now();
    let error = EnrollmentUri::parse(
        "otpauth://pipush/x?v=1&serial=PIPU1&enrollment_credential=c&url=http://192.0.2.1/ttype/push",
    )
    .unwrap_err();
    assert_eq!(PushError::from(error).code(), "push_insecure_url");
    assert!(started.elapsed() < Duration::from_secs(1));

    // A listener that counts every connection made to it.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    let accepting = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            held.push(socket);
        }
    });
    let link = format!(
        "otpauth://pipush/x?v=1&serial=PIPU1&enrollment_credential=c&sslverify=0&url=http://{address}/ttype/push"
    );
    let client = PushClient::new(ClientConfig::default()).unwrap();
    let uri = EnrollmentUri::parse(&link).unwrap();
    assert!(matches!(
        uri.check_transport(),
        Err(PushError::UnverifiedTls)
    ));
    // Even a caller that skipped the check (and made a key) sends nothing.
    let key = make_device_key(KeySize::Rsa2048).await.unwrap();
    assert!(matches!(
        client.enroll(&uri, key).await,
        Err(PushError::UnverifiedTls)
    ));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(connections.load(Ordering::SeqCst), 0);
    // Chosen: the registration goes out (and this listener never answers it).
    let mut config = ClientConfig::default();
    config.timeout = Duration::from_secs(1);
    let client = PushClient::new(config).unwrap();
    let uri = EnrollmentUri::parse(&link)
        .unwrap()
        .allowing_unverified_tls(true);
    let key = make_device_key(KeySize::Rsa2048).await.unwrap();
    assert!(matches!(
        client.enroll(&uri, key).await,
        Err(PushError::Timeout)
    ));
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    accepting.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_port_is_a_network_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = PushClient::new(ClientConfig::default()).unwrap();
    let link = format!(
        "otpauth://pipush/x?v=1&serial=PIPU1&enrollment_credential=c&url=http://{address}/ttype/push"
    );
    let uri = EnrollmentUri::parse(&link).unwrap();
    let key = make_device_key(KeySize::Rsa2048).await.unwrap();
    assert!(matches!(
        client.enroll(&uri, key).await,
        Err(PushError::Network(_))
    ));
}
