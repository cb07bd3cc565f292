//! `getblocktemplate`: the template of the cached chain's next block with MiniWallet
//! transactions in the mempool is Core's field for field (the clock fixed with
//! `setmocktime`), and a block built from it is accepted; proposals (BIP23) get
//! Core's BIP22 answers; bad requests get Core's errors; a long poll returns when
//! a block arrives, at once for a longpollid of another tip, and with Core's error at
//! shutdown.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use umkoin_harness::bitcoin::consensus::encode::deserialize_hex;
use umkoin_harness::bitcoin::hashes::Hash;
use umkoin_harness::bitcoin::{
    Amount, Block, BlockHash, CompactTarget, ScriptBuf, Transaction, TxMerkleNode, TxOut, Witness,
};
use umkoin_harness::blocktools::{
    CoinbaseOptions, block_hex, block_subsidy, chain_tip, create_block, create_coinbase_with,
    get_witness_script, is_solved, miner_coinbase_script_sig, solve, update_merkle_root,
};
use umkoin_harness::cache::CACHE_HEIGHT;
use umkoin_harness::miniwallet::{SelfTransfer, SelfTransferOptions};
use umkoin_harness::{
    MiniWallet, MiniWalletMode, RpcError, TestFramework, TestNode, assert_raises_rpc_error,
};
use umkoin_interfaces::rpc::code;

/// The clock the tests fix: later than the cached chain's blocks.
const MOCK_TIME: u64 = 1_700_000_000;

/// Core's answer when a template request leaves out the segwit rule.
const SEGWIT_REQUIRED: &str =
    r#"getblocktemplate must be called with the segwit rule set (call with {"rules": ["segwit"]})"#;

fn gbt(node: &TestNode, request: Value) -> Result<Value, RpcError> {
    node.call("getblocktemplate", json!([request]))
}

fn template(node: &TestNode) -> anyhow::Result<Value> {
    Ok(gbt(node, json!({"rules": ["segwit"]}))?)
}

fn propose(node: &TestNode, block: &Block) -> anyhow::Result<Value> {
    Ok(gbt(
        node,
        json!({"mode": "proposal", "data": block_hex(block)}),
    )?)
}

