//! Cascade: shortfalls pass downstream in proportion to each node's
//! inputs, through loops until they settle.

use std::borrow::Cow;

use serde::Serialize;

use crate::chain::NodeKey;
use crate::error::Result;
use crate::flow::{Cascade, CascadeBatchWork, CascadeWork};
use crate::io::DiagramLink;
use crate::model::Tonnes;
use crate::simulation::Scenario;
use crate::simulation::propagation::Effect;
use crate::simulation::simulator::{Added, Resolved, Simulator};

/// One observed flow before and after a scenario under the cascade model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowChange {
    /// The sending node.
    pub from: NodeKey,
    /// The receiving node.
    pub to: NodeKey,
    /// The observed tonnes.
    pub before: Tonnes,
    /// What the flow carries after the shock, with no adaptation.
    pub after: Tonnes,
}

impl FlowChange {
    /// The flows as (before, after) links for a before/after picture
    /// ([`FlowDiagram::compare`](crate::io::FlowDiagram::compare)).
    pub fn diagram_links(changes: &[FlowChange]) -> (Vec<DiagramLink>, Vec<DiagramLink>) {
        let link = |c: &FlowChange, t: Tonnes| DiagramLink {
            from: c.from.clone(),
            to: c.to.clone(),
            tonnes: t.get(),
        };
        changes
            .iter()
            .map(|c| (link(c, c.before), link(c, c.after)))
            .unzip()
    }
}

impl Simulator<'_> {
    /// Every observed flow of the selected mineral(s) before and after
    /// `scenario` under the cascade model: a flow from `u` carries
    /// `f_uv · s_u · e_uv` (its tonnes, times the share of its sender's
    /// supply that is left, times what restrictions let through). Flows a
    /// scenario adds carry nothing under cascade and are not listed. For a
    /// before/after picture, see [`FlowChange::diagram_links`]. O(V + E)
    /// plus sweeps inside loops.
    ///
    /// # Errors
    /// As [`Simulator::run`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::network::Target;
    /// use critical_minerals::simulation::{Scenario, Shock, SimulationOptions, Simulator};
    /// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
    /// let ni = Mineral::NICKEL;
    /// let mut chain = SupplyChain::new();
    /// let idn = chain.add_node(Node::new(Country::IDN, ni.clone(), Stage::Extraction))?;
    /// let jpn = chain.add_node(Node::new(Country::JPN, ni.clone(), Stage::Refining))?;
    /// let usa = chain.add_node(Node::new(Country::USA, ni.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(idn, jpn, Flow::new(Tonnes::new(300.0)?))?;
    /// chain.add_flow(jpn, usa, Flow::new(Tonnes::new(100.0)?))?;
    /// let sim = Simulator::new(&chain, &Target::country_stage(Country::USA, Stage::Manufacturing), &SimulationOptions::new())?;
    /// // Indonesia loses half its capacity: Japan's refinery, fed only by it, passes half on.
    /// let cut = Scenario::new("idn-half").shock(Shock::CutCapacity {
    ///     node: critical_minerals::NodeKey::new(Country::IDN, ni.clone(), Stage::Extraction),
    ///     fraction: critical_minerals::Share::new(0.5)?,
    /// });
    /// let flows = sim.cascade_flows(&cut)?;
    /// assert_eq!(flows[1].after.get(), 50.0);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn cascade_flows(&self, scenario: &Scenario) -> Result<Vec<FlowChange>> {
        let r = self.resolve(scenario)?;
        let (tol, sweeps) = (self.options.tolerance, self.options.max_sweeps);
        let mut work = CascadeWork::new();
        let compiled = self.compiled_for(&r)?;
        compiled.solve(&r.k, &r.e, tol, sweeps, &mut work)?;
        let s = work.fractions();
        Ok(self
            .edges
            .iter()
            .enumerate()
            .map(|(i, &(u, v, t))| {
                let kept =
                    s.get(u as usize).copied().unwrap_or(0.0) * r.e.get(i).copied().unwrap_or(1.0);
                FlowChange {
                    from: self.keys[u as usize].clone(),
                    to: self.keys[v as usize].clone(),
                    before: Tonnes::new(t).unwrap_or(Tonnes::ZERO),
                    after: Tonnes::new((t * kept).max(0.0)).unwrap_or(Tonnes::ZERO),
                }
            })
            .collect())
    }

    /// The compiled cascade for a resolved scenario: the simulator's own,
    /// or (when the scenario adds nodes or edges) one recompiled with them;
    /// added links carry nothing under cascade. O(1), or O(V + E).
    fn compiled_for(&self, r: &Resolved) -> Result<Cow<'_, Cascade>> {
        if !r.structural() {
            return Ok(Cow::Borrowed(&self.cascade));
        }
        let edges: Vec<(u32, u32, f64)> = self
            .edges
            .iter()
            .copied()
            .chain(
                r.added_edges
                    .iter()
                    .map(|&(u, v, t, kind)| (u, v, if kind == Added::Link { 0.0 } else { t })),
            )
            .collect();
        let mut own = self.own.clone();
        own.resize(r.n, 0.0);
        Ok(Cow::Owned(Cascade::new(r.n, &edges, &own)?))
    }

    /// Solves `s_v = k_v · (o_v + Σ_u f_uv · s_u · e_uv) / S_v` on the
    /// compiled [`Cascade`] (recompiled with the scenario's recycling edges
    /// when it adds any; added links carry nothing here). The target gets
    /// `Σ_t s_t · S_t`. O(V + E) plus sweeps inside loops.
    pub(crate) fn cascade(&self, r: &Resolved, detail: bool) -> Result<Effect> {
        let (tol, sweeps) = (self.options.tolerance, self.options.max_sweeps);
        let mut work = CascadeWork::new();
        let compiled = self.compiled_for(r)?;
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
