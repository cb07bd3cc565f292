//! The event loop and its connections. One thread per process (`b-capnp-loop`) runs a
//! current-thread tokio runtime and capnp-rpc; every capnp object lives there. Other
//! threads reach it by posting jobs ([`LoopHandle::post`]); proxies hold capabilities
//! by id in the loop's table. A connection is a [`ConnState`] on the loop (the
//! `mp::LoopConn` generated servers see) and a [`Conn`] anywhere (the `mp::Connection`
//! proxies call through).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use capnp::capability::FromClientHook;
use capnp_rpc::{CapabilityServerSet, RpcSystem, rpc_twoparty_capnp, twoparty};
use futures::FutureExt;
use tokio::sync::mpsc;
use tokio_util::compat::{TokioAsyncReadCompatExt, TokioAsyncWriteCompatExt};
use umkoin_interfaces::mp::{self, LocalBoxFuture, LoopConn};
use umkoin_interfaces::proxy_capnp::{thread, thread_map};

use crate::log;
use crate::threads::{self, Pool, Waiter};

type Job = Box<dyn FnOnce() + Send>;

/// A handle on the event loop, usable from any thread.
#[derive(Clone)]
pub struct LoopHandle {
    tx: mpsc::UnboundedSender<Job>,
    thread: std::thread::ThreadId,
}

impl LoopHandle {
    /// Runs `job` on the event-loop thread. Returns false when the loop has stopped.
    pub fn post(&self, job: impl FnOnce() + Send + 'static) -> bool {
        self.tx.send(Box::new(job)).is_ok()
    }

    /// Runs `f` on the event-loop thread and waits for its result.
    pub fn sync<R: Send + 'static>(&self, f: impl FnOnce() -> R + Send + 'static) -> Option<R> {
        if self.on_loop() {
            return Some(f());
        }
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        if !self.post(move || {
            let _ = tx.send(f());
        }) {
            return None;
        }
        rx.recv().ok()
    }

    /// Whether the caller is the event-loop thread.
    pub fn on_loop(&self) -> bool {
        std::thread::current().id() == self.thread
    }
}

/// The process's event loop: started once, lives until the process exits.
pub struct EventLoop {
    handle: LoopHandle,
}

static EVENT_LOOP: OnceLock<EventLoop> = OnceLock::new();

impl EventLoop {
    /// The process's event loop, started on first use; `exe` names the process in log
    /// tags (`umkoin-node`).
    pub fn get(exe: &str) -> std::io::Result<&'static EventLoop> {
        if let Some(l) = EVENT_LOOP.get() {
            return Ok(l);
        }
        log::set_exe_name(exe);
        let (tx, mut rx) = mpsc::unbounded_channel::<Job>();
        let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel(1);
        let thread = std::thread::Builder::new()
            .name("b-capnp-loop".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_io()
                    .build()
                {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                LOOP_TAG.with(|t| *t.borrow_mut() = log::thread_name());
                let _ = ready_tx.send(Ok(()));
                let local = tokio::task::LocalSet::new();
                local.block_on(&runtime, async move {
                    while let Some(job) = rx.recv().await {
                        job();
                    }
                });
            })?;
        let thread_id = thread.thread().id();
        ready_rx
            .recv()
            .map_err(|_| std::io::Error::other("the IPC event loop did not start"))??;
        let l = EventLoop {
            handle: LoopHandle {
                tx,
                thread: thread_id,
            },
        };
        let _ = EVENT_LOOP.set(l);
        Ok(EVENT_LOOP.get().expect("set just above"))
    }

    /// The loop's handle.
    pub fn handle(&self) -> &LoopHandle {
        &self.handle
    }
}

thread_local! {
    /// The loop thread's log tag.
    static LOOP_TAG: RefCell<String> = const { RefCell::new(String::new()) };
    /// The capabilities proxies hold, by id.
    static CAPS: RefCell<HashMap<mp::CapId, (u64, capnp::capability::Client)>> = RefCell::new(HashMap::new());
    /// The process's `Thread` servers, so a `Context.thread` can be found again.
    static THREADS: RefCell<CapabilityServerSet<ThreadServer, thread::Client>> = RefCell::new(CapabilityServerSet::new());
    /// The open connections, by id.
    static CONNS: RefCell<HashMap<u64, Rc<ConnState>>> = RefCell::new(HashMap::new());
}

