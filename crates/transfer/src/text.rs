//! Text exports: lists of `otpauth://` URIs (formats.md §3; Aegis, Stratum and WinAuth text
//! exports), Ente Auth's plain export (§11: the same with a `codeDisplay` parameter) and Google
//! Authenticator `otpauth-migration://` URIs (§4), one per line.
//!
//! Blank lines and `#` comments are skipped; every other line is an entry (or, for migration
//! URIs, a batch of entries), so a line that cannot be read is reported, never dropped.

use tessera_core::migration::{self, EntryError as MigrationEntryError};
use tessera_core::uri::OtpUri;

use crate::entry::{Collector, EntryError, uri_label};
use crate::limits::{Limit, MAX_ENTRIES};
use crate::{Format, Import, ImportError};

/// Imports a text file of `otpauth://` and/or `otpauth-migration://` URIs.
///
/// The format reported is [`Format::GoogleMigration`] if any line is a migration URI,
/// [`Format::Ente`] if the URIs carry Ente's `codeDisplay`, else [`Format::OtpauthUri`].
pub fn import(bytes: &[u8]) -> Result<Import, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::InvalidContainer {
        format: Format::OtpauthUri,
    })?;
    import_str(text, None)
}

/// Reads the lines of `text`; `format` forces the reported format (Ente's decrypted payload).
pub(crate) fn import_str(text: &str, format: Option<Format>) -> Result<Import, ImportError> {
    // Every kept line is at least one entry: stop collecting past the cap.
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .take(MAX_ENTRIES + 1)
        .collect();
    if lines.len() > MAX_ENTRIES {
        return Err(ImportError::LimitExceeded {
            format: format.or(Some(Format::OtpauthUri)),
            limit: Limit::Entries,
        });
    }
    if lines.is_empty() {
        return Err(ImportError::Empty);
    }
    let detected = if lines.iter().any(|(_, l)| is_migration(l)) {
        Format::GoogleMigration
    } else if lines.iter().any(|(_, l)| l.contains("codeDisplay=")) {
        Format::Ente
    } else {
        Format::OtpauthUri
    };
    let format = format.unwrap_or(detected);
    let mut collector = Collector::new(format);
    let mut unreadable_payloads = 0;
    for &(number, line) in &lines {
        if collector.is_full() {
            break;
        }
        if !add_line(&mut collector, line, || format!("line {number}")) {
            unreadable_payloads += 1;
        }
    }
    // A single migration URI that is not a payload at all is a damaged file, not an entry.
    if unreadable_payloads == lines.len() && format == Format::GoogleMigration {
        return Err(ImportError::InvalidContainer { format });
    }
    collector.finish()
}

/// Whether `line` is a Google Authenticator export code (`otpauth-migration://`, any case).
pub(crate) fn is_migration(line: &str) -> bool {
    const SCHEME: &str = "otpauth-migration://";
    line.get(..SCHEME.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(SCHEME))
}

/// Reads one URI (a line of a file, or the text of a QR code) into `collector`: one account,
/// the accounts of an export code, or a problem. `label` names the problem when the URI itself
/// names no account. Returns `false` for a migration URI whose payload cannot be read at all.
pub(crate) fn add_line(
    collector: &mut Collector,
    line: &str,
    label: impl FnOnce() -> String,
) -> bool {
    if is_migration(line) {
        return match migration::parse(line) {
            Ok(batch) => {
                add_batch(collector, batch);
                true
            }
            Err(_) => {
                collector.problem(label(), EntryError::Malformed);
                false
            }
        };
    }
    match OtpUri::parse(line) {
        Ok(uri) => {
            let tags = ente_tags(line);
            collector.add(uri.issuer, uri.name, Ok((uri.secret, uri.otp)), tags);
        }
        Err(error) => {
            let (issuer, name) = uri_label(line);
            let error = EntryError::from_uri(error, line);
            if issuer.is_empty() && name.is_empty() {
                collector.problem(label(), error);
            } else {
                collector.add(issuer, name, Err(error), Vec::new());
            }
        }
    }
    true
}

