//! Reroute: the best case, the maximum deliverable supply after the
//! shock.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::flow::{FlowNetwork, NetEdge, SupplyEngine};
use crate::model::Stage;
use crate::network::{LinkCapacity, UNITS_PER_TONNE};
use crate::simulation::propagation::Effect;
use crate::simulation::simulator::{Added, Resolved, Simulator, to_units};

impl Simulator<'_> {
    /// `min(B, max flow)` on the shocked network. O(one max flow).
    pub(crate) fn reroute(&self, r: &Resolved, detail: bool) -> Result<Effect> {
        let net = self.reroute_network(r)?;
        let (value, nodes) = if detail {
            let mf = net.max_flow();
            let nodes = mf.node_flows[..r.n]
                .iter()
                .map(|&u| u as f64 / UNITS_PER_TONNE)
                .collect();
            (mf.value, nodes)
        } else {
            (SupplyEngine::new(&net).baseline(), Vec::new())
        };
        Ok(Effect {
            after: self.reroute_after(value),
            nodes,
        })
    }

    /// The flow network of the shocked chain (semantics in the module
    /// docs): node limits = capacity × what remains + added capacity;
    /// supply where a node originates (its origination plus spare
    /// capacity, plus added capacity) or where recycling returns material;
    /// links per [`SimulationOptions::links`](crate::simulation::SimulationOptions::links)
    /// times their restriction factor; each quota a gate node per
    /// exporting node, its cap shared in proportion to the observed
    /// covered tonnes. O(V + E).
    pub(crate) fn reroute_network(&self, r: &Resolved) -> Result<FlowNetwork> {
        let n0 = self.keys.len();
        let supply_t = self.cascade.supply();
        let mut recycled = vec![0.0; r.n];
        for &(v, t) in &r.recycled {
            recycled[v as usize] += t;
        }
        let mut limits: Vec<f64> = (0..r.n)
            .map(|v| {
                let base = if v < n0 { self.capacity[v] } else { 0.0 };
                base * r.remaining[v] + r.extra[v] + recycled[v]
            })
            .collect();
        let mut supply = Vec::new();
        let mut total: i64 = 0;
        for v in 0..r.n {
            if r.remaining[v] == 0.0 {
                continue;
            }
            let key = self.key_of(r, v);
            let own = if v < n0 { self.own[v] } else { 0.0 };
            let originates = own > 0.0 || key.stage == Stage::Extraction;
            let mut t = recycled[v];
            if originates {
                let spare = if v < n0 {
                    self.capacity[v] - supply_t[v]
                } else {
                    0.0
                };
                t += own + spare.max(0.0) + r.extra[v];
            }
            let u = to_units(t);
            if u > 0 {
                supply.push((v as u32, u));
                total = total.saturating_add(u);
            }
        }
        let unbounded = total.saturating_add(1);
        let link = |u: usize, f: f64| -> f64 {
            match self.options.links {
                LinkCapacity::Observed => f,
                LinkCapacity::Multiple(m) => f * m,
                LinkCapacity::UpToExporter => {
                    let cap = if u < n0 { self.capacity[u] } else { 0.0 } + r.extra[u];
                    cap.max(f)
                }
            }
        };
        let units = |t: f64| to_units(t).min(unbounded);
        // Quota gates: edge → (group, sender) gate.
        let mut gate_of: BTreeMap<u32, usize> = BTreeMap::new();
        let mut gates: Vec<f64> = Vec::new();
        let base_m = self.edges.len();
        let edge = |i: usize| -> (u32, u32, f64) {
            if i < base_m {
                self.edges[i]
            } else {
                let (u, v, t, _) = r.added_edges[i - base_m];
                (u, v, t)
            }
        };
        for (cap, total_t, covered) in &r.quotas {
            let mut by_sender: BTreeMap<u32, (f64, Vec<u32>)> = BTreeMap::new();
            for &i in covered {
                if gate_of.contains_key(&i) {
                    continue;
                }
                let (u, _, f) = edge(i as usize);
                let entry = by_sender.entry(u).or_default();
                entry.0 += f;
                entry.1.push(i);
            }
            for (_, (tonnes, list)) in by_sender {
                let share = if *total_t > 0.0 {
                    cap * tonnes / total_t
                } else {
                    0.0
                };
                let g = gates.len();
                gates.push(share);
                for i in list {
                    gate_of.insert(i, g);
                }
            }
        }
        let mut edges = Vec::new();
        let mut gate_in: Vec<i64> = vec![0; gates.len()];
        let mut gate_sender: Vec<u32> = vec![0; gates.len()];
        for i in 0..base_m + r.added_edges.len() {
            let (u, v, f) = edge(i);
            let cap = if i < base_m {
                link(u as usize, f)
            } else {
                match r.added_edges[i - base_m].3 {
                    Added::Scrap => continue,
                    Added::Link | Added::Return => f,
                }
            } * r.e_gate[i];
            let c = units(cap);
            if c == 0 && !(i < base_m && self.options.links == LinkCapacity::UpToExporter) {
                continue;
            }
            match gate_of.get(&(i as u32)) {
                Some(&g) => {
                    let gv = (r.n + g) as u32;
                    gate_in[g] = gate_in[g].saturating_add(c).min(unbounded);
                    gate_sender[g] = u;
                    edges.push(NetEdge {
                        from: gv,
                        to: v,
                        capacity: c,
                    });
                }
                None => edges.push(NetEdge {
                    from: u,
                    to: v,
                    capacity: c,
                }),
            }
        }
        for g in 0..gates.len() {
            edges.push(NetEdge {
                from: gate_sender[g],
                to: (r.n + g) as u32,
                capacity: gate_in[g],
            });
        }
        limits.extend(gates.iter().copied());
        let limits = limits.into_iter().map(|t| Some(units(t))).collect();
        let demand = self.targets.iter().map(|&t| (t, unbounded)).collect();
        FlowNetwork::new(r.n + gates.len(), edges, supply, demand)?.with_node_limits(limits)
    }
}
