//! The executable head of Tessera's AppImage, in the type-2 layout: an ELF executable carrying
//! the magic `AI\x02` at offset 8 (in the ELF identification padding, which loaders ignore), with
//! a squashfs image appended right after the ELF (its end: the section header table, the last
//! part a linker writes).
//!
//! Why our own: the official runtime and appimagetool are published only on GitHub, which the
//! project's machines cannot reach (see packaging/README.md).
//!
//! Running the image: mounted with `squashfuse` when it is installed (nothing written to disk),
//! else extracted once into a per-user cache keyed by the image's SHA-256, then its `AppRun` runs
//! with the variables AppImages set (`APPIMAGE`, `APPDIR`, `ARGV0`, `OWD`).
#![cfg(target_os = "linux")]
#![forbid(unsafe_code)]

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Component, Path, PathBuf};

use backhand::{FilesystemReader, InnerNode};
use sha2::{Digest, Sha256};

/// Bytes 8..11 of an AppImage of type 2.
pub const MAGIC: [u8; 3] = *b"AI\x02";

/// Why an image cannot be read or unpacked.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// The file is not an AppImage of type 2 (or a damaged one).
    #[error("not an AppImage (type 2): {0}")]
    NotAppImage(&'static str),
    /// The appended squashfs cannot be read.
    #[error("the image's squashfs cannot be read: {0}")]
    Squashfs(#[from] backhand::BackhandError),
    /// An entry whose path leaves the extraction folder (`..`, or through a symlink).
    #[error("the image holds an entry outside its root: {0}")]
    UnsafePath(PathBuf),
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> RuntimeError + '_ {
    move |source| RuntimeError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Where the squashfs starts: the end of the ELF, read from its 64-bit little-endian header
/// (`e_shoff + e_shentsize * e_shnum`, as the official runtime computes it).
pub fn payload_offset(head: &[u8]) -> Result<u64, RuntimeError> {
    let header = head
        .get(..64)
        .ok_or(RuntimeError::NotAppImage("shorter than an ELF header"))?;
    if header[..4] != *b"\x7fELF" {
        return Err(RuntimeError::NotAppImage("no ELF header"));
    }
    if header[4] != 2 || header[5] != 1 {
        return Err(RuntimeError::NotAppImage("not a 64-bit little-endian ELF"));
    }
    if header[8..11] != MAGIC {
        return Err(RuntimeError::NotAppImage(
            "no AppImage type-2 magic at offset 8",
        ));
    }
    let le_u64 = |at: usize| {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(&header[at..at + 8]);
        u64::from_le_bytes(bytes)
    };
    let le_u16 = |at: usize| u64::from(u16::from_le_bytes([header[at], header[at + 1]]));
    let (shoff, shentsize, shnum) = (le_u64(0x28), le_u16(0x3A), le_u16(0x3C));
    shentsize
        .checked_mul(shnum)
        .and_then(|table| shoff.checked_add(table))
        .filter(|&end| end >= 64)
        .ok_or(RuntimeError::NotAppImage(
            "ELF section header table out of range",
        ))
}

/// The payload offset of the AppImage file at `image`.
pub fn image_offset(image: &Path) -> Result<u64, RuntimeError> {
    let mut head = Vec::with_capacity(64);
    File::open(image)
        .and_then(|file| file.take(64).read_to_end(&mut head))
        .map_err(io_at(image))?;
    payload_offset(&head)
}

/// The cache key of an image: the SHA-256 of its squashfs (hex, 128 bits are plenty for a
/// per-user cache). Two builds never share an extraction, whatever their version says.
pub fn image_key(image: &Path, offset: u64) -> Result<String, RuntimeError> {
    let mut file = File::open(image).map_err(io_at(image))?;
    file.seek(SeekFrom::Start(offset)).map_err(io_at(image))?;
    let mut hasher = Sha256::new();
    io::copy(&mut file, &mut hasher).map_err(io_at(image))?;
    Ok(hasher.finalize()[..16]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}

/// `path` inside the image made relative, if it stays inside (no `..`, no prefix).
fn relative(path: &Path) -> Result<PathBuf, RuntimeError> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::RootDir | Component::CurDir => {}
            Component::Normal(name) => out.push(name),
            Component::ParentDir | Component::Prefix(_) => {
                return Err(RuntimeError::UnsafePath(path.to_owned()));
            }
        }
    }
    Ok(out)
}

