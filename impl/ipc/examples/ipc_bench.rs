//! `ipc_bench`: what an `Echo.echo("hello")` round trip costs, run by `cargo xtask bench
//! ipc` (a release build). One run reports, as a table of calls/s and p50/p99 latency:
//! the call in process through `Arc<dyn Echo>`; our IPC over a socket pair in this
//! process from one client thread and from eight sharing one proxy; the same over a
//! socket pair to a child process (this program re-run as `ipc_bench -ipcfd <fd>`, as
//! Umkoin Core spawns its processes); and the floor, a raw ping-pong over a std
//! `UnixStream` pair carrying the bytes one Echo call puts on the wire each way
//! (measured through a counting relay), from one thread pair and from eight. Between
//! the floor and ours sit two rows of capnp-rpc alone, with no runtime: the Echo server
//! answers on the event loop and the client awaits on it, over a socket pair, both ends
//! on one loop and on two loops (two threads): what the protocol library costs before
//! our threads (libmultiprocess's model) add theirs.
//!
//! It measures and reports; it asserts nothing about speed. Options: `--secs <s>` (the
//! measuring window of each socket row, default 3; in-process rows take a third),
//! `--only <row>` (`inproc`, `floor`, `ipc1`, `ipc8`, `floor8`, `proc1`, `proc8`, `rpc1`,
//! `rpc8`: one
//! row, for `perf`), `--calls <n>` (measure exactly `n` calls per thread instead of a
//! window, to count syscalls or CPU time per call), `--warm-up <s>` (default 0.5).

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use umkoin_interfaces::ipc::echo::Echo;
use umkoin_interfaces::ipc::init::Init;
use umkoin_interfaces::ipc::mining::Mining;
use umkoin_interfaces::ipc::rpc::Rpc;
use umkoin_interfaces::ipc::umkoin::UmkoinInit;
use umkoin_interfaces::mp;

/// The process name in IPC log tags.
const EXE: &str = "ipc_bench";
/// The string every call echoes.
const MESSAGE: &str = "hello";

/// The plain in-process implementation.
struct EchoImpl;

impl Echo for EchoImpl {
    fn echo(&self, echo: String) -> mp::Result<String> {
        Ok(echo)
    }
}

/// The bootstrap the server side serves: only `makeEcho` and `version` work.
struct BenchInit;

impl Init for BenchInit {
    fn make_echo(&self) -> mp::Result<Arc<dyn Echo>> {
        Ok(Arc::new(EchoImpl))
    }
    fn make_mining_old2(&self) -> mp::Result<()> {
        Err(mp::Error::failed("not in the bench"))
    }
    fn make_mining(&self) -> mp::Result<Arc<dyn Mining>> {
        Err(mp::Error::failed("not in the bench"))
    }
    fn make_rpc(&self) -> mp::Result<Arc<dyn Rpc>> {
        Err(mp::Error::failed("not in the bench"))
    }
}

impl UmkoinInit for BenchInit {
    fn version(&self) -> mp::Result<String> {
        Ok(env!("CARGO_PKG_VERSION").to_owned())
    }
}

/// A latency histogram in nanoseconds: 128 buckets per power of two, so a quantile is
/// read to within 0.8%, in fixed memory however many calls are recorded.
struct Hist {
    counts: Vec<u64>,
    n: u64,
}

const SUB_BITS: u32 = 7;
const SUB: usize = 1 << SUB_BITS;

impl Hist {
    fn new() -> Hist {
        Hist {
            counts: vec![0; 64 * SUB],
            n: 0,
        }
    }

    fn bucket(ns: u64) -> usize {
        if ns < SUB as u64 {
            return ns as usize;
        }
        let e = 63 - ns.leading_zeros();
        let m = (ns >> (e - SUB_BITS)) as usize;
        (e - SUB_BITS + 1) as usize * SUB + (m - SUB)
    }

