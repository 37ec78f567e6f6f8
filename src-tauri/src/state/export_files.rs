//! Export files: the form checked before any dialog opens, the native save dialog (or, in the
//! end-to-end tests' build, a path from the page), and the owner-only atomic write.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt as _;
use tessera_transfer::export::ExportFormat;

use super::{AppState, TransferErrorCode};
use crate::dto::SecretText;
use crate::dto::transfer::ExportedDto;
use crate::error::IpcError;

/// The export form as the page sends it.
pub(crate) struct ExportForm {
    pub(crate) format: String,
    pub(crate) password: Option<SecretText>,
    pub(crate) confirm: Option<SecretText>,
    pub(crate) plain_confirmed: bool,
    /// The page's words for the file type, shown by the save dialog.
    pub(crate) file_kind: Option<String>,
}

/// Checks an export request before any dialog opens: a known file format, a confirmed
/// password for the encrypted ones, the "unencrypted" acknowledgement for the plain ones.
fn export_request(
    format: &str,
    password: Option<&SecretText>,
    confirm: Option<&SecretText>,
    plain_confirmed: bool,
) -> Result<ExportFormat, IpcError> {
    let format = ExportFormat::parse(format)
        .filter(|format| *format != ExportFormat::GoogleMigration)
        .ok_or_else(|| IpcError::invalid(None, "not a file export format"))?;
    if format.is_plaintext() {
        if !plain_confirmed {
            return Err(TransferErrorCode::PlainNotConfirmed
                .error("a plain export must be confirmed: the file will not be encrypted"));
        }
        return Ok(format);
    }
    let password = password.map_or("", |password| &**password);
    if password.is_empty() {
        return Err(tessera_transfer::export::ExportError::EmptyPassword.into());
    }
    if confirm.map_or("", |confirm| &**confirm) != password {
        return Err(TransferErrorCode::PasswordMismatch
            .error("the password and its confirmation are different"));
    }
    Ok(format)
}

/// Writes an export of every account. Without `path`, the native save dialog asks where
/// (`None` back when the user closed it); with one (end-to-end tests, debug builds only), it is
/// used as is.
pub(crate) fn save<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    form: ExportForm,
    path: Option<String>,
) -> Result<Option<ExportedDto>, IpcError> {
    let ExportForm {
        format,
        password,
        confirm,
        plain_confirmed,
        file_kind,
    } = form;
    let format = export_request(
        &format,
        password.as_ref(),
        confirm.as_ref(),
        plain_confirmed,
    )?;
    let path = match path {
        // A path from the page is honoured in the end-to-end tests' build only (feature `e2e`),
        // where it stands in for the native dialog: a build a user runs never lets the webview
        // choose where secrets are written, nor which file is replaced.
        Some(path) if cfg!(any(test, feature = "e2e")) => PathBuf::from(path),
        Some(_) => {
            return Err(IpcError::invalid(
                None,
                "the export's place is chosen in the save dialog",
            ));
        }
        None => {
            let picked = app
                .dialog()
                .file()
                .set_file_name(format!("tessera-export.{}", format.file_extension()))
                .add_filter(
                    dialog_label(file_kind.as_deref()).unwrap_or(format.name()),
                    &[format.file_extension()],
                )
                .blocking_save_file();
            match picked.and_then(|file| file.into_path().ok()) {
                Some(path) => path,
                None => return Ok(None),
            }
        }
    };
    let accounts = state.export_to_file(format, password.as_deref(), &path)?;
    Ok(Some(ExportedDto {
        path: path.display().to_string(),
        accounts,
    }))
}

/// The save dialog's name for the file type, as the UI words it in the user's language (the
/// English name when it sends none, or something no dialog should show).
fn dialog_label(label: Option<&str>) -> Option<&str> {
    label.filter(|label| {
        !label.is_empty() && label.chars().count() <= 80 && !label.chars().any(char::is_control)
    })
}

#[cfg(test)]
mod tests {
    use zeroize::Zeroizing;

    use super::*;

    fn secret(text: &str) -> SecretText {
        SecretText(Zeroizing::new(text.to_owned()))
    }

    #[test]
    fn the_dialog_shows_the_ui_words_for_the_file_type_when_sensible() {
        assert_eq!(dialog_label(Some("Aegis, chiffré")), Some("Aegis, chiffré"));
        assert_eq!(dialog_label(Some("")), None);
        assert_eq!(dialog_label(Some("a\nb")), None);
        assert_eq!(dialog_label(Some(&"x".repeat(81))), None);
        assert_eq!(dialog_label(None), None);
    }

    #[test]
    fn export_requests_are_checked_before_any_dialog() {
        let code = |result: Result<ExportFormat, IpcError>| result.map_err(|e| e.code);
        assert_eq!(
            code(export_request("aegis_json", None, None, false)),
            Err("plain_not_confirmed")
        );
        assert_eq!(
            code(export_request("otpauth_list", None, None, true)),
            Ok(ExportFormat::OtpauthList)
        );
        assert_eq!(
            code(export_request("tessera_backup", None, None, true)),
            Err("empty_password")
        );
        assert_eq!(
            code(export_request(
                "aegis_encrypted",
                Some(&secret("a")),
                Some(&secret("b")),
                false
            )),
            Err("password_mismatch")
        );
        assert_eq!(
            code(export_request(
                "aegis_encrypted",
                Some(&secret("a")),
                Some(&secret("a")),
                false
            )),
            Ok(ExportFormat::AegisEncrypted)
        );
        assert_eq!(
            code(export_request("google_migration", None, None, true)),
            Err("invalid_input")
        );
        assert_eq!(
            code(export_request("nope", None, None, true)),
            Err("invalid_input")
        );
    }
}
