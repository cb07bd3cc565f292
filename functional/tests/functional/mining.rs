//! Mining and the stored chain: `generatetoaddress` builds blocks Core accepts, they
//! are on disk as Core lays them out (`size_on_disk`), they survive a restart and a
//! SIGKILL once the call has returned, and a node killed in the middle of mining
//! restarts on a consistent chain.

use serde_json::json;
use umkoin_harness::{TestFramework, TestNode, assert_raises_rpc_error};
use umkoin_interfaces::rpc::code;

/// A regtest P2PKH address (testnet prefix, which regtest shares).
const P2PKH: &str = "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn";
/// A regtest P2WPKH address.
const P2WPKH: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

fn generate(node: &TestNode, n: u32, address: &str) -> anyhow::Result<Vec<String>> {
    let hashes = node.call("generatetoaddress", json!([n, address]))?;
    Ok(hashes
        .as_array()
        .expect("generatetoaddress answers an array")
        .iter()
        .map(|h| h.as_str().expect("block hashes are strings").to_owned())
        .collect())
}

/// Checks that the chain's top (up to 50 blocks) links up through the headers to the
/// tip, that every height below answers a hash, and returns the height.
fn assert_chain_consistent(node: &TestNode) -> anyhow::Result<i64> {
    let height = node
        .call("getblockcount", json!([]))?
        .as_i64()
        .expect("a number");
    let from = (height - 50).max(0);
    let mut prev = (from > 0)
        .then(|| node.call("getblockhash", json!([from - 1])))
        .transpose()?;
    for h in from..=height {
        let hash = node.call("getblockhash", json!([h]))?;
        let header = node.call("getblockheader", json!([hash]))?;
        assert_eq!(header["height"], json!(h));
        assert_eq!(header.get("previousblockhash").cloned(), prev);
        prev = Some(hash);
    }
    assert_eq!(
        node.call("getbestblockhash", json!([]))?,
        prev.expect("genesis at least")
    );
    Ok(height)
}

#[test]
fn generatetoaddress_mines_blocks_that_are_stored_as_cores() {
    TestFramework::new("generatetoaddress_mines_blocks_that_are_stored_as_cores")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            let info = node.call("getblockchaininfo", json!([]))?;
            // The genesis block alone: 248 bytes and its 8-byte frame.
            assert_eq!(info["size_on_disk"], json!(256));
            let hashes = generate(node, 3, P2PKH)?;
            assert_eq!(hashes.len(), 3);
            assert_eq!(node.call("getblockcount", json!([]))?, json!(3));
            assert_eq!(node.call("getbestblockhash", json!([]))?, json!(hashes[2]));
            for (i, h) in hashes.iter().enumerate() {
                assert_eq!(node.call("getblockhash", json!([i + 1]))?, json!(h));
                let header = node.call("getblockheader", json!([h]))?;
                assert_eq!(header["nTx"], json!(1));
                assert_eq!(header["version"], json!(0x2000_0000));
                assert_eq!(header["bits"], json!("207fffff"));
            }
            // Each block of coinbase alone paying a P2PKH script: the block (292 bytes)
            // and its frame, and its undo record (8-byte frame, 1 byte, 32-byte checksum).
            let info = node.call("getblockchaininfo", json!([]))?;
            assert_eq!(info["size_on_disk"], json!(256 + 3 * 300));
            assert_eq!(info["blocks"], json!(3));
            // A P2WPKH coinbase output is 3 bytes shorter than a P2PKH one.
            generate(node, 1, P2WPKH)?;
            let info = node.call("getblockchaininfo", json!([]))?;
            assert_eq!(info["size_on_disk"], json!(256 + 3 * 300 + 297));
            assert_chain_consistent(node)?;
            Ok(())
        });
}

#[test]
fn generatetoaddress_bad_arguments_get_cores_errors() {
    TestFramework::new("generatetoaddress_bad_arguments_get_cores_errors")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            for bad in [
                "notanaddress",
                "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
                "",
            ] {
                assert_raises_rpc_error(
                    code::INVALID_ADDRESS_OR_KEY,
                    "Error: Invalid address",
                    || node.call("generatetoaddress", json!([1, bad])),
                )?;
            }
            // No tries left: nothing is mined, and that is not an error.
            let none = node.call("generatetoaddress", json!([2, P2PKH, 0]))?;
            assert_eq!(none, json!([]));
            assert_eq!(
                node.call("generatetoaddress", json!([0, P2PKH]))?,
                json!([])
            );
            assert_raises_rpc_error(code::MISC_ERROR, "JSON integer out of range", || {
                node.call("generatetoaddress", json!([1.5, P2PKH]))
            })?;
            assert_eq!(node.call("getblockcount", json!([]))?, json!(0));
            Ok(())
        });
}

#[test]
fn mined_blocks_survive_restart_and_sigkill() {
    TestFramework::new("mined_blocks_survive_restart_and_sigkill")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let core = t.is_core();
            let node = t.node(0);
            let first = generate(node, 5, P2PKH)?;
            node.restart()?;
            assert_eq!(node.call("getblockcount", json!([]))?, json!(5));
            assert_eq!(node.call("getbestblockhash", json!([]))?, json!(first[4]));
            let size = node.call("getblockchaininfo", json!([]))?["size_on_disk"].clone();
            assert_eq!(size, json!(256 + 5 * 300));
            // A call that returned is durable: kill the node at once after it. (Stricter
            // than Core, which may restart on an older tip: there only consistency holds.)
            let more = generate(node, 7, P2WPKH)?;
            node.kill()?;
            node.start()?;
            let height = assert_chain_consistent(node)?;
            if !core {
                assert_eq!(node.call("getbestblockhash", json!([]))?, json!(more[6]));
                assert_eq!(height, 12);
            }
            // And mining goes on from there.
            generate(node, 1, P2PKH)?;
            assert_eq!(node.call("getblockcount", json!([]))?, json!(height + 1));
            Ok(())
        });
}