    /// The middle of bucket `i`, in nanoseconds.
    fn value(i: usize) -> f64 {
        if i < SUB {
            return i as f64;
        }
        let octave = i / SUB;
        let low = ((SUB + i % SUB) as u64) << (octave - 1);
        low as f64 + ((1u64 << (octave - 1)) as f64 - 1.0) / 2.0
    }

    fn record(&mut self, ns: u64) {
        self.counts[Self::bucket(ns)] += 1;
        self.n += 1;
    }

    fn merge(&mut self, other: &Hist) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.n += other.n;
    }

    /// The `q` quantile (0..=1), in nanoseconds.
    fn quantile(&self, q: f64) -> f64 {
        let rank = ((self.n as f64 * q).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Self::value(i);
            }
        }
        0.0
    }
}

/// One row of the report.
struct Row {
    threads: usize,
    calls_per_s: f64,
    p50_ns: f64,
    p99_ns: f64,
    /// CPU time (user, system) of the processes involved per call, in microseconds.
    cpu_us: Option<(f64, f64)>,
}

/// The CPU time (user, system) process `pid` has used, in microseconds: `utime` and
/// `stime` of `/proc/<pid>/stat`, in ticks of `USER_HZ` (100 on Linux, whatever the
/// kernel's own tick).
fn cpu_time(pid: u32) -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses: state is the first.
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    Some((ticks(11)? * 10_000.0, ticks(12)? * 10_000.0))
}

/// The CPU time (user, system) processes `pids` have used together, in microseconds.
fn cpu_total(pids: &[u32]) -> Option<(f64, f64)> {
    pids.iter().try_fold((0.0, 0.0), |(u, s), pid| {
        let (pu, ps) = cpu_time(*pid)?;
        Some((u + pu, s + ps))
    })
}

/// How long each thread of a row measures.
#[derive(Clone, Copy)]
enum Span {
    /// For this long.
    Window(Duration),
    /// For this many calls (`--calls`, to count syscalls or samples per call).
    Calls(u64),
}

/// Runs `threads` threads, each calling its own `make(i)` closure: first until
/// `warm_up` has passed, then (all starting together) for `span`, timing every call;
/// the CPU time processes `pids` spend meanwhile is shared out over the calls.
fn measure<'a>(
    threads: usize,
    warm_up: Duration,
    span: Span,
    pids: &[u32],
    make: &(dyn Fn(usize) -> Box<dyn FnMut() + 'a> + Sync),
) -> Row {
    let barrier = Barrier::new(threads + 1);
    let mut cpu_before = None;
    let warm_end = Instant::now() + warm_up;
    let results: Vec<(Hist, Duration)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                let barrier = &barrier;
                s.spawn(move || {
                    let mut call = make(i);
                    while Instant::now() < warm_end {
                        call();
                    }
                    barrier.wait();
                    let mut hist = Hist::new();
                    let start = Instant::now();
                    let (end, calls) = match span {
                        Span::Window(window) => (start + window, u64::MAX),
                        Span::Calls(n) => (start + Duration::from_secs(3600), n),
                    };
                    let mut t0 = start;
                    while t0 < end && hist.n < calls {
                        call();
                        let t1 = Instant::now();
                        hist.record((t1 - t0).as_nanos() as u64);
                        t0 = t1;
                    }
                    (hist, t0 - start)
                })
            })
            .collect();
        barrier.wait();
        cpu_before = cpu_total(pids);
        handles
            .into_iter()
            .map(|h| h.join().expect("a bench thread panicked"))
            .collect()
    });
    let cpu_after = cpu_total(pids);
    let mut hist = Hist::new();
    let mut wall = Duration::ZERO;
    for (h, elapsed) in &results {
        hist.merge(h);
        wall = wall.max(*elapsed);
    }
    let calls = hist.n.max(1) as f64;
    Row {
        threads,
        calls_per_s: hist.n as f64 / wall.as_secs_f64(),
        p50_ns: hist.quantile(0.50),
        p99_ns: hist.quantile(0.99),
        cpu_us: cpu_before
            .zip(cpu_after)
            .map(|((u0, s0), (u1, s1))| ((u1 - u0) / calls, (s1 - s0) / calls)),
    }
}

