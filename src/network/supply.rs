//! Deliverable supply of a chain network, solved once: the baseline and
//! removals of given nodes, in tonnes.

use crate::chain::NodeId;
use crate::error::Result;
use crate::flow::SupplyEngine;
use crate::model::Tonnes;
use crate::network::ChainNetwork;
use crate::network::chain_network::to_tonnes;

/// A [`ChainNetwork`] with its baseline maximum flow solved, answering the
/// flow questions in domain terms: deliverable supply, supply without given
/// nodes, node and country criticality, the minimum cut. From
/// [`ChainNetwork::solve`].
///
/// Solve once, ask as many questions as needed: each reuses the baseline;
/// batches run in parallel and give the same numbers whatever the thread
/// count.
///
/// # Example
/// ```
/// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
/// use critical_minerals::network::{ChainNetwork, FlowOptions, Target};
/// let ni = Mineral::NICKEL;
/// let mut chain = SupplyChain::new();
/// let idn = chain.add_node(Node::new(Country::IDN, ni.clone(), Stage::Extraction))?;
/// let aus = chain.add_node(Node::new(Country::AUS, ni.clone(), Stage::Extraction))?;
/// let chn = chain.add_node(Node::new(Country::CHN, ni.clone(), Stage::Refining))?;
/// chain.add_flow(idn, chn, Flow::new(Tonnes::new(300.0)?))?;
/// chain.add_flow(aus, chn, Flow::new(Tonnes::new(100.0)?))?;
/// let net = ChainNetwork::new(&chain, &Target::Stage(Stage::Refining), &FlowOptions::new())?;
/// let supply = net.solve();
/// assert_eq!(supply.deliverable_supply().get(), 400.0);
/// assert_eq!(supply.supply_without(&[idn])?.get(), 100.0);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ChainSupply<'a> {
    pub(crate) chain_net: &'a ChainNetwork,
    pub(crate) engine: SupplyEngine<'a>,
}

impl<'a> ChainSupply<'a> {
    /// The network.
    pub fn network(&self) -> &'a ChainNetwork {
        self.chain_net
    }

    /// The engine behind it, for questions on compact indices and units.
    pub fn engine(&self) -> &SupplyEngine<'a> {
        &self.engine
    }

    /// Deliverable supply: the baseline maximum flow, in tonnes. O(1).
    pub fn deliverable_supply(&self) -> Tonnes {
        to_tonnes(self.engine.baseline())
    }

    /// Deliverable supply with the chain nodes `removed` taken out.
    /// Duplicates are harmless. Cost as
    /// [`SupplyEngine::supply_without`]: only the components holding a
    /// removed node that carries flow are re-solved, warm-started.
    ///
    /// # Errors
    /// [`Error::UnknownNode`](crate::Error::UnknownNode) for an id that is
    /// not in this network.
    pub fn supply_without(&self, removed: &[NodeId]) -> Result<Tonnes> {
        let idx = self.chain_net.indices_of(removed)?;
        Ok(to_tonnes(self.engine.supply_without(&idx)?))
    }

    /// [`ChainSupply::supply_without`] for every set, in parallel; results in
    /// the order of `sets`, identical whatever the thread count.
    ///
    /// # Errors
    /// [`Error::UnknownNode`](crate::Error::UnknownNode) for an id that is
    /// not in this network (checked before any work).
    pub fn supply_without_each(&self, sets: &[Vec<NodeId>]) -> Result<Vec<Tonnes>> {
        let idx: Vec<Vec<u32>> = sets
            .iter()
            .map(|s| self.chain_net.indices_of(s))
            .collect::<Result<_>>()?;
        Ok(self
            .engine
            .supply_without_each(&idx)?
            .into_iter()
            .map(to_tonnes)
            .collect())
    }
}
