//! The raw-transaction and PSBT commands that need no wallet (`createrawtransaction`,
//! `signrawtransactionwithkey`, `combinerawtransaction`, `createpsbt`, `decodepsbt`,
//! `combinepsbt`, `finalizepsbt`, `analyzepsbt`): every answer compared, byte for byte,
//! with Umkoin Core v31.0's for the same chain, keys and transactions, the round trips
//! ending in transactions the node accepts, and Core's errors for what it refuses.
//!
//! Everything is deterministic: blocks are mined at a fixed mock time to the MiniWallet
//! key's P2WPKH, the keys are private keys 1 and 2, and ECDSA (RFC 6979, low R) and
//! Schnorr (zero auxiliary randomness) signatures do not vary.

use serde_json::{Value, json};
use umkoin_harness::bitcoin::hashes::Hash;
use umkoin_harness::bitcoin::key::Keypair;
use umkoin_harness::bitcoin::opcodes::all::OP_CHECKSIG;
use umkoin_harness::bitcoin::psbt::Psbt;
use umkoin_harness::bitcoin::secp256k1::{All, Message, Secp256k1, SecretKey};
use umkoin_harness::bitcoin::sighash::{EcdsaSighashType, Prevouts, SighashCache, TapSighashType};
use umkoin_harness::bitcoin::taproot::{LeafVersion, TapLeafHash, TaprootBuilder};
use umkoin_harness::bitcoin::{
    Address, Amount, KnownHrp, PublicKey, ScriptBuf, Transaction, TxOut, consensus, ecdsa, taproot,
};
use umkoin_harness::blocktools::tx_hex;
use umkoin_harness::miniwallet::UtxoQuery;
use umkoin_harness::{MiniWallet, MiniWalletMode, RpcError, TestFramework, TestNode};
use umkoin_interfaces::rpc::code;

/// The mock time every block is mined at.
const MOCKTIME: i64 = 1_700_000_000;
/// Private key 1 as regtest WIF (compressed): MiniWallet's P2WPKH key.
const K1: &str = "cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMN87JcbXMTcA";
/// Private key 2 as regtest WIF (compressed).
const K2: &str = "cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMN87K7XCyj5v";
/// The P2WPKH of key 1 (MiniWallet's address in P2wpkh mode).
const ADDR_K1: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
/// `2 <key 1> <key 2> 2 OP_CHECKMULTISIG`.
const MULTISIG: &str = "52210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae";
/// P2SH of [`MULTISIG`].
const ADDR_SH_MULTI: &str = "2MtycqikMJfc1GfzPar2xBzBMqmfHSdGF9s";
/// Its scriptPubKey.
const SPK_SH_MULTI: &str = "a91412fcac201d73f5b5dba0f1f22c40f02da17bb4a487";
/// P2WSH of [`MULTISIG`].
const ADDR_WSH_MULTI: &str = "bcrt1qnwvyc7aw8m7acw3lpgs0lqdlaz0drls8luf72cs5nmn9f0kcghdsr03hg4";
/// Its scriptPubKey.
const SPK_WSH_MULTI: &str = "00209b984c7bae3efddc3a3f0a20ff81bfe89ed1fe07ff13e562149ee654bed845db";
/// P2PKH of key 2.
const ADDR_PKH_K2: &str = "mg8Jz5776UdyiYcBb9Z873NTozEiADRW5H";
/// P2SH-P2WPKH of key 2.
const ADDR_SH_WPKH_K2: &str = "2N74VLxyT79VGHiBK2zEg3a9HJG7rEc5F3o";
/// Its scriptPubKey.
const SPK_SH_WPKH_K2: &str = "a914978a0121f9a24de65a13bab0c43c3a48be074eae87";
/// Its redeem script.
const REDEEM_WPKH_K2: &str = "001406afd46bcdfd22ef94ac122aa11f241244a37ecc";
/// P2TR whose output key is key 2 itself, untweaked (`rawtr(<key 2>)`).
const ADDR_RAWTR_K2: &str = "bcrt1pccz8l9zpa47k6vz9gphftsrumpw80rjt3nhnefat4symjhrsnmjsgkm3r6";

/// Block 1's coinbase (mined at [`MOCKTIME`] to [`ADDR_K1`]): the coin MiniWallet gives.
const COINBASE_1: &str = "0edcad68572bef862d27e685213fb9df4e64f6ced6928b5f8b7b5902c02fb6be";
/// The funding transaction's txid: outputs 0 to 4 pay P2SH multisig, P2WSH multisig,
/// P2PKH, P2SH-P2WPKH and raw P2TR; 5 is change to key 1.
const FUNDING: &str = "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459";

/// Core's `createrawtransaction` of the funding transaction.
const CORE_FUNDING_RAW: &str = "0200000001beb62fc002597b8b5f8b92d6cef6644edfb93f2185e6272d86ef2b5768addc0e0000000000fdffffff0600ca9a3b0000000017a91412fcac201d73f5b5dba0f1f22c40f02da17bb4a48700ca9a3b000000002200209b984c7bae3efddc3a3f0a20ff81bfe89ed1fe07ff13e562149ee654bed845db00ca9a3b000000001976a91406afd46bcdfd22ef94ac122aa11f241244a37ecc88ac0065cd1d0000000017a914978a0121f9a24de65a13bab0c43c3a48be074eae870065cd1d00000000225120c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee56043993b00000000160014751e76e8199196d454941c45d1b3a323f1433bd600000000";
/// Core's `signrawtransactionwithkey` of it with key 2 only (which cannot sign it).
const CORE_FUNDING_SIGNED_K2: &str = r#"{
  "hex": "0200000001beb62fc002597b8b5f8b92d6cef6644edfb93f2185e6272d86ef2b5768addc0e0000000000fdffffff0600ca9a3b0000000017a91412fcac201d73f5b5dba0f1f22c40f02da17bb4a48700ca9a3b000000002200209b984c7bae3efddc3a3f0a20ff81bfe89ed1fe07ff13e562149ee654bed845db00ca9a3b000000001976a91406afd46bcdfd22ef94ac122aa11f241244a37ecc88ac0065cd1d0000000017a914978a0121f9a24de65a13bab0c43c3a48be074eae870065cd1d00000000225120c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee56043993b00000000160014751e76e8199196d454941c45d1b3a323f1433bd600000000",
  "complete": false,
  "errors": [
    {
      "txid": "0edcad68572bef862d27e685213fb9df4e64f6ced6928b5f8b7b5902c02fb6be",
      "vout": 0,
      "witness": [],
      "scriptSig": "",
      "sequence": 4294967293,
      "error": "Witness program hash mismatch"
    }
  ]
}"#;
/// Core's `signrawtransactionwithkey` of it with key 1.
const CORE_FUNDING_SIGNED_K1: &str = r#"{
  "hex": "02000000000101beb62fc002597b8b5f8b92d6cef6644edfb93f2185e6272d86ef2b5768addc0e0000000000fdffffff0600ca9a3b0000000017a91412fcac201d73f5b5dba0f1f22c40f02da17bb4a48700ca9a3b000000002200209b984c7bae3efddc3a3f0a20ff81bfe89ed1fe07ff13e562149ee654bed845db00ca9a3b000000001976a91406afd46bcdfd22ef94ac122aa11f241244a37ecc88ac0065cd1d0000000017a914978a0121f9a24de65a13bab0c43c3a48be074eae870065cd1d00000000225120c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee56043993b00000000160014751e76e8199196d454941c45d1b3a323f1433bd60247304402205cb37e965c7174e7fed962853a5d85746640012d2e518e62f615cb225450652e022062419a7d25bfd5cbd3d9c93f42b76340726f18a065478062cd2bfb05ea71b40001210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179800000000",
  "complete": true
}"#;

