//! Core's PSBT format (`psbt.h`, `psbt.cpp`) over rust-bitcoin's [`Psbt`]: reading it
//! with Core's checks and error texts, writing it in Core's order, and Core's `Merge`.
//! Included by [`super`] (`rpc/psbt.rs`).

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bitcoin::bip32::{ChildNumber, DerivationPath, Fingerprint, KeySource, Xpub};
use bitcoin::hashes::{Hash, hash160, ripemd160, sha256, sha256d};
use bitcoin::key::XOnlyPublicKey;
use bitcoin::psbt::{Input, Output, Psbt, PsbtSighashType, raw};
use bitcoin::taproot::{ControlBlock, LeafVersion, TapLeafHash, TapNodeHash, TaprootBuilder};
use bitcoin::{
    Amount, OutPoint, PublicKey, ScriptBuf, Sequence, Transaction, TxIn, TxOut, Txid, Witness,
    absolute, transaction,
};
use serde_json::Value;
use umkoin_interfaces::rpc::code;

use crate::rpc::RpcError;
use crate::rpc::rawtx_create::{self, ControlBytes, get_str, hash160_of};

/// `PSBT_MAGIC_BYTES`.
const MAGIC: &[u8; 5] = b"psbt\xff";
/// `MAX_SIZE` (serialize.h): the largest length `ReadCompactSize` accepts.
const MAX_SIZE: u64 = 0x0200_0000;
/// `TAPROOT_CONTROL_MAX_NODE_COUNT`.
const TAPROOT_CONTROL_MAX_NODE_COUNT: u8 = 128;
/// `TAPROOT_LEAF_MASK`.
const TAPROOT_LEAF_MASK: u8 = 0xfe;
/// `MUSIG2_PUBNONCE_SIZE`.
const MUSIG2_PUBNONCE_SIZE: usize = 66;

// ---------------------------------------------------------------------------------------
// The PSBT, and what Core keeps that rust-bitcoin's model cannot
// ---------------------------------------------------------------------------------------

/// A MuSig2 (aggregate key, leaf hash) pair; a zero leaf hash is the key path.
pub(super) type MusigId = (Vec<u8>, [u8; 32]);

/// A MuSig2 participant-data key: (aggregate key, participant key, leaf hash).
type MusigParticipantId = (Vec<u8>, Vec<u8>, [u8; 32]);

/// An input's fields rust-bitcoin's [`Input`] has no room for (Core's MuSig2 fields).
#[derive(Clone, Debug, Default)]
pub(super) struct InputExtra {
    /// `m_musig2_participants`: participant keys by aggregate key.
    pub(super) musig_participants: BTreeMap<Vec<u8>, Vec<Vec<u8>>>,
    /// `m_musig2_pubnonces`: by (aggregate key, leaf hash), by participant.
    pub(super) musig_pubnonces: BTreeMap<MusigId, BTreeMap<Vec<u8>, Vec<u8>>>,
    /// `m_musig2_partial_sigs`: by (aggregate key, leaf hash), by participant.
    pub(super) musig_partial_sigs: BTreeMap<MusigId, BTreeMap<Vec<u8>, [u8; 32]>>,
}

/// An output's fields rust-bitcoin's [`Output`] cannot keep as Core does.
#[derive(Clone, Debug, Default)]
pub(super) struct OutputExtra {
    /// `m_tap_tree`: (depth, leaf version, script) in the order read.
    pub(super) tap_tree: Vec<(u8, u8, Vec<u8>)>,
    /// `m_musig2_participants`.
    pub(super) musig_participants: BTreeMap<Vec<u8>, Vec<Vec<u8>>>,
}

/// Core's `PartiallySignedTransaction`.
#[derive(Clone, Debug)]
pub(super) struct CorePsbt {
    /// Everything rust-bitcoin models.
    pub(super) psbt: Psbt,
    /// Per input, the rest.
    pub(super) inputs: Vec<InputExtra>,
    /// Per output, the rest.
    pub(super) outputs: Vec<OutputExtra>,
}

impl CorePsbt {
    /// A blank PSBT of `tx` (Core's `PartiallySignedTransaction(tx)`).
    pub(super) fn new(tx: Transaction) -> Self {
        let (n_in, n_out) = (tx.input.len(), tx.output.len());
        CorePsbt {
            psbt: Psbt {
                unsigned_tx: tx,
                version: 0,
                xpub: BTreeMap::new(),
                proprietary: BTreeMap::new(),
                unknown: BTreeMap::new(),
                inputs: vec![Input::default(); n_in],
                outputs: vec![Output::default(); n_out],
            },
            inputs: vec![InputExtra::default(); n_in],
            outputs: vec![OutputExtra::default(); n_out],
        }
    }
}

// ---------------------------------------------------------------------------------------
// Reading, as Core's serialization does
// ---------------------------------------------------------------------------------------

/// A stream exception's text as `what()` gives it (libstdc++ appends the error
/// category's message).
fn ios(message: &str) -> String {
    format!("{message}: iostream error")
}

