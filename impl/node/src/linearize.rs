//! Optimal linearization of one mempool cluster, and its chunks (Core v31's cluster_linearize).
//!
//! A cluster is a connected component of the mempool's spend graph. [`chunks`] orders its
//! transactions (parents before children) so that the chunk fee-rate diagram is the best one
//! achievable, and returns the chunks: the groups that block assembly takes, or eviction drops,
//! as a whole. This is what Core v31's `TxGraph` keeps per cluster (an optimal, "minimal-chunk"
//! linearization from `Linearize`, passed through `PostLinearize`, chunked by
//! `ChunkLinearizationInfo`), computed here by a different, exact method.
//!
//! # Method
//!
//! 1. **Minimal optimal chunks.** The best first chunk of a set `R` of remaining transactions
//!    (closed under taking children) is a non-empty subset of `R` that holds the in-`R` parents
//!    of its members and has the highest fee rate. That fee rate `λ* = F/S` is found by
//!    Dinkelbach iteration: start from `λ` = the best ancestor-set fee rate within `R`; solve
//!    the maximum-weight closure problem for the weights `fee·S − F·size` (exact, in `i128`) as
//!    a minimum cut (Picard's reduction, Dinic's max flow); while the closure found has
//!    positive weight, its fee rate beats `λ` and becomes the new `λ`. At `λ*` the closed sets
//!    of weight zero (the closures of fee rate `λ*`, and the empty set) are exactly the source
//!    sides of the minimum cuts, i.e. the sets closed under the residual graph's edges. The
//!    largest, `T` (everything that cannot reach the sink), holds every transaction whose chunk
//!    has fee rate `λ*`, and the strongly connected components of the residual graph on `T` are
//!    exactly the minimal chunks (no non-empty proper closed subset of the same fee rate).
//!    Remove `T` and repeat, one connected part at a time (minimal chunks are connected). The
//!    partition into minimal chunks is unique; only their order, and the order inside each,
//!    needs tie rules.
//! 2. **Order, as Core's `SpanningForestState::GetLinearization`.** Repeatedly take, among the
//!    chunks whose parents are all taken, the one with the highest fee rate, then the smallest
//!    size, then the lowest *largest* `sequence` among its transactions (not the chunk holding
//!    the lowest sequence: Core compares the maximum element). Inside a chunk, repeatedly take,
//!    among the transactions whose in-chunk parents are all taken, the highest individual fee
//!    rate, then the smallest size, then the lowest `sequence`.
//! 3. **Core's `PostLinearize`** (`Relinearize` in `src/txgraph.cpp` runs it after
//!    `Linearize`): one back-to-front and one front-to-back pass of a merge-or-swap procedure.
//!    On an optimal, minimal-chunk order it only reorders transactions inside chunks (it moves
//!    a group only past one of strictly lower fee rate), and it often does.
//! 4. **Core's chunking** (`ChunkLinearizationInfo`) of the result: each transaction starts a
//!    new chunk and absorbs the chunk before it while its fee rate is *strictly* higher, so
//!    consecutive equal-fee-rate chunks stay separate.
//!
//! # Tie rules
//!
//! Steps 2 to 4 follow Core v31's `src/cluster_linearize.h`, with [`Tx::sequence`] playing the
//! part of Core's "fallback order". Core's mempool (`CTxMemPool`'s constructor,
//! `src/txmempool.cpp`) makes that order the txid order; here it is whatever unique key the
//! caller passes: the arrival sequence for an earliest-arrival tie break, or each txid's rank
//! within the cluster to reproduce Core's order exactly. With the same keys, Core's own code
//! (whose optimal result does not depend on its random seed) gave the same chunks in the same
//! order for 23,000 random clusters of up to 64 transactions; `tests::CORE_VECTORS` keeps a few.
//!
//! # Limits
//!
//! Sizes are virtual sizes (far below 2^32) and fee sums stay inside `i64`, as in Core. A dense
//! 64-transaction cluster takes about 0.3 ms in a release build.

use std::cmp::Ordering;

/// One transaction of a cluster, as [`chunks`] needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tx {
    /// Modified fee (fee plus prioritisation delta), in satoshis; may be negative.
    pub fee: i64,
    /// Virtual size; must be positive.
    pub size: u64,
    /// Tie-break key, unique within the cluster; lower sorts first (Core's fallback order).
    pub sequence: u64,
    /// Indices into the cluster of this transaction's in-cluster parents.
    pub parents: Vec<usize>,
}

/// A fee and a size, compared by fee rate (`fee / size`) exactly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FeeFrac {
    /// Total fee, in satoshis.
    pub fee: i64,
    /// Total virtual size.
    pub size: u64,
}

impl FeeFrac {
    /// The fee and size of one transaction.
    pub fn of_tx(tx: &Tx) -> FeeFrac {
        FeeFrac {
            fee: tx.fee,
            size: tx.size,
        }
    }

    /// The summed fee and size of `set` (indices into `txs`).
    pub fn of_set(txs: &[Tx], set: &[usize]) -> FeeFrac {
        set.iter().fold(FeeFrac::default(), |acc, &i| {
            acc.plus(FeeFrac::of_tx(&txs[i]))
        })
    }

    /// The sum of two fee/size pairs.
    pub fn plus(self, other: FeeFrac) -> FeeFrac {
        FeeFrac {
            fee: self.fee.saturating_add(other.fee),
            size: self.size.saturating_add(other.size),
        }
    }

