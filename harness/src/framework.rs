//! The test runner: sets up a test directory and nodes, runs a test body, tears down,
//! and reports failures, as Core's `test_framework/test_framework.py` does.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

use crate::binaries::Binaries;
use crate::node::{NodeOptions, TestNode};
use crate::util::try_wait_until;

/// Names the environment variable holding the directory test directories are created
/// in (default: `$TMPDIR`, i.e. [`std::env::temp_dir`]).
pub const TEST_DIR_ENV: &str = "UMKOIN_TEST_DIR";

/// The folder test directories are made in: `UMKOIN_TEST_DIR`, else `$TMPDIR`.
pub fn test_root() -> std::path::PathBuf {
    std::env::var_os(TEST_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir)
}
/// Names the environment variable that, when set to anything but `0`, keeps the test
/// directory of passing tests too (Core's `--nocleanup`).
pub const NOCLEANUP_ENV: &str = "UMKOIN_NOCLEANUP";

/// How many `debug.log` lines a failure report shows per node.
const LOG_TAIL_LINES: usize = 40;

/// A test's set-up, built step by step, then run with [`TestFramework::run`].
///
/// ```no_run
/// use umkoin_harness::TestFramework;
/// use serde_json::json;
///
/// TestFramework::new("example")
///     .num_nodes(2)
///     .extra_args([vec!["-blocksonly"], vec![]])
///     .run(|t| {
///         assert_eq!(t.nodes[0].call("getblockcount", json!([]))?, json!(0));
///         Ok(())
///     });
/// ```
#[derive(Debug, Clone)]
pub struct TestFramework {
    name: String,
    num_nodes: usize,
    extra_args: Vec<Vec<String>>,
    extra_conf: Vec<Vec<String>>,
    setup_clean_chain: bool,
    uses_wallet: Option<bool>,
    ipcbind: bool,
    start_nodes: bool,
    binaries: Option<Binaries>,
}

impl TestFramework {
    /// A test named `name` (used in its directory name) with one node.
    pub fn new(name: &str) -> Self {
        TestFramework {
            name: name.to_owned(),
            num_nodes: 1,
            extra_args: Vec::new(),
            extra_conf: Vec::new(),
            setup_clean_chain: false,
            uses_wallet: Some(false),
            ipcbind: false,
            start_nodes: true,
            binaries: None,
        }
    }

    /// The number of nodes.
    pub fn num_nodes(mut self, n: usize) -> Self {
        self.num_nodes = n;
        self
    }