/// Core's `SpanReader`: every read fails at the end of the data.
struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    /// The next `n` bytes.
    fn read(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.data.len() {
            return Err(ios("SpanReader::read(): end of data"));
        }
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        Ok(head)
    }

    /// The next `N` bytes as an array.
    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let b = self.read(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(b);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.array::<1>()?[0])
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn i64(&mut self) -> Result<i64, String> {
        Ok(i64::from_le_bytes(self.array()?))
    }

    /// `ReadCompactSize(range_check=true)`.
    fn compact_size(&mut self) -> Result<u64, String> {
        let non_canonical = || ios("non-canonical ReadCompactSize()");
        let n = match self.u8()? {
            0xfd => {
                let n = u64::from(u16::from_le_bytes(self.array()?));
                if n < 0xfd {
                    return Err(non_canonical());
                }
                n
            }
            0xfe => {
                let n = u64::from(self.u32()?);
                if n < 0x1_0000 {
                    return Err(non_canonical());
                }
                n
            }
            0xff => {
                let n = u64::from_le_bytes(self.array()?);
                if n < 0x1_0000_0000 {
                    return Err(non_canonical());
                }
                n
            }
            b => u64::from(b),
        };
        if n > MAX_SIZE {
            return Err(ios("ReadCompactSize(): size too large"));
        }
        Ok(n)
    }

    /// A byte vector: its length, then its bytes.
    fn bytes(&mut self) -> Result<Vec<u8>, String> {
        let n = self.compact_size()?;
        Ok(self.read(n as usize)?.to_vec())
    }

    /// A `uint256` (32 raw bytes).
    fn hash(&mut self) -> Result<[u8; 32], String> {
        self.array()
    }

    /// Core's `UnserializeTransaction`, with or without witness data.
    fn transaction(&mut self, allow_witness: bool) -> Result<Transaction, String> {
        let version = self.u32()?;
        let mut input = self.txins()?;
        let mut output = Vec::new();
        let mut flags = 0u8;
        if input.is_empty() && allow_witness {
            flags = self.u8()?;
            if flags != 0 {
                input = self.txins()?;
                output = self.txouts()?;
            }
        } else {
            output = self.txouts()?;
        }
        if flags & 1 != 0 && allow_witness {
            flags ^= 1;
            for txin in &mut input {
                txin.witness = Witness::from_slice(&self.stack()?);
            }
            if input.iter().all(|i| i.witness.is_empty()) {
                return Err(ios("Superfluous witness record"));
            }
        }
        if flags != 0 {
            return Err(ios("Unknown transaction optional data"));
        }
        let lock_time = absolute::LockTime::from_consensus(self.u32()?);
        Ok(Transaction {
            version: transaction::Version(version as i32),
            lock_time,
            input,
            output,
        })
    }

    fn txins(&mut self) -> Result<Vec<TxIn>, String> {
        let n = self.compact_size()?;
        let mut v = Vec::with_capacity((n as usize).min(1024));
        for _ in 0..n {
            let txid = Txid::from_byte_array(self.hash()?);
            let vout = self.u32()?;
            let script_sig = ScriptBuf::from_bytes(self.bytes()?);
            let sequence = Sequence(self.u32()?);
            v.push(TxIn {
                previous_output: OutPoint { txid, vout },
                script_sig,
                sequence,
                witness: Witness::new(),
            });
        }
        Ok(v)
    }

    fn txout(&mut self) -> Result<TxOut, String> {
        let value = self.i64()?;
        let script_pubkey = ScriptBuf::from_bytes(self.bytes()?);
        Ok(TxOut {
            value: Amount::from_sat(value as u64),
            script_pubkey,
        })
    }

    fn txouts(&mut self) -> Result<Vec<TxOut>, String> {
        let n = self.compact_size()?;
        let mut v = Vec::with_capacity((n as usize).min(1024));
        for _ in 0..n {
            v.push(self.txout()?);
        }
        Ok(v)
    }

    /// A vector of byte vectors (a witness stack).
    fn stack(&mut self) -> Result<Vec<Vec<u8>>, String> {
        let n = self.compact_size()?;
        let mut v = Vec::with_capacity((n as usize).min(1024));
        for _ in 0..n {
            v.push(self.bytes()?);
        }
        Ok(v)
    }

    /// Core's `UnserializeFromVector`: a length, then what `read` reads, which must be
    /// exactly that long (it reads on from the stream, not from a bounded copy).
    fn sized<T>(&mut self, read: impl FnOnce(&mut Self) -> Result<T, String>) -> Result<T, String> {
        let expected = self.compact_size()? as usize;
        let before = self.data.len();
        let v = read(self)?;
        if self.data.len() + expected != before {
            return Err(ios("Size of value was not the stated size"));
        }
        Ok(v)
    }

    /// Core's `DeserializeKeyOrigin(s, length)`.
    fn key_origin(&mut self, length: u64) -> Result<KeySource, String> {
        if !length.is_multiple_of(4) || length == 0 {
            return Err(ios("Invalid length for HD key path"));
        }
        let fingerprint = Fingerprint::from(self.array::<4>()?);
        let mut path = Vec::new();
        for _ in 1..length / 4 {
            path.push(ChildNumber::from(self.u32()?));
        }
        Ok((fingerprint, DerivationPath::from(path)))
    }

    /// Core's `DeserializeHDKeypath`: a length, then the origin.
    fn hd_keypath(&mut self) -> Result<KeySource, String> {
        let n = self.compact_size()?;
        self.key_origin(n)
    }

    /// A taproot BIP32 value: leaf hashes (a set) then the origin, within the value's
    /// stated length.
    fn tap_keypath(&mut self, what: &str) -> Result<(Vec<TapLeafHash>, KeySource), String> {
        let value_len = self.compact_size()?;
        let before = self.data.len();
        let n = self.compact_size()?;
        let mut hashes = BTreeSet::new();
        for _ in 0..n {
            hashes.insert(self.hash()?);
        }
        let hashes_len = (before - self.data.len()) as u64;
        if hashes_len > value_len {
            return Err(ios(&format!(
                "{what} Taproot BIP32 keypath has an invalid length"
            )));
        }
        let origin = self.key_origin(value_len - hashes_len)?;
        Ok((
            hashes
                .into_iter()
                .map(TapLeafHash::from_byte_array)
                .collect(),
            origin,
        ))
    }

    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// Core's `CPubKey::IsFullyValid` of `bytes`, as rust-bitcoin's key.
pub(super) fn full_pubkey(bytes: &[u8]) -> Option<PublicKey> {
    PublicKey::from_slice(bytes).ok()
}

/// Core's `IsValidSignatureEncoding` (BIP66 strict DER, with the sighash byte).
fn is_valid_signature_encoding(sig: &[u8]) -> bool {
    let n = sig.len();
    if !(9..=73).contains(&n) || sig[0] != 0x30 || usize::from(sig[1]) != n - 3 {
        return false;
    }
    let len_r = usize::from(sig[3]);
    if 5 + len_r >= n {
        return false;
    }
    let len_s = usize::from(sig[5 + len_r]);
    if len_r + len_s + 7 != n || sig[2] != 0x02 || len_r == 0 || sig[4] & 0x80 != 0 {
        return false;
    }
    if len_r > 1 && sig[4] == 0 && sig[5] & 0x80 == 0 {
        return false;
    }
    if sig[len_r + 4] != 0x02 || len_s == 0 || sig[len_r + 6] & 0x80 != 0 {
        return false;
    }
    !(len_s > 1 && sig[len_r + 6] == 0 && sig[len_r + 7] & 0x80 == 0)
}

/// Core's `CheckSignatureEncoding(sig, SCRIPT_VERIFY_DERSIG | SCRIPT_VERIFY_STRICTENC)`
/// for a non-empty signature: strict DER and a defined sighash type.
fn partial_sig_encoding_ok(sig: &[u8]) -> bool {
    is_valid_signature_encoding(sig) && sig.last().is_some_and(|h| matches!(h & !0x80, 1..=3))
}

/// Reads an x-only key rust-bitcoin can hold (a point on the curve).
fn xonly(bytes: &[u8], what: &str) -> Result<XOnlyPublicKey, String> {
    XOnlyPublicKey::from_slice(bytes)
        .map_err(|_| ios(&format!("{what} is not a valid x-only public key")))
}

/// Core's `DeserializeMuSig2ParticipantPubkeys`.
fn musig_participants(
    s: &mut Reader<'_>,
    key: &[u8],
    out: &mut BTreeMap<Vec<u8>, Vec<Vec<u8>>>,
    context: &str,
) -> Result<(), String> {
    let agg = key[1..34].to_vec();
    if full_pubkey(&agg).is_none() {
        return Err(ios(&format!(
            "{context} musig2 aggregate pubkey is invalid"
        )));
    }
    let value = s.bytes()?;
    let mut participants = Vec::new();
    let mut chunks = value.chunks_exact(33);
    for part in &mut chunks {
        if full_pubkey(part).is_none() {
            return Err(ios(&format!(
                "{context} musig2 participant pubkey is invalid"
            )));
        }
        participants.push(part.to_vec());
    }
    if !chunks.remainder().is_empty() {
        return Err(ios(&format!(
            "{context} musig2 participants pubkeys value size is not a multiple of 33"
        )));
    }
    out.entry(agg).or_insert(participants);
    Ok(())
}

/// Core's `DeserializeMuSig2ParticipantDataIdentifier`: (aggregate, participant, leaf).
fn musig_identifier(key: &[u8]) -> Result<MusigParticipantId, String> {
    let part = key[1..34].to_vec();
    let agg = key[34..67].to_vec();
    if full_pubkey(&agg).is_none() {
        return Err(ios("musig2 aggregate pubkey is invalid"));
    }
    if full_pubkey(&part).is_none() {
        return Err(ios("musig2 participant pubkey is invalid"));
    }
    let mut leaf = [0u8; 32];
    if key.len() > 67 {
        leaf.copy_from_slice(&key[67..99]);
    }
    Ok((agg, part, leaf))
}

/// A proprietary key (`<identifier><subtype><key>`) as rust-bitcoin's.
fn proprietary_key(key: &[u8]) -> Result<raw::ProprietaryKey, String> {
    let mut skey = Reader { data: &key[1..] };
    let prefix = skey.bytes()?;
    let subtype = skey.compact_size()?;
    let subtype = u8::try_from(subtype)
        .ok()
        .filter(|s| *s < 0xfd)
        .ok_or_else(|| ios("Proprietary subtypes above 252 are not supported"))?;
    Ok(raw::ProprietaryKey {
        prefix,
        subtype,
        key: skey.data.to_vec(),
    })
}

