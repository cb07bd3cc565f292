//! The mempool's read and priority commands with Umkoin Core's answers: `getmempoolentry`,
//! `getmempoolancestors`, `getmempooldescendants`, `getmempoolcluster`,
//! `getmempoolfeeratediagram`, `gettxspendingprevout`, `prioritisetransaction` and
//! `getprioritisedtransactions`, on a parent with two children and a grandchild of both
//! (plus one transaction apart), and their errors; and `getmempoolinfo`'s `usage`, Core's
//! memory accounting to the byte, which `-maxmempool` eviction goes by.

use serde_json::{Value, json};
use umkoin_harness::bitcoin::{Amount, Txid};
use umkoin_harness::miniwallet::{SelfTransfer, SelfTransferMultiOptions, SelfTransferOptions};
use umkoin_harness::{MiniWallet, MiniWalletMode, RpcError, TestNode};
use umkoin_harness::{TestFramework, assert_raises_rpc_error};
use umkoin_interfaces::rpc::code;

/// A regtest P2WPKH address to mine to.
const P2WPKH: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

/// The node's clock while the transactions enter.
const MOCKTIME: i64 = 1_900_000_000;

/// An amount as Core's `ValueFromAmount` writes it (eight decimals), for exact
/// comparison.
fn amount(sats: i64) -> Value {
    let sign = if sats < 0 { "-" } else { "" };
    let abs = sats.unsigned_abs();
    serde_json::from_str(&format!(
        "{sign}{}.{:08}",
        abs / 100_000_000,
        abs % 100_000_000
    ))
    .expect("a JSON number")
}

fn weight(t: &SelfTransfer) -> u64 {
    t.tx.weight().to_wu()
}

fn vsize(t: &SelfTransfer) -> u64 {
    weight(t).div_ceil(4)
}

fn fee(t: &SelfTransfer) -> i64 {
    i64::try_from(t.fee.to_sat()).expect("a small fee")
}

/// Txids in Core's `setEntries` order (as their bytes compare).
fn txid_order(ts: &[&SelfTransfer]) -> Vec<String> {
    let mut v: Vec<Txid> = ts.iter().map(|t| t.txid).collect();
    v.sort();
    v.iter().map(ToString::to_string).collect()
}

/// Txids sorted as strings (Core's `depends`).
fn string_order(ts: &[&SelfTransfer]) -> Vec<String> {
    let mut v: Vec<String> = ts.iter().map(|t| t.txid.to_string()).collect();
    v.sort();
    v
}

/// Fails unless `answer` is the RPC error `code` with exactly `message`.
fn assert_error(answer: Result<Value, RpcError>, code: i64, message: &str) {
    match answer {
        Err(RpcError::Rpc {
            code: c,
            message: m,
            ..
        }) => assert_eq!((c, m.as_str()), (code, message)),
        other => panic!("expected RPC error {code} {message:?}, got {other:?}"),
    }
}

fn send(node: &TestNode, t: &SelfTransfer) -> anyhow::Result<()> {
    assert_eq!(
        node.call("sendrawtransaction", json!([t.hex()]))?,
        json!(t.txid.to_string())
    );
    Ok(())
}

/// The transactions of the tests: P (one input, two outputs), its children A (of P:0)
/// and B (of P:1), G spending A:0 and B:0, and X apart. Fees in satoshis: P 1000,
/// A 10000, B 2000, G 1500, X 312; fee rates all apart, so the chunks
/// are [P, A], [B], [G], [X] whichever way they are worked out.
struct Family {
    p: SelfTransfer,
    a: SelfTransfer,
    b: SelfTransfer,
    g: SelfTransfer,
    x: SelfTransfer,
}

fn make_family(wallet: &mut MiniWallet) -> anyhow::Result<Family> {
    let p = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
        num_outputs: 2,
        fee_per_output: Amount::from_sat(500),
        ..SelfTransferMultiOptions::default()
    })?;
    let a = wallet.create_self_transfer(&SelfTransferOptions {
        utxo: Some(p.new_utxos[0].clone()),
        fee: Amount::from_sat(10_000),
        ..SelfTransferOptions::default()
    })?;
    let b = wallet.create_self_transfer(&SelfTransferOptions {
        utxo: Some(p.new_utxos[1].clone()),
        fee: Amount::from_sat(2_000),
        ..SelfTransferOptions::default()
    })?;
    let g = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
        utxos: Some(vec![a.new_utxo().clone(), b.new_utxo().clone()]),
        fee_per_output: Amount::from_sat(1_500),
        ..SelfTransferMultiOptions::default()
    })?;
    let x = wallet.create_self_transfer(&SelfTransferOptions {
        fee: Amount::from_sat(312),
        ..SelfTransferOptions::default()
    })?;
    assert_eq!(
        [fee(&p), fee(&a), fee(&b), fee(&g), fee(&x)],
        [1000, 10_000, 2000, 1500, 312]
    );
    Ok(Family { p, a, b, g, x })
}

/// Mock time, then the family into the mempool (X last); the height they enter at.
fn send_family(node: &TestNode, f: &Family) -> anyhow::Result<u64> {
    node.call("setmocktime", json!([MOCKTIME]))?;
    for t in [&f.p, &f.a, &f.b, &f.g, &f.x] {
        send(node, t)?;
    }
    Ok(node
        .call("getblockcount", json!([]))?
        .as_u64()
        .expect("a height"))
}

/// Core's `entryToJSON` of `t`, from the transactions' own sizes and fees: ancestors
/// and descendants (each without `t`), parents, children, its chunk, and the modified
/// fees (fee plus delta) of all of them.
#[derive(Clone)]
struct Expect<'a> {
    t: &'a SelfTransfer,
    height: u64,
    ancestors: Vec<&'a SelfTransfer>,
    descendants: Vec<&'a SelfTransfer>,
    parents: Vec<&'a SelfTransfer>,
    children: Vec<&'a SelfTransfer>,
    chunk: Vec<&'a SelfTransfer>,
    modified: &'a dyn Fn(&SelfTransfer) -> i64,
}

