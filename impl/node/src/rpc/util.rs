//! Commands of Core's `util` category that need neither chain nor wallet: `validateaddress`,
//! `createmultisig`, `getdescriptorinfo` and `deriveaddresses` (`rpc/output_script.cpp`),
//! `signmessagewithprivkey` and `verifymessage` (`rpc/signmessage.cpp`).
//!
//! Core's rules and words live here: address decoding with its error texts and bech32 error
//! locations (`key_io.cpp`, `bech32.cpp`), the output descriptor language with its parser's
//! messages (`script/descriptor.cpp`) and message signing with Umkoin's magic
//! (`common/signmessage.cpp`). Keys, addresses, BIP 32, taproot, miniscript, hashes and
//! signatures are rust-bitcoin's and rust-miniscript's.

#[path = "util_help.rs"]
mod help;

use std::fmt;
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bitcoin::bech32::primitives::checksum::Engine as Bech32Engine;
use bitcoin::bech32::{Bech32, Bech32m, Checksum, Fe32, Hrp};
use bitcoin::bip32::{ChildNumber, Xpriv, Xpub};
use bitcoin::hashes::{Hash, hash160, ripemd160, sha256, sha256d};
use bitcoin::hex::{DisplayHex, FromHex};
use bitcoin::key::{TweakedPublicKey, XOnlyPublicKey};
use bitcoin::opcodes::all::{OP_CHECKMULTISIG, OP_CHECKSIG, OP_CHECKSIGADD, OP_NUMEQUAL};
use bitcoin::script::{Builder, PushBytes};
use bitcoin::secp256k1::ecdsa::{RecoverableSignature, RecoveryId};
use bitcoin::secp256k1::{self, All, Secp256k1, SecretKey};
use bitcoin::sign_message::MessageSignature;
use bitcoin::taproot::TaprootBuilder;
use bitcoin::{
    Address, AddressType, KnownHrp, Network, NetworkKind, PrivateKey, PubkeyHash, PublicKey,
    ScriptBuf, ScriptHash, WPubkeyHash, WitnessProgram, WitnessVersion,
};
use miniscript::miniscript::types::Base;
use miniscript::{
    AbsLockTime, Miniscript, MiniscriptKey, RelLockTime, ScriptContext, Segwitv0, Tap, Terminal,
    Threshold, TranslatePk, Translator,
};
use serde_json::{Map, Value, json};
use umkoin_interfaces::rpc::code;

use super::blockchain::{get_int32, get_int64};
use super::txjson::{self, Solved};
use super::{Arg, ArgType, Command, Request, RpcError, RpcResult};
use crate::context::NodeContext;

/// The commands of this module.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        category: "util",
        name: "validateaddress",
        args: &[Arg::required("address", ArgType::Str)],
        help: help::VALIDATEADDRESS,
        handler: validateaddress,
    },
    Command {
        category: "util",
        name: "createmultisig",
        args: &[
            Arg::required("nrequired", ArgType::Num),
            Arg::required("keys", ArgType::Arr),
            Arg::optional("address_type", ArgType::Str),
        ],
        help: help::CREATEMULTISIG,
        handler: createmultisig,
    },
    Command {
        category: "util",
        name: "getdescriptorinfo",
        args: &[Arg::required("descriptor", ArgType::Str)],
        help: help::GETDESCRIPTORINFO,
        handler: getdescriptorinfo,
    },
    Command {
        category: "util",
        name: "deriveaddresses",
        args: &[
            Arg::required("descriptor", ArgType::Str),
            // Core's RANGE type: a number or an array, checked by the command.
            Arg::optional("range", ArgType::Any),
        ],
        help: help::DERIVEADDRESSES,
        handler: deriveaddresses,
    },
    Command {
        category: "util",
        name: "signmessagewithprivkey",
        args: &[
            Arg::required("privkey", ArgType::Str),
            Arg::required("message", ArgType::Str),
        ],
        help: help::SIGNMESSAGEWITHPRIVKEY,
        handler: signmessagewithprivkey,
    },
    Command {
        category: "util",
        name: "verifymessage",
        args: &[
            Arg::required("address", ArgType::Str),
            Arg::required("signature", ArgType::Str),
            Arg::required("message", ArgType::Str),
        ],
        help: help::VERIFYMESSAGE,
        handler: verifymessage,
    },
];

/// One secp256k1 context for every command.
fn secp() -> &'static Secp256k1<All> {
    static SECP: OnceLock<Secp256k1<All>> = OnceLock::new();
    SECP.get_or_init(Secp256k1::new)
}

