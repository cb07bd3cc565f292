//! Rust clients written for Bitcoin Core read our answers: every RPC the node answers
//! that `corepc-types` (the rust-bitcoin org's typed Core RPC results) has a type for is
//! called with state that makes its answer non-trivial (MiniWallet transactions in the
//! mempool and in blocks, a package, a fork in the chain), and the JSON is parsed into
//! the type of the newest Core version it models (`corepc_types::v31`), then converted
//! with its `into_model()` where it has one (which parses amounts, hashes, scripts,
//! transactions and regtest addresses). A failure names the call, the type, serde's
//! error and the JSON.
//!
//! The types are built with `serde-deny-unknown-fields` (as corepc's own tests against
//! Core build them), so a field the node adds or misspells fails too, not only one it
//! leaves out.
//!
//! The same tests pass against Umkoin Core v31. Where Core's own answer does not fit the
//! type, that call is left out, with a comment saying what does not fit: an invalid
//! address to `validateaddress`, `testmempoolaccept` of a package it refuses,
//! `getrawtransaction` verbosity 2, and `signrawtransactionwithkey` without the key.
//!
//! RPCs with no type in `corepc-types`, so not here: `getnetworkhashps`, `uptime` and
//! `prioritisetransaction` (a number or a boolean); `gettxoutproof`, `help` and `stop` (a
//! string); `preciousblock`, `invalidateblock`, `reconsiderblock`, `submitblock`,
//! `submitheader`, `syncwithvalidationinterfacequeue` and `setmocktime` (null); and the
//! test-only `echo`, `echojson` and `echoipc`.

use std::any::type_name;
use std::collections::BTreeMap;
use std::fmt::Display;

use anyhow::{Context, anyhow};
use corepc_types::model::ChainTipsStatus;
use corepc_types::v31;
use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, Deserializer, Error as _, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Value, json};
use umkoin_harness::bitcoin::bip32::{DerivationPath, Fingerprint};
use umkoin_harness::bitcoin::secp256k1::Secp256k1;
use umkoin_harness::bitcoin::{Amount, NetworkKind, PrivateKey, ScriptBuf};
use umkoin_harness::blocktools::tx_hex;
use umkoin_harness::miniwallet::{
    ADDRESS_BCRT1_P2TR_OP_TRUE, DEFAULT_FEE, SelfTransfer, SelfTransferOptions,
};
use umkoin_harness::{MiniWallet, MiniWalletMode, TestFramework, TestNode};

/// A regtest P2WPKH address (of private key 1) to mine to.
const P2WPKH: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

/// One answer of the node and the call that got it.
struct Answer {
    /// The call, as `method [params]`.
    call: String,
    /// The result.
    json: Value,
}

impl Answer {
    /// The answer parsed as `T`; the error names the call, `T`, serde's error and the
    /// JSON.
    fn parse<T: DeserializeOwned>(&self) -> anyhow::Result<T> {
        T::deserialize(Plain(&self.json)).map_err(|e| {
            anyhow!(
                "{} does not parse as {}: {e}\nJSON: {:#}",
                self.call,
                type_name::<T>(),
                self.json
            )
        })
    }

    /// The answer parsed as `T`, then converted to its model with `into_model`; errors
    /// as [`Answer::parse`]'s.
    fn model<T: DeserializeOwned, M, E: Display>(
        &self,
        into_model: impl FnOnce(T) -> Result<M, E>,
    ) -> anyhow::Result<M> {
        into_model(self.parse::<T>()?).map_err(|e| {
            anyhow!(
                "{} parses as {} but its into_model() fails: {e}\nJSON: {:#}",
                self.call,
                type_name::<T>(),
                self.json
            )
        })
    }
}

/// A JSON value handed to serde as a client of `corepc-types` hands it over: numbers as
/// `u64`, `i64` or `f64`. The workspace's `serde_json` has `arbitrary_precision` (the
/// node needs exact amounts), with which `serde_json` gives every number to serde as a
/// one-entry map; serde's `#[serde(flatten)]` (the transactions of `getblock` 2 and 3)
/// then finds a map where it wants an `f64`, whatever the node said. This deserializer
/// gives numbers as `serde_json` without that feature does.
#[derive(Clone, Copy)]
struct Plain<'a>(&'a Value);

