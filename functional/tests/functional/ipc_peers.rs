//! Independent Cap'n Proto peers talking to a node started with `-ipcbind=unix`, each
//! with its own copy of the IPC schemas (Bitcoin Core's, as the `bitcoin-capnp-types`
//! crate ships them), not ours: a Rust client built on that crate with capnp-rpc, and a
//! Python client on pycapnp (`functional/peers/ipc_echo_session.py`). Both run the
//! session of Core's `interface_ipc.py`: `construct`, `makeThread`, `makeEcho` with a
//! `Context` naming the made thread, `echo`, `destroy`, and the refused `makeMiningOld2`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use bitcoin_capnp_types::capnp_rpc::{
    self, RpcSystem, rpc_twoparty_capnp::Side, twoparty::VatNetwork,
};
use bitcoin_capnp_types::{capnp, echo_capnp::echo, init_capnp::init, proxy_capnp::thread};
use serde_json::{Value, json};
use tokio_util::compat::{TokioAsyncReadCompatExt, TokioAsyncWriteCompatExt};
use umkoin_harness::util::scaled;
use umkoin_harness::{TestFramework, wait_until};

/// Strings echoed: ASCII, non-ASCII (two- to four-byte UTF-8), and empty.
const STRINGS: [&str; 3] = ["hallo", "grüße ☃ 𝄞", ""];

/// What both capnp-rpc and pycapnp make of the exception Core's node sends for
/// `Init.makeMiningOld2 @2`: the reason on the wire is `std::exception: Old mining ...`
/// (libmultiprocess names the C++ exception type), and both libraries put
/// `remote exception: ` in front of a reason that came over the wire.
const OLD2_DESCRIPTION: &str = "remote exception: std::exception: Old mining interface (@2) not supported. Please update your client!";

/// The names the peers give the server threads they make.
const RUST_PEER: &str = "rust-peer";
const PY_PEER: &str = "py-peer";

/// How long one peer's whole session may take.
const SESSION_TIMEOUT: Duration = Duration::from_secs(60);

/// Checks what a peer saw, in the shape the Python script prints. The server thread's
/// name is Core's `<exe>-<pid>/<thread>-<tid> (from <name given to makeThread>)`; only
/// the part the peer chose is checked.
fn check_seen(peer: &str, seen: &Value) {
    let name = seen["thread_name"].as_str().unwrap_or_default();
    assert!(
        name.ends_with(&format!(" (from {peer})")),
        "Thread.getName of the thread made as {peer:?}: {name:?}"
    );
    assert_eq!(seen["echoed"], json!(STRINGS), "echo replies");
    assert_eq!(
        seen["old2"],
        json!({ "type": "FAILED", "description": OLD2_DESCRIPTION }),
        "makeMiningOld2"
    );
}

/// A connection's bootstrap `Init`, and the future that closes the connection.
type Connection = (init::Client, capnp_rpc::Disconnector<Side>);

/// One two-party connection to the node, its RPC system running on the `LocalSet`.
async fn connect(socket: &Path) -> Result<Connection> {
    let stream = tokio::net::UnixStream::connect(socket)
        .await
        .with_context(|| format!("connecting to {}", socket.display()))?;
    let (reader, writer) = stream.into_split();
    let network = VatNetwork::new(
        reader.compat(),
        writer.compat_write(),
        Side::Client,
        Default::default(),
    );
    let mut rpc = RpcSystem::new(Box::new(network), None);
    let init: init::Client = rpc.bootstrap(Side::Server);
    let disconnect = rpc.get_disconnector();
    tokio::task::spawn_local(rpc);
    Ok((init, disconnect))
}

/// The session through `bitcoin-capnp-types`, reported as the Python script reports it.
async fn rust_session(socket: &Path, peer: &str) -> Result<Value> {
    let (init, disconnect) = connect(socket).await?;
    // construct(threadMap) with the parameter left null, as Core's own Python test
    // does: a client that serves no callbacks needs to hand over no ThreadMap.
    let reply = init.construct_request().send().promise.await?;
    let thread_map = reply.get()?.get_thread_map()?;
    let mut request = thread_map.make_thread_request();
    request.get().set_name(peer);
    let reply = request.send().promise.await?;
    let thread: thread::Client = reply.get()?.get_result()?;
    let reply = thread.get_name_request().send().promise.await?;
    let thread_name = reply.get()?.get_result()?.to_string()?;

    let mut request = init.make_echo_request();
    request.get().init_context().set_thread(thread.clone());
    let reply = request.send().promise.await?;
    let echo: echo::Client = reply.get()?.get_result()?;
    let mut echoed = Vec::new();
    for s in STRINGS {
        let mut request = echo.echo_request();
        let mut params = request.get();
        params.reborrow().init_context().set_thread(thread.clone());
        params.set_echo(s);
        let reply = request.send().promise.await?;
        echoed.push(reply.get()?.get_result()?.to_string()?);
    }
    let mut request = echo.destroy_request();
    request.get().init_context().set_thread(thread.clone());
    request.send().promise.await?;
    drop((echo, thread, thread_map, init));
    disconnect.await?;

    // makeMiningOld2 on a fresh connection, with nothing constructed, as Core's test.
    let (init, disconnect) = connect(socket).await?;
    let old2 = match init.make_mining_old2_request().send().promise.await {
        Ok(_) => Value::Null,
        Err(e) => json!({ "type": kind_name(e.kind), "description": e.extra }),
    };
    drop(init);
    disconnect.await?;
    Ok(json!({ "thread_name": thread_name, "echoed": echoed, "old2": old2 }))
}

