//! The contract between the code `umkoin-mpgen` generates (traits, proxies, servers, in
//! `crate::gen`) and the IPC runtime that carries it (`impl/ipc`).
//!
//! Generated code never starts a thread, opens a socket or writes a log line itself: it
//! builds and reads Cap'n Proto messages, and asks the runtime, through the two traits
//! here, to move a call to the right thread. [`Connection`] is a connection as a proxy
//! sees it from any thread (make a blocking call, release a capability); [`LoopConn`] is
//! the same connection as a server sees it on the event-loop thread (log, post a request
//! to the thread its `Context` names, adopt a capability into a proxy). The generic
//! helpers [`invoke`] and [`serve`] hold everything generated methods have in common, so
//! each generated method is only its own field conversions.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex, PoisonError};

use capnp::capability::{FromClientHook, FromTypelessPipeline, Request};
use capnp::traits::{Owned, Pipelined};

use crate::proxy_capnp;

/// A boxed future that stays on the event-loop thread.
pub type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Why an IPC call failed. Every method of a generated trait returns it, so a caller
/// handles a lost connection like any other error: nothing hangs and nothing panics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The implementation refused or failed the call, with this message. Over the wire it
    /// is the exception a C++ peer raises from a `std::exception`
    /// (`std::exception: <message>`), and it comes back out of a proxy unchanged.
    #[error("{0}")]
    Failed(String),
    /// The connection is gone, or went away while the call was in flight.
    #[error("{0}")]
    Disconnected(String),
    /// The peer answered with another kind of exception, or with a message that could
    /// not be read; the text says which.
    #[error("{0}")]
    Remote(String),
}

/// What an IPC call returns.
pub type Result<T> = std::result::Result<T, Error>;

const REMOTE_PREFIX: &str = "remote exception: ";
const STD_EXCEPTION_PREFIX: &str = "std::exception: ";

impl Error {
    /// An implementation's failure with `message`.
    pub fn failed(message: impl Into<String>) -> Self {
        Error::Failed(message.into())
    }

    /// The error a call answered with (or could not be sent with), as the caller sees it.
    pub fn from_capnp(error: capnp::Error) -> Self {
        match error.kind {
            capnp::ErrorKind::Disconnected => Error::Disconnected(if error.extra.is_empty() {
                "IPC client method call interrupted by disconnect.".to_owned()
            } else {
                format!(
                    "IPC client method call interrupted by disconnect: {}",
                    error.extra
                )
            }),
            capnp::ErrorKind::Failed => {
                let text = error
                    .extra
                    .strip_prefix(REMOTE_PREFIX)
                    .unwrap_or(&error.extra);
                match text.strip_prefix(STD_EXCEPTION_PREFIX) {
                    Some(message) => Error::Failed(message.to_owned()),
                    None => Error::Remote(error.extra),
                }
            }
            _ => Error::Remote(error.to_string()),
        }
    }

    /// The exception a server answers with for this error.
    pub fn to_capnp(&self) -> capnp::Error {
        match self {
            Error::Failed(message) => {
                capnp::Error::failed(format!("{STD_EXCEPTION_PREFIX}{message}"))
            }
            Error::Disconnected(message) => capnp::Error::disconnected(message.clone()),
            Error::Remote(message) => capnp::Error::failed(message.clone()),
        }
    }
}

impl From<capnp::Error> for Error {
    fn from(error: capnp::Error) -> Self {
        Error::from_capnp(error)
    }
}

/// Names a capability that the runtime holds for a proxy on the event-loop thread.
pub type CapId = u64;

/// The request number a server's log lines carry (`#N`).
pub type RequestId = u64;

/// A job a proxy sends to the event-loop thread: it builds and sends one request and
/// reads the answer; the calling thread waits for the returned future.
pub type ClientJob = Box<dyn FnOnce(ClientCall) -> LocalBoxFuture<Result<()>> + Send>;

/// A job a server posts to the thread that runs a request.
pub type ServerJob = Box<dyn FnOnce() + Send>;

/// A connection as a proxy sees it, from any thread. Implemented by the runtime.
pub trait Connection: Send + Sync + 'static {
    /// Runs `job` on the event-loop thread with the capability `cap`, and blocks the
    /// calling thread until the job's future is done. While it waits, the thread runs
    /// the callbacks the other side makes to it (`Context.callbackThread`), so nested
    /// calls never deadlock. Called on the event-loop thread itself, it fails instead of
    /// blocking the loop.
    fn call(&self, cap: CapId, job: ClientJob) -> Result<()>;

    /// Releases the capability `cap`: the proxy that held it is gone.
    fn release(&self, cap: CapId);
}

