//! `getblocktemplate` as Umkoin Core v31.0's (`src/rpc/mining.cpp` 614-1014): BIP22
//! templates from the mempool with BIP23's proposal mode (checked as Core's
//! `TestBlockValidity` checks it), BIP9's `rules`/`vbavailable` and BIP145's segwit
//! fields, BIP22 long polling on the tip and the mempool, and Core's template cache
//! (rebuilt for a new tip, or when the mempool changed and the template is more than 5
//! seconds old).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bitcoin::consensus::encode::serialize_hex;
use bitcoin::{Block, BlockHash, ScriptBuf};
use serde_json::{Map, Value, json};
use umkoin_interfaces::chain::ChainType;
use umkoin_interfaces::rpc::code;

use super::{Arg, ArgType, Command, Request, RpcError, RpcResult};
use crate::chain::Chain;
use crate::chainparams::ChainParams;
use crate::context::NodeContext;
use crate::mempool::Mempool;
use crate::validation::{MAX_BLOCK_SIGOPS_COST, MAX_BLOCK_WEIGHT, WITNESS_SCALE_FACTOR};

/// The commands of this module.
pub(super) const COMMANDS: &[Command] = &[Command {
    category: "mining",
    name: "getblocktemplate",
    args: &[Arg::required("template_request", ArgType::Obj)],
    help: HELP,
    handler: getblocktemplate,
}];

/// Core's `DEFAULT_COINBASE_OUTPUT_MAX_ADDITIONAL_SIGOPS`.
const DEFAULT_COINBASE_SIGOPS: u64 = 400;

/// Core's `MAX_BLOCK_SERIALIZED_SIZE`.
const MAX_BLOCK_SERIALIZED_SIZE: u64 = 4_000_000;

/// How long a long poll waits for a new tip before it first looks at the mempool.
const LONGPOLL_FIRST_CHECK: Duration = Duration::from_secs(60);
/// How long it waits between later looks at the mempool.
const LONGPOLL_NEXT_CHECKS: Duration = Duration::from_secs(10);

/// Seconds a template stays in use while the mempool changes (the tip unchanged).
const TEMPLATE_MAX_AGE: i64 = 5;

/// Umkoin's default signet challenge (`src/kernel/chainparams.cpp` `SigNetParams`):
/// what `signet_challenge` shows on signet (this node does not run signet yet).
const SIGNET_CHALLENGE: &str = "512103ad5e0edad18cb1f0fc0d28a3d4f1f3e445640337489abb10404f2d1e086be430210359ef5021964fe22d6f8e05b2463c9540ce96883fe3b278760f048f5189f2e6c452ae";

/// The last template built, as Core's function-static `pindexPrev`, `time_start` and
/// `block_template`.
struct Cached {
    /// The node it was built for (one per process, but unit tests make several).
    node: usize,
    /// The tip it builds on.
    prev: BlockHash,
    /// The node's clock when it was built.
    time_start: i64,
    /// The block, its coinbase paying `OP_TRUE`.
    block: Block,
    /// Each transaction's fee (base, not prioritised) after the coinbase.
    fees: Vec<i64>,
    /// Each transaction's signature operation cost.
    sigops: Vec<u64>,
}

/// Core's statics of `getblocktemplate`: the cached template and
/// `nTransactionsUpdatedLast`.
struct TemplateState {
    cached: Option<Cached>,
    transactions_updated_last: u64,
}

static STATE: Mutex<TemplateState> = Mutex::new(TemplateState {
    cached: None,
    transactions_updated_last: 0,
});

fn state() -> std::sync::MutexGuard<'static, TemplateState> {
    STATE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Core's `GetTransactionsUpdated`: a counter that moves whenever the mempool changes
/// or the tip moves.
fn transactions_updated(pool: &Mempool) -> u64 {
    pool.transactions_updated()
}

