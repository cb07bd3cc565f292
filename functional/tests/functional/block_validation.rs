//! Block validation and chain selection through RPC, as Umkoin Core's feature_block.py,
//! mining_basic.py, p2p_segwit.py, feature_cltv.py, feature_csv_activation.py,
//! feature_dersig.py, rpc_invalidateblock.py, rpc_preciousblock.py and rpc_getchaintips.py
//! show them: blocks crafted with the harness's `blocktools` and `MiniWallet` that break
//! one rule each get Core's reject reason from `submitblock` (or `submitheader`), leave
//! the tip where it was and are listed by `getchaintips` as Core lists them (not at all
//! when refused before their header joins the block tree, `headers-only` when only the
//! header did, `invalid` when they failed later); and `submitblock` reorgs,
//! `invalidateblock`, `reconsiderblock` and `preciousblock` pick the tips Core picks.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, anyhow, bail, ensure};
use serde_json::{Value, json};
use umkoin_harness::bitcoin::block::{Header, Version as BlockVersion};
use umkoin_harness::bitcoin::consensus::encode::{VarInt, serialize, serialize_hex};
use umkoin_harness::bitcoin::hashes::Hash;
use umkoin_harness::bitcoin::key::{Keypair, TapTweak};
use umkoin_harness::bitcoin::opcodes::all::{
    OP_CHECKMULTISIG, OP_CHECKSIG, OP_CLTV, OP_CSV, OP_DROP, OP_NOT, OP_PUSHBYTES_0,
    OP_PUSHNUM_NEG1,
};
use umkoin_harness::bitcoin::script::{Builder, PushBytesBuf};
use umkoin_harness::bitcoin::secp256k1::{Message, Secp256k1, SecretKey};
use umkoin_harness::bitcoin::sighash::{Prevouts, SighashCache, TapSighashType};
use umkoin_harness::bitcoin::transaction::Version as TxVersion;
use umkoin_harness::bitcoin::{
    Amount, Block, BlockHash, CompactTarget, OutPoint, ScriptBuf, Sequence, Transaction, TxIn,
    TxMerkleNode, TxOut, Txid, Witness, absolute,
};
use umkoin_harness::blocktools::{
    BlockTemplateInfo, CoinbaseOptions, MAX_BLOCK_SIGOPS, MAX_FUTURE_BLOCK_TIME, REGTEST_N_BITS,
    add_witness_commitment, block_hex, block_subsidy, chain_tip, create_block, create_coinbase,
    create_coinbase_with, create_tx_with_script, get_legacy_sigopcount_block, is_solved,
    merkle_root, next_block, op_true_script, parse_block_hash, script_bip34_coinbase_height, solve,
    submit_block, witness_nonce_bytes,
};
use umkoin_harness::miniwallet::{
    ADDRESS_BCRT1_P2TR_OP_TRUE, SelfTransfer, SelfTransferOptions, Utxo, UtxoQuery,
};
use umkoin_harness::{MiniWallet, MiniWalletMode, RpcError, TestFramework, TestNode};

/// The most a transaction output (or their sum) may hold.
const MAX_MONEY: Amount = Amount::from_sat(21_000_000 * 100_000_000);
/// The most weight a block may have.
const MAX_BLOCK_WEIGHT: usize = 4_000_000;
/// BIP68's flag making a relative lock count time (units of 512 s) instead of blocks.
const SEQUENCE_LOCKTIME_TYPE_FLAG: u32 = 1 << 22;

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

/// The node's best block.
fn best(node: &TestNode) -> Result<BlockHash> {
    parse_block_hash(&node.call("getbestblockhash", json!([]))?)
}

/// `getchaintips`, as a list.
fn tips(node: &TestNode) -> Result<Vec<Value>> {
    let tips = node.call("getchaintips", json!([]))?;
    tips.as_array()
        .cloned()
        .ok_or_else(|| anyhow!("getchaintips answered {tips}"))
}

/// `getchaintips`' entry for `hash`, if it lists it.
fn tip_entry(node: &TestNode, hash: BlockHash) -> Result<Option<Value>> {
    let hash = hash.to_string();
    Ok(tips(node)?.into_iter().find(|t| t["hash"] == json!(hash)))
}

/// A `getchaintips` entry.
fn tip_json(hash: BlockHash, height: u32, branchlen: u32, status: &str) -> Value {
    json!({
        "height": height,
        "hash": hash.to_string(),
        "branchlen": branchlen,
        "status": status,
    })
}

/// Checks `getchaintips` lists `hash` with `(status, height, branchlen)`, or not at all.
fn expect_tip(node: &TestNode, hash: BlockHash, expected: Option<(&str, u32, u32)>) -> Result<()> {
    let entry = tip_entry(node, hash)?;
    let expected =
        expected.map(|(status, height, branchlen)| tip_json(hash, height, branchlen, status));
    assert_eq!(entry, expected, "getchaintips' entry for {hash}");
    Ok(())
}

/// Checks `getchaintips` lists exactly `expected` (in any order: Core orders tips of the
/// same height by their place in memory).
fn expect_tips(node: &TestNode, mut expected: Vec<Value>) -> Result<()> {
    let mut got = tips(node)?;
    let key = |v: &Value| v["hash"].as_str().map(str::to_owned);
    got.sort_by_key(key);
    expected.sort_by_key(key);
    assert_eq!(got, expected, "getchaintips");
    Ok(())
}

/// The code and message of the RPC error `result` must be.
fn rpc_error(result: Result<Value, RpcError>) -> Result<(i64, String)> {
    match result {
        Err(RpcError::Rpc { code, message, .. }) => Ok((code, message)),
        other => bail!("expected an RPC error, got {other:?}"),
    }
}

/// `submitblock` must answer `reason` and leave the tip where it was; `getchaintips`
/// must then list the block (built on the tip) with status `listed`, or not at all.
fn reject(node: &TestNode, block: &Block, reason: &str, listed: Option<&str>) -> Result<()> {
    reject_hex(node, &block_hex(block), block.block_hash(), reason, listed)
}

/// [`reject`] for a block given as hex.
fn reject_hex(
    node: &TestNode,
    hex: &str,
    hash: BlockHash,
    reason: &str,
    listed: Option<&str>,
) -> Result<()> {
    let before = chain_tip(node)?;
    let answer = node.call("submitblock", json!([hex]))?;
    assert_eq!(answer, json!(reason), "submitblock of block {hash}");
    assert_eq!(
        best(node)?,
        before.hash,
        "the tip moved after block {hash} was refused ({reason})"
    );
    expect_tip(node, hash, listed.map(|s| (s, before.height + 1, 1)))
}

/// `submitheader` must fail with `code` and exactly `message`, leaving the tip alone.
fn reject_header(node: &TestNode, header: &Header, code: i64, message: &str) -> Result<()> {
    let before = best(node)?;
    let got = rpc_error(node.call("submitheader", json!([serialize_hex(header)])))?;
    assert_eq!(
        got,
        (code, message.to_owned()),
        "submitheader of {}",
        header.block_hash()
    );
    assert_eq!(best(node)?, before);
    Ok(())
}

