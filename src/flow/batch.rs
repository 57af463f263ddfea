//! The batch removal engine: deliverable supply under many sets of removed
//! nodes, warm-started from one baseline maximum flow. Monte Carlo
//! disruption and node / country criticality are built on it.
//!
//! How a removal is answered without solving from scratch:
//! 1. only the weakly connected components (without source and sink) that
//!    contain a removed node *carrying baseline flow* can change: a flow
//!    that avoids every removed node stays feasible, hence maximal;
//! 2. in such a component, start from the baseline flow, zero the split arc
//!    of each removed node and cancel its flow: push its excess back
//!    towards the source (or around a recycling loop) and pull its deficit
//!    back from the sink, along arcs that carry flow;
//! 3. re-augment (Dinic), at most by what was lost and never past the
//!    sink-side bound (what the live suppliers of the targets can bring in):
//!    when the flow already meets that bound, the final search that would
//!    only prove optimality is skipped.
//!
//! Cost of one removal set: O(arcs touched by the cancellation walks) plus a
//! few Dinic phases on each affected component; unaffected components cost
//! nothing.
//!
//! The result is the exact maximum flow of the reduced network (integer
//! arithmetic), so it does not depend on the order of work or the number of
//! threads.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::flow::FlowNetwork;
use crate::flow::maxflow::{Component, Graph, MaxFlow, Solved, Work};

/// A [`FlowNetwork`] with its maximum flow solved once, answering
/// "deliverable supply if these nodes fail" for one or many removal sets.
///
/// Build it once (one maximum flow), then ask as many questions as needed;
/// batches run in parallel on rayon's pool and give the same numbers
/// whatever the thread count. Removing each node alone
/// ([`SupplyEngine::supply_without_each_node`]) and minimum cuts
/// ([`SupplyEngine::min_cut_arcs`]) use the same baseline.
///
/// # Example
/// ```
/// use critical_minerals::flow::{FlowNetwork, NetEdge, SupplyEngine};
/// let e = |from, to, capacity| NetEdge { from, to, capacity };
/// // Supply at 0 and 1, both through hub 2 to target 3; 1 also direct to 3.
/// let net = FlowNetwork::new(4, vec![e(0, 2, 5), e(1, 2, 5), e(2, 3, 8), e(1, 3, 1)],
///     vec![(0, 5), (1, 6)], vec![(3, 100)])?;
/// let engine = SupplyEngine::new(&net);
/// assert_eq!(engine.baseline(), 9);
/// assert_eq!(engine.supply_without(&[2])?, 1);
/// assert_eq!(engine.supply_without_each(&[vec![0], vec![1], vec![0, 1]])?, vec![6, 5, 0]);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SupplyEngine<'a> {
    net: &'a FlowNetwork,
    pub(crate) solved: Solved,
}

/// Per-thread scratch space.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    work: Work,
    walker: Walker,
    res: Vec<i64>,
    by_comp: Vec<Vec<u32>>,
    touched: Vec<u32>,
}

impl<'a> SupplyEngine<'a> {
    /// Solves the baseline maximum flow of `net`. O(one max flow): Dinic per
    /// weakly connected component, components in parallel.
    pub fn new(net: &'a FlowNetwork) -> SupplyEngine<'a> {
        SupplyEngine {
            net,
            solved: Solved::new(net),
        }
    }

    /// The network.
    pub fn network(&self) -> &'a FlowNetwork {
        self.net
    }

    /// The baseline maximum flow value, in units.
    pub fn baseline(&self) -> i64 {
        self.solved.value
    }

    /// The baseline maximum flow with the flow on every arc. O(V + E).
    pub fn max_flow(&self) -> MaxFlow {
        MaxFlow::from_solved(self.net, &self.solved)
    }

    /// The baseline flow through a real node, in units (0 for an index out
    /// of range). A node carrying no flow cannot lower the maximum when it
    /// alone is removed.
    pub fn node_flow(&self, v: u32) -> i64 {
        self.solved.node_flow(v)
    }

