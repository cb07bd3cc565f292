//! Chain parameters of the chains this node runs (main, test, regtest), with each
//! genesis block rebuilt from its parts, as Umkoin Core's `chainparams.cpp` builds it.

use bitcoin::absolute::LockTime;
use bitcoin::block::{Header, Version};
use bitcoin::blockdata::opcodes::all::OP_CHECKSIG;
use bitcoin::hashes::Hash;
use bitcoin::script::{Builder, PushBytesBuf};
use bitcoin::transaction::{self, OutPoint, Sequence, TxIn, TxOut};
use bitcoin::{Amount, Block, BlockHash, CompactTarget, Transaction, TxMerkleNode, Witness};

use umkoin_interfaces::chain::ChainType;

/// The text the genesis coinbase carries.
const GENESIS_TIMESTAMP: &str = "UMK est. 2006. Umkoin est. 2017.";

/// The genesis output's public key (uncompressed), paid with `OP_CHECKSIG`.
const GENESIS_PUBKEY: &str = "04880766d2f2a4f8e8a2ca8ef5f6baf014f2ac460acc69604df1af697ec9cd9d01548a7d6015e0cabfcbc160316143d9aae4a17c944f611b8daf18fb1492935d67";

/// Estimates of the chain's transaction count for `verificationprogress`, as Core's
/// `ChainTxData`.
#[derive(Clone, Copy, Debug)]
pub struct ChainTxData {
    /// Time of the last known count.
    pub time: i64,
    /// Transactions up to then.
    pub tx_count: u64,
    /// Transactions per second after then.
    pub tx_rate: f64,
}

/// The parameters of one chain.
#[derive(Clone, Debug)]
pub struct ChainParams {
    /// Which chain.
    pub chain: ChainType,
    /// The genesis block.
    pub genesis: Block,
    /// The network's message start, which also frames each block in the block files.
    pub message_start: [u8; 4],
    /// Blocks between subsidy halvings.
    pub subsidy_halving_interval: u32,
    /// Target block spacing in seconds.
    pub pow_target_spacing: i64,
    /// Minimum-difficulty blocks allowed (test chains).
    pub pow_allow_min_difficulty_blocks: bool,
    /// No difficulty retargeting (regtest).
    pub pow_no_retargeting: bool,
    /// Transaction-count estimate for `verificationprogress`.
    pub tx_data: ChainTxData,
    /// Minimum total work of a chain the node leaves IBD on, big-endian.
    pub minimum_chain_work: [u8; 32],
    /// The heights from which the buried deployments are enforced.
    pub buried: BuriedHeights,
    /// `-vbparams` overrides of the version bits deployments, by name (regtest only).
    pub version_bits: Vec<(String, VersionBitsParams)>,
    /// `-fastprune` (regtest only): block files of 64 KiB.
    pub fast_prune: bool,
    /// `-blocksxor`: a new blocks folder gets a random obfuscation key.
    pub blocks_xor: bool,
    /// Blocks connected with other base script flags than P2SH, WITNESS and TAPROOT
    /// (Core's `script_flag_exceptions`: historic blocks that break a later rule).
    pub script_flag_exceptions: Vec<(BlockHash, u32)>,
    /// Core's `BIP34Hash`: the block at the BIP34 height whose descendants skip the
    /// BIP30 check below [`BIP34_IMPLIES_BIP30_LIMIT`] (none on regtest).
    pub bip34_hash: Option<BlockHash>,
}

/// Core's `BIP34_IMPLIES_BIP30_LIMIT`: from this height every chain checks BIP30 again
/// (coinbases of early blocks may encode it).
pub const BIP34_IMPLIES_BIP30_LIMIT: u32 = 1_983_702;

/// Core's `IsBIP30Repeat`: the two blocks whose coinbases repeat earlier ones.
fn is_bip30_repeat(height: u32, hash: &BlockHash) -> bool {
    (height == 91_842
        && *hash == block_hash("0000000000428ff926372c6ea99712fd7b18e3f904a3dd78283857a03ec0900d"))
        || (height == 91_880
            && *hash
                == block_hash("000000000024d0f4c29f736bd6d1ea4c44d0cd5c1439f18ca69f144eef28af3f"))
}

/// A `-vbparams=deployment:start:end[:min_activation_height]` override.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionBitsParams {
    /// The start time (or Core's special values -1: always active, -2: never).
    pub start_time: i64,
    /// The timeout.
    pub timeout: i64,
    /// The height before which the deployment cannot activate.
    pub min_activation_height: i64,
}

