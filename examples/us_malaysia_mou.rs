//! The US–Malaysia critical-minerals MOU of October 2025, as a supply chain.
//!
//! Part 1 works on the built-in dataset (real, sourced figures): Malaysia's
//! and the United States' output by mineral and stage, the agreements and
//! export restrictions between them with their sources, the bilateral
//! profile (including the conflict between Malaysia's raw rare-earth ban and
//! its trade-agreement commitment) and rare-earth concentration by stage.
//!
//! Part 2 builds a small hand-made rare-earth chain (the United States,
//! Malaysia, China and Australia across the six stages) to show what the
//! dataset cannot yet: flows, dependence and the chokepoint report toward US
//! manufacturing. Its tonnages are illustrative round numbers, not data;
//! its agreements and restrictions are the real ones from the dataset.
//! It round-trips the chain through JSON and writes GraphML and DOT files.
//!
//! Run: `cargo run --release --example us_malaysia_mou`

use critical_minerals::analysis::{BilateralOptions, ChokepointOptions, ConcentrationOptions};
use critical_minerals::data::{YearChainOptions, YearRule};
use critical_minerals::io::{self, DotOptions};
use critical_minerals::network::Target;
use critical_minerals::{
    Country, Dataset, Flow, Mineral, Node, Provenance, ReportedDate, Stage, Status, SupplyChain,
    Tonnes,
};

fn main() -> Result<(), critical_minerals::Error> {
    let day = jiff::civil::date(2026, 2, 5);
    built_in_data(day)?;
    hand_made(day)
}

/// Part 1: the built-in dataset.
fn built_in_data(day: jiff::civil::Date) -> Result<(), critical_minerals::Error> {
    let data = Dataset::builtin()?;
    // Latest figures up to 2024; IEA 2019 shares appear as nodes without tonnage.
    let chain = data.chain_with(&YearChainOptions::new(2024).years(YearRule::LatestUpTo))?;
    println!(
        "==== Part 1: built-in data (USGS MCS 2025, IEA, World Bank, policy reporting) ====\n"
    );
    for c in [Country::MYS, Country::USA] {
        println!("{} ({c}): output by mineral and stage", c.name());
        let mut nodes: Vec<_> = chain.nodes_of_country(c).map(|(_, n)| n).collect();
        nodes.sort_by(|a, b| (a.mineral(), a.stage()).cmp(&(b.mineral(), b.stage())));
        for n in nodes {
            let p = &n.provenance;
            let out = match (n.output, p.status) {
                (Some(t), _) => t.to_string(),
                (None, Status::Withheld) => "withheld".into(),
                (None, _) => "share only".into(),
            };
            println!(
                "  {:<14} {:<13} {:>14}  {:<9} {}",
                n.mineral().as_str(),
                n.stage().name(),
                out,
                p.status,
                p.sources.join(", ")
            );
        }
        println!();
    }
    let date = |d: Option<ReportedDate>| d.map_or_else(|| "?".to_string(), |d| d.to_string());
    println!("Agreements between the United States and Malaysia");
    for a in chain.agreements_between(Country::USA, Country::MYS) {
        println!(
            "  {} ({:?}, signed {}, {:?})\n    source: {}",
            a.id,
            a.kind,
            date(a.signed),
            a.binding,
            a.provenance.citation.as_deref().unwrap_or("-")
        );
    }
    println!("Restrictions between them");
    for (from, to) in [(Country::MYS, Country::USA), (Country::USA, Country::MYS)] {
        for r in chain.restrictions_toward(from, to) {
            println!(
                "  {from} -> {to}: {} ({}, since {})\n    source: {}",
                r.id,
                r.status_on(day),
                date(r.effective.or(r.announced)),
                r.provenance.citation.as_deref().unwrap_or("-")
            );
        }
    }
    println!();
    let profile = chain.bilateral(
        Country::USA,
        Country::MYS,
        &BilateralOptions::new().as_of(day),
    )?;
    println!("{profile}");
    println!(
        "{}",
        chain.concentration_by_stage(&Mineral::RARE_EARTHS, &ConcentrationOptions::new())
    );
    Ok(())
}