#[test]
fn a_node_killed_while_mining_restarts_consistent() {
    TestFramework::new("a_node_killed_while_mining_restarts_consistent")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let core = t.is_core();
            let node = t.node(0);
            const BLOCKS: i64 = 500;
            let mut height = 0;
            let mut landed = 0;
            for round in 0..20u32 {
                // A long call on a connection of its own; once it is in flight, the node
                // answers a varying number of other calls (so the kill lands at varying
                // points of the mining, or after it), then is killed without waiting.
                let client = node.new_rpc_client()?;
                let call = std::thread::spawn(move || {
                    client.call("generatetoaddress", json!([BLOCKS, P2PKH]))
                });
                umkoin_harness::try_wait_until(
                    || {
                        let in_flight = node.call("getrpcinfo", json!([]))?["active_commands"]
                            .as_array()
                            .is_some_and(|a| a.iter().any(|c| c["method"] == "generatetoaddress"));
                        Ok(in_flight || call.is_finished())
                    },
                    std::time::Duration::from_secs(60),
                )?;
                for _ in 0..round * 20 {
                    node.call("getblockcount", json!([]))?;
                }
                node.kill()?;
                let answered = call.join().expect("the RPC thread does not panic").is_ok();
                node.start()?;
                let now = assert_chain_consistent(node)?;
                assert!(
                    now >= height,
                    "round {round}: the chain went back from {height} to {now}"
                );
                if !core {
                    // A call's blocks are stored together: all of them or none.
                    assert_eq!(
                        (now - height) % BLOCKS,
                        0,
                        "round {round}: {height} -> {now}"
                    );
                    // And a call that answered is durable.
                    if answered {
                        assert_eq!(
                            now,
                            height + BLOCKS,
                            "round {round}: the answered call's blocks"
                        );
                    }
                }
                landed += i64::from(now > height);
                height = now;
            }
            eprintln!(
                "20 kills; {landed} of them after the call's blocks were stored; height {height}"
            );
            Ok(())
        });
}

#[test]
fn mock_time_makes_mining_deterministic_as_cores() {
    TestFramework::new("mock_time_makes_mining_deterministic_as_cores")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            for bad in [-1i64, 9_223_372_037] {
                assert_raises_rpc_error(
                    code::INVALID_PARAMETER,
                    &format!("Mocktime must be in the range [0, 9223372036], not {bad}."),
                    || node.call("setmocktime", json!([bad])),
                )?;
            }
            assert_raises_rpc_error(code::MISC_ERROR, "JSON integer out of range", || {
                node.call("setmocktime", json!([1.5]))
            })?;
            assert_eq!(
                node.call("setmocktime", json!([1_700_000_000]))?,
                json!(null)
            );
            // The same time, tip and address give Core's block, byte for byte: these
            // are the hashes Umkoin Core v31.0 mines at this mock time.
            let hashes = generate(node, 10, P2WPKH)?;
            assert_eq!(
                hashes[0],
                "50d77a0abb82409827aeffceb697d69060b14108b1c67ee7a0dcd499486515a5"
            );
            assert_eq!(
                hashes[9],
                "10aae0e68d0628f15311e8b705b30f93b9a515077004327a624e958a57f2962a"
            );
            let header = node.call("getblockheader", json!([hashes[0]]))?;
            assert_eq!(header["time"], json!(1_700_000_000));
            // Back to the system clock: blocks carry a time of today again.
            node.call("setmocktime", json!([0]))?;
            let next = generate(node, 1, P2WPKH)?;
            let header = node.call("getblockheader", json!([next[0]]))?;
            assert!(header["time"].as_i64().expect("a number") > 1_700_000_100);
            Ok(())
        });
}

#[test]
fn mocktime_option_sets_the_clock_at_start() {
    TestFramework::new("mocktime_option_sets_the_clock_at_start")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            node.restart_with_args(&["-mocktime=1700000000"])?;
            let hashes = generate(node, 1, P2WPKH)?;
            assert_eq!(
                hashes[0],
                "50d77a0abb82409827aeffceb697d69060b14108b1c67ee7a0dcd499486515a5"
            );
            Ok(())
        });
}

#[test]
fn a_negative_mocktime_fails_start_up() {
    TestFramework::new("a_negative_mocktime_fails_start_up")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            // Core asserts on this and aborts; ours refuses it with a clear error.
            ours_only!(t);
            let node = t.node(0);
            node.stop()?;
            node.assert_start_raises_init_error(
                &["-mocktime=-5"],
                Some("Error: -mocktime must not be negative, not -5"),
                umkoin_harness::ErrorMatch::Full,
            )
        });
}

