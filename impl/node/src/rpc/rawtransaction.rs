//! Commands of Core's `rawtransactions` category that need no chain or mempool:
//! `decoderawtransaction` and `decodescript` (`rpc/rawtransaction.cpp`), with Core's hex
//! transaction decoding (`core_io.cpp`: `DecodeHexTx`, its witness/no-witness heuristics).

use bitcoin::hashes::{Hash, hash160, sha256};
use bitcoin::{
    Address, Amount, NetworkKind, OutPoint, ScriptBuf, ScriptHash, Sequence, Transaction, TxIn,
    TxOut, Txid, WPubkeyHash, WScriptHash, Witness,
};
use serde_json::Value;
use umkoin_interfaces::rpc::code;

use super::txjson::{self, Solved};
use super::{Arg, ArgType, Command, Request, RpcError, RpcResult, help_texts};
use crate::context::NodeContext;

/// The commands of this module.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        category: "rawtransactions",
        name: "getrawtransaction",
        args: &[
            Arg::required("txid", ArgType::Str),
            Arg::optional("verbosity|verbose", ArgType::Any),
            Arg::optional("blockhash", ArgType::Str),
        ],
        help: help_texts::GETRAWTRANSACTION,
        handler: getrawtransaction,
    },
    Command {
        category: "rawtransactions",
        name: "decoderawtransaction",
        args: &[
            Arg::required("hexstring", ArgType::Str),
            Arg::optional("iswitness", ArgType::Bool),
        ],
        help: help_texts::DECODERAWTRANSACTION,
        handler: decoderawtransaction,
    },
    Command {
        category: "rawtransactions",
        name: "decodescript",
        args: &[Arg::required("hexstring", ArgType::Str)],
        help: help_texts::DECODESCRIPT,
        handler: decodescript,
    },
];

/// Core's `IsHex`: a non-empty, even number of hex digits (either case).
fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.len().is_multiple_of(2) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Core's `ParseHex` of a string [`is_hex`] accepts.
fn parse_hex(s: &str) -> Vec<u8> {
    s.as_bytes()
        .chunks_exact(2)
        .map(|pair| {
            let digit = |b: u8| char::from(b).to_digit(16).unwrap_or_default() as u8;
            digit(pair[0]) << 4 | digit(pair[1])
        })
        .collect()
}

/// Core's `ParseHexV(v, name)` (`rpc/util.cpp`): the bytes of a hex string, or
/// `RPC_INVALID_PARAMETER` "<name> must be hexadecimal string (not '<v>')"; a value that is
/// not a string reads as the empty string.
fn parse_hex_v(v: &Value, name: &str) -> Result<Vec<u8>, RpcError> {
    let s = v.as_str().unwrap_or_default();
    if !is_hex(s) {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!("{name} must be hexadecimal string (not '{s}')"),
        ));
    }
    Ok(parse_hex(s))
}

/// Core's `MAX_SIZE` (serialize.h): the largest length `ReadCompactSize` accepts.
const MAX_SIZE: u64 = 0x0200_0000;

