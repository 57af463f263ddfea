//! Flow engine: hand-worked networks, a chain in domain terms, the peer
//! benchmark's small graph, and properties over random networks.

use critical_minerals::flow::{CutArc, FlowNetwork, NetEdge, SupplyEngine};
use critical_minerals::network::{
    ChainNetwork, FlowOptions, LinkCapacity, NodeLimit, SourceRule, Target,
};
use critical_minerals::{Country, Error, Flow, Mineral, Node, NodeId, Stage, SupplyChain, Tonnes};
use proptest::prelude::*;

use crate::peer::PeerGraph;

fn e(from: u32, to: u32, capacity: i64) -> NetEdge {
    NetEdge { from, to, capacity }
}

/// From-scratch maximum flow with the nodes `removed` taken out: every arc
/// at a removed node is dropped and the reduced network solved anew.
fn naive_without(net: &FlowNetwork, removed: &[u32]) -> i64 {
    let gone = |v: u32| removed.contains(&v);
    let edges = net
        .edges()
        .iter()
        .copied()
        .filter(|x| !gone(x.from) && !gone(x.to))
        .collect();
    let supply = net
        .supply()
        .iter()
        .copied()
        .filter(|x| !gone(x.0))
        .collect();
    let demand = net
        .demand()
        .iter()
        .copied()
        .filter(|x| !gone(x.0))
        .collect();
    let limits = (0..net.node_count() as u32)
        .map(|v| net.node_limit(v))
        .collect();
    FlowNetwork::new(net.node_count(), edges, supply, demand)
        .and_then(|n| n.with_node_limits(limits))
        .map(|n| n.max_flow_value())
        .unwrap_or(-1)
}

// ----- hand-worked networks ------------------------------------------------

/// CLRS figure 26.1 with s = 0, v1..v4 = 1..4, t = 5; s is the only supplied
/// node and t the only target, both without limit (supply/demand 1000).
fn clrs() -> FlowNetwork {
    let edges = vec![
        e(0, 1, 16),
        e(0, 2, 13),
        e(2, 1, 4),
        e(1, 3, 12),
        e(3, 2, 9),
        e(2, 4, 14),
        e(4, 3, 7),
        e(3, 5, 20),
        e(4, 5, 4),
    ];
    FlowNetwork::new(6, edges, vec![(0, 1000)], vec![(5, 1000)]).unwrap()
}

#[test]
fn clrs_max_flow_is_23_with_its_textbook_cut() {
    let net = clrs();
    let engine = SupplyEngine::new(&net);
    // The textbook answer: 23 = v1→v3 (12) + v4→v3 (7) + v4→t (4), the cut
    // {s, v1, v2, v4} | {v3, t}; every other cut is larger ({s}: 29,
    // {s, v1, v2}: 26, {s, v1, v2, v3, v4}: 24).
    assert_eq!(engine.baseline(), 23);
    assert_eq!(
        engine.min_cut_arcs(),
        vec![CutArc::Edge(3), CutArc::Edge(6), CutArc::Edge(8)]
    );
    let cut: i64 = engine
        .min_cut_arcs()
        .into_iter()
        .map(|a| engine.cut_capacity(a))
        .sum();
    assert_eq!(cut, 23);
}

#[test]
fn clrs_criticality_by_hand() {
    let net = clrs();
    let engine = SupplyEngine::new(&net);
    let without = engine.supply_without_each_node();
    // v1 gone: s→v2 (13) → v4, which passes 7 to v3 and 4 to t: 11.
    assert_eq!(without[1], 11);
    // v2 gone: s→v1→v3 (12) → t; v4 has no input: 12.
    assert_eq!(without[2], 12);
    // v3 gone: only v4→t (4) reaches t.
    assert_eq!(without[3], 4);
    // v4 gone: only v1→v3 (12) feeds v3 (v2 reaches v3 only via v4): 12.
    assert_eq!(without[4], 12);
    // The source or the target gone: nothing.
    assert_eq!((without[0], without[5]), (0, 0));
    assert_eq!(engine.supply_without(&[1, 2]).unwrap(), 0);
}

/// Diamond: supplied a (10) splits to b and c (6 each), both feed target d
/// (5 each).
fn diamond() -> FlowNetwork {
    FlowNetwork::new(
        4,
        vec![e(0, 1, 6), e(0, 2, 6), e(1, 3, 5), e(2, 3, 5)],
        vec![(0, 10)],
        vec![(3, 100)],
    )
    .unwrap()
}

