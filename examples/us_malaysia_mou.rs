//! The US–Malaysia critical-minerals MOU of October 2025, as a supply chain.
//!
//! Builds a small hand-made rare-earth chain (the United States, Malaysia,
//! China and Australia across the six stages), adds the MOU as an
//! `Agreement` and Malaysia's raw rare-earth export ban as an
//! `ExportRestriction`, prints it and round-trips it through JSON.
//!
//! The tonnages in the hand-made chain are illustrative round numbers, not
//! data: the built-in dataset carries the sourced figures.
//!
//! Run: `cargo run --release --example us_malaysia_mou`

use critical_minerals::{
    Agreement, AgreementKind, Binding, Country, ExportRestriction, Flow, Mineral, Node, Provision,
    RestrictionKind, Stage, SupplyChain, Termination, Tonnes,
};

fn main() -> Result<(), critical_minerals::Error> {
    let chain = hand_made_chain()?;
    println!("== A hand-made rare-earth chain (illustrative tonnages) ==\n");
    println!("{chain}");

    let day = jiff::civil::date(2026, 2, 5);
    println!("== Restrictions between the United States and Malaysia on {day} ==");
    for (a, b) in [(Country::MYS, Country::USA), (Country::USA, Country::MYS)] {
        for r in chain.restrictions_toward(a, b) {
            let conflicts: Vec<&str> = chain
                .agreements_between(a, b)
                .filter(|ag| ag.commits_no_restriction(a, b))
                .map(|ag| ag.id.as_str())
                .collect();
            println!(
                "  {} restricts exports to {}: {} ({}){}",
                a,
                b,
                r.id,
                r.status_on(day),
                if conflicts.is_empty() {
                    String::new()
                } else {
                    format!("; conflicts with commitment in {}", conflicts.join(", "))
                }
            );
        }
    }

    let json = chain.to_json();
    let back = SupplyChain::from_json(&json)?;
    assert_eq!(back, chain, "JSON round trip must be exact");
    println!(
        "\n== JSON round trip: {} bytes, identical after reload ==",
        json.len()
    );
    Ok(())
}

fn hand_made_chain() -> Result<SupplyChain, critical_minerals::Error> {
    let ree = Mineral::RARE_EARTHS;
    let mut c = SupplyChain::new();
    let node = |c: &mut SupplyChain, country, stage, out: f64| {
        c.add_node(Node::new(country, ree.clone(), stage).output(Tonnes::new(out)?))
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
    let t = |v: f64| Tonnes::new(v).map(Flow::new);
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

    c.add_agreement(
        Agreement::new(
            "us-mys-critical-minerals-mou-2025",
            AgreementKind::Mou,
            [C::USA, C::MYS],
        )?
        .signed("2025-10-26".parse()?)
        .binding(Binding::NonBinding)
        .provision(Provision::InvestmentPriority { investor: C::USA })
        .provision(Provision::PriceFloor)
        .termination(Termination::WrittenNotice)
        .summary(
            "MOU on diversifying critical-mineral supply chains; non-binding, commits no funds",
        ),
    )?;
    c.add_agreement(
        Agreement::new(
            "us-mys-reciprocal-trade-agreement-2025",
            AgreementKind::TradeAgreement,
            [C::USA, C::MYS],
        )?
        .signed("2025-10-26".parse()?)
        .binding(Binding::Pending)
        .minerals([ree.clone()])
        .provision(Provision::NoExportRestriction {
            by: C::MYS,
            toward: C::USA,
        }),
    )?;
    c.add_restriction(
        ExportRestriction::new("mys-raw-ree-export-ban-2024", C::MYS, RestrictionKind::Ban)?
            .minerals([ree.clone()])
            .stages([Extraction])
            .announced("2023-09-11".parse()?)
            .effective("2024-01".parse()?)
            .summary("Malaysia bars exports of unprocessed rare-earth materials"),
    )?;
    Ok(c)
}
