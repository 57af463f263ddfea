//! Flow engine: hand-worked networks, the peer benchmark's small graph, and
//! properties over random networks.

use critical_minerals::network::{FlowNetwork, NetEdge, PeerGraph, SupplyEngine};

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

fn peer_small() -> PeerGraph {
    PeerGraph::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/peer_small"
    ))
    .unwrap()
}

#[test]
fn peer_small_differential() {
    let g = peer_small();
    let net = g.flow_network().unwrap();
    let engine = SupplyEngine::new(&net);
    // RESULTS.md: networkx and igraph agree on 329396.
    assert_eq!(engine.baseline(), 329_396);
    let fast = engine.supply_without_each_node();
    for v in 0..net.node_count() as u32 {
        assert_eq!(fast[v as usize], naive_without(&net, &[v]), "node {v}");
    }
    let mc = engine.supply_without_each(&g.scenarios).unwrap();
    for (i, s) in g.scenarios.iter().enumerate().take(200) {
        assert_eq!(mc[i], naive_without(&net, s), "scenario {i}");
    }
}

#[test]
fn debug_chain() {
    let net = FlowNetwork::new(
        3,
        vec![e(0, 1, 5), e(1, 2, 3)],
        vec![(0, 10)],
        vec![(2, 10)],
    )
    .unwrap();
    let engine = SupplyEngine::new(&net);
    assert_eq!(engine.baseline(), 3);
    assert_eq!(engine.node_flow(1), 3);
    assert_eq!(engine.supply_without(&[1]).unwrap(), 0);
}

#[test]
fn debug_single() {
    let g = peer_small();
    let net = g.flow_network().unwrap();
    let engine = SupplyEngine::new(&net);
    for v in 0..net.node_count() as u32 {
        eprintln!("node {v} flow {}", engine.node_flow(v));
        let x = engine.supply_without(&[v]).unwrap();
        assert_eq!(x, naive_without(&net, &[v]), "node {v}");
    }
}
