//! Transaction standardness policy of Umkoin Core v31 (`policy/policy.cpp`,
//! `policy/ephemeral_policy.cpp`, `script/solver.cpp`) as pure functions with Core's reject
//! reasons, for the mempool.
//!
//! Everything here is local relay policy: none of it decides whether a block is valid. Core
//! applies it only when the mempool "requires standard" transactions (`-acceptnonstdtxn=0`,
//! the default on every chain, and the only setting allowed on main); `tx-size-small`, the
//! sigop cost limit and the standard script flags apply regardless. The order in which
//! Core's `MemPoolAccept` calls these, with the reasons it reports, is:
//!
//! `PreChecks`:
//! 1. `CheckTransaction` (consensus, [`crate::validation::check_transaction`]), then
//!    `"coinbase"` for a coinbase.
//! 2. If standard is required: [`is_standard_tx`] → its reason (`TX_NOT_STANDARD`).
//! 3. [`tx_size_small`] → `"tx-size-small"` (`TX_NOT_STANDARD`), always.
//! 4. `"non-final"`, `"txn-already-in-mempool"`, `"txn-same-nonwitness-data-in-mempool"`,
//!    conflicts, missing inputs (`"bad-txns-inputs-missingorspent"`), `"non-BIP68-final"`,
//!    `CheckTxInputs` (consensus): not here.
//! 5. If standard is required: [`are_inputs_standard`] → `"bad-txns-nonstandard-inputs"`
//!    (`TX_INPUTS_NOT_STANDARD`).
//! 6. If the transaction has a witness and standard is required: [`is_witness_standard`] →
//!    `"bad-witness-nonstandard"` (`TX_WITNESS_MUTATED`).
//! 7. The sigop cost (`GetTransactionSigOpCost` with the standard flags) and the fees; the
//!    virtual size is [`virtual_size`] of the weight and that cost with
//!    [`Policy::bytes_per_sigop`].
//! 8. If standard is required: [`pre_check_ephemeral_tx`] with the base and modified
//!    (prioritised) fees → `"dust"` (`TX_NOT_STANDARD`).
//! 9. Sigop cost above [`MAX_STANDARD_TX_SIGOPS_COST`] → `"bad-txns-too-many-sigops"`
//!    (`TX_NOT_STANDARD`), always. Then the fee rate and TRUC checks (not here).
//!
//! After `PreChecks`, replacement and cluster checks (single transaction) or the package's
//! limits (package), and if standard is required and limits are not bypassed:
//! [`check_ephemeral_spends`] → `"missing-ephemeral-spends"` for the child
//! (`TX_MEMPOOL_POLICY`; in a package the package result is `"unspent-dust"`).
//!
//! `PolicyScriptChecks`: every input's scripts under [`STANDARD_SCRIPT_VERIFY_FLAGS`]
//! (`umkoin_consensus::verify_input`); a failure is
//! `"mempool-script-verify-flag-failed (<script error>)"` (`TX_NOT_STANDARD`), and if the
//! transaction has no witness and [`spends_non_anchor_witness_prog`], the result becomes
//! `TX_WITNESS_STRIPPED` with the same reason. `ConsensusScriptChecks` then runs the block
//! flags of the next block.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashSet};

use bitcoin::{Amount, OutPoint, Script, Transaction, TxOut, Txid, Wtxid};

use crate::validation::{MAX_BLOCK_SIGOPS_COST, WITNESS_SCALE_FACTOR};

/// Core's `MAX_STANDARD_TX_WEIGHT`: the largest weight relayed.
pub const MAX_STANDARD_TX_WEIGHT: u64 = 400_000;
/// Core's `MIN_STANDARD_TX_NONWITNESS_SIZE`: the smallest size without witness relayed (one
/// more than 64, against CVE-2017-12842).
pub const MIN_STANDARD_TX_NONWITNESS_SIZE: usize = 65;
/// Core's `MAX_P2SH_SIGOPS`: the most sigops a standard P2SH redeem script may count.
pub const MAX_P2SH_SIGOPS: u64 = 15;
/// Core's `MAX_STANDARD_TX_SIGOPS_COST`: the largest sigop cost of a relayed transaction.
pub const MAX_STANDARD_TX_SIGOPS_COST: u64 = MAX_BLOCK_SIGOPS_COST as u64 / 5;
/// Core's `MAX_TX_LEGACY_SIGOPS`: the most potentially executed legacy sigops (BIP54 counting)
/// of a standard transaction.
pub const MAX_TX_LEGACY_SIGOPS: u64 = 2_500;
/// Core's `DEFAULT_BYTES_PER_SIGOP` (`-bytespersigop`).
pub const DEFAULT_BYTES_PER_SIGOP: u64 = 20;
/// Core's `DEFAULT_PERMIT_BAREMULTISIG` (`-permitbaremultisig`).
pub const DEFAULT_PERMIT_BAREMULTISIG: bool = true;
/// Core's `MAX_STANDARD_P2WSH_STACK_ITEMS`: the most witness stack items (without the script)
/// of a standard P2WSH spend.
pub const MAX_STANDARD_P2WSH_STACK_ITEMS: usize = 100;
/// Core's `MAX_STANDARD_P2WSH_STACK_ITEM_SIZE`: the largest witness stack item (without the
/// script) of a standard P2WSH spend.
pub const MAX_STANDARD_P2WSH_STACK_ITEM_SIZE: usize = 80;
/// Core's `MAX_STANDARD_TAPSCRIPT_STACK_ITEM_SIZE`: the largest stack item of a standard
/// tapscript (leaf version 0xc0) spend.
pub const MAX_STANDARD_TAPSCRIPT_STACK_ITEM_SIZE: usize = 80;
/// Core's `MAX_STANDARD_P2WSH_SCRIPT_SIZE`: the largest standard witness script.
pub const MAX_STANDARD_P2WSH_SCRIPT_SIZE: usize = 3_600;
/// Core's `MAX_STANDARD_SCRIPTSIG_SIZE`: the largest standard scriptSig.
pub const MAX_STANDARD_SCRIPTSIG_SIZE: usize = 1_650;
/// Core's `DUST_RELAY_TX_FEE` (`-dustrelayfee`), in satoshis per kvB.
pub const DUST_RELAY_TX_FEE: i64 = 3_000;
/// Core's `DEFAULT_ACCEPT_DATACARRIER` (`-datacarrier`).
pub const DEFAULT_ACCEPT_DATACARRIER: bool = true;
/// Core's `MAX_OP_RETURN_RELAY`, the default of `-datacarriersize`: the most bytes of
/// scriptPubKey that all of a transaction's OP_RETURN outputs together may have
/// (`MAX_STANDARD_TX_WEIGHT / WITNESS_SCALE_FACTOR`).
pub const MAX_OP_RETURN_RELAY: u64 = MAX_STANDARD_TX_WEIGHT / WITNESS_SCALE_FACTOR;
/// Core's `MAX_DUST_OUTPUTS_PER_TX`: the most dust outputs (ephemeral dust) a standard
/// transaction may have.
pub const MAX_DUST_OUTPUTS_PER_TX: usize = 1;
/// Core's `TX_MIN_STANDARD_VERSION`.
pub const TX_MIN_STANDARD_VERSION: u32 = 1;
/// Core's `TX_MAX_STANDARD_VERSION`: version 3 (TRUC, BIP431) is standard.
pub const TX_MAX_STANDARD_VERSION: u32 = 3;

/// Script flag `SCRIPT_VERIFY_STRICTENC` of the interpreter `umkoin-consensus` compiles.
pub const VERIFY_STRICTENC: u32 = 1 << 1;
/// Script flag `SCRIPT_VERIFY_LOW_S`.
pub const VERIFY_LOW_S: u32 = 1 << 3;
/// Script flag `SCRIPT_VERIFY_SIGPUSHONLY` (not a standard flag; listed for completeness).
pub const VERIFY_SIGPUSHONLY: u32 = 1 << 5;
/// Script flag `SCRIPT_VERIFY_MINIMALDATA`.
pub const VERIFY_MINIMALDATA: u32 = 1 << 6;
/// Script flag `SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_NOPS`.
pub const VERIFY_DISCOURAGE_UPGRADABLE_NOPS: u32 = 1 << 7;
/// Script flag `SCRIPT_VERIFY_CLEANSTACK`.
pub const VERIFY_CLEANSTACK: u32 = 1 << 8;
/// Script flag `SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM`.
pub const VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM: u32 = 1 << 12;
/// Script flag `SCRIPT_VERIFY_MINIMALIF`.
pub const VERIFY_MINIMALIF: u32 = 1 << 13;
/// Script flag `SCRIPT_VERIFY_NULLFAIL`.
pub const VERIFY_NULLFAIL: u32 = 1 << 14;
/// Script flag `SCRIPT_VERIFY_WITNESS_PUBKEYTYPE`.
pub const VERIFY_WITNESS_PUBKEYTYPE: u32 = 1 << 15;
/// Script flag `SCRIPT_VERIFY_CONST_SCRIPTCODE`.
pub const VERIFY_CONST_SCRIPTCODE: u32 = 1 << 16;
/// Script flag `SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION`.
pub const VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION: u32 = 1 << 18;
/// Script flag `SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS`.
pub const VERIFY_DISCOURAGE_OP_SUCCESS: u32 = 1 << 19;
/// Script flag `SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE`.
pub const VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE: u32 = 1 << 20;

/// Core's `MANDATORY_SCRIPT_VERIFY_FLAGS`: the consensus flags every new transaction must
/// pass (the same set as `umkoin_consensus::VERIFY_ALL`).
pub const MANDATORY_SCRIPT_VERIFY_FLAGS: u32 = umkoin_consensus::VERIFY_P2SH
    | umkoin_consensus::VERIFY_DERSIG
    | umkoin_consensus::VERIFY_NULLDUMMY
    | umkoin_consensus::VERIFY_CHECKLOCKTIMEVERIFY
    | umkoin_consensus::VERIFY_CHECKSEQUENCEVERIFY
    | umkoin_consensus::VERIFY_WITNESS
    | umkoin_consensus::VERIFY_TAPROOT;

