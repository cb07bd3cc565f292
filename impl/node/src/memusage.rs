//! The mempool's memory as Core v31 counts it (`CTxMemPool::DynamicMemoryUsage`, which
//! `getmempoolinfo` shows as `usage` and `-maxmempool` is held against), on x86-64 Linux
//! with glibc and libstdc++, where Core's reference binaries are built:
//!
//! ```text
//! MallocUsage(sizeof(CTxMemPoolEntry) + 9 * sizeof(void*)) * mapTx.size()
//!   + DynamicUsage(mapNextTx) + DynamicUsage(mapDeltas) + DynamicUsage(txns_randomized)
//!   + m_txgraph->GetMainMemoryUsage() + cachedInnerUsage
//! ```
//!
//! Every size below is Core's `sizeof` on that platform, worked out from its sources
//! (`src/memusage.h`, `src/core_memusage.h`, `src/txgraph.cpp`, ...) and checked against
//! the reference binary's answers, transaction shape by shape.

use bitcoin::{Script, Transaction};

/// Core's `memusage::MallocUsage` on 64-bit: what an allocation of `alloc` bytes takes
/// from glibc's malloc (a 16-byte aligned chunk with its 8-byte header); nothing for 0.
pub const fn malloc_usage(alloc: u64) -> u64 {
    if alloc == 0 {
        0
    } else {
        ((alloc + 31) >> 4) << 4
    }
}

/// `sizeof(CTxMemPoolEntry)`: its `TxGraph::Ref` base (vtable pointer, graph pointer,
/// index: 24), the `CTransactionRef` (16), fee, weight, `nUsageSize`, time, sequence,
/// height, coinbase flag, sigop cost, modified fee (64 with padding), `LockPoints` (24)
/// and `idx_randomized` (8).
const SIZEOF_MEMPOOL_ENTRY: u64 = 136;

/// Core's estimate of a `mapTx` node: the entry plus nine pointers of
/// `boost::multi_index` bookkeeping (three indexes), as one allocation.
pub const MAPTX_NODE: u64 = malloc_usage(SIZEOF_MEMPOOL_ENTRY + 9 * 8);

/// A `mapNextTx` node (one per input): `indirectmap<COutPoint, txiter>` is a
/// `std::map<const COutPoint*, txiter>`, a red-black tree node of colour and three
/// pointers (32) holding a pointer and a one-pointer iterator (16).
pub const NEXT_TX_NODE: u64 = malloc_usage(32 + 16);

/// A `mapDeltas` node: `std::map<Txid, CAmount>`, a tree node (32) holding a txid (32)
/// and an amount (8).
pub const DELTA_NODE: u64 = malloc_usage(32 + 40);

/// An element of `txns_randomized`: `std::pair<Wtxid, txiter>`.
const RANDOMIZED_ELEMENT: u64 = 40;

/// `sizeof(TxGraphImpl::Entry)`, counted once per transaction by `GetMainMemoryUsage`:
/// a `Ref` pointer, a chunk-index iterator, two `Locator`s (16 each), the main chunk
/// fee rate (16), the equal-fee-rate prefix size, linearization index and fallback
/// index (4 each), padded to 80.
pub const TXGRAPH_ENTRY: u64 = 80;

/// `sizeof(std::unique_ptr<Cluster>)`: each cluster's slot in `ClusterSet::m_clusters`.
const CLUSTER_SLOT: u64 = 8;

/// `SingletonClusterImpl::TotalMemoryUsage`: the allocation of the cluster (the
/// `Cluster` base of 24: vtable pointer, quality, set index, sequence; a `FeePerWeight`
/// of 16 and a graph index of 4; 48 in all) and its slot.
pub const SINGLETON_CLUSTER: u64 = malloc_usage(48) + CLUSTER_SLOT;

/// The fixed part of `GenericClusterImpl::TotalMemoryUsage`: the allocation of the
/// cluster (the `Cluster` base of 24, a `DepGraph` of a vector and a 64-bit set (32), and
/// the `m_mapping` and `m_linearization` vectors (24 each); 104 in all) and its slot.
const GENERIC_CLUSTER: u64 = malloc_usage(104) + CLUSTER_SLOT;

/// `sizeof(DepGraph<BitSet<64>>::Entry)`: a `FeeFrac` (16) and the ancestor and
/// descendant sets (8 each).
const DEPGRAPH_ENTRY: u64 = 32;

