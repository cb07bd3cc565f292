//! Block information: `getblockstats` of blocks holding MiniWallet transactions is
//! Core's field for field, `gettxoutproof` gives Core's proofs byte for byte and
//! `verifytxoutproof` reads them back, `getdeploymentinfo` reports the deployments as
//! Core does along the cached chain, `getindexinfo` lists no index, and `scantxoutset`
//! finds the MiniWallet's coins; every refusal with Core's code and message. The clock
//! is fixed with `setmocktime`, so the blocks mined here are the same on every node.

use serde_json::{Value, json};
use umkoin_harness::bitcoin::hashes::Hash;
use umkoin_harness::bitcoin::opcodes::all::OP_RETURN;
use umkoin_harness::bitcoin::{Amount, ScriptBuf};
use umkoin_harness::miniwallet::{
    ADDRESS_BCRT1_P2TR_OP_TRUE, SelfTransfer, SelfTransferMultiOptions, SelfTransferOptions,
};
use umkoin_harness::{MiniWallet, MiniWalletMode, RpcError, TestFramework, TestNode};
use umkoin_interfaces::rpc::code;

/// The clock of the blocks mined here: later than the cached chain's.
const MOCK_TIME: u64 = 1_700_000_000;

/// A regtest P2WPKH address (key 1) to mine to.
const P2WPKH: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

/// The compressed public key of private key 1.
const KEY_ONE: &str = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

/// Core's hashes of the two blocks [`scenario`] mines.
const FUNDING_BLOCK: &str = "721885eb4ba988f4cef161b50d6e4dd97bbe1028b0ef12a23731c64a15854b41";
const BLOCK: &str = "1fcafd2e63fce4059f645d3bf9396736bea4e1af599cc4db5b74ad20800417c3";

/// The cached chain's block 1.
const BLOCK_1: &str = "7e41e16ed77893c1e4da8f926506d6a2c97eb627c37d7eecc8a83aad04436b67";

/// Fails unless `call` answers the RPC error `code` with exactly `message`.
fn assert_rpc_error<T: std::fmt::Debug>(
    code: i64,
    message: &str,
    call: impl FnOnce() -> Result<T, RpcError>,
) -> anyhow::Result<()> {
    match call() {
        Err(RpcError::Rpc {
            code: got_code,
            message: got,
            ..
        }) => {
            anyhow::ensure!(
                (got_code, got.as_str()) == (code, message),
                "expected RPC error {code} {message:?}, got {got_code} {got:?}"
            );
            Ok(())
        }
        other => anyhow::bail!("expected RPC error {code} {message:?}, got {other:?}"),
    }
}

/// Fails unless `call` answers Core's argument type error naming `position`.
fn assert_type_check<T: std::fmt::Debug>(
    position: &str,
    call: impl FnOnce() -> Result<T, RpcError>,
) -> anyhow::Result<()> {
    match call() {
        Err(RpcError::Rpc {
            code: c, message, ..
        }) if c == code::TYPE_ERROR
            && message.starts_with("Wrong type passed:")
            && message.contains(position) =>
        {
            Ok(())
        }
        other => anyhow::bail!("expected the type check of {position}, got {other:?}"),
    }
}

/// What [`scenario`] made.
struct Scenario {
    /// The OP_TRUE wallet, rescanned after the last block.
    wallet: MiniWallet,
    /// The transfers of [`BLOCK`], in the order sent: a self-transfer (t1), one at a
    /// higher fee rate (t2), one to three outputs (t3), a P2PK spend without witness
    /// (t4), a child of t1 spending its only output (t5).
    transfers: Vec<SelfTransfer>,
}

impl Scenario {
    fn txid(&self, i: usize) -> String {
        self.transfers[i].txid.to_string()
    }
}

/// On the cached chain, with the clock fixed: block 200 ([`FUNDING_BLOCK`]) pays a P2PK
/// wallet and an `OP_RETURN` output; block 201 ([`BLOCK`]) holds five transfers of
/// different sizes, fee rates and kinds. Both blocks pay [`P2WPKH`].
fn scenario(node: &TestNode) -> anyhow::Result<Scenario> {
    node.call("setmocktime", json!([MOCK_TIME]))?;
    let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
    let p2pk = MiniWallet::new(MiniWalletMode::RawP2pk);
    let fund = wallet.create_send_to(
        p2pk.script_pubkey().clone(),
        Amount::from_sat(100_000_000),
        Amount::from_sat(20_000),
    )?;
    wallet.sendrawtransaction(node, &fund.tx)?;
    let op_return = ScriptBuf::builder()
        .push_opcode(OP_RETURN)
        .push_slice([1u8, 2, 3])
        .into_script();
    let data = wallet.create_send_to(op_return, Amount::ZERO, Amount::from_sat(15_000))?;
    wallet.sendrawtransaction(node, &data.tx)?;
    let funding = node.call("generatetoaddress", json!([1, P2WPKH]))?;
    assert_eq!(funding, json!([FUNDING_BLOCK]));
    wallet.rescan(node)?;

    let mut p2pk = MiniWallet::with_node(node, MiniWalletMode::RawP2pk)?;
    let t1 = wallet.send_self_transfer(node, &SelfTransferOptions::default())?;
    let t2 = wallet.send_self_transfer(
        node,
        &SelfTransferOptions {
            fee_rate: Amount::from_sat(1_000_000),
            ..SelfTransferOptions::default()
        },
    )?;
    let t3 = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
        num_outputs: 3,
        ..SelfTransferMultiOptions::default()
    })?;
    wallet.sendrawtransaction(node, &t3.tx)?;
    let t4 = p2pk.send_self_transfer(node, &SelfTransferOptions::default())?;
    let t5 = wallet.send_self_transfer(
        node,
        &SelfTransferOptions {
            utxo: Some(t1.new_utxo().clone()),
            fee: Amount::from_sat(50_000),
            ..SelfTransferOptions::default()
        },
    )?;
    assert_eq!(
        node.call("generatetoaddress", json!([1, P2WPKH]))?,
        json!([BLOCK])
    );
    wallet.rescan(node)?;
    Ok(Scenario {
        wallet,
        transfers: vec![t1, t2, t3, t4, t5],
    })
}

