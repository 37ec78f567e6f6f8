//! The shell edge is the only place that reads the clock: the core takes time as a parameter.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tessera_core::UnixTime;

use crate::error::IpcError;

/// Whole seconds since the Unix epoch, now.
pub(crate) fn now() -> Result<UnixTime, IpcError> {
    since_epoch(SystemTime::now())
}

fn since_epoch(time: SystemTime) -> Result<UnixTime, IpcError> {
    time.duration_since(UNIX_EPOCH)
        .map(|elapsed| UnixTime(elapsed.as_secs()))
        .map_err(|_| IpcError::clock())
}

/// One reading of both clocks. Idle time is counted on both and the larger wins: Linux's
/// monotonic clock stops while the machine sleeps (a vault left open at night would still be
/// "idle for a minute" the next morning), and the wall clock can be set back (which must not
/// keep a vault open either).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Moment {
    mono: Instant,
    wall: SystemTime,
}

impl Moment {
    pub(crate) fn now() -> Self {
        Self {
            mono: Instant::now(),
            wall: SystemTime::now(),
        }
    }

    /// How long ago `earlier` was, on whichever clock says longer.
    pub(crate) fn since(&self, earlier: Moment) -> Duration {
        let mono = self.mono.saturating_duration_since(earlier.mono);
        let wall = self.wall.duration_since(earlier.wall).unwrap_or_default();
        mono.max(wall)
    }

    /// The monotonic reading (deadlines that need not survive a suspend: undo, held imports).
    pub(crate) fn instant(&self) -> Instant {
        self.mono
    }

    /// `elapsed` later on both clocks: time spent awake.
    #[cfg(test)]
    pub(crate) fn awake(self, elapsed: Duration) -> Self {
        Self {
            mono: self.mono + elapsed,
            wall: self.wall + elapsed,
        }
    }

    /// `elapsed` later on the wall clock only: what a suspend looks like on Linux.
    #[cfg(test)]
    pub(crate) fn asleep(self, elapsed: Duration) -> Self {
        Self {
            mono: self.mono,
            wall: self.wall + elapsed,
        }
    }

    /// The wall clock set back by `by`, with no time passing.
    #[cfg(test)]
    pub(crate) fn wall_set_back(self, by: Duration) -> Self {
        Self {
            mono: self.mono,
            wall: self.wall - by,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_time_counts_time_asleep_and_survives_a_clock_set_back() {
        let start = Moment::now();
        assert_eq!(
            start.awake(Duration::from_secs(30)).since(start),
            Duration::from_secs(30)
        );
        // A night asleep: the monotonic clock saw nothing, the wall clock eight hours.
        let morning = start
            .awake(Duration::from_secs(10))
            .asleep(Duration::from_secs(8 * 3600));
        assert_eq!(morning.since(start), Duration::from_secs(8 * 3600 + 10));
        // The wall clock set back an hour: the monotonic clock still counts.
        let later = start
            .awake(Duration::from_secs(90))
            .wall_set_back(Duration::from_secs(3600));
        assert_eq!(later.since(start), Duration::from_secs(90));
    }

    #[test]
    fn before_1970_is_a_clock_error() {
        let before = UNIX_EPOCH - Duration::from_secs(1);
        assert_eq!(since_epoch(before).unwrap_err().code, "clock");
        let later = UNIX_EPOCH + Duration::from_millis(1_700_000_000_999);
        assert_eq!(since_epoch(later).unwrap(), UnixTime(1_700_000_000));
    }
}