    /// Compares fee rates by cross-multiplying (exact; `i64 × u64` always fits `i128`).
    /// An empty pair (size 0, fee 0) compares equal to everything, as in Core.
    pub fn cmp_feerate(&self, other: &FeeFrac) -> Ordering {
        (i128::from(self.fee) * i128::from(other.size))
            .cmp(&(i128::from(other.fee) * i128::from(self.size)))
    }
}

/// The cluster's chunks in order, best fee rate first: each a list of indices into `txs`, in
/// linearization order (parents before children). See the module documentation for the
/// method and the tie rules.
///
/// Panics if a parent index is out of range or names the transaction itself. The parent
/// graph must be acyclic.
pub fn chunks(txs: &[Tx]) -> Vec<Vec<usize>> {
    let graph = Graph::new(txs);
    let pieces = minimal_chunks(txs, &graph);
    let linearization = order_like_core(txs, &graph, &pieces);
    debug_assert_eq!(
        linearization.len(),
        txs.len(),
        "the parent graph has a cycle"
    );
    let linearization = post_linearize(txs, &graph, linearization);
    chunk_linearization(txs, &linearization)
}

/// The fee rates of `chunks` (as returned by [`chunks`]), in the same order: the cluster's
/// fee-rate diagram.
pub fn chunk_feerates(txs: &[Tx], chunks: &[Vec<usize>]) -> Vec<FeeFrac> {
    chunks
        .iter()
        .map(|chunk| FeeFrac::of_set(txs, chunk))
        .collect()
}

/// A set of transaction indices.
#[derive(Clone, Debug)]
struct TxSet(Vec<u64>);

impl TxSet {
    fn empty(n: usize) -> TxSet {
        TxSet(vec![0; n.div_ceil(64)])
    }

    fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn remove(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }

    fn contains(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }

    fn union_with(&mut self, other: &TxSet) {
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            *mine |= theirs;
        }
    }

    fn overlaps(&self, other: &TxSet) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| a & b != 0)
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(at, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let bit = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    at * 64 + bit
                })
            })
        })
    }
}

/// The dependency graph of a cluster.
struct Graph {
    /// Parents, deduplicated.
    parents: Vec<Vec<usize>>,
    /// Children, deduplicated.
    children: Vec<Vec<usize>>,
    /// The parents that are not also ancestors of another parent (the transitive reduction):
    /// the same closed sets, with far fewer edges in a dense cluster.
    direct_parents: Vec<Vec<usize>>,
    /// Each transaction's ancestors, itself included.
    ancestors: Vec<TxSet>,
    /// Each transaction's descendants, itself included.
    descendants: Vec<TxSet>,
}

impl Graph {
    fn new(txs: &[Tx]) -> Graph {
        let n = txs.len();
        let mut parents = Vec::with_capacity(n);
        let mut children = vec![Vec::new(); n];
        for (i, tx) in txs.iter().enumerate() {
            let mut ps = tx.parents.clone();
            ps.sort_unstable();
            ps.dedup();
            for &p in &ps {
                assert!(
                    p < n && p != i,
                    "transaction {i} has an invalid parent index {p}"
                );
                children[p].push(i);
            }
            parents.push(ps);
        }
        // A topological order (Kahn's algorithm), parents first.
        let mut missing: Vec<usize> = parents.iter().map(Vec::len).collect();
        let mut order: Vec<usize> = (0..n).filter(|&i| missing[i] == 0).collect();
        let mut at = 0;
        while let Some(&i) = order.get(at) {
            at += 1;
            for &child in &children[i] {
                missing[child] -= 1;
                if missing[child] == 0 {
                    order.push(child);
                }
            }
        }
        debug_assert_eq!(order.len(), n, "the parent graph has a cycle");
        let mut ancestors = vec![TxSet::empty(n); n];
        // Ancestors without the transaction itself.
        let mut strict = vec![TxSet::empty(n); n];
        let mut direct_parents = vec![Vec::new(); n];
        for &i in &order {
            let mut above = TxSet::empty(n);
            // A parent is direct unless it is also an ancestor of another parent.
            let mut implied = TxSet::empty(n);
            for &p in &parents[i] {
                above.union_with(&ancestors[p]);
                implied.union_with(&strict[p]);
            }
            direct_parents[i] = parents[i]
                .iter()
                .copied()
                .filter(|&p| !implied.contains(p))
                .collect();
            ancestors[i] = above.clone();
            ancestors[i].insert(i);
            strict[i] = above;
        }
        let mut descendants = vec![TxSet::empty(n); n];
        for &i in order.iter().rev() {
            let mut below = TxSet::empty(n);
            below.insert(i);
            for &c in &children[i] {
                below.union_with(&descendants[c]);
            }
            descendants[i] = below;
        }
        Graph {
            parents,
            children,
            direct_parents,
            ancestors,
            descendants,
        }
    }
}

/// The unique partition of the cluster into minimal optimal chunks, in no particular order.
///
/// Minimal chunks are connected, so each connected part of what remains is split on its own:
/// its best fee-rate level comes off, and the rest splits into connected parts again.
fn minimal_chunks(txs: &[Tx], graph: &Graph) -> Vec<Vec<usize>> {
    let mut pieces = Vec::new();
    let mut todo = vec![(0..txs.len()).collect::<Vec<usize>>()];
    while let Some(set) = todo.pop() {
        for part in connected_parts(txs.len(), graph, &set) {
            if part.len() == 1 {
                pieces.push(part);
                continue;
            }
            let top = best_level(txs, graph, &part);
            let mut taken = TxSet::empty(txs.len());
            for &i in top.iter().flatten() {
                taken.insert(i);
            }
            let rest: Vec<usize> = part.into_iter().filter(|&i| !taken.contains(i)).collect();
            if !rest.is_empty() {
                todo.push(rest);
            }
            pieces.extend(top);
        }
    }
    pieces
}

