//! The shell edge is the only place that reads the clock: the core takes time as a parameter.

use std::time::{SystemTime, UNIX_EPOCH};

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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn before_1970_is_a_clock_error() {
        let before = UNIX_EPOCH - Duration::from_secs(1);
        assert_eq!(since_epoch(before).unwrap_err().code, "clock");
        let later = UNIX_EPOCH + Duration::from_millis(1_700_000_000_999);
        assert_eq!(since_epoch(later).unwrap(), UnixTime(1_700_000_000));
    }
}
