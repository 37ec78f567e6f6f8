//! Moving accounts in and out: `import` (other apps' export files, with a preview) and
//! `export` (files for other apps, or a Tessera backup).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use serde::Serialize;
use tessera_core::vault::{KdfParams, Passphrase};
use tessera_transfer::export::{self, AegisKdf, ExportFormat, MigrationOutcome};
use tessera_transfer::files::{ReadError, ReadFile};
use tessera_transfer::{EntryProblem, Import, ImportError, MissingCodes, PreviewStatus};
use zeroize::Zeroizing;

use crate::failure::CliError;
use crate::input::{self, Input};
use crate::output::{now, print_json, print_text};
use crate::sanitize::sanitize;
use crate::session::Session;

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The export file(s) of another app (or a Tessera backup), or screenshots of QR codes (a
    /// Google Authenticator export, an otpauth:// code). Several files are read together, e.g.
    /// a Steam Desktop Authenticator folder's manifest.json and .maFile files, or the codes of
    /// one Google export; a folder stands for the files in it.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Read the file's password from standard input (after the unlock secret, if any) instead
    /// of asking on the terminal. A file that is not encrypted is imported without reading it.
    #[arg(long)]
    password_stdin: bool,
    /// Show what would be imported, and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print JSON: {"format","dry_run","added","entries":[{"issuer","name","kind","status"}],
    /// "unsupported":[…],"rejected":[…],"missing_codes":[{"batch_id","size","numbers"}]} (no
    /// secrets).
    #[arg(long)]
    json: bool,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    yes: bool,
}

#[derive(Serialize)]
struct EntryJson<'a> {
    issuer: &'a str,
    name: &'a str,
    kind: &'static str,
    status: &'static str,
}

#[derive(Serialize)]
struct ProblemJson<'a> {
    position: usize,
    label: &'a str,
    code: &'static str,
    reason: String,
}

#[derive(Serialize)]
struct ImportJson<'a> {
    format: &'static str,
    dry_run: bool,
    added: usize,
    entries: Vec<EntryJson<'a>>,
    unsupported: Vec<ProblemJson<'a>>,
    rejected: Vec<ProblemJson<'a>>,
    /// Codes of a Google Authenticator export that were not given (their accounts are not in
    /// `entries`).
    missing_codes: Vec<MissingJson>,
}

/// Codes of a Google Authenticator export not given to `import` or not scanned by `scan`.
#[derive(Serialize)]
pub(crate) struct MissingJson {
    batch_id: i32,
    size: i32,
    /// 1-based, as Google numbers its codes.
    numbers: Vec<i32>,
}

impl From<MissingCodes> for MissingJson {
    fn from(missing: MissingCodes) -> Self {
        Self {
            batch_id: missing.batch_id,
            size: missing.size,
            numbers: missing.numbers,
        }
    }
}

fn status_code(status: PreviewStatus) -> &'static str {
    match status {
        PreviewStatus::New => "new",
        PreviewStatus::Duplicate { .. } => "duplicate",
        PreviewStatus::Conflict { .. } => "conflict",
        PreviewStatus::RepeatedInFile { .. } => "repeated_in_file",
        _ => "other",
    }
}

fn status_text(status: PreviewStatus) -> &'static str {
    match status {
        PreviewStatus::New => "new",
        PreviewStatus::Duplicate { .. } => "already in the vault (skipped)",
        PreviewStatus::Conflict { .. } => {
            "same issuer and name as an account in the vault, other secret (skipped)"
        }
        PreviewStatus::RepeatedInFile { .. } => "appears earlier in the file (skipped)",
        _ => "skipped",
    }
}

/// The files (a folder stands for its files, sorted by name), read as the app reads them.
fn read_files(paths: &[PathBuf]) -> anyhow::Result<Vec<ReadFile>> {
    tessera_transfer::files::read_files(paths).map_err(cli_read_error)
}

/// One file (an export or an image), refused past `files::MAX_FILE_BYTES`.
pub(crate) fn read_file(path: &Path) -> anyhow::Result<Zeroizing<Vec<u8>>> {
    tessera_transfer::files::read_file(path).map_err(cli_read_error)
}

