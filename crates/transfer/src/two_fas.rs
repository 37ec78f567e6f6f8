//! 2FAS backups (`.2fas`, formats.md §6): schemas 1 to 4, plain or encrypted (PBKDF2-SHA256
//! then AES-256-GCM).

use std::collections::HashMap;

use serde_json::Value;
use zeroize::Zeroizing;

use crate::crypto::{self, Key, Prf, base64, gcm_open};
use crate::entry::{Collector, EntryError, Kind, Num, Params, base32_secret, uri_label};
use crate::json::{self, num, str_field, text};
use crate::{Format, Import, ImportError};

const FORMAT: Format = Format::TwoFas;
const INVALID: ImportError = ImportError::InvalidContainer { format: FORMAT };
/// Newest schema known; Aegis and Proton refuse later ones too, as fields may change meaning.
const MAX_SCHEMA: u64 = 4;
/// 2fas-android `core/cipher/.../backup`: PBKDF2-HMAC-SHA256, 10,000 iterations.
const ITERATIONS: u64 = 10_000;

/// Imports a 2FAS backup, plain or encrypted.
pub fn import(bytes: &[u8], password: Option<&str>) -> Result<Import, ImportError> {
    let json = json::parse(bytes, FORMAT)?;
    from_json(&json.0, password)
}

pub(crate) fn from_json(value: &Value, password: Option<&str>) -> Result<Import, ImportError> {
    match num(value, "schemaVersion") {
        Num::Value(1..=MAX_SCHEMA) => {}
        Num::Value(_) => return Err(ImportError::UnsupportedVersion { format: FORMAT }),
        _ => return Err(INVALID),
    }
    let groups: HashMap<&str, &str> = value
        .get("groups")
        .and_then(Value::as_array)
        .map(|groups| {
            groups
                .iter()
                .filter_map(|g| Some((str_field(g, "id")?, str_field(g, "name")?)))
                .collect()
        })
        .unwrap_or_default();
    match str_field(value, "servicesEncrypted") {
        Some(sealed) => {
            let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
            let mut keys = KeyCache::default();
            // The reference decrypts to a fixed text: a failure there is the password's fault.
            if let Some(reference) = str_field(value, "reference") {
                keys.open(password, reference)?
                    .ok_or(ImportError::WrongPassword { format: FORMAT })?;
            }
            let plain = keys
                .open(password, sealed)?
                .ok_or(ImportError::WrongPassword { format: FORMAT })?;
            let services = json::parse(&plain, FORMAT)?;
            read_services(&services.0, &groups)
        }
        None => read_services(value.get("services").ok_or(INVALID)?, &groups),
    }
}

/// Keys derived so far by salt: `reference` and `servicesEncrypted` share theirs.
#[derive(Default)]
struct KeyCache(Vec<(Vec<u8>, Key)>);

impl KeyCache {
    /// Opens `base64(ct||tag):base64(salt):base64(iv)`; `None` when the tag fails.
    fn open(
        &mut self,
        password: &str,
        sealed: &str,
    ) -> Result<Option<Zeroizing<Vec<u8>>>, ImportError> {
        let mut parts = sealed.split(':');
        let (Some(data), Some(salt), Some(iv), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(INVALID);
        };
        let data = base64(data).ok_or(INVALID)?;
        let salt = base64(salt).ok_or(INVALID)?.to_vec();
        let iv = base64(iv).ok_or(INVALID)?;
        let key = match self.0.iter().find(|(s, _)| *s == salt) {
            Some((_, key)) => key,
            None => {
                let key =
                    crypto::pbkdf2(FORMAT, Prf::Sha256, password.as_bytes(), &salt, ITERATIONS)?;
                self.0.push((salt, key));
                match self.0.last() {
                    Some((_, key)) => key,
                    None => return Err(INVALID),
                }
            }
        };
        if iv.len() != 12 {
            return Err(INVALID);
        }
        Ok(gcm_open(key.as_ref(), &iv, &data, b""))
    }
}

