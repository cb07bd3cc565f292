//! Blocks built by hand with the harness's `blocktools` and `MiniWallet`, submitted
//! with `submitblock`: the MiniWallet finds the cached chain's coins, its transfers go
//! in a block the node accepts, and blocks that break consensus get Core's reject
//! reasons (a spoiled taproot control block, a spoiled signature, an immature coinbase).

use serde_json::{Value, json};
use umkoin_harness::bitcoin::{Amount, Block, Denomination, Transaction};
use umkoin_harness::blocktools::{
    COINBASE_MATURITY, block_subsidy, chain_tip, next_block, submit_block,
};
use umkoin_harness::cache::{CACHE_ADDRESSES, CACHE_HEIGHT};
use umkoin_harness::miniwallet::{SelfTransfer, SelfTransferOptions, Utxo};
use umkoin_harness::{MiniWallet, MiniWalletMode, TestFramework, TestNode};

/// Core's answer to a block whose taproot spend commits to another output key.
const WITNESS_PROGRAM_MISMATCH: &str =
    "block-script-verify-flag-failed (Witness program hash mismatch)";
/// Core's answer to a block whose P2WPKH spend carries a bad signature.
const BAD_SIGNATURE: &str = "block-script-verify-flag-failed (Script evaluated without error but finished with a false/empty top stack element)";
/// Core's answer to a block spending a coinbase fewer than 100 blocks deep.
const PREMATURE_SPEND: &str = "bad-txns-premature-spend-of-coinbase";

/// A block on the node's tip holding `txs`, its coinbase taking their fees.
fn block_with(node: &TestNode, fees: Amount, txs: Vec<Transaction>) -> anyhow::Result<Block> {
    Ok(next_block(node)?.build(None, fees, txs))
}

/// Submits `block` and checks the node answers `expected` (`None`: accepted) and its
/// tip is then the block (accepted) or unchanged (rejected).
fn submit_expecting(node: &TestNode, block: &Block, expected: Option<&str>) -> anyhow::Result<()> {
    let before = chain_tip(node)?;
    let answer = submit_block(node, block)?;
    let tip = node.call("getbestblockhash", json!([]))?;
    match expected {
        None => {
            assert_eq!(answer, json!(null));
            assert_eq!(tip, json!(block.block_hash().to_string()));
        }
        Some(reason) => {
            assert_eq!(answer, json!(reason));
            assert_eq!(tip, json!(before.hash.to_string()));
        }
    }
    Ok(())
}

/// An amount as the RPC prints it (`"value": 49.99968800`).
fn json_amount(value: &Value) -> Amount {
    Amount::from_str_in(&value.to_string(), Denomination::Bitcoin).expect("an amount")
}

fn fees(transfers: &[&SelfTransfer]) -> Amount {
    transfers.iter().map(|t| t.fee).sum()
}

#[test]
fn miniwallet_transfers_in_a_submitted_block_are_accepted() {
    TestFramework::new("miniwallet_transfers_in_a_submitted_block_are_accepted")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            assert_eq!(
                wallet.address().map(ToString::to_string).as_deref(),
                Some(CACHE_ADDRESSES[3])
            );
            // The cached chain pays the wallet in blocks 76-100 (50 coins each, mature)
            // and 176-199 (25 coins each after the halving at 150, immature).
            assert_eq!(wallet.tip_height(), CACHE_HEIGHT as u32);
            assert_eq!(wallet.utxos().len(), 49);
            assert_eq!(wallet.balance(), Amount::from_int_btc(25 * 50 + 24 * 25));
            let mature = wallet.get_utxos(false, false, false);
            assert_eq!(mature.len(), 25);
            assert!(
                mature
                    .iter()
                    .all(|u| u.coinbase && (76..=100).contains(&u.height))
            );

            // Two transfers, the second spending the first's output, in one block
            // whose coinbase takes both fees.
            let first = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            assert_eq!(first.spent[0].height, 76);
            let second = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(first.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })?;
            let block = block_with(
                node,
                fees(&[&first, &second]),
                vec![first.tx.clone(), second.tx.clone()],
            )?;
            submit_expecting(node, &block, None)?;
            assert_eq!(node.call("getblockcount", json!([]))?, json!(200));
            assert_eq!(submit_block(node, &block)?, json!("duplicate"));

            // The first transfer's output is spent, the second's is there, and the
            // coinbase paid subsidy and fees.
            assert_eq!(
                node.call("gettxout", json!([first.txid.to_string(), 0]))?,
                json!(null)
            );
            let out = node.call("gettxout", json!([second.txid.to_string(), 0]))?;
            assert_eq!(out["confirmations"], json!(1));
            assert_eq!(json_amount(&out["value"]), second.new_utxo().value);
            assert_eq!(
                out["scriptPubKey"]["hex"],
                json!(wallet.script_pubkey().to_hex_string())
            );
            let coinbase = block.txdata[0].compute_txid().to_string();
            let out = node.call("gettxout", json!([coinbase, 0]))?;
            assert_eq!(out["coinbase"], json!(true));
            let paid = block_subsidy(200) + first.fee + second.fee;
            assert_eq!(json_amount(&out["value"]), paid);

            // A rescan sees the block: the second output confirmed, the new coinbase
            // immature, the first coin gone.
            wallet.rescan(node)?;
            assert_eq!(wallet.tip_height(), 200);
            let coins: Vec<&Utxo> = wallet.utxos().iter().collect();
            assert!(coins.iter().all(|u| u.outpoint != first.spent[0].outpoint));
            assert!(coins.iter().all(|u| u.outpoint.txid != first.txid));
            let confirmed = coins
                .iter()
                .find(|u| u.outpoint.txid == second.txid)
                .expect("the second transfer's output");
            assert_eq!((confirmed.height, confirmed.coinbase), (200, false));
            // Mature: the 24 coinbases left of blocks 76-100 and the transfer's output.
            assert_eq!(wallet.get_utxos(false, false, false).len(), 25);
            Ok(())
        });
}

