//! Parsing the built-in dataset, and building its chain.
//!
//! `cargo bench --bench dataset -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, criterion_group, criterion_main};
use critical_minerals::Dataset;
use critical_minerals::data::YearChainOptions;
use std::hint::black_box;

fn parse(c: &mut Criterion) {
    // What the first `Dataset::builtin()` call costs: every embedded file
    // parsed and validated (`builtin()` caches the same work).
    c.bench_function("dataset/parse_embedded", |b| {
        b.iter(|| {
            let d = Dataset::load_builtin().expect("embedded data parses");
            assert_eq!(d.restrictions().len(), 16);
            black_box(d)
        })
    });
    let data = Dataset::builtin().expect("embedded data parses");
    c.bench_function("dataset/chain_2024", |b| {
        b.iter(|| {
            let chain = data.chain(black_box(2024)).expect("chain builds");
            assert_eq!(chain.node_count(), 376);
            chain
        })
    });
    c.bench_function("dataset/chain_2024_modeled", |b| {
        b.iter(|| {
            let opts = YearChainOptions::new(2024).modeled_flows(data.modeled_flows());
            let chain = data.chain_with(black_box(&opts)).expect("chain builds");
            // Copper 2024: 15 mine nodes × 18 refinery nodes (see the
            // dataset test modeled_flows_on_the_builtin_chain).
            assert_eq!(chain.flow_count(), 15 * 18);
            chain
        })
    });
}

/// Chain JSON whose one flow has a high id: every lower id is a hole the
/// loader rebuilds. Linear in the holes (issue 10: it was quadratic, ~30 s
/// for 128,000 holes); timed at several hole counts to show the slope.
fn json_holes(c: &mut Criterion) {
    let mut g = c.benchmark_group("json/flow_id_holes");
    for holes in [1_000u32, 10_000, 60_000] {
        let text = format!(
            r#"{{"schema":"critical-minerals/chain","version":1,"nodes":[{{"id":0,"country":"AUS","mineral":"lithium","stage":"extraction"}},{{"id":1,"country":"CHN","mineral":"lithium","stage":"refining"}}],"flows":[{{"id":{holes},"from":0,"to":1,"tonnes":1}}]}}"#
        );
        g.bench_function(holes.to_string(), |b| {
            b.iter(|| {
                let chain = critical_minerals::SupplyChain::from_json(black_box(&text))
                    .expect("document loads");
                assert_eq!(chain.flow_count(), 1);
                chain
            })
        });
    }
    g.finish();
}

criterion_group!(benches, parse, json_holes);
criterion_main!(benches);
