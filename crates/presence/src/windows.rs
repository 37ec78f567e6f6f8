//! Windows: `GetLastInputInfo` for idle time, the session's lock flag from
//! `WTSQuerySessionInformationW(WTSSessionInfoEx)`.
// Three foreign calls, each with its SAFETY comment.
#![allow(unsafe_code)]

use std::time::Duration;

use windows::Win32::System::RemoteDesktop::{
    WTS_CURRENT_SERVER_HANDLE, WTS_CURRENT_SESSION, WTS_SESSIONSTATE_LOCK, WTSFreeMemory,
    WTSINFOEXW, WTSQuerySessionInformationW, WTSSessionInfoEx,
};
use windows::Win32::System::SystemInformation::GetTickCount;
use windows::Win32::UI::Input::KeyboardAndMouse::{GetLastInputInfo, LASTINPUTINFO};
use windows::core::PWSTR;

use crate::Reading;

#[derive(Default)]
pub(crate) struct Sources;

impl Sources {
    pub(crate) fn read(&mut self) -> Reading {
        Reading {
            idle: idle(),
            screen_locked: locked(),
        }
    }

    pub(crate) fn source(&self) -> &'static str {
        "windows"
    }
}

fn idle() -> Option<Duration> {
    let mut info = LASTINPUTINFO {
        cbSize: u32::try_from(std::mem::size_of::<LASTINPUTINFO>()).ok()?,
        dwTime: 0,
    };
    // SAFETY: `info` is a valid, writable LASTINPUTINFO with cbSize set, as the call requires.
    if !unsafe { GetLastInputInfo(&mut info) }.as_bool() {
        return None;
    }
    // SAFETY: no arguments; reads the tick counter.
    let now = unsafe { GetTickCount() };
    // Both are GetTickCount values (milliseconds, wrapping every 49.7 days).
    Some(Duration::from_millis(now.wrapping_sub(info.dwTime).into()))
}

fn locked() -> Option<bool> {
    let mut buffer = PWSTR::null();
    let mut bytes = 0u32;
    // SAFETY: both out-pointers are valid; on success the buffer is a WTSINFOEXW allocated by
    // the call, freed below with WTSFreeMemory as documented.
    unsafe {
        WTSQuerySessionInformationW(
            Some(WTS_CURRENT_SERVER_HANDLE),
            WTS_CURRENT_SESSION,
            WTSSessionInfoEx,
            &mut buffer,
            &mut bytes,
        )
    }
    .ok()?;
    if buffer.is_null() {
        return None;
    }
    let big_enough = usize::try_from(bytes).ok()? >= std::mem::size_of::<WTSINFOEXW>();
    // SAFETY: the call succeeded and returned at least a WTSINFOEXW (checked above); level 1 is
    // the only level the union has and the one Windows fills.
    let flags = big_enough.then(|| unsafe {
        let info = &*buffer.0.cast::<WTSINFOEXW>();
        (info.Level == 1).then_some(info.Data.WTSInfoExLevel1.SessionFlags)
    });
    // SAFETY: `buffer` came from WTSQuerySessionInformationW and is freed once.
    unsafe { WTSFreeMemory(buffer.0.cast()) };
    // WTS_SESSIONSTATE_LOCK is 0 (Windows 7 and Server 2008 R2 had the two values swapped;
    // neither is supported by Tauri's WebView2).
    flags
        .flatten()
        .map(|flags| u32::try_from(flags).ok() == Some(WTS_SESSIONSTATE_LOCK))
}
