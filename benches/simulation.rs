//! Simulations on the shared seeded synthetic chain (small: ~32,000 flows,
//! 4 minerals; sized for a 2-core box): 1,000 Monte Carlo runs of country
//! failures under cascade and under reroute with removal only (the batch
//! path), shortfalls only; the same with Shapley contributions (1,000 runs
//! under exposure, 100 under cascade and reroute); and one scenario under
//! each model. The chain and the simulator
//! are built outside the timing; each iteration runs the whole batch.
//!
//! `cargo bench --bench simulation -- --warm-up-time 1 --measurement-time 5`
//!
//! The engine underneath the cascade model (`flow::Cascade`) is timed
//! alone on the same chain: 1,000 seeded removal sets (each node out with
//! probability 0.05), one `solve` each and `Cascade::BATCH` per
//! `solve_batch`, on one thread; both must give the same mean.
//!
//! The peer benchmark's 1,000 removal scenarios (large graph) are timed
//! by `examples/perf.rs` (ops `reroute` and `cascade`).

mod common;

use std::hint::black_box;

use std::collections::HashMap;

use common::{Spec, SplitMix64};
use criterion::{Criterion, criterion_group, criterion_main};
use critical_minerals::flow::{Cascade, CascadeBatchWork, CascadeWork};
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
    // Shortfalls only (no attribution): the engine's own speed.
    for p in [Propagation::Cascade, Propagation::Reroute] {
        let mc = MonteCarlo::new(failure.clone())
            .runs(1_000)
            .seed(1)
            .propagation(p)
            .contributions(false);
        group.bench_function(format!("mc_1000_{p}"), |b| {
            b.iter(|| {
                let s = sim.monte_carlo(black_box(&mc)).expect("monte carlo");
                assert_eq!(s.runs.len(), 1_000);
            })
        });
    }
    // The same runs with Shapley contributions (the default): exposure in
    // closed form; cascade and reroute at one propagation per subset of a
    // run's failed countries (or per step of a sampled order), so 100 runs.
    for (p, runs) in [
        (Propagation::Exposure, 1_000),
        (Propagation::Cascade, 100),
        (Propagation::Reroute, 100),
    ] {
        let mc = MonteCarlo::new(failure.clone())
            .runs(runs)
            .seed(1)
            .propagation(p);
        group.bench_function(format!("mc_{runs}_{p}_shapley"), |b| {
            b.iter(|| {
                let s = sim.monte_carlo(black_box(&mc)).expect("monte carlo");
                assert_eq!(s.runs.len(), runs as usize);
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

/// The chain's flows as a compiled cascade (own origination: what a node
/// ships beyond what it takes in) and `runs` node-factor sets.
fn cascade_runs(runs: usize) -> (Cascade, usize, Vec<u32>, Vec<Vec<f64>>) {
    let chain = common::synthetic(&Spec::SMALL);
    let index: HashMap<_, u32> = chain
        .nodes()
        .enumerate()
        .map(|(i, (id, _))| (id, i as u32))
        .collect();
    let n = index.len();
    let mut net = vec![0.0f64; n];
    let edges: Vec<(u32, u32, f64)> = chain
        .flows()
        .map(|f| {
            let (u, v, t) = (index[&f.from], index[&f.to], f.tonnes().get());
            net[u as usize] += t;
            net[v as usize] -= t;
            (u, v, t)
        })
        .collect();
    let own: Vec<f64> = net.iter().map(|&x| x.max(0.0)).collect();
    let cascade = Cascade::new(n, &edges, &own).expect("cascade");
    assert!(cascade.has_cycles(), "the synthetic chain recycles");
    let targets: Vec<u32> = chain
        .nodes_at_stage(Stage::Manufacturing)
        .map(|(id, _)| index[&id])
        .collect();
    let mut rng = SplitMix64::new(5);
    let sets = (0..runs)
        .map(|_| {
            (0..n)
                .map(|_| if rng.uniform() < 0.05 { 0.0 } else { 1.0 })
                .collect()
        })
        .collect();
    (cascade, edges.len(), targets, sets)
}

fn cascade_engine(c: &mut Criterion) {
    let (cascade, edge_count, targets, sets) = cascade_runs(1_000);
    let ones = vec![1.0; edge_count];
    let supply = cascade.supply();
    let reaching = |s: &dyn Fn(usize) -> f64| -> f64 {
        targets
            .iter()
            .map(|&t| s(t as usize) * supply[t as usize])
            .sum()
    };
    let one_each = |sets: &[Vec<f64>], work: &mut CascadeWork| -> f64 {
        let mut sum = 0.0;
        for k in sets {
            cascade.solve(k, &ones, 1e-9, 100_000, work).expect("solve");
            sum += reaching(&|v| work.fractions()[v]);
        }
        sum / sets.len() as f64
    };
    let mean = one_each(&sets, &mut CascadeWork::new());
    assert!(mean > 0.0);
    let mut group = c.benchmark_group("simulation/small/cascade_engine");
    group.sample_size(10);
    group.bench_function("runs_1000_solve", |b| {
        let mut work = CascadeWork::new();
        b.iter(|| assert_eq!(one_each(black_box(&sets), &mut work), mean))
    });
    group.bench_function("runs_1000_solve_batch", |b| {
        let mut work = CascadeBatchWork::new();
        b.iter(|| {
            let mut sum = 0.0;
            for batch in black_box(&sets).chunks(Cascade::BATCH) {
                cascade
                    .solve_batch(batch, &ones, 1e-9, 100_000, &mut work)
                    .expect("solve_batch");
                for i in 0..batch.len() {
                    sum += reaching(&|v| work.fraction(i, v));
                }
            }
            // Each lane is the one-set solve to the bit, and the sums run
            // in the same order.
            assert_eq!(sum / sets.len() as f64, mean);
        })
    });
    group.finish();
}

criterion_group!(benches, simulation, cascade_engine);
criterion_main!(benches);
