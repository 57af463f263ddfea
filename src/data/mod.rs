//! The built-in dataset: real, sourced public figures embedded in the crate.
