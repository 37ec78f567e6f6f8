//! WebKitGTK's rendering defaults on Linux machines without a GPU (virtual machines, remote
//! desktops, Xvfb), chosen before GTK and WebKit start.
//!
//! Without a GPU render node (`/dev/dri/renderD*`) WebKit's default DMA-BUF renderer composites
//! every frame with Mesa's llvmpipe, a software OpenGL: measured under Xvfb with 100 accounts,
//! the app and its web processes take ~340 MiB (PSS) that way and ~260 MiB with the DMA-BUF
//! renderer off, where the web process paints into shared memory instead. Machines with a GPU
//! keep WebKit's defaults (GPU compositing, zero-copy buffers). A variable the user has set,
//! to any value, is left alone.

use std::ffi::OsStr;
use std::path::Path;

/// The variables to set, given the environment and whether a GPU render node exists.
pub fn software_rendering_env(
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
    has_render_node: bool,
) -> Vec<(&'static str, &'static str)> {
    if has_render_node {
        return Vec::new();
    }
    [("WEBKIT_DISABLE_DMABUF_RENDERER", "1")]
        .into_iter()
        .filter(|(name, _)| var(name).is_none())
        .collect()
}

/// Whether the kernel exposes a GPU render node (DRM), as any Mesa or NVIDIA GPU does.
pub fn has_render_node() -> bool {
    Path::new("/dev/dri").read_dir().is_ok_and(|entries| {
        entries.flatten().any(|entry| {
            let name = entry.file_name();
            OsStr::as_encoded_bytes(&name).starts_with(b"renderD")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gpu_keeps_webkit_defaults() {
        assert!(software_rendering_env(|_| None, true).is_empty());
    }

    #[test]
    fn no_gpu_turns_the_dmabuf_renderer_off_unless_the_user_chose() {
        assert_eq!(
            software_rendering_env(|_| None, false),
            [("WEBKIT_DISABLE_DMABUF_RENDERER", "1")]
        );
        assert!(software_rendering_env(|_| Some("0".into()), false).is_empty());
    }
}
