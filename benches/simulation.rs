//! Simulations on the shared seeded synthetic chain (small: ~32,000 flows,
//! 4 minerals; sized for a 2-core box): 1,000 Monte Carlo runs of country
//! failures under cascade and under reroute with removal only (the batch
//! path), and one scenario under each model. The chain and the simulator
//! are built outside the timing; each iteration runs the whole batch.
//!
//! `cargo bench --bench simulation -- --warm-up-time 1 --measurement-time 5`
//!
//! The peer benchmark's 1,000 removal scenarios (large graph) are timed
//! by `examples/perf.rs` (ops `reroute` and `cascade`).

mod common;

use std::hint::black_box;

use common::Spec;
use criterion::{Criterion, criterion_group, criterion_main};
use critical_minerals::network::Target;
use critical_minerals::simulation::{
    FailureModel, MonteCarlo, Propagation, Scenario, Shock, SimulationOptions, Simulator,
};
use critical_minerals::{Country, Share, Stage};

fn simulation(c: &mut Criterion) {
    let chain = common::synthetic(&Spec::SMALL);
    let target = Target::Stage(Stage::Manufacturing);
    let sim = Simulator::new(&chain, &target, &SimulationOptions::new()).expect("simulator");
    let mut group = c.benchmark_group("simulation/small");
    group.sample_size(10);
    let failure = FailureModel::Countries {
        probability: Share::new(0.05).expect("share"),
    };
    for p in [Propagation::Cascade, Propagation::Reroute] {
        let mc = MonteCarlo::new(failure.clone())
            .runs(1_000)
            .seed(1)
            .propagation(p);
        group.bench_function(format!("mc_1000_{p}"), |b| {
            b.iter(|| {
                let s = sim.monte_carlo(black_box(&mc)).expect("monte carlo");
                assert_eq!(s.runs.len(), 1_000);
            })
        });
    }
    let scenario = Scenario::new("no-chn").shock(Shock::RemoveCountry {
        country: Country::CHN,
    });
    for p in Propagation::ALL {
        group.bench_function(format!("one_scenario_{p}"), |b| {
            b.iter(|| {
                let o = sim.run(black_box(&scenario), p).expect("run");
                assert!(o.shortfall_share.get() <= 1.0);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, simulation);
criterion_main!(benches);
