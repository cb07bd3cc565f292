//! Smoke tests of the harness itself: starting, stopping, restarting and killing nodes,
//! RPC and `umkoin-cli`, init errors, debug-log assertions and raw HTTP.

use serde_json::json;
use std::time::Duration;
use umkoin_harness::rpc::RawAuth;
use umkoin_harness::{
    Credentials, ErrorMatch, JsonRpcVersion, RawRequest, RpcError, TestFramework,
    assert_raises_rpc_error, send_raw_tcp, wait_until,
};
use umkoin_interfaces::rpc::{code, http};

#[test]
fn two_nodes_answer_rpc_and_cli() {
    TestFramework::new("two_nodes_answer_rpc_and_cli")
        .num_nodes(2)
        .setup_clean_chain(true)
        .run(|t| {
            for node in &t.nodes {
                assert_eq!(node.call("getblockcount", json!([]))?, json!(0));
                assert!(node.debug_log_path().is_file());
                assert!(node.chain_path().join(".cookie").is_file());
            }
            // The two nodes are distinct processes with distinct ports.
            assert_ne!(t.nodes[0].rpc_port(), t.nodes[1].rpc_port());
            assert_ne!(t.nodes[0].pid(), t.nodes[1].pid());

            // umkoin-cli (or `umkoin rpc -nonamed`) against the node.
            let node = &t.nodes[1];
            let out = node.cli(&["getblockcount"])?;
            assert_eq!(out.code, Some(0), "{out:?}");
            assert_eq!(out.stdout.trim(), "0");
            assert_eq!(node.cli_call(&["getblockcount"])?, json!(0));
            let hash = node.cli_call(&["getblockhash", "0"])?;
            assert_eq!(hash, node.call("getblockhash", json!([0]))?);

            // RPC errors, over HTTP and through the CLI.
            assert_raises_rpc_error(code::INVALID_PARAMETER, "Block height out of range", || {
                node.call("getblockhash", json!([1]))
            })?;
            assert_raises_rpc_error(code::INVALID_PARAMETER, "out of range", || {
                node.cli_call(&["getblockhash", "1"])
            })?;
            let out = node.cli(&["getblockhash", "1"])?;
            assert_eq!(out.code, Some(8), "cli exit code is |error code|: {out:?}");
            assert_raises_rpc_error(code::METHOD_NOT_FOUND, "Method not found", || {
                node.call("nosuchmethod", json!([]))
            })?;
            // The same through JSON-RPC 2.0.
            let v2 = node.rpc().clone().with_version(JsonRpcVersion::V2);
            assert_eq!(v2.call("getblockcount", json!([]))?, json!(0));
            let err = v2.call("getblockhash", json!([1])).unwrap_err();
            assert!(
                matches!(
                    err,
                    RpcError::Rpc {
                        code: -8,
                        http_status: 200,
                        ..
                    }
                ),
                "{err:?}"
            );
            // Named parameters.
            assert_eq!(node.call("getblockhash", json!({"height": 0}))?, hash);

            // Raw HTTP: wrong credentials, malformed JSON, a batch.
            let rpc = node.rpc();
            let wrong = RawRequest::post(r#"{"method":"getblockcount","params":[],"id":1}"#)
                .auth(RawAuth::Basic(Credentials::new("__cookie__", "wrong")));
            let resp = rpc.request(&wrong)?;
            assert_eq!(resp.status, http::UNAUTHORIZED);
            let err = rpc
                .with_credentials(None)
                .call("getblockcount", json!([]))
                .unwrap_err();
            assert!(matches!(err, RpcError::Http { status: 401, .. }), "{err:?}");
            let resp = rpc.post("{not json")?;
            assert_eq!(resp.status, http::INTERNAL_SERVER_ERROR, "{}", resp.text());
            assert_eq!(resp.json()?["error"]["code"], json!(code::PARSE_ERROR));
            let replies =
                rpc.batch(&[("getblockcount", json!([])), ("getblockhash", json!([1]))])?;
            assert_eq!(replies.len(), 2);
            assert_eq!(replies[0]["result"], json!(0));
            assert_eq!(replies[1]["error"]["code"], json!(-8));
            let resp = rpc.request(&RawRequest::post(Vec::new()).method("GET"))?;
            assert_eq!(resp.status, http::BAD_METHOD);
            // Bytes no HTTP client would send: 400 Bad Request, and the server lives on.
            let raw = send_raw_tcp(
                rpc.socket_addr()?,
                b"NONSENSE\r\n\r\n",
                Duration::from_secs(10),
            )?;
            let raw = String::from_utf8_lossy(&raw);
            assert!(raw.starts_with("HTTP/1.1 400 "), "{raw:?}");
            assert_eq!(node.call("getblockcount", json!([]))?, json!(0));

            // The wrapper is used when UMKOIN_CMD is set.
            if let Ok(cmd) = std::env::var("UMKOIN_CMD") {
                // The first word may be bare (found on PATH, build folder first) or a
                // path; either way the wrapper it names runs, with `node` after the rest.
                let words: Vec<&str> = cmd.split_whitespace().collect();
                let line = node.command_line();
                let ran: Vec<&str> = line.split_whitespace().collect();
                let name = |w: &str| w.rsplit('/').next().unwrap_or(w).to_owned();
                assert_eq!(name(ran[0]), name(words[0]), "{line}");
                assert_eq!(&ran[1..words.len()], &words[1..], "{line}");
                assert_eq!(ran[words.len()], "node", "{line}");
            }
            eprintln!(
                "implementation under test: {:?}",
                t.binaries().implementation()
            );

            // Two nodes connect over P2P: only Umkoin Core has P2P so far.
            if !t.is_core() {
                return Ok(());
            }
            t.connect_nodes(1, 0)?;
            for node in &t.nodes {
                assert_eq!(node.call("getconnectioncount", json!([]))?, json!(1));
            }
            Ok(())
        });
}

#[test]
fn nodes_stop_restart_and_survive_kill() {
    TestFramework::new("nodes_stop_restart_and_survive_kill")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = &mut t.nodes[0];
            let first_pid = node.pid();
            node.assert_debug_log(&["Shutdown done"], &["nonexistent message"], |n| n.stop())?;
            assert!(!node.is_running());
            node.assert_debug_log(
                &[
                    "Command-line arg: uacomment=\"testnode0\"",
                    "init message: Done loading",
                ],
                &[],
                |n| n.start(),
            )?;
            assert_ne!(node.pid(), first_pid);
            assert_eq!(node.call("getblockcount", json!([]))?, json!(0));

            node.restart_with_args(&["-maxmempool=10"])?;
            assert_eq!(node.call("getblockcount", json!([]))?, json!(0));

            // SIGKILL leaves a stale cookie behind; the next start must still connect.
            node.kill()?;
            assert!(!node.is_running());
            assert!(node.cookie_path().exists());
            node.start()?;
            assert_eq!(node.call("getblockcount", json!([]))?, json!(0));

            // Start with an extra config line.
            node.stop()?;
            node.start_with_conf(&["maxmempool=11"], &[])?;
            let info = node.call("getmempoolinfo", json!([]))?;
            assert_eq!(info["maxmempool"], json!(11_000_000));

            // A polling wait on a real signal.
            wait_until(
                || node.call("getblockcount", json!([])).is_ok(),
                Duration::from_secs(5),
            )?;
            Ok(())
        });
}