fn cli_read_error(error: ReadError) -> anyhow::Error {
    match error {
        ReadError::TooLarge { path } => CliError::FileTooLarge { path }.into(),
        ReadError::Io { path, source } => {
            anyhow::Error::new(source).context(format!("reading {}", path.display()))
        }
        other => other.into(),
    }
}

pub(crate) fn import(session: &mut Session, args: &ImportArgs) -> anyhow::Result<()> {
    let files = read_files(&args.files)?;
    // Tried without a password first: an encrypted file says so before any key derivation, and
    // a plain one given --password-stdin is imported all the same (its password is not read).
    let mut password: Option<Zeroizing<String>> = None;
    let import = loop {
        match tessera_transfer::files::import(&files, password.as_deref().map(String::as_str)) {
            Err(ImportError::PasswordRequired { format }) if password.is_none() => {
                password = Some(if args.password_stdin {
                    session.input.line("file password")?
                } else if Input::is_interactive() {
                    input::prompt_hidden(&format!("Password of the {format} file: "))?
                } else {
                    break Err(ImportError::PasswordRequired { format });
                });
            }
            result => break result,
        }
    }?;
    if args.password_stdin && password.is_none() {
        anstream::eprintln!(
            "note: the {} file is not encrypted; no password was read from standard input.",
            import.format.name()
        );
    }
    drop(password);
    let mut vault = session.open()?;
    let preview = tessera_transfer::preview(&import, vault.accounts());
    let new_count = preview.new_entries().count();

    if !args.json {
        print_text(&preview_text(&import, &preview))?;
    }
    let mut added = 0;
    if !args.dry_run && new_count > 0 {
        input::confirm(
            &format!("Add the {new_count} new accounts to the vault?"),
            "importing accounts",
            args.yes,
        )?;
        let now = now(None)?;
        let entries = &import.entries;
        added = vault.update(|data| -> anyhow::Result<usize> {
            // Sorted again under the write lock: another process may have added some since.
            let preview = tessera_transfer::preview(&import, &data.accounts);
            let mut count = 0;
            for item in preview.new_entries() {
                data.accounts.push(entries[item.index].to_account(now));
                count += 1;
            }
            Ok(count)
        })?;
    }
    if args.json {
        return print_json(&ImportJson {
            format: import.format.code(),
            dry_run: args.dry_run,
            added,
            entries: preview
                .entries
                .iter()
                .map(|item| {
                    let entry = &import.entries[item.index];
                    EntryJson {
                        issuer: &entry.issuer,
                        name: &entry.name,
                        kind: entry.otp.kind_name(),
                        status: status_code(item.status),
                    }
                })
                .collect(),
            unsupported: problems_json(import.unsupported()),
            rejected: problems_json(import.rejected()),
            missing_codes: import
                .missing_codes()
                .into_iter()
                .map(MissingJson::from)
                .collect(),
        });
    }
    for missing in import.missing_codes() {
        anstream::eprintln!("note: {missing}.");
    }
    if args.dry_run {
        anstream::eprintln!(
            "Dry run: {new_count} new accounts would be added; nothing was written."
        );
    } else if new_count == 0 {
        anstream::eprintln!("Nothing new to import: the vault is unchanged.");
    } else {
        anstream::eprintln!("Added {added} accounts.");
    }
    Ok(())
}

fn problems_json<'a>(problems: impl Iterator<Item = &'a EntryProblem>) -> Vec<ProblemJson<'a>> {
    problems
        .map(|p| ProblemJson {
            position: p.position,
            label: &p.label,
            code: p.error.code(),
            reason: p.error.to_string(),
        })
        .collect()
}

