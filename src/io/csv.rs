//! Nodes and flows as CSV, for data kept in spreadsheets.
//!
//! Two files, each with one header row. Columns are found by their header
//! name (any order, case-insensitive); the required ones must be there,
//! optional ones may be left out, and an unknown column is an error (a
//! misspelt `ouptut` would otherwise drop a figure without a word). An
//! empty cell is "no figure". Numbers use `.` as the decimal point and no
//! thousands separator. The writers emit every column in the order below,
//! and floats so that they read back exactly.
//!
//! # Nodes
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `country` | yes | ISO 3166-1 alpha-3, alpha-2, numeric or name, or a documented non-ISO code (see [`Country`]) |
//! | `mineral` | yes | lowercase mineral name (see [`Mineral`]) |
//! | `stage` | yes | `exploration`, `extraction`, `processing`, `refining`, `manufacturing`, `recycling` (synonyms such as `mining`, `smelting` accepted) |
//! | `output` | no | annual output, tonnes |
//! | `capacity` | no | annual capacity, tonnes |
//! | `status` | no | `reported` (default), `estimated`, `withheld`, `modeled` |
//! | `confidence` | no | `A`, `A-t`, `B`, `C` |
//! | `sources` | no | `;`-separated ids of sources registered in the chain |
//! | `citation` | no | free text |
//! | `note` | no | free text |
//!
//! ```text
//! country,mineral,stage,output,capacity
//! AUS,rare-earths,extraction,13000,
//! MYS,rare-earths,refining,,12000
//! ```
//!
//! # Flows
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `from_country`, `from_stage` | yes | the sending node |
//! | `to_country`, `to_stage` | yes | the receiving node |
//! | `mineral` | yes | the mineral of both nodes |
//! | `tonnes` | yes | tonnes per year |
//! | `value_usd` | no | value in US dollars |
//! | `year` | no | the year the flow refers to |
//! | `status`, `confidence`, `sources`, `citation`, `note` | no | provenance, as for nodes |
//!
//! ```text
//! from_country,from_stage,to_country,to_stage,mineral,tonnes,value_usd,year
//! AUS,extraction,MYS,refining,rare-earths,10000,,2024
//! ```
//!
//! A flow whose end node is not in the chain creates it (with no output or
//! capacity), so a flows file alone is a complete chain. Read nodes before
//! flows when both exist: node ids then follow the nodes file's row order.

use std::collections::HashMap;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use super::commit::{PendingFlow, commit_flows};
use super::util::{float, open, write_file, writer_error};
use crate::chain::{Flow, FlowId, Node, NodeId, NodeKey, SupplyChain};
use crate::csv_header::{HeaderReader, Names, parse_error, quote};
use crate::error::{Error, Result};
use crate::model::{Confidence, Country, Mineral, Provenance, Stage, Status, Tonnes, Usd};

const NODE_COLUMNS: [&str; 10] = [
    "country",
    "mineral",
    "stage",
    "output",
    "capacity",
    "status",
    "confidence",
    "sources",
    "citation",
    "note",
];
const NODE_REQUIRED: usize = 3;

const FLOW_COLUMNS: [&str; 13] = [
    "from_country",
    "from_stage",
    "to_country",
    "to_stage",
    "mineral",
    "tonnes",
    "value_usd",
    "year",
    "status",
    "confidence",
    "sources",
    "citation",
    "note",
];
const FLOW_REQUIRED: usize = 6;

// ----- writing -----------------------------------------------------------------

