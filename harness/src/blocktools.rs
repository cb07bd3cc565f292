//! Blocks and coinbase transactions crafted by hand, as Core's
//! `test_framework/blocktools.py` makes them: BIP34 coinbases, regtest blocks, witness
//! commitments, proof of work, sigop counts, and the node calls to build on a node's tip
//! and submit the result.
//!
//! ```no_run
//! # fn demo(node: &umkoin_harness::TestNode) -> anyhow::Result<()> {
//! use umkoin_harness::blocktools::{next_block, submit_block};
//! let next = next_block(node)?;
//! let block = next.build(None, umkoin_harness::bitcoin::Amount::ZERO, vec![]);
//! assert!(submit_block(node, &block)?.is_null());
//! # Ok(())
//! # }
//! ```

use anyhow::{Context, Result, anyhow};
use bitcoin::block::{Header, Version as BlockVersion};
use bitcoin::consensus::encode::serialize_hex;
use bitcoin::hashes::Hash;
use bitcoin::opcodes::OP_0;
use bitcoin::opcodes::all::{OP_PUSHNUM_1, OP_RETURN};
use bitcoin::script::Builder;
use bitcoin::transaction::Version as TxVersion;
use bitcoin::{
    Amount, Block, BlockHash, CompactTarget, OutPoint, ScriptBuf, Sequence, Transaction, TxIn,
    TxMerkleNode, TxOut, Witness, absolute,
};
use serde_json::{Value, json};

use crate::node::TestNode;

/// Coinbase outputs can be spent only in a block this many blocks above theirs.
pub const COINBASE_MATURITY: u32 = 100;

/// Regtest's `nBits` (difficulty adjustment is off on regtest).
pub const REGTEST_N_BITS: u32 = 0x207f_ffff;

/// Regtest's `nSubsidyHalvingInterval` (Core's `REGTEST_RETARGET_PERIOD` in Python).
pub const REGTEST_HALVING_INTERVAL: u32 = 150;

/// The regtest genesis block's time.
pub const TIME_GENESIS_BLOCK: u32 = 1_511_512_200;

/// How far ahead of the node's clock a block's time may be.
pub const MAX_FUTURE_BLOCK_TIME: u32 = 2 * 60 * 60;

/// The version Core's `create_block` gives a block when none is asked for.
pub const VERSIONBITS_LAST_OLD_BLOCK_VERSION: i32 = 4;

/// The version Core's miner gives regtest blocks (`generatetoaddress`).
pub const VERSIONBITS_TOP_BITS: i32 = 0x2000_0000;

/// The most sigops a block may hold (legacy count).
pub const MAX_BLOCK_SIGOPS: usize = 20_000;

/// The most sigop cost a block may have.
pub const MAX_BLOCK_SIGOPS_WEIGHT: usize = MAX_BLOCK_SIGOPS * 4;

/// BIP141's witness commitment header, after `OP_RETURN` and the push opcode.
pub const WITNESS_COMMITMENT_HEADER: [u8; 4] = [0xaa, 0x21, 0xa9, 0xed];

/// Serializes a block as the hex `submitblock` takes.
pub fn block_hex(block: &Block) -> String {
    serialize_hex(block)
}

/// Serializes a transaction (with its witnesses) as hex.
pub fn tx_hex(tx: &Transaction) -> String {
    serialize_hex(tx)
}

/// The regtest block subsidy at `height`: 50 coins halved every
/// [`REGTEST_HALVING_INTERVAL`] blocks (Core's `GetBlockSubsidy`).
pub fn block_subsidy(height: u32) -> Amount {
    subsidy_with_period(height, REGTEST_HALVING_INTERVAL)
}

fn subsidy_with_period(height: u32, halving_period: u32) -> Amount {
    let halvings = height / halving_period.max(1);
    if halvings >= 64 {
        return Amount::ZERO;
    }
    Amount::from_sat(Amount::from_int_btc(50).to_sat() >> halvings)
}