/// A string argument (the table's type check has run).
fn str_param(req: &Request, i: usize) -> &str {
    req.param(i).as_str().unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// The chain's prefixes
// ---------------------------------------------------------------------------------------

/// What Core's `CChainParams` says about the chain's keys and addresses.
#[derive(Clone, Copy, Debug)]
struct ChainKeys {
    /// rust-bitcoin's network with the same prefixes (Umkoin's are Bitcoin's).
    network: Network,
}

impl ChainKeys {
    /// The node's chain.
    fn of(ctx: &NodeContext) -> Self {
        ChainKeys {
            network: super::network(ctx.params.chain),
        }
    }

    /// Main or test prefixes.
    fn kind(self) -> NetworkKind {
        NetworkKind::from(self.network)
    }

    /// `Bech32HRP()`.
    fn hrp(self) -> &'static str {
        match self.network {
            Network::Bitcoin => "bc",
            Network::Regtest => "bcrt",
            _ => "tb",
        }
    }

    /// `Base58Prefix(PUBKEY_ADDRESS)`.
    fn pubkey_prefix(self) -> u8 {
        match self.kind() {
            NetworkKind::Main => bitcoin::constants::PUBKEY_ADDRESS_PREFIX_MAIN,
            NetworkKind::Test => bitcoin::constants::PUBKEY_ADDRESS_PREFIX_TEST,
        }
    }

    /// `Base58Prefix(SCRIPT_ADDRESS)`.
    fn script_prefix(self) -> u8 {
        match self.kind() {
            NetworkKind::Main => bitcoin::constants::SCRIPT_ADDRESS_PREFIX_MAIN,
            NetworkKind::Test => bitcoin::constants::SCRIPT_ADDRESS_PREFIX_TEST,
        }
    }

    /// `Base58Prefix(SECRET_KEY)`.
    fn secret_prefix(self) -> u8 {
        match self.kind() {
            NetworkKind::Main => 128,
            NetworkKind::Test => 239,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Base58, as Core reads it
// ---------------------------------------------------------------------------------------

/// Core's `IsSpace`.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\x0c' | b'\n' | b'\r' | b'\t' | b'\x0b')
}

/// Core's `IsHex`: a non-empty, even number of hex digits.
fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.len().is_multiple_of(2) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What Core's `DecodeBase58` reads of `s`: spaces around it are skipped, none may be
/// inside, and a NUL refuses the whole string.
fn base58_body(s: &str) -> Option<&str> {
    if s.bytes().any(|b| b == 0) {
        return None;
    }
    let body = s.trim_start_matches(|c: char| c.is_ascii() && is_space(c as u8));
    let end = body.bytes().position(is_space).unwrap_or(body.len());
    let (body, tail) = body.split_at(end);
    tail.bytes().all(is_space).then_some(body)
}

/// Core's `DecodeBase58(str, max_ret_len)`.
fn decode_base58(s: &str, max_len: usize) -> Option<Vec<u8>> {
    let data = bitcoin::base58::decode(base58_body(s)?).ok()?;
    (data.len() <= max_len).then_some(data)
}

/// Core's `DecodeBase58Check(str, max_ret_len)`: the payload without its checksum.
fn decode_base58_check(s: &str, max_len: usize) -> Option<Vec<u8>> {
    let body = base58_body(s)?;
    if bitcoin::base58::decode(body).ok()?.len() > max_len + 4 {
        return None;
    }
    bitcoin::base58::decode_check(body).ok()
}

/// Core's `DecodeSecret`: a WIF private key with the chain's prefix.
fn decode_secret(s: &str, chain: ChainKeys) -> Option<PrivateKey> {
    let data = decode_base58_check(s, 34)?;
    let compressed = match data.len() {
        33 => false,
        34 if data[33] == 1 => true,
        _ => return None,
    };
    if data[0] != chain.secret_prefix() {
        return None;
    }
    let inner = SecretKey::from_slice(&data[1..33]).ok()?;
    Some(PrivateKey {
        compressed,
        network: chain.kind(),
        inner,
    })
}

/// The 78 bytes of an extended key with the chain's version for `private` keys or public
/// ones (Core's `DecodeExtKey`/`DecodeExtPubKey` prefix check).
fn ext_key_payload(s: &str, chain: ChainKeys, private: bool) -> Option<Vec<u8>> {
    let data = decode_base58_check(s, 78)?;
    let version: [u8; 4] = match (chain.kind(), private) {
        (NetworkKind::Main, false) => [0x04, 0x88, 0xB2, 0x1E],
        (NetworkKind::Main, true) => [0x04, 0x88, 0xAD, 0xE4],
        (NetworkKind::Test, false) => [0x04, 0x35, 0x87, 0xCF],
        (NetworkKind::Test, true) => [0x04, 0x35, 0x83, 0x94],
    };
    (data.len() == 78 && data[..4] == version).then_some(data)
}

// ---------------------------------------------------------------------------------------
// Bech32, as Core reads it, with its error locations
// ---------------------------------------------------------------------------------------

/// Core's `bech32::CharLimit::BECH32`: the longest address string.
const BECH32_LIMIT: usize = 90;

/// Characters of a bech32 checksum.
const CHECKSUM_SIZE: usize = 6;

/// A bech32 checksum's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    /// BIP 173.
    Bech32,
    /// BIP 350.
    Bech32m,
}

/// Core's `CheckCharacters`: positions of characters outside `33..=126` and of letters of a
/// case other than the first letter's.
fn check_characters(s: &[u8]) -> Vec<usize> {
    let (mut lower, mut upper) = (false, false);
    let mut errors = Vec::new();
    for (i, &c) in s.iter().enumerate() {
        if c.is_ascii_lowercase() {
            if upper {
                errors.push(i);
            } else {
                lower = true;
            }
        } else if c.is_ascii_uppercase() {
            if lower {
                errors.push(i);
            } else {
                upper = true;
            }
        } else if !(33..=126).contains(&c) {
            errors.push(i);
        }
    }
    errors
}

/// Core's `PolyMod(hrp, values) ^ EncodingConstant(encoding)`, computed by the bech32
/// crate's checksum engine: zero exactly when `values` (data and checksum) check.
fn residue(hrp: Hrp, values: &[Fe32], encoding: Encoding) -> u32 {
    fn run<Ck: Checksum<MidstateRepr = u32>>(hrp: Hrp, values: &[Fe32]) -> u32 {
        let mut engine = Bech32Engine::<Ck>::new();
        engine.input_hrp(hrp);
        for &v in values {
            engine.input_fe(v);
        }
        *engine.residue() ^ Ck::TARGET_RESIDUE
    }
    match encoding {
        Encoding::Bech32 => run::<Bech32>(hrp, values),
        Encoding::Bech32m => run::<Bech32m>(hrp, values),
    }
}

/// The parts of a string with a bech32 string's shape, as Core's `Decode` and `LocateErrors`
/// read them: the separator position, the hrp and the data values (checksum included).
enum Bech32Shape {
    /// Well formed but for the checksum.
    Parts {
        /// The human-readable part, lower case.
        hrp: Hrp,
        /// The data part's values, checksum included.
        values: Vec<Fe32>,
    },
    /// Core's reason and error positions.
    Bad(&'static str, Vec<usize>),
}

/// Core's checks before a bech32 checksum: length, characters, separator, data characters.
fn bech32_shape(s: &str) -> Bech32Shape {
    let b = s.as_bytes();
    if b.len() > BECH32_LIMIT {
        return Bech32Shape::Bad("Bech32 string too long", (BECH32_LIMIT..b.len()).collect());
    }
    let bad = check_characters(b);
    if !bad.is_empty() {
        return Bech32Shape::Bad("Invalid character or mixed case", bad);
    }
    let Some(pos) = b.iter().rposition(|&c| c == b'1') else {
        return Bech32Shape::Bad("Missing separator", Vec::new());
    };
    if pos == 0 || pos + CHECKSUM_SIZE >= b.len() {
        return Bech32Shape::Bad("Invalid separator position", vec![pos]);
    }
    let mut values = Vec::with_capacity(b.len() - pos - 1);
    for (i, &c) in b.iter().enumerate().skip(pos + 1) {
        match Fe32::from_char(char::from(c)) {
            Ok(v) => values.push(v),
            Err(_) => return Bech32Shape::Bad("Invalid Base 32 character", vec![i]),
        }
    }
    // The checks above leave 1 to 83 characters in 33..=126, of one case.
    match Hrp::parse(&s[..pos].to_ascii_lowercase()) {
        Ok(hrp) => Bech32Shape::Parts { hrp, values },
        Err(_) => Bech32Shape::Bad("Invalid checksum", Vec::new()),
    }
}

/// Core's `bech32::Decode`: the encoding, the hrp (lower case) and the data values without
/// the checksum, for a string with a valid bech32 or bech32m checksum.
fn bech32_decode(s: &str) -> Option<(Encoding, String, Vec<u8>)> {
    let Bech32Shape::Parts { hrp, values } = bech32_shape(s) else {
        return None;
    };
    let encoding = [Encoding::Bech32, Encoding::Bech32m]
        .into_iter()
        .find(|&e| residue(hrp, &values, e) == 0)?;
    let data = values[..values.len() - CHECKSUM_SIZE]
        .iter()
        .map(|v| v.to_u8())
        .collect();
    Some((encoding, hrp.to_lowercase(), data))
}

/// GF(1024) as Core's `bech32.cpp` builds it: powers and logarithms of its generator, and
/// the constants of `Syndrome`.
struct Gf1024 {
    /// `GF1024_EXP`.
    exp: [i16; 1023],
    /// `GF1024_LOG` (-1 for 0).
    log: [i16; 1024],
    /// `SYNDROME_CONSTS`.
    syndrome: [u32; 25],
}

/// Core's `GenerateGFTables` and `GenerateSyndromeConstants`.
fn gf1024() -> &'static Gf1024 {
    static TABLES: OnceLock<Gf1024> = OnceLock::new();
    TABLES.get_or_init(|| {
        // GF(32) modulo x^5 + x^3 + 1.
        let mut gf32_exp = [0i32; 31];
        let mut gf32_log = [0i32; 32];
        gf32_exp[0] = 1;
        gf32_log[0] = -1;
        let mut v: i32 = 1;
        for (i, slot) in gf32_exp.iter_mut().enumerate().skip(1) {
            v <<= 1;
            if v & 32 != 0 {
                v ^= 41;
            }
            *slot = v;
            gf32_log[v as usize] = i as i32;
        }
        let mul = |a: i32, b: i32| -> i32 {
            if a == 0 {
                0
            } else {
                gf32_exp[((gf32_log[a as usize] + gf32_log[b as usize]) % 31) as usize]
            }
        };
        // GF(1024) = GF(32)[e]/(e^2 + 9e + 23).
        let mut exp = [0i16; 1023];
        let mut log = [0i16; 1024];
        exp[0] = 1;
        log[0] = -1;
        v = 1;
        for (i, slot) in exp.iter_mut().enumerate().skip(1) {
            let (v0, v1) = (v & 31, v >> 5);
            let v0n = mul(v1, 23);
            let v1n = mul(v1, 9) ^ v0;
            v = v1n << 5 | v0n;
            *slot = v as i16;
            log[v as usize] = i as i16;
        }
        let mut syndrome = [0u32; 25];
        for k in 1..6usize {
            for shift in 0..5usize {
                let b = log[1 << shift] as usize;
                let c0 = exp[(997 * k + b) % 1023] as u32;
                let c1 = exp[(998 * k + b) % 1023] as u32;
                let c2 = exp[(999 * k + b) % 1023] as u32;
                syndrome[5 * (k - 1) + shift] = c2 << 20 | c1 << 10 | c0;
            }
        }
        Gf1024 { exp, log, syndrome }
    })
}

/// Core's `Syndrome`: s_997, s_998 and s_999 of a residue, ten bits each.
fn syndrome(residue: u32) -> u32 {
    let consts = &gf1024().syndrome;
    let low = residue & 0x1f;
    let mut result = low ^ (low << 10) ^ (low << 20);
    for (i, c) in consts.iter().enumerate() {
        if (residue >> (5 + i)) & 1 != 0 {
            result ^= c;
        }
    }
    result
}

/// Core's guess at one or two substitution errors for one encoding (`LocateErrors`'s
/// loop body): the positions in `s`, leftmost first, or none.
fn guess_errors(s_len: usize, length: usize, residue: u32) -> Vec<usize> {
    let gf = gf1024();
    let exp = |i: i64| i64::from(gf.exp[i.rem_euclid(1023) as usize]);
    let log = |v: i64| i64::from(gf.log[v as usize]);
    let syn = syndrome(residue);
    let (s0, s1, s2) = (
        i64::from(syn & 0x3ff),
        i64::from((syn >> 10) & 0x3ff),
        i64::from(syn >> 20),
    );
    let (l_s0, l_s1, l_s2) = (log(s0), log(s1), log(s2));
    let length = length as i64;
    let at = |p: i64| s_len - p as usize - 1;
    if l_s0 != -1 && l_s1 != -1 && l_s2 != -1 && (2 * l_s1 - l_s2 - l_s0 + 2046) % 1023 == 0 {
        let p1 = (l_s1 - l_s0 + 1023) % 1023;
        let l_e1 = l_s0 + (1023 - 997) * p1;
        if p1 < length && l_e1 % 33 == 0 {
            return vec![at(p1)];
        }
        return Vec::new();
    }
    for p1 in 0..length {
        let s2_s1p1 = s2 ^ if s1 == 0 { 0 } else { exp(l_s1 + p1) };
        if s2_s1p1 == 0 {
            continue;
        }
        let l_s2_s1p1 = log(s2_s1p1);
        let s1_s0p1 = s1 ^ if s0 == 0 { 0 } else { exp(l_s0 + p1) };
        if s1_s0p1 == 0 {
            continue;
        }
        let l_s1_s0p1 = log(s1_s0p1);
        let p2 = (l_s2_s1p1 - l_s1_s0p1 + 1023) % 1023;
        if p2 >= length || p1 == p2 {
            continue;
        }
        let s1_s0p2 = s1 ^ if s0 == 0 { 0 } else { exp(l_s0 + p2) };
        if s1_s0p2 == 0 {
            continue;
        }
        let l_s1_s0p2 = log(s1_s0p2);
        let inv_p1_p2 = 1023 - log(exp(p1) ^ exp(p2));
        let l_e2 = l_s1_s0p1 + inv_p1_p2 + (1023 - 997) * p2;
        if l_e2 % 33 != 0 {
            continue;
        }
        let l_e1 = l_s1_s0p2 + inv_p1_p2 + (1023 - 997) * p1;
        if l_e1 % 33 != 0 {
            continue;
        }
        return if p1 > p2 {
            vec![at(p1), at(p2)]
        } else {
            vec![at(p2), at(p1)]
        };
    }
    Vec::new()
}

/// Core's `bech32::LocateErrors`: why `s` is no bech32 string, and where the errors likely
/// are.
fn locate_errors(s: &str) -> (&'static str, Vec<usize>) {
    let (hrp, values) = match bech32_shape(s) {
        Bech32Shape::Bad(why, at) => return (why, at),
        Bech32Shape::Parts { hrp, values } => (hrp, values),
    };
    let mut error_locations: Vec<usize> = Vec::new();
    let mut error_encoding = None;
    for encoding in [Encoding::Bech32, Encoding::Bech32m] {
        let residue = residue(hrp, &values, encoding);
        if residue == 0 {
            return ("", Vec::new());
        }
        let possible = guess_errors(s.len(), values.len(), residue);
        if error_locations.is_empty()
            || (!possible.is_empty() && possible.len() < error_locations.len())
        {
            error_locations = possible;
            if !error_locations.is_empty() {
                error_encoding = Some(encoding);
            }
        }
    }
    let why = match error_encoding {
        Some(Encoding::Bech32m) => "Invalid Bech32m checksum",
        Some(Encoding::Bech32) => "Invalid Bech32 checksum",
        None => "Invalid checksum",
    };
    (why, error_locations)
}

/// Core's `ConvertBits<5, 8, false>`: the bytes of 5-bit values, or `None` for more than
/// four bits of padding or padding that is not zero.
fn five_to_eight(values: &[u8]) -> Option<Vec<u8>> {
    let (mut acc, mut bits) = (0u32, 0u32);
    let mut out = Vec::with_capacity(values.len() * 5 / 8);
    for &v in values {
        acc = ((acc << 5) | u32::from(v)) & 0xfff;
        bits += 5;
        while bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    (bits < 5 && (acc << (8 - bits)) & 0xff == 0).then_some(out)
}

// ---------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------

/// Core's `DecodeDestination` for the chain: the address, or Core's error and the likely
/// error positions.
fn decode_destination(s: &str, chain: ChainKeys) -> Result<Address, (String, Vec<usize>)> {
    let fail = |why: &str| Err((why.to_owned(), Vec::new()));
    let hrp = chain.hrp();
    // False for a valid bech32 address of another chain.
    let is_bech32 = s
        .as_bytes()
        .get(..hrp.len())
        .unwrap_or(s.as_bytes())
        .to_ascii_lowercase()
        == hrp.as_bytes();
    if !is_bech32 {
        if let Some(data) = decode_base58_check(s, 21) {
            let hash: Option<[u8; 20]> = data.get(1..).and_then(|h| h.try_into().ok());
            if let Some(hash) = hash {
                if data[0] == chain.pubkey_prefix() {
                    return Ok(Address::p2pkh(
                        PubkeyHash::from_byte_array(hash),
                        chain.kind(),
                    ));
                }
                if data[0] == chain.script_prefix() {
                    return Ok(Address::p2sh_from_hash(
                        ScriptHash::from_byte_array(hash),
                        chain.kind(),
                    ));
                }
            }
            let prefix = data.first().copied();
            return if prefix == Some(chain.script_prefix()) || prefix == Some(chain.pubkey_prefix())
            {
                fail("Invalid length for Base58 address (P2PKH or P2SH)")
            } else {
                fail("Invalid or unsupported Base58-encoded address.")
            };
        }
        return match decode_base58(s, 100) {
            None => fail("Invalid or unsupported Segwit (Bech32) or Base58 encoding."),
            Some(_) => fail("Invalid checksum or length of Base58 address (P2PKH or P2SH)"),
        };
    }
    let Some((encoding, got_hrp, data)) = bech32_decode(s) else {
        let (why, at) = locate_errors(s);
        return Err((why.to_owned(), at));
    };
    let Some(&version) = data.first() else {
        return fail("Empty Bech32 data section");
    };
    if got_hrp != hrp {
        return fail(&format!(
            "Invalid or unsupported prefix for Segwit (Bech32) address (expected {hrp}, got {got_hrp})."
        ));
    }
    if version == 0 && encoding != Encoding::Bech32 {
        return fail("Version 0 witness address must use Bech32 checksum");
    }
    if version != 0 && encoding != Encoding::Bech32m {
        return fail("Version 1+ witness address must use Bech32m checksum");
    }
    let Some(program) = five_to_eight(&data[1..]) else {
        return fail("Invalid padding in Bech32 data section");
    };
    let bytes = if program.len() == 1 { "byte" } else { "bytes" };
    if version == 0 && program.len() != 20 && program.len() != 32 {
        return fail(&format!(
            "Invalid Bech32 v0 address program size ({} {bytes}), per BIP141",
            program.len()
        ));
    }
    let anchor_or_taproot = version == 1 && (program.len() == 32 || program == [0x4e, 0x73]);
    if !anchor_or_taproot {
        if version > 16 {
            return fail("Invalid Bech32 address witness version");
        }
        if program.len() < 2 || program.len() > 40 {
            return fail(&format!(
                "Invalid Bech32 address program size ({} {bytes})",
                program.len()
            ));
        }
    }
    WitnessVersion::try_from(version)
        .ok()
        .and_then(|v| WitnessProgram::new(v, &program).ok())
        .map(|p| Address::from_witness_program(p, KnownHrp::from(chain.network)))
        .ok_or_else(|| {
            (
                "Invalid Bech32 address witness version".to_owned(),
                Vec::new(),
            )
        })
}

/// Core's `DescribeAddress`: `isscript`, `iswitness`, `witness_version`, `witness_program`
/// as each kind of destination has them.
fn describe_address(address: &Address, out: &mut Map<String, Value>) {
    let mut put = |k: &str, v: Value| {
        out.insert(k.to_owned(), v);
    };
    match address.address_type() {
        Some(AddressType::P2pkh) => {
            put("isscript", json!(false));
            put("iswitness", json!(false));
        }
        Some(AddressType::P2sh) => {
            put("isscript", json!(true));
            put("iswitness", json!(false));
        }
        Some(AddressType::P2a) => {
            put("isscript", json!(true));
            put("iswitness", json!(true));
        }
        kind => {
            let Some(program) = address.witness_program() else {
                return;
            };
            match kind {
                Some(AddressType::P2wpkh) => put("isscript", json!(false)),
                Some(AddressType::P2wsh | AddressType::P2tr) => put("isscript", json!(true)),
                _ => {}
            }
            put("iswitness", json!(true));
            put("witness_version", json!(program.version().to_num()));
            put(
                "witness_program",
                json!(program.program().as_bytes().to_lower_hex_string()),
            );
        }
    }
}

/// `validateaddress "address"`.
fn validateaddress(ctx: &NodeContext, req: &Request) -> RpcResult {
    let mut ret = Map::new();
    match decode_destination(str_param(req, 0), ChainKeys::of(ctx)) {
        Ok(address) => {
            ret.insert("isvalid".into(), json!(true));
            ret.insert("address".into(), json!(address.to_string()));
            ret.insert(
                "scriptPubKey".into(),
                json!(address.script_pubkey().as_bytes().to_lower_hex_string()),
            );
            describe_address(&address, &mut ret);
        }
        Err((why, at)) => {
            ret.insert("isvalid".into(), json!(false));
            ret.insert("error_locations".into(), json!(at));
            ret.insert("error".into(), json!(why));
        }
    }
    Ok(Value::Object(ret))
}

// ---------------------------------------------------------------------------------------
// createmultisig
// ---------------------------------------------------------------------------------------

/// Core's `MAX_PUBKEYS_PER_MULTISIG`.
const MAX_PUBKEYS_PER_MULTISIG: usize = 20;

/// Core's `MAX_PUBKEYS_PER_MULTI_A`.
const MAX_PUBKEYS_PER_MULTI_A: usize = 999;

/// Core's `MAX_SCRIPT_ELEMENT_SIZE`.
const MAX_SCRIPT_ELEMENT_SIZE: usize = 520;

/// Core's `HexToPubKey`: the key's bytes (hybrid encodings pass, as in Core).
fn hex_to_pubkey(hex: &str) -> Result<Vec<u8>, RpcError> {
    let err = |why: &str| {
        RpcError::new(
            code::INVALID_ADDRESS_OR_KEY,
            format!("Pubkey \"{hex}\" {why}"),
        )
    };
    if !is_hex(hex) {
        return Err(err("must be a hex string"));
    }
    if hex.len() != 66 && hex.len() != 130 {
        return Err(err("must have a length of either 33 or 65 bytes"));
    }
    let bytes = Vec::<u8>::from_hex(hex).map_err(|_| err("must be a hex string"))?;
    // `CPubKey::IsFullyValid`: a header matching the length, and a point on the curve.
    let header_len = match bytes[0] {
        2 | 3 => 33,
        4 | 6 | 7 => 65,
        _ => 0,
    };
    if header_len != bytes.len() || secp256k1::PublicKey::from_slice(&bytes).is_err() {
        return Err(err("must be cryptographically valid."));
    }
    Ok(bytes)
}

/// `GetScriptForMultisig`: `<k> <key>... <n> OP_CHECKMULTISIG`.
fn multisig_script(required: i64, keys: &[Vec<u8>]) -> ScriptBuf {
    let mut b = Builder::new().push_int(required);
    for key in keys {
        if let Ok(push) = <&PushBytes>::try_from(key.as_slice()) {
            b = b.push_slice(push);
        }
    }
    b.push_int(keys.len() as i64)
        .push_opcode(OP_CHECKMULTISIG)
        .into_script()
}

/// `createmultisig nrequired ["key",...] ( "address_type" )`.
fn createmultisig(ctx: &NodeContext, req: &Request) -> RpcResult {
    let chain = ChainKeys::of(ctx);
    let required = get_int32(req.param(0))?;
    let mut keys = Vec::new();
    for key in req
        .param(1)
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let Some(hex) = key.as_str() else {
            return Err(RpcError::new(
                code::TYPE_ERROR,
                format!(
                    "JSON value of type {} is not of expected type string",
                    super::json::type_name(key)
                ),
            ));
        };
        keys.push(hex_to_pubkey(hex)?);
    }
    let address_type = req.param(2).as_str().unwrap_or("legacy");
    let mut output_type = match address_type {
        "legacy" | "p2sh-segwit" | "bech32" => address_type,
        "bech32m" => {
            return Err(RpcError::new(
                code::INVALID_ADDRESS_OR_KEY,
                "createmultisig cannot create bech32m multisig addresses",
            ));
        }
        _ => {
            return Err(RpcError::new(
                code::INVALID_ADDRESS_OR_KEY,
                format!("Unknown address type '{address_type}'"),
            ));
        }
    };
    // Core's `AddAndGetMultisigDestination`.
    if required < 1 {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "a multisignature address must require at least one key to redeem",
        ));
    }
    if keys.len() < required as usize {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!(
                "not enough keys supplied (got {} keys, but need at least {required} to redeem)",
                keys.len()
            ),
        ));
    }
    if keys.len() > MAX_PUBKEYS_PER_MULTISIG {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!(
                "Number of keys involved in the multisignature address creation > {MAX_PUBKEYS_PER_MULTISIG}\nReduce the number"
            ),
        ));
    }
    let script = multisig_script(i64::from(required), &keys);
    if keys.iter().any(|k| k.len() != 33) {
        output_type = "legacy";
    }
    if output_type == "legacy" && script.len() > MAX_SCRIPT_ELEMENT_SIZE {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!(
                "redeemScript exceeds size limit: {} > {MAX_SCRIPT_ELEMENT_SIZE}",
                script.len()
            ),
        ));
    }
    let p2wsh = ScriptBuf::new_p2wsh(&script.wscript_hash());
    let address = match output_type {
        "legacy" => Address::p2sh_from_hash(script.script_hash(), chain.kind()),
        "p2sh-segwit" => Address::p2sh_from_hash(p2wsh.script_hash(), chain.kind()),
        _ => Address::from_script(&p2wsh, chain.network)
            .map_err(|_| RpcError::new(code::MISC_ERROR, "a P2WSH output script has an address"))?,
    };
    // Core's `InferDescriptor` of the output, knowing the scripts: `multi` with the keys
    // as given, unless one is hybrid (then only the address is known).
    let multi = format!(
        "multi({required},{})",
        keys.iter()
            .map(|k| k.to_lower_hex_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let descriptor = if keys.iter().any(|k| matches!(k[0], 6 | 7)) {
        format!("addr({address})")
    } else {
        match output_type {
            "legacy" => format!("sh({multi})"),
            "p2sh-segwit" => format!("sh(wsh({multi}))"),
            _ => format!("wsh({multi})"),
        }
    };
    let mut ret = Map::new();
    ret.insert("address".into(), json!(address.to_string()));
    ret.insert(
        "redeemScript".into(),
        json!(script.as_bytes().to_lower_hex_string()),
    );
    ret.insert("descriptor".into(), json!(with_checksum(&descriptor)));
    if output_type != address_type {
        // Only when the caller chose a type that uncompressed keys rule out.
        ret.insert(
            "warnings".into(),
            json!([
                "Unable to make chosen address type, please ensure no uncompressed public keys are present."
            ]),
        );
    }
    Ok(Value::Object(ret))
}

// ---------------------------------------------------------------------------------------
// Descriptors: keys
// ---------------------------------------------------------------------------------------

/// Where a key or script sits, as Core's `ParseScriptContext`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// The output script itself.
    Top,
    /// Inside `sh()`.
    P2sh,
    /// Inside `wpkh()`.
    P2wpkh,
    /// Inside `wsh()`.
    P2wsh,
    /// Inside `tr()` or `rawtr()`.
    P2tr,
}