/// Core's answer: CORE_RAW_OTHER.
const CORE_RAW_OTHER: &str = "010000000259b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890700000000e803000059b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890800000000feffffff020000000000000000046a0200ff80f0fa0200000000160014751e76e8199196d454941c45d1b3a323f1433bd620a10700";
/// Core's answer: CORE_SH_MULTI_K1.
const CORE_SH_MULTI_K1: &str = r#"{
  "hex": "020000000159b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de0989000000009200473044022065330cf312b41736e50d66799b7b949ac29977a12b821f747d64498caa961cf002205dce934c4b42550b4575a96d532fe5a128600bfef95df049c7ba1165a695556901004752210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552aefdffffff01c0878b3b00000000160014751e76e8199196d454941c45d1b3a323f1433bd600000000",
  "complete": false,
  "errors": [
    {
      "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
      "vout": 0,
      "witness": [],
      "scriptSig": "00473044022065330cf312b41736e50d66799b7b949ac29977a12b821f747d64498caa961cf002205dce934c4b42550b4575a96d532fe5a128600bfef95df049c7ba1165a695556901004752210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae",
      "sequence": 4294967293,
      "error": "CHECK(MULTI)SIG failing with non-zero signature (possibly need more signatures)"
    }
  ]
}"#;
/// Core's answer: CORE_SH_MULTI_K2.
const CORE_SH_MULTI_K2: &str = r#"{
  "hex": "020000000159b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890000000092004730440220280ab7e688d0528551058e6113ab1a762a6bd5870e4a3fc64af0ba04d0ed87530220568eaeeefeda146591f4aac9fbb4e79a50f4a2a48acbd538ca9e9288df1ad70d01004752210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552aefdffffff01c0878b3b00000000160014751e76e8199196d454941c45d1b3a323f1433bd600000000",
  "complete": false,
  "errors": [
    {
      "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
      "vout": 0,
      "witness": [],
      "scriptSig": "004730440220280ab7e688d0528551058e6113ab1a762a6bd5870e4a3fc64af0ba04d0ed87530220568eaeeefeda146591f4aac9fbb4e79a50f4a2a48acbd538ca9e9288df1ad70d01004752210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae",
      "sequence": 4294967293,
      "error": "CHECK(MULTI)SIG failing with non-zero signature (possibly need more signatures)"
    }
  ]
}"#;
/// Core's answer: CORE_SH_MULTI_COMBINED.
const CORE_SH_MULTI_COMBINED: &str = "020000000159b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de098900000000d900473044022065330cf312b41736e50d66799b7b949ac29977a12b821f747d64498caa961cf002205dce934c4b42550b4575a96d532fe5a128600bfef95df049c7ba1165a6955569014730440220280ab7e688d0528551058e6113ab1a762a6bd5870e4a3fc64af0ba04d0ed87530220568eaeeefeda146591f4aac9fbb4e79a50f4a2a48acbd538ca9e9288df1ad70d014752210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552aefdffffff01c0878b3b00000000160014751e76e8199196d454941c45d1b3a323f1433bd600000000";
/// Core's answer: CORE_WSH_MULTI_K1.
const CORE_WSH_MULTI_K1: &str = r#"{
  "hex": "0200000000010159b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890100000000fdffffff01c0878b3b00000000160014751e76e8199196d454941c45d1b3a323f1433bd604004730440220147de8a1329fdd539357aceee972283b832be122f09da25a01ec7ff72f4a00780220029ef4454360d7afb166a73003b29623d75b2ae5a8234f94ca22e7a1fcbcd70001004752210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae00000000",
  "complete": false,
  "errors": [
    {
      "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
      "vout": 1,
      "witness": [
        "",
        "30440220147de8a1329fdd539357aceee972283b832be122f09da25a01ec7ff72f4a00780220029ef4454360d7afb166a73003b29623d75b2ae5a8234f94ca22e7a1fcbcd70001",
        "",
        "52210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae"
      ],
      "scriptSig": "",
      "sequence": 4294967293,
      "error": "CHECK(MULTI)SIG failing with non-zero signature (possibly need more signatures)"
    }
  ]
}"#;
/// Core's answer: CORE_WSH_MULTI_BOTH.
const CORE_WSH_MULTI_BOTH: &str = r#"{
  "hex": "0200000000010159b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890100000000fdffffff01c0878b3b00000000160014751e76e8199196d454941c45d1b3a323f1433bd604004730440220147de8a1329fdd539357aceee972283b832be122f09da25a01ec7ff72f4a00780220029ef4454360d7afb166a73003b29623d75b2ae5a8234f94ca22e7a1fcbcd7000147304402204e5b4a93615ae740768c5d28629cc5a398e6e1948277eebb8ca78fc714c4aa5802203f729f374abe99f86246b613130513edbdeddcbc97dee95df67a7fcdc16e60e2014752210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae00000000",
  "complete": true
}"#;
/// Core's answer: CORE_THREE_SINGLE.
const CORE_THREE_SINGLE: &str = r#"{
  "hex": "020000000359b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de0989020000006a47304402205bc2ac6c4afc570c70b6c056070f62e7cae010abc8c93f219afaddd2bd340b08022059aec7b6f015454e8f2edbd4e4915aafb4c314675c5f809a3fe9fc26ce45ce5a032102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5fdffffff59b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890300000000fdffffff59b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890400000000fdffffff01c051267700000000160014751e76e8199196d454941c45d1b3a323f1433bd600000000",
  "complete": false,
  "errors": [
    {
      "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
      "vout": 3,
      "witness": [],
      "scriptSig": "",
      "sequence": 4294967293,
      "error": "Unable to sign input, invalid stack size (possibly missing key)"
    },
    {
      "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
      "vout": 4,
      "witness": [],
      "scriptSig": "",
      "sequence": 4294967293,
      "error": "Witness program was passed an empty witness"
    }
  ]
}"#;
/// Core's answer: CORE_THREE_SIGNED.
const CORE_THREE_SIGNED: &str = r#"{
  "hex": "0200000000010359b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de0989020000006a47304402201bf252b49bdef89f92628fba025d0f64894f531f8ceef1012abfe3213ab28e2102204d04a4f35ebc66d76ae65913cbf3c8d67e852f9b3b9e24843c8e77005da05227012102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5fdffffff59b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de0989030000001716001406afd46bcdfd22ef94ac122aa11f241244a37eccfdffffff59b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890400000000fdffffff01c051267700000000160014751e76e8199196d454941c45d1b3a323f1433bd600024730440220407a72ff77962588f245a4b040cb83150f2900477134207b4de0774ea3d1589302205918fb68b2018fbb78611b6e291a2f8fc4de71959818fab3357a94502baacd58012102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5014068fc4b748ca4af910cad04e0ad766eb0646db8b3031dc8afd58a5ff19e538ce4757bc68c750282643102963f7ff1645120314dd5bd5baca313b9ea8770f3467800000000",
  "complete": true
}"#;
/// Core's answer: CORE_THREE_SPENT.
const CORE_THREE_SPENT: &str = r#"{
  "hex": "0200000000010359b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890200000000fdffffff59b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de0989030000001716001406afd46bcdfd22ef94ac122aa11f241244a37eccfdffffff59b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890400000000fdffffff01c051267700000000160014751e76e8199196d454941c45d1b3a323f1433bd600024730440220407a72ff77962588f245a4b040cb83150f2900477134207b4de0774ea3d1589302205918fb68b2018fbb78611b6e291a2f8fc4de71959818fab3357a94502baacd58012102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee50000000000",
  "complete": false,
  "errors": [
    {
      "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
      "vout": 2,
      "witness": [],
      "scriptSig": "",
      "sequence": 4294967293,
      "error": "Input not found or already spent"
    },
    {
      "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
      "vout": 4,
      "witness": [],
      "scriptSig": "",
      "sequence": 4294967293,
      "error": "Input not found or already spent"
    }
  ]
}"#;
/// Core's answer: CORE_WSH_CREATEPSBT.
const CORE_WSH_CREATEPSBT: &str = "cHNidP8BAFICAAAAAVm0IrGgLx6aN2+ANATcYyowOdVRkPE/AGPjHu6J3gmJAQAAAAD9////AcCHizsAAAAAFgAUdR526BmRltRUlBxF0bOjI/FDO9YAAAAAAAAA";
/// Core's answer: CORE_WSH_DECODE_BLANK.
const CORE_WSH_DECODE_BLANK: &str = r#"{
  "tx": {
    "txid": "bf0a6e3ae114773482e0e8a2310af6f6026858d8f7864aff4438f18bd22b2f90",
    "hash": "bf0a6e3ae114773482e0e8a2310af6f6026858d8f7864aff4438f18bd22b2f90",
    "version": 2,
    "size": 82,
    "vsize": 82,
    "weight": 328,
    "locktime": 0,
    "vin": [
      {
        "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
        "vout": 1,
        "scriptSig": {
          "asm": "",
          "hex": ""
        },
        "sequence": 4294967293
      }
    ],
    "vout": [
      {
        "value": 9.99000000,
        "n": 0,
        "scriptPubKey": {
          "asm": "0 751e76e8199196d454941c45d1b3a323f1433bd6",
          "desc": "addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)#8pk5s7ya",
          "hex": "0014751e76e8199196d454941c45d1b3a323f1433bd6",
          "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
          "type": "witness_v0_keyhash"
        }
      }
    ]
  },
  "global_xpubs": [],
  "psbt_version": 0,
  "proprietary": [],
  "unknown": {},
  "inputs": [
    {}
  ],
  "outputs": [
    {}
  ]
}"#;
/// Core's answer: CORE_WSH_ANALYZE_BLANK.
const CORE_WSH_ANALYZE_BLANK: &str = r#"{
  "inputs": [
    {
      "has_utxo": false,
      "is_final": false,
      "next": "updater"
    }
  ],
  "next": "updater"
}"#;
/// Core's answer: CORE_WSH_DECODE_A.
const CORE_WSH_DECODE_A: &str = r#"{
  "tx": {
    "txid": "bf0a6e3ae114773482e0e8a2310af6f6026858d8f7864aff4438f18bd22b2f90",
    "hash": "bf0a6e3ae114773482e0e8a2310af6f6026858d8f7864aff4438f18bd22b2f90",
    "version": 2,
    "size": 82,
    "vsize": 82,
    "weight": 328,
    "locktime": 0,
    "vin": [
      {
        "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
        "vout": 1,
        "scriptSig": {
          "asm": "",
          "hex": ""
        },
        "sequence": 4294967293
      }
    ],
    "vout": [
      {
        "value": 9.99000000,
        "n": 0,
        "scriptPubKey": {
          "asm": "0 751e76e8199196d454941c45d1b3a323f1433bd6",
          "desc": "addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)#8pk5s7ya",
          "hex": "0014751e76e8199196d454941c45d1b3a323f1433bd6",
          "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
          "type": "witness_v0_keyhash"
        }
      }
    ]
  },
  "global_xpubs": [],
  "psbt_version": 0,
  "proprietary": [],
  "unknown": {},
  "inputs": [
    {
      "witness_utxo": {
        "amount": 10.00000000,
        "scriptPubKey": {
          "asm": "0 9b984c7bae3efddc3a3f0a20ff81bfe89ed1fe07ff13e562149ee654bed845db",
          "desc": "addr(bcrt1qnwvyc7aw8m7acw3lpgs0lqdlaz0drls8luf72cs5nmn9f0kcghdsr03hg4)#sncal8mg",
          "hex": "00209b984c7bae3efddc3a3f0a20ff81bfe89ed1fe07ff13e562149ee654bed845db",
          "address": "bcrt1qnwvyc7aw8m7acw3lpgs0lqdlaz0drls8luf72cs5nmn9f0kcghdsr03hg4",
          "type": "witness_v0_scripthash"
        }
      },
      "partial_signatures": {
        "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798": "30440220147de8a1329fdd539357aceee972283b832be122f09da25a01ec7ff72f4a00780220029ef4454360d7afb166a73003b29623d75b2ae5a8234f94ca22e7a1fcbcd70001"
      },
      "witness_script": {
        "asm": "2 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5 2 OP_CHECKMULTISIG",
        "hex": "52210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae",
        "type": "multisig"
      }
    }
  ],
  "outputs": [
    {}
  ],
  "fee": 0.01000000
}"#;
/// Core's answer: CORE_WSH_ANALYZE_A.
const CORE_WSH_ANALYZE_A: &str = r#"{
  "inputs": [
    {
      "has_utxo": true,
      "is_final": false,
      "next": "signer",
      "missing": {
        "signatures": [
          "06afd46bcdfd22ef94ac122aa11f241244a37ecc"
        ]
      }
    }
  ],
  "estimated_vsize": 137,
  "estimated_feerate": 0.07299270,
  "fee": 0.01000000,
  "next": "signer"
}"#;
/// Core's answer: CORE_WSH_FINALIZE_A.
const CORE_WSH_FINALIZE_A: &str = r#"{
  "psbt": "cHNidP8BAFICAAAAAVm0IrGgLx6aN2+ANATcYyowOdVRkPE/AGPjHu6J3gmJAQAAAAD9////AcCHizsAAAAAFgAUdR526BmRltRUlBxF0bOjI/FDO9YAAAAAAAEBKwDKmjsAAAAAIgAgm5hMe64+/dw6Pwog/4G/6J7R/gf/E+ViFJ7mVL7YRdsiAgJ5vmZ++dy7rFWgYpXOhwsHApv82y3OKNlZ8oFbFvgXmEcwRAIgFH3ooTKf3VOTV6zu6XIoO4Mr4SLwnaJaAex/9y9KAHgCIAKe9EVDYNevsWanMAOyliPXWyrlqCNPlMoi56H8vNcAAQEFR1IhAnm+Zn753LusVaBilc6HCwcCm/zbLc4o2VnygVsW+BeYIQLGBH+UQe19bTBFQG6VwHzYXHeOS4zvPKerrAm5XHCe5VKuAAA=",
  "complete": false
}"#;
/// Core's answer: CORE_WSH_COMBINED.
const CORE_WSH_COMBINED: &str = "cHNidP8BAFICAAAAAVm0IrGgLx6aN2+ANATcYyowOdVRkPE/AGPjHu6J3gmJAQAAAAD9////AcCHizsAAAAAFgAUdR526BmRltRUlBxF0bOjI/FDO9YAAAAAAAEBKwDKmjsAAAAAIgAgm5hMe64+/dw6Pwog/4G/6J7R/gf/E+ViFJ7mVL7YRdsiAgLGBH+UQe19bTBFQG6VwHzYXHeOS4zvPKerrAm5XHCe5UcwRAIgTltKk2Fa50B2jF0oYpzFo5jm4ZSCd+67jKePxxTEqlgCID9ynzdKvpn4Yka2ExMFE+297dy8l97pXfZ6f83BbmDiASICAnm+Zn753LusVaBilc6HCwcCm/zbLc4o2VnygVsW+BeYRzBEAiAUfeihMp/dU5NXrO7pcig7gyvhIvCdoloB7H/3L0oAeAIgAp70RUNg16+xZqcwA7KWI9dbKuWoI0+UyiLnofy81wABAQVHUiECeb5mfvncu6xVoGKVzocLBwKb/NstzijZWfKBWxb4F5ghAsYEf5RB7X1tMEVAbpXAfNhcd45LjO88p6usCblccJ7lUq4AAA==";
/// Core's answer: CORE_WSH_DECODE_COMBINED.
const CORE_WSH_DECODE_COMBINED: &str = r#"{
  "tx": {
    "txid": "bf0a6e3ae114773482e0e8a2310af6f6026858d8f7864aff4438f18bd22b2f90",
    "hash": "bf0a6e3ae114773482e0e8a2310af6f6026858d8f7864aff4438f18bd22b2f90",
    "version": 2,
    "size": 82,
    "vsize": 82,
    "weight": 328,
    "locktime": 0,
    "vin": [
      {
        "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
        "vout": 1,
        "scriptSig": {
          "asm": "",
          "hex": ""
        },
        "sequence": 4294967293
      }
    ],
    "vout": [
      {
        "value": 9.99000000,
        "n": 0,
        "scriptPubKey": {
          "asm": "0 751e76e8199196d454941c45d1b3a323f1433bd6",
          "desc": "addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)#8pk5s7ya",
          "hex": "0014751e76e8199196d454941c45d1b3a323f1433bd6",
          "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
          "type": "witness_v0_keyhash"
        }
      }
    ]
  },
  "global_xpubs": [],
  "psbt_version": 0,
  "proprietary": [],
  "unknown": {},
  "inputs": [
    {
      "witness_utxo": {
        "amount": 10.00000000,
        "scriptPubKey": {
          "asm": "0 9b984c7bae3efddc3a3f0a20ff81bfe89ed1fe07ff13e562149ee654bed845db",
          "desc": "addr(bcrt1qnwvyc7aw8m7acw3lpgs0lqdlaz0drls8luf72cs5nmn9f0kcghdsr03hg4)#sncal8mg",
          "hex": "00209b984c7bae3efddc3a3f0a20ff81bfe89ed1fe07ff13e562149ee654bed845db",
          "address": "bcrt1qnwvyc7aw8m7acw3lpgs0lqdlaz0drls8luf72cs5nmn9f0kcghdsr03hg4",
          "type": "witness_v0_scripthash"
        }
      },
      "partial_signatures": {
        "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5": "304402204e5b4a93615ae740768c5d28629cc5a398e6e1948277eebb8ca78fc714c4aa5802203f729f374abe99f86246b613130513edbdeddcbc97dee95df67a7fcdc16e60e201",
        "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798": "30440220147de8a1329fdd539357aceee972283b832be122f09da25a01ec7ff72f4a00780220029ef4454360d7afb166a73003b29623d75b2ae5a8234f94ca22e7a1fcbcd70001"
      },
      "witness_script": {
        "asm": "2 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5 2 OP_CHECKMULTISIG",
        "hex": "52210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae",
        "type": "multisig"
      }
    }
  ],
  "outputs": [
    {}
  ],
  "fee": 0.01000000
}"#;
/// Core's answer: CORE_WSH_ANALYZE_COMBINED.
const CORE_WSH_ANALYZE_COMBINED: &str = r#"{
  "inputs": [
    {
      "has_utxo": true,
      "is_final": false,
      "next": "finalizer"
    }
  ],
  "estimated_vsize": 137,
  "estimated_feerate": 0.07299270,
  "fee": 0.01000000,
  "next": "finalizer"
}"#;
/// Core's answer: CORE_WSH_FINALIZED.
const CORE_WSH_FINALIZED: &str = r#"{
  "psbt": "cHNidP8BAFICAAAAAVm0IrGgLx6aN2+ANATcYyowOdVRkPE/AGPjHu6J3gmJAQAAAAD9////AcCHizsAAAAAFgAUdR526BmRltRUlBxF0bOjI/FDO9YAAAAAAAEBKwDKmjsAAAAAIgAgm5hMe64+/dw6Pwog/4G/6J7R/gf/E+ViFJ7mVL7YRdsBCNoEAEcwRAIgFH3ooTKf3VOTV6zu6XIoO4Mr4SLwnaJaAex/9y9KAHgCIAKe9EVDYNevsWanMAOyliPXWyrlqCNPlMoi56H8vNcAAUcwRAIgTltKk2Fa50B2jF0oYpzFo5jm4ZSCd+67jKePxxTEqlgCID9ynzdKvpn4Yka2ExMFE+297dy8l97pXfZ6f83BbmDiAUdSIQJ5vmZ++dy7rFWgYpXOhwsHApv82y3OKNlZ8oFbFvgXmCECxgR/lEHtfW0wRUBulcB82Fx3jkuM7zynq6wJuVxwnuVSrgAA",
  "complete": true
}"#;
/// Core's answer: CORE_WSH_ANALYZE_FINALIZED.
const CORE_WSH_ANALYZE_FINALIZED: &str = r#"{
  "inputs": [
    {
      "has_utxo": true,
      "is_final": true,
      "next": "extractor"
    }
  ],
  "estimated_vsize": 137,
  "estimated_feerate": 0.07299270,
  "fee": 0.01000000,
  "next": "extractor"
}"#;
/// Core's answer: CORE_WSH_EXTRACTED.
const CORE_WSH_EXTRACTED: &str = r#"{
  "hex": "0200000000010159b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890100000000fdffffff01c0878b3b00000000160014751e76e8199196d454941c45d1b3a323f1433bd604004730440220147de8a1329fdd539357aceee972283b832be122f09da25a01ec7ff72f4a00780220029ef4454360d7afb166a73003b29623d75b2ae5a8234f94ca22e7a1fcbcd7000147304402204e5b4a93615ae740768c5d28629cc5a398e6e1948277eebb8ca78fc714c4aa5802203f729f374abe99f86246b613130513edbdeddcbc97dee95df67a7fcdc16e60e2014752210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae00000000",
  "complete": true
}"#;
/// Core's answer: CORE_THREE_CREATEPSBT.
const CORE_THREE_CREATEPSBT: &str = "cHNidP8BAKQCAAAAA1m0IrGgLx6aN2+ANATcYyowOdVRkPE/AGPjHu6J3gmJAgAAAAD9////WbQisaAvHpo3b4A0BNxjKjA51VGQ8T8AY+Me7oneCYkDAAAAAP3///9ZtCKxoC8emjdvgDQE3GMqMDnVUZDxPwBj4x7uid4JiQQAAAAA/f///wHAUSZ3AAAAABYAFHUedugZkZbUVJQcRdGzoyPxQzvWAAAAAAAAAAAA";
/// Core's answer: CORE_THREE_ANALYZE_UPDATED.
const CORE_THREE_ANALYZE_UPDATED: &str = r#"{
  "inputs": [
    {
      "has_utxo": true,
      "is_final": false,
      "next": "updater",
      "missing": {
        "pubkeys": [
          "06afd46bcdfd22ef94ac122aa11f241244a37ecc"
        ]
      }
    },
    {
      "has_utxo": true,
      "is_final": false,
      "next": "updater",
      "missing": {
        "pubkeys": [
          "06afd46bcdfd22ef94ac122aa11f241244a37ecc"
        ]
      }
    },
    {
      "has_utxo": true,
      "is_final": false,
      "next": "updater"
    }
  ],
  "fee": 0.01000000,
  "next": "updater"
}"#;
/// Core's answer: CORE_THREE_FINALIZE_UPDATED.
const CORE_THREE_FINALIZE_UPDATED: &str = r#"{
  "psbt": "cHNidP8BAKQCAAAAA1m0IrGgLx6aN2+ANATcYyowOdVRkPE/AGPjHu6J3gmJAgAAAAD9////WbQisaAvHpo3b4A0BNxjKjA51VGQ8T8AY+Me7oneCYkDAAAAAP3///9ZtCKxoC8emjdvgDQE3GMqMDnVUZDxPwBj4x7uid4JiQQAAAAA/f///wHAUSZ3AAAAABYAFHUedugZkZbUVJQcRdGzoyPxQzvWAAAAAAABAP0KAQIAAAABvrYvwAJZe4tfi5LWzvZkTt+5PyGF5icthu8rV2it3A4AAAAAAP3///8GAMqaOwAAAAAXqRQS/KwgHXP1tdug8fIsQPAtoXu0pIcAypo7AAAAACIAIJuYTHuuPv3cOj8KIP+Bv+ie0f4H/xPlYhSe5lS+2EXbAMqaOwAAAAAZdqkUBq/Ua839Iu+UrBIqoR8kEkSjfsyIrABlzR0AAAAAF6kUl4oBIfmiTeZaE7qwxDw6SL4HTq6HAGXNHQAAAAAiUSDGBH+UQe19bTBFQG6VwHzYXHeOS4zvPKerrAm5XHCe5WBDmTsAAAAAFgAUdR526BmRltRUlBxF0bOjI/FDO9YAAAAAAAEBIABlzR0AAAAAF6kUl4oBIfmiTeZaE7qwxDw6SL4HTq6HAQQWABQGr9Rrzf0i75SsEiqhHyQSRKN+zAABASsAZc0dAAAAACJRIMYEf5RB7X1tMEVAbpXAfNhcd45LjO88p6usCblccJ7lAAA=",
  "complete": false
}"#;
/// Core's answer: CORE_THREE_DECODE_SIGNED.
const CORE_THREE_DECODE_SIGNED: &str = r#"{
  "tx": {
    "txid": "1d970a2401862ad1bc6d04a4af10fdfc0b3406f26266f661a777b17ca7b80d14",
    "hash": "1d970a2401862ad1bc6d04a4af10fdfc0b3406f26266f661a777b17ca7b80d14",
    "version": 2,
    "size": 164,
    "vsize": 164,
    "weight": 656,
    "locktime": 0,
    "vin": [
      {
        "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
        "vout": 2,
        "scriptSig": {
          "asm": "",
          "hex": ""
        },
        "sequence": 4294967293
      },
      {
        "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
        "vout": 3,
        "scriptSig": {
          "asm": "",
          "hex": ""
        },
        "sequence": 4294967293
      },
      {
        "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
        "vout": 4,
        "scriptSig": {
          "asm": "",
          "hex": ""
        },
        "sequence": 4294967293
      }
    ],
    "vout": [
      {
        "value": 19.99000000,
        "n": 0,
        "scriptPubKey": {
          "asm": "0 751e76e8199196d454941c45d1b3a323f1433bd6",
          "desc": "addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)#8pk5s7ya",
          "hex": "0014751e76e8199196d454941c45d1b3a323f1433bd6",
          "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
          "type": "witness_v0_keyhash"
        }
      }
    ]
  },
  "global_xpubs": [],
  "psbt_version": 0,
  "proprietary": [],
  "unknown": {},
  "inputs": [
    {
      "non_witness_utxo": {
        "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
        "hash": "d87f8304fa40424a6312d598873b0eb4219a6aab6689b9d9739df571870a9744",
        "version": 2,
        "size": 375,
        "vsize": 294,
        "weight": 1173,
        "locktime": 0,
        "vin": [
          {
            "txid": "0edcad68572bef862d27e685213fb9df4e64f6ced6928b5f8b7b5902c02fb6be",
            "vout": 0,
            "scriptSig": {
              "asm": "",
              "hex": ""
            },
            "txinwitness": [
              "304402205cb37e965c7174e7fed962853a5d85746640012d2e518e62f615cb225450652e022062419a7d25bfd5cbd3d9c93f42b76340726f18a065478062cd2bfb05ea71b40001",
              "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            ],
            "sequence": 4294967293
          }
        ],
        "vout": [
          {
            "value": 10.00000000,
            "n": 0,
            "scriptPubKey": {
              "asm": "OP_HASH160 12fcac201d73f5b5dba0f1f22c40f02da17bb4a4 OP_EQUAL",
              "desc": "addr(2MtycqikMJfc1GfzPar2xBzBMqmfHSdGF9s)#m28s78rf",
              "hex": "a91412fcac201d73f5b5dba0f1f22c40f02da17bb4a487",
              "address": "2MtycqikMJfc1GfzPar2xBzBMqmfHSdGF9s",
              "type": "scripthash"
            }
          },
          {
            "value": 10.00000000,
            "n": 1,
            "scriptPubKey": {
              "asm": "0 9b984c7bae3efddc3a3f0a20ff81bfe89ed1fe07ff13e562149ee654bed845db",
              "desc": "addr(bcrt1qnwvyc7aw8m7acw3lpgs0lqdlaz0drls8luf72cs5nmn9f0kcghdsr03hg4)#sncal8mg",
              "hex": "00209b984c7bae3efddc3a3f0a20ff81bfe89ed1fe07ff13e562149ee654bed845db",
              "address": "bcrt1qnwvyc7aw8m7acw3lpgs0lqdlaz0drls8luf72cs5nmn9f0kcghdsr03hg4",
              "type": "witness_v0_scripthash"
            }
          },
          {
            "value": 10.00000000,
            "n": 2,
            "scriptPubKey": {
              "asm": "OP_DUP OP_HASH160 06afd46bcdfd22ef94ac122aa11f241244a37ecc OP_EQUALVERIFY OP_CHECKSIG",
              "desc": "addr(mg8Jz5776UdyiYcBb9Z873NTozEiADRW5H)#5rzt2ktu",
              "hex": "76a91406afd46bcdfd22ef94ac122aa11f241244a37ecc88ac",
              "address": "mg8Jz5776UdyiYcBb9Z873NTozEiADRW5H",
              "type": "pubkeyhash"
            }
          },
          {
            "value": 5.00000000,
            "n": 3,
            "scriptPubKey": {
              "asm": "OP_HASH160 978a0121f9a24de65a13bab0c43c3a48be074eae OP_EQUAL",
              "desc": "addr(2N74VLxyT79VGHiBK2zEg3a9HJG7rEc5F3o)#e0qrelx0",
              "hex": "a914978a0121f9a24de65a13bab0c43c3a48be074eae87",
              "address": "2N74VLxyT79VGHiBK2zEg3a9HJG7rEc5F3o",
              "type": "scripthash"
            }
          },
          {
            "value": 5.00000000,
            "n": 4,
            "scriptPubKey": {
              "asm": "1 c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
              "desc": "rawtr(c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)#cvz0lhrd",
              "hex": "5120c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
              "address": "bcrt1pccz8l9zpa47k6vz9gphftsrumpw80rjt3nhnefat4symjhrsnmjsgkm3r6",
              "type": "witness_v1_taproot"
            }
          },
          {
            "value": 9.99900000,
            "n": 5,
            "scriptPubKey": {
              "asm": "0 751e76e8199196d454941c45d1b3a323f1433bd6",
              "desc": "addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)#8pk5s7ya",
              "hex": "0014751e76e8199196d454941c45d1b3a323f1433bd6",
              "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
              "type": "witness_v0_keyhash"
            }
          }
        ]
      },
      "partial_signatures": {
        "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5": "304402201bf252b49bdef89f92628fba025d0f64894f531f8ceef1012abfe3213ab28e2102204d04a4f35ebc66d76ae65913cbf3c8d67e852f9b3b9e24843c8e77005da0522701"
      }
    },
    {
      "witness_utxo": {
        "amount": 5.00000000,
        "scriptPubKey": {
          "asm": "OP_HASH160 978a0121f9a24de65a13bab0c43c3a48be074eae OP_EQUAL",
          "desc": "addr(2N74VLxyT79VGHiBK2zEg3a9HJG7rEc5F3o)#e0qrelx0",
          "hex": "a914978a0121f9a24de65a13bab0c43c3a48be074eae87",
          "address": "2N74VLxyT79VGHiBK2zEg3a9HJG7rEc5F3o",
          "type": "scripthash"
        }
      },
      "partial_signatures": {
        "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5": "30440220407a72ff77962588f245a4b040cb83150f2900477134207b4de0774ea3d1589302205918fb68b2018fbb78611b6e291a2f8fc4de71959818fab3357a94502baacd5801"
      },
      "redeem_script": {
        "asm": "0 06afd46bcdfd22ef94ac122aa11f241244a37ecc",
        "hex": "001406afd46bcdfd22ef94ac122aa11f241244a37ecc",
        "type": "witness_v0_keyhash"
      }
    },
    {
      "witness_utxo": {
        "amount": 5.00000000,
        "scriptPubKey": {
          "asm": "1 c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
          "desc": "rawtr(c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)#cvz0lhrd",
          "hex": "5120c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
          "address": "bcrt1pccz8l9zpa47k6vz9gphftsrumpw80rjt3nhnefat4symjhrsnmjsgkm3r6",
          "type": "witness_v1_taproot"
        }
      },
      "taproot_key_path_sig": "68fc4b748ca4af910cad04e0ad766eb0646db8b3031dc8afd58a5ff19e538ce4757bc68c750282643102963f7ff1645120314dd5bd5baca313b9ea8770f34678"
    }
  ],
  "outputs": [
    {}
  ],
  "fee": 0.01000000
}"#;
/// Core's answer: CORE_THREE_ANALYZE_SIGNED.
const CORE_THREE_ANALYZE_SIGNED: &str = r#"{
  "inputs": [
    {
      "has_utxo": true,
      "is_final": false,
      "next": "finalizer"
    },
    {
      "has_utxo": true,
      "is_final": false,
      "next": "finalizer"
    },
    {
      "has_utxo": true,
      "is_final": false,
      "next": "finalizer"
    }
  ],
  "fee": 0.01000000,
  "next": "finalizer"
}"#;
/// Core's answer: CORE_THREE_FINALIZED.
const CORE_THREE_FINALIZED: &str = r#"{
  "psbt": "cHNidP8BAKQCAAAAA1m0IrGgLx6aN2+ANATcYyowOdVRkPE/AGPjHu6J3gmJAgAAAAD9////WbQisaAvHpo3b4A0BNxjKjA51VGQ8T8AY+Me7oneCYkDAAAAAP3///9ZtCKxoC8emjdvgDQE3GMqMDnVUZDxPwBj4x7uid4JiQQAAAAA/f///wHAUSZ3AAAAABYAFHUedugZkZbUVJQcRdGzoyPxQzvWAAAAAAABAP0KAQIAAAABvrYvwAJZe4tfi5LWzvZkTt+5PyGF5icthu8rV2it3A4AAAAAAP3///8GAMqaOwAAAAAXqRQS/KwgHXP1tdug8fIsQPAtoXu0pIcAypo7AAAAACIAIJuYTHuuPv3cOj8KIP+Bv+ie0f4H/xPlYhSe5lS+2EXbAMqaOwAAAAAZdqkUBq/Ua839Iu+UrBIqoR8kEkSjfsyIrABlzR0AAAAAF6kUl4oBIfmiTeZaE7qwxDw6SL4HTq6HAGXNHQAAAAAiUSDGBH+UQe19bTBFQG6VwHzYXHeOS4zvPKerrAm5XHCe5WBDmTsAAAAAFgAUdR526BmRltRUlBxF0bOjI/FDO9YAAAAAAQdqRzBEAiAb8lK0m974n5Jij7oCXQ9kiU9TH4zu8QEqv+MhOrKOIQIgTQSk8168Ztdq5lkTy/PI1n6FL5s7niSEPI53AF2gUicBIQLGBH+UQe19bTBFQG6VwHzYXHeOS4zvPKerrAm5XHCe5QABASAAZc0dAAAAABepFJeKASH5ok3mWhO6sMQ8Oki+B06uhwEHFxYAFAav1GvN/SLvlKwSKqEfJBJEo37MAQhrAkcwRAIgQHpy/3eWJYjyRaSwQMuDFQ8pAEdxNCB7TeB3TqPRWJMCIFkY+2iyAY+7eGEbbikaL4/E3nGVmBj6szV6lFArqs1YASECxgR/lEHtfW0wRUBulcB82Fx3jkuM7zynq6wJuVxwnuUAAQErAGXNHQAAAAAiUSDGBH+UQe19bTBFQG6VwHzYXHeOS4zvPKerrAm5XHCe5QEIQgFAaPxLdIykr5EMrQTgrXZusGRtuLMDHciv1Ypf8Z5TjOR1e8aMdQKCZDEClj9/8WRRIDFN1b1brKMTueqHcPNGeAAA",
  "complete": true
}"#;
/// Core's answer: CORE_THREE_DECODE_FINALIZED.
const CORE_THREE_DECODE_FINALIZED: &str = r#"{
  "tx": {
    "txid": "1d970a2401862ad1bc6d04a4af10fdfc0b3406f26266f661a777b17ca7b80d14",
    "hash": "1d970a2401862ad1bc6d04a4af10fdfc0b3406f26266f661a777b17ca7b80d14",
    "version": 2,
    "size": 164,
    "vsize": 164,
    "weight": 656,
    "locktime": 0,
    "vin": [
      {
        "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
        "vout": 2,
        "scriptSig": {
          "asm": "",
          "hex": ""
        },
        "sequence": 4294967293
      },
      {
        "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
        "vout": 3,
        "scriptSig": {
          "asm": "",
          "hex": ""
        },
        "sequence": 4294967293
      },
      {
        "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
        "vout": 4,
        "scriptSig": {
          "asm": "",
          "hex": ""
        },
        "sequence": 4294967293
      }
    ],
    "vout": [
      {
        "value": 19.99000000,
        "n": 0,
        "scriptPubKey": {
          "asm": "0 751e76e8199196d454941c45d1b3a323f1433bd6",
          "desc": "addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)#8pk5s7ya",
          "hex": "0014751e76e8199196d454941c45d1b3a323f1433bd6",
          "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
          "type": "witness_v0_keyhash"
        }
      }
    ]
  },
  "global_xpubs": [],
  "psbt_version": 0,
  "proprietary": [],
  "unknown": {},
  "inputs": [
    {
      "non_witness_utxo": {
        "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
        "hash": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
        "version": 2,
        "size": 266,
        "vsize": 266,
        "weight": 1064,
        "locktime": 0,
        "vin": [
          {
            "txid": "0edcad68572bef862d27e685213fb9df4e64f6ced6928b5f8b7b5902c02fb6be",
            "vout": 0,
            "scriptSig": {
              "asm": "",
              "hex": ""
            },
            "sequence": 4294967293
          }
        ],
        "vout": [
          {
            "value": 10.00000000,
            "n": 0,
            "scriptPubKey": {
              "asm": "OP_HASH160 12fcac201d73f5b5dba0f1f22c40f02da17bb4a4 OP_EQUAL",
              "desc": "addr(2MtycqikMJfc1GfzPar2xBzBMqmfHSdGF9s)#m28s78rf",
              "hex": "a91412fcac201d73f5b5dba0f1f22c40f02da17bb4a487",
              "address": "2MtycqikMJfc1GfzPar2xBzBMqmfHSdGF9s",
              "type": "scripthash"
            }
          },
          {
            "value": 10.00000000,
            "n": 1,
            "scriptPubKey": {
              "asm": "0 9b984c7bae3efddc3a3f0a20ff81bfe89ed1fe07ff13e562149ee654bed845db",
              "desc": "addr(bcrt1qnwvyc7aw8m7acw3lpgs0lqdlaz0drls8luf72cs5nmn9f0kcghdsr03hg4)#sncal8mg",
              "hex": "00209b984c7bae3efddc3a3f0a20ff81bfe89ed1fe07ff13e562149ee654bed845db",
              "address": "bcrt1qnwvyc7aw8m7acw3lpgs0lqdlaz0drls8luf72cs5nmn9f0kcghdsr03hg4",
              "type": "witness_v0_scripthash"
            }
          },
          {
            "value": 10.00000000,
            "n": 2,
            "scriptPubKey": {
              "asm": "OP_DUP OP_HASH160 06afd46bcdfd22ef94ac122aa11f241244a37ecc OP_EQUALVERIFY OP_CHECKSIG",
              "desc": "addr(mg8Jz5776UdyiYcBb9Z873NTozEiADRW5H)#5rzt2ktu",
              "hex": "76a91406afd46bcdfd22ef94ac122aa11f241244a37ecc88ac",
              "address": "mg8Jz5776UdyiYcBb9Z873NTozEiADRW5H",
              "type": "pubkeyhash"
            }
          },
          {
            "value": 5.00000000,
            "n": 3,
            "scriptPubKey": {
              "asm": "OP_HASH160 978a0121f9a24de65a13bab0c43c3a48be074eae OP_EQUAL",
              "desc": "addr(2N74VLxyT79VGHiBK2zEg3a9HJG7rEc5F3o)#e0qrelx0",
              "hex": "a914978a0121f9a24de65a13bab0c43c3a48be074eae87",
              "address": "2N74VLxyT79VGHiBK2zEg3a9HJG7rEc5F3o",
              "type": "scripthash"
            }
          },
          {
            "value": 5.00000000,
            "n": 4,
            "scriptPubKey": {
              "asm": "1 c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
              "desc": "rawtr(c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)#cvz0lhrd",
              "hex": "5120c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
              "address": "bcrt1pccz8l9zpa47k6vz9gphftsrumpw80rjt3nhnefat4symjhrsnmjsgkm3r6",
              "type": "witness_v1_taproot"
            }
          },
          {
            "value": 9.99900000,
            "n": 5,
            "scriptPubKey": {
              "asm": "0 751e76e8199196d454941c45d1b3a323f1433bd6",
              "desc": "addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)#8pk5s7ya",
              "hex": "0014751e76e8199196d454941c45d1b3a323f1433bd6",
              "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
              "type": "witness_v0_keyhash"
            }
          }
        ]
      },
      "final_scriptSig": {
        "asm": "304402201bf252b49bdef89f92628fba025d0f64894f531f8ceef1012abfe3213ab28e2102204d04a4f35ebc66d76ae65913cbf3c8d67e852f9b3b9e24843c8e77005da05227[ALL] 02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
        "hex": "47304402201bf252b49bdef89f92628fba025d0f64894f531f8ceef1012abfe3213ab28e2102204d04a4f35ebc66d76ae65913cbf3c8d67e852f9b3b9e24843c8e77005da05227012102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"
      }
    },
    {
      "witness_utxo": {
        "amount": 5.00000000,
        "scriptPubKey": {
          "asm": "OP_HASH160 978a0121f9a24de65a13bab0c43c3a48be074eae OP_EQUAL",
          "desc": "addr(2N74VLxyT79VGHiBK2zEg3a9HJG7rEc5F3o)#e0qrelx0",
          "hex": "a914978a0121f9a24de65a13bab0c43c3a48be074eae87",
          "address": "2N74VLxyT79VGHiBK2zEg3a9HJG7rEc5F3o",
          "type": "scripthash"
        }
      },
      "final_scriptSig": {
        "asm": "001406afd46bcdfd22ef94ac122aa11f241244a37ecc",
        "hex": "16001406afd46bcdfd22ef94ac122aa11f241244a37ecc"
      },
      "final_scriptwitness": [
        "30440220407a72ff77962588f245a4b040cb83150f2900477134207b4de0774ea3d1589302205918fb68b2018fbb78611b6e291a2f8fc4de71959818fab3357a94502baacd5801",
        "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"
      ]
    },
    {
      "witness_utxo": {
        "amount": 5.00000000,
        "scriptPubKey": {
          "asm": "1 c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
          "desc": "rawtr(c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)#cvz0lhrd",
          "hex": "5120c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
          "address": "bcrt1pccz8l9zpa47k6vz9gphftsrumpw80rjt3nhnefat4symjhrsnmjsgkm3r6",
          "type": "witness_v1_taproot"
        }
      },
      "final_scriptwitness": [
        "68fc4b748ca4af910cad04e0ad766eb0646db8b3031dc8afd58a5ff19e538ce4757bc68c750282643102963f7ff1645120314dd5bd5baca313b9ea8770f34678"
      ]
    }
  ],
  "outputs": [
    {}
  ],
  "fee": 0.01000000
}"#;
/// Core's answer: CORE_THREE_EXTRACTED.
const CORE_THREE_EXTRACTED: &str = r#"{
  "hex": "0200000000010359b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de0989020000006a47304402201bf252b49bdef89f92628fba025d0f64894f531f8ceef1012abfe3213ab28e2102204d04a4f35ebc66d76ae65913cbf3c8d67e852f9b3b9e24843c8e77005da05227012102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5fdffffff59b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de0989030000001716001406afd46bcdfd22ef94ac122aa11f241244a37eccfdffffff59b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890400000000fdffffff01c051267700000000160014751e76e8199196d454941c45d1b3a323f1433bd600024730440220407a72ff77962588f245a4b040cb83150f2900477134207b4de0774ea3d1589302205918fb68b2018fbb78611b6e291a2f8fc4de71959818fab3357a94502baacd58012102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5014068fc4b748ca4af910cad04e0ad766eb0646db8b3031dc8afd58a5ff19e538ce4757bc68c750282643102963f7ff1645120314dd5bd5baca313b9ea8770f3467800000000",
  "complete": true
}"#;
/// Core's answer: CORE_UNKNOWN_INPUT.
const CORE_UNKNOWN_INPUT: &str = r#"{
  "hex": "020000000159b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890100000000fdffffff01c022be1d00000000160014751e76e8199196d454941c45d1b3a323f1433bd600000000",
  "complete": false,
  "errors": [
    {
      "txid": "8909de89ee1ee363003ff19051d539302a63dc0434806f379a1e2fa0b122b459",
      "vout": 1,
      "witness": [],
      "scriptSig": "",
      "sequence": 4294967293,
      "error": "Input not found or already spent"
    }
  ]
}"#;
/// Core's answer: CORE_THREE_COMBINED.
const CORE_THREE_COMBINED: &str = "0200000000010359b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de0989020000006a47304402201bf252b49bdef89f92628fba025d0f64894f531f8ceef1012abfe3213ab28e2102204d04a4f35ebc66d76ae65913cbf3c8d67e852f9b3b9e24843c8e77005da05227012102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5fdffffff59b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de0989030000001716001406afd46bcdfd22ef94ac122aa11f241244a37eccfdffffff59b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890400000000fdffffff01c051267700000000160014751e76e8199196d454941c45d1b3a323f1433bd600024730440220407a72ff77962588f245a4b040cb83150f2900477134207b4de0774ea3d1589302205918fb68b2018fbb78611b6e291a2f8fc4de71959818fab3357a94502baacd58012102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee50000000000";
/// Core's answer: CORE_TAP_FUNDING.
const CORE_TAP_FUNDING: &str = r#"{
  "hex": "0200000000010159b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890500000000fdffffff01c0878b3b00000000225120456b959d3ad02729d12d7df9a6ce66f2f02043fb5c5b61071897c59414a1842e0247304402207faf0f17e7d66d3cf9ad09cb0ca181a6df38c044cc440110a26cf1964a73e45b02202566c005c171d158e4721a2aac0851e4c493be6dd41cb116ef285e0e90f9135401210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179800000000",
  "complete": true
}"#;
/// Core's answer: CORE_TAP_DECODE.
const CORE_TAP_DECODE: &str = r#"{
  "tx": {
    "txid": "599ddc72d69111dc663a7aa3ef2f863cdcc6da72467d660541f2cb1d096911ea",
    "hash": "599ddc72d69111dc663a7aa3ef2f863cdcc6da72467d660541f2cb1d096911ea",
    "version": 2,
    "size": 82,
    "vsize": 82,
    "weight": 328,
    "locktime": 0,
    "vin": [
      {
        "txid": "a80047b5dd8e394a3321509f042e323ed55e7031b5bc1579a2fd9f9a4a2e8034",
        "vout": 0,
        "scriptSig": {
          "asm": "",
          "hex": ""
        },
        "sequence": 4294967293
      }
    ],
    "vout": [
      {
        "value": 9.98000000,
        "n": 0,
        "scriptPubKey": {
          "asm": "0 751e76e8199196d454941c45d1b3a323f1433bd6",
          "desc": "addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)#8pk5s7ya",
          "hex": "0014751e76e8199196d454941c45d1b3a323f1433bd6",
          "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
          "type": "witness_v0_keyhash"
        }
      }
    ]
  },
  "global_xpubs": [],
  "psbt_version": 0,
  "proprietary": [],
  "unknown": {},
  "inputs": [
    {
      "witness_utxo": {
        "amount": 9.99000000,
        "scriptPubKey": {
          "asm": "1 456b959d3ad02729d12d7df9a6ce66f2f02043fb5c5b61071897c59414a1842e",
          "desc": "rawtr(456b959d3ad02729d12d7df9a6ce66f2f02043fb5c5b61071897c59414a1842e)#jljmjr8w",
          "hex": "5120456b959d3ad02729d12d7df9a6ce66f2f02043fb5c5b61071897c59414a1842e",
          "address": "bcrt1pg44et8f66qnjn5fd0hu6dnnx7tczqslmt3dkzpccjlzeg99psshqfkkdep",
          "type": "witness_v1_taproot"
        }
      },
      "taproot_script_path_sigs": [
        {
          "pubkey": "c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
          "leaf_hash": "ab11b8ce98a88b0dccf33a8144f90266dd8228b9fec6fa0cc0f7d4c0a28b8977",
          "sig": "8703cc53c9844c19912bc5140c6c103139292a67d0be60bc3dec9a185fc36986e473315bfbac52025667bd896380229d643bf50f1fadcce9674a4192050fd26a"
        }
      ],
      "taproot_scripts": [
        {
          "script": "20c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5ac",
          "leaf_ver": 192,
          "control_blocks": [
            "c179be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
          ]
        }
      ],
      "taproot_internal_key": "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
      "taproot_merkle_root": "ab11b8ce98a88b0dccf33a8144f90266dd8228b9fec6fa0cc0f7d4c0a28b8977"
    }
  ],
  "outputs": [
    {}
  ],
  "fee": 0.01000000
}"#;
/// Core's answer: CORE_TAP_ANALYZE.
const CORE_TAP_ANALYZE: &str = r#"{
  "inputs": [
    {
      "has_utxo": true,
      "is_final": false,
      "next": "finalizer"
    }
  ],
  "fee": 0.01000000,
  "next": "finalizer"
}"#;
/// Core's answer: CORE_TAP_EXTRACTED.
const CORE_TAP_EXTRACTED: &str = r#"{
  "hex": "0200000000010134802e4a9a9ffda27915bcb531705ed53e322e049f5021334a398eddb54700a80000000000fdffffff0180457c3b00000000160014751e76e8199196d454941c45d1b3a323f1433bd603408703cc53c9844c19912bc5140c6c103139292a67d0be60bc3dec9a185fc36986e473315bfbac52025667bd896380229d643bf50f1fadcce9674a4192050fd26a2220c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5ac21c179be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179800000000",
  "complete": true
}"#;

