//! Core's commands that report on blocks, deployments, indexes and the UTXO set:
//! `getblockstats`, `gettxoutproof`, `verifytxoutproof` (Core's `CMerkleBlock` byte for
//! byte), `getdeploymentinfo`, `getindexinfo` (no index exists yet) and `scantxoutset`.
//!
//! Two parts stand in for code other modules keep private (each marked STAND-IN below):
//! the BIP9 state machine (`mining`) and output-descriptor expansion (`util`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use bitcoin::block::Header;
use bitcoin::consensus::encode::{deserialize, serialize};
use bitcoin::hashes::{Hash, sha256d};
use bitcoin::hex::{DisplayHex, FromHex};
use bitcoin::{Address, Block, BlockHash, OutPoint, ScriptBuf, Txid};
use serde_json::{Map, Value, json};
use umkoin_interfaces::rpc::code;

use super::blockchain::{chain, get_int32, get_int64, parse_hash};
use super::json::{amount, type_name};
use super::{Arg, ArgType, Command, Request, RpcError, RpcResult};
use crate::chain::{BlockIndex, Chain};
use crate::chainstate::ChainStore;
use crate::context::NodeContext;

/// The commands of this module.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        category: "blockchain",
        name: "getblockstats",
        args: &[
            // Core skips the type check: a height or a hash.
            Arg::required("hash_or_height", ArgType::Any),
            Arg::optional("stats", ArgType::Arr),
        ],
        help: HELP_GETBLOCKSTATS,
        handler: getblockstats,
    },
    Command {
        category: "blockchain",
        name: "gettxoutproof",
        args: &[
            Arg::required("txids", ArgType::Arr),
            Arg::optional("blockhash", ArgType::Str),
        ],
        help: HELP_GETTXOUTPROOF,
        handler: gettxoutproof,
    },
    Command {
        category: "blockchain",
        name: "verifytxoutproof",
        args: &[Arg::required("proof", ArgType::Str)],
        help: HELP_VERIFYTXOUTPROOF,
        handler: verifytxoutproof,
    },
    Command {
        category: "blockchain",
        name: "getdeploymentinfo",
        args: &[Arg::optional("blockhash", ArgType::Str)],
        help: HELP_GETDEPLOYMENTINFO,
        handler: getdeploymentinfo,
    },
    Command {
        category: "util",
        name: "getindexinfo",
        args: &[Arg::optional("index_name", ArgType::Str)],
        help: HELP_GETINDEXINFO,
        handler: getindexinfo,
    },
    Command {
        category: "blockchain",
        name: "scantxoutset",
        args: &[
            Arg::required("action", ArgType::Str),
            Arg::optional("scanobjects", ArgType::Arr),
        ],
        help: HELP_SCANTXOUTSET,
        handler: scantxoutset,
    },
];

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

/// UniValue's `type_error` for a value read as `expected` (`get_str`, `get_array`).
fn type_error(v: &Value, expected: &str) -> RpcError {
    RpcError::new(
        code::TYPE_ERROR,
        format!(
            "JSON value of type {} is not of expected type {expected}",
            type_name(v)
        ),
    )
}

/// Core's `ParseHashV`: a string of 64 hex digits (UniValue's type error otherwise).
fn hash_arg(v: &Value, name: &str) -> Result<BlockHash, RpcError> {
    if !v.is_string() {
        return Err(type_error(v, "string"));
    }
    parse_hash(v, name)
}

/// Core's `IsHex`: non-empty, of even length, hex digits only.
fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.len().is_multiple_of(2) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The chain from genesis to the known block `hash` (its own branch when it is not
/// on `active`), for walks back from it. The transaction counts of a side branch's
/// blocks below `hash` are not kept (nothing here reads them).
fn chain_to(store: &ChainStore, active: &Chain, hash: &BlockHash) -> Option<Chain> {
    let known = store.lookup(hash)?;
    if active.contains(hash, known.height) {
        return Some(active.prefix(known.height));
    }
    let mut branch = vec![known.header];
    let mut at = known.header.prev_blockhash;
    loop {
        let k = store.lookup(&at)?;
        if active.contains(&at, k.height) {
            break;
        }
        branch.push(k.header);
        at = k.header.prev_blockhash;
    }
    let fork = store.lookup(&at)?.height;
    let mut c = active.prefix(fork);
    let n_tx = store.block_index(active, hash).map_or(0, |b| b.n_tx);
    while let Some(header) = branch.pop() {
        let next = c.next_index(header, if branch.is_empty() { n_tx } else { 0 });
        c.push(next);
    }
    Some(c)
}

/// The block `hash` as Core's `LookupBlockIndex` finds it (any block or header the
/// index knows), or Core's "Block not found".
fn lookup_block(
    store: &ChainStore,
    active: &Chain,
    hash: &BlockHash,
) -> Result<BlockIndex, RpcError> {
    active
        .find(hash)
        .cloned()
        .or_else(|| store.block_index(active, hash))
        .ok_or_else(|| RpcError::new(code::INVALID_ADDRESS_OR_KEY, "Block not found"))
}

/// Core's `GetBlockChecked`: the block's bytes, with Core's errors when they are not
/// stored.
fn read_block_checked(store: &ChainStore, hash: &BlockHash) -> Result<Block, RpcError> {
    if store.lookup(hash).is_some_and(|k| !k.have_data) {
        return Err(RpcError::new(
            code::MISC_ERROR,
            "Block not available (not fully downloaded)",
        ));
    }
    store
        .read_block(hash)
        .map_err(|_| RpcError::new(code::MISC_ERROR, "Block not found on disk"))
}

fn no_store() -> RpcError {
    RpcError::new(code::IN_WARMUP, "Loading block index…")
}

// ---------------------------------------------------------------------------------------
// getblockstats
// ---------------------------------------------------------------------------------------

/// `sizeof(COutPoint) + sizeof(uint32_t) + sizeof(bool)`: what Core counts per coin on
/// top of its serialized output.
const PER_UTXO_OVERHEAD: i64 = 36 + 4 + 1;

/// `MAX_MONEY`.
const MAX_MONEY: i64 = 21_000_000 * 100_000_000;

/// `MAX_BLOCK_SERIALIZED_SIZE`.
const MAX_BLOCK_SERIALIZED_SIZE: i64 = 4_000_000;

/// The statistics `getblockstats` knows, in Core's order.
const STAT_NAMES: [&str; 31] = [
    "avgfee",
    "avgfeerate",
    "avgtxsize",
    "blockhash",
    "feerate_percentiles",
    "height",
    "ins",
    "maxfee",
    "maxfeerate",
    "maxtxsize",
    "medianfee",
    "mediantime",
    "mediantxsize",
    "minfee",
    "minfeerate",
    "mintxsize",
    "outs",
    "subsidy",
    "swtotal_size",
    "swtotal_weight",
    "swtxs",
    "time",
    "total_out",
    "total_size",
    "total_weight",
    "totalfee",
    "txs",
    "utxo_increase",
    "utxo_size_inc",
    "utxo_increase_actual",
    "utxo_size_inc_actual",
];

/// Core's `ParseHashOrHeight`: a height of the active chain, or any known block's hash.
fn hash_or_height(store: &ChainStore, active: &Chain, v: &Value) -> Result<BlockIndex, RpcError> {
    if v.is_number() {
        let height = get_int32(v)?;
        if height < 0 {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                format!("Target block height {height} is negative"),
            ));
        }
        let tip = active.height();
        if i64::from(height) > i64::from(tip) {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                format!("Target block height {height} after current tip {tip}"),
            ));
        }
        return active
            .at(i64::from(height))
            .cloned()
            .ok_or_else(|| RpcError::new(code::INVALID_PARAMETER, "Block height out of range"));
    }
    let hash = hash_arg(v, "hash_or_height")?;
    lookup_block(store, active, &hash)
}

/// The serialized size of an output (`GetSerializeSize(CTxOut)`).
fn txout_size(out: &bitcoin::TxOut) -> i64 {
    let len = out.script_pubkey.len();
    (8 + bitcoin::VarInt::from(len).size() + len) as i64
}

/// Core's `CalculateTruncatedMedian`.
fn truncated_median(mut v: Vec<i64>) -> i64 {
    if v.is_empty() {
        return 0;
    }
    v.sort_unstable();
    let n = v.len();
    if n.is_multiple_of(2) {
        (v[n / 2 - 1] + v[n / 2]) / 2
    } else {
        v[n / 2]
    }
}

