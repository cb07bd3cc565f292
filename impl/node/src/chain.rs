//! The active chain: the blocks this node has connected, from genesis to the tip, as
//! in-memory index entries (the blocks themselves are in the block files, see
//! `chainstate`).

use bitcoin::block::Header;
use bitcoin::hashes::Hash;
use bitcoin::pow::Work;
use bitcoin::{BlockHash, Target};

use crate::chainparams::ChainParams;
#[cfg(doc)]
use crate::chainparams::DEFAULT_MAX_TIP_AGE;

/// One block of the active chain, with what RPCs report about it.
#[derive(Clone, Debug)]
pub struct BlockIndex {
    /// Its header.
    pub header: Header,
    /// Its hash.
    pub hash: BlockHash,
    /// Its height.
    pub height: u32,
    /// Total work of the chain up to and including it.
    pub chain_work: Work,
    /// Transactions in it.
    pub n_tx: u64,
    /// Transactions in the chain up to and including it.
    pub chain_tx: u64,
    /// Median time of the 11 blocks ending with it.
    pub median_time_past: u32,
}

/// The active chain.
#[derive(Clone, Debug)]
pub struct Chain {
    blocks: Vec<BlockIndex>,
}

impl Chain {
    /// A chain holding only `params`' genesis block.
    pub fn genesis_only(params: &ChainParams) -> Chain {
        let header = params.genesis.header;
        let n_tx = params.genesis.txdata.len() as u64;
        Chain {
            blocks: vec![BlockIndex {
                header,
                hash: header.block_hash(),
                height: 0,
                chain_work: header.work(),
                n_tx,
                chain_tx: n_tx,
                median_time_past: header.time,
            }],
        }
    }

    /// The index entry a block with `header` and `n_tx` transactions gets on top of the
    /// tip: height, chain work, transaction count and median time past follow from it.
    pub fn next_index(&self, header: Header, n_tx: u64) -> BlockIndex {
        let tip = self.tip();
        // Core's GetMedianTimePast: the median of the last 11 block times, this one's too.
        let mut times: Vec<u32> = self
            .blocks
            .iter()
            .rev()
            .take(10)
            .map(|b| b.header.time)
            .chain(std::iter::once(header.time))
            .collect();
        times.sort_unstable();
        BlockIndex {
            header,
            hash: header.block_hash(),
            height: tip.height + 1,
            chain_work: tip.chain_work + header.work(),
            n_tx,
            chain_tx: tip.chain_tx + n_tx,
            median_time_past: times[times.len() / 2],
        }
    }

    /// Makes `block` the new tip; it must come from [`Chain::next_index`] on this tip.
    pub fn push(&mut self, block: BlockIndex) {
        debug_assert_eq!(block.header.prev_blockhash, self.tip().hash);
        self.blocks.push(block);
    }

    /// Takes the tip off (the genesis block stays).
    pub fn pop(&mut self) -> Option<BlockIndex> {
        (self.blocks.len() > 1).then(|| self.blocks.pop()).flatten()
    }

    /// Whether the block `hash` at `height` is in this chain.
    pub fn contains(&self, hash: &BlockHash, height: u32) -> bool {
        self.at(i64::from(height)).is_some_and(|b| &b.hash == hash)
    }

    /// The chain cut back to its first `height + 1` blocks (genesis to `height`).
    pub fn prefix(&self, height: u32) -> Chain {
        Chain {
            blocks: self.blocks[..=(height as usize).min(self.blocks.len() - 1)].to_vec(),
        }
    }

    /// The tip.
    pub fn tip(&self) -> &BlockIndex {
        self.blocks
            .last()
            .expect("a chain always holds at least its genesis block")
    }

    /// The block at `height`, if the chain is that long.
    pub fn at(&self, height: i64) -> Option<&BlockIndex> {
        usize::try_from(height)
            .ok()
            .and_then(|h| self.blocks.get(h))
    }

