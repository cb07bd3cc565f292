//! Core's stateless `util` commands: `validateaddress`, `createmultisig`,
//! `getdescriptorinfo`, `deriveaddresses`, `signmessagewithprivkey` and `verifymessage`.
//! Every answer is compared, as JSON text (key order included), with Umkoin Core v31.0's
//! own on regtest (the tables below), results and errors alike; `help` texts verbatim.
//!
//! Keys: `G`, `2G` and `3G` (secret keys 1, 2 and 3, as WIF keys where signing), and the
//! BIP 32 test vector 1 master key in its test-chain form.

use serde_json::{Value, json};
use umkoin_harness::{RpcError, TestFramework, TestNode};

/// One call and Core's answer to it: `{"result":...,"error":...}` as Core's JSON-RPC 1.0
/// reply has them.
struct Case {
    /// What the case shows.
    what: &'static str,
    /// The method.
    method: &'static str,
    /// The parameters (an array, or an object of named ones).
    params: &'static str,
    /// Core's answer.
    core: &'static str,
}

/// The test chain's form of BIP 32 test vector 1's master public key.
const TPUB: &str = "tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp";

/// The node's answer to `case`, in the shape of [`Case::core`].
fn answer(node: &TestNode, case: &Case) -> anyhow::Result<String> {
    let params: Value = serde_json::from_str(case.params)?;
    let reply = match node.call(case.method, params) {
        Ok(result) => json!({ "result": result, "error": null }),
        Err(RpcError::Rpc { code, message, .. }) => {
            json!({ "result": null, "error": { "code": code, "message": message } })
        }
        Err(e) => anyhow::bail!("{} ({}): {e}", case.method, case.what),
    };
    Ok(reply.to_string())
}

/// Each case's answer is Core's.
fn check(node: &TestNode, cases: &[Case]) -> anyhow::Result<()> {
    for case in cases {
        assert_eq!(
            answer(node, case)?,
            case.core,
            "{} ({}) with {}",
            case.method,
            case.what,
            case.params
        );
    }
    Ok(())
}

/// Runs `body` against one fresh regtest node.
fn with_node(name: &str, body: impl FnOnce(&TestNode) -> anyhow::Result<()>) {
    TestFramework::new(name)
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| body(t.node(0)));
}

#[test]
fn validateaddress_answers_as_cores() {
    with_node("validateaddress_answers_as_cores", |node| {
        check(node, VALIDATEADDRESS)
    });
}

#[test]
fn createmultisig_answers_as_cores() {
    with_node("createmultisig_answers_as_cores", |node| {
        check(node, CREATEMULTISIG)
    });
}

#[test]
fn getdescriptorinfo_answers_as_cores() {
    with_node("getdescriptorinfo_answers_as_cores", |node| {
        check(node, GETDESCRIPTORINFO)
    });
}

#[test]
fn deriveaddresses_answers_as_cores() {
    with_node("deriveaddresses_answers_as_cores", |node| {
        check(node, DERIVEADDRESSES)?;
        // Ranged and multipath descriptors: one address per position, one list per path.
        let ranged = format!("wpkh({TPUB}/0/*)#qvnrzae8");
        let got = node.call("deriveaddresses", json!([ranged, [1, 3]]))?;
        let got = got.as_array().expect("an array of addresses");
        assert_eq!(got.len(), 3);
        assert!(
            got.iter()
                .all(|a| a.as_str().is_some_and(|a| a.starts_with("bcrt1q")))
        );
        let got = node.call("deriveaddresses", json!([ranged, 2]))?;
        assert_eq!(got.as_array().map(Vec::len), Some(3));
        let multipath = format!("wpkh({TPUB}/<0;1>/*)#wwkf97x0");
        let got = node.call(
            "deriveaddresses",
            json!({ "descriptor": multipath, "range": [0, 1] }),
        )?;
        let paths = got.as_array().expect("one list per path");
        assert_eq!(paths.len(), 2);
        assert!(paths.iter().all(|p| p.as_array().map(Vec::len) == Some(2)));
        assert_ne!(paths[0], paths[1]);
        // The first path is the descriptor's `/0/*` expansion.
        let first = node.call("deriveaddresses", json!([ranged, [0, 1]]))?;
        assert_eq!(paths[0], first);
        Ok(())
    });
}

/// BIP 32 test vector 1's keys, derived as Umkoin Core derives them: its SHA-512 has
/// another 79th round constant, so its children are not the vectors' (`m/0H/1` would be
/// `mxvewdhKCenLkYgNa8irv1UM2omEWPMdEE` in Bitcoin Core).
#[test]
fn deriveaddresses_derives_as_umkoin_core() {
    TestFramework::new("deriveaddresses_derives_as_umkoin_core")
        .num_nodes(1)
        .setup_clean_chain(true)
        .run(|t| {
            let node = t.node(0);
            // m/0H's public key 035a7846..., then its child 1, derived publicly.
            let public = "pkh(tpubD8eQVK4Kdxg3gHrF62jGP7dKVCoYiEB8dFSpuTawkL5YxTus5j5pf83vaKnii4bc6v2NVEy81P2gYrJczYne3QNNwMTS53p5uzDyHvnw2jm/1)#fuyavsql";
            assert_eq!(
                node.call("deriveaddresses", json!([public]))?,
                json!(["n2gceZbD3VD7q1kueg3ziruJQ9xeuDv3N8"])
            );
            // The master private key's children 0H (hardened) and 0.
            let master = "tprv8ZgxMBicQKsPeDgjzdC36fs6bMjGApWDNLR9erAXMs5skhMv36j9MV5ecvfavji5khqjWaWSFhN3YcCUUdiKH6isR4Pwy3U5y5egddBr16m";
            for (step, address) in [
                ("0h", "mnggnRRvB9yhAhLvF5faavDy8r4MSo9HxH"),
                ("0", "mnGLayWwWxVBNMX4uJdFgMnqPGH2erzkue"),
            ] {
                let desc = format!("pkh({master}/{step})");
                let info = node.call("getdescriptorinfo", json!([desc]))?;
                let checksum = info["checksum"].as_str().expect("a checksum");
                assert_eq!(
                    node.call("deriveaddresses", json!([format!("{desc}#{checksum}")]))?,
                    json!([address]),
                    "{step}"
                );
            }
            Ok(())
        });
}

#[test]
fn messages_sign_and_verify_as_cores() {
    with_node("messages_sign_and_verify_as_cores", |node| {
        check(node, MESSAGES)?;
        // A signature made here verifies here, for that message only.
        let key = "cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMvQSxqeAkB6q";
        let address = node.call(
            "deriveaddresses",
            json!(["pkh(cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMvQSxqeAkB6q)#tw9d6ctx"]),
        )?;
        let signature = node.call("signmessagewithprivkey", json!([key, "a message"]))?;
        assert_eq!(
            node.call("verifymessage", json!([address[0], signature, "a message"]))?,
            json!(true)
        );
        assert_eq!(
            node.call("verifymessage", json!([address[0], signature, "a messagE"]))?,
            json!(false)
        );
        Ok(())
    });
}

