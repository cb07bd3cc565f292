//! What a running node holds and hands to every RPC: its settings, chain and its
//! storage, start time,
//! the shutdown signal and the RPC table.

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Condvar, Mutex, RwLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use umkoin_common::args::ArgsManager;

use crate::chain::Chain;
use crate::chainparams::ChainParams;
use crate::chainstate::ChainStore;
use crate::rpc::RpcTable;

/// A one-way "please shut down" flag that threads can wait on.
#[derive(Default)]
pub struct Shutdown {
    requested: Mutex<bool>,
    cond: Condvar,
}

impl Shutdown {
    /// Ask for shutdown (the `stop` RPC, SIGTERM, SIGINT).
    pub fn request(&self) {
        *self
            .requested
            .lock()
            .expect("shutdown lock is never poisoned") = true;
        self.cond.notify_all();
    }

    /// Whether shutdown was asked for.
    pub fn is_requested(&self) -> bool {
        *self
            .requested
            .lock()
            .expect("shutdown lock is never poisoned")
    }

    /// Block until shutdown is asked for.
    pub fn wait(&self) {
        let mut g = self
            .requested
            .lock()
            .expect("shutdown lock is never poisoned");
        while !*g {
            g = self.cond.wait(g).expect("shutdown lock is never poisoned");
        }
    }
}

/// The running node.
pub struct NodeContext {
    /// The settings it started with.
    pub args: ArgsManager,
    /// The chain's parameters.
    pub params: ChainParams,
    /// The active chain, as RPCs read it: replaced only after its blocks are stored.
    pub chain: RwLock<Chain>,
    /// The chain's storage, once loaded at start-up; its lock orders the writers.
    pub store: Mutex<Option<ChainStore>>,
    /// When the process started (`uptime`).
    pub started: Instant,
    /// The shutdown signal.
    pub shutdown: Shutdown,
    /// The JSON-RPC commands.
    pub rpc: RpcTable,
    /// `debug.log`'s path, for `getrpcinfo` (empty with `-nodebuglogfile`).
    pub log_path: PathBuf,
    /// The mempool settings, read and checked at start-up.
    pub mempool: crate::policy::MempoolOptions,
    /// Whether this is `umkoin-node` (the multiprocess node: `echoipc` spawns a child).
    pub multiprocess: bool,
    /// The mock time (`-mocktime`, `setmocktime`), or 0 for the system clock.
    pub mocktime: AtomicI64,
}

impl NodeContext {
    /// The node's clock, in unix seconds: the mock time when one is set (Core's
    /// `GetTime`).
    pub fn now(&self) -> i64 {
        match self.mocktime.load(Ordering::Relaxed) {
            0 => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
            mock => mock,
        }
    }

    /// Sets the mock time (0: back to the system clock).
    pub fn set_mocktime(&self, time: i64) {
        self.mocktime.store(time, Ordering::Relaxed);
    }
}
