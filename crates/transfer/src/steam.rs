//! Steam (formats.md §12): a maFile (Steam Desktop Authenticator, steamguard-cli), the Steam
//! app JSON (`accounts` of maFile-like objects), and SDA folders whose `manifest.json` lists the
//! maFiles and, when encrypted, their PBKDF2 salt and AES-CBC IV.
//!
//! The key is `shared_secret` (base64). The maFile's `uri` is not trusted: steamguard-cli's
//! fixtures carry a placeholder secret there.

use serde_json::Value;
use tessera_core::{Otp, OtpSecret};
use zeroize::Zeroizing;

use crate::crypto::{self, Prf, base64, cbc_open};
use crate::entry::{Collector, EntryError};
use crate::json::{self, str_field, text};
use crate::limits::{Limit, MAX_ENTRIES};
use crate::{Format, Import, ImportError};

const FORMAT: Format = Format::Steam;
const INVALID: ImportError = ImportError::InvalidContainer { format: FORMAT };
/// Steam Desktop Authenticator's `FileEncryptor`: PBKDF2-HMAC-SHA1, 50,000 iterations.
const ITERATIONS: u64 = 50_000;

/// Imports one plain maFile or a Steam app JSON.
pub fn import(bytes: &[u8]) -> Result<Import, ImportError> {
    let json = json::parse(bytes, FORMAT)?;
    from_json(&json.0)
}

pub(crate) fn from_json(value: &Value) -> Result<Import, ImportError> {
    let mut collector = Collector::new(FORMAT);
    match value.get("accounts").and_then(Value::as_object) {
        Some(accounts) => accounts
            .values()
            .for_each(|account| add_mafile(&mut collector, account)),
        None if value.get("shared_secret").is_some() => add_mafile(&mut collector, value),
        None => return Err(INVALID),
    }
    collector.finish()
}

fn add_mafile(collector: &mut Collector, mafile: &Value) {
    let parsed = match str_field(mafile, "shared_secret") {
        None => Err(EntryError::MissingSecret),
        Some(text) if text.trim().is_empty() => Err(EntryError::MissingSecret),
        Some(text) => match base64(text) {
            Some(bytes) if !bytes.is_empty() => Ok((OtpSecret::from_slice(&bytes), Otp::Steam)),
            _ => Err(EntryError::InvalidSecret),
        },
    };
    collector.add(
        "Steam".to_owned(),
        text(mafile, "account_name"),
        parsed,
        Vec::new(),
    );
}

/// Imports a Steam Desktop Authenticator folder: its `manifest.json` and the files beside it
/// (`(file name, content)`). Encrypted maFiles need `password` (SDA's "passkey").
pub fn import_folder(
    manifest: &[u8],
    files: &[(&str, &[u8])],
    password: Option<&str>,
) -> Result<Import, ImportError> {
    let manifest = json::parse(manifest, FORMAT)?;
    let entries = manifest
        .0
        .get("entries")
        .and_then(Value::as_array)
        .ok_or(INVALID)?;
    let file_named = |wanted: &str| {
        files.iter().find(|(name, _)| {
            let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
            base.eq_ignore_ascii_case(wanted)
        })
    };
    if entries.len() > MAX_ENTRIES {
        return Err(ImportError::LimitExceeded {
            format: Some(FORMAT),
            limit: Limit::Entries,
        });
    }
    // One derivation per encrypted maFile present: all of them are checked against the budget
    // before the first (a manifest may name one file many times).
    if password.is_some() {
        let mut derivations = 0u64;
        for entry in entries {
            let present = str_field(entry, "filename").is_some_and(|f| file_named(f).is_some());
            if present && encryption(&manifest.0, entry)?.is_some() {
                derivations += 1;
            }
        }
        crypto::plan(
            FORMAT,
            derivations.saturating_mul(crypto::pbkdf2_work(ITERATIONS)),
        )?;
    }
    let mut collector = Collector::new(FORMAT);
    let mut opened_any = false;
    let mut listed = Vec::new();
    for entry in entries {
        let filename = str_field(entry, "filename").ok_or(INVALID)?;
        listed.push(filename);
        let label = str_field(entry, "account_name")
            .unwrap_or(filename)
            .to_owned();
        let Some((_, content)) = file_named(filename) else {
            collector.problem(label, EntryError::MissingFile);
            continue;
        };
        let plain = match encryption(&manifest.0, entry)? {
            None => Zeroizing::new(content.to_vec()),
            Some((salt, iv)) => {
                let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
                match decrypt(content, password, &salt, &iv)? {
                    Some(plain) => plain,
                    // The first file failing is the password; a later one is that file.
                    None if !opened_any => {
                        return Err(ImportError::WrongPassword { format: FORMAT });
                    }
                    None => {
                        collector.problem(label, EntryError::CannotDecrypt);
                        continue;
                    }
                }
            }
        };
        opened_any = true;
        match json::parse(&plain, FORMAT) {
            Ok(mafile) => add_mafile(&mut collector, &mafile.0),
            Err(_) => collector.problem(label, EntryError::Malformed),
        }
    }
    // maFiles the manifest does not list are still accounts: read them if they are plain.
    for (name, content) in files {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let is_mafile = base.to_ascii_lowercase().ends_with(".mafile");
        if !is_mafile || listed.iter().any(|l| l.eq_ignore_ascii_case(base)) {
            continue;
        }
        match json::parse(content, FORMAT) {
            Ok(mafile) => add_mafile(&mut collector, &mafile.0),
            Err(_) => collector.problem(base.to_owned(), EntryError::Malformed),
        }
    }
    collector.finish()
}

