//! The chain on disk: blocks appended to `blocks/blk?????.dat` and their undo data to
//! `blocks/rev?????.dat` (each framed by the network's message start and its length,
//! undo data followed by its checksum, as Core writes them), and the block index,
//! the UTXO set, the tip and the block files' write position in one redb database
//! under `chainstate/`, changed together in one transaction per batch of blocks.
//!
//! Blocks arrive as Core's `ProcessNewBlock` takes them: checked without context
//! (`CheckBlock`), their header and then the block checked against their parent, stored
//! and indexed, then the chain with the most work among the valid stored blocks becomes
//! the active one (`ActivateBestChain`), disconnecting blocks with their undo data and
//! connecting blocks with every input's coin and script checked (`ConnectBlock`). A
//! block that fails is marked invalid with its descendants, and the best valid chain
//! wins.
//!
//! Durability: a call's block and undo bytes are written and synced before the
//! transaction that names them commits, and redb syncs on commit. A process killed at
//! any instant restarts on the tip of the last committed call; bytes past the recorded
//! write position (a call killed before its commit) are overwritten by the next one.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use bitcoin::block::Header;
use bitcoin::consensus::encode::{deserialize, serialize};
use bitcoin::hashes::{Hash, HashEngine, sha256d};
use bitcoin::pow::Work;
use bitcoin::{Amount, Block, BlockHash, OutPoint, Target, TxOut};
use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};

use crate::chain::Chain;
use crate::chainparams::ChainParams;
use crate::undo::SpentCoin;
use crate::validation::{self, BlockReject};

/// Block hash → [`DiskIndex`] bytes.
const BLOCK_INDEX: TableDefinition<&[u8; 32], &[u8]> = TableDefinition::new("block_index");
/// Outpoint (txid, vout) → coin bytes: height << 1 | coinbase, value, script.
const COINS: TableDefinition<&[u8; 36], &[u8]> = TableDefinition::new("coins");
/// `tip` → block hash; `blockfile` → file number and write position. In the
/// transaction index's own database (`indexes/txindex/`), `tip` → the block it is
/// synced to.
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// `-txindex`, in its own database: txid → the hash of the block that holds it
/// (entries of disconnected blocks stay until the transaction is connected again, as
/// Core's index keeps them).
const TXINDEX: TableDefinition<&[u8; 32], &[u8; 32]> = TableDefinition::new("txindex");

/// Core's `MAX_BLOCKFILE_SIZE`: a block file grows to 128 MiB before the next starts.
const MAX_BLOCKFILE_SIZE: u64 = 0x800_0000;
/// Core's `MAX_FUTURE_BLOCK_TIME`: a block may be at most two hours ahead of the clock.
const MAX_FUTURE_BLOCK_TIME: i64 = 2 * 60 * 60;

/// Why the chain on disk could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// A folder or block file could not be made or read.
    #[error("block files in {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The database failed.
    #[error("chainstate database: {0}")]
    Db(#[from] redb::Error),
    /// `-blocksxor=0` with a random key stored (Core's text).
    #[error("{0}")]
    BlocksXor(String),
    /// The database names blocks it does not hold, or holds bytes that do not parse.
    #[error("chainstate database is corrupt: {0}")]
    Corrupt(String),
    /// A recent block of the active chain cannot be read back from the block files (Core's
    /// `VerifyDB` at start-up).
    #[error("block {hash} at height {height} cannot be read back: {why}")]
    Verify {
        /// The block.
        hash: BlockHash,
        /// Its height.
        height: u32,
        /// What went wrong.
        why: String,
    },
}

/// Core's `DEFAULT_CHECKBLOCKS`: how many blocks at the tip are read back at start-up.
pub const DEFAULT_CHECKBLOCKS: u32 = 6;

/// Why a block was not connected: Core's reject reason, or a storage failure.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The block breaks a consensus rule; the text is Core's reject reason.
    #[error("{0}")]
    Invalid(String),
    /// The block files or the database failed; nothing was connected.
    #[error("{0}")]
    Storage(String),
}

impl From<redb::Error> for ConnectError {
    fn from(e: redb::Error) -> Self {
        ConnectError::Storage(format!("chainstate database: {e}"))
    }
}

macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for ConnectError {
            fn from(e: $t) -> Self {
                ConnectError::from(redb::Error::from(e))
            }
        }
        impl From<$t> for OpenError {
            fn from(e: $t) -> Self {
                OpenError::Db(redb::Error::from(e))
            }
        }
    )*};
}
from_redb!(
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

/// The block's bytes are in a block file (Core's `BLOCK_HAVE_DATA`).
const HAVE_DATA: u32 = 1;
/// The block's undo data is in an undo file (`BLOCK_HAVE_UNDO`).
const HAVE_UNDO: u32 = 2;
/// The block, or one of its ancestors, breaks a rule (`BLOCK_FAILED_VALID`).
const FAILED: u32 = 4;
/// The block has been connected, so every rule has been checked (`BLOCK_VALID_SCRIPTS`).
const CONNECTED: u32 = 8;

/// A block index entry: the header, where the block and its undo data are, and what is
/// known of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DiskIndex {
    header: Header,
    height: u32,
    n_tx: u32,
    file: u32,
    /// Offset of the block's bytes (after the 8-byte frame).
    pos: u64,
    len: u32,
    undo_file: u32,
    /// Offset of the undo bytes (after the 8-byte frame).
    undo_pos: u64,
    undo_len: u32,
    /// [`HAVE_DATA`], [`HAVE_UNDO`], [`FAILED`], [`CONNECTED`].
    status: u32,
}

impl DiskIndex {
    const SIZE: usize = 80 + 4 + 4 + 4 + 8 + 4 + 4 + 8 + 4 + 4;

    /// An entry for a header whose block is not stored.
    fn header_only(header: Header, height: u32) -> DiskIndex {
        DiskIndex {
            header,
            height,
            n_tx: 0,
            file: 0,
            pos: 0,
            len: 0,
            undo_file: 0,
            undo_pos: 0,
            undo_len: 0,
            status: 0,
        }
    }

    fn to_bytes(self) -> Vec<u8> {
        let mut v = serialize(&self.header);
        v.extend_from_slice(&self.height.to_le_bytes());
        v.extend_from_slice(&self.n_tx.to_le_bytes());
        v.extend_from_slice(&self.file.to_le_bytes());
        v.extend_from_slice(&self.pos.to_le_bytes());
        v.extend_from_slice(&self.len.to_le_bytes());
        v.extend_from_slice(&self.undo_file.to_le_bytes());
        v.extend_from_slice(&self.undo_pos.to_le_bytes());
        v.extend_from_slice(&self.undo_len.to_le_bytes());
        v.extend_from_slice(&self.status.to_le_bytes());
        v
    }

    fn from_bytes(b: &[u8]) -> Option<DiskIndex> {
        if b.len() != Self::SIZE {
            return None;
        }
        let u32_at = |i: usize| b.get(i..i + 4)?.try_into().ok().map(u32::from_le_bytes);
        Some(DiskIndex {
            header: deserialize(&b[..80]).ok()?,
            height: u32_at(80)?,
            n_tx: u32_at(84)?,
            file: u32_at(88)?,
            pos: u64::from_le_bytes(b.get(92..100)?.try_into().ok()?),
            len: u32_at(100)?,
            undo_file: u32_at(104)?,
            undo_pos: u64::from_le_bytes(b.get(108..116)?.try_into().ok()?),
            undo_len: u32_at(116)?,
            status: u32_at(120)?,
        })
    }
}

/// The block files' write position: the file being appended to, its length, and the
/// length of the undo file of the same number (`rev?????.dat`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct FilePos {
    file: u32,
    len: u64,
    undo_len: u64,
}

impl FilePos {
    fn to_bytes(self) -> [u8; 20] {
        let mut b = [0u8; 20];
        b[..4].copy_from_slice(&self.file.to_le_bytes());
        b[4..12].copy_from_slice(&self.len.to_le_bytes());
        b[12..].copy_from_slice(&self.undo_len.to_le_bytes());
        b
    }

    fn from_bytes(b: &[u8]) -> Option<FilePos> {
        Some(FilePos {
            file: u32::from_le_bytes(b.get(..4)?.try_into().ok()?),
            len: u64::from_le_bytes(b.get(4..12)?.try_into().ok()?),
            undo_len: u64::from_le_bytes(b.get(12..20)?.try_into().ok()?),
        })
    }
}

/// Core's obfuscation of the block and undo files: each byte XORed with the key byte
/// of its file offset (`blocks/xor.dat`; all zeros leaves the bytes as they are).
fn xor_at(key: &[u8; 8], bytes: &mut [u8], offset: u64) {
    if key == &[0; 8] {
        return;
    }
    for (i, b) in bytes.iter_mut().enumerate() {
        *b ^= key[((offset + i as u64) % 8) as usize];
    }
}

/// Core's `InitBlocksdirXorKey`: the key in `blocks/xor.dat`, or a new one (random on the
/// very first start with `-blocksxor`, zeros for a blocks folder that already holds
/// files or with `-blocksxor=0`) written there. A stored random key with
/// `-blocksxor=0` is Core's error.
fn blocks_xor_key(blocks_dir: &Path, use_xor: bool) -> Result<[u8; 8], OpenError> {
    let io = |source| OpenError::Io {
        path: blocks_dir.join("xor.dat"),
        source,
    };
    let first_run = std::fs::read_dir(blocks_dir).map_err(io)?.all(|entry| {
        entry.is_ok_and(|e| {
            e.file_type().is_ok_and(|t| t.is_file())
                && e.file_name().to_string_lossy().starts_with('.')
        })
    });
    let path = blocks_dir.join("xor.dat");
    let key: [u8; 8] = if path.exists() {
        let bytes = std::fs::read(&path).map_err(io)?;
        bytes
            .get(..8)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| OpenError::Corrupt(format!("{} is not an 8-byte key", path.display())))?
    } else {
        let mut key = [0u8; 8];
        if use_xor && first_run {
            getrandom::fill(&mut key).map_err(|e| OpenError::Io {
                path: path.clone(),
                source: std::io::Error::other(e.to_string()),
            })?;
        }
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io)?;
        f.write_all(&key).map_err(io)?;
        f.sync_all().map_err(io)?;
        sync_dir(blocks_dir).map_err(io)?;
        key
    };
    if !use_xor && key != [0; 8] {
        return Err(OpenError::BlocksXor(format!(
            "The blocksdir XOR-key can not be disabled when a random key was already stored! Stored key: '{}', stored path: '{}'.",
            key.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            path.display()
        )));
    }
    tracing::info!(
        "Using obfuscation key for blocksdir *.dat files ({}): '{}'",
        blocks_dir.display(),
        key.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    Ok(key)
}

/// Syncs a directory, so that the names of files created in it survive a crash (Core's
/// `DirectoryCommit`).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// An append-only file of the current batch, opened at its recorded length.
struct Appender {
    file: File,
    /// Where the next byte goes.
    pos: u64,
    key: [u8; 8],
    /// The folder of a file this batch created: its entry is synced with the file.
    created_in: Option<PathBuf>,
}

impl Appender {
    fn open(path: &Path, at: u64, key: [u8; 8]) -> Result<Appender, ConnectError> {
        let fail = |e: std::io::Error| ConnectError::Storage(format!("{}: {e}", path.display()));
        let created_in = if path.exists() {
            None
        } else {
            path.parent().map(Path::to_path_buf)
        };
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(fail)?;
        file.seek(SeekFrom::Start(at)).map_err(fail)?;
        Ok(Appender {
            file,
            pos: at,
            key,
            created_in,
        })
    }

    /// Writes `data` framed as Core frames it: message start, length, data.
    fn frame(
        &mut self,
        message_start: [u8; 4],
        data: &[u8],
        tail: &[u8],
    ) -> Result<u64, ConnectError> {
        let mut frame = Vec::with_capacity(8 + data.len() + tail.len());
        frame.extend_from_slice(&message_start);
        frame.extend_from_slice(&(data.len() as u32).to_le_bytes());
        frame.extend_from_slice(data);
        frame.extend_from_slice(tail);
        xor_at(&self.key, &mut frame, self.pos);
        self.pos += frame.len() as u64;
        self.file
            .write_all(&frame)
            .map_err(|e| ConnectError::Storage(format!("writing a block file: {e}")))?;
        Ok(frame.len() as u64)
    }

    fn sync(self) -> Result<(), ConnectError> {
        self.file
            .sync_data()
            .map_err(|e| ConnectError::Storage(format!("syncing a block file: {e}")))?;
        if let Some(dir) = &self.created_in {
            sync_dir(dir)
                .map_err(|e| ConnectError::Storage(format!("syncing {}: {e}", dir.display())))?;
        }
        Ok(())
    }
}

fn outpoint_key(o: &OutPoint) -> [u8; 36] {
    let mut k = [0u8; 36];
    k[..32].copy_from_slice(o.txid.as_byte_array());
    k[32..].copy_from_slice(&o.vout.to_le_bytes());
    k
}

/// A coin as the database keeps it: height << 1 | coinbase, value, script.
fn coin_bytes(coin: &SpentCoin) -> Vec<u8> {
    let mut v = Vec::with_capacity(12 + coin.output.script_pubkey.len());
    v.extend_from_slice(&((coin.height << 1) | u32::from(coin.coinbase)).to_le_bytes());
    v.extend_from_slice(&coin.output.value.to_sat().to_le_bytes());
    v.extend_from_slice(coin.output.script_pubkey.as_bytes());
    v
}

fn coin_from_bytes(v: &[u8]) -> Option<SpentCoin> {
    let code = u32::from_le_bytes(v.get(..4)?.try_into().ok()?);
    let value = u64::from_le_bytes(v.get(4..12)?.try_into().ok()?);
    Some(SpentCoin {
        height: code >> 1,
        coinbase: code & 1 == 1,
        output: TxOut {
            value: Amount::from_sat(value),
            script_pubkey: bitcoin::ScriptBuf::from_bytes(v[12..].to_vec()),
        },
    })
}

/// Core's `MAX_SCRIPT_SIZE`.
const MAX_SCRIPT_SIZE: usize = 10_000;

/// Core's `CScript::IsUnspendable`: outputs that never enter the UTXO set.
fn is_unspendable(script: &bitcoin::Script) -> bool {
    script.is_op_return() || script.len() > MAX_SCRIPT_SIZE
}

