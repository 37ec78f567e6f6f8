//! The managed push service and its state: the pollers, open prompts, server status and held
//! link live in one [`Inner`] behind one mutex. Also here: the UI's push channels, the status
//! sent to them, and the time TOTP codes are computed at. The other modules of `push` add the
//! service's methods, one job each.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Instant;

use tauri::ipc::Channel;
use tessera_core::UnixTime;
use tessera_push::pollers::PollerSet;
use tessera_push::sealed::PushStore;
use tessera_push::transport::{ClientConfig, PollerMode};
use tessera_push::{PushClient, PushToken};
use zeroize::Zeroizing;

use super::book::{Presence, PromptBook, WakeDetector};
use crate::dto::push::{
    ModeDto, PromptDto, PushEvent, PushLinkDto, PushStatusDto, ServerStatusDto,
};
use crate::error::IpcError;

/// privacyIDEA accepts poll timestamps within ±60 s of its clock (protocol doc §5). Beyond
/// this the app compensates, but tells the user their clock is wrong.
const CLOCK_TOLERANCE_SECS: i64 = 60;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Plain book-keeping: consistent after any panic (every change is one insert or remove).
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Managed state: pollers, open prompts, server status, and the UI's push channels.
#[derive(Default)]
pub(crate) struct PushService {
    client: OnceLock<PushClient>,
    inner: Mutex<Inner>,
    channels: Mutex<Vec<Channel<PushEvent>>>,
    /// The user chose to compute TOTP codes at the push server's time (for this session: the
    /// offset is learnt again from every answer, and the real fix is the system clock).
    server_time_for_codes: AtomicBool,
}

#[derive(Default)]
pub(super) struct Inner {
    /// The open push key store; `None` before it could be opened (no token enrolled yet, or a
    /// store that only the vault opens and a vault not unlocked since start).
    pub(super) store: Option<PushStore>,
    /// The last failed attempt to open it: no new one before this instant (a keychain that
    /// does not answer is not asked every second), unless the vault was unlocked since (the
    /// bool: whether it was unlocked then).
    pub(super) store_retry: Option<(Instant, bool)>,
    /// Whether the vault was unlocked at the last tick (an unlock opens or re-binds the store;
    /// a lock drops the held enrollment link).
    pub(super) unlocked: bool,
    /// The `push` section the pollers were started from; `None`: stopped (no store).
    pub(super) fingerprint: Option<String>,
    pub(super) tokens: Vec<Arc<PushToken>>,
    /// One poller per server of `tokens`; `None` until the first sync with tokens (the set
    /// needs Tauri's runtime) and after a stop.
    pub(super) pollers: Option<PollerSet>,
    pub(super) book: PromptBook,
    /// Token id -> the error code its polls keep hitting.
    pub(super) problems: HashMap<String, &'static str>,
    /// Server origin -> whether its poller is backing off.
    pub(super) servers: BTreeMap<String, ServerStatusDto>,
    pub(super) presence: Option<Presence>,
    pub(super) wake: Option<WakeDetector>,
    pub(super) mode: Option<PollerMode>,
    pub(super) on_top: bool,
    /// Requests dropped unshown since start (forged, replayed, unknown serial): counted here
    /// only, never stored.
    pub(super) dropped: u64,
    /// A push enrollment link opened from outside: the text (it holds the one-time enrollment
    /// credential, so it is wiped when dropped) and its preview.
    pub(super) link: Option<(Zeroizing<String>, PushLinkDto)>,
}

impl Inner {
    pub(super) fn presence(&mut self) -> &mut Presence {
        self.presence.get_or_insert(Presence {
            last_focus: None,
            woke: None,
            at_desktop: None,
        })
    }

    pub(super) fn token(&self, id: &str) -> Option<Arc<PushToken>> {
        self.tokens.iter().find(|token| token.id() == id).cloned()
    }

    /// Applies the poll speed the presence calls for; `true` when it changed.
    pub(super) fn apply_mode(&mut self, now: Instant) -> bool {
        let open = !self.book.is_empty();
        let mode = self.presence().mode(now, open);
        if self.mode == Some(mode) {
            return false;
        }
        self.mode = Some(mode);
        if let Some(pollers) = self.pollers.as_mut() {
            pollers.set_mode(mode);
        }
        true
    }
}

impl PushService {
    pub(super) fn client(&self) -> Result<&PushClient, IpcError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = PushClient::new(ClientConfig::default())?;
        Ok(self.client.get_or_init(|| client))
    }

    pub(super) fn inner(&self) -> MutexGuard<'_, Inner> {
        lock(&self.inner)
    }

    pub(crate) fn subscribe(&self, channel: Channel<PushEvent>) {
        lock(&self.channels).push(channel);
    }

    pub(super) fn emit(&self, event: &PushEvent) {
        lock(&self.channels).retain(|channel| channel.send(event.clone()).is_ok());
    }

    pub(super) fn emit_status(&self) {
        let status = self.status();
        self.emit(&PushEvent::Status { status });
    }

    /// Pollers, clock and open prompts.
    pub(crate) fn status(&self) -> PushStatusDto {
        let offset = self.client.get().map(PushClient::clock_offset);
        let inner = self.inner();
        let mode = match (
            inner.fingerprint.is_some()
                && inner.pollers.as_ref().is_some_and(|set| !set.is_empty()),
            inner.mode,
        ) {
            (false, _) => ModeDto::Stopped,
            (true, Some(PollerMode::Idle)) => ModeDto::Idle,
            (true, _) => ModeDto::Active,
        };
        let clock_offset_secs = offset.map_or(0, |offset| offset.seconds());
        PushStatusDto {
            mode,
            servers: inner.servers.values().cloned().collect(),
            clock_offset_secs,
            clock_warning: clock_offset_secs.abs() > CLOCK_TOLERANCE_SECS,
            prompts: inner
                .book
                .iter()
                .map(|prompt| PromptDto::new(&prompt.token, &prompt.request))
                .collect(),
            link: inner.link.as_ref().map(|(_, preview)| preview.clone()),
            server_time_for_codes: self.server_time_for_codes.load(Ordering::Relaxed),
            dropped_count: inner.dropped,
        }
    }

    /// Computes TOTP codes at the push server's time from now on (or stops doing so).
    pub(crate) fn use_server_time(&self, enabled: bool) {
        self.server_time_for_codes.store(enabled, Ordering::Relaxed);
        self.emit_status();
    }

    /// The instant codes are computed at: `local`, or the push server's time when the user
    /// chose it and an offset is known (a machine whose clock is wrong gets right codes).
    pub(crate) fn code_time(&self, local: UnixTime) -> UnixTime {
        if !self.server_time_for_codes.load(Ordering::Relaxed) {
            return local;
        }
        let offset = self
            .client
            .get()
            .map_or(0, |client| client.clock_offset().seconds());
        UnixTime(local.0.saturating_add_signed(offset))
    }
}
