//! Where connections come from: `-ipcbind` listeners on Unix sockets, connections to
//! them (`-ipcconnect`, the harness), and spawned children over a socket pair, started
//! as Umkoin Core starts them (`<exe> -ipcfd <fd>`) and served by the child on that fd.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::sync::Arc;

use capnp::capability::FromClientHook;
use umkoin_interfaces::init_capnp::init;
use umkoin_interfaces::ipc::init::{Init, InitProxy};
use umkoin_interfaces::ipc::umkoin::{UmkoinInit, UmkoinInitProxy, UmkoinInitServer};
use umkoin_interfaces::mp::{self, LoopConn};

use crate::log;
use crate::runtime::{self, Conn, ConnOptions, EventLoop};

/// `sizeof(sockaddr_un.sun_path)`: a socket path must be shorter.
const MAX_SOCKET_PATH: usize = 108;

/// Why an `-ipcbind` address could not be listened on; the text is Core's init error.
#[derive(Debug, thiserror::Error)]
#[error("Unable to bind to IPC address '{address}'. {reason}")]
pub struct BindError {
    /// The address as given, or as normalised once it was understood.
    pub address: String,
    /// Why.
    pub reason: String,
}

/// Why a connection could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The address is not `unix` / `unix:<path>`.
    #[error("{0}")]
    Address(String),
    /// The socket could not be reached.
    #[error("cannot connect to {path}: {source}")]
    Io {
        /// The socket.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The event loop is gone or could not start.
    #[error("the IPC event loop is not running")]
    NoLoop,
    /// The peer did not answer `Init.construct`.
    #[error("IPC handshake failed: {0}")]
    Handshake(mp::Error),
}

/// The socket an `-ipcbind` / `-ipcconnect` address names: `unix` (or `unix:`) is
/// `<chain dir>/node.sock`; `unix:<path>` is that path, relative to the chain dir.
pub fn parse_address(address: &str, chain_dir: &Path) -> Result<PathBuf, String> {
    let path = if address == "unix" || address == "unix:" {
        chain_dir.join("node.sock")
    } else if let Some(p) = address.strip_prefix("unix:") {
        chain_dir.join(p)
    } else {
        return Err(format!("Unrecognized address '{address}'"));
    };
    if path.as_os_str().len() >= MAX_SOCKET_PATH {
        return Err(format!(
            "Unix address path \"{}\" exceeded maximum socket path length",
            path.display()
        ));
    }
    Ok(path)
}

/// Listens on `-ipcbind=<address>`: parent folders are created, the socket gets mode
/// 0600, a stale socket left by a killed process is replaced, and a socket some running
/// process still answers on is refused (Core would remove it and take it over).
/// Returns the listener and the address as Core logs it (`unix:<path>`).
pub fn bind(
    address: &str,
    chain_dir: &Path,
) -> Result<(std::os::unix::net::UnixListener, String), BindError> {
    let path = parse_address(address, chain_dir).map_err(|reason| BindError {
        address: address.to_owned(),
        reason,
    })?;
    let normalised = format!("unix:{}", path.display());
    let fail = |reason: String| BindError {
        address: normalised.clone(),
        reason,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            fail(format!(
                "cannot create directories {}: {e}",
                parent.display()
            ))
        })?;
    }
    if let Ok(meta) = std::fs::symlink_metadata(&path) {
        if !meta.file_type().is_socket() {
            return Err(fail("Address already in use".to_owned()));
        }
        match std::os::unix::net::UnixStream::connect(&path) {
            Ok(_) => {
                return Err(fail(
                    "Address already in use: a running process is listening on it".to_owned(),
                ));
            }
            Err(_) => {
                std::fs::remove_file(&path)
                    .map_err(|e| fail(format!("cannot remove stale socket: {e}")))?;
            }
        }
    }
    let listener =
        std::os::unix::net::UnixListener::bind(&path).map_err(|e| fail(e.to_string()))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| fail(e.to_string()))?;
    Ok((listener, normalised))
}

/// Makes the capability a connection's server side bootstraps, given the connection.
pub type Bootstrap = Arc<dyn Fn(Rc<dyn LoopConn>) -> capnp::capability::Client + Send + Sync>;

/// The bootstrap of a umkoin-rs process: `init`, served as `UmkoinInit` (and so as
/// Core's `Init`).
pub fn umkoin_init_bootstrap(init: Arc<dyn UmkoinInit>) -> Bootstrap {
    Arc::new(move |conn| UmkoinInitServer::client(conn, Arc::clone(&init)).client)
}

/// Serves `init` to every process that connects to `listener`, on the event loop.
pub fn serve_listener(
    exe: &str,
    listener: std::os::unix::net::UnixListener,
    init: Arc<dyn UmkoinInit>,
) -> std::io::Result<()> {
    serve_listener_with(exe, listener, umkoin_init_bootstrap(init))
}

