//! Analysis benches on seeded synthetic chains (`benches/common`).
//!
//! `cargo bench --bench analysis -- --warm-up-time 1 --measurement-time 3`
//!
//! - `bilateral/{small,large}_50_pairs`: 50 country pairs with 4 flows
//!   each, in graphs of ~32k and ~308k flows: the time follows the pairs'
//!   flows, not the graph's size (an index lookup). Divide by 50 per pair.
//! - `origin/large_one_mineral_target`: a manufacturing node in the ~300k-flow,
//!   40-mineral graph (its upstream is one mineral's subgraph).
//! - `origin/dense_whole_graph_upstream`: a manufacturing node whose upstream
//!   is an entire ~300k-flow single-mineral graph with recycling loops.
//! - `pass_through/...`: one country, and every country, on the same targets.
//! - `concentration/large`: one mineral and stage on the ~300k-flow graph.

mod common;

use std::hint::black_box;

use common::{Spec, busiest_manufacturer, pairs_with_flows, synthetic};

/// Flows per pair and pairs per iteration in the bilateral bench.
const PAIR_FLOWS: usize = 4;
const PAIRS: usize = 50;
use criterion::{Criterion, criterion_group, criterion_main};
use critical_minerals::analysis::{BilateralOptions, ConcentrationOptions, OriginOptions};
use critical_minerals::{Mineral, Stage};

fn bilateral(c: &mut Criterion) {
    let mut group = c.benchmark_group("bilateral");
    let opts = BilateralOptions::new().as_of(jiff::civil::date(2025, 1, 1));
    for (name, spec) in [("small", Spec::SMALL), ("large", Spec::LARGE)] {
        let chain = synthetic(&spec);
        let pairs = pairs_with_flows(&chain, PAIR_FLOWS, PAIRS);
        assert_eq!(
            pairs.len(),
            PAIRS,
            "{name}: not enough pairs with {PAIR_FLOWS} flows"
        );
        eprintln!(
            "bilateral/{name}: {} nodes, {} flows; {PAIRS} pairs of {PAIR_FLOWS} flows each",
            chain.node_count(),
            chain.flow_count()
        );
        group.bench_function(format!("{name}_{PAIRS}_pairs"), |bench| {
            bench.iter(|| {
                for &(a, b) in &pairs {
                    let p = chain.bilateral(black_box(a), black_box(b), &opts).unwrap();
                    assert!(!p.links.is_empty());
                    black_box(p);
                }
            })
        });
    }
    group.finish();
}

fn origin(c: &mut Criterion) {
    let opts = OriginOptions::new();
    let large = synthetic(&Spec::LARGE);
    let dense = synthetic(&Spec::DENSE);
    let t_large = busiest_manufacturer(&large, "m000");
    let t_dense = busiest_manufacturer(&dense, "m000");
    for (name, chain, t) in [("large", &large, t_large), ("dense", &dense, t_dense)] {
        let o = chain.origin(t, &opts).unwrap();
        eprintln!(
            "origin/{name}: graph {} nodes, {} flows; upstream {} nodes, {} flows; {} sweeps; \
             residual {:.1e}; {} origin countries",
            chain.node_count(),
            chain.flow_count(),
            o.upstream_nodes,
            o.upstream_flows,
            o.sweeps,
            o.residual,
            o.by_country.len()
        );
    }
    let top_dense = dense
        .origin(t_dense, &opts)
        .unwrap()
        .by_country
        .first()
        .map(|c| c.country)
        .unwrap();

    let mut group = c.benchmark_group("origin");
    group.bench_function("large_one_mineral_target", |bench| {
        bench.iter(|| {
            let o = large.origin(black_box(t_large), &opts).unwrap();
            assert!(o.residual < 1e-9);
            o
        })
    });
    group.bench_function("dense_whole_graph_upstream", |bench| {
        bench.iter(|| {
            let o = dense.origin(black_box(t_dense), &opts).unwrap();
            assert!(o.residual < 1e-9);
            o
        })
    });
    group.finish();

    let mut group = c.benchmark_group("pass_through");
    group.bench_function("dense_one_country", |bench| {
        bench.iter(|| {
            let s = dense
                .pass_through(black_box(t_dense), top_dense, &opts)
                .unwrap();
            assert!(s.get() > 0.0);
            s
        })
    });
    group.sample_size(10);
    group.bench_function("large_every_country", |bench| {
        bench.iter(|| {
            let p = large.pass_through_all(black_box(t_large), &opts).unwrap();
            assert!(!p.shares.is_empty());
            p
        })
    });
    group.finish();
}

fn concentration(c: &mut Criterion) {
    let large = synthetic(&Spec::LARGE);
    let m = Mineral::new("m000").unwrap();
    let opts = ConcentrationOptions::new();
    c.bench_function("concentration/large", |bench| {
        bench.iter(|| {
            let k = large
                .concentration(black_box(&m), Stage::Extraction, &opts)
                .unwrap();
            assert!(k.hhi > 0.0);
            k
        })
    });
}

criterion_group!(benches, bilateral, origin, concentration);
criterion_main!(benches);
