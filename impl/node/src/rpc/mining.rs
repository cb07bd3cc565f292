//! Commands of Core's `generating` category (`generatetoaddress`) and of its `mining`
//! category that need no mempool yet (`getmininginfo`, `getnetworkhashps`,
//! `submitblock`, `submitheader`).

use bitcoin::Address;
use serde_json::{Value, json};
use umkoin_interfaces::rpc::code;

use super::json::{amount, float};
use super::{Arg, ArgType, Command, Request, RpcError, RpcResult, help_texts};
use crate::chain::{difficulty, target_hex};
use crate::chainstate::Processed;
use crate::context::NodeContext;

/// The commands of this module.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        category: "hidden",
        name: "generateblock",
        args: &[
            Arg::required("output", ArgType::Str),
            Arg::required("transactions", ArgType::Arr),
            Arg::optional("submit", ArgType::Bool),
        ],
        help: help_texts::GENERATEBLOCK,
        handler: generateblock,
    },
    Command {
        category: "hidden",
        name: "generatetodescriptor",
        args: &[
            Arg::required("num_blocks", ArgType::Num),
            Arg::required("descriptor", ArgType::Str),
            Arg::optional("maxtries", ArgType::Num),
        ],
        help: help_texts::GENERATETODESCRIPTOR,
        handler: generatetodescriptor,
    },
    Command {
        category: "hidden",
        name: "generatetoaddress",
        args: &[
            Arg::required("nblocks", ArgType::Num),
            Arg::required("address", ArgType::Str),
            Arg::optional("maxtries", ArgType::Num),
        ],
        help: help_texts::GENERATETOADDRESS,
        handler: generatetoaddress,
    },
    Command {
        category: "mining",
        name: "getmininginfo",
        args: &[],
        help: help_texts::GETMININGINFO,
        handler: getmininginfo,
    },
    Command {
        category: "mining",
        name: "submitblock",
        args: &[
            Arg::required("hexdata", ArgType::Str),
            Arg::optional("dummy", ArgType::Str),
        ],
        help: help_texts::SUBMITBLOCK,
        handler: submitblock,
    },
    Command {
        category: "mining",
        name: "submitheader",
        args: &[Arg::required("hexdata", ArgType::Str)],
        help: help_texts::SUBMITHEADER,
        handler: submitheader,
    },
    Command {
        category: "mining",
        name: "getnetworkhashps",
        args: &[
            Arg::optional("nblocks", ArgType::Num),
            Arg::optional("height", ArgType::Num),
        ],
        help: help_texts::GETNETWORKHASHPS,
        handler: getnetworkhashps,
    },
];

/// Core's `DEFAULT_BLOCK_RESERVED_WEIGHT`: what the block assembler keeps for the header
/// and coinbase, the weight of a block it fills with no transactions.
const DEFAULT_BLOCK_RESERVED_WEIGHT: u64 = 8000;

/// Core's `DEFAULT_COINBASE_OUTPUT_MAX_ADDITIONAL_SIGOPS`: the signature operations
/// block assembly keeps for the coinbase.
const DEFAULT_COINBASE_SIGOPS: u64 = 400;

