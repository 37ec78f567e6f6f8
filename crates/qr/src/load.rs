//! Image files (PNG, JPEG, WebP, GIF, BMP) to luminance, with limits checked from the header
//! before any pixel is decoded.

use std::io::Cursor;

use image::{ImageError, ImageFormat, ImageReader, Limits};
use zeroize::Zeroizing;

use crate::error::{DecodeError, ImageReadError};
use crate::frame::LumaImage;
use crate::limits::{MAX_DECODER_ALLOC, MAX_FILE_BYTES, MAX_SIDE, check_dimensions};

/// Decodes an image file held in memory to luminance.
pub(crate) fn load_luma(bytes: &[u8]) -> Result<LumaImage, DecodeError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(DecodeError::FileTooLarge {
            len: bytes.len(),
            max: MAX_FILE_BYTES,
        });
    }
    let format = image::guess_format(bytes).map_err(|_| DecodeError::UnsupportedFormat)?;
    if !matches!(
        format,
        ImageFormat::Png
            | ImageFormat::Jpeg
            | ImageFormat::WebP
            | ImageFormat::Gif
            | ImageFormat::Bmp
    ) {
        return Err(DecodeError::UnsupportedFormat);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODER_ALLOC);
    reader.limits(limits);

    // Read the header first: reject by declared size before the decoder allocates anything.
    let decoder = reader.into_decoder().map_err(map_image_error)?;
    let (width, height) = image::ImageDecoder::dimensions(&decoder);
    check_dimensions(u64::from(width), u64::from(height))?;
    let image = image::DynamicImage::from_decoder(decoder).map_err(map_image_error)?;

    // Screenshots of a code are not secret-free: wipe the decoded colour buffer too.
    let luma = image.to_luma8();
    let mut colour = image.into_bytes();
    zeroize::Zeroize::zeroize(&mut colour);
    Ok(LumaImage {
        width,
        height,
        pixels: Zeroizing::new(luma.into_raw()),
    })
}

fn map_image_error(error: ImageError) -> DecodeError {
    match error {
        ImageError::Limits(_) => DecodeError::MemoryLimit,
        ImageError::Unsupported(_) => DecodeError::UnsupportedFormat,
        other => DecodeError::Malformed(ImageReadError(other)),
    }
}