/// What became of a block handed to [`ChainStore::process_blocks`], as `submitblock`
/// reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Processed {
    /// It was connected to the active chain (`submitblock` answers null).
    Connected,
    /// It was stored already (`duplicate`).
    Duplicate,
    /// It is stored and valid as far as checked, but not on the active chain
    /// (`inconclusive`).
    Inconclusive,
    /// It breaks a rule; Core's reject reason (`duplicate-invalid` for a block known to).
    Rejected(String),
}

/// One of the chain tips `getchaintips` lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainTip {
    /// The tip block.
    pub hash: BlockHash,
    /// Its height.
    pub height: u32,
    /// Blocks between it and the active chain.
    pub branch_len: u32,
    /// Core's status: `active`, `valid-fork`, `valid-headers`, `headers-only`, `invalid`.
    pub status: &'static str,
}

/// What the block index knows of a block, for RPCs that look blocks up by hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownBlock {
    /// Its header.
    pub header: Header,
    /// Its height.
    pub height: u32,
    /// Total work of the chain up to and including it.
    pub chain_work: Work,
    /// Whether its bytes are stored.
    pub have_data: bool,
    /// Whether it or an ancestor is invalid.
    pub failed: bool,
    /// Whether it was ever connected, so every rule was checked (Core's
    /// `BLOCK_VALID_SCRIPTS`).
    pub connected: bool,
}

/// An index entry in memory, with its chain work and arrival order.
#[derive(Clone, Copy, Debug)]
struct Entry {
    d: DiskIndex,
    work: Work,
    /// Arrival order: among chains of equal work the first received wins
    /// (`preciousblock` gives negative numbers).
    seq: i64,
}

/// The chain's storage: the database, the block files and the block index.
pub struct ChainStore {
    db: Database,
    blocks_dir: PathBuf,
    message_start: [u8; 4],
    /// Every block and header known, by hash.
    index: HashMap<BlockHash, Entry>,
    /// Each block's children.
    children: HashMap<BlockHash, Vec<BlockHash>>,
    write_pos: FilePos,
    /// `-fastprune`: small block files.
    fast_prune: bool,
    /// The key the block and undo files are obfuscated with (`blocks/xor.dat`).
    xor_key: [u8; 8],
    /// `-txindex`: the transaction index's database (`indexes/txindex/`), kept in step
    /// after each commit of the chainstate.
    txindex: Option<Database>,
    /// The UTXO cache (`-dbcache`).
    cache: std::sync::Arc<std::sync::Mutex<CoinCache>>,
    /// Whether this open made the chain (wrote the genesis block).
    created: bool,
    next_seq: i64,
    /// `preciousblock`'s next (negative) arrival number, and the tip's work when it was
    /// last used (Core's `nBlockReverseSequenceId`, `nLastPreciousChainwork`).
    precious_seq: i64,
    precious_work: Option<Work>,
    /// What calls did to the active chain, in order, while recorded
    /// ([`ChainStore::record_events`]).
    events: Option<Vec<ChainEvent>>,
}

/// A change to the active chain, as Core's validation tells its mempool about it: the
/// mempool follows a call's changes one by one ([`ChainStore::take_events`]).
#[derive(Clone, Debug)]
pub enum ChainEvent {
    /// The tip was disconnected (Core's `DisconnectTip`): its transactions wait to come
    /// back.
    Disconnected {
        /// Its hash.
        hash: BlockHash,
        /// Its height.
        height: u32,
        /// How many transactions it has.
        n_tx: u64,
    },
    /// A block was connected (Core's `ConnectTip`): its transactions leave the mempool.
    Connected(crate::chain::BlockIndex),
    /// Core's `MaybeUpdateMempoolForReorg` at this point: the transactions of the blocks
    /// disconnected since the last one come back (`readd`) or take what spends them out.
    UpdateMempool {
        /// Whether they are accepted again (Core's `fAddToMempool`).
        readd: bool,
    },
}

/// The in-memory UTXO cache `-dbcache` sizes: coins of the committed UTXO set (`None`:
/// known to be absent) read or written lately, emptied when it grows past its budget
/// (Core flushes and empties its coins cache the same way).
#[derive(Debug)]
struct CoinCache {
    map: HashMap<OutPoint, Option<SpentCoin>>,
    /// An estimate of the memory the entries take.
    bytes: usize,
    /// The budget, in bytes.
    limit: usize,
}

impl CoinCache {
    /// Core's `DEFAULT_DB_CACHE` (MiB) and `MIN_DB_CACHE`.
    const DEFAULT_MIB: i64 = 450;
    const MIN_MIB: i64 = 4;

    fn new(limit: usize) -> CoinCache {
        CoinCache {
            map: HashMap::new(),
            bytes: 0,
            limit,
        }
    }

    /// What one entry costs: the key, the coin and its script, and the map's overhead.
    fn cost(coin: &Option<SpentCoin>) -> usize {
        36 + 96 + coin.as_ref().map_or(0, |c| c.output.script_pubkey.len())
    }

    fn get(&self, outpoint: &OutPoint) -> Option<Option<SpentCoin>> {
        self.map.get(outpoint).cloned()
    }

    fn put(&mut self, outpoint: OutPoint, coin: Option<SpentCoin>) {
        let cost = Self::cost(&coin);
        if let Some(old) = self.map.insert(outpoint, coin) {
            self.bytes -= Self::cost(&old);
        }
        self.bytes += cost;
        if self.bytes > self.limit {
            self.map.clear();
            self.bytes = 0;
        }
    }
}

/// Undo records by their checksum: (file, offset, length).
type UndoByChecksum = HashMap<[u8; 32], (u32, u64, u32)>;

/// The changes of one call, in memory until they commit together.
struct Pending {
    /// The database as the call found it.
    base: Option<redb::ReadOnlyTable<&'static [u8; 36], &'static [u8]>>,
    /// Coins added (`Some`) or spent (`None`) by the call.
    coins: HashMap<OutPoint, Option<SpentCoin>>,
    /// Coins the call created that the database has not seen (Core's `FRESH`): spending
    /// one again in the call forgets it instead of deleting it from the database.
    fresh: HashSet<OutPoint>,
    /// Index entries the call changed.
    dirty: HashSet<BlockHash>,
    /// The files being appended to, and the write position.
    files: Option<(u32, Appender, Appender)>,
    pos: FilePos,
    /// Blocks of this call, so they are not read back.
    blocks: HashMap<BlockHash, Block>,
    /// Undo data written by this call.
    undo: HashMap<BlockHash, Vec<Vec<SpentCoin>>>,
    /// Blocks the call tried to connect, and how that went.
    tried: HashMap<BlockHash, Result<(), String>>,
    /// Whether blocks are checked in full before they connect (a rebuild: nothing was
    /// checked when they were stored).
    recheck: bool,
    /// Whether blocks are only checked (Core's `fJustCheck`): nothing of a connected
    /// block is written or indexed.
    just_check: bool,
    /// Transaction index entries to write: txid → block.
    txindex: Vec<(bitcoin::Txid, BlockHash)>,
    /// The store's UTXO cache, in front of `base`.
    cache: std::sync::Arc<std::sync::Mutex<CoinCache>>,
    /// Undo records already in the undo files, by checksum (a `-reindex` finds them, so
    /// that it does not write them again).
    known_undo: UndoByChecksum,
}