fn read_services(services: &Value, groups: &HashMap<&str, &str>) -> Result<Import, ImportError> {
    let services = services.as_array().ok_or(INVALID)?;
    let mut collector = Collector::new(FORMAT);
    for service in services {
        let otp = service.get("otp").unwrap_or(&Value::Null);
        let (issuer, name) = names(service, otp);
        let tags = str_field(service, "groupId")
            .and_then(|id| groups.get(id))
            .map(|name| vec![(*name).to_owned()])
            .unwrap_or_default();
        collector.add(issuer, name, read_service(service, otp), tags);
    }
    collector.finish()
}

/// formats.md §6 naming: issuer = `name`, else `otp.issuer`; account = `otp.account`, else the
/// account of `otp.link`'s label, else the account part of `otp.label`.
fn names(service: &Value, otp: &Value) -> (String, String) {
    let mut issuer = text(service, "name");
    if issuer.is_empty() {
        issuer = text(otp, "issuer");
    }
    let mut account = text(otp, "account");
    if account.is_empty() {
        account = str_field(otp, "link")
            .map(|link| uri_label(link).1)
            .unwrap_or_default();
    }
    if account.is_empty() {
        let label = text(otp, "label");
        account = match label.split_once(':') {
            Some((_, account)) => account.trim_start().to_owned(),
            None => label,
        };
    }
    (issuer, account)
}

fn read_service(
    service: &Value,
    otp: &Value,
) -> Result<(tessera_core::OtpSecret, tessera_core::Otp), EntryError> {
    // Schemas 1 and 2 have no tokenType: everything is TOTP.
    let kind = match str_field(otp, "tokenType") {
        Some(kind) => Kind::parse(kind)?,
        None => Kind::Totp,
    };
    let params = Params {
        algorithm: str_field(otp, "algorithm"),
        digits: num(otp, "digits"),
        period: num(otp, "period"),
        counter: num(otp, "counter"),
        ..Params::new(kind)
    };
    let otp = params.otp()?;
    let secret = base32_secret(str_field(service, "secret"))?;
    Ok((secret, otp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_service_rules() {
        let file = r#"{"schemaVersion":4,"groups":[{"id":"g","name":"Fav"}],"services":[
            {"name":"","secret":"jbswy3dpehpk3pxp","groupId":"g","otp":{"issuer":"Iss","account":"",
             "link":"otpauth://totp/Iss:from-link?secret=JBSWY3DPEHPK3PXP","tokenType":"TOTP"}},
            {"name":"A","secret":"JBSWY3DPEHPK3PXP","otp":{"label":"A:lbl","algorithm":"SHA384"}},
            {"name":"B","secret":"JBSWY3DPEHPK3PXP","otp":{"account":"b","digits":null,"period":null}},
            {"name":"C","secret":"","otp":{"account":"c"}}]}"#;
        let import = import(file.as_bytes(), None).unwrap();
        assert_eq!(import.entries.len(), 2);
        assert_eq!(import.entries[0].issuer, "Iss");
        assert_eq!(import.entries[0].name, "from-link");
        assert_eq!(import.entries[0].tags, ["Fav"]);
        assert_eq!(import.entries[1].otp, tessera_core::Otp::DEFAULT_TOTP);
        let problems: Vec<_> = import
            .problems
            .iter()
            .map(|p| (p.label.as_str(), p.error.code()))
            .collect();
        assert_eq!(
            problems,
            [
                ("A (lbl)", "invalid_algorithm"),
                ("C (c)", "missing_secret")
            ]
        );
    }

    #[test]
    fn newer_schemas_and_bad_envelopes_are_refused() {
        assert_eq!(
            import(br#"{"schemaVersion":5,"services":[]}"#, None).unwrap_err(),
            ImportError::UnsupportedVersion { format: FORMAT }
        );
        let sealed = br#"{"schemaVersion":4,"services":[],"servicesEncrypted":"AA==:AA=="}"#;
        assert_eq!(
            import(sealed, None).unwrap_err(),
            ImportError::PasswordRequired { format: FORMAT }
        );
        assert_eq!(import(sealed, Some("pw")).unwrap_err(), INVALID);
    }
}
