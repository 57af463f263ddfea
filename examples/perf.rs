//! Side-by-side timing against the peer benchmark (networkx / igraph /
//! rustworkx) on the same graph files.
//!
//! ```text
//! cargo run --release --example perf -- ../shared/bench/data/medium --ops maxflow,crit,mc
//! ```
//!
//! Reads a directory in the generator's layout (`nodes.csv`, `edges.csv`,
//! `crit_sample.txt`, `mc_scenarios.csv`, `meta.json`), builds the same
//! graphs as the peer script (super-source → extraction nodes, target
//! nodes → super-sink, removal = no flow through the node) and prints one
//! JSON object per line in the peer script's vocabulary: `op`, `median_s`,
//! `runs`, `check`. Ops: `dom`, `ap` (the undirected projection is built
//! outside the timing, as the peer script builds igraph's), `maxflow`,
//! `crit` (every node: the whole job is timed), `crit_country` (every country), `btw`, `mc` (all
//! scenarios: the whole job is timed), `reroute` (the same scenarios as the
//! simulation's reroute model runs removal-only scenarios: one solved
//! baseline, every set warm-started, after = min(baseline, max flow); the
//! check must equal `mc`'s), `cascade` (the same scenarios under the
//! cascade model: the graph compiled once into a `flow::Cascade`, each
//! scenario a set of node factors, solved `Cascade::BATCH` at a time,
//! batches in parallel; the timing includes the compile; the check is
//! the supply reaching the target, first 10 scenarios and the mean). Load time is reported as op `load`
//! and excluded from the others, as in the peer script.

use std::process::ExitCode;
use std::time::Instant;

use critical_minerals::flow::{
    Adjacency, Cascade, CascadeBatchWork, SupplyEngine, UndirectedGraph, betweenness, dominators,
};
use peer::PeerGraph;
use rayon::prelude::*;

// The benchmark's file reader, shared with the benches and tests; not part
// of the library.
#[path = "../benches/common/peer.rs"]
mod peer;
use serde_json::{Value, json};

