//! The decoding pipeline: luminance image in, the texts of every QR code found out.
//!
//! Why this pipeline (measured numbers in the crate README):
//! - rxing's port of zxing-cpp's QR reader (`QrReader`) finds several codes per image; we call it
//!   directly with `TryHarder` and QR as the only format, which skips the 1D and other 2D
//!   readers that a multi-format reader would run first.
//! - The hybrid (local-block) binarizer copes with dark-mode pages, gradients and JPEG noise.
//! - Dark-mode pages sometimes show light modules on a dark background: when the first pass
//!   finds nothing, the black matrix is flipped in place and searched again (no new binarizing);
//!   when that finds nothing either, the inverted luminance is binarized and searched (a code
//!   whose dark margin touches a large uniform area, see `read_inverted_luma`).
//! - QR codes carry Reed-Solomon error correction: the decoder rejects a symbol whose codewords
//!   do not check, so a noise pattern does not turn into a wrong text.

use std::collections::HashSet;

use rxing::common::HybridBinarizer;
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source};

use crate::error::DecodeError;
use crate::frame::{Frame, LumaImage};
use crate::load::load_luma;
use crate::text::QrText;
use zeroize::Zeroizing;

/// Finds every QR code in an image file held in memory (PNG, JPEG, WebP, GIF, BMP).
///
/// Returns the texts in the order found, without duplicates; an empty list when the image
/// holds no readable QR code. Every pixel buffer made on the way is wiped before returning.
pub fn decode_image_bytes(bytes: &[u8]) -> Result<Vec<QrText>, DecodeError> {
    let luma = load_luma(bytes)?;
    Ok(decode_luma(&luma))
}

/// Finds every QR code in an in-memory frame (a screen capture, a clipboard image).
///
/// The frame is consumed: its pixels and the luminance copy are wiped before this returns, so
/// a capture does not outlive the scan.
pub fn decode_frame(frame: Frame) -> Vec<QrText> {
    let luma = frame.into_luma();
    decode_luma(&luma)
}

pub(crate) fn decode_luma(image: &LumaImage) -> Vec<QrText> {
    let Ok(source) = Luma8Source::new_with_slice(&image.pixels, image.width, image.height) else {
        // Only on a length mismatch, which `LumaImage`'s constructors rule out.
        return Vec::new();
    };
    let hints = hints();
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let mut found = read_all(&mut bitmap, &hints);
    if found.is_empty() {
        bitmap.invert();
        found = read_all(&mut bitmap, &hints);
    }
    if found.is_empty() {
        found = read_inverted_luma(image, &hints);
    }
    dedupe(found)
}

/// Last resort for a light-on-dark code beside a large uniform area (a dark-mode QR code with
/// its 4-module margin on a black desktop): the binarizer counts uniform blocks as white, so
/// flipping its matrix turns the code's dark margin black and the finder patterns merge with
/// it. Binarizing the inverted luminance instead keeps the margin light. Only runs when both
/// passes above found nothing.
fn read_inverted_luma(image: &LumaImage, hints: &DecodeHints) -> Vec<QrText> {
    let inverted: Zeroizing<Vec<u8>> =
        Zeroizing::new(image.pixels.iter().map(|p| 255 - p).collect());
    let Ok(source) = Luma8Source::new_with_slice(&inverted, image.width, image.height) else {
        return Vec::new();
    };
    read_all(&mut BinaryBitmap::new(HybridBinarizer::new(source)), hints)
}

fn hints() -> DecodeHints {
    DecodeHints {
        TryHarder: Some(true),
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        ..DecodeHints::default()
    }
}

fn read_all<B: rxing::Binarizer>(bitmap: &mut BinaryBitmap<B>, hints: &DecodeHints) -> Vec<QrText> {
    // rxing reports "nothing found" as an error; for us that is an empty result.
    QrReader
        .decode_multiple_with_hints(bitmap, hints)
        .map(|results| {
            results
                .into_iter()
                .map(|result| QrText::new(result.getText().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// The same code can be found twice (once per finder-pattern set); keep the first.
fn dedupe(found: Vec<QrText>) -> Vec<QrText> {
    let mut unique: Vec<QrText> = Vec::with_capacity(found.len());
    for text in found {
        if !unique.contains(&text) {
            unique.push(text);
        }
    }
    unique
}
