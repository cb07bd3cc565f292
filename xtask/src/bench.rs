//! `cargo xtask bench <name>`: speed measured as a report, never as a test.
//!
//! `rpc`: builds release binaries, then reports side by side: spawn-to-first-RPC of
//! `umkoind` and of `umkoin -m node`, and `getblockcount` requests per second over one
//! keep-alive connection and over eight, next to a bare hyper server answering a fixed
//! reply on the same machine (the ceiling, so the ratio carries across machines).
//!
//! `node`: builds a release `umkoind`, then on a fresh regtest chain times
//! `generatetoaddress` of 200 and of 2,000 blocks and reads the resident memory after
//! each; then on another fresh chain (mock time set, 300 blocks mined to a P2WSH of
//! `OP_TRUE`) times `submitblock` of 200 blocks of 500 chained transactions spending
//! those coinbases (built beforehand, [`blocks`]) and reads the memory after; for ours
//! and for Umkoin Core's `umkoind` (`UMKOIN_CORE_BIN`).
//!
//! `ipc`: builds the `ipc_bench` example of `umkoin-ipc` (release) and runs it: an
//! `Echo.echo` round trip in process, over our IPC from one client thread and from
//! eight, capnp-rpc alone on one and on two loops (the protocol library's share), and a
//! raw socket-pair ping-pong of the same bytes (the floor), as calls/s and p50/p99
//! latency. Arguments after `ipc` go to the program (`--secs`, `--only`,
//! `--calls`; see `impl/ipc/examples/ipc_bench.rs`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use base64::Engine;
use bitcoin::consensus::encode::serialize_hex;
use bitcoin::hex::FromHex;
use bitcoin::{BlockHash, OutPoint};

use crate::util;

mod blocks;

/// Run a benchmark by name.
pub fn run(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("rpc") => rpc(),
        Some("ipc") => ipc(&args[1..]),
        Some("node") => node(),
        Some(other) => bail!("no benchmark named `{other}`; known: rpc, ipc, node"),
        None => bail!("usage: cargo xtask bench rpc|ipc|node"),
    }
}

fn release_dir() -> PathBuf {
    util::bin_dir()
        .parent()
        .expect("the debug dir has a parent")
        .join("release")
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

struct Node {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl Node {
    fn spawn(argv: &[PathBuf], extra: &[&str]) -> Result<Node> {
        let dir = tempfile::tempdir()?;
        let port = free_port()?;
        let mut c = Command::new(&argv[0]);
        c.args(&argv[1..])
            .arg("-regtest")
            .arg(format!("-datadir={}", dir.path().display()))
            .arg(format!("-rpcport={port}"))
            .args(["-listen=0", "-rpcthreads=8", "-rpcworkqueue=256"])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Ok(Node {
            child: c.spawn().context("spawning the node")?,
            dir,
            port,
        })
    }

    fn auth(&self) -> Option<String> {
        let cookie = std::fs::read_to_string(self.dir.path().join("regtest/.cookie")).ok()?;
        Some(base64::engine::general_purpose::STANDARD.encode(cookie.trim()))
    }

    fn stop(mut self) -> Result<()> {
        if let Some(auth) = self.auth()
            && let Ok(mut c) = Conn::open(self.port, &auth, "stop")
        {
            let _ = c.call();
        }
        self.child.wait()?;
        Ok(())
    }
}

/// One keep-alive connection sending the same request again and again (or, with
/// [`Conn::ask`], any request).
struct Conn {
    stream: BufReader<TcpStream>,
    auth_b64: String,
    request: Vec<u8>,
}

/// An HTTP JSON-RPC request of `method` with `params` (JSON text).
fn request(auth_b64: &str, method: &str, params: &str) -> Vec<u8> {
    let body = format!(r#"{{"jsonrpc":"1.0","id":1,"method":"{method}","params":{params}}}"#);
    format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth_b64}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

impl Conn {
    fn open(port: u16, auth_b64: &str, method: &str) -> Result<Conn> {
        Conn::open_with(port, auth_b64, method, "[]")
    }

    /// A connection sending `method` with `params` (JSON text).
    fn open_with(port: u16, auth_b64: &str, method: &str, params: &str) -> Result<Conn> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream: BufReader::new(stream),
            auth_b64: auth_b64.to_owned(),
            request: request(auth_b64, method, params),
        })
    }

    /// Send the request and read one full response; its status.
    fn call(&mut self) -> Result<u16> {
        self.stream.get_mut().write_all(&self.request)?;
        Ok(self.response()?.0)
    }

    /// Send `method` with `params` (JSON text) and read the answer: the JSON-RPC
    /// `result` as [`rpc_result`] gives it, failing on an HTTP error or an RPC error.
    fn ask(&mut self, method: &str, params: &str) -> Result<String> {
        self.stream
            .get_mut()
            .write_all(&request(&self.auth_b64, method, params))?;
        let (status, body) = self.response()?;
        let body = String::from_utf8_lossy(&body);
        if status != 200 || !body.contains(r#""error":null"#) {
            bail!("{method} answered HTTP {status}: {}", body.trim());
        }
        rpc_result(&body)
            .map(str::to_owned)
            .with_context(|| format!("{method}: no result in {}", body.trim()))
    }

    /// Read one full response: its status and body.
    fn response(&mut self) -> Result<(u16, Vec<u8>)> {
        let mut line = String::new();
        self.stream.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .context("no HTTP status line")?;
        let mut len = 0usize;
        loop {
            line.clear();
            self.stream.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().context("bad content-length")?;
            }
        }
        let mut body = vec![0u8; len];
        self.stream.read_exact(&mut body)?;
        Ok((status, body))
    }
}

