//! Block assembly as Umkoin Core's `BlockAssembler` builds a block with no mempool
//! transactions (`generatetoaddress`), and the proof-of-work search of `GenerateBlock`.
//!
//! Every rule here is Umkoin Core v31.0's; the sources it follows:
//!
//! - `src/node/miner.cpp` 122-233 `BlockAssembler::CreateNewBlock`: version from
//!   `ComputeBlockVersion` (140), time from the clock (147), coinbase input with a null
//!   prevout and `nSequence = MAX_SEQUENCE_NONFINAL` (171), one output paying the subsidy
//!   to the script (174-179), scriptSig `CScript() << nHeight` (186) then `OP_0` because
//!   `generateBlocks` asks for `include_dummy_extranonce` (187-193), `nLockTime = nHeight - 1`
//!   (196), `GenerateCoinbaseCommitment` (200), then `hashPrevBlock`, `UpdateTime`,
//!   `GetNextWorkRequired` and `nNonce = 0` (218-221). The coinbase's version is
//!   `CMutableTransaction`'s default, `CTransaction::CURRENT_VERSION` = 2
//!   (`src/primitives/transaction.cpp` 66, `transaction.h` 284).
//! - `src/node/miner.cpp` 36-66 `GetMinimumTime` / `UpdateTime`: the time is the later of
//!   the clock and the tip's median time past + 1 (and, at a retarget height, the tip's
//!   time - `MAX_TIMEWARP` (600, `src/consensus/consensus.h` 35)).
//! - `src/validation.cpp` 4017-4051 `UpdateUncommittedBlockStructures` /
//!   `GenerateCoinbaseCommitment`: unless an output already looks like one, append
//!   `OP_RETURN 0x24 aa21a9ed || SHA256d(witness root || 32 zero bytes)` with value 0, and,
//!   when segwit is active after the tip (a buried height), give the coinbase the witness
//!   stack `[32 zero bytes]`. The witness root counts the coinbase as zero
//!   (`src/consensus/merkle.cpp` 76-85); `GetWitnessCommitmentIndex` is
//!   `src/consensus/validation.h` 147-166.
//! - `src/validation.cpp` 1836-1847 `GetBlockSubsidy`.
//! - `src/rpc/mining.cpp` 137-181 `GenerateBlock` / `generateBlocks`: the merkle root is
//!   recomputed, then the nonce loop.
//! - `src/versionbits.cpp` 26-116 `GetStateFor`, 265-279 `ComputeBlockVersion`,
//!   `src/versionbits_impl.h` 79-82 `Condition`; `src/versionbits.h` 21-23 the top bits.
//! - `src/pow.cpp` 14-84 `GetNextWorkRequired` / `CalculateNextWorkRequired`, 146-171
//!   `DeriveTarget` / `CheckProofOfWorkImpl`; `src/arith_uint256.cpp` 175-216 the compact
//!   encoding.
//! - `src/kernel/chainparams.cpp`: the consensus values [`ChainParams`] does not carry
//!   (target timespan, proof-of-work limit, segwit height, BIP94, the BIP9 deployments),
//!   kept privately here per chain. On regtest (501-631) `testdummy` (bit 28, start 0, no
//!   timeout, period 72, threshold 54) signals from height 72, locks in at 144 and is
//!   active from 216, so regtest blocks 72 to 215 carry version `0x30000000`.
//!
//! Not modelled: regtest's `-blockversion`, `-vbparams`, `-testactivationheight` and
//! `-test=bip94` overrides (the defaults are used).

use std::cmp::Ordering;

use bitcoin::absolute::LockTime;
use bitcoin::block::{Header, Version};
use bitcoin::hashes::Hash;
use bitcoin::opcodes::OP_0;
use bitcoin::script::Builder;
use bitcoin::transaction::{self, OutPoint, Sequence, TxIn, TxOut};
use bitcoin::{
    Amount, Block, CompactTarget, Script, ScriptBuf, Transaction, TxMerkleNode, Witness,
};

use umkoin_interfaces::chain::ChainType;

use crate::chain::{BlockIndex, Chain};
use crate::chainparams::ChainParams;

/// Satoshis in one UMK.
const COIN: u64 = 100_000_000;
/// `VERSIONBITS_TOP_BITS`.
const VERSIONBITS_TOP_BITS: i32 = 0x2000_0000;
/// `VERSIONBITS_TOP_MASK` (0xE0000000 as a signed version).
const VERSIONBITS_TOP_MASK: i32 = 0xE000_0000_u32 as i32;
/// `MAX_TIMEWARP`: how far before its parent a retarget block may be.
const MAX_TIMEWARP: i64 = 600;
/// `CBlockIndex::nMedianTimeSpan`.
const MEDIAN_TIME_SPAN: u32 = 11;
/// `BIP9Deployment::ALWAYS_ACTIVE`.
const ALWAYS_ACTIVE: i64 = -1;
/// `BIP9Deployment::NEVER_ACTIVE`.
const NEVER_ACTIVE: i64 = -2;
/// `BIP9Deployment::NO_TIMEOUT`.
const NO_TIMEOUT: i64 = i64::MAX;
/// The first bytes of a witness commitment output's script: `OP_RETURN`, a 36-byte push,
/// and the commitment header `aa21a9ed`.
const WITNESS_COMMITMENT_HEADER: [u8; 6] = [0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed];
/// `MINIMUM_WITNESS_COMMITMENT`: the header and the 32-byte commitment.
const MINIMUM_WITNESS_COMMITMENT: usize = 38;
/// The witness reserved value Core's miner puts in the coinbase witness.
const WITNESS_RESERVED_VALUE: [u8; 32] = [0; 32];