/// Median of up to `max_runs` runs, stopping once `budget` seconds are
/// spent (at least one run); calls under 10 ms are looped so a run lasts
/// at least 50 ms, as in the peer script.
fn time_repeated<T>(mut f: impl FnMut() -> T, budget: f64, max_runs: usize) -> (T, Vec<f64>) {
    let t = Instant::now();
    let mut out = f();
    let first = t.elapsed().as_secs_f64();
    let inner = if first < 0.01 {
        (0.05 / first.max(1e-7)).ceil() as usize
    } else {
        1
    };
    let mut times = if inner == 1 { vec![first] } else { Vec::new() };
    let mut spent = first;
    while times.len() < max_runs
        && spent + times.last().copied().unwrap_or(first) * (inner as f64) < budget
    {
        let t = Instant::now();
        for _ in 0..inner {
            out = f();
        }
        let dt = t.elapsed().as_secs_f64();
        spent += dt;
        times.push(dt / inner as f64);
    }
    (out, times)
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

fn emit(op: &str, times: &[f64], check: Value) {
    let line = json!({"op": op, "median_s": median(times), "runs": times.len(), "check": check});
    println!("{line}");
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!(
            "usage: perf DIR [--ops dom,ap,maxflow,crit,crit_country,btw,mc,reroute,cascade] [--budget SECONDS]"
        );
        return ExitCode::FAILURE;
    };
    let mut ops = "dom,ap,maxflow,crit,crit_country,btw,mc".to_string();
    let mut budget = 40.0;
    let mut i = 1;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--ops", Some(v)) => ops = v.clone(),
            ("--budget", Some(v)) => budget = v.parse().unwrap_or(budget),
            _ => {
                eprintln!("unknown argument {}", args[i]);
                return ExitCode::FAILURE;
            }
        }
        i += 2;
    }
    match run(dir, &ops, budget) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(dir: &str, ops: &str, budget: f64) -> Result<(), critical_minerals::Error> {
    let t = Instant::now();
    let g = PeerGraph::read(dir)?;
    let net = g.flow_network()?;
    let n = g.nodes.len();
    let plain: Vec<(u32, u32)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
    println!(
        "{}",
        json!({"op": "load", "median_s": t.elapsed().as_secs_f64(), "runs": 1,
               "nodes": n, "edges": g.edges.len()})
    );
    for op in ops.split(',') {
        match op {
            "dom" => {
                let flow_graph = net.adjacency();
                let (d, times) = time_repeated(|| dominators(&flow_graph, net.source()), budget, 7);
                let d = d?;
                emit(
                    op,
                    &times,
                    json!({"reachable": d.reachable_count(), "idom_not_S": d.nontrivial_count()}),
                );
            }
            "ap" => {
                // bench.py builds igraph's undirected projection outside the
                // timing; build ours outside too so the medians compare.
                let undirected = UndirectedGraph::from_edges(n, &plain);
                let (aps, times) = time_repeated(|| undirected.articulation_points(), budget, 7);
                emit(op, &times, json!({"count": aps.len()}));
            }
            "maxflow" => {
                let (v, times) = time_repeated(|| net.max_flow_value(), budget, 7);
                emit(op, &times, json!({"value": v as f64}));
            }
            "crit" => {
                let (vals, times) = time_repeated(
                    || SupplyEngine::new(&net).supply_without_each_node(),
                    budget,
                    3,
                );
                let first20: Vec<f64> = g
                    .crit_sample
                    .iter()
                    .take(20)
                    .map(|&v| vals[v as usize] as f64)
                    .collect();
                emit(op, &times, json!({"first20_sample_flows": first20}));
            }
            "crit_country" => {
                let groups: Vec<Vec<u32>> = g.country_groups().into_iter().map(|x| x.1).collect();
                let (vals, times) = time_repeated(
                    || SupplyEngine::new(&net).supply_without_each(&groups),
                    budget,
                    3,
                );
                let vals = vals?;
                let min = vals.iter().copied().min().unwrap_or(0);
                emit(
                    op,
                    &times,
                    json!({"countries": vals.len(), "min_flow": min as f64}),
                );
            }
            "btw" => {
                let adj = Adjacency::from_edges(n, &plain);
                let (b, times) = time_repeated(|| betweenness(&adj), budget, 5);
                let sum: f64 = b.iter().sum();
                let max = b.iter().copied().fold(0.0, f64::max);
                emit(op, &times, json!({"sum": sum, "max": max}));
            }
            "mc" => {
                let (vals, times) = time_repeated(
                    || SupplyEngine::new(&net).supply_without_each(&g.scenarios),
                    budget,
                    3,
                );
                let vals = vals?;
                let first10: Vec<f64> = vals.iter().take(10).map(|&v| v as f64).collect();
                let mean = vals.iter().map(|&v| v as f64).sum::<f64>() / vals.len().max(1) as f64;
                emit(
                    op,
                    &times,
                    json!({"first10_flows": first10, "mean_flow": mean, "mean_flow_timed": mean}),
                );
            }
            "reroute" => {
                // The simulation's batch path for removal-only scenarios:
                // after = min(B, max flow without the set), B the baseline
                // (here the peer graph's maximum flow, as it has no
                // observed flows of its own to sum).
                let (vals, times) = time_repeated(
                    || {
                        let engine = SupplyEngine::new(&net);
                        let base = engine.baseline();
                        engine
                            .supply_without_each(&g.scenarios)
                            .map(|v| v.into_iter().map(|x| x.min(base)).collect::<Vec<_>>())
                    },
                    budget,
                    3,
                );
                let vals = vals?;
                let first10: Vec<f64> = vals.iter().take(10).map(|&v| v as f64).collect();
                let mean = vals.iter().map(|&v| v as f64).sum::<f64>() / vals.len().max(1) as f64;
                emit(
                    op,
                    &times,
                    json!({"first10_flows": first10, "mean_flow": mean}),
                );
            }
            "cascade" => {
                // Tonnes = edge capacities; extraction nodes originate what
                // they ship, as the peer graph's super-source feeds them.
                let edges: Vec<(u32, u32, f64)> = g
                    .edges
                    .iter()
                    .map(|e| (e.from, e.to, e.capacity as f64))
                    .collect();
                let mut own = vec![0.0; n];
                for e in &g.edges {
                    if g.nodes[e.from as usize].stage == critical_minerals::Stage::Extraction {
                        own[e.from as usize] += e.capacity as f64;
                    }
                }
                let (vals, times) = time_repeated(
                    || -> Result<Vec<f64>, critical_minerals::Error> {
                        let c = Cascade::new(n, &edges, &own)?;
                        let ones = vec![1.0; edges.len()];
                        let supply = c.supply();
                        // Cascade::BATCH scenarios per solve, one lane
                        // each: the same results as one solve each.
                        let batches: Vec<Vec<f64>> = g
                            .scenarios
                            .par_chunks(Cascade::BATCH)
                            .map_init(
                                || (CascadeBatchWork::new(), vec![vec![1.0; n]; Cascade::BATCH]),
                                |(work, ks), sets| {
                                    // Factor sets reused per thread: only the
                                    // removed nodes are set, and reset after.
                                    let ks = &mut ks[..sets.len()];
                                    for (k, set) in ks.iter_mut().zip(sets) {
                                        for &v in set {
                                            k[v as usize] = 0.0;
                                        }
                                    }
                                    let solved = c.solve_batch(ks, &ones, 1e-9, 100_000, work);
                                    for (k, set) in ks.iter_mut().zip(sets) {
                                        for &v in set {
                                            k[v as usize] = 1.0;
                                        }
                                    }
                                    solved?;
                                    Ok((0..sets.len())
                                        .map(|i| {
                                            g.target_nodes
                                                .iter()
                                                .map(|&t| {
                                                    work.fraction(i, t as usize)
                                                        * supply[t as usize]
                                                })
                                                .sum()
                                        })
                                        .collect())
                                },
                            )
                            .collect::<Result<_, critical_minerals::Error>>()?;
                        Ok(batches.into_iter().flatten().collect())
                    },
                    budget,
                    3,
                );
                let vals = vals?;
                let first10: Vec<f64> = vals.iter().take(10).copied().collect();
                let mean = vals.iter().sum::<f64>() / vals.len().max(1) as f64;
                emit(
                    op,
                    &times,
                    json!({"first10_supply": first10, "mean_supply": mean}),
                );
            }
            other => eprintln!("unknown op {other}, skipped"),
        }
    }
    Ok(())
}
