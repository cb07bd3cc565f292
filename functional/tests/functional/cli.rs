//! `umkoin-cli` (or `umkoin rpc` under `UMKOIN_CMD`) against a running node: output
//! format, `-named`, `-stdin`, errors and their exit codes, credentials, `-rpcwait`.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::json;
use umkoin_harness::TestFramework;

const GENESIS: &str = "60b48405c3efa2bd7aa6a8bc206e3369e58d15f60cba7a915769e9669758cb6d";

#[test]
fn cli_against_the_node() {
    TestFramework::new("cli_against_the_node")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let argv = t.binaries().rpc_argv()?;
            let n = t.node(0);
            let out = n.cli(&["getblockhash", "0"])?;
            assert_eq!(
                (out.code, out.stdout.as_str()),
                (Some(0), format!("{GENESIS}\n").as_str())
            );
            let out = n.cli(&["-named", "getblockhash", "height=0"])?;
            assert_eq!(out.stdout.trim(), GENESIS, "{out:?}");
            let info = n.cli_call(&["getblockchaininfo"])?;
            assert_eq!(info["bestblockhash"], json!(GENESIS));
            // Pretty-printed JSON with two-space indent, as Core's client prints it.
            let out = n.cli(&["getblockheader", GENESIS])?;
            assert!(out.stdout.starts_with("{\n  \"hash\": "), "{out:?}");
            // An RPC error: Core's text on stderr, exit code |code|.
            let out = n.cli(&["getblockhash", "1"])?;
            assert_eq!(out.code, Some(8));
            assert_eq!(
                out.stderr,
                "error code: -8\nerror message:\nBlock height out of range\n"
            );
            let out = n.cli(&["nosuchmethod"])?;
            assert_eq!(
                out.code,
                Some(32601 % 256),
                "exit codes are taken modulo 256 by the OS"
            );
            // -stdin: arguments from standard input, one per line.
            let mut child = Command::new(&argv[0])
                .args(&argv[1..])
                .arg(format!("-datadir={}", n.datadir().display()))
                .args(["-stdin", "getblockhash"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()?;
            child
                .stdin
                .take()
                .expect("stdin is piped")
                .write_all(b"0\n")?;
            let out = child.wait_with_output()?;
            assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), GENESIS);
            // A wrong password.
            let out = n.cli(&["-rpcuser=x", "-rpcpassword=y", "getblockcount"])?;
            assert_eq!(out.code, Some(1));
            assert!(
                out.stderr.contains("Incorrect rpcuser or rpcpassword"),
                "{out:?}"
            );
            Ok(())
        });
}

#[test]
fn cli_rpcwait_waits_for_the_node() {
    TestFramework::new("cli_rpcwait_waits_for_the_node")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let argv = t.binaries().rpc_argv()?;
            let datadir = t.nodes[0].datadir().to_owned();
            let child = Command::new(&argv[0])
                .args(&argv[1..])
                .arg(format!("-datadir={}", datadir.display()))
                .args(["-rpcwait", "-rpcwaittimeout=120", "getblockcount"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()?;
            t.node(0).start()?;
            let out = child.wait_with_output()?;
            assert_eq!(out.status.code(), Some(0), "{out:?}");
            assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0");
            // Without a node, the client says it cannot connect, exit code 1.
            t.node(0).stop()?;
            let out = t.node(0).cli(&["getblockcount"])?;
            assert_eq!(out.code, Some(1));
            assert!(
                out.stderr.contains("Could not connect to the server"),
                "{out:?}"
            );
            Ok(())
        });
}