/// An amount as Core writes it: coins with eight decimals.
fn btc(sat: u64) -> String {
    format!("{}.{:08}", sat / 100_000_000, sat % 100_000_000)
}

/// Core's statistics of [`BLOCK`].
fn block_stats() -> Value {
    json!({
        "avgfee": 47720,
        "avgfeerate": 356,
        "avgtxsize": 157,
        "blockhash": BLOCK,
        "feerate_percentiles": [15, 15, 300, 481, 1002],
        "height": 201,
        "ins": 5,
        "maxfee": 104000,
        "maxfeerate": 1002,
        "maxtxsize": 219,
        "medianfee": 50000,
        "mediantime": 1511512235,
        "mediantxsize": 133,
        "minfee": 3002,
        "minfeerate": 15,
        "mintxsize": 133,
        "outs": 9,
        "subsidy": 2500000000_u64,
        "swtotal_size": 618,
        "swtotal_weight": 2004,
        "swtxs": 4,
        "time": 1700000000,
        "total_out": 20099730198_u64,
        "total_size": 786,
        "total_weight": 2676,
        "totalfee": 238602,
        "txs": 6,
        "utxo_increase": 4,
        "utxo_size_inc": 328,
        "utxo_increase_actual": 3,
        "utxo_size_inc_actual": 240,
    })
}

/// Core's statistics of a block of a coinbase alone, or of none at all (genesis).
#[allow(clippy::too_many_arguments)]
fn empty_stats(
    hash: &str,
    height: u64,
    mediantime: u64,
    time: u64,
    outs: u64,
    subsidy: u64,
    utxo_size_inc: u64,
    actual: (u64, u64),
) -> Value {
    json!({
        "avgfee": 0,
        "avgfeerate": 0,
        "avgtxsize": 0,
        "blockhash": hash,
        "feerate_percentiles": [0, 0, 0, 0, 0],
        "height": height,
        "ins": 0,
        "maxfee": 0,
        "maxfeerate": 0,
        "maxtxsize": 0,
        "medianfee": 0,
        "mediantime": mediantime,
        "mediantxsize": 0,
        "minfee": 0,
        "minfeerate": 0,
        "mintxsize": 0,
        "outs": outs,
        "subsidy": subsidy,
        "swtotal_size": 0,
        "swtotal_weight": 0,
        "swtxs": 0,
        "time": time,
        "total_out": 0,
        "total_size": 0,
        "total_weight": 0,
        "totalfee": 0,
        "txs": 1,
        "utxo_increase": outs,
        "utxo_size_inc": utxo_size_inc,
        "utxo_increase_actual": actual.0,
        "utxo_size_inc_actual": actual.1,
    })
}

