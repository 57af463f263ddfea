//! A catalogue of bad input (issue 10): for every loader and every mutating
//! call, input an attacker or a careless user would give. Each case asserts
//! the error variant, that the message names the value and where it is,
//! and that the chain is unchanged (`to_json()` before and after). None may
//! panic. Then one regression test per reported defect.

use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use critical_minerals::analysis::{Concentration, ConcentrationOptions};
use critical_minerals::data::HsConcordance;
use critical_minerals::flow::{Adjacency, FlowNetwork, MAX_NODES, NetEdge, UndirectedGraph};
use critical_minerals::io::{
    TradeOptions, load_baci, load_comtrade, read_flows_csv, read_nodes_csv,
};
use critical_minerals::{
    Agreement, AgreementKind, Country, Error, ExportRestriction, Flow, Mineral, Node, NodeId,
    NodeKey, RestrictionKind, Source, Stage, SupplyChain, Tonnes,
};

use crate::peer::PeerGraph;

// ----- helpers -----------------------------------------------------------------

fn nid(i: u32) -> NodeId {
    petgraph::stable_graph::NodeIndex::<u32>::new(i as usize).into()
}

fn fid(i: u32) -> critical_minerals::FlowId {
    petgraph::stable_graph::EdgeIndex::<u32>::new(i as usize).into()
}

/// A small chain every mutation is tried on.
fn existing() -> SupplyChain {
    let mut c = SupplyChain::new();
    let ree = Mineral::RARE_EARTHS;
    let a = c
        .add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction))
        .unwrap();
    let b = c
        .add_node(Node::new(Country::MYS, ree.clone(), Stage::Refining))
        .unwrap();
    c.add_node(Node::new(Country::CHN, Mineral::COBALT, Stage::Refining))
        .unwrap();
    c.add_flow(a, b, Flow::new(Tonnes::new(10.0).unwrap()))
        .unwrap();
    c.add_source(Source::new("usgs", "USGS", "MCS 2025").unwrap())
        .unwrap();
    c
}

/// Runs a mutation on [`existing`]; it must fail, leave the chain's JSON
/// unchanged, and its message must hold every needle.
fn refused<T: std::fmt::Debug>(
    f: impl FnOnce(&mut SupplyChain) -> critical_minerals::Result<T>,
    variant: fn(&Error) -> bool,
    needles: &[&str],
) -> Error {
    let mut chain = existing();
    let before = chain.to_json();
    let err = match f(&mut chain) {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e,
    };
    assert_eq!(chain.to_json(), before, "a failed call changed the chain");
    assert!(variant(&err), "wrong variant: {err:?}");
    let msg = err.to_string();
    for n in needles {
        assert!(msg.contains(n), "{msg:?} does not name {n:?}");
    }
    assert!(msg.len() < 2_000, "unbounded message: {} bytes", msg.len());
    err
}

fn parse(e: &Error) -> bool {
    matches!(e, Error::Parse { .. })
}
fn io(e: &Error) -> bool {
    matches!(e, Error::Io { .. })
}
fn too_large(e: &Error) -> bool {
    matches!(e, Error::TooLarge { .. })
        || matches!(e, Error::Invalid { source, .. } if matches!(**source, Error::TooLarge { .. }))
}
fn invalid(e: &Error) -> bool {
    matches!(e, Error::Invalid { .. })
}
fn schema(e: &Error) -> bool {
    matches!(e, Error::SchemaVersion { .. })
}
fn inconsistent(e: &Error) -> bool {
    matches!(e, Error::Inconsistent { .. })
}

/// A reader that hands out at most `n` bytes per read.
pub struct Chunked<'a> {
    pub data: &'a [u8],
    pub n: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.n.min(buf.len()).min(self.data.len());
        buf[..k].copy_from_slice(&self.data[..k]);
        self.data = &self.data[k..];
        Ok(k)
    }
}

/// A reader that hands out `data`, interrupted before every read, then
/// (when `fail`) fails.
struct Flaky<'a> {
    data: &'a [u8],
    interrupt: bool,
    fail: bool,
}

impl Read for Flaky<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.interrupt = !self.interrupt;
        if self.interrupt {
            return Err(std::io::Error::new(ErrorKind::Interrupted, "signal"));
        }
        if self.data.is_empty() && self.fail {
            return Err(std::io::Error::other("disk on fire"));
        }
        let k = buf.len().min(self.data.len()).min(7);
        buf[..k].copy_from_slice(&self.data[..k]);
        self.data = &self.data[k..];
        Ok(k)
    }
}

fn failing(data: &[u8]) -> Flaky<'_> {
    Flaky {
        data,
        interrupt: false,
        fail: true,
    }
}

fn interrupted(data: &[u8]) -> Flaky<'_> {
    Flaky {
        data,
        interrupt: false,
        fail: false,
    }
}

/// An endless line of `a`s (2^40 bytes), never held in memory whole.
fn endless(prefix: &'static [u8]) -> impl Read {
    prefix.chain(std::io::repeat(b'a').take(1 << 40))
}

const NODES_HEAD: &str = "country,mineral,stage,output,capacity\n";
const FLOWS_HEAD: &str =
    "from_country,from_stage,to_country,to_stage,mineral,tonnes,value_usd,year\n";

fn nodes(text: &str) -> impl FnOnce(&mut SupplyChain) -> critical_minerals::Result<Vec<NodeId>> {
    move |c| read_nodes_csv(c, text.as_bytes())
}

fn flows(
    text: &str,
) -> impl FnOnce(&mut SupplyChain) -> critical_minerals::Result<Vec<critical_minerals::FlowId>> {
    move |c| read_flows_csv(c, text.as_bytes())
}

fn strict() -> TradeOptions {
    TradeOptions::new().strict(true)
}

// ----- nodes CSV -----------------------------------------------------------------

#[test]
fn nodes_csv_bad_cells() {
    // (row after the header, needles): each names the value, line 2 and
    // its column.
    let cases: &[(&str, &[&str])] = &[
        (
            "XXQ,rare-earths,extraction,,",
            &["\"XXQ\"", "line 2, column 1"],
        ),
        (
            "USA,Rare Earths,extraction,,",
            &["\"Rare Earths\"", "line 2, column 2"],
        ),
        (
            "USA,rare-earths,mystery,,",
            &["\"mystery\"", "line 2, column 3"],
        ),
        (
            "USA,rare-earths,extraction,NaN,",
            &["NaN", "line 2, column 4"],
        ),
        (
            "USA,rare-earths,extraction,nan,",
            &["NaN", "line 2, column 4"],
        ),
        (
            "USA,rare-earths,extraction,null,",
            &["\"null\"", "column 4"],
        ),
        ("USA,rare-earths,extraction,-,", &["\"-\"", "column 4"]),
        ("USA,rare-earths,extraction,..,", &["\"..\"", "column 4"]),
        ("USA,rare-earths,extraction,inf,", &["inf", "column 4"]),
        ("USA,rare-earths,extraction,-inf,", &["-inf", "column 4"]),
        ("USA,rare-earths,extraction,-5,", &["-5", "column 4"]),
        ("USA,rare-earths,extraction,1e16,", &["1e16", "column 4"]),
        (
            "USA,rare-earths,extraction,,-1",
            &["-1", "line 2, column 5"],
        ),
        (
            "USA,rare-earths,extraction,1,2,3",
            &["expected 5 fields, found 6", "line 2"],
        ),
        (
            "USA,rare-earths,extraction,1",
            &["expected 5 fields, found 4", "line 2"],
        ),
        (
            "AUS,rare-earths,extraction,,",
            &[
                "AUS/rare-earths/extraction is already in the chain",
                "line 2",
            ],
        ),
        (
            ",rare-earths,extraction,,",
            &["empty value", "line 2, column 1"],
        ),
    ];
    for (row, needles) in cases {
        let text = format!("{NODES_HEAD}{row}\n");
        refused(nodes(&text), parse, needles);
    }
}

