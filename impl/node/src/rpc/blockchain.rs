//! Commands of Core's `blockchain` category that the node answers now: chain height and
//! hashes, headers, `getblockchaininfo`, and `getmempoolinfo` for the (empty) mempool.

use std::collections::{HashMap, HashSet};
use std::sync::RwLockReadGuard;
use std::time::{Duration, Instant};

use bitcoin::BlockHash;
use bitcoin::consensus::encode::serialize_hex;
use serde_json::{Value, json};
use umkoin_interfaces::rpc::code;

use super::json::{amount, float};
use super::{Arg, ArgType, Command, Request, RpcError, RpcResult, help_texts};
use crate::chain::{BlockIndex, Chain, difficulty, target_hex, work_hex};
use crate::chainstate::{ChainEvent, ChainStore, ConnectError};
use crate::context::NodeContext;

/// The commands of this module.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        category: "blockchain",
        name: "preciousblock",
        args: &[Arg::required("blockhash", ArgType::Str)],
        help: help_texts::PRECIOUSBLOCK,
        handler: preciousblock,
    },
    Command {
        category: "blockchain",
        name: "gettxoutsetinfo",
        args: &[
            Arg::optional("hash_type", ArgType::Str),
            Arg::optional("hash_or_height", ArgType::Any),
            Arg::optional("use_index", ArgType::Bool),
        ],
        help: help_texts::GETTXOUTSETINFO,
        handler: gettxoutsetinfo,
    },
    Command {
        category: "blockchain",
        name: "savemempool",
        args: &[],
        help: help_texts::SAVEMEMPOOL,
        handler: savemempool,
    },
    Command {
        category: "blockchain",
        name: "verifychain",
        args: &[
            Arg::optional("checklevel", ArgType::Num),
            Arg::optional("nblocks", ArgType::Num),
        ],
        help: help_texts::VERIFYCHAIN,
        handler: verifychain,
    },
    Command {
        category: "hidden",
        name: "invalidateblock",
        args: &[Arg::required("blockhash", ArgType::Str)],
        help: help_texts::INVALIDATEBLOCK,
        handler: invalidateblock,
    },
    Command {
        category: "hidden",
        name: "reconsiderblock",
        args: &[Arg::required("blockhash", ArgType::Str)],
        help: help_texts::RECONSIDERBLOCK,
        handler: reconsiderblock,
    },
    Command {
        category: "blockchain",
        name: "getblockcount",
        args: &[],
        help: help_texts::GETBLOCKCOUNT,
        handler: getblockcount,
    },
    Command {
        category: "blockchain",
        name: "getbestblockhash",
        args: &[],
        help: help_texts::GETBESTBLOCKHASH,
        handler: getbestblockhash,
    },
    Command {
        category: "blockchain",
        name: "getblockhash",
        args: &[Arg::required("height", ArgType::Num)],
        help: help_texts::GETBLOCKHASH,
        handler: getblockhash,
    },
    Command {
        category: "blockchain",
        name: "getblockheader",
        args: &[
            Arg::required("blockhash", ArgType::Str),
            Arg::optional("verbose", ArgType::Bool),
        ],
        help: help_texts::GETBLOCKHEADER,
        handler: getblockheader,
    },
    Command {
        category: "blockchain",
        name: "getblockchaininfo",
        args: &[],
        help: help_texts::GETBLOCKCHAININFO,
        handler: getblockchaininfo,
    },
    Command {
        category: "blockchain",
        name: "getblock",
        args: &[
            Arg::required("blockhash", ArgType::Str),
            // Core skips the type check: a boolean or a number, read below.
            Arg::optional("verbosity|verbose", ArgType::Any),
        ],
        help: help_texts::GETBLOCK,
        handler: getblock,
    },
    Command {
        category: "blockchain",
        name: "gettxout",
        args: &[
            Arg::required("txid", ArgType::Str),
            Arg::required("n", ArgType::Num),
            Arg::optional("include_mempool", ArgType::Bool),
        ],
        help: help_texts::GETTXOUT,
        handler: gettxout,
    },
    Command {
        category: "blockchain",
        name: "getchaintxstats",
        args: &[
            Arg::optional("nblocks", ArgType::Num),
            Arg::optional("blockhash", ArgType::Str),
        ],
        help: help_texts::GETCHAINTXSTATS,
        handler: getchaintxstats,
    },
    Command {
        category: "blockchain",
        name: "getdifficulty",
        args: &[],
        help: help_texts::GETDIFFICULTY,
        handler: getdifficulty,
    },
    Command {
        category: "blockchain",
        name: "getchaintips",
        args: &[],
        help: help_texts::GETCHAINTIPS,
        handler: getchaintips,
    },
    Command {
        category: "blockchain",
        name: "waitfornewblock",
        args: &[
            Arg::optional("timeout", ArgType::Num),
            Arg::optional("current_tip", ArgType::Str),
        ],
        help: help_texts::WAITFORNEWBLOCK,
        handler: waitfornewblock,
    },
    Command {
        category: "blockchain",
        name: "waitforblock",
        args: &[
            Arg::required("blockhash", ArgType::Str),
            Arg::optional("timeout", ArgType::Num),
        ],
        help: help_texts::WAITFORBLOCK,
        handler: waitforblock,
    },
    Command {
        category: "blockchain",
        name: "waitforblockheight",
        args: &[
            Arg::required("height", ArgType::Num),
            Arg::optional("timeout", ArgType::Num),
        ],
        help: help_texts::WAITFORBLOCKHEIGHT,
        handler: waitforblockheight,
    },
    Command {
        category: "hidden",
        name: "syncwithvalidationinterfacequeue",
        args: &[],
        help: help_texts::SYNCWITHVALIDATIONINTERFACEQUEUE,
        handler: syncwithvalidationinterfacequeue,
    },
    Command {
        category: "blockchain",
        name: "getrawmempool",
        args: &[
            Arg::optional("verbose", ArgType::Bool),
            Arg::optional("mempool_sequence", ArgType::Bool),
        ],
        help: help_texts::GETRAWMEMPOOL,
        handler: getrawmempool,
    },
    Command {
        category: "blockchain",
        name: "getmempoolinfo",
        args: &[],
        help: help_texts::GETMEMPOOLINFO,
        handler: getmempoolinfo,
    },
];

