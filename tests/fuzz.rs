//! Fuzzing every parser with proptest (issue 10): random bytes, and valid
//! files with random mutations. No input may panic; an accepted input must
//! re-serialise to an equivalent one (or, for the trade loaders, which
//! have no writer, leave a chain that round-trips).
//!
//! The case count is proptest's: 256 by default (the CI run), more with
//! `PROPTEST_CASES`. The long campaign of the issue:
//! `PROPTEST_CASES=100000 cargo test --release --test main fuzz::`.
//! Every input that ever failed is a file under `tests/data/fuzz/`, loaded
//! by [`regression_files_load_without_panic`].

use std::path::{Path, PathBuf};

use critical_minerals::data::HsConcordance;
use critical_minerals::io::{
    TradeOptions, load_baci, load_comtrade, read_flows_csv, read_nodes_csv, write_flows_csv,
    write_nodes_csv,
};
use critical_minerals::{Country, Flow, Mineral, Node, NodeId, Stage, SupplyChain, Tonnes};
use proptest::prelude::*;

use crate::bad_input::{Chunked, same_allocator};
use crate::peer::PeerGraph;

fn config() -> ProptestConfig {
    // `ProptestConfig::default()` reads PROPTEST_CASES (default 256).
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn data(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap()
}

/// One edit of a file: overwrite, insert or delete at a position, or
/// repeat a span. Inserted bytes favour what parsers trip on.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Repeat(usize, usize),
}

fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => prop::sample::select(b",;\t\n\r\"-.e0123456789NaInf \xEF\xBB\xBF{}[]:".to_vec()),
        1 => any::<u8>(),
    ]
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), byte()).prop_map(|(p, b)| Edit::Set(p, b)),
        (any::<usize>(), byte()).prop_map(|(p, b)| Edit::Insert(p, b)),
        (any::<usize>(), 1usize..16).prop_map(|(p, n)| Edit::Delete(p, n)),
        (any::<usize>(), 1usize..64).prop_map(|(p, n)| Edit::Repeat(p, n)),
    ];
    prop::collection::vec(edit, 1..6)
}

fn mutate(mut v: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = v.len();
        let at = |p: usize| if len == 0 { 0 } else { p % len };
        match *e {
            Edit::Set(p, b) if len > 0 => v[at(p)] = b,
            Edit::Set(..) => {}
            Edit::Insert(p, b) => v.insert(if len == 0 { 0 } else { p % (len + 1) }, b),
            Edit::Delete(p, n) => {
                let a = at(p);
                v.drain(a..(a + n).min(len));
            }
            Edit::Repeat(p, n) => {
                let a = at(p);
                let span = v[a..(a + n).min(len)].to_vec();
                v.splice(a..a, span);
            }
        }
    }
    v
}

/// Inputs for one parser: random bytes, or a valid file mutated.
fn inputs(valid: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        edits().prop_map(move |e| mutate(valid.clone(), &e)),
    ]
}

// ----- what each parser must do with what it accepts -------------------------

fn nodes_csv(bytes: &[u8]) {
    let mut chain = SupplyChain::new();
    if read_nodes_csv(&mut chain, Chunked { data: bytes, n: 3 }).is_ok() {
        let mut out = Vec::new();
        write_nodes_csv(&chain, &mut out).unwrap();
        let mut again = SupplyChain::new();
        read_nodes_csv(&mut again, out.as_slice()).unwrap();
        assert_eq!(again, chain);
    }
}

fn flows_csv(bytes: &[u8]) {
    let mut chain = SupplyChain::new();
    if read_flows_csv(&mut chain, Chunked { data: bytes, n: 5 }).is_ok() {
        let mut out = Vec::new();
        write_flows_csv(&chain, &mut out).unwrap();
        let mut again = SupplyChain::new();
        read_flows_csv(&mut again, out.as_slice()).unwrap();
        assert_eq!(again, chain);
    }
}

fn json(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(chain) = SupplyChain::from_json(text) {
        let out = chain.to_json();
        let again = SupplyChain::from_json(&out).unwrap();
        assert_eq!(again, chain);
        assert_eq!(again.to_json(), out);
    }
}

/// The trade loaders have no writer: an accepted file leaves a chain that
/// round-trips and a report that adds up.
fn trade(bytes: &[u8], baci: bool) {
    let mut chain = SupplyChain::new();
    let opts = TradeOptions::new();
    let r = if baci {
        load_baci(&mut chain, Chunked { data: bytes, n: 7 }, &opts)
    } else {
        load_comtrade(&mut chain, Chunked { data: bytes, n: 7 }, &opts)
    };
    if let Ok(r) = r {
        assert!(r.rows_kept <= r.rows_read);
        assert_eq!(r.flows_added, chain.flow_count());
        assert_eq!(SupplyChain::from_json(&chain.to_json()).unwrap(), chain);
    }
}

