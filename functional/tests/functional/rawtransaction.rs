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