/// Part 2: a hand-made chain with flows.
fn hand_made(day: jiff::civil::Date) -> Result<(), critical_minerals::Error> {
    let chain = hand_made_chain()?;
    println!("\n==== Part 2: a hand-made rare-earth chain (illustrative tonnages) ====\n");
    println!("{chain}");

    let profile = chain.bilateral(
        Country::USA,
        Country::MYS,
        &BilateralOptions::new().as_of(day),
    )?;
    println!("{profile}");

    let target = Target::country_stage(Country::USA, Stage::Manufacturing);
    let report = chain.chokepoint_report(
        &target,
        &ChokepointOptions::new().mineral(Mineral::RARE_EARTHS),
    )?;
    println!("{report}");

    let json = chain.to_json();
    let back = SupplyChain::from_json(&json)?;
    assert_eq!(back, chain, "JSON round trip must be exact");
    println!(
        "JSON round trip: {} bytes, identical after reload",
        json.len()
    );
    let dir = std::env::temp_dir();
    let (graphml, dot) = (
        dir.join("us_malaysia_mou.graphml"),
        dir.join("us_malaysia_mou.dot"),
    );
    io::write_graphml_file(&chain, &graphml)?;
    io::write_dot_file(
        &chain,
        &dot,
        &DotOptions::new().title("US–Malaysia MOU: rare earths"),
    )?;
    println!(
        "Wrote {} (Gephi, Cytoscape, networkx) and {} (Graphviz)",
        graphml.display(),
        dot.display()
    );
    Ok(())
}

fn hand_made_chain() -> Result<SupplyChain, critical_minerals::Error> {
    let ree = Mineral::RARE_EARTHS;
    let mut c = SupplyChain::new();
    let node = |c: &mut SupplyChain, country, stage, out: f64| {
        c.add_node(
            Node::new(country, ree.clone(), stage)
                .output(Tonnes::new(out)?)
                .provenance(illustrative()),
        )
    };
    use Country as C;
    use Stage::*;
    let aus_mine = node(&mut c, C::AUS, Extraction, 13_000.0)?;
    let chn_mine = node(&mut c, C::CHN, Extraction, 270_000.0)?;
    let mys_mine = node(&mut c, C::MYS, Extraction, 100.0)?;
    let usa_mine = node(&mut c, C::USA, Extraction, 45_000.0)?;
    let _usa_expl = node(&mut c, C::USA, Exploration, 0.0)?;
    let mys_proc = node(&mut c, C::MYS, Processing, 12_000.0)?;
    let chn_proc = node(&mut c, C::CHN, Processing, 280_000.0)?;
    let mys_ref = node(&mut c, C::MYS, Refining, 11_000.0)?;
    let chn_ref = node(&mut c, C::CHN, Refining, 270_000.0)?;
    let usa_mfg = node(&mut c, C::USA, Manufacturing, 9_000.0)?;
    let usa_rec = node(&mut c, C::USA, Recycling, 100.0)?;
    let t = |v: f64| Tonnes::new(v).map(|t| Flow::new(t).provenance(illustrative()));
    c.add_flow(aus_mine, mys_proc, t(12_000.0)?)?;
    c.add_flow(mys_mine, mys_proc, t(100.0)?)?;
    c.add_flow(chn_mine, chn_proc, t(270_000.0)?)?;
    c.add_flow(usa_mine, chn_proc, t(40_000.0)?)?;
    c.add_flow(mys_proc, mys_ref, t(11_000.0)?)?;
    c.add_flow(chn_proc, chn_ref, t(270_000.0)?)?;
    c.add_flow(mys_ref, usa_mfg, t(1_300.0)?)?;
    c.add_flow(chn_ref, usa_mfg, t(7_000.0)?)?;
    c.add_flow(usa_mfg, usa_rec, t(100.0)?)?;
    c.add_flow(usa_rec, usa_mfg, t(80.0)?)?;

    // The agreements and restrictions are the real ones, from the built-in
    // data: the MOU, the trade agreement (with Malaysia's commitment not to
    // restrict exports to the US) and Malaysia's raw rare-earth export ban.
    let data = Dataset::builtin()?;
    for a in data.agreements_between(C::USA, C::MYS) {
        c.add_agreement(a.clone())?;
    }
    for (from, to) in [(C::MYS, C::USA), (C::USA, C::MYS)] {
        for r in data.restrictions_toward(from, to) {
            c.add_restriction(r.clone())?;
        }
    }
    Ok(c)
}

/// The hand-made tonnages are round numbers chosen for the example, so they
/// are marked modeled, never reported.
fn illustrative() -> Provenance {
    Provenance::modeled("illustrative round number for the example, not data")
}