fn preview_text(import: &Import, preview: &tessera_transfer::Preview) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{} export: {} accounts, {} unsupported, {} rejected",
        import.format.name(),
        import.entries.len(),
        import.unsupported().count(),
        import.rejected().count()
    );
    for item in &preview.entries {
        let entry = &import.entries[item.index];
        let _ = writeln!(
            text,
            "  {:<11} {}  [{}]{}",
            status_code(item.status),
            sanitize(&entry.label()),
            entry.otp.kind_name(),
            match item.status {
                PreviewStatus::New => String::new(),
                status => format!("  {}", status_text(status)),
            }
        );
    }
    for (kind, problems) in [
        ("unsupported", import.unsupported().collect::<Vec<_>>()),
        ("rejected", import.rejected().collect::<Vec<_>>()),
    ] {
        for problem in problems {
            let _ = writeln!(
                text,
                "  {kind:<11} {}  {}",
                sanitize(&problem.label),
                problem.error
            );
        }
    }
    text
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    /// Aegis vault JSON, plain text (anyone who reads it has the secrets).
    AegisJson,
    /// Aegis vault JSON encrypted with a password.
    AegisEncrypted,
    /// One otpauth:// URI per line, plain text.
    OtpauthList,
    /// Google Authenticator export QR codes (shown on the terminal, or their URIs written to
    /// --output), plain.
    GoogleMigration,
    /// Tessera's own encrypted backup (needs --output).
    TesseraBackup,
}

