//! Upstream origin of a node's supply, and the share of it that passes
//! through a country (the model is in the [module docs](crate::analysis)).

use std::collections::BTreeMap;
use std::fmt;

use petgraph::Direction;
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::{EdgeRef, NodeIndexable};
use serde::{Deserialize, Serialize};

use super::text::{Align, Table};
use crate::chain::{NodeId, NodeKey, SupplyChain};
use crate::error::{Error, Result};
use crate::model::{Country, Share, Stage, Tonnes};

/// How recycled material is attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecyclingOrigin {
    /// Trace it back through the recycling node's inputs (end-of-life
    /// products) to where it was first mined (default).
    #[default]
    TraceThrough,
    /// Count a recycling node as an origin of its own: secondary supply
    /// originates where it is recovered.
    AsOrigin,
}

/// Options for [`SupplyChain::origin`] and [`SupplyChain::pass_through`].
///
/// # Example
/// ```
/// use critical_minerals::analysis::{OriginOptions, RecyclingOrigin};
/// let opts = OriginOptions::new().tolerance(1e-10).recycling(RecyclingOrigin::AsOrigin);
/// assert_eq!(opts.max_sweeps, 10_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OriginOptions {
    /// Relative change below which a cyclic component counts as settled
    /// (default `1e-12`).
    pub tolerance: f64,
    /// Sweeps allowed per cyclic component before giving up (default
    /// 10,000).
    pub max_sweeps: usize,
    /// How recycled material is attributed.
    pub recycling: RecyclingOrigin,
}

impl Default for OriginOptions {
    fn default() -> OriginOptions {
        OriginOptions {
            tolerance: 1e-12,
            max_sweeps: 10_000,
            recycling: RecyclingOrigin::TraceThrough,
        }
    }
}

impl OriginOptions {
    /// Tolerance `1e-12`, 10,000 sweeps, recycling traced through.
    pub fn new() -> OriginOptions {
        OriginOptions::default()
    }

    /// Sets the relative tolerance.
    pub fn tolerance(mut self, tolerance: f64) -> OriginOptions {
        self.tolerance = tolerance;
        self
    }

    /// Sets the sweep limit per cyclic component.
    pub fn max_sweeps(mut self, max_sweeps: usize) -> OriginOptions {
        self.max_sweeps = max_sweeps;
        self
    }

    /// Sets how recycled material is attributed.
    pub fn recycling(mut self, recycling: RecyclingOrigin) -> OriginOptions {
        self.recycling = recycling;
        self
    }

    fn validate(&self) -> Result<()> {
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(Error::OutOfDomain {
                field: "origin tolerance",
                value: self.tolerance.to_string(),
                expected: "must be finite and positive".into(),
            });
        }
        if self.max_sweeps == 0 {
            return Err(Error::OutOfDomain {
                field: "origin max_sweeps",
                value: "0".into(),
                expected: "must be at least 1".into(),
            });
        }
        Ok(())
    }
}

/// Why a node counts as an origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginKind {
    /// Mine output (an extraction node, or an exploration node): its own
    /// output if it has a figure, else what it ships beyond its inputs.
    Extraction,
    /// A recycling node under [`RecyclingOrigin::AsOrigin`].
    Recycling,
    /// A processing, refining or manufacturing node (or a recycling node
    /// when traced through) that ships material but has no recorded
    /// inputs: domestic supply the chain does not explain, attributed to
    /// that node's country and stage.
    Unexplained,
    /// A node in a loop that no material enters and none originates in
    /// (trade going round in a circle with no source): its supply cannot
    /// be traced, so it is attributed to the first node of the loop the
    /// walk reaches. For [`SupplyChain::pass_through`] the walk still
    /// meets every node of the loop.
    ClosedLoop,
}

impl OriginKind {
    /// Whether this is a traced origin (extraction or recycling) rather
    /// than a gap in the chain.
    pub fn is_traced(self) -> bool {
        matches!(self, OriginKind::Extraction | OriginKind::Recycling)
    }
}

impl fmt::Display for OriginKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            OriginKind::Extraction => "extraction",
            OriginKind::Recycling => "recycling",
            OriginKind::Unexplained => "unexplained (no inputs)",
            OriginKind::ClosedLoop => "closed loop (no source)",
        })
    }
}

/// A share of supply attributed to one origin.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OriginSource {
    /// The origin's country.
    pub country: Country,
    /// The origin node's stage.
    pub stage: Stage,
    /// Why it is an origin.
    pub kind: OriginKind,
    /// Its share of the target's supply.
    pub share: Share,
}