    pub(crate) fn scratch(&self) -> Scratch {
        Scratch {
            by_comp: vec![Vec::new(); self.solved.comps.len()],
            ..Scratch::default()
        }
    }

    fn check(&self, removed: &[u32]) -> Result<()> {
        let n = self.net.node_count();
        match removed.iter().find(|&&v| v as usize >= n) {
            Some(&v) => Err(Error::IndexOutOfRange {
                what: "removed node",
                index: u64::from(v),
                len: n as u64,
            }),
            None => Ok(()),
        }
    }

    /// Maximum flow with the nodes `removed` taken out, in units.
    /// Duplicates are harmless. Cost: for each component holding a removed
    /// node that carries flow, one copy of its residuals, the cancellation
    /// walks and a few Dinic phases on that component; other components cost
    /// nothing.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] for an index `>= node_count()`.
    pub fn supply_without(&self, removed: &[u32]) -> Result<i64> {
        self.check(removed)?;
        Ok(self.without(removed, &mut self.scratch()))
    }

    /// [`SupplyEngine::supply_without`] for every set, in parallel (rayon);
    /// results in the order of `sets` and identical whatever the thread
    /// count.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] for an index `>= node_count()` in any set
    /// (checked before any work).
    pub fn supply_without_each(&self, sets: &[Vec<u32>]) -> Result<Vec<i64>> {
        for s in sets {
            self.check(s)?;
        }
        Ok(sets
            .par_iter()
            .map_init(|| self.scratch(), |scr, set| self.without(set, scr))
            .collect())
    }

    /// Maximum flow with each real node removed alone, in units, indexed by
    /// compact node. Nodes carrying no baseline flow get the baseline
    /// without any solving; the rest re-solve their component from the
    /// baseline flow, in parallel. Worst case O(V · one component max
    /// flow); identical results whatever the thread count.
    pub fn supply_without_each_node(&self) -> Vec<i64> {
        let n = self.network().node_count();
        let base = self.baseline();
        let carrying: Vec<u32> = (0..n as u32).filter(|&v| self.node_flow(v) > 0).collect();
        let vals: Vec<i64> = carrying
            .par_iter()
            .map_init(|| self.scratch(), |scr, &v| self.without(&[v], scr))
            .collect();
        let mut out = vec![base; n];
        for (&v, x) in carrying.iter().zip(vals) {
            out[v as usize] = x;
        }
        out
    }

    /// The core of every removal query; indices already checked.
    pub(crate) fn without(&self, removed: &[u32], scr: &mut Scratch) -> i64 {
        let s = &self.solved;
        for &v in removed {
            let c = s.comp_of[v as usize];
            if c == u32::MAX {
                continue;
            }
            if scr.by_comp[c as usize].is_empty() {
                scr.touched.push(c);
            }
            scr.by_comp[c as usize].push(s.local_of[v as usize]);
        }
        let mut total = s.value;
        let touched = std::mem::take(&mut scr.touched);
        for &c in &touched {
            let list = std::mem::take(&mut scr.by_comp[c as usize]);
            let comp = &s.comps[c as usize];
            let carries = list
                .iter()
                .any(|&l| comp.flow_on(&comp.base, comp.split[l as usize]) > 0);
            if carries {
                scr.res.clear();
                scr.res.extend_from_slice(&comp.base);
                let v = remove_in(comp, &mut scr.work, &mut scr.walker, &mut scr.res, &list);
                total -= comp.base_value - v;
            }
            let mut list = list;
            list.clear();
            scr.by_comp[c as usize] = list;
        }
        scr.touched = touched;
        scr.touched.clear();
        total
    }
}

/// Walks that cancel flow along arcs that carry it (flow decomposition),
/// reusable across removals of any component.
#[derive(Debug, Default)]
pub(crate) struct Walker {
    /// Scan position per node, valid when `stamp[u] == now`.
    ptr: Vec<u32>,
    stamp: Vec<u32>,
    now: u32,
    /// Position of a node on the current path (`u32::MAX`: not on it).
    pos: Vec<u32>,
    /// Remaining deficit of removed nodes' `out` halves.
    deficit: Vec<i64>,
    path: Vec<u32>,
    nodes: Vec<u32>,
}

