//! Maximum flow on compact arrays: Dinic's algorithm with current arcs on a
//! CSR residual graph with paired reverse arcs, solved per weakly connected
//! component.
//!
//! Why Dinic rather than push-relabel: supply chains are shallow (five
//! stages plus recycling loops), so Dinic needs few phases, and it augments
//! from any feasible flow, which is what the warm-started removals of
//! [`SupplyEngine`](crate::flow::SupplyEngine) need. Measured against
//! igraph's push-relabel in `examples/perf.rs`.
//!
//! Levels are distances *to the sink*, found by a backward search: in supply
//! chains the binding cut usually sits near the targets, so that search
//! stays small (large peer graph: 25 → 15 ms against a forward search).
//!
//! Every real node is split into `in → out` (the node's limit on that arc,
//! or an unbounded capacity): removing a node is then zeroing one arc.

use rayon::prelude::*;

use crate::flow::FlowNetwork;

/// Networks with fewer edges are solved on the calling thread.
pub(crate) const PARALLEL_MIN_EDGES: usize = 5_000;

const UNSEEN: u32 = u32::MAX;
const DEAD: u32 = u32::MAX - 1;

/// A residual graph in CSR form: the arcs out of local node `u` are
/// `off[u]..off[u + 1]`; `rev[a]` is the paired arc; `cap[a]` the original
/// capacity (0 for the reverse arc of a pair, which is how a reverse arc is
/// recognised).
#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    pub(crate) off: Vec<u32>,
    pub(crate) head: Vec<u32>,
    pub(crate) rev: Vec<u32>,
    pub(crate) cap: Vec<i64>,
}

impl Graph {
    /// Builds from `(tail, head, capacity)` arcs on `n` nodes; returns the
    /// graph and, per input arc, the index of its forward arc. Within a node,
    /// arcs keep input order (forward and reverse interleaved as given).
    pub(crate) fn build(n: usize, arcs: &[(u32, u32, i64)]) -> (Graph, Vec<u32>) {
        let mut off = vec![0u32; n + 1];
        for &(a, b, _) in arcs {
            off[a as usize + 1] += 1;
            off[b as usize + 1] += 1;
        }
        for i in 0..n {
            off[i + 1] += off[i];
        }
        let m = off[n] as usize;
        let mut fill: Vec<u32> = off[..n].to_vec();
        let mut head = vec![0u32; m];
        let mut rev = vec![0u32; m];
        let mut cap = vec![0i64; m];
        let mut fwd = Vec::with_capacity(arcs.len());
        for &(a, b, c) in arcs {
            let x = fill[a as usize];
            fill[a as usize] += 1;
            let y = fill[b as usize];
            fill[b as usize] += 1;
            head[x as usize] = b;
            cap[x as usize] = c;
            rev[x as usize] = y;
            head[y as usize] = a;
            cap[y as usize] = 0;
            rev[y as usize] = x;
            fwd.push(x);
        }
        (
            Graph {
                off,
                head,
                rev,
                cap,
            },
            fwd,
        )
    }

    pub(crate) fn node_count(&self) -> usize {
        self.off.len() - 1
    }

    /// The arc's tail.
    #[inline]
    pub(crate) fn tail(&self, a: u32) -> u32 {
        self.head[self.rev[a as usize] as usize]
    }
}

/// Scratch space for Dinic phases on one [`Graph`]; reusable across calls.
#[derive(Debug, Clone, Default)]
pub(crate) struct Work {
    level: Vec<u32>,
    cur: Vec<u32>,
    queue: Vec<u32>,
    path: Vec<u32>,
}

impl Work {
    pub(crate) fn ensure(&mut self, n: usize) {
        if self.level.len() < n {
            self.level.resize(n, UNSEEN);
            self.cur.resize(n, 0);
        }
    }

