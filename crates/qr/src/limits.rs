//! Size limits applied before any pixel buffer is allocated (decompression-bomb guard).

use crate::error::DecodeError;

/// Longest image side decoded: 16384 covers an 8K monitor and a tall phone screenshot.
pub const MAX_SIDE: u32 = 16_384;
/// Most pixels decoded: 64 Mpx (two 8K monitors side by side is 66 Mpx: captures come one
/// monitor at a time). The luminance copy of such an image is 64 MiB.
pub const MAX_PIXELS: u64 = 64 * 1024 * 1024;
/// Largest encoded image file read: far above any screenshot (a 4K PNG is 1-10 MiB), and small
/// enough that reading one is harmless.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Working memory the image decoder may allocate: the RGBA buffer of a `MAX_PIXELS` image plus
/// the decoder's own state.
pub(crate) const MAX_DECODER_ALLOC: u64 = MAX_PIXELS * 4 + 64 * 1024 * 1024;

/// Rejects empty images and images above the limits, from their declared dimensions alone.
pub(crate) fn check_dimensions(width: u64, height: u64) -> Result<(), DecodeError> {
    if width == 0 || height == 0 {
        return Err(DecodeError::EmptyImage);
    }
    if width > u64::from(MAX_SIDE) || height > u64::from(MAX_SIDE) || width * height > MAX_PIXELS {
        return Err(DecodeError::TooLarge {
            width,
            height,
            max_side: MAX_SIDE,
            max_pixels: MAX_PIXELS,
        });
    }
    Ok(())
}
