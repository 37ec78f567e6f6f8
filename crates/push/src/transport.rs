//! The protocol over HTTP: tokio + reqwest (rustls, ring), with timeouts and body caps, the
//! clock offset from `Date` headers, and a [`Poller`] per server.
//!
//! A hostile or broken server (garbage, huge bodies, a connection that never answers) ends in
//! a [`PushError`] within [`ClientConfig::timeout`]; it can neither hang nor crash the caller.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::header::{CONTENT_LENGTH, DATE};
use tessera_core::UnixTime;
use tokio::sync::{Notify, mpsc};

use crate::PushError;
use crate::protocol::{
    Admission, AnswerOutcome, ClockOffset, Decision, DeviceKey, EnrollmentUri, Inbox, KeySize,
    PollRequest, PushRequest, Unverified, Verified, expires_at, is_loopback, parse_answer_response,
    parse_enroll_response, parse_poll_response,
};
use crate::store::PushToken;

/// The local clock. Injected so tests can run with a skewed clock; the app passes
/// `SystemTime::now`.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Limits and the clock of a [`PushClient`].
#[derive(Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// Whole request, connect to last body byte.
    pub timeout: Duration,
    /// TCP + TLS connect.
    pub connect_timeout: Duration,
    /// Largest response body read; more is [`PushError::BodyTooLarge`]. A poll answer with a
    /// few challenges is 2-10 KB; the enrollment answer about 2 KB.
    pub max_body: usize,
    /// The local clock.
    pub clock: Clock,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            max_body: 256 * 1024,
            clock: Arc::new(SystemTime::now),
        }
    }
}

impl ClientConfig {
    /// The defaults with another clock.
    pub fn with_clock(clock: Clock) -> Self {
        Self {
            clock,
            ..Self::default()
        }
    }
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// Makes a device key on tokio's blocking pool (seconds of CPU: keep it off the UI thread).
pub async fn make_device_key(size: KeySize) -> Result<DeviceKey, PushError> {
    tokio::task::spawn_blocking(move || DeviceKey::make(size))
        .await
        .map_err(|_| PushError::Key)?
}

/// What one poll returned.
#[derive(Debug)]
pub struct Polled {
    /// The requests, not yet verified.
    pub requests: Vec<PushRequest<Unverified>>,
    /// Entries dropped because they were malformed.
    pub malformed: usize,
}

/// HTTP side of push. Cheap to clone (shared connection pools and clock offset).
#[derive(Clone, Debug)]
pub struct PushClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// TLS certificates checked (the default, `sslverify=1`).
    verifying: reqwest::Client,
    /// For tokens enrolled with `sslverify=0` only.
    trusting: reqwest::Client,
    config: ClientConfig,
    offset: Mutex<ClockOffset>,
}

pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding these locks leaves plain data behind (an offset, a nonce book):
    // still usable, so poisoning is ignored.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl PushClient {
    /// A client with `config`. Installs rustls' ring provider as the process default when no
    /// provider is installed yet (an app that installed its own keeps it).
    pub fn new(config: ClientConfig) -> Result<Self, PushError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let build = |verify: bool| {
            reqwest::Client::builder()
                .timeout(config.timeout)
                .connect_timeout(config.connect_timeout)
                .read_timeout(config.timeout)
                // Signed requests go only where the token or the signed request says.
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("Tessera/", env!("CARGO_PKG_VERSION")))
                .tls_danger_accept_invalid_certs(!verify)
                .build()
                .map_err(|error| PushError::Network(Box::new(error)))
        };
        Ok(Self {
            inner: Arc::new(Inner {
                verifying: build(true)?,
                trusting: build(false)?,
                config,
                offset: Mutex::new(ClockOffset::ZERO),
            }),
        })
    }

    /// Server time minus local time, as learnt from the last `Date` header. Show a warning
    /// when it is large; TOTP codes can use it too.
    pub fn clock_offset(&self) -> ClockOffset {
        *lock(&self.inner.offset)
    }

    /// Sets the offset (e.g. restored from the last session).
    pub fn set_clock_offset(&self, offset: ClockOffset) {
        *lock(&self.inner.offset) = offset;
    }

    pub(crate) fn now(&self) -> SystemTime {
        (self.inner.config.clock)()
    }

    /// Builds a request with the client that checks TLS certificates (`sslverify`) or the one
    /// that does not, and sends it with this client's limits; also used by
    /// [`crate::selfservice`]. One flag picks the client and says how far its `Date` header
    /// can be trusted, so the two cannot disagree.
    pub(crate) async fn send(
        &self,
        sslverify: bool,
        build: impl FnOnce(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Response, PushError> {
        let http = if sslverify {
            &self.inner.verifying
        } else {
            &self.inner.trusting
        };
        let mut response = build(http).send().await.map_err(map_reqwest)?;
        // The offset moves poll timestamps and, when the user asks, TOTP codes: only a server
        // whose answer nobody in between could have written may set it (certificate-checked
        // TLS, or this computer), and never by more than MAX_OFFSET.
        if trusted_transport(response.url(), sslverify)
            && let Some(date) = response
                .headers()
                .get(DATE)
                .and_then(|value| value.to_str().ok())
            && let Some(offset) = ClockOffset::from_date_header(date, self.now())
            && offset.within(MAX_OFFSET)
        {
            *lock(&self.inner.offset) = offset;
        }
        let status = response.status().as_u16();
        let limit = self.inner.config.max_body;
        let declared = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit as u64) {
            return Err(PushError::BodyTooLarge { limit });
        }
        // Sized from Content-Length when given, so a body holding a secret (a self-service
        // enrollment answer) is not left behind in a freed, smaller buffer by a reallocation.
        let mut body = Vec::with_capacity(declared.map_or(0, |length| length as usize));
        while let Some(chunk) = response.chunk().await.map_err(map_reqwest)? {
            if body.len() + chunk.len() > limit {
                return Err(PushError::BodyTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response { status, body })
    }

    /// Enrollment step 2: sends the device's public key, receives the server's, and returns
    /// the finished token (to store with [`crate::store::save_token`]).
    pub async fn enroll(
        &self,
        uri: &EnrollmentUri,
        device_key: DeviceKey,
    ) -> Result<PushToken, PushError> {
        // Callers check before making the key; this guards every path that sends.
        uri.check_transport()?;
        let request = uri.enroll_request(&device_key)?;
        let response = self
            .send(uri.sslverify(), |http| {
                http.post(request.url().clone()).form(&request.form())
            })
            .await?;
        let server_key = parse_enroll_response(response.status, &response.body)?;
        let enrolled = UnixTime(
            self.now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|since| since.as_secs())
                .unwrap_or_default(),
        );
        Ok(PushToken::new(uri, device_key, server_key, enrolled))
    }

    /// Polls `token` for open requests. A timestamp refused as out of range is retried once
    /// with the offset the refusal's `Date` header gave; a second refusal is
    /// [`PushError::ClockSkew`].
    pub async fn poll(&self, token: &PushToken) -> Result<Polled, PushError> {
        let mut retried = false;
        loop {
            let offset = self.clock_offset();
            let poll =
                PollRequest::new(token.serial(), offset.apply(self.now()), token.device_key());
            let response = self
                .send(token.sslverify(), |http| {
                    http.get(token.url()).query(poll.query())
                })
                .await?;
            match parse_poll_response(response.status, &response.body, self.now()) {
                Ok((requests, malformed)) => {
                    return Ok(Polled {
                        requests,
                        malformed,
                    });
                }
                Err(PushError::ClockSkew { .. }) if !retried && self.clock_offset() != offset => {
                    retried = true;
                }
                Err(PushError::ClockSkew { .. }) => {
                    return Err(PushError::ClockSkew {
                        offset_secs: self.clock_offset().seconds(),
                    });
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Sends the user's decision on `request` (which must belong to `token`) and returns the
    /// server's verdict; `display_code` is set for code-to-phone.
    pub async fn answer(
        &self,
        token: &PushToken,
        request: &PushRequest<Verified>,
        decision: &Decision,
    ) -> Result<AnswerOutcome, PushError> {
        if request.serial() != token.serial() {
            return Err(PushError::UnknownSerial);
        }
        if self.now() >= expires_at(request) {
            return Err(PushError::Expired);
        }
        let answer = request.answer(token.device_key(), decision)?;
        let response = self
            .send(token.sslverify(), |http| {
                http.post(answer.url().clone()).form(answer.form())
            })
            .await?;
        parse_answer_response(response.status, &response.body)
    }
}

/// The largest clock offset taken from a server: a machine clock off by more than a day is
/// not a drift to correct but a header to distrust (a far offset would make TOTP codes of
/// another day).
pub const MAX_OFFSET: Duration = Duration::from_secs(24 * 3600);

/// Whether an answer from `url`, read with certificate checks on or off (`sslverify`), came
/// from the server itself: over TLS with its certificate checked, or from this computer.
fn trusted_transport(url: &reqwest::Url, sslverify: bool) -> bool {
    match url.scheme() {
        "https" => sslverify,
        "http" => is_loopback(url),
        _ => false,
    }
}

fn map_reqwest(error: reqwest::Error) -> PushError {
    if error.is_timeout() {
        PushError::Timeout
    } else {
        // The URL carries the poll signature and serial: keep it out of messages and logs.
        PushError::Network(Box::new(error.without_url()))
    }
}

/// How often a [`Poller`] polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Schedule {
    /// While the app is in use or a sign-in is likely: 3 s is 20 polls a minute per token.
    pub active: Duration,
    /// While idle: 15 s is 4 polls a minute per token.
    pub idle: Duration,
    /// First retry after the server failed; doubled on each failure up to `backoff_max`.
    pub backoff_start: Duration,
    /// Longest wait between retries while the server is down.
    pub backoff_max: Duration,
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            active: Duration::from_secs(3),
            idle: Duration::from_secs(15),
            backoff_start: Duration::from_secs(5),
            backoff_max: Duration::from_secs(300),
        }
    }
}

impl Schedule {
    /// A schedule with these intervals.
    pub fn new(
        active: Duration,
        idle: Duration,
        backoff_start: Duration,
        backoff_max: Duration,
    ) -> Self {
        Self {
            active,
            idle,
            backoff_start,
            backoff_max,
        }
    }
}

/// Whether the user is around.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollerMode {
    /// App in use, just woken, or a sign-in just started: poll fast.
    Active,
    /// Nobody looking: poll slowly.
    Idle,
}

/// What a [`Poller`] reports.
#[derive(Debug)]
// Requests are the events that matter; a few hundred bytes per event in a 64-slot channel.
#[allow(clippy::large_enum_variant)]
#[non_exhaustive]
pub enum PollEvent {
    /// A new, verified request: prompt the user.
    Request {
        /// [`PushToken::id`] of the token.
        token_id: String,
        /// The request.
        request: PushRequest<Verified>,
    },
    /// A request dropped without showing it (forged or altered, replayed, unknown serial,
    /// expired): count it, store nothing. Its texts are not given and its nonce is not to be
    /// kept: they are unverified, and a stored forgery's nonce would hide the genuine request.
    Dropped {
        /// The polled token.
        token_id: String,
        /// The nonce it claimed.
        nonce: String,
        /// Why.
        error: PushError,
    },
    /// A shown request expired unanswered: close its prompt.
    Expired {
        /// The token.
        token_id: String,
        /// The request.
        nonce: String,
    },
    /// A shown request is no longer open on the server (answered elsewhere, cancelled):
    /// close its prompt.
    Withdrawn {
        /// The token.
        token_id: String,
        /// The request.
        nonce: String,
    },
    /// A token-level problem that retrying will not fix: the server no longer knows the token
    /// ("revoked by your organisation"), polling is forbidden, or the clock is too far off.
    /// Reported when it starts (not on every poll).
    TokenProblem {
        /// The token.
        token_id: String,
        /// The problem.
        error: PushError,
    },
    /// The server failed (unreachable, timeout, 5xx, garbage); retrying with back-off.
    ServerDown {
        /// Why.
        error: PushError,
        /// The wait before the next try.
        retry_in: Duration,
    },
    /// The server answers again after [`PollEvent::ServerDown`].
    ServerUp,
}

struct Shared {
    tokens: Mutex<Vec<Arc<PushToken>>>,
    inbox: Mutex<Inbox>,
    mode: Mutex<PollerMode>,
    wake: Notify,
    polls: std::sync::atomic::AtomicU64,
}

/// A background task that polls the tokens of one server, verifies what comes back, and
/// reports [`PollEvent`]s. Stops when dropped, when [`Poller::stop`] is called, or when the
/// event receiver is dropped.
pub struct Poller {
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Poller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller").finish_non_exhaustive()
    }
}

