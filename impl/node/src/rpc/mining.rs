//! Commands of Core's `generating` category: `generatetoaddress`.

use bitcoin::Address;
use serde_json::{Value, json};
use umkoin_interfaces::rpc::code;

use super::{Arg, ArgType, Command, Request, RpcError, RpcResult, help_texts};
use crate::chainstate::ConnectError;
use crate::context::NodeContext;

/// The commands of this module.
pub(super) const COMMANDS: &[Command] = &[Command {
    category: "generating",
    name: "generatetoaddress",
    args: &[
        Arg::required("nblocks", ArgType::Num),
        Arg::required("address", ArgType::Str),
        Arg::optional("maxtries", ArgType::Num),
    ],
    help: help_texts::GENERATETOADDRESS,
    handler: generatetoaddress,
}];

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

    // One writer at a time; blocks are mined on a copy of the chain and stored in one
    // batch, so the call's blocks become durable, and visible, together when it returns.
    let mut store = ctx.store.lock().expect("the store lock is never poisoned");
    let store = store
        .as_mut()
        .ok_or_else(|| RpcError::new(code::IN_WARMUP, "Loading block index…"))?;
    let mut chain = super::blockchain::chain(ctx).clone();
    let start = chain.clone();
    let mut tries = max_tries;
    let mut blocks = Vec::new();
    while blocks.len() < usize::try_from(nblocks).unwrap_or(0) && !ctx.shutdown.is_requested() {
        let mut block = crate::mining::create_new_block(&ctx.params, &chain, &script, ctx.now());
        if !crate::mining::solve(&mut block, &mut tries) {
            if tries == 0 {
                break;
            }
            // The nonce ran out: build the block again (a new time) and go on.
            continue;
        }
        let index = chain.next_index(block.header, block.txdata.len() as u64);
        chain.push(index);
        blocks.push(block);
    }
    let mut stored = start;
    store
        .connect(&ctx.params, &mut stored, &blocks, ctx.now())
        .map_err(|e| match e {
            ConnectError::Invalid(_) => {
                RpcError::new(code::MISC_ERROR, "ProcessNewBlock, block not accepted")
            }
            ConnectError::Storage(e) => RpcError::new(code::MISC_ERROR, e),
        })?;
    let (hash, height) = (stored.tip().hash, stored.height());
    *ctx.chain.write().expect("the chain lock is never poisoned") = stored;
    ctx.tip.set(hash, height);
    Ok(json!(
        blocks
            .iter()
            .map(|b| b.block_hash().to_string())
            .collect::<Vec<_>>()
    ))
}