/// Core's `script_BIP34_coinbase_height`: heights up to 16 as `OP_<n> OP_0` (the dummy
/// extra nonce keeps the scriptSig at the 2 bytes consensus wants), higher ones as a
/// minimal number push alone.
pub fn script_bip34_coinbase_height(height: u32) -> ScriptBuf {
    let builder = Builder::new().push_int(i64::from(height));
    if height <= 16 {
        builder.push_opcode(OP_0).into_script()
    } else {
        builder.into_script()
    }
}

/// The coinbase scriptSig Core's `BlockAssembler` writes for `generatetoaddress` and
/// `generateblock`: `CScript() << height << OP_0`, at every height.
pub fn miner_coinbase_script_sig(height: u32) -> ScriptBuf {
    Builder::new()
        .push_int(i64::from(height))
        .push_opcode(OP_0)
        .into_script()
}

/// `OP_TRUE`: the anyone-can-spend script Core's `create_coinbase` pays by default.
pub fn op_true_script() -> ScriptBuf {
    Builder::new().push_opcode(OP_PUSHNUM_1).into_script()
}

/// How [`create_coinbase_with`] builds a coinbase; the default is Core's
/// `create_coinbase(height)`.
#[derive(Debug, Clone)]
pub struct CoinbaseOptions {
    /// The output script (default `OP_TRUE`).
    pub script_pubkey: Option<ScriptBuf>,
    /// Fees added to the subsidy (ignored when `value` is set, as Core's `nValue != 50`).
    pub fees: Amount,
    /// The output's value instead of subsidy + fees.
    pub value: Option<Amount>,
    /// A second output of value 0 to this script (to pad weight or sigops).
    pub extra_output_script: Option<ScriptBuf>,
    /// The scriptSig instead of [`script_bip34_coinbase_height`]; for the miner's, pass
    /// [`miner_coinbase_script_sig`].
    pub script_sig: Option<ScriptBuf>,
    /// Blocks per subsidy halving (default regtest's 150).
    pub halving_period: u32,
}

impl Default for CoinbaseOptions {
    fn default() -> Self {
        CoinbaseOptions {
            script_pubkey: None,
            fees: Amount::ZERO,
            value: None,
            extra_output_script: None,
            script_sig: None,
            halving_period: REGTEST_HALVING_INTERVAL,
        }
    }
}

/// Core's `create_coinbase(height, script_pubkey=..., fees=...)`: version 2, locktime
/// `height - 1`, one input with the BIP34 height and sequence `0xfffffffe`, one output
/// of subsidy + `fees` to `script_pubkey` (default `OP_TRUE`). No witness: see
/// [`add_witness_commitment`].
pub fn create_coinbase(height: u32, script_pubkey: Option<ScriptBuf>, fees: Amount) -> Transaction {
    create_coinbase_with(
        height,
        &CoinbaseOptions {
            script_pubkey,
            fees,
            ..CoinbaseOptions::default()
        },
    )
}

/// Core's `create_coinbase` with all of its options.
pub fn create_coinbase_with(height: u32, options: &CoinbaseOptions) -> Transaction {
    let value = options.value.unwrap_or_else(|| {
        subsidy_with_period(height, options.halving_period)
            .checked_add(options.fees)
            .expect("subsidy plus fees fit in an amount")
    });
    let mut output = vec![TxOut {
        value,
        script_pubkey: options.script_pubkey.clone().unwrap_or_else(op_true_script),
    }];
    if let Some(script) = &options.extra_output_script {
        output.push(TxOut {
            value: Amount::ZERO,
            script_pubkey: script.clone(),
        });
    }
    Transaction {
        version: TxVersion::TWO,
        lock_time: absolute::LockTime::from_consensus(height.saturating_sub(1)),
        input: vec![TxIn {
            previous_output: OutPoint::null(),
            script_sig: options
                .script_sig
                .clone()
                .unwrap_or_else(|| script_bip34_coinbase_height(height)),
            sequence: Sequence::ENABLE_LOCKTIME_NO_RBF,
            witness: Witness::new(),
        }],
        output,
    }
}

