//! Nodes, flows and their ids.

use std::fmt;

use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use serde::{Deserialize, Serialize};

use crate::model::{Basis, Country, Mineral, Provenance, Stage, Tonnes, Usd};

/// The key of a node: one stage of one mineral in one country.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NodeKey {
    /// The country.
    pub country: Country,
    /// The mineral.
    pub mineral: Mineral,
    /// The stage.
    pub stage: Stage,
}

impl NodeKey {
    /// A key from its three parts.
    pub fn new(country: Country, mineral: Mineral, stage: Stage) -> NodeKey {
        NodeKey {
            country,
            mineral,
            stage,
        }
    }
}

impl fmt::Display for NodeKey {
    /// `MYS/rare-earths/refining`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("{}/{}/{}", self.country, self.mineral, self.stage))
    }
}

/// A node: one country's activity at one stage of one mineral, with its
/// optional annual output and capacity.
///
/// # Example
/// ```
/// use critical_minerals::{Country, Mineral, Node, Stage, Tonnes};
/// let n = Node::new(Country::MYS, Mineral::RARE_EARTHS, Stage::Refining)
///     .output(Tonnes::new(1_000.0)?);
/// assert_eq!(n.key.to_string(), "MYS/rare-earths/refining");
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Which country, mineral and stage.
    pub key: NodeKey,
    /// Annual output, when known.
    pub output: Option<Tonnes>,
    /// Annual capacity, when known.
    pub capacity: Option<Tonnes>,
    /// What the output and capacity figures measure (contained metal,
    /// oxide, gross weight), when known; `None` is compatible with any
    /// basis (see [`Basis`]).
    pub basis: Option<Basis>,
    /// Where the output and capacity figures come from.
    pub provenance: Provenance,
}

impl Node {
    /// A node with no output or capacity figures.
    pub fn new(country: Country, mineral: Mineral, stage: Stage) -> Node {
        Node::from_key(NodeKey::new(country, mineral, stage))
    }

    /// A node for a key, with no output or capacity figures.
    pub fn from_key(key: NodeKey) -> Node {
        Node {
            key,
            output: None,
            capacity: None,
            basis: None,
            provenance: Provenance::default(),
        }
    }

    /// Sets the annual output.
    pub fn output(mut self, t: Tonnes) -> Node {
        self.output = Some(t);
        self
    }

    /// Sets the annual capacity.
    pub fn capacity(mut self, t: Tonnes) -> Node {
        self.capacity = Some(t);
        self
    }

    /// Sets what the output and capacity figures measure.
    pub fn basis(mut self, basis: Basis) -> Node {
        self.basis = Some(basis);
        self
    }

    /// Sets the provenance.
    pub fn provenance(mut self, p: Provenance) -> Node {
        self.provenance = p;
        self
    }

    /// The country.
    pub fn country(&self) -> Country {
        self.key.country
    }

    /// The mineral.
    pub fn mineral(&self) -> &Mineral {
        &self.key.mineral
    }

    /// The stage.
    pub fn stage(&self) -> Stage {
        self.key.stage
    }
}

/// An annual flow of one mineral from one node to another.
///
/// # Example
/// ```
/// use critical_minerals::{Flow, Tonnes, Usd};
/// let f = Flow::new(Tonnes::new(500.0)?).value(Usd::new(1.2e6)?).year(2024);
/// assert_eq!(f.tonnes.get(), 500.0);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// Tonnes per year.
    pub tonnes: Tonnes,
    /// Value in US dollars, when known.
    pub value: Option<Usd>,
    /// The year the flow refers to, when known.
    pub year: Option<i16>,
    /// The HS-6 product code the flow was traded under, when it comes from
    /// trade data (HS 1992 codes for the built-in BACI table).
    pub hs6: Option<u32>,
    /// What the tonnes measure ([`Basis::PRODUCT_WEIGHT`] for traded
    /// quantities), when known; `None` is compatible with any basis.
    pub basis: Option<Basis>,
    /// Where the figure comes from.
    pub provenance: Provenance,
}

impl Flow {
    /// A flow of so many tonnes a year.
    pub fn new(tonnes: Tonnes) -> Flow {
        Flow {
            tonnes,
            value: None,
            year: None,
            hs6: None,
            basis: None,
            provenance: Provenance::default(),
        }
    }

    /// Sets the value in US dollars.
    pub fn value(mut self, v: Usd) -> Flow {
        self.value = Some(v);
        self
    }

    /// Sets the year.
    pub fn year(mut self, y: i16) -> Flow {
        self.year = Some(y);
        self
    }

    /// Sets the HS-6 product code.
    pub fn hs6(mut self, code: u32) -> Flow {
        self.hs6 = Some(code);
        self
    }

    /// Sets what the tonnes measure.
    pub fn basis(mut self, basis: Basis) -> Flow {
        self.basis = Some(basis);
        self
    }

    /// Sets the provenance.
    pub fn provenance(mut self, p: Provenance) -> Flow {
        self.provenance = p;
        self
    }
}

/// The id of a node in a [`SupplyChain`](crate::SupplyChain). Stays valid
/// when other nodes are removed.
///
/// Once a node is removed its id is free, and a later
/// [`add_node`](crate::SupplyChain::add_node) may reuse it (petgraph's
/// stable graph recycles vacant slots): do not keep ids of removed nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub(crate) u32);

/// The id of a flow in a [`SupplyChain`](crate::SupplyChain). Stays valid
/// when other flows or nodes are removed.
///
/// Once a flow is removed its id is free, and a later
/// [`add_flow`](crate::SupplyChain::add_flow) may reuse it: do not keep ids
/// of removed flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FlowId(pub(crate) u32);

impl NodeId {
    /// The id as a number (dense while no node has been removed).
    pub fn get(self) -> u32 {
        self.0
    }
    /// The matching petgraph index into [`SupplyChain::graph`](crate::SupplyChain::graph).
    pub fn index(self) -> NodeIndex<u32> {
        NodeIndex::new(self.0 as usize)
    }
}

impl From<NodeIndex<u32>> for NodeId {
    fn from(i: NodeIndex<u32>) -> NodeId {
        NodeId(i.index() as u32)
    }
}

impl FlowId {
    /// The id as a number (dense while no flow has been removed).
    pub fn get(self) -> u32 {
        self.0
    }
    /// The matching petgraph index into [`SupplyChain::graph`](crate::SupplyChain::graph).
    pub fn index(self) -> EdgeIndex<u32> {
        EdgeIndex::new(self.0 as usize)
    }
}

impl From<EdgeIndex<u32>> for FlowId {
    fn from(i: EdgeIndex<u32>) -> FlowId {
        FlowId(i.index() as u32)
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "n{}", self.0)
    }
}

impl fmt::Display for FlowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "f{}", self.0)
    }
}

/// A flow seen from the chain: its id, both ends and its data.
#[derive(Debug, Clone, Copy)]
pub struct FlowRef<'a> {
    /// The flow's id.
    pub id: FlowId,
    /// The sending node.
    pub from: NodeId,
    /// The receiving node.
    pub to: NodeId,
    /// The sending node's key.
    pub from_key: &'a NodeKey,
    /// The receiving node's key.
    pub to_key: &'a NodeKey,
    /// Tonnes, value, year, provenance.
    pub flow: &'a Flow,
}

impl FlowRef<'_> {
    /// Whether both ends are in one country.
    pub fn is_domestic(&self) -> bool {
        self.from_key.country == self.to_key.country
    }

    /// Tonnes per year.
    pub fn tonnes(&self) -> Tonnes {
        self.flow.tonnes
    }
}
