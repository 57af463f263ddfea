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
//! # Semantics
//!
//! A [`ChainNetwork`] is built for one mineral (or all of them) and a
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