/// Core's `GetNetworkHashPS`: the work of the `lookup` blocks ending at `height` (-1: the
/// tip) over the time they span.
fn network_hash_ps(ctx: &NodeContext, lookup: i32, height: i32) -> Result<f64, RpcError> {
    if lookup < -1 || lookup == 0 {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Invalid nblocks. Must be a positive number or -1.",
        ));
    }
    let chain = super::blockchain::chain(ctx);
    if height < -1 || i64::from(height) > i64::from(chain.height()) {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Block does not exist at specified height",
        ));
    }
    let end = if height >= 0 {
        chain.at(i64::from(height)).expect("checked above")
    } else {
        chain.tip()
    };
    if end.height == 0 {
        return Ok(0.0);
    }
    let mut lookup = i64::from(lookup);
    if lookup == -1 {
        // The blocks since the last difficulty change.
        let interval = crate::mining::blocks_per_retarget(&ctx.params);
        lookup = i64::from(end.height) % interval + 1;
    }
    let lookup = lookup.min(i64::from(end.height));
    let start = chain
        .at(i64::from(end.height) - lookup)
        .expect("within the chain");
    let times = (start.height..=end.height)
        .filter_map(|h| chain.at(i64::from(h)))
        .map(|b| i64::from(b.header.time));
    let (min, max) = times.fold((i64::MAX, i64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
    if min == max {
        return Ok(0.0);
    }
    let work = work_as_f64(end.chain_work) - work_as_f64(start.chain_work);
    Ok(work / (max - min) as f64)
}

/// Chain work as a double, as `arith_uint256::getdouble`.
fn work_as_f64(work: bitcoin::pow::Work) -> f64 {
    work.to_be_bytes()
        .iter()
        .fold(0.0, |acc, byte| acc * 256.0 + f64::from(*byte))
}

fn getnetworkhashps(ctx: &NodeContext, req: &Request) -> RpcResult {
    let int_or = |v: &Value, default: i32| match v {
        Value::Null => Ok(default),
        v => super::blockchain::get_int32(v),
    };
    let lookup = int_or(req.param(0), 120)?;
    let height = int_or(req.param(1), -1)?;
    Ok(float(network_hash_ps(ctx, lookup, height)?))
}

fn getmininginfo(ctx: &NodeContext, _req: &Request) -> RpcResult {
    let hash_ps = network_hash_ps(ctx, 120, -1)?;
    let chain = super::blockchain::chain(ctx);
    let tip = chain.tip();
    // The next block as the assembler would make it: its height, bits and target.
    let next =
        crate::mining::create_new_block(&ctx.params, &chain, &bitcoin::ScriptBuf::new(), ctx.now());
    let min_fee = ctx
        .args
        .get_arg("-blockmintxfee")
        .and_then(|v| crate::policy::parse_money(&v))
        .unwrap_or(1);
    let mut v = json!({"blocks": tip.height});
    let obj = v.as_object_mut().expect("built as an object");
    if ctx
        .assembled_block
        .load(std::sync::atomic::Ordering::Relaxed)
    {
        // Every block assembled yet is empty but for its coinbase.
        obj.insert(
            "currentblockweight".into(),
            json!(DEFAULT_BLOCK_RESERVED_WEIGHT),
        );
        obj.insert("currentblocktx".into(), json!(0));
    }
    obj.insert(
        "bits".into(),
        json!(format!("{:08x}", tip.header.bits.to_consensus())),
    );
    obj.insert(
        "difficulty".into(),
        float(difficulty(tip.header.bits.to_consensus())),
    );
    obj.insert("target".into(), json!(target_hex(&tip.header)));
    obj.insert("networkhashps".into(), float(hash_ps));
    obj.insert("pooledtx".into(), json!(0));
    obj.insert("blockmintxfee".into(), amount(min_fee));
    obj.insert("chain".into(), json!(ctx.params.chain.name()));
    obj.insert(
        "next".into(),
        json!({
            "height": tip.height + 1,
            "bits": format!("{:08x}", next.header.bits.to_consensus()),
            "difficulty": float(difficulty(next.header.bits.to_consensus())),
            "target": target_hex(&next.header),
        }),
    );
    obj.insert("warnings".into(), super::blockchain::warnings(ctx));
    Ok(v)
}

/// Core's `DEFAULT_MAX_TRIES`.
const DEFAULT_MAX_TRIES: u64 = 1_000_000;

/// A JSON number read as UniValue's `getInt<uint64_t>`.
fn get_u64(v: &Value) -> Result<u64, RpcError> {
    v.as_u64()
        .filter(|_| {
            v.as_number()
                .is_some_and(|n| !n.to_string().contains(['.', 'e', 'E']))
        })
        .ok_or_else(|| RpcError::new(code::MISC_ERROR, "JSON integer out of range"))
}

fn generatetoaddress(ctx: &NodeContext, req: &Request) -> RpcResult {
    let nblocks = super::blockchain::get_int32(req.param(0))?;
    let max_tries = match req.param(2) {
        Value::Null => DEFAULT_MAX_TRIES,
        v => get_u64(v)?,
    };
    let invalid = || RpcError::new(code::INVALID_ADDRESS_OR_KEY, "Error: Invalid address");
    let address = req
        .param(1)
        .as_str()
        .unwrap_or_default()
        .parse::<Address<_>>()
        .map_err(|_| invalid())?
        .require_network(super::network(ctx.params.chain))
        .map_err(|_| invalid())?;
    let script = address.script_pubkey();
    generate_blocks(ctx, nblocks, &script, max_tries)
}

/// `generatetodescriptor num_blocks "descriptor" ( maxtries )`.
fn generatetodescriptor(ctx: &NodeContext, req: &Request) -> RpcResult {
    let nblocks = super::blockchain::get_int32(req.param(0))?;
    let max_tries = match req.param(2) {
        Value::Null => DEFAULT_MAX_TRIES,
        v => get_u64(v)?,
    };
    let descriptor = req.param(1).as_str().unwrap_or_default();
    let script = match script_from_descriptor(super::network(ctx.params.chain), descriptor)? {
        Ok(script) => script,
        Err(error) => return Err(RpcError::new(code::INVALID_ADDRESS_OR_KEY, error)),
    };
    generate_blocks(ctx, nblocks, &script, max_tries)
}

/// Core's `getScriptFromDescriptor`: the output script of a descriptor without ranges
/// (keys may be private); the inner error is the parser's, for callers that fall back
/// to an address.
fn script_from_descriptor(
    network: bitcoin::Network,
    descriptor: &str,
) -> Result<Result<bitcoin::ScriptBuf, String>, RpcError> {
    // `addr(...)` and `raw(...)`, which the miniscript crate does not read.
    let body = match descriptor.split_once('#') {
        Some(_) => match super::txjson::descriptor_checksum(descriptor) {
            Some(_) => descriptor.split('#').next().unwrap_or_default(),
            None => return Ok(Err(format!("Provided checksum is invalid: '{descriptor}'"))),
        },
        None => descriptor,
    };
    if let Some(inner) = body.strip_prefix("addr(").and_then(|b| b.strip_suffix(')')) {
        return Ok(inner
            .parse::<Address<_>>()
            .ok()
            .and_then(|a| a.require_network(network).ok())
            .map(|a| a.script_pubkey())
            .ok_or_else(|| "Address is not valid".to_owned()));
    }
    if let Some(inner) = body.strip_prefix("raw(").and_then(|b| b.strip_suffix(')')) {
        return Ok(
            bitcoin::ScriptBuf::from_hex(inner).map_err(|_| "Raw script is not hex".to_owned())
        );
    }
    let secp = bitcoin::secp256k1::Secp256k1::signing_only();
    let desc = match miniscript::Descriptor::parse_descriptor(&secp, descriptor) {
        Ok((desc, _keys)) => desc,
        Err(e) => return Ok(Err(e.to_string())),
    };
    if desc.is_multipath() {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Multipath descriptor not accepted",
        ));
    }
    if desc.has_wildcard() {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            "Ranged descriptor not accepted. Maybe pass through deriveaddresses first?",
        ));
    }
    let script = desc
        .at_derivation_index(0)
        .map_err(|_| {
            RpcError::new(
                code::INVALID_ADDRESS_OR_KEY,
                "Cannot derive script without private keys",
            )
        })?
        .script_pubkey();
    Ok(Ok(script))
}

