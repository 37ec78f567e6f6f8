//! "It's me" verification by the OS, before Tessera approves a push sign-in or unlocks the vault
//! through the keychain.
//!
//! One small blocking trait, [`Verifier`], so the desktop app and the CLI ask the same way and
//! their tests inject answers ([`FixedVerifier`]). [`platform()`] returns the OS's verifier:
//!
//! - Linux: polkit `CheckAuthorization` with user interaction on the action
//!   `org.tessera.desktop.verify` (shipped in `polkit/`), so the desktop's authentication agent
//!   runs the user's PAM stack: fingerprint through fprintd where a finger is enrolled, the
//!   login password otherwise ([`polkit::PolkitVerifier`]).
//! - Windows: Windows Hello, `UserConsentVerifier`.
//! - macOS: LocalAuthentication, `LAContext evaluatePolicy` (Touch ID or the account password).
//!
//! Calls block until the user answers, so callers run them on a worker thread. A sign-in
//! request can expire or be answered elsewhere while the OS dialog is open: every [`Request`]
//! carries a [`Cancel`] handle and an optional deadline, and the verifiers withdraw the dialog
//! when either fires.
//!
//! Verification is never skipped silently: when the OS has no verifier
//! ([`VerifyError::allows_stand_in`]) the caller asks for the vault passphrase instead and says
//! why; a refusal, a cancel or a timeout approves nothing.
//!
//! # Tests
//!
//! `tests/polkit.rs` and `tests/fingerprint.rs` run against real parts when
//! `TESSERA_REQUIRE_REAL=1` (as root; `make test` sets it): each test starts its own private
//! system bus, `polkitd` and, for the fingerprint, `fprintd` with libfprint's virtual reader,
//! and a test authentication agent. With the variable set, a missing part fails the test;
//! without it the tests skip with a message.
#![deny(missing_docs)]
// Only the Windows and macOS bindings call foreign code; they allow it locally, each in one
// small module with SAFETY comments. Everything else has none, and the other builds (Linux
// included: polkit is plain D-Bus) forbid it outright.
#![deny(unsafe_code)]
#![cfg_attr(not(any(windows, target_os = "macos")), forbid(unsafe_code))]

mod cancel;
mod error;
mod fixed;

#[cfg(target_os = "linux")]
pub mod polkit;

#[cfg(target_os = "macos")]
mod macos;
#[cfg(windows)]
mod windows;

pub use cancel::Cancel;
pub use error::VerifyError;
pub use fixed::FixedVerifier;

use std::time::Instant;

/// What to verify, and when to give up.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Request {
    /// The sentence the OS dialog shows, already translated by the caller ("Approve the
    /// sign-in to VPN for alice"): Windows Hello and LocalAuthentication show it. polkit does
    /// not: it accepts a message from the caller only from root or the action's owner, so its
    /// agents show the action's own message (`polkit/org.tessera.desktop.verify.policy`,
    /// translated there).
    pub reason: String,
    /// A biometric-capable verifier must be used where the OS offers one (the server's
    /// `app_force_unlock=biometric` policy). macOS: Touch ID only, no password fallback.
    /// Windows: Windows Hello (Windows cannot be told to refuse the PIN). Linux: polkit, whose
    /// PAM stack asks for a finger first where `pam_fprintd` is set up and a finger enrolled;
    /// polkit cannot be told to skip the password.
    pub require_biometric: bool,
    /// Withdraws the OS dialog from another thread.
    pub cancel: Cancel,
    /// The dialog is withdrawn at this instant (the sign-in request's expiry), giving
    /// [`VerifyError::Timeout`].
    pub deadline: Option<Instant>,
    /// The window the dialog belongs to, where the OS can attach it (Windows: the `HWND` as an
    /// integer, for `RequestVerificationForWindowAsync`). `None` lets the OS place it.
    pub parent_window: Option<isize>,
}

impl Request {
    /// A request showing `reason`, with no deadline, no biometric requirement and a fresh
    /// [`Cancel`] handle.
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            require_biometric: false,
            cancel: Cancel::new(),
            deadline: None,
            parent_window: None,
        }
    }

    /// Requires a biometric-capable verifier (see [`Request::require_biometric`]).
    #[must_use]
    pub fn biometric(mut self, required: bool) -> Self {
        self.require_biometric = required;
        self
    }

    /// Withdraws the dialog at `deadline`.
    #[must_use]
    pub fn deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Uses `cancel` (kept by the caller) instead of the fresh handle.
    #[must_use]
    pub fn cancel_with(mut self, cancel: Cancel) -> Self {
        self.cancel = cancel;
        self
    }

    /// Attaches the dialog to a window (see [`Request::parent_window`]).
    #[must_use]
    pub fn parent_window(mut self, handle: isize) -> Self {
        self.parent_window = Some(handle);
        self
    }
}

/// How the OS verified the user, as far as it tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// polkit: the authentication agent ran the user's PAM stack. That is a fingerprint through
    /// fprintd where a finger is enrolled, the password otherwise; polkit does not say which.
    Polkit,
    /// Windows Hello: face, fingerprint or PIN (Windows does not say which).
    WindowsHello,
    /// LocalAuthentication with the biometrics-only policy: Touch ID (or Optic ID).
    TouchId,
    /// LocalAuthentication with the device-owner policy: Touch ID or the account password
    /// (macOS does not say which).
    LocalAuthentication,
    /// A test double's answer.
    Fixed,
}

impl Method {
    /// Whether this method is biometric for sure.
    pub fn is_biometric(self) -> bool {
        matches!(self, Self::TouchId)
    }
}

/// A successful verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// How it was done.
    pub method: Method,
}

impl Verified {
    pub(crate) fn by(method: Method) -> Self {
        Self { method }
    }
}

/// Whether a verifier is there to ask, checked without showing anything.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Availability {
    /// The OS can verify the user.
    Available {
        /// Whether it can be biometric: `Some(true)` when a biometric sensor is set up,
        /// `Some(false)` when not, `None` when the OS does not tell (polkit: the PAM stack
        /// decides).
        biometric: Option<bool>,
    },
    /// No verifier: the vault passphrase stands in; the error says why.
    Unavailable(VerifyError),
}

/// Asks the OS whether the person at the computer is the user.
///
/// Both calls block (D-Bus, WinRT, Objective-C callbacks): call them on a worker thread.
pub trait Verifier: Send + Sync {
    /// Shows the OS's dialog and waits for its answer, the [`Request::cancel`] handle or the
    /// [`Request::deadline`], whichever comes first.
    fn verify(&self, request: &Request) -> Result<Verified, VerifyError>;

    /// Whether [`Verifier::verify`] can ask anyone, checked without showing a dialog.
    fn availability(&self) -> Availability;
}

/// The OS's verifier: polkit on Linux, Windows Hello on Windows, LocalAuthentication on macOS,
/// and on any other OS a verifier that is always unavailable (so the passphrase stands in).
pub fn platform() -> Box<dyn Verifier> {
    #[cfg(target_os = "linux")]
    return Box::new(polkit::PolkitVerifier::new());
    #[cfg(windows)]
    return Box::new(windows::HelloVerifier::new());
    #[cfg(target_os = "macos")]
    return Box::new(macos::LocalAuthVerifier::new());
    #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
    return Box::new(FixedVerifier::err(VerifyError::unavailable(
        "no OS verifier is supported on this system",
    )));
}
