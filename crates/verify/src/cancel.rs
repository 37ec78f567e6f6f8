//! Withdrawing an open OS dialog from another thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::Request;

/// A handle that withdraws a running [`crate::Verifier::verify`]: keep a clone, call
/// [`Cancel::cancel`] when the sign-in request is answered elsewhere, expires, or the window
/// closes. Cancelling before the call starts makes it return at once.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A handle not cancelled yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Withdraws the verification (idempotent).
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether [`Cancel::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// How a wait for the OS's answer ended.
#[cfg_attr(
    not(any(target_os = "linux", windows, target_os = "macos")),
    allow(dead_code)
)]
pub(crate) enum Waited<T> {
    /// The OS answered.
    Answer(T),
    /// The caller cancelled.
    Cancelled,
    /// The request's deadline passed.
    TimedOut,
    /// The thread that was to answer went away without a word.
    Lost,
}

/// How often a wait looks at the cancel flag. The OS calls run on their own thread and answer
/// through a channel, so the wait sleeps in the channel and only wakes this often to look at
/// the flag: a cancel takes effect within this delay, a few wake-ups per second cost nothing,
/// and the handle stays a plain flag callers can share freely.
const POLL: Duration = Duration::from_millis(20);

/// Waits for `answer` until the request is cancelled or its deadline passes.
#[cfg_attr(
    not(any(target_os = "linux", windows, target_os = "macos")),
    allow(dead_code)
)]
pub(crate) fn wait<T>(answer: &Receiver<T>, request: &Request) -> Waited<T> {
    loop {
        if request.cancel.is_cancelled() {
            return Waited::Cancelled;
        }
        let mut slice = POLL;
        if let Some(deadline) = request.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Waited::TimedOut;
            }
            slice = slice.min(left);
        }
        match answer.recv_timeout(slice) {
            Ok(value) => return Waited::Answer(value),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Waited::Lost,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn answer_cancel_and_deadline() {
        let (tx, rx) = mpsc::channel();
        tx.send(7).unwrap();
        assert!(matches!(wait(&rx, &Request::new("r")), Waited::Answer(7)));

        let request = Request::new("r");
        request.cancel.cancel();
        assert!(matches!(wait(&rx, &request), Waited::Cancelled));

        let request = Request::new("r").deadline(Instant::now() + Duration::from_millis(30));
        let started = Instant::now();
        assert!(matches!(wait(&rx, &request), Waited::TimedOut));
        assert!(started.elapsed() < Duration::from_secs(1));

        drop(tx);
        assert!(matches!(wait(&rx, &Request::new("r")), Waited::Lost));
    }

    #[test]
    fn a_cancel_from_another_thread_ends_the_wait_quickly() {
        let (_tx, rx) = mpsc::channel::<()>();
        let request = Request::new("r");
        let cancel = request.cancel.clone();
        let started = Instant::now();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            cancel.cancel();
        });
        assert!(matches!(wait(&rx, &request), Waited::Cancelled));
        assert!(started.elapsed() < Duration::from_millis(500));
    }
}