/// Core's `CalculatePercentilesByWeight`: the fee rates at the 10th, 25th, 50th, 75th
/// and 90th percentile weight unit.
fn percentiles_by_weight(mut scores: Vec<(i64, i64)>, total_weight: i64) -> [i64; 5] {
    let mut result = [0i64; 5];
    if scores.is_empty() {
        return result;
    }
    scores.sort_unstable();
    let total = total_weight as f64;
    let weights = [
        total / 10.0,
        total / 4.0,
        total / 2.0,
        (total * 3.0) / 4.0,
        (total * 9.0) / 10.0,
    ];
    let mut next = 0;
    let mut cumulative: i64 = 0;
    for &(rate, weight) in &scores {
        cumulative += weight;
        while next < weights.len() && cumulative as f64 >= weights[next] {
            result[next] = rate;
            next += 1;
        }
    }
    let last = scores.last().map_or(0, |s| s.0);
    for r in result.iter_mut().skip(next) {
        *r = last;
    }
    result
}

/// `getblockstats hash_or_height ( stats )`: Core's per-block statistics, every one of
/// them or those asked for; fees come from the block's undo data.
fn getblockstats(ctx: &NodeContext, req: &Request) -> RpcResult {
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let store = store.as_ref().ok_or_else(no_store)?;
    let active = chain(ctx);
    let index = hash_or_height(store, &active, req.param(0))?;
    drop(active);

    let mut selected = BTreeSet::new();
    if let Value::Array(items) = req.param(1) {
        for s in items {
            selected.insert(
                s.as_str()
                    .ok_or_else(|| type_error(s, "string"))?
                    .to_owned(),
            );
        }
    }

    let block = read_block_checked(store, &index.hash)?;
    let undo = if index.height == 0 {
        Vec::new()
    } else {
        store.block_undo(&index.hash).map_err(|e| {
            let message = if e.to_string().ends_with("has no undo data") {
                "Undo data not available"
            } else {
                "Can't read undo data from disk"
            };
            RpcError::new(code::MISC_ERROR, message)
        })?
    };

    let (mut maxfee, mut maxfeerate) = (0i64, 0i64);
    let (mut minfee, mut minfeerate) = (MAX_MONEY, MAX_MONEY);
    let (mut total_out, mut totalfee, mut inputs, mut outputs) = (0i64, 0i64, 0i64, 0i64);
    let (mut maxtxsize, mut mintxsize) = (0i64, MAX_BLOCK_SERIALIZED_SIZE);
    let (mut swtotal_size, mut swtotal_weight, mut swtxs) = (0i64, 0i64, 0i64);
    let (mut total_size, mut total_weight) = (0i64, 0i64);
    let (mut utxos, mut utxo_size_inc, mut utxo_size_inc_actual) = (0i64, 0i64, 0i64);
    let mut fees = Vec::new();
    let mut feerates = Vec::new();
    let mut sizes = Vec::new();

    for (i, tx) in block.txdata.iter().enumerate() {
        outputs += tx.output.len() as i64;
        let mut tx_total_out = 0i64;
        for out in &tx.output {
            tx_total_out += out.value.to_sat() as i64;
            let size = txout_size(out) + PER_UTXO_OVERHEAD;
            utxo_size_inc += size;
            // The genesis block's outputs are not in the UTXO set (Core's BIP30
            // repeats are blocks of Bitcoin's chain, not Umkoin's).
            if index.height == 0 || super::txjson::is_unspendable(out.script_pubkey.as_bytes()) {
                continue;
            }
            utxos += 1;
            utxo_size_inc_actual += size;
        }
        if i == 0 {
            continue;
        }
        inputs += tx.input.len() as i64;
        total_out += tx_total_out;

        let tx_size = tx.total_size() as i64;
        sizes.push(tx_size);
        maxtxsize = maxtxsize.max(tx_size);
        mintxsize = mintxsize.min(tx_size);
        total_size += tx_size;

        let weight = tx.weight().to_wu() as i64;
        total_weight += weight;

        if tx.input.iter().any(|txin| !txin.witness.is_empty()) {
            swtxs += 1;
            swtotal_size += tx_size;
            swtotal_weight += weight;
        }

        let spent = undo
            .get(i - 1)
            .ok_or_else(|| RpcError::new(code::MISC_ERROR, "Can't read undo data from disk"))?;
        let mut tx_total_in = 0i64;
        for coin in spent {
            tx_total_in += coin.output.value.to_sat() as i64;
            let size = txout_size(&coin.output) + PER_UTXO_OVERHEAD;
            utxo_size_inc -= size;
            utxo_size_inc_actual -= size;
        }
        let txfee = tx_total_in - tx_total_out;
        fees.push(txfee);
        maxfee = maxfee.max(txfee);
        minfee = minfee.min(txfee);
        totalfee += txfee;
        // Satoshis per virtual byte.
        let feerate = if weight != 0 { txfee * 4 / weight } else { 0 };
        feerates.push((feerate, weight));
        maxfeerate = maxfeerate.max(feerate);
        minfeerate = minfeerate.min(feerate);
    }

    let n_tx = block.txdata.len() as i64;
    let subsidy = crate::mining::block_subsidy(index.height, &ctx.params).to_sat();
    let values: [Value; 31] = [
        json!(if n_tx > 1 { totalfee / (n_tx - 1) } else { 0 }),
        json!(if total_weight != 0 {
            totalfee * 4 / total_weight
        } else {
            0
        }),
        json!(if n_tx > 1 { total_size / (n_tx - 1) } else { 0 }),
        json!(index.hash.to_string()),
        json!(percentiles_by_weight(feerates, total_weight)),
        json!(index.height),
        json!(inputs),
        json!(maxfee),
        json!(maxfeerate),
        json!(maxtxsize),
        json!(truncated_median(fees)),
        json!(index.median_time_past),
        json!(truncated_median(sizes)),
        json!(if minfee == MAX_MONEY { 0 } else { minfee }),
        json!(if minfeerate == MAX_MONEY {
            0
        } else {
            minfeerate
        }),
        json!(if mintxsize == MAX_BLOCK_SERIALIZED_SIZE {
            0
        } else {
            mintxsize
        }),
        json!(outputs),
        json!(subsidy),
        json!(swtotal_size),
        json!(swtotal_weight),
        json!(swtxs),
        json!(index.header.time),
        json!(total_out),
        json!(total_size),
        json!(total_weight),
        json!(totalfee),
        json!(n_tx),
        json!(outputs - inputs),
        json!(utxo_size_inc),
        json!(utxos - inputs),
        json!(utxo_size_inc_actual),
    ];
    let all: Map<String, Value> = STAT_NAMES
        .iter()
        .map(|n| (*n).to_owned())
        .zip(values)
        .collect();
    if selected.is_empty() {
        return Ok(Value::Object(all));
    }
    let mut ret = Map::new();
    for stat in selected {
        let Some(v) = all.get(&stat) else {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                format!("Invalid selected statistic '{stat}'"),
            ));
        };
        ret.insert(stat, v.clone());
    }
    Ok(Value::Object(ret))
}

// ---------------------------------------------------------------------------------------
// gettxoutproof, verifytxoutproof: Core's CMerkleBlock
// ---------------------------------------------------------------------------------------

/// `MAX_BLOCK_WEIGHT / MIN_TRANSACTION_WEIGHT`: the most transactions a block can hold.
const MAX_PROOF_TRANSACTIONS: u32 = 4_000_000 / (4 * 60);

/// Core's `MAX_SIZE`: the largest size `ReadCompactSize` accepts.
const MAX_SIZE: u64 = 0x0200_0000;

/// Core's `CPartialMerkleTree`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct PartialMerkleTree {
    /// The transactions of the block.
    n_transactions: u32,
    /// The node bits, depth first.
    bits: Vec<bool>,
    /// The hashes, depth first.
    hashes: Vec<[u8; 32]>,
}

/// `Hash(left, right)`: the double SHA-256 of both.
fn hash_pair(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut data = [0u8; 64];
    data[..32].copy_from_slice(left);
    data[32..].copy_from_slice(right);
    sha256d::Hash::hash(&data).to_byte_array()
}

impl PartialMerkleTree {
    /// `CalcTreeWidth`.
    fn width(&self, height: u32) -> u64 {
        (u64::from(self.n_transactions) + (1u64 << height) - 1) >> height
    }

    /// The tree's height.
    fn height(&self) -> u32 {
        let mut height = 0;
        while self.width(height) > 1 {
            height += 1;
        }
        height
    }

    /// Core's constructor from the block's txids and which of them to match.
    fn build(txids: &[[u8; 32]], matches: &[bool]) -> Self {
        let mut tree = PartialMerkleTree {
            n_transactions: txids.len() as u32,
            ..Self::default()
        };
        let height = tree.height();
        tree.traverse_and_build(height, 0, txids, matches);
        tree
    }