/// The connected components of `set` (parent and child links within it).
fn connected_parts(n: usize, graph: &Graph, set: &[usize]) -> Vec<Vec<usize>> {
    let mut unseen = TxSet::empty(n);
    for &i in set {
        unseen.insert(i);
    }
    let mut parts = Vec::new();
    for &start in set {
        if !unseen.contains(start) {
            continue;
        }
        unseen.remove(start);
        let mut part = vec![start];
        let mut at = 0;
        while let Some(&u) = part.get(at) {
            at += 1;
            for &v in graph.parents[u].iter().chain(&graph.children[u]) {
                if unseen.contains(v) {
                    unseen.remove(v);
                    part.push(v);
                }
            }
        }
        parts.push(part);
    }
    parts
}

/// The minimal chunks having the best fee rate any closed subset of `remaining` reaches.
/// `remaining` must be closed under taking children (within the cluster).
fn best_level(txs: &[Tx], graph: &Graph, remaining: &[usize]) -> Vec<Vec<usize>> {
    let m = remaining.len();
    let (source, sink) = (m, m + 1);
    let mut local = vec![usize::MAX; txs.len()];
    let mut in_remaining = TxSet::empty(txs.len());
    for (k, &i) in remaining.iter().enumerate() {
        local[i] = k;
        in_remaining.insert(i);
    }
    // Edges 4k and 4k + 2 are source → k and k → sink (with their reverses 4k + 1, 4k + 3);
    // a child → parent edge of unbounded capacity forbids taking a child without its parent.
    // Direct parents suffice: the path to any other remaining ancestor stays in `remaining`.
    let mut deps = Vec::new();
    let mut degree = vec![2; m + 2];
    degree[source] = m;
    degree[sink] = m;
    for (k, &i) in remaining.iter().enumerate() {
        for &p in &graph.direct_parents[i] {
            if local[p] != usize::MAX {
                deps.push((k, local[p]));
                degree[k] += 1;
                degree[local[p]] += 1;
            }
        }
    }
    let mut net = Network::new(&degree);
    for k in 0..m {
        net.add_edge(source, k, 0);
        net.add_edge(k, sink, 0);
    }
    for (child, parent) in deps {
        net.add_edge(child, parent, UNBOUNDED);
    }
    let initial = net.cap.clone();

    // Dinkelbach iteration: `best` is always the fee rate of some non-empty closed subset,
    // at first the best ancestor set (often already the optimum).
    let mut best = remaining
        .iter()
        .map(|&i| {
            graph.ancestors[i]
                .iter()
                .filter(|&a| in_remaining.contains(a))
                .fold(FeeFrac::default(), |sum, a| {
                    sum.plus(FeeFrac::of_tx(&txs[a]))
                })
        })
        .max_by(FeeFrac::cmp_feerate)
        .expect("remaining is not empty");
    loop {
        net.cap.copy_from_slice(&initial);
        let mut positive = 0i128;
        for (k, &i) in remaining.iter().enumerate() {
            let weight = i128::from(txs[i].fee) * i128::from(best.size)
                - i128::from(best.fee) * i128::from(txs[i].size);
            if weight > 0 {
                net.cap[4 * k] = weight;
                positive += weight;
            } else {
                net.cap[4 * k + 2] = -weight;
            }
        }
        let flow = net.max_flow(source, sink);
        if flow == positive {
            break; // No closed subset has positive weight: `best` is the optimum.
        }
        // The source side of the minimum cut is a closed subset of positive weight, hence
        // non-empty and of a strictly higher fee rate.
        let side = net.reachable_from(source);
        let better: Vec<usize> = (0..m).filter(|&k| side[k]).map(|k| remaining[k]).collect();
        let better = FeeFrac::of_set(txs, &better);
        debug_assert_eq!(better.cmp_feerate(&best), Ordering::Greater);
        best = better;
    }

    // Everything that cannot reach the sink: the largest closed subset of fee rate `best`.
    let to_sink = net.reaching(sink);
    let top: Vec<bool> = (0..m).map(|k| !to_sink[k]).collect();
    net.strong_components(&top)
        .into_iter()
        .map(|component| component.into_iter().map(|k| remaining[k]).collect())
        .collect()
}

/// Capacity of the child → parent edges: more than any cut through source or sink edges.
const UNBOUNDED: i128 = i128::MAX / 4;

/// A flow network with residual capacities; edge `e ^ 1` is the reverse of edge `e`.
struct Network {
    /// Edge ids leaving each node.
    adj: Vec<Vec<usize>>,
    /// Head (target node) of each edge.
    head: Vec<usize>,
    /// Residual capacity of each edge.
    cap: Vec<i128>,
    /// Dinic's BFS level of each node (`u32::MAX`: unreached).
    level: Vec<u32>,
    /// Dinic's per-node position in `adj` of the next edge to try.
    next: Vec<usize>,
    /// Dinic's BFS queue (kept to reuse its allocation).
    queue: Vec<usize>,
}

impl Network {
    /// A network without edges, with room for `degree[u]` edges (either way) at node `u`.
    fn new(degree: &[usize]) -> Network {
        let edges = degree.iter().sum();
        Network {
            adj: degree.iter().map(|&d| Vec::with_capacity(d)).collect(),
            head: Vec::with_capacity(edges),
            cap: Vec::with_capacity(edges),
            level: vec![0; degree.len()],
            next: vec![0; degree.len()],
            queue: Vec::with_capacity(degree.len()),
        }
    }