#[test]
fn waitfor_rpcs_answer_when_the_tip_moves_or_time_runs_out() {
    TestFramework::new("waitfor_rpcs_answer_when_the_tip_moves_or_time_runs_out")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            // Two calls wait while others are answered: more than the framework's two
            // RPC threads.
            node.restart_with_args(&["-rpcthreads=4"])?;
            let genesis = node.call("getbestblockhash", json!([]))?;
            let at_genesis = json!({"hash": genesis, "height": 0});
            assert_raises_rpc_error(code::MISC_ERROR, "Negative timeout", || {
                node.call("waitfornewblock", json!([-1]))
            })?;
            assert_raises_rpc_error(code::MISC_ERROR, "Negative timeout", || {
                node.call("waitforblockheight", json!([1, -1]))
            })?;
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "current_tip must be of length 64 (not 2, for 'zz')",
                || node.call("waitfornewblock", json!([10, "zz"])),
            )?;
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "blockhash must be of length 64 (not 2, for '00')",
                || node.call("waitforblock", json!(["00", 10])),
            )?;
            // Time runs out: the current tip.
            assert_eq!(node.call("waitfornewblock", json!([10]))?, at_genesis);
            assert_eq!(node.call("waitforblockheight", json!([5, 10]))?, at_genesis);
            // A current_tip that is not the tip answers at once.
            let other = "00".repeat(32);
            assert_eq!(node.call("waitfornewblock", json!([0, other]))?, at_genesis);
            // Reached already: at once, without a timeout.
            assert_eq!(node.call("waitforblockheight", json!([0]))?, at_genesis);
            assert_eq!(node.call("waitforblock", json!([genesis]))?, at_genesis);
            assert_eq!(
                node.call("getchaintips", json!([]))?,
                json!([{
                    "height": 0, "hash": genesis, "branchlen": 0, "status": "active"
                }])
            );
            assert_eq!(
                node.call("getdifficulty", json!([]))?,
                json!(4.656542373906925e-10)
            );

            // Waiting without a timeout: each call returns when blocks arrive.
            let waiters: Vec<_> = [
                ("waitfornewblock", json!([])),
                ("waitforblockheight", json!([3])),
            ]
            .into_iter()
            .map(|(method, params)| {
                let client = node.new_rpc_client().expect("a second RPC client");
                std::thread::spawn(move || client.call(method, params))
            })
            .collect();
            // Both are in flight before any block is mined.
            umkoin_harness::try_wait_until(
                || {
                    Ok(node.call("getrpcinfo", json!([]))?["active_commands"]
                        .as_array()
                        .is_some_and(|a| a.len() == 3))
                },
                std::time::Duration::from_secs(30),
            )?;
            let first = generate(node, 1, P2PKH)?;
            let more = generate(node, 2, P2PKH)?;
            let mut answers = waiters.into_iter().map(|w| w.join().expect("no panic"));
            let new_block = answers.next().expect("two waiters")?;
            assert_eq!(new_block, json!({"hash": first[0], "height": 1}));
            let height3 = answers.next().expect("two waiters")?;
            assert_eq!(height3, json!({"hash": more[1], "height": 3}));
            assert_eq!(
                node.call("waitforblock", json!([more[1], 10]))?["height"],
                json!(3)
            );

            // Shutdown wakes a waiter, which answers the current tip.
            let client = node.new_rpc_client()?;
            let waiter = std::thread::spawn(move || client.call("waitfornewblock", json!([])));
            umkoin_harness::try_wait_until(
                || {
                    Ok(node.call("getrpcinfo", json!([]))?["active_commands"]
                        .as_array()
                        .is_some_and(|a| a.len() == 2))
                },
                std::time::Duration::from_secs(30),
            )?;
            node.stop()?;
            let answered = waiter.join().expect("no panic")?;
            assert_eq!(answered, json!({"hash": more[1], "height": 3}));
            Ok(())
        });
}

#[test]
fn leaving_initial_block_download_is_for_good() {
    TestFramework::new("leaving_initial_block_download_is_for_good")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            let ibd = |node: &TestNode| -> anyhow::Result<serde_json::Value> {
                Ok(node.call("getblockchaininfo", json!([]))?["initialblockdownload"].clone())
            };
            // The regtest genesis block is from 2017: the node starts in IBD.
            assert_eq!(ibd(node)?, json!(true));
            generate(node, 1, P2PKH)?;
            assert_eq!(ibd(node)?, json!(false));
            // A tip that grows old again does not bring IBD back (Core latches it).
            let far = node.call(
                "getblockheader",
                json!([node.call("getbestblockhash", json!([]))?]),
            )?["time"]
                .as_i64()
                .expect("a number")
                + 30 * 24 * 60 * 60;
            node.call("setmocktime", json!([far]))?;
            assert_eq!(ibd(node)?, json!(false));
            // After a restart the judgement starts again, on the old tip.
            node.restart_with_args(&[&format!("-mocktime={far}")])?;
            assert_eq!(ibd(node)?, json!(true));
            Ok(())
        });
}

/// Umkoin Core v31.0's `getblock` answers for the regtest genesis block and for block 1
/// mined at mock time 1700000000 to [`P2WPKH`] (verbatim from Core, as fixtures).
const CORE_GETBLOCK_1_V1: &str = include_str!("fixtures/getblock_1_verbosity1.json");
const CORE_GETBLOCK_1_V2: &str = include_str!("fixtures/getblock_1_verbosity2.json");
const CORE_GETBLOCK_0_V2: &str = include_str!("fixtures/getblock_0_verbosity2.json");

