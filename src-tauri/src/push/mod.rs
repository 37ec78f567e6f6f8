//! Push sign-in approvals in the app (privacyIDEA push, poll-only; issue 7).
//!
//! [`PushService`] is managed Tauri state. Whenever Tessera runs, window shown or hidden, vault
//! unlocked or locked, it runs one `tessera_push` [`Poller`] per server on Tauri's tokio
//! runtime, fast while the window is in use, just after a wake or while a prompt is open, slow
//! otherwise, with the poller's own back-off when a server is down. The tokens come from the
//! push key store ([`tessera_push::sealed`]), not from the vault: it opens at start through its
//! own keychain entry (or at the first unlock), holds the device keys and nothing else, and
//! stays open when the vault locks, so only what polling needs is usable in the background.
//! The tick thread of [`spawn_tick`] notices unlocks (the store is made or re-bound then), token
//! changes (the CLI enrolling, say), window visibility and waking from sleep.
//!
//! Only `PushRequest<Verified>` reaches the book of open prompts and the UI; what the poller
//! drops (forged, replayed, unknown serial, expired) is only counted, in memory: unverified, its
//! nonce written to the activity log would pass for seen and hide the genuine request. Answers
//! are signed and sent by `tessera_push`; every outcome goes to the activity log.
//!
//! The prompt is an in-app modal in the main window (over the lock screen when the vault is
//! locked), which is brought to the front and kept on top while a prompt is open: one webview
//! keeps the IPC surface and the capability to a single window (no second window that must also
//! be denied everything else).
//!
//! The service is split by job, in layers (each module uses only those listed before it):
//! [`book`] (prompts, presence, wake; no I/O), [`service`] (the managed state and its status),
//! [`keystore`] (opening the push key store), [`attention`] (window and notification),
//! [`activity`] (the log), [`events`] (what the pollers report), [`polling`] (poller
//! supervision), [`approve`] (answers), [`tokens`], [`enroll`], [`link`] (a link opened from
//! outside) and [`tick`].

mod activity;
mod approve;
mod attention;
pub(crate) mod book;
mod enroll;
mod events;
mod keystore;
mod link;
mod polling;
mod service;
#[cfg(test)]
mod tests;
mod tick;
mod tokens;

pub(crate) use self::service::PushService;
pub(crate) use self::tick::spawn_tick;