    /// Sends up to `limit` units from `src` to `sink` along residual arcs
    /// (`res > 0`) and returns the amount sent. Dinic with current arcs:
    /// O(V² E) worst case, a few phases on supply chains. With `FROM_SINK`
    /// the level graph is built by a backward search from the sink (distance
    /// to the sink) instead of a forward one from the source: the same
    /// shortest-path layering, found from whichever end the caller expects
    /// to be cheaper to explore.
    pub(crate) fn flow<const FROM_SINK: bool>(
        &mut self,
        g: &Graph,
        res: &mut [i64],
        src: u32,
        sink: u32,
        limit: i64,
    ) -> i64 {
        self.ensure(g.node_count());
        let mut total = 0i64;
        while total < limit {
            let reached = if FROM_SINK {
                self.bfs_from_sink(g, res, src, sink)
            } else {
                self.bfs(g, res, src, sink)
            };
            let sent = if reached {
                self.dfs::<FROM_SINK>(g, res, src, sink, limit - total)
            } else {
                0
            };
            self.reset();
            total += sent;
            if sent == 0 {
                break;
            }
        }
        total
    }

    fn reset(&mut self) {
        for &v in &self.queue {
            self.level[v as usize] = UNSEEN;
        }
        self.queue.clear();
    }

    /// Levels = distance from `src`; stops expanding at the sink's level.
    /// Leaves the visited nodes in `queue` for [`Work::reset`].
    fn bfs(&mut self, g: &Graph, res: &[i64], src: u32, sink: u32) -> bool {
        self.queue.clear();
        self.level[src as usize] = 0;
        self.cur[src as usize] = g.off[src as usize];
        self.queue.push(src);
        let mut sink_level = UNSEEN;
        let mut qi = 0;
        while qi < self.queue.len() {
            let u = self.queue[qi];
            qi += 1;
            let lu = self.level[u as usize];
            if lu + 1 >= sink_level {
                break;
            }
            let (a0, a1) = (g.off[u as usize] as usize, g.off[u as usize + 1] as usize);
            for (&r, &v) in res[a0..a1].iter().zip(&g.head[a0..a1]) {
                if r <= 0 {
                    continue;
                }
                let v = v as usize;
                if self.level[v] == UNSEEN {
                    self.level[v] = lu + 1;
                    self.cur[v] = g.off[v];
                    self.queue.push(v as u32);
                    if v as u32 == sink {
                        sink_level = lu + 1;
                    }
                }
            }
        }
        sink_level != UNSEEN
    }

