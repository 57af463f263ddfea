//! The crate's one error type.

use std::path::PathBuf;

use crate::chain::{FlowId, NodeId, NodeKey};
use crate::csv_header::quote;
use crate::model::{Mineral, Stage};

/// Everything that can go wrong in this crate.
///
/// Each variant carries what a user needs to find and fix the input: the
/// offending value, the two stages of a bad transition, the file, line and
/// column of a parse error. A call that returns an error leaves the model as
/// it was.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A country code or name that is neither ISO 3166-1 nor one of the
    /// documented trade-data codes.
    #[error("unknown country code or name {}", quote(code))]
    UnknownCountry {
        /// The text that was given.
        code: String,
    },
    /// A mineral name that is not a lowercase identifier (`a-z`, `0-9`, `-`).
    #[error("invalid mineral name {}: {reason}", quote(name))]
    InvalidMineral {
        /// The text that was given.
        name: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A stage name that matches none of the six stages or their synonyms.
    #[error(
        "unknown stage {} (expected exploration, extraction, processing, refining, manufacturing or recycling)",
        quote(name)
    )]
    UnknownStage {
        /// The text that was given.
        name: String,
    },
    /// A quantity that is NaN, infinite or negative.
    #[error("invalid {what} {value}: must be finite and non-negative")]
    InvalidQuantity {
        /// Which quantity (`tonnes`, `capacity`, `value in USD`, ...).
        what: &'static str,
        /// The value that was given.
        value: f64,
    },
    /// A share outside `0..=1` (or a percentage outside `0..=100`), or NaN.
    #[error("invalid share {value}: must be between 0 and 1")]
    InvalidShare {
        /// The value that was given.
        value: f64,
    },
    /// A flow between two stages that the value chain does not allow.
    #[error(
        "invalid stage transition {from} -> {to}{}",
        if *domestic { " within one country" } else { " across a border" }
    )]
    InvalidTransition {
        /// Stage of the sending node.
        from: Stage,
        /// Stage of the receiving node.
        to: Stage,
        /// Whether both nodes are in the same country.
        domestic: bool,
    },
    /// A flow between nodes of two different minerals.
    #[error("flow from a {from} node to a {to} node: both ends must be the same mineral")]
    MineralMismatch {
        /// Mineral of the sending node.
        from: Mineral,
        /// Mineral of the receiving node.
        to: Mineral,
    },
    /// A node key that is already in the chain.
    #[error("node {key} already exists")]
    DuplicateNode {
        /// The key.
        key: NodeKey,
    },
    /// A node id that is not (or no longer) in the chain.
    #[error("no node with id {id}")]
    UnknownNode {
        /// The id.
        id: NodeId,
    },
    /// A node key that is not in the chain.
    #[error("no node {key}")]
    NodeNotFound {
        /// The key.
        key: NodeKey,
    },
    /// A flow id that is not (or no longer) in the chain.
    #[error("no flow with id {id}")]
    UnknownFlow {
        /// The id.
        id: FlowId,
    },
    /// An agreement, restriction or source id that is already taken.
    #[error("duplicate {kind} id {}", quote(id))]
    DuplicateId {
        /// What kind of item (`agreement`, `restriction`, `source`).
        kind: &'static str,
        /// The id.
        id: String,
    },
    /// A reference to a source that is not registered in the chain.
    #[error("unknown source id {}", quote(id))]
    UnknownSource {
        /// The id.
        id: String,
    },
    /// An index (a compact node index, an edge id, a root, a table row)
    /// outside the range of what it indexes.
    #[error("{what} {index} out of range 0..{len}")]
    IndexOutOfRange {
        /// What the index names (`removed node`, `root`, `edge length`).
        what: &'static str,
        /// The index that was given.
        index: u64,
        /// The number of items it indexes.
        len: u64,
    },
    /// A number or setting outside the domain of its field: a WGI estimate
    /// of 50, a negative capacity, a tolerance of zero.
    #[error("invalid {field} {}: {}", cut(value), cut(expected))]
    OutOfDomain {
        /// Which field or option (`WGI estimate`, `origin tolerance`).
        field: &'static str,
        /// The value that was given, as text.
        value: String,
        /// What the field accepts, and where the value came from when that
        /// helps (`must be finite and positive`).
        expected: String,
    },
    /// A keyword field whose text is none of the accepted words.
    #[error("unknown {field} {} (expected {expected})", quote(value))]
    UnknownValue {
        /// Which field (`confidence`, `unit`).
        field: &'static str,
        /// The text that was given.
        value: String,
        /// The accepted words.
        expected: &'static str,
    },
    /// An identifier that is empty or holds whitespace.
    #[error(
        "invalid {kind} id {}: must be non-empty with no whitespace",
        quote(id)
    )]
    InvalidId {
        /// What the id names (`agreement`, `restriction`, `source`).
        kind: &'static str,
        /// The id that was given.
        id: String,
    },
    /// An item whose parts do not fit together: an agreement with one party,
    /// a restriction aimed only at its imposer, a bilateral query of a
    /// country with itself.
    #[error("{kind} {}: {}", cut(id), cut(reason))]
    Inconsistent {
        /// What kind of item (`agreement`, `restriction`, `bilateral pair`).
        kind: &'static str,
        /// Its id or key.
        id: String,
        /// What does not fit.
        reason: String,
    },
    /// Input larger than this crate accepts: a node count, a line, an id.
    /// Checked before anything of that size is allocated.
    #[error("{what} of {size} exceeds the limit of {limit}")]
    TooLarge {
        /// What is too large (`node count`, `line length in bytes`).
        what: &'static str,
        /// The size that was asked for.
        size: u64,
        /// The largest size accepted.
        limit: u64,
    },
    /// A date that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or not a real day.
    #[error("invalid date {}: expected YYYY, YYYY-MM or YYYY-MM-DD", quote(value))]
    InvalidDate {
        /// The text that was given.
        value: String,
    },
    /// Malformed text input: a CSV or JSON file, with where the problem is.
    #[error("{}line {line}{}: {}",
        file.as_ref().map(|f| format!("{}: ", cut(&f.display().to_string()))).unwrap_or_default(),
        column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default(),
        cut(message))]
    Parse {
        /// The file, when the input came from one.
        file: Option<PathBuf>,
        /// 1-based line number.
        line: u64,
        /// 1-based column (or field) number, when known.
        column: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// A JSON document whose schema version this crate cannot read.
    #[error(
        "unsupported schema {} version {version} (this crate reads {expected:?} version {supported})",
        quote(schema)
    )]
    SchemaVersion {
        /// The schema name found.
        schema: String,
        /// The version found.
        version: u32,
        /// The schema name this crate reads.
        expected: &'static str,
        /// The version this crate reads.
        supported: u32,
    },
    /// A value in an otherwise well-formed document was refused; `context`
    /// says where (for example `flows[3]`).
    #[error("{}: {source}", cut(context))]
    Invalid {
        /// Where in the document.
        context: String,
        /// What was wrong there.
        #[source]
        source: Box<Error>,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", cut(&path.display().to_string()))]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Two quantities of one mineral and stage measured on different bases
    /// (contained metal and gross weight, say) that were to be added.
    #[error(
        "cannot add {mineral}/{stage} figures of different bases: {} and {}{}",
        quote(first),
        quote(second),
        item.as_ref().map(|i| format!(" ({})", cut(i))).unwrap_or_default()
    )]
    MixedBasis {
        /// The mineral.
        mineral: Mineral,
        /// The stage.
        stage: Stage,
        /// The basis of the first figure.
        first: String,
        /// The basis of the figure that differs.
        second: String,
        /// The figure that differs (a node or a flow), when known.
        item: Option<String>,
    },
    /// An analysis found nothing to work on, or a value it needs is
    /// missing: `what` names it (for example `output of cobalt at refining
    /// in the chain`, `governance (WGI) for exporter ROW`).
    #[error("no data: {}", cut(what))]
    NoData {
        /// What is missing.
        what: String,
    },
    /// A scenario names a country, mineral, node or agreement that the
    /// chain does not hold.
    #[error("{what} {} is not in the chain", cut(value))]
    NotInChain {
        /// What is named (`country`, `mineral`, `node`, `agreement`).
        what: &'static str,
        /// The value as given.
        value: String,
    },
    /// An iterative computation did not settle within its sweep limit.
    #[error(
        "{} did not converge after {sweeps} sweeps (last change {residual:e})",
        cut(what)
    )]
    NotConverged {
        /// Which computation (and its target).
        what: String,
        /// Sweeps done.
        sweeps: usize,
        /// The largest change in the last sweep.
        residual: f64,
    },
}

impl Error {
    /// Wraps this error with the place in a document where it occurred.
    pub(crate) fn at(self, context: impl Into<String>) -> Error {
        Error::Invalid {
            context: context.into(),
            source: Box::new(self),
        }
    }
}

/// A message or unquoted value cut for display: a safety net for text built
/// from input, at a few times [`quote`]'s limit so that messages quoting one
/// capped value are never cut.
fn cut(text: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 4 * crate::csv_header::MAX_QUOTE_CHARS;
    match text.char_indices().nth(MAX) {
        None => text.into(),
        Some((at, _)) => format!("{}… ({} bytes)", &text[..at], text.len()).into(),
    }
}

/// Shorthand for `Result<T, critical_minerals::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
