//! Commands of Core's `src/rpc/mempool.cpp` (and the two `prioritise` ones of
//! `src/rpc/mining.cpp`): submitting transactions (`sendrawtransaction`,
//! `testmempoolaccept`), reading the mempool (`getmempoolentry`, `getmempoolancestors`,
//! `getmempooldescendants`, `getmempoolcluster`, `getmempoolfeeratediagram`,
//! `gettxspendingprevout`) and fee deltas (`prioritisetransaction`,
//! `getprioritisedtransactions`), with Core's answers and errors.
//!
//! A cluster is the connected component of parent/child links; its chunks are those of
//! its optimal linearization, in Core v31's mining order ([`Mempool::chunks`]).

use std::collections::{HashMap, HashSet};

use bitcoin::{OutPoint, Txid};
use serde_json::{Map, Value, json};
use umkoin_interfaces::rpc::code;

use super::json::amount;
use super::{Arg, ArgType, Command, Request, RpcError, RpcResult};
use crate::context::NodeContext;
use crate::mempool::{MAX_PACKAGE_COUNT, Mempool, PackageTxResult, TxReject, fee_for};
use crate::standard;

/// The commands of this module.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        category: "rawtransactions",
        name: "sendrawtransaction",
        args: &[
            Arg::required("hexstring", ArgType::Str),
            Arg::optional("maxfeerate", ArgType::Any),
            Arg::optional("maxburnamount", ArgType::Any),
        ],
        help: help::SENDRAWTRANSACTION,
        handler: sendrawtransaction,
    },
    Command {
        category: "rawtransactions",
        name: "submitpackage",
        args: &[
            Arg::required("package", ArgType::Arr),
            Arg::optional("maxfeerate", ArgType::Any),
            Arg::optional("maxburnamount", ArgType::Any),
        ],
        help: help::SUBMITPACKAGE,
        handler: submitpackage,
    },
    Command {
        category: "rawtransactions",
        name: "testmempoolaccept",
        args: &[
            Arg::required("rawtxs", ArgType::Arr),
            Arg::optional("maxfeerate", ArgType::Any),
        ],
        help: help::TESTMEMPOOLACCEPT,
        handler: testmempoolaccept,
    },
    Command {
        category: "blockchain",
        name: "getmempoolancestors",
        args: &[
            Arg::required("txid", ArgType::Str),
            Arg::optional("verbose", ArgType::Bool),
        ],
        help: help::GETMEMPOOLANCESTORS,
        handler: getmempoolancestors,
    },
    Command {
        category: "blockchain",
        name: "getmempooldescendants",
        args: &[
            Arg::required("txid", ArgType::Str),
            Arg::optional("verbose", ArgType::Bool),
        ],
        help: help::GETMEMPOOLDESCENDANTS,
        handler: getmempooldescendants,
    },
    Command {
        category: "blockchain",
        name: "getmempoolentry",
        args: &[Arg::required("txid", ArgType::Str)],
        help: help::GETMEMPOOLENTRY,
        handler: getmempoolentry,
    },
    Command {
        category: "blockchain",
        name: "getmempoolcluster",
        args: &[Arg::required("txid", ArgType::Str)],
        help: help::GETMEMPOOLCLUSTER,
        handler: getmempoolcluster,
    },
    Command {
        category: "blockchain",
        name: "gettxspendingprevout",
        // Core's `GetArgNames`: the options object's named-only members come before it.
        // Both positional arguments are checked by the handler, as Core checks them
        // (the table's check would take the named-only entries for positions).
        args: &[
            Arg::required("outputs", ArgType::Any),
            named_only("mempool_only"),
            named_only("return_spending_tx"),
            Arg::optional("options", ArgType::Any),
        ],
        help: help::GETTXSPENDINGPREVOUT,
        handler: gettxspendingprevout,
    },
    Command {
        category: "hidden",
        name: "getmempoolfeeratediagram",
        args: &[],
        help: help::GETMEMPOOLFEERATEDIAGRAM,
        handler: getmempoolfeeratediagram,
    },
    Command {
        category: "mining",
        name: "prioritisetransaction",
        args: &[
            Arg::required("txid", ArgType::Str),
            Arg::optional("dummy", ArgType::Num),
            Arg::required("fee_delta", ArgType::Num),
        ],
        help: help::PRIORITISETRANSACTION,
        handler: prioritisetransaction,
    },
    Command {
        category: "mining",
        name: "getprioritisedtransactions",
        args: &[],
        help: help::GETPRIORITISEDTRANSACTIONS,
        handler: getprioritisedtransactions,
    },
];

/// A member of an options object that may also be passed as a named argument (Core's
/// `OBJ_NAMED_PARAMS` inner arguments).
const fn named_only(names: &'static str) -> Arg {
    Arg {
        names,
        ty: ArgType::Any,
        optional: true,
        named_only: true,
    }
}

/// Core's `DEFAULT_MAX_RAW_TX_FEE_RATE`: 0.10 coins per kvB.
const DEFAULT_MAX_RAW_TX_FEE_RATE: i64 = 10_000_000;
/// Core's `COIN`.
const COIN: i64 = 100_000_000;

/// Core's `AmountFromValue`: a JSON number or string of coins with at most 8 decimals,
/// in the money range.
pub(super) fn amount_from_value(v: &Value) -> Result<i64, RpcError> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => {
            return Err(RpcError::new(
                code::TYPE_ERROR,
                "Amount is not a number or string",
            ));
        }
    };
    let sats = parse_fixed_point(&text, 8)
        .ok_or_else(|| RpcError::new(code::TYPE_ERROR, "Invalid amount"))?;
    if !(0..=crate::validation::MAX_MONEY).contains(&sats) {
        return Err(RpcError::new(code::TYPE_ERROR, "Amount out of range"));
    }
    Ok(sats)
}

/// Core's `ParseFixedPoint`: a decimal (optional sign, digits, fraction, exponent) as an
/// integer of `decimals` places; `None` if malformed, too precise or too large.
fn parse_fixed_point(text: &str, decimals: i32) -> Option<i64> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => {
            let e = &rest[i + 1..];
            let e = e.strip_prefix('+').unwrap_or(e);
            if e.is_empty()
                || !e
                    .trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit())
            {
                return None;
            }
            (&rest[..i], e.parse::<i32>().ok()?)
        }
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (int.len() > 1 && int.starts_with('0'))
    {
        return None;
    }
    let digits: String = format!("{int}{frac}");
    let point = decimals + exponent - frac.len() as i32;
    let trimmed = digits.trim_start_matches('0');
    if trimmed.len() > 18 {
        return None;
    }
    let mut value: i64 = if trimmed.is_empty() {
        0
    } else {
        trimmed.parse().ok()?
    };
    if point >= 0 {
        for _ in 0..point {
            value = value.checked_mul(10)?;
        }
    } else {
        for _ in 0..-point {
            if value % 10 != 0 {
                return None;
            }
            value /= 10;
        }
    }
    if value >= 1_000_000_000_000_000_000 {
        return None;
    }
    Some(if negative { -value } else { value })
}

/// Core's `ParseFeeRate`: satoshis per kvB from an amount below one coin per kvB.
fn parse_fee_rate(v: &Value) -> Result<i64, RpcError> {
    if v.is_null() {
        return Ok(DEFAULT_MAX_RAW_TX_FEE_RATE);
    }
    let rate = amount_from_value(v)?;
    if rate >= COIN {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Fee rates larger than or equal to 1UMK/kvB are not accepted",
        ));
    }
    Ok(rate)
}

