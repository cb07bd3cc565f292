//! The mempool: transactions accepted by Core's `MemPoolAccept` checks (context-free
//! checks, standardness, finality, inputs from the chain or other mempool transactions,
//! relative locks, amounts, fee rates, scripts under the standard flags), kept until a
//! block confirms them or a conflict does; re-checked after a reorg. Reject reasons and
//! their details are Core's, as `sendrawtransaction` and `testmempoolaccept` show them.
//!
//! The checks run in the order of Core's `MemPoolAccept` (`src/validation.cpp`), since
//! the first failing check is the one reported:
//!
//! * one transaction (`AcceptSingleTransaction`): `PreChecks` (conflicts gathered right
//!   after the already-in-mempool checks, the fee rate, then the TRUC rules with sibling
//!   eviction), `ReplacementChecks` when it conflicts (rule 5, rules 3 and 4, cluster
//!   limits, then the fee-rate diagram), cluster limits, the client's `maxfeerate`,
//!   ephemeral dust, and the scripts last;
//! * several together (`AcceptMultipleTransactions`, a package `testmempoolaccept` and
//!   the package phase of `submitpackage`): `PreChecks` of every transaction first, then
//!   the package's TRUC rules, its fee rate, package RBF, its clusters, its ephemeral
//!   dust, and only then each one's scripts; no sibling eviction;
//! * `submitpackage` (`AcceptPackage`): each transaction alone first, then what is left
//!   judged again, as a single transaction when only one is left.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use bitcoin::{Amount, OutPoint, Transaction, TxOut, Txid, Wtxid};

use crate::chain::Chain;
use crate::chainstate::ChainStore;
use crate::linearize::FeeFrac;
use crate::memusage;
use crate::policy::MempoolOptions;
use crate::standard;
use crate::validation;

/// What `testmempoolaccept` of a package found: a package-wide policy error, or each
/// transaction's result up to the first that failed (later ones were not validated).
#[derive(Clone, Debug)]
pub struct PackageTest {
    /// Core's package error (`package-not-sorted`, `TRUC-violation, ...`), when the
    /// package as a whole breaks a rule.
    pub package_error: Option<String>,
    /// The results, in package order: all of them, or only the first failure (the
    /// others `None`: not validated), as Core reports them.
    pub results: Vec<Option<Result<Accepted, TxReject>>>,
}

/// What became of one transaction of `submitpackage`.
#[derive(Clone, Debug)]
pub enum PackageTxResult {
    /// Accepted now, at `effective_feerate` (sat/kvB) over the transactions `includes`.
    Accepted {
        /// Its virtual size.
        vsize: u64,
        /// Its fee.
        fee: Amount,
        /// The fee rate it was judged at.
        effective_feerate: i64,
        /// The transactions whose fees and sizes make that rate.
        includes: Vec<Wtxid>,
        /// The mempool transactions it replaced.
        replaced: Vec<Txid>,
    },
    /// Already in the mempool.
    InMempool {
        /// Its virtual size.
        vsize: u64,
        /// Its fee.
        fee: Amount,
    },
    /// A transaction of the same txid and another witness is in the mempool.
    DifferentWitness(Wtxid),
    /// Refused.
    Failed(TxReject),
}

/// What `submitpackage` did: Core's package message and each transaction's result
/// (`None`: not validated).
#[derive(Clone, Debug)]
pub struct PackageSubmit {
    /// `success`, or Core's package error.
    pub message: String,
    /// One per transaction, in package order.
    pub results: Vec<Option<PackageTxResult>>,
}

/// Core's `IsChildWithParents`: every transaction but the last is a parent of the last.
pub fn is_child_with_parents(txs: &[Transaction]) -> bool {
    let Some((child, parents)) = txs.split_last() else {
        return false;
    };
    if txs.len() < 2 {
        return false;
    }
    let inputs: HashSet<Txid> = child.input.iter().map(|i| i.previous_output.txid).collect();
    parents.iter().all(|p| inputs.contains(&p.compute_txid()))
}

/// Core's `IsChildWithParentsTree`: child with parents, and no parent spends another.
pub fn is_child_with_parents_tree(txs: &[Transaction]) -> bool {
    if !is_child_with_parents(txs) {
        return false;
    }
    let parents: HashSet<Txid> = txs[..txs.len() - 1]
        .iter()
        .map(Transaction::compute_txid)
        .collect();
    txs[..txs.len() - 1].iter().all(|p| {
        p.input
            .iter()
            .all(|i| !parents.contains(&i.previous_output.txid))
    })
}

/// Core's `MAX_PACKAGE_COUNT`.
pub const MAX_PACKAGE_COUNT: usize = 25;
/// Core's `MAX_PACKAGE_WEIGHT`.
pub const MAX_PACKAGE_WEIGHT: u64 = 404_000;

/// Core's `IsWellFormedPackage`: at most 25 transactions of at most 404 000 weight units
/// together, no duplicates, parents before children, no two spending the same output.
pub fn well_formed_package(txs: &[Transaction]) -> Result<(), &'static str> {
    if txs.len() > MAX_PACKAGE_COUNT {
        return Err("package-too-many-transactions");
    }
    let weight: u64 = txs.iter().map(|t| t.weight().to_wu()).sum();
    if txs.len() > 1 && weight > MAX_PACKAGE_WEIGHT {
        return Err("package-too-large");
    }
    let txids: Vec<Txid> = txs.iter().map(Transaction::compute_txid).collect();
    let unique: HashSet<&Txid> = txids.iter().collect();
    if unique.len() != txs.len() {
        return Err("package-contains-duplicates");
    }
    // Core's IsTopoSortedPackage: no transaction spends one that comes later.
    for (i, tx) in txs.iter().enumerate() {
        let later: HashSet<&Txid> = txids[i..].iter().collect();
        if tx
            .input
            .iter()
            .any(|inp| later.contains(&inp.previous_output.txid))
        {
            return Err("package-not-sorted");
        }
    }
    let mut spent = HashSet::new();
    for tx in txs {
        if tx.input.is_empty() {
            return Err("conflict-in-package");
        }
        // Core's IsConsistentPackage: an input list of its own may repeat (CheckTransaction
        // catches that); across transactions no output is spent twice.
        let own: HashSet<OutPoint> = tx.input.iter().map(|i| i.previous_output).collect();
        if own.iter().any(|o| spent.contains(o)) {
            return Err("conflict-in-package");
        }
        spent.extend(own);
    }
    Ok(())
}

/// Core's `MAX_REPLACEMENT_CANDIDATES`: the most clusters a replacement may conflict
/// with.
const MAX_REPLACEMENT_CANDIDATES: usize = 100;

/// Core's `CompareChunks`: whether the fee-rate diagram of chunks `a` (fee, size), in
/// order, is above (`Greater`), below (`Less`), equal to, or crosses (`Equal` too, as
/// neither is better) that of `b`. A diagram goes on flat past its end.
pub fn compare_diagrams(a: &[(i64, u64)], b: &[(i64, u64)]) -> std::cmp::Ordering {
    // The diagram's points: cumulative (size, fee).
    let points = |c: &[(i64, u64)]| {
        let mut p = vec![(0u64, 0i64)];
        for (fee, size) in c {
            let (s, f) = *p.last().expect("starts with the origin");
            p.push((s + size, f + fee));
        }
        p
    };
    let (pa, pb) = (points(a), points(b));
    // The fee of diagram `p` at size `x`, as a fraction (numerator, denominator).
    let at = |p: &[(u64, i64)], x: u64| -> (i128, i128) {
        for w in p.windows(2) {
            let ((s0, f0), (s1, f1)) = (w[0], w[1]);
            if x <= s1 && s1 > s0 {
                let num = i128::from(f0) * i128::from(s1 - s0)
                    + i128::from(f1 - f0) * i128::from(x.saturating_sub(s0));
                return (num, i128::from(s1 - s0));
            }
        }
        (i128::from(p.last().expect("not empty").1), 1)
    };
    let (mut better, mut worse) = (false, false);
    for x in pa.iter().chain(&pb).map(|(s, _)| *s) {
        let ((n1, d1), (n2, d2)) = (at(&pa, x), at(&pb, x));
        match (n1 * d2).cmp(&(n2 * d1)) {
            std::cmp::Ordering::Greater => better = true,
            std::cmp::Ordering::Less => worse = true,
            std::cmp::Ordering::Equal => {}
        }
    }
    match (better, worse) {
        (true, false) => std::cmp::Ordering::Greater,
        (false, true) => std::cmp::Ordering::Less,
        _ => std::cmp::Ordering::Equal,
    }
}

/// Core's `MAX_STANDARD_TX_SIGOPS_COST`.
pub const MAX_STANDARD_TX_SIGOPS_COST: u64 = validation::MAX_BLOCK_SIGOPS_COST as u64 / 5;

/// Why a transaction was not accepted: Core's `TxValidationState`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.to_core_string())]
pub struct TxReject {
    /// Whether the transaction spends outputs that are nowhere (Core's
    /// `TX_MISSING_INPUTS`, which `sendrawtransaction` reports apart).
    pub missing_inputs: bool,
    /// Core's reject reason.
    pub reason: String,
    /// Core's debug message, empty when Core has none.
    pub debug: String,
}

impl TxReject {
    fn new(reason: impl Into<String>) -> TxReject {
        TxReject {
            missing_inputs: false,
            reason: reason.into(),
            debug: String::new(),
        }
    }

    fn with_debug(reason: impl Into<String>, debug: impl Into<String>) -> TxReject {
        TxReject {
            missing_inputs: false,
            reason: reason.into(),
            debug: debug.into(),
        }
    }

    /// Whether Core would reconsider the transaction in a package (`TX_RECONSIDERABLE`:
    /// its fee alone is too low; or its inputs are missing, maybe in the package).
    pub fn reconsiderable(&self) -> bool {
        self.missing_inputs
            || matches!(
                self.reason.as_str(),
                "min relay fee not met"
                    | "mempool min fee not met"
                    | "insufficient fee"
                    | "insufficient fee (including sibling eviction)"
                    | "replacement-failed"
                    | "mempool full"
            )
    }

    /// Core's `ValidationState::ToString`: the reason, and the debug message after a
    /// comma when there is one.
    pub fn to_core_string(&self) -> String {
        if self.debug.is_empty() {
            self.reason.clone()
        } else {
            format!("{}, {}", self.reason, self.debug)
        }
    }
}

/// Core's `FormatMoney`: an amount in coins with at least two decimals.
pub fn format_money(sats: i64) -> String {
    let sign = if sats < 0 { "-" } else { "" };
    let (q, r) = (
        sats.unsigned_abs() / 100_000_000,
        sats.unsigned_abs() % 100_000_000,
    );
    let mut s = format!("{q}.{r:08}");
    while s.ends_with('0') && s.len() - s.find('.').expect("has a point") > 3 {
        s.pop();
    }
    format!("{sign}{s}")
}

/// Core's `CFeeRate::GetFee`: the fee at `per_kvb` satoshis per 1000 vbytes for `vsize`
/// vbytes, rounded up.
pub fn fee_for(per_kvb: i64, vsize: u64) -> i64 {
    let vsize = vsize as i64;
    let num = per_kvb * vsize;
    // Rounded up (towards positive infinity).
    let fee = num.div_euclid(1000) + i64::from(num.rem_euclid(1000) != 0);
    if fee == 0 && vsize != 0 && per_kvb < 0 {
        -1
    } else {
        fee
    }
}

/// A transaction in the mempool (Core's `CTxMemPoolEntry`).
#[derive(Clone, Debug)]
pub struct MempoolEntry {
    /// The transaction.
    pub tx: Arc<Transaction>,
    /// Its txid.
    pub txid: Txid,
    /// Its wtxid.
    pub wtxid: Wtxid,
    /// The fee it pays.
    pub fee: Amount,
    /// Its virtual size, with signature operations counted as Core counts them.
    pub vsize: u64,
    /// Its weight.
    pub weight: u64,
    /// When it entered (the node's clock).
    pub time: i64,
    /// The chain's height when it entered.
    pub height: u32,
    /// Its signature operation cost.
    pub sigop_cost: u64,
    /// Whether it spends a coinbase output.
    pub spends_coinbase: bool,
    /// Arrival order.
    pub sequence: u64,
    /// Its relative locks as Core caches them (`LockPoints`).
    pub lock_points: LockPoints,
    /// What it replaced (or, before it enters, will replace): conflicting transactions
    /// and their descendants.
    pub replaces: HashSet<Txid>,
    /// The mempool transactions spending what it spends (before it entered).
    pub direct_conflicts: HashSet<Txid>,
}

