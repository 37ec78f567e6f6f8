//! Copying codes: Rust writes the system clipboard, then clears it after the user's delay, but
//! only if it still holds the code we put there (the user may have copied something else since).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::{AppHandle, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt as _;
use zeroize::Zeroizing;

use crate::error::{IpcError, IpcErrorCode};

/// The system clipboard, or a memory one in tests.
pub(crate) trait Clipboard: Send + Sync {
    /// Puts `text` on the clipboard, hinting clipboard managers to keep it out of their history.
    fn write(&self, text: &str) -> Result<(), String>;
    /// The clipboard's text, if it holds text.
    fn read(&self) -> Option<Zeroizing<String>>;
    fn clear(&self) -> Result<(), String>;
}

/// The official clipboard plugin (arboard underneath; this process keeps serving the X11/Wayland
/// selection as long as it runs).
pub(crate) struct SystemClipboard<R: Runtime>(pub(crate) AppHandle<R>);

impl<R: Runtime> Clipboard for SystemClipboard<R> {
    fn write(&self, text: &str) -> Result<(), String> {
        self.0
            .clipboard()
            .write_secret(text)
            .map_err(|error| error.to_string())
    }

    fn read(&self) -> Option<Zeroizing<String>> {
        self.0.clipboard().read_text().ok().map(Zeroizing::new)
    }

    fn clear(&self) -> Result<(), String> {
        self.0
            .clipboard()
            .clear()
            .map_err(|error| error.to_string())
    }
}

/// Work to run once, later.
type Task = Box<dyn FnOnce() + Send>;

/// Runs a task after a delay: a thread that sleeps in the app, a clock the test moves in tests
/// (so no test waits for the clear-after delay to pass).
pub(crate) trait Timer: Send + Sync {
    fn after(&self, delay: Duration, task: Task) -> Result<(), String>;
}

/// One sleeping thread per scheduled task (a copy clears at most once; nothing to pool).
struct ThreadTimer;

impl Timer for ThreadTimer {
    fn after(&self, delay: Duration, task: Task) -> Result<(), String> {
        std::thread::Builder::new()
            .name("clipboard-clear".into())
            .spawn(move || {
                std::thread::sleep(delay);
                task();
            })
            .map(drop)
            .map_err(|error| error.to_string())
    }
}

/// Managed state: the clipboard, the number of the latest copy, and that copy's code (so a
/// lock can clear it: the code is wiped once cleared or superseded).
pub(crate) struct Board {
    clipboard: Arc<dyn Clipboard>,
    timer: Box<dyn Timer>,
    latest: Arc<AtomicU64>,
    last: Mutex<Option<(u64, Zeroizing<String>)>>,
}

impl Board {
    pub(crate) fn new(clipboard: Arc<dyn Clipboard>) -> Self {
        Self::with_timer(clipboard, Box::new(ThreadTimer))
    }

    fn with_timer(clipboard: Arc<dyn Clipboard>, timer: Box<dyn Timer>) -> Self {
        Self {
            clipboard,
            timer,
            latest: Arc::new(AtomicU64::new(0)),
            last: Mutex::new(None),
        }
    }

    /// The vault locked or the app quits: a code of ours still on the clipboard goes (whatever
    /// the delay says); anything the user copied since stays. Returns whether it cleared.
    pub(crate) fn clear_on_lock(&self) -> bool {
        let last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        last.is_some_and(|(copy, code)| {
            clear_if_ours(self.clipboard.as_ref(), &code, copy, &self.latest)
        })
    }

    /// Writes `code`, and schedules its removal after `clear_after_secs` (0: never).
    pub(crate) fn copy(
        &self,
        code: Zeroizing<String>,
        clear_after_secs: u32,
    ) -> Result<(), IpcError> {
        self.clipboard.write(&code).map_err(|reason| {
            IpcError::new(
                IpcErrorCode::Clipboard,
                format!("the clipboard cannot be written: {reason}"),
            )
        })?;
        let copy = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        *self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((copy, code.clone()));
        if clear_after_secs == 0 {
            return Ok(());
        }
        let clipboard = Arc::clone(&self.clipboard);
        let latest = Arc::clone(&self.latest);
        let delay = Duration::from_secs(clear_after_secs.into());
        self.timer
            .after(
                delay,
                Box::new(move || {
                    clear_if_ours(clipboard.as_ref(), &code, copy, &latest);
                }),
            )
            .map_err(|error| {
                IpcError::new(
                    IpcErrorCode::Clipboard,
                    format!("cannot schedule the clipboard clearing: {error}"),
                )
            })?;
        Ok(())
    }
}

