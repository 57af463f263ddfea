//! Proportional propagation of a shortfall through a weighted directed
//! graph, compiled once and re-solved cheaply for many sets of factors.
//!
//! Each node `v` has an inflow `Σ_u f_uv` over its in-edges and an own
//! origination `o_v`; its supply at baseline is `S_v = o_v + Σ_u f_uv`.
//! Under a shock, node `v` keeps the fraction
//!
//! > `s_v = k_v · (o_v + Σ_u f_uv · s_u · e_uv) / S_v`
//!
//! of its supply, where `k_v ∈ [0, 1]` is the node's own factor and
//! `e_uv ∈ [0, 1]` the edge's (a node with `S_v = 0` keeps `s_v = k_v`).
//! With every factor 1, `s = 1`. The system is solved over strongly
//! connected components in topological order (upstream first): a
//! component without a cycle in one step, exactly; a cyclic one
//! (recycling loops, trade at one stage) by Gauss–Seidel sweeps until the
//! largest change in a sweep is at most the tolerance. Since every weight
//! is non-negative and each node's weights sum to at most 1, the sweeps
//! converge monotonically from `s = k`.
//!
//! Compiling costs O(V + E) (Tarjan's algorithm, iterative); a solve costs
//! O(V + E) for acyclic parts plus O(sweeps × E_c) inside cyclic
//! components. [`Cascade::solve_batch`] solves up to [`Cascade::BATCH`]
//! factor sets in one pass, each on its own lane: the edge and index
//! reads, which dominate, are shared, and the lanes' independent sums
//! keep the processor busy where one set's sum waits on its previous
//! addition. Each lane's result is the one-set solve's, to the bit.

use crate::error::{Error, Result};

/// A graph compiled for proportional propagation: in-edges in CSR form,
/// nodes in topological order of their strongly connected components.
///
/// Each node `v` has an inflow `Σ_u f_uv` over its in-edges and an own
/// origination `o_v`; its supply at baseline is `S_v = o_v + Σ_u f_uv`.
/// Under a shock, node `v` keeps the fraction
///
/// > `s_v = k_v · (o_v + Σ_u f_uv · s_u · e_uv) / S_v`
///
/// of its supply, where `k_v ∈ [0, 1]` is the node's own factor and
/// `e_uv ∈ [0, 1]` the edge's (a node with `S_v = 0` keeps `s_v = k_v`).
/// With every factor 1, `s = 1`. The system is solved over strongly
/// connected components in topological order (upstream first): a
/// component without a cycle in one step, exactly; a cyclic one
/// (recycling loops, trade at one stage) by Gauss–Seidel sweeps until the
/// largest change in a sweep is at most the tolerance. Since every weight
/// is non-negative and each node's weights sum to at most 1, the sweeps
/// converge monotonically from `s = k`.
///
/// Compiling costs O(V + E) (Tarjan's algorithm, iterative); a solve costs
/// O(V + E) for acyclic parts plus O(sweeps × E_c) inside cyclic
/// components.
///
/// # Example
/// ```
/// use critical_minerals::flow::{Cascade, CascadeWork};
/// // 0 → 2 (60 t) and 1 → 2 (40 t); 0 and 1 originate what they ship.
/// let c = Cascade::new(3, &[(0, 2, 60.0), (1, 2, 40.0)], &[60.0, 40.0, 0.0])?;
/// let mut work = CascadeWork::new();
/// // Node 0 lost: node 2 keeps the 40 % it got from node 1.
/// c.solve(&[0.0, 1.0, 1.0], &[1.0, 1.0], 1e-9, 100, &mut work)?;
/// assert_eq!(work.fractions(), [0.0, 1.0, 0.4]);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Cascade {
    n: usize,
    /// In-edges of node `v`: `in_off[v]..in_off[v + 1]`.
    in_off: Vec<u32>,
    in_from: Vec<u32>,
    /// `f_uv`.
    in_tonnes: Vec<f64>,
    /// The caller's edge index, for the edge factor.
    in_edge: Vec<u32>,
    /// `o_v`.
    own: Vec<f64>,
    /// `S_v = o_v + Σ_u f_uv`, summed in the order `solve` sums.
    supply: Vec<f64>,
    /// Nodes, components upstream first.
    order: Vec<u32>,
    /// Component `i` is `order[comp_off[i]..comp_off[i + 1]]`.
    comp_off: Vec<u32>,
    cyclic: Vec<bool>,
    /// Where a loop member's in-edges from its own loop begin.
    in_loop: Vec<u32>,
    edge_count: usize,
}