/// A ranged key's last step, as Core's `DeriveType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Derive {
    /// Not ranged.
    NonRanged,
    /// `/*`.
    Unhardened,
    /// `/*h` or `/*'`.
    Hardened,
}

/// A key without its origin, as Core's `ConstPubkeyProvider` and `BIP32PubkeyProvider`.
#[derive(Clone, Debug)]
enum KeyKind {
    /// A public key, or a WIF key's; `xonly` when written (or, for a WIF key, read) as a
    /// taproot x-only key.
    Const {
        /// The key.
        key: PublicKey,
        /// Shown as 32 bytes.
        xonly: bool,
    },
    /// An extended key with its path.
    Ext {
        /// The root (an xprv's public half).
        xpub: Xpub,
        /// The path after the root, each step with its hardened bit.
        path: Vec<u32>,
        /// The ranged last step.
        derive: Derive,
    },
}

/// A key expression, as Core's `PubkeyProvider`s: origin, key, and whether the text used
/// `'` for hardened steps.
#[derive(Clone, Debug)]
struct KeyExpr {
    /// `[fingerprint/path]`.
    origin: Option<([u8; 4], Vec<u32>)>,
    /// The key.
    kind: KeyKind,
    /// Hardened steps shown with `'` rather than `h`.
    apostrophe: bool,
    /// The key at position 0 derived without private keys, which Core's
    /// `PubkeyProvider::operator<` compares (`None` when that needs a private key).
    first: Option<PublicKey>,
}

impl PartialEq for KeyExpr {
    fn eq(&self, other: &Self) -> bool {
        self.first == other.first
    }
}

impl Eq for KeyExpr {}

impl PartialOrd for KeyExpr {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for KeyExpr {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.first.cmp(&other.first)
    }
}

impl std::hash::Hash for KeyExpr {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.first.hash(state);
    }
}

/// Core's `FormatHDKeypath`.
fn fmt_path(f: &mut fmt::Formatter<'_>, path: &[u32], apostrophe: bool) -> fmt::Result {
    for &step in path {
        write!(f, "/{}", step & 0x7fff_ffff)?;
        if step >> 31 != 0 {
            f.write_str(if apostrophe { "'" } else { "h" })?;
        }
    }
    Ok(())
}

impl fmt::Display for KeyExpr {
    /// Core's `PubkeyProvider::ToString(PUBLIC)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((fingerprint, path)) = &self.origin {
            write!(f, "[{}", fingerprint.to_lower_hex_string())?;
            fmt_path(f, path, self.apostrophe)?;
            f.write_str("]")?;
        }
        match &self.kind {
            KeyKind::Const { key, xonly: true } => {
                let x = XOnlyPublicKey::from(key.inner).serialize();
                write!(f, "{}", x.to_lower_hex_string())
            }
            KeyKind::Const { key, xonly: false } => write!(f, "{key}"),
            KeyKind::Ext { xpub, path, derive } => {
                write!(f, "{xpub}")?;
                fmt_path(f, path, self.apostrophe)?;
                match derive {
                    Derive::NonRanged => Ok(()),
                    Derive::Unhardened => f.write_str("/*"),
                    Derive::Hardened => f.write_str(if self.apostrophe { "/*'" } else { "/*h" }),
                }
            }
        }
    }
}

impl MiniscriptKey for KeyExpr {
    type Sha256 = sha256::Hash;
    type Hash256 = miniscript::hash256::Hash;
    type Ripemd160 = ripemd160::Hash;
    type Hash160 = hash160::Hash;

    fn is_uncompressed(&self) -> bool {
        matches!(&self.kind, KeyKind::Const { key, .. } if !key.compressed)
    }
}

impl KeyExpr {
    /// Core's `PubkeyProvider::IsRange`.
    fn is_range(&self) -> bool {
        matches!(
            self.kind,
            KeyKind::Ext {
                derive: Derive::Unhardened | Derive::Hardened,
                ..
            }
        )
    }

    /// Core's `PubkeyProvider::GetSize`: the serialized key's length.
    fn size(&self) -> usize {
        match &self.kind {
            KeyKind::Const { key, .. } => key.to_bytes().len(),
            KeyKind::Ext { .. } => 33,
        }
    }

    /// Core's `PubkeyProvider::GetPubKey(pos)`: the key at `pos`, `None` when a hardened
    /// step needs a private key that `secrets` lacks.
    fn at(&self, pos: u32, secrets: &[(secp256k1::PublicKey, SecretKey)]) -> Option<PublicKey> {
        let (xpub, path, derive) = match &self.kind {
            KeyKind::Const { key, .. } => return Some(*key),
            KeyKind::Ext { xpub, path, derive } => (xpub, path, derive),
        };
        let mut steps: Vec<ChildNumber> = path.iter().map(|&n| ChildNumber::from(n)).collect();
        match derive {
            Derive::NonRanged => {}
            Derive::Unhardened => steps.push(ChildNumber::from(pos)),
            Derive::Hardened => steps.push(ChildNumber::from(pos | 1 << 31)),
        }
        // Umkoin Core's derivation, on its own SHA-512 (see `crate::bip32`).
        if steps.iter().all(ChildNumber::is_normal) {
            let key = crate::bip32::derive_pub(secp(), xpub, &steps).ok()?;
            return Some(PublicKey::new(key.public_key));
        }
        let secret = secrets
            .iter()
            .find(|(public, _)| *public == xpub.public_key)?
            .1;
        let xpriv = Xpriv {
            network: xpub.network,
            depth: xpub.depth,
            parent_fingerprint: xpub.parent_fingerprint,
            child_number: xpub.child_number,
            private_key: secret,
            chain_code: xpub.chain_code,
        };
        let derived = crate::bip32::derive_priv(secp(), &xpriv, &steps).ok()?;
        Some(PublicKey::new(Xpub::from_priv(secp(), &derived).public_key))
    }
}

