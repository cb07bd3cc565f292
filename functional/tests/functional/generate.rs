//! `generateblock` and `generatetodescriptor`: blocks of given transactions, checked as
//! Core checks them before mining (`TestBlockValidity`), and blocks paying a
//! descriptor's script, with Core's errors for what they refuse.

use serde_json::json;
use umkoin_harness::bitcoin::consensus::encode::deserialize_hex;
use umkoin_harness::bitcoin::{Block, Txid};
use umkoin_harness::blocktools::tx_hex;
use umkoin_harness::miniwallet::SelfTransferOptions;
use umkoin_harness::{MiniWallet, MiniWalletMode, TestFramework, assert_raises_rpc_error};
use umkoin_interfaces::rpc::code;

/// A regtest P2WPKH address and its script.
const P2WPKH: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
const P2WPKH_SCRIPT: &str = "0014751e76e8199196d454941c45d1b3a323f1433bd6";

#[test]
fn generateblock_mines_the_given_transactions() {
    TestFramework::new("generateblock_mines_the_given_transactions")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let first = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let second = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(first.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            let txs = json!([tx_hex(&first.tx), tx_hex(&second.tx)]);

            // Not submitted: the block comes back, the tip stays.
            let tip = node.call("getbestblockhash", json!([]))?;
            let made = node.call("generateblock", json!([P2WPKH, txs, false]))?;
            let block: Block =
                deserialize_hex(made["hex"].as_str().expect("hex")).expect("a block");
            assert_eq!(made["hash"], json!(block.block_hash().to_string()));
            assert_eq!(node.call("getbestblockhash", json!([]))?, tip);
            let txids: Vec<Txid> = block.txdata.iter().map(|tx| tx.compute_txid()).collect();
            assert_eq!(txids[1..], [first.txid, second.txid]);
            // The coinbase pays the subsidy alone to the output, and commits to the
            // witnesses.
            assert_eq!(block.txdata[0].output[0].value.to_sat(), 25 * 100_000_000);
            assert_eq!(
                block.txdata[0].output[0].script_pubkey.to_hex_string(),
                P2WPKH_SCRIPT
            );
            assert!(block.check_witness_commitment());
            assert_eq!(node.call("submitblock", json!([made["hex"]]))?, json!(null));
            assert_eq!(node.call("getbestblockhash", json!([]))?, made["hash"]);

            // Submitted: the next block spends the second transfer's output.
            let third = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(second.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            let made = node.call(
                "generateblock",
                json!([format!("addr({P2WPKH})"), [tx_hex(&third.tx)]]),
            )?;
            assert_eq!(made.as_object().map(|o| o.len()), Some(1), "{made}");
            assert_eq!(node.call("getbestblockhash", json!([]))?, made["hash"]);
            let block = node.call("getblock", json!([made["hash"], 1]))?;
            assert_eq!(block["tx"][1], json!(third.txid.to_string()));
            // An empty block, to a raw script.
            let made = node.call("generateblock", json!([format!("raw({P2WPKH_SCRIPT})"), []]))?;
            assert_eq!(node.call("getblock", json!([made["hash"], 1]))?["nTx"], json!(1));

            // A mempool transaction named by its txid.
            let pooled = wallet.send_self_transfer(node, &SelfTransferOptions::default())?;
            let made = node.call(
                "generateblock",
                json!([P2WPKH, [pooled.txid.to_string()]]),
            )?;
            let block = node.call("getblock", json!([made["hash"], 1]))?;
            assert_eq!(block["tx"][1], json!(pooled.txid.to_string()));
            assert_eq!(node.call("getrawmempool", json!([]))?, json!([]));

            // What Core refuses, and how.
            let tip = node.call("getbestblockhash", json!([]))?;
            // The same transaction again would overwrite its outputs.
            assert_raises_rpc_error(
                code::VERIFY_ERROR,
                "TestBlockValidity failed: bad-txns-BIP30",
                || node.call("generateblock", json!([P2WPKH, [tx_hex(&third.tx)]])),
            )?;
            let double = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(first.new_utxo().clone()),
                fee: umkoin_harness::bitcoin::Amount::from_sat(5000),
                ..SelfTransferOptions::default()
            })?;
            assert_raises_rpc_error(
                code::VERIFY_ERROR,
                "TestBlockValidity failed: bad-txns-inputs-missingorspent",
                || node.call("generateblock", json!([P2WPKH, [tx_hex(&double.tx)]])),
            )?;
            let immature = wallet
                .get_utxos(true, false, false)
                .into_iter()
                .find(|u| u.coinbase && u.height > 150)
                .expect("an immature coinbase");
            let young = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(immature),
                ..SelfTransferOptions::default()
            })?;
            assert_raises_rpc_error(
                code::VERIFY_ERROR,
                "TestBlockValidity failed: bad-txns-premature-spend-of-coinbase",
                || node.call("generateblock", json!([P2WPKH, [tx_hex(&young.tx)]])),
            )?;
            let missing = "00".repeat(32);
            assert_raises_rpc_error(
                code::INVALID_ADDRESS_OR_KEY,
                &format!("Transaction {missing} not in mempool."),
                || node.call("generateblock", json!([P2WPKH, [missing]])),
            )?;
            assert_raises_rpc_error(
                code::DESERIALIZATION_ERROR,
                "Transaction decode failed for 00. Make sure the tx has at least one input.",
                || node.call("generateblock", json!([P2WPKH, ["00"]])),
            )?;
            assert_raises_rpc_error(
                code::INVALID_ADDRESS_OR_KEY,
                "Error: Invalid address or descriptor",
                || node.call("generateblock", json!(["not an address", []])),
            )?;
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "Ranged descriptor not accepted. Maybe pass through deriveaddresses first?",
                || {
                    node.call(
                        "generateblock",
                        json!([
                            "wpkh(tpubD6NzVbkrYhZ4WaWSyoBvQwbpLkojyoTZPRsgXELWz3Popb3qkjcJyJUGLnL4qHHoQvao8ESaAstxYSnhyswJ76uZPStJRJCTKvosUCJZL5B/*)",
                            []
                        ]),
                    )
                },
            )?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, tip);
            Ok(())
        });
}