/// The block subsidy at `height`: 50 UMK halving every `params.subsidy_halving_interval` blocks (Core's GetBlockSubsidy, 0 after 64 halvings).
pub fn block_subsidy(height: u32, params: &ChainParams) -> Amount {
    let halvings = height / params.subsidy_halving_interval;
    // Force block reward to zero when right shift is undefined.
    if halvings >= 64 {
        return Amount::ZERO;
    }
    Amount::from_sat((50 * COIN) >> halvings)
}

/// A new block on top of `chain`'s tip paying `script_pubkey`, at time `now` (unix seconds, the node's adjusted/mock time), nonce 0, not yet solved.
///
/// The coinbase is Core's for `generatetoaddress`: version 2, scriptSig
/// `<height> OP_0`, sequence `0xfffffffe`, lock time `height - 1`, the subsidy paid to
/// `script_pubkey`, then the witness commitment output, and the witness `[32 zero bytes]`
/// once segwit is active. The header's merkle root is filled in (as `GenerateBlock`
/// does before mining).
pub fn create_new_block(
    params: &ChainParams,
    chain: &Chain,
    script_pubkey: &Script,
    now: i64,
) -> Block {
    create_block_with(params, chain, script_pubkey, now, Vec::new(), Amount::ZERO)
}

/// [`create_new_block`] holding `txs` after the coinbase (chosen by the caller, e.g. from
/// the mempool, in an order whose parents come first), whose `fees` the coinbase takes
/// with the subsidy.
pub fn create_block_with(
    params: &ChainParams,
    chain: &Chain,
    script_pubkey: &Script,
    now: i64,
    txs: Vec<Transaction>,
    fees: Amount,
) -> Block {
    let mut consensus = Consensus::for_params(params);
    // `-testactivationheight=segwit@...` moves it.
    consensus.segwit_height = i64::from(params.buried.segwit);
    let prev = chain.tip();
    let height = prev.height + 1;

    let version = compute_block_version(chain, &consensus);

    // `pblock->nTime = TicksSinceEpoch(NodeClock::now())` stores the clock in 32 bits,
    // then `UpdateTime` raises it to the minimum time if that is later.
    let old_time = now as u32;
    let min_time = minimum_time(
        chain,
        prev,
        difficulty_adjustment_interval(params, &consensus),
    );
    let new_time = min_time.max(now);
    let time = if i64::from(old_time) < new_time {
        new_time as u32
    } else {
        old_time
    };
    let bits = next_work_required(params, &consensus, chain, prev, i64::from(time));

    let script_sig = Builder::new()
        .push_int(i64::from(height))
        .push_opcode(OP_0)
        .into_script();
    let coinbase = Transaction {
        version: transaction::Version::TWO,
        lock_time: LockTime::from_consensus(height - 1),
        input: vec![TxIn {
            previous_output: OutPoint::null(),
            script_sig,
            sequence: Sequence::ENABLE_LOCKTIME_NO_RBF,
            witness: Witness::new(),
        }],
        output: vec![TxOut {
            value: block_subsidy(height, params) + fees,
            script_pubkey: script_pubkey.to_owned(),
        }],
    };
    let mut txdata = vec![coinbase];
    txdata.extend(txs);
    let mut block = Block {
        header: Header {
            version: Version::from_consensus(version),
            prev_blockhash: prev.hash,
            merkle_root: TxMerkleNode::all_zeros(),
            time,
            bits: CompactTarget::from_consensus(bits),
            nonce: 0,
        },
        txdata,
    };
    generate_coinbase_commitment(&mut block, height, &consensus);
    block.header.merkle_root = merkle_root(&block);
    block
}

/// Core's `GenerateBlock` nonce loop: increments `block.header.nonce` from its current value until the header hash meets its own nBits target, or `*max_tries` runs out (each try decrements it); returns whether it found one.
///
/// As `GenerateBlock`, it first recomputes the merkle root. It also returns `false` when
/// the nonce reaches `u32::MAX` with tries left (`*max_tries > 0`): Core then drops the
/// block and `generateBlocks` builds a new one. The target is checked for a negative,
/// zero or overflowing `nBits` as Core's `DeriveTarget`, but not against the chain's
/// proof-of-work limit (no chain is known here; [`create_new_block`]'s `nBits` is never
/// above it).
pub fn solve(block: &mut Block, max_tries: &mut u64) -> bool {
    block.header.merkle_root = merkle_root(block);
    let target = derive_target(block.header.bits.to_consensus());
    let meets = |header: &Header| {
        target.is_some_and(|t| U256::from_le_bytes(header.block_hash().to_byte_array()) <= t)
    };
    while *max_tries > 0 && block.header.nonce < u32::MAX && !meets(&block.header) {
        block.header.nonce += 1;
        *max_tries -= 1;
    }
    *max_tries != 0 && block.header.nonce != u32::MAX
}

/// `BlockMerkleRoot`: the merkle root of the txids, all zeros for no transactions.
fn merkle_root(block: &Block) -> TxMerkleNode {
    block
        .compute_merkle_root()
        .unwrap_or_else(TxMerkleNode::all_zeros)
}