    /// Levels = distance to `sink` in the residual graph, by a backward
    /// search; stops once `src` is labelled.
    fn bfs_from_sink(&mut self, g: &Graph, res: &[i64], src: u32, sink: u32) -> bool {
        self.queue.clear();
        self.level[sink as usize] = 0;
        self.cur[sink as usize] = g.off[sink as usize];
        self.queue.push(sink);
        let mut qi = 0;
        while qi < self.queue.len() {
            let v = self.queue[qi];
            qi += 1;
            let lv = self.level[v as usize];
            let (a0, a1) = (g.off[v as usize] as usize, g.off[v as usize + 1] as usize);
            for b in a0..a1 {
                // Arc b is v → u; its pair is the arc u → v.
                if res[g.rev[b] as usize] <= 0 {
                    continue;
                }
                let u = g.head[b] as usize;
                if self.level[u] == UNSEEN {
                    self.level[u] = lv + 1;
                    self.cur[u] = g.off[u];
                    self.queue.push(u as u32);
                    if u as u32 == src {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Blocking flow on the level graph with current arcs; iterative.
    fn dfs<const FROM_SINK: bool>(
        &mut self,
        g: &Graph,
        res: &mut [i64],
        src: u32,
        sink: u32,
        limit: i64,
    ) -> i64 {
        let mut total = 0i64;
        self.path.clear();
        let mut u = src;
        loop {
            if u == sink {
                let mut b = limit - total;
                for &a in &self.path {
                    b = b.min(res[a as usize]);
                }
                for &a in &self.path {
                    res[a as usize] -= b;
                    res[g.rev[a as usize] as usize] += b;
                }
                total += b;
                if total >= limit {
                    break;
                }
                // Resume from the tail of the first saturated arc.
                let k = self
                    .path
                    .iter()
                    .position(|&a| res[a as usize] == 0)
                    .unwrap_or(0);
                u = g.tail(self.path[k]);
                self.path.truncate(k);
                continue;
            }
            let end = g.off[u as usize + 1];
            let lu = self.level[u as usize];
            let mut next = None;
            while self.cur[u as usize] < end {
                let a = self.cur[u as usize] as usize;
                let v = g.head[a];
                let lv = self.level[v as usize];
                let on_level = if FROM_SINK {
                    lv < DEAD && lv + 1 == lu
                } else {
                    lv == lu + 1
                };
                if res[a] > 0 && on_level {
                    next = Some((a as u32, v));
                    break;
                }
                self.cur[u as usize] += 1;
            }
            match next {
                Some((a, v)) => {
                    self.path.push(a);
                    u = v;
                }
                None => {
                    self.level[u as usize] = DEAD;
                    match self.path.pop() {
                        None => break,
                        Some(a) => {
                            u = g.tail(a);
                            self.cur[u as usize] += 1;
                        }
                    }
                }
            }
        }
        total
    }
}

/// What a component is built from: its real nodes, its arcs and, per arc
/// after the split arcs, what it is (0 edge, 1 supply, 2 demand) and its index.
type CompParts = ((Vec<u32>, Vec<(u32, u32, i64)>), Vec<(u8, u32)>);

/// One weakly connected component of the network (without source and sink)
/// that has both supply and demand, as its own residual graph: local real
/// node `i` is `in = 2i`, `out = 2i + 1`; source `2k`, sink `2k + 1`.
#[derive(Debug, Clone)]
pub(crate) struct Component {
    pub(crate) g: Graph,
    /// Compact index of each local real node.
    pub(crate) real: Vec<u32>,
    /// Split arc (`in → out`) of each local real node.
    pub(crate) split: Vec<u32>,
    /// `(edge index in FlowNetwork::edges, forward arc)`.
    pub(crate) edge_arcs: Vec<(u32, u32)>,
    /// `(supply index, forward arc)` and `(demand index, forward arc)`.
    pub(crate) supply_arcs: Vec<(u32, u32)>,
    pub(crate) demand_arcs: Vec<(u32, u32)>,
    /// Residual capacities of the baseline maximum flow.
    pub(crate) base: Vec<i64>,
    pub(crate) base_value: i64,
}

impl Component {
    pub(crate) fn source(&self) -> u32 {
        2 * self.real.len() as u32
    }

    pub(crate) fn sink(&self) -> u32 {
        2 * self.real.len() as u32 + 1
    }

    /// Flow out of the source under the residuals `res`.
    pub(crate) fn value(&self, res: &[i64]) -> i64 {
        let s = self.source() as usize;
        (self.g.off[s] as usize..self.g.off[s + 1] as usize)
            .map(|a| self.g.cap[a] - res[a])
            .sum()
    }

    /// Flow on an arc under the residuals `res`.
    #[inline]
    pub(crate) fn flow_on(&self, res: &[i64], a: u32) -> i64 {
        self.g.cap[a as usize] - res[a as usize]
    }
}

/// The network decomposed into components, each solved to a maximum flow.
#[derive(Debug, Clone)]
pub(crate) struct Solved {
    pub(crate) comps: Vec<Component>,
    /// Component of each compact node (`u32::MAX`: in none that carries
    /// supply to a target).
    pub(crate) comp_of: Vec<u32>,
    /// Local index of each compact node within its component.
    pub(crate) local_of: Vec<u32>,
    pub(crate) value: i64,
    /// The unbounded capacity used for nodes without a limit.
    pub(crate) unbounded: i64,
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[parent[x as usize] as usize];
        parent[x as usize] = p;
        x = p;
    }
    x
}

impl Solved {
    /// Decomposes and solves. O(V + E) plus one Dinic per component; the
    /// components are solved in parallel.
    pub(crate) fn new(net: &FlowNetwork) -> Solved {
        let n = net.node_count();
        let unbounded = net.total_supply().saturating_add(1);
        let mut parent: Vec<u32> = (0..n as u32).collect();
        for e in net.edges() {
            if e.capacity > 0 {
                let (a, b) = (find(&mut parent, e.from), find(&mut parent, e.to));
                if a != b {
                    // Union by smaller root keeps the result deterministic.
                    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                    parent[hi as usize] = lo;
                }
            }
        }
        let mut root_of = vec![0u32; n];
        for v in 0..n as u32 {
            root_of[v as usize] = find(&mut parent, v);
        }
        let mut has_supply = vec![false; n];
        let mut has_demand = vec![false; n];
        for &(v, c) in net.supply() {
            if c > 0 {
                has_supply[root_of[v as usize] as usize] = true;
            }
        }
        for &(v, c) in net.demand() {
            if c > 0 {
                has_demand[root_of[v as usize] as usize] = true;
            }
        }
        // Components in order of their smallest node (the root).
        let mut comp_of_root = vec![u32::MAX; n];
        let mut members: Vec<Vec<u32>> = Vec::new();
        let mut comp_of = vec![u32::MAX; n];
        let mut local_of = vec![u32::MAX; n];
        for v in 0..n {
            let r = root_of[v] as usize;
            if !(has_supply[r] && has_demand[r]) {
                continue;
            }
            if comp_of_root[r] == u32::MAX {
                comp_of_root[r] = members.len() as u32;
                members.push(Vec::new());
            }
            let c = comp_of_root[r];
            comp_of[v] = c;
            local_of[v] = members[c as usize].len() as u32;
            members[c as usize].push(v as u32);
        }
        let k = members.len();
        let mut arcs: Vec<Vec<(u32, u32, i64)>> = members
            .iter()
            .map(|m| {
                m.iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        let lim = net.node_limit(v).map_or(unbounded, |l| l.min(unbounded));
                        (2 * i as u32, 2 * i as u32 + 1, lim)
                    })
                    .collect()
            })
            .collect();
        let mut tags: Vec<Vec<(u8, u32)>> = vec![Vec::new(); k];
        for (ei, e) in net.edges().iter().enumerate() {
            let c = comp_of[e.from as usize];
            if e.capacity > 0 && c != u32::MAX {
                let (lu, lv) = (local_of[e.from as usize], local_of[e.to as usize]);
                arcs[c as usize].push((2 * lu + 1, 2 * lv, e.capacity));
                tags[c as usize].push((0, ei as u32));
            }
        }
        for (si, &(v, cap)) in net.supply().iter().enumerate() {
            let c = comp_of[v as usize];
            if cap > 0 && c != u32::MAX {
                let s = 2 * members[c as usize].len() as u32;
                arcs[c as usize].push((s, 2 * local_of[v as usize], cap));
                tags[c as usize].push((1, si as u32));
            }
        }
        for (di, &(v, cap)) in net.demand().iter().enumerate() {
            let c = comp_of[v as usize];
            if cap > 0 && c != u32::MAX {
                let t = 2 * members[c as usize].len() as u32 + 1;
                arcs[c as usize].push((2 * local_of[v as usize] + 1, t, cap));
                tags[c as usize].push((2, di as u32));
            }
        }
        let build = |((real, arcs), tags): CompParts| {
            let nn = 2 * real.len() + 2;
            let (g, fwd) = Graph::build(nn, &arcs);
            let split = fwd[..real.len()].to_vec();
            let mut edge_arcs = Vec::new();
            let mut supply_arcs = Vec::new();
            let mut demand_arcs = Vec::new();
            for (&(kind, idx), &a) in tags.iter().zip(&fwd[real.len()..]) {
                match kind {
                    0 => edge_arcs.push((idx, a)),
                    1 => supply_arcs.push((idx, a)),
                    _ => demand_arcs.push((idx, a)),
                }
            }
            let mut res = g.cap.clone();
            let s = 2 * real.len() as u32;
            let mut work = Work::default();
            // Levels from the sink: on supply chains whose binding cut is
            // near the targets, the backward search stays smaller.
            let value = work.flow::<true>(&g, &mut res, s, s + 1, i64::MAX);
            Component {
                g,
                real,
                split,
                edge_arcs,
                supply_arcs,
                demand_arcs,
                base: res,
                base_value: value,
            }
        };
        // Below a few thousand arcs a thread hand-off costs more than it saves.
        let comps: Vec<Component> = if net.edges().len() < PARALLEL_MIN_EDGES {
            members.into_iter().zip(arcs).zip(tags).map(build).collect()
        } else {
            members
                .into_par_iter()
                .zip(arcs.into_par_iter())
                .zip(tags.into_par_iter())
                .map(build)
                .collect()
        };
        let value = comps.iter().map(|c| c.base_value).sum();
        Solved {
            comps,
            comp_of,
            local_of,
            value,
            unbounded,
        }
    }

    /// The baseline flow through a compact node (0 outside every component).
    pub(crate) fn node_flow(&self, v: u32) -> i64 {
        match self.comp_of.get(v as usize) {
            Some(&c) if c != u32::MAX => {
                let comp = &self.comps[c as usize];
                let l = self.local_of[v as usize];
                comp.flow_on(&comp.base, comp.split[l as usize])
            }
            _ => 0,
        }
    }
}

/// A maximum flow: its value and the flow on every edge, supply and demand
/// arc of the [`FlowNetwork`], in units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxFlow {
    /// The flow value (units).
    pub value: i64,
    /// Flow on each edge of [`FlowNetwork::edges`].
    pub edge_flows: Vec<i64>,
    /// Flow on each supply arc of [`FlowNetwork::supply`].
    pub supply_flows: Vec<i64>,
    /// Flow on each demand arc of [`FlowNetwork::demand`].
    pub demand_flows: Vec<i64>,
    /// Flow through each real node.
    pub node_flows: Vec<i64>,
}

impl MaxFlow {
    pub(crate) fn from_solved(net: &FlowNetwork, s: &Solved) -> MaxFlow {
        let mut edge_flows = vec![0; net.edges().len()];
        let mut supply_flows = vec![0; net.supply().len()];
        let mut demand_flows = vec![0; net.demand().len()];
        let mut node_flows = vec![0; net.node_count()];
        for c in &s.comps {
            for &(i, a) in &c.edge_arcs {
                edge_flows[i as usize] = c.flow_on(&c.base, a);
            }
            for &(i, a) in &c.supply_arcs {
                supply_flows[i as usize] = c.flow_on(&c.base, a);
            }
            for &(i, a) in &c.demand_arcs {
                demand_flows[i as usize] = c.flow_on(&c.base, a);
            }
            for (l, &v) in c.real.iter().enumerate() {
                node_flows[v as usize] = c.flow_on(&c.base, c.split[l]);
            }
        }
        MaxFlow {
            value: s.value,
            edge_flows,
            supply_flows,
            demand_flows,
            node_flows,
        }
    }
}

impl FlowNetwork {
    /// The maximum flow value from source to sink, in units. Dinic per
    /// weakly connected component (components in parallel): O(V² E) worst
    /// case, near-linear on layered supply chains.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::flow::{FlowNetwork, NetEdge};
    /// let e = |from, to, capacity| NetEdge { from, to, capacity };
    /// // Two parallel routes 0→1→3 (cap 4) and 0→2→3 (cap 2).
    /// let net = FlowNetwork::new(4, vec![e(0, 1, 4), e(1, 3, 9), e(0, 2, 2), e(2, 3, 9)],
    ///     vec![(0, 100)], vec![(3, 100)])?;
    /// assert_eq!(net.max_flow_value(), 6);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn max_flow_value(&self) -> i64 {
        Solved::new(self).value
    }

    /// A maximum flow with the flow on every arc. Same cost as
    /// [`FlowNetwork::max_flow_value`].
    pub fn max_flow(&self) -> MaxFlow {
        MaxFlow::from_solved(self, &Solved::new(self))
    }
}