/// Core's `LockPoints`: a mempool transaction's BIP68 relative locks as worked out when
/// it entered (`CalculateLockPointsAtTip`, coins of mempool transactions at the next
/// block's height), kept while the block of its highest confirmed coin stays in the
/// chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockPoints {
    /// The last height its relative locks hold it at (-1 for none).
    pub height: i64,
    /// The last median time past its relative locks hold it at (-1 for none).
    pub time: i64,
    /// The height and hash of the block of its highest confirmed coin (the genesis
    /// block when it spends mempool coins only): `maxInputBlock`.
    pub max_input_block: (u32, bitcoin::BlockHash),
}

impl LockPoints {
    /// Core's `CalculateLockPointsAtTip` for `tx` spending coins of `heights` (Core's
    /// `MEMPOOL_HEIGHT` for mempool coins, which count as at the next block's height).
    fn at_tip(chain: &Chain, tx: &Transaction, heights: &[u32]) -> LockPoints {
        let tip = chain.tip();
        let next = tip.height + 1;
        let prev_heights: Vec<u32> = heights
            .iter()
            .map(|&h| if h == MEMPOOL_HEIGHT { next } else { h })
            .collect();
        let mtp_at = |h: u32| {
            chain
                .at(i64::from(h))
                .map_or(i64::from(tip.median_time_past), |b| {
                    i64::from(b.median_time_past)
                })
        };
        let (height, time) = validation::sequence_locks(tx, &prev_heights, mtp_at);
        let max_input_height = heights
            .iter()
            .copied()
            .filter(|&h| h != MEMPOOL_HEIGHT)
            .max()
            .unwrap_or(0);
        let hash = chain.at(i64::from(max_input_height)).map_or(
            <bitcoin::BlockHash as bitcoin::hashes::Hash>::all_zeros(),
            |b| b.hash,
        );
        LockPoints {
            height,
            time,
            max_input_block: (max_input_height, hash),
        }
    }

    /// Core's `TestLockPointValidity`: whether `chain` still holds the block they were
    /// worked out from.
    fn still_valid(&self, chain: &Chain) -> bool {
        let (height, hash) = self.max_input_block;
        chain.at(i64::from(height)).map(|b| b.hash) == Some(hash)
    }

    /// Core's `CheckSequenceLocksAtTip`: whether they let it into the block after the
    /// tip of `chain`.
    fn pass_at_tip(&self, chain: &Chain) -> bool {
        let tip = chain.tip();
        self.height < i64::from(tip.height) + 1 && self.time < i64::from(tip.median_time_past)
    }
}

/// What `accept` found for a transaction it accepted (or would accept).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    /// Its txid.
    pub txid: Txid,
    /// Its wtxid.
    pub wtxid: Wtxid,
    /// Its virtual size.
    pub vsize: u64,
    /// Its fee.
    pub fee: Amount,
}

/// The mempool.
#[derive(Clone, Debug)]
pub struct Mempool {
    entries: HashMap<Txid, MempoolEntry>,
    by_wtxid: HashMap<Wtxid, Txid>,
    /// Each outpoint a mempool transaction spends, and that transaction.
    spent_by: HashMap<OutPoint, Txid>,
    /// `prioritisetransaction` fee deltas, by txid.
    deltas: BTreeMap<Txid, i64>,
    next_sequence: u64,
    /// Bumped at every change (Core's `GetTransactionsUpdated`-like counter, and the
    /// `mempool_sequence` of `getrawmempool`).
    pub sequence_number: u64,
    options: MempoolOptions,
    policy: standard::Policy,
    /// Transactions `sendrawtransaction` took that no peer has acknowledged (there are
    /// no peers yet, so all of them).
    unbroadcast: HashSet<Txid>,
    /// Core's rolling minimum fee rate (sat/kvB), raised by evictions and decaying with
    /// a 12-hour half-life once a block has come since.
    rolling_min_fee: f64,
    last_rolling_update: i64,
    block_since_bump: bool,
    /// [`Mempool::min_fee`] when the current check started.
    current_min_fee: i64,
    /// Whether loading `mempool.dat` was tried.
    load_tried: bool,
    /// Core's `nTransactionsUpdated` (`getblocktemplate`'s long polls): bumped when a
    /// transaction enters or leaves, a mempool transaction is prioritised, or the tip
    /// moves.
    transactions_updated: u64,
    /// Core's memory accounting ([`crate::memusage`]): what the transactions take apart
    /// from their clusters (`mapTx`, `cachedInnerUsage`, `mapNextTx`, `TxGraph` entries).
    entries_usage: u64,
    /// What `TxGraph` caches as its clusters' memory (`m_cluster_usage`), plus a chunk
    /// index node per chunk as if every cluster were linearized.
    clusters_usage: u64,
    /// The capacity history of Core's `txns_randomized`.
    randomized: memusage::Randomized,
    /// The transactions of the clusters Core has not linearized again since they
    /// changed: a fee change (`prioritisetransaction`) or a removal that leaves two or
    /// more of a cluster behind makes Core's `TxGraph` drop the cluster's chunk index
    /// nodes until something asks for an acceptable linearization (`DoWork` after a
    /// transaction enters or a block connects; the mining order, a block template, a
    /// fee-rate diagram, each step of `TrimToSize`). Read-only methods that stand for
    /// those requests empty it, hence the cell.
    unlinearized: RefCell<HashSet<Txid>>,
    /// While the mempool follows a call that moved the active chain
    /// ([`Mempool::update_for_reorg`]), the chain's coins at the step it is at.
    coins_at: Option<CoinsAt>,
    /// Transactions of a disconnected block just accepted again, not yet linked to the
    /// mempool transactions spending them: Core's `TxGraph` has no such links until
    /// `UpdateTransactionsFromBlock`, so a cluster stops at them till then.
    unlinked: HashSet<Txid>,
}

/// Core's `ROLLING_FEE_HALFLIFE`.
const ROLLING_FEE_HALFLIFE: f64 = 60.0 * 60.0 * 12.0;

/// The memory an entry takes apart from its cluster, as Core's `DynamicMemoryUsage`
/// counts it: its `mapTx` node, `nUsageSize`, a `mapNextTx` node per input and its
/// `TxGraph` entry ([`memusage::entry_usage`]).
fn entry_usage(e: &MempoolEntry) -> u64 {
    memusage::entry_usage(&e.tx)
}

/// Where the mempool finds the coins a transaction spends: the outputs of the package
/// transactions judged before it, mempool outputs, then the chain's UTXO set.
struct View<'a> {
    pool: &'a Mempool,
    store: &'a ChainStore,
    /// The earlier transactions of the package being judged (Core's
    /// `CCoinsViewMemPool::PackageAddTransaction`): not in the mempool, their outputs
    /// spendable by the later ones.
    package: &'a [&'a Transaction],
}

/// A coin as the mempool sees it: (height, coinbase, output); mempool outputs have
/// Core's `MEMPOOL_HEIGHT`.
type ViewCoin = (u32, bool, TxOut);

/// Core's `MEMPOOL_HEIGHT`: the height of coins created by mempool transactions.
const MEMPOOL_HEIGHT: u32 = 0x7FFF_FFFF;

impl View<'_> {
    /// As Core's `CCoinsViewMemPool`: the package's outputs, mempool outputs, then the
    /// chain's coins; what mempool transactions spend is still there (spending it again
    /// is a conflict, not a missing input).
    fn coin(&self, outpoint: &OutPoint) -> Option<ViewCoin> {
        if let Some(tx) = self
            .package
            .iter()
            .find(|t| t.compute_txid() == outpoint.txid)
        {
            return tx
                .output
                .get(outpoint.vout as usize)
                .map(|o| (MEMPOOL_HEIGHT, false, o.clone()));
        }
        if let Some(e) = self.pool.entries.get(&outpoint.txid) {
            return e
                .tx
                .output
                .get(outpoint.vout as usize)
                .map(|o| (MEMPOOL_HEIGHT, false, o.clone()));
        }
        self.pool.chain_coin(self.store, outpoint)
    }
}

/// The chain's coins at a point inside a call that moved the active chain, as changes
/// to the store's UTXO set (which holds them as the call left them): the mempool follows
/// the call's steps on the coins each saw.
#[derive(Clone, Debug, Default)]
pub struct CoinsAt {
    /// Coins that differ from the store's: present (`Some`) or not (`None`).
    coins: HashMap<OutPoint, Option<ViewCoin>>,
}

impl CoinsAt {
    /// `block`, at `height`, connected: its outputs created, its inputs spent.
    pub fn connect(&mut self, block: &bitcoin::Block, height: u32) {
        for (i, tx) in block.txdata.iter().enumerate() {
            if i > 0 {
                for input in &tx.input {
                    self.coins.insert(input.previous_output, None);
                }
            }
            let txid = tx.compute_txid();
            for (vout, output) in tx.output.iter().enumerate() {
                self.coins.insert(
                    OutPoint::new(txid, vout as u32),
                    Some((height, i == 0, output.clone())),
                );
            }
        }
    }

    /// `block` disconnected, `undo` holding the coins its transactions spent (one list
    /// per transaction after the coinbase): its outputs gone, those coins back.
    pub fn disconnect(&mut self, block: &bitcoin::Block, undo: &[Vec<crate::undo::SpentCoin>]) {
        // Last transaction first, as Core's DisconnectBlock: a coin created and spent in
        // the block is back for its spender's undoing, then gone with its creator.
        for (i, tx) in block.txdata.iter().enumerate().rev() {
            let txid = tx.compute_txid();
            for vout in 0..tx.output.len() as u32 {
                self.coins.insert(OutPoint::new(txid, vout), None);
            }
            let Some(spent) = i.checked_sub(1).and_then(|u| undo.get(u)) else {
                continue;
            };
            for (input, coin) in tx.input.iter().zip(spent) {
                self.coins.insert(
                    input.previous_output,
                    Some((coin.height, coin.coinbase, coin.output.clone())),
                );
            }
        }
    }

    /// The coin at `outpoint`.
    fn coin(&self, store: &ChainStore, outpoint: &OutPoint) -> Option<ViewCoin> {
        match self.coins.get(outpoint) {
            Some(coin) => coin.clone(),
            None => store.coin(outpoint).ok().flatten(),
        }
    }
}

/// Core's `ATMPArgs`: what one acceptance may do.
#[derive(Clone, Copy, Debug)]
struct AtmpArgs {
    /// Core's `m_bypass_limits`: the transactions of disconnected blocks skip the fee
    /// rate, TRUC and ephemeral dust checks.
    bypass_limits: bool,
    /// Core's `m_allow_replacement`: whether it may replace mempool transactions (not
    /// in a package `testmempoolaccept`).
    allow_replacement: bool,
    /// Core's `m_allow_sibling_eviction`: whether a TRUC transaction may evict its
    /// parent's other child; only a transaction judged on its own.
    allow_sibling_eviction: bool,
    /// Core's `m_package_feerates`: the fee rate is the package's, judged once every
    /// transaction passed `PreChecks`, not each transaction's.
    package_feerates: bool,
    /// Core's `m_client_maxfeerate` (sat/kvB): `submitpackage`'s `maxfeerate`.
    client_maxfeerate: Option<i64>,
}

impl AtmpArgs {
    /// Core's `ATMPArgs::SingleAccept` (`sendrawtransaction`, `testmempoolaccept` of one
    /// transaction, `mempool.dat`, a reorg's transactions with `bypass_limits`).
    fn single_accept(bypass_limits: bool) -> AtmpArgs {
        AtmpArgs {
            bypass_limits,
            allow_replacement: true,
            allow_sibling_eviction: true,
            package_feerates: false,
            client_maxfeerate: None,
        }
    }

    /// Core's `ATMPArgs::PackageTestAccept` (`testmempoolaccept` of several).
    fn package_test_accept() -> AtmpArgs {
        AtmpArgs {
            bypass_limits: false,
            allow_replacement: false,
            allow_sibling_eviction: false,
            package_feerates: false,
            client_maxfeerate: None,
        }
    }

    /// Core's `ATMPArgs::PackageChildWithParents` (`submitpackage`, the transactions
    /// judged together).
    fn package_child_with_parents(client_maxfeerate: Option<i64>) -> AtmpArgs {
        AtmpArgs {
            bypass_limits: false,
            allow_replacement: true,
            allow_sibling_eviction: false,
            package_feerates: true,
            client_maxfeerate,
        }
    }

    /// Core's `ATMPArgs::SingleInPackageAccept` (`submitpackage`, one transaction on its
    /// own).
    fn single_in_package(client_maxfeerate: Option<i64>) -> AtmpArgs {
        AtmpArgs {
            bypass_limits: false,
            allow_replacement: true,
            allow_sibling_eviction: true,
            package_feerates: false,
            client_maxfeerate,
        }
    }

    /// Whether `fee` for `vsize` is above the client's maximum fee rate (Core compares
    /// the exact fractions).
    fn exceeds_client_maxfeerate(&self, fee: i64, vsize: u64) -> bool {
        self.client_maxfeerate
            .is_some_and(|m| i128::from(fee) * 1000 > i128::from(m) * i128::from(vsize))
    }
}