/// Writes every node of the chain as CSV (layout in the [module
/// docs](self#nodes)), in id order. O(V).
///
/// # Errors
/// [`Error::Io`] when writing fails.
///
/// # Example
/// ```
/// use critical_minerals::{Country, Mineral, Node, Stage, SupplyChain, Tonnes};
/// use critical_minerals::io::write_nodes_csv;
/// let mut chain = SupplyChain::new();
/// chain.add_node(Node::new(Country::AUS, Mineral::RARE_EARTHS, Stage::Extraction)
///     .output(Tonnes::new(13_000.0)?))?;
/// let mut out = Vec::new();
/// write_nodes_csv(&chain, &mut out)?;
/// let text = String::from_utf8_lossy(&out);
/// assert!(text.starts_with("country,mineral,stage,output,capacity,"));
/// assert!(text.contains("AUS,rare-earths,extraction,13000,,reported,"));
/// # Ok::<(), critical_minerals::Error>(())
/// ```
pub fn write_nodes_csv<W: Write>(chain: &SupplyChain, writer: W) -> Result<()> {
    let mut w = csv::Writer::from_writer(BufWriter::new(writer));
    w.write_record(NODE_COLUMNS).map_err(csv_write_error)?;
    for (_, n) in chain.nodes() {
        let mut rec = vec![
            n.key.country.alpha3().to_string(),
            n.key.mineral.as_str().to_string(),
            n.key.stage.name().to_string(),
            opt_float(n.output.map(Tonnes::get)),
            opt_float(n.capacity.map(Tonnes::get)),
        ];
        rec.extend(provenance_cells(&n.provenance));
        w.write_record(&rec).map_err(csv_write_error)?;
    }
    w.flush().map_err(writer_error)
}

/// Writes every flow of the chain as CSV (layout in the [module
/// docs](self#flows)), in id order. O(E).
///
/// # Errors
/// [`Error::Io`] when writing fails.
///
/// # Example
/// ```
/// use critical_minerals::{Country, Flow, Mineral, Stage, SupplyChain, Tonnes, NodeKey};
/// use critical_minerals::io::write_flows_csv;
/// let mut chain = SupplyChain::new();
/// let ree = Mineral::RARE_EARTHS;
/// let a = chain.ensure_node(NodeKey::new(Country::AUS, ree.clone(), Stage::Extraction));
/// let b = chain.ensure_node(NodeKey::new(Country::MYS, ree, Stage::Refining));
/// chain.add_flow(a, b, Flow::new(Tonnes::new(10_000.0)?).year(2024))?;
/// let mut out = Vec::new();
/// write_flows_csv(&chain, &mut out)?;
/// assert!(String::from_utf8_lossy(&out)
///     .contains("AUS,extraction,MYS,refining,rare-earths,10000,,2024,reported,"));
/// # Ok::<(), critical_minerals::Error>(())
/// ```
pub fn write_flows_csv<W: Write>(chain: &SupplyChain, writer: W) -> Result<()> {
    let mut w = csv::Writer::from_writer(BufWriter::new(writer));
    w.write_record(FLOW_COLUMNS).map_err(csv_write_error)?;
    for f in chain.flows() {
        let mut rec = vec![
            f.from_key.country.alpha3().to_string(),
            f.from_key.stage.name().to_string(),
            f.to_key.country.alpha3().to_string(),
            f.to_key.stage.name().to_string(),
            f.from_key.mineral.as_str().to_string(),
            float(f.flow.tonnes.get()),
            opt_float(f.flow.value.map(Usd::get)),
            f.flow.year.map(|y| y.to_string()).unwrap_or_default(),
        ];
        rec.extend(provenance_cells(&f.flow.provenance));
        w.write_record(&rec).map_err(csv_write_error)?;
    }
    w.flush().map_err(writer_error)
}

/// Writes the nodes to a file (see [`write_nodes_csv`]).
///
/// # Errors
/// [`Error::Io`] naming the file when it cannot be created or written.
pub fn write_nodes_csv_file(chain: &SupplyChain, path: impl AsRef<Path>) -> Result<()> {
    write_file(path.as_ref(), |w| write_nodes_csv(chain, w))
}

/// Writes the flows to a file (see [`write_flows_csv`]).
///
/// # Errors
/// [`Error::Io`] naming the file when it cannot be created or written.
pub fn write_flows_csv_file(chain: &SupplyChain, path: impl AsRef<Path>) -> Result<()> {
    write_file(path.as_ref(), |w| write_flows_csv(chain, w))
}

fn csv_write_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => writer_error(io),
        other => writer_error(std::io::Error::other(format!("{other:?}"))),
    }
}

fn opt_float(v: Option<f64>) -> String {
    v.map(float).unwrap_or_default()
}

fn provenance_cells(p: &Provenance) -> [String; 5] {
    [
        p.status.to_string(),
        p.confidence.map(|c| c.to_string()).unwrap_or_default(),
        p.sources.join(";"),
        p.citation.clone().unwrap_or_default(),
        p.note.clone().unwrap_or_default(),
    ]
}

// ----- reading -----------------------------------------------------------------