/// A reader of Core's serialization over a byte slice (`SpanReader`); every read fails at
/// the end of the data, as Core's throws.
struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    /// The next `n` bytes.
    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.data.len() {
            return None;
        }
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        Some(head)
    }

    /// The next `N` bytes as an array.
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.bytes(N)?.try_into().ok()
    }

    /// A byte.
    fn u8(&mut self) -> Option<u8> {
        Some(self.array::<1>()?[0])
    }

    /// A little-endian `uint32_t`.
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.array()?))
    }

    /// Core's `ReadCompactSize(range_check=true)`: canonical, and at most [`MAX_SIZE`].
    fn compact_size(&mut self) -> Option<usize> {
        let n = match self.u8()? {
            0xfd => Some(u64::from(u16::from_le_bytes(self.array()?))).filter(|n| *n >= 0xfd),
            0xfe => Some(u64::from(self.u32()?)).filter(|n| *n >= 0x1_0000),
            0xff => Some(u64::from_le_bytes(self.array()?)).filter(|n| *n >= 0x1_0000_0000),
            b => Some(u64::from(b)),
        }?;
        usize::try_from(n).ok().filter(|_| n <= MAX_SIZE)
    }

    /// A byte vector (`CScript`, a witness item): its length, then its bytes.
    fn byte_vector(&mut self) -> Option<Vec<u8>> {
        let n = self.compact_size()?;
        Some(self.bytes(n)?.to_vec())
    }

    /// A vector of `T`, each read by `read`.
    fn vector<T>(&mut self, read: impl Fn(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.compact_size()?;
        // Never trust the claimed length for the allocation (Core reads in chunks too).
        let mut out = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            out.push(read(self)?);
        }
        Some(out)
    }

    /// A `CTxIn`: prevout, scriptSig, nSequence.
    fn txin(&mut self) -> Option<TxIn> {
        let txid = Txid::from_byte_array(self.array()?);
        let vout = self.u32()?;
        let script_sig = ScriptBuf::from_bytes(self.byte_vector()?);
        let sequence = Sequence(self.u32()?);
        Some(TxIn {
            previous_output: OutPoint { txid, vout },
            script_sig,
            sequence,
            witness: Witness::new(),
        })
    }

    /// A `CTxOut`: nValue (an `int64_t`, kept bit for bit), scriptPubKey.
    fn txout(&mut self) -> Option<TxOut> {
        let value = Amount::from_sat(u64::from_le_bytes(self.array()?));
        let script_pubkey = ScriptBuf::from_bytes(self.byte_vector()?);
        Some(TxOut {
            value,
            script_pubkey,
        })
    }

    /// Core's `UnserializeTransaction`: with `allow_witness` (`TX_WITH_WITNESS`), an empty
    /// input vector is read as the BIP 144 marker and the flag byte follows; flag 1 brings
    /// the witnesses, which must not all be empty; any other non-zero flag is an error, and
    /// flag 0 leaves the transaction without inputs or outputs.
    fn transaction(&mut self, allow_witness: bool) -> Option<Transaction> {
        let version = self.u32()?;
        let mut input = self.vector(Self::txin)?;
        let mut output = Vec::new();
        let mut flags = 0;
        if input.is_empty() && allow_witness {
            flags = self.u8()?;
            if flags != 0 {
                input = self.vector(Self::txin)?;
                output = self.vector(Self::txout)?;
            }
        } else {
            output = self.vector(Self::txout)?;
        }
        if flags & 1 != 0 && allow_witness {
            flags ^= 1;
            for txin in &mut input {
                txin.witness = Witness::from_slice(&self.vector(Self::byte_vector)?);
            }
            if input.iter().all(|txin| txin.witness.is_empty()) {
                // "Superfluous witness record".
                return None;
            }
        }
        if flags != 0 {
            // "Unknown transaction optional data".
            return None;
        }
        let lock_time = bitcoin::absolute::LockTime::from_consensus(self.u32()?);
        Some(Transaction {
            // `CTransaction::version` is a uint32_t; rust-bitcoin keeps the same bits.
            version: bitcoin::transaction::Version(version as i32),
            lock_time,
            input,
            output,
        })
    }
}

/// A transaction read from all of `data`, with or without witness data, as Core's
/// `SpanReader >> TX_WITH_WITNESS(tx)` (or `TX_NO_WITNESS`) followed by `ssData.empty()`.
fn read_whole_tx(data: &[u8], allow_witness: bool) -> Option<Transaction> {
    let mut reader = Reader { data };
    let tx = reader.transaction(allow_witness)?;
    reader.data.is_empty().then_some(tx)
}

/// Core's `CheckTxScriptsSanity`: every scriptSig (unless a coinbase) and every
/// scriptPubKey has valid opcodes and is within `MAX_SCRIPT_SIZE`.
fn scripts_sane(tx: &Transaction) -> bool {
    let sane = |script: &ScriptBuf| {
        txjson::has_valid_ops(script.as_bytes()) && script.len() <= txjson::MAX_SCRIPT_SIZE
    };
    (tx.is_coinbase() || tx.input.iter().all(|txin| sane(&txin.script_sig)))
        && tx.output.iter().all(|txout| sane(&txout.script_pubkey))
}