/// `submitblock` must accept `block` and make it the tip.
fn accept(node: &TestNode, block: &Block) -> Result<()> {
    let hash = block.block_hash();
    assert_eq!(
        submit_block(node, block)?,
        Value::Null,
        "submitblock of {hash}"
    );
    assert_eq!(
        best(node)?,
        hash,
        "the accepted block {hash} is not the tip"
    );
    Ok(())
}

/// A solved block on `t` of `coinbase` then `txs`, with a witness commitment (nonce 0).
fn block_of(t: &BlockTemplateInfo, coinbase: Transaction, txs: Vec<Transaction>) -> Block {
    let mut block = create_block(t.prev, coinbase, t.time, None, txs, None);
    add_witness_commitment(&mut block, 0);
    solve(&mut block);
    block
}

/// The default coinbase of a block on `t` (subsidy to `OP_TRUE`, no fees claimed).
fn coinbase(t: &BlockTemplateInfo) -> Transaction {
    create_coinbase(t.height, None, Amount::ZERO)
}

/// Raises the nonce until the header's hash misses its target.
fn unsolve(block: &mut Block) {
    while is_solved(block) {
        block.header.nonce = block.header.nonce.wrapping_add(1);
    }
}

/// A signed transfer of the wallet's largest mature coin to itself.
fn spend(wallet: &mut MiniWallet) -> Result<Transaction> {
    Ok(wallet
        .create_self_transfer(&SelfTransferOptions::default())?
        .tx)
}

/// A script of `n` copies of `opcode`.
fn repeated(opcode: u8, n: usize) -> ScriptBuf {
    ScriptBuf::from_bytes(vec![opcode; n])
}

/// The block as Core reads it: as [`block_hex`], but a transaction without inputs is
/// written without the segwit marker (which the `bitcoin` crate writes for it, and
/// Core's reader then refuses as a superfluous witness record).
fn raw_block_hex(block: &Block) -> String {
    let mut bytes = serialize(&block.header);
    bytes.extend(serialize(&VarInt::from(block.txdata.len())));
    for tx in &block.txdata {
        if tx.input.is_empty() {
            bytes.extend(serialize(&tx.version));
            bytes.extend(serialize(&tx.input));
            bytes.extend(serialize(&tx.output));
            bytes.extend(serialize(&tx.lock_time));
        } else {
            bytes.extend(serialize(tx));
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `gettxout <txid> <n> false`: the coin in the chain's UTXO set, mempool aside.
fn txout(node: &TestNode, outpoint: OutPoint) -> Result<Value> {
    Ok(node.call(
        "gettxout",
        json!([outpoint.txid.to_string(), outpoint.vout, false]),
    )?)
}

/// The seconds since 1970 by this machine's clock (the node's, without mock time).
fn now() -> Result<u32> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    Ok(u32::try_from(secs)?)
}

/// Finds the `len` at which `make(len)` measures `target` by `measure`, from a first
/// guess: a script's or witness element's length changes the size of its length prefix
/// too, so a few rounds may be needed.
fn grow_to<T>(
    mut len: usize,
    target: usize,
    mut make: impl FnMut(usize) -> T,
    measure: impl Fn(&T) -> usize,
) -> Result<T> {
    for _ in 0..8 {
        let made = make(len);
        let size = measure(&made);
        if size == target {
            return Ok(made);
        }
        len = (len + target)
            .checked_sub(size)
            .ok_or_else(|| anyhow!("cannot reach {target} from {size}"))?;
    }
    bail!("nothing of exactly {target}")
}

/// A block on `t` holding `tx` (a taproot script-path spend) with an annex of `len`
/// bytes added to its witness: any size is consensus-valid, and each byte weighs one.
fn with_annex(t: &BlockTemplateInfo, tx: &Transaction, len: usize) -> Block {
    let mut tx = tx.clone();
    let mut annex = vec![0u8; len];
    annex[0] = 0x50;
    tx.input[0].witness.push(annex);
    block_of(t, coinbase(t), vec![tx])
}

/// The stripped size of a block (without witnesses), which Core's `bad-blk-length`
/// limits to `MAX_BLOCK_WEIGHT / 4`.
fn stripped_size(block: &Block) -> usize {
    (block.weight().to_wu() as usize - block.total_size()) / 3
}

// ---------------------------------------------------------------------------------
// Headers: submitheader and submitblock
// ---------------------------------------------------------------------------------

/// Header rules (`high-hash`, `bad-diffbits`, `time-too-old`, `time-too-new`,
/// `bad-version(0x...)`, `prev-blk-not-found`) through `submitheader` and `submitblock`,
/// the decode errors of both, `Must submit previous header`, and a good header that
/// becomes a `headers-only` tip, then an active one once its block follows.
#[test]
fn headers_breaking_the_rules_get_cores_reasons() {
    TestFramework::new("headers_breaking_the_rules_get_cores_reasons")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let tip = chain_tip(node)?;
            let next = next_block(node)?;
            let good = next.build(None, Amount::ZERO, vec![]);

            // Undecodable data.
            for bad in ["xx".repeat(80), "ff".repeat(78)] {
                assert_eq!(
                    rpc_error(node.call("submitheader", json!([bad])))?,
                    (-22, "Block header decode failed".to_owned())
                );
            }
            let hex = block_hex(&good);
            for bad in [&hex[..hex.len() - 30], "xx"] {
                assert_eq!(
                    rpc_error(node.call("submitblock", json!([bad])))?,
                    (-22, "Block decode failed".to_owned())
                );
            }
            // Core's empty `CBlock()`: a header of zeros (nBits 0 has no target) and no
            // transaction.
            let empty = format!("{}00", "00".repeat(80));
            let answer = node.call("submitblock", json!([empty]))?;
            assert_eq!(answer, json!("high-hash"));

            // An unknown parent.
            let mut orphan = good.clone();
            orphan.header.prev_blockhash = BlockHash::from_byte_array([0x23; 32]);
            solve(&mut orphan);
            let message = format!(
                "Must submit previous header ({}) first",
                orphan.header.prev_blockhash
            );
            reject_header(node, &orphan.header, -25, &message)?;
            reject(node, &orphan, "prev-blk-not-found", None)?;

            // Proof of work missed.
            let mut block = good.clone();
            unsolve(&mut block);
            reject_header(node, &block.header, -25, "high-hash")?;
            reject(node, &block, "high-hash", None)?;

            // Not regtest's nBits.
            let mut block = good.clone();
            block.header.bits = CompactTarget::from_consensus(REGTEST_N_BITS - 1);
            solve(&mut block);
            reject_header(node, &block.header, -25, "bad-diffbits")?;
            reject(node, &block, "bad-diffbits", None)?;

            // A time not after the median time past, and one over two hours ahead.
            let mut block = good.clone();
            block.header.time = tip.median_time;
            solve(&mut block);
            reject_header(node, &block.header, -25, "time-too-old")?;
            reject(node, &block, "time-too-old", None)?;
            let mut block = good.clone();
            block.header.time = now()? + MAX_FUTURE_BLOCK_TIME + 60 * 60;
            solve(&mut block);
            reject_header(node, &block.header, -25, "time-too-new")?;
            reject(node, &block, "time-too-new", None)?;

            // Versions below 4 once BIP34, BIP66 and BIP65 are active (from height 1).
            for (version, reason) in [
                (1, "bad-version(0x00000001)"),
                (2, "bad-version(0x00000002)"),
                (3, "bad-version(0x00000003)"),
                (-1, "bad-version(0xffffffff)"),
            ] {
                let mut block = good.clone();
                block.header.version = BlockVersion::from_consensus(version);
                solve(&mut block);
                reject_header(node, &block.header, -25, reason)?;
                reject(node, &block, reason, None)?;
            }

            // None of them joined the block tree.
            expect_tips(node, vec![tip_json(tip.hash, tip.height, 0, "active")])?;

            // A good header: a headers-only tip, again a no-op, also from a whole
            // block's hex (only its header is read); then its block makes it active.
            let hash = good.block_hash();
            let header_hex = serialize_hex(&good.header);
            assert_eq!(node.call("submitheader", json!([header_hex]))?, Value::Null);
            expect_tip(node, hash, Some(("headers-only", next.height, 1)))?;
            assert_eq!(best(node)?, tip.hash);
            assert_eq!(node.call("submitheader", json!([header_hex]))?, Value::Null);
            assert_eq!(
                node.call("submitheader", json!([block_hex(&good)]))?,
                Value::Null
            );
            expect_tip(node, hash, Some(("headers-only", next.height, 1)))?;
            accept(node, &good)?;
            expect_tips(node, vec![tip_json(hash, next.height, 0, "active")])?;
            assert_eq!(submit_block(node, &good)?, json!("duplicate"));
            assert_eq!(node.call("submitheader", json!([header_hex]))?, Value::Null);
            // The old time is now too old for a block on the new tip as well.
            let mut block = next.after(&good).build(None, Amount::ZERO, vec![]);
            block.header.time = tip.median_time;
            solve(&mut block);
            reject_header(node, &block.header, -25, "time-too-old")?;
            Ok(())
        });
}

