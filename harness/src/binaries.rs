//! Which executables a test runs, chosen from environment variables as Core's
//! `test_framework/util.py` (`get_binary_paths`, `Binaries`) chooses them.
//!
//! | variable | binary | default |
//! | --- | --- | --- |
//! | `UMKOIND` | the node | `<target>/debug/umkoind` |
//! | `UMKOINCLI` | the RPC client | `<target>/debug/umkoin-cli` |
//! | `UMKOINWALLET` | the wallet tool | `<target>/debug/umkoin-wallet` |
//! | `UMKOIN_BIN` | the `umkoin` wrapper (used when IPC is needed) | `<target>/debug/umkoin` |
//! | `UMKOIN_CMD` | a wrapper command line, e.g. `"umkoin -m"`; when set it replaces all of the above: node `<cmd> node`, client `<cmd> rpc -nonamed`, wallet `<cmd> wallet` | unset |
//!
//! `<target>` is `$CARGO_TARGET_DIR` if set (relative paths are taken from the workspace
//! root), else `<workspace root>/target`. `UMKOIN_CMD` is split on whitespace; its first
//! word is a path, or a name looked up in `PATH`.
//!
//! `UMKOIN_IMPL` (`core` or `rust`) says which implementation is under test; unset, the
//! node's `-version` output decides (see [`Binaries::implementation`]).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use anyhow::{Result, bail};

/// Names the environment variable that selects the wrapper command line.
pub const UMKOIN_CMD_ENV: &str = "UMKOIN_CMD";
/// Names the environment variable that says which implementation is under test.
pub const UMKOIN_IMPL_ENV: &str = "UMKOIN_IMPL";

/// One executable and where its path came from, for error messages.
#[derive(Debug, Clone)]
pub struct BinarySource {
    /// The executable.
    pub path: PathBuf,
    /// The environment variable that named it, or `None` for this workspace's build.
    pub var: Option<&'static str>,
}

impl BinarySource {
    fn from_env(var: &'static str, default_name: &str) -> Self {
        match std::env::var_os(var).filter(|v| !v.is_empty()) {
            Some(v) => BinarySource {
                path: PathBuf::from(v),
                var: Some(var),
            },
            None => BinarySource {
                path: target_dir().join("debug").join(default_name),
                var: None,
            },
        }
    }

    /// The path, after checking that the file exists; the error names its source.
    pub fn checked(&self) -> Result<&Path> {
        if self.path.is_file() {
            return Ok(&self.path);
        }
        match self.var {
            Some(var) => bail!("{var}={}: no such file", self.path.display()),
            None => bail!(
                "default {} not built: run `cargo build` (or set the variable naming it)",
                self.path.display()
            ),
        }
    }
}

/// The implementation of the binaries under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Implementation {
    /// Umkoin Core's C++ binaries.
    Core,
    /// This workspace's Rust binaries.
    Rust,
}

/// The executables a test runs and how to invoke each.
#[derive(Debug, Clone)]
pub struct Binaries {
    /// `UMKOIND`.
    pub umkoind: BinarySource,
    /// `UMKOINCLI`.
    pub umkoin_cli: BinarySource,
    /// `UMKOINWALLET`.
    pub umkoin_wallet: BinarySource,
    /// `UMKOIN_BIN`: the wrapper, used when a node needs IPC and `UMKOIN_CMD` is unset.
    pub umkoin_bin: BinarySource,
    /// `UMKOIN_CMD`, split on whitespace; `None` when unset or empty.
    pub umkoin_cmd: Option<Vec<String>>,
}