#[test]
fn blocks_breaking_consensus_get_cores_reject_reasons() {
    TestFramework::new("blocks_breaking_consensus_get_cores_reject_reasons")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;

            // A control block with the wrong parity commits to another output key.
            let mut bad = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let mut stack: Vec<Vec<u8>> = bad.tx.input[0].witness.to_vec();
            assert_eq!(stack.len(), 2);
            stack[1][0] ^= 1;
            bad.tx.input[0].witness = stack.into();
            let block = block_with(node, bad.fee, vec![bad.tx.clone()])?;
            submit_expecting(node, &block, Some(WITNESS_PROGRAM_MISMATCH))?;

            // A coinbase of block 199 cannot be spent in block 200.
            let tip = wallet.tip_height();
            let immature = wallet
                .utxos()
                .iter()
                .filter(|u| !u.is_mature(tip))
                .max_by_key(|u| u.height)
                .cloned()
                .expect("an immature coinbase");
            assert_eq!(immature.height, 199);
            assert!(tip + 1 - immature.height < COINBASE_MATURITY);
            let early = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(immature),
                ..SelfTransferOptions::default()
            })?;
            let block = block_with(node, early.fee, vec![early.tx.clone()])?;
            submit_expecting(node, &block, Some(PREMATURE_SPEND))?;

            // The rejected blocks spent nothing: a rescan gives the coins back, and
            // the same coin spent properly is accepted. It pays a P2WPKH output.
            wallet.rescan(node)?;
            assert_eq!(wallet.get_utxos(false, false, false).len(), 25);
            let mut keyed = MiniWallet::new(MiniWalletMode::P2wpkh);
            let send = wallet.create_send_to(
                keyed.script_pubkey().clone(),
                Amount::from_int_btc(1),
                Amount::from_sat(1000),
            )?;
            assert_eq!(send.spent[0].outpoint, bad.spent[0].outpoint);
            let block = block_with(node, send.fee, vec![send.tx.clone()])?;
            submit_expecting(node, &block, None)?;

            // The key wallet finds its coin in the chain and spends it with a
            // signature; a spoiled signature is refused, the good one accepted.
            keyed.rescan(node)?;
            assert_eq!(keyed.utxos().len(), 1);
            assert_eq!(keyed.balance(), Amount::from_int_btc(1));
            let good = keyed.create_self_transfer(&SelfTransferOptions {
                confirmed_only: true,
                ..SelfTransferOptions::default()
            })?;
            let mut spoiled = good.tx.clone();
            let mut stack: Vec<Vec<u8>> = spoiled.input[0].witness.to_vec();
            // The last byte of s, before the sighash type.
            let at = stack[0].len() - 2;
            stack[0][at] ^= 1;
            spoiled.input[0].witness = stack.into();
            let block = block_with(node, good.fee, vec![spoiled])?;
            submit_expecting(node, &block, Some(BAD_SIGNATURE))?;
            let block = block_with(node, good.fee, vec![good.tx.clone()])?;
            submit_expecting(node, &block, None)?;
            let out = node.call("gettxout", json!([good.txid.to_string(), 0]))?;
            assert_eq!(
                out["scriptPubKey"]["address"],
                json!("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080")
            );
            Ok(())
        });
}
