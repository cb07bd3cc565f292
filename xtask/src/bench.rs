//! `cargo xtask bench <name>`: speed measured as a report, never as a test.
//!
//! `rpc`: builds release binaries, then reports side by side: spawn-to-first-RPC of
//! `umkoind` and of `umkoin -m node`, and `getblockcount` requests per second over one
//! keep-alive connection and over eight, next to a bare hyper server answering a fixed
//! reply on the same machine (the ceiling, so the ratio carries across machines).
//!
//! `node`: builds a release `umkoind`, then on a fresh regtest chain times
//! `generatetoaddress` of 200 and of 2,000 blocks and reads the resident memory after
//! each, for ours and for Umkoin Core's `umkoind` (`UMKOIN_CORE_BIN`).
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

use crate::util;

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

/// One keep-alive connection sending the same request again and again.
struct Conn {
    stream: BufReader<TcpStream>,
    request: Vec<u8>,
}

impl Conn {
    fn open(port: u16, auth_b64: &str, method: &str) -> Result<Conn> {
        Conn::open_with(port, auth_b64, method, "[]")
    }

    /// A connection sending `method` with `params` (JSON text).
    fn open_with(port: u16, auth_b64: &str, method: &str, params: &str) -> Result<Conn> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_nodelay(true)?;
        let body = format!(r#"{{"jsonrpc":"1.0","id":1,"method":"{method}","params":{params}}}"#);
        let request = format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth_b64}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes();
        Ok(Conn {
            stream: BufReader::new(stream),
            request,
        })
    }

    /// Send the request and read one full response; its status.
    fn call(&mut self) -> Result<u16> {
        self.stream.get_mut().write_all(&self.request)?;
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
        Ok(status)
    }
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

/// `node`: generatetoaddress of 200 and then 2,000 blocks on a fresh regtest node, with
/// the resident memory after each, for our `umkoind` and Umkoin Core's.
fn node() -> Result<()> {
    util::run(util::cargo().args(["build", "--release", "--bin", "umkoind"]))?;
    let ours = vec![bin(&release_dir(), "umkoind")];
    let core = vec![bin(&crate::provision::core_bin_dir(), "umkoind")];
    let mut rows = Vec::new();
    for (label, argv) in [("umkoind (ours)", &ours), ("umkoind (Umkoin Core)", &core)] {
        let (node, auth) = started(argv)?;
        let (t200, m200) = generate_timed(&node, &auth, 200)?;
        let (t2000, m2000) = generate_timed(&node, &auth, 2000)?;
        node.stop()?;
        rows.push((label, t200, m200, t2000, m2000));
    }
    println!(
        "bench node (release build, {} cores): generatetoaddress on a fresh regtest chain",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "  {:<24} {:>12} {:>10} {:>14} {:>10}",
        "", "200 blocks", "RSS MB", "+2000 blocks", "RSS MB"
    );
    for (label, t200, m200, t2000, m2000) in &rows {
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
    println!(
        "  not measured yet: connecting 200 blocks of 500 transactions by submitblock (needs transaction validation)"
    );
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