impl Expect<'_> {
    fn json(&self) -> Value {
        let m = self.modified;
        let sizes = |s: &[&SelfTransfer]| s.iter().map(|t| vsize(t)).sum::<u64>() + vsize(self.t);
        let fees = |s: &[&SelfTransfer]| s.iter().map(|t| m(t)).sum::<i64>() + m(self.t);
        json!({
            "vsize": vsize(self.t),
            "weight": weight(self.t),
            "time": MOCKTIME,
            "height": self.height,
            "descendantcount": self.descendants.len() + 1,
            "descendantsize": sizes(&self.descendants),
            "ancestorcount": self.ancestors.len() + 1,
            "ancestorsize": sizes(&self.ancestors),
            "chunkweight": self.chunk.iter().map(|t| weight(t)).sum::<u64>(),
            "wtxid": self.t.wtxid.to_string(),
            "fees": {
                "base": amount(fee(self.t)),
                "modified": amount(m(self.t)),
                "ancestor": amount(fees(&self.ancestors)),
                "descendant": amount(fees(&self.descendants)),
                "chunk": amount(self.chunk.iter().map(|t| m(t)).sum()),
            },
            "depends": string_order(&self.parents),
            "spentby": txid_order(&self.children),
            "bip125-replaceable": true,
            "unbroadcast": true,
        })
    }
}

/// The keys of a JSON object, in order.
fn keys(v: &Value) -> Vec<String> {
    v.as_object().expect("an object").keys().cloned().collect()
}

#[test]
fn entries_ancestors_descendants_clusters_and_diagram() {
    TestFramework::new("mempool_rpcs_entries")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let f = make_family(&mut wallet)?;
            let height = send_family(node, &f)?;
            let (p, a, b, g, x) = (&f.p, &f.a, &f.b, &f.g, &f.x);
            let base = |t: &SelfTransfer| fee(t);
            let expect_p = Expect {
                t: p,
                height,
                ancestors: vec![],
                descendants: vec![a, b, g],
                parents: vec![],
                children: vec![a, b],
                chunk: vec![p, a],
                modified: &base,
            };
            let expect_a = Expect {
                t: a,
                ancestors: vec![p],
                descendants: vec![g],
                parents: vec![p],
                children: vec![g],
                ..expect_p.clone()
            };
            let expect_b = Expect {
                t: b,
                chunk: vec![b],
                ..expect_a.clone()
            };
            let expect_g = Expect {
                t: g,
                ancestors: vec![p, a, b],
                descendants: vec![],
                parents: vec![a, b],
                children: vec![],
                chunk: vec![g],
                ..expect_p.clone()
            };
            let expect_x = Expect {
                t: x,
                ancestors: vec![],
                descendants: vec![],
                parents: vec![],
                children: vec![],
                chunk: vec![x],
                ..expect_p.clone()
            };
            let expected = [&expect_p, &expect_a, &expect_b, &expect_g, &expect_x];
            for e in expected {
                let entry = node.call("getmempoolentry", json!([e.t.txid.to_string()]))?;
                assert_eq!(entry, e.json(), "getmempoolentry {}", e.t.txid);
                // Named, too; and getrawmempool's verbose entries are the same.
                assert_eq!(
                    node.call("getmempoolentry", json!({"txid": e.t.txid.to_string()}))?,
                    entry
                );
            }
            let raw = node.call("getrawmempool", json!([true]))?;
            for e in expected {
                assert_eq!(raw[e.t.txid.to_string()], e.json());
            }

            // Ancestors and descendants: txids, or entries keyed by txid, in txid order.
            let cases: [(&str, &SelfTransfer, Vec<&Expect>); 6] = [
                (
                    "getmempoolancestors",
                    g,
                    vec![&expect_p, &expect_a, &expect_b],
                ),
                ("getmempoolancestors", a, vec![&expect_p]),
                ("getmempoolancestors", p, vec![]),
                (
                    "getmempooldescendants",
                    p,
                    vec![&expect_a, &expect_b, &expect_g],
                ),
                ("getmempooldescendants", b, vec![&expect_g]),
                ("getmempooldescendants", x, vec![]),
            ];
            for (method, of, want) in cases {
                let ts: Vec<&SelfTransfer> = want.iter().map(|e| e.t).collect();
                let txid = of.txid.to_string();
                assert_eq!(node.call(method, json!([txid]))?, json!(txid_order(&ts)));
                assert_eq!(
                    node.call(method, json!([txid, false]))?,
                    json!(txid_order(&ts))
                );
                let verbose = node.call(method, json!([txid, true]))?;
                assert_eq!(keys(&verbose), txid_order(&ts), "{method} {txid}");
                for e in &want {
                    assert_eq!(verbose[e.t.txid.to_string()], e.json());
                }
                assert_eq!(
                    node.call(method, json!({"txid": txid, "verbose": true}))?,
                    verbose
                );
            }

            // Clusters: X alone; the family in chunks [P, A], [B], [G].
            let single = json!({
                "clusterweight": weight(x),
                "txcount": 1,
                "chunks": [{
                    "chunkfee": amount(312),
                    "chunkweight": weight(x),
                    "txs": [x.txid.to_string()],
                }],
            });
            assert_eq!(
                node.call("getmempoolcluster", json!([x.txid.to_string()]))?,
                single
            );
            let family = json!({
                "clusterweight": weight(p) + weight(a) + weight(b) + weight(g),
                "txcount": 4,
                "chunks": [
                    {
                        "chunkfee": amount(11_000),
                        "chunkweight": weight(p) + weight(a),
                        "txs": [p.txid.to_string(), a.txid.to_string()],
                    },
                    {
                        "chunkfee": amount(2000),
                        "chunkweight": weight(b),
                        "txs": [b.txid.to_string()],
                    },
                    {
                        "chunkfee": amount(1500),
                        "chunkweight": weight(g),
                        "txs": [g.txid.to_string()],
                    },
                ],
            });
            for member in [p, a, b, g] {
                assert_eq!(
                    node.call("getmempoolcluster", json!([member.txid.to_string()]))?,
                    family
                );
            }

            // The diagram: cumulative weight and fee after each chunk in mining order.
            let mut points = vec![json!({"weight": 0, "fee": amount(0)})];
            let (mut w, mut fees) = (0, 0);
            for (chunk_weight, chunk_fee) in [
                (weight(p) + weight(a), 11_000),
                (weight(b), 2000),
                (weight(g), 1500),
                (weight(x), 312),
            ] {
                w += chunk_weight;
                fees += chunk_fee;
                points.push(json!({"weight": w, "fee": amount(fees)}));
            }
            assert_eq!(
                node.call("getmempoolfeeratediagram", json!([]))?,
                json!(points)
            );

            // Mined, they leave: the diagram is the origin alone.
            node.call("generatetoaddress", json!([1, P2WPKH]))?;
            assert_eq!(
                node.call("getmempoolfeeratediagram", json!([]))?,
                json!([{"weight": 0, "fee": amount(0)}])
            );
            assert_error(
                node.call("getmempoolentry", json!([p.txid.to_string()])),
                code::INVALID_ADDRESS_OR_KEY,
                "Transaction not in mempool",
            );
            Ok(())
        });
}