/// The names of the version bits deployments (Core's `VersionBitsDeploymentInfo`).
pub const VERSION_BITS_DEPLOYMENTS: [&str; 2] = ["testdummy", "taproot"];

/// The heights from which Core's buried deployments are enforced (`consensus.BIP34Height`
/// and the others): a rule applies to blocks at or above its height.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuriedHeights {
    /// BIP34: the coinbase starts with the block's height; block version 2.
    pub bip34: u32,
    /// BIP65: OP_CHECKLOCKTIMEVERIFY; block version 4.
    pub bip65: u32,
    /// BIP66: strict DER signatures; block version 3.
    pub bip66: u32,
    /// BIP68, BIP112, BIP113: relative lock times, OP_CHECKSEQUENCEVERIFY, lock times
    /// against the median time past.
    pub csv: u32,
    /// BIP141, BIP143, BIP147: segregated witness and NULLDUMMY.
    pub segwit: u32,
}

/// Core's default `-maxtipage`: a tip older than this keeps the node in IBD.
pub const DEFAULT_MAX_TIP_AGE: i64 = 24 * 60 * 60;

fn hex32(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16)
            .expect("the constants passed here are 64 hex digits");
    }
    out
}

/// A block hash from its usual (byte-reversed) hex.
fn block_hash(s: &str) -> BlockHash {
    let mut bytes = hex32(s);
    bytes.reverse();
    BlockHash::from_byte_array(bytes)
}

/// Build a genesis block as Core's `CreateGenesisBlock` does.
fn create_genesis_block(time: u32, nonce: u32, bits: u32, version: i32, reward: Amount) -> Block {
    let text = PushBytesBuf::try_from(GENESIS_TIMESTAMP.as_bytes().to_vec())
        .expect("the timestamp text is far below the push limit");
    // `CScript() << 486604799 << CScriptNum(4) << text`: the first number is pushed as
    // its 4 little-endian bytes, the second as a one-byte push of 4.
    let script_sig = Builder::new()
        .push_slice([0xff, 0xff, 0x00, 0x1d])
        .push_slice([0x04])
        .push_slice(text)
        .into_script();
    let pubkey = bitcoin::hex::FromHex::from_hex(GENESIS_PUBKEY)
        .map(|v: Vec<u8>| PushBytesBuf::try_from(v).expect("65 bytes fit a push"))
        .expect("the genesis public key constant is hex");
    let script_pubkey = Builder::new()
        .push_slice(pubkey)
        .push_opcode(OP_CHECKSIG)
        .into_script();
    let coinbase = Transaction {
        version: transaction::Version::ONE,
        lock_time: LockTime::ZERO,
        input: vec![TxIn {
            previous_output: OutPoint::null(),
            script_sig,
            sequence: Sequence::MAX,
            witness: Witness::new(),
        }],
        output: vec![TxOut {
            value: reward,
            script_pubkey,
        }],
    };
    let merkle_root = TxMerkleNode::from_raw_hash(coinbase.compute_txid().to_raw_hash());
    Block {
        header: Header {
            version: Version::from_consensus(version),
            prev_blockhash: BlockHash::all_zeros(),
            merkle_root,
            time,
            bits: CompactTarget::from_consensus(bits),
            nonce,
        },
        txdata: vec![coinbase],
    }
}

