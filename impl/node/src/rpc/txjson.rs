//! Transactions and scripts as Umkoin Core renders them in JSON (`core_io.cpp`: TxToUniv,
//! ScriptToUniv, ScriptToAsmStr; `script/descriptor.cpp`: InferDescriptor without a key
//! store, or knowing one witness script as `decodescript` does, reading miniscript with
//! the `miniscript` crate; and descriptor checksums).
//!
//! Everything here reads raw bytes the way Core does (`GetScriptOp`, `Solver`), so any
//! script, however malformed, renders as Core renders it and nothing panics.

use bitcoin::address::{Address, KnownHrp};
use bitcoin::consensus::Encodable;
use bitcoin::hashes::{Hash, sha256};
use bitcoin::hex::DisplayHex;
use bitcoin::script::witness_program::WitnessProgram;
use bitcoin::script::witness_version::WitnessVersion;
use bitcoin::{Network, NetworkKind, PubkeyHash, Script, ScriptHash, Transaction, TxOut};
use serde_json::{Map, Value};

use crate::rpc::json::amount;

/// What one spent output was (Core's `Coin` in undo data), for verbosity 3's `prevout` and
/// for `fee`.
pub(crate) struct SpentOutput {
    /// The height of the block that created the output (`Coin::nHeight`).
    pub height: u32,
    /// Whether a coinbase created it (`Coin::fCoinBase`).
    pub coinbase: bool,
    /// The output itself (`Coin::out`).
    pub txout: TxOut,
}

/// `OP_0` (push of nothing).
const OP_0: u8 = 0x00;
/// `OP_PUSHDATA1` (one length byte follows).
const OP_PUSHDATA1: u8 = 0x4c;
/// `OP_PUSHDATA2` (two little-endian length bytes follow).
const OP_PUSHDATA2: u8 = 0x4d;
/// `OP_PUSHDATA4` (four little-endian length bytes follow); the last push opcode.
const OP_PUSHDATA4: u8 = 0x4e;
/// `OP_1`.
const OP_1: u8 = 0x51;
/// `OP_16`.
const OP_16: u8 = 0x60;
/// `OP_RETURN`.
const OP_RETURN: u8 = 0x6a;
/// `OP_CHECKMULTISIG`.
const OP_CHECKMULTISIG: u8 = 0xae;
/// `OP_CHECKSIGADD` (BIP 342).
pub(crate) const OP_CHECKSIGADD: u8 = 0xba;
/// `MAX_SCRIPT_SIZE` (script/script.h).
pub(crate) const MAX_SCRIPT_SIZE: usize = 10_000;
/// `MAX_PUBKEYS_PER_MULTISIG` (script/script.h).
const MAX_PUBKEYS_PER_MULTISIG: i64 = 20;
/// `MAX_SCRIPT_ELEMENT_SIZE` (script/script.h): the largest push.
const MAX_SCRIPT_ELEMENT_SIZE: usize = 520;
/// `MAX_OPCODE` (script/script.h): `OP_NOP10`, so `OP_CHECKSIGADD` is beyond it.
const MAX_OPCODE: u8 = 0xb9;

/// Core's `TxToUniv(tx, block_hash (none), entry, include_hex, txundo, verbosity)`:
/// `spent` is `Some` (one per input, in order) when undo data is available; `with_prevout`
/// is verbosity 3 (SHOW_DETAILS_AND_PREVOUT).
///
/// Core's callers never hand undo data for a coinbase (`rpc/blockchain.cpp`: `i > 0`), so
/// `spent` is ignored for one; it is also ignored when it does not have one entry per input
/// (Core would read out of bounds). A fee outside the money range, which Core refuses with
/// an internal error, is printed as it comes out.
pub(crate) fn tx_to_json(
    tx: &Transaction,
    network: Network,
    include_hex: bool,
    spent: Option<&[SpentOutput]>,
    with_prevout: bool,
) -> Value {
    let is_coinbase = tx.is_coinbase();
    let undo = spent.filter(|s| !is_coinbase && s.len() == tx.input.len());
    let (size, weight) = sizes(tx);

    let mut entry = Map::new();
    entry.insert("txid".into(), tx.compute_txid().to_string().into());
    entry.insert("hash".into(), wtxid_hex(tx).into());
    // `CTransaction::version` is a uint32_t.
    entry.insert("version".into(), (tx.version.0 as u32).into());
    entry.insert("size".into(), size.into());
    entry.insert("vsize".into(), weight.div_ceil(4).into());
    entry.insert("weight".into(), weight.into());
    entry.insert("locktime".into(), tx.lock_time.to_consensus_u32().into());

    let mut total_in: i64 = 0;
    let mut total_out: i64 = 0;
    let mut vin = Vec::with_capacity(tx.input.len());
    for (i, txin) in tx.input.iter().enumerate() {
        let mut input = Map::new();
        if is_coinbase {
            input.insert(
                "coinbase".into(),
                txin.script_sig.as_bytes().to_lower_hex_string().into(),
            );
        } else {
            input.insert("txid".into(), txin.previous_output.txid.to_string().into());
            input.insert("vout".into(), txin.previous_output.vout.into());
            let mut script_sig = Map::new();
            script_sig.insert("asm".into(), script_to_asm(&txin.script_sig, true).into());
            script_sig.insert(
                "hex".into(),
                txin.script_sig.as_bytes().to_lower_hex_string().into(),
            );
            input.insert("scriptSig".into(), Value::Object(script_sig));
        }
        if !txin.witness.is_empty() {
            let items = txin
                .witness
                .iter()
                .map(|item| Value::String(item.to_lower_hex_string()))
                .collect();
            input.insert("txinwitness".into(), Value::Array(items));
        }
        if let Some(coin) = undo.and_then(|s| s.get(i)) {
            let value = coin.txout.value.to_sat() as i64;
            total_in = total_in.wrapping_add(value);
            if with_prevout {
                let mut prevout = Map::new();
                prevout.insert("generated".into(), coin.coinbase.into());
                prevout.insert("height".into(), coin.height.into());
                prevout.insert("value".into(), amount(value));
                prevout.insert(
                    "scriptPubKey".into(),
                    script_pubkey_to_json(&coin.txout.script_pubkey, network),
                );
                input.insert("prevout".into(), Value::Object(prevout));
            }
        }
        input.insert("sequence".into(), txin.sequence.0.into());
        vin.push(Value::Object(input));
    }
    entry.insert("vin".into(), Value::Array(vin));

    let mut vout = Vec::with_capacity(tx.output.len());
    for (n, txout) in tx.output.iter().enumerate() {
        let value = txout.value.to_sat() as i64;
        let mut output = Map::new();
        output.insert("value".into(), amount(value));
        output.insert("n".into(), n.into());
        output.insert(
            "scriptPubKey".into(),
            script_pubkey_to_json(&txout.script_pubkey, network),
        );
        vout.push(Value::Object(output));
        total_out = total_out.wrapping_add(value);
    }
    entry.insert("vout".into(), Value::Array(vout));

    if undo.is_some() {
        entry.insert("fee".into(), amount(total_in.wrapping_sub(total_out)));
    }
    if include_hex {
        entry.insert("hex".into(), serialize(tx).to_lower_hex_string().into());
    }
    Value::Object(entry)
}

/// Core's `CTransaction::HasWitness`: some input has a witness stack.
fn has_witness(tx: &Transaction) -> bool {
    tx.input.iter().any(|txin| !txin.witness.is_empty())
}

/// The serialization without witness data (Core's `TX_NO_WITNESS`).
fn serialize_no_witness(tx: &Transaction) -> Vec<u8> {
    let mut out = Vec::new();
    let why = "encoding into a Vec cannot fail";
    tx.version.consensus_encode(&mut out).expect(why);
    tx.input.consensus_encode(&mut out).expect(why);
    tx.output.consensus_encode(&mut out).expect(why);
    tx.lock_time.consensus_encode(&mut out).expect(why);
    out
}

/// Core's `TX_WITH_WITNESS` serialization: the BIP 144 form only when some input has a
/// witness. (rust-bitcoin also uses that form for a transaction without inputs; Core does not.)
fn serialize(tx: &Transaction) -> Vec<u8> {
    if has_witness(tx) {
        bitcoin::consensus::serialize(tx)
    } else {
        serialize_no_witness(tx)
    }
}

/// The `hash` field: Core's `GetWitnessHash`, which is the txid without witness data.
fn wtxid_hex(tx: &Transaction) -> String {
    if has_witness(tx) {
        tx.compute_wtxid().to_string()
    } else {
        tx.compute_txid().to_string()
    }
}

/// `ComputeTotalSize` and `GetTransactionWeight`, as Core serializes.
fn sizes(tx: &Transaction) -> (usize, usize) {
    let base = tx.base_size();
    let total = if has_witness(tx) {
        tx.total_size()
    } else {
        base
    };
    (total, base * 3 + total)
}

/// Reads one operation at `*pc` as Core's `GetScriptOp`: the opcode and, for a push, its
/// data; `None` (with `*pc` unspecified) for a push running past the end.
fn get_op<'a>(script: &'a [u8], pc: &mut usize) -> Option<(u8, &'a [u8])> {
    let opcode = *script.get(*pc)?;
    *pc += 1;
    if opcode > OP_PUSHDATA4 {
        return Some((opcode, &[]));
    }
    let rest = &script[*pc..];
    let (len_bytes, size) = match opcode {
        OP_PUSHDATA1 => (1, usize::from(*rest.first()?)),
        OP_PUSHDATA2 => {
            let b = rest.get(..2)?;
            (2, usize::from(u16::from_le_bytes([b[0], b[1]])))
        }
        OP_PUSHDATA4 => {
            let b = rest.get(..4)?;
            let n = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            (4, usize::try_from(n).ok()?)
        }
        _ => (0, usize::from(opcode)),
    };
    let data = rest.get(len_bytes..)?.get(..size)?;
    *pc += len_bytes + size;
    Some((opcode, data))
}

/// `CScriptNum(vch, false).getint()` for at most four bytes: little-endian, sign bit in
/// the last byte.
fn script_num(data: &[u8]) -> i64 {
    let Some(&last) = data.last() else {
        return 0;
    };
    let mut value: i64 = 0;
    for (i, b) in data.iter().enumerate() {
        value |= i64::from(*b) << (8 * i);
    }
    if last & 0x80 != 0 {
        -(value & !(0x80_i64 << (8 * (data.len() - 1))))
    } else {
        value
    }
}

/// Core's `CScript::IsUnspendable`.
pub(crate) fn is_unspendable(script: &[u8]) -> bool {
    script.first() == Some(&OP_RETURN) || script.len() > MAX_SCRIPT_SIZE
}

/// Core's `CScript::HasValidOps`: every operation reads, none is above `MAX_OPCODE`, and no
/// push is over `MAX_SCRIPT_ELEMENT_SIZE`.
pub(crate) fn has_valid_ops(script: &[u8]) -> bool {
    let mut pc = 0;
    while pc < script.len() {
        match get_op(script, &mut pc) {
            Some((opcode, data))
                if opcode <= MAX_OPCODE && data.len() <= MAX_SCRIPT_ELEMENT_SIZE => {}
            _ => return false,
        }
    }
    true
}

/// Core's `IsOpSuccess`: the opcodes BIP 342 redefines as `OP_SUCCESSx`.
pub(crate) fn is_op_success(opcode: u8) -> bool {
    matches!(
        opcode,
        80 | 98 | 126..=129 | 131..=134 | 137..=138 | 141..=142 | 149..=153 | 187..=254
    )
}

/// Reads every operation of `script` as Core's `CScript::GetOp`: the opcodes, or `None` if
/// a push runs past the end.
pub(crate) fn opcodes(script: &[u8]) -> Option<Vec<u8>> {
    let mut pc = 0;
    let mut out = Vec::new();
    while pc < script.len() {
        out.push(get_op(script, &mut pc)?.0);
    }
    Some(out)
}

