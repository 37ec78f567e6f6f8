//! Server time: poll timestamps and the offset learnt from the `Date` header.
//!
//! privacyIDEA refuses a poll whose timestamp is more than 60 s from its clock (doc §5), so a
//! machine with a wrong clock cannot receive prompts. Every HTTP answer carries a `Date`
//! header; the offset it gives (1 s resolution) is added to the local clock when signing.
//! The same offset can correct TOTP codes on such a machine.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, SecondsFormat, Utc};

/// Server time minus local time, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct ClockOffset(i64);

/// Offsets smaller than this are noise from the header's whole seconds and the round trip.
const NOISE_MS: i64 = 2_000;

impl ClockOffset {
    /// No correction.
    pub const ZERO: Self = Self(0);

    /// An offset of `millis` (server minus local).
    pub fn from_millis(millis: i64) -> Self {
        Self(millis)
    }

    /// Reads an HTTP `Date` header (IMF-fixdate, e.g. `Sun, 29 Nov 2026 10:09:00 GMT`) received
    /// when the local clock said `local`. `None` when the header is not a date.
    ///
    /// The header is truncated to whole seconds, so half a second is added; offsets under 2 s
    /// are reported as zero so that a correct clock is never "corrected" by rounding.
    pub fn from_date_header(date: &str, local: SystemTime) -> Option<Self> {
        let server = DateTime::parse_from_rfc2822(date.trim()).ok()?;
        let server_ms = server.timestamp_millis().checked_add(500)?;
        let offset = server_ms.checked_sub(unix_millis(local))?;
        Some(if offset.abs() < NOISE_MS {
            Self::ZERO
        } else {
            Self(offset)
        })
    }

    /// Whether the offset is at most `bound` either way.
    pub fn within(self, bound: Duration) -> bool {
        u128::from(self.0.unsigned_abs()) <= bound.as_millis()
    }

    /// Milliseconds, server minus local.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// Whole seconds, rounded toward zero (for messages and TOTP).
    pub fn seconds(self) -> i64 {
        self.0 / 1000
    }

    /// The server's time when the local clock says `local`.
    pub fn apply(self, local: SystemTime) -> SystemTime {
        let magnitude = Duration::from_millis(self.0.unsigned_abs());
        if self.0 >= 0 {
            local.checked_add(magnitude).unwrap_or(local)
        } else {
            local.checked_sub(magnitude).unwrap_or(local)
        }
    }
}

fn unix_millis(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// The poll timestamp as privacyIDEA reads it: RFC 3339 in UTC with microseconds and `Z`,
/// e.g. `2026-11-29T10:09:00.797327Z` (verified against 3.14, doc §5).
pub fn format_timestamp(time: SystemTime) -> String {
    DateTime::<Utc>::from(time).to_rfc3339_opts(SecondsFormat::Micros, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64, millis: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(millis)
    }

    #[test]
    fn timestamp_form_is_exact() {
        let time = at(1_795_946_940, 797) + Duration::from_micros(327);
        assert_eq!(format_timestamp(time), "2026-11-29T10:09:00.797327Z");
        assert_eq!(format_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000000Z");
    }

    #[test]
    fn offset_from_date_header() {
        let date = "Sun, 29 Nov 2026 10:09:00 GMT";
        // Local clock ten minutes slow.
        let offset = ClockOffset::from_date_header(date, at(1_795_946_940 - 600, 0)).unwrap();
        assert_eq!(offset.millis(), 600_500);
        assert_eq!(offset.seconds(), 600);
        // Local clock 1.2 s ahead: noise, no correction.
        let offset = ClockOffset::from_date_header(date, at(1_795_946_941, 200)).unwrap();
        assert_eq!(offset, ClockOffset::ZERO);
        // Local clock an hour fast.
        let offset = ClockOffset::from_date_header(date, at(1_795_946_940 + 3600, 0)).unwrap();
        assert_eq!(offset.millis(), -3_599_500);
        assert!(ClockOffset::from_date_header("yesterday", at(0, 0)).is_none());
        assert!(ClockOffset::from_date_header("", at(0, 0)).is_none());
    }

    #[test]
    fn within_bounds_both_ways() {
        let day = Duration::from_secs(86_400);
        assert!(ClockOffset::from_millis(86_400_000).within(day));
        assert!(ClockOffset::from_millis(-86_400_000).within(day));
        assert!(!ClockOffset::from_millis(86_400_001).within(day));
        assert!(!ClockOffset::from_millis(i64::MIN).within(day));
        assert!(ClockOffset::ZERO.within(Duration::ZERO));
    }

    #[test]
    fn apply_moves_both_ways() {
        let local = at(1000, 0);
        assert_eq!(ClockOffset::from_millis(1500).apply(local), at(1001, 500));
        assert_eq!(ClockOffset::from_millis(-1500).apply(local), at(998, 500));
        assert_eq!(ClockOffset::ZERO.apply(local), local);
    }
}