/// A JSON number read as UniValue's `getInt<int64_t>`: an integer in range, else Core's
/// error.
pub(crate) fn get_int64(v: &Value) -> Result<i64, RpcError> {
    v.as_i64()
        .filter(|_| {
            v.as_number()
                .is_some_and(|n| !n.to_string().contains(['.', 'e', 'E']))
        })
        .ok_or_else(|| RpcError::new(code::MISC_ERROR, "JSON integer out of range"))
}

/// A JSON number read as UniValue's `getInt<int>`: an integer in range, else Core's error.
pub(crate) fn get_int32(v: &Value) -> Result<i32, RpcError> {
    v.as_i64()
        .filter(|_| {
            v.as_number()
                .is_some_and(|n| !n.to_string().contains(['.', 'e', 'E']))
        })
        .and_then(|x| i32::try_from(x).ok())
        .ok_or_else(|| RpcError::new(code::MISC_ERROR, "JSON integer out of range"))
}

/// A block hash argument, as Core's `ParseHashV`.
pub(crate) fn parse_hash(v: &Value, name: &str) -> Result<BlockHash, RpcError> {
    let s = v.as_str().unwrap_or_default();
    if s.len() != 64 {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!("{name} must be of length 64 (not {}, for '{s}')", s.len()),
        ));
    }
    s.parse::<BlockHash>().map_err(|_| {
        RpcError::new(
            code::INVALID_PARAMETER,
            format!("{name} must be hexadecimal string (not '{s}')"),
        )
    })
}

/// The active chain, for reading.
pub(crate) fn chain(ctx: &NodeContext) -> RwLockReadGuard<'_, Chain> {
    ctx.chain.read().expect("the chain lock is never poisoned")
}

fn getblockcount(ctx: &NodeContext, _req: &Request) -> RpcResult {
    Ok(json!(chain(ctx).height()))
}

fn getbestblockhash(ctx: &NodeContext, _req: &Request) -> RpcResult {
    Ok(json!(chain(ctx).tip().hash.to_string()))
}

fn getblockhash(ctx: &NodeContext, req: &Request) -> RpcResult {
    let height = get_int32(req.param(0))?;
    chain(ctx)
        .at(i64::from(height))
        .map(|b| json!(b.hash.to_string()))
        .ok_or_else(|| RpcError::new(code::INVALID_PARAMETER, "Block height out of range"))
}

/// Core's `ParseVerbosity(arg, default, allow_bool = true)`.
pub(crate) fn parse_verbosity(v: &Value, default: i32) -> Result<i32, RpcError> {
    match v {
        Value::Null => Ok(default),
        Value::Bool(b) => Ok(i32::from(*b)),
        Value::Number(_) => get_int32(v),
        other => Err(RpcError::new(
            code::TYPE_ERROR,
            format!(
                "JSON value of type {} is not of expected type number",
                super::json::type_name(other)
            ),
        )),
    }
}