#[test]
fn diamond_dominator_is_fully_critical() {
    let net = diamond();
    let engine = SupplyEngine::new(&net);
    // min(10 supplied, 6 + 6 split, 5 + 5 into d) = 10.
    assert_eq!(engine.baseline(), 10);
    // a dominates d: removing it cuts everything; b or c halve it.
    assert_eq!(engine.supply_without_each_node(), vec![0, 5, 5, 0]);
    // The fewest nodes (targets excluded) that disconnect d: a alone.
    assert_eq!(net.min_node_cut(), Some(vec![0]));
}

#[test]
fn chain_with_a_bridge() {
    // x1, x2 (5 each) → h1 → h2 (the bridge, 7) → targets t1, t2 (4 each).
    let net = FlowNetwork::new(
        6,
        vec![e(0, 2, 5), e(1, 2, 5), e(2, 3, 7), e(3, 4, 4), e(3, 5, 4)],
        vec![(0, 5), (1, 5)],
        vec![(4, 100), (5, 100)],
    )
    .unwrap();
    let engine = SupplyEngine::new(&net);
    // min(10 supplied, 7 on the bridge, 8 out of h2) = 7.
    assert_eq!(engine.baseline(), 7);
    // Source side {S, x1, x2, h1}: the bridge is the one saturated arc out.
    assert_eq!(engine.min_cut_arcs(), vec![CutArc::Edge(2)]);
    // h1 or h2 gone: nothing; x1 gone: x2 still sends 5.
    assert_eq!(engine.supply_without(&[2]).unwrap(), 0);
    assert_eq!(engine.supply_without(&[3]).unwrap(), 0);
    assert_eq!(engine.supply_without(&[0]).unwrap(), 5);
    // One node suffices to disconnect the targets: h1 (nearest the source).
    assert_eq!(net.min_node_cut(), Some(vec![2]));
}

#[test]
fn node_limits_split_nodes() {
    // 0 → 1 → 2 with edges of 10, but node 1 passes at most 3.
    let net = FlowNetwork::new(
        3,
        vec![e(0, 1, 10), e(1, 2, 10)],
        vec![(0, 10)],
        vec![(2, 10)],
    )
    .unwrap()
    .with_node_limits(vec![None, Some(3), None])
    .unwrap();
    let engine = SupplyEngine::new(&net);
    assert_eq!(engine.baseline(), 3);
    assert_eq!(engine.min_cut_arcs(), vec![CutArc::Node(1)]);
}

/// The input a refusal names (index, field or size); any other outcome fails the
/// test.
fn refused<T: std::fmt::Debug>(r: critical_minerals::Result<T>) -> &'static str {
    match r {
        Err(Error::IndexOutOfRange { what, .. }) => what,
        Err(Error::OutOfDomain { field, .. }) => field,
        Err(Error::TooLarge { what, .. }) => what,
        other => panic!("expected a refusal naming the input, got {other:?}"),
    }
}

#[test]
fn bad_integer_input_is_refused() {
    // Each refusal names the offending field.
    let net2 = |edges, supply| FlowNetwork::new(2, edges, supply, vec![]);
    assert_eq!(refused(net2(vec![e(0, 5, 1)], vec![])), "edge head");
    assert_eq!(refused(net2(vec![e(0, 1, -1)], vec![])), "edge capacity");
    assert_eq!(refused(net2(vec![], vec![(2, 1)])), "supply node");
    let net = diamond();
    // Diamond has 4 nodes: one limit is too few.
    assert_eq!(
        refused(net.clone().with_node_limits(vec![None])),
        "node limits"
    );
    let engine = SupplyEngine::new(&net);
    assert_eq!(refused(engine.supply_without(&[9])), "removed node");
    assert_eq!(
        refused(engine.supply_without_each(&[vec![0], vec![4]])),
        "removed node"
    );
}

// ----- a chain in domain terms -----------------------------------------------

struct Ree {
    chain: SupplyChain,
    aus: NodeId,
    chn_mine: NodeId,
    chn_ref: NodeId,
    mys_ref: NodeId,
    usa: NodeId,
}

