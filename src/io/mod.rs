//! Data in and out: CSV, BACI and UN Comtrade trade files, GraphML and Graphviz DOT.
//!
//! | what | read | write |
//! |---|---|---|
//! | nodes as CSV ([layout](csv#nodes)) | [`read_nodes_csv`], [`read_nodes_csv_file`] | [`write_nodes_csv`], [`write_nodes_csv_file`] |
//! | flows as CSV ([layout](csv#flows)) | [`read_flows_csv`], [`read_flows_csv_file`] | [`write_flows_csv`], [`write_flows_csv_file`] |
//! | CEPII BACI (`t,i,j,k,v,q`) | [`load_baci`], [`load_baci_file`] | |
//! | UN Comtrade bulk / API CSV | [`load_comtrade`], [`load_comtrade_file`] | |
//! | GraphML (Gephi, Cytoscape, yEd, networkx, igraph) | | [`write_graphml`], [`write_graphml_file`] |
//! | Graphviz DOT | | [`write_dot`], [`write_dot_file`] |
//! | a stage-layered flow picture (SVG, Sankey style; before/after) | | [`write_svg`], [`write_svg_file`], [`FlowDiagram`] |
//!
//! Every reader is atomic: it parses and validates the whole input first and
//! changes the chain only when all of it is good, so an error leaves the
//! chain exactly as it was. Errors name the file (for the `_file` variants),
//! the line and the column.
//!
//! The trade loaders share [`TradeOptions`] (years, minerals, measure,
//! non-ISO reporters, concordance, strictness) and return a [`LoadReport`]
//! that counts what was kept and what was skipped, by [`SkipReason`]. How a
//! traded product becomes a flow between two stages is
//! [`receiving_stage`].
//!
//! # Resource bounds
//!
//! Hostile or broken input fails with an error, in bounded memory, before
//! anything of the size it claims is allocated:
//!
//! | loader | longest line | file | ids / counts | memory |
//! |---|---|---|---|---|
//! | nodes / flows CSV | 16 MiB ([`Error::TooLarge`](crate::Error::TooLarge) at its line) | unbounded, streamed | chain ids are `u32` | O(rows) |
//! | BACI | 16 MiB (the 1 MiB block grows to fit, then stops) | unbounded, streamed | 32 columns | O(flows) + block |
//! | UN Comtrade | 16 MiB | unbounded, streamed | | O(flows + export rows) |
//! | HS concordance CSV | 16 MiB | read whole | 10^6 codes | O(rows) |
//! | chain JSON ([`SupplyChain::from_json`](crate::SupplyChain::from_json)) | | the caller's text | ids below 2 × items + listed free ids + [`MAX_ID_HOLES`](crate::chain::MAX_ID_HOLES) (2^16) | O(document + holes) |
//! | engine ([`flow`](crate::flow)) | | | nodes ≤ [`MAX_NODES`](crate::flow::MAX_NODES) and ≤ 2 × edges + [`MAX_ISOLATED_NODES`](crate::flow::MAX_ISOLATED_NODES) | O(V + E) |
//!
//! Error messages quote at most 200 characters of a value, then its size
//! in bytes. A single figure is at most [`Tonnes::MAX`](crate::Tonnes::MAX)
//! (10^15 t); a trade flow whose rows sum past it is an error naming the
//! row. A failing reader is [`Error::Io`](crate::Error::Io) (`<reader>` for
//! a caller's reader); `Interrupted` reads are retried; a UTF-8 byte-order
//! mark is removed however the reader splits its input.

mod baci;
mod commit;
mod comtrade;
pub mod csv;
mod dot;
mod graphml;
mod report;
mod svg;
mod trade;
mod util;

pub use baci::{load_baci, load_baci_file};
pub use comtrade::{load_comtrade, load_comtrade_file};
pub use csv::{
    read_flows_csv, read_flows_csv_file, read_nodes_csv, read_nodes_csv_file, write_flows_csv,
    write_flows_csv_file, write_nodes_csv, write_nodes_csv_file,
};
pub use dot::{DotOptions, write_dot, write_dot_file};
pub use graphml::{write_graphml, write_graphml_file};
pub use report::{LoadReport, SkipReason};
pub use svg::{DiagramLink, FlowDiagram, SvgOptions, write_svg, write_svg_file};
pub use trade::{FlowMeasure, NonIsoPolicy, TradeOptions, receiving_stage};
