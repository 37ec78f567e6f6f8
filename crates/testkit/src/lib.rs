//! What the tests of every Tessera crate share, kept once: the throwaway privacyIDEA
//! (`scripts/privacyidea/start.sh` and the server descriptor it writes, which the end-to-end
//! tests in `tests/e2e` read too), hostile servers and a tampering proxy, the captured
//! privacyIDEA 3.14 challenge and server key, proptest strategies over the OTP types, a private
//! Xvfb, and [`real`]: a test whose real part (keychain, kernel keyring, root, X server) is
//! missing fails under `make test` and skips, saying why, elsewhere.
//!
//! A dev-dependency only (`publish = false`); nothing here is in a build users run.

// The harness's failures are the tests' failures: a call that cannot succeed panics with what
// went wrong, as the test itself would.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![forbid(unsafe_code)]

pub mod capture;
pub mod files;
#[cfg(feature = "pi")]
pub mod hostile;
#[cfg(feature = "otp")]
pub mod otp;
#[cfg(feature = "pi")]
pub mod pi;
#[cfg(feature = "pi")]
pub mod proxy;
#[cfg(feature = "push")]
pub mod push;
#[cfg(feature = "qr")]
pub mod qr;
pub mod real;
pub mod xvfb;

/// The workspace root, found upwards from this crate (scripts, shared test data).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("scripts/privacyidea").is_dir())
        .expect("the workspace root above crates/testkit")
        .to_path_buf()
}
