//! The mempool's clusters as Core v31's `TxGraph` keeps them: each one linearized
//! ([`crate::linearize`]), its chunks in Core's mining order, and the fee-rate diagrams
//! that replacements are judged by.
//!
//! Sizes here are Core's: a transaction's weight, or its signature operations' weight
//! when that is larger (`GetSigOpsAdjustedWeight`), which is what the mempool gives
//! `TxGraph`. Core's fallback order, which breaks every remaining tie, is the txid order
//! (its bytes as stored, compared as `uint256`).

use std::cmp::Ordering;
use std::collections::HashMap;

use bitcoin::Txid;
use bitcoin::hashes::Hash;

use crate::linearize::{self, FeeFrac};

/// A transaction of the set being grouped.
#[derive(Clone, Debug)]
pub struct Node {
    /// Its txid.
    pub txid: Txid,
    /// Its modified fee (with its prioritisation delta), in satoshis.
    pub fee: i64,
    /// Its sigop-adjusted weight.
    pub weight: u64,
    /// Its parents; those outside the set are ignored.
    pub parents: Vec<Txid>,
}

/// One chunk of a cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// Its transactions, parents first (the cluster's linearization order).
    pub txids: Vec<Txid>,
    /// Their modified fees.
    pub fee: i64,
    /// Their sigop-adjusted weights.
    pub weight: u64,
    /// Which cluster it belongs to (an index into [`Clusters::clusters`]).
    pub cluster: usize,
    /// Whether it is its cluster's last chunk.
    pub last_in_cluster: bool,
    /// The weight of this chunk and of the chunks of equal fee rate right before it in
    /// its cluster (Core's `m_main_equal_feerate_chunk_prefix_size`).
    equal_prefix: u64,
    /// The greatest txid of the chunk in the fallback order.
    max_txid: [u8; 32],
}

impl Chunk {
    /// Its fee and size as a fee rate.
    pub fn feerate(&self) -> FeeFrac {
        FeeFrac {
            fee: self.fee,
            size: self.weight,
        }
    }

    /// Its fee rate per virtual byte as Core's `ToFeePerVSize`: the fee, and the weight
    /// rounded up to whole virtual bytes.
    pub fn fee_per_vsize(&self) -> (i64, u64) {
        (self.fee, self.weight.div_ceil(4))
    }
}

/// A set of transactions grouped into clusters, each linearized and chunked.
#[derive(Clone, Debug, Default)]
pub struct Clusters {
    /// Each cluster's chunks in its linearization order, clusters in the order of their
    /// least txid.
    pub clusters: Vec<Vec<Chunk>>,
}

impl Clusters {
    /// Groups `nodes` into clusters (connected through parents within the set) and
    /// linearizes each.
    pub fn of(nodes: &[Node]) -> Clusters {
        let position: HashMap<Txid, usize> =
            nodes.iter().enumerate().map(|(i, n)| (n.txid, i)).collect();
        // Union-find over the parent links.
        let mut up: Vec<usize> = (0..nodes.len()).collect();
        for (i, n) in nodes.iter().enumerate() {
            for p in &n.parents {
                if let Some(&j) = position.get(p) {
                    let (a, b) = (union_find_root(&mut up, i), union_find_root(&mut up, j));
                    up[a] = b;
                }
            }
        }
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        for i in 0..nodes.len() {
            let r = union_find_root(&mut up, i);
            members.entry(r).or_default().push(i);
        }
        let mut groups: Vec<Vec<usize>> = members.into_values().collect();
        // Fallback order inside each cluster, and clusters in a fixed order.
        for g in &mut groups {
            g.sort_by_key(|&i| *nodes[i].txid.as_byte_array());
        }
        groups.sort_by_key(|g| *nodes[g[0]].txid.as_byte_array());
        let clusters = groups
            .iter()
            .enumerate()
            .map(|(c, group)| linearize_one(nodes, &position, group, c))
            .collect();
        Clusters { clusters }
    }

    /// Every chunk in Core's mining order (`CompareMainTransactions`): higher fee rate
    /// first; among equal fee rates the smaller equal-fee-rate prefix of its cluster,
    /// then the chunk whose greatest txid is least.
    pub fn mining_order(&self) -> Vec<&Chunk> {
        let mut all: Vec<&Chunk> = self.clusters.iter().flatten().collect();
        all.sort_by(|a, b| mining_cmp(a, b));
        all
    }

    /// The chunks' (fee, weight), highest fee rate first: the fee-rate diagram Core's
    /// `GetMainStagingDiagrams` gives for these clusters.
    pub fn diagram(&self) -> Vec<(i64, u64)> {
        let mut all: Vec<FeeFrac> = self.clusters.iter().flatten().map(Chunk::feerate).collect();
        all.sort_by(|a, b| b.cmp_feerate(a));
        all.into_iter().map(|f| (f.fee, f.size)).collect()
    }
}

/// The representative of `i`'s set in the union-find forest `up` (each element's parent,
/// a root its own), halving the path on the way.
pub(crate) fn union_find_root(up: &mut [usize], mut i: usize) -> usize {
    while up[i] != i {
        up[i] = up[up[i]];
        i = up[i];
    }
    i
}

