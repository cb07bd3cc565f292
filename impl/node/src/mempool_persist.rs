//! `mempool.dat`, byte for byte as Umkoin Core v31 writes and reads it (`DumpMempool` and
//! `LoadMempool` of `node/mempool_persist.cpp`, the XOR obfuscation of `util/obfuscation.h`,
//! the encodings of `serialize.h`). Pure file-format code: what the node does with the
//! contents is described on [`MempoolDatReader`] and [`dump_to`].
//!
//! Layout (all integers little-endian):
//!
//! | field | encoding |
//! | --- | --- |
//! | version | `u64`: 1 ([`MEMPOOL_DUMP_VERSION_NO_XOR_KEY`], `-persistmempoolv1`) or 2 ([`MEMPOOL_DUMP_VERSION`]) |
//! | key (version 2 only) | the `Obfuscation` key as a byte vector: CompactSize 8, then the 8 key bytes |
//! | transaction count | `u64` (not a CompactSize) |
//! | per transaction | the transaction with its witness (`TX_WITH_WITNESS`), entry time `i64` (seconds), fee delta `i64` (satoshis) |
//! | deltas | `std::map<Txid, CAmount>`: CompactSize count, then 32-byte txid and `i64` per entry |
//! | unbroadcast | `std::set<Txid>`: CompactSize count, then 32-byte txids |
//!
//! In version 2 everything after the key (from file offset 17 on) is XORed with the key,
//! the key's byte `i % 8` applying to the byte at *file* offset `i` (Core's `AutoFile`
//! obfuscates at its file position), so the transaction count's first byte, at offset
//! 17, takes key byte 1. Map and set entries come in Core's sorted order: `Txid`s compare
//! as `uint256` does, `memcmp` of the 32 bytes in their internal (serialized) order, not
//! of the reversed hex shown by the RPCs; [`bitcoin::Txid`]'s `Ord` is that same order.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use bitcoin::Transaction;
use bitcoin::Txid;
use bitcoin::consensus::{Decodable, Encodable};
use bitcoin::hashes::Hash;

/// Core's `MEMPOOL_DUMP_VERSION_NO_XOR_KEY`: the legacy format, written under
/// `-persistmempoolv1`, with no obfuscation key.
pub const MEMPOOL_DUMP_VERSION_NO_XOR_KEY: u64 = 1;
/// Core's `MEMPOOL_DUMP_VERSION`: the current format, with an obfuscation key.
pub const MEMPOOL_DUMP_VERSION: u64 = 2;
/// Core's `Obfuscation::KEY_SIZE`: the obfuscation key is 8 bytes.
pub const OBFUSCATION_KEY_SIZE: usize = 8;
/// Core's `DEFAULT_MEMPOOL_EXPIRY_HOURS` (`-mempoolexpiry`): [`LoadMempool`](MempoolDatReader)
/// skips transactions whose entry time is not later than now minus this.
pub const DEFAULT_MEMPOOL_EXPIRY_HOURS: u64 = 336;
/// Core's `MAX_SIZE`: the largest count `ReadCompactSize` accepts.
const MAX_SIZE: u64 = 0x0200_0000;
/// The file offset where the obfuscated part of a version-2 file starts: the version
/// (8 bytes), the key's CompactSize length (1 byte) and the key (8 bytes).
const V2_OBFUSCATION_START: usize = 8 + 1 + OBFUSCATION_KEY_SIZE;

/// One mempool transaction as `mempool.dat` records it (a `TxMempoolInfo` of Core's dump).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersistedTx {
    /// The transaction, serialized with its witness.
    pub tx: Transaction,
    /// The time it entered the mempool, in seconds since the epoch (`TxMempoolInfo::m_time`).
    pub time: i64,
    /// Its `prioritisetransaction` fee delta in satoshis (`TxMempoolInfo::nFeeDelta`: the
    /// modified fee minus the fee).
    pub fee_delta: i64,
}

/// The contents of a `mempool.dat` file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MempoolDat {
    /// The mempool transactions, in the order of the file: Core dumps them in
    /// `CTxMemPool::infoAll()` order, i.e. `GetSortedScoreWithTopology()`, the txgraph's
    /// main (mining) order, parents before children.
    pub txs: Vec<PersistedTx>,
    /// The fee deltas (`mapDeltas`) left over for transactions that are not in the file.
    /// [`write()`] drops entries whose txid is one of [`txs`](Self::txs), as Core's
    /// `DumpMempool` erases them, so the whole `mapDeltas` can be passed in.
    pub deltas: BTreeMap<Txid, i64>,
    /// The transactions still waiting for their initial broadcast (`GetUnbroadcastTxs()`).
    pub unbroadcast: BTreeSet<Txid>,
}

