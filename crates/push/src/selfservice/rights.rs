//! The user's rights: the `user`-scope policy actions `/auth` lists in `rights` (protocol doc
//! §15, §16). Only what they allow is offered; the server checks again on every call.

use std::fmt;

/// One self-service action a `user` policy can grant. Unknown actions are kept as text in
/// [`Rights`] but have no variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Right {
    /// Delete one of one's own tokens (`delete`).
    Delete,
    /// Disable a token (`disable`).
    Disable,
    /// Enable a disabled token (`enable`).
    Enable,
    /// Enroll an HOTP token (`enrollHOTP`).
    EnrollHotp,
    /// Enroll a push token (`enrollPUSH`).
    EnrollPush,
    /// Enroll a TAN list: the backup codes (`enrollTAN`).
    EnrollTan,
    /// Enroll a TOTP token (`enrollTOTP`).
    EnrollTotp,
    /// Reset a token's failure counter (`reset`).
    Reset,
    /// Resync an HOTP/TOTP token with two consecutive codes (`resync`).
    Resync,
    /// Revoke a token for good (`revoke`).
    Revoke,
    /// Change a token's description (`setdescription`).
    SetDescription,
}

impl Right {
    /// Every right this client knows, in the order above.
    pub const ALL: [Right; 11] = [
        Right::Delete,
        Right::Disable,
        Right::Enable,
        Right::EnrollHotp,
        Right::EnrollPush,
        Right::EnrollTan,
        Right::EnrollTotp,
        Right::Reset,
        Right::Resync,
        Right::Revoke,
        Right::SetDescription,
    ];

    /// The policy action's name, as privacyIDEA spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delete => "delete",
            Self::Disable => "disable",
            Self::Enable => "enable",
            Self::EnrollHotp => "enrollHOTP",
            Self::EnrollPush => "enrollPUSH",
            Self::EnrollTan => "enrollTAN",
            Self::EnrollTotp => "enrollTOTP",
            Self::Reset => "reset",
            Self::Resync => "resync",
            Self::Revoke => "revoke",
            Self::SetDescription => "setdescription",
        }
    }

    /// The right for a policy action name (case-sensitive, as the server sends it).
    pub fn parse(action: &str) -> Option<Right> {
        Self::ALL.into_iter().find(|right| right.as_str() == action)
    }

    /// What the right lets one do, in words that complete "you may not …".
    pub fn describe(self) -> &'static str {
        match self {
            Self::Delete => "delete your tokens",
            Self::Disable => "disable your tokens",
            Self::Enable => "enable your tokens",
            Self::EnrollHotp => "add HOTP tokens",
            Self::EnrollPush => "add push tokens",
            Self::EnrollTan => "create backup codes",
            Self::EnrollTotp => "add TOTP tokens",
            Self::Reset => "unlock tokens (reset the failure counter)",
            Self::Resync => "resync tokens",
            Self::Revoke => "revoke your tokens",
            Self::SetDescription => "rename your tokens",
        }
    }
}

impl fmt::Display for Right {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rights of a signed-in user, as `/auth` listed them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rights {
    actions: Vec<String>,
}

impl Rights {
    /// Rights from the action names in `/auth`'s `rights`.
    pub fn from_actions(actions: impl IntoIterator<Item = String>) -> Self {
        let mut actions: Vec<String> = actions.into_iter().collect();
        actions.sort_unstable();
        actions.dedup();
        Self { actions }
    }

    /// Whether the user may do `right`.
    pub fn allows(&self, right: Right) -> bool {
        self.actions.iter().any(|action| action == right.as_str())
    }

    /// The known rights granted, in [`Right::ALL`] order (what to offer).
    pub fn granted(&self) -> Vec<Right> {
        Right::ALL
            .into_iter()
            .filter(|right| self.allows(*right))
            .collect()
    }

    /// Every action name the server listed, known or not, sorted.
    pub fn actions(&self) -> &[String] {
        &self.actions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for right in Right::ALL {
            assert_eq!(Right::parse(right.as_str()), Some(right));
        }
        assert_eq!(Right::parse("enrolltotp"), None, "case matters");
        assert_eq!(Right::parse("setpin"), None);
    }

    #[test]
    fn rights_from_the_auth_answer() {
        // As privacyIDEA 3.14 listed them (protocol doc §15), plus an unknown one.
        let rights = Rights::from_actions(
            [
                "unassign",
                "enrollTOTP",
                "reset",
                "resync",
                "delete",
                "disable",
                "x",
                "delete",
            ]
            .map(String::from),
        );
        assert!(rights.allows(Right::EnrollTotp));
        assert!(!rights.allows(Right::EnrollPush));
        assert_eq!(
            rights.granted(),
            [
                Right::Delete,
                Right::Disable,
                Right::EnrollTotp,
                Right::Reset,
                Right::Resync
            ]
        );
        assert_eq!(rights.actions().len(), 7);
    }
}