/// Core's `STANDARD_SCRIPT_VERIFY_FLAGS`, as bits of the interpreter `umkoin-consensus`
/// compiles (Core 26's, whose bit positions are v31's): the flags of `PolicyScriptChecks`.
pub const STANDARD_SCRIPT_VERIFY_FLAGS: u32 = MANDATORY_SCRIPT_VERIFY_FLAGS
    | VERIFY_STRICTENC
    | VERIFY_MINIMALDATA
    | VERIFY_DISCOURAGE_UPGRADABLE_NOPS
    | VERIFY_CLEANSTACK
    | VERIFY_MINIMALIF
    | VERIFY_NULLFAIL
    | VERIFY_LOW_S
    | VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM
    | VERIFY_WITNESS_PUBKEYTYPE
    | VERIFY_CONST_SCRIPTCODE
    | VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION
    | VERIFY_DISCOURAGE_OP_SUCCESS
    | VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE;

/// Core's `STANDARD_NOT_MANDATORY_VERIFY_FLAGS`: a script failure under flags that include
/// any of these is reported as `mempool-script-verify-flag-failed (...)`, otherwise as
/// `block-script-verify-flag-failed (...)`.
pub const STANDARD_NOT_MANDATORY_VERIFY_FLAGS: u32 =
    STANDARD_SCRIPT_VERIFY_FLAGS & !MANDATORY_SCRIPT_VERIFY_FLAGS;

const _: () = assert!(MANDATORY_SCRIPT_VERIFY_FLAGS == umkoin_consensus::VERIFY_ALL);

/// The reason [`check_ephemeral_spends`]' failure gives the whole package in Core's
/// `AcceptMultipleTransactions` (`PCKG_TX`).
pub const PACKAGE_UNSPENT_DUST: &str = "unspent-dust";
/// The debug message of [`pre_check_ephemeral_tx`]'s `"dust"`.
pub const EPHEMERAL_FEE_DEBUG: &str = "tx with dust output must be 0-fee";

const OP_0: u8 = 0x00;
const OP_PUSHDATA1: u8 = 0x4c;
const OP_PUSHDATA2: u8 = 0x4d;
const OP_PUSHDATA4: u8 = 0x4e;
const OP_1NEGATE: u8 = 0x4f;
const OP_RESERVED: u8 = 0x50;
const OP_1: u8 = 0x51;
const OP_16: u8 = 0x60;
const OP_RETURN: u8 = 0x6a;
const OP_DUP: u8 = 0x76;
const OP_EQUAL: u8 = 0x87;
const OP_EQUALVERIFY: u8 = 0x88;
const OP_HASH160: u8 = 0xa9;
const OP_CHECKSIG: u8 = 0xac;
const OP_CHECKSIGVERIFY: u8 = 0xad;
const OP_CHECKMULTISIG: u8 = 0xae;
const OP_CHECKMULTISIGVERIFY: u8 = 0xaf;
/// Core's `MAX_PUBKEYS_PER_MULTISIG`.
const MAX_PUBKEYS_PER_MULTISIG: i64 = 20;
/// Core's `MAX_SCRIPT_SIZE`.
const MAX_SCRIPT_SIZE: usize = 10_000;
/// Core's `MAX_SCRIPT_ELEMENT_SIZE`.
const MAX_SCRIPT_ELEMENT_SIZE: usize = 520;
/// Core's `MAX_STACK_SIZE`.
const MAX_STACK_SIZE: usize = 1_000;
/// Core's `ANNEX_TAG`.
const ANNEX_TAG: u8 = 0x50;
/// Core's `TAPROOT_LEAF_MASK`.
const TAPROOT_LEAF_MASK: u8 = 0xfe;
/// Core's `TAPROOT_LEAF_TAPSCRIPT`.
const TAPROOT_LEAF_TAPSCRIPT: u8 = 0xc0;

/// The relay policy settings standardness depends on (Core's `MemPoolOptions` fields and
/// `nBytesPerSigOp`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// `-permitbaremultisig`: whether bare (non-P2SH) multisig outputs are standard.
    pub permit_bare_multisig: bool,
    /// `-datacarriersize` (Core keeps it as `unsigned`), or `None` with `-datacarrier=0`:
    /// the most scriptPubKey bytes all OP_RETURN outputs of a transaction may have together.
    /// `None` rejects any OP_RETURN output, like `Some(0)`.
    pub max_datacarrier_bytes: Option<u64>,
    /// `-dustrelayfee` in satoshis per kvB: the fee rate defining dust.
    pub dust_relay_fee_per_kvb: i64,
    /// `-bytespersigop`: the virtual bytes one sigop counts for in [`virtual_size`].
    pub bytes_per_sigop: u64,
}

impl Default for Policy {
    /// Core's defaults: bare multisig permitted, 100 000 bytes of data carrier, 3000 sat/kvB
    /// dust relay fee rate, 20 bytes per sigop.
    fn default() -> Policy {
        Policy {
            permit_bare_multisig: DEFAULT_PERMIT_BAREMULTISIG,
            max_datacarrier_bytes: DEFAULT_ACCEPT_DATACARRIER.then_some(MAX_OP_RETURN_RELAY),
            dust_relay_fee_per_kvb: DUST_RELAY_TX_FEE,
            bytes_per_sigop: DEFAULT_BYTES_PER_SIGOP,
        }
    }
}

/// Core's `TxoutType`: the kinds of scriptPubKey the [`solver`] recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TxoutType {
    /// Anything else.
    Nonstandard,
    /// Pay-to-anchor: `OP_1 <0x4e73>`, spendable by anyone.
    Anchor,
    /// `<pubkey> OP_CHECKSIG`.
    Pubkey,
    /// `OP_DUP OP_HASH160 <20 bytes> OP_EQUALVERIFY OP_CHECKSIG`.
    PubkeyHash,
    /// `OP_HASH160 <20 bytes> OP_EQUAL` (P2SH).
    ScriptHash,
    /// `<m> <pubkey>... <n> OP_CHECKMULTISIG` (bare multisig).
    Multisig,
    /// `OP_RETURN` followed by pushes only: unspendable data carrier.
    NullData,
    /// Witness v0 with a 32-byte program (P2WSH).
    WitnessV0ScriptHash,
    /// Witness v0 with a 20-byte program (P2WPKH).
    WitnessV0KeyHash,
    /// Witness v1 with a 32-byte program (P2TR).
    WitnessV1Taproot,
    /// Witness versions 1 to 16 not defined above.
    WitnessUnknown,
}

impl TxoutType {
    /// Core's `GetTxnOutputType`: the name RPCs show (`"pubkeyhash"`, `"nulldata"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            TxoutType::Nonstandard => "nonstandard",
            TxoutType::Anchor => "anchor",
            TxoutType::Pubkey => "pubkey",
            TxoutType::PubkeyHash => "pubkeyhash",
            TxoutType::ScriptHash => "scripthash",
            TxoutType::Multisig => "multisig",
            TxoutType::NullData => "nulldata",
            TxoutType::WitnessV0ScriptHash => "witness_v0_scripthash",
            TxoutType::WitnessV0KeyHash => "witness_v0_keyhash",
            TxoutType::WitnessV1Taproot => "witness_v1_taproot",
            TxoutType::WitnessUnknown => "witness_unknown",
        }
    }
}

/// Core's `GetScriptOp`: the opcode at `*pc` and the data it pushes, moving `*pc` past it;
/// `None` where Core's fails (nothing left, or a push running past the end).
fn get_op<'a>(script: &'a [u8], pc: &mut usize) -> Option<(u8, &'a [u8])> {
    let opcode = *script.get(*pc)?;
    let rest = &script[*pc + 1..];
    let (header, len) = match opcode {
        0..=0x4b => (0usize, usize::from(opcode)),
        OP_PUSHDATA1 => (1, usize::from(*rest.first()?)),
        OP_PUSHDATA2 => {
            let b = rest.get(..2)?;
            (2, usize::from(u16::from_le_bytes([b[0], b[1]])))
        }
        OP_PUSHDATA4 => {
            let b = rest.get(..4)?;
            (
                4,
                usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok()?,
            )
        }
        _ => {
            *pc += 1;
            return Some((opcode, &[]));
        }
    };
    let data = rest.get(header..header.checked_add(len)?)?;
    *pc += 1 + header + len;
    Some((opcode, data))
}

/// Core's `CScript::IsPushOnly` from `pc`: only pushes and `OP_1NEGATE` to `OP_16`
/// (`OP_RESERVED` included), all well formed.
fn is_push_only_from(script: &[u8], mut pc: usize) -> bool {
    while pc < script.len() {
        match get_op(script, &mut pc) {
            Some((op, _)) if op <= OP_16 => {}
            _ => return false,
        }
    }
    true
}

/// Core's `CScript::IsPushOnly`.
pub fn is_push_only(script: &Script) -> bool {
    is_push_only_from(script.as_bytes(), 0)
}

/// Core's `CScript::IsPayToScriptHash`.
fn is_p2sh(s: &[u8]) -> bool {
    s.len() == 23 && s[0] == OP_HASH160 && s[1] == 0x14 && s[22] == OP_EQUAL
}

/// Core's `CScript::IsPayToAnchor`.
fn is_p2a(s: &[u8]) -> bool {
    s == [OP_1, 0x02, 0x4e, 0x73]
}

/// Core's `CScript::IsWitnessProgram`: the version and program of a witness program.
fn witness_program(s: &[u8]) -> Option<(u8, &[u8])> {
    if !(4..=42).contains(&s.len()) {
        return None;
    }
    let version = match s[0] {
        OP_0 => 0,
        op @ OP_1..=OP_16 => op - (OP_1 - 1),
        _ => return None,
    };
    (usize::from(s[1]) + 2 == s.len()).then_some((version, &s[2..]))
}

/// Core's `CScript::IsUnspendable`: starts with `OP_RETURN`, or is larger than a script may be.
fn is_unspendable(s: &[u8]) -> bool {
    s.first() == Some(&OP_RETURN) || s.len() > MAX_SCRIPT_SIZE
}

/// Core's `CPubKey::ValidSize`: the length the first byte announces (33 for 0x02/0x03, 65 for
/// 0x04/0x06/0x07).
fn valid_pubkey_size(data: &[u8]) -> bool {
    let expected = match data.first() {
        Some(2 | 3) => 33,
        Some(4 | 6 | 7) => 65,
        _ => return false,
    };
    data.len() == expected
}

