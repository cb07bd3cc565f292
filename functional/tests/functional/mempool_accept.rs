//! The mempool: `sendrawtransaction` and `testmempoolaccept` accept what Core accepts
//! and refuse the rest with Core's codes, reasons and details; accepted transactions
//! show in `getrawmempool`, `getmempoolinfo` and `gettxout`, go into the next mined
//! block with their fees, and come back when that block is disconnected.

use serde_json::{Value, json};
use umkoin_harness::bitcoin::{Amount, Sequence, absolute, transaction};
use umkoin_harness::blocktools::tx_hex;
use umkoin_harness::miniwallet::{SelfTransfer, SelfTransferOptions};
use umkoin_harness::{
    MiniWallet, MiniWalletMode, TestFramework, TestNode, assert_raises_rpc_error,
};
use umkoin_interfaces::rpc::code;

/// A regtest P2WPKH address to mine to.
const P2WPKH: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

fn test_accept(node: &TestNode, t: &SelfTransfer) -> anyhow::Result<Value> {
    Ok(node.call("testmempoolaccept", json!([[t.hex()]]))?[0].clone())
}

fn mempool(node: &TestNode) -> anyhow::Result<Vec<String>> {
    let mut txids: Vec<String> = node
        .call("getrawmempool", json!([]))?
        .as_array()
        .expect("an array")
        .iter()
        .map(|t| t.as_str().expect("a txid").to_owned())
        .collect();
    txids.sort();
    Ok(txids)
}

#[test]
fn transactions_enter_the_mempool_and_the_next_block() {
    TestFramework::new("transactions_enter_the_mempool_and_the_next_block")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let parent = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let accept = test_accept(node, &parent)?;
            assert_eq!(accept["allowed"], json!(true), "{accept}");
            assert_eq!(accept["vsize"], json!(104));
            assert_eq!(accept["fees"]["base"].as_f64(), Some(0.000312));
            assert_eq!(accept["fees"]["effective-feerate"].as_f64(), Some(0.003));
            assert_eq!(
                accept["fees"]["effective-includes"],
                json!([parent.wtxid.to_string()])
            );
            // Testing does not accept.
            assert!(mempool(node)?.is_empty());
            assert_eq!(
                node.call("sendrawtransaction", json!([parent.hex()]))?,
                json!(parent.txid.to_string())
            );
            // Again: already there, which is no error.
            assert_eq!(
                node.call("sendrawtransaction", json!([parent.hex()]))?,
                json!(parent.txid.to_string())
            );
            let again = test_accept(node, &parent)?;
            assert_eq!(again["reject-reason"], json!("txn-already-in-mempool"));
            // A child of the mempool transaction.
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            node.call("sendrawtransaction", json!([child.hex()]))?;
            let mut both = vec![parent.txid.to_string(), child.txid.to_string()];
            both.sort();
            assert_eq!(mempool(node)?, both);
            let info = node.call("getmempoolinfo", json!([]))?;
            assert_eq!(info["size"], json!(2));
            assert_eq!(info["bytes"], json!(208));
            assert_eq!(info["total_fee"].as_f64(), Some(0.000624));
            assert_eq!(info["unbroadcastcount"], json!(2));
            let seq = node.call("getrawmempool", json!([false, true]))?;
            assert!(
                seq["mempool_sequence"].as_u64().is_some_and(|s| s > 1),
                "{seq}"
            );
            let verbose = node.call("getrawmempool", json!([true]))?;
            let entry = &verbose[child.txid.to_string()];
            assert_eq!(entry["depends"], json!([parent.txid.to_string()]));
            assert_eq!(entry["ancestorcount"], json!(2));
            assert_eq!(
                verbose[parent.txid.to_string()]["spentby"],
                json!([child.txid.to_string()])
            );
            // The mempool's view of the coins.
            let spent = node.call(
                "gettxout",
                json!([
                    parent.spent[0].outpoint.txid.to_string(),
                    parent.spent[0].outpoint.vout
                ]),
            )?;
            assert_eq!(spent, Value::Null);
            let unconfirmed = node.call("gettxout", json!([child.txid.to_string(), 0]))?;
            assert_eq!(unconfirmed["confirmations"], json!(0));
            assert_eq!(
                node.call("gettxout", json!([child.txid.to_string(), 0, false]))?,
                Value::Null
            );

            // The next block takes both, and its coinbase their fees.
            let hash = node.call("generatetoaddress", json!([1, P2WPKH]))?[0].clone();
            let block = node.call("getblock", json!([hash, 2]))?;
            let txids: Vec<&Value> = block["tx"]
                .as_array()
                .expect("txs")
                .iter()
                .map(|t| &t["txid"])
                .collect();
            assert_eq!(
                txids[1..],
                [
                    &json!(parent.txid.to_string()),
                    &json!(child.txid.to_string())
                ]
            );
            assert_eq!(block["tx"][0]["vout"][0]["value"].as_f64(), Some(25.000624));
            assert!(mempool(node)?.is_empty());
            assert_eq!(
                node.call("getmempoolinfo", json!([]))?["unbroadcastcount"],
                json!(0)
            );

            // Disconnecting the block brings them back; connecting it again takes them.
            node.call("invalidateblock", json!([hash]))?;
            assert_eq!(mempool(node)?, both);
            node.call("reconsiderblock", json!([hash]))?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, hash);
            assert!(mempool(node)?.is_empty());
            Ok(())
        });
}

#[test]
fn refused_transactions_get_cores_reasons() {
    TestFramework::new("refused_transactions_get_cores_reasons")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let refuse = |node: &TestNode, t: &SelfTransfer, code: i64, message: &str| -> anyhow::Result<()> {
                assert_raises_rpc_error(code, message, || {
                    node.call("sendrawtransaction", json!([t.hex()]))
                })
            };
            // No fee.
            let free = wallet.create_self_transfer(&SelfTransferOptions {
                fee_rate: Amount::ZERO,
                ..SelfTransferOptions::default()
            })?;
            refuse(node, &free, code::VERIFY_REJECTED, "min relay fee not met, 0 < 11")?;
            let tried = test_accept(node, &free)?;
            assert_eq!(tried["allowed"], json!(false));
            assert_eq!(tried["reject-reason"], json!("min relay fee not met"));
            assert_eq!(tried["reject-details"], json!("min relay fee not met, 0 < 11"));
            // A version above 3.
            let v4 = wallet.create_self_transfer(&SelfTransferOptions {
                version: transaction::Version(4),
                ..SelfTransferOptions::default()
            })?;
            refuse(node, &v4, code::VERIFY_REJECTED, "version")?;
            // Locked until a later height.
            let locked = wallet.create_self_transfer(&SelfTransferOptions {
                locktime: absolute::LockTime::from_height(1000).expect("a height"),
                ..SelfTransferOptions::default()
            })?;
            refuse(node, &locked, code::VERIFY_REJECTED, "non-final")?;
            // A relative lock of 10 blocks on a coin 0 blocks deep.
            let parent = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            node.call("sendrawtransaction", json!([parent.hex()]))?;
            let relative = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                sequence: Sequence::from_height(10),
                ..SelfTransferOptions::default()
            })?;
            refuse(node, &relative, code::VERIFY_REJECTED, "non-BIP68-final")?;
            // A coinbase 1 block deep.
            let young = wallet
                .get_utxos(true, false, false)
                .into_iter()
                .filter(|u| u.coinbase)
                .max_by_key(|u| u.height)
                .expect("an immature coinbase");
            let premature = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(young),
                ..SelfTransferOptions::default()
            })?;
            refuse(
                node,
                &premature,
                code::VERIFY_REJECTED,
                "bad-txns-premature-spend-of-coinbase, tried to spend coinbase at depth 1",
            )?;
            // Spending what is nowhere.
            let mut lost = parent.new_utxo().clone();
            lost.outpoint.vout = 7;
            let missing = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(lost),
                ..SelfTransferOptions::default()
            })?;
            refuse(node, &missing, code::VERIFY_ERROR, "bad-txns-inputs-missingorspent")?;
            assert_eq!(test_accept(node, &missing)?["reject-reason"], json!("missing-inputs"));
            // A spoiled witness: the scripts fail under the standard flags.
            let mut spoiled = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let mut witness: Vec<Vec<u8>> = spoiled.tx.input[0].witness.to_vec();
            witness[1][0] ^= 1;
            spoiled.tx.input[0].witness = witness.into();
            let answer = node.call("sendrawtransaction", json!([tx_hex(&spoiled.tx)]));
            match answer {
                Err(umkoin_harness::RpcError::Rpc { code: c, message, .. }) => {
                    assert_eq!(c, code::VERIFY_REJECTED);
                    assert!(
                        message.starts_with("mempool-script-verify-flag-failed (Witness program hash mismatch), input 0 of "),
                        "{message}"
                    );
                }
                other => panic!("expected a refusal, got {other:?}"),
            }
            // A fee over the client's limit.
            let rich = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            assert_raises_rpc_error(
                code::VERIFY_ERROR,
                "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)",
                || node.call("sendrawtransaction", json!([rich.hex(), 0.0001])),
            )?;
            let tried = node.call("testmempoolaccept", json!([[rich.hex()], 0.0001]))?[0].clone();
            assert_eq!(tried["reject-reason"], json!("max-fee-exceeded"));
            // Bad arguments.
            assert_raises_rpc_error(
                code::DESERIALIZATION_ERROR,
                "TX decode failed. Make sure the tx has at least one input.",
                || node.call("sendrawtransaction", json!(["00"])),
            )?;
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "Array must contain between 1 and 25 transactions.",
                || node.call("testmempoolaccept", json!([[]])),
            )?;
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "Fee rates larger than or equal to 1UMK/kvB are not accepted",
                || node.call("sendrawtransaction", json!([rich.hex(), 1])),
            )?;
            // Nothing refused entered.
            assert_eq!(mempool(node)?, vec![parent.txid.to_string()]);
            Ok(())
        });
}

