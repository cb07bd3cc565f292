//! Consensus checks of Umkoin Core's `consensus/tx_check.cpp`, `validation.cpp` and
//! `consensus/tx_verify.cpp`, as pure functions with Core's reject reasons. What needs
//! the chain (coins, heights, times) takes it as arguments; scripts are verified by
//! `umkoin-consensus` (Core's own interpreter), not here.

use std::collections::HashSet;

use bitcoin::hashes::{Hash, HashEngine, sha256d};
use bitcoin::{Amount, Block, Sequence, Target, Transaction};

/// Core's `MAX_BLOCK_WEIGHT`.
pub const MAX_BLOCK_WEIGHT: u64 = 4_000_000;
/// Core's `WITNESS_SCALE_FACTOR`.
pub const WITNESS_SCALE_FACTOR: u64 = 4;
/// Core's `MAX_MONEY`: 21 million UMK, in satoshis.
pub const MAX_MONEY: i64 = 21_000_000 * 100_000_000;

/// Core's `CheckTransaction`: the checks that need no context. Returns Core's reject
/// reason for the first one `tx` fails.
pub fn check_transaction(tx: &Transaction) -> Result<(), &'static str> {
    if tx.input.is_empty() {
        return Err("bad-txns-vin-empty");
    }
    if tx.output.is_empty() {
        return Err("bad-txns-vout-empty");
    }
    // Without the witness, which has not been checked for malleability yet.
    if tx.base_size() as u64 * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT {
        return Err("bad-txns-oversize");
    }
    let mut total: i64 = 0;
    for out in &tx.output {
        // A value is a signed 64-bit number on the wire (Core's `CAmount`).
        let value = out.value.to_sat() as i64;
        if value < 0 {
            return Err("bad-txns-vout-negative");
        }
        if value > MAX_MONEY {
            return Err("bad-txns-vout-toolarge");
        }
        total += value;
        if !(0..=MAX_MONEY).contains(&total) {
            return Err("bad-txns-txouttotal-toolarge");
        }
    }
    let mut seen = HashSet::with_capacity(tx.input.len());
    if !tx.input.iter().all(|i| seen.insert(i.previous_output)) {
        return Err("bad-txns-inputs-duplicate");
    }
    if tx.is_coinbase() {
        let len = tx.input[0].script_sig.len();
        if !(2..=100).contains(&len) {
            return Err("bad-cb-length");
        }
    } else if tx.input.iter().any(|i| i.previous_output.is_null()) {
        return Err("bad-txns-prevout-null");
    }
    Ok(())
}

/// A block as Core's `DecodeHexBlk` reads one (bytes after it are ignored): as
/// rust-bitcoin reads it, except that a transaction starting with no inputs and a zero
/// flag byte is read as Core reads it, with no inputs and no outputs (a transaction
/// that `CheckTransaction` then refuses, rather than bytes that do not decode).
pub fn decode_block(bytes: &[u8]) -> Option<Block> {
    use bitcoin::consensus::{Decodable, encode::VarInt};
    if let Ok((block, _)) = bitcoin::consensus::encode::deserialize_partial::<Block>(bytes) {
        return Some(block);
    }
    let mut r = bytes;
    let header = bitcoin::block::Header::consensus_decode(&mut r).ok()?;
    let count = VarInt::consensus_decode(&mut r).ok()?.0;
    let mut txdata = Vec::new();
    for _ in 0..count {
        // `version | 00 | 00 | locktime`: Core's reader takes the 00 as an empty input
        // list, the next 00 as flags of none, and reads no outputs.
        if r.len() >= 10 && r[4] == 0 && r[5] == 0 {
            let version = i32::from_le_bytes(r[..4].try_into().ok()?);
            let lock_time = u32::from_le_bytes(r[6..10].try_into().ok()?);
            txdata.push(Transaction {
                version: bitcoin::transaction::Version(version),
                lock_time: bitcoin::absolute::LockTime::from_consensus(lock_time),
                input: Vec::new(),
                output: Vec::new(),
            });
            r = &r[10..];
            continue;
        }
        txdata.push(Transaction::consensus_decode(&mut r).ok()?);
    }
    Some(Block { header, txdata })
}

/// Core's `MAX_BLOCK_SIGOPS_COST`.
pub const MAX_BLOCK_SIGOPS_COST: usize = 80_000;
/// Core's `COINBASE_MATURITY`: a coinbase output is spendable this many blocks later.
pub const COINBASE_MATURITY: u32 = 100;
/// Core's `LOCKTIME_THRESHOLD`: lock times below it are heights, above it times.
pub const LOCKTIME_THRESHOLD: u32 = 500_000_000;

