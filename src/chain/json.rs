//! The JSON form of a [`SupplyChain`].
//!
//! Schema `critical-minerals/chain`, version [`SCHEMA_VERSION`]:
//!
//! ```json
//! {
//!   "schema": "critical-minerals/chain",
//!   "version": 2,
//!   "sources":      [ { "id": "...", "publisher": "...", "title": "...", "year": 2025, "reference": "..." } ],
//!   "nodes":        [ { "id": 0, "country": "MYS", "mineral": "rare-earths", "stage": "refining",
//!                       "output": 1000.0, "capacity": 1200.0, "basis": "REO content",
//!                       "provenance": { ... } } ],
//!   "flows":        [ { "id": 0, "from": 0, "to": 1, "tonnes": 500.0, "value_usd": 1.0e6,
//!                       "year": 2024, "hs6": 284690, "basis": "product weight",
//!                       "provenance": { ... } } ],
//!   "agreements":   [ Agreement, ... ],
//!   "restrictions": [ ExportRestriction, ... ]
//! }
//! ```
//!
//! Version 2 added the optional `basis` of nodes and flows and the `hs6`
//! code of flows; a version 1 document (which has neither) still loads,
//! with both `None`. The crate writes version 2.
//!
//! Node and flow ids are kept, so ids held by a caller stay meaningful after
//! a round trip (holes left by removals included). Ids must be strictly
//! increasing in the file, and below twice the number of nodes (or flows)
//! plus the length of its free list (below) plus [`MAX_ID_HOLES`]. Every
//! hole below a document's last id is in the free list the crate writes,
//! so a document the crate wrote always loads, whatever its holes; and each
//! hole a document may use costs it at least two bytes of text (an id and
//! a comma), so loading stays linear in the document's bytes: at most
//! about 250 bytes of memory per document byte beyond the items, and
//! [`MAX_ID_HOLES`] unlisted holes on top.
//!
//! The id allocator round-trips too: the optional `free_node_ids` and
//! `free_flow_ids` list the removed ids in the order later additions will
//! reuse them (written only when there are holes), so a chain and its
//! reloaded copy hand out the same ids for the same edits. Without them,
//! holes are reused lowest first. Ids past the last live one that a chain
//! would hand out in ascending order anyway are not listed. Loading is
//! linear in the document plus its holes. `provenance` has the fields of
//! [`Provenance`](crate::Provenance): `sources` (registered source ids),
//! `status` (`reported`, `estimated`, `withheld`, `modeled`), `confidence`
//! (`A`, `A-t`, `B`, `C`), `citation`, `note`. Optional fields may be
//! omitted. Floats round-trip exactly.
//!
//! Loading builds the chain through the same validating calls as the
//! builder API, so a document with valid syntax but a bad value (an unknown
//! country, negative tonnes, an invalid stage transition) fails with the
//! same error, wrapped with where it is (`flows[3]: ...`), and no chain is
//! returned.

use std::io::{Read, Write};

use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::{EdgeIndexable, NodeIndexable};
use serde::{Deserialize, Serialize};

use super::{Flow, Node, NodeId, NodeKey, SupplyChain};
use crate::error::{Error, Result};
use crate::model::{
    Agreement, Basis, Country, ExportRestriction, Mineral, Provenance, Source, Stage, Tonnes, Usd,
};

