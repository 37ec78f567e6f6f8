//! The vault on disk: atomic durable replace, the writer lock, backups, change stamps.
//!
//! A save never modifies the vault file in place:
//! 1. the new bytes (already encrypted) go to a temp file in the same directory, then `fsync`;
//! 2. the current file is hard-linked into `<vault>.backups/` (a copy where links are not
//!    supported), so the previous version survives;
//! 3. the temp file is renamed over the vault (atomic on POSIX and NTFS), then the directory is
//!    `fsync`ed so the rename itself survives a power cut;
//! 4. backups beyond [`KEEP_BACKUPS`] are deleted, oldest first.
//!
//! A crash at any point leaves either the old or the new file under the vault's name; a stray
//! temp file is ignored by readers and removed by the next writer. Writers serialize on an
//! exclusive lock of `<vault>.lock` (std `File::lock`: `flock` on Unix, `LockFileEx` on Windows),
//! which the OS releases if the process dies.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// How many previous versions are kept.
pub(crate) const KEEP_BACKUPS: usize = 5;

const TEMP_SUFFIX: &str = ".tmp";
const BACKUP_SUFFIX: &str = ".bak";

/// An exclusive writer lock on a vault, released on drop (or by the OS if the process dies).
#[derive(Debug)]
pub(crate) struct WriterLock {
    _file: File,
}

/// Takes the writer lock of the vault at `path`, waiting for other writers.
pub(crate) fn lock(path: &Path) -> io::Result<WriterLock> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(sibling(path, ".lock"))?;
    file.lock()?;
    Ok(WriterLock { _file: file })
}

/// What identifies one version of the file cheaply, without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    inode: u64,
}

/// The stamp of the file now; `None` if it does not exist.
pub(crate) fn stamp(path: &Path) -> io::Result<Option<Stamp>> {
    let metadata = match fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    Ok(Some(Stamp {
        len: metadata.len(),
        modified: metadata.modified().ok(),
        // Every save renames a new file into place, so the inode changes even when length and
        // mtime (coarse on some file systems) do not.
        #[cfg(unix)]
        inode: std::os::unix::fs::MetadataExt::ino(&metadata),
    }))
}

/// `<dir>/<name><suffix>`.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Creates `dir` and its missing parents open to the owner only (Unix: mode 0700; Windows: a
/// protected DACL granting the current user alone, inherited by what is made inside): the
/// vault's folder and its backups folder hold encrypted secrets, and their names and change
/// times are nobody else's business. Folders that exist are left as they are (the user's
/// choice).
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    #[cfg(windows)]
    {
        if dir.is_dir() {
            return Ok(());
        }
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent)?;
        }
        match super::windows::create_owner_only_dir(dir) {
            // Another process made it meanwhile.
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
            result => result,
        }
    }
    #[cfg(not(windows))]
    {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)
    }
}

/// Creates the file `path` (it must not exist) for writing, readable and writable by the owner
/// only from its first instant (Unix: mode 0600; Windows: a protected DACL granting the current
/// user alone), so no other user can open it before the secrets are written.
pub(crate) fn create_new_private_file(path: &Path) -> io::Result<File> {
    #[cfg(windows)]
    {
        super::windows::create_new_owner_only_file(path)
    }
    #[cfg(not(windows))]
    {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path)
    }
}

/// The directory that holds the backups of the vault at `path`.
pub(crate) fn backups_dir(path: &Path) -> PathBuf {
    sibling(path, ".backups")
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

fn file_name(path: &Path) -> io::Result<OsString> {
    path.file_name().map(OsString::from).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "the vault path must name a file",
        )
    })
}

/// Replaces `path` with `bytes` atomically and durably (see the module doc). With
/// `backup_as = Some(generation)`, the current file is kept as that backup first.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], backup_as: Option<u64>) -> io::Result<()> {
    write_atomic_via(path, bytes, backup_as, |file, bytes| file.write_all(bytes))
}

/// [`write_atomic`] with the temp file's write step supplied (tests inject failures here).
pub(crate) fn write_atomic_via(
    path: &Path,
    bytes: &[u8],
    backup_as: Option<u64>,
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let dir = parent_dir(path);
    let name = file_name(path)?;
    remove_stray_temps(dir, &name);
    let temp = temp_path(dir, &name)?;
    // Owner-only: the file is encrypted, but other local users have no reason to read it (and
    // offline guessing of a passphrase slot needs a copy of it).
    let mut file = create_new_private_file(&temp)?;
    let written = write(&mut file, bytes).and_then(|()| file.sync_all());
    drop(file);
    if let Err(error) = written {
        let _ = fs::remove_file(&temp);
        return Err(error);
    }
    if let Some(generation) = backup_as {
        // A failed backup must not block the save: the data itself is what matters most.
        let _ = keep_backup(path, generation);
    }
    if let Err(error) = replace(&temp, path) {
        let _ = fs::remove_file(&temp);
        return Err(error);
    }
    sync_dir(dir)?;
    if backup_as.is_some() {
        let _ = prune_backups(path);
    }
    Ok(())
}