    /// `CalcHash`.
    fn calc_hash(&self, height: u32, pos: u64, txids: &[[u8; 32]]) -> [u8; 32] {
        if height == 0 {
            return txids[pos as usize];
        }
        let left = self.calc_hash(height - 1, pos * 2, txids);
        let right = if pos * 2 + 1 < self.width(height - 1) {
            self.calc_hash(height - 1, pos * 2 + 1, txids)
        } else {
            left
        };
        hash_pair(&left, &right)
    }

    /// `TraverseAndBuild`.
    fn traverse_and_build(&mut self, height: u32, pos: u64, txids: &[[u8; 32]], matches: &[bool]) {
        let first = pos << height;
        let end = ((pos + 1) << height).min(u64::from(self.n_transactions));
        let parent_of_match = (first..end).any(|p| matches[p as usize]);
        self.bits.push(parent_of_match);
        if height == 0 || !parent_of_match {
            let hash = self.calc_hash(height, pos, txids);
            self.hashes.push(hash);
        } else {
            self.traverse_and_build(height - 1, pos * 2, txids, matches);
            if pos * 2 + 1 < self.width(height - 1) {
                self.traverse_and_build(height - 1, pos * 2 + 1, txids, matches);
            }
        }
    }

    /// `TraverseAndExtract`; `None` is Core's `fBad`.
    fn traverse_and_extract(
        &self,
        height: u32,
        pos: u64,
        bits_used: &mut usize,
        hashes_used: &mut usize,
        matched: &mut Vec<[u8; 32]>,
    ) -> Option<[u8; 32]> {
        let parent_of_match = *self.bits.get(*bits_used)?;
        *bits_used += 1;
        if height == 0 || !parent_of_match {
            let hash = *self.hashes.get(*hashes_used)?;
            *hashes_used += 1;
            if height == 0 && parent_of_match {
                matched.push(hash);
            }
            return Some(hash);
        }
        let left =
            self.traverse_and_extract(height - 1, pos * 2, bits_used, hashes_used, matched)?;
        let right = if pos * 2 + 1 < self.width(height - 1) {
            let right = self.traverse_and_extract(
                height - 1,
                pos * 2 + 1,
                bits_used,
                hashes_used,
                matched,
            )?;
            // CVE-2012-2459: two equal children.
            if right == left {
                return None;
            }
            right
        } else {
            left
        };
        Some(hash_pair(&left, &right))
    }

    /// Core's `ExtractMatches`: the merkle root and the matched txids, or `None` where
    /// Core answers the null hash.
    fn extract_matches(&self) -> Option<([u8; 32], Vec<[u8; 32]>)> {
        if self.n_transactions == 0
            || self.n_transactions > MAX_PROOF_TRANSACTIONS
            || self.hashes.len() > self.n_transactions as usize
            || self.bits.len() < self.hashes.len()
        {
            return None;
        }
        let height = self.height();
        let (mut bits_used, mut hashes_used) = (0, 0);
        let mut matched = Vec::new();
        let root =
            self.traverse_and_extract(height, 0, &mut bits_used, &mut hashes_used, &mut matched)?;
        if bits_used.div_ceil(8) != self.bits.len().div_ceil(8) || hashes_used != self.hashes.len()
        {
            return None;
        }
        Some((root, matched))
    }

    /// The serialization: the count, the hashes, the bits as bytes.
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.n_transactions.to_le_bytes());
        write_compact_size(out, self.hashes.len() as u64);
        for h in &self.hashes {
            out.extend_from_slice(h);
        }
        let mut bytes = vec![0u8; self.bits.len().div_ceil(8)];
        for (p, bit) in self.bits.iter().enumerate() {
            bytes[p / 8] |= u8::from(*bit) << (p % 8);
        }
        write_compact_size(out, bytes.len() as u64);
        out.extend_from_slice(&bytes);
    }
}

fn write_compact_size(out: &mut Vec<u8>, n: u64) {
    match n {
        0..=252 => out.push(n as u8),
        253..=0xffff => {
            out.push(253);
            out.extend_from_slice(&(n as u16).to_le_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(254);
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        _ => {
            out.push(255);
            out.extend_from_slice(&n.to_le_bytes());
        }
    }
}

/// Core's `SpanReader`: reads with Core's exception texts.
struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn read(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.data.len() {
            return Err("SpanReader::read(): end of data".to_owned());
        }
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        Ok(head)
    }

    fn read_array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.read(N)?);
        Ok(a)
    }

    /// `ReadCompactSize` with its range check.
    fn compact_size(&mut self) -> Result<u64, String> {
        let non_canonical = || "non-canonical ReadCompactSize()".to_owned();
        let n = match self.read_array::<1>()?[0] {
            253 => {
                let n = u64::from(u16::from_le_bytes(self.read_array()?));
                if n < 253 {
                    return Err(non_canonical());
                }
                n
            }
            254 => {
                let n = u64::from(u32::from_le_bytes(self.read_array()?));
                if n < 0x1_0000 {
                    return Err(non_canonical());
                }
                n
            }
            255 => {
                let n = u64::from_le_bytes(self.read_array()?);
                if n < 0x1_0000_0000 {
                    return Err(non_canonical());
                }
                n
            }
            small => u64::from(small),
        };
        if n > MAX_SIZE {
            return Err("ReadCompactSize(): size too large".to_owned());
        }
        Ok(n)
    }
}

/// Reads a `CMerkleBlock` as Core does (bytes after it are ignored); the error is the
/// text of Core's `std::ios_base::failure`.
fn read_merkle_block(bytes: &[u8]) -> Result<(Header, PartialMerkleTree), String> {
    let mut r = Reader { data: bytes };
    let header: Header = deserialize(r.read(80)?).map_err(|e| e.to_string())?;
    let n_transactions = u32::from_le_bytes(r.read_array()?);
    let n_hashes = r.compact_size()?;
    let mut hashes = Vec::new();
    for _ in 0..n_hashes {
        hashes.push(r.read_array::<32>()?);
    }
    let n_bytes = r.compact_size()?;
    let bytes = r.read(usize::try_from(n_bytes).map_err(|e| e.to_string())?)?;
    let bits = (0..bytes.len() * 8)
        .map(|p| bytes[p / 8] & (1 << (p % 8)) != 0)
        .collect();
    Ok((
        header,
        PartialMerkleTree {
            n_transactions,
            bits,
            hashes,
        },
    ))
}

/// `gettxoutproof ["txid",...] ( "blockhash" )`: Core's `CMerkleBlock` of the block
/// holding the transactions, hex. Without a block hash (and with no transaction index)
/// the block is found through an unspent output of one of them, as Core finds it.
fn gettxoutproof(ctx: &NodeContext, req: &Request) -> RpcResult {
    let txids = req.param(0).as_array().cloned().unwrap_or_default();
    if txids.is_empty() {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Parameter 'txids' cannot be empty",
        ));
    }
    // Core's std::set<Txid>: ordered by the hash's bytes.
    let mut wanted: BTreeSet<[u8; 32]> = BTreeSet::new();
    for v in &txids {
        let txid = hash_arg(v, "txid")?.to_byte_array();
        if !wanted.insert(txid) {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                format!(
                    "Invalid parameter, duplicated txid: {}",
                    v.as_str().unwrap_or_default()
                ),
            ));
        }
    }

    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let store = store.as_ref().ok_or_else(no_store)?;
    let active = chain(ctx);
    let hash = if req.param(1).is_null() {
        // Core's `AccessByTxid` on the coins view for each txid in turn: the first
        // unspent output of the transaction names its block.
        let coins = store
            .all_coins()
            .map_err(|e| RpcError::new(code::INTERNAL_ERROR, e.to_string()))?;
        let mut first: BTreeMap<[u8; 32], (u32, u32)> = BTreeMap::new();
        for (outpoint, coin) in &coins {
            let key = outpoint.txid.to_byte_array();
            if wanted.contains(&key) {
                let e = first.entry(key).or_insert((outpoint.vout, coin.height));
                if outpoint.vout < e.0 {
                    *e = (outpoint.vout, coin.height);
                }
            }
        }
        let found = wanted
            .iter()
            .find_map(|t| first.get(t))
            .and_then(|(_, height)| active.at(i64::from(*height)));
        match found {
            Some(b) => b.hash,
            // Without -txindex Core's `GetTransaction` finds nothing.
            None => {
                return Err(RpcError::new(
                    code::INVALID_ADDRESS_OR_KEY,
                    "Transaction not yet in block",
                ));
            }
        }
    } else {
        let hash = hash_arg(req.param(1), "blockhash")?;
        if store.lookup(&hash).is_none() {
            return Err(RpcError::new(
                code::INVALID_ADDRESS_OR_KEY,
                "Block not found",
            ));
        }
        hash
    };
    drop(active);

    let block = read_block_checked(store, &hash).map_err(|e| match e.message.as_str() {
        "Block not found on disk" => {
            RpcError::new(code::INTERNAL_ERROR, "Can't read block from disk")
        }
        _ => e,
    })?;
    let ids: Vec<[u8; 32]> = block
        .txdata
        .iter()
        .map(|tx| tx.compute_txid().to_byte_array())
        .collect();
    let matches: Vec<bool> = ids.iter().map(|t| wanted.contains(t)).collect();
    if matches.iter().filter(|m| **m).count() != wanted.len() {
        return Err(RpcError::new(
            code::INVALID_ADDRESS_OR_KEY,
            "Not all transactions found in specified or retrieved block",
        ));
    }
    let mut out = serialize(&block.header);
    PartialMerkleTree::build(&ids, &matches).write(&mut out);
    Ok(json!(out.to_lower_hex_string()))
}