/// The name of the JSON schema.
pub const SCHEMA_NAME: &str = "critical-minerals/chain";
/// The version of the JSON schema this crate writes; it reads this one and
/// every earlier one (1).
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    schema: String,
    version: u32,
    #[serde(default)]
    sources: Vec<Source>,
    #[serde(default)]
    nodes: Vec<NodeDoc>,
    #[serde(default)]
    flows: Vec<FlowDoc>,
    #[serde(default)]
    agreements: Vec<Agreement>,
    #[serde(default)]
    restrictions: Vec<ExportRestriction>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    free_node_ids: Vec<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    free_flow_ids: Vec<u32>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct NodeDoc {
    id: u32,
    country: Country,
    mineral: Mineral,
    stage: Stage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    output: Option<Tonnes>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    capacity: Option<Tonnes>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    basis: Option<Basis>,
    #[serde(default, skip_serializing_if = "is_default")]
    provenance: Provenance,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FlowDoc {
    id: u32,
    from: u32,
    to: u32,
    tonnes: Tonnes,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value_usd: Option<Usd>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    year: Option<i16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hs6: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    basis: Option<Basis>,
    #[serde(default, skip_serializing_if = "is_default")]
    provenance: Provenance,
}

fn is_default(p: &Provenance) -> bool {
    *p == Provenance::default()
}

impl SupplyChain {
    fn to_document(&self) -> Document {
        let free = self.free_ids();
        Document {
            schema: SCHEMA_NAME.to_string(),
            version: SCHEMA_VERSION,
            sources: self.sources().cloned().collect(),
            nodes: self
                .nodes()
                .map(|(id, n)| NodeDoc {
                    id: id.get(),
                    country: n.key.country,
                    mineral: n.key.mineral.clone(),
                    stage: n.key.stage,
                    output: n.output,
                    capacity: n.capacity,
                    basis: n.basis.clone(),
                    provenance: n.provenance.clone(),
                })
                .collect(),
            flows: self
                .flows()
                .map(|f| FlowDoc {
                    id: f.id.get(),
                    from: f.from.get(),
                    to: f.to.get(),
                    tonnes: f.flow.tonnes,
                    value_usd: f.flow.value,
                    year: f.flow.year,
                    hs6: f.flow.hs6,
                    basis: f.flow.basis.clone(),
                    provenance: f.flow.provenance.clone(),
                })
                .collect(),
            agreements: self.agreements().cloned().collect(),
            restrictions: self.restrictions().cloned().collect(),
            free_node_ids: free.nodes,
            free_flow_ids: free.flows,
        }
    }

    /// The order in which this chain will hand out removed ids, read by
    /// adding to a structure-only copy of the graph (the free lists are
    /// petgraph's own). The trailing run of ids that are new anyway is cut.
    /// O(V + E + capacity).
    fn free_ids(&self) -> FreeIds {
        let mut probe = self.graph.map(|_, _| (), |_, _| ());
        let (node_cap, edge_cap) = self.graph.capacity();
        // Capacity bounds the slots, so this many additions exhaust every
        // vacancy and then take at least one new slot.
        let pops = node_cap.saturating_sub(self.graph.node_count()) + 1;
        let nodes: Vec<u32> = (0..pops)
            .map(|_| probe.add_node(()).index() as u32)
            .collect();
        let pops = edge_cap.saturating_sub(self.graph.edge_count()) + 1;
        let anchor = probe.node_indices().next();
        let flows: Vec<u32> = match anchor {
            Some(a) => (0..pops)
                .map(|_| probe.add_edge(a, a, ()).index() as u32)
                .collect(),
            None => Vec::new(),
        };
        FreeIds {
            nodes: cut_fresh_run(nodes),
            flows: cut_fresh_run(flows),
        }
    }

    fn from_document(doc: Document) -> Result<SupplyChain> {
        if doc.schema != SCHEMA_NAME || !(1..=SCHEMA_VERSION).contains(&doc.version) {
            return Err(Error::SchemaVersion {
                schema: doc.schema,
                version: doc.version,
                expected: SCHEMA_NAME,
                supported: SCHEMA_VERSION,
            });
        }
        let mut chain = SupplyChain::new();
        for (i, s) in doc.sources.into_iter().enumerate() {
            chain
                .add_source(s)
                .map_err(|e| e.at(format!("sources[{i}]")))?;
        }
        // Holes left by removals are rebuilt as placeholders, then removed
        // in the order the free lists give, so that the allocator comes
        // back as it was. Every step is O(1) per item or hole: node holes
        // are edgeless, and each flow hole is a self-loop on a node of its
        // own, so removing it never walks a long edge list.
        let placeholder = || Node::new(Country::WLD, Mineral::LITHIUM, Stage::Exploration);
        let node_id_bound = id_bound(doc.nodes.len(), doc.free_node_ids.len());
        // is_hole[id]: a placeholder, not a node a flow may name.
        let mut is_hole: Vec<bool> = Vec::new();
        for (i, n) in doc.nodes.into_iter().enumerate() {
            let at = |e: Error| e.at(format!("nodes[{i}] (id {})", n.id));
            let next = chain.graph.node_bound() as u32;
            check_id("node id", n.id, next, node_id_bound).map_err(at)?;
            for _ in next..n.id {
                chain.graph.add_node(placeholder());
            }
            is_hole.resize(n.id as usize, true);
            let node = Node {
                key: NodeKey::new(n.country, n.mineral, n.stage),
                output: n.output,
                capacity: n.capacity,
                basis: n.basis,
                provenance: n.provenance,
            };
            chain.add_node(node).map_err(at)?;
            is_hole.push(false);
        }
        let node_order = free_order(
            "free_node_ids",
            &doc.free_node_ids,
            &mut is_hole,
            node_id_bound,
            |c: &mut SupplyChain| {
                c.graph.add_node(placeholder());
            },
            &mut chain,
        )?;
        let node_slots = is_hole.len();

        let flow_id_bound = id_bound(doc.flows.len(), doc.free_flow_ids.len());
        let mut flow_is_hole: Vec<bool> = Vec::new();
        // A self-loop on a fresh node past every node slot: removing it is
        // O(1), and the anchors, freed last in ascending order, are handed
        // out exactly as new slots would be.
        let add_flow_hole = |c: &mut SupplyChain| {
            let anchor = c.graph.add_node(placeholder());
            c.graph.add_edge(anchor, anchor, Flow::new(Tonnes::ZERO));
        };
        for (i, f) in doc.flows.into_iter().enumerate() {
            let at = |e: Error| e.at(format!("flows[{i}] (id {})", f.id));
            let next = chain.graph.edge_bound() as u32;
            check_id("flow id", f.id, next, flow_id_bound).map_err(at)?;
            for _ in next..f.id {
                add_flow_hole(&mut chain);
            }
            flow_is_hole.resize(f.id as usize, true);
            for end in [f.from, f.to] {
                if is_hole.get(end as usize).is_none_or(|h| *h) {
                    return Err(at(Error::UnknownNode { id: NodeId(end) }));
                }
            }
            let mut flow = Flow::new(f.tonnes).provenance(f.provenance);
            flow.value = f.value_usd;
            flow.year = f.year;
            flow.hs6 = f.hs6;
            flow.basis = f.basis;
            chain
                .add_flow(NodeId(f.from), NodeId(f.to), flow)
                .map_err(at)?;
            flow_is_hole.push(false);
        }
        let flow_order = free_order(
            "free_flow_ids",
            &doc.free_flow_ids,
            &mut flow_is_hole,
            flow_id_bound,
            add_flow_hole,
            &mut chain,
        )?;
        // Free flows first (the last removed is handed out first), then the
        // anchors, highest first (so they come out ascending, after every
        // listed hole), then the node holes.
        for &e in flow_order.iter().rev() {
            chain.graph.remove_edge(EdgeIndex::new(e as usize));
        }
        let anchors = chain.graph.node_bound();
        for v in (node_slots..anchors).rev() {
            chain.graph.remove_node(NodeIndex::new(v));
        }
        for &v in node_order.iter().rev() {
            chain.graph.remove_node(NodeIndex::new(v as usize));
        }
        for (i, a) in doc.agreements.into_iter().enumerate() {
            chain
                .add_agreement(a)
                .map_err(|e| e.at(format!("agreements[{i}]")))?;
        }
        for (i, r) in doc.restrictions.into_iter().enumerate() {
            chain
                .add_restriction(r)
                .map_err(|e| e.at(format!("restrictions[{i}]")))?;
        }
        Ok(chain)
    }

    /// The chain as pretty-printed JSON (see the schema in this module's
    /// docs).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::SupplyChain;
    /// let chain = SupplyChain::new();
    /// let json = chain.to_json();
    /// assert_eq!(SupplyChain::from_json(&json)?, chain);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn to_json(&self) -> String {
        // Serialising plain data into a String cannot fail: every map key is
        // a string and every float is finite by construction.
        serde_json::to_string_pretty(&self.to_document()).unwrap_or_default()
    }

    /// Writes the chain as JSON.
    ///
    /// # Errors
    /// [`Error::Io`] when writing fails.
    pub fn write_json<W: Write>(&self, writer: W) -> Result<()> {
        serde_json::to_writer_pretty(writer, &self.to_document()).map_err(|e| Error::Io {
            path: "<writer>".into(),
            source: std::io::Error::other(e),
        })
    }

    /// Reads a chain from JSON text.
    ///
    /// # Errors
    /// [`Error::Parse`] (with line and column) for malformed JSON or a
    /// missing or mistyped field; [`Error::SchemaVersion`] for another
    /// schema; [`Error::Invalid`] wrapping the builder's error for a value
    /// the builder refuses.
    pub fn from_json(text: &str) -> Result<SupplyChain> {
        let doc: Document = serde_json::from_str(text).map_err(json_error)?;
        SupplyChain::from_document(doc)
    }

    /// Reads a chain from a JSON stream.
    ///
    /// # Errors
    /// As for [`SupplyChain::from_json`].
    pub fn read_json<R: Read>(reader: R) -> Result<SupplyChain> {
        let doc: Document = serde_json::from_reader(reader).map_err(json_error)?;
        SupplyChain::from_document(doc)
    }
}

