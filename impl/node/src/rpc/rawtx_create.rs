//! Commands of Core's `rawtransactions` category that build, sign and combine raw
//! transactions without a wallet: `createrawtransaction`, `signrawtransactionwithkey` and
//! `combinerawtransaction` (`rpc/rawtransaction.cpp`, `rpc/rawtransaction_util.cpp`).
//!
//! Core's signing logic lives here too, for these commands and the PSBT ones
//! ([`super::psbt`]): `ProduceSignature`, `SignStep`, `DataFromTransaction` and
//! `SignTransaction` (`script/sign.cpp`), which decide what an input needs, which
//! signature goes where and when an input is complete. Sighashes, keys and signatures are
//! rust-bitcoin's, witness-script and tapscript satisfaction is rust-miniscript's, and
//! every script is checked by Core's own interpreter (`umkoin-consensus`), whose error
//! texts the results carry.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;
use std::sync::OnceLock;

use bitcoin::hashes::{Hash, hash160, ripemd160, sha256, sha256d};
use bitcoin::hex::DisplayHex;
use bitcoin::key::{Keypair, TapTweak, XOnlyPublicKey};
use bitcoin::secp256k1::{All, Message, Secp256k1};
use bitcoin::sighash::{EcdsaSighashType, Prevouts, SighashCache, TapSighashType};
use bitcoin::taproot::{LeafVersion, TapLeafHash, TapNodeHash};
use bitcoin::{
    Address, Amount, Network, OutPoint, PrivateKey, Script, ScriptBuf, Sequence, Transaction, TxIn,
    TxOut, Txid, Witness, absolute, transaction,
};
use miniscript::{ExtParams, Miniscript, Satisfier, Segwitv0, Tap};
use serde_json::{Map, Value, json};
use umkoin_interfaces::rpc::code;

use super::blockchain::{get_int32, get_int64};
use super::mempool::amount_from_value;
use super::rawtransaction::decode_hex_tx;
use super::{Arg, ArgType, Command, Request, RpcError, RpcResult};
use crate::context::NodeContext;
use crate::standard::{STANDARD_SCRIPT_VERIFY_FLAGS, TxoutType, solver};
use crate::validation::MAX_MONEY;

/// The commands of this module.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        category: "rawtransactions",
        name: "createrawtransaction",
        args: CREATE_TX_ARGS,
        help: help::CREATERAWTRANSACTION,
        handler: createrawtransaction,
    },
    Command {
        category: "rawtransactions",
        name: "signrawtransactionwithkey",
        args: &[
            Arg::required("hexstring", ArgType::Str),
            Arg::required("privkeys", ArgType::Arr),
            Arg::optional("prevtxs", ArgType::Arr),
            Arg::optional("sighashtype", ArgType::Str),
        ],
        help: help::SIGNRAWTRANSACTIONWITHKEY,
        handler: signrawtransactionwithkey,
    },
    Command {
        category: "rawtransactions",
        name: "combinerawtransaction",
        args: &[Arg::required("txs", ArgType::Arr)],
        help: help::COMBINERAWTRANSACTION,
        handler: combinerawtransaction,
    },
];

/// Core's `CreateTxDoc()` arguments, shared by `createrawtransaction` and `createpsbt`;
/// `outputs` skips the type check (an object is accepted too).
pub(super) const CREATE_TX_ARGS: &[Arg] = &[
    Arg::required("inputs", ArgType::Arr),
    Arg::required("outputs", ArgType::Any),
    Arg::optional("locktime", ArgType::Num),
    Arg::optional("replaceable", ArgType::Bool),
    Arg::optional("version", ArgType::Num),
];

/// `SIGHASH_DEFAULT` (taproot's "no sighash byte").
pub(super) const SIGHASH_DEFAULT: u32 = 0;
/// `SIGHASH_ALL`.
pub(super) const SIGHASH_ALL: u32 = 1;
/// `SIGHASH_SINGLE`.
const SIGHASH_SINGLE: u32 = 3;
/// `SIGHASH_ANYONECANPAY`.
const SIGHASH_ANYONECANPAY: u32 = 0x80;
/// `MAX_BIP125_RBF_SEQUENCE`.
const MAX_BIP125_RBF_SEQUENCE: u32 = 0xffff_fffd;
/// `CTxIn::MAX_SEQUENCE_NONFINAL`.
const MAX_SEQUENCE_NONFINAL: u32 = 0xffff_fffe;
/// `DEFAULT_RAWTX_VERSION`.
const DEFAULT_RAWTX_VERSION: u32 = 2;
/// `TAPROOT_LEAF_TAPSCRIPT`.
const TAPROOT_LEAF_TAPSCRIPT: u8 = 0xc0;
/// `ScriptErrorString(SCRIPT_ERR_INVALID_STACK_OPERATION)`.
const ERR_INVALID_STACK_OPERATION: &str = "Operation not valid with the current stack size";
/// `ScriptErrorString(SCRIPT_ERR_SIG_NULLFAIL)`.
const ERR_SIG_NULLFAIL: &str = "Signature must be zero for failed CHECK(MULTI)SIG operation";

/// One secp256k1 context for every command.
pub(super) fn secp() -> &'static Secp256k1<All> {
    static SECP: OnceLock<Secp256k1<All>> = OnceLock::new();
    SECP.get_or_init(Secp256k1::new)
}

// ---------------------------------------------------------------------------------------
// Arguments, as Core's UniValue and rpc/util.cpp read them
// ---------------------------------------------------------------------------------------

/// UniValue's type error: "JSON value of type <actual> is not of expected type <expected>".
pub(super) fn type_error(v: &Value, expected: &str) -> RpcError {
    RpcError::new(
        code::TYPE_ERROR,
        format!(
            "JSON value of type {} is not of expected type {expected}",
            super::json::type_name(v)
        ),
    )
}

/// UniValue's `get_str`.
pub(super) fn get_str(v: &Value) -> Result<&str, RpcError> {
    v.as_str().ok_or_else(|| type_error(v, "string"))
}

/// UniValue's `get_array`.
pub(super) fn get_array(v: &Value) -> Result<&[Value], RpcError> {
    v.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| type_error(v, "array"))
}

/// UniValue's `get_obj`.
fn get_obj(v: &Value) -> Result<&Map<String, Value>, RpcError> {
    v.as_object().ok_or_else(|| type_error(v, "object"))
}

/// UniValue's `getInt<int>` (a type error for what is not a number).
fn get_int(v: &Value) -> Result<i32, RpcError> {
    if !v.is_number() {
        return Err(type_error(v, "number"));
    }
    get_int32(v)
}

/// UniValue's `getInt<uint32_t>`.
fn get_uint32(v: &Value) -> Result<u32, RpcError> {
    if !v.is_number() {
        return Err(type_error(v, "number"));
    }
    u32::try_from(get_int64(v)?)
        .map_err(|_| RpcError::new(code::MISC_ERROR, "JSON integer out of range"))
}

/// Core's `IsHex`: a non-empty, even number of hex digits.
pub(super) fn is_hex(s: &str) -> bool {
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

/// Core's `ParseHexV(v, name)`: the bytes of a hex string, or `RPC_INVALID_PARAMETER`
/// "<name> must be hexadecimal string (not '<v>')"; what is not a string reads as "".
pub(super) fn parse_hex_v(v: &Value, name: &str) -> Result<Vec<u8>, RpcError> {
    let s = v.as_str().unwrap_or_default();
    if !is_hex(s) {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!("{name} must be hexadecimal string (not '{s}')"),
        ));
    }
    Ok(parse_hex(s))
}

/// Core's `ParseHashV(v, name)` for a transaction id.
pub(super) fn parse_txid(v: &Value, name: &str) -> Result<Txid, RpcError> {
    let s = get_str(v)?;
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Txid::from_str(s).map_err(|_| {
            RpcError::new(
                code::INVALID_PARAMETER,
                format!("{name} must be hexadecimal string (not '{s}')"),
            )
        });
    }
    if s.len() != 64 {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!("{name} must be of length 64 (not {}, for '{s}')", s.len()),
        ));
    }
    Err(RpcError::new(
        code::INVALID_PARAMETER,
        format!("{name} must be hexadecimal string (not '{s}')"),
    ))
}

/// Core's `HASH160` (`CKeyID`, `CScriptID`).
pub(super) fn hash160_of(data: &[u8]) -> [u8; 20] {
    hash160::Hash::hash(data).to_byte_array()
}

/// Core's `MoneyRange`.
pub(super) fn money_range(v: i64) -> bool {
    (0..=MAX_MONEY).contains(&v)
}

// ---------------------------------------------------------------------------------------
// Addresses and transaction construction (rawtransaction_util.cpp)
// ---------------------------------------------------------------------------------------

/// The output script of `s` if it is a valid address of `network` (Core's
/// `DecodeDestination` then `IsValidDestination`): bech32 when it starts with the chain's
/// prefix, base58 otherwise.
fn decode_destination(s: &str, network: Network) -> Option<ScriptBuf> {
    let hrp = match network {
        Network::Bitcoin => "bc",
        Network::Regtest => "bcrt",
        _ => "tb",
    };
    let is_bech32 = s
        .get(..hrp.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(hrp));
    if is_bech32 {
        let address = Address::from_str(s).ok()?.require_network(network).ok()?;
        return Some(address.script_pubkey());
    }
    let data = bitcoin::base58::decode_check(s).ok()?;
    let (pubkey_prefix, script_prefix) = match network {
        Network::Bitcoin => (0u8, 5u8),
        _ => (111, 196),
    };
    let hash: [u8; 20] = data.get(1..)?.try_into().ok()?;
    if data[0] == pubkey_prefix {
        Some(ScriptBuf::new_p2pkh(&bitcoin::PubkeyHash::from_byte_array(
            hash,
        )))
    } else if data[0] == script_prefix {
        Some(ScriptBuf::new_p2sh(&bitcoin::ScriptHash::from_byte_array(
            hash,
        )))
    } else {
        None
    }
}

