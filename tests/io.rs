//! Data in and out: BACI and Comtrade loaders, CSV nodes/flows, GraphML, DOT.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use critical_minerals::data::{HsConcordance, HsEntry};
use critical_minerals::io::{
    self, DotOptions, FlowMeasure, NonIsoPolicy, SkipReason, TradeOptions, load_baci,
    load_baci_file, load_comtrade, load_comtrade_file,
};
use critical_minerals::{
    Confidence, Country, Error, Flow, Mineral, Node, NodeKey, Provenance, Source, Stage, Status,
    SupplyChain, Tonnes, Usd,
};
use proptest::prelude::*;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Every flow as (from key, to key, tonnes, value in USD, year), in id order.
type Row = (String, String, f64, Option<f64>, Option<i16>);

fn flows(chain: &SupplyChain) -> Vec<Row> {
    chain
        .flows()
        .map(|f| {
            (
                f.from_key.to_string(),
                f.to_key.to_string(),
                f.flow.tonnes.get(),
                f.flow.value.map(Usd::get),
                f.flow.year,
            )
        })
        .collect()
}

fn row(from: &str, to: &str, t: f64, v: Option<f64>, y: i16) -> Row {
    (from.to_string(), to.to_string(), t, v, Some(y))
}

fn skips(pairs: &[(SkipReason, u64)]) -> BTreeMap<SkipReason, u64> {
    pairs.iter().copied().collect()
}

/// A chain with one node and one flow already in it, to check that failed
/// loads leave it exactly as it was.
fn existing() -> SupplyChain {
    let mut c = SupplyChain::new();
    let a = c
        .add_node(Node::new(Country::AUS, Mineral::LITHIUM, Stage::Extraction))
        .unwrap();
    let b = c
        .add_node(Node::new(Country::CHN, Mineral::LITHIUM, Stage::Refining))
        .unwrap();
    c.add_flow(a, b, Flow::new(Tonnes::new(1.0).unwrap()))
        .unwrap();
    c
}

/// Runs a load that must fail on the [`existing`] chain, checks that the
/// failure left the chain exactly as it was, and returns the error.
#[track_caller]
fn fails_leaving_existing_unchanged<T>(
    load: impl FnOnce(&mut SupplyChain) -> critical_minerals::Result<T>,
) -> Error {
    let mut chain = existing();
    let before = chain.clone();
    let Err(err) = load(&mut chain) else {
        panic!("the load was expected to fail");
    };
    assert_eq!(chain, before);
    err
}

// ----- BACI --------------------------------------------------------------------

/// tests/data/baci_sample.csv, line by line (BACI codes: 36 AUS, 156 CHN,
/// 180 COD, 360 IDN, 392 JPN, 458 MYS, 490 "Other Asia" = S19, 842 USA;
/// values in thousand USD, quantities in tonnes):
///
/// 2  COD→CHN 260500 cobalt ore   20000 t  50000 k$   kept
/// 3  COD→CHN 260500 cobalt ore   10000 t  25000 k$   kept, same flow as 2
/// 4  CHN→JPN 282200 cobalt oxide 400.5 t   8000 k$   kept (refining → manufacturing)
/// 5  IDN→CHN 750110 nickel matte  5000 t  12000 k$   kept (processing → refining)
/// 6  CHN→USA 850511 magnets        150 t   3000 k$   kept (manufacturing → manufacturing)
/// 7  CHN→USA 811292 Ga/Ge metal     25 t    600 k$   kept, lumped: one flow per mineral
/// 8  S19→MYS 283691 Li carbonate    60 t    900 k$   kept (non-ISO code mapped)
/// 9  AUS→CHN 260500 quantity NA                      missing quantity
/// 10 "030110" (fish)                                 not in concordance
/// 11 exporter 999                                    unknown country
/// 12 value -5                                        invalid value
/// 13 five fields                                     wrong column count
/// 14 COD→CHN 260500 in 2021         40 t    100 k$   kept, its own flow (other year)
/// 15 CHN→CHN                                         self trade
///
/// 14 rows: 8 kept, 6 skipped. Flows in the order exporter, importer,
/// mineral, stage, year: CHN→JPN cobalt; CHN→USA gallium, germanium,
/// rare-earths; COD→CHN cobalt 2021, 2022; IDN→CHN nickel; S19→MYS lithium.
#[test]
fn baci_sample_builds_the_hand_worked_graph() {
    let mut chain = SupplyChain::new();
    let report = load_baci_file(&mut chain, data("baci_sample.csv"), &TradeOptions::new()).unwrap();
    assert_eq!(report.rows_read, 14);
    assert_eq!(report.rows_kept, 8);
    assert_eq!(report.rows_lumped, 1);
    assert_eq!(
        report.skipped,
        skips(&[
            (SkipReason::WrongColumnCount, 1),
            (SkipReason::NotInConcordance, 1),
            (SkipReason::UnknownCountry, 1),
            (SkipReason::SelfTrade, 1),
            (SkipReason::MissingQuantity, 1),
            (SkipReason::InvalidValue, 1),
        ])
    );
    assert_eq!(report.bad_rows(), 3);
    assert_eq!(report.rows_kept + report.skipped_total(), report.rows_read);
    assert_eq!(report.flows_added, 8);
    // Ends: COD ext, CHN proc, CHN ref, JPN man (cobalt); IDN proc, CHN ref
    // (nickel); CHN man, USA man (rare earths); CHN ref, USA man (gallium,
    // germanium each); S19 ref, MYS man (lithium) = 14.
    assert_eq!(report.nodes_added, 14);
    assert_eq!(chain.node_count(), 14);
    let k = 1000.0;
    assert_eq!(
        flows(&chain),
        vec![
            row(
                "CHN/cobalt/refining",
                "JPN/cobalt/manufacturing",
                400.5,
                Some(8000.0 * k),
                2022
            ),
            row(
                "CHN/gallium/refining",
                "USA/gallium/manufacturing",
                25.0,
                Some(600.0 * k),
                2022
            ),
            row(
                "CHN/germanium/refining",
                "USA/germanium/manufacturing",
                25.0,
                Some(600.0 * k),
                2022
            ),
            row(
                "CHN/rare-earths/manufacturing",
                "USA/rare-earths/manufacturing",
                150.0,
                Some(3000.0 * k),
                2022
            ),
            row(
                "COD/cobalt/extraction",
                "CHN/cobalt/processing",
                40.0,
                Some(100.0 * k),
                2021
            ),
            row(
                "COD/cobalt/extraction",
                "CHN/cobalt/processing",
                30_000.0,
                Some(75_000.0 * k),
                2022
            ),
            row(
                "IDN/nickel/processing",
                "CHN/nickel/refining",
                5000.0,
                Some(12_000.0 * k),
                2022
            ),
            row(
                "S19/lithium/refining",
                "MYS/lithium/manufacturing",
                60.0,
                Some(900.0 * k),
                2022
            ),
        ]
    );
    // The aggregated flow says what went into it.
    let f = chain.flows().nth(5).unwrap();
    assert_eq!(
        f.flow.provenance.note.as_deref(),
        Some("HS-6 260500; 2 rows")
    );
    assert_eq!(f.flow.provenance.citation.as_deref(), Some("CEPII BACI"));
    assert_eq!(f.flow.provenance.status, Status::Reported);
    assert_eq!(report.flow_ids.len(), 8);
    // The lumped code's flows say that their tonnes are not all theirs.
    let gallium = chain.flows().nth(1).unwrap();
    assert_eq!(
        gallium.flow.provenance.note.as_deref(),
        Some("HS-6 811292; 1 row; a code shared with other minerals: the tonnes cover all of them")
    );
}

