//! The RPCs a node answers today, with Umkoin Core's results and errors: chain height
//! and hashes, headers, `getblockchaininfo`, `getmempoolinfo`, `help`, `uptime`,
//! `echo`/`echojson` and `getrpcinfo`.

use serde_json::json;
use umkoin_harness::{TestFramework, assert_raises_rpc_error};
use umkoin_interfaces::rpc::code;

const GENESIS: &str = "60b48405c3efa2bd7aa6a8bc206e3369e58d15f60cba7a915769e9669758cb6d";

#[test]
fn chain_queries_answer_from_the_regtest_genesis() {
    TestFramework::new("chain_queries_answer_from_the_regtest_genesis")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let n = t.node(0);
            assert_eq!(n.call("getblockcount", json!([]))?, json!(0));
            assert_eq!(n.call("getbestblockhash", json!([]))?, json!(GENESIS));
            assert_eq!(n.call("getblockhash", json!([0]))?, json!(GENESIS));
            for bad in [json!([1]), json!([-1])] {
                assert_raises_rpc_error(code::INVALID_PARAMETER, "Block height out of range", || {
                    n.call("getblockhash", bad.clone())
                })?;
            }
            assert_raises_rpc_error(code::MISC_ERROR, "JSON integer out of range", || {
                n.call("getblockhash", json!([1.5]))
            })?;
            let info = n.call("getblockchaininfo", json!([]))?;
            assert_eq!(info["chain"], json!("regtest"));
            assert_eq!(info["blocks"], json!(0));
            assert_eq!(info["headers"], json!(0));
            assert_eq!(info["bestblockhash"], json!(GENESIS));
            assert_eq!(info["bits"], json!("207fffff"));
            assert_eq!(info["target"], json!("7fffff0000000000000000000000000000000000000000000000000000000000"));
            assert_eq!(info["difficulty"], json!(4.656542373906925e-10));
            assert_eq!(info["time"], json!(1511512200));
            assert_eq!(info["mediantime"], json!(1511512200));
            assert_eq!(info["initialblockdownload"], json!(true));
            assert_eq!(info["chainwork"], json!(format!("{:064x}", 2)));
            assert_eq!(info["pruned"], json!(false));
            assert_eq!(info["warnings"], json!([]));
            let progress = info["verificationprogress"].as_f64().expect("a number");
            assert!(progress > 0.0 && progress < 1e-4, "{progress}");

            let h = n.call("getblockheader", json!([GENESIS]))?;
            assert_eq!(h["hash"], json!(GENESIS));
            assert_eq!(h["confirmations"], json!(1));
            assert_eq!(h["height"], json!(0));
            assert_eq!(h["version"], json!(1));
            assert_eq!(h["versionHex"], json!("00000001"));
            assert_eq!(h["merkleroot"], json!("550ccf92f28cb76c3f8ccd5073a0175182ac8b03abe96d6b18da9b46f2e2941d"));
            assert_eq!(h["nonce"], json!(4));
            assert_eq!(h["nTx"], json!(1));
            assert!(h.get("previousblockhash").is_none());
            assert_eq!(
                n.call("getblockheader", json!([GENESIS, false]))?,
                json!("0100000000000000000000000000000000000000000000000000000000000000000000001d94e2f2469bda186b6de9ab038bac825117a07350cd8c3f6cb78cf292cf0c5588d8175affff7f2004000000")
            );
            assert_raises_rpc_error(code::INVALID_PARAMETER, "hash must be of length 64 (not 2, for '00')", || {
                n.call("getblockheader", json!(["00"]))
            })?;
            assert_raises_rpc_error(code::INVALID_ADDRESS_OR_KEY, "Block not found", || {
                n.call("getblockheader", json!(["00".repeat(32)]))
            })?;
            Ok(())
        });
}

#[test]
fn mempool_info_reports_an_empty_loaded_mempool() {
    TestFramework::new("mempool_info_reports_an_empty_loaded_mempool")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let info = t.node(0).call("getmempoolinfo", json!([]))?;
            assert_eq!(info["loaded"], json!(true));
            assert_eq!(info["size"], json!(0));
            assert_eq!(info["bytes"], json!(0));
            assert_eq!(info["maxmempool"], json!(300000000));
            let n = t.node(0);
            assert_eq!(n.call("getrawmempool", json!([]))?, json!([]));
            assert_eq!(
                n.call("syncwithvalidationinterfacequeue", json!([]))?,
                json!(null)
            );
            assert_eq!(n.call("getrawmempool", json!([true]))?, json!({}));
            assert_eq!(
                n.call("getrawmempool", json!([false, true]))?,
                json!({"txids": [], "mempool_sequence": 1})
            );
            umkoin_harness::assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "Verbose results cannot contain mempool sequence values.",
                || n.call("getrawmempool", json!([true, true])),
            )?;
            // Amounts keep Core's eight decimals on the wire.
            let r = t
                .node(0)
                .rpc()
                .post(r#"{"method":"getmempoolinfo","id":1}"#)?;
            let text = r.text();
            assert!(text.contains(r#""total_fee":0.00000000"#), "{text}");
            assert!(text.contains(r#""minrelaytxfee":0.00000100"#), "{text}");
            Ok(())
        });
}

#[test]
fn control_commands() {
    TestFramework::new("control_commands")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let n = t.node(0);
            let help = n.call("help", json!([]))?;
            let help = help.as_str().expect("help is text");
            assert!(help.starts_with("== Blockchain ==\n"), "{help}");
            for line in [
                "getblockhash height",
                "getblockheader \"blockhash\" ( verbose )",
                "== Control ==",
                "stop",
                "uptime",
            ] {
                assert!(help.lines().any(|l| l == line), "help lacks {line:?}");
            }
            assert!(!help.contains("echojson"), "hidden commands are not listed");
            let one = n.call("help", json!(["getblockhash"]))?;
            assert!(
                one.as_str()
                    .is_some_and(|s| s.starts_with("getblockhash height\n\nReturns hash of block"))
            );
            assert_eq!(
                n.call("help", json!(["nosuch"]))?,
                json!("help: unknown command: nosuch")
            );
            assert!(n.call("uptime", json!([]))?.as_u64().is_some());
            assert_eq!(
                n.call("echo", json!(["a", 1, {"x": 1}]))?,
                json!(["a", 1, {"x": 1}])
            );
            assert_eq!(n.call("echojson", json!([[1, 2]]))?, json!([[1, 2]]));
            assert_raises_rpc_error(code::MISC_ERROR, "Internal bug detected", || {
                n.call(
                    "echo",
                    json!([
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "trigger_internal_bug"
                    ]),
                )
            })?;
            let info = n.call("getrpcinfo", json!([]))?;
            assert_eq!(info["active_commands"][0]["method"], json!("getrpcinfo"));
            assert!(info["active_commands"][0]["duration"].as_u64().is_some());
            Ok(())
        });
}

#[test]
fn options_that_shape_chain_info() {
    TestFramework::new("options_that_shape_chain_info")
        .num_nodes(1)
        .setup_clean_chain(true)
        .extra_args([[
            "-deprecatedrpc=warnings".to_string(),
            "-maxtipage=2000000000".to_string(),
        ]])
        .run(|t| {
            let info = t.node(0).call("getblockchaininfo", json!([]))?;
            // Core's old single-string warnings, and a tip age limit that reaches
            // back to the genesis block's time ends initial block download.
            assert_eq!(info["warnings"], json!(""));
            assert_eq!(info["initialblockdownload"], json!(false));
            Ok(())
        });
}
