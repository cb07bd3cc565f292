//! One node under test: its data directory, configuration, process and RPC connection,
//! managed as Core's `test_framework/test_node.py` manages a `umkoind`.

use std::ffi::OsString;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;
use umkoin_interfaces::chain::ChainType;
use umkoin_interfaces::rpc::code;

use crate::binaries::Binaries;
use crate::ports::alloc_port;
use crate::rpc::{Credentials, RpcClient, RpcError};
use crate::util::{Backoff, PROCESS_WAIT_TIMEOUT, RPC_TIMEOUT, indent, last_lines, scaled};

/// How `assert_debug_log` waits for expected lines by default (before scaling).
pub const DEBUG_LOG_TIMEOUT: Duration = Duration::from_secs(5);

/// Longest Unix socket path, trailing NUL included (Linux).
const UNIX_PATH_MAX: usize = 108;

/// How [`TestNode::assert_start_raises_init_error`] compares the expected message with
/// the node's standard error (both trimmed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ErrorMatch {
    /// The whole of stderr equals the message (Core's `FULL_TEXT`).
    #[default]
    Full,
    /// Stderr contains the message.
    Partial,
}

/// How a node is set up, before it first starts.
#[derive(Debug, Clone, Default)]
pub struct NodeOptions {
    /// Arguments added after the standard ones on every start that gives none.
    pub extra_args: Vec<String>,
    /// Lines appended to `umkoin.conf` (in the `[regtest]` section) when it is written.
    pub extra_conf: Vec<String>,
    /// Core's `uses_wallet`: `Some(false)` (the default, as Core's framework) adds
    /// `-disablewallet`; `Some(true)` or `None` do not.
    pub uses_wallet: Option<bool>,
    /// Start the node through the wrapper with `-m` and `-ipcbind=unix` (Core's
    /// `ipcbind=True`).
    pub ipcbind: bool,
}

impl NodeOptions {
    /// Default options: no extra arguments, no wallet, no IPC.
    pub fn new() -> Self {
        NodeOptions {
            uses_wallet: Some(false),
            ..Default::default()
        }
    }
}