/// `verifytxoutproof "proof"`: the txids a proof commits to, when its block is in the
/// active chain; an empty array when the proof does not hold.
fn verifytxoutproof(ctx: &NodeContext, req: &Request) -> RpcResult {
    let text = req.param(0).as_str().unwrap_or_default();
    if !is_hex(text) {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!("proof must be hexadecimal string (not '{text}')"),
        ));
    }
    let bytes = Vec::<u8>::from_hex(text)
        .map_err(|_| RpcError::new(code::INVALID_PARAMETER, "proof must be hexadecimal"))?;
    let (header, tree) = read_merkle_block(&bytes)
        .map_err(|e| RpcError::new(code::MISC_ERROR, format!("{e}: iostream error")))?;
    let Some((root, matched)) = tree.extract_matches() else {
        return Ok(json!([]));
    };
    if root != header.merkle_root.to_byte_array() {
        return Ok(json!([]));
    }
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let store = store.as_ref().ok_or_else(no_store)?;
    let active = chain(ctx);
    let hash = header.block_hash();
    let index = store
        .lookup(&hash)
        .filter(|k| active.contains(&hash, k.height))
        .and_then(|k| active.at(i64::from(k.height)))
        .filter(|b| b.n_tx > 0)
        .ok_or_else(|| RpcError::new(code::INVALID_ADDRESS_OR_KEY, "Block not found in chain"))?;
    if index.n_tx != u64::from(tree.n_transactions) {
        return Ok(json!([]));
    }
    Ok(Value::Array(
        matched
            .into_iter()
            .map(|t| json!(Txid::from_byte_array(t).to_string()))
            .collect(),
    ))
}

// ---------------------------------------------------------------------------------------
// getdeploymentinfo
// ---------------------------------------------------------------------------------------

/// Core's script verify flags, by name, as `ScriptFlagNamesToEnum` sorts them.
const SCRIPT_FLAGS: [(&str, u32); 7] = [
    (
        "CHECKLOCKTIMEVERIFY",
        umkoin_consensus::VERIFY_CHECKLOCKTIMEVERIFY,
    ),
    (
        "CHECKSEQUENCEVERIFY",
        umkoin_consensus::VERIFY_CHECKSEQUENCEVERIFY,
    ),
    ("DERSIG", umkoin_consensus::VERIFY_DERSIG),
    ("NULLDUMMY", umkoin_consensus::VERIFY_NULLDUMMY),
    ("P2SH", umkoin_consensus::VERIFY_P2SH),
    ("TAPROOT", umkoin_consensus::VERIFY_TAPROOT),
    ("WITNESS", umkoin_consensus::VERIFY_WITNESS),
];

/// Core's `GetBlockScriptFlags` as `GetScriptFlagNames` lists them.
fn script_flag_names(
    params: &crate::chainparams::ChainParams,
    b: &BlockIndex,
) -> Vec<&'static str> {
    let flags = params.block_script_flags(&b.hash, b.height);
    SCRIPT_FLAGS
        .iter()
        .filter(|(_, f)| flags & f != 0)
        .map(|(n, _)| *n)
        .collect()
}

/// `ThresholdState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ThresholdState {
    Defined,
    Started,
    LockedIn,
    Active,
    Failed,
}

impl ThresholdState {
    /// Core's `StateName`.
    fn name(self) -> &'static str {
        match self {
            ThresholdState::Defined => "defined",
            ThresholdState::Started => "started",
            ThresholdState::LockedIn => "locked_in",
            ThresholdState::Active => "active",
            ThresholdState::Failed => "failed",
        }
    }
}

/// `BIP9Deployment::ALWAYS_ACTIVE`.
const ALWAYS_ACTIVE: i64 = -1;
/// `BIP9Deployment::NEVER_ACTIVE`.
const NEVER_ACTIVE: i64 = -2;

/// One BIP9 deployment (`Consensus::BIP9Deployment` with its name).
#[derive(Clone, Copy, Debug)]
struct Bip9 {
    name: &'static str,
    bit: u8,
    start_time: i64,
    timeout: i64,
    min_activation_height: i64,
    threshold: u32,
    period: u32,
    deployment: crate::mining::Deployment,
}

/// `params`' BIP9 deployments, in `DeploymentPos` order, with `-vbparams` applied.
fn bip9_deployments(params: &crate::chainparams::ChainParams) -> Vec<Bip9> {
    crate::mining::deployments(params)
        .into_iter()
        .map(|(name, d)| Bip9 {
            name,
            bit: d.bit,
            start_time: d.start_time,
            timeout: d.timeout,
            min_activation_height: d.min_activation_height,
            threshold: d.threshold,
            period: d.period,
            deployment: d,
        })
        .collect()
}

/// `VersionBitsConditionChecker::Condition`: whether `version` signals `bit`.
fn signals(version: i32, bit: u8) -> bool {
    const TOP_BITS: i32 = 0x2000_0000;
    const TOP_MASK: i32 = 0xE000_0000_u32 as i32;
    (version & TOP_MASK) == TOP_BITS && (version & (1_i32 << bit)) != 0
}

/// Core's `GetStateFor` for the block after `path`'s block at height `prev` (`None`: the
/// genesis block's parent), by block assembly's state machine.
fn state_for(path: &Chain, prev: Option<u32>, d: &Bip9) -> Option<ThresholdState> {
    use crate::mining::ThresholdState as S;
    Some(
        match crate::mining::threshold_state_after(path, prev, &d.deployment) {
            S::Defined => ThresholdState::Defined,
            S::Started => ThresholdState::Started,
            S::LockedIn => ThresholdState::LockedIn,
            S::Active => ThresholdState::Active,
            S::Failed => ThresholdState::Failed,
        },
    )
}

/// Core's `GetStateSinceHeightFor` for the block after `prev`.
fn since_height(path: &Chain, prev: Option<u32>, d: &Bip9) -> Option<u32> {
    if d.start_time == ALWAYS_ACTIVE || d.start_time == NEVER_ACTIVE {
        return Some(0);
    }
    let initial = state_for(path, prev, d)?;
    let Some(prev) = prev.filter(|_| initial != ThresholdState::Defined) else {
        return Some(0);
    };
    let period = d.period;
    let mut at = prev - ((prev + 1) % period);
    while let Some(earlier) = at.checked_sub(period) {
        if state_for(path, Some(earlier), d)? != initial {
            break;
        }
        at = earlier;
    }
    Some(at + 1)
}

/// Core's `SoftForkDescPushBack` for a BIP9 deployment at `path`'s tip; `None` where
/// the stand-in state machine cannot tell.
fn bip9_json(path: &Chain, d: &Bip9) -> Option<Value> {
    let tip = path.tip();
    let prev = tip.height.checked_sub(1);
    let current = state_for(path, prev, d)?;
    let next = state_for(path, Some(tip.height), d)?;
    let since = since_height(path, prev, d)?;
    let has_signal = matches!(current, ThresholdState::Started | ThresholdState::LockedIn);

    let mut bip9 = Map::new();
    if has_signal {
        bip9.insert("bit".into(), json!(d.bit));
    }
    bip9.insert("start_time".into(), json!(d.start_time));
    bip9.insert("timeout".into(), json!(d.timeout));
    bip9.insert(
        "min_activation_height".into(),
        json!(d.min_activation_height),
    );
    bip9.insert("status".into(), json!(current.name()));
    bip9.insert("since".into(), json!(since));
    bip9.insert("status_next".into(), json!(next.name()));
    if has_signal {
        // Core's `GetStateStatisticsFor`: the blocks of the current period so far.
        let period = i64::from(d.period);
        let h = i64::from(tip.height);
        let in_period = 1 + h % period;
        let signalling: String = (h - in_period + 1..=h)
            .filter_map(|x| path.at(x))
            .map(|b| {
                if signals(b.header.version.to_consensus(), d.bit) {
                    '#'
                } else {
                    '-'
                }
            })
            .collect();
        let count = signalling.chars().filter(|c| *c == '#').count() as i64;
        let (threshold, possible) = if current == ThresholdState::LockedIn {
            (0, false)
        } else {
            let t = i64::from(d.threshold);
            (t, period - t >= in_period - count)
        };
        let mut stats = Map::new();
        stats.insert("period".into(), json!(period));
        stats.insert("elapsed".into(), json!(in_period));
        stats.insert("count".into(), json!(count));
        if threshold > 0 || possible {
            stats.insert("threshold".into(), json!(threshold));
            stats.insert("possible".into(), json!(possible));
        }
        bip9.insert("statistics".into(), Value::Object(stats));
        bip9.insert("signalling".into(), json!(signalling));
    }

    let active_since = match (current, next) {
        (ThresholdState::Active, _) => Some(i64::from(since)),
        (_, ThresholdState::Active) => Some(i64::from(tip.height) + 1),
        _ => None,
    };
    let mut rv = Map::new();
    rv.insert("type".into(), json!("bip9"));
    let mut active = false;
    if let Some(h) = active_since {
        rv.insert("height".into(), json!(h));
        active = h <= i64::from(tip.height) + 1;
    }
    rv.insert("active".into(), json!(active));
    rv.insert("bip9".into(), Value::Object(bip9));
    Some(Value::Object(rv))
}

