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
//! * a **super-source** feeds every node that originates supply, by the
//!   [`SourceRule`]: by default ([`SourceRule::Origination`]) a node's
//!   limit beyond its recorded inflow, or, with no output or capacity
//!   figure, its outflow beyond its inflow, so a refinery whose ore is not
//!   in the data still supplies what it ships; with
//!   [`SourceRule::Extraction`] only extraction nodes, up to their output
//!   (or capacity) or, with neither figure, the tonnes they ship (the rule
//!   of the peer benchmark's files);
//! * every node passes at most its limit (output or capacity, see
//!   [`NodeLimit`]; a node with neither figure is not a constraint under
//!   [`NodeLimit::Output`], and passes at most its observed throughput
//!   under [`NodeLimit::Capacity`]). Node limits are modelled by **node
//!   splitting**: `v` becomes `v_in → v_out` with the limit on that arc;
//! * every flow carries what [`LinkCapacity`] allows: its observed tonnes
//!   (the default: nothing reroutes; zero-tonne flows are not links), a
//!   stated multiple, or up to what its exporter can pass
//!   ([`LinkCapacity::UpToExporter`]: the best case, where trade reroutes
//!   through every existing link, zero-tonne ones included);
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
pub use options::{FlowOptions, LinkCapacity, NodeLimit, SourceRule};
pub use supply::ChainSupply;
pub use target::Target;