/// Core's `CheckMinimalPush` for a push opcode (`OP_0` to `OP_PUSHDATA4`).
fn check_minimal_push(data: &[u8], opcode: u8) -> bool {
    match data.len() {
        0 => opcode == OP_0,
        1 if (1..=16).contains(&data[0]) => false,
        1 if data[0] == 0x81 => false,
        n @ 1..=75 => usize::from(opcode) == n,
        76..=255 => opcode == OP_PUSHDATA1,
        256..=65_535 => opcode == OP_PUSHDATA2,
        _ => true,
    }
}

/// Core's `CScriptNum(data, fRequireMinimal = true)` with the default 4-byte limit; `None`
/// where Core throws.
fn script_num_minimal(data: &[u8]) -> Option<i64> {
    let Some(&last) = data.last() else {
        return Some(0);
    };
    if data.len() > 4 {
        return None;
    }
    if last & 0x7f == 0 && (data.len() <= 1 || data[data.len() - 2] & 0x80 == 0) {
        return None;
    }
    let mut value: i64 = 0;
    for (i, b) in data.iter().enumerate() {
        value |= i64::from(*b) << (8 * i);
    }
    if last & 0x80 != 0 {
        let sign = 0x80_i64 << (8 * (data.len() - 1));
        return Some(-(value & !sign));
    }
    Some(value)
}

/// Core's `GetScriptNumber`: the number `OP_1`..`OP_16` or a minimal push stands for, if
/// within `min..=max`.
fn get_script_number(opcode: u8, data: &[u8], min: i64, max: i64) -> Option<i64> {
    let count = if (OP_1..=OP_16).contains(&opcode) {
        i64::from(opcode - (OP_1 - 1))
    } else if opcode > OP_0 && opcode <= OP_PUSHDATA4 {
        if !check_minimal_push(data, opcode) {
            return None;
        }
        script_num_minimal(data)?
    } else {
        return None;
    };
    (min..=max).contains(&count).then_some(count)
}

/// Core's `MatchMultisig`: the required signatures and the keys of a bare multisig script.
fn match_multisig(s: &[u8]) -> Option<(u8, Vec<Vec<u8>>)> {
    if s.last() != Some(&OP_CHECKMULTISIG) {
        return None;
    }
    let mut pc = 0;
    let (op, data) = get_op(s, &mut pc)?;
    let required = get_script_number(op, data, 1, MAX_PUBKEYS_PER_MULTISIG)?;
    let mut keys = Vec::new();
    let (op, data) = loop {
        let (op, data) = get_op(s, &mut pc)?;
        if !valid_pubkey_size(data) {
            break (op, data);
        }
        keys.push(data.to_vec());
    };
    let n = get_script_number(op, data, required, MAX_PUBKEYS_PER_MULTISIG)?;
    let required = u8::try_from(required).ok()?;
    (usize::try_from(n).ok()? == keys.len() && pc + 1 == s.len()).then_some((required, keys))
}

/// Core's `Solver`: the type of `script_pubkey` and what it commits to (`vSolutionsRet`): the
/// hash for P2SH, P2PKH and witness v0/v1 programs, the key for P2PK, `[m]`, the keys and
/// `[n]` for multisig, `[version]` and the program for unknown witness versions, nothing for
/// the others.
pub fn solver(script_pubkey: &Script) -> (TxoutType, Vec<Vec<u8>>) {
    let s = script_pubkey.as_bytes();
    if is_p2sh(s) {
        return (TxoutType::ScriptHash, vec![s[2..22].to_vec()]);
    }
    if let Some((version, program)) = witness_program(s) {
        return match (version, program.len()) {
            (0, 20) => (TxoutType::WitnessV0KeyHash, vec![program.to_vec()]),
            (0, 32) => (TxoutType::WitnessV0ScriptHash, vec![program.to_vec()]),
            (1, 32) => (TxoutType::WitnessV1Taproot, vec![program.to_vec()]),
            _ if is_p2a(s) => (TxoutType::Anchor, Vec::new()),
            (0, _) => (TxoutType::Nonstandard, Vec::new()),
            _ => (
                TxoutType::WitnessUnknown,
                vec![vec![version], program.to_vec()],
            ),
        };
    }
    if s.first() == Some(&OP_RETURN) && is_push_only_from(s, 1) {
        return (TxoutType::NullData, Vec::new());
    }
    // MatchPayToPubkey: uncompressed (65) or compressed (33) key, then OP_CHECKSIG.
    for key_len in [65usize, 33] {
        if s.len() == key_len + 2
            && usize::from(s[0]) == key_len
            && s[key_len + 1] == OP_CHECKSIG
            && valid_pubkey_size(&s[1..=key_len])
        {
            return (TxoutType::Pubkey, vec![s[1..=key_len].to_vec()]);
        }
    }
    if s.len() == 25
        && s[0] == OP_DUP
        && s[1] == OP_HASH160
        && s[2] == 20
        && s[23] == OP_EQUALVERIFY
        && s[24] == OP_CHECKSIG
    {
        return (TxoutType::PubkeyHash, vec![s[3..23].to_vec()]);
    }
    if let Some((required, keys)) = match_multisig(s) {
        let n = keys.len() as u8; // at most MAX_PUBKEYS_PER_MULTISIG
        let mut solutions = Vec::with_capacity(keys.len() + 2);
        solutions.push(vec![required]);
        solutions.extend(keys);
        solutions.push(vec![n]);
        return (TxoutType::Multisig, solutions);
    }
    (TxoutType::Nonstandard, Vec::new())
}

/// Core's `IsStandard` for one scriptPubKey: its type if standard (any type but
/// [`TxoutType::Nonstandard`]; multisig only with 1 to 3 keys and 1 to n signatures).
pub fn is_standard(script_pubkey: &Script) -> Option<TxoutType> {
    let (kind, solutions) = solver(script_pubkey);
    match kind {
        TxoutType::Nonstandard => None,
        TxoutType::Multisig => {
            let m = solutions.first()?.first().copied()?;
            let n = solutions.last()?.first().copied()?;
            ((1..=3).contains(&n) && (1..=n).contains(&m)).then_some(kind)
        }
        _ => Some(kind),
    }
}

/// Core's `CFeeRate(per_kvb).GetFee(size)` (v31: rounded up; -1 for a negative rate whose
/// fee rounds to 0).
fn fee_for_size(per_kvb: i64, size: u64) -> i64 {
    let product = i128::from(per_kvb) * i128::from(size);
    // Ceiling division by 1000 for either sign.
    let fee = product.div_euclid(1000) + i128::from(product.rem_euclid(1000) != 0);
    let fee = i64::try_from(fee).unwrap_or(if fee < 0 { i64::MIN } else { i64::MAX });
    if fee == 0 && size != 0 && per_kvb < 0 {
        -1
    } else {
        fee
    }
}

/// Core's `GetDustThreshold` in satoshis, as Core's signed `CAmount`.
fn dust_threshold_sat(txout: &TxOut, dust_relay_fee_per_kvb: i64) -> i64 {
    let spk = txout.script_pubkey.as_bytes();
    if is_unspendable(spk) {
        return 0;
    }
    // The serialized output, plus the smallest input spending it: 32 + 4 + 1 + 107 + 4 = 148
    // bytes, with the 107 bytes of signature and key discounted for witness programs.
    let mut size = txout.size() as u64;
    size += if witness_program(spk).is_some() {
        32 + 4 + 1 + 107 / WITNESS_SCALE_FACTOR + 4
    } else {
        32 + 4 + 1 + 107 + 4
    };
    fee_for_size(dust_relay_fee_per_kvb, size)
}

/// Core's `GetDustThreshold`: the smallest value of `txout` that is not dust at
/// `dust_relay_fee_per_kvb` satoshis per kvB: the fee (rounded up) of the output and the
/// smallest input spending it (P2PKH 546, P2WPKH 294, P2TR 330 at 3000 sat/kvB); 0 for an
/// unspendable output. Core's threshold is -1 for a negative fee rate; this clamps it to 0,
/// which decides [`is_dust`] the same way.
pub fn dust_threshold(txout: &TxOut, dust_relay_fee_per_kvb: i64) -> Amount {
    Amount::from_sat(u64::try_from(dust_threshold_sat(txout, dust_relay_fee_per_kvb)).unwrap_or(0))
}

/// Core's `IsDust`: whether `txout`'s value is below its [`dust_threshold`] (the value read
/// as Core's signed amount).
pub fn is_dust(txout: &TxOut, dust_relay_fee_per_kvb: i64) -> bool {
    (txout.value.to_sat() as i64) < dust_threshold_sat(txout, dust_relay_fee_per_kvb)
}

/// Core's `GetDust`: the indexes of `tx`'s dust outputs.
pub fn dust_outputs(tx: &Transaction, dust_relay_fee_per_kvb: i64) -> Vec<u32> {
    (0u32..)
        .zip(&tx.output)
        .filter(|(_, out)| is_dust(out, dust_relay_fee_per_kvb))
        .map(|(i, _)| i)
        .collect()
}

/// Core's `IsStandardTx`: whether `tx`'s own fields and outputs are standard, checked in
/// Core's order; the error is Core's reason (`TX_NOT_STANDARD`):
///
/// - `"version"`: version (read as Core's unsigned) outside 1..=3;
/// - `"tx-size"`: weight above [`MAX_STANDARD_TX_WEIGHT`];
/// - then for each input in turn, `"scriptsig-size"`: scriptSig above
///   [`MAX_STANDARD_SCRIPTSIG_SIZE`], `"scriptsig-not-pushonly"`;
/// - then for each output in turn, `"scriptpubkey"`: not [`is_standard`];
///   `"datacarrier"`: the OP_RETURN outputs so far together larger than
///   [`Policy::max_datacarrier_bytes`] (any number of OP_RETURN outputs is allowed since
///   v30); `"bare-multisig"`: multisig without [`Policy::permit_bare_multisig`];
/// - `"dust"`: more than [`MAX_DUST_OUTPUTS_PER_TX`] dust outputs (one is allowed as
///   ephemeral dust; [`pre_check_ephemeral_tx`] and [`check_ephemeral_spends`] police it).
pub fn is_standard_tx(tx: &Transaction, policy: &Policy) -> Result<(), &'static str> {
    let version = tx.version.0 as u32;
    if !(TX_MIN_STANDARD_VERSION..=TX_MAX_STANDARD_VERSION).contains(&version) {
        return Err("version");
    }
    if tx.weight().to_wu() > MAX_STANDARD_TX_WEIGHT {
        return Err("tx-size");
    }
    for input in &tx.input {
        if input.script_sig.len() > MAX_STANDARD_SCRIPTSIG_SIZE {
            return Err("scriptsig-size");
        }
        if !is_push_only(&input.script_sig) {
            return Err("scriptsig-not-pushonly");
        }
    }
    let mut datacarrier_bytes_left = policy.max_datacarrier_bytes.unwrap_or(0);
    for output in &tx.output {
        let Some(kind) = is_standard(&output.script_pubkey) else {
            return Err("scriptpubkey");
        };
        match kind {
            TxoutType::NullData => {
                let size = output.script_pubkey.len() as u64;
                if size > datacarrier_bytes_left {
                    return Err("datacarrier");
                }
                datacarrier_bytes_left -= size;
            }
            TxoutType::Multisig if !policy.permit_bare_multisig => return Err("bare-multisig"),
            _ => {}
        }
    }
    if dust_outputs(tx, policy.dust_relay_fee_per_kvb).len() > MAX_DUST_OUTPUTS_PER_TX {
        return Err("dust");
    }
    Ok(())
}

