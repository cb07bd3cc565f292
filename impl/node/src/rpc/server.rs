//! The HTTP side of JSON-RPC, as Umkoin Core's `httpserver.cpp` and `httprpc.cpp`:
//! HTTP/1.1 with keep-alive on one I/O thread (`http`), `-rpcthreads` worker threads
//! (`httpworker.N`) fed through a queue of `-rpcworkqueue` slots, `-rpcbind` and
//! `-rpcallowip`, Basic authentication, and Core's status codes and bodies.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr, TcpListener as StdListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use tokio::sync::{oneshot, watch};
use umkoin_interfaces::rpc::{code, http};

use super::auth::Auth;
use super::{JsonRpcVersion, Request, RpcError, reply_obj};
use crate::context::NodeContext;

/// Core's `MAX_SIZE`: the largest request body accepted.
pub const MAX_BODY_SIZE: usize = 0x0200_0000;
/// Core's default `-rpcthreads`.
pub const DEFAULT_HTTP_THREADS: i64 = 16;
/// Core's default `-rpcworkqueue`.
pub const DEFAULT_HTTP_WORKQUEUE: i64 = 64;
/// Core's default `-rpcservertimeout`, seconds.
pub const DEFAULT_HTTP_SERVER_TIMEOUT: i64 = 30;

const WWW_AUTH: &str = "Basic realm=\"jsonrpc\"";

/// An init failure of the HTTP server; texts as Core's.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// A `-rpcallowip` value is no subnet.
    #[error(
        "Invalid -rpcallowip subnet specification: {0}. Valid values are a single IP (e.g. 1.2.3.4), a network/netmask (e.g. 1.2.3.4/255.255.255.0), a network/CIDR (e.g. 1.2.3.4/24), all ipv4 (0.0.0.0/0), or all ipv6 (::/0). RFC4193 is allowed only if -cjdnsreachable=0."
    )]
    BadAllowIp(String),
    /// A `-rpcbind` value has a bad port.
    #[error("Invalid port specified in -rpcbind: '{0}'")]
    BadBind(String),
    /// Nothing could be bound.
    #[error("Unable to bind any endpoint for RPC server")]
    NothingBound,
    /// The I/O runtime could not start.
    #[error("could not start the HTTP runtime: {0}")]
    Runtime(#[from] std::io::Error),
}

/// A subnet of `-rpcallowip`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subnet {
    addr: IpAddr,
    prefix: u8,
}