/// One Echo call through `echo`, its answer checked.
fn call_echo(echo: &dyn Echo) {
    let answer = std::hint::black_box(echo).echo(std::hint::black_box(MESSAGE).to_owned());
    let answer = answer.expect("every echo call in the bench answers");
    assert_eq!(answer, MESSAGE, "echo answers what it was sent");
}

/// Our IPC over a socket pair, both ends in this process (on its one event loop).
struct Local {
    echo: Arc<dyn Echo>,
    connection: umkoin_ipc::Connection,
}

impl Local {
    fn open(stream_pair: (UnixStream, UnixStream)) -> Local {
        let (server, client) = stream_pair;
        umkoin_ipc::serve_stream(
            EXE,
            server,
            umkoin_ipc::umkoin_init_bootstrap(Arc::new(BenchInit)),
            Box::new(|| {}),
        )
        .expect("the IPC event loop serves the socket pair");
        let connection = umkoin_ipc::attach(EXE, client).expect("attach to our own server");
        let echo = connection.init.make_echo().expect("makeEcho answers");
        Local { echo, connection }
    }

    fn close(self) {
        let Local { echo, connection } = self;
        drop(echo);
        connection.conn.close();
    }
}

/// Bytes one Echo call puts on the wire each way, and how many reads they arrived in:
/// the IPC connection runs through two relay threads that count what they copy.
struct Wire {
    up_bytes: u64,
    down_bytes: u64,
    up_reads: f64,
    down_reads: f64,
}

fn relay(
    mut from: UnixStream,
    mut to: UnixStream,
    bytes: Arc<AtomicU64>,
    reads: Arc<AtomicU64>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if to.write_all(&buf[..n]).is_err() {
                break;
            }
            bytes.fetch_add(n as u64, Ordering::SeqCst);
            reads.fetch_add(1, Ordering::SeqCst);
        }
        let _ = to.shutdown(std::net::Shutdown::Write);
    })
}

/// Counts what a whole session of `calls` Echo calls puts on the wire each way (bytes,
/// reads): from connecting to the relays' end of file after the connection closes, so
/// every trailing message (Finish, Release) is in.
fn session_bytes(calls: u64) -> [u64; 4] {
    let (client_end, relay_a) = UnixStream::pair().expect("socketpair");
    let (relay_b, server_end) = UnixStream::pair().expect("socketpair");
    let counters: Vec<Arc<AtomicU64>> = (0..4).map(|_| Arc::default()).collect();
    let up = relay(
        relay_a.try_clone().expect("dup"),
        relay_b.try_clone().expect("dup"),
        Arc::clone(&counters[0]),
        Arc::clone(&counters[1]),
    );
    let down = relay(
        relay_b,
        relay_a,
        Arc::clone(&counters[2]),
        Arc::clone(&counters[3]),
    );
    let local = Local::open((server_end, client_end));
    for _ in 0..calls {
        call_echo(&*local.echo);
    }
    local.close();
    up.join().expect("the relay thread ends at end of file");
    down.join().expect("the relay thread ends at end of file");
    [0, 1, 2, 3].map(|i| counters[i].load(Ordering::SeqCst))
}

/// What one steady-state call adds: two whole sessions that differ only in their number
/// of calls (the first calls make this thread's server thread; both sessions have them).
fn wire_size() -> Wire {
    const CALLS: u64 = 1000;
    let short = session_bytes(100);
    let long = session_bytes(100 + CALLS);
    let d = |i: usize| long[i].saturating_sub(short[i]);
    Wire {
        up_bytes: d(0).div_ceil(CALLS),
        down_bytes: d(2).div_ceil(CALLS),
        up_reads: d(1) as f64 / CALLS as f64,
        down_reads: d(3) as f64 / CALLS as f64,
    }
}

