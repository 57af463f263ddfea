//! The US–Malaysia critical-minerals MOU of October 2025, end to end on the
//! built-in data: the README's main command.
//!
//! 1. the US–Malaysia bilateral profile for 2024 on the real world chain
//!    (CEPII BACI trade flows), the agreements and restrictions between
//!    them, and the trend since 2019;
//! 2. Malaysia's place in each mineral it produces or trades;
//! 3. the chokepoints of rare earths toward the United States on real
//!    trade flows, concentration by stage and GeoPolRisk;
//! 4. China's rare-earth export controls simulated on the same network,
//!    with and without new Malaysian processing capacity under the MOU;
//! 5. a short Monte Carlo of country failures;
//! 6. the stage-layered flow picture of rare earths as SVG.
//!
//! Every figure is marked: `[R]` reported data (a source id says which),
//! `[M]` computed by a model from reported data, `[I]` an illustrative
//! assumption that is not data.
//!
//! Run: `cargo run --release --example us_malaysia_mou`

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use critical_minerals::analysis::{
    BilateralOptions, BilateralProfile, ChokepointOptions, ChokepointReport, Concentration,
    ConcentrationOptions, ImportDependence, ProductRisk, ProductRiskOptions, RiskKind, Trend,
    WgiYear,
};
use critical_minerals::data::{
    BACI_SOURCE, ProductionSource, TradeQuery, WorldChain, WorldChainOptions,
};
use critical_minerals::io::{FlowDiagram, SvgOptions, write_svg_file};
use critical_minerals::network::{FlowOptions, LinkCapacity, Target};
use critical_minerals::simulation::{
    FailureModel, FlowChange, GovernanceMapping, Measure, MonteCarlo, Propagation, Scenario,
    Severity, Shock, SimulationOptions, Simulator,
};
use critical_minerals::{
    Agreement, Binding, Country, Coverage, Dataset, Error, Mineral, NodeKey, Provision, Share,
    Stage, SupplyChain, Termination, Tonnes,
};
use jiff::civil::{Date, date};

/// The latest BACI year: the profile, the network and the picture use it.
const YEAR: i16 = 2024;
/// Restriction and agreement status is read on this day (the latest
/// reporting in `policy.csv`).
const TODAY: Date = date(2026, 2, 5);
/// The peak of China's controls: the October 2025 announcements in force,
/// before the November suspension (No. 70); the MOU signed two days before.
const PEAK: Date = date(2025, 10, 28);
const MOU: &str = "us-mys-critical-minerals-mou-2025";
/// Rare-earth trade codes of the concordance: compounds (processing
/// stage, received at refining) and metals (refining, received at
/// manufacturing). There is no code for ores or magnets.
const REE_COMPOUNDS: [u32; 2] = [284690, 284610];

fn main() -> Result<(), Error> {
    let data = Dataset::builtin()?;
    println!("US–Malaysia critical-minerals MOU (signed 2025-10-26): the built-in data end to end");
    println!(
        "Marks: [R] reported data, [M] modeled from reported data, [I] illustrative, not data."
    );
    println!(
        "Trade is CEPII BACI ({BACI_SOURCE}): tonnes of PRODUCT weight (ore, compound or metal"
    );
    println!("as traded), never contained metal; rows without a quantity are left out.\n");

    let world = data.world_chain(&WorldChainOptions::new(YEAR))?;
    // The rare-earth trade network: every rare-earth flow of the year and
    // no production figures, so one basis (product weight) throughout and
    // supply enters where a country ships more than it receives.
    let ree_trade =
        data.world_chain(&WorldChainOptions::new(YEAR).production(ProductionSource::None))?;

    bilateral_section(&world)?;
    trend_section()?;
    malaysia_place_section(&world)?;
    let target = us_intake(&ree_trade.chain)?;
    chokepoint_section(&world, &ree_trade.chain, &target)?;
    let sim = Simulator::new(
        &ree_trade.chain,
        &target,
        &SimulationOptions::new()
            .mineral(Mineral::RARE_EARTHS)
            // Reroute may shift tonnes between existing routes, never
            // enlarge one: the trade-only nodes have no capacity figures,
            // so with links "up to the exporter" every shortfall would
            // vanish by assumption.
            .links(LinkCapacity::Observed),
    )?;
    simulation_section(&ree_trade.chain, &sim)?;
    monte_carlo_section(data, &sim)?;
    picture_section(&ree_trade.chain, &sim)
}

// ---------------------------------------------------------------------------
// 1. The bilateral profile
// ---------------------------------------------------------------------------

fn bilateral_section(world: &WorldChain) -> Result<(), Error> {
    heading(&format!(
        "1. United States – Malaysia, {YEAR}: flows, dependence, agreements, restrictions"
    ));
    let profile = world.chain.bilateral(
        Country::USA,
        Country::MYS,
        &BilateralOptions::new().as_of(TODAY),
    )?;
    flows_by_stage(&world.chain)?;
    dependence(&profile);
    agreements(&profile);
    restrictions(&profile);
    Ok(())
}

