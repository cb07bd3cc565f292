//! Umkoin Core's BIP 32 child key derivation, whose HMAC-SHA512 runs on Umkoin's own
//! SHA-512.
//!
//! Umkoin Core's SHA-512 (`src/crypto/sha512.cpp`) differs from FIPS 180-4 in one round
//! constant: the 79th (`K[78]`) is `0x67cb6fab3ad6faec` where the standard has
//! `0x5fcb6fab3ad6faec`. Nothing in consensus uses SHA-512, but BIP 32 does
//! (`BIP32Hash`: HMAC-SHA512 over the chain code), so every child key Umkoin Core
//! derives from an extended key differs from the BIP 32 test vectors' (`deriveaddresses`
//! of `tpub…/1` gives another address than Bitcoin Core's). rust-bitcoin's derivation
//! uses the standard hash, so this module derives as Umkoin Core does, on rust-bitcoin's
//! extended key types and secp256k1.

use bitcoin::bip32::{ChainCode, ChildNumber, Xpriv, Xpub};
use bitcoin::secp256k1::{self, Scalar, Secp256k1, Signing, Verification};

/// Why a derivation failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DeriveError {
    /// A hardened step from a public key.
    #[error("cannot derive hardened child {0} from a public key")]
    HardenedFromPublic(ChildNumber),
    /// The key is at depth 255 already.
    #[error("cannot derive below depth 255")]
    MaximumDepth,
    /// The step's tweak is not a valid scalar or gives the point at infinity (BIP 32's
    /// "proceed with the next index" case, which Core reports as a failure).
    #[error("child {0} is not a valid key")]
    InvalidChild(ChildNumber),
}

/// SHA-512's round constants as Umkoin Core has them.
const K: [u64; 80] = {
    let mut k = STANDARD_K;
    k[78] = 0x67cb_6fab_3ad6_faec;
    k
};

/// FIPS 180-4's SHA-512 round constants.
const STANDARD_K: [u64; 80] = [
    0x428a2f98d728ae22,
    0x7137449123ef65cd,
    0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc,
    0x3956c25bf348b538,
    0x59f111f1b605d019,
    0x923f82a4af194f9b,
    0xab1c5ed5da6d8118,
    0xd807aa98a3030242,
    0x12835b0145706fbe,
    0x243185be4ee4b28c,
    0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f,
    0x80deb1fe3b1696b1,
    0x9bdc06a725c71235,
    0xc19bf174cf692694,
    0xe49b69c19ef14ad2,
    0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5,
    0x240ca1cc77ac9c65,
    0x2de92c6f592b0275,
    0x4a7484aa6ea6e483,
    0x5cb0a9dcbd41fbd4,
    0x76f988da831153b5,
    0x983e5152ee66dfab,
    0xa831c66d2db43210,
    0xb00327c898fb213f,
    0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2,
    0xd5a79147930aa725,
    0x06ca6351e003826f,
    0x142929670a0e6e70,
    0x27b70a8546d22ffc,
    0x2e1b21385c26c926,
    0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df,
    0x650a73548baf63de,
    0x766a0abb3c77b2a8,
    0x81c2c92e47edaee6,
    0x92722c851482353b,
    0xa2bfe8a14cf10364,
    0xa81a664bbc423001,
    0xc24b8b70d0f89791,
    0xc76c51a30654be30,
    0xd192e819d6ef5218,
    0xd69906245565a910,
    0xf40e35855771202a,
    0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8,
    0x1e376c085141ab53,
    0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63,
    0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc,
    0x78a5636f43172f60,
    0x84c87814a1f0ab72,
    0x8cc702081a6439ec,
    0x90befffa23631e28,
    0xa4506cebde82bde9,
    0xbef9a3f7b2c67915,
    0xc67178f2e372532b,
    0xca273eceea26619c,
    0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e,
    0xf57d4f7fee6ed178,
    0x06f067aa72176fba,
    0x0a637dc5a2c898a6,
    0x113f9804bef90dae,
    0x1b710b35131c471b,
    0x28db77f523047d84,
    0x32caab7b40c72493,
    0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6,
    0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec,
    0x6c44198c4a475817,
];

