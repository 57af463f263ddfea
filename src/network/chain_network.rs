//! A supply chain as a flow network: the engine's integer
//! [`FlowNetwork`] plus the labels that turn its answers back into node
//! ids, keys and tonnes. Semantics in the
//! [module docs](crate::network#semantics).

use std::collections::HashMap;

use crate::chain::{FlowId, NodeId, NodeKey, SupplyChain};
use crate::error::{Error, Result};
use crate::flow::{FlowNetwork, MAX_TOTAL_UNITS, NetEdge, SupplyEngine};
use crate::model::{Conversion, Converter, Mineral, OneBasis, Stage, Tonnes};
use crate::network::{ChainSupply, FlowOptions, LinkCapacity, NodeLimit, SourceRule, Target};

/// Engine units per tonne: capacities and flows are whole grams.
pub const UNITS_PER_TONNE: f64 = 1e6;

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

/// Units to tonnes (negative counts as zero).
pub(crate) fn to_tonnes(units: i64) -> Tonnes {
    Tonnes::new(units.max(0) as f64 / UNITS_PER_TONNE).unwrap_or(Tonnes::ZERO)
}

/// The flow network of a [`SupplyChain`] toward a [`Target`] (semantics in
/// the [module docs](crate::network#semantics)), with the labels that put its answers in
/// domain terms. Compact indices follow the chain's node ids in increasing
/// order over the selected nodes.
///
/// Structural questions (dominators, cuts, the minimum node cut) are asked
/// here; flow questions (deliverable supply, supply without given nodes,
/// criticality, the minimum capacity cut) on the [`ChainSupply`] that
/// [`ChainNetwork::solve`] returns, which solves the baseline maximum flow
/// once for all of them.
///
/// # Example
/// ```
/// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
/// use critical_minerals::network::{ChainNetwork, FlowOptions, Target};
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
/// let net = ChainNetwork::new(&chain, &target, &FlowOptions::new().mineral(ree))?;
/// // The refinery's output (60 t) is the bottleneck.
/// assert_eq!(net.solve().deliverable_supply().get(), 60.0);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ChainNetwork {
    pub(crate) net: FlowNetwork,
    pub(crate) ids: Vec<NodeId>,
    pub(crate) keys: Vec<NodeKey>,
    pub(crate) index: HashMap<NodeId, u32>,
    /// The chain flow behind each compact edge.
    pub(crate) flows: Vec<FlowId>,
    /// Flows of positive tonnes that round to zero units: no capacity, but
    /// still a trade link of the undirected projection.
    pub(crate) sub_unit_links: Vec<(u32, u32)>,
    /// The options it was built with.
    pub(crate) options: FlowOptions,
    /// The content factors applied (empty without them).
    pub(crate) conversions: Vec<Conversion>,
}

