//! Proton Authenticator exports (formats.md §13): plain JSON, or encrypted with Argon2id and
//! AES-256-GCM.

use serde_json::Value;
use tessera_core::Otp;
use tessera_core::uri::OtpUri;

use crate::crypto::{self, base64, gcm_open};
use crate::entry::{Collector, EntryError, uri_label};
use crate::json::{self, str_field, text};
use crate::{Format, Import, ImportError};

const FORMAT: Format = Format::Proton;
const INVALID: ImportError = ImportError::InvalidContainer { format: FORMAT };
/// proton-pass-common `password_exporter.rs`.
const AAD: &[u8] = b"proton.authenticator.export.v1";
const ARGON2_ITERATIONS: u64 = 2;
const ARGON2_MEMORY_KIB: u64 = 19 * 1024;

/// Imports a Proton Authenticator export, plain or encrypted.
pub fn import(bytes: &[u8], password: Option<&str>) -> Result<Import, ImportError> {
    let json = json::parse(bytes, FORMAT)?;
    from_json(&json.0, password)
}

pub(crate) fn from_json(value: &Value, password: Option<&str>) -> Result<Import, ImportError> {
    if value.get("entries").is_some() {
        return read_entries(value);
    }
    let salt = base64(json::required_str(value, "salt", FORMAT)?).ok_or(INVALID)?;
    let content = base64(json::required_str(value, "content", FORMAT)?).ok_or(INVALID)?;
    let (nonce, sealed) = content
        .split_at_checked(12)
        .ok_or(ImportError::Truncated { format: FORMAT })?;
    let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
    let key = crypto::argon2id(
        FORMAT,
        password.as_bytes(),
        &salt,
        ARGON2_ITERATIONS,
        ARGON2_MEMORY_KIB,
        1,
    )?;
    let plain = gcm_open(key.as_ref(), nonce, sealed, AAD)
        .ok_or(ImportError::WrongPassword { format: FORMAT })?;
    let inner = json::parse(&plain, FORMAT)?;
    if inner.0.get("entries").is_none() {
        return Err(INVALID);
    }
    read_entries(&inner.0)
}

fn read_entries(value: &Value) -> Result<Import, ImportError> {
    let entries = value
        .get("entries")
        .and_then(Value::as_array)
        .ok_or(INVALID)?;
    let mut collector = Collector::new(FORMAT);
    for entry in entries {
        let content = entry.get("content").unwrap_or(&Value::Null);
        let content_name = text(content, "name");
        let Some(uri) = str_field(content, "uri") else {
            collector.add(
                String::new(),
                content_name,
                Err(EntryError::MissingSecret),
                Vec::new(),
            );
            continue;
        };
        match OtpUri::parse(uri) {
            Ok(parsed) => {
                // `steam://SECRET` names nothing: the account is `content.name`.
                let name = if parsed.name.is_empty() {
                    content_name
                } else {
                    parsed.name
                };
                let issuer = if parsed.issuer.is_empty() && parsed.otp == Otp::Steam {
                    "Steam".to_owned()
                } else {
                    parsed.issuer
                };
                collector.add(issuer, name, Ok((parsed.secret, parsed.otp)), Vec::new());
            }
            Err(error) => {
                let (issuer, name) = uri_label(uri);
                let name = if name.is_empty() { content_name } else { name };
                collector.add(
                    issuer,
                    name,
                    Err(EntryError::from_uri(error, uri)),
                    Vec::new(),
                );
            }
        }
    }
    collector.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steam_entries_take_the_content_name() {
        let file = br#"{"version":1,"entries":[
            {"content":{"uri":"steam://JBSWY3DPEHPK3PXP","entry_type":"Steam","name":"gabe"}},
            {"content":{"uri":"otpauth://totp/%3Acool%40ente.com?secret=JBSWY3DPEHPK3PXP","entry_type":"Totp","name":":cool@ente.com"}},
            {"content":{"uri":"otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&period=0","entry_type":"Totp","name":"y"}},
            {"content":{"entry_type":"Totp","name":"nouri"}}]}"#;
        let import = import(file, None).unwrap();
        assert_eq!(import.entries[0].otp, Otp::Steam);
        assert_eq!(import.entries[0].name, "gabe");
        assert_eq!(import.entries[1].issuer, "");
        assert_eq!(import.entries[1].name, "cool@ente.com");
        let codes: Vec<_> = import.problems.iter().map(|p| p.error.code()).collect();
        assert_eq!(codes, ["invalid_period", "missing_secret"]);
    }

    #[test]
    fn encrypted_without_password() {
        let file = br#"{"version":1,"salt":"AAAAAAAAAAAAAAAAAAAAAA==","content":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#;
        assert_eq!(
            import(file, None).unwrap_err(),
            ImportError::PasswordRequired { format: FORMAT }
        );
    }
}
