//! What a running node holds and hands to every RPC: its settings, chain and its
//! storage, start time,
//! the shutdown signal and the RPC table.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Condvar, Mutex, RwLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bitcoin::BlockHash;

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
    fatal: AtomicBool,
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

    /// Ask for shutdown after a fatal error (Core's `AbortNode`): the process exits
    /// with code 1.
    pub fn request_fatal(&self) {
        self.fatal.store(true, Ordering::SeqCst);
        self.request();
    }

    /// Whether a fatal error asked for shutdown.
    pub fn is_fatal(&self) -> bool {
        self.fatal.load(Ordering::SeqCst)
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

/// The tip as the `waitfor*` RPCs see it, and the signal they wait on.
pub struct TipWatch {
    tip: Mutex<(BlockHash, u32)>,
    changed: Condvar,
}

impl TipWatch {
    /// A watch starting at `hash`, `height`.
    pub fn new(hash: BlockHash, height: u32) -> TipWatch {
        TipWatch {
            tip: Mutex::new((hash, height)),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (BlockHash, u32)> {
        self.tip.lock().expect("the tip lock is never poisoned")
    }

    /// The tip now.
    pub fn get(&self) -> (BlockHash, u32) {
        *self.lock()
    }

    /// A new tip: wakes every waiter.
    pub fn set(&self, hash: BlockHash, height: u32) {
        *self.lock() = (hash, height);
        self.changed.notify_all();
    }

    /// Wakes every waiter so it checks its stop condition (shutdown).
    pub fn wake(&self) {
        let _held = self.lock();
        self.changed.notify_all();
    }

    /// Core's `WaitTipChanged`: waits until the tip is not `current`, `deadline` passes
    /// (none: no limit) or `stop()` holds; returns the tip then, or `None` when stopped.
    pub fn wait_changed(
        &self,
        current: BlockHash,
        deadline: Option<Instant>,
        stop: impl Fn() -> bool,
    ) -> Option<(BlockHash, u32)> {
        let mut tip = self.lock();
        loop {
            if stop() {
                return None;
            }
            if tip.0 != current {
                return Some(*tip);
            }
            match deadline {
                None => {
                    tip = self
                        .changed
                        .wait(tip)
                        .expect("the tip lock is never poisoned")
                }
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return Some(*tip);
                    }
                    tip = self
                        .changed
                        .wait_timeout(tip, d - now)
                        .expect("the tip lock is never poisoned")
                        .0;
                }
            }
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
    /// The mempool. Lock order: `store`, then `pool`.
    pub pool: Mutex<crate::mempool::Mempool>,
    /// Whether this is `umkoin-node` (the multiprocess node: `echoipc` spawns a child).
    pub multiprocess: bool,
    /// The mock time (`-mocktime`, `setmocktime`), or 0 for the system clock.
    pub mocktime: AtomicI64,
    /// The tip for waiters (`waitfornewblock` and the like).
    pub tip: TipWatch,
    /// Set once the node has left initial block download: Core latches it.
    pub left_ibd: AtomicBool,
    /// Whether a block was assembled (`getmininginfo` shows the last one's size then).
    pub assembled_block: AtomicBool,
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

    /// Whether the node is in initial block download (Core's `IsInitialBlockDownload`):
    /// judged on `chain` at `now` until the first time it is not, then never again.
    pub fn is_initial_block_download(&self, chain: &Chain, now: i64) -> bool {
        if self.left_ibd.load(Ordering::Relaxed) {
            return false;
        }
        let max_tip_age = self
            .args
            .get_int_arg("-maxtipage", crate::chainparams::DEFAULT_MAX_TIP_AGE);
        if chain.is_initial_block_download(&self.params, now, max_tip_age) {
            return true;
        }
        self.left_ibd.store(true, Ordering::Relaxed);
        false
    }

    /// Asks for shutdown, and wakes the RPCs waiting for a block so they answer.
    pub fn request_shutdown(&self) {
        self.shutdown.request();
        self.tip.wake();
    }

    /// Core's `AbortNode`: shuts down after a fatal error, with exit code 1.
    pub fn abort_node(&self) {
        self.shutdown.request_fatal();
        self.tip.wake();
    }

    /// Sets the mock time (0: back to the system clock).
    pub fn set_mocktime(&self, time: i64) {
        self.mocktime.store(time, Ordering::Relaxed);
    }
}