/// Renames `temp` over `path`.
#[cfg(not(windows))]
fn replace(temp: &Path, path: &Path) -> io::Result<()> {
    fs::rename(temp, path)
}

/// How long to wait before each new attempt while another program holds the vault file: about
/// a second in all, growing, as git for Windows and cargo wait out an antivirus scan, the
/// search indexer or a sync client that opened the file for a moment.
#[cfg(windows)]
const REPLACE_RETRY_DELAYS: [std::time::Duration; 7] = {
    use std::time::Duration;
    [
        Duration::from_millis(10),
        Duration::from_millis(20),
        Duration::from_millis(40),
        Duration::from_millis(80),
        Duration::from_millis(160),
        Duration::from_millis(320),
        Duration::from_millis(400),
    ]
};

/// Renames `temp` over `path`, waiting while another program holds `path` open (Windows
/// refuses to replace a file opened without delete sharing, and FAT/exFAT any open file);
/// then fails with a [`HeldOpen`] error naming the programs if the Restart Manager can.
#[cfg(windows)]
fn replace(temp: &Path, path: &Path) -> io::Result<()> {
    replace_retrying(temp, path, &REPLACE_RETRY_DELAYS)
}

#[cfg(windows)]
fn replace_retrying(temp: &Path, path: &Path, delays: &[std::time::Duration]) -> io::Result<()> {
    // ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: what an open handle
    // on the target makes MoveFileEx return.
    const HELD: [i32; 3] = [5, 32, 33];
    let mut delays = delays.iter();
    loop {
        match fs::rename(temp, path) {
            Ok(()) => return Ok(()),
            Err(error)
                if error
                    .raw_os_error()
                    .is_some_and(|code| HELD.contains(&code)) =>
            {
                match delays.next() {
                    Some(delay) => std::thread::sleep(*delay),
                    None => {
                        let programs = super::windows::programs_holding(path).unwrap_or_default();
                        return Err(io::Error::new(
                            error.kind(),
                            HeldOpen {
                                programs,
                                source: error,
                            },
                        ));
                    }
                }
            }
            Err(error) => return Err(error),
        }
    }
}

/// The vault file could not be replaced: another program kept it open through every retry.
#[cfg(windows)]
#[derive(Debug, thiserror::Error)]
#[error("another program holds the file open ({source})")]
pub(crate) struct HeldOpen {
    /// The programs the Restart Manager names (empty where it cannot tell).
    pub(crate) programs: Vec<String>,
    source: io::Error,
}

fn temp_path(dir: &Path, name: &OsString) -> io::Result<PathBuf> {
    let random: [u8; 8] = super::crypto::random_array()
        .map_err(|_| io::Error::other("the operating system gave no random bytes"))?;
    let mut temp = OsString::from(".");
    temp.push(name);
    temp.push(format!(
        ".{}{TEMP_SUFFIX}",
        data_encoding::HEXLOWER.encode(&random)
    ));
    Ok(dir.join(temp))
}

/// Removes temp files left by a writer that died mid-save (called under the writer lock, so no
/// live writer owns them).
fn remove_stray_temps(dir: &Path, name: &OsString) {
    let mut prefix = OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let (Some(prefix), Ok(entries)) = (prefix.to_str(), fs::read_dir(dir)) else {
        return;
    };
    for entry in entries.flatten() {
        let entry_name = entry.file_name();
        let Some(entry_name) = entry_name.to_str() else {
            continue;
        };
        if entry_name.starts_with(prefix) && entry_name.ends_with(TEMP_SUFFIX) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    // Windows cannot open a directory for flushing without extra flags; NTFS journals renames
    // (MoveFileEx), which is what std's rename uses.
    Ok(())
}

fn keep_backup(path: &Path, generation: u64) -> io::Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let dir = backups_dir(path);
    create_private_dir(&dir)?;
    let target = dir.join(format!("{generation:020}{BACKUP_SUFFIX}"));
    // A restored older backup can make a generation number come round again.
    let _ = fs::remove_file(&target);
    if fs::hard_link(path, &target).is_err() {
        copy_private(path, &target)?;
    }
    Ok(())
}