/// `sendrawtransaction "hexstring" ( maxfeerate maxburnamount )`: Core's
/// `BroadcastTransaction` (there are no peers to relay to yet).
fn sendrawtransaction(ctx: &NodeContext, req: &Request) -> RpcResult {
    let max_burn = match req.param(2) {
        Value::Null => 0,
        v => amount_from_value(v)?,
    };
    let hex = req.param(0).as_str().unwrap_or_default();
    let tx = super::rawtransaction::decode_hex_tx(hex, true, true).ok_or_else(|| {
        RpcError::new(
            code::DESERIALIZATION_ERROR,
            "TX decode failed. Make sure the tx has at least one input.",
        )
    })?;
    for out in &tx.output {
        let unspendable = out.script_pubkey.is_op_return()
            || out.script_pubkey.len() > super::txjson::MAX_SCRIPT_SIZE
            || !super::txjson::has_valid_ops(out.script_pubkey.as_bytes());
        if unspendable && out.value.to_sat() as i64 > max_burn {
            return Err(RpcError::new(
                code::VERIFY_ERROR,
                "Unspendable output exceeds maximum configured by user (maxburnamount)",
            ));
        }
    }
    let max_rate = parse_fee_rate(req.param(1))?;
    // Core's GetVirtualTransactionSize without signature operations.
    let max_fee = fee_for(max_rate, tx.weight().to_wu().div_ceil(4));
    let txid = tx.compute_txid();
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let store = store
        .as_ref()
        .ok_or_else(|| RpcError::new(code::IN_WARMUP, "Loading block index…"))?;
    for vout in 0..tx.output.len() as u32 {
        if store
            .coin(&bitcoin::OutPoint::new(txid, vout))
            .ok()
            .flatten()
            .is_some()
        {
            return Err(RpcError::new(
                code::VERIFY_ALREADY_IN_UTXO_SET,
                "Transaction outputs already in utxo set",
            ));
        }
    }
    let chain = super::blockchain::chain(ctx).clone();
    let mut pool = ctx.pool.lock().expect("the mempool lock is never poisoned");
    if pool.contains(&txid) {
        return Ok(json!(txid.to_string()));
    }
    let now = ctx.now();
    let broadcast_error = |e: TxReject| {
        if e.missing_inputs {
            RpcError::new(code::VERIFY_ERROR, e.to_core_string())
        } else {
            RpcError::new(code::VERIFY_REJECTED, e.to_core_string())
        }
    };
    if max_fee > 0 {
        let tried = pool
            .accept(store, &chain, tx.clone(), now, true)
            .map_err(broadcast_error)?;
        if tried.fee.to_sat() as i64 > max_fee {
            return Err(RpcError::new(
                code::VERIFY_ERROR,
                "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)",
            ));
        }
    }
    pool.accept(store, &chain, tx, now, false)
        .map_err(broadcast_error)?;
    pool.add_unbroadcast(txid);
    Ok(json!(txid.to_string()))
}

/// `testmempoolaccept ["rawtx",...] ( maxfeerate )`: whether each transaction would be
/// accepted, without accepting it.
fn testmempoolaccept(ctx: &NodeContext, req: &Request) -> RpcResult {
    let raw = req.param(0).as_array().cloned().unwrap_or_default();
    if raw.is_empty() || raw.len() > MAX_PACKAGE_COUNT {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!("Array must contain between 1 and {MAX_PACKAGE_COUNT} transactions."),
        ));
    }
    let max_rate = parse_fee_rate(req.param(1))?;
    let mut txs = Vec::with_capacity(raw.len());
    for item in &raw {
        let hex = item.as_str().ok_or_else(|| {
            RpcError::new(
                code::TYPE_ERROR,
                format!(
                    "JSON value of type {} is not of expected type string",
                    super::json::type_name(item)
                ),
            )
        })?;
        txs.push(
            super::rawtransaction::decode_hex_tx(hex, true, true).ok_or_else(|| {
                RpcError::new(
                    code::DESERIALIZATION_ERROR,
                    format!("TX decode failed: {hex} Make sure the tx has at least one input."),
                )
            })?,
        );
    }
    if txs.len() > 1 {
        return test_package(ctx, &txs, max_rate);
    }
    let tx = txs.remove(0);
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let store = store
        .as_ref()
        .ok_or_else(|| RpcError::new(code::IN_WARMUP, "Loading block index…"))?;
    let chain = super::blockchain::chain(ctx).clone();
    let mut pool = ctx.pool.lock().expect("the mempool lock is never poisoned");
    let mut result = json!({
        "txid": tx.compute_txid().to_string(),
        "wtxid": tx.compute_wtxid().to_string(),
    });
    let delta = pool.delta(&tx.compute_txid());
    match pool.accept(store, &chain, tx, ctx.now(), true) {
        Ok(ok) => {
            let fee = ok.fee.to_sat() as i64;
            let max_fee = fee_for(max_rate, ok.vsize);
            if max_fee != 0 && fee > max_fee {
                result["allowed"] = json!(false);
                result["reject-reason"] = json!("max-fee-exceeded");
            } else {
                result["allowed"] = json!(true);
                result["vsize"] = json!(ok.vsize);
                // CFeeRate(modified fee, vsize).GetFeePerK(): rounded down.
                let per_kvb = (fee + delta) * 1000 / ok.vsize as i64;
                result["fees"] = json!({
                    "base": amount(fee),
                    "effective-feerate": amount(per_kvb),
                    "effective-includes": [ok.wtxid.to_string()],
                });
            }
        }
        Err(e) => {
            result["allowed"] = json!(false);
            if e.missing_inputs {
                result["reject-reason"] = json!("missing-inputs");
            } else {
                result["reject-reason"] = json!(e.reason);
                result["reject-details"] = json!(e.to_core_string());
            }
        }
    }
    Ok(json!([result]))
}

/// Core's `ParseHashV` for a txid: 64 hexadecimal digits.
fn parse_txid(v: &Value, name: &str) -> Result<Txid, RpcError> {
    let s = v.as_str().unwrap_or_default();
    if s.len() != 64 {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!("{name} must be of length 64 (not {}, for '{s}')", s.len()),
        ));
    }
    s.parse::<Txid>().map_err(|_| {
        RpcError::new(
            code::INVALID_PARAMETER,
            format!("{name} must be hexadecimal string (not '{s}')"),
        )
    })
}

/// The mempool, locked.
fn lock_pool(ctx: &NodeContext) -> std::sync::MutexGuard<'_, Mempool> {
    ctx.pool.lock().expect("the mempool lock is never poisoned")
}

/// Core's answer for a txid the mempool does not hold.
fn not_in_mempool() -> RpcError {
    RpcError::new(code::INVALID_ADDRESS_OR_KEY, "Transaction not in mempool")
}

/// Core's `GetModifiedFee`: the fee with the `prioritisetransaction` delta, in satoshis.
fn modified_fee(pool: &Mempool, txid: &Txid) -> i64 {
    pool.get(txid)
        .map_or(0, |e| e.fee.to_sat() as i64)
        .saturating_add(pool.delta(txid))
}

/// The mempool's chunks (see the module documentation), in mining order, and the chunk
/// of each transaction.
pub(super) struct Chunks {
    chunks: Vec<Vec<Txid>>,
    of: HashMap<Txid, usize>,
}

impl Chunks {
    /// The whole mempool's chunks, in mining order.
    pub(super) fn of_pool(pool: &Mempool) -> Chunks {
        Chunks::of(pool.chunks())
    }