/// `getdeploymentinfo ( "blockhash" )`: the buried and BIP9 deployments as they stand
/// at a block (the tip by default), with the block's script verify flags.
fn getdeploymentinfo(ctx: &NodeContext, req: &Request) -> RpcResult {
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let store = store.as_ref().ok_or_else(no_store)?;
    let active = chain(ctx);
    let path = if req.param(0).is_null() {
        active.clone()
    } else {
        let hash = hash_arg(req.param(0), "blockhash")?;
        chain_to(store, &active, &hash)
            .ok_or_else(|| RpcError::new(code::INVALID_ADDRESS_OR_KEY, "Block not found"))?
    };
    drop(active);
    let tip = path.tip();
    let params = &ctx.params;

    let mut deployments = Map::new();
    let buried = params.buried;
    for (name, height) in [
        ("bip34", buried.bip34),
        ("bip66", buried.bip66),
        ("bip65", buried.bip65),
        ("csv", buried.csv),
        ("segwit", buried.segwit),
    ] {
        deployments.insert(
            name.into(),
            json!({
                "type": "buried",
                "active": i64::from(tip.height) + 1 >= i64::from(height),
                "height": height,
            }),
        );
    }
    for d in bip9_deployments(params) {
        if d.start_time == NEVER_ACTIVE {
            continue;
        }
        if let Some(v) = bip9_json(&path, &d) {
            deployments.insert(d.name.into(), v);
        }
    }
    Ok(json!({
        "hash": tip.hash.to_string(),
        "height": tip.height,
        "script_flags": script_flag_names(params, tip),
        "deployments": deployments,
    }))
}

// ---------------------------------------------------------------------------------------
// getindexinfo
// ---------------------------------------------------------------------------------------

/// `getindexinfo ( "index_name" )`: the node runs no index yet (no `-txindex`,
/// `-coinstatsindex`, `-blockfilterindex`), so Core's answer is empty, whatever the
/// name.
fn getindexinfo(ctx: &NodeContext, req: &Request) -> RpcResult {
    let name = req.param(0).as_str().unwrap_or_default();
    let mut result = Map::new();
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    // The transaction index is kept in step with the chain: synced at the tip.
    if store.as_ref().is_some_and(|s| s.has_txindex()) && (name.is_empty() || name == "txindex") {
        result.insert(
            "txindex".into(),
            json!({"synced": true, "best_block_height": chain(ctx).height()}),
        );
    }
    Ok(Value::Object(result))
}

// ---------------------------------------------------------------------------------------
// scantxoutset
// ---------------------------------------------------------------------------------------

/// Core's `g_scan_in_progress`.
static SCAN_IN_PROGRESS: AtomicBool = AtomicBool::new(false);
/// Core's `g_scan_progress`, in percent.
static SCAN_PROGRESS: AtomicI32 = AtomicI32::new(0);
/// Core's `g_should_abort_scan`.
static SHOULD_ABORT_SCAN: AtomicBool = AtomicBool::new(false);

/// Core's `CoinsViewScanReserver`: at most one scan at a time.
struct ScanReserver {
    reserved: bool,
}

impl ScanReserver {
    fn reserve() -> Self {
        let reserved = !SCAN_IN_PROGRESS.swap(true, Ordering::SeqCst);
        ScanReserver { reserved }
    }
}

impl Drop for ScanReserver {
    fn drop(&mut self) {
        if self.reserved {
            SCAN_IN_PROGRESS.store(false, Ordering::SeqCst);
            SCAN_PROGRESS.store(0, Ordering::SeqCst);
        }
    }
}

/// Core's `ParseDescriptorRange` (`ParseRange` and its limits).
fn parse_descriptor_range(v: &Value) -> Result<(i64, i64), RpcError> {
    let invalid = |why: &str| RpcError::new(code::INVALID_PARAMETER, why);
    let (low, high) = match v {
        Value::Number(_) => (0, get_int64(v)?),
        Value::Array(a) if a.len() == 2 && a[0].is_number() && a[1].is_number() => {
            let (low, high) = (get_int64(&a[0])?, get_int64(&a[1])?);
            if low > high {
                return Err(invalid(
                    "Range specified as [begin,end] must not have begin after end",
                ));
            }
            (low, high)
        }
        _ => return Err(invalid("Range must be specified as end or as [begin,end]")),
    };
    if low < 0 {
        return Err(invalid("Range should be greater or equal than 0"));
    }
    if (high >> 31) != 0 {
        return Err(invalid("End of range is too high"));
    }
    if high >= low + 1_000_000 {
        return Err(invalid("Range is too large"));
    }
    Ok((low, high))
}

/// Runs another command of the table (the stand-in below uses `util`'s descriptor
/// commands through it).
fn call_command(ctx: &NodeContext, req: &Request, method: &str, params: Value) -> RpcResult {
    let cmd = ctx
        .rpc
        .get(method)
        .ok_or_else(|| RpcError::new(code::INTERNAL_ERROR, format!("{method} is not available")))?;
    let sub = Request {
        method: method.to_owned(),
        params,
        ..req.clone()
    };
    (cmd.handler)(ctx, &sub)
}

