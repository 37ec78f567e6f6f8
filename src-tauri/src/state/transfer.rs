//! Imports in progress and exports: the Rust side of the import wizard and the export dialog.
//!
//! An import is held here between the wizard's steps, keyed by a random id: first the file's
//! bytes (while it waits for its password), then the entries read from it (secrets included).
//! The webview only ever sees [`ImportPreviewDto`] (labels, kinds, statuses, reason codes).
//! Held imports are dropped, wiping their secrets, on commit, cancel, lock, and after
//! [`IMPORT_TTL`] without a step.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tessera_core::vault::{KdfParams, Passphrase};
use tessera_core::{UnixTime, VaultError};
use tessera_transfer::export::{self, AegisKdf, ExportFormat, MigrationOutcome};
use tessera_transfer::{Import, ImportError, PreviewStatus};
use zeroize::Zeroizing;

use super::AppState;
use crate::dto::transfer::{
    ImportItemDto, ImportOpenedDto, ImportPreviewDto, ImportStatus, ImportSummaryDto,
    MigrationQrDto, SkippedDto,
};
use crate::error::IpcError;

/// How long an import waits for the user's next step before its secrets are dropped.
pub(crate) const IMPORT_TTL: Duration = Duration::from_secs(10 * 60);

/// The files of one import, as read from disk (name, bytes). Shared with the worker thread that
/// decrypts them, so a cancel does not have to wait for the key derivation to finish.
pub(crate) type Files = Arc<Vec<tessera_transfer::files::ReadFile>>;

/// Error codes of the transfer commands that neither the importers nor the exporters have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TransferErrorCode {
    /// The import was cancelled, expired or dropped by a lock while a step ran.
    ImportGone,
    /// An encrypted export's password and its confirmation differ.
    PasswordMismatch,
    /// A plain-text export was asked for without the "unencrypted" confirmation.
    PlainNotConfirmed,
    /// A QR code of the migration export could not be drawn.
    QrRender,
}

tessera_core::error_codes!(pub(crate) TransferErrorCode {
    ImportGone => "import_gone",
    PasswordMismatch => "password_mismatch",
    PlainNotConfirmed => "plain_not_confirmed",
    QrRender => "qr_render",
});

impl TransferErrorCode {
    pub(crate) fn error(self, message: impl Into<String>) -> IpcError {
        IpcError {
            code: self.code(),
            message: message.into(),
            field: None,
        }
    }
}

fn gone() -> IpcError {
    TransferErrorCode::ImportGone.error("this import was cancelled or has expired: start again")
}

/// The imports held between steps (a field of the session, so a lock drops them too).
#[derive(Default)]
pub(crate) struct Held(HashMap<String, Pending>);

struct Pending {
    touched: Instant,
    /// Set by a cancel, so a key derivation still running knows its result is unwanted.
    cancelled: Arc<AtomicBool>,
    step: Step,
}

enum Step {
    /// Encrypted: waiting for the password.
    NeedsPassword { files: Files },
    /// Read: the entries, and the status each had in the preview the user saw.
    Read {
        import: Import,
        shown: Vec<PreviewStatus>,
    },
}

impl Held {
    /// Drops every held import (lock).
    pub(crate) fn clear(&mut self) {
        for pending in self.0.values() {
            pending.cancelled.store(true, Ordering::Relaxed);
        }
        self.0.clear();
    }

    /// Drops the imports left alone for [`IMPORT_TTL`].
    pub(crate) fn expire(&mut self, at: Instant) {
        self.0.retain(|_, pending| {
            let keep = at.saturating_duration_since(pending.touched) < IMPORT_TTL;
            if !keep {
                pending.cancelled.store(true, Ordering::Relaxed);
            }
            keep
        });
    }

    fn insert(&mut self, step: Step, at: Instant) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        self.0.insert(
            id.clone(),
            Pending {
                touched: at,
                cancelled: Arc::new(AtomicBool::new(false)),
                step,
            },
        );
        id
    }

    fn get_mut(&mut self, id: &str, at: Instant) -> Result<&mut Pending, IpcError> {
        self.expire(at);
        let pending = self.0.get_mut(id).ok_or_else(gone)?;
        pending.touched = at;
        Ok(pending)
    }
}