/// Core's `NormalizeOutputs`: the outputs as (key, value) pairs in order, from an object
/// or an array of one-key objects (where a key may repeat, as UniValue keeps it).
fn normalize_outputs(outputs: &Value) -> Result<Vec<(&str, &Value)>, RpcError> {
    if outputs.is_null() {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Invalid parameter, output argument must be non-null",
        ));
    }
    if let Some(obj) = outputs.as_object() {
        return Ok(obj.iter().map(|(k, v)| (k.as_str(), v)).collect());
    }
    let mut pairs = Vec::new();
    for output in get_array(outputs)? {
        let Some(obj) = output.as_object() else {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                "Invalid parameter, key-value pair not an object as expected",
            ));
        };
        if obj.len() != 1 {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                "Invalid parameter, key-value pair must contain exactly one key",
            ));
        }
        pairs.extend(obj.iter().map(|(k, v)| (k.as_str(), v)));
    }
    Ok(pairs)
}

/// Core's `ParseOutputs` then `AddOutputs`: one output per pair; `data` is an `OP_RETURN`
/// of the hex, anything else an address and an amount.
fn add_outputs(outputs: &Value, network: Network) -> Result<Vec<TxOut>, RpcError> {
    let mut seen: BTreeSet<ScriptBuf> = BTreeSet::new();
    let mut has_data = false;
    let mut out = Vec::new();
    for (name, value) in normalize_outputs(outputs)? {
        if name == "data" {
            if has_data {
                return Err(RpcError::new(
                    code::INVALID_PARAMETER,
                    "Invalid parameter, duplicate key: data",
                ));
            }
            has_data = true;
            // `getValStr()`: a string's text, a number's digits, "" for the rest.
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => String::new(),
            };
            let data = parse_hex_v(&Value::String(text), "Data")?;
            let mut script = vec![0x6a];
            push_data(&mut script, &data);
            out.push(TxOut {
                value: Amount::ZERO,
                script_pubkey: ScriptBuf::from_bytes(script),
            });
            continue;
        }
        let destination = decode_destination(name, network);
        let amount = amount_from_value(value)?;
        let Some(script_pubkey) = destination else {
            return Err(RpcError::new(
                code::INVALID_ADDRESS_OR_KEY,
                format!("Invalid Umkoin address: {name}"),
            ));
        };
        if !seen.insert(script_pubkey.clone()) {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                format!("Invalid parameter, duplicated address: {name}"),
            ));
        }
        out.push(TxOut {
            value: Amount::from_sat(amount as u64),
            script_pubkey,
        });
    }
    Ok(out)
}

/// Core's `ConstructTransaction(inputs, outputs, locktime, rbf, version)`.
pub(super) fn construct_transaction(
    ctx: &NodeContext,
    req: &Request,
) -> Result<Transaction, RpcError> {
    let network = super::network(ctx.params.chain);
    let version = match req.param(4) {
        Value::Null => DEFAULT_RAWTX_VERSION,
        v => get_uint32(v)?,
    };
    let rbf = req.param(3).as_bool();
    let mut lock_time = 0u32;
    if !req.param(2).is_null() {
        let n = get_int64(req.param(2))?;
        lock_time = u32::try_from(n).map_err(|_| {
            RpcError::new(
                code::INVALID_PARAMETER,
                "Invalid parameter, locktime out of range",
            )
        })?;
    }
    if !(crate::standard::TX_MIN_STANDARD_VERSION..=crate::standard::TX_MAX_STANDARD_VERSION)
        .contains(&version)
    {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!(
                "Invalid parameter, version out of range({}~{})",
                crate::standard::TX_MIN_STANDARD_VERSION,
                crate::standard::TX_MAX_STANDARD_VERSION
            ),
        ));
    }
    // AddInputs.
    let mut input = Vec::new();
    let inputs: &[Value] = match req.param(0) {
        Value::Null => &[],
        v => get_array(v)?,
    };
    for v in inputs {
        let o = get_obj(v)?;
        let txid = parse_txid(o.get("txid").unwrap_or(&Value::Null), "txid")?;
        let vout_v = o.get("vout").unwrap_or(&Value::Null);
        if !vout_v.is_number() {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                "Invalid parameter, missing vout key",
            ));
        }
        let vout = get_int(vout_v)?;
        let vout = u32::try_from(vout).map_err(|_| {
            RpcError::new(
                code::INVALID_PARAMETER,
                "Invalid parameter, vout cannot be negative",
            )
        })?;
        let mut sequence = if rbf.unwrap_or(true) {
            MAX_BIP125_RBF_SEQUENCE
        } else if lock_time != 0 {
            MAX_SEQUENCE_NONFINAL
        } else {
            Sequence::MAX.0
        };
        if let Some(s) = o.get("sequence").filter(|s| s.is_number()) {
            let n = get_int64(s)?;
            sequence = u32::try_from(n).map_err(|_| {
                RpcError::new(
                    code::INVALID_PARAMETER,
                    "Invalid parameter, sequence number is out of range",
                )
            })?;
        }
        input.push(TxIn {
            previous_output: OutPoint { txid, vout },
            script_sig: ScriptBuf::new(),
            sequence: Sequence(sequence),
            witness: Witness::new(),
        });
    }
    let output = add_outputs(req.param(1), network)?;
    if rbf == Some(true)
        && !input.is_empty()
        && !input
            .iter()
            .any(|i| i.sequence.0 <= MAX_BIP125_RBF_SEQUENCE)
    {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Invalid parameter combination: Sequence number(s) contradict replaceable option",
        ));
    }
    Ok(Transaction {
        // `CTransaction::version` is a uint32_t; rust-bitcoin keeps the same bits.
        version: transaction::Version(version as i32),
        lock_time: absolute::LockTime::from_consensus(lock_time),
        input,
        output,
    })
}

/// Core's serialization of a transaction: with its witnesses (`TX_WITH_WITNESS`) only if
/// `with_witness` and some input has one, so that a transaction without inputs or
/// witnesses is written the legacy way (rust-bitcoin always marks one without inputs).
pub(super) fn tx_bytes(tx: &Transaction, with_witness: bool) -> Vec<u8> {
    use bitcoin::consensus::Encodable;
    let witness = with_witness && tx.input.iter().any(|i| !i.witness.is_empty());
    let mut v = Vec::new();
    // Writing to a vector cannot fail.
    let _ = tx.version.consensus_encode(&mut v);
    if witness {
        v.extend([0x00, 0x01]);
    }
    let _ = tx.input.consensus_encode(&mut v);
    let _ = tx.output.consensus_encode(&mut v);
    if witness {
        for input in &tx.input {
            let _ = input.witness.consensus_encode(&mut v);
        }
    }
    let _ = tx.lock_time.consensus_encode(&mut v);
    v
}

/// Core's `EncodeHexTx`.
pub(super) fn tx_hex(tx: &Transaction) -> String {
    tx_bytes(tx, true).to_lower_hex_string()
}

/// `createrawtransaction [inputs] [outputs] ( locktime replaceable version )`: the
/// unsigned transaction's hex.
fn createrawtransaction(ctx: &NodeContext, req: &Request) -> RpcResult {
    let tx = construct_transaction(ctx, req)?;
    Ok(Value::String(tx_hex(&tx)))
}

// ---------------------------------------------------------------------------------------
// Scripts as Core builds and reads them
// ---------------------------------------------------------------------------------------

/// Appends a push of `data` as Core's `CScript << std::vector` does (the shortest push
/// opcode for its length, never `OP_N`).
pub(super) fn push_data(script: &mut Vec<u8>, data: &[u8]) {
    let n = data.len();
    if n < 0x4c {
        script.push(n as u8);
    } else if n <= 0xff {
        script.extend([0x4c, n as u8]);
    } else if n <= 0xffff {
        script.push(0x4d);
        script.extend((n as u16).to_le_bytes());
    } else {
        script.push(0x4e);
        script.extend((n as u32).to_le_bytes());
    }
    script.extend_from_slice(data);
}

/// Core's `PushAll`: the stack as a scriptSig (`OP_0`, `OP_1`..`OP_16`, `OP_1NEGATE` for
/// the values they stand for).
fn push_all(values: &[Vec<u8>]) -> ScriptBuf {
    let mut s = Vec::new();
    for v in values {
        match v.as_slice() {
            [] => s.push(0x00),
            [n @ 1..=16] => s.push(0x50 + n),
            [0x81] => s.push(0x4f),
            _ => push_data(&mut s, v),
        }
    }
    ScriptBuf::from_bytes(s)
}

/// The stack a push-only scriptSig leaves (Core's `EvalScript` of it, as
/// `DataFromTransaction` runs it); reading stops at the first operation that is not a
/// push, or a push running past the end.
fn script_sig_stack(script: &Script) -> Vec<Vec<u8>> {
    use bitcoin::script::Instruction;
    let mut stack = Vec::new();
    for ins in script.instructions() {
        match ins {
            Ok(Instruction::PushBytes(b)) => stack.push(b.as_bytes().to_vec()),
            Ok(Instruction::Op(op)) => match op.to_u8() {
                n @ 0x51..=0x60 => stack.push(vec![n - 0x50]),
                0x4f => stack.push(vec![0x81]),
                _ => break,
            },
            Err(_) => break,
        }
    }
    stack
}

/// Core's `GetSerializeSize` of a stack (the witness size measure).
fn stack_size(stack: &[Vec<u8>]) -> usize {
    let compact = |n: usize| match n {
        0..=0xfc => 1,
        0xfd..=0xffff => 3,
        0x1_0000..=0xffff_ffff => 5,
        _ => 9,
    };
    compact(stack.len())
        + stack
            .iter()
            .map(|i| compact(i.len()) + i.len())
            .sum::<usize>()
}