/// For a scan object that is one key given as hex in `pkh()`, `wpkh()` or
/// `sh(wpkh())` (no range), the descriptor Core's `InferDescriptor` writes for its
/// script knowing the key: the key with its own fingerprint as origin, e.g.
/// `wpkh([751e76e8]02…)#checksum`.
fn single_key_descriptor(object: &Value) -> Option<String> {
    let text = match object {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("desc")?.as_str()?,
        _ => return None,
    };
    let payload = text.split('#').next()?;
    let (open, close) = ["sh(wpkh(", "wpkh(", "pkh("].iter().find_map(|f| {
        payload
            .strip_prefix(f)
            .map(|_| (*f, ")".repeat(f.matches('(').count())))
    })?;
    let key = payload.strip_prefix(open)?.strip_suffix(close.as_str())?;
    let bytes = Vec::<u8>::from_hex(key).ok()?;
    let key = bitcoin::PublicKey::from_slice(&bytes).ok()?;
    if !key.compressed && open != "pkh(" {
        return None;
    }
    let fingerprint = bitcoin::hashes::hash160::Hash::hash(&bytes);
    let origin = fingerprint.as_byte_array()[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let desc = format!("{open}[{origin}]{}{close}", key_hex(&bytes));
    let checksum = super::txjson::descriptor_checksum(&desc)?;
    Some(format!("{desc}#{checksum}"))
}

fn key_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Core's `EvalDescriptorStringOrObject(scanobject, provider)` and, for each script,
/// `InferDescriptor(script, provider)->ToString()`.
///
/// STAND-IN until `util` exposes its descriptor expansion: the descriptor is parsed
/// by `getdescriptorinfo` and expanded by `deriveaddresses` (so with Core's parse
/// errors and ranges), `raw()` is read here; scripts without an address (`pk()`, bare
/// `multi()`, `combo()`'s P2PK) are not found, and each script's descriptor is the one
/// inferred without keys (`addr(...)` where Core, knowing the keys, writes
/// `wpkh([origin]key)` and the like).
fn eval_scan_object(
    ctx: &NodeContext,
    req: &Request,
    scanobject: &Value,
) -> Result<Vec<ScriptBuf>, RpcError> {
    let (text, mut range) = match scanobject {
        Value::String(s) => (s.as_str(), (0, 1000)),
        Value::Object(o) => {
            let desc = o.get("desc").filter(|v| !v.is_null()).ok_or_else(|| {
                RpcError::new(
                    code::INVALID_PARAMETER,
                    "Descriptor needs to be provided in scan object",
                )
            })?;
            let desc = desc.as_str().ok_or_else(|| type_error(desc, "string"))?;
            let range = match o.get("range") {
                None | Some(Value::Null) => (0, 1000),
                Some(r) => parse_descriptor_range(r)?,
            };
            (desc, range)
        }
        _ => {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                "Scan object needs to be either a string or an object",
            ));
        }
    };
    let info = call_command(ctx, req, "getdescriptorinfo", json!([text]))?;
    let is_range = info["isrange"].as_bool().unwrap_or(false);
    if !is_range {
        range = (0, 0);
    }
    let payload = text.split('#').next().unwrap_or_default();
    if let Some(hex) = payload
        .strip_prefix("raw(")
        .and_then(|s| s.strip_suffix(')'))
    {
        let bytes = Vec::<u8>::from_hex(hex)
            .map_err(|_| RpcError::new(code::INVALID_ADDRESS_OR_KEY, "Raw script is not hex"))?;
        return Ok(vec![ScriptBuf::from_bytes(bytes)]);
    }
    // `deriveaddresses` wants the checksum, which a scan object may leave out.
    let with_checksum = if text.contains('#') {
        text.to_owned()
    } else {
        let checksum = info["checksum"].as_str().unwrap_or_default();
        format!("{text}#{checksum}")
    };
    let params = if is_range {
        json!([with_checksum, [range.0, range.1]])
    } else {
        json!([with_checksum])
    };
    let addresses = call_command(ctx, req, "deriveaddresses", params).map_err(|e| {
        if e.message == "Cannot derive script without private keys" {
            RpcError::new(
                code::INVALID_ADDRESS_OR_KEY,
                format!("Cannot derive script without private keys: '{text}'"),
            )
        } else {
            e
        }
    })?;
    let mut flat = Vec::new();
    let mut stack = vec![addresses];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.into_iter().rev()),
            Value::String(s) => flat.push(s),
            _ => {}
        }
    }
    flat.iter()
        .map(|a| {
            a.parse::<Address<bitcoin::address::NetworkUnchecked>>()
                .map(|a| a.assume_checked().script_pubkey())
                .map_err(|_| {
                    RpcError::new(code::INTERNAL_ERROR, "deriveaddresses gave a bad address")
                })
        })
        .collect()
}

/// `scantxoutset "action" ( [scanobjects,...] )`: the unspent outputs matching
/// descriptors (`start`), the progress of the scan running (`status`), or its end
/// (`abort`).
fn scantxoutset(ctx: &NodeContext, req: &Request) -> RpcResult {
    let action = req.param(0).as_str().unwrap_or_default();
    match action {
        "status" => {
            let reserver = ScanReserver::reserve();
            if reserver.reserved {
                return Ok(Value::Null);
            }
            Ok(json!({ "progress": SCAN_PROGRESS.load(Ordering::SeqCst) }))
        }
        "abort" => {
            let reserver = ScanReserver::reserve();
            if reserver.reserved {
                return Ok(json!(false));
            }
            SHOULD_ABORT_SCAN.store(true, Ordering::SeqCst);
            Ok(json!(true))
        }
        "start" => {
            let reserver = ScanReserver::reserve();
            if !reserver.reserved {
                return Err(RpcError::new(
                    code::INVALID_PARAMETER,
                    r#"Scan already in progress, use action "abort" or "status""#,
                ));
            }
            if req.params.as_array().map_or(0, Vec::len) < 2 {
                return Err(RpcError::new(
                    code::MISC_ERROR,
                    "scanobjects argument is required for the start action",
                ));
            }
            let objects = req
                .param(1)
                .as_array()
                .ok_or_else(|| type_error(req.param(1), "array"))?;
            let network = super::network(ctx.params.chain);
            // Each script with the descriptor inferred for it (the first one found).
            let mut needles: BTreeMap<ScriptBuf, String> = BTreeMap::new();
            for object in objects {
                let single_key = single_key_descriptor(object);
                for script in eval_scan_object(ctx, req, object)? {
                    needles
                        .entry(script)
                        .or_insert_with_key(|s| match &single_key {
                            Some(desc) => desc.clone(),
                            None => super::txjson::infer_descriptor(s, network),
                        });
                }
            }
            SHOULD_ABORT_SCAN.store(false, Ordering::SeqCst);
            let (mut coins, active) = {
                let store = ctx.store.lock().expect("the store lock is never poisoned");
                let store = store.as_ref().ok_or_else(no_store)?;
                let coins = store
                    .all_coins()
                    .map_err(|e| RpcError::new(code::INTERNAL_ERROR, e.to_string()))?;
                (coins, chain(ctx).clone())
            };
            // Core's cursor order: by the txid's bytes, then the output index.
            coins.sort_by_key(|(o, _)| (o.txid.to_byte_array(), o.vout));
            let mut count: i64 = 0;
            let mut success = true;
            let mut found: Vec<(OutPoint, crate::undo::SpentCoin)> = Vec::new();
            SCAN_PROGRESS.store(0, Ordering::SeqCst);
            for (outpoint, coin) in coins {
                count += 1;
                if count % 8192 == 0 {
                    if ctx.shutdown.is_requested() {
                        return Err(RpcError::new(code::CLIENT_NOT_CONNECTED, "Shutting down"));
                    }
                    if SHOULD_ABORT_SCAN.load(Ordering::SeqCst) {
                        success = false;
                        break;
                    }
                }
                if count % 256 == 0 {
                    let b = outpoint.txid.to_byte_array();
                    let high = 0x100 * u32::from(b[0]) + u32::from(b[1]);
                    SCAN_PROGRESS.store(
                        (f64::from(high) * 100.0 / 65536.0 + 0.5) as i32,
                        Ordering::SeqCst,
                    );
                }
                if needles.contains_key(&coin.output.script_pubkey) {
                    found.push((outpoint, coin));
                }
            }
            if success {
                SCAN_PROGRESS.store(100, Ordering::SeqCst);
            }
            let tip = active.tip();
            let mut total: i64 = 0;
            let unspents: Vec<Value> = found
                .iter()
                .map(|(outpoint, coin)| {
                    total += coin.output.value.to_sat() as i64;
                    let block = active
                        .at(i64::from(coin.height))
                        .map(|b| b.hash.to_string())
                        .unwrap_or_default();
                    json!({
                        "txid": outpoint.txid.to_string(),
                        "vout": outpoint.vout,
                        "scriptPubKey": coin.output.script_pubkey.as_bytes().to_lower_hex_string(),
                        "desc": needles.get(&coin.output.script_pubkey).cloned().unwrap_or_default(),
                        "amount": amount(coin.output.value.to_sat() as i64),
                        "coinbase": coin.coinbase,
                        "height": coin.height,
                        "blockhash": block,
                        "confirmations": i64::from(tip.height) - i64::from(coin.height) + 1,
                    })
                })
                .collect();
            Ok(json!({
                "success": success,
                "txouts": count,
                "height": tip.height,
                "bestblock": tip.hash.to_string(),
                "unspents": unspents,
                "total_amount": amount(total),
            }))
        }
        other => Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!("Invalid action '{other}'"),
        )),
    }
}

// ---------------------------------------------------------------------------------------
// Help texts: `umkoin-cli help <command>` of Umkoin Core v31.0, verbatim
// ---------------------------------------------------------------------------------------

/// `help getblockstats`.
const HELP_GETBLOCKSTATS: &str = r#"getblockstats hash_or_height ( stats )

Compute per block statistics for a given window. All amounts are in satoshis.
It won't work for some heights with pruning.

Arguments:
1. hash_or_height    (string or numeric, required) The block hash or height of the target block
2. stats             (json array, optional, default=all values) Values to plot (see result below)
     [
       "height",     (string) Selected statistic
       "time",       (string) Selected statistic
       ...
     ]