/// Core's `create_block`: a block on `prev` with `coinbase` then `txs`, its merkle root
/// set, nonce 0, not solved. `version` defaults to 4 (Core's
/// `VERSIONBITS_LAST_OLD_BLOCK_VERSION`), `bits` to regtest's.
pub fn create_block(
    prev: BlockHash,
    coinbase: Transaction,
    time: u32,
    version: Option<i32>,
    txs: Vec<Transaction>,
    bits: Option<u32>,
) -> Block {
    let mut txdata = Vec::with_capacity(txs.len() + 1);
    txdata.push(coinbase);
    txdata.extend(txs);
    let mut block = Block {
        header: Header {
            version: BlockVersion::from_consensus(
                version.unwrap_or(VERSIONBITS_LAST_OLD_BLOCK_VERSION),
            ),
            prev_blockhash: prev,
            merkle_root: TxMerkleNode::all_zeros(),
            time,
            bits: CompactTarget::from_consensus(bits.unwrap_or(REGTEST_N_BITS)),
            nonce: 0,
        },
        txdata,
    };
    update_merkle_root(&mut block);
    block
}

/// The merkle root of the block's transactions (txids); all zeros for no transaction.
pub fn merkle_root(block: &Block) -> TxMerkleNode {
    block
        .compute_merkle_root()
        .unwrap_or_else(TxMerkleNode::all_zeros)
}

/// Sets the header's merkle root from the transactions (after changing them).
pub fn update_merkle_root(block: &mut Block) {
    block.header.merkle_root = merkle_root(block);
}

/// The 32-byte witness reserved value Core's Python makes of an integer nonce
/// (`ser_uint256(nonce)`: little-endian).
pub fn witness_nonce_bytes(nonce: u64) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&nonce.to_le_bytes());
    bytes
}

/// Core's `get_witness_script`: `OP_RETURN <0xaa21a9ed || hash256(witness_root ||
/// nonce)>`, with the witness merkle root of `block`'s transactions.
pub fn get_witness_script(block: &Block, nonce: u64) -> ScriptBuf {
    let root = block
        .witness_root()
        .expect("a block has at least its coinbase");
    let commitment = Block::compute_witness_commitment(&root, &witness_nonce_bytes(nonce));
    let mut data = [0u8; 36];
    data[..4].copy_from_slice(&WITNESS_COMMITMENT_HEADER);
    data[4..].copy_from_slice(commitment.as_byte_array());
    Builder::new()
        .push_opcode(OP_RETURN)
        .push_slice(data)
        .into_script()
}

/// Core's `add_witness_commitment`: the coinbase's witness becomes the 32-byte nonce,
/// an `OP_RETURN` commitment output (value 0) is appended to it, and the merkle root
/// is updated. The block still needs [`solve`].
pub fn add_witness_commitment(block: &mut Block, nonce: u64) {
    let script = get_witness_script(block, nonce);
    let coinbase = block
        .txdata
        .first_mut()
        .expect("a block has at least its coinbase");
    coinbase.input[0].witness = Witness::from_slice(&[witness_nonce_bytes(nonce)]);
    coinbase.output.push(TxOut {
        value: Amount::ZERO,
        script_pubkey: script,
    });
    update_merkle_root(block);
}

/// Whether the header's hash meets the target of its `bits`.
pub fn is_solved(block: &Block) -> bool {
    block.header.target().is_met_by(block.header.block_hash())
}

/// Core's `CBlock.solve`: raises the nonce from its current value until the hash meets
/// the target (about two tries on regtest).
pub fn solve(block: &mut Block) {
    while !is_solved(block) {
        block.header.nonce = block.header.nonce.wrapping_add(1);
    }
}