    /// Extra arguments per node (node `i` gets the `i`th list; missing lists are empty).
    pub fn extra_args<I, J, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = J>,
        J: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.extra_args = args
            .into_iter()
            .map(|a| a.into_iter().map(Into::into).collect())
            .collect();
        self
    }

    /// Extra `umkoin.conf` lines per node, as [`TestFramework::extra_args`].
    pub fn extra_conf<I, J, S>(mut self, lines: I) -> Self
    where
        I: IntoIterator<Item = J>,
        J: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.extra_conf = lines
            .into_iter()
            .map(|a| a.into_iter().map(Into::into).collect())
            .collect();
        self
    }

    /// Core's `setup_clean_chain`: true starts from the genesis block alone; false (the
    /// default) from Core's cached 199-block chain (see [`crate::cache`]).
    pub fn setup_clean_chain(mut self, clean: bool) -> Self {
        self.setup_clean_chain = clean;
        self
    }

    /// Core's `uses_wallet`: `Some(false)` (default) starts nodes with `-disablewallet`.
    pub fn uses_wallet(mut self, uses_wallet: Option<bool>) -> Self {
        self.uses_wallet = uses_wallet;
        self
    }

    /// Start nodes through the wrapper with `-m` and `-ipcbind=unix`.
    pub fn ipcbind(mut self, ipcbind: bool) -> Self {
        self.ipcbind = ipcbind;
        self
    }

    /// Whether to start the nodes before the body runs (default true); when false they
    /// are created (datadir, config, ports) but left stopped.
    pub fn start_nodes(mut self, start: bool) -> Self {
        self.start_nodes = start;
        self
    }

    /// Use these binaries instead of [`Binaries::from_env`].
    pub fn binaries(mut self, binaries: Binaries) -> Self {
        self.binaries = Some(binaries);
        self
    }

    /// Runs the test and panics if it fails (for `#[test]` functions). See
    /// [`TestFramework::try_run`].
    pub fn run(self, body: impl FnOnce(&mut TestContext) -> Result<()>) {
        let name = self.name.clone();
        if let Err(e) = self.try_run(body) {
            panic!("test {name} failed: {e:?}");
        }
    }

    /// Creates the test directory and nodes, starts them, runs `body`, stops the nodes.
    ///
    /// On success the directory is removed (unless `UMKOIN_NOCLEANUP` is set). On failure
    /// (an error or a panic, in set-up, body or tear-down) every node's command line,
    /// datadir, stderr and last 40 `debug.log` lines are printed, running nodes are
    /// killed, and the directory is kept and its path printed; a panic is then resumed,
    /// an error returned.
    pub fn try_run(self, body: impl FnOnce(&mut TestContext) -> Result<()>) -> Result<()> {
        let root = test_root();
        std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
        let short: String = self
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(24)
            .collect();
        let dir = tempfile::Builder::new()
            .prefix(&format!("umkoin_func_test_{short}_"))
            .tempdir_in(&root)
            .with_context(|| format!("creating a test directory in {}", root.display()))?
            .keep();
        eprintln!("[{}] test directory {}", self.name, dir.display());

        let mut ctx = TestContext {
            name: self.name.clone(),
            dir: dir.clone(),
            binaries: self.binaries.clone().unwrap_or_else(Binaries::from_env),
            uses_wallet: self.uses_wallet,
            ipcbind: self.ipcbind,
            nodes: Vec::new(),
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<()> {
            self.setup(&mut ctx).context("set-up")?;
            body(&mut ctx)?;
            ctx.stop_nodes().context("tear-down")
        }));
        let failure = match &outcome {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(format!("{e:?}")),
            Err(_) => Some("panicked (message above)".to_owned()),
        };
        let Some(failure) = failure else {
            drop(ctx);
            let keep = std::env::var_os(NOCLEANUP_ENV).is_some_and(|v| v != "0");
            if keep {
                eprintln!("[{}] passed; keeping {}", self.name, dir.display());
            } else if let Err(e) = std::fs::remove_dir_all(&dir) {
                eprintln!("[{}] could not remove {}: {e}", self.name, dir.display());
            }
            return Ok(());
        };
        eprintln!("\n[{}] FAILED: {failure}", self.name);
        for node in &mut ctx.nodes {
            eprintln!("\n{}", node.diagnostics(LOG_TAIL_LINES));
        }
        // Dropping the nodes kills what still runs.
        drop(ctx);
        eprintln!("\n[{}] test directory kept: {}\n", self.name, dir.display());
        match outcome {
            Err(panic) => resume_unwind(panic),
            Ok(Err(e)) => Err(e.context(format!("test directory kept: {}", dir.display()))),
            Ok(Ok(())) => Ok(()),
        }
    }

    fn setup(&self, ctx: &mut TestContext) -> Result<()> {
        if self.extra_args.len() > self.num_nodes {
            bail!(
                "extra_args has {} lists for {} nodes",
                self.extra_args.len(),
                self.num_nodes
            );
        }
        // Core's cached 199-block chain, unless the test wants a clean one.
        let cache = if self.setup_clean_chain {
            None
        } else {
            Some(crate::cache::cached_chain(&ctx.binaries)?)
        };
        for i in 0..self.num_nodes {
            let options = NodeOptions {
                extra_args: self.extra_args.get(i).cloned().unwrap_or_default(),
                extra_conf: self.extra_conf.get(i).cloned().unwrap_or_default(),
                uses_wallet: self.uses_wallet,
                ipcbind: self.ipcbind,
            };
            let index = ctx.add_node(options)?;
            if let Some(cache) = &cache {
                crate::cache::copy_into(cache, &ctx.nodes[index].chain_path())?;
            }
        }
        if self.start_nodes {
            ctx.start_nodes()?;
        }
        Ok(())
    }
}

/// What a test body works with: its directory, binaries and nodes.
#[derive(Debug)]
pub struct TestContext {
    name: String,
    dir: PathBuf,
    binaries: Binaries,
    uses_wallet: Option<bool>,
    ipcbind: bool,
    /// The nodes, by index.
    pub nodes: Vec<TestNode>,
}

impl TestContext {
    /// The test's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The test directory (`<root>/umkoin_func_test_<name>_<random>`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The binaries under test.
    pub fn binaries(&self) -> &Binaries {
        &self.binaries
    }

    /// Whether the binaries under test are Umkoin Core's.
    pub fn is_core(&self) -> bool {
        self.binaries.is_core()
    }

    /// Node `i`.
    ///
    /// # Panics
    /// When there is no node `i`.
    pub fn node(&mut self, i: usize) -> &mut TestNode {
        let n = self.nodes.len();
        self.nodes
            .get_mut(i)
            .unwrap_or_else(|| panic!("no node {i}: the test has {n}"))
    }

    /// Core's `generate(node, n)`: `generatetoaddress` of `n` blocks on node `i` to its
    /// deterministic address (the framework's first keys), then [`sync_blocks`] of the
    /// running nodes. The block hashes.
    ///
    /// [`sync_blocks`]: TestContext::sync_blocks
    pub fn generate(&mut self, i: usize, n: u32) -> Result<Vec<String>> {
        let address = crate::cache::CACHE_ADDRESSES[i % 3];
        let hashes = self
            .node(i)
            .call("generatetoaddress", json!([n, address]))
            .with_context(|| format!("generatetoaddress {n} on node {i}"))?;
        let hashes = hashes
            .as_array()
            .context("generatetoaddress answers an array")?
            .iter()
            .map(|h| h.as_str().map(str::to_owned).context("a block hash"))
            .collect::<Result<Vec<_>>>()?;
        self.sync_blocks()?;
        Ok(hashes)
    }

