//! The app's push book-keeping without I/O: the prompts waiting for an answer, how fast to poll
//! (presence), and noticing that the machine woke from sleep. The service (`service.rs` and its
//! siblings) feeds it clock readings and poller events; everything here is unit-tested with
//! made-up times.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tessera_push::transport::PollerMode;
use tessera_push::{PushRequest, PushToken, Verified};

/// Without input at the desktop for this long, the user is away: slow polling.
pub(crate) const AWAY_AFTER: Duration = Duration::from_secs(120);
/// Fast polling continues this long after the window was last visible and focused (only where
/// the OS gives no idle time).
pub(crate) const ACTIVE_AFTER_FOCUS: Duration = Duration::from_secs(120);
/// Fast polling this long after the machine woke up: a sign-in is likely (the user is back).
pub(crate) const ACTIVE_AFTER_WAKE: Duration = Duration::from_secs(60);
/// The wall clock running ahead of the monotonic clock by more than this between two ticks
/// means the machine was suspended (Linux's monotonic clock stops during suspend).
const SUSPEND_GAP: Duration = Duration::from_secs(5);

/// A verified request waiting for the user, with the token that answers it.
pub(crate) struct Prompt {
    pub(crate) token: Arc<PushToken>,
    pub(crate) request: PushRequest<Verified>,
}

/// The open prompts, in arrival order. Only `PushRequest<Verified>` can enter: the poller
/// verified both server signatures before handing it over.
#[derive(Default)]
pub(crate) struct PromptBook {
    prompts: Vec<Prompt>,
}

impl PromptBook {
    /// Adds a prompt; a nonce already open is ignored (returns `false`).
    pub(crate) fn add(&mut self, token: Arc<PushToken>, request: PushRequest<Verified>) -> bool {
        if self.get(request.nonce()).is_some() {
            return false;
        }
        self.prompts.push(Prompt { token, request });
        true
    }

    pub(crate) fn get(&self, nonce: &str) -> Option<&Prompt> {
        self.prompts
            .iter()
            .find(|prompt| prompt.request.nonce() == nonce)
    }

    pub(crate) fn remove(&mut self, nonce: &str) -> Option<Prompt> {
        let index = self
            .prompts
            .iter()
            .position(|prompt| prompt.request.nonce() == nonce)?;
        Some(self.prompts.remove(index))
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Prompt> {
        self.prompts.iter()
    }

    pub(crate) fn nonces(&self) -> Vec<String> {
        self.prompts
            .iter()
            .map(|prompt| prompt.request.nonce().to_owned())
            .collect()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.prompts.is_empty()
    }

    pub(crate) fn clear(&mut self) {
        self.prompts.clear();
    }
}

/// What decides the poll speed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Presence {
    /// When the main window was last seen visible and focused (`None`: not since start).
    pub(crate) last_focus: Option<Instant>,
    /// When the machine last woke from sleep or the screen was last unlocked.
    pub(crate) woke: Option<Instant>,
    /// Whether the OS says the user is at the computer (input within [`AWAY_AFTER`], screen
    /// not locked); `None` where the OS does not say (then the window's focus decides).
    pub(crate) at_desktop: Option<bool>,
}

impl Presence {
    /// Fast while the user is at the desktop (any application, not only Tessera's window: a
    /// sign-in starts in a browser), right after a wake or screen unlock, and while a prompt is
    /// open (the user is answering; withdrawals show quickly); slow while away or with the
    /// screen locked. Without an OS idle source, the window's focus within
    /// [`ACTIVE_AFTER_FOCUS`] stands in for presence.
    pub(crate) fn mode(&self, now: Instant, prompts_open: bool) -> PollerMode {
        let within = |at: Option<Instant>, span: Duration| {
            at.is_some_and(|at| now.saturating_duration_since(at) < span)
        };
        let present = self
            .at_desktop
            .unwrap_or_else(|| within(self.last_focus, ACTIVE_AFTER_FOCUS));
        if prompts_open || present || within(self.woke, ACTIVE_AFTER_WAKE) {
            PollerMode::Active
        } else {
            PollerMode::Idle
        }
    }
}

/// Turns polled screen-lock readings into lock and unlock edges (Windows and macOS have no
/// signal Tessera listens to; on Linux logind's `LockedHint` backs up its `Lock` signal).
#[derive(Default)]
pub(crate) struct ScreenLockEdges {
    last: Option<bool>,
}