impl ChainStore {
    /// Opens (or creates) the chain stored under `chain_dir` (`blocks/`, `chainstate/`),
    /// and returns it with its active chain. A new store starts with `params`' genesis.
    /// `rebuild` asks first for `-reindex` or `-reindex-chainstate`; `now` is the clock
    /// the rebuilt chain's blocks are checked against.
    pub fn open(
        chain_dir: &Path,
        params: &ChainParams,
        rebuild: Rebuild,
        now: i64,
    ) -> Result<(ChainStore, Chain), OpenError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| OpenError::Io { path, source }
        };
        let blocks_dir = chain_dir.join("blocks");
        let state_dir = chain_dir.join("chainstate");
        let new_dirs = !blocks_dir.exists() || !state_dir.exists();
        std::fs::create_dir_all(&blocks_dir).map_err(io(&blocks_dir))?;
        std::fs::create_dir_all(&state_dir).map_err(io(&state_dir))?;
        if new_dirs {
            sync_dir(chain_dir).map_err(io(chain_dir))?;
        }
        let xor_key = blocks_xor_key(&blocks_dir, params.blocks_xor)?;
        let db_path = state_dir.join(DB_FILE);
        // A rebuild killed before it finished leaves its half-made database: not used.
        let fresh = state_dir.join(REBUILT_DB_FILE);
        if fresh.exists() {
            std::fs::remove_file(&fresh).map_err(io(&fresh))?;
        }
        if rebuild != Rebuild::No && !block_file_in_use(&blocks_dir) {
            // Nothing to rebuild from: as Core, the rebuilt chain is the genesis block.
            if db_path.exists() {
                std::fs::remove_file(&db_path).map_err(io(&db_path))?;
            }
        } else if rebuild != Rebuild::No {
            rebuild_database(&blocks_dir, &db_path, &fresh, params, rebuild, now, xor_key)?;
        } else if !db_path.exists() && block_file_in_use(&blocks_dir) {
            // Starting afresh would write the genesis block over stored blocks.
            return Err(OpenError::Corrupt(format!(
                "{} holds blocks, but there is no chainstate database to index them",
                blocks_dir.display()
            )));
        }
        let new_db = !db_path.exists();
        let db = Database::create(&db_path)?;
        if new_db {
            sync_dir(&state_dir).map_err(io(&state_dir))?;
        }
        let mut store = ChainStore::new(db, blocks_dir, params);
        store.xor_key = xor_key;
        let chain = match store.load(params)? {
            Some(tip) => {
                let chain = store.active_chain(params, tip)?;
                // The tip wins ties with blocks that arrived before the restart.
                if let Some(e) = store.index.get_mut(&tip) {
                    e.seq = 0;
                }
                store.verify_tip_blocks(&chain, DEFAULT_CHECKBLOCKS)?;
                chain
            }
            None => {
                store.created = true;
                store
                    .store_genesis(params)
                    .map_err(|e| OpenError::Corrupt(format!("storing the genesis block: {e}")))?;
                Chain::genesis_only(params)
            }
        };
        Ok((store, chain))
    }

    fn new(db: Database, blocks_dir: PathBuf, params: &ChainParams) -> ChainStore {
        ChainStore {
            db,
            blocks_dir,
            message_start: params.message_start,
            index: HashMap::new(),
            children: HashMap::new(),
            write_pos: FilePos::default(),
            fast_prune: params.fast_prune,
            xor_key: [0; 8],
            txindex: None,
            created: false,
            cache: std::sync::Arc::new(std::sync::Mutex::new(CoinCache::new(
                (CoinCache::DEFAULT_MIB << 20) as usize,
            ))),
            next_seq: 1,
            precious_seq: -1,
            precious_work: None,
            events: None,
        }
    }

    /// Writes the genesis block and commits it as the tip of a new store.
    fn store_genesis(&mut self, params: &ChainParams) -> Result<(), ConnectError> {
        let mut pending = self.pending(false)?;
        let genesis = params.genesis.clone();
        let hash = genesis.block_hash();
        let (file, pos, len) = self.append_block(&mut pending, &genesis)?;
        let mut d = DiskIndex::header_only(genesis.header, 0);
        d.n_tx = genesis.txdata.len() as u32;
        (d.file, d.pos, d.len) = (file, pos, len);
        d.status = HAVE_DATA | CONNECTED;
        self.add_entry(d);
        pending.dirty.insert(hash);
        self.commit(pending, hash)
    }

    /// Reads the last `count` blocks of `chain` back from the block files and checks that
    /// each is the block the index names, with its transactions (Core's `VerifyDB` at
    /// its first levels).
    fn verify_tip_blocks(&self, chain: &Chain, count: u32) -> Result<(), OpenError> {
        let tip = chain.height();
        for height in tip.saturating_sub(count.saturating_sub(1))..=tip {
            let index = chain.at(i64::from(height)).expect("within the chain");
            let fail = |why: String| OpenError::Verify {
                hash: index.hash,
                height,
                why,
            };
            let block = self
                .read_block(&index.hash)
                .map_err(|e| fail(e.to_string()))?;
            if block.block_hash() != index.hash || !block.check_merkle_root() {
                return Err(fail("the bytes there are another block".into()));
            }
        }
        Ok(())
    }

    /// Reads the index and write position; returns the stored tip, if any.
    fn load(&mut self, params: &ChainParams) -> Result<Option<BlockHash>, OpenError> {
        let read = self.db.begin_read()?;
        let meta = match read.open_table(META) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let Some(tip) = meta.get("tip")? else {
            return Ok(None);
        };
        let tip = BlockHash::from_slice(tip.value())
            .map_err(|_| OpenError::Corrupt("the tip is not a block hash".into()))?;
        self.write_pos = meta
            .get("blockfile")?
            .and_then(|v| FilePos::from_bytes(v.value()))
            .ok_or_else(|| OpenError::Corrupt("no block file position".into()))?;
        let index = read.open_table(BLOCK_INDEX)?;
        let mut entries = Vec::new();
        for entry in index.iter()? {
            let (k, v) = entry?;
            let d = DiskIndex::from_bytes(v.value()).ok_or_else(|| {
                OpenError::Corrupt(format!(
                    "index entry of {}",
                    BlockHash::from_byte_array(*k.value())
                ))
            })?;
            entries.push(d);
        }
        // Parents before children, so each entry's work follows from its parent's.
        entries.sort_by_key(|d| (d.height, d.file, d.pos));
        let genesis = params.genesis_hash();
        for d in entries {
            let hash = d.header.block_hash();
            if hash != genesis && !self.index.contains_key(&d.header.prev_blockhash) {
                return Err(OpenError::Corrupt(format!(
                    "block {hash} is indexed without its parent"
                )));
            }
            self.add_entry(d);
        }
        Ok(Some(tip))
    }

    /// Puts `d` in the index, with its work and arrival order.
    fn add_entry(&mut self, d: DiskIndex) {
        let hash = d.header.block_hash();
        let work = self
            .index
            .get(&d.header.prev_blockhash)
            .filter(|_| d.height > 0)
            .map_or(d.header.work(), |p| p.work + d.header.work());
        if d.height > 0 {
            self.children
                .entry(d.header.prev_blockhash)
                .or_default()
                .push(hash);
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.index.insert(hash, Entry { d, work, seq });
    }

    /// The active chain from genesis to `tip`, rebuilt from the index.
    fn active_chain(&self, params: &ChainParams, tip: BlockHash) -> Result<Chain, OpenError> {
        let mut path = Vec::new();
        let mut at = tip;
        let genesis = params.genesis.block_hash();
        while at != genesis {
            let d = self.index.get(&at).ok_or_else(|| {
                OpenError::Corrupt(format!("block {at} is named but not indexed"))
            })?;
            path.push(d.d);
            at = d.d.header.prev_blockhash;
        }
        let mut chain = Chain::genesis_only(params);
        for d in path.into_iter().rev() {
            let b = chain.next_index(d.header, u64::from(d.n_tx));
            if b.height != d.height {
                return Err(OpenError::Corrupt(format!(
                    "block {} is indexed at height {}, but sits at {}",
                    b.hash, d.height, b.height
                )));
            }
            chain.push(b);
        }
        Ok(chain)
    }

    /// The chain from genesis to the indexed block `hash`: `active` up to where the
    /// block's branch leaves it, then the branch.
    fn chain_to(&self, active: &Chain, hash: BlockHash) -> Chain {
        let mut branch = Vec::new();
        let mut at = hash;
        loop {
            let e = &self.index[&at];
            if active.contains(&at, e.d.height) {
                break;
            }
            branch.push(e.d);
            at = e.d.header.prev_blockhash;
        }
        let fork = self.index[&at].d.height;
        let mut chain = active.prefix(fork);
        for d in branch.into_iter().rev() {
            let next = chain.next_index(d.header, u64::from(d.n_tx));
            chain.push(next);
        }
        chain
    }

    /// Starts a call's changes.
    fn pending(&self, recheck: bool) -> Result<Pending, ConnectError> {
        let read = self.db.begin_read()?;
        let base = match read.open_table(COINS) {
            Ok(t) => Some(t),
            Err(redb::TableError::TableDoesNotExist(_)) => None,
            Err(e) => return Err(e.into()),
        };
        Ok(Pending {
            base,
            coins: HashMap::new(),
            fresh: HashSet::new(),
            dirty: HashSet::new(),
            files: None,
            pos: self.write_pos,
            blocks: HashMap::new(),
            undo: HashMap::new(),
            tried: HashMap::new(),
            recheck,
            just_check: false,
            txindex: Vec::new(),
            cache: self.cache.clone(),
            known_undo: HashMap::new(),
        })
    }

    /// The files to append to for `extra` more bytes, opened (or moved on to the next
    /// file number when the current block file would pass [`MAX_BLOCKFILE_SIZE`]).
    fn files<'p>(
        &self,
        pending: &'p mut Pending,
        extra: u64,
    ) -> Result<&'p mut (u32, Appender, Appender), ConnectError> {
        // Core moves on when the file would reach its limit (`-fastprune`: 64 KiB, or
        // just more than the block when it is bigger).
        let max = if self.fast_prune {
            0x10000.max(extra + 8 + 1)
        } else {
            MAX_BLOCKFILE_SIZE
        };
        if pending.pos.len > 0 && pending.pos.len + 8 + extra >= max {
            if let Some((_, blk, rev)) = pending.files.take() {
                blk.sync()?;
                rev.sync()?;
            }
            pending.pos = FilePos {
                file: pending.pos.file + 1,
                len: 0,
                undo_len: 0,
            };
        }
        if pending.files.is_none() {
            let n = pending.pos.file;
            pending.files = Some((
                n,
                Appender::open(&self.block_file(n), pending.pos.len, self.xor_key)?,
                Appender::open(&self.undo_file(n), pending.pos.undo_len, self.xor_key)?,
            ));
        }
        Ok(pending.files.as_mut().expect("opened just above"))
    }

    /// Appends `block` to the block files: (file, offset, length).
    fn append_block(
        &self,
        pending: &mut Pending,
        block: &Block,
    ) -> Result<(u32, u64, u32), ConnectError> {
        let bytes = serialize(block);
        let message_start = self.message_start;
        let (file, blk, _) = self.files(pending, bytes.len() as u64)?;
        let file = *file;
        let written = blk.frame(message_start, &bytes, &[])?;
        let at = pending.pos.len + 8;
        pending.pos.len += written;
        Ok((file, at, bytes.len() as u32))
    }

    /// Appends undo data to the undo file (Core checksums it with the parent's hash:
    /// sha256d(parent hash || undo)): (file, offset, length).
    fn append_undo(
        &self,
        pending: &mut Pending,
        parent: &BlockHash,
        undo: &[u8],
    ) -> Result<(u32, u64, u32), ConnectError> {
        let mut engine = sha256d::Hash::engine();
        engine.input(parent.as_byte_array());
        engine.input(undo);
        let check = sha256d::Hash::from_engine(engine);
        if let Some(&(file, at, len)) = pending.known_undo.get(check.as_byte_array())
            && len as usize == undo.len()
        {
            return Ok((file, at, len));
        }
        let message_start = self.message_start;
        let (file, _, rev) = self.files(pending, 0)?;
        let file = *file;
        let written = rev.frame(message_start, undo, check.as_byte_array())?;
        let at = pending.pos.undo_len + 8;
        pending.pos.undo_len += written;
        Ok((file, at, undo.len() as u32))
    }

    /// Syncs the call's file bytes, then commits its index entries, coins, the tip and
    /// the write position in one transaction.
    fn commit(&mut self, pending: Pending, tip: BlockHash) -> Result<(), ConnectError> {
        if let Some((_, blk, rev)) = pending.files {
            // Both files reach the disk before the commit names them; their syncs can
            // overlap.
            std::thread::scope(|scope| {
                let undo = scope.spawn(|| rev.sync());
                let blocks = blk.sync();
                undo.join()
                    .unwrap_or_else(|_| {
                        Err(ConnectError::Storage("syncing an undo file failed".into()))
                    })
                    .and(blocks)
            })?;
        }
        let txn = self.db.begin_write()?;
        {
            let mut index = txn.open_table(BLOCK_INDEX)?;
            let mut coins = txn.open_table(COINS)?;
            let mut meta = txn.open_table(META)?;
            for hash in &pending.dirty {
                let d = self.index[hash].d;
                index.insert(hash.as_byte_array(), d.to_bytes().as_slice())?;
            }
            for (outpoint, coin) in &pending.coins {
                match coin {
                    Some(coin) => {
                        coins.insert(&outpoint_key(outpoint), coin_bytes(coin).as_slice())?;
                    }
                    None => {
                        coins.remove(&outpoint_key(outpoint))?;
                    }
                }
            }
            meta.insert("tip", tip.as_byte_array().as_slice())?;
            meta.insert("blockfile", pending.pos.to_bytes().as_slice())?;
        }
        txn.commit()?;
        if let Some(db) = &self.txindex {
            // After the chainstate: an index behind the tip (a crash in between) is
            // caught up at the next start, as Core's indexes catch up in the background.
            let txn = db.begin_write()?;
            {
                let mut txindex = txn.open_table(TXINDEX)?;
                for (txid, block) in &pending.txindex {
                    txindex.insert(txid.as_byte_array(), block.as_byte_array())?;
                }
                let mut meta = txn.open_table(META)?;
                meta.insert("tip", tip.as_byte_array().as_slice())?;
            }
            txn.commit()?;
        }
        self.write_pos = pending.pos;
        let mut cache = self.cache.lock().expect("the cache lock is never poisoned");
        for (outpoint, coin) in pending.coins {
            cache.put(outpoint, coin);
        }
        Ok(())
    }

    /// The unspent coin `outpoint` as the call sees it.
    fn pending_coin(
        pending: &Pending,
        outpoint: &OutPoint,
    ) -> Result<Option<SpentCoin>, ConnectError> {
        if let Some(c) = pending.coins.get(outpoint) {
            return Ok(c.clone());
        }
        let mut cache = pending
            .cache
            .lock()
            .expect("the cache lock is never poisoned");
        if let Some(c) = cache.get(outpoint) {
            return Ok(c);
        }
        let Some(base) = &pending.base else {
            return Ok(None);
        };
        let coin =
            match base.get(&outpoint_key(outpoint))? {
                Some(v) => Some(coin_from_bytes(v.value()).ok_or_else(|| {
                    ConnectError::Storage(format!("the coin {outpoint} is corrupt"))
                })?),
                None => None,
            };
        cache.put(*outpoint, coin.clone());
        Ok(coin)
    }

    /// Turns on `-txindex` with its database in `dir` (Core's `indexes/txindex/`; wiped
    /// first when `wipe`, as `-reindex` rebuilds the indexes): from now on connected
    /// blocks' transactions are indexed, and an index behind the tip (or none yet) is
    /// brought up to it from where it left the active chain.
    pub fn enable_txindex(
        &mut self,
        chain: &Chain,
        dir: &Path,
        wipe: bool,
    ) -> Result<(), ConnectError> {
        let fail = |e: std::io::Error| ConnectError::Storage(format!("{}: {e}", dir.display()));
        if wipe && dir.exists() {
            std::fs::remove_dir_all(dir).map_err(fail)?;
        }
        if !dir.exists() {
            std::fs::create_dir_all(dir).map_err(fail)?;
            if let Some(parent) = dir.parent() {
                sync_dir(parent).map_err(fail)?;
                if let Some(grand) = parent.parent() {
                    sync_dir(grand).map_err(fail)?;
                }
            }
        }
        let path = dir.join(TXINDEX_DB_FILE);
        let new_db = !path.exists();
        let db = Database::create(&path)?;
        if new_db {
            sync_dir(dir).map_err(fail)?;
        }
        let synced_to: Option<BlockHash> = {
            let read = db.begin_read()?;
            match read.open_table(META) {
                Ok(meta) => meta
                    .get("tip")?
                    .and_then(|v| <[u8; 32]>::try_from(v.value()).ok())
                    .map(BlockHash::from_byte_array),
                Err(redb::TableError::TableDoesNotExist(_)) => None,
                Err(e) => return Err(e.into()),
            }
        };
        // The last block of the active chain the index holds: its tip, or where the
        // tip's branch left the active chain (a reorg it missed).
        let mut from = 1;
        if let Some(mut at) = synced_to {
            while let Some(e) = self.index.get(&at) {
                if chain.contains(&at, e.d.height) {
                    from = e.d.height + 1;
                    break;
                }
                at = e.d.header.prev_blockhash;
            }
        }
        if from <= chain.height() || synced_to.is_none() {
            let txn = db.begin_write()?;
            {
                let mut txindex = txn.open_table(TXINDEX)?;
                for height in from..=chain.height() {
                    let hash = chain.at(i64::from(height)).expect("within the chain").hash;
                    let block = self
                        .read_block(&hash)
                        .map_err(|e| ConnectError::Storage(e.to_string()))?;
                    for tx in &block.txdata {
                        txindex.insert(tx.compute_txid().as_byte_array(), hash.as_byte_array())?;
                    }
                }
                let mut meta = txn.open_table(META)?;
                meta.insert("tip", chain.tip().hash.as_byte_array().as_slice())?;
            }
            txn.commit()?;
        }
        self.txindex = Some(db);
        tracing::info!("txindex is enabled at height {}", chain.height());
        Ok(())
    }

    /// Core's `-dbcache` (MiB, at least 4): the budget of the in-memory UTXO cache.
    pub fn set_dbcache_mib(&mut self, mib: i64) {
        let mib = mib.max(CoinCache::MIN_MIB);
        let bytes = usize::try_from(mib)
            .unwrap_or(usize::MAX / 2)
            .saturating_mul(1 << 20);
        *self.cache.lock().expect("the cache lock is never poisoned") = CoinCache::new(bytes);
    }

    /// The UTXO cache: its entries and its estimated memory, in bytes.
    pub fn cache_usage(&self) -> (usize, usize) {
        let cache = self.cache.lock().expect("the cache lock is never poisoned");
        (cache.map.len(), cache.bytes)
    }

    /// Whether this open made a new chain (wrote the genesis block).
    pub fn created(&self) -> bool {
        self.created
    }

    /// Whether `-txindex` is on.
    pub fn has_txindex(&self) -> bool {
        self.txindex.is_some()
    }

    /// The block `-txindex` names for `txid`, if the index is on and knows it.
    pub fn txindex_block(&self, txid: &bitcoin::Txid) -> Result<Option<BlockHash>, OpenError> {
        let Some(db) = &self.txindex else {
            return Ok(None);
        };
        let read = db.begin_read()?;
        let table = match read.open_table(TXINDEX) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Ok(table
            .get(txid.as_byte_array())?
            .map(|v| BlockHash::from_byte_array(*v.value())))
    }

    /// Whether the block `hash` (or its header) is indexed.
    pub fn knows(&self, hash: &BlockHash) -> bool {
        self.index.contains_key(hash)
    }

    /// What the index knows of the block `hash`.
    pub fn lookup(&self, hash: &BlockHash) -> Option<KnownBlock> {
        self.index.get(hash).map(|e| KnownBlock {
            header: e.d.header,
            height: e.d.height,
            chain_work: e.work,
            have_data: e.d.status & HAVE_DATA != 0,
            failed: e.d.status & FAILED != 0,
            connected: e.d.status & CONNECTED != 0,
        })
    }

    /// The index entry of the known block `hash` as RPCs show it (median time past,
    /// transaction counts of its own chain), whether or not it is on `active`.
    pub fn block_index(
        &self,
        active: &Chain,
        hash: &BlockHash,
    ) -> Option<crate::chain::BlockIndex> {
        let e = self.index.get(hash)?;
        if let Some(b) = active.at(i64::from(e.d.height)).filter(|b| &b.hash == hash) {
            return Some(b.clone());
        }
        Some(self.chain_to(active, *hash).tip().clone())
    }

    /// The height of the known header with the most work that is not invalid (Core's
    /// `m_best_header`), at least `active`'s tip.
    pub fn best_header_height(&self, active: &Chain) -> u32 {
        self.index
            .values()
            .filter(|e| e.d.status & FAILED == 0 && e.work > active.tip().chain_work)
            .max_by(|a, b| a.work.cmp(&b.work).then(b.seq.cmp(&a.seq)))
            .map_or(active.height(), |e| e.d.height)
    }

    /// The undo data of the stored block `hash`: each non-coinbase transaction's spent
    /// coins.
    pub fn block_undo(&self, hash: &BlockHash) -> Result<Vec<Vec<SpentCoin>>, ConnectError> {
        self.read_undo(hash)
    }

    /// Core's `AcceptBlockHeader`: the header is known (`duplicate-invalid` if marked
    /// invalid), or passes its checks against its parent and is indexed.
    fn accept_header(
        &mut self,
        params: &ChainParams,
        active: &Chain,
        parent_chain: Option<&Chain>,
        header: &Header,
        pending: &mut Pending,
        now: i64,
    ) -> Result<BlockHash, BlockReject> {
        let hash = header.block_hash();
        if let Some(e) = self.index.get(&hash) {
            if e.d.status & FAILED != 0 {
                return Err(BlockReject::invalid("duplicate-invalid"));
            }
            return Ok(hash);
        }
        let pow_limit = Target::from_compact(params.genesis.header.bits);
        if header.target() > pow_limit || header.validate_pow(header.target()).is_err() {
            return Err(BlockReject::invalid("high-hash"));
        }
        let Some(parent) = self.index.get(&header.prev_blockhash) else {
            return Err(BlockReject::invalid("prev-blk-not-found"));
        };
        if parent.d.status & FAILED != 0 {
            return Err(BlockReject::invalid("bad-prevblk"));
        }
        let height = parent.d.height + 1;
        let owned;
        let parent_chain = match parent_chain {
            Some(c) if c.tip().hash == header.prev_blockhash => c,
            _ => {
                owned = self.chain_to(active, header.prev_blockhash);
                &owned
            }
        };
        contextual_check_header(params, parent_chain, header, now)?;
        self.add_entry(DiskIndex::header_only(*header, height));
        pending.dirty.insert(hash);
        Ok(hash)
    }

    /// Core's `ProcessNewBlock` for each of `blocks` in turn, then `ActivateBestChain`,
    /// and one commit: what became of each block. `chain` (the active chain) changes to
    /// the best valid chain. Only storage failures are errors.
    pub fn process_blocks(
        &mut self,
        params: &ChainParams,
        chain: &mut Chain,
        blocks: &[Block],
        now: i64,
    ) -> Result<Vec<Processed>, ConnectError> {
        let mut pending = self.pending(false)?;
        let pow_limit = Target::from_compact(params.genesis.header.bits);
        let mut results: Vec<Option<Processed>> = vec![None; blocks.len()];
        let mut stored = Vec::new();
        // The chain of the last block accepted, which the next usually extends.
        let mut last: Option<Chain> = None;
        for (i, block) in blocks.iter().enumerate() {
            if let Err(r) = validation::check_block(block, pow_limit) {
                results[i] = Some(Processed::Rejected(r.reason));
                continue;
            }
            let hash = match self.accept_header(
                params,
                chain,
                last.as_ref(),
                &block.header,
                &mut pending,
                now,
            ) {
                Ok(hash) => hash,
                Err(r) => {
                    results[i] = Some(Processed::Rejected(r.reason));
                    continue;
                }
            };
            if self.index[&hash].d.status & HAVE_DATA != 0 {
                results[i] = Some(Processed::Duplicate);
                continue;
            }
            let parent_chain = match last.take() {
                Some(c) if c.tip().hash == block.header.prev_blockhash => c,
                _ => self.chain_to(chain, block.header.prev_blockhash),
            };
            if let Err(r) = contextual_check_block(params, &parent_chain, block) {
                if !r.mutated {
                    self.mark_failed(&hash, &mut pending);
                }
                results[i] = Some(Processed::Rejected(r.reason));
                last = Some(parent_chain);
                continue;
            }
            let (file, pos, len) = self.append_block(&mut pending, block)?;
            let seq = self.next_seq;
            self.next_seq += 1;
            let e = self.index.get_mut(&hash).expect("accepted just above");
            e.d.n_tx = block.txdata.len() as u32;
            (e.d.file, e.d.pos, e.d.len) = (file, pos, len);
            e.d.status |= HAVE_DATA;
            // Core numbers blocks as their data arrives (`ReceivedBlockTransactions`):
            // among equal work, the first whose block arrived wins.
            e.seq = seq;
            pending.dirty.insert(hash);
            pending.blocks.insert(hash, block.clone());
            stored.push((i, hash));
            let mut next = parent_chain;
            let index = next.next_index(block.header, block.txdata.len() as u64);
            next.push(index);
            last = Some(next);
        }
        drop(last);
        self.activate_best_chain(params, chain, &mut pending, now)?;
        for (i, hash) in stored {
            results[i] = Some(match pending.tried.get(&hash) {
                Some(Ok(())) => Processed::Connected,
                Some(Err(reason)) => Processed::Rejected(reason.clone()),
                None => Processed::Inconclusive,
            });
        }
        self.commit(pending, chain.tip().hash)?;
        Ok(results
            .into_iter()
            .map(|r| r.expect("every block has a result"))
            .collect())
    }

    /// Core's `TestBlockValidity` of `block` on `chain`'s tip without its proof of work
    /// (`generateblock` before solving): every check that connecting it would run;
    /// nothing is stored.
    pub fn test_block_validity(
        &mut self,
        params: &ChainParams,
        chain: &Chain,
        block: &Block,
        now: i64,
    ) -> Result<Result<(), BlockReject>, ConnectError> {
        if block.header.prev_blockhash != chain.tip().hash {
            return Ok(Err(BlockReject::invalid("inconclusive-not-best-prevblk")));
        }
        let checked = validation::check_block_body(block)
            .and_then(|()| contextual_check_header(params, chain, &block.header, now))
            .and_then(|()| contextual_check_block(params, chain, block));
        if let Err(r) = checked {
            return Ok(Err(r));
        }
        let mut pending = self.pending(false)?;
        pending.just_check = true;
        let mut work = chain.clone();
        self.connect_block(params, &mut work, block, &mut pending, now)
    }

    /// Core's `ProcessNewBlockHeaders` for one header (`submitheader`): its parent must
    /// be indexed (the caller checks, for Core's message). Returns Core's reject reason.
    pub fn process_header(
        &mut self,
        params: &ChainParams,
        chain: &Chain,
        header: &Header,
        now: i64,
    ) -> Result<Result<(), String>, ConnectError> {
        let mut pending = self.pending(false)?;
        let result = self.accept_header(params, chain, None, header, &mut pending, now);
        if !pending.dirty.is_empty() {
            self.commit(pending, chain.tip().hash)?;
        }
        Ok(result.map(|_| ()).map_err(|r| r.reason))
    }

    /// Marks `hash` and every block that descends from it invalid.
    fn mark_failed(&mut self, hash: &BlockHash, pending: &mut Pending) {
        let mut stack = vec![*hash];
        while let Some(at) = stack.pop() {
            if let Some(e) = self.index.get_mut(&at) {
                e.d.status |= FAILED;
                pending.dirty.insert(at);
            }
            stack.extend(self.children.get(&at).into_iter().flatten().copied());
        }
    }

    /// The stored, valid block with the most work whose ancestors are all stored and
    /// valid (the first received among equals); `tip` stays unless another has more
    /// work.
    fn most_work_candidate(&self, chain: &Chain) -> BlockHash {
        let tip = chain.tip();
        let tip_ok = self
            .index
            .get(&tip.hash)
            .is_some_and(|e| e.d.status & FAILED == 0);
        let mut best: Option<(&BlockHash, &Entry)> = None;
        for (hash, e) in &self.index {
            if e.d.status & (FAILED | HAVE_DATA) != HAVE_DATA {
                continue;
            }
            let better = match best {
                None => true,
                Some((_, b)) => e.work > b.work || (e.work == b.work && e.seq < b.seq),
            };
            if better && self.whole_branch_usable(hash, chain) {
                best = Some((hash, e));
            }
        }
        let tip_seq = self.index.get(&tip.hash).map_or(i64::MAX, |e| e.seq);
        match best {
            Some((hash, e))
                if !tip_ok
                    || e.work > tip.chain_work
                    || (e.work == tip.chain_work && e.seq < tip_seq) =>
            {
                *hash
            }
            _ => tip.hash,
        }
    }

    /// Whether every block from `hash` back to the active chain is stored and valid.
    fn whole_branch_usable(&self, hash: &BlockHash, chain: &Chain) -> bool {
        let mut at = *hash;
        loop {
            let Some(e) = self.index.get(&at) else {
                return false;
            };
            if chain.contains(&at, e.d.height) {
                return true;
            }
            if e.d.status & (FAILED | HAVE_DATA) != HAVE_DATA {
                return false;
            }
            at = e.d.header.prev_blockhash;
        }
    }

    /// Core's `ActivateBestChain`: moves `chain` to the best valid chain, disconnecting
    /// and connecting blocks; a block that fails to connect is marked invalid with its
    /// descendants, and the search starts again.
    fn activate_best_chain(
        &mut self,
        params: &ChainParams,
        chain: &mut Chain,
        pending: &mut Pending,
        now: i64,
    ) -> Result<(), ConnectError> {
        loop {
            let best = self.most_work_candidate(chain);
            if best == chain.tip().hash {
                return Ok(());
            }
            // The branch from the active chain up to `best`.
            let mut path = Vec::new();
            let mut at = best;
            loop {
                let e = &self.index[&at];
                if chain.contains(&at, e.d.height) {
                    break;
                }
                path.push(at);
                at = e.d.header.prev_blockhash;
            }
            let fork = self.index[&at].d.height;
            // Core's ActivateBestChainStep: the mempool is brought up to date once the
            // chain has more work than it had, or where the step stops, if it
            // disconnected anything.
            let old_work = chain.tip().chain_work;
            let disconnects = chain.height() > fork;
            while chain.height() > fork {
                self.disconnect_active_tip(chain, pending)?;
            }
            let mut mempool_updated = !disconnects;
            for hash in path.into_iter().rev() {
                let block = match pending.blocks.get(&hash) {
                    Some(b) => b.clone(),
                    None => self
                        .read_block(&hash)
                        .map_err(|e| ConnectError::Storage(e.to_string()))?,
                };
                match self.connect_block(params, chain, &block, pending, now)? {
                    Ok(()) => {
                        pending.tried.insert(hash, Ok(()));
                        self.note(ChainEvent::Connected(chain.tip().clone()));
                        if !mempool_updated && chain.tip().chain_work > old_work {
                            self.note(ChainEvent::UpdateMempool { readd: true });
                            mempool_updated = true;
                        }
                    }
                    Err(r) => {
                        tracing::info!("Block validation error: {}", r.reason);
                        if r.mutated || r.reason == "time-too-new" {
                            // Only a rebuild's re-check gets here: bytes that are not the
                            // block their header names, or a block from the future. Core
                            // does not mark either invalid (another copy, or a later
                            // time, may be fine); the bytes are dropped, so the block is
                            // not picked again.
                            let e = self.index.get_mut(&hash).expect("the path is indexed");
                            e.d.status &= !(HAVE_DATA | HAVE_UNDO);
                            pending.dirty.insert(hash);
                            pending.blocks.remove(&hash);
                        } else {
                            self.mark_failed(&hash, pending);
                        }
                        pending.tried.insert(hash, Err(r.reason));
                        break;
                    }
                }
            }
            if !mempool_updated {
                self.note(ChainEvent::UpdateMempool { readd: true });
            }
        }
    }

    /// Core's `ConnectBlock` of `block` on `chain`'s tip: its transactions' inputs,
    /// lock times, signature operations and scripts, then its coins and undo data.
    /// The outer error is storage; the inner, a rule the block breaks (nothing changed).
    fn connect_block(
        &mut self,
        params: &ChainParams,
        chain: &mut Chain,
        block: &Block,
        pending: &mut Pending,
        now: i64,
    ) -> Result<Result<(), BlockReject>, ConnectError> {
        let tip = chain.tip().clone();
        let height = tip.height + 1;
        if pending.recheck {
            let pow_limit = Target::from_compact(params.genesis.header.bits);
            let checked = validation::check_block(block, pow_limit)
                .and_then(|()| contextual_check_header(params, chain, &block.header, now))
                .and_then(|()| contextual_check_block(params, chain, block));
            if let Err(r) = checked {
                return Ok(Err(r));
            }
        }
        let flags = params.block_script_flags(&block.block_hash(), height);
        // This block's changes, on top of the call's.
        let mut view: HashMap<OutPoint, Option<SpentCoin>> = HashMap::new();
        let coin = |view: &HashMap<OutPoint, Option<SpentCoin>>,
                    outpoint: &OutPoint|
         -> Result<Option<SpentCoin>, ConnectError> {
            match view.get(outpoint) {
                Some(c) => Ok(c.clone()),
                None => Self::pending_coin(pending, outpoint),
            }
        };
        // BIP30: no transaction may overwrite an unspent output (where Core checks it).
        let bip34_ancestor = chain.at(i64::from(params.buried.bip34)).map(|b| b.hash);
        let enforce_bip30 =
            params.enforces_bip30(height, &block.block_hash(), bip34_ancestor.as_ref());
        for tx in block.txdata.iter().filter(|_| enforce_bip30) {
            let txid = tx.compute_txid();
            for vout in 0..tx.output.len() {
                if coin(&view, &OutPoint::new(txid, vout as u32))?.is_some() {
                    return Ok(Err(BlockReject::invalid("bad-txns-BIP30")));
                }
            }
        }
        let mut undo: Vec<Vec<SpentCoin>> = Vec::with_capacity(block.txdata.len() - 1);
        // The outputs this block creates (some of which it may also spend).
        let mut created: HashSet<OutPoint> = HashSet::new();
        let mut scripts: Vec<(usize, Vec<TxOut>)> = Vec::new();
        let mut fees = Amount::ZERO;
        let mut sigops = 0usize;
        for (i, tx) in block.txdata.iter().enumerate() {
            let mut spent = Vec::with_capacity(tx.input.len());
            if i > 0 {
                for input in &tx.input {
                    match coin(&view, &input.previous_output)? {
                        Some(c) => spent.push(c),
                        None => {
                            return Ok(Err(BlockReject::invalid("bad-txns-inputs-missingorspent")));
                        }
                    }
                }
                let coins: Vec<(u32, bool, Amount)> = spent
                    .iter()
                    .map(|c| (c.height, c.coinbase, c.output.value))
                    .collect();
                let fee = match validation::check_tx_inputs(tx, &coins, height) {
                    Ok(fee) => fee,
                    Err(reason) => return Ok(Err(BlockReject::invalid(reason))),
                };
                fees = match fees.checked_add(fee) {
                    Some(f) if f.to_sat() <= validation::MAX_MONEY as u64 => f,
                    _ => {
                        return Ok(Err(BlockReject::invalid(
                            "bad-txns-accumulated-fee-outofrange",
                        )));
                    }
                };
                if height >= params.buried.csv {
                    let heights: Vec<u32> = spent.iter().map(|c| c.height).collect();
                    let mtp = |h: u32| {
                        chain
                            .at(i64::from(h))
                            .map_or(0, |b| i64::from(b.median_time_past))
                    };
                    if !validation::sequence_locks_pass(
                        tx,
                        &heights,
                        height,
                        i64::from(tip.median_time_past),
                        mtp,
                    ) {
                        return Ok(Err(BlockReject::invalid("bad-txns-nonfinal")));
                    }
                }
            }
            let by_outpoint: HashMap<OutPoint, TxOut> = tx
                .input
                .iter()
                .zip(&spent)
                .map(|(i, c)| (i.previous_output, c.output.clone()))
                .collect();
            sigops += tx.total_sigop_cost(|o| by_outpoint.get(o).cloned());
            if sigops > validation::MAX_BLOCK_SIGOPS_COST {
                return Ok(Err(BlockReject::invalid("bad-blk-sigops")));
            }
            if i > 0 {
                scripts.push((i, spent.iter().map(|c| c.output.clone()).collect()));
                for input in &tx.input {
                    view.insert(input.previous_output, None);
                }
                undo.push(spent);
            }
            let txid = tx.compute_txid();
            for (vout, out) in tx.output.iter().enumerate() {
                if !is_unspendable(&out.script_pubkey) {
                    created.insert(OutPoint::new(txid, vout as u32));
                    view.insert(
                        OutPoint::new(txid, vout as u32),
                        Some(SpentCoin {
                            height,
                            coinbase: i == 0,
                            output: out.clone(),
                        }),
                    );
                }
            }
        }
        let limit = fees + crate::mining::block_subsidy(height, params);
        let paid = block.txdata[0]
            .output
            .iter()
            .try_fold(Amount::ZERO, |sum, o| sum.checked_add(o.value));
        if paid.is_none_or(|p| p > limit) {
            return Ok(Err(BlockReject::invalid("bad-cb-amount")));
        }
        // Scripts last, as Core's parallel checks report them after the rest.
        for (i, spent) in scripts {
            let tx = &block.txdata[i];
            for input in 0..tx.input.len() {
                if let Err(e) = umkoin_consensus::verify_input(tx, &spent, input, flags) {
                    return Ok(Err(BlockReject::invalid(format!(
                        "block-script-verify-flag-failed ({e})"
                    ))));
                }
            }
        }
        if pending.just_check {
            return Ok(Ok(()));
        }
        // Connected: the undo data goes to disk (once), the coins to the call's view.
        let hash = block.block_hash();
        let status = self.index[&hash].d.status;
        if status & HAVE_UNDO == 0 {
            let bytes = crate::undo::write_block_undo(&undo);
            let (file, pos, len) = self.append_undo(pending, &tip.hash, &bytes)?;
            let e = self
                .index
                .get_mut(&hash)
                .expect("connected blocks are indexed");
            (e.d.undo_file, e.d.undo_pos, e.d.undo_len) = (file, pos, len);
            e.d.status |= HAVE_UNDO;
        }
        self.index
            .get_mut(&hash)
            .expect("connected blocks are indexed")
            .d
            .status |= CONNECTED;
        pending.dirty.insert(hash);
        if self.txindex.is_some() {
            pending
                .txindex
                .extend(block.txdata.iter().map(|tx| (tx.compute_txid(), hash)));
        }
        pending.undo.insert(hash, undo);
        for (outpoint, coin) in view {
            match coin {
                Some(coin) => {
                    // FRESH only if the call holds nothing for it: an entry (a coin a
                    // disconnected block had made, now deleted) means the database has it.
                    if !pending.coins.contains_key(&outpoint) {
                        pending.fresh.insert(outpoint);
                    }
                    pending.coins.insert(outpoint, Some(coin));
                }
                // Created and spent in this block: the database never sees it.
                None if created.contains(&outpoint) => {}
                None if pending.fresh.remove(&outpoint) => {
                    pending.coins.remove(&outpoint);
                }
                None => {
                    if pending.fresh.remove(&outpoint) {
                        pending.coins.remove(&outpoint);
                    } else {
                        pending.coins.insert(outpoint, None);
                    }
                }
            }
        }
        let next = chain.next_index(block.header, block.txdata.len() as u64);
        chain.push(next);
        Ok(Ok(()))
    }

    /// Core's `DisconnectBlock` of `chain`'s tip: its outputs leave the coins, the coins
    /// it spent come back from its undo data. Whether it was clean: every output it
    /// created was there, as it created it.
    fn disconnect_tip(
        &mut self,
        chain: &mut Chain,
        pending: &mut Pending,
    ) -> Result<bool, ConnectError> {
        let mut clean = true;
        let hash = chain.tip().hash;
        let block = match pending.blocks.get(&hash) {
            Some(b) => b.clone(),
            None => self
                .read_block(&hash)
                .map_err(|e| ConnectError::Storage(e.to_string()))?,
        };
        let undo = match pending.undo.get(&hash) {
            Some(u) => u.clone(),
            None => self.read_undo(&hash)?,
        };
        if undo.len() + 1 != block.txdata.len() {
            return Err(ConnectError::Storage(format!(
                "the undo data of block {hash} does not match its transactions"
            )));
        }
        for (i, tx) in block.txdata.iter().enumerate().rev() {
            let txid = tx.compute_txid();
            for (vout, out) in tx.output.iter().enumerate() {
                if !is_unspendable(&out.script_pubkey) {
                    let outpoint = OutPoint::new(txid, vout as u32);
                    let had = Self::pending_coin(pending, &outpoint)?;
                    clean &= had.is_some_and(|c| {
                        c.output == *out && c.height == chain.height() && c.coinbase == (i == 0)
                    });
                    if pending.fresh.remove(&outpoint) {
                        pending.coins.remove(&outpoint);
                    } else {
                        pending.coins.insert(outpoint, None);
                    }
                }
            }
            if i > 0 {
                let coins = &undo[i - 1];
                if coins.len() != tx.input.len() {
                    return Err(ConnectError::Storage(format!(
                        "the undo data of block {hash} does not match its inputs"
                    )));
                }
                for (input, coin) in tx.input.iter().zip(coins).rev() {
                    pending
                        .coins
                        .insert(input.previous_output, Some(coin.clone()));
                }
            }
        }
        chain.pop();
        Ok(clean)
    }

    /// Core's `VerifyDB` (`verifychain`): the last `depth` blocks of `chain` (0 or more
    /// than there are: all) are read back (level 0), checked (1), their undo data read
    /// (2), disconnected in memory with every output found as it was made (3), and
    /// connected again with every rule checked (4). Nothing is written.
    pub fn verify_chain(
        &mut self,
        params: &ChainParams,
        chain: &Chain,
        level: i64,
        depth: i64,
    ) -> Result<bool, ConnectError> {
        if chain.height() == 0 {
            return Ok(true);
        }
        let height = i64::from(chain.height());
        let depth = if depth <= 0 || depth > height {
            height
        } else {
            depth
        };
        let level = level.clamp(0, 4);
        tracing::info!("Verifying last {depth} blocks at level {level}");
        let pow_limit = Target::from_compact(params.genesis.header.bits);
        let mut pending = self.pending(false)?;
        let mut work = chain.clone();
        let mut blocks = Vec::new();
        let mut good_txs = 0usize;
        for _ in 0..depth {
            let tip = work.tip().clone();
            let fail = |why: &str| {
                tracing::error!(
                    "Verification error: {why} at {}, hash={}",
                    tip.height,
                    tip.hash
                );
                Ok(false)
            };
            let Ok(block) = self.read_block(&tip.hash) else {
                return fail("ReadBlock failed");
            };
            if level >= 1 && validation::check_block(&block, pow_limit).is_err() {
                return fail("found bad block");
            }
            if level >= 2 && self.read_undo(&tip.hash).is_err() {
                return fail("found bad undo data");
            }
            if level >= 3 {
                match self.disconnect_tip(&mut work, &mut pending) {
                    Ok(true) => good_txs += block.txdata.len(),
                    Ok(false) => {
                        tracing::error!(
                            "Verification error: coin database inconsistencies found (last {} blocks, {good_txs} good transactions before that)",
                            height - i64::from(tip.height) + 1
                        );
                        return Ok(false);
                    }
                    Err(_) => return fail("irrecoverable inconsistency in block data"),
                }
            } else {
                work.pop();
            }
            blocks.push(block);
        }
        if level >= 4 {
            for block in blocks.iter().rev() {
                let hash = block.block_hash();
                match self.connect_block(params, &mut work, block, &mut pending, i64::MAX / 2) {
                    Ok(Ok(())) => {}
                    _ => {
                        tracing::error!(
                            "Verification error: found unconnectable block at {}, hash={hash}",
                            work.height() + 1
                        );
                        return Ok(false);
                    }
                }
            }
        }
        tracing::info!(
            "Verification: No coin database inconsistencies in last {depth} blocks ({good_txs} transactions)"
        );
        Ok(true)
    }

    /// Reads the undo data of the stored block `hash`.
    pub(crate) fn read_undo(&self, hash: &BlockHash) -> Result<Vec<Vec<SpentCoin>>, ConnectError> {
        let e = self
            .index
            .get(hash)
            .filter(|e| e.d.status & HAVE_UNDO != 0)
            .ok_or_else(|| ConnectError::Storage(format!("block {hash} has no undo data")))?;
        let path = self.undo_file(e.d.undo_file);
        let fail = |why: String| ConnectError::Storage(format!("{}: {why}", path.display()));
        let mut f = File::open(&path).map_err(|e| fail(e.to_string()))?;
        f.seek(SeekFrom::Start(e.d.undo_pos))
            .map_err(|e| fail(e.to_string()))?;
        // The undo bytes and their checksum, sha256d(parent hash || undo), as Core's
        // ReadBlockUndo checks it.
        let mut bytes = vec![0u8; e.d.undo_len as usize + 32];
        f.read_exact(&mut bytes).map_err(|e| fail(e.to_string()))?;
        xor_at(&self.xor_key, &mut bytes, e.d.undo_pos);
        let (undo, check) = bytes.split_at(e.d.undo_len as usize);
        let mut engine = sha256d::Hash::engine();
        engine.input(e.d.header.prev_blockhash.as_byte_array());
        engine.input(undo);
        if sha256d::Hash::from_engine(engine)
            .as_byte_array()
            .as_slice()
            != check
        {
            return Err(fail(format!(
                "checksum mismatch of the undo data of block {hash}"
            )));
        }
        crate::undo::read_block_undo(undo).map_err(|e| fail(e.to_string()))
    }

    /// Records what the following calls do to the active chain, until
    /// [`ChainStore::take_events`].
    pub fn record_events(&mut self) {
        self.events = Some(Vec::new());
    }

    /// What the calls since [`ChainStore::record_events`] did to the active chain, in
    /// order; recording stops.
    pub fn take_events(&mut self) -> Vec<ChainEvent> {
        self.events.take().unwrap_or_default()
    }

    fn note(&mut self, event: ChainEvent) {
        if let Some(events) = &mut self.events {
            events.push(event);
        }
    }

    /// Core's `DisconnectTip` as a step of the active chain's moves: noted.
    fn disconnect_active_tip(
        &mut self,
        chain: &mut Chain,
        pending: &mut Pending,
    ) -> Result<(), ConnectError> {
        let tip = chain.tip();
        let event = ChainEvent::Disconnected {
            hash: tip.hash,
            height: tip.height,
            n_tx: tip.n_tx,
        };
        self.disconnect_tip(chain, pending)?;
        self.note(event);
        Ok(())
    }

    /// Core's `InvalidateBlock`: marks `hash` and its descendants invalid, disconnects
    /// them if they are active, and moves to the best valid chain left. `false` if the
    /// block is not known.
    pub fn invalidate_block(
        &mut self,
        params: &ChainParams,
        chain: &mut Chain,
        hash: &BlockHash,
        now: i64,
    ) -> Result<bool, ConnectError> {
        let Some(e) = self.index.get(hash) else {
            return Ok(false);
        };
        let height = e.d.height;
        if height == 0 {
            // As Core: the genesis block cannot be invalidated, and that is no error.
            return Ok(true);
        }
        let mut pending = self.pending(false)?;
        if chain.contains(hash, height) {
            // Core's InvalidateBlock: the mempool follows each disconnection, the
            // transactions of the first ten blocks coming back.
            let mut disconnected = 0;
            while chain.height() >= height && chain.height() > 0 {
                self.disconnect_active_tip(chain, &mut pending)?;
                disconnected += 1;
                self.note(ChainEvent::UpdateMempool {
                    readd: disconnected <= 10,
                });
            }
        }
        self.mark_failed(hash, &mut pending);
        self.activate_best_chain(params, chain, &mut pending, now)?;
        self.commit(pending, chain.tip().hash)?;
        Ok(true)
    }

    /// Core's `ReconsiderBlock`: clears the invalid marks of `hash`, its descendants and
    /// its ancestors, and moves to the best valid chain. `false` if the block is not
    /// known.
    pub fn reconsider_block(
        &mut self,
        params: &ChainParams,
        chain: &mut Chain,
        hash: &BlockHash,
        now: i64,
    ) -> Result<bool, ConnectError> {
        if !self.index.contains_key(hash) {
            return Ok(false);
        }
        let mut pending = self.pending(false)?;
        let mut stack = vec![*hash];
        while let Some(at) = stack.pop() {
            if let Some(e) = self.index.get_mut(&at) {
                e.d.status &= !FAILED;
                pending.dirty.insert(at);
            }
            stack.extend(self.children.get(&at).into_iter().flatten().copied());
        }
        let mut at = *hash;
        while let Some(e) = self.index.get_mut(&at) {
            if e.d.status & FAILED != 0 {
                e.d.status &= !FAILED;
                pending.dirty.insert(at);
            }
            if e.d.height == 0 {
                break;
            }
            at = e.d.header.prev_blockhash;
        }
        self.activate_best_chain(params, chain, &mut pending, now)?;
        self.commit(pending, chain.tip().hash)?;
        Ok(true)
    }

    /// Core's `PreciousBlock`: `hash`, if it has at least the tip's work, wins ties with
    /// the blocks that arrived before it; the best chain is then activated. `false` if
    /// the block is not known.
    pub fn precious_block(
        &mut self,
        params: &ChainParams,
        chain: &mut Chain,
        hash: &BlockHash,
        now: i64,
    ) -> Result<bool, ConnectError> {
        let tip_work = chain.tip().chain_work;
        let Some(e) = self.index.get(hash) else {
            return Ok(false);
        };
        if e.work < tip_work {
            return Ok(true);
        }
        if self.precious_work.is_none_or(|w| tip_work > w) {
            self.precious_seq = -1;
        }
        self.precious_work = Some(tip_work);
        let seq = self.precious_seq;
        self.precious_seq -= 1;
        self.index.get_mut(hash).expect("looked up above").seq = seq;
        let mut pending = self.pending(false)?;
        self.activate_best_chain(params, chain, &mut pending, now)?;
        self.commit(pending, chain.tip().hash)?;
        Ok(true)
    }

    /// The tips of every branch the index holds (Core's `getchaintips`).
    pub fn chain_tips(&self, chain: &Chain) -> Vec<ChainTip> {
        let mut tips: Vec<ChainTip> = self
            .index
            .iter()
            .filter(|(hash, _)| self.children.get(*hash).is_none_or(Vec::is_empty))
            .filter(|(hash, e)| !chain.contains(hash, e.d.height))
            .map(|(hash, e)| {
                // Down to the active chain: the fork, and whether every block on the way
                // is stored.
                let mut at = *hash;
                let mut all_data = true;
                let fork = loop {
                    let a = &self.index[&at];
                    if chain.contains(&at, a.d.height) {
                        break a.d.height;
                    }
                    all_data &= a.d.status & HAVE_DATA != 0;
                    at = a.d.header.prev_blockhash;
                };
                let status = if e.d.status & FAILED != 0 {
                    "invalid"
                } else if !all_data {
                    "headers-only"
                } else if e.d.status & CONNECTED != 0 {
                    "valid-fork"
                } else {
                    "valid-headers"
                };
                ChainTip {
                    hash: *hash,
                    height: e.d.height,
                    branch_len: e.d.height - fork,
                    status,
                }
            })
            .collect();
        tips.push(ChainTip {
            hash: chain.tip().hash,
            height: chain.height(),
            branch_len: 0,
            status: "active",
        });
        // As Core lists them: highest first (ties in no particular order; here by
        // status, the active one first, then by hash).
        tips.sort_by(|a, b| {
            b.height
                .cmp(&a.height)
                .then((b.status == "active").cmp(&(a.status == "active")))
                .then(a.hash.cmp(&b.hash))
        });
        tips
    }

    fn block_file(&self, n: u32) -> PathBuf {
        self.blocks_dir.join(format!("blk{n:05}.dat"))
    }

    fn undo_file(&self, n: u32) -> PathBuf {
        self.blocks_dir.join(format!("rev{n:05}.dat"))
    }

    /// Reads the stored block `hash`.
    pub fn read_block(&self, hash: &BlockHash) -> Result<Block, OpenError> {
        let d = self
            .index
            .get(hash)
            .filter(|e| e.d.status & HAVE_DATA != 0)
            .ok_or_else(|| OpenError::Corrupt(format!("block {hash} is not stored")))?
            .d;
        let path = self.block_file(d.file);
        let io = |source| OpenError::Io {
            path: path.clone(),
            source,
        };
        let mut f = File::open(&path).map_err(io)?;
        f.seek(SeekFrom::Start(d.pos)).map_err(io)?;
        let mut bytes = vec![0u8; d.len as usize];
        f.read_exact(&mut bytes).map_err(io)?;
        xor_at(&self.xor_key, &mut bytes, d.pos);
        let block: Block =
            deserialize(&bytes).map_err(|e| OpenError::Corrupt(format!("block {hash}: {e}")))?;
        // As Core's ReadBlock: the bytes must be the block the index names.
        if block.block_hash() != *hash {
            return Err(OpenError::Corrupt(format!(
                "GetHash() doesn't match index for block {hash} at {}:{}",
                d.file, d.pos
            )));
        }
        Ok(block)
    }

    /// The bytes the block and undo files hold, as Core's `size_on_disk` counts them:
    /// the frames written, not the space the file system gives them.
    pub fn size_on_disk(&self) -> u64 {
        let earlier: u64 = (0..self.write_pos.file)
            .flat_map(|n| [self.block_file(n), self.undo_file(n)])
            .filter_map(|path| std::fs::metadata(path).ok())
            .map(|m| m.len())
            .sum();
        earlier + self.write_pos.len + self.write_pos.undo_len
    }

    /// The unspent output `outpoint`, if there is one: (height, coinbase, output).
    pub fn coin(&self, outpoint: &OutPoint) -> Result<Option<(u32, bool, TxOut)>, OpenError> {
        let read = self.db.begin_read()?;
        let coins = match read.open_table(COINS) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let Some(v) = coins.get(&outpoint_key(outpoint))? else {
            return Ok(None);
        };
        let coin = coin_from_bytes(v.value())
            .ok_or_else(|| OpenError::Corrupt(format!("the coin {outpoint}")))?;
        Ok(Some((coin.height, coin.coinbase, coin.output)))
    }

    /// Every unspent output stored, in the database's order (by txid bytes, then
    /// output index), for `gettxoutsetinfo`.
    pub fn all_coins(&self) -> Result<Vec<(OutPoint, SpentCoin)>, OpenError> {
        let read = self.db.begin_read()?;
        let coins = match read.open_table(COINS) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut all = Vec::new();
        for entry in coins.iter()? {
            let (k, v) = entry?;
            let k = k.value();
            let txid = bitcoin::Txid::from_byte_array(k[..32].try_into().expect("32 bytes"));
            let vout = u32::from_le_bytes(k[32..].try_into().expect("4 bytes"));
            let outpoint = OutPoint::new(txid, vout);
            let coin = coin_from_bytes(v.value())
                .ok_or_else(|| OpenError::Corrupt(format!("the coin {outpoint}")))?;
            all.push((outpoint, coin));
        }
        Ok(all)
    }

    /// The bytes of the chainstate database file.
    pub fn database_size(&self) -> u64 {
        std::fs::metadata(self.blocks_dir.with_file_name("chainstate").join(DB_FILE))
            .map_or(0, |m| m.len())
    }

    /// The number of unspent outputs stored.
    pub fn coin_count(&self) -> Result<u64, OpenError> {
        let read = self.db.begin_read()?;
        match read.open_table(COINS) {
            Ok(t) => Ok(t.len()?),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(0),
            Err(e) => Err(e.into()),
        }
    }
}

