//! Policy simulations: scenarios as data, three propagation models that
//! bracket the outcome, Monte Carlo that shards.
//!
//! TODO docs
mod cascade;
mod exposure;
mod monte_carlo;
mod options;
mod outcome;
mod propagation;
mod reroute;
mod scenario;
mod simulator;
mod summary;

pub use monte_carlo::{FailureModel, GovernanceMapping, MonteCarlo, Severity};
pub use options::{Propagation, SimulationOptions};
pub use outcome::{Change, ConcentrationChange, Outcome};
pub use scenario::{Measure, Scenario, Shock};
pub use simulator::Simulator;
pub use summary::{RunRecord, Statistics, Summary};
