//! Accounts as QR codes: SVG for the app's "Show QR", Unicode half blocks for `tessera qr`, and
//! Google Authenticator export codes for moving many accounts to a phone at once.
//!
//! Everything returned is wiped on drop: a QR code of an account is its secret in another form.

use qrcode::{Color, EcLevel, QrCode};
use tessera_core::Account;
use tessera_core::migration::{self, BatchInfo, MigrationEntry, WriteError};
use zeroize::Zeroizing;

use crate::classify::scheme_of;
use crate::error::RenderError;

/// Accounts per export code. Google Authenticator itself puts 10 accounts in each code of an
/// export (the proton sample: 10 accounts, code 1 of 4), a size every phone camera reads.
pub const ACCOUNTS_PER_MIGRATION_CODE: usize = 10;

/// Longest export URI per code: keeps each code at or below version ~25 at level M even with
/// long names, a density phones still read from a laptop screen.
const MAX_MIGRATION_URI_LEN: usize = 1200;

/// The terminal's background, so the code's light modules come out light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Background {
    /// Light text on a dark background (most terminals): light modules are drawn as blocks.
    #[default]
    Dark,
    /// Dark text on a light background: dark modules are drawn as blocks.
    Light,
}

/// The QR code of an `otpauth://` or `otpauth-migration://` URI as a standalone SVG document
/// (black on white, 4-module quiet zone, 8 px modules, scalable).
pub fn svg(uri: &str) -> Result<Zeroizing<String>, RenderError> {
    let code = encode(uri)?;
    let image = code
        .render::<qrcode::render::svg::Color<'_>>()
        .quiet_zone(true)
        .module_dimensions(8, 8)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    Ok(Zeroizing::new(image))
}

/// The QR code as lines of Unicode half blocks (two modules a character cell vertically), with
/// the 4-module quiet zone phones need; lines end in `\n`.
pub fn terminal(uri: &str, background: Background) -> Result<Zeroizing<String>, RenderError> {
    let code = encode(uri)?;
    let modules = code.width();
    let colors = Zeroizing::new(
        code.to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect::<Vec<bool>>(),
    );
    const QUIET: usize = 4;
    let side = modules + 2 * QUIET;
    let dark_at = |x: usize, y: usize| -> bool {
        let inside = (QUIET..QUIET + modules).contains(&x) && (QUIET..QUIET + modules).contains(&y);
        inside && colors[(y - QUIET) * modules + (x - QUIET)]
    };
    // A block is drawn in the terminal's foreground colour: on a dark background that is the
    // light colour, so blocks mark light modules.
    let ink = |x, y| match background {
        Background::Dark => !dark_at(x, y),
        Background::Light => dark_at(x, y),
    };
    // Each cell is at most 3 bytes of UTF-8; reserve it all so no unwiped reallocation happens.
    let rows = side.div_ceil(2);
    let mut out = Zeroizing::new(String::with_capacity(rows * (side * 3 + 1)));
    for row in 0..rows {
        let (top_y, bottom_y) = (2 * row, 2 * row + 1);
        for x in 0..side {
            let top = ink(x, top_y);
            let bottom = bottom_y < side && ink(x, bottom_y);
            out.push(match (top, bottom) {
                (true, true) => '\u{2588}',
                (true, false) => '\u{2580}',
                (false, true) => '\u{2584}',
                (false, false) => ' ',
            });
        }
        out.push('\n');
    }
    Ok(out)
}

/// The `otpauth-migration://` URIs of a Google Authenticator export of `accounts`, split into
/// codes of at most [`ACCOUNTS_PER_MIGRATION_CODE`] accounts. `batch_id` is the export's random
/// id (the caller draws it: this crate reads no randomness). Render each with [`svg`] or
/// [`terminal`].
///
/// Fails on the first account the format cannot hold (Steam, 7 digits, a 60 s period) rather
/// than exporting a code that would silently give other codes on the phone.
pub fn migration_uris(
    accounts: &[&Account],
    batch_id: i32,
) -> Result<Vec<Zeroizing<String>>, RenderError> {
    if accounts.is_empty() {
        return Err(RenderError::NoAccounts);
    }
    let entries: Vec<MigrationEntry> = accounts
        .iter()
        .map(|a| MigrationEntry::from_account(a))
        .collect();
    // Check every account first, so the error names the account's position in `accounts`.
    for (index, entry) in entries.iter().enumerate() {
        migration::write(BatchInfo::single(batch_id), std::slice::from_ref(entry))
            .map_err(|e| not_portable(index, e))?;
    }
    let groups = split(&entries, batch_id)?;
    let size =
        i32::try_from(groups.len()).map_err(|_| RenderError::DataTooLong { len: usize::MAX })?;
    let mut uris = Vec::with_capacity(groups.len());
    let mut start = 0;
    for (index, len) in (0..).zip(groups) {
        let info = BatchInfo {
            version: 1,
            size,
            index,
            id: batch_id,
        };
        let uri = migration::write(info, &entries[start..start + len])
            .map_err(|e| not_portable(start, e))?;
        start += len;
        uris.push(uri);
    }
    Ok(uris)
}

/// Greedy split: up to [`ACCOUNTS_PER_MIGRATION_CODE`] accounts a code, fewer when long names
/// would make the code too dense. Returns the group lengths.
fn split(entries: &[MigrationEntry], batch_id: i32) -> Result<Vec<usize>, RenderError> {
    let mut groups = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let mut len = (entries.len() - start).min(ACCOUNTS_PER_MIGRATION_CODE);
        while len > 1 {
            let uri = migration::write(BatchInfo::single(batch_id), &entries[start..start + len])
                .map_err(|e| not_portable(start, e))?;
            if uri.len() <= MAX_MIGRATION_URI_LEN {
                break;
            }
            len -= 1;
        }
        groups.push(len);
        start += len;
    }
    Ok(groups)
}

fn not_portable(offset: usize, error: WriteError) -> RenderError {
    let (index, reason) = match error {
        WriteError::CounterTooLarge { index } => (index, "HOTP counter too large"),
        WriteError::UnsupportedDigits { index } => (index, "only 6 or 8 digits"),
        WriteError::UnsupportedPeriod { index } => (index, "only a 30 second period"),
        WriteError::UnsupportedSteam { index } => (index, "Steam accounts"),
        _ => (0, "not expressible"),
    };
    RenderError::NotPortable {
        index: offset + index,
        reason,
    }
}

/// Level M (15 % recovery): what authenticator sites use, robust against a screen photo.
fn encode(uri: &str) -> Result<QrCode, RenderError> {
    let scheme = scheme_of(uri).ok_or(RenderError::NotOtpAuth)?;
    if !(scheme.eq_ignore_ascii_case("otpauth") || scheme.eq_ignore_ascii_case("otpauth-migration"))
    {
        return Err(RenderError::NotOtpAuth);
    }
    QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::M)
        .map_err(|_| RenderError::DataTooLong { len: uri.len() })
}