impl Walker {
    fn ensure(&mut self, n: usize) {
        if self.ptr.len() < n {
            self.ptr.resize(n, 0);
            self.stamp.resize(n, 0);
            self.pos.resize(n, u32::MAX);
            self.deficit.resize(n, 0);
        }
    }

    /// Starts a new removal: every scan position becomes stale.
    fn next_round(&mut self) {
        self.now = self.now.wrapping_add(1);
        if self.now == 0 {
            self.stamp.iter_mut().for_each(|x| *x = 0);
            self.now = 1;
        }
    }

    /// Cancels `amount` of flow starting at `x`: with `BACKWARD`, against the
    /// flow (towards the source, ending at the source or at a node with a
    /// deficit); otherwise along it (towards the sink). Flow cycles met on
    /// the way are cancelled too. Returns what ended at the source.
    ///
    /// Every walk step either empties an arc's flow (for good: flows only
    /// decrease here) or finishes a path, so the cost is O(arcs touched ×
    /// path length).
    fn cancel<const BACKWARD: bool>(
        &mut self,
        g: &Graph,
        res: &mut [i64],
        x: u32,
        mut amount: i64,
        terminal: u32,
    ) -> i64 {
        let mut to_terminal = 0i64;
        // Residual arc along which the walk pushes when it uses arc `c`.
        let along = |c: usize| if BACKWARD { c } else { g.rev[c] as usize };
        self.path.clear();
        self.nodes.clear();
        self.nodes.push(x);
        self.pos[x as usize] = 0;
        let mut u = x;
        while amount > 0 {
            let arrived = u != x && (u == terminal || (BACKWARD && self.deficit[u as usize] > 0));
            if arrived {
                let mut d = amount;
                if u != terminal {
                    d = d.min(self.deficit[u as usize]);
                }
                for &c in &self.path {
                    d = d.min(res[along(c as usize)]);
                }
                for &c in &self.path {
                    let r = along(c as usize);
                    res[r] -= d;
                    res[g.rev[r] as usize] += d;
                }
                amount -= d;
                if u == terminal {
                    to_terminal += d;
                } else {
                    self.deficit[u as usize] -= d;
                }
                for &v in &self.nodes {
                    self.pos[v as usize] = u32::MAX;
                }
                self.path.clear();
                self.nodes.clear();
                self.nodes.push(x);
                self.pos[x as usize] = 0;
                u = x;
                continue;
            }
            let ui = u as usize;
            if self.stamp[ui] != self.now {
                self.stamp[ui] = self.now;
                self.ptr[ui] = g.off[ui];
            }
            let end = g.off[ui + 1];
            let mut found = None;
            while self.ptr[ui] < end {
                let c = self.ptr[ui] as usize;
                let usable = if BACKWARD {
                    g.cap[c] == 0
                } else {
                    g.cap[c] > 0
                };
                if usable && res[along(c)] > 0 {
                    found = Some(c);
                    break;
                }
                self.ptr[ui] += 1;
            }
            match found {
                Some(c) => {
                    let v = g.head[c];
                    let p = self.pos[v as usize];
                    if p != u32::MAX {
                        // A flow cycle v → … → u → v: cancel it, back up to v.
                        let p = p as usize;
                        let mut d = res[along(c)];
                        for &a in &self.path[p..] {
                            d = d.min(res[along(a as usize)]);
                        }
                        for a in self.path[p..]
                            .iter()
                            .map(|&a| a as usize)
                            .chain(std::iter::once(c))
                        {
                            let r = along(a);
                            res[r] -= d;
                            res[g.rev[r] as usize] += d;
                        }
                        for &w in &self.nodes[p + 1..] {
                            self.pos[w as usize] = u32::MAX;
                        }
                        self.nodes.truncate(p + 1);
                        self.path.truncate(p);
                        u = v;
                    } else {
                        self.path.push(c as u32);
                        self.pos[v as usize] = self.nodes.len() as u32;
                        self.nodes.push(v);
                        u = v;
                    }
                }
                None => {
                    // No flow through u any more: back up.
                    match self.path.pop() {
                        None => break,
                        Some(_) => {
                            self.pos[ui] = u32::MAX;
                            self.nodes.pop();
                            u = *self.nodes.last().unwrap_or(&x);
                            // Never enter the dead end again.
                            self.ptr[u as usize] += 1;
                        }
                    }
                }
            }
        }
        for &v in &self.nodes {
            self.pos[v as usize] = u32::MAX;
        }
        debug_assert_eq!(
            amount, 0,
            "flow decomposition guarantees the walk completes"
        );
        to_terminal
    }
}

