//! QR codes: `scan` (read accounts from images) and `qr` (show an account as a QR code).

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;
use tessera_core::uri::OtpUri;
use tessera_core::{Account, UnixTime};
use tessera_qr::{MigrationCollector, Payload, QrText};
use tessera_transfer::MissingCodes;

use crate::commands::account::same_account;
use crate::commands::transfer::{MissingJson, read_file};
use crate::failure::CliError;
use crate::input;
use crate::output::{now, print_json, print_text};
use crate::query;
use crate::sanitize::sanitize;
use crate::session::Session;
use tessera_core::model::display_label;

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Image files (PNG, JPEG, WebP, GIF, BMP), e.g. screenshots of QR codes.
    #[arg(required_unless_present = "screen", value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Capture every monitor and scan it (X11, or the desktop portal on Wayland, which asks
    /// first). The captures stay in memory and are dropped once decoded.
    #[arg(long)]
    screen: bool,
    /// Also print each code's full text (`otpauth://…` URIs hold the account's secret).
    #[arg(long)]
    show_secrets: bool,
    /// Add the accounts found (otpauth:// codes, and the accounts of the Google Authenticator
    /// export codes scanned) to the vault, in one write; accounts it has already are skipped,
    /// so the codes of an export missing now can be scanned with --add later.
    #[arg(long)]
    add: bool,
    /// Print JSON: {"found":[{"file","type",…}],"missing":[{"batch_id","size","numbers"}],
    /// "added"}, as `import --json` names the export codes not given ("numbers" from 1, as
    /// Google shows them). No secrets; with --show-secrets each code also has "text". From the
    /// screen, "file" is `screen:MONITOR`.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct AccountJson {
    issuer: String,
    name: String,
    kind: &'static str,
}

