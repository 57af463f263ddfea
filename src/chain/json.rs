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
//! plus [`MAX_ID_HOLES`]. `provenance` has the fields of
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
        // Recreate holes left by removals: fill each gap with a placeholder,
        // then remove the placeholders once every real node (or flow) is in,
        // so that later additions cannot land in a hole.
        let placeholder = || Node::new(Country::WLD, Mineral::LITHIUM, Stage::Exploration);
        let mut holes = Vec::new();
        let node_id_bound = id_bound(doc.nodes.len());
        for (i, n) in doc.nodes.into_iter().enumerate() {
            let at = |e: Error| e.at(format!("nodes[{i}] (id {})", n.id));
            let next = chain.graph.node_bound() as u32;
            check_id("node id", n.id, next, node_id_bound).map_err(at)?;
            for _ in next..n.id {
                holes.push(chain.graph.add_node(placeholder()));
            }
            let node = Node {
                key: NodeKey::new(n.country, n.mineral, n.stage),
                output: n.output,
                capacity: n.capacity,
                basis: n.basis,
                provenance: n.provenance,
            };
            chain.add_node(node).map_err(at)?;
        }
        // Every node is in: free the node holes now, so a flow naming one is
        // refused by add_flow as an unknown node.
        for h in holes {
            chain.graph.remove_node(h);
        }
        let mut edge_holes = Vec::new();
        let flow_id_bound = id_bound(doc.flows.len());
        for (i, f) in doc.flows.into_iter().enumerate() {
            let at = |e: Error| e.at(format!("flows[{i}] (id {})", f.id));
            let next = chain.graph.edge_bound() as u32;
            check_id("flow id", f.id, next, flow_id_bound).map_err(at)?;
            if f.id > next {
                // Any live node can anchor placeholder edges.
                let anchor = chain
                    .graph
                    .node_indices()
                    .next()
                    .ok_or_else(|| at(Error::UnknownNode { id: NodeId(f.from) }))?;
                for _ in next..f.id {
                    edge_holes.push(
                        chain
                            .graph
                            .add_edge(anchor, anchor, Flow::new(Tonnes::ZERO)),
                    );
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
        }
        for e in edge_holes {
            chain.graph.remove_edge(e);
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
/// item count. Each hole costs a placeholder slot while loading, so the
/// bound keeps a hostile id such as 4e9 from allocating billions of them,
/// while a chain with millions of removals still round-trips.
pub const MAX_ID_HOLES: u32 = 1 << 22;

/// The largest id a document of `items` items may use.
fn id_bound(items: usize) -> u32 {
    u32::try_from(items.saturating_mul(2))
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

fn json_error(e: serde_json::Error) -> Error {
    Error::Parse {
        file: None,
        line: e.line() as u64,
        column: Some(e.column() as u64),
        message: e.to_string(),
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
