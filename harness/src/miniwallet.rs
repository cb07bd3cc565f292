//! A wallet without a wallet, as Core's `test_framework/wallet.py` `MiniWallet`: it
//! owns the coins paid to one fixed output script, finds them by reading the node's
//! chain, and makes signed self-transfers from them for tests to put in blocks (or, on
//! nodes with a mempool, to send).
//!
//! Modes ([`MiniWalletMode`]), as Core's:
//! - [`MiniWalletMode::AddressOpTrue`] (default): the P2TR address whose one script
//!   leaf is `OP_TRUE`, internal key x = 1 (`bcrt1p9yfmy5h…kaqka`, which the cached
//!   chain pays in blocks 76–100 and 176–199), spent by script path with no signature.
//! - [`MiniWalletMode::RawOpTrue`]: a bare `OP_TRUE` output, spent with 43 `OP_NOP`s.
//! - [`MiniWalletMode::RawP2pk`]: pay-to-pubkey of private key 1, legacy signatures.
//! - [`MiniWalletMode::P2wpkh`]: P2WPKH of private key 1
//!   (`bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080`), BIP143 signatures; tests can
//!   spoil them to make bad ones.
//!
//! Core's MiniWallet finds its coins with `scantxoutset`; this one walks the chain with
//! `getblock <hash> 2` instead (once: blocks already read are kept, and only new ones
//! are fetched, after checking the last one read is still in the chain).

use std::collections::HashSet;

use anyhow::{Context, Result, anyhow, bail, ensure};
use bitcoin::consensus::encode::deserialize_hex;
use bitcoin::hashes::{Hash, sha256d};
use bitcoin::key::{CompressedPublicKey, UntweakedPublicKey};
use bitcoin::opcodes::all::OP_NOP;
use bitcoin::script::{Builder, PushBytesBuf};
use bitcoin::secp256k1::{All, Message, PublicKey, Secp256k1, SecretKey};
use bitcoin::sighash::{EcdsaSighashType, SighashCache};
use bitcoin::taproot::{ControlBlock, LeafVersion, TaprootBuilder, TaprootSpendInfo};
use bitcoin::transaction::Version as TxVersion;
use bitcoin::{
    Address, Amount, BlockHash, Denomination, KnownHrp, OutPoint, ScriptBuf, Sequence, Transaction,
    TxIn, TxOut, Txid, Witness, Wtxid, absolute,
};
use serde_json::{Value, json};
use umkoin_interfaces::rpc::code;

use crate::blocktools::{COINBASE_MATURITY, op_true_script, parse_block_hash, tx_hex};
use crate::node::TestNode;

/// The address of [`MiniWalletMode::AddressOpTrue`] without a tag (Core's
/// `create_deterministic_address_bcrt1_p2tr_op_true()`).
pub const ADDRESS_BCRT1_P2TR_OP_TRUE: &str =
    "bcrt1p9yfmy5h72durp7zrhlw9lf7jpwjgvwdg0jr0lqmmjtgg83266lqsekaqka";

/// Core's `DEFAULT_FEE` for MiniWallet transfers: 0.0001 coins.
pub const DEFAULT_FEE: Amount = Amount::from_sat(10_000);

/// The default fee rate of [`MiniWallet::create_self_transfer`]: 0.003 coins per kvB.
pub const DEFAULT_FEE_RATE_PER_KVB: Amount = Amount::from_sat(300_000);

/// What the wallet's coins pay to and how they are spent (Core's `MiniWalletMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MiniWalletMode {
    /// P2TR with a single `OP_TRUE` leaf; spent with `[OP_TRUE, control block]`.
    #[default]
    AddressOpTrue,
    /// A bare `OP_TRUE` output; spent with a scriptSig of 43 `OP_NOP`s (same size for
    /// every input), which tests may change.
    RawOpTrue,
    /// Pay-to-pubkey of private key 1; legacy `SIGHASH_ALL` signatures.
    RawP2pk,
    /// P2WPKH of private key 1; BIP143 `SIGHASH_ALL` signatures.
    P2wpkh,
}

/// One coin of the wallet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utxo {
    /// Where it is.
    pub outpoint: OutPoint,
    /// Its value.
    pub value: Amount,
    /// The height of its block; 0 while unconfirmed (as Core's MiniWallet).
    pub height: u32,
    /// Whether a coinbase made it.
    pub coinbase: bool,
    /// Its output script.
    pub script_pubkey: ScriptBuf,
}

impl Utxo {
    /// The output it is.
    pub fn txout(&self) -> TxOut {
        TxOut {
            value: self.value,
            script_pubkey: self.script_pubkey.clone(),
        }
    }

    /// Its confirmations with the chain at `tip_height` (0 while unconfirmed).
    pub fn confirmations(&self, tip_height: u32) -> u32 {
        if self.height == 0 {
            0
        } else {
            (tip_height + 1).saturating_sub(self.height)
        }
    }

    /// Whether a block on a tip at `tip_height` may spend it (Core's MiniWallet test:
    /// not a coinbase, or `COINBASE_MATURITY - 1 <= tip_height - height`).
    pub fn is_mature(&self, tip_height: u32) -> bool {
        !self.coinbase || tip_height.saturating_sub(self.height) >= COINBASE_MATURITY - 1
    }
}

/// Which coin [`MiniWallet::get_utxo`] takes; the default is Core's: the largest
/// mature coin (the oldest of equal ones), marked as spent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UtxoQuery {
    /// A coin of this transaction (mature or not).
    pub txid: Option<Txid>,
    /// A coin at this output index.
    pub vout: Option<u32>,
    /// Remove it from the wallet (default true).
    pub mark_as_spent: bool,
    /// Only confirmed coins.
    pub confirmed_only: bool,
}

impl Default for UtxoQuery {
    fn default() -> Self {
        UtxoQuery {
            txid: None,
            vout: None,
            mark_as_spent: true,
            confirmed_only: false,
        }
    }
}

