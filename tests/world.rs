//! The built-in BACI and World Mining Data tables, and the world chain built
//! from them. Expected figures are read off the files with python one-liners
//! (quoted in the comments), not from the crate's output.

use std::collections::BTreeMap;

use critical_minerals::data::{
    ProductionOrigin, ProductionSource, TradeQuery, TradeRow, WmdQuery, WorldChainOptions,
    WorldSkip,
};
use critical_minerals::io::FlowMeasure;
use critical_minerals::{Basis, Country, Dataset, Mineral, NodeKey, Stage, Status, SupplyChain};
use proptest::prelude::*;

fn data() -> &'static Dataset {
    Dataset::builtin().unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn trade_row_counts_are_pinned() {
    let trade = data().trade().unwrap();
    // zcat trade_baci.csv.gz | wc -l → 179,037 lines with the header.
    assert_eq!(trade.all_rows().len(), 179_036);
    assert_eq!(trade.products().codes().count(), 52);
    assert_eq!(
        trade.years().into_iter().collect::<Vec<_>>(),
        (2019..=2024).collect::<Vec<_>>()
    );
    // Counter(r['year']): 29,501 / 28,372 / 30,263 / 31,138 / 30,934 / 28,828.
    let by_year: Vec<usize> = (2019..=2024)
        .map(|y| trade.rows(&TradeQuery::new().year(y)).count())
        .collect();
    assert_eq!(by_year, [29_501, 28_372, 30_263, 31_138, 30_934, 28_828]);
    // Rows with an empty tonnes field: 12,076 (2,344 in 2023).
    assert_eq!(trade.rows_without_quantity(), 12_076);
    // Every code of the table is one of the concordance's, and used.
    let used: std::collections::BTreeSet<u32> = trade.all_rows().iter().map(|r| r.hs6).collect();
    assert_eq!(used.len(), 52);
}

#[test]
fn wmd_row_counts_are_pinned() {
    let wmd = data().world_mining_data().unwrap();
    // Counter(r['year']) over wmd_production.csv.
    let expected = [
        (2018, 1591),
        (2019, 1596),
        (2020, 1620),
        (2021, 1630),
        (2022, 1643),
        (2023, 1627),
        (2024, 1627),
    ];
    for (y, n) in expected {
        assert_eq!(wmd.rows(&WmdQuery::new().year(y)).count(), n, "{y}");
    }
    assert_eq!(wmd.all_rows().len(), 11_334);
    assert_eq!(wmd.commodities().len(), 56);
    // Gold, GUY: two rows a year, 2018–2024, with different figures.
    let conflicting = wmd
        .all_rows()
        .iter()
        .filter(|r| wmd.is_conflicting(r))
        .count();
    assert_eq!(conflicting, 14);
    // Flags: r 7,973, e 2,899, p 70, none 392.
    assert_eq!(
        wmd.all_rows().iter().filter(|r| r.flag.is_none()).count(),
        392
    );
}

#[test]
fn every_country_code_of_the_new_files_parses() {
    // Kosovo (WMD R20, re-keyed XKX), BACI's S19 and the WMD world total.
    let wmd = data().world_mining_data().unwrap();
    assert!(wmd.all_rows().iter().any(|r| r.country == Country::KOSOVO));
    assert!(wmd.all_rows().iter().any(|r| r.country == Country::WLD));
    let trade = data().trade().unwrap();
    assert!(
        trade
            .all_rows()
            .iter()
            .any(|r| r.exporter == Country::OTHER_ASIA)
    );
    assert!(!Country::KOSOVO.is_aggregate());
    assert_eq!(Country::KOSOVO.name(), "Kosovo");
    assert_eq!("xkx".parse::<Country>().unwrap(), Country::KOSOVO);
}

#[test]
fn a_flow_pinned_by_hand() {
    // grep 2023,MYS,USA,284690 → value 4977.746 kUSD, 1502.435 t.
    let trade = data().trade().unwrap();
    let q = TradeQuery::new()
        .year(2023)
        .hs6(284690)
        .exporter(Country::MYS)
        .importer(Country::USA);
    let rows: Vec<&TradeRow> = trade.rows(&q).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].value_kusd, 4_977.746);
    assert_eq!(rows[0].tonnes.unwrap().get(), 1_502.435);

    let world = data().world_chain(&WorldChainOptions::new(2023)).unwrap();
    let f: Vec<_> = world
        .chain
        .flows_between(Country::MYS, Country::USA)
        .filter(|f| f.flow.hs6 == Some(284690))
        .collect();
    assert_eq!(f.len(), 1);
    let f = f[0];
    assert_eq!(f.flow.tonnes.get(), 1_502.435);
    assert_eq!(f.flow.value.unwrap().get(), 4_977_746.0);
    assert_eq!(f.flow.year, Some(2023));
    assert_eq!(f.flow.basis, Some(Basis::PRODUCT_WEIGHT));
    assert_eq!(f.flow.provenance.sources, ["cepii_baci_hs92_v202401b"]);
    // 284690 is rare-earth compounds (processing): received by US refining.
    assert_eq!(
        f.from_key,
        &NodeKey::new(Country::MYS, Mineral::RARE_EARTHS, Stage::Processing)
    );
    assert_eq!(
        f.to_key,
        &NodeKey::new(Country::USA, Mineral::RARE_EARTHS, Stage::Refining)
    );
}