/// `getblocktemplate {"mode":..,"capabilities":[..],"rules":[..],"longpollid":..,"data":..}`.
fn getblocktemplate(ctx: &NodeContext, req: &Request) -> RpcResult {
    let mut mode = "template".to_owned();
    let mut longpollid = Value::Null;
    let mut client_rules: Vec<String> = Vec::new();
    if let Some(request) = req.param(0).as_object() {
        match request.get("mode") {
            Some(Value::String(m)) => mode = m.clone(),
            None | Some(Value::Null) => {}
            Some(_) => return Err(invalid_mode()),
        }
        longpollid = request.get("longpollid").cloned().unwrap_or(Value::Null);
        if mode == "proposal" {
            return proposal(ctx, request.get("data").unwrap_or(&Value::Null));
        }
        if let Some(Value::Array(rules)) = request.get("rules") {
            for rule in rules {
                let name = rule.as_str().ok_or_else(|| {
                    RpcError::new(
                        code::TYPE_ERROR,
                        format!(
                            "JSON value of type {} is not of expected type string",
                            super::json::type_name(rule)
                        ),
                    )
                })?;
                client_rules.push(name.to_owned());
            }
        }
    }
    if mode != "template" {
        return Err(invalid_mode());
    }
    // Core asks for peers and for the end of initial block download on main only
    // (`isTestChain`). This node has no P2P connections, so on main it is never
    // connected (and Core checks the download only after the connections).
    if ctx.params.chain == ChainType::Main {
        return Err(RpcError::new(
            code::CLIENT_NOT_CONNECTED,
            "Umkoin Core is not connected!",
        ));
    }

    if !longpollid.is_null() {
        long_poll(ctx, &longpollid)?;
    }

    // GBT must be called with 'signet' set in the rules for signet chains.
    if ctx.params.chain == ChainType::Signet && !client_rules.iter().any(|r| r == "signet") {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            r#"getblocktemplate must be called with the signet rule set (call with {"rules": ["segwit", "signet"]})"#,
        ));
    }
    // GBT must be called with 'segwit' set in the rules.
    if !client_rules.iter().any(|r| r == "segwit") {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            r#"getblocktemplate must be called with the segwit rule set (call with {"rules": ["segwit"]})"#,
        ));
    }
    template(ctx, &client_rules)
}

fn invalid_mode() -> RpcError {
    RpcError::new(code::INVALID_PARAMETER, "Invalid mode")
}

/// BIP23's proposal: the BIP22 answer for `data`, a block on the tip checked without
/// its proof of work.
fn proposal(ctx: &NodeContext, data: &Value) -> RpcResult {
    let Some(data) = data.as_str() else {
        return Err(RpcError::new(
            code::TYPE_ERROR,
            "Missing data String key for proposal",
        ));
    };
    let block = bitcoin::hex::FromHex::from_hex(data)
        .ok()
        .and_then(|b: Vec<u8>| crate::validation::decode_block(&b))
        .ok_or_else(|| RpcError::new(code::DESERIALIZATION_ERROR, "Block decode failed"))?;
    let hash = block.block_hash();
    super::blockchain::with_store(ctx, |store, chain, params, now| {
        if let Some(known) = store.lookup(&hash) {
            // Core's `IsValid(BLOCK_VALID_SCRIPTS)`: a block that was ever connected, but
            // for the genesis block (whose connection checks nothing).
            let connected = known.height > 0 && known.connected;
            return Ok(Ok(json!(if connected {
                "duplicate"
            } else if known.failed {
                "duplicate-invalid"
            } else {
                "duplicate-inconclusive"
            })));
        }
        Ok(
            match store.test_block_validity(params, chain, &block, now) {
                Ok(Ok(())) => Ok(Value::Null),
                Ok(Err(reject)) if reject.reason.is_empty() => Ok(json!("rejected")),
                Ok(Err(reject)) => Ok(json!(reject.reason)),
                // BIP22ValidationResult: an error, not a reject, is the RPC's error.
                Err(e) => Err(RpcError::new(code::VERIFY_ERROR, e.to_string())),
            },
        )
    })?
}

/// Core's `ParseHashV(lpstr.substr(0, 64), "longpollid")` and the rest, `lpstr.substr(64)`
/// (Core cuts bytes, not characters).
fn split_longpollid(text: &str) -> Result<(BlockHash, String), RpcError> {
    let bytes = text.as_bytes();
    let (head, rest) = bytes.split_at(bytes.len().min(64));
    let shown = String::from_utf8_lossy(head);
    if head.len() != 64 {
        return Err(RpcError::new(
            code::INVALID_PARAMETER,
            format!(
                "longpollid must be of length 64 (not {}, for '{shown}')",
                head.len()
            ),
        ));
    }
    let hash = head
        .iter()
        .all(u8::is_ascii_hexdigit)
        .then(|| shown.to_ascii_lowercase().parse::<BlockHash>().ok())
        .flatten()
        .ok_or_else(|| {
            RpcError::new(
                code::INVALID_PARAMETER,
                format!("longpollid must be hexadecimal string (not '{shown}')"),
            )
        })?;
    Ok((hash, String::from_utf8_lossy(rest).into_owned()))
}