#[test]
fn getblockstats_are_cores() {
    TestFramework::new("getblockstats_are_cores")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            scenario(node)?;
            let stats = |p: Value| node.call("getblockstats", p);
            // Every statistic, by hash and by height.
            assert_eq!(stats(json!([BLOCK]))?, block_stats());
            assert_eq!(stats(json!([201]))?, block_stats());
            assert_eq!(
                node.call("getblockstats", json!({"hash_or_height": 201}))?,
                block_stats()
            );
            assert_eq!(
                stats(json!([200]))?,
                json!({
                    "avgfee": 17500,
                    "avgfeerate": 131,
                    "avgtxsize": 162,
                    "blockhash": FUNDING_BLOCK,
                    "feerate_percentiles": [127, 127, 135, 135, 135],
                    "height": 200,
                    "ins": 2,
                    "maxfee": 20000,
                    "maxfeerate": 135,
                    "maxtxsize": 177,
                    "medianfee": 17500,
                    "mediantime": 1511512235,
                    "mediantxsize": 162,
                    "minfee": 15000,
                    "minfeerate": 127,
                    "mintxsize": 147,
                    "outs": 6,
                    "subsidy": 2500000000_u64,
                    "swtotal_size": 324,
                    "swtotal_weight": 1062,
                    "swtxs": 2,
                    "time": 1700000000,
                    "total_out": 9999965000_u64,
                    "total_size": 324,
                    "total_weight": 1062,
                    "totalfee": 35000,
                    "txs": 3,
                    "utxo_increase": 4,
                    "utxo_size_inc": 300,
                    "utxo_increase_actual": 2,
                    "utxo_size_inc_actual": 157,
                })
            );
            // A block of its coinbase alone (with its witness commitment, unspendable).
            assert_eq!(
                stats(json!([1]))?,
                empty_stats(
                    BLOCK_1,
                    1,
                    1511512201,
                    1511512201,
                    2,
                    5_000_000_000,
                    163,
                    (1, 75)
                )
            );
            // The genesis block: its output is not in the UTXO set, and it has no undo.
            let genesis = node.call("getblockhash", json!([0]))?;
            assert_eq!(
                stats(json!([0]))?,
                empty_stats(
                    genesis.as_str().expect("a hash"),
                    0,
                    1511512200,
                    1511512200,
                    1,
                    5_000_000_000,
                    117,
                    (0, 0)
                )
            );
            // Selected statistics, by name order, each named once.
            assert_eq!(
                stats(json!([
                    201,
                    [
                        "utxo_size_inc",
                        "feerate_percentiles",
                        "avgfeerate",
                        "swtxs",
                        "swtxs"
                    ]
                ]))?,
                json!({
                    "avgfeerate": 356,
                    "feerate_percentiles": [15, 15, 300, 481, 1002],
                    "swtxs": 4,
                    "utxo_size_inc": 328,
                })
            );
            assert_eq!(
                stats(json!([BLOCK, ["medianfee"]]))?,
                json!({"medianfee": 50000})
            );
            assert_eq!(stats(json!([201, []]))?, block_stats());

            // Refusals.
            assert_rpc_error(
                code::INVALID_PARAMETER,
                "Invalid selected statistic 'bar'",
                || stats(json!([0, ["foo", "height", "bar"]])),
            )?;
            assert_rpc_error(
                code::INVALID_PARAMETER,
                "Target block height -1 is negative",
                || stats(json!([-1])),
            )?;
            assert_rpc_error(
                code::INVALID_PARAMETER,
                "Target block height 202 after current tip 201",
                || stats(json!([202])),
            )?;
            assert_rpc_error(code::MISC_ERROR, "JSON integer out of range", || {
                stats(json!([1.5]))
            })?;
            assert_rpc_error(
                code::TYPE_ERROR,
                "JSON value of type bool is not of expected type string",
                || stats(json!([true])),
            )?;
            assert_rpc_error(
                code::INVALID_PARAMETER,
                "hash_or_height must be of length 64 (not 2, for '00')",
                || stats(json!(["00"])),
            )?;
            assert_rpc_error(
                code::INVALID_PARAMETER,
                &format!(
                    "hash_or_height must be hexadecimal string (not '{}')",
                    "z".repeat(64)
                ),
                || stats(json!(["z".repeat(64)])),
            )?;
            assert_rpc_error(code::INVALID_ADDRESS_OR_KEY, "Block not found", || {
                stats(json!(["11".repeat(32)]))
            })?;
            assert_rpc_error(
                code::TYPE_ERROR,
                "JSON value of type number is not of expected type string",
                || stats(json!([0, [1]])),
            )?;
            assert_type_check("Position 2 (stats)", || stats(json!([0, "height"])))?;
            Ok(())
        });
}

/// Core's proofs of transfers of [`BLOCK`]: t2 alone, t2 with t4, t1, all five.
const PROOF_T2: &str = "00000030414b85154ac63137a212efb02810be7bd94d6e0db561f1cef488a94beb85187293844d77d6320d113bba23210b8fd7c4254cf44937723b842c12b77745b8e76500f15365ffff7f2000000000060000000434a134d5903613499f80e260394a4264d6fc57ddaf1ee9a71bc85b0de9e7d517b3947c573e5734ee80bbd002f7eeca9190c85a839aa7d435524ab6ab91235e60a973e02d289795a0734dc7b5d80ac60b1a48b344ce2fc1b31a18f971b968b5b1c0e82e793479045a792aaa3fea8159c299e7da368aae8bac740ffff17bf2bc890117";
const PROOF_T2_T4: &str = "00000030414b85154ac63137a212efb02810be7bd94d6e0db561f1cef488a94beb85187293844d77d6320d113bba23210b8fd7c4254cf44937723b842c12b77745b8e76500f15365ffff7f2000000000060000000534a134d5903613499f80e260394a4264d6fc57ddaf1ee9a71bc85b0de9e7d517b3947c573e5734ee80bbd002f7eeca9190c85a839aa7d435524ab6ab91235e60a973e02d289795a0734dc7b5d80ac60b1a48b344ce2fc1b31a18f971b968b5b143e2a741ef4b09ba660360ddffc40587fee2dbdc2658785fbe27f7521ab66a99cb2afe90318020edfdfd72268fc5ef655345893c5eda04f7a8ab2a23a340146d02d701";
const PROOF_T1: &str = "00000030414b85154ac63137a212efb02810be7bd94d6e0db561f1cef488a94beb85187293844d77d6320d113bba23210b8fd7c4254cf44937723b842c12b77745b8e76500f15365ffff7f20000000000600000004b157436b8ad10fee79b052d0af98ed2572115602740c10b19ec6071faddbb45718df097541b657919a2b85cfebd64fc82016086f9701e3978f3bd69d3c32490a7a512e0be300e17c334f4d77abbd14b19e7ee2f8eca19161810f54dce95b47f9c0e82e793479045a792aaa3fea8159c299e7da368aae8bac740ffff17bf2bc89011b";
const PROOF_ALL: &str = "00000030414b85154ac63137a212efb02810be7bd94d6e0db561f1cef488a94beb85187293844d77d6320d113bba23210b8fd7c4254cf44937723b842c12b77745b8e76500f15365ffff7f2000000000060000000634a134d5903613499f80e260394a4264d6fc57ddaf1ee9a71bc85b0de9e7d517b3947c573e5734ee80bbd002f7eeca9190c85a839aa7d435524ab6ab91235e6018df097541b657919a2b85cfebd64fc82016086f9701e3978f3bd69d3c32490a7a512e0be300e17c334f4d77abbd14b19e7ee2f8eca19161810f54dce95b47f943e2a741ef4b09ba660360ddffc40587fee2dbdc2658785fbe27f7521ab66a99cb2afe90318020edfdfd72268fc5ef655345893c5eda04f7a8ab2a23a340146d02f70f";

