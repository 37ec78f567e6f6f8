//! Integration tests for one-time codes, otpauth URIs and Google migration payloads: the import
//! samples of other apps (`tests/data`), round-trip properties and a cross-check against
//! totp-rs.

// Test helpers and proptest strategies are not `#[test]` fns, so clippy's test exemption misses
// them; a failed unwrap here is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod google_migration;
mod oracle;
mod otpauth_uri;
mod roundtrip;
mod testdata;