/// Removes the local nodes `list` from `comp` starting from residuals `res`
/// (a maximum flow) and returns the new maximum flow value of the component.
pub(crate) fn remove_in(
    comp: &Component,
    work: &mut Work,
    walker: &mut Walker,
    res: &mut [i64],
    list: &[u32],
) -> i64 {
    let g = &comp.g;
    let (s, t) = (comp.source(), comp.sink());
    walker.ensure(g.node_count());
    walker.next_round();
    // Zero every removed node first, so no walk routes through one.
    let mut excess = Vec::new();
    for &l in list {
        let a = comp.split[l as usize] as usize;
        // The flow on the split arc (0 when this node was listed before).
        let f = res[g.rev[a] as usize];
        res[a] = 0;
        res[g.rev[a] as usize] = 0;
        if f > 0 {
            excess.push((2 * l, f));
            walker.deficit[2 * l as usize + 1] += f;
        }
    }
    // Each excess goes back to the source or, around a loop, to a removed
    // node's deficit; what went to the source is pulled back from the sink.
    let mut lost = 0i64;
    for &(vin, f) in &excess {
        lost += walker.cancel::<true>(g, res, vin, f, s);
    }
    // Scan positions were advanced for backward walks only.
    walker.next_round();
    for &l in list {
        let vout = 2 * l + 1;
        let d = walker.deficit[vout as usize];
        if d > 0 {
            walker.deficit[vout as usize] = 0;
            walker.cancel::<false>(g, res, vout, d, t);
        }
    }
    if lost > 0 {
        // No augmenting search can beat the sink-side bound; when the flow
        // already meets it (common: the binding cut sits at the targets) the
        // final, failing search that proves optimality is skipped.
        let room = sink_bound(comp, res)
            .saturating_sub(comp.value(res))
            .min(lost);
        if room > 0 {
            work.flow::<true>(g, res, s, t, room);
        }
    }
    comp.value(res)
}

/// An upper bound of the component's maximum flow under the current
/// capacities: each target drains at most its drain, its own limit and what
/// its live suppliers' arcs can bring in. O(sum of the targets' degrees).
fn sink_bound(comp: &Component, res: &[i64]) -> i64 {
    let g = &comp.g;
    let s = comp.source();
    // A node's current capacity: its split arc's residual plus its flow (0
    // once removed).
    let capacity = |l: usize| {
        let a = comp.split[l] as usize;
        res[a] + res[g.rev[a] as usize]
    };
    let mut bound = 0i64;
    for &(_, d) in &comp.demand_arcs {
        let l = (g.tail(d) / 2) as usize;
        let own = capacity(l);
        if own == 0 {
            continue;
        }
        let tin = 2 * l;
        let mut incoming = 0i64;
        for b in g.off[tin] as usize..g.off[tin + 1] as usize {
            if g.cap[b] != 0 {
                continue;
            }
            let tail = g.head[b];
            let live =
                tail == s || (tail % 2 == 1 && tail < s && capacity((tail / 2) as usize) > 0);
            if live {
                incoming = incoming.saturating_add(g.cap[g.rev[b] as usize]);
            }
        }
        bound = bound.saturating_add(incoming.min(own).min(g.cap[d as usize]));
    }
    bound
}