    /// The block with `hash`, if it is in the chain.
    pub fn find(&self, hash: &BlockHash) -> Option<&BlockIndex> {
        self.blocks.iter().find(|b| &b.hash == hash)
    }

    /// The height of the tip.
    pub fn height(&self) -> u32 {
        self.tip().height
    }

    /// Whether the node is in initial block download, as Core judges it: the tip has
    /// less work than the chain's minimum, or is older than the maximum tip age.
    /// `max_tip_age` is `-maxtipage` ([`DEFAULT_MAX_TIP_AGE`] by default).
    pub fn is_initial_block_download(
        &self,
        params: &ChainParams,
        now: i64,
        max_tip_age: i64,
    ) -> bool {
        let tip = self.tip();
        let min_work = Work::from_be_bytes(params.minimum_chain_work);
        tip.chain_work < min_work || i64::from(tip.header.time) < now.saturating_sub(max_tip_age)
    }

    /// Core's `GuessVerificationProgress` for `block`.
    pub fn verification_progress(&self, params: &ChainParams, block: &BlockIndex, now: i64) -> f64 {
        if block.chain_tx == 0 {
            return 0.0;
        }
        let data = params.tx_data;
        let best = self.tip();
        let block_time = if (now - i64::from(block.header.time)).abs() <= 2 * 60 * 60 {
            now - i64::from(best.height - block.height) * params.pow_target_spacing
        } else {
            i64::from(block.header.time)
        };
        let total = if block.chain_tx <= data.tx_count {
            data.tx_count as f64 + (now - data.time) as f64 * data.tx_rate
        } else {
            block.chain_tx as f64 + (now - block_time) as f64 * data.tx_rate
        };
        (block.chain_tx as f64 / total).min(1.0)
    }
}

/// Core's `GetDifficulty`: the difficulty of `bits` as a multiple of the minimum.
pub fn difficulty(bits: u32) -> f64 {
    let mut shift = (bits >> 24) & 0xff;
    let mut diff = f64::from(0x0000ffff) / f64::from(bits & 0x00ff_ffff);
    while shift < 29 {
        diff *= 256.0;
        shift += 1;
    }
    while shift > 29 {
        diff /= 256.0;
        shift -= 1;
    }
    diff
}

/// The target of `header` as 64 hex digits, as Core's `target` fields.
pub fn target_hex(header: &Header) -> String {
    let t = Target::from_compact(header.bits);
    bitcoin::hex::DisplayHex::to_lower_hex_string(&t.to_be_bytes()[..])
}

/// Chain work as 64 hex digits.
pub fn work_hex(w: &Work) -> String {
    bitcoin::hex::DisplayHex::to_lower_hex_string(&w.to_be_bytes()[..])
}

/// The hash of the all-zero block, for comparisons.
pub fn null_hash() -> BlockHash {
    BlockHash::all_zeros()
}

#[cfg(test)]
mod tests {
    use super::*;
    use umkoin_interfaces::chain::ChainType;

    #[test]
    fn regtest_genesis_figures_match_core() {
        let p = ChainParams::for_chain(ChainType::Regtest).unwrap();
        let c = Chain::genesis_only(&p);
        let tip = c.tip();
        assert_eq!(work_hex(&tip.chain_work), format!("{:064x}", 2));
        assert_eq!(
            target_hex(&tip.header),
            "7fffff0000000000000000000000000000000000000000000000000000000000"
        );
        assert_eq!(
            crate::rpc::json::format_g16(difficulty(0x207fffff)),
            "4.656542373906925e-10"
        );
        // Core reported 3.522156904644262e-06 at this instant.
        let now = 1_511_512_200 + 283_915_937;
        let p2 = c.verification_progress(&p, tip, now);
        assert!((p2 - 3.522156904644262e-06).abs() < 1e-15, "{p2}");
        assert!(c.is_initial_block_download(&p, now, crate::chainparams::DEFAULT_MAX_TIP_AGE));
        // A tip age limit that reaches back to 2017 ends IBD for it.
        assert!(!c.is_initial_block_download(&p, now, now));
    }
}