#[test]
fn nodes_csv_bad_files() {
    let cases: &[(&str, &[&str])] = &[
        ("", &["missing column \"country\"", "line 1"]),
        (
            "country,mineral\nAUS,lithium\n",
            &["missing column \"stage\""],
        ),
        (
            "country,mineral,stage,ouptut\n",
            &["unknown column \"ouptut\"", "column 4"],
        ),
        (
            "country,mineral,stage,stage\n",
            &["\"stage\" appears twice", "column 4"],
        ),
        (
            "country;mineral;stage\nAUS;lithium;extraction\n",
            &["\"country;mineral;stage\""],
        ),
        (
            "country,mineral,stage\nCHN,lithium,refining\nCHN,lithium,refining\n",
            &["also on line 2", "line 3"],
        ),
        (
            "country,mineral,stage,sources\nCHN,lithium,refining,nope\n",
            &["\"nope\"", "line 2"],
        ),
    ];
    for (text, needles) in cases {
        refused(nodes(text), parse, needles);
    }
}

#[test]
fn nodes_csv_header_only_bom_and_crlf_are_valid() {
    let mut chain = existing();
    assert!(
        read_nodes_csv(&mut chain, NODES_HEAD.as_bytes())
            .unwrap()
            .is_empty()
    );
    let text = "\u{feff}country,mineral,stage\r\nCHN,lithium,refining\r\n";
    for n in [1, 2, 3, 4, 64] {
        let mut chain = SupplyChain::new();
        let ids = read_nodes_csv(
            &mut chain,
            Chunked {
                data: text.as_bytes(),
                n,
            },
        )
        .unwrap();
        assert_eq!(ids.len(), 1, "reads of {n} bytes");
    }
}

#[test]
fn nodes_csv_reader_failures() {
    let text = format!("{NODES_HEAD}CHN,lithium,refining,,\n");
    // A failing reader is an I/O error naming `<reader>`, not "line 0".
    refused(
        |c| read_nodes_csv(c, failing(text.as_bytes())),
        io,
        &["<reader>", "disk on fire"],
    );
    // Interrupted reads are retried.
    let mut chain = SupplyChain::new();
    assert_eq!(
        read_nodes_csv(&mut chain, interrupted(text.as_bytes()))
            .unwrap()
            .len(),
        1
    );
    // An endless line fails fast, in bounded memory.
    refused(
        |c| read_nodes_csv(c, endless(b"country,mineral,stage\nCHN,")),
        too_large,
        &["line 2", "line length"],
    );
}

#[test]
fn nodes_csv_huge_cell_gives_a_bounded_message() {
    let big = "X".repeat(1 << 20);
    let text = format!("country,mineral,stage\n{big},lithium,refining\n");
    let err = refused(
        nodes(&text),
        parse,
        &["line 2, column 1", "(1048576 bytes)"],
    );
    assert!(err.to_string().len() < 600, "{}", err.to_string().len());
}

// ----- flows CSV -----------------------------------------------------------------

#[test]
fn flows_csv_bad_cells() {
    let row = |tonnes: &str, value: &str, year: &str| {
        format!("{FLOWS_HEAD}AUS,extraction,MYS,refining,rare-earths,{tonnes},{value},{year}\n")
    };
    let cases: Vec<(String, Vec<&str>)> = vec![
        (row("NaN", "", ""), vec!["NaN", "line 2, column 6"]),
        (row("", "", ""), vec!["empty value", "line 2, column 6"]),
        (row("-1", "", ""), vec!["-1", "column 6"]),
        (row("inf", "", ""), vec!["inf", "column 6"]),
        (row("1e300", "", ""), vec!["1e300", "column 6"]),
        (row("ten", "", ""), vec!["\"ten\"", "column 6"]),
        (row("1", "NaN", ""), vec!["NaN", "column 7"]),
        (row("1", "-3", ""), vec!["-3", "column 7"]),
        (row("1", "", "20x4"), vec!["\"20x4\"", "column 8"]),
        (row("1", "", "99999"), vec!["\"99999\"", "column 8"]),
        (
            format!("{FLOWS_HEAD}MYS,refining,AUS,extraction,rare-earths,1,,\n"),
            vec!["refining -> extraction", "line 2, column 4"],
        ),
        (
            format!("{FLOWS_HEAD}AUS,extraction,MYS,refining,unobtainium!,1,,\n"),
            vec!["\"unobtainium!\"", "column 5"],
        ),
        (
            format!("{FLOWS_HEAD}AUS,extraction,ZZZ,refining,rare-earths,1,,\n"),
            vec!["\"ZZZ\"", "column 3"],
        ),
        (
            "from_country,from_stage,to_country,to_stage,mineral\n".to_string(),
            vec!["missing column \"tonnes\""],
        ),
        (String::new(), vec!["missing column \"from_country\""]),
    ];
    for (text, needles) in &cases {
        refused(flows(text), parse, needles);
    }
}

#[test]
fn flows_csv_reader_failures_and_bom() {
    let text = format!("{FLOWS_HEAD}AUS,extraction,MYS,refining,rare-earths,1,,\n");
    refused(
        |c| read_flows_csv(c, failing(text.as_bytes())),
        io,
        &["<reader>", "disk on fire"],
    );
    let mut chain = SupplyChain::new();
    assert_eq!(
        read_flows_csv(&mut chain, interrupted(text.as_bytes()))
            .unwrap()
            .len(),
        1
    );
    let bom = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    for n in [1, 3, 5] {
        let mut chain = SupplyChain::new();
        let ids = read_flows_csv(
            &mut chain,
            Chunked {
                data: bom.as_bytes(),
                n,
            },
        )
        .unwrap();
        assert_eq!(ids.len(), 1);
    }
    refused(
        |c| read_flows_csv(c, endless(b"from_country,")),
        too_large,
        &["line 1", "line length"],
    );
}

// ----- BACI ----------------------------------------------------------------------

#[test]
fn baci_bad_input() {
    let head = "t,i,j,k,v,q\n";
    let cases: Vec<(String, TradeOptions, Vec<&str>)> = vec![
        (
            "t;i;j;k;v;q\n2022;36;156;260500;1;2\n".into(),
            TradeOptions::new(),
            vec!["missing column \"t\"", "\"t;i;j;k;v;q\"", "line 1"],
        ),
        (
            String::new(),
            TradeOptions::new(),
            vec!["empty file", "line 1"],
        ),
        (
            format!("{head}2022,999,156,260500,1,2\n"),
            strict(),
            vec!["\"999\"", "line 2, column 2"],
        ),
        (
            format!("{head}2022,36,156,260500,1,1e999\n"),
            strict(),
            vec!["\"1e999\"", "line 2, column 6"],
        ),
        (
            format!("{head}2022,36,156,260500,1,-1\n"),
            strict(),
            vec!["\"-1\"", "column 6"],
        ),
        (
            format!("{head}2022,36,156,260500,1,1e16\n"),
            strict(),
            vec!["\"1e16\"", "column 6"],
        ),
        (
            format!("{head}2022,36,156,260500,inf,1\n"),
            strict(),
            vec!["\"inf\"", "column 5"],
        ),
        (
            format!("{head}20x2,36,156,260500,1,1\n"),
            strict(),
            vec!["\"20x2\"", "column 1"],
        ),
        (
            format!("{head}2022,36,156,26050,1,1,7\n"),
            strict(),
            vec!["expected 6 fields, found 7", "line 2"],
        ),
        (
            format!("{head}2022,36,156,2605000,1,1\n"),
            strict(),
            vec!["\"2605000\"", "column 4"],
        ),
        // Two rows whose sum passes the tonnes limit: the second is named.
        (
            format!("{head}2022,36,156,260500,1,9e14\n2022,36,156,260500,1,9e14\n"),
            TradeOptions::new(),
            vec!["line 3, column 6", "1800000000000000", "limit"],
        ),
    ];
    for (text, opts, needles) in &cases {
        refused(|c| load_baci(c, text.as_bytes(), opts), parse, needles);
    }
    let route = TradeOptions::new().route(Stage::Refining, Stage::Extraction);
    refused(
        |c| load_baci(c, head.as_bytes(), &route),
        invalid,
        &[
            "options: TradeOptions::route(refining, extraction)",
            "refining -> extraction",
        ],
    );
    let unknown_source = TradeOptions::new().source("nope");
    refused(
        |c| load_baci(c, head.as_bytes(), &unknown_source),
        |e| matches!(e, Error::UnknownSource { .. }),
        &["\"nope\""],
    );
    let row = format!("{head}2022,36,156,260500,1,2\n");
    refused(
        |c| load_baci(c, failing(row.as_bytes()), &TradeOptions::new()),
        io,
        &["<reader>"],
    );
    refused(
        |c| load_baci(c, endless(b"t,i,j,k,v,q\n2022,"), &TradeOptions::new()),
        too_large,
        &["line 2", "line length"],
    );
}