fn concordance(bytes: &[u8]) {
    if let Ok(hs) = HsConcordance::from_csv_reader(Chunked { data: bytes, n: 4 }) {
        // Every entry is findable by its code.
        for e in hs.iter() {
            assert!(hs.get(e.hs6).iter().any(|x| x == e));
        }
    }
}

/// A tiny peer directory (the real one is too large to rewrite 100,000
/// times), one of its files replaced per case.
fn peer(dir: &Path, file: &str, bytes: &[u8]) {
    std::fs::write(dir.join(file), bytes).unwrap();
    if let Ok(g) = PeerGraph::read(dir) {
        let n = g.nodes.len();
        assert!(
            g.edges
                .iter()
                .all(|e| (e.from as usize) < n && (e.to as usize) < n)
        );
        assert!(g.scenarios.iter().flatten().all(|&v| (v as usize) < n));
        let _ = g.flow_network();
    }
}

const PEER: [(&str, &str); 5] = [
    (
        "nodes.csv",
        "id,country,stage,mineral,capacity\n0,C000,extraction,M000,5\n1,C001,processing,M000,3\n2,C001,refining,M000,2\n",
    ),
    ("edges.csv", "src,dst,capacity\n0,1,5\n1,2,3\n"),
    ("crit_sample.txt", "0\n1\n"),
    ("mc_scenarios.csv", "scenario,node\n0,1\n1,0\n"),
    (
        "meta.json",
        "{\n \"params\": {\"mc_scenarios\": 2},\n \"target_country\": \"C001\",\n \"target_nodes\": [\n  2\n ]\n}\n",
    ),
];

fn peer_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cm-fuzz-peer-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (f, text) in PEER {
        std::fs::write(dir.join(f), text).unwrap();
    }
    dir
}

// ----- the campaigns ---------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_nodes_csv(bytes in inputs(data("nodes.csv"))) {
        nodes_csv(&bytes);
    }

    #[test]
    fn fuzz_flows_csv(bytes in inputs(data("flows.csv"))) {
        flows_csv(&bytes);
    }

    #[test]
    fn fuzz_baci(bytes in inputs(data("baci_sample.csv"))) {
        trade(&bytes, true);
    }

    #[test]
    fn fuzz_comtrade(bytes in inputs(data("comtrade_sample.csv"))) {
        trade(&bytes, false);
    }

    #[test]
    fn fuzz_chain_json(bytes in inputs(json_seed())) {
        json(&bytes);
    }

    #[test]
    fn fuzz_scenario_json(bytes in inputs(scenario_seed())) {
        scenario_json(&bytes);
    }

    #[test]
    fn fuzz_concordance(bytes in inputs(data("../../data/hs_concordance.csv"))) {
        concordance(&bytes);
    }

    #[test]
    fn fuzz_peer_reader(file in 0usize..5, bytes in prop::collection::vec(any::<u8>(), 0..64), e in edits(), random in any::<bool>()) {
        thread_local!(static DIR: PathBuf = peer_dir(&format!("{:?}", std::thread::current().id())));
        let (name, valid) = PEER[file];
        let bytes = if random { bytes } else { mutate(valid.as_bytes().to_vec(), &e) };
        DIR.with(|d| {
            peer(d, name, &bytes);
            std::fs::write(d.join(name), valid).unwrap();
        });
    }

    /// Remove nodes and flows at random, round-trip through JSON: both
    /// chains hand out the same ids afterwards.
    #[test]
    fn json_round_trip_keeps_the_allocator(
        n in 1usize..12,
        removals in prop::collection::vec((any::<bool>(), any::<u8>()), 0..10),
    ) {
        let mut chain = SupplyChain::new();
        let mut nodes: Vec<NodeId> = Vec::new();
        for i in 0..n {
            // Keys (country, mineral, stage) distinct for i < 12.
            let m = Mineral::new(format!("m{}", i % 2)).unwrap();
            let country = [Country::AUS, Country::CHN][i / 6];
            nodes.push(chain.add_node(Node::new(country, m, Stage::ALL[i % 6])).unwrap());
        }
        for (i, &a) in nodes.iter().enumerate() {
            for &b in &nodes[i + 1..] {
                let _ = chain.add_flow(a, b, Flow::new(Tonnes::new(1.0).unwrap()));
            }
        }
        for (node, k) in removals {
            if node {
                let live: Vec<NodeId> = chain.nodes().map(|(id, _)| id).collect();
                if !live.is_empty() {
                    chain.remove_node(live[k as usize % live.len()]).unwrap();
                }
            } else {
                let live: Vec<_> = chain.flows().map(|f| f.id).collect();
                if !live.is_empty() {
                    chain.remove_flow(live[k as usize % live.len()]).unwrap();
                }
            }
        }
        same_allocator(&chain);
    }
}

