//! Commands of Core's `rawtransactions` category that submit transactions to the
//! mempool (`sendrawtransaction`, `testmempoolaccept`), with Core's answers and errors.

use serde_json::{Value, json};
use umkoin_interfaces::rpc::code;

use super::json::amount;
use super::{Arg, ArgType, Command, Request, RpcError, RpcResult};
use crate::context::NodeContext;
use crate::mempool::{TxReject, fee_for};

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
        name: "testmempoolaccept",
        args: &[
            Arg::required("rawtxs", ArgType::Arr),
            Arg::optional("maxfeerate", ArgType::Any),
        ],
        help: help::TESTMEMPOOLACCEPT,
        handler: testmempoolaccept,
    },
];

/// Core's `DEFAULT_MAX_RAW_TX_FEE_RATE`: 0.10 coins per kvB.
const DEFAULT_MAX_RAW_TX_FEE_RATE: i64 = 10_000_000;
/// Core's `MAX_PACKAGE_COUNT`.
const MAX_PACKAGE_COUNT: usize = 25;
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
/// accepted, without accepting it. One transaction at a time for now: packages of
/// several are refused with an error rather than judged by rules not built yet.
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
        return Err(RpcError::new(
            code::MISC_ERROR,
            "testmempoolaccept of more than one transaction (package validation) is not supported by this node yet",
        ));
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
}

/// Core's `entryToJSON`: `getmempoolentry`'s answer, and each entry of the verbose
/// `getrawmempool`.
pub(super) fn entry_json(pool: &crate::mempool::Mempool, txid: &bitcoin::Txid) -> Option<Value> {
    let e = pool.get(txid)?;
    let modified =
        |t: &bitcoin::Txid| pool.get(t).map_or(0, |e| e.fee.to_sat() as i64) + pool.delta(t);
    let ancestors = pool.ancestors(txid);
    let descendants = pool.descendants(txid);
    let size = |set: &std::collections::HashSet<bitcoin::Txid>| -> u64 {
        set.iter()
            .filter_map(|t| pool.get(t))
            .map(|e| e.vsize)
            .sum::<u64>()
            + e.vsize
    };
    let fees = |set: &std::collections::HashSet<bitcoin::Txid>| -> i64 {
        set.iter().map(modified).sum::<i64>() + modified(txid)
    };
    let chunk = pool
        .chunks()
        .into_iter()
        .find(|c| c.contains(txid))
        .unwrap_or_else(|| vec![*txid]);
    let chunk_weight: u64 = chunk
        .iter()
        .filter_map(|t| pool.get(t))
        .map(|e| e.vsize * 4)
        .sum();
    let chunk_fee: i64 = chunk.iter().map(modified).sum();
    let mut depends: Vec<String> = pool
        .parents(&e.tx)
        .iter()
        .map(ToString::to_string)
        .collect();
    depends.sort();
    let spentby: Vec<String> = pool
        .children(txid)
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
            "modified": amount(modified(txid)),
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