/// Salt and IV of an encrypted manifest entry; `None` for a plain one. SDA writes
/// `encryption_salt`/`encryption_iv` under a top-level `encrypted: true`; steamguard-cli
/// manifest v1 writes `encryption: {iv, salt, scheme}` per entry.
#[allow(clippy::type_complexity)]
fn encryption(manifest: &Value, entry: &Value) -> Result<Option<(Vec<u8>, Vec<u8>)>, ImportError> {
    let decode = |text: Option<&str>| text.and_then(base64).map(|b| b.to_vec()).ok_or(INVALID);
    if let Some(params) = entry.get("encryption").filter(|e| !e.is_null()) {
        return Ok(Some((
            decode(str_field(params, "salt"))?,
            decode(str_field(params, "iv"))?,
        )));
    }
    if manifest.get("encrypted").and_then(Value::as_bool) == Some(true) {
        return Ok(Some((
            decode(str_field(entry, "encryption_salt"))?,
            decode(str_field(entry, "encryption_iv"))?,
        )));
    }
    Ok(None)
}

/// `None` when the password does not open the file (bad padding or not JSON afterwards: CBC
/// has no tag, formats.md §15).
fn decrypt(
    content: &[u8],
    password: &str,
    salt: &[u8],
    iv: &[u8],
) -> Result<Option<Zeroizing<Vec<u8>>>, ImportError> {
    let text = std::str::from_utf8(content).map_err(|_| INVALID)?;
    let sealed = base64(text).ok_or(INVALID)?;
    if sealed.is_empty() || sealed.len() % 16 != 0 {
        return Err(ImportError::Truncated { format: FORMAT });
    }
    let key = crypto::pbkdf2(FORMAT, Prf::Sha1, password.as_bytes(), salt, ITERATIONS)?;
    Ok(cbc_open(key.as_ref(), iv, &sealed).filter(|plain| json::parse(plain, FORMAT).is_ok()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cbc::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};

    /// Encrypts a maFile as SDA does (PBKDF2-SHA1 50,000, AES-256-CBC), for the folder tests.
    fn seal(plain: &[u8], password: &str, salt: &[u8], iv: &[u8]) -> Vec<u8> {
        let key = crypto::pbkdf2(FORMAT, Prf::Sha1, password.as_bytes(), salt, ITERATIONS).unwrap();
        let sealed = cbc::Encryptor::<aes::Aes256>::new_from_slices(key.as_ref(), iv)
            .unwrap()
            .encrypt_padded_vec::<Pkcs7>(plain);
        data_encoding::BASE64.encode(&sealed).into_bytes()
    }

    #[test]
    fn steamguard_cli_manifest_v1_folder() {
        let (salt, iv) = ([1u8; 8], [2u8; 16]);
        let mafile = br#"{"shared_secret":"zvIayp3JPvtvX/QGHqsqKBk/44s=","account_name":"alice"}"#;
        let manifest = format!(
            r#"{{"version":1,"entries":[
            {{"filename":"1.maFile","steam_id":1,"account_name":"alice","encryption":{{"iv":"{}","salt":"{}","scheme":"LegacySdaCompatible"}}}},
            {{"filename":"2.maFile","steam_id":2,"account_name":"bob","encryption":null}}]}}"#,
            data_encoding::BASE64.encode(&iv),
            data_encoding::BASE64.encode(&salt)
        );
        let sealed = seal(mafile, "pw", &salt, &iv);
        let files: &[(&str, &[u8])] = &[("dir/1.maFile", &sealed)];
        let import = import_folder(manifest.as_bytes(), files, Some("pw")).unwrap();
        assert_eq!(import.entries.len(), 1);
        assert_eq!(import.entries[0].name, "alice");
        assert_eq!(import.entries[0].otp, Otp::Steam);
        // formats.md §2.3 vector: this shared_secret gives 2F9J5 at 1616374841.
        let code = tessera_core::otp::generate(
            &import.entries[0].secret,
            &Otp::Steam,
            tessera_core::UnixTime(1_616_374_841),
        );
        assert_eq!(code.as_str(), "2F9J5");
        assert_eq!(import.problems[0].label, "bob");
        assert_eq!(import.problems[0].error, EntryError::MissingFile);
        assert_eq!(
            import_folder(manifest.as_bytes(), files, Some("nope")).unwrap_err(),
            ImportError::WrongPassword { format: FORMAT }
        );
        assert_eq!(
            import_folder(manifest.as_bytes(), files, None).unwrap_err(),
            ImportError::PasswordRequired { format: FORMAT }
        );
    }

    #[test]
    fn lone_encrypted_mafile_asks_for_the_folder() {
        let sealed = seal(b"{}", "pw", &[1; 8], &[2; 16]);
        assert_eq!(
            crate::import(&sealed, Some("pw")).unwrap_err(),
            ImportError::SteamFolderRequired
        );
    }
}