/// The `result` of a JSON-RPC reply, enough for the answers this bench reads: a
/// string's text (hex, a hash, a reject reason: no escapes), or a bare value (`null`,
/// a number) as written.
fn rpc_result(body: &str) -> Option<&str> {
    let rest = body.split_once(r#""result":"#)?.1.trim_start();
    if let Some(s) = rest.strip_prefix('"') {
        return Some(&s[..s.find('"')?]);
    }
    Some(rest[..rest.find([',', '}'])?].trim())
}

/// Spawn, then poll (no sleep between polls beyond a yield) until the first RPC answers.
fn time_to_first_rpc(argv: &[PathBuf]) -> Result<Duration> {
    let start = Instant::now();
    let node = Node::spawn(argv, &[])?;
    let deadline = start + Duration::from_secs(30);
    loop {
        if let Some(auth) = node.auth()
            && let Ok(mut c) = Conn::open(node.port, &auth, "getblockcount")
            && c.call().ok() == Some(200)
        {
            break;
        }
        if Instant::now() > deadline {
            bail!("no RPC answer within 30 s from {}", argv[0].display());
        }
        std::thread::yield_now();
    }
    let t = start.elapsed();
    node.stop()?;
    Ok(t)
}

fn throughput(port: u16, auth: &str, conns: usize, dur: Duration) -> Result<f64> {
    let mut handles = Vec::new();
    for _ in 0..conns {
        let auth = auth.to_owned();
        handles.push(std::thread::spawn(move || -> Result<u64> {
            let mut c = Conn::open(port, &auth, "getblockcount")?;
            let end = Instant::now() + dur;
            let mut n = 0u64;
            while Instant::now() < end {
                if c.call()? != 200 {
                    bail!("non-200 reply under load");
                }
                n += 1;
            }
            Ok(n)
        }));
    }
    let mut total = 0u64;
    for h in handles {
        total += h
            .join()
            .map_err(|_| anyhow::anyhow!("load thread panicked"))??;
    }
    Ok(total as f64 / dur.as_secs_f64())
}

/// A hyper server answering every request with a fixed JSON-RPC reply.
fn bare_server() -> Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime starts");
        rt.block_on(async move {
            let listener =
                tokio::net::TcpListener::from_std(listener).expect("a std listener converts");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(|_req| async {
                        let mut r = hyper::Response::new(http_body_util::Full::new(
                            hyper::body::Bytes::from_static(
                                b"{\"result\":0,\"error\":null,\"id\":1}\n",
                            ),
                        ));
                        r.headers_mut().insert(
                            hyper::header::CONTENT_TYPE,
                            hyper::header::HeaderValue::from_static("application/json"),
                        );
                        Ok::<_, std::convert::Infallible>(r)
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
    });
    Ok(addr)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn bin(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

fn rpc() -> Result<()> {
    let mut c = util::cargo();
    c.args(["build", "--release"]);
    for b in crate::build::BINARIES {
        c.args(["--bin", b]);
    }
    util::run(&mut c)?;
    let dir = release_dir();
    let umkoind = vec![bin(&dir, "umkoind")];
    let wrapped = vec![bin(&dir, "umkoin"), "-m".into(), "node".into()];
    const RUNS: usize = 7;
    let mut first_d = Vec::new();
    let mut first_m = Vec::new();
    for _ in 0..RUNS {
        first_d.push(time_to_first_rpc(&umkoind)?);
        first_m.push(time_to_first_rpc(&wrapped)?);
    }
    let dur = Duration::from_secs(3);
    let node = Node::spawn(&umkoind, &[])?;
    let auth = crate::util::poll(Duration::from_secs(30), || {
        node.auth().filter(|a| {
            Conn::open(node.port, a, "getblockcount")
                .and_then(|mut c| c.call())
                .ok()
                == Some(200)
        })
    })
    .context("node did not answer RPC")?;
    let ours_1 = throughput(node.port, &auth, 1, dur)?;
    let ours_8 = throughput(node.port, &auth, 8, dur)?;
    node.stop()?;
    let bare = bare_server()?;
    let bare_1 = throughput(bare.port(), "x", 1, dur)?;
    let bare_8 = throughput(bare.port(), "x", 8, dur)?;
    println!(
        "bench rpc (release build, {} cores)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("  spawn to first RPC, median of {RUNS}:");
    println!(
        "    umkoind          {:>8.3} s",
        median(first_d).as_secs_f64()
    );
    println!(
        "    umkoin -m node   {:>8.3} s",
        median(first_m).as_secs_f64()
    );
    println!("  getblockcount, requests/s over {}s:", dur.as_secs());
    println!("                     1 conn      8 conns");
    println!("    umkoind        {ours_1:>9.0}   {ours_8:>9.0}");
    println!("    bare hyper     {bare_1:>9.0}   {bare_8:>9.0}");
    println!(
        "    ours / bare    {:>9.2}   {:>9.2}",
        ours_1 / bare_1,
        ours_8 / bare_8
    );
    println!(
        "  targets: first RPC < 0.08 s; under load >= 2x Umkoin Core (about 26,000/s with 8 conns where bare hyper reaches about 94,000/s: ratio >= 0.55)"
    );
    Ok(())
}

/// The resident memory of process `pid`, in MB (`VmRSS`).
fn rss_mb(pid: u32) -> Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("no VmRSS in /proc status")?;
    Ok(kb / 1024.0)
}

/// A started regtest node answering RPC, and its credentials.
fn started(argv: &[PathBuf]) -> Result<(Node, String)> {
    let node = Node::spawn(argv, &[])?;
    let auth = crate::util::poll(Duration::from_secs(30), || {
        node.auth().filter(|a| {
            Conn::open(node.port, a, "getblockcount")
                .and_then(|mut c| c.call())
                .ok()
                == Some(200)
        })
    })
    .with_context(|| format!("{} did not answer RPC", argv[0].display()))?;
    Ok((node, auth))
}

/// `generatetoaddress n` on `node`: the time it took and the node's memory after it.
fn generate_timed(node: &Node, auth: &str, n: u32) -> Result<(Duration, f64)> {
    const ADDRESS: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
    let params = format!(r#"[{n},"{ADDRESS}"]"#);
    let mut c = Conn::open_with(node.port, auth, "generatetoaddress", &params)?;
    let start = Instant::now();
    let status = c.call()?;
    let took = start.elapsed();
    if status != 200 {
        bail!("generatetoaddress {n} answered HTTP {status}");
    }
    Ok((took, rss_mb(node.child.id())?))
}

/// The mock time the submitblock chains start from (any fixed time after regtest's
/// genesis; the same on both nodes, so both mine the same 300 blocks).
const MOCK_TIME: u32 = 1_700_000_000;
/// Blocks mined before the submitted ones: heights 1..=200 are mature above 300.
const MINED: u32 = 300;
/// Blocks submitted.
const SUBMITTED: usize = 200;
/// The chained transactions in each submitted block (besides its coinbase).
const TXS_PER_BLOCK: usize = 500;

/// A fresh node's chain for the submitblock bench (not timed): the mock time set,
/// [`MINED`] blocks mined to the `OP_TRUE` P2WSH; the hashes of heights 1..=[`MINED`]
/// and what the submitted blocks build on.
fn prepare(node: &Node, auth: &str) -> Result<(Vec<BlockHash>, blocks::Base)> {
    let mut c = Conn::open(node.port, auth, "getblockcount")?;
    c.ask("setmocktime", &format!("[{MOCK_TIME}]"))?;
    c.ask(
        "generatetodescriptor",
        &format!(r#"[{MINED},"{}"]"#, blocks::descriptor()),
    )?;
    let spk = blocks::script_pubkey();
    let mut hashes = Vec::new();
    let mut spends = Vec::new();
    let mut time = 0;
    for height in 1..=MINED {
        let hash: BlockHash = c
            .ask("getblockhash", &format!("[{height}]"))?
            .parse()
            .with_context(|| format!("the hash of block {height}"))?;
        hashes.push(hash);
        if height as usize <= SUBMITTED || height == MINED {
            let hex = c.ask("getblock", &format!(r#"["{hash}",0]"#))?;
            let bytes = Vec::<u8>::from_hex(&hex).context("getblock's hex")?;
            let block: bitcoin::Block = bitcoin::consensus::deserialize(&bytes)
                .with_context(|| format!("decoding block {height}"))?;
            time = block.header.time;
            let coinbase = block
                .txdata
                .first()
                .context("a block without transactions")?;
            let out = coinbase
                .output
                .first()
                .context("a coinbase without outputs")?;
            if out.script_pubkey != spk {
                bail!("block {height}'s coinbase does not pay the OP_TRUE P2WSH");
            }
            if height as usize <= SUBMITTED {
                spends.push((OutPoint::new(coinbase.compute_txid(), 0), out.value));
            }
        }
    }
    let tip = *hashes.last().context("no block mined")?;
    let base = blocks::Base {
        tip,
        height: MINED,
        time,
        spends,
    };
    Ok((hashes, base))
}

/// The blocks to submit, in order: each one's hash and its `submitblock` params.
type Submissions = Vec<(BlockHash, String)>;

/// The [`SUBMITTED`] blocks by `submitblock` in order on one connection: the time it
/// took and the node's memory after it. Every answer must be null (connected) and the
/// height [`MINED`] + [`SUBMITTED`] after.
fn submit_timed(
    node: &Node,
    auth: &str,
    blocks: &[(BlockHash, String)],
) -> Result<(Duration, f64)> {
    let mut c = Conn::open(node.port, auth, "getblockcount")?;
    let start = Instant::now();
    for (k, (hash, params)) in blocks.iter().enumerate() {
        let answer = c.ask("submitblock", params)?;
        if answer != "null" {
            bail!(
                "block {k} (height {}, {hash}) answered {answer:?}",
                MINED as usize + 1 + k
            );
        }
    }
    let took = start.elapsed();
    let rss = rss_mb(node.child.id())?;
    let height = c.ask("getblockcount", "[]")?;
    let want = MINED as usize + SUBMITTED;
    if height != want.to_string() {
        bail!("height {height} after submitblock, not {want}");
    }
    Ok((took, rss))
}

/// `node`: generatetoaddress of 200 and then 2,000 blocks on a fresh regtest node, with
/// the resident memory after each; then, on another fresh node, [`SUBMITTED`] blocks of
/// [`TXS_PER_BLOCK`] transactions by submitblock; for our `umkoind` and Umkoin Core's.
fn node() -> Result<()> {
    util::run(util::cargo().args(["build", "--release", "--bin", "umkoind"]))?;
    let ours = vec![bin(&release_dir(), "umkoind")];
    let core = vec![bin(&crate::provision::core_bin_dir(), "umkoind")];
    let mut rows = Vec::new();
    // The submitted blocks, built once for the chain they extend (its 300 hashes).
    let mut built: Option<(Vec<BlockHash>, Submissions)> = None;
    let mut same_chain = true;
    let mut failures = Vec::new();
    for (label, argv) in [("umkoind (ours)", &ours), ("umkoind (Umkoin Core)", &core)] {
        let (node, auth) = started(argv)?;
        let (t200, m200) = generate_timed(&node, &auth, 200)?;
        let (t2000, m2000) = generate_timed(&node, &auth, 2000)?;
        node.stop()?;

        let (node, auth) = started(argv)?;
        let (hashes, base) = prepare(&node, &auth)?;
        if built.as_ref().is_none_or(|(h, _)| *h != hashes) {
            same_chain &= built.is_none();
            let blocks = blocks::build(&base, TXS_PER_BLOCK)
                .iter()
                .map(|b| (b.block_hash(), format!(r#"["{}"]"#, serialize_hex(b))))
                .collect();
            built = Some((hashes, blocks));
        }
        let blocks = &built.as_ref().expect("built above").1;
        let submitted = submit_timed(&node, &auth, blocks);
        node.stop()?;
        let submitted = match submitted {
            Ok(measured) => Some(measured),
            Err(e) => {
                failures.push(format!("{label}: {e:#}"));
                None
            }
        };
        rows.push((label, t200, m200, t2000, m2000, submitted));
    }
    println!(
        "bench node (release build, {} cores): generatetoaddress on a fresh regtest chain",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "  {:<24} {:>12} {:>10} {:>14} {:>10}",
        "", "200 blocks", "RSS MB", "+2000 blocks", "RSS MB"
    );
    for (label, t200, m200, t2000, m2000, _) in &rows {
        println!(
            "  {label:<24} {:>10.3} s {:>10.1} {:>12.3} s {:>10.1}",
            t200.as_secs_f64(),
            m200,
            t2000.as_secs_f64(),
            m2000
        );
    }
    println!(
        "  targets: match or beat Umkoin Core on both (about 0.06 s for 200 blocks and 53 MB on this machine)"
    );
    let bytes: usize = built
        .as_ref()
        .map_or(0, |(_, b)| b.iter().map(|(_, p)| (p.len() - 4) / 2).sum());
    println!(
        "submitblock of {SUBMITTED} blocks of {TXS_PER_BLOCK} chained P2WSH transactions \
         ({:.1} MB) on {MINED} mined blocks (mock time), one connection{}",
        bytes as f64 / 1e6,
        if same_chain {
            "; the mined blocks are the same on both nodes, so are the submitted ones"
        } else {
            "; the mined chains differ: blocks built per node"
        }
    );
    println!("  {:<24} {:>12} {:>10}", "", "connect", "RSS MB");
    for (label, .., submitted) in &rows {
        match submitted {
            Some((t, m)) => println!("  {label:<24} {:>10.3} s {m:>10.1}", t.as_secs_f64()),
            None => println!("  {label:<24} {:>12} {:>10}", "failed", "-"),
        }
    }
    println!(
        "  what durability costs: ours answers each submitblock only once the block and undo \
         files (synced together) and then the database are on disk, two syncs in a row per \
         call; Core syncs later, so a crash may lose blocks it had accepted"
    );
    if !failures.is_empty() {
        bail!("submitblock failed:\n  {}", failures.join("\n  "));
    }
    Ok(())
}

fn ipc(args: &[String]) -> Result<()> {
    util::run(util::cargo().args([
        "build",
        "--release",
        "-p",
        "umkoin-ipc",
        "--example",
        "ipc_bench",
    ]))?;
    let program = release_dir().join("examples").join("ipc_bench");
    util::run(Command::new(&program).args(args))
}