/// `help <command>` as Core prints it.
const HELP: &[(&str, &str)] = &[
    (
        "createrawtransaction",
        r#"createrawtransaction [{"txid":"hex","vout":n,"sequence":n},...] [{"address":amount,...},{"data":"hex"},...] ( locktime replaceable version )

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
"#,
    ),
    (
        "signrawtransactionwithkey",
        r#"signrawtransactionwithkey "hexstring" ["privatekey",...] ( [{"txid":"hex","vout":n,"scriptPubKey":"hex","redeemScript":"hex","witnessScript":"hex","amount":amount},...] "sighashtype" )

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
"#,
    ),
    (
        "combinerawtransaction",
        r#"combinerawtransaction ["hexstring",...]

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
"#,
    ),
    (
        "createpsbt",
        r#"createpsbt [{"txid":"hex","vout":n,"sequence":n},...] [{"address":amount,...},{"data":"hex"},...] ( locktime replaceable version )

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
"#,
    ),
    (
        "decodepsbt",
        r#"decodepsbt "psbt"

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
"#,
    ),
    (
        "combinepsbt",
        r#"combinepsbt ["psbt",...]

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
"#,
    ),
    (
        "finalizepsbt",
        r#"finalizepsbt "psbt" ( extract )

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
"#,
    ),
    (
        "analyzepsbt",
        r#"analyzepsbt "psbt"

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
"#,
    ),
];