/// The output of one `umkoin-cli` run.
#[derive(Debug, Clone)]
pub struct CliOutput {
    /// Exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// The contents of `umkoin.conf` as Core's `util.py:write_config` writes it for regtest.
pub fn core_config(p2p_port: u16, rpc_port: u16) -> String {
    let par = std::thread::available_parallelism()
        .map(|n| n.get().min(2))
        .unwrap_or(2);
    format!(
        "regtest=1\n\
         [regtest]\n\
         port={p2p_port}\n\
         rpcport={rpc_port}\n\
         rpcservertimeout=99000\n\
         rpcdoccheck=1\n\
         rpcthreads=2\n\
         fallbackfee=0.0002\n\
         server=1\n\
         keypool=1\n\
         discover=0\n\
         dnsseed=0\n\
         fixedseeds=0\n\
         listenonion=0\n\
         peertimeout=999999999\n\
         printtoconsole=0\n\
         natpmp=0\n\
         shrinkdebugfile=0\n\
         unsafesqlitesync=1\n\
         connect=0\n\
         maxconnections=94\n\
         par={par}\n"
    )
}

/// A node under test.
///
/// Layout: datadir `<test dir>/node<i>` holding `umkoin.conf`, `stdout/` and `stderr/`
/// (one file per start, `start-<k>`), and the chain directory `regtest/`.
#[derive(Debug)]
pub struct TestNode {
    index: usize,
    datadir: PathBuf,
    test_dir: PathBuf,
    chain: ChainType,
    binaries: Binaries,
    p2p_port: u16,
    rpc_port: u16,
    base_args: Vec<OsString>,
    /// Arguments used by [`TestNode::start`] and [`TestNode::restart`].
    pub extra_args: Vec<String>,
    ipcbind: bool,
    ipc_socket: Option<PathBuf>,
    ipc_tmp_dir: Option<tempfile::TempDir>,
    process: Option<Child>,
    starts: u32,
    stdout_path: Option<PathBuf>,
    stderr_path: Option<PathBuf>,
    last_command: Vec<OsString>,
    rpc: Option<RpcClient>,
    rpc_timeout: Duration,
}

impl TestNode {
    /// Creates node `index` under `test_dir`: allocates its ports, writes its datadir
    /// and `umkoin.conf`. Does not start it.
    pub fn new(
        index: usize,
        test_dir: &Path,
        binaries: Binaries,
        options: NodeOptions,
    ) -> Result<Self> {
        let datadir = test_dir.join(format!("node{index}"));
        std::fs::create_dir_all(datadir.join("stdout"))
            .and_then(|()| std::fs::create_dir_all(datadir.join("stderr")))
            .with_context(|| format!("creating {}", datadir.display()))?;
        let p2p_port = alloc_port()?;
        let rpc_port = alloc_port()?;
        let mut conf = core_config(p2p_port, rpc_port);
        // Core's framework (bind_to_localhost_only) appends this, so the node listens on
        // 127.0.0.1 only and needs no onion bind port.
        conf.push_str("bind=127.0.0.1\n");
        for line in &options.extra_conf {
            conf.push_str(line);
            conf.push('\n');
        }
        let conf_path = datadir.join("umkoin.conf");
        std::fs::write(&conf_path, conf)
            .with_context(|| format!("writing {}", conf_path.display()))?;

        let chain = ChainType::Regtest;
        let mut base_args: Vec<OsString> = vec![
            format!("-datadir={}", datadir.display()).into(),
            "-logtimemicros".into(),
            "-debug".into(),
            "-debugexclude=libevent".into(),
            "-debugexclude=leveldb".into(),
            "-debugexclude=rand".into(),
            format!("-uacomment=testnode{index}").into(),
        ];
        if options.uses_wallet == Some(false) {
            base_args.push("-disablewallet".into());
        }
        let mut ipc_socket = None;
        let mut ipc_tmp_dir = None;
        if options.ipcbind {
            let socket = datadir.join(chain.subdir()).join("node.sock");
            if socket.as_os_str().len() < UNIX_PATH_MAX {
                base_args.push("-ipcbind=unix".into());
                ipc_socket = Some(socket);
            } else {
                let dir = tempfile::Builder::new()
                    .prefix("test-ipc-")
                    .tempdir()
                    .context("creating a short directory for the IPC socket")?;
                let socket = dir.path().join("node.sock");
                base_args.push(format!("-ipcbind=unix:{}", socket.display()).into());
                ipc_socket = Some(socket);
                ipc_tmp_dir = Some(dir);
            }
        }
        for a in [
            "-logthreadnames",
            "-logsourcelocations",
            "-loglevel=trace",
            "-nologratelimit",
            "-v2transport=0",
        ] {
            base_args.push(a.into());
        }
        Ok(TestNode {
            index,
            datadir,
            test_dir: test_dir.to_path_buf(),
            chain,
            binaries,
            p2p_port,
            rpc_port,
            base_args,
            extra_args: options.extra_args,
            ipcbind: options.ipcbind,
            ipc_socket,
            ipc_tmp_dir,
            process: None,
            starts: 0,
            stdout_path: None,
            stderr_path: None,
            last_command: Vec::new(),
            rpc: None,
            rpc_timeout: scaled(RPC_TIMEOUT),
        })
    }

    /// The node's number in its test.
    pub fn index(&self) -> usize {
        self.index
    }

    /// `<test dir>/node<i>`.
    pub fn datadir(&self) -> &Path {
        &self.datadir
    }

    /// `<datadir>/regtest`.
    pub fn chain_path(&self) -> PathBuf {
        self.datadir.join(self.chain.subdir())
    }

    /// `<datadir>/regtest/debug.log`.
    pub fn debug_log_path(&self) -> PathBuf {
        self.chain_path().join("debug.log")
    }

    /// `<datadir>/regtest/.cookie`.
    pub fn cookie_path(&self) -> PathBuf {
        self.chain_path().join(".cookie")
    }

    /// `<datadir>/umkoin.conf`.
    pub fn conf_path(&self) -> PathBuf {
        self.datadir.join("umkoin.conf")
    }

    /// The IPC socket, when the node was created with `ipcbind`.
    pub fn ipc_socket_path(&self) -> Option<&Path> {
        self.ipc_socket.as_deref()
    }

    /// The chain (regtest).
    pub fn chain(&self) -> ChainType {
        self.chain
    }

