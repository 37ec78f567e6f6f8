//! User self-service at a privacyIDEA server: sign in as oneself, see one's factors, enroll new
//! ones straight into Tessera, and recover (lost device, locked token, rejected codes, backup
//! codes) without calling IT. Protocol doc §8, §15 and §16.
//!
//! - [`Session::sign_in`] posts to `/auth`. With the `webui` policy `login_mode=privacyIDEA`
//!   the server may open a challenge; [`SecondFactor`] completes it with a code from Tessera, a
//!   backup code, or a push approval. The session token (a JWT) stays in memory, wiped on drop.
//! - [`Session::rights`] lists what the `user` policies allow; every call checks its right
//!   first ([`SelfServiceError::NotAllowed`]) and maps the server's refusal to the same error.
//! - Enrolled TOTP/HOTP secrets go from the server's answer (its `googleurl`) straight into a
//!   core [`tessera_core::Account`]; they are never returned as text.
//! - Backup codes are privacyIDEA 3.14's TAN token (`type=tan`, right `enrollTAN`): a list of
//!   codes the server stores only as salted hashes, each accepted once, in any order
//!   (`privacyidea/lib/tokens/tantoken.py`). The paper token (`paper`) is the same list but
//!   used in sequence, which fits printed backup codes worse.
//!
//! The HTTP side is the push crate's [`crate::PushClient`]: the same timeouts, body cap, no
//! redirects. Plain `http://` is accepted only to this computer (loopback).

mod error;
mod parse;
mod rights;
mod secret;
mod session;
mod tokens;

use url::Url;

use crate::protocol::is_loopback;

pub use error::SelfServiceError;
pub use parse::Challenge;
pub use rights::{Right, Rights};
pub use secret::{BackupCodes, Password};
pub use session::{Enrolled, SecondFactor, Session, SignIn};
pub use tokens::{
    Here, LINK_SECTION, LastServer, TokenInfo, TokenStatus, last_server, link_added, local_account,
    mark_here, remember_code_with_password, remember_server, save_enrolled,
};

/// A privacyIDEA server's base URL, e.g. `https://pi.example.com` or
/// `https://example.com/privacyidea/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    base: Url,
    origin: String,
    verify_tls: bool,
}

impl Server {
    /// Checks and keeps a base URL: absolute `https`, or `http` to a loopback address; no user
    /// info, query or fragment.
    pub fn parse(text: &str) -> Result<Server, SelfServiceError> {
        let base = Url::parse(text.trim()).map_err(|_| SelfServiceError::BadServerUrl)?;
        if !base.username().is_empty()
            || base.password().is_some()
            || base.query().is_some()
            || base.fragment().is_some()
            || base.cannot_be_a_base()
        {
            return Err(SelfServiceError::BadServerUrl);
        }
        match base.scheme() {
            "https" => {}
            "http" if is_loopback(&base) => {}
            "http" => return Err(SelfServiceError::InsecureServerUrl),
            _ => return Err(SelfServiceError::BadServerUrl),
        }
        let origin = base.origin().ascii_serialization();
        Ok(Server {
            base,
            origin,
            verify_tls: true,
        })
    }

    /// The same server with TLS certificate checks off (`false`): only when the user turns
    /// them off for this server (a self-signed test server), never by default.
    pub fn verifying_tls(self, verify_tls: bool) -> Server {
        Server { verify_tls, ..self }
    }

    /// Whether the server's TLS certificate is checked (the default).
    pub fn verifies_tls(&self) -> bool {
        self.verify_tls
    }

    /// The base URL.
    pub fn url(&self) -> &str {
        self.base.as_str()
    }

    /// `scheme://host[:port]`, as push tokens and vault links name their server.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub(crate) fn base(&self) -> &Url {
        &self.base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls() {
        let cases: [(&str, Result<&str, &str>); 10] = [
            ("https://pi.example.com", Ok("https://pi.example.com")),
            (
                "https://pi.example.com:8443/pi/",
                Ok("https://pi.example.com:8443"),
            ),
            ("http://127.0.0.1:5000", Ok("http://127.0.0.1:5000")),
            ("http://[::1]:5000/", Ok("http://[::1]:5000")),
            ("http://localhost:5000", Ok("http://localhost:5000")),
            (
                "http://pi.example.com",
                Err("selfservice_insecure_server_url"),
            ),
            ("ftp://pi.example.com", Err("selfservice_bad_server_url")),
            (
                "https://user:pw@pi.example.com",
                Err("selfservice_bad_server_url"),
            ),
            (
                "https://pi.example.com/?x=1",
                Err("selfservice_bad_server_url"),
            ),
            ("pi.example.com", Err("selfservice_bad_server_url")),
        ];
        for (text, want) in cases {
            match (Server::parse(text), want) {
                (Ok(server), Ok(origin)) => assert_eq!(server.origin(), origin, "{text}"),
                (Err(error), Err(code)) => assert_eq!(error.code(), code, "{text}"),
                (got, _) => panic!("{text}: {got:?}"),
            }
        }
    }

    #[test]
    fn tls_is_verified_unless_turned_off() {
        let server = Server::parse("https://pi.example.com").unwrap();
        assert!(server.verifies_tls());
        let trusting = server.clone().verifying_tls(false);
        assert!(!trusting.verifies_tls());
        assert_eq!(trusting.origin(), server.origin());
    }

    #[test]
    fn endpoints_keep_the_base_path_and_encode_serials() {
        let server = Server::parse("https://example.com/privacyidea/").unwrap();
        assert_eq!(
            server.endpoint(&["token", ""]).as_str(),
            "https://example.com/privacyidea/token/"
        );
        assert_eq!(
            server
                .endpoint(&["token", "disable", "../../admin?x"])
                .as_str(),
            "https://example.com/privacyidea/token/disable/..%2F..%2Fadmin%3Fx"
        );
        let root = Server::parse("http://127.0.0.1:5000").unwrap();
        assert_eq!(
            root.endpoint(&["auth"]).as_str(),
            "http://127.0.0.1:5000/auth"
        );
    }
}
