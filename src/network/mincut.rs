//! Minimum cuts in domain terms: the flows, node limits, supplies and
//! drains whose joint capacity caps deliverable supply (grouped by country
//! pair), and the fewest nodes whose loss disconnects the target. The
//! engine's cuts are in [`flow`](crate::flow).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::chain::{FlowId, NodeId, NodeKey};
use crate::flow::{CutArc, NetEdge};
use crate::model::{Country, Tonnes};
use crate::network::chain_network::to_tonnes;
use crate::network::{ChainNetwork, ChainSupply};

/// A flow of the chain on the minimum cut.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutFlow {
    /// The flow.
    pub flow: FlowId,
    /// Its sending node.
    pub from: NodeId,
    /// Its receiving node.
    pub to: NodeId,
    /// Its tonnes (its capacity in the network, all used).
    pub tonnes: Tonnes,
}

/// The cut flows between one ordered pair of countries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryPairCut {
    /// Exporting country.
    pub from: Country,
    /// Importing country.
    pub to: Country,
    /// Tonnes of the cut flows from `from` to `to`.
    pub tonnes: Tonnes,
    /// How many cut flows.
    pub flows: usize,
}

/// A node whose own limit (output, capacity, or a source's supply, or a
/// target's drain) is on the minimum cut.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutNode {
    /// The node.
    pub node: NodeId,
    /// Its key.
    pub key: NodeKey,
    /// The binding tonnes.
    pub tonnes: Tonnes,
}

/// A minimum cut of a chain's flow network, in domain terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MinCut {
    /// Total capacity of the cut: the deliverable supply.
    pub value: Tonnes,
    /// Cut flows, largest first (ties by flow id).
    pub flows: Vec<CutFlow>,
    /// Cut flows grouped by ordered country pair, largest first (ties by
    /// pair).
    pub country_pairs: Vec<CountryPairCut>,
    /// Nodes whose output or capacity limit is on the cut.
    pub node_limits: Vec<CutNode>,
    /// Extraction nodes whose supply is on the cut.
    pub supplies: Vec<CutNode>,
    /// Target nodes whose drain is on the cut (only when no smaller cut
    /// exists upstream; drains are unbounded in chain networks).
    pub drains: Vec<CutNode>,
}

impl ChainSupply<'_> {
    /// The minimum capacity cut in domain terms: the flows on it (and grouped by
    /// country pair), and the node limits, supplies and drains on it.
    /// O(V + E + k log k) for k cut arcs.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
    /// use critical_minerals::network::{ChainNetwork, FlowOptions, Target};
    /// let ree = Mineral::RARE_EARTHS;
    /// let mut chain = SupplyChain::new();
    /// let mine = chain.add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction))?;
    /// let mys = chain.add_node(Node::new(Country::MYS, ree.clone(), Stage::Refining))?;
    /// let usa = chain.add_node(Node::new(Country::USA, ree.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(mine, mys, Flow::new(Tonnes::new(90.0)?))?;
    /// chain.add_flow(mys, usa, Flow::new(Tonnes::new(40.0)?))?;
    /// let target = Target::country_stage(Country::USA, Stage::Manufacturing);
    /// let net = ChainNetwork::new(&chain, &target, &FlowOptions::new())?;
    /// let cut = net.solve().min_cut();
    /// assert_eq!(cut.value.get(), 40.0);
    /// assert_eq!((cut.country_pairs[0].from, cut.country_pairs[0].to), (Country::MYS, Country::USA));
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn min_cut(&self) -> MinCut {
        let labels = self.chain_net;
        let net = &labels.net;
        let engine = &self.engine;
        let mut flows = Vec::new();
        let mut node_limits = Vec::new();
        let mut supplies = Vec::new();
        let mut drains = Vec::new();
        let mut pairs: BTreeMap<(Country, Country), (i64, usize)> = BTreeMap::new();
        let cut_node = |v: u32, units: i64| CutNode {
            node: labels.ids[v as usize],
            key: labels.keys[v as usize].clone(),
            tonnes: to_tonnes(units),
        };
        for arc in engine.min_cut_arcs() {
            let units = engine.cut_capacity(arc);
            match arc {
                CutArc::Edge(i) => {
                    let NetEdge { from, to, .. } = net.edges()[i as usize];
                    let (a, b) = (&labels.keys[from as usize], &labels.keys[to as usize]);
                    let e = pairs.entry((a.country, b.country)).or_default();
                    e.0 += units;
                    e.1 += 1;
                    flows.push((
                        units,
                        CutFlow {
                            flow: labels.flows[i as usize],
                            from: labels.ids[from as usize],
                            to: labels.ids[to as usize],
                            tonnes: to_tonnes(units),
                        },
                    ));
                }
                CutArc::Node(v) => node_limits.push(cut_node(v, units)),
                CutArc::Supply(i) => supplies.push(cut_node(net.supply()[i as usize].0, units)),
                CutArc::Demand(i) => drains.push(cut_node(net.demand()[i as usize].0, units)),
            }
        }
        flows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.flow.cmp(&b.1.flow)));
        let mut country_pairs: Vec<(i64, CountryPairCut)> = pairs
            .into_iter()
            .map(|((from, to), (u, k))| {
                (
                    u,
                    CountryPairCut {
                        from,
                        to,
                        tonnes: to_tonnes(u),
                        flows: k,
                    },
                )
            })
            .collect();
        country_pairs.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then((a.1.from, a.1.to).cmp(&(b.1.from, b.1.to)))
        });
        MinCut {
            value: self.deliverable_supply(),
            flows: flows.into_iter().map(|x| x.1).collect(),
            country_pairs: country_pairs.into_iter().map(|x| x.1).collect(),
            node_limits,
            supplies,
            drains,
        }
    }
}

impl ChainNetwork {
    /// The fewest nodes whose removal leaves no path from any supplied
    /// node to any target (a minimum vertex cut), sorted by id. Target
    /// nodes are what is protected and are never in the cut; `None` when no
    /// cut exists (a target is itself supplied). O(E √V), see
    /// [`FlowNetwork::min_node_cut`](crate::flow::FlowNetwork::min_node_cut).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
    /// use critical_minerals::network::{ChainNetwork, FlowOptions, Target};
    /// let ree = Mineral::RARE_EARTHS;
    /// let mut chain = SupplyChain::new();
    /// let aus = chain.add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction))?;
    /// let chn_mine = chain.add_node(Node::new(Country::CHN, ree.clone(), Stage::Extraction))?;
    /// let chn = chain.add_node(Node::new(Country::CHN, ree.clone(), Stage::Refining))?;
    /// let usa = chain.add_node(Node::new(Country::USA, ree.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(aus, chn, Flow::new(Tonnes::new(10.0)?))?;
    /// chain.add_flow(chn_mine, chn, Flow::new(Tonnes::new(50.0)?))?;
    /// chain.add_flow(chn, usa, Flow::new(Tonnes::new(30.0)?))?;
    /// let target = Target::country_stage(Country::USA, Stage::Manufacturing);
    /// let net = ChainNetwork::new(&chain, &target, &FlowOptions::new())?;
    /// // Two mines, one refinery: the refinery alone disconnects the target.
    /// assert_eq!(net.min_node_cut(), Some(vec![chn]));
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn min_node_cut(&self) -> Option<Vec<NodeId>> {
        self.net
            .min_node_cut()
            .map(|c| c.into_iter().filter_map(|v| self.chain_node(v)).collect())
    }
}
