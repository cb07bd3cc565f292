//! The chain on disk: blocks appended to `blocks/blk?????.dat` and their undo data to
//! `blocks/rev?????.dat` (each framed by the network's message start and its length,
//! undo data followed by its checksum, as Core writes them), and the block index,
//! the UTXO set, the tip and the block files' write position in one redb database
//! under `chainstate/`, changed together in one transaction per batch of blocks.
//!
//! Durability: a batch's block bytes are written and synced before the transaction that
//! names them commits, and redb syncs on commit. A process killed at any instant
//! restarts on the tip of the last committed batch; bytes past the recorded write
//! position (a batch killed before its commit) are overwritten by the next batch.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use bitcoin::block::Header;
use bitcoin::consensus::encode::{deserialize, serialize};
use bitcoin::hashes::{Hash, HashEngine, sha256d};
use bitcoin::{Block, BlockHash, OutPoint, Target, Transaction};
use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};

use crate::chain::Chain;
use crate::chainparams::ChainParams;

/// Block hash → [`DiskIndex`] bytes.
const BLOCK_INDEX: TableDefinition<&[u8; 32], &[u8]> = TableDefinition::new("block_index");
/// Outpoint (txid, vout) → coin bytes: height << 1 | coinbase, value, script.
const COINS: TableDefinition<&[u8; 36], &[u8]> = TableDefinition::new("coins");
/// `tip` → block hash; `blockfile` → file number and write position.
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

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
    Invalid(&'static str),
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

/// Where a block's bytes are, and what its index entry keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DiskIndex {
    header: Header,
    height: u32,
    n_tx: u32,
    file: u32,
    /// Offset of the block's bytes (after the 8-byte frame).
    pos: u64,
    len: u32,
}

impl DiskIndex {
    const SIZE: usize = 80 + 4 + 4 + 4 + 8 + 4;

