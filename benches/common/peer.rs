//! Reader for the peer benchmark's graph files (`nodes.csv`, `edges.csv`,
//! `crit_sample.txt`, `mc_scenarios.csv`, `meta.json`), so the crate runs
//! the very problems that networkx, igraph and rustworkx were timed on.
//!
//! The benchmark's flow graph (its `GENERATOR.md`): super-source → every
//! extraction node with capacity = the sum of its out-capacities;
//! edges as in `edges.csv`; every target node (meta.json `target_nodes`) →
//! super-sink with capacity = the sum of its in-capacities (1 if none);
//! nodes have no limit. Removing a node zeroes every arc at it.
//!
//! Not part of the library: these files are a benchmark's input format, not
//! one the crate's users have. `examples/perf.rs`, `benches/network.rs` and
//! the tests include this file with `#[path = "..."] mod peer;`, and it uses
//! only the public API ([`critical_minerals::flow`]).

// Each includer uses a different part of the reader.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use critical_minerals::flow::{FlowNetwork, NetEdge};
use critical_minerals::{Error, Result, Stage};

/// One row of `nodes.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerNode {
    /// Synthetic country code (`C000`..).
    pub country: String,
    /// Stage.
    pub stage: Stage,
    /// Synthetic mineral code (`M000`..).
    pub mineral: String,
    /// Nominal capacity (informational; the benchmark uses edge capacities).
    pub capacity: i64,
}

/// A benchmark graph as read from its directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerGraph {
    /// Nodes, index = id.
    pub nodes: Vec<PeerNode>,
    /// Edges `(src, dst, capacity)`.
    pub edges: Vec<NetEdge>,
    /// The fixed sample of nodes for sampled criticality, in file order.
    pub crit_sample: Vec<u32>,
    /// The Monte Carlo scenarios: the nodes removed in each.
    pub scenarios: Vec<Vec<u32>>,
    /// meta.json `target_country`.
    pub target_country: String,
    /// meta.json `target_nodes`.
    pub target_nodes: Vec<u32>,
}

/// How many scenarios may have no row in `mc_scenarios.csv` (a scenario
/// that removes nothing): more is a hostile or broken file, refused before
/// one vector per scenario is allocated.
pub const MAX_EMPTY_SCENARIOS: usize = 1 << 16;

/// The fields of `meta.json` the reader uses; others are ignored.
#[derive(serde::Deserialize)]
struct Meta {
    target_country: String,
    target_nodes: Vec<u32>,
    #[serde(default)]
    params: Params,
}

#[derive(serde::Deserialize, Default)]
struct Params {
    #[serde(default)]
    mc_scenarios: u64,
}

/// A serde_json error at its place, its message without serde_json's own
/// "at line L column C" (the place is said once).
fn json_err(file: &Path, e: &serde_json::Error) -> Error {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = message
        .strip_suffix(&suffix)
        .unwrap_or(&message)
        .to_string();
    parse_err(file, e.line().max(1), Some(e.column()), message)
}

/// The 1-based line of each element of the array under `"key"` (or of the
/// key's value when it is not an array), found by a scan that skips
/// strings and nested brackets. For error messages only: a document that
/// parsed is assumed.
fn element_lines(text: &str, key: &str) -> Vec<usize> {
    let needle = format!("\"{key}\"");
    let Some(at) = text.find(&needle) else {
        return Vec::new();
    };
    let bytes = text.as_bytes();
    let mut line = 1 + text[..at].matches('\n').count();
    let mut i = at + needle.len();
    // Skip to the value.
    while i < bytes.len() && (bytes[i] == b':' || bytes[i].is_ascii_whitespace()) {
        if bytes[i] == b'\n' {
            line += 1;
        }
        i += 1;
    }
    if bytes.get(i) != Some(&b'[') {
        return vec![line];
    }
    i += 1;
    let mut out = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut expect) = (0usize, false, false, true);
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if b.is_ascii_whitespace() {
            continue;
        }
        if expect && depth == 0 && b != b']' {
            out.push(line);
            expect = false;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => depth += 1,
            b']' if depth == 0 => break,
            b']' | b'}' => depth -= 1,
            b',' if depth == 0 => expect = true,
            _ => {}
        }
    }
    out
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn parse_err(file: &Path, line: usize, column: Option<usize>, message: impl Into<String>) -> Error {
    Error::Parse {
        file: Some(file.to_path_buf()),
        line: line as u64,
        column: column.map(|c| c as u64),
        message: message.into(),
    }
}

