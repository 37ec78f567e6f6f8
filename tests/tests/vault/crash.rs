//! SIGKILL at random moments while a child process saves in a loop: after every kill the vault
//! opens and holds exactly the saves that returned (plus possibly the one in flight), with no
//! gaps, and a stray temp file never breaks the next open or save.

use std::hash::{BuildHasher, RandomState};
use std::io::Read;
use std::process::Stdio;
use std::thread;
use std::time::Duration;

use crate::{numbers, recovery_only_vault, writer};

const KILLS: usize = 200;

#[test]
fn sigkill_during_saves_never_loses_or_corrupts() {
    let dir = tempfile::tempdir().unwrap();
    let (path, recovery) = recovery_only_vault(dir.path());
    let random = RandomState::new();
    let mut saved = 0u64;
    let mut in_flight_kept = 0;
    let mut temp_left = 0;
    let mut killed_mid_run = 0;
    for round in 0..KILLS {
        let mut child = writer(&path, &recovery, "c", 0)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // 2..=40 ms: past process start and vault open, into the save loop.
        let delay = 2 + random.hash_one(round) % 39;
        thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert!(stderr.is_empty(), "round {round}: writer failed: {stderr}");
        if status.code().is_none() {
            killed_mid_run += 1;
        }
        let reported = stdout.lines().filter_map(|l| l.parse::<u64>().ok()).max();

        let found = numbers(&path, &recovery, "c");
        let count = found.len() as u64;
        assert_eq!(
            found,
            (1..=count).collect::<Vec<_>>(),
            "round {round}: gap or duplicate"
        );
        let acknowledged = reported.unwrap_or(saved);
        assert!(
            count == acknowledged || count == acknowledged + 1,
            "round {round}: {count} accounts on disk, {acknowledged} saves acknowledged"
        );
        if count == acknowledged + 1 {
            in_flight_kept += 1;
        }
        saved = count;
        temp_left += std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .count();
    }
    eprintln!(
        "crash test: {KILLS} kills ({killed_mid_run} by signal), {saved} saves survived, \
         {in_flight_kept} kills landed after a rename but before the report, {temp_left} stray \
         temp files seen (each removed by the next writer)"
    );
    assert_eq!(
        killed_mid_run, KILLS,
        "every child was killed, not finished"
    );
    assert!(
        saved >= KILLS as u64 / 4,
        "children made progress between kills"
    );
}