impl Subnet {
    /// Parse `1.2.3.4`, `1.2.3.4/24`, `1.2.3.4/255.255.255.0`, `::1`, `::/0`.
    pub fn parse(s: &str) -> Option<Subnet> {
        let (addr, mask) = match s.split_once('/') {
            Some((a, m)) => (a, Some(m)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match mask {
            None => max,
            Some(m) => match m.parse::<u8>() {
                Ok(p) if p <= max => p,
                Ok(_) => return None,
                Err(_) => {
                    let mask: IpAddr = m.parse().ok()?;
                    let bits: u128 = match (addr, mask) {
                        (IpAddr::V4(_), IpAddr::V4(m)) => u128::from(u32::from(m)) << 96,
                        (IpAddr::V6(_), IpAddr::V6(m)) => u128::from(m),
                        _ => return None,
                    };
                    let ones = bits.leading_ones();
                    if bits.checked_shl(ones).unwrap_or(0) != 0 {
                        return None;
                    }
                    u8::try_from(ones).ok()?
                }
            },
        };
        Some(Subnet { addr, prefix })
    }

    /// Whether `ip` is inside.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// Core's `ToIntegral<uint16_t>`: the whole string a decimal number in range.
fn to_u16(s: &str) -> Option<u16> {
    let digits = s.strip_prefix('-').map_or(s, |_| "");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Core's `SplitHostPort`: `host`, `host:port`, `[v6]:port`, `v6`, `[v6]`. `None` when
/// a port is given but is not a number from 1 to 65535.
pub(crate) fn split_host_port(s: &str, default_port: u16) -> Option<(String, u16)> {
    let mut rest = s;
    let mut port = default_port;
    let mut valid = true;
    if let Some(colon) = s.rfind(':') {
        let bracketed = s.starts_with('[') && colon > 0 && s.as_bytes()[colon - 1] == b']';
        let multi = colon != 0 && s[..colon].contains(':');
        if colon == 0 || bracketed || !multi {
            valid = false;
            if let Some(n) = to_u16(&s[colon + 1..]) {
                rest = &s[..colon];
                port = n;
                valid = n != 0;
            }
        }
    }
    let host = rest
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(rest);
    valid.then(|| (host.to_owned(), port))
}

/// Core's `-port`/`-rpcport` check: a number from 1 to 65535.
pub(crate) fn valid_port(s: &str) -> bool {
    to_u16(s).is_some_and(|p| p != 0)
}

/// The queue between the I/O thread and the workers. Like Core's, it holds at most
/// `-rpcworkqueue` requests waiting for a worker; it allocates only what waits.
#[derive(Clone)]
struct WorkQueue {
    tx: Sender<Job>,
    waiting: Arc<AtomicUsize>,
    max: usize,
}

enum SubmitError {
    Full,
    Closed,
}

impl WorkQueue {
    fn submit(&self, job: Job) -> Result<(), SubmitError> {
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(SubmitError::Full);
        }
        self.tx.send(job).map_err(|_| {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            SubmitError::Closed
        })
    }
}

struct Job {
    auth_header: Option<String>,
    body: Bytes,
    peer: SocketAddr,
    uri: String,
    reply: oneshot::Sender<Response<Full<Bytes>>>,
}

/// A running HTTP server; [`HttpServer::stop`] ends it.
pub struct HttpServer {
    io_thread: Option<JoinHandle<()>>,
    workers: Vec<JoinHandle<()>>,
    stop: watch::Sender<bool>,
    queue: Option<WorkQueue>,
    /// The addresses actually bound.
    pub bound: Vec<SocketAddr>,
}

fn text_response(status: u16, body: &str) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body.to_owned())));
    *r.status_mut() = StatusCode::from_u16(status).expect("only Core's status codes are used");
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=ISO-8859-1"),
    );
    r
}

fn json_response(status: u16, body: String) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = StatusCode::from_u16(status).expect("only Core's status codes are used");
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn unauthorized() -> Response<Full<Bytes>> {
    let mut r = text_response(http::UNAUTHORIZED, "");
    r.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(WWW_AUTH));
    r
}

/// Answer one JSON-RPC POST, as Core's `HTTPReq_JSONRPC` (runs on a worker thread).
fn handle_jsonrpc(ctx: &NodeContext, auth: &Auth, job: &Job) -> Response<Full<Bytes>> {
    let Some(header) = job.auth_header.as_deref() else {
        return unauthorized();
    };
    let peer = job.peer.to_string();
    let user = match auth.check_header(header) {
        Ok(user) => user,
        Err(_) => {
            tracing::warn!("ThreadRPCServer incorrect password attempt from {peer}");
            // Deter brute force, as Core does.
            std::thread::sleep(Duration::from_millis(250));
            return unauthorized();
        }
    };
    let mut req = Request::blank(&user, &peer, &job.uri);
    // Core's own parser: nesting to 512, duplicate keys kept (the first one counts).
    let Some(raw) = umkoin_common::univalue::Value::parse(&job.body) else {
        return error_reply(&req, RpcError::new(code::PARSE_ERROR, "Parse error"));
    };
    let parsed = super::json::from_univalue(&raw);
    match &parsed {
        Value::Object(_) => {
            if let Err(e) = req.parse(&parsed) {
                return error_reply(&req, e);
            }
            req.duplicate_param = super::json::duplicate_key_in(&raw, "params");
            let result = ctx.rpc.execute(ctx, &req);
            if req.version == JsonRpcVersion::V1Legacy
                && let Err(e) = result
            {
                return error_reply(&req, e);
            }
            if req.is_notification() {
                return text_response(http::NO_CONTENT, "");
            }
            let reply = reply_obj(result, req.id.as_ref(), req.version);
            json_response(http::OK, format!("{reply}\n"))
        }
        Value::Array(items) => {
            let raw_items: &[umkoin_common::univalue::Value] = match &raw {
                umkoin_common::univalue::Value::Arr(v) => v,
                _ => &[],
            };
            let mut replies = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let (reply, notification) = match req.parse(item) {
                    Ok(()) => {
                        req.duplicate_param = raw_items
                            .get(i)
                            .and_then(|r| super::json::duplicate_key_in(r, "params"));
                        let r = ctx.rpc.execute(ctx, &req);
                        (
                            reply_obj(r, req.id.as_ref(), req.version),
                            req.is_notification(),
                        )
                    }
                    Err(e) => (
                        reply_obj(Err(e), req.id.as_ref(), req.version),
                        req.is_notification(),
                    ),
                };
                if !notification {
                    replies.push(reply);
                }
            }
            if replies.is_empty() && !items.is_empty() {
                return text_response(http::NO_CONTENT, "");
            }
            json_response(http::OK, format!("{}\n", Value::Array(replies)))
        }
        _ => error_reply(
            &req,
            RpcError::new(code::PARSE_ERROR, "Top-level object parse error"),
        ),
    }
}

