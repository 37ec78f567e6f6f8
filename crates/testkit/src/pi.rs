//! A real privacyIDEA 3.14 for the tests, and the calls the relying party and the admin make
//! to it (protocol doc §8, §16). Only 127.0.0.1 is contacted.
//!
//! `scripts/privacyidea/start.sh` starts a throwaway server and writes its descriptor,
//! `server.json` (URL, admin credentials, realm, users and their password, the server's files),
//! which every harness reads: this module, and `tests/e2e/privacyidea.mjs` for the app's
//! end-to-end tests. One server per test process, started on first use and stopped by the
//! script when the process exits, unless [`DESCRIPTOR`] names the descriptor of a running one.
//!
//! [`Rp`] is the async side (the push crate's and the app's tests), [`Blocking`] the same calls
//! for sync tests (the CLI's), on a runtime of its own.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The path of a running server's descriptor to use instead of starting one (not
/// `TESSERA_PI_SERVER`: that is the CLI's, a server URL).
pub const DESCRIPTOR: &str = "TESSERA_PI_DESCRIPTOR";

/// A server, as its descriptor describes it.
pub struct Server {
    pub url: String,
    /// The server's directory, when this process started it (`None`: named by [`DESCRIPTOR`],
    /// not ours to stop).
    pub work: Option<PathBuf>,
    /// The server process (for its CPU time, in the server-cost bench).
    pub pid: u32,
    pub admin_user: String,
    pub admin_pass: String,
    pub realm: String,
    /// The users of the realm; they all share [`Server::user_pass`].
    pub users: Vec<String>,
    pub user_pass: String,
    /// The server's output (requests, errors).
    pub log: PathBuf,
    unused: Mutex<Vec<String>>,
    /// Where test processes sharing a server named by [`DESCRIPTOR`] claim their users (the
    /// descriptor's directory); `None` for a server of this process alone.
    claims: Option<PathBuf>,
}

/// `scripts/privacyidea` of the workspace.
pub fn scripts() -> PathBuf {
    crate::workspace_root().join("scripts/privacyidea")
}

impl Server {
    /// Reads a descriptor written by `start.sh`.
    pub fn read(path: &Path) -> Self {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("read {}: {error}", path.display()));
        let d: Value = serde_json::from_str(&text).expect("server.json is JSON");
        let text_of = |value: &Value| value.as_str().expect("a string in server.json").to_owned();
        let users: Vec<String> = d["users"]
            .as_array()
            .expect("users in server.json")
            .iter()
            .map(text_of)
            .collect();
        let url = text_of(&d["url"]);
        assert!(url.starts_with("http://127.0.0.1:"), "{url}: loopback only");
        Self {
            url,
            work: Some(PathBuf::from(text_of(&d["work"]))),
            pid: u32::try_from(d["pid"].as_u64().expect("pid in server.json")).unwrap(),
            admin_user: text_of(&d["admin"]["user"]),
            admin_pass: text_of(&d["admin"]["password"]),
            realm: text_of(&d["realm"]),
            unused: Mutex::new(users.clone()),
            users,
            user_pass: text_of(&d["user_password"]),
            log: PathBuf::from(text_of(&d["files"]["log"])),
            claims: None,
        }
    }

    /// Runs `start.sh` (a fresh server, or `dir` to restart one) and reads the descriptor it
    /// writes. The script stops the server when this process exits.
    pub fn start(dir: Option<&Path>) -> Self {
        let started = Instant::now();
        let mut command = Command::new(scripts().join("start.sh"));
        command.env("PI_WATCH_PID", std::process::id().to_string());
        if let Some(dir) = dir {
            command.arg(dir);
        }
        let output = command.output().expect("run start.sh");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "start.sh failed:\n{stderr}");
        eprintln!(
            "privacyIDEA started in {:.1} s: {}",
            started.elapsed().as_secs_f64(),
            stderr.trim()
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let descriptor = stdout
            .lines()
            .last()
            .expect("start.sh prints its descriptor");
        Self::read(Path::new(descriptor.trim()))
    }

    /// Stops the server, keeping its directory for [`Server::restart`].
    pub fn stop_keeping_data(&self) {
        let work = self.work.as_ref().expect("a server of this process");
        let status = Command::new(scripts().join("stop.sh"))
            .arg("--keep")
            .arg(work)
            .status()
            .expect("run stop.sh");
        assert!(status.success(), "stop.sh failed");
    }

    /// Starts the server stopped by [`Server::stop_keeping_data`] again: same port, same data.
    pub fn restart(&self) -> Self {
        Self::start(Some(self.work.as_ref().expect("a server of this process")))
    }

    /// A user no other caller has had (tests run in parallel, and policies are per user): in
    /// this process, and on a shared server (the Windows stage's, one for all its test
    /// processes) in any other, which claim users by creating a file named after them.
    pub fn take_user(&self) -> String {
        let mut unused = self.unused.lock().unwrap();
        while let Some(user) = unused.pop() {
            let Some(claims) = &self.claims else {
                return user;
            };
            match std::fs::File::create_new(claims.join(format!("claimed-{user}"))) {
                Ok(_) => return user,
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(error) => panic!("claim the test user {user}: {error}"),
            }
        }
        panic!("no test user left: start the server with more (PI_USERS of start.sh)")
    }
}

