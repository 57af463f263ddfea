//! The graph engine: compact integer graphs and the algorithms behind
//! chokepoint analysis. Nodes are `u32` indices `0..n`, capacities whole
//! units (`i64`); nothing here knows about supply chains, countries or
//! tonnes (the crate's `network` module adapts a supply chain to it), so this module could
//! be lifted into a crate of its own. Its only dependency inside the crate is
//! the crate's one [`Error`](crate::Error) type: one error enum for the whole
//! public API, as the crate's style asks; a lifted engine would take a
//! copy of the five variants it uses.
//!
//! | question | call | cost |
//! |---|---|---|
//! | a compact directed graph (CSR) and its reverse | [`Adjacency::from_edges`], [`Adjacency::reversed`] | O(V + E) |
//! | a flow network from integer arrays | [`FlowNetwork::new`], [`FlowNetwork::with_node_limits`] | O(V + E) |
//! | maximum flow (value, flow on every arc) | [`FlowNetwork::max_flow_value`], [`FlowNetwork::max_flow`] | Dinic per weakly connected component: O(V² E) worst case, near-linear on layered graphs |
//! | maximum flow with given nodes removed, one set or many | [`SupplyEngine::supply_without`], [`SupplyEngine::supply_without_each`] | one baseline max flow, then per set only the touched components, warm-started |
//! | maximum flow with each node removed alone | [`SupplyEngine::supply_without_each_node`] | nodes carrying no flow free; worst case O(V · one component max flow) |
//! | minimum capacity cut | [`SupplyEngine::min_cut_arcs`], [`SupplyEngine::cut_capacity`] | O(V + E) after the baseline |
//! | fewest nodes disconnecting the targets | [`FlowNetwork::min_node_cut`] | O(E √V) (unit-capacity Dinic) |
//! | dominator tree | [`dominators`] | O((V + E) log V), near-linear in practice |
//! | the supply structure of a flow network, nodes on supply paths | [`FlowNetwork::supply_graph`], [`FlowNetwork::on_supply_paths`], [`on_paths`], [`mark_reachable`] | O(V + E) |
//! | articulation points and bridges | [`UndirectedGraph::cuts`], [`articulation_points`], [`bridges`] | O(V + E) |
//! | proportional propagation of factors (cascade), compiled once, solved per factor set or [`Cascade::BATCH`] sets at once | [`Cascade::new`], [`Cascade::solve`], [`Cascade::solve_batch`] | O(V + E) to compile; O(V + E) per solve plus sweeps inside loops (a batch shares the index work) |
//! | betweenness, hop count | [`betweenness`], [`betweenness_with`] | O(V·E) |
//! | betweenness, weighted | [`weighted_betweenness`] | O(V·E log V) |
//!
//! Every constructor that takes a node count checks it before allocating
//! ([`Adjacency::try_from_edges`], [`UndirectedGraph::try_from_edges`],
//! [`FlowNetwork::new`]): at most [`MAX_NODES`], and at most two per edge
//! plus [`MAX_ISOLATED_NODES`]. The infallible `from_edges` are the `try_`
//! twins' panicking wrappers, for sizes the caller controls.
//!
//! Parallel algorithms (batch removals, betweenness, components of a
//! maximum flow) give the same numbers whatever the thread count.

mod adjacency;
mod articulation;
mod batch;
mod betweenness;
mod cascade;
mod dominators;
mod flownet;
mod maxflow;
mod mincut;

pub use adjacency::{Adjacency, MAX_ISOLATED_NODES, MAX_NODES};
pub use articulation::{Cuts, UndirectedGraph, articulation_points, bridges};
pub use batch::SupplyEngine;
pub use betweenness::{BetweennessOptions, betweenness, betweenness_with, weighted_betweenness};
pub use cascade::{Cascade, CascadeBatchWork, CascadeWork};
pub use dominators::{Dominators, dominators, mark_reachable, on_paths};
pub use flownet::{FlowNetwork, MAX_TOTAL_UNITS, NetEdge};
pub use maxflow::MaxFlow;
pub use mincut::CutArc;
