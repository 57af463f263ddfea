//! Betweenness centrality (Brandes), directed, unweighted or weighted,
//! parallel over sources with results that do not depend on the thread
//! count.
//!
//! The betweenness of `v` is Σ over ordered pairs `s ≠ v ≠ t` of the share
//! of shortest `s → t` paths that pass through `v`. Unnormalised, as
//! networkx (`normalized=False`), igraph and rustworkx report it.
//!
//! Cost: one breadth-first search (unweighted, O(V + E)) or Dijkstra
//! (weighted, O(E log V)) per source, so O(V·E) resp. O(V·E log V) in
//! total, and in practice O(V·E_c) where `E_c` is the edges a source reaches:
//! a chain of many weakly coupled minerals costs far less than V·E.
//!
//! Determinism: sources are cut into a fixed number of contiguous chunks
//! (independent of the number of threads); each chunk sums its sources in
//! order into its own vector, and the chunk vectors are added in chunk
//! order. The result is therefore bit-for-bit the same with one thread, two,
//! or with `BetweennessOptions::parallel` off.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::flow::Adjacency;

const NONE: u32 = u32::MAX;
/// Number of source chunks: fixed so that the floating-point summation order
/// never depends on the thread pool.
const CHUNKS: usize = 64;
/// Partial sums held at once (in `f64`s, 64 MiB): chunks run in waves of
/// as many as fit, all 64 at once up to 131,072 nodes, so that large
/// graphs do not pay a barrier per wave and huge ones stay bounded.
const PARTIAL_BUDGET: usize = 1 << 23;
/// `V × E` below which the sources run on the calling thread.
const SEQUENTIAL_BELOW: usize = 1 << 22;

/// Options for [`betweenness_with`] and [`weighted_betweenness`].
///
/// # Example
/// ```
/// use critical_minerals::flow::BetweennessOptions;
/// let opts = BetweennessOptions::new().parallel(false);
/// assert!(!opts.parallel);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BetweennessOptions {
    /// Run the sources on rayon's pool (`true`, the default) or on the
    /// calling thread. The result is identical either way. Small graphs
    /// (V·E below 2²²) always run on the calling thread, where handing work
    /// to threads would cost more than it saves.
    pub parallel: bool,
}

impl Default for BetweennessOptions {
    fn default() -> Self {
        BetweennessOptions { parallel: true }
    }
}

impl BetweennessOptions {
    /// Defaults: parallel over sources on rayon's global pool.
    pub fn new() -> BetweennessOptions {
        BetweennessOptions::default()
    }

    /// Sets the `parallel` field: sources on rayon's pool or on the
    /// calling thread (same result).
    pub fn parallel(mut self, yes: bool) -> BetweennessOptions {
        self.parallel = yes;
        self
    }
}

/// Directed, unweighted (hop-count) betweenness of every node, unnormalised,
/// in parallel. Parallel edges count as distinct paths. O(V·E) time,
/// O(V) memory per thread plus up to 64 partial vectors (at most 64 MiB).
///
/// # Example
/// ```
/// use critical_minerals::flow::{Adjacency, betweenness};
/// // Path 0 → 1 → 2: node 1 lies on the one shortest path 0 → 2.
/// let g = Adjacency::from_edges(3, &[(0, 1), (1, 2)]);
/// assert_eq!(betweenness(&g), vec![0.0, 1.0, 0.0]);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
pub fn betweenness(graph: &Adjacency) -> Vec<f64> {
    betweenness_with(graph, &BetweennessOptions::new())
}

/// [`betweenness`] with options (sequential or parallel; same result).
pub fn betweenness_with(graph: &Adjacency, options: &BetweennessOptions) -> Vec<f64> {
    let work = graph.node_count().saturating_mul(graph.edge_count());
    run_chunks(graph.node_count(), work, options, || Hops::new(graph))
}

