//! A plain list of `otpauth://` URIs, one per line (formats.md §3): the form Aegis, Stratum and
//! Ente read as a text import, and what any authenticator takes one line at a time.
//!
//! Each line is `OtpUri::to_uri`, the canonical form (issuer in the label and as a parameter,
//! algorithm, digits and period or counter always written; Steam as type `steam`). The format has
//! no place for tags, so they are not exported.

use tessera_core::Account;
use tessera_core::uri::OtpUri;
use zeroize::Zeroizing;

/// One canonical `otpauth://` URI per account, in the order given, each ending with `\n`.
/// Anyone who reads the text has the secrets.
pub fn otpauth_list(accounts: &[Account]) -> Zeroizing<String> {
    let uris: Vec<Zeroizing<String>> = accounts
        .iter()
        .map(|account| OtpUri::from_account(account).to_uri())
        .collect();
    // Sized exactly up front: growing would free a copy of the secrets unwiped.
    let capacity = uris.iter().map(|uri| uri.len() + 1).sum();
    let mut list = Zeroizing::new(String::with_capacity(capacity));
    for uri in &uris {
        list.push_str(uri);
        list.push('\n');
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_core::{Otp, OtpSecret, UnixTime};

    #[test]
    fn one_canonical_uri_per_line() {
        let accounts = [
            Account::new(
                "Ex:ample",
                "alice@example.com",
                OtpSecret::from_slice(b"12345678901234567890"),
                Otp::DEFAULT_TOTP,
                UnixTime(0),
            ),
            Account::new(
                "Steam",
                "bob",
                OtpSecret::from_slice(b"\x01\x02\x03"),
                Otp::Steam,
                UnixTime(0),
            ),
        ];
        let list = otpauth_list(&accounts);
        assert_eq!(
            list.as_str(),
            "otpauth://totp/Ex%3Aample:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Ex%3Aample&algorithm=SHA1&digits=6&period=30\n\
             otpauth://steam/Steam:bob?secret=AEBAG&issuer=Steam&algorithm=SHA1&digits=5&period=30\n"
        );
        assert_eq!(list.capacity(), list.len());
        assert_eq!(otpauth_list(&[]).as_str(), "");
    }
}