/// Core's `ContextualCheckBlockHeader` for `header` on `parent_chain`'s tip: the
/// difficulty, the time against the median time past and the clock (`now`), and the
/// version the buried deployments ask for.
fn contextual_check_header(
    params: &ChainParams,
    parent_chain: &Chain,
    header: &Header,
    now: i64,
) -> Result<(), BlockReject> {
    let parent = parent_chain.tip();
    let height = parent.height + 1;
    if header.bits.to_consensus()
        != crate::mining::required_bits(params, parent_chain, i64::from(header.time))
    {
        return Err(BlockReject::invalid("bad-diffbits"));
    }
    if header.time <= parent.median_time_past {
        return Err(BlockReject::invalid("time-too-old"));
    }
    if i64::from(header.time) > now + MAX_FUTURE_BLOCK_TIME {
        return Err(BlockReject::invalid("time-too-new"));
    }
    let version = header.version.to_consensus();
    let buried = params.buried;
    if (version < 2 && height >= buried.bip34)
        || (version < 3 && height >= buried.bip66)
        || (version < 4 && height >= buried.bip65)
    {
        return Err(BlockReject::invalid(format!(
            "bad-version(0x{version:08x})"
        )));
    }
    Ok(())
}

/// Core's `ContextualCheckBlock` for `block` on `parent_chain`'s tip: final
/// transactions, the coinbase height (BIP34), the witness commitment and the weight.
fn contextual_check_block(
    params: &ChainParams,
    parent_chain: &Chain,
    block: &Block,
) -> Result<(), BlockReject> {
    let parent = parent_chain.tip();
    let height = parent.height + 1;
    let buried = params.buried;
    let cutoff = if height >= buried.csv {
        i64::from(parent.median_time_past)
    } else {
        i64::from(block.header.time)
    };
    if !block
        .txdata
        .iter()
        .all(|tx| validation::is_final_tx(tx, height, cutoff))
    {
        return Err(BlockReject::invalid("bad-txns-nonfinal"));
    }
    if height >= buried.bip34 {
        // `CScript() << nHeight`, as the coinbase's scriptSig must start.
        let expect = bitcoin::script::Builder::new()
            .push_int(i64::from(height))
            .into_script();
        if !block.txdata[0].input[0]
            .script_sig
            .as_bytes()
            .starts_with(expect.as_bytes())
        {
            return Err(BlockReject::invalid("bad-cb-height"));
        }
    }
    validation::check_witness_malleation(block, height >= buried.segwit)?;
    if block.weight().to_wu() > validation::MAX_BLOCK_WEIGHT {
        return Err(BlockReject::invalid("bad-blk-weight"));
    }
    Ok(())
}

