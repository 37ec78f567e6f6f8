//! LastPass Authenticator JSON exports (formats.md §14). TOTP only.

use std::collections::HashMap;

use serde_json::Value;

use crate::entry::{Collector, EntryError, Kind, Num, Params, base32_secret};
use crate::json::{self, num, str_field, text};
use crate::{Format, Import, ImportError};

const FORMAT: Format = Format::LastPass;

/// Imports a LastPass Authenticator export.
pub fn import(bytes: &[u8]) -> Result<Import, ImportError> {
    let json = json::parse(bytes, FORMAT)?;
    from_json(&json.0)
}

pub(crate) fn from_json(value: &Value) -> Result<Import, ImportError> {
    let accounts = value
        .get("accounts")
        .and_then(Value::as_array)
        .ok_or(ImportError::InvalidContainer { format: FORMAT })?;
    let folders: HashMap<u64, &str> = value
        .get("folders")
        .and_then(Value::as_array)
        .map(|folders| {
            folders
                .iter()
                .filter_map(|f| match num(f, "id") {
                    Num::Value(id) => Some((id, str_field(f, "name")?)),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut collector = Collector::new(FORMAT);
    for account in accounts {
        let folder = account
            .get("folderData")
            .map_or(Num::Absent, |data| num(data, "folderId"));
        let tags = match folder {
            Num::Value(id) => folders
                .get(&id)
                .map(|n| vec![(*n).to_owned()])
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        // The user-edited names, not the `original*` ones.
        collector.add(
            text(account, "issuerName"),
            text(account, "userName"),
            read_account(account),
            tags,
        );
    }
    collector.finish()
}

fn read_account(
    account: &Value,
) -> Result<(tessera_core::OtpSecret, tessera_core::Otp), EntryError> {
    let otp = Params {
        algorithm: str_field(account, "algorithm"),
        digits: num(account, "digits"),
        period: num(account, "timeStep"),
        ..Params::new(Kind::Totp)
    }
    .otp()?;
    let secret = base32_secret(str_field(account, "secret"))?;
    Ok((secret, otp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ios_export_and_invalid_digits() {
        // iOS writes version 1, compact JSON, a null localDeviceId (formats.md §14).
        let file = br#"{"version":1,"localDeviceId":null,"folders":[{"id":1,"name":"Favorites"}],
            "accounts":[{"issuerName":"A","userName":"a","secret":"JBSWY3DPEHPK3PXP","timeStep":60,
            "digits":8,"algorithm":"SHA256","folderData":{"folderId":1,"position":0}},
            {"issuerName":"B","userName":"b","secret":"JBSWY3DPEHPK3PXP","timeStep":30,"digits":0,
            "algorithm":"SHA1"}]}"#;
        let import = import(file).unwrap();
        assert_eq!(import.entries.len(), 1);
        assert_eq!(import.entries[0].tags, ["Favorites"]);
        assert!(matches!(
            import.entries[0].otp,
            tessera_core::Otp::Totp { period, .. } if period.get() == 60
        ));
        assert_eq!(import.problems[0].label, "B (b)");
        assert_eq!(import.problems[0].error, EntryError::InvalidDigits);
    }
}