/// `GenerateCoinbaseCommitment` then `UpdateUncommittedBlockStructures` for a block at
/// `height`.
fn generate_coinbase_commitment(block: &mut Block, height: u32, consensus: &Consensus) {
    let has_commitment = block.txdata.first().is_some_and(|cb| {
        cb.output.iter().any(|o| {
            let s = o.script_pubkey.as_bytes();
            s.len() >= MINIMUM_WITNESS_COMMITMENT && s[..6] == WITNESS_COMMITMENT_HEADER
        })
    });
    if !has_commitment {
        let witness_root = block
            .witness_root()
            .expect("the block holds its coinbase, so it has a witness root");
        let commitment = Block::compute_witness_commitment(&witness_root, &WITNESS_RESERVED_VALUE);
        let mut script = WITNESS_COMMITMENT_HEADER.to_vec();
        script.extend_from_slice(commitment.as_byte_array());
        block.txdata[0].output.push(TxOut {
            value: Amount::ZERO,
            script_pubkey: ScriptBuf::from_bytes(script),
        });
    }
    // `DeploymentActiveAfter(pindexPrev, DEPLOYMENT_SEGWIT)`: a buried height.
    let input = &mut block.txdata[0].input[0];
    if i64::from(height) >= consensus.segwit_height && input.witness.is_empty() {
        input.witness = Witness::from_slice(&[WITNESS_RESERVED_VALUE]);
    }
}

/// One BIP9 deployment, as `Consensus::BIP9Deployment`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deployment {
    /// The version bit it signals with.
    pub(crate) bit: u8,
    /// When signalling starts (or `ALWAYS_ACTIVE`, `NEVER_ACTIVE`).
    pub(crate) start_time: i64,
    /// When it fails without lock-in.
    pub(crate) timeout: i64,
    /// The height before which it cannot activate.
    pub(crate) min_activation_height: i64,
    /// Signalling blocks of a period for lock-in.
    pub(crate) threshold: u32,
    /// The blocks of a period.
    pub(crate) period: u32,
}

/// `params`' version bits deployments by name, in Core's `DeploymentPos` order, with
/// `-vbparams` applied.
pub(crate) fn deployments(params: &ChainParams) -> [(&'static str, Deployment); 2] {
    let c = Consensus::for_params(params);
    [
        ("testdummy", c.deployments[0]),
        ("taproot", c.deployments[1]),
    ]
}

/// The consensus values block assembly needs that [`ChainParams`] does not carry.
struct Consensus {
    pow_limit: U256,
    pow_target_timespan: i64,
    segwit_height: i64,
    enforce_bip94: bool,
    /// `DEPLOYMENT_TESTDUMMY`, `DEPLOYMENT_TAPROOT`.
    deployments: [Deployment; 2],
}

impl Consensus {
    /// [`Consensus::for_chain`] with `params`' `-vbparams` overrides.
    fn for_params(params: &ChainParams) -> Consensus {
        let mut c = Consensus::for_chain(params.chain);
        for (name, vb) in &params.version_bits {
            if let Some(i) = crate::chainparams::VERSION_BITS_DEPLOYMENTS
                .iter()
                .position(|n| n == name)
            {
                let d = &mut c.deployments[i];
                d.start_time = vb.start_time;
                d.timeout = vb.timeout;
                d.min_activation_height = vb.min_activation_height;
            }
        }
        c
    }

    /// Core's `src/kernel/chainparams.cpp` values for `chain` (regtest without overrides).
    fn for_chain(chain: ChainType) -> Consensus {
        const POW_LIMIT: U256 = U256([u64::MAX, u64::MAX, u64::MAX, 0x0000_0000_ffff_ffff]);
        const TAPROOT_START: i64 = 1_619_222_400;
        const TAPROOT_TIMEOUT: i64 = 1_628_640_000;
        let never = |threshold, period| Deployment {
            bit: 28,
            start_time: NEVER_ACTIVE,
            timeout: NO_TIMEOUT,
            min_activation_height: 0,
            threshold,
            period,
        };
        let always = |threshold, period| Deployment {
            bit: 2,
            start_time: ALWAYS_ACTIVE,
            timeout: NO_TIMEOUT,
            min_activation_height: 0,
            threshold,
            period,
        };
        match chain {
            ChainType::Main => Consensus {
                pow_limit: POW_LIMIT,
                pow_target_timespan: 86_400,
                segwit_height: 432,
                enforce_bip94: false,
                deployments: [
                    never(130, 144),
                    Deployment {
                        bit: 2,
                        start_time: TAPROOT_START,
                        timeout: TAPROOT_TIMEOUT,
                        min_activation_height: 155_843,
                        threshold: 130,
                        period: 144,
                    },
                ],
            },
            ChainType::Testnet => Consensus {
                pow_limit: POW_LIMIT,
                pow_target_timespan: 86_400,
                segwit_height: 40_500,
                enforce_bip94: false,
                deployments: [
                    never(1512, 2016),
                    Deployment {
                        bit: 2,
                        start_time: TAPROOT_START,
                        timeout: TAPROOT_TIMEOUT,
                        min_activation_height: 0,
                        threshold: 1512,
                        period: 2016,
                    },
                ],
            },
            ChainType::Testnet4 => Consensus {
                pow_limit: POW_LIMIT,
                pow_target_timespan: 43_200,
                segwit_height: 1,
                enforce_bip94: true,
                deployments: [never(54, 72), always(54, 72)],
            },
            ChainType::Signet => Consensus {
                pow_limit: U256([0, 0, 0, 0x0000_0377_ae00_0000]),
                pow_target_timespan: 86_400,
                segwit_height: 1,
                enforce_bip94: false,
                deployments: [never(130, 144), always(130, 144)],
            },
            ChainType::Regtest => Consensus {
                pow_limit: U256([u64::MAX, u64::MAX, u64::MAX, 0x7fff_ffff_ffff_ffff]),
                pow_target_timespan: 43_200,
                segwit_height: 0,
                enforce_bip94: false,
                deployments: [
                    Deployment {
                        bit: 28,
                        start_time: 0,
                        timeout: NO_TIMEOUT,
                        min_activation_height: 0,
                        threshold: 54,
                        period: 72,
                    },
                    always(54, 72),
                ],
            },
        }
    }
}

/// `DifficultyAdjustmentInterval()`: blocks between retargets.
/// The `nBits` a block at `block_time` on top of `chain`'s tip must carry (Core's
/// `GetNextWorkRequired`).
pub fn required_bits(params: &ChainParams, chain: &Chain, block_time: i64) -> u32 {
    let consensus = Consensus::for_params(params);
    next_work_required(params, &consensus, chain, chain.tip(), block_time)
}

/// Blocks between difficulty changes on `params`' chain (Core's
/// `DifficultyAdjustmentInterval`).
pub fn blocks_per_retarget(params: &ChainParams) -> i64 {
    difficulty_adjustment_interval(params, &Consensus::for_params(params))
}

fn difficulty_adjustment_interval(params: &ChainParams, consensus: &Consensus) -> i64 {
    consensus.pow_target_timespan / params.pow_target_spacing
}

/// The block of `chain` at `height`, which the caller knows is in it.
fn block_at(chain: &Chain, height: i64) -> &BlockIndex {
    chain
        .at(height)
        .expect("heights asked for lie between genesis and the tip")
}

/// `CBlockIndex::GetMedianTimePast` of the block at `height`, from the headers.
fn median_time_past(chain: &Chain, height: u32) -> i64 {
    let mut times: Vec<i64> = (0..MEDIAN_TIME_SPAN)
        .map_while(|i| height.checked_sub(i))
        .map(|h| i64::from(block_at(chain, i64::from(h)).header.time))
        .collect();
    times.sort_unstable();
    times[times.len() / 2]
}

/// `GetMinimumTime`: the earliest time a block on top of `prev` may have.
fn minimum_time(chain: &Chain, prev: &BlockIndex, interval: i64) -> i64 {
    let mut min_time = median_time_past(chain, prev.height) + 1;
    let height = i64::from(prev.height) + 1;
    // Account for the BIP94 timewarp rule on all networks.
    if height % interval == 0 {
        min_time = min_time.max(i64::from(prev.header.time) - MAX_TIMEWARP);
    }
    min_time
}

/// `ThresholdState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ThresholdState {
    Defined,
    Started,
    LockedIn,
    Active,
    Failed,
}