impl ScreenLockEdges {
    /// `Some(true)`: the screen was just locked; `Some(false)`: just unlocked. The first
    /// reading is no edge (a screen locked before Tessera started is not news), nor is a
    /// source that stops answering.
    pub(crate) fn edge(&mut self, locked: Option<bool>) -> Option<bool> {
        let locked = locked?;
        let previous = self.last.replace(locked);
        (previous.is_some_and(|previous| previous != locked)).then_some(locked)
    }
}

/// Notices a suspend/resume from the two clocks read at each tick.
pub(crate) struct WakeDetector {
    last: Option<(SystemTime, Instant)>,
}

impl WakeDetector {
    pub(crate) fn new() -> Self {
        Self { last: None }
    }

    /// Returns `true` when, since the previous tick, the wall clock moved ahead of the monotonic
    /// clock by more than [`SUSPEND_GAP`]: the machine slept. (A wall clock set back, or an NTP
    /// step forward under the gap, is not a wake.)
    pub(crate) fn tick(&mut self, wall: SystemTime, mono: Instant) -> bool {
        let woke = self.last.is_some_and(|(last_wall, last_mono)| {
            let wall_step = wall.duration_since(last_wall).unwrap_or_default();
            let mono_step = mono.saturating_duration_since(last_mono);
            wall_step.saturating_sub(mono_step) > SUSPEND_GAP
        });
        self.last = Some((wall, mono));
        woke
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_is_active_at_the_desktop_after_wake_and_with_prompts() {
        let start = Instant::now();
        let at = |secs: u64| start + Duration::from_secs(secs);
        let presence = |last_focus: Option<u64>, woke: Option<u64>, at_desktop| Presence {
            last_focus: last_focus.map(at),
            woke: woke.map(at),
            at_desktop,
        };
        use PollerMode::{Active, Idle};
        let cases = [
            (
                "nobody, no OS source",
                presence(None, None, None),
                0,
                false,
                Idle,
            ),
            (
                "a prompt is open",
                presence(None, None, Some(false)),
                0,
                true,
                Active,
            ),
            (
                "at the desktop, window never used",
                presence(None, None, Some(true)),
                0,
                false,
                Active,
            ),
            (
                "away, window used a second ago",
                presence(Some(9), None, Some(false)),
                10,
                false,
                Idle,
            ),
            (
                "no OS source, window used 119 s ago",
                presence(Some(10), None, None),
                129,
                false,
                Active,
            ),
            (
                "no OS source, window used 120 s ago",
                presence(Some(10), None, None),
                130,
                false,
                Idle,
            ),
            (
                "away, woke 59 s ago",
                presence(None, Some(100), Some(false)),
                159,
                false,
                Active,
            ),
            (
                "away, woke 60 s ago",
                presence(None, Some(100), Some(false)),
                160,
                false,
                Idle,
            ),
        ];
        for (name, presence, now, prompts_open, want) in cases {
            assert_eq!(presence.mode(at(now), prompts_open), want, "{name}");
        }
    }

    #[test]
    fn screen_lock_edges_come_from_changes_only() {
        let mut edges = ScreenLockEdges::default();
        assert_eq!(edges.edge(Some(true)), None, "locked at start is no edge");
        assert_eq!(edges.edge(Some(true)), None);
        assert_eq!(edges.edge(Some(false)), Some(false), "unlocked");
        assert_eq!(edges.edge(None), None, "a source that stops answering");
        assert_eq!(edges.edge(Some(false)), None);
        assert_eq!(edges.edge(Some(true)), Some(true), "locked");
    }

    #[test]
    fn a_wall_clock_jump_without_monotonic_time_is_a_wake() {
        let mono = Instant::now();
        let wall = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_946_876);
        let mut detector = WakeDetector::new();
        assert!(!detector.tick(wall, mono));
        // A normal second.
        assert!(!detector.tick(wall + Duration::from_secs(1), mono + Duration::from_secs(1)));
        // Slept ten minutes: the wall clock moved 600 s, the monotonic one 1 s.
        assert!(detector.tick(
            wall + Duration::from_secs(602),
            mono + Duration::from_secs(2)
        ));
        // Small NTP correction forward, and the clock set back: no wake.
        assert!(!detector.tick(
            wall + Duration::from_secs(606),
            mono + Duration::from_secs(3)
        ));
        assert!(!detector.tick(wall, mono + Duration::from_secs(4)));
    }
}
