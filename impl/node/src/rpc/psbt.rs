//! Core's PSBT commands that need no wallet: `createpsbt`, `decodepsbt`, `combinepsbt`,
//! `finalizepsbt` and `analyzepsbt` (`rpc/rawtransaction.cpp`, `psbt.cpp`,
//! `node/psbt.cpp`).
//!
//! A PSBT is held as rust-bitcoin's [`Psbt`], read and written the way Core's `psbt.h`
//! reads and writes it (`psbt_codec.rs`): Core's field order and map orders, its checks
//! and its error texts (with the `: iostream error` its stream exceptions carry), and its
//! merging rules (which keep the first of two conflicting values and leave proprietary
//! fields and sighash types out). What rust-bitcoin's model has no room for is kept beside
//! it: the taproot tree of an output as its leaves came (rust-bitcoin reorders them) and
//! the MuSig2 fields. Signing, finalizing and analysis are Core's `SignPSBTInput` over the
//! signing logic of [`super::rawtx_create`]; decodepsbt's JSON is Core's.

use std::collections::{BTreeMap, BTreeSet};

use bitcoin::bip32::{DerivationPath, KeySource};
use bitcoin::hashes::Hash;
use bitcoin::hex::DisplayHex;
use bitcoin::key::XOnlyPublicKey;
use bitcoin::psbt::{Input, Output, Psbt, PsbtSighashType, raw};
use bitcoin::taproot::TapLeafHash;
use bitcoin::{OutPoint, ScriptBuf, TxOut, Witness};
use serde_json::{Map, Value, json};
use umkoin_interfaces::rpc::code;

use super::json::amount;
use super::rawtx_create::{
    self, Creator, Provider, SIGHASH_ALL, SIGHASH_DEFAULT, SigData, SpentData, get_array,
    hash160_of, money_range,
};
use super::txjson;
use super::{Arg, ArgType, Command, Request, RpcError, RpcResult};
use crate::context::NodeContext;

#[path = "psbt_codec.rs"]
mod codec;

use codec::{
    CorePsbt, InputExtra, OutputExtra, decode_psbt_arg, encode_psbt, full_pubkey,
    grouped_tap_scripts, merge_psbt, sorted_partial_sigs, sorted_proprietary, sorted_xpubs,
    unknown_bytes,
};

/// The commands of this module.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        category: "rawtransactions",
        name: "createpsbt",
        args: rawtx_create::CREATE_TX_ARGS,
        help: help::CREATEPSBT,
        handler: createpsbt,
    },
    Command {
        category: "rawtransactions",
        name: "decodepsbt",
        args: &[Arg::required("psbt", ArgType::Str)],
        help: help::DECODEPSBT,
        handler: decodepsbt,
    },
    Command {
        category: "rawtransactions",
        name: "combinepsbt",
        args: &[Arg::required("txs", ArgType::Arr)],
        help: help::COMBINEPSBT,
        handler: combinepsbt,
    },
    Command {
        category: "rawtransactions",
        name: "finalizepsbt",
        args: &[
            Arg::required("psbt", ArgType::Str),
            Arg::optional("extract", ArgType::Bool),
        ],
        help: help::FINALIZEPSBT,
        handler: finalizepsbt,
    },
    Command {
        category: "rawtransactions",
        name: "analyzepsbt",
        args: &[Arg::required("psbt", ArgType::Str)],
        help: help::ANALYZEPSBT,
        handler: analyzepsbt,
    },
];

// ---------------------------------------------------------------------------------------
// Signing, finalizing, analysing (Core's SignPSBTInput and its callers)
// ---------------------------------------------------------------------------------------

/// Core's `PSBTError` as `SignPSBTInput` returns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PsbtError {
    Ok,
    MissingInputs,
    SighashMismatch,
    Incomplete,
}

/// Core's `GetInputUTXO`: the non-witness UTXO's output (if it is the right transaction
/// and has the output), else the witness UTXO.
fn input_utxo(p: &Psbt, i: usize) -> Option<TxOut> {
    let input = &p.inputs[i];
    let prevout = p.unsigned_tx.input[i].previous_output;
    if let Some(tx) = &input.non_witness_utxo {
        if tx.compute_txid() != prevout.txid {
            return None;
        }
        return tx.output.get(prevout.vout as usize).cloned();
    }
    input.witness_utxo.clone()
}

/// Core's `PrecomputePSBTData`: every spent output if all are known.
fn precompute(p: &Psbt) -> Option<Vec<TxOut>> {
    (0..p.inputs.len()).map(|i| input_utxo(p, i)).collect()
}

/// The signature checker's data for `spent` (`PrecomputedTransactionData`).
fn spent_data(spent: &Option<Vec<TxOut>>) -> SpentData<'_> {
    match spent {
        Some(all) => SpentData::All(all),
        None => SpentData::Partial,
    }
}

/// Core's `PSBTInputSignedAndVerified`: the final scriptSig and witness verify.
fn input_signed_and_verified(p: &Psbt, i: usize, spent: SpentData<'_>) -> bool {
    let Some(utxo) = input_utxo(p, i) else {
        return false;
    };
    let input = &p.inputs[i];
    let script_sig = input.final_script_sig.clone().unwrap_or_default();
    let witness = input
        .final_script_witness
        .as_ref()
        .map(Witness::to_vec)
        .unwrap_or_default();
    rawtx_create::verify_script(&p.unsigned_tx, i, &script_sig, &witness, &utxo, spent).is_ok()
}

