//! Minimum cuts: the arcs whose joint capacity caps the maximum flow, and
//! the fewest nodes whose removal disconnects the targets from the supply.
//!
//! The capacity cut is read off the residual graph of the baseline maximum
//! flow: the nodes reachable from the source along arcs with spare capacity
//! form the source side; every arc leaving it is saturated, and their
//! capacities add up to the maximum flow (max-flow / min-cut theorem). Of
//! all minimum cuts this is the one closest to the source. A cut arc is a
//! flow between two nodes, a node's own limit (the split arc), a source's
//! supply, or a target's drain.

use crate::flow::maxflow::Solved;
use crate::flow::{FlowNetwork, NetEdge, SupplyEngine};

/// One arc of a minimum cut in the integer network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CutArc {
    /// Edge `i` of [`FlowNetwork::edges`].
    Edge(u32),
    /// The limit of real node `v` (its split arc).
    Node(u32),
    /// Supply arc `i` of [`FlowNetwork::supply`].
    Supply(u32),
    /// Demand arc `i` of [`FlowNetwork::demand`].
    Demand(u32),
}

/// Source-side minimum cut arcs of solved components, sorted.
fn cut_arcs(s: &Solved) -> Vec<CutArc> {
    let mut out = Vec::new();
    let mut reach = Vec::new();
    let mut stack = Vec::new();
    for c in &s.comps {
        let g = &c.g;
        reach.clear();
        reach.resize(g.node_count(), false);
        let src = c.source();
        reach[src as usize] = true;
        stack.push(src);
        while let Some(u) = stack.pop() {
            for a in g.off[u as usize] as usize..g.off[u as usize + 1] as usize {
                let v = g.head[a] as usize;
                if c.base[a] > 0 && !reach[v] {
                    reach[v] = true;
                    stack.push(v as u32);
                }
            }
        }
        let crosses = |a: u32| reach[g.tail(a) as usize] && !reach[g.head[a as usize] as usize];
        for (l, &a) in c.split.iter().enumerate() {
            if crosses(a) {
                out.push(CutArc::Node(c.real[l]));
            }
        }
        out.extend(
            c.edge_arcs
                .iter()
                .filter(|x| crosses(x.1))
                .map(|x| CutArc::Edge(x.0)),
        );
        out.extend(
            c.supply_arcs
                .iter()
                .filter(|x| crosses(x.1))
                .map(|x| CutArc::Supply(x.0)),
        );
        out.extend(
            c.demand_arcs
                .iter()
                .filter(|x| crosses(x.1))
                .map(|x| CutArc::Demand(x.0)),
        );
    }
    out.sort_unstable();
    out
}

impl SupplyEngine<'_> {
    /// The arcs of the source-side minimum cut, sorted; their capacities add
    /// up to [`SupplyEngine::baseline`]. O(V + E).
    pub fn min_cut_arcs(&self) -> Vec<CutArc> {
        cut_arcs(&self.solved)
    }

    /// The capacity of a cut arc in units.
    pub fn cut_capacity(&self, arc: CutArc) -> i64 {
        let net = self.network();
        match arc {
            CutArc::Edge(i) => net.edges().get(i as usize).map_or(0, |e| e.capacity),
            CutArc::Node(v) => net.node_limit(v).unwrap_or(self.solved.unbounded),
            CutArc::Supply(i) => net.supply().get(i as usize).map_or(0, |x| x.1),
            CutArc::Demand(i) => net.demand().get(i as usize).map_or(0, |x| x.1),
        }
    }
}

impl FlowNetwork {
    /// The fewest real nodes whose removal leaves no path from any supplied
    /// node to any target (a minimum vertex cut, by Menger's theorem: a
    /// maximum flow with every node of capacity 1 and every arc unbounded).
    /// Target nodes are what is protected and are never in the cut; `None`
    /// when no cut exists (a target is itself supplied). Sorted indices.
    /// O(E √V) (unit-capacity Dinic).
    pub fn min_node_cut(&self) -> Option<Vec<u32>> {
        let n = self.node_count();
        let big = n as i64 + 1;
        let edges: Vec<NetEdge> = self
            .edges()
            .iter()
            .filter(|e| e.capacity > 0)
            .map(|e| NetEdge {
                capacity: big,
                ..*e
            })
            .collect();
        let supply: Vec<(u32, i64)> = self
            .supply()
            .iter()
            .filter(|x| x.1 > 0)
            .map(|x| (x.0, big))
            .collect();
        let demand: Vec<(u32, i64)> = self
            .demand()
            .iter()
            .filter(|x| x.1 > 0)
            .map(|x| (x.0, big))
            .collect();
        let mut limits = vec![Some(1i64); n];
        for &(t, _) in &demand {
            limits[t as usize] = None;
        }
        let unit = FlowNetwork::new(n, edges, supply, demand)
            .and_then(|u| u.with_node_limits(limits))
            .ok()?;
        let solved = Solved::new(&unit);
        if solved.value >= big {
            return None;
        }
        let cut: Vec<u32> = cut_arcs(&solved)
            .into_iter()
            .filter_map(|a| match a {
                CutArc::Node(v) => Some(v),
                _ => None,
            })
            .collect();
        Some(cut)
    }
}