#[test]
fn txoutproofs_are_cores() {
    TestFramework::new("txoutproofs_are_cores")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let s = scenario(node)?;
            let proof = |p: Value| node.call("gettxoutproof", p);
            let verify = |p: &str| node.call("verifytxoutproof", json!([p]));
            // Found through an unspent output of the transaction (no -txindex).
            assert_eq!(proof(json!([[s.txid(1)]]))?, json!(PROOF_T2));
            assert_eq!(proof(json!([[s.txid(1)], BLOCK]))?, json!(PROOF_T2));
            // The txids in any order; the proof lists them in the block's.
            assert_eq!(proof(json!([[s.txid(3), s.txid(1)]]))?, json!(PROOF_T2_T4));
            // t1's one output is spent (by t5): only the block hash finds it.
            assert_rpc_error(
                code::INVALID_ADDRESS_OR_KEY,
                "Transaction not yet in block",
                || proof(json!([[s.txid(0)]])),
            )?;
            assert_eq!(proof(json!([[s.txid(0)], BLOCK]))?, json!(PROOF_T1));
            // One spent, one unspent: the unspent one names the block.
            assert_eq!(
                proof(json!([[s.txid(0), s.txid(4)]]))?,
                proof(json!([[s.txid(4), s.txid(0)], BLOCK]))?
            );
            let all: Vec<String> = (0..5).map(|i| s.txid(i)).collect();
            assert_eq!(proof(json!([all, BLOCK]))?, json!(PROOF_ALL));
            assert_eq!(
                node.call("gettxoutproof", json!({"txids": all, "blockhash": BLOCK}))?,
                json!(PROOF_ALL)
            );

            // Read back: the txids committed to, in the block's order.
            assert_eq!(verify(PROOF_T2)?, json!([s.txid(1)]));
            assert_eq!(verify(PROOF_T2_T4)?, json!([s.txid(1), s.txid(3)]));
            assert_eq!(verify(PROOF_T1)?, json!([s.txid(0)]));
            let mut in_block_order = all.clone();
            in_block_order.sort_by_key(|t| {
                let block = node.call("getblock", json!([BLOCK])).expect("the block");
                block["tx"]
                    .as_array()
                    .expect("txids")
                    .iter()
                    .position(|x| x == &json!(t))
            });
            assert_eq!(verify(PROOF_ALL)?, json!(in_block_order));
            // The coinbase, found through its unspent output.
            let coinbase = node.call("getblock", json!([BLOCK]))?["tx"][0].clone();
            let cb_proof = proof(json!([[coinbase]]))?;
            assert_eq!(verify(cb_proof.as_str().expect("hex"))?, json!([coinbase]));
            // Bytes after the proof are not read.
            assert_eq!(verify(&format!("{PROOF_T2}00ff"))?, json!([s.txid(1)]));

            // A proof that does not hold: another hash, bits that leave hashes unread.
            let mut bad = PROOF_T2.to_owned();
            bad.replace_range(180..182, "ff");
            assert_eq!(verify(&bad)?, json!([]));
            let mut unread = PROOF_T2.to_owned();
            let at = unread.len() - 2;
            unread.replace_range(at.., "00");
            assert_eq!(verify(&unread)?, json!([]));
            // A proof claiming another transaction count.
            let mut count = PROOF_T2.to_owned();
            count.replace_range(160..168, "07000000");
            assert_eq!(verify(&count)?, json!([]));

            // Unreadable proofs.
            assert_rpc_error(
                code::MISC_ERROR,
                "SpanReader::read(): end of data: iostream error",
                || verify("00"),
            )?;
            assert_rpc_error(
                code::MISC_ERROR,
                "SpanReader::read(): end of data: iostream error",
                || verify(&PROOF_T2[..PROOF_T2.len() - 2]),
            )?;
            assert_rpc_error(
                code::MISC_ERROR,
                "non-canonical ReadCompactSize(): iostream error",
                || verify(&format!("{}fd0100", &PROOF_T2[..168])),
            )?;
            assert_rpc_error(
                code::MISC_ERROR,
                "ReadCompactSize(): size too large: iostream error",
                || verify(&format!("{}feffffff7f", &PROOF_T2[..168])),
            )?;
            for not_hex in ["zz", "0", ""] {
                assert_rpc_error(
                    code::INVALID_PARAMETER,
                    &format!("proof must be hexadecimal string (not '{not_hex}')"),
                    || verify(not_hex),
                )?;
            }

            // Refused requests.
            assert_rpc_error(
                code::INVALID_PARAMETER,
                "Parameter 'txids' cannot be empty",
                || proof(json!([[]])),
            )?;
            assert_rpc_error(
                code::INVALID_PARAMETER,
                "txid must be of length 64 (not 1, for 'x')",
                || proof(json!([["x"]])),
            )?;
            assert_rpc_error(
                code::TYPE_ERROR,
                "JSON value of type number is not of expected type string",
                || proof(json!([[1]])),
            )?;
            assert_rpc_error(
                code::INVALID_PARAMETER,
                &format!("Invalid parameter, duplicated txid: {}", s.txid(1)),
                || proof(json!([[s.txid(1), s.txid(1)]])),
            )?;
            assert_rpc_error(code::INVALID_ADDRESS_OR_KEY, "Block not found", || {
                proof(json!([[s.txid(1)], "11".repeat(32)]))
            })?;
            assert_rpc_error(
                code::INVALID_ADDRESS_OR_KEY,
                "Not all transactions found in specified or retrieved block",
                || proof(json!([[s.txid(1)], FUNDING_BLOCK])),
            )?;
            assert_rpc_error(
                code::INVALID_ADDRESS_OR_KEY,
                "Transaction not yet in block",
                || proof(json!([["11".repeat(32)]])),
            )?;

            // Out of the active chain, the proof names no block there.
            node.call("invalidateblock", json!([BLOCK]))?;
            assert_rpc_error(
                code::INVALID_ADDRESS_OR_KEY,
                "Block not found in chain",
                || verify(PROOF_T2),
            )?;
            // The block is still stored: its hash still makes a proof.
            assert_eq!(proof(json!([[s.txid(1)], BLOCK]))?, json!(PROOF_T2));
            node.call("reconsiderblock", json!([BLOCK]))?;
            assert_eq!(verify(PROOF_T2)?, json!([s.txid(1)]));
            Ok(())
        });
}