/// Core's `JSONErrorReply`: a legacy error as an HTTP status.
fn error_reply(req: &Request, e: RpcError) -> Response<Full<Bytes>> {
    let status = match e.code {
        code::INVALID_REQUEST => http::BAD_REQUEST,
        code::METHOD_NOT_FOUND => http::NOT_FOUND,
        _ => http::INTERNAL_SERVER_ERROR,
    };
    let reply = reply_obj(Err(e), req.id.as_ref(), req.version);
    json_response(status, format!("{reply}\n"))
}

const TOO_LARGE: &str = "<HTML><HEAD>\n<TITLE>413 Request Entity Too Large</TITLE>\n</HEAD><BODY>\n<H1>Request Entity Too Large</H1>\n</BODY></HTML>\n";

/// 413, as libevent answers a body over the limit, closing the connection.
fn too_large() -> Response<Full<Bytes>> {
    let mut r = text_response(413, TOO_LARGE);
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    r
}

async fn serve_request(
    req: hyper::Request<Incoming>,
    peer: SocketAddr,
    allowed: Arc<Vec<Subnet>>,
    queue: WorkQueue,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if !allowed.iter().any(|s| s.contains(peer.ip())) {
        tracing::debug!(target: "http", "HTTP request from {peer} rejected: Client network is not allowed RPC access");
        return Ok(text_response(http::FORBIDDEN, ""));
    }
    let known = [
        Method::GET,
        Method::POST,
        Method::HEAD,
        Method::PUT,
        Method::OPTIONS,
    ];
    if !known.contains(req.method()) {
        tracing::debug!(target: "http", "HTTP request from {peer} rejected: Unknown HTTP request method");
        return Ok(text_response(http::BAD_METHOD, ""));
    }
    // Core matches the whole URI, query included: `/?x` is not `/`.
    let uri = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_owned(), |pq| pq.as_str().to_owned());
    tracing::debug!(
        target: "http",
        "Received a {} request for {} from {peer}",
        req.method(),
        uri.chars().take(100).collect::<String>()
    );
    if uri != "/" {
        // No wallet is compiled into this node, so `/wallet/` has no handler, as in a
        // Core build without wallet support.
        return Ok(text_response(http::NOT_FOUND, ""));
    }
    if req.method() != Method::POST {
        return Ok(text_response(
            http::BAD_METHOD,
            "JSONRPC server handles only POST requests",
        ));
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_SIZE as u64) {
        return Ok(too_large());
    }
    let auth_header = req
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let body = match Limited::new(req.into_body(), MAX_BODY_SIZE).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => return Ok(too_large()),
        Err(e) => {
            tracing::debug!(target: "http", "bad request body from {peer}: {e}");
            let mut r = text_response(http::BAD_REQUEST, "");
            r.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            return Ok(r);
        }
    };
    let (tx, rx) = oneshot::channel();
    let job = Job {
        auth_header,
        body,
        peer,
        uri,
        reply: tx,
    };
    match queue.submit(job) {
        Ok(()) => {}
        Err(SubmitError::Full) => {
            tracing::warn!(
                "Request rejected because http work queue depth exceeded, it can be increased with the -rpcworkqueue= setting"
            );
            return Ok(text_response(
                http::SERVICE_UNAVAILABLE,
                "Work queue depth exceeded",
            ));
        }
        Err(SubmitError::Closed) => {
            return Ok(text_response(
                http::SERVICE_UNAVAILABLE,
                "Request rejected during server shutdown",
            ));
        }
    }
    Ok(rx.await.unwrap_or_else(|_| {
        let mut r = text_response(http::INTERNAL_SERVER_ERROR, "Unhandled request");
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        r
    }))
}