/// Reads nodes from CSV (layout in the [module docs](self#nodes)) and adds
/// them to the chain, in row order; returns their ids. O(rows).
///
/// # Errors
/// [`Error::Parse`] with the line and column of the first bad cell: a
/// missing or unknown column, a wrong number of fields, an unknown country,
/// mineral or stage, a bad number, a node already in the chain or twice in
/// the file, a source id not registered in the chain. Nothing is added on
/// error.
///
/// # Example
/// ```
/// use critical_minerals::{Country, Mineral, NodeKey, Stage, SupplyChain};
/// use critical_minerals::io::read_nodes_csv;
/// let csv = "country,mineral,stage,output\nAUS,rare-earths,extraction,13000\nMY,rare-earths,refining,\n";
/// let mut chain = SupplyChain::new();
/// let ids = read_nodes_csv(&mut chain, csv.as_bytes())?;
/// assert_eq!(ids.len(), 2);
/// let key = NodeKey::new(Country::MYS, Mineral::RARE_EARTHS, Stage::Refining);
/// assert!(chain.node_id(&key).is_some());
/// // A bad row: nothing is added, and the error says where.
/// let bad = "country,mineral,stage\nCHN,rare-earths,refining\nXXQ,rare-earths,mining\n";
/// let err = read_nodes_csv(&mut chain, bad.as_bytes()).unwrap_err();
/// assert!(err.to_string().contains("line 3, column 1"));
/// assert_eq!(chain.node_count(), 2);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
pub fn read_nodes_csv<R: Read>(chain: &mut SupplyChain, reader: R) -> Result<Vec<NodeId>> {
    read_nodes(chain, reader, None)
}

/// Reads nodes from a CSV file (see [`read_nodes_csv`]); errors name the file.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read, otherwise as for
/// [`read_nodes_csv`].
pub fn read_nodes_csv_file(chain: &mut SupplyChain, path: impl AsRef<Path>) -> Result<Vec<NodeId>> {
    let path = path.as_ref();
    read_nodes(chain, open(path)?, Some(path))
}

/// Reads flows from CSV (layout in the [module docs](self#flows)) and adds
/// them to the chain in row order, creating end nodes that are not in the
/// chain yet; returns the new flows' ids. O(rows).
///
/// # Errors
/// [`Error::Parse`] with the line and column of the first bad cell: a
/// missing or unknown column, a wrong number of fields, an unknown country,
/// mineral or stage, a bad or negative number, a stage transition the value
/// chain does not allow (see [`Stage::can_flow_to`]), a source id not
/// registered in the chain. Nothing is added on error.
///
/// # Example
/// ```
/// use critical_minerals::SupplyChain;
/// use critical_minerals::io::read_flows_csv;
/// let csv = "from_country,from_stage,to_country,to_stage,mineral,tonnes,year\n\
///            AUS,extraction,MYS,refining,rare-earths,10000,2024\n";
/// let mut chain = SupplyChain::new();
/// read_flows_csv(&mut chain, csv.as_bytes())?;
/// assert_eq!((chain.node_count(), chain.flow_count()), (2, 1));
/// // Refining cannot ship back to a mine: refused at line 2, column 4 (to_stage).
/// let bad = "from_country,from_stage,to_country,to_stage,mineral,tonnes\n\
///            MYS,refining,AUS,extraction,rare-earths,1\n";
/// let err = read_flows_csv(&mut chain, bad.as_bytes()).unwrap_err();
/// assert!(err.to_string().contains("line 2, column 4"));
/// assert_eq!(chain.flow_count(), 1);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
pub fn read_flows_csv<R: Read>(chain: &mut SupplyChain, reader: R) -> Result<Vec<FlowId>> {
    read_flows(chain, reader, None)
}

/// Reads flows from a CSV file (see [`read_flows_csv`]); errors name the file.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read, otherwise as for
/// [`read_flows_csv`].
pub fn read_flows_csv_file(chain: &mut SupplyChain, path: impl AsRef<Path>) -> Result<Vec<FlowId>> {
    let path = path.as_ref();
    read_flows(chain, open(path)?, Some(path))
}

/// A CSV reader positioned after a header that was checked against a
/// column list.
struct Sheet<'f, R: Read, const N: usize> {
    rdr: HeaderReader<'f, R>,
    /// For each known column, its position in the file.
    at: [Option<usize>; N],
    names: &'static [&'static str; N],
}

