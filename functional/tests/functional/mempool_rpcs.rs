//! The mempool's read and priority commands with Umkoin Core's answers: `getmempoolentry`,
//! `getmempoolancestors`, `getmempooldescendants`, `getmempoolcluster`,
//! `getmempoolfeeratediagram`, `gettxspendingprevout`, `prioritisetransaction` and
//! `getprioritisedtransactions`, on a parent with two children and a grandchild of both
//! (plus one transaction apart), and their errors.

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
