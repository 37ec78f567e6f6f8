//! Render → decode round trips: what Tessera draws, Tessera (and so a phone) reads back.

use image::{GrayImage, Luma};
use tessera_core::uri::OtpUri;
use tessera_core::{Account, Algorithm, Digits, Otp, OtpSecret, Period, UnixTime};
use tessera_qr::render::{self, Background};
use tessera_qr::{
    Frame, MigrationCollector, Payload, PixelLayout, RenderError, classify, decode_frame,
    decode_image_bytes,
};

use crate::texts;

const URI: &str =
    "otpauth://totp/ACME%20Co:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co";

fn account(i: usize, otp: Otp) -> Account {
    Account::new(
        format!("Issuer {i}"),
        format!("user{i}@example.com"),
        OtpSecret::from_bytes((0..20).map(|b| (b * 7 + i) as u8).collect()),
        otp,
        UnixTime(1_700_000_000),
    )
}

fn decode_gray(image: &GrayImage) -> Vec<String> {
    let frame = Frame::new(
        image.width(),
        image.height(),
        PixelLayout::Luma8,
        image.to_vec(),
    )
    .unwrap();
    texts(&decode_frame(frame))
}

/// Reads the half-block text back into modules (3 px each) and decodes it.
fn decode_terminal(text: &str, background: Background) -> Vec<String> {
    let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let width = lines[0].len() as u32;
    let height = lines.len() as u32 * 2;
    let image = GrayImage::from_fn(width * 3, height * 3, |x, y| {
        let (col, row) = ((x / 3) as usize, (y / 3) as usize);
        let c = lines[row / 2][col];
        let ink = matches!(
            (c, row % 2),
            ('\u{2588}', _) | ('\u{2580}', 0) | ('\u{2584}', 1)
        );
        let dark = match background {
            Background::Dark => !ink,
            _ => ink,
        };
        Luma([if dark { 0 } else { 255 }])
    });
    decode_gray(&image)
}

/// Rasterises the renderer's `M{x} {y}h{w}v{h}H{x}V{y}` rectangles at 1 px per SVG unit.
fn decode_svg(svg: &str) -> Vec<String> {
    let size: u32 = svg
        .split("width=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut image = GrayImage::from_pixel(size, size, Luma([255]));
    let path = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    for rect in path.split('M').filter(|r| !r.is_empty()) {
        let nums: Vec<u32> = rect
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().unwrap())
            .collect();
        let (x, y, w, h) = (nums[0], nums[1], nums[2], nums[3]);
        for yy in y..y + h {
            for xx in x..x + w {
                image.put_pixel(xx, yy, Luma([0]));
            }
        }
    }
    decode_gray(&image)
}

#[test]
fn svg_round_trips() {
    let svg = render::svg(URI).unwrap();
    assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.ends_with("</svg>"));
    assert_eq!(decode_svg(&svg), [URI]);
}

#[test]
fn terminal_round_trips_on_both_backgrounds() {
    for background in [Background::Dark, Background::Light] {
        let text = render::terminal(URI, background).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // 4 quiet modules a side, two module rows a line.
        let side = lines[0].chars().count();
        assert!(lines.iter().all(|l| l.chars().count() == side));
        assert_eq!(lines.len(), side.div_ceil(2));
        assert_eq!(decode_terminal(&text, background), [URI], "{background:?}");
    }
}

#[test]
fn an_account_renders_to_its_own_uri() {
    let account = account(1, Otp::DEFAULT_TOTP);
    let uri = OtpUri::from_account(&account).to_uri();
    let svg = render::svg(&uri).unwrap();
    let found = decode_svg(&svg);
    let Ok(Payload::OtpAuth(back)) = classify(&found[0]) else {
        panic!("an account code must classify as an account");
    };
    assert_eq!(back, OtpUri::from_account(&account));
}

#[test]
fn only_otpauth_texts_are_rendered() {
    for text in ["https://example.com", "hello", ""] {
        assert_eq!(render::svg(text).unwrap_err().code(), "qr_not_otpauth");
    }
    let long = format!("otpauth://totp/a?secret={}", "A".repeat(4000));
    assert_eq!(
        render::terminal(&long, Background::Dark)
            .unwrap_err()
            .code(),
        "qr_data_too_long"
    );
}