/// Copies `from` to the new file `to`, open to the owner only like the vault itself (std's copy
/// keeps the mode on Unix but gives the folder's inherited ACL on Windows).
pub(crate) fn copy_private(from: &Path, to: &Path) -> io::Result<()> {
    let mut source = File::open(from)?;
    let mut target = create_new_private_file(to)?;
    let copied = io::copy(&mut source, &mut target).and_then(|_| target.sync_all());
    drop(target);
    if copied.is_err() {
        let _ = fs::remove_file(to);
    }
    copied
}

/// One kept previous version of a vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// Where the backup file is (it is a complete vault file: `Vault::open` reads it).
    pub path: PathBuf,
    /// The write generation it holds.
    pub generation: u64,
}

/// The backups of the vault at `path`, newest first.
pub(crate) fn list_backups(path: &Path) -> io::Result<Vec<Backup>> {
    let entries = match fs::read_dir(backups_dir(path)) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut backups: Vec<Backup> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let generation = name.to_str()?.strip_suffix(BACKUP_SUFFIX)?.parse().ok()?;
            Some(Backup {
                path: entry.path(),
                generation,
            })
        })
        .collect();
    backups.sort_by_key(|backup| std::cmp::Reverse(backup.generation));
    Ok(backups)
}

fn prune_backups(path: &Path) -> io::Result<()> {
    for old in list_backups(path)?.iter().skip(KEEP_BACKUPS) {
        fs::remove_file(&old.path)?;
    }
    Ok(())
}

const SET_ASIDE_INFIX: &str = ".damaged-";

/// Where a restore sets the current file aside: `<vault>.damaged-<generation>`, with `-<n>`
/// added when that name is taken.
pub(crate) fn set_aside_path(path: &Path, generation: u64) -> PathBuf {
    let mut target = sibling(path, &format!("{SET_ASIDE_INFIX}{generation}"));
    let mut attempt = 1;
    while target.exists() {
        target = sibling(path, &format!("{SET_ASIDE_INFIX}{generation}-{attempt}"));
        attempt += 1;
    }
    target
}

/// The copies a restore set aside beside the vault at `path`, sorted by name.
pub(crate) fn list_set_aside(path: &Path) -> io::Result<Vec<PathBuf>> {
    let mut prefix = file_name(path)?;
    prefix.push(SET_ASIDE_INFIX);
    let Some(prefix) = prefix.to_str() else {
        return Ok(Vec::new());
    };
    let mut copies: Vec<PathBuf> = fs::read_dir(parent_dir(path))?
        .flatten()
        .filter(|entry| {
            entry.file_name().to_str().is_some_and(|name| {
                name.strip_prefix(prefix).is_some_and(|rest| {
                    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'-')
                })
            })
        })
        .map(|entry| entry.path())
        .collect();
    copies.sort();
    Ok(copies)
}