/// Directed betweenness with shortest paths by total edge length, where
/// `lengths[e]` is the length of the edge with id `e` (see
/// [`Adjacency::edge_ids`]). A length of `+∞` makes the edge unusable.
/// Paths of equal length (bit-for-bit) share the credit, as in Brandes.
/// O(V·E log V) time.
///
/// # Errors
/// [`Error::IndexOutOfRange`] when an edge id has no entry in `lengths`;
/// [`Error::OutOfDomain`] when a length is NaN, zero or negative (zero-length edges would make "shortest"
/// ambiguous).
///
/// # Example
/// ```
/// use critical_minerals::flow::{Adjacency, BetweennessOptions, weighted_betweenness};
/// // 0 → 1 → 3 has length 2, the direct 0 → 3 length 5: the detour via 1
/// // is the shortest path, so node 1 gets credit 1.
/// let g = Adjacency::from_edges(4, &[(0, 1), (1, 3), (0, 3)]);
/// let b = weighted_betweenness(&g, &[1.0, 1.0, 5.0], &BetweennessOptions::new())?;
/// assert_eq!(b, vec![0.0, 1.0, 0.0, 0.0]);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
pub fn weighted_betweenness(
    graph: &Adjacency,
    lengths: &[f64],
    options: &BetweennessOptions,
) -> Result<Vec<f64>> {
    for v in 0..graph.node_count() as u32 {
        for &e in graph.edge_ids(v) {
            let Some(&len) = lengths.get(e as usize) else {
                return Err(Error::IndexOutOfRange {
                    what: "edge length",
                    index: u64::from(e),
                    len: lengths.len() as u64,
                });
            };
            if len.is_nan() || len <= 0.0 {
                return Err(Error::OutOfDomain {
                    field: "edge length",
                    value: len.to_string(),
                    expected: format!("edge {e}: must be positive (or infinite)"),
                });
            }
        }
    }
    let work = graph.node_count().saturating_mul(graph.edge_count());
    Ok(run_chunks(graph.node_count(), work, options, || {
        Weighted::new(graph, lengths)
    }))
}

/// One single-source shortest-path accumulation (unweighted or weighted),
/// with its scratch arrays.
trait SourcePass: Send {
    /// Adds the dependencies of source `s` into `out`.
    fn accumulate(&mut self, s: u32, out: &mut [f64]);
}

fn run_chunks<P: SourcePass, F: Fn() -> P + Sync>(
    n: usize,
    work: usize,
    options: &BetweennessOptions,
    make: F,
) -> Vec<f64> {
    let mut total = vec![0.0; n];
    if n == 0 {
        return total;
    }
    let chunk = n.div_ceil(CHUNKS);
    let chunks: Vec<(u32, u32)> = (0..n)
        .step_by(chunk)
        .map(|a| (a as u32, (a + chunk).min(n) as u32))
        .collect();
    let one = |&(a, b): &(u32, u32)| {
        let mut pass = make();
        let mut partial = vec![0.0; n];
        for s in a..b {
            pass.accumulate(s, &mut partial);
        }
        partial
    };
    // Below a few million edge visits, thread hand-off costs more than it
    // saves; the result is the same either way.
    let parallel = options.parallel && work >= SEQUENTIAL_BELOW;
    let wave_len = (PARTIAL_BUDGET / n).clamp(4, CHUNKS);
    for wave in chunks.chunks(wave_len) {
        let partials: Vec<Vec<f64>> = if parallel {
            wave.par_iter().map(one).collect()
        } else {
            wave.iter().map(one).collect()
        };
        for p in &partials {
            for (t, x) in total.iter_mut().zip(p) {
                *t += x;
            }
        }
    }
    total
}

struct Hops<'g> {
    graph: &'g Adjacency,
    dist: Vec<u32>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    order: Vec<u32>,
}

impl<'g> Hops<'g> {
    fn new(graph: &'g Adjacency) -> Self {
        let n = graph.node_count();
        Hops {
            graph,
            dist: vec![NONE; n],
            sigma: vec![0.0; n],
            delta: vec![0.0; n],
            order: Vec::with_capacity(n),
        }
    }
}

