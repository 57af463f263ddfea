//! One year's world chain from the built-in data, from a cold start: the
//! trade table parsed on first use, production from USGS where it has the
//! year and World Mining Data otherwise, one flow per CEPII BACI row. Then
//! every GeoPolRisk score the data supports for 2019–2024.
//!
//! Run: `cargo run --release --example world_chain [YEAR]`
//! (peak memory: `/usr/bin/time -v target/release/examples/world_chain`).

use std::time::Instant;

use critical_minerals::Dataset;
use critical_minerals::analysis::{ProductRisk, ProductRiskOptions};
use critical_minerals::data::WorldChainOptions;

fn main() -> Result<(), critical_minerals::Error> {
    let year: i16 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2023);
    let start = Instant::now();
    let data = Dataset::builtin()?;
    let world = data.world_chain(&WorldChainOptions::new(year))?;
    println!("{}", world.report);
    println!(
        "{} nodes, {} flows; built from a cold start in {:.2?}",
        world.chain.node_count(),
        world.chain.flow_count(),
        start.elapsed()
    );
    let start = Instant::now();
    let batch = ProductRisk::builtin_batch(2019..=2024, &ProductRiskOptions::new())?;
    println!(
        "GeoPolRisk: {} scores (importer × HS product × year, 2019–2024) in {:.2?}; left out: {:?}",
        batch.scores.len(),
        start.elapsed(),
        batch.skipped.values().sum::<usize>()
    );
    Ok(())
}