/// Core's buried deployments of regtest, with `active` at a block of height `height`.
fn deployments(height: u64, testdummy: Value) -> Value {
    let buried = |h: u64| json!({"type": "buried", "active": height + 1 >= h, "height": h});
    json!({
        "bip34": buried(1),
        "bip66": buried(1),
        "bip65": buried(1),
        "csv": buried(1),
        "segwit": buried(0),
        "testdummy": testdummy,
        "taproot": {
            "type": "bip9",
            "height": 0,
            "active": true,
            "bip9": {
                "start_time": -1,
                "timeout": i64::MAX,
                "min_activation_height": 0,
                "status": "active",
                "since": 0,
                "status_next": "active",
            },
        },
    })
}

/// `testdummy` before it starts.
fn testdummy_defined(next: &str) -> Value {
    json!({
        "type": "bip9",
        "active": false,
        "bip9": {
            "start_time": 0,
            "timeout": i64::MAX,
            "min_activation_height": 0,
            "status": "defined",
            "since": 0,
            "status_next": next,
        },
    })
}

/// `testdummy` signalling with every block: `status` since `since`, `elapsed` blocks
/// into the period; a threshold while started.
fn testdummy_signalling(status: &str, since: u64, next: &str, elapsed: usize) -> Value {
    let mut statistics = json!({"period": 72, "elapsed": elapsed, "count": elapsed});
    if status == "started" {
        statistics["threshold"] = json!(54);
        statistics["possible"] = json!(true);
    }
    json!({
        "type": "bip9",
        "active": false,
        "bip9": {
            "bit": 28,
            "start_time": 0,
            "timeout": i64::MAX,
            "min_activation_height": 0,
            "status": status,
            "since": since,
            "status_next": next,
            "statistics": statistics,
            "signalling": "#".repeat(elapsed),
        },
    })
}

/// Every script flag of a block above the buried deployments' heights.
const ALL_FLAGS: [&str; 7] = [
    "CHECKLOCKTIMEVERIFY",
    "CHECKSEQUENCEVERIFY",
    "DERSIG",
    "NULLDUMMY",
    "P2SH",
    "TAPROOT",
    "WITNESS",
];

fn deployment_info(node: &TestNode, height: u64) -> anyhow::Result<(Value, String)> {
    let hash = node.call("getblockhash", json!([height]))?;
    let hash = hash.as_str().expect("a hash").to_owned();
    Ok((node.call("getdeploymentinfo", json!([hash]))?, hash))
}

