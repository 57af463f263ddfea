//! Integration tests: one binary, one module per topic.

mod analysis;
mod analysis_props;
mod chain;
mod dataset;
mod io;
mod json;
mod model;
mod network_flow;
mod network_structure;
mod properties;
mod support;
