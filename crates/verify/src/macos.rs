//! macOS: LocalAuthentication, `LAContext evaluatePolicy:localizedReason:reply:`.
//!
//! `DeviceOwnerAuthentication` (Touch ID, a paired Watch, or the account password) by
//! default; `DeviceOwnerAuthenticationWithBiometrics` (Touch ID only, no password fallback)
//! when the request requires biometrics. The reason text is shown by macOS under its own line
//! ("Tessera is trying to …").
//!
//! `evaluatePolicy` is asynchronous: it returns at once and calls the reply block on a private
//! queue, so no worker thread is needed; this thread waits for the reply, the cancel handle and
//! the deadline, and `invalidate` withdraws the dialog (the reply then says `AppCancel`).
// Objective-C messages are unsafe to send in objc2; each call has its SAFETY comment.
#![allow(unsafe_code)]

use std::sync::mpsc;
use std::time::Duration;

use block2::RcBlock;
use objc2::runtime::Bool;
use objc2_foundation::{NSError, NSString};
use objc2_local_authentication::{LAContext, LAError, LAPolicy};

use crate::cancel::{Waited, wait};
use crate::{Availability, Method, Request, Verified, Verifier, VerifyError};

/// How long an invalidated context may take to call the reply block.
const CANCEL_GRACE: Duration = Duration::from_secs(2);

/// LocalAuthentication.
#[derive(Debug, Default)]
pub(crate) struct LocalAuthVerifier;

impl LocalAuthVerifier {
    pub(crate) fn new() -> Self {
        Self
    }
}

fn policy(require_biometric: bool) -> LAPolicy {
    if require_biometric {
        LAPolicy::DeviceOwnerAuthenticationWithBiometrics
    } else {
        LAPolicy::DeviceOwnerAuthentication
    }
}

/// Maps an `LAError` code (the `code` of the `NSError` in the `LAErrorDomain`).
fn map_error(code: isize, require_biometric: bool) -> VerifyError {
    match LAError(code) {
        LAError::UserCancel | LAError::SystemCancel | LAError::AppCancel => VerifyError::Cancelled,
        // With the biometrics-only policy the fallback button is the user declining Touch ID.
        LAError::UserFallback => VerifyError::Cancelled,
        // Wrong finger or password, or too many of them (Touch ID locked until the password
        // is typed at the lock screen): the user was asked and not confirmed.
        LAError::AuthenticationFailed | LAError::BiometryLockout => VerifyError::Refused,
        LAError::BiometryNotAvailable | LAError::BiometryNotEnrolled if require_biometric => {
            VerifyError::BiometricUnavailable
        }
        LAError::BiometryNotAvailable | LAError::BiometryNotEnrolled => {
            VerifyError::unavailable("Touch ID is not available")
        }
        LAError::PasscodeNotSet => VerifyError::unavailable("this Mac account has no password set"),
        LAError::NotInteractive => {
            VerifyError::unavailable("macOS cannot show its dialog in this session")
        }
        LAError::InvalidContext => VerifyError::Cancelled,
        other => VerifyError::failed(format!("LocalAuthentication error {}", other.0)),
    }
}

impl Verifier for LocalAuthVerifier {
    fn verify(&self, request: &Request) -> Result<Verified, VerifyError> {
        if request.cancel.is_cancelled() {
            return Err(VerifyError::Cancelled);
        }
        let require_biometric = request.require_biometric;
        // SAFETY: `new` returns a fresh, owned LAContext.
        let context = unsafe { LAContext::new() };
        if require_biometric {
            // SAFETY: setting a string property on our own context; an empty title hides the
            // "Enter Password" button, so the biometrics-only policy stays biometric.
            unsafe { context.setLocalizedFallbackTitle(Some(&NSString::from_str(""))) };
        }
        let reason = NSString::from_str(&request.reason);
        let (tx, rx) = mpsc::channel::<Result<(), isize>>();
        let reply = RcBlock::new(move |success: Bool, error: *mut NSError| {
            let answer = if success.as_bool() {
                Ok(())
            } else {
                // SAFETY: LocalAuthentication passes a valid NSError, or null on success; it
                // is only read during the call.
                Err(unsafe { error.as_ref() }.map_or(LAError::AuthenticationFailed.0, |e| e.code()))
            };
            let _ = tx.send(answer);
        });
        // SAFETY: the policy is a documented constant, the reason a live NSString, and the
        // block has the `(BOOL, NSError *)` signature the method declares; it only sends on a
        // channel, which is safe from LocalAuthentication's private queue (Sender is Send).
        unsafe {
            context.evaluatePolicy_localizedReason_reply(policy(require_biometric), &reason, &reply)
        };
        let withdrawn = match wait(&rx, request) {
            Waited::Answer(Ok(())) => {
                return Ok(Verified::by(if require_biometric {
                    Method::TouchId
                } else {
                    Method::LocalAuthentication
                }));
            }
            Waited::Answer(Err(code)) => return Err(map_error(code, require_biometric)),
            Waited::Lost => {
                return Err(VerifyError::failed(
                    "LocalAuthentication ended without a word",
                ));
            }
            Waited::Cancelled => VerifyError::Cancelled,
            Waited::TimedOut => VerifyError::Timeout,
        };
        // SAFETY: invalidating our own context closes its dialog; calling it twice or after
        // the reply has no effect (documented).
        unsafe { context.invalidate() };
        let _ = rx.recv_timeout(CANCEL_GRACE);
        Err(withdrawn)
    }

    fn availability(&self) -> Availability {
        // SAFETY: `new` returns a fresh, owned LAContext.
        let context = unsafe { LAContext::new() };
        // SAFETY: asks our own context about documented policy constants; no dialog is shown,
        // and the NSError out-parameter is handled by objc2 (returned as the Err).
        let can = |policy: LAPolicy| unsafe { context.canEvaluatePolicy_error(policy) };
        match can(LAPolicy::DeviceOwnerAuthentication) {
            Ok(()) => Availability::Available {
                biometric: Some(can(LAPolicy::DeviceOwnerAuthenticationWithBiometrics).is_ok()),
            },
            Err(error) => Availability::Unavailable(map_error(error.code(), false)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_stable_codes() {
        let code = |error: LAError, biometric| map_error(error.0, biometric).code();
        assert_eq!(code(LAError::UserCancel, false), "verify_cancelled");
        assert_eq!(code(LAError::AppCancel, false), "verify_cancelled");
        assert_eq!(code(LAError::AuthenticationFailed, false), "verify_refused");
        assert_eq!(
            code(LAError::BiometryNotEnrolled, true),
            "verify_biometric_unavailable"
        );
        assert_eq!(
            code(LAError::BiometryNotEnrolled, false),
            "verify_unavailable"
        );
        assert_eq!(code(LAError::PasscodeNotSet, false), "verify_unavailable");
    }

    /// Asks LocalAuthentication which policies it can evaluate (no dialog): any answer but a
    /// panic will do, so the framework path is linked and run wherever the tests run on macOS.
    #[test]
    fn availability_answers_without_a_dialog() {
        let availability = LocalAuthVerifier::new().availability();
        eprintln!("LocalAuthentication: {availability:?}");
    }
}
