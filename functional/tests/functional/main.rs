//! The functional test suite: each module drives the binaries through the harness, as a
//! user would. Every test passes against `umkoind` and against `umkoin -m`; tests of
//! umkoin-rs behaviour that Umkoin Core lacks skip themselves when the node is Core's.

/// Skip the rest of a test body when the node under test is Umkoin Core's: the test
/// checks behaviour that only umkoin-rs has (for example refusing options whose feature
/// it lacks), so a run against Core leaves it out.
#[macro_export]
macro_rules! ours_only {
    ($t:expr) => {
        if $t.is_core() {
            eprintln!("skipped against Umkoin Core: this tests umkoin-rs behaviour Core lacks");
            return Ok(());
        }
    };
}

mod block_validation;
mod blockinfo;
mod blocktemplate;
mod blocktools;
mod cli;
mod config;
mod corepc;
mod generate;
mod harness_smoke;
mod init_errors;
mod ipc;
mod ipc_peers;
mod lifecycle;
mod logging;
mod mempool_accept;
mod mempool_rpcs;
mod mining;
mod psbt_rpcs;
mod rawtransaction;
mod rpc_commands;
mod rpc_server;
mod snapshots;
mod util_rpcs;