/// Serves what `bootstrap` makes to every process that connects to `listener`.
pub fn serve_listener_with(
    exe: &str,
    listener: std::os::unix::net::UnixListener,
    bootstrap: Bootstrap,
) -> std::io::Result<()> {
    let event_loop = EventLoop::get(exe)?;
    listener.set_nonblocking(true)?;
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    event_loop.handle().post(move || {
        let listener = match tokio::net::UnixListener::from_std(listener) {
            Ok(l) => l,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        };
        let _ = tx.send(Ok(()));
        tokio::task::spawn_local(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => {
                        let bootstrap = Arc::clone(&bootstrap);
                        runtime::start(
                            stream,
                            ConnOptions {
                                incoming: true,
                                close_when_unused: false,
                            },
                            Some(Box::new(move |conn| bootstrap(conn))),
                        );
                    }
                    Err(e) => {
                        log::error(format_args!("IPC server: accept failed: {e}"));
                        return;
                    }
                }
            }
        });
    });
    rx.recv()
        .map_err(|_| std::io::Error::other("the IPC event loop stopped"))?
}

/// A connection to a process's `Init`.
pub struct Connection {
    /// The peer's `Init` (Core's interface, served by every node).
    pub init: Arc<dyn Init>,
    /// The same capability as umkoin-rs's `UmkoinInit` (only our processes serve it).
    pub umkoin_init: Arc<dyn UmkoinInit>,
    /// The bootstrap capability itself, for a proxy of another interface that extends
    /// `Init` (`FooProxy::from_handle`).
    pub bootstrap: mp::Handle,
    /// The connection, to close it or ask whether it is up.
    pub conn: Arc<Conn>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("conn", &self.conn)
            .finish()
    }
}

/// Connects to the node socket `path` (as `-ipcconnect` does) and exchanges thread maps.
pub fn connect(exe: &str, path: &Path) -> Result<Connection, ConnectError> {
    let stream =
        std::os::unix::net::UnixStream::connect(path).map_err(|source| ConnectError::Io {
            path: path.to_owned(),
            source,
        })?;
    attach_with(exe, stream, false)
}

/// Connects over `stream` (one end of a socket pair, say) to a process serving `Init`
/// on the other end, and exchanges thread maps.
pub fn attach(
    exe: &str,
    stream: std::os::unix::net::UnixStream,
) -> Result<Connection, ConnectError> {
    attach_with(exe, stream, false)
}

fn attach_with(
    exe: &str,
    stream: std::os::unix::net::UnixStream,
    close_when_unused: bool,
) -> Result<Connection, ConnectError> {
    let event_loop = EventLoop::get(exe).map_err(|_| ConnectError::NoLoop)?;
    stream
        .set_nonblocking(true)
        .map_err(|source| ConnectError::Io {
            path: PathBuf::new(),
            source,
        })?;
    let name = crate::threads::with_current(|t| t.name.clone());
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    event_loop.handle().post(move || {
        let stream = match tokio::net::UnixStream::from_std(stream) {
            Ok(s) => s,
            Err(e) => {
                let _ = tx.send(Err(ConnectError::Io {
                    path: PathBuf::new(),
                    source: e,
                }));
                return;
            }
        };
        let (conn, peer) = runtime::start(
            stream,
            ConnOptions {
                incoming: false,
                close_when_unused,
            },
            None,
        );
        let peer = peer.expect("a client connection has the peer's bootstrap capability");
        let client: init::Client = FromClientHook::new(peer.hook);
        let mut request = client.construct_request();
        let ours = conn.construct(None);
        request.get().set_thread_map(ours);
        conn.log_client_send(&name, "Init.construct$Params", &request.get().into_reader());
        let promise = request.send().promise;
        tokio::task::spawn_local(async move {
            let result = async {
                let response = promise.await?;
                let results = response.get()?;
                conn.log_client_recv(&name, "Init.construct$Results", &results);
                let theirs = results.get_thread_map()?;
                Ok::<_, capnp::Error>(theirs)
            }
            .await;
            match result {
                Ok(theirs) => {
                    conn.set_their_thread_map(theirs);
                    let init = InitProxy::adopt(&*conn, client.clone());
                    let umkoin_init = UmkoinInitProxy::adopt(
                        &*conn,
                        FromClientHook::new(client.client.hook.add_ref()),
                    );
                    let bootstrap = mp::Handle::adopt(&*conn, client.client.clone());
                    let _ = tx.send(Ok(Connection {
                        init: Arc::new(init),
                        umkoin_init: Arc::new(umkoin_init),
                        bootstrap,
                        conn: conn.shared(),
                    }));
                }
                Err(e) => {
                    conn.disconnect();
                    let _ = tx.send(Err(ConnectError::Handshake(mp::Error::from_capnp(e))));
                }
            }
        });
    });
    rx.recv().map_err(|_| ConnectError::NoLoop)?
}

