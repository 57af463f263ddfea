//! Flow criticality: the share of deliverable supply lost when one node, or
//! every node of one country, is removed:
//! `criticality(v) = 1 − maxflow(G − v) / maxflow(G)`.
//!
//! Computed exactly for every node with the warm-started removals of
//! [`SupplyEngine`](crate::flow::SupplyEngine): a node that carries no flow
//! in the baseline maximum flow cannot lower it (its criticality is 0
//! without solving anything); the others re-solve only their own component,
//! starting from the baseline flow, in parallel.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::chain::{NodeId, NodeKey};
use crate::model::{Country, Share, Tonnes};
use crate::network::ChainSupply;
use crate::network::chain_network::to_tonnes;

/// What removing one node does to deliverable supply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeCriticality {
    /// The node.
    pub node: NodeId,
    /// Its country, mineral and stage.
    pub key: NodeKey,
    /// Tonnes through the node in the baseline maximum flow.
    pub throughput: Tonnes,
    /// Deliverable supply without the node.
    pub supply_without: Tonnes,
    /// Deliverable supply lost: baseline minus `supply_without`.
    pub lost: Tonnes,
    /// `lost / baseline` (0 when the baseline is 0).
    pub criticality: Share,
}

/// What removing every node of one country does to deliverable supply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryCriticality {
    /// The country.
    pub country: Country,
    /// How many of its nodes are in the network.
    pub nodes: usize,
    /// Deliverable supply without the country.
    pub supply_without: Tonnes,
    /// Deliverable supply lost.
    pub lost: Tonnes,
    /// `lost / baseline` (0 when the baseline is 0).
    pub criticality: Share,
}

impl ChainSupply<'_> {
    /// Criticality of every node of the network, ranked: most supply lost
    /// first, ties by node id. Cost as
    /// [`SupplyEngine::supply_without_each_node`](crate::flow::SupplyEngine::supply_without_each_node).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
    /// use critical_minerals::network::{ChainNetwork, FlowOptions, Target};
    /// let co = Mineral::COBALT;
    /// let mut chain = SupplyChain::new();
    /// let cod = chain.add_node(Node::new(Country::COD, co.clone(), Stage::Extraction))?;
    /// let aus = chain.add_node(Node::new(Country::AUS, co.clone(), Stage::Extraction))?;
    /// let chn = chain.add_node(Node::new(Country::CHN, co.clone(), Stage::Refining))?;
    /// chain.add_flow(cod, chn, Flow::new(Tonnes::new(75.0)?))?;
    /// chain.add_flow(aus, chn, Flow::new(Tonnes::new(25.0)?))?;
    /// let net = ChainNetwork::new(&chain, &Target::Stage(Stage::Refining), &FlowOptions::new())?;
    /// let ranked = net.solve().node_criticality();
    /// // Everything passes through the Chinese refinery: 100% critical.
    /// assert_eq!(ranked[0].node, chn);
    /// assert_eq!(ranked[0].criticality.get(), 1.0);
    /// assert_eq!(ranked[1].node, cod);
    /// assert_eq!(ranked[1].criticality.get(), 0.75);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn node_criticality(&self) -> Vec<NodeCriticality> {
        let labels = self.chain_net;
        let engine = &self.engine;
        let base = engine.baseline();
        let without = engine.supply_without_each_node();
        let mut out: Vec<(i64, NodeCriticality)> = without
            .iter()
            .enumerate()
            .map(|(v, &w)| {
                let lost = base - w;
                (
                    lost,
                    NodeCriticality {
                        node: labels.ids[v],
                        key: labels.keys[v].clone(),
                        throughput: to_tonnes(engine.node_flow(v as u32)),
                        supply_without: to_tonnes(w),
                        lost: to_tonnes(lost),
                        criticality: Share::ratio(lost as f64, base as f64),
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.node.cmp(&b.1.node)));
        out.into_iter().map(|(_, c)| c).collect()
    }

    /// Criticality of every country with a node in the network (all its
    /// nodes removed at once), ranked: most supply lost first, ties by
    /// country code. One warm-started batch removal per country, in
    /// parallel: worst case O(C · max flow of the components the country
    /// touches), far less when its nodes carry little of the flow.
    pub fn country_criticality(&self) -> Vec<CountryCriticality> {
        self.country_criticality_sparing(|_| false)
    }

    /// [`ChainSupply::country_criticality`] with the nodes `spared` names
    /// (compact indices) left in place when their country is removed (the
    /// chokepoint report spares the target's own nodes: losing the target
    /// is no risk *to* it); a country with only spared nodes gets no row.
    pub(crate) fn country_criticality_sparing(
        &self,
        spared: impl Fn(u32) -> bool,
    ) -> Vec<CountryCriticality> {
        let labels = self.chain_net;
        let engine = &self.engine;
        let mut groups: BTreeMap<Country, Vec<u32>> = BTreeMap::new();
        for (v, k) in labels.keys.iter().enumerate() {
            if !spared(v as u32) {
                groups.entry(k.country).or_default().push(v as u32);
            }
        }
        let sets: Vec<Vec<u32>> = groups.values().cloned().collect();
        // Every index comes from the network itself, so none is out of
        // range; an empty answer is the safe fallback should that change.
        let without = engine.supply_without_each(&sets).unwrap_or_default();
        let base = engine.baseline();
        let mut out: Vec<(i64, CountryCriticality)> = groups
            .iter()
            .zip(without)
            .map(|((&country, members), w)| {
                let lost = base - w;
                (
                    lost,
                    CountryCriticality {
                        country,
                        nodes: members.len(),
                        supply_without: to_tonnes(w),
                        lost: to_tonnes(lost),
                        criticality: Share::ratio(lost as f64, base as f64),
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.country.cmp(&b.1.country)));
        out.into_iter().map(|(_, c)| c).collect()
    }
}