impl<'de> Deserializer<'de> for Plain<'_> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else if let Some(f) = n.as_f64() {
                    visitor.visit_f64(f)
                } else {
                    Err(Self::Error::custom(format!("number out of range: {n}")))
                }
            }
            Value::String(s) => visitor.visit_str(s),
            Value::Array(a) => visitor.visit_seq(SeqDeserializer::new(a.iter().map(Plain))),
            Value::Object(o) => visitor.visit_map(MapDeserializer::new(
                o.iter().map(|(k, v)| (k.as_str(), Plain(v))),
            )),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            other => Err(Self::Error::custom(format!(
                "expected an enum variant's name, found {other}"
            ))),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

impl<'de, 'a> IntoDeserializer<'de, serde_json::Error> for Plain<'a> {
    type Deserializer = Plain<'a>;

    fn into_deserializer(self) -> Self::Deserializer {
        self
    }
}

/// Calls `method` with `params`.
fn ask(node: &TestNode, method: &str, params: Value) -> anyhow::Result<Answer> {
    let call = format!("{method} {params}");
    let json = node.call(method, params).with_context(|| call.clone())?;
    Ok(Answer { call, json })
}

/// A test on one node with the cached chain.
fn with_node(name: &str, body: impl FnOnce(&TestNode) -> anyhow::Result<()>) {
    TestFramework::new(name)
        .num_nodes(1)
        .run(|t| body(t.node(0)));
}

/// A self-transfer spending `parent`'s first output.
fn child_of(wallet: &mut MiniWallet, parent: &SelfTransfer) -> anyhow::Result<SelfTransfer> {
    wallet.create_self_transfer(&SelfTransferOptions {
        utxo: Some(parent.new_utxo().clone()),
        ..SelfTransferOptions::default()
    })
}