// ---------------------------------------------------------------------------------------
// Verification by Core's interpreter
// ---------------------------------------------------------------------------------------

/// What the signature checker knows of the outputs a transaction spends (Core's
/// `PrecomputedTransactionData`).
#[derive(Clone, Copy)]
pub(super) enum SpentData<'a> {
    /// Every spent output, in input order: taproot signatures can be checked.
    All(&'a [TxOut]),
    /// Initialised without them: segwit v0 works, taproot signature hashes fail.
    Partial,
    /// No precomputed data at all (a checker built without it).
    None,
}

/// Core's `VerifyScript(script_sig, txout.scriptPubKey, witness, STANDARD_SCRIPT_VERIFY_FLAGS,
/// checker)` for input `index` of `tx`, with the spent outputs `spent` knows; the error is
/// Core's `ScriptErrorString`.
pub(super) fn verify_script(
    tx: &Transaction,
    index: usize,
    script_sig: &Script,
    witness: &[Vec<u8>],
    txout: &TxOut,
    spent: SpentData<'_>,
) -> Result<(), String> {
    let mut tx = tx.clone();
    let Some(input) = tx.input.get_mut(index) else {
        return Err("unknown error".to_owned());
    };
    input.script_sig = script_sig.to_owned();
    input.witness = Witness::from_slice(witness);
    let all = match spent {
        SpentData::All(all) if all.len() == tx.input.len() => Some(all),
        _ => None,
    };
    let taproot = txout.script_pubkey.is_p2tr();
    let outputs: Vec<TxOut> = match all {
        Some(all) => all.to_vec(),
        None => {
            let mut v = vec![
                TxOut {
                    value: Amount::ZERO,
                    script_pubkey: ScriptBuf::new()
                };
                tx.input.len()
            ];
            let mut own = txout.clone();
            // Without every spent output Core cannot hash a taproot signature: a value no
            // signature commits to makes every such check fail here too, while the rest
            // of the spend (commitments, scripts without signatures) is checked as Core
            // checks it.
            if taproot {
                own.value = Amount::from_sat(own.value.to_sat() ^ 1);
            }
            v[index] = own;
            v
        }
    };
    let result = umkoin_consensus::verify_input(&tx, &outputs, index, STANDARD_SCRIPT_VERIFY_FLAGS)
        .map_err(|e| match e {
            umkoin_consensus::VerifyError::Script(s) => s,
            umkoin_consensus::VerifyError::BadCall { .. } => "unknown error".to_owned(),
        });
    match result {
        // Core's words for the signature hash it could not compute.
        Err(e) if taproot && all.is_none() && e == "Invalid Schnorr signature" => {
            Err(match spent {
                SpentData::None => "unknown error",
                _ => "Invalid Schnorr signature hash type",
            }
            .to_owned())
        }
        r => r,
    }
}

// ---------------------------------------------------------------------------------------
// Core's signing logic (script/sign.cpp)
// ---------------------------------------------------------------------------------------

/// Core's `SigVersion`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SigVersion {
    /// Legacy scripts.
    Base,
    /// BIP143 (segwit v0).
    WitnessV0,
}

/// A control block in Core's `ShortestVectorFirstComparator` order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ControlBytes(pub Vec<u8>);

impl Ord for ControlBytes {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.0.len(), &self.0).cmp(&(other.0.len(), &other.0))
    }
}

impl PartialOrd for ControlBytes {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Core's `SignatureData`: what is known about an input's solution, what signing made, and
/// what is missing.
#[derive(Clone, Debug, Default)]
pub(super) struct SigData {
    /// The scriptSig and witness are complete and verified.
    pub complete: bool,
    /// The solution is a witness one.
    pub witness: bool,
    /// The scriptSig built.
    pub script_sig: ScriptBuf,
    /// The redeem script (empty: none).
    pub redeem_script: ScriptBuf,
    /// The witness script (empty: none).
    pub witness_script: ScriptBuf,
    /// The witness stack built.
    pub script_witness: Vec<Vec<u8>>,
    /// ECDSA signatures by key id: (public key, signature with its sighash byte).
    pub signatures: BTreeMap<[u8; 20], (Vec<u8>, Vec<u8>)>,
    /// Public keys known by key id (from BIP32 derivations).
    pub misc_pubkeys: BTreeMap<[u8; 20], Vec<u8>>,
    /// The taproot key path signature (empty: none).
    pub taproot_key_path_sig: Vec<u8>,
    /// Tapscript signatures by (x-only key, leaf hash).
    pub taproot_script_sigs: BTreeMap<([u8; 32], [u8; 32]), Vec<u8>>,
    /// The taproot internal key (zero: none).
    pub tr_internal_key: [u8; 32],
    /// The taproot merkle root (zero: none).
    pub tr_merkle_root: [u8; 32],
    /// Leaf scripts by (script, leaf version), with their control blocks.
    pub tr_scripts: BTreeMap<(Vec<u8>, u8), BTreeSet<ControlBytes>>,
    /// X-only keys by the HASH160 of their 32 bytes (from taproot BIP32 derivations).
    pub tap_pubkeys: BTreeMap<[u8; 20], [u8; 32]>,
    /// SHA256 preimages by hash.
    pub sha256_preimages: BTreeMap<Vec<u8>, Vec<u8>>,
    /// HASH256 preimages by hash.
    pub hash256_preimages: BTreeMap<Vec<u8>, Vec<u8>>,
    /// RIPEMD160 preimages by hash.
    pub ripemd160_preimages: BTreeMap<Vec<u8>, Vec<u8>>,
    /// HASH160 preimages by hash.
    pub hash160_preimages: BTreeMap<Vec<u8>, Vec<u8>>,
    /// Key ids whose public key was needed and not found.
    pub missing_pubkeys: Vec<[u8; 20]>,
    /// Key ids whose signature was needed and not found.
    pub missing_sigs: Vec<[u8; 20]>,
    /// The HASH160 of the redeem script needed and not found (zero: none).
    pub missing_redeem_script: [u8; 20],
    /// The SHA256 of the witness script needed and not found (zero: none).
    pub missing_witness_script: [u8; 32],
}

impl SigData {
    /// Core's `SignatureData::MergeSignatureData`.
    fn merge(&mut self, other: SigData) {
        if self.complete {
            return;
        }
        if other.complete {
            *self = other;
            return;
        }
        if self.redeem_script.is_empty() && !other.redeem_script.is_empty() {
            self.redeem_script = other.redeem_script;
        }
        if self.witness_script.is_empty() && !other.witness_script.is_empty() {
            self.witness_script = other.witness_script;
        }
        for (k, v) in other.signatures {
            self.signatures.entry(k).or_insert(v);
        }
    }
}

/// The keys and scripts a signer knows (Core's `FlatSigningProvider` as
/// `signrawtransactionwithkey` fills it); the default knows nothing
/// (`DUMMY_SIGNING_PROVIDER`).
#[derive(Default)]
pub(super) struct Provider {
    /// Private keys by key id.
    keys: BTreeMap<[u8; 20], PrivateKey>,
    /// Public keys by key id.
    pubkeys: BTreeMap<[u8; 20], Vec<u8>>,
    /// Scripts by script id (HASH160).
    scripts: BTreeMap<[u8; 20], ScriptBuf>,
}

impl Provider {
    /// Adds a private key and its public key.
    fn add_key(&mut self, key: PrivateKey) {
        let pubkey = key.public_key(secp()).to_bytes();
        let id = hash160_of(&pubkey);
        self.pubkeys.insert(id, pubkey);
        self.keys.insert(id, key);
    }

    /// Core's `GetKeyByXOnly`: the key whose public key is `xonly` with either parity.
    fn key_by_xonly(&self, xonly: &[u8; 32]) -> Option<&PrivateKey> {
        [0x02u8, 0x03].iter().find_map(|prefix| {
            let mut full = vec![*prefix];
            full.extend_from_slice(xonly);
            self.keys.get(&hash160_of(&full))
        })
    }
}

/// What makes signatures (Core's `BaseSignatureCreator`): real ones over a transaction, or
/// Core's `DUMMY_SIGNATURE_CREATOR` placeholders for size estimates.
pub(super) enum Creator<'a> {
    /// `MutableTransactionSignatureCreator`.
    Tx {
        /// The transaction.
        tx: &'a Transaction,
        /// The input signed.
        index: usize,
        /// The value of the output it spends.
        amount: i64,
        /// What is known of every spent output.
        spent: SpentData<'a>,
        /// `nHashType`.
        hash_type: u32,
    },
    /// `DUMMY_SIGNATURE_CREATOR`: 71-byte ECDSA and 64-byte Schnorr placeholders, and a
    /// checker that accepts them.
    Dummy,
}

