//! The generated code text.

use std::fmt;

use zeroize::Zeroize;

/// A generated one-time code ("123456", or five Steam characters).
///
/// It holds no secret, but a valid code is still a short-lived credential: `Debug` prints only
/// its length (so codes never end up in logs by accident) and the text is wiped on drop.
/// `Display` and [`Code::as_str`] give the text for the places that show it.
#[derive(PartialEq, Eq)]
pub struct Code(String);

impl Code {
    /// Wraps text built by the generators in this module.
    pub(crate) fn new(text: String) -> Self {
        Self(text)
    }

    /// The code text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Number of characters in the code.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the code is empty (never true for generated codes).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code(len={})", self.0.len())
    }
}

impl Drop for Code {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted_and_display_is_not() {
        let code = Code::new("287082".to_owned());
        assert_eq!(format!("{code:?}"), "Code(len=6)");
        assert_eq!(code.to_string(), "287082");
        assert_eq!(code.as_str(), "287082");
        assert_eq!(code.len(), 6);
        assert!(!code.is_empty());
    }
}
