//! Untrusted text (issuers, names and tags from imported files or scanned URIs, paths) made safe
//! for a terminal, as fd's `sanitize.rs` does: control characters could move the cursor, rewrite
//! earlier lines or set the window title, and bidi overrides or zero-width characters could make
//! one account look like another. They are shown escaped (`\u{202e}`) instead.
//!
//! JSON output is not sanitized: it is for programs, which need the exact value, and serde_json
//! already escapes every control character.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` with every control, bidi-override and zero-width character escaped.
pub(crate) fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            match c {
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                // Writing to a String cannot fail.
                _ => {
                    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
                }
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Bidi marks, embeddings, overrides and isolates (Unicode TR9).
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            // Zero-width space, joiners, word joiner, invisible operators, BOM.
            | '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize("GitHub (alice@é.org)"), Cow::Borrowed(_)));
    }

    #[test]
    fn named_cases() {
        let cases = [
            ("escape", "a\x1b[2Jb", "a\\u{1b}[2Jb"),
            ("newline", "evil\nerror: fake", "evil\\nerror: fake"),
            ("bidi override", "moc.elgoog\u{202e}", "moc.elgoog\\u{202e}"),
            ("zero width", "Git\u{200b}Hub", "Git\\u{200b}Hub"),
            ("bell and delete", "\x07\x7f", "\\u{7}\\u{7f}"),
            ("c1 control", "a\u{9b}b", "a\\u{9b}b"),
            ("tab", "a\tb", "a\\tb"),
        ];
        for (name, input, expected) in cases {
            assert_eq!(sanitize(input), expected, "{name}");
        }
    }
}