/// Core's `LocaleIndependentAtoi<int64_t>` read into an `unsigned int`: the leading
/// number (after blanks and one `+`), 0 when there is none, saturated when too long.
fn atoi_u32(text: &str) -> u32 {
    let s = text.trim_matches(|c: char| " \x0c\n\r\t\x0b".contains(c));
    let s = match s.strip_prefix('+') {
        Some(rest) if rest.starts_with('-') => return 0,
        Some(rest) => rest,
        None => s,
    };
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let digits: String = digits.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return 0;
    }
    let value = match digits.parse::<i64>() {
        Ok(v) if negative => -v,
        Ok(v) => v,
        Err(_) if negative => i64::MIN,
        Err(_) => i64::MAX,
    };
    // The conversion to `unsigned int` keeps the low 32 bits.
    value as u32
}

/// BIP22 long polling: waits until the tip is no longer the one `longpollid` names, or
/// (checked after a minute, then every 10 seconds) the mempool changed since it.
fn long_poll(ctx: &NodeContext, longpollid: &Value) -> Result<(), RpcError> {
    let (watched, updated) = match longpollid.as_str() {
        // Format: <hashBestChain><nTransactionsUpdatedLast>
        Some(text) => {
            let (hash, rest) = split_longpollid(text)?;
            (hash, atoi_u32(&rest))
        }
        // Not a string (BIP22 leaves it open): the current tip and template.
        None => {
            let tip = super::blockchain::chain(ctx).tip().hash;
            (tip, state().transactions_updated_last as u32)
        }
    };
    let stop = || ctx.shutdown.is_requested();
    let mut wait = LONGPOLL_FIRST_CHECK;
    while !stop() {
        // Returns at once when `watched` is not the tip (or not a block at all).
        let Some((tip, _)) = ctx
            .tip
            .wait_changed(watched, Some(Instant::now() + wait), stop)
        else {
            break;
        };
        if tip != watched {
            break;
        }
        let now_updated =
            transactions_updated(&ctx.pool.lock().expect("the mempool lock is never poisoned"));
        if now_updated as u32 != updated {
            break;
        }
        wait = LONGPOLL_NEXT_CHECKS;
    }
    if stop() {
        return Err(RpcError::new(code::CLIENT_NOT_CONNECTED, "Shutting down"));
    }
    Ok(())
}

