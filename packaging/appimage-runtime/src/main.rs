//! `Tessera-x86_64.AppImage [ARGS…]`: runs the app (see lib.rs for how).
//!
//! Options of the runtime itself, as the official one names them:
//!   --appimage-extract [PATH]  writes the image's tree (or only PATH in it) to ./squashfs-root
//!   --appimage-offset          prints where the squashfs starts in the file
//!   --appimage-help            this
//! `APPIMAGE_EXTRACT_AND_RUN=1` skips the FUSE mount (as the official runtime).
#![forbid(unsafe_code)]

#[cfg(target_os = "linux")]
fn main() -> std::process::ExitCode {
    match linux::main() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("AppImage: {error}");
            std::process::ExitCode::from(127)
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("The AppImage runtime runs on Linux only.");
    std::process::exit(1);
}

#[cfg(target_os = "linux")]
mod linux {
    use std::env;
    use std::ffi::OsString;
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    use std::path::{Path, PathBuf};
    use std::process::{Command, ExitCode, Stdio};

    use nix::sys::signal::{SigSet, Signal, kill};
    use nix::unistd::Pid;
    use tessera_appimage_runtime::{RuntimeError, cached_extraction, extract, image_offset};

    const HELP: &str = "AppImage runtime options:
  --appimage-extract [PATH]  extract the image (or only PATH in it) to ./squashfs-root
  --appimage-offset          print the byte offset of the squashfs in the file
  --appimage-help            print this help
Without them the app runs; APPIMAGE_EXTRACT_AND_RUN=1 extracts instead of mounting.";

    pub(crate) fn main() -> Result<ExitCode, RuntimeError> {
        let mut args = env::args_os();
        let argv0 = args.next().unwrap_or_default();
        let args: Vec<OsString> = args.collect();
        // /proc/self/exe: the image itself, whatever symlink it was started through.
        let image = env::current_exe().map_err(|source| RuntimeError::Io {
            path: PathBuf::from("/proc/self/exe"),
            source,
        })?;
        let offset = image_offset(&image)?;
        match args.first().and_then(|arg| arg.to_str()) {
            Some("--appimage-offset") => {
                println!("{offset}");
                Ok(ExitCode::SUCCESS)
            }
            Some("--appimage-extract") => {
                let dest = Path::new("squashfs-root");
                extract(&image, offset, dest, args.get(1).map(Path::new))?;
                println!("{}", dest.display());
                Ok(ExitCode::SUCCESS)
            }
            Some("--appimage-help") => {
                println!("{HELP}");
                Ok(ExitCode::SUCCESS)
            }
            Some(other) if other.starts_with("--appimage-") => {
                eprintln!("AppImage: unknown option {other}\n{HELP}");
                Ok(ExitCode::from(2))
            }
            _ => run(&image, offset, argv0, &args),
        }
    }

    fn run(
        image: &Path,
        offset: u64,
        argv0: OsString,
        args: &[OsString],
    ) -> Result<ExitCode, RuntimeError> {
        let owd = env::current_dir().unwrap_or_default();
        let apprun = |appdir: &Path| {
            let mut command = Command::new(appdir.join("AppRun"));
            command
                .args(args)
                .env("APPIMAGE", image)
                .env("APPDIR", appdir)
                .env("ARGV0", &argv0)
                .env("OWD", &owd);
            command
        };
        if env::var_os("APPIMAGE_EXTRACT_AND_RUN").is_none_or(|value| value != "1")
            && let Some(mount) = Mount::new(image, offset)
        {
            let code = run_and_wait(apprun(&mount.dir));
            drop(mount);
            return code;
        }
        let dir = cached_extraction(image, offset, &cache_dir()?)?;
        // Nothing to clean up afterwards: the app replaces this process.
        let error = apprun(&dir).exec();
        Err(RuntimeError::Io {
            path: dir.join("AppRun"),
            source: error,
        })
    }

    /// `$XDG_CACHE_HOME/tessera/appimage`, else `~/.cache/tessera/appimage`.
    fn cache_dir() -> Result<PathBuf, RuntimeError> {
        let base = env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|dir| dir.is_absolute())
            .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
            .ok_or(RuntimeError::NotAppImage(
                "neither XDG_CACHE_HOME nor HOME is set",
            ))?;
        Ok(base.join("tessera").join("appimage"))
    }

    /// The app as a child, so the mount can be removed when it ends; the signals a terminal or a
    /// session manager sends to the runtime are passed on to it.
    fn run_and_wait(mut command: Command) -> Result<ExitCode, RuntimeError> {
        let path = PathBuf::from(command.get_program());
        let mut child = command.spawn().map_err(|source| RuntimeError::Io {
            path: path.clone(),
            source,
        })?;
        // Blocked only now (a spawned child inherits the mask, and the app must get these
        // signals), then waited for by one thread. A signal in between ends the runtime alone.
        let mut forwarded = SigSet::empty();
        for signal in [
            Signal::SIGINT,
            Signal::SIGTERM,
            Signal::SIGHUP,
            Signal::SIGQUIT,
        ] {
            forwarded.add(signal);
        }
        let blocked = forwarded.thread_block();
        if blocked.is_ok()
            && let Ok(pid) = i32::try_from(child.id())
        {
            std::thread::spawn(move || {
                while let Ok(signal) = forwarded.wait() {
                    let _ = kill(Pid::from_raw(pid), signal);
                }
            });
        }
        let status = child
            .wait()
            .map_err(|source| RuntimeError::Io { path, source })?;
        let code = status
            .code()
            .or_else(|| status.signal().map(|signal| 128 + signal))
            .unwrap_or(1);
        Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
    }

    /// The image mounted read-only with squashfuse at a fresh folder; unmounted when dropped.
    struct Mount {
        dir: PathBuf,
    }

    impl Mount {
        /// `None` when squashfuse is not installed or FUSE is not usable here (no /dev/fuse, a
        /// container): the caller extracts instead.
        fn new(image: &Path, offset: u64) -> Option<Self> {
            let squashfuse = find_in_path("squashfuse")?;
            let name = image
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            let dir = env::temp_dir().join(format!(".mount_{name}.{}", std::process::id()));
            std::fs::create_dir(&dir).ok()?;
            let mounted = Command::new(squashfuse)
                .arg("-o")
                .arg(format!("ro,offset={offset}"))
                .arg(image)
                .arg(&dir)
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success());
            if mounted && dir.join("AppRun").symlink_metadata().is_ok() {
                return Some(Self { dir });
            }
            if mounted {
                unmount(&dir);
            }
            let _ = std::fs::remove_dir(&dir);
            None
        }
    }

    impl Drop for Mount {
        fn drop(&mut self) {
            unmount(&self.dir);
            let _ = std::fs::remove_dir(&self.dir);
        }
    }

    fn unmount(dir: &Path) {
        for tool in ["fusermount3", "fusermount"] {
            if let Some(tool) = find_in_path(tool) {
                // -z: detach now even if a process the app left behind still has a file open.
                if Command::new(tool)
                    .arg("-u")
                    .arg("-z")
                    .arg(dir)
                    .status()
                    .is_ok_and(|s| s.success())
                {
                    return;
                }
            }
        }
        eprintln!(
            "AppImage: could not unmount {} (fusermount3 -u {0})",
            dir.display()
        );
    }

    fn find_in_path(tool: &str) -> Option<PathBuf> {
        env::split_paths(&env::var_os("PATH")?)
            .map(|dir| dir.join(tool))
            .find(|path| path.is_file())
    }
}
