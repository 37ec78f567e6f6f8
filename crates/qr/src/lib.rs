//! Tessera's QR codes: find them in screenshots and image files, say what they hold, and draw
//! accounts as QR codes.
//!
//! GUI-free and synchronous. The CLI (`tessera scan`, `tessera qr`) and the desktop app call:
//! - [`decode_image_bytes`] for a file, a drop or a clipboard image, [`decode_frame`] for a screen
//!   capture (consumed and wiped);
//! - [`classify`] on each text found, and a [`MigrationCollector`] to gather the QR codes of a
//!   Google Authenticator export;
//! - [`render`] to show an account (or a set of accounts) as QR codes.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod classify;
mod collect;
mod decode;
mod error;
mod frame;
mod limits;
mod load;
pub mod render;
#[cfg(feature = "screen")]
pub mod screen;
mod text;

pub use classify::{ClassifyError, Payload, classify};
pub use collect::{Added, CollectError, MigrationCollector};
pub use decode::{decode_frame, decode_image_bytes};
pub use error::{DecodeError, ImageReadError, RenderError};
pub use frame::{Frame, PixelLayout};
pub use limits::{MAX_FILE_BYTES, MAX_PIXELS, MAX_SIDE};
pub use text::QrText;