/// AUS mine (100 t) ships 60 to CHN and 40 to MYS refining; a CHN mine
/// (200 t) ships 200 to CHN refining (output 250); CHN refining ships 150
/// and MYS refining (output 50) 40 to USA manufacturing.
fn ree() -> Ree {
    let m = Mineral::RARE_EARTHS;
    let t = |x: f64| Tonnes::new(x).unwrap();
    let mut chain = SupplyChain::new();
    let mut node = |c, s, out: Option<f64>| {
        let mut n = Node::new(c, m.clone(), s);
        if let Some(o) = out {
            n = n.output(t(o));
        }
        chain.add_node(n).unwrap()
    };
    let aus = node(Country::AUS, Stage::Extraction, Some(100.0));
    let chn_mine = node(Country::CHN, Stage::Extraction, Some(200.0));
    let chn_ref = node(Country::CHN, Stage::Refining, Some(250.0));
    let mys_ref = node(Country::MYS, Stage::Refining, Some(50.0));
    let usa = node(Country::USA, Stage::Manufacturing, None);
    for (a, b, x) in [
        (aus, chn_ref, 60.0),
        (aus, mys_ref, 40.0),
        (chn_mine, chn_ref, 200.0),
        (chn_ref, usa, 150.0),
        (mys_ref, usa, 40.0),
    ] {
        chain.add_flow(a, b, Flow::new(t(x))).unwrap();
    }
    Ree {
        chain,
        aus,
        chn_mine,
        chn_ref,
        mys_ref,
        usa,
    }
}

fn usa_target() -> Target {
    Target::country_stage(Country::USA, Stage::Manufacturing)
}

#[test]
fn chain_deliverable_supply_criticality_and_cuts() {
    let r = ree();
    let net = ChainNetwork::new(&r.chain, &usa_target(), &FlowOptions::new()).unwrap();
    let engine = net.solve();
    // Into USA: 150 from CHN refining + 40 from MYS refining = 190.
    assert_eq!(engine.deliverable_supply().get(), 190.0);

    let nodes = engine.node_criticality();
    // USA itself: everything (1.0). CHN refining: 150 of 190. CHN mine:
    // CHN refining then only gets AUS's 60, so 60 + 40 = 100 reach USA (90
    // lost). MYS refining: 40 lost. AUS: CHN refining still ships 150
    // from the CHN mine; MYS refining loses its 40 t of ore but originates
    // the 10 t its output (50) exceeds its recorded inflow (40), the
    // default source rule: 160 arrive, 30 lost.
    let ranked: Vec<(NodeId, f64)> = nodes.iter().map(|c| (c.node, c.lost.get())).collect();
    assert_eq!(
        ranked,
        vec![
            (r.usa, 190.0),
            (r.chn_ref, 150.0),
            (r.chn_mine, 90.0),
            (r.mys_ref, 40.0),
            (r.aus, 30.0)
        ]
    );
    // Under the extraction-only rule MYS's 10 t do not exist: AUS costs 40,
    // tied with MYS refining (lower id first).
    let extraction_only = ChainNetwork::new(
        &r.chain,
        &usa_target(),
        &FlowOptions::new().sources(SourceRule::Extraction),
    )
    .unwrap();
    let ranked: Vec<(NodeId, f64)> = extraction_only
        .solve()
        .node_criticality()
        .iter()
        .map(|c| (c.node, c.lost.get()))
        .collect();
    assert_eq!(
        ranked,
        vec![
            (r.usa, 190.0),
            (r.chn_ref, 150.0),
            (r.chn_mine, 90.0),
            (r.aus, 40.0),
            (r.mys_ref, 40.0)
        ]
    );
    assert_eq!(nodes[0].criticality.get(), 1.0);
    assert_eq!(nodes[1].criticality.get(), 150.0 / 190.0);

    let countries = engine.country_criticality();
    let ranked: Vec<(Country, f64)> = countries
        .iter()
        .map(|c| (c.country, c.lost.get()))
        .collect();
    // CHN gone: only AUS→MYS→USA (40) is left, 150 lost; USA: all 190;
    // MYS: 40; AUS: 30 (MYS still originates 10, as above).
    assert_eq!(
        ranked,
        vec![
            (Country::USA, 190.0),
            (Country::CHN, 150.0),
            (Country::MYS, 40.0),
            (Country::AUS, 30.0)
        ]
    );

    // Source side of the cut: S, the CHN mine, CHN refining (spare
    // capacity), AUS and MYS refining (it can still take its own 10 t from
    // S); saturated arcs leaving it: the two links into the USA, CHN→USA
    // (150) and MYS→USA (40).
    let cut = engine.min_cut();
    assert_eq!(cut.value.get(), 190.0);
    let pairs: Vec<(Country, Country, f64)> = cut
        .country_pairs
        .iter()
        .map(|p| (p.from, p.to, p.tonnes.get()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            (Country::CHN, Country::USA, 150.0),
            (Country::MYS, Country::USA, 40.0)
        ]
    );
    assert!(cut.node_limits.is_empty() && cut.supplies.is_empty() && cut.drains.is_empty());

    // Two nodes are needed to disconnect USA (three routes, two of them via
    // CHN refining); removing them leaves nothing.
    let node_cut = net.min_node_cut().unwrap();
    assert_eq!(node_cut.len(), 2);
    assert_eq!(engine.supply_without(&node_cut).unwrap().get(), 0.0);
}

