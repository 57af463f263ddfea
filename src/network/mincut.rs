//! Minimum cuts: the arcs whose joint capacity caps deliverable supply, and
//! the fewest nodes whose removal disconnects the target.
//!
//! The capacity cut is read off the residual graph of the baseline maximum
//! flow: the nodes reachable from the source along arcs with spare capacity
//! form the source side; every arc leaving it is saturated, and their
//! capacities add up to the maximum flow (max-flow / min-cut theorem). Of
//! all minimum cuts this is the one closest to the source. A cut arc is a
//! flow between two nodes, a node's own limit (the split arc), a source's
//! supply, or a target's drain.

use std::collections::BTreeMap;

use crate::chain::{FlowId, NodeId, NodeKey};
use crate::error::Result;
use crate::model::{Country, Tonnes};
use crate::network::batch::SupplyEngine;
use crate::network::criticality::not_from_chain;
use crate::network::flownet::{FlowNetwork, NetEdge};
use crate::network::maxflow::Solved;

/// One arc of a minimum cut in the integer network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CutArc {
    /// Edge `i` of [`FlowNetwork::edges`].
    Edge(u32),
    /// The limit of real node `v` (its split arc).
    Node(u32),
    /// Supply arc `i` of [`FlowNetwork::supply`].
    Supply(u32),
    /// Demand arc `i` of [`FlowNetwork::demand`].
    Demand(u32),
}

/// A flow of the chain on the minimum cut.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
pub struct CutNode {
    /// The node.
    pub node: NodeId,
    /// Its key.
    pub key: NodeKey,
    /// The binding tonnes.
    pub tonnes: Tonnes,
}

/// A minimum cut of a chain's flow network, in domain terms.
#[derive(Debug, Clone, PartialEq)]
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

/// Source-side minimum cut arcs of solved components, sorted.
fn cut_arcs(s: &Solved) -> Vec<CutArc> {
    let mut out = Vec::new();
    let mut reach = Vec::new();
    let mut stack = Vec::new();
    for c in &s.comps {
        let g = &c.g;
        reach.clear();
        reach.resize(g.node_count(), false);
        let src = c.source();
        reach[src as usize] = true;
        stack.push(src);
        while let Some(u) = stack.pop() {
            for a in g.off[u as usize] as usize..g.off[u as usize + 1] as usize {
                let v = g.head[a] as usize;
                if c.base[a] > 0 && !reach[v] {
                    reach[v] = true;
                    stack.push(v as u32);
                }
            }
        }
        let crosses = |a: u32| reach[g.tail(a) as usize] && !reach[g.head[a as usize] as usize];
        for (l, &a) in c.split.iter().enumerate() {
            if crosses(a) {
                out.push(CutArc::Node(c.real[l]));
            }
        }
        out.extend(
            c.edge_arcs
                .iter()
                .filter(|x| crosses(x.1))
                .map(|x| CutArc::Edge(x.0)),
        );
        out.extend(
            c.supply_arcs
                .iter()
                .filter(|x| crosses(x.1))
                .map(|x| CutArc::Supply(x.0)),
        );
        out.extend(
            c.demand_arcs
                .iter()
                .filter(|x| crosses(x.1))
                .map(|x| CutArc::Demand(x.0)),
        );
    }
    out.sort_unstable();
    out
}