impl<'f, R: Read, const N: usize> Sheet<'f, R, N> {
    fn open(
        reader: R,
        file: Option<&'f Path>,
        names: &'static [&'static str; N],
        required: usize,
    ) -> Result<Self> {
        let rdr = HeaderReader::new(reader, file, b',', true, Names::Folded)?;
        let mut at = [None; N];
        for (i, h) in rdr.names().iter().enumerate() {
            let col = Some(i as u64 + 1);
            let Some(k) = names.iter().position(|n| n == h) else {
                return Err(parse_error(
                    file,
                    1,
                    col,
                    format!(
                        "unknown column {} (expected {})",
                        quote(h),
                        names.join(", ")
                    ),
                ));
            };
            if at[k].is_some() {
                return Err(parse_error(
                    file,
                    1,
                    col,
                    format!("column {} appears twice", quote(h)),
                ));
            }
            at[k] = Some(i);
        }
        if let Some(k) = (0..required).find(|k| at[*k].is_none()) {
            return Err(parse_error(
                file,
                1,
                None,
                format!("missing column {:?}", names[k]),
            ));
        }
        Ok(Sheet { rdr, at, names })
    }

    /// The next record with its line, checked for its field count.
    fn next(&mut self, rec: &mut csv::StringRecord) -> Result<Option<u64>> {
        let Some(line) = self.rdr.next(rec)? else {
            return Ok(None);
        };
        let width = self.rdr.width();
        if rec.len() != width {
            return Err(parse_error(
                self.rdr.file(),
                line,
                None,
                format!("expected {width} fields, found {}", rec.len()),
            ));
        }
        Ok(Some(line))
    }

    fn cell<'r>(&self, rec: &'r csv::StringRecord, k: usize) -> Cell<'r> {
        let pos = self.at[k];
        Cell {
            text: pos.and_then(|i| rec.get(i)).unwrap_or(""),
            column: pos.map(|i| i as u64 + 1),
            name: self.names[k],
        }
    }
}

/// One cell of a row, with what an error about it needs.
struct Cell<'r> {
    text: &'r str,
    column: Option<u64>,
    name: &'static str,
}

/// Where the row being parsed is.
struct At<'f> {
    file: Option<&'f Path>,
    line: u64,
}

impl At<'_> {
    fn error(&self, cell: &Cell<'_>, message: impl std::fmt::Display) -> Error {
        parse_error(
            self.file,
            self.line,
            cell.column,
            format!("{}: {message}", cell.name),
        )
    }

    fn required<T>(&self, cell: &Cell<'_>, f: impl FnOnce(&str) -> Result<T>) -> Result<T> {
        let t = cell.text.trim();
        if t.is_empty() {
            return Err(self.error(cell, "empty value"));
        }
        f(t).map_err(|e| self.error(cell, e))
    }

    /// An empty cell is "no figure"; anything else must be a number (a
    /// `NaN`, `null` or `-` is an error naming it, not a silent gap).
    fn number(&self, cell: &Cell<'_>) -> Result<Option<f64>> {
        let t = cell.text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<f64>()
            .map(Some)
            .map_err(|_| self.error(cell, format!("{} is not a number", quote(t))))
    }

    fn tonnes(&self, cell: &Cell<'_>) -> Result<Option<Tonnes>> {
        match self.number(cell)? {
            Some(v) => Tonnes::new(v).map(Some).map_err(|e| self.error(cell, e)),
            None => Ok(None),
        }
    }

    fn provenance(&self, cells: [Cell<'_>; 5], chain: &SupplyChain) -> Result<Provenance> {
        let [status, confidence, sources, citation, note] = cells;
        let mut p = Provenance::default();
        let st = status.text.trim();
        if !st.is_empty() {
            p.status = parse_status(st).ok_or_else(|| {
                self.error(
                    &status,
                    format!(
                        "{} (expected reported, estimated, withheld or modeled)",
                        quote(st)
                    ),
                )
            })?;
        }
        let c = confidence.text.trim();
        if !c.is_empty() {
            p.confidence = Some(Confidence::parse(c).map_err(|e| self.error(&confidence, e))?);
        }
        for id in sources
            .text
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            if chain.source(id).is_none() {
                return Err(self.error(
                    &sources,
                    format!("{} is not a source registered in the chain", quote(id)),
                ));
            }
            p.sources.push(id.to_string());
        }
        p.citation = Some(citation.text.to_string()).filter(|s| !s.is_empty());
        p.note = Some(note.text.to_string()).filter(|s| !s.is_empty());
        Ok(p)
    }
}

