//! Graph algorithms on compact arrays: the engine behind chokepoint
//! analysis (max flow, criticality, dominators, articulation points,
//! betweenness, minimum cuts).

mod csr;

pub use csr::Adjacency;

// Structural measures (dominators, articulation points, betweenness).
mod articulation;
mod betweenness;
mod dominators;

pub use articulation::{
    ChainCuts, Cuts, UndirectedGraph, articulation_points, bridges, chain_cuts,
};
pub use betweenness::{
    BetweennessOptions, ChainBetweenness, ChainBetweennessOptions, PathLength, betweenness,
    betweenness_with, chain_betweenness, weighted_betweenness,
};
pub use dominators::{Dominators, SupplyDominators, dominators, supply_dominators};

// The chokepoint report (combines the structural and flow analyses).
mod report;

pub use report::{
    ChokepointOptions, ChokepointReport, ConcentratedStage, CountryRisk, NodeRisk, RiskKind,
};

// Flows (deliverable supply, criticality, batch removals, minimum cuts).
mod batch;
mod criticality;
pub mod flownet;
mod maxflow;
mod mincut;
mod peer;

pub use batch::SupplyEngine;
pub use criticality::{CountryCriticality, NodeCriticality};
pub use flownet::{
    FlowNetwork, FlowOptions, MAX_TOTAL_UNITS, NetEdge, NodeLimit, Target, UNITS_PER_TONNE,
};
pub use maxflow::MaxFlow;
pub use mincut::{CountryPairCut, CutArc, CutFlow, CutNode, MinCut};
pub use peer::{PeerGraph, PeerNode};