/// How [`MiniWallet::create_self_transfer`] makes a one-input, one-output transfer;
/// the default is Core's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfTransferOptions {
    /// Fee per 1000 virtual bytes, used when `fee` is zero (default 0.003 coins); the
    /// fee paid is the rate times the mode's fixed size, rounded up to a satoshi.
    pub fee_rate: Amount,
    /// A fixed fee (default zero: use `fee_rate`).
    pub fee: Amount,
    /// The coin to spend (default [`MiniWallet::get_utxo`]'s).
    pub utxo: Option<Utxo>,
    /// The input's sequence (default 0).
    pub sequence: Sequence,
    /// The locktime (default 0).
    pub locktime: absolute::LockTime,
    /// The version (default 2).
    pub version: TxVersion,
    /// Take a confirmed coin only, when `utxo` is not given.
    pub confirmed_only: bool,
}

impl Default for SelfTransferOptions {
    fn default() -> Self {
        SelfTransferOptions {
            fee_rate: DEFAULT_FEE_RATE_PER_KVB,
            fee: Amount::ZERO,
            utxo: None,
            sequence: Sequence::ZERO,
            locktime: absolute::LockTime::ZERO,
            version: TxVersion::TWO,
            confirmed_only: false,
        }
    }
}

/// How [`MiniWallet::create_self_transfer_multi`] makes a transfer to the wallet;
/// the default is Core's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfTransferMultiOptions {
    /// The coins to spend (default one from [`MiniWallet::get_utxo`]).
    pub utxos: Option<Vec<Utxo>>,
    /// How many equal outputs (default 1).
    pub num_outputs: usize,
    /// Each output's value (default: the inputs less `fee_per_output` per output,
    /// shared equally).
    pub amount_per_output: Option<Amount>,
    /// The fee per output when `amount_per_output` is not given (default 1000 sat).
    pub fee_per_output: Amount,
    /// The version (default 2).
    pub version: TxVersion,
    /// The locktime (default 0).
    pub locktime: absolute::LockTime,
    /// Every input's sequence (default 0), unless `sequences` is given.
    pub sequence: Sequence,
    /// One sequence per input.
    pub sequences: Option<Vec<Sequence>>,
    /// Take a confirmed coin only, when `utxos` is not given.
    pub confirmed_only: bool,
}

impl Default for SelfTransferMultiOptions {
    fn default() -> Self {
        SelfTransferMultiOptions {
            utxos: None,
            num_outputs: 1,
            amount_per_output: None,
            fee_per_output: Amount::from_sat(1000),
            version: TxVersion::TWO,
            locktime: absolute::LockTime::ZERO,
            sequence: Sequence::ZERO,
            sequences: None,
            confirmed_only: false,
        }
    }
}

/// A signed transaction the wallet made (not broadcast), with what it spends and makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfTransfer {
    /// The transaction.
    pub tx: Transaction,
    /// Its txid.
    pub txid: Txid,
    /// Its wtxid.
    pub wtxid: Wtxid,
    /// The fee it pays.
    pub fee: Amount,
    /// The coins it spends.
    pub spent: Vec<Utxo>,
    /// Its outputs as coins (unconfirmed: height 0); for a transfer made by
    /// [`MiniWallet::create_send_to`], the change alone.
    pub new_utxos: Vec<Utxo>,
}

impl SelfTransfer {
    /// The first new coin (Core's `new_utxo` of `create_self_transfer`).
    pub fn new_utxo(&self) -> &Utxo {
        self.new_utxos
            .first()
            .expect("a self-transfer has at least one output to the wallet")
    }

    /// The serialized transaction.
    pub fn hex(&self) -> String {
        tx_hex(&self.tx)
    }
}

/// What one block did to the wallet's coins.
#[derive(Debug, Clone)]
struct BlockRecord {
    hash: BlockHash,
    created: Vec<Utxo>,
    spent: Vec<OutPoint>,
}

/// A MiniWallet: see the module documentation.
#[derive(Debug, Clone)]
pub struct MiniWallet {
    mode: MiniWalletMode,
    script_pubkey: ScriptBuf,
    address: Option<Address>,
    taproot: Option<(TaprootSpendInfo, ControlBlock)>,
    key: Option<SecretKey>,
    secp: Secp256k1<All>,
    utxos: Vec<Utxo>,
    /// The chain as read so far, by height (the genesis block first).
    chain: Vec<BlockRecord>,
}

/// Private key 1, which Core's MiniWallet signs with.
fn key_one() -> SecretKey {
    let mut bytes = [0u8; 32];
    bytes[31] = 1;
    SecretKey::from_slice(&bytes).expect("1 is a valid private key")
}

/// The x-only key with x = 1, the internal key of Core's OP_TRUE address.
fn x_one() -> UntweakedPublicKey {
    let mut bytes = [0u8; 32];
    bytes[31] = 1;
    UntweakedPublicKey::from_slice(&bytes).expect("x = 1 is on the curve")
}

impl MiniWallet {
    /// A wallet of `mode` that knows no coin yet (see [`MiniWallet::rescan`]).
    pub fn new(mode: MiniWalletMode) -> Self {
        Self::build(mode, None)
    }

    /// Core's `MiniWallet(node, mode=...)`: a wallet that has read `node`'s chain.
    pub fn with_node(node: &TestNode, mode: MiniWalletMode) -> Result<Self> {
        let mut wallet = Self::new(mode);
        wallet.rescan(node)?;
        Ok(wallet)
    }

    /// An [`MiniWalletMode::AddressOpTrue`] wallet whose internal key is derived from
    /// `tag` (Core's `tag_name`), so its coins are apart from other wallets'.
    pub fn with_tag(tag: &str) -> Self {
        Self::build(MiniWalletMode::AddressOpTrue, Some(tag))
    }