static NEXT_CAP: AtomicU64 = AtomicU64::new(1);
static NEXT_CONN: AtomicU64 = AtomicU64::new(1);
/// libmultiprocess's `server_reqs`: one request counter for the whole process.
static SERVER_REQUESTS: AtomicU64 = AtomicU64::new(0);

fn loop_tag() -> String {
    LOOP_TAG.with(|t| t.borrow().clone())
}

/// The `Thread` capability a server hands out: runs jobs on one thread's queue.
pub struct ThreadServer {
    name: String,
    waiter: Arc<Waiter>,
    /// A thread made by `makeThread` stops when its capability is released.
    owned: bool,
}

impl thread::Server for ThreadServer {
    fn get_name(
        self: Rc<Self>,
        _: thread::GetNameParams,
        mut results: thread::GetNameResults,
    ) -> impl std::future::Future<Output = capnp::Result<()>> + 'static {
        results.get().set_result(self.name.as_str());
        std::future::ready(Ok(()))
    }
}

impl Drop for ThreadServer {
    fn drop(&mut self) {
        if self.owned {
            self.waiter.exit();
        }
    }
}

/// A connection's `ThreadMap`: makes server threads for the peer's client threads.
struct ThreadMapServer;

impl thread_map::Server for ThreadMapServer {
    fn make_thread(
        self: Rc<Self>,
        params: thread_map::MakeThreadParams,
        mut results: thread_map::MakeThreadResults,
    ) -> impl std::future::Future<Output = capnp::Result<()>> + 'static {
        let made = (|| -> capnp::Result<thread::Client> {
            let from = params.get()?.get_name()?.to_string()?;
            let (name, waiter) = threads::spawn_server_thread(&from)
                .map_err(|e| capnp::Error::failed(format!("std::exception: {e}")))?;
            Ok(THREADS.with(|t| {
                t.borrow_mut().new_client(ThreadServer {
                    name,
                    waiter,
                    owned: true,
                })
            }))
        })();
        std::future::ready(made.map(|client| results.get().set_result(client)))
    }

    fn make_pool(
        self: Rc<Self>,
        params: thread_map::MakePoolParams,
        _: thread_map::MakePoolResults,
    ) -> impl std::future::Future<Output = capnp::Result<()>> + 'static {
        let grown = params
            .get()
            .map(|p| threads::pool().grow(p.get_count() as usize));
        std::future::ready(grown)
    }
}

/// A connection as any thread sees it: what proxies call through.
pub struct Conn {
    id: u64,
    handle: LoopHandle,
    alive: AtomicBool,
}

impl Conn {
    /// Whether the connection is still up.
    pub fn is_alive(&self) -> bool {
        self.alive.load(Ordering::SeqCst)
    }

    /// The loop this connection runs on.
    pub fn loop_handle(&self) -> &LoopHandle {
        &self.handle
    }

    /// Closes the connection (from any thread); pending calls fail as disconnected.
    pub fn close(&self) {
        let id = self.id;
        self.handle.post(move || {
            if let Some(c) = CONNS.with(|c| c.borrow().get(&id).cloned()) {
                c.disconnect();
            }
        });
    }
}

impl fmt::Debug for Conn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Conn")
            .field("id", &self.id)
            .field("alive", &self.is_alive())
            .finish()
    }
}