#[test]
fn a_row_without_quantity_is_kept_by_value_and_counted() {
    // 2024,USA,MYS,252922 has a value of 0.095 kUSD and no tonnes. By
    // default (FlowMeasure::Quantity) no tonnage is invented: the row is
    // left out and counted.
    let quantity = data().world_chain(&WorldChainOptions::new(2024)).unwrap();
    assert!(
        quantity
            .chain
            .flows_between(Country::USA, Country::MYS)
            .all(|f| f.flow.hs6 != Some(252922))
    );
    assert_eq!(quantity.report.rows_without_quantity, 2_127);
    assert_eq!(quantity.report.skipped[&WorldSkip::NoQuantity], 2_127);
    assert_eq!(
        quantity.report.flows,
        quantity.report.trade_rows
            - 2_127
            - quantity
                .report
                .skipped
                .get(&WorldSkip::SelfTrade)
                .copied()
                .unwrap_or(0)
    );
    // By value it is a flow carrying its value, marked withheld.
    let world = data()
        .world_chain(&WorldChainOptions::new(2024).measure(FlowMeasure::Value))
        .unwrap();
    let f = world
        .chain
        .flows_between(Country::USA, Country::MYS)
        .find(|f| f.flow.hs6 == Some(252922))
        .unwrap();
    assert_eq!(f.flow.value.unwrap().get(), 95.0);
    assert_eq!(f.flow.provenance.status, Status::Withheld);
    assert_eq!(f.flow.tonnes.get(), 0.0);
    assert_eq!(world.report.rows_without_quantity, 2_127);
}

/// Per year and code: the chain's tonnes, values and rows without quantity
/// equal the file's.
#[test]
fn nothing_is_lost_or_invented() {
    // python: fsum over 2023 rows → 302,834,484.07 t and 309,697,657.618 kUSD;
    // 284690: 1,144 rows, 177,779.071 t, 3,275,250.199 kUSD, 113 without tonnes.
    let pinned_2023 = (302_834_484.07, 309_697_657.618);
    let trade = data().trade().unwrap();
    for year in 2019..=2024 {
        let world = data()
            .world_chain(&WorldChainOptions::new(year).measure(FlowMeasure::Value))
            .unwrap();
        type Sums = BTreeMap<u32, (f64, f64, usize, usize)>;
        let mut file: Sums = BTreeMap::new();
        for r in trade.rows(&TradeQuery::new().year(year)) {
            let e = file.entry(r.hs6).or_default();
            e.0 += r.tonnes.map_or(0.0, |t| t.get());
            e.1 += r.value_kusd * 1000.0;
            e.2 += usize::from(r.tonnes.is_none());
            e.3 += 1;
        }
        let mut chain: Sums = BTreeMap::new();
        for f in world.chain.flows() {
            let e = chain.entry(f.flow.hs6.unwrap()).or_default();
            e.0 += f.flow.tonnes.get();
            e.1 += f.flow.value.unwrap().get();
            e.2 += usize::from(f.flow.provenance.status == Status::Withheld);
            e.3 += 1;
        }
        assert_eq!(
            file.keys().collect::<Vec<_>>(),
            chain.keys().collect::<Vec<_>>()
        );
        for (code, a) in &file {
            let b = chain[code];
            assert!(
                close(a.0, b.0) && close(a.1, b.1),
                "{year} {code}: {a:?} vs {b:?}"
            );
            assert_eq!((a.2, a.3), (b.2, b.3), "{year} {code}");
        }
        assert_eq!(world.report.flows, world.chain.flow_count());
        if year == 2023 {
            let t: f64 = file.values().map(|v| v.0).sum();
            let v: f64 = file.values().map(|v| v.1).sum();
            assert!(close(t, pinned_2023.0), "{t}");
            assert!(close(v, pinned_2023.1 * 1000.0), "{v}");
            assert_eq!(file[&284690].3, 1_144);
            assert!(close(file[&284690].0, 177_779.071));
            assert_eq!(file[&284690].2, 113);
        }
    }
}