// ---------------------------------------------------------------------------------
// CheckBlock: context-free checks
// ---------------------------------------------------------------------------------

/// Core's `CheckBlock` and `CheckTransaction`: the merkle root, CVE-2012-2459's
/// duplicated transactions, the size limits, the coinbase's place and length, each
/// transaction's inputs and outputs, and the legacy sigop count. Core runs these before
/// the block joins the block tree, so `getchaintips` never lists the refused blocks
/// (unless their header came first), and a block of the same hash as a refused one
/// (CVE-2012-2459) is accepted after.
#[test]
fn blocks_failing_context_free_checks_get_cores_reasons() {
    TestFramework::new("blocks_failing_context_free_checks_get_cores_reasons")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let tip = chain_tip(node)?;
            let next = next_block(node)?;

            // A merkle root that is not the transactions'.
            let mut block = block_of(&next, coinbase(&next), vec![spend(&mut wallet)?]);
            block.header.merkle_root = TxMerkleNode::from_byte_array([1; 32]);
            solve(&mut block);
            reject(node, &block, "bad-txnmrklroot", None)?;
            let bad_root = block.block_hash();
            // With its header known, the refused block leaves a headers-only tip.
            let header = serialize_hex(&block.header);
            assert_eq!(node.call("submitheader", json!([header]))?, Value::Null);
            reject(node, &block, "bad-txnmrklroot", Some("headers-only"))?;
            reject(node, &block, "bad-txnmrklroot", Some("headers-only"))?;

            // CVE-2012-2459: [coinbase, a, b] and [coinbase, a, b, b] share the merkle
            // root, hence the hash; the second is refused, the first still accepted.
            let first = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let second = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(first.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            let kept = block_of(
                &next,
                coinbase(&next),
                vec![first.tx.clone(), second.tx.clone()],
            );
            let mut mutated = kept.clone();
            mutated.txdata.push(second.tx.clone());
            assert_eq!(merkle_root(&mutated), kept.header.merkle_root);
            assert_eq!(mutated.block_hash(), kept.block_hash());
            reject(node, &mutated, "bad-txns-duplicate", None)?;

            // No transaction at all.
            let mut empty = kept.clone();
            empty.txdata.clear();
            empty.header.merkle_root = TxMerkleNode::all_zeros();
            solve(&mut empty);
            reject(node, &empty, "bad-blk-length", None)?;

            // Over 1,000,000 bytes without witnesses (Core's b24). The transaction alone
            // is over CheckTransaction's limit too (its `bad-txns-oversize`), but the
            // block's size is checked first, so no block ever gets that reason.
            let big_tx = spend(&mut wallet)?;
            let limit = MAX_BLOCK_WEIGHT / 4;
            let oversize_tx = grow_to(
                limit,
                limit + 1,
                |len| {
                    let mut tx = big_tx.clone();
                    tx.output[0].script_pubkey = ScriptBuf::from_bytes(vec![0; len]);
                    tx
                },
                Transaction::base_size,
            )?;
            let block = block_of(&next, coinbase(&next), vec![oversize_tx]);
            assert!(stripped_size(&block) > limit);
            reject(node, &block, "bad-blk-length", None)?;

            // The coinbase missing, or twice.
            let mut block = create_block(
                next.prev,
                spend(&mut wallet)?,
                next.time,
                None,
                vec![],
                None,
            );
            solve(&mut block);
            reject(node, &block, "bad-cb-missing", None)?;
            let other = create_coinbase_with(
                next.height,
                &CoinbaseOptions {
                    script_pubkey: Some(ScriptBuf::new()),
                    ..CoinbaseOptions::default()
                },
            );
            let block = block_of(&next, coinbase(&next), vec![other]);
            reject(node, &block, "bad-cb-multiple", None)?;

            // A coinbase scriptSig of 1 byte, or of 101 (2 to 100 are allowed).
            let mut long = script_bip34_coinbase_height(next.height).to_bytes();
            long.resize(101, 0);
            for script_sig in [vec![0u8], long] {
                let cb = create_coinbase_with(
                    next.height,
                    &CoinbaseOptions {
                        script_sig: Some(ScriptBuf::from_bytes(script_sig)),
                        ..CoinbaseOptions::default()
                    },
                );
                reject(node, &block_of(&next, cb, vec![]), "bad-cb-length", None)?;
            }

            // CheckTransaction on the other transactions. No input (nor output: a
            // transaction without inputs has no other encoding Core reads).
            let no_inputs = Transaction {
                version: TxVersion::TWO,
                lock_time: absolute::LockTime::ZERO,
                input: vec![],
                output: vec![],
            };
            let block = block_of(&next, coinbase(&next), vec![no_inputs]);
            let hex = raw_block_hex(&block);
            reject_hex(node, &hex, block.block_hash(), "bad-txns-vin-empty", None)?;

            let mut tx = spend(&mut wallet)?;
            tx.output.clear();
            let block = block_of(&next, coinbase(&next), vec![tx]);
            reject(node, &block, "bad-txns-vout-empty", None)?;

            // -1 (the `bitcoin` crate's amounts are unsigned; the bytes are the same).
            let mut tx = spend(&mut wallet)?;
            tx.output[0].value = Amount::from_sat(u64::MAX);
            let block = block_of(&next, coinbase(&next), vec![tx]);
            reject(node, &block, "bad-txns-vout-negative", None)?;

            let mut tx = spend(&mut wallet)?;
            tx.output[0].value = MAX_MONEY + Amount::from_sat(1);
            let block = block_of(&next, coinbase(&next), vec![tx]);
            reject(node, &block, "bad-txns-vout-toolarge", None)?;

            let mut tx = spend(&mut wallet)?;
            tx.output[0].value = MAX_MONEY;
            tx.output.push(tx.output[0].clone());
            let block = block_of(&next, coinbase(&next), vec![tx]);
            reject(node, &block, "bad-txns-txouttotal-toolarge", None)?;

            let mut tx = spend(&mut wallet)?;
            tx.input.push(tx.input[0].clone());
            let block = block_of(&next, coinbase(&next), vec![tx]);
            reject(node, &block, "bad-txns-inputs-duplicate", None)?;

            // A null prevout beside a real one (alone, it would make a coinbase).
            let mut tx = spend(&mut wallet)?;
            let mut null = tx.input[0].clone();
            null.previous_output = OutPoint::null();
            tx.input.push(null);
            let block = block_of(&next, coinbase(&next), vec![tx]);
            reject(node, &block, "bad-txns-prevout-null", None)?;

            // Legacy sigops: 20,001 OP_CHECKSIGs, and 1,001 OP_CHECKMULTISIGs (20 each).
            for (opcode, n) in [
                (OP_CHECKSIG.to_u8(), MAX_BLOCK_SIGOPS + 1),
                (OP_CHECKMULTISIG.to_u8(), MAX_BLOCK_SIGOPS / 20 + 1),
            ] {
                let mut tx = spend(&mut wallet)?;
                tx.output[0].script_pubkey = repeated(opcode, n);
                let block = block_of(&next, coinbase(&next), vec![tx]);
                assert!(get_legacy_sigopcount_block(&block, false) > MAX_BLOCK_SIGOPS);
                reject(node, &block, "bad-blk-sigops", None)?;
            }

            // The block that shares the mutated one's hash is accepted, and then one
            // of exactly 20,000 sigops; of the refused blocks, only the header
            // submitted alone is listed.
            accept(node, &kept)?;
            let next = next_block(node)?;
            let mut tx = spend(&mut wallet)?;
            tx.output[0].script_pubkey = repeated(OP_CHECKSIG.to_u8(), MAX_BLOCK_SIGOPS);
            let block = block_of(&next, coinbase(&next), vec![tx]);
            assert_eq!(get_legacy_sigopcount_block(&block, false), MAX_BLOCK_SIGOPS);
            accept(node, &block)?;
            expect_tips(
                node,
                vec![
                    tip_json(block.block_hash(), tip.height + 2, 0, "active"),
                    tip_json(bad_root, tip.height + 1, 1, "headers-only"),
                ],
            )?;
            Ok(())
        });
}

