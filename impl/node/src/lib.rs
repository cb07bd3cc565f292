//! The Umkoin node: chain parameters, the active chain and its storage, start-up and shutdown, and the
//! JSON-RPC server. `umkoind` and `umkoin-node` are two thin `main`s over [`init::main`];
//! they differ only in the options they take (the IPC options are `umkoin-node`'s).

pub mod bip32;
pub mod chain;
pub mod chainparams;
pub mod chainstate;
pub mod clusters;
pub mod coinstats;
pub mod context;
pub mod init;
pub mod linearize;
pub mod mempool;
pub mod mempool_persist;
pub mod memusage;
pub mod mining;
pub mod node_init;
pub mod policy;
pub mod rpc;
pub mod standard;
pub mod truc;
pub mod undo;
pub mod validation;