impl mp::Connection for Conn {
    fn call(&self, cap: mp::CapId, job: mp::ClientJob) -> mp::Result<()> {
        if self.handle.on_loop() {
            return Err(mp::Error::Remote(
                "IPC client method called from the event loop thread".to_owned(),
            ));
        }
        if !self.is_alive() {
            return Err(mp::Error::Disconnected(
                "IPC client method called after disconnect.".to_owned(),
            ));
        }
        let conn_id = self.id;
        let (waiter, call_id, key, name, callback_target) = threads::with_current(|t| {
            if !t.announced {
                t.announced = true;
                log::info(format_args!(
                    "{{{}}} IPC client first request from current thread, constructing waiter",
                    t.name
                ));
            }
            let target = t
                .callback_targets
                .iter()
                .rev()
                .find(|(c, _)| *c == conn_id)
                .map(|(_, cap)| *cap);
            (
                Arc::clone(&t.waiter),
                t.waiter.new_call(),
                t.key,
                t.name.clone(),
                target,
            )
        });
        let w = Arc::clone(&waiter);
        let posted = self.handle.post(move || {
            let Some(conn) = CONNS.with(|c| c.borrow().get(&conn_id).cloned()) else {
                w.complete(
                    call_id,
                    Err(mp::Error::Disconnected(
                        "IPC client method called after disconnect.".to_owned(),
                    )),
                );
                return;
            };
            let Some(target) = cap_client(cap) else {
                w.complete(
                    call_id,
                    Err(mp::Error::Remote("IPC capability was released".to_owned())),
                );
                return;
            };
            let thread = match callback_target.and_then(cap_client) {
                Some(c) => Some(thread::Client::new(c.hook)),
                None => conn.request_thread(key, &name),
            };
            let callback_thread = Some(conn.callback_thread(key, &name, &w));
            let call = mp::ClientCall {
                conn: conn.rc(),
                target,
                thread,
                callback_thread,
                thread_name: name,
            };
            let future = job(call);
            tokio::task::spawn_local(async move {
                let result = future.await;
                w.complete(call_id, result);
            });
        });
        if !posted {
            return Err(mp::Error::Disconnected(
                "IPC client method called after disconnect.".to_owned(),
            ));
        }
        waiter.wait_for(call_id)
    }

    fn release(&self, cap: mp::CapId) {
        let handle = self.handle.clone();
        let release = move || {
            let removed = CAPS.with(|c| c.borrow_mut().remove(&cap));
            if let Some((conn_id, _client)) = removed
                && let Some(conn) = CONNS.with(|c| c.borrow().get(&conn_id).cloned())
            {
                conn.held.set(conn.held.get().saturating_sub(1));
                if conn.close_when_unused && conn.held.get() == 0 {
                    conn.disconnect();
                }
            }
        };
        if handle.on_loop() {
            release();
        } else {
            handle.post(release);
        }
    }
}

fn cap_client(cap: mp::CapId) -> Option<capnp::capability::Client> {
    CAPS.with(|c| c.borrow().get(&cap).map(|(_, client)| client.clone()))
}

/// A connection on the event loop.
pub struct ConnState {
    id: u64,
    shared: Arc<Conn>,
    this: Weak<ConnState>,
    /// Whether we accepted it (a server's socket), for Core's connected/disconnected lines.
    incoming: bool,
    /// A spawned child's connection closes once no proxy holds a capability on it.
    close_when_unused: bool,
    held: Cell<usize>,
    their_thread_map: RefCell<Option<thread_map::Client>>,
    request_threads: RefCell<HashMap<u64, thread::Client>>,
    callback_threads: RefCell<HashMap<u64, thread::Client>>,
    /// The peer's callback threads (`Context.callbackThread`) held in `CAPS`, by hook
    /// address: kept from one request to the next, as the peer keeps one per thread, so a
    /// request costs no capability import and no `Release` message.
    callback_caps: RefCell<HashMap<usize, mp::CapId>>,
    disconnector: RefCell<Option<LocalBoxFuture<capnp::Result<()>>>>,
    on_disconnect: RefCell<Vec<Box<dyn FnOnce()>>>,
}

impl ConnState {
    /// The server thread on the peer that runs calls from local thread `key`: made on
    /// first use with `ThreadMap.makeThread(name)`, pipelined, so it costs no round trip.
    fn request_thread(&self, key: u64, name: &str) -> Option<thread::Client> {
        if let Some(t) = self.request_threads.borrow().get(&key) {
            return Some(t.clone());
        }
        let map = self.their_thread_map.borrow().clone()?;
        let mut request = map.make_thread_request();
        request.get().set_name(name);
        let thread = request.send().pipeline.get_result();
        self.request_threads
            .borrow_mut()
            .insert(key, thread.clone());
        Some(thread)
    }