#[test]
fn replacements_follow_cores_rules() {
    TestFramework::new("replacements_follow_cores_rules")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let coin = wallet.get_utxo(&Default::default())?;
            let spend = |wallet: &mut MiniWallet, fee: u64| {
                wallet.create_self_transfer(&SelfTransferOptions {
                    utxo: Some(coin.clone()),
                    fee: Amount::from_sat(fee),
                    ..SelfTransferOptions::default()
                })
            };
            let first = spend(&mut wallet, 10_000)?;
            node.call("sendrawtransaction", json!([first.hex()]))?;
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(first.new_utxo().clone()),
                fee: Amount::from_sat(1_000),
                ..SelfTransferOptions::default()
            })?;
            node.call("sendrawtransaction", json!([child.hex()]))?;
            let refuse = |t: &SelfTransfer, message: String| {
                assert_raises_rpc_error(code::VERIFY_REJECTED, &message, || {
                    node.call("sendrawtransaction", json!([t.hex()]))
                })
            };
            // Less than what leaves (the first and its child: 11 000).
            let cheap = spend(&mut wallet, 10_500)?;
            refuse(
                &cheap,
                format!(
                    "insufficient fee, rejecting replacement {}, less fees than conflicting txs; 0.000105 < 0.00011",
                    cheap.txid
                ),
            )?;
            // Not enough more to pay for its own relay (104 vB at 100 sat/kvB: 11).
            let even = spend(&mut wallet, 11_005)?;
            refuse(
                &even,
                format!(
                    "insufficient fee, rejecting replacement {}, not enough additional fees to relay; 0.00000005 < 0.00000011",
                    even.txid
                ),
            )?;
            // Spending the transaction it replaces.
            let mut both = wallet.create_self_transfer_multi(&umkoin_harness::miniwallet::SelfTransferMultiOptions {
                utxos: Some(vec![coin.clone(), first.new_utxo().clone()]),
                fee_per_output: Amount::from_sat(50_000),
                ..Default::default()
            })?;
            let answer = node.call("sendrawtransaction", json!([both.hex()]));
            match answer {
                Err(umkoin_harness::RpcError::Rpc { code: c, message, .. }) => {
                    assert_eq!(c, code::VERIFY_REJECTED);
                    assert!(
                        message.starts_with("bad-txns-spends-conflicting-tx, ")
                            && message.ends_with(&format!("spends conflicting transaction {}", first.txid)),
                        "{message}"
                    );
                }
                other => panic!("expected a refusal, got {other:?}"),
            }
            both.tx.input.truncate(1);
            // A replacement paying enough replaces the first and its child.
            let better = spend(&mut wallet, 20_000)?;
            node.call("sendrawtransaction", json!([better.hex()]))?;
            assert_eq!(mempool(node)?, vec![better.txid.to_string()]);
            // More fee at a far lower rate does not improve the diagram.
            let wide = wallet.create_self_transfer_multi(&umkoin_harness::miniwallet::SelfTransferMultiOptions {
                utxos: Some(vec![coin.clone()]),
                num_outputs: 20,
                fee_per_output: Amount::from_sat(1_010),
                ..Default::default()
            })?;
            assert!(wide.fee > better.fee, "{} {}", wide.fee, better.fee);
            let tried = node.call("testmempoolaccept", json!([[wide.hex()]]))?[0].clone();
            assert_eq!(tried["reject-reason"], json!("replacement-failed"), "{tried}");
            assert_eq!(
                tried["reject-details"],
                json!("replacement-failed, insufficient feerate: does not improve feerate diagram")
            );
            Ok(())
        });
}

#[test]
fn a_full_mempool_evicts_and_raises_its_minimum_fee() {
    TestFramework::new("a_full_mempool_evicts_and_raises_its_minimum_fee")
        .num_nodes(1)
        .extra_args([["-maxmempool=5"]])
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            // 60 confirmed coins, so each big transaction is a cluster of its own.
            let fan = wallet.create_self_transfer_multi(
                &umkoin_harness::miniwallet::SelfTransferMultiOptions {
                    num_outputs: 60,
                    ..Default::default()
                },
            )?;
            node.call("sendrawtransaction", json!([fan.hex()]))?;
            node.call("generatetoaddress", json!([1, P2WPKH]))?;
            wallet.rescan(node)?;
            let coins: Vec<_> = fan.new_utxos.clone();
            // Transactions of about 90 000 vB (a large OP_RETURN), at falling fee rates.
            let big =
                |wallet: &mut MiniWallet, i: usize, sat_per_vb: u64| -> anyhow::Result<String> {
                    let mut t = wallet.create_self_transfer(&SelfTransferOptions {
                        utxo: Some(coins[i].clone()),
                        ..SelfTransferOptions::default()
                    })?;
                    t.tx.output.push(umkoin_harness::bitcoin::TxOut {
                        value: Amount::ZERO,
                        script_pubkey: umkoin_harness::bitcoin::ScriptBuf::new_op_return(
                            umkoin_harness::bitcoin::script::PushBytesBuf::try_from(vec![
                                0x42u8;
                                89_000
                            ])
                            .expect("a push"),
                        ),
                    });
                    let fee = t.tx.vsize() as u64 * sat_per_vb;
                    t.tx.output[0].value = coins[i].value - Amount::from_sat(fee);
                    Ok(tx_hex(&t.tx))
                };
            let mut full = None;
            for i in 0..60 {
                match node.call(
                    "sendrawtransaction",
                    json!([big(&mut wallet, i, 100 - i as u64)?]),
                ) {
                    Ok(_) => {}
                    Err(e) => {
                        full = Some((i, e.to_string()));
                        break;
                    }
                }
            }
            // The newest, cheapest transaction pushed the mempool over 5 MB and was the one
            // evicted.
            let (i, error) = full.expect("the mempool filled up");
            assert!(error.contains("mempool full"), "{error}");
            let info = node.call("getmempoolinfo", json!([]))?;
            assert!(
                info["usage"].as_u64().is_some_and(|u| u <= 5_000_000),
                "{info}"
            );
            // Its minimum fee rate is now what left plus the incremental relay fee.
            let min = info["mempoolminfee"].as_f64().expect("a fee rate");
            let expected = (100 - i as u64) as f64 * 1000.0 / 1e8 + 0.000001;
            assert!((min - expected).abs() < 2e-8, "{min} vs {expected}");
            // Below it, a transaction is refused.
            let answer = node.call("sendrawtransaction", json!([big(&mut wallet, i + 1, 20)?]));
            let message = answer.expect_err("refused").to_string();
            assert!(message.contains("mempool min fee not met"), "{message}");
            Ok(())
        });
}

#[test]
fn old_transactions_expire() {
    TestFramework::new("old_transactions_expire")
        .num_nodes(1)
        .extra_args([["-mempoolexpiry=1"]])
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let now = 1_700_000_000i64;
            node.call("setmocktime", json!([now]))?;
            let old = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            node.call("sendrawtransaction", json!([old.hex()]))?;
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(old.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            // An hour later the child is young, but goes with its expired parent.
            node.call("setmocktime", json!([now + 3000]))?;
            node.call("sendrawtransaction", json!([child.hex()]))?;
            node.call("setmocktime", json!([now + 3601]))?;
            let fresh = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            node.call("sendrawtransaction", json!([fresh.hex()]))?;
            assert_eq!(mempool(node)?, vec![fresh.txid.to_string()]);
            Ok(())
        });
}

#[test]
fn the_mempool_survives_a_restart() {
    TestFramework::new("the_mempool_survives_a_restart")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            node.call("setmocktime", json!([1_700_000_000]))?;
            let parent = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            node.call("sendrawtransaction", json!([parent.hex()]))?;
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            node.call("sendrawtransaction", json!([child.hex()]))?;
            let absent = "ab".repeat(32);
            node.call("prioritisetransaction", json!([child.txid.to_string(), 0, 1234]))?;
            node.call("prioritisetransaction", json!([absent, 0, -77]))?;
            let saved = node.call("savemempool", json!([]))?;
            let path = node.chain_path().join("mempool.dat");
            assert_eq!(saved, json!({"filename": path.display().to_string()}));
            let before = node.call("getrawmempool", json!([true]))?;

            // A restart loads it back: the same entries, times and deltas.
            node.assert_debug_log(
                &["Imported mempool transactions from file: 2 succeeded, 0 failed, 0 expired, 0 already there, 2 waiting for initial broadcast"],
                &[],
                |n| n.restart_with_args(&["-mocktime=1700000000"]),
            )?;
            assert_eq!(node.call("getrawmempool", json!([true]))?, before);
            let deltas = node.call("getprioritisedtransactions", json!([]))?;
            assert_eq!(deltas[child.txid.to_string()]["fee_delta"], json!(1234));
            assert_eq!(deltas[&absent]["fee_delta"], json!(-77));

            // Without -persistmempool nothing is loaded, and nothing is written at
            // shutdown.
            node.restart_with_args(&["-persistmempool=0"])?;
            assert_eq!(node.call("getrawmempool", json!([]))?, json!([]));
            node.stop()?;
            assert!(path.exists(), "the file of the earlier run is still there");
            // Transactions older than -mempoolexpiry are not loaded.
            node.assert_debug_log(
                &["Imported mempool transactions from file: 0 succeeded, 0 failed, 2 expired"],
                &[],
                |n| n.start_with_args(&["-mocktime=1800000000"]),
            )?;
            assert_eq!(node.call("getrawmempool", json!([]))?, json!([]));
            Ok(())
        });
}

#[test]
fn truc_transactions_follow_cores_rules() {
    use umkoin_harness::miniwallet::SelfTransferMultiOptions;
    TestFramework::new("truc_transactions_follow_cores_rules")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let v3 = transaction::Version(3);
            let parent = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                num_outputs: 2,
                version: v3,
                ..Default::default()
            })?;
            node.call("sendrawtransaction", json!([parent.hex()]))?;
            let refused = |t: &SelfTransfer, message: String| {
                assert_raises_rpc_error(code::VERIFY_REJECTED, &message, || {
                    node.call("sendrawtransaction", json!([t.hex()]))
                })
            };
            // A version 2 child of a version 3 parent.
            let v2_child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxos[0].clone()),
                ..SelfTransferOptions::default()
            })?;
            refused(
                &v2_child,
                format!(
                    "TRUC-violation, non-version=3 tx {} (wtxid={}) cannot spend from version=3 tx {} (wtxid={})",
                    v2_child.txid, v2_child.wtxid, parent.txid, parent.wtxid
                ),
            )?;
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxos[0].clone()),
                version: v3,
                fee: Amount::from_sat(10_000),
                ..SelfTransferOptions::default()
            })?;
            node.call("sendrawtransaction", json!([child.hex()]))?;
            // A grandchild would be a third generation.
            let grandchild = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(child.new_utxo().clone()),
                version: v3,
                ..SelfTransferOptions::default()
            })?;
            refused(
                &grandchild,
                format!(
                    "TRUC-violation, tx {} (wtxid={}) would have too many ancestors",
                    grandchild.txid, grandchild.wtxid
                ),
            )?;
            // A sibling must pay for evicting the child.
            let cheap_sibling = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxos[1].clone()),
                version: v3,
                fee: Amount::from_sat(5_000),
                ..SelfTransferOptions::default()
            })?;
            refused(
                &cheap_sibling,
                format!(
                    "insufficient fee (including sibling eviction), rejecting replacement {}, less fees than conflicting txs; 0.00005 < 0.0001",
                    cheap_sibling.txid
                ),
            )?;
            let sibling = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxos[1].clone()),
                version: v3,
                fee: Amount::from_sat(100_000),
                ..SelfTransferOptions::default()
            })?;
            node.call("sendrawtransaction", json!([sibling.hex()]))?;
            let mut expected = vec![parent.txid.to_string(), sibling.txid.to_string()];
            expected.sort();
            assert_eq!(mempool(node)?, expected);
            Ok(())
        });
}