/// A child process spawned with `-ipcfd`, and its `Init`.
pub struct Spawned {
    /// The connection to the child; dropping every proxy on it closes it, and the child
    /// exits.
    pub connection: Connection,
    /// The child's pid.
    pub pid: u32,
}

/// Spawns `<program> -ipcfd <fd>` over a socket pair, as Core's `spawnProcess` does,
/// and connects to its `Init`. The child's end is not inherited by any other child
/// (the parent keeps its fds close-on-exec), and the child's exit is reaped and logged.
pub fn spawn(exe: &str, program: &Path) -> Result<Spawned, ConnectError> {
    let (ours, theirs) = socket_pair().map_err(|source| ConnectError::Io {
        path: program.to_owned(),
        source,
    })?;
    let child_fd = theirs.as_raw_fd();
    let mut command = Command::new(program);
    command.arg("-ipcfd").arg(child_fd.to_string());
    // SAFETY: the closure only calls fcntl, which is async-signal-safe, on an fd that
    // is open in the child (it is the parent's, duplicated by fork).
    unsafe {
        command.pre_exec(move || {
            if libc::fcntl(child_fd, libc::F_SETFD, 0) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command.spawn().map_err(|source| ConnectError::Io {
        path: program.to_owned(),
        source,
    })?;
    drop(theirs);
    let pid = child.id();
    let name = program
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    log::debug(format_args!("Process {name} pid {pid} launched"));
    let _ = std::thread::Builder::new()
        .name("b-capnp-reap".to_owned())
        .spawn(move || {
            if let Ok(status) = child.wait() {
                log::debug(format_args!(
                    "Process {name} pid {pid} exited with status {}",
                    status.into_raw()
                ));
            }
        });
    let stream = std::os::unix::net::UnixStream::from(ours);
    let connection = attach_with(exe, stream, true)?;
    Ok(Spawned { connection, pid })
}

fn socket_pair() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: `fds` has room for the two descriptors socketpair writes.
    let r = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    if r == -1 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: socketpair succeeded, so both are open descriptors that nothing else owns.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// `argv` is `<exe> -ipcfd <fd>` (exactly; Core checks before parsing any option):
/// the fd to serve on, or the error Core gives for a number that is not one.
pub fn spawned_fd(argv: &[std::ffi::OsString]) -> Option<Result<RawFd, String>> {
    if argv.len() != 3 || argv[1] != "-ipcfd" {
        return None;
    }
    let text = argv[2].to_string_lossy();
    Some(
        text.parse::<RawFd>()
            .ok()
            .filter(|fd| *fd >= 0)
            .ok_or_else(|| format!("Invalid -ipcfd number '{text}'")),
    )
}

/// Serves `init` on `fd`, inherited from the parent that spawned this process, until
/// the parent disconnects. The fd is made close-on-exec first, so this process's own
/// children do not inherit it.
pub fn serve_fd(exe: &str, fd: RawFd, init: Arc<dyn UmkoinInit>) -> Result<(), String> {
    // SAFETY: fcntl on any integer is safe; it fails with EBADF for a closed fd.
    if unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) } == -1 {
        return Err(format!("-ipcfd {fd}: {}", std::io::Error::last_os_error()));
    }
    // SAFETY: the fd is open (checked above) and was handed to this process for this
    // purpose by its parent: nothing else in the process owns it.
    let stream = unsafe { std::os::unix::net::UnixStream::from_raw_fd(fd) };
    let (tx, rx) = std::sync::mpsc::sync_channel::<()>(1);
    serve_stream(
        exe,
        stream,
        umkoin_init_bootstrap(init),
        Box::new(move || {
            let _ = tx.send(());
        }),
    )
    .map_err(|e| e.to_string())?;
    let _ = rx.recv();
    Ok(())
}

/// Serves what `bootstrap` makes on `stream` (the server end of a socket pair); calls
/// `on_disconnect` once the peer is gone.
pub fn serve_stream(
    exe: &str,
    stream: std::os::unix::net::UnixStream,
    bootstrap: Bootstrap,
    on_disconnect: Box<dyn FnOnce() + Send>,
) -> std::io::Result<()> {
    stream.set_nonblocking(true)?;
    let event_loop = EventLoop::get(exe)?;
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    event_loop.handle().post(move || {
        let stream = match tokio::net::UnixStream::from_std(stream) {
            Ok(s) => s,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        };
        let (conn, _) = runtime::start(
            stream,
            ConnOptions {
                incoming: false,
                close_when_unused: false,
            },
            Some(Box::new(move |conn| bootstrap(conn))),
        );
        conn.on_disconnect(on_disconnect);
        let _ = tx.send(Ok(()));
    });
    rx.recv()
        .map_err(|_| std::io::Error::other("the IPC event loop stopped"))?
}
