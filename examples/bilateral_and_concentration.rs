//! Bilateral links and concentration on the built-in dataset.
//!
//! 1. The US–Malaysia bilateral profile: agreements, Malaysia's raw
//!    rare-earth export ban and its conflict with Malaysia's commitments, and
//!    the rare-earth trade layer described below.
//! 2. Concentration by stage for rare earths, cobalt and gallium (USGS
//!    country output), with the IEA 2019 processing shares beside them.
//! 3. The share of US refined rare-earth supply that passes through China,
//!    and where it originates.
//! 4. The GeoPolRisk score of US rare-earth imports, from WGI 2022.
//!
//! The dataset has country output by stage but no bilateral flows. The
//! rare-earth trade layer is therefore MODELED and marked so: US imports of
//! rare-earth compounds and metals are an index of 100 t split by the USGS
//! import-source shares (2020–23), and, in the second variant, each
//! exporting refiner is fed by world mine output in proportion (the
//! assumption of the dataset's `ModeledFlows` step).
//!
//! Run: `cargo run --release --example bilateral_and_concentration`

use critical_minerals::analysis::{
    BilateralOptions, Concentration, ConcentrationOptions, GeoPolRisk, GeoPolRiskOptions,
    MissingGovernance,
};
use critical_minerals::analysis::{OriginOptions, ProducerShare};
use critical_minerals::data::{YearChainOptions, YearRule};
use critical_minerals::{
    Country, Dataset, Flow, Mineral, NodeId, NodeKey, Provenance, Stage, SupplyChain, Tonnes,
};

const YEAR: i16 = 2024;
/// The last year of WGI data in the dataset.
const WGI_YEAR: i16 = 2022;

fn main() -> Result<(), critical_minerals::Error> {
    let data = Dataset::builtin()?;
    let ree = Mineral::RARE_EARTHS;
    let day = jiff::civil::date(2026, 2, 5);

    // The reported chain of 2024 (country output by stage; agreements,
    // restrictions) plus the modeled rare-earth import layer.
    let mut chain = data.chain(YEAR)?;
    let us_users = add_us_refined_imports(&mut chain, data)?;

    println!("== 1. United States – Malaysia (built-in data, {YEAR}) ==");
    println!(
        "Flows are MODELED: US imports of rare-earth compounds and metals as an index of 100 t \
         split by the USGS 2020–23 import-source shares; there are no reported bilateral tonnages.\n"
    );
    let profile = chain.bilateral(
        Country::USA,
        Country::MYS,
        &BilateralOptions::new().as_of(day),
    )?;
    println!("{profile}");

    println!("== 2. Concentration by stage (USGS output, latest year up to {YEAR}) ==\n");
    let latest = data.chain_with(&YearChainOptions::new(YEAR).years(YearRule::LatestUpTo))?;
    let opts = ConcentrationOptions::new();
    for m in [Mineral::RARE_EARTHS, Mineral::COBALT, Mineral::GALLIUM] {
        println!("{}", latest.concentration_by_stage(&m, &opts));
        // Processing shares are published only as IEA 2019 percentages of
        // the top producers; the rest of the world is the remainder, so the
        // HHI is a lower bound.
        let rows = data.shares(&m, Stage::Processing, 2019);
        if !rows.is_empty() {
            let named: f64 = rows.iter().map(|r| r.share.get()).sum();
            let outputs = rows
                .iter()
                .map(|r| (r.country, Tonnes::new(r.share.percent())))
                .chain([(Country::ROW, Tonnes::new((1.0 - named).max(0.0) * 100.0))])
                .map(|(c, t)| t.map(|t| (c, t)))
                .collect::<Result<Vec<_>, _>>()?;
            let c = Concentration::from_outputs(outputs, &opts)?;
            println!(
                "  processing (IEA 2019 shares, top producers only): {}; top-1 {}; HHI ≥{:.0}\n",
                list(&c.shares),
                c.top1,
                c.hhi
            );
        }
    }

    println!("== 3. US refined rare-earth supply: what passes through China ==\n");
    let oopts = OriginOptions::new();
    let direct = chain.pass_through(us_users, Country::CHN, &oopts)?;
    println!(
        "Imports only (USGS shares; the exporters' own feedstock is not in the dataset): \
         {direct:.1} passes through China, a lower bound."
    );
    let modeled = with_modeled_feed(&chain, us_users)?;
    let through = modeled.pass_through_all(us_users, &oopts)?;
    let origin = modeled.origin(us_users, &oopts)?;
    println!(
        "MODELED feed (each exporting refiner takes world mine output in proportion; ignores \
         contracts and Malaysia's raw-ore ban): {:.1} passes through China.\n",
        through.share_of(Country::CHN)
    );
    println!("{origin}");
    println!("{through}");
    println!(
        "These traces cover imports only: USGS puts US net import reliance for rare-earth \
         compounds and metals at {} in {YEAR}.\n",
        data.us_net_import_reliance(&ree)
            .map(|r| r.reliance.to_string())
            .unwrap_or_else(|| "n/a".into())
    );

    println!("== 4. GeoPolRisk of US rare-earth imports (WGI {WGI_YEAR}) ==\n");
    let mine = latest.concentration(&ree, Stage::Extraction, &opts)?;
    let imports = data
        .us_import_sources(&ree)
        .into_iter()
        .filter(|r| r.stage == Stage::Refining)
        .map(|r| Tonnes::new(r.share.percent()).map(|t| (r.exporter, t)))
        .collect::<Result<Vec<_>, _>>()?;
    let risk = GeoPolRisk::from_parts(
        Country::USA,
        &mine,
        Tonnes::ZERO,
        imports,
        |c| data.governance(c, WGI_YEAR).map(|g| g.estimate),
        &GeoPolRiskOptions::new().missing_governance(MissingGovernance::Exclude),
    )?;
    println!("{risk}");
    println!(
        "HHI is mine production's (the only rare-earth stage with country tonnages); imports are \
         the USGS shares as an index; US domestic production P is not in the dataset and is \
         taken as 0, which overstates the score."
    );
    Ok(())
}

