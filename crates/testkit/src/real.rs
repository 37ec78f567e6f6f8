//! Real parts a test needs (the OS keychain, the kernel keyring, root, an X server, a polkitd):
//! under `make test` they must be there, elsewhere a test without them skips and says why.
//!
//! `scripts/test.sh` sets [`REQUIRE`]`=1`: then a missing part fails the test, so a CI run that
//! silently lost its keychain (or its root) cannot pass by skipping. Without it (a developer's
//! `cargo nextest run`), the test prints `skipped: …` and returns.

/// Set to `1` by `scripts/test.sh`: every real part must be there.
pub const REQUIRE: &str = "TESSERA_REQUIRE_REAL";

/// Set to `1` by `scripts/with-keyring.sh`: this process runs in a private D-Bus session with a
/// throwaway unlocked keychain, which tests may write to (never the user's own). Set by the
/// Windows stage too (`scripts/windows/stage.sh`): its Wine prefix's Credential Manager is as
/// throwaway.
pub const KEYCHAIN: &str = "TESSERA_REAL_KEYCHAIN";

/// Whether this run requires every real part ([`REQUIRE`]`=1`).
pub fn required() -> bool {
    std::env::var(REQUIRE).as_deref() == Ok("1")
}

/// Whether the test of `what` runs: yes when nothing is `missing`; otherwise a failure when
/// real parts are [`required`], and a skip that names what is missing when not.
///
/// # Panics
/// With [`REQUIRE`]`=1` and something missing: that is the failure.
#[track_caller]
pub fn available(what: &str, missing: &[String]) -> bool {
    if missing.is_empty() {
        return true;
    }
    let missing = missing.join(", ");
    assert!(
        !required(),
        "{REQUIRE}=1 but {what} cannot run here; missing: {missing}"
    );
    eprintln!("skipped: {what}: missing {missing} (with {REQUIRE}=1 this is a failure)");
    false
}

/// [`available`] for one part, missing when `present` is false.
#[track_caller]
pub fn needs(what: &str, present: bool, part: &str) -> bool {
    if present {
        available(what, &[])
    } else {
        available(what, &[part.to_owned()])
    }
}

/// Whether the tests of the real keychain run: a private keychain session is there
/// (`scripts/with-keyring.sh`, which sets [`KEYCHAIN`]).
#[track_caller]
pub fn keychain() -> bool {
    needs(
        "a real keychain test",
        std::env::var(KEYCHAIN).as_deref() == Ok("1"),
        "a throwaway keychain (scripts/with-keyring.sh; for Windows, scripts/windows/stage.sh)",
    )
}

/// Whether this process runs as root (uid 0).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .map(|ids| ids.split_whitespace().next() == Some("0"))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule itself: whatever the environment, a present part runs and a missing one either
    /// fails (required) or skips (not required).
    #[test]
    fn a_missing_part_fails_when_required_and_skips_otherwise() {
        assert!(available("a test", &[]));
        let outcome = std::panic::catch_unwind(|| available("a test", &["a part".to_owned()]));
        if required() {
            let panic = outcome.expect_err("a missing part must fail the test");
            let text = panic.downcast_ref::<String>().cloned().unwrap_or_default();
            assert!(text.contains("missing: a part"), "{text}");
        } else {
            assert_eq!(outcome.ok(), Some(false));
        }
    }
}