/// Core's `DecodeTx`: the extended (witness) reading if it consumes everything and passes
/// [`scripts_sane`]; else the legacy one if it does; else whichever consumed everything,
/// the extended one first. `try_witness` and `try_no_witness` rule either reading out.
fn decode_tx(data: &[u8], try_no_witness: bool, try_witness: bool) -> Option<Transaction> {
    let extended = try_witness.then(|| read_whole_tx(data, true)).flatten();
    if let Some(tx) = extended.as_ref().filter(|tx| scripts_sane(tx)) {
        return Some(tx.clone());
    }
    let legacy = try_no_witness.then(|| read_whole_tx(data, false)).flatten();
    if let Some(tx) = legacy.as_ref().filter(|tx| scripts_sane(tx)) {
        return Some(tx.clone());
    }
    extended.or(legacy)
}

/// Core's `DecodeHexTx`: hex (see [`is_hex`]), then [`decode_tx`].
pub(super) fn decode_hex_tx(
    hex: &str,
    try_no_witness: bool,
    try_witness: bool,
) -> Option<Transaction> {
    if !is_hex(hex) {
        return None;
    }
    decode_tx(&parse_hex(hex), try_no_witness, try_witness)
}

/// `decoderawtransaction "hexstring" ( iswitness )`: `iswitness` true tries only the
/// witness reading, false only the legacy one, absent both (Core's heuristics); the
/// answer is `TxToUniv` without the hex.
fn decoderawtransaction(ctx: &NodeContext, req: &Request) -> RpcResult {
    let iswitness = req.param(1).as_bool();
    let try_witness = iswitness.unwrap_or(true);
    let try_no_witness = iswitness.is_none_or(|w| !w);
    let hex = req.param(0).as_str().unwrap_or_default();
    let tx = decode_hex_tx(hex, try_no_witness, try_witness)
        .ok_or_else(|| RpcError::new(code::DESERIALIZATION_ERROR, "TX decode failed"))?;
    let network = super::network(ctx.params.chain);
    Ok(txjson::tx_to_json(&tx, network, false, None, false))
}

/// Whether `decodescript` offers P2SH (and maybe segwit) wrappings of a script of this
/// type: not for null data, P2SH, witness programs other than v0, anchors; not for a
/// script with invalid opcodes, an unspendable one, or one with `OP_CHECKSIGADD` or an
/// `OP_SUCCESSx` opcode.
fn can_wrap(script: &[u8], solved: &Solved<'_>) -> bool {
    match solved {
        Solved::Multisig(..)
        | Solved::NonStandard
        | Solved::PubKey(_)
        | Solved::PubKeyHash(_)
        | Solved::WitnessV0KeyHash(_)
        | Solved::WitnessV0ScriptHash(_) => {}
        Solved::NullData
        | Solved::ScriptHash(_)
        | Solved::WitnessUnknown(..)
        | Solved::WitnessV1Taproot(_)
        | Solved::Anchor => return false,
    }
    if !txjson::has_valid_ops(script) || txjson::is_unspendable(script) {
        return false;
    }
    // Valid opcodes read, so every operation is there.
    txjson::opcodes(script).is_some_and(|ops| {
        ops.iter()
            .all(|&op| op != txjson::OP_CHECKSIGADD && !txjson::is_op_success(op))
    })
}

/// The segwit output `decodescript` wraps a script in, if it can: P2WPKH for P2PK (of a
/// compressed key) and P2PKH, P2WSH for bare multisig (of compressed keys) and nonstandard
/// scripts; none for witness programs, P2SH, null data, anchors, or uncompressed keys.
fn segwit_wrapping(script: &[u8], solved: &Solved<'_>) -> Option<ScriptBuf> {
    // Solver's "solutions" of P2PK and multisig: the keys; an uncompressed one (anything
    // but 33 bytes) cannot be used with segwit checksigs.
    let compressed = |key: &[u8]| key.len() == 33;
    match solved {
        Solved::PubKey(key) if compressed(key) => Some(ScriptBuf::new_p2wpkh(
            &WPubkeyHash::from_byte_array(hash160::Hash::hash(key).to_byte_array()),
        )),
        Solved::PubKeyHash(hash) => Some(ScriptBuf::new_p2wpkh(&WPubkeyHash::from_byte_array(
            (*hash).try_into().ok()?,
        ))),
        Solved::Multisig(_, keys) if !keys.iter().all(|k| compressed(k)) => None,
        Solved::Multisig(..) | Solved::NonStandard => Some(ScriptBuf::new_p2wsh(
            &WScriptHash::from_byte_array(sha256::Hash::hash(script).to_byte_array()),
        )),
        _ => None,
    }
}