/// What flows each way, grouped by the six MOU stages (the stage of the
/// traded product), with values: tonnes alone hide that a few tonnes of
/// rare-earth compounds are worth more than thousands of tonnes of ore.
fn flows_by_stage(chain: &SupplyChain) -> Result<(), Error> {
    // (stage, mineral) → [USA→MYS, MYS→USA] × (tonnes, US$)
    let mut cells: BTreeMap<(Stage, Mineral), [(f64, f64); 2]> = BTreeMap::new();
    for (dir, (from, to)) in [(Country::USA, Country::MYS), (Country::MYS, Country::USA)]
        .into_iter()
        .enumerate()
    {
        for f in chain.flows_between(from, to) {
            let cell = cells
                .entry((f.from_key.stage, f.from_key.mineral.clone()))
                .or_default();
            cell[dir].0 += f.tonnes().get();
            cell[dir].1 += f.flow.value.map_or(0.0, |v| v.get());
        }
    }
    println!("1a. Flows by stage of the traded product [R {BACI_SOURCE}]");
    let mut rows = Vec::new();
    let mut small = 0;
    for stage in Stage::ALL {
        let in_stage: Vec<_> = cells.iter().filter(|((s, _), _)| *s == stage).collect();
        if in_stage.is_empty() {
            rows.push(vec![
                stage.name().into(),
                "—".into(),
                "no traded product of this stage".into(),
            ]);
            continue;
        }
        for ((_, m), c) in in_stage {
            // Under a tonne and under US$100k both ways is noise here.
            if c.iter().all(|(t, v)| *t < 1.0 && *v < 1e5) {
                small += 1;
                continue;
            }
            rows.push(vec![
                stage.name().into(),
                m.as_str().into(),
                tonnes(c[0].0),
                usd(c[0].1),
                tonnes(c[1].0),
                usd(c[1].1),
            ]);
        }
    }
    print_table(
        &[
            "stage",
            "mineral",
            "USA → MYS",
            "value",
            "MYS → USA",
            "value",
        ],
        "llrrrr",
        &rows,
    );
    println!("   ({small} more mineral-stage pairs carry under 1 t and US$0.1m each way)\n");
    Ok(())
}