/// Core's `Workspace`: what `PreChecks` found of a transaction, for the checks after it.
#[derive(Clone, Debug)]
struct Workspace {
    /// The entry it would have; `direct_conflicts` are Core's `m_conflicts` (with an
    /// evicted sibling), `replaces` filled in by the replacement checks.
    entry: MempoolEntry,
    /// Its fee with the `prioritisetransaction` delta.
    modified: i64,
    /// Its parents in the mempool (not in its package).
    parents: Vec<Txid>,
    /// The outputs it spends, in input order.
    spent_outputs: Vec<TxOut>,
    /// Whether a TRUC sibling is among `direct_conflicts` (Core's `m_sibling_eviction`).
    sibling_eviction: bool,
}

/// How Core's `AcceptMultipleTransactions` failed: its `PackageValidationState`.
#[derive(Clone, Debug)]
enum PackageFailure {
    /// `PCKG_POLICY`: a rule of the package as a whole (its TRUC rules, package RBF,
    /// cluster limits); no transaction has a result.
    Policy(String),
    /// `PCKG_TX`: the package's message (`transaction failed`, `unspent-dust`) and the
    /// one transaction with a result, by its index among those judged.
    Tx {
        /// The package's message.
        message: String,
        /// The failed transaction's index.
        index: usize,
        /// Why it failed.
        reject: TxReject,
    },
}

impl PackageFailure {
    fn tx(index: usize, reject: TxReject) -> PackageFailure {
        PackageFailure::Tx {
            message: "transaction failed".into(),
            index,
            reject,
        }
    }
}

impl Mempool {
    /// An empty mempool with these options.
    pub fn new(options: MempoolOptions) -> Mempool {
        let policy = standard::Policy {
            permit_bare_multisig: options.permit_bare_multisig,
            max_datacarrier_bytes: u64::try_from(options.max_datacarrier_bytes).ok(),
            dust_relay_fee_per_kvb: options.dust_relay_fee_per_kvb,
            bytes_per_sigop: options.bytes_per_sigop,
        };
        Mempool {
            entries: HashMap::new(),
            by_wtxid: HashMap::new(),
            spent_by: HashMap::new(),
            deltas: BTreeMap::new(),
            next_sequence: 0,
            sequence_number: 1,
            options,
            policy,
            unbroadcast: HashSet::new(),
            rolling_min_fee: 0.0,
            last_rolling_update: 0,
            block_since_bump: false,
            current_min_fee: 0,
            load_tried: false,
            transactions_updated: 0,
            entries_usage: 0,
            clusters_usage: 0,
            randomized: memusage::Randomized::default(),
            unlinearized: RefCell::new(HashSet::new()),
            coins_at: None,
            unlinked: HashSet::new(),
        }
    }

    /// The options it runs with.
    pub fn options(&self) -> &MempoolOptions {
        &self.options
    }

    /// The entry of `txid`.
    pub fn get(&self, txid: &Txid) -> Option<&MempoolEntry> {
        self.entries.get(txid)
    }

    /// Whether it holds a transaction with this txid.
    pub fn contains(&self, txid: &Txid) -> bool {
        self.entries.contains_key(txid)
    }