fn getblock(ctx: &NodeContext, req: &Request) -> RpcResult {
    let hash = parse_hash(req.param(0), "blockhash")?;
    let verbosity = parse_verbosity(req.param(1), 1)?;
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let chain = chain(ctx);
    let index = find_block(store.as_ref(), &chain, &hash)?;
    let store = store
        .as_ref()
        .ok_or_else(|| RpcError::new(code::MISC_ERROR, "Block not found on disk"))?;
    if store.lookup(&hash).is_some_and(|k| !k.have_data) {
        return Err(RpcError::new(
            code::MISC_ERROR,
            "Block not available (not fully downloaded)",
        ));
    }
    let block = store
        .read_block(&hash)
        .map_err(|_| RpcError::new(code::MISC_ERROR, "Block not found on disk"))?;
    if verbosity <= 0 {
        return Ok(json!(serialize_hex(&block)));
    }
    // The coins each transaction spent, where the block was connected (Core shows fees
    // and prevouts from its undo data).
    let undo: Option<Vec<Vec<super::txjson::SpentOutput>>> = if verbosity >= 2 {
        store.block_undo(&hash).ok().map(|u| {
            u.into_iter()
                .map(|coins| {
                    coins
                        .into_iter()
                        .map(|c| super::txjson::SpentOutput {
                            height: c.height,
                            coinbase: c.coinbase,
                            txout: c.output,
                        })
                        .collect()
                })
                .collect()
        })
    } else {
        None
    };
    let mut v = header_json(&chain, &index);
    let obj = v.as_object_mut().expect("built as an object");
    let stripped = block.txdata.iter().map(|tx| tx.base_size()).sum::<usize>()
        + 80
        + bitcoin::VarInt::from(block.txdata.len()).size();
    obj.insert("strippedsize".into(), json!(stripped));
    obj.insert("size".into(), json!(block.total_size()));
    obj.insert("weight".into(), json!(block.weight().to_wu()));
    if let Some(coinbase) = block.txdata.first() {
        obj.insert("coinbase_tx".into(), coinbase_tx_json(coinbase));
    }
    let network = super::network(ctx.params.chain);
    let txs: Vec<Value> = block
        .txdata
        .iter()
        .enumerate()
        .map(|(i, tx)| {
            if verbosity == 1 {
                json!(tx.compute_txid().to_string())
            } else {
                let spent = undo
                    .as_ref()
                    .and_then(|u| u.get(i.wrapping_sub(1)))
                    .filter(|_| i > 0)
                    .map(Vec::as_slice);
                super::txjson::tx_to_json(tx, network, true, spent, verbosity >= 3)
            }
        })
        .collect();
    obj.insert("tx".into(), Value::Array(txs));
    Ok(v)
}

/// Core's `coinbaseTxToJSON`.
fn coinbase_tx_json(tx: &bitcoin::Transaction) -> Value {
    let input = &tx.input[0];
    let mut v = json!({
        "version": tx.version.0,
        "locktime": tx.lock_time.to_consensus_u32(),
        "sequence": input.sequence.0,
        "coinbase": bitcoin::hex::DisplayHex::to_lower_hex_string(input.script_sig.as_bytes()),
    });
    if let Some(w) = input.witness.iter().next() {
        v.as_object_mut().expect("built as an object").insert(
            "witness".into(),
            json!(bitcoin::hex::DisplayHex::to_lower_hex_string(w)),
        );
    }
    v
}

fn gettxout(ctx: &NodeContext, req: &Request) -> RpcResult {
    let txid = parse_hash(req.param(0), "txid")?;
    let n = get_int64(req.param(1))
        .ok()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| RpcError::new(code::MISC_ERROR, "JSON integer out of range"))?;
    let outpoint = bitcoin::OutPoint::new(bitcoin::Txid::from_raw_hash(txid.to_raw_hash()), n);
    let include_mempool = req.param(2).as_bool().unwrap_or(true);
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let Some(store) = store.as_ref() else {
        return Ok(Value::Null);
    };
    // With the mempool: its spends hide coins, its outputs are coins of no confirmation
    // (Core's MEMPOOL_HEIGHT, shown as 0 confirmations).
    let mempool_coin = if include_mempool {
        let pool = ctx.pool.lock().expect("the mempool lock is never poisoned");
        if pool.spender(&outpoint).is_some() {
            return Ok(Value::Null);
        }
        pool.get(&outpoint.txid)
            .map(|e| e.tx.output.get(n as usize).cloned())
    } else {
        None
    };
    let coin = match mempool_coin {
        Some(None) => return Ok(Value::Null),
        Some(Some(out)) => Some((u32::MAX, false, out)),
        None => store
            .coin(&outpoint)
            .map_err(|e| RpcError::new(code::INTERNAL_ERROR, e.to_string()))?,
    };
    let Some((height, coinbase, txout)) = coin else {
        return Ok(Value::Null);
    };
    let chain = chain(ctx);
    let tip = chain.tip();
    Ok(json!({
        "bestblock": tip.hash.to_string(),
        "confirmations": if height == u32::MAX {
            0
        } else {
            i64::from(tip.height) - i64::from(height) + 1
        },
        "value": amount(txout.value.to_sat() as i64),
        "scriptPubKey": super::txjson::script_pubkey_to_json(
            &txout.script_pubkey,
            super::network(ctx.params.chain),
        ),
        "coinbase": coinbase,
    }))
}

