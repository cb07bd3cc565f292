//! The data directory: creating it as Core does (with `wallets/`), and the `.lock` file
//! that keeps a second process off a datadir in use.

use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

/// Why a directory could not be locked; the texts are Core's init errors.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// The lock file cannot be created.
    #[error("Cannot write to directory '{}'; check permissions.", .0.display())]
    Write(PathBuf),
    /// Another process holds the lock.
    #[error("Cannot obtain a lock on directory {}. Umkoin Core is probably already running.", .0.display())]
    Held(PathBuf),
}

/// A held `.lock`; released when dropped (or when the process ends, however it ends).
#[derive(Debug)]
pub struct DirLock {
    _file: File,
    path: PathBuf,
}

impl DirLock {
    /// The directory locked.
    pub fn dir(&self) -> &Path {
        &self.path
    }
}

/// Take `<dir>/.lock` with a POSIX record lock, as Core's `LockDirectory` does, so that
/// Core's binaries and ours exclude each other. With `probe_only`, release it at once.
pub fn lock_directory(dir: &Path, probe_only: bool) -> Result<Option<DirLock>, LockError> {
    let path = dir.join(".lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .read(true)
        .open(&path)
        .map_err(|_| LockError::Write(dir.to_owned()))?;
    // SAFETY: a zeroed flock is a valid value; every field we rely on is set below.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = libc::F_WRLCK as libc::c_short;
    fl.l_whence = libc::SEEK_SET as libc::c_short;
    fl.l_start = 0;
    fl.l_len = 0;
    // SAFETY: fcntl with F_SETLK reads the flock we own; the fd is open for the call.
    let rc = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETLK, &fl) };
    if rc == -1 {
        return Err(LockError::Held(dir.to_owned()));
    }
    if probe_only {
        return Ok(None);
    }
    Ok(Some(DirLock {
        _file: file,
        path: dir.to_owned(),
    }))
}

/// Create the datadir and the chain folder if missing, each with a `wallets/` folder
/// when newly made, as Core's `InitConfig` does.
pub fn create_datadirs(base: &Path, net: &Path) -> std::io::Result<()> {
    if !base.exists() {
        std::fs::create_dir_all(base.join("wallets"))?;
    }
    if !net.exists() {
        std::fs::create_dir_all(net.join("wallets"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_is_exclusive_across_processes() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock_directory(dir.path(), false).unwrap();
        assert!(held.is_some());
        // POSIX record locks are per process, so ask a forked child.
        let child_result = |dir: &Path| -> i32 {
            // SAFETY: the child only calls fcntl/open and _exit, which are async-signal-safe.
            match unsafe { libc::fork() } {
                0 => {
                    let code = match lock_directory(dir, true) {
                        Err(LockError::Held(_)) => 7,
                        Ok(_) => 0,
                        Err(_) => 1,
                    };
                    unsafe { libc::_exit(code) }
                }
                pid => {
                    let mut status = 0;
                    unsafe { libc::waitpid(pid, &mut status, 0) };
                    libc::WEXITSTATUS(status)
                }
            }
        };
        assert_eq!(
            child_result(dir.path()),
            7,
            "a second process must be refused"
        );
        drop(held);
        assert_eq!(child_result(dir.path()), 0, "released on drop");
    }
}