#[test]
fn getblock_answers_as_cores_at_every_verbosity() {
    TestFramework::new("getblock_answers_as_cores_at_every_verbosity")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            node.call("setmocktime", json!([1_700_000_000]))?;
            let hash = generate(node, 1, P2WPKH)?.remove(0);
            let genesis = node.call("getblockhash", json!([0]))?;
            let parse = |s: &str| -> serde_json::Value {
                serde_json::from_str(s).expect("the fixtures are JSON")
            };
            // Key order matters too: compare the texts.
            let same = |got: serde_json::Value, want: &str| {
                assert_eq!(got.to_string(), parse(want).to_string());
            };
            same(node.call("getblock", json!([hash]))?, CORE_GETBLOCK_1_V1);
            same(node.call("getblock", json!([hash, 1]))?, CORE_GETBLOCK_1_V1);
            same(
                node.call("getblock", json!([hash, true]))?,
                CORE_GETBLOCK_1_V1,
            );
            same(node.call("getblock", json!([hash, 2]))?, CORE_GETBLOCK_1_V2);
            // A coinbase has no prevouts: verbosity 3 (and above) answers as 2.
            same(node.call("getblock", json!([hash, 3]))?, CORE_GETBLOCK_1_V2);
            same(node.call("getblock", json!([hash, 7]))?, CORE_GETBLOCK_1_V2);
            same(
                node.call("getblock", json!([genesis, 2]))?,
                CORE_GETBLOCK_0_V2,
            );
            // Verbosity 0 (or below, or false): the block's bytes, as in the verbose form.
            let raw = node.call("getblock", json!([hash, 0]))?;
            let tx_hex = parse(CORE_GETBLOCK_1_V2)["tx"][0]["hex"].clone();
            let raw = raw.as_str().expect("hex");
            assert!(raw.ends_with(tx_hex.as_str().expect("hex")), "{raw}");
            assert_eq!(node.call("getblock", json!([hash, -1]))?, json!(raw));
            assert_eq!(node.call("getblock", json!([hash, false]))?, json!(raw));
            assert_eq!(raw.len(), 2 * 248);
            // Core's errors.
            assert_raises_rpc_error(
                code::TYPE_ERROR,
                "JSON value of type string is not of expected type number",
                || node.call("getblock", json!([hash, "1"])),
            )?;
            assert_raises_rpc_error(code::MISC_ERROR, "JSON integer out of range", || {
                node.call("getblock", json!([hash, 1.5]))
            })?;
            assert_raises_rpc_error(code::INVALID_ADDRESS_OR_KEY, "Block not found", || {
                node.call("getblock", json!(["11".repeat(32)]))
            })?;
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "blockhash must be of length 64 (not 3, for 'abc')",
                || node.call("getblock", json!(["abc"])),
            )?;
            Ok(())
        });
}

/// Umkoin Core v31.0's `gettxout` for block 1's coinbase output 0 after two blocks mined
/// at mock time 1700000000 to [`P2WPKH`].
const CORE_GETTXOUT: &str = include_str!("fixtures/gettxout_block1_coinbase.json");

#[test]
fn gettxout_reads_the_stored_utxo_set_as_cores() {
    TestFramework::new("gettxout_reads_the_stored_utxo_set_as_cores")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            node.call("setmocktime", json!([1_700_000_000]))?;
            let hashes = generate(node, 2, P2WPKH)?;
            let coinbase = node.call("getblock", json!([hashes[0]]))?["tx"][0].clone();
            let want: serde_json::Value =
                serde_json::from_str(CORE_GETTXOUT).expect("the fixture is JSON");
            let got = node.call("gettxout", json!([coinbase, 0]))?;
            assert_eq!(got.to_string(), want.to_string());
            assert_eq!(node.call("gettxout", json!([coinbase, 0, false]))?, want);
            // Output 1 is the witness commitment: OP_RETURN outputs are never coins.
            assert_eq!(node.call("gettxout", json!([coinbase, 1]))?, json!(null));
            assert_eq!(node.call("gettxout", json!([coinbase, 2]))?, json!(null));
            assert_eq!(
                node.call("gettxout", json!(["22".repeat(32), 0]))?,
                json!(null)
            );
            // The genesis coinbase is not spendable: not in the UTXO set.
            let genesis = node.call("getblock", json!([node.call("getblockhash", json!([0]))?]))?;
            assert_eq!(
                node.call("gettxout", json!([genesis["tx"][0], 0]))?,
                json!(null)
            );
            for bad in [json!(-1), json!(4_294_967_296u64), json!(1.5)] {
                assert_raises_rpc_error(code::MISC_ERROR, "JSON integer out of range", || {
                    node.call("gettxout", json!([coinbase, bad]))
                })?;
            }
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "txid must be of length 64 (not 2, for 'zz')",
                || node.call("gettxout", json!(["zz", 0])),
            )?;
            // Coins survive a restart, and confirmations follow the tip.
            node.restart()?;
            generate(node, 1, P2WPKH)?;
            assert_eq!(
                node.call("gettxout", json!([coinbase, 0]))?["confirmations"],
                json!(3)
            );
            Ok(())
        });
}

/// Waits until `node`'s chain is `height` blocks high (Core reindexes in the background).
fn wait_for_height(node: &TestNode, height: i64) -> anyhow::Result<()> {
    umkoin_harness::try_wait_until(
        || Ok(node.call("getblockcount", json!([]))? == json!(height)),
        std::time::Duration::from_secs(60),
    )
}

#[test]
fn reindex_rebuilds_the_chain_from_the_block_files() {
    TestFramework::new("reindex_rebuilds_the_chain_from_the_block_files")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            let hashes = generate(node, 12, P2WPKH)?;
            let tip = json!(hashes[11]);
            let coinbase = node.call("getblock", json!([hashes[3]]))?["tx"][0].clone();
            let coin = node.call("gettxout", json!([coinbase, 0]))?;
            let size = node.call("getblockchaininfo", json!([]))?["size_on_disk"].clone();
            node.stop()?;
            node.assert_debug_log(
                &["Reindexing block file blk00000.dat", "Reindexing finished"],
                &[],
                |n| {
                    n.start_with_args(&["-reindex"])?;
                    wait_for_height(n, 12)
                },
            )?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, tip);
            assert_eq!(node.call("gettxout", json!([coinbase, 0]))?, coin);
            assert_eq!(
                node.call("getblockchaininfo", json!([]))?["size_on_disk"],
                size
            );
            // -reindex-chainstate: the UTXO set again, from the indexed blocks.
            node.restart_with_args(&["-reindex-chainstate"])?;
            wait_for_height(node, 12)?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, tip);
            assert_eq!(node.call("gettxout", json!([coinbase, 0]))?, coin);
            // And a plain restart keeps what the rebuild made; mining goes on.
            node.restart()?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, tip);
            generate(node, 1, P2WPKH)?;
            assert_eq!(node.call("getblockcount", json!([]))?, json!(13));
            Ok(())
        });
}