// ---------------------------------------------------------------------------------
// ContextualCheckBlock: finality, BIP34, witness commitments, weight
// ---------------------------------------------------------------------------------

/// Core's `ContextualCheckBlock`: non-final transactions (a height locktime, BIP113's
/// time locktime against the median time past, a non-final coinbase), BIP34's height,
/// the witness commitment (`bad-witness-nonce-size`, `bad-witness-merkle-match`,
/// `unexpected-witness`) and the weight. The block's header has joined the block tree by
/// then: consensus failures mark it `invalid` (`duplicate-invalid` when sent again,
/// `bad-prevblk` for its children), while the witness mutations leave a `headers-only`
/// tip that the same block with the right witness still fills.
#[test]
fn blocks_failing_contextual_checks_get_cores_reasons() {
    TestFramework::new("blocks_failing_contextual_checks_get_cores_reasons")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let tip = chain_tip(node)?;
            let next = next_block(node)?;

            // A locktime at a height above the block's, with a non-final sequence.
            let tx = wallet
                .create_self_transfer(&SelfTransferOptions {
                    locktime: absolute::LockTime::from_height(1000)?,
                    ..SelfTransferOptions::default()
                })?
                .tx;
            let nonfinal = block_of(&next, coinbase(&next), vec![tx]);
            reject(node, &nonfinal, "bad-txns-nonfinal", Some("invalid"))?;
            assert_eq!(submit_block(node, &nonfinal)?, json!("duplicate-invalid"));
            expect_tip(
                node,
                nonfinal.block_hash(),
                Some(("invalid", next.height, 1)),
            )?;
            // A child of the invalid block: its header and the block are refused.
            let after = next.after(&nonfinal);
            let child = block_of(&after, coinbase(&after), vec![]);
            reject_header(node, &child.header, -25, "bad-prevblk")?;
            let answer = submit_block(node, &child)?;
            assert_eq!(answer, json!("bad-prevblk"));
            assert_eq!(best(node)?, tip.hash);
            expect_tip(node, child.block_hash(), None)?;

            // BIP113: a time locktime at the median time past is not final, though the
            // block's own time is past it.
            assert!(tip.median_time < next.time);
            let tx = wallet
                .create_self_transfer(&SelfTransferOptions {
                    locktime: absolute::LockTime::from_time(tip.median_time)?,
                    ..SelfTransferOptions::default()
                })?
                .tx;
            let block = block_of(&next, coinbase(&next), vec![tx]);
            reject(node, &block, "bad-txns-nonfinal", Some("invalid"))?;

            // A non-final coinbase (Core's b63).
            let mut cb = coinbase(&next);
            cb.lock_time = absolute::LockTime::from_consensus(0xffff_ffff);
            cb.input[0].sequence = Sequence(0xdead_beef);
            let block = block_of(&next, cb, vec![]);
            reject(node, &block, "bad-txns-nonfinal", Some("invalid"))?;

            // BIP34: the coinbase must start with the block's height.
            let cb = create_coinbase_with(
                next.height,
                &CoinbaseOptions {
                    script_sig: Some(script_bip34_coinbase_height(next.height + 1)),
                    ..CoinbaseOptions::default()
                },
            );
            let block = block_of(&next, cb, vec![]);
            reject(node, &block, "bad-cb-height", Some("invalid"))?;

            // The coinbase's witness must be one 32-byte item (p2p_segwit.py). The
            // witness is not in the hash: the same block with one item is good.
            let nonce_size_tx = spend(&mut wallet)?;
            let good_nonce = block_of(&next, coinbase(&next), vec![nonce_size_tx]);
            let mut block = good_nonce.clone();
            block.txdata[0].input[0].witness.push([1u8]);
            assert_eq!(block.block_hash(), good_nonce.block_hash());
            reject(node, &block, "bad-witness-nonce-size", Some("headers-only"))?;

            // A commitment made with nonce 1 while the coinbase's witness holds 0 (or
            // none: submitblock then adds the zero nonce itself, as Core's).
            let merkle_tx = spend(&mut wallet)?;
            let mut good_commitment = create_block(
                next.prev,
                coinbase(&next),
                next.time,
                None,
                vec![merkle_tx],
                None,
            );
            add_witness_commitment(&mut good_commitment, 1);
            solve(&mut good_commitment);
            let mut block = good_commitment.clone();
            block.txdata[0].input[0].witness = Witness::from_slice(&[witness_nonce_bytes(0)]);
            reject(
                node,
                &block,
                "bad-witness-merkle-match",
                Some("headers-only"),
            )?;
            block.txdata[0].input[0].witness = Witness::new();
            reject(
                node,
                &block,
                "bad-witness-merkle-match",
                Some("headers-only"),
            )?;

            // Witness data in a block without a commitment.
            let mut block = create_block(
                next.prev,
                coinbase(&next),
                next.time,
                None,
                vec![spend(&mut wallet)?],
                None,
            );
            solve(&mut block);
            reject(node, &block, "unexpected-witness", Some("headers-only"))?;

            // Weight: a taproot annex brings the block to MAX_BLOCK_WEIGHT + 1 while its
            // stripped size stays small (p2p_segwit.py's bad-blk-weight, not
            // CheckBlock's bad-blk-length).
            let heavy_tx = spend(&mut wallet)?;
            let heavy = |len: usize| with_annex(&next, &heavy_tx, len);
            let weigh = |b: &Block| b.weight().to_wu() as usize;
            let block = grow_to(MAX_BLOCK_WEIGHT - 2000, MAX_BLOCK_WEIGHT + 1, heavy, weigh)?;
            assert!(stripped_size(&block) * 4 <= MAX_BLOCK_WEIGHT);
            reject(node, &block, "bad-blk-weight", Some("invalid"))?;

            // The mutated blocks were not marked invalid: the one with the right
            // witness is accepted under the same hash, and the other, now a rival of
            // the tip with as much work, is stored but not connected (Core ranks
            // equal-work blocks by when their block arrived, not their header).
            let mut fixed = good_commitment.clone();
            fixed.txdata[0].input[0].witness = Witness::from_slice(&[witness_nonce_bytes(1)]);
            accept(node, &fixed)?;
            assert_eq!(submit_block(node, &good_nonce)?, json!("inconclusive"));
            expect_tip(
                node,
                good_nonce.block_hash(),
                Some(("valid-headers", next.height, 1)),
            )?;

            // And a block of exactly MAX_BLOCK_WEIGHT is accepted.
            let next = next_block(node)?;
            let heavy = |len: usize| with_annex(&next, &heavy_tx, len);
            let block = grow_to(MAX_BLOCK_WEIGHT - 2000, MAX_BLOCK_WEIGHT, heavy, weigh)?;
            accept(node, &block)?;
            Ok(())
        });
}