#[test]
fn chain_rpcs_parse_as_corepc_types() {
    with_node("chain_rpcs_parse_as_corepc_types", |node| {
        let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
        // A block with a parent and its child besides the coinbase.
        let parent = wallet.send_self_transfer(node, &SelfTransferOptions::default())?;
        let child = child_of(&mut wallet, &parent)?;
        wallet.sendrawtransaction(node, &child.tx)?;
        let mined = ask(node, "generatetoaddress", json!([1, P2WPKH]))?
            .model(v31::GenerateToAddress::into_model)?;
        assert_eq!(mined.0.len(), 1);
        let hash = mined.0[0];
        let hash_hex = hash.to_string();
        wallet.rescan(node)?;

        let best =
            ask(node, "getbestblockhash", json!([]))?.model(v31::GetBestBlockHash::into_model)?;
        assert_eq!(best.0, hash);
        let count = ask(node, "getblockcount", json!([]))?.parse::<v31::GetBlockCount>()?;
        assert_eq!(count.0, 200);
        let by_height =
            ask(node, "getblockhash", json!([200]))?.model(v31::GetBlockHash::into_model)?;
        assert_eq!(by_height.0, hash);
        let info =
            ask(node, "getblockchaininfo", json!([]))?.model(v31::GetBlockchainInfo::into_model)?;
        assert_eq!((info.blocks, info.best_block_hash), (200, hash));

        let raw = ask(node, "getblock", json!([hash_hex, 0]))?
            .model(v31::GetBlockVerboseZero::into_model)?;
        let txids: Vec<_> = raw.0.txdata.iter().map(|tx| tx.compute_txid()).collect();
        assert_eq!(txids[1..], [parent.txid, child.txid]);
        let one = ask(node, "getblock", json!([hash_hex, 1]))?
            .model(v31::GetBlockVerboseOne::into_model)?;
        assert_eq!(one.tx, txids);
        let two = ask(node, "getblock", json!([hash_hex, 2]))?
            .model(v31::GetBlockVerboseTwo::into_model)?;
        assert_eq!(two.tx.len(), 3);
        let three = ask(node, "getblock", json!([hash_hex, 3]))?
            .model(v31::GetBlockVerboseThree::into_model)?;
        assert_eq!(three.tx.len(), 3);
        let header = ask(node, "getblockheader", json!([hash_hex, false]))?
            .model(v31::GetBlockHeader::into_model)?;
        assert_eq!(header.0.block_hash(), hash);
        let verbose = ask(node, "getblockheader", json!([hash_hex, true]))?
            .model(v31::GetBlockHeaderVerbose::into_model)?;
        assert_eq!((verbose.hash, verbose.n_tx), (hash, 3));

        ask(node, "getchaintxstats", json!([]))?.model(v31::GetChainTxStats::into_model)?;
        ask(node, "getchaintxstats", json!([10, hash_hex]))?
            .model(v31::GetChainTxStats::into_model)?;
        ask(node, "getdifficulty", json!([]))?.parse::<v31::GetDifficulty>()?;
        ask(node, "getmininginfo", json!([]))?.model(v31::GetMiningInfo::into_model)?;

        // A coin of the block, and the UTXO set with it.
        let coin = ask(node, "gettxout", json!([child.txid.to_string(), 0]))?
            .model(v31::GetTxOut::into_model)?;
        assert_eq!(coin.tx_out, child.new_utxo().txout());
        assert_eq!(coin.confirmations, 1);
        for hash_type in ["hash_serialized_3", "muhash", "none"] {
            let set = ask(node, "gettxoutsetinfo", json!([hash_type]))?
                .model(v31::GetTxOutSetInfo::into_model)?;
            assert_eq!((set.height, set.best_block), (200, hash));
        }
        let verified = ask(node, "verifychain", json!([4, 10]))?.parse::<v31::VerifyChain>()?;
        assert!(verified.0);

        let waited = ask(node, "waitforblock", json!([hash_hex, 1000]))?
            .model(v31::WaitForBlock::into_model)?;
        assert_eq!(waited.hash, hash);
        let waited = ask(node, "waitforblockheight", json!([200, 1000]))?
            .model(v31::WaitForBlockHeight::into_model)?;
        assert_eq!(waited.hash, hash);
        let waited =
            ask(node, "waitfornewblock", json!([1]))?.model(v31::WaitForNewBlock::into_model)?;
        assert_eq!(waited.hash, hash);

        // The other ways of mining.
        let mined = ask(
            node,
            "generatetodescriptor",
            json!([1, wallet.descriptor()]),
        )?
        .model(v31::GenerateToDescriptor::into_model)?;
        assert_eq!(mined.0.len(), 1);
        let tx = wallet.create_self_transfer(&SelfTransferOptions::default())?;
        let unsent = ask(node, "generateblock", json!([P2WPKH, [tx.hex()], false]))?
            .model(v31::GenerateBlock::into_model)?;
        let block = unsent
            .hex
            .context("generateblock with submit=false gives the block")?;
        assert_eq!(block.block_hash(), unsent.hash);
        assert_eq!(block.txdata[1].compute_txid(), tx.txid);
        let sent = ask(node, "generateblock", json!([P2WPKH, [tx.hex()]]))?
            .model(v31::GenerateBlock::into_model)?;
        assert_eq!(sent.hex, None);

        // A fork: the tip invalidated, a longer branch mined, the old tip reconsidered.
        let old_tip = sent.hash.to_string();
        node.call("invalidateblock", json!([old_tip]))?;
        ask(node, "generatetoaddress", json!([2, P2WPKH]))?;
        node.call("reconsiderblock", json!([old_tip]))?;
        let tips = ask(node, "getchaintips", json!([]))?.model(v31::GetChainTips::into_model)?;
        let mut statuses: Vec<_> = tips.0.iter().map(|t| (t.height, t.status)).collect();
        statuses.sort_by_key(|(height, _)| *height);
        assert_eq!(
            statuses,
            [
                (202, ChainTipsStatus::ValidFork),
                (203, ChainTipsStatus::Active)
            ]
        );
        Ok(())
    });
}