/// A country's share of something.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CountryShare {
    /// The country.
    pub country: Country,
    /// Its share.
    pub share: Share,
}

/// Where a node's supply originates; see [`SupplyChain::origin`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    /// The target node.
    pub target: NodeKey,
    /// The target's supply: its inflow plus what it originates itself.
    pub supply: Tonnes,
    /// Share by country (every kind of origin), largest first, ties by
    /// code. Sums to 1.
    pub by_country: Vec<CountryShare>,
    /// Share by origin node (country, stage, kind), largest first.
    pub sources: Vec<OriginSource>,
    /// The part that is not traced to extraction or recycling
    /// ([`OriginKind::Unexplained`] and [`OriginKind::ClosedLoop`]).
    pub untraced: Share,
    /// Nodes upstream of the target (the target included).
    pub upstream_nodes: usize,
    /// Flows among them.
    pub upstream_flows: usize,
    /// Gauss–Seidel sweeps over cyclic components, summed.
    pub sweeps: usize,
    /// How far the unnormalised shares summed from 1 (a measure of the
    /// solve's error).
    pub residual: f64,
}

impl Origin {
    /// The share originating in `country` (zero when none does).
    pub fn share_of(&self, country: Country) -> Share {
        share_in(&self.by_country, country)
    }
}

/// The share of a node's supply that passes through each country at any
/// stage; see [`SupplyChain::pass_through_all`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassThrough {
    /// The target node.
    pub target: NodeKey,
    /// Every country with a node upstream of the target, largest share
    /// first, ties by code. Shares do not add up to 1: material passes
    /// through several countries.
    pub shares: Vec<CountryShare>,
}

impl PassThrough {
    /// The share passing through `country` (zero when it is not upstream).
    pub fn share_of(&self, country: Country) -> Share {
        share_in(&self.shares, country)
    }
}

const NONE: u32 = u32::MAX;

/// A node of the upstream subgraph.
#[derive(Debug, Clone, Copy)]
struct UpNode {
    country: Country,
    stage: Stage,
    /// Probability that material at this node originated here.
    beta: f64,
    kind: OriginKind,
}

/// The target's upstream subgraph in compact form, with its components.
#[derive(Debug)]
struct Upstream {
    /// The target's key (its node is compact index 0).
    target: NodeKey,
    nodes: Vec<UpNode>,
    /// Consumers of node `i` within the subgraph: `to[off[i]..off[i+1]]`,
    /// with `w` the share of the consumer's supply that comes from `i`.
    off: Vec<u32>,
    to: Vec<u32>,
    w: Vec<f64>,
    /// Components, downstream first: nodes `comp_nodes[comp_off[c]..comp_off[c+1]]`.
    comp_off: Vec<u32>,
    comp_nodes: Vec<u32>,
    comp_of: Vec<u32>,
    /// Whether component `c` has a cycle (needs sweeps).
    cyclic: Vec<bool>,
    supply: Tonnes,
    flows: usize,
}