/// Core's `IsValidSignatureEncoding` (strict DER plus a sighash byte).
fn is_valid_signature_encoding(sig: &[u8]) -> bool {
    if sig.len() < 9 || sig.len() > 73 {
        return false;
    }
    if sig[0] != 0x30 || usize::from(sig[1]) != sig.len() - 3 {
        return false;
    }
    let len_r = usize::from(sig[3]);
    if 5 + len_r >= sig.len() {
        return false;
    }
    let len_s = usize::from(sig[5 + len_r]);
    if len_r + len_s + 7 != sig.len() {
        return false;
    }
    if sig[2] != 0x02 || len_r == 0 || sig[4] & 0x80 != 0 {
        return false;
    }
    if len_r > 1 && sig[4] == 0x00 && sig[5] & 0x80 == 0 {
        return false;
    }
    if sig[len_r + 4] != 0x02 || len_s == 0 || sig[len_r + 6] & 0x80 != 0 {
        return false;
    }
    !(len_s > 1 && sig[len_r + 6] == 0x00 && sig[len_r + 7] & 0x80 == 0)
}

/// `CheckSignatureEncoding(sig, SCRIPT_VERIFY_STRICTENC)`: empty, or strict DER with a
/// defined sighash type.
fn check_signature_encoding_strict(sig: &[u8]) -> bool {
    let Some(&hash_type) = sig.last() else {
        return true;
    };
    is_valid_signature_encoding(sig) && (1..=3).contains(&(hash_type & !0x80))
}

/// Core's `mapSigHashTypes`.
fn sighash_name(hash_type: u8) -> Option<&'static str> {
    Some(match hash_type {
        0x01 => "ALL",
        0x81 => "ALL|ANYONECANPAY",
        0x02 => "NONE",
        0x82 => "NONE|ANYONECANPAY",
        0x03 => "SINGLE",
        0x83 => "SINGLE|ANYONECANPAY",
        _ => return None,
    })
}

/// Core's `GetOpName`.
fn op_name(opcode: u8) -> &'static str {
    const SMALL: [&str; 16] = [
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
    ];
    const CONTROL_TO_CRYPTO: [&str; 79] = [
        "OP_NOP",
        "OP_VER",
        "OP_IF",
        "OP_NOTIF",
        "OP_VERIF",
        "OP_VERNOTIF",
        "OP_ELSE",
        "OP_ENDIF",
        "OP_VERIFY",
        "OP_RETURN",
        "OP_TOALTSTACK",
        "OP_FROMALTSTACK",
        "OP_2DROP",
        "OP_2DUP",
        "OP_3DUP",
        "OP_2OVER",
        "OP_2ROT",
        "OP_2SWAP",
        "OP_IFDUP",
        "OP_DEPTH",
        "OP_DROP",
        "OP_DUP",
        "OP_NIP",
        "OP_OVER",
        "OP_PICK",
        "OP_ROLL",
        "OP_ROT",
        "OP_SWAP",
        "OP_TUCK",
        "OP_CAT",
        "OP_SUBSTR",
        "OP_LEFT",
        "OP_RIGHT",
        "OP_SIZE",
        "OP_INVERT",
        "OP_AND",
        "OP_OR",
        "OP_XOR",
        "OP_EQUAL",
        "OP_EQUALVERIFY",
        "OP_RESERVED1",
        "OP_RESERVED2",
        "OP_1ADD",
        "OP_1SUB",
        "OP_2MUL",
        "OP_2DIV",
        "OP_NEGATE",
        "OP_ABS",
        "OP_NOT",
        "OP_0NOTEQUAL",
        "OP_ADD",
        "OP_SUB",
        "OP_MUL",
        "OP_DIV",
        "OP_MOD",
        "OP_LSHIFT",
        "OP_RSHIFT",
        "OP_BOOLAND",
        "OP_BOOLOR",
        "OP_NUMEQUAL",
        "OP_NUMEQUALVERIFY",
        "OP_NUMNOTEQUAL",
        "OP_LESSTHAN",
        "OP_GREATERTHAN",
        "OP_LESSTHANOREQUAL",
        "OP_GREATERTHANOREQUAL",
        "OP_MIN",
        "OP_MAX",
        "OP_WITHIN",
        "OP_RIPEMD160",
        "OP_SHA1",
        "OP_SHA256",
        "OP_HASH160",
        "OP_HASH256",
        "OP_CODESEPARATOR",
        "OP_CHECKSIG",
        "OP_CHECKSIGVERIFY",
        "OP_CHECKMULTISIG",
        "OP_CHECKMULTISIGVERIFY",
    ];
    const EXPANSION: [&str; 11] = [
        "OP_NOP1",
        "OP_CHECKLOCKTIMEVERIFY",
        "OP_CHECKSEQUENCEVERIFY",
        "OP_NOP4",
        "OP_NOP5",
        "OP_NOP6",
        "OP_NOP7",
        "OP_NOP8",
        "OP_NOP9",
        "OP_NOP10",
        "OP_CHECKSIGADD",
    ];
    match opcode {
        OP_0 => "0",
        OP_PUSHDATA1 => "OP_PUSHDATA1",
        OP_PUSHDATA2 => "OP_PUSHDATA2",
        OP_PUSHDATA4 => "OP_PUSHDATA4",
        0x4f => "-1",
        0x50 => "OP_RESERVED",
        OP_1..=OP_16 => SMALL[usize::from(opcode - OP_1)],
        0x61..=0xaf => CONTROL_TO_CRYPTO[usize::from(opcode - 0x61)],
        0xb0..=0xba => EXPANSION[usize::from(opcode - 0xb0)],
        0xff => "OP_INVALIDOPCODE",
        _ => "OP_UNKNOWN",
    }
}

/// Core's `ScriptToAsmStr(script, fAttemptSighashDecode)`.
pub(crate) fn script_to_asm(script: &Script, attempt_sighash_decode: bool) -> String {
    let bytes = script.as_bytes();
    let mut out = String::new();
    let mut pc = 0;
    while pc < bytes.len() {
        if !out.is_empty() {
            out.push(' ');
        }
        let Some((opcode, data)) = get_op(bytes, &mut pc) else {
            out.push_str("[error]");
            return out;
        };
        if opcode > OP_PUSHDATA4 {
            out.push_str(op_name(opcode));
        } else if data.len() <= 4 {
            // `getint()` clamps to an int; four bytes never exceed it.
            out.push_str(&script_num(data).to_string());
        } else if attempt_sighash_decode && !is_unspendable(bytes) {
            // Only data shaped like a signature, in a script that can be spent, is decoded.
            let decoded = check_signature_encoding_strict(data)
                .then(|| data.split_last())
                .flatten()
                .and_then(|(last, body)| sighash_name(*last).map(|name| (body, name)));
            match decoded {
                Some((body, name)) => {
                    out.push_str(&body.to_lower_hex_string());
                    out.push('[');
                    out.push_str(name);
                    out.push(']');
                }
                None => out.push_str(&data.to_lower_hex_string()),
            }
        } else {
            out.push_str(&data.to_lower_hex_string());
        }
    }
    out
}

/// Core's `TxoutType`, with what `Solver` extracts for the kinds this module needs.
pub(crate) enum Solved<'a> {
    /// `NONSTANDARD`.
    NonStandard,
    /// `PUBKEY`: the key (33 or 65 bytes with a header matching its length).
    PubKey(&'a [u8]),
    /// `PUBKEYHASH`: the 20-byte hash.
    PubKeyHash(&'a [u8]),
    /// `SCRIPTHASH`: the 20-byte hash.
    ScriptHash(&'a [u8]),
    /// `MULTISIG`: the threshold and the keys.
    Multisig(u8, Vec<&'a [u8]>),
    /// `NULL_DATA`.
    NullData,
    /// `ANCHOR` (pay-to-anchor, `OP_1 <4e73>`).
    Anchor,
    /// `WITNESS_V0_KEYHASH`: the program.
    WitnessV0KeyHash(&'a [u8]),
    /// `WITNESS_V0_SCRIPTHASH`: the program.
    WitnessV0ScriptHash(&'a [u8]),
    /// `WITNESS_V1_TAPROOT`: the 32-byte output key.
    WitnessV1Taproot(&'a [u8]),
    /// `WITNESS_UNKNOWN`: the version and the program.
    WitnessUnknown(u8, &'a [u8]),
}

impl Solved<'_> {
    /// Core's `GetTxnOutputType`.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Solved::NonStandard => "nonstandard",
            Solved::PubKey(_) => "pubkey",
            Solved::PubKeyHash(_) => "pubkeyhash",
            Solved::ScriptHash(_) => "scripthash",
            Solved::Multisig(..) => "multisig",
            Solved::NullData => "nulldata",
            Solved::Anchor => "anchor",
            Solved::WitnessV0KeyHash(_) => "witness_v0_keyhash",
            Solved::WitnessV0ScriptHash(_) => "witness_v0_scripthash",
            Solved::WitnessV1Taproot(_) => "witness_v1_taproot",
            Solved::WitnessUnknown(..) => "witness_unknown",
        }
    }
}

/// `CPubKey::GetLen` of a key's header byte.
fn pubkey_len(header: u8) -> usize {
    match header {
        2 | 3 => 33,
        4 | 6 | 7 => 65,
        _ => 0,
    }
}

/// `CPubKey::ValidSize`: a length that matches the header byte.
fn pubkey_valid_size(key: &[u8]) -> bool {
    key.first().is_some_and(|&h| pubkey_len(h) == key.len())
}

/// `CScript::IsWitnessProgram`: the version and the program.
fn witness_program(script: &[u8]) -> Option<(u8, &[u8])> {
    if !(4..=42).contains(&script.len()) {
        return None;
    }
    let version = match script[0] {
        OP_0 => 0,
        op @ OP_1..=OP_16 => op - (OP_1 - 1),
        _ => return None,
    };
    (usize::from(script[1]) + 2 == script.len()).then(|| (version, &script[2..]))
}

/// `CScript::IsPushOnly(pc)`: only pushes (and OP_1NEGATE, OP_RESERVED, OP_1..OP_16)
/// from `script`'s start, every one well formed.
fn is_push_only(script: &[u8]) -> bool {
    let mut pc = 0;
    while pc < script.len() {
        match get_op(script, &mut pc) {
            Some((opcode, _)) if opcode <= OP_16 => {}
            _ => return false,
        }
    }
    true
}

/// `CheckMinimalPush(data, opcode)` for a push opcode.
fn check_minimal_push(data: &[u8], opcode: u8) -> bool {
    match data.len() {
        0 => opcode == OP_0,
        1 if (1..=16).contains(&data[0]) || data[0] == 0x81 => false,
        n @ 1..=75 => usize::from(opcode) == n,
        76..=255 => opcode == OP_PUSHDATA1,
        256..=65535 => opcode == OP_PUSHDATA2,
        _ => true,
    }
}

/// Solver's `GetScriptNumber`: OP_1..OP_16 or a minimal push of a minimally encoded number
/// of at most four bytes, in `min..=max`.
fn get_script_number(opcode: u8, data: &[u8], min: i64, max: i64) -> Option<i64> {
    let count = match opcode {
        OP_1..=OP_16 => i64::from(opcode - (OP_1 - 1)),
        0x01..=OP_PUSHDATA4 => {
            if !check_minimal_push(data, opcode) || data.len() > 4 {
                return None;
            }
            if let Some(&last) = data.last()
                && last & 0x7f == 0
                && (data.len() <= 1 || data[data.len() - 2] & 0x80 == 0)
            {
                return None;
            }
            script_num(data)
        }
        _ => return None,
    };
    (min..=max).contains(&count).then_some(count)
}

/// Solver's `MatchMultisig`: the threshold and the keys.
fn match_multisig(script: &[u8]) -> Option<(u8, Vec<&[u8]>)> {
    if script.last() != Some(&OP_CHECKMULTISIG) {
        return None;
    }
    let mut pc = 0;
    let (opcode, data) = get_op(script, &mut pc)?;
    let required = get_script_number(opcode, data, 1, MAX_PUBKEYS_PER_MULTISIG)?;
    let mut keys = Vec::new();
    // The operation after the keys; a failed read leaves OP_INVALIDOPCODE, never a number.
    let (opcode, data) = loop {
        match get_op(script, &mut pc) {
            Some((_, data)) if pubkey_valid_size(data) => keys.push(data),
            Some(op) => break op,
            None => break (0xff, &[][..]),
        }
    };
    let count = get_script_number(opcode, data, required, MAX_PUBKEYS_PER_MULTISIG)?;
    if usize::try_from(count).ok()? != keys.len() || pc + 1 != script.len() {
        return None;
    }
    Some((u8::try_from(required).ok()?, keys))
}

/// Core's `Solver`.
pub(crate) fn solve(script: &[u8]) -> Solved<'_> {
    // P2SH: OP_HASH160 <20> OP_EQUAL.
    if script.len() == 23 && script[0] == 0xa9 && script[1] == 0x14 && script[22] == 0x87 {
        return Solved::ScriptHash(&script[2..22]);
    }
    if let Some((version, program)) = witness_program(script) {
        return match (version, program.len()) {
            (0, 20) => Solved::WitnessV0KeyHash(program),
            (0, 32) => Solved::WitnessV0ScriptHash(program),
            (1, 32) => Solved::WitnessV1Taproot(program),
            (1, _) if program == [0x4e, 0x73] => Solved::Anchor,
            (0, _) => Solved::NonStandard,
            _ => Solved::WitnessUnknown(version, program),
        };
    }
    if script.first() == Some(&OP_RETURN) && is_push_only(&script[1..]) {
        return Solved::NullData;
    }
    // P2PK: <33 or 65 bytes> OP_CHECKSIG.
    for size in [65, 33] {
        if script.len() == size + 2 && usize::from(script[0]) == size && script[size + 1] == 0xac {
            let key = &script[1..=size];
            if pubkey_valid_size(key) {
                return Solved::PubKey(key);
            }
        }
    }
    // P2PKH: OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG.
    if script.len() == 25
        && script[..3] == [0x76, 0xa9, 0x14]
        && script[23] == 0x88
        && script[24] == 0xac
    {
        return Solved::PubKeyHash(&script[3..23]);
    }
    if let Some((required, keys)) = match_multisig(script) {
        return Solved::Multisig(required, keys);
    }
    Solved::NonStandard
}

/// Core's `GetTxnOutputType` names: pubkey, pubkeyhash, scripthash, multisig, nulldata,
/// witness_v0_keyhash, witness_v0_scripthash, witness_v1_taproot, anchor, witness_unknown,
/// nonstandard.
#[cfg_attr(
    not(test),
    expect(dead_code, reason = "decodescript will answer with it")
)]
pub(crate) fn script_type(script: &Script) -> &'static str {
    solve(script.as_bytes()).name()
}