#[test]
fn a_lost_chainstate_is_an_error_that_reindex_repairs() {
    TestFramework::new("a_lost_chainstate_is_an_error_that_reindex_repairs")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            // Core keeps its block index apart from the chainstate, so losing
            // `chainstate/` means something else there.
            ours_only!(t);
            let node = t.node(0);
            let hashes = generate(node, 5, P2PKH)?;
            node.stop()?;
            let blocks = node.chain_path().join("blocks");
            std::fs::remove_dir_all(node.chain_path().join("chainstate"))?;
            // The block files are not written over by a fresh genesis block.
            let before = std::fs::read(blocks.join("blk00000.dat"))?;
            node.assert_start_raises_init_error(
                &[],
                Some("Error: Error opening block database.\nPlease restart with -reindex or -reindex-chainstate to recover."),
                umkoin_harness::ErrorMatch::Full,
            )?;
            assert_eq!(std::fs::read(blocks.join("blk00000.dat"))?, before);
            // Bytes that are no block (a batch that never committed) are skipped.
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(blocks.join("blk00000.dat"))?;
            std::io::Write::write_all(&mut file, &[0xfa, 0xbf, 0xb5, 0xda, 0xff, 0xff, 0, 0, 1, 2, 3])?;
            node.start_with_args(&["-reindex"])?;
            wait_for_height(node, 5)?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, json!(hashes[4]));
            let more = generate(node, 2, P2PKH)?;
            node.restart()?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, json!(more[1]));
            Ok(())
        });
}

/// A disk failure in the middle of a change (here: the tip's undo data no longer
/// matches its checksum) is fatal, as Core's `AbortNode`: the call fails, the node
/// shuts down with exit code 1, and the next start opens the last commit.
#[test]
fn a_storage_failure_mid_call_stops_the_node() {
    TestFramework::new("a_storage_failure_mid_call_stops_the_node")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            // Core's DisconnectTip logs a failed undo read and carries on.
            ours_only!(t);
            let node = t.node(0);
            let hashes = generate(node, 3, P2PKH)?;
            let rev = node.chain_path().join("blocks").join("rev00000.dat");
            let good = std::fs::read(&rev)?;
            let mut bad = good.clone();
            *bad.last_mut().expect("undo records are written") ^= 1;
            std::fs::write(&rev, &bad)?;
            let err = node
                .call("invalidateblock", json!([hashes[2]]))
                .expect_err("the undo data cannot be read");
            assert_eq!(err.code(), Some(code::DATABASE_ERROR), "{err:?}");
            node.wait_until_stopped(
                1,
                Some(&format!(
                    "Error: A fatal internal error occurred, see debug.log for details: {}",
                    err.message().unwrap_or_default()
                )),
            )?;
            std::fs::write(&rev, &good)?;
            node.start()?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, json!(hashes[2]));
            node.call("invalidateblock", json!([hashes[2]]))?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, json!(hashes[1]));
            Ok(())
        });
}

#[test]
fn the_cached_chain_is_cores() {
    TestFramework::new("the_cached_chain_is_cores")
        .num_nodes(2)
        .run(|t| {
            // Core's framework's 199 blocks, mined the same way: the same tip as Core's.
            for node in &t.nodes {
                assert_eq!(node.call("getblockcount", json!([]))?, json!(199));
                assert_eq!(
                    node.call("getbestblockhash", json!([]))?,
                    json!("4f263141b7162205d0aa95f3845ac583bd649ad2245501a6de2a775e351625bf")
                );
            }
            // Each node has its own copy: mining on one leaves the other as it was.
            let node = &t.nodes[0];
            generate(node, 1, P2PKH)?;
            assert_eq!(node.call("getblockcount", json!([]))?, json!(200));
            assert_eq!(t.nodes[1].call("getblockcount", json!([]))?, json!(199));
            // The first block pays the framework's first address.
            let first = node.call(
                "getblock",
                json!([node.call("getblockhash", json!([1]))?, 2]),
            )?;
            assert_eq!(
                first["tx"][0]["vout"][0]["scriptPubKey"]["address"],
                json!(umkoin_harness::cache::CACHE_ADDRESSES[0])
            );
            Ok(())
        });
}

#[test]
fn getmininginfo_and_getnetworkhashps_answer_as_cores() {
    TestFramework::new("getmininginfo_and_getnetworkhashps_answer_as_cores")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            let info = node.call("getmininginfo", json!([]))?;
            // Before any block is assembled there is no current block to describe.
            assert!(info.get("currentblockweight").is_none(), "{info}");
            assert_eq!(info["networkhashps"], json!(0));
            node.call("setmocktime", json!([1_700_000_000]))?;
            generate(node, 3, P2WPKH)?;
            // Umkoin Core v31.0's answers for this chain, verbatim.
            let want: serde_json::Value = serde_json::from_str(
                r#"{"blocks":3,"currentblockweight":8000,"currentblocktx":0,"bits":"207fffff","difficulty":4.656542373906925e-10,"target":"7fffff0000000000000000000000000000000000000000000000000000000000","networkhashps":3.183229879158068e-08,"pooledtx":0,"blockmintxfee":0.00000001,"chain":"regtest","next":{"height":4,"bits":"207fffff","difficulty":4.656542373906925e-10,"target":"7fffff0000000000000000000000000000000000000000000000000000000000"},"warnings":[]}"#,
            )
            .expect("JSON");
            assert_eq!(node.call("getmininginfo", json!([]))?.to_string(), want.to_string());
            // Numbers as Core writes them (the exponent's two digits too).
            for (params, hash_ps) in [
                (json!([]), "3.183229879158068e-08"),
                (json!([1]), "0"),
                (json!([-1, 2]), "2.122153252772045e-08"),
                (json!([2, 1]), "1.061076632015441e-08"),
            ] {
                assert_eq!(node.call("getnetworkhashps", params)?.to_string(), hash_ps);
            }
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "Invalid nblocks. Must be a positive number or -1.",
                || node.call("getnetworkhashps", json!([0])),
            )?;
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "Block does not exist at specified height",
                || node.call("getnetworkhashps", json!([1, 5])),
            )?;
            Ok(())
        });
}

