//! Graph algorithms on compact arrays: the engine behind chokepoint
//! analysis (max flow, criticality, dominators, articulation points,
//! betweenness, minimum cuts).

mod csr;

pub use csr::Adjacency;

// Structural measures (dominators, articulation points, betweenness).
mod articulation;
mod betweenness;
mod dominators;

pub use articulation::{Cuts, UndirectedGraph, articulation_points, bridges};
pub use betweenness::{
    BetweennessOptions, ChainBetweenness, ChainBetweennessOptions, PathLength, betweenness,
    betweenness_with, chain_betweenness, weighted_betweenness,
};
pub use dominators::{Dominators, dominators};