fn number(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// A block as a miner makes one from `tmpl`: a coinbase paying `coinbasevalue` to
/// `OP_TRUE` with the template's witness commitment, then the template's transactions,
/// with its version, time and bits; solved.
fn block_from_template(tmpl: &Value) -> anyhow::Result<Block> {
    let height = u32::try_from(number(&tmpl["height"]))?;
    let mut coinbase = create_coinbase_with(
        height,
        &CoinbaseOptions {
            value: Some(Amount::from_sat(number(&tmpl["coinbasevalue"]))),
            script_sig: Some(miner_coinbase_script_sig(height)),
            ..CoinbaseOptions::default()
        },
    );
    let commitment = ScriptBuf::from_hex(
        tmpl["default_witness_commitment"]
            .as_str()
            .expect("a witness commitment"),
    )?;
    coinbase.input[0].witness = Witness::from_slice(&[[0u8; 32]]);
    coinbase.output.push(TxOut {
        value: Amount::ZERO,
        script_pubkey: commitment.clone(),
    });
    let txs = tmpl["transactions"]
        .as_array()
        .expect("transactions")
        .iter()
        .map(|t| deserialize_hex::<Transaction>(t["data"].as_str().expect("data")))
        .collect::<Result<Vec<_>, _>>()?;
    let prev: BlockHash = tmpl["previousblockhash"]
        .as_str()
        .expect("a hash")
        .parse()?;
    let version = i32::try_from(tmpl["version"].as_i64().expect("a version"))?;
    let bits = u32::from_str_radix(tmpl["bits"].as_str().expect("bits"), 16)?;
    let time = u32::try_from(number(&tmpl["curtime"]))?;
    let mut block = create_block(prev, coinbase, time, Some(version), txs, Some(bits));
    // The commitment is the one of these transactions (the coinbase counts as zero).
    assert_eq!(get_witness_script(&block, 0), commitment);
    update_merkle_root(&mut block);
    solve(&mut block);
    Ok(block)
}

/// What the template shows of a MiniWallet transfer: Core's transaction entry.
fn entry(t: &SelfTransfer, depends: &[u64]) -> Value {
    json!({
        "data": t.hex(),
        "txid": t.txid.to_string(),
        "hash": t.wtxid.to_string(),
        "depends": depends,
        "fee": t.fee.to_sat(),
        "sigops": 0,
        "weight": t.tx.weight().to_wu(),
    })
}

#[test]
fn the_template_is_cores_and_its_block_is_accepted() {
    TestFramework::new("the_template_is_cores_and_its_block_is_accepted")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            node.call("setmocktime", json!([MOCK_TIME]))?;
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            // A parent and its child at the default fee rate, and one paying more,
            // which block assembly takes first.
            let parent = wallet.send_self_transfer(node, &SelfTransferOptions::default())?;
            let child = wallet.send_self_transfer(
                node,
                &SelfTransferOptions {
                    utxo: Some(parent.new_utxo().clone()),
                    ..SelfTransferOptions::default()
                },
            )?;
            let rich = wallet.send_self_transfer(
                node,
                &SelfTransferOptions {
                    fee_rate: Amount::from_sat(1_000_000),
                    ..SelfTransferOptions::default()
                },
            )?;
            let tip = chain_tip(node)?;
            assert_eq!(u64::from(tip.height), CACHE_HEIGHT);
            let tmpl = template(node)?;
            let fees = parent.fee + child.fee + rich.fee;
            let expected = json!({
                "capabilities": ["proposal"],
                // testdummy (bit 28) is locked in for blocks 144-215 of regtest.
                "version": 0x3000_0000,
                "rules": ["csv", "!segwit", "taproot"],
                "vbavailable": {"testdummy": 28},
                "vbrequired": 0,
                "previousblockhash": tip.hash.to_string(),
                "transactions": [entry(&rich, &[]), entry(&parent, &[]), entry(&child, &[2])],
                "coinbaseaux": {},
                "coinbasevalue": (block_subsidy(200) + fees).to_sat(),
                // The mempool changed three times since the node started.
                "longpollid": format!("{}3", tip.hash),
                "target": "7fffff0000000000000000000000000000000000000000000000000000000000",
                "mintime": tip.median_time + 1,
                "mutable": ["time", "transactions", "prevblock"],
                "noncerange": "00000000ffffffff",
                "sigoplimit": 80000,
                "sizelimit": 4000000,
                "weightlimit": 4000000,
                "curtime": MOCK_TIME,
                "bits": "207fffff",
                "height": 200,
            });
            let mut shown = tmpl.clone();
            let commitment = shown
                .as_object_mut()
                .expect("an object")
                .remove("default_witness_commitment");
            assert_eq!(shown, expected);
            // Keys in Core's order.
            let keys: Vec<&String> = tmpl.as_object().expect("an object").keys().collect();
            let mut expected_keys: Vec<&String> =
                expected.as_object().expect("an object").keys().collect();
            let dwc = "default_witness_commitment".to_owned();
            expected_keys.push(&dwc);
            assert_eq!(keys, expected_keys);
            assert!(
                commitment
                    .as_ref()
                    .and_then(Value::as_str)
                    .is_some_and(|c| c.starts_with("6a24aa21a9ed") && c.len() == 76),
                "{commitment:?}"
            );

            // The template is kept while the tip stays and the clock has not moved
            // more than 5 seconds, even though the mempool changed.
            // (At a lower fee rate: Core orders equal-rate chunks by the size of the
            // equal-rate prefix of their cluster, not by arrival.)
            let late = wallet.send_self_transfer(
                node,
                &SelfTransferOptions {
                    fee_rate: Amount::from_sat(200_000),
                    ..SelfTransferOptions::default()
                },
            )?;
            assert_eq!(template(node)?, tmpl);
            node.call("setmocktime", json!([MOCK_TIME + 6]))?;
            let newer = template(node)?;
            assert_eq!(newer["transactions"].as_array().map(Vec::len), Some(4));
            assert_eq!(newer["transactions"][3], entry(&late, &[]));
            assert_eq!(newer["longpollid"], json!(format!("{}4", tip.hash)));
            assert_eq!(newer["curtime"], json!(MOCK_TIME + 6));
            node.call("setmocktime", json!([MOCK_TIME]))?;

            // A block of the first template: its proposal is valid, then it is
            // accepted, and proposing it again finds it known.
            let block = block_from_template(&tmpl)?;
            assert_eq!(propose(node, &block)?, Value::Null);
            assert_eq!(
                node.call("submitblock", json!([block_hex(&block)]))?,
                Value::Null
            );
            assert_eq!(
                node.call("getbestblockhash", json!([]))?,
                json!(block.block_hash().to_string())
            );
            assert_eq!(propose(node, &block)?, json!("duplicate"));
            let mempool = node.call("getrawmempool", json!([]))?;
            assert_eq!(mempool, json!([late.txid.to_string()]));

            // The next template builds on it, with what is left in the mempool.
            let next = template(node)?;
            assert_eq!(next["height"], json!(201));
            assert_eq!(
                next["previousblockhash"],
                json!(block.block_hash().to_string())
            );
            assert_eq!(next["transactions"], json!([entry(&late, &[])]));
            assert_eq!(
                next["coinbasevalue"],
                json!((block_subsidy(201) + late.fee).to_sat())
            );
            Ok(())
        });
}