#[test]
fn packages_are_tested_as_cores() {
    use umkoin_harness::miniwallet::SelfTransferMultiOptions;
    TestFramework::new("packages_are_tested_as_cores")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let parent = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            // Parent then child: both allowed, nothing enters.
            let both = node.call("testmempoolaccept", json!([[parent.hex(), child.hex()]]))?;
            assert_eq!(both[0]["allowed"], json!(true), "{both}");
            assert_eq!(both[1]["allowed"], json!(true), "{both}");
            assert_eq!(
                both[1]["fees"]["effective-includes"],
                json!([child.wtxid.to_string()])
            );
            assert!(mempool(node)?.is_empty());
            // Child first: not sorted.
            let unsorted = node.call("testmempoolaccept", json!([[child.hex(), parent.hex()]]))?;
            for r in unsorted.as_array().expect("results") {
                assert_eq!(r["package-error"], json!("package-not-sorted"));
                assert!(r.get("allowed").is_none(), "{r}");
            }
            // The same twice.
            let twice = node.call("testmempoolaccept", json!([[parent.hex(), parent.hex()]]))?;
            assert_eq!(
                twice[0]["package-error"],
                json!("package-contains-duplicates")
            );
            // Two spending the same coin.
            let rival = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.spent[0].clone()),
                fee: Amount::from_sat(20_000),
                ..SelfTransferOptions::default()
            })?;
            let conflict = node.call("testmempoolaccept", json!([[parent.hex(), rival.hex()]]))?;
            assert_eq!(conflict[0]["package-error"], json!("conflict-in-package"));
            // A failure stops validation: the later transactions have no verdict.
            let free = wallet.create_self_transfer(&SelfTransferOptions {
                fee_rate: Amount::ZERO,
                ..SelfTransferOptions::default()
            })?;
            let stopped = node.call(
                "testmempoolaccept",
                json!([[free.hex(), parent.hex(), child.hex()]]),
            )?;
            assert_eq!(stopped[0]["allowed"], json!(false));
            assert_eq!(stopped[0]["reject-reason"], json!("min relay fee not met"));
            assert!(
                stopped[1].get("allowed").is_none() && stopped[2].get("allowed").is_none(),
                "{stopped}"
            );
            // A package does not replace what is in the mempool.
            node.call("sendrawtransaction", json!([parent.hex()]))?;
            let other = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                utxos: Some(vec![parent.spent[0].clone()]),
                fee_per_output: Amount::from_sat(50_000),
                ..Default::default()
            })?;
            let fresh = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let replacing = node.call("testmempoolaccept", json!([[fresh.hex(), other.hex()]]))?;
            // Core reports the failure alone: the first has no verdict either.
            assert!(replacing[0].get("allowed").is_none(), "{replacing}");
            assert_eq!(
                replacing[1]["reject-reason"],
                json!("bip125-replacement-disallowed")
            );
            Ok(())
        });
}

#[test]
fn submitpackage_lets_a_child_pay_for_its_parent() {
    TestFramework::new("submitpackage_lets_a_child_pay_for_its_parent")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let parent = wallet.create_self_transfer(&SelfTransferOptions {
                fee_rate: Amount::ZERO,
                ..SelfTransferOptions::default()
            })?;
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                fee: Amount::from_sat(5_000),
                ..SelfTransferOptions::default()
            })?;
            // Alone, the parent pays nothing.
            assert_eq!(test_accept(node, &parent)?["reject-reason"], json!("min relay fee not met"));
            let answer = node.call("submitpackage", json!([[parent.hex(), child.hex()]]))?;
            assert_eq!(answer["package_msg"], json!("success"), "{answer}");
            let p = &answer["tx-results"][parent.wtxid.to_string()];
            assert_eq!(p["txid"], json!(parent.txid.to_string()));
            assert_eq!(p["vsize"], json!(104));
            assert_eq!(p["fees"]["base"].as_f64(), Some(0.0));
            // Both at the package's rate: 5000 sat over 208 vB.
            assert_eq!(p["fees"]["effective-feerate"].as_f64(), Some(0.00024038));
            let both = vec![parent.wtxid.to_string(), child.wtxid.to_string()];
            assert_eq!(p["fees"]["effective-includes"], json!(both));
            assert_eq!(answer["replaced-transactions"], json!([]));
            let mut txids = vec![parent.txid.to_string(), child.txid.to_string()];
            txids.sort();
            assert_eq!(mempool(node)?, txids);
            // Again: both are in the mempool already, with no effective fee rate.
            let again = node.call("submitpackage", json!([[parent.hex(), child.hex()]]))?;
            assert_eq!(again["package_msg"], json!("success"));
            let c = &again["tx-results"][child.wtxid.to_string()];
            assert!(c["fees"].get("effective-feerate").is_none(), "{again}");
            // A lone transaction, and one that fails.
            let lone = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let answer = node.call("submitpackage", json!([[lone.hex()]]))?;
            assert_eq!(answer["package_msg"], json!("success"));
            let poor = wallet.create_self_transfer(&SelfTransferOptions {
                fee_rate: Amount::ZERO,
                ..SelfTransferOptions::default()
            })?;
            let answer = node.call("submitpackage", json!([[poor.hex()]]))?;
            assert_eq!(answer["package_msg"], json!("transaction failed"));
            assert_eq!(
                answer["tx-results"][poor.wtxid.to_string()]["error"],
                json!("min relay fee not met, 0 < 11")
            );
            // Not a child with its parents.
            let other = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let unrelated = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            assert_raises_rpc_error(
                code::VERIFY_ERROR,
                "package topology disallowed. not child-with-parents or parents depend on each other.",
                || node.call("submitpackage", json!([[other.hex(), unrelated.hex()]])),
            )?;
            Ok(())
        });
}

/// A transaction spending `from` (worth `value`) with an empty scriptSig and the given
/// witness, to `outputs`.
fn raw_spend(
    from: umkoin_harness::bitcoin::OutPoint,
    witness: Vec<Vec<u8>>,
    outputs: Vec<umkoin_harness::bitcoin::TxOut>,
) -> umkoin_harness::bitcoin::Transaction {
    use umkoin_harness::bitcoin::{ScriptBuf, Transaction, TxIn, Witness};
    Transaction {
        version: transaction::Version::TWO,
        lock_time: absolute::LockTime::ZERO,
        input: vec![TxIn {
            previous_output: from,
            script_sig: ScriptBuf::new(),
            sequence: Sequence::MAX,
            witness: Witness::from_slice(&witness),
        }],
        output: outputs,
    }
}

#[test]
fn policy_refusals_get_cores_reasons() {
    use umkoin_harness::bitcoin::{OutPoint, ScriptBuf, TxOut, opcodes::all::*, script::Builder};
    TestFramework::new("policy_refusals_get_cores_reasons")
        .num_nodes(1)
        .extra_args([["-permitbaremultisig=0", "-limitclustercount=2"]])
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let reason = |tx: &umkoin_harness::bitcoin::Transaction| -> anyhow::Result<Value> {
                let r = node.call("testmempoolaccept", json!([[tx_hex(tx)]]))?[0].clone();
                assert_eq!(r["allowed"], json!(false), "{r}");
                Ok(r["reject-details"].clone())
            };
            let p2wpkh = ScriptBuf::from_hex("0014751e76e8199196d454941c45d1b3a323f1433bd6")
                .expect("a script");
            // Outputs Core does not relay.
            let mut t = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            t.tx.output[0].script_pubkey = ScriptBuf::from_bytes(vec![0x51]);
            assert_eq!(reason(&t.tx)?, json!("scriptpubkey"));
            let mut t = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            t.tx.output[0].script_pubkey = Builder::new()
                .push_int(1)
                .push_slice([2u8; 33])
                .push_int(1)
                .push_opcode(OP_CHECKMULTISIG)
                .into_script();
            assert_eq!(reason(&t.tx)?, json!("bare-multisig"));
            // Two dust outputs; one dust output with a fee.
            let mut t = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let dust = TxOut {
                value: Amount::from_sat(1),
                script_pubkey: p2wpkh.clone(),
            };
            t.tx.output.push(dust.clone());
            t.tx.output.push(dust.clone());
            assert_eq!(reason(&t.tx)?, json!("dust"));
            t.tx.output.pop();
            assert_eq!(
                reason(&t.tx)?,
                json!("dust, tx with dust output must be 0-fee")
            );
            // Under 65 bytes without the witness.
            let mut t = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            t.tx.output[0] = TxOut {
                value: Amount::ZERO,
                script_pubkey: ScriptBuf::new_op_return([]),
            };
            assert_eq!(reason(&t.tx)?, json!("tx-size-small"));
            // Over 1,000,000 bytes without the witness: a consensus limit first.
            let mut t = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            t.tx.output.push(TxOut {
                value: Amount::ZERO,
                script_pubkey: ScriptBuf::from_bytes(vec![0x6a; 1_000_001]),
            });
            assert_eq!(reason(&t.tx)?, json!("bad-txns-oversize"));
            // Spending an output of a non-standard kind (a bare OP_TRUE).
            let fund = wallet.create_send_to(
                ScriptBuf::from_bytes(vec![0x51]),
                Amount::from_sat(100_000),
                Amount::from_sat(1_000),
            )?;
            node.call("generateblock", json!([P2WPKH, [fund.hex()]]))?;
            let vout = |t: &SelfTransfer, script: &ScriptBuf| {
                t.tx.output
                    .iter()
                    .position(|o| &o.script_pubkey == script)
                    .expect("paid") as u32
            };
            let spend = raw_spend(
                OutPoint::new(fund.txid, vout(&fund, &ScriptBuf::from_bytes(vec![0x51]))),
                vec![],
                vec![TxOut {
                    value: Amount::from_sat(90_000),
                    script_pubkey: p2wpkh.clone(),
                }],
            );
            assert_eq!(reason(&spend)?, json!("bad-txns-nonstandard-inputs"));
            // The same transaction with another witness.
            let script = Builder::new()
                .push_opcode(OP_ADD)
                .push_int(4)
                .push_opcode(OP_EQUAL)
                .into_script();
            let fund = wallet.create_send_to(
                ScriptBuf::new_p2wsh(&script.wscript_hash()),
                Amount::from_sat(100_000),
                Amount::from_sat(1_000),
            )?;
            node.call("generateblock", json!([P2WPKH, [fund.hex()]]))?;
            let outputs = vec![TxOut {
                value: Amount::from_sat(90_000),
                script_pubkey: p2wpkh.clone(),
            }];
            let at = OutPoint::new(
                fund.txid,
                vout(&fund, &ScriptBuf::new_p2wsh(&script.wscript_hash())),
            );
            let one = raw_spend(
                at,
                vec![vec![1], vec![3], script.to_bytes()],
                outputs.clone(),
            );
            let other = raw_spend(at, vec![vec![2], vec![2], script.to_bytes()], outputs);
            assert_eq!(one.compute_txid(), other.compute_txid());
            node.call("sendrawtransaction", json!([tx_hex(&one)]))?;
            assert_eq!(
                reason(&other)?,
                json!("txn-same-nonwitness-data-in-mempool")
            );
            // A cluster over -limitclustercount=2.
            let parent = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            node.call("sendrawtransaction", json!([parent.hex()]))?;
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            node.call("sendrawtransaction", json!([child.hex()]))?;
            let grandchild = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(child.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            assert_eq!(reason(&grandchild.tx)?, json!("too-large-cluster"));
            // A package paying more than the client allows.
            let rich = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let answer = node.call("submitpackage", json!([[rich.hex()], 0.00001]))?;
            assert_eq!(answer["package_msg"], json!("transaction failed"));
            assert_eq!(
                answer["tx-results"][rich.wtxid.to_string()]["error"],
                json!("max feerate exceeded")
            );
            Ok(())
        });
}