    /// The local `Thread` that runs callbacks for local thread `key` (its own queue).
    fn callback_thread(&self, key: u64, name: &str, waiter: &Arc<Waiter>) -> thread::Client {
        if let Some(t) = self.callback_threads.borrow().get(&key) {
            return t.clone();
        }
        let thread = THREADS.with(|t| {
            t.borrow_mut().new_client(ThreadServer {
                name: name.to_owned(),
                waiter: Arc::clone(waiter),
                owned: false,
            })
        });
        self.callback_threads
            .borrow_mut()
            .insert(key, thread.clone());
        thread
    }

    /// Drops the connection: pending calls fail, server objects are freed.
    pub fn disconnect(&self) {
        if let Some(d) = self.disconnector.borrow_mut().take() {
            tokio::task::spawn_local(async move {
                let _ = d.await;
            });
        }
    }

    /// Keeps the peer's thread map, for the calls this side makes.
    pub fn set_their_thread_map(&self, map: thread_map::Client) {
        *self.their_thread_map.borrow_mut() = Some(map);
    }

    /// The handle proxies call through.
    pub fn shared(&self) -> Arc<Conn> {
        Arc::clone(&self.shared)
    }

    /// Runs `f` once the connection is gone.
    pub fn on_disconnect(&self, f: impl FnOnce() + 'static) {
        self.on_disconnect.borrow_mut().push(Box::new(f));
    }

    fn closed(&self) {
        self.shared.alive.store(false, Ordering::SeqCst);
        CONNS.with(|c| c.borrow_mut().remove(&self.id));
        let mine: Vec<mp::CapId> = CAPS.with(|c| {
            c.borrow()
                .iter()
                .filter(|(_, (conn, _))| *conn == self.id)
                .map(|(id, _)| *id)
                .collect()
        });
        CAPS.with(|c| {
            let mut c = c.borrow_mut();
            for id in mine {
                c.remove(&id);
            }
        });
        self.request_threads.borrow_mut().clear();
        self.callback_threads.borrow_mut().clear();
        self.callback_caps.borrow_mut().clear();
        self.their_thread_map.borrow_mut().take();
        THREADS.with(|t| t.borrow_mut().gc());
        if self.incoming {
            log::info(format_args!(
                "{{{}}} IPC server: socket disconnected.",
                loop_tag()
            ));
        }
        for f in self.on_disconnect.borrow_mut().drain(..) {
            f();
        }
    }
}

impl mp::LoopConn for ConnState {
    fn log_client_send(&self, thread: &str, type_name: &str, data: &dyn fmt::Debug) {
        log::debug(format_args!("{{{thread}}} IPC client send {type_name}"));
        if log::trace_enabled() {
            log::trace(format_args!("send data: {}", log::escape_data(data)));
        }
    }

    fn log_client_recv(&self, thread: &str, type_name: &str, data: &dyn fmt::Debug) {
        log::debug(format_args!("{{{thread}}} IPC client recv {type_name}"));
        if log::trace_enabled() {
            log::trace(format_args!("recv data: {}", log::escape_data(data)));
        }
    }

    fn log_server_recv(&self, type_name: &str, data: &dyn fmt::Debug) -> mp::RequestId {
        let request = SERVER_REQUESTS.fetch_add(1, Ordering::Relaxed) + 1;
        if log::debug_enabled() {
            let tag = loop_tag();
            log::debug(format_args!(
                "{{{tag}}} IPC server recv request  #{request} {type_name}"
            ));
            if log::trace_enabled() {
                log::trace(format_args!(
                    "{{{tag}}} request data: {}",
                    log::escape_data(data)
                ));
            }
        }
        request
    }