/// Adds a US node for users of rare-earth compounds and metals and a flow
/// from each exporter's refining node, an index of 100 t split by the USGS
/// import-source shares (MODELED; the shares are sourced, the tonnes not).
fn add_us_refined_imports(
    chain: &mut SupplyChain,
    data: &Dataset,
) -> Result<NodeId, critical_minerals::Error> {
    let ree = Mineral::RARE_EARTHS;
    let users = chain.ensure_node(NodeKey::new(
        Country::USA,
        ree.clone(),
        Stage::Manufacturing,
    ));
    for row in data.us_import_sources(&ree) {
        if row.stage != Stage::Refining {
            continue;
        }
        let from = chain.ensure_node(NodeKey::new(row.exporter, ree.clone(), Stage::Refining));
        let provenance = Provenance::modeled(format!(
            "index: 100 t of US imports of {} split by the USGS {}–{} import-source share ({})",
            row.product, row.from_year, row.to_year, row.share
        ))
        .source(row.source.clone());
        chain.add_flow(
            from,
            users,
            Flow::new(Tonnes::new(row.share.percent())?).provenance(provenance),
        )?;
    }
    Ok(users)
}

/// A copy of `chain` in which every refiner that ships to the US is fed by
/// every mine in proportion to the mine's output (MODELED).
fn with_modeled_feed(
    chain: &SupplyChain,
    us_users: NodeId,
) -> Result<SupplyChain, critical_minerals::Error> {
    let mut modeled = chain.clone();
    let ree = Mineral::RARE_EARTHS;
    let mines: Vec<(NodeId, Tonnes)> = chain
        .nodes_of_mineral(&ree)
        .filter(|(_, n)| n.stage() == Stage::Extraction)
        .filter_map(|(id, n)| n.output.map(|t| (id, t)))
        .collect();
    let refiners: Vec<(NodeId, Tonnes)> = chain
        .flows_in(us_users)
        .map(|f| (f.from, f.tonnes()))
        .collect();
    for (refiner, index) in refiners {
        for &(mine, output) in &mines {
            let tonnes = Tonnes::new(output.get() * index.get() / 100.0)?;
            let p = Provenance::modeled("refiner fed by world mine output in proportion");
            modeled.add_flow(mine, refiner, Flow::new(tonnes).provenance(p))?;
        }
    }
    Ok(modeled)
}

fn list(shares: &[ProducerShare]) -> String {
    shares
        .iter()
        .map(|s| format!("{} {:.0}", s.country, s.share))
        .collect::<Vec<_>>()
        .join(", ")
}
