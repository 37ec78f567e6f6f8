//! X11 capture: RandR monitors, one `GetImage` per monitor.

use x11rb::connection::Connection;
use x11rb::protocol::randr::ConnectionExt as _;
use x11rb::protocol::xproto::{ConnectionExt as _, ImageFormat, ImageOrder, Screen, Setup};
use zeroize::Zeroizing;

use super::{MonitorScan, ScreenError};
use crate::frame::{Frame, PixelLayout};

/// A monitor's rectangle on the root window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Region {
    pub(super) name: String,
    pub(super) x: i16,
    pub(super) y: i16,
    pub(super) width: u16,
    pub(super) height: u16,
}

pub(super) fn scan() -> Result<Vec<MonitorScan>, ScreenError> {
    let (conn, screen_num) = x11rb::connect(None).map_err(|e| ScreenError::X11(e.to_string()))?;
    let screen = conn
        .setup()
        .roots
        .get(screen_num)
        .ok_or_else(|| ScreenError::X11("the display has no such screen".into()))?;
    let format = PixelFormat::of(conn.setup(), screen)?;
    let regions = monitors(&conn, screen);
    let mut scans = Vec::with_capacity(regions.len());
    for region in regions {
        // Decoded at once: the frame is consumed and wiped before the next monitor is read.
        let frame = capture(&conn, screen.root, &region, format)?;
        scans.push(MonitorScan {
            monitor: region.name,
            texts: crate::decode_frame(frame),
        });
    }
    Ok(scans)
}

/// The active monitors from RandR 1.5, clipped to the root window; the whole root window when
/// RandR is missing or older (one region, named `screen`).
fn monitors(conn: &impl Connection, screen: &Screen) -> Vec<Region> {
    let whole = Region {
        name: "screen".into(),
        x: 0,
        y: 0,
        width: screen.width_in_pixels,
        height: screen.height_in_pixels,
    };
    let Some(reply) = conn
        .randr_query_version(1, 5)
        .ok()
        .and_then(|cookie| cookie.reply().ok())
        .filter(|v| (v.major_version, v.minor_version) >= (1, 5))
        .and_then(|_| conn.randr_get_monitors(screen.root, true).ok())
        .and_then(|cookie| cookie.reply().ok())
    else {
        return vec![whole];
    };
    let regions: Vec<Region> = reply
        .monitors
        .iter()
        .filter_map(|m| {
            let name = conn
                .get_atom_name(m.name)
                .ok()
                .and_then(|c| c.reply().ok())
                .map(|r| String::from_utf8_lossy(&r.name).into_owned())
                .unwrap_or_else(|| "monitor".into());
            clip(
                Region {
                    name,
                    x: m.x,
                    y: m.y,
                    width: m.width,
                    height: m.height,
                },
                screen.width_in_pixels,
                screen.height_in_pixels,
            )
        })
        .collect();
    if regions.is_empty() {
        vec![whole]
    } else {
        regions
    }
}

/// The part of `region` inside a `width`×`height` root window; `None` when nothing is.
pub(super) fn clip(region: Region, width: u16, height: u16) -> Option<Region> {
    let x0 = i32::from(region.x).max(0);
    let y0 = i32::from(region.y).max(0);
    let x1 = (i32::from(region.x) + i32::from(region.width)).min(i32::from(width));
    let y1 = (i32::from(region.y) + i32::from(region.height)).min(i32::from(height));
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    // All four are within 0..=u16::MAX here, and x0, y0 below i16::MAX as X coordinates are.
    Some(Region {
        name: region.name,
        x: i16::try_from(x0).ok()?,
        y: i16::try_from(y0).ok()?,
        width: u16::try_from(x1 - x0).ok()?,
        height: u16::try_from(y1 - y0).ok()?,
    })
}

/// How a `GetImage` reply's bytes map to colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PixelFormat {
    /// 32-bit pixels, rows unpadded (true of every 24/32-bit TrueColor server).
    little_endian: bool,
    red_mask: u32,
    green_mask: u32,
    blue_mask: u32,
}

impl PixelFormat {
    fn of(setup: &Setup, screen: &Screen) -> Result<Self, ScreenError> {
        let depth = screen.root_depth;
        let bits_per_pixel = setup
            .pixmap_formats
            .iter()
            .find(|f| f.depth == depth)
            .map_or(0, |f| f.bits_per_pixel);
        let visual = screen
            .allowed_depths
            .iter()
            .flat_map(|d| &d.visuals)
            .find(|v| v.visual_id == screen.root_visual);
        match (bits_per_pixel, visual) {
            (32, Some(v)) if v.red_mask != 0 && v.green_mask != 0 && v.blue_mask != 0 => Ok(Self {
                little_endian: setup.image_byte_order == ImageOrder::LSB_FIRST,
                red_mask: v.red_mask,
                green_mask: v.green_mask,
                blue_mask: v.blue_mask,
            }),
            _ => Err(ScreenError::UnsupportedPixelFormat {
                depth,
                bits_per_pixel,
            }),
        }
    }