#[test]
fn getchaintxstats_answers_as_cores() {
    TestFramework::new("getchaintxstats_answers_as_cores")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            let text = |params: serde_json::Value| -> anyhow::Result<String> {
                Ok(node.call("getchaintxstats", params)?.to_string())
            };
            // Umkoin Core v31.0's answers, verbatim.
            assert_eq!(
                text(json!([]))?,
                r#"{"time":1511512200,"txcount":1,"window_final_block_hash":"60b48405c3efa2bd7aa6a8bc206e3369e58d15f60cba7a915769e9669758cb6d","window_final_block_height":0,"window_block_count":0}"#
            );
            node.call("setmocktime", json!([1_700_000_000]))?;
            let hashes = generate(node, 5, P2WPKH)?;
            assert_eq!(
                text(json!([]))?,
                r#"{"time":1700000002,"txcount":6,"window_final_block_hash":"13993648d160ad875feb2474e56a1aa8a517874de4ec60d0a023420c3129cf90","window_final_block_height":5,"window_block_count":4,"window_interval":1,"window_tx_count":4,"txrate":4}"#
            );
            assert_eq!(
                text(json!([2]))?,
                r#"{"time":1700000002,"txcount":6,"window_final_block_hash":"13993648d160ad875feb2474e56a1aa8a517874de4ec60d0a023420c3129cf90","window_final_block_height":5,"window_block_count":2,"window_interval":0,"window_tx_count":2}"#
            );
            assert_eq!(
                text(json!([0]))?,
                r#"{"time":1700000002,"txcount":6,"window_final_block_hash":"13993648d160ad875feb2474e56a1aa8a517874de4ec60d0a023420c3129cf90","window_final_block_height":5,"window_block_count":0}"#
            );
            assert_eq!(
                text(json!([1, hashes[2]]))?,
                r#"{"time":1700000001,"txcount":4,"window_final_block_hash":"0ee0f0739b18f49a5e9fad297e9c7f45df51bd08fc83f21e29f0f2f127898c22","window_final_block_height":3,"window_block_count":1,"window_interval":1,"window_tx_count":1,"txrate":1}"#
            );
            for bad in [5, -1] {
                assert_raises_rpc_error(
                    code::INVALID_PARAMETER,
                    "Invalid block count: should be between 0 and the block's height - 1",
                    || node.call("getchaintxstats", json!([bad])),
                )?;
            }
            assert_raises_rpc_error(code::INVALID_ADDRESS_OR_KEY, "Block not found", || {
                node.call("getchaintxstats", json!([1, "11".repeat(32)]))
            })?;
            Ok(())
        });
}

#[test]
fn damaged_storage_gets_cores_start_up_errors_and_loses_nothing() {
    TestFramework::new("damaged_storage_gets_cores_start_up_errors_and_loses_nothing")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            // Core keeps other files, so it fails in other ways: this is our layout's.
            ours_only!(t);
            let node = t.node(0);
            let hashes = generate(node, 4, P2PKH)?;
            node.stop()?;
            // A database file that is not one: Core's start-up error, the blocks kept.
            let db = node.chain_path().join("chainstate").join("chainstate.redb");
            std::fs::write(&db, b"not a database")?;
            node.assert_start_raises_init_error(
                &[],
                Some("Error: Error opening block database.\nPlease restart with -reindex or -reindex-chainstate to recover."),
                umkoin_harness::ErrorMatch::Full,
            )?;
            node.start_with_args(&["-reindex"])?;
            wait_for_height(node, 4)?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, json!(hashes[3]));
            // A block file gone while the node is stopped: the blocks at the tip cannot
            // be read back, and start-up says so, as Core's.
            node.stop()?;
            let blocks = node.chain_path().join("blocks");
            let saved = std::fs::read(blocks.join("blk00000.dat"))?;
            std::fs::remove_file(blocks.join("blk00000.dat"))?;
            node.assert_start_raises_init_error(
                &[],
                Some("Error: Corrupted block database detected.\nPlease restart with -reindex or -reindex-chainstate to recover."),
                umkoin_harness::ErrorMatch::Full,
            )?;
            // Nothing was lost by failing: with the file back, the node starts as before.
            std::fs::write(blocks.join("blk00000.dat"), &saved)?;
            node.start()?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, json!(hashes[3]));
            // Without any block file, -reindex rebuilds what there is: the genesis block
            // alone, as Core's does.
            node.stop()?;
            std::fs::remove_file(blocks.join("blk00000.dat"))?;
            node.start_with_args(&["-reindex"])?;
            assert_eq!(node.call("getblockcount", json!([]))?, json!(0));
            assert_eq!(generate(node, 1, P2PKH)?.len(), 1);
            assert!(db.is_file());
            assert_eq!(node.call("getblockcount", json!([]))?, json!(1));
            Ok(())
        });
}