/// A block that breaks a rule: Core's reject reason, and whether the block may only have
/// been damaged on the way (Core's `BLOCK_MUTATED`: its header is not marked invalid).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct BlockReject {
    /// Core's reject reason, e.g. `bad-txnmrklroot`.
    pub reason: String,
    /// Whether the transactions may not be the ones the header commits to.
    pub mutated: bool,
}

impl BlockReject {
    /// A rule the block breaks.
    pub fn invalid(reason: impl Into<String>) -> BlockReject {
        BlockReject {
            reason: reason.into(),
            mutated: false,
        }
    }

    /// A block whose transactions do not match what its header commits to.
    pub fn mutated(reason: &str) -> BlockReject {
        BlockReject {
            reason: reason.into(),
            mutated: true,
        }
    }
}

/// Core's `ComputeMerkleRoot` over `leaves`: the root, and whether a level held two equal
/// adjacent hashes (the CVE-2012-2459 mutation that repeats transactions without
/// changing the root).
pub fn merkle_root(mut leaves: Vec<[u8; 32]>) -> ([u8; 32], bool) {
    let mut mutated = false;
    while leaves.len() > 1 {
        mutated |= leaves.chunks_exact(2).any(|pair| pair[0] == pair[1]);
        if leaves.len() % 2 == 1 {
            leaves.push(*leaves.last().expect("not empty"));
        }
        leaves = leaves
            .chunks_exact(2)
            .map(|pair| {
                let mut engine = sha256d::Hash::engine();
                engine.input(&pair[0]);
                engine.input(&pair[1]);
                sha256d::Hash::from_engine(engine).to_byte_array()
            })
            .collect();
    }
    (leaves.first().copied().unwrap_or([0; 32]), mutated)
}

/// Core's `GetLegacySigOpCount`: the signature operations of the scripts in `tx` itself,
/// counted without looking at what a multisig asks for.
pub fn legacy_sigops(tx: &Transaction) -> usize {
    tx.input
        .iter()
        .map(|i| i.script_sig.count_sigops_legacy())
        .chain(
            tx.output
                .iter()
                .map(|o| o.script_pubkey.count_sigops_legacy()),
        )
        .sum()
}

/// The bytes of `block` without witnesses.
pub fn stripped_size(block: &Block) -> u64 {
    // weight = 3 * stripped + total.
    (block.weight().to_wu() - block.total_size() as u64) / 3
}

/// Core's `CheckBlock`: the header's proof of work (`high-hash`, against `pow_limit`),
/// the merkle root, sizes, the coinbase, `CheckTransaction` on every transaction and
/// the legacy signature operations; nothing that needs the chain.
pub fn check_block(block: &Block, pow_limit: Target) -> Result<(), BlockReject> {
    let header = &block.header;
    if header.target() > pow_limit || header.validate_pow(header.target()).is_err() {
        return Err(BlockReject::invalid("high-hash"));
    }
    check_block_body(block)
}

/// [`check_block`] without the proof of work (Core's `CheckBlock` with `fCheckPOW`
/// false, as `TestBlockValidity` runs it for a block not solved yet).
pub fn check_block_body(block: &Block) -> Result<(), BlockReject> {
    let header = &block.header;
    let (root, mutated) = merkle_root(
        block
            .txdata
            .iter()
            .map(|tx| tx.compute_txid().to_byte_array())
            .collect(),
    );
    if header.merkle_root.to_byte_array() != root {
        return Err(BlockReject::mutated("bad-txnmrklroot"));
    }
    if mutated {
        return Err(BlockReject::mutated("bad-txns-duplicate"));
    }
    if block.txdata.is_empty()
        || block.txdata.len() as u64 * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT
        || stripped_size(block) * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT
    {
        return Err(BlockReject::invalid("bad-blk-length"));
    }
    if !block.txdata[0].is_coinbase() {
        return Err(BlockReject::invalid("bad-cb-missing"));
    }
    if block.txdata.iter().skip(1).any(Transaction::is_coinbase) {
        return Err(BlockReject::invalid("bad-cb-multiple"));
    }
    for tx in &block.txdata {
        check_transaction(tx).map_err(BlockReject::invalid)?;
    }
    let sigops: usize = block.txdata.iter().map(legacy_sigops).sum();
    if sigops * WITNESS_SCALE_FACTOR as usize > MAX_BLOCK_SIGOPS_COST {
        return Err(BlockReject::invalid("bad-blk-sigops"));
    }
    Ok(())
}

