//! IPC as a user sees it: `umkoin-node -ipcbind` serving `Init` and `Echo` to other
//! processes (the socket's place, mode and life), a killed client leaving the node
//! serving others, a node killed mid-call giving its client an error, `echoipc`
//! through a spawned child, and the `-debug=ipc` transcript of a scripted session.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use serde_json::json;
use umkoin_harness::{ErrorMatch, TestFramework, wait_until};
use umkoin_interfaces::mp;

const OLD_MINING: &str = "Old mining interface (@2) not supported. Please update your client!";

#[test]
fn echo_over_ipcbind_from_another_process() {
    TestFramework::new("echo_over_ipcbind_from_another_process")
        .num_nodes(1)
        .setup_clean_chain(true)
        .ipcbind(true)
        .run(|t| {
            let is_core = t.is_core();
            let node = t.node(0);
            let socket = node.ipc_socket_path().context("socket")?.to_owned();
            let meta = std::fs::symlink_metadata(&socket)?;
            ensure!(
                meta.file_type().is_socket(),
                "{} is a socket",
                socket.display()
            );
            ensure!(
                meta.permissions().mode() & 0o077 == 0,
                "private to its user"
            );
            let connection =
                node.assert_debug_log(&["IPC server: socket connected."], &[], |n| {
                    n.ipc_connect()
                })?;
            let echo = connection.init.make_echo()?;
            for text in ["hallo", "", "grüße ☃ 𝄞", &"x".repeat(1 << 20)] {
                assert_eq!(echo.echo(text.to_owned()), Ok(text.to_owned()));
            }
            assert_eq!(
                connection.init.make_mining_old2(),
                Err(mp::Error::Failed(OLD_MINING.to_owned()))
            );
            // The connection still works after a method failed.
            assert_eq!(echo.echo("again".into()), Ok("again".to_owned()));
            if !is_core {
                // Our own bootstrap interface, beside Core's `Init`.
                let version = connection.umkoin_init.version()?;
                assert!(version.contains("umkoin-rs"), "{version}");
            }
            drop(echo);
            node.assert_debug_log(&["IPC server: socket disconnected."], &[], |_| {
                connection.conn.close();
                Ok(())
            })?;
            Ok(())
        });
}

#[test]
fn a_killed_client_leaves_the_node_serving_others() {
    TestFramework::new("a_killed_client_leaves_the_node_serving_others")
        .num_nodes(1)
        .setup_clean_chain(true)
        .ipcbind(true)
        .run(|t| {
            let node = t.node(0);
            let socket = node.ipc_socket_path().context("socket")?.to_owned();
            let survivor = node.ipc_connect()?;
            let survivor_echo = survivor.init.make_echo()?;
            for round in 0..3 {
                let mut client = Command::new(env!("CARGO_BIN_EXE_ipc-client"))
                    .arg(&socket)
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()?;
                let mut line = String::new();
                BufReader::new(client.stdout.take().context("stdout")?).read_line(&mut line)?;
                assert_eq!(line.trim(), "ready", "round {round}");
                node.assert_debug_log(&["IPC server: socket disconnected."], &[], |_| {
                    client.kill()?;
                    client.wait()?;
                    Ok(())
                })?;
                assert_eq!(
                    survivor_echo.echo(format!("{round}")),
                    Ok(format!("{round}"))
                );
                let fresh = node.ipc_connect()?;
                assert_eq!(
                    fresh.init.make_echo()?.echo("new".into()),
                    Ok("new".to_owned())
                );
            }
            assert_eq!(node.call("getblockcount", json!([]))?, json!(0));
            Ok(())
        });
}

#[test]
fn a_node_killed_mid_call_gives_the_client_an_error() {
    TestFramework::new("a_node_killed_mid_call_gives_the_client_an_error")
        .num_nodes(1)
        .setup_clean_chain(true)
        .ipcbind(true)
        .run(|t| {
            let node = t.node(0);
            let connection = node.ipc_connect()?;
            let echo = connection.init.make_echo()?;
            let big = "y".repeat(4 << 20);
            let (tx, rx) = std::sync::mpsc::channel();
            let caller = std::thread::spawn(move || {
                // Calls back to back until one fails; each carries megabytes, so the kill
                // lands while one is on the wire or being answered.
                let mut calls = 0u64;
                loop {
                    calls += 1;
                    if calls == 2 {
                        let _ = tx.send(());
                    }
                    if let Err(e) = echo.echo(big.clone()) {
                        return (calls, e);
                    }
                }
            });
            rx.recv_timeout(Duration::from_secs(60))
                .context("the caller never got going")?;
            node.kill()?;
            let (calls, error) = caller
                .join()
                .map_err(|_| anyhow::anyhow!("caller panicked"))?;
            assert!(
                matches!(error, mp::Error::Disconnected(_)),
                "after {calls} calls: {error:?}"
            );
            // And every later call fails at once.
            assert!(matches!(
                connection.init.make_echo(),
                Err(mp::Error::Disconnected(_))
            ));
            ensure!(!connection.conn.is_alive());
            Ok(())
        });
}