    fn build(mode: MiniWalletMode, tag: Option<&str>) -> Self {
        let secp = Secp256k1::new();
        let mut taproot = None;
        let mut key = None;
        let (script_pubkey, address) = match mode {
            MiniWalletMode::AddressOpTrue => {
                let internal = match tag {
                    None => x_one(),
                    Some(tag) => {
                        let secret = SecretKey::from_slice(
                            sha256d::Hash::hash(tag.as_bytes()).as_byte_array(),
                        )
                        .expect("a hash is a valid private key");
                        secret.x_only_public_key(&secp).0
                    }
                };
                let leaf = op_true_script();
                let info = TaprootBuilder::new()
                    .add_leaf(0, leaf.clone())
                    .expect("one leaf at depth 0")
                    .finalize(&secp, internal)
                    .expect("a tree of one leaf is complete");
                let control = info
                    .control_block(&(leaf, LeafVersion::TapScript))
                    .expect("the leaf is in the tree");
                let output_key = info.output_key();
                taproot = Some((info, control));
                (
                    ScriptBuf::new_p2tr_tweaked(output_key),
                    Some(Address::p2tr_tweaked(output_key, KnownHrp::Regtest)),
                )
            }
            MiniWalletMode::RawOpTrue => (op_true_script(), None),
            MiniWalletMode::RawP2pk => {
                let secret = key_one();
                key = Some(secret);
                let pubkey = bitcoin::PublicKey::new(secret.public_key(&secp));
                (ScriptBuf::new_p2pk(&pubkey), None)
            }
            MiniWalletMode::P2wpkh => {
                let secret = key_one();
                key = Some(secret);
                let pubkey = CompressedPublicKey(secret.public_key(&secp));
                (
                    ScriptBuf::new_p2wpkh(&pubkey.wpubkey_hash()),
                    Some(Address::p2wpkh(&pubkey, KnownHrp::Regtest)),
                )
            }
        };
        MiniWallet {
            mode,
            script_pubkey,
            address,
            taproot,
            key,
            secp,
            utxos: Vec::new(),
            chain: Vec::new(),
        }
    }

    /// The mode.
    pub fn mode(&self) -> MiniWalletMode {
        self.mode
    }

    /// The output script the wallet's coins pay to (Core's `get_output_script`).
    pub fn script_pubkey(&self) -> &ScriptBuf {
        &self.script_pubkey
    }

    /// The address, in the modes that have one.
    pub fn address(&self) -> Option<&Address> {
        self.address.as_ref()
    }

    /// `raw(<script hex>)`: a descriptor of the wallet's output script, without
    /// checksum (which `generatetodescriptor` does not require).
    pub fn descriptor(&self) -> String {
        format!("raw({})", self.script_pubkey.to_hex_string())
    }

    /// The private key of the key modes.
    pub fn secret_key(&self) -> Option<&SecretKey> {
        self.key.as_ref()
    }

    /// The public key of the key modes.
    pub fn public_key(&self) -> Option<PublicKey> {
        self.key.map(|k| k.public_key(&self.secp))
    }

    /// The taproot control block of [`MiniWalletMode::AddressOpTrue`].
    pub fn control_block(&self) -> Option<&ControlBlock> {
        self.taproot.as_ref().map(|(_, c)| c)
    }

    /// The taproot tree of [`MiniWalletMode::AddressOpTrue`].
    pub fn taproot_spend_info(&self) -> Option<&TaprootSpendInfo> {
        self.taproot.as_ref().map(|(i, _)| i)
    }

    /// The height of the chain as last read (0 before any read).
    pub fn tip_height(&self) -> u32 {
        u32::try_from(self.chain.len().saturating_sub(1)).expect("heights fit in 32 bits")
    }

    /// The hash of the tip as last read.
    pub fn tip_hash(&self) -> Option<BlockHash> {
        self.chain.last().map(|b| b.hash)
    }

    /// The sum of the coins held (Core's `get_balance`).
    pub fn balance(&self) -> Amount {
        self.utxos.iter().map(|u| u.value).sum()
    }

    /// All coins held, mature or not.
    pub fn utxos(&self) -> &[Utxo] {
        &self.utxos
    }

    /// Adds a coin (replacing one at the same outpoint).
    pub fn add_utxo(&mut self, utxo: Utxo) {
        self.utxos.retain(|u| u.outpoint != utxo.outpoint);
        self.utxos.push(utxo);
    }

    /// Core's `rescan_utxos`: forgets every coin and takes those of the node's chain
    /// (coins its blocks pay to the wallet and do not spend), then, when the node has
    /// a mempool, those its transactions make. Coins taken by `get_utxo` or spent by
    /// transactions that never reached a block come back.
    pub fn rescan(&mut self, node: &TestNode) -> Result<()> {
        self.read_chain(node)
            .context("MiniWallet reading the chain")?;
        let mut spent = HashSet::new();
        for record in &self.chain {
            spent.extend(record.spent.iter().copied());
        }
        self.utxos = self
            .chain
            .iter()
            .flat_map(|r| r.created.iter())
            .filter(|u| !spent.contains(&u.outpoint))
            .cloned()
            .collect();
        self.scan_mempool(node)
            .context("MiniWallet reading the mempool")
    }

    /// Brings the record of the chain up to the node's tip, dropping blocks no longer
    /// in it.
    fn read_chain(&mut self, node: &TestNode) -> Result<()> {
        let count = node
            .call("getblockcount", json!([]))?
            .as_u64()
            .ok_or_else(|| anyhow!("getblockcount is not a number"))?;
        let count = usize::try_from(count)?;
        self.chain.truncate(count + 1);
        while let Some(last) = self.chain.last() {
            let height = self.chain.len() - 1;
            let hash = parse_block_hash(&node.call("getblockhash", json!([height]))?)?;
            if hash == last.hash {
                break;
            }
            self.chain.pop();
        }
        let mut ours: HashSet<OutPoint> = self
            .chain
            .iter()
            .flat_map(|r| r.created.iter().map(|u| u.outpoint))
            .collect();
        let mut next = if self.chain.len() <= count {
            Some(node.call("getblockhash", json!([self.chain.len()]))?)
        } else {
            None
        };
        while let Some(hash) = next {
            let block = node.call("getblock", json!([hash, 2]))?;
            let height = self.chain.len();
            ensure!(
                block["height"].as_u64() == Some(height as u64),
                "getblock {hash} answers height {} where {height} was expected",
                block["height"]
            );
            let record = self.read_block(&block, height, &mut ours)?;
            self.chain.push(record);
            // Follow the chain; a node that leaves `nextblockhash` out is asked for it.
            next = match block.get("nextblockhash") {
                Some(hash) => Some(hash.clone()),
                None if height < count => Some(node.call("getblockhash", json!([height + 1]))?),
                None => None,
            };
        }
        ensure!(
            self.chain.len() == count + 1,
            "read {} blocks of a chain of height {count}",
            self.chain.len()
        );
        Ok(())
    }

