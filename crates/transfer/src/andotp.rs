//! andOTP backups (formats.md §7): the plain JSON array, the new encrypted format
//! (`iterations | salt | nonce | AES-GCM`, PBKDF2-SHA1) and the old one (SHA-256 of the
//! password as the AES-GCM key).

use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::crypto::{self, Prf, gcm_open};
use crate::entry::{Collector, EntryError, Kind, Params, base32_secret};
use crate::json::{self, num, str_field};
use crate::limits;
use crate::{Format, Import, ImportError};

const FORMAT: Format = Format::AndOtp;
const INVALID: ImportError = ImportError::InvalidContainer { format: FORMAT };

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const SALT_LEN: usize = 12;
/// New format header: iterations (4) + salt (12) + nonce (12).
const NEW_HEADER_LEN: usize = 4 + SALT_LEN + NONCE_LEN;
/// The shortest encrypted file: an old-format nonce and tag around an empty plaintext.
pub(crate) const MIN_ENCRYPTED_LEN: usize = NONCE_LEN + TAG_LEN;

/// Imports an andOTP backup: plain JSON, or either encrypted generation (needs `password`).
pub fn import(bytes: &[u8], password: Option<&str>) -> Result<Import, ImportError> {
    if let Ok(json) = json::parse(bytes, FORMAT) {
        return from_json(&json.0);
    }
    if bytes.len() < MIN_ENCRYPTED_LEN {
        return Err(ImportError::Truncated { format: FORMAT });
    }
    let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
    let plain = decrypt_new(bytes, password)?
        .or_else(|| decrypt_old(bytes, password))
        .ok_or(ImportError::WrongPassword { format: FORMAT })?;
    let json = json::parse(&plain, FORMAT)?;
    from_json(&json.0)
}

/// The new format, if the header is plausible and the tag verifies. Iteration counts outside
/// 1..=10,000,000 mean the file is not in this format (Aegis' rule), not that it is hostile.
fn decrypt_new(bytes: &[u8], password: &str) -> Result<Option<Zeroizing<Vec<u8>>>, ImportError> {
    let Some((header, body)) = bytes.split_at_checked(NEW_HEADER_LEN) else {
        return Ok(None);
    };
    if body.len() < TAG_LEN {
        return Ok(None);
    }
    let (count, rest) = header.split_at(4);
    let iterations = u64::from(u32::from_be_bytes([count[0], count[1], count[2], count[3]]));
    if !(1..=limits::MAX_PBKDF2_ITERATIONS).contains(&iterations) {
        return Ok(None);
    }
    let (salt, nonce) = rest.split_at(SALT_LEN);
    let key = crypto::pbkdf2(FORMAT, Prf::Sha1, password.as_bytes(), salt, iterations)?;
    Ok(gcm_open(key.as_ref(), nonce, body, b""))
}

fn decrypt_old(bytes: &[u8], password: &str) -> Option<Zeroizing<Vec<u8>>> {
    let (nonce, body) = bytes.split_at_checked(NONCE_LEN)?;
    let key = Zeroizing::new(<[u8; 32]>::from(Sha256::digest(password.as_bytes())));
    gcm_open(key.as_ref(), nonce, body, b"")
}

pub(crate) fn from_json(value: &Value) -> Result<Import, ImportError> {
    let entries = value.as_array().ok_or(INVALID)?;
    let mut collector = Collector::new(FORMAT);
    for entry in entries {
        let (issuer, name) = names(entry);
        collector.add(
            issuer,
            name,
            read_entry(entry),
            json::strings(entry, "tags"),
        );
    }
    collector.finish()
}

/// `issuer` and `label`; older exports have no issuer and a label `Issuer - Account`. A label
/// that repeats the issuer as `Issuer:Account` loses the prefix (formats.md §7).
fn names(entry: &Value) -> (String, String) {
    let label = str_field(entry, "label").unwrap_or_default();
    let (issuer, label) = match str_field(entry, "issuer") {
        Some(issuer) => (issuer.to_owned(), label.to_owned()),
        None => match label.split_once(" - ") {
            Some((issuer, account)) => (issuer.to_owned(), account.to_owned()),
            None => (String::new(), label.to_owned()),
        },
    };
    let name = if issuer.is_empty() {
        label
    } else {
        label
            .strip_prefix(issuer.as_str())
            .and_then(|rest| rest.strip_prefix(':'))
            .map_or(label.clone(), |account| account.trim_start().to_owned())
    };
    (issuer, name)
}

fn read_entry(entry: &Value) -> Result<(tessera_core::OtpSecret, tessera_core::Otp), EntryError> {
    let kind = Kind::parse(str_field(entry, "type").unwrap_or("TOTP"))?;
    let params = Params {
        algorithm: str_field(entry, "algorithm"),
        digits: num(entry, "digits"),
        period: num(entry, "period"),
        counter: num(entry, "counter"),
        ..Params::new(kind)
    };
    let otp = params.otp()?;
    let secret = base32_secret(str_field(entry, "secret"))?;
    Ok((secret, otp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_types_and_problems() {
        let file = r#"[
            {"secret":"JBSWY3DPEHPK3PXP====","label":"Deno - Deno:Mason","type":"TOTP"},
            {"secret":"JBSWY3DPEHPK3PXP","issuer":"","label":":no_issuer_account","type":"TOTP"},
            {"secret":"JBSWY3DPEHPK3PXP","issuer":"Valve","label":"me","type":"STEAM","digits":5},
            {"secret":"JBSWY3DPEHPK3PXP","issuer":"M","label":"m","type":"MOTP"},
            {"secret":"JBSWY3DPEHPK3PXP","issuer":"H","label":"h","type":"HOTP","counter":-1}
        ]"#;
        let import = import(file.as_bytes(), None).unwrap();
        let names: Vec<_> = import
            .entries
            .iter()
            .map(|e| (e.issuer.as_str(), e.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("Deno", "Mason"),
                ("", ":no_issuer_account"),
                ("Valve", "me")
            ]
        );
        assert_eq!(import.entries[2].otp, tessera_core::Otp::Steam);
        assert_eq!(import.unsupported().count(), 1);
        assert_eq!(import.problems[1].error, EntryError::InvalidCounter);
    }

    #[test]
    fn encrypted_files_need_a_password_and_reject_garbage() {
        let blob = [7u8; 80];
        assert_eq!(
            import(&blob, None).unwrap_err(),
            ImportError::PasswordRequired { format: FORMAT }
        );
        assert_eq!(
            import(&blob, Some("pw")).unwrap_err(),
            ImportError::WrongPassword { format: FORMAT }
        );
        assert_eq!(
            import(&[1u8; 10], Some("pw")).unwrap_err(),
            ImportError::Truncated { format: FORMAT }
        );
    }
}