impl Poller {
    /// Starts polling `tokens` (all on one server) on the current tokio runtime. Polls once
    /// right away.
    pub fn spawn(
        client: PushClient,
        tokens: Vec<Arc<PushToken>>,
        schedule: Schedule,
        mode: PollerMode,
    ) -> (Self, mpsc::Receiver<PollEvent>) {
        let (events, receiver) = mpsc::channel(64);
        let shared = Arc::new(Shared {
            tokens: Mutex::new(tokens),
            inbox: Mutex::new(Inbox::new()),
            mode: Mutex::new(mode),
            wake: Notify::new(),
            polls: std::sync::atomic::AtomicU64::new(0),
        });
        let task = tokio::spawn(run(client, Arc::clone(&shared), schedule, events));
        (Self { shared, task }, receiver)
    }

    /// Polls now (the user clicked "check now", or the machine woke up).
    pub fn check_now(&self) {
        self.shared.wake.notify_one();
    }

    /// Switches between fast and slow polling; switching to active polls at once.
    pub fn set_mode(&self, mode: PollerMode) {
        let previous = std::mem::replace(&mut *lock(&self.shared.mode), mode);
        if previous != mode && mode == PollerMode::Active {
            self.shared.wake.notify_one();
        }
    }

    /// Replaces the polled tokens (after an enrollment, rename or removal).
    pub fn set_tokens(&self, tokens: Vec<Arc<PushToken>>) {
        *lock(&self.shared.tokens) = tokens;
        self.shared.wake.notify_one();
    }

