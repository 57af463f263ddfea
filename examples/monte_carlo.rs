//! Monte Carlo over country failures on the built-in copper chain: each
//! country fails in a year with a probability from its WGI political
//! stability (a stated, illustrative mapping), severity drawn between 50 %
//! and 100 %, 2,000 runs under each propagation model; then the same
//! experiment run as four shards and merged, which gives exactly the
//! one-run summary.
//!
//! The chain is the built-in data for 2024 with the explicit
//! **modeled-flow** step (mines → refineries in proportion to output, US
//! imports by USGS shares): the flows are modeled, not observed trade, so
//! the figures are illustrative. The outputs and governance scores are real.
//!
//! Run: `cargo run --release --example monte_carlo`

use critical_minerals::data::{YearChainOptions, YearRule};
use critical_minerals::network::Target;
use critical_minerals::simulation::{
    FailureModel, GovernanceMapping, MonteCarlo, Propagation, Severity, SimulationOptions,
    Simulator,
};
use critical_minerals::{Dataset, Mineral, Share, Stage};

fn main() -> Result<(), critical_minerals::Error> {
    let data = Dataset::builtin()?;
    let options = YearChainOptions::new(2024)
        .years(YearRule::LatestUpTo)
        .modeled_flows(data.modeled_flows());
    let chain = data.chain_with(&options)?;
    println!("NOTE: flows are MODELED (proportional to output), so figures are illustrative.\n");
    let target = Target::Stage(Stage::Refining);
    let sim = Simulator::new(
        &chain,
        &target,
        &SimulationOptions::new().mineral(Mineral::COPPER),
    )?;
    let mapping = GovernanceMapping::new();
    let failure = FailureModel::governance(data, 2023, mapping);
    println!(
        "Failure probability from WGI political stability: {:.0}% at +2.5 to {:.0}% at -2.5, {:.0}% when missing",
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
        println!("\nCopper supply to all refining, {p}:\n{summary}");
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