/// An unknown key as rust-bitcoin's (its first byte as the type, the rest as the data,
/// so that it is written back byte for byte).
fn raw_key(key: &[u8]) -> raw::Key {
    raw::Key {
        type_value: key[0],
        key: key[1..].to_vec(),
    }
}

/// Core's `PSBTInput::Unserialize`.
fn read_input(s: &mut Reader<'_>) -> Result<(Input, InputExtra), String> {
    let mut input = Input::default();
    let mut extra = InputExtra::default();
    let mut seen: BTreeSet<Vec<u8>> = BTreeSet::new();
    let mut proprietary_seen: BTreeSet<Vec<u8>> = BTreeSet::new();
    let mut partial_ids: BTreeSet<[u8; 20]> = BTreeSet::new();
    let mut hd_seen: BTreeSet<Vec<u8>> = BTreeSet::new();
    let mut unknown_seen: BTreeSet<Vec<u8>> = BTreeSet::new();
    // Checks a single-byte-type key: first for a duplicate, then for its size.
    let single = |seen: &mut BTreeSet<Vec<u8>>, key: &[u8], dup: &str, long: &str| {
        if !seen.insert(key.to_vec()) {
            return Err(ios(dup));
        }
        if key.len() != 1 {
            return Err(ios(long));
        }
        Ok(())
    };
    while !s.is_empty() {
        let key = s.bytes()?;
        if key.is_empty() {
            return Ok((input, extra));
        }
        let mut skey = Reader { data: &key };
        let kind = skey.compact_size()?;
        match kind {
            0x00 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, input non-witness utxo already provided",
                    "Non-witness utxo key is more than one byte type",
                )?;
                input.non_witness_utxo = Some(s.sized(|r| r.transaction(true))?);
            }
            0x01 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, input witness utxo already provided",
                    "Witness utxo key is more than one byte type",
                )?;
                let out = s.sized(Reader::txout)?;
                // `CTxOut::IsNull`: a value of -1 is no output.
                input.witness_utxo = (out.value.to_sat() as i64 != -1).then_some(out);
            }
            0x02 => {
                if key.len() != 66 && key.len() != 34 {
                    return Err(ios(
                        "Size of key was not the expected size for the type partial signature pubkey",
                    ));
                }
                let pubkey = full_pubkey(&key[1..]).ok_or_else(|| ios("Invalid pubkey"))?;
                if !partial_ids.insert(hash160_of(&key[1..])) {
                    return Err(ios(
                        "Duplicate Key, input partial signature for pubkey already provided",
                    ));
                }
                let sig = s.bytes()?;
                if sig.is_empty() || !partial_sig_encoding_ok(&sig) {
                    return Err(ios("Signature is not a valid encoding"));
                }
                let sig = bitcoin::ecdsa::Signature::from_slice(&sig)
                    .map_err(|_| ios("Signature is not a valid encoding"))?;
                input.partial_sigs.insert(pubkey, sig);
            }
            0x03 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, input sighash type already provided",
                    "Sighash type key is more than one byte type",
                )?;
                let v = s.sized(Reader::u32)?;
                input.sighash_type = Some(PsbtSighashType::from_u32(v));
            }
            0x04 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, input redeemScript already provided",
                    "Input redeemScript key is more than one byte type",
                )?;
                let script = s.bytes()?;
                input.redeem_script = (!script.is_empty()).then(|| ScriptBuf::from_bytes(script));
            }
            0x05 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, input witnessScript already provided",
                    "Input witnessScript key is more than one byte type",
                )?;
                let script = s.bytes()?;
                input.witness_script = (!script.is_empty()).then(|| ScriptBuf::from_bytes(script));
            }
            0x06 => {
                let pubkey = hd_key(&key)?;
                if !hd_seen.insert(key[1..].to_vec()) {
                    return Err(ios(
                        "Duplicate Key, pubkey derivation path already provided",
                    ));
                }
                let origin = s.hd_keypath()?;
                input.bip32_derivation.entry(pubkey.inner).or_insert(origin);
            }
            0x07 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, input final scriptSig already provided",
                    "Final scriptSig key is more than one byte type",
                )?;
                let script = s.bytes()?;
                input.final_script_sig =
                    (!script.is_empty()).then(|| ScriptBuf::from_bytes(script));
            }
            0x08 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, input final scriptWitness already provided",
                    "Final scriptWitness key is more than one byte type",
                )?;
                let stack = s.sized(Reader::stack)?;
                input.final_script_witness =
                    (!stack.is_empty()).then(|| Witness::from_slice(&stack));
            }
            0x0a => {
                if key.len() != 21 {
                    return Err(ios(
                        "Size of key was not the expected size for the type ripemd160 preimage",
                    ));
                }
                let hash = ripemd160::Hash::from_slice(&key[1..]).map_err(|e| e.to_string())?;
                if input.ripemd160_preimages.contains_key(&hash) {
                    return Err(ios(
                        "Duplicate Key, input ripemd160 preimage already provided",
                    ));
                }
                input.ripemd160_preimages.insert(hash, s.bytes()?);
            }
            0x0b => {
                if key.len() != 33 {
                    return Err(ios(
                        "Size of key was not the expected size for the type sha256 preimage",
                    ));
                }
                let hash = sha256::Hash::from_slice(&key[1..]).map_err(|e| e.to_string())?;
                if input.sha256_preimages.contains_key(&hash) {
                    return Err(ios("Duplicate Key, input sha256 preimage already provided"));
                }
                input.sha256_preimages.insert(hash, s.bytes()?);
            }
            0x0c => {
                if key.len() != 21 {
                    return Err(ios(
                        "Size of key was not the expected size for the type hash160 preimage",
                    ));
                }
                let hash = hash160::Hash::from_slice(&key[1..]).map_err(|e| e.to_string())?;
                if input.hash160_preimages.contains_key(&hash) {
                    return Err(ios(
                        "Duplicate Key, input hash160 preimage already provided",
                    ));
                }
                input.hash160_preimages.insert(hash, s.bytes()?);
            }
            0x0d => {
                if key.len() != 33 {
                    return Err(ios(
                        "Size of key was not the expected size for the type hash256 preimage",
                    ));
                }
                let hash = sha256d::Hash::from_slice(&key[1..]).map_err(|e| e.to_string())?;
                if input.hash256_preimages.contains_key(&hash) {
                    return Err(ios(
                        "Duplicate Key, input hash256 preimage already provided",
                    ));
                }
                input.hash256_preimages.insert(hash, s.bytes()?);
            }
            0x13 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, input Taproot key signature already provided",
                    "Input Taproot key signature key is more than one byte type",
                )?;
                let sig = s.bytes()?;
                check_schnorr_len(&sig, "key")?;
                input.tap_key_sig = Some(schnorr_sig(&sig).ok_or_else(|| {
                    ios("Input Taproot key path signature has an undefined sighash type")
                })?);
            }
            0x14 => {
                if !seen.insert(key.clone()) {
                    return Err(ios(
                        "Duplicate Key, input Taproot script signature already provided",
                    ));
                }
                if key.len() != 65 {
                    return Err(ios("Input Taproot script signature key is not 65 bytes"));
                }
                let pk = xonly(&key[1..33], "Input Taproot script signature key")?;
                let mut leaf = [0u8; 32];
                leaf.copy_from_slice(&key[33..65]);
                let sig = s.bytes()?;
                check_schnorr_len(&sig, "script")?;
                let sig = schnorr_sig(&sig).ok_or_else(|| {
                    ios("Input Taproot script path signature has an undefined sighash type")
                })?;
                input
                    .tap_script_sigs
                    .insert((pk, TapLeafHash::from_byte_array(leaf)), sig);
            }
            0x15 => {
                if !seen.insert(key.clone()) {
                    return Err(ios(
                        "Duplicate Key, input Taproot leaf script already provided",
                    ));
                }
                if key.len() < 34 {
                    return Err(ios("Taproot leaf script key is not at least 34 bytes"));
                }
                if (key.len() - 2) % 32 != 0 {
                    return Err(ios(
                        "Input Taproot leaf script key's control block size is not valid",
                    ));
                }
                let mut script = s.bytes()?;
                let Some(version) = script.pop() else {
                    return Err(ios("Input Taproot leaf script must be at least 1 byte"));
                };
                let control = ControlBlock::decode(&key[1..])
                    .map_err(|_| ios("Input Taproot leaf script control block is not valid"))?;
                let version = LeafVersion::from_consensus(version)
                    .map_err(|_| ios("Input Taproot leaf script version is not valid"))?;
                input
                    .tap_scripts
                    .insert(control, (ScriptBuf::from_bytes(script), version));
            }
            0x16 => {
                if !seen.insert(key.clone()) {
                    return Err(ios(
                        "Duplicate Key, input Taproot BIP32 keypath already provided",
                    ));
                }
                if key.len() != 33 {
                    return Err(ios("Input Taproot BIP32 keypath key is not at 33 bytes"));
                }
                let pk = xonly(&key[1..], "Input Taproot BIP32 keypath key")?;
                let value = s.tap_keypath("Input")?;
                input.tap_key_origins.entry(pk).or_insert(value);
            }
            0x17 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, input Taproot internal key already provided",
                    "Input Taproot internal key key is more than one byte type",
                )?;
                let k = s.sized(Reader::hash)?;
                input.tap_internal_key = if k == [0; 32] {
                    None
                } else {
                    Some(xonly(&k, "Input Taproot internal key")?)
                };
            }
            0x18 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, input Taproot merkle root already provided",
                    "Input Taproot merkle root key is more than one byte type",
                )?;
                let root = s.sized(Reader::hash)?;
                input.tap_merkle_root =
                    (root != [0; 32]).then(|| TapNodeHash::from_byte_array(root));
            }
            0x1a => {
                if !seen.insert(key.clone()) {
                    return Err(ios(
                        "Duplicate Key, input participant pubkeys for an aggregate key already provided",
                    ));
                }
                if key.len() != 34 {
                    return Err(ios(
                        "Input musig2 participants pubkeys aggregate key is not 34 bytes",
                    ));
                }
                musig_participants(s, &key, &mut extra.musig_participants, "Input")?;
            }
            0x1b => {
                if !seen.insert(key.clone()) {
                    return Err(ios("Duplicate Key, input musig2 pubnonce already provided"));
                }
                if key.len() != 67 && key.len() != 99 {
                    return Err(ios(
                        "Input musig2 pubnonce key is not expected size of 67 or 99 bytes",
                    ));
                }
                let (agg, part, leaf) = musig_identifier(&key)?;
                let nonce = s.bytes()?;
                if nonce.len() != MUSIG2_PUBNONCE_SIZE {
                    return Err(ios("Input musig2 pubnonce value is not 66 bytes"));
                }
                extra
                    .musig_pubnonces
                    .entry((agg, leaf))
                    .or_default()
                    .entry(part)
                    .or_insert(nonce);
            }
            0x1c => {
                if !seen.insert(key.clone()) {
                    return Err(ios(
                        "Duplicate Key, input musig2 partial sig already provided",
                    ));
                }
                if key.len() != 67 && key.len() != 99 {
                    return Err(ios(
                        "Input musig2 partial sig key is not expected size of 67 or 99 bytes",
                    ));
                }
                let (agg, part, leaf) = musig_identifier(&key)?;
                let sig = s.sized(Reader::hash)?;
                extra
                    .musig_partial_sigs
                    .entry((agg, leaf))
                    .or_default()
                    .entry(part)
                    .or_insert(sig);
            }
            0xfc => {
                let pkey = proprietary_key(&key)?;
                if !proprietary_seen.insert(key.clone()) {
                    return Err(ios("Duplicate Key, proprietary key already found"));
                }
                input.proprietary.insert(pkey, s.bytes()?);
            }
            _ => {
                if !unknown_seen.insert(key.clone()) {
                    return Err(ios("Duplicate Key, key for unknown value already provided"));
                }
                input.unknown.insert(raw_key(&key), s.bytes()?);
            }
        }
    }
    Err(ios("Separator is missing at the end of an input map"))
}