/// A raw ping-pong client over a fresh socket pair: writes `up` bytes, reads `down`
/// back; a thread on the other end reads `up` and answers `down`.
fn ping_pong(up: usize, down: usize) -> Box<dyn FnMut()> {
    let (mut client, mut server) = UnixStream::pair().expect("socketpair");
    std::thread::spawn(move || {
        let mut request = vec![0u8; up];
        let response = vec![1u8; down];
        while server.read_exact(&mut request).is_ok() {
            if server.write_all(&response).is_err() {
                break;
            }
        }
    });
    let request = vec![2u8; up];
    let mut response = vec![0u8; down];
    Box::new(move || {
        client.write_all(&request).expect("the floor's peer reads");
        client
            .read_exact(&mut response)
            .expect("the floor's peer answers");
    })
}

/// The Echo server of the capnp-rpc-alone rows: answers on the event loop.
struct LoopEcho;

impl umkoin_interfaces::echo_capnp::echo::Server for LoopEcho {
    fn echo(
        self: std::rc::Rc<Self>,
        params: umkoin_interfaces::echo_capnp::echo::EchoParams,
        mut results: umkoin_interfaces::echo_capnp::echo::EchoResults,
    ) -> impl std::future::Future<Output = capnp::Result<()>> + 'static {
        let answered = (|| -> capnp::Result<()> {
            let echo = params.get()?.get_echo()?;
            results.get().set_result(echo);
            Ok(())
        })();
        std::future::ready(answered)
    }
}

/// A current-thread runtime and local set, as our event loop runs them.
fn loop_runtime() -> (tokio::runtime::Runtime, tokio::task::LocalSet) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    (runtime, tokio::task::LocalSet::new())
}

/// capnp-rpc on one end of a socket pair, buffered as our runtime buffers it.
fn rpc_system(
    stream: UnixStream,
    side: capnp_rpc::rpc_twoparty_capnp::Side,
    bootstrap: Option<capnp::capability::Client>,
) -> capnp_rpc::RpcSystem<capnp_rpc::rpc_twoparty_capnp::Side> {
    use tokio_util::compat::{TokioAsyncReadCompatExt, TokioAsyncWriteCompatExt};
    stream
        .set_nonblocking(true)
        .expect("a socket can be made non-blocking");
    let stream = tokio::net::UnixStream::from_std(stream).expect("tokio takes the socket");
    let (reader, writer) = stream.into_split();
    let network = capnp_rpc::twoparty::VatNetwork::new(
        futures::io::BufReader::new(reader.compat()),
        futures::io::BufWriter::new(writer.compat_write()),
        side,
        capnp::message::ReaderOptions::new(),
    );
    capnp_rpc::RpcSystem::new(Box::new(network), bootstrap)
}

/// `tasks` client tasks on the current loop calling `echo` as fast as they can: first
/// for `warm_up`, then for `span`, timing every call.
async fn rpc_clients(
    echo: umkoin_interfaces::echo_capnp::echo::Client,
    tasks: usize,
    warm_up: Duration,
    span: Span,
) -> Row {
    async fn one(echo: &umkoin_interfaces::echo_capnp::echo::Client) {
        let mut request = echo.echo_request();
        request.get().set_echo(MESSAGE);
        let response = request
            .send()
            .promise
            .await
            .expect("every echo call in the bench answers");
        let answer = response
            .get()
            .and_then(|r| r.get_result())
            .map(|t| t.to_str().map(str::to_owned));
        assert_eq!(
            answer.ok().and_then(Result::ok).as_deref(),
            Some(MESSAGE),
            "echo answers what it was sent"
        );
    }
    let warm_end = Instant::now() + warm_up;
    let start = warm_end;
    let (end, calls) = match span {
        Span::Window(window) => (start + window, u64::MAX),
        Span::Calls(n) => (start + Duration::from_secs(3600), n),
    };
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let echo = echo.clone();
            tokio::task::spawn_local(async move {
                while Instant::now() < warm_end {
                    one(&echo).await;
                }
                let mut hist = Hist::new();
                let mut t0 = Instant::now();
                let first = t0;
                while t0 < end && hist.n < calls {
                    one(&echo).await;
                    let t1 = Instant::now();
                    hist.record((t1 - t0).as_nanos() as u64);
                    t0 = t1;
                }
                (hist, t0 - first)
            })
        })
        .collect();
    tokio::time::sleep_until(warm_end.into()).await;
    let cpu_before = cpu_total(&[std::process::id()]);
    let mut hist = Hist::new();
    let mut wall = Duration::ZERO;
    for h in handles {
        let (h, elapsed) = h.await.expect("a bench task panicked");
        hist.merge(&h);
        wall = wall.max(elapsed);
    }
    let cpu_after = cpu_total(&[std::process::id()]);
    let n = hist.n.max(1) as f64;
    Row {
        threads: tasks,
        calls_per_s: hist.n as f64 / wall.as_secs_f64(),
        p50_ns: hist.quantile(0.50),
        p99_ns: hist.quantile(0.99),
        cpu_us: cpu_before
            .zip(cpu_after)
            .map(|((u0, s0), (u1, s1))| ((u1 - u0) / n, (s1 - s0) / n)),
    }
}

