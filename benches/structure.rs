//! Structural measures on the peer benchmark's graphs (small / medium /
//! large from `../shared/bench/data`, or copies under `tests/data/peer_*`),
//! timed the way `../shared/bench/bench.py` times igraph: the graph is built
//! once outside the timing, the call inside it.
//!
//! `cargo bench --bench structure -- --warm-up-time 1 --measurement-time 3`
//!
//! Sizes whose files are missing are skipped.

mod common;

use std::hint::black_box;

use common::peer_dir;
use criterion::{Criterion, criterion_group, criterion_main};
use critical_minerals::flow::{
    Adjacency, BetweennessOptions, UndirectedGraph, articulation_points, betweenness_with,
    dominators, weighted_betweenness,
};

struct Peer {
    n: usize,
    edges: Vec<(u32, u32)>,
    /// Edge lengths 1 / capacity (the tonnage-weighted variant).
    lengths: Vec<f64>,
    flow_graph: Adjacency,
}

fn load(size: &str) -> Option<Peer> {
    let dir = peer_dir(size)?;
    let nodes = std::fs::read_to_string(dir.join("nodes.csv")).ok()?;
    let stages: Vec<&str> = nodes
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap_or(""))
        .collect();
    let n = stages.len();
    let text = std::fs::read_to_string(dir.join("edges.csv")).ok()?;
    let mut edges = Vec::new();
    let mut lengths = Vec::new();
    for line in text.lines().skip(1) {
        let mut it = line.split(',').map(|x| x.parse::<u32>());
        edges.push((it.next()?.ok()?, it.next()?.ok()?));
        lengths.push(1.0 / f64::from(it.next()?.ok()?.max(1)));
    }
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).ok()?).ok()?;
    let (s, t) = (n as u32, n as u32 + 1);
    let mut fe = edges.clone();
    fe.extend(
        stages
            .iter()
            .enumerate()
            .filter(|(_, st)| **st == "extraction")
            .map(|(i, _)| (s, i as u32)),
    );
    for x in meta["target_nodes"].as_array()? {
        fe.push((x.as_u64()? as u32, t));
    }
    Some(Peer {
        n,
        flow_graph: Adjacency::from_edges(n + 2, &fe),
        edges,
        lengths,
    })
}

fn structure(c: &mut Criterion) {
    for size in ["small", "medium", "large"] {
        let Some(p) = load(size) else {
            eprintln!("structure bench: no {size} graph, skipped");
            continue;
        };
        let s = p.n as u32;
        let mut group = c.benchmark_group(size);
        if size == "large" {
            group.sample_size(10);
        }
        group.bench_function("dominators", |b| {
            b.iter(|| {
                let d = dominators(black_box(&p.flow_graph), s).expect("S is a node");
                assert!(d.reachable_count() > 1);
                d
            })
        });
        let u = UndirectedGraph::from_edges(p.n, &p.edges);
        group.bench_function("articulation_points", |b| {
            b.iter(|| {
                let ap = black_box(&u).articulation_points();
                assert!(!ap.is_empty());
                ap
            })
        });
        group.bench_function("articulation_points_with_projection", |b| {
            b.iter(|| {
                let ap = articulation_points(p.n, black_box(&p.edges));
                assert!(!ap.is_empty());
                ap
            })
        });
        let g = Adjacency::from_edges(p.n, &p.edges);
        for (name, parallel) in [("betweenness", true), ("betweenness_1thread", false)] {
            let opts = BetweennessOptions::new().parallel(parallel);
            group.bench_function(name, |b| {
                b.iter(|| {
                    let bc = betweenness_with(black_box(&g), &opts);
                    assert!(bc.iter().sum::<f64>() > 0.0);
                    bc
                })
            });
        }
        group.bench_function("betweenness_tonnage_weighted", |b| {
            b.iter(|| {
                let bc =
                    weighted_betweenness(black_box(&g), &p.lengths, &BetweennessOptions::new())
                        .expect("positive lengths");
                assert!(bc.iter().sum::<f64>() > 0.0);
                bc
            })
        });
        group.finish();
    }
}

criterion_group!(benches, structure);
criterion_main!(benches);