/// The template for the next block on the tip, for a client that knows `client_rules`.
fn template(ctx: &NodeContext, client_rules: &[String]) -> RpcResult {
    // As Core's cs_main: no block connects while the template is made, and the mempool
    // matches the chain.
    let store = ctx.store.lock().expect("the store lock is never poisoned");
    if store.is_none() {
        return Err(RpcError::new(code::IN_WARMUP, "Loading block index…"));
    }
    let chain = super::blockchain::chain(ctx);
    let params = &ctx.params;
    let tip = chain.tip();
    let now = ctx.now();
    let node = std::ptr::from_ref(ctx) as usize;

    let mut state = state();
    let updated =
        transactions_updated(&ctx.pool.lock().expect("the mempool lock is never poisoned"));
    let stale = match &state.cached {
        None => true,
        Some(c) => {
            c.node != node
                || c.prev != tip.hash
                || (updated != state.transactions_updated_last
                    && now - c.time_start > TEMPLATE_MAX_AGE)
        }
    };
    if stale {
        state.cached = None;
        let pool = ctx.pool.lock().expect("the mempool lock is never poisoned");
        state.transactions_updated_last = transactions_updated(&pool);
        let (txs, fees) = pool.select_for_block(
            ctx.mempool.block_weight_for_transactions(),
            MAX_BLOCK_SIGOPS_COST as u64 - DEFAULT_COINBASE_SIGOPS,
        );
        let entries: Vec<_> = txs.iter().map(|tx| pool.get(&tx.compute_txid())).collect();
        let tx_fees = entries
            .iter()
            .map(|e| e.map_or(0, |e| e.fee.to_sat() as i64))
            .collect();
        let tx_sigops = entries
            .iter()
            .map(|e| e.map_or(0, |e| e.sigop_cost))
            .collect();
        drop(pool);
        let op_true = ScriptBuf::from_bytes(vec![0x51]);
        let block = crate::mining::create_block_with(params, &chain, &op_true, now, txs, fees);
        state.cached = Some(Cached {
            node,
            prev: tip.hash,
            time_start: now,
            block,
            fees: tx_fees,
            sigops: tx_sigops,
        });
    }
    let transactions_updated_last = state.transactions_updated_last;
    let Some(cached) = state.cached.as_ref() else {
        return Err(RpcError::new(code::INTERNAL_ERROR, "no block template"));
    };
    let mut block = cached.block.clone();

    // Core's UpdateTime: the clock, or the earliest time the block may have if later.
    let interval = crate::mining::blocks_per_retarget(params);
    let min_time = minimum_time(&chain, interval);
    let new_time = min_time.max(now);
    if i64::from(block.header.time) < new_time {
        block.header.time = u32::try_from(new_time).unwrap_or(u32::MAX);
    }
    // Updating the time can change the work required on testnet.
    if params.pow_allow_min_difficulty_blocks {
        block.header.bits = bitcoin::CompactTarget::from_consensus(crate::mining::required_bits(
            params,
            &chain,
            i64::from(block.header.time),
        ));
    }
    block.header.nonce = 0;

    let height = tip.height + 1;
    let pre_segwit = height < params.buried.segwit;

    // The transactions, with the 1-based positions of those each one spends.
    let mut index: BTreeMap<bitcoin::Txid, usize> = BTreeMap::new();
    let mut transactions = Vec::new();
    for (i, tx) in block.txdata.iter().enumerate() {
        let txid = tx.compute_txid();
        index.insert(txid, i);
        if i == 0 {
            continue;
        }
        let depends: Vec<usize> = tx
            .input
            .iter()
            .filter_map(|input| index.get(&input.previous_output.txid).copied())
            .collect();
        let mut sigops = cached.sigops.get(i - 1).copied().unwrap_or(0);
        if pre_segwit {
            sigops /= WITNESS_SCALE_FACTOR;
        }
        transactions.push(json!({
            "data": serialize_hex(tx),
            "txid": txid.to_string(),
            "hash": tx.compute_wtxid().to_string(),
            "depends": depends,
            "fee": cached.fees.get(i - 1).copied().unwrap_or(0),
            "sigops": sigops,
            "weight": tx.weight().to_wu(),
        }));
    }

    let mut rules = vec!["csv".to_owned()];
    if !pre_segwit {
        rules.push("!segwit".to_owned());
    }
    if params.chain == ChainType::Signet {
        // The miner must understand signet's rules to mine with this template.
        rules.push("!signet".to_owned());
    }

    // BIP9: deployments signalling or locked in are available; active ones are rules.
    let mut version = block.header.version.to_consensus();
    let mut vbavailable = Map::new();
    let states = deployment_states(params, &chain);
    let known = |name: &str| client_rules.iter().any(|r| r == name);
    for phase in [ThresholdState::Started, ThresholdState::LockedIn] {
        for (d, _) in states.iter().filter(|(_, s)| *s == phase) {
            let mask = 1_i32 << d.bit;
            if phase == ThresholdState::LockedIn {
                version |= mask;
            }
            vbavailable.insert(rule_value(d), json!(d.bit));
            if !d.gbt_optional_rule && !known(d.name) {
                // The client does not support it: not in the [default] version.
                version &= !mask;
            }
        }
    }
    for (d, _) in states.iter().filter(|(_, s)| *s == ThresholdState::Active) {
        rules.push(rule_value(d));
        if !d.gbt_optional_rule && !known(d.name) {
            return Err(RpcError::new(
                code::INVALID_PARAMETER,
                format!(
                    "Support for '{}' rule requires explicit client support",
                    d.name
                ),
            ));
        }
    }

    let (sigop_limit, size_limit) = if pre_segwit {
        (
            MAX_BLOCK_SIGOPS_COST as u64 / WITNESS_SCALE_FACTOR,
            MAX_BLOCK_SERIALIZED_SIZE / WITNESS_SCALE_FACTOR,
        )
    } else {
        (MAX_BLOCK_SIGOPS_COST as u64, MAX_BLOCK_SERIALIZED_SIZE)
    };
    let mut result = Map::new();
    result.insert("capabilities".into(), json!(["proposal"]));
    result.insert("version".into(), json!(version));
    result.insert("rules".into(), json!(rules));
    result.insert("vbavailable".into(), Value::Object(vbavailable));
    result.insert("vbrequired".into(), json!(0));
    result.insert(
        "previousblockhash".into(),
        json!(block.header.prev_blockhash.to_string()),
    );
    result.insert("transactions".into(), Value::Array(transactions));
    result.insert("coinbaseaux".into(), json!({}));
    let coinbase_value = block
        .txdata
        .first()
        .and_then(|cb| cb.output.first())
        .map_or(0, |o| o.value.to_sat());
    result.insert("coinbasevalue".into(), json!(coinbase_value));
    result.insert(
        "longpollid".into(),
        json!(format!("{}{}", tip.hash, transactions_updated_last)),
    );
    result.insert(
        "target".into(),
        json!(crate::chain::target_hex(&block.header)),
    );
    result.insert("mintime".into(), json!(min_time));
    result.insert(
        "mutable".into(),
        json!(["time", "transactions", "prevblock"]),
    );
    result.insert("noncerange".into(), json!("00000000ffffffff"));
    result.insert("sigoplimit".into(), json!(sigop_limit));
    result.insert("sizelimit".into(), json!(size_limit));
    if !pre_segwit {
        result.insert("weightlimit".into(), json!(MAX_BLOCK_WEIGHT));
    }
    result.insert("curtime".into(), json!(block.header.time));
    result.insert(
        "bits".into(),
        json!(format!("{:08x}", block.header.bits.to_consensus())),
    );
    result.insert("height".into(), json!(height));
    if params.chain == ChainType::Signet {
        result.insert("signet_challenge".into(), json!(SIGNET_CHALLENGE));
    }
    if let Some(pos) = crate::validation::witness_commitment_index(&block) {
        let script = &block.txdata[0].output[pos].script_pubkey;
        result.insert(
            "default_witness_commitment".into(),
            json!(bitcoin::hex::DisplayHex::to_lower_hex_string(
                script.as_bytes()
            )),
        );
    }
    Ok(Value::Object(result))
}