/// Scratch space for [`Cascade::solve`], reusable across solves (one per
/// thread): the kept fractions it computes and the factor-weighted
/// tonnes.
#[derive(Debug, Clone, Default)]
pub struct CascadeWork {
    s: Vec<[f64; 1]>,
    k: Vec<[f64; 1]>,
    w: Vec<f64>,
    outside: Vec<[f64; 1]>,
}

impl CascadeWork {
    /// Empty scratch space.
    pub fn new() -> CascadeWork {
        CascadeWork::default()
    }

    /// The kept fraction `s_v` of every node, from the last solve.
    pub fn fractions(&self) -> &[f64] {
        self.s.as_flattened()
    }
}

/// Scratch space for [`Cascade::solve_batch`], reusable across batches
/// (one per thread): the kept fractions of every set in the last batch.
#[derive(Debug, Clone, Default)]
pub struct CascadeBatchWork {
    s: Vec<[f64; Cascade::BATCH]>,
    k: Vec<[f64; Cascade::BATCH]>,
    w: Vec<f64>,
    outside: Vec<[f64; Cascade::BATCH]>,
    sets: usize,
}

impl CascadeBatchWork {
    /// Empty scratch space.
    pub fn new() -> CascadeBatchWork {
        CascadeBatchWork::default()
    }

    /// The kept fraction `s_v` of every node for set `set` of the last
    /// batch, by node.
    ///
    /// # Panics
    /// When `set` is not below the number of sets in the last batch.
    pub fn fractions(&self, set: usize) -> impl ExactSizeIterator<Item = f64> + '_ {
        assert!(set < self.sets, "set {set} of a batch of {}", self.sets);
        self.s.iter().map(move |x| x[set])
    }

    /// The kept fraction of node `v` for set `set` of the last batch.
    ///
    /// # Panics
    /// When `set` is not below the number of sets in the last batch or `v`
    /// is not a node.
    pub fn fraction(&self, set: usize, v: usize) -> f64 {
        assert!(set < self.sets, "set {set} of a batch of {}", self.sets);
        self.s[v][set]
    }
}