#[test]
fn mempool_rpcs_parse_as_corepc_types() {
    with_node("mempool_rpcs_parse_as_corepc_types", |node| {
        let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
        // A parent with its child, and a transaction alone.
        let parent = wallet.create_self_transfer(&SelfTransferOptions::default())?;
        let tested = ask(node, "testmempoolaccept", json!([[parent.hex()]]))?
            .model(v31::TestMempoolAccept::into_model)?;
        assert!(tested.results[0].allowed);
        let sent = ask(node, "sendrawtransaction", json!([parent.hex()]))?
            .model(v31::SendRawTransaction::into_model)?;
        assert_eq!(sent.0, parent.txid);
        wallet.scan_tx(&parent.tx);
        let refused = ask(node, "testmempoolaccept", json!([[parent.hex()]]))?
            .model(v31::TestMempoolAccept::into_model)?;
        assert_eq!(
            refused.results[0].reject_reason.as_deref(),
            Some("txn-already-in-mempool")
        );
        let child = child_of(&mut wallet, &parent)?;
        wallet.sendrawtransaction(node, &child.tx)?;
        let alone = wallet.send_self_transfer(node, &SelfTransferOptions::default())?;
        let (parent_id, child_id) = (parent.txid.to_string(), child.txid.to_string());

        let info =
            ask(node, "getmempoolinfo", json!([]))?.model(v31::GetMempoolInfo::into_model)?;
        assert_eq!(info.size, 3);
        let mut txids = vec![parent.txid, child.txid, alone.txid];
        txids.sort();
        let mut listed = ask(node, "getrawmempool", json!([]))?
            .model(v31::GetRawMempool::into_model)?
            .0;
        listed.sort();
        assert_eq!(listed, txids);
        let verbose = ask(node, "getrawmempool", json!([true]))?
            .model(v31::GetRawMempoolVerbose::into_model)?;
        assert_eq!(verbose.0.len(), 3);
        let sequence = ask(node, "getrawmempool", json!([false, true]))?
            .model(v31::GetRawMempoolSequence::into_model)?;
        assert_eq!(sequence.txids.len(), 3);
        let entry = ask(node, "getmempoolentry", json!([child_id]))?
            .model(v31::GetMempoolEntry::into_model)?;
        assert_eq!(entry.0.depends, [parent.txid]);
        let ancestors = ask(node, "getmempoolancestors", json!([child_id]))?
            .model(v31::GetMempoolAncestors::into_model)?;
        assert_eq!(ancestors.0, [parent.txid]);
        let ancestors = ask(node, "getmempoolancestors", json!([child_id, true]))?
            .model(v31::GetMempoolAncestorsVerbose::into_model)?;
        assert_eq!(ancestors.0.keys().collect::<Vec<_>>(), [&parent.txid]);
        let descendants = ask(node, "getmempooldescendants", json!([parent_id]))?
            .model(v31::GetMempoolDescendants::into_model)?;
        assert_eq!(descendants.0, [child.txid]);
        let descendants = ask(node, "getmempooldescendants", json!([parent_id, true]))?
            .model(v31::GetMempoolDescendantsVerbose::into_model)?;
        assert_eq!(descendants.0.keys().collect::<Vec<_>>(), [&child.txid]);
        let cluster = ask(node, "getmempoolcluster", json!([child_id]))?
            .model(v31::GetMempoolCluster::into_model)?;
        assert_eq!(cluster.tx_count, 2);
        ask(node, "getmempoolfeeratediagram", json!([]))?
            .model(v31::GetMempoolFeerateDiagram::into_model)?;

        // Coins: one the mempool spends, one it makes, and one it leaves alone.
        let spent = parent.spent[0].outpoint;
        let prevouts = json!([
            {"txid": spent.txid.to_string(), "vout": spent.vout},
            {"txid": child_id, "vout": 0},
        ]);
        let spending = ask(node, "gettxspendingprevout", json!([prevouts]))?
            .model(v31::GetTxSpendingPrevout::into_model)?;
        assert_eq!(spending.0[0].spending_txid, Some(parent.txid));
        assert_eq!(spending.0[1].spending_txid, None);
        let spending = ask(
            node,
            "gettxspendingprevout",
            json!([prevouts, {"return_spending_tx": true}]),
        )?
        .model(v31::GetTxSpendingPrevout::into_model)?;
        assert_eq!(spending.0[0].spending_tx.as_ref(), Some(&parent.tx));
        let coin = ask(node, "gettxout", json!([child_id, 0]))?.model(v31::GetTxOut::into_model)?;
        assert_eq!(coin.confirmations, 0);

        // Prioritisation.
        node.call("prioritisetransaction", json!([child_id, 0, 1000]))?;
        let prioritised = ask(node, "getprioritisedtransactions", json!([]))?
            .model(v31::GetPrioritisedTransactions::into_model)?;
        assert_eq!(
            prioritised.0[&child.txid].fee_delta,
            Amount::from_sat(1000).to_signed()?
        );

        // A package: a parent paying nothing with a child paying for both.
        let poor = wallet.create_self_transfer(&SelfTransferOptions {
            fee_rate: Amount::ZERO,
            ..SelfTransferOptions::default()
        })?;
        let rich = wallet.create_self_transfer(&SelfTransferOptions {
            utxo: Some(poor.new_utxo().clone()),
            fee: Amount::from_sat(5_000),
            ..SelfTransferOptions::default()
        })?;
        // testmempoolaccept of a package is checked with one it accepts: where it refuses
        // one transaction (the parent here: "min relay fee not met"), Core's answer for
        // the transactions after it is `{"txid":...,"wtxid":...}` only, without the
        // type's `allowed`.
        let fine = wallet.create_self_transfer(&SelfTransferOptions::default())?;
        let fine_child = child_of(&mut wallet, &fine)?;
        let tested = ask(
            node,
            "testmempoolaccept",
            json!([[fine.hex(), fine_child.hex()]]),
        )?
        .model(v31::TestMempoolAccept::into_model)?;
        assert!(tested.results.iter().all(|r| r.allowed));
        let package = json!([poor.hex(), rich.hex()]);
        let submitted =
            ask(node, "submitpackage", json!([package]))?.model(v31::SubmitPackage::into_model)?;
        assert_eq!(submitted.package_msg, "success");
        assert_eq!(submitted.tx_results.len(), 2);

        ask(node, "savemempool", json!([]))?.parse::<v31::SaveMempool>()?;
        Ok(())
    });
}

