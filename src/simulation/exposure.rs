//! Exposure: the first-order hit, with no propagation.

use crate::simulation::propagation::Effect;
use crate::simulation::simulator::{Resolved, Simulator};

impl Simulator<'_> {
    /// Each node keeps `k_v · (o_v + Σ_u f_uv · k_u · e_uv)`: its own
    /// factor times what it originates and what its direct suppliers still
    /// send it (a removed or cut supplier, a restricted link). Nothing
    /// propagates further; added links and recycling are adaptation and do
    /// not count. O(V + E).
    pub(crate) fn exposure(&self, r: &Resolved, detail: bool) -> Effect {
        let n0 = self.keys.len();
        let mut kept: Vec<f64> = self.own.clone();
        for (i, &(u, v, f)) in self.edges.iter().enumerate() {
            kept[v as usize] += f * r.k[u as usize] * r.e[i];
        }
        for (v, x) in kept.iter_mut().enumerate() {
            *x *= r.k[v];
        }
        let after = self.targets.iter().map(|&t| kept[t as usize]).sum();
        let mut nodes = Vec::new();
        if detail {
            nodes = kept;
            nodes.resize(r.n.max(n0), 0.0);
        }
        Effect { after, nodes }
    }
}