/// Core's `GetMinimumTime`: the tip's median time past + 1, and at a retarget height
/// no earlier than the tip's time - `MAX_TIMEWARP` (BIP94, on all networks).
fn minimum_time(chain: &Chain, interval: i64) -> i64 {
    const MAX_TIMEWARP: i64 = 600;
    let tip = chain.tip();
    let mut min_time = i64::from(tip.median_time_past) + 1;
    if (i64::from(tip.height) + 1) % interval == 0 {
        min_time = min_time.max(i64::from(tip.header.time) - MAX_TIMEWARP);
    }
    min_time
}

/// Core's `gbt_rule_value`: a rule the client must understand is prefixed with `!`.
fn rule_value(d: &Deployment) -> String {
    if d.gbt_optional_rule {
        d.name.to_owned()
    } else {
        format!("!{}", d.name)
    }
}

/// `ThresholdState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ThresholdState {
    Defined,
    Started,
    LockedIn,
    Active,
    Failed,
}

/// A BIP9 deployment: `Consensus::BIP9Deployment` with its `VBDeploymentInfo`.
#[derive(Clone, Copy, Debug)]
struct Deployment {
    name: &'static str,
    gbt_optional_rule: bool,
    bit: u8,
    start_time: i64,
    timeout: i64,
    min_activation_height: i64,
    threshold: u32,
    period: u32,
}

/// `BIP9Deployment::ALWAYS_ACTIVE`.
const ALWAYS_ACTIVE: i64 = -1;
/// `BIP9Deployment::NEVER_ACTIVE`.
const NEVER_ACTIVE: i64 = -2;
/// `BIP9Deployment::NO_TIMEOUT`.
const NO_TIMEOUT: i64 = i64::MAX;