/// Each side's dependence on the other at the receiving stage: the share
/// of its imports of that product group that come from the partner.
fn dependence(profile: &BilateralProfile) {
    println!("1b. Dependence: the partner's share of each side's imports [M from R {BACI_SOURCE}]");
    let mut deps: Vec<_> = profile
        .dependence
        .iter()
        .filter(|d| d.from_partner.get() >= 1.0)
        .collect();
    deps.sort_by(|a, b| {
        (a.importer, b.share_of_imports.get())
            .partial_cmp(&(b.importer, a.share_of_imports.get()))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let rows: Vec<Vec<String>> = deps
        .iter()
        .map(|d| {
            vec![
                format!("{} ← {}", d.importer, d.partner),
                d.mineral.as_str().into(),
                d.stage.name().into(),
                d.from_partner.to_string(),
                d.imports.to_string(),
                d.share_of_imports.to_string(),
            ]
        })
        .collect();
    print_table(
        &[
            "importer",
            "mineral",
            "received at",
            "from partner",
            "all imports",
            "share",
        ],
        "lllrrr",
        &rows,
    );
    println!("   Rows under 1 t left out.");
    if let Some(d) = deps.iter().find(|d| d.importer == Country::USA) {
        println!(
            "   The US leans on Malaysia most for {} at {}: {} of its imports.",
            d.mineral.as_str(),
            d.stage.name(),
            d.share_of_imports
        );
    }
    println!();
}

fn agreements(profile: &BilateralProfile) {
    println!("1c. Agreements [R policy.csv; sources by id, confidence A–C]");
    for a in &profile.agreements {
        println!(
            "   {} — {}, signed {}, status on {TODAY}: {}",
            a.id,
            binding_words(a.binding),
            a.signed.map_or("?".into(), |d| d.to_string()),
            a.status_on(TODAY)
        );
        println!("     provisions: {}", provisions(a));
        println!("     ends: {}", termination(&a.termination));
        println!("     sources: {}", short_sources(&a.provenance));
    }
    println!();
}

fn restrictions(profile: &BilateralProfile) {
    println!("1d. Export restrictions between them, and the conflict [R policy.csv]");
    for r in &profile.restrictions {
        let x = &r.restriction;
        println!(
            "   {} → {}: {} ({:?}, {} at {}), since {}, {} on {TODAY}",
            x.imposer,
            r.toward,
            x.id,
            x.kind,
            coverage(&x.minerals, |m| m.as_str().to_string()),
            coverage(&x.stages, |s| s.name().to_string()),
            x.effective
                .or(x.announced)
                .map_or("?".into(), |d| d.to_string()),
            r.status.map_or("status unknown".into(), |s| s.to_string()),
        );
        println!(
            "     trade it covers in {YEAR}: {} — raw rare-earth ores have no code in the trade",
            r.tonnes_covered
        );
        println!("     concordance, so BACI cannot show what the ban stops");
    }
    for c in &profile.conflicts {
        println!(
            "   CONFLICT: {} commits in {} ({}) not to ban or set quotas on exports to {},",
            c.by,
            c.agreement,
            binding_words(c.binding),
            c.toward
        );
        println!(
            "     while {} is {}. Until the agreement enters into force the ban stands.",
            c.restriction,
            c.status
                .map_or("of unknown status".into(), |s| s.to_string())
        );
    }
    println!();
}

/// The trend since 2019: dependence on China for compounds, and the
/// bilateral totals each year, from the BACI rows directly (one query per
/// year and direction, cheaper than six world chains and the same rows).
fn trend_section() -> Result<(), Error> {
    println!("1e. Trend since 2019 [M from R {BACI_SOURCE}]");
    let years = Dataset::builtin()?.trade()?.years();
    for partner in [Country::CHN, Country::MYS] {
        let t = Trend::collect(
            format!("US rare-earth compounds (HS 284690 + 284610) from {partner}"),
            years.iter().copied(),
            |y| ImportDependence::builtin(Country::USA, partner, &REE_COMPOUNDS, y),
        )?;
        println!("{t}");
    }
    let trade = Dataset::builtin()?.trade()?;
    let total = |from, to, year, ree: bool| {
        let mut q = TradeQuery::new().year(year).exporter(from).importer(to);
        if ree {
            q = q.mineral(Mineral::RARE_EARTHS);
        }
        trade.rows(&q).fold((0.0, 0.0), |(t, v), r| {
            (
                t + r.tonnes.map_or(0.0, |x| x.get()),
                v + r.value().map_or(0.0, |x| x.get()),
            )
        })
    };
    println!("   US–Malaysia totals, every critical-mineral product (and rare earths alone)");
    let mut rows = Vec::new();
    for y in years {
        let (a, b) = (
            total(Country::USA, Country::MYS, y, false),
            total(Country::MYS, Country::USA, y, false),
        );
        let ree = total(Country::MYS, Country::USA, y, true);
        rows.push(vec![
            y.to_string(),
            tonnes(a.0),
            usd(a.1),
            tonnes(b.0),
            usd(b.1),
            tonnes(ree.0),
            usd(ree.1),
        ]);
    }
    print_table(
        &[
            "year",
            "USA → MYS",
            "value",
            "MYS → USA",
            "value",
            "of which REE",
            "value",
        ],
        "lrrrrrr",
        &rows,
    );
    println!("   Tonnes of rows with a quantity; values of every row.\n");
    Ok(())
}

// ---------------------------------------------------------------------------
// 2. Malaysia's place
// ---------------------------------------------------------------------------

/// Rank and share of Malaysia by mineral and stage: production from the
/// world chain's production nodes (USGS MCS 2025, else World Mining Data),
/// exports and imports from its trade flows.
fn malaysia_place_section(world: &WorldChain) -> Result<(), Error> {
    heading(&format!(
        "2. Malaysia's place in each mineral it produces or trades, {YEAR}"
    ));
    let chain = &world.chain;
    // (mineral, stage) → country → tonnes, one map per measure.
    type ByCountry = BTreeMap<(Mineral, Stage), BTreeMap<Country, f64>>;
    let (mut made, mut sent, mut got): (ByCountry, ByCountry, ByCountry) = Default::default();
    let mut made_src: BTreeMap<(Mineral, Stage), String> = BTreeMap::new();
    for (_, n) in chain.nodes() {
        if let Some(t) = n.output {
            let k = (n.mineral().clone(), n.stage());
            // "Other countries" rows are not a country: no rank.
            if n.key.country != Country::ROW {
                *made
                    .entry(k.clone())
                    .or_default()
                    .entry(n.key.country)
                    .or_default() += t.get();
            }
            if n.key.country == Country::MYS {
                made_src.insert(k, n.provenance.sources.join(","));
            }
        }
    }
    for f in chain.flows() {
        let k = (f.from_key.mineral.clone(), f.from_key.stage);
        *sent
            .entry(k.clone())
            .or_default()
            .entry(f.from_key.country)
            .or_default() += f.tonnes().get();
        *got.entry(k)
            .or_default()
            .entry(f.to_key.country)
            .or_default() += f.tonnes().get();
    }
    let keys: BTreeSet<(Mineral, Stage)> = [&made, &sent, &got]
        .iter()
        .flat_map(|m| {
            m.iter()
                .filter(|(_, by)| by.get(&Country::MYS).is_some_and(|t| *t > 0.0))
        })
        .map(|(k, _)| k.clone())
        .collect();
    let mut rows = Vec::new();
    let mut minor = 0;
    for k in &keys {
        let p = rank(made.get(k));
        let e = rank(sent.get(k));
        let i = rank(got.get(k));
        // Keep a row when Malaysia counts somewhere: 1% of production,
        // exports or imports, or a top-10 place.
        let counts = |r: &Option<(usize, usize, f64, f64)>| {
            r.is_some_and(|(rk, _, _, s)| s >= 0.01 || rk <= 10)
        };
        if !(counts(&p) || counts(&e) || counts(&i)) {
            minor += 1;
            continue;
        }
        rows.push(vec![
            k.0.as_str().into(),
            k.1.name().into(),
            place(&p),
            made_src.get(k).cloned().unwrap_or_default(),
            place(&e),
            place(&i),
        ]);
    }
    print_table(
        &[
            "mineral",
            "stage",
            "production: t, rank, share",
            "source",
            "exports: t, rank, share",
            "imports: t, rank, share",
        ],
        "llrlrr",
        &rows,
    );
    println!("   Production [R, source ids]; trade by stage of the product [R {BACI_SOURCE}].");
    println!(
        "   {minor} more mineral-stage pairs where Malaysia is outside the top 10 and under 1%.\n"
    );
    Ok(())
}

/// Malaysia's (rank, of how many, tonnes, share) among the countries of
/// one (mineral, stage).
fn rank(by: Option<&BTreeMap<Country, f64>>) -> Option<(usize, usize, f64, f64)> {
    let by = by?;
    let mine = *by.get(&Country::MYS)?;
    if mine <= 0.0 {
        return None;
    }
    let total: f64 = by.values().sum();
    let above = by.values().filter(|t| **t > mine).count();
    let of = by.values().filter(|t| **t > 0.0).count();
    Some((above + 1, of, mine, mine / total))
}

fn place(r: &Option<(usize, usize, f64, f64)>) -> String {
    r.map_or("—".into(), |(rk, of, t, s)| {
        format!("{} #{rk}/{of} {:.1}%", tonnes(t), 100.0 * s)
    })
}

// ---------------------------------------------------------------------------
// 3. Chokepoints on real rare-earth flows
// ---------------------------------------------------------------------------

/// US rare-earth intake in the trade data: compounds arrive at US refining
/// (HS 284690, 284610) and metals at US manufacturing (HS 280530). US
/// magnet and component makers draw on both, so both nodes are the target;
/// no US flow runs from one to the other, so nothing is counted twice.
fn us_intake(chain: &SupplyChain) -> Result<Target, Error> {
    let ids = [Stage::Refining, Stage::Manufacturing]
        .into_iter()
        .map(|s| {
            chain
                .node_id(&NodeKey::new(Country::USA, Mineral::RARE_EARTHS, s))
                .ok_or_else(|| Error::NoData {
                    what: format!("US rare-earth {s} node in the {YEAR} trade network"),
                })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Target::Nodes(ids))
}

fn chokepoint_section(world: &WorldChain, ree: &SupplyChain, target: &Target) -> Result<(), Error> {
    heading(&format!(
        "3. Chokepoints: rare earths toward US refining + manufacturing, {YEAR} trade network"
    ));
    println!(
        "The network is every rare-earth BACI flow of {YEAR} [R]; supply enters where a country"
    );
    println!("ships more than it receives (origination). Target = US refining (compounds arrive");
    println!("there) + US manufacturing (metals arrive there): the data has no magnet code.\n");
    let options = ChokepointOptions::new()
        .flow(FlowOptions::new().mineral(Mineral::RARE_EARTHS))
        .rows(8);
    let report = ree.chokepoint_report(target, &options)?;
    print_chokepoints(&report);
    println!("Rare-earth metals only (HS 280530) toward US manufacturing:");
    let metals = ree.chokepoint_report(
        &Target::country_stage(Country::USA, Stage::Manufacturing),
        &ChokepointOptions::new()
            .flow(
                FlowOptions::new()
                    .mineral(Mineral::RARE_EARTHS)
                    .product(280530),
            )
            .rows(3),
    )?;
    let top: Vec<String> = metals
        .countries
        .iter()
        .take(3)
        .map(|c| format!("{} {}", c.country, c.criticality))
        .collect();
    println!(
        "   deliverable {} [R]; losing the country cuts: {}\n",
        metals.deliverable_supply,
        top.join(", ")
    );
    concentration_by_stage(world)?;
    geopolrisk()
}

/// The report's findings as compact tables (its own `Display` names the
/// two target nodes by id and lists every node of the cut).
fn print_chokepoints(r: &ChokepointReport) {
    println!(
        "Deliverable supply to the US: {} a year [M from R]",
        r.deliverable_supply
    );
    let dominators: Vec<String> = r
        .nodes_of_kind(RiskKind::Dominator)
        .map(|n| format!("{} {}", n.key.country, n.key.stage.name()))
        .collect();
    println!(
        "Dominators (every supply path passes through them): {}",
        if dominators.is_empty() {
            "none — no single node carries every route".to_string()
        } else {
            dominators.join(", ")
        }
    );
    let kinds = |k: &[RiskKind]| {
        k.iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rows: Vec<Vec<String>> = r
        .countries
        .iter()
        .take(8)
        .map(|c| {
            vec![
                c.country.to_string(),
                c.lost.to_string(),
                c.criticality.to_string(),
                kinds(&c.kinds),
            ]
        })
        .collect();
    println!(
        "Criticality: supply lost if a country's nodes, other than the target's own, all fail (top 8 of {}) [M]",
        r.countries.len()
    );
    print_table(&["country", "lost", "share", "kinds"], "lrrl", &rows);
    let rows: Vec<Vec<String>> = r
        .cut_country_pairs
        .iter()
        .take(6)
        .map(|c| {
            vec![
                format!("{} → {}", c.from, c.to),
                c.tonnes.to_string(),
                c.flows.to_string(),
            ]
        })
        .collect();
    println!(
        "Minimum cut: the links that cap supply, by country pair (top 6 of {}) [M]",
        r.cut_country_pairs.len()
    );
    print_table(&["link", "capacity", "flows"], "lrr", &rows);
    if let Some(cut) = &r.min_node_cut {
        println!(
            "   Fewest nodes whose joint loss disconnects the US: {}: many small routes, though the\n   tonnes are concentrated (see criticality).",
            cut.len()
        );
    }
    println!();
}

/// Production concentration (one source per stage) beside export
/// concentration (trade by stage of the product): the two can differ, and
/// an importer meets the second.
fn concentration_by_stage(world: &WorldChain) -> Result<(), Error> {
    println!("Concentration of rare earths by stage, {YEAR} [M from R]");
    let ree = Mineral::RARE_EARTHS;
    let opts = ConcentrationOptions::new();
    let mut rows = Vec::new();
    for s in Stage::ALL {
        let producers = world
            .chain
            .nodes()
            .filter(|(_, n)| *n.mineral() == ree && n.stage() == s)
            .filter_map(|(_, n)| n.output.map(|t| (n.key.country, t)));
        if let Ok(c) = Concentration::from_outputs(producers, &opts) {
            rows.push(concentration_row(s, "production", &c));
        }
        let mut exporters: BTreeMap<Country, f64> = BTreeMap::new();
        for f in world.chain.flows() {
            if f.from_key.mineral == ree && f.from_key.stage == s {
                *exporters.entry(f.from_key.country).or_default() += f.tonnes().get();
            }
        }
        let exporters = exporters
            .into_iter()
            .filter_map(|(c, t)| Tonnes::new(t).ok().map(|t| (c, t)));
        if let Ok(c) = Concentration::from_outputs(exporters, &opts) {
            rows.push(concentration_row(s, "exports", &c));
        }
    }
    print_table(
        &["stage", "measure", "total", "HHI", "band", "largest three"],
        "llrrll",
        &rows,
    );
    println!("   Production: extraction from USGS MCS 2025 (REO); other stages have no tonnage in");
    println!(
        "   the data. Exports: product weight. A ≥ HHI is a lower bound (a rest-of-world row).\n"
    );
    Ok(())
}

fn concentration_row(s: Stage, what: &str, c: &Concentration) -> Vec<String> {
    let top: Vec<String> = c
        .shares
        .iter()
        .take(3)
        .map(|p| format!("{} {:.0}%", p.country, p.share.percent()))
        .collect();
    vec![
        s.name().into(),
        what.into(),
        c.total.to_string(),
        format!(
            "{}{}",
            if c.lower_bound { "≥" } else { "" },
            group(c.hhi.round())
        ),
        c.band.to_string(),
        top.join(", "),
    ]
}

/// GeoPolRisk of US rare-earth compound imports: 2022 and 2024, each with
/// its own WGI year (the built-in WGI covers 2019–2024).
fn geopolrisk() -> Result<(), Error> {
    println!(
        "GeoPolRisk of US imports of rare-earth compounds (HS 284690) [M from R BACI, WMD, WGI]"
    );
    let mut rows = Vec::new();
    for (year, rule) in [(2022, WgiYear::Exact), (YEAR, WgiYear::Exact)] {
        let r = ProductRisk::builtin(
            Country::USA,
            284690,
            year,
            &ProductRiskOptions::new().wgi_year(rule),
        )?;
        rows.push(vec![
            year.to_string(),
            r.wgi_year.to_string(),
            format!("{:.4}", r.risk.hhi_fraction),
            r.risk.total_imports.to_string(),
            r.risk.domestic_production.to_string(),
            format!("{:.4}", r.risk.weighted_import_share),
            format!("{:.4}", r.risk.score),
        ]);
    }
    print_table(
        &[
            "trade year",
            "WGI year",
            "HHI",
            "imports F",
            "US output P",
            "weighted share",
            "score",
        ],
        "llrrrrr",
        &rows,
    );
    println!(
        "   Each trade year is scored with its own WGI year (2019–2024 built in). P is World Mining"
    );
    println!(
        "   Data REO output, F product weight: the score mixes the two bases, as the method does.\n"
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// 4. Simulation
// ---------------------------------------------------------------------------

/// Hypothetical new Malaysian processing capacity under the MOU [I].
const NEW_PLANT_T: f64 = 2_000.0;

fn simulation_section(chain: &SupplyChain, sim: &Simulator<'_>) -> Result<(), Error> {
    heading("4. Simulation: China's rare-earth controls, then the MOU's Malaysian capacity");
    println!(
        "Same network and target as 3; baseline {} a year reaches the US [R].",
        sim.baseline()
    );
    print_controls(chain);
    let mou = chain
        .agreement(MOU)
        .ok_or_else(|| Error::NoData { what: MOU.into() })?;
    let s = scenarios(mou)?;
    let mut rows = Vec::new();
    // shortfall[scenario][model], tonnes
    let mut shortfall = Vec::new();
    for sc in &s {
        let mut row = vec![sc.name.clone()];
        let mut by_model = Vec::new();
        for p in Propagation::ALL {
            let o = sim.run(sc, p)?;
            by_model.push(o.shortfall.get());
            row.push(format!("{} ({})", o.shortfall, o.shortfall_share));
        }
        shortfall.push(by_model);
        rows.push(row);
    }
    println!("Shortfall of US rare-earth intake, tonnes a year (share of the baseline) [M]");
    print_table(
        &["scenario", "exposure", "cascade", "reroute"],
        "lrrr",
        &rows,
    );
    println!("   exposure: direct loss on flows into the US; cascade: losses passed downstream,");
    println!("   no adaptation; reroute: best case, shifting tonnes between existing links at");
    println!("   their observed size (plus the links a scenario adds).\n");
    // What Malaysia's existing plant already ships, to anyone: what a new
    // offtake can divert before any new capacity is needed.
    let mys_exports: f64 = chain
        .flows()
        .filter(|f| {
            f.from_key.country == Country::MYS
                && f.from_key.mineral == Mineral::RARE_EARTHS
                && f.from_key.stage == Stage::Processing
        })
        .map(|f| f.tonnes().get())
        .sum();
    what_the_mou_buys(sim.baseline().get(), mys_exports, &shortfall);
    Ok(())
}

/// China's restrictions in force at the peak, as the data records them:
/// what the simulation applies, so the reader can judge it.
fn print_controls(chain: &SupplyChain) {
    println!("China's own restrictions from policy.csv in force on {PEAK} [R]:");
    for r in chain.restrictions().filter(|r| {
        r.imposer == Country::CHN && r.minerals.covers(&Mineral::RARE_EARTHS) && r.in_force_on(PEAK)
    }) {
        let stages = coverage(&r.stages, |s| s.name().to_string());
        println!("   {} ({:?} at {stages})", r.id, r.kind);
    }
    println!(
        "A licence lets 50% of each covered flow through [I: licensing outcomes are not data];"
    );
    println!("licences on one flow multiply; a technology ban moves no material. Nos. 56 and 62");
    println!("control equipment and technology but are recorded as licences at processing and");
    println!(
        "refining, so here they also act on compounds: the dataset's reading, an upper bracket."
    );
    println!(
        "No. 18 (April) covers oxides and compounds, but is recorded at refining+manufacturing,"
    );
    println!("so alone (the {TODAY} row, after suspension No. 70) it reaches only metals.\n");
}

/// The scenarios, in the order of the table; the indices are used by
/// [`what_the_mou_buys`].
fn scenarios(mou: &Agreement) -> Result<Vec<Scenario>, Error> {
    let controls = |on| Shock::ApplyRestrictions {
        on,
        honour_agreements: true,
        licence_let_through: Share::ratio(1.0, 2.0),
    };
    let plant = NodeKey::new(Country::MYS, Mineral::RARE_EARTHS, Stage::Processing);
    let us_refining = NodeKey::new(Country::USA, Mineral::RARE_EARTHS, Stage::Refining);
    let new_plant = Shock::investment(mou, plant.clone(), Tonnes::new(NEW_PLANT_T)?)?;
    // The MOU's offtake toward the US: a new contract, not an existing
    // route, so it is a link of its own.
    let offtake = Shock::AddLink {
        from: plant,
        to: us_refining,
        tonnes: Tonnes::new(NEW_PLANT_T)?,
        under: Some(MOU.into()),
    };
    let explicit = Shock::ExportRestriction {
        imposer: Country::CHN,
        minerals: Coverage::only([Mineral::RARE_EARTHS]),
        stages: Coverage::All,
        toward: critical_minerals::RestrictionTargets::All,
        measure: Measure::Licence {
            let_through: Share::ratio(1.0, 2.0),
        },
    };
    let peak = Scenario::new(format!("China's controls on {PEAK}")).shock(controls(PEAK));
    let named = |s: Scenario, name: String| Scenario { name, ..s };
    let t = group(NEW_PLANT_T);
    Ok(vec![
        Scenario::new(format!("China's controls on {TODAY}")).shock(controls(TODAY)),
        Scenario::new("one 50% licence on all CHN REE [I]").shock(explicit),
        peak.clone(),
        named(
            peak.clone().shock(new_plant.clone()).shock(offtake.clone()),
            format!("  + MOU: MYS plant {t} t/yr + offtake [I]"),
        ),
        named(
            peak.clone().shock(offtake.clone()),
            format!("  + offtake {t} t/yr only [I]"),
        ),
        // Ended by written notice the day after signing: the plant does
        // not come, and the offtake contracted under the MOU lapses with it.
        named(
            peak.shock(new_plant)
                .shock(offtake)
                .shock(Shock::DiscontinueAgreement {
                    agreement: MOU.into(),
                    on: date(2025, 10, 27),
                }),
            "  + MOU ended by written notice".into(),
        ),
    ])
}

fn what_the_mou_buys(baseline: f64, mys_exports: f64, shortfall: &[Vec<f64>]) {
    let (peak, with_mou, offtake_only, ended) = (2, 3, 4, 5);
    let (cascade, reroute) = (1, 2);
    let bought = shortfall[peak][reroute] - shortfall[with_mou][reroute];
    println!(
        "What the MOU buys (reroute): {} a year, {:.1}% of the baseline [M from I].",
        tonnes(bought),
        100.0 * bought / baseline
    );
    if (shortfall[offtake_only][reroute] - shortfall[with_mou][reroute]).abs() < 0.5 {
        println!(
            "   The offtake alone buys the same: its tonnes come from Malaysia's existing compound"
        );
        println!(
            "   exports ({} in {YEAR}) diverted from other buyers, so the new plant adds",
            tonnes(mys_exports)
        );
        println!("   supply only once those are spoken for. What the MOU secures is the route.");
    }
    if (shortfall[peak][cascade] - shortfall[with_mou][cascade]).abs() < 0.5 {
        println!(
            "Under cascade it buys nothing: with no adaptation, new capacity only offsets cuts at"
        );
        println!("   its own node, and Malaysia's existing plant is not cut.");
    }
    println!("MOU ended by written notice: the plant does not come, the offtake lapses, and the");
    println!(
        "   shortfall is back at {} (reroute).",
        tonnes(shortfall[ended][reroute])
    );
    println!("The plant's feedstock is assumed to arrive [I]: Malaysian processing runs on");
    println!("Australian concentrate, which has no rare-earth code in the trade data.\n");
}

// ---------------------------------------------------------------------------
// 5. Monte Carlo
// ---------------------------------------------------------------------------

fn monte_carlo_section(data: &Dataset, sim: &Simulator<'_>) -> Result<(), Error> {
    heading("5. Monte Carlo: country failures from WGI political stability");
    let mapping = GovernanceMapping::new();
    let mc = MonteCarlo::new(FailureModel::governance(data, YEAR, mapping)?)
        .runs(400)
        .seed(2026)
        .severity(Severity::Uniform {
            low: Share::new(0.5)?,
            high: Share::new(1.0)?,
        })
        .propagation(Propagation::Cascade)
        .threshold(Share::new(0.2)?);
    let summary = sim.monte_carlo(&mc)?;
    let s = summary.statistics();
    println!(
        "Each country fails in a year with probability {:.0}% (WGI +2.5) to {:.0}% (WGI −2.5),",
        mapping.most_stable.percent(),
        mapping.least_stable.percent()
    );
    println!(
        "{:.0}% without a score (WGI {YEAR}) [I mapping]; severity 50–100% of capacity [I]; cascade;",
        mapping.missing.percent()
    );
    println!("400 runs, seed 2026, on the network of 3 [M].");
    print_table(
        &[
            "runs",
            "mean",
            "mean share",
            "p5",
            "p50",
            "p95",
            "P(shortfall > 20%)",
        ],
        "rrrrrrr",
        &[vec![
            s.runs.to_string(),
            s.mean.to_string(),
            s.mean_share.to_string(),
            s.p5.to_string(),
            s.p50.to_string(),
            s.p95.to_string(),
            s.exceedance.to_string(),
        ]],
    );
    let rows: Vec<Vec<String>> = s
        .contributions
        .iter()
        .take(8)
        .map(|(c, t)| {
            vec![
                c.to_string(),
                t.to_string(),
                format!(
                    "{:.1}%",
                    100.0 * t.get() / s.mean.get().max(f64::MIN_POSITIVE)
                ),
            ]
        })
        .collect();
    println!("Largest contributors to the mean shortfall (top 8) [M]");
    print_table(&["country", "contribution", "of the mean"], "lrr", &rows);
    println!("   Method: {}.", s.contribution_method);
    println!(
        "   A country's part is its marginal effect on each run's shortfall, averaged over the"
    );
    println!(
        "   orders its failure and the others' could arrive in: a country with no route to the"
    );
    println!("   US gets nothing, and the parts add up to the mean.");
    if !s.unscored.is_empty() {
        let list: Vec<String> = s.unscored.iter().map(|c| c.to_string()).collect();
        println!(
            "   No WGI score, so the {:.0}% default: {}.",
            mapping.missing.percent(),
            list.join(", ")
        );
    }
    println!();
    Ok(())
}

// ---------------------------------------------------------------------------
// 6. The picture
// ---------------------------------------------------------------------------

fn picture_section(ree: &SupplyChain, sim: &Simulator<'_>) -> Result<(), Error> {
    heading("6. Picture");
    let dir = PathBuf::from("target/us_malaysia_mou");
    std::fs::create_dir_all(&dir).map_err(|e| Error::NoData {
        what: format!("cannot create {}: {e}", dir.display()),
    })?;
    let path = dir.join(format!("rare_earths_{YEAR}.svg"));
    let options = SvgOptions::new()
        .mineral(Mineral::RARE_EARTHS)
        .title(format!("Rare earths: world trade by stage, {YEAR} (CEPII BACI, tonnes of product)"))
        .note("Bands: traded tonnes, product weight (compounds and metals). Bars: each country's throughput at a stage.")
        .countries_per_stage(6);
    write_svg_file(ree, &path, &options)?;
    println!(
        "Wrote {} (open in a browser, or rsvg-convert -o out.png {0})",
        path.display()
    );
    // Before/after: every flow of the network under China's controls at
    // their peak (cascade: what each flow still carries with no
    // adaptation), grey before, colour after.
    let peak =
        Scenario::new(format!("China's controls on {PEAK}")).shock(Shock::ApplyRestrictions {
            on: PEAK,
            honour_agreements: true,
            licence_let_through: Share::ratio(1.0, 2.0),
        });
    let flows = sim.cascade_flows(&peak)?;
    let (before, after) = FlowChange::diagram_links(&flows);
    let compare = dir.join(format!("rare_earths_{YEAR}_china_controls_cascade.svg"));
    let svg = FlowDiagram::compare(
        &before,
        &after,
        &options
            .clone()
            .title(format!(
                "Rare earths {YEAR}: China's controls of {PEAK} under cascade (grey before, colour after)"
            ))
            .note("[M] Cascade: shortfalls pass downstream in proportion, no rerouting; a licence lets 50% through [I]."),
    )?
    .to_svg();
    std::fs::write(&compare, svg).map_err(|source| Error::Io {
        path: compare.clone(),
        source,
    })?;
    println!("Wrote {} (before/after, cascade)", compare.display());
    Ok(())
}

// ---------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------

fn heading(text: &str) {
    println!("{text}\n{}", "=".repeat(text.chars().count()));
}

/// A table with columns aligned: `align` has one `l` or `r` per column.
fn print_table(header: &[&str], align: &str, rows: &[Vec<String>]) {
    let width = |i: usize| {
        rows.iter()
            .filter_map(|r| r.get(i))
            .chain(header.get(i).map(|h| h.to_string()).as_ref())
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: Vec<&str>| {
        let mut out = String::from("   ");
        for (i, c) in cells.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            let pad = w.saturating_sub(c.chars().count());
            if align.as_bytes().get(i) == Some(&b'r') {
                out.push_str(&" ".repeat(pad));
                out.push_str(c);
            } else {
                out.push_str(c);
                out.push_str(&" ".repeat(pad));
            }
            out.push_str("  ");
        }
        println!("{}", out.trim_end());
    };
    line(header.to_vec());
    println!(
        "   {}",
        "-".repeat(
            widths
                .iter()
                .map(|w| w + 2)
                .sum::<usize>()
                .saturating_sub(2)
        )
    );
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
}

fn tonnes(t: f64) -> String {
    Tonnes::new(t.max(0.0)).map_or("?".into(), |t| t.to_string())
}

fn group(t: f64) -> String {
    Tonnes::new(t).map_or("?".into(), |t| {
        t.to_string().trim_end_matches(" t").to_string()
    })
}

/// US dollars in millions: enough to compare, short enough to read.
fn usd(v: f64) -> String {
    if v <= 0.0 {
        "—".into()
    } else if v < 1e4 {
        "<US$0.01m".into()
    } else if v < 1e6 {
        format!("US${:.2}m", v / 1e6)
    } else {
        format!("US${:.1}m", v / 1e6)
    }
}

fn binding_words(b: Binding) -> &'static str {
    match b {
        Binding::Binding => "binding",
        Binding::NonBinding => "NOT legally binding",
        Binding::Pending => "binding once in force, NOT yet in force",
        Binding::Unknown => "binding unknown",
    }
}

fn provisions(a: &Agreement) -> String {
    let words: Vec<String> = a
        .provisions
        .iter()
        .map(|p| match p {
            Provision::InvestmentPriority { investor } => format!("{investor} investment priority"),
            Provision::InformationSharing => "information sharing".into(),
            Provision::NoExportRestriction { by, toward } => {
                format!("{by} not to ban or set quotas on exports to {toward}")
            }
            Provision::PriceFloor => "price floors".into(),
            Provision::Offtake => "offtake".into(),
            Provision::Stockpiling => "stockpiling".into(),
            Provision::Other { text } => text.clone(),
        })
        .collect();
    if words.is_empty() {
        "none recorded".into()
    } else {
        words.join("; ")
    }
}

/// A policy row's sources, shortened: its first two citations and its
/// confidence grade (A–C, policy.csv's column).
fn short_sources(p: &critical_minerals::Provenance) -> String {
    let cited: Vec<&str> = p
        .citation
        .as_deref()
        .unwrap_or("-")
        .split("; ")
        .take(2)
        .collect();
    let grade = p.confidence.map_or("?".into(), |c| c.to_string());
    format!("policy.csv, confidence {grade}: {} …", cited.join("; "))
}

fn coverage<T: Ord>(c: &Coverage<T>, name: impl Fn(&T) -> String) -> String {
    match c {
        Coverage::All => "all".into(),
        Coverage::Only(set) => set.iter().map(name).collect::<Vec<_>>().join("+"),
    }
}

fn termination(t: &Termination) -> String {
    match t {
        Termination::WrittenNotice => "by written notice from either side".into(),
        Termination::Unilateral => "unilaterally, without the other's consent".into(),
        Termination::Expiry { on } => format!("expires {on}"),
        Termination::Unspecified => "not stated in the sources".into(),
    }
}