/// `ExtractDestination` then `EncodeDestination`: the address of a solved script, if it
/// has one (P2PK, multisig, null data and nonstandard scripts have none).
fn address_of(solved: &Solved<'_>, network: Network) -> Option<String> {
    let witness = |version: u8, program: &[u8]| {
        let version = WitnessVersion::try_from(version).ok()?;
        let program = WitnessProgram::new(version, program).ok()?;
        Some(Address::from_witness_program(program, KnownHrp::from(network)).to_string())
    };
    match *solved {
        Solved::PubKeyHash(hash) => {
            let hash = PubkeyHash::from_slice(hash).ok()?;
            Some(Address::p2pkh(hash, NetworkKind::from(network)).to_string())
        }
        Solved::ScriptHash(hash) => {
            let hash = ScriptHash::from_slice(hash).ok()?;
            Some(Address::p2sh_from_hash(hash, NetworkKind::from(network)).to_string())
        }
        Solved::WitnessV0KeyHash(program) | Solved::WitnessV0ScriptHash(program) => {
            witness(0, program)
        }
        Solved::WitnessV1Taproot(program) => witness(1, program),
        Solved::Anchor => witness(1, &[0x4e, 0x73]),
        Solved::WitnessUnknown(version, program) => witness(version, program),
        Solved::NonStandard | Solved::PubKey(_) | Solved::Multisig(..) | Solved::NullData => None,
    }
}

/// Core's `ScriptToUniv(script, out, include_hex=true, include_address=true)` for a
/// scriptPubKey: asm, desc, hex, address (when there is one), type.
pub(crate) fn script_pubkey_to_json(script: &Script, network: Network) -> Value {
    Value::Object(script_to_json(script, network, true, None))
}

/// Core's `ScriptToUniv(script, out, include_hex, include_address=true, provider)`: asm,
/// desc, hex (if `include_hex`), address (when there is one), type.
///
/// `witness_script` is what the signing provider knows: a script whose P2WSH output
/// `script` may be (as `decodescript` hands Core's `InferDescriptor`).
pub(crate) fn script_to_json(
    script: &Script,
    network: Network,
    include_hex: bool,
    witness_script: Option<&Script>,
) -> Map<String, Value> {
    let bytes = script.as_bytes();
    let solved = solve(bytes);
    let mut out = Map::new();
    out.insert("asm".into(), script_to_asm(script, false).into());
    let desc = match witness_script {
        Some(known) => infer_descriptor_knowing(script, network, known),
        None => infer_descriptor(script, network),
    };
    out.insert("desc".into(), desc.into());
    if include_hex {
        out.insert("hex".into(), bytes.to_lower_hex_string().into());
    }
    // `ExtractDestination` also succeeds for P2PK, but Core leaves that address out.
    if let Some(address) = address_of(&solved, network) {
        out.insert("address".into(), address.into());
    }
    out.insert("type".into(), solved.name().into());
    out
}

/// `CPubKey::IsValidNonHybrid`: a compressed or uncompressed header (the point itself is
/// not checked).
fn is_valid_non_hybrid(key: &[u8]) -> bool {
    matches!(key.first(), Some(0x02..=0x04))
}

/// `InferDescriptor(script, empty provider)->ToString()` with its `#checksum`.
///
/// With no keys or scripts known: `pk(KEY)` for P2PK with a compressed or uncompressed
/// key, `multi(k,KEY,...)` for bare multisig whose keys all are, `rawtr(XONLY)` for P2TR
/// with a key on the curve, `addr(ADDRESS)` for every other script with an address (P2PKH,
/// P2SH, P2WPKH and P2WSH among them), `raw(HEX)` otherwise.
pub(crate) fn infer_descriptor(script: &Script, network: Network) -> String {
    let bytes = script.as_bytes();
    let solved = solve(bytes);
    let desc = match &solved {
        Solved::PubKey(key) if is_valid_non_hybrid(key) => {
            format!("pk({})", key.to_lower_hex_string())
        }
        Solved::Multisig(required, keys) if keys.iter().all(|k| is_valid_non_hybrid(k)) => {
            multi_descriptor(*required, keys)
        }
        Solved::WitnessV1Taproot(key)
            if bitcoin::secp256k1::XOnlyPublicKey::from_slice(key).is_ok() =>
        {
            format!("rawtr({})", key.to_lower_hex_string())
        }
        _ => match address_of(&solved, network) {
            Some(address) => format!("addr({address})"),
            None => format!("raw({})", bytes.to_lower_hex_string()),
        },
    };
    with_checksum(desc)
}

/// `InferDescriptor(script, provider)->ToString()` with its `#checksum`, for a provider that
/// knows one script, `witness_script`, and no keys: a P2WSH `script` paying to it is
/// `wsh(...)` when Core's `InferScript` reads it in the P2WSH context (`pk`, `multi`, or a
/// sane miniscript), and as [`infer_descriptor`] has it otherwise.
///
/// (Core's provider would also answer a P2SH lookup of that script; `decodescript`, the
/// only caller with a provider, asks only about the P2WSH output.)
pub(crate) fn infer_descriptor_knowing(
    script: &Script,
    network: Network,
    witness_script: &Script,
) -> String {
    if let Solved::WitnessV0ScriptHash(program) = solve(script.as_bytes())
        && sha256::Hash::hash(witness_script.as_bytes()).as_byte_array() == program
        && let Some(sub) = infer_p2wsh(witness_script.as_bytes())
    {
        return with_checksum(format!("wsh({sub})"));
    }
    infer_descriptor(script, network)
}

/// Core's `AddChecksum`: `desc#checksum` (an empty checksum, never the case for the
/// characters written here, is appended as is).
fn with_checksum(desc: String) -> String {
    let checksum = checksum_of(desc.as_bytes()).unwrap_or_default();
    format!("{desc}#{checksum}")
}

/// `multi(k,KEY,...)`, as Core's `MultisigDescriptor` writes constant keys.
fn multi_descriptor(required: u8, keys: &[&[u8]]) -> String {
    let mut s = format!("multi({required}");
    for key in keys {
        s.push(',');
        s.push_str(&key.to_lower_hex_string());
    }
    s.push(')');
    s
}

/// `InferScript(script, ParseScriptContext::P2WSH, provider)` for a provider without keys:
/// `pk(KEY)` and `multi(k,KEY,...)` for compressed keys, else a sane miniscript, else
/// nothing (Core's `nullptr`).
fn infer_p2wsh(script: &[u8]) -> Option<String> {
    // `InferPubkey` in the P2WSH context: not hybrid, and compressed.
    let usable = |key: &[u8]| is_valid_non_hybrid(key) && key.len() == 33;
    match solve(script) {
        Solved::PubKey(key) if usable(key) => {
            return Some(format!("pk({})", key.to_lower_hex_string()));
        }
        Solved::Multisig(required, keys) if keys.iter().all(|k| usable(k)) => {
            return Some(multi_descriptor(required, &keys));
        }
        _ => {}
    }
    // A sane miniscript (rust-miniscript's `parse` checks what Core's `IsSane` does).
    let script = bitcoin::ScriptBuf::from_bytes(script.to_vec());
    miniscript::Miniscript::<bitcoin::PublicKey, miniscript::Segwitv0>::parse(&script)
        .ok()
        .map(|node| node.to_string())
}

/// Core's `PolyMod` for descriptor checksums.
fn poly_mod(c: u64, val: u64) -> u64 {
    let c0 = c >> 35;
    let mut c = ((c & 0x7_ffff_ffff) << 5) ^ val;
    for (bit, generator) in [
        (1, 0xf5_dee5_1989),
        (2, 0xa9_fdca_3312),
        (4, 0x1b_ab10_e32d),
        (8, 0x37_06b1_677a),
        (16, 0x64_4d62_6ffd),
    ] {
        if c0 & bit != 0 {
            c ^= generator;
        }
    }
    c
}

/// Core's `DescriptorChecksum`: the eight checksum characters of `payload`, `None` for a
/// character outside the input character set.
fn checksum_of(payload: &[u8]) -> Option<String> {
    const INPUT_CHARSET: &[u8] = b"0123456789()[],'/*abcdefgh@:$%{}\
IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~\
ijklmnopqrstuvwxyzABCDEFGH`#\"\\ ";
    const CHECKSUM_CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let mut c: u64 = 1;
    let mut cls: u64 = 0;
    let mut cls_count = 0;
    for ch in payload {
        let pos = INPUT_CHARSET.iter().position(|x| x == ch)? as u64;
        c = poly_mod(c, pos & 31);
        cls = cls * 3 + (pos >> 5);
        cls_count += 1;
        if cls_count == 3 {
            c = poly_mod(c, cls);
            cls = 0;
            cls_count = 0;
        }
    }
    if cls_count > 0 {
        c = poly_mod(c, cls);
    }
    for _ in 0..8 {
        c = poly_mod(c, 0);
    }
    c ^= 1;
    Some(
        (0..8)
            .map(|j| char::from(CHECKSUM_CHARSET[((c >> (5 * (7 - j))) & 31) as usize]))
            .collect(),
    )
}

/// Core's descriptor checksum (`GetDescriptorChecksum`), 8 characters; `None` for a
/// character outside the charset.
///
/// As Core's `CheckChecksum`, `desc` may already end in `#` and a checksum: then the
/// checksum must be 8 characters and right (else `None`), and it is what comes back. More
/// than one `#` is `None`.
pub(crate) fn descriptor_checksum(desc: &str) -> Option<String> {
    let mut parts = desc.split('#');
    let payload = parts.next().unwrap_or_default();
    let given = parts.next();
    if parts.next().is_some() {
        return None;
    }
    if given.is_some_and(|g| g.len() != 8) {
        return None;
    }
    let checksum = checksum_of(payload.as_bytes())?;
    match given {
        Some(g) if g != checksum => None,
        _ => Some(checksum),
    }
}

#[cfg(test)]
mod tests {
    //! Fixtures are Umkoin Core v31.0's own answers (`umkoind -regtest`, see each constant),
    //! compared with ours value for value and key order for key order.

    use super::*;
    use bitcoin::consensus::deserialize;
    use bitcoin::hex::FromHex;
    use bitcoin::{Amount, ScriptBuf};

