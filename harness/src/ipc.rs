//! IPC clients for tests: connect to a node's `-ipcbind` socket and get the generated
//! proxies of `umkoin-interfaces` (`Init`, `Echo`, ...), carried by the `umkoin-ipc`
//! runtime as any IPC client's would be. Works against every node that serves Core's
//! `Init`, ours or Umkoin Core's.

use std::path::Path;

use anyhow::{Context, Result};

pub use umkoin_ipc::Connection;

/// The executable name the harness's IPC log tags carry.
const EXE: &str = "umkoin-harness";

/// Connects to the node socket at `socket` and exchanges thread maps (`Init.construct`).
pub fn connect(socket: &Path) -> Result<Connection> {
    umkoin_ipc::connect(EXE, socket)
        .with_context(|| format!("connecting to the IPC socket {}", socket.display()))
}

impl crate::TestNode {
    /// Connects to this node's IPC socket (the node must have been made with `ipcbind`).
    pub fn ipc_connect(&self) -> Result<Connection> {
        let socket = self
            .ipc_socket_path()
            .with_context(|| format!("[node {}] was started without -ipcbind", self.index()))?;
        connect(socket)
    }
}