#[test]
fn ephemeral_dust_must_be_spent_by_the_child() {
    use umkoin_harness::bitcoin::{OutPoint, ScriptBuf, Transaction, TxIn, TxOut, Witness};
    use umkoin_harness::miniwallet::SelfTransferMultiOptions;
    TestFramework::new("ephemeral_dust_must_be_spent_by_the_child")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let v3 = transaction::Version(3);
            // A zero-fee version 3 parent with a zero-value pay-to-anchor output.
            let mut parent = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                version: v3,
                fee_per_output: Amount::ZERO,
                ..Default::default()
            })?;
            let anchor = ScriptBuf::from_hex("51024e73").expect("P2A");
            parent.tx.output.push(TxOut {
                value: Amount::ZERO,
                script_pubkey: anchor.clone(),
            });
            let parent_txid = parent.tx.compute_txid();
            let value = parent.tx.output[0].value;
            let child = |spend_anchor: bool| {
                let control = wallet.control_block().expect("taproot mode").serialize();
                let op_true = Witness::from_slice(&[vec![0x51], control]);
                let mut input = vec![TxIn {
                    previous_output: OutPoint::new(parent_txid, 0),
                    script_sig: ScriptBuf::new(),
                    sequence: Sequence::ZERO,
                    witness: op_true,
                }];
                if spend_anchor {
                    input.push(TxIn {
                        previous_output: OutPoint::new(parent_txid, 1),
                        script_sig: ScriptBuf::new(),
                        sequence: Sequence::ZERO,
                        witness: Witness::new(),
                    });
                }
                Transaction {
                    version: v3,
                    lock_time: absolute::LockTime::ZERO,
                    input,
                    output: vec![TxOut {
                        value: value - Amount::from_sat(10_000),
                        script_pubkey: wallet.script_pubkey().clone(),
                    }],
                }
            };
            // A child that leaves the dust unspent is refused.
            let careless = child(false);
            let answer = node.call(
                "submitpackage",
                json!([[tx_hex(&parent.tx), tx_hex(&careless)]]),
            )?;
            assert_eq!(answer["package_msg"], json!("unspent-dust"), "{answer}");
            let error = answer["tx-results"][careless.compute_wtxid().to_string()]["error"].clone();
            assert!(
                error
                    .as_str()
                    .is_some_and(|e| e.starts_with("missing-ephemeral-spends, ")),
                "{answer}"
            );
            assert!(mempool(node)?.is_empty());
            // One that spends it pays for both.
            let careful = child(true);
            let answer = node.call(
                "submitpackage",
                json!([[tx_hex(&parent.tx), tx_hex(&careful)]]),
            )?;
            assert_eq!(answer["package_msg"], json!("success"), "{answer}");
            let mut both = vec![parent_txid.to_string(), careful.compute_txid().to_string()];
            both.sort();
            assert_eq!(mempool(node)?, both);
            Ok(())
        });
}

#[test]
fn a_package_replaces_as_cores() {
    TestFramework::new("a_package_replaces_as_cores")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let coin = wallet.get_utxo(&Default::default())?;
            let first = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(coin.clone()),
                fee: Amount::from_sat(2_000),
                ..SelfTransferOptions::default()
            })?;
            node.call("sendrawtransaction", json!([first.hex()]))?;
            // A parent paying too little to replace alone, and a child paying for both.
            let parent = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(coin.clone()),
                fee: Amount::from_sat(1_000),
                ..SelfTransferOptions::default()
            })?;
            let poor_child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                fee: Amount::from_sat(500),
                ..SelfTransferOptions::default()
            })?;
            let answer = node.call("submitpackage", json!([[parent.hex(), poor_child.hex()]]))?;
            assert_eq!(
                answer["package_msg"],
                json!(format!(
                    "package RBF failed: insufficient anti-DoS fees, rejecting replacement {}, less fees than conflicting txs; 0.000015 < 0.00002",
                    poor_child.txid
                )),
                "{answer}"
            );
            // Enough fees, but the child lowers the rate: not a better package.
            let rich_parent = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(coin.clone()),
                fee: Amount::from_sat(1_900),
                ..SelfTransferOptions::default()
            })?;
            let slow_child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(rich_parent.new_utxo().clone()),
                fee: Amount::from_sat(300),
                ..SelfTransferOptions::default()
            })?;
            let answer =
                node.call("submitpackage", json!([[rich_parent.hex(), slow_child.hex()]]))?;
            assert_eq!(
                answer["package_msg"],
                json!(
                    "package RBF failed: package feerate is less than or equal to parent feerate, package feerate 0.00010576 UMK/kvB <= parent feerate is 0.00018269 UMK/kvB"
                ),
                "{answer}"
            );
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                fee: Amount::from_sat(20_000),
                ..SelfTransferOptions::default()
            })?;
            let answer = node.call("submitpackage", json!([[parent.hex(), child.hex()]]))?;
            assert_eq!(answer["package_msg"], json!("success"), "{answer}");
            assert_eq!(answer["replaced-transactions"], json!([first.txid.to_string()]));
            let mut both = vec![parent.txid.to_string(), child.txid.to_string()];
            both.sort();
            assert_eq!(mempool(node)?, both);
            Ok(())
        });
}

#[test]
fn blockmaxweight_limits_what_a_block_takes() {
    TestFramework::new("blockmaxweight_limits_what_a_block_takes")
        .num_nodes(1)
        .extra_args([["-blockmaxweight=9000"]])
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            for _ in 0..3 {
                let tx = wallet.create_self_transfer(&SelfTransferOptions::default())?;
                node.call("sendrawtransaction", json!([tx.hex()]))?;
            }
            // 9000 less the 8000 reserved: room for two of them (416 weight units each).
            let hash = node.call("generatetoaddress", json!([1, P2WPKH]))?[0].clone();
            assert_eq!(node.call("getblock", json!([hash]))?["nTx"], json!(3));
            assert_eq!(mempool(node)?.len(), 1);
            Ok(())
        });
}

#[test]
fn dustrelayfee_defines_dust() {
    use umkoin_harness::bitcoin::{ScriptBuf, TxOut};
    TestFramework::new("dustrelayfee_defines_dust")
        .num_nodes(1)
        .extra_args([["-dustrelayfee=0"]])
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let mut tx = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let p2wpkh = ScriptBuf::from_hex("0014751e76e8199196d454941c45d1b3a323f1433bd6")
                .expect("a script");
            for _ in 0..2 {
                tx.tx.output.push(TxOut {
                    value: Amount::from_sat(1),
                    script_pubkey: p2wpkh.clone(),
                });
            }
            tx.tx.output[0].value -= Amount::from_sat(2);
            // At a dust fee rate of zero nothing is dust.
            let r = node.call("testmempoolaccept", json!([[tx_hex(&tx.tx)]]))?[0].clone();
            assert_eq!(r["allowed"], json!(true), "{r}");
            Ok(())
        });
}

/// `t` with its witness spoiled (a byte of the control block flipped): the same txid, a
/// new wtxid, and scripts that fail under any flags (Core's "Witness program hash
/// mismatch").
fn spoiled(t: &SelfTransfer) -> umkoin_harness::bitcoin::Transaction {
    let mut tx = t.tx.clone();
    let mut witness: Vec<Vec<u8>> = tx.input[0].witness.to_vec();
    witness[1][0] ^= 1;
    tx.input[0].witness = witness.into();
    tx
}

/// Whether `error` is Core's script failure for input 0 of `tx`.
fn is_script_failure(error: &Value, tx: &umkoin_harness::bitcoin::Transaction) -> bool {
    error.as_str().is_some_and(|e| {
        e.starts_with(
            "mempool-script-verify-flag-failed (Witness program hash mismatch), input 0 of ",
        ) && e.contains(&tx.compute_wtxid().to_string())
    })
}