#[test]
fn getblocktemplate_parses_as_corepc_types() {
    with_node("getblocktemplate_parses_as_corepc_types", |node| {
        let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
        let parent = wallet.send_self_transfer(node, &SelfTransferOptions::default())?;
        let child = child_of(&mut wallet, &parent)?;
        wallet.sendrawtransaction(node, &child.tx)?;
        let template = ask(node, "getblocktemplate", json!([{"rules": ["segwit"]}]))?
            .model(v31::GetBlockTemplate::into_model)?;
        let txids: Vec<_> = template.transactions.iter().map(|t| t.txid).collect();
        assert_eq!(txids, [parent.txid, child.txid]);
        Ok(())
    });
}

#[test]
fn util_rpcs_parse_as_corepc_types() {
    with_node("util_rpcs_parse_as_corepc_types", |node| {
        let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
        let tx = wallet.create_self_transfer(&SelfTransferOptions::default())?;
        let decoded = ask(node, "decoderawtransaction", json!([tx.hex()]))?
            .model(v31::DecodeRawTransaction::into_model)?;
        assert_eq!(decoded.0, tx.tx);

        let keys = [G, G2, G3];
        let multisig = ask(node, "createmultisig", json!([2, keys]))?
            .model(v31::CreateMultisig::into_model)?;
        for address_type in ["legacy", "p2sh-segwit", "bech32"] {
            ask(node, "createmultisig", json!([1, keys, address_type]))?
                .model(v31::CreateMultisig::into_model)?;
        }
        let scripts = [
            // P2PKH, P2WPKH, P2TR, a multisig, an OP_RETURN, and a script that is none
            // of these.
            format!("76a914{KEY_HASH}88ac"),
            format!("0014{KEY_HASH}"),
            wallet.script_pubkey().to_hex_string(),
            multisig.redeem_script.to_hex_string(),
            "6a0568656c6c6f".to_owned(),
            "51".to_owned(),
        ];
        for script in scripts {
            ask(node, "decodescript", json!([script]))?.model(v31::DecodeScript::into_model)?;
        }

        // Every kind of address. An invalid one is left out: Core's answer (for one
        // character changed in `P2WPKH`: `{"isvalid":false,"error_locations":[43],
        // "error":"Invalid separator position"}`) lacks the type's `address`,
        // `scriptPubKey`, `isscript` and `iswitness`, and has two fields it lacks.
        let addresses = [
            "mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r".to_owned(),
            multisig.address.assume_checked().to_string(),
            P2WPKH.to_owned(),
            ADDRESS_BCRT1_P2TR_OP_TRUE.to_owned(),
        ];
        for address in &addresses {
            let valid = ask(node, "validateaddress", json!([address]))?
                .model(v31::ValidateAddress::into_model)?;
            assert!(valid.is_valid);
        }

        for descriptor in [
            format!("wpkh({G})"),
            format!("sh(multi(2,{G},{G2}))"),
            format!("tr({TPUB}/0/*)"),
            format!("wpkh({TPUB}/<0;1>/*)"),
            format!("pkh({WIF})"),
        ] {
            let info = ask(node, "getdescriptorinfo", json!([descriptor]))?
                .parse::<v31::GetDescriptorInfo>()?;
            assert_eq!(info.is_range, descriptor.contains('*'));
        }
        let with_checksum = |descriptor: &str| -> anyhow::Result<String> {
            let info = ask(node, "getdescriptorinfo", json!([descriptor]))?
                .parse::<v31::GetDescriptorInfo>()?;
            Ok(format!("{descriptor}#{}", info.checksum))
        };
        let single = with_checksum(&format!("wpkh({G})"))?;
        let derived = ask(node, "deriveaddresses", json!([single]))?
            .model(v31::DeriveAddresses::into_model)?;
        assert_eq!(derived.addresses.len(), 1);
        let ranged = with_checksum(&format!("tr({TPUB}/0/*)"))?;
        let derived = ask(node, "deriveaddresses", json!([ranged, [0, 4]]))?
            .model(v31::DeriveAddresses::into_model)?;
        assert_eq!(derived.addresses.len(), 5);
        let multipath = with_checksum(&format!("wpkh({TPUB}/<0;1>/*)"))?;
        let derived = ask(node, "deriveaddresses", json!([multipath, [0, 2]]))?
            .model(v31::DeriveAddressesMultipath::into_model)?;
        assert_eq!(derived.addresses.len(), 2);

        let signature = ask(node, "signmessagewithprivkey", json!([WIF, "a message"]))?
            .model(v31::SignMessageWithPrivKey::into_model)?;
        let signer = with_checksum(&format!("pkh({WIF})"))?;
        let signer = ask(node, "deriveaddresses", json!([signer]))?
            .model(v31::DeriveAddresses::into_model)?;
        let legacy = signer.addresses[0].clone().assume_checked().to_string();
        let verified = ask(
            node,
            "verifymessage",
            json!([legacy, signature.0.to_string(), "a message"]),
        )?
        .parse::<v31::VerifyMessage>()?;
        assert!(verified.0);
        Ok(())
    });
}