    /// The chunks of `txid`'s cluster alone, in its linearization order (what one
    /// entry's chunk fields need, without working out the whole mempool).
    fn of_cluster(pool: &Mempool, txid: &Txid) -> Chunks {
        let nodes: Vec<crate::clusters::Node> = cluster_of(pool, txid)
            .into_iter()
            .filter_map(|t| {
                let e = pool.get(&t)?;
                Some(crate::clusters::Node {
                    txid: t,
                    fee: modified_fee(pool, &t),
                    weight: pool.adjusted_weight(e),
                    parents: pool.parents(&e.tx),
                })
            })
            .collect();
        let clusters = crate::clusters::Clusters::of(&nodes);
        Chunks::of(
            clusters
                .clusters
                .into_iter()
                .flatten()
                .map(|c| c.txids)
                .collect(),
        )
    }

    fn of(chunks: Vec<Vec<Txid>>) -> Chunks {
        let of = chunks
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.iter().map(move |t| (*t, i)))
            .collect();
        Chunks { chunks, of }
    }

    /// Every transaction, chunk after chunk.
    pub(super) fn order(&self) -> Vec<Txid> {
        self.chunks.iter().flatten().copied().collect()
    }

    /// The chunk of `txid` (itself alone if the mempool does not hold it).
    fn chunk_of(&self, txid: &Txid) -> Vec<Txid> {
        self.of
            .get(txid)
            .map_or_else(|| vec![*txid], |i| self.chunks[*i].clone())
    }

    /// The (modified) fee and sigops-adjusted weight of `chunk`, Core's `FeePerWeight`.
    fn fee_and_weight(pool: &Mempool, chunk: &[Txid]) -> (i64, u64) {
        chunk.iter().fold((0, 0), |(fee, weight), t| {
            (
                fee.saturating_add(modified_fee(pool, t)),
                weight + pool.get(t).map_or(0, |e| pool.adjusted_weight(e)),
            )
        })
    }
}

/// Core's `GetCluster`: the connected component of `txid` in the parent/child graph.
fn cluster_of(pool: &Mempool, txid: &Txid) -> HashSet<Txid> {
    let mut found = HashSet::new();
    let mut stack = vec![*txid];
    while let Some(t) = stack.pop() {
        let Some(e) = pool.get(&t) else { continue };
        if found.insert(t) {
            stack.extend(pool.parents(&e.tx));
            stack.extend(pool.children(&t));
        }
    }
    found
}

/// `txids` in Core's `setEntries` order (by txid, as its bytes compare).
fn sorted(txids: impl IntoIterator<Item = Txid>) -> Vec<Txid> {
    let mut v: Vec<Txid> = txids.into_iter().collect();
    v.sort();
    v
}

/// `getmempoolentry "txid"`.
fn getmempoolentry(ctx: &NodeContext, req: &Request) -> RpcResult {
    let txid = parse_txid(req.param(0), "txid")?;
    let pool = lock_pool(ctx);
    entry_json(&pool, &txid).ok_or_else(not_in_mempool)
}

/// `getmempoolancestors "txid" ( verbose )`.
fn getmempoolancestors(ctx: &NodeContext, req: &Request) -> RpcResult {
    relatives(ctx, req, Mempool::ancestors)
}

/// `getmempooldescendants "txid" ( verbose )`.
fn getmempooldescendants(ctx: &NodeContext, req: &Request) -> RpcResult {
    relatives(ctx, req, Mempool::descendants)
}

/// The ancestors or descendants (`which`) of a mempool transaction, as txids or, when
/// verbose, as a map of `entryToJSON` objects; both in txid order as Core's.
fn relatives(
    ctx: &NodeContext,
    req: &Request,
    which: fn(&Mempool, &Txid) -> HashSet<Txid>,
) -> RpcResult {
    let verbose = req.param(1).as_bool().unwrap_or(false);
    let txid = parse_txid(req.param(0), "txid")?;
    let pool = lock_pool(ctx);
    if !pool.contains(&txid) {
        return Err(not_in_mempool());
    }
    let found = sorted(which(&pool, &txid));
    if !verbose {
        return Ok(json!(
            found.iter().map(ToString::to_string).collect::<Vec<_>>()
        ));
    }
    // The transaction's relatives share its cluster.
    let chunks = Chunks::of_cluster(&pool, &txid);
    let mut out = Map::new();
    for t in &found {
        if let Some(v) = entry_json_with(&pool, t, &chunks) {
            out.insert(t.to_string(), v);
        }
    }
    Ok(Value::Object(out))
}

/// `getmempoolcluster "txid"`: Core's `clusterToJSON` of the transaction's cluster, its
/// chunks in mining order.
fn getmempoolcluster(ctx: &NodeContext, req: &Request) -> RpcResult {
    let txid = parse_txid(req.param(0), "txid")?;
    let pool = lock_pool(ctx);
    if !pool.contains(&txid) {
        return Err(not_in_mempool());
    }
    let cluster = cluster_of(&pool, &txid);
    let chunks = Chunks::of_cluster(&pool, &txid);
    let mut weight = 0u64;
    let mut out = Vec::new();
    for chunk in chunks
        .chunks
        .iter()
        .filter(|c| c.iter().any(|t| cluster.contains(t)))
    {
        let (chunk_fee, chunk_weight) = Chunks::fee_and_weight(&pool, chunk);
        weight += chunk_weight;
        out.push(json!({
            "chunkfee": amount(chunk_fee),
            "chunkweight": chunk_weight,
            "txs": chunk.iter().map(ToString::to_string).collect::<Vec<_>>(),
        }));
    }
    Ok(json!({
        "clusterweight": weight,
        "txcount": cluster.len(),
        "chunks": out,
    }))
}

/// `getmempoolfeeratediagram`: the cumulative (sigops-adjusted) weight and (modified)
/// fee after each chunk in mining order, from the origin.
fn getmempoolfeeratediagram(ctx: &NodeContext, _req: &Request) -> RpcResult {
    let pool = lock_pool(ctx);
    let (mut weight, mut fee) = (0u64, 0i64);
    let mut out = vec![json!({ "weight": 0, "fee": amount(0) })];
    for chunk in pool.chunks() {
        let (f, w) = Chunks::fee_and_weight(&pool, &chunk);
        weight += w;
        fee = fee.saturating_add(f);
        out.push(json!({ "weight": weight, "fee": amount(fee) }));
    }
    Ok(Value::Array(out))
}

/// Core's `RPCTypeCheckObj`: each of `expected` (name, UniValue type name) present
/// (unless `allow_null`) with its type, and, `strict`, no other key.
fn type_check_obj(
    o: &Map<String, Value>,
    expected: &[(&str, &str)],
    allow_null: bool,
    strict: bool,
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
    if strict && let Some(k) = o.keys().find(|k| !expected.iter().any(|(n, _)| n == k)) {
        return Err(RpcError::new(
            code::TYPE_ERROR,
            format!("Unexpected key {k}"),
        ));
    }
    Ok(())
}