impl Creator<'_> {
    /// Core's `CreateSig`: an ECDSA signature by the key of `keyid` over `script_code`.
    fn create_ecdsa(
        &self,
        provider: &Provider,
        keyid: &[u8; 20],
        script_code: &Script,
        sigversion: SigVersion,
    ) -> Option<Vec<u8>> {
        let Creator::Tx {
            tx,
            index,
            amount,
            hash_type,
            ..
        } = self
        else {
            // Core's placeholder: a valid DER encoding of two 32-byte integers, then
            // SIGHASH_ALL (71 bytes).
            let mut sig = vec![0u8; 71];
            sig[0] = 0x30;
            sig[1] = 68;
            sig[2] = 0x02;
            sig[3] = 32;
            sig[4] = 0x01;
            sig[36] = 0x02;
            sig[37] = 32;
            sig[38] = 0x01;
            sig[70] = SIGHASH_ALL as u8;
            return Some(sig);
        };
        let key = provider.keys.get(keyid)?;
        if sigversion == SigVersion::WitnessV0 && (!key.compressed || !money_range(*amount)) {
            return None;
        }
        let hash_type = if *hash_type == SIGHASH_DEFAULT {
            SIGHASH_ALL
        } else {
            *hash_type
        };
        let cache = SighashCache::new(*tx);
        let digest = match sigversion {
            SigVersion::Base => cache
                .legacy_signature_hash(*index, script_code, hash_type)
                .ok()?
                .to_byte_array(),
            SigVersion::WitnessV0 => {
                let ty = EcdsaSighashType::from_standard(hash_type).ok()?;
                let mut cache = cache;
                cache
                    .p2wsh_signature_hash(*index, script_code, Amount::from_sat(*amount as u64), ty)
                    .ok()?
                    .to_byte_array()
            }
        };
        let sig = secp().sign_ecdsa_low_r(&Message::from_digest(digest), &key.inner);
        let mut out = sig.serialize_der().to_vec();
        out.push(hash_type as u8);
        Some(out)
    }

    /// Core's `CreateSchnorrSig`: a BIP340 signature by the key whose x-only public key is
    /// `xonly`, tweaked by `merkle_root` (`None`: untweaked; zero: key-only tweak), over
    /// the key path or the leaf `leaf_hash`; Core's zero auxiliary randomness.
    fn create_schnorr(
        &self,
        provider: &Provider,
        xonly: &[u8; 32],
        leaf_hash: Option<&[u8; 32]>,
        merkle_root: Option<&[u8; 32]>,
    ) -> Option<Vec<u8>> {
        let Creator::Tx {
            tx,
            index,
            spent,
            hash_type,
            ..
        } = self
        else {
            return Some(vec![0u8; 64]);
        };
        let key = provider.key_by_xonly(xonly)?;
        let SpentData::All(all) = spent else {
            return None;
        };
        let ty = TapSighashType::from_consensus_u8(u8::try_from(*hash_type).ok()?).ok()?;
        let mut cache = SighashCache::new(*tx);
        let prevouts = Prevouts::All(all);
        let digest = match leaf_hash {
            None => cache.taproot_key_spend_signature_hash(*index, &prevouts, ty),
            Some(leaf) => cache.taproot_script_spend_signature_hash(
                *index,
                &prevouts,
                TapLeafHash::from_byte_array(*leaf),
                ty,
            ),
        }
        .ok()?
        .to_byte_array();
        let keypair = Keypair::from_secret_key(secp(), &key.inner);
        let keypair = match merkle_root {
            None => keypair,
            Some(root) => {
                let root = (*root != [0u8; 32]).then(|| TapNodeHash::from_byte_array(*root));
                keypair.tap_tweak(secp(), root).to_keypair()
            }
        };
        let sig =
            secp().sign_schnorr_with_aux_rand(&Message::from_digest(digest), &keypair, &[0u8; 32]);
        let mut out = sig.as_ref().to_vec();
        if *hash_type != SIGHASH_DEFAULT {
            out.push(*hash_type as u8);
        }
        Some(out)
    }

    /// The checker's `VerifyScript` of a solution (the dummy checker accepts every
    /// solution the dummy signer made).
    fn verify(&self, script_sig: &Script, witness: &[Vec<u8>], from: &Script) -> bool {
        match self {
            Creator::Dummy => true,
            Creator::Tx {
                tx,
                index,
                amount,
                spent,
                ..
            } => {
                let txout = TxOut {
                    value: Amount::from_sat(*amount as u64),
                    script_pubkey: from.to_owned(),
                };
                verify_script(tx, *index, script_sig, witness, &txout, *spent).is_ok()
            }
        }
    }

    /// The checker's `CheckLockTime` (Core's, for miniscript's `after`).
    fn check_lock_time(&self, n: u32) -> bool {
        let Creator::Tx { tx, index, .. } = self else {
            return true;
        };
        let lock = tx.lock_time.to_consensus_u32();
        let threshold = crate::validation::LOCKTIME_THRESHOLD;
        if (lock < threshold) != (n < threshold) || n > lock {
            return false;
        }
        tx.input
            .get(*index)
            .is_some_and(|i| i.sequence != Sequence::MAX)
    }

    /// The checker's `CheckSequence` (Core's, for miniscript's `older`).
    fn check_sequence(&self, n: u32) -> bool {
        let Creator::Tx { tx, index, .. } = self else {
            return true;
        };
        const DISABLE: u32 = 1 << 31;
        const TYPE: u32 = 1 << 22;
        const MASK: u32 = 0x0000_ffff;
        let Some(seq) = tx.input.get(*index).map(|i| i.sequence.0) else {
            return false;
        };
        if (tx.version.0 as u32) < 2 || seq & DISABLE != 0 {
            return false;
        }
        let (seq_m, n_m) = (seq & (TYPE | MASK), n & (TYPE | MASK));
        (seq_m < TYPE) == (n_m < TYPE) && n_m <= seq_m
    }
}

/// Core's `GetPubKey`: from the signatures, the BIP32 keys, the taproot keys (even), the
/// provider.
fn get_pubkey(provider: &Provider, sigdata: &SigData, keyid: &[u8; 20]) -> Option<Vec<u8>> {
    if let Some((pk, _)) = sigdata.signatures.get(keyid) {
        return Some(pk.clone());
    }
    if let Some(pk) = sigdata.misc_pubkeys.get(keyid) {
        return Some(pk.clone());
    }
    if let Some(x) = sigdata.tap_pubkeys.get(keyid) {
        let mut pk = vec![0x02];
        pk.extend_from_slice(x);
        return Some(pk);
    }
    provider.pubkeys.get(keyid).cloned()
}

/// Core's `GetCScript`: the provider's script, or the redeem or witness script known.
fn get_cscript(provider: &Provider, sigdata: &SigData, id: &[u8; 20]) -> Option<ScriptBuf> {
    if let Some(s) = provider.scripts.get(id) {
        return Some(s.clone());
    }
    if hash160_of(sigdata.redeem_script.as_bytes()) == *id {
        return Some(sigdata.redeem_script.clone());
    }
    if hash160_of(sigdata.witness_script.as_bytes()) == *id {
        return Some(sigdata.witness_script.clone());
    }
    None
}

/// Core's static `CreateSig`: the known signature of `pubkey`, or a new one (recorded), or
/// the key id noted as missing a signature.
fn create_sig(
    creator: &Creator<'_>,
    sigdata: &mut SigData,
    provider: &Provider,
    pubkey: &[u8],
    script_code: &Script,
    sigversion: SigVersion,
) -> Option<Vec<u8>> {
    let keyid = hash160_of(pubkey);
    if let Some((_, sig)) = sigdata.signatures.get(&keyid) {
        return Some(sig.clone());
    }
    match creator.create_ecdsa(provider, &keyid, script_code, sigversion) {
        Some(sig) => {
            sigdata
                .signatures
                .insert(keyid, (pubkey.to_vec(), sig.clone()));
            Some(sig)
        }
        None => {
            sigdata.missing_sigs.push(keyid);
            None
        }
    }
}

/// Core's `CreateTaprootScriptSig`: the known tapscript signature of `xonly` for the leaf,
/// or a new one.
fn create_taproot_script_sig(
    creator: &Creator<'_>,
    sigdata: &mut SigData,
    provider: &Provider,
    xonly: &[u8; 32],
    leaf_hash: &[u8; 32],
) -> Option<Vec<u8>> {
    let key = (*xonly, *leaf_hash);
    if let Some(sig) = sigdata.taproot_script_sigs.get(&key) {
        return Some(sig.clone());
    }
    let sig = creator.create_schnorr(provider, xonly, Some(leaf_hash), None)?;
    sigdata.taproot_script_sigs.insert(key, sig.clone());
    Some(sig)
}

/// rust-miniscript's view of Core's miniscript `Satisfier` (`WshSatisfier`,
/// `TapSatisfier`): signatures made or found through [`create_sig`], keys through
/// [`get_pubkey`], preimages and timelocks as Core's.
struct MsSatisfier<'a, 'b> {
    creator: &'a Creator<'b>,
    provider: &'a Provider,
    sigdata: &'a RefCell<SigData>,
    witness_script: &'a Script,
    leaf_hash: [u8; 32],
}

impl MsSatisfier<'_, '_> {
    /// A preimage of 32 bytes from one of the maps.
    fn preimage(
        &self,
        pick: impl Fn(&SigData) -> &BTreeMap<Vec<u8>, Vec<u8>>,
        hash: &[u8],
    ) -> Option<[u8; 32]> {
        let data = self.sigdata.borrow();
        pick(&data).get(hash)?.as_slice().try_into().ok()
    }

    /// Core's `CPubFromPKHBytes`: the public key of a key hash, or noted as missing.
    fn pubkey_of_hash(&self, hash: &hash160::Hash) -> Option<Vec<u8>> {
        let id = hash.to_byte_array();
        let found = get_pubkey(self.provider, &self.sigdata.borrow(), &id);
        if found.is_none() {
            self.sigdata.borrow_mut().missing_pubkeys.push(id);
        }
        found
    }

    /// An ECDSA signature of `pubkey` (`WshSatisfier::Sign`).
    fn ecdsa(&self, pubkey: &[u8]) -> Option<bitcoin::ecdsa::Signature> {
        let sig = create_sig(
            self.creator,
            &mut self.sigdata.borrow_mut(),
            self.provider,
            pubkey,
            self.witness_script,
            SigVersion::WitnessV0,
        )?;
        bitcoin::ecdsa::Signature::from_slice(&sig).ok()
    }

    /// A tapscript signature of `xonly` (`TapSatisfier::Sign`).
    fn schnorr(&self, xonly: &XOnlyPublicKey) -> Option<bitcoin::taproot::Signature> {
        let sig = create_taproot_script_sig(
            self.creator,
            &mut self.sigdata.borrow_mut(),
            self.provider,
            &xonly.serialize(),
            &self.leaf_hash,
        )?;
        bitcoin::taproot::Signature::from_slice(&sig).ok()
    }
}