    /// Records that `nonce` was answered, so a poll racing the answer does not show it again
    /// and a later replay is recognised.
    pub fn answered(&self, nonce: &str, now: SystemTime) {
        lock(&self.shared.inbox).answered(nonce, now);
    }

    /// Nonces handled in earlier sessions ([`crate::store::seen_nonces`]), for replay
    /// detection.
    pub fn remember(&self, nonces: impl IntoIterator<Item = (String, SystemTime)>) {
        let mut inbox = lock(&self.shared.inbox);
        for (nonce, at) in nonces {
            inbox.remember(&nonce, at);
        }
    }

    /// Poll requests sent so far (for the polls-per-minute measurement).
    pub fn polls_sent(&self) -> u64 {
        self.shared.polls.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Stops the task.
    pub fn stop(self) {
        self.task.abort();
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What one poll round found ([`PushClient::poll_round`]).
#[derive(Debug)]
#[non_exhaustive]
pub struct Round {
    /// In the order a [`Poller`] reports them: per token, its new and dropped requests, the
    /// ones withdrawn and its problem ([`PollEvent::TokenProblem`], here every round); then the
    /// requests that expired unanswered.
    pub events: Vec<PollEvent>,
    /// The transient error that ended the round early: the server as a whole is failing (a
    /// [`Poller`] backs off and reports [`PollEvent::ServerDown`]).
    pub failure: Option<PushError>,
    /// Tokens polled without error (a [`Poller`] forgets their problems).
    healthy: Vec<String>,
}

impl PushClient {
    /// One poll round over `tokens` (all on one server), exactly as each round of a
    /// [`Poller`]: the tokens polled in turn up to the first transient failure, every request
    /// admitted through `inbox` (signatures, replays, unknown serials, expiry), the pending
    /// requests the server no longer lists withdrawn, and those too old expired. For a single
    /// look (`tessera push watch --once`); a [`Poller`] runs its rounds itself.
    ///
    /// `inbox` is locked between polls, never across one, so that an answer recorded meanwhile
    /// ([`Inbox::answered`]) counts for the rest of the round.
    pub async fn poll_round(&self, tokens: &[Arc<PushToken>], inbox: &Mutex<Inbox>) -> Round {
        round(self, tokens, inbox, None).await
    }
}

async fn round(
    client: &PushClient,
    tokens: &[Arc<PushToken>],
    inbox: &Mutex<Inbox>,
    polls: Option<&std::sync::atomic::AtomicU64>,
) -> Round {
    let mut events = Vec::new();
    let mut failure = None;
    let mut healthy = Vec::new();
    for token in tokens {
        if let Some(polls) = polls {
            polls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        match client.poll(token).await {
            Ok(polled) => {
                healthy.push(token.id());
                let now = client.now();
                let mut inbox = lock(inbox);
                let listed: Vec<String> = polled
                    .requests
                    .iter()
                    .map(|r| r.nonce().to_owned())
                    .collect();
                for request in polled.requests {
                    let nonce = request.nonce().to_owned();
                    // Only the polled token's key: a request naming another serial is not this
                    // token's, whatever it claims.
                    let key = |serial: &str| (serial == token.serial()).then(|| token.server_key());
                    match inbox.admit(request, key, now) {
                        Admission::New(request) => events.push(PollEvent::Request {
                            token_id: token.id(),
                            request,
                        }),
                        Admission::Rejected(error) => events.push(PollEvent::Dropped {
                            token_id: token.id(),
                            nonce,
                            error,
                        }),
                        Admission::Known => {}
                    }
                }
                let listed: Vec<&str> = listed.iter().map(String::as_str).collect();
                for nonce in inbox.withdraw_missing(token.serial(), &listed, now) {
                    events.push(PollEvent::Withdrawn {
                        token_id: token.id(),
                        nonce,
                    });
                }
            }
            Err(error) if error.is_transient() => {
                // The server as a whole is failing: stop this round.
                failure = Some(error);
                break;
            }
            Err(error) => events.push(PollEvent::TokenProblem {
                token_id: token.id(),
                error,
            }),
        }
    }
    let now = client.now();
    for (serial, nonce) in lock(inbox).expire(now) {
        if let Some(token) = tokens.iter().find(|token| token.serial() == serial) {
            events.push(PollEvent::Expired {
                token_id: token.id(),
                nonce,
            });
        }
    }
    Round {
        events,
        failure,
        healthy,
    }
}

async fn run(
    client: PushClient,
    shared: Arc<Shared>,
    schedule: Schedule,
    events: mpsc::Sender<PollEvent>,
) {
    let mut backoff: Option<Duration> = None;
    let mut token_problems: std::collections::HashMap<String, &'static str> =
        std::collections::HashMap::new();
    loop {
        // The wait runs from the start of a round, not its end: a round's own duration would
        // otherwise stretch the interval, and with it the time a prompt waits to be seen.
        let round_started = tokio::time::Instant::now();
        let tokens = lock(&shared.tokens).clone();
        let round = round(&client, &tokens, &shared.inbox, Some(&shared.polls)).await;
        for id in &round.healthy {
            token_problems.remove(id);
        }
        // A token's problem is reported when it starts or changes, not on every round.
        let mut outbox: Vec<PollEvent> = round
            .events
            .into_iter()
            .filter(|event| match event {
                PollEvent::TokenProblem { token_id, error } => {
                    token_problems.insert(token_id.clone(), error.code()) != Some(error.code())
                }
                _ => true,
            })
            .collect();
        let delay = match round.failure {
            Some(error) => {
                let next = backoff.map_or(schedule.backoff_start, |previous| {
                    (previous * 2).min(schedule.backoff_max)
                });
                backoff = Some(next);
                let retry_in = with_jitter(next);
                outbox.push(PollEvent::ServerDown { error, retry_in });
                retry_in
            }
            None => {
                if backoff.take().is_some() {
                    outbox.insert(0, PollEvent::ServerUp);
                }
                match *lock(&shared.mode) {
                    PollerMode::Active => schedule.active,
                    PollerMode::Idle => schedule.idle,
                }
            }
        };
        for event in outbox {
            if events.send(event).await.is_err() {
                return; // Nobody listens any more.
            }
        }
        tokio::select! {
            () = tokio::time::sleep_until(round_started + delay) => {}
            () = shared.wake.notified() => {}
            () = events.closed() => return,
        }
    }
}

/// Up to +10 % so that many clients do not retry a recovering server in lockstep.
fn with_jitter(delay: Duration) -> Duration {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|since| since.subsec_nanos())
        .unwrap_or_default();
    delay + delay.mul_f64(f64::from(nanos % 1000) / 10_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_checked_tls_or_this_computer_may_set_the_clock() {
        let cases = [
            (
                "https, certificate checked",
                "https://pi.example.com/ttype/push",
                true,
                true,
            ),
            (
                "https, checks off",
                "https://pi.example.com/ttype/push",
                false,
                false,
            ),
            (
                "http to this computer",
                "http://127.0.0.1:5000/ttype/push",
                false,
                true,
            ),
            (
                "http to localhost",
                "http://localhost:5000/ttype/push",
                true,
                true,
            ),
            (
                "http to another computer",
                "http://192.0.2.1/ttype/push",
                true,
                false,
            ),
            (
                "http to another computer, checks off",
                "http://pi.example.com/",
                false,
                false,
            ),
        ];
        for (name, url, sslverify, trusted) in cases {
            let url = reqwest::Url::parse(url).unwrap();
            assert_eq!(trusted_transport(&url, sslverify), trusted, "{name}");
        }
    }
}