#[test]
fn baci_header_only_bom_crlf_extra_columns_are_valid() {
    let mut chain = SupplyChain::new();
    let r = load_baci(&mut chain, "t,i,j,k,v,q\n".as_bytes(), &TradeOptions::new()).unwrap();
    assert_eq!(r.rows_read, 0);
    let text = "\u{feff}t,i,j,k,v,q,extra\r\n2022,36,156,260500,1,2,x\r\n";
    let mut chain = SupplyChain::new();
    let r = load_baci(
        &mut chain,
        Chunked {
            data: text.as_bytes(),
            n: 1,
        },
        &TradeOptions::new(),
    )
    .unwrap();
    assert_eq!((r.rows_kept, r.flows_added), (1, 1));
}

// ----- Comtrade ------------------------------------------------------------------

const CT_HEAD: &str = "refYear,reporterCode,partnerCode,flowCode,cmdCode,netWgt,primaryValue\n";

#[test]
fn comtrade_bad_input() {
    let row = |r: &str| format!("{CT_HEAD}{r}\n");
    let cases: Vec<(String, TradeOptions, Vec<&str>)> = vec![
        (
            "refYear,reporterCode,partnerCode,flowCode,netWgt,primaryValue\n".into(),
            TradeOptions::new(),
            vec!["missing column \"cmdCode\""],
        ),
        (
            "refYear,flowCode,cmdCode,netWgt,primaryValue\n".into(),
            TradeOptions::new(),
            vec!["reporterCode"],
        ),
        (String::new(), TradeOptions::new(), vec!["missing column"]),
        (
            row("2023,842,156,M,260500,1e999,1"),
            strict(),
            vec!["\"1e999\"", "line 2, column 6"],
        ),
        (
            row("2023,842,156,M,260500,-5,1"),
            strict(),
            vec!["\"-5\"", "column 6"],
        ),
        (
            row("2023,842,156,M,260500,1,inf"),
            strict(),
            vec!["\"inf\"", "column 7"],
        ),
        (
            row("2023,9999,156,M,260500,1,1"),
            strict(),
            vec!["\"9999\"", "line 2, column 2"],
        ),
        (
            row("20x3,842,156,M,260500,1,1"),
            strict(),
            vec!["\"20x3\"", "column 1"],
        ),
        (
            row("2023,842,156,M,260500,1,1,9"),
            strict(),
            vec!["expected 7 fields, found 8"],
        ),
        // Net weight in kg: 9e17 kg = 9e14 t per row; two rows pass 1e15 t.
        (
            format!("{CT_HEAD}2023,842,156,M,260500,9e17,1\n2023,842,156,M,260500,9e17,1\n"),
            TradeOptions::new(),
            vec!["line 3, column 6", "limit"],
        ),
    ];
    for (text, opts, needles) in &cases {
        refused(|c| load_comtrade(c, text.as_bytes(), opts), parse, needles);
    }
    let text = row("2023,842,156,M,260500,1000,1");
    // A reader failing after the header is Io, not Parse "line 0".
    refused(
        |c| load_comtrade(c, failing(text.as_bytes()), &TradeOptions::new()),
        io,
        &["<reader>", "disk on fire"],
    );
    let mut chain = SupplyChain::new();
    let r = load_comtrade(
        &mut chain,
        interrupted(text.as_bytes()),
        &TradeOptions::new(),
    )
    .unwrap();
    assert_eq!(r.flows_added, 1);
    let bom = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let mut chain = SupplyChain::new();
    let r = load_comtrade(
        &mut chain,
        Chunked {
            data: bom.as_bytes(),
            n: 2,
        },
        &TradeOptions::new(),
    )
    .unwrap();
    assert_eq!(r.flows_added, 1);
    refused(
        |c| load_comtrade(c, endless(b"refYear,"), &TradeOptions::new()),
        too_large,
        &["line length"],
    );
}

// ----- chain JSON ----------------------------------------------------------------

fn doc(nodes: &str, flows: &str, extra: &str) -> String {
    format!(
        r#"{{"schema":"critical-minerals/chain","version":1,"nodes":[{nodes}],"flows":[{flows}]{extra}}}"#
    )
}

const N0: &str = r#"{"id":0,"country":"AUS","mineral":"lithium","stage":"extraction"}"#;
const N1: &str = r#"{"id":1,"country":"CHN","mineral":"lithium","stage":"refining"}"#;

/// A restriction ending before it starts, as JSON (its fields are public,
/// so it can be built without `validate`).
fn reversed_restriction() -> String {
    let mut r = ExportRestriction::new("r", Country::CHN, RestrictionKind::Ban).unwrap();
    r.effective = Some("2025-06".parse().unwrap());
    r.ends = Some("2024".parse().unwrap());
    serde_json::to_string(&r).unwrap()
}

