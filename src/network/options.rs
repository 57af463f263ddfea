//! How a chain's flow network is built: which mineral, which node figure
//! limits the flow, whether zero-tonne flows are links.

use serde::{Deserialize, Serialize};

use crate::model::Mineral;

/// Which figure limits what a node can pass (and what an extraction node can
/// supply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeLimit {
    /// The observed annual output; the capacity when no output is given.
    #[default]
    Output,
    /// The nominal capacity; the output when no capacity is given (the
    /// output is a lower bound of the capacity, so this stays conservative).
    Capacity,
}

/// How to build a [`ChainNetwork`](crate::network::ChainNetwork) from a
/// [`SupplyChain`](crate::SupplyChain): which mineral, which node figure
/// limits the flow, whether zero-tonne flows are links.
///
/// The default: every mineral, observed outputs, zero-tonne flows dropped.
///
/// # Example
/// ```
/// use critical_minerals::{Mineral, network::{FlowOptions, NodeLimit}};
/// let opts = FlowOptions::new().mineral(Mineral::RARE_EARTHS).limit(NodeLimit::Capacity);
/// assert_eq!(opts.limit, NodeLimit::Capacity);
/// assert!(!opts.allow_zero_flows);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowOptions {
    /// Only the nodes and flows of this mineral; `None` (the default): every
    /// mineral.
    pub mineral: Option<Mineral>,
    /// Which node figure limits the flow (default: the observed output).
    pub limit: NodeLimit,
    /// Whether flows of zero observed tonnes are kept as links of unbounded
    /// capacity (`true`) or dropped (`false`, the default). A trade link
    /// that exists but carried nothing this year may still carry what its
    /// two ends can pass.
    pub allow_zero_flows: bool,
}

impl FlowOptions {
    /// The defaults: every mineral, observed outputs, zero-tonne flows dropped.
    pub fn new() -> FlowOptions {
        FlowOptions::default()
    }

    /// Only the nodes and flows of this mineral.
    pub fn mineral(mut self, m: Mineral) -> FlowOptions {
        self.mineral = Some(m);
        self
    }

    /// Which node figure limits the flow.
    pub fn limit(mut self, limit: NodeLimit) -> FlowOptions {
        self.limit = limit;
        self
    }

    /// Whether zero-tonne flows are kept as links of unbounded capacity.
    pub fn allow_zero_flows(mut self, allow: bool) -> FlowOptions {
        self.allow_zero_flows = allow;
        self
    }
}