// ---------------------------------------------------------------------------------
// ConnectBlock: the UTXO set
// ---------------------------------------------------------------------------------

/// Core's `ConnectBlock`: missing and double-spent inputs, an immature coinbase, outputs
/// over inputs, the coinbase over subsidy and fees, BIP68 relative locks (blocks and
/// time), BIP30 (a transaction again while its outputs are unspent: regtest always
/// checks it) and the sigop cost with witness sigops. Each refused block is left an
/// `invalid` tip.
#[test]
fn blocks_failing_to_connect_get_cores_reasons() {
    TestFramework::new("blocks_failing_to_connect_get_cores_reasons")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let next = next_block(node)?;

            // An input no transaction made (Core's b70).
            let mut tx = spend(&mut wallet)?;
            tx.input[0].previous_output = OutPoint::new(Txid::from_byte_array([0x5c; 32]), 0);
            let block = block_of(&next, coinbase(&next), vec![tx]);
            reject(
                node,
                &block,
                "bad-txns-inputs-missingorspent",
                Some("invalid"),
            )?;
            assert_eq!(submit_block(node, &block)?, json!("duplicate-invalid"));

            // Two transactions spending the same coin.
            let first = spend(&mut wallet)?;
            let mut second = first.clone();
            second.output[0].value -= Amount::from_sat(1);
            let block = block_of(&next, coinbase(&next), vec![first, second]);
            reject(
                node,
                &block,
                "bad-txns-inputs-missingorspent",
                Some("invalid"),
            )?;

            // A coinbase of block 199 in block 200.
            let tip = wallet.tip_height();
            let immature = wallet
                .utxos()
                .iter()
                .filter(|u| !u.is_mature(tip))
                .max_by_key(|u| u.height)
                .cloned()
                .context("an immature coinbase")?;
            let tx = wallet
                .create_self_transfer(&SelfTransferOptions {
                    utxo: Some(immature),
                    ..SelfTransferOptions::default()
                })?
                .tx;
            let block = block_of(&next, coinbase(&next), vec![tx]);
            reject(
                node,
                &block,
                "bad-txns-premature-spend-of-coinbase",
                Some("invalid"),
            )?;

            // Outputs worth one satoshi more than the input.
            let transfer = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let mut tx = transfer.tx.clone();
            tx.output[0].value = transfer.spent[0].value + Amount::from_sat(1);
            let block = block_of(&next, coinbase(&next), vec![tx]);
            reject(node, &block, "bad-txns-in-belowout", Some("invalid"))?;

            // A coinbase claiming one satoshi over subsidy and fees (Core's b68).
            let transfer = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let greedy = create_coinbase(next.height, None, transfer.fee + Amount::from_sat(1));
            assert_eq!(
                greedy.output[0].value,
                block_subsidy(next.height) + transfer.fee + Amount::from_sat(1)
            );
            let block = block_of(&next, greedy, vec![transfer.tx.clone()]);
            reject(node, &block, "bad-cb-amount", Some("invalid"))?;

            // BIP68: relative locks of 65535 blocks and of 65535 * 512 seconds.
            for sequence in [0xffff, SEQUENCE_LOCKTIME_TYPE_FLAG | 0xffff] {
                let tx = wallet
                    .create_self_transfer(&SelfTransferOptions {
                        sequence: Sequence(sequence),
                        ..SelfTransferOptions::default()
                    })?
                    .tx;
                assert_eq!(tx.version, TxVersion::TWO);
                let block = block_of(&next, coinbase(&next), vec![tx]);
                reject(node, &block, "bad-txns-nonfinal", Some("invalid"))?;
            }

            // A block the node accepts, claiming its fees exactly: a transfer, and a
            // payment to a P2WSH script with one sigop that succeeds without a key
            // (`OP_0 OP_0 OP_CHECKSIG OP_NOT`).
            let witness_script = Builder::new()
                .push_opcode(OP_PUSHBYTES_0)
                .push_opcode(OP_PUSHBYTES_0)
                .push_opcode(OP_CHECKSIG)
                .push_opcode(OP_NOT)
                .into_script();
            let transfer = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let to_script = wallet.create_send_to(
                ScriptBuf::new_p2wsh(&witness_script.wscript_hash()),
                Amount::from_int_btc(1),
                Amount::from_sat(1000),
            )?;
            let fees = transfer.fee + to_script.fee;
            let good = block_of(
                &next,
                create_coinbase(next.height, None, fees),
                vec![transfer.tx.clone(), to_script.tx.clone()],
            );
            accept(node, &good)?;

            // BIP30: the transfer again, its output still unspent.
            let next = next_block(node)?;
            let block = block_of(&next, coinbase(&next), vec![transfer.tx.clone()]);
            reject(node, &block, "bad-txns-BIP30", Some("invalid"))?;

            // Sigop cost: 20,000 legacy sigops pass CheckBlock (cost 80,000), and the
            // witness script's one sigop brings the cost over 80,000 in ConnectBlock.
            let p2wsh = OutPoint::new(to_script.txid, 1);
            let spend_p2wsh = |legacy: usize| {
                let mut tx = create_tx_with_script(
                    &to_script.tx,
                    1,
                    ScriptBuf::new(),
                    Amount::from_int_btc(1) - Amount::from_sat(1000),
                    Some(repeated(OP_CHECKSIG.to_u8(), legacy)),
                );
                assert_eq!(tx.input[0].previous_output, p2wsh);
                tx.input[0].witness = Witness::from_slice(&[witness_script.to_bytes()]);
                block_of(&next, coinbase(&next), vec![tx])
            };
            let block = spend_p2wsh(MAX_BLOCK_SIGOPS);
            assert_eq!(get_legacy_sigopcount_block(&block, false), MAX_BLOCK_SIGOPS);
            reject(node, &block, "bad-blk-sigops", Some("invalid"))?;
            // One legacy sigop less: accepted.
            accept(node, &spend_p2wsh(MAX_BLOCK_SIGOPS - 1))?;
            Ok(())
        });
}