#[test]
fn block_info_rpcs_parse_as_corepc_types() {
    TestFramework::new("block_info_rpcs_parse_as_corepc_types")
        .num_nodes(1)
        .extra_args([vec!["-txindex"]])
        .run(|t| block_info_rpcs(t.node(0)));
}

fn block_info_rpcs(node: &TestNode) -> anyhow::Result<()> {
    let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
    let parent = wallet.send_self_transfer(node, &SelfTransferOptions::default())?;
    let parent_id = parent.txid.to_string();
    let raw = ask(node, "getrawtransaction", json!([parent_id, 0]))?
        .model(v31::GetRawTransaction::into_model)?;
    assert_eq!(raw.0, parent.tx);
    let verbose = ask(node, "getrawtransaction", json!([parent_id, 1]))?
        .model(v31::GetRawTransactionVerbose::into_model)?;
    assert_eq!(verbose.transaction, parent.tx);
    let child = child_of(&mut wallet, &parent)?;
    wallet.sendrawtransaction(node, &child.tx)?;
    let hash = node.call("generatetoaddress", json!([1, P2WPKH]))?[0].clone();
    // Confirmed: found by the index, and in the block given.
    let verbose = ask(node, "getrawtransaction", json!([parent_id, true]))?
        .model(v31::GetRawTransactionVerbose::into_model)?;
    assert_eq!(verbose.confirmations, Some(1));
    let verbose = ask(node, "getrawtransaction", json!([parent_id, 1, hash]))?
        .model(v31::GetRawTransactionVerbose::into_model)?;
    assert_eq!(verbose.in_active_chain, Some(true));
    // Verbosity 2 is left out: corepc-types has no type for it, and the one of
    // `getblock` 3's transactions (`GetRawTransactionVerboseWithPrevout`, whose `fee` is
    // in the type around it) lacks the `fee` of Core's answer (`"fee": 0.00031200` here).

    let stats = ask(node, "getblockstats", json!([hash]))?.model(v31::GetBlockStats::into_model)?;
    assert_eq!(stats.txs, Some(3));
    ask(
        node,
        "getblockstats",
        json!([200, ["height", "totalfee", "feerate_percentiles"]]),
    )?
    .model(v31::GetBlockStats::into_model)?;
    let deployments =
        ask(node, "getdeploymentinfo", json!([]))?.model(v31::GetDeploymentInfo::into_model)?;
    assert!(deployments.deployments.contains_key("taproot"));
    ask(node, "getdeploymentinfo", json!([hash]))?.model(v31::GetDeploymentInfo::into_model)?;

    // `gettxoutproof` answers a string, which has no type.
    let proof = node.call(
        "gettxoutproof",
        json!([[parent.txid.to_string(), child.txid.to_string()], hash]),
    )?;
    let proven =
        ask(node, "verifytxoutproof", json!([proof]))?.model(v31::VerifyTxOutProof::into_model)?;
    assert_eq!(proven.0, [parent.txid, child.txid]);

    let scan = ask(
        node,
        "scantxoutset",
        json!(["start", [format!("addr({P2WPKH})"), wallet.descriptor()]]),
    )?
    .model(v31::ScanTxOutSetStart::into_model)?;
    assert!(scan.success);
    assert!(!scan.unspents.is_empty());
    let indexes = ask(node, "getindexinfo", json!([]))?.parse::<v31::GetIndexInfo>()?;
    assert!(indexes.0.contains_key("txindex"));
    Ok(())
}