#[test]
fn chain_options_and_targets() {
    let mut r = ree();
    // A zero-tonne link MYS refining → USA... already exists; add a new
    // zero-tonne one from the CHN mine straight to MYS refining.
    r.chain
        .add_flow(r.chn_mine, r.mys_ref, Flow::new(Tonnes::ZERO))
        .unwrap();
    let dropped = ChainNetwork::new(&r.chain, &usa_target(), &FlowOptions::new()).unwrap();
    assert_eq!(dropped.flow_network().edges().len(), 5);
    let kept = ChainNetwork::new(
        &r.chain,
        &usa_target(),
        &FlowOptions::new().links(LinkCapacity::UpToExporter),
    )
    .unwrap();
    assert_eq!(kept.flow_network().edges().len(), 6);
    // Without the AUS mine, observed links: CHN refining ships its 150 and
    // MYS refining the 10 t it originates (output 50, inflow 40) = 160.
    assert_eq!(
        dropped.solve().supply_without(&[r.aus]).unwrap().get(),
        160.0
    );
    // Links up to the exporter's limit: the CHN mine's 200 t can go either
    // way (the zero-tonne link to MYS now carries up to 200); MYS passes
    // its limit of 50 (10 its own + 40 from the CHN mine), CHN refining the
    // other 160 of the mine: 210 reach the USA.
    assert_eq!(kept.solve().supply_without(&[r.aus]).unwrap().get(), 210.0);

    // Capacity instead of output: MYS refining's capacity of 30 binds.
    r.chain
        .set_capacity(r.mys_ref, Some(Tonnes::new(30.0).unwrap()))
        .unwrap();
    let cap = ChainNetwork::new(
        &r.chain,
        &usa_target(),
        &FlowOptions::new().limit(NodeLimit::Capacity),
    )
    .unwrap();
    assert_eq!(cap.solve().deliverable_supply().get(), 180.0);

    // All refining demand: CHN refining takes 250 at most (its output) of
    // the 260 t of ore; MYS refining its 40 t of ore plus the 10 t it
    // originates (output 50 beyond inflow 40): 300.
    let refining = ChainNetwork::new(
        &r.chain,
        &Target::Stage(Stage::Refining),
        &FlowOptions::new(),
    )
    .unwrap();
    assert_eq!(refining.solve().deliverable_supply().get(), 300.0);
    let explicit = ChainNetwork::new(
        &r.chain,
        &Target::Nodes(vec![r.mys_ref]),
        &FlowOptions::new(),
    )
    .unwrap();
    assert_eq!(explicit.solve().deliverable_supply().get(), 50.0);

    // Errors: an empty target, a node of another mineral, an unknown id.
    let none = Target::country_stage(Country::JPN, Stage::Manufacturing);
    assert!(matches!(
        ChainNetwork::new(&r.chain, &none, &FlowOptions::new()),
        Err(Error::Inconsistent { kind: "target", .. })
    ));
    let cobalt = FlowOptions::new().mineral(Mineral::COBALT);
    assert!(ChainNetwork::new(&r.chain, &Target::Nodes(vec![r.usa]), &cobalt).is_err());
    // An id the chain never had: the next one a copy of it hands out.
    let mut other = r.chain.clone();
    let stranger = other.ensure_node(critical_minerals::NodeKey::new(
        Country::JPN,
        Mineral::RARE_EARTHS,
        Stage::Refining,
    ));
    assert!(matches!(
        ChainNetwork::new(
            &r.chain,
            &Target::Nodes(vec![stranger]),
            &FlowOptions::new()
        ),
        Err(Error::UnknownNode { .. })
    ));
}