/// Compares an answer with Core's (`core` is JSON, or the text of a string answer).
fn check(name: &str, got: &Value, core: &str) {
    let want = if core.starts_with(['{', '[']) {
        serde_json::from_str(core).expect("Core's answers are JSON")
    } else {
        Value::String(core.to_owned())
    };
    assert_eq!(got.to_string(), want.to_string(), "{name}");
}

/// Compares an error with Core's code and whole message.
fn check_error(name: &str, got: Result<Value, RpcError>, code: i64, message: &str) {
    match got {
        Err(RpcError::Rpc {
            code: c,
            message: m,
            ..
        }) => {
            assert_eq!((c, m.as_str()), (code, message), "{name}");
        }
        other => panic!("{name}: expected error {code} {message:?}, got {other:?}"),
    }
}

/// The string inside a JSON answer.
fn text(v: &Value) -> String {
    v.as_str().expect("a string answer").to_owned()
}

/// Private key `n`.
fn key(n: u8) -> SecretKey {
    let mut bytes = [0u8; 32];
    bytes[31] = n;
    SecretKey::from_slice(&bytes).expect("a small number is a valid private key")
}

/// Base64 (standard alphabet, padded), for PSBTs made here.
fn base64_encode(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Base64 decoding of what [`base64_encode`] and the node write.
fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let mut out = Vec::new();
    for chunk in s.trim_end_matches('=').as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= u32::from(value(*c)) << (18 - 6 * i);
        }
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// A PSBT the node wrote.
fn psbt_of(v: &Value) -> Psbt {
    Psbt::deserialize(&base64_decode(&text(v))).expect("the node writes valid PSBTs")
}