/// A coin of 1 BTC paid by `wallet` to the P2WPKH of private key 1, in the mempool (output
/// 1 of the transaction returned), and that key.
fn fund_key_one(
    wallet: &mut MiniWallet,
    node: &TestNode,
) -> anyhow::Result<(SelfTransfer, PrivateKey)> {
    let funding = wallet.create_send_to(
        ScriptBuf::from_hex(&format!("0014{KEY_HASH}"))?,
        Amount::ONE_BTC,
        DEFAULT_FEE,
    )?;
    wallet.sendrawtransaction(node, &funding.tx)?;
    let key = MiniWallet::new(MiniWalletMode::P2wpkh)
        .secret_key()
        .copied()
        .context("the P2WPKH wallet has a key")?;
    Ok((funding, PrivateKey::new(key, NetworkKind::Test)))
}

#[test]
fn raw_transaction_rpcs_parse_as_corepc_types() {
    with_node("raw_transaction_rpcs_parse_as_corepc_types", |node| {
        let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
        // A transaction spending a P2WPKH coin of private key 1, signed by the node.
        let (funding, key) = fund_key_one(&mut wallet, node)?;
        let wif = key.to_wif();
        let coin = json!({"txid": funding.txid.to_string(), "vout": 1});
        let unsigned = ask(
            node,
            "createrawtransaction",
            json!([[coin], [{P2WPKH: 0.9999}, {"data": "68656c6c6f"}]]),
        )?
        .model(v31::CreateRawTransaction::into_model)?;
        assert_eq!(unsigned.0.output.len(), 2);
        let unsigned_hex = tx_hex(&unsigned.0);
        let signed = ask(
            node,
            "signrawtransactionwithkey",
            json!([unsigned_hex, [wif]]),
        )?
        .model(v31::SignRawTransactionWithKey::into_model)?;
        assert!(signed.complete);
        // Signing without the key is left out: Core's answer lists the input in `errors`
        // with a `witness` (`"witness": []`) that the type's `SignFail` lacks.
        let combined = ask(
            node,
            "combinerawtransaction",
            json!([[unsigned_hex, tx_hex(&signed.tx)]]),
        )?
        .model(v31::CombineRawTransaction::into_model)?;
        assert_eq!(combined.0, signed.tx);
        Ok(())
    });
}

