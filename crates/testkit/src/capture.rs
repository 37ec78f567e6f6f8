//! What a live privacyIDEA 3.14 sent, captured verbatim (protocol doc §19, `data/README.md`):
//! the test vectors the push crate verifies and the app's push tests replay.

/// One challenge entry of a `GET /ttype/push` answer.
pub const CHALLENGE: &str = include_str!("../data/challenge-3.14.json");

/// The same server's `detail.public_key`, exactly as received (line breaks, no PEM armour).
pub const SERVER_KEY: &str = include_str!("../data/server-key-3.14.txt");