#[test]
fn production_comes_from_one_source_per_mineral_and_stage() {
    let data = data();
    let world = data.world_chain(&WorldChainOptions::new(2024)).unwrap();
    let pick = |m: &Mineral, s: Stage| {
        world
            .report
            .production
            .iter()
            .find(|p| &p.mineral == m && p.stage == s)
            .map(|p| p.origin)
    };
    // USGS has cobalt mine output for 2024; WMD is used for rhenium.
    assert_eq!(
        pick(&Mineral::COBALT, Stage::Extraction),
        Some(ProductionOrigin::Usgs)
    );
    let rhenium = Mineral::new("rhenium").unwrap();
    assert_eq!(pick(&rhenium, Stage::Refining), Some(ProductionOrigin::Wmd));
    // The DRC's cobalt is the USGS figure (220,000 t), not WMD's.
    let (_, drc) = world
        .chain
        .node_by_key(&NodeKey::new(
            Country::COD,
            Mineral::COBALT,
            Stage::Extraction,
        ))
        .unwrap();
    assert_eq!(drc.output.unwrap().get(), 220_000.0);
    assert_eq!(drc.provenance.sources, ["usgs_mcs_2025_cobalt"]);
    // WMD only: every node of a mineral and stage names WMD.
    let wmd = data
        .world_chain(&WorldChainOptions::new(2024).production(ProductionSource::Wmd))
        .unwrap();
    assert!(
        wmd.report
            .production
            .iter()
            .all(|p| p.origin == ProductionOrigin::Wmd)
    );
    // Malaysia's rare-earth mine output 2024: WMD 5,120 t (data README).
    let (_, mys) = wmd
        .chain
        .node_by_key(&NodeKey::new(
            Country::MYS,
            Mineral::RARE_EARTHS,
            Stage::Extraction,
        ))
        .unwrap();
    assert_eq!(mys.output.unwrap().get(), 5_120.0);
    // Gold GUY: both rows left out and counted; WLD rows are not nodes.
    assert_eq!(wmd.report.skipped[&WorldSkip::ConflictingDuplicate], 2);
    assert!(wmd.report.skipped[&WorldSkip::WorldTotal] > 0);
    assert!(wmd.chain.nodes_of_country(Country::WLD).next().is_none());
}

#[test]
fn the_world_chain_round_trips_through_json() {
    let world = data()
        .world_chain(&WorldChainOptions::new(2024).production(ProductionSource::Wmd))
        .unwrap();
    let back = SupplyChain::from_json(&world.chain.to_json()).unwrap();
    assert_eq!(back, world.chain);
}

#[test]
fn a_version_1_document_still_loads() {
    let v1 = r#"{"schema": "critical-minerals/chain", "version": 1,
        "nodes": [{"id": 0, "country": "AUS", "mineral": "lithium", "stage": "extraction"},
                  {"id": 1, "country": "CHN", "mineral": "lithium", "stage": "refining"}],
        "flows": [{"id": 0, "from": 0, "to": 1, "tonnes": 5.0}]}"#;
    let chain = SupplyChain::from_json(v1).unwrap();
    let f = chain.flows().next().unwrap();
    assert_eq!((f.flow.hs6, f.flow.basis.as_ref()), (None, None));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// A world chain built from any subset of a year's rows carries exactly
    /// that subset's tonnes and values, code by code.
    #[test]
    fn any_subset_is_conserved(seed in any::<u64>(), keep in 1u64..100) {
        let trade = data().trade().unwrap();
        let q = TradeQuery::new().year(2022);
        // A deterministic pseudo-random subset of about keep% of the rows.
        let subset: Vec<&TradeRow> = trade
            .rows(&q)
            .enumerate()
            .filter(|(i, _)| {
                let h = (*i as u64 ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                (h >> 32) % 100 < keep
            })
            .map(|(_, r)| r)
            .collect();
        let opts = WorldChainOptions::new(2022)
            .production(ProductionSource::None)
            .policy(false)
            .measure(FlowMeasure::Value);
        let world = data().world_chain_from_rows(&opts, subset.iter().copied()).unwrap();
        prop_assert_eq!(world.chain.flow_count(), subset.len());
        let mut want: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
        for r in &subset {
            let e = want.entry(r.hs6).or_default();
            e.0 += r.tonnes.map_or(0.0, |t| t.get());
            e.1 += r.value_kusd * 1000.0;
        }
        let mut got: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
        for f in world.chain.flows() {
            let e = got.entry(f.flow.hs6.unwrap()).or_default();
            e.0 += f.flow.tonnes.get();
            e.1 += f.flow.value.unwrap().get();
        }
        prop_assert_eq!(want.len(), got.len());
        for (k, a) in &want {
            let b = got[k];
            prop_assert!(close(a.0, b.0) && close(a.1, b.1), "{} {:?} {:?}", k, a, b);
        }
    }
}

