//! QR codes found by a scan (screen, image file, drop, clipboard) waiting for "add these?", and
//! accounts shown as QR codes.
//!
//! Scans add to one held result list until the user adds from it or closes it, so the codes of
//! a Google Authenticator export can be scanned one after the other. As an import does, the
//! list names the export's codes not scanned yet, and the accounts of the codes scanned can be
//! added now: the codes scanned later add theirs (the same-account rule marks the accounts
//! added before). The list holds parsed accounts (secrets in wiping `OtpSecret`s), never QR
//! text; the webview sees labels, kinds and statuses only. Locking drops it.

use tessera_core::migration::MigrationBatch;
use tessera_core::uri::OtpUri;
use tessera_core::{Account, UnixTime};
use tessera_qr::{MigrationCollector, Payload, QrText};
use tessera_transfer::MissingCodes;
use zeroize::Zeroizing;

use super::AppState;
use crate::dto::qr::{
    BatchDto, MissingDto, QrAddedDto, QrFailureDto, QrItemDto, QrItemKind, QrItemStatus, QrScanDto,
    QrSvgDto,
};
use crate::error::IpcError;

/// What one decoded source gave: its name (`screen:DP-1`, a file name, `clipboard`) and its
/// texts, or why it could not be read.
pub(crate) type Source = (String, Result<Vec<QrText>, IpcError>);

enum Held {
    Account {
        account: Account,
        /// The export it came from, if any.
        batch: Option<BatchDto>,
    },
    /// The link text, kept in Rust for the push enrollment.
    Push(Zeroizing<String>),
    Other,
}

struct Entry {
    dto: QrItemDto,
    held: Held,
}

/// The held scan: at most one at a time.
#[derive(Default)]
pub(crate) struct Scans(Option<Scan>);

struct Scan {
    id: String,
    entries: Vec<Entry>,
    collector: MigrationCollector,
}

impl Scans {
    /// Drops the held scan and the secrets in it (lock, add, dismiss).
    pub(crate) fn clear(&mut self) {
        self.0 = None;
    }
}

impl Scan {
    fn new() -> Self {
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            entries: Vec::new(),
            collector: MigrationCollector::new(),
        }
    }

    fn push(&mut self, source: &str, kind: QrItemKind, detail: String, held: Held) {
        let (issuer, name, otp_kind, batch) = match &held {
            Held::Account { account, batch } => (
                account.issuer.clone(),
                account.name.clone(),
                account.otp.kind_name(),
                *batch,
            ),
            _ => (String::new(), String::new(), "", None),
        };
        self.entries.push(Entry {
            dto: QrItemDto {
                id: self.entries.len(),
                source: source.to_owned(),
                kind,
                issuer,
                name,
                otp_kind,
                status: QrItemStatus::None,
                batch,
                detail,
            },
            held,
        });
    }

    /// Whether an equal account is held already (the same code scanned twice).
    fn holds(&self, account: &Account) -> bool {
        self.entries.iter().any(|entry| match &entry.held {
            Held::Account { account: held, .. } => same_account(held, account),
            _ => false,
        })
    }

    fn add_text(&mut self, source: &str, text: &QrText, now: UnixTime) {
        match tessera_qr::classify(text.expose_secret()) {
            Ok(Payload::OtpAuth(uri)) => self.add_account(source, uri, now),
            Ok(Payload::Migration(batch)) => self.add_batch(source, batch, now),
            Ok(Payload::PushEnrollment) => {
                let link = Zeroizing::new(text.expose_secret().trim().to_owned());
                let seen = self
                    .entries
                    .iter()
                    .any(|e| matches!(&e.held, Held::Push(held) if **held == *link));
                if !seen {
                    self.push(source, QrItemKind::Push, String::new(), Held::Push(link));
                }
            }
            Ok(Payload::Other { preview }) => {
                self.push(source, QrItemKind::Other, preview, Held::Other);
            }
            Ok(_) => self.push(source, QrItemKind::Other, String::new(), Held::Other),
            Err(error) => self.push(
                source,
                QrItemKind::Invalid,
                error.code().to_owned(),
                Held::Other,
            ),
        }
    }

    fn add_account(&mut self, source: &str, uri: OtpUri, now: UnixTime) {
        let account = uri.into_account(now);
        if !self.holds(&account) {
            self.push(
                source,
                QrItemKind::Account,
                String::new(),
                Held::Account {
                    account,
                    batch: None,
                },
            );
        }
    }

    fn add_batch(&mut self, source: &str, batch: MigrationBatch, now: UnixTime) {
        let info = BatchDto {
            id: batch.info.id,
            number: batch.info.index + 1,
            size: batch.info.size.max(1),
        };
        let accounts: Vec<Account> = batch
            .entries
            .iter()
            .map(|e| {
                Account::new(
                    e.issuer.clone(),
                    e.name.clone(),
                    e.secret.duplicate(),
                    e.otp,
                    now,
                )
            })
            .collect();
        match self.collector.add(batch) {
            Ok(tessera_qr::Added::New) => {
                for account in accounts {
                    self.push(
                        source,
                        QrItemKind::Account,
                        String::new(),
                        Held::Account {
                            account,
                            batch: Some(info),
                        },
                    );
                }
            }
            Ok(_) => {}
            Err(error) => self.push(
                source,
                QrItemKind::Invalid,
                error.code().to_owned(),
                Held::Other,
            ),
        }
    }

    fn dto(
        &mut self,
        existing: &[Account],
        found: usize,
        failures: Vec<QrFailureDto>,
    ) -> QrScanDto {
        for entry in &mut self.entries {
            if let Held::Account { account, .. } = &entry.held {
                entry.dto.status = if existing.iter().any(|a| same_account(a, account)) {
                    QrItemStatus::Duplicate
                } else {
                    QrItemStatus::New
                };
            }
        }
        QrScanDto {
            scan_id: self.id.clone(),
            items: self.entries.iter().map(|e| e.dto.clone()).collect(),
            found,
            missing: MissingCodes::of(&self.collector.codes())
                .into_iter()
                .map(|missing| MissingDto {
                    batch_id: missing.batch_id,
                    size: missing.size,
                    numbers: missing.numbers,
                })
                .collect(),
            failures,
        }
    }
}