#[test]
fn unknown_txids_and_bad_arguments_get_cores_errors() {
    TestFramework::new("mempool_rpcs_errors")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let unknown = "00".repeat(31) + "01";
            for method in [
                "getmempoolentry",
                "getmempoolancestors",
                "getmempooldescendants",
                "getmempoolcluster",
            ] {
                assert_error(
                    node.call(method, json!([unknown])),
                    code::INVALID_ADDRESS_OR_KEY,
                    "Transaction not in mempool",
                );
                assert_error(
                    node.call(method, json!(["abc"])),
                    code::INVALID_PARAMETER,
                    "txid must be of length 64 (not 3, for 'abc')",
                );
                let not_hex = "zz".repeat(32);
                assert_error(
                    node.call(method, json!([not_hex])),
                    code::INVALID_PARAMETER,
                    &format!("txid must be hexadecimal string (not '{not_hex}')"),
                );
                assert_error(
                    node.call(method, json!([1])),
                    code::TYPE_ERROR,
                    "Wrong type passed:\n{\n    \"Position 1 (txid)\": \"JSON value of type number is not of expected type string\"\n}",
                );
                // Core answers a wrong argument count with the help text.
                assert_raises_rpc_error(code::MISC_ERROR, &format!("{method} \"txid\""), || {
                    node.call(method, json!([]))
                })?;
            }
            for method in ["getmempoolancestors", "getmempooldescendants"] {
                assert_error(
                    node.call(method, json!([unknown, "x"])),
                    code::TYPE_ERROR,
                    "Wrong type passed:\n{\n    \"Position 2 (verbose)\": \"JSON value of type string is not of expected type bool\"\n}",
                );
            }
            assert_raises_rpc_error(code::MISC_ERROR, "getmempoolfeeratediagram\n", || {
                node.call("getmempoolfeeratediagram", json!([1]))
            })?;

            // gettxspendingprevout.
            let out = json!([{"txid": unknown, "vout": 0}]);
            let tsp = |params: Value| node.call("gettxspendingprevout", params);
            assert_error(
                tsp(json!([[]])),
                code::INVALID_PARAMETER,
                "Invalid parameter, outputs are missing",
            );
            assert_error(
                tsp(json!([[5]])),
                code::TYPE_ERROR,
                "JSON value of type number is not of expected type object",
            );
            assert_error(
                tsp(json!([out, true])),
                code::TYPE_ERROR,
                "Wrong type passed:\n{\n    \"Position 2 (options)\": \"JSON value of type bool is not of expected type object\"\n}",
            );
            assert_error(
                tsp(json!(["x", true])),
                code::TYPE_ERROR,
                "Wrong type passed:\n{\n    \"Position 1 (outputs)\": \"JSON value of type string is not of expected type array\",\n    \"Position 2 (options)\": \"JSON value of type bool is not of expected type object\"\n}",
            );
            assert_error(tsp(json!([out, {"foo": 1}])), code::TYPE_ERROR, "Unexpected key foo");
            assert_error(
                tsp(json!([out, {"mempool_only": 1}])),
                code::TYPE_ERROR,
                "JSON value of type number for field mempool_only is not of expected type bool",
            );
            assert_error(
                tsp(json!([out, {"return_spending_tx": "yes"}])),
                code::TYPE_ERROR,
                "JSON value of type string for field return_spending_tx is not of expected type bool",
            );
            assert_error(tsp(json!([[{"vout": 0}]])), code::TYPE_ERROR, "Missing txid");
            assert_error(
                tsp(json!([[{"txid": 1, "vout": 0}]])),
                code::TYPE_ERROR,
                "JSON value of type number for field txid is not of expected type string",
            );
            assert_error(tsp(json!([[{"txid": unknown}]])), code::TYPE_ERROR, "Missing vout");
            assert_error(
                tsp(json!([[{"txid": unknown, "vout": 0, "x": 1}]])),
                code::TYPE_ERROR,
                "Unexpected key x",
            );
            assert_error(
                tsp(json!([[{"txid": "ab", "vout": 0}]])),
                code::INVALID_PARAMETER,
                "txid must be of length 64 (not 2, for 'ab')",
            );
            assert_error(
                tsp(json!([[{"txid": unknown, "vout": 1.5}]])),
                code::MISC_ERROR,
                "JSON integer out of range",
            );
            assert_error(
                tsp(json!([[{"txid": unknown, "vout": -1}]])),
                code::INVALID_PARAMETER,
                "Invalid parameter, vout cannot be negative",
            );
            // Without a txospenderindex, only the mempool can be asked.
            assert_error(
                tsp(json!([out, {"mempool_only": false}])),
                code::MISC_ERROR,
                &format!(
                    "No spending tx for the outpoint {unknown}:0 in mempool, and txospenderindex is unavailable."
                ),
            );
            assert_error(
                tsp(json!({"outputs": out, "options": {}, "mempool_only": true})),
                code::INVALID_PARAMETER,
                "Parameter options conflicts with parameter mempool_only",
            );
            assert_error(
                tsp(json!({"outputs": out, "nosuch": true})),
                code::INVALID_PARAMETER,
                "Unknown named parameter nosuch",
            );
            assert_raises_rpc_error(code::MISC_ERROR, "gettxspendingprevout [{\"txid\"", || {
                tsp(json!([out, {}, 1]))
            })?;

            // prioritisetransaction.
            assert_error(
                node.call("prioritisetransaction", json!([unknown, 1, 100])),
                code::INVALID_PARAMETER,
                "Priority is no longer supported, dummy argument to prioritisetransaction must be 0.",
            );
            assert_error(
                node.call("prioritisetransaction", json!([unknown, 0, 1.5])),
                code::MISC_ERROR,
                "JSON integer out of range",
            );
            assert_error(
                node.call("prioritisetransaction", json!(["abc", 0, 100])),
                code::INVALID_PARAMETER,
                "txid must be of length 64 (not 3, for 'abc')",
            );
            assert_error(
                node.call("prioritisetransaction", json!([unknown, 0, "100"])),
                code::TYPE_ERROR,
                "Wrong type passed:\n{\n    \"Position 3 (fee_delta)\": \"JSON value of type string is not of expected type number\"\n}",
            );
            assert_raises_rpc_error(
                code::MISC_ERROR,
                "prioritisetransaction \"txid\" ( dummy ) fee_delta\n",
                || node.call("prioritisetransaction", json!([unknown, 100])),
            )?;
            assert_raises_rpc_error(code::MISC_ERROR, "getprioritisedtransactions\n", || {
                node.call("getprioritisedtransactions", json!([1]))
            })?;
            // Nothing above changed a delta.
            assert_eq!(node.call("getprioritisedtransactions", json!([]))?, json!({}));
            Ok(())
        });
}

