//! The solver behind [`SupplyChain::origin`] and
//! [`SupplyChain::pass_through`]: the target's upstream subgraph in compact
//! form, its strongly connected components, and the expected-visits system
//! solved component by component (the model is in the
//! [module docs](crate::analysis)).

use petgraph::Direction;
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::{EdgeRef, NodeIndexable};

use super::{OriginKind, OriginOptions, RecyclingOrigin};
use crate::chain::{NodeId, NodeKey, SupplyChain};
use crate::error::{Error, Result};
use crate::model::{Country, Share, Stage, Tonnes};

const NONE: u32 = u32::MAX;

/// A node of the upstream subgraph.
#[derive(Debug, Clone, Copy)]
pub(super) struct UpNode {
    pub(super) country: Country,
    pub(super) stage: Stage,
    /// Probability that material at this node originated here.
    pub(super) beta: f64,
    pub(super) kind: OriginKind,
}

/// The target's upstream subgraph in compact form, with its components.
#[derive(Debug)]
pub(super) struct Upstream {
    /// The target's key (its node is compact index 0).
    pub(super) target: NodeKey,
    pub(super) nodes: Vec<UpNode>,
    /// Consumers of node `i` within the subgraph: `to[off[i]..off[i+1]]`,
    /// with `w` the share of the consumer's supply that comes from `i`.
    pub(super) off: Vec<u32>,
    pub(super) to: Vec<u32>,
    pub(super) w: Vec<f64>,
    /// Components, downstream first: nodes `comp_nodes[comp_off[c]..comp_off[c+1]]`.
    pub(super) comp_off: Vec<u32>,
    pub(super) comp_nodes: Vec<u32>,
    pub(super) comp_of: Vec<u32>,
    /// Whether component `c` has a cycle (needs sweeps).
    pub(super) cyclic: Vec<bool>,
    pub(super) supply: Tonnes,
    pub(super) flows: usize,
}

impl Upstream {
    /// Collects the nodes upstream of `target` (compact index 0) and their
    /// weights. O(V_up + E_up), plus one O(V) allocation for the index map.
    pub(super) fn build(
        chain: &SupplyChain,
        target: NodeId,
        options: &OriginOptions,
    ) -> Result<Upstream> {
        let g = chain.graph();
        if !g.contains_node(target.index()) {
            return Err(Error::UnknownNode { id: target });
        }
        let mut compact = vec![NONE; g.node_bound()];
        let mut order: Vec<NodeIndex<u32>> = vec![target.index()];
        compact[target.index().index()] = 0;
        let mut nodes = Vec::new();
        // (supplier, consumer, tonnes) in compact indices.
        let mut edges: Vec<(u32, u32, f64)> = Vec::new();
        let mut supply = Tonnes::ZERO;
        let mut head = 0;
        while head < order.len() {
            let ix = order[head];
            let i = head as u32;
            head += 1;
            let node = &g[ix];
            let inflow: f64 = g
                .edges_directed(ix, Direction::Incoming)
                .map(|e| e.weight().tonnes.get())
                .sum();
            let stage = node.key.stage;
            let outflow = || -> f64 {
                g.edges_directed(ix, Direction::Outgoing)
                    .map(|e| e.weight().tonnes.get())
                    .sum()
            };
            let (own, kind) = match stage {
                Stage::Exploration | Stage::Extraction => {
                    let own = node
                        .output
                        .map_or_else(|| (outflow() - inflow).max(0.0), |o| o.get());
                    (own, OriginKind::Extraction)
                }
                Stage::Recycling if options.recycling == RecyclingOrigin::AsOrigin => {
                    (inflow, OriginKind::Recycling)
                }
                _ if inflow <= 0.0 => (
                    node.output.map_or_else(outflow, |o| o.get()),
                    OriginKind::Unexplained,
                ),
                _ => (0.0, OriginKind::Unexplained),
            };
            // Origins that take in nothing, and recycling counted as an
            // origin, end the walk: their inputs are not followed.
            let terminal = inflow <= 0.0 || kind == OriginKind::Recycling;
            let denom = if kind == OriginKind::Recycling {
                own
            } else {
                own + inflow
            };
            let beta = if terminal || denom <= 0.0 {
                1.0
            } else {
                own / denom
            };
            if i == 0 {
                supply = Tonnes::new(denom).unwrap_or(Tonnes::ZERO);
            }
            nodes.push(UpNode {
                country: node.key.country,
                stage,
                beta,
                kind,
            });
            if terminal {
                continue;
            }
            for e in g.edges_directed(ix, Direction::Incoming) {
                let t = e.weight().tonnes.get();
                if t <= 0.0 {
                    continue;
                }
                let s = e.source();
                let slot = &mut compact[s.index()];
                if *slot == NONE {
                    *slot = order.len() as u32;
                    order.push(s);
                }
                edges.push((*slot, i, t / denom));
            }
        }
        let n = nodes.len();
        let flows = edges.len();
        let mut off = vec![0u32; n + 1];
        for &(s, _, _) in &edges {
            off[s as usize + 1] += 1;
        }
        for i in 0..n {
            off[i + 1] += off[i];
        }
        let mut fill = off.clone();
        let mut to = vec![0u32; flows];
        let mut w = vec![0.0; flows];
        for &(s, c, a) in &edges {
            let slot = fill[s as usize] as usize;
            to[slot] = c;
            w[slot] = a;
            fill[s as usize] += 1;
        }
        let mut up = Upstream {
            target: g[target.index()].key.clone(),
            nodes,
            off,
            to,
            w,
            comp_off: Vec::new(),
            comp_nodes: Vec::new(),
            comp_of: Vec::new(),
            cyclic: Vec::new(),
            supply,
            flows,
        };
        up.components();
        up.close_loops(&edges);
        Ok(up)
    }