    /// The entries, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = &MempoolEntry> {
        self.entries.values()
    }

    /// How many transactions it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The sum of its transactions' virtual sizes.
    pub fn total_vsize(&self) -> u64 {
        self.entries.values().map(|e| e.vsize).sum()
    }

    /// The sum of its transactions' fees.
    pub fn total_fee(&self) -> Amount {
        self.entries.values().map(|e| e.fee).sum()
    }

    /// The memory it takes as Core's `CTxMemPool::DynamicMemoryUsage` counts it (see
    /// [`crate::memusage`]): the entries' `mapTx` nodes, `nUsageSize`s, `mapNextTx` nodes
    /// and `TxGraph` entries, a `mapDeltas` node per fee delta, `txns_randomized`'s
    /// capacity, and `TxGraph`'s clusters and chunk index nodes (none for the clusters
    /// Core has left unlinearized).
    pub fn usage(&self) -> u64 {
        let unlinearized = self.unlinearized.borrow();
        let missing_chunks: u64 = self
            .clusters_holding(unlinearized.iter().copied())
            .iter()
            .map(|c| self.chunk_count(c))
            .sum();
        (self.entries_usage
            + memusage::DELTA_NODE * self.deltas.len() as u64
            + self.randomized.usage()
            + self.clusters_usage)
            .saturating_sub(memusage::CHUNK_NODE * missing_chunks)
    }

    /// The clusters (their members) holding those of `seeds` in the mempool, each once.
    fn clusters_holding(&self, seeds: impl IntoIterator<Item = Txid>) -> Vec<HashSet<Txid>> {
        let mut seen: HashSet<Txid> = HashSet::new();
        let mut found = Vec::new();
        let none = HashSet::new();
        for t in seeds {
            if seen.contains(&t) || !self.entries.contains_key(&t) {
                continue;
            }
            let cluster = self.cluster_of(&[t], &none);
            seen.extend(cluster.iter().copied());
            found.push(cluster);
        }
        found
    }

    /// How many chunks the linearization of the cluster `members` has.
    fn chunk_count(&self, members: &HashSet<Txid>) -> u64 {
        if members.len() <= 1 {
            return members.len() as u64;
        }
        self.clusters_of(members, &[])
            .clusters
            .iter()
            .map(|c| c.len() as u64)
            .sum()
    }

    /// What Core's `TxGraph` counts for these clusters: each one's `TotalMemoryUsage`
    /// and a chunk index node per chunk of its linearization.
    fn clusters_memory(&self, clusters: &[HashSet<Txid>]) -> u64 {
        clusters
            .iter()
            .map(|c| {
                memusage::cluster_usage(c.len() as u64) + memusage::CHUNK_NODE * self.chunk_count(c)
            })
            .sum()
    }

    /// Core's `MakeAllAcceptable` (or `DoWork` with budget to spare): every cluster is
    /// linearized, so each has its chunk index nodes again.
    fn linearize_all(&self) {
        self.unlinearized.borrow_mut().clear();
    }

    /// Core's `MakeAcceptable` of `txid`'s cluster alone, as its `GetMainChunkFeerate`
    /// and `GetCluster` do for the commands reading one transaction's cluster
    /// (`getmempoolentry`, `getmempoolancestors`, `getmempooldescendants`,
    /// `getmempoolcluster`): that cluster has its chunk index nodes again.
    pub fn linearize_cluster_of(&self, txid: &Txid) {
        let cluster = self.cluster_of(&[*txid], &HashSet::new());
        let mut unlinearized = self.unlinearized.borrow_mut();
        for t in &cluster {
            unlinearized.remove(t);
        }
    }

    /// Core's `GetMinFee`: the fee rate (sat/kvB) below which transactions are refused
    /// after evictions, decaying once a block has come; at least the incremental relay
    /// fee while it is not zero.
    pub fn min_fee(&mut self, now: i64) -> i64 {
        if !self.block_since_bump || self.rolling_min_fee == 0.0 {
            return self.rolling_min_fee.round() as i64;
        }
        if now > self.last_rolling_update + 10 {
            let limit = self.options.max_size_bytes.max(0) as u64;
            let usage = self.usage();
            let mut halflife = ROLLING_FEE_HALFLIFE;
            if usage < limit / 4 {
                halflife /= 4.0;
            } else if usage < limit / 2 {
                halflife /= 2.0;
            }
            self.rolling_min_fee /= 2f64.powf((now - self.last_rolling_update) as f64 / halflife);
            self.last_rolling_update = now;
            if self.rolling_min_fee < self.options.incremental_relay_fee_per_kvb as f64 / 2.0 {
                self.rolling_min_fee = 0.0;
                return 0;
            }
        }
        (self.rolling_min_fee.round() as i64).max(self.options.incremental_relay_fee_per_kvb)
    }

    /// Core's `LimitMempoolSize`: transactions older than `-mempoolexpiry` leave (with
    /// their descendants), then the lowest fee-rate chunks until the memory fits
    /// `-maxmempool`, raising the minimum fee to what left plus the incremental relay
    /// fee.
    fn limit_size(&mut self, now: i64) {
        let cutoff = now - self.options.expiry_secs;
        let old: Vec<Txid> = self
            .entries
            .values()
            .filter(|e| e.time < cutoff)
            .map(|e| e.txid)
            .collect();
        for t in old {
            self.remove_recursive(&t);
        }
        let limit = self.options.max_size_bytes.max(0) as u64;
        // Core's TrimToSize: the worst chunk (the last in mining order, always the last
        // of its cluster) leaves, until the memory fits. Taking a cluster's last chunk
        // leaves the chunks before it as they were, so the order is worked out again
        // only when a cluster keeps transactions (it may have split).
        let mut order: Vec<Vec<Txid>> = Vec::new();
        while !self.entries.is_empty() && self.usage() > limit {
            // Core's GetWorstMainChunk makes every cluster acceptable first; the removal
            // below may leave parts of a cluster unlinearized for the next check.
            self.linearize_all();
            if order.is_empty() {
                order = self
                    .chunks_with_ends()
                    .into_iter()
                    .map(|(c, _)| c)
                    .collect();
            }
            let Some(worst) = order.pop() else {
                break;
            };
            let rest_of_cluster = worst.iter().any(|t| {
                self.parents(&self.entries[t].tx)
                    .iter()
                    .any(|p| !worst.contains(p))
            });
            let fee: i64 = worst.iter().map(|t| self.modified_fee(t)).sum();
            let weight: u64 = worst
                .iter()
                .map(|t| self.adjusted_weight(&self.entries[t]))
                .sum();
            // CFeeRate(fee, vsize) per kvB, rounded down, plus the incremental fee.
            let vsize = weight.div_ceil(4).max(1) as i64;
            let removed =
                (fee * 1000).div_euclid(vsize) + self.options.incremental_relay_fee_per_kvb;
            if removed as f64 > self.rolling_min_fee {
                self.rolling_min_fee = removed as f64;
                self.block_since_bump = false;
            }
            self.remove_many(&worst);
            if rest_of_cluster {
                order.clear();
            }
        }
    }

    /// Core's `GetModifiedFee`: the fee with the `prioritisetransaction` delta.
    fn modified_fee(&self, txid: &Txid) -> i64 {
        (self.entries[txid].fee.to_sat() as i64).saturating_add(self.delta(txid))
    }

    /// The size Core's `TxGraph` and block assembly count for `e`: its weight, or its
    /// signature operations' weight under `-bytespersigop` when larger
    /// (`GetSigOpsAdjustedWeight`).
    pub fn adjusted_weight(&self, e: &MempoolEntry) -> u64 {
        standard::sigops_adjusted_weight(e.weight, e.sigop_cost, self.policy.bytes_per_sigop)
    }

    /// The chain's coin at `outpoint`: `store`'s, or as it was at the step of a call
    /// that the mempool is following.
    fn chain_coin(&self, store: &ChainStore, outpoint: &OutPoint) -> Option<ViewCoin> {
        match &self.coins_at {
            Some(at) => at.coin(store, outpoint),
            None => store.coin(outpoint).ok().flatten(),
        }
    }

    /// `txid` as the cluster layer sees it.
    fn cluster_node(&self, txid: &Txid) -> crate::clusters::Node {
        let e = &self.entries[txid];
        crate::clusters::Node {
            txid: *txid,
            fee: self.modified_fee(txid),
            weight: self.adjusted_weight(e),
            parents: self.parents(&e.tx),
        }
    }

    /// The clusters of the transactions `set`, plus `extra` (transactions not in the
    /// mempool, as a replacement would add them), each linearized.
    fn clusters_of(
        &self,
        set: &HashSet<Txid>,
        extra: &[crate::clusters::Node],
    ) -> crate::clusters::Clusters {
        let mut nodes: Vec<crate::clusters::Node> =
            set.iter().map(|t| self.cluster_node(t)).collect();
        nodes.extend(extra.iter().cloned());
        crate::clusters::Clusters::of(&nodes)
    }

    /// The whole mempool's clusters, each linearized (Core's `TxGraph` main level).
    pub fn clusters(&self) -> crate::clusters::Clusters {
        let nodes: Vec<crate::clusters::Node> =
            self.entries.keys().map(|t| self.cluster_node(t)).collect();
        crate::clusters::Clusters::of(&nodes)
    }

    /// The mempool transaction spending `outpoint`, if any.
    pub fn spender(&self, outpoint: &OutPoint) -> Option<Txid> {
        self.spent_by.get(outpoint).copied()
    }

    /// Marks `txid` as waiting for its first broadcast.
    pub fn add_unbroadcast(&mut self, txid: Txid) {
        if self.entries.contains_key(&txid) {
            self.unbroadcast.insert(txid);
        }
    }

    /// Whether `txid` waits for its first broadcast.
    pub fn is_unbroadcast(&self, txid: &Txid) -> bool {
        self.unbroadcast.contains(txid)
    }

    /// How many transactions wait for their first broadcast.
    pub fn unbroadcast_count(&self) -> usize {
        self.unbroadcast.len()
    }

    /// The fee delta `prioritisetransaction` gave `txid`.
    pub fn delta(&self, txid: &Txid) -> i64 {
        self.deltas.get(txid).copied().unwrap_or(0)
    }

    /// The mempool parents of `txid`'s transaction.
    pub fn parents(&self, tx: &Transaction) -> Vec<Txid> {
        let mut seen = HashSet::new();
        tx.input
            .iter()
            .map(|i| i.previous_output.txid)
            .filter(|t| self.entries.contains_key(t) && seen.insert(*t))
            .collect()
    }

    /// The mempool children of `txid`.
    pub fn children(&self, txid: &Txid) -> Vec<Txid> {
        let Some(e) = self.entries.get(txid) else {
            return Vec::new();
        };
        let mut seen = HashSet::new();
        (0..e.tx.output.len() as u32)
            .filter_map(|vout| self.spent_by.get(&OutPoint::new(*txid, vout)).copied())
            .filter(|t| seen.insert(*t))
            .collect()
    }

    /// Every mempool ancestor of `txid` (not itself).
    pub fn ancestors(&self, txid: &Txid) -> HashSet<Txid> {
        let mut found = HashSet::new();
        let mut stack: Vec<Txid> = self
            .entries
            .get(txid)
            .map(|e| self.parents(&e.tx))
            .unwrap_or_default();
        while let Some(t) = stack.pop() {
            if found.insert(t) {
                stack.extend(self.parents(&self.entries[&t].tx));
            }
        }
        found
    }

    /// Every mempool descendant of `txid` (not itself).
    pub fn descendants(&self, txid: &Txid) -> HashSet<Txid> {
        let mut found = HashSet::new();
        let mut stack = self.children(txid);
        while let Some(t) = stack.pop() {
            if found.insert(t) {
                stack.extend(self.children(&t));
            }
        }
        found
    }

    /// Core's `MemPoolAccept` for one transaction on `chain`'s tip: every check, then,
    /// unless `test_only`, the transaction enters. `now` is the node's clock.
    pub fn accept(
        &mut self,
        store: &ChainStore,
        chain: &Chain,
        tx: Transaction,
        now: i64,
        test_only: bool,
    ) -> Result<Accepted, TxReject> {
        let result = self.accept_at(store, chain, tx, now, now, test_only);
        // Core's ProcessTransaction ends with CTxMemPool::check, which on regtest
        // (`-checkmempool` defaults to 1 there) reads the whole mining order and so
        // linearizes every cluster a trim left unlinearized.
        self.linearize_all();
        result
    }

    /// [`Mempool::accept`] with the entry time `time` (a transaction loaded from
    /// `mempool.dat` keeps the time it first entered).
    pub fn accept_at(
        &mut self,
        store: &ChainStore,
        chain: &Chain,
        tx: Transaction,
        now: i64,
        time: i64,
        test_only: bool,
    ) -> Result<Accepted, TxReject> {
        self.current_min_fee = self.min_fee(now);
        let ws =
            self.accept_single_checks(store, chain, &tx, now, &AtmpArgs::single_accept(false))?;
        let mut entry = ws.entry;
        entry.time = time;
        let accepted = Accepted {
            txid: entry.txid,
            wtxid: entry.wtxid,
            vsize: entry.vsize,
            fee: entry.fee,
        };
        if !test_only {
            self.add(entry);
            self.limit_size(now);
            if !self.entries.contains_key(&accepted.txid) {
                return Err(TxReject::new("mempool full"));
            }
        }
        Ok(accepted)
    }

    /// The checks of Core's `AcceptSingleTransaction`, in Core's order: `PreChecks`, the
    /// replacement checks when it conflicts (`ReplacementChecks`), the cluster limits, no
    /// spending of what it replaces, the client's maximum fee rate, the spending of its
    /// parents' ephemeral dust, and last the scripts (`PolicyScriptChecks`). What it
    /// found; nothing enters.
    fn accept_single_checks(
        &self,
        store: &ChainStore,
        chain: &Chain,
        tx: &Transaction,
        now: i64,
        args: &AtmpArgs,
    ) -> Result<Workspace, TxReject> {
        let mut ws = self.pre_checks(store, chain, tx, now, args, &[])?;
        if !ws.entry.direct_conflicts.is_empty() {
            self.replacement_checks(&mut ws)?;
        }
        let weight = self.adjusted_weight(&ws.entry);
        self.cluster_limits(&ws.parents, &ws.entry.replaces, weight)?;
        let (txid, conflicts) = (ws.entry.txid, &ws.entry.direct_conflicts);
        if !conflicts.is_empty() {
            // Core's EntriesAndTxidsDisjoint: it must not spend (through its ancestors)
            // what it replaces.
            let mut ancestors: HashSet<Txid> = HashSet::new();
            for p in &ws.parents {
                ancestors.insert(*p);
                ancestors.extend(self.ancestors(p));
            }
            let mut hit: Vec<&Txid> = ancestors.intersection(conflicts).collect();
            hit.sort();
            if let Some(conflict) = hit.first() {
                return Err(TxReject::with_debug(
                    "bad-txns-spends-conflicting-tx",
                    format!("{txid} spends conflicting transaction {conflict}"),
                ));
            }
        }
        // The client's limit (submitpackage's maxfeerate), before any script runs.
        if args.exceeds_client_maxfeerate(ws.modified, ws.entry.vsize) {
            return Err(TxReject::new("max feerate exceeded"));
        }
        // Every dust output of a parent must be spent by its child (ephemeral dust).
        if !args.bypass_limits {
            standard::check_ephemeral_spends(
                std::slice::from_ref(tx),
                self.policy.dust_relay_fee_per_kvb,
                |t| self.entries.get(t).map(|e| e.tx.clone()),
            )
            .map_err(|e| {
                TxReject::with_debug(standard::MissingEphemeralSpends::REASON, e.to_string())
            })?;
        }
        self.policy_script_checks(tx, &ws)?;
        Ok(ws)
    }

    /// Core's `PreChecks`, in Core's order: the context-free checks, standardness,
    /// finality, not already in the mempool, conflicts (refused at once where
    /// replacements are not allowed), inputs (from the chain, the mempool or `package`,
    /// the transactions of the package judged before this one), relative locks, amounts,
    /// standard inputs and witnesses, ephemeral dust paying nothing, signature
    /// operations, the fee rate (unless the package's is judged instead), and the TRUC
    /// rules (against the mempool's transactions only, as Core's). No scripts.
    fn pre_checks(
        &self,
        store: &ChainStore,
        chain: &Chain,
        tx: &Transaction,
        now: i64,
        args: &AtmpArgs,
        package: &[&Transaction],
    ) -> Result<Workspace, TxReject> {
        validation::check_transaction(tx).map_err(TxReject::new)?;
        if tx.is_coinbase() {
            return Err(TxReject::new("coinbase"));
        }
        standard::is_standard_tx(tx, &self.policy).map_err(|r| TxReject::new(r.to_string()))?;
        if standard::tx_size_small(tx) {
            return Err(TxReject::new("tx-size-small"));
        }
        let tip = chain.tip();
        let height = tip.height + 1;
        // CheckFinalTxAtTip: the next block's height, the tip's median time past.
        if !validation::is_final_tx(tx, height, i64::from(tip.median_time_past)) {
            return Err(TxReject::new("non-final"));
        }
        let txid = tx.compute_txid();
        let wtxid = tx.compute_wtxid();
        if self.by_wtxid.contains_key(&wtxid) {
            return Err(TxReject::new("txn-already-in-mempool"));
        }
        if self.entries.contains_key(&txid) {
            return Err(TxReject::new("txn-same-nonwitness-data-in-mempool"));
        }
        // Direct conflicts: mempool transactions spending what this one spends. Where
        // replacements are not allowed (a package test), Core refuses the first right
        // here, before looking at the inputs.
        let mut conflicts: HashSet<Txid> = HashSet::new();
        for input in &tx.input {
            if let Some(conflict) = self.spent_by.get(&input.previous_output) {
                if !args.allow_replacement {
                    return Err(TxReject::new("bip125-replacement-disallowed"));
                }
                conflicts.insert(*conflict);
            }
        }
        let view = View {
            pool: self,
            store,
            package,
        };
        let mut spent = Vec::with_capacity(tx.input.len());
        for input in &tx.input {
            match view.coin(&input.previous_output) {
                Some(c) => spent.push(c),
                None => {
                    let known = (0..tx.output.len() as u32)
                        .any(|vout| self.chain_coin(store, &OutPoint::new(txid, vout)).is_some());
                    if known {
                        return Err(TxReject::new("txn-already-known"));
                    }
                    return Err(TxReject {
                        missing_inputs: true,
                        ..TxReject::new("bad-txns-inputs-missingorspent")
                    });
                }
            }
        }
        let heights: Vec<u32> = spent.iter().map(|(h, _, _)| *h).collect();
        let lock_points = LockPoints::at_tip(chain, tx, &heights);
        if !lock_points.pass_at_tip(chain) {
            return Err(TxReject::new("non-BIP68-final"));
        }
        let coins: Vec<(u32, bool, Amount)> =
            spent.iter().map(|(h, cb, o)| (*h, *cb, o.value)).collect();
        let fee = validation::check_tx_inputs(tx, &coins, height).map_err(|reason| {
            let debug = match reason {
                "bad-txns-premature-spend-of-coinbase" => {
                    let depth = spent
                        .iter()
                        .filter(|(h, cb, _)| *cb && height - h < validation::COINBASE_MATURITY)
                        .map(|(h, _, _)| height - h)
                        .next()
                        .unwrap_or(0);
                    format!("tried to spend coinbase at depth {depth}")
                }
                "bad-txns-in-belowout" => {
                    let value_in: i64 = coins.iter().map(|c| c.2.to_sat() as i64).sum();
                    let value_out: i64 = tx.output.iter().map(|o| o.value.to_sat() as i64).sum();
                    format!(
                        "value in ({}) < value out ({})",
                        format_money(value_in),
                        format_money(value_out)
                    )
                }
                _ => String::new(),
            };
            TxReject::with_debug(reason, debug)
        })?;
        let spent_outputs: Vec<TxOut> = spent.iter().map(|(_, _, o)| o.clone()).collect();
        if !standard::are_inputs_standard(tx, &spent_outputs) {
            return Err(TxReject::new("bad-txns-nonstandard-inputs"));
        }
        let has_witness = tx.input.iter().any(|i| !i.witness.is_empty());
        if has_witness && !standard::is_witness_standard(tx, &spent_outputs) {
            return Err(TxReject::new("bad-witness-nonstandard"));
        }
        let by_outpoint: HashMap<OutPoint, TxOut> = tx
            .input
            .iter()
            .zip(&spent_outputs)
            .map(|(i, o)| (i.previous_output, o.clone()))
            .collect();
        let sigop_cost = tx.total_sigop_cost(|o| by_outpoint.get(o).cloned()) as u64;
        let weight = tx.weight().to_wu();
        let vsize = standard::virtual_size(weight, sigop_cost, self.policy.bytes_per_sigop);
        let modified = (fee.to_sat() as i64).saturating_add(self.delta(&txid));
        standard::pre_check_ephemeral_tx(tx, self.policy.dust_relay_fee_per_kvb, fee, modified)
            .map_err(|r| TxReject::with_debug(r.to_string(), standard::EPHEMERAL_FEE_DEBUG))?;
        if sigop_cost > MAX_STANDARD_TX_SIGOPS_COST {
            return Err(TxReject::with_debug(
                "bad-txns-too-many-sigops",
                sigop_cost.to_string(),
            ));
        }
        // CheckFeeRate: the mempool's minimum, then the relay minimum; a package's
        // transactions are judged at the package's rate later.
        if !args.bypass_limits && !args.package_feerates {
            self.check_fee_rate(vsize, modified)?;
        }
        let parents = self.parents(tx);
        // TRUC (version 3) rules; a sibling in the way may be evicted as a conflict where
        // Core allows sibling eviction (a single transaction, not a package).
        let mut sibling_eviction = false;
        if !args.bypass_limits
            && let Err(v) = crate::truc::single_truc_checks(self, tx, vsize, &conflicts)
        {
            match v.sibling_to_evict.filter(|_| args.allow_sibling_eviction) {
                Some(sibling) => {
                    conflicts.insert(sibling);
                    sibling_eviction = true;
                }
                None => {
                    return Err(TxReject::with_debug(crate::truc::TRUC_VIOLATION, v.debug));
                }
            }
        }
        Ok(Workspace {
            entry: MempoolEntry {
                replaces: HashSet::new(),
                direct_conflicts: conflicts,
                tx: Arc::new(tx.clone()),
                txid,
                wtxid,
                fee,
                vsize,
                weight,
                time: now,
                height: tip.height,
                sigop_cost,
                spends_coinbase: spent.iter().any(|(_, cb, _)| *cb),
                sequence: self.next_sequence,
                lock_points,
            },
            modified,
            parents,
            spent_outputs,
            sibling_eviction,
        })
    }

    /// Core's `CheckFeeRate`: `fee` (modified) for `vsize` must reach the mempool's
    /// minimum fee rate, then the relay minimum.
    fn check_fee_rate(&self, vsize: u64, fee: i64) -> Result<(), TxReject> {
        let reject_fee = fee_for(self.current_min_fee, vsize);
        if reject_fee > 0 && fee < reject_fee {
            return Err(TxReject::with_debug(
                "mempool min fee not met",
                format!("{fee} < {reject_fee}"),
            ));
        }
        let min_relay = fee_for(self.options.min_relay_fee_per_kvb, vsize);
        if fee < min_relay {
            return Err(TxReject::with_debug(
                "min relay fee not met",
                format!("{fee} < {min_relay}"),
            ));
        }
        Ok(())
    }

    /// Core's `PolicyScriptChecks`: every input's scripts under the standard flags.
    fn policy_script_checks(&self, tx: &Transaction, ws: &Workspace) -> Result<(), TxReject> {
        let spent_outputs = &ws.spent_outputs;
        for input in 0..tx.input.len() {
            // Core v31's interpreter accepts a pay-to-anchor spend outright; the Core 26
            // one we run would call it an upgradable witness program under the
            // standard flags, which is all that differs.
            let mut flags = standard::STANDARD_SCRIPT_VERIFY_FLAGS;
            if spent_outputs[input].script_pubkey.as_bytes() == [0x51, 0x02, 0x4e, 0x73] {
                flags &= !standard::VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM;
            }
            if let Err(e) = umkoin_consensus::verify_input(tx, spent_outputs, input, flags) {
                let prev = tx.input[input].previous_output;
                return Err(TxReject::with_debug(
                    format!("mempool-script-verify-flag-failed ({e})"),
                    format!(
                        "input {input} of {} (wtxid {}), spending {}:{}",
                        ws.entry.txid, ws.entry.wtxid, prev.txid, prev.vout
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Core's `GetTransactionsUpdated`.
    pub fn transactions_updated(&self) -> u64 {
        self.transactions_updated
    }

    /// Core's `AddTransactionsUpdated` (a new tip).
    pub fn add_transactions_updated(&mut self, n: u64) {
        self.transactions_updated += n;
    }

    fn add(&mut self, mut entry: MempoolEntry) {
        self.transactions_updated += 1;
        let replaces: Vec<Txid> = std::mem::take(&mut entry.replaces).into_iter().collect();
        self.remove_many(&replaces);
        entry.sequence = self.next_sequence;
        self.next_sequence += 1;
        self.sequence_number += 1;
        // The clusters it joins: its parents' and (after a reorg) its children's.
        let txid = entry.txid;
        let mut joined = self.parents(&entry.tx);
        joined.extend(
            (0..entry.tx.output.len() as u32)
                .filter_map(|vout| self.spent_by.get(&OutPoint::new(txid, vout)).copied()),
        );
        let before = self.clusters_holding(joined.iter().copied());
        let before = self.clusters_memory(&before);
        for input in &entry.tx.input {
            self.spent_by.insert(input.previous_output, entry.txid);
        }
        self.entries_usage += entry_usage(&entry);
        self.randomized.push();
        self.by_wtxid.insert(entry.wtxid, entry.txid);
        self.entries.insert(entry.txid, entry);
        joined.push(txid);
        let after = self.clusters_holding(joined);
        self.clusters_usage =
            (self.clusters_usage + self.clusters_memory(&after)).saturating_sub(before);
        // Core's Apply ends with DoWork, which linearizes every cluster.
        self.linearize_all();
    }

    /// The connected component of `seeds` in the parent/child graph (a cluster), less
    /// `without`.
    fn cluster_of(&self, seeds: &[Txid], without: &HashSet<Txid>) -> HashSet<Txid> {
        let mut found = HashSet::new();
        let mut stack: Vec<Txid> = seeds
            .iter()
            .filter(|t| !without.contains(*t))
            .copied()
            .collect();
        while let Some(t) = stack.pop() {
            if without.contains(&t) || !found.insert(t) {
                continue;
            }
            // No link yet from a transaction accepted again after a reorg to those that
            // spend it (see `unlinked`).
            let cut = self.unlinked.contains(&t);
            if let Some(e) = self.entries.get(&t) {
                stack.extend(
                    self.parents(&e.tx)
                        .into_iter()
                        .filter(|p| cut || !self.unlinked.contains(p)),
                );
            }
            stack.extend(
                self.children(&t)
                    .into_iter()
                    .filter(|c| !cut || self.unlinked.contains(c)),
            );
        }
        found
    }

    /// Whether a cluster of `count` transactions whose sigop-adjusted weights add up to
    /// `weight` breaks Core's cluster limits: `-limitclustercount`, and `-limitclustersize`
    /// (kvB) as `TxGraph` holds it, in weight units (`cluster_size_vbytes *
    /// WITNESS_SCALE_FACTOR`), so a cluster's rounded virtual sizes do not decide it.
    fn too_large_cluster(&self, count: usize, weight: u64) -> bool {
        let max_weight = u64::try_from(self.options.limit_cluster_size_bytes)
            .unwrap_or(0)
            .saturating_mul(4);
        count as i64 > self.options.limit_cluster_count || weight > max_weight
    }

    /// The sum of the sigop-adjusted weights of `txids` (mempool transactions).
    fn cluster_weight<'a>(&self, txids: impl IntoIterator<Item = &'a Txid>) -> u64 {
        txids
            .into_iter()
            .map(|t| self.adjusted_weight(&self.entries[t]))
            .sum()
    }

    /// Core's cluster limits (`-limitclustercount`, `-limitclustersize`) for a new
    /// transaction of sigop-adjusted `weight` with mempool `parents`, once `removed` has
    /// left.
    fn cluster_limits(
        &self,
        parents: &[Txid],
        removed: &HashSet<Txid>,
        weight: u64,
    ) -> Result<(), TxReject> {
        let cluster = self.cluster_of(parents, removed);
        if self.too_large_cluster(cluster.len() + 1, self.cluster_weight(&cluster) + weight) {
            return Err(TxReject::new("too-large-cluster"));
        }
        Ok(())
    }

    /// Core's `ReplacementChecks` (full RBF), in Core's order: at most 100 clusters in
    /// conflict (rule 5), the new fee covering what leaves plus its own relay (rules 3
    /// and 4), the cluster limits once what it replaces has left, and a strictly better
    /// fee-rate diagram. Fills the entry's `replaces` with what would leave.
    fn replacement_checks(&self, ws: &mut Workspace) -> Result<(), TxReject> {
        let txid = ws.entry.txid;
        let (modified, vsize) = (ws.modified, ws.entry.vsize);
        // Core names a sibling's eviction in the reasons it shares with RBF.
        let suffix = if ws.sibling_eviction {
            " (including sibling eviction)"
        } else {
            ""
        };
        let conflicts = &ws.entry.direct_conflicts;
        // Rule 5: distinct clusters among the direct conflicts.
        let mut clusters: Vec<HashSet<Txid>> = Vec::new();
        for c in conflicts {
            if !clusters.iter().any(|k| k.contains(c)) {
                clusters.push(self.cluster_of(&[*c], &HashSet::new()));
            }
        }
        if clusters.len() > MAX_REPLACEMENT_CANDIDATES {
            return Err(TxReject::with_debug(
                format!("too many potential replacements{suffix}"),
                format!(
                    "rejecting replacement {txid}; too many conflicting clusters ({} > {MAX_REPLACEMENT_CANDIDATES})",
                    clusters.len()
                ),
            ));
        }
        let mut removed: HashSet<Txid> = HashSet::new();
        for c in conflicts {
            removed.insert(*c);
            removed.extend(self.descendants(c));
        }
        let modified_of =
            |t: &Txid| (self.entries[t].fee.to_sat() as i64).saturating_add(self.delta(t));
        let old_fees: i64 = removed.iter().map(modified_of).sum();
        if modified < old_fees {
            return Err(TxReject::with_debug(
                format!("insufficient fee{suffix}"),
                format!(
                    "rejecting replacement {txid}, less fees than conflicting txs; {} < {}",
                    format_money(modified),
                    format_money(old_fees)
                ),
            ));
        }
        let relay = fee_for(self.options.incremental_relay_fee_per_kvb, vsize);
        if modified - old_fees < relay {
            return Err(TxReject::with_debug(
                format!("insufficient fee{suffix}"),
                format!(
                    "rejecting replacement {txid}, not enough additional fees to relay; {} < {}",
                    format_money(modified - old_fees),
                    format_money(relay)
                ),
            ));
        }
        // Core stages the removals and checks the cluster limits before the diagram (a
        // diagram is only worked out for clusters within the limits).
        self.cluster_limits(&ws.parents, &removed, self.adjusted_weight(&ws.entry))?;
        // The diagrams of the affected clusters, before and after.
        let parents = &ws.parents;
        let mut before: HashSet<Txid> = clusters.into_iter().flatten().collect();
        before.extend(self.cluster_of(parents, &HashSet::new()));
        let after_old: HashSet<Txid> = before.difference(&removed).copied().collect();
        let new_node = crate::clusters::Node {
            txid,
            fee: modified,
            weight: standard::sigops_adjusted_weight(
                ws.entry.weight,
                ws.entry.sigop_cost,
                self.policy.bytes_per_sigop,
            ),
            parents: parents.clone(),
        };
        // Core's GetMainStagingDiagrams makes every main cluster acceptable first.
        self.linearize_all();
        let old_chunks = self.clusters_of(&before, &[]).diagram();
        let new_chunks = self.clusters_of(&after_old, &[new_node]).diagram();
        if compare_diagrams(&new_chunks, &old_chunks) != std::cmp::Ordering::Greater {
            return Err(TxReject::with_debug(
                "replacement-failed",
                "insufficient feerate: does not improve feerate diagram",
            ));
        }
        ws.entry.replaces = removed;
        Ok(())
    }

    /// Takes `txids` out (not their descendants; those not in the mempool are skipped),
    /// keeping Core's memory accounting: what is left of their clusters is split into
    /// connected parts, and those of two or more transactions are left unlinearized as
    /// Core's `TxGraph` leaves them.
    fn remove_many(&mut self, txids: &[Txid]) {
        let before = self.clusters_holding(txids.iter().copied());
        if before.is_empty() {
            return;
        }
        let old = self.clusters_memory(&before);
        for t in txids {
            self.remove_one(t);
        }
        let after = self.clusters_holding(
            before
                .iter()
                .flatten()
                .filter(|t| self.entries.contains_key(*t))
                .copied()
                .collect::<Vec<_>>(),
        );
        self.clusters_usage =
            (self.clusters_usage + self.clusters_memory(&after)).saturating_sub(old);
        let unlinearized = self.unlinearized.get_mut();
        for t in before.iter().flatten() {
            unlinearized.remove(t);
        }
        for c in after.into_iter().filter(|c| c.len() > 1) {
            unlinearized.extend(c);
        }
    }

    /// Takes `txid` out (not its descendants), without its cluster's accounting (see
    /// [`Mempool::remove_many`]).
    fn remove_one(&mut self, txid: &Txid) -> Option<MempoolEntry> {
        let e = self.entries.remove(txid)?;
        self.entries_usage = self.entries_usage.saturating_sub(entry_usage(&e));
        self.randomized.remove();
        self.transactions_updated += 1;
        self.unbroadcast.remove(txid);
        self.by_wtxid.remove(&e.wtxid);
        for input in &e.tx.input {
            if self.spent_by.get(&input.previous_output) == Some(txid) {
                self.spent_by.remove(&input.previous_output);
            }
        }
        self.sequence_number += 1;
        Some(e)
    }

    /// Takes `txid` and its descendants out.
    pub fn remove_recursive(&mut self, txid: &Txid) {
        let mut all = self.descendants(txid);
        all.insert(*txid);
        let all: Vec<Txid> = all.into_iter().collect();
        self.remove_many(&all);
    }

    /// Whether a connected block can change anything but the rolling minimum fee's
    /// clock: there are transactions, or fee deltas a block's transactions clear.
    pub fn touched_by_blocks(&self) -> bool {
        !self.entries.is_empty() || !self.deltas.is_empty()
    }

    /// Core's `removeForBlock` of a block when nothing else is touched
    /// ([`Mempool::touched_by_blocks`]): the rolling minimum fee decays from now on.
    pub fn block_connected(&mut self, now: i64) {
        self.last_rolling_update = now;
        self.block_since_bump = true;
    }

    /// Core's `removeForBlock`: the block's transactions leave, and so does every
    /// mempool transaction spending what one of them spends (with its descendants).
    pub fn remove_for_block(&mut self, block: &bitcoin::Block, now: i64) {
        self.block_connected(now);
        for tx in block.txdata.iter().skip(1) {
            let txid = tx.compute_txid();
            self.remove_many(&[txid]);
            for input in &tx.input {
                if let Some(conflict) = self.spent_by.get(&input.previous_output).copied()
                    && conflict != txid
                {
                    // Core's removeConflicts clears the conflict's fee delta (not its
                    // descendants').
                    self.deltas.remove(&conflict);
                    self.remove_recursive(&conflict);
                }
            }
            self.deltas.remove(&txid);
        }
        // Core's removeForBlock ends with DoWork, which linearizes every cluster.
        self.linearize_all();
    }

    /// Core's `MaybeUpdateMempoolForReorg` once `chain` is the active chain: the
    /// transactions of the blocks disconnected since the last call (`disconnected`, oldest
    /// first) are accepted again (`AcceptToMemoryPool` with `bypass_limits`, unless
    /// `readd` is false) or, failing that, the mempool transactions spending them leave;
    /// then those accepted are linked to the mempool transactions spending them and the
    /// clusters that breaks the limits of are trimmed ([`Mempool::trim_after_reorg`]);
    /// then Core's `removeForReorg` ([`Mempool::remove_for_reorg`]) and the size limit.
    /// `coins` are the chain's coins at this point, when they differ from `store`'s.
    pub fn update_for_reorg(
        &mut self,
        store: &ChainStore,
        chain: &Chain,
        mut coins: Option<&mut CoinsAt>,
        disconnected: Vec<Transaction>,
        readd: bool,
        now: i64,
    ) {
        self.coins_at = coins.as_deref_mut().map(std::mem::take);
        // Core's AcceptToMemoryPool with bypass_limits: no fee-rate, TRUC or ephemeral
        // dust limits.
        let args = AtmpArgs::single_accept(true);
        let mut readded = HashSet::new();
        for tx in disconnected {
            let accepted = readd
                && match self.accept_single_checks(store, chain, &tx, now, &args) {
                    Ok(ws) => {
                        readded.insert(ws.entry.txid);
                        self.unlinked.insert(ws.entry.txid);
                        self.add(ws.entry);
                        true
                    }
                    Err(_) => false,
                };
            if !accepted {
                // Core's removeRecursive of a transaction not in the mempool: what spends
                // it leaves, with its descendants.
                let txid = tx.compute_txid();
                let spenders: Vec<Txid> = (0..tx.output.len() as u32)
                    .filter_map(|vout| self.spent_by.get(&OutPoint::new(txid, vout)).copied())
                    .collect();
                for t in spenders {
                    self.remove_recursive(&t);
                }
            }
        }
        self.link_and_trim(&readded);
        self.remove_for_reorg(store, chain);
        self.linearize_all();
        self.limit_size(now);
        // Core's ActivateBestChain ends with CTxMemPool::check (on regtest), which
        // linearizes every cluster.
        self.linearize_all();
        if let Some(c) = coins {
            *c = self.coins_at.take().unwrap_or_default();
        }
    }

    /// Core's `UpdateTransactionsFromBlock`: the transactions accepted again
    /// (`readded`) are linked to the mempool transactions spending them, merging their
    /// clusters, and those the merge makes too large are trimmed
    /// ([`Mempool::trim_after_reorg`]). The memory accounting ([`crate::memusage`])
    /// goes from the clusters before to those after, never linearizing a cluster over
    /// the limits (which Core never does either).
    fn link_and_trim(&mut self, readded: &HashSet<Txid>) {
        let mut seeds: Vec<Txid> = readded.iter().copied().collect();
        for t in readded {
            seeds.extend(self.children(t));
        }
        let before = self.clusters_holding(seeds);
        let members: Vec<Txid> = before.iter().flatten().copied().collect();
        let before = self.clusters_memory(&before);
        self.unlinked.clear();
        for t in self.trim_after_reorg(readded) {
            self.remove_one(&t);
        }
        // What is left of those clusters, including parts the trim cut off.
        let after = self.clusters_holding(
            members
                .into_iter()
                .filter(|t| self.entries.contains_key(t))
                .collect::<Vec<_>>(),
        );
        self.clusters_usage =
            (self.clusters_usage + self.clusters_memory(&after)).saturating_sub(before);
    }

    /// Core's `removeForReorg` at the tip of `chain`: a transaction no longer final, held
    /// by its relative locks or spending a coinbase output too young for the next block
    /// leaves, with its descendants. Relative locks are judged by the lock points the
    /// transaction entered with while the block they were worked out from stays in the
    /// chain (so one spending mempool coins only keeps the height of the block after its
    /// arrival as its coins' height), else worked out again at the tip (and kept).
    fn remove_for_reorg(&mut self, store: &ChainStore, chain: &Chain) {
        let tip = chain.tip();
        let next = tip.height + 1;
        let mut failing = Vec::new();
        let mut updated = Vec::new();
        let mut txids: Vec<Txid> = self.entries.keys().copied().collect();
        txids.sort();
        for txid in txids {
            let e = &self.entries[&txid];
            let tx = &e.tx;
            if !validation::is_final_tx(tx, next, i64::from(tip.median_time_past)) {
                failing.push(txid);
                continue;
            }
            // The coins are read only when needed, as Core reads them.
            let coins = || -> Vec<Option<ViewCoin>> {
                tx.input
                    .iter()
                    .map(|input| {
                        let prevout = &input.previous_output;
                        if self.entries.contains_key(&prevout.txid) {
                            Some((MEMPOOL_HEIGHT, false, TxOut::NULL))
                        } else {
                            self.chain_coin(store, prevout)
                        }
                    })
                    .collect()
            };
            let lock_points = if e.lock_points.still_valid(chain) {
                Some(e.lock_points)
            } else {
                coins()
                    .iter()
                    .map(|c| c.as_ref().map(|(h, _, _)| *h))
                    .collect::<Option<Vec<u32>>>()
                    .map(|heights| LockPoints::at_tip(chain, tx, &heights))
            };
            let Some(lock_points) = lock_points.filter(|lp| lp.pass_at_tip(chain)) else {
                failing.push(txid);
                continue;
            };
            if lock_points != e.lock_points {
                updated.push((txid, lock_points));
            }
            let immature = e.spends_coinbase
                && coins().iter().flatten().any(|(h, coinbase, _)| {
                    *coinbase
                        && *h != MEMPOOL_HEIGHT
                        && next.saturating_sub(*h) < validation::COINBASE_MATURITY
                });
            if immature {
                failing.push(txid);
            }
        }
        for (txid, lock_points) in updated {
            if let Some(e) = self.entries.get_mut(&txid) {
                e.lock_points = lock_points;
            }
        }
        for t in failing {
            self.remove_recursive(&t);
        }
    }

    /// Core's `TxGraph::Trim` as `UpdateTransactionsFromBlock` calls it, once the
    /// transactions of disconnected blocks (`readded`) are linked to the mempool
    /// transactions spending them: each cluster over `-limitclustercount` or
    /// `-limitclustersize` keeps the transactions a rudimentary linearization takes
    /// while they fit. That linearization merges the clusters as they were before the
    /// links (each in its own linearization order), always taking, among the
    /// transactions whose parents and predecessor are taken, the one of the highest
    /// chunk fee rate (then of the smaller chunk; Core leaves further ties to its heap,
    /// here the least txid); a transaction that would make its would-be cluster too large
    /// is skipped, and so is everything after it. What is skipped, to leave.
    fn trim_after_reorg(&self, readded: &HashSet<Txid>) -> Vec<Txid> {
        let mut trimmed = Vec::new();
        for group in self.clusters_holding(readded.iter().copied()) {
            if !self.too_large_cluster(group.len(), self.cluster_weight(&group)) {
                continue;
            }
            // The clusters before the links: an earlier transaction's dependency on a
            // re-added one is cut.
            let mut members: Vec<Txid> = group.iter().copied().collect();
            members.sort();
            let nodes: Vec<crate::clusters::Node> = members
                .iter()
                .map(|t| {
                    let mut node = self.cluster_node(t);
                    if !readded.contains(t) {
                        node.parents.retain(|p| !readded.contains(p));
                    }
                    node
                })
                .collect();
            let index: HashMap<Txid, usize> =
                members.iter().enumerate().map(|(i, t)| (*t, i)).collect();
            let n = members.len();
            // Each transaction's chunk fee rate, and its dependencies: its predecessor in
            // its cluster's linearization and, for an earlier transaction, its re-added
            // parents.
            let mut chunk_rate = vec![FeeFrac::default(); n];
            let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
            for cluster in crate::clusters::Clusters::of(&nodes).clusters {
                let mut previous = None;
                for chunk in cluster {
                    for t in &chunk.txids {
                        let i = index[t];
                        chunk_rate[i] = chunk.feerate();
                        deps[i].extend(previous);
                        previous = Some(i);
                    }
                }
            }
            for (i, t) in members.iter().enumerate() {
                if !readded.contains(t) {
                    let parents = self.parents(&self.entries[t].tx);
                    deps[i].extend(
                        parents
                            .iter()
                            .filter(|p| readded.contains(*p))
                            .map(|p| index[p]),
                    );
                }
            }
            let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
            for (i, d) in deps.iter().enumerate() {
                for &p in d {
                    children[p].push(i);
                }
            }
            let weight: Vec<u64> = nodes.iter().map(|node| node.weight).collect();
            let max_weight = u64::try_from(self.options.limit_cluster_size_bytes)
                .unwrap_or(0)
                .saturating_mul(4);
            let max_count = usize::try_from(self.options.limit_cluster_count).unwrap_or(0);
            // Union-find over the taken transactions: each would-be cluster's count and
            // weight at its root.
            let mut up: Vec<usize> = (0..n).collect();
            let mut count = vec![1usize; n];
            let mut size = weight.clone();
            let mut unmet: Vec<usize> = deps.iter().map(Vec::len).collect();
            let mut taken = vec![false; n];
            let mut ready: Vec<usize> = (0..n)
                .filter(|&i| unmet[i] == 0 && weight[i] <= max_weight)
                .collect();
            // Highest chunk fee rate, then the smaller chunk, then the least txid.
            let better = |a: usize, b: usize| {
                chunk_rate[a]
                    .cmp_feerate(&chunk_rate[b])
                    .then(chunk_rate[b].size.cmp(&chunk_rate[a].size))
                    .then(members[b].cmp(&members[a]))
            };
            while let Some(pos) = (0..ready.len()).max_by(|&x, &y| better(ready[x], ready[y])) {
                let i = ready.swap_remove(pos);
                let mut roots: Vec<usize> = deps[i]
                    .iter()
                    .map(|&p| crate::clusters::union_find_root(&mut up, p))
                    .collect();
                roots.sort_unstable();
                roots.dedup();
                let new_count = 1 + roots.iter().map(|&r| count[r]).sum::<usize>();
                let new_size = weight[i] + roots.iter().map(|&r| size[r]).sum::<u64>();
                if new_count > max_count || new_size > max_weight {
                    continue;
                }
                for r in roots {
                    up[r] = i;
                }
                count[i] = new_count;
                size[i] = new_size;
                taken[i] = true;
                for &c in &children[i] {
                    unmet[c] -= 1;
                    if unmet[c] == 0 && weight[c] <= max_weight {
                        ready.push(c);
                    }
                }
            }
            trimmed.extend((0..n).filter(|&i| !taken[i]).map(|i| members[i]));
        }
        trimmed
    }

    /// Core's `ProcessNewPackage` with `test_accept` (`testmempoolaccept` of several
    /// transactions): the package must be well formed, then Core's
    /// `AcceptMultipleTransactions` without replacements, each transaction at its own fee
    /// rate. Nothing enters.
    pub fn test_package(
        &mut self,
        store: &ChainStore,
        chain: &Chain,
        txs: &[Transaction],
        now: i64,
    ) -> PackageTest {
        if let Err(e) = well_formed_package(txs) {
            return PackageTest {
                package_error: Some(e.into()),
                results: Vec::new(),
            };
        }
        self.current_min_fee = self.min_fee(now);
        let package: Vec<&Transaction> = txs.iter().collect();
        let args = AtmpArgs::package_test_accept();
        match self.accept_multiple_checks(store, chain, &package, now, &args) {
            Ok((workspaces, _)) => PackageTest {
                package_error: None,
                results: workspaces
                    .iter()
                    .map(|ws| {
                        Some(Ok(Accepted {
                            txid: ws.entry.txid,
                            wtxid: ws.entry.wtxid,
                            vsize: ws.entry.vsize,
                            fee: ws.entry.fee,
                        }))
                    })
                    .collect(),
            },
            Err(PackageFailure::Policy(e)) => PackageTest {
                package_error: Some(e),
                results: Vec::new(),
            },
            // Core reports the failure alone: the others have no verdict.
            Err(PackageFailure::Tx { index, reject, .. }) => {
                let mut results = vec![None; txs.len()];
                results[index] = Some(Err(reject));
                PackageTest {
                    package_error: None,
                    results,
                }
            }
        }
    }

    /// The checks of Core's `AcceptMultipleTransactions` for `txs` (sorted, none in the
    /// mempool), in Core's order: `PreChecks` of each (with the client's maximum fee
    /// rate right after it), so that none runs scripts before all passed; the package's
    /// TRUC rules; the package's fee rate (with `package_feerates`); package RBF when
    /// one conflicts with the mempool; the clusters' limits; the spending of parents'
    /// ephemeral dust; and last each one's scripts. The workspaces and what the package
    /// replaces; nothing enters.
    fn accept_multiple_checks(
        &self,
        store: &ChainStore,
        chain: &Chain,
        txs: &[&Transaction],
        now: i64,
        args: &AtmpArgs,
    ) -> Result<(Vec<Workspace>, HashSet<Txid>), PackageFailure> {
        let mut workspaces: Vec<Workspace> = Vec::with_capacity(txs.len());
        for (i, tx) in txs.iter().enumerate() {
            let ws = self
                .pre_checks(store, chain, tx, now, args, &txs[..i])
                .map_err(|e| PackageFailure::tx(i, e))?;
            // Each transaction's own rate, not the package's (Core does not count
            // CPFP here).
            if args.exceeds_client_maxfeerate(ws.modified, ws.entry.vsize) {
                return Err(PackageFailure::tx(i, TxReject::new("max feerate exceeded")));
            }
            workspaces.push(ws);
        }
        let owned: Vec<Transaction> = txs.iter().map(|t| (*t).clone()).collect();
        for (i, ws) in workspaces.iter().enumerate() {
            if let Err(v) = crate::truc::package_truc_checks(self, &owned, i, ws.entry.vsize) {
                return Err(PackageFailure::Policy(format!(
                    "{}, {}",
                    crate::truc::TRUC_VIOLATION,
                    v.debug
                )));
            }
        }
        if args.package_feerates {
            let fee: i64 = workspaces.iter().map(|ws| ws.modified).sum();
            let vsize: u64 = workspaces.iter().map(|ws| ws.entry.vsize).sum();
            // Core gives the failure to the last transaction (the child).
            self.check_fee_rate(vsize, fee)
                .map_err(|e| PackageFailure::tx(txs.len() - 1, e))?;
        }
        let mut removed = HashSet::new();
        if workspaces
            .iter()
            .any(|ws| !ws.entry.direct_conflicts.is_empty())
        {
            removed = self
                .package_rbf_checks(txs, &workspaces)
                .map_err(|e| PackageFailure::Policy(e.to_core_string()))?;
        }
        if !self.package_cluster_limits(&workspaces, &removed) {
            return Err(PackageFailure::Policy("too-large-cluster".into()));
        }
        standard::check_ephemeral_spends(txs, self.policy.dust_relay_fee_per_kvb, |t| {
            self.entries.get(t).map(|e| e.tx.clone())
        })
        .map_err(|e| PackageFailure::Tx {
            message: standard::PACKAGE_UNSPENT_DUST.into(),
            index: e.index,
            reject: TxReject::with_debug(standard::MissingEphemeralSpends::REASON, e.to_string()),
        })?;
        for (i, ws) in workspaces.iter().enumerate() {
            self.policy_script_checks(txs[i], ws)
                .map_err(|e| PackageFailure::tx(i, e))?;
        }
        Ok((workspaces, removed))
    }

    /// Core's cluster limits for transactions entering together (its
    /// `CheckMemPoolPolicyLimits` over the whole change): every cluster they would be
    /// part of, once `removed` has left, within `-limitclustercount` and
    /// `-limitclustersize`.
    fn package_cluster_limits(&self, workspaces: &[Workspace], removed: &HashSet<Txid>) -> bool {
        let n = workspaces.len();
        let mempool_clusters: Vec<HashSet<Txid>> = workspaces
            .iter()
            .map(|ws| self.cluster_of(&ws.parents, removed))
            .collect();
        // Which of them end up in one cluster: one spends another, or they join the
        // same mempool cluster; `group[i]` names the cluster of the i-th.
        let mut group: Vec<usize> = (0..n).collect();
        let mut changed = true;
        while changed {
            changed = false;
            for i in 0..n {
                for j in i + 1..n {
                    let joined = group[i] != group[j]
                        && (workspaces[j]
                            .entry
                            .tx
                            .input
                            .iter()
                            .any(|inp| inp.previous_output.txid == workspaces[i].entry.txid)
                            || !mempool_clusters[i].is_disjoint(&mempool_clusters[j]));
                    if joined {
                        let (keep, drop) = (group[i].min(group[j]), group[i].max(group[j]));
                        for g in group.iter_mut().filter(|g| **g == drop) {
                            *g = keep;
                        }
                        changed = true;
                    }
                }
            }
        }
        (0..n).filter(|&g| group.contains(&g)).all(|g| {
            let members: Vec<usize> = (0..n).filter(|&i| group[i] == g).collect();
            let mut cluster: HashSet<Txid> = HashSet::new();
            for &i in &members {
                cluster.extend(mempool_clusters[i].iter().copied());
            }
            let weight = self.cluster_weight(&cluster)
                + members
                    .iter()
                    .map(|&i| self.adjusted_weight(&workspaces[i].entry))
                    .sum::<u64>();
            !self.too_large_cluster(cluster.len() + members.len(), weight)
        })
    }

    /// Core's `AcceptSubPackage` of one transaction (`AcceptSingleTransaction` with
    /// `args`): every check, then it enters (the mempool is trimmed only at the end of
    /// the package). Its result.
    fn accept_single_in_package(
        &mut self,
        store: &ChainStore,
        chain: &Chain,
        tx: &Transaction,
        now: i64,
        args: &AtmpArgs,
    ) -> Result<PackageTxResult, TxReject> {
        self.current_min_fee = self.min_fee(now);
        let ws = self.accept_single_checks(store, chain, tx, now, args)?;
        let mut replaced: Vec<Txid> = ws.entry.replaces.iter().copied().collect();
        replaced.sort();
        let result = PackageTxResult::Accepted {
            vsize: ws.entry.vsize,
            fee: ws.entry.fee,
            effective_feerate: ws.modified * 1000 / ws.entry.vsize.max(1) as i64,
            includes: vec![ws.entry.wtxid],
            replaced,
        };
        self.add(ws.entry);
        Ok(result)
    }

    /// Core's `AcceptPackage` (`submitpackage`): a child with its parents; each
    /// transaction not in the mempool yet is first tried alone (replacing and evicting
    /// siblings as a single transaction may), all of them even after one failed for
    /// good; if none did, those refused only for their fee or for inputs in the package
    /// are then judged again: one alone as a single transaction, several together at
    /// the package's fee rate, without sibling eviction. `max_feerate` (sat/kvB)
    /// refuses a transaction paying more.
    pub fn submit_package(
        &mut self,
        store: &ChainStore,
        chain: &Chain,
        txs: &[Transaction],
        now: i64,
        max_feerate: Option<i64>,
    ) -> PackageSubmit {
        let quit = |message: String, results| PackageSubmit { message, results };
        if let Err(e) = well_formed_package(txs) {
            return quit(e.into(), vec![None; txs.len()]);
        }
        if txs.len() > 1 && !is_child_with_parents(txs) {
            return quit(
                "package-not-child-with-parents".into(),
                vec![None; txs.len()],
            );
        }
        let single_args = AtmpArgs::single_in_package(max_feerate);
        let mut results: Vec<Option<PackageTxResult>> = vec![None; txs.len()];
        let mut deferred: Vec<usize> = Vec::new();
        let mut quit_early = false;
        for (i, tx) in txs.iter().enumerate() {
            let txid = tx.compute_txid();
            if let Some(e) = self
                .by_wtxid
                .get(&tx.compute_wtxid())
                .and_then(|t| self.entries.get(t))
            {
                results[i] = Some(PackageTxResult::InMempool {
                    vsize: e.vsize,
                    fee: e.fee,
                });
                continue;
            }
            if let Some(e) = self.entries.get(&txid) {
                results[i] = Some(PackageTxResult::DifferentWitness(e.wtxid));
                continue;
            }
            // Alone first, as a single transaction in a package.
            match self.accept_single_in_package(store, chain, tx, now, &single_args) {
                Ok(accepted) => results[i] = Some(accepted),
                Err(e) => {
                    // Only a fee too low or inputs maybe in the package could change in
                    // the package; after any other failure Core judges no package, but
                    // still tries the other transactions alone.
                    if txs.len() == 1 || !e.reconsiderable() {
                        quit_early = true;
                    } else {
                        deferred.push(i);
                    }
                    results[i] = Some(PackageTxResult::Failed(e));
                }
            }
        }
        let mut message = if quit_early {
            "transaction failed".to_owned()
        } else {
            "success".to_owned()
        };
        if !quit_early && let [i] = deferred[..] {
            // Core's AcceptSubPackage of one transaction: judged as a single one again.
            if let Err(e) = self
                .accept_single_in_package(store, chain, &txs[i], now, &single_args)
                .map(|accepted| results[i] = Some(accepted))
            {
                message = "transaction failed".into();
                results[i] = Some(PackageTxResult::Failed(e));
            }
        } else if !quit_early && !deferred.is_empty() {
            // Together, at the package's fee rate.
            self.current_min_fee = self.min_fee(now);
            let package: Vec<&Transaction> = deferred.iter().map(|&i| &txs[i]).collect();
            let args = AtmpArgs::package_child_with_parents(max_feerate);
            match self.accept_multiple_checks(store, chain, &package, now, &args) {
                Ok((workspaces, removed)) => {
                    let fee: i64 = workspaces.iter().map(|ws| ws.modified).sum();
                    let vsize: u64 = workspaces.iter().map(|ws| ws.entry.vsize).sum();
                    let rate = fee * 1000 / vsize.max(1) as i64;
                    let includes: Vec<Wtxid> = workspaces.iter().map(|ws| ws.entry.wtxid).collect();
                    let mut replaced: Vec<Txid> = removed.iter().copied().collect();
                    replaced.sort();
                    for (n, (&i, ws)) in deferred.iter().zip(workspaces).enumerate() {
                        results[i] = Some(PackageTxResult::Accepted {
                            vsize: ws.entry.vsize,
                            fee: ws.entry.fee,
                            effective_feerate: rate,
                            includes: includes.clone(),
                            replaced: if n == 0 { replaced.clone() } else { Vec::new() },
                        });
                        let mut entry = ws.entry;
                        // What the package replaces leaves before the first enters.
                        entry.replaces = if n == 0 {
                            removed.clone()
                        } else {
                            HashSet::new()
                        };
                        self.add(entry);
                    }
                }
                // The transactions keep the results they had alone.
                Err(PackageFailure::Policy(e)) => message = e,
                Err(PackageFailure::Tx {
                    message: m,
                    index,
                    reject,
                }) => {
                    message = m;
                    results[deferred[index]] = Some(PackageTxResult::Failed(reject));
                }
            }
        }
        self.limit_size(now);
        for (i, tx) in txs.iter().enumerate() {
            if matches!(
                results[i],
                Some(PackageTxResult::Accepted { .. } | PackageTxResult::InMempool { .. })
            ) && !self.entries.contains_key(&tx.compute_txid())
            {
                message = "transaction failed".into();
                results[i] = Some(PackageTxResult::Failed(TxReject::new("mempool full")));
            }
        }
        PackageSubmit { message, results }
    }

    /// Core's `PackageRBFChecks` for `package` (the transactions judged together, with
    /// their workspaces) replacing what they conflict with: one parent and one child with
    /// no mempool ancestors, rules 5, 3 and 4 for the package, a package fee rate above
    /// the parent's, cluster limits, a better fee-rate diagram. What it replaces (the
    /// conflicts and their descendants).
    fn package_rbf_checks(
        &self,
        package: &[&Transaction],
        workspaces: &[Workspace],
    ) -> Result<HashSet<Txid>, TxReject> {
        let fail = |what: &str, debug: String| {
            TxReject::with_debug(format!("package RBF failed: {what}"), debug)
        };
        let owned: Vec<Transaction> = package.iter().map(|t| (*t).clone()).collect();
        if package.len() != 2 || !is_child_with_parents(&owned) {
            return Err(fail("package must be 1-parent-1-child", String::new()));
        }
        if workspaces.iter().any(|ws| !ws.parents.is_empty()) {
            return Err(fail(
                "new transaction cannot have mempool ancestors",
                String::new(),
            ));
        }
        let direct_conflicts: HashSet<Txid> = workspaces
            .iter()
            .flat_map(|ws| ws.entry.direct_conflicts.iter().copied())
            .collect();
        let child_txid = workspaces[1].entry.txid;
        let mut clusters: Vec<HashSet<Txid>> = Vec::new();
        for c in &direct_conflicts {
            if !clusters.iter().any(|k| k.contains(c)) {
                clusters.push(self.cluster_of(&[*c], &HashSet::new()));
            }
        }
        if clusters.len() > MAX_REPLACEMENT_CANDIDATES {
            return Err(fail(
                "too many potential replacements",
                format!(
                    "rejecting replacement {child_txid}; too many conflicting clusters ({} > {MAX_REPLACEMENT_CANDIDATES})",
                    clusters.len()
                ),
            ));
        }
        let mut removed: HashSet<Txid> = HashSet::new();
        for c in &direct_conflicts {
            removed.insert(*c);
            removed.extend(self.descendants(c));
        }
        let modified_of =
            |t: &Txid| (self.entries[t].fee.to_sat() as i64).saturating_add(self.delta(t));
        let old_fees: i64 = removed.iter().map(modified_of).sum();
        let fee: i64 = workspaces.iter().map(|ws| ws.modified).sum();
        let vsize: u64 = workspaces.iter().map(|ws| ws.entry.vsize).sum();
        if fee < old_fees {
            return Err(fail(
                "insufficient anti-DoS fees",
                format!(
                    "rejecting replacement {child_txid}, less fees than conflicting txs; {} < {}",
                    format_money(fee),
                    format_money(old_fees)
                ),
            ));
        }
        let relay = fee_for(self.options.incremental_relay_fee_per_kvb, vsize);
        if fee - old_fees < relay {
            return Err(fail(
                "insufficient anti-DoS fees",
                format!(
                    "rejecting replacement {child_txid}, not enough additional fees to relay; {} < {}",
                    format_money(fee - old_fees),
                    format_money(relay)
                ),
            ));
        }
        let (parent_fee, parent_size) = (workspaces[0].modified, workspaces[0].entry.vsize);
        // Core v31's CFeeRate compares the exact fractions; its ToString shows the
        // per-kvB rate rounded down.
        if i128::from(fee) * i128::from(parent_size) <= i128::from(parent_fee) * i128::from(vsize) {
            let per_kvb = |f: i64, s: u64| (f * 1000).div_euclid(s.max(1) as i64);
            let (package_rate, parent_rate) =
                (per_kvb(fee, vsize), per_kvb(parent_fee, parent_size));
            let show = |r: i64| format!("{}.{:08} UMK/kvB", r / 100_000_000, r % 100_000_000);
            return Err(fail(
                "package feerate is less than or equal to parent feerate",
                format!(
                    "package feerate {} <= parent feerate is {}",
                    show(package_rate),
                    show(parent_rate)
                ),
            ));
        }
        // The package enters as one chunk: the child pays for its parent.
        let weight: u64 = workspaces
            .iter()
            .map(|ws| self.adjusted_weight(&ws.entry))
            .sum();
        if self.too_large_cluster(workspaces.len(), weight) {
            return Err(TxReject::new("too-large-cluster"));
        }
        let before: HashSet<Txid> = clusters.into_iter().flatten().collect();
        let after_old: HashSet<Txid> = before.difference(&removed).copied().collect();
        // The package's transactions join the clusters as Core stages them, linked to
        // their mempool parents and to each other.
        let package: HashSet<Txid> = workspaces.iter().map(|ws| ws.entry.txid).collect();
        let new_nodes: Vec<crate::clusters::Node> = workspaces
            .iter()
            .map(|ws| {
                let mut parents = ws.parents.clone();
                for input in &ws.entry.tx.input {
                    let p = input.previous_output.txid;
                    if package.contains(&p) && !parents.contains(&p) {
                        parents.push(p);
                    }
                }
                crate::clusters::Node {
                    txid: ws.entry.txid,
                    fee: ws.modified,
                    weight: standard::sigops_adjusted_weight(
                        ws.entry.weight,
                        ws.entry.sigop_cost,
                        self.policy.bytes_per_sigop,
                    ),
                    parents,
                }
            })
            .collect();
        // Core's GetMainStagingDiagrams makes every main cluster acceptable first.
        self.linearize_all();
        let old_chunks = self.clusters_of(&before, &[]).diagram();
        let new_chunks = self.clusters_of(&after_old, &new_nodes).diagram();
        if compare_diagrams(&new_chunks, &old_chunks) != std::cmp::Ordering::Greater {
            return Err(fail(
                "insufficient feerate: does not improve feerate diagram",
                String::new(),
            ));
        }
        Ok(removed)
    }

    /// Core's `PrioritiseTransaction`: adds `delta` satoshis to what block assembly sees
    /// `txid` pay.
    pub fn prioritise(&mut self, txid: Txid, delta: i64) {
        let cluster = self.clusters_holding([txid]);
        let before = cluster
            .first()
            .map(|_| (self.modified_fee(&txid), self.clusters_memory(&cluster)));
        if before.is_some() {
            self.transactions_updated += 1;
        }
        let total = self.deltas.entry(txid).or_insert(0);
        *total = total.saturating_add(delta);
        if *total == 0 {
            self.deltas.remove(&txid);
        }
        // Core's SetTransactionFee: a new fee changes the cluster's chunks, and a cluster
        // of several transactions is left unlinearized (a singleton is redone at once).
        if let Some((fee, old)) = before
            && fee != self.modified_fee(&txid)
        {
            self.clusters_usage =
                (self.clusters_usage + self.clusters_memory(&cluster)).saturating_sub(old);
            if let Some(c) = cluster.into_iter().find(|c| c.len() > 1) {
                self.unlinearized.get_mut().extend(c);
            }
        }
    }

    /// The mempool as `mempool.dat` keeps it: its transactions in block assembly's
    /// order with their entry times and fee deltas, the other deltas, and the
    /// transactions waiting for their first broadcast.
    pub fn to_dat(&self) -> crate::mempool_persist::MempoolDat {
        crate::mempool_persist::MempoolDat {
            txs: self
                .chunks()
                .into_iter()
                .flatten()
                .map(|t| {
                    let e = &self.entries[&t];
                    crate::mempool_persist::PersistedTx {
                        tx: (*e.tx).clone(),
                        time: e.time,
                        fee_delta: self.delta(&t),
                    }
                })
                .collect(),
            deltas: self.deltas.clone(),
            unbroadcast: self.unbroadcast.iter().copied().collect(),
        }
    }

    /// Whether loading `mempool.dat` was tried (Core's `GetLoadTried`).
    pub fn load_tried(&self) -> bool {
        self.load_tried
    }

    /// Marks loading `mempool.dat` as tried.
    pub fn set_load_tried(&mut self) {
        self.load_tried = true;
    }

    /// The fee deltas, by txid.
    pub fn deltas(&self) -> &BTreeMap<Txid, i64> {
        &self.deltas
    }

    /// Transactions for a block, parents before children, as Core v31's block assembly
    /// takes them (`addChunks`): chunks in mining order, each whole or not at all,
    /// within the block's weight and signature budget, until one pays less than
    /// `-blockmintxfee`; and their total (base) fee.
    pub fn select_for_block(&self, max_weight: u64, max_sigops: u64) -> (Vec<Transaction>, Amount) {
        // Core's block builder makes every cluster acceptable first.
        self.linearize_all();
        let chosen: Vec<Txid> = self
            .select(
                max_weight,
                max_sigops,
                Some(self.options.block_min_fee_per_kvb),
            )
            .into_iter()
            .flatten()
            .collect();
        let fees = chosen.iter().map(|t| self.entries[t].fee).sum();
        let txs = chosen
            .iter()
            .map(|t| (*self.entries[t].tx).clone())
            .collect();
        (txs, fees)
    }

    /// Every transaction in mining order, by chunk (Core's `CompareMainOrder`: chunks by
    /// fee rate across clusters, each cluster's in its linearization).
    pub fn chunks(&self) -> Vec<Vec<Txid>> {
        // Core orders the mempool (CompareMainOrder, GetMainChunkFeerate) after
        // linearizing the clusters it reads.
        self.linearize_all();
        self.chunks_with_ends()
            .into_iter()
            .map(|(c, _)| c)
            .collect()
    }

    /// [`Mempool::chunks`], each with whether it ends its cluster.
    fn chunks_with_ends(&self) -> Vec<(Vec<Txid>, bool)> {
        self.clusters()
            .mining_order()
            .into_iter()
            .map(|c| (c.txids.clone(), c.last_in_cluster))
            .collect()
    }

    /// Core's `addChunks`: the chunks block assembly takes, in order, within
    /// `max_weight` (what the block leaves after its reserved weight) and `max_sigops`,
    /// stopping at the first chunk below `min_fee_per_kvb` if given.
    fn select(
        &self,
        max_weight: u64,
        max_sigops: u64,
        min_fee_per_kvb: Option<i64>,
    ) -> Vec<Vec<Txid>> {
        // Core's heuristics to finish quickly once the block is nearly full.
        const MAX_CONSECUTIVE_FAILURES: u32 = 1000;
        const BLOCK_FULL_ENOUGH_WEIGHT_DELTA: u64 = 4000;
        let clusters = self.clusters();
        let mut excluded: HashSet<usize> = HashSet::new();
        let mut chosen = Vec::new();
        let (mut weight, mut sigops) = (0u64, 0u64);
        let mut failed = 0u32;
        for chunk in clusters.mining_order() {
            if excluded.contains(&chunk.cluster) {
                continue;
            }
            if let Some(min) = min_fee_per_kvb {
                let (fee, vsize) = chunk.fee_per_vsize();
                // Every later chunk pays less still.
                if i128::from(fee) * 1000 < i128::from(min) * i128::from(vsize) {
                    break;
                }
            }
            let chunk_sigops: u64 = chunk.txids.iter().map(|t| self.entries[t].sigop_cost).sum();
            // Core's TestChunkBlockLimits, on the chunk's sigop-adjusted weight.
            if weight + chunk.weight >= max_weight || sigops + chunk_sigops >= max_sigops {
                // Skipped: nothing after it in its cluster may follow.
                if !chunk.last_in_cluster {
                    excluded.insert(chunk.cluster);
                }
                failed += 1;
                if failed > MAX_CONSECUTIVE_FAILURES
                    && weight + BLOCK_FULL_ENOUGH_WEIGHT_DELTA > max_weight
                {
                    break;
                }
                continue;
            }
            failed = 0;
            weight += chunk
                .txids
                .iter()
                .map(|t| self.entries[t].weight)
                .sum::<u64>();
            sigops += chunk_sigops;
            chosen.push(chunk.txids.clone());
        }
        chosen
    }
}

impl crate::truc::TrucPool for Mempool {
    fn pool_tx(&self, txid: &Txid) -> Option<crate::truc::PoolTx> {
        self.entries
            .get(txid)
            .map(|e| crate::truc::PoolTx::of(&e.tx))
    }

    fn ancestor_count(&self, txid: &Txid) -> usize {
        self.ancestors(txid).len() + 1
    }

    fn descendants(&self, txid: &Txid) -> Vec<Txid> {
        Mempool::descendants(self, txid).into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagrams_compare_as_cores() {
        use std::cmp::Ordering::{Equal, Greater, Less};
        // One chunk against a better one of the same size.
        assert_eq!(compare_diagrams(&[(200, 100)], &[(100, 100)]), Greater);
        assert_eq!(compare_diagrams(&[(100, 100)], &[(200, 100)]), Less);
        assert_eq!(compare_diagrams(&[(100, 100)], &[(100, 100)]), Equal);
        // More fee in a bigger transaction at a lower rate crosses: neither is better.
        assert_eq!(compare_diagrams(&[(10_100, 700)], &[(10_000, 104)]), Equal);
        // Adding a chunk on top (more fee, the same start) is better.
        assert_eq!(
            compare_diagrams(&[(100, 100), (50, 100)], &[(100, 100)]),
            Greater
        );
        // A diagram goes on flat past its end.
        assert_eq!(compare_diagrams(&[], &[(1, 1)]), Less);
    }

    #[test]
    fn money_and_fees_format_as_cores() {
        assert_eq!(format_money(100_000_000), "1.00");
        assert_eq!(format_money(1), "0.00000001");
        assert_eq!(format_money(123_450_000), "1.2345");
        assert_eq!(format_money(-50_000_000), "-0.50");
        assert_eq!(format_money(0), "0.00");
        assert_eq!(fee_for(1000, 141), 141);
        assert_eq!(fee_for(1000, 0), 0);
        assert_eq!(fee_for(100, 141), 15);
        assert_eq!(fee_for(3000, 1), 3);
    }
}