/// Deletes the kept versions and the set-aside copies: every earlier copy Tessera made of the
/// vault, which would still open with the secrets they were written for.
pub(crate) fn remove_earlier_copies(path: &Path) -> io::Result<()> {
    let set_aside = list_set_aside(path)?;
    for file in list_backups(path)?
        .into_iter()
        .map(|b| b.path)
        .chain(set_aside)
    {
        fs::remove_file(file)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails with "no space left" after `budget` bytes, like a full disk.
    struct FullDisk<'a> {
        file: &'a mut File,
        budget: usize,
    }

    impl Write for FullDisk<'_> {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if self.budget == 0 {
                return Err(io::Error::from(io::ErrorKind::StorageFull));
            }
            let count = bytes.len().min(self.budget);
            self.budget -= count;
            self.file.write(&bytes[..count])
        }
        fn flush(&mut self) -> io::Result<()> {
            self.file.flush()
        }
    }

    #[cfg(unix)]
    #[test]
    fn new_vault_and_backup_folders_are_owner_only_and_existing_ones_untouched() {
        use std::os::unix::fs::PermissionsExt as _;
        let root = tempfile::tempdir().unwrap();
        let mode = |dir: &Path| fs::metadata(dir).unwrap().permissions().mode() & 0o777;
        let nested = root.path().join("a/b");
        create_private_dir(&nested).unwrap();
        assert_eq!(mode(&nested), 0o700);
        assert_eq!(mode(&root.path().join("a")), 0o700, "missing parents too");
        // A folder the user made (or shares on purpose) keeps its mode.
        let shared = root.path().join("shared");
        fs::create_dir(&shared).unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o755)).unwrap();
        create_private_dir(&shared).unwrap();
        assert_eq!(mode(&shared), 0o755);
    }

    fn dir_names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    #[test]
    fn vault_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.tsv");
        write_atomic(&path, b"first", Some(1)).unwrap();
        write_atomic(&path, b"second", Some(2)).unwrap();
        for entry in fs::read_dir(dir.path()).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file()
                && !entry.file_name().to_string_lossy().ends_with(".lock")
            {
                let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
                assert_eq!(mode, 0o600, "{:?}", entry.file_name());
            }
        }
    }

    /// Opens `path` the way an antivirus or an editor may: without delete sharing, so Windows
    /// refuses to replace it while the handle is open.
    #[cfg(windows)]
    fn hold(path: &Path) -> File {
        use std::os::windows::fs::OpenOptionsExt as _;
        const FILE_SHARE_READ: u32 = 1;
        OpenOptions::new()
            .read(true)
            .share_mode(FILE_SHARE_READ)
            .open(path)
            .unwrap()
    }

    #[cfg(windows)]
    #[test]
    #[allow(clippy::disallowed_methods, reason = "times the retries, not a code")]
    fn a_save_waits_out_a_short_hold_on_the_vault() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.tsv");
        write_atomic(&path, b"original", Some(1)).unwrap();
        let held = hold(&path);
        // Without the retries this save would fail at once: a plain rename over the held
        // file is refused.
        let other = dir.path().join("other");
        fs::write(&other, b"other").unwrap();
        assert!(fs::rename(&other, &path).is_err());
        fs::remove_file(&other).unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(held);
        });
        let started = std::time::Instant::now();
        write_atomic(&path, b"new", Some(2)).unwrap();
        let waited = started.elapsed();
        eprintln!("held for 300 ms: saved after {waited:?}");
        release.join().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert!(
            waited >= std::time::Duration::from_millis(250),
            "{waited:?}"
        );
        assert_eq!(dir_names(dir.path()), ["vault.tsv", "vault.tsv.backups"]);
    }

    #[cfg(windows)]
    #[test]
    #[allow(clippy::disallowed_methods, reason = "times the retries, not a code")]
    fn a_vault_held_throughout_is_left_intact_and_says_who_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.tsv");
        write_atomic(&path, b"original", Some(1)).unwrap();
        let held = hold(&path);
        let started = std::time::Instant::now();
        let error = write_atomic(&path, b"new", Some(2)).unwrap_err();
        let waited = started.elapsed();
        // About a second of retries (the sum of the delays), not an instant failure.
        let budget: std::time::Duration = REPLACE_RETRY_DELAYS.iter().sum();
        assert!(waited >= budget, "{waited:?}");
        assert!(waited < budget * 4, "{waited:?}");
        drop(held);
        assert_eq!(fs::read(&path).unwrap(), b"original");
        assert_eq!(dir_names(dir.path()), ["vault.tsv", "vault.tsv.backups"]);
        let error = super::super::VaultError::io("write", &path, error);
        assert_eq!(crate::ErrorCode::code(&error), "vault_held_open");
        let super::super::VaultError::HeldOpen { programs, .. } = &error else {
            panic!("{error:?}");
        };
        // Windows names this test itself (the holder); Wine's Restart Manager names nobody, and
        // the message then says so plainly.
        let message = error.to_string();
        eprintln!("held throughout: failed after {waited:?}: {message}");
        if programs.is_empty() {
            assert!(message.contains("another program"), "{message}");
        } else {
            assert!(message.contains(&programs[0]), "{message}");
        }
        assert!(message.contains("not saved"), "{message}");
    }

    /// Whether the DACL `sddl` lets the user alone in: allow entries only, full control for
    /// the user, and no other trustee but SYSTEM. Windows shows exactly the protected entry
    /// made here (`D:P(A;OICI;FA;;;<user>)`); Wine keeps no DACL but turns it into Unix mode
    /// bits (0700/0600 here), which it reads back as entries for the user and SYSTEM.
    #[cfg(windows)]
    fn owner_only(sddl: &str, user: &str) -> bool {
        let Some(aces) = sddl.strip_prefix("D:") else {
            return false;
        };
        let aces: Vec<Vec<&str>> = aces
            .trim_start_matches(|c: char| c.is_ascii_uppercase())
            .split(['(', ')'])
            .filter(|ace| !ace.is_empty())
            .map(|ace| ace.split(';').collect())
            .collect();
        aces.iter()
            .all(|ace| ace.len() == 6 && ace[0] == "A" && (ace[5] == user || ace[5] == "SY"))
            && aces.iter().any(|ace| ace[2] == "FA" && ace[5] == user)
    }

    #[cfg(windows)]
    #[test]
    fn only_the_user_can_open_the_vault_its_folders_and_copies() {
        use super::super::windows::{dacl_sddl, user_sid};
        let root = tempfile::tempdir().unwrap();
        let user = user_sid().unwrap();
        let nested = root.path().join("a/b");
        create_private_dir(&nested).unwrap();
        let path = nested.join("vault.tsv");
        write_atomic(&path, b"first", Some(1)).unwrap();
        write_atomic(&path, b"second", Some(2)).unwrap();
        let aside = set_aside_path(&path, 2);
        copy_private(&path, &aside).unwrap();
        let made = [
            root.path().join("a"),
            nested.clone(),
            backups_dir(&path),
            path.clone(),
            aside,
            list_backups(&path).unwrap()[0].path.clone(),
        ];
        for made in made {
            let dacl = dacl_sddl(&made).unwrap();
            eprintln!("made by Tessera: {dacl}");
            assert!(owner_only(&dacl, &user), "{made:?}: {dacl}");
        }
        // What std makes by default is not owner-only (so the check above can fail).
        let plain_dir = root.path().join("plain");
        fs::create_dir(&plain_dir).unwrap();
        let plain_file = root.path().join("plain.txt");
        fs::write(&plain_file, b"plain").unwrap();
        for plain in [plain_dir, plain_file] {
            let dacl = dacl_sddl(&plain).unwrap();
            eprintln!("made by std: {dacl}");
            assert!(!owner_only(&dacl, &user), "{plain:?}: {dacl}");
        }
        // A folder that exists keeps its ACL (the user's choice).
        let before = dacl_sddl(root.path()).unwrap();
        create_private_dir(root.path()).unwrap();
        assert_eq!(dacl_sddl(root.path()).unwrap(), before);
    }

    #[test]
    fn full_disk_keeps_the_original_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.tsv");
        write_atomic(&path, b"original", Some(1)).unwrap();
        for budget in [0, 1, 100] {
            let error = write_atomic_via(&path, &[7u8; 4096], Some(1), |file, bytes| {
                FullDisk { file, budget }.write_all(bytes)
            })
            .unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::StorageFull);
            assert_eq!(fs::read(&path).unwrap(), b"original");
            assert_eq!(dir_names(dir.path()), ["vault.tsv"]);
        }
    }

    #[test]
    fn keeps_the_last_five_backups() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.tsv");
        for generation in 1..=8u64 {
            write_atomic(&path, &generation.to_le_bytes(), Some(generation - 1)).unwrap();
        }
        let backups = list_backups(&path).unwrap();
        let generations: Vec<u64> = backups.iter().map(|b| b.generation).collect();
        assert_eq!(generations, [7, 6, 5, 4, 3]);
        assert_eq!(fs::read(&backups[0].path).unwrap(), 7u64.to_le_bytes());
        assert_eq!(fs::read(&path).unwrap(), 8u64.to_le_bytes());
        let aside = set_aside_path(&path, 8);
        fs::write(&aside, b"set aside").unwrap();
        assert_eq!(set_aside_path(&path, 8), sibling(&path, ".damaged-8-1"));
        fs::write(sibling(&path, ".damaged-notes.txt"), b"not ours").unwrap();
        assert_eq!(list_set_aside(&path).unwrap(), [aside]);
        remove_earlier_copies(&path).unwrap();
        assert!(list_backups(&path).unwrap().is_empty());
        assert!(list_set_aside(&path).unwrap().is_empty());
    }

    #[test]
    fn stray_temp_files_are_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.tsv");
        fs::write(dir.path().join(".vault.tsv.0011223344556677.tmp"), b"junk").unwrap();
        fs::write(dir.path().join("unrelated.tmp"), b"keep").unwrap();
        write_atomic(&path, b"new", None).unwrap();
        assert_eq!(dir_names(dir.path()), ["unrelated.tmp", "vault.tsv"]);
    }

    #[test]
    fn stamp_changes_on_every_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.tsv");
        assert_eq!(stamp(&path).unwrap(), None);
        write_atomic(&path, b"same", None).unwrap();
        let first = stamp(&path).unwrap();
        write_atomic(&path, b"same", None).unwrap();
        assert_ne!(stamp(&path).unwrap(), first);
    }

    #[test]
    fn lock_excludes_a_second_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.tsv");
        let held = lock(&path).unwrap();
        let second = OpenOptions::new()
            .write(true)
            .open(sibling(&path, ".lock"))
            .unwrap();
        assert!(second.try_lock().is_err());
        drop(held);
        assert!(second.try_lock().is_ok());
    }
}