/// A taproot signature rust-bitcoin can hold as it came: 64 bytes, or 65 with a defined
/// sighash type other than `SIGHASH_DEFAULT` (which rust-bitcoin would write as 64).
fn schnorr_sig(sig: &[u8]) -> Option<bitcoin::taproot::Signature> {
    if sig.len() == 65 && sig[64] == 0 {
        return None;
    }
    bitcoin::taproot::Signature::from_slice(sig).ok()
}

/// The size checks of a taproot signature.
fn check_schnorr_len(sig: &[u8], path: &str) -> Result<(), String> {
    if sig.len() < 64 {
        return Err(ios(&format!(
            "Input Taproot {path} path signature is shorter than 64 bytes"
        )));
    }
    if sig.len() > 65 {
        return Err(ios(&format!(
            "Input Taproot {path} path signature is longer than 65 bytes"
        )));
    }
    Ok(())
}

/// The key of a BIP32 derivation entry (Core's `DeserializeHDKeypaths` checks).
fn hd_key(key: &[u8]) -> Result<PublicKey, String> {
    if key.len() != 66 && key.len() != 34 {
        return Err(ios(
            "Size of key was not the expected size for the type BIP32 keypath",
        ));
    }
    full_pubkey(&key[1..]).ok_or_else(|| ios("Invalid pubkey"))
}

/// Core's `PSBTOutput::Unserialize`.
fn read_output(s: &mut Reader<'_>) -> Result<(Output, OutputExtra), String> {
    let mut output = Output::default();
    let mut extra = OutputExtra::default();
    let mut seen: BTreeSet<Vec<u8>> = BTreeSet::new();
    let mut hd_seen: BTreeSet<Vec<u8>> = BTreeSet::new();
    let mut proprietary_seen: BTreeSet<Vec<u8>> = BTreeSet::new();
    let mut unknown_seen: BTreeSet<Vec<u8>> = BTreeSet::new();
    let single = |seen: &mut BTreeSet<Vec<u8>>, key: &[u8], dup: &str, long: &str| {
        if !seen.insert(key.to_vec()) {
            return Err(ios(dup));
        }
        if key.len() != 1 {
            return Err(ios(long));
        }
        Ok(())
    };
    while !s.is_empty() {
        let key = s.bytes()?;
        if key.is_empty() {
            return Ok((output, extra));
        }
        let mut skey = Reader { data: &key };
        match skey.compact_size()? {
            0x00 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, output redeemScript already provided",
                    "Output redeemScript key is more than one byte type",
                )?;
                let script = s.bytes()?;
                output.redeem_script = (!script.is_empty()).then(|| ScriptBuf::from_bytes(script));
            }
            0x01 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, output witnessScript already provided",
                    "Output witnessScript key is more than one byte type",
                )?;
                let script = s.bytes()?;
                output.witness_script = (!script.is_empty()).then(|| ScriptBuf::from_bytes(script));
            }
            0x02 => {
                let pubkey = hd_key(&key)?;
                if !hd_seen.insert(key[1..].to_vec()) {
                    return Err(ios(
                        "Duplicate Key, pubkey derivation path already provided",
                    ));
                }
                let origin = s.hd_keypath()?;
                output
                    .bip32_derivation
                    .entry(pubkey.inner)
                    .or_insert(origin);
            }
            0x05 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, output Taproot internal key already provided",
                    "Output Taproot internal key key is more than one byte type",
                )?;
                let k = s.sized(Reader::hash)?;
                output.tap_internal_key = if k == [0; 32] {
                    None
                } else {
                    Some(xonly(&k, "Output Taproot internal key")?)
                };
            }
            0x06 => {
                single(
                    &mut seen,
                    &key,
                    "Duplicate Key, output Taproot tree already provided",
                    "Output Taproot tree key is more than one byte type",
                )?;
                let value = s.bytes()?;
                let (tuples, tree) = read_tap_tree(&value)?;
                extra.tap_tree = tuples;
                output.tap_tree = tree;
            }
            0x07 => {
                if !seen.insert(key.clone()) {
                    return Err(ios(
                        "Duplicate Key, output Taproot BIP32 keypath already provided",
                    ));
                }
                if key.len() != 33 {
                    return Err(ios("Output Taproot BIP32 keypath key is not at 33 bytes"));
                }
                let pk = xonly(&key[1..], "Output Taproot BIP32 keypath key")?;
                let value = s.tap_keypath("Output")?;
                output.tap_key_origins.entry(pk).or_insert(value);
            }
            0x08 => {
                if !seen.insert(key.clone()) {
                    return Err(ios(
                        "Duplicate Key, output participant pubkeys for an aggregate key already provided",
                    ));
                }
                if key.len() != 34 {
                    return Err(ios(
                        "Output musig2 participants pubkeys aggregate key is not 34 bytes",
                    ));
                }
                musig_participants(s, &key, &mut extra.musig_participants, "Output")?;
            }
            0xfc => {
                let pkey = proprietary_key(&key)?;
                if !proprietary_seen.insert(key.clone()) {
                    return Err(ios("Duplicate Key, proprietary key already found"));
                }
                output.proprietary.insert(pkey, s.bytes()?);
            }
            _ => {
                if !unknown_seen.insert(key.clone()) {
                    return Err(ios("Duplicate Key, key for unknown value already provided"));
                }
                output.unknown.insert(raw_key(&key), s.bytes()?);
            }
        }
    }
    Err(ios("Separator is missing at the end of an output map"))
}

