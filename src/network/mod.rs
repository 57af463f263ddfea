//! A supply chain as a flow network, and every chokepoint question in
//! domain terms ([`NodeId`](crate::NodeId), [`Country`](crate::Country),
//! [`Tonnes`](crate::Tonnes), [`Share`](crate::Share)). The algorithms run
//! in the integer engine, [`flow`](crate::flow); this module builds its
//! input from a [`SupplyChain`](crate::SupplyChain) and turns its answers
//! back.
//!
//! Build a [`ChainNetwork`] once (chain, [`Target`], [`FlowOptions`]) and
//! ask structural questions of it; [`ChainNetwork::solve`] solves the
//! baseline maximum flow once and answers the flow questions.
//!
//! | question | call | cost |
//! |---|---|---|
//! | the chain's flow network toward a target | [`ChainNetwork::new`] | O(V + E) |
//! | deliverable supply | [`ChainNetwork::solve`], [`ChainSupply::deliverable_supply`] | one max flow (Dinic per component) |
//! | supply without given nodes, one set or many | [`ChainSupply::supply_without`], [`ChainSupply::supply_without_each`] | warm-started, only the touched components |
//! | node criticality | [`ChainSupply::node_criticality`] | nodes carrying no flow free; worst case O(V · one component max flow) |
//! | country criticality | [`ChainSupply::country_criticality`] | one warm-started removal per country |
//! | minimum capacity cut (flows, limits, country pairs) | [`ChainSupply::min_cut`] | O(V + E + k log k) after the baseline |
//! | fewest nodes disconnecting the target | [`ChainNetwork::min_node_cut`] | O(E √V) |
//! | nodes and countries every supply path passes through | [`ChainNetwork::supply_dominators`] | O((V + E) log V) + O(C·(V + E)) |
//! | nodes on some supply path to the target | [`ChainNetwork::upstream_nodes`] | O(V + E) |
//! | articulation points and bridges | [`ChainNetwork::cuts`] | O(V + E) |
//! | betweenness, by hops or tonnage | [`chain_betweenness`] | O(V·E), O(V·E log V) |
//!
//! The chokepoint report, which combines these, is
//! [`analysis::ChokepointReport`](crate::analysis::ChokepointReport).

mod betweenness;
mod chain_network;
mod criticality;
mod cuts;
mod dominators;
mod mincut;
mod options;
mod supply;
mod target;

pub use betweenness::{ChainBetweenness, ChainBetweennessOptions, PathLength, chain_betweenness};
pub use chain_network::{ChainNetwork, UNITS_PER_TONNE};
pub use criticality::{CountryCriticality, NodeCriticality};
pub use cuts::ChainCuts;
pub use dominators::SupplyDominators;
pub use mincut::{CountryPairCut, CutFlow, CutNode, MinCut};
pub use options::{FlowOptions, NodeLimit};
pub use supply::ChainSupply;
pub use target::Target;
