//! Starting and stopping: `stop` (with its `wait`), SIGTERM and SIGINT, restart and
//! kill, `-daemon` and `-daemonwait`, the pid file, two nodes side by side, and a node
//! started exactly as Umkoin Core's Python framework starts one.

use std::process::Command;

use serde_json::json;
use umkoin_harness::{Binaries, TestFramework, wait_until};

fn regtest_genesis() -> serde_json::Value {
    json!("60b48405c3efa2bd7aa6a8bc206e3369e58d15f60cba7a915769e9669758cb6d")
}

#[test]
fn stop_restart_and_kill() {
    TestFramework::new("stop_restart_and_kill")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            assert_eq!(node.call("getbestblockhash", json!([]))?, regtest_genesis());
            let cookie = node.cookie_path();
            assert!(cookie.is_file());
            // `stop` answers, then the process exits 0 and removes the cookie.
            node.assert_debug_log(&["Shutdown done"], &[], |n| n.stop())?;
            assert!(!cookie.exists(), "the cookie is deleted on shutdown");
            node.start()?;
            assert_eq!(node.call("getblockcount", json!([]))?, json!(0));
            // A killed node leaves a datadir the next start opens.
            node.kill()?;
            node.start()?;
            assert_eq!(node.call("getbestblockhash", json!([]))?, regtest_genesis());
            // `stop` with Core's hidden wait argument still answers.
            assert_eq!(
                node.call("stop", json!([1]))?,
                json!("Umkoin Core stopping")
            );
            node.wait_until_stopped(0, None)
        });
}

fn signal_stops_cleanly(name: &str, sig: i32) {
    TestFramework::new(name)
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            let pid = node.pid().expect("the node is running") as i32;
            // SAFETY: sending a signal to our own child process.
            assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
            node.wait_until_stopped(0, None)?;
            let log = std::fs::read_to_string(node.debug_log_path())?;
            assert!(log.trim_end().ends_with("Shutdown done"), "{log}");
            assert!(!node.cookie_path().exists());
            Ok(())
        });
}

#[test]
fn sigterm_shuts_down_cleanly() {
    signal_stops_cleanly("sigterm_shuts_down_cleanly", libc::SIGTERM);
}

#[test]
fn sigint_shuts_down_cleanly() {
    signal_stops_cleanly("sigint_shuts_down_cleanly", libc::SIGINT);
}

#[test]
fn two_nodes_on_one_machine() {
    TestFramework::new("two_nodes_on_one_machine")
        .num_nodes(2)
        .setup_clean_chain(true)
        .run(|t| {
            assert_ne!(t.nodes[0].rpc_port(), t.nodes[1].rpc_port());
            for node in &t.nodes {
                assert_eq!(node.call("getbestblockhash", json!([]))?, regtest_genesis());
            }
            t.nodes[0].stop()?;
            // The other one is unaffected.
            assert_eq!(t.nodes[1].call("getblockcount", json!([]))?, json!(0));
            Ok(())
        });
}

/// The node's command as the harness would run it, without the datadir arguments.
fn node_argv(b: &Binaries) -> Vec<std::ffi::OsString> {
    b.node_argv(false).expect("the node binary is present")
}

fn run_daemon(t: &umkoin_harness::TestContext, flag: &str) -> anyhow::Result<()> {
    let node = &t.nodes[0];
    let argv = node_argv(t.binaries());
    let out = Command::new(&argv[0])
        .args(&argv[1..])
        .arg(format!("-datadir={}", node.datadir().display()))
        .arg(flag)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()?;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("starting"),
        "{out:?}"
    );
    Ok(())
}

#[test]
fn daemonwait_returns_when_rpc_is_up() {
    TestFramework::new("daemonwait_returns_when_rpc_is_up")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            run_daemon(t, "-daemonwait")?;
            let node = &t.nodes[0];
            // -daemonwait returns only after init: the RPC answers at once.
            let rpc = node.new_rpc_client()?;
            assert_eq!(rpc.call("getblockcount", json!([]))?, json!(0));
            let pid_file = node.chain_path().join("umkoind.pid");
            let pid: i32 = std::fs::read_to_string(&pid_file)?.trim().parse()?;
            assert_eq!(rpc.call("stop", json!([]))?, json!("Umkoin Core stopping"));
            wait_until(
                // SAFETY: probing a pid with signal 0 sends nothing.
                || unsafe { libc::kill(pid, 0) } != 0,
                std::time::Duration::from_secs(60),
            )?;
            assert!(!pid_file.exists(), "the pid file is removed at shutdown");
            Ok(())
        });
}

#[test]
fn daemon_detaches_and_serves() {
    TestFramework::new("daemon_detaches_and_serves")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            run_daemon(t, "-daemon")?;
            let node = &t.nodes[0];
            let cookie = node.cookie_path();
            wait_until(|| cookie.exists(), std::time::Duration::from_secs(60))?;
            let rpc = node.new_rpc_client()?;
            let answered = || rpc.call("getblockcount", json!([])).ok() == Some(json!(0));
            wait_until(answered, std::time::Duration::from_secs(60))?;
            rpc.call("stop", json!([]))?;
            wait_until(|| !cookie.exists(), std::time::Duration::from_secs(60))?;
            Ok(())
        });
}