mod geopolrisk {
    use critical_minerals::Country;
    use critical_minerals::analysis::{ProductRisk, ProductRiskOptions, WgiYear};

    use super::close;

    /// Each case checked by hand with a python one-liner over the CSVs:
    /// HHI = Σ (qᵢ/Σq)² over the WMD commodity's rows of the year (WLD and
    /// the conflicting GUY gold rows out), F = Σ BACI tonnes into the
    /// importer under the code (rows with a quantity), P = the importer's
    /// WMD output, WIS = Σ (2.5 − WGIᵢ)/5 · fᵢ / (F + P) over exporters
    /// with a WGI value, score = HHI × WIS.
    fn check(imp: Country, hs6: u32, year: i16, commodity: &str, want: [f64; 5]) {
        let r = ProductRisk::builtin(imp, hs6, year, &ProductRiskOptions::new()).unwrap();
        assert_eq!(r.commodity, commodity);
        assert_eq!(r.wgi_year, year);
        let got = [
            r.risk.hhi_fraction,
            r.risk.total_imports.get(),
            r.risk.domestic_production.get(),
            r.risk.weighted_import_share,
            r.risk.score,
        ];
        for (g, w) in got.iter().zip(want) {
            assert!(
                close(*g, w) || (g - w).abs() < 1e-9,
                "{imp} {hs6} {year}: {got:?} vs {want:?}"
            );
        }
    }

    #[test]
    fn us_rare_earth_compounds_2022() {
        // 28 exporters; S19 has no WGI value and is left out of the numerator.
        check(
            Country::USA,
            284690,
            2022,
            "Rare Earths (REO)",
            [
                0.5218288604,
                13_710.034,
                42_499.0,
                0.1378330824,
                0.0719252803,
            ],
        );
        let r =
            ProductRisk::builtin(Country::USA, 284690, 2022, &ProductRiskOptions::new()).unwrap();
        assert_eq!(r.risk.excluded, [Country::OTHER_ASIA]);
    }

    #[test]
    fn malaysia_tin_ore_2021() {
        check(
            Country::MYS,
            260900,
            2021,
            "Tin",
            [0.1592839304, 17_527.71, 3_013.0, 0.6178351181, 0.0984112060],
        );
    }

    #[test]
    fn germany_lithium_oxide_2020() {
        check(
            Country::from_alpha3("DEU").unwrap(),
            282520,
            2020,
            "Lithium (Li2O)",
            [0.3275788942, 1_171.075, 0.0, 0.3886943291, 0.1273280585],
        );
    }

    /// Since issue 16 the WGI copy covers 2019–2024, so 2024 is scored
    /// with its own year under both rules (this test pinned the error for
    /// 2024 and the 2022 fallback before).
    #[test]
    fn every_trade_year_has_its_own_wgi_year() {
        for rule in [WgiYear::Exact, WgiYear::Nearest] {
            for year in 2019..=2024 {
                let r = ProductRisk::builtin(
                    Country::USA,
                    284690,
                    year,
                    &ProductRiskOptions::new().wgi_year(rule),
                )
                .unwrap();
                assert_eq!(r.wgi_year, year);
            }
        }
    }
}

mod network {
    use critical_minerals::data::WorldChainOptions;
    use critical_minerals::network::{ChainNetwork, FlowOptions, SourceRule, Target};
    use critical_minerals::{Country, Error, Mineral, Stage};

    use super::data;

    #[test]
    fn one_products_trade_network_delivers_under_origination_only() {
        let world = data().world_chain(&WorldChainOptions::new(2022)).unwrap();
        let target = Target::country_stage(Country::USA, Stage::Refining);
        let opts = FlowOptions::new()
            .mineral(Mineral::RARE_EARTHS)
            .product(284690);
        // Trade only: no extraction node, so the old rule delivers nothing.
        let old = ChainNetwork::new(
            &world.chain,
            &target,
            &opts.clone().sources(SourceRule::Extraction),
        )
        .unwrap();
        assert_eq!(old.solve().deliverable_supply().get(), 0.0);
        // Origination: every exporter ships what it does not take in. At
        // most the US's recorded imports of the code (13,710.034 t, above).
        let net = ChainNetwork::new(&world.chain, &target, &opts).unwrap();
        let s = net.solve().deliverable_supply().get();
        assert!(s > 0.0 && s <= 13_710.034 + 1e-6, "{s}");
        // Without the product filter, production content meets product
        // weight: refused.
        let err = ChainNetwork::new(
            &world.chain,
            &Target::country_stage(Country::USA, Stage::Processing),
            &FlowOptions::new().mineral(Mineral::RARE_EARTHS),
        )
        .unwrap_err();
        assert!(matches!(err, Error::MixedBasis { .. }), "{err}");
    }
}