#[test]
fn deploymentinfo_before_lock_in_is_cores() {
    TestFramework::new("deploymentinfo_before_lock_in_is_cores")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            // Genesis: the buried deployments from height 1 are active for the next block,
            // their flags not yet at this one.
            let (info, hash) = deployment_info(node, 0)?;
            assert_eq!(
                info,
                json!({
                    "hash": hash,
                    "height": 0,
                    "script_flags": ["NULLDUMMY", "P2SH", "TAPROOT", "WITNESS"],
                    "deployments": deployments(0, testdummy_defined("defined")),
                })
            );
            for (height, testdummy) in [
                (70, testdummy_defined("defined")),
                // The last block of the first period: testdummy starts after it.
                (71, testdummy_defined("started")),
                (72, testdummy_signalling("started", 72, "started", 1)),
                (100, testdummy_signalling("started", 72, "started", 29)),
                (142, testdummy_signalling("started", 72, "started", 71)),
            ] {
                let (info, hash) = deployment_info(node, height)?;
                assert_eq!(
                    info,
                    json!({
                        "hash": hash,
                        "height": height,
                        "script_flags": ALL_FLAGS,
                        "deployments": deployments(height, testdummy),
                    }),
                    "at height {height}"
                );
            }
            // Named argument.
            let (at_70, hash) = deployment_info(node, 70)?;
            assert_eq!(
                node.call("getdeploymentinfo", json!({"blockhash": hash}))?,
                at_70
            );

            // Refusals.
            assert_rpc_error(
                code::INVALID_PARAMETER,
                "blockhash must be of length 64 (not 2, for '00')",
                || node.call("getdeploymentinfo", json!(["00"])),
            )?;
            assert_rpc_error(code::INVALID_ADDRESS_OR_KEY, "Block not found", || {
                node.call("getdeploymentinfo", json!(["11".repeat(32)]))
            })?;
            assert_type_check("Position 1 (blockhash)", || {
                node.call("getdeploymentinfo", json!([1]))
            })?;
            Ok(())
        });
}

/// Needs BIP9's signal counting: umkoin-rs answers it once `mining` exposes its state
/// machine to `getdeploymentinfo` (which omits `testdummy` where it cannot tell).
#[test]
fn deploymentinfo_after_lock_in_is_cores() {
    TestFramework::new("deploymentinfo_after_lock_in_is_cores")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            for (height, testdummy) in [
                // The period's 72 signals lock it in for the next block.
                (143, testdummy_signalling("started", 72, "locked_in", 72)),
                (144, testdummy_signalling("locked_in", 144, "locked_in", 1)),
                (199, testdummy_signalling("locked_in", 144, "locked_in", 56)),
            ] {
                let (info, hash) = deployment_info(node, height)?;
                assert_eq!(
                    info,
                    json!({
                        "hash": hash,
                        "height": height,
                        "script_flags": ALL_FLAGS,
                        "deployments": deployments(height, testdummy),
                    }),
                    "at height {height}"
                );
            }
            // No argument: the tip.
            let (at_tip, _) = deployment_info(node, 199)?;
            assert_eq!(node.call("getdeploymentinfo", json!([]))?, at_tip);
            // Active from the period after lock-in.
            let address = ADDRESS_BCRT1_P2TR_OP_TRUE;
            node.call("generatetoaddress", json!([16, address]))?;
            let (info, _) = deployment_info(node, 215)?;
            assert_eq!(
                info["deployments"]["testdummy"],
                json!({
                    "type": "bip9",
                    "height": 216,
                    "active": true,
                    "bip9": {
                        "bit": 28,
                        "start_time": 0,
                        "timeout": i64::MAX,
                        "min_activation_height": 0,
                        "status": "locked_in",
                        "since": 144,
                        "status_next": "active",
                        "statistics": {"period": 72, "elapsed": 72, "count": 72},
                        "signalling": "#".repeat(72),
                    },
                })
            );
            node.call("generatetoaddress", json!([1, address]))?;
            let (info, _) = deployment_info(node, 216)?;
            assert_eq!(
                info["deployments"]["testdummy"],
                json!({
                    "type": "bip9",
                    "height": 216,
                    "active": true,
                    "bip9": {
                        "start_time": 0,
                        "timeout": i64::MAX,
                        "min_activation_height": 0,
                        "status": "active",
                        "since": 216,
                        "status_next": "active",
                    },
                })
            );
            Ok(())
        });
}

#[test]
fn getindexinfo_lists_no_index() {
    TestFramework::new("getindexinfo_lists_no_index")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            assert_eq!(node.call("getindexinfo", json!([]))?, json!({}));
            assert_eq!(node.call("getindexinfo", json!(["txindex"]))?, json!({}));
            assert_eq!(
                node.call("getindexinfo", json!({"index_name": "coinstatsindex"}))?,
                json!({})
            );
            assert_type_check("Position 1 (index_name)", || {
                node.call("getindexinfo", json!([1]))
            })?;
            Ok(())
        });
}

/// The P2TR output key of the OP_TRUE address (its witness program).
const OP_TRUE_OUTPUT_KEY: &str = "2913b252fe537830f843bfdc5fa7d20ba48639a87c86ff837b92d083c55ad7c1";