    /// Turns a reply's pixels into a frame: as they are when they already read as BGRA bytes
    /// (the usual little-endian 0xRRGGBB server), else converted through the masks.
    pub(super) fn to_frame(
        self,
        width: u32,
        height: u32,
        data: Vec<u8>,
    ) -> Result<Frame, ScreenError> {
        let mut data = Zeroizing::new(data);
        let bgra = self.little_endian
            && (self.red_mask, self.green_mask, self.blue_mask) == (0xff_0000, 0xff00, 0xff);
        if bgra {
            // Moved, not copied: the frame owns (and wipes) the reply's buffer.
            let pixels = std::mem::take(&mut *data);
            return Ok(Frame::new(width, height, PixelLayout::Bgra8, pixels)?);
        }
        let mut rgba = Vec::with_capacity(data.len());
        for px in data.chunks_exact(4) {
            let bytes = [px[0], px[1], px[2], px[3]];
            let value = if self.little_endian {
                u32::from_le_bytes(bytes)
            } else {
                u32::from_be_bytes(bytes)
            };
            rgba.extend_from_slice(&[
                channel(value, self.red_mask),
                channel(value, self.green_mask),
                channel(value, self.blue_mask),
                0xff,
            ]);
        }
        Ok(Frame::new(width, height, PixelLayout::Rgba8, rgba)?)
    }
}

/// One colour channel scaled to 8 bits (masks of 5, 6, 8 or 10 bits).
fn channel(value: u32, mask: u32) -> u8 {
    let shift = mask.trailing_zeros();
    let bits = (mask >> shift).count_ones();
    let raw = (value & mask) >> shift;
    let scaled = if bits >= 8 {
        raw >> (bits - 8)
    } else {
        // Spread the high bits into the low ones, so full intensity maps to 255.
        (raw << (8 - bits)) | (raw >> (2 * bits).saturating_sub(8).min(bits))
    };
    u8::try_from(scaled.min(255)).unwrap_or(u8::MAX)
}

fn capture(
    conn: &impl Connection,
    root: u32,
    region: &Region,
    format: PixelFormat,
) -> Result<Frame, ScreenError> {
    let reply = conn
        .get_image(
            ImageFormat::Z_PIXMAP,
            root,
            region.x,
            region.y,
            region.width,
            region.height,
            u32::MAX,
        )
        .map_err(|e| ScreenError::X11(e.to_string()))?
        .reply()
        .map_err(|e| ScreenError::X11(e.to_string()))?;
    format.to_frame(
        u32::from(region.width),
        u32::from(region.height),
        reply.data,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(x: i16, y: i16, width: u16, height: u16) -> Region {
        Region {
            name: "M".into(),
            x,
            y,
            width,
            height,
        }
    }

    #[test]
    fn monitors_are_clipped_to_the_root_window() {
        assert_eq!(
            clip(region(0, 0, 1920, 1080), 3840, 1080),
            Some(region(0, 0, 1920, 1080))
        );
        assert_eq!(
            clip(region(1920, -10, 2560, 1440), 3840, 1080),
            Some(region(1920, 0, 1920, 1080))
        );
        assert_eq!(clip(region(4000, 0, 100, 100), 3840, 1080), None);
        assert_eq!(clip(region(-100, 0, 100, 100), 3840, 1080), None);
    }

    #[test]
    fn pixel_formats_convert_to_the_same_colours() {
        let red = [0x00, 0x00, 0xff, 0x00];
        let common = PixelFormat {
            little_endian: true,
            red_mask: 0xff_0000,
            green_mask: 0xff00,
            blue_mask: 0xff,
        };
        let big_endian = PixelFormat {
            little_endian: false,
            ..common
        };
        let bgr = PixelFormat {
            little_endian: true,
            red_mask: 0xff,
            green_mask: 0xff00,
            blue_mask: 0xff_0000,
        };
        let luma = |format: PixelFormat, px: [u8; 4]| {
            format
                .to_frame(1, 1, px.to_vec())
                .unwrap()
                .into_luma()
                .pixels[0]
        };
        let expected = luma(common, red);
        assert_eq!(expected, 63);
        assert_eq!(luma(big_endian, [0x00, 0xff, 0x00, 0x00]), expected);
        assert_eq!(luma(bgr, [0xff, 0x00, 0x00, 0x00]), expected);
        // A buffer that does not match the region is refused, not read past its end.
        let err = common.to_frame(2, 2, vec![0; 12]).err().unwrap();
        assert_eq!(err.code(), "frame_size_mismatch");
    }

    #[test]
    fn narrow_channels_reach_full_intensity() {
        assert_eq!(channel(0x1f, 0x1f), 255);
        assert_eq!(channel(0x3f << 5, 0x3f << 5), 255);
        assert_eq!(channel(0, 0x1f), 0);
        assert_eq!(channel(0x3ff, 0x3ff), 255);
    }
}
