//! Cascade: shortfalls pass downstream in proportion to each node's
//! inputs, through loops until they settle.

use crate::error::Result;
use crate::flow::{Cascade, CascadeBatchWork, CascadeWork};
use crate::simulation::propagation::Effect;
use crate::simulation::simulator::{Added, Resolved, Simulator};

impl Simulator<'_> {
    /// Solves `s_v = k_v · (o_v + Σ_u f_uv · s_u · e_uv) / S_v` on the
    /// compiled [`Cascade`] (recompiled with the scenario's recycling edges
    /// when it adds any; added links carry nothing here). The target gets
    /// `Σ_t s_t · S_t`. O(V + E) plus sweeps inside loops.
    pub(crate) fn cascade(&self, r: &Resolved, detail: bool) -> Result<Effect> {
        let (tol, sweeps) = (self.options.tolerance, self.options.max_sweeps);
        let mut work = CascadeWork::new();
        let owned;
        let compiled =
            if r.structural() {
                let edges: Vec<(u32, u32, f64)> =
                    self.edges
                        .iter()
                        .copied()
                        .chain(r.added_edges.iter().map(|&(u, v, t, kind)| {
                            (u, v, if kind == Added::Link { 0.0 } else { t })
                        }))
                        .collect();
                let mut own = self.own.clone();
                own.resize(r.n, 0.0);
                owned = Cascade::new(r.n, &edges, &own)?;
                &owned
            } else {
                &self.cascade
            };
        compiled.solve(&r.k, &r.e, tol, sweeps, &mut work)?;
        let s = work.fractions();
        let supply = compiled.supply();
        let after = self
            .targets
            .iter()
            .map(|&t| s[t as usize] * supply[t as usize])
            .sum();
        let nodes = if detail {
            s.iter().zip(supply).map(|(a, b)| a * b).collect()
        } else {
            Vec::new()
        };
        Ok(Effect { after, nodes })
    }

    /// The supply after of up to [`Cascade::BATCH`] scenarios that add
    /// nothing (see [`Resolved::structural`]) and share their edge
    /// factors, in one [`Cascade::solve_batch`]: each the very value
    /// [`Simulator::cascade`] gives it, to the bit (the lanes are the
    /// one-set solve's and the target sum runs in the same order).
    pub(crate) fn cascade_batch(
        &self,
        rs: &[&Resolved],
        work: &mut CascadeBatchWork,
    ) -> Result<Vec<f64>> {
        let (tol, sweeps) = (self.options.tolerance, self.options.max_sweeps);
        let ks: Vec<&[f64]> = rs.iter().map(|r| r.k.as_slice()).collect();
        let edge = rs.first().map_or(&[][..], |r| r.e.as_slice());
        self.cascade.solve_batch(&ks, edge, tol, sweeps, work)?;
        let supply = self.cascade.supply();
        Ok((0..rs.len())
            .map(|i| {
                self.targets
                    .iter()
                    .map(|&t| work.fraction(i, t as usize) * supply[t as usize])
                    .sum()
            })
            .collect())
    }
}