#[test]
fn json_bad_documents() {
    let n01 = format!("{N0},{N1}");
    let f = |body: &str| format!(r#"{{"id":0,"from":0,"to":1,{body}}}"#);
    type Case<'a> = (String, fn(&Error) -> bool, Vec<&'a str>);
    let cases: Vec<Case> = vec![
        (
            r#"{"schema":"critical-minerals/chain","version":3}"#.into(),
            schema,
            vec!["version 3"],
        ),
        (
            r#"{"schema":"other","version":1}"#.into(),
            schema,
            vec!["\"other\""],
        ),
        (
            "{\n  \"schema\": ,\n}".into(),
            parse,
            vec!["line 2, column"],
        ),
        (
            doc(
                r#"{"id":0,"country":"XXQ","mineral":"lithium","stage":"extraction"}"#,
                "",
                "",
            ),
            parse,
            vec!["\"XXQ\""],
        ),
        (doc(&n01, &f(r#""tonnes":-1"#), ""), parse, vec!["-1"]),
        (doc(&n01, &f(r#""tonnes":1e300"#), ""), parse, vec!["1e300"]),
        (
            doc(&n01, r#"{"id":0,"from":1,"to":0,"tonnes":1}"#, ""),
            invalid,
            vec!["flows[0] (id 0)", "refining -> extraction"],
        ),
        (
            doc(
                &format!("{N0},{}", N0.replace("\"id\":0", "\"id\":1")),
                "",
                "",
            ),
            invalid,
            vec!["nodes[1] (id 1)", "already exists"],
        ),
        (
            doc(
                &format!("{N1},{}", N0.replace("\"id\":0", "\"id\":1")).replace(
                    "\"id\":1,\"country\":\"CHN\"",
                    "\"id\":3,\"country\":\"CHN\"",
                ),
                "",
                "",
            ),
            invalid,
            vec!["strictly increasing", "nodes[1]"],
        ),
        (
            doc(
                N0,
                &f(r#""tonnes":1"#).replace("\"id\":0", "\"id\":4000000000"),
                "",
            ),
            invalid,
            vec!["4000000000", "flows[0]"],
        ),
        (
            doc(
                &format!("{N0},{}", N1.replace("\"id\":1", "\"id\":2")),
                r#"{"id":0,"from":1,"to":2,"tonnes":1}"#,
                "",
            ),
            invalid,
            vec!["no node with id n1", "flows[0]"],
        ),
        (
            doc(
                &format!("{N0},{}", N1.replace("\"id\":1", "\"id\":2")),
                "",
                r#","free_node_ids":[2]"#,
            ),
            invalid,
            vec!["free_node_ids[0]", "live id"],
        ),
        (
            doc(
                &format!("{N0},{}", N1.replace("\"id\":1", "\"id\":3")),
                "",
                r#","free_node_ids":[1,1]"#,
            ),
            invalid,
            vec!["free_node_ids[1]", "twice"],
        ),
        (
            doc(
                &format!("{N0},{}", N1.replace("\"id\":1", "\"id\":3")),
                "",
                r#","free_node_ids":[1]"#,
            ),
            invalid,
            vec!["missing from the list"],
        ),
        (
            doc(N0, "", r#","nodez":[]"#),
            parse,
            vec!["unknown field `nodez`"],
        ),
        (
            doc(
                "",
                "",
                &format!(r#","restrictions":[{}]"#, reversed_restriction()),
            ),
            invalid,
            vec!["restrictions[0]", "before it starts"],
        ),
    ];
    for (text, variant, needles) in &cases {
        let err = SupplyChain::from_json(text).unwrap_err();
        assert!(variant(&err), "{text}: {err:?}");
        let msg = err.to_string();
        for n in needles {
            assert!(msg.contains(n), "{text}: {msg:?} does not name {n:?}");
        }
    }
}

#[test]
fn json_parse_errors_state_their_place_once() {
    let err = SupplyChain::from_json("{\n  \"schema\": ,\n}").unwrap_err();
    let msg = err.to_string();
    assert_eq!(msg.matches("line").count(), 1, "{msg}");
    assert!(matches!(err, Error::Parse { line: 2, .. }), "{err:?}");
}

// ----- mutating calls --------------------------------------------------------------

#[test]
fn mutations_refused_leave_the_chain_unchanged() {
    let ree = Mineral::RARE_EARTHS;
    let key = |c, s| NodeKey::new(c, ree.clone(), s);
    refused(
        |c| c.add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction)),
        |e| matches!(e, Error::DuplicateNode { .. }),
        &["AUS/rare-earths/extraction"],
    );
    refused(
        |c| {
            c.add_node(
                Node::new(Country::USA, ree.clone(), Stage::Refining)
                    .provenance(critical_minerals::Provenance::default().source("nope")),
            )
        },
        |e| matches!(e, Error::UnknownSource { .. }),
        &["\"nope\""],
    );
    refused(
        |c| c.add_flow(nid(1), nid(0), Flow::new(Tonnes::ZERO)),
        |e| matches!(e, Error::InvalidTransition { .. }),
        &["refining -> extraction"],
    );
    refused(
        |c| c.add_flow(nid(0), nid(2), Flow::new(Tonnes::ZERO)),
        |e| matches!(e, Error::MineralMismatch { .. }),
        &["rare-earths", "cobalt"],
    );
    refused(
        |c| c.add_flow(nid(0), nid(99), Flow::new(Tonnes::ZERO)),
        |e| matches!(e, Error::UnknownNode { .. }),
        &["99"],
    );
    refused(
        |c| {
            c.add_flows_by_key([
                (
                    key(Country::JPN, Stage::Extraction),
                    key(Country::USA, Stage::Refining),
                    Flow::new(Tonnes::ZERO),
                ),
                (
                    key(Country::USA, Stage::Refining),
                    key(Country::JPN, Stage::Extraction),
                    Flow::new(Tonnes::ZERO),
                ),
            ])
        },
        |e| matches!(e, Error::InvalidTransition { .. }),
        &["refining -> extraction"],
    );
    refused(
        |c| c.add_source(Source::new("usgs", "x", "y")?),
        |e| matches!(e, Error::DuplicateId { .. }),
        &["\"usgs\""],
    );
    refused(
        |c| c.add_source(Source::new("a b", "x", "y")?),
        |e| matches!(e, Error::InvalidId { .. }),
        &["\"a b\""],
    );
    refused(
        |c| c.add_agreement(Agreement::new("solo", AgreementKind::Mou, [Country::USA])?),
        inconsistent,
        &["solo", "two parties"],
    );
    let reversed = |id: &str| {
        let mut r = ExportRestriction::new(id, Country::CHN, RestrictionKind::Ban).unwrap();
        r.effective = Some("2025-06-01".parse().unwrap());
        r.ends = Some("2025-05".parse().unwrap());
        r
    };
    refused(
        |c| c.add_restriction(reversed("r1")),
        inconsistent,
        &["r1", "2025-05", "2025-06-01", "before it starts"],
    );
    let mut r = ExportRestriction::new("r2", Country::CHN, RestrictionKind::Ban).unwrap();
    r.suspensions.push(critical_minerals::Suspension {
        from: Some("2026".parse().unwrap()),
        until: Some("2025".parse().unwrap()),
        by: None,
    });
    refused(
        move |c| c.add_restriction(r),
        inconsistent,
        &["r2", "suspension", "2026"],
    );
    refused(
        |c| c.set_output(nid(42), None),
        |e| matches!(e, Error::UnknownNode { .. }),
        &["42"],
    );
    refused(
        |c| c.set_capacity(nid(42), None),
        |e| matches!(e, Error::UnknownNode { .. }),
        &["42"],
    );
    refused(
        |c| c.set_flow_tonnes(fid(7), Tonnes::ZERO),
        |e| matches!(e, Error::UnknownFlow { .. }),
        &["7"],
    );
    refused(
        |c| c.remove_flow(fid(7)),
        |e| matches!(e, Error::UnknownFlow { .. }),
        &["7"],
    );
    refused(
        |c| c.remove_node(nid(9)),
        |e| matches!(e, Error::UnknownNode { .. }),
        &["9"],
    );
}

#[test]
fn tonnes_outside_the_domain() {
    for (v, needle) in [
        (f64::NAN, "NaN"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
        (-1.0, "-1"),
        (1e16, "1e16"),
        (f64::MAX, "1.7976931348623157e308"),
    ] {
        let e = Tonnes::new(v).unwrap_err();
        assert!(e.to_string().contains(needle), "{e}");
    }
    assert!(Tonnes::new(1e15).is_ok());
    assert!(Tonnes::from_kt(2e12).is_err());
    assert!(Tonnes::from_kg(2e18).is_err());
}

// ----- concordance CSV -------------------------------------------------------------

#[test]
fn concordance_bad_input() {
    let cases: &[(&str, &[&str])] = &[
        (
            "hs6,mineral,stage\n26050x,cobalt,extraction\n",
            &["26050x", "line 2"],
        ),
        (
            "hs6,mineral,stage\n260500,Cobalt!,extraction\n",
            &["Cobalt!", "line 2"],
        ),
        (
            "hs6,mineral,stage\n260500,cobalt,mystery\n",
            &["mystery", "line 2"],
        ),
        (
            "hs6,mineral\n260500,cobalt\n",
            &["missing column \"stage\""],
        ),
        (
            "hs6,mineral,stage\n260500,cobalt,extraction\n260500,cobalt,refining\n",
            &["line 3"],
        ),
        ("hs6;mineral;stage\n", &["missing column"]),
        ("", &["missing column"]),
    ];
    for (text, needles) in cases {
        let e = HsConcordance::from_csv_reader(text.as_bytes()).unwrap_err();
        assert!(parse(&e), "{e:?}");
        for n in *needles {
            assert!(e.to_string().contains(n), "{e} does not name {n}");
        }
    }
    let bom = "\u{feff}hs6,mineral,stage\r\n260500,cobalt,extraction\r\n";
    let hs = HsConcordance::from_csv_reader(Chunked {
        data: bom.as_bytes(),
        n: 1,
    })
    .unwrap();
    assert_eq!(hs.get(260500).len(), 1);
    let e = HsConcordance::from_csv_reader(failing(bom.as_bytes())).unwrap_err();
    assert!(io(&e), "{e:?}");
}

// ----- the engine ------------------------------------------------------------------

#[test]
fn engine_constructors_refuse_sizes_before_allocating() {
    let e = |from, to, capacity| NetEdge { from, to, capacity };
    // usize::MAX used to overflow a sum; u32::MAX / 4 - 3 used to pass the
    // check and abort allocating 16 GiB.
    for n in [usize::MAX, (u32::MAX / 4 - 3) as usize, MAX_NODES + 1] {
        let err = FlowNetwork::new(n, vec![e(0, 1, 1)], vec![(0, 1)], vec![(1, 1)]).unwrap_err();
        assert!(matches!(err, Error::TooLarge { .. }), "{err:?}");
        let err = Adjacency::try_from_edges(n, &[(0, 1)]).unwrap_err();
        assert!(err.to_string().contains(&n.to_string()), "{err}");
        let err = UndirectedGraph::try_from_edges(n, &[(0, 1)]).unwrap_err();
        assert!(matches!(err, Error::TooLarge { .. }), "{err:?}");
    }
    let err = FlowNetwork::new(2, vec![e(0, 1, -5)], vec![], vec![]).unwrap_err();
    assert!(
        err.to_string().contains("-5") && err.to_string().contains("edge 0"),
        "{err}"
    );
    let err = FlowNetwork::new(2, vec![e(0, 7, 1)], vec![], vec![]).unwrap_err();
    assert!(
        matches!(err, Error::IndexOutOfRange { index: 7, .. }),
        "{err:?}"
    );
}

// ----- the peer reader -------------------------------------------------------------

/// A copy of tests/data/peer_small in a temporary directory, with one file
/// replaced.
fn peer_with(name: &str, file: &str, text: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/peer_small");
    let dir = std::env::temp_dir().join(format!("cm-bad-peer-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in [
        "nodes.csv",
        "edges.csv",
        "crit_sample.txt",
        "mc_scenarios.csv",
        "meta.json",
    ] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    std::fs::write(dir.join(file), text).unwrap();
    dir
}

#[test]
fn peer_reader_bad_input() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/peer_small");
    let meta = std::fs::read_to_string(src.join("meta.json")).unwrap();
    // A target node out of range, on the line it is on.
    let start = meta.find("\"target_nodes\": [").unwrap();
    let line = meta[..start].matches('\n').count() + 2;
    let bad = meta.replacen(
        "\"target_nodes\": [\n",
        "\"target_nodes\": [\n  99999,\n",
        1,
    );
    let cases: Vec<(&str, &str, String, Vec<String>)> = vec![
        (
            "target",
            "meta.json",
            bad,
            vec![format!("line {line}"), "node 99999 out of range".into()],
        ),
        (
            "type",
            "meta.json",
            meta.replacen(
                "\"target_nodes\": [\n",
                "\"target_nodes\": [\n  \"x\",\n",
                1,
            ),
            vec![format!("line {line}"), "invalid type".into()],
        ),
        (
            "scenario",
            "mc_scenarios.csv",
            "scenario,node\n9999999,0\n".into(),
            vec!["line 2".into(), "9999999".into()],
        ),
        (
            "capacity",
            "edges.csv",
            "src,dst,capacity\n0,1,-3\n".into(),
            vec!["line 2, column 3".into(), "-3".into()],
        ),
        (
            "header",
            "edges.csv",
            "src;dst;capacity\n".into(),
            vec!["line 1".into(), "src;dst;capacity".into()],
        ),
    ];
    for (name, file, text, needles) in cases {
        let dir = peer_with(name, file, &text);
        let err = PeerGraph::read(&dir).unwrap_err();
        std::fs::remove_dir_all(&dir).ok();
        assert!(parse(&err), "{err:?}");
        let msg = err.to_string();
        for n in needles {
            assert!(msg.contains(&n), "{name}: {msg:?} does not name {n:?}");
        }
        assert_eq!(msg.matches("line").count(), 1, "{msg}");
    }
    // Without mc_scenarios in meta.json, an id of 9,999,999 with one row is
    // refused without allocating ten million vectors.
    let no_count = meta.replace("\"mc_scenarios\": 1000", "\"mc_other\": 1000");
    let dir = peer_with("count", "meta.json", &no_count);
    std::fs::write(dir.join("mc_scenarios.csv"), "scenario,node\n9999999,0\n").unwrap();
    let err = PeerGraph::read(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).ok();
    assert!(err.to_string().contains("10000000 scenarios"), "{err}");
}

// ----- regressions for the reported defects ------------------------------------------

#[test]
fn json_flow_id_holes_load_in_linear_time() {
    // One flow with id 65,000 (near MAX_ID_HOLES): 65,000 placeholder
    // flows. Quadratic loading took ~10 s in a debug build; linear is
    // milliseconds.
    let text = doc(
        &format!("{N0},{N1}"),
        r#"{"id":65000,"from":0,"to":1,"tonnes":1}"#,
        "",
    );
    let t = Instant::now();
    let chain = SupplyChain::from_json(&text).unwrap();
    assert!(t.elapsed().as_secs_f64() < 2.0, "{:?}", t.elapsed());
    assert!(chain.flow(fid(65000)).is_some());
    assert_eq!(SupplyChain::from_json(&chain.to_json()).unwrap(), chain);
    // Beyond the documented bound: refused, not allocated.
    let text = text.replace("65000", "200000");
    let err = SupplyChain::from_json(&text).unwrap_err();
    assert!(err.to_string().contains("200000"), "{err}");
}

/// After the same removals, a chain and its JSON round trip hand out the
/// same ids for the same additions.
pub fn same_allocator(chain: &SupplyChain) {
    let mut a = chain.clone();
    let mut b = SupplyChain::from_json(&chain.to_json()).unwrap();
    assert_eq!(a, b);
    for i in 0..6 {
        let n = Node::new(
            Country::JPN,
            Mineral::new(format!("m{i}")).unwrap(),
            Stage::Refining,
        );
        let m = Node::new(
            Country::USA,
            Mineral::new(format!("m{i}")).unwrap(),
            Stage::Manufacturing,
        );
        let (x, y) = (a.add_node(n.clone()).unwrap(), b.add_node(n).unwrap());
        assert_eq!(x, y, "node ids diverge");
        let (p, q) = (a.add_node(m.clone()).unwrap(), b.add_node(m).unwrap());
        assert_eq!(p, q);
        let f = Flow::new(Tonnes::new(1.0).unwrap());
        assert_eq!(
            a.add_flow(x, p, f.clone()).unwrap(),
            b.add_flow(y, q, f).unwrap(),
            "flow ids diverge"
        );
    }
}

#[test]
fn json_round_trip_preserves_the_id_allocator() {
    let mut chain = SupplyChain::new();
    let ids: Vec<NodeId> = (0..8)
        .map(|i| {
            chain
                .add_node(Node::new(
                    Country::AUS,
                    Mineral::new(format!("m{i}")).unwrap(),
                    Stage::Extraction,
                ))
                .unwrap()
        })
        .collect();
    let refs: Vec<NodeId> = (0..8)
        .map(|i| {
            chain
                .add_node(Node::new(
                    Country::CHN,
                    Mineral::new(format!("m{i}")).unwrap(),
                    Stage::Processing,
                ))
                .unwrap()
        })
        .collect();
    for i in 0..8 {
        chain
            .add_flow(ids[i], refs[i], Flow::new(Tonnes::new(1.0).unwrap()))
            .unwrap();
    }
    // Removals out of order, including the last node (a trailing hole).
    for v in [5, 2, 15, 7] {
        chain.remove_node(nid(v)).unwrap();
    }
    chain.remove_flow(fid(4)).unwrap();
    same_allocator(&chain);
}

#[test]
fn hhi_of_two_producers_at_the_limit() {
    // Two equal producers: shares 1/2 each, HHI 2 × 50² = 5,000.
    let c = Concentration::from_outputs(
        [(Country::CHN, Tonnes::MAX), (Country::AUS, Tonnes::MAX)],
        &ConcentrationOptions::new(),
    )
    .unwrap();
    assert_eq!(c.hhi, 5_000.0);
    let sum: f64 = c.shares.iter().map(|s| s.share.get()).sum();
    assert_eq!(sum, 1.0);
}

// ----- the world chain ---------------------------------------------------------------

#[test]
fn world_chain_bad_input() {
    use critical_minerals::Dataset;
    use critical_minerals::data::{TradeRow, WorldChainOptions};
    let data = Dataset::builtin().unwrap();
    // Years with no trade and no production: the year is named.
    for year in [2030, 1900, -1, i16::MAX] {
        let opts = WorldChainOptions::new(year);
        let err = data.world_chain(&opts).unwrap_err();
        assert!(matches!(err, Error::NoData { .. }), "{year}: {err:?}");
        assert!(err.to_string().contains(&year.to_string()), "{err}");
        let err = data.world_chain_from_rows(&opts, []).unwrap_err();
        assert!(matches!(err, Error::NoData { .. }), "{year}: {err:?}");
    }
    let row = |hs6: u32, value_kusd: f64| TradeRow {
        year: 2023,
        exporter: Country::MYS,
        importer: Country::USA,
        hs6,
        value_kusd,
        tonnes: Some(Tonnes::new(1.0).unwrap()),
    };
    let good = row(284690, 10.0);
    // (rows, variant, needles): the value, and the row it is in (its
    // index among the rows given, its exporter, importer, code, year).
    type Case = (Vec<TradeRow>, fn(&Error) -> bool, Vec<&'static str>);
    let unknown = |e: &Error| matches!(e, Error::Invalid { source, .. } if matches!(**source, Error::UnknownValue { .. }));
    let quantity = |e: &Error| matches!(e, Error::Invalid { source, .. } if matches!(**source, Error::InvalidQuantity { .. }));
    let cases: Vec<Case> = vec![
        (
            vec![good, row(999999, 1.0)],
            unknown,
            vec!["\"999999\"", "trade row 1", "MYS -> USA", "2023"],
        ),
        (
            vec![row(0, 1.0)],
            unknown,
            vec!["\"000000\"", "trade row 0"],
        ),
        (
            vec![good, good, row(284690, -5.0)],
            quantity,
            vec!["thousand USD -5", "trade row 2", "HS 284690"],
        ),
        (
            vec![row(284690, f64::NAN)],
            quantity,
            vec!["NaN", "trade row 0"],
        ),
        (
            vec![row(284690, f64::INFINITY)],
            quantity,
            vec!["inf", "trade row 0"],
        ),
    ];
    let opts = WorldChainOptions::new(2023);
    for (rows, variant, needles) in &cases {
        let err = data.world_chain_from_rows(&opts, rows).unwrap_err();
        assert!(variant(&err), "{rows:?}: {err:?}");
        let msg = err.to_string();
        for n in needles {
            assert!(msg.contains(n), "{msg:?} does not name {n:?}");
        }
    }
    // Rows of another year are skipped and counted, not an error.
    let other = TradeRow { year: 2019, ..good };
    let w = data.world_chain_from_rows(&opts, [&good, &other]).unwrap();
    assert_eq!(w.report.flows, 1);
}

// ----- scenario files ------------------------------------------------------------------

fn scenario(shocks: &str) -> String {
    format!(r#"{{"name":"s","shocks":[{shocks}]}}"#)
}

const AUS_MINE: &str = r#"{"country":"AUS","mineral":"rare-earths","stage":"extraction"}"#;

/// Scenario files that do not read: each names the value and where it is
/// (the shock's index and kind, or the text at a syntax error).
#[test]
fn scenario_files_that_do_not_parse() {
    use critical_minerals::simulation::Scenario;
    let node = |country: &str, mineral: &str, stage: &str| {
        format!(r#"{{"country":"{country}","mineral":"{mineral}","stage":"{stage}"}}"#)
    };
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            scenario(r#"{"kind":"remove_country","country":"XXQ"}"#),
            vec!["\"XXQ\"", "shock 0 (\"remove_country\")"],
        ),
        (
            scenario(&format!(
                r#"{{"kind":"remove_country","country":"CHN"}},{{"kind":"remove_node","node":{}}}"#,
                node("AUS", "Rare Earths", "extraction")
            )),
            vec!["\"Rare Earths\"", "shock 1 (\"remove_node\")"],
        ),
        (
            scenario(&format!(
                r#"{{"kind":"remove_node","node":{}}}"#,
                node("AUS", "rare-earths", "mystery")
            )),
            vec!["`mystery`", "shock 0 (\"remove_node\")"],
        ),
        (
            scenario(&format!(
                r#"{{"kind":"cut_capacity","node":{AUS_MINE},"fraction":1.5}}"#
            )),
            vec!["1.5", "shock 0 (\"cut_capacity\")"],
        ),
        (
            scenario(&format!(
                r#"{{"kind":"cut_capacity","node":{AUS_MINE},"fraction":-0.1}}"#
            )),
            vec!["-0.1", "shock 0 (\"cut_capacity\")"],
        ),
        (
            scenario(&format!(
                r#"{{"kind":"add_capacity","node":{AUS_MINE},"tonnes":-5}}"#
            )),
            vec!["-5", "shock 0 (\"add_capacity\")"],
        ),
        (
            scenario(&format!(
                r#"{{"kind":"add_capacity","node":{AUS_MINE},"tonnes":1e300}}"#
            )),
            vec!["1e300", "shock 0 (\"add_capacity\")"],
        ),
        (
            // JSON has no NaN: a syntax error, quoted where it is.
            scenario(&format!(
                r#"{{"kind":"add_capacity","node":{AUS_MINE},"tonnes":NaN}}"#
            )),
            vec!["\"NaN}]}\"", "line 1, column"],
        ),
        (
            scenario(
                r#"{"kind":"export_restriction","imposer":"CHN","minerals":"all","stages":"all","toward":"all","measure":{"type":"quota","tonnes":NaN}}"#,
            ),
            vec!["\"NaN}}]}\"", "line 1, column"],
        ),
        (
            scenario(
                r#"{"kind":"export_restriction","imposer":"CHN","minerals":"all","stages":"all","toward":"all","measure":{"type":"quota","tonnes":-1}}"#,
            ),
            vec!["-1", "shock 0 (\"export_restriction\")"],
        ),
        (
            scenario(
                r#"{"kind":"export_restriction","imposer":"CHN","minerals":"all","stages":"all","toward":"all","measure":{"type":"licence","let_through":2}}"#,
            ),
            vec!["2", "shock 0 (\"export_restriction\")"],
        ),
        (
            scenario(r#"{"kind":"apply_restrictions","on":"2025-13-01"}"#),
            vec!["2025-13-01", "shock 0 (\"apply_restrictions\")"],
        ),
        (
            scenario(r#"{"kind":"nuke","country":"CHN"}"#),
            vec!["`nuke`", "shock 0 (\"nuke\")"],
        ),
        (scenario(r#"{"country":"CHN"}"#), vec!["`kind`", "shock 0"]),
        (
            scenario(r#"{"kind":"remove_country","country":"CHN","extra":1}"#),
            vec!["`extra`", "shock 0 (\"remove_country\")"],
        ),
        (
            "{\"name\":\"s\",\"shocks\":[".into(),
            vec!["line 1, column 22"],
        ),
        (
            "{\n\"name\": \"s\",\n\"shocks\": [}\n".into(),
            vec!["line 3", "\"}\""],
        ),
        ("42".into(), vec!["integer `42`", "struct Scenario"]),
        ("\"s\"".into(), vec!["string \"s\"", "struct Scenario"]),
        ("[]".into(), vec!["invalid length 0"]),
        (r#"{"name":"s","shocks":{}}"#.into(), vec!["a sequence"]),
        (r#"{"name":"s","shockz":[]}"#.into(), vec!["`shockz`"]),
        (r#"{"shocks":[]}"#.into(), vec!["`name`"]),
        (String::new(), vec!["EOF"]),
    ];
    for (text, needles) in &cases {
        let err = Scenario::from_json(text).unwrap_err();
        assert!(parse(&err), "{text}: {err:?}");
        let msg = err.to_string();
        for n in needles {
            assert!(msg.contains(n), "{text}: {msg:?} does not name {n:?}");
        }
        assert_eq!(msg.matches("line").count(), 1, "{msg}");
        assert!(msg.len() < 2_000, "unbounded message: {} bytes", msg.len());
    }
    // No shock has two dates (apply_restrictions and discontinue_agreement
    // take one each), so there is no reversed-dates case for scenarios;
    // reversed restriction dates are in `json_bad_documents` and
    // `mutations_refused_leave_the_chain_unchanged`.
}

/// Scenario files that read but name something the chain does not hold:
/// `validate` and `Simulator::run` both refuse them, naming the value and
/// the shock, and the chain is unchanged.
#[test]
fn scenario_files_naming_what_is_not_in_the_chain() {
    use critical_minerals::network::Target;
    use critical_minerals::simulation::{Propagation, Scenario, SimulationOptions, Simulator};
    let not_in_chain = |e: &Error| matches!(e, Error::Invalid { source, .. } if matches!(**source, Error::NotInChain { .. }));
    let transition = |e: &Error| matches!(e, Error::Invalid { source, .. } if matches!(**source, Error::InvalidTransition { .. }));
    let mismatch = |e: &Error| matches!(e, Error::Invalid { source, .. } if matches!(**source, Error::MineralMismatch { .. }));
    type Case = (String, fn(&Error) -> bool, Vec<&'static str>);
    let cases: Vec<Case> = vec![
        (
            scenario(r#"{"kind":"remove_country","country":"JPN"}"#),
            not_in_chain,
            vec!["country JPN", "shock 0 (remove_country)"],
        ),
        (
            scenario(
                r#"{"kind":"remove_country","country":"AUS"},{"kind":"export_restriction","imposer":"CHN","minerals":{"only":["gallium"]},"stages":"all","toward":"all","measure":{"type":"ban"}}"#,
            ),
            not_in_chain,
            vec!["mineral gallium", "shock 1 (export_restriction)"],
        ),
        (
            scenario(
                r#"{"kind":"export_restriction","imposer":"CHN","minerals":"all","stages":"all","toward":{"only":["BRA"]},"measure":{"type":"ban"}}"#,
            ),
            not_in_chain,
            vec!["country BRA", "shock 0 (export_restriction)"],
        ),
        (
            scenario(
                r#"{"kind":"remove_node","node":{"country":"USA","mineral":"rare-earths","stage":"refining"}}"#,
            ),
            not_in_chain,
            vec!["node USA/rare-earths/refining", "shock 0 (remove_node)"],
        ),
        (
            scenario(
                r#"{"kind":"cut_capacity","node":{"country":"AUS","mineral":"rare-earths","stage":"refining"},"fraction":0.5}"#,
            ),
            not_in_chain,
            vec!["node AUS/rare-earths/refining", "shock 0 (cut_capacity)"],
        ),
        (
            scenario(r#"{"kind":"discontinue_agreement","agreement":"nope","on":"2025-01-01"}"#),
            not_in_chain,
            vec!["agreement \"nope\"", "shock 0 (discontinue_agreement)"],
        ),
        (
            scenario(&format!(
                r#"{{"kind":"add_capacity","node":{AUS_MINE},"tonnes":5,"under":"nope"}}"#
            )),
            not_in_chain,
            vec!["agreement \"nope\"", "shock 0 (add_capacity)"],
        ),
        (
            scenario(
                r#"{"kind":"add_capacity","node":{"country":"AUS","mineral":"gallium","stage":"extraction"},"tonnes":5}"#,
            ),
            not_in_chain,
            vec!["mineral gallium", "shock 0 (add_capacity)"],
        ),
        (
            scenario(&format!(
                r#"{{"kind":"add_link","from":{{"country":"MYS","mineral":"rare-earths","stage":"refining"}},"to":{AUS_MINE},"tonnes":5}}"#
            )),
            transition,
            vec!["refining -> extraction", "shock 0 (add_link)"],
        ),
        (
            scenario(&format!(
                r#"{{"kind":"add_link","from":{AUS_MINE},"to":{{"country":"CHN","mineral":"cobalt","stage":"refining"}},"tonnes":5}}"#
            )),
            mismatch,
            vec!["rare-earths", "cobalt", "shock 0 (add_link)"],
        ),
        (
            scenario(r#"{"kind":"raise_recycling","country":"MYS","share":0.5}"#),
            not_in_chain,
            vec![
                "manufacturing node MYS/*/manufacturing",
                "shock 0 (raise_recycling)",
            ],
        ),
    ];
    let chain = existing();
    let before = chain.to_json();
    let target = Target::country_stage(Country::MYS, Stage::Refining);
    let sim = Simulator::new(&chain, &target, &SimulationOptions::new()).unwrap();
    for (text, variant, needles) in &cases {
        let s = Scenario::from_json(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let err = s.validate(&chain).unwrap_err();
        assert!(variant(&err), "{text}: {err:?}");
        let msg = err.to_string();
        for n in needles {
            assert!(msg.contains(n), "{text}: {msg:?} does not name {n:?}");
        }
        for p in Propagation::ALL {
            let run = sim.run(&s, p).unwrap_err();
            assert_eq!(run.to_string(), msg, "{p}");
        }
        assert_eq!(
            chain.to_json(),
            before,
            "a failed scenario changed the chain"
        );
    }
}

// ----- Monte Carlo and SVG options ---------------------------------------------------

#[test]
fn monte_carlo_options_out_of_range() {
    use critical_minerals::Share;
    use critical_minerals::network::Target;
    use critical_minerals::simulation::{
        FailureModel, GovernanceMapping, MAX_RUNS_PER_CALL, MonteCarlo, Severity,
        SimulationOptions, Simulator,
    };
    // A probability above 1 cannot be built, in code or from JSON.
    let e = Share::new(1.5).unwrap_err();
    assert!(
        matches!(e, Error::InvalidShare { .. }) && e.to_string().contains("1.5"),
        "{e}"
    );
    for bad in [
        r#"{"kind":"nodes","probability":1.5}"#,
        r#"{"kind":"countries","probability":-0.5}"#,
        r#"{"kind":"per_country","probabilities":{"CHN":2},"otherwise":0}"#,
    ] {
        let e = serde_json::from_str::<FailureModel>(bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("invalid share"), "{bad}: {e}");
    }
    let chain = existing();
    let before = chain.to_json();
    let target = Target::country_stage(Country::MYS, Stage::Refining);
    let sim = Simulator::new(&chain, &target, &SimulationOptions::new()).unwrap();
    let p = Share::new(0.5).unwrap();
    let mc = MonteCarlo::new(FailureModel::Nodes { probability: p }).runs(10);
    let governance = |estimate: f64| {
        mc.clone().failure(FailureModel::Governance {
            estimates: [(Country::CHN, estimate)].into(),
            mapping: GovernanceMapping::new(),
        })
    };
    let domain = |e: &Error| matches!(e, Error::OutOfDomain { .. });
    let range = |e: &Error| matches!(e, Error::IndexOutOfRange { .. });
    let large = |e: &Error| matches!(e, Error::TooLarge { .. });
    type Case = (
        MonteCarlo,
        std::ops::Range<u64>,
        fn(&Error) -> bool,
        Vec<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            mc.clone().runs(0),
            0..0,
            domain,
            vec!["MonteCarlo::runs", "0"],
        ),
        (mc.clone(), 5..11, range, vec!["shard end", "11", "0..10"]),
        (
            mc.clone().runs(u64::MAX),
            0..u64::MAX,
            large,
            vec!["18446744073709551615", "10000000"],
        ),
        (
            mc.clone().severity(Severity::Uniform {
                low: Share::new(0.9).unwrap(),
                high: Share::new(0.1).unwrap(),
            }),
            0..10,
            domain,
            vec!["uniform severity", "90.0%..10.0%"],
        ),
        (
            governance(f64::NAN),
            0..10,
            domain,
            vec!["NaN for CHN", "governance estimate"],
        ),
        (
            governance(f64::INFINITY),
            0..10,
            domain,
            vec!["inf for CHN"],
        ),
    ];
    for (mc, runs, variant, needles) in &cases {
        let err = sim.monte_carlo_runs(mc, runs.clone()).unwrap_err();
        assert!(variant(&err), "{mc:?}: {err:?}");
        let msg = err.to_string();
        for n in needles {
            assert!(msg.contains(n), "{msg:?} does not name {n:?}");
        }
        assert_eq!(chain.to_json(), before);
    }
    // The whole experiment: the same checks.
    assert!(sim.monte_carlo(&mc.clone().runs(0)).is_err());
    assert!(
        sim.monte_carlo(&mc.clone().runs(MAX_RUNS_PER_CALL + 1))
            .is_err()
    );
    // An empty shard of a real experiment is fine (and merges as nothing).
    assert_eq!(
        sim.monte_carlo_runs(&mc, 3..3).unwrap().statistics().runs,
        0
    );
    // An estimate outside WGI's range is clamped, as documented.
    assert!(sim.monte_carlo(&governance(50.0)).is_ok());
}

#[test]
fn svg_options_out_of_range() {
    use critical_minerals::io::{FlowDiagram, SvgOptions};
    let chain = existing();
    let before = chain.to_json();
    let cases: Vec<(SvgOptions, Vec<&str>)> = vec![
        (SvgOptions::new().width(0.0), vec!["SvgOptions::width", "0"]),
        (
            SvgOptions::new().width(399.0),
            vec!["SvgOptions::width", "399"],
        ),
        (
            SvgOptions::new().width(f64::NAN),
            vec!["SvgOptions::width", "NaN"],
        ),
        (
            SvgOptions::new().width(f64::INFINITY),
            vec!["SvgOptions::width", "inf"],
        ),
        (
            SvgOptions::new().width(1e9),
            vec!["SvgOptions::width", "1000000000"],
        ),
        (
            SvgOptions::new().height(-300.0),
            vec!["SvgOptions::height", "-300"],
        ),
        (
            SvgOptions::new().height(f64::NAN),
            vec!["SvgOptions::height", "NaN"],
        ),
        (
            SvgOptions::new().countries_per_stage(0),
            vec!["SvgOptions::countries_per_stage", "0"],
        ),
    ];
    for (opts, needles) in &cases {
        let err = FlowDiagram::from_chain(&chain, opts).unwrap_err();
        assert!(
            matches!(err, Error::OutOfDomain { .. }),
            "{opts:?}: {err:?}"
        );
        let msg = err.to_string();
        for n in needles {
            assert!(msg.contains(n), "{msg:?} does not name {n:?}");
        }
        assert_eq!(chain.to_json(), before);
    }
    // A mineral with no flows: no data, named.
    let err =
        FlowDiagram::from_chain(&chain, &SvgOptions::new().mineral(Mineral::COBALT)).unwrap_err();
    assert!(matches!(err, Error::NoData { .. }), "{err:?}");
}

/// Every variant that quotes input keeps its message short whatever the
/// input's size (issue 19: a 100 MB schema string made a 104,857,697-char
/// `SchemaVersion` message).
#[test]
fn every_message_that_quotes_input_is_bounded() {
    let big = "x".repeat(1 << 20);
    let s = || big.clone();
    let errors = vec![
        Error::UnknownCountry { code: s() },
        Error::InvalidMineral {
            name: s(),
            reason: "r",
        },
        Error::UnknownStage { name: s() },
        Error::DuplicateId {
            kind: "source",
            id: s(),
        },
        Error::UnknownSource { id: s() },
        Error::OutOfDomain {
            field: "f",
            value: s(),
            expected: s(),
        },
        Error::UnknownValue {
            field: "f",
            value: s(),
            expected: "e",
        },
        Error::InvalidId { kind: "k", id: s() },
        Error::Inconsistent {
            kind: "k",
            id: s(),
            reason: s(),
        },
        Error::InvalidDate { value: s() },
        Error::Parse {
            file: Some(s().into()),
            line: 1,
            column: Some(2),
            message: s(),
        },
        Error::SchemaVersion {
            schema: s(),
            version: 9,
            expected: "e",
            supported: 2,
        },
        Error::Io {
            path: s().into(),
            source: std::io::Error::other("boom"),
        },
        Error::MixedBasis {
            mineral: Mineral::COBALT,
            stage: Stage::Refining,
            first: s(),
            second: s(),
            item: Some(s()),
        },
        Error::NoData { what: s() },
        Error::NotInChain {
            what: "country",
            value: s(),
        },
        Error::NotConverged {
            what: s(),
            sweeps: 1,
            residual: 1.0,
        },
        Error::Invalid {
            context: s(),
            source: Box::new(Error::UnknownCountry { code: s() }),
        },
    ];
    for (i, e) in errors.into_iter().enumerate() {
        let msg = e.to_string();
        assert!(
            msg.len() < 4_000,
            "error {i}: {} chars: {}",
            msg.len(),
            &msg[..200]
        );
        assert!(msg.contains("xxxx"), "the value is still quoted: {msg}");
    }
    // End to end: a JSON document whose schema string is 100 MB.
    let text = format!(r#"{{"schema":"{}","version":2}}"#, "s".repeat(100 << 20));
    let err = SupplyChain::from_json(&text).unwrap_err();
    assert!(matches!(err, Error::SchemaVersion { .. }), "{err}");
    assert!(err.to_string().len() < 1_000, "{}", err.to_string().len());
}

/// The same bytes give the same result under any split of the reads,
/// including files that start with repeated byte-order marks (issue 19: two
/// BOMs read three bytes at a time failed with `missing column "country"`
/// while every other split gave another result).
#[test]
fn repeated_byte_order_marks_read_the_same_under_any_split() {
    let body = "country,mineral,stage,output\nAUS,lithium,extraction,10\n";
    for boms in 0..4 {
        let text = format!("{}{body}", "\u{feff}".repeat(boms));
        let bytes = text.as_bytes();
        let mut whole = SupplyChain::new();
        let expected = read_nodes_csv(&mut whole, bytes).map_err(|e| e.to_string());
        for n in 1..=bytes.len() {
            let mut c = SupplyChain::new();
            let got = read_nodes_csv(&mut c, Chunked { data: bytes, n }).map_err(|e| e.to_string());
            assert_eq!(got, expected, "{boms} BOMs, {n}-byte reads");
            assert_eq!(c, whole, "{boms} BOMs, {n}-byte reads");
        }
        assert!(expected.is_ok(), "{boms} BOMs: {expected:?}");
        // BACI's reader finds its header on its own: the same rule.
        let baci = format!(
            "{}t,i,j,k,v,q\n2024,156,842,284690,10,2\n",
            "\u{feff}".repeat(boms)
        );
        let whole = load_baci(
            &mut SupplyChain::new(),
            baci.as_bytes(),
            &TradeOptions::new(),
        )
        .map_err(|e| e.to_string());
        assert!(whole.is_ok(), "{boms} BOMs: {whole:?}");
        for n in 1..=baci.len() {
            let data = baci.as_bytes();
            let got = load_baci(
                &mut SupplyChain::new(),
                Chunked { data, n },
                &TradeOptions::new(),
            )
            .map_err(|e| e.to_string());
            assert_eq!(got, whole, "BACI, {boms} BOMs, {n}-byte reads");
        }
    }
}

/// A figure outside the domain says what is wrong with it (issue 19: `1e308`
/// was "not a non-negative number"), and the lenient default skips and
/// counts its row.
#[test]
fn out_of_domain_figures_say_what_is_wrong() {
    use critical_minerals::io::SkipReason;
    let strict = TradeOptions::new().strict(true);
    let ct = |v: &str, w: &str| format!("{CT_HEAD}2023,842,156,M,811292,{w},{v}\n");
    for (text, expected) in [
        (
            ct("1e308", "5000"),
            "primaryValue: \"1e308\" is outside the accepted domain: above 1e15",
        ),
        (
            ct("100", "1e308"),
            "netWgt: \"1e308\" is outside the accepted domain: above 1e18",
        ),
        (ct("-1", "5000"), "primaryValue: \"-1\" is negative"),
        (
            ct("inf", "5000"),
            "primaryValue: \"inf\" is not a finite number",
        ),
        (ct("ten", "5000"), "primaryValue: \"ten\" is not a number"),
    ] {
        let err = load_comtrade(&mut SupplyChain::new(), text.as_bytes(), &strict).unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
        let mut chain = SupplyChain::new();
        let report = load_comtrade(&mut chain, text.as_bytes(), &TradeOptions::new()).unwrap();
        assert_eq!(report.rows_kept, 0);
        assert_eq!(
            report.skipped(SkipReason::InvalidValue) + report.skipped(SkipReason::InvalidQuantity),
            1
        );
        assert_eq!(chain.flow_count(), 0);
    }
    let baci = "t,i,j,k,v,q\n2024,156,842,284690,10,1e308\n";
    let err = load_baci(&mut SupplyChain::new(), baci.as_bytes(), &strict).unwrap_err();
    assert!(
        err.to_string()
            .contains("q: \"1e308\" is outside the accepted domain: above 1e15"),
        "{err}"
    );
}
