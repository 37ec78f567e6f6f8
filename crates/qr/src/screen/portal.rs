//! Wayland capture through xdg-desktop-portal's Screenshot API.
//!
//! The portal answers asynchronously: `Screenshot` returns a request object, and the result
//! comes as that object's `Response` signal. The request path is predictable from our unique
//! bus name and the `handle_token` we choose, so the signal is subscribed to before the call
//! (no race with a fast answer).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use zbus::blocking::{Connection, MessageIterator};
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

use super::{MonitorScan, ScreenError};
use crate::limits::MAX_FILE_BYTES;

const DESTINATION: &str = "org.freedesktop.portal.Desktop";
const PATH: &str = "/org/freedesktop/portal/desktop";
const INTERFACE: &str = "org.freedesktop.portal.Screenshot";
const REQUEST_INTERFACE: &str = "org.freedesktop.portal.Request";
/// The user may take a while in the desktop's dialog, but a request nobody answers must end.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(180);
static NEXT_TOKEN: AtomicU32 = AtomicU32::new(0);

/// The portal gives one image of the whole desktop (every monitor): one [`MonitorScan`].
pub(super) fn scan() -> Result<Vec<MonitorScan>, ScreenError> {
    let bytes = screenshot()?;
    // `decode_image_bytes` wipes the decoded pixels; `bytes` (the PNG) is wiped on drop.
    let texts = crate::decode_image_bytes(&bytes)?;
    Ok(vec![MonitorScan {
        monitor: "screen".into(),
        texts,
    }])
}

/// Asks the portal for a screenshot and returns the PNG's bytes, the file already deleted.
fn screenshot() -> Result<zeroize::Zeroizing<Vec<u8>>, ScreenError> {
    let unavailable = |e: zbus::Error| ScreenError::PortalUnavailable(e.to_string());
    let conn = Connection::session().map_err(unavailable)?;
    let sender = conn
        .unique_name()
        .ok_or_else(|| ScreenError::PortalUnavailable("no unique bus name".into()))?
        .to_string();
    // Unique per request: the request path (and so the signal we wait for) derives from it.
    let token = format!(
        "tessera_{}_{}",
        std::process::id(),
        NEXT_TOKEN.fetch_add(1, Ordering::Relaxed)
    );
    let request_path = request_path(&sender, &token);
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(REQUEST_INTERFACE)
        .and_then(|b| b.member("Response"))
        .and_then(|b| b.path(request_path.as_str()))
        .map_err(unavailable)?
        .build();
    let responses = MessageIterator::for_match_rule(rule, &conn, Some(4)).map_err(unavailable)?;

    let mut options: HashMap<&str, Value<'_>> = HashMap::new();
    options.insert("handle_token", Value::from(token.as_str()));
    options.insert("interactive", Value::from(true));
    options.insert("modal", Value::from(true));
    conn.call_method(
        Some(DESTINATION),
        PATH,
        Some(INTERFACE),
        "Screenshot",
        &("", options),
    )
    .map_err(unavailable)?;

    let (code, results) = wait_for_response(responses)?;
    let uri = match code {
        0 => results
            .get("uri")
            .and_then(|v| String::try_from(v.try_clone().ok()?).ok())
            .ok_or_else(|| ScreenError::PortalFile("the desktop gave no file".into()))?,
        1 => return Err(ScreenError::Cancelled),
        _ => return Err(ScreenError::PortalRefused),
    };
    let path = file_path(&uri)
        .ok_or_else(|| ScreenError::PortalFile("the desktop gave no local file".into()))?;
    read_and_delete(&path)
}

/// The first `Response` signal, or a timeout. The wait runs on a helper thread because the
/// blocking iterator has no timeout of its own; on timeout the thread ends with the process
/// or the next message on the bus.
fn wait_for_response(
    responses: MessageIterator,
) -> Result<(u32, HashMap<String, OwnedValue>), ScreenError> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for message in responses {
            let Ok(message) = message else { continue };
            if let Ok(body) = message
                .body()
                .deserialize::<(u32, HashMap<String, OwnedValue>)>()
            {
                let _ = send.send(body);
                return;
            }
        }
    });
    receive
        .recv_timeout(ANSWER_TIMEOUT)
        .map_err(|error| match error {
            mpsc::RecvTimeoutError::Timeout => ScreenError::PortalTimeout,
            mpsc::RecvTimeoutError::Disconnected => {
                ScreenError::PortalUnavailable("the session bus closed".into())
            }
        })
}

/// `/org/freedesktop/portal/desktop/request/SENDER/TOKEN`, SENDER being the unique name
/// without its `:` and with `.` as `_` (the portal's documented rule).
fn request_path(sender: &str, token: &str) -> OwnedObjectPath {
    let sender = sender.trim_start_matches(':').replace('.', "_");
    let path = format!("{PATH}/request/{sender}/{token}");
    OwnedObjectPath::try_from(path).unwrap_or_else(|_| OwnedObjectPath::default())
}

/// The local path of a `file://` URI (percent-decoded); `None` for any other URI.
fn file_path(uri: &str) -> Option<PathBuf> {
    url::Url::parse(uri).ok()?.to_file_path().ok()
}

/// Reads the screenshot into memory (at most the image file limit) and deletes it before
/// anything else happens, whatever the read gave.
fn read_and_delete(path: &Path) -> Result<zeroize::Zeroizing<Vec<u8>>, ScreenError> {
    let read = std::fs::File::open(path).and_then(|file| {
        let mut bytes = zeroize::Zeroizing::new(Vec::new());
        file.take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    });
    let removed = std::fs::remove_file(path);
    let bytes = read.map_err(|e| ScreenError::PortalFile(e.to_string()))?;
    removed.map_err(|e| ScreenError::PortalFile(format!("it could not be deleted: {e}")))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_path_follows_the_portal_rule() {
        assert_eq!(
            request_path(":1.42", "tessera_7").as_str(),
            "/org/freedesktop/portal/desktop/request/1_42/tessera_7"
        );
    }

    #[test]
    fn only_local_files_are_read() {
        assert_eq!(
            file_path("file:///home/a/Pictures/Screenshot%20from%202026.png"),
            Some(PathBuf::from("/home/a/Pictures/Screenshot from 2026.png"))
        );
        assert_eq!(file_path("https://example.com/x.png"), None);
        assert_eq!(file_path("not a uri"), None);
    }

    #[test]
    fn the_screenshot_file_is_deleted_after_reading() {
        let dir = std::env::temp_dir().join(format!("tessera-portal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("shot.png");
        std::fs::write(&path, b"png bytes").unwrap();
        assert_eq!(read_and_delete(&path).unwrap().as_slice(), b"png bytes");
        assert!(!path.exists());
        let err = read_and_delete(&path).unwrap_err();
        assert_eq!(err.code(), "screen_portal_file");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
