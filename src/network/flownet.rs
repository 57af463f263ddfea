//! The flow network behind deliverable supply, criticality and minimum cuts.
//!
//! # Semantics
//!
//! A [`FlowNetwork`] is built for one mineral (or all of them) and a
//! [`Target`]:
//!
//! * a **super-source** feeds every extraction node up to its output (or its
//!   capacity, with [`NodeLimit::Capacity`]); an extraction node with neither
//!   figure is fed up to the tonnes it ships (the sum of its out-flows), which
//!   is also the rule of the peer benchmark's files;
//! * every node passes at most its limit (output or capacity, see
//!   [`NodeLimit`]; a node with neither figure is not a constraint). Node
//!   limits are modelled by **node splitting**: `v` becomes `v_in → v_out`
//!   with the limit on that arc;
//! * every flow carries at most its observed tonnes. Flows of zero tonnes are
//!   dropped by default; with [`FlowOptions::allow_zero_flows`] they are kept
//!   as links of unbounded capacity (a trade link that exists but carried
//!   nothing this year may still carry what its two ends can pass);
//! * every target node drains into a **super-sink** without limit of its own
//!   (its node limit still applies).
//!
//! **Deliverable supply** is the maximum flow from super-source to
//! super-sink. Removing a node (criticality, disruption batches) means that
//! no flow passes through it.
//!
//! Tonnes enter the engine as whole **grams** (see [`UNITS_PER_TONNE`]): the
//! flow algorithms run on exact integers, so results do not depend on the
//! order of floating-point sums or on the number of threads.
//!
//! Below the domain layer sits an integer API on compact node indices
//! `0..node_count()` (see [`FlowNetwork::new`]) that the peer benchmark's
//! files and `examples/perf.rs` use directly.

use std::collections::{BTreeSet, HashMap};

use crate::chain::{FlowId, NodeId, NodeKey, SupplyChain};
use crate::error::{Error, Result};
use crate::model::{Country, Mineral, Stage, Tonnes};
use crate::network::Adjacency;

/// Engine units per tonne: capacities and flows are whole grams.
pub const UNITS_PER_TONNE: f64 = 1e6;

/// The largest total supply the engine accepts, in units (2^60 g, about
/// 1.15e12 t): sums of capacities then never overflow `i64`.
pub const MAX_TOTAL_UNITS: i64 = 1 << 60;

/// Which figure limits what a node can pass (and what an extraction node can
/// supply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NodeLimit {
    /// The observed annual output; the capacity when no output is given.
    #[default]
    Output,
    /// The nominal capacity; the output when no capacity is given (the
    /// output is a lower bound of the capacity, so this stays conservative).
    Capacity,
}

/// How to build a [`FlowNetwork`] from a [`SupplyChain`]: which mineral,
/// which node figure limits the flow, whether zero-tonne flows are links.
///
/// The default: every mineral, observed outputs, zero-tonne flows dropped.
///
/// # Example
/// ```
/// use critical_minerals::{Mineral, network::{FlowOptions, NodeLimit}};
/// let opts = FlowOptions::new().mineral(Mineral::RARE_EARTHS).limit(NodeLimit::Capacity);
/// assert_eq!(opts.limit_kind(), NodeLimit::Capacity);
/// assert!(!opts.zero_flows_allowed());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlowOptions {
    mineral: Option<Mineral>,
    limit: NodeLimit,
    zero_flows: bool,
}

impl FlowOptions {
    /// The defaults: every mineral, observed outputs, zero-tonne flows dropped.
    pub fn new() -> FlowOptions {
        FlowOptions::default()
    }

    /// Only the nodes and flows of this mineral.
    pub fn mineral(mut self, m: Mineral) -> FlowOptions {
        self.mineral = Some(m);
        self
    }

    /// Every mineral (the default).
    pub fn all_minerals(mut self) -> FlowOptions {
        self.mineral = None;
        self
    }

    /// Which node figure limits the flow.
    pub fn limit(mut self, limit: NodeLimit) -> FlowOptions {
        self.limit = limit;
        self
    }

    /// Whether flows of zero observed tonnes are kept as links of unbounded
    /// capacity (`true`) or dropped (`false`, the default).
    pub fn allow_zero_flows(mut self, allow: bool) -> FlowOptions {
        self.zero_flows = allow;
        self
    }