#[test]
fn gettxspendingprevout_finds_mempool_spenders() {
    TestFramework::new("mempool_rpcs_spenders")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let f = make_family(&mut wallet)?;
            send_family(node, &f)?;
            let (p, a, b, g) = (&f.p, &f.a, &f.b, &f.g);
            let coin = p.spent[0].outpoint;
            let outputs = json!([
                {"txid": coin.txid.to_string(), "vout": coin.vout},
                // Core echoes each object as given: key order, upper-case hex.
                {"vout": 0, "txid": p.txid.to_string().to_uppercase()},
                {"txid": p.txid.to_string(), "vout": 1},
                {"txid": a.txid.to_string(), "vout": 0},
                {"txid": g.txid.to_string(), "vout": 0},
                {"txid": g.txid.to_string(), "vout": 7},
            ]);
            let spent = |mut o: Value, by: &SelfTransfer, with_tx: bool| {
                o["spendingtxid"] = json!(by.txid.to_string());
                if with_tx {
                    o["spendingtx"] = json!(by.hex());
                }
                o
            };
            let expect = |with_tx: bool| {
                json!([
                    spent(outputs[0].clone(), p, with_tx),
                    spent(outputs[1].clone(), a, with_tx),
                    spent(outputs[2].clone(), b, with_tx),
                    spent(outputs[3].clone(), g, with_tx),
                    outputs[4].clone(),
                    outputs[5].clone(),
                ])
            };
            let answer = node.call("gettxspendingprevout", json!([outputs]))?;
            assert_eq!(answer, expect(false));
            assert_eq!(
                keys(&answer[1]),
                ["vout", "txid", "spendingtxid"],
                "the given key order"
            );
            assert_eq!(
                node.call("gettxspendingprevout", json!([outputs, {"mempool_only": true}]))?,
                expect(false)
            );
            assert_eq!(
                node.call(
                    "gettxspendingprevout",
                    json!([outputs, {"return_spending_tx": true}])
                )?,
                expect(true)
            );
            assert_eq!(
                node.call(
                    "gettxspendingprevout",
                    json!({"outputs": outputs, "return_spending_tx": true})
                )?,
                expect(true)
            );
            assert_eq!(
                node.call(
                    "gettxspendingprevout",
                    json!({"outputs": outputs, "options": {"return_spending_tx": false}})
                )?,
                expect(false)
            );
            // Not limited to the mempool: spenders found there need no index...
            let found = json!([outputs[0], outputs[3]]);
            assert_eq!(
                node.call("gettxspendingprevout", json!([found, {"mempool_only": false}]))?,
                json!([spent(outputs[0].clone(), p, false), spent(outputs[3].clone(), g, false)])
            );
            // ...an output no mempool transaction spends does.
            assert_error(
                node.call("gettxspendingprevout", json!([outputs, {"mempool_only": false}])),
                code::MISC_ERROR,
                &format!(
                    "No spending tx for the outpoint {}:0 in mempool, and txospenderindex is unavailable.",
                    g.txid
                ),
            );
            // Mined, the outputs are no longer spent in the mempool.
            node.call("generatetoaddress", json!([1, P2WPKH]))?;
            assert_eq!(
                node.call("gettxspendingprevout", json!([outputs]))?,
                outputs
            );
            Ok(())
        });
}

