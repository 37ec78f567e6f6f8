//! Deterministic corpus of synthetic screenshots holding otpauth QR codes.
//!
//! Shared by the integration tests (a reduced corpus, debug build) and the benchmark
//! (`benches/decode_corpus.rs`, the full corpus, release build). The same `(seed, index)` always
//! gives the same image, so a failure can be replayed by its sample name.
//!
//! What a sample varies, after what desktop users actually screenshot:
//! - frame size: 1920x1080, 2560x1440, 3840x2160;
//! - module size 2-8 px, then HiDPI scaling by 1.25 or 1.5 (bilinear, as a browser scales);
//! - a small rotation (a photo or a skewed window), Gaussian blur;
//! - light page, dark-mode page (code in a white card), or an inverted code (light on dark);
//! - PNG, or JPEG at quality 60-90;
//! - two codes in one image, or no code at all.
#![allow(dead_code)] // each including target uses a different part

use std::io::Cursor;

use image::imageops::{self, FilterType};
use image::{ImageFormat, Rgb, RgbImage};

/// Frame sizes of the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum SizeClass {
    P1080,
    P1440,
    P2160,
}

impl SizeClass {
    pub(crate) const ALL: [SizeClass; 3] = [Self::P1080, Self::P1440, Self::P2160];

    pub(crate) fn dimensions(self) -> (u32, u32) {
        match self {
            Self::P1080 => (1920, 1080),
            Self::P1440 => (2560, 1440),
            Self::P2160 => (3840, 2160),
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::P1080 => "1080p",
            Self::P1440 => "1440p",
            Self::P2160 => "4K",
        }
    }
}

/// How the page around the code looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Theme {
    /// Dark modules on a light page.
    Light,
    /// Dark page, code drawn dark-on-white inside a white card (most sites in dark mode).
    DarkCard,
    /// Dark page, code drawn with light modules on the dark background.
    Inverted,
}

/// Parameters of one sample, kept so a failure report says what was hard.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    pub(crate) class: SizeClass,
    pub(crate) module_px: u32,
    pub(crate) scale: f32,
    pub(crate) rotation_deg: f32,
    pub(crate) blur_sigma: f32,
    pub(crate) theme: Theme,
    pub(crate) jpeg_quality: Option<u8>,
    pub(crate) codes: usize,
}

/// One generated screenshot: the encoded file and the texts it must decode to.
pub(crate) struct Sample {
    pub(crate) name: String,
    pub(crate) params: Params,
    /// The encoded image file (PNG or JPEG).
    pub(crate) file: Vec<u8>,
    /// The texts of the codes drawn, in no particular order; empty for a no-code sample.
    pub(crate) expected: Vec<String>,
}

/// SplitMix64: a tiny, well-mixed, reproducible generator (no dependency, no global state).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next_u64() % u64::from(hi - lo + 1)) as u32
    }

    pub(crate) fn chance(&mut self, percent: u32) -> bool {
        self.range(0, 99) < percent
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, items.len() as u32 - 1) as usize]
    }

    pub(crate) fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

const ISSUERS: &[&str] = &[
    "GitHub",
    "Google",
    "ACME Corp",
    "Proton",
    "Bank of Example",
    "GitLab",
];
const NAMES: &[&str] = &[
    "alice@example.com",
    "bob",
    "carol.smith@example.org",
    "dave+2fa@x.io",
];

/// A random but valid otpauth URI; `long` makes a migration-sized payload (a larger QR version).
pub(crate) fn otpauth_uri(rng: &mut Rng) -> String {
    let issuer = rng.pick(ISSUERS);
    let name = rng.pick(NAMES);
    let secret_len = rng.pick(&[10usize, 16, 20, 32, 64]);
    let secret = data_encoding::BASE32_NOPAD.encode(&rng.bytes(secret_len));
    let enc = |s: &str| {
        s.replace(' ', "%20")
            .replace('+', "%2B")
            .replace('@', "%40")
    };
    let mut uri = format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}",
        enc(issuer),
        enc(name),
        enc(issuer)
    );
    if rng.chance(30) {
        uri.push_str(&format!(
            "&algorithm=SHA256&digits=8&period={}",
            rng.pick(&[30, 60])
        ));
    }
    uri
}

/// A Google Authenticator export URI of `accounts` random accounts (hand-rolled protobuf, so the
/// generator depends on nothing under test).
pub(crate) fn migration_uri(rng: &mut Rng, accounts: usize) -> String {
    fn field(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
        out.push(tag);
        out.push(bytes.len() as u8); // < 128 by construction below
        out.extend_from_slice(bytes);
    }
    let mut payload = Vec::new();
    for _ in 0..accounts {
        let mut otp = Vec::new();
        field(&mut otp, 0x0A, &rng.bytes(20));
        field(&mut otp, 0x12, rng.pick(NAMES).as_bytes());
        field(&mut otp, 0x1A, rng.pick(ISSUERS).as_bytes());
        otp.extend_from_slice(&[0x20, 1, 0x28, 1, 0x30, 2]);
        field(&mut payload, 0x0A, &otp);
    }
    payload.extend_from_slice(&[0x10, 1, 0x18, 1, 0x20, 0]);
    let data = data_encoding::BASE64.encode(&payload);
    let data = data
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    format!("otpauth-migration://offline?data={data}")
}