/// BIP30 as Core's feature_block.py tests it: with BIP34 active from height 2
/// (`-testactivationheight=bip34@2`), block 1's coinbase can push 120, so block 120
/// can repeat it: refused while block 1's coin is unspent, accepted on a branch that
/// spends it first.
#[test]
fn a_repeated_coinbase_breaks_bip30_until_spent() {
    TestFramework::new("a_repeated_coinbase_breaks_bip30_until_spent")
        .num_nodes(1)
        .setup_clean_chain(true)
        .extra_args([vec!["-testactivationheight=bip34@2"]])
        .run(|t| {
            let node = t.node(0);
            // Block 1: a coinbase whose scriptSig pushes 120 (Core's
            // DUPLICATE_COINBASE_SCRIPT_SIG), no witness commitment.
            let first = next_block(node)?;
            let duplicate = create_coinbase_with(
                first.height,
                &CoinbaseOptions {
                    script_sig: Some(ScriptBuf::from_bytes(vec![0x01, 0x78])),
                    ..CoinbaseOptions::default()
                },
            );
            let plain = |t: &BlockTemplateInfo, cb: Transaction, txs: Vec<Transaction>| {
                let mut block = create_block(t.prev, cb, t.time, None, txs, None);
                solve(&mut block);
                block
            };
            accept(node, &plain(&first, duplicate.clone(), vec![]))?;
            node.call(
                "generatetoaddress",
                json!([117, ADDRESS_BCRT1_P2TR_OP_TRUE]),
            )?;
            let fork = chain_tip(node)?;
            assert_eq!(fork.height, 118);
            node.call("generatetoaddress", json!([1, ADDRESS_BCRT1_P2TR_OP_TRUE]))?;

            // Block 120 with the very same coinbase.
            let next = next_block(node)?;
            let repeated_block = plain(&next, duplicate.clone(), vec![]);
            assert_eq!(repeated_block.txdata[0], duplicate);
            reject(node, &repeated_block, "bad-txns-BIP30", Some("invalid"))?;
            let coin = OutPoint::new(duplicate.compute_txid(), 0);
            assert_eq!(txout(node, coin)?["confirmations"], json!(119));

            // A branch from 118 spending block 1's coinbase, then repeating it at 120.
            let branch = BlockTemplateInfo {
                prev: fork.hash,
                height: 119,
                time: next.time,
                median_time_past: next.median_time_past,
            };
            let spend_it = create_tx_with_script(
                &duplicate,
                0,
                ScriptBuf::new(),
                Amount::from_int_btc(49),
                Some(op_true_script()),
            );
            let block_119 = plain(
                &branch,
                create_coinbase(119, None, Amount::ZERO),
                vec![spend_it],
            );
            assert_eq!(submit_block(node, &block_119)?, json!("inconclusive"));
            let after = branch.after(&block_119);
            let block_120 = plain(&after, duplicate.clone(), vec![]);
            accept(node, &block_120)?;
            assert_eq!(txout(node, coin)?["confirmations"], json!(1));
            expect_tips(
                node,
                vec![
                    tip_json(block_120.block_hash(), 120, 0, "active"),
                    tip_json(repeated_block.block_hash(), 120, 2, "invalid"),
                ],
            )?;
            Ok(())
        });
}

// ---------------------------------------------------------------------------------
// Scripts
// ---------------------------------------------------------------------------------

/// The 64-byte signature of `tx`'s taproot key-path spend of `prevout` (input 0) by
/// `keypair` (already tweaked).
fn schnorr_witness(tx: &Transaction, prevout: &TxOut, keypair: &Keypair) -> Result<Vec<u8>> {
    let secp = Secp256k1::new();
    let sighash = SighashCache::new(tx).taproot_key_spend_signature_hash(
        0,
        &Prevouts::All(&[prevout]),
        TapSighashType::Default,
    )?;
    let msg = Message::from_digest(sighash.to_byte_array());
    Ok(secp
        .sign_schnorr_no_aux_rand(&msg, keypair)
        .serialize()
        .to_vec())
}

