//! In-memory frames (screen captures, clipboard images) and their conversion to luminance.
//!
//! Screen captures must never touch the disk and must not outlive the scan: a [`Frame`] owns its
//! pixels, and [`crate::decode_frame`] consumes it and wipes every buffer it made.

use zeroize::Zeroizing;

use crate::error::DecodeError;
use crate::limits::check_dimensions;

/// How the bytes of a [`Frame`] are laid out, row-major and tightly packed (no row padding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PixelLayout {
    /// 4 bytes a pixel: blue, green, red, alpha (Windows and macOS capture APIs).
    Bgra8,
    /// 1 byte a pixel: luminance.
    Luma8,
    /// 4 bytes a pixel: red, green, blue, alpha (X11/Wayland captures, the `image` crate).
    Rgba8,
}

impl PixelLayout {
    fn bytes_per_pixel(self) -> u64 {
        match self {
            Self::Bgra8 | Self::Rgba8 => 4,
            Self::Luma8 => 1,
        }
    }
}

/// An image in memory, for example one monitor's capture. Its pixels are wiped on drop.
pub struct Frame {
    width: u32,
    height: u32,
    layout: PixelLayout,
    pixels: Zeroizing<Vec<u8>>,
}

impl Frame {
    /// Takes ownership of a pixel buffer after checking it against the size limits and the
    /// declared dimensions. On error the buffer is wiped before it is dropped.
    pub fn new(
        width: u32,
        height: u32,
        layout: PixelLayout,
        pixels: Vec<u8>,
    ) -> Result<Self, DecodeError> {
        let pixels = Zeroizing::new(pixels);
        check_dimensions(u64::from(width), u64::from(height))?;
        let expected = u64::from(width) * u64::from(height) * layout.bytes_per_pixel();
        if u64::try_from(pixels.len()).ok() != Some(expected) {
            return Err(DecodeError::FrameSizeMismatch {
                expected,
                actual: pixels.len(),
            });
        }
        Ok(Self {
            width,
            height,
            layout,
            pixels,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Converts to one luminance byte a pixel, consuming (and so wiping) the frame.
    pub(crate) fn into_luma(self) -> LumaImage {
        let luma = match self.layout {
            PixelLayout::Luma8 => self.pixels,
            PixelLayout::Rgba8 => Zeroizing::new(luma_from_quads(&self.pixels, 0, 2)),
            PixelLayout::Bgra8 => Zeroizing::new(luma_from_quads(&self.pixels, 2, 0)),
        };
        LumaImage {
            width: self.width,
            height: self.height,
            pixels: luma,
        }
    }
}

/// ZXing's own integer luminance, (R + 2G + B) / 4: fast, and what its thresholds are tuned for.
/// Alpha is ignored: captures are opaque, and a transparent PNG is read with its colour channels.
fn luma_from_quads(quads: &[u8], red: usize, blue: usize) -> Vec<u8> {
    quads
        .chunks_exact(4)
        .map(|px| {
            let sum = u16::from(px[red]) + 2 * u16::from(px[1]) + u16::from(px[blue]);
            // At most (255 + 510 + 255) / 4 = 255: always fits a byte.
            (sum / 4) as u8
        })
        .collect()
}

/// A luminance image, wiped on drop: the form the QR reader works on.
pub(crate) struct LumaImage {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) pixels: Zeroizing<Vec<u8>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgba_and_bgra_give_the_same_luma() {
        let rgba = vec![255, 0, 0, 255, 0, 255, 0, 255, 10, 20, 30, 0];
        let bgra = vec![0, 0, 255, 255, 0, 255, 0, 255, 30, 20, 10, 0];
        let a = Frame::new(3, 1, PixelLayout::Rgba8, rgba)
            .unwrap()
            .into_luma();
        let b = Frame::new(3, 1, PixelLayout::Bgra8, bgra)
            .unwrap()
            .into_luma();
        assert_eq!(*a.pixels, vec![63, 127, 20]);
        assert_eq!(*a.pixels, *b.pixels);
    }

    #[test]
    fn buffer_must_match_dimensions() {
        let err = Frame::new(2, 2, PixelLayout::Rgba8, vec![0; 15])
            .err()
            .unwrap();
        assert_eq!(err.code(), "frame_size_mismatch");
        let err = Frame::new(0, 2, PixelLayout::Luma8, vec![]).err().unwrap();
        assert_eq!(err.code(), "image_empty");
        let err = Frame::new(u32::MAX, u32::MAX, PixelLayout::Luma8, vec![])
            .err()
            .unwrap();
        assert_eq!(err.code(), "image_too_large");
    }
}
