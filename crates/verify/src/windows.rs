//! Windows: Windows Hello through `UserConsentVerifier`.
//!
//! With a window handle ([`crate::Request::parent_window`]) the dialog is attached to Tessera's
//! window through `IUserConsentVerifierInterop::RequestVerificationForWindowAsync`, which is
//! what a Win32 desktop app is meant to call (the plain `RequestVerificationAsync` is for
//! UWP windows and may open the dialog behind ours). Without one, `RequestVerificationAsync`.
//!
//! Windows does not say whether Hello used a face, a finger or the PIN, and cannot be told to
//! refuse the PIN: Windows Hello *is* the biometric-capable verifier Windows offers, so a
//! request requiring biometrics goes through it as well (`app_force_unlock=biometric` asks for
//! the biometric-capable verifier where the OS offers one).
// One unsafe call, the COM interop with a caller-given HWND; see its SAFETY comment.
#![allow(unsafe_code)]

use std::sync::mpsc;
use std::time::Duration;

use windows::Security::Credentials::UI::{
    UserConsentVerificationResult, UserConsentVerifier, UserConsentVerifierAvailability,
};
use windows::Win32::Foundation::{HWND, REGDB_E_CLASSNOTREG};
use windows::Win32::System::WinRT::IUserConsentVerifierInterop;
use windows::core::HSTRING;
use windows_future::IAsyncOperation;

use crate::cancel::{Waited, wait};
use crate::{Availability, Method, Request, Verified, Verifier, VerifyError};

/// How long a withdrawn dialog may take to report back (`Cancel` is asynchronous).
const CANCEL_GRACE: Duration = Duration::from_secs(2);

/// Windows Hello.
#[derive(Debug, Default)]
pub(crate) struct HelloVerifier;

impl HelloVerifier {
    pub(crate) fn new() -> Self {
        Self
    }
}

fn os_error(error: windows::core::Error) -> VerifyError {
    VerifyError::failed(format!("Windows Hello: {error}"))
}

/// A request that could not start: where Windows has no Windows Hello API at all (the class is
/// not registered: some editions, and Wine), it is unavailable, as [`Verifier::availability`]
/// says; any other error is a failure.
fn start_error(error: windows::core::Error) -> VerifyError {
    if error.code() == REGDB_E_CLASSNOTREG {
        VerifyError::unavailable(format!("Windows Hello cannot be reached: {error}"))
    } else {
        os_error(error)
    }
}

fn start(
    request: &Request,
) -> windows::core::Result<IAsyncOperation<UserConsentVerificationResult>> {
    let message = HSTRING::from(request.reason.as_str());
    match request.parent_window {
        Some(handle) => {
            let interop =
                windows::core::factory::<UserConsentVerifier, IUserConsentVerifierInterop>()?;
            let window = HWND(std::ptr::with_exposed_provenance_mut(handle as usize));
            // SAFETY: an HWND is a handle Windows looks up and checks, not memory we hand
            // over: a stale or foreign value makes the call fail with an HRESULT. The message
            // is a live HSTRING for the call's duration, and the result type is the
            // IAsyncOperation<UserConsentVerificationResult> the interop documents (its IID is
            // what the call is asked for).
            unsafe { interop.RequestVerificationForWindowAsync(window, &message) }
        }
        None => UserConsentVerifier::RequestVerificationAsync(&message),
    }
}

fn map_result(result: UserConsentVerificationResult) -> Result<Verified, VerifyError> {
    match result {
        UserConsentVerificationResult::Verified => Ok(Verified::by(Method::WindowsHello)),
        UserConsentVerificationResult::Canceled => Err(VerifyError::Cancelled),
        UserConsentVerificationResult::RetriesExhausted => Err(VerifyError::Refused),
        UserConsentVerificationResult::DeviceNotPresent => Err(VerifyError::unavailable(
            "no Windows Hello device is present",
        )),
        UserConsentVerificationResult::NotConfiguredForUser => Err(VerifyError::unavailable(
            "Windows Hello is not set up for this account",
        )),
        UserConsentVerificationResult::DisabledByPolicy => Err(VerifyError::unavailable(
            "Windows Hello is turned off by a policy",
        )),
        UserConsentVerificationResult::DeviceBusy => {
            Err(VerifyError::failed("the Windows Hello device is busy"))
        }
        other => Err(VerifyError::failed(format!(
            "Windows Hello answered {}",
            other.0
        ))),
    }
}