/// Core's `GetWitnessCommitmentIndex`: the last coinbase output that is a witness
/// commitment (`OP_RETURN`, a 36-byte push starting `aa21a9ed`), if any.
pub fn witness_commitment_index(block: &Block) -> Option<usize> {
    let coinbase = block.txdata.first()?;
    coinbase.output.iter().rposition(|o| {
        let s = o.script_pubkey.as_bytes();
        s.len() >= 38 && s[..6] == [0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed]
    })
}

/// The witness commitment of `block` with the coinbase witness `nonce`: sha256d of the
/// merkle root of the transactions' witness hashes (the coinbase's as zero) and `nonce`.
pub fn witness_commitment(block: &Block, nonce: &[u8]) -> [u8; 32] {
    let leaves = block
        .txdata
        .iter()
        .enumerate()
        .map(|(i, tx)| {
            if i == 0 {
                [0; 32]
            } else {
                tx.compute_wtxid().to_byte_array()
            }
        })
        .collect();
    let (root, _) = merkle_root(leaves);
    let mut engine = sha256d::Hash::engine();
    engine.input(&root);
    engine.input(nonce);
    sha256d::Hash::from_engine(engine).to_byte_array()
}

/// Core's `CheckWitnessMalleation`: with segwit active (`expect_commitment`) and a
/// commitment present, the coinbase witness is one 32-byte value and the commitment
/// matches the witness merkle root; otherwise no transaction has a witness.
pub fn check_witness_malleation(block: &Block, expect_commitment: bool) -> Result<(), BlockReject> {
    if expect_commitment && let Some(pos) = witness_commitment_index(block) {
        let stack = &block.txdata[0].input[0].witness;
        let nonce = match stack.iter().collect::<Vec<_>>().as_slice() {
            [nonce] if nonce.len() == 32 => *nonce,
            _ => return Err(BlockReject::mutated("bad-witness-nonce-size")),
        };
        let commitment = witness_commitment(block, nonce);
        if block.txdata[0].output[pos].script_pubkey.as_bytes()[6..38] != commitment {
            return Err(BlockReject::mutated("bad-witness-merkle-match"));
        }
        return Ok(());
    }
    if block
        .txdata
        .iter()
        .any(|tx| tx.input.iter().any(|i| !i.witness.is_empty()))
    {
        return Err(BlockReject::mutated("unexpected-witness"));
    }
    Ok(())
}

/// Core's `IsFinalTx`: whether `tx` may be in a block at `height` whose lock-time cutoff
/// is `time`.
pub fn is_final_tx(tx: &Transaction, height: u32, time: i64) -> bool {
    let lock_time = tx.lock_time.to_consensus_u32();
    if lock_time == 0 {
        return true;
    }
    let cutoff = if lock_time < LOCKTIME_THRESHOLD {
        i64::from(height)
    } else {
        time
    };
    if i64::from(lock_time) < cutoff {
        return true;
    }
    tx.input.iter().all(|i| i.sequence == Sequence::MAX)
}

/// Core's `CalculateSequenceLocks` (BIP68) for `tx`: `prev_heights` are the heights of
/// the coins spent, and `mtp_at(h)` the median time past of the block at height `h` of
/// the chain it is judged on. The last height and median time past at which its
/// relative locks still hold it (-1 for none).
pub fn sequence_locks(
    tx: &Transaction,
    prev_heights: &[u32],
    mtp_at: impl Fn(u32) -> i64,
) -> (i64, i64) {
    const DISABLE: u32 = 1 << 31;
    const TYPE_TIME: u32 = 1 << 22;
    const MASK: u32 = 0x0000_ffff;
    const GRANULARITY: u32 = 9;
    let (mut min_height, mut min_time) = (-1i64, -1i64);
    if tx.version.0 < 2 {
        return (min_height, min_time);
    }
    for (input, &coin_height) in tx.input.iter().zip(prev_heights) {
        let seq = input.sequence.0;
        if seq & DISABLE != 0 {
            continue;
        }
        if seq & TYPE_TIME != 0 {
            let coin_time = mtp_at(coin_height.saturating_sub(1));
            min_time = min_time.max(coin_time + (i64::from(seq & MASK) << GRANULARITY) - 1);
        } else {
            min_height = min_height.max(i64::from(coin_height) + i64::from(seq & MASK) - 1);
        }
    }
    (min_height, min_time)
}

