//! Which requests are new: de-duplication, replay, unknown serials and expiry (sans-IO).
//!
//! The server returns every open challenge on every poll until it is answered or expires (doc
//! §5), so most sightings are repeats. The inbox remembers pending nonces (shown once), and
//! closed ones (answered, withdrawn, expired) so that a closed nonce coming back is reported
//! once as a replay and then ignored.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime};

use super::keys::ServerKey;
use super::poll::{PushRequest, Unverified, Verified};
use crate::PushError;

/// How long a request can be answered after it was first seen: privacyIDEA's default
/// challenge validity (`DefaultChallengeValidityTime`, 120 s; doc §12), as the app uses.
pub const REQUEST_LIFETIME: Duration = Duration::from_secs(120);

/// How long closed nonces are remembered (replays of older ones fail at the server anyway).
const CLOSED_MEMORY: Duration = Duration::from_secs(24 * 3600);
/// Upper bound on remembered nonces, so a hostile server cannot grow memory without limit.
const MAX_REMEMBERED: usize = 10_000;
/// A poll sent just before an answer may still list the answered nonce: not a replay.
const ANSWER_RACE: Duration = Duration::from_secs(15);

/// What [`Inbox::admit`] decided about one sighting.
#[derive(Debug)]
// `New` is the common, useful case; boxing it would only add an allocation per request.
#[allow(clippy::large_enum_variant)]
#[non_exhaustive]
pub enum Admission {
    /// A new, verified request: show it.
    New(PushRequest<Verified>),
    /// Seen before (pending, or a rejection already reported): nothing to do.
    Known,
    /// Dropped, to be logged: [`PushError::BadSignature`], [`PushError::UnknownSerial`],
    /// [`PushError::Replay`] or [`PushError::Expired`].
    Rejected(PushError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closed {
    Answered,
    Expired,
    Withdrawn,
}

#[derive(Debug)]
struct Pending {
    serial: String,
    received: SystemTime,
}

/// The request book-keeping of one device (all tokens).
#[derive(Debug, Default)]
pub struct Inbox {
    pending: HashMap<String, Pending>,
    closed: HashMap<String, (Closed, SystemTime)>,
    /// Nonces already reported as rejected (reported once, not on every poll).
    reported: HashSet<String>,
}

impl Inbox {
    /// An empty inbox.
    pub fn new() -> Self {
        Self::default()
    }

    /// Remembers a nonce handled in an earlier session ([`crate::store::seen_nonces`]: only
    /// verified requests, answered or closed), so that its replay is recognised after a
    /// restart. Nonces of dropped requests are never remembered: unverified, they may be a
    /// forged copy's of a request still to come.
    pub fn remember(&mut self, nonce: &str, at: SystemTime) {
        self.close(nonce, Closed::Answered, at);
    }

    /// Decides about one request from a poll. `key_for` finds the server key of the token
    /// with that serial (`None`: no such token).
    pub fn admit<'k>(
        &mut self,
        request: PushRequest<Unverified>,
        key_for: impl FnOnce(&str) -> Option<&'k ServerKey>,
        now: SystemTime,
    ) -> Admission {
        let nonce = request.nonce().to_owned();
        if self.pending.contains_key(&nonce) {
            return Admission::Known;
        }
        if let Some(&(why, at)) = self.closed.get(&nonce) {
            let racing_answer =
                why == Closed::Answered && now.duration_since(at).unwrap_or_default() < ANSWER_RACE;
            if racing_answer || !self.reported.insert(nonce) {
                return Admission::Known;
            }
            return Admission::Rejected(match why {
                Closed::Expired => PushError::Expired,
                Closed::Answered | Closed::Withdrawn => PushError::Replay,
            });
        }
        let Some(key) = key_for(request.serial()) else {
            return self.reject_once(nonce, PushError::UnknownSerial);
        };
        match request.verify(key) {
            Ok(verified) => {
                self.bound_memory();
                self.pending.insert(
                    nonce,
                    Pending {
                        serial: verified.serial().to_owned(),
                        received: verified.received(),
                    },
                );
                Admission::New(verified)
            }
            // Not closed: a forged copy must not suppress the genuine request with that nonce.
            Err(error) => self.reject_once(nonce, error),
        }
    }

    fn reject_once(&mut self, nonce: String, error: PushError) -> Admission {
        self.bound_memory();
        if self.reported.insert(nonce) {
            Admission::Rejected(error)
        } else {
            Admission::Known
        }
    }

    /// After a successful poll of `serial`: pending requests of that token the server no
    /// longer lists were answered elsewhere, cancelled or expired server-side. Returns their
    /// nonces (close their prompts).
    pub fn withdraw_missing(
        &mut self,
        serial: &str,
        listed: &[&str],
        now: SystemTime,
    ) -> Vec<String> {
        let gone: Vec<String> = self
            .pending
            .iter()
            .filter(|(nonce, pending)| {
                pending.serial == serial && !listed.contains(&nonce.as_str())
            })
            .map(|(nonce, _)| nonce.clone())
            .collect();
        for nonce in &gone {
            self.close(nonce, Closed::Withdrawn, now);
        }
        gone
    }

    /// Marks a request answered (approve or deny sent).
    pub fn answered(&mut self, nonce: &str, now: SystemTime) {
        self.close(nonce, Closed::Answered, now);
    }

    /// Closes and returns the pending requests older than [`REQUEST_LIFETIME`].
    pub fn expire(&mut self, now: SystemTime) -> Vec<(String, String)> {
        let expired: Vec<(String, String)> = self
            .pending
            .iter()
            .filter(|(_, pending)| {
                now.duration_since(pending.received).unwrap_or_default() >= REQUEST_LIFETIME
            })
            .map(|(nonce, pending)| (pending.serial.clone(), nonce.clone()))
            .collect();
        for (_, nonce) in &expired {
            self.close(nonce, Closed::Expired, now);
        }
        self.closed
            .retain(|_, (_, at)| now.duration_since(*at).unwrap_or_default() < CLOSED_MEMORY);
        expired
    }

    /// Whether `nonce` is pending (shown, not answered, not expired).
    pub fn is_pending(&self, nonce: &str) -> bool {
        self.pending.contains_key(nonce)
    }

    /// Number of pending requests.
    pub fn pending_count(&self) -> usize {
        self.pending.len()
    }

    fn close(&mut self, nonce: &str, why: Closed, at: SystemTime) {
        self.pending.remove(nonce);
        self.bound_memory();
        self.closed.insert(nonce.to_owned(), (why, at));
    }

    fn bound_memory(&mut self) {
        if self.closed.len() >= MAX_REMEMBERED {
            // Forget the oldest half; those are the least likely to be replayed.
            let mut times: Vec<SystemTime> = self.closed.values().map(|(_, at)| *at).collect();
            times.sort_unstable();
            let cutoff = times[times.len() / 2];
            self.closed.retain(|_, (_, at)| *at > cutoff);
        }
        if self.reported.len() >= MAX_REMEMBERED {
            self.reported.clear();
        }
    }
}

/// When a verified request stops being answerable on this client.
pub fn expires_at(request: &PushRequest<Verified>) -> SystemTime {
    request.received() + REQUEST_LIFETIME
}

#[cfg(test)]
mod tests {
    use super::super::poll::parse_poll_response;
    use super::super::tests::{vector_entry, vector_server_key};
    use super::*;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_946_876 + secs)
    }

    fn sighting(entry: serde_json::Value, now: SystemTime) -> PushRequest<Unverified> {
        let body =
            serde_json::to_vec(&serde_json::json!({"result": {"status": true, "value": [entry]}}))
                .unwrap();
        parse_poll_response(200, &body, now)
            .unwrap()
            .0
            .pop()
            .unwrap()
    }

    #[test]
    fn new_then_known_then_withdrawn_then_replay_reported_once() {
        let key = vector_server_key();
        let mut inbox = Inbox::new();
        let keys = |serial: &str| (serial == "PIPU00005FB7").then_some(&key);
        assert!(matches!(
            inbox.admit(sighting(vector_entry(), at(0)), keys, at(0)),
            Admission::New(_)
        ));
        assert!(inbox.is_pending("H5ALR6GNGDYXSU426AXFCCJHLD2ACCFK"));
        assert!(matches!(
            inbox.admit(sighting(vector_entry(), at(3)), keys, at(3)),
            Admission::Known
        ));
        // Another token's poll does not withdraw it; its own empty list does.
        assert!(
            inbox
                .withdraw_missing("PIPU0000AAAA", &[], at(4))
                .is_empty()
        );
        assert_eq!(
            inbox.withdraw_missing("PIPU00005FB7", &[], at(4)),
            ["H5ALR6GNGDYXSU426AXFCCJHLD2ACCFK"]
        );
        assert!(matches!(
            inbox.admit(sighting(vector_entry(), at(30)), keys, at(30)),
            Admission::Rejected(PushError::Replay)
        ));
        assert!(matches!(
            inbox.admit(sighting(vector_entry(), at(33)), keys, at(33)),
            Admission::Known
        ));
    }

    #[test]
    fn answered_nonce_in_a_racing_poll_is_not_a_replay() {
        let key = vector_server_key();
        let mut inbox = Inbox::new();
        let keys = |_: &str| Some(&key);
        assert!(matches!(
            inbox.admit(sighting(vector_entry(), at(0)), keys, at(0)),
            Admission::New(_)
        ));
        inbox.answered("H5ALR6GNGDYXSU426AXFCCJHLD2ACCFK", at(5));
        assert!(matches!(
            inbox.admit(sighting(vector_entry(), at(6)), keys, at(6)),
            Admission::Known
        ));
        assert!(matches!(
            inbox.admit(sighting(vector_entry(), at(60)), keys, at(60)),
            Admission::Rejected(PushError::Replay)
        ));
    }

    #[test]
    fn remembered_nonces_survive_a_restart() {
        let key = vector_server_key();
        let mut inbox = Inbox::new();
        inbox.remember("H5ALR6GNGDYXSU426AXFCCJHLD2ACCFK", at(0));
        assert!(matches!(
            inbox.admit(sighting(vector_entry(), at(100)), |_| Some(&key), at(100)),
            Admission::Rejected(PushError::Replay)
        ));
    }

    #[test]
    fn unknown_serial_and_forgery_are_rejected_but_do_not_block_the_genuine_one() {
        let key = vector_server_key();
        let mut inbox = Inbox::new();
        assert!(matches!(
            inbox.admit(sighting(vector_entry(), at(0)), |_| None, at(0)),
            Admission::Rejected(PushError::UnknownSerial)
        ));
        let mut forged = vector_entry();
        forged["question"] = serde_json::Value::String("Approve the wire transfer?".into());
        let mut inbox = Inbox::new();
        assert!(matches!(
            inbox.admit(sighting(forged.clone(), at(0)), |_| Some(&key), at(0)),
            Admission::Rejected(PushError::BadSignature)
        ));
        assert!(matches!(
            inbox.admit(sighting(forged, at(3)), |_| Some(&key), at(3)),
            Admission::Known
        ));
        assert!(matches!(
            inbox.admit(sighting(vector_entry(), at(4)), |_| Some(&key), at(4)),
            Admission::New(_)
        ));
    }

    #[test]
    fn expiry_closes_pending_requests() {
        let key = vector_server_key();
        let mut inbox = Inbox::new();
        let Admission::New(request) =
            inbox.admit(sighting(vector_entry(), at(0)), |_| Some(&key), at(0))
        else {
            panic!("not new");
        };
        assert_eq!(expires_at(&request), at(120));
        assert!(inbox.expire(at(119)).is_empty());
        assert_eq!(
            inbox.expire(at(120)),
            [(
                "PIPU00005FB7".to_owned(),
                "H5ALR6GNGDYXSU426AXFCCJHLD2ACCFK".to_owned()
            )]
        );
        assert_eq!(inbox.pending_count(), 0);
        // The server still lists it (its validity is configurable): reported once as expired.
        assert!(matches!(
            inbox.admit(sighting(vector_entry(), at(121)), |_| Some(&key), at(121)),
            Admission::Rejected(PushError::Expired)
        ));
        assert!(matches!(
            inbox.admit(sighting(vector_entry(), at(124)), |_| Some(&key), at(124)),
            Admission::Known
        ));
    }
}