/// `gettxspendingprevout [{"txid":"hex","vout":n},...] ( options )`: the mempool
/// transaction spending each output. There is no `-txospenderindex` here, so
/// `mempool_only` defaults to true, and false answers Core's error for an output no
/// mempool transaction spends.
fn gettxspendingprevout(ctx: &NodeContext, req: &Request) -> RpcResult {
    let params = req.params.as_array().map_or(&[][..], Vec::as_slice);
    if params.len() > 2 {
        return Err(RpcError::new(code::MISC_ERROR, help::GETTXSPENDINGPREVOUT));
    }
    // Core's argument type check (for the two positions the table leaves to us).
    let mut mismatch = Map::new();
    for (i, (name, ty)) in [("outputs", "array"), ("options", "object")]
        .iter()
        .enumerate()
    {
        let v = req.param(i);
        let actual = super::json::type_name(v);
        if (i == 0 || !v.is_null()) && actual != *ty {
            mismatch.insert(
                format!("Position {} ({name})", i + 1),
                json!(format!(
                    "JSON value of type {actual} is not of expected type {ty}"
                )),
            );
        }
    }
    if !mismatch.is_empty() {
        return Err(RpcError::new(
            code::TYPE_ERROR,
            format!(
                "Wrong type passed:\n{}",
                super::json::write_indented(&Value::Object(mismatch), 4)
            ),
        ));
    }
    let outputs = req.param(0).as_array().map_or(&[][..], Vec::as_slice);
    if outputs.is_empty() {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Invalid parameter, outputs are missing",
        ));
    }
    let options = req.param(1).as_object().cloned().unwrap_or_default();
    type_check_obj(
        &options,
        &[("mempool_only", "bool"), ("return_spending_tx", "bool")],
        true,
        true,
    )?;
    // Without a txospenderindex, Core's default is the mempool alone.
    let mempool_only = options
        .get("mempool_only")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let return_spending_tx = options
        .get("return_spending_tx")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut prevouts = Vec::with_capacity(outputs.len());
    for o in outputs {
        let obj = o.as_object().ok_or_else(|| {
            RpcError::new(
                code::TYPE_ERROR,
                format!(
                    "JSON value of type {} is not of expected type object",
                    super::json::type_name(o)
                ),
            )
        })?;
        type_check_obj(obj, &[("txid", "string"), ("vout", "number")], false, true)?;
        let txid = parse_txid(&obj["txid"], "txid")?;
        let vout = super::blockchain::get_int32(&obj["vout"])?;
        let vout = u32::try_from(vout).map_err(|_| {
            RpcError::new(
                code::INVALID_PARAMETER,
                "Invalid parameter, vout cannot be negative",
            )
        })?;
        prevouts.push((OutPoint::new(txid, vout), obj));
    }
    let pool = lock_pool(ctx);
    let mut result = Vec::with_capacity(prevouts.len());
    for (prevout, input) in prevouts {
        // Core answers with the object it was given, and what it found.
        let mut o = input.clone();
        match pool.spender(&prevout).and_then(|t| pool.get(&t)) {
            Some(spender) => {
                o.insert("spendingtxid".into(), json!(spender.txid.to_string()));
                if return_spending_tx {
                    o.insert(
                        "spendingtx".into(),
                        json!(bitcoin::consensus::encode::serialize_hex(&*spender.tx)),
                    );
                }
            }
            None if !mempool_only => {
                return Err(RpcError::new(
                    code::MISC_ERROR,
                    format!(
                        "No spending tx for the outpoint {}:{} in mempool, and txospenderindex is unavailable.",
                        prevout.txid, prevout.vout
                    ),
                ));
            }
            None => {}
        }
        result.push(Value::Object(o));
    }
    Ok(Value::Array(result))
}

/// `prioritisetransaction "txid" ( dummy ) fee_delta`: Core's `PrioritiseTransaction`,
/// whether or not the mempool holds the transaction (a delta waits for it).
fn prioritisetransaction(ctx: &NodeContext, req: &Request) -> RpcResult {
    let txid = parse_txid(req.param(0), "txid")?;
    let dummy = req.param(1).as_f64();
    let delta = super::blockchain::get_int64(req.param(2))?;
    if dummy.is_some_and(|d| d != 0.0) {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Priority is no longer supported, dummy argument to prioritisetransaction must be 0.",
        ));
    }
    let require_standard = !ctx.args.get_bool_arg("-acceptnonstdtxn", false);
    let dust_rate = ctx
        .args
        .get_arg("-dustrelayfee")
        .and_then(|v| crate::policy::parse_money(&v))
        .unwrap_or(standard::DUST_RELAY_TX_FEE);
    let mut pool = lock_pool(ctx);
    if require_standard
        && pool
            .get(&txid)
            .is_some_and(|e| !standard::dust_outputs(&e.tx, dust_rate).is_empty())
    {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Priority is not supported for transactions with dust outputs.",
        ));
    }
    // Core adds saturating; `Mempool::prioritise` adds what keeps the total in range.
    let current = pool.delta(&txid);
    let step = current.saturating_add(delta) - current;
    // Core's mempool sequence (getrawmempool's `mempool_sequence`) counts transactions
    // entering and leaving, not fee deltas.
    let sequence = pool.sequence_number;
    pool.prioritise(txid, step);
    pool.sequence_number = sequence;
    Ok(json!(true))
}

/// `getprioritisedtransactions`: every fee delta, by txid (in Core's map order), with
/// whether the transaction is in the mempool and then its modified fee.
fn getprioritisedtransactions(ctx: &NodeContext, _req: &Request) -> RpcResult {
    let pool = lock_pool(ctx);
    let mut out = Map::new();
    for (txid, delta) in pool.deltas() {
        let mut o = Map::new();
        o.insert("fee_delta".into(), json!(delta));
        let in_mempool = pool.contains(txid);
        o.insert("in_mempool".into(), json!(in_mempool));
        if in_mempool {
            o.insert("modified_fee".into(), json!(modified_fee(&pool, txid)));
        }
        out.insert(txid.to_string(), Value::Object(o));
    }
    Ok(Value::Object(out))
}

/// `testmempoolaccept` of several transactions: Core's package test, one result per
/// transaction (`allowed` only for those validated), `package-error` on each when the
/// package as a whole breaks a policy.
fn test_package(ctx: &NodeContext, txs: &[bitcoin::Transaction], max_rate: i64) -> RpcResult {
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let store = store
        .as_ref()
        .ok_or_else(|| RpcError::new(code::IN_WARMUP, "Loading block index…"))?;
    let chain = super::blockchain::chain(ctx).clone();
    let mut pool = ctx.pool.lock().expect("the mempool lock is never poisoned");
    let tested = pool.test_package(store, &chain, txs, ctx.now());
    let mut answers = Vec::with_capacity(txs.len());
    let mut exit_early = false;
    for (i, tx) in txs.iter().enumerate() {
        let mut result = json!({
            "txid": tx.compute_txid().to_string(),
            "wtxid": tx.compute_wtxid().to_string(),
        });
        if let Some(e) = &tested.package_error {
            result["package-error"] = json!(e);
        }
        match tested.results.get(i).and_then(Option::as_ref) {
            _ if exit_early => {}
            None => {}
            Some(Ok(ok)) => {
                let fee = ok.fee.to_sat() as i64;
                let max_fee = fee_for(max_rate, ok.vsize);
                if max_fee != 0 && fee > max_fee {
                    result["allowed"] = json!(false);
                    result["reject-reason"] = json!("max-fee-exceeded");
                    exit_early = true;
                } else {
                    result["allowed"] = json!(true);
                    result["vsize"] = json!(ok.vsize);
                    let delta = pool.delta(&ok.txid);
                    let per_kvb = (fee + delta) * 1000 / ok.vsize as i64;
                    result["fees"] = json!({
                        "base": amount(fee),
                        "effective-feerate": amount(per_kvb),
                        "effective-includes": [ok.wtxid.to_string()],
                    });
                }
            }
            Some(Err(e)) => {
                result["allowed"] = json!(false);
                if e.missing_inputs {
                    result["reject-reason"] = json!("missing-inputs");
                } else {
                    result["reject-reason"] = json!(e.reason);
                    result["reject-details"] = json!(e.to_core_string());
                }
            }
        }
        answers.push(result);
    }
    Ok(Value::Array(answers))
}

