//! Tessera's own push client against the test server ([`crate::pi`]): the push crate's
//! end-to-end tests, its server-cost bench and the app's self-service tests.

use std::time::{Duration, Instant};

use tessera_push::protocol::{EnrollmentUri, KeySize};
use tessera_push::transport::{ClientConfig, PushClient, make_device_key};
use tessera_push::{PushRequest, PushToken, Unverified};

pub fn client() -> PushClient {
    PushClient::new(ClientConfig::default()).unwrap()
}

/// Enrolls a push token for the RP's user from `link` (the default: the link the server
/// returned). The test server's links say `sslverify=0` (its policy): enrolled by choice.
pub async fn enroll(client: &PushClient, link: &str, size: KeySize) -> PushToken {
    let uri = EnrollmentUri::parse(link)
        .unwrap()
        .allowing_unverified_tls(true);
    let key = make_device_key(size).await.unwrap();
    client.enroll(&uri, key).await.unwrap()
}

/// Polls until a request shows up (the server lists it right after the trigger).
pub async fn poll_one(client: &PushClient, token: &PushToken) -> PushRequest<Unverified> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mut polled = client.poll(token).await.unwrap();
        assert_eq!(polled.malformed, 0);
        if let Some(request) = polled.requests.pop() {
            return request;
        }
        assert!(Instant::now() < deadline, "no request within 20 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