/// A taproot tree value: its (depth, leaf version, script) leaves in order, checked as
/// Core's `TaprootBuilder` does; also as rust-bitcoin's tree when its leaf versions are
/// ones rust-bitcoin knows.
type TapTuples = Vec<(u8, u8, Vec<u8>)>;

fn read_tap_tree(value: &[u8]) -> Result<(TapTuples, Option<bitcoin::taproot::TapTree>), String> {
    let mut s = Reader { data: value };
    if s.is_empty() {
        return Err(ios("Output Taproot tree must not be empty"));
    }
    let mut tuples = Vec::new();
    // The shape alone decides completeness; the version is checked apart.
    let mut shape = Some(TaprootBuilder::new());
    let mut typed = Some(TaprootBuilder::new());
    while !s.is_empty() {
        let depth = s.u8()?;
        let version = s.u8()?;
        let script = s.bytes()?;
        if depth > TAPROOT_CONTROL_MAX_NODE_COUNT {
            return Err(ios(
                "Output Taproot tree has as leaf greater than Taproot maximum depth",
            ));
        }
        if version & !TAPROOT_LEAF_MASK != 0 {
            return Err(ios(
                "Output Taproot tree has a leaf with an invalid leaf version",
            ));
        }
        let sb = ScriptBuf::from_bytes(script.clone());
        shape = shape.and_then(|b| b.add_leaf(depth, sb.clone()).ok());
        typed = typed.and_then(|b| {
            b.add_leaf_with_ver(depth, sb, LeafVersion::from_consensus(version).ok()?)
                .ok()
        });
        tuples.push((depth, version, script));
    }
    if !shape.is_some_and(|b| b.is_finalizable()) {
        return Err(ios("Output Taproot tree is malformed"));
    }
    let tree = typed.and_then(|b| bitcoin::taproot::TapTree::try_from(b).ok());
    Ok((tuples, tree))
}

/// Core's `PartiallySignedTransaction::Unserialize`.
fn read_psbt(s: &mut Reader<'_>) -> Result<CorePsbt, String> {
    if s.read(5)? != MAGIC {
        return Err(ios("Invalid PSBT magic bytes"));
    }
    let mut seen: BTreeSet<Vec<u8>> = BTreeSet::new();
    let mut xpubs_seen: BTreeSet<(Vec<u8>, [u8; 32])> = BTreeSet::new();
    let mut proprietary_seen: BTreeSet<Vec<u8>> = BTreeSet::new();
    let mut unknown_seen: BTreeSet<Vec<u8>> = BTreeSet::new();
    let mut tx: Option<Transaction> = None;
    let mut version: Option<u32> = None;
    let mut xpub = BTreeMap::new();
    let mut proprietary = BTreeMap::new();
    let mut unknown = BTreeMap::new();
    let mut found_sep = false;
    while !s.is_empty() {
        let key = s.bytes()?;
        if key.is_empty() {
            found_sep = true;
            break;
        }
        let mut skey = Reader { data: &key };
        match skey.compact_size()? {
            0x00 => {
                if !seen.insert(key.clone()) {
                    return Err(ios("Duplicate Key, unsigned tx already provided"));
                }
                if key.len() != 1 {
                    return Err(ios("Global unsigned tx key is more than one byte type"));
                }
                let t = s.sized(|r| r.transaction(false))?;
                if t.input
                    .iter()
                    .any(|i| !i.script_sig.is_empty() || !i.witness.is_empty())
                {
                    return Err(ios(
                        "Unsigned tx does not have empty scriptSigs and scriptWitnesses.",
                    ));
                }
                tx = Some(t);
            }
            0x01 => {
                if key.len() != 79 {
                    return Err(ios(
                        "Size of key was not the expected size for the type global xpub",
                    ));
                }
                let data = &key[1..];
                if full_pubkey(&data[45..78]).is_none() {
                    return Err(ios("Invalid pubkey"));
                }
                let mut chain_code = [0u8; 32];
                chain_code.copy_from_slice(&data[13..45]);
                if !xpubs_seen.insert((data[45..78].to_vec(), chain_code)) {
                    return Err(ios("Duplicate key, global xpub already provided"));
                }
                let origin = s.hd_keypath()?;
                let x = Xpub::decode(data)
                    .map_err(|_| ios("Global xpub has a version other than xpub or tpub"))?;
                xpub.entry(x).or_insert(origin);
            }
            0xfb => {
                if version.is_some() {
                    return Err(ios("Duplicate Key, version already provided"));
                }
                if key.len() != 1 {
                    return Err(ios("Global version key is more than one byte type"));
                }
                let v = s.sized(Reader::u32)?;
                version = Some(v);
                if v > 0 {
                    return Err(ios("Unsupported version number"));
                }
            }
            0xfc => {
                let pkey = proprietary_key(&key)?;
                if !proprietary_seen.insert(key.clone()) {
                    return Err(ios("Duplicate Key, proprietary key already found"));
                }
                proprietary.insert(pkey, s.bytes()?);
            }
            _ => {
                if !unknown_seen.insert(key.clone()) {
                    return Err(ios("Duplicate Key, key for unknown value already provided"));
                }
                unknown.insert(raw_key(&key), s.bytes()?);
            }
        }
    }
    if !found_sep {
        return Err(ios("Separator is missing at the end of the global map"));
    }
    let Some(tx) = tx else {
        return Err(ios("No unsigned transaction was provided"));
    };
    let mut psbt = CorePsbt::new(tx);
    psbt.psbt.xpub = xpub;
    psbt.psbt.proprietary = proprietary;
    psbt.psbt.unknown = unknown;
    let n_in = psbt.psbt.unsigned_tx.input.len();
    let mut inputs = Vec::new();
    while !s.is_empty() && inputs.len() < n_in {
        let (input, extra) = read_input(s)?;
        let i = inputs.len();
        if let Some(prev) = &input.non_witness_utxo {
            let outpoint = psbt.psbt.unsigned_tx.input[i].previous_output;
            if prev.compute_txid() != outpoint.txid {
                return Err(ios("Non-witness UTXO does not match outpoint hash"));
            }
            if outpoint.vout as usize >= prev.output.len() {
                return Err(ios("Input specifies output index that does not exist"));
            }
        }
        inputs.push((input, extra));
    }
    if inputs.len() != n_in {
        return Err(ios(
            "Inputs provided does not match the number of inputs in transaction.",
        ));
    }
    let n_out = psbt.psbt.unsigned_tx.output.len();
    let mut outputs = Vec::new();
    while !s.is_empty() && outputs.len() < n_out {
        outputs.push(read_output(s)?);
    }
    if outputs.len() != n_out {
        return Err(ios(
            "Outputs provided does not match the number of outputs in transaction.",
        ));
    }
    (psbt.psbt.inputs, psbt.inputs) = inputs.into_iter().unzip();
    (psbt.psbt.outputs, psbt.outputs) = outputs.into_iter().unzip();
    Ok(psbt)
}

