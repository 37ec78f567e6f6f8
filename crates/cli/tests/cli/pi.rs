//! A real privacyIDEA for the push and self-service tests, started with
//! `scripts/privacyidea/start.sh` (as `crates/push/tests/common` does): one server per test
//! process, stopped by the script when the process exits. The relying party and admin calls go
//! through curl, to 127.0.0.1 only.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

pub(crate) struct Server {
    pub(crate) url: String,
    pub(crate) user_pass: String,
    pub(crate) user: String,
    jwt: String,
}

fn start() -> HashMap<String, String> {
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/privacyidea/start.sh");
    let output = Command::new(script)
        .env("PI_WATCH_PID", std::process::id().to_string())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "start.sh failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.trim_matches('"').to_owned()))
        .collect()
}

/// `curl` with a form; returns the JSON body.
fn curl(method: &str, url: &str, jwt: Option<&str>, form: &[(&str, &str)]) -> Value {
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let mut command = Command::new("curl");
    command.args(["-s", "--max-time", "30", "-X", method, url]);
    if let Some(jwt) = jwt {
        command.args(["-H", &format!("PI-Authorization: {jwt}")]);
    }
    for (key, value) in form {
        command.args(["--data-urlencode", &format!("{key}={value}")]);
    }
    let output = command.output().unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON from {url}: {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

pub(crate) fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let env = start();
        let url = env["PI_URL"].clone();
        let admin_pass = &env["PI_ADMIN_PASS"];
        let body = curl(
            "POST",
            &format!("{url}/auth"),
            None,
            &[("username", "admin"), ("password", admin_pass)],
        );
        let jwt = body["result"]["value"]["token"]
            .as_str()
            .unwrap()
            .to_owned();
        Server {
            user: env["PI_USERS"]
                .split_whitespace()
                .next()
                .unwrap()
                .to_owned(),
            user_pass: env["PI_USER_PASS"].clone(),
            url,

            jwt,
        }
    })
}

impl Server {
    pub(crate) fn admin_post(&self, path: &str, form: &[(&str, &str)]) -> Value {
        let body = curl(
            "POST",
            &format!("{}{path}", self.url),
            Some(&self.jwt),
            form,
        );
        assert_eq!(body["result"]["status"], true, "{path}: {body}");
        body
    }

    /// An authentication policy for the test user only.
    pub(crate) fn user_policy(&self, name: &str, action: &str) {
        self.admin_post(
            &format!("/policy/{name}_{}", self.user),
            &[
                ("scope", "authentication"),
                ("realm", "testrealm"),
                ("user", &self.user),
                ("action", action),
                ("active", "true"),
            ],
        );
    }

    /// `/validate/check` with the password; returns the whole answer.
    pub(crate) fn trigger_body(&self) -> Value {
        let body = self.check(&self.user_pass, None);
        assert_eq!(body["result"]["authentication"], "CHALLENGE", "{body}");
        body
    }

    /// Enrollment step 1 as the admin: the link the server returns.
    pub(crate) fn push_link(&self) -> String {
        let body = self.admin_post(
            "/token/init",
            &[
                ("type", "push"),
                ("genkey", "1"),
                ("user", &self.user),
                ("realm", "testrealm"),
            ],
        );
        body["detail"]["pushurl"]["value"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// `/validate/check` with the user's password (starts a push); returns the transaction.
    pub(crate) fn trigger(&self) -> String {
        self.trigger_body()["detail"]["transaction_id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// `/validate/check` with `pass` (and a transaction, for the second step).
    pub(crate) fn check(&self, pass: &str, transaction: Option<&str>) -> Value {
        let mut form = vec![
            ("user", self.user.as_str()),
            ("realm", "testrealm"),
            ("pass", pass),
        ];
        if let Some(transaction) = transaction {
            form.push(("transaction_id", transaction));
        }
        curl("POST", &format!("{}/validate/check", self.url), None, &form)
    }
}