    fn add_edge(&mut self, from: usize, to: usize, cap: i128) {
        self.adj[from].push(self.head.len());
        self.head.push(to);
        self.cap.push(cap);
        self.adj[to].push(self.head.len());
        self.head.push(from);
        self.cap.push(0);
    }

    /// Dinic's algorithm: pushes a maximum flow from `source` to `sink`, returns its value.
    fn max_flow(&mut self, source: usize, sink: usize) -> i128 {
        let mut total = 0;
        while self.build_levels(source, sink) {
            self.next.fill(0);
            loop {
                let pushed = self.augment(source, sink, UNBOUNDED);
                if pushed == 0 {
                    break;
                }
                total += pushed;
            }
        }
        total
    }

    /// BFS levels over residual edges; whether `sink` is reachable.
    fn build_levels(&mut self, source: usize, sink: usize) -> bool {
        self.level.fill(u32::MAX);
        self.level[source] = 0;
        let mut queue = std::mem::take(&mut self.queue);
        queue.clear();
        queue.push(source);
        let mut at = 0;
        while let Some(&u) = queue.get(at) {
            at += 1;
            if self.level[u] >= self.level[sink] {
                break; // Nothing at or beyond the sink's level leads to it.
            }
            for &e in &self.adj[u] {
                let v = self.head[e];
                if self.cap[e] > 0 && self.level[v] == u32::MAX {
                    self.level[v] = self.level[u] + 1;
                    queue.push(v);
                }
            }
        }
        self.queue = queue;
        self.level[sink] != u32::MAX
    }

    /// Pushes up to `limit` along one level-increasing path from `u`; returns the amount.
    fn augment(&mut self, u: usize, sink: usize, limit: i128) -> i128 {
        if u == sink {
            return limit;
        }
        while let Some(&e) = self.adj[u].get(self.next[u]) {
            let v = self.head[e];
            if self.cap[e] > 0 && self.level[v] == self.level[u] + 1 {
                let pushed = self.augment(v, sink, limit.min(self.cap[e]));
                if pushed > 0 {
                    self.cap[e] -= pushed;
                    self.cap[e ^ 1] += pushed;
                    return pushed;
                }
            }
            self.next[u] += 1;
        }
        0
    }

    /// The nodes reachable from `start` over residual edges.
    fn reachable_from(&self, start: usize) -> Vec<bool> {
        self.search(start, |e| e)
    }

    /// The nodes from which `end` is reachable over residual edges.
    fn reaching(&self, end: usize) -> Vec<bool> {
        // Walking edge `e` backwards from its head means using the residual edge `e ^ 1`.
        self.search(end, |e| e ^ 1)
    }

    /// Graph search from `start` along each edge `e` of the current node whose residual
    /// edge `residual(e)` has capacity left.
    fn search(&self, start: usize, residual: impl Fn(usize) -> usize) -> Vec<bool> {
        let mut seen = vec![false; self.adj.len()];
        seen[start] = true;
        let mut stack = vec![start];
        while let Some(u) = stack.pop() {
            for &e in &self.adj[u] {
                let v = self.head[e];
                if self.cap[residual(e)] > 0 && !seen[v] {
                    seen[v] = true;
                    stack.push(v);
                }
            }
        }
        seen
    }

    /// Strongly connected components (Tarjan) of the residual graph restricted to the nodes
    /// marked in `keep` (which must index the first `keep.len()` nodes).
    fn strong_components(&self, keep: &[bool]) -> Vec<Vec<usize>> {
        let mut tarjan = Tarjan {
            net: self,
            keep,
            index: vec![usize::MAX; keep.len()],
            low: vec![0; keep.len()],
            on_stack: vec![false; keep.len()],
            stack: Vec::new(),
            counter: 0,
            components: Vec::new(),
        };
        for (u, &kept) in keep.iter().enumerate() {
            if kept && tarjan.index[u] == usize::MAX {
                tarjan.visit(u);
            }
        }
        tarjan.components
    }
}

/// State of Tarjan's strongly-connected-components algorithm.
struct Tarjan<'a> {
    net: &'a Network,
    keep: &'a [bool],
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    counter: usize,
    components: Vec<Vec<usize>>,
}

impl Tarjan<'_> {
    fn visit(&mut self, u: usize) {
        self.index[u] = self.counter;
        self.low[u] = self.counter;
        self.counter += 1;
        self.stack.push(u);
        self.on_stack[u] = true;
        let net = self.net;
        for &e in &net.adj[u] {
            let v = net.head[e];
            if net.cap[e] <= 0 || v >= self.keep.len() || !self.keep[v] {
                continue;
            }
            if self.index[v] == usize::MAX {
                self.visit(v);
                self.low[u] = self.low[u].min(self.low[v]);
            } else if self.on_stack[v] {
                self.low[u] = self.low[u].min(self.index[v]);
            }
        }
        if self.low[u] == self.index[u] {
            let mut component = Vec::new();
            loop {
                let v = self.stack.pop().expect("u is still on the stack");
                self.on_stack[v] = false;
                component.push(v);
                if v == u {
                    break;
                }
            }
            self.components.push(component);
        }
    }
}

/// Index (into `items`) of the item that `first` sorts first.
fn pick_first(items: &[usize], first: impl Fn(usize, usize) -> Ordering) -> Option<usize> {
    items
        .iter()
        .enumerate()
        .min_by(|a, b| first(*a.1, *b.1))
        .map(|(at, _)| at)
}