#[test]
fn proposals_get_bip22_answers() {
    TestFramework::new("proposals_get_bip22_answers")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            node.call("setmocktime", json!([MOCK_TIME]))?;
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            wallet.send_self_transfer(node, &SelfTransferOptions::default())?;
            let tmpl = template(node)?;
            let good = block_from_template(&tmpl)?;
            assert_eq!(propose(node, &good)?, Value::Null);
            // Proof of work is not checked.
            let mut unsolved = good.clone();
            while is_solved(&unsolved) {
                unsolved.header.nonce += 1;
            }
            assert_eq!(propose(node, &unsolved)?, Value::Null);
            // The bits are.
            let mut easier = good.clone();
            easier.header.bits = CompactTarget::from_consensus(0x207f_fffe);
            assert_eq!(propose(node, &easier)?, json!("bad-diffbits"));
            // A wrong merkle root.
            let mut bad_root = good.clone();
            bad_root.header.merkle_root = TxMerkleNode::from_byte_array([7; 32]);
            assert_eq!(propose(node, &bad_root)?, json!("bad-txnmrklroot"));
            // A coinbase paying one satoshi too much.
            let mut greedy = good.clone();
            greedy.txdata[0].output[0].value += Amount::from_sat(1);
            update_merkle_root(&mut greedy);
            solve(&mut greedy);
            assert_eq!(propose(node, &greedy)?, json!("bad-cb-amount"));
            // Not on the tip.
            let mut elsewhere = good.clone();
            elsewhere.header.prev_blockhash = node
                .call("getblockhash", json!([10]))?
                .as_str()
                .expect("a hash")
                .parse()?;
            assert_eq!(
                propose(node, &elsewhere)?,
                json!("inconclusive-not-best-prevblk")
            );
            // A block the node refused is known to be invalid.
            assert_eq!(
                node.call("submitblock", json!([block_hex(&greedy)]))?,
                json!("bad-cb-amount")
            );
            assert_eq!(propose(node, &greedy)?, json!("duplicate-invalid"));
            // A header alone is inconclusive.
            let mut header_only = good.clone();
            header_only.header.time += 1;
            solve(&mut header_only);
            node.call(
                "submitheader",
                json!([umkoin_harness::bitcoin::consensus::encode::serialize_hex(
                    &header_only.header
                )]),
            )?;
            assert_eq!(
                propose(node, &header_only)?,
                json!("duplicate-inconclusive")
            );
            assert_eq!(propose(node, &good)?, Value::Null);
            Ok(())
        });
}