#[test]
fn generatetodescriptor_pays_the_descriptors_script() {
    TestFramework::new("generatetodescriptor_pays_the_descriptors_script")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            let hashes = node.call("generatetodescriptor", json!([2, format!("addr({P2WPKH})")]))?;
            assert_eq!(hashes.as_array().map(Vec::len), Some(2));
            let block = node.call("getblock", json!([hashes[1], 2]))?;
            assert_eq!(
                block["tx"][0]["vout"][0]["scriptPubKey"]["hex"],
                json!(P2WPKH_SCRIPT)
            );
            // A key descriptor, with its checksum.
            let desc = "wpkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)";
            let info = node.call("generatetodescriptor", json!([1, desc]))?;
            let block = node.call("getblock", json!([info[0], 2]))?;
            assert_eq!(
                block["tx"][0]["vout"][0]["scriptPubKey"]["hex"],
                json!("0014751e76e8199196d454941c45d1b3a323f1433bd6")
            );
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "Ranged descriptor not accepted. Maybe pass through deriveaddresses first?",
                || {
                    node.call(
                        "generatetodescriptor",
                        json!([1, "wpkh(tpubD6NzVbkrYhZ4WaWSyoBvQwbpLkojyoTZPRsgXELWz3Popb3qkjcJyJUGLnL4qHHoQvao8ESaAstxYSnhyswJ76uZPStJRJCTKvosUCJZL5B/*)"]),
                    )
                },
            )?;
            assert_raises_rpc_error(code::INVALID_ADDRESS_OR_KEY, "", || {
                node.call("generatetodescriptor", json!([1, "wpkh(nonsense)"]))
            })?;
            assert_eq!(node.call("getblockcount", json!([]))?, json!(3));
            Ok(())
        });
}