#[test]
fn baci_report_prints_as_a_table() {
    let mut chain = SupplyChain::new();
    let report = load_baci_file(&mut chain, data("baci_sample.csv"), &TradeOptions::new()).unwrap();
    let text = report.to_string();
    assert!(text.contains("rows read"), "{text}");
    assert!(text.contains("  missing quantity"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("flows added") && l.ends_with(" 8")),
        "{text}"
    );
}

#[test]
fn baci_strict_names_file_line_and_column_and_changes_nothing() {
    let err = fails_leaving_existing_unchanged(|chain| {
        load_baci_file(
            chain,
            data("baci_sample.csv"),
            &TradeOptions::new().strict(true),
        )
    });
    // The first bad row is line 11: exporter code 999, column 2 (i).
    match &err {
        Error::Parse {
            file,
            line,
            column,
            message,
        } => {
            assert!(file.as_ref().unwrap().ends_with("baci_sample.csv"));
            assert_eq!((*line, *column), (11, Some(2)));
            assert!(message.contains("999"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn baci_non_iso_policy() {
    // Skip: line 8 (S19) is counted and its flow is gone: 7 flows.
    let mut chain = SupplyChain::new();
    let opts = TradeOptions::new().non_iso(NonIsoPolicy::Skip);
    let report = load_baci_file(&mut chain, data("baci_sample.csv"), &opts).unwrap();
    assert_eq!(report.skipped(SkipReason::NonIsoCountry), 1);
    assert_eq!((report.rows_kept, report.flows_added), (7, 7));
    assert!(chain.countries().iter().all(Country::is_iso));
    // Error: fails at line 8, column 2, even without strict.
    let opts = TradeOptions::new().non_iso(NonIsoPolicy::Error);
    let err = fails_leaving_existing_unchanged(|chain| {
        load_baci_file(chain, data("baci_sample.csv"), &opts)
    });
    assert!(
        matches!(
            err,
            Error::Parse {
                line: 8,
                column: Some(2),
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn baci_year_filter_applies_after_the_product_filter() {
    // Keeping 2021 only: line 14 is kept; lines 10 (not in concordance) and
    // 13 (wrong column count) fail before the year is looked at; the other
    // eleven rows are 2022 rows in the concordance.
    let mut chain = SupplyChain::new();
    let report = load_baci_file(
        &mut chain,
        data("baci_sample.csv"),
        &TradeOptions::new().year(2021),
    )
    .unwrap();
    assert_eq!(report.rows_kept, 1);
    assert_eq!(
        report.skipped,
        skips(&[
            (SkipReason::WrongColumnCount, 1),
            (SkipReason::NotInConcordance, 1),
            (SkipReason::YearNotSelected, 11),
        ])
    );
    assert_eq!(
        flows(&chain),
        vec![row(
            "COD/cobalt/extraction",
            "CHN/cobalt/processing",
            40.0,
            Some(100_000.0),
            2021
        )]
    );
}

#[test]
fn baci_mineral_filter() {
    // Cobalt only: lines 5-8 (nickel, rare earths, Ga/Ge, lithium) are
    // products of other minerals; 2, 3, 4, 14 are kept; the bad rows stay bad.
    let mut chain = SupplyChain::new();
    let opts = TradeOptions::new().mineral(Mineral::COBALT);
    let report = load_baci_file(&mut chain, data("baci_sample.csv"), &opts).unwrap();
    assert_eq!(report.rows_kept, 4);
    assert_eq!(report.skipped(SkipReason::MineralNotSelected), 4);
    assert_eq!(report.flows_added, 3);
    assert_eq!(
        chain.minerals().into_iter().collect::<Vec<_>>(),
        vec![Mineral::COBALT]
    );
}

#[test]
fn baci_value_measure_keeps_rows_without_quantity_as_withheld() {
    // Line 9 (AUS→CHN cobalt ore, 1500 k$, quantity NA) is kept: 0 known
    // tonnes, US$1.5 million, marked withheld. Everything else as by default.
    let mut chain = SupplyChain::new();
    let opts = TradeOptions::new().measure(FlowMeasure::Value);
    let report = load_baci_file(&mut chain, data("baci_sample.csv"), &opts).unwrap();
    assert_eq!((report.rows_kept, report.rows_without_quantity), (9, 1));
    assert_eq!(report.skipped(SkipReason::MissingQuantity), 0);
    assert_eq!(report.flows_added, 9);
    let f = chain
        .flows_between(Country::AUS, Country::CHN)
        .next()
        .unwrap();
    assert_eq!(f.tonnes().get(), 0.0);
    assert_eq!(f.flow.value.map(Usd::get), Some(1_500_000.0));
    assert_eq!(f.flow.provenance.status, Status::Withheld);
    assert!(
        f.flow
            .provenance
            .note
            .as_deref()
            .unwrap()
            .contains("lower bound")
    );
}

#[test]
fn baci_receiving_stages_and_routes_with_a_caller_concordance() {
    // A caller's concordance: copper ore (extraction) and copper scrap
    // (recycling). Ore goes to the importer's processing by default, to its
    // refining with a route; scrap goes recycling → recycling.
    let hs = HsConcordance::from_entries([
        HsEntry::new(260300, Mineral::COPPER, Stage::Extraction, "Copper ores").unwrap(),
        HsEntry::new(
            740400,
            Mineral::COPPER,
            Stage::Recycling,
            "Copper waste and scrap",
        )
        .unwrap(),
    ])
    .unwrap();
    // CHL (152) ore to CHN, 100 t; USA (842) scrap to MYS, 7 t; and a cobalt
    // ore row that this concordance does not know.
    let baci = "t,i,j,k,v,q\n2023,152,156,260300,1,100\n2023,842,458,740400,1,7\n2023,180,156,260500,1,1\n";
    let mut chain = SupplyChain::new();
    let opts = TradeOptions::new().concordance(hs.clone());
    let report = load_baci(&mut chain, baci.as_bytes(), &opts).unwrap();
    assert_eq!(report.skipped(SkipReason::NotInConcordance), 1);
    assert_eq!(
        flows(&chain),
        vec![
            row(
                "CHL/copper/extraction",
                "CHN/copper/processing",
                100.0,
                Some(1000.0),
                2023
            ),
            row(
                "USA/copper/recycling",
                "MYS/copper/recycling",
                7.0,
                Some(1000.0),
                2023
            ),
        ]
    );
    let mut chain = SupplyChain::new();
    let opts = TradeOptions::new()
        .concordance(hs.clone())
        .route(Stage::Extraction, Stage::Refining);
    load_baci(&mut chain, baci.as_bytes(), &opts).unwrap();
    assert_eq!(flows(&chain)[0].1, "CHN/copper/refining");
    // A route the value chain forbids fails before reading, changing nothing.
    let opts = TradeOptions::new()
        .concordance(hs)
        .route(Stage::Refining, Stage::Extraction);
    let err = fails_leaving_existing_unchanged(|chain| load_baci(chain, baci.as_bytes(), &opts));
    assert!(matches!(err, Error::InvalidTransition { .. }), "{err}");
}

#[test]
fn baci_source_must_be_registered() {
    let baci = "t,i,j,k,v,q\n2022,180,156,260500,1,1\n";
    let mut chain = SupplyChain::new();
    let opts = TradeOptions::new().source("baci_2022");
    assert!(matches!(
        load_baci(&mut chain, baci.as_bytes(), &opts),
        Err(Error::UnknownSource { .. })
    ));
    chain
        .add_source(Source::new("baci_2022", "CEPII", "BACI HS17 V202401").unwrap())
        .unwrap();
    load_baci(&mut chain, baci.as_bytes(), &opts).unwrap();
    let f = chain.flows().next().unwrap();
    assert_eq!(f.flow.provenance.sources, vec!["baci_2022".to_string()]);
}

#[test]
fn baci_header_errors() {
    let mut chain = SupplyChain::new();
    let err = load_baci(
        &mut chain,
        "t,i,j,k,v\n2022,1,2,3,4\n".as_bytes(),
        &TradeOptions::new(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("missing column \"q\""), "{err}");
    let err = load_baci(&mut chain, "".as_bytes(), &TradeOptions::new()).unwrap_err();
    assert!(matches!(err, Error::Parse { line: 1, .. }), "{err}");
    let err =
        load_baci_file(&mut chain, data("no_such_file.csv"), &TradeOptions::new()).unwrap_err();
    assert!(
        matches!(&err, Error::Io { path, .. } if path.ends_with("no_such_file.csv")),
        "{err}"
    );
}

#[test]
fn baci_accepts_crlf_bom_padding_quotes_and_column_order() {
    // BACI's padded quantities, a BOM, Windows line ends, quoted codes, a
    // reordered header and a file without a final newline: AUS→CHN cobalt
    // ore 12 t (6 + 6), 3 k$ (1 + 2).
    let text = "\u{feff}k,t,i,j,q,v\r\n\"260500\",2022,36,156,\"     6.000\",1\r\n260500,2022,36,156,6,  2";
    let mut chain = SupplyChain::new();
    let report = load_baci(&mut chain, text.as_bytes(), &TradeOptions::new()).unwrap();
    assert_eq!((report.rows_read, report.rows_kept), (2, 2));
    assert_eq!(
        flows(&chain),
        vec![row(
            "AUS/cobalt/extraction",
            "CHN/cobalt/processing",
            12.0,
            Some(3000.0),
            2022
        )]
    );
}

/// A reader that hands out at most `n` bytes per call, to move block and
/// line boundaries around.
struct Trickle<'a> {
    data: &'a [u8],
    n: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.n.min(buf.len()).min(self.data.len());
        buf[..k].copy_from_slice(&self.data[..k]);
        self.data = &self.data[k..];
        Ok(k)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// However the input is cut into reads, the result is the same as
    /// reading it whole.
    #[test]
    fn baci_result_does_not_depend_on_read_sizes(n in 1usize..64) {
        let text = std::fs::read(data("baci_sample.csv")).unwrap();
        let mut whole = SupplyChain::new();
        let a = load_baci(&mut whole, text.as_slice(), &TradeOptions::new()).unwrap();
        let mut cut = SupplyChain::new();
        let b = load_baci(&mut cut, Trickle { data: &text, n }, &TradeOptions::new()).unwrap();
        prop_assert_eq!(a, b);
        prop_assert_eq!(whole, cut);
    }
}

#[test]
fn baci_lines_longer_than_a_block_and_many_blocks() {
    // 60,000 rows of ~30 bytes (~1.8 MB: more than one 1 MiB block), every
    // 1000th a cobalt-ore row of 2 t from AUS to CHN: 60 rows, 120 t; one
    // row padded past the block size is a wrong column count only if it
    // has more fields, so pad inside a field.
    let mut text = String::from("t,i,j,k,v,q\n");
    for r in 0..60_000 {
        if r % 1000 == 0 {
            text.push_str("2022,36,156,260500,1,2\n");
        } else {
            text.push_str("2022,36,156,999999,1,1\n");
        }
    }
    text.push_str(&format!("2022,36,156,260500,1,{}2\n", " ".repeat(1 << 21)));
    let mut chain = SupplyChain::new();
    let report = load_baci(&mut chain, text.as_bytes(), &TradeOptions::new()).unwrap();
    assert_eq!(report.rows_read, 60_001);
    assert_eq!(report.rows_kept, 61);
    assert_eq!(chain.total_flow().get(), 122.0);
}

#[test]
fn baci_strict_error_lines_are_file_lines_in_big_blocks() {
    // 20,000 rows of 24 bytes (480 kB, parsed in two halves): a bad
    // exporter code on line 15,002 (row 15,001 after the header) is in the
    // second half; with another bad row on line 3, that one is reported.
    let mut text = String::from("t,i,j,k,v,q\n");
    for r in 1..=20_000 {
        if r == 15_001 {
            text.push_str("2022,999,156,260500,1,1\n");
        } else {
            text.push_str("2022,36,156,999999,1,1\n");
        }
    }
    let strict = TradeOptions::new().strict(true);
    let err = load_baci(&mut SupplyChain::new(), text.as_bytes(), &strict).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Parse {
                line: 15_002,
                column: Some(2),
                ..
            }
        ),
        "{err}"
    );
    let text = text.replacen(
        "2022,36,156,999999,1,1\n2022,36,156,999999,1,1\n",
        "2022,36,156,999999,1,1\n2022,999,156,260500,1,1\n",
        1,
    );
    let err = load_baci(&mut SupplyChain::new(), text.as_bytes(), &strict).unwrap_err();
    assert!(matches!(err, Error::Parse { line: 3, .. }), "{err}");
    // Not strict: both bad rows counted, every row read.
    let report = load_baci(
        &mut SupplyChain::new(),
        text.as_bytes(),
        &TradeOptions::new(),
    )
    .unwrap();
    assert_eq!(
        (report.rows_read, report.skipped(SkipReason::UnknownCountry)),
        (20_000, 2)
    );
}

// ----- Comtrade ----------------------------------------------------------------

/// tests/data/comtrade_sample.csv, line by line (netWgt kg → t; values USD):
///
/// 2  USA imports 811292 from CHN, 5 t, $1.2M      kept, lumped: gallium + germanium
/// 3  USA imports 850511 from CHN, 2000 t, $50M    kept (manufacturing → manufacturing)
/// 4  the same by sea (motCode 2100)                breakdown
/// 5  CHN exports 850511 to USA                     export (mirrored: covered by line 3)
/// 6  MYS exports 280530 to JPN, 300 t, $9M         export (mirrored: used, no import row)
/// 7  USA imports from World (0)                    aggregate partner
/// 8  JPN imports 810520 from COD, netWgt empty     missing quantity
/// 9  partner 999                                   unknown country
/// 10 value -100                                    invalid value
/// 11 13 fields                                     wrong column count
/// 12 cmdCode 2605 (a heading)                      not in concordance
/// 13 flowCode RX                                   other flow code
/// 14 CHN imports 260500 from COD, 10000 t, $30M    kept (extraction → processing)
/// 15 KOR imports 250410 from CHN, 1000 t, $1.5M    kept
/// 16 KOR imports 250490 from CHN, 200 t, $0.3M     kept, same flow as 15 (both graphite ore)
#[test]
fn comtrade_sample_builds_the_hand_worked_graph() {
    let mut chain = SupplyChain::new();
    let report = load_comtrade_file(
        &mut chain,
        data("comtrade_sample.csv"),
        &TradeOptions::new(),
    )
    .unwrap();
    assert_eq!(
        (report.rows_read, report.rows_kept, report.rows_lumped),
        (15, 5, 1)
    );
    assert_eq!(
        report.skipped,
        skips(&[
            (SkipReason::WrongColumnCount, 1),
            (SkipReason::NotInConcordance, 1),
            (SkipReason::UnknownCountry, 1),
            (SkipReason::AggregatePartner, 1),
            (SkipReason::MissingQuantity, 1),
            (SkipReason::InvalidValue, 1),
            (SkipReason::OtherFlowCode, 1),
            (SkipReason::Breakdown, 1),
            (SkipReason::ExportNotMirrored, 2),
        ])
    );
    assert_eq!((report.flows_added, report.nodes_added), (5, 10));
    assert_eq!(
        flows(&chain),
        vec![
            row(
                "CHN/graphite/extraction",
                "KOR/graphite/processing",
                1200.0,
                Some(1_800_000.0),
                2023
            ),
            row(
                "CHN/gallium/refining",
                "USA/gallium/manufacturing",
                5.0,
                Some(1_200_000.0),
                2023
            ),
            row(
                "CHN/germanium/refining",
                "USA/germanium/manufacturing",
                5.0,
                Some(1_200_000.0),
                2023
            ),
            row(
                "CHN/rare-earths/manufacturing",
                "USA/rare-earths/manufacturing",
                2000.0,
                Some(50_000_000.0),
                2023
            ),
            row(
                "COD/cobalt/extraction",
                "CHN/cobalt/processing",
                10_000.0,
                Some(30_000_000.0),
                2023
            ),
        ]
    );
    let graphite = chain.flows().next().unwrap();
    assert_eq!(
        graphite.flow.provenance.note.as_deref(),
        Some("HS-6 250410, 250490; 2 rows")
    );
    assert_eq!(
        graphite.flow.provenance.citation.as_deref(),
        Some("UN Comtrade")
    );
}

#[test]
fn comtrade_mirror_fills_only_the_gaps() {
    // Line 5 (CHN's export to USA) is covered by USA's import (line 3);
    // line 6 (MYS → JPN) has no import row and becomes a sixth flow.
    let mut chain = SupplyChain::new();
    let opts = TradeOptions::new().mirror_exports(true);
    let report = load_comtrade_file(&mut chain, data("comtrade_sample.csv"), &opts).unwrap();
    assert_eq!(report.rows_kept, 6);
    assert_eq!(report.skipped(SkipReason::ExportCoveredByImport), 1);
    assert_eq!(report.skipped(SkipReason::ExportNotMirrored), 0);
    assert_eq!(report.rows_kept + report.skipped_total(), report.rows_read);
    assert_eq!(report.flows_added, 6);
    assert_eq!(
        flows(&chain).last().unwrap(),
        &row(
            "MYS/rare-earths/refining",
            "JPN/rare-earths/manufacturing",
            300.0,
            Some(9_000_000.0),
            2023
        )
    );
    // The USA magnet flow is USA's figure (2000 t), not CHN's (2100 t).
    let magnets = chain
        .flows_between(Country::CHN, Country::USA)
        .find(|f| f.from_key.mineral == Mineral::RARE_EARTHS)
        .unwrap();
    assert_eq!(magnets.tonnes().get(), 2000.0);
}

#[test]
fn comtrade_strict_fails_at_the_first_bad_row() {
    let err = fails_leaving_existing_unchanged(|chain| {
        load_comtrade_file(
            chain,
            data("comtrade_sample.csv"),
            &TradeOptions::new().strict(true),
        )
    });
    // Line 9: partner code 999 in column 6 (partnerCode).
    assert!(
        matches!(
            err,
            Error::Parse {
                line: 9,
                column: Some(6),
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("comtrade_sample.csv"), "{err}");
}

/// A bulk-style tab-separated extract naming countries by ISO code:
/// JPN imports 120 t (120,000 kg) of cobalt oxide from BEL.
const TAB_EXTRACT: &str = "refYear\treporterISO\tpartnerISO\tflowCode\tcmdCode\tnetWgt\tprimaryValue\n\
     2022\tJPN\tBEL\tM\t282200\t120000\t3000000\n";

/// The one flow of [`TAB_EXTRACT`]: oxide (HS 282200) is a refining
/// product, so it is received by manufacturing; US$3,000,000 as given.
fn tab_extract_flows() -> Vec<Row> {
    vec![row(
        "BEL/cobalt/refining",
        "JPN/cobalt/manufacturing",
        120.0,
        Some(3_000_000.0),
        2022,
    )]
}

#[test]
fn comtrade_tab_separated_with_iso_columns_only() {
    let mut chain = SupplyChain::new();
    let report = load_comtrade(&mut chain, TAB_EXTRACT.as_bytes(), &TradeOptions::new()).unwrap();
    assert_eq!(report.rows_kept, 1);
    assert_eq!(flows(&chain), tab_extract_flows());
    let err = load_comtrade(
        &mut chain,
        "refYear,flowCode\n".as_bytes(),
        &TradeOptions::new(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("missing column"), "{err}");
}

#[test]
fn comtrade_tab_separated_read_one_byte_at_a_time() {
    // The tab-separated extract handed out one byte per read: the header's
    // tabs must still be seen, so the result is the one from a slice.
    let mut whole = SupplyChain::new();
    let a = load_comtrade(&mut whole, TAB_EXTRACT.as_bytes(), &TradeOptions::new()).unwrap();
    let mut cut = SupplyChain::new();
    let trickle = Trickle {
        data: TAB_EXTRACT.as_bytes(),
        n: 1,
    };
    let b = load_comtrade(&mut cut, trickle, &TradeOptions::new()).unwrap();
    assert_eq!(b.rows_kept, 1);
    assert_eq!(flows(&cut), tab_extract_flows());
    assert_eq!(a, b);
    assert_eq!(whole, cut);
}

// ----- CSV nodes and flows -----------------------------------------------------

#[test]
fn csv_fixtures_build_the_expected_chain() {
    // nodes.csv: AUS extraction (output 13000), MY = MYS refining (capacity
    // 12000, estimated), Japan = JPN and USA manufacturing. flows.csv adds
    // CHN refining and MYS manufacturing as new end nodes: 6 nodes, 5 flows,
    // 20,000 t in all (10000 + 3000 + 1500 + 5000 + 500).
    let mut chain = SupplyChain::new();
    let nodes = io::read_nodes_csv_file(&mut chain, data("nodes.csv")).unwrap();
    assert_eq!(nodes.len(), 4);
    let mys = NodeKey::new(Country::MYS, Mineral::RARE_EARTHS, Stage::Refining);
    let (_, n) = chain.node_by_key(&mys).unwrap();
    assert_eq!(n.capacity, Some(Tonnes::new(12_000.0).unwrap()));
    assert_eq!(n.output, None);
    assert_eq!(n.provenance.status, Status::Estimated);
    assert_eq!(n.provenance.note.as_deref(), Some("capacity, not output"));
    let ids = io::read_flows_csv_file(&mut chain, data("flows.csv")).unwrap();
    assert_eq!(ids.len(), 5);
    assert_eq!((chain.node_count(), chain.flow_count()), (6, 5));
    assert_eq!(chain.total_flow().get(), 20_000.0);
    let domestic: Vec<_> = chain.flows_between(Country::MYS, Country::MYS).collect();
    assert_eq!(domestic.len(), 1);
    assert_eq!(domestic[0].to_key.stage, Stage::Manufacturing);
    let usa = chain
        .flows_between(Country::MYS, Country::USA)
        .next()
        .unwrap();
    assert_eq!(usa.flow.value.map(Usd::get), Some(45_000_000.0));
}

#[test]
fn csv_errors_name_file_line_and_column_and_change_nothing() {
    let dir = std::env::temp_dir().join(format!("cm-io-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: [(&str, &str, u64, Option<u64>); 6] = [
        // Negative tonnes on line 3, column 6.
        (
            "from_country,from_stage,to_country,to_stage,mineral,tonnes\nAUS,extraction,CHN,refining,lithium,5\nAUS,extraction,CHN,refining,lithium,-5\n",
            "flows",
            3,
            Some(6),
        ),
        // Refining → extraction: invalid transition, blamed on to_stage (column 4).
        (
            "from_country,from_stage,to_country,to_stage,mineral,tonnes\nCHN,refining,AUS,extraction,lithium,5\n",
            "flows",
            2,
            Some(4),
        ),
        // Unknown column in the header.
        (
            "from_country,from_stage,to_country,to_stage,mineral,tonnes,ouptut\n",
            "flows",
            1,
            Some(7),
        ),
        // Missing required column.
        ("country,mineral\nAUS,lithium\n", "nodes", 1, None),
        // A node twice in the file, the second on line 3.
        (
            "country,mineral,stage\nAUS,cobalt,mining\nAU,cobalt,extraction\n",
            "nodes",
            3,
            Some(1),
        ),
        // Wrong field count on line 2.
        ("country,mineral,stage\nAUS,lithium\n", "nodes", 2, None),
    ];
    for (i, (text, kind, line, column)) in cases.into_iter().enumerate() {
        let path = dir.join(format!("case{i}.csv"));
        std::fs::write(&path, text).unwrap();
        let mut chain = existing();
        let before = chain.clone();
        let err = if kind == "flows" {
            io::read_flows_csv_file(&mut chain, &path).map(|_| ())
        } else {
            io::read_nodes_csv_file(&mut chain, &path).map(|_| ())
        }
        .unwrap_err();
        match &err {
            Error::Parse {
                file,
                line: l,
                column: c,
                ..
            } => {
                assert_eq!(file.as_deref(), Some(path.as_path()), "case {i}: {err}");
                assert_eq!((*l, *c), (line, column), "case {i}: {err}");
            }
            other => panic!("case {i}: unexpected {other:?}"),
        }
        assert_eq!(chain, before, "case {i}");
    }
    // A node already in the chain is refused, naming it.
    let mut chain = existing();
    let err = io::read_nodes_csv(
        &mut chain,
        "country,mineral,stage\nAUS,lithium,extraction\n".as_bytes(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("already in the chain"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A strategy for small valid chains: nodes with unique keys over 4
/// countries × 2 minerals × 6 stages, and flows between nodes of one
/// mineral whose stages may follow each other, with random figures and
/// provenance (including text that needs CSV quoting).
fn chains() -> impl Strategy<Value = SupplyChain> {
    let countries = [Country::AUS, Country::CHN, Country::MYS, Country::USA];
    let minerals = [Mineral::LITHIUM, Mineral::RARE_EARTHS];
    let tonnes = prop_oneof![
        (0.0f64..1e9),
        Just(0.0),
        Just(0.1 + 0.2),
        Just(1e-300),
        Just(f64::MAX),
    ];
    let text = proptest::option::of("[ -~\n]{1,12}");
    let prov = (
        0usize..4,
        proptest::option::of(0usize..4),
        any::<bool>(),
        text.clone(),
        text,
    )
        .prop_map(|(s, c, src, citation, note)| {
            let status = [
                Status::Reported,
                Status::Estimated,
                Status::Withheld,
                Status::Modeled,
            ][s];
            let confidence = c.map(|c| {
                [
                    Confidence::A,
                    Confidence::ATranscribed,
                    Confidence::B,
                    Confidence::C,
                ][c]
            });
            Provenance {
                sources: if src {
                    vec!["src-1".to_string()]
                } else {
                    vec![]
                },
                status,
                confidence,
                citation,
                note,
            }
        });
    let node = (
        0usize..4,
        0usize..2,
        0usize..6,
        proptest::option::of(tonnes.clone()),
        proptest::option::of(tonnes.clone()),
        prov.clone(),
    );
    let flow = (
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        tonnes.clone(),
        proptest::option::of(tonnes),
        proptest::option::of(any::<i16>()),
        prov,
    );
    (
        proptest::collection::vec(node, 0..12),
        proptest::collection::vec(flow, 0..20),
    )
        .prop_map(move |(nodes, flows)| {
            let mut chain = SupplyChain::new();
            chain
                .add_source(Source::new("src-1", "Test", "Test source").unwrap())
                .unwrap();
            for (c, m, s, output, capacity, p) in nodes {
                let mut n =
                    Node::new(countries[c], minerals[m].clone(), Stage::ALL[s]).provenance(p);
                n.output = output.map(|t| Tonnes::new(t).unwrap());
                n.capacity = capacity.map(|t| Tonnes::new(t).unwrap());
                let _ = chain.add_node(n); // duplicates are simply not added
            }
            let ids: Vec<_> = chain.nodes().map(|(id, _)| id).collect();
            if ids.is_empty() {
                return chain;
            }
            for (a, b, t, v, y, p) in flows {
                let mut f = Flow::new(Tonnes::new(t).unwrap()).provenance(p);
                f.value = v.map(|v| Usd::new(v).unwrap());
                f.year = y;
                // Invalid pairs (other mineral, backward stage) are refused
                // by the chain and simply not added.
                let _ = chain.add_flow(ids[a.index(ids.len())], ids[b.index(ids.len())], f);
            }
            chain
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Writing nodes and flows as CSV and reading them into a chain with the
    /// same sources gives the same chain.
    #[test]
    fn csv_round_trip_is_identity(chain in chains()) {
        let mut nodes = Vec::new();
        let mut flows = Vec::new();
        io::write_nodes_csv(&chain, &mut nodes).unwrap();
        io::write_flows_csv(&chain, &mut flows).unwrap();
        let mut back = SupplyChain::new();
        back.add_source(Source::new("src-1", "Test", "Test source").unwrap()).unwrap();
        io::read_nodes_csv(&mut back, nodes.as_slice()).unwrap();
        io::read_flows_csv(&mut back, flows.as_slice()).unwrap();
        prop_assert_eq!(back, chain);
    }
}

// ----- GraphML and DOT ---------------------------------------------------------

/// The chain of tests/data/nodes.csv and flows.csv, which the exports read.
fn fixture_chain() -> SupplyChain {
    let mut chain = SupplyChain::new();
    io::read_nodes_csv_file(&mut chain, data("nodes.csv")).unwrap();
    io::read_flows_csv_file(&mut chain, data("flows.csv")).unwrap();
    chain
}

#[test]
fn graphml_is_well_formed_and_carries_the_attributes() {
    use quick_xml::Reader;
    use quick_xml::XmlVersion;
    use quick_xml::events::Event;

    let chain = fixture_chain();
    let mut out = Vec::new();
    io::write_graphml(&chain, &mut out).unwrap();

    // Parse with a real XML parser, checking that every tag closes, and
    // collect node ids, edges and each element's data by key.
    let mut reader = Reader::from_reader(out.as_slice());
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut keys = Vec::new();
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    let mut current_key: Option<String> = None;
    let mut data_of: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut element = String::new();
    loop {
        match reader.read_event_into(&mut buf).unwrap() {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name).unwrap().map(|a| {
                        a.normalized_value(XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned()
                    })
                };
                match e.name().as_ref() {
                    b"key" => keys.push(attr("attr.name").unwrap()),
                    b"node" => {
                        element = attr("id").unwrap();
                        nodes.push(element.clone());
                    }
                    b"edge" => {
                        element = attr("id").unwrap();
                        edges.push((
                            element.clone(),
                            attr("source").unwrap(),
                            attr("target").unwrap(),
                        ));
                    }
                    b"data" => current_key = attr("key"),
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some(k) = current_key.take() {
                    data_of.insert((element.clone(), k), t.decode().unwrap().into_owned());
                }
            }
            _ => {}
        }
        buf.clear();
    }
    for name in [
        "country",
        "mineral",
        "stage",
        "output",
        "capacity",
        "tonnes",
        "value_usd",
        "year",
        "status",
    ] {
        assert!(keys.iter().any(|k| k == name), "missing key {name}");
    }
    // 6 nodes, 5 edges (see csv_fixtures_build_the_expected_chain).
    assert_eq!(nodes.len(), 6);
    assert_eq!(edges.len(), 5);
    // n0 is AUS extraction with output 13000; f0 is AUS → MYS, 10000 t, 2024.
    let get = |el: &str, key: &str| data_of.get(&(el.to_string(), key.to_string())).cloned();
    assert_eq!(get("n0", "n_country").as_deref(), Some("AUS"));
    assert_eq!(get("n0", "n_output").as_deref(), Some("13000"));
    assert_eq!(get("n0", "n_capacity"), None);
    assert_eq!(
        edges[0],
        ("f0".to_string(), "n0".to_string(), "n1".to_string())
    );
    assert_eq!(get("f0", "e_tonnes").as_deref(), Some("10000"));
    assert_eq!(get("f0", "e_year").as_deref(), Some("2024"));
    assert_eq!(get("f2", "e_value").as_deref(), Some("45000000"));
    assert_eq!(get("f0", "e_status").as_deref(), Some("reported"));
}

#[test]
fn dot_ranks_stages_and_labels_tonnes() {
    let chain = fixture_chain();
    let mut out = Vec::new();
    let opts = DotOptions::new().title("Rare earths \"2024\" \\ test");
    io::write_dot(&chain, &mut out, &opts).unwrap();
    let dot = String::from_utf8(out).unwrap();
    // Stages present: extraction (AUS), refining (MYS, CHN), manufacturing
    // (JPN, USA, MYS): three rank groups, in chain order.
    assert_eq!(dot.matches("rank=same").count(), 3);
    let ext = dot.find("subgraph stage_extraction").unwrap();
    let refi = dot.find("subgraph stage_refining").unwrap();
    let man = dot.find("subgraph stage_manufacturing").unwrap();
    assert!(ext < refi && refi < man);
    // The largest flow (10,000 t) gets the full width 8; 5,000 t gets
    // 1 + 7 × 0.5 = 4.5; the domestic MYS flow is dashed.
    assert!(
        dot.contains(r#"n0 -> n1 [label="10,000 t", penwidth=8];"#),
        "{dot}"
    );
    assert!(dot.contains(r#"[label="5,000 t", penwidth=4.5];"#), "{dot}");
    assert!(
        dot.contains(r#"[label="500 t", penwidth=1.35, style=dashed];"#),
        "{dot}"
    );
    assert!(
        dot.contains(r#"label="Rare earths \"2024\" \\ test""#),
        "{dot}"
    );
    assert!(dot.trim_end().ends_with('}'));
}

#[test]
fn exports_to_files_name_the_file_on_error() {
    let chain = existing();
    let missing_dir = std::env::temp_dir().join("cm-io-no-such-dir/x/y.graphml");
    let err = io::write_graphml_file(&chain, &missing_dir).unwrap_err();
    assert!(
        matches!(&err, Error::Io { path, .. } if path == &missing_dir),
        "{err}"
    );
    let err = io::write_dot_file(&chain, &missing_dir, &DotOptions::new()).unwrap_err();
    assert!(
        matches!(&err, Error::Io { path, .. } if path == &missing_dir),
        "{err}"
    );
}