fn status_code(status: PreviewStatus) -> ImportStatus {
    match status {
        PreviewStatus::New => ImportStatus::New,
        PreviewStatus::Duplicate { .. } => ImportStatus::Duplicate,
        PreviewStatus::Conflict { .. } => ImportStatus::Conflict,
        PreviewStatus::RepeatedInFile { .. } => ImportStatus::Repeated,
        // A status added later is shown as a duplicate: unchecked, so nothing is added unasked.
        _ => ImportStatus::Duplicate,
    }
}

fn preview_dto(import_id: String, import: &Import, shown: &[PreviewStatus]) -> ImportPreviewDto {
    let mut items: Vec<(usize, ImportItemDto)> = import
        .entries
        .iter()
        .zip(shown)
        .enumerate()
        .map(|(index, (entry, status))| {
            let item = ImportItemDto {
                entry: Some(index),
                issuer: entry.issuer.clone(),
                name: entry.name.clone(),
                kind: Some(entry.otp.kind_name()),
                status: status_code(*status),
                reason: None,
            };
            (entry.position, item)
        })
        .collect();
    items.extend(import.problems.iter().map(|problem| {
        (
            problem.position,
            ImportItemDto {
                entry: None,
                issuer: problem.label.clone(),
                name: String::new(),
                kind: None,
                status: if problem.is_unsupported() {
                    ImportStatus::Unsupported
                } else {
                    ImportStatus::Rejected
                },
                reason: Some(problem.error.code()),
            },
        )
    }));
    items.sort_by_key(|(position, _)| *position);
    ImportPreviewDto {
        import_id,
        format: import.format.code(),
        items: items.into_iter().map(|(_, item)| item).collect(),
        missing: import
            .missing_codes()
            .into_iter()
            .map(|missing| crate::dto::qr::MissingDto {
                batch_id: missing.batch_id,
                size: missing.size,
                numbers: missing.numbers,
            })
            .collect(),
    }
}

fn is_duplicate(status: PreviewStatus) -> bool {
    matches!(
        status,
        PreviewStatus::Duplicate { .. } | PreviewStatus::RepeatedInFile { .. }
    )
}

/// The files' import with `password`: the slow part (key derivation), run without any lock.
pub(crate) fn read_import(files: &Files, password: Option<&str>) -> Result<Import, ImportError> {
    tessera_transfer::files::import(files, password)
}

/// [`read_import`] that stops between key derivations once `cancel` is set (a cancelled import's
/// worker ends within one derivation instead of trying every remaining password slot).
pub(crate) fn read_import_cancellable(
    files: &Files,
    password: Option<&str>,
    cancel: &Arc<AtomicBool>,
) -> Result<Import, ImportError> {
    tessera_transfer::files::import_cancellable(files, password, cancel)
}

impl AppState {
    /// Starts an import of `files`: plain ones are read at once and previewed; encrypted ones
    /// are held until [`AppState::import_with_password`].
    pub(crate) fn import_open(
        &self,
        files: Files,
        at: Instant,
    ) -> Result<ImportOpenedDto, IpcError> {
        // Unlocked first: the preview compares with the vault's accounts.
        self.with_vault(|_, _| Ok(()))?;
        match read_import(&files, None) {
            Err(ImportError::PasswordRequired { format }) => {
                let step = Step::NeedsPassword { files };
                let import_id = self.session().imports.insert(step, at);
                Ok(ImportOpenedDto::NeedsPassword {
                    import_id,
                    format: format.code(),
                })
            }
            Err(error) => Err(error.into()),
            Ok(import) => self
                .hold_read(None, import, at)
                .map(|preview| ImportOpenedDto::Preview { preview }),
        }
    }

    /// The files and cancel flag of an import waiting for its password.
    pub(crate) fn import_files_of(
        &self,
        import_id: &str,
        at: Instant,
    ) -> Result<(Files, Arc<AtomicBool>), IpcError> {
        let mut session = self.session();
        let pending = session.imports.get_mut(import_id, at)?;
        match &pending.step {
            Step::NeedsPassword { files } => {
                Ok((Arc::clone(files), Arc::clone(&pending.cancelled)))
            }
            Step::Read { .. } => Err(IpcError::invalid(None, "this import is already read")),
        }
    }

