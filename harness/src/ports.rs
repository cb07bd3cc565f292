//! TCP ports for test nodes that never collide between concurrently running tests.
//!
//! # Scheme
//!
//! Ports come from [`PORT_MIN`]`..`[`PORT_MAX`] (20000..32768). That range lies below
//! Linux's default ephemeral range (32768..60999), so the kernel never hands one of them
//! to an outgoing connection as its source port while a node is starting.
//!
//! A process starts scanning at a random offset in that range. For each candidate port
//! it opens `/tmp/umkoin-harness-ports/<port>.lock` and takes an exclusive, non-blocking
//! `flock` on it; if another process (or another open of the same file in this process:
//! `flock` locks belong to the open file description) holds it, the port is skipped. A
//! port whose lock was taken must also be bindable on 127.0.0.1 right now (so ports
//! used by unrelated programs are skipped). The lock file stays open, and so locked, for
//! the life of the process: the kernel releases it when the process exits, however it
//! exits. `cargo nextest` runs every test in its own process and `cargo test` runs tests
//! as threads of one process; both are covered. The lock directory is fixed (not under
//! `$TMPDIR`) so that processes with different temp dirs still see each other's locks.

use std::collections::hash_map::RandomState;
use std::fs::{File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::net::{Ipv4Addr, TcpListener};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use anyhow::{Context, Result, bail};

/// Lowest port handed out.
pub const PORT_MIN: u16 = 20000;
/// One past the highest port handed out.
pub const PORT_MAX: u16 = 32768;
/// The directory holding one lock file per port in use.
pub const LOCK_DIR: &str = "/tmp/umkoin-harness-ports";

struct Allocator {
    next: u16,
    held: Vec<(u16, File)>,
}

fn allocator() -> &'static Mutex<Allocator> {
    static ALLOCATOR: OnceLock<Mutex<Allocator>> = OnceLock::new();
    ALLOCATOR.get_or_init(|| {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        let span = u64::from(PORT_MAX - PORT_MIN);
        let offset = u16::try_from(hasher.finish() % span).unwrap_or(0);
        Mutex::new(Allocator {
            next: PORT_MIN + offset,
            held: Vec::new(),
        })
    })
}

/// Reserves one free TCP port for the rest of this process's life (see the module
/// documentation for how reservations are shared between processes).
pub fn alloc_port() -> Result<u16> {
    let dir = Path::new(LOCK_DIR);
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    // Anyone may use the lock directory; ignore failure (it may belong to another user).
    let _ = std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o1777));
    let mut alloc = allocator()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for _ in PORT_MIN..PORT_MAX {
        let port = alloc.next;
        alloc.next = if port + 1 >= PORT_MAX {
            PORT_MIN
        } else {
            port + 1
        };
        if alloc.held.iter().any(|(p, _)| *p == port) {
            continue;
        }
        let Some(file) = try_lock(&lock_path(port))? else {
            continue;
        };
        if TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_err() {
            // In use by something that does not take our locks; the lock is released
            // when `file` is dropped here.
            continue;
        }
        alloc.held.push((port, file));
        return Ok(port);
    }
    bail!("no free port in {PORT_MIN}..{PORT_MAX} (locks in {LOCK_DIR})")
}

/// Reserves `n` ports (see [`alloc_port`]).
pub fn alloc_ports(n: usize) -> Result<Vec<u16>> {
    (0..n).map(|_| alloc_port()).collect()
}

fn lock_path(port: u16) -> PathBuf {
    Path::new(LOCK_DIR).join(format!("{port}.lock"))
}

/// Opens `path` and takes an exclusive non-blocking flock; `None` if someone holds it.
fn try_lock(path: &Path) -> Result<Option<File>> {
    let file = match OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
    {
        Ok(f) => f,
        // A lock file left by another user that we may not open: treat as taken.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("opening {}", path.display())),
    };
    // SAFETY: flock on a file descriptor we own; no memory is shared with the kernel.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(Some(file));
    }
    let err = std::io::Error::last_os_error();
    if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
        Ok(None)
    } else {
        Err(err).with_context(|| format!("flock {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_distinct_and_locked() {
        let ports = alloc_ports(4).unwrap();
        let mut sorted = ports.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 4);
        for p in ports {
            assert!((PORT_MIN..PORT_MAX).contains(&p));
            // A second open of the lock file cannot take the lock while we hold it.
            assert!(try_lock(&lock_path(p)).unwrap().is_none());
        }
    }
}