/// A PSBT made here, as base64.
fn psbt_base64(psbt: &Psbt) -> String {
    base64_encode(&psbt.serialize())
}

/// A transaction from hex.
fn tx_of(v: &Value) -> Transaction {
    consensus::encode::deserialize_hex(&text(v)).expect("a transaction")
}

/// The funding transaction's outputs.
fn funding_outputs() -> Value {
    json!([
        {ADDR_SH_MULTI: 10},
        {ADDR_WSH_MULTI: 10},
        {ADDR_PKH_K2: 10},
        {ADDR_SH_WPKH_K2: 5},
        {ADDR_RAWTR_K2: 5},
        {ADDR_K1: 9.999},
    ])
}

/// Mines 101 blocks to [`ADDR_K1`] at the mock time, funds the outputs of
/// [`funding_outputs`] from the coin MiniWallet gives (block 1's coinbase) and confirms
/// them; checks each step against Core. The funding transaction.
fn fund(node: &TestNode) -> anyhow::Result<Transaction> {
    node.call("setmocktime", json!([MOCKTIME]))?;
    let mut wallet = MiniWallet::new(MiniWalletMode::P2wpkh);
    wallet.generate(node, 101)?;
    let coin = wallet.get_utxo(&UtxoQuery::default())?;
    assert_eq!(coin.outpoint.txid.to_string(), COINBASE_1);
    let inputs = json!([{"txid": COINBASE_1, "vout": 0}]);
    let raw = node.call("createrawtransaction", json!([inputs, funding_outputs()]))?;
    check("createrawtransaction", &raw, CORE_FUNDING_RAW);
    let signed = node.call("signrawtransactionwithkey", json!([raw, [K2]]))?;
    check(
        "signrawtransactionwithkey K2",
        &signed,
        CORE_FUNDING_SIGNED_K2,
    );
    let signed = node.call("signrawtransactionwithkey", json!([raw, [K1]]))?;
    check(
        "signrawtransactionwithkey K1",
        &signed,
        CORE_FUNDING_SIGNED_K1,
    );
    let txid = node.call("sendrawtransaction", json!([signed["hex"]]))?;
    assert_eq!(txid, json!(FUNDING));
    node.call("generatetoaddress", json!([1, ADDR_K1]))?;
    Ok(tx_of(&signed["hex"]))
}