impl Verifier for HelloVerifier {
    fn verify(&self, request: &Request) -> Result<Verified, VerifyError> {
        if request.cancel.is_cancelled() {
            return Err(VerifyError::Cancelled);
        }
        let operation = start(request).map_err(start_error)?;
        // The completion handler runs on a Windows thread pool thread; this one waits for it,
        // the cancel handle and the deadline.
        let (tx, rx) = mpsc::channel();
        operation
            .when(move |result| {
                let _ = tx.send(result);
            })
            .map_err(os_error)?;
        let withdrawn = match wait(&rx, request) {
            Waited::Answer(Ok(result)) => return map_result(result),
            Waited::Answer(Err(error)) => return Err(os_error(error)),
            Waited::Lost => return Err(VerifyError::failed("Windows Hello ended without a word")),
            Waited::Cancelled => VerifyError::Cancelled,
            Waited::TimedOut => VerifyError::Timeout,
        };
        // Closes the dialog. Whatever it answers now is dropped: the request was withdrawn.
        let _ = operation.Cancel();
        let _ = rx.recv_timeout(CANCEL_GRACE);
        Err(withdrawn)
    }

    fn availability(&self) -> Availability {
        let availability = UserConsentVerifier::CheckAvailabilityAsync().and_then(|op| op.join());
        let unavailable =
            |detail: &str| Availability::Unavailable(VerifyError::unavailable(detail));
        match availability {
            // Hello may be a PIN only; Windows does not say which sensors are set up.
            Ok(UserConsentVerifierAvailability::Available) => {
                Availability::Available { biometric: None }
            }
            Ok(UserConsentVerifierAvailability::DeviceNotPresent) => {
                unavailable("no Windows Hello device is present")
            }
            Ok(UserConsentVerifierAvailability::NotConfiguredForUser) => {
                unavailable("Windows Hello is not set up for this account")
            }
            Ok(UserConsentVerifierAvailability::DisabledByPolicy) => {
                unavailable("Windows Hello is turned off by a policy")
            }
            // Busy now (another app's dialog) but there: verify will say if it stays busy.
            Ok(UserConsentVerifierAvailability::DeviceBusy) => {
                Availability::Available { biometric: None }
            }
            Ok(other) => unavailable(&format!("Windows Hello answered {}", other.0)),
            Err(error) => Availability::Unavailable(VerifyError::unavailable(format!(
                "Windows Hello cannot be reached: {error}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_map_to_stable_codes() {
        let code = |result| map_result(result).map_err(|e| e.code());
        assert_eq!(
            map_result(UserConsentVerificationResult::Verified).map(|v| v.method),
            Ok(Method::WindowsHello)
        );
        assert_eq!(
            code(UserConsentVerificationResult::Canceled),
            Err("verify_cancelled")
        );
        assert_eq!(
            code(UserConsentVerificationResult::RetriesExhausted),
            Err("verify_refused")
        );
        assert_eq!(
            code(UserConsentVerificationResult::NotConfiguredForUser),
            Err("verify_unavailable")
        );
        assert_eq!(
            code(UserConsentVerificationResult::DeviceBusy),
            Err("verify_failed")
        );
    }

    #[test]
    fn no_windows_hello_api_is_unavailable_other_errors_fail() {
        let code = |hresult| start_error(windows::core::Error::from_hresult(hresult)).code();
        assert_eq!(code(REGDB_E_CLASSNOTREG), "verify_unavailable");
        assert_eq!(
            code(windows::Win32::Foundation::E_ACCESSDENIED),
            "verify_failed"
        );
    }

    /// Asks Windows whether Hello is set up (no dialog): any answer but a panic will do, so
    /// the WinRT activation path is linked and run wherever the tests run on Windows.
    #[test]
    fn availability_answers_without_a_dialog() {
        let availability = HelloVerifier::new().availability();
        eprintln!("Windows Hello: {availability:?}");
    }

    #[test]
    fn a_cancelled_request_shows_nothing() {
        let request = Request::new("r");
        request.cancel.cancel();
        assert_eq!(
            HelloVerifier::new().verify(&request),
            Err(VerifyError::Cancelled)
        );
    }
}