fn add_batch(collector: &mut Collector, batch: migration::MigrationBatch) {
    // Which code of its export this was: the import names the codes it was not given.
    collector.export_code(batch.info);
    // The core reports entries and rejections separately; restore payload order for positions.
    let mut rejected = batch.rejected.into_iter().peekable();
    let mut index = 0;
    for entry in batch.entries {
        while let Some(problem) = rejected.next_if(|r| r.index <= index) {
            collector.add(
                problem.issuer,
                problem.name,
                Err(map_migration_error(problem.error)),
                Vec::new(),
            );
            index += 1;
        }
        collector.add(
            entry.issuer,
            entry.name,
            Ok((entry.secret, entry.otp)),
            Vec::new(),
        );
        index += 1;
    }
    for problem in rejected {
        collector.add(
            problem.issuer,
            problem.name,
            Err(map_migration_error(problem.error)),
            Vec::new(),
        );
    }
}

fn map_migration_error(error: MigrationEntryError) -> EntryError {
    match error {
        MigrationEntryError::EmptySecret => EntryError::MissingSecret,
        MigrationEntryError::InvalidCounter => EntryError::InvalidCounter,
        MigrationEntryError::UnsupportedAlgorithm | MigrationEntryError::UnknownAlgorithm => {
            EntryError::InvalidAlgorithm
        }
        MigrationEntryError::UnknownDigits => EntryError::InvalidDigits,
        MigrationEntryError::UnknownType => EntryError::UnknownType,
        _ => EntryError::Malformed,
    }
}

/// Ente's `codeDisplay` parameter: URL-encoded JSON whose `tags` are the entry's tags.
fn ente_tags(uri: &str) -> Vec<String> {
    let Some((_, query)) = uri.split_once('?') else {
        return Vec::new();
    };
    let Some(value) = query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.eq_ignore_ascii_case("codeDisplay").then_some(value)
    }) else {
        return Vec::new();
    };
    let spaced = value.replace('+', " ");
    let decoded = percent_encoding::percent_decode_str(&spaced).decode_utf8_lossy();
    crate::json::parse(decoded.as_bytes(), Format::Ente)
        .map(|display| crate::json::strings(&display.0, "tags"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_reported_not_dropped() {
        let text = "# comment\n\
            otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\n\
            \n\
            motp://M:x?secret=JBSWY3DPEHPK3PXP\n\
            otpauth://totp/C:d?secret=JBSWY3DPEHPK3PXP&digits=0\n\
            hello\n\
            otpauth://yaotp/Y:z?secret=JBSWY3DPEHPK3PXP\n";
        let import = import(text.as_bytes()).unwrap();
        assert_eq!(import.format, Format::OtpauthUri);
        assert_eq!(import.entries.len(), 1);
        let codes: Vec<_> = import
            .problems
            .iter()
            .map(|p| (p.position, p.label.as_str(), p.error.code()))
            .collect();
        assert_eq!(
            codes,
            [
                (1, "M (x)", "unsupported_type"),
                (2, "C (d)", "invalid_digits"),
                (3, "line 6", "not_a_uri"),
                (4, "Y (z)", "unsupported_type"),
            ]
        );
        assert_eq!(import.unsupported().count(), 2);
        assert_eq!(import.rejected().count(), 2);
    }

    #[test]
    fn ente_tags_are_kept() {
        let line = "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&codeDisplay=%7B%22tags%22%3A%5B%22work%22%5D%2C%22trashed%22%3Afalse%7D";
        let import = import(line.as_bytes()).unwrap();
        assert_eq!(import.format, Format::Ente);
        assert_eq!(import.entries[0].tags, ["work"]);
    }

    #[test]
    fn empty_and_undecodable_files() {
        assert_eq!(import(b"\n# x\n  \n").unwrap_err(), ImportError::Empty);
        assert_eq!(
            import(b"otpauth-migration://offline?data=%%%").unwrap_err(),
            ImportError::InvalidContainer {
                format: Format::GoogleMigration
            }
        );
        assert!(import(b"\xFF\xFE").is_err());
    }
}