/// Mines `nblocks` blocks paying `script` (Core's `generateBlocks`), giving up after
/// `max_tries` nonces in all; answers their hashes.
fn generate_blocks(
    ctx: &NodeContext,
    nblocks: i32,
    script: &bitcoin::Script,
    max_tries: u64,
) -> RpcResult {
    // One writer at a time; blocks are mined on a copy of the chain and stored in one
    // batch, so the call's blocks become durable, and visible, together when it returns.
    let (blocks, connected) = super::blockchain::with_store(ctx, |store, stored, params, now| {
        let mut chain = stored.clone();
        // The mempool's transactions, in blocks as they fit; a copy tracks what is left.
        let mut left = ctx
            .pool
            .lock()
            .expect("the mempool lock is never poisoned")
            .clone();
        let mut tries = max_tries;
        let mut blocks = Vec::new();
        while blocks.len() < usize::try_from(nblocks).unwrap_or(0) && !ctx.shutdown.is_requested() {
            let (txs, fees) = left.select_for_block(
                ctx.mempool.block_weight_for_transactions(),
                crate::validation::MAX_BLOCK_SIGOPS_COST as u64 - DEFAULT_COINBASE_SIGOPS,
            );
            let mut block =
                crate::mining::create_block_with(params, &chain, script, now, txs, fees);
            if !crate::mining::solve(&mut block, &mut tries) {
                if tries == 0 {
                    break;
                }
                // The nonce ran out: build the block again (a new time) and go on.
                continue;
            }
            left.remove_for_block(&block, now);
            let index = chain.next_index(block.header, block.txdata.len() as u64);
            chain.push(index);
            blocks.push(block);
        }
        let results = store.process_blocks(params, stored, &blocks, now)?;
        Ok((blocks, results.iter().all(|r| *r == Processed::Connected)))
    })?;
    ctx.assembled_block
        .store(true, std::sync::atomic::Ordering::Relaxed);
    // The call's blocks are stored either way; one that did not connect is Core's
    // internal error.
    if !connected {
        return Err(RpcError::new(
            code::INTERNAL_ERROR,
            "ProcessNewBlock, block not accepted",
        ));
    }
    Ok(json!(
        blocks
            .iter()
            .map(|b| b.block_hash().to_string())
            .collect::<Vec<_>>()
    ))
}