/// Core's `get_legacy_sigopcount_tx`: sigops of the outputs' scripts and the inputs'
/// scriptSigs; `accurate` counts `OP_n OP_CHECKMULTISIG` as n rather than 20.
pub fn get_legacy_sigopcount_tx(tx: &Transaction, accurate: bool) -> usize {
    let count = |script: &bitcoin::Script| {
        if accurate {
            script.count_sigops()
        } else {
            script.count_sigops_legacy()
        }
    };
    tx.output
        .iter()
        .map(|o| count(&o.script_pubkey))
        .chain(tx.input.iter().map(|i| count(&i.script_sig)))
        .sum()
}

/// Core's `get_legacy_sigopcount_block`: [`get_legacy_sigopcount_tx`] over the block.
pub fn get_legacy_sigopcount_block(block: &Block, accurate: bool) -> usize {
    block
        .txdata
        .iter()
        .map(|tx| get_legacy_sigopcount_tx(tx, accurate))
        .sum()
}

/// Core's `create_tx_with_script`: one input spending `prev`'s output `n` with
/// `script_sig` (sequence final), one output of `amount` to `output_script` (default
/// empty: anyone can spend).
pub fn create_tx_with_script(
    prev: &Transaction,
    n: u32,
    script_sig: ScriptBuf,
    amount: Amount,
    output_script: Option<ScriptBuf>,
) -> Transaction {
    assert!(
        (n as usize) < prev.output.len(),
        "output {n} of a transaction with {} outputs",
        prev.output.len()
    );
    Transaction {
        version: TxVersion::TWO,
        lock_time: absolute::LockTime::ZERO,
        input: vec![TxIn {
            previous_output: OutPoint::new(prev.compute_txid(), n),
            script_sig,
            sequence: Sequence::MAX,
            witness: Witness::new(),
        }],
        output: vec![TxOut {
            value: amount,
            script_pubkey: output_script.unwrap_or_default(),
        }],
    }
}

/// A node's tip, as `getblockheader` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipInfo {
    /// The tip's hash.
    pub hash: BlockHash,
    /// Its height.
    pub height: u32,
    /// Its time.
    pub time: u32,
    /// The median time of the 11 blocks ending with it.
    pub median_time: u32,
}

/// What the next block on a node's tip needs: its parent, height and a valid time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockTemplateInfo {
    /// The parent: the node's tip.
    pub prev: BlockHash,
    /// The new block's height.
    pub height: u32,
    /// A time the node accepts: one second after both the tip's time and its median
    /// time past (Core's tests use the tip's time + 1).
    pub time: u32,
    /// The tip's median time past, which the block's time must exceed.
    pub median_time_past: u32,
}

impl BlockTemplateInfo {
    /// The template for the block after `block` (at this template's height) with a
    /// time one second later: to build a chain of blocks without asking the node.
    pub fn after(&self, block: &Block) -> BlockTemplateInfo {
        BlockTemplateInfo {
            prev: block.block_hash(),
            height: self.height + 1,
            time: block.header.time.max(self.time) + 1,
            median_time_past: self.median_time_past,
        }
    }

    /// A solved block at this height: a coinbase paying subsidy + `fees` to
    /// `script_pubkey` (default `OP_TRUE`), then `txs`, version 4, with a witness
    /// commitment (nonce 0) as Core's miner always adds one.
    pub fn build(
        &self,
        script_pubkey: Option<ScriptBuf>,
        fees: Amount,
        txs: Vec<Transaction>,
    ) -> Block {
        let coinbase = create_coinbase(self.height, script_pubkey, fees);
        let mut block = create_block(self.prev, coinbase, self.time, None, txs, None);
        add_witness_commitment(&mut block, 0);
        solve(&mut block);
        block
    }
}

fn u32_field(value: &Value, field: &str) -> Result<u32> {
    value[field]
        .as_u64()
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| anyhow!("`{field}` is not a 32-bit number in {value}"))
}

/// Parses a block hash as the RPC prints it.
pub fn parse_block_hash(value: &Value) -> Result<BlockHash> {
    value
        .as_str()
        .ok_or_else(|| anyhow!("not a block hash: {value}"))?
        .parse()
        .with_context(|| format!("parsing block hash {value}"))
}