    /// The selected mineral, `None` for all.
    pub fn selected_mineral(&self) -> Option<&Mineral> {
        self.mineral.as_ref()
    }

    /// The node figure that limits the flow.
    pub fn limit_kind(&self) -> NodeLimit {
        self.limit
    }

    /// Whether zero-tonne flows are kept.
    pub fn zero_flows_allowed(&self) -> bool {
        self.zero_flows
    }
}

/// What the supply must reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One country's nodes at one stage (of the selected mineral, or of every
    /// mineral), e.g. USA manufacturing.
    CountryStage {
        /// The country.
        country: Country,
        /// The stage.
        stage: Stage,
    },
    /// All demand at one stage: every node at that stage.
    Stage(Stage),
    /// An explicit set of nodes.
    Nodes(Vec<NodeId>),
}

impl Target {
    /// One country's nodes at one stage.
    pub fn country_stage(country: Country, stage: Stage) -> Target {
        Target::CountryStage { country, stage }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::CountryStage { country, stage } => write!(f, "{country} {stage}"),
            Target::Stage(s) => write!(f, "all {s}"),
            Target::Nodes(ids) => {
                let names: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
                write!(f, "nodes {}", names.join(","))
            }
        }
    }
}

/// A directed edge of the compact network between two real nodes, with its
/// capacity in units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetEdge {
    /// Tail (compact index).
    pub from: u32,
    /// Head (compact index).
    pub to: u32,
    /// Capacity in units (grams for a chain network; the file's integers for
    /// the peer files).
    pub capacity: i64,
}

/// Domain labels of a network built from a [`SupplyChain`].
#[derive(Debug, Clone)]
pub(crate) struct ChainLabels {
    pub(crate) ids: Vec<NodeId>,
    pub(crate) keys: Vec<NodeKey>,
    pub(crate) index: HashMap<NodeId, u32>,
    /// The chain flow behind each compact edge.
    pub(crate) flows: Vec<FlowId>,
}

/// A flow network on compact node indices: real nodes `0..n`, a
/// super-source [`FlowNetwork::source`] `= n` and a super-sink
/// [`FlowNetwork::sink`] `= n + 1`, edges between real nodes, supply arcs
/// (source → node), demand arcs (node → sink) and optional node limits.
///
/// Built from a [`SupplyChain`] with [`FlowNetwork::from_chain`] (domain
/// semantics in the [module docs](self)), or from raw integer arrays with
/// [`FlowNetwork::new`]. Solving happens in
/// [`SupplyEngine`](crate::network::SupplyEngine) and the convenience methods
/// that use it.
#[derive(Debug, Clone)]
pub struct FlowNetwork {
    node_count: usize,
    edges: Vec<NetEdge>,
    supply: Vec<(u32, i64)>,
    demand: Vec<(u32, i64)>,
    limits: Vec<Option<i64>>,
    total_supply: i64,
    pub(crate) labels: Option<ChainLabels>,
}

fn bad(field: &'static str, value: impl ToString, reason: impl Into<String>) -> Error {
    Error::InvalidField {
        field,
        value: value.to_string(),
        reason: reason.into(),
    }
}

/// Tonnes to whole units, refusing totals the engine cannot hold.
pub(crate) fn to_units(t: Tonnes) -> Result<i64> {
    let u = (t.get() * UNITS_PER_TONNE).round();
    if u > MAX_TOTAL_UNITS as f64 {
        return Err(Error::InvalidQuantity {
            what: "tonnes (above the flow engine's limit of 1.15e12 t)",
            value: t.get(),
        });
    }
    Ok(u as i64)
}