/// The data rows of a headed CSV with `cols` columns: `(line number, fields)`.
fn rows<'a>(
    file: &'a Path,
    text: &'a str,
    header: &'a str,
    cols: usize,
) -> Result<impl Iterator<Item = Result<(usize, Vec<&'a str>)>> + 'a> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.trim_end() == header => {}
        Some((_, h)) => {
            return Err(parse_err(
                file,
                1,
                None,
                format!("expected header {header:?}, found {h:?}"),
            ));
        }
        None => return Err(parse_err(file, 1, None, "empty file")),
    }
    Ok(lines
        .filter(|(_, l)| !l.trim().is_empty())
        .map(move |(i, l)| {
            let f: Vec<&str> = l.trim_end().split(',').collect();
            if f.len() != cols {
                return Err(parse_err(
                    file,
                    i + 1,
                    None,
                    format!("expected {cols} fields, found {}", f.len()),
                ));
            }
            Ok((i + 1, f))
        }))
}

fn num<T: std::str::FromStr>(file: &Path, line: usize, col: usize, s: &str) -> Result<T> {
    s.trim()
        .parse()
        .map_err(|_| parse_err(file, line, Some(col), format!("not a valid number: {s:?}")))
}

impl PeerGraph {
    /// Reads the five files of a benchmark directory. O(file size).
    ///
    /// # Errors
    /// [`Error::Io`] when a file cannot be read; [`Error::Parse`] (file, line,
    /// column) for a malformed row, a node id out of order or out of range, or
    /// malformed JSON.
    pub fn read(dir: impl AsRef<Path>) -> Result<PeerGraph> {
        let dir = dir.as_ref();
        let p = |f: &str| -> PathBuf { dir.join(f) };

        let file = p("nodes.csv");
        let text = read(&file)?;
        let mut nodes = Vec::new();
        for row in rows(&file, &text, "id,country,stage,mineral,capacity", 5)? {
            let (line, f) = row?;
            let id: usize = num(&file, line, 1, f[0])?;
            if id != nodes.len() {
                return Err(parse_err(
                    &file,
                    line,
                    Some(1),
                    format!("node id {id} out of order (expected {})", nodes.len()),
                ));
            }
            let stage: Stage = f[2].parse().map_err(|_| {
                parse_err(&file, line, Some(3), format!("unknown stage {:?}", f[2]))
            })?;
            nodes.push(PeerNode {
                country: f[1].to_string(),
                stage,
                mineral: f[3].to_string(),
                capacity: num(&file, line, 5, f[4])?,
            });
        }
        let n = nodes.len();
        let check = |file: &Path, line: usize, col: usize, v: u32| {
            if (v as usize) < n {
                Ok(v)
            } else {
                Err(parse_err(
                    file,
                    line,
                    Some(col),
                    format!("node {v} out of range 0..{n}"),
                ))
            }
        };

        let file = p("edges.csv");
        let text = read(&file)?;
        let mut edges = Vec::new();
        for row in rows(&file, &text, "src,dst,capacity", 3)? {
            let (line, f) = row?;
            let from = check(&file, line, 1, num(&file, line, 1, f[0])?)?;
            let to = check(&file, line, 2, num(&file, line, 2, f[1])?)?;
            let capacity: i64 = num(&file, line, 3, f[2])?;
            if capacity < 0 {
                return Err(parse_err(
                    &file,
                    line,
                    Some(3),
                    format!("negative capacity {capacity}"),
                ));
            }
            edges.push(NetEdge { from, to, capacity });
        }

        let file = p("crit_sample.txt");
        let text = read(&file)?;
        let mut crit_sample = Vec::new();
        for (i, l) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            crit_sample.push(check(&file, i + 1, 1, num(&file, i + 1, 1, l)?)?);
        }

        let file = p("meta.json");
        let text = read(&file)?;
        // Typed, so serde_json names the line and column of a bad entry
        // (an untyped `Value` forgets where each value was).
        let meta: Meta = serde_json::from_str(&text).map_err(|e| json_err(&file, &e))?;
        let lines = element_lines(&text, "target_nodes");
        let target_nodes = meta
            .target_nodes
            .iter()
            .enumerate()
            .map(|(i, &v)| check(&file, lines.get(i).copied().unwrap_or(1), 1, v))
            .collect::<Result<Vec<u32>>>()?;
        let target_country = meta.target_country;