    /// Bytes from hex.
    fn unhex(s: &str) -> Vec<u8> {
        Vec::<u8>::from_hex(s).unwrap()
    }

    /// A transaction from hex.
    fn tx_from_hex(s: &str) -> Transaction {
        deserialize(&unhex(s)).unwrap()
    }

    /// Satoshis from an amount as Core writes it (`12.34567890`).
    fn sats(v: &Value) -> u64 {
        let text = v.to_string();
        let (whole, frac) = text.split_once('.').unwrap();
        assert_eq!(frac.len(), 8);
        whole.parse::<u64>().unwrap() * 100_000_000 + frac.parse::<u64>().unwrap()
    }

    /// The undo data behind Core's `prevout` objects (verbosity 3).
    fn spent_from(core: &Value) -> Vec<SpentOutput> {
        core["vin"]
            .as_array()
            .unwrap()
            .iter()
            .map(|vin| {
                let p = &vin["prevout"];
                SpentOutput {
                    height: p["height"].as_u64().unwrap() as u32,
                    coinbase: p["generated"].as_bool().unwrap(),
                    txout: TxOut {
                        value: Amount::from_sat(sats(&p["value"])),
                        script_pubkey: ScriptBuf::from_bytes(unhex(
                            p["scriptPubKey"]["hex"].as_str().unwrap(),
                        )),
                    },
                }
            })
            .collect()
    }

    /// Asserts that `ours` is `core` exactly, key order included.
    fn assert_same(ours: &Value, core: &Value) {
        assert_eq!(ours, core);
        assert_eq!(ours.to_string(), core.to_string());
    }

    /// Parses a fixture.
    fn parse(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    /// Coinbases from `getblock 2` and `getblock 3`: `coinbase` hex, the witness, no fee.
    #[test]
    fn coinbases_match_getblock() {
        for fixture in [COINBASE_P2WPKH, COINBASE_P2PKH, COINBASE_V3] {
            let core = parse(fixture);
            let tx = tx_from_hex(core["hex"].as_str().unwrap());
            assert!(tx.is_coinbase());
            for with_prevout in [false, true] {
                let ours = tx_to_json(&tx, Network::Regtest, true, None, with_prevout);
                assert_same(&ours, &core);
            }
            // Undo data handed for a coinbase is ignored, as Core's callers never pass it.
            let fake = [SpentOutput {
                height: 1,
                coinbase: true,
                txout: TxOut {
                    value: Amount::from_sat(1),
                    script_pubkey: ScriptBuf::new(),
                },
            }];
            let ours = tx_to_json(&tx, Network::Regtest, true, Some(&fake), true);
            assert_same(&ours, &core);
        }
    }

    /// Spends from `getblock 3` (prevouts and fee) and `getblock 2` (fee only).
    #[test]
    fn spends_match_getblock_with_undo() {
        for fixture in [SPEND_COINBASE_V3, SPEND_MANY_V3] {
            let core = parse(fixture);
            let tx = tx_from_hex(core["hex"].as_str().unwrap());
            let spent = spent_from(&core);
            let ours = tx_to_json(&tx, Network::Regtest, true, Some(&spent), true);
            assert_same(&ours, &core);
        }
        // Verbosity 2: the fee, no prevouts.
        let core = parse(SPEND_MANY_V2);
        let spent = spent_from(&parse(SPEND_MANY_V3));
        let tx = tx_from_hex(core["hex"].as_str().unwrap());
        let ours = tx_to_json(&tx, Network::Regtest, true, Some(&spent), false);
        assert_same(&ours, &core);
        // Undo data of the wrong length is ignored rather than misread.
        let ours = tx_to_json(&tx, Network::Regtest, true, Some(&spent[1..]), false);
        assert!(ours.get("fee").is_none());
    }

    /// Hand-built transactions: sighash decoding, numbers, `[error]`, u32 fields, a negative value.
    #[test]
    fn hand_built_transactions_match_decoderawtransaction() {
        for (hex, fixture) in [(HANDBUILT_HEX, HANDBUILT), (LEGACY_HEX, LEGACY)] {
            let tx = tx_from_hex(hex);
            let ours = tx_to_json(&tx, Network::Regtest, false, None, false);
            assert_same(&ours, &parse(fixture));
            let with_hex = tx_to_json(&tx, Network::Regtest, true, None, false);
            assert_eq!(with_hex["hex"], hex);
        }
    }

    /// No inputs: Core serializes without the segwit marker, so `hash` is the txid.
    #[test]
    fn a_transaction_without_inputs_is_serialized_as_core_does() {
        // `decoderawtransaction 0200000000010000000000000000016a00000000`.
        const CORE: &str = r##"{
  "txid": "083efbd9adb33d814b1e04b5106b3e2a083f0c7ec4802c527194120b028233b6",
  "hash": "083efbd9adb33d814b1e04b5106b3e2a083f0c7ec4802c527194120b028233b6",
  "version": 2,
  "size": 20,
  "vsize": 20,
  "weight": 80,
  "locktime": 0,
  "vin": [
  ],
  "vout": [
    {
      "value": 0.00000000,
      "n": 0,
      "scriptPubKey": {
        "asm": "OP_RETURN",
        "desc": "raw(6a)#4mhr9ur5",
        "hex": "6a",
        "type": "nulldata"
      }
    }
  ]
}"##;
        // rust-bitcoin would read that hex as a segwit marker, so the transaction is built.
        let tx = Transaction {
            version: bitcoin::transaction::Version(2),
            lock_time: bitcoin::absolute::LockTime::ZERO,
            input: vec![],
            output: vec![TxOut {
                value: Amount::ZERO,
                script_pubkey: ScriptBuf::from_bytes(vec![OP_RETURN]),
            }],
        };
        let ours = tx_to_json(&tx, Network::Regtest, false, None, false);
        assert_same(&ours, &parse(CORE));
        let ours = tx_to_json(&tx, Network::Regtest, true, None, false);
        assert_eq!(ours["hex"], "0200000000010000000000000000016a00000000");
    }