impl Upstream {
    /// Collects the nodes upstream of `target` (compact index 0) and their
    /// weights. O(V_up + E_up), plus one O(V) allocation for the index map.
    fn build(chain: &SupplyChain, target: NodeId, options: &OriginOptions) -> Result<Upstream> {
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
    fn visits(
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

/// The share of `country` in `shares` (zero when it has no row).
fn share_in(shares: &[CountryShare], country: Country) -> Share {
    shares
        .iter()
        .find(|c| c.country == country)
        .map_or(Share::ZERO, |c| c.share)
}

/// Country, name and share of each row, in the given order.
fn country_table(shares: &[CountryShare]) -> Table {
    let mut t = Table::new(["country", "name", "share"]).align(1, Align::Left);
    for c in shares {
        t.row([
            c.country.to_string(),
            c.country.name().to_string(),
            c.share.to_string(),
        ]);
    }
    t
}

fn sort_shares(v: &mut [CountryShare]) {
    v.sort_by(|a, b| {
        b.share
            .get()
            .total_cmp(&a.share.get())
            .then(a.country.cmp(&b.country))
    });
}

impl SupplyChain {
    /// Where the supply of `target` originates, by country and by origin
    /// node, for every origin country at once: traced upstream through
    /// every intermediary in proportion to flows (each node's supply is a
    /// mix of its inputs in proportion to their tonnes), through recycling
    /// and trade loops (see the [module docs](crate::analysis) for the
    /// linear system and the tolerance).
    ///
    /// For a country's stage, the target is that node:
    /// `chain.node_id(&NodeKey::new(country, mineral, stage))`.
    ///
    /// Origins: an extraction (or exploration) node originates its own
    /// output (its output figure, else what it ships beyond its inputs);
    /// imported ore passes through it. A later-stage node with no recorded
    /// inputs is [`OriginKind::Unexplained`]: its supply is attributed to
    /// its own country and stage and counted in [`Origin::untraced`].
    ///
    /// Complexity: O(V + V_up + E_up + E_c × s): one O(V) index map, a
    /// breadth-first pass and Tarjan's components over the V_up nodes and
    /// E_up flows upstream of the target, then s sweeps over the E_c flows
    /// inside loops (s ≈ log(tolerance) / log(recirculation rate); a chain
    /// without loops needs none).
    ///
    /// # Errors
    /// [`Error::UnknownNode`] when `target` is not in the chain;
    /// [`Error::OutOfDomain`] for a tolerance that is not positive or a
    /// zero sweep limit; [`Error::NotConverged`] when a loop does not settle
    /// within `max_sweeps`.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::OriginOptions, Country, Flow, Mineral, Node, Stage,
    ///     SupplyChain, Tonnes};
    /// let mut chain = SupplyChain::new();
    /// let ree = Mineral::RARE_EARTHS;
    /// let mine = chain.add_node(Node::new(Country::CHN, ree.clone(), Stage::Extraction)
    ///     .output(Tonnes::new(100.0)?))?;
    /// let refinery = chain.add_node(Node::new(Country::JPN, ree.clone(), Stage::Refining))?;
    /// let magnets = chain.add_node(Node::new(Country::USA, ree.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(mine, refinery, Flow::new(Tonnes::new(50.0)?))?;
    /// chain.add_flow(refinery, magnets, Flow::new(Tonnes::new(40.0)?))?;
    /// // A US magnet maker that buys from Japan still depends on Chinese mining.
    /// let o = chain.origin(magnets, &OriginOptions::new())?;
    /// assert_eq!(o.share_of(Country::CHN).get(), 1.0);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn origin(&self, target: NodeId, options: &OriginOptions) -> Result<Origin> {
        options.validate()?;
        let up = Upstream::build(self, target, options)?;
        let (y, sweeps, _) = up.visits(None, options)?;
        let mut by_source: BTreeMap<(Country, Stage, OriginKind), f64> = BTreeMap::new();
        let mut total = 0.0;
        for (i, n) in up.nodes.iter().enumerate() {
            let m = y[i] * n.beta;
            if m > 0.0 {
                *by_source.entry((n.country, n.stage, n.kind)).or_insert(0.0) += m;
                total += m;
            }
        }
        let mut by_country_map: BTreeMap<Country, f64> = BTreeMap::new();
        let mut untraced = 0.0;
        let mut sources: Vec<OriginSource> = by_source
            .into_iter()
            .map(|((country, stage, kind), m)| {
                *by_country_map.entry(country).or_insert(0.0) += m;
                if !kind.is_traced() {
                    untraced += m;
                }
                OriginSource {
                    country,
                    stage,
                    kind,
                    share: Share::ratio(m, total),
                }
            })
            .collect();
        sources.sort_by(|a, b| {
            b.share
                .get()
                .total_cmp(&a.share.get())
                .then((a.country, a.stage, a.kind).cmp(&(b.country, b.stage, b.kind)))
        });
        let mut by_country: Vec<CountryShare> = by_country_map
            .into_iter()
            .map(|(country, m)| CountryShare {
                country,
                share: Share::ratio(m, total),
            })
            .collect();
        sort_shares(&mut by_country);
        Ok(Origin {
            target: up.target,
            supply: up.supply,
            by_country,
            sources,
            untraced: Share::ratio(untraced, total),
            upstream_nodes: up.nodes.len(),
            upstream_flows: up.flows,
            sweeps,
            residual: (1.0 - total).abs(),
        })
    }

    /// The share of `target`'s supply that passes through `country` at any
    /// stage upstream of it (the "vulnerability" of Cheng et al. 2024,
    /// *Nature Communications* 15, doi:10.1038/s41467-024-46418-1): the
    /// probability that the upstream walk of [`SupplyChain::origin`] meets a
    /// node of `country`. Always at least the share originating there; 1
    /// when the target itself is in `country`.
    ///
    /// A closed loop ([`OriginKind::ClosedLoop`]: trade going round with no
    /// source) is one origin for [`SupplyChain::origin`], but a walk that
    /// enters it goes round it for ever, so it meets every country of the
    /// loop: the share reaching the loop passes through all of them.
    ///
    /// Complexity: as [`SupplyChain::origin`], for one country.
    ///
    /// # Errors
    /// As [`SupplyChain::origin`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::OriginOptions, Country, Flow, Mineral, Node, Stage,
    ///     SupplyChain, Tonnes};
    /// let mut chain = SupplyChain::new();
    /// let ree = Mineral::RARE_EARTHS;
    /// let au = chain.add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction))?;
    /// let cn = chain.add_node(Node::new(Country::CHN, ree.clone(), Stage::Refining))?;
    /// let my = chain.add_node(Node::new(Country::MYS, ree.clone(), Stage::Refining))?;
    /// let us = chain.add_node(Node::new(Country::USA, ree.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(au, cn, Flow::new(Tonnes::new(60.0)?))?;
    /// chain.add_flow(au, my, Flow::new(Tonnes::new(40.0)?))?;
    /// chain.add_flow(cn, us, Flow::new(Tonnes::new(30.0)?))?;
    /// chain.add_flow(my, us, Flow::new(Tonnes::new(10.0)?))?;
    /// // All of it is Australian ore, and 30 of the 40 t were refined in China.
    /// let opts = OriginOptions::new();
    /// assert_eq!(chain.origin(us, &opts)?.share_of(Country::AUS).get(), 1.0);
    /// assert!((chain.pass_through(us, Country::CHN, &opts)?.get() - 0.75).abs() < 1e-12);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn pass_through(
        &self,
        target: NodeId,
        country: Country,
        options: &OriginOptions,
    ) -> Result<Share> {
        options.validate()?;
        let up = Upstream::build(self, target, options)?;
        up.pass_share(country, options)
    }

    /// [`SupplyChain::pass_through`] for every country with a node upstream
    /// of `target`, sharing one upstream pass.
    ///
    /// Complexity: O(V + K × (V_up + E_up + E_c × s)) for the K countries
    /// upstream (one absorbing walk per country).
    ///
    /// # Errors
    /// As [`SupplyChain::origin`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::OriginOptions, Country, Flow, Mineral, Node, Stage,
    ///     SupplyChain, Tonnes};
    /// let mut chain = SupplyChain::new();
    /// let co = Mineral::COBALT;
    /// let cd = chain.add_node(Node::new(Country::COD, co.clone(), Stage::Extraction))?;
    /// let cn = chain.add_node(Node::new(Country::CHN, co.clone(), Stage::Refining))?;
    /// let jp = chain.add_node(Node::new(Country::JPN, co.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(cd, cn, Flow::new(Tonnes::new(100.0)?))?;
    /// chain.add_flow(cn, jp, Flow::new(Tonnes::new(20.0)?))?;
    /// let p = chain.pass_through_all(jp, &OriginOptions::new())?;
    /// assert_eq!(p.share_of(Country::CHN).get(), 1.0);
    /// assert_eq!(p.shares.len(), 3);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn pass_through_all(&self, target: NodeId, options: &OriginOptions) -> Result<PassThrough> {
        options.validate()?;
        let up = Upstream::build(self, target, options)?;
        let countries: std::collections::BTreeSet<Country> =
            up.nodes.iter().map(|n| n.country).collect();
        let mut shares = Vec::with_capacity(countries.len());
        for c in countries {
            shares.push(CountryShare {
                country: c,
                share: up.pass_share(c, options)?,
            });
        }
        sort_shares(&mut shares);
        Ok(PassThrough {
            target: up.target,
            shares,
        })
    }
}

impl Upstream {
    fn pass_share(&self, country: Country, options: &OriginOptions) -> Result<Share> {
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

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Upstream origin of {} (supply {}; {} nodes, {} flows upstream)",
            self.target, self.supply, self.upstream_nodes, self.upstream_flows
        )?;
        country_table(&self.by_country).write(f, "  ")?;
        writeln!(f, "  By origin node:")?;
        let mut t = Table::new(["country", "stage", "kind", "share"])
            .align(1, Align::Left)
            .align(2, Align::Left);
        for s in &self.sources {
            t.row([
                s.country.to_string(),
                s.stage.to_string(),
                s.kind.to_string(),
                s.share.to_string(),
            ]);
        }
        t.write(f, "  ")?;
        if self.untraced.get() > 0.0 {
            writeln!(
                f,
                "  {} of the supply is not traced to extraction: nodes that ship more than the \
                 chain records them receiving.",
                self.untraced
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for PassThrough {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Share of {}'s supply passing through each country",
            self.target
        )?;
        country_table(&self.shares).write(f, "  ")
    }
}