/// How many removed ids (holes) a document may carry beyond twice its
/// item count and the length of its free list. Each hole costs a slot of a
/// few hundred bytes while loading and after, so the bound keeps a tiny
/// hostile document (one flow with id 4e9) from allocating gigabytes: at
/// most about 20 MB of holes beyond what the document's bytes pay for. A
/// document the crate writes lists every hole below its last id, so it
/// never depends on this allowance.
pub const MAX_ID_HOLES: u32 = 1 << 16;

/// The free lists of a chain, in hand-out order.
struct FreeIds {
    nodes: Vec<u32>,
    flows: Vec<u32>,
}

/// Cuts the trailing run of consecutive ascending ids: the probe's last
/// additions are new slots (and vacancies just before them handed out in
/// ascending order behave exactly like new slots).
fn cut_fresh_run(mut ids: Vec<u32>) -> Vec<u32> {
    while ids.len() >= 2 && ids[ids.len() - 2].checked_add(1) == Some(ids[ids.len() - 1]) {
        ids.pop();
    }
    ids.pop();
    ids
}

/// Checks a document's free list against its holes and returns the order
/// in which to free them: every hole exactly once, trailing holes (ids past
/// the last item) added as placeholders with `add_hole`. Without a list,
/// the holes ascending (lowest handed out first).
fn free_order(
    field: &'static str,
    listed: &[u32],
    is_hole: &mut Vec<bool>,
    bound: u32,
    mut add_hole: impl FnMut(&mut SupplyChain),
    chain: &mut SupplyChain,
) -> Result<Vec<u32>> {
    let bad = |i: usize, id: u32, why: &str| {
        Error::OutOfDomain {
            field,
            value: id.to_string(),
            expected: why.to_string(),
        }
        .at(format!("{field}[{i}]"))
    };
    if listed.len() > bound as usize {
        return Err(Error::TooLarge {
            what: field,
            size: listed.len() as u64,
            limit: u64::from(bound),
        });
    }
    for (i, &id) in listed.iter().enumerate() {
        if id >= bound {
            return Err(bad(i, id, &format!("ids must be below {bound}")));
        }
        while is_hole.len() <= id as usize {
            add_hole(chain);
            is_hole.push(true);
        }
    }
    let holes = is_hole.iter().filter(|h| **h).count();
    if listed.is_empty() {
        return Ok((0..is_hole.len() as u32)
            .filter(|&i| is_hole[i as usize])
            .collect());
    }
    let mut seen = vec![false; is_hole.len()];
    for (i, &id) in listed.iter().enumerate() {
        let ix = id as usize;
        if !is_hole[ix] {
            return Err(bad(i, id, "is a live id, not a removed one"));
        }
        if std::mem::replace(&mut seen[ix], true) {
            return Err(bad(i, id, "is listed twice"));
        }
    }
    if listed.len() != holes {
        let missing = (0..is_hole.len())
            .find(|&i| is_hole[i] && !seen[i])
            .unwrap_or(0);
        return Err(bad(
            listed.len(),
            missing as u32,
            "is a removed id missing from the list (every hole must be listed)",
        ));
    }
    Ok(listed.to_vec())
}