/// The P2SH address of `script` (Core's `EncodeDestination(ScriptHash(script))`), for any
/// length of script.
fn p2sh_address(script: &[u8], network: NetworkKind) -> String {
    let hash = ScriptHash::from_byte_array(hash160::Hash::hash(script).to_byte_array());
    Address::p2sh_from_hash(hash, network).to_string()
}

/// `decodescript "hexstring"`: `ScriptToUniv` without the hex (asm, desc, address, type),
/// then, for a script that may be wrapped, `p2sh` and, for one segwit can wrap, `segwit`
/// (the wrapping output's asm, desc, hex, address, type and `p2sh-segwit`). An empty string
/// is the empty script.
fn decodescript(ctx: &NodeContext, req: &Request) -> RpcResult {
    let hex = req.param(0).as_str().unwrap_or_default();
    let bytes = if hex.is_empty() {
        Vec::new()
    } else {
        parse_hex_v(req.param(0), "argument")?
    };
    let script = ScriptBuf::from_bytes(bytes);
    let network = super::network(ctx.params.chain);
    let kind = NetworkKind::from(network);
    let mut r = txjson::script_to_json(&script, network, false, None);
    let solved = txjson::solve(script.as_bytes());
    if can_wrap(script.as_bytes(), &solved) {
        r.insert("p2sh".into(), p2sh_address(script.as_bytes(), kind).into());
        if let Some(segwit) = segwit_wrapping(script.as_bytes(), &solved) {
            // The signing provider knows the script, so a P2WSH wrapping may infer `wsh(...)`.
            let mut sr = txjson::script_to_json(&segwit, network, true, Some(&script));
            sr.insert(
                "p2sh-segwit".into(),
                p2sh_address(segwit.as_bytes(), kind).into(),
            );
            r.insert("segwit".into(), Value::Object(sr));
        }
    }
    Ok(Value::Object(r))
}