/// `submitpackage ["rawtx",...] ( maxfeerate maxburnamount )`: Core's `AcceptPackage`
/// for a child with its parents; what was accepted stays, each transaction's result is
/// reported by wtxid.
fn submitpackage(ctx: &NodeContext, req: &Request) -> RpcResult {
    let raw = req.param(0).as_array().cloned().unwrap_or_default();
    if raw.is_empty() || raw.len() > MAX_PACKAGE_COUNT {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!("Array must contain between 1 and {MAX_PACKAGE_COUNT} transactions."),
        ));
    }
    let max_rate = parse_fee_rate(req.param(1))?;
    let max_burn = match req.param(2) {
        Value::Null => 0,
        v => amount_from_value(v)?,
    };
    let mut txs = Vec::with_capacity(raw.len());
    for item in &raw {
        let hex = item.as_str().ok_or_else(|| {
            RpcError::new(
                code::TYPE_ERROR,
                format!(
                    "JSON value of type {} is not of expected type string",
                    super::json::type_name(item)
                ),
            )
        })?;
        let tx = super::rawtransaction::decode_hex_tx(hex, true, true).ok_or_else(|| {
            RpcError::new(
                code::DESERIALIZATION_ERROR,
                format!("TX decode failed: {hex} Make sure the tx has at least one input."),
            )
        })?;
        for out in &tx.output {
            let unspendable = out.script_pubkey.is_op_return()
                || out.script_pubkey.len() > super::txjson::MAX_SCRIPT_SIZE
                || !super::txjson::has_valid_ops(out.script_pubkey.as_bytes());
            if unspendable && out.value.to_sat() as i64 > max_burn {
                return Err(RpcError::new(
                    code::VERIFY_ERROR,
                    "Unspendable output exceeds maximum configured by user (maxburnamount)",
                ));
            }
        }
        txs.push(tx);
    }
    if txs.len() > 1 && !crate::mempool::is_child_with_parents_tree(&txs) {
        return Err(RpcError::new(
            code::VERIFY_ERROR,
            "package topology disallowed. not child-with-parents or parents depend on each other.",
        ));
    }
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let store = store
        .as_ref()
        .ok_or_else(|| RpcError::new(code::IN_WARMUP, "Loading block index…"))?;
    let chain = super::blockchain::chain(ctx).clone();
    let mut pool = ctx.pool.lock().expect("the mempool lock is never poisoned");
    let outcome = pool.submit_package(
        store,
        &chain,
        &txs,
        ctx.now(),
        (max_rate != 0).then_some(max_rate),
    );
    // What is in the mempool now is broadcast (to no peers yet: it waits).
    for tx in &txs {
        pool.add_unbroadcast(tx.compute_txid());
    }
    let mut results = serde_json::Map::new();
    let mut replaced = std::collections::BTreeSet::new();
    for (tx, result) in txs.iter().zip(&outcome.results) {
        let mut inner = json!({ "txid": tx.compute_txid().to_string() });
        match result {
            None => inner["error"] = json!("package-not-validated"),
            Some(PackageTxResult::DifferentWitness(w)) => {
                inner["other-wtxid"] = json!(w.to_string());
            }
            Some(PackageTxResult::Failed(e)) => inner["error"] = json!(e.to_core_string()),
            Some(PackageTxResult::InMempool { vsize, fee }) => {
                inner["vsize"] = json!(vsize);
                inner["fees"] = json!({ "base": amount(fee.to_sat() as i64) });
            }
            Some(PackageTxResult::Accepted {
                vsize,
                fee,
                effective_feerate,
                includes,
                replaced: r,
            }) => {
                inner["vsize"] = json!(vsize);
                inner["fees"] = json!({
                    "base": amount(fee.to_sat() as i64),
                    "effective-feerate": amount(*effective_feerate),
                    "effective-includes": includes.iter().map(ToString::to_string).collect::<Vec<_>>(),
                });
                replaced.extend(r.iter().copied());
            }
        }
        results.insert(tx.compute_wtxid().to_string(), inner);
    }
    Ok(json!({
        "package_msg": outcome.message,
        "tx-results": results,
        "replaced-transactions": replaced.iter().map(ToString::to_string).collect::<Vec<_>>(),
    }))
}