#[test]
fn prioritisation_changes_fees_chunks_and_blocks() {
    TestFramework::new("mempool_rpcs_prioritise")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let f = make_family(&mut wallet)?;
            let (p, a, b, g, x) = (&f.p, &f.a, &f.b, &f.g, &f.x);
            // A transaction not (yet) in the mempool takes a delta, which waits for it.
            let later = wallet.create_self_transfer(&SelfTransferOptions {
                fee: Amount::from_sat(312),
                ..SelfTransferOptions::default()
            })?;
            let never = "ab".repeat(32);
            assert_eq!(
                node.call(
                    "prioritisetransaction",
                    json!([later.txid.to_string(), 0, 1000])
                )?,
                json!(true)
            );
            assert_eq!(
                node.call(
                    "prioritisetransaction",
                    json!({"txid": never, "fee_delta": -7})
                )?,
                json!(true)
            );
            assert_eq!(
                node.call("prioritisetransaction", json!([never, null, 2]))?,
                json!(true)
            );
            let pending = |in_mempool: bool| -> Value {
                let mut later_info = json!({"fee_delta": 1000, "in_mempool": in_mempool});
                if in_mempool {
                    later_info["modified_fee"] = json!(fee(&later) + 1000);
                }
                let mut m = serde_json::Map::new();
                let mut both = [
                    (later.txid, later_info),
                    (
                        never.parse().expect("a txid"),
                        json!({"fee_delta": -5, "in_mempool": false}),
                    ),
                ];
                both.sort_by_key(|(txid, _): &(Txid, Value)| *txid);
                for (txid, v) in both {
                    m.insert(txid.to_string(), v);
                }
                Value::Object(m)
            };
            let listed = node.call("getprioritisedtransactions", json!([]))?;
            assert_eq!(listed, pending(false));
            assert_eq!(keys(&listed), keys(&pending(false)), "txid order");

            let height = send_family(node, &f)?;
            send(node, &later)?;
            assert_eq!(
                node.call("getprioritisedtransactions", json!([]))?,
                pending(true)
            );
            let entry = node.call("getmempoolentry", json!([later.txid.to_string()]))?;
            assert_eq!(entry["fees"]["base"], amount(fee(&later)));
            assert_eq!(entry["fees"]["modified"], amount(fee(&later) + 1000));

            // B down by 1500 (modified 500): G now lifts it, in one chunk [B, G]; X up
            // by 100000: first in the next block. Deltas add up.
            let sequence =
                node.call("getrawmempool", json!([false, true]))?["mempool_sequence"].clone();
            for (t, delta) in [(b, -1000), (b, -500), (x, 100_000)] {
                assert_eq!(
                    node.call(
                        "prioritisetransaction",
                        json!([t.txid.to_string(), 0, delta])
                    )?,
                    json!(true)
                );
            }
            // A fee delta does not count in the mempool sequence.
            assert_eq!(
                node.call("getrawmempool", json!([false, true]))?["mempool_sequence"],
                sequence
            );
            let modified = |t: &SelfTransfer| {
                fee(t)
                    + if t.txid == b.txid {
                        -1500
                    } else if t.txid == x.txid {
                        100_000
                    } else {
                        0
                    }
            };
            let expect_p = Expect {
                t: p,
                height,
                ancestors: vec![],
                descendants: vec![a, b, g],
                parents: vec![],
                children: vec![a, b],
                chunk: vec![p, a],
                modified: &modified,
            };
            let expect_b = Expect {
                t: b,
                ancestors: vec![p],
                descendants: vec![g],
                parents: vec![p],
                children: vec![g],
                chunk: vec![b, g],
                ..expect_p.clone()
            };
            let expect_g = Expect {
                t: g,
                ancestors: vec![p, a, b],
                descendants: vec![],
                parents: vec![a, b],
                children: vec![],
                chunk: vec![b, g],
                ..expect_p.clone()
            };
            let expect_x = Expect {
                t: x,
                ancestors: vec![],
                descendants: vec![],
                parents: vec![],
                children: vec![],
                chunk: vec![x],
                ..expect_p.clone()
            };
            for e in [&expect_p, &expect_b, &expect_g, &expect_x] {
                assert_eq!(
                    node.call("getmempoolentry", json!([e.t.txid.to_string()]))?,
                    e.json(),
                    "getmempoolentry {}",
                    e.t.txid
                );
            }
            assert_eq!(
                node.call("getmempoolcluster", json!([g.txid.to_string()]))?["chunks"],
                json!([
                    {
                        "chunkfee": amount(11_000),
                        "chunkweight": weight(p) + weight(a),
                        "txs": [p.txid.to_string(), a.txid.to_string()],
                    },
                    {
                        "chunkfee": amount(2000),
                        "chunkweight": weight(b) + weight(g),
                        "txs": [b.txid.to_string(), g.txid.to_string()],
                    },
                ])
            );
            let mut listed = node.call("getprioritisedtransactions", json!([]))?;
            assert_eq!(
                listed[b.txid.to_string()],
                json!({"fee_delta": -1500, "in_mempool": true, "modified_fee": 500})
            );
            assert_eq!(
                listed[x.txid.to_string()],
                json!({"fee_delta": 100_000, "in_mempool": true, "modified_fee": 100_312})
            );
            // Back to zero: the delta is gone.
            node.call("prioritisetransaction", json!([never, 0, 5]))?;
            listed = node.call("getprioritisedtransactions", json!([]))?;
            assert!(listed.get(&never).is_none(), "{listed}");
            assert_eq!(listed.as_object().map(|o| o.len()), Some(3));

            // The block takes X first, then the chunks in order; the mined transactions'
            // deltas go with them.
            let hash = node.call("generatetoaddress", json!([1, P2WPKH]))?[0].clone();
            let block = node.call("getblock", json!([hash, 1]))?;
            let want: Vec<String> = [x, p, a, &later, b, g]
                .iter()
                .map(|t| t.txid.to_string())
                .collect();
            assert_eq!(
                block["tx"].as_array().map(|v| v[1..].to_vec()),
                Some(want.iter().map(|s| json!(s)).collect())
            );
            assert_eq!(
                node.call("getprioritisedtransactions", json!([]))?,
                json!({})
            );
            Ok(())
        });
}

/// Core's block assembly stops at the first chunk below `-blockmintxfee` (1 sat/kvB):
/// a transaction whose modified fee is zero stays out of blocks.
#[test]
fn deprioritised_transactions_stay_out_of_blocks() {
    TestFramework::new("mempool_rpcs_deprioritise")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let kept = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            let taken = wallet.create_self_transfer(&SelfTransferOptions::default())?;
            send(node, &kept)?;
            send(node, &taken)?;
            node.call("prioritisetransaction", json!([kept.txid.to_string(), 0, -fee(&kept)]))?;
            let entry = node.call("getmempoolentry", json!([kept.txid.to_string()]))?;
            assert_eq!(entry["fees"]["modified"], amount(0));
            let hash = node.call("generatetoaddress", json!([1, P2WPKH]))?[0].clone();
            let block = node.call("getblock", json!([hash, 1]))?;
            assert_eq!(block["tx"].as_array().map(Vec::len), Some(2));
            assert_eq!(block["tx"][1], json!(taken.txid.to_string()));
            assert_eq!(
                node.call("getrawmempool", json!([]))?,
                json!([kept.txid.to_string()])
            );
            // Its delta stays while it waits.
            assert_eq!(
                node.call("getprioritisedtransactions", json!([]))?,
                json!({kept.txid.to_string(): {"fee_delta": -fee(&kept), "in_mempool": true, "modified_fee": 0}})
            );
            Ok(())
        });
}

