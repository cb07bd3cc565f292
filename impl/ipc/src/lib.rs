//! The IPC runtime of umkoin-rs: what makes a trait from `umkoin-interfaces` remote.
//!
//! One event-loop thread per process (`b-capnp-loop`) runs capnp-rpc over Unix sockets
//! and socket pairs. The code umkoin-mpgen generates (`umkoin_interfaces::ipc`) calls
//! this runtime through the contract in `umkoin_interfaces::mp`: proxies post calls to
//! the loop and block their thread, running callbacks meanwhile; servers post requests
//! to the thread their `Context` names. Threading, request numbers and log lines follow
//! libmultiprocess, as Umkoin Core ships it.
//!
//! Entry points: [`bind`] and [`serve_listener`] (`-ipcbind`), [`connect`]
//! (`-ipcconnect`, test clients), [`spawn`] and [`serve_fd`] (a spawned child,
//! `-ipcfd`).

pub mod log;
mod process;
mod runtime;
mod threads;

pub use process::{
    BindError, Bootstrap, ConnectError, Connection, Spawned, attach, bind, connect, parse_address,
    serve_fd, serve_listener, serve_listener_with, serve_stream, spawn, spawned_fd,
    umkoin_init_bootstrap,
};
pub use runtime::{Conn, EventLoop, LoopHandle, open_connections};
pub use threads::{DEFAULT_POOL_SIZE, MAX_POOL_SIZE};