impl ChainParams {
    /// The parameters of `chain`, or `None` for a chain this node does not run yet
    /// (testnet4, signet).
    pub fn for_chain(chain: ChainType) -> Option<ChainParams> {
        let fifty = Amount::from_sat(50 * 100_000_000);
        match chain {
            ChainType::Main => Some(ChainParams {
                chain,
                genesis: create_genesis_block(1_511_563_812, 4_263_252_653, 0x1d00ffff, 1, fifty),
                message_start: [0xf9, 0xbe, 0xb4, 0xd9],
                subsidy_halving_interval: 210_000,
                pow_target_spacing: 600,
                pow_allow_min_difficulty_blocks: false,
                pow_no_retargeting: false,
                tx_data: ChainTxData {
                    time: 1_724_426_984,
                    tx_count: 450_460,
                    tx_rate: 0.000068329949656,
                },
                minimum_chain_work: hex32(
                    "000000000000000000000000000000000000000000000000fa4291d4fe51e2d1",
                ),
                buried: BuriedHeights {
                    bip34: 0,
                    bip65: 0,
                    bip66: 0,
                    csv: 432,
                    segwit: 432,
                },
                version_bits: Vec::new(),
                fast_prune: false,
                blocks_xor: true,
                script_flag_exceptions: vec![
                    // BIP16 exception
                    (
                        block_hash(
                            "0000000000281e753b0fc8c003269be3ad8e7af0689763840f884f302297f14a",
                        ),
                        umkoin_consensus::VERIFY_NONE,
                    ),
                    // Taproot exception
                    (
                        block_hash(
                            "0000000000006416703a4143581f958afc8325fe6e7b5fc427ff8a2a065f84da",
                        ),
                        umkoin_consensus::VERIFY_P2SH | umkoin_consensus::VERIFY_WITNESS,
                    ),
                ],
                bip34_hash: Some(block_hash(
                    "00000000470b9e0dd4f6fb72c93e0c655f68069899a5b2a0b4e413ef8006469a",
                )),
            }),
            ChainType::Testnet => Some(ChainParams {
                chain,
                genesis: create_genesis_block(1_511_678_228, 1_037_567_534, 0x1d00ffff, 1, fifty),
                message_start: [0x0b, 0x11, 0x09, 0x07],
                subsidy_halving_interval: 210_000,
                pow_target_spacing: 600,
                pow_allow_min_difficulty_blocks: true,
                pow_no_retargeting: false,
                tx_data: ChainTxData {
                    time: 1_724_540_448,
                    tx_count: 244_205,
                    tx_rate: 0.000186968473221,
                },
                minimum_chain_work: hex32(
                    "0000000000000000000000000000000000000000000000000298d8be9ba049e1",
                ),
                buried: BuriedHeights {
                    bip34: 0,
                    bip65: 0,
                    bip66: 0,
                    csv: 40_500,
                    segwit: 40_500,
                },
                version_bits: Vec::new(),
                fast_prune: false,
                blocks_xor: true,
                script_flag_exceptions: vec![
                    // BIP16 exception
                    (
                        block_hash(
                            "000000003179f186e3103c23f0c7b8fe73f6146e77e4f89a7710772f9970561c",
                        ),
                        umkoin_consensus::VERIFY_NONE,
                    ),
                ],
                bip34_hash: Some(block_hash(
                    "00000000243306f10d1ba825689fb5b892c80a1ea1b41d79cad46b8b0ab09429",
                )),
            }),
            ChainType::Regtest => Some(ChainParams {
                chain,
                genesis: create_genesis_block(1_511_512_200, 4, 0x207fffff, 1, fifty),
                message_start: [0xfa, 0xbf, 0xb5, 0xda],
                subsidy_halving_interval: 150,
                pow_target_spacing: 600,
                pow_allow_min_difficulty_blocks: true,
                pow_no_retargeting: true,
                tx_data: ChainTxData {
                    time: 0,
                    tx_count: 0,
                    tx_rate: 0.001,
                },
                minimum_chain_work: [0; 32],
                buried: BuriedHeights {
                    bip34: 1,
                    bip65: 1,
                    bip66: 1,
                    csv: 1,
                    segwit: 0,
                },
                version_bits: Vec::new(),
                fast_prune: false,
                blocks_xor: true,
                script_flag_exceptions: Vec::new(),
                bip34_hash: None,
            }),
            ChainType::Testnet4 | ChainType::Signet => None,
        }
    }

    /// Whether `ConnectBlock` checks BIP30 (no output overwritten) for block `hash` at
    /// `height`, whose ancestor at the BIP34 height is `bip34_ancestor` (Core: not for
    /// the two repeat blocks, nor below [`BIP34_IMPLIES_BIP30_LIMIT`] on a chain through
    /// `BIP34Hash`).
    pub fn enforces_bip30(
        &self,
        height: u32,
        hash: &BlockHash,
        bip34_ancestor: Option<&BlockHash>,
    ) -> bool {
        let through_bip34_hash = self.bip34_hash.is_some_and(|h| bip34_ancestor == Some(&h));
        let enforce = !is_bip30_repeat(height, hash) && !through_bip34_hash;
        enforce || height >= BIP34_IMPLIES_BIP30_LIMIT
    }