fn getchaintxstats(ctx: &NodeContext, req: &Request) -> RpcResult {
    let chain = chain(ctx);
    let end = if req.param(1).is_null() {
        chain.tip()
    } else {
        let hash = parse_hash(req.param(1), "blockhash")?;
        // Every block this node knows is in its one chain (no forks yet), so "not in
        // the main chain" cannot happen.
        chain
            .find(&hash)
            .ok_or_else(|| RpcError::new(code::INVALID_ADDRESS_OR_KEY, "Block not found"))?
    };
    let height = i64::from(end.height);
    // By default a month of blocks.
    let month = 30 * 24 * 60 * 60 / ctx.params.pow_target_spacing;
    let count = if req.param(0).is_null() {
        month.min(height - 1).max(0)
    } else {
        let n = i64::from(get_int32(req.param(0))?);
        if n < 0 || (n > 0 && n >= height) {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                "Invalid block count: should be between 0 and the block's height - 1",
            ));
        }
        n
    };
    let past = chain.at(height - count).expect("within the chain");
    let interval = i64::from(end.median_time_past) - i64::from(past.median_time_past);
    let mut v = json!({
        "time": end.header.time,
        "txcount": end.chain_tx,
        "window_final_block_hash": end.hash.to_string(),
        "window_final_block_height": end.height,
        "window_block_count": count,
    });
    if count > 0 {
        let obj = v.as_object_mut().expect("built as an object");
        obj.insert("window_interval".into(), json!(interval));
        let tx_count = end.chain_tx - past.chain_tx;
        obj.insert("window_tx_count".into(), json!(tx_count));
        if interval > 0 {
            obj.insert("txrate".into(), float(tx_count as f64 / interval as f64));
        }
    }
    Ok(v)
}

fn getdifficulty(ctx: &NodeContext, _req: &Request) -> RpcResult {
    Ok(float(difficulty(
        chain(ctx).tip().header.bits.to_consensus(),
    )))
}

fn getchaintips(ctx: &NodeContext, _req: &Request) -> RpcResult {
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let chain = chain(ctx);
    let Some(store) = store.as_ref() else {
        return Err(RpcError::new(code::IN_WARMUP, "Loading block index…"));
    };
    Ok(Value::Array(
        store
            .chain_tips(&chain)
            .into_iter()
            .map(|t| {
                json!({
                    "height": t.height,
                    "hash": t.hash.to_string(),
                    "branchlen": t.branch_len,
                    "status": t.status,
                })
            })
            .collect(),
    ))
}

/// Runs `f` on the chain store and a copy of the active chain (with the chain's
/// parameters and the node's clock), then makes the copy the active chain: one writer
/// at a time, and readers see the chain only once its blocks are stored.
pub(crate) fn with_store<T>(
    ctx: &NodeContext,
    f: impl FnOnce(
        &mut ChainStore,
        &mut Chain,
        &crate::chainparams::ChainParams,
        i64,
    ) -> Result<T, ConnectError>,
) -> Result<T, RpcError> {
    let mut store = ctx.store.lock().expect("the store lock is never poisoned");
    let store = store
        .as_mut()
        .ok_or_else(|| RpcError::new(code::IN_WARMUP, "Loading block index…"))?;
    let old = chain(ctx).clone();
    let mut next = old.clone();
    store.record_events();
    let result = f(store, &mut next, &ctx.params, ctx.now());
    let events = store.take_events();
    if let Err(ConnectError::Storage(why)) = &result {
        // Core's AbortNode: the disk failed in the middle of a change. The database holds
        // the last commit, which a restart opens; the chain in memory may have moved past
        // it, so it is not installed, and the node shuts down.
        tracing::error!("*** {why}");
        eprintln!("Error: A fatal internal error occurred, see debug.log for details: {why}");
        ctx.abort_node();
        return Err(RpcError::new(code::DATABASE_ERROR, why.clone()));
    }
    // The copy is what the store now holds.
    let (hash, height) = (next.tip().hash, next.height());
    let moved = hash != old.tip().hash;
    if moved || !events.is_empty() {
        update_mempool(ctx, store, &old, &events, moved);
    }
    if moved {
        *ctx.chain.write().expect("the chain lock is never poisoned") = next;
        ctx.tip.set(hash, height);
    }
    result.map_err(|e| RpcError::new(code::DATABASE_ERROR, e.to_string()))
}