    fn log_server_send(&self, request: mp::RequestId, type_name: &str, data: &dyn fmt::Debug) {
        if log::debug_enabled() {
            let tag = loop_tag();
            log::debug(format_args!(
                "{{{tag}}} IPC server send response #{request} {type_name}"
            ));
            if log::trace_enabled() {
                log::trace(format_args!(
                    "{{{tag}}} response data: {}",
                    log::escape_data(data)
                ));
            }
        }
    }

    fn log_server_exception(&self, _request: mp::RequestId, error: &mp::Error) {
        log::error(format_args!(
            "{{{}}} IPC server unhandled exception: {error}",
            loop_tag()
        ));
    }

    fn log_server_destroy(&self, type_name: &str) {
        log::debug(format_args!(
            "{{{}}} IPC server destroy {type_name}",
            loop_tag()
        ));
    }

    fn post(
        &self,
        request: mp::RequestId,
        thread: Option<capnp::capability::Client>,
        callback_thread: Option<capnp::capability::Client>,
        job: mp::ServerJob,
    ) -> LocalBoxFuture<Result<(), capnp::Error>> {
        let conn_id = self.id;
        let me = self.this.upgrade();
        async move {
            enum Target {
                Thread(Arc<Waiter>, String),
                Pool,
            }
            let target = match thread {
                None => Target::Pool,
                Some(client) => {
                    // A thread this process made is a local capability, resolved already:
                    // look it up without waiting; only a promise needs the wait.
                    let mut hook = client.hook;
                    while let Some(resolved) = hook.get_resolved() {
                        hook = resolved;
                    }
                    let mut client: thread::Client = FromClientHook::new(hook);
                    if THREADS.with(|t| t.borrow().get_local_server_of_resolved(&client)).is_none() {
                        client = capnp::capability::get_resolved_cap(client).await;
                    }
                    match THREADS.with(|t| t.borrow().get_local_server_of_resolved(&client)) {
                        Some(server) => Target::Thread(Arc::clone(&server.waiter), server.name.clone()),
                        None => {
                            log::error(format_args!(
                                "{{{}}} IPC server error request #{request}, missing thread to execute request",
                                loop_tag()
                            ));
                            return Err(mp::Error::failed("invalid thread handle").to_capnp());
                        }
                    }
                }
            };
            let callback = callback_thread.map(|client| {
                let key = client.hook.get_ptr();
                if let Some(id) = me.as_ref().and_then(|m| m.callback_caps.borrow().get(&key).copied()) {
                    return id;
                }
                let id = NEXT_CAP.fetch_add(1, Ordering::Relaxed);
                CAPS.with(|c| c.borrow_mut().insert(id, (conn_id, client)));
                if let Some(m) = &me {
                    m.callback_caps.borrow_mut().insert(key, id);
                }
                id
            });
            if log::debug_enabled() {
                let target_name = match &target {
                    Target::Thread(_, name) => name.clone(),
                    Target::Pool => Pool::name(),
                };
                log::debug(format_args!(
                    "{{{}}} IPC server post request  #{request} {{{target_name}}}",
                    loop_tag()
                ));
            }
            let run: threads::Job = Box::new(move || {
                let debug = log::debug_enabled();
                let name = threads::with_current(|t| {
                    if let Some(cb) = callback {
                        t.callback_targets.push((conn_id, cb));
                    }
                    if debug { t.name.clone() } else { String::new() }
                });
                if debug {
                    log::debug(format_args!(
                        "{{{name}}} IPC server executing request #{request}"
                    ));
                }
                job();
                if let Some(cb) = callback {
                    threads::with_current(|t| {
                        if let Some(pos) = t.callback_targets.iter().rposition(|(_, c)| *c == cb) {
                            t.callback_targets.remove(pos);
                        }
                    });
                }
            });
            match target {
                Target::Thread(waiter, _) => waiter.post(run),
                Target::Pool => threads::pool().post(run),
            }
            Ok(())
        }
        .boxed_local()
    }

    fn adopt(&self, client: capnp::capability::Client) -> (Arc<dyn mp::Connection>, mp::CapId) {
        let id = NEXT_CAP.fetch_add(1, Ordering::Relaxed);
        CAPS.with(|c| c.borrow_mut().insert(id, (self.id, client)));
        self.held.set(self.held.get() + 1);
        (Arc::clone(&self.shared) as Arc<dyn mp::Connection>, id)
    }

