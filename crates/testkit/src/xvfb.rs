//! A private Xvfb for tests that need an X display (clipboard, screen scan, idle time).

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

const XVFB: &str = "/usr/bin/Xvfb";

/// An Xvfb server for the test's lifetime, killed on drop.
pub struct Display {
    server: Child,
    /// `:N`, for `DISPLAY`.
    pub name: String,
}

impl Display {
    /// Starts Xvfb on a free display (`-displayfd` picks it and prints it); `None` (a skip,
    /// or a failure under `TESSERA_REQUIRE_REAL=1`) when Xvfb is not installed.
    pub fn start() -> Option<Self> {
        if !crate::real::needs(
            "an X11 test",
            std::path::Path::new(XVFB).exists(),
            "/usr/bin/Xvfb (apt-get install xvfb)",
        ) {
            return None;
        }
        let mut server = Command::new(XVFB)
            .args(["-displayfd", "1", "-nolisten", "tcp"])
            .args(["-screen", "0", "640x480x24"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let mut number = String::new();
        BufReader::new(server.stdout.take().unwrap())
            .read_line(&mut number)
            .expect("Xvfb prints its display");
        Some(Self {
            server,
            name: format!(":{}", number.trim()),
        })
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