/// The mempool after a call moved the active chain from `old`, following the call's
/// `events` as Core's mempool follows its validation: a connected block's transactions
/// leave (with what conflicts with them), a disconnected block's wait, and at each of
/// Core's `MaybeUpdateMempoolForReorg` points those waiting come back
/// ([`crate::mempool::Mempool::update_for_reorg`]) on the chain and the coins of that
/// point. `moved`: whether the tip changed.
fn update_mempool(
    ctx: &NodeContext,
    store: &ChainStore,
    old: &Chain,
    events: &[ChainEvent],
    moved: bool,
) {
    let mut pool = ctx.pool.lock().expect("the mempool lock is never poisoned");
    if moved {
        // Core's "new best block" bump of the mempool's update counter.
        pool.add_transactions_updated(1);
    }
    let brings_back = events
        .iter()
        .any(|e| matches!(e, ChainEvent::Disconnected { n_tx, .. } if *n_tx > 1));
    let now = ctx.now();
    let updates = events
        .iter()
        .any(|e| matches!(e, ChainEvent::UpdateMempool { .. }));
    // Blocks connected and nothing to bring back: each block's transactions leave.
    let connect_only = |pool: &mut crate::mempool::Mempool| {
        for e in events {
            if let ChainEvent::Connected(index) = e {
                let block = pool
                    .touched_by_blocks()
                    .then(|| store.read_block(&index.hash).ok())
                    .flatten();
                match block {
                    Some(block) => pool.remove_for_block(&block, now),
                    None => pool.block_connected(now),
                }
            }
        }
    };
    if !updates || (!pool.touched_by_blocks() && !brings_back) {
        connect_only(&mut pool);
        return;
    }
    // The blocks involved and the coins they spent.
    let mut blocks: HashMap<BlockHash, (bitcoin::Block, Vec<Vec<crate::undo::SpentCoin>>)> =
        HashMap::new();
    for e in events {
        let hash = match e {
            ChainEvent::Connected(index) => index.hash,
            ChainEvent::Disconnected { hash, .. } => *hash,
            ChainEvent::UpdateMempool { .. } => continue,
        };
        if blocks.contains_key(&hash) {
            continue;
        }
        let read = store
            .read_block(&hash)
            .map_err(|e| e.to_string())
            .and_then(|block| Ok((block, store.read_undo(&hash).map_err(|e| e.to_string())?)));
        match read {
            Ok(data) => {
                blocks.insert(hash, data);
            }
            Err(e) => {
                // The disconnected transactions cannot come back; the connected blocks'
                // still leave.
                tracing::error!("the mempool cannot follow the chain's reorganization: {e}");
                connect_only(&mut pool);
                return;
            }
        }
    }
    // The coins before the call: every step undone from the store's, last first.
    let mut coins = crate::mempool::CoinsAt::default();
    for e in events.iter().rev() {
        match e {
            ChainEvent::Connected(index) => {
                let (block, undo) = &blocks[&index.hash];
                coins.disconnect(block, undo);
            }
            ChainEvent::Disconnected { hash, height, .. } => {
                coins.connect(&blocks[hash].0, *height);
            }
            ChainEvent::UpdateMempool { .. } => {}
        }
    }
    // Then the steps in order, with Core's disconnectpool: the transactions of the
    // blocks disconnected since the last update, oldest first, less those confirmed
    // again since.
    let mut chain = old.clone();
    let mut waiting: Vec<bitcoin::Transaction> = Vec::new();
    for e in events {
        match e {
            ChainEvent::Disconnected { hash, .. } => {
                let (block, undo) = &blocks[hash];
                coins.disconnect(block, undo);
                chain.pop();
                let txs = block.txdata.iter().skip(1).cloned();
                waiting.splice(0..0, txs);
            }
            ChainEvent::Connected(index) => {
                let (block, _) = &blocks[&index.hash];
                coins.connect(block, index.height);
                chain.push(index.clone());
                pool.remove_for_block(block, now);
                let confirmed: HashSet<bitcoin::Txid> =
                    block.txdata.iter().map(|tx| tx.compute_txid()).collect();
                waiting.retain(|tx| !confirmed.contains(&tx.compute_txid()));
            }
            ChainEvent::UpdateMempool { readd } => {
                let txs = std::mem::take(&mut waiting);
                pool.update_for_reorg(store, &chain, Some(&mut coins), txs, *readd, now);
            }
        }
    }
}