/// Picks the parameters of sample `index`. Combinations a real screen cannot produce (a blurred
/// 2 px module, a 2 px module rotated) are avoided: they are unreadable for any decoder and
/// would measure the corpus, not the pipeline.
fn params(rng: &mut Rng, index: usize) -> Params {
    let class = SizeClass::ALL[index % 3];
    let module_px = rng.range(2, 8);
    let scale = rng.pick(&[1.0, 1.0, 1.25, 1.5]);
    let effective = module_px as f32 * scale;
    let rotation_deg = if effective >= 3.0 && rng.chance(20) {
        (rng.range(5, 50) as f32 / 10.0) * if rng.chance(50) { 1.0 } else { -1.0 }
    } else {
        0.0
    };
    let blur_sigma = if effective >= 3.0 && rng.chance(25) {
        rng.pick(&[0.5, 0.8, 1.0])
    } else {
        0.0
    };
    let theme = match rng.range(0, 9) {
        0..=5 => Theme::Light,
        6 | 7 => Theme::DarkCard,
        _ => Theme::Inverted,
    };
    let jpeg_quality = rng.chance(50).then(|| rng.range(60, 90) as u8);
    let codes = match rng.range(0, 19) {
        0 | 1 => 0,
        2..=4 => 2,
        _ => 1,
    };
    Params {
        class,
        module_px,
        scale,
        rotation_deg,
        blur_sigma,
        theme,
        jpeg_quality,
        codes,
    }
}

/// Generates sample `index` of the corpus seeded with `seed`.
pub(crate) fn sample(seed: u64, index: usize) -> Sample {
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let mut params = params(&mut rng, index);
    let (width, height) = params.class.dimensions();
    let dark_page = params.theme != Theme::Light;
    let mut page = draw_page(&mut rng, width, height, dark_page);

    let mut expected = Vec::new();
    for slot in 0..params.codes {
        let text = if rng.chance(15) {
            let accounts = rng.range(2, 6) as usize;
            migration_uri(&mut rng, accounts)
        } else {
            otpauth_uri(&mut rng)
        };
        // Two codes go side by side, one in each half of the frame.
        let halves = params.codes.max(1) as u32;
        let cell_w = width / halves;
        let mut patch = draw_code(&text, &params, &mut rng);
        // A long payload at a large module size would not fit the frame: a real page would
        // show it smaller, so shrink the modules instead of clipping the code.
        while (patch.width() > cell_w || patch.height() > height) && params.module_px > 2 {
            params.module_px -= 1;
            patch = draw_code(&text, &params, &mut rng);
        }
        let max_x = cell_w.saturating_sub(patch.width()).max(1);
        let max_y = height.saturating_sub(patch.height()).max(1);
        let x = cell_w * slot as u32 + rng.range(0, max_x - 1);
        let y = rng.range(0, max_y - 1);
        imageops::overlay(&mut page, &patch, i64::from(x), i64::from(y));
        expected.push(text);
    }

    let mut file = Vec::new();
    match params.jpeg_quality {
        Some(quality) => {
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut file, quality);
            page.write_with_encoder(encoder)
                .expect("JPEG encoding of an RGB image");
        }
        None => page
            .write_to(&mut Cursor::new(&mut file), ImageFormat::Png)
            .expect("PNG encoding of an RGB image"),
    }
    let name = format!(
        "{seed:x}-{index:03}-{}-m{}-s{}-r{}-b{}-{:?}-{}-{}codes",
        params.class.name(),
        params.module_px,
        params.scale,
        params.rotation_deg,
        params.blur_sigma,
        params.theme,
        params
            .jpeg_quality
            .map_or("png".to_owned(), |q| format!("jpeg{q}")),
        params.codes,
    );
    Sample {
        name,
        params,
        file,
        expected,
    }
}