/// Script failures give Core's `block-script-verify-flag-failed (<script error>)`: CLTV
/// (feature_cltv.py's unsatisfied and negative locktimes, an empty stack), CSV
/// (feature_csv_activation.py), a taproot key-path spend with a bad Schnorr signature
/// (and ones of a bad size and hash type), and a non-DER ECDSA signature
/// (feature_dersig.py). Each refused block is left `invalid`; the same spends done
/// right are then accepted together.
#[test]
fn script_failures_get_cores_script_errors() {
    TestFramework::new("script_failures_get_cores_script_errors")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let secp = Secp256k1::new();
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let mut p2pk = MiniWallet::new(MiniWalletMode::RawP2pk);
            let secret = SecretKey::from_slice(&[0x42; 32])?;
            let keypair = Keypair::from_secret_key(&secp, &secret);
            let (internal, _) = keypair.x_only_public_key();
            let tweaked = keypair.tap_tweak(&secp, None).to_keypair();

            // The coins: two bare OP_TRUE outputs (for CLTV and CSV in the scriptSig,
            // as Core's tests do), a taproot key-path output and a P2PK one.
            let coin = wallet.get_utxo(&UtxoQuery::default())?;
            let one = Amount::from_int_btc(1);
            let fee = Amount::from_sat(10_000);
            let outputs = [
                op_true_script(),
                op_true_script(),
                ScriptBuf::new_p2tr(&secp, internal, None),
                p2pk.script_pubkey().clone(),
            ];
            let mut funding = Transaction {
                version: TxVersion::TWO,
                lock_time: absolute::LockTime::ZERO,
                input: vec![TxIn {
                    previous_output: coin.outpoint,
                    script_sig: ScriptBuf::new(),
                    sequence: Sequence::ZERO,
                    witness: Witness::new(),
                }],
                output: outputs
                    .iter()
                    .map(|script| TxOut {
                        value: one,
                        script_pubkey: script.clone(),
                    })
                    .collect(),
            };
            funding.output.push(TxOut {
                value: coin.value - one * 4 - fee,
                script_pubkey: wallet.script_pubkey().clone(),
            });
            wallet.sign_tx(&mut funding, &[coin.txout()])?;
            let next = next_block(node)?;
            accept(
                node,
                &block_of(
                    &next,
                    create_coinbase(next.height, None, fee),
                    vec![funding.clone()],
                ),
            )?;
            let next = next_block(node)?;
            let value = one - Amount::from_sat(1000);
            let spend_of = |vout: u32, script_sig: ScriptBuf| {
                create_tx_with_script(&funding, vout, script_sig, value, Some(op_true_script()))
            };
            let refuse = |tx: Transaction, error: &str| -> Result<()> {
                let block = block_of(&next, coinbase(&next), vec![tx]);
                let reason = format!("block-script-verify-flag-failed ({error})");
                reject(node, &block, &reason, Some("invalid"))
            };

            // CLTV: a locktime of 1000 with the transaction's at 0; a negative one; and
            // no argument at all.
            let cltv = |arg: Option<i64>, locktime: u32| {
                let mut builder = Builder::new();
                builder = match arg {
                    Some(-1) => builder.push_opcode(OP_PUSHNUM_NEG1),
                    Some(n) => builder.push_int(n),
                    None => builder,
                };
                let script_sig = builder
                    .push_opcode(OP_CLTV)
                    .push_opcode(OP_DROP)
                    .into_script();
                let mut tx = spend_of(0, script_sig);
                tx.input[0].sequence = Sequence::ZERO;
                tx.lock_time = absolute::LockTime::from_consensus(locktime);
                tx
            };
            refuse(cltv(Some(1000), 0), "Locktime requirement not satisfied")?;
            refuse(cltv(Some(-1), 0), "Negative locktime")?;
            refuse(
                cltv(None, 0),
                "Operation not valid with the current stack size",
            )?;

            // CSV: a relative lock of 10 blocks with the input's sequence at 0.
            let csv = |arg: i64, sequence: u32| {
                let script_sig = Builder::new()
                    .push_int(arg)
                    .push_opcode(OP_CSV)
                    .push_opcode(OP_DROP)
                    .into_script();
                let mut tx = spend_of(1, script_sig);
                tx.input[0].sequence = Sequence(sequence);
                tx
            };
            refuse(csv(10, 0), "Locktime requirement not satisfied")?;

            // Taproot key path: a signature with a flipped bit, one byte short, and
            // with an explicit SIGHASH_DEFAULT byte (which only the 64-byte form may
            // mean).
            let taproot = spend_of(2, ScriptBuf::new());
            let good_sig = schnorr_witness(&taproot, &funding.output[2], &tweaked)?;
            let with_sig = |sig: Vec<u8>| {
                let mut tx = taproot.clone();
                tx.input[0].witness = Witness::from_slice(&[sig]);
                tx
            };
            let mut flipped = good_sig.clone();
            flipped[63] ^= 1;
            refuse(with_sig(flipped), "Invalid Schnorr signature")?;
            refuse(
                with_sig(good_sig[..63].to_vec()),
                "Invalid Schnorr signature size",
            )?;
            let mut explicit_default = good_sig.clone();
            explicit_default.push(0);
            refuse(
                with_sig(explicit_default),
                "Invalid Schnorr signature hash type",
            )?;

            // P2PK with a signature that is not strict DER: a zero byte before the
            // sighash byte (feature_dersig.py's unDERify).
            p2pk.add_utxo(Utxo {
                outpoint: OutPoint::new(funding.compute_txid(), 3),
                value: one,
                height: next.height - 1,
                coinbase: false,
                script_pubkey: p2pk.script_pubkey().clone(),
            });
            let signed: SelfTransfer = p2pk.create_self_transfer(&SelfTransferOptions::default())?;
            let sig = signed.tx.input[0]
                .script_sig
                .instructions()
                .next()
                .context("a signature push")??
                .push_bytes()
                .context("a push")?
                .as_bytes()
                .to_vec();
            let mut not_der = sig[..sig.len() - 1].to_vec();
            not_der.push(0);
            not_der.push(sig[sig.len() - 1]);
            let mut tx = signed.tx.clone();
            tx.input[0].script_sig = Builder::new()
                .push_slice(PushBytesBuf::try_from(not_der)?)
                .into_script();
            refuse(tx, "Non-canonical DER signature")?;

            // The same spends done right, in one block.
            let mut cltv_ok = cltv(Some(i64::from(next.height) - 1), next.height - 1);
            cltv_ok.input[0].sequence = Sequence::ZERO;
            let block = block_of(
                &next,
                coinbase(&next),
                vec![cltv_ok, csv(1, 1), with_sig(good_sig), signed.tx.clone()],
            );
            accept(node, &block)?;
            ensure!(
                txout(node, OutPoint::new(funding.compute_txid(), 2))?.is_null(),
                "the taproot coin is spent"
            );
            Ok(())
        });
}

// ---------------------------------------------------------------------------------
// Chain selection
// ---------------------------------------------------------------------------------

/// Calls `method` (`invalidateblock`, `reconsiderblock`, `preciousblock`) on `hash`,
/// which answers null.
fn call_on(node: &TestNode, method: &str, hash: BlockHash) -> Result<()> {
    let answer = node.call(method, json!([hash.to_string()]))?;
    ensure!(answer.is_null(), "{method} {hash} answered {answer}");
    Ok(())
}