/// Core's `PreChecks` refuses a conflict with the mempool where replacements are not
/// allowed (a package `testmempoolaccept`) right after the already-in-mempool checks:
/// before the inputs are looked up and before the fee rate is judged.
#[test]
fn a_package_test_refuses_a_conflict_first() {
    TestFramework::new("a_package_test_refuses_a_conflict_first")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let coin = wallet.get_utxo(&Default::default())?;
            let first = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(coin.clone()),
                ..SelfTransferOptions::default()
            })?;
            node.call("sendrawtransaction", json!([first.hex()]))?;
            // A rival paying nothing, with a child.
            let free = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(coin.clone()),
                fee_rate: Amount::ZERO,
                ..SelfTransferOptions::default()
            })?;
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(free.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            let r = node.call("testmempoolaccept", json!([[free.hex(), child.hex()]]))?;
            assert_eq!(r[0]["allowed"], json!(false), "{r}");
            assert_eq!(
                r[0]["reject-reason"],
                json!("bip125-replacement-disallowed"),
                "{r}"
            );
            assert_eq!(
                r[0]["reject-details"],
                json!("bip125-replacement-disallowed"),
                "{r}"
            );
            assert!(r[1].get("allowed").is_none(), "{r}");
            // A rival also spending what is nowhere.
            let mut lost = first.new_utxo().clone();
            lost.outpoint.vout = 7;
            let orphan = wallet.create_self_transfer_multi(
                &umkoin_harness::miniwallet::SelfTransferMultiOptions {
                    utxos: Some(vec![coin.clone(), lost]),
                    ..Default::default()
                },
            )?;
            let other = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let r = node.call("testmempoolaccept", json!([[orphan.hex(), other.hex()]]))?;
            assert_eq!(
                r[0]["reject-reason"],
                json!("bip125-replacement-disallowed"),
                "{r}"
            );
            assert!(r[1].get("allowed").is_none(), "{r}");
            Ok(())
        });
}

/// Core's `AcceptMultipleTransactions` runs `PreChecks` for every transaction of the
/// package first, then the package's TRUC rules and cluster limits, and only then the
/// scripts: a later transaction's policy failure, or a package-wide one, is what a
/// package `testmempoolaccept` reports even when an earlier transaction's scripts fail.
#[test]
fn a_package_test_checks_scripts_last() {
    TestFramework::new("a_package_test_checks_scripts_last")
        .num_nodes(1)
        .extra_args([["-limitclustercount=2"]])
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            // A parent whose scripts fail, and a child paying nothing.
            let parent = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let bad_parent = spoiled(&parent);
            let free = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                fee_rate: Amount::ZERO,
                ..SelfTransferOptions::default()
            })?;
            let r = node.call(
                "testmempoolaccept",
                json!([[tx_hex(&bad_parent), free.hex()]]),
            )?;
            assert!(r[0].get("allowed").is_none(), "{r}");
            assert_eq!(r[1]["allowed"], json!(false), "{r}");
            assert_eq!(r[1]["reject-details"], json!("min relay fee not met, 0 < 11"), "{r}");
            // Both pass alone; then the scripts fail.
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            let r = node.call(
                "testmempoolaccept",
                json!([[tx_hex(&bad_parent), child.hex()]]),
            )?;
            assert!(is_script_failure(&r[0]["reject-details"], &bad_parent), "{r}");
            assert!(r[1].get("allowed").is_none(), "{r}");
            // A version 3 parent whose scripts fail and a version 2 child: the package's
            // TRUC rules come first (the parent is not in the mempool, so each passes
            // alone).
            let v3 = wallet.create_self_transfer(&SelfTransferOptions {
                version: transaction::Version(3),
                ..SelfTransferOptions::default()
            })?;
            let bad_v3 = spoiled(&v3);
            let v2_child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(v3.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            let r = node.call(
                "testmempoolaccept",
                json!([[tx_hex(&bad_v3), v2_child.hex()]]),
            )?;
            let error = format!(
                "TRUC-violation, non-version=3 tx {} (wtxid={}) cannot spend from version=3 tx {} (wtxid={})",
                v2_child.txid,
                v2_child.wtxid,
                v3.txid,
                bad_v3.compute_wtxid()
            );
            for result in r.as_array().expect("results") {
                assert_eq!(result["package-error"], json!(error), "{r}");
                assert!(result.get("allowed").is_none(), "{r}");
            }
            // Three in a row over -limitclustercount=2: the package's cluster limit, not
            // the third transaction's.
            let chain = wallet.create_self_transfer_chain(3, None)?;
            let hexes: Vec<String> = chain.iter().map(SelfTransfer::hex).collect();
            let r = node.call("testmempoolaccept", json!([hexes]))?;
            for result in r.as_array().expect("results") {
                assert_eq!(result["package-error"], json!("too-large-cluster"), "{r}");
                assert!(result.get("allowed").is_none(), "{r}");
            }
            Ok(())
        });
}

/// Core's `ReplacementChecks` checks the cluster limits before the fee-rate diagram: a
/// replacement breaking both is refused for its cluster.
#[test]
fn a_replacement_meets_the_cluster_limit_before_the_diagram() {
    use umkoin_harness::miniwallet::SelfTransferMultiOptions;
    TestFramework::new("a_replacement_meets_the_cluster_limit_before_the_diagram")
        .num_nodes(1)
        .extra_args([["-limitclustercount=2"]])
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let coin = wallet.get_utxo(&Default::default())?;
            // A small transaction at a high fee rate.
            let first = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(coin.clone()),
                fee: Amount::from_sat(100_000),
                ..SelfTransferOptions::default()
            })?;
            node.call("sendrawtransaction", json!([first.hex()]))?;
            // A cluster of two: a parent with two outputs and a child.
            let parent = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                num_outputs: 2,
                ..Default::default()
            })?;
            node.call("sendrawtransaction", json!([parent.hex()]))?;
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxos[0].clone()),
                ..SelfTransferOptions::default()
            })?;
            node.call("sendrawtransaction", json!([child.hex()]))?;
            // More fee than the first at a far lower rate, joining the full cluster.
            let wide = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                utxos: Some(vec![coin.clone(), parent.new_utxos[1].clone()]),
                num_outputs: 20,
                fee_per_output: Amount::from_sat(5_100),
                ..Default::default()
            })?;
            assert!(wide.fee > first.fee, "{} {}", wide.fee, first.fee);
            let r = node.call("testmempoolaccept", json!([[wide.hex()]]))?[0].clone();
            assert_eq!(r["reject-reason"], json!("too-large-cluster"), "{r}");
            assert_eq!(r["reject-details"], json!("too-large-cluster"), "{r}");
            // Without joining the cluster, the diagram refuses it.
            let narrow = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                utxos: Some(vec![coin.clone()]),
                num_outputs: 20,
                fee_per_output: Amount::from_sat(5_100),
                ..Default::default()
            })?;
            let r = node.call("testmempoolaccept", json!([[narrow.hex()]]))?[0].clone();
            assert_eq!(
                r["reject-details"],
                json!("replacement-failed, insufficient feerate: does not improve feerate diagram"),
                "{r}"
            );
            Ok(())
        });
}

/// Core's `AcceptPackage`: when one transaction alone is left to judge after the others
/// were accepted, `AcceptSubPackage` judges it as a single transaction (replacing by the
/// single-transaction rules), not as a package.
#[test]
fn submitpackage_judges_a_lone_transaction_alone() {
    use umkoin_harness::miniwallet::SelfTransferMultiOptions;
    TestFramework::new("submitpackage_judges_a_lone_transaction_alone")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let coin = wallet.get_utxo(&Default::default())?;
            let first = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(coin.clone()),
                fee: Amount::from_sat(50_000),
                ..SelfTransferOptions::default()
            })?;
            node.call("sendrawtransaction", json!([first.hex()]))?;
            // The parent enters alone; the child replaces the first paying too little.
            let parent = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let child = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                utxos: Some(vec![parent.new_utxo().clone(), coin.clone()]),
                fee_per_output: Amount::from_sat(10_000),
                ..Default::default()
            })?;
            let answer = node.call("submitpackage", json!([[parent.hex(), child.hex()]]))?;
            assert_eq!(answer["package_msg"], json!("transaction failed"), "{answer}");
            assert_eq!(
                answer["tx-results"][child.wtxid.to_string()]["error"],
                json!(format!(
                    "insufficient fee, rejecting replacement {}, less fees than conflicting txs; 0.0001 < 0.0005",
                    child.txid
                )),
                "{answer}"
            );
            assert!(
                answer["tx-results"][parent.wtxid.to_string()]["fees"]["effective-feerate"]
                    .is_number(),
                "{answer}"
            );
            let mut both = vec![first.txid.to_string(), parent.txid.to_string()];
            both.sort();
            assert_eq!(mempool(node)?, both);
            // Paying enough, it replaces the first alone.
            let rich = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                utxos: Some(vec![parent.new_utxo().clone(), coin.clone()]),
                fee_per_output: Amount::from_sat(200_000),
                ..Default::default()
            })?;
            let answer = node.call("submitpackage", json!([[parent.hex(), rich.hex()]]))?;
            assert_eq!(answer["package_msg"], json!("success"), "{answer}");
            assert_eq!(answer["replaced-transactions"], json!([first.txid.to_string()]));
            assert_eq!(
                answer["tx-results"][rich.wtxid.to_string()]["fees"]["effective-includes"],
                json!([rich.wtxid.to_string()])
            );
            Ok(())
        });
}