// ----- the peer benchmark's small graph ----------------------------------------

fn peer_small() -> PeerGraph {
    PeerGraph::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/peer_small"
    ))
    .unwrap()
}

#[test]
fn peer_small_matches_the_peers_and_the_naive_loop() {
    let g = peer_small();
    assert_eq!((g.nodes.len(), g.edges.len()), (147, 981));
    let net = g.flow_network().unwrap();
    let engine = SupplyEngine::new(&net);
    // RESULTS.md: networkx and igraph agree on 329396.
    assert_eq!(engine.baseline(), 329_396);
    let fast = engine.supply_without_each_node();
    for v in 0..net.node_count() as u32 {
        assert_eq!(fast[v as usize], naive_without(&net, &[v]), "node {v}");
    }
    // igraph's loop on the same files (bench.py, crit): of the first 20
    // sample nodes only the 18th lowers the flow, to 326117.
    let first20: Vec<i64> = g
        .crit_sample
        .iter()
        .take(20)
        .map(|&v| fast[v as usize])
        .collect();
    let mut expected = vec![329_396; 20];
    expected[17] = 326_117;
    assert_eq!(first20, expected);
    // igraph's first ten Monte Carlo scenarios (bench.py, mc).
    let mc = engine.supply_without_each(&g.scenarios).unwrap();
    assert_eq!(
        mc[..10],
        [
            0, 305_173, 328_063, 325_170, 316_622, 329_396, 329_396, 0, 180_644, 276_809
        ]
    );
    for (i, s) in g.scenarios.iter().enumerate().step_by(10) {
        assert_eq!(mc[i], naive_without(&net, s), "scenario {i}");
    }
}

#[test]
fn peer_files_errors_name_the_file() {
    let err = PeerGraph::read("/nonexistent/peer").unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
    // The fields are public: a hand-edited graph is checked, not trusted.
    let mut g = peer_small();
    g.edges.push(e(0, 999, 1));
    assert!(matches!(
        g.flow_network(),
        Err(Error::IndexOutOfRange { .. })
    ));
}

// ----- properties ----------------------------------------------------------------

#[derive(Debug, Clone)]
struct Spec {
    n: usize,
    edges: Vec<(u32, u32, i64)>,
    supply: Vec<(u32, i64)>,
    demand: Vec<(u32, i64)>,
    limits: Vec<Option<i64>>,
}

fn spec(max_n: usize, with_limits: bool) -> impl Strategy<Value = Spec> {
    (2..=max_n).prop_flat_map(move |n| {
        let v = 0..n as u32;
        (
            prop::collection::vec((v.clone(), v.clone(), 0i64..20), 0..3 * n),
            prop::collection::vec((v.clone(), 1i64..30), 1..=3),
            prop::collection::vec((v.clone(), 1i64..30), 1..=3),
            prop::collection::vec(
                if with_limits {
                    prop::option::weighted(0.3, 0i64..15).boxed()
                } else {
                    Just(None).boxed()
                },
                n,
            ),
        )
            .prop_map(move |(edges, supply, demand, limits)| Spec {
                n,
                edges,
                supply,
                demand,
                limits,
            })
    })
}

fn build(s: &Spec) -> FlowNetwork {
    FlowNetwork::new(
        s.n,
        s.edges.iter().map(|&(a, b, c)| e(a, b, c)).collect(),
        s.supply.clone(),
        s.demand.clone(),
    )
    .unwrap()
    .with_node_limits(s.limits.clone())
    .unwrap()
}

/// Capacity of the cut whose source side is {S} ∪ `side` (nodes unlimited).
fn cut_capacity(s: &Spec, side: u32) -> i64 {
    let inside = |v: u32| side & (1 << v) != 0;
    let sup: i64 = s.supply.iter().filter(|x| !inside(x.0)).map(|x| x.1).sum();
    let mid: i64 = s
        .edges
        .iter()
        .filter(|x| x.0 != x.1 && inside(x.0) && !inside(x.1))
        .map(|x| x.2)
        .sum();
    let dem: i64 = s.demand.iter().filter(|x| inside(x.0)).map(|x| x.1).sum();
    sup + mid + dem
}