/// The block-hash argument of `invalidateblock`, `reconsiderblock`, `preciousblock`,
/// and the call on the store; `Block not found` when the store does not know it.
fn on_known_block(
    ctx: &NodeContext,
    req: &Request,
    f: fn(
        &mut ChainStore,
        &crate::chainparams::ChainParams,
        &mut Chain,
        &BlockHash,
        i64,
    ) -> Result<bool, ConnectError>,
) -> RpcResult {
    let hash = parse_hash(req.param(0), "blockhash")?;
    let found = with_store(ctx, |store, chain, params, now| {
        f(store, params, chain, &hash, now)
    })?;
    if !found {
        return Err(RpcError::new(
            code::INVALID_ADDRESS_OR_KEY,
            "Block not found",
        ));
    }
    Ok(Value::Null)
}

/// `gettxoutsetinfo ( "hash_type" hash_or_height use_index )`: statistics of the
/// UTXO set at the tip, with Core's hashes (no coinstats index: a block cannot be
/// named).
fn gettxoutsetinfo(ctx: &NodeContext, req: &Request) -> RpcResult {
    use crate::coinstats::{HashType, coin_stats};
    let hash_type = match req.param(0) {
        Value::Null => HashType::HashSerialized3,
        v => match v.as_str().unwrap_or_default() {
            "hash_serialized_3" => HashType::HashSerialized3,
            "muhash" => HashType::MuHash,
            "none" => HashType::None,
            other => {
                return Err(RpcError::new(
                    code::INVALID_PARAMETER,
                    format!("'{other}' is not a valid hash_type"),
                ));
            }
        },
    };
    if !req.param(1).is_null() {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Querying specific block heights requires coinstatsindex",
        ));
    }
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let store = store
        .as_ref()
        .ok_or_else(|| RpcError::new(code::IN_WARMUP, "Loading block index…"))?;
    let chain = chain(ctx);
    let coins = store
        .all_coins()
        .map_err(|e| RpcError::new(code::INTERNAL_ERROR, e.to_string()))?;
    let stats = coin_stats(coins.into_iter(), hash_type);
    let total = stats
        .total_amount
        .ok_or_else(|| RpcError::new(code::INTERNAL_ERROR, "Unable to read UTXO set"))?;
    let mut v = serde_json::Map::new();
    v.insert("height".into(), json!(chain.height()));
    v.insert("bestblock".into(), json!(chain.tip().hash.to_string()));
    v.insert("txouts".into(), json!(stats.txouts));
    v.insert("bogosize".into(), json!(stats.bogosize));
    match hash_type {
        HashType::HashSerialized3 => {
            v.insert("hash_serialized_3".into(), json!(stats.hash_hex()));
        }
        HashType::MuHash => {
            v.insert("muhash".into(), json!(stats.hash_hex()));
        }
        HashType::None => {}
    }
    v.insert("total_amount".into(), amount(total.to_sat() as i64));
    v.insert("transactions".into(), json!(stats.transactions));
    v.insert("disk_size".into(), json!(store.database_size()));
    Ok(Value::Object(v))
}

/// `savemempool`: the mempool to `mempool.dat` now (Core's `DumpMempool`).
fn savemempool(ctx: &NodeContext, _req: &Request) -> RpcResult {
    if !ctx
        .pool
        .lock()
        .expect("the mempool lock is never poisoned")
        .load_tried()
    {
        return Err(RpcError::new(
            code::MISC_ERROR,
            "The mempool was not loaded yet",
        ));
    }
    let path = ctx.args.datadir_net().join("mempool.dat");
    if !crate::init::dump_mempool(ctx, &path) {
        return Err(RpcError::new(
            code::MISC_ERROR,
            "Unable to dump mempool to disk",
        ));
    }
    Ok(json!({ "filename": path.display().to_string() }))
}

/// `verifychain ( checklevel nblocks )`: Core's `VerifyDB` on the active chain, true
/// when it finds nothing wrong.
fn verifychain(ctx: &NodeContext, req: &Request) -> RpcResult {
    let level = match req.param(0) {
        Value::Null => 3,
        v => get_int32(v)?,
    };
    let depth = match req.param(1) {
        Value::Null => i32::try_from(crate::chainstate::DEFAULT_CHECKBLOCKS).unwrap_or(6),
        v => get_int32(v)?,
    };
    let ok = with_store(ctx, |store, chain, params, _| {
        store.verify_chain(params, chain, i64::from(level), i64::from(depth))
    })?;
    Ok(json!(ok))
}

fn invalidateblock(ctx: &NodeContext, req: &Request) -> RpcResult {
    on_known_block(ctx, req, ChainStore::invalidate_block)
}

