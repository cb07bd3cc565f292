//! Core's TRUC (version 3, BIP 431) policy, `src/policy/truc_policy.{h,cpp}`, as pure
//! checks over a read-only view of the mempool; each failure carries Core's
//! "TRUC-violation" debug string.
//!
//! Where Core calls them (`src/validation.cpp`):
//!
//! * [`single_truc_checks`] in `MemPoolAccept::PreChecks`, for every transaction (TRUC or
//!   not) unless `bypass_limits` (a reorg's transactions), after the fee-rate check and
//!   once the direct conflicts and the sigop-adjusted vsize are known. When it fails with
//!   [`TrucViolation::sibling_to_evict`] set and the context allows sibling eviction
//!   (`m_allow_sibling_eviction`: single-transaction accepts, `sendrawtransaction`,
//!   one-transaction `testmempoolaccept`, and the per-transaction tries of a package), Core
//!   does not reject: it adds the sibling to the direct conflicts, as if the transaction
//!   spent its inputs, and lets the replacement (RBF) checks decide; their failures then
//!   say "(including sibling eviction)". Otherwise the transaction is rejected with reason
//!   [`TRUC_VIOLATION`] and the violation's string as debug message.
//! * [`package_truc_checks`] in `MemPoolAccept::AcceptMultipleTransactionsInternal`
//!   (multi-transaction `testmempoolaccept`, `submitpackage`), after every transaction
//!   of the package passed `PreChecks` (so after [`single_truc_checks`] for each, with
//!   sibling eviction off), for each transaction in package order; the first failure makes
//!   the package's state "TRUC-violation" with the violation's string (the
//!   `package-error` of `testmempoolaccept`).
//!
//! The mempool here is Core's main mempool (`TxGraph::Level::MAIN`): the transactions
//! already in it, without the one being checked, its package, or anything a replacement
//! would remove.

use std::collections::HashSet;

use bitcoin::transaction::Version;
use bitcoin::{Transaction, Txid, Wtxid};

/// Core's `TRUC_VERSION`: transactions with this version are TRUC.
pub const TRUC_VERSION: Version = Version(3);
/// Core's `TRUC_DESCENDANT_LIMIT`: an unconfirmed TRUC transaction and its descendants.
pub const TRUC_DESCENDANT_LIMIT: usize = 2;
/// Core's `TRUC_ANCESTOR_LIMIT`: a TRUC transaction and its mempool ancestors.
pub const TRUC_ANCESTOR_LIMIT: usize = 2;
/// Core's `TRUC_MAX_VSIZE`: the largest sigop-adjusted vsize of a TRUC transaction.
pub const TRUC_MAX_VSIZE: u64 = 10_000;
/// Core's `TRUC_MAX_WEIGHT`.
pub const TRUC_MAX_WEIGHT: u64 = TRUC_MAX_VSIZE * 4;
/// Core's `TRUC_CHILD_MAX_VSIZE`: the largest sigop-adjusted vsize of a TRUC transaction
/// with an unconfirmed parent.
pub const TRUC_CHILD_MAX_VSIZE: u64 = 1_000;
/// Core's `TRUC_CHILD_MAX_WEIGHT`.
pub const TRUC_CHILD_MAX_WEIGHT: u64 = TRUC_CHILD_MAX_VSIZE * 4;
/// The reject reason of every TRUC failure (the debug message is the violation's string).
pub const TRUC_VIOLATION: &str = "TRUC-violation";

// The checks below are written for these limits, as Core's are.
const _: () = assert!(TRUC_ANCESTOR_LIMIT == 2 && TRUC_DESCENDANT_LIMIT == 2);

/// Whether `tx` is a TRUC transaction (version 3).
pub fn is_truc(tx: &Transaction) -> bool {
    tx.version == TRUC_VERSION
}

/// What the TRUC checks need to know of an in-mempool transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PoolTx {
    /// Its txid.
    pub txid: Txid,
    /// Its wtxid (the debug strings name both).
    pub wtxid: Wtxid,
    /// Its version.
    pub version: Version,
}

impl PoolTx {
    /// The facts of `tx`.
    pub fn of(tx: &Transaction) -> PoolTx {
        PoolTx {
            txid: tx.compute_txid(),
            wtxid: tx.compute_wtxid(),
            version: tx.version,
        }
    }
}

/// The mempool as the TRUC checks read it: Core's main mempool, before the transaction
/// (or package) being checked enters and before any replacement removes anything.
///
/// The checks ask [`TrucPool::ancestor_count`] and [`TrucPool::descendants`] only about
/// mempool transactions, and only about the (single) TRUC parent of a TRUC transaction and
/// that parent's descendant, so the sets are small.
pub trait TrucPool {
    /// The mempool transaction `txid`, or `None` when it is not in the mempool.
    fn pool_tx(&self, txid: &Txid) -> Option<PoolTx>;
    /// Core's `GetAncestorCount`: how many mempool ancestors `txid` has, itself included.
    fn ancestor_count(&self, txid: &Txid) -> usize;
    /// Core's `CalculateDescendants` without `txid` itself: every mempool descendant of
    /// `txid` (children, their children, ...), in any order.
    fn descendants(&self, txid: &Txid) -> Vec<Txid>;
}

/// A broken TRUC rule; its `Display` is Core's debug string, to be reported after the
/// reason [`TRUC_VIOLATION`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{debug}")]
pub struct TrucViolation {
    /// Core's debug string, e.g. "tx … (wtxid=…) would have too many ancestors".
    pub debug: String,
    /// Set only by [`single_truc_checks`] when the transaction would be the second child
    /// of a TRUC parent whose one child (this sibling) has no other ancestor: the caller
    /// may, where Core allows sibling eviction, treat the sibling as a direct conflict and
    /// run the replacement checks instead of rejecting.
    pub sibling_to_evict: Option<Txid>,
}

impl TrucViolation {
    fn new(debug: String) -> TrucViolation {
        TrucViolation {
            debug,
            sibling_to_evict: None,
        }
    }
}

/// Core's `CTxMemPool::GetParents`: the mempool transactions `tx` spends from, each once,
/// in Core's order (ascending txid, compared as stored bytes as `std::set<Txid>` does,
/// which is not the order of their hex strings).
pub fn mempool_parents<P: TrucPool + ?Sized>(pool: &P, tx: &Transaction) -> Vec<PoolTx> {
    let mut txids: Vec<Txid> = tx.input.iter().map(|i| i.previous_output.txid).collect();
    txids.sort();
    txids.dedup();
    txids.iter().filter_map(|t| pool.pool_tx(t)).collect()
}

fn too_big(txid: &Txid, wtxid: &Wtxid, vsize: u64) -> TrucViolation {
    TrucViolation::new(format!(
        "version=3 tx {txid} (wtxid={wtxid}) is too big: {vsize} > {TRUC_MAX_VSIZE} virtual bytes"
    ))
}

fn child_too_big(txid: &Txid, wtxid: &Wtxid, vsize: u64) -> TrucViolation {
    TrucViolation::new(format!(
        "version=3 child tx {txid} (wtxid={wtxid}) is too big: {vsize} > {TRUC_CHILD_MAX_VSIZE} virtual bytes"
    ))
}