fn mining_cmp(a: &Chunk, b: &Chunk) -> Ordering {
    b.feerate()
        .cmp_feerate(&a.feerate())
        .then(a.equal_prefix.cmp(&b.equal_prefix))
        .then(a.max_txid.cmp(&b.max_txid))
}

/// Linearizes one cluster (`group`: indices into `nodes`, in fallback order).
fn linearize_one(
    nodes: &[Node],
    position: &HashMap<Txid, usize>,
    group: &[usize],
    cluster: usize,
) -> Vec<Chunk> {
    if let [only] = group {
        // One transaction: its own chunk (the common case, kept cheap).
        let n = &nodes[*only];
        let weight = n.weight.max(1);
        return vec![Chunk {
            txids: vec![n.txid],
            fee: n.fee,
            weight,
            cluster,
            last_in_cluster: true,
            equal_prefix: weight,
            max_txid: *n.txid.as_byte_array(),
        }];
    }
    let local: HashMap<usize, usize> = group.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let txs: Vec<linearize::Tx> = group
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let n = &nodes[i];
            let mut parents: Vec<usize> = n
                .parents
                .iter()
                .filter_map(|p| position.get(p).and_then(|j| local.get(j)).copied())
                .collect();
            parents.sort_unstable();
            parents.dedup();
            linearize::Tx {
                fee: n.fee,
                size: n.weight.max(1),
                sequence: k as u64,
                parents,
            }
        })
        .collect();
    let chunks = linearize::chunks(&txs);
    let count = chunks.len();
    let mut out: Vec<Chunk> = Vec::with_capacity(count);
    for (c, chunk) in chunks.into_iter().enumerate() {
        let feerate = FeeFrac::of_set(&txs, &chunk);
        let equal_prefix = match out.last() {
            Some(prev) if feerate.cmp_feerate(&prev.feerate()) != Ordering::Less => {
                prev.equal_prefix + feerate.size
            }
            _ => feerate.size,
        };
        let txids: Vec<Txid> = chunk.iter().map(|&k| nodes[group[k]].txid).collect();
        let max_txid = txids
            .iter()
            .map(|t| *t.as_byte_array())
            .max()
            .expect("a chunk is never empty");
        out.push(Chunk {
            txids,
            fee: feerate.fee,
            weight: feerate.size,
            cluster,
            last_in_cluster: c + 1 == count,
            equal_prefix,
            max_txid,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn txid(n: u8) -> Txid {
        let mut b = [0u8; 32];
        b[31] = n;
        Txid::from_byte_array(b)
    }

    fn node(n: u8, fee: i64, weight: u64, parents: &[u8]) -> Node {
        Node {
            txid: txid(n),
            fee,
            weight,
            parents: parents.iter().map(|&p| txid(p)).collect(),
        }
    }

    fn order(c: &Clusters) -> Vec<Vec<u8>> {
        c.mining_order()
            .iter()
            .map(|ch| ch.txids.iter().map(|t| t.as_byte_array()[31]).collect())
            .collect()
    }

    #[test]
    fn clusters_are_the_connected_parts() {
        let c = Clusters::of(&[
            node(1, 100, 400, &[]),
            node(2, 100, 400, &[1]),
            node(3, 100, 400, &[]),
            node(4, 100, 400, &[9]), // a parent outside the set
        ]);
        assert_eq!(c.clusters.len(), 3);
        assert_eq!(c.clusters.iter().flatten().count(), 4);
    }

    #[test]
    fn a_child_paying_for_two_parents_is_one_chunk_before_a_middling_single() {
        // Ancestor-set selection would take the single (fee rate 2) before the child's
        // package; the optimal chunk {1, 2, 3} has fee rate 1000/300 > 2.
        let c = Clusters::of(&[
            node(1, 0, 100, &[]),
            node(2, 0, 100, &[]),
            node(3, 1000, 100, &[1, 2]),
            node(4, 200, 100, &[]),
        ]);
        assert_eq!(order(&c), vec![vec![1, 2, 3], vec![4]]);
        assert_eq!(c.diagram(), vec![(1000, 300), (200, 100)]);
    }

    #[test]
    fn ties_go_to_the_smaller_prefix_then_the_least_txid() {
        let c = Clusters::of(&[
            // Cluster A: two chunks of the same fee rate.
            node(7, 100, 100, &[]),
            node(8, 100, 100, &[7]),
            // Cluster B and C: singles of that fee rate and a larger weight.
            node(5, 200, 200, &[]),
            node(3, 200, 200, &[]),
        ]);
        // Prefixes: 7 → 100, 8 → 200, 5 → 200, 3 → 200; among the 200s, the least txid.
        assert_eq!(order(&c), vec![vec![7], vec![3], vec![5], vec![8]]);
        let last: Vec<bool> = c
            .clusters
            .iter()
            .flatten()
            .map(|ch| ch.last_in_cluster)
            .collect();
        assert_eq!(last.iter().filter(|l| **l).count(), 3);
    }

    #[test]
    fn vsize_rounds_weight_up() {
        let c = Clusters::of(&[node(1, 500, 561, &[])]);
        assert_eq!(c.mining_order()[0].fee_per_vsize(), (500, 141));
    }
}
