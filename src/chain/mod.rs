//! The supply-chain graph: nodes `(country, mineral, stage)`, flows between
//! them, and the agreements, restrictions and sources that go with them.

mod display;
mod json;
mod node;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;

pub use json::{MAX_ID_HOLES, SCHEMA_NAME, SCHEMA_VERSION};
pub use node::{Flow, FlowId, FlowRef, Node, NodeId, NodeKey};

use crate::error::{Error, Result};
use crate::model::{
    Agreement, Country, ExportRestriction, Mineral, Provenance, Source, Stage, Tonnes,
};

/// The petgraph graph underneath a [`SupplyChain`], for callers who want
/// petgraph's own algorithms. Node and edge indices match [`NodeId::index`]
/// and [`FlowId::index`].
pub type ChainGraph = StableDiGraph<Node, Flow, u32>;

/// What [`SupplyChain::add_flows_by_key`] added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddedFlows {
    /// The flows, in the order given.
    pub flows: Vec<FlowId>,
    /// The end nodes that had to be created, in the order created.
    pub nodes: Vec<NodeId>,
}

/// One mineral supply chain (or several): nodes keyed by `(country, mineral,
/// stage)`, annual flows between them, and the agreements, export
/// restrictions and sources that go with them.
///
/// Flows connect nodes that already exist (add both ends first, or use
/// [`SupplyChain::ensure_node`]). Every mutation validates its input first
/// and changes nothing when it returns an error. Ids stay valid when other
/// nodes or flows are removed (a petgraph `StableDiGraph` underneath).
///
/// Indexes kept in step with the graph: node key → id (O(1) lookup) and
/// ordered country pair → flows (O(1) + the flows returned).
///
/// # Example
/// ```
/// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
/// let mut chain = SupplyChain::new();
/// let ree = Mineral::RARE_EARTHS;
/// let mine = chain.add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction)
///     .output(Tonnes::new(13_000.0)?))?;
/// let refinery = chain.add_node(Node::new(Country::MYS, ree.clone(), Stage::Refining))?;
/// chain.add_flow(mine, refinery, Flow::new(Tonnes::new(10_000.0)?))?;
/// // A refinery cannot ship back to a mine: refused, and nothing changes.
/// assert!(chain.add_flow(refinery, mine, Flow::new(Tonnes::new(1.0)?)).is_err());
/// assert_eq!(chain.flow_count(), 1);
/// assert_eq!(chain.flows_between(Country::AUS, Country::MYS).count(), 1);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct SupplyChain {
    graph: ChainGraph,
    by_key: HashMap<NodeKey, NodeIndex<u32>>,
    by_pair: HashMap<(Country, Country), Vec<EdgeIndex<u32>>>,
    sources: BTreeMap<String, Source>,
    agreements: BTreeMap<String, Agreement>,
    restrictions: BTreeMap<String, ExportRestriction>,
}

impl SupplyChain {
    /// An empty chain.
    pub fn new() -> SupplyChain {
        SupplyChain::default()
    }

    // ----- sources and policy ------------------------------------------------

    /// Registers a source that provenance records can name.
    ///
    /// # Errors
    /// [`Error::InvalidId`] for a bad id, [`Error::DuplicateId`] when the
    /// id is taken.
    pub fn add_source(&mut self, source: Source) -> Result<()> {
        source.validate()?;
        if self.sources.contains_key(&source.id) {
            return Err(Error::DuplicateId {
                kind: "source",
                id: source.id,
            });
        }
        self.sources.insert(source.id.clone(), source);
        Ok(())
    }