/// Generated removal sets with the node indices `>= n` dropped (the
/// strategy draws indices for the largest network it may build).
fn within(sets: Vec<Vec<u32>>, n: usize) -> Vec<Vec<u32>> {
    sets.into_iter()
        .map(|x| x.into_iter().filter(|&v| (v as usize) < n).collect())
        .collect()
}

fn subsets(n: usize, k: usize) -> Vec<Vec<u32>> {
    (0u32..1 << n)
        .filter(|m| m.count_ones() as usize == k)
        .map(|m| (0..n as u32).filter(|v| m & (1 << v) != 0).collect())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn max_flow_equals_the_smallest_enumerated_cut(s in spec(8, false)) {
        let net = build(&s);
        let value = net.max_flow_value();
        let min_cut = (0u32..1 << s.n).map(|side| cut_capacity(&s, side)).min().unwrap();
        prop_assert_eq!(value, min_cut);
        let engine = SupplyEngine::new(&net);
        let arcs: i64 = engine.min_cut_arcs().into_iter().map(|a| engine.cut_capacity(a)).sum();
        prop_assert_eq!(arcs, value);
    }

    #[test]
    fn flow_is_feasible_and_conserved(s in spec(10, true)) {
        let net = build(&s);
        let f = net.max_flow();
        let mut inflow = vec![0i64; s.n];
        let mut outflow = vec![0i64; s.n];
        for (edge, &x) in net.edges().iter().zip(&f.edge_flows) {
            prop_assert!(x >= 0 && x <= edge.capacity);
            outflow[edge.from as usize] += x;
            inflow[edge.to as usize] += x;
        }
        for (&(v, c), &x) in net.supply().iter().zip(&f.supply_flows) {
            prop_assert!(x >= 0 && x <= c);
            inflow[v as usize] += x;
        }
        for (&(v, c), &x) in net.demand().iter().zip(&f.demand_flows) {
            prop_assert!(x >= 0 && x <= c);
            outflow[v as usize] += x;
        }
        for v in 0..s.n {
            prop_assert_eq!(inflow[v], outflow[v]);
            prop_assert_eq!(inflow[v], f.node_flows[v]);
            if let Some(l) = s.limits[v] {
                prop_assert!(f.node_flows[v] <= l);
            }
        }
        prop_assert_eq!(f.supply_flows.iter().sum::<i64>(), f.value);
        prop_assert_eq!(f.demand_flows.iter().sum::<i64>(), f.value);
    }

    #[test]
    fn fast_criticality_equals_naive_and_never_raises_supply(s in spec(10, true)) {
        let net = build(&s);
        let engine = SupplyEngine::new(&net);
        let fast = engine.supply_without_each_node();
        for v in 0..s.n as u32 {
            prop_assert!(fast[v as usize] <= engine.baseline());
            prop_assert_eq!(fast[v as usize], naive_without(&net, &[v]));
        }
    }

    #[test]
    fn batches_equal_naive_and_shrink_with_more_removals(
        s in spec(10, true),
        sets in prop::collection::vec(prop::collection::vec(0u32..10, 0..5), 1..8),
    ) {
        let net = build(&s);
        let sets = within(sets, s.n);
        let engine = SupplyEngine::new(&net);
        let got = engine.supply_without_each(&sets).unwrap();
        for (set, &x) in sets.iter().zip(&got) {
            prop_assert_eq!(x, naive_without(&net, set));
            // Removing one more node never raises deliverable supply.
            for extra in 0..s.n as u32 {
                let mut bigger = set.clone();
                bigger.push(extra);
                prop_assert!(engine.supply_without(&bigger).unwrap() <= x);
            }
        }
    }

    #[test]
    fn batches_are_independent_of_the_thread_count(
        s in spec(10, true),
        sets in prop::collection::vec(prop::collection::vec(0u32..10, 0..5), 1..24),
    ) {
        let net = build(&s);
        let sets = within(sets, s.n);
        let engine = SupplyEngine::new(&net);
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| engine.supply_without_each(&sets).unwrap())
        };
        prop_assert_eq!(run(1), run(2));
    }

    #[test]
    fn min_node_cut_disconnects_and_is_smallest(s in spec(7, false)) {
        let net = build(&s);
        let targets: Vec<u32> = s.demand.iter().map(|x| x.0).collect();
        match net.min_node_cut() {
            Some(cut) => {
                prop_assert!(cut.iter().all(|v| !targets.contains(v)));
                // Disconnected: nothing flows without the cut nodes.
                prop_assert_eq!(naive_without(&net, &cut), 0);
                prop_assert!(!has_positive_path(&s, &cut));
                // Smallest: no set of fewer non-target nodes disconnects.
                if has_positive_path(&s, &[]) {
                    for smaller in 0..cut.len() {
                        for set in subsets(s.n, smaller) {
                            if !set.iter().any(|v| targets.contains(v)) {
                                prop_assert!(has_positive_path(&s, &set), "{:?} also cuts", set);
                            }
                        }
                    }
                } else {
                    prop_assert!(cut.is_empty());
                }
            }
            // No cut exists only when a target is itself supplied.
            None => prop_assert!(s.supply.iter().any(|x| targets.contains(&x.0))),
        }
    }
}