#[test]
fn bad_requests_get_cores_errors() {
    TestFramework::new("bad_requests_get_cores_errors")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            // No argument: the help.
            match node.call("getblocktemplate", json!([])) {
                Err(RpcError::Rpc { code, message, .. }) => {
                    assert_eq!(code, code::MISC_ERROR);
                    assert!(message.starts_with("getblocktemplate {\"mode\":\"str\""), "{message}");
                }
                other => panic!("{other:?}"),
            }
            assert_raises_rpc_error(
                code::TYPE_ERROR,
                "Wrong type passed:\n{\n    \"Position 1 (template_request)\": \"JSON value of type string is not of expected type object\"\n}",
                || node.call("getblocktemplate", json!(["x"])),
            )?;
            // The segwit rule is required.
            for request in [
                json!({}),
                json!({"rules": []}),
                json!({"rules": "segwit"}),
                json!({"rules": ["taproot"]}),
                json!({"mode": "template", "capabilities": ["proposal"]}),
            ] {
                assert_raises_rpc_error(code::INVALID_PARAMETER, SEGWIT_REQUIRED, || {
                    gbt(node, request.clone())
                })?;
            }
            assert_raises_rpc_error(
                code::TYPE_ERROR,
                "JSON value of type number is not of expected type string",
                || gbt(node, json!({"rules": ["segwit", 1]})),
            )?;
            for mode in [json!(5), json!("foo"), json!(["template"]), json!("")] {
                assert_raises_rpc_error(code::INVALID_PARAMETER, "Invalid mode", || {
                    gbt(node, json!({"mode": mode.clone(), "rules": ["segwit"]}))
                })?;
            }
            assert_raises_rpc_error(code::TYPE_ERROR, "Missing data String key for proposal", || {
                gbt(node, json!({"mode": "proposal", "data": 1}))
            })?;
            assert_raises_rpc_error(code::TYPE_ERROR, "Missing data String key for proposal", || {
                gbt(node, json!({"mode": "proposal", "rules": ["segwit"]}))
            })?;
            for data in ["00", "zz", "0", ""] {
                assert_raises_rpc_error(code::DESERIALIZATION_ERROR, "Block decode failed", || {
                    gbt(node, json!({"mode": "proposal", "data": data}))
                })?;
            }
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "longpollid must be of length 64 (not 3, for 'abc')",
                || gbt(node, json!({"rules": ["segwit"], "longpollid": "abc"})),
            )?;
            let not_hex = format!("zz{}", "0".repeat(62));
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                &format!("longpollid must be hexadecimal string (not '{not_hex}')"),
                || gbt(node, json!({"rules": ["segwit"], "longpollid": format!("{not_hex}12")})),
            )?;
            // The longpollid is read before the rules are checked.
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "longpollid must be of length 64",
                || gbt(node, json!({"longpollid": ""})),
            )?;
            Ok(())
        });
}