/// Core's `ToIntegral<uint32_t>`: decimal digits only.
fn to_u32(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Core's `ParseKeyPathNum`: one step, its hardened bit set for `h` or `'`.
fn parse_key_path_num(elem: &str, apostrophe: &mut bool) -> Result<u32, String> {
    let mut num = elem;
    let mut hardened = false;
    if let Some(last @ (b'\'' | b'h')) = elem.bytes().last() {
        num = &elem[..elem.len() - 1];
        hardened = true;
        *apostrophe = last == b'\'';
    }
    let Some(n) = to_u32(num) else {
        return Err(format!("Key path value '{num}' is not a valid uint32"));
    };
    if n > 0x7fff_ffff {
        return Err(format!("Key path value {n} is out of range"));
    }
    Ok(n | u32::from(hardened) << 31)
}

/// Core's `ParseKeyPath`: the paths `elems` spell (one per multipath choice).
fn parse_key_path(
    elems: &[&str],
    apostrophe: &mut bool,
    allow_multipath: bool,
) -> Result<Vec<Vec<u32>>, String> {
    let mut path = Vec::new();
    let mut substitutes: Option<(usize, Vec<u32>)> = None;
    for elem in elems {
        if elem.len() >= 2 && elem.starts_with('<') && elem.ends_with('>') {
            if !allow_multipath {
                return Err(format!(
                    "Key path value '{elem}' specifies multipath in a section where multipath is not allowed"
                ));
            }
            if substitutes.is_some() {
                return Err("Multiple multipath key path specifiers found".to_owned());
            }
            let nums: Vec<&str> = elem[1..elem.len() - 1].split(';').collect();
            if nums.len() < 2 {
                return Err("Multipath key path specifiers must have at least two items".to_owned());
            }
            let mut values: Vec<u32> = Vec::with_capacity(nums.len());
            for num in nums {
                let n = parse_key_path_num(num, apostrophe)?;
                if values.contains(&n) {
                    return Err(format!(
                        "Duplicated key path value {n} in multipath specifier"
                    ));
                }
                values.push(n);
            }
            path.push(0);
            substitutes = Some((path.len() - 1, values));
        } else {
            path.push(parse_key_path_num(elem, apostrophe)?);
        }
    }
    Ok(match substitutes {
        None => vec![path],
        Some((at, values)) => values
            .into_iter()
            .map(|v| {
                let mut p = path.clone();
                p[at] = v;
                p
            })
            .collect(),
    })
}

// ---------------------------------------------------------------------------------------
// Descriptors: scripts
// ---------------------------------------------------------------------------------------

/// A parsed descriptor (one of a multipath descriptor's expansions), as Core's
/// `DescriptorImpl` kinds.
#[derive(Clone, Debug)]
enum Desc {
    /// `addr(ADDR)`.
    Addr(Address),
    /// `raw(HEX)`.
    Raw(ScriptBuf),
    /// `pk(KEY)`; `xonly` inside `tr()`.
    Pk {
        /// The key.
        key: KeyExpr,
        /// A tapscript `<x> OP_CHECKSIG`.
        xonly: bool,
    },
    /// `pkh(KEY)`.
    Pkh(KeyExpr),
    /// `wpkh(KEY)`.
    Wpkh(KeyExpr),
    /// `combo(KEY)`.
    Combo(KeyExpr),
    /// `multi(k,...)` or `sortedmulti(k,...)`.
    Multi {
        /// The threshold.
        k: u32,
        /// The keys.
        keys: Vec<KeyExpr>,
        /// `sortedmulti`.
        sorted: bool,
    },
    /// `multi_a(k,...)` or `sortedmulti_a(k,...)`.
    MultiA {
        /// The threshold.
        k: u32,
        /// The keys.
        keys: Vec<KeyExpr>,
        /// `sortedmulti_a`.
        sorted: bool,
    },
    /// `sh(SCRIPT)`.
    Sh(Box<Desc>),
    /// `wsh(SCRIPT)`.
    Wsh(Box<Desc>),
    /// `tr(KEY,TREE)`: the internal key and the leaves in depth-first order with depths.
    Tr {
        /// The internal key.
        key: KeyExpr,
        /// The leaves and their depths.
        leaves: Vec<(usize, Desc)>,
    },
    /// `rawtr(KEY)`.
    RawTr(KeyExpr),
    /// A miniscript inside `wsh()`.
    MsWsh(Miniscript<KeyExpr, Segwitv0>),
    /// A miniscript leaf of `tr()`.
    MsTap(Miniscript<KeyExpr, Tap>),
}

impl fmt::Display for Desc {
    /// Core's `ToString` without the checksum.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = |keys: &[KeyExpr]| {
            keys.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        };
        match self {
            Desc::Addr(address) => write!(f, "addr({address})"),
            Desc::Raw(script) => write!(f, "raw({})", script.as_bytes().to_lower_hex_string()),
            Desc::Pk { key, .. } => write!(f, "pk({key})"),
            Desc::Pkh(key) => write!(f, "pkh({key})"),
            Desc::Wpkh(key) => write!(f, "wpkh({key})"),
            Desc::Combo(key) => write!(f, "combo({key})"),
            Desc::Multi {
                k,
                keys: ks,
                sorted,
            } => {
                let name = if *sorted { "sortedmulti" } else { "multi" };
                write!(f, "{name}({k},{})", keys(ks))
            }
            Desc::MultiA {
                k,
                keys: ks,
                sorted,
            } => {
                let name = if *sorted { "sortedmulti_a" } else { "multi_a" };
                write!(f, "{name}({k},{})", keys(ks))
            }
            Desc::Sh(sub) => write!(f, "sh({sub})"),
            Desc::Wsh(sub) => write!(f, "wsh({sub})"),
            Desc::Tr { key, leaves } => {
                write!(f, "tr({key}")?;
                if !leaves.is_empty() {
                    f.write_str(",")?;
                }
                // Core's `TRDescriptor::ToStringSubScriptHelper`.
                let mut path: Vec<bool> = Vec::new();
                for (pos, (depth, sub)) in leaves.iter().enumerate() {
                    if pos > 0 {
                        f.write_str(",")?;
                    }
                    while path.len() <= *depth {
                        if !path.is_empty() {
                            f.write_str("{")?;
                        }
                        path.push(false);
                    }
                    write!(f, "{sub}")?;
                    while path.last() == Some(&true) {
                        if path.len() > 1 {
                            f.write_str("}")?;
                        }
                        path.pop();
                    }
                    if let Some(last) = path.last_mut() {
                        *last = true;
                    }
                }
                f.write_str(")")
            }
            Desc::RawTr(key) => write!(f, "rawtr({key})"),
            Desc::MsWsh(ms) => write!(f, "{ms}"),
            Desc::MsTap(ms) => write!(f, "{ms}"),
        }
    }
}

/// Translates a miniscript's keys to the public keys at one position.
struct KeysAt<'a> {
    /// The position.
    pos: u32,
    /// The private keys the descriptor gave.
    secrets: &'a [(secp256k1::PublicKey, SecretKey)],
}

impl Translator<KeyExpr, PublicKey, ()> for KeysAt<'_> {
    fn pk(&mut self, pk: &KeyExpr) -> Result<PublicKey, ()> {
        pk.at(self.pos, self.secrets).ok_or(())
    }

    miniscript::translate_hash_clone!(KeyExpr, PublicKey, ());
}

/// `<xonly>` then `<xonly> OP_CHECKSIGADD`... `<k> OP_NUMEQUAL`.
fn multi_a_script(k: u32, keys: &[PublicKey], sorted: bool) -> ScriptBuf {
    let mut xkeys: Vec<XOnlyPublicKey> =
        keys.iter().map(|k| XOnlyPublicKey::from(k.inner)).collect();
    if sorted {
        xkeys.sort_by_key(|k| k.serialize());
    }
    let mut b = Builder::new();
    for (i, key) in xkeys.iter().enumerate() {
        b = b
            .push_x_only_key(key)
            .push_opcode(if i == 0 { OP_CHECKSIG } else { OP_CHECKSIGADD });
    }
    b.push_int(i64::from(k))
        .push_opcode(OP_NUMEQUAL)
        .into_script()
}

impl Desc {
    /// Core's `IsRange`.
    fn is_range(&self) -> bool {
        match self {
            Desc::Addr(_) | Desc::Raw(_) => false,
            Desc::Pk { key, .. }
            | Desc::Pkh(key)
            | Desc::Wpkh(key)
            | Desc::Combo(key)
            | Desc::RawTr(key) => key.is_range(),
            Desc::Multi { keys, .. } | Desc::MultiA { keys, .. } => {
                keys.iter().any(KeyExpr::is_range)
            }
            Desc::Sh(sub) | Desc::Wsh(sub) => sub.is_range(),
            Desc::Tr { key, leaves } => key.is_range() || leaves.iter().any(|(_, d)| d.is_range()),
            Desc::MsWsh(ms) => ms.iter_pk().any(|k| k.is_range()),
            Desc::MsTap(ms) => ms.iter_pk().any(|k| k.is_range()),
        }
    }

    /// Core's `IsSolvable`: everything but `addr()` and `raw()`.
    fn is_solvable(&self) -> bool {
        !matches!(self, Desc::Addr(_) | Desc::Raw(_))
    }

    /// The one script of a sub-descriptor (`sh`, `wsh` and `tr` leaves have one).
    fn one_script(
        &self,
        pos: u32,
        secrets: &[(secp256k1::PublicKey, SecretKey)],
    ) -> Option<ScriptBuf> {
        self.expand(pos, secrets)?.into_iter().next()
    }

    /// Core's `Expand(pos)`: the output scripts at `pos`, `None` when a key there needs a
    /// private key the descriptor did not give.
    fn expand(
        &self,
        pos: u32,
        secrets: &[(secp256k1::PublicKey, SecretKey)],
    ) -> Option<Vec<ScriptBuf>> {
        let key_at = |key: &KeyExpr| key.at(pos, secrets);
        let keys_at = |keys: &[KeyExpr]| {
            keys.iter()
                .map(|k| k.at(pos, secrets))
                .collect::<Option<Vec<_>>>()
        };
        let script = match self {
            Desc::Addr(address) => address.script_pubkey(),
            Desc::Raw(script) => script.clone(),
            Desc::Pk { key, xonly: false } => ScriptBuf::new_p2pk(&key_at(key)?),
            Desc::Pk { key, xonly: true } => Builder::new()
                .push_x_only_key(&XOnlyPublicKey::from(key_at(key)?.inner))
                .push_opcode(OP_CHECKSIG)
                .into_script(),
            Desc::Pkh(key) => ScriptBuf::new_p2pkh(&key_at(key)?.pubkey_hash()),
            Desc::Wpkh(key) => ScriptBuf::new_p2wpkh(&WPubkeyHash::hash(&key_at(key)?.to_bytes())),
            Desc::Combo(key) => {
                let key = key_at(key)?;
                let mut scripts = vec![
                    ScriptBuf::new_p2pk(&key),
                    ScriptBuf::new_p2pkh(&key.pubkey_hash()),
                ];
                if key.compressed {
                    let p2wpkh = ScriptBuf::new_p2wpkh(&WPubkeyHash::hash(&key.to_bytes()));
                    scripts.push(ScriptBuf::new_p2sh(&p2wpkh.script_hash()));
                    scripts.insert(2, p2wpkh);
                }
                return Some(scripts);
            }
            Desc::Multi { k, keys, sorted } => {
                let mut keys: Vec<Vec<u8>> = keys_at(keys)?
                    .into_iter()
                    .map(PublicKey::to_bytes)
                    .collect();
                if *sorted {
                    keys.sort();
                }
                multisig_script(i64::from(*k), &keys)
            }
            Desc::MultiA { k, keys, sorted } => multi_a_script(*k, &keys_at(keys)?, *sorted),
            Desc::Sh(sub) => ScriptBuf::new_p2sh(&sub.one_script(pos, secrets)?.script_hash()),
            Desc::Wsh(sub) => ScriptBuf::new_p2wsh(&sub.one_script(pos, secrets)?.wscript_hash()),
            Desc::Tr { key, leaves } => {
                let internal = XOnlyPublicKey::from(key_at(key)?.inner);
                let mut builder = TaprootBuilder::new();
                for (depth, leaf) in leaves {
                    let depth = u8::try_from(*depth).ok()?;
                    builder = builder
                        .add_leaf(depth, leaf.one_script(pos, secrets)?)
                        .ok()?;
                }
                let info = builder.finalize(secp(), internal).ok()?;
                ScriptBuf::new_p2tr_tweaked(info.output_key())
            }
            Desc::RawTr(key) => {
                ScriptBuf::new_p2tr_tweaked(TweakedPublicKey::dangerous_assume_tweaked(
                    XOnlyPublicKey::from(key_at(key)?.inner),
                ))
            }
            Desc::MsWsh(ms) => ms.translate_pk(&mut KeysAt { pos, secrets }).ok()?.encode(),
            Desc::MsTap(ms) => ms.translate_pk(&mut KeysAt { pos, secrets }).ok()?.encode(),
        };
        Some(vec![script])
    }
}

/// Core's `AddChecksum`: `desc#checksum`.
fn with_checksum(desc: &str) -> String {
    format!(
        "{desc}#{}",
        txjson::descriptor_checksum(desc).unwrap_or_default()
    )
}

// ---------------------------------------------------------------------------------------
// Descriptors: the parser
// ---------------------------------------------------------------------------------------

/// Core's `script::Const`: whether `sp` starts with `s`, which is then skipped.
fn konst(s: &str, sp: &mut &str) -> bool {
    match sp.strip_prefix(s) {
        Some(rest) => {
            *sp = rest;
            true
        }
        None => false,
    }
}

/// Core's `script::Func`: whether `sp` is `name(...)`, which is then its inside.
fn func(name: &str, sp: &mut &str) -> bool {
    let b = sp.as_bytes();
    if b.len() >= name.len() + 2
        && b[name.len()] == b'('
        && b.last() == Some(&b')')
        && sp.starts_with(name)
    {
        *sp = &sp[name.len() + 1..sp.len() - 1];
        true
    } else {
        false
    }
}

/// Core's `script::Expr`: the text up to a `,`, `)` or `}` outside brackets, which is
/// taken from `sp`.
fn expr<'a>(sp: &mut &'a str) -> &'a str {
    let b = sp.as_bytes();
    let mut level = 0usize;
    let mut end = b.len();
    for (i, &c) in b.iter().enumerate() {
        if c == b'(' || c == b'{' {
            level += 1;
        } else if level > 0 && (c == b')' || c == b'}') {
            level -= 1;
        } else if level == 0 && (c == b')' || c == b'}' || c == b',') {
            end = i;
            break;
        }
    }
    let (head, tail) = sp.split_at(end);
    *sp = tail;
    head
}

/// The first character of `s` for Core's `'%c'` (a NUL for none).
fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or('\0')
}

/// Core's descriptor parser (`Parse` and its helpers) for one chain, with what Core's
/// `FlatSigningProvider` gathers: the private keys seen.
struct Parser {
    /// The chain's prefixes.
    chain: ChainKeys,
    /// The private keys, by public key.
    secrets: Vec<(secp256k1::PublicKey, SecretKey)>,
}

/// A miniscript node as Core's text parser builds it (`miniscript::internal::Parse`),
/// before any type check; keys are indices into the parsed keys.
#[derive(Clone, Debug)]
enum Ms {
    /// `0`.
    Zero,
    /// `1`.
    One,
    /// `pk_k(KEY)`.
    PkK(usize),
    /// `pk_h(KEY)`.
    PkH(usize),
    /// `older(n)`.
    Older(u32),
    /// `after(n)`.
    After(u32),
    /// `sha256(H)`.
    Sha256([u8; 32]),
    /// `hash256(H)`.
    Hash256([u8; 32]),
    /// `ripemd160(H)`.
    Ripemd160([u8; 20]),
    /// `hash160(H)`.
    Hash160([u8; 20]),
    /// `multi(k,KEY,...)`.
    Multi(usize, Vec<usize>),
    /// `multi_a(k,KEY,...)`.
    MultiA(usize, Vec<usize>),
    /// A wrapper (`a`, `s`, `c`, `d`, `v`, `j` or `n`).
    Wrap(char, Box<Ms>),
    /// `and_v(X,Y)`.
    AndV(Box<Ms>, Box<Ms>),
    /// `and_b(X,Y)`.
    AndB(Box<Ms>, Box<Ms>),
    /// `or_b(X,Z)`.
    OrB(Box<Ms>, Box<Ms>),
    /// `or_c(X,Z)`.
    OrC(Box<Ms>, Box<Ms>),
    /// `or_d(X,Z)`.
    OrD(Box<Ms>, Box<Ms>),
    /// `or_i(X,Z)`.
    OrI(Box<Ms>, Box<Ms>),
    /// `andor(X,Y,Z)`.
    AndOr(Box<Ms>, Box<Ms>, Box<Ms>),
    /// `thresh(k,X,...)`.
    Thresh(usize, Vec<Ms>),
}

/// What is still to be read, as Core's `ParseContext`.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// An expression with its wrappers.
    WrappedExpr,
    /// An expression.
    Expr,
    /// Apply a wrapper (`a`, `s`, `c`, `d`, `v`, `j`, `n`, `u`, `t`).
    Wrap(char),
    /// Combine the last two nodes (`and_v`, `and_b`, `and_n`, `or_b`, `or_c`, `or_d`,
    /// `or_i`).
    Combine(&'static str),
    /// Combine the last three nodes into `andor`.
    AndOr,
    /// Inside `thresh(k, ...)` after `n` expressions.
    Thresh(usize, usize),
    /// A `,`.
    Comma,
    /// A `)`.
    CloseBracket,
}

