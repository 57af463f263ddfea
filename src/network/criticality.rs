//! Flow criticality: the share of deliverable supply lost when one node, or
//! every node of one country, is removed:
//! `criticality(v) = 1 − maxflow(G − v) / maxflow(G)`.
//!
//! Computed exactly for every node with the warm-started removals of
//! [`SupplyEngine`]: a node that carries no flow in the baseline maximum
//! flow cannot lower it (its criticality is 0 without solving anything); the
//! others re-solve only their own component, starting from the baseline
//! flow, in parallel.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::chain::{NodeId, NodeKey};
use crate::error::{Error, Result};
use crate::model::{Country, Share, Tonnes};
use crate::network::batch::SupplyEngine;
use crate::network::flownet::FlowNetwork;

/// What removing one node does to deliverable supply.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
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

/// The error of a domain query (node ids, countries) on a network built
/// from integer arrays rather than from a chain.
pub(crate) fn not_from_chain() -> Error {
    Error::InvalidField {
        field: "flow network",
        value: "integer network".to_string(),
        reason: "domain results need a network built with FlowNetwork::from_chain".to_string(),
    }
}

impl SupplyEngine<'_> {
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

    /// Criticality of every node of the chain, ranked: most supply lost
    /// first, ties by node id. Cost as [`SupplyEngine::supply_without_each_node`].
    ///
    /// # Errors
    /// [`Error::InvalidField`] when the network was not built from a chain
    /// (use [`SupplyEngine::supply_without_each_node`] then).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
    /// use critical_minerals::network::{FlowNetwork, FlowOptions, SupplyEngine, Target};
    /// let co = Mineral::COBALT;
    /// let mut chain = SupplyChain::new();
    /// let cod = chain.add_node(Node::new(Country::COD, co.clone(), Stage::Extraction))?;
    /// let aus = chain.add_node(Node::new(Country::AUS, co.clone(), Stage::Extraction))?;
    /// let chn = chain.add_node(Node::new(Country::CHN, co.clone(), Stage::Refining))?;
    /// chain.add_flow(cod, chn, Flow::new(Tonnes::new(75.0)?))?;
    /// chain.add_flow(aus, chn, Flow::new(Tonnes::new(25.0)?))?;
    /// let net = FlowNetwork::from_chain(&chain, &Target::Stage(Stage::Refining), &FlowOptions::new())?;
    /// let ranked = SupplyEngine::new(&net).node_criticality()?;
    /// // Everything passes through the Chinese refinery: 100% critical.
    /// assert_eq!(ranked[0].node, chn);
    /// assert_eq!(ranked[0].criticality.get(), 1.0);
    /// assert_eq!(ranked[1].node, cod);
    /// assert_eq!(ranked[1].criticality.get(), 0.75);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn node_criticality(&self) -> Result<Vec<NodeCriticality>> {
        let net = self.network();
        let labels = net.labels.as_ref().ok_or_else(not_from_chain)?;
        let base = self.baseline();
        let without = self.supply_without_each_node();
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
                        throughput: net.tonnes(self.node_flow(v as u32)),
                        supply_without: net.tonnes(w),
                        lost: net.tonnes(lost),
                        criticality: Share::ratio(lost as f64, base as f64),
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.node.cmp(&b.1.node)));
        Ok(out.into_iter().map(|(_, c)| c).collect())
    }

    /// Criticality of every country with a node in the network (all its
    /// nodes removed at once), ranked: most supply lost first, ties by
    /// country code. One warm-started batch removal per country, in
    /// parallel: worst case O(C · max flow of the components the country
    /// touches), far less when its nodes carry little of the flow.
    ///
    /// # Errors
    /// [`Error::InvalidField`] when the network was not built from a chain.
    pub fn country_criticality(&self) -> Result<Vec<CountryCriticality>> {
        self.country_criticality_sparing(|_| false)
    }

    /// [`SupplyEngine::country_criticality`] with the nodes `spared` names
    /// left in place when their country is removed (the chokepoint report
    /// spares the target's own nodes: losing the target is no risk *to*
    /// it); a country with only spared nodes gets no row.
    pub(crate) fn country_criticality_sparing(
        &self,
        spared: impl Fn(u32) -> bool,
    ) -> Result<Vec<CountryCriticality>> {
        let net = self.network();
        let labels = net.labels.as_ref().ok_or_else(not_from_chain)?;
        let mut groups: BTreeMap<Country, Vec<u32>> = BTreeMap::new();
        for (v, k) in labels.keys.iter().enumerate() {
            if !spared(v as u32) {
                groups.entry(k.country).or_default().push(v as u32);
            }
        }
        let sets: Vec<Vec<u32>> = groups.values().cloned().collect();
        let without = self.supply_without_each(&sets)?;
        let base = self.baseline();
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
                        supply_without: net.tonnes(w),
                        lost: net.tonnes(lost),
                        criticality: Share::ratio(lost as f64, base as f64),
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.country.cmp(&b.1.country)));
        Ok(out.into_iter().map(|(_, c)| c).collect())
    }
}

impl FlowNetwork {
    /// Criticality of every node, ranked (see
    /// [`SupplyEngine::node_criticality`]); solves the baseline first.
    ///
    /// # Errors
    /// [`Error::InvalidField`] when the network was not built from a chain.
    pub fn node_criticality(&self) -> Result<Vec<NodeCriticality>> {
        SupplyEngine::new(self).node_criticality()
    }

    /// Criticality of every country, ranked (see
    /// [`SupplyEngine::country_criticality`]); solves the baseline first.
    ///
    /// # Errors
    /// [`Error::InvalidField`] when the network was not built from a chain.
    pub fn country_criticality(&self) -> Result<Vec<CountryCriticality>> {
        SupplyEngine::new(self).country_criticality()
    }
}
