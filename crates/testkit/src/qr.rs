//! Google Authenticator exports and screenshots of QR codes for the scan and import tests.

use std::io::Cursor;

use image::{GrayImage, ImageFormat, Luma};
use tessera_core::migration::{self, BatchInfo, MigrationEntry};

/// A PNG with the given texts as QR codes side by side, on a white page.
pub fn png_of(texts: &[&str]) -> Vec<u8> {
    const SCALE: u32 = 4;
    const MARGIN: u32 = 4;
    let codes: Vec<qrcode::QrCode> = texts
        .iter()
        .map(|text| qrcode::QrCode::new(text.as_bytes()).unwrap())
        .collect();
    let side = |code: &qrcode::QrCode| (code.width() as u32 + 2 * MARGIN) * SCALE;
    let width = codes.iter().map(side).sum::<u32>().max(64);
    let height = codes.iter().map(side).max().unwrap_or(64);
    let mut page = GrayImage::from_pixel(width, height, Luma([255]));
    let mut left = 0;
    for code in &codes {
        let modules = code.width() as u32;
        let colors = code.to_colors();
        for y in 0..modules {
            for x in 0..modules {
                if colors[(y * modules + x) as usize] == qrcode::Color::Dark {
                    for dy in 0..SCALE {
                        for dx in 0..SCALE {
                            page.put_pixel(
                                left + (MARGIN + x) * SCALE + dx,
                                (MARGIN + y) * SCALE + dy,
                                Luma([0]),
                            );
                        }
                    }
                }
            }
        }
        left += side(code);
    }
    let mut png = Vec::new();
    page.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .unwrap();
    png
}

/// The accounts of Google's own sample export (scito's `example_export.txt`, six codes of one
/// account each), re-split as one export of three codes with two accounts each, the way Google
/// splits a large export.
pub fn three_code_export(batch_id: i32) -> Vec<String> {
    let text = std::fs::read_to_string(
        crate::workspace_root()
            .join("tests/data/imports/google-migration/scito-example_export.txt"),
    )
    .unwrap();
    let entries: Vec<MigrationEntry> = text
        .lines()
        .filter(|line| line.starts_with("otpauth-migration://"))
        .flat_map(|line| migration::parse(line).unwrap().entries)
        .collect();
    assert_eq!(entries.len(), 6);
    (0..3)
        .zip(entries.chunks(2))
        .map(|(index, chunk)| {
            let info = BatchInfo {
                version: 1,
                size: 3,
                index,
                id: batch_id,
            };
            migration::write(info, chunk).unwrap().to_string()
        })
        .collect()
}