fn reconsiderblock(ctx: &NodeContext, req: &Request) -> RpcResult {
    on_known_block(ctx, req, ChainStore::reconsider_block)
}

fn preciousblock(ctx: &NodeContext, req: &Request) -> RpcResult {
    on_known_block(ctx, req, ChainStore::precious_block)
}

/// The `timeout` argument of the `waitfor*` RPCs, in milliseconds: a deadline, or none
/// for 0 (wait without limit); negative is Core's error.
fn wait_deadline(v: &Value) -> Result<Option<Instant>, RpcError> {
    let ms = match v {
        Value::Null => 0,
        v => get_int32(v)?,
    };
    if ms < 0 {
        return Err(RpcError::new(code::MISC_ERROR, "Negative timeout"));
    }
    Ok((ms > 0).then(|| Instant::now() + Duration::from_millis(ms as u64)))
}

fn tip_json((hash, height): (BlockHash, u32)) -> Value {
    json!({"hash": hash.to_string(), "height": height})
}

/// Waits on the tip until `done` holds for it, `deadline` passes or the node shuts
/// down; returns the tip then (Core's loop around `waitTipChanged`).
fn wait_for_tip(
    ctx: &NodeContext,
    deadline: Option<Instant>,
    done: impl Fn((BlockHash, u32)) -> bool,
) -> Value {
    let mut current = ctx.tip.get();
    while !done(current) {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        match ctx
            .tip
            .wait_changed(current.0, deadline, || ctx.shutdown.is_requested())
        {
            Some(tip) => current = tip,
            None => break,
        }
    }
    tip_json(current)
}

fn waitfornewblock(ctx: &NodeContext, req: &Request) -> RpcResult {
    let deadline = wait_deadline(req.param(0))?;
    let mut current = ctx.tip.get();
    if !req.param(1).is_null() {
        current.0 = parse_hash(req.param(1), "current_tip")?;
    }
    let start = current.0;
    Ok(wait_for_tip(ctx, deadline, |(hash, _)| hash != start))
}

fn waitforblock(ctx: &NodeContext, req: &Request) -> RpcResult {
    let hash = parse_hash(req.param(0), "blockhash")?;
    let deadline = wait_deadline(req.param(1))?;
    Ok(wait_for_tip(ctx, deadline, |(tip, _)| tip == hash))
}

fn waitforblockheight(ctx: &NodeContext, req: &Request) -> RpcResult {
    let height = get_int32(req.param(0))?;
    let deadline = wait_deadline(req.param(1))?;
    Ok(wait_for_tip(ctx, deadline, |(_, h)| {
        i64::from(h) >= i64::from(height)
    }))
}

/// The block `hash` from the active chain, or else from the block index (a block of
/// another branch); Core's "Block not found" if neither knows it.
fn find_block(
    store: Option<&ChainStore>,
    chain: &Chain,
    hash: &BlockHash,
) -> Result<BlockIndex, RpcError> {
    chain
        .find(hash)
        .cloned()
        .or_else(|| store.and_then(|s| s.block_index(chain, hash)))
        .ok_or_else(|| RpcError::new(code::INVALID_ADDRESS_OR_KEY, "Block not found"))
}

fn header_json(chain: &Chain, b: &BlockIndex) -> Value {
    let tip = chain.tip();
    let active = chain.contains(&b.hash, b.height);
    // Core: -1 for a block off the active chain.
    let confirmations = if active {
        i64::from(tip.height) - i64::from(b.height) + 1
    } else {
        -1
    };
    let mut v = json!({
        "hash": b.hash.to_string(),
        "confirmations": confirmations,
        "height": b.height,
        "version": b.header.version.to_consensus(),
        "versionHex": format!("{:08x}", b.header.version.to_consensus()),
        "merkleroot": b.header.merkle_root.to_string(),
        "time": b.header.time,
        "mediantime": b.median_time_past,
        "nonce": b.header.nonce,
        "bits": format!("{:08x}", b.header.bits.to_consensus()),
        "target": target_hex(&b.header),
        "difficulty": float(difficulty(b.header.bits.to_consensus())),
        "chainwork": work_hex(&b.chain_work),
        "nTx": b.n_tx,
    });
    let obj = v.as_object_mut().expect("built as an object above");
    if b.height > 0 {
        obj.insert(
            "previousblockhash".into(),
            json!(b.header.prev_blockhash.to_string()),
        );
    }
    if active && let Some(next) = chain.at(i64::from(b.height) + 1) {
        obj.insert("nextblockhash".into(), json!(next.hash.to_string()));
    }
    v
}

