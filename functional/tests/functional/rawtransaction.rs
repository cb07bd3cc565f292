//! `decoderawtransaction` and `decodescript`: every answer compared, key order included,
//! with Umkoin Core v31.0's own (the fixtures), and Core's errors for what it refuses.

use serde_json::{Value, json};
use umkoin_harness::{TestFramework, assert_raises_rpc_error};
use umkoin_interfaces::rpc::code;

/// Core's `decoderawtransaction` answers: `[{name, params, result}]` (a coinbase, segwit
/// and legacy transactions, one without inputs that reads only without witness data, and
/// two that read both ways, each with `iswitness` absent, true or false where it matters).
const CORE_DECODERAWTRANSACTION: &str = include_str!("fixtures/decoderawtransaction.json");
/// Core's `decodescript` answers: `[{name, hex, result}]`, one script of each kind.
const CORE_DECODESCRIPT: &str = include_str!("fixtures/decodescript.json");

/// A regtest P2WPKH address.
const P2WPKH: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

/// The cases of a fixture.
fn cases(fixture: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(fixture).expect("the fixtures are JSON");
    v.as_array()
        .expect("a fixture is an array of cases")
        .clone()
}

/// A case's transaction hex (its first parameter).
fn tx_hex(case: &Value) -> String {
    case["params"][0]
        .as_str()
        .expect("the first parameter is the hex")
        .to_owned()
}

/// The fixture's case named `name`.
fn case<'a>(cases: &'a [Value], name: &str) -> &'a Value {
    cases
        .iter()
        .find(|c| c["name"] == name)
        .expect("the fixture has that case")
}

#[test]
fn decoderawtransaction_answers_as_cores() {
    TestFramework::new("decoderawtransaction_answers_as_cores")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            for case in cases(CORE_DECODERAWTRANSACTION) {
                let got = node.call("decoderawtransaction", case["params"].clone())?;
                assert_eq!(
                    got.to_string(),
                    case["result"].to_string(),
                    "{}",
                    case["name"]
                );
            }
            // Named parameters reach the same code.
            let cases = cases(CORE_DECODERAWTRANSACTION);
            let legacy = case(&cases, "the legacy transaction, iswitness false");
            let got = node.call(
                "decoderawtransaction",
                json!({"hexstring": tx_hex(legacy), "iswitness": false}),
            )?;
            assert_eq!(got.to_string(), legacy["result"].to_string());
            Ok(())
        });
}

#[test]
fn decoderawtransaction_reads_a_mined_coinbase_as_getblock_shows_it() {
    TestFramework::new("decoderawtransaction_reads_a_mined_coinbase_as_getblock_shows_it")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            node.call("setmocktime", json!([1_700_000_000]))?;
            let hashes = node.call("generatetoaddress", json!([1, P2WPKH]))?;
            let block = node.call("getblock", json!([hashes[0], 2]))?;
            let mut coinbase = block["tx"][0].clone();
            let hex = coinbase
                .as_object_mut()
                .expect("a transaction is an object")
                .remove("hex")
                .expect("verbosity 2 has the hex");
            let got = node.call("decoderawtransaction", json!([hex]))?;
            // getblock's entry less its hex, and Core's own answer for that coinbase.
            assert_eq!(got.to_string(), coinbase.to_string());
            let cases = cases(CORE_DECODERAWTRANSACTION);
            let core = case(
                &cases,
                "a coinbase: block 1 mined at mock time 1700000000 to a P2WPKH address",
            );
            assert_eq!(json!(tx_hex(core)), hex);
            assert_eq!(got.to_string(), core["result"].to_string());
            Ok(())
        });
}