Result:
{                                (json object)
  "avgfee" : n,                  (numeric, optional) Average fee in the block
  "avgfeerate" : n,              (numeric, optional) Average feerate (in satoshis per virtual byte)
  "avgtxsize" : n,               (numeric, optional) Average transaction size
  "blockhash" : "hex",           (string, optional) The block hash (to check for potential reorgs)
  "feerate_percentiles" : [      (json array, optional) Feerates at the 10th, 25th, 50th, 75th, and 90th percentile weight unit (in satoshis per virtual byte)
    n,                           (numeric) The 10th percentile feerate
    n,                           (numeric) The 25th percentile feerate
    n,                           (numeric) The 50th percentile feerate
    n,                           (numeric) The 75th percentile feerate
    n                            (numeric) The 90th percentile feerate
  ],
  "height" : n,                  (numeric, optional) The height of the block
  "ins" : n,                     (numeric, optional) The number of inputs (excluding coinbase)
  "maxfee" : n,                  (numeric, optional) Maximum fee in the block
  "maxfeerate" : n,              (numeric, optional) Maximum feerate (in satoshis per virtual byte)
  "maxtxsize" : n,               (numeric, optional) Maximum transaction size
  "medianfee" : n,               (numeric, optional) Truncated median fee in the block
  "mediantime" : n,              (numeric, optional) The block median time past
  "mediantxsize" : n,            (numeric, optional) Truncated median transaction size
  "minfee" : n,                  (numeric, optional) Minimum fee in the block
  "minfeerate" : n,              (numeric, optional) Minimum feerate (in satoshis per virtual byte)
  "mintxsize" : n,               (numeric, optional) Minimum transaction size
  "outs" : n,                    (numeric, optional) The number of outputs
  "subsidy" : n,                 (numeric, optional) The block subsidy
  "swtotal_size" : n,            (numeric, optional) Total size of all segwit transactions
  "swtotal_weight" : n,          (numeric, optional) Total weight of all segwit transactions
  "swtxs" : n,                   (numeric, optional) The number of segwit transactions
  "time" : n,                    (numeric, optional) The block time
  "total_out" : n,               (numeric, optional) Total amount in all outputs (excluding coinbase and thus reward [ie subsidy + totalfee])
  "total_size" : n,              (numeric, optional) Total size of all non-coinbase transactions
  "total_weight" : n,            (numeric, optional) Total weight of all non-coinbase transactions
  "totalfee" : n,                (numeric, optional) The fee total
  "txs" : n,                     (numeric, optional) The number of transactions (including coinbase)
  "utxo_increase" : n,           (numeric, optional) The increase/decrease in the number of unspent outputs (not discounting op_return and similar)
  "utxo_size_inc" : n,           (numeric, optional) The increase/decrease in size for the utxo index (not discounting op_return and similar)
  "utxo_increase_actual" : n,    (numeric, optional) The increase/decrease in the number of unspent outputs, not counting unspendables
  "utxo_size_inc_actual" : n     (numeric, optional) The increase/decrease in size for the utxo index, not counting unspendables
}

Examples:
> umkoin-cli getblockstats '"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"' '["minfeerate","avgfeerate"]'
> umkoin-cli getblockstats 1000 '["minfeerate","avgfeerate"]'
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getblockstats", "params": ["00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09", ["minfeerate","avgfeerate"]]}' -H 'content-type: application/json' http://127.0.0.1:6332/
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getblockstats", "params": [1000, ["minfeerate","avgfeerate"]]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help gettxoutproof`.
const HELP_GETTXOUTPROOF: &str = r#"gettxoutproof ["txid",...] ( "blockhash" )

Returns a hex-encoded proof that "txid" was included in a block.

NOTE: By default this function only works sometimes. This is when there is an
unspent output in the utxo for this transaction. To make it always work,
you need to maintain a transaction index, using the -txindex command line option or
specify the block in which the transaction is included manually (by blockhash).

Arguments:
1. txids          (json array, required) The txids to filter
     [
       "txid",    (string) A transaction hash
       ...
     ]
2. blockhash      (string, optional) If specified, looks for txid in the block with this hash

Result:
"str"    (string) A string that is a serialized, hex-encoded data for the proof.
"#;

/// `help verifytxoutproof`.
const HELP_VERIFYTXOUTPROOF: &str = r#"verifytxoutproof "proof"

Verifies that a proof points to a transaction in a block, returning the transaction it commits to
and throwing an RPC error if the block is not in our best chain

Arguments:
1. proof    (string, required) The hex-encoded proof generated by gettxoutproof

Result:
[           (json array)
  "hex",    (string) The txid(s) which the proof commits to, or empty array if the proof cannot be validated.
  ...
]
"#;

/// `help getdeploymentinfo`.
const HELP_GETDEPLOYMENTINFO: &str = r#"getdeploymentinfo ( "blockhash" )

Returns an object containing various state info regarding deployments of consensus changes.

Arguments:
1. blockhash    (string, optional, default="hash of current chain tip") The block hash at which to query deployment state

Result:
{                                       (json object)
  "hash" : "str",                       (string) requested block hash (or tip)
  "height" : n,                         (numeric) requested block height (or tip)
  "script_flags" : [                    (json array) script verify flags for the block
    "str",                              (string) a script verify flag
    ...
  ],
  "deployments" : {                     (json object)
    "xxxx" : {                          (json object) name of the deployment
      "type" : "str",                   (string) one of "buried", "bip9"
      "height" : n,                     (numeric, optional) height of the first block which the rules are or will be enforced (only for "buried" type, or "bip9" type with "active" status)
      "active" : true|false,            (boolean) true if the rules are enforced for the mempool and the next block
      "bip9" : {                        (json object, optional) status of bip9 softforks (only for "bip9" type)
        "bit" : n,                      (numeric, optional) the bit (0-28) in the block version field used to signal this softfork (only for "started" and "locked_in" status)
        "start_time" : xxx,             (numeric) the minimum median time past of a block at which the bit gains its meaning
        "timeout" : xxx,                (numeric) the median time past of a block at which the deployment is considered failed if not yet locked in
        "min_activation_height" : n,    (numeric) minimum height of blocks for which the rules may be enforced
        "status" : "str",               (string) status of deployment at specified block (one of "defined", "started", "locked_in", "active", "failed")
        "since" : n,                    (numeric) height of the first block to which the status applies
        "status_next" : "str",          (string) status of deployment at the next block
        "statistics" : {                (json object, optional) numeric statistics about signalling for a softfork (only for "started" and "locked_in" status)
          "period" : n,                 (numeric) the length in blocks of the signalling period
          "threshold" : n,              (numeric, optional) the number of blocks with the version bit set required to activate the feature (only for "started" status)
          "elapsed" : n,                (numeric) the number of blocks elapsed since the beginning of the current period
          "count" : n,                  (numeric) the number of blocks with the version bit set in the current period
          "possible" : true|false       (boolean, optional) returns false if there are not enough blocks left in this period to pass activation threshold (only for "started" status)
        },
        "signalling" : "str"            (string, optional) indicates blocks that signalled with a # and blocks that did not with a -
      }
    },
    ...
  }
}

Examples:
> umkoin-cli getdeploymentinfo 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getdeploymentinfo", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help getindexinfo`.
const HELP_GETINDEXINFO: &str = r#"getindexinfo ( "index_name" )

Returns the status of one or all available indices currently running in the node.

Arguments:
1. index_name    (string, optional) Filter results for an index with a specific name.

Result:
{                               (json object)
  "name" : {                    (json object) The name of the index
    "synced" : true|false,      (boolean) Whether the index is synced or not
    "best_block_height" : n     (numeric) The block height to which the index is synced
  },
  ...
}

Examples:
> umkoin-cli getindexinfo 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getindexinfo", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
> umkoin-cli getindexinfo txindex
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getindexinfo", "params": [txindex]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

/// `help scantxoutset`.
const HELP_SCANTXOUTSET: &str = r#"scantxoutset "action" ( [scanobjects,...] )

Scans the unspent transaction output set for entries that match certain output descriptors.
Examples of output descriptors are:
    addr(<address>)                      Outputs whose output script corresponds to the specified address (does not include P2PK)
    raw(<hex script>)                    Outputs whose output script equals the specified hex-encoded bytes
    combo(<pubkey>)                      P2PK, P2PKH, P2WPKH, and P2SH-P2WPKH outputs for the given pubkey
    pkh(<pubkey>)                        P2PKH outputs for the given pubkey
    sh(multi(<n>,<pubkey>,<pubkey>,...)) P2SH-multisig outputs for the given threshold and pubkeys
    tr(<pubkey>)                         P2TR
    tr(<pubkey>,{pk(<pubkey>)})          P2TR with single fallback pubkey in tapscript
    rawtr(<pubkey>)                      P2TR with the specified key as output key rather than inner
    wsh(and_v(v:pk(<pubkey>),after(2)))  P2WSH miniscript with mandatory pubkey and a timelock

In the above, <pubkey> either refers to a fixed public key in hexadecimal notation, or to an xpub/xprv optionally followed by one
or more path elements separated by "/", and optionally ending in "/*" (unhardened), or "/*'" or "/*h" (hardened) to specify all
unhardened or hardened child keys.
In the latter case, a range needs to be specified by below if different from 1000.
For more information on output descriptors, see the documentation in the doc/descriptors.md file.

