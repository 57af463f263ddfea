//! Loading bilateral trade data (BACI layout) into a supply chain, seeing
//! what was kept and skipped, and exporting the graph for Gephi, networkx
//! or Graphviz.
//!
//! Run with `cargo run --example load_trade_data`. Point it at a real BACI
//! file with `cargo run --release --example load_trade_data -- BACI_HS17_Y2022_V202401.csv`.

use std::path::PathBuf;

use critical_minerals::io::{self, DotOptions, TradeOptions};
use critical_minerals::{Country, SupplyChain};

fn main() -> Result<(), critical_minerals::Error> {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/baci_sample.csv")
        });

    // The built-in HS-6 concordance maps product codes to (mineral, stage);
    // rows of other products are counted and skipped.
    let mut chain = SupplyChain::new();
    let report = io::load_baci_file(&mut chain, &path, &TradeOptions::new())?;
    println!("Loaded {}\n", path.display());
    println!("{report}\n");

    println!("Flows (exporter node -> importer node):");
    for f in chain.flows() {
        let value = f.flow.value.map(|v| format!("  {v}")).unwrap_or_default();
        println!(
            "  {:<32} -> {:<34} {:>12}{value}  {}",
            f.from_key.to_string(),
            f.to_key.to_string(),
            format!("{:.1} t", f.tonnes().get()),
            f.flow.year.map(|y| y.to_string()).unwrap_or_default()
        );
    }

    let into_us: f64 = chain
        .flows()
        .filter(|f| f.to_key.country == Country::USA)
        .map(|f| f.tonnes().get())
        .sum();
    println!("\nTonnes shipped to the United States: {into_us}");

    let dir = std::env::temp_dir().join("critical-minerals-load-trade-data");
    std::fs::create_dir_all(&dir).map_err(|source| critical_minerals::Error::Io {
        path: dir.clone(),
        source,
    })?;
    let graphml = dir.join("trade.graphml");
    let dot = dir.join("trade.dot");
    let flows = dir.join("flows.csv");
    io::write_graphml_file(&chain, &graphml)?;
    io::write_dot_file(
        &chain,
        &dot,
        &DotOptions::new().title("BACI sample, mineral trade"),
    )?;
    io::write_flows_csv_file(&chain, &flows)?;
    println!("\nWrote {}", graphml.display());
    println!("Wrote {} (render with `dot -Tsvg`)", dot.display());
    println!("Wrote {}", flows.display());
    Ok(())
}