/// The bound on the ids a document of `items` items whose free list holds
/// `listed` ids may use: twice its items, plus its listed holes (each paid
/// for by the document's own bytes), plus [`MAX_ID_HOLES`] unlisted ones.
fn id_bound(items: usize, listed: usize) -> u32 {
    u32::try_from(items.saturating_mul(2).saturating_add(listed))
        .unwrap_or(u32::MAX)
        .saturating_add(MAX_ID_HOLES)
}

/// Ids must be strictly increasing (`id >= next`, the first free slot) and
/// below the document's bound.
fn check_id(field: &'static str, id: u32, next: u32, bound: u32) -> Result<()> {
    if id < next || id >= bound {
        return Err(Error::OutOfDomain {
            field,
            value: id.to_string(),
            expected: format!("{field}s must be strictly increasing and below {bound}"),
        });
    }
    Ok(())
}

/// A serde_json error as [`Error::Parse`]; the place is said once (the
/// message loses serde_json's own "at line L column C").
fn json_error(e: serde_json::Error) -> Error {
    let message = e.to_string();
    let place = format!(" at line {} column {}", e.line(), e.column());
    let message = message.strip_suffix(&place).unwrap_or(&message).to_string();
    Error::Parse {
        file: None,
        line: e.line().max(1) as u64,
        column: Some(e.column() as u64),
        message,
    }
}

impl Serialize for SupplyChain {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_document().serialize(s)
    }
}

impl<'de> Deserialize<'de> for SupplyChain {
    /// Validates exactly as [`SupplyChain::from_json`].
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let doc = Document::deserialize(d)?;
        SupplyChain::from_document(doc).map_err(serde::de::Error::custom)
    }
}