#[test]
fn decoderawtransaction_refuses_what_core_refuses() {
    TestFramework::new("decoderawtransaction_refuses_what_core_refuses")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            let cases = cases(CORE_DECODERAWTRANSACTION);
            let segwit = tx_hex(case(&cases, "a segwit transaction (one witness input)"));
            let legacy = tx_hex(case(&cases, "a legacy transaction"));
            let no_inputs = tx_hex(case(
                &cases,
                "no inputs: reads only without witness data (the 01 is the output count)",
            ));
            let failed = [
                // Not hex, odd length, empty: `IsHex` refuses them before any reading.
                json!(["zz"]),
                json!(["0g"]),
                json!([format!("{legacy}0")]),
                json!(["000"]),
                json!([""]),
                // Bytes left over after the transaction.
                json!([format!("{legacy}00")]),
                json!([format!("{segwit}00"), true]),
                // Cut short.
                json!([&legacy[..legacy.len() - 2]]),
                // A length in a non-canonical compact size (fd 0100 for one input).
                json!([format!("01000000fd0100{}", &legacy[10..])]),
                // The segwit flag with no witness at all ("Superfluous witness record").
                json!(["0100000000010000000000"]),
                // A transaction that reads only one way, asked for the other.
                json!([segwit, false]),
                json!([no_inputs, true]),
            ];
            for params in failed {
                assert_raises_rpc_error(code::DESERIALIZATION_ERROR, "TX decode failed", || {
                    node.call("decoderawtransaction", params.clone())
                })?;
            }
            assert_raises_rpc_error(
                code::TYPE_ERROR,
                "Wrong type passed:\n{\n    \"Position 1 (hexstring)\": \"JSON value of type number is not of expected type string\"\n}",
                || node.call("decoderawtransaction", json!([1])),
            )?;
            assert_raises_rpc_error(
                code::TYPE_ERROR,
                "Wrong type passed:\n{\n    \"Position 2 (iswitness)\": \"JSON value of type string is not of expected type bool\"\n}",
                || node.call("decoderawtransaction", json!([legacy, "true"])),
            )?;
            assert_raises_rpc_error(
                code::MISC_ERROR,
                "decoderawtransaction \"hexstring\" ( iswitness )",
                || node.call("decoderawtransaction", json!([])),
            )?;
            Ok(())
        });
}

#[test]
fn decodescript_answers_as_cores() {
    TestFramework::new("decodescript_answers_as_cores")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            for case in cases(CORE_DECODESCRIPT) {
                let got = node.call("decodescript", json!([case["hex"]]))?;
                assert_eq!(
                    got.to_string(),
                    case["result"].to_string(),
                    "{}",
                    case["name"]
                );
            }
            // Hex digits in either case.
            let cases = cases(CORE_DECODESCRIPT);
            let p2pkh = case(&cases, "P2PKH");
            let upper = p2pkh["hex"]
                .as_str()
                .expect("the hex is a string")
                .to_uppercase();
            let got = node.call("decodescript", json!({ "hexstring": upper }))?;
            assert_eq!(got.to_string(), p2pkh["result"].to_string());
            Ok(())
        });
}

#[test]
fn decodescript_refuses_what_core_refuses() {
    TestFramework::new("decodescript_refuses_what_core_refuses")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            for bad in ["zz", "0g", "123", "0", "51 ", "0x51"] {
                assert_raises_rpc_error(
                    code::INVALID_PARAMETER,
                    &format!("argument must be hexadecimal string (not '{bad}')"),
                    || node.call("decodescript", json!([bad])),
                )?;
            }
            assert_raises_rpc_error(
                code::TYPE_ERROR,
                "Wrong type passed:\n{\n    \"Position 1 (hexstring)\": \"JSON value of type number is not of expected type string\"\n}",
                || node.call("decodescript", json!([51])),
            )?;
            assert_raises_rpc_error(code::MISC_ERROR, "decodescript \"hexstring\"", || {
                node.call("decodescript", json!(["51", "51"]))
            })?;
            Ok(())
        });
}