    /// The P2P port from `umkoin.conf`.
    pub fn p2p_port(&self) -> u16 {
        self.p2p_port
    }

    /// The RPC port from `umkoin.conf`.
    pub fn rpc_port(&self) -> u16 {
        self.rpc_port
    }

    /// The binaries this node runs.
    pub fn binaries(&self) -> &Binaries {
        &self.binaries
    }

    /// The process id, while running.
    pub fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(Child::id)
    }

    /// Whether a process was started and not yet seen to exit.
    pub fn is_running(&self) -> bool {
        self.process.is_some()
    }

    /// The command line of the last start, shell-quoted for display.
    pub fn command_line(&self) -> String {
        self.last_command
            .iter()
            .map(|a| {
                let s = a.to_string_lossy();
                if s.is_empty() || s.contains(|c: char| c.is_whitespace() || "'\"\\$`".contains(c))
                {
                    format!("'{}'", s.replace('\'', "'\\''"))
                } else {
                    s.into_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The stderr file of the last start.
    pub fn stderr_path(&self) -> Option<&Path> {
        self.stderr_path.as_deref()
    }

    /// The stdout file of the last start.
    pub fn stdout_path(&self) -> Option<&Path> {
        self.stdout_path.as_deref()
    }

    /// The standard error of the last start so far.
    pub fn read_stderr(&self) -> String {
        self.stderr_path
            .as_deref()
            .and_then(|p| std::fs::read(p).ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    /// The standard output of the last start so far.
    pub fn read_stdout(&self) -> String {
        self.stdout_path
            .as_deref()
            .and_then(|p| std::fs::read(p).ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    /// The RPC client of the running node.
    ///
    /// # Panics
    /// When the node is not running or [`TestNode::wait_for_rpc_connection`] has not
    /// succeeded since it was started.
    pub fn rpc(&self) -> &RpcClient {
        self.rpc.as_ref().unwrap_or_else(|| {
            panic!(
                "[node {}] no RPC connection: start the node first",
                self.index
            )
        })
    }

    /// The RPC client, if connected.
    pub fn try_rpc(&self) -> Option<&RpcClient> {
        self.rpc.as_ref()
    }

    /// Shorthand for `self.rpc().call(method, params)`.
    pub fn call(&self, method: &str, params: Value) -> Result<Value, RpcError> {
        self.rpc().call(method, params)
    }

    /// Appends `lines` to `umkoin.conf` (they land in its `[regtest]` section).
    pub fn append_config(&self, lines: &[&str]) -> Result<()> {
        use std::io::Write;
        let path = self.conf_path();
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        for line in lines {
            writeln!(f, "{line}").with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }

    /// Replaces text in `umkoin.conf` (Core's `replace_in_config`).
    pub fn replace_in_config(&self, replacements: &[(&str, &str)]) -> Result<()> {
        let path = self.conf_path();
        let mut text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        for (old, new) in replacements {
            text = text.replace(old, new);
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    }

    /// The environment of every child: nothing inherited but `PATH` (and
    /// `LD_LIBRARY_PATH` when set); `HOME` is the test directory.
    fn clean_command(&self, program: &OsString) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear();
        cmd.env("PATH", crate::binaries::child_path());
        // A clean environment, but what diagnoses a failure passes through: backtraces,
        // coverage output, sanitizer settings, the library path, the temp folder.
        for var in [
            "LD_LIBRARY_PATH",
            "RUST_BACKTRACE",
            "RUST_LIB_BACKTRACE",
            "LLVM_PROFILE_FILE",
            "ASAN_OPTIONS",
            "LSAN_OPTIONS",
            "TSAN_OPTIONS",
            "UBSAN_OPTIONS",
            "TMPDIR",
        ] {
            if let Some(v) = std::env::var_os(var) {
                cmd.env(var, v);
            }
        }
        cmd.env("HOME", &self.test_dir);
        cmd.env("LANG", "C");
        cmd.env("LC_ALL", "C");
        // Make glibc write its fatal errors to stderr rather than the terminal.
        cmd.env("LIBC_FATAL_STDERR_", "1");
        cmd.current_dir(&self.test_dir);
        cmd.stdin(Stdio::null());
        cmd
    }

    /// Starts the process with the standard arguments plus `extra_args`, without waiting
    /// for RPC (Core's `TestNode.start`).
    pub fn spawn(&mut self, extra_args: &[&str]) -> Result<()> {
        if self.process.is_some() {
            bail!("[node {}] already running", self.index);
        }
        // A leftover cookie (unclean shutdown) would be overwritten by the node anyway and
        // could be read before that happens.
        let cookie = self.cookie_path();
        if cookie.exists() {
            std::fs::remove_file(&cookie)
                .with_context(|| format!("removing {}", cookie.display()))?;
        }
        self.starts += 1;
        let stdout_path = self
            .datadir
            .join("stdout")
            .join(format!("start-{}", self.starts));
        let stderr_path = self
            .datadir
            .join("stderr")
            .join(format!("start-{}", self.starts));
        let stdout = File::create(&stdout_path)
            .with_context(|| format!("creating {}", stdout_path.display()))?;
        let stderr = File::create(&stderr_path)
            .with_context(|| format!("creating {}", stderr_path.display()))?;

        let mut argv = self.binaries.node_argv(self.ipcbind)?;
        argv.extend(self.base_args.iter().cloned());
        argv.extend(extra_args.iter().map(OsString::from));
        self.last_command = argv.clone();
        self.stdout_path = Some(stdout_path);
        self.stderr_path = Some(stderr_path);
        self.rpc = None;
        let mut cmd = self.clean_command(&argv[0]);
        cmd.args(&argv[1..]).stdout(stdout).stderr(stderr);
        let child = cmd
            .spawn()
            .with_context(|| format!("[node {}] spawning {}", self.index, self.command_line()))?;
        self.process = Some(child);
        Ok(())
    }

    /// Starts the node with its default extra arguments and waits for RPC (Core's
    /// `start_node`).
    pub fn start(&mut self) -> Result<()> {
        let args = self.extra_args.clone();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.start_with_args(&args)
    }

    /// Starts the node with `extra_args` (instead of its defaults) and waits for RPC.
    pub fn start_with_args(&mut self, extra_args: &[&str]) -> Result<()> {
        self.spawn(extra_args)?;
        self.wait_for_rpc_connection()
    }

    /// Appends `conf_lines` to `umkoin.conf`, then starts with `extra_args`.
    pub fn start_with_conf(&mut self, conf_lines: &[&str], extra_args: &[&str]) -> Result<()> {
        self.append_config(conf_lines)?;
        self.start_with_args(extra_args)
    }

    /// The RPC credentials: `rpcuser`/`rpcpassword` from `umkoin.conf`, overridden by the
    /// cookie file when it exists (as Core's `get_auth_cookie`). `None` while neither is
    /// there.
    pub fn credentials(&self) -> Result<Option<Credentials>> {
        let mut user = None;
        let mut password = None;
        if let Ok(conf) = std::fs::read_to_string(self.conf_path()) {
            for line in conf.lines() {
                if let Some(v) = line.strip_prefix("rpcuser=") {
                    user = Some(v.to_owned());
                }
                if let Some(v) = line.strip_prefix("rpcpassword=") {
                    password = Some(v.to_owned());
                }
            }
        }
        let cookie = self.cookie_path();
        if cookie.exists() {
            match Credentials::from_cookie_file(&cookie) {
                Ok(c) => return Ok(Some(c)),
                // Removed between the check and the read: treat as missing.
                Err(_) if !cookie.exists() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(match (user, password) {
            (Some(u), Some(p)) => Some(Credentials::new(u, p)),
            _ => None,
        })
    }

    /// A fresh RPC client with the current credentials (for tests that need a second
    /// connection or other settings).
    pub fn new_rpc_client(&self) -> Result<RpcClient> {
        let creds = self.credentials()?.ok_or_else(|| {
            anyhow!(
                "[node {}] no RPC credentials (no cookie, no rpcuser)",
                self.index
            )
        })?;
        Ok(RpcClient::new("127.0.0.1", self.rpc_port, Some(creds))
            .with_timeout(self.rpc_timeout / 2))
    }

    /// Fails, with the node's stderr, if the process has exited.
    fn check_alive(&mut self, during: &str) -> Result<()> {
        let index = self.index;
        let Some(child) = self.process.as_mut() else {
            bail!("[node {index}] not running");
        };
        if let Some(status) = child.try_wait().context("waiting for node")? {
            self.process = None;
            self.rpc = None;
            let stderr = self.read_stderr();
            bail!(
                "[node {index}] exited with {} during {during}. stderr:\n{}",
                describe_status(status),
                stderr.trim_end()
            );
        }
        Ok(())
    }

    /// Polls until the node answers RPC and `getmempoolinfo` reports `"loaded": true`
    /// (Core's `wait_for_rpc_connection`). Tolerated while polling: a missing cookie,
    /// transport errors (connection refused or reset, timeouts), RPC error -28 (warm-up),
    /// HTTP 503. Fails at once if the process exits, with its stderr; fails after the RPC
    /// timeout (60 s, scaled) listing what was tolerated.
    pub fn wait_for_rpc_connection(&mut self) -> Result<()> {
        let deadline = Instant::now() + self.rpc_timeout;
        let mut backoff = Backoff::new();
        let mut tolerated: std::collections::BTreeMap<String, u32> = Default::default();
        let mut latest = String::new();
        loop {
            self.check_alive("initialization")?;
            let mut note = |category: String, detail: String| {
                *tolerated.entry(category).or_default() += 1;
                latest = detail;
            };
            match self.credentials()? {
                None => note("missing_credentials".into(), "no cookie file yet".into()),
                Some(creds) => {
                    let client = RpcClient::new("127.0.0.1", self.rpc_port, Some(creds))
                        .with_timeout(self.rpc_timeout / 2);
                    let probe = client
                        .call("getblockcount", Value::Null)
                        .and_then(|_| client.call("getmempoolinfo", Value::Null));
                    match probe {
                        Ok(info) if info.get("loaded") == Some(&Value::Bool(true)) => {
                            self.rpc = Some(client);
                            return Ok(());
                        }
                        Ok(info) => note("mempool_not_loaded".into(), info.to_string()),
                        Err(e @ RpcError::Rpc { code: c, .. }) if c == code::IN_WARMUP => {
                            note(format!("RPC error {c}"), e.to_string())
                        }
                        Err(e @ RpcError::Http { status: 503, .. }) => {
                            note("HTTP 503".into(), e.to_string())
                        }
                        Err(e @ RpcError::Transport { kind, .. }) => {
                            note(format!("transport {kind:?}"), e.to_string())
                        }
                        Err(e) => {
                            return Err(anyhow!(e).context(format!(
                                "[node {}] unexpected error while waiting for RPC",
                                self.index
                            )));
                        }
                    }
                }
            }
            if Instant::now() >= deadline {
                bail!(
                    "[node {}] unable to connect to the node after {:.0}s (tolerated errors: {tolerated:?}, latest: {latest})",
                    self.index,
                    self.rpc_timeout.as_secs_f64()
                );
            }
            backoff.sleep_until_next(deadline);
        }
    }

    /// Stops the node with the `stop` RPC, then waits for exit code 0 and an empty stderr
    /// (Core's `stop_node`). A node that is not running is left alone.
    pub fn stop(&mut self) -> Result<()> {
        self.stop_expecting_stderr("")
    }

    /// As [`TestNode::stop`], expecting `expected_stderr` (compared trimmed) instead of an
    /// empty stderr.
    pub fn stop_expecting_stderr(&mut self, expected_stderr: &str) -> Result<()> {
        self.send_stop()?;
        self.wait_until_stopped(0, Some(expected_stderr))
    }

    /// Sends the `stop` RPC without waiting for the process to exit.
    pub fn send_stop(&mut self) -> Result<()> {
        if self.process.is_none() {
            return Ok(());
        }
        let Some(rpc) = self.rpc.as_ref() else {
            bail!(
                "[node {}] stop requested on a running node without RPC connection \
                 (call wait_for_rpc_connection after spawn)",
                self.index
            );
        };
        rpc.call("stop", Value::Null)
            .with_context(|| format!("[node {}] stop RPC", self.index))?;
        Ok(())
    }

    /// Waits (60 s, scaled) for the process to exit with `expected_code`, then checks
    /// its stderr equals `expected_stderr` (trimmed) unless that is `None`.
    pub fn wait_until_stopped(
        &mut self,
        expected_code: i32,
        expected_stderr: Option<&str>,
    ) -> Result<()> {
        let status = self.wait_for_exit(scaled(PROCESS_WAIT_TIMEOUT))?;
        if status.code() != Some(expected_code) {
            bail!(
                "[node {}] unexpected exit when stopping: {} (expected code {expected_code}). stderr:\n{}",
                self.index,
                describe_status(status),
                self.read_stderr().trim_end()
            );
        }
        if let Some(expected) = expected_stderr {
            let stderr = self.read_stderr();
            if stderr.trim() != expected.trim() {
                bail!(
                    "[node {}] unexpected stderr {:?} != {:?}",
                    self.index,
                    stderr.trim(),
                    expected.trim()
                );
            }
        }
        Ok(())
    }

    /// Polls for the process to exit within `timeout`; forgets it and its RPC client.
    fn wait_for_exit(&mut self, timeout: Duration) -> Result<ExitStatus> {
        let index = self.index;
        let child = self
            .process
            .as_mut()
            .ok_or_else(|| anyhow!("[node {index}] not running"))?;
        let deadline = Instant::now() + timeout;
        let mut backoff = Backoff::new();
        loop {
            if let Some(status) = child.try_wait().context("waiting for node")? {
                self.process = None;
                self.rpc = None;
                return Ok(status);
            }
            if Instant::now() >= deadline {
                bail!(
                    "[node {index}] did not exit within {:.0}s (pid {})",
                    timeout.as_secs_f64(),
                    child.id()
                );
            }
            backoff.sleep_until_next(deadline);
        }
    }

    /// Stops and starts again with the default extra arguments.
    pub fn restart(&mut self) -> Result<()> {
        self.stop()?;
        self.start()
    }

    /// Stops and starts again with `extra_args`.
    pub fn restart_with_args(&mut self, extra_args: &[&str]) -> Result<()> {
        self.stop()?;
        self.start_with_args(extra_args)
    }

    /// Kills the process with SIGKILL and waits for it to die (Core's `kill_process`).
    pub fn kill(&mut self) -> Result<()> {
        let index = self.index;
        let child = self
            .process
            .as_mut()
            .ok_or_else(|| anyhow!("[node {index}] not running"))?;
        child
            .kill()
            .with_context(|| format!("[node {index}] SIGKILL"))?;
        let status = self.wait_for_exit(scaled(PROCESS_WAIT_TIMEOUT))?;
        if status.signal() != Some(libc::SIGKILL) {
            bail!(
                "[node {index}] expected death by SIGKILL, got {}",
                describe_status(status)
            );
        }
        Ok(())
    }

    /// Starts the node with `extra_args` and expects it to fail initialisation: exit code
    /// 1 within the RPC timeout, and stderr matching `expected_msg` (when given) as
    /// `how` says. Core's `assert_start_raises_init_error`.
    pub fn assert_start_raises_init_error(
        &mut self,
        extra_args: &[&str],
        expected_msg: Option<&str>,
        how: ErrorMatch,
    ) -> Result<()> {
        if self.process.is_some() {
            bail!(
                "[node {}] assert_start_raises_init_error on a running node",
                self.index
            );
        }
        self.spawn(extra_args)?;
        let timeout = self.rpc_timeout;
        let status = match self.wait_for_exit(timeout) {
            Ok(s) => s,
            Err(_) => {
                let _ = self.kill();
                bail!(
                    "[node {}] should have exited within {:.0}s with error {:?} (cmd: {})",
                    self.index,
                    timeout.as_secs_f64(),
                    expected_msg.unwrap_or("<any>"),
                    self.command_line()
                );
            }
        };
        let stderr = self.read_stderr();
        let stderr = stderr.trim();
        if status.code() != Some(1) {
            bail!(
                "[node {}] expected exit code 1 on init error, got {}. stderr:\n{stderr}",
                self.index,
                describe_status(status)
            );
        }
        if let Some(expected) = expected_msg {
            let ok = match how {
                ErrorMatch::Full => stderr == expected.trim(),
                ErrorMatch::Partial => stderr.contains(expected),
            };
            if !ok {
                let kind = match how {
                    ErrorMatch::Full => "fully",
                    ErrorMatch::Partial => "partially",
                };
                bail!(
                    "[node {}] expected message {expected:?} does not {kind} match stderr:\n{stderr:?}",
                    self.index
                );
            }
        }
        Ok(())
    }

    /// The size of `debug.log` now (0 if it does not exist).
    pub fn debug_log_size(&self) -> u64 {
        std::fs::metadata(self.debug_log_path())
            .map(|m| m.len())
            .unwrap_or(0)
    }

    /// What `debug.log` gained after byte `offset` (all of it if it shrank).
    pub fn debug_log_since(&self, offset: u64) -> Result<String> {
        let path = self.debug_log_path();
        let mut f = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
            Err(e) => return Err(e).with_context(|| format!("opening {}", path.display())),
        };
        let len = f.metadata()?.len();
        f.seek(SeekFrom::Start(if len < offset { 0 } else { offset }))?;
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Runs `body` and checks that `debug.log` gained every `expected` string and none
    /// of the `unexpected` ones (Core's `assert_debug_log`). The new part of the log is
    /// polled for up to 5 s (scaled); failures list what is missing and show that part.
    pub fn assert_debug_log<R>(
        &mut self,
        expected: &[&str],
        unexpected: &[&str],
        body: impl FnOnce(&mut TestNode) -> Result<R>,
    ) -> Result<R> {
        self.assert_debug_log_within(DEBUG_LOG_TIMEOUT, expected, unexpected, body)
    }

    /// As [`TestNode::assert_debug_log`] with a given polling timeout (scaled).
    pub fn assert_debug_log_within<R>(
        &mut self,
        timeout: Duration,
        expected: &[&str],
        unexpected: &[&str],
        body: impl FnOnce(&mut TestNode) -> Result<R>,
    ) -> Result<R> {
        let start = self.debug_log_size();
        let result = body(self)?;
        let deadline = Instant::now() + scaled(timeout);
        let mut backoff = Backoff::new();
        loop {
            let log = self.debug_log_since(start)?;
            if let Some(bad) = unexpected.iter().find(|u| log.contains(**u)) {
                bail!(
                    "[node {}] unexpected message {bad:?} found in log:\n\n{}\n",
                    self.index,
                    indent(&log, " - ")
                );
            }
            let missing: Vec<&str> = expected
                .iter()
                .copied()
                .filter(|e| !log.contains(e))
                .collect();
            if missing.is_empty() {
                return Ok(result);
            }
            if Instant::now() >= deadline {
                bail!(
                    "[node {}] expected message(s) {missing:?} not found in log:\n\n{}\n",
                    self.index,
                    indent(&log, " - ")
                );
            }
            backoff.sleep_until_next(deadline);
        }
    }

    /// Runs the RPC client with `-datadir=<datadir> -rpcclienttimeout=<30 s, scaled>`
    /// and `args`, and returns what it printed, whatever its exit code.
    pub fn cli(&self, args: &[&str]) -> Result<CliOutput> {
        let mut argv = self.binaries.rpc_argv()?;
        argv.push(format!("-datadir={}", self.datadir.display()).into());
        argv.push(
            format!(
                "-rpcclienttimeout={}",
                (self.rpc_timeout / 2).as_secs().max(1)
            )
            .into(),
        );
        argv.extend(args.iter().map(OsString::from));
        let mut cmd = self.clean_command(&argv[0]);
        cmd.args(&argv[1..])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .with_context(|| format!("[node {}] running {:?}", self.index, argv))?;
        // Drain both pipes while waiting, so a chatty client never blocks on a full pipe.
        let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
            std::thread::spawn(move || {
                let mut out = Vec::new();
                if let Some(mut p) = pipe {
                    let _ = p.read_to_end(&mut out);
                }
                out
            })
        };
        let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
        let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
        let deadline = std::time::Instant::now() + self.rpc_timeout;
        let mut backoff = crate::util::Backoff::new();
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                bail!(
                    "[node {}] the RPC client did not finish within {:?}: {:?}",
                    self.index,
                    self.rpc_timeout,
                    argv
                );
            }
            backoff.sleep_until_next(deadline);
        };
        let read = |h: std::thread::JoinHandle<Vec<u8>>| {
            String::from_utf8_lossy(&h.join().unwrap_or_default()).into_owned()
        };
        Ok(CliOutput {
            code: status.code(),
            stdout: read(stdout),
            stderr: read(stderr),
        })
    }

    /// Calls an RPC through the RPC client binary, as Core's `TestNodeCLI.send_cli`: the
    /// output parsed as JSON (or returned as a string when it is not JSON; `null` when
    /// empty); an `error code: N\nerror message:\n...` stderr becomes [`RpcError::Rpc`].
    pub fn cli_call(&self, args: &[&str]) -> Result<Value, RpcError> {
        let out = self.cli(args).map_err(|e| RpcError::Cli {
            code: None,
            stderr: format!("{e:#}"),
        })?;
        if out.code != Some(0) {
            return Err(parse_cli_error(&out));
        }
        let text = out.stdout.trim_end_matches('\n');
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        Ok(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())))
    }

    /// A description for failure reports: command line, datadir, stderr and the last
    /// `n` lines of `debug.log`.
    pub fn diagnostics(&mut self, n: usize) -> String {
        // A process that died (a crash, a signal) shows how; it is reaped here.
        let state = match self.process.as_mut().map(|c| (c.id(), c.try_wait())) {
            Some((pid, Ok(None))) => format!("running, pid {pid}"),
            Some((pid, Ok(Some(status)))) => {
                self.process = None;
                format!("exited (pid {pid}): {status}")
            }
            Some((pid, Err(e))) => format!("pid {pid}, state unknown: {e}"),
            None => "not running".to_owned(),
        };
        let log = std::fs::read(self.debug_log_path())
            .map(|b| last_lines(&String::from_utf8_lossy(&b), n))
            .unwrap_or_else(|e| format!("<{e}>"));
        let stderr = self.read_stderr();
        format!(
            "[node {}] {state}\n  command: {}\n  datadir: {}\n  stderr ({}):\n{}\n  last {n} lines of {}:\n{}",
            self.index,
            self.command_line(),
            self.datadir.display(),
            self.stderr_path
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            indent(stderr.trim_end(), "    "),
            self.debug_log_path().display(),
            indent(&log, "    "),
        )
    }
}

impl Drop for TestNode {
    fn drop(&mut self) {
        if let Some(mut child) = self.process.take() {
            eprintln!(
                "[node {}] cleaning up leftover process {}",
                self.index,
                child.id()
            );
            let _ = child.kill();
            let _ = child.wait();
        }
        // The IPC temp dir (if any) is removed by its own Drop.
        let _ = self.ipc_tmp_dir.take();
    }
}

fn describe_status(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(c), _) => format!("exit code {c}"),
        (None, Some(s)) => format!("signal {s}"),
        _ => status.to_string(),
    }
}

fn parse_cli_error(out: &CliOutput) -> RpcError {
    let stderr = out.stderr.as_str();
    if let Some(rest) = stderr.strip_prefix("error code: ")
        && let Some((code, rest)) = rest.split_once('\n')
        && let Ok(code) = code.trim().parse::<i64>()
        && let Some(message) = rest.strip_prefix("error message:\n")
    {
        return RpcError::Rpc {
            code,
            message: message.trim_end().to_owned(),
            http_status: 0,
        };
    }
    RpcError::Cli {
        code: out.code,
        stderr: stderr.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_matches_cores_write_config() {
        let conf = core_config(1, 2);
        assert!(
            conf.starts_with("regtest=1\n[regtest]\nport=1\nrpcport=2\nrpcservertimeout=99000\n")
        );
        assert!(conf.contains("\nconnect=0\nmaxconnections=94\npar="));
    }

    #[test]
    fn cli_errors_are_parsed() {
        let out = CliOutput {
            code: Some(8),
            stdout: String::new(),
            stderr: "error code: -8\nerror message:\nBlock height out of range\n".into(),
        };
        let e = parse_cli_error(&out);
        assert_eq!(e.code(), Some(-8));
        assert_eq!(e.message(), Some("Block height out of range"));
        let out = CliOutput {
            code: Some(1),
            stdout: String::new(),
            stderr: "error: timeout".into(),
        };
        assert!(matches!(
            parse_cli_error(&out),
            RpcError::Cli { code: Some(1), .. }
        ));
    }
}