#[test]
fn scantxoutset_finds_the_miniwallets_coins() {
    TestFramework::new("scantxoutset_finds_the_miniwallets_coins")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let s = scenario(node)?;
            let scan = |objects: Value| node.call("scantxoutset", json!(["start", objects]));
            let txouts = node.call("gettxoutsetinfo", json!([]))?["txouts"].clone();
            assert_eq!(txouts, json!(204));

            // The wallet's coins, in the UTXO set's order (txid bytes, then index).
            let mut coins = s.wallet.utxos().to_vec();
            coins.sort_by_key(|u| (u.outpoint.txid.to_byte_array(), u.outpoint.vout));
            let rawtr = format!("rawtr({OP_TRUE_OUTPUT_KEY})#jfevjtpc");
            let total: u64 = coins.iter().map(|u| u.value.to_sat()).sum();
            let check = |result: Value| -> anyhow::Result<()> {
                assert_eq!(result["success"], json!(true));
                assert_eq!(result["txouts"], txouts);
                assert_eq!(result["height"], json!(201));
                assert_eq!(result["bestblock"], json!(BLOCK));
                assert_eq!(result["total_amount"].to_string(), btc(total));
                assert_eq!(result["total_amount"].to_string(), "1848.99776798");
                let unspents = result["unspents"].as_array().expect("unspents");
                assert_eq!(unspents.len(), coins.len());
                assert_eq!(coins.len(), 51);
                for (u, coin) in unspents.iter().zip(&coins) {
                    let height = u64::from(coin.height);
                    let hash = node.call("getblockhash", json!([height]))?;
                    let mut expected = json!({
                        "txid": coin.outpoint.txid.to_string(),
                        "vout": coin.outpoint.vout,
                        "scriptPubKey": format!("5120{OP_TRUE_OUTPUT_KEY}"),
                        "desc": rawtr,
                        "amount": 0,
                        "coinbase": coin.coinbase,
                        "height": height,
                        "blockhash": hash,
                        "confirmations": 202 - height,
                    });
                    expected["amount"] = u["amount"].clone();
                    assert_eq!(u, &expected);
                    assert_eq!(u["amount"].to_string(), btc(coin.value.to_sat()));
                }
                Ok(())
            };
            check(scan(json!([format!("addr({ADDRESS_BCRT1_P2TR_OP_TRUE})")]))?)?;
            check(scan(json!([format!("raw(5120{OP_TRUE_OUTPUT_KEY})")]))?)?;
            // The same script twice, as an object, with a checksum.
            check(scan(json!([
                format!("addr({ADDRESS_BCRT1_P2TR_OP_TRUE})"),
                {"desc": format!("rawtr({OP_TRUE_OUTPUT_KEY})#jfevjtpc"), "range": 5},
            ]))?)?;
            check(node.call(
                "scantxoutset",
                json!({"action": "start", "scanobjects": [format!("addr({ADDRESS_BCRT1_P2TR_OP_TRUE})")]}),
            )?)?;

            // The P2PK coin of t4, by its script.
            let p2pk = s.transfers[3].tx.output[0].script_pubkey.to_hex_string();
            let t4 = s.txid(3);
            let found = scan(json!([format!("raw({p2pk})")]))?;
            assert_eq!(
                found["unspents"],
                json!([{
                    "txid": t4,
                    "vout": 0,
                    "scriptPubKey": format!("21{KEY_ONE}ac"),
                    "desc": format!("pk({KEY_ONE})#gn28ywm7"),
                    "amount": found["unspents"][0]["amount"],
                    "coinbase": false,
                    "height": 201,
                    "blockhash": BLOCK,
                    "confirmations": 1,
                }])
            );
            assert_eq!(found["total_amount"].to_string(), "0.99949600");

            // A ranged descriptor nothing pays: every key of the range looked for.
            let xpub = "tpubD6NzVbkrYhZ4WaWSyoBvQwbpLkojyoTZPRsgXELWz3Popb3qkjcJyJUGLnL4qHHoQvao8ESaAstxYSnhyswJ76uZPStJRJCTKvosUCJZL5B";
            for object in [
                json!(format!("wpkh({xpub}/0/*)")),
                json!({"desc": format!("wpkh({xpub}/1/*)"), "range": [10, 20]}),
                json!({"desc": format!("tr({xpub}/2/*)"), "range": 3}),
            ] {
                let none = scan(json!([object]))?;
                assert_eq!(none["success"], json!(true));
                assert_eq!(none["unspents"], json!([]));
                assert_eq!(none["total_amount"].to_string(), "0.00000000");
            }

            // No scan runs between calls.
            assert_eq!(node.call("scantxoutset", json!(["status"]))?, Value::Null);
            assert_eq!(node.call("scantxoutset", json!(["abort"]))?, json!(false));

            // Refusals.
            let refuse = |code: i64, message: &str, params: Value| {
                assert_rpc_error(code, message, || node.call("scantxoutset", params))
            };
            refuse(code::INVALID_PARAMETER, "Invalid action 'foo'", json!(["foo"]))?;
            refuse(
                code::MISC_ERROR,
                "scanobjects argument is required for the start action",
                json!(["start"]),
            )?;
            refuse(
                code::TYPE_ERROR,
                "JSON value of type null is not of expected type array",
                json!(["start", null]),
            )?;
            refuse(
                code::INVALID_PARAMETER,
                "Scan object needs to be either a string or an object",
                json!(["start", [1]]),
            )?;
            refuse(
                code::INVALID_PARAMETER,
                "Descriptor needs to be provided in scan object",
                json!(["start", [{}]]),
            )?;
            refuse(
                code::TYPE_ERROR,
                "JSON value of type number is not of expected type string",
                json!(["start", [{"desc": 1}]]),
            )?;
            refuse(
                code::INVALID_ADDRESS_OR_KEY,
                "Address is not valid",
                json!(["start", ["addr(x)"]]),
            )?;
            refuse(
                code::INVALID_ADDRESS_OR_KEY,
                "Provided checksum '00000000' does not match computed checksum '8lvh9jxk'",
                json!(["start", ["raw(51)#00000000"]]),
            )?;
            for (range, message) in [
                (json!(-1), "End of range is too high"),
                (json!([0, 2_147_483_648_u64]), "End of range is too high"),
                (json!([-1, 5]), "Range should be greater or equal than 0"),
                (
                    json!([5, 1]),
                    "Range specified as [begin,end] must not have begin after end",
                ),
                (json!("a"), "Range must be specified as end or as [begin,end]"),
                (json!([0, 2_000_000]), "Range is too large"),
            ] {
                // The range is read before the descriptor.
                refuse(
                    code::INVALID_PARAMETER,
                    message,
                    json!(["start", [{"desc": "raw(51)", "range": range}]]),
                )?;
            }
            let hardened = format!("wpkh({xpub}/0/*h)");
            refuse(
                code::INVALID_ADDRESS_OR_KEY,
                &format!("Cannot derive script without private keys: '{hardened}'"),
                json!(["start", [hardened]]),
            )?;
            Ok(())
        });
}