/// What is wrong with a `mempool.dat` file that [`read()`] or [`MempoolDatReader`] rejects.
/// Core's `LoadMempool` fails on all of these; on the ones other than
/// [`UnknownVersion`](Self::UnknownVersion) it logs
/// `Failed to deserialize mempool data on file: <what>. Continuing anyway.`
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MempoolDatError {
    /// The version is neither 1 nor 2 (Core returns false without a log line).
    #[error("unknown mempool.dat version {0}")]
    UnknownVersion(u64),
    /// The file ends in the middle of the named field.
    #[error("unexpected end of file reading the {0}")]
    Truncated(&'static str),
    /// The version-2 obfuscation key is not 8 bytes long.
    #[error("obfuscation key size should be exactly 8 bytes long, not {0}")]
    KeySize(u64),
    /// A CompactSize is not in its shortest encoding (Core's `non-canonical ReadCompactSize()`).
    #[error("non-canonical compact size reading the {0}")]
    NonCanonicalCompactSize(&'static str),
    /// A CompactSize is above Core's `MAX_SIZE` (0x02000000).
    #[error("compact size {size} too large reading the {what}")]
    CompactSizeTooLarge {
        /// The field being read.
        what: &'static str,
        /// The size found.
        size: u64,
    },
    /// A transaction record does not deserialize.
    #[error("invalid transaction {index} in the file: {reason}")]
    InvalidTransaction {
        /// Its position in the file, from 0.
        index: u64,
        /// What the transaction decoder said.
        reason: String,
    },
}

/// XORs `data`, which starts at file offset `offset`, with `key` as Core's `Obfuscation`
/// does: the byte at file offset `i` with `key[i % 8]`.
fn obfuscate(data: &mut [u8], key: [u8; OBFUSCATION_KEY_SIZE], offset: usize) {
    for (i, byte) in data.iter_mut().enumerate() {
        *byte ^= key[(offset + i) % OBFUSCATION_KEY_SIZE];
    }
}

/// Appends Core's CompactSize encoding of `n` (`WriteCompactSize`).
fn write_compact_size(out: &mut Vec<u8>, n: u64) {
    if n < 253 {
        out.push(n as u8);
    } else if n <= 0xffff {
        out.push(253);
        out.extend_from_slice(&(n as u16).to_le_bytes());
    } else if n <= 0xffff_ffff {
        out.push(254);
        out.extend_from_slice(&(n as u32).to_le_bytes());
    } else {
        out.push(255);
        out.extend_from_slice(&n.to_le_bytes());
    }
}

/// Serializes `dat` as Core's `DumpMempool` does: version 1 (no obfuscation, `key`
/// unused) when `v1` (`-persistmempoolv1`), else version 2 with `key` written as a
/// length-prefixed vector and everything after it XORed with `key` from file offset 17.
///
/// Deltas for txids in [`MempoolDat::txs`] are left out, as Core erases them from its copy
/// of `mapDeltas`. An all-zero key is written as is and obfuscates nothing (Core's
/// `Obfuscation` is then off, which is the same bytes).
pub fn write(dat: &MempoolDat, v1: bool, key: [u8; OBFUSCATION_KEY_SIZE]) -> Vec<u8> {
    let mut out = Vec::new();
    let version = if v1 {
        MEMPOOL_DUMP_VERSION_NO_XOR_KEY
    } else {
        MEMPOOL_DUMP_VERSION
    };
    out.extend_from_slice(&version.to_le_bytes());
    if !v1 {
        write_compact_size(&mut out, OBFUSCATION_KEY_SIZE as u64);
        out.extend_from_slice(&key);
    }
    out.extend_from_slice(&(dat.txs.len() as u64).to_le_bytes());
    let in_file: BTreeSet<Txid> = dat.txs.iter().map(|p| p.tx.compute_txid()).collect();
    for persisted in &dat.txs {
        // Writing to a Vec cannot fail.
        let _ = persisted.tx.consensus_encode(&mut out);
        out.extend_from_slice(&persisted.time.to_le_bytes());
        out.extend_from_slice(&persisted.fee_delta.to_le_bytes());
    }

    // BTreeMap/BTreeSet iterate in Txid order, which is uint256's memcmp order.
    let deltas: Vec<(&Txid, &i64)> = dat
        .deltas
        .iter()
        .filter(|(txid, _)| !in_file.contains(*txid))
        .collect();
    write_compact_size(&mut out, deltas.len() as u64);
    for (txid, delta) in deltas {
        out.extend_from_slice(txid.as_byte_array());
        out.extend_from_slice(&delta.to_le_bytes());
    }

    write_compact_size(&mut out, dat.unbroadcast.len() as u64);
    for txid in &dat.unbroadcast {
        out.extend_from_slice(txid.as_byte_array());
    }

    if !v1 {
        obfuscate(&mut out[V2_OBFUSCATION_START..], key, V2_OBFUSCATION_START);
    }
    out
}

/// Parses a whole `mempool.dat` file (see [`MempoolDatReader`] to follow Core's
/// transaction-by-transaction loading instead). Bytes after the unbroadcast set are
/// ignored, as Core does not look for the end of the file.
pub fn read(bytes: &[u8]) -> Result<MempoolDat, MempoolDatError> {
    let mut reader = MempoolDatReader::new(bytes)?;
    let mut txs = Vec::new();
    while let Some(tx) = reader.next_tx()? {
        txs.push(tx);
    }
    let (deltas, unbroadcast) = reader.finish()?;
    Ok(MempoolDat {
        txs,
        deltas,
        unbroadcast,
    })
}

/// Writes `dat` to `path` as Core's `DumpMempool` does: to `path` + `".new"` (created or
/// truncated), flushed and `fdatasync`ed (`FileCommit`, `EINVAL` ignored), then renamed
/// over `path` (`RenameOver`; the directory is not synced). Version 1 when `v1`
/// (`-persistmempoolv1`), else version 2 with a fresh random key. Returns the size of the
/// file written. A failure leaves `path` untouched (and perhaps a `.new` file behind).
///
/// What the node does around it (Core's `DumpMempool`, `init.cpp`, `rpc/mempool.cpp`):
/// * under `pool.cs` it copies `mapDeltas`, `infoAll()` and `GetUnbroadcastTxs()`
///   (one dump at a time: a static mutex);
/// * logs `Writing <n> mempool transactions to file...` and
///   `Writing <n> unbroadcast transactions to file.`, and on success
///   `Dumped mempool: <copy>s to copy, <dump>s to dump, <size> bytes dumped to file`
///   (seconds with 3 decimals); on failure
///   `Failed to dump mempool: <what>. Continuing anyway.` and returns false;
/// * the file is `<datadir>/<chain>/mempool.dat` (`MempoolPath`); `savemempool` fails
///   with `The mempool was not loaded yet` (RPC_MISC_ERROR) before the load was tried
///   and `Unable to dump mempool to disk` when the dump fails, else returns
///   `{"filename": <path>}`; at shutdown the mempool is dumped if the load was tried and
///   `-persistmempool` (default on) is set.
pub fn dump_to(path: &Path, dat: &MempoolDat, v1: bool) -> io::Result<u64> {
    let mut key = [0u8; OBFUSCATION_KEY_SIZE];
    if !v1 {
        getrandom::fill(&mut key).map_err(|e| io::Error::other(e.to_string()))?;
    }
    let bytes = write(dat, v1, key);
    let new_path = new_path(path);
    {
        let mut file = fs::File::create(&new_path)?;
        file.write_all(&bytes)?;
        file.flush()?;
        match file.sync_data() {
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {}
            other => other?,
        }
    }
    fs::rename(&new_path, path)?;
    Ok(fs::metadata(path)?.len())
}

/// `path` with `.new` appended to its file name, as Core's `dump_path + ".new"`.
fn new_path(path: &Path) -> PathBuf {
    let mut name: OsString = path.as_os_str().to_owned();
    name.push(".new");
    PathBuf::from(name)
}

/// Reads a `mempool.dat` file one transaction at a time, in the order Core's
/// `LoadMempool` does, so that the node can follow it (and keep what it loaded before a
/// bad record, as Core does).
///
/// What Core's `LoadMempool(pool, path, chainstate, opts)` does with the data:
/// * no path (`-persistmempool=0`): returns false, nothing logged; a file that does not
///   open: logs `Failed to open mempool file. Continuing anyway.`, returns false;
/// * `now` is taken once at the start (the mockable node clock);
/// * unknown version ([`MempoolDatError::UnknownVersion`]): returns false, nothing
///   logged; any other error ([`MempoolDatError`]) at any point: logs
///   `Failed to deserialize mempool data on file: <what>. Continuing anyway.` and returns
///   false, *keeping* what was already accepted and prioritised;
/// * logs `Loading <n> mempool transactions from file...` ([`total_txs`](Self::total_txs));
/// * per transaction, before reading it: `percentage = int(100.0 * tried / total)`; when
///   `percentage / 10` passes the last reported tenth, logs
///   `Progress loading mempool transactions from file: <percentage>% (tried <tried>, <total - tried> remaining)`;
/// * per transaction ([`next_tx`](Self::next_tx)): with `use_current_time` the time is
///   replaced by `now` (seconds); with `apply_fee_delta_priority` a non-zero fee delta is
///   applied with `PrioritiseTransaction(txid, delta)` *before* acceptance, whether or not
///   the transaction turns out expired or invalid; then if
///   `time > seconds(now - expiry)` (`-mempoolexpiry` hours, default
///   [`DEFAULT_MEMPOOL_EXPIRY_HOURS`]; strictly later) it is submitted with
///   `AcceptToMemoryPool(tx, accept_time = time, bypass_limits = false, test_accept = false)`:
///   accepted counts as succeeded; rejected counts as "already there" if the mempool now
///   has the txid (e.g. a wallet resubmitted it), else as failed; otherwise it counts as
///   expired; a shutdown request between transactions returns false;
/// * then the deltas ([`finish`](Self::finish)): with `apply_fee_delta_priority` each is
///   applied with `PrioritiseTransaction` (added to any existing delta);
/// * then the unbroadcast set: with `apply_unbroadcast_set`, the count reported is the
///   set's size, and each txid that is in the mempool is added with `AddUnbroadcastTx`;
/// * logs `Imported mempool transactions from file: <succeeded> succeeded, <failed> failed, <expired> expired, <already> already there, <unbroadcast> waiting for initial broadcast`
///   and returns true.
///
/// At start-up the options are `use_current_time = false`, `apply_fee_delta_priority =
/// true`, `apply_unbroadcast_set = true`, and afterwards the mempool is marked "load
/// tried" unless shutting down; the `importmempool` RPC defaults to `true`, `false`,
/// `false` and fails with `Unable to import mempool file, see debug.log for details.`
/// when `LoadMempool` returns false.
#[derive(Debug, Clone)]
pub struct MempoolDatReader {
    /// The file with the obfuscation undone.
    data: Vec<u8>,
    /// The read position in `data` (a file offset).
    pos: usize,
    version: u64,
    key: Option<[u8; OBFUSCATION_KEY_SIZE]>,
    total_txs: u64,
    txs_read: u64,
}

impl MempoolDatReader {
    /// Reads the header: the version, the version-2 key and the transaction count.
    pub fn new(bytes: &[u8]) -> Result<Self, MempoolDatError> {
        let mut reader = MempoolDatReader {
            data: bytes.to_vec(),
            pos: 0,
            version: 0,
            key: None,
            total_txs: 0,
            txs_read: 0,
        };
        reader.version = reader.read_u64("version")?;
        match reader.version {
            MEMPOOL_DUMP_VERSION_NO_XOR_KEY => {}
            MEMPOOL_DUMP_VERSION => {
                // The key is read as a std::vector<std::byte>, then its size checked.
                let size = reader.read_compact_size("obfuscation key")?;
                let key_bytes = reader.take(size as usize, "obfuscation key")?;
                let key: [u8; OBFUSCATION_KEY_SIZE] = key_bytes
                    .try_into()
                    .map_err(|_| MempoolDatError::KeySize(size))?;
                let start = reader.pos;
                obfuscate(&mut reader.data[start..], key, start);
                reader.key = Some(key);
            }
            other => return Err(MempoolDatError::UnknownVersion(other)),
        }
        reader.total_txs = reader.read_u64("transaction count")?;
        Ok(reader)
    }

    /// The file's version: [`MEMPOOL_DUMP_VERSION_NO_XOR_KEY`] or [`MEMPOOL_DUMP_VERSION`].
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The obfuscation key of a version-2 file.
    pub fn obfuscation_key(&self) -> Option<[u8; OBFUSCATION_KEY_SIZE]> {
        self.key
    }

    /// The transaction count the file announces (Core's `total_txns_to_load`).
    pub fn total_txs(&self) -> u64 {
        self.total_txs
    }

    /// How many transactions [`next_tx`](Self::next_tx) has returned (Core's `txns_tried`).
    pub fn txs_read(&self) -> u64 {
        self.txs_read
    }

    /// The next transaction record, or `None` after the last one.
    pub fn next_tx(&mut self) -> Result<Option<PersistedTx>, MempoolDatError> {
        if self.txs_read >= self.total_txs {
            return Ok(None);
        }
        let index = self.txs_read;
        let mut rest: &[u8] = self.data.get(self.pos..).unwrap_or_default();
        let before = rest.len();
        let tx = Transaction::consensus_decode(&mut rest).map_err(|e| match e {
            bitcoin::consensus::encode::Error::Io(io)
                if io.kind() == bitcoin::io::ErrorKind::UnexpectedEof =>
            {
                MempoolDatError::Truncated("transaction")
            }
            other => MempoolDatError::InvalidTransaction {
                index,
                reason: other.to_string(),
            },
        })?;
        self.pos += before - rest.len();
        let time = self.read_u64("transaction time")? as i64;
        let fee_delta = self.read_u64("transaction fee delta")? as i64;
        self.txs_read += 1;
        Ok(Some(PersistedTx {
            tx,
            time,
            fee_delta,
        }))
    }

    /// Reads the transactions not read yet (discarding them), then the deltas and the
    /// unbroadcast set. A txid repeated in either keeps its first entry, as Core's
    /// `insert` does.
    #[allow(clippy::type_complexity)]
    pub fn finish(mut self) -> Result<(BTreeMap<Txid, i64>, BTreeSet<Txid>), MempoolDatError> {
        while self.next_tx()?.is_some() {}

        let count = self.read_compact_size("delta count")?;
        let mut deltas = BTreeMap::new();
        for _ in 0..count {
            let txid = self.read_txid("delta txid")?;
            let delta = self.read_u64("delta amount")? as i64;
            deltas.entry(txid).or_insert(delta);
        }

        let count = self.read_compact_size("unbroadcast count")?;
        let mut unbroadcast = BTreeSet::new();
        for _ in 0..count {
            unbroadcast.insert(self.read_txid("unbroadcast txid")?);
        }
        Ok((deltas, unbroadcast))
    }

    fn take(&mut self, n: usize, what: &'static str) -> Result<&[u8], MempoolDatError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.data.len())
            .ok_or(MempoolDatError::Truncated(what))?;
        let bytes = &self.data[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    fn read_array<const N: usize>(
        &mut self,
        what: &'static str,
    ) -> Result<[u8; N], MempoolDatError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    fn read_u64(&mut self, what: &'static str) -> Result<u64, MempoolDatError> {
        Ok(u64::from_le_bytes(self.read_array(what)?))
    }

    fn read_txid(&mut self, what: &'static str) -> Result<Txid, MempoolDatError> {
        Ok(Txid::from_byte_array(self.read_array(what)?))
    }

    /// Core's `ReadCompactSize` with its range check.
    fn read_compact_size(&mut self, what: &'static str) -> Result<u64, MempoolDatError> {
        let [first] = self.read_array::<1>(what)?;
        let (n, min) = match first {
            0..=252 => (u64::from(first), 0),
            253 => (u64::from(u16::from_le_bytes(self.read_array(what)?)), 253),
            254 => (
                u64::from(u32::from_le_bytes(self.read_array(what)?)),
                0x1_0000,
            ),
            255 => (u64::from_le_bytes(self.read_array(what)?), 0x1_0000_0000),
        };
        if n < min {
            return Err(MempoolDatError::NonCanonicalCompactSize(what));
        }
        if n > MAX_SIZE {
            return Err(MempoolDatError::CompactSizeTooLarge { what, size: n });
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    //! The fixtures `impl/node/tests/fixtures/mempool-v31-v2.dat` and
    //! `mempool-v31-v1.dat` were written by Core v31.0 (`umkoind` of
    //! /work/shared/reference/core-v31/bin) with these commands (`$1`, `$2`: free ports;
    //! the JSON fields were picked with python3, shown here as jq):
    //!
    //! ```sh
    //! B=/work/shared/reference/core-v31/bin; D=$(mktemp -d); T=1700000000
    //! CLI="$B/umkoin-cli -regtest -datadir=$D -rpcport=$2"
    //! $B/umkoind -regtest -datadir=$D -port=$1 -rpcport=$2 -listen=0 -disablewallet -mocktime=$T -daemonwait
    //! $CLI setmocktime $T
    //! WIF=cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMN87JcbXMTcA   # private key 1, compressed
    //! ADDR=$($CLI deriveaddresses "$($CLI getdescriptorinfo "wpkh($WIF)" | jq -r .descriptor)" | jq -r '.[0]')
    //! ADDR2=$($CLI deriveaddresses "$($CLI getdescriptorinfo "pkh($WIF)" | jq -r .descriptor)" | jq -r '.[0]')
    //! $CLI generatetoaddress 101 $ADDR
    //! # CB1, CB2: the coinbase txids of blocks 1 and 2 (50 UMK each); SPK, SPK2: the
    //! # scriptPubKeys of ADDR and ADDR2 (validateaddress)
    //! sign() { $CLI signrawtransactionwithkey "$1" "[\"$WIF\"]" "$2" | jq -r .hex; }
    //! # A: block 1's coinbase -> 10 to ADDR2 (P2PKH), 39.9999 to ADDR
    //! TXA=$($CLI sendrawtransaction $(sign $($CLI createrawtransaction "[{\"txid\":\"$CB1\",\"vout\":0}]" \
    //!     "[{\"$ADDR2\":10},{\"$ADDR\":39.99990000}]") "[{\"txid\":\"$CB1\",\"vout\":0,\"scriptPubKey\":\"$SPK\",\"amount\":50}]"))
    //! # B: block 2's coinbase -> 49.9998 to ADDR
    //! TXB=$($CLI sendrawtransaction $(sign $($CLI createrawtransaction "[{\"txid\":\"$CB2\",\"vout\":0}]" \
    //!     "[{\"$ADDR\":49.99980000}]") "[{\"txid\":\"$CB2\",\"vout\":0,\"scriptPubKey\":\"$SPK\",\"amount\":50}]"))
    //! # C: A's P2PKH output -> 9.9999 to ADDR (no witness)
    //! TXC=$($CLI sendrawtransaction $(sign $($CLI createrawtransaction "[{\"txid\":\"$TXA\",\"vout\":0}]" \
    //!     "[{\"$ADDR\":9.9999}]") "[{\"txid\":\"$TXA\",\"vout\":0,\"scriptPubKey\":\"$SPK2\",\"amount\":10}]"))
    //! $CLI prioritisetransaction $TXB 0 12345
    //! $CLI prioritisetransaction 0100000000000000000000000000000000000000000000000000000000000002 0 -5000
    //! $CLI prioritisetransaction 0200000000000000000000000000000000000000000000000000000000000001 0 777
    //! $CLI getprioritisedtransactions; $CLI getrawmempool true
    //! $CLI savemempool; cp $D/regtest/mempool.dat mempool-v31-v2.dat
    //! $CLI stop
    //! # the same node again, legacy format: loads the v2 file, dumps version 1
    //! $B/umkoind -regtest -datadir=$D -port=$1 -rpcport=$2 -listen=0 -disablewallet -mocktime=$T -persistmempoolv1=1 -daemonwait
    //! # (wait for getmempoolinfo .loaded)
    //! $CLI setmocktime $T; $CLI getrawmempool true; $CLI getprioritisedtransactions
    //! $CLI savemempool; cp $D/regtest/mempool.dat mempool-v31-v1.dat
    //! $CLI stop
    //! ```
    //!
    //! Core reported: A a23557d3…5b78 (wtxid a5a078f5…a8df), B 919fe897…5b08 (wtxid
    //! 789a480e…99d4, fee delta 12345), C e2f9303d…06e9 (no witness), all with time
    //! 1700000000 and unbroadcast; deltas -5000 and 777 for the two absent txids. Its
    //! debug.log on the reload: `Imported mempool transactions from file: 3 succeeded, 0
    //! failed, 0 expired, 0 already there, 3 waiting for initial broadcast`; file sizes 855
    //! (v2) and 846 (v1) bytes.

    use super::*;
    use bitcoin::absolute::LockTime;
    use bitcoin::transaction::Version;
    use bitcoin::{Amount, OutPoint, ScriptBuf, Sequence, TxIn, TxOut, Witness};
    use std::str::FromStr;

    const CORE_V2: &[u8] = include_bytes!("../tests/fixtures/mempool-v31-v2.dat");
    const CORE_V1: &[u8] = include_bytes!("../tests/fixtures/mempool-v31-v1.dat");

    const TXA: &str = "a23557d39fa5cecef8cb50263024c25b7fdd79dd501f0b2e2d8ab1b18bb35b78";
    const WTXA: &str = "a5a078f5c27b388036ffa5797c9a55fca26cf211336786119300c58f96b4a8df";
    const TXB: &str = "919fe897def1994fe511c3df50979e73135770b4b97272c2871e8fbac3fc5b08";
    const WTXB: &str = "789a480e97aab936dcb1628182537ffdcb0f64f833810aedf61b21361b1199d4";
    const TXC: &str = "e2f9303d378612e45091936410c0cf603e3e28ed0363d91d2672c6795b1106e9";
    const ABSENT1: &str = "0100000000000000000000000000000000000000000000000000000000000002";
    const ABSENT2: &str = "0200000000000000000000000000000000000000000000000000000000000001";
    const TIME: i64 = 1_700_000_000;

    fn txid(hex: &str) -> Txid {
        Txid::from_str(hex).unwrap()
    }

    fn sample_tx(n: u8, witness: bool) -> Transaction {
        let mut input = TxIn {
            previous_output: OutPoint::new(Txid::from_byte_array([n; 32]), u32::from(n)),
            script_sig: ScriptBuf::from_bytes(vec![n; usize::from(n) % 5]),
            sequence: Sequence(0xffff_fffd),
            witness: Witness::new(),
        };
        if witness {
            input.witness = Witness::from_slice(&[vec![n; 71], vec![2; 33]]);
        }
        Transaction {
            version: Version::TWO,
            lock_time: LockTime::from_consensus(u32::from(n)),
            input: vec![input],
            output: vec![TxOut {
                value: Amount::from_sat(1000 * u64::from(n)),
                script_pubkey: ScriptBuf::from_bytes(vec![0x51]),
            }],
        }
    }

    fn sample() -> MempoolDat {
        let txs = vec![
            PersistedTx {
                tx: sample_tx(1, true),
                time: TIME,
                fee_delta: 0,
            },
            PersistedTx {
                tx: sample_tx(2, false),
                time: TIME + 7,
                fee_delta: -42,
            },
            PersistedTx {
                tx: sample_tx(3, true),
                time: -1,
                fee_delta: i64::MAX,
            },
        ];
        let deltas = BTreeMap::from([
            (Txid::from_byte_array([0xee; 32]), 5),
            (Txid::from_byte_array([0x01; 32]), -7),
        ]);
        let unbroadcast =
            BTreeSet::from([txs[0].tx.compute_txid(), Txid::from_byte_array([9; 32])]);
        MempoolDat {
            txs,
            deltas,
            unbroadcast,
        }
    }

    #[test]
    fn round_trips() {
        let key = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
        for dat in [MempoolDat::default(), sample()] {
            for v1 in [true, false] {
                let bytes = write(&dat, v1, key);
                assert_eq!(read(&bytes).unwrap(), dat, "v1 = {v1}");
                let reader = MempoolDatReader::new(&bytes).unwrap();
                assert_eq!(reader.version(), if v1 { 1 } else { 2 });
                assert_eq!(reader.obfuscation_key(), (!v1).then_some(key));
                assert_eq!(reader.total_txs(), dat.txs.len() as u64);
            }
        }
    }

    #[test]
    fn empty_layout() {
        let dat = MempoolDat::default();
        let v1 = write(&dat, true, [0xff; 8]);
        assert_eq!(
            v1,
            [&1u64.to_le_bytes()[..], &0u64.to_le_bytes(), &[0, 0]].concat()
        );
        let key = [1, 2, 3, 4, 5, 6, 7, 8];
        let v2 = write(&dat, false, key);
        let mut plain = [
            &2u64.to_le_bytes()[..],
            &[8],
            &key,
            &0u64.to_le_bytes(),
            &[0, 0],
        ]
        .concat();
        assert_eq!(v2.len(), plain.len());
        // File offset 17 takes key byte 1, and so on around the key.
        for (i, byte) in plain.iter_mut().enumerate().skip(17) {
            *byte ^= key[i % 8];
        }
        assert_eq!(v2, plain);
        // An all-zero key obfuscates nothing.
        let zero = write(&dat, false, [0; 8]);
        assert_eq!(&zero[17..], &v1[8..]);
    }

    #[test]
    fn deltas_of_file_transactions_are_dropped() {
        let mut dat = sample();
        let in_file = dat.txs[1].tx.compute_txid();
        dat.deltas.insert(in_file, 99);
        let back = read(&write(&dat, false, [7; 8])).unwrap();
        assert!(!back.deltas.contains_key(&in_file));
        assert_eq!(back.deltas.len(), 2);
    }

    #[test]
    fn txid_order_is_uint256_order() {
        let a = txid(ABSENT1);
        let b = txid(ABSENT2);
        // ABSENT2's internal bytes start 0x01, ABSENT1's 0x02: memcmp puts ABSENT2 first.
        assert!(a.as_byte_array() > b.as_byte_array());
        assert!(a > b);
        let set = BTreeSet::from([a, b]);
        let dat = MempoolDat {
            unbroadcast: set,
            ..MempoolDat::default()
        };
        let bytes = write(&dat, true, [0; 8]);
        // version, transaction count, delta count, then the set's count at offset 17.
        assert_eq!(&bytes[17..18], [2]);
        assert_eq!(&bytes[18..50], b.as_byte_array());
        assert_eq!(&bytes[50..82], a.as_byte_array());
    }

    fn check_core_fixture(bytes: &[u8], v1: bool) {
        let dat = read(bytes).unwrap();
        let ids: Vec<Txid> = dat.txs.iter().map(|p| p.tx.compute_txid()).collect();
        // Mining order: B (highest feerate), then A and its child C.
        assert_eq!(ids, [txid(TXB), txid(TXA), txid(TXC)]);
        assert_eq!(dat.txs[0].tx.compute_wtxid().to_string(), WTXB);
        assert_eq!(dat.txs[1].tx.compute_wtxid().to_string(), WTXA);
        assert_eq!(dat.txs[2].tx.compute_wtxid().to_string(), TXC);
        assert!(dat.txs.iter().all(|p| p.time == TIME));
        let fee_deltas: Vec<i64> = dat.txs.iter().map(|p| p.fee_delta).collect();
        assert_eq!(fee_deltas, [12345, 0, 0]);
        assert_eq!(
            dat.deltas,
            BTreeMap::from([(txid(ABSENT1), -5000), (txid(ABSENT2), 777)])
        );
        assert_eq!(
            dat.unbroadcast,
            BTreeSet::from([txid(TXA), txid(TXB), txid(TXC)])
        );

        let reader = MempoolDatReader::new(bytes).unwrap();
        let key = reader.obfuscation_key();
        assert_eq!(key.is_none(), v1);
        assert_eq!(write(&dat, v1, key.unwrap_or_default()), bytes);
    }

    #[test]
    fn core_v2_file() {
        assert_eq!(CORE_V2.len(), 855);
        check_core_fixture(CORE_V2, false);
    }

    #[test]
    fn core_v1_file() {
        assert_eq!(CORE_V1.len(), 846);
        check_core_fixture(CORE_V1, true);
        // The same contents, whichever format.
        assert_eq!(read(CORE_V1).unwrap(), read(CORE_V2).unwrap());
    }

    #[test]
    fn unknown_version() {
        let mut bytes = write(&sample(), true, [0; 8]);
        bytes[0] = 3;
        assert_eq!(read(&bytes), Err(MempoolDatError::UnknownVersion(3)));
        assert_eq!(read(&[0; 8]), Err(MempoolDatError::UnknownVersion(0)));
    }

    #[test]
    fn truncated_anywhere_fails() {
        for (bytes, v1) in [
            (CORE_V2.to_vec(), false),
            (write(&sample(), true, [0; 8]), true),
        ] {
            for len in 0..bytes.len() {
                let err = read(&bytes[..len]).unwrap_err();
                assert!(
                    matches!(err, MempoolDatError::Truncated(_)),
                    "v1 = {v1}, len {len}: {err}"
                );
            }
        }
        // Trailing bytes are ignored, as Core does not check for the end of the file.
        let mut longer = CORE_V1.to_vec();
        longer.push(0);
        assert!(read(&longer).is_ok());
    }

    #[test]
    fn bad_key_and_sizes() {
        let mut bytes = 2u64.to_le_bytes().to_vec();
        bytes.extend_from_slice(&[7, 1, 2, 3, 4, 5, 6, 7]);
        bytes.extend_from_slice(&[0; 10]);
        assert_eq!(read(&bytes), Err(MempoolDatError::KeySize(7)));

        let header = [&1u64.to_le_bytes()[..], &0u64.to_le_bytes()].concat();
        let non_canonical = [&header[..], &[253, 10, 0]].concat();
        assert_eq!(
            read(&non_canonical),
            Err(MempoolDatError::NonCanonicalCompactSize("delta count"))
        );
        let too_large = [&header[..], &[0, 254, 1, 0, 0, 2]].concat();
        assert_eq!(
            read(&too_large),
            Err(MempoolDatError::CompactSizeTooLarge {
                what: "unbroadcast count",
                size: 0x0200_0001
            })
        );
    }

    #[test]
    fn duplicate_entries_keep_the_first() {
        let id = [5u8; 32];
        let mut bytes = [&1u64.to_le_bytes()[..], &0u64.to_le_bytes(), &[2]].concat();
        for delta in [10i64, 20] {
            bytes.extend_from_slice(&id);
            bytes.extend_from_slice(&delta.to_le_bytes());
        }
        bytes.push(0);
        let dat = read(&bytes).unwrap();
        assert_eq!(
            dat.deltas,
            BTreeMap::from([(Txid::from_byte_array(id), 10)])
        );
    }

    #[test]
    fn invalid_transaction() {
        // Segwit marker and flag, then a flag Core does not know.
        let bytes = [
            &1u64.to_le_bytes()[..],
            &1u64.to_le_bytes(),
            &[2, 0, 0, 0, 0, 2],
        ]
        .concat();
        assert!(matches!(
            read(&bytes),
            Err(MempoolDatError::InvalidTransaction { index: 0, .. })
        ));
    }

    #[test]
    fn streaming_reader_stops_where_core_would() {
        let mut bytes = write(&sample(), true, [0; 8]);
        let second = bytes.len();
        bytes.truncate(second - 40);
        let mut reader = MempoolDatReader::new(&bytes).unwrap();
        assert_eq!(reader.total_txs(), 3);
        assert!(reader.next_tx().unwrap().is_some());
        assert_eq!(reader.txs_read(), 1);
        assert!(reader.next_tx().unwrap().is_some());
        assert!(reader.next_tx().unwrap().is_some());
        assert_eq!(reader.next_tx().unwrap(), None);
        assert!(matches!(
            reader.finish(),
            Err(MempoolDatError::Truncated(_))
        ));
    }

    #[test]
    fn dump_to_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mempool.dat");
        fs::write(&path, b"old").unwrap();
        let dat = sample();
        for v1 in [false, true] {
            let size = dump_to(&path, &dat, v1).unwrap();
            let bytes = fs::read(&path).unwrap();
            assert_eq!(size, bytes.len() as u64);
            assert_eq!(read(&bytes).unwrap(), dat);
            assert_eq!(
                MempoolDatReader::new(&bytes).unwrap().version(),
                if v1 { 1 } else { 2 }
            );
            assert!(!dir.path().join("mempool.dat.new").exists());
        }
    }
}