/// Core's help texts of these commands.
mod help {
    /// `help sendrawtransaction`.
    pub(super) const SENDRAWTRANSACTION: &str = r#"sendrawtransaction "hexstring" ( maxfeerate maxburnamount )

Submit a raw transaction (serialized, hex-encoded) to the network.

If -privatebroadcast is disabled, then the transaction will be put into the
local mempool of the node and will be sent unconditionally to all currently
connected peers, so using sendrawtransaction for manual rebroadcast will degrade
privacy by leaking the transaction's origin, as nodes will normally not
rebroadcast non-wallet transactions already in their mempool.

If -privatebroadcast is enabled, then the transaction will be sent only via
dedicated, short-lived connections to Tor or I2P peers or IPv4/IPv6 peers
via the Tor network. This conceals the transaction's origin. The transaction
will only enter the local mempool when it is received back from the network.

A specific exception, RPC_TRANSACTION_ALREADY_IN_UTXO_SET, may throw if the transaction cannot be added to the mempool.

Related RPCs: createrawtransaction, signrawtransactionwithkey

Arguments:
1. hexstring        (string, required) The hex string of the raw transaction
2. maxfeerate       (numeric or string, optional, default="0.10") Reject transactions whose fee rate is higher than the specified value, expressed in UMK/kvB.
                    Fee rates larger than 1UMK/kvB are rejected.
                    Set to 0 to accept any fee rate.
3. maxburnamount    (numeric or string, optional, default="0.00") Reject transactions with provably unspendable outputs (e.g. 'datacarrier' outputs that use the OP_RETURN opcode) greater than the specified value, expressed in UMK.
                    If burning funds through unspendable outputs is desired, increase this value.
                    This check is based on heuristics and does not guarantee spendability of outputs.
                    

Result:
"hex"    (string) The transaction hash in hex

Examples:

Create a transaction
> umkoin-cli createrawtransaction "[{\"txid\" : \"mytxid\",\"vout\":0}]" "{\"myaddress\":0.01}"
Sign the transaction, and get back the hex
> umkoin-cli signrawtransactionwithwallet "myhex"

Send the transaction (signed hex)
> umkoin-cli sendrawtransaction "signedhex"

As a JSON-RPC call
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "sendrawtransaction", "params": ["signedhex"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;
    /// `help submitpackage`.
    pub(super) const SUBMITPACKAGE: &str = r#"submitpackage ["rawtx",...] ( maxfeerate maxburnamount )

Submit a package of raw transactions (serialized, hex-encoded) to local node.
The package will be validated according to consensus and mempool policy rules. If any transaction passes, it will be accepted to mempool.
This RPC is experimental and the interface may be unstable. Refer to doc/policy/packages.md for documentation on package policies.
Warning: successful submission does not mean the transactions will propagate throughout the network.

Arguments:
1. package          (json array, required) An array of raw transactions.
                    The package must consist of a transaction with (some, all, or none of) its unconfirmed parents. A single transaction is permitted.
                    None of the parents may depend on each other. Parents that are already in mempool do not need to be present in the package.
                    The package must be topologically sorted, with the child being the last element in the array if there are multiple elements.
     [
       "rawtx",     (string)
       ...
     ]
2. maxfeerate       (numeric or string, optional, default="0.10") Reject transactions whose fee rate is higher than the specified value, expressed in UMK/kvB.
                    Fee rates larger than 1UMK/kvB are rejected.
                    Set to 0 to accept any fee rate.
3. maxburnamount    (numeric or string, optional, default="0.00") Reject transactions with provably unspendable outputs (e.g. 'datacarrier' outputs that use the OP_RETURN opcode) greater than the specified value, expressed in UMK.
                    If burning funds through unspendable outputs is desired, increase this value.
                    This check is based on heuristics and does not guarantee spendability of outputs.
                    

Result:
{                                   (json object)
  "package_msg" : "str",            (string) The transaction package result message. "success" indicates all transactions were accepted into or are already in the mempool.
  "tx-results" : {                  (json object) The transaction results keyed by wtxid. An entry is returned for every submitted wtxid.
    "wtxid" : {                     (json object) transaction wtxid
      "txid" : "hex",               (string) The transaction hash in hex
      "other-wtxid" : "hex",        (string, optional) The wtxid of a different transaction with the same txid but different witness found in the mempool. This means the submitted transaction was ignored.
      "vsize" : n,                  (numeric, optional) Sigops-adjusted virtual transaction size.
      "fees" : {                    (json object, optional) Transaction fees
        "base" : n,                 (numeric) transaction fee in UMK
        "effective-feerate" : n,    (numeric, optional) if the transaction was not already in the mempool, the effective feerate in UMK per KvB. For example, the package feerate and/or feerate with modified fees from prioritisetransaction.
        "effective-includes" : [    (json array, optional) if effective-feerate is provided, the wtxids of the transactions whose fees and vsizes are included in effective-feerate.
          "hex",                    (string) transaction wtxid in hex
          ...
        ]
      },
      "error" : "str"               (string, optional) Error string if rejected from mempool, or "package-not-validated" when the package aborts before any per-tx processing.
    },
    ...
  },
  "replaced-transactions" : [       (json array, optional) List of txids of replaced transactions
    "hex",                          (string) The transaction id
    ...
  ]
}

Examples:
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "submitpackage", "params": [["raw-parent-tx-1", "raw-parent-tx-2", "raw-child-tx"]]}' -H 'content-type: application/json' http://127.0.0.1:6332/
> umkoin-cli submitpackage '["raw-tx-without-unconfirmed-parents"]'
"#;
    /// `help testmempoolaccept`.
    pub(super) const TESTMEMPOOLACCEPT: &str = r#"testmempoolaccept ["rawtx",...] ( maxfeerate )

Returns result of mempool acceptance tests indicating if raw transaction(s) (serialized, hex-encoded) would be accepted by mempool.

If multiple transactions are passed in, parents must come before children and package policies apply: the transactions cannot conflict with any mempool transactions or each other.

If one transaction fails, other transactions may not be fully validated (the 'allowed' key will be blank).

The maximum number of transactions allowed is 25.

This checks if transactions violate the consensus or policy rules.

See sendrawtransaction call.

Arguments:
1. rawtxs          (json array, required) An array of hex strings of raw transactions.
     [
       "rawtx",    (string)
       ...
     ]
2. maxfeerate      (numeric or string, optional, default="0.10") Reject transactions whose fee rate is higher than the specified value, expressed in UMK/kvB.
                   Fee rates larger than 1UMK/kvB are rejected.
                   Set to 0 to accept any fee rate.

Result:
[                                 (json array) The result of the mempool acceptance test for each raw transaction in the input array.
                                  Returns results for each transaction in the same order they were passed in.
                                  Transactions that cannot be fully validated due to failures in other transactions will not contain an 'allowed' result.
                                  
  {                               (json object)
    "txid" : "hex",               (string) The transaction hash in hex
    "wtxid" : "hex",              (string) The transaction witness hash in hex
    "package-error" : "str",      (string, optional) Package validation error, if any (only possible if rawtxs had more than 1 transaction).
    "allowed" : true|false,       (boolean, optional) Whether this tx would be accepted to the mempool and pass client-specified maxfeerate. If not present, the tx was not fully validated due to a failure in another tx in the list.
    "vsize" : n,                  (numeric, optional) Virtual transaction size as defined in BIP 141. This is different from actual serialized size for witness transactions as witness data is discounted (only present when 'allowed' is true)
    "fees" : {                    (json object, optional) Transaction fees (only present if 'allowed' is true)
      "base" : n,                 (numeric) transaction fee in UMK
      "effective-feerate" : n,    (numeric) the effective feerate in UMK per KvB. May differ from the base feerate if, for example, there are modified fees from prioritisetransaction or a package feerate was used.
      "effective-includes" : [    (json array) transactions whose fees and vsizes are included in effective-feerate.
        "hex",                    (string) transaction wtxid in hex
        ...
      ]
    },
    "reject-reason" : "str",      (string, optional) Rejection reason (only present when 'allowed' is false)
    "reject-details" : "str"      (string, optional) Rejection details (only present when 'allowed' is false and rejection details exist)
  },
  ...
]

Examples:

Create a transaction
> umkoin-cli createrawtransaction "[{\"txid\" : \"mytxid\",\"vout\":0}]" "{\"myaddress\":0.01}"
Sign the transaction, and get back the hex
> umkoin-cli signrawtransactionwithwallet "myhex"

Test acceptance of the transaction (signed hex)
> umkoin-cli testmempoolaccept '["signedhex"]'

As a JSON-RPC call
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "testmempoolaccept", "params": [["signedhex"]]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;
    /// `help getmempoolentry`.
    pub(super) const GETMEMPOOLENTRY: &str = r#"getmempoolentry "txid"

Returns mempool data for given transaction

Arguments:
1. txid    (string, required) The transaction id (must be in mempool)

Result:
{                                       (json object)
  "vsize" : n,                          (numeric) virtual transaction size as defined in BIP 141. This is different from actual serialized size for witness transactions as witness data is discounted.
  "weight" : n,                         (numeric) transaction weight as defined in BIP 141.
  "time" : xxx,                         (numeric) local time transaction entered pool in seconds since 1 Jan 1970 GMT
  "height" : n,                         (numeric) block height when transaction entered pool
  "descendantcount" : n,                (numeric) number of in-mempool descendant transactions (including this one)
  "descendantsize" : n,                 (numeric) virtual transaction size of in-mempool descendants (including this one)
  "ancestorcount" : n,                  (numeric) number of in-mempool ancestor transactions (including this one)
  "ancestorsize" : n,                   (numeric) virtual transaction size of in-mempool ancestors (including this one)
  "chunkweight" : n,                    (numeric) sigops-adjusted weight (as defined in BIP 141 and modified by '-bytespersigop') of this transaction's chunk
  "wtxid" : "hex",                      (string) hash of serialized transaction, including witness data
  "fees" : {                            (json object)
    "base" : n,                         (numeric) transaction fee, denominated in UMK
    "modified" : n,                     (numeric) transaction fee with fee deltas used for mining priority, denominated in UMK
    "ancestor" : n,                     (numeric) transaction fees of in-mempool ancestors (including this one) with fee deltas used for mining priority, denominated in UMK
    "descendant" : n,                   (numeric) transaction fees of in-mempool descendants (including this one) with fee deltas used for mining priority, denominated in UMK
    "chunk" : n                         (numeric) transaction fees of chunk, denominated in UMK
  },
  "depends" : [                         (json array) unconfirmed transactions used as inputs for this transaction
    "hex",                              (string) parent transaction id
    ...
  ],
  "spentby" : [                         (json array) unconfirmed transactions spending outputs from this transaction
    "hex",                              (string) child transaction id
    ...
  ],
  "bip125-replaceable" : true|false,    (boolean) Whether this transaction signals BIP125 replaceability or has an unconfirmed ancestor signaling BIP125 replaceability. (DEPRECATED)
                                        
  "unbroadcast" : true|false            (boolean) Whether this transaction is currently unbroadcast (initial broadcast not yet acknowledged by any peers)
}

Examples:
> umkoin-cli getmempoolentry "mytxid"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getmempoolentry", "params": ["mytxid"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;
    /// `help getmempoolancestors`.
    pub(super) const GETMEMPOOLANCESTORS: &str = r#"getmempoolancestors "txid" ( verbose )

If txid is in the mempool, returns all in-mempool ancestors.

Arguments:
1. txid       (string, required) The transaction id (must be in mempool)
2. verbose    (boolean, optional, default=false) True for a json object, false for array of transaction ids

Result (for verbose = false):
[           (json array)
  "hex",    (string) The transaction id of an in-mempool ancestor transaction
  ...
]

Result (for verbose = true):
{                                         (json object)
  "transactionid" : {                     (json object)
    "vsize" : n,                          (numeric) virtual transaction size as defined in BIP 141. This is different from actual serialized size for witness transactions as witness data is discounted.
    "weight" : n,                         (numeric) transaction weight as defined in BIP 141.
    "time" : xxx,                         (numeric) local time transaction entered pool in seconds since 1 Jan 1970 GMT
    "height" : n,                         (numeric) block height when transaction entered pool
    "descendantcount" : n,                (numeric) number of in-mempool descendant transactions (including this one)
    "descendantsize" : n,                 (numeric) virtual transaction size of in-mempool descendants (including this one)
    "ancestorcount" : n,                  (numeric) number of in-mempool ancestor transactions (including this one)
    "ancestorsize" : n,                   (numeric) virtual transaction size of in-mempool ancestors (including this one)
    "chunkweight" : n,                    (numeric) sigops-adjusted weight (as defined in BIP 141 and modified by '-bytespersigop') of this transaction's chunk
    "wtxid" : "hex",                      (string) hash of serialized transaction, including witness data
    "fees" : {                            (json object)
      "base" : n,                         (numeric) transaction fee, denominated in UMK
      "modified" : n,                     (numeric) transaction fee with fee deltas used for mining priority, denominated in UMK
      "ancestor" : n,                     (numeric) transaction fees of in-mempool ancestors (including this one) with fee deltas used for mining priority, denominated in UMK
      "descendant" : n,                   (numeric) transaction fees of in-mempool descendants (including this one) with fee deltas used for mining priority, denominated in UMK
      "chunk" : n                         (numeric) transaction fees of chunk, denominated in UMK
    },
    "depends" : [                         (json array) unconfirmed transactions used as inputs for this transaction
      "hex",                              (string) parent transaction id
      ...
    ],
    "spentby" : [                         (json array) unconfirmed transactions spending outputs from this transaction
      "hex",                              (string) child transaction id
      ...
    ],
    "bip125-replaceable" : true|false,    (boolean) Whether this transaction signals BIP125 replaceability or has an unconfirmed ancestor signaling BIP125 replaceability. (DEPRECATED)
                                          
    "unbroadcast" : true|false            (boolean) Whether this transaction is currently unbroadcast (initial broadcast not yet acknowledged by any peers)
  },
  ...
}

Examples:
> umkoin-cli getmempoolancestors "mytxid"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getmempoolancestors", "params": ["mytxid"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;
    /// `help getmempooldescendants`.
    pub(super) const GETMEMPOOLDESCENDANTS: &str = r#"getmempooldescendants "txid" ( verbose )

If txid is in the mempool, returns all in-mempool descendants.

Arguments:
1. txid       (string, required) The transaction id (must be in mempool)
2. verbose    (boolean, optional, default=false) True for a json object, false for array of transaction ids

Result (for verbose = false):
[           (json array)
  "hex",    (string) The transaction id of an in-mempool descendant transaction
  ...
]

Result (for verbose = true):
{                                         (json object)
  "transactionid" : {                     (json object)
    "vsize" : n,                          (numeric) virtual transaction size as defined in BIP 141. This is different from actual serialized size for witness transactions as witness data is discounted.
    "weight" : n,                         (numeric) transaction weight as defined in BIP 141.
    "time" : xxx,                         (numeric) local time transaction entered pool in seconds since 1 Jan 1970 GMT
    "height" : n,                         (numeric) block height when transaction entered pool
    "descendantcount" : n,                (numeric) number of in-mempool descendant transactions (including this one)
    "descendantsize" : n,                 (numeric) virtual transaction size of in-mempool descendants (including this one)
    "ancestorcount" : n,                  (numeric) number of in-mempool ancestor transactions (including this one)
    "ancestorsize" : n,                   (numeric) virtual transaction size of in-mempool ancestors (including this one)
    "chunkweight" : n,                    (numeric) sigops-adjusted weight (as defined in BIP 141 and modified by '-bytespersigop') of this transaction's chunk
    "wtxid" : "hex",                      (string) hash of serialized transaction, including witness data
    "fees" : {                            (json object)
      "base" : n,                         (numeric) transaction fee, denominated in UMK
      "modified" : n,                     (numeric) transaction fee with fee deltas used for mining priority, denominated in UMK
      "ancestor" : n,                     (numeric) transaction fees of in-mempool ancestors (including this one) with fee deltas used for mining priority, denominated in UMK
      "descendant" : n,                   (numeric) transaction fees of in-mempool descendants (including this one) with fee deltas used for mining priority, denominated in UMK
      "chunk" : n                         (numeric) transaction fees of chunk, denominated in UMK
    },
    "depends" : [                         (json array) unconfirmed transactions used as inputs for this transaction
      "hex",                              (string) parent transaction id
      ...
    ],
    "spentby" : [                         (json array) unconfirmed transactions spending outputs from this transaction
      "hex",                              (string) child transaction id
      ...
    ],
    "bip125-replaceable" : true|false,    (boolean) Whether this transaction signals BIP125 replaceability or has an unconfirmed ancestor signaling BIP125 replaceability. (DEPRECATED)
                                          
    "unbroadcast" : true|false            (boolean) Whether this transaction is currently unbroadcast (initial broadcast not yet acknowledged by any peers)
  },
  ...
}

Examples:
> umkoin-cli getmempooldescendants "mytxid"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getmempooldescendants", "params": ["mytxid"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;
    /// `help getmempoolcluster`.
    pub(super) const GETMEMPOOLCLUSTER: &str = r#"getmempoolcluster "txid"

Returns mempool data for given cluster

Arguments:
1. txid    (string, required) The txid of a transaction in the cluster

Result:
{                           (json object)
  "clusterweight" : n,      (numeric) total sigops-adjusted weight (as defined in BIP 141 and modified by '-bytespersigop')
  "txcount" : n,            (numeric) number of transactions
  "chunks" : [              (json array) chunks in this cluster (in mining order)
    {                       (json object)
      "chunkfee" : n,       (numeric) fees of the transactions in this chunk
      "chunkweight" : n,    (numeric) sigops-adjusted weight of all transactions in this chunk
      "txs" : [             (json array) transactions in this chunk in mining order
        "hex",              (string) transaction id
        ...
      ]
    },
    ...
  ]
}

Examples:
> umkoin-cli getmempoolcluster txid
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getmempoolcluster", "params": [txid]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;
    /// `help gettxspendingprevout`.
    pub(super) const GETTXSPENDINGPREVOUT: &str = r#"gettxspendingprevout [{"txid":"hex","vout":n},...] ( {"mempool_only":bool,"return_spending_tx":bool,...} )

Scans the mempool (and the txospenderindex, if available) to find transactions spending any of the given outputs

Arguments:
1. outputs                 (json array, required) The transaction outputs that we want to check, and within each, the txid (string) vout (numeric).
     [
       {                   (json object)
         "txid": "hex",    (string, required) The transaction id
         "vout": n,        (numeric, required) The output number
       },
       ...
     ]
2. options                 (json object, optional) Options object that can be used to pass named arguments, listed below.

Named Arguments:
mempool_only          (boolean, optional, default=true if txospenderindex unavailable, otherwise false) If false and mempool lacks a relevant spend, use txospenderindex (throws an exception if not available).
return_spending_tx    (boolean, optional, default=false) If true, return the full spending tx.

Result:
[                              (json array)
  {                            (json object)
    "txid" : "hex",            (string) the transaction id of the checked output
    "vout" : n,                (numeric) the vout value of the checked output
    "spendingtxid" : "hex",    (string, optional) the transaction id of the mempool transaction spending this output (omitted if unspent)
    "spendingtx" : "hex",      (string, optional) the transaction spending this output (only if return_spending_tx is set, omitted if unspent)
    "blockhash" : "hex"        (string, optional) the hash of the spending block (omitted if unspent or the spending tx is not confirmed)
  },
  ...
]

Examples:
> umkoin-cli gettxspendingprevout "[{\"txid\":\"a08e6907dbbd3d809776dbfc5d82e371b764ed838b5655e72f463568df1aadf0\",\"vout\":3}]"
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "gettxspendingprevout", "params": ["[{\"txid\":\"a08e6907dbbd3d809776dbfc5d82e371b764ed838b5655e72f463568df1aadf0\",\"vout\":3}]"]}' -H 'content-type: application/json' http://127.0.0.1:6332/
> umkoin-cli -named gettxspendingprevout outputs='[{"txid":"a08e6907dbbd3d809776dbfc5d82e371b764ed838b5655e72f463568df1aadf0","vout":3}]' return_spending_tx=true
"#;
    /// `help getmempoolfeeratediagram`.
    pub(super) const GETMEMPOOLFEERATEDIAGRAM: &str = r#"getmempoolfeeratediagram