/// A connection as generated servers and client jobs see it on the event-loop thread.
/// Implemented by the runtime. The log methods write Umkoin Core's `-debug=ipc` lines;
/// `data` is formatted only when the trace level is on.
pub trait LoopConn {
    /// `IPC client send <Method>$Params` (and `send data:` at trace level).
    fn log_client_send(&self, thread: &str, type_name: &str, data: &dyn fmt::Debug);
    /// `IPC client recv <Method>$Results` (and `recv data:` at trace level).
    fn log_client_recv(&self, thread: &str, type_name: &str, data: &dyn fmt::Debug);
    /// `IPC server recv request  #N <Method>$Params`; returns N.
    fn log_server_recv(&self, type_name: &str, data: &dyn fmt::Debug) -> RequestId;
    /// `IPC server send response #N <Method>$Results`.
    fn log_server_send(&self, request: RequestId, type_name: &str, data: &dyn fmt::Debug);
    /// `IPC server unhandled exception: <message>`.
    fn log_server_exception(&self, request: RequestId, error: &Error);
    /// `IPC server destroy <server type>`, when a server object is freed.
    fn log_server_destroy(&self, type_name: &str);

    /// Posts `job` to the thread that runs request `request`: the local thread that
    /// `thread` names (from `ThreadMap.makeThread`), or the pool when there is none.
    /// While the job runs, calls that thread makes back over this connection go to
    /// `callback_thread`. The future is ready once the job is posted; it fails when
    /// `thread` is not one of this process's threads.
    fn post(
        &self,
        request: RequestId,
        thread: Option<capnp::capability::Client>,
        callback_thread: Option<capnp::capability::Client>,
        job: ServerJob,
    ) -> LocalBoxFuture<std::result::Result<(), capnp::Error>>;

    /// Holds `client` for a new proxy, which may be used from any thread.
    fn adopt(&self, client: capnp::capability::Client) -> (Arc<dyn Connection>, CapId);

    /// `Init.construct`: keeps the peer's thread map (for calls back to it) and returns
    /// this process's.
    fn construct(
        &self,
        theirs: Option<proxy_capnp::thread_map::Client>,
    ) -> proxy_capnp::thread_map::Client;

    /// This connection as an `Rc`, to hand to servers created on it.
    fn rc(&self) -> Rc<dyn LoopConn>;
}

/// What a client job gets on the event-loop thread: the connection, the capability
/// being called, and the threads to name in the request's `Context`.
pub struct ClientCall {
    /// The connection the call goes over.
    pub conn: Rc<dyn LoopConn>,
    /// The capability being called.
    pub target: capnp::capability::Client,
    /// The server thread that runs the call (`Context.thread`).
    pub thread: Option<proxy_capnp::thread::Client>,
    /// The local thread that runs callbacks the call makes (`Context.callbackThread`).
    pub callback_thread: Option<proxy_capnp::thread::Client>,
    /// The calling thread's name, for log lines.
    pub thread_name: String,
}

impl ClientCall {
    /// The capability being called, typed.
    pub fn client<C: FromClientHook>(&self) -> C {
        FromClientHook::new(self.target.hook.add_ref())
    }

    /// Fills a request's `Context` with the calling thread's server and callback threads.
    pub fn set_context(&self, mut context: proxy_capnp::context::Builder<'_>) {
        if let Some(thread) = &self.thread {
            context.set_thread(thread.clone());
        }
        if let Some(thread) = &self.callback_thread {
            context.set_callback_thread(thread.clone());
        }
    }
}

