//! The real privacyIDEA of the push and self-service tests: `tessera_testkit::pi`'s (one
//! server per test process, stopped when it exits), with the relying party and admin calls run
//! to their end for these sync tests.

use std::sync::OnceLock;

pub(crate) use tessera_testkit::pi::Blocking as Server;

/// The server, signed in as its admin, for the one user of this test process.
pub(crate) fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(Server::new)
}
