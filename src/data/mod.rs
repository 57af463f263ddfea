//! The built-in dataset: real, sourced public figures embedded in the crate.

mod concordance;
mod table;

pub use concordance::{HsConcordance, HsEntry, parse_hs6};