/// A spend of funding output `vout` to [`ADDR_K1`].
fn spend(node: &TestNode, vout: u32, value: f64) -> anyhow::Result<Value> {
    Ok(node.call(
        "createrawtransaction",
        json!([[{"txid": FUNDING, "vout": vout}], {ADDR_K1: value}]),
    )?)
}

#[test]
fn raw_transactions_are_built_signed_and_combined_as_cores() {
    TestFramework::new("raw_transactions_are_built_signed_and_combined_as_cores")
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            fund(node)?;
            // Named arguments, and the other arguments.
            let named = node.call(
                "createrawtransaction",
                json!({
                    "inputs": [{"txid": COINBASE_1, "vout": 0}],
                    "outputs": funding_outputs(),
                }),
            )?;
            check("createrawtransaction named", &named, CORE_FUNDING_RAW);
            let other = node.call(
                "createrawtransaction",
                json!([
                    [{"txid": FUNDING, "vout": 7, "sequence": 1000}, {"txid": FUNDING, "vout": 8}],
                    {"data": "00ff", ADDR_K1: "0.5"},
                    500_000,
                    false,
                    1
                ]),
            )?;
            check("createrawtransaction locktime", &other, CORE_RAW_OTHER);

            // P2SH multisig: each key signs alone (incomplete, with Core's error), the
            // halves combine, and the second key completes the first's half.
            let prevtxs = json!([{
                "txid": FUNDING, "vout": 0, "scriptPubKey": SPK_SH_MULTI, "redeemScript": MULTISIG,
            }]);
            let raw = spend(node, 0, 9.99)?;
            let a = node.call("signrawtransactionwithkey", json!([raw, [K1], prevtxs]))?;
            check("P2SH multisig, key 1", &a, CORE_SH_MULTI_K1);
            let b = node.call(
                "signrawtransactionwithkey",
                json!({"hexstring": raw, "privkeys": [K2], "prevtxs": prevtxs}),
            )?;
            check("P2SH multisig, key 2", &b, CORE_SH_MULTI_K2);
            let combined = node.call("combinerawtransaction", json!([[a["hex"], b["hex"]]]))?;
            check("combinerawtransaction", &combined, CORE_SH_MULTI_COMBINED);
            let reversed = node.call("combinerawtransaction", json!({"txs": [b["hex"], a["hex"]]}))?;
            assert_eq!(reversed, combined);
            let completed = node.call("signrawtransactionwithkey", json!([a["hex"], [K2], prevtxs]))?;
            assert_eq!(completed, json!({"hex": combined, "complete": true}));
            let txid = tx_of(&combined).compute_txid().to_string();
            assert_eq!(node.call("sendrawtransaction", json!([combined]))?, json!(txid));

            // P2WSH multisig: one key, then both; Core needs the amount.
            let prevtxs = json!([{
                "txid": FUNDING, "vout": 1, "scriptPubKey": SPK_WSH_MULTI,
                "witnessScript": MULTISIG, "amount": 10,
            }]);
            let raw = spend(node, 1, 9.99)?;
            let one = node.call("signrawtransactionwithkey", json!([raw, [K1], prevtxs]))?;
            check("P2WSH multisig, key 1", &one, CORE_WSH_MULTI_K1);
            let both = node.call("signrawtransactionwithkey", json!([raw, [K1, K2], prevtxs]))?;
            check("P2WSH multisig, both keys", &both, CORE_WSH_MULTI_BOTH);
            let mut no_amount = prevtxs.clone();
            no_amount[0].as_object_mut().expect("an object").remove("amount");
            check_error(
                "P2WSH multisig without the amount",
                node.call("signrawtransactionwithkey", json!([raw, [K1], no_amount])),
                code::TYPE_ERROR,
                "Missing amount for CTxOut(nValue=21000000.00000000, scriptPubKey=00209b984c7bae3efddc3a3f0a20ff)",
            );
            node.call("sendrawtransaction", json!([both["hex"]]))?;

            // Key 2's P2PKH, P2SH-P2WPKH and raw P2TR in one transaction, their coins
            // found in the UTXO set; SIGHASH_SINGLE signs only the input with an output.
            let raw = node.call(
                "createrawtransaction",
                json!([
                    [
                        {"txid": FUNDING, "vout": 2},
                        {"txid": FUNDING, "vout": 3},
                        {"txid": FUNDING, "vout": 4},
                    ],
                    [{ADDR_K1: 19.99}],
                ]),
            )?;
            let prevtxs = json!([{
                "txid": FUNDING, "vout": 3, "scriptPubKey": SPK_SH_WPKH_K2,
                "redeemScript": REDEEM_WPKH_K2, "amount": 5,
            }]);
            let single = node.call(
                "signrawtransactionwithkey",
                json!([raw, [K2], prevtxs, "SINGLE"]),
            )?;
            check("three inputs, SIGHASH_SINGLE", &single, CORE_THREE_SINGLE);
            let signed = node.call("signrawtransactionwithkey", json!([raw, [K2], prevtxs]))?;
            check("three inputs", &signed, CORE_THREE_SIGNED);
            // Combining keeps what verifies without every spent output: not the taproot
            // key path signature, which Core's combiner drops.
            let alone = node.call("combinerawtransaction", json!([[signed["hex"]]]))?;
            check("combinerawtransaction, three inputs", &alone, CORE_THREE_COMBINED);
            node.call("sendrawtransaction", json!([signed["hex"]]))?;
            node.call("generatetoaddress", json!([1, ADDR_K1]))?;

            // Spent now: Core's per-input error, and combinerawtransaction's refusal.
            let again = node.call("signrawtransactionwithkey", json!([raw, [K2], prevtxs]))?;
            check("three inputs, spent", &again, CORE_THREE_SPENT);
            check_error(
                "combinerawtransaction of spent inputs",
                node.call("combinerawtransaction", json!([[raw]])),
                code::VERIFY_ERROR,
                "Input not found or already spent",
            );
            Ok(())
        });
}

/// Key `n`'s signature of `psbt`'s input `index`, a P2WSH or P2WPKH spend with script
/// code `code` of an output of `value` (BIP143, SIGHASH_ALL), made with rust-bitcoin.
fn segwit_sig(
    secp: &Secp256k1<All>,
    psbt: &Psbt,
    index: usize,
    code: &ScriptBuf,
    value: Amount,
    n: u8,
) -> (PublicKey, ecdsa::Signature) {
    let hash = SighashCache::new(&psbt.unsigned_tx)
        .p2wsh_signature_hash(index, code, value, EcdsaSighashType::All)
        .expect("the input exists");
    let signature = secp.sign_ecdsa_low_r(&Message::from_digest(hash.to_byte_array()), &key(n));
    (
        PublicKey::new(key(n).public_key(secp)),
        ecdsa::Signature {
            signature,
            sighash_type: EcdsaSighashType::All,
        },
    )
}