/// Whether some supplied node reaches some target through positive-capacity
/// edges, avoiding `removed`.
fn has_positive_path(s: &Spec, removed: &[u32]) -> bool {
    let mut seen = vec![false; s.n];
    let mut stack: Vec<u32> = s
        .supply
        .iter()
        .filter(|x| x.1 > 0 && !removed.contains(&x.0))
        .map(|x| x.0)
        .collect();
    while let Some(u) = stack.pop() {
        if seen[u as usize] {
            continue;
        }
        seen[u as usize] = true;
        for &(a, b, c) in &s.edges {
            if a == u && c > 0 && !removed.contains(&b) {
                stack.push(b);
            }
        }
    }
    s.demand.iter().any(|x| x.1 > 0 && seen[x.0 as usize])
}

/// A chain built from trade data: refined products with no recorded inputs.
/// CHN refining ships 100 t to USA and 50 t to JPN manufacturing; JPN
/// re-exports 20 t of magnets to the USA; THA refining (output 30 t) ships
/// 10 t to the USA.
///
/// Extraction-only: no extraction node, so nothing is deliverable.
/// Origination: CHN originates 150 (outflow, no figure, no inflow), THA its
/// output 30, JPN nothing (outflow 20 < inflow 50). Into the USA: 100 from
/// CHN, 20 via JPN, 10 from THA (its link carries 10 of its 30) = 130.
#[test]
fn source_rule_counts_supply_that_enters_after_extraction() {
    let m = Mineral::RARE_EARTHS;
    let t = |x: f64| Tonnes::new(x).unwrap();
    let mut c = SupplyChain::new();
    let chn = c
        .add_node(Node::new(Country::CHN, m.clone(), Stage::Refining))
        .unwrap();
    let kor = c
        .add_node(Node::new(Country::THA, m.clone(), Stage::Refining).output(t(30.0)))
        .unwrap();
    let jpn = c
        .add_node(Node::new(Country::JPN, m.clone(), Stage::Manufacturing))
        .unwrap();
    let usa = c
        .add_node(Node::new(Country::USA, m.clone(), Stage::Manufacturing))
        .unwrap();
    for (a, b, x) in [
        (chn, usa, 100.0),
        (chn, jpn, 50.0),
        (jpn, usa, 20.0),
        (kor, usa, 10.0),
    ] {
        c.add_flow(a, b, Flow::new(t(x))).unwrap();
    }
    let supply = |opts: FlowOptions| {
        ChainNetwork::new(&c, &usa_target(), &opts)
            .unwrap()
            .solve()
            .deliverable_supply()
            .get()
    };
    assert_eq!(
        supply(FlowOptions::new().sources(SourceRule::Extraction)),
        0.0
    );
    assert_eq!(supply(FlowOptions::new()), 130.0);
    assert_eq!(FlowOptions::new().sources, SourceRule::Origination);
    // Links that may carry more. Twice the observed tonnes: CHN → USA can
    // now take all 150 t CHN originates, THA → USA 20 of its 30: 170. Up to
    // the exporter: CHN has no figure (unbounded link), THA's link carries
    // its whole output: 150 + 30 = 180.
    assert_eq!(
        supply(FlowOptions::new().links(LinkCapacity::Multiple(2.0))),
        170.0
    );
    assert_eq!(
        supply(FlowOptions::new().links(LinkCapacity::UpToExporter)),
        180.0
    );
    assert!(matches!(
        ChainNetwork::new(
            &c,
            &usa_target(),
            &FlowOptions::new().links(LinkCapacity::Multiple(f64::NAN))
        ),
        Err(Error::OutOfDomain { .. })
    ));
}