#[test]
fn getrawtransaction_finds_mempool_block_and_indexed_transactions() {
    use umkoin_harness::miniwallet::SelfTransferOptions;
    use umkoin_harness::{MiniWallet, MiniWalletMode};
    TestFramework::new("getrawtransaction_finds_mempool_block_and_indexed_transactions")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let sent = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let txid = sent.txid.to_string();
            node.call("sendrawtransaction", json!([sent.hex()]))?;
            // From the mempool: no block fields.
            assert_eq!(node.call("getrawtransaction", json!([txid]))?, json!(sent.hex()));
            let verbose = node.call("getrawtransaction", json!([txid, 1]))?;
            assert_eq!(verbose["txid"], json!(txid));
            assert!(verbose.get("blockhash").is_none(), "{verbose}");
            let hash = node.call("generatetoaddress", json!([1, "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"]))?[0].clone();
            // Confirmed, without -txindex: only with its block.
            assert_raises_rpc_error(
                code::INVALID_ADDRESS_OR_KEY,
                "No such mempool transaction. Use -txindex or provide a block hash to enable blockchain transaction queries. Use gettransaction for wallet transactions.",
                || node.call("getrawtransaction", json!([txid])),
            )?;
            let in_block = node.call("getrawtransaction", json!([txid, true, hash]))?;
            assert_eq!(in_block["in_active_chain"], json!(true));
            assert_eq!(in_block["blockhash"], hash);
            assert_eq!(in_block["confirmations"], json!(1));
            assert!(in_block.get("fee").is_none());
            // `verbose` is Core's other name for `verbosity`, here and in getblock.
            let named = node.call(
                "getrawtransaction",
                json!({"txid": txid, "verbose": 1, "blockhash": hash}),
            )?;
            assert_eq!(named, in_block);
            let block_hex = node.call("getblock", json!({"blockhash": hash, "verbose": 0}))?;
            assert_eq!(block_hex, node.call("getblock", json!([hash, 0]))?);
            let detailed = node.call("getrawtransaction", json!([txid, 2, hash]))?;
            assert_eq!(detailed["fee"].as_f64(), Some(0.000312));
            assert_eq!(detailed["vin"][0]["prevout"]["generated"], json!(true));
            let genesis = node.call("getblockhash", json!([0]))?;
            assert_raises_rpc_error(
                code::INVALID_ADDRESS_OR_KEY,
                "No such transaction found in the provided block. Use gettransaction for wallet transactions.",
                || node.call("getrawtransaction", json!([txid, 0, genesis])),
            )?;
            assert_raises_rpc_error(code::INVALID_ADDRESS_OR_KEY, "Block hash not found", || {
                node.call("getrawtransaction", json!([txid, 0, "00".repeat(32)]))
            })?;
            let genesis_coinbase = node.call("getblock", json!([genesis]))?["tx"][0].clone();
            assert_raises_rpc_error(
                code::INVALID_ADDRESS_OR_KEY,
                "The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved",
                || node.call("getrawtransaction", json!([genesis_coinbase])),
            )?;
            // With -txindex, built at start-up from the stored blocks.
            node.restart_with_args(&["-txindex"])?;
            umkoin_harness::try_wait_until(
                || {
                    Ok(node.call("getindexinfo", json!([]))?["txindex"]["synced"] == json!(true))
                },
                std::time::Duration::from_secs(60),
            )?;
            let indexed = node.call("getrawtransaction", json!([txid, 2]))?;
            assert_eq!(indexed["blockhash"], hash);
            assert!(indexed.get("in_active_chain").is_none());
            assert_eq!(indexed["fee"], detailed["fee"]);
            // A transaction of a disconnected block: still indexed, not confirmed.
            node.call("invalidateblock", json!([hash]))?;
            // To another address: the same block again would be the invalid one.
            node.call("generatetoaddress", json!([2, "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn"]))?;
            let stale = node.call("getrawtransaction", json!([txid, 1, hash]))?;
            assert_eq!(stale["in_active_chain"], json!(false));
            assert_eq!(stale["confirmations"], json!(0));
            // The index keeps to Core's datadir layout.
            assert!(node.chain_path().join("indexes").join("txindex").is_dir());
            // An index left behind (a start without -txindex) catches up at the next.
            node.restart()?;
            let newer = node.call(
                "generatetoaddress",
                json!([1, "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn"]),
            )?[0]
                .clone();
            let coinbase = node.call("getblock", json!([newer]))?["tx"][0].clone();
            node.restart_with_args(&["-txindex"])?;
            umkoin_harness::try_wait_until(
                || {
                    Ok(node.call("getindexinfo", json!([]))?["txindex"]["synced"] == json!(true))
                },
                std::time::Duration::from_secs(60),
            )?;
            let caught_up = node.call("getrawtransaction", json!([coinbase, 1]))?;
            assert_eq!(caught_up["blockhash"], newer);
            Ok(())
        });
}