/// capnp-rpc alone, both ends on one loop: `tasks` concurrent callers.
fn rpc_one_loop(tasks: usize, warm_up: Duration, span: Span) -> Row {
    use capnp_rpc::rpc_twoparty_capnp::Side;
    let (runtime, local) = loop_runtime();
    local.block_on(&runtime, async move {
        let (server_end, client_end) = UnixStream::pair().expect("socketpair");
        let server: umkoin_interfaces::echo_capnp::echo::Client = capnp_rpc::new_client(LoopEcho);
        tokio::task::spawn_local(rpc_system(server_end, Side::Server, Some(server.client)));
        let mut client = rpc_system(client_end, Side::Client, None);
        let echo = client.bootstrap(Side::Server);
        tokio::task::spawn_local(client);
        rpc_clients(echo, tasks, warm_up, span).await
    })
}

/// capnp-rpc alone, the server's end on a loop of its own (a second thread).
fn rpc_two_loops(tasks: usize, warm_up: Duration, span: Span) -> Row {
    use capnp_rpc::rpc_twoparty_capnp::Side;
    let (server_end, client_end) = UnixStream::pair().expect("socketpair");
    let server_thread = std::thread::spawn(move || {
        let (runtime, local) = loop_runtime();
        local.block_on(&runtime, async move {
            let server: umkoin_interfaces::echo_capnp::echo::Client =
                capnp_rpc::new_client(LoopEcho);
            let _ = rpc_system(server_end, Side::Server, Some(server.client)).await;
        });
    });
    let (runtime, local) = loop_runtime();
    let row = local.block_on(&runtime, async move {
        let mut client = rpc_system(client_end, Side::Client, None);
        let echo = client.bootstrap(Side::Server);
        let disconnector = client.get_disconnector();
        tokio::task::spawn_local(client);
        let row = rpc_clients(echo, tasks, warm_up, span).await;
        let _ = disconnector.await;
        row
    });
    server_thread
        .join()
        .expect("the server loop ends with its connection");
    row
}

/// Whether the row named `name` runs (all do unless `--only` names one).
fn wanted(only: Option<&str>, name: &str) -> bool {
    only.is_none_or(|o| o == name)
}

fn micros(ns: f64) -> String {
    format!("{:.2}", ns / 1000.0)
}

fn print_row(label: &str, row: &Row) {
    let cpu = |f: fn(&(f64, f64)) -> f64| {
        row.cpu_us
            .as_ref()
            .map_or_else(|| "-".to_owned(), |c| format!("{:.1}", f(c)))
    };
    println!(
        "  {label:<34} {:>3}   {:>10.0}   {:>8}   {:>8}   {:>7} {:>7}",
        row.threads,
        row.calls_per_s,
        micros(row.p50_ns),
        micros(row.p99_ns),
        cpu(|c| c.0),
        cpu(|c| c.1),
    );
}