/// Core's `miniscript::internal::FindNextChar`: the position of `m` before any `)`.
fn find_next_char(sp: &str, m: u8) -> Option<usize> {
    for (i, &c) in sp.as_bytes().iter().enumerate() {
        if c == m {
            return Some(i);
        }
        if c == b')' {
            break;
        }
    }
    None
}

/// Core's `ToIntegral<int64_t>`: an optional `-` and decimal digits.
fn to_i64(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// rust-miniscript's limit on a node's height (its `MAX_RECURSION_DEPTH`); Core has none,
/// but no standard P2WSH script comes near it.
const MAX_MS_HEIGHT: usize = 402;

/// Core's `MAX_STANDARD_P2WSH_SCRIPT_SIZE`: the largest valid P2WSH miniscript.
const MAX_P2WSH_SCRIPT_SIZE: usize = 3600;

/// Core's `Node::ToString`: `wrapped` when the parent is a wrapper (then a non-wrapper
/// expression is written after a `:`).
fn ms_to_string(node: &Ms, keys: &[Vec<KeyExpr>], wrapped: bool) -> String {
    let key = |i: &usize| {
        keys.get(*i)
            .and_then(|k| k.first())
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    let two = |name: &str, a: &Ms, b: &Ms| {
        format!(
            "{name}({},{})",
            ms_to_string(a, keys, false),
            ms_to_string(b, keys, false)
        )
    };
    let ret = if wrapped { ":" } else { "" };
    match node {
        Ms::Wrap('c', sub) if matches!(**sub, Ms::PkK(_)) => match &**sub {
            Ms::PkK(k) => format!("{ret}pk({})", key(k)),
            _ => String::new(),
        },
        Ms::Wrap('c', sub) if matches!(**sub, Ms::PkH(_)) => match &**sub {
            Ms::PkH(k) => format!("{ret}pkh({})", key(k)),
            _ => String::new(),
        },
        Ms::Wrap(c, sub) => format!("{c}{}", ms_to_string(sub, keys, true)),
        Ms::AndV(x, one) if matches!(**one, Ms::One) => format!("t{}", ms_to_string(x, keys, true)),
        Ms::OrI(zero, x) if matches!(**zero, Ms::Zero) => {
            format!("l{}", ms_to_string(x, keys, true))
        }
        Ms::OrI(x, zero) if matches!(**zero, Ms::Zero) => {
            format!("u{}", ms_to_string(x, keys, true))
        }
        Ms::Zero => format!("{ret}0"),
        Ms::One => format!("{ret}1"),
        Ms::PkK(k) => format!("{ret}pk_k({})", key(k)),
        Ms::PkH(k) => format!("{ret}pk_h({})", key(k)),
        Ms::Older(n) => format!("{ret}older({n})"),
        Ms::After(n) => format!("{ret}after({n})"),
        Ms::Sha256(h) => format!("{ret}sha256({})", h.to_lower_hex_string()),
        Ms::Hash256(h) => format!("{ret}hash256({})", h.to_lower_hex_string()),
        Ms::Ripemd160(h) => format!("{ret}ripemd160({})", h.to_lower_hex_string()),
        Ms::Hash160(h) => format!("{ret}hash160({})", h.to_lower_hex_string()),
        Ms::AndV(a, b) => format!("{ret}{}", two("and_v", a, b)),
        Ms::AndB(a, b) => format!("{ret}{}", two("and_b", a, b)),
        Ms::OrB(a, b) => format!("{ret}{}", two("or_b", a, b)),
        Ms::OrC(a, b) => format!("{ret}{}", two("or_c", a, b)),
        Ms::OrD(a, b) => format!("{ret}{}", two("or_d", a, b)),
        Ms::OrI(a, b) => format!("{ret}{}", two("or_i", a, b)),
        Ms::AndOr(a, b, zero) if matches!(**zero, Ms::Zero) => {
            format!("{ret}{}", two("and_n", a, b))
        }
        Ms::AndOr(a, b, c) => format!(
            "{ret}andor({},{},{})",
            ms_to_string(a, keys, false),
            ms_to_string(b, keys, false),
            ms_to_string(c, keys, false)
        ),
        Ms::Multi(k, ks) | Ms::MultiA(k, ks) => {
            let name = if matches!(node, Ms::Multi(..)) {
                "multi"
            } else {
                "multi_a"
            };
            let ks: Vec<String> = ks.iter().map(key).collect();
            format!("{ret}{name}({k},{})", ks.join(","))
        }
        Ms::Thresh(k, subs) => {
            let subs: Vec<String> = subs.iter().map(|s| ms_to_string(s, keys, false)).collect();
            format!("{ret}thresh({k},{})", subs.join(","))
        }
    }
}

/// A node typed by rust-miniscript (`None`: Core's type is empty, the node is invalid).
type Typed<C> = Option<Arc<Miniscript<KeyExpr, C>>>;

/// rust-miniscript's node for `node` with each key's multipath `choice`, type-checked;
/// `None` for a node without a type.
fn type_ms<C: ScriptContext>(node: &Ms, keys: &[Vec<KeyExpr>], choice: usize) -> Typed<C> {
    let key = |i: &usize| {
        let k = keys.get(*i)?;
        k.get(choice).or_else(|| k.first()).cloned()
    };
    let sub = |n: &Ms| type_ms::<C>(n, keys, choice);
    let term = match node {
        Ms::Zero => Terminal::False,
        Ms::One => Terminal::True,
        Ms::PkK(k) => Terminal::PkK(key(k)?),
        Ms::PkH(k) => Terminal::PkH(key(k)?),
        Ms::Older(n) => Terminal::Older(RelLockTime::from_consensus(*n).ok()?),
        Ms::After(n) => Terminal::After(AbsLockTime::from_consensus(*n).ok()?),
        Ms::Sha256(h) => Terminal::Sha256(sha256::Hash::from_byte_array(*h)),
        Ms::Hash256(h) => Terminal::Hash256(miniscript::hash256::Hash::from_byte_array(*h)),
        Ms::Ripemd160(h) => Terminal::Ripemd160(ripemd160::Hash::from_byte_array(*h)),
        Ms::Hash160(h) => Terminal::Hash160(hash160::Hash::from_byte_array(*h)),
        Ms::Multi(k, ks) => Terminal::Multi(
            Threshold::new(*k, ks.iter().map(key).collect::<Option<Vec<_>>>()?).ok()?,
        ),
        Ms::MultiA(k, ks) => Terminal::MultiA(
            Threshold::new(*k, ks.iter().map(key).collect::<Option<Vec<_>>>()?).ok()?,
        ),
        Ms::Wrap(c, x) => {
            let x = sub(x)?;
            match c {
                'a' => Terminal::Alt(x),
                's' => Terminal::Swap(x),
                'c' => Terminal::Check(x),
                'd' => Terminal::DupIf(x),
                'v' => Terminal::Verify(x),
                'j' => Terminal::NonZero(x),
                _ => Terminal::ZeroNotEqual(x),
            }
        }
        Ms::AndV(a, b) => Terminal::AndV(sub(a)?, sub(b)?),
        Ms::AndB(a, b) => Terminal::AndB(sub(a)?, sub(b)?),
        Ms::OrB(a, b) => Terminal::OrB(sub(a)?, sub(b)?),
        Ms::OrC(a, b) => Terminal::OrC(sub(a)?, sub(b)?),
        Ms::OrD(a, b) => Terminal::OrD(sub(a)?, sub(b)?),
        Ms::OrI(a, b) => Terminal::OrI(sub(a)?, sub(b)?),
        Ms::AndOr(a, b, c) => Terminal::AndOr(sub(a)?, sub(b)?, sub(c)?),
        Ms::Thresh(k, subs) => Terminal::Thresh(
            Threshold::new(*k, subs.iter().map(sub).collect::<Option<Vec<_>>>()?).ok()?,
        ),
    };
    Miniscript::from_ast(term).ok().map(Arc::new)
}

/// The children of a node, in order.
fn ms_children(node: &Ms) -> Vec<&Ms> {
    match node {
        Ms::Wrap(_, x) => vec![x],
        Ms::AndV(a, b)
        | Ms::AndB(a, b)
        | Ms::OrB(a, b)
        | Ms::OrC(a, b)
        | Ms::OrD(a, b)
        | Ms::OrI(a, b) => vec![a, b],
        Ms::AndOr(a, b, c) => vec![a, b, c],
        Ms::Thresh(_, subs) => subs.iter().collect(),
        _ => Vec::new(),
    }
}

/// Core's `Node::IsValid`: a type, and a P2WSH script within standard size.
fn ms_valid<C: ScriptContext>(ms: &Typed<C>, tap: bool) -> bool {
    ms.as_ref()
        .is_some_and(|m| tap || m.script_size() <= MAX_P2WSH_SCRIPT_SIZE)
}

/// Core's `ValidSatisfactions`: valid, within the P2WSH ops and stack limits, or the
/// tapscript execution stack limit.
fn ms_valid_satisfactions<C: ScriptContext>(ms: &Typed<C>, tap: bool) -> bool {
    /// Core's `MAX_OPS_PER_SCRIPT`.
    const MAX_OPS: usize = 201;
    /// Core's `MAX_STANDARD_P2WSH_STACK_ITEMS`.
    const MAX_P2WSH_STACK: usize = 100;
    /// Core's `MAX_STACK_SIZE`.
    const MAX_STACK: usize = 1000;
    let Some(m) = ms.as_ref().filter(|_| ms_valid(ms, tap)) else {
        return false;
    };
    if tap {
        return m
            .ext
            .exec_stack_elem_count_sat
            .is_none_or(|n| n <= MAX_STACK);
    }
    m.ext
        .ops
        .sat
        .is_none_or(|sat| m.ext.ops.count + sat <= MAX_OPS)
        && m.ext
            .stack_elem_count_sat
            .is_none_or(|n| n <= MAX_P2WSH_STACK)
}

/// Core's `IsSaneSubexpression`.
fn ms_sane_sub<C: ScriptContext>(ms: &Typed<C>, tap: bool) -> bool {
    ms_valid_satisfactions(ms, tap)
        && ms.as_ref().is_some_and(|m| {
            m.is_non_malleable() && !m.has_mixed_timelocks() && !m.has_repeated_keys()
        })
}

/// A typed node and Core's `FindInsaneSub` below it (children first, then the node).
fn ms_analyse<'a, C: ScriptContext>(
    node: &'a Ms,
    keys: &[Vec<KeyExpr>],
    tap: bool,
) -> (Typed<C>, Option<(&'a Ms, Typed<C>)>) {
    let mut insane = None;
    for child in ms_children(node) {
        let (_, found) = ms_analyse::<C>(child, keys, tap);
        if insane.is_none() {
            insane = found;
        }
    }
    let typed = type_ms::<C>(node, keys, 0);
    if insane.is_none() && !ms_sane_sub(&typed, tap) {
        insane = Some((node, typed.clone()));
    }
    (typed, insane)
}

/// Core's error for a miniscript that is not sane or not satisfiable (`ParseScript`'s
/// miniscript step), `None` for one that is fine.
fn ms_insanity<C: ScriptContext>(top: &Ms, keys: &[Vec<KeyExpr>], tap: bool) -> Option<String> {
    let (typed, insane) = ms_analyse::<C>(top, keys, tap);
    let sane = ms_valid(&typed, tap)
        && typed
            .as_ref()
            .is_some_and(|m| m.ty.corr.base == Base::B && m.requires_sig())
        && ms_sane_sub(&typed, tap);
    let satisfiable = typed
        .as_ref()
        .is_none_or(|m| m.ext.stack_elem_count_sat.is_some());
    if sane && satisfiable {
        return None;
    }
    let is_top = insane.is_none();
    let (node, node_typed) = insane.unwrap_or((top, typed));
    let mut error = ms_to_string(node, keys, false);
    if !ms_valid(&node_typed, tap) {
        error.push_str(" is invalid");
    } else if !sane {
        error.push_str(" is not sane");
        if let Some(m) = &node_typed {
            if !m.is_non_malleable() {
                error.push_str(": malleable witnesses exist");
            } else if is_top && !m.requires_sig() {
                error.push_str(": witnesses without signature exist");
            } else if m.has_mixed_timelocks() {
                error.push_str(": contains mixes of timelocks expressed in blocks and seconds");
            } else if m.has_repeated_keys() {
                error.push_str(": contains duplicate public keys");
            } else if !ms_valid_satisfactions(&node_typed, tap) {
                error.push_str(": needs witnesses that may exceed resource limits");
            }
        }
    } else {
        error.push_str(" is not satisfiable");
    }
    Some(error)
}

/// Core's miniscript text parser: a node and each key's multipath choices.
struct MsParser<'p> {
    /// The descriptor parser (its key parser, and the private keys found).
    parser: &'p mut Parser,
    /// Tapscript rather than P2WSH.
    tap: bool,
    /// The keys, in the order read.
    keys: Vec<Vec<KeyExpr>>,
    /// The first key Core's key parser refused.
    key_error: Option<String>,
}

impl MsParser<'_> {
    /// Core's `KeyParser::FromString`: a key's index, or `None` (its error recorded).
    fn key(&mut self, text: &str) -> Option<usize> {
        let place = if self.tap { Place::P2tr } else { Place::P2wsh };
        match self.parser.parse_pubkey(text, place) {
            Ok(keys) => {
                self.keys.push(keys);
                Some(self.keys.len() - 1)
            }
            Err(e) => {
                self.key_error = Some(e);
                None
            }
        }
    }

    /// Core's `ParseKey`: `name(KEY)` at the start of `sp`.
    fn fragment_key(&mut self, name: &str, sp: &mut &str) -> Option<usize> {
        let mut e = expr(sp);
        if !func(name, &mut e) {
            return None;
        }
        self.key(e)
    }

    /// Core's `ParseHexStr`: `name(HEX)` of `N` bytes at the start of `sp`.
    fn fragment_hash<const N: usize>(name: &str, sp: &mut &str) -> Option<[u8; N]> {
        let mut e = expr(sp);
        if !func(name, &mut e) || !is_hex(e) {
            return None;
        }
        <[u8; N]>::from_hex(e).ok()
    }

    /// `after(n)` or `older(n)` at the start of `sp`: `1 <= n < 2^31`.
    fn fragment_lock(name: &str, sp: &mut &str) -> Option<u32> {
        let mut e = expr(sp);
        if !func(name, &mut e) {
            return None;
        }
        let n = to_i64(e).filter(|n| (1..0x8000_0000).contains(n))?;
        u32::try_from(n).ok()
    }

    /// Core's `parse_multi_exp`, after `multi(` or `multi_a(`.
    fn multi(&mut self, sp: &mut &str, multi_a: bool) -> Option<Ms> {
        if self.tap != multi_a {
            return None;
        }
        let comma = find_next_char(sp, b',').filter(|&i| i >= 1)?;
        let k = to_i64(&sp[..comma])?;
        *sp = &sp[comma + 1..];
        let mut keys = Vec::new();
        loop {
            let comma = find_next_char(sp, b',');
            let key_length = match comma {
                Some(i) => i,
                None => find_next_char(sp, b')')?,
            };
            if key_length < 1 {
                return None;
            }
            keys.push(self.key(&sp[..key_length])?);
            *sp = &sp[key_length + 1..];
            if comma.is_none() {
                break;
            }
        }
        let max = if multi_a {
            MAX_PUBKEYS_PER_MULTI_A
        } else {
            MAX_PUBKEYS_PER_MULTISIG
        };
        if keys.is_empty() || keys.len() > max || k < 1 || k > keys.len() as i64 {
            return None;
        }
        let k = k as usize;
        Some(if multi_a {
            Ms::MultiA(k, keys)
        } else {
            Ms::Multi(k, keys)
        })
    }

    /// Core's `Parse` of the whole text: `None` when it is no miniscript (or a key was
    /// refused; see `key_error`).
    fn parse(&mut self, text: &str) -> Option<Ms> {
        let mut sp = text;
        let mut to_parse = vec![Step::WrappedExpr];
        // Each node with its height, which rust-miniscript bounds.
        let mut built: Vec<(Ms, usize)> = Vec::new();
        let grown = |h: usize| (h < MAX_MS_HEIGHT).then_some(h + 1);
        while let Some(step) = to_parse.pop() {
            match step {
                Step::WrappedExpr => {
                    let b = sp.as_bytes();
                    let mut colon = None;
                    for (i, &c) in b.iter().enumerate().skip(1) {
                        if c == b':' {
                            colon = Some(i);
                            break;
                        }
                        if !c.is_ascii_lowercase() {
                            break;
                        }
                    }
                    let mut last_was_v = false;
                    for &c in &b[..colon.unwrap_or(0)] {
                        match c {
                            b'a' | b's' | b'c' | b'd' | b'j' | b'n' | b'u' | b't' => {
                                to_parse.push(Step::Wrap(char::from(c)));
                            }
                            b'v' => {
                                if last_was_v {
                                    return None;
                                }
                                to_parse.push(Step::Wrap('v'));
                            }
                            b'l' => {
                                built.push((Ms::Zero, 1));
                                to_parse.push(Step::Combine("or_i"));
                            }
                            _ => return None,
                        }
                        last_was_v = c == b'v';
                    }
                    to_parse.push(Step::Expr);
                    if let Some(i) = colon {
                        sp = &sp[i + 1..];
                    }
                }
                Step::Expr => {
                    let node = if konst("0", &mut sp) {
                        Ms::Zero
                    } else if konst("1", &mut sp) {
                        Ms::One
                    } else if sp.starts_with("pk(") {
                        Ms::Wrap('c', Box::new(Ms::PkK(self.fragment_key("pk", &mut sp)?)))
                    } else if sp.starts_with("pkh(") {
                        Ms::Wrap('c', Box::new(Ms::PkH(self.fragment_key("pkh", &mut sp)?)))
                    } else if sp.starts_with("pk_k(") {
                        Ms::PkK(self.fragment_key("pk_k", &mut sp)?)
                    } else if sp.starts_with("pk_h(") {
                        Ms::PkH(self.fragment_key("pk_h", &mut sp)?)
                    } else if sp.starts_with("sha256(") {
                        Ms::Sha256(Self::fragment_hash("sha256", &mut sp)?)
                    } else if sp.starts_with("ripemd160(") {
                        Ms::Ripemd160(Self::fragment_hash("ripemd160", &mut sp)?)
                    } else if sp.starts_with("hash256(") {
                        Ms::Hash256(Self::fragment_hash("hash256", &mut sp)?)
                    } else if sp.starts_with("hash160(") {
                        Ms::Hash160(Self::fragment_hash("hash160", &mut sp)?)
                    } else if sp.starts_with("after(") {
                        Ms::After(Self::fragment_lock("after", &mut sp)?)
                    } else if sp.starts_with("older(") {
                        Ms::Older(Self::fragment_lock("older", &mut sp)?)
                    } else if konst("multi(", &mut sp) {
                        self.multi(&mut sp, false)?
                    } else if konst("multi_a(", &mut sp) {
                        self.multi(&mut sp, true)?
                    } else if konst("thresh(", &mut sp) {
                        let comma = find_next_char(sp, b',').filter(|&i| i >= 1)?;
                        let k = to_i64(&sp[..comma]).filter(|&k| k >= 1)?;
                        sp = &sp[comma + 1..];
                        to_parse.push(Step::Thresh(1, usize::try_from(k).ok()?));
                        to_parse.push(Step::WrappedExpr);
                        continue;
                    } else if konst("andor(", &mut sp) {
                        to_parse.extend([
                            Step::AndOr,
                            Step::CloseBracket,
                            Step::WrappedExpr,
                            Step::Comma,
                            Step::WrappedExpr,
                            Step::Comma,
                            Step::WrappedExpr,
                        ]);
                        continue;
                    } else {
                        let name = ["and_n", "and_b", "and_v", "or_b", "or_c", "or_d", "or_i"]
                            .into_iter()
                            .find(|name| sp.starts_with(&format!("{name}(")))?;
                        sp = &sp[name.len() + 1..];
                        to_parse.extend([
                            Step::Combine(name),
                            Step::CloseBracket,
                            Step::WrappedExpr,
                            Step::Comma,
                            Step::WrappedExpr,
                        ]);
                        continue;
                    };
                    let height = if matches!(node, Ms::Wrap(..)) { 2 } else { 1 };
                    built.push((node, height));
                }
                Step::Wrap(c) => {
                    let (x, h) = built.pop()?;
                    let x = Box::new(x);
                    let node = match c {
                        'u' => Ms::OrI(x, Box::new(Ms::Zero)),
                        't' => Ms::AndV(x, Box::new(Ms::One)),
                        c => Ms::Wrap(c, x),
                    };
                    built.push((node, grown(h)?));
                }
                Step::Combine(name) => {
                    let (y, hy) = built.pop()?;
                    let (x, hx) = built.pop()?;
                    let (x, y) = (Box::new(x), Box::new(y));
                    let node = match name {
                        "and_n" => Ms::AndOr(x, y, Box::new(Ms::Zero)),
                        "and_b" => Ms::AndB(x, y),
                        "and_v" => Ms::AndV(x, y),
                        "or_b" => Ms::OrB(x, y),
                        "or_c" => Ms::OrC(x, y),
                        "or_d" => Ms::OrD(x, y),
                        _ => Ms::OrI(x, y),
                    };
                    built.push((node, grown(hx.max(hy))?));
                }
                Step::AndOr => {
                    let (z, hz) = built.pop()?;
                    let (y, hy) = built.pop()?;
                    let (x, hx) = built.pop()?;
                    let node = Ms::AndOr(Box::new(x), Box::new(y), Box::new(z));
                    built.push((node, grown(hx.max(hy).max(hz))?));
                }
                Step::Thresh(n, k) => {
                    if konst(",", &mut sp) {
                        to_parse.push(Step::Thresh(n + 1, k));
                        to_parse.push(Step::WrappedExpr);
                    } else if sp.starts_with(')') {
                        if k > n || built.len() < n {
                            return None;
                        }
                        sp = &sp[1..];
                        let subs = built.split_off(built.len() - n);
                        let h = subs.iter().map(|(_, h)| *h).max().unwrap_or(0);
                        let subs = subs.into_iter().map(|(m, _)| m).collect();
                        built.push((Ms::Thresh(k, subs), grown(h)?));
                    } else {
                        return None;
                    }
                }
                Step::Comma => {
                    if !konst(",", &mut sp) {
                        return None;
                    }
                }
                Step::CloseBracket => {
                    if !konst(")", &mut sp) {
                        return None;
                    }
                }
            }
        }
        if !sp.is_empty() || built.len() != 1 {
            return None;
        }
        built.pop().map(|(m, _)| m)
    }
}