Returns the feerate diagram for the whole mempool.

Result (mempool chunks):
[                    (json array)
  {                  (json object)
    "weight" : n,    (numeric) cumulative sigops-adjusted weight
    "fee" : n        (numeric) cumulative fee
  },
  ...
]

Examples:
> umkoin-cli getmempoolfeeratediagram 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getmempoolfeeratediagram", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;
    /// `help prioritisetransaction`.
    pub(super) const PRIORITISETRANSACTION: &str = r#"prioritisetransaction "txid" ( dummy ) fee_delta

Accepts the transaction into mined blocks at a higher (or lower) priority

Arguments:
1. txid         (string, required) The transaction id.
2. dummy        (numeric, optional) API-Compatibility for previous API. Must be zero or null.
                DEPRECATED. For forward compatibility use named arguments and omit this parameter.
3. fee_delta    (numeric, required) The fee value (in satoshis) to add (or subtract, if negative).
                Note, that this value is not a fee rate. It is a value to modify absolute fee of the TX.
                The fee is not actually paid, only the algorithm for selecting transactions into a block
                considers the transaction as it would have paid a higher (or lower) fee.

Result:
true|false    (boolean) Returns true

Examples:
> umkoin-cli prioritisetransaction "txid" 0.0 10000
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "prioritisetransaction", "params": ["txid", 0.0, 10000]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;
    /// `help getprioritisedtransactions`.
    pub(super) const GETPRIORITISEDTRANSACTIONS: &str = r#"getprioritisedtransactions