/// Core's `PSBTInput::FillSignatureData`.
fn fill_signature_data(input: &Input) -> SigData {
    let mut d = SigData::default();
    if let Some(s) = &input.final_script_sig {
        d.script_sig = s.clone();
        d.complete = true;
    }
    if let Some(w) = &input.final_script_witness {
        d.script_witness = w.to_vec();
        d.complete = true;
    }
    if d.complete {
        return d;
    }
    for (pk, sig) in &input.partial_sigs {
        let bytes = pk.to_bytes();
        d.signatures
            .insert(hash160_of(&bytes), (bytes, sig.to_vec()));
    }
    if let Some(s) = &input.redeem_script {
        d.redeem_script = s.clone();
    }
    if let Some(s) = &input.witness_script {
        d.witness_script = s.clone();
    }
    for pk in input.bip32_derivation.keys() {
        let bytes = pk.serialize().to_vec();
        d.misc_pubkeys.entry(hash160_of(&bytes)).or_insert(bytes);
    }
    if let Some(sig) = &input.tap_key_sig {
        d.taproot_key_path_sig = sig.to_vec();
    }
    for ((pk, leaf), sig) in &input.tap_script_sigs {
        d.taproot_script_sigs
            .insert((pk.serialize(), leaf.to_byte_array()), sig.to_vec());
    }
    if let Some(k) = &input.tap_internal_key {
        d.tr_internal_key = k.serialize();
    }
    if let Some(r) = &input.tap_merkle_root {
        d.tr_merkle_root = r.to_byte_array();
    }
    d.tr_scripts = grouped_tap_scripts(input);
    for pk in input.tap_key_origins.keys() {
        let x = pk.serialize();
        d.tap_pubkeys.entry(hash160_of(&x)).or_insert(x);
    }
    for (h, p) in &input.ripemd160_preimages {
        d.ripemd160_preimages
            .insert(h.to_byte_array().to_vec(), p.clone());
    }
    for (h, p) in &input.sha256_preimages {
        d.sha256_preimages
            .insert(h.to_byte_array().to_vec(), p.clone());
    }
    for (h, p) in &input.hash160_preimages {
        d.hash160_preimages
            .insert(h.to_byte_array().to_vec(), p.clone());
    }
    for (h, p) in &input.hash256_preimages {
        d.hash256_preimages
            .insert(h.to_byte_array().to_vec(), p.clone());
    }
    d
}

/// Core's `PSBTInput::FromSignatureData`.
fn from_signature_data(input: &mut Input, d: &SigData) {
    if d.complete {
        input.partial_sigs.clear();
        input.bip32_derivation.clear();
        input.redeem_script = None;
        input.witness_script = None;
        if !d.script_sig.is_empty() {
            input.final_script_sig = Some(d.script_sig.clone());
        }
        if !d.script_witness.is_empty() {
            input.final_script_witness = Some(Witness::from_slice(&d.script_witness));
        }
        return;
    }
    for (pk, sig) in d.signatures.values() {
        if let (Some(pk), Ok(sig)) = (full_pubkey(pk), bitcoin::ecdsa::Signature::from_slice(sig)) {
            input.partial_sigs.entry(pk).or_insert(sig);
        }
    }
    if input.redeem_script.is_none() && !d.redeem_script.is_empty() {
        input.redeem_script = Some(d.redeem_script.clone());
    }
    if input.witness_script.is_none() && !d.witness_script.is_empty() {
        input.witness_script = Some(d.witness_script.clone());
    }
    if !d.taproot_key_path_sig.is_empty()
        && let Ok(sig) = bitcoin::taproot::Signature::from_slice(&d.taproot_key_path_sig)
    {
        input.tap_key_sig = Some(sig);
    }
    for ((pk, leaf), sig) in &d.taproot_script_sigs {
        if let (Ok(pk), Ok(sig)) = (
            XOnlyPublicKey::from_slice(pk),
            bitcoin::taproot::Signature::from_slice(sig),
        ) {
            input
                .tap_script_sigs
                .entry((pk, TapLeafHash::from_byte_array(*leaf)))
                .or_insert(sig);
        }
    }
}

/// Core's `SignPSBTInput` with no keys (`DUMMY_SIGNING_PROVIDER`): `spent` is the
/// precomputed data (`None`: none, so `DUMMY_SIGNATURE_CREATOR` signs); `out` receives
/// what is missing.
fn sign_psbt_input(
    p: &mut Psbt,
    i: usize,
    spent: Option<&Option<Vec<TxOut>>>,
    sighash: Option<u32>,
    finalize: bool,
    out: Option<&mut SigData>,
) -> PsbtError {
    let checker_data = spent.map_or(SpentData::None, spent_data);
    if input_signed_and_verified(p, i, checker_data) {
        return PsbtError::Ok;
    }
    let mut sigdata = fill_signature_data(&p.inputs[i]);
    let prevout = p.unsigned_tx.input[i].previous_output;
    let mut require_witness_sig = false;
    let utxo = if let Some(tx) = &p.inputs[i].non_witness_utxo {
        match tx.output.get(prevout.vout as usize) {
            Some(o) if tx.compute_txid() == prevout.txid => o.clone(),
            _ => return PsbtError::MissingInputs,
        }
    } else if let Some(o) = &p.inputs[i].witness_utxo {
        require_witness_sig = true;
        o.clone()
    } else {
        return PsbtError::MissingInputs;
    };
    let is_taproot = utxo.script_pubkey.is_p2tr();
    let sighash = sighash.unwrap_or(if is_taproot {
        SIGHASH_DEFAULT
    } else {
        SIGHASH_ALL
    });
    let input = &mut p.inputs[i];
    if input.sighash_type.is_some_and(|t| t.to_u32() != sighash) {
        return PsbtError::SighashMismatch;
    }
    let set_field = if is_taproot {
        sighash != SIGHASH_DEFAULT
    } else {
        sighash != SIGHASH_DEFAULT && sighash != SIGHASH_ALL
    };
    if set_field {
        input.sighash_type = Some(PsbtSighashType::from_u32(sighash));
    }
    let tap_sigs_bytes: Vec<Vec<u8>> = input.tap_script_sigs.values().map(|s| s.to_vec()).collect();
    let key_sig = input.tap_key_sig.map(|s| s.to_vec());
    if sighash == SIGHASH_DEFAULT {
        if key_sig.as_ref().is_some_and(|s| s.len() != 64)
            || tap_sigs_bytes.iter().any(|s| s.len() != 64)
        {
            return PsbtError::SighashMismatch;
        }
    } else {
        let matches =
            |s: &Vec<u8>| s.len() == 65 && s.last().map(|b| u32::from(*b)) == Some(sighash);
        if key_sig.as_ref().is_some_and(|s| !matches(s))
            || tap_sigs_bytes.iter().any(|s| !matches(s))
            || input
                .partial_sigs
                .values()
                .any(|s| s.to_vec().last().map(|b| u32::from(*b)) != Some(sighash))
        {
            return PsbtError::SighashMismatch;
        }
    }
    sigdata.witness = false;
    let provider = Provider::default();
    let sig_complete = match spent {
        None => rawtx_create::produce_signature(
            &provider,
            &Creator::Dummy,
            &utxo.script_pubkey,
            &mut sigdata,
        ),
        Some(all) => {
            let creator = Creator::Tx {
                tx: &p.unsigned_tx,
                index: i,
                amount: utxo.value.to_sat() as i64,
                spent: spent_data(all),
                hash_type: sighash,
            };
            rawtx_create::produce_signature(&provider, &creator, &utxo.script_pubkey, &mut sigdata)
        }
    };
    if require_witness_sig && !sigdata.witness {
        return PsbtError::Incomplete;
    }
    if !finalize && sigdata.complete {
        sigdata.complete = false;
    }
    let input = &mut p.inputs[i];
    from_signature_data(input, &sigdata);
    if sigdata.witness {
        input.witness_utxo = Some(utxo);
    }
    if let Some(out) = out {
        out.missing_pubkeys = sigdata.missing_pubkeys;
        out.missing_sigs = sigdata.missing_sigs;
        out.missing_redeem_script = sigdata.missing_redeem_script;
        out.missing_witness_script = sigdata.missing_witness_script;
    }
    if sig_complete {
        PsbtError::Ok
    } else {
        PsbtError::Incomplete
    }
}

