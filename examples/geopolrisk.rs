//! GeoPolRisk as geopolrisk-py's users know it: raw materials by name,
//! under the reference's conventions, with characterization factors; ten
//! scores for the United States and Malaysia in 2024, the EU-27 as one
//! importer, and (with `--batch`) every importer × material × year
//! 2019–2024 timed from process start, data load included.
//!
//! Run: `cargo run --release --example geopolrisk [-- --batch]`

use std::time::Instant;

use critical_minerals::Country;
use critical_minerals::analysis::{IntraRegion, MaterialRisk, ProductRiskOptions, Region};

fn main() -> Result<(), critical_minerals::Error> {
    let start = Instant::now();
    let o = ProductRiskOptions::reference();
    if std::env::args().any(|a| a == "--batch") {
        let data = critical_minerals::Dataset::builtin()?;
        data.trade()?;
        data.world_mining_data()?;
        let loaded = start.elapsed();
        let batch = MaterialRisk::builtin_batch(2019..=2024, &o)?;
        println!(
            "{} scores (importer × material × year, 2019–2024), {} combinations left out, \
             in {:.3?} from process start (data load {:.3?} of it)",
            batch.scores.len(),
            batch.skipped.values().sum::<usize>(),
            start.elapsed(),
            loaded
        );
        return Ok(());
    }
    println!("material     importer  year  score     CF (kg Cu-eq/kg)  price (USD/kg)");
    for importer in [Country::USA, Country::MYS] {
        for material in ["Cobalt", "Rare earth", "Lithium", "Graphite", "Nickel"] {
            let r = MaterialRisk::builtin(importer, material, 2024, &o)?;
            let (cf, price) = r
                .characterization
                .map_or(("n/a".into(), "n/a".into()), |c| {
                    (
                        format!("{:.6}", c.factor),
                        format!("{:.3}", c.price_usd_per_kg),
                    )
                });
            println!(
                "{material:<12} {importer:<9} 2024  {:<9.6} {cf:<17} {price}",
                r.risk.score
            );
        }
    }
    println!();
    let eu = MaterialRisk::builtin_region(
        &Region::eu(2024),
        "Rare earth",
        2024,
        IntraRegion::ZeroWeight,
        &o,
    )?;
    print!("{eu}");
    Ok(())
}