/// Reorgs by `submitblock`, equal-work rivals (the first received stays:
/// `inconclusive`), `preciousblock` switching between equal-work tips,
/// `invalidateblock` and `reconsiderblock` (descendants and ancestors, the genesis
/// block, unknown blocks), and `getchaintips`' statuses and branch lengths along the
/// way, as rpc_preciousblock.py, rpc_invalidateblock.py and rpc_getchaintips.py.
///
/// ```text
/// 199 ── a1 (x) ── a2
///    └── b1 ────── b2 ── b3
/// ```
#[test]
fn chain_selection_follows_cores() {
    TestFramework::new("chain_selection_follows_cores")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let genesis = parse_block_hash(&node.call("getblockhash", json!([0]))?)?;
            let root = chain_tip(node)?;
            let next = next_block(node)?;
            // Branch b's coinbases pay OP_2, so no transaction of one branch is in
            // the other.
            let op_2 = ScriptBuf::from_bytes(vec![0x52]);

            // a1 spends a coin of block 76 in x.
            let x = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let coin = x.spent[0].clone();
            let x_out = OutPoint::new(x.txid, 0);
            let a1 = next.build(None, Amount::ZERO, vec![x.tx.clone()]);
            accept(node, &a1)?;
            assert_eq!(txout(node, x_out)?["confirmations"], json!(1));
            assert_eq!(txout(node, coin.outpoint)?, Value::Null);

            // b1, as much work: stored, not connected; the first received stays.
            let b1 = next.build(Some(op_2.clone()), Amount::ZERO, vec![]);
            assert_eq!(submit_block(node, &b1)?, json!("inconclusive"));
            assert_eq!(best(node)?, a1.block_hash());
            expect_tips(
                node,
                vec![
                    tip_json(a1.block_hash(), 200, 0, "active"),
                    tip_json(b1.block_hash(), 200, 1, "valid-headers"),
                ],
            )?;

            // b2 makes branch b longer: a reorg. x leaves the chain and the coin it
            // spent comes back.
            let b2 = next
                .after(&b1)
                .build(Some(op_2.clone()), Amount::ZERO, vec![]);
            accept(node, &b2)?;
            assert_eq!(txout(node, x_out)?, Value::Null);
            let back = txout(node, coin.outpoint)?;
            assert_eq!(back["confirmations"], json!(201 + 1 - coin.height));
            assert_eq!(back["coinbase"], json!(true));
            expect_tips(
                node,
                vec![
                    tip_json(b2.block_hash(), 201, 0, "active"),
                    tip_json(a1.block_hash(), 200, 1, "valid-fork"),
                ],
            )?;
            assert_eq!(submit_block(node, &a1)?, json!("duplicate"));
            assert_eq!(submit_block(node, &b1)?, json!("duplicate"));

            // a2 brings branch a level with b: stored, not connected.
            let a2 = next.after(&a1).build(None, Amount::ZERO, vec![]);
            assert_eq!(submit_block(node, &a2)?, json!("inconclusive"));
            assert_eq!(best(node)?, b2.block_hash());
            expect_tips(
                node,
                vec![
                    tip_json(b2.block_hash(), 201, 0, "active"),
                    tip_json(a2.block_hash(), 201, 2, "valid-headers"),
                ],
            )?;

            // preciousblock switches between the equal-work tips, both ways.
            call_on(node, "preciousblock", a2.block_hash())?;
            assert_eq!(best(node)?, a2.block_hash());
            assert_eq!(txout(node, x_out)?["confirmations"], json!(2));
            expect_tips(
                node,
                vec![
                    tip_json(a2.block_hash(), 201, 0, "active"),
                    tip_json(b2.block_hash(), 201, 2, "valid-fork"),
                ],
            )?;
            call_on(node, "preciousblock", b2.block_hash())?;
            assert_eq!(best(node)?, b2.block_hash());
            call_on(node, "preciousblock", a2.block_hash())?;
            assert_eq!(best(node)?, a2.block_hash());
            // A block with less work than the tip changes nothing.
            call_on(node, "preciousblock", b1.block_hash())?;
            assert_eq!(best(node)?, a2.block_hash());

            // b3's header alone: more work, but no block to connect.
            let b3 = next
                .after(&b1)
                .after(&b2)
                .build(Some(op_2.clone()), Amount::ZERO, vec![]);
            let header = serialize_hex(&b3.header);
            assert_eq!(node.call("submitheader", json!([header]))?, Value::Null);
            assert_eq!(best(node)?, a2.block_hash());
            expect_tips(
                node,
                vec![
                    tip_json(a2.block_hash(), 201, 0, "active"),
                    tip_json(b3.block_hash(), 202, 3, "headers-only"),
                ],
            )?;

            // Invalidating the tip: the most-work branch with blocks, b, takes over.
            call_on(node, "invalidateblock", a2.block_hash())?;
            assert_eq!(best(node)?, b2.block_hash());
            assert_eq!(txout(node, x_out)?, Value::Null);
            expect_tips(
                node,
                vec![
                    tip_json(b2.block_hash(), 201, 0, "active"),
                    tip_json(b3.block_hash(), 202, 1, "headers-only"),
                    tip_json(a2.block_hash(), 201, 2, "invalid"),
                ],
            )?;
            // A block on the invalid one is refused.
            let after_a2 = next.after(&a1).after(&a2);
            let a3 = after_a2.build(None, Amount::ZERO, vec![]);
            reject_header(node, &a3.header, -25, "bad-prevblk")?;

            // b3's block arrives; a2, reconsidered, is a valid fork with less work.
            accept(node, &b3)?;
            call_on(node, "reconsiderblock", a2.block_hash())?;
            assert_eq!(best(node)?, b3.block_hash());
            expect_tips(
                node,
                vec![
                    tip_json(b3.block_hash(), 202, 0, "active"),
                    tip_json(a2.block_hash(), 201, 2, "valid-fork"),
                ],
            )?;

            // Invalidating an ancestor of a side tip marks the tip invalid too.
            call_on(node, "invalidateblock", a1.block_hash())?;
            expect_tip(node, a2.block_hash(), Some(("invalid", 201, 2)))?;
            call_on(node, "reconsiderblock", a1.block_hash())?;
            expect_tip(node, a2.block_hash(), Some(("valid-fork", 201, 2)))?;

            // Invalidating an ancestor of the tip: back to branch a; reconsidering
            // the old tip reconsiders its ancestors too.
            call_on(node, "invalidateblock", b1.block_hash())?;
            assert_eq!(best(node)?, a2.block_hash());
            assert_eq!(txout(node, x_out)?["confirmations"], json!(2));
            expect_tips(
                node,
                vec![
                    tip_json(a2.block_hash(), 201, 0, "active"),
                    tip_json(b3.block_hash(), 202, 3, "invalid"),
                ],
            )?;
            call_on(node, "reconsiderblock", b3.block_hash())?;
            assert_eq!(best(node)?, b3.block_hash());

            // Unknown blocks and malformed hashes.
            for method in ["invalidateblock", "reconsiderblock", "preciousblock"] {
                let unknown = "00".repeat(32);
                assert_eq!(
                    rpc_error(node.call(method, json!([unknown])))?,
                    (-5, "Block not found".to_owned()),
                    "{method}"
                );
                assert_eq!(
                    rpc_error(node.call(method, json!(["foo"])))?,
                    (
                        -8,
                        "blockhash must be of length 64 (not 3, for 'foo')".to_owned()
                    ),
                    "{method}"
                );
                let not_hex = "zz".repeat(32);
                assert_eq!(
                    rpc_error(node.call(method, json!([not_hex])))?,
                    (
                        -8,
                        format!("blockhash must be hexadecimal string (not '{not_hex}')")
                    ),
                    "{method}"
                );
            }

            // The genesis block cannot be invalidated: nothing happens.
            call_on(node, "invalidateblock", genesis)?;
            assert_eq!(best(node)?, b3.block_hash());
            expect_tips(
                node,
                vec![
                    tip_json(b3.block_hash(), 202, 0, "active"),
                    tip_json(a2.block_hash(), 201, 2, "valid-fork"),
                ],
            )?;
            assert_eq!(root.height, 199);

            // Among equal-work blocks, the one whose block (not header) arrived first
            // stays: c4's header comes before d4's block, yet d4 stays the tip when
            // c4's block follows.
            let after_b3 = next.after(&b1).after(&b2).after(&b3);
            let c4 = after_b3.build(None, Amount::ZERO, vec![]);
            let d4 = after_b3.build(Some(op_2.clone()), Amount::ZERO, vec![]);
            let header = serialize_hex(&c4.header);
            assert_eq!(node.call("submitheader", json!([header]))?, Value::Null);
            accept(node, &d4)?;
            expect_tip(node, c4.block_hash(), Some(("headers-only", 203, 1)))?;
            assert_eq!(submit_block(node, &c4)?, json!("inconclusive"));
            assert_eq!(best(node)?, d4.block_hash());
            expect_tip(node, c4.block_hash(), Some(("valid-headers", 203, 1)))?;
            Ok(())
        });
}
