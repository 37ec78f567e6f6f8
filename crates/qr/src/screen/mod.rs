//! Screen capture for "scan the screen": every monitor, decoded one at a time.
//!
//! - X11: RandR 1.5 lists the monitors and their geometry; each monitor is read with one
//!   `GetImage` on the root window (a HiDPI monitor simply has more pixels).
//! - Wayland: clients cannot read the screen, so the request goes through the xdg-desktop-portal
//!   Screenshot API. The desktop asks the user (interactive) and writes a PNG file: it is read
//!   into memory and deleted at once, before decoding, so the capture does not stay on disk.
//!
//! Captures live in memory only: each is a [`Frame`] that [`crate::decode_frame`] consumes and
//! wipes, so at most one monitor's pixels exist at a time and none outlive the scan.
//!
//! Which backend: a Wayland session (`WAYLAND_DISPLAY` set) uses the portal, because X11 reads
//! through XWayland see only X11 windows; otherwise `DISPLAY` selects X11.

#[cfg(target_os = "linux")]
mod portal;
#[cfg(target_os = "linux")]
mod x11;

use crate::error::DecodeError;
use crate::text::QrText;

/// The QR codes found on one monitor (or, through the portal, on the whole desktop).
#[derive(Debug)]
pub struct MonitorScan {
    /// The monitor's name (`DP-1`, `eDP-1`), or `screen` when there is one image of everything.
    pub monitor: String,
    /// The texts found, in the order found.
    pub texts: Vec<QrText>,
}

/// Why the screen could not be captured.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScreenError {
    /// The desktop portal answered that the user cancelled the screenshot.
    #[error("the screenshot was cancelled")]
    Cancelled,
    /// A capture came back with an impossible size (checked like any image).
    #[error("the screen capture could not be read: {0}")]
    Decode(#[from] DecodeError),
    /// Neither `WAYLAND_DISPLAY` nor `DISPLAY` is set: there is no screen to read.
    #[error("no graphical session: neither WAYLAND_DISPLAY nor DISPLAY is set")]
    NoDisplay,
    /// Screen capture exists only on Linux desktops for now.
    #[error("screen capture is not supported on this system")]
    NotSupported,
    /// The portal's screenshot file could not be read.
    #[error("the screenshot file the desktop wrote could not be read: {0}")]
    PortalFile(String),
    /// The portal refused (policy, or the desktop has no screenshot backend).
    #[error("the desktop refused the screenshot")]
    PortalRefused,
    /// No user answered the portal's dialog in time.
    #[error("the desktop did not answer the screenshot request in time")]
    PortalTimeout,
    /// No session bus, or no xdg-desktop-portal with the Screenshot interface on it.
    #[error("the desktop's screenshot portal is not available: {0}")]
    PortalUnavailable(String),
    /// The X server's pixel format is one this reader does not convert.
    #[error(
        "the X server's pixel format ({depth}-bit depth, {bits_per_pixel} bits a pixel) is not supported"
    )]
    UnsupportedPixelFormat {
        /// Depth of the root window.
        depth: u8,
        /// Bits per pixel of that depth's image format.
        bits_per_pixel: u8,
    },
    /// The X server could not be reached or refused a request.
    #[error("the X display could not be read: {0}")]
    X11(String),
}

tessera_core::error_codes!(pub ScreenError {
    Cancelled => "screen_capture_cancelled",
    NoDisplay => "screen_no_display",
    NotSupported => "screen_not_supported",
    PortalFile => "screen_portal_file",
    PortalRefused => "screen_capture_refused",
    PortalTimeout => "screen_capture_timeout",
    PortalUnavailable => "screen_portal_unavailable",
    UnsupportedPixelFormat => "screen_pixel_format_unsupported",
    X11 => "screen_x11_failed",
} nested {
    Decode(DecodeError),
});

/// Captures every monitor and returns the QR codes found on each, in monitor order (monitors
/// without a code are listed with an empty list).
///
/// Blocks: on Wayland until the user answers the desktop's dialog. Call it off the UI thread.
pub fn scan_screens() -> Result<Vec<MonitorScan>, ScreenError> {
    match backend(
        std::env::var_os("WAYLAND_DISPLAY").is_some_and(|v| !v.is_empty()),
        std::env::var_os("DISPLAY").is_some_and(|v| !v.is_empty()),
    )? {
        #[cfg(target_os = "linux")]
        Backend::Portal => portal::scan(),
        #[cfg(target_os = "linux")]
        Backend::X11 => x11::scan(),
        #[cfg(not(target_os = "linux"))]
        _ => Err(ScreenError::NotSupported),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Portal,
    X11,
}

fn backend(wayland: bool, x11: bool) -> Result<Backend, ScreenError> {
    if !cfg!(target_os = "linux") {
        return Err(ScreenError::NotSupported);
    }
    match (wayland, x11) {
        (true, _) => Ok(Backend::Portal),
        (false, true) => Ok(Backend::X11),
        (false, false) => Err(ScreenError::NoDisplay),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wayland_sessions_use_the_portal() {
        if cfg!(target_os = "linux") {
            assert_eq!(backend(true, true).unwrap(), Backend::Portal);
            assert_eq!(backend(false, true).unwrap(), Backend::X11);
            let err = backend(false, false).unwrap_err();
            assert_eq!(err.code(), "screen_no_display");
        } else {
            assert_eq!(
                backend(true, true).unwrap_err().code(),
                "screen_not_supported"
            );
        }
    }
}