/// Core's package arguments (`PackageChildWithParents`) allow replacements but not TRUC
/// sibling eviction: a package transaction whose TRUC parent in the mempool has another
/// child is refused, where alone it would evict that child.
#[test]
fn submitpackage_does_not_evict_truc_siblings_as_a_package() {
    use umkoin_harness::miniwallet::SelfTransferMultiOptions;
    TestFramework::new("submitpackage_does_not_evict_truc_siblings_as_a_package")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let v3 = transaction::Version(3);
            let top = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                num_outputs: 2,
                version: v3,
                ..Default::default()
            })?;
            node.call("sendrawtransaction", json!([top.hex()]))?;
            let sibling = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(top.new_utxos[0].clone()),
                version: v3,
                ..SelfTransferOptions::default()
            })?;
            node.call("sendrawtransaction", json!([sibling.hex()]))?;
            // A free second child of the top, with a child paying for it.
            let parent = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(top.new_utxos[1].clone()),
                version: v3,
                fee_rate: Amount::ZERO,
                ..SelfTransferOptions::default()
            })?;
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                version: v3,
                fee: Amount::from_sat(100_000),
                ..SelfTransferOptions::default()
            })?;
            let answer = node.call("submitpackage", json!([[parent.hex(), child.hex()]]))?;
            assert_eq!(
                answer["package_msg"],
                json!("transaction failed"),
                "{answer}"
            );
            assert_eq!(
                answer["tx-results"][parent.wtxid.to_string()]["error"],
                json!(format!(
                    "TRUC-violation, tx {} (wtxid={}) would exceed descendant count limit",
                    top.txid, top.wtxid
                )),
                "{answer}"
            );
            assert_eq!(
                answer["tx-results"][child.wtxid.to_string()]["error"],
                json!("bad-txns-inputs-missingorspent"),
                "{answer}"
            );
            // Paying too little to evict the sibling alone is a fee failure, which Core
            // reconsiders in the package: there the TRUC rule refuses it.
            let cheap = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(top.new_utxos[1].clone()),
                version: v3,
                fee: Amount::from_sat(1_000),
                ..SelfTransferOptions::default()
            })?;
            let alone = node.call("testmempoolaccept", json!([[cheap.hex()]]))?[0].clone();
            assert_eq!(
                alone["reject-reason"],
                json!("insufficient fee (including sibling eviction)"),
                "{alone}"
            );
            let cheap_child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(cheap.new_utxo().clone()),
                version: v3,
                fee: Amount::from_sat(100_000),
                ..SelfTransferOptions::default()
            })?;
            let answer = node.call("submitpackage", json!([[cheap.hex(), cheap_child.hex()]]))?;
            assert_eq!(
                answer["package_msg"],
                json!("transaction failed"),
                "{answer}"
            );
            assert_eq!(
                answer["tx-results"][cheap.wtxid.to_string()]["error"],
                json!(format!(
                    "TRUC-violation, tx {} (wtxid={}) would exceed descendant count limit",
                    top.txid, top.wtxid
                )),
                "{answer}"
            );
            let mut both = vec![top.txid.to_string(), sibling.txid.to_string()];
            both.sort();
            assert_eq!(mempool(node)?, both);
            Ok(())
        });
}

/// Core checks `submitpackage`'s `maxfeerate` right after `PreChecks` (and the cluster
/// checks of a single transaction), before the scripts; in a package, after each
/// transaction's `PreChecks`.
#[test]
fn submitpackage_checks_maxfeerate_before_scripts() {
    TestFramework::new("submitpackage_checks_maxfeerate_before_scripts")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            // Alone: 0.003 UMK/kvB over a limit of 0.00001.
            let rich = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let bad = spoiled(&rich);
            let answer = node.call("submitpackage", json!([[tx_hex(&bad)], 0.00001]))?;
            assert_eq!(
                answer["package_msg"],
                json!("transaction failed"),
                "{answer}"
            );
            assert_eq!(
                answer["tx-results"][bad.compute_wtxid().to_string()]["error"],
                json!("max feerate exceeded"),
                "{answer}"
            );
            // In a package: a free parent and a child over the limit whose scripts fail.
            let parent = wallet.create_self_transfer(&SelfTransferOptions {
                fee_rate: Amount::ZERO,
                ..SelfTransferOptions::default()
            })?;
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                fee: Amount::from_sat(50_000),
                ..SelfTransferOptions::default()
            })?;
            let bad_child = spoiled(&child);
            let answer = node.call(
                "submitpackage",
                json!([[parent.hex(), tx_hex(&bad_child)], 0.001]),
            )?;
            assert_eq!(
                answer["package_msg"],
                json!("transaction failed"),
                "{answer}"
            );
            assert_eq!(
                answer["tx-results"][bad_child.compute_wtxid().to_string()]["error"],
                json!("max feerate exceeded"),
                "{answer}"
            );
            assert_eq!(
                answer["tx-results"][parent.wtxid.to_string()]["error"],
                json!("min relay fee not met, 0 < 11"),
                "{answer}"
            );
            assert!(mempool(node)?.is_empty());
            Ok(())
        });
}

/// In `submitpackage`, as in the package test, the transactions judged together all
/// pass `PreChecks` before any script runs.
#[test]
fn submitpackage_checks_scripts_last() {
    TestFramework::new("submitpackage_checks_scripts_last")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            // A free parent whose scripts fail, and a child locked for 10 blocks.
            let parent = wallet.create_self_transfer(&SelfTransferOptions {
                fee_rate: Amount::ZERO,
                ..SelfTransferOptions::default()
            })?;
            let bad_parent = spoiled(&parent);
            let locked = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                fee: Amount::from_sat(50_000),
                sequence: Sequence::from_height(10),
                ..SelfTransferOptions::default()
            })?;
            let answer = node.call(
                "submitpackage",
                json!([[tx_hex(&bad_parent), locked.hex()]]),
            )?;
            assert_eq!(
                answer["package_msg"],
                json!("transaction failed"),
                "{answer}"
            );
            let results = &answer["tx-results"];
            assert_eq!(
                results[bad_parent.compute_wtxid().to_string()]["error"],
                json!("min relay fee not met, 0 < 11"),
                "{answer}"
            );
            assert_eq!(
                results[locked.wtxid.to_string()]["error"],
                json!("non-BIP68-final"),
                "{answer}"
            );
            // Without the lock, the parent's scripts fail.
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                fee: Amount::from_sat(50_000),
                ..SelfTransferOptions::default()
            })?;
            let answer = node.call("submitpackage", json!([[tx_hex(&bad_parent), child.hex()]]))?;
            assert_eq!(
                answer["package_msg"],
                json!("transaction failed"),
                "{answer}"
            );
            let results = &answer["tx-results"];
            assert!(
                is_script_failure(
                    &results[bad_parent.compute_wtxid().to_string()]["error"],
                    &bad_parent
                ),
                "{answer}"
            );
            assert_eq!(
                results[child.wtxid.to_string()]["error"],
                json!("bad-txns-inputs-missingorspent"),
                "{answer}"
            );
            assert!(mempool(node)?.is_empty());
            Ok(())
        });
}

/// Core's `AcceptPackage` goes on trying the other transactions alone after one fails
/// for a reason a package cannot change: they may enter on their own.
#[test]
fn submitpackage_goes_on_after_a_failure() {
    use umkoin_harness::miniwallet::SelfTransferMultiOptions;
    TestFramework::new("submitpackage_goes_on_after_a_failure")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let first = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let bad_first = spoiled(&first);
            let second = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let child = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                utxos: Some(vec![first.new_utxo().clone(), second.new_utxo().clone()]),
                ..Default::default()
            })?;
            let answer = node.call(
                "submitpackage",
                json!([[tx_hex(&bad_first), second.hex(), child.hex()]]),
            )?;
            assert_eq!(
                answer["package_msg"],
                json!("transaction failed"),
                "{answer}"
            );
            let results = &answer["tx-results"];
            assert!(
                is_script_failure(
                    &results[bad_first.compute_wtxid().to_string()]["error"],
                    &bad_first
                ),
                "{answer}"
            );
            assert_eq!(
                results[second.wtxid.to_string()]["vsize"],
                json!(104),
                "{answer}"
            );
            assert_eq!(
                results[child.wtxid.to_string()]["error"],
                json!("bad-txns-inputs-missingorspent"),
                "{answer}"
            );
            assert_eq!(mempool(node)?, vec![second.txid.to_string()]);
            Ok(())
        });
}

/// Core v31's `CFeeRate` compares exact fractions: in package RBF a package whose fee
/// rate is above its parent's by less than a satoshi per kvB is above it (though both
/// show the same rounded rate).
#[test]
fn package_rbf_compares_exact_fee_rates() {
    use umkoin_harness::bitcoin::{Transaction, TxIn, TxOut, Witness};
    TestFramework::new("package_rbf_compares_exact_fee_rates")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let coin = wallet.get_utxo(&Default::default())?;
            let first = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(coin.clone()),
                fee: Amount::from_sat(11),
                ..SelfTransferOptions::default()
            })?;
            node.call("sendrawtransaction", json!([first.hex()]))?;
            // 13 sat over 104 vB: exactly 125 sat/kvB; too little to replace alone.
            let parent = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(coin.clone()),
                fee: Amount::from_sat(13),
                ..SelfTransferOptions::default()
            })?;
            // A wide child bringing the package just above 125 sat/kvB.
            let value = parent.new_utxo().value;
            let child_paying = |wallet: &MiniWallet, fee: u64| -> anyhow::Result<Transaction> {
                let outputs = 30u64;
                let each = (value.to_sat() - fee) / outputs;
                let mut output: Vec<TxOut> = (0..outputs)
                    .map(|_| TxOut {
                        value: Amount::from_sat(each),
                        script_pubkey: wallet.script_pubkey().clone(),
                    })
                    .collect();
                output[0].value += Amount::from_sat(value.to_sat() - fee - each * outputs);
                let mut tx = Transaction {
                    version: transaction::Version::TWO,
                    lock_time: absolute::LockTime::ZERO,
                    input: vec![TxIn {
                        previous_output: parent.new_utxo().outpoint,
                        script_sig: Default::default(),
                        sequence: Sequence::ZERO,
                        witness: Witness::new(),
                    }],
                    output,
                };
                wallet.sign_tx(&mut tx, &[parent.new_utxo().txout()])?;
                Ok(tx)
            };
            let size = 104 + child_paying(&wallet, 0)?.vsize() as u64;
            // The least package fee above 125 sat/kvB, and still below 126.
            let package_fee = size / 8 + 1;
            assert!(package_fee * 1000 < 126 * size, "{package_fee} {size}");
            let child = child_paying(&wallet, package_fee - 13)?;
            let answer = node.call("submitpackage", json!([[parent.hex(), tx_hex(&child)]]))?;
            assert_eq!(answer["package_msg"], json!("success"), "{answer}");
            assert_eq!(
                answer["replaced-transactions"],
                json!([first.txid.to_string()])
            );
            assert_eq!(
                answer["tx-results"][parent.wtxid.to_string()]["fees"]["effective-feerate"]
                    .as_f64(),
                Some(0.00000125),
                "{answer}"
            );
            Ok(())
        });
}

