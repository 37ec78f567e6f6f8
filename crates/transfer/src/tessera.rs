//! Tessera's own encrypted backup (`Vault::export_to`): the vault format with one passphrase
//! slot, read with `Vault::read_export_bytes`. Recognised by the vault file magic.
//!
//! Every account of a backup is valid by construction (the vault's parser refuses the whole
//! payload otherwise), so this import has no per-entry problems. Tags are kept; ids, icons and
//! dates are not (the preview and the vault give imported accounts new ones).

use tessera_core::Vault;
use tessera_core::vault::{Passphrase, VaultError};

use crate::crypto;
use crate::entry::Collector;
use crate::{Format, Import, ImportError};

const FORMAT: Format = Format::TesseraBackup;

/// Whether `bytes` start like a Tessera vault or backup file.
pub fn is_backup(bytes: &[u8]) -> bool {
    tessera_core::vault::looks_like_vault(bytes)
}

/// Imports a Tessera backup with its passphrase.
pub fn import(bytes: &[u8], password: Option<&str>) -> Result<Import, ImportError> {
    if !is_backup(bytes) {
        return Err(ImportError::InvalidContainer { format: FORMAT });
    }
    let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
    // The vault format caps one derivation (`KdfParams::MAX_WORK_KIB`); the import's budget
    // bounds several backups imported together.
    let params = Vault::export_kdf_params(bytes).map_err(map_error)?;
    crypto::charge(
        FORMAT,
        crypto::argon2_work(
            u64::from(params.memory_kib()),
            u64::from(params.iterations()),
        ),
    )?;
    let data = Vault::read_export_bytes(bytes, &Passphrase::from(password)).map_err(map_error)?;
    let mut collector = Collector::new(FORMAT);
    for account in data.accounts {
        collector.add(
            account.issuer,
            account.name,
            Ok((account.secret, account.otp)),
            account.tags,
        );
    }
    collector.finish()
}

fn map_error(error: VaultError) -> ImportError {
    match error {
        VaultError::WrongPassphrase => ImportError::WrongPassword { format: FORMAT },
        // A vault (not a backup) opened only by the keychain and the recovery key.
        VaultError::NoPassphraseSlot => ImportError::VaultWithoutPassphrase,
        VaultError::KdfParamsRejected { .. } => ImportError::KdfTooExpensive { format: FORMAT },
        VaultError::UnsupportedVersion { .. } | VaultError::PayloadUnreadable { .. } => {
            ImportError::UnsupportedVersion { format: FORMAT }
        }
        // Damaged structure, a payload that does not decrypt although the slot opened, and
        // anything else the file can cause.
        _ => ImportError::InvalidContainer { format: FORMAT },
    }
}
