//! The identity server's cost of push polling (issue 15): how many signed polls
//! (`GET /ttype/push`, what every Tessera sends every 3 s while its user is at the desktop and
//! every 15 s while away) one fully-used core of privacyIDEA answers per second, so the README
//! can say how many employees one core serves. Beside it, in the same run against the same
//! server: `GET /healthz/`, its cheapest endpoint (no authentication, no database), the floor of
//! one request through that server.
//!
//! Real parts only: the throwaway privacyIDEA 3.14 of the tests (`scripts/privacyidea/start.sh`,
//! through `tessera_testkit`), a push token enrolled with an RSA-4096 device key (the app's
//! default) by `tessera_push`, and polls signed by `PushClient::poll` exactly as the app's
//! poller sends them. A few tasks keep the server busy for a fixed time; the server's own CPU
//! time (utime + stime of its processes in `/proc`) over that time gives requests per
//! fully-used core, whatever the 2-core machine's other load (the client's signing included)
//! took from it.
//!
//! Run: `cargo run -p tessera-push --example server_cost` (scripts/bench_push.sh, `make bench`).
//! `TESSERA_SERVER_COST_SECONDS` (default 15) per endpoint, `TESSERA_SERVER_COST_TASKS`
//! (default 4). With `TESSERA_BENCH_OUT` set, rows for `scripts/bench_report.py` are written
//! there as `push-server-*.row.json`. Only 127.0.0.1 is contacted, and every loop stops by
//! itself after its time.

// An example run has no caller to report to: failing setup aborts the run with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tessera_push::protocol::KeySize;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// Clock ticks per second of `/proc/PID/stat` (`getconf CLK_TCK`; 100 on Linux).
fn clock_ticks() -> f64 {
    let output = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .expect("getconf CLK_TCK");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("a number from getconf CLK_TCK")
}

/// `utime + stime` of `pid` (all its threads), in clock ticks; 0 when it is gone.
fn cpu_ticks(pid: u32) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    // Fields after the parenthesised command name start at field 3; utime is 14, stime 15.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<u64>().ok());
    field(14).unwrap_or(0) + field(15).unwrap_or(0)
}

/// The server process and its descendants (a WSGI server may run workers as children).
fn server_tree(root: u32) -> Vec<u32> {
    let mut tree = vec![root];
    let mut index = 0;
    while index < tree.len() {
        let parent = tree[index];
        let children = std::fs::read_to_string(format!("/proc/{parent}/task/{parent}/children"))
            .unwrap_or_default();
        tree.extend(
            children
                .split_whitespace()
                .filter_map(|c| c.parse::<u32>().ok()),
        );
        index += 1;
    }
    tree
}

fn server_cpu(root: u32) -> u64 {
    server_tree(root).into_iter().map(cpu_ticks).sum()
}

/// What one load phase measured.
struct Load {
    ok: u64,
    failed: u64,
    wall: Duration,
    cpu_seconds: f64,
}

impl Load {
    fn per_core(&self) -> f64 {
        self.ok as f64 / self.cpu_seconds
    }

    fn describe(&self, what: &str) -> String {
        format!(
            "{what}: {} ok, {} failed in {:.1} s ({:.1} req/s), server CPU {:.2} s ({:.0} % of a core): {:.1} req/s per core",
            self.ok,
            self.failed,
            self.wall.as_secs_f64(),
            self.ok as f64 / self.wall.as_secs_f64(),
            self.cpu_seconds,
            100.0 * self.cpu_seconds / self.wall.as_secs_f64(),
            self.per_core()
        )
    }
}

/// Runs `tasks` loops of `request` for `duration`, counting answers, with the server's CPU time
/// read before and after.
async fn load<F, Fut>(pid: u32, tasks: u64, duration: Duration, request: F) -> Load
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let ticks = clock_ticks();
    let cpu_before = server_cpu(pid);
    let started = Instant::now();
    let deadline = started + duration;
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let (ok, failed, request) = (Arc::clone(&ok), Arc::clone(&failed), request.clone());
        handles.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                if request().await {
                    ok.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    let wall = started.elapsed();
    let cpu_seconds = (server_cpu(pid) - cpu_before) as f64 / ticks;
    Load {
        ok: ok.load(Ordering::Relaxed),
        failed: failed.load(Ordering::Relaxed),
        wall,
        cpu_seconds,
    }
}