/// Core's `DecodeHexBlk` and `DecodeHexBlockHeader`: hex that starts with the
/// serialization of a `T` (bytes after it are ignored, as Core ignores them).
fn decode_hex<T: bitcoin::consensus::Decodable>(v: &Value) -> Option<T> {
    let bytes = bitcoin::hex::FromHex::from_hex(v.as_str()?)
        .ok()
        .map(|b: Vec<u8>| b)?;
    bitcoin::consensus::encode::deserialize_partial::<T>(&bytes)
        .ok()
        .map(|(t, _)| t)
}

/// `submitblock "hexdata" ( "dummy" )`: Core's `ProcessNewBlock` with BIP22's answer:
/// null when the block connects, `duplicate`, `inconclusive` (stored, not the best
/// chain), or the reject reason.
fn submitblock(ctx: &NodeContext, req: &Request) -> RpcResult {
    let block = req
        .param(0)
        .as_str()
        .and_then(|h| bitcoin::hex::FromHex::from_hex(h).ok())
        .and_then(|b: Vec<u8>| crate::validation::decode_block(&b));
    let Some(mut block) = block else {
        return Err(RpcError::new(
            code::DESERIALIZATION_ERROR,
            "Block decode failed",
        ));
    };
    let results = super::blockchain::with_store(ctx, |store, chain, params, now| {
        // Core's UpdateUncommittedBlockStructures: a block that commits to its witnesses
        // but whose coinbase has no witness gets the zero witness nonce.
        if let Some(parent) = store.lookup(&block.header.prev_blockhash)
            && parent.height + 1 >= params.buried.segwit
            && crate::validation::witness_commitment_index(&block).is_some()
            && block.txdata[0].input.iter().all(|i| i.witness.is_empty())
            && let Some(input) = block.txdata[0].input.first_mut()
        {
            input.witness = bitcoin::Witness::from_slice(&[[0u8; 32]]);
        }
        store.process_blocks(params, chain, std::slice::from_ref(&block), now)
    })?;
    Ok(match results.into_iter().next() {
        Some(Processed::Connected) | None => Value::Null,
        Some(Processed::Duplicate) => json!("duplicate"),
        Some(Processed::Inconclusive) => json!("inconclusive"),
        Some(Processed::Rejected(reason)) => json!(reason),
    })
}

/// `submitheader "hexdata"`: Core's `ProcessNewBlockHeaders` for one header; an error
/// with the reject reason when it is not accepted.
fn submitheader(ctx: &NodeContext, req: &Request) -> RpcResult {
    let Some(header) = decode_hex::<bitcoin::block::Header>(req.param(0)) else {
        return Err(RpcError::new(
            code::DESERIALIZATION_ERROR,
            "Block header decode failed",
        ));
    };
    let result = super::blockchain::with_store(ctx, |store, chain, params, now| {
        if !store.knows(&header.prev_blockhash) {
            return Ok(Err(format!(
                "Must submit previous header ({}) first",
                header.prev_blockhash
            )));
        }
        store.process_header(params, chain, &header, now)
    })?;
    match result {
        Ok(()) => Ok(Value::Null),
        Err(reason) => Err(RpcError::new(code::VERIFY_ERROR, reason)),
    }
}