/// Core's `FinalizePSBT`: every input finalized as far as its data allows; whether all
/// are complete.
fn finalize(p: &mut CorePsbt) -> bool {
    let spent = precompute(&p.psbt);
    let mut complete = true;
    for i in 0..p.psbt.inputs.len() {
        let sighash = p.psbt.inputs[i].sighash_type.map(|t| t.to_u32());
        complete &=
            sign_psbt_input(&mut p.psbt, i, Some(&spent), sighash, true, None) == PsbtError::Ok;
    }
    complete
}

/// Core's `PSBTRole` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Creator,
    Updater,
    Signer,
    Finalizer,
    Extractor,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Creator => "creator",
            Role::Updater => "updater",
            Role::Signer => "signer",
            Role::Finalizer => "finalizer",
            Role::Extractor => "extractor",
        }
    }
}

/// Core's `AnalyzePSBT`, as `analyzepsbt` writes it.
fn analyze(mut p: CorePsbt) -> Value {
    let invalid = |error: String| json!({"next": Role::Creator.name(), "error": error});
    let spent = precompute(&p.psbt);
    let n = p.psbt.inputs.len();
    let mut inputs = Vec::with_capacity(n);
    let mut roles = Vec::with_capacity(n);
    let mut calc_fee = true;
    let mut in_amt: i64 = 0;
    for i in 0..n {
        let mut next = Role::Extractor;
        let mut has_utxo = false;
        let mut is_final = false;
        let utxo = input_utxo(&p.psbt, i);
        match &utxo {
            Some(u) => {
                let v = u.value.to_sat() as i64;
                if !money_range(v) || !money_range(in_amt + v) {
                    return invalid(format!("PSBT is not valid. Input {i} has invalid value"));
                }
                in_amt += v;
                has_utxo = true;
            }
            None => {
                let prevout = p.psbt.unsigned_tx.input[i].previous_output;
                if p.psbt.inputs[i]
                    .non_witness_utxo
                    .as_ref()
                    .is_some_and(|tx| prevout.vout as usize >= tx.output.len())
                {
                    return invalid(format!(
                        "PSBT is not valid. Input {i} specifies invalid prevout"
                    ));
                }
                next = Role::Updater;
                calc_fee = false;
            }
        }
        if utxo
            .as_ref()
            .is_some_and(|u| u.script_pubkey.is_op_return() || u.script_pubkey.len() > 10_000)
        {
            return invalid(format!(
                "PSBT is not valid. Input {i} spends unspendable output"
            ));
        }
        let mut missing = Map::new();
        if !input_signed_and_verified(&p.psbt, i, spent_data(&spent)) {
            is_final = false;
            let mut out = SigData::default();
            let complete =
                sign_psbt_input(&mut p.psbt, i, Some(&spent), None, true, Some(&mut out))
                    == PsbtError::Ok;
            if complete {
                next = Role::Finalizer;
            } else {
                let hex20 = |ids: &[[u8; 20]]| {
                    Value::Array(ids.iter().map(|k| k.to_lower_hex_string().into()).collect())
                };
                if !out.missing_pubkeys.is_empty() {
                    missing.insert("pubkeys".into(), hex20(&out.missing_pubkeys));
                }
                if out.missing_redeem_script != [0; 20] {
                    missing.insert(
                        "redeemscript".into(),
                        out.missing_redeem_script.to_lower_hex_string().into(),
                    );
                }
                if out.missing_witness_script != [0; 32] {
                    missing.insert(
                        "witnessscript".into(),
                        out.missing_witness_script.to_lower_hex_string().into(),
                    );
                }
                if !out.missing_sigs.is_empty() {
                    missing.insert("signatures".into(), hex20(&out.missing_sigs));
                }
                next = if out.missing_pubkeys.is_empty()
                    && out.missing_redeem_script == [0; 20]
                    && out.missing_witness_script == [0; 32]
                    && !out.missing_sigs.is_empty()
                {
                    Role::Signer
                } else {
                    Role::Updater
                };
            }
        } else if utxo.is_some() {
            is_final = true;
        }
        let mut entry = Map::new();
        entry.insert("has_utxo".into(), has_utxo.into());
        entry.insert("is_final".into(), is_final.into());
        entry.insert("next".into(), next.name().into());
        if !missing.is_empty() {
            entry.insert("missing".into(), Value::Object(missing));
        }
        inputs.push(Value::Object(entry));
        roles.push(next);
    }
    let next = roles.iter().copied().min().unwrap_or(Role::Extractor);
    let mut result = Map::new();
    if !inputs.is_empty() {
        result.insert("inputs".into(), Value::Array(inputs));
    }
    if calc_fee {
        let mut out_amt: i64 = 0;
        for o in &p.psbt.unsigned_tx.output {
            let v = o.value.to_sat() as i64;
            if !money_range(out_amt) || !money_range(v) || !money_range(out_amt + v) {
                out_amt = -1;
            } else {
                out_amt += v;
            }
        }
        if !money_range(out_amt) {
            return invalid("PSBT is not valid. Output amount invalid".to_owned());
        }
        let fee = in_amt - out_amt;
        // Size: the transaction with every input finalized by dummy signatures.
        let mut tx = p.psbt.unsigned_tx.clone();
        let mut coins = BTreeMap::new();
        let mut success = true;
        for i in 0..n {
            let ok = sign_psbt_input(&mut p.psbt, i, None, None, true, None) == PsbtError::Ok;
            let utxo = input_utxo(&p.psbt, i);
            let (true, Some(utxo)) = (ok, utxo) else {
                success = false;
                break;
            };
            let input = &p.psbt.inputs[i];
            tx.input[i].script_sig = input.final_script_sig.clone().unwrap_or_default();
            tx.input[i].witness = input.final_script_witness.clone().unwrap_or_default();
            coins.insert(tx.input[i].previous_output, utxo);
        }
        if success {
            // Core's `GetTransactionWeight`, of its serializations (rust-bitcoin's marks a
            // transaction without inputs as segwit).
            let weight = (rawtx_create::tx_bytes(&tx, false).len() * 3
                + rawtx_create::tx_bytes(&tx, true).len()) as u64;
            let sigops = tx.total_sigop_cost(|o| coins.get(o).cloned()) as u64;
            let vsize = crate::standard::virtual_size(
                weight,
                sigops,
                crate::standard::DEFAULT_BYTES_PER_SIGOP,
            );
            result.insert("estimated_vsize".into(), vsize.into());
            let per_k = (i128::from(fee) * 1000).div_euclid(i128::from(vsize.max(1)));
            result.insert("estimated_feerate".into(), amount(per_k as i64));
        }
        result.insert("fee".into(), amount(fee));
    }
    result.insert("next".into(), next.name().into());
    Value::Object(result)
}