impl Parser {
    /// A parser for `chain`.
    fn new(chain: ChainKeys) -> Self {
        Parser {
            chain,
            secrets: Vec::new(),
        }
    }

    /// Whether the descriptor held a private key (`getdescriptorinfo`'s `hasprivatekeys`).
    fn has_private_keys(&self) -> bool {
        !self.secrets.is_empty()
    }

    /// Core's `Parse(descriptor, require_checksum)`: the descriptor's expansions (more than
    /// one for a multipath descriptor), or Core's error text.
    fn parse(&mut self, descriptor: &str, require_checksum: bool) -> Result<Vec<Desc>, String> {
        let mut sp = check_checksum(descriptor, require_checksum)?;
        let descs = self.parse_script(&mut sp, Place::Top)?;
        if !sp.is_empty() {
            // Core leaves the error empty when text follows a whole descriptor.
            return Err(String::new());
        }
        Ok(descs)
    }

    /// Core's `ParsePubkeyInner`: a key without origin; `apostrophe` is set by `'` steps.
    fn parse_pubkey_inner(
        &mut self,
        text: &str,
        place: Place,
        apostrophe: &mut bool,
    ) -> Result<Vec<KeyKind>, String> {
        let permit_uncompressed = place == Place::Top || place == Place::P2sh;
        let split: Vec<&str> = text.split('/').collect();
        let key = split[0];
        let (Some(&front), Some(&back)) = (key.as_bytes().first(), key.as_bytes().last()) else {
            return Err("No key provided".to_owned());
        };
        if is_space(front) || is_space(back) {
            return Err(format!("Key '{key}' is invalid due to whitespace"));
        }
        if split.len() == 1 {
            if is_hex(key) {
                let data = Vec::<u8>::from_hex(key).unwrap_or_default();
                let header_len = match data[0] {
                    2 | 3 => 33,
                    4 | 6 | 7 => 65,
                    _ => 0,
                };
                if header_len == data.len() && matches!(data[0], 6 | 7) {
                    return Err("Hybrid public keys are not allowed".to_owned());
                }
                if header_len == data.len()
                    && let Ok(pk) = PublicKey::from_slice(&data)
                {
                    if permit_uncompressed || pk.compressed {
                        return Ok(vec![KeyKind::Const {
                            key: pk,
                            xonly: false,
                        }]);
                    }
                    return Err("Uncompressed keys are not allowed".to_owned());
                }
                if data.len() == 32
                    && place == Place::P2tr
                    && let Ok(x) = XOnlyPublicKey::from_slice(&data)
                {
                    return Ok(vec![KeyKind::Const {
                        key: PublicKey::new(x.public_key(secp256k1::Parity::Even)),
                        xonly: true,
                    }]);
                }
                return Err(format!("Pubkey '{key}' is invalid"));
            }
            if let Some(secret) = decode_secret(key, self.chain) {
                if !permit_uncompressed && !secret.compressed {
                    return Err("Uncompressed keys are not allowed".to_owned());
                }
                let public = secret.public_key(secp());
                self.secrets.push((public.inner, secret.inner));
                return Ok(vec![KeyKind::Const {
                    key: public,
                    xonly: place == Place::P2tr,
                }]);
            }
        }
        let xpriv = ext_key_payload(key, self.chain, true).and_then(|d| Xpriv::decode(&d).ok());
        let xpub = match xpriv {
            Some(xpriv) => Xpub::from_priv(secp(), &xpriv),
            None => ext_key_payload(key, self.chain, false)
                .and_then(|d| Xpub::decode(&d).ok())
                .ok_or_else(|| format!("key '{key}' is not valid"))?,
        };
        // Core's `ParseDeriveType`, then the path.
        let mut steps = &split[1..];
        let mut derive = Derive::NonRanged;
        match split.last() {
            Some(&"*") if split.len() > 1 => {
                steps = &split[1..split.len() - 1];
                derive = Derive::Unhardened;
            }
            Some(&last @ ("*'" | "*h")) if split.len() > 1 => {
                *apostrophe = last == "*'";
                steps = &split[1..split.len() - 1];
                derive = Derive::Hardened;
            }
            _ => {}
        }
        let paths = parse_key_path(steps, apostrophe, true)?;
        if let Some(xpriv) = xpriv {
            self.secrets.push((xpub.public_key, xpriv.private_key));
        }
        Ok(paths
            .into_iter()
            .map(|path| KeyKind::Ext { xpub, path, derive })
            .collect())
    }

