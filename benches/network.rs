//! Flow analyses on the peer benchmark's graphs (small / medium / large from
//! `../shared/bench/data`, or copies under `tests/data/peer_*`), the same
//! problems igraph was timed on (`../shared/bench/RESULTS.md`): one maximum
//! flow, criticality of every node, of every country, and the 1,000 Monte
//! Carlo removal sets. The graph is read outside the timing; each iteration
//! solves the baseline anew, as a user's first call would.
//!
//! `cargo bench --bench network -- --warm-up-time 1 --measurement-time 3`
//!
//! Sizes whose files are missing are skipped; large skips the Monte Carlo
//! batch (seconds per iteration: `examples/perf.rs` times it).

mod common;
#[path = "common/peer.rs"]
mod peer;

use std::hint::black_box;

use common::peer_dir;
use criterion::{Criterion, criterion_group, criterion_main};
use critical_minerals::flow::SupplyEngine;
use peer::PeerGraph;

fn load(size: &str) -> Option<PeerGraph> {
    PeerGraph::read(peer_dir(size)?).ok()
}

fn flows(c: &mut Criterion) {
    // Expected maximum flows: RESULTS.md (networkx and igraph agree).
    for (size, expected) in [("small", 329_396), ("medium", 185_469), ("large", 898_217)] {
        let Some(g) = load(size) else { continue };
        let Ok(net) = g.flow_network() else { continue };
        let groups: Vec<Vec<u32>> = g.country_groups().into_iter().map(|x| x.1).collect();
        let mut group = c.benchmark_group(format!("flow/{size}"));
        group.sample_size(10);
        group.bench_function("maxflow", |b| {
            b.iter(|| assert_eq!(black_box(&net).max_flow_value(), expected))
        });
        group.bench_function("crit_every_node", |b| {
            b.iter(|| {
                let without = SupplyEngine::new(black_box(&net)).supply_without_each_node();
                assert!(without.iter().all(|&x| x <= expected));
            })
        });
        group.bench_function("crit_every_country", |b| {
            b.iter(|| {
                let without = SupplyEngine::new(black_box(&net)).supply_without_each(&groups);
                assert_eq!(without.map(|w| w.len()).ok(), Some(groups.len()));
            })
        });
        if size != "large" {
            group.bench_function("mc_1000_scenarios", |b| {
                b.iter(|| {
                    let out = SupplyEngine::new(black_box(&net)).supply_without_each(&g.scenarios);
                    assert_eq!(out.map(|w| w.len()).ok(), Some(g.scenarios.len()));
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, flows);
criterion_main!(benches);
