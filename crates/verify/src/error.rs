//! The verification errors: one enum, a stable [`VerifyError::code`], messages a user can act on.
//!
//! The enum is `Clone + Eq` (no boxed sources) so that [`crate::Availability`] can carry the
//! reason a verifier is missing and test doubles can hand out the same error many times.
//! Details from the OS (a D-Bus error name, a Windows HRESULT) are kept as short strings for
//! logs; they are ours or the OS's, never a server's.

/// Why the OS did not confirm that the user is present.
///
/// Callers decide with [`VerifyError::code`]: on `verify_no_agent`, `verify_unavailable` and
/// `verify_biometric_unavailable` the vault passphrase or recovery key stands in (with a line
/// saying why); on every other error nothing is approved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The OS asked and the answer was wrong: wrong password, finger or face, or the account
    /// is not allowed to confirm this action.
    #[error("the computer could not confirm it is you")]
    Refused,
    /// The user closed the OS dialog, or Tessera withdrew it (the request was answered
    /// elsewhere, or the window closed).
    #[error("the verification was cancelled")]
    Cancelled,
    /// The deadline passed while the OS dialog was open (the sign-in request expired); the
    /// dialog was withdrawn.
    #[error("the verification took too long and was withdrawn")]
    Timeout,
    /// The OS offers no verification here: polkit is not installed or not running, there is
    /// no system bus, Windows Hello or a device password is not set up, and the like.
    #[error("this computer cannot verify who you are ({detail})")]
    Unavailable {
        /// What is missing, for logs and the stand-in line.
        detail: String,
    },
    /// polkit runs but no authentication agent is registered for this session (a bare window
    /// manager, an SSH session): nobody can show the password or fingerprint dialog.
    #[error("no authentication agent is running in this session to ask who you are")]
    NoAgent,
    /// A biometric check was required (the server's `app_force_unlock=biometric`) and this
    /// computer has no usable fingerprint, face or Touch ID sensor, or nothing enrolled.
    #[error("a fingerprint, face or Touch ID check is required, but none is set up here")]
    BiometricUnavailable,
    /// Anything else the OS reported (a protocol error, a busy sensor): nothing was verified.
    #[error("the verification failed ({detail})")]
    Failed {
        /// What went wrong, for logs.
        detail: String,
    },
}

tessera_core::error_codes!(pub VerifyError {
    Refused => "verify_refused",
    Cancelled => "verify_cancelled",
    Timeout => "verify_timeout",
    Unavailable => "verify_unavailable",
    NoAgent => "verify_no_agent",
    BiometricUnavailable => "verify_biometric_unavailable",
    Failed => "verify_failed",
});

impl VerifyError {
    /// Whether the OS has no verifier to offer, so that the vault passphrase or the recovery
    /// key may stand in. A refusal, a cancel or a timeout never lets the stand-in in: the user
    /// was asked and did not confirm.
    pub fn allows_stand_in(&self) -> bool {
        matches!(
            self,
            Self::Unavailable { .. } | Self::NoAgent | Self::BiometricUnavailable
        )
    }

    pub(crate) fn unavailable(detail: impl Into<String>) -> Self {
        Self::Unavailable {
            detail: detail.into(),
        }
    }

    #[cfg_attr(
        not(any(target_os = "linux", windows, target_os = "macos")),
        allow(dead_code)
    )]
    pub(crate) fn failed(detail: impl Into<String>) -> Self {
        Self::Failed {
            detail: detail.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<VerifyError> {
        vec![
            VerifyError::Refused,
            VerifyError::Cancelled,
            VerifyError::Timeout,
            VerifyError::unavailable("x"),
            VerifyError::NoAgent,
            VerifyError::BiometricUnavailable,
            VerifyError::failed("x"),
        ]
    }

    #[test]
    fn codes_are_distinct_and_prefixed() {
        let errors = all();
        let mut codes: Vec<_> = errors.iter().map(VerifyError::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), errors.len());
        assert!(codes.iter().all(|code| code.starts_with("verify_")));
    }

    #[test]
    fn only_a_missing_verifier_lets_the_stand_in_in() {
        let stand_in: Vec<_> = all()
            .into_iter()
            .filter(VerifyError::allows_stand_in)
            .map(|e| e.code())
            .collect();
        assert_eq!(
            stand_in,
            [
                "verify_unavailable",
                "verify_no_agent",
                "verify_biometric_unavailable"
            ]
        );
    }
}