impl<Pk: miniscript::ToPublicKey> Satisfier<Pk> for MsSatisfier<'_, '_> {
    fn lookup_ecdsa_sig(&self, pk: &Pk) -> Option<bitcoin::ecdsa::Signature> {
        self.ecdsa(&pk.to_public_key().to_bytes())
    }

    fn lookup_tap_leaf_script_sig(
        &self,
        pk: &Pk,
        _: &TapLeafHash,
    ) -> Option<bitcoin::taproot::Signature> {
        self.schnorr(&pk.to_x_only_pubkey())
    }

    fn lookup_raw_pkh_pk(&self, hash: &hash160::Hash) -> Option<bitcoin::PublicKey> {
        bitcoin::PublicKey::from_slice(&self.pubkey_of_hash(hash)?).ok()
    }

    fn lookup_raw_pkh_x_only_pk(&self, hash: &hash160::Hash) -> Option<XOnlyPublicKey> {
        let pk = bitcoin::PublicKey::from_slice(&self.pubkey_of_hash(hash)?).ok()?;
        Some(XOnlyPublicKey::from(pk.inner))
    }

    fn lookup_raw_pkh_ecdsa_sig(
        &self,
        hash: &hash160::Hash,
    ) -> Option<(bitcoin::PublicKey, bitcoin::ecdsa::Signature)> {
        let bytes = self.pubkey_of_hash(hash)?;
        let pk = bitcoin::PublicKey::from_slice(&bytes).ok()?;
        Some((pk, self.ecdsa(&bytes)?))
    }

    fn lookup_raw_pkh_tap_leaf_script_sig(
        &self,
        key: &(hash160::Hash, TapLeafHash),
    ) -> Option<(XOnlyPublicKey, bitcoin::taproot::Signature)> {
        let pk = bitcoin::PublicKey::from_slice(&self.pubkey_of_hash(&key.0)?).ok()?;
        let x = XOnlyPublicKey::from(pk.inner);
        Some((x, self.schnorr(&x)?))
    }

    fn lookup_sha256(&self, h: &Pk::Sha256) -> Option<[u8; 32]> {
        let hash: sha256::Hash = Pk::to_sha256(h);
        self.preimage(|d| &d.sha256_preimages, hash.as_byte_array())
    }

    fn lookup_hash256(&self, h: &Pk::Hash256) -> Option<[u8; 32]> {
        let hash: sha256d::Hash = Pk::to_hash256(h).into();
        self.preimage(|d| &d.hash256_preimages, hash.as_byte_array())
    }

    fn lookup_ripemd160(&self, h: &Pk::Ripemd160) -> Option<[u8; 32]> {
        let hash: ripemd160::Hash = Pk::to_ripemd160(h);
        self.preimage(|d| &d.ripemd160_preimages, hash.as_byte_array())
    }

    fn lookup_hash160(&self, h: &Pk::Hash160) -> Option<[u8; 32]> {
        let hash: hash160::Hash = Pk::to_hash160(h);
        self.preimage(|d| &d.hash160_preimages, hash.as_byte_array())
    }

    fn check_older(&self, n: bitcoin::relative::LockTime) -> bool {
        self.creator.check_sequence(n.to_consensus_u32())
    }

    fn check_after(&self, n: absolute::LockTime) -> bool {
        self.creator.check_lock_time(n.to_consensus_u32())
    }
}

/// Satisfies a witness script with miniscript (Core's `WshSatisfier` fallback in
/// `ProduceSignature`).
fn satisfy_wsh(
    provider: &Provider,
    creator: &Creator<'_>,
    sigdata: &mut SigData,
    script: &Script,
) -> Option<Vec<Vec<u8>>> {
    let ms =
        Miniscript::<bitcoin::PublicKey, Segwitv0>::parse_with_ext(script, &ExtParams::allow_all())
            .ok()?;
    // Core's non-malleable `Satisfy` wants a satisfaction with a signature.
    if !ms.ty.mall.safe {
        return None;
    }
    let cell = RefCell::new(std::mem::take(sigdata));
    let result = ms
        .satisfy(MsSatisfier {
            creator,
            provider,
            sigdata: &cell,
            witness_script: script,
            leaf_hash: [0; 32],
        })
        .ok();
    *sigdata = cell.into_inner();
    result
}

/// Core's `SignTaprootScript`: satisfies a tapscript leaf with miniscript.
fn sign_taproot_script(
    provider: &Provider,
    creator: &Creator<'_>,
    sigdata: &mut SigData,
    leaf_version: u8,
    script: &[u8],
) -> Option<Vec<Vec<u8>>> {
    if leaf_version != TAPROOT_LEAF_TAPSCRIPT {
        return None;
    }
    let script = ScriptBuf::from_bytes(script.to_vec());
    let leaf_hash = TapLeafHash::from_script(&script, LeafVersion::TapScript).to_byte_array();
    let ms =
        Miniscript::<XOnlyPublicKey, Tap>::parse_with_ext(&script, &ExtParams::allow_all()).ok()?;
    // Core's non-malleable `Satisfy` wants a satisfaction with a signature.
    if !ms.ty.mall.safe {
        return None;
    }
    let cell = RefCell::new(std::mem::take(sigdata));
    let result = ms
        .satisfy(MsSatisfier {
            creator,
            provider,
            sigdata: &cell,
            witness_script: &script,
            leaf_hash,
        })
        .ok();
    *sigdata = cell.into_inner();
    result
}

/// Core's `SignTaproot`: a key path signature (by the internal key with the merkle root's
/// tweak, then by the output key itself), else the smallest script path satisfaction.
fn sign_taproot(
    provider: &Provider,
    creator: &Creator<'_>,
    output: &[u8; 32],
    sigdata: &mut SigData,
) -> Option<Vec<Vec<u8>>> {
    if sigdata.taproot_key_path_sig.is_empty() {
        let (internal, root) = (sigdata.tr_internal_key, sigdata.tr_merkle_root);
        if let Some(sig) = creator.create_schnorr(provider, &internal, None, Some(&root)) {
            sigdata.taproot_key_path_sig = sig;
        }
    }
    if sigdata.taproot_key_path_sig.is_empty()
        && let Some(sig) = creator.create_schnorr(provider, output, None, None)
    {
        sigdata.taproot_key_path_sig = sig;
    }
    if !sigdata.taproot_key_path_sig.is_empty() {
        return Some(vec![sigdata.taproot_key_path_sig.clone()]);
    }
    let mut smallest: Option<Vec<Vec<u8>>> = None;
    for ((script, leaf_version), control_blocks) in sigdata.tr_scripts.clone() {
        let Some(mut stack) =
            sign_taproot_script(provider, creator, sigdata, leaf_version, &script)
        else {
            continue;
        };
        stack.push(script);
        if let Some(cb) = control_blocks.first() {
            stack.push(cb.0.clone());
        }
        if smallest
            .as_ref()
            .is_none_or(|s| stack_size(&stack) < stack_size(s))
        {
            smallest = Some(stack);
        }
    }
    smallest
}

/// Core's `SignStep`: the stack that solves `script` (for P2SH and P2WSH, the script it
/// commits to), whether it is complete, and the script's type.
fn sign_step(
    provider: &Provider,
    creator: &Creator<'_>,
    script: &Script,
    sigversion: SigVersion,
    sigdata: &mut SigData,
) -> (bool, Vec<Vec<u8>>, TxoutType) {
    let (kind, solutions) = solver(script);
    let mut ret = Vec::new();
    let solved = match kind {
        TxoutType::Nonstandard | TxoutType::NullData | TxoutType::WitnessUnknown => false,
        TxoutType::Pubkey => {
            match create_sig(
                creator,
                sigdata,
                provider,
                &solutions[0],
                script,
                sigversion,
            ) {
                Some(sig) => {
                    ret.push(sig);
                    true
                }
                None => false,
            }
        }
        TxoutType::PubkeyHash => {
            let id: [u8; 20] = solutions[0].as_slice().try_into().unwrap_or_default();
            match get_pubkey(provider, sigdata, &id) {
                None => {
                    sigdata.missing_pubkeys.push(id);
                    false
                }
                Some(pubkey) => {
                    match create_sig(creator, sigdata, provider, &pubkey, script, sigversion) {
                        Some(sig) => {
                            ret.push(sig);
                            ret.push(pubkey);
                            true
                        }
                        None => false,
                    }
                }
            }
        }
        TxoutType::ScriptHash => {
            let id: [u8; 20] = solutions[0].as_slice().try_into().unwrap_or_default();
            match get_cscript(provider, sigdata, &id) {
                Some(s) => {
                    ret.push(s.into_bytes());
                    true
                }
                None => {
                    sigdata.missing_redeem_script = id;
                    false
                }
            }
        }
        TxoutType::Multisig => {
            let required = usize::from(solutions[0][0]);
            ret.push(Vec::new());
            for pubkey in &solutions[1..solutions.len() - 1] {
                // Every key is asked, so that every signature that can be made is recorded.
                if let Some(sig) =
                    create_sig(creator, sigdata, provider, pubkey, script, sigversion)
                    && ret.len() < required + 1
                {
                    ret.push(sig);
                }
            }
            let ok = ret.len() == required + 1;
            while ret.len() < required + 1 {
                ret.push(Vec::new());
            }
            ok
        }
        TxoutType::WitnessV0KeyHash => {
            ret.push(solutions[0].clone());
            true
        }
        TxoutType::WitnessV0ScriptHash => {
            let id = ripemd160::Hash::hash(&solutions[0]).to_byte_array();
            match get_cscript(provider, sigdata, &id) {
                Some(s) => {
                    ret.push(s.into_bytes());
                    true
                }
                None => {
                    sigdata.missing_witness_script =
                        solutions[0].as_slice().try_into().unwrap_or_default();
                    false
                }
            }
        }
        TxoutType::WitnessV1Taproot => {
            let output: [u8; 32] = solutions[0].as_slice().try_into().unwrap_or_default();
            match sign_taproot(provider, creator, &output, sigdata) {
                Some(stack) => {
                    ret = stack;
                    true
                }
                None => false,
            }
        }
        TxoutType::Anchor => true,
    };
    (solved, ret, kind)
}