// ---------------------------------------------------------------------------------------
// decodepsbt's JSON
// ---------------------------------------------------------------------------------------

/// Core's `WriteHDKeypath` (hardened steps marked `h`).
fn write_hd_keypath(path: &DerivationPath) -> String {
    let mut s = String::from("m");
    for c in path.as_ref() {
        let n = u32::from(*c);
        s.push_str(&format!("/{}", n & 0x7fff_ffff));
        if n >> 31 != 0 {
            s.push('h');
        }
    }
    s
}

/// `ScriptToUniv(script, out)`: asm, hex, type.
fn script_json(script: &ScriptBuf) -> Value {
    json!({
        "asm": txjson::script_to_asm(script, false),
        "hex": script.as_bytes().to_lower_hex_string(),
        "type": crate::standard::solver(script).0.name(),
    })
}

/// Core's `SighashToStr` of the low byte.
fn sighash_name(t: u32) -> &'static str {
    match t as u8 {
        0x01 => "ALL",
        0x81 => "ALL|ANYONECANPAY",
        0x02 => "NONE",
        0x82 => "NONE|ANYONECANPAY",
        0x03 => "SINGLE",
        0x83 => "SINGLE|ANYONECANPAY",
        _ => "",
    }
}

/// Proprietary entries as Core lists them.
fn proprietary_json(map: &BTreeMap<raw::ProprietaryKey, Vec<u8>>) -> Value {
    Value::Array(
        sorted_proprietary(map)
            .into_iter()
            .map(|(k, p, v)| {
                json!({
                    "identifier": p.prefix.to_lower_hex_string(),
                    "subtype": p.subtype,
                    "key": k.to_lower_hex_string(),
                    "value": v.to_lower_hex_string(),
                })
            })
            .collect(),
    )
}

/// Unknown entries as Core lists them.
fn unknown_json(map: &BTreeMap<raw::Key, Vec<u8>>) -> Value {
    Value::Object(
        unknown_bytes(map)
            .into_iter()
            .map(|(k, v)| (k.to_lower_hex_string(), v.to_lower_hex_string().into()))
            .collect(),
    )
}

/// BIP32 derivations as Core lists them.
fn keypaths_json(map: &BTreeMap<bitcoin::secp256k1::PublicKey, KeySource>) -> Value {
    Value::Array(
        map.iter()
            .map(|(pk, (fp, path))| {
                json!({
                    "pubkey": pk.serialize().to_lower_hex_string(),
                    "master_fingerprint": fp.to_bytes().to_lower_hex_string(),
                    "path": write_hd_keypath(path),
                })
            })
            .collect(),
    )
}