/// `getrawtransaction "txid" ( verbosity "blockhash" )`: a transaction from the given
/// block, else the mempool, else `-txindex` (Core's `GetTransaction`), as hex or Core's
/// JSON with its block's place (and at verbosity 2 the coins it spent, from undo data).
fn getrawtransaction(ctx: &NodeContext, req: &Request) -> RpcResult {
    let txid = super::blockchain::parse_hash(req.param(0), "parameter 1")?;
    let txid = bitcoin::Txid::from_raw_hash(txid.to_raw_hash());
    if txid.to_raw_hash() == ctx.params.genesis.header.merkle_root.to_raw_hash() {
        return Err(RpcError::new(
            code::INVALID_ADDRESS_OR_KEY,
            "The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved",
        ));
    }
    let verbosity = super::blockchain::parse_verbosity(req.param(1), 0)?;
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let store = store
        .as_ref()
        .ok_or_else(|| RpcError::new(code::IN_WARMUP, "Loading block index…"))?;
    let chain = super::blockchain::chain(ctx).clone();
    let given = match req.param(2) {
        Value::Null => None,
        v => {
            let hash = super::blockchain::parse_hash(v, "parameter 3")?;
            if !store.knows(&hash) {
                return Err(RpcError::new(
                    code::INVALID_ADDRESS_OR_KEY,
                    "Block hash not found",
                ));
            }
            Some(hash)
        }
    };
    let in_block = |hash: &bitcoin::BlockHash| -> Option<(bitcoin::Transaction, usize)> {
        let block = store.read_block(hash).ok()?;
        block
            .txdata
            .into_iter()
            .enumerate()
            .find(|(_, tx)| tx.compute_txid() == txid)
            .map(|(i, tx)| (tx, i))
    };
    let found: Option<(bitcoin::Transaction, Option<(bitcoin::BlockHash, usize)>)> = match given {
        Some(hash) => in_block(&hash).map(|(tx, i)| (tx, Some((hash, i)))),
        None => {
            let pooled = ctx
                .pool
                .lock()
                .expect("the mempool lock is never poisoned")
                .get(&txid)
                .map(|e| (*e.tx).clone());
            match pooled {
                Some(tx) => Some((tx, None)),
                None => store
                    .txindex_block(&txid)
                    .ok()
                    .flatten()
                    .and_then(|hash| in_block(&hash).map(|(tx, i)| (tx, Some((hash, i))))),
            }
        }
    };
    let Some((tx, place)) = found else {
        let why = match given {
            Some(hash) => {
                if store.lookup(&hash).is_some_and(|k| !k.have_data) {
                    return Err(RpcError::new(code::MISC_ERROR, "Block not available"));
                }
                "No such transaction found in the provided block"
            }
            None if !store.has_txindex() => {
                "No such mempool transaction. Use -txindex or provide a block hash to enable blockchain transaction queries"
            }
            None => "No such mempool or blockchain transaction",
        };
        return Err(RpcError::new(
            code::INVALID_ADDRESS_OR_KEY,
            format!("{why}. Use gettransaction for wallet transactions."),
        ));
    };
    if verbosity <= 0 {
        return Ok(Value::String(bitcoin::consensus::encode::serialize_hex(
            &tx,
        )));
    }
    let network = super::network(ctx.params.chain);
    // Verbosity 2: the coins spent, from the block's undo data.
    let spent: Option<Vec<txjson::SpentOutput>> = match place {
        Some((hash, i)) if verbosity >= 2 && i > 0 => {
            let undo = store.block_undo(&hash).map_err(|_| {
                RpcError::new(
                    code::INTERNAL_ERROR,
                    "Undo data expected but can't be read. This could be due to disk corruption or a conflict with a pruning event.",
                )
            })?;
            undo.get(i - 1).map(|coins| {
                coins
                    .iter()
                    .map(|c| txjson::SpentOutput {
                        height: c.height,
                        coinbase: c.coinbase,
                        txout: c.output.clone(),
                    })
                    .collect()
            })
        }
        _ => None,
    };
    let mut entry = txjson::tx_to_json(
        &tx,
        network,
        true,
        spent.as_deref(),
        verbosity >= 2 && spent.is_some(),
    );
    let mut result = serde_json::Map::new();
    if let Some(hash) = given {
        let height = store.lookup(&hash).map_or(0, |k| k.height);
        result.insert(
            "in_active_chain".into(),
            Value::Bool(chain.contains(&hash, height)),
        );
    }
    if let Some(obj) = entry.as_object_mut() {
        result.extend(std::mem::take(obj));
    }
    if let Some((hash, _)) = place {
        result.insert("blockhash".into(), Value::String(hash.to_string()));
        if let Some(k) = store.lookup(&hash) {
            if chain.contains(&hash, k.height) {
                result.insert(
                    "confirmations".into(),
                    serde_json::json!(1 + chain.height() - k.height),
                );
                result.insert("time".into(), serde_json::json!(k.header.time));
                result.insert("blocktime".into(), serde_json::json!(k.header.time));
            } else {
                result.insert("confirmations".into(), serde_json::json!(0));
            }
        }
    }
    Ok(Value::Object(result))
}

#[cfg(test)]
mod tests {
    //! The reader and `DecodeTx`'s heuristics; each expectation was checked against Umkoin
    //! Core v31.0's `decoderawtransaction` (the functional tests compare whole answers).

    use super::*;

    /// Reads both ways: with witness data one input whose scriptSig is `sig`, no outputs,
    /// a one-item witness; without, no inputs and one output (a single 37-byte push).
    fn both_ways(sig: &str) -> String {
        format!(
            "020000000001010000000000000026250102030405060708090a0b0c0d0e0f101112131415161718191a1b01{sig}ffffffff0001010700000000"
        )
    }