#[test]
fn echoipc_goes_through_a_spawned_child() {
    TestFramework::new("echoipc_goes_through_a_spawned_child")
        .num_nodes(1)
        .setup_clean_chain(true)
        .ipcbind(true)
        .extra_args([["-debug=ipc"]])
        .run(|t| {
            let node = t.node(0);
            let out = node.assert_debug_log(
                &[
                    "Process umkoin-node pid",
                    "IPC client send Echo.echo$Params",
                    "IPC client recv Echo.echo$Results",
                    "exited with status 0",
                ],
                &[],
                |n| Ok(n.call("echoipc", json!(["hello"]))?),
            )?;
            assert_eq!(out, json!("hello"));
            let err = node
                .call("echoipc", json!([]))
                .expect_err("arg is required");
            assert_eq!(err.code(), Some(-1));
            Ok(())
        });
}

#[test]
fn socket_paths_stale_sockets_and_a_live_one() {
    TestFramework::new("socket_paths_stale_sockets_and_a_live_one")
        .num_nodes(2)
        .setup_clean_chain(true)
        .start_nodes(false)
        .ipcbind(true)
        .run(|t| {
            ours_only!(t);
            let shared = t.dir().join("shared").join("deep").join("node.sock");
            let bind = format!("-ipcbind=unix:{}", shared.display());
            // Relative paths go under the chain dir, with parent folders made; a stale
            // socket file (a node killed before it could clean up) is replaced.
            let node = t.node(0);
            node.start_with_args(&["-ipcbind=unix:sub/dir/x.sock", &bind])?;
            let relative = node.chain_path().join("sub/dir/x.sock");
            ensure!(relative.exists(), "{} exists", relative.display());
            let mode = std::fs::metadata(&relative)?.permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "socket mode");
            node.kill()?;
            ensure!(shared.exists(), "a killed node leaves its socket file");
            node.start_with_args(&[&bind])?;
            let connection = umkoin_harness::ipc::connect(&shared)?;
            assert_eq!(connection.init.make_echo()?.echo("up".into()), Ok("up".to_owned()));
            // A socket a running node answers on is refused, not taken over.
            let other = t.node(1);
            let expected = format!(
                "Error: Unable to bind to IPC address 'unix:{}'. Address already in use: a running process is listening on it",
                shared.display()
            );
            other.assert_start_raises_init_error(&[&bind], Some(&expected), ErrorMatch::Full)?;
            assert_eq!(connection.init.make_echo()?.echo("still".into()), Ok("still".to_owned()));
            Ok(())
        });
}

#[test]
fn bad_ipcbind_addresses_fail_start_up() {
    TestFramework::new("bad_ipcbind_addresses_fail_start_up")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .ipcbind(true)
        .run(|t| {
            let node = t.node(0);
            for (arg, error) in [
                (
                    "-ipcbind=tcp",
                    "Error: Unable to bind to IPC address 'tcp'. Unrecognized address 'tcp'",
                ),
                (
                    "-ipcbind=",
                    "Error: Unable to bind to IPC address ''. Unrecognized address ''",
                ),
            ] {
                node.assert_start_raises_init_error(&[arg], Some(error), ErrorMatch::Full)?;
            }
            Ok(())
        });
}

/// The `-debug=ipc` lines of one scripted session (connect and construct, a server
/// thread made for this thread, makeEcho, echo ×3, destroy, disconnect), read from
/// the node's log.
fn scripted_session(node: &mut umkoin_harness::TestNode) -> Result<String> {
    let log = node.debug_log_path();
    let start = std::fs::metadata(&log)?.len() as usize;
    let connection = node.ipc_connect()?;
    let echo = connection.init.make_echo()?;
    for text in ["hallo", "grüße", ""] {
        assert_eq!(echo.echo(text.to_owned()), Ok(text.to_owned()));
    }
    drop(echo);
    let umkoin_harness::ipc::Connection {
        init,
        umkoin_init,
        bootstrap,
        conn,
    } = connection;
    drop((init, umkoin_init, bootstrap));
    conn.close();
    let mut session = String::new();
    wait_until(
        || {
            let text = std::fs::read(&log).unwrap_or_default();
            session = String::from_utf8_lossy(&text[start.min(text.len())..]).into_owned();
            session.contains("IPC server: socket disconnected.")
                && session.contains("ProxyServer<UmkoinInit>")
        },
        Duration::from_secs(30),
    )?;
    let lines: Vec<&str> = session
        .lines()
        .filter(|l| l.contains("[ipc") || l.contains(" ipc: "))
        .collect();
    if lines.is_empty() {
        bail!("no IPC lines in the session's log:\n{session}");
    }
    Ok(lines.join("\n"))
}