fn worker_loop(
    ctx: Arc<NodeContext>,
    auth: Arc<Auth>,
    rx: Arc<Mutex<Receiver<Job>>>,
    waiting: Arc<AtomicUsize>,
) {
    loop {
        let job = {
            let rx = rx.lock().expect("work queue lock is never poisoned");
            rx.recv()
        };
        let Ok(job) = job else { return };
        waiting.fetch_sub(1, Ordering::AcqRel);
        let resp = handle_jsonrpc(&ctx, &auth, &job);
        let _ = job.reply.send(resp);
    }
}

impl HttpServer {
    /// Bind as `-rpcbind`/`-rpcallowip`/`-rpcport` say and start serving.
    pub fn start(ctx: Arc<NodeContext>, auth: Arc<Auth>) -> Result<HttpServer, ServerError> {
        let args = &ctx.args;
        // Checked at start-up (`valid_port`); the default when unset.
        let port = args
            .get_arg("-rpcport")
            .and_then(|p| to_u16(&p))
            .unwrap_or(ctx.params.chain.default_rpc_port());
        let mut allowed = vec![
            Subnet::parse("127.0.0.0/8").expect("a literal subnet"),
            Subnet::parse("::1").expect("a literal address"),
        ];
        for a in args.get_args("-rpcallowip") {
            allowed.push(Subnet::parse(&a).ok_or(ServerError::BadAllowIp(a))?);
        }
        let allow_ips = args.get_args("-rpcallowip");
        let binds = args.get_args("-rpcbind");
        let mut endpoints: Vec<(String, u16)> = Vec::new();
        if allow_ips.is_empty() || binds.is_empty() {
            endpoints.push(("::1".into(), port));
            endpoints.push(("127.0.0.1".into(), port));
            if !allow_ips.is_empty() {
                tracing::warn!(
                    "Option -rpcallowip was specified without -rpcbind; this doesn't usually make sense"
                );
            }
            if !binds.is_empty() {
                tracing::warn!(
                    "Option -rpcbind was ignored because -rpcallowip was not specified, refusing to allow everyone to connect"
                );
            }
        } else {
            for b in binds {
                let hp =
                    split_host_port(&b, port).ok_or_else(|| ServerError::BadBind(b.clone()))?;
                endpoints.push(hp);
            }
        }
        let mut listeners = Vec::new();
        for (host, port) in endpoints {
            tracing::info!("Binding RPC on address {host} port {port}");
            let any = host.is_empty() || host == "0.0.0.0" || host == "::";
            let host = if host.is_empty() {
                "0.0.0.0".to_owned()
            } else {
                host
            };
            let bound = host
                .parse::<IpAddr>()
                .ok()
                .map(|ip| SocketAddr::new(ip, port))
                .or_else(|| {
                    std::net::ToSocketAddrs::to_socket_addrs(&(host.as_str(), port))
                        .ok()
                        .and_then(|mut a| a.next())
                })
                .and_then(|addr| StdListener::bind(addr).ok());
            match bound {
                Some(l) => {
                    if any {
                        tracing::warn!(
                            "The RPC server is not safe to expose to untrusted networks such as the public internet"
                        );
                    }
                    listeners.push(l)
                }
                None => tracing::warn!("Binding RPC on address {host} port {port} failed."),
            }
        }
        if listeners.is_empty() {
            tracing::error!("Unable to bind any endpoint for RPC server");
            return Err(ServerError::NothingBound);
        }
        let bound: Vec<SocketAddr> = listeners
            .iter()
            .filter_map(|l| l.local_addr().ok())
            .collect();
        let threads = args.get_int_arg("-rpcthreads", DEFAULT_HTTP_THREADS).max(1);
        let depth = args
            .get_int_arg("-rpcworkqueue", DEFAULT_HTTP_WORKQUEUE)
            .max(1);
        // Clamped to a day: hyper adds it to `Instant::now()`, which must not overflow.
        let timeout = args
            .get_int_arg("-rpcservertimeout", DEFAULT_HTTP_SERVER_TIMEOUT)
            .clamp(1, 86_400);
        tracing::debug!(target: "http", "Allowing HTTP connections from: {}", allowed.iter().map(|s| format!("{}/{}", s.addr, s.prefix)).collect::<Vec<_>>().join(" "));
        tracing::info!("Starting HTTP server with {threads} worker threads");
        let (tx, queue_rx) = channel::<Job>();
        let queue_rx = Arc::new(Mutex::new(queue_rx));
        let queue_tx = WorkQueue {
            tx,
            waiting: Arc::new(AtomicUsize::new(0)),
            max: usize::try_from(depth).unwrap_or(usize::MAX),
        };
        let mut workers = Vec::new();
        for i in 0..threads {
            let (ctx, auth, rx) = (ctx.clone(), auth.clone(), queue_rx.clone());
            let waiting = queue_tx.waiting.clone();
            workers.push(
                std::thread::Builder::new()
                    .name(format!("httpworker.{i}"))
                    .spawn(move || worker_loop(ctx, auth, rx, waiting))?,
            );
        }
        let (stop_tx, stop_rx) = watch::channel(false);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        for l in &listeners {
            l.set_nonblocking(true)?;
        }
        let allowed = Arc::new(allowed);
        let queue = queue_tx.clone();
        let io_thread = std::thread::Builder::new()
            .name("http".into())
            .spawn(move || {
                runtime.block_on(run_io(listeners, allowed, queue, stop_rx, timeout as u64));
            })?;
        Ok(HttpServer {
            io_thread: Some(io_thread),
            workers,
            stop: stop_tx,
            queue: Some(queue_tx),
            bound,
        })
    }