    /// Core's `sync_blocks`: waits until every running node has the same best block.
    pub fn sync_blocks(&self) -> Result<()> {
        try_wait_until(
            || {
                let tips = self
                    .nodes
                    .iter()
                    .filter(|n| n.is_running())
                    .map(|n| n.call("getbestblockhash", json!([])))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(tips.windows(2).all(|w| w[0] == w[1]))
            },
            Duration::from_secs(60),
        )
        .context("the nodes' best blocks did not agree")
    }

    /// Core's `sync_mempools`: waits until every running node's mempool holds the same
    /// transactions.
    pub fn sync_mempools(&self) -> Result<()> {
        try_wait_until(
            || {
                let pools = self
                    .nodes
                    .iter()
                    .filter(|n| n.is_running())
                    .map(|n| {
                        n.call("getrawmempool", json!([])).map(|v| {
                            let mut txids: Vec<String> = v
                                .as_array()
                                .map(|a| {
                                    a.iter()
                                        .filter_map(|t| t.as_str().map(str::to_owned))
                                        .collect()
                                })
                                .unwrap_or_default();
                            txids.sort();
                            txids
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(pools.windows(2).all(|w| w[0] == w[1]))
            },
            Duration::from_secs(60),
        )
        .context("the nodes' mempools did not agree")
    }

    /// Adds a node (stopped) with `options`; returns its index.
    pub fn add_node(&mut self, options: NodeOptions) -> Result<usize> {
        let i = self.nodes.len();
        let node = TestNode::new(i, &self.dir, self.binaries.clone(), options)?;
        self.nodes.push(node);
        Ok(i)
    }

    /// Adds `n` nodes (stopped) with the test's wallet and IPC settings and the given
    /// extra arguments; returns the index of the first.
    pub fn add_nodes(&mut self, n: usize, extra_args: &[&[&str]]) -> Result<usize> {
        let first = self.nodes.len();
        for k in 0..n {
            let options = NodeOptions {
                extra_args: extra_args
                    .get(k)
                    .map(|a| a.iter().map(|s| (*s).to_owned()).collect())
                    .unwrap_or_default(),
                extra_conf: Vec::new(),
                uses_wallet: self.uses_wallet,
                ipcbind: self.ipcbind,
            };
            self.add_node(options)?;
        }
        Ok(first)
    }

    /// Starts every stopped node with its default arguments: spawns all, then waits for
    /// each one's RPC (as Core's `start_nodes`).
    pub fn start_nodes(&mut self) -> Result<()> {
        for node in &mut self.nodes {
            if !node.is_running() {
                let args = node.extra_args.clone();
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                node.spawn(&args)?;
            }
        }
        for node in &mut self.nodes {
            if node.try_rpc().is_none() {
                node.wait_for_rpc_connection()?;
            }
        }
        Ok(())
    }

    /// Stops every running node: sends `stop` to all, then waits for each to exit with
    /// code 0 and an empty stderr (as Core's `stop_nodes`).
    pub fn stop_nodes(&mut self) -> Result<()> {
        for node in &mut self.nodes {
            node.send_stop()?;
        }
        for node in &mut self.nodes {
            if node.is_running() {
                node.wait_until_stopped(0, Some(""))?;
            }
        }
        Ok(())
    }

    /// Makes node `a` connect to node `b` (`addnode <b> onetry`) and waits until both
    /// see the connection with the version handshake done (a pong received), as Core's
    /// `connect_nodes`.
    pub fn connect_nodes(&mut self, a: usize, b: usize) -> Result<()> {
        let addr = format!("127.0.0.1:{}", self.nodes[b].p2p_port());
        self.nodes[a].call("addnode", json!([addr, "onetry"]))?;
        let subver = |n: &TestNode| -> Result<String> {
            let info = n.call("getnetworkinfo", json!([]))?;
            info["subversion"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| anyhow!("getnetworkinfo has no subversion: {info}"))
        };
        let (from_subver, to_subver) = (subver(&self.nodes[a])?, subver(&self.nodes[b])?);
        let timeout = Duration::from_secs(60);
        let handshake_done = |n: &TestNode, peer_subver: &str, inbound: bool| -> Result<bool> {
            let peers = n.call("getpeerinfo", json!([]))?;
            Ok(peers.as_array().is_some_and(|peers| {
                peers.iter().any(|p| {
                    p["subver"] == peer_subver
                        && p["inbound"] == Value::Bool(inbound)
                        && p["bytesrecv_per_msg"]["pong"].as_u64().unwrap_or(0) >= 29
                })
            }))
        };
        let (from, to) = (&self.nodes[a], &self.nodes[b]);
        try_wait_until(|| handshake_done(from, &to_subver, false), timeout)
            .with_context(|| format!("node {a} connecting to node {b}"))?;
        try_wait_until(|| handshake_done(to, &from_subver, true), timeout)
            .with_context(|| format!("node {b} accepting node {a}"))?;
        Ok(())
    }
}