/// `help <command>` as Core prints it.
const HELP: &[(&str, &str)] = &[
    (
        "validateaddress",
        r#"validateaddress "address"

Return information about the given umkoin address.

Arguments:
1. address    (string, required) The umkoin address to validate

Result:
{                               (json object)
  "isvalid" : true|false,       (boolean) If the address is valid or not
  "address" : "str",            (string, optional) The umkoin address validated
  "scriptPubKey" : "hex",       (string, optional) The hex-encoded output script generated by the address
  "isscript" : true|false,      (boolean, optional) If the key is a script
  "iswitness" : true|false,     (boolean, optional) If the address is a witness address
  "witness_version" : n,        (numeric, optional) The version number of the witness program
  "witness_program" : "hex",    (string, optional) The hex value of the witness program
  "error" : "str",              (string, optional) Error message, if any
  "error_locations" : [         (json array, optional) Indices of likely error locations in address, if known (e.g. Bech32 errors)
    n,                          (numeric) index of a potential error
    ...
  ]
}

Examples:
> umkoin-cli validateaddress "bc1q09vm5lfy0j5reeulh4x5752q25uqqvz34hufdl"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "validateaddress", "params": ["bc1q09vm5lfy0j5reeulh4x5752q25uqqvz34hufdl"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#,
    ),
    (
        "createmultisig",
        r#"createmultisig nrequired ["key",...] ( "address_type" )

Creates a multi-signature address with n signatures of m keys required.
It returns a json object with the address and redeemScript.

Arguments:
1. nrequired       (numeric, required) The number of required signatures out of the m keys.
2. keys            (json array, required) The hex-encoded public keys.
     [
       "key",      (string) The hex-encoded public key
       ...
     ]
3. address_type    (string, optional, default="legacy") The address type to use. Options are "legacy", "p2sh-segwit", and "bech32".

Result:
{                            (json object)
  "address" : "str",         (string) The value of the new multisig address.
  "redeemScript" : "hex",    (string) The string value of the hex-encoded redemption script.
  "descriptor" : "str",      (string) The descriptor for this multisig
  "warnings" : [             (json array, optional) Any warnings resulting from the creation of this multisig
    "str",                   (string)
    ...
  ]
}

Examples:

Create a multisig address from 2 public keys
> umkoin-cli createmultisig 2 "[\"03789ed0bb717d88f7d321a368d905e7430207ebbd82bd342cf11ae157a7ace5fd\",\"03dbc6764b8884a92e871274b87583e6d5c2a58819473e17e107ef3f6aa5a61626\"]"

As a JSON-RPC call
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "createmultisig", "params": [2, ["03789ed0bb717d88f7d321a368d905e7430207ebbd82bd342cf11ae157a7ace5fd","03dbc6764b8884a92e871274b87583e6d5c2a58819473e17e107ef3f6aa5a61626"]]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#,
    ),
    (
        "getdescriptorinfo",
        r#"getdescriptorinfo "descriptor"

Analyses a descriptor.

Arguments:
1. descriptor    (string, required) The descriptor.

Result:
{                                   (json object)
  "descriptor" : "str",             (string) The descriptor in canonical form, without private keys. For a multipath descriptor, only the first will be returned.
  "multipath_expansion" : [         (json array, optional) All descriptors produced by expanding multipath derivation elements. Only if the provided descriptor specifies multipath derivation elements.
    "str",                          (string)
    ...
  ],
  "checksum" : "str",               (string) The checksum for the input descriptor
  "isrange" : true|false,           (boolean) Whether the descriptor is ranged
  "issolvable" : true|false,        (boolean) Whether the descriptor is solvable
  "hasprivatekeys" : true|false     (boolean) Whether the input descriptor contained at least one private key
}

Examples:
Analyse a descriptor
> umkoin-cli getdescriptorinfo "wpkh([d34db33f/84h/0h/0h]0279be667ef9dcbbac55a06295Ce870b07029Bfcdb2dce28d959f2815b16f81798)"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getdescriptorinfo", "params": ["wpkh([d34db33f/84h/0h/0h]0279be667ef9dcbbac55a06295Ce870b07029Bfcdb2dce28d959f2815b16f81798)"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#,
    ),
    (
        "deriveaddresses",
        r#"deriveaddresses "descriptor" ( range )

Derives one or more addresses corresponding to an output descriptor.
Examples of output descriptors are:
    pkh(<pubkey>)                                     P2PKH outputs for the given pubkey
    wpkh(<pubkey>)                                    Native segwit P2PKH outputs for the given pubkey
    sh(multi(<n>,<pubkey>,<pubkey>,...))              P2SH-multisig outputs for the given threshold and pubkeys
    raw(<hex script>)                                 Outputs whose output script equals the specified hex-encoded bytes
    tr(<pubkey>,multi_a(<n>,<pubkey>,<pubkey>,...))   P2TR-multisig outputs for the given threshold and pubkeys

In the above, <pubkey> either refers to a fixed public key in hexadecimal notation, or to an xpub/xprv optionally followed by one
or more path elements separated by "/", where "h" represents a hardened child key.
For more information on output descriptors, see the documentation in the doc/descriptors.md file.

Arguments:
1. descriptor    (string, required) The descriptor.
2. range         (numeric or array, optional) If a ranged descriptor is used, this specifies the end or the range (in [begin,end] notation) to derive.

Result (for single derivation descriptors):
[           (json array)
  "str",    (string) the derived addresses
  ...
]

Result (for multipath descriptors):
[             (json array) The derived addresses for each of the multipath expansions of the descriptor, in multipath specifier order
  [           (json array) The derived addresses for a multipath descriptor expansion
    "str",    (string) the derived address
    ...
  ],
  ...
]

Examples:
First three native segwit receive addresses
> umkoin-cli deriveaddresses "wpkh([d34db33f/84h/0h/0h]xpub6DJ2dNUysrn5Vt36jH2KLBT2i1auw1tTSSomg8PhqNiUtx8QX2SvC9nrHu81fT41fvDUnhMjEzQgXnQjKEu3oaqMSzhSrHMxyyoEAmUHQbY/0/*)#cjjspncu" "[0,2]"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "deriveaddresses", "params": ["wpkh([d34db33f/84h/0h/0h]xpub6DJ2dNUysrn5Vt36jH2KLBT2i1auw1tTSSomg8PhqNiUtx8QX2SvC9nrHu81fT41fvDUnhMjEzQgXnQjKEu3oaqMSzhSrHMxyyoEAmUHQbY/0/*)#cjjspncu", "[0,2]"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#,
    ),
    (
        "signmessagewithprivkey",
        r#"signmessagewithprivkey "privkey" "message"

Sign a message with the private key of an address

Arguments:
1. privkey    (string, required) The private key to sign the message with.
2. message    (string, required) The message to create a signature of.

Result:
"str"    (string) The signature of the message encoded in base 64

Examples:

Create the signature
> umkoin-cli signmessagewithprivkey "privkey" "my message"

Verify the signature
> umkoin-cli verifymessage "1D1ZrZNe3JUo7ZycKEYQQiQAWd9y54F4XX" "signature" "my message"

As a JSON-RPC call
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "signmessagewithprivkey", "params": ["privkey", "my message"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#,
    ),
    (
        "verifymessage",
        r#"verifymessage "address" "signature" "message"

Verify a signed message.

Arguments:
1. address      (string, required) The umkoin address to use for the signature.
2. signature    (string, required) The signature provided by the signer in base 64 encoding (see signmessage).
3. message      (string, required) The message that was signed.

Result:
true|false    (boolean) If the signature is verified or not.

Examples:

Unlock the wallet for 30 seconds
> umkoin-cli walletpassphrase "mypassphrase" 30

Create the signature
> umkoin-cli signmessage "1D1ZrZNe3JUo7ZycKEYQQiQAWd9y54F4XX" "my message"

Verify the signature
> umkoin-cli verifymessage "1D1ZrZNe3JUo7ZycKEYQQiQAWd9y54F4XX" "signature" "my message"

As a JSON-RPC call
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "verifymessage", "params": ["1D1ZrZNe3JUo7ZycKEYQQiQAWd9y54F4XX", "signature", "my message"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#,
    ),
];

#[test]
fn util_help_texts_are_cores() {
    with_node("util_help_texts_are_cores", |node| {
        for (command, text) in HELP {
            assert_eq!(
                node.call("help", json!([command]))?,
                json!(text),
                "help {command}"
            );
        }
        // Listed under Util, with their argument lines.
        let all = node.call("help", json!([]))?;
        let all = all.as_str().expect("help is text");
        let util = all
            .split("== Util ==\n")
            .nth(1)
            .expect("a Util section")
            .split("\n\n")
            .next()
            .unwrap_or_default();
        for (_, text) in HELP {
            let first = text.lines().next().unwrap_or_default();
            assert!(util.lines().any(|l| l == first), "help lacks {first:?}");
        }
        // A wrong argument count answers with the help text.
        assert_eq!(
            answer(
                node,
                &Case {
                    what: "no arguments",
                    method: "validateaddress",
                    params: "[]",
                    core: "",
                }
            )?,
            json!({ "result": null, "error": { "code": -1, "message": HELP[0].1 } }).to_string()
        );
        Ok(())
    });
}

/// `validateaddress`: every kind of address, and Core's reason and error positions for
/// each kind of mistake (base58, bech32 and bech32m checksums with one and two errors,
/// separators, characters, witness versions and program sizes, another chain).
const VALIDATEADDRESS: &[Case] = &[
    Case {
        what: "P2WPKH",
        method: "validateaddress",
        params: r#"["bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"]"#,
        core: r#"{"result":{"isvalid":true,"address":"bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080","scriptPubKey":"0014751e76e8199196d454941c45d1b3a323f1433bd6","isscript":false,"iswitness":true,"witness_version":0,"witness_program":"751e76e8199196d454941c45d1b3a323f1433bd6"},"error":null}"#,
    },
    Case {
        what: "P2WPKH in upper case",
        method: "validateaddress",
        params: r#"["BCRT1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KYGT080"]"#,
        core: r#"{"result":{"isvalid":true,"address":"bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080","scriptPubKey":"0014751e76e8199196d454941c45d1b3a323f1433bd6","isscript":false,"iswitness":true,"witness_version":0,"witness_program":"751e76e8199196d454941c45d1b3a323f1433bd6"},"error":null}"#,
    },
    Case {
        what: "P2WSH",
        method: "validateaddress",
        params: r#"["bcrt1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qzf4jry"]"#,
        core: r#"{"result":{"isvalid":true,"address":"bcrt1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qzf4jry","scriptPubKey":"00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262","isscript":true,"iswitness":true,"witness_version":0,"witness_program":"1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},"error":null}"#,
    },
    Case {
        what: "P2TR",
        method: "validateaddress",
        params: r#"["bcrt1pmfr3p9j00pfxjh0zmgp99y8zftmd3s5pmedqhyptwy6lm87hf5ssm803es"]"#,
        core: r#"{"result":{"isvalid":true,"address":"bcrt1pmfr3p9j00pfxjh0zmgp99y8zftmd3s5pmedqhyptwy6lm87hf5ssm803es","scriptPubKey":"5120da4710964f7852695de2da025290e24af6d8c281de5a0b902b7135fd9fd74d21","isscript":true,"iswitness":true,"witness_version":1,"witness_program":"da4710964f7852695de2da025290e24af6d8c281de5a0b902b7135fd9fd74d21"},"error":null}"#,
    },
    Case {
        what: "pay to anchor",
        method: "validateaddress",
        params: r#"["bcrt1pfeesnyr2tx"]"#,
        core: r#"{"result":{"isvalid":true,"address":"bcrt1pfeesnyr2tx","scriptPubKey":"51024e73","isscript":true,"iswitness":true},"error":null}"#,
    },
    Case {
        what: "witness v1, 40 bytes",
        method: "validateaddress",
        params: r#"["bcrt1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k0ylj56"]"#,
        core: r#"{"result":{"isvalid":true,"address":"bcrt1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k0ylj56","scriptPubKey":"5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6","iswitness":true,"witness_version":1,"witness_program":"751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},"error":null}"#,
    },
    Case {
        what: "witness v2, 2 bytes",
        method: "validateaddress",
        params: r#"["bcrt1zqypqgf9gcp"]"#,
        core: r#"{"result":{"isvalid":true,"address":"bcrt1zqypqgf9gcp","scriptPubKey":"52020102","iswitness":true,"witness_version":2,"witness_program":"0102"},"error":null}"#,
    },
    Case {
        what: "P2PKH",
        method: "validateaddress",
        params: r#"["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r"]"#,
        core: r#"{"result":{"isvalid":true,"address":"mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r","scriptPubKey":"76a914751e76e8199196d454941c45d1b3a323f1433bd688ac","isscript":false,"iswitness":false},"error":null}"#,
    },
    Case {
        what: "P2PKH with spaces around",
        method: "validateaddress",
        params: r#"[" mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r "]"#,
        core: r#"{"result":{"isvalid":true,"address":"mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r","scriptPubKey":"76a914751e76e8199196d454941c45d1b3a323f1433bd688ac","isscript":false,"iswitness":false},"error":null}"#,
    },
    Case {
        what: "P2SH",
        method: "validateaddress",
        params: r#"["2N3oefVeg6stiTb5Kh3ozCSkaqmx91FDbsm"]"#,
        core: r#"{"result":{"isvalid":true,"address":"2N3oefVeg6stiTb5Kh3ozCSkaqmx91FDbsm","scriptPubKey":"a91473d32ac9e4330a071ee1b3a9ccf3997bdd4174d087","isscript":true,"iswitness":false},"error":null}"#,
    },
    Case {
        what: "main-chain P2PKH",
        method: "validateaddress",
        params: r#"["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Invalid or unsupported Base58-encoded address."},"error":null}"#,
    },
    Case {
        what: "main-chain bech32",
        method: "validateaddress",
        params: r#"["bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Invalid or unsupported Segwit (Bech32) or Base58 encoding."},"error":null}"#,
    },
    Case {
        what: "test-chain bech32",
        method: "validateaddress",
        params: r#"["tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Invalid or unsupported Segwit (Bech32) or Base58 encoding."},"error":null}"#,
    },
    Case {
        what: "empty",
        method: "validateaddress",
        params: r#"[""]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Invalid checksum or length of Base58 address (P2PKH or P2SH)"},"error":null}"#,
    },
    Case {
        what: "bad base58 checksum",
        method: "validateaddress",
        params: r#"["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8s"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Invalid checksum or length of Base58 address (P2PKH or P2SH)"},"error":null}"#,
    },
    Case {
        what: "base58 of the wrong length",
        method: "validateaddress",
        params: r#"["1111111111111111111114oLvT2"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Invalid or unsupported Base58-encoded address."},"error":null}"#,
    },
    Case {
        what: "one bech32 error",
        method: "validateaddress",
        params: r#"["bcrt1qw508d6qejxtdg4z5r3zarvary0c5xw7kygt080"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[20],"error":"Invalid Bech32 checksum"},"error":null}"#,
    },
    Case {
        what: "two bech32 errors",
        method: "validateaddress",
        params: r#"["bcrt1qw508d6zejxtdg4y5r3zarvarq0c5xw7kygt080"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[12,30],"error":"Invalid Bech32 checksum"},"error":null}"#,
    },
    Case {
        what: "one bech32m error",
        method: "validateaddress",
        params: r#"["bcrt1pmfr3p9j00pfxjh0zmgpq9y8zftmd3s5pmedqhyptwy6lm87hf5ssm803es"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[25],"error":"Invalid Bech32m checksum"},"error":null}"#,
    },
    Case {
        what: "two bech32m errors",
        method: "validateaddress",
        params: r#"["bcrt1pmfrqp9j00pfxjh0zmgp99y8zftmd3s5pmedqhyptwy6lz87hf5ssm803es"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[9,50],"error":"Invalid Bech32m checksum"},"error":null}"#,
    },
    Case {
        what: "three errors",
        method: "validateaddress",
        params: r#"["bcrt1qw508d6zejxtdg4z5r3zarvarq0c5xw7kygt080"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Invalid checksum"},"error":null}"#,
    },
    Case {
        what: "bech32m checksum on v0",
        method: "validateaddress",
        params: r#"["bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7k35mrzd"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Version 0 witness address must use Bech32 checksum"},"error":null}"#,
    },
    Case {
        what: "bech32 checksum on v1",
        method: "validateaddress",
        params: r#"["bcrt1pw508d6qejxtdg4y5r3zarvary0c5xw7kqqqqqqqqqqqqqqqqqqqqx3wcmt"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Version 1+ witness address must use Bech32m checksum"},"error":null}"#,
    },
    Case {
        what: "v0 program of 16 bytes",
        method: "validateaddress",
        params: r#"["bcrt1qqqqqqqqqqqqqqqqqqqqqqqqqqqm0h9ue"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Invalid Bech32 v0 address program size (16 bytes), per BIP141"},"error":null}"#,
    },
    Case {
        what: "empty data",
        method: "validateaddress",
        params: r#"["bcrt17capp7"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Empty Bech32 data section"},"error":null}"#,
    },
    Case {
        what: "bad padding",
        method: "validateaddress",
        params: r#"["bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kp6he5uf"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Invalid padding in Bech32 data section"},"error":null}"#,
    },
    Case {
        what: "witness version 17",
        method: "validateaddress",
        params: r#"["bcrt13w508d6qejxtdg4y5r3zarvary0c5xw7kwxauqj"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Invalid Bech32 address witness version"},"error":null}"#,
    },
    Case {
        what: "program of 1 byte",
        method: "validateaddress",
        params: r#"["bcrt1zqykyclzw"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Invalid Bech32 address program size (1 byte)"},"error":null}"#,
    },
    Case {
        what: "program of 41 bytes",
        method: "validateaddress",
        params: r#"["bcrt1zqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqm8szyy"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Invalid Bech32 address program size (41 bytes)"},"error":null}"#,
    },
    Case {
        what: "another hrp starting with ours",
        method: "validateaddress",
        params: r#"["bcrtx1qw508d6qejxtdg4y5r3zarvary0c5xw7k5rzh5f"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Invalid or unsupported prefix for Segwit (Bech32) address (expected bcrt, got bcrtx)."},"error":null}"#,
    },
    Case {
        what: "invalid character",
        method: "validateaddress",
        params: r#"["bcrt1qw5o8d6qejxtdg4y5r3zarvary0c5xw7kygt080"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[8],"error":"Invalid Base 32 character"},"error":null}"#,
    },
    Case {
        what: "mixed case",
        method: "validateaddress",
        params: r#"["bcrt1qw508d6qejxtDg4y5r3zarvary0c5xw7kygt080"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[17],"error":"Invalid character or mixed case"},"error":null}"#,
    },
    Case {
        what: "missing separator",
        method: "validateaddress",
        params: r#"["bcrtqw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[],"error":"Missing separator"},"error":null}"#,
    },
    Case {
        what: "separator too late",
        method: "validateaddress",
        params: r#"["bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt081"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[43],"error":"Invalid separator position"},"error":null}"#,
    },
    Case {
        what: "nothing after the separator",
        method: "validateaddress",
        params: r#"["bcrt1"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[4],"error":"Invalid separator position"},"error":null}"#,
    },
    Case {
        what: "too long",
        method: "validateaddress",
        params: r#"["bcrt1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"]"#,
        core: r#"{"result":{"isvalid":false,"error_locations":[90,91,92,93,94,95,96,97,98,99,100],"error":"Bech32 string too long"},"error":null}"#,
    },
];

/// `createmultisig`: each address type, uncompressed and hybrid keys (a warning, an
/// `addr()` descriptor), named arguments, and Core's refusals.
const CREATEMULTISIG: &[Case] = &[
    Case {
        what: "2 of 2, legacy",
        method: "createmultisig",
        params: r#"[2, ["0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"]]"#,
        core: r#"{"result":{"address":"2MtycqikMJfc1GfzPar2xBzBMqmfHSdGF9s","redeemScript":"52210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae","descriptor":"sh(multi(2,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5))#lew70nes"},"error":null}"#,
    },
    Case {
        what: "1 of 3, p2sh-segwit",
        method: "createmultisig",
        params: r#"[1, ["0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5", "02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9"], "p2sh-segwit"]"#,
        core: r#"{"result":{"address":"2MsG7nCjru3dA9CvyFy2g1CzE3RVZfjb1Hk","redeemScript":"51210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee52102f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f953ae","descriptor":"sh(wsh(multi(1,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5,02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9)))#6ny66duc"},"error":null}"#,
    },
    Case {
        what: "2 of 2, bech32",
        method: "createmultisig",
        params: r#"[2, ["0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"], "bech32"]"#,
        core: r#"{"result":{"address":"bcrt1qnwvyc7aw8m7acw3lpgs0lqdlaz0drls8luf72cs5nmn9f0kcghdsr03hg4","redeemScript":"52210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817982102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae","descriptor":"wsh(multi(2,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5))#e7d75zev"},"error":null}"#,
    },
    Case {
        what: "an uncompressed key makes it legacy",
        method: "createmultisig",
        params: r#"[1, ["0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8", "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"], "bech32"]"#,
        core: r#"{"result":{"address":"2NA2RcuFR7WuFw4rKWmtSqehGzdkTixxBt7","redeemScript":"51410479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b82102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae","descriptor":"sh(multi(1,0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5))#ztu4u7u4","warnings":["Unable to make chosen address type, please ensure no uncompressed public keys are present."]},"error":null}"#,
    },
    Case {
        what: "an uncompressed key, legacy asked",
        method: "createmultisig",
        params: r#"[1, ["0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8", "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"], "legacy"]"#,
        core: r#"{"result":{"address":"2NA2RcuFR7WuFw4rKWmtSqehGzdkTixxBt7","redeemScript":"51410479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b82102c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee552ae","descriptor":"sh(multi(1,0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5))#ztu4u7u4"},"error":null}"#,
    },
    Case {
        what: "upper-case hex",
        method: "createmultisig",
        params: r#"[1, ["0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"]]"#,
        core: r#"{"result":{"address":"2N5GpVq89v2GRMDWQMfTwifUZCtqaczC6Y7","redeemScript":"51210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179851ae","descriptor":"sh(multi(1,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798))#mndu9gye"},"error":null}"#,
    },
    Case {
        what: "a hybrid key",
        method: "createmultisig",
        params: r#"[1, ["0679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"]]"#,
        core: r#"{"result":{"address":"2Mxad18poAsccwB4mxvaXPXbb23rLxKZBee","redeemScript":"51410679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b851ae","descriptor":"addr(2Mxad18poAsccwB4mxvaXPXbb23rLxKZBee)#6rqg3pus"},"error":null}"#,
    },
    Case {
        what: "named",
        method: "createmultisig",
        params: r#"{"nrequired": 1, "keys": ["0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"], "address_type": "bech32"}"#,
        core: r#"{"result":{"address":"bcrt1q9qs9xv7mjghkd69fgx62xttxmeww5q7eekjxu0nxtzf4yu4ekf8s0sr689","redeemScript":"51210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179851ae","descriptor":"wsh(multi(1,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798))#ukecy0kt"},"error":null}"#,
    },
    Case {
        what: "bech32m",
        method: "createmultisig",
        params: r#"[2, ["0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"], "bech32m"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"createmultisig cannot create bech32m multisig addresses"}}"#,
    },
    Case {
        what: "unknown type",
        method: "createmultisig",
        params: r#"[2, ["0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"], "foo"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Unknown address type 'foo'"}}"#,
    },
    Case {
        what: "threshold 0",
        method: "createmultisig",
        params: r#"[0, ["0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"]]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"a multisignature address must require at least one key to redeem"}}"#,
    },
    Case {
        what: "more than the keys",
        method: "createmultisig",
        params: r#"[3, ["0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"]]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"not enough keys supplied (got 2 keys, but need at least 3 to redeem)"}}"#,
    },
    Case {
        what: "21 keys",
        method: "createmultisig",
        params: r#"[1, ["0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"]]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"Number of keys involved in the multisignature address creation > 20\nReduce the number"}}"#,
    },
    Case {
        what: "legacy redeemScript too large",
        method: "createmultisig",
        params: r#"[1, ["0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8", "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8", "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8", "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8", "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8", "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8", "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8", "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"]]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"redeemScript exceeds size limit: 531 > 520"}}"#,
    },
    Case {
        what: "20 keys, bech32",
        method: "createmultisig",
        params: r#"[1, ["0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"], "bech32"]"#,
        core: r#"{"result":{"address":"bcrt1q5yfkferfc5w4t3chd0ghw6ume447rey75v8df4z6sjrhnegv50ysj9shjp","redeemScript":"51210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817980114ae","descriptor":"wsh(multi(1,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798))#7j7exhzw"},"error":null}"#,
    },
    Case {
        what: "not hex",
        method: "createmultisig",
        params: r#"[1, ["zz"]]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Pubkey \"zz\" must be a hex string"}}"#,
    },
    Case {
        what: "wrong length",
        method: "createmultisig",
        params: r#"[1, ["02ab"]]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Pubkey \"02ab\" must have a length of either 33 or 65 bytes"}}"#,
    },
    Case {
        what: "not on the curve",
        method: "createmultisig",
        params: r#"[1, ["020000000000000000000000000000000000000000000000000000000000000000"]]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Pubkey \"020000000000000000000000000000000000000000000000000000000000000000\" must be cryptographically valid."}}"#,
    },
    Case {
        what: "a number for a key",
        method: "createmultisig",
        params: r#"[1, [1]]"#,
        core: r#"{"result":null,"error":{"code":-3,"message":"JSON value of type number is not of expected type string"}}"#,
    },
    Case {
        what: "no keys",
        method: "createmultisig",
        params: r#"[1, []]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"not enough keys supplied (got 0 keys, but need at least 1 to redeem)"}}"#,
    },
    Case {
        what: "fractional threshold",
        method: "createmultisig",
        params: r#"[1.5, ["0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"]]"#,
        core: r#"{"result":null,"error":{"code":-1,"message":"JSON integer out of range"}}"#,
    },
];

/// `getdescriptorinfo`: each descriptor function, keys of every form (hex, WIF, xpub,
/// xprv, origins, `h` and `'`, multipath), miniscript in `wsh()` and `tr()`, and Core's parser
/// errors.
const GETDESCRIPTORINFO: &[Case] = &[
    Case {
        what: "pkh",
        method: "getdescriptorinfo",
        params: r#"["pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)"]"#,
        core: r#"{"result":{"descriptor":"pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#e48zzw02","checksum":"e48zzw02","isrange":false,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "upper-case hex key",
        method: "getdescriptorinfo",
        params: r#"["pkh(0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798)"]"#,
        core: r#"{"result":{"descriptor":"pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#e48zzw02","checksum":"dm69h8jt","isrange":false,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "WIF key",
        method: "getdescriptorinfo",
        params: r#"["wpkh(cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMN87JcbXMTcA)"]"#,
        core: r#"{"result":{"descriptor":"wpkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#ucxz0gak","checksum":"4wpu93nd","isrange":false,"issolvable":true,"hasprivatekeys":true},"error":null}"#,
    },
    Case {
        what: "sh(wpkh)",
        method: "getdescriptorinfo",
        params: r#"["sh(wpkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798))"]"#,
        core: r#"{"result":{"descriptor":"sh(wpkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798))#jqtwwlah","checksum":"jqtwwlah","isrange":false,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "combo",
        method: "getdescriptorinfo",
        params: r#"["combo(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)"]"#,
        core: r#"{"result":{"descriptor":"combo(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#lq9sf04s","checksum":"lq9sf04s","isrange":false,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "sortedmulti keeps the order",
        method: "getdescriptorinfo",
        params: r#"["sortedmulti(1,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)"]"#,
        core: r#"{"result":{"descriptor":"sortedmulti(1,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#0vgd2uga","checksum":"0vgd2uga","isrange":false,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "sh(wsh(multi))",
        method: "getdescriptorinfo",
        params: r#"["sh(wsh(multi(2,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5,02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9)))"]"#,
        core: r#"{"result":{"descriptor":"sh(wsh(multi(2,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5,02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9)))#rj4mdzs8","checksum":"rj4mdzs8","isrange":false,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "addr",
        method: "getdescriptorinfo",
        params: r#"["addr(BCRT1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KYGT080)"]"#,
        core: r#"{"result":{"descriptor":"addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)#8pk5s7ya","checksum":"yzg77n48","isrange":false,"issolvable":false,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "raw",
        method: "getdescriptorinfo",
        params: r#"["raw(76A914751E76E8199196D454941C45D1B3A323F1433BD688AC)"]"#,
        core: r#"{"result":{"descriptor":"raw(76a914751e76e8199196d454941c45d1b3a323f1433bd688ac)#vylkshp5","checksum":"gf67sw83","isrange":false,"issolvable":false,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "tr with a tree",
        method: "getdescriptorinfo",
        params: r#"["tr(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,{pk(02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5),{pk(02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9),multi_a(1,79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)}})"]"#,
        core: r#"{"result":{"descriptor":"tr(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,{pk(02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5),{pk(02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9),multi_a(1,79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)}})#pedrxzch","checksum":"pedrxzch","isrange":false,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "tr with a WIF key",
        method: "getdescriptorinfo",
        params: r#"["tr(cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMN87JcbXMTcA)"]"#,
        core: r#"{"result":{"descriptor":"tr(79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#gxjkeue2","checksum":"tnrke5yz","isrange":false,"issolvable":true,"hasprivatekeys":true},"error":null}"#,
    },
    Case {
        what: "rawtr x-only",
        method: "getdescriptorinfo",
        params: r#"["rawtr(79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)"]"#,
        core: r#"{"result":{"descriptor":"rawtr(79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#xsjqcczm","checksum":"xsjqcczm","isrange":false,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "xprv with origin",
        method: "getdescriptorinfo",
        params: r#"["wpkh([d34db33f/84'/0h/0h]tprv8ZgxMBicQKsPeDgjzdC36fs6bMjGApWDNLR9erAXMs5skhMv36j9MV5ecvfavji5khqjWaWSFhN3YcCUUdiKH6isR4Pwy3U5y5egddBr16m/0/*h)"]"#,
        core: r#"{"result":{"descriptor":"wpkh([d34db33f/84h/0h/0h]tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/0/*h)#qwu3yrmk","checksum":"t7nlrwpg","isrange":true,"issolvable":true,"hasprivatekeys":true},"error":null}"#,
    },
    Case {
        what: "xpub ranged",
        method: "getdescriptorinfo",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/1h/*)"]"#,
        core: r#"{"result":{"descriptor":"wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/1h/*)#exs3qwkr","checksum":"exs3qwkr","isrange":true,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "multipath",
        method: "getdescriptorinfo",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/<0;1>/*)"]"#,
        core: r#"{"result":{"descriptor":"wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/0/*)#qvnrzae8","multipath_expansion":["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/0/*)#qvnrzae8","wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/1/*)#3ckzlgfl"],"checksum":"wwkf97x0","isrange":true,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "miniscript",
        method: "getdescriptorinfo",
        params: r#"["wsh(and_v(v:pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),older(144)))"]"#,
        core: r#"{"result":{"descriptor":"wsh(and_v(v:pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),older(144)))#g8lfk20s","checksum":"g8lfk20s","isrange":false,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "miniscript with wrappers",
        method: "getdescriptorinfo",
        params: r#"["wsh(and_v(vc:pk_k(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),older(144)))"]"#,
        core: r#"{"result":{"descriptor":"wsh(and_v(v:pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),older(144)))#g8lfk20s","checksum":"cvmerfx5","isrange":false,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "tapscript miniscript",
        method: "getdescriptorinfo",
        params: r#"["tr(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,and_v(v:pk(79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),after(500000001)))"]"#,
        core: r#"{"result":{"descriptor":"tr(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,and_v(v:pk(79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),after(500000001)))#uacrgenf","checksum":"uacrgenf","isrange":false,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "with its checksum",
        method: "getdescriptorinfo",
        params: r#"["pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#e48zzw02"]"#,
        core: r#"{"result":{"descriptor":"pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#e48zzw02","checksum":"e48zzw02","isrange":false,"issolvable":true,"hasprivatekeys":false},"error":null}"#,
    },
    Case {
        what: "bad checksum",
        method: "getdescriptorinfo",
        params: r#"["pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#aaaaaaaa"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Provided checksum 'aaaaaaaa' does not match computed checksum 'e48zzw02'"}}"#,
    },
    Case {
        what: "short checksum",
        method: "getdescriptorinfo",
        params: r#"["pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#abc"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Expected 8 character checksum, not 3 characters"}}"#,
    },
    Case {
        what: "two #",
        method: "getdescriptorinfo",
        params: r#"["pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#a#b"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Multiple '#' symbols"}}"#,
    },
    Case {
        what: "not in the charset",
        method: "getdescriptorinfo",
        params: r#"["pkh(é)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Invalid characters in payload"}}"#,
    },
    Case {
        what: "unknown function",
        method: "getdescriptorinfo",
        params: r#"["foo(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"'foo(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)' is not a valid descriptor function"}}"#,
    },
    Case {
        what: "trailing text",
        method: "getdescriptorinfo",
        params: r#"["pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),x"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":""}}"#,
    },
    Case {
        what: "bad key",
        method: "getdescriptorinfo",
        params: r#"["pkh(02ab)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"pkh(): Pubkey '02ab' is invalid"}}"#,
    },
    Case {
        what: "hybrid key",
        method: "getdescriptorinfo",
        params: r#"["pkh(0679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"pkh(): Hybrid public keys are not allowed"}}"#,
    },
    Case {
        what: "uncompressed key in wpkh",
        method: "getdescriptorinfo",
        params: r#"["wpkh(0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"wpkh(): Uncompressed keys are not allowed"}}"#,
    },
    Case {
        what: "uncompressed WIF in tr",
        method: "getdescriptorinfo",
        params: r#"["tr(91avARGdfge8E4tZfYLoxeJ5sGBdNJQH4kvjJoQFacbgwmaKkrx)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"tr(): Uncompressed keys are not allowed"}}"#,
    },
    Case {
        what: "whitespace",
        method: "getdescriptorinfo",
        params: r#"["wpkh( 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"wpkh(): Key ' 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798' is invalid due to whitespace"}}"#,
    },
    Case {
        what: "wpkh in wsh",
        method: "getdescriptorinfo",
        params: r#"["wsh(wpkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798))"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Can only have wpkh() at top level or inside sh()"}}"#,
    },
    Case {
        what: "sh in sh",
        method: "getdescriptorinfo",
        params: r#"["sh(sh(pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)))"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Can only have sh() at top level"}}"#,
    },
    Case {
        what: "combo in sh",
        method: "getdescriptorinfo",
        params: r#"["sh(combo(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798))"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Can only have combo() at top level"}}"#,
    },
    Case {
        what: "multi_a outside tr",
        method: "getdescriptorinfo",
        params: r#"["wsh(multi_a(1,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798))"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Can only have multi_a/sortedmulti_a inside tr()"}}"#,
    },
    Case {
        what: "threshold 0",
        method: "getdescriptorinfo",
        params: r#"["multi(0,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Multisig threshold cannot be 0, must be at least 1"}}"#,
    },
    Case {
        what: "threshold too high",
        method: "getdescriptorinfo",
        params: r#"["multi(2,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Multisig threshold cannot be larger than the number of keys; threshold is 2 but only 1 keys specified"}}"#,
    },
    Case {
        what: "bare multi of 4",
        method: "getdescriptorinfo",
        params: r#"["multi(1,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5,02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Cannot have 4 pubkeys in bare multisig; only at most 3 pubkeys"}}"#,
    },
    Case {
        what: "P2SH too large",
        method: "getdescriptorinfo",
        params: r#"["sh(multi(1,0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8,0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8,0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8,0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8,0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8,0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8,0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8,0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8))"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"P2SH script is too large, 531 bytes is larger than 520 bytes"}}"#,
    },
    Case {
        what: "bad fingerprint",
        method: "getdescriptorinfo",
        params: r#"["wpkh([d34db33]0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"wpkh(): Fingerprint is not 4 bytes (7 characters instead of 8 characters)"}}"#,
    },
    Case {
        what: "bad path",
        method: "getdescriptorinfo",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/x)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"wpkh(): Key path value 'x' is not a valid uint32"}}"#,
    },
    Case {
        what: "path out of range",
        method: "getdescriptorinfo",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/2147483648)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"wpkh(): Key path value 2147483648 is out of range"}}"#,
    },
    Case {
        what: "multipath in origin",
        method: "getdescriptorinfo",
        params: r#"["wpkh([d34db33f/<0;1>]0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"wpkh(): Key path value '<0;1>' specifies multipath in a section where multipath is not allowed"}}"#,
    },
    Case {
        what: "duplicate multipath value",
        method: "getdescriptorinfo",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/<0;0>/*)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"wpkh(): Duplicated key path value 0 in multipath specifier"}}"#,
    },
    Case {
        what: "two multipaths",
        method: "getdescriptorinfo",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/<0;1>/<2;3>)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"wpkh(): Multiple multipath key path specifiers found"}}"#,
    },
    Case {
        what: "multipath length mismatch",
        method: "getdescriptorinfo",
        params: r#"["sh(multi(1,tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/<0;1>/*,tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/<2;3;4>/*))"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"multi(): Multipath derivation paths have mismatched lengths"}}"#,
    },
    Case {
        what: "tr tree without comma",
        method: "getdescriptorinfo",
        params: r#"["tr(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,{pk(02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)})"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"tr(): expected ',' after script expression"}}"#,
    },
    Case {
        what: "raw not hex",
        method: "getdescriptorinfo",
        params: r#"["raw(abc)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Raw script is not hex"}}"#,
    },
    Case {
        what: "addr not valid",
        method: "getdescriptorinfo",
        params: r#"["addr(x)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Address is not valid"}}"#,
    },
    Case {
        what: "rawtr with two keys",
        method: "getdescriptorinfo",
        params: r#"["rawtr(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"rawtr(): only one key expected."}}"#,
    },
    Case {
        what: "miniscript at top level",
        method: "getdescriptorinfo",
        params: r#"["and_v(v:pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),older(144))"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Miniscript expressions can only be used in wsh or tr."}}"#,
    },
    Case {
        what: "miniscript without signature",
        method: "getdescriptorinfo",
        params: r#"["wsh(older(144))"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"older(144) is not sane: witnesses without signature exist"}}"#,
    },
    Case {
        what: "miniscript with duplicate keys",
        method: "getdescriptorinfo",
        params: r#"["wsh(and_v(v:pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)))"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"and_v(v:pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)) is not sane: contains duplicate public keys"}}"#,
    },
    Case {
        what: "miniscript with a bad key",
        method: "getdescriptorinfo",
        params: r#"["wsh(and_v(v:pk(bad),older(1)))"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"key 'bad' is not valid"}}"#,
    },
    Case {
        what: "invalid miniscript",
        method: "getdescriptorinfo",
        params: r#"["wsh(and_v(pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),pk(02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)))"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"and_v(pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),pk(02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)) is invalid"}}"#,
    },
    Case {
        what: "miniscript not satisfiable",
        method: "getdescriptorinfo",
        params: r#"["wsh(and_v(v:pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),0))"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"and_v(v:pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),0) is not satisfiable"}}"#,
    },
    Case {
        what: "miniscript mixing timelocks",
        method: "getdescriptorinfo",
        params: r#"["wsh(and_v(v:after(10),and_v(v:after(500000001),pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798))))"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"and_v(v:after(10),and_v(v:after(500000001),pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798))) is not sane: contains mixes of timelocks expressed in blocks and seconds"}}"#,
    },
    Case {
        what: "nothing",
        method: "getdescriptorinfo",
        params: r#"[""]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"'' is not a valid descriptor function"}}"#,
    },
];

/// `deriveaddresses` of descriptors whose keys need no BIP 32 derivation, and Core's
/// errors (checksum, ranges, descriptors without an address, hardened steps without the
/// private key).
const DERIVEADDRESSES: &[Case] = &[
    Case {
        what: "pkh",
        method: "deriveaddresses",
        params: r#"["pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#e48zzw02"]"#,
        core: r#"{"result":["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r"],"error":null}"#,
    },
    Case {
        what: "combo, compressed",
        method: "deriveaddresses",
        params: r#"["combo(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#lq9sf04s"]"#,
        core: r#"{"result":["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r","bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080","2NAUYAHhujozruyzpsFRP63mbrdaU5wnEpN"],"error":null}"#,
    },
    Case {
        what: "combo, uncompressed",
        method: "deriveaddresses",
        params: r#"["combo(0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8)#drcxjdas"]"#,
        core: r#"{"result":["mtoKs9V381UAhUia3d7Vb9GNak8Qvmcsme"],"error":null}"#,
    },
    Case {
        what: "raw P2PKH",
        method: "deriveaddresses",
        params: r#"["raw(76a914751e76e8199196d454941c45d1b3a323f1433bd688ac)#vylkshp5"]"#,
        core: r#"{"result":["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r"],"error":null}"#,
    },
    Case {
        what: "addr",
        method: "deriveaddresses",
        params: r#"["addr(mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r)#wdmryvnu"]"#,
        core: r#"{"result":["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r"],"error":null}"#,
    },
    Case {
        what: "sh(multi)",
        method: "deriveaddresses",
        params: r#"["sh(multi(1,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798))#mndu9gye"]"#,
        core: r#"{"result":["2N5GpVq89v2GRMDWQMfTwifUZCtqaczC6Y7"],"error":null}"#,
    },
    Case {
        what: "tr with a tree",
        method: "deriveaddresses",
        params: r#"["tr(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,{pk(02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5),pk(02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9)})#pehy67lw"]"#,
        core: r#"{"result":["bcrt1pprj5dr4rgrw835zyx8ncp9qe54n3ljcgcft0tw9mlj657udee6nq47mg8u"],"error":null}"#,
    },
    Case {
        what: "rawtr",
        method: "deriveaddresses",
        params: r#"["rawtr(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#dum7c839"]"#,
        core: r#"{"result":["bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqc8gma6"],"error":null}"#,
    },
    Case {
        what: "tapscript miniscript",
        method: "deriveaddresses",
        params: r#"["tr(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,and_v(v:pk(02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5),older(144)))#hghswvat"]"#,
        core: r#"{"result":["bcrt1pejl4dgnn0qdputpldx0dv7cevy7kgvws0r28kkm980xa27k2ctws326eul"],"error":null}"#,
    },
    Case {
        what: "wsh miniscript",
        method: "deriveaddresses",
        params: r#"["wsh(and_v(v:pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),older(144)))#g8lfk20s"]"#,
        core: r#"{"result":["bcrt1qksqm63utsflxnr6emy5ku5vjjyaq6xl02as5fpk0ql4e85ayhrgqlg5cmg"],"error":null}"#,
    },
    Case {
        what: "xpub without a path",
        method: "deriveaddresses",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp)#z3hp249n"]"#,
        core: r#"{"result":["bcrt1qx3ppj0smkuy3d6g525sh9n2w9k7fm7q3w7da8j"],"error":null}"#,
    },
    Case {
        what: "named",
        method: "deriveaddresses",
        params: r#"{"descriptor": "pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#e48zzw02"}"#,
        core: r#"{"result":["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r"],"error":null}"#,
    },
    Case {
        what: "pk has no address",
        method: "deriveaddresses",
        params: r#"["pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#gn28ywm7"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Descriptor does not have a corresponding address"}}"#,
    },
    Case {
        what: "bare multi has no address",
        method: "deriveaddresses",
        params: r#"["multi(1,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#gs8559k9"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Descriptor does not have a corresponding address"}}"#,
    },
    Case {
        what: "raw OP_RETURN has no address",
        method: "deriveaddresses",
        params: r#"["raw(6a)#4mhr9ur5"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Descriptor does not have a corresponding address"}}"#,
    },
    Case {
        what: "missing checksum",
        method: "deriveaddresses",
        params: r#"["pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Missing checksum"}}"#,
    },
    Case {
        what: "bad checksum",
        method: "deriveaddresses",
        params: r#"["pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#aaaaaaaa"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Provided checksum 'aaaaaaaa' does not match computed checksum 'e48zzw02'"}}"#,
    },
    Case {
        what: "range for an unranged descriptor",
        method: "deriveaddresses",
        params: r#"["pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#e48zzw02", 1]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"Range should not be specified for an un-ranged descriptor"}}"#,
    },
    Case {
        what: "null range for an unranged descriptor",
        method: "deriveaddresses",
        params: r#"["pkh(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#e48zzw02", null]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"Range should not be specified for an un-ranged descriptor"}}"#,
    },
    Case {
        what: "no range for a ranged descriptor",
        method: "deriveaddresses",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/0/*)#qvnrzae8"]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"Range must be specified for a ranged descriptor"}}"#,
    },
    Case {
        what: "range begin after end",
        method: "deriveaddresses",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/0/*)#qvnrzae8", [2, 1]]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"Range specified as [begin,end] must not have begin after end"}}"#,
    },
    Case {
        what: "negative range",
        method: "deriveaddresses",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/0/*)#qvnrzae8", [-1, 2]]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"Range should be greater or equal than 0"}}"#,
    },
    Case {
        what: "range end too high",
        method: "deriveaddresses",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/0/*)#qvnrzae8", [0, 2147483648]]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"End of range is too high"}}"#,
    },
    Case {
        what: "range too large",
        method: "deriveaddresses",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/0/*)#qvnrzae8", [0, 1000000]]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"Range is too large"}}"#,
    },
    Case {
        what: "range not a number",
        method: "deriveaddresses",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/0/*)#qvnrzae8", "x"]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"Range must be specified as end or as [begin,end]"}}"#,
    },
    Case {
        what: "range of one number",
        method: "deriveaddresses",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/0/*)#qvnrzae8", [0]]"#,
        core: r#"{"result":null,"error":{"code":-8,"message":"Range must be specified as end or as [begin,end]"}}"#,
    },
    Case {
        what: "fractional range",
        method: "deriveaddresses",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/0/*)#qvnrzae8", 1.5]"#,
        core: r#"{"result":null,"error":{"code":-1,"message":"JSON integer out of range"}}"#,
    },
    Case {
        what: "hardened step without the private key",
        method: "deriveaddresses",
        params: r#"["wpkh(tpubD6NzVbkrYhZ4XgiXtGrdW5XDAPFCL9h7we1vwNCpn8tGbBcgfVYjXyhWo4E1xkh56hjod1RhGjxbaTLV3X4FyWuejifB9jusQ46QzG87VKp/1h/*)#exs3qwkr", [0, 1]]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Cannot derive script without private keys"}}"#,
    },
];

/// `signmessagewithprivkey` (Umkoin's message magic, RFC 6979 signatures: Core's exact
/// text) and `verifymessage`, with Core's errors.
const MESSAGES: &[Case] = &[
    Case {
        what: "compressed key",
        method: "signmessagewithprivkey",
        params: r#"["cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMN87JcbXMTcA", "hello"]"#,
        core: r#"{"result":"INBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38=","error":null}"#,
    },
    Case {
        what: "uncompressed key",
        method: "signmessagewithprivkey",
        params: r#"["91avARGdfge8E4tZfYLoxeJ5sGBdNJQH4kvjJoQFacbgwmaKkrx", "hello"]"#,
        core: r#"{"result":"HNBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38=","error":null}"#,
    },
    Case {
        what: "empty message",
        method: "signmessagewithprivkey",
        params: r#"["cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMN87JcbXMTcA", ""]"#,
        core: r#"{"result":"H2WwbXG4mW6iK/Y32POGmJS2fN2JhAddiaOFh5vwu4G/URoq7Om/POImbOAA3Ff6BS6ak6zaHQuUmhfiSCjJ4GE=","error":null}"#,
    },
    Case {
        what: "non-ASCII message",
        method: "signmessagewithprivkey",
        params: r#"["cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMN9wHZo77nNv", "Ünïcode ✓"]"#,
        core: r#"{"result":"ICI7bUOI2HOk43yjeJpUYJKBp9sd6ohuyadEym0oC16Bcy/DkIQFi8YWwj8VfSBjBftdMHZcfOQmiv7C/Adiuko=","error":null}"#,
    },
    Case {
        what: "main-chain key",
        method: "signmessagewithprivkey",
        params: r#"["KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn", "hello"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Invalid private key"}}"#,
    },
    Case {
        what: "not a key",
        method: "signmessagewithprivkey",
        params: r#"["x", "hello"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Invalid private key"}}"#,
    },
    Case {
        what: "named",
        method: "signmessagewithprivkey",
        params: r#"{"privkey": "cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMN87JcbXMTcA", "message": "hello"}"#,
        core: r#"{"result":"INBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38=","error":null}"#,
    },
    Case {
        what: "signed",
        method: "verifymessage",
        params: r#"["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", "INBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38=", "hello"]"#,
        core: r#"{"result":true,"error":null}"#,
    },
    Case {
        what: "another message",
        method: "verifymessage",
        params: r#"["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", "INBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38=", "hellO"]"#,
        core: r#"{"result":false,"error":null}"#,
    },
    Case {
        what: "signed by the uncompressed key",
        method: "verifymessage",
        params: r#"["mtoKs9V381UAhUia3d7Vb9GNak8Qvmcsme", "HNBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38=", "hello"]"#,
        core: r#"{"result":true,"error":null}"#,
    },
    Case {
        what: "compressed signature, uncompressed address",
        method: "verifymessage",
        params: r#"["mtoKs9V381UAhUia3d7Vb9GNak8Qvmcsme", "INBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38=", "hello"]"#,
        core: r#"{"result":false,"error":null}"#,
    },
    Case {
        what: "P2WPKH address",
        method: "verifymessage",
        params: r#"["bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", "INBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38=", "hello"]"#,
        core: r#"{"result":null,"error":{"code":-3,"message":"Address does not refer to key"}}"#,
    },
    Case {
        what: "P2SH address",
        method: "verifymessage",
        params: r#"["2N3oefVeg6stiTb5Kh3ozCSkaqmx91FDbsm", "INBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38=", "hello"]"#,
        core: r#"{"result":null,"error":{"code":-3,"message":"Address does not refer to key"}}"#,
    },
    Case {
        what: "invalid address",
        method: "verifymessage",
        params: r#"["x", "INBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38=", "hello"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Invalid address"}}"#,
    },
    Case {
        what: "main-chain address",
        method: "verifymessage",
        params: r#"["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "INBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38=", "hello"]"#,
        core: r#"{"result":null,"error":{"code":-5,"message":"Invalid address"}}"#,
    },
    Case {
        what: "not base64",
        method: "verifymessage",
        params: r#"["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", "x", "hello"]"#,
        core: r#"{"result":null,"error":{"code":-3,"message":"Malformed base64 encoding"}}"#,
    },
    Case {
        what: "base64 without padding",
        method: "verifymessage",
        params: r#"["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", "QQ", "hello"]"#,
        core: r#"{"result":null,"error":{"code":-3,"message":"Malformed base64 encoding"}}"#,
    },
    Case {
        what: "non-zero trailing bits",
        method: "verifymessage",
        params: r#"["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", "QR==", "hello"]"#,
        core: r#"{"result":null,"error":{"code":-3,"message":"Malformed base64 encoding"}}"#,
    },
    Case {
        what: "short signature",
        method: "verifymessage",
        params: r#"["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", "INBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJedw==", "hello"]"#,
        core: r#"{"result":false,"error":null}"#,
    },
    Case {
        what: "header byte below 27",
        method: "verifymessage",
        params: r#"["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", "ANBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38=", "hello"]"#,
        core: r#"{"result":true,"error":null}"#,
    },
    Case {
        what: "empty signature",
        method: "verifymessage",
        params: r#"["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", "", "hello"]"#,
        core: r#"{"result":false,"error":null}"#,
    },
    Case {
        what: "named",
        method: "verifymessage",
        params: r#"{"address": "mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", "signature": "INBPVx8SRCTXlEDD+wuqhf5hLnGsviVFFFDQqY98W7nqYCNeZ5aZ5s8j9EXep4YgpbJNH8TFR25m31nVytJed38=", "message": "hello"}"#,
        core: r#"{"result":true,"error":null}"#,
    },
];
