//! The text read from one QR code.

use std::fmt;

use zeroize::Zeroizing;

/// The text of one decoded QR code.
///
/// It may be an `otpauth://` URI, which carries a secret: the text is wiped from memory on drop
/// and `Debug` prints only its length and scheme.
#[derive(PartialEq, Eq)]
pub struct QrText(Zeroizing<String>);

impl QrText {
    /// Wraps a decoded text (moved in, not copied).
    pub fn new(text: String) -> Self {
        Self(Zeroizing::new(text))
    }

    /// The full text. Every caller must justify the exposure with an `// EXPOSE:` comment.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Length in bytes (metadata only).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the code held no text at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for QrText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // EXPOSE: only the scheme is shown; it tells a reader what kind of code this is.
        let scheme = crate::classify::scheme_of(self.expose_secret()).unwrap_or("?");
        write!(f, "QrText(scheme={scheme:?}, len={})", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let text = QrText::new("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&issuer=A".into());
        let printed = format!("{text:?}");
        assert_eq!(printed, "QrText(scheme=\"otpauth\", len=51)");
        assert!(!printed.contains("JBSWY3DP"));
    }
}