/// Whether `tx` is too small to relay: its size without witness below
/// [`MIN_STANDARD_TX_NONWITNESS_SIZE`] (reason `"tx-size-small"`, `TX_NOT_STANDARD`;
/// checked even when standard is not required).
pub fn tx_size_small(tx: &Transaction) -> bool {
    tx.base_size() < MIN_STANDARD_TX_NONWITNESS_SIZE
}

/// Core's `EvalScript(stack, scriptSig, SCRIPT_VERIFY_NONE, BaseSignatureChecker(),
/// SigVersion::BASE)` for a scriptSig made of pushes: the stack it leaves, or `None` if Core's
/// evaluation fails (script over 10 000 bytes, a malformed or over-520-byte push,
/// `OP_RESERVED`, over 1000 stack items).
///
/// A scriptSig with any other opcode also gives `None` here, where Core would run it: every
/// caller runs after [`is_standard_tx`], which rejects such scriptSigs first
/// (`"scriptsig-not-pushonly"`).
fn eval_push_only(script_sig: &[u8]) -> Option<Vec<Vec<u8>>> {
    if script_sig.len() > MAX_SCRIPT_SIZE {
        return None;
    }
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut pc = 0;
    while pc < script_sig.len() {
        let (op, data) = get_op(script_sig, &mut pc)?;
        if data.len() > MAX_SCRIPT_ELEMENT_SIZE {
            return None;
        }
        match op {
            0..=OP_PUSHDATA4 => stack.push(data.to_vec()),
            OP_1NEGATE => stack.push(vec![0x81]),
            OP_1..=OP_16 => stack.push(vec![op - (OP_1 - 1)]),
            // Executing OP_RESERVED fails ("bad opcode"), though IsPushOnly allows it.
            OP_RESERVED => return None,
            // Not a push: see above.
            _ => return None,
        }
        if stack.len() > MAX_STACK_SIZE {
            return None;
        }
    }
    Some(stack)
}

/// The redeem script a P2SH input's scriptSig pushes last, as Core's `AreInputsStandard`,
/// `IsWitnessStandard` and `SpendsNonAnchorWitnessProg` read it.
fn p2sh_redeem_script(script_sig: &Script) -> Option<Vec<u8>> {
    eval_push_only(script_sig.as_bytes())?.pop()
}

/// Core's `CScript::GetSigOpCount(fAccurate)`.
fn sigop_count(script: &[u8], accurate: bool) -> u64 {
    let mut n = 0u64;
    let mut last = 0xffu8; // OP_INVALIDOPCODE
    let mut pc = 0;
    while pc < script.len() {
        let Some((op, _)) = get_op(script, &mut pc) else {
            break;
        };
        match op {
            OP_CHECKSIG | OP_CHECKSIGVERIFY => n += 1,
            OP_CHECKMULTISIG | OP_CHECKMULTISIGVERIFY => {
                n += if accurate && (OP_1..=OP_16).contains(&last) {
                    u64::from(last - (OP_1 - 1))
                } else {
                    MAX_PUBKEYS_PER_MULTISIG as u64
                };
            }
            _ => {}
        }
        last = op;
    }
    n
}

/// Core's `CScript::GetSigOpCount(scriptSig)`: a P2SH scriptPubKey counts the accurate sigops
/// of the last push of a push-only `script_sig` (0 otherwise); any other counts its own.
fn p2sh_sigop_count(script_pubkey: &[u8], script_sig: &[u8]) -> u64 {
    if !is_p2sh(script_pubkey) {
        return sigop_count(script_pubkey, true);
    }
    let mut pc = 0;
    let mut last: &[u8] = &[];
    while pc < script_sig.len() {
        match get_op(script_sig, &mut pc) {
            Some((op, data)) if op <= OP_16 => last = data,
            _ => return 0,
        }
    }
    sigop_count(last, true)
}

/// Core's `CheckSigopsBIP54`: the potentially executed legacy sigops of all inputs (scriptSig
/// plus spent scriptPubKey, P2SH redeem scripts counted) at most [`MAX_TX_LEGACY_SIGOPS`].
fn check_sigops_bip54(tx: &Transaction, spent: &[TxOut]) -> bool {
    let mut sigops = 0u64;
    for (input, prev) in tx.input.iter().zip(spent) {
        let script_sig = input.script_sig.as_bytes();
        sigops += sigop_count(script_sig, true);
        sigops += p2sh_sigop_count(prev.script_pubkey.as_bytes(), script_sig);
        if sigops > MAX_TX_LEGACY_SIGOPS {
            return false;
        }
    }
    true
}