    /// Core's `ParsePubkey`: a key expression with its origin, one per multipath choice.
    fn parse_pubkey(&mut self, text: &str, place: Place) -> Result<Vec<KeyExpr>, String> {
        if text.starts_with("musig(") {
            return Err(if place == Place::P2tr {
                "musig() key expressions are not supported".to_owned()
            } else {
                "musig() is only allowed in tr() and rawtr()".to_owned()
            });
        }
        let origin_split: Vec<&str> = text.split(']').collect();
        if origin_split.len() > 2 {
            return Err("Multiple ']' characters found for a single pubkey".to_owned());
        }
        let mut apostrophe = false;
        let (origin, inner) = if let [inner] = origin_split[..] {
            (None, inner)
        } else {
            let origin = origin_split[0];
            let Some(origin_body) = origin.strip_prefix('[') else {
                return Err(format!(
                    "Key origin start '[ character expected but not found, got '{}' instead",
                    origin.chars().next().unwrap_or(']')
                ));
            };
            let slash_split: Vec<&str> = origin_body.split('/').collect();
            let fingerprint = slash_split[0];
            if fingerprint.len() != 8 {
                return Err(format!(
                    "Fingerprint is not 4 bytes ({} characters instead of 8 characters)",
                    fingerprint.len()
                ));
            }
            let Ok(fp) = <[u8; 4]>::from_hex(fingerprint) else {
                return Err(format!("Fingerprint '{fingerprint}' is not hex"));
            };
            let path = parse_key_path(&slash_split[1..], &mut apostrophe, false)?
                .into_iter()
                .next()
                .unwrap_or_default();
            (Some((fp, path)), origin_split[1])
        };
        let kinds = self.parse_pubkey_inner(inner, place, &mut apostrophe)?;
        Ok(kinds
            .into_iter()
            .map(|kind| {
                let mut key = KeyExpr {
                    origin: origin.clone(),
                    kind,
                    apostrophe,
                    first: None,
                };
                key.first = key.at(0, &[]);
                key
            })
            .collect())
    }

    /// `ParsePubkey` with Core's `<func>(): ` prefix on its errors.
    fn keys_of(&mut self, text: &str, place: Place, name: &str) -> Result<Vec<KeyExpr>, String> {
        self.parse_pubkey(text, place)
            .map_err(|e| format!("{name}: {e}"))
    }

    /// Core's miniscript step of `ParseScript`: `None` when `text` is no miniscript, else
    /// the descriptors of a sane one or Core's error.
    fn parse_miniscript(&mut self, text: &str, place: Place) -> Result<Option<Vec<Desc>>, String> {
        let tap = place != Place::P2wsh;
        let mut ms = MsParser {
            parser: self,
            tap,
            keys: Vec::new(),
            key_error: None,
        };
        let node = ms.parse(text);
        if let Some(e) = ms.key_error {
            return Err(e);
        }
        let keys = ms.keys;
        let Some(node) = node else {
            return Ok(None);
        };
        if place != Place::P2wsh && place != Place::P2tr {
            return Err("Miniscript expressions can only be used in wsh or tr.".to_owned());
        }
        // Core's parser refuses a P2WSH script larger than the standard size on the way.
        if !tap
            && type_ms::<Segwitv0>(&node, &keys, 0)
                .is_some_and(|m| m.script_size() > MAX_P2WSH_SCRIPT_SIZE)
        {
            return Ok(None);
        }
        let insane = if tap {
            ms_insanity::<Tap>(&node, &keys, tap)
        } else {
            ms_insanity::<Segwitv0>(&node, &keys, tap)
        };
        if let Some(e) = insane {
            return Err(e);
        }
        let count = keys.iter().map(Vec::len).max().unwrap_or(1);
        if keys.iter().any(|k| k.len() != 1 && k.len() != count) {
            return Err(
                "Miniscript: Multipath derivation paths have mismatched lengths".to_owned(),
            );
        }
        let mut descs = Vec::with_capacity(count);
        for choice in 0..count {
            let desc = if tap {
                type_ms::<Tap>(&node, &keys, choice).map(|m| Desc::MsTap((*m).clone()))
            } else {
                type_ms::<Segwitv0>(&node, &keys, choice).map(|m| Desc::MsWsh((*m).clone()))
            };
            match desc {
                Some(d) => descs.push(d),
                None => return Ok(None),
            }
        }
        Ok(Some(descs))
    }

    /// Core's `ParseScript`: the script expression at the start of `sp` (which it takes
    /// from `sp`) in `place`, one per multipath choice.
    fn parse_script(&mut self, sp: &mut &str, place: Place) -> Result<Vec<Desc>, String> {
        use Place::{P2sh, P2tr, P2wsh, Top};
        let mut e = expr(sp);
        if func("pk", &mut e) {
            let keys = self.keys_of(e, place, "pk()")?;
            return Ok(keys
                .into_iter()
                .map(|key| Desc::Pk {
                    key,
                    xonly: place == P2tr,
                })
                .collect());
        }
        if matches!(place, Top | P2sh | P2wsh) && func("pkh", &mut e) {
            let keys = self.keys_of(e, place, "pkh()")?;
            return Ok(keys.into_iter().map(Desc::Pkh).collect());
        }
        if place == Top && func("combo", &mut e) {
            let keys = self.keys_of(e, place, "combo()")?;
            return Ok(keys.into_iter().map(Desc::Combo).collect());
        } else if func("combo", &mut e) {
            return Err("Can only have combo() at top level".to_owned());
        }
        let multi = func("multi", &mut e);
        let sortedmulti = !multi && func("sortedmulti", &mut e);
        let multi_a = !(multi || sortedmulti) && func("multi_a", &mut e);
        let sortedmulti_a = !(multi || sortedmulti || multi_a) && func("sortedmulti_a", &mut e);
        if (matches!(place, Top | P2sh | P2wsh) && (multi || sortedmulti))
            || (place == P2tr && (multi_a || sortedmulti_a))
        {
            return self.parse_multi(e, place, multi || sortedmulti, sortedmulti || sortedmulti_a);
        } else if multi || sortedmulti {
            return Err(
                "Can only have multi/sortedmulti at top level, in sh(), or in wsh()".to_owned(),
            );
        } else if multi_a || sortedmulti_a {
            return Err("Can only have multi_a/sortedmulti_a inside tr()".to_owned());
        }
        if matches!(place, Top | P2sh) && func("wpkh", &mut e) {
            let keys = self.keys_of(e, Place::P2wpkh, "wpkh()")?;
            return Ok(keys.into_iter().map(Desc::Wpkh).collect());
        } else if func("wpkh", &mut e) {
            return Err("Can only have wpkh() at top level or inside sh()".to_owned());
        }
        if place == Top && func("sh", &mut e) {
            let descs = self.parse_script(&mut e, P2sh)?;
            if !e.is_empty() {
                return Err(String::new());
            }
            return Ok(descs.into_iter().map(|d| Desc::Sh(Box::new(d))).collect());
        } else if func("sh", &mut e) {
            return Err("Can only have sh() at top level".to_owned());
        }
        if matches!(place, Top | P2sh) && func("wsh", &mut e) {
            let descs = self.parse_script(&mut e, P2wsh)?;
            if !e.is_empty() {
                return Err(String::new());
            }
            return Ok(descs.into_iter().map(|d| Desc::Wsh(Box::new(d))).collect());
        } else if func("wsh", &mut e) {
            return Err("Can only have wsh() at top level or inside sh()".to_owned());
        }
        if place == Top && func("addr", &mut e) {
            let address = decode_destination(e, self.chain).map_err(|_| "Address is not valid")?;
            return Ok(vec![Desc::Addr(address)]);
        } else if func("addr", &mut e) {
            return Err("Can only have addr() at top level".to_owned());
        }
        if place == Top && func("tr", &mut e) {
            return self.parse_tr(e);
        } else if func("tr", &mut e) {
            return Err("Can only have tr at top level".to_owned());
        }
        if place == Top && func("rawtr", &mut e) {
            let arg = expr(&mut e);
            if !e.is_empty() {
                return Err("rawtr(): only one key expected.".to_owned());
            }
            let keys = self.keys_of(arg, P2tr, "rawtr()")?;
            return Ok(keys.into_iter().map(Desc::RawTr).collect());
        } else if func("rawtr", &mut e) {
            return Err("Can only have rawtr at top level".to_owned());
        }
        if place == Top && func("raw", &mut e) {
            if !is_hex(e) {
                return Err("Raw script is not hex".to_owned());
            }
            let bytes = Vec::<u8>::from_hex(e).unwrap_or_default();
            return Ok(vec![Desc::Raw(ScriptBuf::from_bytes(bytes))]);
        } else if func("raw", &mut e) {
            return Err("Can only have raw() at top level".to_owned());
        }
        // Miniscript: P2WSH's rules inside wsh(), tapscript's everywhere else.
        if let Some(descs) = self.parse_miniscript(e, place)? {
            return Ok(descs);
        }
        Err(match place {
            P2sh => "A function is needed within P2SH".to_owned(),
            P2wsh => "A function is needed within P2WSH".to_owned(),
            _ => format!("'{e}' is not a valid descriptor function"),
        })
    }

    /// The inside of `multi(...)`, `sortedmulti(...)`, `multi_a(...)` or
    /// `sortedmulti_a(...)`.
    fn parse_multi(
        &mut self,
        mut e: &str,
        place: Place,
        legacy: bool,
        sorted: bool,
    ) -> Result<Vec<Desc>, String> {
        let threshold = expr(&mut e);
        let Some(k) = to_u32(threshold) else {
            return Err(format!("Multi threshold '{threshold}' is not valid"));
        };
        let mut script_size = 0;
        let mut providers: Vec<Vec<KeyExpr>> = Vec::new();
        while !e.is_empty() {
            if !konst(",", &mut e) {
                return Err(format!("Multi: expected ',', got '{}'", first_char(e)));
            }
            let arg = expr(&mut e);
            let keys = self.keys_of(arg, place, "Multi")?;
            script_size += keys[0].size() + 1;
            providers.push(keys);
        }
        let n = providers.len();
        if legacy && (n == 0 || n > MAX_PUBKEYS_PER_MULTISIG) {
            return Err(format!(
                "Cannot have {n} keys in multisig; must have between 1 and {MAX_PUBKEYS_PER_MULTISIG} keys, inclusive"
            ));
        } else if !legacy && (n == 0 || n > MAX_PUBKEYS_PER_MULTI_A) {
            return Err(format!(
                "Cannot have {n} keys in multi_a; must have between 1 and {MAX_PUBKEYS_PER_MULTI_A} keys, inclusive"
            ));
        } else if k < 1 {
            return Err(format!(
                "Multisig threshold cannot be {k}, must be at least 1"
            ));
        } else if k as usize > n {
            return Err(format!(
                "Multisig threshold cannot be larger than the number of keys; threshold is {k} but only {n} keys specified"
            ));
        }
        if place == Place::Top && n > 3 {
            return Err(format!(
                "Cannot have {n} pubkeys in bare multisig; only at most 3 pubkeys"
            ));
        }
        if place == Place::P2sh && script_size + 3 > MAX_SCRIPT_ELEMENT_SIZE {
            return Err(format!(
                "P2SH script is too large, {} bytes is larger than {MAX_SCRIPT_ELEMENT_SIZE} bytes",
                script_size + 3
            ));
        }
        let count = providers.iter().map(Vec::len).max().unwrap_or(1);
        if providers.iter().any(|p| p.len() != 1 && p.len() != count) {
            return Err("multi(): Multipath derivation paths have mismatched lengths".to_owned());
        }
        Ok((0..count)
            .map(|i| {
                let keys = providers
                    .iter()
                    .map(|p| p.get(i).unwrap_or(&p[0]).clone())
                    .collect();
                if legacy {
                    Desc::Multi { k, keys, sorted }
                } else {
                    Desc::MultiA { k, keys, sorted }
                }
            })
            .collect())
    }

    /// The inside of `tr(...)`.
    fn parse_tr(&mut self, mut e: &str) -> Result<Vec<Desc>, String> {
        /// Core's `TAPROOT_CONTROL_MAX_NODE_COUNT`.
        const MAX_DEPTH: usize = 128;
        let arg = expr(&mut e);
        let internal = self.keys_of(arg, Place::P2tr, "tr()")?;
        let mut count = internal.len();
        let mut subscripts: Vec<Vec<Desc>> = Vec::new();
        let mut depths: Vec<usize> = Vec::new();
        if !e.is_empty() {
            if !konst(",", &mut e) {
                return Err(format!("tr: expected ',', got '{}'", first_char(e)));
            }
            // The path from the root: false for a left branch, true for a right one.
            let mut branches: Vec<bool> = Vec::new();
            loop {
                while konst("{", &mut e) {
                    branches.push(false);
                    if branches.len() > MAX_DEPTH {
                        return Err(format!("tr() supports at most {MAX_DEPTH} nesting levels"));
                    }
                }
                let mut sarg = expr(&mut e);
                let subs = self.parse_script(&mut sarg, Place::P2tr)?;
                count = count.max(subs.len());
                subscripts.push(subs);
                depths.push(branches.len());
                while branches.last() == Some(&true) {
                    if !konst("}", &mut e) {
                        return Err("tr(): expected '}' after script expression".to_owned());
                    }
                    branches.pop();
                }
                if let Some(last) = branches.last_mut() {
                    if !konst(",", &mut e) {
                        return Err("tr(): expected ',' after script expression".to_owned());
                    }
                    *last = true;
                }
                if branches.is_empty() {
                    break;
                }
            }
            if !e.is_empty() {
                return Err("tr(): expected ')' after script expression".to_owned());
            }
        }
        if subscripts.iter().any(|s| s.len() != 1 && s.len() != count) {
            return Err("tr(): Multipath subscripts have mismatched lengths".to_owned());
        }
        if internal.len() > 1 && internal.len() != count {
            return Err(
                "tr(): Multipath internal key mismatches multipath subscripts lengths".to_owned(),
            );
        }
        Ok((0..count)
            .map(|i| Desc::Tr {
                key: internal.get(i).unwrap_or(&internal[0]).clone(),
                leaves: depths
                    .iter()
                    .zip(&subscripts)
                    .map(|(&d, s)| (d, s.get(i).unwrap_or(&s[0]).clone()))
                    .collect(),
            })
            .collect())
    }
}

/// Core's `CheckChecksum`: the descriptor without its `#checksum`, which must be right if
/// given (and given, if `require`).
fn check_checksum(descriptor: &str, require: bool) -> Result<&str, String> {
    let parts: Vec<&str> = descriptor.split('#').collect();
    if parts.len() > 2 {
        return Err("Multiple '#' symbols".to_owned());
    }
    if parts.len() == 1 && require {
        return Err("Missing checksum".to_owned());
    }
    if let Some(given) = parts.get(1)
        && given.len() != 8
    {
        return Err(format!(
            "Expected 8 character checksum, not {} characters",
            given.len()
        ));
    }
    let Some(checksum) = txjson::descriptor_checksum(parts[0]) else {
        return Err("Invalid characters in payload".to_owned());
    };
    if let Some(given) = parts.get(1)
        && *given != checksum
    {
        return Err(format!(
            "Provided checksum '{given}' does not match computed checksum '{checksum}'"
        ));
    }
    Ok(parts[0])
}