/// Core v31's chunks are those of a cluster's optimal linearization, not of ancestor
/// fee rates: a parent P whose child C1 pays well and whose other child C2 pays better
/// than P and C1 together makes one chunk of all three (ancestor fee rates would give
/// [P, C1], then [C2] at a higher fee rate). Chunks of equal fee rate in different
/// clusters go by txid (Core's fallback order), not by arrival.
#[test]
fn chunks_are_the_optimal_linearizations_and_ties_go_by_txid() {
    TestFramework::new("mempool_rpcs_optimal_chunks")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let p = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                num_outputs: 2,
                fee_per_output: Amount::from_sat(500),
                ..SelfTransferMultiOptions::default()
            })?;
            let c1 = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(p.new_utxos[0].clone()),
                fee: Amount::from_sat(10_000),
                ..SelfTransferOptions::default()
            })?;
            let c2 = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(p.new_utxos[1].clone()),
                fee: Amount::from_sat(6_000),
                ..SelfTransferOptions::default()
            })?;
            let p_fee = fee(&p);
            // C2 alone pays more per weight than P and C1 together.
            assert!(
                6_000 * u128::from(weight(&p) + weight(&c1))
                    > (p_fee + 10_000) as u128 * u128::from(weight(&c2))
            );
            let txid_p = p.txid;
            send(node, &p)?;
            send(node, &c1)?;
            send(node, &c2)?;
            let all = weight(&p) + weight(&c1) + weight(&c2);
            let cluster = json!({
                "clusterweight": all,
                "txcount": 3,
                "chunks": [{
                    "chunkfee": amount(p_fee + 16_000),
                    "chunkweight": all,
                    "txs": [txid_p.to_string(), c1.txid.to_string(), c2.txid.to_string()],
                }],
            });
            assert_eq!(
                node.call("getmempoolcluster", json!([c2.txid.to_string()]))?,
                cluster
            );
            assert_eq!(
                node.call("getmempoolfeeratediagram", json!([]))?,
                json!([
                    {"weight": 0, "fee": amount(0)},
                    {"weight": all, "fee": amount(p_fee + 16_000)},
                ])
            );
            node.call("generatetoaddress", json!([1, P2WPKH]))?;

            // Two transactions alike but for their txids: sent larger txid first, mined
            // (and templated) smaller txid first.
            let mut twins = Vec::new();
            for _ in 0..2 {
                twins.push(wallet.create_self_transfer(&SelfTransferOptions {
                    fee: Amount::from_sat(1_000),
                    ..SelfTransferOptions::default()
                })?);
            }
            assert_eq!(weight(&twins[0]), weight(&twins[1]));
            twins.sort_by_key(|t| std::cmp::Reverse(t.txid));
            for t in &twins {
                send(node, t)?;
            }
            let template =
                node.call("getblocktemplate", json!([{"rules": ["segwit"]}]))?["transactions"]
                    .as_array()
                    .expect("an array")
                    .iter()
                    .map(|t| t["txid"].clone())
                    .collect::<Vec<_>>();
            assert_eq!(
                template,
                vec![
                    json!(twins[1].txid.to_string()),
                    json!(twins[0].txid.to_string())
                ]
            );
            let block = node.call("generatetoaddress", json!([1, P2WPKH]))?[0].clone();
            let mined = node.call("getblock", json!([block]))?["tx"].clone();
            assert_eq!(mined[1], json!(twins[1].txid.to_string()));
            assert_eq!(mined[2], json!(twins[0].txid.to_string()));
            Ok(())
        });
}

/// `getmempoolinfo`'s `size` and `usage`.
fn size_and_usage(node: &TestNode) -> anyhow::Result<(u64, u64)> {
    let info = node.call("getmempoolinfo", json!([]))?;
    Ok((
        info["size"].as_u64().expect("a size"),
        info["usage"].as_u64().expect("a usage"),
    ))
}

/// A transfer of `utxo` to the wallet with an `OP_RETURN` output of `data` bytes as well,
/// paying `sat_per_vb` (its P2TR witness does not sign the outputs).
fn with_op_return(
    wallet: &mut MiniWallet,
    utxo: &umkoin_harness::miniwallet::Utxo,
    data: usize,
    sat_per_vb: u64,
) -> anyhow::Result<SelfTransfer> {
    use umkoin_harness::bitcoin::{ScriptBuf, TxOut, script::PushBytesBuf};
    let mut t = wallet.create_self_transfer(&SelfTransferOptions {
        utxo: Some(utxo.clone()),
        ..SelfTransferOptions::default()
    })?;
    t.tx.output.push(TxOut {
        value: Amount::ZERO,
        script_pubkey: ScriptBuf::new_op_return(PushBytesBuf::try_from(vec![0x42u8; data])?),
    });
    let fee = Amount::from_sat(t.tx.vsize() as u64 * sat_per_vb);
    t.tx.output[0].value = utxo.value - fee;
    t.txid = t.tx.compute_txid();
    t.wtxid = t.tx.compute_wtxid();
    t.fee = fee;
    t.new_utxos.truncate(0);
    Ok(t)
}