#[test]
fn daemonwait_reports_init_failure() {
    TestFramework::new("daemonwait_reports_init_failure")
        .num_nodes(2)
        .setup_clean_chain(true)
        .run(|t| {
            // A -daemonwait start on a datadir already locked fails with exit code 1.
            let argv = node_argv(t.binaries());
            let out = Command::new(&argv[0])
                .args(&argv[1..])
                .arg(format!("-datadir={}", t.nodes[0].datadir().display()))
                .arg("-daemonwait")
                .output()?;
            assert_eq!(out.status.code(), Some(1), "{out:?}");
            assert!(
                String::from_utf8_lossy(&out.stderr).contains("Cannot obtain a lock"),
                "{out:?}"
            );
            Ok(())
        });
}

/// Core's Python framework starts a node with exactly this command line and config
/// (`test_node.py`, `util.py:write_config`), waits for `getmempoolinfo` to report
/// `"loaded": true`, and stops it with `stop`, expecting exit code 0. This replays it
/// literally, so Core's own suite can drive our node.
#[test]
fn started_as_cores_python_framework_starts_a_node() {
    TestFramework::new("started_as_cores_python_framework_starts_a_node")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let dir = t.dir().join("replay");
            std::fs::create_dir_all(&dir)?;
            let (p2p, rpc) = (t.nodes[0].p2p_port(), t.nodes[0].rpc_port());
            std::fs::write(
                dir.join("umkoin.conf"),
                format!(
                    "regtest=1\n[regtest]\nport={p2p}\nrpcport={rpc}\nrpcservertimeout=99000\nrpcdoccheck=1\nrpcthreads=2\nfallbackfee=0.0002\nserver=1\nkeypool=1\ndiscover=0\ndnsseed=0\nfixedseeds=0\nlistenonion=0\npeertimeout=999999999\nprinttoconsole=0\nnatpmp=0\nshrinkdebugfile=0\nunsafesqlitesync=1\nconnect=0\nmaxconnections=94\npar=2\n"
                ),
            )?;
            let argv = node_argv(t.binaries());
            let mut child = Command::new(&argv[0])
                .args(&argv[1..])
                .args([
                    format!("-datadir={}", dir.display()),
                    "-logtimemicros".into(),
                    "-debug".into(),
                    "-debugexclude=libevent".into(),
                    "-debugexclude=leveldb".into(),
                    "-debugexclude=rand".into(),
                    "-uacomment=testnode0".into(),
                    "-disablewallet".into(),
                    "-logthreadnames".into(),
                    "-logsourcelocations".into(),
                    "-loglevel=trace".into(),
                    "-nologratelimit".into(),
                    "-v2transport=0".into(),
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()?;
            let cookie = dir.join("regtest/.cookie");
            let client = || {
                umkoin_harness::Credentials::from_cookie_file(&cookie)
                    .ok()
                    .map(|c| umkoin_harness::RpcClient::new("127.0.0.1", rpc, Some(c)))
            };
            let loaded = || {
                client().is_some_and(|c| {
                    c.call("getmempoolinfo", json!([]))
                        .is_ok_and(|v| v["loaded"] == json!(true))
                })
            };
            let up = wait_until(loaded, std::time::Duration::from_secs(60));
            if up.is_err() {
                let _ = child.kill();
                let out = child.wait_with_output()?;
                anyhow::bail!(
                    "the node did not come up: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            let c = client().expect("the cookie exists once RPC answered");
            c.call("stop", json!([]))?;
            let status = child.wait()?;
            assert_eq!(status.code(), Some(0));
            Ok(())
        });
}

#[test]
fn version_and_help_exit_zero() {
    TestFramework::new("version_and_help_exit_zero")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let argv = node_argv(t.binaries());
            let out = Command::new(&argv[0])
                .args(&argv[1..])
                .arg("-version")
                .output()?;
            assert_eq!(out.status.code(), Some(0));
            assert!(String::from_utf8_lossy(&out.stdout).contains("version v"));
            let out = Command::new(&argv[0])
                .args(&argv[1..])
                .arg("-help")
                .output()?;
            assert_eq!(out.status.code(), Some(0));
            let help = String::from_utf8_lossy(&out.stdout);
            for needle in [
                "Options:",
                "  -datadir=<dir>\n       Specify data directory",
                "RPC server options:",
                "  -rpcport=<port>",
                "Chain selection options:",
            ] {
                assert!(help.contains(needle), "-help lacks {needle:?}");
            }
            assert!(!help.contains("-ipcfd"), "hidden options are not listed");
            Ok(())
        });
}

/// `-server=0`: no JSON-RPC server, no cookie, and the node still runs until SIGTERM.
#[test]
fn server_off_runs_without_rpc() {
    TestFramework::new("server_off_runs_without_rpc")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .run(|t| {
            let node = t.node(0);
            node.spawn(&["-server=0"])?;
            let log = node.debug_log_path();
            wait_until(
                || {
                    std::fs::read_to_string(&log)
                        .is_ok_and(|l| l.contains("init message: Done loading"))
                },
                std::time::Duration::from_secs(60),
            )?;
            assert!(!node.cookie_path().exists(), "no RPC, no cookie");
            let addr = std::net::SocketAddr::from(([127, 0, 0, 1], node.rpc_port()));
            assert!(
                std::net::TcpStream::connect(addr).is_err(),
                "nothing listens on the RPC port"
            );
            let pid = node.pid().expect("the node is running") as i32;
            // SAFETY: sending a signal to our own child process.
            assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
            node.wait_until_stopped(0, None)
        });
}