impl FlowNetwork {
    /// A network on `node_count` real nodes from integer arrays: `edges`
    /// between real nodes, `supply` arcs `(node, capacity)` from the
    /// super-source, `demand` arcs `(node, capacity)` into the super-sink.
    /// Nodes have no limit (see [`FlowNetwork::with_node_limits`]).
    /// Self-loops are dropped (they never carry supply); parallel arcs are
    /// kept. O(n + m).
    ///
    /// # Errors
    /// [`Error::InvalidField`] for a node index `>= node_count`, a negative
    /// capacity, more than `u32::MAX / 4` nodes and arcs, or a total supply above
    /// [`MAX_TOTAL_UNITS`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::network::{FlowNetwork, NetEdge};
    /// // 0 → 1 → 2 with capacities 5 and 3; node 0 supplied, node 2 the target.
    /// let e = |from, to, capacity| NetEdge { from, to, capacity };
    /// let net = FlowNetwork::new(3, vec![e(0, 1, 5), e(1, 2, 3)], vec![(0, 10)], vec![(2, 10)])?;
    /// assert_eq!(net.max_flow_value(), 3);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn new(
        node_count: usize,
        edges: Vec<NetEdge>,
        supply: Vec<(u32, i64)>,
        demand: Vec<(u32, i64)>,
    ) -> Result<FlowNetwork> {
        // Arc indices are u32: split arcs, edges, supply and demand arcs and
        // their reverses must all fit.
        let arcs = node_count + edges.len() + supply.len() + demand.len();
        if arcs > (u32::MAX / 4) as usize {
            return Err(bad(
                "network size",
                arcs,
                "too many nodes and arcs for the flow engine",
            ));
        }
        let in_range = |v: u32, what: &'static str| {
            if (v as usize) < node_count {
                Ok(())
            } else {
                Err(bad(
                    what,
                    v,
                    format!("node index out of range 0..{node_count}"),
                ))
            }
        };
        for (i, e) in edges.iter().enumerate() {
            in_range(e.from, "edge tail")?;
            in_range(e.to, "edge head")?;
            if e.capacity < 0 {
                return Err(bad(
                    "edge capacity",
                    e.capacity,
                    format!("edge {i} is negative"),
                ));
            }
        }
        let mut total: i64 = 0;
        for &(v, c) in &supply {
            in_range(v, "supply node")?;
            if c < 0 {
                return Err(bad("supply capacity", c, format!("node {v} is negative")));
            }
            total = total.saturating_add(c);
            if total > MAX_TOTAL_UNITS {
                return Err(bad("total supply", total, "above the flow engine's limit"));
            }
        }
        for &(v, c) in &demand {
            in_range(v, "demand node")?;
            if c < 0 {
                return Err(bad("demand capacity", c, format!("node {v} is negative")));
            }
        }
        let edges = edges.into_iter().filter(|e| e.from != e.to).collect();
        Ok(FlowNetwork {
            node_count,
            edges,
            supply,
            demand,
            limits: vec![None; node_count],
            total_supply: total,
            labels: None,
        })
    }

    /// Sets the node limits (`None` = unbounded), one per real node.
    ///
    /// # Errors
    /// [`Error::InvalidField`] when the length is not the node count or a
    /// limit is negative.
    pub fn with_node_limits(mut self, limits: Vec<Option<i64>>) -> Result<FlowNetwork> {
        if limits.len() != self.node_count {
            return Err(bad(
                "node limits",
                limits.len(),
                format!("expected one per node ({})", self.node_count),
            ));
        }
        if let Some((i, l)) = limits
            .iter()
            .enumerate()
            .find_map(|(i, l)| l.filter(|x| *x < 0).map(|x| (i, x)))
        {
            return Err(bad("node limit", l, format!("node {i} is negative")));
        }
        self.limits = limits;
        Ok(self)
    }

    /// The flow network of `chain` toward `target` under `opts` (semantics in
    /// the [module docs](self)). Compact indices follow the chain's node ids
    /// in increasing order over the selected nodes. O(V + E).
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for a target id not in the chain;
    /// [`Error::InvalidField`] when the target matches no node of the
    /// selected mineral(s); [`Error::InvalidQuantity`] when the total supply
    /// exceeds the engine's limit (about 1.15e12 t).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
    /// use critical_minerals::network::{FlowNetwork, FlowOptions, Target};
    /// let ree = Mineral::RARE_EARTHS;
    /// let mut chain = SupplyChain::new();
    /// let mine = chain.add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction)
    ///     .output(Tonnes::new(100.0)?))?;
    /// let plant = chain.add_node(Node::new(Country::MYS, ree.clone(), Stage::Refining)
    ///     .output(Tonnes::new(60.0)?))?;
    /// let magnets = chain.add_node(Node::new(Country::USA, ree.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(mine, plant, Flow::new(Tonnes::new(80.0)?))?;
    /// chain.add_flow(plant, magnets, Flow::new(Tonnes::new(70.0)?))?;
    /// let target = Target::country_stage(Country::USA, Stage::Manufacturing);
    /// let net = FlowNetwork::from_chain(&chain, &target, &FlowOptions::new().mineral(ree))?;
    /// // The refinery's output (60 t) is the bottleneck.
    /// assert_eq!(net.deliverable_supply().get(), 60.0);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn from_chain(
        chain: &SupplyChain,
        target: &Target,
        opts: &FlowOptions,
    ) -> Result<FlowNetwork> {
        let selected = |m: &Mineral| opts.mineral.as_ref().is_none_or(|x| x == m);
        let mut ids = Vec::new();
        let mut keys = Vec::new();
        let mut index = HashMap::new();
        let mut limits = Vec::new();
        for (id, node) in chain.nodes() {
            if !selected(&node.key.mineral) {
                continue;
            }
            let limit = match opts.limit {
                NodeLimit::Output => node.output.or(node.capacity),
                NodeLimit::Capacity => node.capacity.or(node.output),
            };
            index.insert(id, ids.len() as u32);
            ids.push(id);
            keys.push(node.key.clone());
            limits.push(limit.map(to_units).transpose()?);
        }
        let n = ids.len();

        let targets: BTreeSet<u32> = match target {
            Target::Nodes(list) => {
                let mut set = BTreeSet::new();
                for id in list {
                    let node = chain.node(*id).ok_or(Error::UnknownNode { id: *id })?;
                    match index.get(id) {
                        Some(&v) => {
                            set.insert(v);
                        }
                        None => {
                            return Err(bad(
                                "target",
                                id,
                                format!("node {} is not of the selected mineral", node.key),
                            ));
                        }
                    }
                }
                set
            }
            Target::CountryStage { country, stage } => (0..n as u32)
                .filter(|&v| {
                    keys[v as usize].country == *country && keys[v as usize].stage == *stage
                })
                .collect(),
            Target::Stage(stage) => (0..n as u32)
                .filter(|&v| keys[v as usize].stage == *stage)
                .collect(),
        };
        if targets.is_empty() {
            return Err(bad(
                "target",
                target,
                "no node of the selected mineral(s) matches",
            ));
        }

        let mut edges = Vec::new();
        let mut flows = Vec::new();
        let mut zero_edges = Vec::new();
        let mut shipped = vec![0i64; n];
        for f in chain.flows() {
            let (Some(&u), Some(&v)) = (index.get(&f.from), index.get(&f.to)) else {
                continue;
            };
            let c = to_units(f.tonnes())?;
            if c > 0 {
                shipped[u as usize] = shipped[u as usize].saturating_add(c);
                edges.push(NetEdge {
                    from: u,
                    to: v,
                    capacity: c,
                });
                flows.push(f.id);
            } else if opts.zero_flows {
                zero_edges.push((edges.len(), f.id, u, v));
                edges.push(NetEdge {
                    from: u,
                    to: v,
                    capacity: 0,
                });
                flows.push(f.id);
            }
        }
        let mut supply = Vec::new();
        let mut total: i64 = 0;
        for v in 0..n {
            if keys[v].stage != Stage::Extraction {
                continue;
            }
            let c = limits[v].unwrap_or(shipped[v]);
            if c > 0 {
                supply.push((v as u32, c));
                total = total.saturating_add(c);
                if total > MAX_TOTAL_UNITS {
                    return Err(Error::InvalidQuantity {
                        what: "total supply (above the flow engine's limit of 1.15e12 t)",
                        value: total as f64 / UNITS_PER_TONNE,
                    });
                }
            }
        }
        // No flow can exceed the total supply, so that total (+1) is an
        // unbounded capacity for zero-tonne links and target drains.
        let unbounded = total + 1;
        for (i, _, _, _) in &zero_edges {
            edges[*i].capacity = unbounded;
        }
        let demand = targets.iter().map(|&t| (t, unbounded)).collect();
        let mut net = FlowNetwork::new(n, edges, supply, demand)?.with_node_limits(limits)?;
        net.labels = Some(ChainLabels {
            ids,
            keys,
            index,
            flows,
        });
        Ok(net)
    }

    /// Number of real nodes (the super-source and super-sink excluded).
    pub fn node_count(&self) -> usize {
        self.node_count
    }

    /// The super-source's compact index (`node_count()`).
    pub fn source(&self) -> u32 {
        self.node_count as u32
    }

    /// The super-sink's compact index (`node_count() + 1`).
    pub fn sink(&self) -> u32 {
        self.node_count as u32 + 1
    }

    /// The edges between real nodes.
    pub fn edges(&self) -> &[NetEdge] {
        &self.edges
    }

    /// The supply arcs `(node, capacity)` from the super-source.
    pub fn supply(&self) -> &[(u32, i64)] {
        &self.supply
    }

    /// The demand arcs `(node, capacity)` into the super-sink: the targets.
    pub fn demand(&self) -> &[(u32, i64)] {
        &self.demand
    }

    /// The limit of a real node (`None`: unbounded or out of range).
    pub fn node_limit(&self, v: u32) -> Option<i64> {
        self.limits.get(v as usize).copied().flatten()
    }

    /// Sum of the supply arcs' capacities: an upper bound of any flow.
    pub fn total_supply(&self) -> i64 {
        self.total_supply
    }

    /// The whole network as an out-adjacency on `node_count() + 2` nodes
    /// (source and sink included), for structural algorithms such as
    /// dominators from the source. Edge ids index the concatenation
    /// `edges()`, then `supply()` arcs, then `demand()` arcs. Arcs of zero
    /// capacity are left out. O(V + E).
    pub fn adjacency(&self) -> Adjacency {
        let (s, t) = (self.source(), self.sink());
        let mut pairs: Vec<(u32, u32)> =
            Vec::with_capacity(self.edges.len() + self.supply.len() + self.demand.len());
        // Keep the id numbering stable: a zero-capacity arc becomes an
        // out-of-range pair that `from_edges` skips.
        let none = u32::MAX;
        pairs.extend(self.edges.iter().map(|e| {
            if e.capacity > 0 {
                (e.from, e.to)
            } else {
                (none, none)
            }
        }));
        pairs.extend(
            self.supply
                .iter()
                .map(|&(v, c)| if c > 0 { (s, v) } else { (none, none) }),
        );
        pairs.extend(
            self.demand
                .iter()
                .map(|&(v, c)| if c > 0 { (v, t) } else { (none, none) }),
        );
        Adjacency::from_edges(self.node_count + 2, &pairs)
    }

    /// The chain node behind a compact index (`None` for the source, sink, an
    /// index out of range, or a network not built from a chain).
    pub fn chain_node(&self, v: u32) -> Option<NodeId> {
        self.labels.as_ref()?.ids.get(v as usize).copied()
    }

    /// The key of the chain node behind a compact index.
    pub fn node_key(&self, v: u32) -> Option<&NodeKey> {
        self.labels.as_ref()?.keys.get(v as usize)
    }

    /// The compact index of a chain node (`None` when it is not in this
    /// network).
    pub fn index_of(&self, id: NodeId) -> Option<u32> {
        self.labels.as_ref()?.index.get(&id).copied()
    }

    /// The chain flow behind an edge index of [`FlowNetwork::edges`].
    pub fn chain_flow(&self, edge: usize) -> Option<FlowId> {
        self.labels.as_ref()?.flows.get(edge).copied()
    }

    /// The chain nodes that are targets, in id order (empty for a network not
    /// built from a chain).
    pub fn target_nodes(&self) -> Vec<NodeId> {
        self.demand
            .iter()
            .filter_map(|&(v, _)| self.chain_node(v))
            .collect()
    }

    /// Units to tonnes (units are grams for a chain network).
    pub fn tonnes(&self, units: i64) -> Tonnes {
        Tonnes::new(units.max(0) as f64 / UNITS_PER_TONNE).unwrap_or(Tonnes::ZERO)
    }

    /// Compact indices of chain node ids.
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for an id that is not in this network.
    pub(crate) fn indices_of(&self, ids: &[NodeId]) -> Result<Vec<u32>> {
        ids.iter()
            .map(|&id| self.index_of(id).ok_or(Error::UnknownNode { id }))
            .collect()
    }
}