/// `generateblock "output" ["rawtx/txid",...] ( submit )`: a block of the given
/// transactions, in that order, paying the subsidy to `output` (an address or a
/// descriptor); checked as Core's `TestBlockValidity` checks it before it is mined.
fn generateblock(ctx: &NodeContext, req: &Request) -> RpcResult {
    let output = req.param(0).as_str().unwrap_or_default();
    let script = match script_from_descriptor(super::network(ctx.params.chain), output)? {
        Ok(script) => script,
        Err(_) => output
            .parse::<Address<_>>()
            .ok()
            .and_then(|a| a.require_network(super::network(ctx.params.chain)).ok())
            .ok_or_else(|| {
                RpcError::new(
                    code::INVALID_ADDRESS_OR_KEY,
                    "Error: Invalid address or descriptor",
                )
            })?
            .script_pubkey(),
    };
    let mut txs = Vec::new();
    for item in req.param(1).as_array().into_iter().flatten() {
        let text = item.as_str().ok_or_else(|| {
            RpcError::new(
                code::TYPE_ERROR,
                format!(
                    "JSON value of type {} is not of expected type string",
                    super::json::type_name(item)
                ),
            )
        })?;
        if text.len() == 64
            && let Ok(txid) = text.parse::<bitcoin::Txid>()
        {
            // A txid names a mempool transaction.
            let pool = ctx.pool.lock().expect("the mempool lock is never poisoned");
            let tx = pool.get(&txid).ok_or_else(|| {
                RpcError::new(
                    code::INVALID_ADDRESS_OR_KEY,
                    format!("Transaction {text} not in mempool."),
                )
            })?;
            txs.push((*tx.tx).clone());
            continue;
        }
        let tx = bitcoin::hex::FromHex::from_hex(text)
            .ok()
            .and_then(|b: Vec<u8>| bitcoin::consensus::deserialize::<bitcoin::Transaction>(&b).ok())
            .ok_or_else(|| {
                RpcError::new(
                    code::DESERIALIZATION_ERROR,
                    format!(
                        "Transaction decode failed for {text}. Make sure the tx has at least one input."
                    ),
                )
            })?;
        txs.push(tx);
    }
    let submit = match req.param(2) {
        Value::Null => true,
        v => v.as_bool().unwrap_or(true),
    };
    let block = super::blockchain::with_store(ctx, |store, chain, params, now| {
        let mut block = crate::mining::create_new_block(params, chain, &script, now);
        block.txdata.extend(txs);
        // Core's RegenerateCommitments: the witness commitment and merkle root again.
        if let Some(pos) = crate::validation::witness_commitment_index(&block) {
            let mut commitment = block.txdata[0].output[pos].script_pubkey.to_bytes();
            commitment[6..38]
                .copy_from_slice(&crate::validation::witness_commitment(&block, &[0; 32]));
            block.txdata[0].output.remove(pos);
            block.txdata[0].output.push(bitcoin::TxOut {
                value: bitcoin::Amount::ZERO,
                script_pubkey: bitcoin::ScriptBuf::from_bytes(commitment),
            });
        }
        block.header.merkle_root = block
            .compute_merkle_root()
            .expect("the block holds its coinbase");
        if let Err(r) = store.test_block_validity(params, chain, &block, now)? {
            return Ok(Err(RpcError::new(
                code::VERIFY_ERROR,
                format!("TestBlockValidity failed: {r}"),
            )));
        }
        let mut tries = DEFAULT_MAX_TRIES;
        if !crate::mining::solve(&mut block, &mut tries) {
            return Ok(Err(RpcError::new(
                code::MISC_ERROR,
                "Failed to make block.",
            )));
        }
        if submit {
            let results = store.process_blocks(params, chain, std::slice::from_ref(&block), now)?;
            if results.first() != Some(&Processed::Connected) {
                return Ok(Err(RpcError::new(
                    code::INTERNAL_ERROR,
                    "ProcessNewBlock, block not accepted",
                )));
            }
        }
        Ok(Ok(block))
    })??;
    let mut answer = json!({"hash": block.block_hash().to_string()});
    if !submit {
        answer["hex"] = json!(bitcoin::consensus::encode::serialize_hex(&block));
    }
    Ok(answer)
}