#[test]
fn test_activation_heights_move_buried_deployments() {
    TestFramework::new("test_activation_heights_move_buried_deployments")
        .num_nodes(1)
        .setup_clean_chain(true)
        .extra_args([["-testactivationheight=segwit@10"]])
        .run(|t| {
            let node = t.node(0);
            let hashes = generate(node, 11, P2WPKH)?;
            // Below segwit's height the coinbase commits to its witnesses but has no
            // witness nonce; from that height on it has one.
            for (height, with_nonce) in [(9, false), (10, true)] {
                let block = node.call("getblock", json!([hashes[height - 1], 2]))?;
                let coinbase = &block["tx"][0];
                assert_eq!(
                    coinbase["vin"][0].get("txinwitness").is_some(),
                    with_nonce,
                    "block {height}: {coinbase}"
                );
            }
            Ok(())
        });
}

#[test]
fn verifychain_finds_a_sound_chain_at_every_level() {
    TestFramework::new("verifychain_finds_a_sound_chain_at_every_level")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            assert_eq!(node.call("verifychain", json!([]))?, json!(true));
            for level in [0, 1, 2, 3, 4, 7, -1] {
                for nblocks in [0, 1, 6, 1000] {
                    assert_eq!(
                        node.call("verifychain", json!([level, nblocks]))?,
                        json!(true),
                        "level {level}, {nblocks} blocks"
                    );
                }
            }
            node.assert_debug_log(&["Verifying last 199 blocks at level 4"], &[], |n| {
                n.call("verifychain", json!([4, 0]))
                    .map(drop)
                    .map_err(Into::into)
            })?;
            assert_raises_rpc_error(
                code::TYPE_ERROR,
                "JSON value of type string is not of expected type number",
                || node.call("verifychain", json!(["x"])),
            )?;
            Ok(())
        });
}

#[test]
fn gettxoutsetinfo_hashes_the_utxo_set_as_cores() {
    TestFramework::new("gettxoutsetinfo_hashes_the_utxo_set_as_cores")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let info = node.call("gettxoutsetinfo", json!([]))?;
            assert_eq!(info["height"], json!(199));
            assert_eq!(info["txouts"], json!(199));
            assert_eq!(info["transactions"], json!(199));
            assert_eq!(info["bogosize"], json!(CACHED_BOGOSIZE));
            assert_eq!(info["hash_serialized_3"], json!(CACHED_HASH_SERIALIZED_3));
            let mu = node.call("gettxoutsetinfo", json!(["muhash"]))?;
            assert_eq!(mu["muhash"], json!(CACHED_MUHASH));
            assert!(mu.get("hash_serialized_3").is_none());
            let none = node.call("gettxoutsetinfo", json!(["none"]))?;
            assert!(none.get("muhash").is_none() && none.get("hash_serialized_3").is_none());
            assert_eq!(none["total_amount"], info["total_amount"]);
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "'foo' is not a valid hash_type",
                || node.call("gettxoutsetinfo", json!(["foo"])),
            )?;
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "Querying specific block heights requires coinstatsindex",
                || node.call("gettxoutsetinfo", json!(["muhash", 5])),
            )?;
            Ok(())
        });
}

/// Core's `gettxoutsetinfo` on its cached 199-block chain.
const CACHED_BOGOSIZE: i64 = 15366;
const CACHED_HASH_SERIALIZED_3: &str =
    "b1d5e9a26ba53294654b1ef6c16d273a51a782fc418caaef2f85c7bfa8ebb284";
const CACHED_MUHASH: &str = "fa85c9f9d87cb051c7f4f2ce4e88f1f285a01ab8540e272d0660a841e64e625a";

#[test]
fn a_node_killed_during_reorgs_restarts_consistent() {
    TestFramework::new("a_node_killed_during_reorgs_restarts_consistent")
        .num_nodes(1)
        .run(|t| {
            let core = t.is_core();
            let node = t.node(0);
            // Two branches on the cached chain: A of 300 blocks, B of 301 (the best).
            let a = generate(node, 300, P2PKH)?;
            let a_tip = a[299].clone();
            let utxo_hash = |node: &TestNode| -> anyhow::Result<serde_json::Value> {
                Ok(node.call("gettxoutsetinfo", json!([]))?["hash_serialized_3"].clone())
            };
            let a_hash = utxo_hash(node)?;
            node.call("invalidateblock", json!([a[0]]))?;
            let b = generate(node, 301, P2WPKH)?;
            let (b1, b_tip) = (b[0].clone(), b[300].clone());
            let b_hash = utxo_hash(node)?;
            node.call("reconsiderblock", json!([a[0]]))?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, json!(b_tip));
            // What a node that never crashed holds at each tip.
            let reference =
                std::collections::HashMap::from([(a_tip.clone(), a_hash), (b_tip.clone(), b_hash)]);
            let mut finished = 0;
            for round in 0..20u32 {
                // Off B (invalidating its first block), or back onto it.
                let on_b = node.call("getblockheader", json!([b1]))?["confirmations"]
                    .as_i64()
                    .is_some_and(|c| c > 0);
                let (method, target) = if on_b {
                    ("invalidateblock", &a_tip)
                } else {
                    ("reconsiderblock", &b_tip)
                };
                let client = node.new_rpc_client()?;
                let hash = b1.clone();
                let call = std::thread::spawn(move || client.call(method, json!([hash])));
                umkoin_harness::try_wait_until(
                    || {
                        let in_flight = node.call("getrpcinfo", json!([]))?["active_commands"]
                            .as_array()
                            .is_some_and(|a| a.iter().any(|c| c["method"] == method));
                        Ok(in_flight || call.is_finished())
                    },
                    std::time::Duration::from_secs(60),
                )?;
                if round % 4 == 3 {
                    // Now and then the kill comes after the answer.
                    umkoin_harness::try_wait_until(
                        || Ok(call.is_finished()),
                        std::time::Duration::from_secs(60),
                    )?;
                } else {
                    for _ in 0..round % 5 * 3 {
                        node.call("getblockcount", json!([]))?;
                    }
                }
                node.kill()?;
                let answered = call.join().expect("the RPC thread does not panic").is_ok();
                node.start()?;
                assert_chain_consistent(node)?;
                assert_eq!(
                    node.call("verifychain", json!([]))?,
                    json!(true),
                    "round {round}"
                );
                let tip = node.call("getbestblockhash", json!([]))?;
                let tip = tip.as_str().expect("a hash").to_owned();
                if let Some(expected) = reference.get(&tip) {
                    assert_eq!(
                        &utxo_hash(node)?,
                        expected,
                        "round {round}: the UTXO set at {tip}"
                    );
                }
                if !core {
                    // A reorg commits whole: the tip is one of the two, and an answered
                    // call's is its target.
                    assert!(reference.contains_key(&tip), "round {round}: tip {tip}");
                    if answered {
                        assert_eq!(&tip, target, "round {round}: the answered {method}");
                    }
                }
                finished += i32::from(&tip == target);
            }
            assert_eq!(node.call("verifychain", json!([4, 0]))?, json!(true));
            eprintln!("20 kills during reorgs; {finished} of them after the reorg was stored");
            Ok(())
        });
}