impl Cascade {
    /// Compiles `n` nodes, `edges` `(from, to, tonnes)` and each node's own
    /// origination `own` (length `n`). Self-loops are ignored. O(V + E).
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] for a node index `>= n` or an `own` of
    /// the wrong length; [`Error::OutOfDomain`] for a negative or
    /// non-finite tonnage.
    pub fn new(n: usize, edges: &[(u32, u32, f64)], own: &[f64]) -> Result<Cascade> {
        if own.len() != n {
            return Err(Error::IndexOutOfRange {
                what: "own origination (one per node)",
                index: own.len() as u64,
                len: n as u64,
            });
        }
        let bad = |field: &'static str, x: f64| Error::OutOfDomain {
            field,
            value: x.to_string(),
            expected: "must be finite and non-negative".into(),
        };
        if let Some(&x) = own.iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
            return Err(bad("own origination", x));
        }
        let mut indeg = vec![0u32; n + 1];
        for &(u, v, f) in edges {
            for x in [u, v] {
                if x as usize >= n {
                    return Err(Error::IndexOutOfRange {
                        what: "cascade edge end",
                        index: u64::from(x),
                        len: n as u64,
                    });
                }
            }
            if !(f.is_finite() && f >= 0.0) {
                return Err(bad("edge tonnes", f));
            }
            if u != v {
                indeg[v as usize + 1] += 1;
            }
        }
        for i in 0..n {
            indeg[i + 1] += indeg[i];
        }
        let in_off = indeg;
        let m = in_off[n] as usize;
        let mut fill = in_off.clone();
        let (mut in_from, mut in_tonnes, mut in_edge) = (vec![0; m], vec![0.0; m], vec![0; m]);
        for (i, &(u, v, f)) in edges.iter().enumerate() {
            if u == v {
                continue;
            }
            let slot = fill[v as usize] as usize;
            fill[v as usize] += 1;
            in_from[slot] = u;
            in_tonnes[slot] = f;
            in_edge[slot] = i as u32;
        }
        let (order, comp_off, cyclic) = components(n, &in_off, &in_from);
        // Inside a loop, a node's in-edges from outside its component come
        // first and `in_loop[v]` marks where the loop's own edges begin: a
        // solve sums the outside part once and sweeps only the loop's edges.
        let mut comp_of = vec![0u32; n];
        for c in 0..cyclic.len() {
            for &v in &order[comp_off[c] as usize..comp_off[c + 1] as usize] {
                comp_of[v as usize] = c as u32;
            }
        }
        let mut in_loop = in_off[..n].to_vec();
        for v in 0..n {
            if !cyclic[comp_of[v] as usize] {
                continue;
            }
            let (a, b) = (in_off[v] as usize, in_off[v + 1] as usize);
            let mut slots: Vec<usize> = (a..b).collect();
            slots.sort_by_key(|&i| comp_of[in_from[i] as usize] == comp_of[v]);
            let from: Vec<u32> = slots.iter().map(|&i| in_from[i]).collect();
            let tonnes: Vec<f64> = slots.iter().map(|&i| in_tonnes[i]).collect();
            let edge: Vec<u32> = slots.iter().map(|&i| in_edge[i]).collect();
            in_from[a..b].copy_from_slice(&from);
            in_tonnes[a..b].copy_from_slice(&tonnes);
            in_edge[a..b].copy_from_slice(&edge);
            in_loop[v] = (a + from
                .iter()
                .take_while(|&&u| comp_of[u as usize] != comp_of[v])
                .count()) as u32;
        }
        // Summed in the order `solve` sums, so that with every factor 1 the
        // ratio is exactly 1 and the baseline is reproduced to the bit.
        let supply = (0..n)
            .map(|v| {
                let (a, b) = (in_off[v] as usize, in_off[v + 1] as usize);
                let mut x = own[v];
                for &f in &in_tonnes[a..b] {
                    x += f;
                }
                x
            })
            .collect();
        Ok(Cascade {
            n,
            in_off,
            in_from,
            in_tonnes,
            in_edge,
            own: own.to_vec(),
            supply,
            order,
            comp_off,
            cyclic,
            in_loop,
            edge_count: edges.len(),
        })
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.n
    }

    /// Each node's baseline supply `S_v = o_v + Σ_u f_uv`, by node.
    pub fn supply(&self) -> &[f64] {
        &self.supply
    }

    /// Whether the graph has a cycle (a recycling loop or trade at one
    /// stage), so that solves may sweep.
    pub fn has_cycles(&self) -> bool {
        self.cyclic.iter().any(|&c| c)
    }

    /// Solves for every node's kept fraction `s` (into `work`, see
    /// [`CascadeWork::fractions`]) under node factors `node` (length V) and edge
    /// factors `edge` (one per edge given to [`Cascade::new`], in that
    /// order), each clamped into [0, 1]. Returns the number of sweeps done
    /// in cyclic components (0 when acyclic). O(V + E) plus
    /// O(sweeps × E) in cyclic components.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] when a factor slice has the wrong length;
    /// [`Error::NotConverged`] when a cyclic component still changes by more
    /// than `tolerance` after `max_sweeps` sweeps.
    pub fn solve(
        &self,
        node: &[f64],
        edge: &[f64],
        tolerance: f64,
        max_sweeps: usize,
        work: &mut CascadeWork,
    ) -> Result<usize> {
        self.check_lengths(node, edge)?;
        let CascadeWork { s, k, w, outside } = work;
        k.clear();
        k.extend(node.iter().map(|&x| [clamp(x)]));
        let w = self.weights(edge, w);
        let [sweeps] = self.propagate(k, w, tolerance, max_sweeps, s, outside)?;
        Ok(sweeps)
    }

    /// How many factor sets [`Cascade::solve_batch`] solves at once: 8
    /// lanes of `f64`, one 64-byte cache line per node. On the peer
    /// benchmark's large graph 8 lanes beat 4 (1,000 scenarios, 2 threads:
    /// 0.72 s against 0.95 s), the sweeps the slowest lane adds costing
    /// less than the edge reads the extra lanes share.
    pub const BATCH: usize = 8;

    /// Solves up to [`Cascade::BATCH`] sets of node factors `nodes` (each
    /// of length V) at once, sharing the edge factors `edge`; set `i`'s
    /// fractions are then [`CascadeBatchWork::fractions`]`(i)`. The result
    /// of each set is the very one [`Cascade::solve`] gives it, to the
    /// bit: each set is swept on its own lane, and a set's lane stops
    /// changing at the sweep where `solve` would stop. Returns each set's
    /// sweep count. Same cost as one solve per set in memory traffic and
    /// index work, shared by the sets: O(V + E) plus O(sweeps × E) in
    /// cyclic components, `sweeps` the most any set needs there.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] when a factor slice has the wrong length
    /// or more than [`Cascade::BATCH`] sets are given;
    /// [`Error::NotConverged`] as for [`Cascade::solve`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::flow::{Cascade, CascadeBatchWork};
    /// let c = Cascade::new(3, &[(0, 2, 60.0), (1, 2, 40.0)], &[60.0, 40.0, 0.0])?;
    /// let mut work = CascadeBatchWork::new();
    /// let sets = [[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]];
    /// c.solve_batch(&sets, &[1.0, 1.0], 1e-9, 100, &mut work)?;
    /// assert_eq!(work.fractions(0).collect::<Vec<_>>(), [0.0, 1.0, 0.4]);
    /// assert_eq!(work.fractions(1).nth(2), Some(0.6));
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn solve_batch<F: AsRef<[f64]>>(
        &self,
        nodes: &[F],
        edge: &[f64],
        tolerance: f64,
        max_sweeps: usize,
        work: &mut CascadeBatchWork,
    ) -> Result<Vec<usize>> {
        if nodes.len() > Cascade::BATCH {
            return Err(Error::IndexOutOfRange {
                what: "factor sets in one batch (Cascade::BATCH)",
                index: nodes.len() as u64,
                len: Cascade::BATCH as u64,
            });
        }
        for set in nodes {
            self.check_lengths(set.as_ref(), edge)?;
        }
        let CascadeBatchWork {
            s,
            k,
            w,
            outside,
            sets,
        } = work;
        // Lanes without a set solve every factor 1: settled in one sweep,
        // then frozen.
        k.clear();
        k.resize(self.n, [1.0; Cascade::BATCH]);
        for (lane, set) in nodes.iter().enumerate() {
            for (kv, &x) in k.iter_mut().zip(set.as_ref()) {
                kv[lane] = clamp(x);
            }
        }
        *sets = nodes.len();
        let w = self.weights(edge, w);
        let sweeps = self.propagate(k, w, tolerance, max_sweeps, s, outside)?;
        Ok(sweeps[..nodes.len()].to_vec())
    }

    fn check_lengths(&self, node: &[f64], edge: &[f64]) -> Result<()> {
        if node.len() != self.n {
            return Err(Error::IndexOutOfRange {
                what: "node factors (one per node)",
                index: node.len() as u64,
                len: self.n as u64,
            });
        }
        if edge.len() != self.edge_count {
            return Err(Error::IndexOutOfRange {
                what: "edge factors (one per edge)",
                index: edge.len() as u64,
                len: self.edge_count as u64,
            });
        }
        Ok(())
    }

    /// The factor-weighted tonnes `f_uv · e_uv` in CSR order: the compiled
    /// tonnes themselves when every edge factor is 1 (the product would be
    /// the same bits), so a removal-only solve reads no edge factor.
    fn weights<'a>(&'a self, edge: &[f64], w: &'a mut Vec<f64>) -> &'a [f64] {
        if edge.iter().all(|&x| x == 1.0) {
            return &self.in_tonnes;
        }
        w.clear();
        w.extend(
            self.in_tonnes
                .iter()
                .zip(&self.in_edge)
                .map(|(&f, &e)| f * clamp(edge[e as usize])),
        );
        w
    }

    /// The solve proper, on `L` lanes of node factors `k` at once (the
    /// factors applied once by the caller, so the sweeps read two arrays).
    /// Every lane does exactly the arithmetic a one-lane solve does, in
    /// the same order; a lane whose loop has settled is frozen while the
    /// others sweep on. Returns each lane's sweep count.
    fn propagate<const L: usize>(
        &self,
        k: &[[f64; L]],
        w: &[f64],
        tolerance: f64,
        max_sweeps: usize,
        s: &mut Vec<[f64; L]>,
        outside: &mut Vec<[f64; L]>,
    ) -> Result<[usize; L]> {
        s.clear();
        s.extend_from_slice(k);
        let mut sweeps = [0usize; L];
        for c in 0..self.cyclic.len() {
            let members = &self.order[self.comp_off[c] as usize..self.comp_off[c + 1] as usize];
            if !self.cyclic[c] {
                let v = members[0] as usize;
                let total = self.supply[v];
                if total <= 0.0 {
                    // Nothing flows in and nothing originates: only the
                    // node's own factor, already in `s`.
                    continue;
                }
                let (a, b) = (self.in_off[v] as usize, self.in_off[v + 1] as usize);
                let x = self.sum([self.own[v]; L], &w[a..b], &self.in_from[a..b], s);
                for (l, x) in x.into_iter().enumerate() {
                    s[v][l] = k[v][l] * (x / total).min(1.0);
                }
                continue;
            }
            // The part from outside the loop is final: sum it once.
            outside.clear();
            for &v in members {
                let v = v as usize;
                let (a, b) = (self.in_off[v] as usize, self.in_loop[v] as usize);
                outside.push(self.sum([self.own[v]; L], &w[a..b], &self.in_from[a..b], s));
            }
            let mut live = [true; L];
            let mut done = [0usize; L];
            loop {
                let all_live = !live.contains(&false);
                let mut change = [0.0f64; L];
                for (&v, &base) in members.iter().zip(outside.iter()) {
                    let v = v as usize;
                    let total = self.supply[v];
                    let x = if total <= 0.0 {
                        k[v]
                    } else {
                        let (a, b) = (self.in_loop[v] as usize, self.in_off[v + 1] as usize);
                        let mut x = self.sum(base, &w[a..b], &self.in_from[a..b], s);
                        for (x, &kv) in x.iter_mut().zip(&k[v]) {
                            *x = kv * (*x / total).min(1.0);
                        }
                        x
                    };
                    let sv = &mut s[v];
                    if all_live {
                        for l in 0..L {
                            change[l] = change[l].max((x[l] - sv[l]).abs());
                        }
                        *sv = x;
                    } else {
                        for l in 0..L {
                            if live[l] {
                                change[l] = change[l].max((x[l] - sv[l]).abs());
                                sv[l] = x[l];
                            }
                        }
                    }
                }
                for l in 0..L {
                    if !live[l] {
                        continue;
                    }
                    done[l] += 1;
                    if change[l] <= tolerance {
                        live[l] = false;
                    } else if done[l] >= max_sweeps {
                        return Err(Error::NotConverged {
                            what: format!("cascade in a loop of {} nodes", members.len()),
                            sweeps: done[l],
                            residual: change[l],
                        });
                    }
                }
                if !live.contains(&true) {
                    break;
                }
            }
            for l in 0..L {
                sweeps[l] += done[l];
            }
        }
        Ok(sweeps)
    }

    /// `x + Σ_i w_i · s[from_i]` on every lane, summed in edge order (the
    /// order `supply` was summed in).
    #[inline(always)]
    fn sum<const L: usize>(
        &self,
        mut x: [f64; L],
        w: &[f64],
        from: &[u32],
        s: &[[f64; L]],
    ) -> [f64; L] {
        for (wi, &u) in w.iter().zip(from) {
            let su = &s[u as usize];
            for l in 0..L {
                x[l] += wi * su[l];
            }
        }
        x
    }
}