/// `getmempoolinfo`'s `usage` is Core v31's `CTxMemPool::DynamicMemoryUsage` to the byte
/// (x86-64, glibc, libstdc++), step by step. What the numbers are made of:
///
/// * per transaction: its `mapTx` node (224), `nUsageSize` (the `CTransaction` and its
///   `shared_ptr` count, 144 + 48, then the input and output vectors at 112 and 48
///   bytes an element, each witness stack at 24 an element and each element, each
///   script longer than the 36 bytes a `CScript` keeps in itself), a `mapNextTx` node
///   per input (64), its `TxGraph` entry (80); all allocations rounded as
///   `MallocUsage`: `((n + 31) >> 4) << 4`;
/// * per cluster: 72 for one transaction, else 136 plus its mapping, linearization
///   (4 bytes a transaction each) and `DepGraph` (32 bytes a transaction); 64 per chunk
///   of a linearized cluster (a cluster whose fee changed is not linearized again until
///   something needs its order);
/// * 96 per fee delta, and `txns_randomized` at 40 bytes per element of its capacity,
///   which doubles as transactions enter and is kept when the last one leaves.
///
/// So a P2TR one-input, one-output transfer alone costs 224 + 192 + 128 + 64 + 64
/// (its two-element witness stack) + 32 + 64 (the elements) + 64 + 80 + 72 + 64 =
/// 1048, plus 64 for `txns_randomized`.
#[test]
fn usage_is_cores_dynamic_memory_usage() {
    TestFramework::new("mempool_rpcs_usage")
        .num_nodes(1)
        .run(|t| {
            let node = t.node(0);
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let mut seen: Vec<(String, u64, u64)> = Vec::new();
            let mut note = |node: &TestNode, what: &str| -> anyhow::Result<()> {
                let (size, usage) = size_and_usage(node)?;
                seen.push((what.to_string(), size, usage));
                Ok(())
            };
            note(node, "empty")?;
            // Coins for the key wallets: P2WPKH (a 22-byte script, spent with a
            // two-element witness) and P2PK (a 35-byte script, spent with a 73-byte
            // scriptSig).
            let mut wpkh = MiniWallet::new(MiniWalletMode::P2wpkh);
            let mut p2pk = MiniWallet::new(MiniWalletMode::RawP2pk);
            for w in [&wpkh, &p2pk] {
                for _ in 0..3 {
                    let s = wallet.create_send_to(
                        w.script_pubkey().clone(),
                        Amount::from_sat(1_000_000),
                        Amount::from_sat(10_000),
                    )?;
                    send(node, &s)?;
                }
            }
            note(node, "six funding transfers")?;
            node.call("generatetoaddress", json!([1, P2WPKH]))?;
            // Empty again, but txns_randomized keeps the capacity of one.
            note(node, "funding mined")?;
            wallet.rescan(node)?;
            wpkh.rescan(node)?;
            p2pk.rescan(node)?;

            // Single transactions of different shapes.
            for (what, t) in [
                (
                    "p2tr",
                    wallet.create_self_transfer(&SelfTransferOptions::default())?,
                ),
                (
                    "p2wpkh",
                    wpkh.create_self_transfer(&SelfTransferOptions::default())?,
                ),
                (
                    "p2pk",
                    p2pk.create_self_transfer(&SelfTransferOptions::default())?,
                ),
                (
                    "p2wpkh to four outputs",
                    wpkh.create_self_transfer_multi(&SelfTransferMultiOptions {
                        num_outputs: 4,
                        ..SelfTransferMultiOptions::default()
                    })?,
                ),
            ] {
                send(node, &t)?;
                note(node, what)?;
            }
            let coins = [
                p2pk.get_utxo(&Default::default())?,
                p2pk.get_utxo(&Default::default())?,
            ];
            let two_in = p2pk.create_self_transfer_multi(&SelfTransferMultiOptions {
                utxos: Some(coins.to_vec()),
                num_outputs: 2,
                ..SelfTransferMultiOptions::default()
            })?;
            send(node, &two_in)?;
            note(node, "p2pk two inputs, two outputs")?;
            let coins = [
                wallet.get_utxo(&Default::default())?,
                wallet.get_utxo(&Default::default())?,
            ];
            let two_in = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                utxos: Some(coins.to_vec()),
                num_outputs: 3,
                ..SelfTransferMultiOptions::default()
            })?;
            send(node, &two_in)?;
            note(node, "p2tr two inputs, three outputs")?;
            // OP_RETURN scripts of 35, 36 (kept in the CScript) and 37 bytes (allocated).
            for data in [33, 34, 35, 80] {
                let utxo = wallet.get_utxo(&Default::default())?;
                let t = with_op_return(&mut wallet, &utxo, data, 3)?;
                send(node, &t)?;
                let script = t.tx.output[1].script_pubkey.len();
                note(node, &format!("op_return script of {script} bytes"))?;
            }

            // A chain (one cluster, a chunk each) and a family of several chunks.
            let chain = wallet.create_self_transfer_chain(3, None)?;
            for (i, c) in chain.iter().enumerate() {
                send(node, c)?;
                note(node, &format!("chain {i}"))?;
            }
            let f = make_family(&mut wallet)?;
            for (what, t) in [
                ("p", &f.p),
                ("a", &f.a),
                ("b", &f.b),
                ("g", &f.g),
                ("x", &f.x),
            ] {
                send(node, t)?;
                note(node, &format!("family {what}"))?;
            }

            // Fee deltas: one for a transaction not in the mempool, one for a
            // singleton, one inside the chain (its cluster is left unlinearized: no
            // chunk nodes until the mining order is asked for), then cleared.
            let absent = "ab".repeat(32);
            node.call("prioritisetransaction", json!([absent, 0, 1000]))?;
            note(node, "delta for an absent txid")?;
            node.call(
                "prioritisetransaction",
                json!([f.x.txid.to_string(), 0, 1000]),
            )?;
            note(node, "delta for a singleton")?;
            let middle = chain[1].txid.to_string();
            node.call("prioritisetransaction", json!([middle, 0, 100_000]))?;
            note(node, "delta inside the chain")?;
            node.call("getrawmempool", json!([]))?;
            note(node, "the mining order read")?;
            node.call("prioritisetransaction", json!([middle, 0, -100_000]))?;
            note(node, "the chain's delta cleared")?;
            node.call("getrawmempool", json!([]))?;
            note(node, "the mining order read")?;

            // A replacement of the family's parent: the family leaves.
            let r = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(f.p.spent[0].clone()),
                fee: Amount::from_sat(100_000),
                ..SelfTransferOptions::default()
            })?;
            send(node, &r)?;
            note(node, "the family replaced")?;

            // A block takes everything; a reorg brings it back, then it is mined again.
            let hash = node.call("generatetoaddress", json!([1, P2WPKH]))?[0].clone();
            note(node, "mined")?;
            node.call("invalidateblock", json!([hash]))?;
            note(node, "block invalidated")?;
            node.call("reconsiderblock", json!([hash]))?;
            note(node, "block reconsidered")?;
            let expected: &[(&str, u64, u64)] = &[
                // Nothing allocated yet.
                ("empty", 0, 0),
                ("six funding transfers", 6, 6912),
                // Empty, but txns_randomized keeps a capacity of one (64).
                ("funding mined", 0, 64),
                // 1048 + 64 (txns_randomized of one).
                ("p2tr", 1, 1112),
                ("p2wpkh", 2, 2256),
                ("p2pk", 3, 3320),
                ("p2wpkh to four outputs", 4, 4576),
                ("p2pk two inputs, two outputs", 5, 6040),
                ("p2tr two inputs, three outputs", 6, 7520),
                ("op_return script of 35 bytes", 7, 8616),
                ("op_return script of 36 bytes", 8, 9712),
                // 1096 + 64 (the script allocated) + 320 (txns_randomized from 8 to 16).
                ("op_return script of 37 bytes", 9, 11192),
                ("op_return script of 83 bytes", 10, 12400),
                ("chain 0", 11, 13448),
                ("chain 1", 12, 14632),
                ("chain 2", 13, 15640),
                ("family p", 14, 16736),
                ("family a", 15, 17856),
                ("family b", 16, 18864),
                ("family g", 17, 20848),
                ("family x", 18, 21896),
                // A mapDeltas node each (96); inside the chain its three chunk nodes go.
                ("delta for an absent txid", 18, 21992),
                ("delta for a singleton", 18, 22088),
                ("delta inside the chain", 18, 21992),
                // Linearized again: two chunks now ([chain 0, chain 1], [chain 2]).
                ("the mining order read", 18, 22120),
                ("the chain's delta cleared", 18, 21896),
                // Three chunks again.
                ("the mining order read", 18, 22088),
                ("the family replaced", 15, 17896),
                // txns_randomized shrank to 1 (64), and the absent txid's delta stays.
                ("mined", 0, 160),
                ("block invalidated", 15, 17832),
                ("block reconsidered", 0, 160),
            ];
            let expected: Vec<(String, u64, u64)> = expected
                .iter()
                .map(|(w, s, u)| (w.to_string(), *s, *u))
                .collect();
            assert_eq!(seen, expected);
            Ok(())
        });
}