#[test]
fn psbt_rpcs_parse_as_corepc_types() {
    with_node("psbt_rpcs_parse_as_corepc_types", |node| {
        let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
        let (funding, key) = fund_key_one(&mut wallet, node)?;
        let coin = json!({"txid": funding.txid.to_string(), "vout": 1});
        let created = ask(
            node,
            "createpsbt",
            json!([[coin], [{P2WPKH: 0.9999}, {"data": "68656c6c6f"}]]),
        )?
        .model(v31::CreatePsbt::into_model)?;
        let mut psbt = created.0;
        let bare = psbt.to_string();
        // What an updater adds (the coin spent, the key's origin), then a signature.
        let secp = Secp256k1::new();
        let public = key.public_key(&secp);
        psbt.inputs[0].witness_utxo = Some(funding.tx.output[1].clone());
        psbt.inputs[0].bip32_derivation.insert(
            public.inner,
            (Fingerprint::default(), DerivationPath::master()),
        );
        let updated = psbt.to_string();
        let keys = BTreeMap::from([(public, key)]);
        psbt.sign(&keys, &secp)
            .map_err(|(_, e)| anyhow!("signing the PSBT: {e:?}"))?;
        let signed = psbt.to_string();

        for p in [&bare, &updated, &signed] {
            let decoded =
                ask(node, "decodepsbt", json!([p]))?.model(v31::DecodePsbt::into_model)?;
            assert_eq!(decoded.psbt.unsigned_tx, psbt.unsigned_tx);
            ask(node, "analyzepsbt", json!([p]))?.model(v31::AnalyzePsbt::into_model)?;
        }
        let combined = ask(node, "combinepsbt", json!([[updated, signed]]))?
            .model(v31::CombinePsbt::into_model)?;
        assert_eq!(combined.0, psbt);
        let kept = ask(node, "finalizepsbt", json!([signed, false]))?
            .model(v31::FinalizePsbt::into_model)?;
        assert!(kept.complete && kept.psbt.is_some());
        let finalized =
            ask(node, "finalizepsbt", json!([signed]))?.model(v31::FinalizePsbt::into_model)?;
        let tx = finalized
            .tx
            .context("finalizepsbt extracts the transaction")?;
        let accepted = ask(node, "testmempoolaccept", json!([[tx_hex(&tx)]]))?
            .model(v31::TestMempoolAccept::into_model)?;
        assert!(accepted.results[0].allowed, "{:?}", accepted.results[0]);
        Ok(())
    });
}

#[test]
fn control_rpcs_parse_as_corepc_types() {
    with_node("control_rpcs_parse_as_corepc_types", |node| {
        let info = ask(node, "getrpcinfo", json!([]))?.parse::<v31::GetRpcInfo>()?;
        assert_eq!(info.active_commands.len(), 1);
        ask(node, "logging", json!([]))?.parse::<v31::Logging>()?;
        ask(node, "logging", json!([["mempool"], ["net"]]))?.parse::<v31::Logging>()?;
        Ok(())
    });
}

/// The compressed public keys of private keys 1, 2 and 3.
const G: &str = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
const G2: &str = "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5";
const G3: &str = "02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9";
/// HASH160 of `G`.
const KEY_HASH: &str = "751e76e8199196d454941c45d1b3a323f1433bd6";
/// A test-chain WIF key (compressed).
const WIF: &str = "cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMvQSxqeAkB6q";
/// BIP 32 test vector 1's master public key in its test-chain form.
const TPUB: &str = "tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp";

#[test]
fn a_misfit_names_the_call_the_type_the_error_and_the_json() {
    let answer = Answer {
        call: "getmempoolcluster [\"ab\"]".to_owned(),
        json: json!({"clusterweight": 1, "txcount": 1, "chunks": [], "extra": 1.5}),
    };
    let error = answer
        .parse::<v31::GetMempoolCluster>()
        .expect_err("an unknown field is refused");
    let text = error.to_string();
    for part in [
        "getmempoolcluster [\"ab\"] does not parse as ",
        "GetMempoolCluster: unknown field `extra`",
        "\"extra\": 1.5",
    ] {
        assert!(text.contains(part), "{part:?} not in {text}");
    }
    // Numbers reach a flattened field as numbers (see `Plain`).
    let answer = Answer {
        call: "getblock".to_owned(),
        json: json!({"fee": 0.0001, "hex": "00", "txid": "", "hash": "", "size": 1,
            "vsize": 1, "weight": 4, "version": 2, "locktime": 0, "vin": [], "vout": []}),
    };
    let tx = answer
        .parse::<v31::GetBlockVerboseTwoTransaction>()
        .expect("a flattened transaction parses");
    assert_eq!(tx.fee, Some(0.0001));
}