    #[test]
    fn hex_must_be_non_empty_and_even() {
        assert!(is_hex("00aAfF"));
        for bad in ["", "0", "0g", " 00", "0x00", "é0"] {
            assert!(!is_hex(bad), "{bad}");
        }
        assert_eq!(parse_hex("00aAfF10"), vec![0x00, 0xaa, 0xff, 0x10]);
        let e = parse_hex_v(&Value::from("abc"), "argument").unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (
                code::INVALID_PARAMETER,
                "argument must be hexadecimal string (not 'abc')"
            )
        );
    }

    #[test]
    fn compact_sizes_are_canonical_and_bounded() {
        let read = |hex: &str| {
            Reader {
                data: &parse_hex(hex),
            }
            .compact_size()
        };
        assert_eq!(read("fc"), Some(0xfc));
        assert_eq!(read("fdfd00"), Some(0xfd));
        assert_eq!(read("fdfc00"), None);
        assert_eq!(read("feffff0000"), None);
        assert_eq!(read("fe00000100"), Some(0x1_0000));
        assert_eq!(read("fe00000002"), Some(0x0200_0000));
        assert_eq!(read("fe01000002"), None, "over MAX_SIZE");
        assert_eq!(read("ff00000000ffffffff"), None);
        assert_eq!(read("fd00"), None, "cut short");
    }

    #[test]
    fn the_witness_reading_wins_unless_only_the_legacy_one_is_sane() {
        // The witness reading's scriptSig is an invalid opcode: the legacy reading wins,
        // unless only the witness reading is tried.
        let insane = both_ways("bb");
        let tx = decode_hex_tx(&insane, true, true).unwrap();
        assert!(tx.input.is_empty() && tx.output.len() == 1);
        assert_eq!(decode_hex_tx(&insane, false, true).unwrap().input.len(), 1);
        assert!(
            decode_hex_tx(&insane, true, false)
                .unwrap()
                .input
                .is_empty()
        );
        // Both sane: the witness reading.
        let sane = both_ways("51");
        assert_eq!(decode_hex_tx(&sane, true, true).unwrap().input.len(), 1);
        assert!(decode_hex_tx(&sane, true, false).unwrap().input.is_empty());
    }

    #[test]
    fn witness_flags_are_read_as_cores() {
        // Flag 0 ends the witness reading: no inputs, no outputs (as the legacy one reads).
        let tx = decode_hex_tx("01000000000000000000", false, true).unwrap();
        assert!(tx.input.is_empty() && tx.output.is_empty());
        // Flag 1 with no witness at all, or an unknown flag: refused.
        assert!(decode_hex_tx("0100000000010000000000", false, true).is_none());
        assert!(decode_hex_tx("0100000000020000000000000000", false, true).is_none());
        // No inputs and one output: only the legacy reading takes it.
        let hex = "0200000000010000000000000000016a00000000";
        assert!(decode_hex_tx(hex, false, true).is_none());
        assert_eq!(decode_hex_tx(hex, true, true).unwrap().output.len(), 1);
        // Trailing bytes are refused either way.
        assert!(decode_hex_tx("0100000000000000000000", true, true).is_none());
    }

    #[test]
    fn wrapping_follows_decodescript() {
        let wrap = |hex: &str| {
            let bytes = parse_hex(hex);
            let solved = txjson::solve(&bytes);
            // As decodescript asks: the segwit wrapping only of what can be wrapped.
            let wrappable = can_wrap(&bytes, &solved);
            let segwit = wrappable
                .then(|| segwit_wrapping(&bytes, &solved))
                .flatten();
            (wrappable, segwit.map(|s| s.len()))
        };
        let key = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
        // P2PK of a compressed key: P2WPKH; P2SH, anchors and null data: nothing.
        assert_eq!(wrap(&format!("21{key}ac")), (true, Some(22)));
        assert_eq!(wrap(&format!("a914{}87", "11".repeat(20))), (false, None));
        assert_eq!(wrap("51024e73"), (false, None));
        assert_eq!(wrap("6a0100"), (false, None));
        // Nonstandard: P2WSH, unless it has an invalid opcode, OP_CHECKSIGADD (beyond
        // MAX_OPCODE), an OP_SUCCESS opcode, or is unspendable.
        assert_eq!(wrap("5193"), (true, Some(34)));
        assert_eq!(wrap("ba"), (false, None));
        assert_eq!(wrap("7e"), (false, None));
        assert_eq!(wrap("6aac"), (false, None));
        assert_eq!(wrap("4c05"), (false, None));
        // The empty script can be wrapped.
        assert_eq!(wrap(""), (true, Some(34)));
    }
}