        let file = p("mc_scenarios.csv");
        let text = read(&file)?;
        let mut pairs: Vec<(usize, u32)> = Vec::new();
        let mut max_id = None;
        for row in rows(&file, &text, "scenario,node", 2)? {
            let (line, f) = row?;
            let s: usize = num(&file, line, 1, f[0])?;
            let v = check(&file, line, 2, num(&file, line, 2, f[1])?)?;
            let declared = usize::try_from(meta.params.mc_scenarios).unwrap_or(usize::MAX);
            if declared > 0 && s >= declared {
                return Err(parse_err(
                    &file,
                    line,
                    Some(1),
                    format!("scenario {s} out of range 0..{declared} (meta.json mc_scenarios)"),
                ));
            }
            max_id = max_id.max(Some(s));
            pairs.push((s, v));
        }
        // Scenario ids index a vector: a count far beyond what the rows
        // justify (each row names one scenario; a scenario may be empty) is
        // refused before one vector per scenario is allocated.
        let declared = usize::try_from(meta.params.mc_scenarios).unwrap_or(usize::MAX);
        let count = declared.max(max_id.map_or(0, |m| m + 1));
        let limit = pairs.len().saturating_add(MAX_EMPTY_SCENARIOS);
        if count > limit {
            return Err(parse_err(
                &file,
                1,
                None,
                format!(
                    "{count} scenarios (mc_scenarios {declared}, largest id {}) for {} rows: \
                     at most {MAX_EMPTY_SCENARIOS} may be empty",
                    max_id.map_or_else(|| "none".to_string(), |m| m.to_string()),
                    pairs.len()
                ),
            ));
        }
        let mut scenarios: Vec<Vec<u32>> = vec![Vec::new(); count];
        for (s, v) in pairs {
            if let Some(list) = scenarios.get_mut(s) {
                list.push(v);
            }
        }

        Ok(PeerGraph {
            nodes,
            edges,
            crit_sample,
            scenarios,
            target_country,
            target_nodes,
        })
    }

    /// The benchmark's flow network: super-source → every extraction node
    /// (capacity: the sum of its out-capacities), target nodes → super-sink
    /// (the sum of their in-capacities, at least 1), nodes unlimited.
    /// O(V + E).
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] when an edge or target names a node out of
    /// range; [`Error::TooLarge`] when the capacities exceed the engine's limit.
    pub fn flow_network(&self) -> Result<FlowNetwork> {
        let n = self.nodes.len();
        // The fields are public: check what `read` would have checked.
        let out_of_range = self
            .edges
            .iter()
            .flat_map(|e| [e.from, e.to])
            .chain(self.target_nodes.iter().copied())
            .find(|&v| v as usize >= n);
        if let Some(v) = out_of_range {
            return Err(Error::IndexOutOfRange {
                what: "peer graph node",
                index: u64::from(v),
                len: n as u64,
            });
        }
        let mut out_cap = vec![0i64; n];
        let mut in_cap = vec![0i64; n];
        for e in &self.edges {
            out_cap[e.from as usize] = out_cap[e.from as usize].saturating_add(e.capacity);
            in_cap[e.to as usize] = in_cap[e.to as usize].saturating_add(e.capacity);
        }
        let supply = (0..n)
            .filter(|&v| self.nodes[v].stage == Stage::Extraction)
            .map(|v| (v as u32, out_cap[v]))
            .collect();
        let demand = self
            .target_nodes
            .iter()
            .map(|&t| (t, in_cap[t as usize].max(1)))
            .collect();
        FlowNetwork::new(n, self.edges.clone(), supply, demand)
    }

    /// The nodes of each country, countries sorted by code.
    pub fn country_groups(&self) -> Vec<(String, Vec<u32>)> {
        let mut m: std::collections::BTreeMap<&str, Vec<u32>> = Default::default();
        for (v, node) in self.nodes.iter().enumerate() {
            m.entry(&node.country).or_default().push(v as u32);
        }
        m.into_iter().map(|(c, v)| (c.to_string(), v)).collect()
    }
}