/// The BIP9 deployments of `chain` (`src/kernel/chainparams.cpp`, regtest without
/// `-vbparams`), in Core's `DeploymentPos` order, with `src/deploymentinfo.cpp`'s names.
fn deployments(chain: ChainType) -> [Deployment; 2] {
    const TAPROOT_START: i64 = 1_619_222_400;
    const TAPROOT_TIMEOUT: i64 = 1_628_640_000;
    let testdummy = |start_time, threshold, period| Deployment {
        name: "testdummy",
        gbt_optional_rule: true,
        bit: 28,
        start_time,
        timeout: NO_TIMEOUT,
        min_activation_height: 0,
        threshold,
        period,
    };
    let taproot = |start_time, timeout, min_activation_height, threshold, period| Deployment {
        name: "taproot",
        gbt_optional_rule: true,
        bit: 2,
        start_time,
        timeout,
        min_activation_height,
        threshold,
        period,
    };
    match chain {
        ChainType::Main => [
            testdummy(NEVER_ACTIVE, 130, 144),
            taproot(TAPROOT_START, TAPROOT_TIMEOUT, 155_843, 130, 144),
        ],
        ChainType::Testnet => [
            testdummy(NEVER_ACTIVE, 1512, 2016),
            taproot(TAPROOT_START, TAPROOT_TIMEOUT, 0, 1512, 2016),
        ],
        ChainType::Testnet4 => [
            testdummy(NEVER_ACTIVE, 54, 72),
            taproot(ALWAYS_ACTIVE, NO_TIMEOUT, 0, 54, 72),
        ],
        ChainType::Signet => [
            testdummy(NEVER_ACTIVE, 130, 144),
            taproot(ALWAYS_ACTIVE, NO_TIMEOUT, 0, 130, 144),
        ],
        ChainType::Regtest => [
            testdummy(0, 54, 72),
            taproot(ALWAYS_ACTIVE, NO_TIMEOUT, 0, 54, 72),
        ],
    }
}

/// Core's `VersionBitsCache::GBTStatus`: each deployment's state for the block after
/// `chain`'s tip, sorted by name as Core's maps are.
fn deployment_states(params: &ChainParams, chain: &Chain) -> Vec<(Deployment, ThresholdState)> {
    let mut states: Vec<(Deployment, ThresholdState)> = deployments(params.chain)
        .into_iter()
        .map(|d| (d, threshold_state(chain, &d)))
        .collect();
    states.sort_by_key(|(d, _)| d.name);
    states
}

/// `AbstractThresholdConditionChecker::GetStateFor` for the block after `chain`'s tip.
fn threshold_state(chain: &Chain, d: &Deployment) -> ThresholdState {
    if d.start_time == ALWAYS_ACTIVE {
        return ThresholdState::Active;
    }
    if d.start_time == NEVER_ACTIVE {
        return ThresholdState::Failed;
    }
    let period = i64::from(d.period);
    let tip = i64::from(chain.height());
    let mtp = |h: i64| chain.at(h).map_or(0, |b| i64::from(b.median_time_past));
    // A period's state is computed from the block before it (height a multiple of the
    // period minus one); none before the genesis block.
    let mut prev = Some(tip - ((tip + 1) % period)).filter(|h| *h >= 0);
    let mut to_compute = Vec::new();
    while let Some(h) = prev {
        if mtp(h) < d.start_time {
            break;
        }
        to_compute.push(h);
        prev = Some(h - period).filter(|h| *h >= 0);
    }
    let mut state = ThresholdState::Defined;
    while let Some(h) = to_compute.pop() {
        state = match state {
            ThresholdState::Defined if mtp(h) >= d.start_time => ThresholdState::Started,
            ThresholdState::Started => {
                let count = (0..period)
                    .filter_map(|i| chain.at(h - i))
                    .filter(|b| signals(b.header.version.to_consensus(), d.bit))
                    .count();
                if count >= d.threshold as usize {
                    ThresholdState::LockedIn
                } else if mtp(h) >= d.timeout {
                    ThresholdState::Failed
                } else {
                    ThresholdState::Started
                }
            }
            ThresholdState::LockedIn if h + 1 >= d.min_activation_height => ThresholdState::Active,
            other => other,
        };
    }
    state
}

/// `VersionBitsConditionChecker::Condition`: whether `version` signals `bit`.
fn signals(version: i32, bit: u8) -> bool {
    const TOP_BITS: i32 = 0x2000_0000;
    const TOP_MASK: i32 = 0xE000_0000_u32 as i32;
    (version & TOP_MASK) == TOP_BITS && (version & (1_i32 << bit)) != 0
}

/// `help getblocktemplate`, as Umkoin Core v31.0 prints it.
const HELP: &str = r#"getblocktemplate {"mode":"str","capabilities":["str",...],"rules":["segwit","str",...],"longpollid":"str","data":"hex"}

