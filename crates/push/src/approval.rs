//! When an approval needs the user verified by the OS first ("it's me": fingerprint or login
//! password through polkit, Windows Hello, Touch ID). One rule, used by the desktop app and the
//! CLI alike.
//!
//! - **Deny never needs verification**: refusing a sign-in can only protect the user, and a
//!   prompt bomb must be easy to stop.
//! - **Approve needs it** when the vault is locked (whoever sits at an unlocked desktop must not
//!   approve sign-ins in the user's name), when the organisation's policy on the token asks for
//!   it (`pin=True`, `app_force_unlock`, protocol doc §3), or when the user turned on "verify for
//!   every approval".
//! - `app_force_unlock=biometric` asks for a biometric-capable verifier where the OS offers one.

use crate::protocol::{Decision, ForceUnlock};

/// Why verification is due, for the line the user reads ("your organisation asks …").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Because {
    /// The vault is locked.
    VaultLocked,
    /// The organisation's policy on this token.
    Organisation,
    /// The user's own setting.
    UserSetting,
}

/// The verification an approval needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Required {
    /// A biometric-capable verifier must be used where the OS offers one.
    pub biometric: bool,
    /// The first reason that applies (organisation first: its demand is the strictest).
    pub because: Because,
}

/// What answering with `decision` needs: `None`, send at once; `Some`, verify the user first.
pub fn verification_due(
    decision: &Decision,
    vault_locked: bool,
    policy: Option<ForceUnlock>,
    verify_every_approval: bool,
) -> Option<Required> {
    if !matches!(decision, Decision::Approve { .. }) {
        return None;
    }
    let biometric = policy == Some(ForceUnlock::Biometric);
    let because = if policy.is_some() {
        Because::Organisation
    } else if vault_locked {
        Because::VaultLocked
    } else if verify_every_approval {
        Because::UserSetting
    } else {
        return None;
    };
    Some(Required { biometric, because })
}

#[cfg(test)]
mod tests {
    use super::*;

    const APPROVE: Decision = Decision::Approve { number: None };
    const DENY: Decision = Decision::Decline { reason: None };

    #[test]
    fn deny_never_needs_verification() {
        for locked in [false, true] {
            for policy in [None, Some(ForceUnlock::Any), Some(ForceUnlock::Biometric)] {
                for every in [false, true] {
                    assert_eq!(verification_due(&DENY, locked, policy, every), None);
                }
            }
        }
    }

    #[test]
    fn approve_needs_it_when_locked_asked_by_policy_or_by_the_user() {
        assert_eq!(verification_due(&APPROVE, false, None, false), None);
        let due = |locked, policy, every| verification_due(&APPROVE, locked, policy, every);
        assert_eq!(
            due(true, None, false),
            Some(Required {
                biometric: false,
                because: Because::VaultLocked
            })
        );
        assert_eq!(
            due(false, None, true),
            Some(Required {
                biometric: false,
                because: Because::UserSetting
            })
        );
        assert_eq!(
            due(false, Some(ForceUnlock::Any), false),
            Some(Required {
                biometric: false,
                because: Because::Organisation
            })
        );
        // Biometric even while unlocked, and whatever else applies.
        for (locked, every) in [(false, false), (true, false), (false, true), (true, true)] {
            assert_eq!(
                due(locked, Some(ForceUnlock::Biometric), every),
                Some(Required {
                    biometric: true,
                    because: Because::Organisation
                })
            );
        }
    }
}
