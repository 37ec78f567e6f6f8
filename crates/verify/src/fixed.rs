//! A verifier with a fixed answer, for callers' unit tests (and OSes without a verifier).

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{Availability, Method, Request, Verified, Verifier, VerifyError};

/// Answers every request the same way and counts the calls, so a test can check that an
/// approval asked for verification (or that a deny did not).
///
/// A request already cancelled, or past its deadline, gets `verify_cancelled` or
/// `verify_timeout` as from a real verifier; otherwise the fixed answer, whatever the request
/// asks ([`FixedVerifier::last_request`] lets the test check what was asked).
#[derive(Debug)]
pub struct FixedVerifier {
    answer: Result<Verified, VerifyError>,
    calls: AtomicUsize,
    last_request: Mutex<Option<Request>>,
}

impl FixedVerifier {
    /// Always verifies, as [`Method::Fixed`].
    pub fn ok() -> Self {
        Self::answer(Ok(Verified::by(Method::Fixed)))
    }

    /// Always verifies, reporting `method`.
    pub fn ok_by(method: Method) -> Self {
        Self::answer(Ok(Verified::by(method)))
    }

    /// Always fails with `error`.
    pub fn err(error: VerifyError) -> Self {
        Self::answer(Err(error))
    }

    /// Always refuses (`verify_refused`).
    pub fn refused() -> Self {
        Self::err(VerifyError::Refused)
    }

    /// The user always dismisses the dialog (`verify_cancelled`).
    pub fn cancelled() -> Self {
        Self::err(VerifyError::Cancelled)
    }

    /// No authentication agent (`verify_no_agent`): the stand-in path.
    pub fn no_agent() -> Self {
        Self::err(VerifyError::NoAgent)
    }

    fn answer(answer: Result<Verified, VerifyError>) -> Self {
        Self {
            answer,
            calls: AtomicUsize::new(0),
            last_request: Mutex::new(None),
        }
    }

    /// How many times [`Verifier::verify`] was called.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// The last request passed to [`Verifier::verify`].
    pub fn last_request(&self) -> Option<Request> {
        self.last_request
            .lock()
            .map(|last| last.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }
}

impl Verifier for FixedVerifier {
    fn verify(&self, request: &Request) -> Result<Verified, VerifyError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        match self.last_request.lock() {
            Ok(mut last) => *last = Some(request.clone()),
            Err(poisoned) => *poisoned.into_inner() = Some(request.clone()),
        }
        if request.cancel.is_cancelled() {
            return Err(VerifyError::Cancelled);
        }
        if request
            .deadline
            .is_some_and(|deadline| deadline <= std::time::Instant::now())
        {
            return Err(VerifyError::Timeout);
        }
        self.answer.clone()
    }

    fn availability(&self) -> Availability {
        match &self.answer {
            Err(error) if error.allows_stand_in() => Availability::Unavailable(error.clone()),
            Ok(verified) => Availability::Available {
                biometric: Some(verified.method.is_biometric()),
            },
            Err(_) => Availability::Available { biometric: None },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn answers_and_counts() {
        let verifier = FixedVerifier::refused();
        assert_eq!(verifier.calls(), 0);
        let error = verifier.verify(&Request::new("approve")).unwrap_err();
        assert_eq!(error.code(), "verify_refused");
        assert_eq!(verifier.calls(), 1);
        assert_eq!(verifier.last_request().unwrap().reason, "approve");
        assert!(matches!(
            verifier.availability(),
            Availability::Available { .. }
        ));

        assert_eq!(
            FixedVerifier::ok()
                .verify(&Request::new("r"))
                .unwrap()
                .method,
            Method::Fixed
        );
        assert_eq!(
            FixedVerifier::cancelled()
                .verify(&Request::new("r"))
                .unwrap_err(),
            VerifyError::Cancelled
        );
        let no_agent = FixedVerifier::no_agent();
        assert_eq!(
            no_agent.availability(),
            Availability::Unavailable(VerifyError::NoAgent)
        );
    }

    #[test]
    fn cancel_deadline_and_biometric_rules() {
        let verifier = FixedVerifier::ok();
        let request = Request::new("r");
        request.cancel.cancel();
        assert_eq!(
            verifier.verify(&request).unwrap_err(),
            VerifyError::Cancelled
        );
        let past = Instant::now()
            .checked_sub(Duration::from_secs(1))
            .unwrap_or_else(Instant::now);
        assert_eq!(
            verifier
                .verify(&Request::new("r").deadline(past))
                .unwrap_err(),
            VerifyError::Timeout
        );
        // the answer is the test's to pick, biometric requirement or not
        let hello = FixedVerifier::ok_by(Method::WindowsHello);
        let request = Request::new("r").biometric(true);
        assert_eq!(hello.verify(&request).unwrap().method, Method::WindowsHello);
        assert!(hello.last_request().unwrap().require_biometric);
    }
}