fn parse_status(s: &str) -> Option<Status> {
    [
        Status::Reported,
        Status::Estimated,
        Status::Withheld,
        Status::Modeled,
    ]
    .into_iter()
    .find(|st| st.to_string().eq_ignore_ascii_case(s))
}

fn read_nodes<R: Read>(
    chain: &mut SupplyChain,
    reader: R,
    file: Option<&Path>,
) -> Result<Vec<NodeId>> {
    let mut sheet = Sheet::open(reader, file, &NODE_COLUMNS, NODE_REQUIRED)?;
    let mut rec = csv::StringRecord::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut seen: HashMap<NodeKey, u64> = HashMap::new();
    while let Some(line) = sheet.next(&mut rec)? {
        let at = At { file, line };
        let c = |k| sheet.cell(&rec, k);
        let country = at.required(&c(0), Country::parse)?;
        let mineral = at.required(&c(1), |s| Mineral::new(s))?;
        let stage = at.required(&c(2), str::parse::<Stage>)?;
        let key = NodeKey::new(country, mineral, stage);
        if let Some(first) = seen.get(&key) {
            return Err(at.error(&c(0), format!("node {key} is also on line {first}")));
        }
        if chain.node_id(&key).is_some() {
            return Err(at.error(&c(0), format!("node {key} is already in the chain")));
        }
        let mut node = Node::from_key(key.clone());
        node.output = at.tonnes(&c(3))?;
        node.capacity = at.tonnes(&c(4))?;
        node.provenance = at.provenance([c(5), c(6), c(7), c(8), c(9)], chain)?;
        seen.insert(key, line);
        nodes.push(node);
    }
    let mut ids = Vec::with_capacity(nodes.len());
    for node in nodes {
        match chain.add_node(node) {
            Ok(id) => ids.push(id),
            Err(e) => {
                // Unreachable after the checks above; undo rather than half-apply.
                chain.undo(&crate::chain::AddedFlows {
                    flows: Vec::new(),
                    nodes: ids,
                });
                return Err(e);
            }
        }
    }
    Ok(ids)
}

fn read_flows<R: Read>(
    chain: &mut SupplyChain,
    reader: R,
    file: Option<&Path>,
) -> Result<Vec<FlowId>> {
    let mut sheet = Sheet::open(reader, file, &FLOW_COLUMNS, FLOW_REQUIRED)?;
    let mut rec = csv::StringRecord::new();
    let mut pending = Vec::new();
    while let Some(line) = sheet.next(&mut rec)? {
        let at = At { file, line };
        let c = |k| sheet.cell(&rec, k);
        let from_country = at.required(&c(0), Country::parse)?;
        let from_stage = at.required(&c(1), str::parse::<Stage>)?;
        let to_country = at.required(&c(2), Country::parse)?;
        let to_stage = at.required(&c(3), str::parse::<Stage>)?;
        let mineral = at.required(&c(4), |s| Mineral::new(s))?;
        from_stage
            .check_transition(to_stage, from_country != to_country)
            .map_err(|e| at.error(&c(3), e))?;
        let tonnes = at
            .tonnes(&c(5))?
            .ok_or_else(|| at.error(&c(5), "empty value"))?;
        let mut flow = Flow::new(tonnes);
        if let Some(v) = at.number(&c(6))? {
            flow.value = Some(Usd::new(v).map_err(|e| at.error(&c(6), e))?);
        }
        let y = c(7);
        let yt = y.text.trim();
        if !yt.is_empty() {
            flow.year = Some(
                yt.parse::<i16>()
                    .map_err(|_| at.error(&y, format!("{} is not a year", quote(yt))))?,
            );
        }
        flow.provenance = at.provenance([c(8), c(9), c(10), c(11), c(12)], chain)?;
        pending.push(PendingFlow {
            from: NodeKey::new(from_country, mineral.clone(), from_stage),
            to: NodeKey::new(to_country, mineral, to_stage),
            flow,
        });
    }
    commit_flows(chain, pending).map(|c| c.flows)
}