fn too_many_ancestors(txid: &Txid, wtxid: &Wtxid) -> TrucViolation {
    TrucViolation::new(format!(
        "tx {txid} (wtxid={wtxid}) would have too many ancestors"
    ))
}

fn exceeds_descendants(parent: &PoolTx) -> TrucViolation {
    TrucViolation::new(format!(
        "tx {} (wtxid={}) would exceed descendant count limit",
        parent.txid, parent.wtxid
    ))
}

fn truc_spends_non_truc(txid: &Txid, wtxid: &Wtxid, parent: &PoolTx) -> TrucViolation {
    TrucViolation::new(format!(
        "version=3 tx {txid} (wtxid={wtxid}) cannot spend from non-version=3 tx {} (wtxid={})",
        parent.txid, parent.wtxid
    ))
}

fn non_truc_spends_truc(txid: &Txid, wtxid: &Wtxid, parent: &PoolTx) -> TrucViolation {
    TrucViolation::new(format!(
        "non-version=3 tx {txid} (wtxid={wtxid}) cannot spend from version=3 tx {} (wtxid={})",
        parent.txid, parent.wtxid
    ))
}

/// Core's `SingleTRUCChecks`, for every transaction `tx` (TRUC or not) about to enter the
/// mempool on its own. `vsize` is its sigop-adjusted virtual size; `direct_conflicts` the
/// mempool transactions spending the same outputs as `tx` (before any sibling is added).
///
/// In Core's order, the first broken rule wins:
/// 1. no mempool parent of a TRUC transaction is non-TRUC, and no mempool parent of a
///    non-TRUC transaction is TRUC (parents in [`mempool_parents`] order);
/// 2. (TRUC only) the vsize is at most [`TRUC_MAX_VSIZE`];
/// 3. at most one mempool parent, itself without mempool ancestors;
/// 4. with a mempool parent, the vsize is at most [`TRUC_CHILD_MAX_VSIZE`];
/// 5. the parent has no other descendant, unless one of its descendants is among
///    `direct_conflicts` (it will be replaced). When it has exactly one descendant which
///    has no other ancestor, the violation names that sibling in
///    [`TrucViolation::sibling_to_evict`].
pub fn single_truc_checks<P: TrucPool + ?Sized>(
    pool: &P,
    tx: &Transaction,
    vsize: u64,
    direct_conflicts: &HashSet<Txid>,
) -> Result<(), TrucViolation> {
    let parents = mempool_parents(pool, tx);
    let truc = is_truc(tx);
    // Worked out only when a string needs them.
    let ids = || (tx.compute_txid(), tx.compute_wtxid());
    // TRUC and non-TRUC inheritance.
    for parent in &parents {
        let parent_truc = parent.version == TRUC_VERSION;
        if !truc && parent_truc {
            let (txid, wtxid) = ids();
            return Err(non_truc_spends_truc(&txid, &wtxid, parent));
        } else if truc && !parent_truc {
            let (txid, wtxid) = ids();
            return Err(truc_spends_non_truc(&txid, &wtxid, parent));
        }
    }
    // The rest only applies to TRUC transactions.
    if !truc {
        return Ok(());
    }
    if vsize > TRUC_MAX_VSIZE {
        let (txid, wtxid) = ids();
        return Err(too_big(&txid, &wtxid, vsize));
    }
    if parents.len() + 1 > TRUC_ANCESTOR_LIMIT {
        let (txid, wtxid) = ids();
        return Err(too_many_ancestors(&txid, &wtxid));
    }
    let Some(parent) = parents.first() else {
        return Ok(());
    };
    // The parent must not have ancestors of its own.
    if pool.ancestor_count(&parent.txid) + 1 > TRUC_ANCESTOR_LIMIT {
        let (txid, wtxid) = ids();
        return Err(too_many_ancestors(&txid, &wtxid));
    }
    if vsize > TRUC_CHILD_MAX_VSIZE {
        let (txid, wtxid) = ids();
        return Err(child_too_big(&txid, &wtxid, vsize));
    }
    // This must be the parent's only child. After a reorg it may have several; a
    // descendant this transaction replaces does not count.
    let descendants = pool.descendants(&parent.txid);
    let child_will_be_replaced = descendants.iter().any(|d| direct_conflicts.contains(d));
    let descendant_count = descendants.len() + 1;
    if descendant_count + 1 > TRUC_DESCENDANT_LIMIT && !child_will_be_replaced {
        // Sibling eviction only when the parent has exactly one child, and that child
        // no other ancestor (Core takes the first of the txid-ordered set).
        let sibling = descendants
            .iter()
            .min()
            .copied()
            .filter(|s| descendant_count == 2 && pool.ancestor_count(s) == 2);
        return Err(TrucViolation {
            sibling_to_evict: sibling,
            ..exceeds_descendants(parent)
        });
    }
    Ok(())
}