/// Taproot BIP32 derivations as Core lists them.
fn tap_keypaths_json(map: &BTreeMap<XOnlyPublicKey, (Vec<TapLeafHash>, KeySource)>) -> Value {
    Value::Array(
        map.iter()
            .map(|(pk, (hashes, (fp, path)))| {
                let set: BTreeSet<[u8; 32]> = hashes.iter().map(|h| h.to_byte_array()).collect();
                json!({
                    "pubkey": pk.serialize().to_lower_hex_string(),
                    "master_fingerprint": fp.to_bytes().to_lower_hex_string(),
                    "path": write_hd_keypath(path),
                    "leaf_hashes": set.iter().map(|h| h.to_lower_hex_string()).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// MuSig2 participants as Core lists them.
fn musig_participants_json(map: &BTreeMap<Vec<u8>, Vec<Vec<u8>>>) -> Value {
    Value::Array(
        map.iter()
            .map(|(agg, parts)| {
                json!({
                    "aggregate_pubkey": agg.to_lower_hex_string(),
                    "participant_pubkeys": parts.iter().map(|p| p.to_lower_hex_string()).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// Preimages by hash.
fn preimages_json<'a>(it: impl Iterator<Item = (Vec<u8>, &'a Vec<u8>)>) -> Value {
    Value::Object(
        it.map(|(h, p)| (h.to_lower_hex_string(), p.to_lower_hex_string().into()))
            .collect(),
    )
}

/// `decodepsbt`'s entry for one input; adds its output's value to `total_in` (or clears
/// `have_all`).
fn input_json(
    input: &Input,
    extra: &InputExtra,
    prevout: OutPoint,
    network: bitcoin::Network,
    total_in: &mut i64,
    have_all: &mut bool,
) -> Value {
    let mut o = Map::new();
    let mut txout = None;
    if let Some(u) = &input.witness_utxo {
        o.insert(
            "witness_utxo".into(),
            json!({
                "amount": amount(u.value.to_sat() as i64),
                "scriptPubKey": txjson::script_pubkey_to_json(&u.script_pubkey, network),
            }),
        );
        txout = Some(u.clone());
    }
    if let Some(tx) = &input.non_witness_utxo {
        txout = tx.output.get(prevout.vout as usize).cloned();
        o.insert(
            "non_witness_utxo".into(),
            txjson::tx_to_json(tx, network, false, None, false),
        );
    }
    match txout {
        Some(u) => {
            let v = u.value.to_sat() as i64;
            if money_range(v) && money_range(*total_in + v) {
                *total_in += v;
            } else {
                *have_all = false;
            }
        }
        None => *have_all = false,
    }
    if !input.partial_sigs.is_empty() {
        let sigs: Map<String, Value> = sorted_partial_sigs(input)
            .into_iter()
            .map(|(pk, sig)| (pk.to_lower_hex_string(), sig.to_lower_hex_string().into()))
            .collect();
        o.insert("partial_signatures".into(), Value::Object(sigs));
    }
    if let Some(t) = input.sighash_type {
        o.insert("sighash".into(), sighash_name(t.to_u32()).into());
    }
    if let Some(s) = &input.redeem_script {
        o.insert("redeem_script".into(), script_json(s));
    }
    if let Some(s) = &input.witness_script {
        o.insert("witness_script".into(), script_json(s));
    }
    if !input.bip32_derivation.is_empty() {
        o.insert(
            "bip32_derivs".into(),
            keypaths_json(&input.bip32_derivation),
        );
    }
    if let Some(s) = &input.final_script_sig {
        o.insert(
            "final_scriptSig".into(),
            json!({
                "asm": txjson::script_to_asm(s, true),
                "hex": s.as_bytes().to_lower_hex_string(),
            }),
        );
    }
    if let Some(w) = &input.final_script_witness {
        o.insert(
            "final_scriptwitness".into(),
            Value::Array(w.iter().map(|i| i.to_lower_hex_string().into()).collect()),
        );
    }
    if !input.ripemd160_preimages.is_empty() {
        o.insert(
            "ripemd160_preimages".into(),
            preimages_json(
                input
                    .ripemd160_preimages
                    .iter()
                    .map(|(h, p)| (h.to_byte_array().to_vec(), p)),
            ),
        );
    }
    if !input.sha256_preimages.is_empty() {
        o.insert(
            "sha256_preimages".into(),
            preimages_json(
                input
                    .sha256_preimages
                    .iter()
                    .map(|(h, p)| (h.to_byte_array().to_vec(), p)),
            ),
        );
    }
    if !input.hash160_preimages.is_empty() {
        o.insert(
            "hash160_preimages".into(),
            preimages_json(
                input
                    .hash160_preimages
                    .iter()
                    .map(|(h, p)| (h.to_byte_array().to_vec(), p)),
            ),
        );
    }
    if !input.hash256_preimages.is_empty() {
        o.insert(
            "hash256_preimages".into(),
            preimages_json(
                input
                    .hash256_preimages
                    .iter()
                    .map(|(h, p)| (h.to_byte_array().to_vec(), p)),
            ),
        );
    }
    if let Some(sig) = &input.tap_key_sig {
        o.insert(
            "taproot_key_path_sig".into(),
            sig.to_vec().to_lower_hex_string().into(),
        );
    }
    if !input.tap_script_sigs.is_empty() {
        let sigs: Vec<Value> = input
            .tap_script_sigs
            .iter()
            .map(|((pk, leaf), sig)| {
                json!({
                    "pubkey": pk.serialize().to_lower_hex_string(),
                    "leaf_hash": leaf.to_byte_array().to_lower_hex_string(),
                    "sig": sig.to_vec().to_lower_hex_string(),
                })
            })
            .collect();
        o.insert("taproot_script_path_sigs".into(), Value::Array(sigs));
    }
    if !input.tap_scripts.is_empty() {
        let scripts: Vec<Value> = grouped_tap_scripts(input)
            .into_iter()
            .map(|((script, version), cbs)| {
                json!({
                    "script": script.to_lower_hex_string(),
                    "leaf_ver": version,
                    "control_blocks": cbs.iter().map(|c| c.0.to_lower_hex_string()).collect::<Vec<_>>(),
                })
            })
            .collect();
        o.insert("taproot_scripts".into(), Value::Array(scripts));
    }
    if !input.tap_key_origins.is_empty() {
        o.insert(
            "taproot_bip32_derivs".into(),
            tap_keypaths_json(&input.tap_key_origins),
        );
    }
    if let Some(k) = &input.tap_internal_key {
        o.insert(
            "taproot_internal_key".into(),
            k.serialize().to_lower_hex_string().into(),
        );
    }
    if let Some(r) = &input.tap_merkle_root {
        o.insert(
            "taproot_merkle_root".into(),
            r.to_byte_array().to_lower_hex_string().into(),
        );
    }
    if !extra.musig_participants.is_empty() {
        o.insert(
            "musig2_participant_pubkeys".into(),
            musig_participants_json(&extra.musig_participants),
        );
    }
    if !extra.musig_pubnonces.is_empty() {
        let mut list = Vec::new();
        for ((agg, leaf), nonces) in &extra.musig_pubnonces {
            for (part, nonce) in nonces {
                let mut e = Map::new();
                e.insert(
                    "participant_pubkey".into(),
                    part.to_lower_hex_string().into(),
                );
                e.insert("aggregate_pubkey".into(), agg.to_lower_hex_string().into());
                if *leaf != [0; 32] {
                    e.insert("leaf_hash".into(), leaf.to_lower_hex_string().into());
                }
                e.insert("pubnonce".into(), nonce.to_lower_hex_string().into());
                list.push(Value::Object(e));
            }
        }
        o.insert("musig2_pubnonces".into(), Value::Array(list));
    }
    if !extra.musig_partial_sigs.is_empty() {
        let mut list = Vec::new();
        for ((agg, leaf), sigs) in &extra.musig_partial_sigs {
            for (part, sig) in sigs {
                let mut e = Map::new();
                e.insert(
                    "participant_pubkey".into(),
                    part.to_lower_hex_string().into(),
                );
                e.insert("aggregate_pubkey".into(), agg.to_lower_hex_string().into());
                if *leaf != [0; 32] {
                    e.insert("leaf_hash".into(), leaf.to_lower_hex_string().into());
                }
                e.insert("partial_sig".into(), sig.to_lower_hex_string().into());
                list.push(Value::Object(e));
            }
        }
        o.insert("musig2_partial_sigs".into(), Value::Array(list));
    }
    if !input.proprietary.is_empty() {
        o.insert("proprietary".into(), proprietary_json(&input.proprietary));
    }
    if !input.unknown.is_empty() {
        o.insert("unknown".into(), unknown_json(&input.unknown));
    }
    Value::Object(o)
}

/// `decodepsbt`'s entry for one output.
fn output_json(output: &Output, extra: &OutputExtra) -> Value {
    let mut o = Map::new();
    if let Some(s) = &output.redeem_script {
        o.insert("redeem_script".into(), script_json(s));
    }
    if let Some(s) = &output.witness_script {
        o.insert("witness_script".into(), script_json(s));
    }
    if !output.bip32_derivation.is_empty() {
        o.insert(
            "bip32_derivs".into(),
            keypaths_json(&output.bip32_derivation),
        );
    }
    if let Some(k) = &output.tap_internal_key {
        o.insert(
            "taproot_internal_key".into(),
            k.serialize().to_lower_hex_string().into(),
        );
    }
    if !extra.tap_tree.is_empty() {
        let tree: Vec<Value> = extra
            .tap_tree
            .iter()
            .map(|(depth, version, script)| {
                json!({"depth": depth, "leaf_ver": version, "script": script.to_lower_hex_string()})
            })
            .collect();
        o.insert("taproot_tree".into(), Value::Array(tree));
    }
    if !output.tap_key_origins.is_empty() {
        o.insert(
            "taproot_bip32_derivs".into(),
            tap_keypaths_json(&output.tap_key_origins),
        );
    }
    if !extra.musig_participants.is_empty() {
        o.insert(
            "musig2_participant_pubkeys".into(),
            musig_participants_json(&extra.musig_participants),
        );
    }
    if !output.proprietary.is_empty() {
        o.insert("proprietary".into(), proprietary_json(&output.proprietary));
    }
    if !output.unknown.is_empty() {
        o.insert("unknown".into(), unknown_json(&output.unknown));
    }
    Value::Object(o)
}

// ---------------------------------------------------------------------------------------
// The commands
// ---------------------------------------------------------------------------------------

/// `createpsbt [inputs] [outputs] ( locktime replaceable version )`: a PSBT of the
/// unsigned transaction, with empty input and output maps.
fn createpsbt(ctx: &NodeContext, req: &Request) -> RpcResult {
    let tx = rawtx_create::construct_transaction(ctx, req)?;
    Ok(Value::String(encode_psbt(&CorePsbt::new(tx))))
}

/// `decodepsbt "psbt"`.
fn decodepsbt(ctx: &NodeContext, req: &Request) -> RpcResult {
    let p = decode_psbt_arg(req.param(0))?;
    let network = super::network(ctx.params.chain);
    let mut r = Map::new();
    r.insert(
        "tx".into(),
        txjson::tx_to_json(&p.psbt.unsigned_tx, network, false, None, false),
    );
    let xpubs: Vec<Value> = sorted_xpubs(&p.psbt)
        .into_iter()
        .map(|(x, (fp, path))| {
            json!({
                "xpub": x.to_string(),
                "master_fingerprint": fp.to_bytes().to_lower_hex_string(),
                "path": write_hd_keypath(path),
            })
        })
        .collect();
    r.insert("global_xpubs".into(), Value::Array(xpubs));
    r.insert("psbt_version".into(), p.psbt.version.into());
    r.insert("proprietary".into(), proprietary_json(&p.psbt.proprietary));
    r.insert("unknown".into(), unknown_json(&p.psbt.unknown));
    let mut total_in = 0i64;
    let mut have_all = true;
    let inputs: Vec<Value> = p
        .psbt
        .inputs
        .iter()
        .zip(&p.inputs)
        .zip(&p.psbt.unsigned_tx.input)
        .map(|((input, extra), txin)| {
            input_json(
                input,
                extra,
                txin.previous_output,
                network,
                &mut total_in,
                &mut have_all,
            )
        })
        .collect();
    r.insert("inputs".into(), Value::Array(inputs));
    let mut output_value = 0i64;
    let mut outputs = Vec::new();
    for ((output, extra), txout) in p
        .psbt
        .outputs
        .iter()
        .zip(&p.outputs)
        .zip(&p.psbt.unsigned_tx.output)
    {
        outputs.push(output_json(output, extra));
        let v = txout.value.to_sat() as i64;
        if money_range(v) && money_range(output_value + v) {
            output_value += v;
        } else {
            have_all = false;
        }
    }
    r.insert("outputs".into(), Value::Array(outputs));
    if have_all {
        r.insert("fee".into(), amount(total_in - output_value));
    }
    Ok(Value::Object(r))
}

/// `combinepsbt ["psbt",...]`: Core's `CombinePSBTs`.
fn combinepsbt(_ctx: &NodeContext, req: &Request) -> RpcResult {
    let txs = get_array(req.param(0))?;
    if txs.is_empty() {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Parameter 'txs' cannot be empty",
        ));
    }
    let psbts = txs
        .iter()
        .map(decode_psbt_arg)
        .collect::<Result<Vec<_>, _>>()?;
    let mut merged = psbts[0].clone();
    for p in &psbts[1..] {
        if !merge_psbt(&mut merged, p) {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                "PSBTs not compatible (different transactions)",
            ));
        }
    }
    Ok(Value::String(encode_psbt(&merged)))
}

/// `finalizepsbt "psbt" ( extract )`: Core's `FinalizeAndExtractPSBT`; the network
/// transaction when complete and `extract` (default), else the PSBT.
fn finalizepsbt(_ctx: &NodeContext, req: &Request) -> RpcResult {
    let mut p = decode_psbt_arg(req.param(0))?;
    let extract = req.param(1).as_bool().unwrap_or(true);
    let complete = finalize(&mut p);
    let mut r = Map::new();
    if complete && extract {
        // rust-bitcoin's extractor: the unsigned transaction with the final scripts.
        let tx = p.psbt.clone().extract_tx_unchecked_fee_rate();
        r.insert("hex".into(), rawtx_create::tx_hex(&tx).into());
    } else {
        r.insert("psbt".into(), encode_psbt(&p).into());
    }
    r.insert("complete".into(), complete.into());
    Ok(Value::Object(r))
}

/// `analyzepsbt "psbt"`.
fn analyzepsbt(_ctx: &NodeContext, req: &Request) -> RpcResult {
    let p = decode_psbt_arg(req.param(0))?;
    Ok(analyze(p))
}

/// Core's help texts, verbatim (`umkoin-cli help <command>`).
mod help {
    /// `help createpsbt`, as Core prints it.
    pub(super) const CREATEPSBT: &str = r#"createpsbt [{"txid":"hex","vout":n,"sequence":n},...] [{"address":amount,...},{"data":"hex"},...] ( locktime replaceable version )

Creates a transaction in the Partially Signed Transaction format.
Implements the Creator role.
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
"str"    (string) The resulting raw transaction (base64-encoded string)

Examples:
> umkoin-cli createpsbt "[{\"txid\":\"myid\",\"vout\":0}]" "[{\"address\":0.01}]"
"#;

    /// `help decodepsbt`, as Core prints it.
    pub(super) const DECODEPSBT: &str = r#"decodepsbt "psbt"

Return a JSON object representing the serialized, base64-encoded partially signed Umkoin transaction.

Arguments:
1. psbt    (string, required) The PSBT base64 string

Result:
{                                          (json object)
  "tx" : {                                 (json object) The decoded network-serialized unsigned transaction.
    ...                                    The layout is the same as the output of decoderawtransaction.
  },
  "global_xpubs" : [                       (json array)
    {                                      (json object)
      "xpub" : "str",                      (string) The extended public key this path corresponds to
      "master_fingerprint" : "hex",        (string) The fingerprint of the master key
      "path" : "str"                       (string) The path
    },
    ...
  ],
  "psbt_version" : n,                      (numeric) The PSBT version number. Not to be confused with the unsigned transaction version
  "proprietary" : [                        (json array) The global proprietary map
    {                                      (json object)
      "identifier" : "hex",                (string) The hex string for the proprietary identifier
      "subtype" : n,                       (numeric) The number for the subtype
      "key" : "hex",                       (string) The hex for the key
      "value" : "hex"                      (string) The hex for the value
    },
    ...
  ],
  "unknown" : {                            (json object) The unknown global fields
    "key" : "hex",                         (string) (key-value pair) An unknown key-value pair
    ...
  },
  "inputs" : [                             (json array)
    {                                      (json object)
      "non_witness_utxo" : {               (json object, optional) Decoded network transaction for non-witness UTXOs
        ...
      },
      "witness_utxo" : {                   (json object, optional) Transaction output for witness UTXOs
        "amount" : n,                      (numeric) The value in UMK
        "scriptPubKey" : {                 (json object)
          "asm" : "str",                   (string) Disassembly of the output script
          "desc" : "str",                  (string) Inferred descriptor for the output
          "hex" : "hex",                   (string) The raw output script bytes, hex-encoded
          "type" : "str",                  (string) The type, eg 'pubkeyhash'
          "address" : "str"                (string, optional) The Umkoin address (only if a well-defined address exists)
        }
      },
      "partial_signatures" : {             (json object, optional)
        "pubkey" : "str",                  (string) The public key and signature that corresponds to it.
        ...
      },
      "sighash" : "str",                   (string, optional) The sighash type to be used
      "redeem_script" : {                  (json object, optional)
        "asm" : "str",                     (string) Disassembly of the redeem script
        "hex" : "hex",                     (string) The raw redeem script bytes, hex-encoded
        "type" : "str"                     (string) The type, eg 'pubkeyhash'
      },
      "witness_script" : {                 (json object, optional)
        "asm" : "str",                     (string) Disassembly of the witness script
        "hex" : "hex",                     (string) The raw witness script bytes, hex-encoded
        "type" : "str"                     (string) The type, eg 'pubkeyhash'
      },
      "bip32_derivs" : [                   (json array, optional)
        {                                  (json object)
          "pubkey" : "str",                (string) The public key with the derivation path as the value.
          "master_fingerprint" : "str",    (string) The fingerprint of the master key
          "path" : "str"                   (string) The path
        },
        ...
      ],
      "final_scriptSig" : {                (json object, optional)
        "asm" : "str",                     (string) Disassembly of the final signature script
        "hex" : "hex"                      (string) The raw final signature script bytes, hex-encoded
      },
      "final_scriptwitness" : [            (json array, optional)
        "hex",                             (string) hex-encoded witness data (if any)
        ...
      ],
      "ripemd160_preimages" : {            (json object, optional)
        "hash" : "str",                    (string) The hash and preimage that corresponds to it.
        ...
      },
      "sha256_preimages" : {               (json object, optional)
        "hash" : "str",                    (string) The hash and preimage that corresponds to it.
        ...
      },
      "hash160_preimages" : {              (json object, optional)
        "hash" : "str",                    (string) The hash and preimage that corresponds to it.
        ...
      },
      "hash256_preimages" : {              (json object, optional)
        "hash" : "str",                    (string) The hash and preimage that corresponds to it.
        ...
      },
      "taproot_key_path_sig" : "hex",      (string, optional) hex-encoded signature for the Taproot key path spend
      "taproot_script_path_sigs" : [       (json array, optional)
        {                                  (json object, optional) The signature for the pubkey and leaf hash combination
          "pubkey" : "str",                (string) The x-only pubkey for this signature
          "leaf_hash" : "str",             (string) The leaf hash for this signature
          "sig" : "str"                    (string) The signature itself
        },
        ...
      ],
      "taproot_scripts" : [                (json array, optional)
        {                                  (json object)
          "script" : "hex",                (string) A leaf script
          "leaf_ver" : n,                  (numeric) The version number for the leaf script
          "control_blocks" : [             (json array) The control blocks for this script
            "hex",                         (string) A hex-encoded control block for this script
            ...
          ]
        },
        ...
      ],
      "taproot_bip32_derivs" : [           (json array, optional)
        {                                  (json object)
          "pubkey" : "str",                (string) The x-only public key this path corresponds to
          "master_fingerprint" : "str",    (string) The fingerprint of the master key
          "path" : "str",                  (string) The path
          "leaf_hashes" : [                (json array) The hashes of the leaves this pubkey appears in
            "hex",                         (string) The hash of a leaf this pubkey appears in
            ...
          ]
        },
        ...
      ],
      "taproot_internal_key" : "hex",      (string, optional) The hex-encoded Taproot x-only internal key
      "taproot_merkle_root" : "hex",       (string, optional) The hex-encoded Taproot merkle root
      "musig2_participant_pubkeys" : [     (json array, optional)
        {                                  (json object)
          "aggregate_pubkey" : "hex",      (string) The compressed aggregate public key for which the participants create.
          "participant_pubkeys" : [        (json array)
            "hex",                         (string) The compressed public keys that are aggregated for aggregate_pubkey.
            ...
          ]
        },
        ...
      ],
      "musig2_pubnonces" : [               (json array, optional)
        {                                  (json object)
          "participant_pubkey" : "hex",    (string) The compressed public key of the participant that created this pubnonce.
          "aggregate_pubkey" : "hex",      (string) The compressed aggregate public key for which this pubnonce is for.
          "leaf_hash" : "hex",             (string, optional) The hash of the leaf script that contains the aggregate pubkey being signed for. Omitted when signing for the internal key.
          "pubnonce" : "hex"               (string) The public nonce itself.
        },
        ...
      ],
      "musig2_partial_sigs" : [            (json array, optional)
        {                                  (json object)
          "participant_pubkey" : "hex",    (string) The compressed public key of the participant that created this partial signature.
          "aggregate_pubkey" : "hex",      (string) The compressed aggregate public key for which this partial signature is for.
          "leaf_hash" : "hex",             (string, optional) The hash of the leaf script that contains the aggregate pubkey being signed for. Omitted when signing for the internal key.
          "partial_sig" : "hex"            (string) The partial signature itself.
        },
        ...
      ],
      "unknown" : {                        (json object, optional) The unknown input fields
        "key" : "hex",                     (string) (key-value pair) An unknown key-value pair
        ...
      },
      "proprietary" : [                    (json array, optional) The input proprietary map
        {                                  (json object)
          "identifier" : "hex",            (string) The hex string for the proprietary identifier
          "subtype" : n,                   (numeric) The number for the subtype
          "key" : "hex",                   (string) The hex for the key
          "value" : "hex"                  (string) The hex for the value
        },
        ...
      ]
    },
    ...
  ],
  "outputs" : [                            (json array)
    {                                      (json object)
      "redeem_script" : {                  (json object, optional)
        "asm" : "str",                     (string) Disassembly of the redeem script
        "hex" : "hex",                     (string) The raw redeem script bytes, hex-encoded
        "type" : "str"                     (string) The type, eg 'pubkeyhash'
      },
      "witness_script" : {                 (json object, optional)
        "asm" : "str",                     (string) Disassembly of the witness script
        "hex" : "hex",                     (string) The raw witness script bytes, hex-encoded
        "type" : "str"                     (string) The type, eg 'pubkeyhash'
      },
      "bip32_derivs" : [                   (json array, optional)
        {                                  (json object)
          "pubkey" : "str",                (string) The public key this path corresponds to
          "master_fingerprint" : "str",    (string) The fingerprint of the master key
          "path" : "str"                   (string) The path
        },
        ...
      ],
      "taproot_internal_key" : "hex",      (string, optional) The hex-encoded Taproot x-only internal key
      "taproot_tree" : [                   (json array, optional) The tuples that make up the Taproot tree, in depth first search order
        {                                  (json object, optional) A single leaf script in the taproot tree
          "depth" : n,                     (numeric) The depth of this element in the tree
          "leaf_ver" : n,                  (numeric) The version of this leaf
          "script" : "str"                 (string) The hex-encoded script itself
        },
        ...
      ],
      "taproot_bip32_derivs" : [           (json array, optional)
        {                                  (json object)
          "pubkey" : "str",                (string) The x-only public key this path corresponds to
          "master_fingerprint" : "str",    (string) The fingerprint of the master key
          "path" : "str",                  (string) The path
          "leaf_hashes" : [                (json array) The hashes of the leaves this pubkey appears in
            "hex",                         (string) The hash of a leaf this pubkey appears in
            ...
          ]
        },
        ...
      ],
      "musig2_participant_pubkeys" : [     (json array, optional)
        {                                  (json object)
          "aggregate_pubkey" : "hex",      (string) The compressed aggregate public key for which the participants create.
          "participant_pubkeys" : [        (json array)
            "hex",                         (string) The compressed public keys that are aggregated for aggregate_pubkey.
            ...
          ]
        },
        ...
      ],
      "unknown" : {                        (json object, optional) The unknown output fields
        "key" : "hex",                     (string) (key-value pair) An unknown key-value pair
        ...
      },
      "proprietary" : [                    (json array, optional) The output proprietary map
        {                                  (json object)
          "identifier" : "hex",            (string) The hex string for the proprietary identifier
          "subtype" : n,                   (numeric) The number for the subtype
          "key" : "hex",                   (string) The hex for the key
          "value" : "hex"                  (string) The hex for the value
        },
        ...
      ]
    },
    ...
  ],
  "fee" : n                                (numeric, optional) The transaction fee paid if all UTXOs slots in the PSBT have been filled.
}

Examples:
> umkoin-cli decodepsbt "psbt"
"#;

    /// `help combinepsbt`, as Core prints it.
    pub(super) const COMBINEPSBT: &str = r#"combinepsbt ["psbt",...]

Combine multiple partially signed Umkoin transactions into one transaction.
Implements the Combiner role.

Arguments:
1. txs            (json array, required) The base64 strings of partially signed transactions
     [
       "psbt",    (string) A base64 string of a PSBT
       ...
     ]

Result:
"str"    (string) The base64-encoded partially signed transaction

Examples:
> umkoin-cli combinepsbt '["mybase64_1", "mybase64_2", "mybase64_3"]'
"#;

    /// `help finalizepsbt`, as Core prints it.
    pub(super) const FINALIZEPSBT: &str = r#"finalizepsbt "psbt" ( extract )

Finalize the inputs of a PSBT. If the transaction is fully signed, it will produce a
network serialized transaction which can be broadcast with sendrawtransaction. Otherwise a PSBT will be
created which has the final_scriptSig and final_scriptwitness fields filled for inputs that are complete.
Implements the Finalizer and Extractor roles.

Arguments:
1. psbt       (string, required) A base64 string of a PSBT
2. extract    (boolean, optional, default=true) If true and the transaction is complete,
              extract and return the complete transaction in normal network serialization instead of the PSBT.

Result:
{                             (json object)
  "psbt" : "str",             (string, optional) The base64-encoded partially signed transaction if not extracted
  "hex" : "hex",              (string, optional) The hex-encoded network transaction if extracted
  "complete" : true|false     (boolean) If the transaction has a complete set of signatures
}

Examples:
> umkoin-cli finalizepsbt "psbt"
"#;

    /// `help analyzepsbt`, as Core prints it.
    pub(super) const ANALYZEPSBT: &str = r#"analyzepsbt "psbt"

Analyzes and provides information about the current status of a PSBT and its inputs

Arguments:
1. psbt    (string, required) A base64 string of a PSBT

Result:
{                                   (json object)
  "inputs" : [                      (json array, optional)
    {                               (json object)
      "has_utxo" : true|false,      (boolean) Whether a UTXO is provided
      "is_final" : true|false,      (boolean) Whether the input is finalized
      "missing" : {                 (json object, optional) Things that are missing that are required to complete this input
        "pubkeys" : [               (json array, optional)
          "hex",                    (string) Public key ID, hash160 of the public key, of a public key whose BIP 32 derivation path is missing
          ...
        ],
        "signatures" : [            (json array, optional)
          "hex",                    (string) Public key ID, hash160 of the public key, of a public key whose signature is missing
          ...
        ],
        "redeemscript" : "hex",     (string, optional) Hash160 of the redeem script that is missing
        "witnessscript" : "hex"     (string, optional) SHA256 of the witness script that is missing
      },
      "next" : "str"                (string, optional) Role of the next person that this input needs to go to
    },
    ...
  ],
  "estimated_vsize" : n,            (numeric, optional) Estimated vsize of the final signed transaction
  "estimated_feerate" : n,          (numeric, optional) Estimated feerate of the final signed transaction in UMK/kvB. Shown only if all UTXO slots in the PSBT have been filled
  "fee" : n,                        (numeric, optional) The transaction fee paid. Shown only if all UTXO slots in the PSBT have been filled
  "next" : "str",                   (string) Role of the next person that this psbt needs to go to
  "error" : "str"                   (string, optional) Error message (if there is one)
}

Examples:
> umkoin-cli analyzepsbt "psbt"
"#;
}