/// A node of `TxGraphImpl::m_main_chunkindex` (one per chunk of the main graph): a
/// `std::set<ChunkData>` tree node (32) holding a graph index and a chunk count (8).
pub const CHUNK_NODE: u64 = malloc_usage(32 + 8);

/// `sizeof(CTransaction)`: `vin` and `vout` (24 each), version and lock time (4 each),
/// the witness flag and the two cached hashes (1 + 32 + 32), padded to 128.
const SIZEOF_TRANSACTION: u64 = 128;

/// Core's `memusage::stl_shared_counter`: the control block it assumes a `shared_ptr`
/// has (three words).
const SHARED_COUNTER: u64 = 24;

/// `sizeof(CTxIn)`: the outpoint (36, padded to 40), the scriptSig `CScript` (40), the
/// sequence (4, padded to 8) and the witness stack vector (24).
const SIZEOF_TXIN: u64 = 112;

/// `sizeof(CTxOut)`: the value (8) and the `CScript` (40).
const SIZEOF_TXOUT: u64 = 48;

/// A `std::vector<unsigned char>` object (a witness stack element).
const SIZEOF_BYTE_VECTOR: u64 = 24;

/// How many bytes a `CScript` keeps in itself: Core v31's `CScriptBase` is a
/// `prevector<36, uint8_t>`, so longer scripts alone allocate.
const SCRIPT_INLINE: usize = 36;

/// `RecursiveDynamicUsage` of a script: its heap buffer, which Core sizes to the script
/// exactly when it reads a transaction.
fn script_usage(script: &Script) -> u64 {
    if script.len() > SCRIPT_INLINE {
        malloc_usage(script.len() as u64)
    } else {
        0
    }
}

/// `CTxMemPoolEntry::nUsageSize`, which is `RecursiveDynamicUsage` of the entry's
/// `CTransactionRef`: the transaction object and the shared pointer's control block,
/// the input and output vectors, each scriptSig, witness stack and witness element, and
/// each output script. Transactions read from the wire or from disk have every vector at
/// its exact size (Core's deserializer reserves what the stream announces), which is
/// what this assumes.
pub fn tx_usage(tx: &Transaction) -> u64 {
    let mut usage = malloc_usage(SIZEOF_TRANSACTION)
        + malloc_usage(SHARED_COUNTER)
        + malloc_usage(SIZEOF_TXIN * tx.input.len() as u64)
        + malloc_usage(SIZEOF_TXOUT * tx.output.len() as u64);
    for input in &tx.input {
        usage += script_usage(&input.script_sig);
        usage += malloc_usage(SIZEOF_BYTE_VECTOR * input.witness.len() as u64);
        usage += input
            .witness
            .iter()
            .map(|item| malloc_usage(item.len() as u64))
            .sum::<u64>();
    }
    usage += tx
        .output
        .iter()
        .map(|o| script_usage(&o.script_pubkey))
        .sum::<u64>();
    usage
}

/// What one mempool transaction costs apart from its cluster: its `mapTx` node, its
/// `nUsageSize` (`cachedInnerUsage`), a `mapNextTx` node per input and its `TxGraph`
/// entry.
pub fn entry_usage(tx: &Transaction) -> u64 {
    MAPTX_NODE + tx_usage(tx) + NEXT_TX_NODE * tx.input.len() as u64 + TXGRAPH_ENTRY
}

/// `Cluster::TotalMemoryUsage` of a main-graph cluster of `count` transactions, as Core
/// caches it in `m_cluster_usage`: a `SingletonClusterImpl` for one, else a
/// `GenericClusterImpl` whose `m_mapping` and `m_linearization` (4-byte indexes) and
/// `DepGraph` entries Core shrinks to fit after every merge, split and removal (and a
/// split leaves no holes, so all three hold `count` elements).
pub fn cluster_usage(count: u64) -> u64 {
    if count <= 1 {
        SINGLETON_CLUSTER
    } else {
        GENERIC_CLUSTER + 2 * malloc_usage(4 * count) + malloc_usage(DEPGRAPH_ENTRY * count)
    }
}

/// The capacity of `txns_randomized`, the mempool's vector of every transaction: it grows
/// as libstdc++'s `emplace_back` does (doubling, from one), shrinks to fit when a removal
/// leaves it less than half full, and keeps its capacity when the last transaction
/// leaves (Core `clear()`s it then).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Randomized {
    len: u64,
    capacity: u64,
}

impl Randomized {
    /// A transaction entered (`addNewTransaction`'s `emplace_back`).
    pub fn push(&mut self) {
        if self.len == self.capacity {
            self.capacity += self.capacity.max(1);
        }
        self.len += 1;
    }