    /// Stores what the worker read for `import_id` (unless it was cancelled meanwhile) and
    /// returns its preview.
    pub(crate) fn import_read(
        &self,
        import_id: &str,
        import: Import,
        at: Instant,
    ) -> Result<ImportPreviewDto, IpcError> {
        self.hold_read(Some(import_id), import, at)
    }

    /// Holds a read import under `import_id` (replacing its password step) or a new id.
    fn hold_read(
        &self,
        import_id: Option<&str>,
        import: Import,
        at: Instant,
    ) -> Result<ImportPreviewDto, IpcError> {
        self.with_vault(|vault, session| {
            let shown: Vec<PreviewStatus> = tessera_transfer::preview(&import, vault.accounts())
                .entries
                .into_iter()
                .map(|item| item.status)
                .collect();
            let id = match import_id {
                Some(id) => {
                    let pending = session.imports.get_mut(id, at)?;
                    if pending.cancelled.load(Ordering::Relaxed) {
                        return Err(gone());
                    }
                    let dto = preview_dto(id.to_owned(), &import, &shown);
                    pending.step = Step::Read { import, shown };
                    return Ok(dto);
                }
                None => uuid::Uuid::new_v4().to_string(),
            };
            let dto = preview_dto(id.clone(), &import, &shown);
            session.imports.0.insert(
                id,
                Pending {
                    touched: at,
                    cancelled: Arc::new(AtomicBool::new(false)),
                    step: Step::Read { import, shown },
                },
            );
            Ok(dto)
        })
    }

    /// Adds the `selected` entries in one vault write (all or nothing), then drops the import.
    /// An entry shown as new that became a duplicate since (added by the CLI meanwhile) is
    /// skipped; duplicates the user checked on purpose are added.
    pub(crate) fn import_commit(
        &self,
        import_id: &str,
        selected: &[usize],
        now: UnixTime,
        at: Instant,
    ) -> Result<ImportSummaryDto, IpcError> {
        self.with_vault(|vault, session| {
            let pending = session.imports.get_mut(import_id, at)?;
            let Step::Read { import, shown } = &pending.step else {
                return Err(IpcError::invalid(
                    None,
                    "this import needs its password first",
                ));
            };
            if let Some(bad) = selected.iter().find(|&&i| i >= import.entries.len()) {
                return Err(IpcError::invalid(
                    None,
                    format!("no entry {bad} in this import"),
                ));
            }
            let mut chosen = vec![false; import.entries.len()];
            for &index in selected {
                chosen[index] = true;
            }
            let (added, late_duplicates) = vault.update(|data| {
                let now_status = tessera_transfer::preview(import, &data.accounts);
                let mut added = 0;
                let mut late = 0;
                for item in &now_status.entries {
                    if !chosen[item.index] {
                        continue;
                    }
                    if !is_duplicate(shown[item.index]) && is_duplicate(item.status) {
                        late += 1;
                        continue;
                    }
                    data.accounts
                        .push(import.entries[item.index].to_account(now));
                    added += 1;
                }
                Ok::<_, IpcError>((added, late))
            })?;
            let unchosen_duplicates = shown
                .iter()
                .zip(&chosen)
                .filter(|(status, chosen)| !**chosen && is_duplicate(**status))
                .count();
            let summary = ImportSummaryDto {
                added,
                skipped_duplicates: unchosen_duplicates + late_duplicates,
                not_selected: chosen.iter().filter(|c| !**c).count() - unchosen_duplicates,
                unsupported: import.unsupported().count(),
                rejected: import.rejected().count(),
            };
            session.imports.0.remove(import_id);
            Ok(summary)
        })
    }

    /// Drops an import, wiping what it held; a key derivation still running is told to stop
    /// caring (its result is dropped when it ends).
    pub(crate) fn import_cancel(&self, import_id: &str) {
        if let Some(pending) = self.session().imports.0.remove(import_id) {
            pending.cancelled.store(true, Ordering::Relaxed);
        }
    }