/// Core's `DecodeBase64`: padding to a multiple of four, at most two `=`, no stray bits.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(4) {
        return None;
    }
    let body = s.strip_suffix('=').unwrap_or(s);
    let body = body.strip_suffix('=').unwrap_or(body);
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in body.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6 | u32::from(v)) & 0xfff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    // ConvertBits without padding: fewer than six bits left, all zero.
    if bits >= 6 || (acc << (8 - bits)) & 0xff != 0 {
        return None;
    }
    Some(out)
}

/// Core's `DecodeBase64PSBT`, its error prefixed as the commands throw it.
pub(super) fn decode_psbt_arg(v: &Value) -> Result<CorePsbt, RpcError> {
    let s = get_str(v)?;
    decode_base64_psbt(s)
        .map_err(|e| RpcError::new(code::DESERIALIZATION_ERROR, format!("TX decode failed {e}")))
}

/// Core's `DecodeBase64PSBT` then `DecodeRawPSBT`.
fn decode_base64_psbt(s: &str) -> Result<CorePsbt, String> {
    let data = decode_base64(s).ok_or_else(|| "invalid base64".to_owned())?;
    let mut reader = Reader { data: &data };
    let psbt = read_psbt(&mut reader)?;
    if !reader.is_empty() {
        return Err("extra data after PSBT".to_owned());
    }
    Ok(psbt)
}

// ---------------------------------------------------------------------------------------
// Writing, in Core's order
// ---------------------------------------------------------------------------------------