/// Core's `ProduceSignature`: solves `from` for the input as far as the provider and the
/// known data allow, leaving the scriptSig and witness in `sigdata`; whether the solution
/// is complete and verifies.
pub(super) fn produce_signature(
    provider: &Provider,
    creator: &Creator<'_>,
    from: &Script,
    sigdata: &mut SigData,
) -> bool {
    if sigdata.complete {
        return true;
    }
    let (mut solved, mut result, mut kind) =
        sign_step(provider, creator, from, SigVersion::Base, sigdata);
    let mut p2sh = false;
    let mut subscript = ScriptBuf::new();
    if solved && kind == TxoutType::ScriptHash {
        subscript = ScriptBuf::from_bytes(result[0].clone());
        sigdata.redeem_script = subscript.clone();
        let (s, r, k) = sign_step(provider, creator, &subscript, SigVersion::Base, sigdata);
        solved = s && k != TxoutType::ScriptHash;
        result = r;
        kind = k;
        p2sh = true;
    }
    if solved && kind == TxoutType::WitnessV0KeyHash {
        let mut code = vec![0x76, 0xa9];
        push_data(&mut code, &result[0]);
        code.extend([0x88, 0xac]);
        let code = ScriptBuf::from_bytes(code);
        let (s, r, _) = sign_step(provider, creator, &code, SigVersion::WitnessV0, sigdata);
        solved = s;
        sigdata.script_witness = r;
        sigdata.witness = true;
        result.clear();
    } else if solved && kind == TxoutType::WitnessV0ScriptHash {
        let witness_script = ScriptBuf::from_bytes(result[0].clone());
        sigdata.witness_script = witness_script.clone();
        let (s, r, sub) = sign_step(
            provider,
            creator,
            &witness_script,
            SigVersion::WitnessV0,
            sigdata,
        );
        solved = s
            && !matches!(
                sub,
                TxoutType::ScriptHash
                    | TxoutType::WitnessV0ScriptHash
                    | TxoutType::WitnessV0KeyHash
            );
        result = r;
        // The template satisfier's partial result (as multisig's) is kept even unsolved;
        // miniscript is tried only when it left nothing.
        if !solved
            && result.is_empty()
            && let Some(stack) = satisfy_wsh(provider, creator, sigdata, &witness_script)
        {
            result = stack;
            solved = true;
        }
        result.push(witness_script.into_bytes());
        sigdata.script_witness = std::mem::take(&mut result);
        sigdata.witness = true;
    } else if kind == TxoutType::WitnessV1Taproot && !p2sh {
        sigdata.witness = true;
        if solved {
            sigdata.script_witness = std::mem::take(&mut result);
        }
        result.clear();
    } else if solved && kind == TxoutType::WitnessUnknown {
        sigdata.witness = true;
    }
    if !sigdata.witness {
        sigdata.script_witness.clear();
    }
    if p2sh {
        result.push(subscript.into_bytes());
    }
    sigdata.script_sig = push_all(&result);
    sigdata.complete = solved && creator.verify(&sigdata.script_sig, &sigdata.script_witness, from);
    sigdata.complete
}

/// Core's `DataFromTransaction`: what input `index` of `tx` already has (complete if it
/// verifies; else the redeem and witness scripts, and the multisig signatures that check).
fn data_from_transaction(tx: &Transaction, index: usize, txout: &TxOut) -> SigData {
    let input = &tx.input[index];
    let mut data = SigData {
        script_sig: input.script_sig.clone(),
        script_witness: input.witness.to_vec(),
        ..SigData::default()
    };
    let mut script_stack = script_sig_stack(&input.script_sig);
    let mut witness_stack = data.script_witness.clone();
    if verify_script(
        tx,
        index,
        &input.script_sig,
        &data.script_witness,
        txout,
        SpentData::None,
    )
    .is_ok()
    {
        data.complete = true;
        return data;
    }
    let (mut kind, mut solutions) = solver(&txout.script_pubkey);
    let mut sigversion = SigVersion::Base;
    let mut next_script = txout.script_pubkey.clone();
    if kind == TxoutType::ScriptHash && script_stack.last().is_some_and(|s| !s.is_empty()) {
        let redeem = ScriptBuf::from_bytes(script_stack.pop().unwrap_or_default());
        data.redeem_script = redeem.clone();
        next_script = redeem;
        (kind, solutions) = solver(&next_script);
    }
    if kind == TxoutType::WitnessV0ScriptHash && witness_stack.last().is_some_and(|s| !s.is_empty())
    {
        let ws = ScriptBuf::from_bytes(witness_stack.pop().unwrap_or_default());
        data.witness_script = ws.clone();
        next_script = ws;
        (kind, solutions) = solver(&next_script);
        script_stack = std::mem::take(&mut witness_stack);
        sigversion = SigVersion::WitnessV0;
    }
    if kind == TxoutType::Multisig && !script_stack.is_empty() {
        let keys = &solutions[1..solutions.len() - 1];
        let mut last_success = 0;
        for sig in &script_stack {
            for (i, pubkey) in keys.iter().enumerate().skip(last_success) {
                let id = hash160_of(pubkey);
                if data.signatures.contains_key(&id)
                    || check_ecdsa(tx, index, txout, sig, pubkey, &next_script, sigversion)
                {
                    data.signatures
                        .entry(id)
                        .or_insert_with(|| (pubkey.clone(), sig.clone()));
                    last_success = i + 1;
                    break;
                }
            }
        }
    }
    data
}

/// Core's `CheckECDSASignature` (a checker without precomputed data): whether `sig` (with
/// its sighash byte) by `pubkey` signs input `index` of `tx` with `script_code`.
fn check_ecdsa(
    tx: &Transaction,
    index: usize,
    txout: &TxOut,
    sig: &[u8],
    pubkey: &[u8],
    script_code: &Script,
    sigversion: SigVersion,
) -> bool {
    let Some((&hash_type, der)) = sig.split_last() else {
        return false;
    };
    let Ok(pk) = bitcoin::secp256k1::PublicKey::from_slice(pubkey) else {
        return false;
    };
    let Ok(mut signature) = bitcoin::secp256k1::ecdsa::Signature::from_der_lax(der) else {
        return false;
    };
    signature.normalize_s();
    let cache = SighashCache::new(tx);
    let digest = match sigversion {
        SigVersion::Base => {
            match cache.legacy_signature_hash(index, script_code, u32::from(hash_type)) {
                Ok(h) => h.to_byte_array(),
                Err(_) => return false,
            }
        }
        _ => {
            let Ok(ty) = EcdsaSighashType::from_standard(u32::from(hash_type)) else {
                return false;
            };
            let mut cache = cache;
            match cache.p2wsh_signature_hash(index, script_code, txout.value, ty) {
                Ok(h) => h.to_byte_array(),
                Err(_) => return false,
            }
        }
    };
    secp()
        .verify_ecdsa(&Message::from_digest(digest), &signature, &pk)
        .is_ok()
}

// ---------------------------------------------------------------------------------------
// signrawtransactionwithkey, combinerawtransaction
// ---------------------------------------------------------------------------------------

/// Core's `FindCoins`: each outpoint's output as the mempool view sees it (a mempool
/// transaction's output, else the chain's unspent one), `None` when there is none.
fn find_coins(
    ctx: &NodeContext,
    outpoints: impl IntoIterator<Item = OutPoint>,
) -> BTreeMap<OutPoint, Option<TxOut>> {
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let pool = ctx.pool.lock().expect("the mempool lock is never poisoned");
    outpoints
        .into_iter()
        .map(|o| {
            let coin = match pool.get(&o.txid) {
                Some(e) => e.tx.output.get(o.vout as usize).cloned(),
                None => store
                    .as_ref()
                    .and_then(|s| s.coin(&o).ok().flatten())
                    .map(|(_, _, out)| out),
            };
            (o, coin)
        })
        .collect()
}

/// Core's `DecodeSecret` of a WIF key with the chain's prefix.
fn decode_secret(s: &str, network: Network) -> Option<PrivateKey> {
    let key = PrivateKey::from_wif(s).ok()?;
    (key.network == bitcoin::NetworkKind::from(network)).then_some(key)
}

/// Core's `RPCTypeCheckObj(o, {txid: str, vout: num, scriptPubKey: str})` (keys in their
/// sorted order, as Core's map holds them), then the optional redeem and witness scripts.
fn type_check_obj(
    o: &Map<String, Value>,
    expected: &[(&str, &str)],
    allow_null: bool,
) -> Result<(), RpcError> {
    for (name, ty) in expected {
        let v = o.get(*name).unwrap_or(&Value::Null);
        if !allow_null && v.is_null() {
            return Err(RpcError::new(code::TYPE_ERROR, format!("Missing {name}")));
        }
        let actual = super::json::type_name(v);
        if actual != *ty && !(allow_null && v.is_null()) {
            return Err(RpcError::new(
                code::TYPE_ERROR,
                format!(
                    "JSON value of type {actual} for field {name} is not of expected type {ty}"
                ),
            ));
        }
    }
    Ok(())
}