/// An accepted scenario re-serialises to itself.
fn scenario_json(bytes: &[u8]) {
    use critical_minerals::simulation::Scenario;
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match Scenario::from_json(text) {
        Ok(s) => {
            let out = s.to_json();
            assert_eq!(Scenario::from_json(&out).unwrap(), s);
        }
        Err(e) => assert!(e.to_string().len() < 2_000, "{e}"),
    }
}

/// One shock of every kind, so mutations reach every field's parser.
fn scenario_seed() -> Vec<u8> {
    let node = r#"{"country":"MYS","mineral":"rare-earths","stage":"refining"}"#;
    let mine = r#"{"country":"AUS","mineral":"rare-earths","stage":"extraction"}"#;
    format!(
        r#"{{"name":"seed","description":"every kind","shocks":[{{"kind":"remove_country","country":"CHN"}},{{"kind":"remove_node","node":{node}}},{{"kind":"cut_capacity","node":{node},"fraction":0.25}},{{"kind":"export_restriction","imposer":"CHN","minerals":{{"only":["rare-earths"]}},"stages":"all","toward":{{"all_except":["MYS"]}},"measure":{{"type":"quota","tonnes":1000.5}}}},{{"kind":"apply_restrictions","on":"2025-10-09","honour_agreements":false,"licence_let_through":0.5}},{{"kind":"discontinue_agreement","agreement":"us-mys-mou","on":"2026-01-01"}},{{"kind":"add_capacity","node":{mine},"tonnes":5000,"under":"us-mys-mou"}},{{"kind":"add_link","from":{mine},"to":{node},"tonnes":10}},{{"kind":"raise_recycling","country":"USA","mineral":"rare-earths","share":0.1}}]}}"#
    )
    .into_bytes()
}

fn json_seed() -> Vec<u8> {
    let mut chain = SupplyChain::new();
    let ree = Mineral::RARE_EARTHS;
    let a = chain
        .add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction))
        .unwrap();
    let gone = chain
        .add_node(Node::new(Country::JPN, ree.clone(), Stage::Refining))
        .unwrap();
    let b = chain
        .add_node(Node::new(Country::MYS, ree, Stage::Refining))
        .unwrap();
    chain
        .add_flow(a, gone, Flow::new(Tonnes::new(1.0).unwrap()))
        .unwrap();
    chain
        .add_flow(a, b, Flow::new(Tonnes::new(10_000.5).unwrap()).year(2024))
        .unwrap();
    chain.remove_node(gone).unwrap();
    chain.to_json().into_bytes()
}

/// Every input that ever failed (a panic, a wrong error, a slow load) is a
/// file here; each must load through its parser without panicking, and
/// within a second.
#[test]
fn regression_files_load_without_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        // A slow input (a quadratic path) is slow on every try; a busy
        // machine (CI shares its cores) is slow on one: the best of three
        // tries must be under a second, so only a slow input fails.
        let mut best = f64::INFINITY;
        for _ in 0..3 {
            let t = std::time::Instant::now();
            match name.split('-').next().unwrap() {
                "nodes" => nodes_csv(&bytes),
                "flows" => flows_csv(&bytes),
                "baci" => trade(&bytes, true),
                "comtrade" => trade(&bytes, false),
                "json" => json(&bytes),
                "scenario" => scenario_json(&bytes),
                "concordance" => concordance(&bytes),
                "peer" => {
                    // peer-<file>-<what>: replaces that file of the tiny directory.
                    let file = PEER
                        .iter()
                        .find(|(f, _)| name.contains(f.split('.').next().unwrap()))
                        .unwrap()
                        .0;
                    let d = peer_dir(&name);
                    peer(&d, file, &bytes);
                    std::fs::remove_dir_all(&d).ok();
                }
                other => panic!("{name}: no parser for prefix {other:?}"),
            }
            best = best.min(t.elapsed().as_secs_f64());
            if best < 1.0 {
                break;
            }
        }
        assert!(best < 1.0, "{name} took {best:.3} s at best of three tries");
        seen += 1;
    }
    assert!(seen >= 8, "{seen} regression files");
}

/// The mutation seed reads, so its mutations start from a valid file.
#[test]
fn scenario_seed_is_valid() {
    let text = String::from_utf8(scenario_seed()).unwrap();
    let s = critical_minerals::simulation::Scenario::from_json(&text).unwrap();
    assert_eq!(s.shocks.len(), 9);
}
