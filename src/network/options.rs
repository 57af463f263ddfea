//! How a chain's flow network is built: which mineral, which node figure
//! limits the flow, where supply enters, what a link can carry.

use serde::{Deserialize, Serialize};

use crate::model::{ContentFactors, Mineral};

/// Which figure limits what a node can pass (and what an extraction node can
/// supply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeLimit {
    /// The observed annual output; the capacity when no output is given.
    #[default]
    Output,
    /// The nominal capacity; the output when no capacity is given (the
    /// output is a lower bound of the capacity, so this stays conservative);
    /// the observed throughput (the larger of inflow and outflow) when
    /// neither is given: what a node demonstrably passed, so a node without
    /// figures is never an unbounded conduit when links may carry more than
    /// they did ([`LinkCapacity::UpToExporter`]).
    Capacity,
}

/// Where supply enters the network from the super-source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceRule {
    /// Only extraction nodes originate supply, up to their limit (see
    /// [`NodeLimit`]) or, with no figure, up to the tonnes they ship. The
    /// rule of the peer benchmark's files; a chain whose refined products
    /// have no recorded inputs then delivers nothing.
    Extraction,
    /// Every node originates what it puts out beyond what it takes in: its
    /// limit (output or capacity, see [`NodeLimit`]) beyond its recorded
    /// inflow, or, with no figure, its outflow beyond its inflow. For an
    /// extraction node with no inputs this is the [`SourceRule::Extraction`]
    /// supply; a refinery whose ore is not in the data (a chain built from
    /// trade, where refined metal is exported with no recorded inputs)
    /// supplies what it ships. The default.
    #[default]
    Origination,
}

/// What a link (a flow of the chain) can carry in the network.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkCapacity {
    /// Its observed tonnes (the default): nothing can reroute. Flows of zero
    /// tonnes are not links.
    #[default]
    Observed,
    /// A stated multiple of its observed tonnes (finite and non-negative):
    /// `Multiple(1.5)` lets every link carry half as much again. Flows of
    /// zero tonnes stay zero.
    Multiple(f64),
    /// Up to what the exporting node can pass: its limit (see [`NodeLimit`];
    /// pair with [`NodeLimit::Capacity`] so spare capacity counts), never
    /// less than the observed tonnes, unbounded when the exporter has no
    /// figure. Flows of zero tonnes are links too (a trade relation that
    /// carried nothing this year can carry again). The best-case lens: trade
    /// reroutes through every existing link.
    UpToExporter,
}

/// How to build a [`ChainNetwork`](crate::network::ChainNetwork) from a
/// [`SupplyChain`](crate::SupplyChain): which mineral, which node figure
/// limits the flow, where supply enters, what a link can carry.
///
/// The default: every mineral, observed outputs, supply entering wherever
/// a node originates it ([`SourceRule::Origination`]), links carrying their
/// observed tonnes.
///
/// # Example
/// ```
/// use critical_minerals::{Mineral, network::{FlowOptions, LinkCapacity, NodeLimit, SourceRule}};
/// let opts = FlowOptions::new()
///     .mineral(Mineral::RARE_EARTHS)
///     .limit(NodeLimit::Capacity)
///     .links(LinkCapacity::UpToExporter);
/// assert_eq!(opts.limit, NodeLimit::Capacity);
/// assert_eq!(opts.sources, SourceRule::Origination);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowOptions {
    /// Only the nodes and flows of this mineral; `None` (the default): every
    /// mineral.
    pub mineral: Option<Mineral>,
    /// Which node figure limits the flow (default: the observed output).
    pub limit: NodeLimit,
    /// Where supply enters (default: [`SourceRule::Origination`]).
    pub sources: SourceRule,
    /// What a link can carry (default: [`LinkCapacity::Observed`]).
    pub links: LinkCapacity,
    /// Only the flows traded under this HS-6 code (see
    /// [`FlowOptions::product`]); `None` (the default): every flow.
    pub product: Option<u32>,
    /// Content factors converting every node figure and flow used to one
    /// basis (see [`FlowOptions::content`]); `None` (the default): figures
    /// of different bases are refused.
    pub content: Option<ContentFactors>,
}

impl FlowOptions {
    /// The defaults: every mineral, observed outputs, origination, observed
    /// link tonnes.
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

    /// Where supply enters.
    pub fn sources(mut self, rule: SourceRule) -> FlowOptions {
        self.sources = rule;
        self
    }

    /// One product's trade network: only the flows whose
    /// [`Flow::hs6`](crate::Flow::hs6) is `code`, and no node figures
    /// (production output measures the mineral, not the product, and is
    /// usually on another basis), so supply enters where a node ships more
    /// of the product than it receives ([`SourceRule::Origination`]).
    /// This is the way to ask for chokepoints on the built-in world chain
    /// without content factors.
    pub fn product(mut self, code: u32) -> FlowOptions {
        self.product = Some(code);
        self
    }

    /// Converts every figure the network uses (node outputs or
    /// capacities, flow tonnes) to `factors`' target basis before adding
    /// any, by the rule of [`ContentFactors`]: a figure with neither a
    /// factor nor the target basis is refused with
    /// [`Error::MixedBasis`](crate::Error::MixedBasis) naming it. The
    /// network reports what it applied:
    /// [`ChainNetwork::conversions`](crate::network::ChainNetwork::conversions).
    /// A flow's factor by (mineral, stage, basis) is looked up at its
    /// exporter's stage (the material shipped).
    pub fn content(mut self, factors: ContentFactors) -> FlowOptions {
        self.content = Some(factors);
        self
    }

    /// What a link can carry.
    pub fn links(mut self, links: LinkCapacity) -> FlowOptions {
        self.links = links;
        self
    }
}