    /// A transaction left (`removeUnchecked`).
    pub fn remove(&mut self) {
        if self.len > 1 {
            self.len -= 1;
            if self.len * 2 < self.capacity {
                self.capacity = self.len;
            }
        } else {
            self.len = 0;
        }
    }

    /// `DynamicUsage(txns_randomized)`.
    pub fn usage(&self) -> u64 {
        malloc_usage(RANDOMIZED_ELEMENT * self.capacity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malloc_rounds_as_cores() {
        assert_eq!(malloc_usage(0), 0);
        assert_eq!(malloc_usage(1), 32);
        assert_eq!(malloc_usage(33), 64);
        assert_eq!(malloc_usage(40), 64);
        assert_eq!(malloc_usage(48), 64);
        assert_eq!(malloc_usage(49), 80);
        assert_eq!(malloc_usage(112), 128);
        assert_eq!(malloc_usage(113), 144);
    }

    #[test]
    fn fixed_sizes() {
        assert_eq!(MAPTX_NODE, 224);
        assert_eq!(NEXT_TX_NODE, 64);
        assert_eq!(DELTA_NODE, 96);
        assert_eq!(SINGLETON_CLUSTER, 72);
        assert_eq!(CHUNK_NODE, 64);
        assert_eq!(cluster_usage(2), 136 + 2 * 32 + 80);
        assert_eq!(cluster_usage(3), 136 + 2 * 32 + 112);
    }

    /// A one-input, one-output transfer shaped as the functional tests' P2TR ones: a
    /// 34-byte output script (kept in the `CScript`) and a witness of 1 and 33 bytes.
    fn p2tr_transfer(extra_script: Option<usize>) -> Transaction {
        use bitcoin::{Amount, OutPoint, ScriptBuf, Sequence, TxIn, TxOut, Witness};
        let mut tx = Transaction {
            version: bitcoin::transaction::Version::TWO,
            lock_time: bitcoin::absolute::LockTime::ZERO,
            input: vec![TxIn {
                previous_output: OutPoint::null(),
                script_sig: ScriptBuf::new(),
                sequence: Sequence::ZERO,
                witness: Witness::from_slice(&[vec![0x51u8], vec![0xc0u8; 33]]),
            }],
            output: vec![TxOut {
                value: Amount::from_sat(1000),
                script_pubkey: ScriptBuf::from_bytes(vec![0x51; 34]),
            }],
        };
        if let Some(len) = extra_script {
            tx.output.push(TxOut {
                value: Amount::ZERO,
                script_pubkey: ScriptBuf::from_bytes(vec![0x6a; len]),
            });
        }
        tx
    }

    #[test]
    fn transactions_cost_what_core_measured() {
        // 144 + 48 (the transaction and its shared_ptr count), 128 (one input), 64 (one
        // output), 64 (a two-element witness stack), 32 + 64 (its elements).
        let tx = p2tr_transfer(None);
        assert_eq!(tx_usage(&tx), 544);
        // With the mapTx node, a mapNextTx node and the TxGraph entry; a singleton
        // cluster (72) and its chunk node (64) make the 1048 Core adds for it.
        assert_eq!(entry_usage(&tx) + SINGLETON_CLUSTER + CHUNK_NODE, 1048);
        // A second output of 36 bytes is kept in the CScript; of 37 it is allocated.
        assert_eq!(tx_usage(&p2tr_transfer(Some(36))), 544 + 48);
        assert_eq!(tx_usage(&p2tr_transfer(Some(37))), 544 + 48 + 64);
    }

    #[test]
    fn randomized_grows_shrinks_and_keeps_its_last_capacity() {
        let mut r = Randomized::default();
        assert_eq!(r.usage(), 0);
        let mut caps = Vec::new();
        for _ in 0..5 {
            r.push();
            caps.push(r.capacity);
        }
        assert_eq!(caps, [1, 2, 4, 4, 8]);
        // 5 of 8: down to 4 keeps 8, 3 shrinks to 3, 2 keeps 3, 1 shrinks to 1, 0 keeps 1.
        let mut caps = Vec::new();
        for _ in 0..5 {
            r.remove();
            caps.push(r.capacity);
        }
        assert_eq!(caps, [8, 3, 3, 1, 1]);
        assert_eq!(r.usage(), 64);
        r.push();
        assert_eq!(r.capacity, 1);
        r.push();
        assert_eq!(r.capacity, 2);
    }
}
