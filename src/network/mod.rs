//! Graph algorithms on compact arrays: the engine behind chokepoint
//! analysis (max flow, criticality, dominators, articulation points,
//! betweenness, minimum cuts).

mod csr;

pub use csr::Adjacency;