// ---------------------------------------------------------------------------------------
// getdescriptorinfo, deriveaddresses
// ---------------------------------------------------------------------------------------

/// A parse error as the commands throw it.
fn descriptor_error(e: String) -> RpcError {
    RpcError::new(code::INVALID_ADDRESS_OR_KEY, e)
}

/// `getdescriptorinfo "descriptor"`.
fn getdescriptorinfo(ctx: &NodeContext, req: &Request) -> RpcResult {
    let text = str_param(req, 0);
    let mut parser = Parser::new(ChainKeys::of(ctx));
    let descs = parser.parse(text, false).map_err(descriptor_error)?;
    let first = &descs[0];
    let mut ret = Map::new();
    ret.insert(
        "descriptor".into(),
        json!(with_checksum(&first.to_string())),
    );
    if descs.len() > 1 {
        let all: Vec<String> = descs
            .iter()
            .map(|d| with_checksum(&d.to_string()))
            .collect();
        ret.insert("multipath_expansion".into(), json!(all));
    }
    ret.insert(
        "checksum".into(),
        json!(txjson::descriptor_checksum(text).unwrap_or_default()),
    );
    ret.insert("isrange".into(), json!(first.is_range()));
    ret.insert("issolvable".into(), json!(first.is_solvable()));
    ret.insert("hasprivatekeys".into(), json!(parser.has_private_keys()));
    Ok(Value::Object(ret))
}

/// Core's `ParseDescriptorRange`: `end` or `[begin,end]`, checked.
fn parse_descriptor_range(v: &Value) -> Result<(i64, i64), RpcError> {
    let invalid = |why: &str| RpcError::new(code::INVALID_PARAMETER, why);
    let (low, high) = match v {
        Value::Number(_) => (0, get_int64(v)?),
        Value::Array(a) if a.len() == 2 && a[0].is_number() && a[1].is_number() => {
            let (low, high) = (get_int64(&a[0])?, get_int64(&a[1])?);
            if low > high {
                return Err(invalid(
                    "Range specified as [begin,end] must not have begin after end",
                ));
            }
            (low, high)
        }
        _ => return Err(invalid("Range must be specified as end or as [begin,end]")),
    };
    if low < 0 {
        return Err(invalid("Range should be greater or equal than 0"));
    }
    if (high >> 31) != 0 {
        return Err(invalid("End of range is too high"));
    }
    if high >= low + 1_000_000 {
        return Err(invalid("Range is too large"));
    }
    Ok((low, high))
}

/// Core's `DeriveAddresses`: the addresses of `desc` from `begin` to `end`.
fn derive_addresses(desc: &Desc, begin: i64, end: i64, parser: &Parser) -> Result<Value, RpcError> {
    let mut addresses = Vec::new();
    for i in begin..=end {
        let scripts = u32::try_from(i)
            .ok()
            .and_then(|pos| desc.expand(pos, &parser.secrets))
            .ok_or_else(|| {
                descriptor_error("Cannot derive script without private keys".to_owned())
            })?;
        for script in &scripts {
            match Address::from_script(script, parser.chain.network) {
                Ok(address) => addresses.push(json!(address.to_string())),
                // combo()'s P2PK output has no address; the others do.
                Err(_)
                    if scripts.len() > 1
                        && matches!(txjson::solve(script.as_bytes()), Solved::PubKey(_)) => {}
                Err(_) => {
                    return Err(descriptor_error(
                        "Descriptor does not have a corresponding address".to_owned(),
                    ));
                }
            }
        }
    }
    if addresses.is_empty() {
        return Err(RpcError::new(code::MISC_ERROR, "Unexpected empty result"));
    }
    Ok(Value::Array(addresses))
}

/// `deriveaddresses "descriptor" ( range )`.
fn deriveaddresses(ctx: &NodeContext, req: &Request) -> RpcResult {
    let text = str_param(req, 0);
    let given = req.params.as_array().map_or(0, Vec::len);
    let (mut begin, mut end) = (0, 0);
    if given >= 2 && !req.param(1).is_null() {
        (begin, end) = parse_descriptor_range(req.param(1))?;
    }
    let mut parser = Parser::new(ChainKeys::of(ctx));
    let descs = parser.parse(text, true).map_err(descriptor_error)?;
    let first = &descs[0];
    if !first.is_range() && given > 1 {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Range should not be specified for an un-ranged descriptor",
        ));
    }
    if first.is_range() && given == 1 {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Range must be specified for a ranged descriptor",
        ));
    }
    if descs.len() == 1 {
        return derive_addresses(first, begin, end, &parser);
    }
    descs
        .iter()
        .map(|d| derive_addresses(d, begin, end, &parser))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

// ---------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------

/// Core's `MESSAGE_MAGIC` (Umkoin's, not Bitcoin's).
const MESSAGE_MAGIC: &str = "Umkoin Signed Message:\n";

/// Core's `MessageHash`: the double SHA-256 of the magic and the message, each with its
/// compact-size length.
fn message_hash(message: &str) -> secp256k1::Message {
    let mut data = Vec::with_capacity(MESSAGE_MAGIC.len() + message.len() + 10);
    for part in [MESSAGE_MAGIC, message] {
        data.extend(bitcoin::consensus::serialize(&bitcoin::VarInt(
            part.len() as u64
        )));
        data.extend_from_slice(part.as_bytes());
    }
    secp256k1::Message::from_digest(sha256d::Hash::hash(&data).to_byte_array())
}

/// `signmessagewithprivkey "privkey" "message"`.
fn signmessagewithprivkey(ctx: &NodeContext, req: &Request) -> RpcResult {
    let Some(key) = decode_secret(str_param(req, 0), ChainKeys::of(ctx)) else {
        return Err(RpcError::new(
            code::INVALID_ADDRESS_OR_KEY,
            "Invalid private key",
        ));
    };
    let signature = secp().sign_ecdsa_recoverable(&message_hash(str_param(req, 1)), &key.inner);
    let bytes = MessageSignature::new(signature, key.compressed).serialize();
    Ok(json!(BASE64.encode(bytes)))
}

/// Core's `CPubKey::RecoverCompact` then `PKHash`: the hash of the key that made `sig`
/// over `msg`, if one can be recovered.
fn recover_signer(msg: &secp256k1::Message, sig: &[u8]) -> Option<PubkeyHash> {
    let (&header, compact) = sig.split_first()?;
    if sig.len() != 65 {
        return None;
    }
    let flags = header.wrapping_sub(27);
    let recid = RecoveryId::from_i32(i32::from(flags & 3)).ok()?;
    let sig = RecoverableSignature::from_compact(compact, recid).ok()?;
    let inner = secp().recover_ecdsa(msg, &sig).ok()?;
    Some(
        PublicKey {
            compressed: flags & 4 != 0,
            inner,
        }
        .pubkey_hash(),
    )
}

/// `verifymessage "address" "signature" "message"`.
fn verifymessage(ctx: &NodeContext, req: &Request) -> RpcResult {
    let Ok(address) = decode_destination(str_param(req, 0), ChainKeys::of(ctx)) else {
        return Err(RpcError::new(
            code::INVALID_ADDRESS_OR_KEY,
            "Invalid address",
        ));
    };
    let Some(hash) = address.pubkey_hash() else {
        return Err(RpcError::new(
            code::TYPE_ERROR,
            "Address does not refer to key",
        ));
    };
    // Core's `DecodeBase64`: canonical padding and zero trailing bits, as the crate's.
    let Ok(sig) = BASE64.decode(str_param(req, 1)) else {
        return Err(RpcError::new(code::TYPE_ERROR, "Malformed base64 encoding"));
    };
    let signer = recover_signer(&message_hash(str_param(req, 2)), &sig);
    Ok(json!(signer == Some(hash)))
}

#[cfg(test)]
mod tests {
    //! Expected values are Umkoin Core v31.0's answers on regtest.

    use super::*;

    const REGTEST: ChainKeys = ChainKeys {
        network: Network::Regtest,
    };

    fn invalid(s: &str) -> (String, Vec<usize>) {
        decode_destination(s, REGTEST).unwrap_err()
    }

    #[test]
    fn addresses_decode_as_cores() {
        let a =
            decode_destination("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", REGTEST).unwrap();
        assert_eq!(
            a.script_pubkey().as_bytes().to_lower_hex_string(),
            "0014751e76e8199196d454941c45d1b3a323f1433bd6"
        );
        let upper =
            decode_destination("BCRT1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KYGT080", REGTEST).unwrap();
        assert_eq!(upper, a);
        assert_eq!(
            invalid("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt081"),
            ("Invalid separator position".to_owned(), vec![43])
        );
        assert_eq!(
            invalid("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2").0,
            "Invalid or unsupported Base58-encoded address."
        );
        assert_eq!(
            invalid("").0,
            "Invalid checksum or length of Base58 address (P2PKH or P2SH)"
        );
        assert_eq!(
            invalid("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").0,
            "Invalid or unsupported Segwit (Bech32) or Base58 encoding."
        );
    }

    #[test]
    fn five_bit_groups_need_zero_padding() {
        assert_eq!(five_to_eight(&[0]), None);
        assert_eq!(five_to_eight(&[0, 0]), Some(vec![0]));
        assert_eq!(five_to_eight(&[31, 28]), Some(vec![0xff]));
        assert_eq!(five_to_eight(&[31, 29]), None);
    }

    #[test]
    fn the_gf1024_tables_are_cores() {
        let gf = gf1024();
        for (i, &v) in gf.exp.iter().enumerate() {
            assert_eq!(gf.log[v as usize] as usize, i);
        }
        // e^999 || e^998 || e^997, as Core's `GenerateSyndromeConstants` makes it.
        assert_eq!(gf.syndrome[0], 0x3d0195bd);
    }

    #[test]
    fn bech32_errors_are_located_as_cores() {
        assert_eq!(
            locate_errors("bcrt1qw508d6qejxtdg4z5r3zarvary0c5xw7kygt080"),
            ("Invalid Bech32 checksum", vec![20])
        );
        assert_eq!(
            locate_errors("bcrt1qw508d6zejxtdg4y5r3zarvarq0c5xw7kygt080"),
            ("Invalid Bech32 checksum", vec![12, 30])
        );
        assert_eq!(
            locate_errors("bcrt1pmfr3p9j00pfxjh0zmgpq9y8zftmd3s5pmedqhyptwy6lm87hf5ssm803es"),
            ("Invalid Bech32m checksum", vec![25])
        );
        assert_eq!(
            locate_errors(&format!("bcrt1{}", "q".repeat(87))),
            ("Bech32 string too long", vec![90, 91])
        );
    }

    /// `getdescriptorinfo`'s descriptor, or the parser's error.
    fn normalized(desc: &str) -> Result<String, String> {
        let mut parser = Parser::new(REGTEST);
        parser
            .parse(desc, false)
            .map(|d| with_checksum(&d[0].to_string()))
    }

    #[test]
    fn descriptors_read_as_cores() {
        let g = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
        assert_eq!(
            normalized(&format!(
                "tr({g},{{pk({g}),and_v(vc:pk_k({}),older(144))}})",
                &g[2..]
            )),
            Ok(format!(
                "tr({g},{{pk({g}),and_v(v:pk({}),older(144))}})#pdg76s25",
                &g[2..]
            ))
        );
        assert_eq!(
            normalized("wpkh(tprv8ZgxMBicQKsPeDgjzdC36fs6bMjGApWDNLR9erAXMs5skhMv36j9MV5ecvfavji5khqjWaWSFhN3YcCUUdiKH6isR4Pwy3U5y5egddBr16m/1'/*h)"),
            Ok("wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/1'/*')#jhx7x4v7".to_owned())
        );
        assert_eq!(
            normalized(&format!("wsh(and_v(pk({g}),older(1)))")),
            Err(format!("and_v(pk({g}),older(1)) is invalid"))
        );
        assert_eq!(normalized(&format!("sh(wpkh({g})),")), Err(String::new()));
        assert_eq!(
            normalized("combo(xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8)"),
            Err("combo(): key 'xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8' is not valid".to_owned())
        );
    }

    #[test]
    fn checksums_and_key_paths() {
        assert_eq!(
            check_checksum("raw(00)#x", false).unwrap_err(),
            "Expected 8 character checksum, not 1 characters"
        );
        assert_eq!(
            check_checksum("raw(00)", true).unwrap_err(),
            "Missing checksum"
        );
        let mut apostrophe = false;
        assert_eq!(
            parse_key_path(&["1h", "2'"], &mut apostrophe, false).unwrap(),
            vec![vec![0x8000_0001, 0x8000_0002]]
        );
        assert!(apostrophe);
        assert_eq!(
            parse_key_path(&["+1"], &mut apostrophe, false).unwrap_err(),
            "Key path value '+1' is not a valid uint32"
        );
        assert_eq!(
            parse_key_path(&["<1;1>"], &mut apostrophe, true).unwrap_err(),
            "Duplicated key path value 1 in multipath specifier"
        );
    }

    #[test]
    fn message_signatures_are_cores() {
        // Secret key 1: Core's signature of "hello" (RFC 6979, Umkoin's magic).
        let key = decode_secret(
            "cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMN87JcbXMTcA",
            REGTEST,
        )
        .unwrap();
        let msg = message_hash("hello");
        let sig = secp().sign_ecdsa_recoverable(&msg, &key.inner);
        let bytes = MessageSignature::new(sig, key.compressed).serialize();
        assert_eq!(
            BASE64.encode(bytes),
            "INBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38="
        );
        assert_eq!(
            recover_signer(&msg, &bytes),
            Some(key.public_key(secp()).pubkey_hash())
        );
        // A main-chain key is not this chain's.
        assert!(
            decode_secret(
                "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn",
                REGTEST
            )
            .is_none()
        );
    }
}