impl ChainNetwork {
    /// The flow network of `chain` toward `target` under `options`
    /// (semantics in the [module docs](crate::network#semantics)). O(V + E).
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for a target id not in the chain;
    /// [`Error::Inconsistent`] when the target matches no node of the
    /// selected mineral(s), or names a node of another mineral;
    /// [`Error::MixedBasis`] when the node figures and flows used measure
    /// different things (a world chain's production content and traded
    /// product weight: use [`FlowOptions::product`], one basis, or
    /// [`FlowOptions::content`]), naming the figure that differs; with
    /// content factors, a figure with neither a factor nor the target
    /// basis; a figure with no basis is compatible with any;
    /// [`Error::OutOfDomain`] for a content factor that is not finite and
    /// positive;
    /// [`Error::InvalidQuantity`] when the total supply exceeds the engine's
    /// limit (about 1.15e12 t); [`Error::OutOfDomain`] for a
    /// [`LinkCapacity::Multiple`] that is negative or not finite.
    pub fn new(
        chain: &SupplyChain,
        target: &Target,
        options: &FlowOptions,
    ) -> Result<ChainNetwork> {
        let selected = |m: &Mineral| options.mineral.as_ref().is_none_or(|x| x == m);
        if let LinkCapacity::Multiple(m) = options.links {
            if !(m.is_finite() && m >= 0.0) {
                return Err(Error::OutOfDomain {
                    field: "link capacity multiple (FlowOptions::links)",
                    value: m.to_string(),
                    expected: "must be finite and non-negative".to_string(),
                });
            }
        }
        let mut ids = Vec::new();
        let mut keys = Vec::new();
        let mut index = HashMap::new();
        let mut bases = OneBasis::default();
        let mut content = options
            .content
            .as_ref()
            .map(crate::model::Converter::new)
            .transpose()?;
        // The node's own figure (output or capacity, per the limit option).
        let mut figures: Vec<Option<i64>> = Vec::new();
        for (id, node) in chain.nodes() {
            if !selected(&node.key.mineral) {
                continue;
            }
            let figure = match options.limit {
                // One product's network uses no production figures.
                _ if options.product.is_some() => None,
                NodeLimit::Output => node.output.or(node.capacity),
                NodeLimit::Capacity => node.capacity.or(node.output),
            };
            let figure = match (figure, content.as_mut()) {
                (Some(t), Some(c)) => Some(c.convert(
                    &node.key.mineral,
                    node.key.stage,
                    node.basis.as_ref(),
                    None,
                    t,
                    || format!("node {}", node.key),
                )?),
                (Some(t), None) => {
                    bases.check(
                        &node.key.mineral,
                        node.key.stage,
                        node.basis.as_ref(),
                        || format!("node {}", node.key),
                    )?;
                    Some(t)
                }
                (None, _) => None,
            };
            index.insert(id, ids.len() as u32);
            ids.push(id);
            keys.push(node.key.clone());
            figures.push(figure.map(to_units).transpose()?);
        }
        let n = ids.len();

        let targets = target.resolve(chain, &keys, &index)?;

        // The observed flows between selected nodes, and each node's
        // observed inflow and outflow (in units).
        let mut observed = Vec::new();
        let mut inflow = vec![0i64; n];
        let mut outflow = vec![0i64; n];
        for f in chain.flows() {
            let (Some(&u), Some(&v)) = (index.get(&f.from), index.get(&f.to)) else {
                continue;
            };
            if options.product.is_some_and(|code| f.flow.hs6 != Some(code)) {
                continue;
            }
            let item = || {
                let hs = f
                    .flow
                    .hs6
                    .map(|c| format!(", HS {c:06}"))
                    .unwrap_or_default();
                format!("flow {} -> {}{hs}", f.from_key, f.to_key)
            };
            let tonnes = match content.as_mut() {
                Some(conv) => conv.convert(
                    &f.from_key.mineral,
                    f.from_key.stage,
                    f.flow.basis.as_ref(),
                    f.flow.hs6,
                    f.tonnes(),
                    item,
                )?,
                None => {
                    bases.check(
                        &f.to_key.mineral,
                        f.to_key.stage,
                        f.flow.basis.as_ref(),
                        item,
                    )?;
                    f.tonnes()
                }
            };
            let c = to_units(tonnes)?;
            if u != v {
                outflow[u as usize] = outflow[u as usize].saturating_add(c);
                inflow[v as usize] = inflow[v as usize].saturating_add(c);
            }
            observed.push((u, v, c, f.id, tonnes.get() > 0.0));
        }

        // What each node can pass: its figure, or (capacity rule) its
        // observed throughput.
        let limits: Vec<Option<i64>> = (0..n)
            .map(|v| match options.limit {
                NodeLimit::Output => figures[v],
                NodeLimit::Capacity => Some(figures[v].unwrap_or(inflow[v].max(outflow[v]))),
            })
            .collect();

        let mut supply = Vec::new();
        let mut total: i64 = 0;
        for v in 0..n {
            let c = match options.sources {
                SourceRule::Extraction if keys[v].stage == Stage::Extraction => {
                    figures[v].unwrap_or(outflow[v])
                }
                SourceRule::Extraction => 0,
                SourceRule::Origination => {
                    figures[v].unwrap_or(outflow[v]).saturating_sub(inflow[v])
                }
            };
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
        // unbounded capacity for links and target drains.
        let unbounded = total + 1;

        let mut edges = Vec::new();
        let mut flows = Vec::new();
        let mut sub_unit_links = Vec::new();
        for (u, v, c, id, positive) in observed {
            let capacity = match options.links {
                LinkCapacity::Observed => c,
                LinkCapacity::Multiple(m) => {
                    let scaled = (c as f64 * m).round();
                    if scaled >= unbounded as f64 {
                        unbounded
                    } else {
                        scaled as i64
                    }
                }
                LinkCapacity::UpToExporter => limits[u as usize]
                    .map_or(unbounded, |l| l.max(c))
                    .min(unbounded),
            };
            if capacity > 0 || options.links == LinkCapacity::UpToExporter {
                edges.push(NetEdge {
                    from: u,
                    to: v,
                    capacity,
                });
                flows.push(id);
            } else if positive {
                sub_unit_links.push((u, v));
            }
        }
        let demand = targets.iter().map(|&t| (t, unbounded)).collect();
        let net = FlowNetwork::new(n, edges, supply, demand)?.with_node_limits(limits)?;
        Ok(ChainNetwork {
            net,
            ids,
            keys,
            index,
            flows,
            sub_unit_links,
            options: options.clone(),
            conversions: content.map(Converter::finish).unwrap_or_default(),
        })
    }

    /// The content factors applied ([`FlowOptions::content`]): per key
    /// and basis, the factor and how many figures it converted, in key
    /// order. Empty without content factors, or when every figure was on
    /// the target basis already.
    pub fn conversions(&self) -> &[Conversion] {
        &self.conversions
    }

    /// Solves the baseline maximum flow once, for every flow question
    /// (deliverable supply, removals, criticality, the minimum cut). O(one
    /// max flow), see [`SupplyEngine::new`].
    pub fn solve(&self) -> ChainSupply<'_> {
        ChainSupply {
            chain_net: self,
            engine: SupplyEngine::new(&self.net),
        }
    }

    /// The engine's integer network (compact indices, grams).
    pub fn flow_network(&self) -> &FlowNetwork {
        &self.net
    }

    /// The options the network was built with.
    pub fn options(&self) -> &FlowOptions {
        &self.options
    }

    /// The chain node behind a compact index (`None` for the source, sink or
    /// an index out of range).
    pub fn chain_node(&self, v: u32) -> Option<NodeId> {
        self.ids.get(v as usize).copied()
    }

    /// The key of the chain node behind a compact index.
    pub fn node_key(&self, v: u32) -> Option<&NodeKey> {
        self.keys.get(v as usize)
    }

    /// The compact index of a chain node (`None` when it is not in this
    /// network).
    pub fn index_of(&self, id: NodeId) -> Option<u32> {
        self.index.get(&id).copied()
    }

    /// The chain flow behind an edge index of [`FlowNetwork::edges`].
    pub fn chain_flow(&self, edge: usize) -> Option<FlowId> {
        self.flows.get(edge).copied()
    }

    /// The chain nodes that are targets, in id order.
    pub fn target_nodes(&self) -> Vec<NodeId> {
        self.net
            .demand()
            .iter()
            .filter_map(|&(v, _)| self.chain_node(v))
            .collect()
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