/// Linearizes the chunks `pieces` the way Core's `GetLinearization` does (module doc, step 2).
fn order_like_core(txs: &[Tx], graph: &Graph, pieces: &[Vec<usize>]) -> Vec<usize> {
    let mut chunk_of = vec![0; txs.len()];
    for (c, piece) in pieces.iter().enumerate() {
        for &i in piece {
            chunk_of[i] = c;
        }
    }
    let feerate: Vec<FeeFrac> = pieces
        .iter()
        .map(|piece| FeeFrac::of_set(txs, piece))
        .collect();
    let max_sequence: Vec<u64> = pieces
        .iter()
        .map(|piece| piece.iter().map(|&i| txs[i].sequence).max().unwrap_or(0))
        .collect();
    let chunk_first = |a: usize, b: usize| {
        feerate[b]
            .cmp_feerate(&feerate[a])
            .then(feerate[a].size.cmp(&feerate[b].size))
            .then(max_sequence[a].cmp(&max_sequence[b]))
    };
    let tx_first = |a: usize, b: usize| {
        let (fa, fb) = (FeeFrac::of_tx(&txs[a]), FeeFrac::of_tx(&txs[b]));
        fb.cmp_feerate(&fa)
            .then(fa.size.cmp(&fb.size))
            .then(txs[a].sequence.cmp(&txs[b].sequence))
    };

    // Unmet dependencies: per transaction, and per chunk (on transactions of other chunks).
    let mut tx_deps: Vec<usize> = graph.parents.iter().map(Vec::len).collect();
    let mut chunk_deps = vec![0usize; pieces.len()];
    for (i, parents) in graph.parents.iter().enumerate() {
        chunk_deps[chunk_of[i]] += parents
            .iter()
            .filter(|&&p| chunk_of[p] != chunk_of[i])
            .count();
    }
    let mut ready_chunks: Vec<usize> = (0..pieces.len()).filter(|&c| chunk_deps[c] == 0).collect();
    let mut linearization = Vec::with_capacity(txs.len());
    while let Some(at) = pick_first(&ready_chunks, chunk_first) {
        let c = ready_chunks.swap_remove(at);
        let mut ready_txs: Vec<usize> = pieces[c]
            .iter()
            .copied()
            .filter(|&i| tx_deps[i] == 0)
            .collect();
        while let Some(at) = pick_first(&ready_txs, tx_first) {
            let i = ready_txs.swap_remove(at);
            linearization.push(i);
            for &child in &graph.children[i] {
                tx_deps[child] -= 1;
                if chunk_of[child] == c {
                    if tx_deps[child] == 0 {
                        ready_txs.push(child);
                    }
                } else {
                    chunk_deps[chunk_of[child]] -= 1;
                    if chunk_deps[chunk_of[child]] == 0 {
                        ready_chunks.push(chunk_of[child]);
                    }
                }
            }
        }
    }
    linearization
}

/// A group of Core's post-linearization: consecutive transactions that move together.
struct Group {
    /// The transactions, in order.
    txs: Vec<usize>,
    /// The same, as a set.
    set: TxSet,
    /// Ancestors (forward pass) or descendants (backward pass) of the group.
    deps: TxSet,
    /// Fee and size; the fee is negated in the backward pass.
    feerate: FeeFrac,
}

/// Core's `PostLinearize` (module doc, step 3): a backward pass, then a forward pass. Each
/// appends the transactions one at a time as a new group, which then moves towards the front
/// while its fee rate is strictly higher than the group before it: merging with that group if
/// it depends on it, else swapping past it. The backward pass runs on the reversed order with
/// children as dependencies and negated fees.
fn post_linearize(txs: &[Tx], graph: &Graph, mut linearization: Vec<usize>) -> Vec<usize> {
    for backward in [true, false] {
        let mut groups: Vec<Group> = Vec::with_capacity(linearization.len());
        if backward {
            linearization.reverse();
        }
        for &i in &linearization {
            let mut feerate = FeeFrac::of_tx(&txs[i]);
            if backward {
                feerate.fee = feerate.fee.saturating_neg();
            }
            let deps = if backward {
                &graph.descendants[i]
            } else {
                &graph.ancestors[i]
            };
            let mut set = TxSet::empty(txs.len());
            set.insert(i);
            groups.push(Group {
                txs: vec![i],
                set,
                deps: deps.clone(),
                feerate,
            });
            let mut at = groups.len() - 1;
            while at > 0
                && groups[at]
                    .feerate
                    .cmp_feerate(&groups[at - 1].feerate)
                    .is_gt()
            {
                if groups[at].deps.overlaps(&groups[at - 1].set) {
                    let current = groups.remove(at);
                    let previous = &mut groups[at - 1];
                    previous.txs.extend(current.txs);
                    previous.set.union_with(&current.set);
                    previous.deps.union_with(&current.deps);
                    previous.feerate = previous.feerate.plus(current.feerate);
                } else {
                    groups.swap(at - 1, at);
                }
                at -= 1;
            }
        }
        linearization = groups.into_iter().flat_map(|group| group.txs).collect();
        if backward {
            linearization.reverse();
        }
    }
    linearization
}