#[test]
fn long_polls_return_when_the_tip_moves() {
    TestFramework::new("long_polls_return_when_the_tip_moves")
        .num_nodes(1)
        // Two long polls and the calls beside them (the framework gives Core two).
        .extra_args([["-rpcthreads=4"]])
        .run(|t| {
            let node = t.node(0);
            let tmpl = template(node)?;
            let tip = tmpl["previousblockhash"].clone();
            // A longpollid naming another block answers at once.
            let started = Instant::now();
            let other = gbt(
                node,
                json!({"rules": ["segwit"], "longpollid": format!("{}0", "0".repeat(64))}),
            )?;
            assert_eq!(other["previousblockhash"], tip);
            assert!(started.elapsed() < Duration::from_secs(30));

            // The template's own longpollid waits for the next block.
            let longpollid = tmpl["longpollid"].clone();
            let poll = |id: Value| -> anyhow::Result<_> {
                let client = node
                    .new_rpc_client()?
                    .with_timeout(Duration::from_secs(120));
                Ok(std::thread::spawn(move || {
                    client.call(
                        "getblocktemplate",
                        json!([{"rules": ["segwit"], "longpollid": id}]),
                    )
                }))
            };
            let waiting = |n: usize| {
                umkoin_harness::try_wait_until(
                    || {
                        Ok(node.call("getrpcinfo", json!([]))?["active_commands"]
                            .as_array()
                            .is_some_and(|a| {
                                a.iter()
                                    .filter(|c| c["method"] == "getblocktemplate")
                                    .count()
                                    == n
                            }))
                    },
                    Duration::from_secs(30),
                )
            };
            let started = Instant::now();
            let by_id = poll(longpollid)?;
            // Not a string: the current tip.
            let by_other = poll(json!(true))?;
            // Both are waiting; that they answer with the next block's template shows
            // they waited for it.
            waiting(2)?;
            let hash = node.call(
                "generatetoaddress",
                json!([1, "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"]),
            )?[0]
                .clone();
            for waiter in [by_id, by_other] {
                let answer = waiter.join().expect("no panic")?;
                assert_eq!(answer["previousblockhash"], hash);
                assert_eq!(answer["height"], json!(CACHE_HEIGHT + 2));
            }
            assert!(started.elapsed() < Duration::from_secs(50));

            // Shutdown ends a long poll: with Core's error, or (Core's shutdown races
            // its own check of the RPC server) with the template of the same tip.
            let tmpl = template(node)?;
            let waiter = poll(tmpl["longpollid"].clone())?;
            waiting(1)?;
            node.stop()?;
            match waiter.join().expect("no panic") {
                Err(RpcError::Rpc { code, message, .. }) => {
                    assert_eq!(
                        (code, message.as_str()),
                        (code::CLIENT_NOT_CONNECTED, "Shutting down")
                    );
                }
                Ok(answer) => assert_eq!(answer["previousblockhash"], tmpl["previousblockhash"]),
                other => panic!("{other:?}"),
            }
            Ok(())
        });
}

#[test]
fn long_polls_return_when_the_mempool_changes() {
    TestFramework::new("long_polls_return_when_the_mempool_changes")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let tmpl = template(node)?;
            let client = node
                .new_rpc_client()?
                .with_timeout(Duration::from_secs(180));
            let id = tmpl["longpollid"].clone();
            let started = Instant::now();
            let waiter = std::thread::spawn(move || {
                client.call(
                    "getblocktemplate",
                    json!([{"rules": ["segwit"], "longpollid": id}]),
                )
            });
            umkoin_harness::try_wait_until(
                || {
                    Ok(node.call("getrpcinfo", json!([]))?["active_commands"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|c| c["method"] == "getblocktemplate")))
                },
                Duration::from_secs(30),
            )?;
            let sent = wallet.send_self_transfer(node, &SelfTransferOptions::default())?;
            // The mempool is first looked at after a minute.
            let answer = waiter.join().expect("no panic")?;
            let waited = started.elapsed();
            assert!(
                (Duration::from_secs(59)..Duration::from_secs(120)).contains(&waited),
                "{waited:?}"
            );
            assert_eq!(answer["previousblockhash"], tmpl["previousblockhash"]);
            assert_eq!(answer["transactions"], json!([entry(&sent, &[])]));
            assert_ne!(answer["longpollid"], tmpl["longpollid"]);
            Ok(())
        });
}

#[test]
fn a_once_connected_block_off_the_chain_proposes_as_duplicate() {
    TestFramework::new("a_once_connected_block_off_the_chain_proposes_as_duplicate")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let address = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
            let a = node.call("generatetoaddress", json!([2, address]))?;
            node.call("invalidateblock", json!([a[0]]))?;
            node.call(
                "generatetoaddress",
                json!([3, "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn"]),
            )?;
            node.call("reconsiderblock", json!([a[0]]))?;
            // The first block of the shorter branch was connected once: Core's
            // BLOCK_VALID_SCRIPTS stays.
            let hex = node.call("getblock", json!([a[0], 0]))?;
            let block: Block = deserialize_hex(hex.as_str().expect("hex")).expect("a block");
            assert_eq!(propose(node, &block)?, json!("duplicate"));
            Ok(())
        });
}