impl AccountJson {
    fn new(account: &Account) -> Self {
        Self {
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            kind: account.otp.kind_name(),
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Found {
    Otpauth {
        file: String,
        account: AccountJson,
    },
    Migration {
        file: String,
        batch_id: i32,
        index: i32,
        size: i32,
        accounts: Vec<AccountJson>,
        rejected: Vec<RejectedJson>,
    },
    PushEnrollment {
        file: String,
    },
    Other {
        file: String,
        preview: String,
    },
    Invalid {
        file: String,
        code: &'static str,
        reason: String,
    },
    /// The file could not be read or is not a readable image.
    Unreadable {
        file: String,
        code: &'static str,
        reason: String,
    },
}

/// One line of the result: what a code holds, and its text only under `--show-secrets`.
#[derive(Serialize)]
struct Item {
    #[serde(flatten)]
    found: Found,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

#[derive(Serialize)]
struct RejectedJson {
    issuer: String,
    name: String,
    code: &'static str,
    reason: String,
}

#[derive(Serialize)]
struct ScanJson {
    found: Vec<Item>,
    missing: Vec<MissingJson>,
    added: usize,
}

impl ScanArgs {
    /// Only `--add` writes to the vault.
    pub(crate) fn uses_vault(&self) -> bool {
        self.add
    }
}

pub(crate) fn scan(session: Option<&mut Session>, args: &ScanArgs) -> anyhow::Result<()> {
    let now = now(None)?;
    let mut found = Vec::new();
    let mut single: Vec<Account> = Vec::new();
    let mut collector = MigrationCollector::new();
    let mut failed = 0;
    let mut sources: Vec<(String, anyhow::Result<Vec<QrText>>)> = Vec::new();
    if args.screen {
        for monitor in tessera_qr::screen::scan_screens()? {
            sources.push((format!("screen:{}", monitor.monitor), Ok(monitor.texts)));
        }
    }
    for path in &args.files {
        // One unreadable file does not hide what the others hold: it is listed, and the
        // command fails at the end.
        let texts = read_file(path).and_then(|bytes| Ok(tessera_qr::decode_image_bytes(&bytes)?));
        sources.push((path.display().to_string(), texts));
    }
    for (file, texts) in sources {
        let texts = match texts {
            Ok(texts) => texts,
            Err(error) => {
                failed += 1;
                found.push(Item {
                    found: Found::Unreadable {
                        file,
                        code: crate::failure::code(&error),
                        reason: format!("{error:#}"),
                    },
                    text: None,
                });
                continue;
            }
        };
        for text in texts {
            let item = match tessera_qr::classify(text.expose_secret()) {
                Ok(Payload::OtpAuth(uri)) => {
                    let account = uri.into_account(now);
                    let item = Found::Otpauth {
                        file: file.clone(),
                        account: AccountJson::new(&account),
                    };
                    single.push(account);
                    item
                }
                Ok(Payload::Migration(batch)) => {
                    let item = migration_item(&file, &batch, now);
                    match collector.add(batch) {
                        Ok(_) => item,
                        Err(error) => Found::Invalid {
                            file: file.clone(),
                            code: error.code(),
                            reason: error.to_string(),
                        },
                    }
                }
                Ok(Payload::PushEnrollment) => Found::PushEnrollment { file: file.clone() },
                Ok(Payload::Other { preview }) => Found::Other {
                    file: file.clone(),
                    preview,
                },
                Ok(_) => Found::Other {
                    file: file.clone(),
                    preview: "unknown".into(),
                },
                Err(error) => Found::Invalid {
                    file: file.clone(),
                    code: error.code(),
                    reason: error.to_string(),
                },
            };
            found.push(Item {
                found: item,
                text: args.show_secrets.then(|| text.expose_secret().to_owned()),
            });
        }
    }
    // As `import` does: the accounts of the export codes scanned are added, the others are
    // named, and scanning them later adds theirs (the same-account rule skips the ones added).
    let missing = MissingCodes::of(&collector.codes());

    let mut added = 0;
    let mut skipped = 0;
    if args.add {
        let mut accounts = single;
        for batch in collector.into_batches() {
            accounts.extend(batch.entries.into_iter().map(|e| e.into_account(now)));
        }
        if let (false, Some(session)) = (accounts.is_empty(), session) {
            let mut vault = session.open()?;
            (added, skipped) = vault.update(|data| -> anyhow::Result<(usize, usize)> {
                let (mut added, mut skipped) = (0, 0);
                for account in accounts {
                    if data.accounts.iter().any(|a| same_account(a, &account)) {
                        skipped += 1;
                    } else {
                        data.accounts.push(account);
                        added += 1;
                    }
                }
                Ok((added, skipped))
            })?;
        }
    }

    let total = args.files.len() + usize::from(args.screen);
    let outcome = if failed == 0 {
        Ok(())
    } else {
        Err(CliError::ScanIncomplete { failed, total }.into())
    };
    if args.json {
        print_json(&ScanJson {
            found,
            missing: missing.into_iter().map(MissingJson::from).collect(),
            added,
        })?;
        return outcome;
    }
    print_text(&scan_text(&found))?;
    if found.is_empty() {
        anstream::eprintln!("No QR code found.");
    }
    for item in &missing {
        let numbers: Vec<String> = item.numbers.iter().map(i32::to_string).collect();
        anstream::eprintln!(
            "Google Authenticator export {}: code(s) {} of {} not scanned: their accounts are \
             not in this list{}",
            item.batch_id,
            numbers.join(", "),
            item.size,
            if args.add {
                " and were not added; scan them with --add too, now or later"
            } else {
                ""
            }
        );
    }
    if args.add {
        anstream::eprintln!(
            "Added {added} accounts; {skipped} were already in the vault and were skipped."
        );
    }
    outcome
}

fn migration_item(
    file: &str,
    batch: &tessera_core::migration::MigrationBatch,
    now: UnixTime,
) -> Found {
    Found::Migration {
        file: file.to_owned(),
        batch_id: batch.info.id,
        index: batch.info.index,
        size: batch.info.size,
        accounts: batch
            .entries
            .iter()
            .map(|e| {
                let account = Account::new(
                    e.issuer.clone(),
                    e.name.clone(),
                    e.secret.duplicate(),
                    e.otp,
                    now,
                );
                AccountJson::new(&account)
            })
            .collect(),
        rejected: batch
            .rejected
            .iter()
            .map(|r| RejectedJson {
                issuer: r.issuer.clone(),
                name: r.name.clone(),
                code: r.error.code(),
                reason: r.error.to_string(),
            })
            .collect(),
    }
}

fn scan_text(found: &[Item]) -> String {
    let mut text = String::new();
    for Item {
        found: item,
        text: shown,
    } in found
    {
        let _ = match item {
            Found::Otpauth { file, account } => writeln!(
                text,
                "{}: account {}  [{}]",
                sanitize(file),
                sanitize(&display_label(&account.issuer, &account.name)),
                account.kind
            ),
            Found::Migration {
                file,
                batch_id,
                index,
                size,
                accounts,
                rejected,
            } => {
                let _ = writeln!(
                    text,
                    "{}: Google Authenticator export {batch_id}, code {} of {size}, {} accounts",
                    sanitize(file),
                    index + 1,
                    accounts.len()
                );
                for account in accounts {
                    let _ = writeln!(
                        text,
                        "  {}  [{}]",
                        sanitize(&display_label(&account.issuer, &account.name)),
                        account.kind
                    );
                }
                for entry in rejected {
                    let _ = writeln!(
                        text,
                        "  rejected {}  {}",
                        sanitize(&display_label(&entry.issuer, &entry.name)),
                        entry.reason
                    );
                }
                Ok(())
            }
            Found::PushEnrollment { file } => writeln!(
                text,
                "{}: push token enrollment: `tessera push enroll LINK` enrolls it \
                 (--show-secrets prints the link)",
                sanitize(file)
            ),
            Found::Other { file, preview } => {
                writeln!(
                    text,
                    "{}: not an account: {}",
                    sanitize(file),
                    sanitize(preview)
                )
            }
            Found::Invalid { file, reason, .. } => {
                writeln!(text, "{}: invalid: {}", sanitize(file), sanitize(reason))
            }
            Found::Unreadable { file, reason, .. } => {
                writeln!(text, "{}: unreadable: {}", sanitize(file), sanitize(reason))
            }
        };
        if let Some(shown) = shown {
            let _ = writeln!(text, "  text: {}", sanitize(shown));
        }
    }
    text
}

#[derive(Debug, Args)]
pub(crate) struct QrArgs {
    /// The account (issuer, name, `Issuer:name`, tag or id).
    query: String,
    /// Draw for a light terminal background (dark text on light).
    #[arg(long)]
    light: bool,
    /// Do not ask for confirmation (the code reveals the secret to anyone who sees it).
    #[arg(long, short = 'y')]
    yes: bool,
}

pub(crate) fn qr(session: &mut Session, args: &QrArgs) -> anyhow::Result<()> {
    let vault = session.open()?;
    let index = query::resolve(vault.accounts(), &args.query)?;
    let account = &vault.accounts()[index];
    input::confirm(
        &format!(
            "Show {} as a QR code? Anyone who sees or photographs it can copy the account.",
            sanitize(&account.display_label())
        ),
        "showing an account's secret",
        args.yes,
    )?;
    let uri = OtpUri::from_account(account).to_uri();
    let background = if args.light {
        tessera_qr::render::Background::Light
    } else {
        tessera_qr::render::Background::Dark
    };
    let code = tessera_qr::render::terminal(&uri, background)?;
    print_text(&code)?;
    anstream::eprintln!(
        "{}: scan it with the authenticator app to add the account.",
        sanitize(&account.display_label())
    );
    Ok(())
}