/// The same account: core's one rule ([`Account::same_as`]).
fn same_account(a: &Account, b: &Account) -> bool {
    a.same_as(&b.secret, &b.otp)
}

impl AppState {
    /// Adds what `sources` hold to the held scan (a new one if none is held, or if `scan_id`
    /// names one that is gone) and returns the whole list. Needs the vault unlocked: the list
    /// says which accounts it has already.
    pub(crate) fn qr_scanned(
        &self,
        sources: Vec<Source>,
        now: UnixTime,
    ) -> Result<QrScanDto, IpcError> {
        self.with_vault(|vault, session| {
            let scan = session.qr.0.get_or_insert_with(Scan::new);
            let mut found = 0;
            let mut failures = Vec::new();
            for (source, texts) in sources {
                match texts {
                    Ok(texts) => {
                        found += texts.len();
                        for text in &texts {
                            scan.add_text(&source, text, now);
                        }
                    }
                    Err(error) => failures.push(QrFailureDto { source, error }),
                }
            }
            Ok(scan.dto(vault.accounts(), found, failures))
        })
    }

    /// Adds the picked accounts in one vault write and drops the held scan. Accounts the vault
    /// has (or that the list shows twice) are skipped. The accounts of an export with codes not
    /// scanned can be picked: scanning the other codes later adds theirs.
    pub(crate) fn qr_add(&self, scan_id: &str, picked: &[usize]) -> Result<QrAddedDto, IpcError> {
        self.with_vault(|vault, session| {
            let scan = session
                .qr
                .0
                .as_mut()
                .filter(|scan| scan.id == scan_id)
                .ok_or_else(|| IpcError::not_found("scan"))?;
            let mut chosen = Vec::new();
            for &id in picked {
                match scan.entries.get(id).map(|e| &e.held) {
                    Some(Held::Account { account, .. }) => chosen.push(account),
                    _ => {
                        return Err(IpcError::invalid(
                            None,
                            format!("item {id} is not an account"),
                        ));
                    }
                }
            }
            let result = vault.update(|data| {
                let (mut added, mut skipped) = (0, 0);
                for account in chosen {
                    if data.accounts.iter().any(|a| same_account(a, account)) {
                        skipped += 1;
                    } else {
                        // A copy with a fresh id: the held one is wiped with the scan.
                        let mut copy = Account::new(
                            account.issuer.clone(),
                            account.name.clone(),
                            account.secret.duplicate(),
                            account.otp,
                            account.created,
                        );
                        copy.tags = account.tags.clone();
                        data.accounts.push(copy);
                        added += 1;
                    }
                }
                Ok::<_, IpcError>(QrAddedDto { added, skipped })
            })?;
            session.qr.clear();
            Ok(result)
        })
    }

    /// `Ok` when unlocked: checked before the window hides for a capture or a picker opens.
    pub(crate) fn qr_ready(&self) -> Result<(), IpcError> {
        self.with_vault(|_, _| Ok(()))
    }

    /// Forgets the held scan, if it is `scan_id`.
    pub(crate) fn qr_dismiss(&self, scan_id: &str) {
        let mut session = self.session();
        if session.qr.0.as_ref().is_some_and(|scan| scan.id == scan_id) {
            session.qr.clear();
        }
    }

    /// The push enrollment link of a held item, for the push service (it never reaches the
    /// webview).
    pub(crate) fn qr_push_link(
        &self,
        scan_id: &str,
        id: usize,
    ) -> Result<Zeroizing<String>, IpcError> {
        let session = self.session();
        let scan = session
            .qr
            .0
            .as_ref()
            .filter(|scan| scan.id == scan_id)
            .ok_or_else(|| IpcError::not_found("scan"))?;
        match scan.entries.get(id).map(|e| &e.held) {
            Some(Held::Push(link)) => Ok(link.clone()),
            _ => Err(IpcError::invalid(
                None,
                format!("item {id} is not a push enrollment"),
            )),
        }
    }

    /// An account as an `otpauth://` QR code (SVG). The URI is built, drawn and wiped here.
    pub(crate) fn account_qr_svg(&self, id: &str) -> Result<QrSvgDto, IpcError> {
        let id = super::parse_id(id)?;
        self.with_vault(|vault, _| {
            let account = vault
                .accounts()
                .iter()
                .find(|a| a.id == id)
                .ok_or_else(|| IpcError::not_found("account"))?;
            let uri = OtpUri::from_account(account).to_uri();
            let svg = tessera_qr::render::svg(&uri).map_err(|error| IpcError {
                code: error.code(),
                message: error.to_string(),
                field: None,
            })?;
            Ok(QrSvgDto {
                svg: svg.as_str().to_owned(),
            })
        })
    }
}