#[test]
fn psbts_are_created_combined_finalized_and_analyzed_as_cores() {
    TestFramework::new("psbts_are_created_combined_finalized_and_analyzed_as_cores")
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            let funding = fund(node)?;
            let secp = Secp256k1::new();
            let multisig = ScriptBuf::from_hex(MULTISIG)?;

            // P2WSH multisig: the creator's PSBT, then one PSBT per key made here.
            let blank = node.call(
                "createpsbt",
                json!([[{"txid": FUNDING, "vout": 1}], [{ADDR_K1: 9.99}]]),
            )?;
            check("createpsbt", &blank, CORE_WSH_CREATEPSBT);
            let named = node.call(
                "createpsbt",
                json!({"inputs": [{"txid": FUNDING, "vout": 1}], "outputs": {ADDR_K1: 9.99}}),
            )?;
            assert_eq!(named, blank);
            check(
                "decodepsbt, blank",
                &node.call("decodepsbt", json!([blank]))?,
                CORE_WSH_DECODE_BLANK,
            );
            check(
                "analyzepsbt, blank",
                &node.call("analyzepsbt", json!([blank]))?,
                CORE_WSH_ANALYZE_BLANK,
            );
            let half = |n: u8| {
                let mut psbt = psbt_of(&blank);
                let value = Amount::from_int_btc(10);
                psbt.inputs[0].witness_utxo = Some(TxOut {
                    value,
                    script_pubkey: multisig.to_p2wsh(),
                });
                psbt.inputs[0].witness_script = Some(multisig.clone());
                let (pk, sig) = segwit_sig(&secp, &psbt, 0, &multisig, value, n);
                psbt.inputs[0].partial_sigs.insert(pk, sig);
                psbt_base64(&psbt)
            };
            let (a, b) = (half(1), half(2));
            check(
                "decodepsbt, key 1's half",
                &node.call("decodepsbt", json!([a]))?,
                CORE_WSH_DECODE_A,
            );
            check(
                "analyzepsbt, key 1's half",
                &node.call("analyzepsbt", json!([a]))?,
                CORE_WSH_ANALYZE_A,
            );
            check(
                "finalizepsbt, key 1's half",
                &node.call("finalizepsbt", json!([a]))?,
                CORE_WSH_FINALIZE_A,
            );
            let combined = node.call("combinepsbt", json!([[a, b]]))?;
            check("combinepsbt", &combined, CORE_WSH_COMBINED);
            assert_eq!(node.call("combinepsbt", json!({"txs": [b, a]}))?, combined);
            check(
                "decodepsbt, combined",
                &node.call("decodepsbt", json!([combined]))?,
                CORE_WSH_DECODE_COMBINED,
            );
            check(
                "analyzepsbt, combined",
                &node.call("analyzepsbt", json!([combined]))?,
                CORE_WSH_ANALYZE_COMBINED,
            );
            let finalized = node.call("finalizepsbt", json!([combined, false]))?;
            check(
                "finalizepsbt, not extracted",
                &finalized,
                CORE_WSH_FINALIZED,
            );
            check(
                "analyzepsbt, finalized",
                &node.call("analyzepsbt", json!([finalized["psbt"]]))?,
                CORE_WSH_ANALYZE_FINALIZED,
            );
            let extracted = node.call("finalizepsbt", json!([combined]))?;
            check("finalizepsbt", &extracted, CORE_WSH_EXTRACTED);
            assert_eq!(
                node.call(
                    "finalizepsbt",
                    json!({"psbt": finalized["psbt"], "extract": true})
                )?,
                extracted
            );
            let tx = tx_of(&extracted["hex"]);
            assert_eq!(
                node.call("sendrawtransaction", json!([extracted["hex"]]))?,
                json!(tx.compute_txid().to_string())
            );

            // Key 2's P2PKH (with the whole funding transaction), P2SH-P2WPKH and raw
            // P2TR (with their outputs): updated, signed here, finalized.
            let blank = node.call(
                "createpsbt",
                json!([
                    [
                        {"txid": FUNDING, "vout": 2},
                        {"txid": FUNDING, "vout": 3},
                        {"txid": FUNDING, "vout": 4},
                    ],
                    {ADDR_K1: 19.99},
                    0,
                    true,
                    2
                ]),
            )?;
            check("createpsbt, three inputs", &blank, CORE_THREE_CREATEPSBT);
            let mut psbt = psbt_of(&blank);
            let redeem = ScriptBuf::from_hex(REDEEM_WPKH_K2)?;
            psbt.inputs[0].non_witness_utxo = Some(funding.clone());
            psbt.inputs[1].witness_utxo = Some(funding.output[3].clone());
            psbt.inputs[1].redeem_script = Some(redeem.clone());
            psbt.inputs[2].witness_utxo = Some(funding.output[4].clone());
            let updated = psbt_base64(&psbt);
            check(
                "analyzepsbt, updated",
                &node.call("analyzepsbt", json!([updated]))?,
                CORE_THREE_ANALYZE_UPDATED,
            );
            check(
                "finalizepsbt, updated",
                &node.call("finalizepsbt", json!([updated]))?,
                CORE_THREE_FINALIZE_UPDATED,
            );
            // P2PKH: a legacy signature.
            let code = funding.output[2].script_pubkey.clone();
            let hash = SighashCache::new(&psbt.unsigned_tx).legacy_signature_hash(0, &code, 1)?;
            psbt.inputs[0].partial_sigs.insert(
                PublicKey::new(key(2).public_key(&secp)),
                ecdsa::Signature {
                    signature: secp
                        .sign_ecdsa_low_r(&Message::from_digest(hash.to_byte_array()), &key(2)),
                    sighash_type: EcdsaSighashType::All,
                },
            );
            // P2SH-P2WPKH: BIP143 with the P2PKH script code of the key hash.
            let code = redeem.p2wpkh_script_code().expect("a P2WPKH script");
            let (pk, sig) = segwit_sig(&secp, &psbt, 1, &code, Amount::from_int_btc(5), 2);
            psbt.inputs[1].partial_sigs.insert(pk, sig);
            // Raw P2TR: a key path signature by the untweaked key.
            let spent: Vec<TxOut> = funding.output[2..5].to_vec();
            let hash = SighashCache::new(&psbt.unsigned_tx).taproot_key_spend_signature_hash(
                2,
                &Prevouts::All(&spent),
                TapSighashType::Default,
            )?;
            let keypair = Keypair::from_secret_key(&secp, &key(2));
            psbt.inputs[2].tap_key_sig = Some(taproot::Signature {
                signature: secp.sign_schnorr_no_aux_rand(
                    &Message::from_digest(hash.to_byte_array()),
                    &keypair,
                ),
                sighash_type: TapSighashType::Default,
            });
            let signed = psbt_base64(&psbt);
            check(
                "decodepsbt, three signed",
                &node.call("decodepsbt", json!([signed]))?,
                CORE_THREE_DECODE_SIGNED,
            );
            check(
                "analyzepsbt, three signed",
                &node.call("analyzepsbt", json!([signed]))?,
                CORE_THREE_ANALYZE_SIGNED,
            );
            let finalized = node.call("finalizepsbt", json!([signed, false]))?;
            check(
                "finalizepsbt, three signed",
                &finalized,
                CORE_THREE_FINALIZED,
            );
            check(
                "decodepsbt, three finalized",
                &node.call("decodepsbt", json!([finalized["psbt"]]))?,
                CORE_THREE_DECODE_FINALIZED,
            );
            let extracted = node.call("finalizepsbt", json!([signed]))?;
            check(
                "finalizepsbt, three extracted",
                &extracted,
                CORE_THREE_EXTRACTED,
            );
            node.call("sendrawtransaction", json!([extracted["hex"]]))?;

            // A taproot script path: key 2's signature in the leaf `<key 2> OP_CHECKSIG`
            // of an output whose internal key is key 1's, funded by the change.
            let internal = key(1).x_only_public_key(&secp).0;
            let (x2, _) = key(2).x_only_public_key(&secp);
            let leaf = ScriptBuf::builder()
                .push_slice(x2.serialize())
                .push_opcode(OP_CHECKSIG)
                .into_script();
            let info = TaprootBuilder::new()
                .add_leaf(0, leaf.clone())
                .expect("one leaf at depth 0")
                .finalize(&secp, internal)
                .expect("a tree of one leaf is complete");
            let control = info
                .control_block(&(leaf.clone(), LeafVersion::TapScript))
                .expect("the leaf is in the tree");
            let address = Address::p2tr_tweaked(info.output_key(), KnownHrp::Regtest);
            let raw = node.call(
                "createrawtransaction",
                json!([[{"txid": FUNDING, "vout": 5}], {address.to_string(): 9.99}]),
            )?;
            let funded = node.call("signrawtransactionwithkey", json!([raw, [K1]]))?;
            check("taproot funding", &funded, CORE_TAP_FUNDING);
            let funded = tx_of(&funded["hex"]);
            node.call("sendrawtransaction", json!([tx_hex(&funded)]))?;
            node.call("generatetoaddress", json!([1, ADDR_K1]))?;
            let blank = node.call(
                "createpsbt",
                json!([[{"txid": funded.compute_txid().to_string(), "vout": 0}], {ADDR_K1: 9.98}]),
            )?;
            let mut psbt = psbt_of(&blank);
            let utxo = funded.output[0].clone();
            psbt.inputs[0].witness_utxo = Some(utxo.clone());
            psbt.inputs[0].tap_internal_key = Some(internal);
            psbt.inputs[0].tap_merkle_root = info.merkle_root();
            psbt.inputs[0]
                .tap_scripts
                .insert(control, (leaf.clone(), LeafVersion::TapScript));
            let leaf_hash = TapLeafHash::from_script(&leaf, LeafVersion::TapScript);
            let hash = SighashCache::new(&psbt.unsigned_tx).taproot_script_spend_signature_hash(
                0,
                &Prevouts::All(&[utxo]),
                leaf_hash,
                TapSighashType::Default,
            )?;
            let keypair = Keypair::from_secret_key(&secp, &key(2));
            psbt.inputs[0].tap_script_sigs.insert(
                (x2, leaf_hash),
                taproot::Signature {
                    signature: secp.sign_schnorr_no_aux_rand(
                        &Message::from_digest(hash.to_byte_array()),
                        &keypair,
                    ),
                    sighash_type: TapSighashType::Default,
                },
            );
            let signed = psbt_base64(&psbt);
            check(
                "decodepsbt, script path",
                &node.call("decodepsbt", json!([signed]))?,
                CORE_TAP_DECODE,
            );
            // Core estimates no size here: its dummy pass cannot verify the final witness
            // without the spent outputs.
            check(
                "analyzepsbt, script path",
                &node.call("analyzepsbt", json!([signed]))?,
                CORE_TAP_ANALYZE,
            );
            let extracted = node.call("finalizepsbt", json!([signed]))?;
            check("finalizepsbt, script path", &extracted, CORE_TAP_EXTRACTED);
            node.call("sendrawtransaction", json!([extracted["hex"]]))?;
            Ok(())
        });
}