/// Clears the clipboard if copy number `copy` is still the latest and the clipboard still holds
/// `code`. Returns whether it cleared.
fn clear_if_ours(clipboard: &dyn Clipboard, code: &str, copy: u64, latest: &AtomicU64) -> bool {
    let ours = latest.load(Ordering::SeqCst) == copy
        && clipboard.read().is_some_and(|text| text.as_str() == code);
    ours && clipboard.clear().is_ok()
}

/// A clipboard in memory, for tests.
#[cfg(test)]
#[derive(Default)]
pub(crate) struct MemoryClipboard(pub(crate) std::sync::Mutex<Option<String>>);

#[cfg(test)]
impl Clipboard for MemoryClipboard {
    fn write(&self, text: &str) -> Result<(), String> {
        *self.0.lock().unwrap() = Some(text.to_owned());
        Ok(())
    }

    fn read(&self) -> Option<Zeroizing<String>> {
        self.0.lock().unwrap().clone().map(Zeroizing::new)
    }

    fn clear(&self) -> Result<(), String> {
        *self.0.lock().unwrap() = None;
        Ok(())
    }
}

/// A clock the test moves by hand: a task runs once [`ManualTimer::advance`] has passed its
/// delay.
#[cfg(test)]
#[derive(Default)]
pub(crate) struct ManualTimer {
    now: Mutex<Duration>,
    pending: Mutex<Vec<(Duration, Task)>>,
}

#[cfg(test)]
impl ManualTimer {
    /// Moves the clock on by `by` and runs every task now due.
    pub(crate) fn advance(&self, by: Duration) {
        let now = {
            let mut now = self.now.lock().unwrap();
            *now += by;
            *now
        };
        let due: Vec<Task> = {
            let mut pending = self.pending.lock().unwrap();
            let (due, later) = std::mem::take(&mut *pending)
                .into_iter()
                .partition(|(deadline, _)| *deadline <= now);
            *pending = later;
            due.into_iter().map(|(_, task)| task).collect()
        };
        due.into_iter().for_each(|task| task());
    }
}

#[cfg(test)]
impl Timer for Arc<ManualTimer> {
    fn after(&self, delay: Duration, task: Task) -> Result<(), String> {
        let deadline = *self.now.lock().unwrap() + delay;
        self.pending.lock().unwrap().push((deadline, task));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clears_only_our_latest_code() {
        let clipboard = MemoryClipboard::default();
        let latest = AtomicU64::new(1);
        clipboard.write("123456").unwrap();
        assert!(
            !clear_if_ours(&clipboard, "123456", 0, &latest),
            "superseded"
        );
        assert!(!clear_if_ours(&clipboard, "654321", 1, &latest), "not ours");
        assert_eq!(
            clipboard.read().as_deref().map(String::as_str),
            Some("123456")
        );
        assert!(clear_if_ours(&clipboard, "123456", 1, &latest));
        assert!(clipboard.read().is_none());
    }

    #[test]
    fn a_lock_clears_our_code_at_once_and_leaves_anything_else() {
        let memory = Arc::new(MemoryClipboard::default());
        let board = Board::new(memory.clone());
        // Never cleared by the delay (0), but a lock clears it.
        board.copy(Zeroizing::new("111111".into()), 0).unwrap();
        assert!(board.clear_on_lock());
        assert!(memory.read().is_none());
        // The user copied something else since: the lock leaves it.
        board.copy(Zeroizing::new("222222".into()), 0).unwrap();
        memory.write("a URL the user copied").unwrap();
        assert!(!board.clear_on_lock());
        assert_eq!(
            memory.read().as_deref().map(String::as_str),
            Some("a URL the user copied")
        );
        // Nothing of ours left to clear at the next lock.
        assert!(!board.clear_on_lock());
    }

    #[test]
    fn copy_writes_then_clears_after_the_delay() {
        let memory = Arc::new(MemoryClipboard::default());
        let timer = Arc::new(ManualTimer::default());
        let board = Board::with_timer(memory.clone(), Box::new(Arc::clone(&timer)));
        let shown = || memory.read().as_deref().map(String::to_owned);
        board.copy(Zeroizing::new("111111".into()), 1).unwrap();
        assert_eq!(shown().as_deref(), Some("111111"));
        // Copied something else meanwhile: the timer leaves it alone.
        board.copy(Zeroizing::new("222222".into()), 0).unwrap();
        timer.advance(Duration::from_secs(1));
        assert_eq!(shown().as_deref(), Some("222222"));
        // Ours: still there until the delay has passed, then cleared.
        board.copy(Zeroizing::new("333333".into()), 1).unwrap();
        timer.advance(Duration::from_millis(999));
        assert_eq!(shown().as_deref(), Some("333333"));
        timer.advance(Duration::from_millis(1));
        assert!(memory.read().is_none());
    }
}