/// Writes the image's tree (or, with `only`, the entry at that path and what is below it) into
/// `dest`, which must not exist yet. Modes are kept (set-id bits dropped); owners are the user's.
pub fn extract(
    image: &Path,
    offset: u64,
    dest: &Path,
    only: Option<&Path>,
) -> Result<(), RuntimeError> {
    let file = File::open(image).map_err(io_at(image))?;
    let squashfs = FilesystemReader::from_reader_with_offset(BufReader::new(file), offset)?;
    fs::create_dir(dest).map_err(io_at(dest))?;
    let only = only.map(relative).transpose()?;
    // Entries come parents first. A symlink is never followed while writing: anything below a
    // symlink's path would land outside `dest`.
    let mut symlinks = HashSet::new();
    let mut dirs = Vec::new();
    for node in squashfs.files() {
        let rel = relative(&node.fullpath)?;
        if rel.as_os_str().is_empty() {
            continue;
        }
        if rel
            .ancestors()
            .skip(1)
            .any(|parent| symlinks.contains(parent))
        {
            return Err(RuntimeError::UnsafePath(node.fullpath.clone()));
        }
        if only
            .as_ref()
            .is_some_and(|only| !rel.starts_with(only) && !only.starts_with(&rel))
        {
            continue;
        }
        let target = dest.join(&rel);
        let mode = u32::from(node.header.permissions) & 0o777;
        match &node.inner {
            InnerNode::Dir(_) => {
                fs::create_dir(&target).map_err(io_at(&target))?;
                // Writable for us until everything below is written.
                dirs.push((target, mode));
            }
            InnerNode::File(entry) => {
                if only.as_ref().is_some_and(|only| !rel.starts_with(only)) {
                    continue;
                }
                let mut out = File::create(&target).map_err(io_at(&target))?;
                io::copy(&mut squashfs.file(entry).reader(), &mut out).map_err(io_at(&target))?;
                fs::set_permissions(&target, fs::Permissions::from_mode(mode))
                    .map_err(io_at(&target))?;
            }
            InnerNode::Symlink(link) => {
                if only.as_ref().is_some_and(|only| !rel.starts_with(only)) {
                    continue;
                }
                symlink(&link.link, &target).map_err(io_at(&target))?;
                symlinks.insert(rel);
            }
            // An app bundle has no device nodes, pipes or sockets: nothing to run needs them.
            _ => {}
        }
    }
    for (dir, mode) in dirs.into_iter().rev() {
        fs::set_permissions(&dir, fs::Permissions::from_mode(mode | 0o700)).map_err(io_at(&dir))?;
    }
    Ok(())
}

/// The folder the image is extracted into for running: `<cache>/<key>`, made once. Concurrent
/// starts each extract into their own temporary folder and the first rename wins, so a folder
/// under its final name is always complete.
pub fn cached_extraction(image: &Path, offset: u64, cache: &Path) -> Result<PathBuf, RuntimeError> {
    let dir = cache.join(image_key(image, offset)?);
    if dir.join("AppRun").symlink_metadata().is_ok() {
        return Ok(dir);
    }
    fs::create_dir_all(cache).map_err(io_at(cache))?;
    let partial = cache.join(format!(".partial-{}", std::process::id()));
    if partial.symlink_metadata().is_ok() {
        fs::remove_dir_all(&partial).map_err(io_at(&partial))?;
    }
    let outcome = extract(image, offset, &partial, None).and_then(|()| {
        match fs::rename(&partial, &dir) {
            Ok(()) => Ok(()),
            // Another start got there first: its copy is as good as ours.
            Err(_) if dir.join("AppRun").symlink_metadata().is_ok() => Ok(()),
            Err(source) => Err(RuntimeError::Io {
                path: dir.clone(),
                source,
            }),
        }
    });
    if partial.symlink_metadata().is_ok() {
        // Best effort: a leftover only costs disk space, and is replaced on the next start.
        let _ = fs::remove_dir_all(&partial);
    }
    outcome.map(|()| dir)
}

#[cfg(test)]
mod tests;
