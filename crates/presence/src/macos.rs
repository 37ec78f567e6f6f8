//! macOS: `CGEventSourceSecondsSinceLastEventType` for idle time, and the current session
//! dictionary's `CGSSessionScreenIsLocked` for the lock state (present and true only while
//! the screen is locked).
// One unchecked cast of the session dictionary, with its SAFETY comment.
#![allow(unsafe_code)]

use std::time::Duration;

use objc2_core_foundation::{CFBoolean, CFDictionary, CFString, CFType};
use objc2_core_graphics::{
    CGEventSource, CGEventSourceStateID, CGEventType, CGSessionCopyCurrentDictionary,
};

use crate::Reading;

/// `kCGAnyInputEventType`: any keyboard, pointer or tablet event.
const ANY_INPUT: CGEventType = CGEventType(u32::MAX);

#[derive(Default)]
pub(crate) struct Sources;

impl Sources {
    pub(crate) fn read(&mut self) -> Reading {
        let seconds = CGEventSource::seconds_since_last_event_type(
            CGEventSourceStateID::CombinedSessionState,
            ANY_INPUT,
        );
        Reading {
            idle: Duration::try_from_secs_f64(seconds).ok(),
            screen_locked: locked(),
        }
    }

    pub(crate) fn source(&self) -> &'static str {
        "macos"
    }
}

fn locked() -> Option<bool> {
    // `None`: no window-server session (a process started over SSH).
    let session = CGSessionCopyCurrentDictionary()?;
    // SAFETY: the session dictionary's keys are CFStrings and its values CF objects (the
    // documented kCGSession* keys); the typed view only changes how `get` is typed.
    let session: &CFDictionary<CFString, CFType> = unsafe { session.cast_unchecked() };
    let key = CFString::from_static_str("CGSSessionScreenIsLocked");
    Some(
        session
            .get(&key)
            .and_then(|value| value.downcast_ref::<CFBoolean>().map(CFBoolean::as_bool))
            .unwrap_or(false),
    )
}
