//! What every umkoin-rs binary shares: Umkoin Core's option table, the argument and
//! config-file parser built on it, `-help`, the datadir and its lock, and logging.

pub mod args;
pub mod datadir;
pub mod help;
pub mod log;
pub mod options;
pub mod version;