/// Core's `PackageTRUCChecks`, for `package[index]` of a package being accepted together
/// (topologically sorted, without the transactions already in the mempool: Core's
/// `txns` of `AcceptMultipleTransactions`). `vsize` is that transaction's sigop-adjusted
/// virtual size. Call it for each index in order once every transaction passed
/// [`single_truc_checks`]; the first failure is the package's.
///
/// A non-TRUC transaction must have no TRUC parent in the mempool or the package. A TRUC
/// transaction must fit [`TRUC_MAX_VSIZE`], have at most one parent (mempool or package)
/// and that parent no mempool ancestor, fit [`TRUC_CHILD_MAX_VSIZE`] when it has a parent,
/// which must be TRUC and have no other child in the package or the mempool; and it must
/// not have both a parent and a child in the package. Never sets
/// [`TrucViolation::sibling_to_evict`].
///
/// # Panics
///
/// When `index` is out of `package`'s bounds.
pub fn package_truc_checks<P: TrucPool + ?Sized>(
    pool: &P,
    package: &[Transaction],
    index: usize,
    vsize: u64,
) -> Result<(), TrucViolation> {
    let tx = &package[index];
    let txid = tx.compute_txid();
    let wtxid = tx.compute_wtxid();
    let parents = mempool_parents(pool, tx);
    // Core's FindInPackageParents: earlier package transactions that `tx` spends from.
    let spent: HashSet<Txid> = tx.input.iter().map(|i| i.previous_output.txid).collect();
    let package_parents: Vec<PoolTx> = package[..index]
        .iter()
        .map(PoolTx::of)
        .filter(|p| spent.contains(&p.txid))
        .collect();

    if !is_truc(tx) {
        // Non-TRUC transactions cannot have TRUC parents.
        if let Some(parent) = parents
            .iter()
            .chain(&package_parents)
            .find(|p| p.version == TRUC_VERSION)
        {
            return Err(non_truc_spends_truc(&txid, &wtxid, parent));
        }
        return Ok(());
    }
    // single_truc_checks has seen to this already.
    if vsize > TRUC_MAX_VSIZE {
        return Err(too_big(&txid, &wtxid, vsize));
    }
    if parents.len() + package_parents.len() + 1 > TRUC_ANCESTOR_LIMIT {
        return Err(too_many_ancestors(&txid, &wtxid));
    }
    if let Some(parent) = parents.first()
        && pool.ancestor_count(&parent.txid) + package_parents.len() + 1 > TRUC_ANCESTOR_LIMIT
    {
        return Err(too_many_ancestors(&txid, &wtxid));
    }
    // Exactly one parent or none, in the mempool or the package.
    let (parent, has_mempool_descendant) = match (parents.first(), package_parents.first()) {
        (Some(p), _) => (p, !pool.descendants(&p.txid).is_empty()),
        (None, Some(p)) => (p, false),
        (None, None) => return Ok(()),
    };
    if vsize > TRUC_CHILD_MAX_VSIZE {
        return Err(child_too_big(&txid, &wtxid, vsize));
    }
    if parent.version != TRUC_VERSION {
        return Err(truc_spends_non_truc(&txid, &wtxid, parent));
    }
    for (i, other) in package.iter().enumerate() {
        if i == index {
            continue;
        }
        for input in &other.input {
            // Another transaction with the same parent (within the package, so no
            // replacement can make room).
            if input.previous_output.txid == parent.txid {
                return Err(exceeds_descendants(parent));
            }
            // A parent and a child in the package.
            if input.previous_output.txid == txid {
                return Err(too_many_ancestors(
                    &other.compute_txid(),
                    &other.compute_wtxid(),
                ));
            }
        }
    }
    if has_mempool_descendant {
        return Err(exceeds_descendants(parent));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Every expected string is Core v31's own: `umkoind -regtest`, 140 blocks mined to a
    //! P2WPKH key, transactions made with `createrawtransaction … version` and
    //! `signrawtransactionwithkey`, answers from `testmempoolaccept` (its
    //! `reject-details`, or `package-error` for several transactions) and
    //! `sendrawtransaction`. The transactions below are the ones Core judged.

    use super::*;
    use bitcoin::consensus::encode::deserialize_hex;
    use bitcoin::{Amount, OutPoint, ScriptBuf, Sequence, TxIn, TxOut, Witness, absolute};

    /// The transactions Core judged, as hex (the large ones as prefix, count of zero
    /// bytes in their OP_RETURN, suffix).
    mod core_txs {
        /// ea54bedd3b4b37f68748664897dcc4334e5c6ab3d1308f3cfd2290aee2dfd581, version 3, 10225 vB.
        pub const BIG: (&str, usize, &str) = (
            "03000000000101d70d0e7cb1025c1673a946fd12bfd896ae6dde03f310d7a361754c2ca07a4a4c0000000000fdffffff02f0ca052a01000000160014fc7250a211deddc70ee5a2738de5f07817351cef0000000000000000fd78276a4d7427",
            10100,
            "0247304402200902b1afbc7021bd65c879fb9dfe6ebf01894553e3fa7a9daebc38b90616313d02201d82cfd1267f5cbce664ff71337d3e6174ec4f8fbb2a25aa3aca12eeb0434be70121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000",
        );
        /// 9ff98b012fb41f3b903df66858120a7dbba326fdfafe4b01adc5f1321640dfb8, version 3, 172 vB.
        pub const P: &str = "0300000000010130d372dbf99dcf62846c7d18c6d651ab746d59ee5385c94ee04c1909308459770000000000fdffffff03a543576300000000160014fc7250a211deddc70ee5a2738de5f07817351cefa543576300000000160014fc7250a211deddc70ee5a2738de5f07817351cefa543576300000000160014fc7250a211deddc70ee5a2738de5f07817351cef024730440220193de5ff925b82d998f883997a195d1bcbcbf7603544d5b2b951ca973e6e876a02207e8801c7f89c6ddfcc596cdede33e3f01a5da9626e27ecf48a5d0f4af4a89c1c0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 8c3577bdd543a946ef9983ddf868c6e385734d726019c261b467949a1cbc291b, version 3, 1225 vB.
        pub const CHILD_BIG: (&str, usize, &str) = (
            "03000000000101b8df401632f1c5ad014bfefafd26a3bb7d0a125868f63d903b1fb42f018bf99f0000000000fdffffff02951c576300000000160014fc7250a211deddc70ee5a2738de5f07817351cef0000000000000000fd50046a4d4c04",
            1100,
            "0247304402201003cfef20bf6cb302e249fa44f1038168d059e68cc52398eda0b1c7f18142d902207898c74aa10aa892535f3bf6aba5fb28e323d76cc43cd60d0067e446b2abea2d0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000",
        );
        /// 90a8a9db0a5b9f1ce8cb2d99b893848aee8f0ff99698a6b24966fbde919a4f7b, version 3, 110 vB.
        pub const C1: &str = "03000000000101b8df401632f1c5ad014bfefafd26a3bb7d0a125868f63d903b1fb42f018bf99f0000000000fdffffff01951c576300000000160014fc7250a211deddc70ee5a2738de5f07817351cef0247304402201fecb68094303b7574ef11446146faba793a93d89f4f0e523cb111590761d08a0220707e3ba47173ab879a317b7d469ce3329f89f4eef99e5868c9642d6c09a0bb520121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// f10da99a946d8a3b863f2ceda2799fe0d074745063cf78097c006cd421a89fa0, version 3, 110 vB.
        pub const G: &str = "030000000001017b4f9a91defb6649b2a69896f90f8fee8a8493b8992dcbe81c9f5b0adba9a8900000000000fdffffff0185f5566300000000160014fc7250a211deddc70ee5a2738de5f07817351cef0247304402203f378934fa23bbaa01695c5b4b521955eb04baa2e81b2d876a018585973f67b302204910621890419ebd412abbec5f43d76e02e5fdd7a3e5f6d1a0cc1221fb12395f0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 24d725b4a444283a201e148d378d0ece419fdf1639f63aa51769ea6d88ff236f, version 3, 110 vB.
        pub const C2: &str = "03000000000101b8df401632f1c5ad014bfefafd26a3bb7d0a125868f63d903b1fb42f018bf99f0100000000fdffffff011d30576300000000160014fc7250a211deddc70ee5a2738de5f07817351cef02473044022077804d31361f47d2fde8ddc4e7622c56ed31d7878834721f1b4f8240d76e7a4b022046296b2ba158040da6c16415489f6195ea428bbd988983807d9328ce150adb120121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 35d399396b3ea61990e01b4e7b5de0cf71f91433a002d885f48756f29491710d, version 3, 110 vB.
        pub const C1R: &str = "03000000000101b8df401632f1c5ad014bfefafd26a3bb7d0a125868f63d903b1fb42f018bf99f0000000000fdffffff0105bd556300000000160014fc7250a211deddc70ee5a2738de5f07817351cef024730440220677ef57e7099194c549f853571d55a24997ff1cfc0192bc48f48e443a8a2aa1302204d02f6595ff428076e79172a7609141921adcfa9ba5f129ff4c9c8834362ef890121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// dac1334b7afed25af748771f7b77992c53a95cc6a61bfeb9e0b4bb1d2d8c4acc, version 3, 141 vB.
        pub const Q: &str = "030000000001017df20c83f80b041182f8e861f6350821fb1b010b7060a0cbbccd2b57f12600d80000000000fdffffff0278e5029500000000160014fc7250a211deddc70ee5a2738de5f07817351cef78e5029500000000160014fc7250a211deddc70ee5a2738de5f07817351cef024730440220305c7e44ddc21530b03c9f8ee870c9f38e37d919dbe7995d2fcf55b9276f10e902200cf656603d04e6b8ab8406a0fd76a2c11369e0786ddb5a48b0331ac0f2b90ba10121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 88fe9a410df876e5740e9fbce2a371ebc6ad4beb2967abb60bdd566b71be9fa0, version 3, 177 vB.
        pub const TWO_PARENTS: &str = "03000000000102b8df401632f1c5ad014bfefafd26a3bb7d0a125868f63d903b1fb42f018bf99f0200000000fdffffffcc4a8c2d1dbbb4e0b9fe1ba6c65ca9532c99777b1f7748f75ad2fe7a4b33c1da0000000000fdffffff010d025af800000000160014fc7250a211deddc70ee5a2738de5f07817351cef024730440220615511c67ac8a4344901077bb8bde7acf7328f982d71c18da2d5b0b2c3b0a49a022005781e338016e98749d51fbfdb39c23c2f68f178c560ac71cb42d7f9b19e93720121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa0247304402207b298be5d04cc4132424e705ddfd95f3c46dcf03fa077819f6cbad4b9d1b55d302201b8ceb0d4ab148b6a2df50ebd2ff083590cc760a3148be1da28d853263199ead0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 890ee48b147f9025b5df8f661af1f406b5c98b84acb65183bfe432ead548fd8d, version 2, 141 vB.
        pub const R: &str = "02000000000101e26cd32bfa49d52c6d8829b6ce4f0a82c77e3df2ec1fd659e48688665279be260000000000fdffffff0278e5029500000000160014fc7250a211deddc70ee5a2738de5f07817351cef78e5029500000000160014fc7250a211deddc70ee5a2738de5f07817351cef024730440220651e75f9dc56562f4af2d64cda6b696387e4e7a39ee1f9cbf76ed4e7ca6d9277022020d7bc318028e3b3a8c5823c2c5d8e045e26b3c131d7406cd39bcf6259ff67740121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// c94440ccffbb1bee5b148f9795132918f84f71e6d98a52416b10d194ad2444c8, version 3, 110 vB.
        pub const V3_CHILD: &str = "030000000001018dfd48d5ea32e4bf8351b6ac848bc9b506f4f11a668fdfb525907f148be40e890000000000fdffffff0168be029500000000160014fc7250a211deddc70ee5a2738de5f07817351cef0247304402206bb2f970dbb239bd1f2464ba666de1fec7eaafff75b10fa02bf7d3905a594ab502202f30f75b67c8f19b360b15955eb7e004b2fe7668c363d79eec3e369948beeb880121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 3b590552f27ccd601f99655c3dd7a27febb1e6df18390585635f90e4dea66a7b, version 3, 177 vB.
        pub const V3_MIXED: &str = "030000000001028dfd48d5ea32e4bf8351b6ac848bc9b506f4f11a668fdfb525907f148be40e890100000000fdffffffcc4a8c2d1dbbb4e0b9fe1ba6c65ca9532c99777b1f7748f75ad2fe7a4b33c1da0100000000fdffffff01e0a3052a01000000160014fc7250a211deddc70ee5a2738de5f07817351cef02473044022058b5ab69aa89ac3dc52413fa7c9b61b510652161d9703f11a75260a450ede9b9022020c7bd58e5d9d20dd0c483154279dddae7387687989503f18ddc0a439b376dc10121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa02473044022063ace397e39e721fa31d4e97d8a9f262765a97daa54dfce831aecdaa8314cb34022012824d81c640d9a6194b4ff2fcfef6e54753abc7c15436f15bba02d513eed0420121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 99adf5cdc37c77ec0642b7a239cd4e3e1ab2263a5e3ac802505c5c74df4c7b5c, version 3, 172 vB.
        pub const M: &str = "0300000000010171124330d741a2120b5be321c01ab6c14cc26961f4308bf5abcef2726936cff80000000000fdffffff03a543576300000000160014fc7250a211deddc70ee5a2738de5f07817351cefa543576300000000160014fc7250a211deddc70ee5a2738de5f07817351cefa543576300000000160014fc7250a211deddc70ee5a2738de5f07817351cef02473044022035ea93261276ecae6f520f61ce250c28e87e8c0cb105a8ce2a4efc5720add28e022068f4eaa20f02bc2102abc80c33444f94fd9a6a26d3cf6b08bfe02152e338e6cb0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 492606eb2e5330917eba2504d9205a1420cdeb6822ed8e3789712e45a87201bf, version 3, 110 vB.
        pub const S: &str = "03000000000101e48ebc3640f2dbc52639af2320570424561b7603b330f2ad6ad58f287872d6dc0000000000fdffffff01f0ca052a01000000160014fc7250a211deddc70ee5a2738de5f07817351cef02473044022048daa477e07ea0eb8a96131226c0b1e240e4388c9e7893505fb7a5e740d782e3022065a8b26dd647cb0b4b7c815dd6b3f3cfa49a11e8013290ae36cf299f4e928fff0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// d41edbaf24484bbbb7fb28a2bb683d5a067328cf82ea98248f6bee8d34e4e2f8, version 2, 177 vB.
        pub const V2_TWO_V3: &str = "02000000000102bf0172a8452e7189378eed2268ebcd20145a20d90425ba7e9130532eeb0626490000000000fdffffffb8df401632f1c5ad014bfefafd26a3bb7d0a125868f63d903b1fb42f018bf99f0200000000fdffffff0185e75c8d01000000160014fc7250a211deddc70ee5a2738de5f07817351cef02473044022026de650bcc8695ce3573bf2e4f0f08e2bad1d319b49537f9e850089e07bbcff502200b5cf2245bb6eeaa317ee3607c634457799572e6062c0e0284dfd9bce6c3290b0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa0247304402207b4976b837bfd4a668534e808e7094ee6f948c4b3383ac2ff3e45ca5047cbe0502206205f77d407a523ec2214e3d0beb2d2d46eeab188799aa62d4445c344ac6e0fd0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 086a89ec831033fbaa7289827d1d29b2ac7cb7215e1741607c4c8bb83b18d6e9, version 3, 141 vB.
        pub const P2: &str = "03000000000101c221f65ccaabdb9d9395b4308b4d887d4d016aba10befbcc321eb11ce9282d7e0000000000fdffffff0278e5029500000000160014fc7250a211deddc70ee5a2738de5f07817351cef78e5029500000000160014fc7250a211deddc70ee5a2738de5f07817351cef0247304402200c63675b59bdb84c1111e4a1b1fd6b4d43c2cebf25ed8caf81917317c5c4e009022055073c67d856ea154ffc7ac3506ec388c97fccfe178f2bb362932cddc58c14bc0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// c5d0d40073463a798a58afc94e116376e23744f64e2380244b8dcf1dbecb23c3, version 3, 110 vB.
        pub const CA: &str = "03000000000101e9d6183bb88b4c7c6041175e21b77cacb2291d7d828972aafb331083ec896a080000000000fdffffff0168be029500000000160014fc7250a211deddc70ee5a2738de5f07817351cef0247304402201462ea209dfa7794d9851a70ccf59678c99e591aef32fb4c066c198da932f98a02202aedc8d88c70dbc69fdbaae5b0b8626b43f53beedb5f94b33faedec74a4e34950121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 353ccfc99f92172cf22821781ce9732725785e735bfd9f4731c81f28286023e5, version 3, 110 vB.
        pub const CB: &str = "03000000000101e9d6183bb88b4c7c6041175e21b77cacb2291d7d828972aafb331083ec896a080100000000fdffffff0168be029500000000160014fc7250a211deddc70ee5a2738de5f07817351cef0247304402205d7a40b26bfd269f68c87bbbb55b44d7b53436dd489318f87bb10935cc41a16902205a819207e5089dc03214cb5f82d9bdb7309bff396487ed8897ae8c08675feb090121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 232ab0eaecf6bf9768486eb8898dba2d75c687a66314a401d1a2394daf0a85bf, version 3, 141 vB.
        pub const P3: &str = "030000000001010a99ce8ad3bbfd9ce4f371343ecad83d460879f29aadd93d115859275d0eb3640000000000fdffffff0278e5029500000000160014fc7250a211deddc70ee5a2738de5f07817351cef78e5029500000000160014fc7250a211deddc70ee5a2738de5f07817351cef0247304402203eabca3d434186196b105a11e7b9d56625ce576420aed8beb9099cdc300a4c64022037ca7d14097cc5bf1e093c92c3bb7303b2ce503225a64840eae9464942f9ee770121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// f6d7284d708bc34f3e8e24d3f21b4b2900233c4789d7125bf0217ef570194a92, version 2, 110 vB.
        pub const CV2: &str = "02000000000101bf850aaf4d39a2d101a41463a687c6752dba8d89b86e486897bff6eceab02a230000000000fdffffff0168be029500000000160014fc7250a211deddc70ee5a2738de5f07817351cef0247304402207cd27811ca758ea92cc5d1a37cc9d9891a6d3487eaf31d51f9ec83acf11e09a802206fec8bae875f258d1b6c5e8ff7282777dca15a6f305272f841ea98ec1287ca830121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 8a82729b3c7b0ea859b639a8421ad3f386adf79f98e756fa6acd47e34bffe0d5, version 2, 110 vB.
        pub const P4: &str = "020000000001013021cb84dab67cf7c9d624881161335b53cf0c9bf81cc7fade65fd56e10085b50000000000fdffffff01f0ca052a01000000160014fc7250a211deddc70ee5a2738de5f07817351cef02473044022033e228de0cd1063d6e34774a9d947d983e4ff257d6c51555ba92edb0e40b6d8302200d20f41ec1870285f046f66298b3e623142e7b042a72276435eb2c64c01b4fbe0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 1eb172ff3cee4b612e25d3af590de66f2ab971fd94d4d44169e7e9edf070a4a1, version 3, 110 vB.
        pub const CV3: &str = "03000000000101d5e0ff4be347cd6afa56e7989ff7ad86f3d31a42a839b659a80e7b3c9b72828a0000000000fdffffff01e0a3052a01000000160014fc7250a211deddc70ee5a2738de5f07817351cef02473044022004a1d48adf8d86b3b3b74161ff1486aaec77c08450842d8c8c3e47708a133d20022037bb7be7a9dcec6ad3f0617a33387064d0d52f5936dbb01411821fbbe75111b50121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 760e495ac5ea6ff0efc2d17ca68b46f7a4e4ce5f971776c6d0c50e049f5977e6, version 3, 110 vB.
        pub const GP: &str = "030000000001011add6c9d96d0071baa1e1a527a592f31cb1975497b44e4c4233526ba06fa08040000000000fdffffff01f0ca052a01000000160014fc7250a211deddc70ee5a2738de5f07817351cef02473044022051b6ca44624b7e5b3961ecabcc5b196bda8cb0b8a92f6af4a4163745e6128d1b02202facff4d44c3a68afc6e7dc2df1079a43c1235018de888b58ddc97dc1f8d3eb30121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// a9648aca8e2c984df82c08312a75bcab453845b137959fde9f242eeb0b2b4677, version 3, 110 vB.
        pub const PP: &str = "03000000000101e677599f040ec5d0c67617975fcee4a4f7468ba67cd1c2eff06feac55a490e760000000000fdffffff01e0a3052a01000000160014fc7250a211deddc70ee5a2738de5f07817351cef0247304402200c63f2e6b526a2e804d4399c682afb6bb1d8fba3675dbf90a83918f6116b86070220117a83a38699e09f8f6b9098065b3f452c32594383bd14149b8d0353c98accb60121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 03173d04002f0ef9d62916d4eaaff0beb8bd8916c53c6cc3883c2b3d4c3f8bd0, version 3, 110 vB.
        pub const CP: &str = "0300000000010177462b0beb2e249fde9f9537b1453845abbc752a31082cf84d982c8eca8a64a90000000000fdffffff01d07c052a01000000160014fc7250a211deddc70ee5a2738de5f07817351cef02473044022041aa9b1f53b292ccf751f90cec29b071824fa91ff0bc96ac1a3b127d174e4194022024a022dc2b5eff381d379ff08524c01db94d97009be72f5f1ab575a64f6c1dd60121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 1d973e5e29673ec443e73659830e910be82a5a7aab93e0baf01775d1fe342ea1, version 3, 110 vB.
        pub const P5: &str = "0300000000010193acd20382992b30febe57607066053c2ad0b49e7ea4f51fcedb1f34892616d30000000000fdffffff01f0ca052a01000000160014fc7250a211deddc70ee5a2738de5f07817351cef02473044022077a47268d4ea684a5d55a6fd983d78f2595406ec0f5357825d8dd92c30241d87022017cbdc3c2ec411f9f0fc68d61095d43efe6128a57c785874439ed784812132450121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// a8629bd686bb6610dff09b5cc6cfa5789c3db72f0f0f6b8ab3bcca563287fff6, version 3, 1225 vB.
        pub const C5_BIG: (&str, usize, &str) = (
            "03000000000101a12e34fed17517f0bae093ab7a5a2ae80b910e835936e743c43e67295e3e971d0000000000fdffffff02e0a3052a01000000160014fc7250a211deddc70ee5a2738de5f07817351cef0000000000000000fd50046a4d4c04",
            1100,
            "02473044022021a360807959ae5d4d45ca9416bb0fc04d6dbf20de7dff2808f01b37a5c8b623022079aa001083f26d948416e4bc9309c1179e00b6f55f746725213189771f8541160121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000",
        );
        /// 1ae83b47f2b60d281f99e041b688239424fd4d42806bcd3fd5cb0341b47e0735, version 3, 110 vB.
        pub const X: &str = "030000000001015c7b4cdf745c5c5002c83a5e3a26b21a3e4ecd39a2b74206ec777cc3cdf5ad990000000000fdffffff01951c576300000000160014fc7250a211deddc70ee5a2738de5f07817351cef02473044022034333088b03d3ddfa197b6f2f295aa6fd16c000382c868ff698db048b391a51102207bd30ef0a4bfebe2f27e4ade44167ccd0a299385aab89dbaefb467aaf9db8f7c0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 147146b3ebb79608af4c9b267220b458250c8841508b2fe81a705217abeee606, version 3, 110 vB.
        pub const Y: &str = "030000000001015c7b4cdf745c5c5002c83a5e3a26b21a3e4ecd39a2b74206ec777cc3cdf5ad990100000000fdffffff01951c576300000000160014fc7250a211deddc70ee5a2738de5f07817351cef0247304402204f64705c7e0e2a95dfe8c64eaa9784e94225d495c502b1a76f389e70945e512802205e586d4a48673f323b0177db6ff37bd6b0b36054bf9fc7ef0b023a8799a8fb6c0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// 3d6fa0eef65418cad92202cf86a1179610e2b8edc2757730eef93de9ea29ae77, version 3, 110 vB.
        pub const P6: &str = "030000000001015ae915e5bf99a6be08c2e52af76c9aeff90e6f30ab8f9f85a3aef04fcfa684b10000000000fdffffff01f0ca052a01000000160014fc7250a211deddc70ee5a2738de5f07817351cef02473044022067496314521091b00526cf9ffb5597bc3d004081e14ce79cbcc2477f006a2c6d02201b1dad4bb68027bda7cae9be7032608541b7c310f99a99dbd1eb071d6b122dfd0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
        /// f2ba1d241ad4d4001543347da36c0c526acc153f70de4a2c0cba4762894e88b4, version 3, 177 vB.
        pub const Z: &str = "030000000001025c7b4cdf745c5c5002c83a5e3a26b21a3e4ecd39a2b74206ec777cc3cdf5ad990200000000fdffffff77ae29eae93df9ee307775c2edb8e2109617a186cf0222d9ca1854f6eea06f3d0000000000fdffffff0185e75c8d01000000160014fc7250a211deddc70ee5a2738de5f07817351cef0247304402206587dd64beb0a39cb719219a9c7bd2bdedfc9702132f1c74f229899fe526dc880220365d1023380aae62380bab953e368afa5bbd53839ce0710a1699b51b62d2341d0121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa02473044022066fac0adfc0b3a1af18d95f19143ea8a3f0284c946b64eaab1a4fe0977078cab022012e30b7b24cdc1c67ff060aea58e2f27e6e7b049c003d00bb86dc0a4310ae8d70121034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa00000000";
    }

    fn tx(hex: &str) -> Transaction {
        deserialize_hex(hex).expect("a transaction")
    }

    fn padded((prefix, zeros, suffix): (&str, usize, &str)) -> Transaction {
        tx(&format!("{prefix}{}{suffix}", "00".repeat(zeros)))
    }

    fn txid(hex: &str) -> Txid {
        tx(hex).compute_txid()
    }

    /// A mempool of whole transactions; parents and children from their inputs.
    struct FakePool(Vec<Transaction>);

    impl FakePool {
        fn of(hexes: &[&str]) -> FakePool {
            FakePool(hexes.iter().map(|h| tx(h)).collect())
        }

        fn find(&self, txid: &Txid) -> Option<&Transaction> {
            self.0.iter().find(|t| t.compute_txid() == *txid)
        }
    }

    impl TrucPool for FakePool {
        fn pool_tx(&self, txid: &Txid) -> Option<PoolTx> {
            self.find(txid).map(PoolTx::of)
        }

        fn ancestor_count(&self, txid: &Txid) -> usize {
            let mut seen = HashSet::from([*txid]);
            let mut stack = vec![*txid];
            while let Some(t) = stack.pop() {
                let Some(tx) = self.find(&t) else { continue };
                for i in &tx.input {
                    let p = i.previous_output.txid;
                    if self.find(&p).is_some() && seen.insert(p) {
                        stack.push(p);
                    }
                }
            }
            seen.len()
        }

        fn descendants(&self, txid: &Txid) -> Vec<Txid> {
            let mut seen = HashSet::new();
            let mut stack = vec![*txid];
            while let Some(t) = stack.pop() {
                for c in &self.0 {
                    let ct = c.compute_txid();
                    if c.input.iter().any(|i| i.previous_output.txid == t) && seen.insert(ct) {
                        stack.push(ct);
                    }
                }
            }
            seen.into_iter().collect()
        }
    }

    /// Core's `reject-details` / `package-error`: the reason, a comma, the debug string.
    fn core(result: Result<(), TrucViolation>) -> String {
        match result {
            Ok(()) => "accepted".to_string(),
            Err(v) => format!("{TRUC_VIOLATION}, {v}"),
        }
    }

    fn single(pool: &FakePool, tx: &Transaction, vsize: u64) -> Result<(), TrucViolation> {
        single_truc_checks(pool, tx, vsize, &HashSet::new())
    }

    /// Core's package loop: `package_truc_checks` for each transaction in order, the
    /// first failure wins (after each passed `single_truc_checks`, as `PreChecks` ran).
    fn package(pool: &FakePool, txs: &[&str], vsizes: &[u64]) -> Result<(), TrucViolation> {
        let txs: Vec<Transaction> = txs.iter().map(|h| tx(h)).collect();
        for (t, v) in txs.iter().zip(vsizes) {
            assert_eq!(single(pool, t, *v), Ok(()), "PreChecks passes each");
        }
        (0..txs.len()).try_for_each(|i| package_truc_checks(pool, &txs, i, vsizes[i]))
    }

    /// A made-up transaction (for shapes only a reorg gives, which Core's RPCs cannot
    /// build): `version`, spending `inputs`, one output of `tag` satoshis.
    fn made_up(version: i32, inputs: &[(Txid, u32)], tag: u64) -> Transaction {
        Transaction {
            version: Version(version),
            lock_time: absolute::LockTime::ZERO,
            input: inputs
                .iter()
                .map(|(t, v)| TxIn {
                    previous_output: OutPoint::new(*t, *v),
                    script_sig: ScriptBuf::new(),
                    sequence: Sequence::ENABLE_RBF_NO_LOCKTIME,
                    witness: Witness::new(),
                })
                .collect(),
            output: vec![TxOut {
                value: Amount::from_sat(tag),
                script_pubkey: ScriptBuf::new(),
            }],
        }
    }

    fn confirmed(n: u8) -> Txid {
        use bitcoin::hashes::Hash;
        Txid::from_byte_array([n; 32])
    }

    #[test]
    fn truc_tx_over_10000_vb_is_too_big() {
        use core_txs::*;
        let big = padded(BIG);
        // testmempoolaccept, spending a confirmed coinbase:
        assert_eq!(
            core(single(&FakePool::of(&[]), &big, 10225)),
            "TRUC-violation, version=3 tx ea54bedd3b4b37f68748664897dcc4334e5c6ab3d1308f3cfd2290aee2dfd581 (wtxid=487fc74f816d3903549c5b5aaa32bdd34cda754a887f27725217be53a9372d04) is too big: 10225 > 10000 virtual bytes"
        );
        assert_eq!(single(&FakePool::of(&[]), &big, TRUC_MAX_VSIZE), Ok(()));
        // The same transaction as version 2 (Core: allowed, 10225 vB).
        let v2 = Transaction {
            version: Version::TWO,
            ..big
        };
        assert_eq!(single(&FakePool::of(&[]), &v2, 10225), Ok(()));
        let pkg = [padded(BIG)];
        assert!(
            package_truc_checks(&FakePool::of(&[]), &pkg, 0, 10225)
                .is_err_and(|v| v.debug.ends_with("is too big: 10225 > 10000 virtual bytes"))
        );
    }

    #[test]
    fn truc_child_over_1000_vb_is_too_big() {
        use core_txs::*;
        // testmempoolaccept, its version=3 parent P in the mempool:
        let child = padded(CHILD_BIG);
        assert_eq!(
            core(single(&FakePool::of(&[P]), &child, 1225)),
            "TRUC-violation, version=3 child tx 8c3577bdd543a946ef9983ddf868c6e385734d726019c261b467949a1cbc291b (wtxid=d3f520472995858dae0baf12563cdb997e1ba8e932e347abdd367c40bac9fdc2) is too big: 1225 > 1000 virtual bytes"
        );
        assert_eq!(
            single(&FakePool::of(&[P]), &child, TRUC_CHILD_MAX_VSIZE),
            Ok(())
        );
        // Without an unconfirmed parent the 10000 vB limit is the only one.
        assert_eq!(single(&FakePool::of(&[]), &child, 1225), Ok(()));
        // testmempoolaccept [P5, C5] (package-error):
        let txs = [tx(P5), padded(C5_BIG)];
        let none = FakePool::of(&[]);
        assert_eq!(
            core((0..2).try_for_each(|i| package_truc_checks(&none, &txs, i, [110, 1225][i]))),
            "TRUC-violation, version=3 child tx a8629bd686bb6610dff09b5cc6cfa5789c3db72f0f0f6b8ab3bcca563287fff6 (wtxid=7ae89d58f3ba24fa64aefc56487ef691643ef57fae79da789a8e35c412f4eab1) is too big: 1225 > 1000 virtual bytes"
        );
    }

    #[test]
    fn truc_ancestor_limit() {
        use core_txs::*;
        // testmempoolaccept of grandchild G, with P and its child C1 in the mempool:
        assert_eq!(
            core(single(&FakePool::of(&[P, C1]), &tx(G), 110)),
            "TRUC-violation, tx f10da99a946d8a3b863f2ceda2799fe0d074745063cf78097c006cd421a89fa0 (wtxid=e7410e808a27cac2235ca39574159f110475ed18f8ba13a509b67422f5dd26d2) would have too many ancestors"
        );
        // testmempoolaccept of a tx spending two version=3 mempool parents, P and Q:
        assert_eq!(
            core(single(&FakePool::of(&[P, C1, Q]), &tx(TWO_PARENTS), 177)),
            "TRUC-violation, tx 88fe9a410df876e5740e9fbce2a371ebc6ad4beb2967abb60bdd566b71be9fa0 (wtxid=4cab8ada7525335bc2ea7be71a0d39d4ce8d1258a5940863d9e2050ff706cab9) would have too many ancestors"
        );
        // testmempoolaccept [GP, PP, CP], a chain of three (package-error names CP, the
        // in-package child of PP, which has an in-package parent):
        assert_eq!(
            core(package(&FakePool::of(&[]), &[GP, PP, CP], &[110, 110, 110])),
            "TRUC-violation, tx 03173d04002f0ef9d62916d4eaaff0beb8bd8916c53c6cc3883c2b3d4c3f8bd0 (wtxid=cd7e9e95443d3483615e995cf01e174f392c7f9d45721bdca3f7a0575ef3015f) would have too many ancestors"
        );
        // testmempoolaccept [P6, Z], Z spending P6 and the mempool's M:
        assert_eq!(
            core(package(&FakePool::of(&[M]), &[P6, Z], &[110, 177])),
            "TRUC-violation, tx f2ba1d241ad4d4001543347da36c0c526acc153f70de4a2c0cba4762894e88b4 (wtxid=0f8400d51ed9a64e7af52c99d62add3c76823a6fcf0e4880b4aea4168668c186) would have too many ancestors"
        );
        // A mempool parent with a mempool parent, and a package parent too.
        let pool = FakePool::of(&[P, C1]);
        let pkg = [made_up(3, &[(txid(C1), 0), (txid(P6), 0)], 1)];
        assert!(
            package_truc_checks(&pool, &pkg, 0, 100)
                .is_err_and(|v| v.debug.ends_with("would have too many ancestors"))
        );
    }

    #[test]
    fn truc_descendant_limit_and_sibling_eviction() {
        use core_txs::*;
        let pool = FakePool::of(&[P, C1]);
        // C2 spends P's other output while C1 is P's child. In a multi-transaction
        // testmempoolaccept [C2, other] (no sibling eviction there), Core says:
        let got = single(&pool, &tx(C2), 110);
        assert_eq!(
            core(got.clone()),
            "TRUC-violation, tx 9ff98b012fb41f3b903df66858120a7dbba326fdfafe4b01adc5f1321640dfb8 (wtxid=4e027bd55aa9522491308c884eb9cdd1dca5bf6e5eb39566f427569ce1f19b49) would exceed descendant count limit"
        );
        // Alone, C2 makes Core consider evicting C1: sendrawtransaction says "insufficient
        // fee (including sibling eviction), rejecting replacement 24d725b4a444283a201e148d378d0ece419fdf1639f63aa51769ea6d88ff236f,
        // less fees than conflicting txs; 0.00005 < 0.0001", and the same spend paying
        // 0.001 (4eadefc3…) is accepted, evicting C1.
        assert_eq!(got.err().and_then(|v| v.sibling_to_evict), Some(txid(C1)));
        // The same in a package, with C2 as the package (never a sibling to evict).
        let pkg = [tx(C2)];
        assert_eq!(
            package_truc_checks(&pool, &pkg, 0, 110).map_err(|v| (v.to_string(), v.sibling_to_evict)),
            Err((
                "tx 9ff98b012fb41f3b903df66858120a7dbba326fdfafe4b01adc5f1321640dfb8 (wtxid=4e027bd55aa9522491308c884eb9cdd1dca5bf6e5eb39566f427569ce1f19b49) would exceed descendant count limit".to_string(),
                None
            ))
        );
        // testmempoolaccept [P2, CA, CB], two children of P2 in the package:
        assert_eq!(
            core(package(&FakePool::of(&[]), &[P2, CA, CB], &[141, 110, 110])),
            "TRUC-violation, tx 086a89ec831033fbaa7289827d1d29b2ac7cb7215e1741607c4c8bb83b18d6e9 (wtxid=3d2b84eb2b45d8a6a95dc75a8f804da643fb2a641244d84f660e3ca10e83a32c) would exceed descendant count limit"
        );
        // testmempoolaccept [X, Y], two children of the mempool's M:
        assert_eq!(
            core(package(&FakePool::of(&[M]), &[X, Y], &[110, 110])),
            "TRUC-violation, tx 99adf5cdc37c77ec0642b7a239cd4e3e1ab2263a5e3ac802505c5c74df4c7b5c (wtxid=3449d856085fa2be896ae462a5929e9a2cb733e7b490a2e3f8055887c18d57b2) would exceed descendant count limit"
        );
    }

    #[test]
    fn sibling_eviction_only_for_a_lone_sibling_with_one_ancestor() {
        // After a reorg: parent A with children W1 and W2 (no sibling to evict), or A's
        // child W also spending B (more than one ancestor: none either).
        let a = made_up(3, &[(confirmed(1), 0)], 1);
        let b = made_up(3, &[(confirmed(2), 0)], 2);
        let (at, bt) = (a.compute_txid(), b.compute_txid());
        let w1 = made_up(3, &[(at, 0)], 3);
        let w2 = made_up(3, &[(at, 1)], 4);
        let new = made_up(3, &[(at, 2)], 5);
        let expected = format!(
            "tx {at} (wtxid={}) would exceed descendant count limit",
            a.compute_wtxid()
        );
        let pool = FakePool(vec![a.clone(), w1.clone(), w2.clone()]);
        assert_eq!(
            single(&pool, &new, 100),
            Err(TrucViolation {
                debug: expected.clone(),
                sibling_to_evict: None
            })
        );
        // Replacing one of them makes room (Core counts a descendant among the direct
        // conflicts as gone).
        let conflicts = HashSet::from([w2.compute_txid()]);
        assert_eq!(single_truc_checks(&pool, &new, 100, &conflicts), Ok(()));
        let w = made_up(3, &[(at, 0), (bt, 0)], 6);
        let pool = FakePool(vec![a, b, w]);
        assert_eq!(
            single(&pool, &new, 100),
            Err(TrucViolation {
                debug: expected,
                sibling_to_evict: None
            })
        );
    }

    #[test]
    fn replacing_the_child_makes_room() {
        use core_txs::*;
        // C1R spends P's output 0 like C1, paying more: Core's testmempoolaccept allows it
        // (35d39939…, a plain replacement).
        let pool = FakePool::of(&[P, C1]);
        let c1r = tx(C1R);
        assert!(single(&pool, &c1r, 110).is_err());
        let conflicts = HashSet::from([txid(C1)]);
        assert_eq!(single_truc_checks(&pool, &c1r, 110, &conflicts), Ok(()));
        // P's child C1 passes the checks before it entered, and so does P.
        assert_eq!(single(&FakePool::of(&[P]), &tx(C1), 110), Ok(()));
        assert_eq!(single(&FakePool::of(&[]), &tx(P), 172), Ok(()));
    }

    #[test]
    fn truc_cannot_spend_unconfirmed_non_truc() {
        use core_txs::*;
        // testmempoolaccept of a version=3 child of the mempool's version=2 R:
        assert_eq!(
            core(single(&FakePool::of(&[R]), &tx(V3_CHILD), 110)),
            "TRUC-violation, version=3 tx c94440ccffbb1bee5b148f9795132918f84f71e6d98a52416b10d194ad2444c8 (wtxid=5dcad1c08054d6254b36b3d74d9c8ce5c1007d7d92b399759b8c932b54569be0) cannot spend from non-version=3 tx 890ee48b147f9025b5df8f661af1f406b5c98b84acb65183bfe432ead548fd8d (wtxid=fa20797e37c6ef01ae045a7fba1455dbd42c14e0c0fb2b154fd842e8e48bb2be)"
        );
        // ... and of one spending R and the version=3 Q (inheritance before ancestors):
        assert_eq!(
            core(single(&FakePool::of(&[R, Q]), &tx(V3_MIXED), 177)),
            "TRUC-violation, version=3 tx 3b590552f27ccd601f99655c3dd7a27febb1e6df18390585635f90e4dea66a7b (wtxid=ebc5801863d155c1cf08a3826749d5232631398a3efc1e258afd0b44a646e7de) cannot spend from non-version=3 tx 890ee48b147f9025b5df8f661af1f406b5c98b84acb65183bfe432ead548fd8d (wtxid=fa20797e37c6ef01ae045a7fba1455dbd42c14e0c0fb2b154fd842e8e48bb2be)"
        );
        // testmempoolaccept [P4, CV3], P4 version 2:
        assert_eq!(
            core(package(&FakePool::of(&[]), &[P4, CV3], &[110, 110])),
            "TRUC-violation, version=3 tx 1eb172ff3cee4b612e25d3af590de66f2ab971fd94d4d44169e7e9edf070a4a1 (wtxid=521edb1056e7e0bdb3071989f2729ba88076747756df47d8d1258ff9ad663ace) cannot spend from non-version=3 tx 8a82729b3c7b0ea859b639a8421ad3f386adf79f98e756fa6acd47e34bffe0d5 (wtxid=339e2e1baa8cf8c660807052773f6fbabccdb20eeb241b51f3d8091436a87cd0)"
        );
        // Confirmed parents are no one's business.
        assert_eq!(single(&FakePool::of(&[]), &tx(V3_CHILD), 110), Ok(()));
    }

    #[test]
    fn non_truc_cannot_spend_unconfirmed_truc() {
        use core_txs::*;
        // testmempoolaccept of a version=2 tx spending S:0 then P:2, both version=3 in
        // the mempool: Core names P, first by stored txid bytes (…b8 < …bf) though S is
        // the first input and first by hex (4926… < 9ff9…).
        let pool = FakePool::of(&[P, C1, Q, R, M, S]);
        assert_eq!(
            core(single(&pool, &tx(V2_TWO_V3), 177)),
            "TRUC-violation, non-version=3 tx d41edbaf24484bbbb7fb28a2bb683d5a067328cf82ea98248f6bee8d34e4e2f8 (wtxid=1844911e1eb07f48a28463efd3d40f2fbfff9fe1de089cb5cffd664cfb69a0c3) cannot spend from version=3 tx 9ff98b012fb41f3b903df66858120a7dbba326fdfafe4b01adc5f1321640dfb8 (wtxid=4e027bd55aa9522491308c884eb9cdd1dca5bf6e5eb39566f427569ce1f19b49)"
        );
        assert_eq!(
            mempool_parents(&pool, &tx(V2_TWO_V3))
                .iter()
                .map(|p| p.txid)
                .collect::<Vec<_>>(),
            vec![txid(P), txid(S)]
        );
        // testmempoolaccept [P3, CV2]:
        assert_eq!(
            core(package(&FakePool::of(&[]), &[P3, CV2], &[141, 110])),
            "TRUC-violation, non-version=3 tx f6d7284d708bc34f3e8e24d3f21b4b2900233c4789d7125bf0217ef570194a92 (wtxid=c3f6f242ef9bf561db96c8300f927212cd71db89eaffb97a222cd112fa839504) cannot spend from version=3 tx 232ab0eaecf6bf9768486eb8898dba2d75c687a66314a401d1a2394daf0a85bf (wtxid=ba839c5733512cdcd7a099fe8d0567ed51f519bb509fe7b16eca28ed175c4cd2)"
        );
        // Non-TRUC over non-TRUC, or over nothing unconfirmed: nothing to say.
        let r = tx(R);
        assert_eq!(single(&FakePool::of(&[]), &r, 141), Ok(()));
        let r_child = made_up(2, &[(r.compute_txid(), 0)], 1);
        assert_eq!(single(&FakePool(vec![r]), &r_child, 20_000), Ok(()));
    }
}