Arguments:
1. action                        (string, required) The action to execute
                                 "start" for starting a scan
                                 "abort" for aborting the current scan (returns true when abort was successful)
                                 "status" for progress report (in %) of the current scan
2. scanobjects                   (json array, optional) Array of scan objects. Required for "start" action
                                 Every scan object is either a string descriptor or an object:
     [
       "descriptor",             (string) An output descriptor
       {                         (json object) An object with output descriptor and metadata
         "desc": "str",          (string, required) An output descriptor
         "range": n or [n,n],    (numeric or array, optional, default=1000) The range of HD chain indexes to explore (either end or [begin,end])
       },
       ...
     ]

Result (when action=='start'; only returns after scan completes):
{                                 (json object)
  "success" : true|false,         (boolean) Whether the scan was completed
  "txouts" : n,                   (numeric) The number of unspent transaction outputs scanned
  "height" : n,                   (numeric) The block height at which the scan was done
  "bestblock" : "hex",            (string) The hash of the block at the tip of the chain
  "unspents" : [                  (json array)
    {                             (json object)
      "txid" : "hex",             (string) The transaction id
      "vout" : n,                 (numeric) The vout value
      "scriptPubKey" : "hex",     (string) The output script
      "desc" : "str",             (string) A specialized descriptor for the matched output script
      "amount" : n,               (numeric) The total amount in UMK of the unspent output
      "coinbase" : true|false,    (boolean) Whether this is a coinbase output
      "height" : n,               (numeric) Height of the unspent transaction output
      "blockhash" : "hex",        (string) Blockhash of the unspent transaction output
      "confirmations" : n         (numeric) Number of confirmations of the unspent transaction output when the scan was done
    },
    ...
  ],
  "total_amount" : n              (numeric) The total amount of all found unspent outputs in UMK
}

Result (when action=='abort'):
true|false    (boolean) True if scan will be aborted (not necessarily before this RPC returns), or false if there is no scan to abort

Result (when action=='status' and a scan is currently in progress):
{                    (json object)
  "progress" : n     (numeric) Approximate percent complete
}

Result (when action=='status' and no scan is in progress - possibly already completed):
null    (json null)

Examples:
> umkoin-cli scantxoutset start '["raw(76a91411b366edfc0a8b66feebae5c2e25a7b6a5d1cf3188ac)#fm24fxxy"]'
> umkoin-cli scantxoutset status
> umkoin-cli scantxoutset abort
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "scantxoutset", "params": ["start", ["raw(76a91411b366edfc0a8b66feebae5c2e25a7b6a5d1cf3188ac)#fm24fxxy"]]}' -H 'content-type: application/json' http://127.0.0.1:6332/
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "scantxoutset", "params": ["status"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "scantxoutset", "params": ["abort"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::merkle_tree::PartialMerkleTree as RustBitcoinTree;
    use umkoin_interfaces::chain::ChainType;

    fn txids(n: u8) -> Vec<[u8; 32]> {
        (0..n)
            .map(|i| sha256d::Hash::hash(&[i]).to_byte_array())
            .collect()
    }

    #[test]
    fn percentiles_are_cores() {
        // Core's `rpc_getblockstats_calculate_percentiles_by_weight` cases.
        let even: Vec<(i64, i64)> = (0..100)
            .map(|_| (1, 1))
            .chain((0..100).map(|_| (2, 1)))
            .collect();
        assert_eq!(percentiles_by_weight(even, 200), [1, 1, 1, 2, 2]);
        let five = vec![(1, 9), (2, 16), (4, 50), (5, 10), (9, 15)];
        assert_eq!(percentiles_by_weight(five, 100), [2, 2, 4, 4, 9]);
        let split = vec![(1, 9), (2, 11), (2, 5), (4, 50), (5, 10), (9, 15)];
        assert_eq!(percentiles_by_weight(split, 100), [2, 2, 4, 4, 9]);
        assert_eq!(percentiles_by_weight(Vec::new(), 0), [0; 5]);
        assert_eq!(truncated_median(vec![5, 1, 4]), 4);
        assert_eq!(truncated_median(vec![5, 1, 4, 2]), 3);
        assert_eq!(truncated_median(Vec::new()), 0);
    }

    #[test]
    fn proofs_round_trip_and_match_rust_bitcoins_encoding() {
        for n in 1..=17u8 {
            let ids = txids(n);
            for pattern in 0..4usize {
                let matches: Vec<bool> = (0..ids.len())
                    .map(|i| match pattern {
                        0 => i == 0,
                        1 => i + 1 == ids.len(),
                        2 => i % 3 == 1,
                        _ => true,
                    })
                    .collect();
                let tree = PartialMerkleTree::build(&ids, &matches);
                let mut bytes = serialize(&Header {
                    version: bitcoin::block::Version::ONE,
                    prev_blockhash: BlockHash::all_zeros(),
                    merkle_root: bitcoin::TxMerkleNode::all_zeros(),
                    time: 0,
                    bits: bitcoin::CompactTarget::from_consensus(0),
                    nonce: 0,
                });
                tree.write(&mut bytes);
                // rust-bitcoin's encoding of the same tree.
                let theirs = RustBitcoinTree::from_txids(
                    &ids.iter()
                        .map(|t| Txid::from_byte_array(*t))
                        .collect::<Vec<_>>(),
                    &matches,
                );
                assert_eq!(bytes[80..], serialize(&theirs)[..], "{n} {pattern}");
                let (_, read) = read_merkle_block(&bytes).expect("a proof");
                let (root, matched) = read.extract_matches().expect("a valid tree");
                assert_eq!(root, tree.calc_hash(tree.height(), 0, &ids));
                let expected: Vec<[u8; 32]> = ids
                    .iter()
                    .zip(&matches)
                    .filter(|(_, m)| **m)
                    .map(|(t, _)| *t)
                    .collect();
                assert_eq!(matched, expected);
            }
        }
    }

    #[test]
    fn bad_trees_extract_nothing() {
        // CVE-2012-2459: two equal matched leaves.
        let same = vec![[7u8; 32], [7u8; 32]];
        assert!(
            PartialMerkleTree::build(&same, &[true, true])
                .extract_matches()
                .is_none()
        );
        let ids = txids(5);
        let good = PartialMerkleTree::build(&ids, &[false, true, false, false, true]);
        assert!(good.extract_matches().is_some());
        let mut more = good.clone();
        more.hashes.push([0; 32]);
        assert!(more.extract_matches().is_none());
        let mut fewer_bits = good.clone();
        fewer_bits.bits.truncate(2);
        assert!(fewer_bits.extract_matches().is_none());
        let mut extra_byte = good.clone();
        extra_byte.bits.extend([false; 8]);
        assert!(extra_byte.extract_matches().is_none());
        let mut none = good.clone();
        none.n_transactions = 0;
        assert!(none.extract_matches().is_none());
        let mut too_many = good;
        too_many.n_transactions = MAX_PROOF_TRANSACTIONS + 1;
        assert!(too_many.extract_matches().is_none());
    }

    #[test]
    fn reading_fails_with_cores_texts() {
        let header = [0u8; 80];
        let end = "SpanReader::read(): end of data";
        assert_eq!(read_merkle_block(&[]).unwrap_err(), end);
        let with = |tail: &[u8]| [&header[..], &[1, 0, 0, 0], tail].concat();
        assert_eq!(read_merkle_block(&with(&[])).unwrap_err(), end);
        assert_eq!(read_merkle_block(&with(&[1])).unwrap_err(), end);
        assert_eq!(
            read_merkle_block(&with(&[0xfd, 0x10, 0])).unwrap_err(),
            "non-canonical ReadCompactSize()"
        );
        assert_eq!(
            read_merkle_block(&with(&[0xfe, 0xff, 0xff, 0, 0])).unwrap_err(),
            "non-canonical ReadCompactSize()"
        );
        assert_eq!(
            read_merkle_block(&with(&[0xfe, 0, 0, 0, 0x10])).unwrap_err(),
            "ReadCompactSize(): size too large"
        );
        let (_, tree) = read_merkle_block(&with(&[0, 1, 0b101, 9])).expect("a proof");
        assert_eq!(
            tree.bits,
            [true, false, true, false, false, false, false, false]
        );
    }

    #[test]
    fn script_flags_follow_the_buried_heights() {
        let params =
            crate::chainparams::ChainParams::for_chain(ChainType::Regtest).expect("regtest");
        let chain = Chain::genesis_only(&params);
        assert_eq!(
            script_flag_names(&params, chain.tip()),
            ["NULLDUMMY", "P2SH", "TAPROOT", "WITNESS"]
        );
        let mut later = chain.tip().clone();
        later.height = 1;
        assert_eq!(
            script_flag_names(&params, &later),
            SCRIPT_FLAGS.map(|(n, _)| n)
        );
    }
}