/// SHA-512 of `data` with round constants `k`.
fn sha512_with(k: &[u64; 80], data: &[u8]) -> [u8; 64] {
    let mut h: [u64; 8] = [
        0x6a09e667f3bcc908,
        0xbb67ae8584caa73b,
        0x3c6ef372fe94f82b,
        0xa54ff53a5f1d36f1,
        0x510e527fade682d1,
        0x9b05688c2b3e6c1f,
        0x1f83d9abfb41bd6b,
        0x5be0cd19137e2179,
    ];
    let mut padded = data.to_vec();
    padded.push(0x80);
    while padded.len() % 128 != 112 {
        padded.push(0);
    }
    padded.extend_from_slice(&((data.len() as u128) * 8).to_be_bytes());
    for block in padded.chunks_exact(128) {
        let mut w = [0u64; 80];
        for (t, word) in block.chunks_exact(8).enumerate() {
            w[t] = u64::from_be_bytes(word.try_into().expect("8-byte chunks"));
        }
        for t in 16..80 {
            let s0 = w[t - 15].rotate_right(1) ^ w[t - 15].rotate_right(8) ^ (w[t - 15] >> 7);
            let s1 = w[t - 2].rotate_right(19) ^ w[t - 2].rotate_right(61) ^ (w[t - 2] >> 6);
            w[t] = w[t - 16]
                .wrapping_add(s0)
                .wrapping_add(w[t - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for t in 0..80 {
            let s1 = e.rotate_right(14) ^ e.rotate_right(18) ^ e.rotate_right(41);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(k[t])
                .wrapping_add(w[t]);
            let s0 = a.rotate_right(28) ^ a.rotate_right(34) ^ a.rotate_right(39);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            (hh, g, f, e, d, c, b, a) = (g, f, e, d.wrapping_add(t1), c, b, a, t1.wrapping_add(t2));
        }
        for (state, v) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *state = state.wrapping_add(v);
        }
    }
    let mut out = [0u8; 64];
    for (chunk, v) in out.chunks_exact_mut(8).zip(h) {
        chunk.copy_from_slice(&v.to_be_bytes());
    }
    out
}

/// HMAC-SHA512 (RFC 2104) over SHA-512 with round constants `k`.
fn hmac_sha512_with(k: &[u64; 80], key: &[u8], message: &[u8]) -> [u8; 64] {
    let mut block = [0u8; 128];
    if key.len() > 128 {
        block[..64].copy_from_slice(&sha512_with(k, key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner: Vec<u8> = block.iter().map(|b| b ^ 0x36).collect();
    inner.extend_from_slice(message);
    let mut outer: Vec<u8> = block.iter().map(|b| b ^ 0x5c).collect();
    outer.extend_from_slice(&sha512_with(k, &inner));
    sha512_with(k, &outer)
}

/// Core's `BIP32Hash`: HMAC-SHA512 keyed by the chain code over a header byte, 32 bytes
/// of key and the child number, on Umkoin's SHA-512. The first half tweaks the key, the
/// second is the child's chain code.
fn bip32_hash(chain_code: &ChainCode, child: ChildNumber, header: u8, data: &[u8]) -> [u8; 64] {
    let mut message = Vec::with_capacity(37);
    message.push(header);
    message.extend_from_slice(data);
    message.extend_from_slice(&u32::from(child).to_be_bytes());
    hmac_sha512_with(&K, chain_code.as_bytes(), &message)
}

/// The tweak and chain code of a step.
fn split(out: &[u8; 64], child: ChildNumber) -> Result<(Scalar, ChainCode), DeriveError> {
    let tweak: [u8; 32] = out[..32].try_into().expect("64 bytes split in halves");
    let code: [u8; 32] = out[32..].try_into().expect("64 bytes split in halves");
    let tweak = Scalar::from_be_bytes(tweak).map_err(|_| DeriveError::InvalidChild(child))?;
    Ok((tweak, ChainCode::from(code)))
}

/// Core's `CExtPubKey::Derive` along `path` (every step unhardened).
pub fn derive_pub<C: Verification>(
    secp: &Secp256k1<C>,
    xpub: &Xpub,
    path: &[ChildNumber],
) -> Result<Xpub, DeriveError> {
    let mut at = *xpub;
    for &child in path {
        if child.is_hardened() {
            return Err(DeriveError::HardenedFromPublic(child));
        }
        let depth = at.depth.checked_add(1).ok_or(DeriveError::MaximumDepth)?;
        let out = bip32_hash(
            &at.chain_code,
            child,
            at.public_key.serialize()[0],
            &at.public_key.serialize()[1..],
        );
        let (tweak, chain_code) = split(&out, child)?;
        let public_key = at
            .public_key
            .add_exp_tweak(secp, &tweak)
            .map_err(|_| DeriveError::InvalidChild(child))?;
        at = Xpub {
            network: at.network,
            depth,
            parent_fingerprint: at.fingerprint(),
            child_number: child,
            public_key,
            chain_code,
        };
    }
    Ok(at)
}

/// Core's `CExtKey::Derive` along `path`.
pub fn derive_priv<C: Signing>(
    secp: &Secp256k1<C>,
    xpriv: &Xpriv,
    path: &[ChildNumber],
) -> Result<Xpriv, DeriveError> {
    let mut at = *xpriv;
    for &child in path {
        let depth = at.depth.checked_add(1).ok_or(DeriveError::MaximumDepth)?;
        let public = secp256k1::PublicKey::from_secret_key(secp, &at.private_key).serialize();
        let out = if child.is_hardened() {
            bip32_hash(&at.chain_code, child, 0, &at.private_key.secret_bytes())
        } else {
            bip32_hash(&at.chain_code, child, public[0], &public[1..])
        };
        let (tweak, chain_code) = split(&out, child)?;
        let private_key = at
            .private_key
            .add_tweak(&tweak)
            .map_err(|_| DeriveError::InvalidChild(child))?;
        at = Xpriv {
            network: at.network,
            depth,
            parent_fingerprint: at.fingerprint(secp),
            child_number: child,
            private_key,
            chain_code,
        };
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::hashes::{Hash, HashEngine, hmac, sha512};
    use bitcoin::{Address, CompressedPublicKey, Network};
    use std::str::FromStr;

    /// BIP 32 test vector 1's `m/0H` and its master key, as tpub and tprv.
    const TPUB_0H: &str = "tpubD8eQVK4Kdxg3gHrF62jGP7dKVCoYiEB8dFSpuTawkL5YxTus5j5pf83vaKnii4bc6v2NVEy81P2gYrJczYne3QNNwMTS53p5uzDyHvnw2jm";
    const TPRV: &str = "tprv8ZgxMBicQKsPeDgjzdC36fs6bMjGApWDNLR9erAXMs5skhMv36j9MV5ecvfavji5khqjWaWSFhN3YcCUUdiKH6isR4Pwy3U5y5egddBr16m";

    fn p2pkh(key: secp256k1::PublicKey) -> String {
        Address::p2pkh(CompressedPublicKey(key), Network::Regtest).to_string()
    }

    fn path(s: &str) -> Vec<ChildNumber> {
        bitcoin::bip32::DerivationPath::from_str(s)
            .expect("a path")
            .into_iter()
            .copied()
            .collect()
    }

    #[test]
    fn the_standard_constants_give_the_standard_hash() {
        for data in [&b""[..], b"abc", &[0x5a; 111], &[0xa5; 112], &[7; 300]] {
            assert_eq!(
                sha512_with(&STANDARD_K, data),
                sha512::Hash::hash(data).to_byte_array()
            );
            let key = [0x0b; 20];
            let mut engine = hmac::HmacEngine::<sha512::Hash>::new(&key);
            engine.input(data);
            assert_eq!(
                hmac_sha512_with(&STANDARD_K, &key, data),
                hmac::Hmac::<sha512::Hash>::from_engine(engine).to_byte_array()
            );
        }
        // Umkoin's differs in the one constant only, and so in every hash.
        let differ: Vec<usize> = (0..80).filter(|&i| K[i] != STANDARD_K[i]).collect();
        assert_eq!(differ, [78]);
        assert_ne!(sha512_with(&K, b"abc"), sha512_with(&STANDARD_K, b"abc"));
    }

    /// The addresses Umkoin Core v31.0's `deriveaddresses` gives for these keys (run on
    /// its reference binary; BIP 32's own vectors give `mxvewdhK…` for `m/0H/1`).
    #[test]
    fn children_are_umkoin_cores() {
        let secp = Secp256k1::new();
        let xpub = Xpub::from_str(TPUB_0H).expect("a tpub");
        let child = derive_pub(&secp, &xpub, &path("m/1")).expect("derives");
        assert_eq!(
            p2pkh(child.public_key),
            "n2gceZbD3VD7q1kueg3ziruJQ9xeuDv3N8"
        );
        let xpriv = Xpriv::from_str(TPRV).expect("a tprv");
        for (step, address) in [
            ("m/0h", "mnggnRRvB9yhAhLvF5faavDy8r4MSo9HxH"),
            ("m/0", "mnGLayWwWxVBNMX4uJdFgMnqPGH2erzkue"),
        ] {
            let child = derive_priv(&secp, &xpriv, &path(step)).expect("derives");
            assert_eq!(
                p2pkh(child.private_key.public_key(&secp)),
                address,
                "{step}"
            );
        }
        // Public and private derivation agree on unhardened steps.
        let master = Xpub::from_priv(&secp, &xpriv);
        let by_pub = derive_pub(&secp, &master, &path("m/0/7")).expect("derives");
        let by_priv = derive_priv(&secp, &xpriv, &path("m/0/7")).expect("derives");
        assert_eq!(by_pub, Xpub::from_priv(&secp, &by_priv));
        assert_eq!(by_pub.depth, 2);
        assert_eq!(by_pub.child_number, ChildNumber::from(7));
    }

    #[test]
    fn a_hardened_step_needs_the_private_key() {
        let secp = Secp256k1::new();
        let xpub = Xpub::from_str(TPUB_0H).expect("a tpub");
        assert_eq!(
            derive_pub(&secp, &xpub, &path("m/1h")),
            Err(DeriveError::HardenedFromPublic(ChildNumber::from(
                1 | 1 << 31
            )))
        );
    }
}