/// The database's file under `chainstate/`.
const DB_FILE: &str = "chainstate.redb";
/// Where a rebuild makes the new database, renamed over [`DB_FILE`] once complete.
const REBUILT_DB_FILE: &str = "chainstate.redb.new";
/// The transaction index's database, in `indexes/txindex/`.
const TXINDEX_DB_FILE: &str = "txindex.redb";

/// What `ChainStore::open` rebuilds before it opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rebuild {
    /// Nothing: open what is there.
    No,
    /// `-reindex`: the block index, the UTXO set and the tip, from a scan of the block
    /// files.
    Reindex,
    /// `-reindex-chainstate`: the UTXO set and the tip, from the blocks the index names.
    Chainstate,
}

/// Whether `blk00000.dat` exists and holds bytes.
fn block_file_in_use(blocks_dir: &Path) -> bool {
    std::fs::metadata(blocks_dir.join("blk00000.dat")).is_ok_and(|m| m.len() > 0)
}

/// The blocks stored in the block files, by hash, found by scanning every file for
/// frames (message start, length, a block that parses), as Core's
/// `LoadExternalBlockFile` scans them; bytes that are no block are skipped.
fn scan_block_files(
    blocks_dir: &Path,
    message_start: [u8; 4],
    xor_key: [u8; 8],
) -> Result<Vec<DiskIndex>, OpenError> {
    let mut found = Vec::new();
    let total = (0u32..)
        .take_while(|n| blocks_dir.join(format!("blk{n:05}.dat")).exists())
        .count() as u32;
    for n in 0..total {
        let path = blocks_dir.join(format!("blk{n:05}.dat"));
        tracing::info!(
            "Reindexing block file blk{n:05}.dat ({}% complete)...",
            n * 100 / total
        );
        let mut bytes = std::fs::read(&path).map_err(|source| OpenError::Io {
            path: path.clone(),
            source,
        })?;
        xor_at(&xor_key, &mut bytes, 0);
        let mut at = 0usize;
        while at + 8 <= bytes.len() {
            if bytes[at..at + 4] != message_start {
                at += 1;
                continue;
            }
            let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().expect("4 bytes"));
            let start = at + 8;
            let block = bytes
                .get(start..start + len as usize)
                .and_then(|b| deserialize::<Block>(b).ok());
            let Some(block) = block else {
                at += 1;
                continue;
            };
            let mut d = DiskIndex::header_only(block.header, 0);
            d.n_tx = block.txdata.len() as u32;
            (d.file, d.pos, d.len) = (n, start as u64, len);
            d.status = HAVE_DATA;
            found.push(d);
            at = start + len as usize;
        }
    }
    tracing::info!("Reindexing finished");
    Ok(found)
}

