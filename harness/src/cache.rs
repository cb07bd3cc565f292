//! Core's cached chain: the 199 regtest blocks Umkoin Core's framework mines once and
//! copies into every test that does not ask for a clean chain, mined here the same way
//! (mock time at the genesis block's, 25 blocks at a time to the framework's first three
//! node addresses and its OP_TRUE taproot address), so the blocks are Core's, byte for
//! byte. Built once per node binary (its path, size and modification time name the
//! cache), under a file lock, so parallel tests share it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::json;

use crate::binaries::Binaries;
use crate::node::{NodeOptions, TestNode};

/// The framework's mining addresses: `TestNode.PRIV_KEYS[:3]` and
/// `create_deterministic_address_bcrt1_p2tr_op_true()`.
pub const CACHE_ADDRESSES: [&str; 4] = [
    "mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z",
    "msX6jQXvxiNhx3Q62PKeLPrhrqZQdSimTg",
    "mnonCMyH9TmAsSj3M59DsbH8H63U3RKoFP",
    "bcrt1p9yfmy5h72durp7zrhlw9lf7jpwjgvwdg0jr0lqmmjtgg83266lqsekaqka",
];

/// The cached chain's height.
pub const CACHE_HEIGHT: u64 = 199;

/// What a node's chain folder keeps from the cache (Core's framework keeps these).
const KEPT: [&str; 3] = ["blocks", "chainstate", "indexes"];

/// The folder holding the cached chain's `regtest/` for `binaries`' node, made first if
/// it does not exist yet.
pub fn cached_chain(binaries: &Binaries) -> Result<PathBuf> {
    let argv = binaries.node_argv(false)?;
    let exe = PathBuf::from(argv.first().context("a node command")?);
    // The command and the node binaries beside it (a wrapper runs `umkoin-node`), by
    // size and modification time: a new build makes a new cache.
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        argv.hash(&mut h);
        let dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
        for file in [exe.clone(), dir.join("umkoind"), dir.join("umkoin-node")] {
            if let Ok(meta) = std::fs::metadata(&file) {
                file.hash(&mut h);
                meta.len().hash(&mut h);
                meta.modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos())
                    .hash(&mut h);
            }
        }
        format!("{:016x}", h.finish())
    };
    let root = std::env::temp_dir().join("umkoin_func_cache");
    std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
    let done = root.join(&key);
    let lock = std::fs::File::create(root.join(format!("{key}.lock")))?;
    lock.lock().context("locking the chain cache")?;
    if !done.is_dir() {
        build(binaries, &root, &done).context("building the cached chain")?;
    }
    Ok(done)
}

fn build(binaries: &Binaries, root: &Path, done: &Path) -> Result<()> {
    let work = tempfile::Builder::new()
        .prefix("building-")
        .tempdir_in(root)?;
    let mut node = TestNode::new(0, work.path(), binaries.clone(), NodeOptions::default())?;
    node.start()?;
    let tip = node.call("getbestblockhash", json!([]))?;
    let time = node.call("getblockheader", json!([tip]))?["time"].clone();
    node.call("setmocktime", json!([time]))?;
    for i in 0..8 {
        let n = if i == 7 { 24 } else { 25 };
        node.call("generatetoaddress", json!([n, CACHE_ADDRESSES[i % 4]]))?;
    }
    let height = node.call("getblockcount", json!([]))?;
    if height != json!(CACHE_HEIGHT) {
        bail!("the cache node is at height {height}, not {CACHE_HEIGHT}");
    }
    node.stop()?;
    let chain_dir = node.chain_path();
    let keep = tempfile::Builder::new().prefix("kept-").tempdir_in(root)?;
    for name in KEPT {
        let from = chain_dir.join(name);
        if from.exists() {
            copy_dir(&from, &keep.path().join(name))?;
        }
    }
    std::fs::rename(keep.keep(), done)
        .with_context(|| format!("moving the cache to {}", done.display()))?;
    Ok(())
}

/// Copies the cached chain into `chain_dir` (a node's `<datadir>/regtest`).
pub fn copy_into(cache: &Path, chain_dir: &Path) -> Result<()> {
    for name in KEPT {
        let from = cache.join(name);
        if from.exists() {
            copy_dir(&from, &chain_dir.join(name))?;
        }
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else if entry.file_name() != ".lock" {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}