fn write_compact(out: &mut Vec<u8>, n: u64) {
    match n {
        0..=0xfc => out.push(n as u8),
        0xfd..=0xffff => {
            out.push(0xfd);
            out.extend((n as u16).to_le_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(0xfe);
            out.extend((n as u32).to_le_bytes());
        }
        _ => {
            out.push(0xff);
            out.extend(n.to_le_bytes());
        }
    }
}

fn write_bytes(out: &mut Vec<u8>, b: &[u8]) {
    write_compact(out, b.len() as u64);
    out.extend_from_slice(b);
}

/// One key-value pair.
fn write_kv(out: &mut Vec<u8>, key: &[u8], value: &[u8]) {
    write_bytes(out, key);
    write_bytes(out, value);
}

/// `key_type` followed by `data`, as a key.
fn typed_key(key_type: u8, data: &[u8]) -> Vec<u8> {
    let mut k = vec![key_type];
    k.extend_from_slice(data);
    k
}

/// A transaction without witness data (`TX_NO_WITNESS`).
fn tx_no_witness(tx: &Transaction) -> Vec<u8> {
    rawtx_create::tx_bytes(tx, false)
}

/// `SerializeKeyOrigin`.
fn key_origin_bytes(origin: &KeySource) -> Vec<u8> {
    let mut v = origin.0.to_bytes().to_vec();
    for c in origin.1.as_ref() {
        v.extend(u32::from(*c).to_le_bytes());
    }
    v
}

/// A proprietary key's bytes, as Core keeps them.
fn proprietary_key_bytes(k: &raw::ProprietaryKey) -> Vec<u8> {
    let mut v = vec![0xfc];
    write_bytes(&mut v, &k.prefix);
    write_compact(&mut v, u64::from(k.subtype));
    v.extend_from_slice(&k.key);
    v
}

/// Proprietary pairs in Core's order (by their whole key).
pub(super) fn sorted_proprietary(
    map: &BTreeMap<raw::ProprietaryKey, Vec<u8>>,
) -> Vec<(Vec<u8>, &raw::ProprietaryKey, &Vec<u8>)> {
    let mut v: Vec<_> = map
        .iter()
        .map(|(k, val)| (proprietary_key_bytes(k), k, val))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// Unknown pairs (rust-bitcoin's raw keys order as their bytes do).
pub(super) fn unknown_bytes(map: &BTreeMap<raw::Key, Vec<u8>>) -> Vec<(Vec<u8>, &Vec<u8>)> {
    map.iter()
        .map(|(k, v)| (typed_key(k.type_value, &k.key), v))
        .collect()
}

/// Partial signatures in Core's order (by key id).
pub(super) fn sorted_partial_sigs(input: &Input) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut v: Vec<_> = input
        .partial_sigs
        .iter()
        .map(|(pk, sig)| (pk.to_bytes(), sig.to_vec()))
        .collect();
    v.sort_by_key(|(pk, _)| hash160_of(pk));
    v
}

/// Leaf scripts grouped as Core's map holds them: by (script, version), with their
/// control blocks shortest first.
pub(super) fn grouped_tap_scripts(
    input: &Input,
) -> BTreeMap<(Vec<u8>, u8), BTreeSet<ControlBytes>> {
    let mut m: BTreeMap<(Vec<u8>, u8), BTreeSet<ControlBytes>> = BTreeMap::new();
    for (cb, (script, version)) in &input.tap_scripts {
        m.entry((script.to_bytes(), version.to_consensus()))
            .or_default()
            .insert(ControlBytes(cb.serialize()));
    }
    m
}

/// A taproot BIP32 value: leaf hashes, then the origin.
fn tap_keypath_bytes(hashes: &[TapLeafHash], origin: &KeySource) -> Vec<u8> {
    let mut v = Vec::new();
    let set: BTreeSet<[u8; 32]> = hashes.iter().map(|h| h.to_byte_array()).collect();
    write_compact(&mut v, set.len() as u64);
    for h in set {
        v.extend(h);
    }
    v.extend(key_origin_bytes(origin));
    v
}

/// A MuSig2 participant-data key: participant, aggregate, and the leaf hash if any.
fn musig_key(key_type: u8, part: &[u8], agg: &[u8], leaf: &[u8; 32]) -> Vec<u8> {
    let mut k = typed_key(key_type, part);
    k.extend_from_slice(agg);
    if *leaf != [0; 32] {
        k.extend_from_slice(leaf);
    }
    k
}

/// Core's `PSBTInput::Serialize`.
fn write_input(out: &mut Vec<u8>, input: &Input, extra: &InputExtra) {
    if let Some(tx) = &input.non_witness_utxo {
        write_kv(out, &[0x00], &tx_no_witness(tx));
    }
    if let Some(utxo) = &input.witness_utxo {
        write_kv(out, &[0x01], &bitcoin::consensus::encode::serialize(utxo));
    }
    if input.final_script_sig.is_none() && input.final_script_witness.is_none() {
        for (pk, sig) in sorted_partial_sigs(input) {
            write_kv(out, &typed_key(0x02, &pk), &sig);
        }
        if let Some(t) = input.sighash_type {
            write_kv(out, &[0x03], &t.to_u32().to_le_bytes());
        }
        if let Some(s) = &input.redeem_script {
            write_kv(out, &[0x04], s.as_bytes());
        }
        if let Some(s) = &input.witness_script {
            write_kv(out, &[0x05], s.as_bytes());
        }
        for (pk, origin) in &input.bip32_derivation {
            write_kv(
                out,
                &typed_key(0x06, &pk.serialize()),
                &hd_keypath_bytes(origin),
            );
        }
        for (h, p) in &input.ripemd160_preimages {
            write_kv(out, &typed_key(0x0a, h.as_byte_array()), p);
        }
        for (h, p) in &input.sha256_preimages {
            write_kv(out, &typed_key(0x0b, h.as_byte_array()), p);
        }
        for (h, p) in &input.hash160_preimages {
            write_kv(out, &typed_key(0x0c, h.as_byte_array()), p);
        }
        for (h, p) in &input.hash256_preimages {
            write_kv(out, &typed_key(0x0d, h.as_byte_array()), p);
        }
        if let Some(sig) = &input.tap_key_sig {
            write_kv(out, &[0x13], &sig.to_vec());
        }
        for ((pk, leaf), sig) in &input.tap_script_sigs {
            let mut k = typed_key(0x14, &pk.serialize());
            k.extend(leaf.to_byte_array());
            write_kv(out, &k, &sig.to_vec());
        }
        for ((script, version), cbs) in grouped_tap_scripts(input) {
            let mut value = script.clone();
            value.push(version);
            for cb in cbs {
                write_kv(out, &typed_key(0x15, &cb.0), &value);
            }
        }
        for (pk, (hashes, origin)) in &input.tap_key_origins {
            write_kv(
                out,
                &typed_key(0x16, &pk.serialize()),
                &tap_keypath_bytes(hashes, origin),
            );
        }
        if let Some(k) = &input.tap_internal_key {
            write_kv(out, &[0x17], &k.serialize());
        }
        if let Some(r) = &input.tap_merkle_root {
            write_kv(out, &[0x18], &r.to_byte_array());
        }
        for (agg, parts) in &extra.musig_participants {
            write_kv(out, &typed_key(0x1a, agg), &parts.concat());
        }
        for ((agg, leaf), nonces) in &extra.musig_pubnonces {
            for (part, nonce) in nonces {
                write_kv(out, &musig_key(0x1b, part, agg, leaf), nonce);
            }
        }
        for ((agg, leaf), sigs) in &extra.musig_partial_sigs {
            for (part, sig) in sigs {
                write_kv(out, &musig_key(0x1c, part, agg, leaf), sig);
            }
        }
    }
    if let Some(s) = &input.final_script_sig {
        write_kv(out, &[0x07], s.as_bytes());
    }
    if let Some(w) = &input.final_script_witness {
        let mut v = Vec::new();
        write_compact(&mut v, w.len() as u64);
        for item in w.iter() {
            write_bytes(&mut v, item);
        }
        write_kv(out, &[0x08], &v);
    }
    for (k, _, v) in sorted_proprietary(&input.proprietary) {
        write_kv(out, &k, v);
    }
    for (k, v) in unknown_bytes(&input.unknown) {
        write_kv(out, &k, v);
    }
    out.push(0x00);
}

/// `SerializeHDKeypath`: a length, then the origin.
fn hd_keypath_bytes(origin: &KeySource) -> Vec<u8> {
    key_origin_bytes(origin)
}

/// Core's `PSBTOutput::Serialize` (proprietary pairs come before the taproot fields).
fn write_output(out: &mut Vec<u8>, output: &Output, extra: &OutputExtra) {
    if let Some(s) = &output.redeem_script {
        write_kv(out, &[0x00], s.as_bytes());
    }
    if let Some(s) = &output.witness_script {
        write_kv(out, &[0x01], s.as_bytes());
    }
    for (pk, origin) in &output.bip32_derivation {
        write_kv(
            out,
            &typed_key(0x02, &pk.serialize()),
            &hd_keypath_bytes(origin),
        );
    }
    for (k, _, v) in sorted_proprietary(&output.proprietary) {
        write_kv(out, &k, v);
    }
    if let Some(k) = &output.tap_internal_key {
        write_kv(out, &[0x05], &k.serialize());
    }
    if !extra.tap_tree.is_empty() {
        let mut v = Vec::new();
        for (depth, version, script) in &extra.tap_tree {
            v.push(*depth);
            v.push(*version);
            write_bytes(&mut v, script);
        }
        write_kv(out, &[0x06], &v);
    }
    for (pk, (hashes, origin)) in &output.tap_key_origins {
        write_kv(
            out,
            &typed_key(0x07, &pk.serialize()),
            &tap_keypath_bytes(hashes, origin),
        );
    }
    for (agg, parts) in &extra.musig_participants {
        write_kv(out, &typed_key(0x08, agg), &parts.concat());
    }
    for (k, v) in unknown_bytes(&output.unknown) {
        write_kv(out, &k, v);
    }
    out.push(0x00);
}

/// The global xpubs in Core's order: by origin (fingerprint, path), then by (public key,
/// chain code).
pub(super) fn sorted_xpubs(psbt: &Psbt) -> Vec<(&Xpub, &KeySource)> {
    let mut v: Vec<_> = psbt.xpub.iter().collect();
    v.sort_by(|(xa, oa), (xb, ob)| {
        let path = |o: &KeySource| {
            o.1.as_ref()
                .iter()
                .map(|c| u32::from(*c))
                .collect::<Vec<_>>()
        };
        (
            oa.0.to_bytes(),
            path(oa),
            xa.public_key.serialize(),
            xa.chain_code.to_bytes(),
        )
            .cmp(&(
                ob.0.to_bytes(),
                path(ob),
                xb.public_key.serialize(),
                xb.chain_code.to_bytes(),
            ))
    });
    v
}

/// Core's `PartiallySignedTransaction::Serialize`.
fn serialize_psbt(p: &CorePsbt) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    write_kv(&mut out, &[0x00], &tx_no_witness(&p.psbt.unsigned_tx));
    for (x, origin) in sorted_xpubs(&p.psbt) {
        write_kv(
            &mut out,
            &typed_key(0x01, &x.encode()),
            &hd_keypath_bytes(origin),
        );
    }
    for (k, _, v) in sorted_proprietary(&p.psbt.proprietary) {
        write_kv(&mut out, &k, v);
    }
    for (k, v) in unknown_bytes(&p.psbt.unknown) {
        write_kv(&mut out, &k, v);
    }
    out.push(0x00);
    for (input, extra) in p.psbt.inputs.iter().zip(&p.inputs) {
        write_input(&mut out, input, extra);
    }
    for (output, extra) in p.psbt.outputs.iter().zip(&p.outputs) {
        write_output(&mut out, output, extra);
    }
    out
}

/// The PSBT as base64.
pub(super) fn encode_psbt(p: &CorePsbt) -> String {
    BASE64.encode(serialize_psbt(p))
}

// ---------------------------------------------------------------------------------------
// Combining (Core's Merge: the first value wins; proprietary fields and sighash types
// are not merged)
// ---------------------------------------------------------------------------------------