    fn construct(&self, theirs: Option<thread_map::Client>) -> thread_map::Client {
        if let Some(map) = theirs {
            *self.their_thread_map.borrow_mut() = Some(map);
        }
        capnp_rpc::new_client(ThreadMapServer)
    }

    fn rc(&self) -> Rc<dyn mp::LoopConn> {
        self.this
            .upgrade()
            .expect("a connection is alive while its code runs") as Rc<dyn mp::LoopConn>
    }
}

/// Makes the capability a server side bootstraps, once its connection exists.
pub type MakeBootstrap = Box<dyn FnOnce(Rc<dyn mp::LoopConn>) -> capnp::capability::Client>;

/// How a new connection starts.
pub struct ConnOptions {
    /// We accepted it (log Core's connected/disconnected lines).
    pub incoming: bool,
    /// Close it once no proxy holds a capability on it (a spawned child).
    pub close_when_unused: bool,
}

/// Starts capnp-rpc on `stream`, on the loop thread. `bootstrap` makes the capability
/// this side serves (a server's `Init`), given the connection. Returns the connection
/// and, for a client, the peer's bootstrap capability.
pub fn start(
    stream: tokio::net::UnixStream,
    options: ConnOptions,
    bootstrap: Option<MakeBootstrap>,
) -> (Rc<ConnState>, Option<capnp::capability::Client>) {
    let handle = EVENT_LOOP
        .get()
        .expect("connections start on the event loop")
        .handle()
        .clone();
    let id = NEXT_CONN.fetch_add(1, Ordering::Relaxed);
    let conn = Rc::new_cyclic(|this| ConnState {
        id,
        shared: Arc::new(Conn {
            id,
            handle,
            alive: AtomicBool::new(true),
        }),
        this: this.clone(),
        incoming: options.incoming,
        close_when_unused: options.close_when_unused,
        held: Cell::new(0),
        their_thread_map: RefCell::new(None),
        request_threads: RefCell::new(HashMap::new()),
        callback_threads: RefCell::new(HashMap::new()),
        callback_caps: RefCell::new(HashMap::new()),
        disconnector: RefCell::new(None),
        on_disconnect: RefCell::new(Vec::new()),
    });
    CONNS.with(|c| c.borrow_mut().insert(id, Rc::clone(&conn)));
    if options.incoming {
        log::info(format_args!(
            "{{{}}} IPC server: socket connected.",
            loop_tag()
        ));
    }
    let (reader, writer) = stream.into_split();
    let side = if bootstrap.is_some() {
        rpc_twoparty_capnp::Side::Server
    } else {
        rpc_twoparty_capnp::Side::Client
    };
    let mut reader_options = capnp::message::ReaderOptions::new();
    // Messages are trusted peers' (a node and its own processes); allow large ones.
    reader_options.traversal_limit_in_words(Some(1 << 30));
    let network = twoparty::VatNetwork::new(
        futures::io::BufReader::new(reader.compat()),
        futures::io::BufWriter::new(writer.compat_write()),
        side,
        reader_options,
    );
    let served = bootstrap.map(|make| make(conn.rc()));
    let mut system = RpcSystem::new(Box::new(network), served);
    let peer = if side == rpc_twoparty_capnp::Side::Client {
        Some(system.bootstrap::<capnp::capability::Client>(rpc_twoparty_capnp::Side::Server))
    } else {
        None
    };
    *conn.disconnector.borrow_mut() = Some(Box::pin(system.get_disconnector()));
    let c = Rc::clone(&conn);
    tokio::task::spawn_local(async move {
        let _ = system.await;
        c.closed();
    });
    (conn, peer)
}

/// The number of open connections (tests).
pub fn open_connections() -> usize {
    EVENT_LOOP
        .get()
        .and_then(|l| l.handle().sync(|| CONNS.with(|c| c.borrow().len())))
        .unwrap_or(0)
}