    /// Stop accepting, let requests in flight finish, and join every thread.
    pub fn stop(mut self) {
        tracing::debug!(target: "http", "Stopping HTTP server");
        let _ = self.stop.send(true);
        if let Some(t) = self.io_thread.take() {
            let _ = t.join();
        }
        // Dropping the last sender ends the workers once the queue is drained.
        self.queue.take();
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
        tracing::debug!(target: "http", "Stopped HTTP server");
    }
}

async fn run_io(
    listeners: Vec<StdListener>,
    allowed: Arc<Vec<Subnet>>,
    queue: WorkQueue,
    mut stop: watch::Receiver<bool>,
    timeout_secs: u64,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut accepts = tokio::task::JoinSet::new();
    let (conn_tx, mut conn_rx) = tokio::sync::mpsc::unbounded_channel();
    for l in listeners {
        let Ok(listener) = tokio::net::TcpListener::from_std(l) else {
            continue;
        };
        let conn_tx = conn_tx.clone();
        accepts.spawn(async move {
            loop {
                match listener.accept().await {
                    Ok(c) => {
                        if conn_tx.send(c).is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        // Out of descriptors, say: wait before trying again rather
                        // than spin.
                        tracing::debug!(target: "http", "accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
        });
    }
    drop(conn_tx);
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            c = conn_rx.recv() => {
                let Some((stream, peer)) = c else { break };
                let _ = stream.set_nodelay(true);
                let allowed = allowed.clone();
                let queue = queue.clone();
                let service = hyper::service::service_fn(move |req| {
                    serve_request(req, peer, allowed.clone(), queue.clone())
                });
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(Duration::from_secs(timeout_secs))
                    .max_buf_size(64 * 1024)
                    .serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = conn.await {
                        tracing::debug!(target: "http", "connection from {peer}: {e}");
                    }
                });
            }
        }
    }
    accepts.abort_all();
    drop(queue);
    // Requests in flight finish, however long they take (as Core waits for them);
    // idle keep-alive connections close at once.
    graceful.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn context(args: &[&str]) -> Arc<NodeContext> {
        let params = crate::chainparams::ChainParams::for_chain(
            umkoin_interfaces::chain::ChainType::Regtest,
        )
        .unwrap();
        let mut a = umkoin_common::args::ArgsManager::new(umkoin_common::options::Bins::DAEMON);
        a.parse_parameters(args).unwrap();
        let options = crate::policy::MempoolOptions::from_args(
            &umkoin_common::args::ArgsManager::new(umkoin_common::options::Bins::DAEMON),
        )
        .unwrap();
        let ctx = NodeContext {
            pool: std::sync::Mutex::new(crate::mempool::Mempool::new(options.clone())),
            multiprocess: false,
            args: a,
            chain: std::sync::RwLock::new(crate::chain::Chain::genesis_only(&params)),
            store: std::sync::Mutex::new(None),
            mocktime: Default::default(),
            tip: crate::context::TipWatch::new(params.genesis.block_hash(), 0),
            left_ibd: Default::default(),
            assembled_block: Default::default(),
            params,
            started: std::time::Instant::now(),
            shutdown: crate::context::Shutdown::default(),
            rpc: crate::rpc::RpcTable::new(),
            log_path: std::path::PathBuf::new(),
            mempool: options,
        };
        ctx.rpc.set_warmup_finished();
        Arc::new(ctx)
    }

    /// One request on a fresh connection; the status code.
    fn post(addr: SocketAddr, body: &str) -> u16 {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        let auth = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "u:p");
        write!(
            s,
            "POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    #[test]
    fn a_full_work_queue_answers_503() {
        let ctx = context(&[
            "-rpcthreads=1",
            "-rpcworkqueue=1",
            "-rpcport=0",
            "-rpcuser=u",
            "-rpcpassword=p",
        ]);
        let auth = Arc::new(Auth::init(&ctx.args).unwrap());
        let server = HttpServer::start(ctx.clone(), auth).unwrap();
        let addr = *server.bound.iter().find(|a| a.is_ipv4()).unwrap();
        // Hold the only worker: `stop` with Core's hidden wait argument (here it only
        // raises the flag nobody waits on).
        let busy = std::thread::spawn(move || post(addr, r#"{"method":"stop","params":[4000]}"#));
        while !ctx.rpc.active_commands().iter().any(|(m, _)| *m == "stop") {
            std::thread::yield_now();
        }
        // Two more: one takes the single queue slot, the other is turned away.
        let b = std::thread::spawn(move || post(addr, r#"{"method":"getblockcount"}"#));
        let c = std::thread::spawn(move || post(addr, r#"{"method":"getblockcount"}"#));
        let mut got = [b.join().unwrap(), c.join().unwrap()];
        got.sort_unstable();
        assert_eq!(got, [200, 503]);
        assert_eq!(busy.join().unwrap(), 200);
        server.stop();
    }

    #[test]
    fn subnets_match_like_core() {
        let s = Subnet::parse("1.2.3.0/24").unwrap();
        assert!(s.contains("1.2.3.99".parse().unwrap()));
        assert!(!s.contains("1.2.4.1".parse().unwrap()));
        let m = Subnet::parse("10.0.0.0/255.0.0.0").unwrap();
        assert!(m.contains("10.9.9.9".parse().unwrap()));
        assert!(m.contains("::ffff:10.1.1.1".parse().unwrap()));
        assert!(Subnet::parse("1.2.3.4/255.0.255.0").is_none());
        assert!(Subnet::parse("1.2.3.4/33").is_none());
        assert!(Subnet::parse("nonsense").is_none());
        assert!(
            Subnet::parse("::/0")
                .unwrap()
                .contains("::1".parse().unwrap())
        );
        assert!(
            Subnet::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
    }

    #[test]
    fn bind_addresses_split_like_core() {
        assert_eq!(
            split_host_port("127.0.0.1", 5),
            Some(("127.0.0.1".into(), 5))
        );
        assert_eq!(
            split_host_port("127.0.0.1:7", 5),
            Some(("127.0.0.1".into(), 7))
        );
        assert_eq!(split_host_port("[::1]:7", 5), Some(("::1".into(), 7)));
        assert_eq!(split_host_port("::1", 5), Some(("::1".into(), 5)));
        assert_eq!(split_host_port("127.0.0.1:x", 5), None);
        assert_eq!(split_host_port("127.0.0.1:0", 5), None);
        assert_eq!(split_host_port("[::1]", 5), Some(("::1".into(), 5)));
        assert_eq!(split_host_port(":7", 5), Some(("".into(), 7)));
        assert!(
            valid_port("16443")
                && !valid_port("0")
                && !valid_port("70000")
                && !valid_port("+1")
                && !valid_port("x")
        );
    }
}