/// Makes one call through a proxy: `build` fills the request (on the event-loop
/// thread), `read` turns the answer into the method's Rust result. Blocks the calling
/// thread as [`Connection::call`] does.
pub fn invoke<C, P, R, T, B, F>(
    conn: &dyn Connection,
    cap: CapId,
    names: (&'static str, &'static str),
    build: B,
    read: F,
) -> Result<T>
where
    C: FromClientHook,
    P: Owned,
    R: Owned + Pipelined + Unpin + 'static,
    R::Pipeline: FromTypelessPipeline,
    for<'a> P::Reader<'a>: fmt::Debug,
    for<'a> R::Reader<'a>: fmt::Debug,
    T: Send + 'static,
    B: FnOnce(&ClientCall, &C) -> capnp::Result<Request<P, R>> + Send + 'static,
    F: for<'a> FnOnce(&ClientCall, R::Reader<'a>) -> Result<T> + Send + 'static,
{
    let slot: Arc<Mutex<Option<T>>> = Arc::new(Mutex::new(None));
    let out = Arc::clone(&slot);
    conn.call(
        cap,
        Box::new(move |call: ClientCall| {
            Box::pin(async move {
                let client: C = call.client();
                let mut request = build(&call, &client)?;
                {
                    let params: P::Reader<'_> = request.hook.get().into_reader().get_as()?;
                    call.conn
                        .log_client_send(&call.thread_name, names.0, &params);
                }
                let response = request.send().promise.await?;
                let results = response.get()?;
                call.conn
                    .log_client_recv(&call.thread_name, names.1, &results);
                let value = read(&call, results)?;
                *out.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
                Ok(())
            })
        }),
    )?;
    let value = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
    value.ok_or_else(|| Error::Remote("IPC call finished without a result".to_owned()))
}

/// The threads a request's `Context` names, taken out of the message.
pub struct ContextThreads {
    thread: Option<capnp::capability::Client>,
    callback_thread: Option<capnp::capability::Client>,
}

/// Reads a request's `Context` (a null context names no thread: the pool runs it).
pub fn read_context(
    context: capnp::Result<proxy_capnp::context::Reader<'_>>,
) -> capnp::Result<ContextThreads> {
    let context = context?;
    let thread = if context.has_thread() {
        Some(context.get_thread()?.client)
    } else {
        None
    };
    let callback_thread = if context.has_callback_thread() {
        Some(context.get_callback_thread()?.client)
    } else {
        None
    };
    Ok(ContextThreads {
        thread,
        callback_thread,
    })
}

/// Runs a server method's implementation `f` on the thread the request's `Context`
/// names, and waits (on the event loop, without blocking it) for its result. An error
/// from `f` is logged as Core logs an unhandled exception and answered as one.
pub async fn serve<T, F>(
    conn: &Rc<dyn LoopConn>,
    request: RequestId,
    context: ContextThreads,
    f: F,
) -> capnp::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    let (sender, receiver) = futures::channel::oneshot::channel();
    conn.post(
        request,
        context.thread,
        context.callback_thread,
        Box::new(move || {
            let _ = sender.send(f());
        }),
    )
    .await?;
    let result = receiver.await.map_err(|_| {
        capnp::Error::failed("IPC server thread went away before answering".to_owned())
    })?;
    result.map_err(|error| {
        conn.log_server_exception(request, &error);
        error.to_capnp()
    })
}

/// Runs a server method that has no `Context` on the event-loop thread itself, as
/// libmultiprocess does; such methods must not block.
pub fn serve_inline<T>(
    conn: &Rc<dyn LoopConn>,
    request: RequestId,
    f: impl FnOnce() -> Result<T>,
) -> capnp::Result<T> {
    f().map_err(|error| {
        conn.log_server_exception(request, &error);
        error.to_capnp()
    })
}

/// Reads a `Text` field into a `String`.
pub fn read_text(text: capnp::Result<capnp::text::Reader<'_>>) -> capnp::Result<String> {
    Ok(text?.to_string()?)
}

/// Reads a `Data` field into a `Vec<u8>`.
pub fn read_data(data: capnp::Result<capnp::data::Reader<'_>>) -> capnp::Result<Vec<u8>> {
    Ok(data?.to_vec())
}

/// The error of a call on a server object that `destroy` already freed.
pub fn destroyed(interface: &str) -> capnp::Error {
    capnp::Error::failed(format!("{interface} object was destroyed"))
}

/// A proxy's hold on a remote capability: released when the proxy is dropped.
pub struct Handle {
    conn: Arc<dyn Connection>,
    cap: CapId,
}

impl Handle {
    /// Holds `client` (a capability received on `conn`) for a proxy.
    pub fn adopt(conn: &dyn LoopConn, client: capnp::capability::Client) -> Self {
        let (conn, cap) = conn.adopt(client);
        Handle { conn, cap }
    }

    /// The connection the capability lives on.
    pub fn conn(&self) -> &dyn Connection {
        &*self.conn
    }

    /// The capability's id in the runtime's table.
    pub fn cap(&self) -> CapId {
        self.cap
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.conn.release(self.cap);
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle").field("cap", &self.cap).finish()
    }
}
