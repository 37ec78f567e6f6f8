//! Error types of the QR crate: one enum per operation, each with stable `code()` strings.
//!
//! Messages describe the image or the request, never its content: a QR code that holds an
//! `otpauth://` URI holds a secret.

use std::fmt;

/// Why an image or frame could not be searched for QR codes.
///
/// "No QR code found" is not an error: decoding returns an empty list.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The image has zero width or height.
    #[error("the image is empty (zero width or height)")]
    EmptyImage,
    /// The encoded file is larger than [`crate::MAX_FILE_BYTES`].
    #[error("the image file is {len} bytes; Tessera reads files up to {max} bytes")]
    FileTooLarge {
        /// Size of the file in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The pixel buffer does not match the frame's declared dimensions and layout.
    #[error("the frame buffer holds {actual} bytes; {expected} expected for its size and layout")]
    FrameSizeMismatch {
        /// `width × height × bytes per pixel`.
        expected: u64,
        /// Length of the buffer passed in.
        actual: usize,
    },
    /// The image file is damaged or not what its header claims.
    #[error("the image could not be read: {0}")]
    Malformed(ImageReadError),
    /// The image declares more pixels than Tessera decodes (decompression-bomb guard).
    #[error(
        "the image is {width}x{height} pixels; Tessera reads images up to {max_side} pixels \
         a side and {max_pixels} pixels in all"
    )]
    TooLarge {
        /// Declared width.
        width: u64,
        /// Declared height.
        height: u64,
        /// Longest side accepted.
        max_side: u32,
        /// Most pixels accepted.
        max_pixels: u64,
    },
    /// Decoding would need more working memory than the decoder is allowed.
    #[error("decoding the image would need more memory than Tessera allows")]
    MemoryLimit,
    /// Not PNG, JPEG, WebP, GIF or BMP.
    #[error("the image format is not supported (PNG, JPEG, WebP, GIF and BMP are)")]
    UnsupportedFormat,
}

tessera_core::error_codes!(pub DecodeError {
    EmptyImage => "image_empty",
    FileTooLarge => "image_file_too_large",
    FrameSizeMismatch => "frame_size_mismatch",
    Malformed => "image_malformed",
    MemoryLimit => "image_memory_limit",
    TooLarge => "image_too_large",
    UnsupportedFormat => "image_format_unsupported",
});

/// The image decoder's own error, kept opaque so the `image` crate is not part of our API.
pub struct ImageReadError(pub(crate) image::ImageError);

impl fmt::Display for ImageReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The image crate's messages name the format and what is wrong with the header or the
        // stream; they never carry pixel data.
        self.0.fmt(f)
    }
}

impl fmt::Debug for ImageReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl std::error::Error for ImageReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Why an account or a set of accounts could not be drawn as QR codes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The text does not fit in the largest QR code (version 40) at the chosen error correction.
    #[error("the text is too long for a QR code ({len} bytes)")]
    DataTooLong {
        /// Length of the text in bytes.
        len: usize,
    },
    /// An export needs at least one account.
    #[error("no accounts to export")]
    NoAccounts,
    /// The text to render is not an `otpauth://` URI.
    #[error("only otpauth:// URIs are rendered as account QR codes")]
    NotOtpAuth,
    /// An account cannot be written in Google Authenticator's format.
    #[error("account {index} cannot be exported to Google Authenticator: {reason}")]
    NotPortable {
        /// Position of the account in the input.
        index: usize,
        /// What the format cannot express ("7 digits", "Steam", ...).
        reason: &'static str,
    },
}

tessera_core::error_codes!(pub RenderError {
    DataTooLong => "qr_data_too_long",
    NoAccounts => "qr_no_accounts",
    NotOtpAuth => "qr_not_otpauth",
    NotPortable => "qr_not_portable",
});
