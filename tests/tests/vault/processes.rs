//! Several processes saving to one vault at the same time never lose an update.

use std::process::Stdio;

use crate::{numbers, recovery_only_vault, writer};

#[test]
fn writer_processes_never_lose_an_update() {
    const PER_WRITER: u64 = 40;
    let dir = tempfile::tempdir().unwrap();
    let (path, recovery) = recovery_only_vault(dir.path());
    let children: Vec<_> = ["a", "b", "c"]
        .iter()
        .map(|prefix| {
            writer(&path, &recovery, prefix, PER_WRITER)
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
    }
    for prefix in ["a", "b", "c"] {
        let found = numbers(&path, &recovery, prefix);
        assert_eq!(
            found,
            (1..=PER_WRITER).collect::<Vec<_>>(),
            "writer {prefix}"
        );
    }
}
