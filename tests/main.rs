//! Integration tests: one binary, one module per topic.

mod analysis;
mod analysis_props;
mod bad_input;
mod chain;
mod content;
mod dataset;
mod fuzz;
mod geopolrisk_material;
mod geopolrisk_reference;
mod io;
mod json;
mod model;
mod network_flow;
mod network_structure;
// The peer benchmark's file reader, shared with the benches and
// examples/perf.rs; not part of the library.
#[path = "../benches/common/peer.rs"]
mod peer;
mod properties;
mod simulation;
mod support;
mod world;