impl Binaries {
    /// Reads the variables in the module documentation. Does not check that files exist:
    /// the `*_argv` methods do, for the binaries a test actually runs.
    pub fn from_env() -> Self {
        let umkoin_cmd = std::env::var(UMKOIN_CMD_ENV)
            .ok()
            .map(|s| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .filter(|v| !v.is_empty());
        Binaries {
            umkoind: BinarySource::from_env("UMKOIND", "umkoind"),
            umkoin_cli: BinarySource::from_env("UMKOINCLI", "umkoin-cli"),
            umkoin_wallet: BinarySource::from_env("UMKOINWALLET", "umkoin-wallet"),
            umkoin_bin: BinarySource::from_env("UMKOIN_BIN", "umkoin"),
            umkoin_cmd,
        }
    }

    /// The command line that starts a node (before its arguments). With `need_ipc`, the
    /// wrapper is used with `-m` so that it runs the multiprocess `umkoin-node`.
    pub fn node_argv(&self, need_ipc: bool) -> Result<Vec<OsString>> {
        self.argv("node", &self.umkoind, need_ipc)
    }

    /// The command line of the RPC client. `-nonamed` is added because `umkoin rpc`
    /// enables `-named` by default and `umkoin-cli` does not (as Core's framework does,
    /// also when calling `umkoin-cli` directly).
    pub fn rpc_argv(&self) -> Result<Vec<OsString>> {
        let mut argv = self.argv("rpc", &self.umkoin_cli, false)?;
        argv.push("-nonamed".into());
        Ok(argv)
    }

    /// The command line of the wallet tool.
    pub fn wallet_argv(&self) -> Result<Vec<OsString>> {
        self.argv("wallet", &self.umkoin_wallet, false)
    }

    fn argv(&self, command: &str, direct: &BinarySource, need_ipc: bool) -> Result<Vec<OsString>> {
        if self.umkoin_cmd.is_some() || need_ipc {
            let mut argv: Vec<OsString> = match &self.umkoin_cmd {
                Some(cmd) => {
                    // A bare first word is looked up as Core's framework looks it up
                    // (its build folder first on PATH), once, so every way a test
                    // runs the command finds the same file.
                    let first = resolve_command_word(&cmd[0])?;
                    std::iter::once(first.into_os_string())
                        .chain(cmd[1..].iter().map(OsString::from))
                        .collect()
                }
                None => vec![self.umkoin_bin.checked()?.as_os_str().to_owned()],
            };
            if need_ipc {
                argv.push("-m".into());
            }
            argv.push(command.into());
            Ok(argv)
        } else {
            Ok(vec![direct.checked()?.as_os_str().to_owned()])
        }
    }

    /// Which implementation is under test: `UMKOIN_IMPL` (`core` or `rust`) if set,
    /// else Core when the node's `-version` output holds "Umkoin Core" and not
    /// "umkoin-rs". Computed once per process.
    pub fn implementation(&self) -> Implementation {
        static IMPL: OnceLock<Implementation> = OnceLock::new();
        *IMPL.get_or_init(|| {
            if let Ok(v) = std::env::var(UMKOIN_IMPL_ENV) {
                match v.trim().to_ascii_lowercase().as_str() {
                    "core" | "c++" | "cpp" => return Implementation::Core,
                    "rust" | "umkoin-rs" | "rs" => return Implementation::Rust,
                    _ => {}
                }
            }
            let Ok(argv) = self.node_argv(false) else {
                return Implementation::Rust;
            };
            let output = Command::new(&argv[0])
                .args(&argv[1..])
                .arg("-version")
                .stdin(Stdio::null())
                .output();
            match output {
                Ok(out) => {
                    let text = String::from_utf8_lossy(&out.stdout);
                    if text.contains("Umkoin Core") && !text.contains("umkoin-rs") {
                        Implementation::Core
                    } else {
                        Implementation::Rust
                    }
                }
                Err(_) => Implementation::Rust,
            }
        })
    }

    /// Whether the binaries under test are Umkoin Core's C++ ones, so tests of what Core
    /// lacks can skip themselves.
    pub fn is_core(&self) -> bool {
        self.implementation() == Implementation::Core
    }
}

/// Checks the first word of `UMKOIN_CMD`: an existing file if it holds a `/`, else a
/// name found in `PATH`.
fn resolve_command_word(word: &str) -> Result<PathBuf> {
    let found = if word.contains('/') {
        Some(PathBuf::from(word)).filter(|p| p.is_file())
    } else {
        std::env::split_paths(&child_path())
            .map(|d| d.join(word))
            .find(|p| p.is_file())
    };
    found.ok_or_else(|| {
        anyhow::anyhow!(
            "{UMKOIN_CMD_ENV}={:?}: {word}: no such file",
            std::env::var(UMKOIN_CMD_ENV).unwrap_or_default()
        )
    })
}

/// `PATH` for the processes the harness starts: this workspace's build folder first,
/// as Core's framework puts its build's `bin/` first, so `UMKOIN_CMD="umkoin -m"`
/// finds the wrapper by name; then the caller's `PATH`.
pub fn child_path() -> std::ffi::OsString {
    let mut dirs = vec![target_dir().join("debug")];
    if let Some(p) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&p));
    } else {
        dirs.extend(["/usr/local/bin", "/usr/bin", "/bin"].map(PathBuf::from));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// The workspace root: the parent of this crate's directory.
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` (relative to the workspace root when
/// relative), else `<workspace root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(path: &str, var: Option<&'static str>) -> BinarySource {
        BinarySource {
            path: PathBuf::from(path),
            var,
        }
    }

    #[test]
    fn umkoin_cmd_builds_wrapper_command_lines() {
        let b = Binaries {
            umkoind: src("/nonexistent/umkoind", Some("UMKOIND")),
            umkoin_cli: src("/nonexistent/umkoin-cli", None),
            umkoin_wallet: src("/nonexistent/umkoin-wallet", None),
            umkoin_bin: src("/nonexistent/umkoin", None),
            umkoin_cmd: Some(vec!["/bin/sh".into(), "-m".into()]),
        };
        assert_eq!(b.node_argv(false).unwrap(), ["/bin/sh", "-m", "node"]);
        assert_eq!(b.node_argv(true).unwrap(), ["/bin/sh", "-m", "-m", "node"]);
        assert_eq!(b.rpc_argv().unwrap(), ["/bin/sh", "-m", "rpc", "-nonamed"]);
        assert_eq!(b.wallet_argv().unwrap(), ["/bin/sh", "-m", "wallet"]);
    }

    #[test]
    fn missing_binaries_name_their_source() {
        let b = Binaries {
            umkoind: src("/x/umkoind", Some("UMKOIND")),
            umkoin_cli: src("/x/umkoin-cli", None),
            umkoin_wallet: src("/x/umkoin-wallet", None),
            umkoin_bin: src("/x/umkoin", None),
            umkoin_cmd: None,
        };
        let e = b.node_argv(false).unwrap_err().to_string();
        assert_eq!(e, "UMKOIND=/x/umkoind: no such file");
        let e = b.rpc_argv().unwrap_err().to_string();
        assert!(e.starts_with("default /x/umkoin-cli not built"), "{e}");
        let e = b.node_argv(true).unwrap_err().to_string();
        assert!(e.starts_with("default /x/umkoin not built"), "{e}");
    }
}