/// A capnp error kind as pycapnp names it (`KjException.type`).
fn kind_name(kind: capnp::ErrorKind) -> &'static str {
    match kind {
        capnp::ErrorKind::Failed => "FAILED",
        capnp::ErrorKind::Overloaded => "OVERLOADED",
        capnp::ErrorKind::Disconnected => "DISCONNECTED",
        capnp::ErrorKind::Unimplemented => "UNIMPLEMENTED",
        _ => "OTHER",
    }
}

#[test]
fn rust_peer_bitcoin_capnp_types() {
    TestFramework::new("rust_peer_bitcoin_capnp_types")
        .num_nodes(1)
        .setup_clean_chain(true)
        .ipcbind(true)
        .run(|t| {
            let node = t.node(0);
            let socket = node
                .ipc_socket_path()
                .ok_or_else(|| anyhow!("the node has no IPC socket"))?
                .to_owned();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let session = tokio::task::LocalSet::new().block_on(&runtime, async {
                tokio::time::timeout(scaled(SESSION_TIMEOUT), rust_session(&socket, RUST_PEER))
                    .await
            });
            let seen = session.context("the Rust peer's session timed out")??;
            check_seen(RUST_PEER, &seen);
            Ok(())
        });
}

/// Whether `CI` says this is a CI run, where a missing tool fails the test.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"))
}

/// A tool the test needs is missing: fail under CI, else skip loudly.
fn missing_tool(test: &str, what: &str) -> Result<()> {
    let message = format!(
        "{test}: {what}. `cargo xtask test` installs the pinned pycapnp (or: python3 -m pip install pycapnp)"
    );
    if in_ci() {
        bail!("{message}; CI must run this test");
    }
    eprintln!("\n*** SKIPPED {message} ***\n");
    Ok(())
}

/// Whether `python3` runs and imports pycapnp; `Err` says what is missing.
fn python_with_pycapnp() -> std::result::Result<(), String> {
    let out = Command::new("python3")
        .args(["-c", "import capnp"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("python3 does not run ({e})"))?;
    if out.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().rfind(|l| !l.trim().is_empty());
        Err(format!(
            "python3 cannot import pycapnp ({})",
            last.unwrap_or("no error text").trim()
        ))
    }
}

/// The `.capnp` files inside the `bitcoin-capnp-types` crate this workspace builds:
/// `<its manifest folder>/capnp`, the manifest found with `cargo metadata`. Cargo
/// answers with the copy it compiled (the locked version, wherever CARGO_HOME, a
/// vendor folder or a path override put it), so the Python peer reads the same
/// schemas the Rust peer was generated from. Offline and for this target only, cargo
/// needs nothing that building this test did not already download.
fn bitcoin_capnp_types_schemas() -> Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let out = Command::new(&cargo)
        .args([
            "metadata",
            "--format-version=1",
            "--offline",
            "--filter-platform",
        ])
        .arg(env!("UMKOIN_FUNCTIONAL_TARGET"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {} metadata", cargo.to_string_lossy()))?;
    if !out.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let metadata: Value = serde_json::from_slice(&out.stdout).context("cargo metadata output")?;
    let manifests: Vec<&str> = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["name"] == "bitcoin-capnp-types")
        .filter_map(|p| p["manifest_path"].as_str())
        .collect();
    let [manifest] = manifests[..] else {
        bail!("cargo metadata lists bitcoin-capnp-types {manifests:?} times, want once");
    };
    let dir = Path::new(manifest)
        .parent()
        .context("manifest path without a folder")?
        .join("capnp");
    if !dir.join("init.capnp").is_file() {
        bail!("no init.capnp in {}", dir.display());
    }
    Ok(dir)
}

#[test]
fn python_peer_pycapnp() {
    const TEST: &str = "ipc_peers::python_peer_pycapnp";
    TestFramework::new("python_peer_pycapnp")
        .num_nodes(1)
        .setup_clean_chain(true)
        .ipcbind(true)
        .start_nodes(false)
        .run(|t| {
            if let Err(what) = python_with_pycapnp() {
                return missing_tool(TEST, &what);
            }
            let schemas = bitcoin_capnp_types_schemas()?;
            // Output goes to files in the test directory (kept when the test fails),
            // so a chatty failure cannot fill a pipe while the test polls for the exit.
            let stdout_path = t.dir().join("python-peer.stdout");
            let stderr_path = t.dir().join("python-peer.stderr");
            let node = t.node(0);
            node.start()?;
            let socket = node
                .ipc_socket_path()
                .ok_or_else(|| anyhow!("the node has no IPC socket"))?;
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/ipc_echo_session.py");
            let mut child = Command::new("python3")
                .arg(&script)
                .arg(socket)
                .arg(&schemas)
                .arg(PY_PEER)
                .args(STRINGS)
                .env("PYTHONUTF8", "1")
                .stdin(Stdio::null())
                .stdout(std::fs::File::create(&stdout_path)?)
                .stderr(std::fs::File::create(&stderr_path)?)
                .spawn()
                .with_context(|| format!("running python3 {}", script.display()))?;
            let exited = wait_until(
                || child.try_wait().is_ok_and(|s| s.is_some()),
                SESSION_TIMEOUT,
            );
            if exited.is_err() {
                child.kill()?;
            }
            let status = child.wait()?;
            let stdout = std::fs::read_to_string(&stdout_path)?;
            let stderr = std::fs::read_to_string(&stderr_path)?;
            exited.context("the Python peer's session timed out")?;
            if !status.success() {
                bail!("{} failed ({status}):\n{stderr}{stdout}", script.display());
            }
            let seen: Value = serde_json::from_str(stdout.trim())
                .with_context(|| format!("the Python peer's report: {stdout}"))?;
            eprintln!("python peer (pycapnp {}): {seen}", seen["pycapnp"]);
            check_seen(PY_PEER, &seen);
            Ok(())
        });
}