fn write_row(out: &Path, name: &str, row: &[String]) {
    // serde_json, not `{:?}`: Rust's escapes are not JSON's.
    let json = serde_json::to_string(row).expect("a row of strings is JSON");
    std::fs::write(out.join(name), json).expect("write the bench row");
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let seconds = env_number("TESSERA_SERVER_COST_SECONDS", 15);
    let tasks = env_number("TESSERA_SERVER_COST_TASKS", 4);
    let duration = Duration::from_secs(seconds);

    let rp = tessera_testkit::pi::Rp::new().await;
    let server = rp.server;
    assert!(
        server.work.is_some(),
        "a server this example started (TESSERA_PI_DESCRIPTOR names one it cannot measure)"
    );
    let pid = server.pid;
    let link = rp.push_link().await;
    let client = tessera_testkit::push::client();
    let token = Arc::new(tessera_testkit::push::enroll(&client, &link, KeySize::Rsa4096).await);
    eprintln!(
        "server pid {pid} (processes {:?}), token {} enrolled; {tasks} tasks, {seconds} s per endpoint",
        server_tree(pid),
        token.serial()
    );

    let poll = {
        let (client, token) = (client.clone(), Arc::clone(&token));
        move || {
            let (client, token) = (client.clone(), Arc::clone(&token));
            async move { client.poll(&token).await.is_ok() }
        }
    };
    let health = {
        let (http, url) = (rp.http.clone(), format!("{}/healthz/", server.url));
        move || {
            let (http, url) = (http.clone(), url.clone());
            async move {
                http.get(&url)
                    .send()
                    .await
                    .is_ok_and(|response| response.status().is_success())
            }
        }
    };
    // A short warm-up of each: connections opened, Python's first-call caches filled.
    load(pid, tasks, Duration::from_secs(2), poll.clone()).await;
    load(pid, tasks, Duration::from_secs(1), health.clone()).await;

    let polls = load(pid, tasks, duration, poll).await;
    eprintln!("{}", polls.describe("signed polls (GET /ttype/push)"));
    let floor = load(pid, tasks, duration, health).await;
    eprintln!("{}", floor.describe("GET /healthz/"));
    assert!(
        polls.ok > 0 && polls.failed == 0,
        "polls failed: {}",
        polls.failed
    );
    assert!(floor.ok > 0, "no /healthz/ answer");

    // One employee's Tessera sends 20 polls a minute while they are at the desktop (3 s) and 4
    // while away (15 s): per core, employees = polls per second per core × 60 / polls a minute.
    let per_core = polls.per_core();
    let employees = |per_minute: f64| (per_core * 60.0 / per_minute).floor();
    let rows = [
        (
            "push-server-poll.row.json",
            vec![
                format!(
                    "privacyIDEA cost of a signed poll (GET /ttype/push, RSA-4096), per fully-used core ({seconds} s, {tasks} clients; test server: pi-manage run, SQLite)"
                ),
                format!("{per_core:.1} req/s/core"),
                "GET /healthz/, same server".to_owned(),
                format!("{:.1} req/s/core", floor.per_core()),
                format!("{:.2}x", per_core / floor.per_core()),
                "report".to_owned(),
            ],
        ),
        (
            "push-server-employees.row.json",
            vec![
                "employees one privacyIDEA core serves: active (20 polls/min) / away (4 polls/min)"
                    .to_owned(),
                format!("{} / {}", employees(20.0), employees(4.0)),
                "-".to_owned(),
                "-".to_owned(),
                "-".to_owned(),
                "report".to_owned(),
            ],
        ),
    ];
    for (name, row) in &rows {
        println!("{}", row.join(" | "));
        if let Ok(out) = std::env::var("TESSERA_BENCH_OUT") {
            write_row(Path::new(&out), name, row);
        }
    }
}
