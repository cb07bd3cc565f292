//! The blocks `bench node` submits: chains of transactions spending mature coinbases of
//! a regtest chain mined to a P2WSH of `OP_TRUE`, built deterministically, with no
//! signatures (each input's witness is the script `[0x51]` itself).

use bitcoin::absolute::LockTime;
use bitcoin::block::{Header, Version as BlockVersion};
use bitcoin::blockdata::opcodes::OP_0;
use bitcoin::blockdata::opcodes::all::OP_RETURN;
use bitcoin::blockdata::script::Builder;
use bitcoin::hashes::Hash;
use bitcoin::script::PushBytesBuf;
use bitcoin::transaction::Version as TxVersion;
use bitcoin::{
    Amount, Block, BlockHash, CompactTarget, OutPoint, ScriptBuf, Sequence, Transaction, TxIn,
    TxMerkleNode, TxOut, Witness,
};

/// Regtest's `nSubsidyHalvingInterval`.
const HALVING_INTERVAL: u32 = 150;
/// Regtest's proof-of-work limit, as every regtest block's `nBits`.
const REGTEST_BITS: u32 = 0x207f_ffff;
/// `VERSIONBITS_TOP_BITS`, the version Core's miner writes.
const BLOCK_VERSION: i32 = 0x2000_0000;
/// The fee each chained transaction pays (the coinbase claims them).
const FEE: Amount = Amount::from_sat(100);

/// `OP_TRUE`, the witness script every output here pays to.
fn witness_script() -> ScriptBuf {
    ScriptBuf::from_bytes(vec![0x51])
}

/// The P2WSH of `OP_TRUE`: `0020<sha256 of 51>`.
pub fn script_pubkey() -> ScriptBuf {
    ScriptBuf::new_p2wsh(&witness_script().wscript_hash())
}

/// `generatetodescriptor`'s descriptor for [`script_pubkey`].
pub fn descriptor() -> String {
    format!("raw({})", script_pubkey().to_hex_string())
}

/// The chain the blocks extend: its tip, and the outputs to spend (one per block).
pub struct Base {
    /// The tip's hash.
    pub tip: BlockHash,
    /// The tip's height.
    pub height: u32,
    /// The tip's time.
    pub time: u32,
    /// The coins to spend, in order: block `k` spends `spends[k]` (mature coinbase
    /// outputs paying [`script_pubkey`]).
    pub spends: Vec<(OutPoint, Amount)>,
}

/// Core's `GetBlockSubsidy` on regtest.
fn subsidy(height: u32) -> Amount {
    let halvings = height / HALVING_INTERVAL;
    if halvings >= 64 {
        return Amount::ZERO;
    }
    Amount::from_sat((50 * 100_000_000u64) >> halvings)
}

/// A one-input one-output transaction spending `prev` (worth `value`) to
/// [`script_pubkey`], less [`FEE`].
fn spend(prev: OutPoint, value: Amount, spk: &ScriptBuf) -> Transaction {
    Transaction {
        version: TxVersion::TWO,
        lock_time: LockTime::ZERO,
        input: vec![TxIn {
            previous_output: prev,
            script_sig: ScriptBuf::new(),
            sequence: Sequence::MAX,
            witness: Witness::from_slice(&[witness_script().as_bytes()]),
        }],
        output: vec![TxOut {
            value: value - FEE,
            script_pubkey: spk.clone(),
        }],
    }
}

/// The coinbase of a block at `height` paying `value` as Core's `BlockAssembler` writes
/// it: scriptSig `<height> OP_0`, sequence `0xfffffffe`, lock time `height - 1`, the
/// witness reserved value (32 zero bytes) as its witness. The witness commitment output
/// is added once the other transactions are known.
fn coinbase(height: u32, value: Amount, spk: &ScriptBuf) -> Transaction {
    Transaction {
        version: TxVersion::TWO,
        lock_time: LockTime::from_consensus(height - 1),
        input: vec![TxIn {
            previous_output: OutPoint::null(),
            script_sig: Builder::new()
                .push_int(i64::from(height))
                .push_opcode(OP_0)
                .into_script(),
            sequence: Sequence::ENABLE_LOCKTIME_NO_RBF,
            witness: Witness::from_slice(&[[0u8; 32]]),
        }],
        output: vec![TxOut {
            value,
            script_pubkey: spk.clone(),
        }],
    }
}