Returns a map of all user-created (see prioritisetransaction) fee deltas by txid, and whether the tx is present in mempool.

Result:
{                                 (json object) prioritisation keyed by txid
  "<transactionid>" : {           (json object)
    "fee_delta" : n,              (numeric) transaction fee delta in satoshis
    "in_mempool" : true|false,    (boolean) whether this transaction is currently in mempool
    "modified_fee" : n            (numeric, optional) modified fee in satoshis. Only returned if in_mempool=true
  },
  ...
}

Examples:
> umkoin-cli getprioritisedtransactions 
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getprioritisedtransactions", "params": []}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;
}

/// Core's `entryToJSON`: `getmempoolentry`'s answer, and each entry of the verbose
/// `getrawmempool`.
pub(super) fn entry_json(pool: &Mempool, txid: &Txid) -> Option<Value> {
    if !pool.contains(txid) {
        return None;
    }
    entry_json_with(pool, txid, &Chunks::of_cluster(pool, txid))
}

/// [`entry_json`] with the chunks of (at least) the transaction's cluster worked out.
pub(super) fn entry_json_with(pool: &Mempool, txid: &Txid, chunks: &Chunks) -> Option<Value> {
    let e = pool.get(txid)?;
    let ancestors = pool.ancestors(txid);
    let descendants = pool.descendants(txid);
    let size = |set: &HashSet<Txid>| -> u64 {
        set.iter()
            .filter_map(|t| pool.get(t))
            .map(|e| e.vsize)
            .sum::<u64>()
            + e.vsize
    };
    let fees = |set: &HashSet<Txid>| -> i64 {
        set.iter()
            .map(|t| modified_fee(pool, t))
            .fold(modified_fee(pool, txid), i64::saturating_add)
    };
    let (chunk_fee, chunk_weight) = Chunks::fee_and_weight(pool, &chunks.chunk_of(txid));
    let mut depends: Vec<String> = pool
        .parents(&e.tx)
        .iter()
        .map(ToString::to_string)
        .collect();
    depends.sort();
    let spentby: Vec<String> = sorted(pool.children(txid))
        .iter()
        .map(ToString::to_string)
        .collect();
    // BIP125 opt-in: it or an unconfirmed ancestor signals.
    let signals = |tx: &bitcoin::Transaction| tx.input.iter().any(|i| i.sequence.0 < 0xffff_fffe);
    let replaceable = signals(&e.tx)
        || ancestors
            .iter()
            .filter_map(|t| pool.get(t))
            .any(|a| signals(&a.tx));
    Some(json!({
        "vsize": e.vsize,
        "weight": e.weight,
        "time": e.time,
        "height": e.height,
        "descendantcount": descendants.len() + 1,
        "descendantsize": size(&descendants),
        "ancestorcount": ancestors.len() + 1,
        "ancestorsize": size(&ancestors),
        "wtxid": e.wtxid.to_string(),
        "chunkweight": chunk_weight,
        "fees": {
            "base": amount(e.fee.to_sat() as i64),
            "modified": amount(modified_fee(pool, txid)),
            "ancestor": amount(fees(&ancestors)),
            "descendant": amount(fees(&descendants)),
            "chunk": amount(chunk_fee),
        },
        "depends": depends,
        "spentby": spentby,
        "bip125-replaceable": replaceable,
        "unbroadcast": pool.is_unbroadcast(txid),
    }))
}