    /// Core's `GetBlockScriptFlags`: the script flags block `hash` at `height` is
    /// connected with (P2SH, WITNESS and TAPROOT always, but for the chain's exceptions;
    /// the buried deployments from their heights).
    pub fn block_script_flags(&self, hash: &BlockHash, height: u32) -> u32 {
        use umkoin_consensus as c;
        let mut flags = self
            .script_flag_exceptions
            .iter()
            .find(|(h, _)| h == hash)
            .map_or(
                c::VERIFY_P2SH | c::VERIFY_WITNESS | c::VERIFY_TAPROOT,
                |(_, f)| *f,
            );
        let b = &self.buried;
        if height >= b.bip66 {
            flags |= c::VERIFY_DERSIG;
        }
        if height >= b.bip65 {
            flags |= c::VERIFY_CHECKLOCKTIMEVERIFY;
        }
        if height >= b.csv {
            flags |= c::VERIFY_CHECKSEQUENCEVERIFY;
        }
        if height >= b.segwit {
            flags |= c::VERIFY_NULLDUMMY;
        }
        flags
    }

    /// Core's `-testactivationheight=name@height` (regtest only; each value as Core's
    /// `ReadRegTestArgs` reads it): moves a buried deployment. The error is Core's text.
    pub fn set_test_activation_heights(&mut self, values: &[String]) -> Result<(), String> {
        for arg in values {
            let Some((name, value)) = arg.split_once('@') else {
                return Err(format!(
                    "Invalid format ({arg}) for -testactivationheight=name@height."
                ));
            };
            // Core's ToIntegral<int32_t>: an optional '-', then digits only.
            let height = value
                .parse::<i32>()
                .ok()
                .filter(|h| *h >= 0 && *h < i32::MAX && !value.starts_with('+'))
                .ok_or_else(|| {
                    format!("Invalid height value ({arg}) for -testactivationheight=name@height.")
                })? as u32;
            let slot = match name {
                "segwit" => &mut self.buried.segwit,
                "bip34" => &mut self.buried.bip34,
                "dersig" => &mut self.buried.bip66,
                "cltv" => &mut self.buried.bip65,
                "csv" => &mut self.buried.csv,
                _ => {
                    return Err(format!(
                        "Invalid name ({arg}) for -testactivationheight=name@height."
                    ));
                }
            };
            *slot = height;
        }
        Ok(())
    }

    /// Core's `-vbparams=deployment:start:end[:min_activation_height]` (regtest only),
    /// each value read as Core's `ReadRegTestArgs` reads it; the error is Core's text.
    pub fn set_version_bits_params(&mut self, values: &[String]) -> Result<(), String> {
        // Core's ToIntegral<int64_t>: an optional '-', then digits only.
        let integral = |s: &str| s.parse::<i64>().ok().filter(|_| !s.starts_with('+'));
        for value in values {
            let parts: Vec<&str> = value.split(':').collect();
            if !(3..=4).contains(&parts.len()) {
                return Err("Version bits parameters malformed, expecting deployment:start:end[:min_activation_height]".into());
            }
            let start_time =
                integral(parts[1]).ok_or_else(|| format!("Invalid nStartTime ({})", parts[1]))?;
            let timeout =
                integral(parts[2]).ok_or_else(|| format!("Invalid nTimeout ({})", parts[2]))?;
            let min_activation_height = match parts.get(3) {
                Some(h) => {
                    integral(h).ok_or_else(|| format!("Invalid min_activation_height ({h})"))?
                }
                None => 0,
            };
            if !VERSION_BITS_DEPLOYMENTS.contains(&parts[0]) {
                return Err(format!("Invalid deployment ({})", parts[0]));
            }
            tracing::info!(
                "Setting version bits activation parameters for {} to start={start_time}, timeout={timeout}, min_activation_height={min_activation_height}",
                parts[0]
            );
            let params = VersionBitsParams {
                start_time,
                timeout,
                min_activation_height,
            };
            self.version_bits.retain(|(n, _)| n != parts[0]);
            self.version_bits.push((parts[0].to_owned(), params));
        }
        Ok(())
    }

