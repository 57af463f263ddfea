//! Articulation points and bridges of a chain network's undirected
//! projection, in domain terms (the engine's are
//! [`flow::UndirectedGraph`](crate::flow::UndirectedGraph)).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::chain::NodeId;
use crate::flow::UndirectedGraph;
use crate::model::Country;
use crate::network::ChainNetwork;

/// Articulation points and bridges of a supply chain's undirected
/// projection, in domain terms. From [`ChainNetwork::cuts`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ChainCuts {
    /// Nodes whose loss splits a connected part of the chain, in id order.
    pub articulation_points: Vec<NodeId>,
    /// Links (node pairs, whichever way the flows run) whose loss splits a
    /// connected part of the chain, each `(smaller id, larger id)`, sorted.
    pub bridges: Vec<(NodeId, NodeId)>,
    /// For each country with at least one articulation-point node, those
    /// nodes, in code order: the country projection.
    pub countries: BTreeMap<Country, Vec<NodeId>>,
}

impl ChainCuts {
    /// Whether a node is an articulation point. O(log V).
    pub fn is_articulation_point(&self, id: NodeId) -> bool {
        self.articulation_points.binary_search(&id).is_ok()
    }
}

impl ChainNetwork {
    /// Articulation points and bridges of the simple undirected projection
    /// of the network's nodes (those of the selected mineral, or all) and
    /// their flows: every flow of positive tonnes, and zero-tonne flows only
    /// with [`LinkCapacity::UpToExporter`](crate::network::LinkCapacity::UpToExporter).
    /// The target plays no part: the projection is the same for any target.
    /// Projected onto countries. O(V + E).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
    /// use critical_minerals::network::{ChainNetwork, FlowOptions, Target};
    /// let li = Mineral::LITHIUM;
    /// let mut chain = SupplyChain::new();
    /// let aus = chain.add_node(Node::new(Country::AUS, li.clone(), Stage::Extraction))?;
    /// let chn = chain.add_node(Node::new(Country::CHN, li.clone(), Stage::Refining))?;
    /// let jpn = chain.add_node(Node::new(Country::JPN, li.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(aus, chn, Flow::new(Tonnes::new(100.0)?))?;
    /// chain.add_flow(chn, jpn, Flow::new(Tonnes::new(60.0)?))?;
    /// let net = ChainNetwork::new(&chain, &Target::Nodes(vec![jpn]), &FlowOptions::new().mineral(li))?;
    /// let cuts = net.cuts();
    /// // A path: the middle node splits it, both links are bridges.
    /// assert_eq!(cuts.articulation_points, vec![chn]);
    /// assert_eq!(cuts.bridges.len(), 2);
    /// assert!(cuts.countries.contains_key(&Country::CHN));
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn cuts(&self) -> ChainCuts {
        // The network's edges are exactly the links (zero-tonne ones only
        // when allowed), less flows too small to round to one gram: those
        // carry no capacity but are still links.
        let edges: Vec<(u32, u32)> = self
            .net
            .edges()
            .iter()
            .map(|e| (e.from, e.to))
            .chain(self.sub_unit_links.iter().copied())
            .collect();
        let cuts = UndirectedGraph::from_edges(self.ids.len(), &edges).cuts();
        let articulation_points: Vec<NodeId> = cuts
            .articulation_points
            .iter()
            .map(|&v| self.ids[v as usize])
            .collect();
        let mut countries: BTreeMap<Country, Vec<NodeId>> = BTreeMap::new();
        for &v in &cuts.articulation_points {
            countries
                .entry(self.keys[v as usize].country)
                .or_default()
                .push(self.ids[v as usize]);
        }
        // Compact indices follow id order, so the pairs stay
        // `(smaller, larger)` and sorted.
        let bridges = cuts
            .bridges
            .iter()
            .map(|&(a, b)| (self.ids[a as usize], self.ids[b as usize]))
            .collect();
        ChainCuts {
            articulation_points,
            bridges,
            countries,
        }
    }
}