    /// What a `getblock <hash> 2` answer does to the wallet's coins.
    fn read_block(
        &self,
        block: &Value,
        height: usize,
        ours: &mut HashSet<OutPoint>,
    ) -> Result<BlockRecord> {
        let hash = parse_block_hash(&block["hash"])?;
        let height = u32::try_from(height)?;
        let mut created = Vec::new();
        let mut spent = Vec::new();
        let txs = block["tx"]
            .as_array()
            .ok_or_else(|| anyhow!("block {hash} has no transaction list"))?;
        for (index, tx) in txs.iter().enumerate() {
            let txid: Txid = tx["txid"]
                .as_str()
                .ok_or_else(|| anyhow!("a transaction without txid in block {hash}"))?
                .parse()?;
            for input in tx["vin"].as_array().into_iter().flatten() {
                if input.get("coinbase").is_some() {
                    continue;
                }
                let prev = OutPoint::new(
                    input["txid"]
                        .as_str()
                        .ok_or_else(|| anyhow!("an input without txid in {txid}"))?
                        .parse()?,
                    u32::try_from(
                        input["vout"]
                            .as_u64()
                            .ok_or_else(|| anyhow!("an input without vout in {txid}"))?,
                    )?,
                );
                if ours.remove(&prev) {
                    spent.push(prev);
                }
            }
            for output in tx["vout"].as_array().into_iter().flatten() {
                let script = output["scriptPubKey"]["hex"]
                    .as_str()
                    .ok_or_else(|| anyhow!("an output without script in {txid}"))?;
                if script != self.script_pubkey.to_hex_string() {
                    continue;
                }
                let vout = u32::try_from(
                    output["n"]
                        .as_u64()
                        .ok_or_else(|| anyhow!("an output without n in {txid}"))?,
                )?;
                let value =
                    Amount::from_str_in(&output["value"].to_string(), Denomination::Bitcoin)
                        .with_context(|| format!("the value of {txid}:{vout}"))?;
                let utxo = Utxo {
                    outpoint: OutPoint::new(txid, vout),
                    value,
                    height,
                    coinbase: index == 0,
                    script_pubkey: self.script_pubkey.clone(),
                };
                ours.insert(utxo.outpoint);
                created.push(utxo);
            }
        }
        Ok(BlockRecord {
            hash,
            created,
            spent,
        })
    }