/// `VersionBitsConditionChecker::Condition`: whether `version` signals `bit`.
fn signals(version: i32, bit: u8) -> bool {
    (version & VERSIONBITS_TOP_MASK) == VERSIONBITS_TOP_BITS && (version & (1_i32 << bit)) != 0
}

/// `AbstractThresholdConditionChecker::GetStateFor` for the block after `chain`'s tip.
fn threshold_state(chain: &Chain, dep: &Deployment) -> ThresholdState {
    threshold_state_after(chain, Some(chain.height()), dep)
}

/// `AbstractThresholdConditionChecker::GetStateFor` for the block after `chain`'s block
/// at height `prev` (`None`: the genesis block's parent).
pub(crate) fn threshold_state_after(
    chain: &Chain,
    prev: Option<u32>,
    dep: &Deployment,
) -> ThresholdState {
    if dep.start_time == ALWAYS_ACTIVE {
        return ThresholdState::Active;
    }
    if dep.start_time == NEVER_ACTIVE {
        return ThresholdState::Failed;
    }
    let Some(prev) = prev else {
        return ThresholdState::Defined;
    };
    let period = i64::from(dep.period);
    let tip = i64::from(prev);
    // A block's state is that of the first of its period, computed from a parent whose
    // height is a multiple of the period minus one; `None` is the genesis block's parent.
    let mut prev = Some(tip - ((tip + 1) % period)).filter(|h| *h >= 0);
    let mtp = |h: i64| {
        median_time_past(
            chain,
            u32::try_from(h).expect("heights here are between 0 and the tip"),
        )
    };

    // Walk back a period at a time to a parent whose state is known.
    let mut to_compute = Vec::new();
    while let Some(h) = prev {
        if mtp(h) < dep.start_time {
            break;
        }
        to_compute.push(h);
        prev = Some(h - period).filter(|h| *h >= 0);
    }
    let mut state = ThresholdState::Defined;

    // Walk forward, computing each period's state.
    while let Some(h) = to_compute.pop() {
        state = match state {
            ThresholdState::Defined if mtp(h) >= dep.start_time => ThresholdState::Started,
            ThresholdState::Started => {
                let count = (0..period)
                    .filter(|i| {
                        signals(
                            block_at(chain, h - i).header.version.to_consensus(),
                            dep.bit,
                        )
                    })
                    .count();
                if count >= dep.threshold as usize {
                    ThresholdState::LockedIn
                } else if mtp(h) >= dep.timeout {
                    ThresholdState::Failed
                } else {
                    ThresholdState::Started
                }
            }
            ThresholdState::LockedIn if h + 1 >= dep.min_activation_height => {
                ThresholdState::Active
            }
            other => other,
        };
    }
    state
}