#[test]
fn vbparams_move_the_versionbits_deployments() {
    TestFramework::new("vbparams_move_the_versionbits_deployments")
        .num_nodes(1)
        .setup_clean_chain(true)
        .extra_args([["-vbparams=testdummy:-2:0"]])
        .run(|t| {
            let node = t.node(0);
            // Never active: no block signals for testdummy (bit 28).
            let hashes = generate(node, 100, P2WPKH)?;
            let header = node.call("getblockheader", json!([hashes[89]]))?;
            assert_eq!(header["versionHex"], json!("20000000"));
            // Without the override, Core's regtest signals it from block 72.
            node.restart_with_args(&[])?;
            let hashes = generate(node, 1, P2WPKH)?;
            let header = node.call("getblockheader", json!([hashes[0]]))?;
            assert_eq!(header["versionHex"], json!("30000000"));
            Ok(())
        });
}

#[test]
fn fastprune_keeps_block_files_small() {
    TestFramework::new("fastprune_keeps_block_files_small")
        .num_nodes(1)
        .setup_clean_chain(true)
        .extra_args([["-fastprune"]])
        .run(|t| {
            let node = t.node(0);
            node.call("setmocktime", json!([1_700_000_000]))?;
            generate(node, 300, P2WPKH)?;
            let blocks = node.chain_path().join("blocks");
            let len = |name: &str| std::fs::metadata(blocks.join(name)).map(|m| m.len()).ok();
            // 64 KiB files: the first is full before 300 blocks of about 250 bytes.
            assert!(
                len("blk00000.dat").is_some_and(|l| l < 0x10000),
                "{:?}",
                len("blk00000.dat")
            );
            assert!(len("blk00001.dat").is_some());
            let info = node.call("getblockchaininfo", json!([]))?;
            // Core's figure for these blocks (across two files).
            assert_eq!(info["size_on_disk"], json!(89_813));
            Ok(())
        });
}

#[test]
fn block_files_are_obfuscated_as_cores() {
    TestFramework::new("block_files_are_obfuscated_as_cores")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            let blocks = node.chain_path().join("blocks");
            // A new blocks folder gets a random key; the files are XORed with it.
            let key = std::fs::read(blocks.join("xor.dat"))?;
            assert_eq!(key.len(), 8);
            assert_ne!(key, vec![0; 8], "a random key");
            let first = std::fs::read(blocks.join("blk00000.dat"))?;
            let magic: Vec<u8> = first[..4].iter().zip(&key).map(|(b, k)| b ^ k).collect();
            assert_eq!(magic, [0xfa, 0xbf, 0xb5, 0xda], "the frame's message start, unmasked");
            let hashes = generate(node, 3, P2WPKH)?;
            // Reading back (restart, reindex) sees through it.
            node.restart_with_args(&["-reindex"])?;
            wait_for_height(node, 3)?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, json!(hashes[2]));
            // A stored random key cannot be turned off.
            node.stop()?;
            let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
            node.assert_start_raises_init_error(
                &["-blocksxor=0"],
                Some(&format!(
                    "Error: Failed to initialize ChainstateManager: The blocksdir XOR-key can not be disabled when a random key was already stored! Stored key: '{hex}', stored path: '{}'.",
                    blocks.join("xor.dat").display()
                )),
                umkoin_harness::ErrorMatch::Full,
            )?;
            Ok(())
        });
}

#[test]
fn blocksxor_off_stores_a_zero_key() {
    TestFramework::new("blocksxor_off_stores_a_zero_key")
        .num_nodes(1)
        .setup_clean_chain(true)
        .extra_args([["-blocksxor=0"]])
        .run(|t| {
            let node = t.node(0);
            let blocks = node.chain_path().join("blocks");
            assert_eq!(std::fs::read(blocks.join("xor.dat"))?, vec![0; 8]);
            let first = std::fs::read(blocks.join("blk00000.dat"))?;
            assert_eq!(first[..4], [0xfa, 0xbf, 0xb5, 0xda]);
            // The stored key wins over the option from then on.
            node.restart_with_args(&["-blocksxor=1"])?;
            assert_eq!(std::fs::read(blocks.join("xor.dat"))?, vec![0; 8]);
            Ok(())
        });
}