/// The undo records in the undo files, by their checksum: (file, offset, length). A
/// record is its frame (message start, length), the undo bytes and a 32-byte checksum.
fn scan_undo_files(
    blocks_dir: &Path,
    message_start: [u8; 4],
    xor_key: [u8; 8],
) -> Result<UndoByChecksum, OpenError> {
    let mut found = HashMap::new();
    for n in (0u32..).take_while(|n| blocks_dir.join(format!("rev{n:05}.dat")).exists()) {
        let path = blocks_dir.join(format!("rev{n:05}.dat"));
        let mut bytes = std::fs::read(&path).map_err(|source| OpenError::Io {
            path: path.clone(),
            source,
        })?;
        xor_at(&xor_key, &mut bytes, 0);
        let mut at = 0usize;
        while at + 8 <= bytes.len() {
            let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().expect("4 bytes"));
            let end = at + 8 + len as usize + 32;
            if bytes[at..at + 4] != message_start || end > bytes.len() {
                at += 1;
                continue;
            }
            let check: [u8; 32] = bytes[end - 32..end].try_into().expect("32 bytes");
            found.insert(check, (n, at as u64 + 8, len));
            at = end;
        }
    }
    Ok(found)
}

/// Rebuilds the database into `fresh` from the block files (`-reindex`) or from the
/// blocks the old database indexes (`-reindex-chainstate`): every stored block that
/// descends from the genesis block is indexed, the best valid chain is checked in full
/// and connected; then `fresh` replaces `db_path`. A rebuild killed before the rename
/// leaves the old database in place.
fn rebuild_database(
    blocks_dir: &Path,
    db_path: &Path,
    fresh: &Path,
    params: &ChainParams,
    rebuild: Rebuild,
    now: i64,
    xor_key: [u8; 8],
) -> Result<(), OpenError> {
    let found: Vec<DiskIndex> = match rebuild {
        Rebuild::Reindex | Rebuild::No => {
            scan_block_files(blocks_dir, params.message_start, xor_key)?
        }
        Rebuild::Chainstate => {
            if !db_path.exists() {
                return Err(OpenError::Corrupt(
                    "there is no block index to rebuild the chainstate from".into(),
                ));
            }
            let old = Database::create(db_path)?;
            let read = old.begin_read()?;
            let mut found = Vec::new();
            if let Ok(index) = read.open_table(BLOCK_INDEX) {
                for entry in index.iter()? {
                    let (_, v) = entry?;
                    let d = DiskIndex::from_bytes(v.value())
                        .ok_or_else(|| OpenError::Corrupt("an index entry".into()))?;
                    if d.status & HAVE_DATA != 0 {
                        // Validity is judged again; the undo data stays where it is.
                        found.push(DiskIndex {
                            status: d.status & (HAVE_DATA | HAVE_UNDO),
                            ..d
                        });
                    }
                }
            }
            // Blocks in the order they were written.
            found.sort_by_key(|d| (d.file, d.pos));
            found
        }
    };
    let genesis = params.genesis.block_hash();
    if !found.iter().any(|d| d.header.block_hash() == genesis) {
        return Err(OpenError::Corrupt(
            "the block files do not hold this chain's genesis block".into(),
        ));
    }
    // Heights from the genesis block down every branch; blocks that do not descend from
    // it are left out.
    let mut by_parent: HashMap<BlockHash, Vec<DiskIndex>> = HashMap::new();
    let mut genesis_entry = None;
    for d in found {
        if d.header.block_hash() == genesis {
            genesis_entry.get_or_insert(d);
        } else {
            by_parent
                .entry(d.header.prev_blockhash)
                .or_default()
                .push(d);
        }
    }
    let genesis_entry = genesis_entry.expect("found above");
    let db = Database::create(fresh)?;
    let mut store = ChainStore::new(db, blocks_dir.to_path_buf(), params);
    store.xor_key = xor_key;
    // New blocks go after everything in the files, whatever it is.
    let last = (0u32..)
        .take_while(|n| store.block_file(*n).exists())
        .last()
        .unwrap_or(0);
    let len = |p: PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
    store.write_pos = FilePos {
        file: last,
        len: len(store.block_file(last)),
        undo_len: len(store.undo_file(last)),
    };
    let fail = |e: ConnectError| OpenError::Corrupt(format!("rebuilding: {e}"));
    let mut pending = store.pending(true).map_err(fail)?;
    if rebuild != Rebuild::Chainstate {
        pending.known_undo = scan_undo_files(blocks_dir, params.message_start, xor_key)?;
    }
    store.add_entry(DiskIndex {
        height: 0,
        status: genesis_entry.status | CONNECTED,
        ..genesis_entry
    });
    pending.dirty.insert(genesis);
    let mut queue = std::collections::VecDeque::from([(genesis, 0u32)]);
    while let Some((at, height)) = queue.pop_front() {
        for d in by_parent.remove(&at).into_iter().flatten() {
            let hash = d.header.block_hash();
            if store.index.contains_key(&hash) {
                continue;
            }
            store.add_entry(DiskIndex {
                height: height + 1,
                ..d
            });
            pending.dirty.insert(hash);
            queue.push_back((hash, height + 1));
        }
    }
    let mut chain = Chain::genesis_only(params);
    store
        .activate_best_chain(params, &mut chain, &mut pending, now)
        .map_err(fail)?;
    store.commit(pending, chain.tip().hash).map_err(fail)?;
    drop(store);
    std::fs::rename(fresh, db_path).map_err(|source| OpenError::Io {
        path: db_path.to_path_buf(),
        source,
    })?;
    if let Some(dir) = db_path.parent() {
        sync_dir(dir).map_err(|source| OpenError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::{ScriptBuf, Transaction};
    use umkoin_interfaces::chain::ChainType;

    fn params() -> ChainParams {
        ChainParams::for_chain(ChainType::Regtest).expect("regtest runs")
    }

    fn script() -> ScriptBuf {
        ScriptBuf::from_hex("0014751e76e8199196d454941c45d1b3a323f1433bd6").expect("hex")
    }

    /// `n` solved blocks on top of `chain` (which is left as it was).
    fn mine(params: &ChainParams, chain: &Chain, n: usize, time: i64) -> Vec<Block> {
        let mut chain = chain.clone();
        (0..n)
            .map(|_| {
                let mut block = crate::mining::create_new_block(params, &chain, &script(), time);
                assert!(crate::mining::solve(&mut block, &mut u64::MAX.clone()));
                chain.push(chain.next_index(block.header, block.txdata.len() as u64));
                block
            })
            .collect()
    }

    const NOW: i64 = 1_700_000_000;

    impl ChainStore {
        /// Processes `blocks`; an error unless each connects.
        fn connect(
            &mut self,
            p: &ChainParams,
            chain: &mut Chain,
            blocks: &[Block],
            now: i64,
        ) -> Result<(), ConnectError> {
            for r in self.process_blocks(p, chain, blocks, now)? {
                match r {
                    Processed::Connected => {}
                    Processed::Rejected(reason) => return Err(ConnectError::Invalid(reason)),
                    other => return Err(ConnectError::Storage(format!("{other:?}"))),
                }
            }
            Ok(())
        }
    }

    #[test]
    fn the_coin_cache_keeps_to_its_budget() {
        let mut cache = CoinCache::new(1_000);
        let coin = |n: u8| {
            Some(SpentCoin {
                height: 1,
                coinbase: false,
                output: bitcoin::TxOut {
                    value: bitcoin::Amount::from_sat(u64::from(n)),
                    script_pubkey: script(),
                },
            })
        };
        let at = |n: u8| OutPoint::new(bitcoin::Txid::from_byte_array([n; 32]), 0);
        for n in 0..5 {
            cache.put(at(n), coin(n));
        }
        assert_eq!(cache.map.len(), 5);
        assert_eq!(cache.get(&at(3)), Some(coin(3)));
        // Replacing an entry does not count it twice; a spent coin is remembered too.
        cache.put(at(3), None);
        assert_eq!(cache.get(&at(3)), Some(None));
        assert!(cache.bytes <= 1_000);
        // Past the budget it starts again, empty.
        for n in 5..20 {
            cache.put(at(n), coin(n));
        }
        assert!(cache.bytes <= 1_000, "{}", cache.bytes);
        assert!(cache.map.len() < 10);
    }

    #[test]
    fn a_small_coin_cache_changes_nothing_but_memory() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let p = params();
        let (mut store, mut chain) =
            ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("opens");
        *store.cache.lock().expect("not poisoned") = CoinCache::new(600);
        let mut first = Vec::new();
        for i in 0..102 {
            let b = block_with(&p, &chain, vec![], (i % 7) as u8);
            assert_eq!(
                process_one(&mut store, &p, &mut chain, &b),
                Processed::Connected
            );
            first.push(b);
        }
        assert!(store.cache_usage().1 <= 600);
        let coinbase = OutPoint::new(first[0].txdata[0].compute_txid(), 0);
        let tx = spend(coinbase, bitcoin::Amount::from_sat(50 * 100_000_000), 1000);
        let b = block_with(&p, &chain, vec![tx.clone()], 0);
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &b),
            Processed::Connected
        );
        assert!(store.coin(&coinbase).expect("readable").is_none());
        // Spending it again fails, however little the cache remembers.
        let again = spend(coinbase, bitcoin::Amount::from_sat(50 * 100_000_000), 2000);
        let b = block_with(&p, &chain, vec![again], 1);
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &b),
            Processed::Rejected("bad-txns-inputs-missingorspent".into())
        );
    }

    /// A transaction in both branches of a reorg, spent on the new one: the spend must
    /// reach the database (a coin re-created after its disconnect is not FRESH).
    #[test]
    fn a_coin_recreated_by_a_reorg_and_spent_is_spent() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let p = params();
        let (mut store, mut chain) =
            ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("opens");
        let mut first = Vec::new();
        for i in 0..101 {
            let b = block_with(&p, &chain, vec![], (i % 7) as u8);
            assert_eq!(
                process_one(&mut store, &p, &mut chain, &b),
                Processed::Connected
            );
            first.push(b);
        }
        let fifty = bitcoin::Amount::from_sat(50 * 100_000_000);
        let t = spend(
            OutPoint::new(first[0].txdata[0].compute_txid(), 0),
            fifty,
            1000,
        );
        let x = OutPoint::new(t.compute_txid(), 0);
        let fork = chain.clone();
        let a = block_with(&p, &chain, vec![t.clone()], 20);
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &a),
            Processed::Connected
        );
        // A side block with the same transaction, then a block spending its output.
        let a2 = block_with(&p, &fork, vec![t.clone()], 21);
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &a2),
            Processed::Inconclusive
        );
        let mut side = fork.clone();
        side.push(side.next_index(a2.header, 2));
        let u = spend(x, fifty - bitcoin::Amount::from_sat(1000), 1000);
        let b2 = block_with(&p, &side, vec![u], 22);
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &b2),
            Processed::Connected
        );
        assert!(
            store.coin(&x).expect("readable").is_none(),
            "spent on the new branch"
        );
        side.push(side.next_index(b2.header, 2));
        let again = spend(x, fifty - bitcoin::Amount::from_sat(1000), 2000);
        let c2 = block_with(&p, &side, vec![again], 23);
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &c2),
            Processed::Rejected("bad-txns-inputs-missingorspent".into())
        );
    }

    #[test]
    fn blocks_and_coins_survive_reopening() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let p = params();
        let (mut store, mut chain) =
            ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("opens");
        assert_eq!(chain.height(), 0);
        assert_eq!(store.size_on_disk(), 256);
        let blocks = mine(&p, &chain, 5, NOW);
        store
            .connect(&p, &mut chain, &blocks, NOW)
            .expect("valid blocks connect");
        assert_eq!(chain.height(), 5);
        assert_eq!(store.coin_count().expect("readable"), 5);
        drop(store);
        let (store, again) = ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("reopens");
        assert_eq!(again.tip().hash, chain.tip().hash);
        assert_eq!(again.tip().chain_work, chain.tip().chain_work);
        for (i, b) in blocks.iter().enumerate() {
            assert_eq!(
                &store.read_block(&b.block_hash()).expect("stored"),
                b,
                "block {i}"
            );
            let out = OutPoint::new(b.txdata[0].compute_txid(), 0);
            let (height, coinbase, txout) = store.coin(&out).expect("readable").expect("a coin");
            assert_eq!((height, coinbase), (i as u32 + 1, true));
            assert_eq!(txout, b.txdata[0].output[0]);
        }
        assert_eq!(store.size_on_disk(), 256 + 5 * 297);
    }

    #[test]
    fn bytes_of_a_batch_that_never_committed_are_overwritten() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let p = params();
        let (mut store, mut chain) =
            ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("opens");
        let first = mine(&p, &chain, 2, NOW);
        store
            .connect(&p, &mut chain, &first, NOW)
            .expect("connects");
        drop(store);
        // A batch killed after writing its files, before its commit.
        for name in ["blk00000.dat", "rev00000.dat"] {
            let mut f = OpenOptions::new()
                .append(true)
                .open(dir.path().join("blocks").join(name))
                .expect("the file exists");
            f.write_all(&[0xab; 5000]).expect("writes");
        }
        let (mut store, mut chain) =
            ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("reopens");
        assert_eq!(
            chain.height(),
            2,
            "the uncommitted batch is not in the chain"
        );
        assert_eq!(store.size_on_disk(), 256 + 2 * 297);
        let second = mine(&p, &chain, 3, NOW);
        store
            .connect(&p, &mut chain, &second, NOW)
            .expect("connects");
        drop(store);
        let (store, chain) = ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("reopens");
        assert_eq!(chain.height(), 5);
        for b in first.iter().chain(&second) {
            assert_eq!(&store.read_block(&b.block_hash()).expect("stored"), b);
        }
    }

    #[test]
    fn damaged_block_and_undo_bytes_are_caught_when_read() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let p = params();
        let (mut store, mut chain) =
            ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("opens");
        let blocks = mine(&p, &chain, 3, NOW);
        store
            .connect(&p, &mut chain, &blocks, NOW)
            .expect("connects");
        drop(store);
        let flip = |name: &str, from_end: u64| {
            let path = dir.path().join("blocks").join(name);
            let mut bytes = std::fs::read(&path).expect("the file exists");
            let at = bytes.len() - from_end as usize;
            bytes[at] ^= 0x01;
            std::fs::write(&path, bytes).expect("writes");
        };
        // The tip's nonce (its header's last byte sits before the transaction count and
        // the 217-byte coinbase): start-up's check reads the tip and refuses it.
        flip("blk00000.dat", 1 + 217 + 1);
        let err = ChainStore::open(dir.path(), &p, Rebuild::No, NOW)
            .map(|_| ())
            .expect_err("the tip's bytes are another block");
        assert!(
            err.to_string().contains("GetHash() doesn't match index"),
            "{err}"
        );
        flip("blk00000.dat", 1 + 217 + 1);
        // The tip's undo checksum: disconnecting the tip reads it and fails.
        flip("rev00000.dat", 1);
        let (mut store, mut chain) =
            ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("reopens");
        assert_eq!(
            store.read_block(&blocks[2].block_hash()).expect("intact"),
            blocks[2]
        );
        let err = store
            .invalidate_block(&p, &mut chain, &blocks[2].block_hash(), NOW)
            .expect_err("the undo data does not match its checksum");
        assert!(
            matches!(&err, ConnectError::Storage(why) if why.contains("checksum mismatch")),
            "{err}"
        );
    }

    #[test]
    fn a_rebuild_drops_bytes_that_are_not_their_block_and_blocks_from_the_future() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let p = params();
        let (mut store, mut chain) =
            ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("opens");
        let blocks = mine(&p, &chain, 3, NOW);
        store
            .connect(&p, &mut chain, &blocks, NOW)
            .expect("connects");
        // Two children of the tip that never went through validation, as a foreign or
        // damaged block file may hold them: one whose transactions are not the ones its
        // header commits to (Core's BLOCK_MUTATED), one from three hours ahead.
        let mut mutated = mine(&p, &chain, 1, NOW).remove(0);
        mutated.txdata[0].output[0].value += bitcoin::Amount::from_sat(1);
        let future = mine(&p, &chain, 1, NOW + 3 * 3600).remove(0);
        let path = store.block_file(0);
        let mut file_bytes = std::fs::read(&path).expect("the file exists");
        for b in [&mutated, &future] {
            let data = bitcoin::consensus::serialize(b);
            let mut frame = p.message_start.to_vec();
            frame.extend_from_slice(&(data.len() as u32).to_le_bytes());
            frame.extend_from_slice(&data);
            xor_at(&store.xor_key, &mut frame, file_bytes.len() as u64);
            file_bytes.extend_from_slice(&frame);
        }
        std::fs::write(&path, file_bytes).expect("writes");
        drop(store);
        // The rebuild ends (it once retried the mutated block forever) on the old tip,
        // and marks neither block invalid.
        let (store, rebuilt) =
            ChainStore::open(dir.path(), &p, Rebuild::Reindex, NOW).expect("rebuilds");
        assert_eq!(rebuilt.tip().hash, chain.tip().hash);
        assert!(
            store
                .chain_tips(&rebuilt)
                .iter()
                .all(|t| t.status != "invalid"),
            "{:?}",
            store.chain_tips(&rebuilt)
        );
        drop(store);
        // Once its time has come, a rebuild connects the block from the future.
        let (_, later) =
            ChainStore::open(dir.path(), &p, Rebuild::Reindex, NOW + 3 * 3600).expect("rebuilds");
        assert_eq!(later.tip().hash, future.block_hash());
    }

    #[test]
    fn a_rebuild_killed_before_its_rename_leaves_the_old_database() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let p = params();
        let (mut store, mut chain) =
            ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("opens");
        let blocks = mine(&p, &chain, 3, NOW);
        store
            .connect(&p, &mut chain, &blocks, NOW)
            .expect("connects");
        drop(store);
        // What a killed rebuild leaves: a half-made database beside the old one.
        let half = dir.path().join("chainstate").join(REBUILT_DB_FILE);
        std::fs::write(&half, b"half a database").expect("writes");
        let (_, again) = ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("reopens");
        assert_eq!(again.tip().hash, chain.tip().hash);
        assert!(!half.exists(), "the leftover is removed");
        // And a rebuild from the files gives the same chain.
        let (store, rebuilt) =
            ChainStore::open(dir.path(), &p, Rebuild::Reindex, NOW).expect("rebuilds");
        assert_eq!(rebuilt.tip().hash, chain.tip().hash);
        assert_eq!(store.coin_count().expect("readable"), 3);
    }

    #[test]
    fn invalid_blocks_get_cores_reasons_and_change_nothing() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let p = params();
        let (mut store, mut chain) =
            ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("opens");
        let good = mine(&p, &chain, 1, NOW).remove(0);
        let reject = |store: &mut ChainStore, chain: &mut Chain, block: Block, now: i64| match store
            .connect(&p, chain, &[block], now)
        {
            Err(ConnectError::Invalid(reason)) => reason,
            other => panic!("expected a reject reason, got {other:?}"),
        };
        // Re-solve after a change to the header or the coinbase.
        let resolved = |mut b: Block| {
            b.header.merkle_root = b.compute_merkle_root().expect("transactions");
            assert!(crate::mining::solve(&mut b, &mut u64::MAX.clone()));
            b
        };
        let mut b = good.clone();
        b.header.prev_blockhash = BlockHash::all_zeros();
        assert_eq!(
            reject(&mut store, &mut chain, resolved(b), NOW),
            "prev-blk-not-found"
        );
        let mut b = good.clone();
        while b.header.validate_pow(b.header.target()).is_ok() {
            b.header.nonce += 1;
        }
        assert_eq!(reject(&mut store, &mut chain, b, NOW), "high-hash");
        let mut b = good.clone();
        b.header.bits = bitcoin::CompactTarget::from_consensus(0x207f_fffe);
        assert_eq!(
            reject(&mut store, &mut chain, resolved(b), NOW),
            "bad-diffbits"
        );
        let mut b = good.clone();
        b.txdata[0].input[0].script_sig = bitcoin::script::Builder::new()
            .push_int(1)
            .push_slice([0u8; 75])
            .push_slice([0u8; 24])
            .into_script();
        assert_eq!(
            reject(&mut store, &mut chain, resolved(b), NOW),
            "bad-cb-length"
        );
        let mut b = good.clone();
        b.header.time = chain.tip().median_time_past;
        assert_eq!(
            reject(&mut store, &mut chain, resolved(b), NOW),
            "time-too-old"
        );
        assert_eq!(
            reject(&mut store, &mut chain, good.clone(), NOW - 2 * 60 * 60 - 1),
            "time-too-new"
        );
        let mut b2 = good.clone();
        b2.header.merkle_root = bitcoin::TxMerkleNode::all_zeros();
        while b2.header.validate_pow(b2.header.target()).is_err() {
            b2.header.nonce += 1;
        }
        assert_eq!(reject(&mut store, &mut chain, b2, NOW), "bad-txnmrklroot");
        let mut b = good.clone();
        b.txdata[0].output[0].value = bitcoin::Amount::from_sat(50 * 100_000_000 + 1);
        assert_eq!(
            reject(&mut store, &mut chain, resolved(b), NOW),
            "bad-cb-amount"
        );
        let mut b = good.clone();
        b.txdata[0].input[0].script_sig = bitcoin::script::Builder::new()
            .push_int(2)
            .push_opcode(bitcoin::opcodes::OP_0)
            .into_script();
        assert_eq!(
            reject(&mut store, &mut chain, resolved(b), NOW),
            "bad-cb-height"
        );
        let mut b = good.clone();
        let mut commitment = b.txdata[0].output[1].script_pubkey.to_bytes();
        commitment[10] ^= 1;
        b.txdata[0].output[1].script_pubkey = ScriptBuf::from_bytes(commitment);
        assert_eq!(
            reject(&mut store, &mut chain, resolved(b), NOW),
            "bad-witness-merkle-match"
        );
        // Without a commitment, the coinbase's witness is a witness too many.
        let mut b = good.clone();
        b.txdata[0].output[1].script_pubkey = ScriptBuf::new_op_return([0u8; 36]);
        assert_eq!(
            reject(&mut store, &mut chain, resolved(b), NOW),
            "unexpected-witness"
        );
        let mut b = good.clone();
        b.txdata[0].input[0].witness = bitcoin::Witness::from_slice(&[[0u8; 33]]);
        assert_eq!(
            reject(&mut store, &mut chain, resolved(b), NOW),
            "bad-witness-nonce-size"
        );
        let mut b = good.clone();
        b.header.version = bitcoin::block::Version::from_consensus(3);
        assert_eq!(
            reject(&mut store, &mut chain, resolved(b), NOW),
            "bad-version(0x00000003)"
        );
        let mut b = good.clone();
        b.txdata.push(b.txdata[0].clone());
        b.txdata[1].input[0].previous_output =
            OutPoint::new(bitcoin::Txid::from_byte_array([1; 32]), 0);
        // [coinbase, t, u, u] has the merkle root of [coinbase, t, u].
        let mut u = b.txdata[1].clone();
        u.input[0].previous_output.vout = 1;
        b.txdata.push(u.clone());
        b.txdata.push(u);
        assert_eq!(
            reject(&mut store, &mut chain, resolved(b), NOW),
            "bad-txns-duplicate"
        );
        // Only the block that failed as it connected (bad-cb-amount) was stored, as
        // Core stores it; the chain is as before, and the good block still connects.
        assert_eq!(chain.height(), 0);
        assert_eq!(
            store.size_on_disk(),
            256 + 256,
            "its block, without undo data"
        );
        store
            .connect(&p, &mut chain, &[good], NOW)
            .expect("connects");
        assert_eq!(chain.height(), 1);
    }

    /// P2WSH of `OP_TRUE`: spent by a witness of the script alone.
    fn op_true() -> (ScriptBuf, bitcoin::Witness) {
        let script = ScriptBuf::from_bytes(vec![0x51]);
        (
            ScriptBuf::new_p2wsh(&script.wscript_hash()),
            bitcoin::Witness::from_slice(&[script.as_bytes()]),
        )
    }

    /// A transaction spending `from` (worth `value`) to the `OP_TRUE` output, less `fee`.
    fn spend(from: OutPoint, value: bitcoin::Amount, fee: u64) -> Transaction {
        let (spk, witness) = op_true();
        Transaction {
            version: bitcoin::transaction::Version::TWO,
            lock_time: bitcoin::absolute::LockTime::ZERO,
            input: vec![bitcoin::TxIn {
                previous_output: from,
                script_sig: ScriptBuf::new(),
                sequence: bitcoin::Sequence::MAX,
                witness,
            }],
            output: vec![bitcoin::TxOut {
                value: value - bitcoin::Amount::from_sat(fee),
                script_pubkey: spk,
            }],
        }
    }

    /// A solved block on `chain`'s tip paying the `OP_TRUE` output, holding `txs`, with
    /// its witness commitment made again; `salt` makes blocks of equal content differ.
    fn block_with(p: &ChainParams, chain: &Chain, txs: Vec<Transaction>, salt: u8) -> Block {
        let mut b = crate::mining::create_new_block(p, chain, &op_true().0, NOW + i64::from(salt));
        b.txdata.extend(txs);
        let mut commitment = vec![0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed];
        commitment.extend_from_slice(&validation::witness_commitment(&b, &[0; 32]));
        b.txdata[0].output[1].script_pubkey = ScriptBuf::from_bytes(commitment);
        b.header.merkle_root = b.compute_merkle_root().expect("transactions");
        assert!(crate::mining::solve(&mut b, &mut u64::MAX.clone()));
        b
    }

    fn process_one(
        store: &mut ChainStore,
        p: &ChainParams,
        chain: &mut Chain,
        b: &Block,
    ) -> Processed {
        store
            .process_blocks(p, chain, std::slice::from_ref(b), NOW)
            .expect("no storage failure")
            .remove(0)
    }

    #[test]
    fn spends_reorgs_invalidation_and_undo_across_restarts() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let p = params();
        let (mut store, mut chain) =
            ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("opens");
        let mut first = Vec::new();
        for i in 0..101 {
            let b = block_with(&p, &chain, vec![], (i % 7) as u8);
            assert_eq!(
                process_one(&mut store, &p, &mut chain, &b),
                Processed::Connected
            );
            first.push(b);
        }
        let coinbase = |b: &Block| OutPoint::new(b.txdata[0].compute_txid(), 0);
        let fifty = bitcoin::Amount::from_sat(50 * 100_000_000);
        // Block 102 spends block 1's coinbase (mature) with a fee the coinbase may take.
        let tx = spend(coinbase(&first[0]), fifty, 1000);
        let fork_chain = chain.clone();
        let b102 = block_with(&p, &chain, vec![tx.clone()], 0);
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &b102),
            Processed::Connected
        );
        assert_eq!(chain.height(), 102);
        assert!(
            store
                .coin(&coinbase(&first[0]))
                .expect("readable")
                .is_none()
        );
        assert!(
            store
                .coin(&OutPoint::new(tx.compute_txid(), 0))
                .expect("readable")
                .is_some()
        );
        // The same block again is a duplicate.
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &b102),
            Processed::Duplicate
        );

        // Restart: the undo data of block 102 is read from its file from now on.
        drop(store);
        let (mut store, mut chain) =
            ChainStore::open(dir.path(), &p, Rebuild::No, NOW).expect("reopens");
        assert_eq!(chain.tip().hash, b102.block_hash());

        // A side branch from block 101: one block is inconclusive (less work: ties go to
        // the first received), two make it the best chain.
        let s102 = block_with(&p, &fork_chain, vec![], 1);
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &s102),
            Processed::Inconclusive
        );
        let mut side = fork_chain.clone();
        side.push(side.next_index(s102.header, 1));
        let s103 = block_with(&p, &side, vec![], 2);
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &s103),
            Processed::Connected
        );
        assert_eq!(chain.tip().hash, s103.block_hash());
        // Block 102's spend was undone, its output is gone.
        assert!(
            store
                .coin(&coinbase(&first[0]))
                .expect("readable")
                .is_some()
        );
        assert!(
            store
                .coin(&OutPoint::new(tx.compute_txid(), 0))
                .expect("readable")
                .is_none()
        );
        let tips = store.chain_tips(&chain);
        assert_eq!(tips[0].status, "active");
        assert_eq!(
            (tips[1].hash, tips[1].branch_len, tips[1].status),
            (b102.block_hash(), 1, "valid-fork")
        );

        // Invalidating the side branch goes back to block 102; reconsidering returns.
        assert!(
            store
                .invalidate_block(&p, &mut chain, &s102.block_hash(), NOW)
                .expect("works")
        );
        assert_eq!(chain.tip().hash, b102.block_hash());
        assert!(
            store
                .coin(&OutPoint::new(tx.compute_txid(), 0))
                .expect("readable")
                .is_some()
        );
        let tips = store.chain_tips(&chain);
        assert_eq!(
            (tips[0].hash, tips[0].branch_len, tips[0].status),
            (s103.block_hash(), 2, "invalid"),
            "the highest first"
        );
        assert_eq!(
            (tips[1].hash, tips[1].status),
            (b102.block_hash(), "active")
        );
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &s103),
            Processed::Rejected("duplicate-invalid".into())
        );
        assert!(
            store
                .reconsider_block(&p, &mut chain, &s102.block_hash(), NOW)
                .expect("works")
        );
        assert_eq!(chain.tip().hash, s103.block_hash());

        // On the side branch, spending block 1's coinbase with a bad script fails, and
        // the block is marked invalid with its reason.
        let mut bad = spend(coinbase(&first[0]), fifty, 1000);
        bad.input[0].witness = bitcoin::Witness::from_slice(&[[0x52u8]]);
        let mut at = chain.clone();
        let b104 = block_with(&p, &at, vec![bad], 3);
        match process_one(&mut store, &p, &mut chain, &b104) {
            Processed::Rejected(r) => {
                assert!(r.starts_with("block-script-verify-flag-failed ("), "{r}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(chain.tip().hash, s103.block_hash());
        // Spending the coinbase of block 100 at height 104 is premature.
        let young = spend(coinbase(&first[99]), fifty, 0);
        let b104 = block_with(&p, &at, vec![young], 4);
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &b104),
            Processed::Rejected("bad-txns-premature-spend-of-coinbase".into())
        );
        // Taking more than the inputs hold.
        let greedy = spend(coinbase(&first[1]), fifty + bitcoin::Amount::from_sat(1), 0);
        let b104 = block_with(&p, &at, vec![greedy], 5);
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &b104),
            Processed::Rejected("bad-txns-in-belowout".into())
        );
        // A good spend of the same coin still connects, and survives a restart and a
        // rebuild from the block files.
        let good = spend(coinbase(&first[1]), fifty, 500);
        let b104 = block_with(&p, &at, vec![good.clone()], 6);
        assert_eq!(
            process_one(&mut store, &p, &mut chain, &b104),
            Processed::Connected
        );
        at.push(at.next_index(b104.header, 2));
        // Every level of verifychain finds the chain sound, over all of it.
        for level in 0..=4 {
            assert!(
                store
                    .verify_chain(&p, &chain, level, 0)
                    .expect("no storage failure")
            );
        }
        let coins = store.coin_count().expect("readable");
        drop(store);
        let (store, again) =
            ChainStore::open(dir.path(), &p, Rebuild::Reindex, NOW).expect("rebuilds");
        assert_eq!(again.tip().hash, b104.block_hash());
        assert_eq!(store.coin_count().expect("readable"), coins);
        assert!(
            store
                .coin(&OutPoint::new(good.compute_txid(), 0))
                .expect("readable")
                .is_some()
        );
    }
}