/// Core's `PSBTInput::Merge`.
fn merge_input(a: &mut Input, ae: &mut InputExtra, b: &Input, be: &InputExtra) {
    if a.non_witness_utxo.is_none() {
        a.non_witness_utxo.clone_from(&b.non_witness_utxo);
    }
    if a.witness_utxo.is_none() {
        a.witness_utxo.clone_from(&b.witness_utxo);
    }
    for (k, v) in &b.partial_sigs {
        a.partial_sigs.entry(*k).or_insert(*v);
    }
    for (k, v) in &b.ripemd160_preimages {
        a.ripemd160_preimages.entry(*k).or_insert_with(|| v.clone());
    }
    for (k, v) in &b.sha256_preimages {
        a.sha256_preimages.entry(*k).or_insert_with(|| v.clone());
    }
    for (k, v) in &b.hash160_preimages {
        a.hash160_preimages.entry(*k).or_insert_with(|| v.clone());
    }
    for (k, v) in &b.hash256_preimages {
        a.hash256_preimages.entry(*k).or_insert_with(|| v.clone());
    }
    for (k, v) in &b.bip32_derivation {
        a.bip32_derivation.entry(*k).or_insert_with(|| v.clone());
    }
    for (k, v) in &b.unknown {
        a.unknown.entry(k.clone()).or_insert_with(|| v.clone());
    }
    for (k, v) in &b.tap_script_sigs {
        a.tap_script_sigs.entry(*k).or_insert(*v);
    }
    // Core's map is keyed by leaf: a leaf already known keeps its own control blocks.
    let known: BTreeSet<(Vec<u8>, u8)> = grouped_tap_scripts(a).into_keys().collect();
    for (cb, (script, version)) in &b.tap_scripts {
        if !known.contains(&(script.to_bytes(), version.to_consensus())) {
            a.tap_scripts
                .entry(cb.clone())
                .or_insert_with(|| (script.clone(), *version));
        }
    }
    for (k, v) in &b.tap_key_origins {
        a.tap_key_origins.entry(*k).or_insert_with(|| v.clone());
    }
    if a.redeem_script.is_none() {
        a.redeem_script.clone_from(&b.redeem_script);
    }
    if a.witness_script.is_none() {
        a.witness_script.clone_from(&b.witness_script);
    }
    if a.final_script_sig.is_none() {
        a.final_script_sig.clone_from(&b.final_script_sig);
    }
    if a.final_script_witness.is_none() {
        a.final_script_witness.clone_from(&b.final_script_witness);
    }
    if a.tap_key_sig.is_none() {
        a.tap_key_sig = b.tap_key_sig;
    }
    if a.tap_internal_key.is_none() {
        a.tap_internal_key = b.tap_internal_key;
    }
    if a.tap_merkle_root.is_none() {
        a.tap_merkle_root = b.tap_merkle_root;
    }
    for (k, v) in &be.musig_participants {
        ae.musig_participants
            .entry(k.clone())
            .or_insert_with(|| v.clone());
    }
    for (k, m) in &be.musig_pubnonces {
        let into = ae.musig_pubnonces.entry(k.clone()).or_default();
        for (p, n) in m {
            into.entry(p.clone()).or_insert_with(|| n.clone());
        }
    }
    for (k, m) in &be.musig_partial_sigs {
        let into = ae.musig_partial_sigs.entry(k.clone()).or_default();
        for (p, s) in m {
            into.entry(p.clone()).or_insert(*s);
        }
    }
}

/// Core's `PSBTOutput::Merge`.
fn merge_output(a: &mut Output, ae: &mut OutputExtra, b: &Output, be: &OutputExtra) {
    for (k, v) in &b.bip32_derivation {
        a.bip32_derivation.entry(*k).or_insert_with(|| v.clone());
    }
    for (k, v) in &b.unknown {
        a.unknown.entry(k.clone()).or_insert_with(|| v.clone());
    }
    for (k, v) in &b.tap_key_origins {
        a.tap_key_origins.entry(*k).or_insert_with(|| v.clone());
    }
    if a.redeem_script.is_none() {
        a.redeem_script.clone_from(&b.redeem_script);
    }
    if a.witness_script.is_none() {
        a.witness_script.clone_from(&b.witness_script);
    }
    if a.tap_internal_key.is_none() {
        a.tap_internal_key = b.tap_internal_key;
    }
    if ae.tap_tree.is_empty() && !be.tap_tree.is_empty() {
        ae.tap_tree.clone_from(&be.tap_tree);
        a.tap_tree.clone_from(&b.tap_tree);
    }
    for (k, v) in &be.musig_participants {
        ae.musig_participants
            .entry(k.clone())
            .or_insert_with(|| v.clone());
    }
}

/// Core's `PartiallySignedTransaction::Merge`: false if the transactions differ.
pub(super) fn merge_psbt(a: &mut CorePsbt, b: &CorePsbt) -> bool {
    if a.psbt.unsigned_tx.compute_txid() != b.psbt.unsigned_tx.compute_txid() {
        return false;
    }
    for (i, (input, extra)) in b.psbt.inputs.iter().zip(&b.inputs).enumerate() {
        merge_input(&mut a.psbt.inputs[i], &mut a.inputs[i], input, extra);
    }
    for (i, (output, extra)) in b.psbt.outputs.iter().zip(&b.outputs).enumerate() {
        merge_output(&mut a.psbt.outputs[i], &mut a.outputs[i], output, extra);
    }
    for (x, origin) in &b.psbt.xpub {
        a.psbt.xpub.entry(*x).or_insert_with(|| origin.clone());
    }
    for (k, v) in &b.psbt.unknown {
        a.psbt.unknown.entry(k.clone()).or_insert_with(|| v.clone());
    }
    true
}

#[cfg(test)]
mod tests {
    //! The format's corners; each expectation was checked against Umkoin Core v31.0 (the
    //! functional tests compare whole answers).

    use super::*;

    /// A PSBT of one input and one output, as Core's `createpsbt` writes it.
    const BLANK: &str = "cHNidP8BAFICAAAAAVm0IrGgLx6aN2+ANATcYyowOdVRkPE/AGPjHu6J3gmJAQAAAAD9////AcCHizsAAAAAFgAUdR526BmRltRUlBxF0bOjI/FDO9YAAAAAAAAA";

    #[test]
    fn base64_is_read_as_cores() {
        assert_eq!(decode_base64("cHNidP8="), Some(b"psbt\xff".to_vec()));
        assert_eq!(decode_base64(""), Some(Vec::new()));
        // Unpadded, three `=`, a stray character, bits left over.
        for bad in ["cHNidP8", "c===", "cHNi dP8=", "cHNidP9="] {
            assert_eq!(decode_base64(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_blank_psbt_reads_and_writes_back() {
        let p = decode_base64_psbt(BLANK).unwrap();
        assert_eq!(p.psbt.inputs.len(), 1);
        assert_eq!(p.psbt.outputs.len(), 1);
        assert_eq!(encode_psbt(&p), BLANK);
        let mut extra = decode_base64(BLANK).unwrap();
        extra.push(0);
        assert_eq!(
            decode_base64_psbt(&BASE64.encode(extra)).unwrap_err(),
            "extra data after PSBT"
        );
    }

    #[test]
    fn stream_errors_carry_the_iostream_suffix() {
        assert_eq!(
            decode_base64_psbt("cHNidP4=").unwrap_err(),
            "Invalid PSBT magic bytes: iostream error"
        );
        assert_eq!(
            decode_base64_psbt("").unwrap_err(),
            "SpanReader::read(): end of data: iostream error"
        );
        assert_eq!(decode_base64_psbt("!").unwrap_err(), "invalid base64");
        let mut r = Reader {
            data: &[0xfd, 0xfc, 0x00],
        };
        assert_eq!(
            r.compact_size().unwrap_err(),
            "non-canonical ReadCompactSize(): iostream error"
        );
    }

    #[test]
    fn partial_signatures_must_be_strict_der_with_a_defined_sighash() {
        let sig = bitcoin::hex::FromHex::from_hex(
            "30440220147de8a1329fdd539357aceee972283b832be122f09da25a01ec7ff72f4a00780220029ef4454360d7afb166a73003b29623d75b2ae5a8234f94ca22e7a1fcbcd70001",
        );
        let mut sig: Vec<u8> = sig.unwrap();
        assert!(partial_sig_encoding_ok(&sig));
        *sig.last_mut().unwrap() = 0x04;
        assert!(!partial_sig_encoding_ok(&sig));
        *sig.last_mut().unwrap() = 0x83;
        assert!(partial_sig_encoding_ok(&sig));
        assert!(!partial_sig_encoding_ok(&sig[1..]));
    }
}