/// Core's `ParsePrevouts`: the `prevtxs` outputs into `coins` (with `MAX_MONEY` when no
/// amount is given), their redeem and witness scripts into the provider.
fn parse_prevouts(
    prevtxs: &Value,
    provider: &mut Provider,
    coins: &mut BTreeMap<OutPoint, Option<TxOut>>,
) -> Result<(), RpcError> {
    if prevtxs.is_null() {
        return Ok(());
    }
    for p in get_array(prevtxs)? {
        let Some(o) = p.as_object() else {
            return Err(RpcError::new(
                code::DESERIALIZATION_ERROR,
                "expected object with {\"txid'\",\"vout\",\"scriptPubKey\"}",
            ));
        };
        type_check_obj(
            o,
            &[
                ("scriptPubKey", "string"),
                ("txid", "string"),
                ("vout", "number"),
            ],
            false,
        )?;
        let txid = parse_txid(&o["txid"], "txid")?;
        let vout = get_int(&o["vout"])?;
        let vout = u32::try_from(vout)
            .map_err(|_| RpcError::new(code::DESERIALIZATION_ERROR, "vout cannot be negative"))?;
        let outpoint = OutPoint { txid, vout };
        let spk = ScriptBuf::from_bytes(parse_hex_v(
            o.get("scriptPubKey").unwrap_or(&Value::Null),
            "scriptPubKey",
        )?);
        if let Some(Some(coin)) = coins.get(&outpoint)
            && coin.script_pubkey != spk
        {
            return Err(RpcError::new(
                code::DESERIALIZATION_ERROR,
                format!(
                    "Previous output scriptPubKey mismatch:\n{}\nvs:\n{}",
                    super::txjson::script_to_asm(&coin.script_pubkey, false),
                    super::txjson::script_to_asm(&spk, false)
                ),
            ));
        }
        let value = match o.get("amount") {
            Some(a) => amount_from_value(a)?,
            None => MAX_MONEY,
        };
        coins.insert(
            outpoint,
            Some(TxOut {
                value: Amount::from_sat(value as u64),
                script_pubkey: spk.clone(),
            }),
        );
        let (is_p2sh, is_p2wsh) = (spk.is_p2sh(), spk.is_p2wsh());
        if !(is_p2sh || is_p2wsh) {
            continue;
        }
        type_check_obj(
            o,
            &[("redeemScript", "string"), ("witnessScript", "string")],
            true,
        )?;
        let rs = o.get("redeemScript").unwrap_or(&Value::Null);
        let ws = o.get("witnessScript").unwrap_or(&Value::Null);
        if rs.is_null() && ws.is_null() {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                "Missing redeemScript/witnessScript",
            ));
        }
        let script = ScriptBuf::from_bytes(if ws.is_null() {
            parse_hex_v(rs, "redeemScript")?
        } else {
            parse_hex_v(ws, "witnessScript")?
        });
        provider
            .scripts
            .entry(hash160_of(script.as_bytes()))
            .or_insert_with(|| script.clone());
        let wsh = ScriptBuf::new_p2wsh(&script.wscript_hash());
        provider
            .scripts
            .entry(hash160_of(wsh.as_bytes()))
            .or_insert_with(|| wsh.clone());
        if !ws.is_null() && !rs.is_null() && ws.as_str() != rs.as_str() {
            let redeem = ScriptBuf::from_bytes(parse_hex_v(rs, "redeemScript")?);
            if redeem != wsh {
                return Err(RpcError::new(
                    code::INVALID_PARAMETER,
                    "redeemScript does not correspond to witnessScript",
                ));
            }
        }
        let matches = if is_p2sh {
            spk == ScriptBuf::new_p2sh(&script.script_hash())
                || spk == ScriptBuf::new_p2sh(&wsh.script_hash())
        } else {
            spk == wsh
        };
        if !matches {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                "redeemScript/witnessScript does not match scriptPubKey",
            ));
        }
    }
    Ok(())
}

/// Core's `ParseSighashString`: `None` for null, else the named type or Core's error.
pub(super) fn parse_sighash(v: &Value) -> Result<Option<u32>, RpcError> {
    if v.is_null() {
        return Ok(None);
    }
    let s = get_str(v)?;
    let n = match s {
        "DEFAULT" => SIGHASH_DEFAULT,
        "ALL" => SIGHASH_ALL,
        "ALL|ANYONECANPAY" => SIGHASH_ALL | SIGHASH_ANYONECANPAY,
        "NONE" => 2,
        "NONE|ANYONECANPAY" => 2 | SIGHASH_ANYONECANPAY,
        "SINGLE" => SIGHASH_SINGLE,
        "SINGLE|ANYONECANPAY" => SIGHASH_SINGLE | SIGHASH_ANYONECANPAY,
        _ => {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                format!("'{s}' is not a valid sighash parameter."),
            ));
        }
    };
    Ok(Some(n))
}

/// Core's `SignTransaction` then `SignTransactionResultToJSON`: signs what the keys can,
/// reporting each input that does not verify.
fn sign_transaction(
    mut tx: Transaction,
    provider: &Provider,
    coins: &BTreeMap<OutPoint, Option<TxOut>>,
    hash_type: u32,
) -> RpcResult {
    let single = hash_type & !SIGHASH_ANYONECANPAY == SIGHASH_SINGLE;
    let coin = |o: &OutPoint| coins.get(o).cloned().flatten();
    let spent: Option<Vec<TxOut>> = tx.input.iter().map(|i| coin(&i.previous_output)).collect();
    let mut errors: BTreeMap<usize, String> = BTreeMap::new();
    for i in 0..tx.input.len() {
        let Some(txout) = coin(&tx.input[i].previous_output) else {
            errors.insert(i, "Input not found or already spent".to_owned());
            continue;
        };
        let amount = txout.value.to_sat() as i64;
        let mut sigdata = data_from_transaction(&tx, i, &txout);
        if !single || i < tx.output.len() {
            let spent_data = match &spent {
                Some(all) => SpentData::All(all),
                None => SpentData::Partial,
            };
            let creator = Creator::Tx {
                tx: &tx,
                index: i,
                amount,
                spent: spent_data,
                hash_type,
            };
            produce_signature(provider, &creator, &txout.script_pubkey, &mut sigdata);
        }
        tx.input[i].script_sig = sigdata.script_sig.clone();
        tx.input[i].witness = Witness::from_slice(&sigdata.script_witness);
        if amount == MAX_MONEY && !tx.input[i].witness.is_empty() {
            let spk = txout.script_pubkey.as_bytes().to_lower_hex_string();
            return Err(RpcError::new(
                code::TYPE_ERROR,
                format!(
                    "Missing amount for CTxOut(nValue={}.{:08}, scriptPubKey={})",
                    amount / 100_000_000,
                    amount % 100_000_000,
                    &spk[..spk.len().min(30)]
                ),
            ));
        }
        if sigdata.complete {
            errors.remove(&i);
            continue;
        }
        let spent_data = match &spent {
            Some(all) => SpentData::All(all),
            None => SpentData::Partial,
        };
        let witness = tx.input[i].witness.to_vec();
        match verify_script(
            &tx,
            i,
            &tx.input[i].script_sig,
            &witness,
            &txout,
            spent_data,
        ) {
            Ok(()) => {
                errors.remove(&i);
            }
            Err(e) => {
                let message = if e == ERR_INVALID_STACK_OPERATION {
                    "Unable to sign input, invalid stack size (possibly missing key)".to_owned()
                } else if e == ERR_SIG_NULLFAIL {
                    "CHECK(MULTI)SIG failing with non-zero signature (possibly need more signatures)"
                        .to_owned()
                } else {
                    e
                };
                errors.insert(i, message);
            }
        }
    }
    let complete = errors.is_empty();
    let mut result = Map::new();
    result.insert("hex".into(), tx_hex(&tx).into());
    result.insert("complete".into(), complete.into());
    if !errors.is_empty() {
        let list = errors
            .iter()
            .map(|(&i, message)| {
                let input = &tx.input[i];
                json!({
                    "txid": input.previous_output.txid.to_string(),
                    "vout": input.previous_output.vout,
                    "witness": input.witness.iter().map(|w| w.to_lower_hex_string()).collect::<Vec<_>>(),
                    "scriptSig": input.script_sig.as_bytes().to_lower_hex_string(),
                    "sequence": input.sequence.0,
                    "error": message,
                })
            })
            .collect();
        result.insert("errors".into(), Value::Array(list));
    }
    Ok(Value::Object(result))
}

/// `signrawtransactionwithkey "hexstring" ["privatekey",...] ( [prevtx,...] "sighashtype" )`.
fn signrawtransactionwithkey(ctx: &NodeContext, req: &Request) -> RpcResult {
    let tx = decode_hex_tx(get_str(req.param(0))?, true, true).ok_or_else(|| {
        RpcError::new(
            code::DESERIALIZATION_ERROR,
            "TX decode failed. Make sure the tx has at least one input.",
        )
    })?;
    let network = super::network(ctx.params.chain);
    let mut provider = Provider::default();
    for k in get_array(req.param(1))? {
        let key = decode_secret(get_str(k)?, network)
            .ok_or_else(|| RpcError::new(code::INVALID_ADDRESS_OR_KEY, "Invalid private key"))?;
        provider.add_key(key);
    }
    let mut coins = find_coins(ctx, tx.input.iter().map(|i| i.previous_output));
    parse_prevouts(req.param(2), &mut provider, &mut coins)?;
    let hash_type = parse_sighash(req.param(3))?.unwrap_or(SIGHASH_DEFAULT);
    sign_transaction(tx, &provider, &coins, hash_type)
}