/// 23 accounts → 3 codes (10 + 10 + 3), each a valid export code; scanned in any order they
/// collect into the 23 accounts.
#[test]
fn migration_export_splits_and_round_trips() {
    let accounts: Vec<Account> = (0..23)
        .map(|i| {
            if i % 5 == 0 {
                account(
                    i,
                    Otp::Hotp {
                        algorithm: Algorithm::Sha1,
                        digits: Digits::SIX,
                        counter: i as u64,
                    },
                )
            } else {
                account(i, Otp::DEFAULT_TOTP)
            }
        })
        .collect();
    let refs: Vec<&Account> = accounts.iter().collect();
    let uris = render::migration_uris(&refs, -123_456).unwrap();
    assert_eq!(uris.len(), 3);

    let mut collector = MigrationCollector::new();
    for uri in uris.iter().rev() {
        let svg = render::svg(uri).unwrap();
        let found = decode_svg(&svg);
        assert_eq!(found.len(), 1);
        let Ok(Payload::Migration(batch)) = classify(&found[0]) else {
            panic!("export codes must classify as migration batches");
        };
        assert_eq!((batch.info.size, batch.info.id), (3, -123_456));
        collector.add(batch).unwrap();
    }
    assert!(collector.is_complete());
    let entries: Vec<_> = collector
        .into_batches()
        .into_iter()
        .flat_map(|b| b.entries)
        .collect();
    assert_eq!(entries.len(), 23);
    for (entry, account) in entries.iter().zip(&accounts) {
        assert_eq!(
            (&entry.issuer, &entry.name, entry.otp),
            (&account.issuer, &account.name, account.otp)
        );
        // EXPOSE: the round trip must keep the key bytes.
        assert_eq!(entry.secret.expose_secret(), account.secret.expose_secret());
    }
}

#[test]
fn migration_export_refuses_what_google_cannot_hold() {
    let steam = account(0, Otp::Steam);
    let fine = account(1, Otp::DEFAULT_TOTP);
    let sixty = account(
        2,
        Otp::Totp {
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            period: Period::new(60).unwrap(),
        },
    );
    let err = render::migration_uris(&[&fine, &steam], 1).unwrap_err();
    assert!(
        matches!(err, RenderError::NotPortable { index: 1, .. }),
        "{err:?}"
    );
    let err = render::migration_uris(&[&fine, &fine, &sixty], 1).unwrap_err();
    assert!(
        matches!(err, RenderError::NotPortable { index: 2, .. }),
        "{err:?}"
    );
    assert_eq!(err.code(), "qr_not_portable");
    assert_eq!(
        render::migration_uris(&[], 1).unwrap_err().code(),
        "qr_no_accounts"
    );
}

/// Long names make fewer accounts fit a code; the split keeps every code readable.
#[test]
fn migration_export_splits_long_names_further() {
    let accounts: Vec<Account> = (0..10)
        .map(|i| {
            let mut a = account(i, Otp::DEFAULT_TOTP);
            a.name = format!("{i}-{}", "n".repeat(120));
            a
        })
        .collect();
    let refs: Vec<&Account> = accounts.iter().collect();
    let uris = render::migration_uris(&refs, 9).unwrap();
    assert!(uris.len() > 1);
    assert!(uris.iter().all(|u| render::svg(u).is_ok()));
}

/// The frame API reads every pixel layout a capture API hands over.
#[test]
fn frames_in_every_layout_decode() {
    let svg_code = render::svg(URI).unwrap();
    let png_like = {
        let found = decode_svg(&svg_code);
        assert_eq!(found, [URI]);
        found
    };
    assert_eq!(png_like.len(), 1);
    let code = qrcode::QrCode::new(URI.as_bytes()).unwrap();
    let n = code.width() as u32;
    let colors = code.to_colors();
    let (w, h) = (n * 4 + 200, n * 4 + 100);
    let dark_at = |x: u32, y: u32| {
        let (mx, my) = (x as i64 / 4 - 25, y as i64 / 4 - 12);
        (0..n as i64).contains(&mx)
            && (0..n as i64).contains(&my)
            && colors[(my as u32 * n + mx as u32) as usize] == qrcode::Color::Dark
    };
    let mut rgba = Vec::new();
    let mut bgra = Vec::new();
    for y in 0..h {
        for x in 0..w {
            // A blue-ish dark and a cream light: the channels must be read in the right order.
            let (r, g, b) = if dark_at(x, y) {
                (10, 30, 120)
            } else {
                (250, 245, 220)
            };
            rgba.extend_from_slice(&[r, g, b, 255]);
            bgra.extend_from_slice(&[b, g, r, 255]);
        }
    }
    for (layout, pixels) in [(PixelLayout::Rgba8, rgba), (PixelLayout::Bgra8, bgra)] {
        let frame = Frame::new(w, h, layout, pixels).unwrap();
        assert_eq!(texts(&decode_frame(frame)), [URI], "{layout:?}");
    }
    // And the same code from a file in each supported format.
    let image = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb(if dark_at(x, y) {
            [0, 0, 0]
        } else {
            [255, 255, 255]
        })
    });
    for format in [
        image::ImageFormat::Png,
        image::ImageFormat::Bmp,
        image::ImageFormat::Gif,
        image::ImageFormat::WebP,
    ] {
        let mut file = Vec::new();
        let dynamic = image::DynamicImage::ImageRgb8(image.clone());
        let dynamic = if format == image::ImageFormat::Gif || format == image::ImageFormat::WebP {
            image::DynamicImage::ImageRgba8(dynamic.to_rgba8())
        } else {
            dynamic
        };
        dynamic
            .write_to(&mut std::io::Cursor::new(&mut file), format)
            .unwrap();
        assert_eq!(
            texts(&decode_image_bytes(&file).unwrap()),
            [URI],
            "{format:?}"
        );
    }
}