fn getblockheader(ctx: &NodeContext, req: &Request) -> RpcResult {
    let hash = parse_hash(req.param(0), "hash")?;
    let verbose = req.param(1).as_bool().unwrap_or(true);
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let chain = chain(ctx);
    let b = find_block(store.as_ref(), &chain, &hash)?;
    if !verbose {
        return Ok(json!(serialize_hex(&b.header)));
    }
    Ok(header_json(&chain, &b))
}

fn getblockchaininfo(ctx: &NodeContext, _req: &Request) -> RpcResult {
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    let chain = chain(ctx);
    let tip = chain.tip();
    let size_on_disk = store.as_ref().map_or(0, |s| s.size_on_disk());
    let headers = store
        .as_ref()
        .map_or(tip.height, |s| s.best_header_height(&chain));
    drop(store);
    let now = ctx.now();
    Ok(json!({
        "chain": ctx.params.chain.name(),
        "blocks": tip.height,
        "headers": headers,
        "bestblockhash": tip.hash.to_string(),
        "bits": format!("{:08x}", tip.header.bits.to_consensus()),
        "target": target_hex(&tip.header),
        "difficulty": float(difficulty(tip.header.bits.to_consensus())),
        "time": tip.header.time,
        "mediantime": tip.median_time_past,
        "verificationprogress": float(chain.verification_progress(&ctx.params, tip, now)),
        "initialblockdownload": ctx.is_initial_block_download(&chain, now),
        "chainwork": work_hex(&tip.chain_work),
        "size_on_disk": size_on_disk,
        "pruned": false,
        "warnings": warnings(ctx),
    }))
}

/// The `warnings` field: no node warnings exist yet; `-deprecatedrpc=warnings` asks for
/// Core's old single-string form.
pub(crate) fn warnings(ctx: &NodeContext) -> Value {
    if ctx
        .args
        .get_args("-deprecatedrpc")
        .iter()
        .any(|d| d == "warnings")
    {
        json!("")
    } else {
        json!([])
    }
}

/// Core waits here until its validation-notification queue is drained. This node
/// sends notifications synchronously (there is no queue), so nothing is pending.
fn syncwithvalidationinterfacequeue(_ctx: &NodeContext, _req: &Request) -> RpcResult {
    Ok(Value::Null)
}

/// `getrawmempool ( verbose mempool_sequence )`: the mempool's txids in block
/// assembly's order, or their entries; the sequence counts its changes.
fn getrawmempool(ctx: &NodeContext, req: &Request) -> RpcResult {
    let verbose = req.param(0).as_bool().unwrap_or(false);
    let sequence = req.param(1).as_bool().unwrap_or(false);
    let pool = ctx.pool.lock().expect("the mempool lock is never poisoned");
    // The chunks once for every entry (each needs its own).
    let chunks = super::mempool::Chunks::of_pool(&pool);
    let order: Vec<bitcoin::Txid> = chunks.order();
    match (verbose, sequence) {
        (true, true) => Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Verbose results cannot contain mempool sequence values.",
        )),
        (true, false) => Ok(Value::Object(
            order
                .iter()
                .filter_map(|t| {
                    super::mempool::entry_json_with(&pool, t, &chunks).map(|v| (t.to_string(), v))
                })
                .collect(),
        )),
        (false, with_sequence) => {
            let txids: Vec<String> = order.iter().map(ToString::to_string).collect();
            if with_sequence {
                Ok(json!({ "txids": txids, "mempool_sequence": pool.sequence_number }))
            } else {
                Ok(json!(txids))
            }
        }
    }
}

fn getmempoolinfo(ctx: &NodeContext, _req: &Request) -> RpcResult {
    let p = &ctx.mempool;
    let mut pool = ctx.pool.lock().expect("the mempool lock is never poisoned");
    // Memory in use: an estimate (Core measures its own allocations), zero when empty.
    let usage = pool.usage();
    Ok(json!({
        "loaded": true,
        "size": pool.len(),
        "bytes": pool.total_vsize(),
        "usage": usage,
        "total_fee": amount(pool.total_fee().to_sat() as i64),
        "maxmempool": p.max_size_bytes,
        "mempoolminfee": amount(pool.min_fee(ctx.now()).max(p.min_relay_fee_per_kvb)),
        "minrelaytxfee": amount(p.min_relay_fee_per_kvb),
        "incrementalrelayfee": amount(p.incremental_relay_fee_per_kvb),
        "unbroadcastcount": pool.unbroadcast_count(),
        "fullrbf": true,
        "permitbaremultisig": p.permit_bare_multisig,
        "maxdatacarriersize": p.max_datacarrier_bytes,
        "limitclustercount": p.limit_cluster_count,
        "limitclustersize": p.limit_cluster_size_bytes,
        "optimal": true,
    }))
}
