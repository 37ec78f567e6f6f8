//! Reading the chosen export files from disk, the same way for the CLI and the app: a size cap
//! before anything is read into memory, and a folder standing for the files in it (a Steam
//! Desktop Authenticator folder: `manifest.json` and its `.maFile`s). The bytes come back in
//! wiping buffers; nothing is written.

use std::io::{self, Read as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use zeroize::Zeroizing;

use crate::{Import, ImportError};

pub use crate::limits::MAX_FILE_BYTES;

/// One file read: its name (the path as given) and its bytes, wiped on drop.
pub type ReadFile = (String, Zeroizing<Vec<u8>>);

/// Why the chosen files could not be read. Messages name the path, never the content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// Larger than [`MAX_FILE_BYTES`].
    #[error("{} is larger than 64 MiB: it is not an export file", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// Missing, not readable, or a folder that cannot be listed.
    #[error("{} cannot be read: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// No file was given (or the folders given hold none).
    #[error("no file was given")]
    NoFile,
}

tessera_core::error_codes!(pub ReadError {
    TooLarge => "file_too_large",
    Io => "file_access",
    NoFile => "no_file",
});

/// One file, refused past [`MAX_FILE_BYTES`].
pub fn read_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, ReadError> {
    let io_error = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            path: path.to_owned(),
        });
    }
    Ok(bytes)
}

/// The files as `(name, bytes)`, in the order given; a folder stands for the files in it, sorted
/// by name. The result is what [`crate::import_files`] takes.
pub fn read_files(paths: &[PathBuf]) -> Result<Vec<ReadFile>, ReadError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut members: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|source| ReadError::Io {
                    path: path.clone(),
                    source,
                })?
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|member| member.is_file())
                .collect();
            members.sort();
            for member in members {
                let bytes = read_file(&member)?;
                files.push((member.display().to_string(), bytes));
            }
        } else {
            files.push((path.display().to_string(), read_file(path)?));
        }
    }
    if files.is_empty() {
        return Err(ReadError::NoFile);
    }
    Ok(files)
}

/// Imports files read by [`read_files`]: one file alone by [`crate::import`], several together
/// by [`crate::import_files`] (a Steam Desktop Authenticator folder).
pub fn import(files: &[ReadFile], password: Option<&str>) -> Result<Import, ImportError> {
    if let [(_, bytes)] = files {
        return crate::import(bytes, password);
    }
    crate::import_files(&refs(files), password)
}

/// [`import`] that stops with [`ImportError::Cancelled`] once `cancel` is set: checked before
/// and after each key derivation, so a worker running a cancelled import ends within one
/// derivation instead of trying every remaining password slot.
pub fn import_cancellable(
    files: &[ReadFile],
    password: Option<&str>,
    cancel: &Arc<AtomicBool>,
) -> Result<Import, ImportError> {
    if let [(_, bytes)] = files {
        return crate::import_cancellable(bytes, password, cancel);
    }
    crate::import_files_cancellable(&refs(files), password, cancel)
}

fn refs(files: &[ReadFile]) -> Vec<(&str, &[u8])> {
    files
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_missing_and_empty_are_refused_with_their_codes() {
        let dir = tempfile::tempdir().unwrap();
        let code = |paths: &[PathBuf]| read_files(paths).map(|_| ()).unwrap_err().code();
        assert_eq!(code(&[dir.path().join("none.json")]), "file_access");
        assert_eq!(code(&[dir.path().to_owned()]), "no_file");
        assert_eq!(code(&[]), "no_file");
        let big = dir.path().join("big.bin");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        assert_eq!(code(&[big]), "file_too_large");
        assert_eq!(code(&[dir.path().to_owned()]), "file_too_large");
    }

    #[test]
    fn a_folder_stands_for_its_files_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.maFile"), "2").unwrap();
        std::fs::write(dir.path().join("a.json"), "1").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let files = read_files(&[dir.path().to_owned()]).unwrap();
        let contents: Vec<&[u8]> = files.iter().map(|(_, bytes)| bytes.as_slice()).collect();
        assert_eq!(contents, [b"1", b"2"]);
        assert!(files[0].0.ends_with("a.json"));
    }
}