If the request parameters include a 'mode' key, that is used to explicitly select between the default 'template' request or a 'proposal'.
It returns data needed to construct a block to work on.
For full specification, see BIPs 22, 23, 9, and 145:
    https://github.com/bitcoin/bips/blob/master/bip-0022.mediawiki
    https://github.com/bitcoin/bips/blob/master/bip-0023.mediawiki
    https://github.com/bitcoin/bips/blob/master/bip-0009.mediawiki#getblocktemplate_changes
    https://github.com/bitcoin/bips/blob/master/bip-0145.mediawiki

Arguments:
1. template_request            (json object, required) Format of the template
     {
       "mode": "str",          (string, optional) This must be set to "template", "proposal" (see BIP 23), or omitted
       "capabilities": [       (json array, optional) A list of strings
         "str",                (string) client side supported feature, 'longpoll', 'coinbasevalue', 'proposal', 'serverlist', 'workid'
         ...
       ],
       "rules": [              (json array, required) A list of strings
         "segwit",             (string, required) (literal) indicates client side segwit support
         "str",                (string) other client side supported softfork deployment
         ...
       ],
       "longpollid": "str",    (string, optional) delay processing request until the result would vary significantly from the "longpollid" of a prior template
       "data": "hex",          (string, optional) proposed block data to check, encoded in hexadecimal; valid only for mode="proposal"
     }

Result (If the proposal was accepted with mode=='proposal'):
null    (json null)

Result (If the proposal was not accepted with mode=='proposal'):
"str"    (string) According to BIP22

Result (Otherwise):
{                                          (json object)
  "version" : n,                           (numeric) The preferred block version
  "rules" : [                              (json array) specific block rules that are to be enforced
    "str",                                 (string) name of a rule the client must understand to some extent; see BIP 9 for format
    ...
  ],
  "vbavailable" : {                        (json object) set of pending, supported versionbit (BIP 9) softfork deployments
    "rulename" : n,                        (numeric) identifies the bit number as indicating acceptance and readiness for the named softfork rule
    ...
  },
  "capabilities" : [                       (json array)
    "str",                                 (string) A supported feature, for example 'proposal'
    ...
  ],
  "vbrequired" : n,                        (numeric) bit mask of versionbits the server requires set in submissions
  "previousblockhash" : "str",             (string) The hash of current highest block
  "transactions" : [                       (json array) contents of non-coinbase transactions that should be included in the next block
    {                                      (json object)
      "data" : "hex",                      (string) transaction data encoded in hexadecimal (byte-for-byte)
      "txid" : "hex",                      (string) transaction hash excluding witness data, shown in byte-reversed hex
      "hash" : "hex",                      (string) transaction hash including witness data, shown in byte-reversed hex
      "depends" : [                        (json array) array of numbers
        n,                                 (numeric) transactions before this one (by 1-based index in 'transactions' list) that must be present in the final block if this one is
        ...
      ],
      "fee" : n,                           (numeric) difference in value between transaction inputs and outputs (in satoshis); for coinbase transactions, this is a negative Number of the total collected block fees (ie, not including the block subsidy); if key is not present, fee is unknown and clients MUST NOT assume there isn't one
      "sigops" : n,                        (numeric) total SigOps cost, as counted for purposes of block limits; if key is not present, sigop cost is unknown and clients MUST NOT assume it is zero
      "weight" : n                         (numeric) total transaction weight, as counted for purposes of block limits
    },
    ...
  ],
  "coinbaseaux" : {                        (json object) data that should be included in the coinbase's scriptSig content
    "key" : "hex",                         (string) values must be in the coinbase (keys may be ignored)
    ...
  },
  "coinbasevalue" : n,                     (numeric) maximum allowable input to coinbase transaction, including the generation award and transaction fees (in satoshis)
  "longpollid" : "str",                    (string) an id to include with a request to longpoll on an update to this template
  "target" : "str",                        (string) The hash target
  "mintime" : xxx,                         (numeric) The minimum timestamp appropriate for the next block time, expressed in UNIX epoch time. Adjusted for the proposed BIP94 timewarp rule.
  "mutable" : [                            (json array) list of ways the block template may be changed
    "str",                                 (string) A way the block template may be changed, e.g. 'time', 'transactions', 'prevblock'
    ...
  ],
  "noncerange" : "hex",                    (string) A range of valid nonces
  "sigoplimit" : n,                        (numeric) limit of sigops in blocks
  "sizelimit" : n,                         (numeric) limit of block size
  "weightlimit" : n,                       (numeric, optional) limit of block weight
  "curtime" : xxx,                         (numeric) current timestamp in UNIX epoch time. Adjusted for the proposed BIP94 timewarp rule.
  "bits" : "str",                          (string) compressed target of next block
  "height" : n,                            (numeric) The height of the next block
  "signet_challenge" : "hex",              (string, optional) Only on signet
  "default_witness_commitment" : "hex"     (string, optional) a valid witness commitment for the unmodified block template
}