fn main() {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(fd) = umkoin_ipc::spawned_fd(&argv) {
        let fd = fd.unwrap_or_else(|e| panic!("{e}"));
        if let Err(e) = umkoin_ipc::serve_fd(EXE, fd, Arc::new(BenchInit)) {
            panic!("serving -ipcfd {fd}: {e}");
        }
        return;
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut secs = 3.0f64;
    let mut only: Option<String> = None;
    let mut calls: Option<u64> = None;
    let mut warm_up = Duration::from_millis(500);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--secs" => {
                secs = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .filter(|s: &f64| *s > 0.0)
                    .expect("--secs takes a positive number of seconds");
            }
            "--calls" => {
                calls = Some(
                    it.next()
                        .and_then(|s| s.parse().ok())
                        .filter(|n| *n > 0)
                        .expect("--calls takes a positive number of calls per thread"),
                );
            }
            "--warm-up" => {
                warm_up = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .and_then(|s: f64| Duration::try_from_secs_f64(s).ok())
                    .expect("--warm-up takes a number of seconds");
            }
            "--only" => only = Some(it.next().expect("--only takes a row name").clone()),
            other => panic!("unknown argument `{other}`; see the doc comment of ipc_bench.rs"),
        }
    }
    let only = only.as_deref();
    let (window, short) = match calls {
        Some(n) => (Span::Calls(n), Span::Calls(n)),
        None => (
            Span::Window(Duration::from_secs_f64(secs)),
            Span::Window(Duration::from_secs_f64(secs / 3.0)),
        ),
    };

    let wire = wire_size();
    let (up, down) = (wire.up_bytes as usize, wire.down_bytes as usize);

    let me = [std::process::id()];
    let mut rows: Vec<(&str, Row)> = Vec::new();
    if wanted(only, "inproc") {
        let harness = measure(1, warm_up / 5, short, &me, &|_| Box::new(|| {}));
        rows.push(("harness only (empty call)", harness));
        let echo: Arc<dyn Echo> = Arc::new(EchoImpl);
        let row = measure(1, warm_up / 5, short, &me, &|_| {
            let echo = Arc::clone(&echo);
            Box::new(move || call_echo(&*echo))
        });
        rows.push(("in process, Arc<dyn Echo>", row));
    }
    if wanted(only, "floor") {
        let row = measure(1, warm_up, window, &me, &|_| ping_pong(up, down));
        rows.push(("floor: raw UnixStream ping-pong", row));
    }
    for (name, tasks) in [("rpc1", 1), ("rpc8", 8)] {
        if wanted(only, name) {
            let row = rpc_one_loop(tasks, warm_up, window);
            rows.push(("capnp-rpc alone, one loop", row));
            let row = rpc_two_loops(tasks, warm_up, window);
            rows.push(("capnp-rpc alone, two loops", row));
        }
    }
    if wanted(only, "ipc1") || wanted(only, "ipc8") {
        let local = Local::open(UnixStream::pair().expect("socketpair"));
        let echo = Arc::clone(&local.echo);
        let make = |_| -> Box<dyn FnMut()> {
            let echo = Arc::clone(&echo);
            Box::new(move || call_echo(&*echo))
        };
        if wanted(only, "ipc1") {
            rows.push((
                "ours: IPC, socket pair",
                measure(1, warm_up, window, &me, &make),
            ));
        }
        if wanted(only, "ipc8") {
            rows.push((
                "ours: IPC, socket pair",
                measure(8, warm_up, window, &me, &make),
            ));
        }
        drop(echo);
        local.close();
    }
    if wanted(only, "floor8") {
        let row = measure(8, warm_up, window, &me, &|_| ping_pong(up, down));
        rows.push(("floor: 8 raw ping-pong pairs", row));
    }
    if wanted(only, "proc1") || wanted(only, "proc8") {
        let program = std::env::current_exe().expect("the bench knows its own path");
        let spawned = umkoin_ipc::spawn(EXE, &program).expect("spawn the bench as a child");
        let echo = spawned
            .connection
            .init
            .make_echo()
            .expect("makeEcho answers");
        let both = [std::process::id(), spawned.pid];
        let make = |_| -> Box<dyn FnMut()> {
            let echo = Arc::clone(&echo);
            Box::new(move || call_echo(&*echo))
        };
        if wanted(only, "proc1") {
            let row = measure(1, warm_up, window, &both, &make);
            rows.push(("ours: IPC, to a child process", row));
        }
        if wanted(only, "proc8") {
            let row = measure(8, warm_up, window, &both, &make);
            rows.push(("ours: IPC, to a child process", row));
        }
        // Dropping every proxy closes the connection; the child then exits.
        drop(echo);
        drop(spawned);
    }

    let per_row = match calls {
        Some(n) => format!("{n} calls per thread per row"),
        None => format!("{secs:.1} s per row"),
    };
    println!(
        "bench ipc (release build, {} cores): Echo.echo(\"{MESSAGE}\") round trips, {per_row} after {:.1} s warm-up",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        warm_up.as_secs_f64()
    );
    println!(
        "  on the wire per call: {up} B client->server in {:.1} reads, {down} B server->client in {:.1} reads",
        wire.up_reads, wire.down_reads
    );
    println!("  (the floor sends those bytes as one write each way)");
    println!(
        "  {:<34} {:>3}   {:>10}   {:>8}   {:>8}   {:>15}",
        "", "thr", "calls/s", "p50 us", "p99 us", "CPU us/call"
    );
    println!(
        "  {:<34} {:>3}   {:>10}   {:>8}   {:>8}   {:>7} {:>7}",
        "", "", "", "", "", "user", "sys"
    );
    for (label, row) in &rows {
        print_row(label, row);
    }
    let find = |label: &str, threads: usize| {
        rows.iter()
            .find(|(l, r)| *l == label && r.threads == threads)
            .map(|(_, r)| r)
    };
    let ours_1 = find("ours: IPC, socket pair", 1);
    let ours_8 = find("ours: IPC, socket pair", 8);
    let floor = find("floor: raw UnixStream ping-pong", 1);
    if let (Some(ours), Some(floor)) = (ours_1, floor) {
        let ratio = ours.p50_ns / floor.p50_ns;
        println!(
            "  p50 ours (1 thread) / p50 floor: {ratio:.2}   target <= 3.00: {}",
            if ratio <= 3.0 { "met" } else { "missed" }
        );
    }
    // Where the time between the floor and ours goes: the protocol library, then threads.
    let rpc_1 = find("capnp-rpc alone, one loop", 1);
    let rpc_2 = find("capnp-rpc alone, two loops", 1);
    if let (Some(one), Some(two), Some(floor)) = (rpc_1, rpc_2, floor) {
        println!(
            "  p50 capnp-rpc alone / p50 floor: {:.2} on one loop, {:.2} on two loops (the protocol library's share)",
            one.p50_ns / floor.p50_ns,
            two.p50_ns / floor.p50_ns
        );
    }
    if let (Some(ours), Some(one)) = (ours_1, rpc_1) {
        println!(
            "  p50 ours (1 thread) - p50 capnp-rpc alone on one loop: {} us (the thread hops: caller -> loop -> server thread -> loop -> caller)",
            micros(ours.p50_ns - one.p50_ns)
        );
    }
    if let (Some(ours), Some(one)) = (ours_8, find("capnp-rpc alone, one loop", 8)) {
        println!(
            "  calls/s ours (8 threads) / capnp-rpc alone on one loop (8 callers): {:.2}",
            ours.calls_per_s / one.calls_per_s
        );
    }
    if let Some(ours) = ours_8 {
        println!(
            "  calls/s ours (8 threads): {:.0}   target >= 50000: {}",
            ours.calls_per_s,
            if ours.calls_per_s >= 50_000.0 {
                "met"
            } else {
                "missed"
            }
        );
    }
    println!(
        "  latency includes the harness's clock reads (the `harness only` row); CPU is the user and system time of"
    );
    println!(
        "  the processes in the row (this one, and the child for child rows) over the window, per call; the socket-pair"
    );
    println!("  rows run both ends on this process's one event loop");
}