/// Core's chunking of a linearization (module doc, step 4).
fn chunk_linearization(txs: &[Tx], linearization: &[usize]) -> Vec<Vec<usize>> {
    let mut out: Vec<(Vec<usize>, FeeFrac)> = Vec::new();
    for &i in linearization {
        let mut chunk = (vec![i], FeeFrac::of_tx(&txs[i]));
        while let Some(last) = out.last() {
            if !chunk.1.cmp_feerate(&last.1).is_gt() {
                break;
            }
            let (mut merged, feerate) = out.pop().expect("just looked at it");
            merged.extend(chunk.0);
            chunk = (merged, feerate.plus(chunk.1));
        }
        out.push(chunk);
    }
    out.into_iter().map(|(chunk, _)| chunk).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A transaction; [`cluster`] numbers the sequences.
    fn tx(fee: i64, size: u64, parents: &[usize]) -> Tx {
        Tx {
            fee,
            size,
            sequence: 0,
            parents: parents.to_vec(),
        }
    }

    /// Numbers the sequences of `txs` in index order.
    fn cluster(mut txs: Vec<Tx>) -> Vec<Tx> {
        for (i, tx) in txs.iter_mut().enumerate() {
            tx.sequence = i as u64;
        }
        txs
    }

    /// Checks what holds for every result: a partition, chunks closed with respect to what
    /// remains, topological inside, non-increasing fee rates, and stable under re-chunking.
    fn check_shape(txs: &[Tx], result: &[Vec<usize>]) {
        let mut taken = vec![false; txs.len()];
        for chunk in result {
            assert!(!chunk.is_empty());
            for &i in chunk {
                assert!(!taken[i], "transaction {i} appears twice");
                for &p in &txs[i].parents {
                    assert!(taken[p], "transaction {i} comes before its parent {p}");
                }
                taken[i] = true;
            }
        }
        assert!(taken.iter().all(|&t| t), "some transaction is missing");
        let rates = chunk_feerates(txs, result);
        for pair in rates.windows(2) {
            assert!(
                pair[0].cmp_feerate(&pair[1]).is_ge(),
                "fee rates increase: {rates:?}"
            );
        }
        let flat: Vec<usize> = result.iter().flatten().copied().collect();
        assert_eq!(chunk_linearization(txs, &flat), result);
    }

    fn sorted(result: &[Vec<usize>]) -> Vec<Vec<usize>> {
        result
            .iter()
            .map(|chunk| {
                let mut chunk = chunk.clone();
                chunk.sort_unstable();
                chunk
            })
            .collect()
    }

    #[test]
    fn single_transaction() {
        assert_eq!(chunks(&cluster(vec![tx(-5, 100, &[])])), vec![vec![0]]);
        assert_eq!(chunks(&[]), Vec::<Vec<usize>>::new());
    }

    #[test]
    fn beats_ancestor_set_selection() {
        // Ancestor-set selection takes Z (1.2) first, then P+C1 (1.0), then C2, which merges
        // everything into one chunk of 12/9 sat/vB. The optimum takes P, C1, C2 at 1.5 first.
        let txs = cluster(vec![
            tx(0, 2, &[]),     // 0: P
            tx(3, 1, &[0]),    // 1: C1
            tx(3, 1, &[0]),    // 2: C2
            tx(6, 5, &[]),     // 3: Z
            tx(0, 1, &[0, 3]), // 4: W
        ]);
        let result = chunks(&txs);
        check_shape(&txs, &result);
        assert_eq!(result, vec![vec![0, 1, 2], vec![3], vec![4]]);
        let rates = chunk_feerates(&txs, &result);
        assert_eq!(rates[0], FeeFrac { fee: 6, size: 4 });
    }

    #[test]
    fn parent_with_two_children_is_one_chunk() {
        // Neither child alone with the parent beats the two together.
        let txs = cluster(vec![
            tx(1, 100, &[]),
            tx(500, 100, &[0]),
            tx(400, 100, &[0]),
        ]);
        let result = chunks(&txs);
        check_shape(&txs, &result);
        assert_eq!(result, vec![vec![0, 1, 2]]);
    }

    #[test]
    fn chains() {
        // A cheap parent paid for by its child; the grandchild stays behind.
        let txs = cluster(vec![tx(1, 1, &[]), tx(10, 1, &[0]), tx(1, 1, &[1])]);
        assert_eq!(chunks(&txs), vec![vec![0, 1], vec![2]]);
        // Decreasing fee rates: one chunk each.
        let txs = cluster(vec![tx(30, 1, &[]), tx(20, 1, &[0]), tx(10, 1, &[1])]);
        assert_eq!(chunks(&txs), vec![vec![0], vec![1], vec![2]]);
        // Increasing fee rates: one chunk.
        let txs = cluster(vec![tx(10, 1, &[]), tx(20, 1, &[0]), tx(30, 1, &[1])]);
        assert_eq!(chunks(&txs), vec![vec![0, 1, 2]]);
    }

    #[test]
    fn equal_feerates_stay_separate() {
        let txs = cluster(vec![tx(10, 10, &[]), tx(20, 20, &[0]), tx(5, 5, &[1])]);
        assert_eq!(chunks(&txs), vec![vec![0], vec![1], vec![2]]);
        // Parent + first child reach exactly the second child's fee rate (2): two chunks, the
        // three together (also 2) would not be minimal.
        let txs = cluster(vec![tx(0, 1, &[]), tx(4, 1, &[0]), tx(2, 1, &[0])]);
        assert_eq!(chunks(&txs), vec![vec![0, 1], vec![2]]);
    }

    #[test]
    fn negative_fees() {
        let txs = cluster(vec![tx(-5, 1, &[]), tx(20, 1, &[0]), tx(-1, 1, &[1])]);
        let result = chunks(&txs);
        check_shape(&txs, &result);
        assert_eq!(result, vec![vec![0, 1], vec![2]]);
        let txs = cluster(vec![tx(-5, 1, &[]), tx(-7, 1, &[0])]);
        assert_eq!(chunks(&txs), vec![vec![0], vec![1]]);
    }

    #[test]
    fn diamond() {
        // A → {B, C} → D, with D paying for everything.
        let txs = cluster(vec![
            tx(1, 1, &[]),
            tx(1, 1, &[0]),
            tx(5, 1, &[0]),
            tx(20, 1, &[1, 2]),
        ]);
        let result = chunks(&txs);
        check_shape(&txs, &result);
        assert_eq!(result, vec![vec![0, 2, 1, 3]]);
        // Only C is worth taking with A.
        let txs = cluster(vec![
            tx(1, 1, &[]),
            tx(1, 1, &[0]),
            tx(9, 1, &[0]),
            tx(0, 1, &[1, 2]),
        ]);
        assert_eq!(chunks(&txs), vec![vec![0, 2], vec![1], vec![3]]);
    }

    #[test]
    fn tie_break_by_sequence() {
        // Two equal children of a taken parent: the lower sequence goes first.
        let mut txs = cluster(vec![tx(100, 1, &[]), tx(5, 1, &[0]), tx(5, 1, &[0])]);
        txs[1].sequence = 9;
        assert_eq!(chunks(&txs), vec![vec![0], vec![2], vec![1]]);
        txs[1].sequence = 1;
        assert_eq!(chunks(&txs), vec![vec![0], vec![1], vec![2]]);
    }

    #[test]
    fn tie_break_by_size_then_largest_sequence() {
        // Core sorts equal-fee-rate chunks by size first: the smaller child goes first.
        let txs = cluster(vec![tx(100, 1, &[]), tx(10, 2, &[0]), tx(5, 1, &[0])]);
        assert_eq!(chunks(&txs), vec![vec![0], vec![2], vec![1]]);
        // Same rate and size: the chunk whose largest sequence is lower goes first, although
        // the other chunk holds the lowest sequence.
        let mut txs = cluster(vec![
            tx(100, 1, &[]), // 0: root
            tx(0, 1, &[0]),  // 1: a1
            tx(10, 1, &[1]), // 2: a2
            tx(0, 1, &[0]),  // 3: b1
            tx(10, 1, &[3]), // 4: b2
        ]);
        for (i, sequence) in [0, 1, 5, 2, 3].into_iter().enumerate() {
            txs[i].sequence = sequence;
        }
        assert_eq!(chunks(&txs), vec![vec![0], vec![3, 4], vec![1, 2]]);
    }

    #[test]
    fn all_equal_feerates() {
        let txs = cluster(vec![
            tx(3, 3, &[]),
            tx(1, 1, &[0]),
            tx(2, 2, &[0]),
            tx(1, 1, &[1, 2]),
            tx(4, 4, &[]),
            tx(1, 1, &[4, 3]),
        ]);
        let result = chunks(&txs);
        check_shape(&txs, &result);
        assert_eq!(result.len(), txs.len());
        // Ready singletons by size: 0 (3) vs 4 (4) → 0; then 1 (1), 2 (2), 3 (1) ...
        assert_eq!(
            result,
            vec![vec![0], vec![1], vec![2], vec![3], vec![4], vec![5]]
        );
    }

    #[test]
    fn tree() {
        // A root with two subtrees; the better subtree joins the root.
        let txs = cluster(vec![
            tx(0, 2, &[]),   // 0
            tx(1, 1, &[0]),  // 1
            tx(30, 1, &[1]), // 2
            tx(2, 1, &[0]),  // 3
            tx(4, 1, &[3]),  // 4
            tx(-1, 1, &[3]), // 5
        ]);
        let result = chunks(&txs);
        check_shape(&txs, &result);
        assert_eq!(result, vec![vec![0, 1, 2], vec![3, 4], vec![5]]);
    }

    #[test]
    fn post_linearization_orders_inside_chunks() {
        // Core's GetLinearization would order the chunk 0, 3, 1, 2 (3 has the higher individual
        // fee rate); PostLinearize moves the pair 1, 2 (2 sat/vB together) before 3 (1 sat/vB).
        let txs = vec![
            Tx {
                fee: 0,
                size: 3,
                sequence: 4,
                parents: vec![],
            },
            Tx {
                fee: 0,
                size: 1,
                sequence: 2,
                parents: vec![0],
            },
            Tx {
                fee: 4,
                size: 1,
                sequence: 1,
                parents: vec![1],
            },
            Tx {
                fee: 3,
                size: 3,
                sequence: 3,
                parents: vec![0],
            },
            Tx {
                fee: -1,
                size: 2,
                sequence: 0,
                parents: vec![0, 1, 2, 3],
            },
        ];
        assert_eq!(chunks(&txs), vec![vec![0, 1, 2, 3], vec![4]]);
    }

    /// Clusters as (fee, size, sequence, parents), and the chunks Core v31 gives them
    /// (`Linearize`, `PostLinearize`, `ChunkLinearizationInfo`, with `sequence` as the
    /// fallback order), taken from a C++ harness over Core's `src/cluster_linearize.h`.
    type Vector = (
        &'static [(i64, u64, u64, &'static [usize])],
        &'static [&'static [usize]],
    );
    const CORE_VECTORS: &[Vector] = &[
        (
            &[
                (2, 1, 4007, &[]),
                (4, 2, 6007, &[0]),
                (0, 2, 7007, &[0, 1]),
                (-2, 2, 8007, &[0]),
                (3, 3, 5007, &[]),
                (-2, 3, 7, &[0, 3]),
                (5, 1, 1007, &[3, 5]),
                (3, 2, 2007, &[0, 2, 5, 6]),
                (4, 2, 3007, &[3, 4]),
            ],
            &[&[0], &[1], &[4], &[3, 8, 5, 6, 2, 7]],
        ),
        (
            &[
                (4, 1, 9007, &[]),
                (-1, 2, 4007, &[0]),
                (-2, 1, 8007, &[0, 1]),
                (4, 3, 7, &[0, 1, 2]),
                (0, 1, 5007, &[0, 1, 2, 3]),
                (-1, 3, 1007, &[0, 1, 2, 3]),
                (2, 1, 3007, &[0, 1, 2, 3, 5]),
                (1, 3, 2007, &[0, 1, 3, 4, 5]),
                (4, 1, 6007, &[0, 1, 4, 5, 6]),
                (0, 2, 7007, &[1, 2, 3, 5, 7, 8]),
            ],
            &[&[0], &[1, 2, 3, 5, 6, 4, 8], &[7], &[9]],
        ),
        (
            &[
                (-2, 2, 8007, &[]),
                (-1, 1, 6007, &[]),
                (2, 1, 5007, &[]),
                (-1, 1, 2007, &[0, 1]),
                (1, 2, 1007, &[1, 2]),
                (1, 3, 7007, &[0, 4]),
                (5, 2, 7, &[0, 2, 3]),
                (-1, 3, 4007, &[1]),
                (-2, 2, 3007, &[0, 3, 4, 7]),
            ],
            &[&[2], &[1, 4, 0, 3, 6, 5], &[7], &[8]],
        ),
    ];

    #[test]
    fn matches_core_vectors() {
        for (cluster, expected) in CORE_VECTORS {
            let txs: Vec<Tx> = cluster
                .iter()
                .map(|&(fee, size, sequence, parents)| Tx {
                    fee,
                    size,
                    sequence,
                    parents: parents.to_vec(),
                })
                .collect();
            let expected: Vec<Vec<usize>> = expected.iter().map(|c| c.to_vec()).collect();
            assert_eq!(chunks(&txs), expected);
        }
    }

    /// The brute-force reference: repeatedly the closed subset of what remains with the
    /// highest fee rate, then the smallest size, then the lowest largest sequence.
    fn reference(txs: &[Tx]) -> Vec<Vec<usize>> {
        let n = txs.len();
        let mut remaining: u32 = (1u32 << n) - 1;
        let mut out = Vec::new();
        while remaining != 0 {
            let mut best: Option<(u32, FeeFrac, u64)> = None;
            let mut set = remaining;
            while set != 0 {
                let members: Vec<usize> = (0..n).filter(|&i| set >> i & 1 == 1).collect();
                let closed = members.iter().all(|&i| {
                    txs[i]
                        .parents
                        .iter()
                        .all(|&p| remaining >> p & 1 == 0 || set >> p & 1 == 1)
                });
                if closed {
                    let rate = FeeFrac::of_set(txs, &members);
                    let max_seq = members
                        .iter()
                        .map(|&i| txs[i].sequence)
                        .max()
                        .expect("non-empty");
                    let better = match &best {
                        None => true,
                        Some((_, b_rate, b_seq)) => rate
                            .cmp_feerate(b_rate)
                            .reverse()
                            .then(rate.size.cmp(&b_rate.size))
                            .then(max_seq.cmp(b_seq))
                            .is_lt(),
                    };
                    if better {
                        best = Some((set, rate, max_seq));
                    }
                }
                set = (set - 1) & remaining;
            }
            let (set, _, _) = best.expect("some closed subset exists");
            out.push((0..n).filter(|&i| set >> i & 1 == 1).collect());
            remaining &= !set;
        }
        out
    }

    fn arb_cluster(max: usize) -> impl Strategy<Value = Vec<Tx>> {
        (1..=max).prop_flat_map(|n| {
            let tx = (
                prop_oneof![-3i64..=10, -500i64..=2000],
                prop_oneof![1u64..=4, 1u64..=1000],
                any::<u64>(),
            );
            let sequences = Just((0..n as u64).collect::<Vec<_>>()).prop_shuffle();
            (proptest::collection::vec(tx, n), sequences, any::<bool>()).prop_map(
                |(raw, sequences, sparse)| {
                    raw.into_iter()
                        .zip(sequences)
                        .enumerate()
                        .map(|(i, ((fee, size, mut mask), sequence))| {
                            if sparse {
                                mask &= mask >> 7; // fewer parents
                            }
                            let parents = (0..i).filter(|&p| mask >> p & 1 == 1).collect();
                            Tx {
                                fee,
                                size,
                                sequence,
                                parents,
                            }
                        })
                        .collect()
                },
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn matches_brute_force(txs in arb_cluster(10)) {
            let result = chunks(&txs);
            check_shape(&txs, &result);
            prop_assert_eq!(sorted(&result), reference(&txs));
        }

        #[test]
        fn shape_holds_for_larger_clusters(txs in arb_cluster(40)) {
            let result = chunks(&txs);
            check_shape(&txs, &result);
        }
    }

    /// A dense 64-transaction cluster: every transaction spends about half of the earlier ones.
    fn dense_cluster(n: usize) -> Vec<Tx> {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..n)
            .map(|i| {
                let parents = (0..i).filter(|_| next() % 2 == 0).collect();
                let fee = (next() % 20_000) as i64 - 1_000;
                let size = 100 + next() % 900;
                Tx {
                    fee,
                    size,
                    sequence: (i as u64 * 37) % n as u64,
                    parents,
                }
            })
            .collect()
    }

    #[test]
    fn dense_64_cluster_timing() {
        let txs = dense_cluster(64);
        let start = std::time::Instant::now();
        let result = chunks(&txs);
        let elapsed = start.elapsed();
        check_shape(&txs, &result);
        eprintln!(
            "64-tx dense cluster: {} chunks in {elapsed:?}",
            result.len()
        );
        assert!(elapsed < std::time::Duration::from_secs(1));
    }
}
