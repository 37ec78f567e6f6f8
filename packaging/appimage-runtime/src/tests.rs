//! The runtime against real parts: this test binary as the ELF head (with the magic written in),
//! images made by Debian's mksquashfs (squashfs-tools, installed by scripts/setup.sh).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

/// This test executable with `AI\x02` written at offset 8: a real linked ELF as the head.
fn head() -> Vec<u8> {
    let mut elf = fs::read(std::env::current_exe().unwrap()).unwrap();
    elf[8..11].copy_from_slice(&MAGIC);
    elf
}

/// An AppImage of `tree`: the head, then the squashfs mksquashfs makes of it.
fn appimage(dir: &Path, tree: &Path) -> PathBuf {
    let squashfs = dir.join("image.squashfs");
    let status = Command::new("mksquashfs")
        .arg(tree)
        .arg(&squashfs)
        .args(["-comp", "zstd", "-root-owned", "-noappend", "-quiet"])
        .status()
        .expect("mksquashfs (squashfs-tools) must be installed: scripts/setup.sh");
    assert!(status.success());
    let mut bytes = head();
    bytes.extend(fs::read(&squashfs).unwrap());
    let image = dir.join("Test.AppImage");
    fs::write(&image, bytes).unwrap();
    image
}

fn sample_tree(dir: &Path) -> PathBuf {
    let tree = dir.join("AppDir");
    fs::create_dir_all(tree.join("usr/bin")).unwrap();
    fs::write(tree.join("AppRun"), "#!/bin/sh\necho hello\n").unwrap();
    fs::set_permissions(tree.join("AppRun"), fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(tree.join("usr/bin/data.txt"), "x".repeat(300_000)).unwrap();
    fs::set_permissions(
        tree.join("usr/bin/data.txt"),
        fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    symlink("usr/bin/data.txt", tree.join("link")).unwrap();
    tree
}

#[test]
fn the_payload_starts_where_the_elf_ends() {
    let elf = head();
    // A linker writes the section header table last: the ELF ends with the file.
    assert_eq!(payload_offset(&elf).unwrap(), elf.len() as u64);
}

#[test]
fn files_that_are_not_type_2_appimages_are_refused() {
    let plain = fs::read(std::env::current_exe().unwrap()).unwrap();
    assert!(matches!(
        payload_offset(&plain),
        Err(RuntimeError::NotAppImage(_))
    ));
    assert!(matches!(
        payload_offset(&head()[..40]),
        Err(RuntimeError::NotAppImage(_))
    ));
    let mut not_elf = head();
    not_elf[..4].copy_from_slice(b"MZ\0\0");
    assert!(matches!(
        payload_offset(&not_elf),
        Err(RuntimeError::NotAppImage(_))
    ));
    let mut elf32 = head();
    elf32[4] = 1;
    assert!(matches!(
        payload_offset(&elf32),
        Err(RuntimeError::NotAppImage(_))
    ));
    let mut wrapping = head();
    wrapping[0x28..0x30].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(
        payload_offset(&wrapping),
        Err(RuntimeError::NotAppImage(_))
    ));
}

#[test]
fn extraction_gives_back_the_tree_with_its_modes_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let image = appimage(dir.path(), &sample_tree(dir.path()));
    let offset = image_offset(&image).unwrap();
    let out = dir.path().join("squashfs-root");
    extract(&image, offset, &out, None).unwrap();
    assert_eq!(
        fs::read_to_string(out.join("AppRun")).unwrap(),
        "#!/bin/sh\necho hello\n"
    );
    let mode = |path: &str| fs::metadata(out.join(path)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("AppRun"), 0o755);
    assert_eq!(mode("usr/bin/data.txt"), 0o640);
    assert_eq!(
        fs::read_link(out.join("link")).unwrap(),
        Path::new("usr/bin/data.txt")
    );
    assert_eq!(fs::read(out.join("link")).unwrap().len(), 300_000);
    // The folder exists: never written into twice.
    assert!(extract(&image, offset, &out, None).is_err());
}

#[test]
fn extraction_of_one_path_writes_only_that_path() {
    let dir = tempfile::tempdir().unwrap();
    let image = appimage(dir.path(), &sample_tree(dir.path()));
    let out = dir.path().join("part");
    extract(
        &image,
        image_offset(&image).unwrap(),
        &out,
        Some(Path::new("usr/bin")),
    )
    .unwrap();
    assert!(out.join("usr/bin/data.txt").is_file());
    assert!(!out.join("AppRun").exists());
    assert!(out.join("link").symlink_metadata().is_err());
}

#[test]
fn the_cache_is_keyed_by_content_and_made_once() {
    let dir = tempfile::tempdir().unwrap();
    let tree = sample_tree(dir.path());
    let image = appimage(dir.path(), &tree);
    let offset = image_offset(&image).unwrap();
    let cache = dir.path().join("cache");
    let first = cached_extraction(&image, offset, &cache).unwrap();
    assert!(first.join("AppRun").is_file());
    // A second start reuses it: a file written into it is still there.
    fs::write(first.join("marker"), "").unwrap();
    assert_eq!(cached_extraction(&image, offset, &cache).unwrap(), first);
    assert!(first.join("marker").exists());
    // Another build (one byte changed) gets its own folder.
    fs::write(tree.join("AppRun"), "#!/bin/sh\necho bye\n").unwrap();
    let other = appimage(dir.path(), &tree);
    let second = cached_extraction(&other, image_offset(&other).unwrap(), &cache).unwrap();
    assert_ne!(second, first);
    assert_eq!(
        fs::read_to_string(second.join("AppRun")).unwrap(),
        "#!/bin/sh\necho bye\n"
    );
    // No partial folders left behind.
    let names: Vec<_> = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn paths_leaving_the_root_are_refused() {
    assert_eq!(
        relative(Path::new("/usr/bin/x")).unwrap(),
        Path::new("usr/bin/x")
    );
    assert!(matches!(
        relative(Path::new("/usr/../../etc")),
        Err(RuntimeError::UnsafePath(_))
    ));
}