    /// Scans the mempool's transactions in Core's order (ancestor count, then txid),
    /// when the node has `getrawmempool`.
    fn scan_mempool(&mut self, node: &TestNode) -> Result<()> {
        let mempool = match node.call("getrawmempool", json!([true])) {
            Ok(m) => m,
            Err(e) if e.code() == Some(code::METHOD_NOT_FOUND) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let Some(entries) = mempool.as_object() else {
            return Ok(());
        };
        let mut order: Vec<(u64, &String)> = entries
            .iter()
            .map(|(txid, e)| (e["ancestorcount"].as_u64().unwrap_or(1), txid))
            .collect();
        order.sort();
        for (_, txid) in order {
            let hex = node.call("getrawtransaction", json!([txid]))?;
            let tx: Transaction = deserialize_hex(
                hex.as_str()
                    .ok_or_else(|| anyhow!("getrawtransaction {txid}: {hex}"))?,
            )?;
            self.scan_tx(&tx);
        }
        Ok(())
    }

    /// Core's `scan_tx`: forgets the coins `tx` spends and takes its outputs to the
    /// wallet as unconfirmed coins.
    pub fn scan_tx(&mut self, tx: &Transaction) {
        let spent: HashSet<OutPoint> = tx.input.iter().map(|i| i.previous_output).collect();
        self.utxos.retain(|u| !spent.contains(&u.outpoint));
        let txid = tx.compute_txid();
        for (vout, output) in tx.output.iter().enumerate() {
            if output.script_pubkey == self.script_pubkey {
                self.add_utxo(Utxo {
                    outpoint: OutPoint::new(txid, u32::try_from(vout).expect("few outputs")),
                    value: output.value,
                    height: 0,
                    coinbase: false,
                    script_pubkey: self.script_pubkey.clone(),
                });
            }
        }
    }

    /// Core's `generate`: mines `n` blocks paying the wallet (`generatetoaddress`, or
    /// `generatetodescriptor` in the modes without an address), then rescans.
    pub fn generate(&mut self, node: &TestNode, n: u32) -> Result<Vec<BlockHash>> {
        let hashes = match &self.address {
            Some(address) => node.call("generatetoaddress", json!([n, address.to_string()]))?,
            None => node.call("generatetodescriptor", json!([n, self.descriptor()]))?,
        };
        let hashes = hashes
            .as_array()
            .ok_or_else(|| anyhow!("generate answered {hashes}"))?
            .iter()
            .map(parse_block_hash)
            .collect::<Result<Vec<_>>>()?;
        self.rescan(node)?;
        Ok(hashes)
    }

    /// Core's `get_utxo`: a coin as `query` says (by default the largest mature one at
    /// the chain height last read), removed from the wallet unless told otherwise.
    pub fn get_utxo(&mut self, query: &UtxoQuery) -> Result<Utxo> {
        // Core's order: by value, then newest first; the largest is taken from the end.
        self.utxos
            .sort_by_key(|u| (u.value, std::cmp::Reverse(u.height)));
        let tip = self.tip_height();
        let candidates: Box<dyn Iterator<Item = (usize, &Utxo)>> = match query.txid {
            // With a txid, Core takes the first coin of it in that order, mature or not.
            Some(txid) => Box::new(
                self.utxos
                    .iter()
                    .enumerate()
                    .filter(move |(_, u)| u.outpoint.txid == txid),
            ),
            None => Box::new(
                self.utxos
                    .iter()
                    .enumerate()
                    .rev()
                    .filter(|(_, u)| u.is_mature(tip)),
            ),
        };
        let index = candidates
            .filter(|(_, u)| query.vout.is_none_or(|v| u.outpoint.vout == v))
            .find(|(_, u)| !query.confirmed_only || u.height > 0)
            .map(|(i, _)| i)
            .ok_or_else(|| {
                anyhow!(
                    "MiniWallet has no coin for {query:?} ({} coins, tip height {tip})",
                    self.utxos.len()
                )
            })?;
        Ok(if query.mark_as_spent {
            self.utxos.remove(index)
        } else {
            self.utxos[index].clone()
        })
    }

    /// Core's `get_utxos`: the coins (mature ones only unless
    /// `include_immature_coinbase`), all removed from the wallet if `mark_as_spent`.
    pub fn get_utxos(
        &mut self,
        include_immature_coinbase: bool,
        mark_as_spent: bool,
        confirmed_only: bool,
    ) -> Vec<Utxo> {
        let tip = self.tip_height();
        let utxos = self
            .utxos
            .iter()
            .filter(|u| include_immature_coinbase || u.is_mature(tip))
            .filter(|u| !confirmed_only || u.height > 0)
            .cloned()
            .collect();
        if mark_as_spent {
            self.utxos.clear();
        }
        utxos
    }

    /// The virtual size of the wallet's one-input, one-output transfer, which the fee
    /// rate of [`MiniWallet::create_self_transfer`] applies to.
    pub fn self_transfer_vsize(&self) -> usize {
        match self.mode {
            MiniWalletMode::AddressOpTrue | MiniWalletMode::RawOpTrue => 104,
            MiniWalletMode::RawP2pk => 168,
            MiniWalletMode::P2wpkh => 110,
        }
    }

    /// Core's `sign_tx`: fills in every input's scriptSig or witness. `spent` are the
    /// outputs the inputs spend, in order (the key modes sign their values).
    ///
    /// The signatures have a fixed size, so the size of a transaction does not depend
    /// on them: low-R (71 bytes with the sighash byte) in P2WPKH, high-R (72 bytes) in
    /// P2PK as Core's.
    pub fn sign_tx(&self, tx: &mut Transaction, spent: &[TxOut]) -> Result<()> {
        match self.mode {
            MiniWalletMode::AddressOpTrue => {
                let (_, control) = self.taproot.as_ref().expect("set in this mode");
                let leaf = op_true_script();
                let witness = Witness::from_slice(&[leaf.to_bytes(), control.serialize()]);
                for input in &mut tx.input {
                    input.witness = witness.clone();
                }
            }
            MiniWalletMode::RawOpTrue => {
                let mut builder = Builder::new();
                for _ in 0..43 {
                    builder = builder.push_opcode(OP_NOP);
                }
                let script_sig = builder.into_script();
                for input in &mut tx.input {
                    input.script_sig = script_sig.clone();
                }
            }
            MiniWalletMode::RawP2pk | MiniWalletMode::P2wpkh => {
                ensure!(
                    spent.len() == tx.input.len(),
                    "{} spent outputs for {} inputs",
                    spent.len(),
                    tx.input.len()
                );
                let key = self.key.expect("set in the key modes");
                let pubkey = key.public_key(&self.secp);
                let mut sighashes = Vec::with_capacity(tx.input.len());
                {
                    let mut cache = SighashCache::new(&*tx);
                    for (i, prev) in spent.iter().enumerate() {
                        let digest = if self.mode == MiniWalletMode::P2wpkh {
                            cache
                                .p2wpkh_signature_hash(
                                    i,
                                    &prev.script_pubkey,
                                    prev.value,
                                    EcdsaSighashType::All,
                                )?
                                .to_byte_array()
                        } else {
                            cache
                                .legacy_signature_hash(
                                    i,
                                    &prev.script_pubkey,
                                    EcdsaSighashType::All.to_u32(),
                                )?
                                .to_byte_array()
                        };
                        sighashes.push(Message::from_digest(digest));
                    }
                }
                let der_len = if self.mode == MiniWalletMode::P2wpkh {
                    70
                } else {
                    71
                };
                for (input, msg) in tx.input.iter_mut().zip(&sighashes) {
                    let sig = bitcoin::ecdsa::Signature {
                        signature: self.sign_fixed_length(msg, &key, der_len),
                        sighash_type: EcdsaSighashType::All,
                    };
                    if self.mode == MiniWalletMode::P2wpkh {
                        input.witness = Witness::p2wpkh(&sig, &pubkey);
                    } else {
                        let push = PushBytesBuf::try_from(sig.to_vec())
                            .expect("a signature is a short push");
                        input.script_sig = Builder::new().push_slice(push).into_script();
                    }
                }
            }
        }
        Ok(())
    }

    /// An ECDSA signature whose DER encoding is `der_len` bytes (grinding the nonce).
    fn sign_fixed_length(
        &self,
        msg: &Message,
        key: &SecretKey,
        der_len: usize,
    ) -> bitcoin::secp256k1::ecdsa::Signature {
        let mut counter = 0u64;
        loop {
            let sig = if counter == 0 {
                self.secp.sign_ecdsa(msg, key)
            } else {
                let mut extra = [0u8; 32];
                extra[..8].copy_from_slice(&counter.to_le_bytes());
                self.secp.sign_ecdsa_with_noncedata(msg, key, &extra)
            };
            if sig.serialize_der().len() == der_len {
                return sig;
            }
            counter += 1;
        }
    }

    /// Core's `create_self_transfer_multi`: a signed transaction spending the given
    /// coins (or the largest mature one) to `num_outputs` equal outputs to the wallet.
    /// The spent coins leave the wallet when it picks them; nothing is broadcast.
    pub fn create_self_transfer_multi(
        &mut self,
        options: &SelfTransferMultiOptions,
    ) -> Result<SelfTransfer> {
        let utxos = match &options.utxos {
            Some(u) if !u.is_empty() => u.clone(),
            _ => vec![self.get_utxo(&UtxoQuery {
                confirmed_only: options.confirmed_only,
                ..UtxoQuery::default()
            })?],
        };
        let sequences = options
            .sequences
            .clone()
            .unwrap_or_else(|| vec![options.sequence; utxos.len()]);
        ensure!(
            sequences.len() == utxos.len(),
            "{} sequences for {} inputs",
            sequences.len(),
            utxos.len()
        );
        ensure!(options.num_outputs > 0, "a transfer needs an output");
        let inputs_total: Amount = utxos.iter().map(|u| u.value).sum();
        let outputs = u64::try_from(options.num_outputs)?;
        let amount = match options.amount_per_output {
            Some(a) => a,
            None => {
                let fees = options.fee_per_output * outputs;
                let left = inputs_total.checked_sub(fees).ok_or_else(|| {
                    anyhow!("inputs of {inputs_total} do not cover fees of {fees}")
                })?;
                left / outputs
            }
        };
        ensure!(amount > Amount::ZERO, "outputs of {amount}");
        let outputs_total = amount * outputs;
        let fee = inputs_total
            .checked_sub(outputs_total)
            .ok_or_else(|| anyhow!("outputs of {outputs_total} exceed inputs of {inputs_total}"))?;
        let mut tx = Transaction {
            version: options.version,
            lock_time: options.locktime,
            input: utxos
                .iter()
                .zip(&sequences)
                .map(|(u, s)| TxIn {
                    previous_output: u.outpoint,
                    script_sig: ScriptBuf::new(),
                    sequence: *s,
                    witness: Witness::new(),
                })
                .collect(),
            output: (0..options.num_outputs)
                .map(|_| TxOut {
                    value: amount,
                    script_pubkey: self.script_pubkey.clone(),
                })
                .collect(),
        };
        let spent: Vec<TxOut> = utxos.iter().map(Utxo::txout).collect();
        self.sign_tx(&mut tx, &spent)?;
        Ok(self.transfer(tx, fee, utxos))
    }

    fn transfer(&self, tx: Transaction, fee: Amount, spent: Vec<Utxo>) -> SelfTransfer {
        let txid = tx.compute_txid();
        let new_utxos = tx
            .output
            .iter()
            .enumerate()
            .filter(|(_, o)| o.script_pubkey == self.script_pubkey)
            .map(|(vout, o)| Utxo {
                outpoint: OutPoint::new(txid, u32::try_from(vout).expect("few outputs")),
                value: o.value,
                height: 0,
                coinbase: false,
                script_pubkey: self.script_pubkey.clone(),
            })
            .collect();
        SelfTransfer {
            wtxid: tx.compute_wtxid(),
            txid,
            fee,
            spent,
            new_utxos,
            tx,
        }
    }

    /// Core's `create_self_transfer`: a signed one-input, one-output transfer to the
    /// wallet paying `fee`, or `fee_rate` on the mode's fixed virtual size (the fee
    /// rounded up to a satoshi). Nothing is broadcast.
    pub fn create_self_transfer(&mut self, options: &SelfTransferOptions) -> Result<SelfTransfer> {
        let utxo = match &options.utxo {
            Some(u) => u.clone(),
            None => self.get_utxo(&UtxoQuery {
                confirmed_only: options.confirmed_only,
                ..UtxoQuery::default()
            })?,
        };
        let vsize = self.self_transfer_vsize();
        let fee = if options.fee > Amount::ZERO {
            options.fee
        } else {
            let vsize = u64::try_from(vsize)?;
            Amount::from_sat((options.fee_rate.to_sat() * vsize).div_ceil(1000))
        };
        let send = match utxo.value.checked_sub(fee) {
            Some(v) if v > Amount::ZERO => v,
            _ => bail!("UTXO value {} is too small to cover fees {fee}", utxo.value),
        };
        let transfer = self.create_self_transfer_multi(&SelfTransferMultiOptions {
            utxos: Some(vec![utxo]),
            amount_per_output: Some(send),
            version: options.version,
            locktime: options.locktime,
            sequence: options.sequence,
            ..SelfTransferMultiOptions::default()
        })?;
        ensure!(
            transfer.tx.vsize() == vsize,
            "a self-transfer of {} vbytes, not {vsize}",
            transfer.tx.vsize()
        );
        Ok(transfer)
    }

    /// Core's `create_self_transfer_chain`: `length` transfers, each spending the one
    /// before (the first spends `utxo`, or the largest mature coin).
    pub fn create_self_transfer_chain(
        &mut self,
        length: usize,
        utxo: Option<Utxo>,
    ) -> Result<Vec<SelfTransfer>> {
        let mut tip = match utxo {
            Some(u) => u,
            None => self.get_utxo(&UtxoQuery::default())?,
        };
        let mut chain = Vec::with_capacity(length);
        for _ in 0..length {
            let transfer = self.create_self_transfer(&SelfTransferOptions {
                utxo: Some(tip),
                ..SelfTransferOptions::default()
            })?;
            tip = transfer.new_utxo().clone();
            chain.push(transfer);
        }
        Ok(chain)
    }

    /// Core's `send_to` without the sending: a transfer of the largest mature coin
    /// paying `amount` to `script_pubkey` (output 1) and the rest less `fee` back to
    /// the wallet (output 0).
    pub fn create_send_to(
        &mut self,
        script_pubkey: ScriptBuf,
        amount: Amount,
        fee: Amount,
    ) -> Result<SelfTransfer> {
        let utxo = self.get_utxo(&UtxoQuery::default())?;
        let change = utxo
            .value
            .checked_sub(amount + fee)
            .filter(|c| *c > Amount::ZERO)
            .ok_or_else(|| anyhow!("a coin of {} cannot pay {amount} and {fee}", utxo.value))?;
        let mut tx = Transaction {
            version: TxVersion::TWO,
            lock_time: absolute::LockTime::ZERO,
            input: vec![TxIn {
                previous_output: utxo.outpoint,
                script_sig: ScriptBuf::new(),
                sequence: Sequence::ZERO,
                witness: Witness::new(),
            }],
            output: vec![
                TxOut {
                    value: change,
                    script_pubkey: self.script_pubkey.clone(),
                },
                TxOut {
                    value: amount,
                    script_pubkey,
                },
            ],
        };
        self.sign_tx(&mut tx, &[utxo.txout()])?;
        let mut transfer = self.transfer(tx, fee, vec![utxo]);
        transfer.new_utxos.truncate(1);
        Ok(transfer)
    }

    /// Core's `sendrawtransaction` of the MiniWallet: sends `tx` (no fee-rate limit)
    /// and scans it. Needs a node with a mempool.
    pub fn sendrawtransaction(&mut self, node: &TestNode, tx: &Transaction) -> Result<Txid> {
        let txid = node.call("sendrawtransaction", json!([tx_hex(tx), 0]))?;
        self.scan_tx(tx);
        txid.as_str()
            .ok_or_else(|| anyhow!("sendrawtransaction answered {txid}"))?
            .parse()
            .context("parsing the txid")
    }

    /// Core's `send_self_transfer`: [`MiniWallet::create_self_transfer`], then
    /// [`MiniWallet::sendrawtransaction`].
    pub fn send_self_transfer(
        &mut self,
        node: &TestNode,
        options: &SelfTransferOptions,
    ) -> Result<SelfTransfer> {
        let transfer = self.create_self_transfer(options)?;
        self.sendrawtransaction(node, &transfer.tx)?;
        Ok(transfer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocktools;
    use bitcoin::{Block, Network};

    fn coin(wallet: &MiniWallet, value: u64, height: u32, coinbase: bool, n: u8) -> Utxo {
        Utxo {
            outpoint: OutPoint::new(Txid::from_byte_array([n; 32]), 0),
            value: Amount::from_sat(value),
            height,
            coinbase,
            script_pubkey: wallet.script_pubkey().clone(),
        }
    }

    #[test]
    fn the_op_true_address_is_cores() {
        let wallet = MiniWallet::new(MiniWalletMode::AddressOpTrue);
        let address = wallet.address().expect("an address").to_string();
        assert_eq!(address, ADDRESS_BCRT1_P2TR_OP_TRUE);
        assert_eq!(address, crate::cache::CACHE_ADDRESSES[3]);
        let parsed: Address<bitcoin::address::NetworkUnchecked> =
            address.parse().expect("an address");
        assert_eq!(
            parsed
                .require_network(Network::Regtest)
                .expect("regtest")
                .script_pubkey(),
            *wallet.script_pubkey()
        );
        // Witness v1, then the leaf version and the internal key x = 1.
        let control = wallet.control_block().expect("a control block").serialize();
        assert_eq!(control.len(), 33);
        assert_eq!(control[0] & 0xfe, 0xc0);
        assert_eq!(control[1..32], [0u8; 31]);
        assert_eq!(control[32], 1);
        let tagged = MiniWallet::with_tag("other");
        assert_ne!(tagged.script_pubkey(), wallet.script_pubkey());
        assert_eq!(
            MiniWallet::new(MiniWalletMode::P2wpkh)
                .address()
                .expect("an address")
                .to_string(),
            "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"
        );
        assert_eq!(
            MiniWallet::new(MiniWalletMode::RawOpTrue).descriptor(),
            "raw(51)"
        );
        assert_eq!(
            MiniWallet::new(MiniWalletMode::RawP2pk)
                .script_pubkey()
                .to_hex_string(),
            "210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ac"
        );
    }

    #[test]
    fn transfers_have_cores_sizes_and_fees_and_valid_signatures() {
        for mode in [
            MiniWalletMode::AddressOpTrue,
            MiniWalletMode::RawOpTrue,
            MiniWalletMode::RawP2pk,
            MiniWalletMode::P2wpkh,
        ] {
            let mut wallet = MiniWallet::new(mode);
            wallet.add_utxo(coin(&wallet, 50_0000_0000, 1, false, 1));
            let t = wallet
                .create_self_transfer(&SelfTransferOptions::default())
                .expect("a transfer");
            let vsize = wallet.self_transfer_vsize();
            assert_eq!(t.tx.vsize(), vsize, "{mode:?}");
            // 300 sat/vB, rounded up.
            assert_eq!(t.fee.to_sat(), (300 * vsize) as u64, "{mode:?}");
            assert_eq!(t.new_utxo().value + t.fee, Amount::from_sat(50_0000_0000));
            assert!(wallet.utxos().is_empty());
            // Each signature checks out against its output (libbitcoinconsensus-free:
            // the key modes' signatures are checked with secp256k1 directly).
            if let Some(pubkey) = wallet.public_key() {
                let spent = t.spent[0].txout();
                let mut cache = SighashCache::new(&t.tx);
                let (sig, digest) = if mode == MiniWalletMode::P2wpkh {
                    let sig = t.tx.input[0].witness.nth(0).expect("a signature").to_vec();
                    let d = cache
                        .p2wpkh_signature_hash(
                            0,
                            &spent.script_pubkey,
                            spent.value,
                            EcdsaSighashType::All,
                        )
                        .expect("sighash")
                        .to_byte_array();
                    assert_eq!(sig.len(), 71);
                    (sig, d)
                } else {
                    let script = &t.tx.input[0].script_sig;
                    assert_eq!(script.len(), 73);
                    let sig = script.as_bytes()[1..].to_vec();
                    let d = cache
                        .legacy_signature_hash(0, &spent.script_pubkey, 1)
                        .expect("sighash")
                        .to_byte_array();
                    (sig, d)
                };
                let sig = bitcoin::ecdsa::Signature::from_slice(&sig).expect("DER + hashtype");
                wallet
                    .secp
                    .verify_ecdsa(&Message::from_digest(digest), &sig.signature, &pubkey)
                    .expect("a valid signature");
            }
        }
        // A fixed fee, and a chain of transfers.
        let mut wallet = MiniWallet::new(MiniWalletMode::AddressOpTrue);
        wallet.add_utxo(coin(&wallet, 1_000_000, 1, false, 2));
        let t = wallet
            .create_self_transfer(&SelfTransferOptions {
                fee: Amount::from_sat(1234),
                ..SelfTransferOptions::default()
            })
            .expect("a transfer");
        assert_eq!(t.fee, Amount::from_sat(1234));
        let chain = wallet
            .create_self_transfer_chain(3, Some(t.new_utxo().clone()))
            .expect("a chain");
        assert_eq!(chain[2].spent[0], chain[1].new_utxo().clone());
        assert!(
            wallet
                .create_self_transfer(&SelfTransferOptions {
                    utxo: Some(coin(&wallet, 100, 1, false, 3)),
                    ..SelfTransferOptions::default()
                })
                .is_err()
        );
    }

    #[test]
    fn get_utxo_takes_the_largest_mature_coin_as_cores() {
        let mut wallet = MiniWallet::new(MiniWalletMode::AddressOpTrue);
        let a = coin(&wallet, 100, 4, true, 1);
        let b = coin(&wallet, 100, 3, true, 2);
        let c = coin(&wallet, 900, 150, true, 3);
        let d = coin(&wallet, 50, 0, false, 4);
        for u in [&a, &b, &c, &d] {
            wallet.add_utxo(u.clone());
        }
        // Tip 103: coinbases at heights 3, 4 are mature (103 - h >= 99); 150 is not.
        wallet.chain = (0..=103)
            .map(|_| BlockRecord {
                hash: BlockHash::all_zeros(),
                created: vec![],
                spent: vec![],
            })
            .collect();
        assert_eq!(wallet.tip_height(), 103);
        // A coinbase at height h may be spent in block h + 100, on a tip at h + 99.
        assert!(a.is_mature(103) && !a.is_mature(102) && d.is_mature(0));
        assert_eq!((a.confirmations(103), d.confirmations(103)), (100, 0));
        let peek = UtxoQuery {
            mark_as_spent: false,
            ..UtxoQuery::default()
        };
        assert_eq!(wallet.get_utxo(&peek).expect("a coin"), b);
        assert_eq!(wallet.get_utxo(&UtxoQuery::default()).expect("a coin"), b);
        assert_eq!(wallet.get_utxo(&UtxoQuery::default()).expect("a coin"), a);
        assert_eq!(wallet.get_utxo(&UtxoQuery::default()).expect("a coin"), d);
        assert!(wallet.get_utxo(&UtxoQuery::default()).is_err());
        // By txid, immature coins too.
        let by_txid = UtxoQuery {
            txid: Some(c.outpoint.txid),
            mark_as_spent: false,
            ..UtxoQuery::default()
        };
        assert_eq!(wallet.get_utxo(&by_txid).expect("a coin"), c);
        assert_eq!(wallet.get_utxos(true, false, true), vec![c.clone()]);
        assert!(wallet.get_utxos(false, true, false).is_empty());
        assert!(wallet.utxos().is_empty());
    }

    #[test]
    fn transfers_go_in_blocks_that_commit_to_them() {
        let mut wallet = MiniWallet::new(MiniWalletMode::AddressOpTrue);
        wallet.add_utxo(coin(&wallet, 50_0000_0000, 1, false, 1));
        let first = wallet
            .create_self_transfer(&SelfTransferOptions::default())
            .expect("a transfer");
        let second = wallet
            .create_self_transfer(&SelfTransferOptions {
                utxo: Some(first.new_utxo().clone()),
                ..SelfTransferOptions::default()
            })
            .expect("a transfer");
        let next = blocktools::BlockTemplateInfo {
            prev: BlockHash::all_zeros(),
            height: 200,
            time: blocktools::TIME_GENESIS_BLOCK + 1000,
            median_time_past: blocktools::TIME_GENESIS_BLOCK,
        };
        let block: Block = next.build(
            Some(wallet.script_pubkey().clone()),
            first.fee + second.fee,
            vec![first.tx.clone(), second.tx.clone()],
        );
        assert!(block.check_merkle_root() && block.check_witness_commitment());
        assert_eq!(
            block.txdata[0].output[0].value,
            blocktools::block_subsidy(200) + first.fee + second.fee
        );
        // Core's scan_tx: the second spends the first's output and makes its own.
        wallet.scan_tx(&first.tx);
        assert_eq!(wallet.utxos(), [first.new_utxo().clone()]);
        wallet.scan_tx(&second.tx);
        assert_eq!(wallet.utxos(), [second.new_utxo().clone()]);
        // Several outputs and inputs.
        let multi = wallet
            .create_self_transfer_multi(&SelfTransferMultiOptions {
                utxos: Some(vec![second.new_utxo().clone()]),
                num_outputs: 3,
                ..SelfTransferMultiOptions::default()
            })
            .expect("a transfer");
        assert_eq!(multi.new_utxos.len(), 3);
        assert_eq!(
            multi.fee.to_sat(),
            3000 + (second.new_utxo().value.to_sat() - 3000) % 3
        );
        let send = {
            let mut w = MiniWallet::new(MiniWalletMode::AddressOpTrue);
            w.add_utxo(coin(&w, 10_000, 1, false, 9));
            w.create_send_to(
                ScriptBuf::new(),
                Amount::from_sat(4000),
                Amount::from_sat(1000),
            )
            .expect("a transfer")
        };
        assert_eq!(send.tx.output[1].value, Amount::from_sat(4000));
        assert_eq!(send.new_utxos.len(), 1);
        assert_eq!(send.new_utxo().value, Amount::from_sat(5000));
    }
}
