//! `debug.log` as Umkoin Core writes it: the line format and its options, categories
//! from `-debug`/`-debugexclude` and the `logging` RPC, levels, `-printtoconsole`, and
//! the start-up and shutdown lines tests wait for.

use serde_json::json;
use umkoin_harness::{TestFramework, assert_raises_rpc_error};
use umkoin_interfaces::rpc::code;

fn is_timestamp(s: &str, micros: bool) -> bool {
    let b = s.as_bytes();
    let len = if micros { 27 } else { 20 };
    b.len() == len
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[len - 1] == b'Z'
        && (!micros || b[19] == b'.')
}

#[test]
fn line_format_and_lifecycle_lines() {
    TestFramework::new("line_format_and_lifecycle_lines")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let node = t.node(0);
            // Plain format: `<timestamp> <message>`, categories as `[rpc]`.
            node.start_with_args(&[
                "-nologtimemicros",
                "-nologthreadnames",
                "-nologsourcelocations",
                "-debug=rpc",
                "-loglevel=debug",
            ])?;
            node.call("getblockcount", json!([]))?;
            node.stop()?;
            let log = std::fs::read_to_string(node.debug_log_path())?;
            let done = log
                .lines()
                .find(|l| l.ends_with("init message: Done loading"))
                .expect("the Done loading line");
            let (ts, rest) = done.split_once(' ').expect("timestamp then message");
            assert!(is_timestamp(ts, false), "{done}");
            assert_eq!(rest, "init message: Done loading");
            let rpc_line = log
                .lines()
                .find(|l| l.contains("ThreadRPCServer method=getblockcount"))
                .expect("the rpc category line");
            assert!(
                rpc_line
                    .split_once(' ')
                    .expect("two parts")
                    .1
                    .starts_with("[rpc] ThreadRPCServer method=getblockcount user=__cookie__"),
                "{rpc_line}"
            );
            assert!(log.trim_end().ends_with("Shutdown done"));

            // The framework's options: micros, thread names, source locations.
            let offset = node.debug_log_size();
            node.start()?;
            node.stop()?;
            let log = node.debug_log_since(offset)?;
            let done = log
                .lines()
                .find(|l| l.ends_with("init message: Done loading"))
                .expect("the Done loading line");
            let mut parts = done.splitn(4, ' ');
            let ts = parts.next().expect("timestamp");
            assert!(is_timestamp(ts, true), "{done}");
            let thread = parts.next().expect("thread");
            assert!(thread.starts_with('[') && thread.ends_with(']'), "{done}");
            let loc = parts.next().expect("location");
            assert!(loc.starts_with('[') && loc.contains(':'), "{done}");
            Ok(())
        });
}

#[test]
fn categories_and_the_logging_rpc() {
    TestFramework::new("categories_and_the_logging_rpc")
        .num_nodes(1)
        .setup_clean_chain(true)
        .extra_args([["-debug=0".to_string()]])
        .run(|t| {
            let node = t.node(0);
            let state = node.call("logging", json!([]))?;
            assert_eq!(
                state["rpc"],
                json!(false),
                "-debug=0 after -debug clears all"
            );
            // Turn rpc on: the next call is logged.
            let state = node.call("logging", json!([["rpc"]]))?;
            assert_eq!(state["rpc"], json!(true));
            assert_eq!(state["net"], json!(false));
            node.assert_debug_log(&["[rpc] ThreadRPCServer method=uptime"], &[], |n| {
                n.call("uptime", json!([]))?;
                Ok(())
            })?;
            // Include then exclude: excluded wins.
            let state = node.call("logging", json!([["net"], ["net", "rpc"]]))?;
            assert_eq!(
                (state["net"].clone(), state["rpc"].clone()),
                (json!(false), json!(false))
            );
            node.assert_debug_log(&[], &["method=uptime"], |n| {
                n.call("uptime", json!([]))?;
                Ok(())
            })?;
            assert_raises_rpc_error(
                code::INVALID_PARAMETER,
                "unknown logging category bogus",
                || node.call("logging", json!([["bogus"]])),
            )?;
            Ok(())
        });
}

#[test]
fn debugexclude_and_printtoconsole() {
    TestFramework::new("debugexclude_and_printtoconsole")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let node = t.node(0);
            node.start_with_args(&["-debug", "-debugexclude=rpc", "-printtoconsole"])?;
            let state = node.call("logging", json!([]))?;
            assert_eq!(state["rpc"], json!(false));
            assert_eq!(state["http"], json!(true));
            node.stop()?;
            let out = node.read_stdout();
            assert!(out.contains("init message: Done loading"), "{out}");
            assert!(out.contains("Shutdown done"), "{out}");
            Ok(())
        });
}

#[test]
fn nodebuglogfile_writes_no_file() {
    TestFramework::new("nodebuglogfile_writes_no_file")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let dir = t.dir().to_owned();
            let node = t.node(0);
            let log = node.debug_log_path();
            node.start_with_args(&["-nodebuglogfile"])?;
            assert!(!log.exists());
            node.stop()?;
            let other = dir.join("other.log");
            let arg = format!("-debuglogfile={}", other.display());
            node.start_with_args(&[&arg])?;
            node.stop()?;
            assert!(std::fs::read_to_string(&other)?.contains("Shutdown done"));
            Ok(())
        });
}

#[test]
fn loglevelalways_tags_every_line() {
    TestFramework::new("loglevelalways_tags_every_line")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let node = t.node(0);
            node.start_with_args(&[
                "-loglevelalways",
                "-nologthreadnames",
                "-nologsourcelocations",
            ])?;
            node.stop()?;
            let log = std::fs::read_to_string(node.debug_log_path())?;
            assert!(
                log.contains(" [all:info] init message: Done loading"),
                "{log}"
            );
            Ok(())
        });
}

/// With no config and no `-printtoconsole`, a foreground node logs to stdout too.
#[test]
fn printtoconsole_defaults_on_in_the_foreground() {
    TestFramework::new("printtoconsole_defaults_on_in_the_foreground")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let node = t.node(0);
            std::fs::write(
                node.conf_path(),
                format!(
                    "regtest=1\n[regtest]\nrpcport={}\nport={}\nlisten=0\n",
                    node.rpc_port(),
                    node.p2p_port()
                ),
            )?;
            // The harness passes no -printtoconsole; the config above sets none.
            node.start()?;
            node.stop()?;
            assert!(node.read_stdout().contains("init message: Done loading"));
            Ok(())
        });
}