/// The node's tip, from `getbestblockhash` and `getblockheader`.
pub fn chain_tip(node: &TestNode) -> Result<TipInfo> {
    let hash = node.call("getbestblockhash", json!([]))?;
    let header = node.call("getblockheader", json!([hash]))?;
    Ok(TipInfo {
        hash: parse_block_hash(&hash)?,
        height: u32_field(&header, "height")?,
        time: u32_field(&header, "time")?,
        median_time: u32_field(&header, "mediantime")?,
    })
}

/// What the next block on the node's tip needs (see [`BlockTemplateInfo`]).
pub fn next_block(node: &TestNode) -> Result<BlockTemplateInfo> {
    let tip = chain_tip(node)?;
    Ok(BlockTemplateInfo {
        prev: tip.hash,
        height: tip.height + 1,
        time: tip.time.max(tip.median_time) + 1,
        median_time_past: tip.median_time,
    })
}

/// `submitblock` with the block's hex: `null` when accepted, else Core's answer (a
/// reject reason such as `"bad-txns-premature-spend-of-coinbase"`, or `"duplicate"`,
/// `"inconclusive"`).
pub fn submit_block(node: &TestNode, block: &Block) -> Result<Value> {
    Ok(node.call("submitblock", json!([block_hex(block)]))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::consensus::encode::deserialize_hex;

    /// Umkoin Core v31.0's block 1 on a fresh regtest chain after `setmocktime
    /// 1700000000` and `generatetoaddress 1 bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080`.
    const CORE_BLOCK_1: &str = "000000206dcb589766e96957917aba0cf6158de569336e20bca8a67abda2efc30584b460beb62fc002597b8b5f8b92d6cef6644edfb93f2185e6272d86ef2b5768addc0e00f15365ffff7f200000000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff025100feffffff0200f2052a01000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf90120000000000000000000000000000000000000000000000000000000000000000000000000";
    const CORE_BLOCK_1_HASH: &str =
        "50d77a0abb82409827aeffceb697d69060b14108b1c67ee7a0dcd499486515a5";
    const GENESIS_HASH: &str = "60b48405c3efa2bd7aa6a8bc206e3369e58d15f60cba7a915769e9669758cb6d";

    fn p2wpkh_751e() -> ScriptBuf {
        ScriptBuf::from_hex("0014751e76e8199196d454941c45d1b3a323f1433bd6").expect("hex")
    }

    #[test]
    fn builders_rebuild_cores_block_1_byte_for_byte() {
        let coinbase = create_coinbase_with(
            1,
            &CoinbaseOptions {
                script_pubkey: Some(p2wpkh_751e()),
                script_sig: Some(miner_coinbase_script_sig(1)),
                ..CoinbaseOptions::default()
            },
        );
        let prev = GENESIS_HASH.parse().expect("hash");
        let mut block = create_block(
            prev,
            coinbase,
            1_700_000_000,
            Some(VERSIONBITS_TOP_BITS),
            vec![],
            None,
        );
        add_witness_commitment(&mut block, 0);
        solve(&mut block);
        assert_eq!(block_hex(&block), CORE_BLOCK_1);
        assert_eq!(block.block_hash().to_string(), CORE_BLOCK_1_HASH);
        // Core's Python builder makes the same coinbase at heights up to 16.
        let python = create_coinbase(1, Some(p2wpkh_751e()), Amount::ZERO);
        let core: Block = deserialize_hex(CORE_BLOCK_1).expect("Core's block decodes");
        let mut mined = core.txdata[0].clone();
        mined.input[0].witness = Witness::new();
        mined.output.truncate(1);
        assert_eq!(python, mined);
        assert!(core.check_merkle_root() && core.check_witness_commitment());
    }

    #[test]
    fn coinbase_heights_and_subsidy_are_cores() {
        assert_eq!(script_bip34_coinbase_height(0).as_bytes(), [0x00, 0x00]);
        assert_eq!(script_bip34_coinbase_height(16).as_bytes(), [0x60, 0x00]);
        assert_eq!(script_bip34_coinbase_height(17).as_bytes(), [0x01, 0x11]);
        assert_eq!(
            script_bip34_coinbase_height(128).as_bytes(),
            [0x02, 0x80, 0x00]
        );
        assert_eq!(
            script_bip34_coinbase_height(200).as_bytes(),
            [0x02, 0xc8, 0x00]
        );
        assert_eq!(
            miner_coinbase_script_sig(200).as_bytes(),
            [0x02, 0xc8, 0x00, 0x00]
        );
        assert_eq!(block_subsidy(149), Amount::from_int_btc(50));
        assert_eq!(block_subsidy(150), Amount::from_int_btc(25));
        assert_eq!(block_subsidy(300), Amount::from_sat(1_250_000_000));
        assert_eq!(block_subsidy(150 * 64), Amount::ZERO);
        let cb = create_coinbase(200, None, Amount::from_sat(7));
        assert_eq!(cb.output[0].value, Amount::from_sat(2_500_000_007));
        assert_eq!(cb.output[0].script_pubkey, op_true_script());
        assert_eq!(cb.lock_time.to_consensus_u32(), 199);
        assert_eq!(cb.input[0].sequence.0, 0xffff_fffe);
        assert!(cb.is_coinbase());
        let cb = create_coinbase_with(
            5,
            &CoinbaseOptions {
                value: Some(Amount::from_sat(1)),
                fees: Amount::from_sat(100),
                extra_output_script: Some(ScriptBuf::new()),
                ..CoinbaseOptions::default()
            },
        );
        assert_eq!(cb.output.len(), 2);
        assert_eq!(cb.output[0].value, Amount::from_sat(1));
    }

    #[test]
    fn blocks_commit_and_solve() {
        let tip: BlockHash = GENESIS_HASH.parse().expect("hash");
        let next = BlockTemplateInfo {
            prev: tip,
            height: 1,
            time: TIME_GENESIS_BLOCK + 1,
            median_time_past: TIME_GENESIS_BLOCK,
        };
        let block = next.build(None, Amount::ZERO, vec![]);
        assert!(is_solved(&block));
        assert!(block.check_merkle_root());
        assert!(block.check_witness_commitment());
        assert_eq!(block.header.version.to_consensus(), 4);
        assert_eq!(block.txdata[0].input[0].script_sig.as_bytes(), [0x51, 0x00]);
        let second = next.after(&block).build(None, Amount::ZERO, vec![]);
        assert_eq!(second.header.prev_blockhash, block.block_hash());
        assert_eq!(
            second.txdata[0].input[0].script_sig.as_bytes(),
            [0x52, 0x00]
        );
        assert_eq!(second.header.time, TIME_GENESIS_BLOCK + 2);
        // A spend of the coinbase: one transaction, sigops from its scripts.
        let spend = create_tx_with_script(
            &block.txdata[0],
            0,
            ScriptBuf::new(),
            Amount::from_int_btc(1),
            Some(ScriptBuf::from_hex("ac").expect("OP_CHECKSIG")),
        );
        assert_eq!(get_legacy_sigopcount_tx(&spend, true), 1);
        let multisig = ScriptBuf::from_hex("52ae").expect("OP_2 OP_CHECKMULTISIG");
        let with_multisig = create_tx_with_script(
            &block.txdata[0],
            0,
            ScriptBuf::new(),
            Amount::from_int_btc(1),
            Some(multisig),
        );
        assert_eq!(get_legacy_sigopcount_tx(&with_multisig, true), 2);
        assert_eq!(get_legacy_sigopcount_tx(&with_multisig, false), 20);
        let block = next
            .after(&block)
            .build(None, Amount::ZERO, vec![spend, with_multisig]);
        assert_eq!(get_legacy_sigopcount_block(&block, true), 3);
        assert_eq!(get_legacy_sigopcount_block(&block, false), 21);
    }
}
