//! What every umkoin-rs binary shares: Umkoin Core's option table, the argument and
//! config-file parser built on it, `-help`, the datadir and its lock, logging, and a
//! JSON value that reads and writes as Core's UniValue (`univalue`).

pub mod args;
pub mod datadir;
pub mod help;
pub mod log;
pub mod options;
pub mod univalue;
pub mod version;
