//! Screenshots of authenticator QR codes: a Google Authenticator export (its "Transfer
//! accounts" screen shows one `otpauth-migration://` code at a time) or an account's own
//! `otpauth://` code, read the way Proton Authenticator's importer reads them.
//!
//! The QR crate finds the codes, with its own caps on the image checked from its header
//! (`tessera_qr::MAX_SIDE`, `MAX_PIXELS`); each code that is an authenticator link is then read
//! as one line of a URI list ([`crate::text`]), so an image and a text file of the same links
//! import the same accounts and report the same problems.

use tessera_qr::{DecodeError, Payload};

use crate::entry::{Collector, EntryError};
use crate::limits::Limit;
use crate::text;
use crate::{Format, Import, ImportError};

/// Imports the authenticator QR codes of an image file (PNG, JPEG, WebP, GIF, BMP).
///
/// No QR code at all is [`ImportError::NoQrCode`]; codes that are none of them an account or
/// an export (a web link, a push enrollment) are [`ImportError::NotAnAccountQr`]. Beside
/// account codes, such codes are reported as problems ("QR code 2"), never dropped silently.
pub fn import(bytes: &[u8]) -> Result<Import, ImportError> {
    let texts = tessera_qr::decode_image_bytes(bytes).map_err(decode_error)?;
    if texts.is_empty() {
        return Err(ImportError::NoQrCode);
    }
    // EXPOSE: each code's text is parsed here, as a line of an export file is; it is neither
    // copied nor kept (the texts are wiped when `texts` drops).
    let links: Vec<Option<&str>> = texts
        .iter()
        .map(|text| {
            let text = text.expose_secret().trim();
            match tessera_qr::classify(text) {
                Ok(Payload::OtpAuth(_) | Payload::Migration(_)) | Err(_) => Some(text),
                Ok(_) => None,
            }
        })
        .collect();
    let accounts = links.iter().flatten().count();
    if accounts == 0 {
        return Err(ImportError::NotAnAccountQr);
    }
    let format = if links.iter().flatten().any(|link| text::is_migration(link)) {
        Format::GoogleMigration
    } else {
        Format::OtpauthUri
    };
    let mut collector = Collector::new(format);
    let mut unreadable_payloads = 0;
    for (index, link) in links.iter().enumerate() {
        let label = || format!("QR code {}", index + 1);
        match link {
            Some(link) => {
                if !text::add_line(&mut collector, link, label) {
                    unreadable_payloads += 1;
                }
            }
            None => collector.problem(label(), EntryError::NotAUri),
        }
    }
    // As for a text file: an export whose only payloads are damaged is a damaged export.
    if unreadable_payloads == accounts {
        return Err(ImportError::InvalidContainer { format });
    }
    collector.finish()
}

fn decode_error(error: DecodeError) -> ImportError {
    match error {
        DecodeError::FileTooLarge { .. } => ImportError::LimitExceeded {
            format: None,
            limit: Limit::FileBytes,
        },
        DecodeError::TooLarge { .. } | DecodeError::MemoryLimit => ImportError::LimitExceeded {
            format: None,
            limit: Limit::ImagePixels,
        },
        // Damaged, empty, or a format the reader does not decode.
        _ => ImportError::UnreadableImage,
    }
}