Examples:
> umkoin-cli getblocktemplate '{"rules": ["segwit"]}'
> curl --user myusername --data-binary '{"jsonrpc": "2.0", "id": "curltest", "method": "getblocktemplate", "params": [{"rules": ["segwit"]}]}' -H 'content-type: application/json' http://127.0.0.1:6332/
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longpollid_counters_read_as_cores_atoi() {
        assert_eq!(atoi_u32(""), 0);
        assert_eq!(atoi_u32("12"), 12);
        assert_eq!(atoi_u32(" 12x"), 12);
        assert_eq!(atoi_u32("+7"), 7);
        assert_eq!(atoi_u32("+-7"), 0);
        assert_eq!(atoi_u32("-1"), u32::MAX);
        assert_eq!(atoi_u32("abc"), 0);
        assert_eq!(atoi_u32("4294967297"), 1);
        assert_eq!(atoi_u32("99999999999999999999"), u32::MAX);
    }

    #[test]
    fn longpollid_hashes_are_checked_as_cores() {
        let hash = "60b48405c3efa2bd7aa6a8bc206e3369e58d15f60cba7a915769e9669758cb6d";
        let (parsed, rest) = split_longpollid(&format!("{hash}42")).unwrap();
        assert_eq!((parsed.to_string().as_str(), rest.as_str()), (hash, "42"));
        let upper = split_longpollid(&hash.to_ascii_uppercase()).unwrap();
        assert_eq!(upper.0.to_string(), hash);
        let e = split_longpollid("abc").unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (
                code::INVALID_PARAMETER,
                "longpollid must be of length 64 (not 3, for 'abc')"
            )
        );
        let bad = format!("zz{}", &hash[2..]);
        let e = split_longpollid(&format!("{bad}1")).unwrap_err();
        assert_eq!(
            e.message,
            format!("longpollid must be hexadecimal string (not '{bad}')")
        );
    }

    #[test]
    fn regtest_deployments_move_as_cores() {
        let params = ChainParams::for_chain(ChainType::Regtest).unwrap();
        let script = ScriptBuf::from_bytes(vec![0x51]);
        let mut chain = Chain::genesis_only(&params);
        let state_of = |chain: &Chain, name: &str| {
            deployment_states(&params, chain)
                .into_iter()
                .find(|(d, _)| d.name == name)
                .map(|(_, s)| s)
        };
        // Sorted by name, as Core's maps.
        let names: Vec<&str> = deployment_states(&params, &chain)
            .iter()
            .map(|(d, _)| d.name)
            .collect();
        assert_eq!(names, ["taproot", "testdummy"]);
        for height in 1..=216u32 {
            let tip = chain.height();
            let expected = match tip + 1 {
                0..72 => ThresholdState::Defined,
                72..144 => ThresholdState::Started,
                144..216 => ThresholdState::LockedIn,
                _ => ThresholdState::Active,
            };
            assert_eq!(state_of(&chain, "testdummy"), Some(expected), "tip {tip}");
            assert_eq!(state_of(&chain, "taproot"), Some(ThresholdState::Active));
            let mut block =
                crate::mining::create_new_block(&params, &chain, &script, 1_700_000_000);
            let mut tries = 1_000_000;
            assert!(crate::mining::solve(&mut block, &mut tries), "{height}");
            let index = chain.next_index(block.header, block.txdata.len() as u64);
            chain.push(index);
        }
    }

    #[test]
    fn minimum_time_is_the_median_time_past_plus_one() {
        let params = ChainParams::for_chain(ChainType::Regtest).unwrap();
        let chain = Chain::genesis_only(&params);
        let interval = crate::mining::blocks_per_retarget(&params);
        assert_eq!(
            minimum_time(&chain, interval),
            i64::from(params.genesis.header.time) + 1
        );
    }
}