/// The totals of the US–Malaysia profile in 2023, by hand from the file:
///
/// ```text
/// python3 -c "import gzip,csv
/// rows=[x for x in csv.reader(gzip.open('data/trade_baci.csv.gz','rt'))
///       if x[0]=='2023' and {x[1],x[2]}=={'USA','MYS'}]
/// for d in [('USA','MYS'),('MYS','USA')]:
///   s=[x for x in rows if (x[1],x[2])==d]
///   print(d, len(s), sum(x[5]=='' for x in s),
///         sum(float(x[5]) for x in s if x[5]), sum(float(x[4]) for x in s))"
/// ```
///
/// (columns year, exporter, importer, hs6, value_kusd, tonnes; the same
/// with `x[3] in ('280530','284610','284690')` for rare earths), summing
/// `tonnes` over rows with one and `value_kusd` over all rows, each way: USA → MYS 39 rows (one, 811211, without quantity),
/// 52,504.842 t, 78,953.809 kUSD; MYS → USA 13 rows (one, 810110, without
/// quantity), 21,177.628 t, 51,709.135 kUSD. Rare earths only (280530,
/// 284610, 284690): MYS → USA 431.741 + 1,502.435 = 1,934.176 t and
/// 441.791 + 4,977.746 = 5,419.537 kUSD; USA → MYS 0.206 + 0.634 =
/// 0.840 t and 9.665 + 74.421 = 84.086 kUSD.
#[test]
fn bilateral_totals_by_year_pinned_by_hand() {
    use critical_minerals::analysis::BilateralTotals;
    let close = |x: f64, want: f64| (x - want).abs() <= 1e-6 * want.max(1.0);
    let all = BilateralTotals::builtin(Country::USA, Country::MYS, None, 2023).unwrap();
    assert!(close(all.tonnes_a_to_b.get(), 52_504.842), "{all:?}");
    assert!(close(all.value_a_to_b.get(), 78_953_809.0), "{all:?}");
    assert_eq!((all.rows_a_to_b, all.without_quantity_a_to_b), (39, 1));
    assert!(close(all.tonnes_b_to_a.get(), 21_177.628), "{all:?}");
    assert!(close(all.value_b_to_a.get(), 51_709_135.0), "{all:?}");
    assert_eq!((all.rows_b_to_a, all.without_quantity_b_to_a), (13, 1));

    let ree = Mineral::RARE_EARTHS;
    let r = BilateralTotals::builtin(Country::USA, Country::MYS, Some(&ree), 2023).unwrap();
    assert!(close(r.tonnes_b_to_a.get(), 1_934.176), "{r:?}");
    assert!(close(r.value_b_to_a.get(), 5_419_537.0), "{r:?}");
    assert!(close(r.tonnes_a_to_b.get(), 0.840), "{r:?}");
    assert!(close(r.value_a_to_b.get(), 84_086.0), "{r:?}");
    assert_eq!((r.rows_a_to_b, r.rows_b_to_a), (2, 2));

    let t = BilateralTotals::trend(Country::USA, Country::MYS, None).unwrap();
    let years: Vec<i16> = t.points.iter().map(|p| p.year).collect();
    assert_eq!(years, [2019, 2020, 2021, 2022, 2023, 2024]);
    assert!(t.points.iter().all(|p| p.value.is_some()));
    assert_eq!(t.points[4].value.as_ref(), Some(&all));
    let table = t.to_string();
    assert!(
        table.contains("a → b (t)") && table.contains("1 of 39"),
        "{table}"
    );
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["points"][4]["value"]["rows_a_to_b"], 39);

    // Outside the table: no data (a gap in a trend); a pair of one: refused.
    let err = BilateralTotals::builtin(Country::USA, Country::MYS, None, 2030).unwrap_err();
    assert!(
        matches!(err, critical_minerals::Error::NoData { .. }) && err.to_string().contains("2030")
    );
    let err = BilateralTotals::builtin(Country::USA, Country::USA, None, 2023).unwrap_err();
    assert!(
        matches!(err, critical_minerals::Error::Inconsistent { .. }),
        "{err:?}"
    );
}