/// This process's server: the one [`DESCRIPTOR`] names, or one started on first use.
pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| match std::env::var_os(DESCRIPTOR) {
        Some(path) => Server {
            work: None,
            claims: Some(Path::new(&path).parent().unwrap().to_path_buf()),
            ..Server::read(Path::new(&path))
        },
        None => Server::start(None),
    })
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

/// The relying party and the admin of [`server`], for a user of its own, over plain HTTP.
pub struct Rp {
    pub server: &'static Server,
    pub http: reqwest::Client,
    pub user: String,
    jwt: String,
}

impl Rp {
    /// Signs the admin in and takes a user for this relying party.
    pub async fn new() -> Self {
        let server = server();
        let user = server.take_user();
        // reqwest is built without a default crypto provider (tessera-push picks ring).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let (status, body) = json(
            http.post(format!("{}/auth", server.url))
                .form(&[
                    ("username", server.admin_user.as_str()),
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

    /// An admin `POST`; the call must succeed.
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
        assert_eq!(body["result"]["status"], true, "{path}: {body}");
        body
    }

    /// Enrollment step 1 for this user: the server's answer (`detail.pushurl`).
    pub async fn init_push(&self) -> Value {
        let realm = self.server.realm.as_str();
        let form = [
            ("type", "push"),
            ("genkey", "1"),
            ("user", &self.user),
            ("realm", realm),
        ];
        self.admin_post("/token/init", &form).await["detail"].clone()
    }

    /// Enrollment step 1: the `otpauth://pipush/` link the QR code holds.
    pub async fn push_link(&self) -> String {
        self.init_push().await["pushurl"]["value"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// An authentication policy for this user only.
    pub async fn user_policy(&self, name: &str, action: &str) {
        self.policy("authentication", name, action).await;
    }

    /// A `webui` policy for this user only, e.g. `login_mode=privacyIDEA` (self-service sign-in).
    pub async fn webui_policy(&self, name: &str, action: &str) {
        self.policy("webui", name, action).await;
    }

    /// A policy of `scope` for this user only, named `{name}_{user}`.
    async fn policy(&self, scope: &str, name: &str, action: &str) {
        let name = format!("{name}_{}", self.user);
        let form = [
            ("scope", scope),
            ("realm", self.server.realm.as_str()),
            ("user", &self.user),
            ("action", action),
            ("active", "true"),
        ];
        self.admin_post(&format!("/policy/{name}"), &form).await;
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

    /// `/validate/check` with `pass` (and the transaction, for a second step): the whole answer.
    pub async fn check(&self, pass: &str, transaction: Option<&str>) -> Value {
        let mut form = vec![
            ("user", self.user.as_str()),
            ("realm", self.server.realm.as_str()),
            ("pass", pass),
        ];
        if let Some(transaction) = transaction {
            form.push(("transaction_id", transaction));
        }
        let response = self
            .http
            .post(format!("{}/validate/check", self.server.url))
            .form(&form)
            .send()
            .await
            .unwrap();
        json(response).await.1
    }

    /// `/validate/check` with the user's password: starts the push. Returns the whole answer.
    pub async fn trigger(&self) -> Value {
        let body = self.check(&self.server.user_pass, None).await;
        assert_eq!(body["result"]["authentication"], "CHALLENGE", "{body}");
        body
    }

    /// Whether the sign-in page's one-step check (the password followed by `code`) accepts.
    pub async fn accepts(&self, code: &str) -> bool {
        let pass = format!("{}{code}", self.server.user_pass);
        self.check(&pass, None).await["result"]["value"] == true
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
        self.check(pass, Some(transaction)).await
    }
}

/// The transaction a [`Rp::trigger`] answer started.
pub fn transaction_of(trigger: &Value) -> String {
    trigger["detail"]["transaction_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// [`Rp`] for sync tests: the same calls, each run to its end on a runtime of its own.
pub struct Blocking {
    pub url: String,
    pub user: String,
    pub user_pass: String,
    pub realm: String,
    rp: Rp,
    runtime: tokio::runtime::Runtime,
}

impl Blocking {
    pub fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let rp = runtime.block_on(Rp::new());
        Self {
            url: rp.server.url.clone(),
            user: rp.user.clone(),
            user_pass: rp.server.user_pass.clone(),
            realm: rp.server.realm.clone(),
            rp,
            runtime,
        }
    }

    /// [`Rp::admin_post`].
    pub fn admin_post(&self, path: &str, form: &[(&str, &str)]) -> Value {
        self.runtime.block_on(self.rp.admin_post(path, form))
    }

    /// [`Rp::user_policy`].
    pub fn user_policy(&self, name: &str, action: &str) {
        self.runtime.block_on(self.rp.user_policy(name, action));
    }

    /// [`Rp::webui_policy`].
    pub fn webui_policy(&self, name: &str, action: &str) {
        self.runtime.block_on(self.rp.webui_policy(name, action));
    }

    /// [`Rp::push_link`].
    pub fn push_link(&self) -> String {
        self.runtime.block_on(self.rp.push_link())
    }

    /// [`Rp::trigger`]: the whole answer.
    pub fn trigger_body(&self) -> Value {
        self.runtime.block_on(self.rp.trigger())
    }

    /// [`Rp::trigger`]: the transaction it started.
    pub fn trigger(&self) -> String {
        transaction_of(&self.trigger_body())
    }

    /// [`Rp::check`].
    pub fn check(&self, pass: &str, transaction: Option<&str>) -> Value {
        self.runtime.block_on(self.rp.check(pass, transaction))
    }
}

impl Default for Blocking {
    fn default() -> Self {
        Self::new()
    }
}
