//! Chokepoints: which countries and stages can, by failing, starve US
//! rare-earth manufacturing, and all cobalt refining?
//!
//! `cargo run --example chokepoints`
//!
//! # What is real and what is assumed
//! The built-in dataset has real, sourced **mine output** for 2024 (USGS MCS
//! 2025), the IEA's 2019 **shares** of processing by country, and the USGS
//! **US import sources** of rare-earth compounds and metals (2020–2023). It
//! has no refinery tonnages for rare earths or cobalt and no bilateral
//! flows, so this example completes the chain with three stated assumptions,
//! every one marked `Modeled` in the provenance of what it adds:
//!
//! 1. Refinery output = the IEA share × 2024 world mine output (the share
//!    not attributed to a named country goes to `ROW`).
//! 2. Mines ship to refineries in proportion to refinery output (the
//!    dataset's `ModeledFlows` rule: every supplier sells to every receiver
//!    in proportion to the receivers' output).
//! 3. US rare-earth manufacturing takes an illustrative 10,000 t a year,
//!    split by the USGS import-source shares. The dataset has no US intake
//!    tonnage; only the shares move the percentages below, the 10,000 t
//!    only scales the tonnes. Japan and Estonia, US suppliers with no IEA
//!    share, are given a refinery just large enough for their US shipments.
//!
//! The report therefore describes the structure of production shares, not
//! observed trade: load BACI trade data (`io` module) for the latter.

use critical_minerals::analysis::{ChokepointOptions, RiskKind};
use critical_minerals::data::{YearChainOptions, YearRule};
use critical_minerals::network::Target;
use critical_minerals::{
    Country, Dataset, Flow, Mineral, NodeId, NodeKey, Provenance, Share, Stage, SupplyChain, Tonnes,
};

/// Illustrative US intake of rare-earth compounds and metals (assumption 3).
const US_REE_INTAKE_T: f64 = 10_000.0;

fn main() -> Result<(), critical_minerals::Error> {
    let data = Dataset::builtin()?;
    let mut chain = data.chain_with(&YearChainOptions::new(2024).years(YearRule::LatestUpTo))?;

    // ----- rare earths toward US manufacturing ---------------------------
    let ree = Mineral::RARE_EARTHS;
    let shares: Vec<(Country, Share)> = data
        .shares(&ree, Stage::Processing, 2019)
        .iter()
        .map(|r| (r.country, r.share))
        .collect();
    let mut refiners = add_refiners(&mut chain, &ree, &shares)?;
    let us = chain.add_node(critical_minerals::Node::new(
        Country::USA,
        ree.clone(),
        Stage::Manufacturing,
    ))?;
    let imports: Vec<(Country, Share)> = data
        .us_import_sources(&ree)
        .iter()
        .filter(|r| r.stage == Stage::Refining)
        .map(|r| (r.exporter, r.share))
        .collect();
    for &(country, share) in &imports {
        let key = NodeKey::new(country, ree.clone(), Stage::Refining);
        let shipped = Tonnes::new(US_REE_INTAKE_T * share.get())?;
        let id = match chain.node_id(&key) {
            Some(id) => id,
            None => {
                // Assumption 3: a refinery just large enough for its US
                // shipments, fed like the others.
                let id = chain.ensure_node(key);
                chain.set_output(id, Some(shipped))?;
                refiners.push(id);
                id
            }
        };
        let note =
            format!("illustrative US intake of {US_REE_INTAKE_T} t x USGS import share {share}");
        chain.add_flow(
            id,
            us,
            Flow::new(shipped).provenance(Provenance::modeled(note)),
        )?;
    }
    link_mines_proportionally(&mut chain, &ree, &refiners)?;

    let target = Target::country_stage(Country::USA, Stage::Manufacturing);
    let report = chain.chokepoint_report(&target, &ChokepointOptions::new().mineral(ree))?;
    println!("{report}");
    if let Some(top) = report.nodes.first() {
        println!("Top risk: {} ({})\n", top.reason, kinds(&top.kinds));
    }

    // ----- cobalt toward all refining demand -----------------------------
    let cobalt = Mineral::COBALT;
    let shares: Vec<(Country, Share)> = data
        .shares(&cobalt, Stage::Processing, 2019)
        .iter()
        .map(|r| (r.country, r.share))
        .collect();
    let refiners = add_refiners(&mut chain, &cobalt, &shares)?;
    link_mines_proportionally(&mut chain, &cobalt, &refiners)?;
    let report = chain.chokepoint_report(
        &Target::Stage(Stage::Refining),
        &ChokepointOptions::new().mineral(cobalt),
    )?;
    println!("{report}");
    Ok(())
}

/// Assumption 1: a refinery per IEA share, output = share × world mine
/// output, plus `ROW` for the unattributed rest. Returns the refineries.
fn add_refiners(
    chain: &mut SupplyChain,
    mineral: &Mineral,
    shares: &[(Country, Share)],
) -> Result<Vec<NodeId>, critical_minerals::Error> {
    let world = chain.total_output(mineral, Stage::Extraction).get();
    let named: f64 = shares.iter().map(|(_, s)| s.get()).sum();
    let mut rows = shares.to_vec();
    if named < 1.0 {
        rows.push((Country::ROW, Share::ratio(1.0 - named, 1.0)));
    }
    let mut out = Vec::new();
    for (country, share) in rows {
        let id = chain.ensure_node(NodeKey::new(country, mineral.clone(), Stage::Refining));
        chain.set_output(id, Some(Tonnes::new(world * share.get())?))?;
        chain.set_node_provenance(
            id,
            Provenance::modeled(format!(
                "IEA 2019 processing share {share} x 2024 world mine output"
            )),
        )?;
        out.push(id);
    }
    Ok(out)
}

/// Assumption 2: every mine ships to every refinery in proportion to the
/// refineries' output.
fn link_mines_proportionally(
    chain: &mut SupplyChain,
    mineral: &Mineral,
    refiners: &[NodeId],
) -> Result<(), critical_minerals::Error> {
    let output = |chain: &SupplyChain, id: NodeId| {
        chain
            .node(id)
            .and_then(|n| n.output)
            .map_or(0.0, Tonnes::get)
    };
    let total: f64 = refiners.iter().map(|&r| output(chain, r)).sum();
    let mines: Vec<(NodeId, f64)> = chain
        .nodes_of_mineral(mineral)
        .filter(|(_, n)| n.stage() == Stage::Extraction)
        .filter_map(|(id, n)| n.output.map(|t| (id, t.get())))
        .collect();
    for (mine, mined) in mines {
        for &r in refiners {
            let t = mined * output(chain, r) / total;
            if t > 0.0 {
                let p = Provenance::modeled("mine output split in proportion to refinery output");
                chain.add_flow(mine, r, Flow::new(Tonnes::new(t)?).provenance(p))?;
            }
        }
    }
    Ok(())
}

fn kinds(k: &[RiskKind]) -> String {
    k.iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
