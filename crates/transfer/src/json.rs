//! JSON parsing for the importers: a parsed document whose strings are wiped on drop, and
//! lenient field readers (numbers may arrive as strings, null means absent).

use serde_json::Value;
use zeroize::Zeroize;

use crate::entry::Num;
use crate::limits::{Limit, MAX_JSON_CONTAINERS, MAX_JSON_DEPTH, MAX_JSON_VALUES};
use crate::{Format, ImportError};

/// A parsed JSON document. Export files carry secrets in their strings: they are overwritten
/// when the document is dropped.
pub(crate) struct Json(pub(crate) Value);

impl Drop for Json {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

fn wipe(value: &mut Value) {
    match value {
        Value::String(text) => text.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(map) => map.values_mut().for_each(wipe),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Parses UTF-8 JSON (a BOM is skipped). An early end is [`ImportError::Truncated`]; anything
/// else that is not JSON is [`ImportError::InvalidContainer`]. serde_json's own messages are
/// dropped: they quote the input.
///
/// The text is first scanned against [`MAX_JSON_DEPTH`], [`MAX_JSON_CONTAINERS`] and
/// [`MAX_JSON_VALUES`]: a parsed value takes up to a hundred times the bytes of its text, so
/// the shape is checked before anything is built ([`ImportError::LimitExceeded`]).
pub(crate) fn parse(bytes: &[u8], format: Format) -> Result<Json, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    check_shape(bytes).map_err(|limit| ImportError::LimitExceeded {
        format: Some(format),
        limit,
    })?;
    serde_json::from_slice(bytes).map(Json).map_err(|error| {
        if error.is_eof() {
            ImportError::Truncated { format }
        } else {
            ImportError::InvalidContainer { format }
        }
    })
}

/// Counts nesting, containers and values of JSON text without building anything (strings
/// are skipped, escapes included). Malformed text passes: the parser reports it.
pub(crate) fn check_shape(bytes: &[u8]) -> Result<(), Limit> {
    let mut depth = 0usize;
    let mut containers = 0u64;
    // The top-level value, then one more per comma.
    let mut values = 1u64;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                containers += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(Limit::Nesting);
                }
                if containers > MAX_JSON_CONTAINERS {
                    return Err(Limit::JsonContainers);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' => {
                values += 1;
                if values > MAX_JSON_VALUES {
                    return Err(Limit::JsonValues);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A non-null string field.
pub(crate) fn str_field<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// A string field, empty when absent or not a string.
pub(crate) fn text(value: &Value, key: &str) -> String {
    str_field(value, key).unwrap_or_default().to_owned()
}

/// A non-negative whole number, also accepted as a numeric string ("30"); null or missing is
/// absent.
pub(crate) fn num(value: &Value, key: &str) -> Num {
    match value.get(key) {
        None | Some(Value::Null) => Num::Absent,
        Some(Value::Number(n)) => n
            .as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                    .map(|f| f as u64)
            })
            .map_or(Num::Invalid, Num::Value),
        Some(Value::String(s)) if s.trim().is_empty() || s.eq_ignore_ascii_case("null") => {
            Num::Absent
        }
        Some(Value::String(s)) => s.trim().parse().map_or(Num::Invalid, Num::Value),
        Some(_) => Num::Invalid,
    }
}

/// A required whole-number field of a container (KDF parameters and the like).
pub(crate) fn required_u64(value: &Value, key: &str, format: Format) -> Result<u64, ImportError> {
    match num(value, key) {
        Num::Value(n) => Ok(n),
        Num::Absent | Num::Invalid => Err(ImportError::InvalidContainer { format }),
    }
}

/// A required string field of a container.
pub(crate) fn required_str<'a>(
    value: &'a Value,
    key: &str,
    format: Format,
) -> Result<&'a str, ImportError> {
    str_field(value, key).ok_or(ImportError::InvalidContainer { format })
}

/// An array of Java signed bytes (-128..=127, also 0..=255) as bytes.
pub(crate) fn signed_bytes(value: &Value) -> Option<Vec<u8>> {
    value
        .as_array()?
        .iter()
        .map(|v| {
            let n = v.as_i64()?;
            (-128..=255).contains(&n).then_some((n & 0xFF) as u8)
        })
        .collect()
}

/// String items of an array field (tags, group lists); other items are skipped.
pub(crate) fn strings(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_leniently() {
        let v: Value =
            serde_json::from_str(r#"{"a":6,"b":"8","c":null,"d":-1,"e":"x","f":6.0,"g":true}"#)
                .unwrap();
        assert_eq!(num(&v, "a"), Num::Value(6));
        assert_eq!(num(&v, "b"), Num::Value(8));
        assert_eq!(num(&v, "c"), Num::Absent);
        assert_eq!(num(&v, "missing"), Num::Absent);
        assert_eq!(num(&v, "d"), Num::Invalid);
        assert_eq!(num(&v, "e"), Num::Invalid);
        assert_eq!(num(&v, "f"), Num::Value(6));
        assert_eq!(num(&v, "g"), Num::Invalid);
    }

    #[test]
    fn parse_tells_truncated_from_foreign() {
        assert!(matches!(
            parse(br#"{"a": [1, 2"#, Format::Aegis),
            Err(ImportError::Truncated { .. })
        ));
        assert!(matches!(
            parse(b"{nope}", Format::Aegis),
            Err(ImportError::InvalidContainer { .. })
        ));
        assert!(parse(b"\xEF\xBB\xBF{}", Format::Aegis).is_ok());
    }

    #[test]
    fn shape_check_counts_outside_strings_only() {
        let deep = format!(
            "{}{}",
            "[".repeat(MAX_JSON_DEPTH),
            "]".repeat(MAX_JSON_DEPTH)
        );
        assert_eq!(check_shape(deep.as_bytes()), Ok(()));
        assert_eq!(
            check_shape(format!("[{deep}]").as_bytes()),
            Err(Limit::Nesting)
        );
        // Brackets, commas and escaped quotes inside strings are text, not structure.
        let text = format!(
            r#"["\"{}\\", "{}"]"#,
            "[".repeat(1000),
            ",".repeat(2_000_000)
        );
        assert_eq!(check_shape(text.as_bytes()), Ok(()));
        let values = format!("[{}0]", "0,".repeat(MAX_JSON_VALUES as usize));
        assert_eq!(check_shape(values.as_bytes()), Err(Limit::JsonValues));
        let containers = format!("[{}{{}}]", "{},".repeat(MAX_JSON_CONTAINERS as usize));
        assert_eq!(
            check_shape(containers.as_bytes()),
            Err(Limit::JsonContainers)
        );
    }

    #[test]
    fn signed_bytes_wrap() {
        let v: Value = serde_json::from_str("[-19, 64, 255, -128]").unwrap();
        assert_eq!(signed_bytes(&v), Some(vec![0xED, 0x40, 0xFF, 0x80]));
        let bad: Value = serde_json::from_str("[300]").unwrap();
        assert_eq!(signed_bytes(&bad), None);
    }
}
