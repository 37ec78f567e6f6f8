//! Hostile and damaged inputs give errors or empty results, never panics, hangs or huge
//! allocations, and damaged codes never decode to a wrong text.

use std::io::Cursor;

use image::{GrayImage, ImageFormat, Luma};
use tessera_qr::{DecodeError, Frame, PixelLayout, decode_frame, decode_image_bytes};
use tessera_testkit::files::png_declaring;

use crate::corpus::Rng;
use crate::texts;

fn code_image(text: &str, module: u32) -> GrayImage {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let n = code.width() as u32;
    let colors = code.to_colors();
    GrayImage::from_fn((n + 8) * module, (n + 8) * module, |x, y| {
        let (mx, my) = ((x / module) as i64 - 4, (y / module) as i64 - 4);
        let inside = (0..n as i64).contains(&mx) && (0..n as i64).contains(&my);
        let dark = inside && colors[(my as u32 * n + mx as u32) as usize] == qrcode::Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    })
}

fn png(image: &GrayImage) -> Vec<u8> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

#[test]
fn huge_declared_dimensions_are_refused_before_decoding() {
    for (w, h) in [
        (100_000, 100_000),
        (16_385, 10),
        (10_000, 10_000),
        (u32::MAX, 1),
    ] {
        let err = decode_image_bytes(&png_declaring(w, h)).unwrap_err();
        assert!(
            matches!(
                err,
                DecodeError::TooLarge { .. } | DecodeError::MemoryLimit | DecodeError::Malformed(_)
            ),
            "{w}x{h}: {err:?}"
        );
    }
    let err = decode_image_bytes(&png_declaring(12_000, 12_000)).unwrap_err();
    assert_eq!(err.code(), "image_too_large");
}

#[test]
fn zero_size_and_empty_inputs_are_errors() {
    let err = decode_image_bytes(&png_declaring(0, 10)).unwrap_err();
    assert!(
        matches!(err, DecodeError::EmptyImage | DecodeError::Malformed(_)),
        "{err:?}"
    );
    assert_eq!(
        decode_image_bytes(&[]).unwrap_err().code(),
        "image_format_unsupported"
    );
    assert_eq!(
        decode_image_bytes(b"hello").unwrap_err().code(),
        "image_format_unsupported"
    );
    // Formats outside the list are refused even when the image crate could name them.
    assert_eq!(
        decode_image_bytes(b"II*\0garbage").unwrap_err().code(),
        "image_format_unsupported"
    );
}

#[test]
fn truncated_and_corrupted_files_are_errors_not_panics() {
    let image = code_image("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP", 4);
    let png = png(&image);
    let mut jpeg = Vec::new();
    image
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut jpeg, 80,
        ))
        .unwrap();
    let mut gif = Vec::new();
    image::DynamicImage::ImageLuma8(image.clone())
        .to_rgba8()
        .write_to(&mut Cursor::new(&mut gif), ImageFormat::Gif)
        .unwrap();
    let mut bmp = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bmp), ImageFormat::Bmp)
        .unwrap();

    for (name, file) in [("png", &png), ("jpeg", &jpeg), ("gif", &gif), ("bmp", &bmp)] {
        for cut in [8, 16, 33, 64, file.len() / 2, file.len() - 1] {
            // A truncated JPEG may still decode to a partial image: an error or a result, but
            // never a wrong text.
            if let Ok(found) = decode_image_bytes(&file[..cut]) {
                for text in texts(&found) {
                    assert_eq!(
                        text, "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP",
                        "{name} cut {cut}"
                    );
                }
            }
        }
        let mut rng = Rng::new(7);
        for _ in 0..20 {
            let mut damaged = file.clone();
            for _ in 0..8 {
                let at = rng.range(0, damaged.len() as u32 - 1) as usize;
                damaged[at] = rng.next_u64() as u8;
            }
            if let Ok(found) = decode_image_bytes(&damaged) {
                for text in texts(&found) {
                    assert_eq!(text, "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP", "{name}");
                }
            }
        }
    }
    assert_eq!(
        decode_image_bytes(&png[..40]).unwrap_err().code(),
        "image_malformed"
    );
}

/// Codes with modules flipped at random: beyond the error-correction capacity they are not
/// found, below it they decode right; never a wrong text.
#[test]
fn damaged_codes_never_decode_to_a_wrong_text() {
    let text = "otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME";
    let clean = code_image(text, 3);
    let mut rng = Rng::new(99);
    let modules = clean.width() / 3;
    let mut decoded = 0;
    for round in 0..24 {
        let mut image = clean.clone();
        let flips = 5 + round * 8;
        for _ in 0..flips {
            let (mx, my) = (rng.range(4, modules - 5), rng.range(4, modules - 5));
            for dy in 0..3 {
                for dx in 0..3 {
                    let p = image.get_pixel_mut(mx * 3 + dx, my * 3 + dy);
                    p.0[0] = 255 - p.0[0];
                }
            }
        }
        let found = texts(&decode_image_bytes(&png(&image)).unwrap());
        assert!(found.iter().all(|t| t == text), "round {round}: {found:?}");
        decoded += found.len();
    }
    assert!(
        decoded > 0 && decoded < 24,
        "the damage range must cover both outcomes ({decoded})"
    );
}

#[test]
fn noise_and_blank_frames_find_nothing() {
    let mut rng = Rng::new(3);
    let noise: Vec<u8> = (0..640 * 480).map(|_| rng.next_u64() as u8).collect();
    assert!(decode_frame(Frame::new(640, 480, PixelLayout::Luma8, noise).unwrap()).is_empty());
    let blank = vec![255; 1920 * 1080 * 4];
    assert!(decode_frame(Frame::new(1920, 1080, PixelLayout::Rgba8, blank).unwrap()).is_empty());
    let tiny = Frame::new(1, 1, PixelLayout::Bgra8, vec![0; 4]).unwrap();
    assert!(decode_frame(tiny).is_empty());
}

#[test]
fn a_dark_mode_code_on_a_black_desktop_is_found() {
    // Light modules on #202124 with the standard 4-module margin, on a black screen: the
    // margin touches a large uniform area (found on Xvfb's black root by `tessera scan --screen`).
    let text = "otpauth://totp/Dark:eve?secret=GEZDGNBVGY3TQOJQ&issuer=Dark";
    let code = code_image(text, 4);
    let mut screen = GrayImage::new(640, 480);
    for (x, y, pixel) in code.enumerate_pixels() {
        let value = if pixel.0[0] == 0 { 0xE9 } else { 0x21 };
        screen.put_pixel(x + 40, y + 40, Luma([value]));
    }
    let frame = Frame::new(640, 480, PixelLayout::Luma8, screen.into_raw()).unwrap();
    assert_eq!(texts(&decode_frame(frame)), [text]);
}