/// `ComputeBlockVersion` for the block after `chain`'s tip.
fn compute_block_version(chain: &Chain, consensus: &Consensus) -> i32 {
    consensus
        .deployments
        .iter()
        .filter(|d| {
            matches!(
                threshold_state(chain, d),
                ThresholdState::Started | ThresholdState::LockedIn
            )
        })
        .fold(VERSIONBITS_TOP_BITS, |v, d| v | (1_i32 << d.bit))
}

/// `GetNextWorkRequired` for a block at `block_time` on top of `last`.
fn next_work_required(
    params: &ChainParams,
    consensus: &Consensus,
    chain: &Chain,
    last: &BlockIndex,
    block_time: i64,
) -> u32 {
    let limit = consensus.pow_limit.get_compact();
    let interval = difficulty_adjustment_interval(params, consensus);
    let last_height = i64::from(last.height);
    // Only change once per difficulty adjustment interval.
    if (last_height + 1) % interval != 0 {
        if params.pow_allow_min_difficulty_blocks {
            // A block more than twice the spacing after its parent must be min-difficulty.
            if block_time > i64::from(last.header.time) + params.pow_target_spacing * 2 {
                return limit;
            }
            // Otherwise the last block that was not a special min-difficulty one.
            let mut index = last;
            while index.height > 0
                && i64::from(index.height) % interval != 0
                && index.header.bits.to_consensus() == limit
            {
                index = block_at(chain, i64::from(index.height) - 1);
            }
            return index.header.bits.to_consensus();
        }
        return last.header.bits.to_consensus();
    }
    let first = block_at(chain, last_height - (interval - 1));
    if params.pow_no_retargeting {
        return last.header.bits.to_consensus();
    }
    let base_bits = if consensus.enforce_bip94 {
        // BIP94: retarget from the first block of the period, which cannot be a
        // min-difficulty exception.
        first.header.bits.to_consensus()
    } else {
        last.header.bits.to_consensus()
    };
    calculate_next_work_required(
        base_bits,
        i64::from(last.header.time) - i64::from(first.header.time),
        consensus.pow_target_timespan,
        consensus.pow_limit,
    )
}

/// The arithmetic of `CalculateNextWorkRequired`: `bits` scaled by the clamped
/// `actual_timespan` over `target_timespan`, capped at `pow_limit`.
fn calculate_next_work_required(
    bits: u32,
    actual_timespan: i64,
    target_timespan: i64,
    pow_limit: U256,
) -> u32 {
    let actual = actual_timespan.clamp(target_timespan / 4, target_timespan * 4);
    let (target, _, _) = U256::set_compact(bits);
    let target = target
        .mul_u64(u64::try_from(actual).expect("clamped to a quarter of a positive timespan"))
        .div_u64(u64::try_from(target_timespan).expect("target timespans are positive"));
    target.min(pow_limit).get_compact()
}

/// `DeriveTarget` without the proof-of-work limit: the target of `bits`, or `None` when
/// it is negative, zero or overflows.
fn derive_target(bits: u32) -> Option<U256> {
    let (target, negative, overflow) = U256::set_compact(bits);
    (!negative && !overflow && !target.is_zero()).then_some(target)
}

/// An unsigned 256-bit integer with Core's `arith_uint256` semantics for what mining
/// needs (little-endian 64-bit limbs; shifts and products wrap).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct U256([u64; 4]);

impl Ord for U256 {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.iter().rev().cmp(other.0.iter().rev())
    }
}

impl PartialOrd for U256 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl U256 {
    fn from_u64(v: u64) -> U256 {
        U256([v, 0, 0, 0])
    }