#[test]
fn init_errors_are_reported() {
    TestFramework::new("init_errors_are_reported")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let node = &mut t.nodes[0];
            node.assert_start_raises_init_error(
                &["-foo"],
                Some("Error: Error parsing command line arguments: Invalid parameter -foo"),
                ErrorMatch::Full,
            )?;
            node.assert_start_raises_init_error(
                &["-foo"],
                Some("Invalid parameter -foo"),
                ErrorMatch::Partial,
            )?;
            // A wrong expectation is reported as a failure.
            let err = node
                .assert_start_raises_init_error(&["-foo"], Some("something else"), ErrorMatch::Full)
                .unwrap_err();
            assert!(err.to_string().contains("does not fully match"), "{err}");
            // The node still starts normally afterwards.
            node.start()?;
            assert_eq!(node.call("getblockcount", json!([]))?, json!(0));
            Ok(())
        });
}

#[test]
fn failures_keep_the_test_directory() {
    let mut dir = None;
    let result = TestFramework::new("failures_keep_the_test_directory")
        .num_nodes(1)
        .try_run(|t| {
            dir = Some(t.dir().to_path_buf());
            anyhow::bail!("deliberate failure")
        });
    let err = result.unwrap_err();
    assert!(format!("{err:?}").contains("deliberate failure"));
    let dir = dir.expect("body ran");
    assert!(dir.join("node0").join("umkoin.conf").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn panics_keep_the_test_directory_and_propagate() {
    let dir = std::sync::Mutex::new(None);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        TestFramework::new("panics_keep_the_test_directory")
            .num_nodes(1)
            .start_nodes(false)
            .run(|t| {
                *dir.lock().unwrap() = Some(t.dir().to_path_buf());
                panic!("deliberate panic");
            });
    }));
    assert!(outcome.is_err(), "the panic must reach the caller");
    let dir = dir.lock().unwrap().take().expect("body ran");
    assert!(dir.join("node0").join("umkoin.conf").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn generate_mines_to_the_framework_keys_and_syncs() {
    TestFramework::new("generate_mines_to_the_framework_keys_and_syncs")
        .num_nodes(1)
        .run(|t| {
            let before = t.node(0).call("getblockcount", json!([]))?;
            let hashes = t.generate(0, 5)?;
            assert_eq!(hashes.len(), 5);
            let node = t.node(0);
            assert_eq!(
                node.call("getblockcount", json!([]))?,
                json!(before.as_i64().expect("a height") + 5)
            );
            assert_eq!(node.call("getbestblockhash", json!([]))?, json!(hashes[4]));
            // The block pays the framework's first key, as Core's `generate` does.
            let block = node.call("getblock", json!([hashes[0], 2]))?;
            assert_eq!(
                block["tx"][0]["vout"][0]["scriptPubKey"]["address"],
                json!(umkoin_harness::cache::CACHE_ADDRESSES[0])
            );
            t.sync_mempools()?;
            Ok(())
        });
}