    /// Every script kind: asm, desc, address and type as `decodescript` gives them.
    #[test]
    fn scripts_match_decodescript() {
        for (hex, fixture) in DECODESCRIPT {
            let core = parse(fixture);
            let script = ScriptBuf::from_bytes(unhex(hex));
            let full = script_pubkey_to_json(&script, Network::Regtest);
            assert_eq!(full["hex"], *hex);
            // `decodescript` asks ScriptToUniv for no hex.
            let ours: Map<String, Value> = full
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| *k != "hex")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            assert_same(&Value::Object(ours), &core);
            assert_eq!(script_type(&script), core["type"]);
            let desc = infer_descriptor(&script, Network::Regtest);
            assert_eq!(desc, core["desc"]);
            let (body, checksum) = desc.split_once('#').unwrap();
            assert_eq!(descriptor_checksum(body).as_deref(), Some(checksum));
            assert_eq!(descriptor_checksum(&desc).as_deref(), Some(checksum));
        }
    }

    /// `decodescript`'s segwit `desc`: the P2WSH output of a script the provider knows, as
    /// Core v31.0 infers it (its own miniscript test cases among them).
    #[test]
    fn p2wsh_of_a_known_script_infers_as_core() {
        const G: &str = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
        let cases: &[(String, &str)] = &[
            (
                format!("21{G}ad029000b2"),
                "wsh(and_v(v:pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),older(144)))#g8lfk20s",
            ),
            (
                "82012088a914ffffffffffffffffffffffffffffffffffffffff88210250929b74c1a04954b78b4b6035e97a5e078a5a0f28ec96d547bfee9ace803ac0ad51b2".to_owned(),
                "wsh(and_v(and_v(v:hash160(ffffffffffffffffffffffffffffffffffffffff),v:pk(0250929b74c1a04954b78b4b6035e97a5e078a5a0f28ec96d547bfee9ace803ac0)),older(1)))#gm8xz4fl",
            ),
            // Not a miniscript (OP_CSV without a number): the address.
            (
                "82012088a914ffffffffffffffffffffffffffffffffffffffff882102ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffacb2".to_owned(),
                "addr(bcrt1q73qyfypp47hvgnkjqnav0j3k2lq3v76wg22dk8tmwuz5sfgv66xsvxg6uu)#9p3q328s",
            ),
            (
                format!("21{G}ac{}", "92".repeat(3)),
                "wsh(nnn:pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798))#77v4w358",
            ),
            // 3,564 wrappers: within the size limit, over the ops limit; no deep recursion.
            (
                format!("21{G}ac{}", "92".repeat(3564)),
                "addr(bcrt1q49yd88xtgfhty8d5p7ywqemqxcsgak2dvvk826ahk5q3x7qqu6hsdr5maq)#6et04tpu",
            ),
        ];
        for (inner, want) in cases {
            let inner = ScriptBuf::from_bytes(unhex(inner));
            let p2wsh = ScriptBuf::new_p2wsh(&bitcoin::WScriptHash::hash(inner.as_bytes()));
            assert_eq!(
                infer_descriptor_knowing(&p2wsh, Network::Regtest, &inner),
                *want
            );
            // A provider that knows another script does not help.
            assert_eq!(
                infer_descriptor_knowing(&p2wsh, Network::Regtest, Script::new()),
                infer_descriptor(&p2wsh, Network::Regtest)
            );
        }
    }

    /// `IsUnspendable` also covers scripts over `MAX_SCRIPT_SIZE`.
    #[test]
    fn sighash_decoding_stops_above_the_script_size_limit() {
        // Checked against `decoderawtransaction`: a scriptSig of 10000 bytes still has its
        // signature decoded, one of 10001 bytes (unspendable) does not.
        const SIG: &str = "3045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381301";
        for (zeros, decoded) in [(9926, true), (9927, true), (9928, false)] {
            let mut bytes = vec![0x48];
            bytes.extend(unhex(SIG));
            bytes.extend(std::iter::repeat_n(0u8, zeros));
            let asm = script_to_asm(Script::from_bytes(&bytes), true);
            let sig = if decoded {
                format!("{}[ALL]", &SIG[..SIG.len() - 2])
            } else {
                SIG.to_owned()
            };
            assert_eq!(asm, format!("{sig}{}", " 0".repeat(zeros)));
        }
    }

    /// `GetDescriptorChecksum` with and without a `#checksum`.
    #[test]
    fn descriptor_checksums_follow_check_checksum() {
        assert_eq!(descriptor_checksum("raw(51)").as_deref(), Some("8lvh9jxk"));
        assert_eq!(
            descriptor_checksum("raw(51)#8lvh9jxk").as_deref(),
            Some("8lvh9jxk")
        );
        assert_eq!(descriptor_checksum("raw(51)#8lvh9jxq"), None);
        assert_eq!(descriptor_checksum("raw(51)#8lvh9jx"), None);
        assert_eq!(descriptor_checksum("raw(51)#"), None);
        assert_eq!(descriptor_checksum("raw(51)#8lvh9jxk#"), None);
        assert_eq!(descriptor_checksum("raw(é)"), None);
        assert_eq!(descriptor_checksum("raw(\n)"), None);
        assert_eq!(descriptor_checksum("").map(|c| c.len()), Some(8));
    }

    /// Malformed and random scripts render without panicking.
    #[test]
    fn no_script_makes_it_panic() {
        // Every prefix of every fixture script, and pseudo-random bytes.
        let mut scripts: Vec<Vec<u8>> = Vec::new();
        for (hex, _) in DECODESCRIPT {
            let bytes = unhex(hex);
            for end in 0..=bytes.len() {
                scripts.push(bytes[..end].to_vec());
            }
        }
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for len in 0..2000 {
            let bytes = (0..len % 90)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    (state >> 56) as u8
                })
                .collect();
            scripts.push(bytes);
        }
        for bytes in scripts {
            let script = Script::from_bytes(&bytes);
            let _ = script_to_asm(script, true);
            let json = script_pubkey_to_json(script, Network::Bitcoin);
            assert!(json["desc"].as_str().unwrap().contains('#'));
        }
    }

    /// `getblock <block 1> 2`: the coinbase of a block from `generatetoaddress 1 <P2WPKH address>`.
    const COINBASE_P2WPKH: &str = r##"{
  "txid": "0edcad68572bef862d27e685213fb9df4e64f6ced6928b5f8b7b5902c02fb6be",
  "hash": "96f409256b10408753bd4a04f5ba75b818474a970dfc67a4181e92acb1c685e1",
  "version": 2,
  "size": 167,
  "vsize": 140,
  "weight": 560,
  "locktime": 0,
  "vin": [
    {
      "coinbase": "5100",
      "txinwitness": [
        "0000000000000000000000000000000000000000000000000000000000000000"
      ],
      "sequence": 4294967294
    }
  ],
  "vout": [
    {
      "value": 50.00000000,
      "n": 0,
      "scriptPubKey": {
        "asm": "0 751e76e8199196d454941c45d1b3a323f1433bd6",
        "desc": "addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)#8pk5s7ya",
        "hex": "0014751e76e8199196d454941c45d1b3a323f1433bd6",
        "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
        "type": "witness_v0_keyhash"
      }
    },
    {
      "value": 0.00000000,
      "n": 1,
      "scriptPubKey": {
        "asm": "OP_RETURN aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9",
        "desc": "raw(6a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9)#cav96mf3",
        "hex": "6a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9",
        "type": "nulldata"
      }
    }
  ],
  "hex": "020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff025100feffffff0200f2052a01000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf90120000000000000000000000000000000000000000000000000000000000000000000000000"
}"##;

    /// `getblock <block 2> 2`: the coinbase of a block from `generatetoaddress 1 <P2PKH address>`.
    const COINBASE_P2PKH: &str = r##"{
  "txid": "e41bb4b740cd56080ab6ac932859f5a7a0d3f9c2dca70732e96bd676ac55e5ce",
  "hash": "dcc6e1039480bab12e3a80d062457c5e8f041ee13975535a2116ff9620f851d7",
  "version": 2,
  "size": 170,
  "vsize": 143,
  "weight": 572,
  "locktime": 1,
  "vin": [
    {
      "coinbase": "5200",
      "txinwitness": [
        "0000000000000000000000000000000000000000000000000000000000000000"
      ],
      "sequence": 4294967294
    }
  ],
  "vout": [
    {
      "value": 50.00000000,
      "n": 0,
      "scriptPubKey": {
        "asm": "OP_DUP OP_HASH160 751e76e8199196d454941c45d1b3a323f1433bd6 OP_EQUALVERIFY OP_CHECKSIG",
        "desc": "addr(mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r)#wdmryvnu",
        "hex": "76a914751e76e8199196d454941c45d1b3a323f1433bd688ac",
        "address": "mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r",
        "type": "pubkeyhash"
      }
    },
    {
      "value": 0.00000000,
      "n": 1,
      "scriptPubKey": {
        "asm": "OP_RETURN aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9",
        "desc": "raw(6a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9)#cav96mf3",
        "hex": "6a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9",
        "type": "nulldata"
      }
    }
  ],
  "hex": "020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff025200feffffff0200f2052a010000001976a914751e76e8199196d454941c45d1b3a323f1433bd688ac0000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf90120000000000000000000000000000000000000000000000000000000000000000001000000"
}"##;

    /// `getblock <block 104> 3`: its coinbase (no undo data, so no `prevout` and no `fee`).
    const COINBASE_V3: &str = r##"{
  "txid": "6778ee47c0f778ed801bcb465bcbd50d54eb86fdd98a4c354eea153ce8672a46",
  "hash": "e3c2f10b6e7ee81128c6844460055749d7203d728998219903061224605ce346",
  "version": 2,
  "size": 180,
  "vsize": 153,
  "weight": 612,
  "locktime": 103,
  "vin": [
    {
      "coinbase": "016800",
      "txinwitness": [
        "0000000000000000000000000000000000000000000000000000000000000000"
      ],
      "sequence": 4294967294
    }
  ],
  "vout": [
    {
      "value": 50.00000000,
      "n": 0,
      "scriptPubKey": {
        "asm": "0 4ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
        "desc": "addr(bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85)#vch92e55",
        "hex": "00204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
        "address": "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85",
        "type": "witness_v0_scripthash"
      }
    },
    {
      "value": 0.00000000,
      "n": 1,
      "scriptPubKey": {
        "asm": "OP_RETURN aa21a9edcc6ae328194a740e3ed9ba8aa48db5a75efc8b6c995ad31a57cce6451f132b86",
        "desc": "raw(6a24aa21a9edcc6ae328194a740e3ed9ba8aa48db5a75efc8b6c995ad31a57cce6451f132b86)#qyyhhmfj",
        "hex": "6a24aa21a9edcc6ae328194a740e3ed9ba8aa48db5a75efc8b6c995ad31a57cce6451f132b86",
        "type": "nulldata"
      }
    }
  ],
  "hex": "020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff03016800feffffff0200f2052a010000002200204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc332600000000000000000266a24aa21a9edcc6ae328194a740e3ed9ba8aa48db5a75efc8b6c995ad31a57cce6451f132b860120000000000000000000000000000000000000000000000000000000000000000067000000"
}"##;

    /// `getblock <block 104> 3`: a transaction spending a P2WSH(OP_TRUE) coinbase output into one output of every type.
    const SPEND_COINBASE_V3: &str = r##"{
  "txid": "35e8dc37b1872329f51e535424de70f2a8f34d4504d9b023d8ad9732aa9f57d9",
  "hash": "e29c791ba746efd9d3666b95556542982f8dca66621095d98cecad9ca6283724",
  "version": 2,
  "size": 1004,
  "vsize": 1001,
  "weight": 4001,
  "locktime": 0,
  "vin": [
    {
      "txid": "150a35e20d993d901c05bcf9b572cc0b1e7a03f763ff1616d8ff58a63a0a8d74",
      "vout": 0,
      "scriptSig": {
        "asm": "",
        "hex": ""
      },
      "txinwitness": [
        "51"
      ],
      "prevout": {
        "generated": true,
        "height": 3,
        "value": 50.00000000,
        "scriptPubKey": {
          "asm": "0 4ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
          "desc": "addr(bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85)#vch92e55",
          "hex": "00204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
          "address": "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85",
          "type": "witness_v0_scripthash"
        }
      },
      "sequence": 4294967293
    }
  ],
  "vout": [
    {
      "value": 0.00001000,
      "n": 0,
      "scriptPubKey": {
        "asm": "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 OP_CHECKSIG",
        "desc": "pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#gn28ywm7",
        "hex": "210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ac",
        "type": "pubkey"
      }
    },
    {
      "value": 0.00001001,
      "n": 1,
      "scriptPubKey": {
        "asm": "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8 OP_CHECKSIG",
        "desc": "pk(0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8)#fsjyjr2x",
        "hex": "410479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8ac",
        "type": "pubkey"
      }
    },
    {
      "value": 0.00001002,
      "n": 2,
      "scriptPubKey": {
        "asm": "OP_DUP OP_HASH160 751e76e8199196d454941c45d1b3a323f1433bd6 OP_EQUALVERIFY OP_CHECKSIG",
        "desc": "addr(mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r)#wdmryvnu",
        "hex": "76a914751e76e8199196d454941c45d1b3a323f1433bd688ac",
        "address": "mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r",
        "type": "pubkeyhash"
      }
    },
    {
      "value": 0.00001003,
      "n": 3,
      "scriptPubKey": {
        "asm": "OP_HASH160 da1745e9b549bd0bfa1a569971c77eba30cd5a4b OP_EQUAL",
        "desc": "addr(2ND8PB9RrfCaAcjfjP1Y6nAgFd9zWHYX4DN)#pn0u88a8",
        "hex": "a914da1745e9b549bd0bfa1a569971c77eba30cd5a4b87",
        "address": "2ND8PB9RrfCaAcjfjP1Y6nAgFd9zWHYX4DN",
        "type": "scripthash"
      }
    },
    {
      "value": 0.00001004,
      "n": 4,
      "scriptPubKey": {
        "asm": "1 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5 2 OP_CHECKMULTISIG",
        "desc": "multi(1,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)#l5sy3u48",
        "hex": "51210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae",
        "type": "multisig"
      }
    },
    {
      "value": 0.00001005,
      "n": 5,
      "scriptPubKey": {
        "asm": "0 751e76e8199196d454941c45d1b3a323f1433bd6",
        "desc": "addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)#8pk5s7ya",
        "hex": "0014751e76e8199196d454941c45d1b3a323f1433bd6",
        "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
        "type": "witness_v0_keyhash"
      }
    },
    {
      "value": 0.00001006,
      "n": 6,
      "scriptPubKey": {
        "asm": "0 4ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
        "desc": "addr(bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85)#vch92e55",
        "hex": "00204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
        "address": "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85",
        "type": "witness_v0_scripthash"
      }
    },
    {
      "value": 0.00001007,
      "n": 7,
      "scriptPubKey": {
        "asm": "1 79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        "desc": "rawtr(79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#xsjqcczm",
        "hex": "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        "address": "bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqc8gma6",
        "type": "witness_v1_taproot"
      }
    },
    {
      "value": 0.00001008,
      "n": 8,
      "scriptPubKey": {
        "asm": "1 ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "desc": "addr(bcrt1plllllllllllllllllllllllllllllllllllllllllllllllllllse0lp4e)#f6jd6wfe",
        "hex": "5120ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "address": "bcrt1plllllllllllllllllllllllllllllllllllllllllllllllllllse0lp4e",
        "type": "witness_v1_taproot"
      }
    },
    {
      "value": 0.00001009,
      "n": 9,
      "scriptPubKey": {
        "asm": "1 29518",
        "desc": "addr(bcrt1pfeesnyr2tx)#swxgse0y",
        "hex": "51024e73",
        "address": "bcrt1pfeesnyr2tx",
        "type": "anchor"
      }
    },
    {
      "value": 0.00000000,
      "n": 10,
      "scriptPubKey": {
        "asm": "OP_RETURN 68656c6c6f20776f726c64",
        "desc": "raw(6a0b68656c6c6f20776f726c64)#hcyqe6dc",
        "hex": "6a0b68656c6c6f20776f726c64",
        "type": "nulldata"
      }
    },
    {
      "value": 0.00001011,
      "n": 11,
      "scriptPubKey": {
        "asm": "2 000102030405060708090a0b0c0d0e0f",
        "desc": "addr(bcrt1zqqqsyqcyq5rqwzqfpg9scrgwpuwq0jdm)#tqvhuls2",
        "hex": "5210000102030405060708090a0b0c0d0e0f",
        "address": "bcrt1zqqqsyqcyq5rqwzqfpg9scrgwpuwq0jdm",
        "type": "witness_unknown"
      }
    },
    {
      "value": 0.00001012,
      "n": 12,
      "scriptPubKey": {
        "asm": "1",
        "desc": "raw(51)#8lvh9jxk",
        "hex": "51",
        "type": "nonstandard"
      }
    },
    {
      "value": 0.00001013,
      "n": 13,
      "scriptPubKey": {
        "asm": "0679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8 OP_CHECKSIG",
        "desc": "raw(410679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8ac)#qhj9gd8d",
        "hex": "410679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8ac",
        "type": "pubkey"
      }
    },
    {
      "value": 0.00001014,
      "n": 14,
      "scriptPubKey": {
        "asm": "02ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff OP_CHECKSIG",
        "desc": "pk(02ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff)#ragaskvl",
        "hex": "2102ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffac",
        "type": "pubkey"
      }
    },
    {
      "value": 0.00001015,
      "n": 15,
      "scriptPubKey": {
        "asm": "1 0679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8 1 OP_CHECKMULTISIG",
        "desc": "raw(51410679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b851ae)#q4j8lzl0",
        "hex": "51410679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b851ae",
        "type": "multisig"
      }
    },
    {
      "value": 0.00001016,
      "n": 16,
      "scriptPubKey": {
        "asm": "0 000000000000000000000000000000000000000000",
        "desc": "raw(0015000000000000000000000000000000000000000000)#8r4uja8p",
        "hex": "0015000000000000000000000000000000000000000000",
        "type": "nonstandard"
      }
    },
    {
      "value": 0.00001017,
      "n": 17,
      "scriptPubKey": {
        "asm": "1 0000000000000000000000000000000000000000",
        "desc": "addr(bcrt1pqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqn5md8r)#q3erynsm",
        "hex": "51140000000000000000000000000000000000000000",
        "address": "bcrt1pqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqn5md8r",
        "type": "witness_unknown"
      }
    },
    {
      "value": 0.00001018,
      "n": 18,
      "scriptPubKey": {
        "asm": "2 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8 02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5 3 OP_CHECKMULTISIG",
        "desc": "multi(2,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)#ves2ulyt",
        "hex": "52210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798410479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b82102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee553ae",
        "type": "multisig"
      }
    },
    {
      "value": 49.99881839,
      "n": 19,
      "scriptPubKey": {
        "asm": "0 4ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
        "desc": "addr(bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85)#vch92e55",
        "hex": "00204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
        "address": "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85",
        "type": "witness_v0_scripthash"
      }
    }
  ],
  "fee": 0.00100000,
  "hex": "02000000000101748d0a3aa658ffd81616ff63f7037a1e0bcc72b5f9bc051c903d990de2350a150000000000fdffffff14e80300000000000023210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ace90300000000000043410479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8acea030000000000001976a914751e76e8199196d454941c45d1b3a323f1433bd688aceb0300000000000017a914da1745e9b549bd0bfa1a569971c77eba30cd5a4b87ec030000000000004751210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552aeed03000000000000160014751e76e8199196d454941c45d1b3a323f1433bd6ee030000000000002200204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260ef0300000000000022512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798f003000000000000225120fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff1030000000000000451024e7300000000000000000d6a0b68656c6c6f20776f726c64f303000000000000125210000102030405060708090a0b0c0d0e0ff4030000000000000151f50300000000000043410679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8acf603000000000000232102ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffacf7030000000000004551410679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b851aef803000000000000170015000000000000000000000000000000000000000000f9030000000000001651140000000000000000000000000000000000000000fa030000000000008952210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798410479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b82102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee553ae6f24042a010000002200204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc3326001015100000000"
}"##;

    /// `getblock <block 105> 3`: a transaction spending P2SH, P2A, bare OP_TRUE, witness v2 and P2WSH outputs and a coinbase.
    const SPEND_MANY_V3: &str = r##"{
  "txid": "44340246a31a19471eeb611a4bcbd9d78c4db551cc0107a12dd32269ee1cc74d",
  "hash": "28f413fe5591e9b14b8a70c70a471c0bd6e89af5585549182760d3a14a5dc79b",
  "version": 1,
  "size": 316,
  "vsize": 305,
  "weight": 1219,
  "locktime": 100,
  "vin": [
    {
      "txid": "35e8dc37b1872329f51e535424de70f2a8f34d4504d9b023d8ad9732aa9f57d9",
      "vout": 3,
      "scriptSig": {
        "asm": "81",
        "hex": "0151"
      },
      "prevout": {
        "generated": false,
        "height": 104,
        "value": 0.00001003,
        "scriptPubKey": {
          "asm": "OP_HASH160 da1745e9b549bd0bfa1a569971c77eba30cd5a4b OP_EQUAL",
          "desc": "addr(2ND8PB9RrfCaAcjfjP1Y6nAgFd9zWHYX4DN)#pn0u88a8",
          "hex": "a914da1745e9b549bd0bfa1a569971c77eba30cd5a4b87",
          "address": "2ND8PB9RrfCaAcjfjP1Y6nAgFd9zWHYX4DN",
          "type": "scripthash"
        }
      },
      "sequence": 4294967295
    },
    {
      "txid": "35e8dc37b1872329f51e535424de70f2a8f34d4504d9b023d8ad9732aa9f57d9",
      "vout": 9,
      "scriptSig": {
        "asm": "",
        "hex": ""
      },
      "prevout": {
        "generated": false,
        "height": 104,
        "value": 0.00001009,
        "scriptPubKey": {
          "asm": "1 29518",
          "desc": "addr(bcrt1pfeesnyr2tx)#swxgse0y",
          "hex": "51024e73",
          "address": "bcrt1pfeesnyr2tx",
          "type": "anchor"
        }
      },
      "sequence": 4294967294
    },
    {
      "txid": "35e8dc37b1872329f51e535424de70f2a8f34d4504d9b023d8ad9732aa9f57d9",
      "vout": 12,
      "scriptSig": {
        "asm": "",
        "hex": ""
      },
      "prevout": {
        "generated": false,
        "height": 104,
        "value": 0.00001012,
        "scriptPubKey": {
          "asm": "1",
          "desc": "raw(51)#8lvh9jxk",
          "hex": "51",
          "type": "nonstandard"
        }
      },
      "sequence": 2147483653
    },
    {
      "txid": "35e8dc37b1872329f51e535424de70f2a8f34d4504d9b023d8ad9732aa9f57d9",
      "vout": 11,
      "scriptSig": {
        "asm": "",
        "hex": ""
      },
      "txinwitness": [
        "00",
        ""
      ],
      "prevout": {
        "generated": false,
        "height": 104,
        "value": 0.00001011,
        "scriptPubKey": {
          "asm": "2 000102030405060708090a0b0c0d0e0f",
          "desc": "addr(bcrt1zqqqsyqcyq5rqwzqfpg9scrgwpuwq0jdm)#tqvhuls2",
          "hex": "5210000102030405060708090a0b0c0d0e0f",
          "address": "bcrt1zqqqsyqcyq5rqwzqfpg9scrgwpuwq0jdm",
          "type": "witness_unknown"
        }
      },
      "sequence": 4294967295
    },
    {
      "txid": "35e8dc37b1872329f51e535424de70f2a8f34d4504d9b023d8ad9732aa9f57d9",
      "vout": 19,
      "scriptSig": {
        "asm": "",
        "hex": ""
      },
      "txinwitness": [
        "51"
      ],
      "prevout": {
        "generated": false,
        "height": 104,
        "value": 49.99881839,
        "scriptPubKey": {
          "asm": "0 4ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
          "desc": "addr(bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85)#vch92e55",
          "hex": "00204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
          "address": "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85",
          "type": "witness_v0_scripthash"
        }
      },
      "sequence": 4294967295
    },
    {
      "txid": "334411870a14c97b2160d566c7125109d835e16a4464103bea4daea69f836719",
      "vout": 0,
      "scriptSig": {
        "asm": "",
        "hex": ""
      },
      "txinwitness": [
        "51"
      ],
      "prevout": {
        "generated": true,
        "height": 4,
        "value": 50.00000000,
        "scriptPubKey": {
          "asm": "0 4ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
          "desc": "addr(bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85)#vch92e55",
          "hex": "00204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
          "address": "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85",
          "type": "witness_v0_scripthash"
        }
      },
      "sequence": 4294967295
    }
  ],
  "vout": [
    {
      "value": 99.99873529,
      "n": 0,
      "scriptPubKey": {
        "asm": "0 4ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
        "desc": "addr(bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85)#vch92e55",
        "hex": "00204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
        "address": "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85",
        "type": "witness_v0_scripthash"
      }
    }
  ],
  "fee": 0.00012345,
  "hex": "01000000000106d9579faa3297add823b0d904454df3a8f270de2454531ef5292387b137dce83503000000020151ffffffffd9579faa3297add823b0d904454df3a8f270de2454531ef5292387b137dce8350900000000feffffffd9579faa3297add823b0d904454df3a8f270de2454531ef5292387b137dce8350c0000000005000080d9579faa3297add823b0d904454df3a8f270de2454531ef5292387b137dce8350b00000000ffffffffd9579faa3297add823b0d904454df3a8f270de2454531ef5292387b137dce8351300000000ffffffff1967839fa6ae4dea3b1064446ae135d8095112c766d560217bc9140a871144330000000000ffffffff01f9f50954020000002200204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc332600000000201000001015101015164000000"
}"##;

    /// `getblock <block 105> 2`: the same transaction at verbosity 2 (a fee, no prevouts).
    const SPEND_MANY_V2: &str = r##"{
  "txid": "44340246a31a19471eeb611a4bcbd9d78c4db551cc0107a12dd32269ee1cc74d",
  "hash": "28f413fe5591e9b14b8a70c70a471c0bd6e89af5585549182760d3a14a5dc79b",
  "version": 1,
  "size": 316,
  "vsize": 305,
  "weight": 1219,
  "locktime": 100,
  "vin": [
    {
      "txid": "35e8dc37b1872329f51e535424de70f2a8f34d4504d9b023d8ad9732aa9f57d9",
      "vout": 3,
      "scriptSig": {
        "asm": "81",
        "hex": "0151"
      },
      "sequence": 4294967295
    },
    {
      "txid": "35e8dc37b1872329f51e535424de70f2a8f34d4504d9b023d8ad9732aa9f57d9",
      "vout": 9,
      "scriptSig": {
        "asm": "",
        "hex": ""
      },
      "sequence": 4294967294
    },
    {
      "txid": "35e8dc37b1872329f51e535424de70f2a8f34d4504d9b023d8ad9732aa9f57d9",
      "vout": 12,
      "scriptSig": {
        "asm": "",
        "hex": ""
      },
      "sequence": 2147483653
    },
    {
      "txid": "35e8dc37b1872329f51e535424de70f2a8f34d4504d9b023d8ad9732aa9f57d9",
      "vout": 11,
      "scriptSig": {
        "asm": "",
        "hex": ""
      },
      "txinwitness": [
        "00",
        ""
      ],
      "sequence": 4294967295
    },
    {
      "txid": "35e8dc37b1872329f51e535424de70f2a8f34d4504d9b023d8ad9732aa9f57d9",
      "vout": 19,
      "scriptSig": {
        "asm": "",
        "hex": ""
      },
      "txinwitness": [
        "51"
      ],
      "sequence": 4294967295
    },
    {
      "txid": "334411870a14c97b2160d566c7125109d835e16a4464103bea4daea69f836719",
      "vout": 0,
      "scriptSig": {
        "asm": "",
        "hex": ""
      },
      "txinwitness": [
        "51"
      ],
      "sequence": 4294967295
    }
  ],
  "vout": [
    {
      "value": 99.99873529,
      "n": 0,
      "scriptPubKey": {
        "asm": "0 4ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
        "desc": "addr(bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85)#vch92e55",
        "hex": "00204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
        "address": "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85",
        "type": "witness_v0_scripthash"
      }
    }
  ],
  "fee": 0.00012345,
  "hex": "01000000000106d9579faa3297add823b0d904454df3a8f270de2454531ef5292387b137dce83503000000020151ffffffffd9579faa3297add823b0d904454df3a8f270de2454531ef5292387b137dce8350900000000feffffffd9579faa3297add823b0d904454df3a8f270de2454531ef5292387b137dce8350c0000000005000080d9579faa3297add823b0d904454df3a8f270de2454531ef5292387b137dce8350b00000000ffffffffd9579faa3297add823b0d904454df3a8f270de2454531ef5292387b137dce8351300000000ffffffff1967839fa6ae4dea3b1064446ae135d8095112c766d560217bc9140a871144330000000000ffffffff01f9f50954020000002200204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc332600000000201000001015101015164000000"
}"##;

    /// A hand-built transaction (version 0xffffffff, five inputs: signatures with every sighash type, numbers, an OP_RETURN scriptSig, a malformed scriptSig).
    const HANDBUILT_HEX: &str = r##"ffffffff0001051111111111111111111111111111111111111111111111111111111111111111000000006b483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381301210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ffffffff222222222222222222222222222222222222222222222222222222222222222207000000a7483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381383483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381305004f0501020304054c010504ffffffff0180020000feffffff3333333333333333333333333333333333333333333333333333333333333333010000004a6a483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381301000000004444444444444444444444444444444444444444444444444444444444444444ffffffff014c01000000555555555555555555555555555555555555555555555555555555555555555502000000fd7601483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381381483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381302483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e3813c3483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381382483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e38130008300602010102010105000000024e61bc0000000000160014751e76e8199196d454941c45d1b3a323f1433bd60040075af07507001976a914751e76e8199196d454941c45d1b3a323f1433bd688ac02483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381301210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179800020001510000ffffffff"##;

    /// `decoderawtransaction HANDBUILT_HEX`.
    const HANDBUILT: &str = r##"{
  "txid": "e4d975c478b01887e1237ca1ba38aefabf7ab935852480d44761d31d0751af5a",
  "hash": "b1a56984ce9940c6d45b634c6eea901a81df21655b8d553788b7e38e5832b2e3",
  "version": 4294967295,
  "size": 1122,
  "vsize": 1035,
  "weight": 4137,
  "locktime": 4294967295,
  "vin": [
    {
      "txid": "1111111111111111111111111111111111111111111111111111111111111111",
      "vout": 0,
      "scriptSig": {
        "asm": "3045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e3813[ALL] 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        "hex": "483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381301210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
      },
      "txinwitness": [
        "3045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381301",
        "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
      ],
      "sequence": 4294967295
    },
    {
      "txid": "2222222222222222222222222222222222222222222222222222222222222222",
      "vout": 7,
      "scriptSig": {
        "asm": "3045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e3813[SINGLE|ANYONECANPAY] 3045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381305 0 -1 0102030405 5 -2147483647 0 0",
        "hex": "483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381383483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381305004f0501020304054c010504ffffffff0180020000"
      },
      "sequence": 4294967294
    },
    {
      "txid": "3333333333333333333333333333333333333333333333333333333333333333",
      "vout": 1,
      "scriptSig": {
        "asm": "OP_RETURN 3045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381301",
        "hex": "6a483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381301"
      },
      "txinwitness": [
        "",
        "51"
      ],
      "sequence": 0
    },
    {
      "txid": "4444444444444444444444444444444444444444444444444444444444444444",
      "vout": 4294967295,
      "scriptSig": {
        "asm": "[error]",
        "hex": "4c"
      },
      "sequence": 1
    },
    {
      "txid": "5555555555555555555555555555555555555555555555555555555555555555",
      "vout": 2,
      "scriptSig": {
        "asm": "3045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e3813[ALL|ANYONECANPAY] 3045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e3813[NONE] 3045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e3813c3 3045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e3813[NONE|ANYONECANPAY] 3045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381300 3006020101020101",
        "hex": "483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381381483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381302483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e3813c3483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381382483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381300083006020101020101"
      },
      "sequence": 5
    }
  ],
  "vout": [
    {
      "value": 0.12345678,
      "n": 0,
      "scriptPubKey": {
        "asm": "0 751e76e8199196d454941c45d1b3a323f1433bd6",
        "desc": "addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)#8pk5s7ya",
        "hex": "0014751e76e8199196d454941c45d1b3a323f1433bd6",
        "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
        "type": "witness_v0_keyhash"
      }
    },
    {
      "value": 21000000.00000000,
      "n": 1,
      "scriptPubKey": {
        "asm": "OP_DUP OP_HASH160 751e76e8199196d454941c45d1b3a323f1433bd6 OP_EQUALVERIFY OP_CHECKSIG",
        "desc": "addr(mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r)#wdmryvnu",
        "hex": "76a914751e76e8199196d454941c45d1b3a323f1433bd688ac",
        "address": "mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r",
        "type": "pubkeyhash"
      }
    }
  ]
}"##;

    /// A hand-built transaction without witness data (an uncompressed key in the scriptSig, a negative output value).
    const LEGACY_HEX: &str = r##"01000000016666666666666666666666666666666666666666666666666666666666666666030000008b483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381301410479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8ffffffff0300000000000000000d6a0b68656c6c6f20776f726c64010000000000000023210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798acffffffffffffffff01510065cd1d"##;

    /// `decoderawtransaction LEGACY_HEX`.
    const LEGACY: &str = r##"{
  "txid": "bc7e3d0a3bf37eebe0b86eaa237e4ec6a143c317ab78427426a3df95e4e36322",
  "hash": "bc7e3d0a3bf37eebe0b86eaa237e4ec6a143c317ab78427426a3df95e4e36322",
  "version": 1,
  "size": 266,
  "vsize": 266,
  "weight": 1064,
  "locktime": 500000000,
  "vin": [
    {
      "txid": "6666666666666666666666666666666666666666666666666666666666666666",
      "vout": 3,
      "scriptSig": {
        "asm": "3045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e3813[ALL] 0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
        "hex": "483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381301410479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"
      },
      "sequence": 4294967295
    }
  ],
  "vout": [
    {
      "value": 0.00000000,
      "n": 0,
      "scriptPubKey": {
        "asm": "OP_RETURN 68656c6c6f20776f726c64",
        "desc": "raw(6a0b68656c6c6f20776f726c64)#hcyqe6dc",
        "hex": "6a0b68656c6c6f20776f726c64",
        "type": "nulldata"
      }
    },
    {
      "value": 0.00000001,
      "n": 1,
      "scriptPubKey": {
        "asm": "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 OP_CHECKSIG",
        "desc": "pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#gn28ywm7",
        "hex": "210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ac",
        "type": "pubkey"
      }
    },
    {
      "value": -0.00000001,
      "n": 2,
      "scriptPubKey": {
        "asm": "1",
        "desc": "raw(51)#8lvh9jxk",
        "hex": "51",
        "type": "nonstandard"
      }
    }
  ]
}"##;

    /// `decodescript <hex>`: (hex, Core's answer without `p2sh` and `segwit`, which `decodescript` adds after `ScriptToUniv`).
    const DECODESCRIPT: &[(&str, &str)] = &[
        (
            "210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ac",
            r##"{"asm":"0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 OP_CHECKSIG","desc":"pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#gn28ywm7","type":"pubkey"}"##,
        ),
        (
            "410479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8ac",
            r##"{"asm":"0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8 OP_CHECKSIG","desc":"pk(0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8)#fsjyjr2x","type":"pubkey"}"##,
        ),
        (
            "76a914751e76e8199196d454941c45d1b3a323f1433bd688ac",
            r##"{"asm":"OP_DUP OP_HASH160 751e76e8199196d454941c45d1b3a323f1433bd6 OP_EQUALVERIFY OP_CHECKSIG","desc":"addr(mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r)#wdmryvnu","address":"mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r","type":"pubkeyhash"}"##,
        ),
        (
            "a914da1745e9b549bd0bfa1a569971c77eba30cd5a4b87",
            r##"{"asm":"OP_HASH160 da1745e9b549bd0bfa1a569971c77eba30cd5a4b OP_EQUAL","desc":"addr(2ND8PB9RrfCaAcjfjP1Y6nAgFd9zWHYX4DN)#pn0u88a8","address":"2ND8PB9RrfCaAcjfjP1Y6nAgFd9zWHYX4DN","type":"scripthash"}"##,
        ),
        (
            "51210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae",
            r##"{"asm":"1 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5 2 OP_CHECKMULTISIG","desc":"multi(1,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)#l5sy3u48","type":"multisig"}"##,
        ),
        (
            "0014751e76e8199196d454941c45d1b3a323f1433bd6",
            r##"{"asm":"0 751e76e8199196d454941c45d1b3a323f1433bd6","desc":"addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)#8pk5s7ya","address":"bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080","type":"witness_v0_keyhash"}"##,
        ),
        (
            "00204ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260",
            r##"{"asm":"0 4ae81572f06e1b88fd5ced7a1a000945432e83e1551e6f721ee9c00b8cc33260","desc":"addr(bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85)#vch92e55","address":"bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85","type":"witness_v0_scripthash"}"##,
        ),
        (
            "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
            r##"{"asm":"1 79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798","desc":"rawtr(79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#xsjqcczm","address":"bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqc8gma6","type":"witness_v1_taproot"}"##,
        ),
        (
            "51024e73",
            r##"{"asm":"1 29518","desc":"addr(bcrt1pfeesnyr2tx)#swxgse0y","address":"bcrt1pfeesnyr2tx","type":"anchor"}"##,
        ),
        (
            "6a0b68656c6c6f20776f726c64",
            r##"{"asm":"OP_RETURN 68656c6c6f20776f726c64","desc":"raw(6a0b68656c6c6f20776f726c64)#hcyqe6dc","type":"nulldata"}"##,
        ),
        (
            "6a",
            r##"{"asm":"OP_RETURN","desc":"raw(6a)#4mhr9ur5","type":"nulldata"}"##,
        ),
        (
            "6a61",
            r##"{"asm":"OP_RETURN OP_NOP","desc":"raw(6a61)#mjny92zq","type":"nonstandard"}"##,
        ),
        (
            "6a4c",
            r##"{"asm":"OP_RETURN [error]","desc":"raw(6a4c)#r63c5g2z","type":"nonstandard"}"##,
        ),
        (
            "5210000102030405060708090a0b0c0d0e0f",
            r##"{"asm":"2 000102030405060708090a0b0c0d0e0f","desc":"addr(bcrt1zqqqsyqcyq5rqwzqfpg9scrgwpuwq0jdm)#tqvhuls2","address":"bcrt1zqqqsyqcyq5rqwzqfpg9scrgwpuwq0jdm","type":"witness_unknown"}"##,
        ),
        (
            "51",
            r##"{"asm":"1","desc":"raw(51)#8lvh9jxk","type":"nonstandard"}"##,
        ),
        (
            "00",
            r##"{"asm":"0","desc":"raw(00)#qwfjgwf6","type":"nonstandard"}"##,
        ),
        (
            "4f",
            r##"{"asm":"-1","desc":"raw(4f)#fy9m9090","type":"nonstandard"}"##,
        ),
        (
            "0101",
            r##"{"asm":"1","desc":"raw(0101)#3r46rfj9","type":"nonstandard"}"##,
        ),
        (
            "0102",
            r##"{"asm":"2","desc":"raw(0102)#mhdwfpzx","type":"nonstandard"}"##,
        ),
        (
            "0181",
            r##"{"asm":"-1","desc":"raw(0181)#7tysp3jt","type":"nonstandard"}"##,
        ),
        (
            "0180",
            r##"{"asm":"0","desc":"raw(0180)#c8vu8w92","type":"nonstandard"}"##,
        ),
        (
            "0100",
            r##"{"asm":"0","desc":"raw(0100)#h0ak9k9y","type":"nonstandard"}"##,
        ),
        (
            "020001",
            r##"{"asm":"256","desc":"raw(020001)#lyh88rmh","type":"nonstandard"}"##,
        ),
        (
            "0400000080",
            r##"{"asm":"0","desc":"raw(0400000080)#kr7ndz8u","type":"nonstandard"}"##,
        ),
        (
            "04ffffff7f",
            r##"{"asm":"2147483647","desc":"raw(04ffffff7f)#lhyaf53f","type":"nonstandard"}"##,
        ),
        (
            "05ffffffff7f",
            r##"{"asm":"ffffffff7f","desc":"raw(05ffffffff7f)#ezr3wm7h","type":"nonstandard"}"##,
        ),
        (
            "0501020304050607",
            r##"{"asm":"0102030405 [error]","desc":"raw(0501020304050607)#mdg2xa57","type":"nonstandard"}"##,
        ),
        (
            "4c0105",
            r##"{"asm":"5","desc":"raw(4c0105)#k3ysppq8","type":"nonstandard"}"##,
        ),
        (
            "4d0100ff",
            r##"{"asm":"-127","desc":"raw(4d0100ff)#672z7spn","type":"nonstandard"}"##,
        ),
        (
            "4e01000000ff",
            r##"{"asm":"-127","desc":"raw(4e01000000ff)#g7ans3d8","type":"nonstandard"}"##,
        ),
        (
            "4c00",
            r##"{"asm":"0","desc":"raw(4c00)#za8h4qcj","type":"nonstandard"}"##,
        ),
        (
            "4c",
            r##"{"asm":"[error]","desc":"raw(4c)#w8vxm298","type":"nonstandard"}"##,
        ),
        (
            "4d01",
            r##"{"asm":"[error]","desc":"raw(4d01)#4926w2lt","type":"nonstandard"}"##,
        ),
        (
            "050102",
            r##"{"asm":"[error]","desc":"raw(050102)#0k47m4t3","type":"nonstandard"}"##,
        ),
        (
            "4effffffff",
            r##"{"asm":"[error]","desc":"raw(4effffffff)#t8qa4n35","type":"nonstandard"}"##,
        ),
        (
            "50",
            r##"{"asm":"OP_RESERVED","desc":"raw(50)#a7tu03xf","type":"nonstandard"}"##,
        ),
        (
            "61",
            r##"{"asm":"OP_NOP","desc":"raw(61)#vg42lqrq","type":"nonstandard"}"##,
        ),
        (
            "62",
            r##"{"asm":"OP_VER","desc":"raw(62)#ttuhp9rg","type":"nonstandard"}"##,
        ),
        (
            "b0",
            r##"{"asm":"OP_NOP1","desc":"raw(b0)#8k2mc245","type":"nonstandard"}"##,
        ),
        (
            "b1",
            r##"{"asm":"OP_CHECKLOCKTIMEVERIFY","desc":"raw(b1)#ahdsjf4t","type":"nonstandard"}"##,
        ),
        (
            "b2",
            r##"{"asm":"OP_CHECKSEQUENCEVERIFY","desc":"raw(b2)#65ydvv4r","type":"nonstandard"}"##,
        ),
        (
            "b3",
            r##"{"asm":"OP_NOP4","desc":"raw(b3)#q4rxx04u","type":"nonstandard"}"##,
        ),
        (
            "b9",
            r##"{"asm":"OP_NOP10","desc":"raw(b9)#jlu6s349","type":"nonstandard"}"##,
        ),
        (
            "ba",
            r##"{"asm":"OP_CHECKSIGADD","desc":"raw(ba)#yy0eg44l","type":"nonstandard"}"##,
        ),
        (
            "bb",
            r##"{"asm":"OP_UNKNOWN","desc":"raw(bb)#79gjzk4q","type":"nonstandard"}"##,
        ),
        (
            "fe",
            r##"{"asm":"OP_UNKNOWN","desc":"raw(fe)#5apelge7","type":"nonstandard"}"##,
        ),
        (
            "ff",
            r##"{"asm":"OP_INVALIDOPCODE","desc":"raw(ff)#wuxj4tep","type":"nonstandard"}"##,
        ),
        (
            "0051",
            r##"{"asm":"0 1","desc":"raw(0051)#fjt44nz9","type":"nonstandard"}"##,
        ),
        (
            "0101210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179851ae",
            r##"{"asm":"1 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 1 OP_CHECKMULTISIG","desc":"raw(0101210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179851ae)#w3gwnjfh","type":"nonstandard"}"##,
        ),
        (
            "51210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179851ae",
            r##"{"asm":"1 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 1 OP_CHECKMULTISIG","desc":"multi(1,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#gs8559k9","type":"multisig"}"##,
        ),
        (
            "51210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179851210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ae",
            r##"{"asm":"1 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 1 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 OP_CHECKMULTISIG","desc":"raw(51210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179851210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ae)#54fsxcal","type":"nonstandard"}"##,
        ),
        (
            "53210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179852ae",
            r##"{"asm":"3 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 2 OP_CHECKMULTISIG","desc":"raw(53210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179852ae)#l5j6x6lr","type":"nonstandard"}"##,
        ),
        (
            "52210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552aeac",
            r##"{"asm":"2 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5 2 OP_CHECKMULTISIG OP_CHECKSIG","desc":"raw(52210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552aeac)#86m6g500","type":"nonstandard"}"##,
        ),
        (
            "51210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817980111ae",
            r##"{"asm":"1 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 17 OP_CHECKMULTISIG","desc":"multi(1,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#58a7llg3","type":"multisig"}"##,
        ),
        (
            "51210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817980111ae",
            r##"{"asm":"1 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 17 OP_CHECKMULTISIG","desc":"raw(51210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817980111ae)#pp9h85dt","type":"nonstandard"}"##,
        ),
        (
            "00210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ac",
            r##"{"asm":"0 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 OP_CHECKSIG","desc":"raw(00210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ac)#jk37hsj7","type":"nonstandard"}"##,
        ),
        (
            "210479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ac",
            r##"{"asm":"0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 OP_CHECKSIG","desc":"raw(210479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ac)#2ptkm97s","type":"nonstandard"}"##,
        ),
        (
            "210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798acac",
            r##"{"asm":"0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 OP_CHECKSIG OP_CHECKSIG","desc":"raw(210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798acac)#xlyehyt6","type":"nonstandard"}"##,
        ),
        (
            "410679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8ac",
            r##"{"asm":"0679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8 OP_CHECKSIG","desc":"raw(410679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8ac)#qhj9gd8d","type":"pubkey"}"##,
        ),
        (
            "410779be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8ac",
            r##"{"asm":"0779be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8 OP_CHECKSIG","desc":"raw(410779be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8ac)#z2cdvzds","type":"pubkey"}"##,
        ),
        (
            "51410479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b851ae",
            r##"{"asm":"1 0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8 1 OP_CHECKMULTISIG","desc":"multi(1,0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8)#5cnaws52","type":"multisig"}"##,
        ),
        (
            "51210479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179851ae",
            r##"{"asm":"1 0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 1 OP_CHECKMULTISIG","desc":"raw(51210479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179851ae)#d52yhzma","type":"nonstandard"}"##,
        ),
        (
            "0015000000000000000000000000000000000000000000",
            r##"{"asm":"0 000000000000000000000000000000000000000000","desc":"raw(0015000000000000000000000000000000000000000000)#8r4uja8p","type":"nonstandard"}"##,
        ),
        (
            "0003000000",
            r##"{"asm":"0 0","desc":"raw(0003000000)#rfdkz4ac","type":"nonstandard"}"##,
        ),
        (
            "5101ff",
            r##"{"asm":"1 -127","desc":"raw(5101ff)#hdssuftp","type":"nonstandard"}"##,
        ),
        (
            "51020000",
            r##"{"asm":"1 0","desc":"addr(bcrt1pqqqqrldkrl)#849qqf2s","address":"bcrt1pqqqqrldkrl","type":"witness_unknown"}"##,
        ),
        (
            "6002abcd",
            r##"{"asm":"16 -19883","desc":"addr(bcrt1s40xsc8zgjn)#jwq95wya","address":"bcrt1s40xsc8zgjn","type":"witness_unknown"}"##,
        ),
        (
            "5120ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            r##"{"asm":"1 ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff","desc":"addr(bcrt1plllllllllllllllllllllllllllllllllllllllllllllllllllse0lp4e)#f6jd6wfe","address":"bcrt1plllllllllllllllllllllllllllllllllllllllllllllllllllse0lp4e","type":"witness_v1_taproot"}"##,
        ),
        (
            "51200000000000000000000000000000000000000000000000000000000000000000",
            r##"{"asm":"1 0000000000000000000000000000000000000000000000000000000000000000","desc":"addr(bcrt1pqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqm3usuw)#h0u3564j","address":"bcrt1pqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqm3usuw","type":"witness_v1_taproot"}"##,
        ),
        (
            "76a914751e76e8199196d454941c45d1b3a323f1433bd688ad",
            r##"{"asm":"OP_DUP OP_HASH160 751e76e8199196d454941c45d1b3a323f1433bd6 OP_EQUALVERIFY OP_CHECKSIGVERIFY","desc":"raw(76a914751e76e8199196d454941c45d1b3a323f1433bd688ad)#k9ca65pt","type":"nonstandard"}"##,
        ),
        (
            "a914da1745e9b549bd0bfa1a569971c77eba30cd5a4b88",
            r##"{"asm":"OP_HASH160 da1745e9b549bd0bfa1a569971c77eba30cd5a4b OP_EQUALVERIFY","desc":"raw(a914da1745e9b549bd0bfa1a569971c77eba30cd5a4b88)#qxqa4mnm","type":"nonstandard"}"##,
        ),
        (
            "483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381301",
            r##"{"asm":"3045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381301","desc":"raw(483045022100884d142d86652a3f47ba4746ec719bbfbd040a570b1deccbb6498c75c4ae24cb02204b9f039ff08df09cbe9f6addac960298cad530a863ea8f53982c09db8f6e381301)#84fc9ah2","type":"nonstandard"}"##,
        ),
        (
            "050102030405",
            r##"{"asm":"0102030405","desc":"raw(050102030405)#s8awkh3s","type":"nonstandard"}"##,
        ),
        (
            "012800000000000000000000000000000000000000000000000000000000000000000000000000000000",
            r##"{"asm":"40 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0","desc":"raw(012800000000000000000000000000000000000000000000000000000000000000000000000000000000)#t3w6yv0z","type":"nonstandard"}"##,
        ),
        (
            "512800000000000000000000000000000000000000000000000000000000000000000000000000000000",
            r##"{"asm":"1 00000000000000000000000000000000000000000000000000000000000000000000000000000000","desc":"addr(bcrt1pqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqwekeum)#z0wekszh","address":"bcrt1pqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqwekeum","type":"witness_unknown"}"##,
        ),
        (
            "51290000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            r##"{"asm":"1 0000000000000000000000000000000000000000000000000000000000000000000000000000000000","desc":"raw(51290000000000000000000000000000000000000000000000000000000000000000000000000000000000)#92wmpl5l","type":"nonstandard"}"##,
        ),
        (
            "00290000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            r##"{"asm":"0 0000000000000000000000000000000000000000000000000000000000000000000000000000000000","desc":"raw(00290000000000000000000000000000000000000000000000000000000000000000000000000000000000)#233fmz2m","type":"nonstandard"}"##,
        ),
        (
            "0002abcd",
            r##"{"asm":"0 -19883","desc":"raw(0002abcd)#nf4j8smn","type":"nonstandard"}"##,
        ),
        (
            "5102abcd",
            r##"{"asm":"1 -19883","desc":"addr(bcrt1p40xswkl44z)#2znjtmk9","address":"bcrt1p40xswkl44z","type":"witness_unknown"}"##,
        ),
        (
            "51024e7300",
            r##"{"asm":"1 29518 0","desc":"raw(51024e7300)#kzeetd4h","type":"nonstandard"}"##,
        ),
        (
            "4f024e73",
            r##"{"asm":"-1 29518","desc":"raw(4f024e73)#8w5w37xa","type":"nonstandard"}"##,
        ),
        (
            "6a4c500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            r##"{"asm":"OP_RETURN 0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000","desc":"raw(6a4c500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000)#9wpc3583","type":"nulldata"}"##,
        ),
        (
            "6a4d0000",
            r##"{"asm":"OP_RETURN 0","desc":"raw(6a4d0000)#rjjgw4wm","type":"nulldata"}"##,
        ),
        (
            "acacac",
            r##"{"asm":"OP_CHECKSIG OP_CHECKSIG OP_CHECKSIG","desc":"raw(acacac)#esynqdve","type":"nonstandard"}"##,
        ),
        (
            "4c4b111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
            r##"{"asm":"111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111","desc":"raw(4c4b111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111)#9fxht9zk","type":"nonstandard"}"##,
        ),
        (
            "4d4c0022222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222",
            r##"{"asm":"22222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222","desc":"raw(4d4c0022222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222)#rggw273f","type":"nonstandard"}"##,
        ),
        (
            "4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
            r##"{"asm":"-1 OP_RESERVED 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 OP_NOP OP_VER OP_IF OP_NOTIF OP_VERIF OP_VERNOTIF OP_ELSE OP_ENDIF OP_VERIFY OP_RETURN OP_TOALTSTACK OP_FROMALTSTACK OP_2DROP OP_2DUP OP_3DUP OP_2OVER OP_2ROT OP_2SWAP OP_IFDUP OP_DEPTH OP_DROP OP_DUP OP_NIP OP_OVER OP_PICK OP_ROLL OP_ROT OP_SWAP OP_TUCK OP_CAT OP_SUBSTR OP_LEFT OP_RIGHT OP_SIZE OP_INVERT OP_AND OP_OR OP_XOR OP_EQUAL OP_EQUALVERIFY OP_RESERVED1 OP_RESERVED2 OP_1ADD OP_1SUB OP_2MUL OP_2DIV OP_NEGATE OP_ABS OP_NOT OP_0NOTEQUAL OP_ADD OP_SUB OP_MUL OP_DIV OP_MOD OP_LSHIFT OP_RSHIFT OP_BOOLAND OP_BOOLOR OP_NUMEQUAL OP_NUMEQUALVERIFY OP_NUMNOTEQUAL OP_LESSTHAN OP_GREATERTHAN OP_LESSTHANOREQUAL OP_GREATERTHANOREQUAL OP_MIN OP_MAX OP_WITHIN OP_RIPEMD160 OP_SHA1 OP_SHA256 OP_HASH160 OP_HASH256 OP_CODESEPARATOR OP_CHECKSIG OP_CHECKSIGVERIFY OP_CHECKMULTISIG OP_CHECKMULTISIGVERIFY OP_NOP1 OP_CHECKLOCKTIMEVERIFY OP_CHECKSEQUENCEVERIFY OP_NOP4 OP_NOP5 OP_NOP6 OP_NOP7 OP_NOP8 OP_NOP9 OP_NOP10 OP_CHECKSIGADD OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_UNKNOWN OP_INVALIDOPCODE","desc":"raw(4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff)#csn4pdm2","type":"nonstandard"}"##,
        ),
    ];
}
