//! How a simulation runs: the propagation model and its settings.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::Mineral;
use crate::network::LinkCapacity;

/// How a shock propagates to the target; every outcome names the model it
/// was computed with. Together the three bracket the outcome: exposure is
/// the direct hit, cascade the knock-on loss with no adaptation, reroute
/// the best case with every spare capacity used.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Propagation {
    /// First order: the tonnes lost on the flows into the target that the
    /// shock cuts directly (a removed or cut supplier, a restricted link, a
    /// removed or cut target). No propagation.
    Exposure,
    /// Shortfalls pass downstream in proportion to each node's inputs,
    /// through recycling loops until they settle. No adaptation: nothing
    /// reroutes, new capacity only offsets cuts.
    #[default]
    Cascade,
    /// Best case: the maximum deliverable supply after the shock, capped
    /// at the baseline, with spare capacity and links usable as
    /// [`SimulationOptions::links`] allows.
    Reroute,
}

impl Propagation {
    /// All three, in bracket order.
    pub const ALL: [Propagation; 3] = [
        Propagation::Exposure,
        Propagation::Cascade,
        Propagation::Reroute,
    ];
}

impl fmt::Display for Propagation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Propagation::Exposure => "exposure",
            Propagation::Cascade => "cascade",
            Propagation::Reroute => "reroute",
        })
    }
}

/// Options for a [`Simulator`](crate::simulation::Simulator).
///
/// # Example
/// ```
/// use critical_minerals::Mineral;
/// use critical_minerals::network::LinkCapacity;
/// use critical_minerals::simulation::SimulationOptions;
/// let opts = SimulationOptions::new().mineral(Mineral::RARE_EARTHS).links(LinkCapacity::Observed);
/// assert_eq!(opts.tolerance, 1e-9);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SimulationOptions {
    /// Only the nodes and flows of this mineral; `None` (the default):
    /// every mineral.
    pub mineral: Option<Mineral>,
    /// What a link can carry under [`Propagation::Reroute`] (default
    /// [`LinkCapacity::UpToExporter`]: the best case). A multiple below 1
    /// makes the baseline itself undeliverable.
    pub links: LinkCapacity,
    /// The cascade stops sweeping a loop when no node's kept fraction
    /// changes by more than this in a sweep (default `1e-9`).
    pub tolerance: f64,
    /// The cascade gives up ([`Error::NotConverged`](crate::Error::NotConverged))
    /// after this many sweeps of one loop (default 100,000).
    pub max_sweeps: usize,
    /// How many nodes and countries an outcome lists as losing most
    /// (default 10).
    pub top: usize,
}

impl Default for SimulationOptions {
    fn default() -> Self {
        SimulationOptions {
            mineral: None,
            links: LinkCapacity::UpToExporter,
            tolerance: 1e-9,
            max_sweeps: 100_000,
            top: 10,
        }
    }
}

impl SimulationOptions {
    /// The defaults: every mineral, links up to the exporter, tolerance
    /// `1e-9`, 100,000 sweeps, top 10.
    pub fn new() -> SimulationOptions {
        SimulationOptions::default()
    }

    /// Only the nodes and flows of this mineral.
    pub fn mineral(mut self, m: Mineral) -> SimulationOptions {
        self.mineral = Some(m);
        self
    }

    /// What a link can carry under reroute.
    pub fn links(mut self, links: LinkCapacity) -> SimulationOptions {
        self.links = links;
        self
    }

    /// The cascade's tolerance.
    pub fn tolerance(mut self, tolerance: f64) -> SimulationOptions {
        self.tolerance = tolerance;
        self
    }

    /// The cascade's sweep limit.
    pub fn max_sweeps(mut self, max_sweeps: usize) -> SimulationOptions {
        self.max_sweeps = max_sweeps;
        self
    }

    /// How many nodes and countries an outcome lists.
    pub fn top(mut self, top: usize) -> SimulationOptions {
        self.top = top;
        self
    }
}