    /// The genesis block's hash.
    pub fn genesis_hash(&self) -> BlockHash {
        self.genesis.block_hash()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_flags_follow_cores_exceptions_and_heights() {
        use umkoin_consensus as c;
        let main = ChainParams::for_chain(ChainType::Main).expect("main");
        let ordinary = main.genesis_hash();
        let always = c::VERIFY_DERSIG | c::VERIFY_CHECKLOCKTIMEVERIFY;
        assert_eq!(
            main.block_script_flags(&ordinary, 1),
            c::VERIFY_P2SH | c::VERIFY_WITNESS | c::VERIFY_TAPROOT | always
        );
        assert_eq!(
            main.block_script_flags(&ordinary, 432),
            c::VERIFY_P2SH
                | c::VERIFY_WITNESS
                | c::VERIFY_TAPROOT
                | always
                | c::VERIFY_CHECKSEQUENCEVERIFY
                | c::VERIFY_NULLDUMMY
        );
        let bip16 = block_hash("0000000000281e753b0fc8c003269be3ad8e7af0689763840f884f302297f14a");
        let taproot =
            block_hash("0000000000006416703a4143581f958afc8325fe6e7b5fc427ff8a2a065f84da");
        assert_eq!(main.block_script_flags(&bip16, 100), always);
        assert_eq!(
            main.block_script_flags(&taproot, 100),
            c::VERIFY_P2SH | c::VERIFY_WITNESS | always
        );
        let test = ChainParams::for_chain(ChainType::Testnet).expect("test");
        let test_bip16 =
            block_hash("000000003179f186e3103c23f0c7b8fe73f6146e77e4f89a7710772f9970561c");
        assert_eq!(test.block_script_flags(&test_bip16, 100), always);
        // The exceptions are each chain's own.
        assert_eq!(
            test.block_script_flags(&bip16, 100),
            c::VERIFY_P2SH | c::VERIFY_WITNESS | c::VERIFY_TAPROOT | always
        );
        let regtest = ChainParams::for_chain(ChainType::Regtest).expect("regtest");
        assert_eq!(
            regtest.block_script_flags(&taproot, 0),
            c::VERIFY_P2SH | c::VERIFY_WITNESS | c::VERIFY_TAPROOT | c::VERIFY_NULLDUMMY
        );
    }

    #[test]
    fn bip30_is_checked_where_cores_is() {
        let main = ChainParams::for_chain(ChainType::Main).expect("main");
        let genesis = main.genesis_hash();
        let other = block_hash("0000000000000000000000000000000000000000000000000000000000000001");
        // Main's BIP34Hash is its genesis block: every block descends from it.
        assert_eq!(main.bip34_hash, Some(genesis));
        assert!(!main.enforces_bip30(1000, &other, Some(&genesis)));
        assert!(main.enforces_bip30(BIP34_IMPLIES_BIP30_LIMIT, &other, Some(&genesis)));
        assert!(main.enforces_bip30(1000, &other, Some(&other)));
        let test = ChainParams::for_chain(ChainType::Testnet).expect("test");
        assert_eq!(test.bip34_hash, Some(test.genesis_hash()));
        // Regtest has no BIP34Hash: always checked, but for the repeat blocks.
        let regtest = ChainParams::for_chain(ChainType::Regtest).expect("regtest");
        let g = regtest.genesis_hash();
        assert!(regtest.enforces_bip30(1000, &other, Some(&g)));
        assert!(regtest.enforces_bip30(5, &other, None));
        let repeat = block_hash("0000000000428ff926372c6ea99712fd7b18e3f904a3dd78283857a03ec0900d");
        assert!(!regtest.enforces_bip30(91_842, &repeat, Some(&g)));
        assert!(regtest.enforces_bip30(91_843, &repeat, Some(&g)));
    }

    const MERKLE_ROOT: &str = "550ccf92f28cb76c3f8ccd5073a0175182ac8b03abe96d6b18da9b46f2e2941d";

    fn check(chain: ChainType, hash: &str) {
        let p = ChainParams::for_chain(chain).unwrap();
        assert_eq!(
            p.genesis.header.merkle_root.to_string(),
            MERKLE_ROOT,
            "{chain}"
        );
        assert_eq!(p.genesis_hash().to_string(), hash, "{chain}");
        assert!(p.genesis.check_merkle_root());
    }

    #[test]
    fn main_genesis() {
        check(
            ChainType::Main,
            "00000000470b9e0dd4f6fb72c93e0c655f68069899a5b2a0b4e413ef8006469a",
        );
    }

    #[test]
    fn testnet_genesis() {
        check(
            ChainType::Testnet,
            "00000000243306f10d1ba825689fb5b892c80a1ea1b41d79cad46b8b0ab09429",
        );
    }

    #[test]
    fn regtest_genesis() {
        check(
            ChainType::Regtest,
            "60b48405c3efa2bd7aa6a8bc206e3369e58d15f60cba7a915769e9669758cb6d",
        );
    }

    #[test]
    fn chains_without_parameters() {
        assert!(ChainParams::for_chain(ChainType::Testnet4).is_none());
        assert!(ChainParams::for_chain(ChainType::Signet).is_none());
    }
}