impl SourcePass for Hops<'_> {
    fn accumulate(&mut self, s: u32, out: &mut [f64]) {
        let g = self.graph;
        let (dist, sigma, delta, order) = (
            &mut self.dist,
            &mut self.sigma,
            &mut self.delta,
            &mut self.order,
        );
        order.clear();
        dist[s as usize] = 0;
        sigma[s as usize] = 1.0;
        order.push(s);
        let mut head = 0;
        while let Some(&v) = order.get(head) {
            head += 1;
            let next = dist[v as usize] + 1;
            let sv = sigma[v as usize];
            for &w in g.neighbors(v) {
                let dw = dist[w as usize];
                if dw == NONE {
                    dist[w as usize] = next;
                    sigma[w as usize] = sv;
                    order.push(w);
                } else if dw == next {
                    sigma[w as usize] += sv;
                }
            }
        }
        // Dependencies in reverse BFS order over successors on shortest
        // paths (no predecessor lists needed: a successor w with
        // dist(w) = dist(v) + 1 is exactly a shortest-path child of v).
        for &v in order.iter().rev() {
            let next = dist[v as usize] + 1;
            let mut acc = 0.0;
            for &w in g.neighbors(v) {
                if dist[w as usize] == next {
                    acc += (1.0 + delta[w as usize]) / sigma[w as usize];
                }
            }
            let d = sigma[v as usize] * acc;
            delta[v as usize] = d;
            if v != s {
                out[v as usize] += d;
            }
        }
        // Reset only what this source touched: a source usually reaches a
        // small part of a multi-mineral chain, and clearing all V entries per
        // source would cost O(V²).
        for &v in order.iter() {
            dist[v as usize] = NONE;
            sigma[v as usize] = 0.0;
            delta[v as usize] = 0.0;
        }
    }
}

struct Weighted<'g> {
    graph: &'g Adjacency,
    lengths: &'g [f64],
    dist: Vec<f64>,
    settled: Vec<bool>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    order: Vec<u32>,
    touched: Vec<u32>,
    heap: BinaryHeap<Entry>,
}

#[derive(Debug, Clone, Copy)]
struct Entry(f64, u32);

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Reversed, so that `BinaryHeap` pops the nearest node first; ties by
    /// node id keep the settle order deterministic.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

impl<'g> Weighted<'g> {
    fn new(graph: &'g Adjacency, lengths: &'g [f64]) -> Self {
        let n = graph.node_count();
        Weighted {
            graph,
            lengths,
            dist: vec![f64::INFINITY; n],
            settled: vec![false; n],
            sigma: vec![0.0; n],
            delta: vec![0.0; n],
            order: Vec::with_capacity(n),
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }
}

impl SourcePass for Weighted<'_> {
    fn accumulate(&mut self, s: u32, out: &mut [f64]) {
        let (g, lengths) = (self.graph, self.lengths);
        self.order.clear();
        self.touched.clear();
        self.dist[s as usize] = 0.0;
        self.sigma[s as usize] = 1.0;
        self.touched.push(s);
        self.heap.push(Entry(0.0, s));
        while let Some(Entry(d, v)) = self.heap.pop() {
            let vu = v as usize;
            if self.settled[vu] || d > self.dist[vu] {
                continue;
            }
            self.settled[vu] = true;
            self.order.push(v);
            let sv = self.sigma[vu];
            for (&w, &e) in g.neighbors(v).iter().zip(g.edge_ids(v)) {
                let len = lengths[e as usize];
                let wu = w as usize;
                if len == f64::INFINITY || self.settled[wu] {
                    continue;
                }
                let nd = d + len;
                let dw = self.dist[wu];
                if nd < dw {
                    if dw == f64::INFINITY {
                        self.touched.push(w);
                    }
                    self.dist[wu] = nd;
                    self.sigma[wu] = sv;
                    self.heap.push(Entry(nd, w));
                } else if nd == dw {
                    self.sigma[wu] += sv;
                }
            }
        }
        for &v in self.order.iter().rev() {
            let vu = v as usize;
            let dv = self.dist[vu];
            let mut acc = 0.0;
            for (&w, &e) in g.neighbors(v).iter().zip(g.edge_ids(v)) {
                let len = lengths[e as usize];
                let wu = w as usize;
                // The same addition as in the forward pass, so the equality
                // test picks exactly the edges that fed sigma(w).
                if len != f64::INFINITY && self.settled[wu] && dv + len == self.dist[wu] {
                    acc += (1.0 + self.delta[wu]) / self.sigma[wu];
                }
            }
            let d = self.sigma[vu] * acc;
            self.delta[vu] = d;
            if v != s {
                out[vu] += d;
            }
        }
        for &v in &self.touched {
            let vu = v as usize;
            self.dist[vu] = f64::INFINITY;
            self.settled[vu] = false;
            self.sigma[vu] = 0.0;
            self.delta[vu] = 0.0;
        }
    }
}
