//! A real privacyIDEA for the end-to-end tests, and the calls the relying party and the admin
//! make around the push flow (protocol doc §8, §16).
//!
//! One server per test binary, started on first use with `scripts/privacyidea/start.sh`
//! (unless `PI_URL` points at a running one, with `PI_ADMIN_PASS` and `PI_USER_PASS`). The
//! script watches this process and stops the server and removes its directory when the binary
//! exits. Only 127.0.0.1 is contacted.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;
use tessera_push::protocol::{EnrollmentUri, KeySize};
use tessera_push::transport::{ClientConfig, PushClient, make_device_key};
use tessera_push::{PushRequest, PushToken, Unverified};

pub struct Server {
    pub url: String,
    pub work: Option<PathBuf>,
    pub admin_pass: String,
    pub user_pass: String,
    users: Mutex<Vec<String>>,
}

/// `scripts/privacyidea` of the workspace: found upwards from the crate using this helper
/// (the push crate, or the app's command tests, which include this file).
pub fn scripts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("scripts/privacyidea"))
        .find(|dir| dir.is_dir())
        .expect("scripts/privacyidea above the crate")
}

fn parse_env(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.trim_matches('"').to_owned()))
        .collect()
}

/// Runs start.sh (fresh server, or `dir` to restart one) and returns its variables.
pub fn run_start(dir: Option<&PathBuf>) -> HashMap<String, String> {
    let started = Instant::now();
    let mut command = Command::new(scripts().join("start.sh"));
    command.env("PI_WATCH_PID", std::process::id().to_string());
    if let Some(dir) = dir {
        command.arg(dir);
    }
    let output = command.output().expect("run start.sh");
    assert!(
        output.status.success(),
        "start.sh failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!(
        "privacyIDEA started in {:.1} s: {}",
        started.elapsed().as_secs_f64(),
        String::from_utf8_lossy(&output.stderr).trim()
    );
    parse_env(&String::from_utf8_lossy(&output.stdout))
}

pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        if let Ok(url) = std::env::var("PI_URL") {
            assert!(
                url.starts_with("http://127.0.0.1:"),
                "PI_URL must be loopback"
            );
            return Server {
                url,
                work: None,
                admin_pass: std::env::var("PI_ADMIN_PASS").expect("PI_ADMIN_PASS with PI_URL"),
                user_pass: std::env::var("PI_USER_PASS").expect("PI_USER_PASS with PI_URL"),
                users: Mutex::new(
                    std::env::var("PI_USERS")
                        .unwrap_or_else(|_| {
                            "alice bob carol dave erin frank grace heidi ivan judy".into()
                        })
                        .split_whitespace()
                        .map(str::to_owned)
                        .collect(),
                ),
            };
        }
        let env = run_start(None);
        Server {
            url: env["PI_URL"].clone(),
            work: Some(PathBuf::from(&env["PI_WORK"])),
            admin_pass: env["PI_ADMIN_PASS"].clone(),
            user_pass: env["PI_USER_PASS"].clone(),
            users: Mutex::new(
                env["PI_USERS"]
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
            ),
        }
    })
}

/// The relying party / admin side, plain HTTP to the test server.
pub struct Rp {
    pub server: &'static Server,
    pub http: reqwest::Client,
    pub user: String,
    jwt: String,
}

async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let body = response.bytes().await.unwrap();
    let value = serde_json::from_slice(&body).unwrap_or_else(|_| {
        panic!(
            "not JSON (HTTP {status}): {}",
            String::from_utf8_lossy(&body)
        )
    });
    (status, value)
}

impl Rp {
    /// A relying party for a user of its own (tests run in parallel; policies are per user).
    pub async fn new() -> Self {
        let server = server();
        let user = server
            .users
            .lock()
            .unwrap()
            .pop()
            .expect("more test users in start.sh");
        // reqwest is built without a default crypto provider (tessera-push picks ring).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let (status, body) = json(
            http.post(format!("{}/auth", server.url))
                .form(&[
                    ("username", "admin"),
                    ("password", server.admin_pass.as_str()),
                ])
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let jwt = body["result"]["value"]["token"]
            .as_str()
            .unwrap()
            .to_owned();
        Self {
            server,
            http,
            user,
            jwt,
        }
    }

    pub async fn admin_post(&self, path: &str, form: &[(&str, &str)]) -> Value {
        let (status, body) = json(
            self.http
                .post(format!("{}{path}", self.server.url))
                .header("PI-Authorization", &self.jwt)
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    /// Enrollment step 1 for this user: the server's answer (`detail.pushurl`).
    pub async fn init_push(&self) -> Value {
        let body = self
            .admin_post(
                "/token/init",
                &[
                    ("type", "push"),
                    ("genkey", "1"),
                    ("user", &self.user),
                    ("realm", "testrealm"),
                ],
            )
            .await;
        body["detail"].clone()
    }

    /// An authentication policy for this user only.
    pub async fn user_policy(&self, name: &str, action: &str) {
        let name = format!("{name}_{}", self.user);
        self.admin_post(
            &format!("/policy/{name}"),
            &[
                ("scope", "authentication"),
                ("realm", "testrealm"),
                ("user", &self.user),
                ("action", action),
                ("active", "true"),
            ],
        )
        .await;
    }

    pub async fn delete_token(&self, serial: &str) {
        let (status, body) = json(
            self.http
                .delete(format!("{}/token/{serial}", self.server.url))
                .header("PI-Authorization", &self.jwt)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }

    /// `/validate/check` with the user's password: starts the push. Returns the whole answer.
    pub async fn trigger(&self) -> Value {
        let (status, body) = json(
            self.http
                .post(format!("{}/validate/check", self.server.url))
                .form(&[
                    ("user", self.user.as_str()),
                    ("realm", "testrealm"),
                    ("pass", self.server.user_pass.as_str()),
                ])
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["result"]["authentication"], "CHALLENGE", "{body}");
        body
    }

    pub async fn status(&self, transaction: &str) -> String {
        let (_, body) = json(
            self.http
                .get(format!("{}/validate/polltransaction", self.server.url))
                .query(&[("transaction_id", transaction)])
                .send()
                .await
                .unwrap(),
        )
        .await;
        body["detail"]["challenge_status"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Second `/validate/check` with the transaction (and the code, for code to phone).
    pub async fn finalize(&self, transaction: &str, pass: &str) -> Value {
        let (_, body) = json(
            self.http
                .post(format!("{}/validate/check", self.server.url))
                .form(&[
                    ("user", self.user.as_str()),
                    ("realm", "testrealm"),
                    ("pass", pass),
                    ("transaction_id", transaction),
                ])
                .send()
                .await
                .unwrap(),
        )
        .await;
        body
    }
}

pub fn transaction_of(trigger: &Value) -> String {
    trigger["detail"]["transaction_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

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

pub fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}