/// A page: flat background, "text lines", a header bar and a few image-like blocks, so the
/// finder-pattern search meets edges and noise, not an empty frame.
fn draw_page(rng: &mut Rng, width: u32, height: u32, dark: bool) -> RgbImage {
    let (bg, ink) = if dark { (30u8, 200u8) } else { (250u8, 40u8) };
    let mut page = RgbImage::from_pixel(width, height, Rgb([bg, bg, bg.saturating_add(3)]));
    let header = RgbImage::from_pixel(width, height / 16, Rgb([40, 90, 200]));
    imageops::overlay(&mut page, &header, 0, 0);
    for _ in 0..rng.range(20, 50) {
        let line = RgbImage::from_pixel(rng.range(100, width / 3), rng.range(6, 18), Rgb([ink; 3]));
        let x = rng.range(0, width - 1);
        let y = rng.range(height / 16, height - 1);
        imageops::overlay(&mut page, &line, i64::from(x), i64::from(y));
    }
    for _ in 0..rng.range(2, 5) {
        let colour = Rgb([
            rng.range(0, 255) as u8,
            rng.range(0, 255) as u8,
            rng.range(0, 255) as u8,
        ]);
        let block = RgbImage::from_pixel(rng.range(80, 400), rng.range(80, 300), colour);
        let x = rng.range(0, width - 1);
        let y = rng.range(0, height - 1);
        imageops::overlay(&mut page, &block, i64::from(x), i64::from(y));
    }
    page
}

/// The code with its quiet zone (and card), scaled, rotated and blurred as the params say.
fn draw_code(text: &str, params: &Params, rng: &mut Rng) -> RgbImage {
    let code = qrcode::QrCode::new(text.as_bytes()).expect("corpus texts fit in a QR code");
    let modules = code.width() as u32;
    let colors = code.to_colors();
    let (dark, light, margin_colour) = match params.theme {
        Theme::Light => (
            Rgb([20, 20, 20]),
            Rgb([255, 255, 255]),
            Rgb([255, 255, 255]),
        ),
        Theme::DarkCard => (Rgb([0, 0, 0]), Rgb([255, 255, 255]), Rgb([255, 255, 255])),
        // Light modules on the page's own dark background.
        Theme::Inverted => (Rgb([230, 230, 230]), Rgb([30, 30, 33]), Rgb([30, 30, 33])),
    };
    let quiet = 4;
    let m = params.module_px;
    let side = (modules + 2 * quiet) * m;
    let mut img = RgbImage::from_pixel(side, side, light);
    let module = RgbImage::from_pixel(m, m, dark);
    for (i, colour) in colors.iter().enumerate() {
        if *colour == qrcode::Color::Dark {
            let x = (i as u32 % modules + quiet) * m;
            let y = (i as u32 / modules + quiet) * m;
            imageops::replace(&mut img, &module, i64::from(x), i64::from(y));
        }
    }
    if params.theme == Theme::DarkCard {
        // A white card with rounded-off padding around the quiet zone.
        let pad = rng.range(8, 32);
        let mut card = RgbImage::from_pixel(side + 2 * pad, side + 2 * pad, margin_colour);
        imageops::replace(&mut card, &img, i64::from(pad), i64::from(pad));
        img = card;
    }
    if params.scale != 1.0 {
        let scaled = (img.width() as f32 * params.scale).round() as u32;
        img = imageops::resize(&img, scaled, scaled, FilterType::Triangle);
    }
    if params.rotation_deg != 0.0 {
        img = rotate(&img, params.rotation_deg, margin_colour);
    }
    if params.blur_sigma > 0.0 {
        img = imageops::blur(&img, params.blur_sigma);
    }
    img
}

/// Rotates about the centre with bilinear sampling; corners uncovered are filled with `fill`.
fn rotate(img: &RgbImage, degrees: f32, fill: Rgb<u8>) -> RgbImage {
    let (w, h) = img.dimensions();
    let (sin, cos) = degrees.to_radians().sin_cos();
    let out_side = ((w as f32) * (cos.abs() + sin.abs())).ceil() as u32;
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let oc = out_side as f32 / 2.0;
    RgbImage::from_fn(out_side, out_side, |x, y| {
        let dx = x as f32 + 0.5 - oc;
        let dy = y as f32 + 0.5 - oc;
        let sx = cos * dx + sin * dy + cx - 0.5;
        let sy = -sin * dx + cos * dy + cy - 0.5;
        if sx < 0.0 || sy < 0.0 || sx >= (w - 1) as f32 || sy >= (h - 1) as f32 {
            return fill;
        }
        let (x0, y0) = (sx as u32, sy as u32);
        let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
        let p = |xx, yy| img.get_pixel(xx, yy).0;
        let (a, b, c, d) = (p(x0, y0), p(x0 + 1, y0), p(x0, y0 + 1), p(x0 + 1, y0 + 1));
        let mut out = [0u8; 3];
        for ch in 0..3 {
            let top = a[ch] as f32 * (1.0 - fx) + b[ch] as f32 * fx;
            let bottom = c[ch] as f32 * (1.0 - fx) + d[ch] as f32 * fx;
            out[ch] = (top * (1.0 - fy) + bottom * fy).round() as u8;
        }
        Rgb(out)
    })
}
