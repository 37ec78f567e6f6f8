//! One module per group of subcommands (the dispatch is `cli::run`).

pub(crate) mod account;
pub(crate) mod clipboard;
pub(crate) mod code;
pub(crate) mod keys;
pub(crate) mod push;
pub(crate) mod qr;
pub(crate) mod selfservice;
pub(crate) mod transfer;
pub(crate) mod vault;