impl FormatArg {
    fn format(self) -> ExportFormat {
        match self {
            Self::AegisJson => ExportFormat::AegisJson,
            Self::AegisEncrypted => ExportFormat::AegisEncrypted,
            Self::OtpauthList => ExportFormat::OtpauthList,
            Self::GoogleMigration => ExportFormat::GoogleMigration,
            Self::TesseraBackup => ExportFormat::TesseraBackup,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The format.
    #[arg(long, value_enum)]
    format: FormatArg,
    /// Write to this file (mode 0600) instead of standard output.
    #[arg(long, short = 'o', value_name = "PATH")]
    output: Option<PathBuf>,
    /// Read the export password (encrypted formats) from standard input (after the unlock
    /// secret, if any) instead of asking twice on the terminal.
    #[arg(long)]
    export_password_stdin: bool,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
    /// Do not ask for confirmation before a plain-text export.
    #[arg(long, short = 'y')]
    yes: bool,
}

pub(crate) fn export(session: &mut Session, args: &ExportArgs) -> anyhow::Result<()> {
    let format = args.format.format();
    if format == ExportFormat::TesseraBackup && args.output.is_none() {
        return Err(
            CliError::InvalidParameters("a Tessera backup is a file: pass --output PATH").into(),
        );
    }
    if args.export_password_stdin && format.is_plaintext() {
        return Err(CliError::InvalidParameters(
            "--export-password-stdin is for the encrypted formats (aegis-encrypted, \
             tessera-backup)",
        )
        .into());
    }
    if let Some(path) = &args.output
        && path.exists()
        && !args.force
    {
        return Err(CliError::FileExists { path: path.clone() }.into());
    }
    let vault = session.open()?;
    let password = if format.needs_password() {
        Some(export_password(session, args.export_password_stdin)?)
    } else {
        None
    };
    if format.is_plaintext() {
        anstream::eprintln!(
            "\x1b[1;33mwarning:\x1b[0m a {} export is NOT encrypted: anyone who reads it (or sees \
             it on screen) can make your codes. Delete it once it is imported.",
            format.name()
        );
        input::confirm(
            &format!(
                "Export the secrets of {} accounts in plain text?",
                vault.accounts().len()
            ),
            "a plain-text export",
            args.yes,
        )?;
    }
    let accounts = vault.accounts();
    let bytes: Zeroizing<Vec<u8>> = match format {
        ExportFormat::TesseraBackup => {
            let (Some(path), Some(mut password)) = (args.output.as_ref(), password) else {
                return Err(CliError::InvalidParameters("missing output or password").into());
            };
            let passphrase = Passphrase::new(std::mem::take(&mut *password));
            // Written (owner-only, as the vault is) inside a private folder beside the target,
            // then moved into place: never readable by others, never half written.
            let dir = match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir,
                _ => Path::new("."),
            };
            let context = || format!("writing {}", path.display());
            let private = tempfile::Builder::new()
                .prefix(".tessera-export")
                .tempdir_in(dir)
                .with_context(context)?;
            let staged = private.path().join("backup.tessera");
            vault.export_to(&staged, &passphrase, KdfParams::RECOMMENDED)?;
            if args.force {
                std::fs::rename(&staged, path).with_context(context)?;
            } else {
                std::fs::hard_link(&staged, path).with_context(context)?;
            }
            drop(private);
            anstream::eprintln!(
                "Wrote {} accounts to {} ({}).",
                accounts.len(),
                sanitize(&path.display().to_string()),
                format.name()
            );
            return Ok(());
        }
        ExportFormat::AegisEncrypted => {
            let password = password.as_ref().map_or("", |p| p.as_str());

            export::aegis_encrypted(accounts, password, AegisKdf::default())?
        }
        ExportFormat::AegisJson => export::aegis_plain(accounts)?,
        ExportFormat::OtpauthList => {
            let text = export::otpauth_list(accounts);
            Zeroizing::new(text.as_bytes().to_vec())
        }
        ExportFormat::GoogleMigration => {
            let export = export::migration_uris(accounts)?;
            for account in export.skipped() {
                if let MigrationOutcome::Skipped { reason } = &account.outcome {
                    anstream::eprintln!("skipped {}: {reason}", sanitize(&account.label));
                }
            }
            if args.output.is_none() {
                return show_migration_codes(&export.uris);
            }
            let mut text = Zeroizing::new(String::new());
            for uri in &export.uris {
                text.push_str(uri);
                text.push('\n');
            }
            Zeroizing::new(text.as_bytes().to_vec())
        }
        _ => return Err(CliError::InvalidParameters("unknown export format").into()),
    };
    match &args.output {
        Some(path) => {
            write_private(path, &bytes, args.force)?;
            anstream::eprintln!(
                "Wrote {} accounts to {} ({}).",
                accounts.len(),
                sanitize(&path.display().to_string()),
                format.name()
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(())
}

fn show_migration_codes(uris: &[Zeroizing<String>]) -> anyhow::Result<()> {
    let total = uris.len();
    for (index, uri) in uris.iter().enumerate() {
        let code = tessera_qr::render::terminal(uri, tessera_qr::render::Background::Dark)?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "Code {} of {total}:", index + 1)?;
        out.write_all(code.as_bytes())?;
        writeln!(out)?;
        out.flush()?;
    }
    anstream::eprintln!(
        "Scan the {total} codes with Google Authenticator (Transfer accounts > Import accounts)."
    );
    Ok(())
}

fn export_password(session: &mut Session, from_stdin: bool) -> anyhow::Result<Zeroizing<String>> {
    if from_stdin {
        return session.input.line("export password");
    }
    if !Input::is_interactive() {
        return Err(CliError::NotATerminal {
            needed: "the export password",
            flag: "--export-password-stdin",
        }
        .into());
    }
    let first = input::prompt_hidden("New export password: ")?;
    let second = input::prompt_hidden("Repeat the export password: ")?;
    if *first != *second {
        return Err(CliError::PassphraseMismatch.into());
    }
    Ok(first)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, open to the owner
/// alone from its creation (mode 0600; an owner-only ACL on Windows), synced, then renamed over
/// the target, so a crash leaves the old file or the new one, never half.
pub(crate) fn write_private(path: &Path, bytes: &[u8], replace: bool) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let context = || format!("writing {}", path.display());
    let mut file = tempfile::Builder::new()
        .prefix(".tessera-export")
        .make_in(dir, tessera_core::vault::create_private_file)
        .with_context(context)?;
    file.write_all(bytes).with_context(context)?;
    file.as_file().sync_all().with_context(context)?;
    if replace {
        file.persist(path)
            .map_err(|e| e.error)
            .with_context(context)?;
    } else {
        file.persist_noclobber(path)
            .map_err(|e| e.error)
            .with_context(context)?;
    }
    Ok(())
}