/// A factor clamped into [0, 1], NaN read as 0.
fn clamp(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) }
}

/// Strongly connected components of the graph whose in-edges are given in
/// CSR form, in topological order (a component before every component it
/// feeds), by Tarjan's algorithm on the reversed graph, iterative. Returns
/// the nodes in that order, the component offsets, and whether each
/// component holds a cycle. O(V + E).
fn components(n: usize, in_off: &[u32], in_from: &[u32]) -> (Vec<u32>, Vec<u32>, Vec<bool>) {
    // Tarjan on in-edges emits a component after every component it
    // reaches through in-edges, i.e. every upstream component: emission
    // order is already upstream first.
    const NONE: u32 = u32::MAX;
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut call: Vec<(u32, u32)> = Vec::new();
    let mut next = 0u32;
    let mut order = Vec::with_capacity(n);
    // DFS finish order: a node finishes after the upstream nodes it reaches
    // (back edges aside), so sweeping a loop in finish order moves every
    // change downstream within one sweep and only the loop's closing edges
    // need more.
    let mut finish = vec![0u32; n];
    let mut finished = 0u32;
    let mut comp_off = vec![0u32];
    let mut cyclic = Vec::new();
    for root in 0..n as u32 {
        if index[root as usize] != NONE {
            continue;
        }
        call.push((root, in_off[root as usize]));
        index[root as usize] = next;
        low[root as usize] = next;
        next += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        while let Some(&mut (v, ref mut pos)) = call.last_mut() {
            let vi = v as usize;
            if *pos < in_off[vi + 1] {
                let w = in_from[*pos as usize];
                *pos += 1;
                let wi = w as usize;
                if index[wi] == NONE {
                    index[wi] = next;
                    low[wi] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[wi] = true;
                    call.push((w, in_off[wi]));
                } else if on_stack[wi] {
                    low[vi] = low[vi].min(index[wi]);
                }
                continue;
            }
            call.pop();
            finish[vi] = finished;
            finished += 1;
            if let Some(&(p, _)) = call.last() {
                low[p as usize] = low[p as usize].min(low[vi]);
            }
            if low[vi] == index[vi] {
                let start = order.len();
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    order.push(w);
                    if w == v {
                        break;
                    }
                }
                let size = order.len() - start;
                order[start..].sort_unstable_by_key(|&w| finish[w as usize]);
                // A single node is cyclic only with a self-loop, and
                // self-loops were dropped.
                cyclic.push(size > 1);
                comp_off.push(order.len() as u32);
            }
        }
    }
    (order, comp_off, cyclic)
}