/// Core's `AreInputsStandard`: whether `tx`'s inputs, spending `spent` (one output per input,
/// in order), are standard; `false` is `"bad-txns-nonstandard-inputs"`
/// (`TX_INPUTS_NOT_STANDARD`). A coinbase is. Not standard: more than
/// [`MAX_TX_LEGACY_SIGOPS`] legacy sigops over all inputs (BIP54 counting, new in v31);
/// spending a nonstandard or unknown-witness-version output; a P2SH spend whose scriptSig
/// does not evaluate to a non-empty stack or whose redeem script counts more than
/// [`MAX_P2SH_SIGOPS`] sigops. Only the non-witness part is checked. `false` as well if
/// `spent` does not have one output per input.
pub fn are_inputs_standard(tx: &Transaction, spent: &[TxOut]) -> bool {
    if tx.is_coinbase() {
        return true;
    }
    if spent.len() != tx.input.len() {
        return false;
    }
    if !check_sigops_bip54(tx, spent) {
        return false;
    }
    for (input, prev) in tx.input.iter().zip(spent) {
        match solver(&prev.script_pubkey).0 {
            TxoutType::Nonstandard | TxoutType::WitnessUnknown => return false,
            TxoutType::ScriptHash => {
                let Some(redeem) = p2sh_redeem_script(&input.script_sig) else {
                    return false;
                };
                if sigop_count(&redeem, true) > MAX_P2SH_SIGOPS {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// Core's `IsWitnessStandard`: whether `tx`'s witnesses, spending `spent` (one output per
/// input, in order), are standard; `false` is `"bad-witness-nonstandard"`
/// (`TX_WITNESS_MUTATED`). Inputs with an empty witness are skipped; a coinbase is standard.
/// Not standard: a witness spending P2A ("witness stuffing") or anything that is not a
/// witness program (directly or as P2SH redeem script); a P2WSH witness script over
/// [`MAX_STANDARD_P2WSH_SCRIPT_SIZE`] bytes, more than [`MAX_STANDARD_P2WSH_STACK_ITEMS`]
/// other items or one over [`MAX_STANDARD_P2WSH_STACK_ITEM_SIZE`] bytes; for a taproot
/// spend (not P2SH-wrapped): an annex, an empty control block, a tapscript (leaf 0xc0) stack
/// item over [`MAX_STANDARD_TAPSCRIPT_STACK_ITEM_SIZE`] bytes. `false` as well if `spent`
/// does not have one output per input.
pub fn is_witness_standard(tx: &Transaction, spent: &[TxOut]) -> bool {
    if tx.is_coinbase() {
        return true;
    }
    if spent.len() != tx.input.len() {
        return false;
    }
    for (input, prev) in tx.input.iter().zip(spent) {
        let witness = &input.witness;
        if witness.is_empty() {
            continue;
        }
        let prev_script = prev.script_pubkey.as_bytes();
        if is_p2a(prev_script) {
            return false;
        }
        let redeem;
        let (script, p2sh) = if is_p2sh(prev_script) {
            match p2sh_redeem_script(&input.script_sig) {
                Some(r) => {
                    redeem = r;
                    (redeem.as_slice(), true)
                }
                None => return false,
            }
        } else {
            (prev_script, false)
        };
        let Some((version, program)) = witness_program(script) else {
            return false;
        };
        let stack: Vec<&[u8]> = witness.iter().collect();
        if version == 0 && program.len() == 32 {
            let Some((witness_script, items)) = stack.split_last() else {
                return false;
            };
            if witness_script.len() > MAX_STANDARD_P2WSH_SCRIPT_SIZE
                || items.len() > MAX_STANDARD_P2WSH_STACK_ITEMS
                || items
                    .iter()
                    .any(|item| item.len() > MAX_STANDARD_P2WSH_STACK_ITEM_SIZE)
            {
                return false;
            }
        }
        if version == 1 && program.len() == 32 && !p2sh {
            if stack.len() >= 2 && stack.last().and_then(|a| a.first()) == Some(&ANNEX_TAG) {
                // Annexes are nonstandard as long as no semantics are defined for them.
                return false;
            }
            match stack.as_slice() {
                [items @ .., _script, control_block] => {
                    let Some(leaf) = control_block.first() else {
                        return false;
                    };
                    if leaf & TAPROOT_LEAF_MASK == TAPROOT_LEAF_TAPSCRIPT
                        && items
                            .iter()
                            .any(|item| item.len() > MAX_STANDARD_TAPSCRIPT_STACK_ITEM_SIZE)
                    {
                        return false;
                    }
                }
                // Key path spend: no policy rules.
                [_] => {}
                // No stack element: invalid by consensus already.
                [] => return false,
            }
        }
    }
    true
}

/// Core's `SpendsNonAnchorWitnessProg`: whether `tx` spends (among `spent`, one output per
/// input) any witness program but P2A, directly or as a P2SH redeem script, including
/// not-yet-defined versions. `PolicyScriptChecks` uses it to mark a script failure of a
/// transaction without witness as `TX_WITNESS_STRIPPED`. Meant to run after
/// [`is_standard_tx`] (push-only scriptSigs), as in Core.
pub fn spends_non_anchor_witness_prog(tx: &Transaction, spent: &[TxOut]) -> bool {
    if tx.is_coinbase() {
        return false;
    }
    for (input, prev) in tx.input.iter().zip(spent) {
        let spk = prev.script_pubkey.as_bytes();
        if witness_program(spk).is_some() && !is_p2a(spk) {
            return true;
        }
        if is_p2sh(spk)
            && let Some(redeem) = p2sh_redeem_script(&input.script_sig)
            && witness_program(&redeem).is_some()
        {
            return true;
        }
    }
    false
}

/// Core's `GetSigOpsAdjustedWeight`: the weight, or the sigop cost times `bytes_per_sigop` if
/// larger.
pub fn sigops_adjusted_weight(weight: u64, sigop_cost: u64, bytes_per_sigop: u64) -> u64 {
    weight.max(sigop_cost.saturating_mul(bytes_per_sigop))
}

/// Core's `GetVirtualTransactionSize`: the [`sigops_adjusted_weight`] divided by 4, rounded up
/// (the size fee rates and mempool limits use; [`Policy::bytes_per_sigop`] is
/// `-bytespersigop`).
pub fn virtual_size(weight: u64, sigop_cost: u64, bytes_per_sigop: u64) -> u64 {
    sigops_adjusted_weight(weight, sigop_cost, bytes_per_sigop).div_ceil(WITNESS_SCALE_FACTOR)
}

/// Core's `PreCheckEphemeralTx`: a transaction with a dust output (ephemeral dust) must pay
/// no fee, neither `base_fee` (inputs minus outputs, never negative after `CheckTxInputs`)
/// nor `modified_fee` (satoshis, with the `prioritisetransaction` delta, which may make it
/// negative), so that it is never worth mining alone. Error `"dust"` (`TX_NOT_STANDARD`,
/// debug message [`EPHEMERAL_FEE_DEBUG`]).
pub fn pre_check_ephemeral_tx(
    tx: &Transaction,
    dust_relay_fee_per_kvb: i64,
    base_fee: Amount,
    modified_fee: i64,
) -> Result<(), &'static str> {
    if (base_fee != Amount::ZERO || modified_fee != 0)
        && !dust_outputs(tx, dust_relay_fee_per_kvb).is_empty()
    {
        return Err("dust");
    }
    Ok(())
}

/// [`check_ephemeral_spends`]' failure: the first transaction of the package (in order) that
/// leaves dust of one of its parents unspent. Display is Core's debug message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("tx {txid} (wtxid={wtxid}) did not spend parent's ephemeral dust")]
pub struct MissingEphemeralSpends {
    /// The child's index in the package.
    pub index: usize,
    /// The child's txid.
    pub txid: Txid,
    /// The child's wtxid (Core's `out_child_wtxid`).
    pub wtxid: Wtxid,
}

impl MissingEphemeralSpends {
    /// Core's reject reason for the child (`TX_MEMPOOL_POLICY`).
    pub const REASON: &'static str = "missing-ephemeral-spends";
}

/// Core's `CheckEphemeralSpends`: every transaction of `package` (one transaction for a
/// single submission) must spend all the dust outputs (at `dust_relay_fee_per_kvb`) of each
/// parent it spends from, a parent being another transaction of `package` (looked up there
/// first, whatever its position) or a transaction of the mempool: `mempool_get(txid)` returns
/// the mempool's transaction with that txid (Core's `CTxMemPool::get`). Parents found
/// neither way (confirmed ones) are not checked.
pub fn check_ephemeral_spends<P, M, F>(
    package: &[P],
    dust_relay_fee_per_kvb: i64,
    mut mempool_get: F,
) -> Result<(), MissingEphemeralSpends>
where
    P: Borrow<Transaction>,
    M: Borrow<Transaction>,
    F: FnMut(&Txid) -> Option<M>,
{
    let by_txid: BTreeMap<Txid, &Transaction> = package
        .iter()
        .map(|tx| (tx.borrow().compute_txid(), tx.borrow()))
        .collect();
    for (index, tx) in package.iter().enumerate() {
        let tx: &Transaction = tx.borrow();
        let mut processed: HashSet<Txid> = HashSet::new();
        let mut unspent_parent_dust: HashSet<OutPoint> = HashSet::new();
        for input in &tx.input {
            let parent_txid = input.previous_output.txid;
            if !processed.insert(parent_txid) {
                continue;
            }
            let mut add_dust = |parent: &Transaction| {
                for (vout, output) in (0u32..).zip(&parent.output) {
                    if is_dust(output, dust_relay_fee_per_kvb) {
                        unspent_parent_dust.insert(OutPoint::new(parent_txid, vout));
                    }
                }
            };
            if let Some(parent) = by_txid.get(&parent_txid) {
                add_dust(parent);
            } else if let Some(parent) = mempool_get(&parent_txid) {
                add_dust(parent.borrow());
            }
        }
        if unspent_parent_dust.is_empty() {
            continue;
        }
        for input in &tx.input {
            unspent_parent_dust.remove(&input.previous_output);
        }
        if !unspent_parent_dust.is_empty() {
            return Err(MissingEphemeralSpends {
                index,
                txid: tx.compute_txid(),
                wtxid: tx.compute_wtxid(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::hashes::Hash;
    use bitcoin::{ScriptBuf, Sequence, TxIn, Witness, absolute, transaction};

    /// A compressed public key (the generator's).
    const PUBKEY: [u8; 33] = [
        0x02, 0x79, 0xbe, 0x66, 0x7e, 0xf9, 0xdc, 0xbb, 0xac, 0x55, 0xa0, 0x62, 0x95, 0xce, 0x87,
        0x0b, 0x07, 0x02, 0x9b, 0xfc, 0xdb, 0x2d, 0xce, 0x28, 0xd9, 0x59, 0xf2, 0x81, 0x5b, 0x16,
        0xf8, 0x17, 0x98,
    ];

    fn script(bytes: &[u8]) -> ScriptBuf {
        ScriptBuf::from_bytes(bytes.to_vec())
    }

    fn p2pkh() -> ScriptBuf {
        let mut s = vec![OP_DUP, OP_HASH160, 20];
        s.extend([0x75; 20]);
        s.extend([OP_EQUALVERIFY, OP_CHECKSIG]);
        script(&s)
    }

    fn p2sh(hash_byte: u8) -> ScriptBuf {
        let mut s = vec![OP_HASH160, 20];
        s.extend([hash_byte; 20]);
        s.push(OP_EQUAL);
        script(&s)
    }

    fn witness_v(version: u8, program_len: usize) -> ScriptBuf {
        let mut s = vec![
            if version == 0 { 0 } else { OP_1 - 1 + version },
            program_len as u8,
        ];
        s.extend(std::iter::repeat_n(0x42, program_len));
        script(&s)
    }

    fn p2a() -> ScriptBuf {
        script(&[OP_1, 0x02, 0x4e, 0x73])
    }

    fn multisig(m: u8, n: usize) -> ScriptBuf {
        let mut s = vec![OP_1 - 1 + m];
        for _ in 0..n {
            s.push(33);
            s.extend(PUBKEY);
        }
        s.extend([OP_1 - 1 + n as u8, OP_CHECKMULTISIG]);
        script(&s)
    }

    /// `OP_RETURN` and one push of `len` bytes (direct or `OP_PUSHDATA1`).
    fn op_return(len: usize) -> ScriptBuf {
        let mut s = vec![OP_RETURN];
        if len <= 75 {
            s.push(len as u8);
        } else {
            s.extend([OP_PUSHDATA1, len as u8]);
        }
        s.extend(std::iter::repeat_n(0x99, len));
        script(&s)
    }

    fn out(value: u64, script_pubkey: ScriptBuf) -> TxOut {
        TxOut {
            value: Amount::from_sat(value),
            script_pubkey,
        }
    }

    fn input(n: u8, script_sig: ScriptBuf, witness: Witness) -> TxIn {
        TxIn {
            previous_output: OutPoint::new(Txid::from_byte_array([n; 32]), 0),
            script_sig,
            sequence: Sequence::MAX,
            witness,
        }
    }

    fn tx_with(version: i32, input: Vec<TxIn>, output: Vec<TxOut>) -> Transaction {
        Transaction {
            version: transaction::Version(version),
            lock_time: absolute::LockTime::ZERO,
            input,
            output,
        }
    }

    /// A standard transaction: one input, one P2PKH output of 1 UMK.
    fn good_tx() -> Transaction {
        tx_with(
            2,
            vec![input(1, ScriptBuf::new(), Witness::new())],
            vec![out(100_000_000, p2pkh())],
        )
    }

    /// A scriptSig pushing `items` (each with the shortest push opcode).
    fn pushes(items: &[&[u8]]) -> ScriptBuf {
        let mut b = bitcoin::script::Builder::new();
        for item in items {
            let Ok(push) = <&bitcoin::script::PushBytes>::try_from(*item) else {
                panic!("push too large");
            };
            b = b.push_slice(push);
        }
        b.into_script()
    }

    #[test]
    fn standard_flags_are_cores_bits() {
        // Every flag of v31's STANDARD_SCRIPT_VERIFY_FLAGS exists in Core 26's interpreter,
        // at the same bit: bits 0 to 20 but SIGPUSHONLY (5).
        assert_eq!(STANDARD_SCRIPT_VERIFY_FLAGS, 0x1f_ffdf);
        assert_eq!(MANDATORY_SCRIPT_VERIFY_FLAGS, 0x2_0e15);
        assert_eq!(STANDARD_NOT_MANDATORY_VERIFY_FLAGS & VERIFY_SIGPUSHONLY, 0);
        assert_eq!(MAX_STANDARD_TX_SIGOPS_COST, 16_000);
        assert_eq!(MAX_OP_RETURN_RELAY, 100_000);
    }

    #[test]
    fn the_standard_flags_reach_the_interpreter() {
        // P2SH of OP_1, spent with an extra item: valid by consensus, but CLEANSTACK fails.
        let redeem = [OP_1];
        let hash = bitcoin::hashes::hash160::Hash::hash(&redeem);
        let mut spk = vec![OP_HASH160, 20];
        spk.extend(hash.to_byte_array());
        spk.push(OP_EQUAL);
        let spent = out(1000, script(&spk));
        let tx = tx_with(
            2,
            vec![input(1, script(&[OP_1, 0x01, OP_1]), Witness::new())],
            vec![out(500, p2pkh())],
        );
        let spent = std::slice::from_ref(&spent);
        assert_eq!(
            umkoin_consensus::verify_input(&tx, spent, 0, MANDATORY_SCRIPT_VERIFY_FLAGS),
            Ok(())
        );
        assert_eq!(
            umkoin_consensus::verify_input(&tx, spent, 0, STANDARD_SCRIPT_VERIFY_FLAGS)
                .map_err(|e| e.to_string()),
            Err("Stack size must be exactly one after execution".to_string())
        );
    }

    #[test]
    fn version() {
        // Core: testmempoolaccept of versions 0 and 4 → "version"; 1, 2 and 3 accepted.
        let policy = Policy::default();
        for (version, expected) in [
            (0, Err("version")),
            (1, Ok(())),
            (2, Ok(())),
            (3, Ok(())),
            (4, Err("version")),
            (-1, Err("version")),
        ] {
            let mut tx = good_tx();
            tx.version = transaction::Version(version);
            assert_eq!(is_standard_tx(&tx, &policy), expected, "version {version}");
        }
    }

    /// Core: the same transaction with a witness item of 399 652 bytes (weight 400 000)
    /// gets past IsStandardTx ("missing-inputs"), with 399 653 it is "tx-size".
    #[test]
    fn tx_size() {
        let policy = Policy::default();
        let mut tx = good_tx();
        let base_weight = tx.weight().to_wu();
        // A witness item of n bytes adds n + 2 (marker, flag) + 1 (item count) + 5 (its
        // length, n >= 65 536) weight units.
        let n = (MAX_STANDARD_TX_WEIGHT - base_weight - 8) as usize;
        tx.input[0].witness = Witness::from_slice(&[vec![0u8; n]]);
        assert_eq!(tx.weight().to_wu(), MAX_STANDARD_TX_WEIGHT);
        assert_eq!(is_standard_tx(&tx, &policy), Ok(()));
        tx.input[0].witness = Witness::from_slice(&[vec![0u8; n + 1]]);
        assert_eq!(is_standard_tx(&tx, &policy), Err("tx-size"));
    }

    /// Core: a 1650-byte scriptSig gets past IsStandardTx, 1651 is "scriptsig-size";
    /// `OP_1 OP_NOP` and a truncated push are "scriptsig-not-pushonly", `OP_RESERVED
    /// OP_1NEGATE OP_16 OP_PUSHDATA1 0` passes.
    #[test]
    fn script_sigs() {
        let policy = Policy::default();
        let mut tx = good_tx();
        // 1650 bytes of pushes: three 520-byte pushes (OP_PUSHDATA2, 523 bytes each) and
        // one of 79 bytes (OP_PUSHDATA1, 81).
        let big = vec![7u8; 520];
        let rest = vec![7u8; 79];
        tx.input[0].script_sig = pushes(&[&big, &big, &big, &rest]);
        assert_eq!(tx.input[0].script_sig.len(), MAX_STANDARD_SCRIPTSIG_SIZE);
        assert_eq!(is_standard_tx(&tx, &policy), Ok(()));
        let rest = vec![7u8; 80];
        tx.input[0].script_sig = pushes(&[&big, &big, &big, &rest]);
        assert_eq!(is_standard_tx(&tx, &policy), Err("scriptsig-size"));
        // OP_NOP is not a push; OP_RESERVED counts as one (Core's IsPushOnly).
        tx.input[0].script_sig = script(&[OP_1, 0x61]);
        assert_eq!(is_standard_tx(&tx, &policy), Err("scriptsig-not-pushonly"));
        tx.input[0].script_sig = script(&[OP_RESERVED, OP_1NEGATE, OP_16, 0x4c, 0x00]);
        assert_eq!(is_standard_tx(&tx, &policy), Ok(()));
        // A push running past the end is not push-only.
        tx.input[0].script_sig = script(&[0x05, 1, 2]);
        assert_eq!(is_standard_tx(&tx, &policy), Err("scriptsig-not-pushonly"));
        // The size is checked first, input by input.
        tx.input.push(input(2, script(&[0x61]), Witness::new()));
        tx.input[0].script_sig = ScriptBuf::new();
        assert_eq!(is_standard_tx(&tx, &policy), Err("scriptsig-not-pushonly"));
    }

    /// Core (an extra output of 1000 satoshis): "scriptpubkey" for witness v0 with 21 bytes,
    /// 1-of-4 and 3-of-2 multisig, 17-of-17 with pushed numbers, a non-minimal key count,
    /// OP_TRUE, an empty script, `OP_RETURN OP_NOP` and a 10 001-byte script; witness v1
    /// with 20 bytes, v2 and v16, bare `OP_RETURN`, `OP_RETURN OP_1 OP_16 OP_RESERVED` and
    /// 1-of-3 multisig get past IsStandardTx.
    #[test]
    fn output_types() {
        let policy = Policy::default();
        let mut uncompressed = vec![65u8, 0x04];
        uncompressed.extend([0x11; 64]);
        uncompressed.push(OP_CHECKSIG);
        let mut compressed = vec![33u8];
        compressed.extend(PUBKEY);
        compressed.push(OP_CHECKSIG);
        let mut bad_key = compressed.clone();
        bad_key[1] = 0x05;
        let cases: Vec<(ScriptBuf, Option<TxoutType>)> = vec![
            (p2pkh(), Some(TxoutType::PubkeyHash)),
            (p2sh(1), Some(TxoutType::ScriptHash)),
            (witness_v(0, 20), Some(TxoutType::WitnessV0KeyHash)),
            (witness_v(0, 32), Some(TxoutType::WitnessV0ScriptHash)),
            (witness_v(1, 32), Some(TxoutType::WitnessV1Taproot)),
            (p2a(), Some(TxoutType::Anchor)),
            (witness_v(1, 20), Some(TxoutType::WitnessUnknown)),
            (witness_v(2, 32), Some(TxoutType::WitnessUnknown)),
            (witness_v(16, 2), Some(TxoutType::WitnessUnknown)),
            (witness_v(0, 21), None),
            (witness_v(0, 40), None),
            (script(&compressed), Some(TxoutType::Pubkey)),
            (script(&uncompressed), Some(TxoutType::Pubkey)),
            (script(&bad_key), None),
            (multisig(1, 1), Some(TxoutType::Multisig)),
            (multisig(2, 3), Some(TxoutType::Multisig)),
            (multisig(1, 4), None),
            (multisig(3, 2), None),
            (op_return(0), Some(TxoutType::NullData)),
            (script(&[OP_RETURN]), Some(TxoutType::NullData)),
            (
                script(&[OP_RETURN, OP_1, OP_16, OP_RESERVED]),
                Some(TxoutType::NullData),
            ),
            (script(&[OP_RETURN, 0x61]), None),
            (script(&[OP_1]), None),
            (ScriptBuf::new(), None),
        ];
        for (spk, expected) in cases {
            assert_eq!(is_standard(&spk), expected, "{spk:?}");
            let mut tx = good_tx();
            tx.output.push(out(1000, spk.clone()));
            let verdict = is_standard_tx(&tx, &policy);
            if expected.is_some() {
                assert_eq!(verdict, Ok(()), "{spk:?}");
            } else {
                assert_eq!(verdict, Err("scriptpubkey"), "{spk:?}");
            }
        }
        // Multisig counts through minimal pushes, not OP_1NEGATE or padded numbers.
        let mut s = vec![0x01, 0x11];
        for _ in 0..17 {
            s.push(33);
            s.extend(PUBKEY);
        }
        s.extend([0x01, 0x11, OP_CHECKMULTISIG]);
        let (kind, sol) = solver(&script(&s));
        assert_eq!(
            (kind, sol.len(), sol[0].clone()),
            (TxoutType::Multisig, 19, vec![17])
        );
        assert_eq!(is_standard(&script(&s)), None);
        s[1] = 0x01; // push of 1: should have been OP_1
        assert_eq!(solver(&script(&s)).0, TxoutType::Nonstandard);
        assert_eq!(TxoutType::NullData.name(), "nulldata");
    }

    /// Core with -permitbaremultisig=0: 1-of-3 is "bare-multisig", 1-of-4 "scriptpubkey".
    #[test]
    fn bare_multisig() {
        let mut tx = good_tx();
        tx.output.push(out(1000, multisig(1, 3)));
        assert_eq!(is_standard_tx(&tx, &Policy::default()), Ok(()));
        let strict = Policy {
            permit_bare_multisig: false,
            ..Policy::default()
        };
        assert_eq!(is_standard_tx(&tx, &strict), Err("bare-multisig"));
        // A nonstandard multisig fails as scriptpubkey before bare-multisig.
        tx.output[1] = out(1000, multisig(1, 4));
        assert_eq!(is_standard_tx(&tx, &strict), Err("scriptpubkey"));
    }

    #[test]
    fn datacarrier() {
        // Core v31: any number of OP_RETURN outputs, their scriptPubKeys together at most
        // -datacarriersize bytes (100 000 by default). Core with -datacarriersize=414: five
        // 83-byte OP_RETURN outputs are "datacarrier", four and one of 82 bytes pass; with
        // -datacarrier=0 a bare OP_RETURN is "datacarrier".
        let mut tx = good_tx();
        for _ in 0..5 {
            tx.output.push(out(0, op_return(80)));
        }
        assert_eq!(is_standard_tx(&tx, &Policy::default()), Ok(()));
        // 5 outputs of 83 bytes: 415 bytes.
        let limit = |n| Policy {
            max_datacarrier_bytes: Some(n),
            ..Policy::default()
        };
        assert_eq!(is_standard_tx(&tx, &limit(415)), Ok(()));
        assert_eq!(is_standard_tx(&tx, &limit(414)), Err("datacarrier"));
        // -datacarrier=0: no OP_RETURN at all, even a bare one.
        let off = Policy {
            max_datacarrier_bytes: None,
            ..Policy::default()
        };
        let mut tx = good_tx();
        tx.output.push(out(0, script(&[OP_RETURN])));
        assert_eq!(is_standard_tx(&tx, &off), Err("datacarrier"));
        assert_eq!(is_standard_tx(&tx, &limit(1)), Ok(()));
        // One OP_RETURN of 100 000 bytes is within the default but over the weight.
        let mut tx = good_tx();
        let mut big = vec![OP_RETURN, OP_PUSHDATA4];
        big.extend(99_994u32.to_le_bytes());
        big.extend(vec![0u8; 99_994]);
        assert_eq!(big.len() as u64, MAX_OP_RETURN_RELAY);
        tx.output.push(out(0, script(&big)));
        assert_eq!(is_standard_tx(&tx, &Policy::default()), Err("tx-size"));
    }

    #[test]
    fn dust_thresholds() {
        // Core v31, testmempoolaccept of a transaction adding two outputs of the type at the
        // threshold (past IsStandardTx: "missing-inputs") and one satoshi below it ("dust":
        // two dust outputs); GetFee rounds up. At 3000 sat/kvB (the default) and 1234
        // sat/kvB (-dustrelayfee=0.00001234).
        let mut compressed = vec![33u8];
        compressed.extend(PUBKEY);
        compressed.push(OP_CHECKSIG);
        let cases: Vec<(&str, ScriptBuf, u64, u64)> = vec![
            ("p2pkh", p2pkh(), 546, 225),
            ("p2sh", p2sh(1), 540, 223),
            ("p2wpkh", witness_v(0, 20), 294, 121),
            ("p2wsh", witness_v(0, 32), 330, 136),
            ("p2tr", witness_v(1, 32), 330, 136),
            ("p2a", p2a(), 240, 99),
            ("p2pk", script(&compressed), 576, 237),
            ("multisig 1-of-1", multisig(1, 1), 582, 240),
            ("op_return", op_return(20), 0, 0),
        ];
        for (name, spk, at_3000, at_1234) in cases {
            let o = out(0, spk);
            assert_eq!(dust_threshold(&o, 3000).to_sat(), at_3000, "{name}");
            assert_eq!(dust_threshold(&o, 1234).to_sat(), at_1234, "{name}");
            assert_eq!(dust_threshold(&o, 0).to_sat(), 0, "{name}");
            for (rate, threshold) in [(3000, at_3000), (1234, at_1234)] {
                let at = out(threshold, o.script_pubkey.clone());
                assert!(!is_dust(&at, rate), "{name}");
                if threshold > 0 {
                    let below = out(threshold - 1, o.script_pubkey.clone());
                    assert!(is_dust(&below, rate), "{name}");
                }
            }
        }
        // Unspendable by size: over 10 000 bytes.
        assert_eq!(
            dust_threshold(&out(0, script(&[OP_1; 10_001])), 3000),
            Amount::ZERO
        );
    }

    #[test]
    fn dust_outputs_in_a_transaction() {
        let policy = Policy::default();
        let mut tx = good_tx();
        tx.output.push(out(545, p2pkh()));
        assert_eq!(dust_outputs(&tx, DUST_RELAY_TX_FEE), vec![1]);
        // One dust output is allowed (ephemeral dust) ...
        assert_eq!(is_standard_tx(&tx, &policy), Ok(()));
        // ... two are not.
        tx.output.push(out(0, witness_v(1, 32)));
        assert_eq!(is_standard_tx(&tx, &policy), Err("dust"));
        // With -dustrelayfee=0 nothing is dust.
        let free = Policy {
            dust_relay_fee_per_kvb: 0,
            ..Policy::default()
        };
        assert_eq!(is_standard_tx(&tx, &free), Ok(()));
    }

    #[test]
    fn tx_size_small_limit() {
        // Non-witness size: 4 + 1 + (32 + 4 + 1 + n + 4) + 1 + (8 + 1 + m) + 4 with a
        // scriptSig of n and an output script of m bytes (both under 253): 60 + n + m. 64
        // bytes is too small (CVE-2017-12842), 65 is not.
        let mut tx = tx_with(
            2,
            vec![input(1, ScriptBuf::new(), Witness::new())],
            vec![out(0, script(&[OP_RETURN, 0x02, 0x00, 0x00]))],
        );
        assert_eq!(tx.base_size(), 64);
        assert!(tx_size_small(&tx));
        tx.output[0] = out(0, script(&[OP_RETURN, 0x03, 0x00, 0x00, 0x00]));
        assert_eq!(tx.base_size(), 65);
        assert!(!tx_size_small(&tx));
        // The witness does not count.
        tx.output[0] = out(0, script(&[OP_RETURN, 0x02, 0x00, 0x00]));
        tx.input[0].witness = Witness::from_slice(&[vec![0u8; 100]]);
        assert!(tx_size_small(&tx));
    }

    #[test]
    fn virtual_sizes() {
        assert_eq!(virtual_size(400, 0, 20), 100);
        assert_eq!(virtual_size(401, 0, 20), 101);
        assert_eq!(virtual_size(403, 0, 20), 101);
        // 80 sigop cost at 20 bytes each: 1600 weight units.
        assert_eq!(virtual_size(400, 80, 20), 400);
        assert_eq!(virtual_size(400, 80, 0), 100);
        assert_eq!(sigops_adjusted_weight(400, 80, 20), 1600);
    }

    /// Core: a transaction with a 0-value P2A output paying 1000 satoshis is "dust"
    /// ("dust, tx with dust output must be 0-fee"); paying none it gets to the fee rate
    /// check ("min relay fee not met").
    #[test]
    fn ephemeral_fee() {
        let sat = Amount::from_sat;
        let mut tx = good_tx();
        tx.output.push(out(0, p2a()));
        assert_eq!(
            pre_check_ephemeral_tx(&tx, DUST_RELAY_TX_FEE, sat(0), 0),
            Ok(())
        );
        assert_eq!(
            pre_check_ephemeral_tx(&tx, DUST_RELAY_TX_FEE, sat(1), 1),
            Err("dust")
        );
        // Prioritised (modified fee) alone is enough to refuse it.
        assert_eq!(
            pre_check_ephemeral_tx(&tx, DUST_RELAY_TX_FEE, sat(0), 1),
            Err("dust")
        );
        assert_eq!(
            pre_check_ephemeral_tx(&tx, DUST_RELAY_TX_FEE, sat(1), 0),
            Err("dust")
        );
        // No dust: any fee.
        assert_eq!(
            pre_check_ephemeral_tx(&good_tx(), DUST_RELAY_TX_FEE, sat(500), 500),
            Ok(())
        );
        assert_eq!(pre_check_ephemeral_tx(&tx, 0, sat(500), 500), Ok(()));
    }

    /// Core: submitpackage of a 0-fee parent with a dust P2A output and a child spending
    /// only its other output: package "unspent-dust", child "missing-ephemeral-spends, tx
    /// <txid> (wtxid=<wtxid>) did not spend parent's ephemeral dust".
    #[test]
    fn ephemeral_spends() {
        let none = |_: &Txid| -> Option<Transaction> { None };
        // A parent with a P2A dust output at 1 and a normal output at 0.
        let mut parent = good_tx();
        parent.output.push(out(0, p2a()));
        let parent_txid = parent.compute_txid();
        let spend = |vouts: &[u32]| {
            tx_with(
                3,
                vouts
                    .iter()
                    .map(|v| TxIn {
                        previous_output: OutPoint::new(parent_txid, *v),
                        ..input(0, ScriptBuf::new(), Witness::new())
                    })
                    .collect(),
                vec![out(1000, p2pkh())],
            )
        };
        let good_child = spend(&[0, 1]);
        let bad_child = spend(&[0]);
        assert_eq!(
            check_ephemeral_spends(&[&parent, &good_child], DUST_RELAY_TX_FEE, none),
            Ok(())
        );
        let err = check_ephemeral_spends(&[&parent, &bad_child], DUST_RELAY_TX_FEE, none);
        let expected = MissingEphemeralSpends {
            index: 1,
            txid: bad_child.compute_txid(),
            wtxid: bad_child.compute_wtxid(),
        };
        assert_eq!(err, Err(expected.clone()));
        assert_eq!(
            expected.to_string(),
            format!(
                "tx {} (wtxid={}) did not spend parent's ephemeral dust",
                bad_child.compute_txid(),
                bad_child.compute_wtxid()
            )
        );
        assert_eq!(MissingEphemeralSpends::REASON, "missing-ephemeral-spends");
        // The parent in the mempool, the child alone.
        let in_pool = |txid: &Txid| (*txid == parent_txid).then_some(&parent);
        assert_eq!(
            check_ephemeral_spends(&[&good_child], DUST_RELAY_TX_FEE, in_pool),
            Ok(())
        );
        assert_eq!(
            check_ephemeral_spends(&[&bad_child], DUST_RELAY_TX_FEE, in_pool).map_err(|e| e.index),
            Err(0)
        );
        // A parent that is neither in the package nor in the mempool is not checked.
        assert_eq!(
            check_ephemeral_spends(&[&bad_child], DUST_RELAY_TX_FEE, none),
            Ok(())
        );
        // Nor is anything dust at a zero dust fee rate.
        assert_eq!(check_ephemeral_spends(&[&bad_child], 0, in_pool), Ok(()));
        // A parent without dust needs no particular spend.
        let clean = good_tx();
        let child = tx_with(
            2,
            vec![TxIn {
                previous_output: OutPoint::new(clean.compute_txid(), 0),
                ..input(0, ScriptBuf::new(), Witness::new())
            }],
            vec![out(1000, p2pkh())],
        );
        assert_eq!(
            check_ephemeral_spends(&[&clean, &child], DUST_RELAY_TX_FEE, none),
            Ok(())
        );
    }

    /// A redeem script of `n` OP_CHECKSIGs.
    fn checksigs(n: usize) -> Vec<u8> {
        vec![OP_CHECKSIG; n]
    }

    /// Core (real coins, scripts that would fail): past AreInputsStandard the failure is
    /// "mempool-script-verify-flag-failed (...)", otherwise "bad-txns-nonstandard-inputs":
    /// P2SH of 15 OP_CHECKSIGs passes, 16 fails; an empty or OP_RESERVED scriptSig for P2SH
    /// fails; spending OP_TRUE or witness v2 fails, P2A passes; 166 inputs of P2SH(15
    /// OP_CHECKSIGs) pass, 167 fail (BIP54); 125 bare 1-of-20 multisig inputs pass, 126 fail.
    #[test]
    fn inputs() {
        let spend_one = |script_sig: ScriptBuf, prev: ScriptBuf| {
            let tx = tx_with(
                2,
                vec![input(1, script_sig, Witness::new())],
                vec![out(1000, p2pkh())],
            );
            are_inputs_standard(&tx, &[out(5000, prev)])
        };
        // Core: a P2SH redeem script of 15 OP_CHECKSIGs is standard, 16 gives
        // "bad-txns-nonstandard-inputs".
        assert!(spend_one(pushes(&[&checksigs(15)]), p2sh(1)));
        assert!(!spend_one(pushes(&[&checksigs(16)]), p2sh(1)));
        // CHECKMULTISIG counts its key count accurately after OP_n, 20 otherwise.
        assert!(spend_one(
            pushes(&[&[OP_16 - 1, OP_CHECKMULTISIG]]),
            p2sh(1)
        ));
        assert!(!spend_one(pushes(&[&[OP_16, OP_CHECKMULTISIG]]), p2sh(1)));
        assert!(!spend_one(pushes(&[&[OP_CHECKMULTISIG]]), p2sh(1)));
        // An empty scriptSig leaves no redeem script; OP_RESERVED fails the evaluation.
        assert!(!spend_one(ScriptBuf::new(), p2sh(1)));
        assert!(!spend_one(script(&[OP_RESERVED]), p2sh(1)));
        assert!(spend_one(script(&[OP_1]), p2sh(1)));
        // Nonstandard and unknown witness versions may not be spent; anchors, bare multisig
        // and known kinds may.
        assert!(!spend_one(ScriptBuf::new(), script(&[OP_1])));
        assert!(!spend_one(ScriptBuf::new(), witness_v(2, 32)));
        assert!(!spend_one(ScriptBuf::new(), witness_v(1, 20)));
        assert!(spend_one(ScriptBuf::new(), p2a()));
        assert!(spend_one(ScriptBuf::new(), witness_v(1, 32)));
        assert!(spend_one(ScriptBuf::new(), multisig(1, 3)));
        assert!(spend_one(ScriptBuf::new(), p2pkh()));
        // BIP54: more than 2500 legacy sigops across the inputs. 167 inputs of 15 sigops
        // each: 2505.
        let many = |n: u8| {
            let tx = tx_with(
                2,
                (0..n)
                    .map(|i| input(i, pushes(&[&checksigs(15)]), Witness::new()))
                    .collect(),
                vec![out(1000, p2pkh())],
            );
            let spent: Vec<TxOut> = (0..n).map(|_| out(5000, p2sh(1))).collect();
            are_inputs_standard(&tx, &spent)
        };
        assert!(many(166));
        assert!(!many(167));
        // Spent bare multisig outputs count towards it as well: a 1-of-20 whose key count
        // is a push (not OP_n) counts 20: 125 of them make 2500, 126 make 2520.
        let mut big_multisig = vec![OP_1];
        for _ in 0..20 {
            big_multisig.push(33);
            big_multisig.extend(PUBKEY);
        }
        big_multisig.extend([0x01, 20, OP_CHECKMULTISIG]);
        let bare = |n: u8| {
            let tx = tx_with(
                2,
                (0..n)
                    .map(|i| input(i, ScriptBuf::new(), Witness::new()))
                    .collect(),
                vec![out(1000, p2pkh())],
            );
            let spent: Vec<TxOut> = (0..n).map(|_| out(5000, script(&big_multisig))).collect();
            // Nonstandard kind (20 keys is not standard as an output, but Solver says
            // MULTISIG; spending one is allowed).
            are_inputs_standard(&tx, &spent)
        };
        assert!(bare(125));
        assert!(!bare(126));
        // The spent outputs must match the inputs.
        assert!(!are_inputs_standard(&good_tx(), &[]));
    }

    /// Core (real coins): "bad-witness-nonstandard" for a witness on P2PKH, on P2A and on a
    /// P2SH whose redeem script is no witness program; P2WSH witness script of 3601 bytes,
    /// 101 items, an item of 81 bytes (also P2SH-wrapped); taproot annex, tapscript item of
    /// 81 bytes, empty control block. Past it ("mempool-script-verify-flag-failed"): script
    /// of 3600, 100 items of 80 bytes, key path, tapscript item of 80 bytes, an 81-byte item
    /// under leaf version 0xc2.
    #[test]
    fn witnesses() {
        let spend_one = |script_sig: ScriptBuf, witness: Vec<Vec<u8>>, prev: ScriptBuf| {
            let tx = tx_with(
                2,
                vec![input(1, script_sig, Witness::from_slice(&witness))],
                vec![out(1000, p2pkh())],
            );
            is_witness_standard(&tx, &[out(5000, prev)])
        };
        let p2wsh = witness_v(0, 32);
        let p2tr = witness_v(1, 32);
        let item = |n: usize| vec![1u8; n];
        // No witness: fine whatever is spent.
        assert!(spend_one(ScriptBuf::new(), vec![], script(&[OP_1])));
        // A witness on something that is not a witness program, or on an anchor.
        assert!(!spend_one(ScriptBuf::new(), vec![item(1)], p2pkh()));
        assert!(!spend_one(ScriptBuf::new(), vec![item(1)], p2a()));
        // P2WSH: script up to 3600 bytes, up to 100 items of up to 80 bytes.
        assert!(spend_one(ScriptBuf::new(), vec![item(3600)], p2wsh.clone()));
        assert!(!spend_one(
            ScriptBuf::new(),
            vec![item(3601)],
            p2wsh.clone()
        ));
        let mut stack = vec![item(80); 100];
        stack.push(item(10));
        assert!(spend_one(ScriptBuf::new(), stack.clone(), p2wsh.clone()));
        stack[0] = item(81);
        assert!(!spend_one(ScriptBuf::new(), stack.clone(), p2wsh.clone()));
        stack[0] = item(80);
        stack.insert(0, item(1));
        assert!(!spend_one(ScriptBuf::new(), stack, p2wsh.clone()));
        // P2SH-P2WSH: the same limits apply through the redeem script.
        let redeem = p2wsh.as_bytes().to_vec();
        assert!(spend_one(
            pushes(&[&redeem]),
            vec![item(80), item(10)],
            p2sh(1)
        ));
        assert!(!spend_one(
            pushes(&[&redeem]),
            vec![item(81), item(10)],
            p2sh(1)
        ));
        // A P2SH redeem script that is not a witness program may not have a witness.
        assert!(!spend_one(pushes(&[&[OP_1]]), vec![item(1)], p2sh(1)));
        assert!(!spend_one(ScriptBuf::new(), vec![item(1)], p2sh(1)));
        // P2WPKH: no size limits from policy here.
        assert!(spend_one(
            ScriptBuf::new(),
            vec![item(200), item(200)],
            witness_v(0, 20)
        ));
        // Taproot: key path, annex, script path with tapscript items up to 80 bytes.
        let control = |leaf: u8| {
            let mut c = vec![leaf];
            c.extend([2u8; 32]);
            c
        };
        assert!(spend_one(ScriptBuf::new(), vec![item(64)], p2tr.clone()));
        assert!(spend_one(ScriptBuf::new(), vec![item(300)], p2tr.clone()));
        assert!(!spend_one(
            ScriptBuf::new(),
            vec![item(64), vec![ANNEX_TAG, 1]],
            p2tr.clone()
        ));
        assert!(spend_one(
            ScriptBuf::new(),
            vec![item(80), vec![OP_1], control(0xc0)],
            p2tr.clone()
        ));
        assert!(spend_one(
            ScriptBuf::new(),
            vec![item(80), vec![OP_1], control(0xc1)],
            p2tr.clone()
        ));
        assert!(!spend_one(
            ScriptBuf::new(),
            vec![item(81), vec![OP_1], control(0xc0)],
            p2tr.clone()
        ));
        // Another leaf version: no item size rule.
        assert!(spend_one(
            ScriptBuf::new(),
            vec![item(81), vec![OP_1], control(0xc2)],
            p2tr.clone()
        ));
        assert!(!spend_one(
            ScriptBuf::new(),
            vec![item(1), vec![OP_1], vec![]],
            p2tr.clone()
        ));
        // The script itself is not limited to 80 bytes.
        assert!(spend_one(
            ScriptBuf::new(),
            vec![item(1), item(500), control(0xc0)],
            p2tr.clone()
        ));
        // P2SH-wrapped v1 program: not a taproot spend, no taproot rules.
        let wrapped = p2tr.as_bytes().to_vec();
        assert!(spend_one(
            pushes(&[&wrapped]),
            vec![item(64), vec![ANNEX_TAG]],
            p2sh(1)
        ));
        // Unknown witness versions: no rules here (AreInputsStandard refuses them).
        assert!(spend_one(
            ScriptBuf::new(),
            vec![item(500)],
            witness_v(2, 32)
        ));
    }

    #[test]
    fn witness_stripped_detection() {
        let spends = |script_sig: ScriptBuf, prev: ScriptBuf| {
            let tx = tx_with(
                2,
                vec![input(1, script_sig, Witness::new())],
                vec![out(1000, p2pkh())],
            );
            spends_non_anchor_witness_prog(&tx, &[out(5000, prev)])
        };
        assert!(spends(ScriptBuf::new(), witness_v(0, 20)));
        assert!(spends(ScriptBuf::new(), witness_v(1, 32)));
        assert!(spends(ScriptBuf::new(), witness_v(5, 10)));
        assert!(!spends(ScriptBuf::new(), p2a()));
        assert!(!spends(ScriptBuf::new(), p2pkh()));
        let redeem = witness_v(0, 20).as_bytes().to_vec();
        assert!(spends(pushes(&[&redeem]), p2sh(1)));
        // P2SH of P2A counts as a witness program (only a direct P2A is exempt).
        assert!(spends(pushes(&[p2a().as_bytes()]), p2sh(1)));
        assert!(!spends(pushes(&[&[OP_1]]), p2sh(1)));
        assert!(!spends(ScriptBuf::new(), p2sh(1)));
    }
}
