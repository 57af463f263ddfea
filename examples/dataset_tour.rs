//! A tour of the built-in dataset: what it covers, and for rare earths who
//! produces at each stage, with the source of every figure.
//!
//! Run with `cargo run --release --example dataset_tour`.

use std::time::Instant;

use critical_minerals::{Country, Dataset, Mineral, Stage};

fn main() -> Result<(), critical_minerals::Error> {
    // The first call parses the embedded CSV files; later calls are free.
    let start = Instant::now();
    let data = Dataset::builtin()?;
    let parse = start.elapsed();
    println!("Dataset::builtin() parsed the embedded files in {parse:.2?} (first call)\n");

    println!("Coverage");
    println!("  years:     {:?}", data.years());
    println!("  countries: {}", data.countries().len());
    println!("  minerals:  {}", data.minerals().len());
    for m in data.minerals() {
        let stages: Vec<&str> = data.stages(&m).into_iter().map(Stage::name).collect();
        let years: std::collections::BTreeSet<i16> = data
            .production_rows()
            .iter()
            .filter(|r| r.mineral == m)
            .map(|r| r.year)
            .chain(
                data.share_rows()
                    .iter()
                    .filter(|r| r.mineral == m)
                    .map(|r| r.year),
            )
            .collect();
        println!("    {m:<16} {:<32} {years:?}", stages.join(", "));
    }
    println!(
        "  policy:    {} agreements, {} export restrictions, {} suspension acts",
        data.agreements().len(),
        data.restrictions().len(),
        data.policy_acts().len()
    );
    println!(
        "  reference: {} sources, {} HS-6 concordance entries\n",
        data.sources().len(),
        data.hs_concordance().len()
    );

    let ree = Mineral::RARE_EARTHS;
    println!("Rare earths, producers by stage");
    for stage in data.stages(&ree) {
        for year in data.years().into_iter().rev() {
            let p = data.production(&ree, stage, year);
            if !p.is_empty() {
                println!("  {stage}, {year}");
                for r in p.countries().iter().copied().chain(p.rest_of_world()) {
                    let q = r.reported.map_or("withheld".to_string(), |q| q.to_string());
                    let share = p
                        .share_of_world(r.country)
                        .map(|s| format!("{s} of world"))
                        .unwrap_or_default();
                    println!(
                        "    {:<4} {:>12}  {:<15} {:<9} {}",
                        r.country, q, share, r.status, r.source
                    );
                }
                if let Some(w) = p.world_total() {
                    let q = w.reported.map_or("withheld".to_string(), |q| q.to_string());
                    println!("    {:<4} {:>12}  (world total, {})", "WLD", q, w.basis);
                }
            }
            let shares = data.shares(&ree, stage, year);
            if !shares.is_empty() {
                println!("  {stage}, {year} (published as shares only)");
            }
            for s in shares {
                println!("    {:<4} {:>12}  {}", s.country, s.share, s.source);
            }
        }
    }
    println!("\nUS imports of rare-earth compounds and metals (USGS, 2020-2023)");
    for r in data.us_import_sources(&ree) {
        println!("    {:<4} {:>6}  {}", r.exporter, r.share, r.source);
    }
    if let Some(r) = data.us_net_import_reliance(&ree) {
        println!(
            "  US net import reliance {}: {} ({})",
            r.year, r.reliance, r.source
        );
    }

    println!("\nSources of the rare-earth figures");
    for id in [
        "usgs_mcs_2025_rare_earths",
        "iea_critical_minerals_policy_tracker",
    ] {
        if let Some(s) = data.source(id) {
            println!(
                "  {id}: {}, {} {}",
                s.publisher,
                s.title,
                s.reference.as_deref().unwrap_or("")
            );
        }
    }

    println!("\nRestrictions touching rare earths");
    for r in data
        .restrictions()
        .iter()
        .filter(|r| r.minerals.covers(&ree))
    {
        let since = r
            .effective
            .or(r.announced)
            .map(|d| d.to_string())
            .unwrap_or_default();
        let status = r.status_on(jiff::civil::date(2026, 1, 1));
        println!(
            "  {:<40} {} {:<13} since {:<10} on 2026-01-01: {status}",
            r.id,
            r.imposer,
            format!("{:?}", r.kind),
            since
        );
    }
    let mys_wgi = data.governance(Country::MYS, 2022).map(|g| g.estimate);
    println!("\nMalaysia's WGI political stability, 2022: {mys_wgi:?}");
    trade_coverage(data)
}

/// Trade coverage (CEPII BACI, HS 1992): rows by mineral and year, and how
/// many lack a quantity. Parsed on first use, not by `Dataset::builtin()`.
fn trade_coverage(data: &Dataset) -> Result<(), critical_minerals::Error> {
    use std::collections::BTreeMap;
    let start = Instant::now();
    let trade = data.trade()?;
    println!(
        "\nTrade (CEPII BACI HS92): {} rows, {} without quantity, parsed in {:.2?} (first use)",
        trade.all_rows().len(),
        trade.rows_without_quantity(),
        start.elapsed()
    );
    let years: Vec<i16> = trade.years().into_iter().collect();
    // (mineral) → year → (rows, rows without quantity)
    let mut cov: BTreeMap<String, BTreeMap<i16, (usize, usize)>> = BTreeMap::new();
    for r in trade.all_rows() {
        let Some(p) = trade.product(r.hs6) else {
            continue;
        };
        let e = cov
            .entry(p.mineral.to_string())
            .or_default()
            .entry(r.year)
            .or_default();
        e.0 += 1;
        e.1 += usize::from(r.tonnes.is_none());
    }
    print!("  {:<22}", "mineral (rows, no qty)");
    for y in &years {
        print!(" {y:>12}");
    }
    println!();
    for (m, by_year) in &cov {
        print!("  {m:<22}");
        for y in &years {
            let (n, q) = by_year.get(y).copied().unwrap_or((0, 0));
            print!(" {:>12}", format!("{n} ({q})"));
        }
        println!();
    }
    let wmd = data.world_mining_data()?;
    println!(
        "\nWorld Mining Data: {} rows, {} commodities, years {:?}",
        wmd.all_rows().len(),
        wmd.commodities().len(),
        wmd.years()
    );
    Ok(())
}