    fn to_bytes(self) -> Vec<u8> {
        let mut v = serialize(&self.header);
        v.extend_from_slice(&self.height.to_le_bytes());
        v.extend_from_slice(&self.n_tx.to_le_bytes());
        v.extend_from_slice(&self.file.to_le_bytes());
        v.extend_from_slice(&self.pos.to_le_bytes());
        v.extend_from_slice(&self.len.to_le_bytes());
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

/// An append-only file of the current batch, opened at its recorded length.
struct Appender {
    file: File,
}

impl Appender {
    fn open(path: &Path, at: u64) -> Result<Appender, ConnectError> {
        let fail = |e: std::io::Error| ConnectError::Storage(format!("{}: {e}", path.display()));
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(fail)?;
        file.seek(SeekFrom::Start(at)).map_err(fail)?;
        Ok(Appender { file })
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
        self.file
            .write_all(&frame)
            .map_err(|e| ConnectError::Storage(format!("writing a block file: {e}")))?;
        Ok(frame.len() as u64)
    }

    fn sync(self) -> Result<(), ConnectError> {
        self.file
            .sync_data()
            .map_err(|e| ConnectError::Storage(format!("syncing a block file: {e}")))
    }
}

fn outpoint_key(o: &OutPoint) -> [u8; 36] {
    let mut k = [0u8; 36];
    k[..32].copy_from_slice(o.txid.as_byte_array());
    k[32..].copy_from_slice(&o.vout.to_le_bytes());
    k
}

/// The chain's storage: the database and the block files.
pub struct ChainStore {
    db: Database,
    blocks_dir: PathBuf,
    message_start: [u8; 4],
    /// Where every stored block is, by hash (the active chain's blocks, for now).
    index: HashMap<BlockHash, DiskIndex>,
    write_pos: FilePos,
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
        std::fs::create_dir_all(&blocks_dir).map_err(io(&blocks_dir))?;
        std::fs::create_dir_all(&state_dir).map_err(io(&state_dir))?;
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
            rebuild_database(&blocks_dir, &db_path, &fresh, params, rebuild, now)?;
        } else if !db_path.exists() && block_file_in_use(&blocks_dir) {
            // Starting afresh would write the genesis block over stored blocks.
            return Err(OpenError::Corrupt(format!(
                "{} holds blocks, but there is no chainstate database to index them",
                blocks_dir.display()
            )));
        }
        let db = Database::create(&db_path)?;
        let mut store = ChainStore {
            db,
            blocks_dir,
            message_start: params.message_start,
            index: HashMap::new(),
            write_pos: FilePos::default(),
        };
        let tip = store.load()?;
        let chain = match tip {
            Some(tip) => {
                let chain = store.active_chain(params, tip)?;
                store.verify_tip_blocks(&chain, DEFAULT_CHECKBLOCKS)?;
                chain
            }
            None => {
                let chain = Chain::genesis_only(params);
                store
                    .write_batch(std::slice::from_ref(&params.genesis), &chain, None)
                    .map_err(|e| OpenError::Corrupt(format!("storing the genesis block: {e}")))?;
                chain
            }
        };
        Ok((store, chain))
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
    fn load(&mut self) -> Result<Option<BlockHash>, OpenError> {
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
        for entry in index.iter()? {
            let (k, v) = entry?;
            let d = DiskIndex::from_bytes(v.value()).ok_or_else(|| {
                OpenError::Corrupt(format!(
                    "index entry of {}",
                    BlockHash::from_byte_array(*k.value())
                ))
            })?;
            self.index.insert(BlockHash::from_byte_array(*k.value()), d);
        }
        Ok(Some(tip))
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
            path.push(*d);
            at = d.header.prev_blockhash;
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

    /// Checks `blocks` in order on top of `chain`'s tip, stores them, and makes the last
    /// one the tip, all in one transaction; on success appends them to `chain`. `now`
    /// is the node's clock (for `time-too-new`). On error nothing is connected.
    pub fn connect(
        &mut self,
        params: &ChainParams,
        chain: &mut Chain,
        blocks: &[Block],
        now: i64,
    ) -> Result<(), ConnectError> {
        let mut next = chain.clone();
        for block in blocks {
            check_block(params, &next, block, now)?;
            let index = next.next_index(block.header, block.txdata.len() as u64);
            next.push(index);
        }
        self.write_batch(blocks, &next, Some(chain))?;
        *chain = next;
        Ok(())
    }

    /// Appends `blocks` to the block files, syncs them, then commits their index
    /// entries, their coins and the new tip (`after`'s) in one transaction. `before` is
    /// the chain they go on (none for the genesis block, whose coinbase is not spendable).
    fn write_batch(
        &mut self,
        blocks: &[Block],
        after: &Chain,
        before: Option<&Chain>,
    ) -> Result<(), ConnectError> {
        let mut pos = self.write_pos;
        let mut placed = Vec::with_capacity(blocks.len());
        let mut files: Option<(Appender, Appender)> = None;
        let first_height = before.map_or(0, |c| c.height() + 1);
        for (i, block) in blocks.iter().enumerate() {
            let bytes = serialize(block);
            // A block of coinbase alone has no coins to restore: its undo data (Core's
            // CBlockUndo, one CTxUndo per other transaction) is an empty list.
            let undo = [0u8];
            if pos.len > 0 && pos.len + 8 + bytes.len() as u64 > MAX_BLOCKFILE_SIZE {
                if let Some((blk, rev)) = files.take() {
                    blk.sync()?;
                    rev.sync()?;
                }
                pos = FilePos {
                    file: pos.file + 1,
                    len: 0,
                    undo_len: 0,
                };
            }
            if files.is_none() {
                files = Some((
                    Appender::open(&self.block_file(pos.file), pos.len)?,
                    Appender::open(&self.undo_file(pos.file), pos.undo_len)?,
                ));
            }
            let (blk, rev) = files.as_mut().expect("opened just above");
            let at = pos.len + 8;
            pos.len += blk.frame(self.message_start, &bytes, &[])?;
            if before.is_some() {
                // The genesis block has no undo data. Core checksums undo data with the
                // previous block's hash: sha256d(prev hash || undo).
                let mut engine = sha256d::Hash::engine();
                engine.input(block.header.prev_blockhash.as_byte_array());
                engine.input(&undo);
                let check = sha256d::Hash::from_engine(engine);
                pos.undo_len += rev.frame(self.message_start, &undo, check.as_byte_array())?;
            }
            placed.push(DiskIndex {
                header: block.header,
                height: first_height + i as u32,
                n_tx: block.txdata.len() as u32,
                file: pos.file,
                pos: at,
                len: bytes.len() as u32,
            });
        }
        if let Some((blk, rev)) = files {
            blk.sync()?;
            rev.sync()?;
        }
        commit_batch(
            &self.db,
            blocks,
            &placed,
            after.tip().hash,
            pos,
            before.is_some(),
            true,
        )?;
        for (block, d) in blocks.iter().zip(placed) {
            self.index.insert(block.block_hash(), d);
        }
        self.write_pos = pos;
        Ok(())
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
            .ok_or_else(|| OpenError::Corrupt(format!("block {hash} is not stored")))?;
        let path = self.block_file(d.file);
        let io = |source| OpenError::Io {
            path: path.clone(),
            source,
        };
        let mut f = File::open(&path).map_err(io)?;
        f.seek(SeekFrom::Start(d.pos)).map_err(io)?;
        let mut bytes = vec![0u8; d.len as usize];
        f.read_exact(&mut bytes).map_err(io)?;
        deserialize(&bytes).map_err(|e| OpenError::Corrupt(format!("block {hash}: {e}")))
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
    pub fn coin(
        &self,
        outpoint: &OutPoint,
    ) -> Result<Option<(u32, bool, bitcoin::TxOut)>, OpenError> {
        let read = self.db.begin_read()?;
        let coins = match read.open_table(COINS) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let Some(v) = coins.get(&outpoint_key(outpoint))? else {
            return Ok(None);
        };
        let v = v.value();
        let corrupt = || OpenError::Corrupt(format!("the coin {outpoint}"));
        let code = u32::from_le_bytes(
            v.get(..4)
                .ok_or_else(corrupt)?
                .try_into()
                .map_err(|_| corrupt())?,
        );
        let value = u64::from_le_bytes(
            v.get(4..12)
                .ok_or_else(corrupt)?
                .try_into()
                .map_err(|_| corrupt())?,
        );
        Ok(Some((
            code >> 1,
            code & 1 == 1,
            bitcoin::TxOut {
                value: bitcoin::Amount::from_sat(value),
                script_pubkey: bitcoin::ScriptBuf::from_bytes(v[12..].to_vec()),
            },
        )))
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

/// The database's file under `chainstate/`.
const DB_FILE: &str = "chainstate.redb";
/// Where a rebuild makes the new database, renamed over [`DB_FILE`] once complete.
const REBUILT_DB_FILE: &str = "chainstate.redb.new";

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

/// Commits `blocks` (at `placed`) in one transaction: their index entries, their coins
/// when `coins` (not for the genesis block), the tip and the write position; synced to
/// the disk when `durable`.
fn commit_batch(
    db: &Database,
    blocks: &[Block],
    placed: &[DiskIndex],
    tip: BlockHash,
    pos: FilePos,
    coins: bool,
    durable: bool,
) -> Result<(), ConnectError> {
    let mut txn = db.begin_write()?;
    if !durable {
        txn.set_durability(redb::Durability::None)
            .map_err(|e| ConnectError::Storage(format!("chainstate database: {e}")))?;
    }
    {
        let mut index = txn.open_table(BLOCK_INDEX)?;
        let mut coin_table = txn.open_table(COINS)?;
        let mut meta = txn.open_table(META)?;
        for (block, d) in blocks.iter().zip(placed) {
            index.insert(block.block_hash().as_byte_array(), d.to_bytes().as_slice())?;
            if coins {
                for tx in &block.txdata {
                    apply_coins(&mut coin_table, tx, d.height)?;
                }
            }
        }
        meta.insert("tip", tip.as_byte_array().as_slice())?;
        meta.insert("blockfile", pos.to_bytes().as_slice())?;
    }
    txn.commit()?;
    Ok(())
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
) -> Result<Vec<(BlockHash, DiskIndex)>, OpenError> {
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
        let bytes = std::fs::read(&path).map_err(|source| OpenError::Io {
            path: path.clone(),
            source,
        })?;
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
            found.push((
                block.block_hash(),
                DiskIndex {
                    header: block.header,
                    height: 0,
                    n_tx: block.txdata.len() as u32,
                    file: n,
                    pos: start as u64,
                    len,
                },
            ));
            at = start + len as usize;
        }
    }
    tracing::info!("Reindexing finished");
    Ok(found)
}

/// Rebuilds the database into `fresh` from the block files (`-reindex`) or from the
/// blocks the old database indexes (`-reindex-chainstate`): every block found is
/// indexed; the chain with the most work from the genesis block is checked and
/// connected, stopping before the first block that fails; then `fresh` replaces
/// `db_path`. A rebuild killed before the rename leaves the old database in place.
fn rebuild_database(
    blocks_dir: &Path,
    db_path: &Path,
    fresh: &Path,
    params: &ChainParams,
    rebuild: Rebuild,
    now: i64,
) -> Result<(), OpenError> {
    let found: Vec<(BlockHash, DiskIndex)> = match rebuild {
        Rebuild::Reindex | Rebuild::No => scan_block_files(blocks_dir, params.message_start)?,
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
                    let (k, v) = entry?;
                    let d = DiskIndex::from_bytes(v.value())
                        .ok_or_else(|| OpenError::Corrupt("an index entry".into()))?;
                    found.push((BlockHash::from_byte_array(*k.value()), d));
                }
            }
            // Blocks in the order they were written.
            found.sort_by_key(|(_, d)| (d.file, d.pos));
            found
        }
    };
    let genesis = params.genesis.block_hash();
    let by_hash: HashMap<BlockHash, DiskIndex> = found.iter().copied().collect();
    if !by_hash.contains_key(&genesis) {
        return Err(OpenError::Corrupt(
            "the block files do not hold this chain's genesis block".into(),
        ));
    }
    // Heights and work from the genesis block down every branch; the best tip is the
    // one with the most work, the first written among equals.
    let mut children: HashMap<BlockHash, Vec<BlockHash>> = HashMap::new();
    for (hash, d) in &found {
        if *hash != genesis {
            children
                .entry(d.header.prev_blockhash)
                .or_default()
                .push(*hash);
        }
    }
    let mut placed: HashMap<BlockHash, (u32, bitcoin::pow::Work)> = HashMap::new();
    placed.insert(genesis, (0, params.genesis.header.work()));
    let mut stack = vec![genesis];
    let mut best = (genesis, params.genesis.header.work());
    while let Some(at) = stack.pop() {
        let (height, work) = placed[&at];
        for child in children.get(&at).into_iter().flatten() {
            let total = work + by_hash[child].header.work();
            placed.insert(*child, (height + 1, total));
            if total > best.1 {
                best = (*child, total);
            }
            stack.push(*child);
        }
    }
    let mut path = Vec::new();
    let mut at = best.0;
    while at != genesis {
        path.push(at);
        at = by_hash[&at].header.prev_blockhash;
    }
    path.reverse();