    /// Tarjan's strongly connected components on the supplier → consumer
    /// edges, iteratively (no recursion, so deep chains cannot overflow the
    /// stack). Tarjan emits a component after every component it reaches,
    /// so consumers come first: the order the visits are solved in. O(V + E).
    fn components(&mut self) {
        let n = self.nodes.len();
        let mut index = vec![NONE; n];
        let mut low = vec![0u32; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<u32> = Vec::new();
        let mut call: Vec<(u32, u32)> = Vec::new();
        let mut counter = 0u32;
        self.comp_of = vec![NONE; n];
        self.comp_off = vec![0];
        for root in 0..n as u32 {
            if index[root as usize] != NONE {
                continue;
            }
            index[root as usize] = counter;
            low[root as usize] = counter;
            counter += 1;
            stack.push(root);
            on_stack[root as usize] = true;
            call.push((root, self.off[root as usize]));
            while let Some(&mut (v, ref mut pos)) = call.last_mut() {
                let vi = v as usize;
                if *pos < self.off[vi + 1] {
                    let wn = self.to[*pos as usize];
                    *pos += 1;
                    let wi = wn as usize;
                    if index[wi] == NONE {
                        index[wi] = counter;
                        low[wi] = counter;
                        counter += 1;
                        stack.push(wn);
                        on_stack[wi] = true;
                        call.push((wn, self.off[wi]));
                    } else if on_stack[wi] {
                        low[vi] = low[vi].min(index[wi]);
                    }
                    continue;
                }
                call.pop();
                if let Some(&(u, _)) = call.last() {
                    low[u as usize] = low[u as usize].min(low[vi]);
                }
                if low[vi] == index[vi] {
                    let c = (self.comp_off.len() - 1) as u32;
                    let start = self.comp_nodes.len();
                    while let Some(x) = stack.pop() {
                        on_stack[x as usize] = false;
                        self.comp_of[x as usize] = c;
                        self.comp_nodes.push(x);
                        if x == v {
                            break;
                        }
                    }
                    let cyclic = self.comp_nodes.len() - start > 1;
                    if cyclic {
                        // Gauss–Seidel converges fastest when consumers are
                        // updated before their suppliers: downstream stages
                        // first, recycling (which feeds the rest) last.
                        let nodes = &self.nodes;
                        self.comp_nodes[start..]
                            .sort_by_key(|&x| (sweep_rank(nodes[x as usize].stage), x));
                    }
                    self.cyclic.push(cyclic);
                    self.comp_off.push(self.comp_nodes.len() as u32);
                }
            }
        }
    }

    /// Turns every node of a closed loop (a cyclic component that nothing
    /// enters and nothing originates in) into an origin of its own, and
    /// drops the edges inside it, so the walk stops where it enters. O(E).
    fn close_loops(&mut self, edges: &[(u32, u32, f64)]) {
        let comps = self.cyclic.len();
        let mut open = vec![false; comps];
        for (c, o) in open.iter_mut().enumerate() {
            *o = !self.cyclic[c];
        }
        for &(s, c, _) in edges {
            if self.comp_of[s as usize] != self.comp_of[c as usize] {
                open[self.comp_of[c as usize] as usize] = true;
            }
        }
        for (i, n) in self.nodes.iter().enumerate() {
            if n.beta > 0.0 {
                open[self.comp_of[i] as usize] = true;
            }
        }
        if open.iter().all(|o| *o) {
            return;
        }
        for (i, n) in self.nodes.iter_mut().enumerate() {
            if !open[self.comp_of[i] as usize] {
                n.beta = 1.0;
                n.kind = OriginKind::ClosedLoop;
            }
        }
        for i in 0..self.nodes.len() {
            let ci = self.comp_of[i];
            if open[ci as usize] {
                continue;
            }
            for slot in self.off[i] as usize..self.off[i + 1] as usize {
                if self.comp_of[self.to[slot] as usize] == ci {
                    self.w[slot] = 0.0;
                }
            }
        }
        for (c, o) in open.iter().enumerate() {
            if !o {
                self.cyclic[c] = false;
            }
        }
    }

    /// Expected visits `y` of the upstream walk from the target. With
    /// `absorb`, the walk stops at the first node of that country (its
    /// visits there are first arrivals). Returns `(y, sweeps, residual)`.
    /// O(V_up + E_up) plus O(E_cyclic) per sweep.
    pub(super) fn visits(
        &self,
        absorb: Option<Country>,
        options: &OriginOptions,
    ) -> Result<(Vec<f64>, usize, f64)> {
        let n = self.nodes.len();
        let mut y = vec![0.0f64; n];
        let mut sweeps = 0usize;
        let mut worst = 0.0f64;
        let pass = |i: usize, y: &[f64]| -> f64 {
            let mut v = if i == 0 { 1.0 } else { 0.0 };
            for slot in self.off[i] as usize..self.off[i + 1] as usize {
                let k = self.to[slot] as usize;
                if absorb.is_some_and(|x| self.nodes[k].country == x) {
                    continue;
                }
                v += self.w[slot] * y[k];
            }
            v
        };
        for c in 0..self.cyclic.len() {
            let members =
                &self.comp_nodes[self.comp_off[c] as usize..self.comp_off[c + 1] as usize];
            if !self.cyclic[c] {
                for &i in members {
                    y[i as usize] = pass(i as usize, &y);
                }
                continue;
            }
            let mut settled = false;
            let mut change = 0.0;
            for _ in 0..options.max_sweeps {
                sweeps += 1;
                change = 0.0f64;
                let mut scale = 1.0f64;
                for &i in members {
                    let v = pass(i as usize, &y);
                    change = change.max((v - y[i as usize]).abs());
                    scale = scale.max(v.abs());
                    y[i as usize] = v;
                }
                if change <= options.tolerance * scale {
                    settled = true;
                    break;
                }
            }
            worst = worst.max(change);
            if !settled {
                return Err(Error::NotConverged {
                    what: "upstream origin (a recycling or trade loop)".into(),
                    sweeps: options.max_sweeps,
                    residual: change,
                });
            }
        }
        Ok((y, sweeps, worst))
    }
}

/// Order of stages within a sweep (see [`Upstream::components`]).
fn sweep_rank(s: Stage) -> u8 {
    match s {
        Stage::Manufacturing => 0,
        Stage::Refining => 1,
        Stage::Processing => 2,
        Stage::Extraction => 3,
        Stage::Exploration => 4,
        Stage::Recycling => 5,
    }
}

impl Upstream {
    pub(super) fn pass_share(&self, country: Country, options: &OriginOptions) -> Result<Share> {
        if self.nodes.first().is_some_and(|t| t.country == country) {
            return Ok(Share::ONE);
        }
        if !self.nodes.iter().any(|n| n.country == country) {
            return Ok(Share::ZERO);
        }
        let (z, _, _) = self.visits(Some(country), options)?;
        // The walk stops where it enters a closed loop (its inner edges are
        // dropped), but the real walk would go round it for ever and, the
        // loop being strongly connected, meet every node of it: entering a
        // closed loop that holds a node of `country` meets `country`.
        let mut loop_meets = vec![false; self.cyclic.len()];
        for (i, n) in self.nodes.iter().enumerate() {
            if n.kind == OriginKind::ClosedLoop && n.country == country {
                loop_meets[self.comp_of[i] as usize] = true;
            }
        }
        let hit: f64 = self
            .nodes
            .iter()
            .enumerate()
            .zip(&z)
            .filter(|((i, n), _)| {
                n.country == country
                    || (n.kind == OriginKind::ClosedLoop && loop_meets[self.comp_of[*i] as usize])
            })
            .map(|(_, v)| *v)
            .sum();
        Ok(Share::ratio(hit, 1.0))
    }
}