    /// Writes an export of every account to `path`: owner-only and atomic for every format.
    pub(crate) fn export_to_file(
        &self,
        format: ExportFormat,
        password: Option<&str>,
        path: &Path,
    ) -> Result<usize, IpcError> {
        let kdf = self.kdf;
        self.with_vault(|vault, _| {
            let accounts = vault.accounts();
            let bytes: Zeroizing<Vec<u8>> = match format {
                ExportFormat::TesseraBackup => {
                    let passphrase = Passphrase::new(password.unwrap_or_default().to_owned());
                    vault
                        .export_to(path, &passphrase, kdf)
                        .map_err(export_write_error)?;
                    return Ok(accounts.len());
                }
                ExportFormat::AegisEncrypted => {
                    export::aegis_encrypted(accounts, password.unwrap_or_default(), aegis_kdf(kdf))?
                }
                ExportFormat::AegisJson => export::aegis_plain(accounts)?,
                ExportFormat::OtpauthList => {
                    Zeroizing::new(export::otpauth_list(accounts).as_bytes().to_vec())
                }
                _ => {
                    return Err(IpcError::invalid(
                        None,
                        "this format is shown as QR codes, not written to a file",
                    ));
                }
            };
            tessera_core::vault::write_private_file(path, &bytes).map_err(export_write_error)?;
            Ok(accounts.len())
        })
    }

    /// QR code `index` of the Google Authenticator migration export, and the accounts it
    /// cannot hold.
    pub(crate) fn migration_qr(&self, index: usize) -> Result<MigrationQrDto, IpcError> {
        self.with_vault(|vault, _| {
            let export = export::migration_uris(vault.accounts())?;
            let total = export.uris.len();
            let uri = export
                .uris
                .get(index)
                .ok_or_else(|| IpcError::not_found("QR code"))?;
            let svg = tessera_qr::render::svg(uri).map_err(|error| {
                TransferErrorCode::QrRender
                    .error(format!("the QR code could not be drawn: {error}"))
            })?;
            let skipped = export
                .accounts
                .iter()
                .filter_map(|account| match &account.outcome {
                    MigrationOutcome::Skipped { reason } => Some(SkippedDto {
                        label: account.label.clone(),
                        reason: reason.code(),
                    }),
                    _ => None,
                })
                .collect();
            Ok(MigrationQrDto {
                index,
                total,
                svg: crate::dto::SecretText(svg),
                skipped,
            })
        })
    }
}

/// The export's file could not be written: said as such, not as the vault's `io` (the vault
/// itself is fine). A full disk keeps its own code.
fn export_write_error(error: VaultError) -> IpcError {
    match error {
        VaultError::Io { .. } => IpcError {
            // The code of an unreadable import file (`files::ReadError::Io`): "this file".
            code: "file_access",
            message: error.to_string(),
            field: None,
        },
        other => other.into(),
    }
}

/// Aegis's own scrypt cost for real exports; the cheapest valid one when the app runs with
/// test-lowered vault KDF costs (so tests stay fast, and real use is never weakened).
fn aegis_kdf(vault_kdf: KdfParams) -> AegisKdf {
    if vault_kdf == KdfParams::RECOMMENDED {
        AegisKdf::default()
    } else {
        AegisKdf::new(2, 8, 1).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_imports_expire_after_the_ttl_and_their_workers_are_told() {
        let start = Instant::now();
        let mut held = Held::default();
        let files: Files = Arc::new(vec![(String::new(), Zeroizing::new(b"x".to_vec()))]);
        let id = held.insert(Step::NeedsPassword { files }, start);
        let flag = Arc::clone(&held.0[&id].cancelled);
        // A step just before the deadline keeps it alive for another full TTL.
        assert!(held.get_mut(&id, start + IMPORT_TTL / 2).is_ok());
        held.expire(start + IMPORT_TTL);
        assert!(held.0.contains_key(&id));
        held.expire(start + IMPORT_TTL / 2 + IMPORT_TTL);
        assert!(held.0.is_empty());
        assert!(flag.load(Ordering::Relaxed));
        assert_eq!(
            held.get_mut(&id, start).map(|_| ()).unwrap_err().code,
            "import_gone"
        );
    }
}