impl SupplyEngine<'_> {
    /// The arcs of the source-side minimum cut, sorted; their capacities add
    /// up to [`SupplyEngine::baseline`]. O(V + E).
    pub fn min_cut_arcs(&self) -> Vec<CutArc> {
        cut_arcs(&self.solved)
    }

    /// The capacity of a cut arc in units.
    pub fn cut_capacity(&self, arc: CutArc) -> i64 {
        let net = self.network();
        match arc {
            CutArc::Edge(i) => net.edges().get(i as usize).map_or(0, |e| e.capacity),
            CutArc::Node(v) => net.node_limit(v).unwrap_or(self.solved.unbounded),
            CutArc::Supply(i) => net.supply().get(i as usize).map_or(0, |x| x.1),
            CutArc::Demand(i) => net.demand().get(i as usize).map_or(0, |x| x.1),
        }
    }

    /// The minimum cut in domain terms: the flows on it (and grouped by
    /// country pair), and the node limits, supplies and drains on it.
    /// O(V + E + k log k) for k cut arcs.
    ///
    /// # Errors
    /// [`Error::InvalidField`](crate::Error::InvalidField) when the network
    /// was not built from a chain.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
    /// use critical_minerals::network::{FlowNetwork, FlowOptions, SupplyEngine, Target};
    /// let ree = Mineral::RARE_EARTHS;
    /// let mut chain = SupplyChain::new();
    /// let mine = chain.add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction))?;
    /// let mys = chain.add_node(Node::new(Country::MYS, ree.clone(), Stage::Refining))?;
    /// let usa = chain.add_node(Node::new(Country::USA, ree.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(mine, mys, Flow::new(Tonnes::new(90.0)?))?;
    /// chain.add_flow(mys, usa, Flow::new(Tonnes::new(40.0)?))?;
    /// let target = Target::country_stage(Country::USA, Stage::Manufacturing);
    /// let net = FlowNetwork::from_chain(&chain, &target, &FlowOptions::new())?;
    /// let cut = SupplyEngine::new(&net).min_cut()?;
    /// assert_eq!(cut.value.get(), 40.0);
    /// assert_eq!((cut.country_pairs[0].from, cut.country_pairs[0].to), (Country::MYS, Country::USA));
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn min_cut(&self) -> Result<MinCut> {
        let net = self.network();
        let labels = net.labels.as_ref().ok_or_else(not_from_chain)?;
        let mut flows = Vec::new();
        let mut node_limits = Vec::new();
        let mut supplies = Vec::new();
        let mut drains = Vec::new();
        let mut pairs: BTreeMap<(Country, Country), (i64, usize)> = BTreeMap::new();
        let cut_node = |v: u32, units: i64| CutNode {
            node: labels.ids[v as usize],
            key: labels.keys[v as usize].clone(),
            tonnes: net.tonnes(units),
        };
        for arc in self.min_cut_arcs() {
            let units = self.cut_capacity(arc);
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
                            tonnes: net.tonnes(units),
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
                        tonnes: net.tonnes(u),
                        flows: k,
                    },
                )
            })
            .collect();
        country_pairs.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then((a.1.from, a.1.to).cmp(&(b.1.from, b.1.to)))
        });
        Ok(MinCut {
            value: self.deliverable_supply(),
            flows: flows.into_iter().map(|x| x.1).collect(),
            country_pairs: country_pairs.into_iter().map(|x| x.1).collect(),
            node_limits,
            supplies,
            drains,
        })
    }
}

impl FlowNetwork {
    /// The fewest real nodes whose removal leaves no path from any supplied
    /// node to any target (a minimum vertex cut, by Menger's theorem: a
    /// maximum flow with every node of capacity 1 and every arc unbounded).
    /// Target nodes are what is protected and are never in the cut; `None`
    /// when no cut exists (a target is itself supplied). Sorted indices.
    /// O(E √V) (unit-capacity Dinic).
    pub fn min_node_cut(&self) -> Option<Vec<u32>> {
        let n = self.node_count();
        let big = n as i64 + 1;
        let edges: Vec<NetEdge> = self
            .edges()
            .iter()
            .filter(|e| e.capacity > 0)
            .map(|e| NetEdge {
                capacity: big,
                ..*e
            })
            .collect();
        let supply: Vec<(u32, i64)> = self
            .supply()
            .iter()
            .filter(|x| x.1 > 0)
            .map(|x| (x.0, big))
            .collect();
        let demand: Vec<(u32, i64)> = self
            .demand()
            .iter()
            .filter(|x| x.1 > 0)
            .map(|x| (x.0, big))
            .collect();
        let mut limits = vec![Some(1i64); n];
        for &(t, _) in &demand {
            limits[t as usize] = None;
        }
        let unit = FlowNetwork::new(n, edges, supply, demand)
            .and_then(|u| u.with_node_limits(limits))
            .ok()?;
        let solved = Solved::new(&unit);
        if solved.value >= big {
            return None;
        }
        let cut: Vec<u32> = cut_arcs(&solved)
            .into_iter()
            .filter_map(|a| match a {
                CutArc::Node(v) => Some(v),
                _ => None,
            })
            .collect();
        Some(cut)
    }

    /// [`FlowNetwork::min_node_cut`] as chain node ids.
    ///
    /// # Errors
    /// [`Error::InvalidField`](crate::Error::InvalidField) when the network
    /// was not built from a chain.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
    /// use critical_minerals::network::{FlowNetwork, FlowOptions, Target};
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
    /// let net = FlowNetwork::from_chain(&chain, &target, &FlowOptions::new())?;
    /// // Two mines, one refinery: the refinery alone disconnects the target.
    /// assert_eq!(net.min_node_cut_ids()?, Some(vec![chn]));
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn min_node_cut_ids(&self) -> Result<Option<Vec<NodeId>>> {
        if self.labels.is_none() {
            return Err(not_from_chain());
        }
        Ok(self
            .min_node_cut()
            .map(|c| c.into_iter().filter_map(|v| self.chain_node(v)).collect()))
    }

    /// The minimum capacity cut (see [`SupplyEngine::min_cut`]); solves the
    /// baseline first.
    ///
    /// # Errors
    /// [`Error::InvalidField`](crate::Error::InvalidField) when the network
    /// was not built from a chain.
    pub fn min_cut(&self) -> Result<MinCut> {
        SupplyEngine::new(self).min_cut()
    }
}
