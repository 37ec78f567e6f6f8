//! One [`Poller`] per server for a changing set of tokens, their events merged into one stream:
//! the supervision both shells need (the desktop app re-syncs it whenever the stored tokens
//! change; `tessera push watch` starts it once).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;

use tokio::sync::mpsc;

use crate::store::PushToken;
use crate::transport::{PollEvent, Poller, PollerMode, PushClient, Schedule};

/// An event of the poller of `server` (the origin tokens are grouped by).
#[derive(Debug)]
pub struct ServerEvent {
    /// [`PushToken::server`] of the poller that reported it.
    pub server: String,
    /// What it reported.
    pub event: PollEvent,
}

/// `tokens` grouped by [`PushToken::server`], in server order: one poller (or one poll round)
/// per server.
pub fn by_server(tokens: &[Arc<PushToken>]) -> BTreeMap<String, Vec<Arc<PushToken>>> {
    let mut by_server: BTreeMap<String, Vec<Arc<PushToken>>> = BTreeMap::new();
    for token in tokens {
        by_server
            .entry(token.server().to_owned())
            .or_default()
            .push(Arc::clone(token));
    }
    by_server
}

/// What [`PollerSet::set_tokens`] changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Servers whose poller was started.
    pub started: Vec<String>,
    /// Servers whose poller was stopped (no token left there).
    pub stopped: Vec<String>,
}

/// The pollers of a set of tokens. Pollers stop when the set is dropped.
pub struct PollerSet {
    client: PushClient,
    schedule: Schedule,
    mode: PollerMode,
    pollers: BTreeMap<String, Poller>,
    events: mpsc::Sender<ServerEvent>,
}

impl std::fmt::Debug for PollerSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PollerSet")
            .field("servers", &self.pollers.keys().collect::<Vec<_>>())
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

impl PollerSet {
    /// An empty set; its pollers report on the returned receiver.
    pub fn new(
        client: PushClient,
        schedule: Schedule,
        mode: PollerMode,
    ) -> (Self, mpsc::Receiver<ServerEvent>) {
        let (events, receiver) = mpsc::channel(64);
        let set = Self {
            client,
            schedule,
            mode,
            pollers: BTreeMap::new(),
            events,
        };
        (set, receiver)
    }

    /// Polls exactly `tokens`: a poller starts for each new server (on the current tokio
    /// runtime; it remembers `handled`, the nonces of [`crate::store::seen_nonces`], for
    /// replay detection), the others get their new token lists, and servers with no token left stop.
    pub fn set_tokens(
        &mut self,
        tokens: &[Arc<PushToken>],
        handled: &[(String, SystemTime)],
    ) -> Changes {
        let by_server = by_server(tokens);
        let mut changes = Changes::default();
        self.pollers.retain(|server, _| {
            let keep = by_server.contains_key(server);
            if !keep {
                changes.stopped.push(server.clone());
            }
            keep
        });
        for (server, server_tokens) in by_server {
            if let Some(poller) = self.pollers.get(&server) {
                poller.set_tokens(server_tokens);
                continue;
            }
            let (poller, mut receiver) =
                Poller::spawn(self.client.clone(), server_tokens, self.schedule, self.mode);
            poller.remember(handled.iter().cloned());
            let events = self.events.clone();
            let tagged = server.clone();
            tokio::spawn(async move {
                while let Some(event) = receiver.recv().await {
                    let event = ServerEvent {
                        server: tagged.clone(),
                        event,
                    };
                    if events.send(event).await.is_err() {
                        return; // Nobody listens any more.
                    }
                }
            });
            self.pollers.insert(server.clone(), poller);
            changes.started.push(server);
        }
        changes
    }

    /// Fast or slow polling for every server (switching to fast polls at once).
    pub fn set_mode(&mut self, mode: PollerMode) {
        self.mode = mode;
        for poller in self.pollers.values() {
            poller.set_mode(mode);
        }
    }

    /// Polls every server now.
    pub fn check_now(&self) {
        for poller in self.pollers.values() {
            poller.check_now();
        }
    }

    /// Records that `nonce`, polled from `server`, was answered (see [`Poller::answered`]).
    pub fn answered(&self, server: &str, nonce: &str, now: SystemTime) {
        if let Some(poller) = self.pollers.get(server) {
            poller.answered(nonce, now);
        }
    }

    /// The servers being polled, in order.
    pub fn servers(&self) -> impl Iterator<Item = &str> {
        self.pollers.keys().map(String::as_str)
    }

    /// Whether nothing is polled.
    pub fn is_empty(&self) -> bool {
        self.pollers.is_empty()
    }

    /// Poll requests sent so far by every poller (for the polls-per-minute measurement).
    pub fn polls_sent(&self) -> u64 {
        self.pollers.values().map(Poller::polls_sent).sum()
    }

    /// Stops every poller.
    pub fn clear(&mut self) {
        self.pollers.clear();
    }
}