/// `base.spends.len()` blocks on top of `base.tip`, each of a coinbase and `txs`
/// chained transactions (the first spending the block's coin in `base.spends`), with
/// times one second apart after the tip's, solved for regtest's target.
pub fn build(base: &Base, txs: usize) -> Vec<Block> {
    let spk = script_pubkey();
    let mut prev_hash = base.tip;
    let mut out = Vec::with_capacity(base.spends.len());
    for (k, &(coin, coin_value)) in base.spends.iter().enumerate() {
        let k = u32::try_from(k).expect("fewer than 2^32 blocks");
        let (height, time) = (base.height + 1 + k, base.time + 1 + k);
        let mut txdata = Vec::with_capacity(txs + 1);
        let (mut prev, mut value) = (coin, coin_value);
        for _ in 0..txs {
            let tx = spend(prev, value, &spk);
            prev = OutPoint::new(tx.compute_txid(), 0);
            value = tx.output[0].value;
            txdata.push(tx);
        }
        let fees = coin_value - value;
        txdata.insert(0, coinbase(height, subsidy(height) + fees, &spk));
        let mut block = Block {
            header: Header {
                version: BlockVersion::from_consensus(BLOCK_VERSION),
                prev_blockhash: prev_hash,
                merkle_root: TxMerkleNode::all_zeros(),
                time,
                bits: CompactTarget::from_consensus(REGTEST_BITS),
                nonce: 0,
            },
            txdata,
        };
        let witness_root = block.witness_root().expect("a block has transactions");
        let commitment = Block::compute_witness_commitment(&witness_root, &[0u8; 32]);
        let mut data = PushBytesBuf::from([0xaa, 0x21, 0xa9, 0xed]);
        data.extend_from_slice(commitment.as_byte_array())
            .expect("36 bytes fit a push");
        block.txdata[0].output.push(TxOut {
            value: Amount::ZERO,
            script_pubkey: Builder::new()
                .push_opcode(OP_RETURN)
                .push_slice(data)
                .into_script(),
        });
        block.header.merkle_root = block
            .compute_merkle_root()
            .expect("a block has transactions");
        let target = block.header.target();
        while !target.is_met_by(block.header.block_hash()) {
            block.header.nonce += 1;
        }
        prev_hash = block.block_hash();
        out.push(block);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_chain_commit_and_meet_the_target() {
        let coin = |n: u8| {
            (
                OutPoint::new(bitcoin::Txid::from_byte_array([n; 32]), 0),
                subsidy(1),
            )
        };
        let base = Base {
            tip: BlockHash::from_byte_array([7; 32]),
            height: 300,
            time: 1_700_000_100,
            spends: vec![coin(1), coin(2), coin(3)],
        };
        let blocks = build(&base, 5);
        assert_eq!(blocks.len(), 3);
        let mut prev = base.tip;
        for (k, b) in blocks.iter().enumerate() {
            assert_eq!(b.header.prev_blockhash, prev);
            assert_eq!(b.txdata.len(), 6);
            assert!(b.check_merkle_root() && b.check_witness_commitment());
            assert!(b.header.target().is_met_by(b.block_hash()));
            assert_eq!(b.bip34_block_height().ok(), Some(301 + k as u64));
            let cb_value: Amount = b.txdata[0].output.iter().map(|o| o.value).sum();
            assert_eq!(cb_value, subsidy(301) + FEE * 5);
            prev = b.block_hash();
        }
        assert_eq!(
            descriptor(),
            "raw(00204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260)"
        );
    }
}