/// Needs the keys a descriptor expands to: umkoin-rs names them once `util` exposes its
/// descriptor expansion to `scantxoutset` (which infers descriptors without keys).
#[test]
fn scantxoutset_names_the_keys_it_found() {
    TestFramework::new("scantxoutset_names_the_keys_it_found")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            scenario(node)?;
            // The two coinbases paid to key 1's P2WPKH; the descriptor of each names the
            // key with its fingerprint as origin.
            let found = node.call(
                "scantxoutset",
                json!(["start", [format!("wpkh({KEY_ONE})")]]),
            )?;
            let desc = format!("wpkh([751e76e8]{KEY_ONE})#p7evpe7t");
            let unspents = found["unspents"].as_array().expect("unspents");
            assert_eq!(unspents.len(), 2);
            for (u, (txid, height, block)) in unspents.iter().zip([
                (
                    "17d5e7e90d5bc81ba7e91eafdd57fcd664424a3960e2809f49133690d534a134",
                    201,
                    BLOCK,
                ),
                (
                    "fe85169ddaeecd228a6da444704fc294c9a96ef4f3237167e612118affc1de9f",
                    200,
                    FUNDING_BLOCK,
                ),
            ]) {
                assert_eq!(u["txid"], json!(txid));
                assert_eq!(u["height"], json!(height));
                assert_eq!(u["blockhash"], json!(block));
                assert_eq!(u["coinbase"], json!(true));
                assert_eq!(u["desc"], json!(desc));
            }
            assert_eq!(found["total_amount"].to_string(), "50.00273602");
            Ok(())
        });
}

#[test]
fn help_texts_are_cores_first_lines() {
    TestFramework::new("help_texts_are_cores_first_lines")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            for (command, synopsis, last) in [
                (
                    "getblockstats",
                    "getblockstats hash_or_height ( stats )",
                    r#"> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getblockstats", "params": [1000, ["minfeerate","avgfeerate"]]}' -H 'content-type: application/json' http://127.0.0.1:6332/"#,
                ),
                (
                    "gettxoutproof",
                    r#"gettxoutproof ["txid",...] ( "blockhash" )"#,
                    r#""str"    (string) A string that is a serialized, hex-encoded data for the proof."#,
                ),
                (
                    "verifytxoutproof",
                    r#"verifytxoutproof "proof""#,
                    "]",
                ),
                (
                    "getdeploymentinfo",
                    r#"getdeploymentinfo ( "blockhash" )"#,
                    r#"> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getdeploymentinfo", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/"#,
                ),
                (
                    "getindexinfo",
                    r#"getindexinfo ( "index_name" )"#,
                    r#"> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getindexinfo", "params": [txindex]}' -H 'content-type: application/json' http://127.0.0.1:6332/"#,
                ),
                (
                    "scantxoutset",
                    r#"scantxoutset "action" ( [scanobjects,...] )"#,
                    r#"> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "scantxoutset", "params": ["abort"]}' -H 'content-type: application/json' http://127.0.0.1:6332/"#,
                ),
            ] {
                let help = node.call("help", json!([command]))?;
                let help = help.as_str().expect("text");
                assert_eq!(help.lines().next(), Some(synopsis), "{command}");
                assert_eq!(help.lines().last(), Some(last), "{command}");
                assert!(help.ends_with('\n'), "{command}");
            }
            // A wrong argument count answers with the help.
            let help = node.call("help", json!(["getblockstats"]))?;
            assert_rpc_error(
                code::MISC_ERROR,
                help.as_str().expect("text"),
                || node.call("getblockstats", json!([])),
            )?;
            Ok(())
        });
}