    fn from_le_bytes(bytes: [u8; 32]) -> U256 {
        let mut limbs = [0u64; 4];
        for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
            *limb = u64::from_le_bytes(chunk.try_into().expect("chunks are 8 bytes"));
        }
        U256(limbs)
    }

    fn is_zero(&self) -> bool {
        self.0.iter().all(|l| *l == 0)
    }

    /// The position of the highest set bit plus one.
    fn bits(&self) -> u32 {
        for i in (0..4).rev() {
            if self.0[i] != 0 {
                return 64 * i as u32 + 64 - self.0[i].leading_zeros();
            }
        }
        0
    }

    fn shl(self, shift: u32) -> U256 {
        let mut out = [0u64; 4];
        let (words, bits) = ((shift / 64) as usize, shift % 64);
        for i in (words..4).rev() {
            let src = i - words;
            out[i] = self.0[src] << bits;
            if bits > 0 && src > 0 {
                out[i] |= self.0[src - 1] >> (64 - bits);
            }
        }
        U256(out)
    }

    fn shr(self, shift: u32) -> U256 {
        let mut out = [0u64; 4];
        let (words, bits) = ((shift / 64) as usize, shift % 64);
        for (i, o) in out
            .iter_mut()
            .enumerate()
            .take(4usize.saturating_sub(words))
        {
            let src = i + words;
            *o = self.0[src] >> bits;
            if bits > 0 && src + 1 < 4 {
                *o |= self.0[src + 1] << (64 - bits);
            }
        }
        U256(out)
    }

    fn mul_u64(self, m: u64) -> U256 {
        let mut out = [0u64; 4];
        let mut carry = 0u128;
        for (o, l) in out.iter_mut().zip(self.0) {
            let p = u128::from(l) * u128::from(m) + carry;
            *o = p as u64;
            carry = p >> 64;
        }
        U256(out)
    }

    fn div_u64(self, d: u64) -> U256 {
        let mut out = [0u64; 4];
        let mut rem = 0u128;
        for i in (0..4).rev() {
            let cur = (rem << 64) | u128::from(self.0[i]);
            out[i] = (cur / u128::from(d)) as u64;
            rem = cur % u128::from(d);
        }
        U256(out)
    }

    /// `arith_uint256::SetCompact`: the value, whether it is negative, whether it
    /// overflows.
    fn set_compact(compact: u32) -> (U256, bool, bool) {
        let size = compact >> 24;
        let mut word = compact & 0x007f_ffff;
        let value = if size <= 3 {
            word >>= 8 * (3 - size);
            U256::from_u64(u64::from(word))
        } else {
            let shift = 8 * (size - 3);
            if shift >= 256 {
                U256::from_u64(0)
            } else {
                U256::from_u64(u64::from(word)).shl(shift)
            }
        };
        let negative = word != 0 && (compact & 0x0080_0000) != 0;
        let overflow =
            word != 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
        (value, negative, overflow)
    }

    /// `arith_uint256::GetCompact(false)`.
    fn get_compact(self) -> u32 {
        let mut size = self.bits().div_ceil(8);
        let mut compact = if size <= 3 {
            (self.0[0] << (8 * (3 - size))) as u32
        } else {
            self.shr(8 * (size - 3)).0[0] as u32
        };
        if compact & 0x0080_0000 != 0 {
            compact >>= 8;
            size += 1;
        }
        compact | (size << 24)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::consensus::encode::serialize_hex;

    /// The mock time the fixtures were mined at (`setmocktime 1700000000`).
    const MOCK_TIME: i64 = 1_700_000_000;

    /// `bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080`: P2WPKH of the public key of
    /// private key 1, `deriveaddresses "wpkh(0279be66…1798)#ucxz0gak"` on Core.
    const SCRIPT_HEX: &str = "0014751e76e8199196d454941c45d1b3a323f1433bd6";

    /// `getblock <hash> 0` from Umkoin Core v31.0 (`umkoind -regtest`, fresh datadir,
    /// `setmocktime 1700000000`, then `generatetoaddress 1 <SCRIPT_HEX's address>` 220
    /// times).
    const CORE_BLOCKS: &[(u32, &str)] = &[
        (
            1,
            "000000206dcb589766e96957917aba0cf6158de569336e20bca8a67abda2efc30584b460beb62fc002597b8b5f8b92d6cef6644edfb93f2185e6272d86ef2b5768addc0e00f15365ffff7f200000000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff025100feffffff0200f2052a01000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf90120000000000000000000000000000000000000000000000000000000000000000000000000",
        ),
        (
            2,
            "00000020a515654899d4dca0e77ec6b10841b16090d697b6ceffae27984082bb0a7ad7503fe1ec6f3de694dd30569beeedb1d38461350011f216998eb0983a3ea967f55e01f15365ffff7f200000000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff025200feffffff0200f2052a01000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf90120000000000000000000000000000000000000000000000000000000000000000001000000",
        ),
        (
            16,
            "00000020a7a6373762efe173a982f2bafc9b3b0f6b101530ea66652643508f667e1aa664db8ea93bfc1171bab2177fc0d928ae2b247b83f53bd01d60282e30411116897a04f15365ffff7f200100000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff026000feffffff0200f2052a01000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9012000000000000000000000000000000000000000000000000000000000000000000f000000",
        ),
        (
            17,
            "00000020a46611e45da9bb8ec0077e73c6fc123404d5f94656d39fa29413de596fa7af4320ad686f5f811cf5c9b932b2487965df5857f272b41074e553ebdfb7f362c49804f15365ffff7f200000000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff03011100feffffff0200f2052a01000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf90120000000000000000000000000000000000000000000000000000000000000000010000000",
        ),
        (
            71,
            "000000207d7a58d1512f02493e03198585cfee1204d057c367537cd446bc415417d6a81cef93788f1884fd51edeb78391855dadb9cef4114c74c91d9276d1acb134dc6540df15365ffff7f200000000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff03014700feffffff0200f2052a01000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf90120000000000000000000000000000000000000000000000000000000000000000046000000",
        ),
        (
            72,
            "00000030f66e9bab23f566533d15cde49e644d696e96cb6257a1595641f268c59b186d4ed4712ef5cc8b7ed771491f99fd526259b518794e15f1d7d1a164fe6c523bc3810df15365ffff7f200000000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff03014800feffffff0200f2052a01000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf90120000000000000000000000000000000000000000000000000000000000000000047000000",
        ),
        (
            127,
            "00000030d4b5d8d376d69f9baefbdda704a411169823fac36517955b16a0cadcb53ede32e3bccedbe85e572e7ae40e6c00759743131806d1bb140654ad2f12703be439f416f15365ffff7f200100000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff03017f00feffffff0200f2052a01000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9012000000000000000000000000000000000000000000000000000000000000000007e000000",
        ),
        (
            128,
            "00000030cf0683af78a9f7152243e9d6ea39476a63503f955d417c0c0a6755f5b12ef823ed878d5d96c0e167d1e2c6abed1c660c52142c71f6253a9f1837f5f6dcf20fef17f15365ffff7f200000000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff0402800000feffffff0200f2052a01000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9012000000000000000000000000000000000000000000000000000000000000000007f000000",
        ),
        (
            143,
            "000000303cca54402bf363a81fa2ac62372450615405c68eac95fc63c6f03885e901df52b7518160dd1d67a431576982fd8597a1d56ccab1dc681437bffffea16cb3967719f15365ffff7f200500000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff04028f0000feffffff0200f2052a01000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9012000000000000000000000000000000000000000000000000000000000000000008e000000",
        ),
        (
            144,
            "0000003041a560ce76e34054155a1e8504326b9c09a3b2d064f14ac900d586ab697c9a1eba4e2070fdfc2c8090760538d2a0e449e3f37b008e0fd4c99ebfadad1f1a373319f15365ffff7f200000000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff0402900000feffffff0200f2052a01000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9012000000000000000000000000000000000000000000000000000000000000000008f000000",
        ),
        (
            149,
            "0000003068b28b05ded5ab1c892373c94d45d3ba60124d6ed7089c0940664ad3bc23b56f6d50cf6bf767ebf3e0faec569ac027af32dea3b6ca9d9b5386bcb8c0ff1bb9941af15365ffff7f200100000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff0402950000feffffff0200f2052a01000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf90120000000000000000000000000000000000000000000000000000000000000000094000000",
        ),
        (
            150,
            "000000308e38d2770e8115dbe40a295c92dae5e9de6d8c6c780cd9e553ab6f830ee435530d7a5ba5f50e568710055becc8e6fd76fe1f25fcaffa670dc5086bbe26a845d51af15365ffff7f200200000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff0402960000feffffff0200f9029500000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf90120000000000000000000000000000000000000000000000000000000000000000095000000",
        ),
        (
            215,
            "00000030d71f369c8fe71946782b4129fa4f6f251e1a5e1089a452a0ab36a4b37de9fc5f826a8305b56bda3bf62a06e285b585d777c273c6dd941294368298e67569400425f15365ffff7f200000000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff0402d70000feffffff0200f9029500000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf901200000000000000000000000000000000000000000000000000000000000000000d6000000",
        ),
        (
            216,
            "000000202ecc27caf1b7c71bb6074a1d70e5b8c4edd8a403ea7aeaaee64eb6c5bd510c02098e5950558aeb7fa0fedc3b0450ca571b17140bd556cd0cb8b9dca8eecf4d3425f15365ffff7f200100000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff0402d80000feffffff0200f9029500000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf901200000000000000000000000000000000000000000000000000000000000000000d7000000",
        ),
        (
            220,
            "00000020bf9c6f82f511deb79f854881dedc9683b39f6ae432d9171dc958f6acb6309d66ee052ae0f7bceddd9c4f9d88b57f113d835dfbefb2ebce5435b05e373d956ca526f15365ffff7f200000000001020000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff0402dc0000feffffff0200f9029500000000160014751e76e8199196d454941c45d1b3a323f1433bd60000000000000000266a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf901200000000000000000000000000000000000000000000000000000000000000000db000000",
        ),
    ];

    /// `getbestblockhash` after the 220 blocks.
    const CORE_TIP_220: &str = "5a800e4eb3f1caf3f90f292be946bf412d7c6096fe409fde018f0bf2bd959beb";

    fn regtest() -> ChainParams {
        ChainParams::for_chain(ChainType::Regtest).unwrap()
    }

    fn script() -> ScriptBuf {
        ScriptBuf::from_hex(SCRIPT_HEX).unwrap()
    }

    #[test]
    fn rebuilds_core_regtest_blocks() {
        let params = regtest();
        let script = script();
        let mut chain = Chain::genesis_only(&params);
        let mut checked = 0;
        for height in 1..=220u32 {
            let mut block = create_new_block(&params, &chain, &script, MOCK_TIME);
            let mut tries = 1_000_000;
            assert!(solve(&mut block, &mut tries), "height {height}");
            let version = block.header.version.to_consensus();
            let expected_version = if (72..216).contains(&height) {
                0x3000_0000
            } else {
                0x2000_0000
            };
            assert_eq!(version, expected_version, "height {height}");
            if let Some((_, hex)) = CORE_BLOCKS.iter().find(|(h, _)| *h == height) {
                assert_eq!(serialize_hex(&block), *hex, "height {height}");
                checked += 1;
            }
            let index = chain.next_index(block.header, block.txdata.len() as u64);
            chain.push(index);
        }
        assert_eq!(checked, CORE_BLOCKS.len());
        assert_eq!(chain.tip().hash.to_string(), CORE_TIP_220);
    }

    #[test]
    fn clock_later_than_the_minimum_wins() {
        let params = regtest();
        let chain = Chain::genesis_only(&params);
        let block = create_new_block(&params, &chain, &script(), MOCK_TIME);
        assert_eq!(i64::from(block.header.time), MOCK_TIME);
        // A clock before the genesis block gives its median time past + 1.
        let block = create_new_block(&params, &chain, &script(), 1_000);
        assert_eq!(block.header.time, params.genesis.header.time + 1);
        assert_eq!(block.header.bits.to_consensus(), 0x207fffff);
    }

    #[test]
    fn subsidy_halves() {
        let p = regtest();
        assert_eq!(block_subsidy(0, &p), Amount::from_sat(50 * COIN));
        assert_eq!(block_subsidy(149, &p), Amount::from_sat(50 * COIN));
        assert_eq!(block_subsidy(150, &p), Amount::from_sat(25 * COIN));
        assert_eq!(block_subsidy(300, &p), Amount::from_sat(1_250_000_000));
        assert_eq!(block_subsidy(150 * 63, &p), Amount::from_sat(0));
        assert_eq!(block_subsidy(150 * 64 - 1, &p), Amount::from_sat(0));
        assert_eq!(block_subsidy(150 * 64, &p), Amount::ZERO);
        assert_eq!(block_subsidy(u32::MAX, &p), Amount::ZERO);
        // 50 UMK >> 32 is still one satoshi.
        assert_eq!(block_subsidy(150 * 32, &p), Amount::from_sat(1));
        assert_eq!(block_subsidy(150 * 33, &p), Amount::ZERO);
        let main = ChainParams::for_chain(ChainType::Main).unwrap();
        assert_eq!(block_subsidy(210_000, &main), Amount::from_sat(25 * COIN));
    }

    #[test]
    fn solve_runs_out_of_tries() {
        let params = regtest();
        let chain = Chain::genesis_only(&params);
        let mut block = create_new_block(&params, &chain, &script(), MOCK_TIME);
        // Mainnet's minimum difficulty: three tries find nothing.
        block.header.bits = CompactTarget::from_consensus(0x1d00ffff);
        let mut tries = 3;
        assert!(!solve(&mut block, &mut tries));
        assert_eq!(tries, 0);
        assert_eq!(block.header.nonce, 3);
    }

    #[test]
    fn solve_stops_at_the_last_nonce() {
        let params = regtest();
        let chain = Chain::genesis_only(&params);
        let mut block = create_new_block(&params, &chain, &script(), MOCK_TIME);
        block.header.bits = CompactTarget::from_consensus(0x1d00ffff);
        block.header.nonce = u32::MAX - 2;
        let mut tries = 10;
        assert!(!solve(&mut block, &mut tries));
        assert_eq!(block.header.nonce, u32::MAX);
        assert_eq!(tries, 8);
    }

    #[test]
    fn solve_rejects_bad_targets() {
        let params = regtest();
        let chain = Chain::genesis_only(&params);
        // Negative, zero and overflowing nBits are never met.
        for bits in [0x20ffffff_u32, 0x20000000, 0xff7fffff] {
            let mut block = create_new_block(&params, &chain, &script(), MOCK_TIME);
            block.header.bits = CompactTarget::from_consensus(bits);
            let mut tries = 5;
            assert!(!solve(&mut block, &mut tries), "{bits:x}");
            assert_eq!(tries, 0);
        }
    }

    #[test]
    fn solve_recomputes_the_merkle_root() {
        let params = regtest();
        let chain = Chain::genesis_only(&params);
        let mut block = create_new_block(&params, &chain, &script(), MOCK_TIME);
        let root = block.header.merkle_root;
        block.header.merkle_root = TxMerkleNode::all_zeros();
        let mut tries = 1_000;
        assert!(solve(&mut block, &mut tries));
        assert_eq!(block.header.merkle_root, root);
        assert!(block.check_merkle_root() && block.check_witness_commitment());
    }

    #[test]
    fn compact_round_trips_as_core() {
        for bits in [
            0x1d00ffff_u32,
            0x207fffff,
            0x1c05a3f4,
            0x03123456,
            0x01120000,
        ] {
            let (v, neg, over) = U256::set_compact(bits);
            assert!(!neg && !over);
            assert_eq!(v.get_compact(), bits, "{bits:x}");
        }
        // Core's arith_uint256_tests: SetCompact(0x04923456) is negative,
        // SetCompact(0xff123456) overflows, SetCompact(0x01003456) is zero.
        assert!(U256::set_compact(0x04923456).1);
        assert!(U256::set_compact(0xff123456).2);
        assert!(U256::set_compact(0x01003456).0.is_zero());
        assert_eq!(
            Consensus::for_chain(ChainType::Regtest)
                .pow_limit
                .get_compact(),
            0x207fffff
        );
        assert_eq!(
            Consensus::for_chain(ChainType::Main)
                .pow_limit
                .get_compact(),
            0x1d00ffff
        );
    }

    #[test]
    fn retarget_arithmetic_matches_core_pow_tests() {
        // Bitcoin Core's pow_tests vectors (two-week timespan): the arithmetic of
        // CalculateNextWorkRequired is the same, only the timespan differs.
        let limit = Consensus::for_chain(ChainType::Main).pow_limit;
        let two_weeks = 14 * 24 * 60 * 60;
        let cases = [
            (0x1d00ffff, 1_262_152_739 - 1_261_130_161, 0x1d00d86a),
            (0x1d00ffff, 1_233_061_996 - 1_231_006_505, 0x1d00ffff),
            (0x1c05a3f4, 1_279_297_671 - 1_279_008_237, 0x1c0168fd),
            (0x1c387f6f, 1_269_211_443 - 1_263_163_443, 0x1d00e1fd),
        ];
        for (bits, span, expected) in cases {
            assert_eq!(
                calculate_next_work_required(bits, span, two_weeks, limit),
                expected,
                "{bits:x}"
            );
        }
    }
}