/// `combinerawtransaction ["hexstring",...]`: the first transaction with every input's
/// signatures from all of them merged (Core's `DataFromTransaction`, then
/// `ProduceSignature` without keys).
fn combinerawtransaction(ctx: &NodeContext, req: &Request) -> RpcResult {
    let txs = get_array(req.param(0))?;
    let mut variants = Vec::with_capacity(txs.len());
    for (i, hex) in txs.iter().enumerate() {
        let tx = decode_hex_tx(get_str(hex)?, true, true).ok_or_else(|| {
            RpcError::new(
                code::DESERIALIZATION_ERROR,
                format!("TX decode failed for tx {i}. Make sure the tx has at least one input."),
            )
        })?;
        variants.push(tx);
    }
    let Some(first) = variants.first() else {
        return Err(RpcError::new(
            code::DESERIALIZATION_ERROR,
            "Missing transactions",
        ));
    };
    let mut merged = first.clone();
    let coins = find_coins(ctx, merged.input.iter().map(|i| i.previous_output));
    let provider = Provider::default();
    for i in 0..merged.input.len() {
        let Some(txout) = coins
            .get(&merged.input[i].previous_output)
            .cloned()
            .flatten()
        else {
            return Err(RpcError::new(
                code::VERIFY_ERROR,
                "Input not found or already spent",
            ));
        };
        let mut sigdata = SigData::default();
        for v in &variants {
            if v.input.len() > i {
                sigdata.merge(data_from_transaction(v, i, &txout));
            }
        }
        let creator = Creator::Tx {
            tx: &merged,
            index: i,
            amount: txout.value.to_sat() as i64,
            spent: SpentData::None,
            hash_type: SIGHASH_ALL,
        };
        produce_signature(&provider, &creator, &txout.script_pubkey, &mut sigdata);
        merged.input[i].script_sig = sigdata.script_sig;
        merged.input[i].witness = Witness::from_slice(&sigdata.script_witness);
    }
    Ok(Value::String(tx_hex(&merged)))
}

/// Core's help texts, verbatim (`umkoin-cli help <command>`).
mod help {
    /// `help createrawtransaction`, as Core prints it.
    pub(super) const CREATERAWTRANSACTION: &str = r#"createrawtransaction [{"txid":"hex","vout":n,"sequence":n},...] [{"address":amount,...},{"data":"hex"},...] ( locktime replaceable version )

Create a transaction spending the given inputs and creating new outputs.
Outputs can be addresses or data.
Returns hex-encoded raw transaction.
Note that the transaction's inputs are not signed, and
it is not stored in the wallet or transmitted to the network.

Arguments:
1. inputs                      (json array, required) The inputs
     [
       {                       (json object)
         "txid": "hex",        (string, required) The transaction id
         "vout": n,            (numeric, required) The output number
         "sequence": n,        (numeric, optional, default=depends on the value of the 'replaceable' and 'locktime' arguments) The sequence number
       },
       ...
     ]
2. outputs                     (json array, required) The outputs specified as key-value pairs.
                               Each key may only appear once, i.e. there can only be one 'data' output, and no address may be duplicated.
                               At least one output of either type must be specified.
                               For compatibility reasons, a dictionary, which holds the key-value pairs directly, is also
                               accepted as second parameter.
     [
       {                       (json object)
         "address": amount,    (numeric or string, required) A key-value pair. The key (string) is the umkoin address, the value (float or string) is the amount in UMK
         ...
       },
       {                       (json object)
         "data": "hex",        (string, required) A key-value pair. The key must be "data", the value is hex-encoded data that becomes a part of an OP_RETURN output
       },
       ...
     ]
3. locktime                    (numeric, optional, default=0) Raw locktime. Non-0 value also locktime-activates inputs
4. replaceable                 (boolean, optional, default=true) Marks this transaction as BIP125-replaceable.
                               Allows this transaction to be replaced by a transaction with higher fees. If provided, it is an error if explicit sequence numbers are incompatible.
5. version                     (numeric, optional, default=2) Transaction version

Result:
"hex"    (string) hex string of the transaction

Examples:
> umkoin-cli createrawtransaction "[{\"txid\":\"myid\",\"vout\":0}]" "[{\"address\":0.01}]"
> umkoin-cli createrawtransaction "[{\"txid\":\"myid\",\"vout\":0}]" "[{\"data\":\"00010203\"}]"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "createrawtransaction", "params": ["[{\"txid\":\"myid\",\"vout\":0}]", "[{\"address\":0.01}]"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "createrawtransaction", "params": ["[{\"txid\":\"myid\",\"vout\":0}]", "[{\"data\":\"00010203\"}]"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

    /// `help signrawtransactionwithkey`, as Core prints it.
    pub(super) const SIGNRAWTRANSACTIONWITHKEY: &str = r#"signrawtransactionwithkey "hexstring" ["privatekey",...] ( [{"txid":"hex","vout":n,"scriptPubKey":"hex","redeemScript":"hex","witnessScript":"hex","amount":amount},...] "sighashtype" )

Sign inputs for raw transaction (serialized, hex-encoded).
The second argument is an array of base58-encoded private
keys that will be the only keys used to sign the transaction.
The third optional argument (may be null) is an array of previous transaction outputs that
this transaction depends on but may not yet be in the block chain.

Arguments:
1. hexstring                        (string, required) The transaction hex string
2. privkeys                         (json array, required) The base58-encoded private keys for signing
     [
       "privatekey",                (string) private key in base58-encoding
       ...
     ]
3. prevtxs                          (json array, optional) The previous dependent transaction outputs
     [
       {                            (json object)
         "txid": "hex",             (string, required) The transaction id
         "vout": n,                 (numeric, required) The output number
         "scriptPubKey": "hex",     (string, required) output script
         "redeemScript": "hex",     (string, optional) (required for P2SH) redeem script
         "witnessScript": "hex",    (string, optional) (required for P2WSH or P2SH-P2WSH) witness script
         "amount": amount,          (numeric or string, optional) (required for Segwit inputs) the amount spent
       },
       ...
     ]
4. sighashtype                      (string, optional, default="DEFAULT for Taproot, ALL otherwise") The signature hash type. Must be one of:
                                    "DEFAULT"
                                    "ALL"
                                    "NONE"
                                    "SINGLE"
                                    "ALL|ANYONECANPAY"
                                    "NONE|ANYONECANPAY"
                                    "SINGLE|ANYONECANPAY"
                                    

Result:
{                             (json object)
  "hex" : "hex",              (string) The hex-encoded raw transaction with signature(s)
  "complete" : true|false,    (boolean) If the transaction has a complete set of signatures
  "errors" : [                (json array, optional) Script verification errors (if there are any)
    {                         (json object)
      "txid" : "hex",         (string) The hash of the referenced, previous transaction
      "vout" : n,             (numeric) The index of the output to spent and used as input
      "witness" : [           (json array)
        "hex",                (string)
        ...
      ],
      "scriptSig" : "hex",    (string) The hex-encoded signature script
      "sequence" : n,         (numeric) Script sequence number
      "error" : "str"         (string) Verification or signing error related to the input
    },
    ...
  ]
}

Examples:
> umkoin-cli signrawtransactionwithkey "myhex" "[\"key1\",\"key2\"]"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "signrawtransactionwithkey", "params": ["myhex", "[\"key1\",\"key2\"]"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

    /// `help combinerawtransaction`, as Core prints it.
    pub(super) const COMBINERAWTRANSACTION: &str = r#"combinerawtransaction ["hexstring",...]

Combine multiple partially signed transactions into one transaction.
The combined transaction may be another partially signed transaction or a 
fully signed transaction.

Arguments:
1. txs                 (json array, required) The hex strings of partially signed transactions
     [
       "hexstring",    (string) A hex-encoded raw transaction
       ...
     ]

Result:
"str"    (string) The hex-encoded raw transaction with signature(s)

Examples:
> umkoin-cli combinerawtransaction '["myhex1", "myhex2", "myhex3"]'
"#;
}

#[cfg(test)]
mod tests {
    //! Core's encodings and argument readings; each expectation was checked against
    //! Umkoin Core v31.0.

    use super::*;

    #[test]
    fn push_all_uses_small_number_opcodes() {
        let s = push_all(&[vec![], vec![1], vec![16], vec![17], vec![0x81], vec![0; 80]]);
        let mut want = vec![0x00, 0x51, 0x60, 0x01, 0x11, 0x4f, 0x4c, 80];
        want.extend([0; 80]);
        assert_eq!(s.as_bytes(), want);
    }

    #[test]
    fn transactions_without_witnesses_are_written_the_legacy_way() {
        let tx = Transaction {
            version: transaction::Version(3),
            lock_time: absolute::LockTime::ZERO,
            input: Vec::new(),
            output: Vec::new(),
        };
        assert_eq!(tx_hex(&tx), "03000000000000000000");
    }

    #[test]
    fn sighash_names_are_cores() {
        assert_eq!(parse_sighash(&Value::Null).unwrap(), None);
        assert_eq!(
            parse_sighash(&json!("ALL|ANYONECANPAY")).unwrap(),
            Some(0x81)
        );
        let e = parse_sighash(&json!("ALL|NONE")).unwrap_err();
        assert_eq!(e.message, "'ALL|NONE' is not a valid sighash parameter.");
    }

    #[test]
    fn addresses_are_checked_against_the_chain() {
        let regtest = |s| decode_destination(s, Network::Regtest);
        assert!(regtest("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080").is_some());
        assert!(regtest("mg8Jz5776UdyiYcBb9Z873NTozEiADRW5H").is_some());
        assert!(regtest("2N74VLxyT79VGHiBK2zEg3a9HJG7rEc5F3o").is_some());
        assert!(regtest("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx").is_none());
        assert!(regtest("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2").is_none());
    }

    #[test]
    fn txids_are_read_as_parse_hash_v() {
        let e = parse_txid(&json!("zz"), "txid").unwrap_err();
        assert_eq!(e.message, "txid must be of length 64 (not 2, for 'zz')");
        let e = parse_txid(&json!(1), "txid").unwrap_err();
        assert_eq!(e.code, code::TYPE_ERROR);
    }
}