/// The package phase of `submitpackage` applies Core's `PackageTRUCChecks`: a breach is
/// the package's error, and the transactions keep the results they had alone.
#[test]
fn submitpackage_applies_the_package_truc_rules() {
    TestFramework::new("submitpackage_applies_the_package_truc_rules")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            // A free version 3 parent and a version 2 child paying for it.
            let parent = wallet.create_self_transfer(&SelfTransferOptions {
                version: transaction::Version(3),
                fee_rate: Amount::ZERO,
                ..SelfTransferOptions::default()
            })?;
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                fee: Amount::from_sat(50_000),
                ..SelfTransferOptions::default()
            })?;
            let answer = node.call("submitpackage", json!([[parent.hex(), child.hex()]]))?;
            assert_eq!(
                answer["package_msg"],
                json!(format!(
                    "TRUC-violation, non-version=3 tx {} (wtxid={}) cannot spend from version=3 tx {} (wtxid={})",
                    child.txid, child.wtxid, parent.txid, parent.wtxid
                )),
                "{answer}"
            );
            let results = &answer["tx-results"];
            assert_eq!(
                results[parent.wtxid.to_string()]["error"],
                json!("min relay fee not met, 0 < 11"),
                "{answer}"
            );
            assert_eq!(
                results[child.wtxid.to_string()]["error"],
                json!("bad-txns-inputs-missingorspent"),
                "{answer}"
            );
            assert!(mempool(node)?.is_empty());
            Ok(())
        });
}

/// `-limitclustersize` holds the sum of the cluster's sigop-adjusted weights against
/// the limit in weight units (Core's `TxGraph` takes `cluster_size_vbytes * 4`), so
/// two transactions of 3,053 and 945 weight units (virtual sizes 764 and 237: 1,001 in
/// all) make a cluster within `-limitclustersize=1` (4,000), and one weight unit per
/// byte of `OP_RETURN` data more than that does not.
#[test]
fn the_cluster_size_limit_is_in_weight_not_rounded_virtual_sizes() {
    use umkoin_harness::bitcoin::{ScriptBuf, TxOut, script::PushBytesBuf};
    use umkoin_harness::miniwallet::SelfTransferMultiOptions;
    TestFramework::new("the_cluster_size_limit_is_in_weight_not_rounded_virtual_sizes")
        .num_nodes(1)
        .extra_args([["-limitclustersize=1"]])
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let mut coins = Vec::new();
            for _ in 0..5 {
                coins.push(wallet.get_utxo(&Default::default())?);
            }
            // Three inputs and fourteen outputs.
            let parent = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                utxos: Some(coins[..3].to_vec()),
                num_outputs: 14,
                ..SelfTransferMultiOptions::default()
            })?;
            // Three inputs (one of them the parent's) and an OP_RETURN output of `data`
            // bytes besides its own.
            let mut child = |data: usize| -> anyhow::Result<SelfTransfer> {
                let mut c = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                    utxos: Some(vec![
                        parent.new_utxos[0].clone(),
                        coins[3].clone(),
                        coins[4].clone(),
                    ]),
                    fee_per_output: Amount::from_sat(5_000),
                    ..SelfTransferMultiOptions::default()
                })?;
                c.tx.output.push(TxOut {
                    value: Amount::ZERO,
                    script_pubkey: ScriptBuf::new_op_return(PushBytesBuf::try_from(vec![
                        0x42u8;
                        data
                    ])?),
                });
                c.txid = c.tx.compute_txid();
                c.wtxid = c.tx.compute_wtxid();
                Ok(c)
            };
            let (fits, too_big) = (child(21)?, child(22)?);
            let weight = |t: &SelfTransfer| t.tx.weight().to_wu();
            assert_eq!(
                (weight(&parent), weight(&fits), weight(&too_big)),
                (3053, 945, 949)
            );
            assert_eq!((parent.tx.vsize(), fits.tx.vsize()), (764, 237));
            // As a package, checked together.
            let r = node.call("testmempoolaccept", json!([[parent.hex(), fits.hex()]]))?;
            assert_eq!(
                (&r[0]["allowed"], &r[1]["allowed"]),
                (&json!(true), &json!(true)),
                "{r}"
            );
            // submitpackage tries each alone first: the parent enters, the child not.
            let r = node.call("submitpackage", json!([[parent.hex(), too_big.hex()]]))?;
            assert_eq!(r["package_msg"], json!("transaction failed"), "{r}");
            let results = &r["tx-results"];
            assert_eq!(
                results[parent.wtxid.to_string()]["vsize"],
                json!(764),
                "{r}"
            );
            assert_eq!(
                results[too_big.wtxid.to_string()]["error"],
                json!("too-large-cluster"),
                "{r}"
            );
            assert_eq!(mempool(node)?, [parent.txid.to_string()]);
            let r = test_accept(node, &too_big)?;
            assert_eq!(r["reject-reason"], json!("too-large-cluster"), "{r}");
            node.call("sendrawtransaction", json!([fits.hex()]))?;
            assert_eq!(mempool(node)?.len(), 2);
            Ok(())
        });
}

/// A reorg whose re-added transaction joins mempool transactions into a cluster over
/// `-limitclustercount` trims it as Core's `TxGraph::Trim` does, before anything else
/// leaves: the re-added parent first, then the others by chunk fee rate (a cheap child
/// carried by its own child counts at their chunk's rate); what does not fit leaves, not
/// what came last.
#[test]
fn a_reorg_trims_a_cluster_over_the_limits_by_chunk_fee_rate() {
    use umkoin_harness::miniwallet::SelfTransferMultiOptions;
    TestFramework::new("a_reorg_trims_a_cluster_over_the_limits_by_chunk_fee_rate")
        .num_nodes(1)
        .extra_args([["-limitclustercount=4"]])
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let parent = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                num_outputs: 3,
                ..SelfTransferMultiOptions::default()
            })?;
            node.call("sendrawtransaction", json!([parent.hex()]))?;
            let hash = node.call("generatetoaddress", json!([1, P2WPKH]))?[0].clone();
            let mut spend = |utxo: &umkoin_harness::miniwallet::Utxo, sat_per_vb: u64| {
                wallet.create_self_transfer(&SelfTransferOptions {
                    utxo: Some(utxo.clone()),
                    fee_rate: Amount::from_sat(sat_per_vb * 1000),
                    ..SelfTransferOptions::default()
                })
            };
            // Children of the confirmed parent: 4, 30 and 3 sat/vB, the last with a child
            // of its own at 60 sat/vB (a chunk of 31.5 sat/vB with it).
            let c1 = spend(&parent.new_utxos[0], 4)?;
            let c2 = spend(&parent.new_utxos[1], 30)?;
            let c3 = spend(&parent.new_utxos[2], 3)?;
            let g3 = spend(c3.new_utxo(), 60)?;
            for t in [&c1, &c2, &c3, &g3] {
                node.call("sendrawtransaction", json!([t.hex()]))?;
            }
            // Back in the mempool, the parent makes a cluster of five: C3 and G3 (31.5),
            // then C2 (30) join it, and C1 (4) does not fit, so it leaves. Then G3 leaves
            // too: its relative lock (sequence 0 on a mempool coin) was worked out when
            // it arrived, for the block after the invalidated one, which is the next
            // block again (see `a_reorg_keeps_the_lock_points_of_a_transaction_on_mempool_coins`).
            node.call("invalidateblock", json!([hash]))?;
            let mut kept = vec![
                parent.txid.to_string(),
                c2.txid.to_string(),
                c3.txid.to_string(),
            ];
            kept.sort();
            assert_eq!(mempool(node)?, kept);
            // So there is room for C1 again.
            assert_eq!(test_accept(node, &c1)?["allowed"], json!(true));
            Ok(())
        });
}

/// Core keeps a mempool transaction's relative-lock points (`LockPoints`) through a
/// reorg while the block of its highest confirmed coin stays in the chain: one spending
/// mempool coins only under a relative lock of zero blocks was held, when it arrived,
/// out of the block at the tip's height, so when the tip goes back a block it leaves;
/// one whose coin's block is disconnected has them worked out again and stays, as does
/// one with its relative lock disabled.
#[test]
fn a_reorg_keeps_the_lock_points_of_a_transaction_on_mempool_coins() {
    use umkoin_harness::miniwallet::SelfTransferMultiOptions;
    TestFramework::new("a_reorg_keeps_the_lock_points_of_a_transaction_on_mempool_coins")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let parent = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            node.call("sendrawtransaction", json!([parent.hex()]))?;
            let hash = node.call("generatetoaddress", json!([1, P2WPKH]))?[0].clone();
            // A child of the confirmed parent, and two of its own: one under a relative
            // lock of zero blocks (sequence 0), one with relative locks disabled.
            let child = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                utxos: Some(vec![parent.new_utxo().clone()]),
                num_outputs: 2,
                ..SelfTransferMultiOptions::default()
            })?;
            let locked = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(child.new_utxos[0].clone()),
                ..SelfTransferOptions::default()
            })?;
            let unlocked = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(child.new_utxos[1].clone()),
                sequence: Sequence::ENABLE_RBF_NO_LOCKTIME,
                ..SelfTransferOptions::default()
            })?;
            for t in [&child, &locked, &unlocked] {
                node.call("sendrawtransaction", json!([t.hex()]))?;
            }
            node.call("invalidateblock", json!([hash]))?;
            let mut kept = vec![
                parent.txid.to_string(),
                child.txid.to_string(),
                unlocked.txid.to_string(),
            ];
            kept.sort();
            assert_eq!(mempool(node)?, kept);
            // Sent again, it is judged at the new tip and enters.
            node.call("sendrawtransaction", json!([locked.hex()]))?;
            assert_eq!(mempool(node)?.len(), 4);
            Ok(())
        });
}

/// `invalidateblock` follows the disconnections one block at a time, as Core's
/// `InvalidateBlock` does: the top block's transactions come back on the chain below it
/// (entering at its height), those of the block under it afterwards. So a transaction of
/// the top block spending its neighbour in that block under a relative lock of zero
/// blocks (lock points for the block the neighbour's coin counts at) is held out of the
/// next block once the tip goes back one more, and leaves.
#[test]
fn invalidateblock_brings_transactions_back_one_block_at_a_time() {
    TestFramework::new("invalidateblock_brings_transactions_back_one_block_at_a_time")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let base = block_count(node)?;
            // Block A: T1. Block B: T2 spending T1, and T3 with its child T4.
            let t1 = wallet.send_self_transfer(node, &SelfTransferOptions::default())?;
            let a = node.call("generatetoaddress", json!([1, P2WPKH]))?[0].clone();
            let t2 = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(t1.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            let t3 = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let t4 = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(t3.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            for t in [&t2, &t3, &t4] {
                node.call("sendrawtransaction", json!([t.hex()]))?;
            }
            node.call("generatetoaddress", json!([1, P2WPKH]))?;
            assert!(mempool(node)?.is_empty());
            node.call("invalidateblock", json!([a]))?;
            let mut back = vec![
                t1.txid.to_string(),
                t2.txid.to_string(),
                t3.txid.to_string(),
            ];
            back.sort();
            assert_eq!(mempool(node)?, back);
            // B's transactions entered on A, A's on the block below.
            assert_eq!(entry_height(node, &t2)?, json!(base + 1));
            assert_eq!(entry_height(node, &t3)?, json!(base + 1));
            assert_eq!(entry_height(node, &t1)?, json!(base));
            Ok(())
        });
}