    let db = Database::create(fresh)?;
    let store = ChainStore {
        db,
        blocks_dir: blocks_dir.to_path_buf(),
        message_start: params.message_start,
        index: by_hash.clone(),
        write_pos: FilePos::default(),
    };
    // New blocks go after everything in the files, whatever it is.
    let last = (0u32..)
        .take_while(|n| store.block_file(*n).exists())
        .last()
        .unwrap_or(0);
    let len = |p: PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
    let pos = FilePos {
        file: last,
        len: len(store.block_file(last)),
        undo_len: len(store.undo_file(last)),
    };
    let fail = |e: ConnectError| OpenError::Corrupt(format!("rebuilding: {e}"));
    // Every block found is indexed (side branches too), with its height.
    let mut chain = Chain::genesis_only(params);
    let entries: Vec<DiskIndex> = found
        .iter()
        .filter_map(|(hash, d)| {
            placed
                .get(hash)
                .map(|(h, _)| DiskIndex { height: *h, ..*d })
        })
        .collect();
    {
        let txn = store.db.begin_write().map_err(redb::Error::from)?;
        {
            let mut index = txn.open_table(BLOCK_INDEX).map_err(redb::Error::from)?;
            for d in &entries {
                index
                    .insert(
                        d.header.block_hash().as_byte_array(),
                        d.to_bytes().as_slice(),
                    )
                    .map_err(redb::Error::from)?;
            }
        }
        txn.commit().map_err(redb::Error::from)?;
    }
    commit_batch(&store.db, &[], &[], genesis, pos, false, true).map_err(fail)?;
    // Connected in batches; only the last commit needs to reach the disk before the
    // rename, which is what makes the new database count.
    const BATCH: usize = 500;
    let mut batch: Vec<(Block, DiskIndex)> = Vec::with_capacity(BATCH);
    let flush = |batch: &mut Vec<(Block, DiskIndex)>, durable: bool| -> Result<(), OpenError> {
        let (blocks, placed): (Vec<Block>, Vec<DiskIndex>) = batch.drain(..).unzip();
        let tip = blocks.last().map_or(genesis, Block::block_hash);
        if blocks.is_empty() && !durable {
            return Ok(());
        }
        commit_batch(&store.db, &blocks, &placed, tip, pos, true, durable).map_err(fail)
    };
    for hash in path {
        let block = store.read_block(&hash)?;
        if let Err(e) = check_block(params, &chain, &block, now) {
            tracing::warn!("Rebuilding the chain stops before block {hash}: {e}");
            break;
        }
        let index = chain.next_index(block.header, block.txdata.len() as u64);
        let d = DiskIndex {
            height: index.height,
            ..by_hash[&hash]
        };
        chain.push(index);
        batch.push((block, d));
        if batch.len() == BATCH {
            flush(&mut batch, false)?;
        }
    }
    if !batch.is_empty() {
        flush(&mut batch, true)?;
    } else {
        commit_batch(&store.db, &[], &[], chain.tip().hash, pos, false, true).map_err(fail)?;
    }
    drop(store);
    std::fs::rename(fresh, db_path).map_err(|source| OpenError::Io {
        path: db_path.to_path_buf(),
        source,
    })?;
    if let Some(dir) = db_path.parent()
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Spends `tx`'s inputs (unless a coinbase) and adds its spendable outputs.
fn apply_coins(
    coins: &mut redb::Table<&[u8; 36], &[u8]>,
    tx: &Transaction,
    height: u32,
) -> Result<(), ConnectError> {
    let coinbase = tx.is_coinbase();
    if !coinbase {
        for input in &tx.input {
            if coins
                .remove(&outpoint_key(&input.previous_output))?
                .is_none()
            {
                return Err(ConnectError::Invalid("bad-txns-inputs-missingorspent"));
            }
        }
    }
    let txid = tx.compute_txid();
    for (vout, out) in tx.output.iter().enumerate() {
        if out.script_pubkey.is_op_return() {
            continue;
        }
        let mut v = Vec::with_capacity(12 + out.script_pubkey.len());
        v.extend_from_slice(&((height << 1) | u32::from(coinbase)).to_le_bytes());
        v.extend_from_slice(&out.value.to_sat().to_le_bytes());
        v.extend_from_slice(out.script_pubkey.as_bytes());
        coins.insert(
            &outpoint_key(&OutPoint::new(txid, vout as u32)),
            v.as_slice(),
        )?;
    }
    Ok(())
}

/// The checks a block passes before it is stored, with Core's reject reasons and in
/// Core's order (the header's proof of work, `CheckBlock`, the header in context, the
/// block in context, then connecting it): those that a block of coinbase alone can fail. Blocks with other transactions need script
/// validation, which this node does not have yet: they are refused.
fn check_block(
    params: &ChainParams,
    chain: &Chain,
    block: &Block,
    now: i64,
) -> Result<(), ConnectError> {
    let tip = chain.tip();
    let header = &block.header;
    if header.prev_blockhash != tip.hash {
        return Err(ConnectError::Invalid("prev-blk-not-found"));
    }
    if header.target() > Target::from_compact(params.genesis.header.bits)
        || header.validate_pow(header.target()).is_err()
    {
        return Err(ConnectError::Invalid("high-hash"));
    }
    if !block.check_merkle_root() {
        return Err(ConnectError::Invalid("bad-txnmrklroot"));
    }
    let Some(coinbase) = block.txdata.first().filter(|tx| tx.is_coinbase()) else {
        return Err(ConnectError::Invalid("bad-cb-missing"));
    };
    if block.txdata.iter().skip(1).any(Transaction::is_coinbase) {
        return Err(ConnectError::Invalid("bad-cb-multiple"));
    }
    for tx in &block.txdata {
        crate::validation::check_transaction(tx).map_err(ConnectError::Invalid)?;
    }
    // Then the header in its context (Core's ContextualCheckBlockHeader).
    if header.bits.to_consensus()
        != crate::mining::required_bits(params, chain, i64::from(header.time))
    {
        return Err(ConnectError::Invalid("bad-diffbits"));
    }
    if header.time <= tip.median_time_past {
        return Err(ConnectError::Invalid("time-too-old"));
    }
    if i64::from(header.time) > now + MAX_FUTURE_BLOCK_TIME {
        return Err(ConnectError::Invalid("time-too-new"));
    }
    // BIP34 (active from height 1 on every chain this node runs): the coinbase's
    // scriptSig starts with the height, pushed as `CScript() << nHeight` pushes it.
    let height = bitcoin::script::Builder::new()
        .push_int(i64::from(tip.height + 1))
        .into_script();
    if !coinbase.input[0]
        .script_sig
        .as_bytes()
        .starts_with(height.as_bytes())
    {
        return Err(ConnectError::Invalid("bad-cb-height"));
    }
    if !block.check_witness_commitment() {
        return Err(ConnectError::Invalid("bad-witness-merkle-match"));
    }
    let paid = coinbase
        .output
        .iter()
        .try_fold(bitcoin::Amount::ZERO, |sum, o| sum.checked_add(o.value));
    let subsidy = crate::mining::block_subsidy(tip.height + 1, params);
    if paid.is_none_or(|p| p > subsidy) {
        return Err(ConnectError::Invalid("bad-cb-amount"));
    }
    if block.txdata.len() > 1 {
        return Err(ConnectError::Storage(
            "blocks with transactions beyond the coinbase need script validation, which this node does not have yet".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::ScriptBuf;
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
        b.txdata[0].output[1].script_pubkey = ScriptBuf::new_op_return([0u8; 36]);
        assert_eq!(
            reject(&mut store, &mut chain, resolved(b), NOW),
            "bad-witness-merkle-match"
        );
        // Nothing was stored: the chain and the files are as before, and the good block
        // still connects.
        assert_eq!(chain.height(), 0);
        assert_eq!(store.size_on_disk(), 256);
        store
            .connect(&p, &mut chain, &[good], NOW)
            .expect("connects");
        assert_eq!(chain.height(), 1);
    }
}