/// Core's `CalculateSequenceLocks` and `EvaluateSequenceLocks` (BIP68) for `tx` in the
/// block at `height` whose parent's median time past is `prev_mtp` (see
/// [`sequence_locks`]). Whether every input's relative lock has passed.
pub fn sequence_locks_pass(
    tx: &Transaction,
    prev_heights: &[u32],
    height: u32,
    prev_mtp: i64,
    mtp_at: impl Fn(u32) -> i64,
) -> bool {
    let (min_height, min_time) = sequence_locks(tx, prev_heights, mtp_at);
    min_height < i64::from(height) && min_time < prev_mtp
}

/// Core's `Consensus::CheckTxInputs` for `tx`, spending `spent` (height, coinbase, value
/// of each input's coin, in order) in a block at `spend_height`: maturity and amounts.
/// Returns the fee.
pub fn check_tx_inputs(
    tx: &Transaction,
    spent: &[(u32, bool, Amount)],
    spend_height: u32,
) -> Result<Amount, &'static str> {
    let mut value_in: i64 = 0;
    for &(height, coinbase, value) in spent {
        if coinbase && spend_height.saturating_sub(height) < COINBASE_MATURITY {
            return Err("bad-txns-premature-spend-of-coinbase");
        }
        let value = value.to_sat() as i64;
        value_in = value_in.saturating_add(value);
        if !(0..=MAX_MONEY).contains(&value) || !(0..=MAX_MONEY).contains(&value_in) {
            return Err("bad-txns-inputvalues-outofrange");
        }
    }
    // CheckTransaction has bounded the outputs' total already.
    let value_out: i64 = tx.output.iter().map(|o| o.value.to_sat() as i64).sum();
    if value_in < value_out {
        return Err("bad-txns-in-belowout");
    }
    let fee = value_in - value_out;
    if !(0..=MAX_MONEY).contains(&fee) {
        return Err("bad-txns-fee-outofrange");
    }
    Ok(Amount::from_sat(fee as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::hashes::Hash;
    use bitcoin::{
        Amount, OutPoint, ScriptBuf, Sequence, TxIn, TxOut, Txid, Witness, absolute, transaction,
    };

    fn input(n: u8) -> TxIn {
        TxIn {
            previous_output: OutPoint::new(Txid::from_byte_array([n; 32]), 0),
            script_sig: ScriptBuf::new(),
            sequence: Sequence::MAX,
            witness: Witness::new(),
        }
    }

    fn output(sats: u64) -> TxOut {
        TxOut {
            value: Amount::from_sat(sats),
            script_pubkey: ScriptBuf::from_bytes(vec![0x51]),
        }
    }

    fn tx(input: Vec<TxIn>, output: Vec<TxOut>) -> Transaction {
        Transaction {
            version: transaction::Version::TWO,
            lock_time: absolute::LockTime::ZERO,
            input,
            output,
        }
    }

    #[test]
    fn each_rule_gives_cores_reason() {
        let max = MAX_MONEY as u64;
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![output(1)])),
            Ok(())
        );
        assert_eq!(
            check_transaction(&tx(vec![], vec![output(1)])),
            Err("bad-txns-vin-empty")
        );
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![])),
            Err("bad-txns-vout-empty")
        );
        // -1 on the wire: all bits set.
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![output(u64::MAX)])),
            Err("bad-txns-vout-negative")
        );
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![output(max + 1)])),
            Err("bad-txns-vout-toolarge")
        );
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![output(max)])),
            Ok(())
        );
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![output(max), output(1)])),
            Err("bad-txns-txouttotal-toolarge")
        );
        assert_eq!(
            check_transaction(&tx(vec![input(1), input(2), input(1)], vec![output(1)])),
            Err("bad-txns-inputs-duplicate")
        );
        let mut null = input(0);
        null.previous_output = OutPoint::null();
        assert_eq!(
            check_transaction(&tx(vec![input(1), null.clone()], vec![output(1)])),
            Err("bad-txns-prevout-null")
        );
        // A coinbase's scriptSig is 2 to 100 bytes.
        for (len, ok) in [(1, false), (2, true), (100, true), (101, false)] {
            let mut cb = null.clone();
            cb.script_sig = ScriptBuf::from_bytes(vec![0x51; len]);
            let got = check_transaction(&tx(vec![cb], vec![output(1)]));
            assert_eq!(got.is_ok(), ok, "{len}: {got:?}");
            if !ok {
                assert_eq!(got, Err("bad-cb-length"));
            }
        }
        // Oversize counts the bytes without the witness: 1 MB of outputs is too much.
        let big = TxOut {
            value: Amount::ZERO,
            script_pubkey: ScriptBuf::from_bytes(vec![0x6a; 10_000]),
        };
        assert_eq!(
            check_transaction(&tx(vec![input(1)], vec![big; 101])),
            Err("bad-txns-oversize")
        );
    }
}