    /// A registered source by id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.get(id)
    }

    /// Every registered source, by id.
    pub fn sources(&self) -> impl Iterator<Item = &Source> {
        self.sources.values()
    }

    /// Adds an agreement.
    ///
    /// # Errors
    /// [`Error::InvalidId`] or [`Error::Inconsistent`] when it is invalid
    /// (see [`Agreement::validate`]), [`Error::DuplicateId`] when its id is taken,
    /// [`Error::UnknownSource`] when its provenance names an unregistered
    /// source.
    pub fn add_agreement(&mut self, agreement: Agreement) -> Result<()> {
        agreement.validate()?;
        self.check_provenance(&agreement.provenance)?;
        if self.agreements.contains_key(&agreement.id) {
            return Err(Error::DuplicateId {
                kind: "agreement",
                id: agreement.id,
            });
        }
        self.agreements.insert(agreement.id.clone(), agreement);
        Ok(())
    }

    /// An agreement by id.
    pub fn agreement(&self, id: &str) -> Option<&Agreement> {
        self.agreements.get(id)
    }

    /// Every agreement, by id.
    pub fn agreements(&self) -> impl Iterator<Item = &Agreement> {
        self.agreements.values()
    }

    /// The agreements both `a` and `b` are party to (bilateral or
    /// multilateral), by id.
    pub fn agreements_between(&self, a: Country, b: Country) -> impl Iterator<Item = &Agreement> {
        self.agreements
            .values()
            .filter(move |ag| a != b && ag.is_party(a) && ag.is_party(b))
    }

    /// Removes an agreement, returning it.
    pub fn remove_agreement(&mut self, id: &str) -> Option<Agreement> {
        self.agreements.remove(id)
    }

    /// Adds an export restriction.
    ///
    /// # Errors
    /// As for [`SupplyChain::add_agreement`].
    pub fn add_restriction(&mut self, restriction: ExportRestriction) -> Result<()> {
        restriction.validate()?;
        self.check_provenance(&restriction.provenance)?;
        if self.restrictions.contains_key(&restriction.id) {
            return Err(Error::DuplicateId {
                kind: "restriction",
                id: restriction.id,
            });
        }
        self.restrictions
            .insert(restriction.id.clone(), restriction);
        Ok(())
    }

    /// A restriction by id.
    pub fn restriction(&self, id: &str) -> Option<&ExportRestriction> {
        self.restrictions.get(id)
    }

    /// Every restriction, by id.
    pub fn restrictions(&self) -> impl Iterator<Item = &ExportRestriction> {
        self.restrictions.values()
    }

    /// The restrictions `imposer` places that reach exports toward
    /// `destination` (for some mineral and stage; whatever the date).
    pub fn restrictions_toward(
        &self,
        imposer: Country,
        destination: Country,
    ) -> impl Iterator<Item = &ExportRestriction> {
        self.restrictions.values().filter(move |r| {
            r.imposer == imposer && destination != imposer && r.targets.reaches(destination)
        })
    }

    /// Removes a restriction, returning it.
    pub fn remove_restriction(&mut self, id: &str) -> Option<ExportRestriction> {
        self.restrictions.remove(id)
    }

    fn check_provenance(&self, p: &Provenance) -> Result<()> {
        match p.sources.iter().find(|s| !self.sources.contains_key(*s)) {
            Some(s) => Err(Error::UnknownSource { id: s.clone() }),
            None => Ok(()),
        }
    }

    // ----- nodes ---------------------------------------------------------------

    /// Adds a node.
    ///
    /// # Errors
    /// [`Error::DuplicateNode`] when its key is taken; [`Error::UnknownSource`]
    /// when its provenance names an unregistered source.
    pub fn add_node(&mut self, node: Node) -> Result<NodeId> {
        if self.by_key.contains_key(&node.key) {
            return Err(Error::DuplicateNode { key: node.key });
        }
        self.check_provenance(&node.provenance)?;
        let key = node.key.clone();
        let ix = self.graph.add_node(node);
        self.by_key.insert(key, ix);
        Ok(ix.into())
    }

    /// The id of the node with this key, adding a node with no figures if
    /// there is none. Cannot fail: every part of a key is already validated.
    pub fn ensure_node(&mut self, key: NodeKey) -> NodeId {
        if let Some(ix) = self.by_key.get(&key) {
            return (*ix).into();
        }
        let ix = self.graph.add_node(Node::from_key(key.clone()));
        self.by_key.insert(key, ix);
        ix.into()
    }

    /// Sets a node's output.
    ///
    /// # Errors
    /// [`Error::UnknownNode`] when the id is not in the chain.
    pub fn set_output(&mut self, id: NodeId, output: Option<Tonnes>) -> Result<()> {
        self.node_mut(id)?.output = output;
        Ok(())
    }

    /// Sets a node's capacity.
    ///
    /// # Errors
    /// [`Error::UnknownNode`] when the id is not in the chain.
    pub fn set_capacity(&mut self, id: NodeId, capacity: Option<Tonnes>) -> Result<()> {
        self.node_mut(id)?.capacity = capacity;
        Ok(())
    }

    /// Sets a node's provenance.
    ///
    /// # Errors
    /// [`Error::UnknownNode`], [`Error::UnknownSource`].
    pub fn set_node_provenance(&mut self, id: NodeId, p: Provenance) -> Result<()> {
        self.check_provenance(&p)?;
        self.node_mut(id)?.provenance = p;
        Ok(())
    }

    fn node_mut(&mut self, id: NodeId) -> Result<&mut Node> {
        self.graph
            .node_weight_mut(id.index())
            .ok_or(Error::UnknownNode { id })
    }

    /// Removes a node and every flow into or out of it, returning the node.
    /// Every other id stays valid; the removed ids may be reused by later
    /// additions.
    ///
    /// # Errors
    /// [`Error::UnknownNode`] when the id is not in the chain.
    pub fn remove_node(&mut self, id: NodeId) -> Result<Node> {
        let ix = id.index();
        if !self.graph.contains_node(ix) {
            return Err(Error::UnknownNode { id });
        }
        let incident: Vec<EdgeIndex<u32>> = self
            .graph
            .edges_directed(ix, Direction::Outgoing)
            .chain(self.graph.edges_directed(ix, Direction::Incoming))
            .map(|e| e.id())
            .collect();
        for e in incident {
            self.unindex_flow(e);
        }
        let node = self
            .graph
            .remove_node(ix)
            .ok_or(Error::UnknownNode { id })?;
        self.by_key.remove(&node.key);
        Ok(node)
    }

    /// A node by id.
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.graph.node_weight(id.index())
    }

    /// The id of the node with this key.
    pub fn node_id(&self, key: &NodeKey) -> Option<NodeId> {
        self.by_key.get(key).map(|ix| (*ix).into())
    }

    /// The node with this key, with its id.
    pub fn node_by_key(&self, key: &NodeKey) -> Option<(NodeId, &Node)> {
        let ix = *self.by_key.get(key)?;
        Some((ix.into(), &self.graph[ix]))
    }

    /// Every node with its id, in id order.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeId, &Node)> {
        self.graph
            .node_indices()
            .map(move |ix| (ix.into(), &self.graph[ix]))
    }

    /// The nodes of one country, in id order. O(V).
    pub fn nodes_of_country(&self, c: Country) -> impl Iterator<Item = (NodeId, &Node)> {
        self.nodes().filter(move |(_, n)| n.key.country == c)
    }

    /// The nodes of one mineral, in id order. O(V).
    pub fn nodes_of_mineral<'a>(
        &'a self,
        m: &'a Mineral,
    ) -> impl Iterator<Item = (NodeId, &'a Node)> + 'a {
        self.nodes().filter(move |(_, n)| &n.key.mineral == m)
    }

    /// The nodes at one stage, in id order. O(V).
    pub fn nodes_at_stage(&self, s: Stage) -> impl Iterator<Item = (NodeId, &Node)> {
        self.nodes().filter(move |(_, n)| n.key.stage == s)
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// The countries that have at least one node, sorted.
    pub fn countries(&self) -> BTreeSet<Country> {
        self.by_key.keys().map(|k| k.country).collect()
    }

    /// The minerals that have at least one node, sorted.
    pub fn minerals(&self) -> BTreeSet<Mineral> {
        self.by_key.keys().map(|k| k.mineral.clone()).collect()
    }

    /// Total output of the nodes of one mineral at one stage (nodes with no
    /// output figure count as zero; aggregates such as `WLD` are excluded,
    /// `ROW` is included).
    pub fn total_output(&self, mineral: &Mineral, stage: Stage) -> Tonnes {
        self.nodes()
            .filter(|(_, n)| {
                &n.key.mineral == mineral && n.key.stage == stage && n.key.country != Country::WLD
            })
            .filter_map(|(_, n)| n.output)
            .sum()
    }

    // ----- flows ---------------------------------------------------------------

    /// Adds a flow from one node to another.
    ///
    /// Both nodes must exist, be of the same mineral, and the stages must be
    /// a valid transition (see [`Stage::can_flow_to`]); a flow from a node to
    /// itself is the same stage within one country, so it is refused too.
    ///
    /// # Errors
    /// [`Error::UnknownNode`], [`Error::MineralMismatch`],
    /// [`Error::InvalidTransition`], [`Error::UnknownSource`]. The chain is
    /// unchanged on error.
    pub fn add_flow(&mut self, from: NodeId, to: NodeId, flow: Flow) -> Result<FlowId> {
        let a = self.node(from).ok_or(Error::UnknownNode { id: from })?;
        let b = self.node(to).ok_or(Error::UnknownNode { id: to })?;
        if a.key.mineral != b.key.mineral {
            return Err(Error::MineralMismatch {
                from: a.key.mineral.clone(),
                to: b.key.mineral.clone(),
            });
        }
        let pair = (a.key.country, b.key.country);
        a.key
            .stage
            .check_transition(b.key.stage, pair.0 != pair.1)?;
        self.check_provenance(&flow.provenance)?;
        let e = self.graph.add_edge(from.index(), to.index(), flow);
        self.by_pair.entry(pair).or_default().push(e);
        Ok(e.into())
    }

    /// Adds a batch of flows between nodes named by key, all or nothing.
    ///
    /// End nodes that do not exist yet are created with no figures (as
    /// [`SupplyChain::ensure_node`]). Each flow is validated as
    /// [`SupplyChain::add_flow`] does; if one is refused, every flow and
    /// node the batch added is removed again before the error is returned,
    /// so the chain is as it was. O(F) plus the chain's insertion costs.
    ///
    /// # Errors
    /// The first error [`SupplyChain::add_flow`] returns.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Flow, Mineral, NodeKey, Stage, SupplyChain, Tonnes};
    /// let key = |c, s| NodeKey::new(c, Mineral::COBALT, s);
    /// let mut chain = SupplyChain::new();
    /// let ok = (key(Country::COD, Stage::Extraction), key(Country::CHN, Stage::Refining),
    ///     Flow::new(Tonnes::new(100.0)?));
    /// let bad = (key(Country::CHN, Stage::Refining), key(Country::COD, Stage::Extraction),
    ///     Flow::new(Tonnes::new(1.0)?));
    /// assert!(chain.add_flows_by_key([ok.clone(), bad]).is_err());
    /// assert_eq!((chain.node_count(), chain.flow_count()), (0, 0));
    /// let added = chain.add_flows_by_key([ok])?;
    /// assert_eq!((added.flows.len(), added.nodes.len()), (1, 2));
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn add_flows_by_key<I>(&mut self, flows: I) -> Result<AddedFlows>
    where
        I: IntoIterator<Item = (NodeKey, NodeKey, Flow)>,
    {
        let mut added = AddedFlows::default();
        for (from, to, flow) in flows {
            let from = self.ensure_node_tracked(from, &mut added.nodes);
            let to = self.ensure_node_tracked(to, &mut added.nodes);
            match self.add_flow(from, to, flow) {
                Ok(id) => added.flows.push(id),
                Err(e) => {
                    self.undo(&added);
                    return Err(e);
                }
            }
        }
        Ok(added)
    }

    fn ensure_node_tracked(&mut self, key: NodeKey, created: &mut Vec<NodeId>) -> NodeId {
        match self.node_id(&key) {
            Some(id) => id,
            None => {
                let id = self.ensure_node(key);
                created.push(id);
                id
            }
        }
    }

    /// Removes what a batch added, flows then nodes, newest first, so the
    /// graph's free lists come back as they were.
    pub(crate) fn undo(&mut self, added: &AddedFlows) {
        for f in added.flows.iter().rev() {
            // The ids were just returned by this chain, so removal cannot miss.
            let _ = self.remove_flow(*f);
        }
        for n in added.nodes.iter().rev() {
            let _ = self.remove_node(*n);
        }
    }

    /// Changes the tonnes of a flow.
    ///
    /// # Errors
    /// [`Error::UnknownFlow`] when the id is not in the chain.
    pub fn set_flow_tonnes(&mut self, id: FlowId, tonnes: Tonnes) -> Result<()> {
        self.graph
            .edge_weight_mut(id.index())
            .ok_or(Error::UnknownFlow { id })?
            .tonnes = tonnes;
        Ok(())
    }

    /// Removes a flow, returning it. Every other id stays valid; the removed
    /// id may be reused by a later addition.
    ///
    /// # Errors
    /// [`Error::UnknownFlow`] when the id is not in the chain.
    pub fn remove_flow(&mut self, id: FlowId) -> Result<Flow> {
        if self.graph.edge_weight(id.index()).is_none() {
            return Err(Error::UnknownFlow { id });
        }
        self.unindex_flow(id.index());
        self.graph
            .remove_edge(id.index())
            .ok_or(Error::UnknownFlow { id })
    }

    fn unindex_flow(&mut self, e: EdgeIndex<u32>) {
        if let Some((s, t)) = self.graph.edge_endpoints(e) {
            let pair = (self.graph[s].key.country, self.graph[t].key.country);
            if let Some(v) = self.by_pair.get_mut(&pair) {
                v.retain(|x| *x != e);
                if v.is_empty() {
                    self.by_pair.remove(&pair);
                }
            }
        }
    }

    fn flow_ref(&self, e: EdgeIndex<u32>) -> Option<FlowRef<'_>> {
        let (s, t) = self.graph.edge_endpoints(e)?;
        Some(FlowRef {
            id: e.into(),
            from: s.into(),
            to: t.into(),
            from_key: &self.graph[s].key,
            to_key: &self.graph[t].key,
            flow: &self.graph[e],
        })
    }

    /// A flow by id.
    pub fn flow(&self, id: FlowId) -> Option<FlowRef<'_>> {
        self.flow_ref(id.index())
    }

    /// Every flow, in id order.
    pub fn flows(&self) -> impl Iterator<Item = FlowRef<'_>> {
        self.graph
            .edge_indices()
            .filter_map(move |e| self.flow_ref(e))
    }

    /// The flows out of a node (empty for an unknown id), in id order.
    pub fn flows_out(&self, id: NodeId) -> impl Iterator<Item = FlowRef<'_>> {
        self.incident(id, Direction::Outgoing)
    }

    /// The flows into a node (empty for an unknown id), in id order.
    pub fn flows_in(&self, id: NodeId) -> impl Iterator<Item = FlowRef<'_>> {
        self.incident(id, Direction::Incoming)
    }

    fn incident(&self, id: NodeId, dir: Direction) -> impl Iterator<Item = FlowRef<'_>> {
        let mut es: Vec<EdgeIndex<u32>> = if self.graph.contains_node(id.index()) {
            self.graph
                .edges_directed(id.index(), dir)
                .map(|e| e.id())
                .collect()
        } else {
            Vec::new()
        };
        es.sort_unstable();
        es.into_iter().filter_map(move |e| self.flow_ref(e))
    }

    /// The flows from any node of `from` to any node of `to`, in the order
    /// they were added. `from == to` gives the domestic flows. An index
    /// lookup: O(1) plus the flows returned.
    pub fn flows_between(&self, from: Country, to: Country) -> impl Iterator<Item = FlowRef<'_>> {
        self.by_pair
            .get(&(from, to))
            .into_iter()
            .flatten()
            .filter_map(move |e| self.flow_ref(*e))
    }

    /// Number of flows.
    pub fn flow_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Sum of the tonnes of every flow.
    pub fn total_flow(&self) -> Tonnes {
        self.graph.edge_weights().map(|f| f.tonnes).sum()
    }

    /// The petgraph graph underneath, read-only.
    pub fn graph(&self) -> &ChainGraph {
        &self.graph
    }
}

impl PartialEq for SupplyChain {
    /// Same nodes and flows under the same ids, same sources, agreements and
    /// restrictions.
    fn eq(&self, other: &SupplyChain) -> bool {
        self.node_count() == other.node_count()
            && self.flow_count() == other.flow_count()
            && self.sources == other.sources
            && self.agreements == other.agreements
            && self.restrictions == other.restrictions
            && self.nodes().all(|(id, n)| other.node(id) == Some(n))
            && self.flows().all(|f| {
                other
                    .flow(f.id)
                    .is_some_and(|g| g.from == f.from && g.to == f.to && g.flow == f.flow)
            })
    }
}