/// Core's `InvalidateBlock` brings back the transactions of the ten blocks it
/// disconnects first only; those of deeper blocks do not come back, and what spends
/// them leaves.
#[test]
fn invalidateblock_brings_back_the_transactions_of_ten_blocks() {
    TestFramework::new("invalidateblock_brings_back_the_transactions_of_ten_blocks")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            // Eleven blocks of one transaction each; the top one also spends the first.
            let first = wallet.send_self_transfer(node, &SelfTransferOptions::default())?;
            let bottom = node.call("generatetoaddress", json!([1, P2WPKH]))?[0].clone();
            // Its coin is kept for the top block.
            let coin = wallet.get_utxo(&umkoin_harness::miniwallet::UtxoQuery {
                txid: Some(first.txid),
                ..Default::default()
            })?;
            let mut back = Vec::new();
            for _ in 0..10 {
                let t = wallet.send_self_transfer(node, &SelfTransferOptions::default())?;
                back.push(t.txid.to_string());
                node.call("generatetoaddress", json!([1, P2WPKH]))?;
            }
            // A second transaction in the top block, spending the first's coin.
            node.call(
                "invalidateblock",
                json!([node.call("getbestblockhash", json!([]))?]),
            )?;
            wallet.send_self_transfer(
                node,
                &SelfTransferOptions {
                    utxo: Some(coin),
                    ..SelfTransferOptions::default()
                },
            )?;
            node.call("generatetoaddress", json!([1, P2WPKH]))?;
            assert!(mempool(node)?.is_empty());
            node.call("invalidateblock", json!([bottom]))?;
            back.sort();
            assert_eq!(mempool(node)?, back);
            Ok(())
        });
}

/// A reorg to a fork holding the same transaction leaves its mempool child alone: the
/// transaction is confirmed again, not brought back and refused (which would take the
/// child with it).
#[test]
fn a_reorg_to_a_fork_confirming_the_same_transaction_keeps_its_child() {
    TestFramework::new("a_reorg_to_a_fork_confirming_the_same_transaction_keeps_its_child")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let parent = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let first =
                node.call("generateblock", json!([P2WPKH, [parent.hex()]]))?["hash"].clone();
            let child = wallet.send_self_transfer(
                node,
                &SelfTransferOptions {
                    utxo: Some(parent.new_utxo().clone()),
                    ..SelfTransferOptions::default()
                },
            )?;
            // The same transaction in a block of equal work on the other side.
            node.call("invalidateblock", json!([first]))?;
            node.call("generateblock", json!(["raw(51)", [parent.hex()]]))?;
            node.call("reconsiderblock", json!([first]))?;
            assert_eq!(mempool(node)?, [child.txid.to_string()]);
            // Back to the first block: the parent is disconnected and connected again.
            node.call("preciousblock", json!([first]))?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, first);
            assert_eq!(mempool(node)?, [child.txid.to_string()]);
            Ok(())
        });
}

/// `getblockcount`.
fn block_count(node: &TestNode) -> anyhow::Result<u64> {
    Ok(node
        .call("getblockcount", json!([]))?
        .as_u64()
        .expect("a height"))
}

/// `getmempoolentry`'s `height` of `t`.
fn entry_height(node: &TestNode, t: &SelfTransfer) -> anyhow::Result<Value> {
    Ok(node.call("getmempoolentry", json!([t.txid.to_string()]))?["height"].clone())
}

/// A reorg to a longer branch brings the disconnected transactions back as soon as the
/// branch has more work than the old tip, as Core's `ActivateBestChainStep` does, and
/// connects the rest of it afterwards: they enter at that height, not the final one.
#[test]
fn a_reorg_brings_transactions_back_once_the_new_branch_has_more_work() {
    TestFramework::new("a_reorg_brings_transactions_back_once_the_new_branch_has_more_work")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let base = block_count(node)?;
            let tx = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let old = node.call("generateblock", json!([P2WPKH, [tx.hex()]]))?["hash"].clone();
            // Three empty blocks on the other side.
            node.call("invalidateblock", json!([old]))?;
            let mut other = Vec::new();
            for _ in 0..3 {
                other.push(node.call("generateblock", json!(["raw(51)", []]))?["hash"].clone());
            }
            node.call("invalidateblock", json!([other[0]]))?;
            node.call("reconsiderblock", json!([old]))?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, old);
            assert!(mempool(node)?.is_empty());
            node.call("reconsiderblock", json!([other[0]]))?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, other[2]);
            assert_eq!(mempool(node)?, [tx.txid.to_string()]);
            // It came back when the second block of the branch was connected.
            assert_eq!(entry_height(node, &tx)?, json!(base + 2));
            Ok(())
        });
}

/// `invalidateblock` that ends on another branch still follows the disconnections one
/// block at a time before connecting the other branch.
#[test]
fn invalidateblock_onto_another_branch_brings_transactions_back_block_by_block() {
    TestFramework::new(
        "invalidateblock_onto_another_branch_brings_transactions_back_block_by_block",
    )
    .num_nodes(1)
    .run(|t| {
        let node = t.node(0);
        let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
        let base = block_count(node)?;
        let first = wallet.create_self_transfer(&SelfTransferOptions::default())?;
        let second = wallet.create_self_transfer(&SelfTransferOptions::default())?;
        let o1 = node.call("generateblock", json!([P2WPKH, [first.hex()]]))?["hash"].clone();
        node.call("generateblock", json!([P2WPKH, [second.hex()]]))?;
        // Two empty blocks on the other side, seen later.
        node.call("invalidateblock", json!([o1]))?;
        for _ in 0..2 {
            node.call("generateblock", json!(["raw(51)", []]))?;
        }
        node.call("reconsiderblock", json!([o1]))?;
        assert!(mempool(node)?.is_empty());
        node.call("invalidateblock", json!([o1]))?;
        assert_eq!(node.call("getblockcount", json!([]))?, json!(base + 2));
        let mut back = vec![first.txid.to_string(), second.txid.to_string()];
        back.sort();
        assert_eq!(mempool(node)?, back);
        assert_eq!(entry_height(node, &second)?, json!(base + 1));
        assert_eq!(entry_height(node, &first)?, json!(base));
        Ok(())
    });
}

/// The mempool's sequence number counts transactions entering and leaving, not the
/// blocks a reorg disconnects.
#[test]
fn the_mempool_sequence_does_not_count_disconnected_blocks() {
    TestFramework::new("the_mempool_sequence_does_not_count_disconnected_blocks")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let hashes = node.call("generatetoaddress", json!([3, P2WPKH]))?;
            wallet.send_self_transfer(node, &SelfTransferOptions::default())?;
            let sequence = || -> anyhow::Result<Value> {
                Ok(node.call("getrawmempool", json!([false, true]))?["mempool_sequence"].clone())
            };
            let before = sequence()?;
            node.call("invalidateblock", json!([hashes[0]]))?;
            assert_eq!(sequence()?, before);
            Ok(())
        });
}

/// A reorg's trim that cuts a cluster in two keeps Core's memory accounting for both
/// parts: the cheap child of a re-added parent and of another mempool transaction
/// leaves, and that other transaction is a cluster of its own again (`usage` to the byte
/// as Core's).
#[test]
fn a_reorg_trim_that_splits_a_cluster_keeps_cores_usage() {
    use umkoin_harness::miniwallet::SelfTransferMultiOptions;
    TestFramework::new("a_reorg_trim_that_splits_a_cluster_keeps_cores_usage")
        .num_nodes(1)
        .extra_args([["-limitclustercount=2"]])
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let parent = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let hash = node.call("generateblock", json!([P2WPKH, [parent.hex()]]))?["hash"].clone();
            let other = wallet.send_self_transfer(
                node,
                &SelfTransferOptions {
                    fee_rate: Amount::from_sat(50_000),
                    ..SelfTransferOptions::default()
                },
            )?;
            let child = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                utxos: Some(vec![parent.new_utxo().clone(), other.new_utxo().clone()]),
                fee_per_output: Amount::from_sat(300),
                ..SelfTransferMultiOptions::default()
            })?;
            node.call("sendrawtransaction", json!([child.hex()]))?;
            node.call("invalidateblock", json!([hash]))?;
            let mut kept = vec![parent.txid.to_string(), other.txid.to_string()];
            kept.sort();
            assert_eq!(mempool(node)?, kept);
            let info = node.call("getmempoolinfo", json!([]))?;
            // Two singletons of 1048 bytes each, and txns_randomized at a capacity of four
            // (176).
            assert_eq!(info["usage"], json!(2272), "{info}");
            Ok(())
        });
}

/// Undoing a block in which a transaction spends another of the same block leaves that
/// coin spent: when the first cannot come back (here a non-standard version), its child
/// cannot either, and the next block is mined as usual.
#[test]
fn a_disconnected_child_does_not_come_back_without_its_parent() {
    use umkoin_harness::bitcoin::transaction::Version;
    TestFramework::new("a_disconnected_child_does_not_come_back_without_its_parent")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let parent = wallet.create_self_transfer(&SelfTransferOptions {
                version: Version(5),
                ..SelfTransferOptions::default()
            })?;
            let child = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(parent.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            let block = node.call(
                "generateblock",
                json!([P2WPKH, [parent.hex(), child.hex()]]),
            )?["hash"]
                .clone();
            node.call("generatetoaddress", json!([1, P2WPKH]))?;
            node.call("invalidateblock", json!([block]))?;
            assert!(mempool(node)?.is_empty());
            node.call("generatetoaddress", json!([1, P2WPKH]))?;
            Ok(())
        });
}