#[test]
fn debug_ipc_transcript_of_a_scripted_session() {
    TestFramework::new("debug_ipc_transcript_of_a_scripted_session")
        .num_nodes(1)
        .setup_clean_chain(true)
        .ipcbind(true)
        .extra_args([["-debug=ipc", "-loglevel=ipc:trace"]])
        .run(|t| {
            // Core's destroy lines name C++ types, and its client differs: ours only.
            ours_only!(t);
            let node = t.node(0);
            let settings = umkoin_harness::snapshot::settings();
            let first = scripted_session(node)?;
            let redacted = umkoin_harness::snapshot::redact;
            let want = redacted(&first);
            for run in 1..20 {
                let again = scripted_session(node)?;
                assert_eq!(redacted(&again), want, "run {run} differs from run 0");
            }
            settings.bind(|| insta::assert_snapshot!("ipc_transcript_echo_session", first));
            Ok(())
        });
}

#[test]
fn malformed_ipc_bytes_close_only_that_connection() {
    TestFramework::new("malformed_ipc_bytes_close_only_that_connection")
        .num_nodes(1)
        .setup_clean_chain(true)
        .ipcbind(true)
        .run(|t| {
            let node = t.node(0);
            let socket = node.ipc_socket_path().context("socket")?.to_owned();
            let survivor = node.ipc_connect()?;
            let echo = survivor.init.make_echo()?;
            // Not a Cap'n Proto message: a segment table claiming a huge first segment.
            let mut garbage = std::os::unix::net::UnixStream::connect(&socket)?;
            node.assert_debug_log(&["IPC server: socket disconnected."], &[], |_| {
                use std::io::{Read, Write};
                garbage.write_all(&[0xff; 64])?;
                garbage.set_read_timeout(Some(Duration::from_secs(60)))?;
                // The node closes the connection: the read sees end of file (or a reset).
                let mut buf = [0u8; 256];
                while matches!(garbage.read(&mut buf), Ok(n) if n > 0) {}
                Ok(())
            })?;
            assert_eq!(echo.echo("alive".into()), Ok("alive".to_owned()));
            assert_eq!(node.call("getblockcount", json!([]))?, json!(0));
            Ok(())
        });
}

#[test]
fn bad_ipcfd_arguments_are_errors_not_crashes() -> Result<()> {
    // Core aborts on these (an uncaught exception); umkoin-rs says what is wrong.
    let node = umkoin_harness::binaries::target_dir().join("debug/umkoin-node");
    if umkoin_harness::Binaries::from_env().is_core() {
        eprintln!("skipped against Umkoin Core: this tests umkoin-rs behaviour Core lacks");
        return Ok(());
    }
    for (fd, error) in [
        ("abc", "Error: Invalid -ipcfd number 'abc'"),
        ("999", "Error: -ipcfd 999: Bad file descriptor (os error 9)"),
    ] {
        let out = Command::new(&node)
            .args(["-ipcfd", fd])
            .stdin(Stdio::null())
            .output()?;
        assert_eq!(out.status.code(), Some(1), "-ipcfd {fd}");
        assert_eq!(String::from_utf8_lossy(&out.stderr).trim(), error);
    }
    Ok(())
}

#[test]
fn an_ipcbind_folder_that_cannot_be_made_fails_start_up() {
    TestFramework::new("an_ipcbind_folder_that_cannot_be_made_fails_start_up")
        .num_nodes(1)
        .setup_clean_chain(true)
        .start_nodes(false)
        .ipcbind(true)
        .run(|t| {
            let node = t.node(0);
            node.assert_start_raises_init_error(
                &["-ipcbind=unix:/proc/umkoin-no-such/x.sock"],
                Some("Error: Unable to bind to IPC address 'unix:/proc/umkoin-no-such/x.sock'."),
                ErrorMatch::Partial,
            )
        });
}
