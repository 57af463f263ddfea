//! Monte Carlo over country failures on the real copper-concentrate trade
//! network: each country fails in a year with a probability from its WGI
//! political stability (a stated, **illustrative** mapping), severity drawn
//! between 50 % and 100 % (also illustrative), 2,000 runs under each
//! propagation model; then the same experiment run as four shards and
//! merged, which gives exactly the one-run summary.
//!
//! The network is every copper ore and concentrate flow (HS 260300) of 2024
//! in CEPII BACI, tonnes of concentrate as traded, with no production
//! figures (mine output is copper content, another basis), so supply
//! enters where a country ships more than it receives. The target is every
//! smelter country's intake (processing). The flows and governance scores
//! are real; the failure probabilities and severities are assumptions.
//!
//! Run: `cargo run --release --example monte_carlo`

use critical_minerals::data::{ProductionSource, WorldChainOptions};
use critical_minerals::network::Target;
use critical_minerals::simulation::{
    FailureModel, GovernanceMapping, MonteCarlo, Propagation, Severity, SimulationOptions,
    Simulator,
};
use critical_minerals::{Dataset, Mineral, Share, Stage};

fn main() -> Result<(), critical_minerals::Error> {
    let data = Dataset::builtin()?;
    let world =
        data.world_chain(&WorldChainOptions::new(2024).production(ProductionSource::None))?;
    println!("Real copper-concentrate trade of 2024 (CEPII BACI, tonnes of concentrate).");
    println!("ILLUSTRATIVE: the failure probabilities (from WGI) and the severities.\n");
    let target = Target::Stage(Stage::Processing);
    let sim = Simulator::new(
        &world.chain,
        &target,
        &SimulationOptions::new().mineral(Mineral::COPPER),
    )?;
    // WGI in the built-in data covers 2019–2024; a year outside is an error.
    let mapping = GovernanceMapping::new();
    let failure = FailureModel::governance(data, 2022, mapping)?;
    println!(
        "Failure probability from WGI 2022 political stability: {:.0}% at +2.5 to {:.0}% at -2.5, {:.0}% when missing",
        mapping.most_stable.percent(),
        mapping.least_stable.percent(),
        mapping.missing.percent()
    );
    let experiment = MonteCarlo::new(failure)
        .runs(2_000)
        .seed(2026)
        .severity(Severity::Uniform {
            low: Share::new(0.5)?,
            high: Share::new(1.0)?,
        })
        .threshold(Share::new(0.2)?);
    for p in Propagation::ALL {
        let summary = sim.monte_carlo(&experiment.clone().propagation(p))?;
        println!("\nCopper concentrate reaching smelters (processing), {p}:\n{summary}");
    }
    // The same experiment as four shards (as four machines would run it),
    // merged out of order: exactly the one-run summary.
    let mc = experiment.propagation(Propagation::Cascade);
    let one = sim.monte_carlo(&mc)?;
    let mut merged = sim.monte_carlo_runs(&mc, 1_500..2_000)?;
    for range in [0..500, 1_000..1_500, 500..1_000] {
        merged.merge(sim.monte_carlo_runs(&mc, range)?)?;
    }
    println!(
        "4 shards merged == one run: {} (mean {:.1}, p95 {:.1})",
        merged == one,
        merged.statistics().mean,
        merged.statistics().p95
    );
    Ok(())
}