/// `(method, params, code, message)`: what Core refuses, and how.
fn refusals() -> Vec<(&'static str, Value, i64, String)> {
    let txid = FUNDING;
    let psbt = "cHNidP8BAFICAAAAAVm0IrGgLx6aN2+ANATcYyowOdVRkPE/AGPjHu6J3gmJAQAAAAD9////AcCHizsAAAAAFgAUdR526BmRltRUlBxF0bOjI/FDO9YAAAAAAAAA";
    let other_psbt =
        "cHNidP8BADUCAAAAAAIA4fUFAAAAABYAFHUedugZkZbUVJQcRdGzoyPxQzvWAAAAAAAAAAADagEAAAAAAAAAAA==";
    let raw = "020000000159b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890100000000fdffffff01c022be1d00000000160014751e76e8199196d454941c45d1b3a323f1433bd600000000";
    let wrong = |pos: usize, name: &str, actual: &str, expected: &str| {
        format!(
            "Wrong type passed:\n{{\n    \"Position {pos} ({name})\": \"JSON value of type {actual} is not of expected type {expected}\"\n}}"
        )
    };
    let input = json!([{"txid": txid, "vout": 0}]);
    vec![
        (
            "createrawtransaction",
            json!(["x", []]),
            code::TYPE_ERROR,
            wrong(1, "inputs", "string", "array"),
        ),
        (
            "createrawtransaction",
            json!([[], [], "0"]),
            code::TYPE_ERROR,
            wrong(3, "locktime", "string", "number"),
        ),
        (
            "createrawtransaction",
            json!([[1], []]),
            code::TYPE_ERROR,
            "JSON value of type number is not of expected type object".into(),
        ),
        (
            "createrawtransaction",
            json!([[{"txid": 1}], []]),
            code::TYPE_ERROR,
            "JSON value of type number is not of expected type string".into(),
        ),
        (
            "createrawtransaction",
            json!([[{"txid": "zz", "vout": 0}], []]),
            code::INVALID_PARAMETER,
            "txid must be of length 64 (not 2, for 'zz')".into(),
        ),
        (
            "createrawtransaction",
            json!([[{"txid": format!("{}g", &txid[..63]), "vout": 0}], []]),
            code::INVALID_PARAMETER,
            format!("txid must be hexadecimal string (not '{}g')", &txid[..63]),
        ),
        (
            "createrawtransaction",
            json!([[{"txid": txid}], []]),
            code::INVALID_PARAMETER,
            "Invalid parameter, missing vout key".into(),
        ),
        (
            "createrawtransaction",
            json!([[{"txid": txid, "vout": 1.5}], []]),
            code::MISC_ERROR,
            "JSON integer out of range".into(),
        ),
        (
            "createrawtransaction",
            json!([[{"txid": txid, "vout": -1}], []]),
            code::INVALID_PARAMETER,
            "Invalid parameter, vout cannot be negative".into(),
        ),
        (
            "createrawtransaction",
            json!([[{"txid": txid, "vout": 0, "sequence": 4_294_967_296_u64}], []]),
            code::INVALID_PARAMETER,
            "Invalid parameter, sequence number is out of range".into(),
        ),
        (
            "createrawtransaction",
            json!([[{"txid": txid, "vout": 0, "sequence": 4_294_967_295_u64}], [], 0, true]),
            code::INVALID_PARAMETER,
            "Invalid parameter combination: Sequence number(s) contradict replaceable option"
                .into(),
        ),
        (
            "createrawtransaction",
            json!([input, null]),
            code::INVALID_PARAMETER,
            "Invalid parameter, output argument must be non-null".into(),
        ),
        (
            "createrawtransaction",
            json!([input, 5]),
            code::TYPE_ERROR,
            "JSON value of type number is not of expected type array".into(),
        ),
        (
            "createrawtransaction",
            json!([input, [5]]),
            code::INVALID_PARAMETER,
            "Invalid parameter, key-value pair not an object as expected".into(),
        ),
        (
            "createrawtransaction",
            json!([input, [{ADDR_K1: 1, "data": "00"}]]),
            code::INVALID_PARAMETER,
            "Invalid parameter, key-value pair must contain exactly one key".into(),
        ),
        (
            "createrawtransaction",
            json!([input, [{"data": "00"}, {"data": "01"}]]),
            code::INVALID_PARAMETER,
            "Invalid parameter, duplicate key: data".into(),
        ),
        (
            "createrawtransaction",
            json!([input, [{"data": "0"}]]),
            code::INVALID_PARAMETER,
            "Data must be hexadecimal string (not '0')".into(),
        ),
        (
            "createrawtransaction",
            json!([input, [{ADDR_K1: 1}, {ADDR_K1: 2}]]),
            code::INVALID_PARAMETER,
            format!("Invalid parameter, duplicated address: {ADDR_K1}"),
        ),
        (
            "createrawtransaction",
            json!([input, {"tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx": 1}]),
            code::INVALID_ADDRESS_OR_KEY,
            "Invalid Umkoin address: tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx".into(),
        ),
        (
            "createrawtransaction",
            json!([input, {"x": "y"}]),
            code::TYPE_ERROR,
            "Invalid amount".into(),
        ),
        (
            "createrawtransaction",
            json!([input, {ADDR_K1: -1}]),
            code::TYPE_ERROR,
            "Amount out of range".into(),
        ),
        (
            "createrawtransaction",
            json!([input, {}, -1]),
            code::INVALID_PARAMETER,
            "Invalid parameter, locktime out of range".into(),
        ),
        (
            "createrawtransaction",
            json!([input, {}, 0, null, 4]),
            code::INVALID_PARAMETER,
            "Invalid parameter, version out of range(1~3)".into(),
        ),
        (
            "createpsbt",
            json!([input, {}, 0, null, -1]),
            code::MISC_ERROR,
            "JSON integer out of range".into(),
        ),
        (
            "createpsbt",
            json!([input, {}, 0, "yes"]),
            code::TYPE_ERROR,
            wrong(4, "replaceable", "string", "bool"),
        ),
        (
            "signrawtransactionwithkey",
            json!(["zz", [K1]]),
            code::DESERIALIZATION_ERROR,
            "TX decode failed. Make sure the tx has at least one input.".into(),
        ),
        (
            "signrawtransactionwithkey",
            json!([raw, K1]),
            code::TYPE_ERROR,
            wrong(2, "privkeys", "string", "array"),
        ),
        (
            "signrawtransactionwithkey",
            json!([raw, ["abc"]]),
            code::INVALID_ADDRESS_OR_KEY,
            "Invalid private key".into(),
        ),
        (
            "signrawtransactionwithkey",
            json!([raw, [1]]),
            code::TYPE_ERROR,
            "JSON value of type number is not of expected type string".into(),
        ),
        (
            "signrawtransactionwithkey",
            json!([raw, [K1], [1]]),
            code::DESERIALIZATION_ERROR,
            "expected object with {\"txid'\",\"vout\",\"scriptPubKey\"}".into(),
        ),
        (
            "signrawtransactionwithkey",
            json!([raw, [K1], [{}]]),
            code::TYPE_ERROR,
            "Missing scriptPubKey".into(),
        ),
        (
            "signrawtransactionwithkey",
            json!([raw, [K1], [{"txid": txid, "vout": "1", "scriptPubKey": "00"}]]),
            code::TYPE_ERROR,
            "JSON value of type string for field vout is not of expected type number".into(),
        ),
        (
            "signrawtransactionwithkey",
            json!([raw, [K1], [{"txid": txid, "vout": -1, "scriptPubKey": "00"}]]),
            code::DESERIALIZATION_ERROR,
            "vout cannot be negative".into(),
        ),
        (
            "signrawtransactionwithkey",
            json!([raw, [K1], [{"txid": txid, "vout": 1, "scriptPubKey": "0"}]]),
            code::INVALID_PARAMETER,
            "scriptPubKey must be hexadecimal string (not '0')".into(),
        ),
        (
            "signrawtransactionwithkey",
            json!([raw, [K1], [{"txid": txid, "vout": 1, "scriptPubKey": SPK_WSH_MULTI}]]),
            code::INVALID_PARAMETER,
            "Missing redeemScript/witnessScript".into(),
        ),
        (
            "signrawtransactionwithkey",
            json!([raw, [K1], [{"txid": txid, "vout": 1, "scriptPubKey": SPK_WSH_MULTI, "witnessScript": 5}]]),
            code::TYPE_ERROR,
            "JSON value of type number for field witnessScript is not of expected type string"
                .into(),
        ),
        (
            "signrawtransactionwithkey",
            json!([raw, [K1], [{"txid": txid, "vout": 1, "scriptPubKey": SPK_WSH_MULTI, "witnessScript": "51", "redeemScript": "52"}]]),
            code::INVALID_PARAMETER,
            "redeemScript does not correspond to witnessScript".into(),
        ),
        (
            "signrawtransactionwithkey",
            json!([raw, [K1], [{"txid": txid, "vout": 1, "scriptPubKey": SPK_WSH_MULTI, "witnessScript": "51"}]]),
            code::INVALID_PARAMETER,
            "redeemScript/witnessScript does not match scriptPubKey".into(),
        ),
        (
            "signrawtransactionwithkey",
            json!([raw, [K1], null, "ALL|NONE"]),
            code::INVALID_PARAMETER,
            "'ALL|NONE' is not a valid sighash parameter.".into(),
        ),
        (
            "combinerawtransaction",
            json!([[]]),
            code::DESERIALIZATION_ERROR,
            "Missing transactions".into(),
        ),
        (
            "combinerawtransaction",
            json!([[raw, "00"]]),
            code::DESERIALIZATION_ERROR,
            "TX decode failed for tx 1. Make sure the tx has at least one input.".into(),
        ),
        (
            "combinerawtransaction",
            json!([[raw]]),
            code::VERIFY_ERROR,
            "Input not found or already spent".into(),
        ),
        (
            "decodepsbt",
            json!([1]),
            code::TYPE_ERROR,
            wrong(1, "psbt", "number", "string"),
        ),
        (
            "decodepsbt",
            json!(["cHNidP8"]),
            code::DESERIALIZATION_ERROR,
            "TX decode failed invalid base64".into(),
        ),
        (
            "decodepsbt",
            json!([""]),
            code::DESERIALIZATION_ERROR,
            "TX decode failed SpanReader::read(): end of data: iostream error".into(),
        ),
        (
            "decodepsbt",
            json!(["cHNidP4="]),
            code::DESERIALIZATION_ERROR,
            "TX decode failed Invalid PSBT magic bytes: iostream error".into(),
        ),
        (
            "decodepsbt",
            json!(["cHNidP8AAA=="]),
            code::DESERIALIZATION_ERROR,
            "TX decode failed No unsigned transaction was provided: iostream error".into(),
        ),
        (
            "decodepsbt",
            json!([base64_encode(&[base64_decode(psbt), vec![0]].concat())]),
            code::DESERIALIZATION_ERROR,
            "TX decode failed extra data after PSBT".into(),
        ),
        (
            "decodepsbt",
            json!([base64_encode(
                &[
                    &b"psbt\xff\x01\x00\x0b"[..],
                    &[2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                ]
                .concat()
            )]),
            code::DESERIALIZATION_ERROR,
            "TX decode failed Size of value was not the stated size: iostream error".into(),
        ),
        (
            "combinepsbt",
            json!([[]]),
            code::INVALID_PARAMETER,
            "Parameter 'txs' cannot be empty".into(),
        ),
        (
            "combinepsbt",
            json!([[psbt, other_psbt]]),
            code::INVALID_PARAMETER,
            "PSBTs not compatible (different transactions)".into(),
        ),
        (
            "combinepsbt",
            json!([[psbt, 1]]),
            code::TYPE_ERROR,
            "JSON value of type number is not of expected type string".into(),
        ),
        (
            "finalizepsbt",
            json!([psbt, 1]),
            code::TYPE_ERROR,
            wrong(2, "extract", "number", "bool"),
        ),
        (
            "finalizepsbt",
            json!(["AA=="]),
            code::DESERIALIZATION_ERROR,
            "TX decode failed SpanReader::read(): end of data: iostream error".into(),
        ),
        (
            "analyzepsbt",
            json!(["!"]),
            code::DESERIALIZATION_ERROR,
            "TX decode failed invalid base64".into(),
        ),
    ]
}

#[test]
fn raw_transaction_and_psbt_commands_refuse_what_core_refuses() {
    TestFramework::new("raw_transaction_and_psbt_commands_refuse_what_core_refuses")
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            for (method, params, code, message) in refusals() {
                check_error(&format!("{method} {params}"), node.call(method, params.clone()), code, &message);
            }
            // Core's help texts, listed under Rawtransactions; a wrong number of
            // arguments answers with the help text.
            let all = text(&node.call("help", json!([]))?);
            let section = all
                .split("== Rawtransactions ==\n")
                .nth(1)
                .and_then(|s| s.split("\n\n").next())
                .unwrap_or_default();
            for (method, help) in HELP {
                assert_eq!(node.call("help", json!([method]))?, json!(help), "help {method}");
                let first = help.lines().next().unwrap_or_default();
                assert!(section.lines().any(|l| l == first), "help lacks {first:?}");
                match node.call(method, json!([])) {
                    Err(RpcError::Rpc { code: c, message, .. }) => {
                        assert_eq!((c, message.as_str()), (code::MISC_ERROR, *help), "{method}");
                    }
                    other => panic!("{method} without arguments: {other:?}"),
                }
            }
            // No inputs: written the legacy way, and analysed as Core weighs it.
            let outputs = json!({ADDR_K1: 1, "data": "00"});
            check(
                "createrawtransaction, no inputs",
                &node.call("createrawtransaction", json!([[], outputs]))?,
                "02000000000200e1f50500000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000036a010000000000",
            );
            let psbt = node.call("createpsbt", json!([[], outputs]))?;
            check(
                "createpsbt, no inputs",
                &psbt,
                "cHNidP8BADUCAAAAAAIA4fUFAAAAABYAFHUedugZkZbUVJQcRdGzoyPxQzvWAAAAAAAAAAADagEAAAAAAAAAAA==",
            );
            check(
                "analyzepsbt, no inputs",
                &node.call("analyzepsbt", json!([psbt]))?,
                r#"{"estimated_vsize": 53, "estimated_feerate": -18.86792453, "fee": -1.00000000, "next": "extractor"}"#,
            );
            // An input the node does not know is reported per input, not refused.
            let raw = "020000000159b422b1a02f1e9a376f803404dc632a3039d55190f13f0063e31eee89de09890100000000fdffffff01c022be1d00000000160014751e76e8199196d454941c45d1b3a323f1433bd600000000";
            check(
                "signrawtransactionwithkey, unknown input",
                &node.call("signrawtransactionwithkey", json!([raw, [K1]]))?,
                CORE_UNKNOWN_INPUT,
            );
            Ok(())
        });
}
