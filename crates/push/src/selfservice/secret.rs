//! Secret types of the self-service API: the password, the session token (a JWT), and backup
//! codes. No `Clone`, `Serialize` or derived `Debug`; memory only; wiped on drop.

use std::fmt;

use zeroize::Zeroizing;

/// A password typed by the user, for `/auth`. Wiped on drop.
pub struct Password(Zeroizing<String>);

impl Password {
    /// Wraps the typed text (taken over: no copy is left behind).
    pub fn new(text: String) -> Self {
        Self(Zeroizing::new(text))
    }

    /// The text.
    // EXPOSE: only to build the `/auth` form (and the `password+code` concatenation).
    pub(crate) fn expose_secret(&self) -> &str {
        &self.0
    }

    /// The password with `code` appended, as privacyIDEA checks `otppin=userstore` logins in
    /// one step. Wiped on drop.
    pub(crate) fn with_code(&self, code: &str) -> Password {
        let mut text = String::with_capacity(self.0.len() + code.len());
        text.push_str(&self.0);
        text.push_str(code);
        Password::new(text)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// The JWT `/auth` returned: the user's session. Memory only, never stored; dropping it signs
/// out (privacyIDEA JWTs are stateless, so there is no server call to make).
pub(crate) struct SessionToken(Zeroizing<String>);

impl SessionToken {
    pub(crate) fn new(text: Zeroizing<String>) -> Self {
        Self(text)
    }

    // EXPOSE: only into the `PI-Authorization` header of the user's own requests.
    pub(crate) fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

/// A fresh set of one-time backup codes (a privacyIDEA TAN list). The server keeps only salted
/// hashes; this is the one time the codes exist in clear. Show or save them once, then drop
/// this value (the codes are wiped).
pub struct BackupCodes {
    serial: String,
    codes: Vec<Zeroizing<String>>,
}

impl BackupCodes {
    pub(crate) fn new(serial: String, codes: Vec<Zeroizing<String>>) -> Self {
        Self { serial, codes }
    }

    /// The serial of the TAN token that holds them (`PITN…`), e.g. to delete the whole set.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// How many codes there are.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the set is empty (never, for a set the server made).
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The codes, in the server's order. Each can be used once, in any order.
    // EXPOSE: callers show them once for printing or saving; never log them.
    pub fn expose_codes(&self) -> impl Iterator<Item = &str> {
        self.codes.iter().map(|code| code.as_str())
    }
}

impl fmt::Debug for BackupCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackupCodes")
            .field("serial", &self.serial)
            .field("count", &self.codes.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let password = Password::new("hunter2-secret".into());
        assert_eq!(format!("{password:?}"), "Password(<redacted>)");
        let token = SessionToken::new(Zeroizing::new("eyJhbGci.secret.sig".into()));
        assert_eq!(format!("{token:?}"), "SessionToken(<redacted>)");
        let codes = BackupCodes::new("PITN0001".into(), vec![Zeroizing::new("722221".into())]);
        let text = format!("{codes:?}");
        assert!(!text.contains("722221"), "{text}");
        assert!(
            text.contains("PITN0001") && text.contains("count: 1"),
            "{text}"
        );
    }

    #[test]
    fn password_with_code_appends() {
        let password = Password::new("pw".into());
        assert_eq!(password.with_code("123456").expose_secret(), "pw123456");
        assert_eq!(password.expose_secret(), "pw");
    }
}