/// `-maxmempool` holds Core's `usage`, so eviction starts where Core's does, to the byte:
/// the mempool fills with transactions of about 90 kB up to 5 MB, and the one that
/// overflows it is sized so that only Core's exact accounting stops after one eviction
/// (the parts of a cluster a trim leaves behind have no chunk index nodes until they are
/// linearized again, 64 bytes each, and that brings the mempool under its limit).
#[test]
fn maxmempool_eviction_starts_where_cores_does() {
    TestFramework::new("mempool_rpcs_maxmempool_usage")
        .num_nodes(1)
        .extra_args([["-maxmempool=5"]])
        .run(|t| {
            let node = t.node(0);
            // The clock stands still, so the minimum fee decays only as the test says.
            let now = i64::try_from(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)?
                    .as_secs(),
            )?;
            node.call("setmocktime", json!([now]))?;
            let mut wallet = MiniWallet::with_node(node, MiniWalletMode::AddressOpTrue)?;
            let info = |node: &TestNode| -> anyhow::Result<(u64, u64, Value)> {
                let info = node.call("getmempoolinfo", json!([]))?;
                Ok((
                    info["size"].as_u64().expect("a size"),
                    info["usage"].as_u64().expect("a usage"),
                    info["mempoolminfee"].clone(),
                ))
            };
            let fan = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                num_outputs: 60,
                ..SelfTransferMultiOptions::default()
            })?;
            send(node, &fan)?;
            node.call("generatetoaddress", json!([1, P2WPKH]))?;
            wallet.rescan(node)?;
            let coins = fan.new_utxos.clone();
            // A cluster of three chunks: P (about 340 sat/vB) with children C1 (about
            // 48 sat/vB) and C2 (90 kB at 2 sat/vB, the cheapest in the mempool).
            let p = wallet.create_self_transfer_multi(&SelfTransferMultiOptions {
                utxos: Some(vec![coins[0].clone()]),
                num_outputs: 2,
                fee_per_output: Amount::from_sat(25_000),
                ..SelfTransferMultiOptions::default()
            })?;
            send(node, &p)?;
            let c1 = wallet.create_self_transfer(&SelfTransferOptions {
                utxo: Some(p.new_utxos[0].clone()),
                fee: Amount::from_sat(5_000),
                ..SelfTransferOptions::default()
            })?;
            send(node, &c1)?;
            let c2 = with_op_return(&mut wallet, &p.new_utxos[1], 89_000, 2)?;
            send(node, &c2)?;
            // 54 transactions of 90 120 bytes each (a 89 006-byte OP_RETURN script), at
            // 99 down to 46 sat/vB; none is evicted.
            for (i, coin) in coins.iter().enumerate().take(55).skip(1) {
                let f = with_op_return(&mut wallet, coin, 89_000, 100 - i as u64)?;
                send(node, &f)?;
            }
            assert_eq!(info(node)?, (57, 4_961_416, amount(100)));
            // One of 28 616 bytes (a 27 496-byte script) still fits.
            let m = with_op_return(&mut wallet, &coins[55], 27_492, 45)?;
            send(node, &m)?;
            assert_eq!(info(node)?, (58, 4_990_032, amount(100)));
            // One of 100 120 bytes takes it to 5 090 152: C2 leaves (90 080 bytes with
            // its chunk node and what its cluster shrinks by), and so do P's and C1's
            // chunk nodes (128) until their cluster is linearized again: 4 999 944, just
            // under the limit, so nothing else leaves. Core's regtest consistency check
            // (`-checkmempool`) after the transaction linearizes the cluster again, so
            // the mempool ends 72 bytes over its limit.
            let big = with_op_return(&mut wallet, &coins[56], 99_000, 44)?;
            send(node, &big)?;
            let in_pool = |t: &SelfTransfer| -> anyhow::Result<bool> {
                let pool = node.call("getrawmempool", json!([]))?;
                Ok(pool
                    .as_array()
                    .expect("txids")
                    .contains(&json!(t.txid.to_string())))
            };
            assert!(!in_pool(&c2)?);
            for t in [&p, &c1, &m, &big] {
                assert!(in_pool(t)?);
            }
            // The minimum fee is now C2's rate plus the incremental relay fee.
            assert_eq!(info(node)?, (58, 5_000_072, amount(2_100)));
            // A fee change in the cluster leaves it unlinearized until the mining order
            // is read: a mapDeltas node more, P's and C1's chunk nodes less.
            node.call("prioritisetransaction", json!([c1.txid.to_string(), 0, 1]))?;
            assert_eq!(info(node)?, (58, 5_000_072 + 96 - 128, amount(2_100)));
            node.call("getrawmempool", json!([]))?;
            assert_eq!(info(node)?, (58, 5_000_072 + 96, amount(2_100)));
            // Another one at 43 sat/vB is the cheapest: it leaves first, and the
            // mempool, still over its limit without it, loses the next cheapest (the
            // 100 120-byte one at 44 sat/vB) too.
            let last = with_op_return(&mut wallet, &coins[57], 89_000, 43)?;
            assert_error(
                node.call("sendrawtransaction", json!([last.hex()])),
                code::VERIFY_REJECTED,
                "mempool full",
            );
            assert!(!in_pool(&big)? && !in_pool(&last)?);
            assert!(in_pool(&m)?);
            let rate = i64::try_from(big.fee.to_sat() * 1000 / big.tx.vsize() as u64)?;
            assert_eq!(rate, 44_000);
            assert_eq!(
                info(node)?,
                (57, 5_000_072 + 96 - 100_120, amount(rate + 100))
            );
            // Emptied by blocks, the minimum fee decays from the last block's time:
            // Core's removeForBlock restarts its clock even on an empty mempool.
            for _ in 0..10 {
                if info(node)?.0 == 0 {
                    break;
                }
                node.call("generatetoaddress", json!([1, P2WPKH]))?;
            }
            assert_eq!(info(node)?.0, 0);
            node.call("setmocktime", json!([now + 3 * 3600]))?;
            node.call("generatetoaddress", json!([1, P2WPKH]))?;
            node.call("setmocktime", json!([now + 4 * 3600]))?;
            assert_eq!(info(node)?.2, amount(35_002));
            Ok(())
        });
}
