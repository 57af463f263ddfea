//! What one scenario does to the target: before and after, by stage, who
//! lost most, concentration before and after.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::analysis::text::Table;
use crate::analysis::{Concentration, ConcentrationOptions};
use crate::chain::NodeKey;
use crate::model::{Country, Mineral, Share, Stage, Tonnes};
use crate::network::Target;
use crate::simulation::propagation::Effect;
use crate::simulation::simulator::{Resolved, Simulator, share};
use crate::simulation::{Propagation, Scenario};

/// A country's supply at one mineral and stage, before and after.
type CountryBeforeAfter = (Country, f64, f64);

fn tonnes(t: f64) -> Tonnes {
    Tonnes::new(t.max(0.0)).unwrap_or(Tonnes::ZERO)
}

/// Supply before and after a shock, for one stage, node or country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change<K> {
    /// What the figures are of.
    pub of: K,
    /// Supply before the shock.
    pub before: Tonnes,
    /// Supply after it.
    pub after: Tonnes,
    /// `before − after`, at least zero.
    pub lost: Tonnes,
    /// `lost / before` (0 when nothing was there before).
    pub lost_share: Share,
}

impl<K> Change<K> {
    fn new(of: K, before: f64, after: f64) -> Change<K> {
        Change {
            of,
            before: tonnes(before),
            after: tonnes(after),
            lost: tonnes(before - after),
            lost_share: share(before - after, before),
        }
    }
}

/// Concentration (HHI, 0–10,000, by country) of one mineral at one stage
/// before and after a shock, for a stage the shock touched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConcentrationChange {
    /// The mineral.
    pub mineral: Mineral,
    /// The stage.
    pub stage: Stage,
    /// HHI of the supplies before (`None`: nothing there).
    pub hhi_before: Option<f64>,
    /// HHI of the supplies after (`None`: nothing left).
    pub hhi_after: Option<f64>,
    /// The largest supplier before.
    pub top_before: Option<Country>,
    /// The largest supplier after.
    pub top_after: Option<Country>,
}

/// What one [`Scenario`] does to the target under one [`Propagation`]
/// model, from [`Simulator::run`].
///
/// Node and stage figures are each node's supply (origination plus inflow)
/// before and after; under reroute they are one maximum flow's routing
/// (the flow through each node toward the target, before and after),
/// which is not unique.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The scenario's name.
    pub scenario: String,
    /// The model used.
    pub propagation: Propagation,
    /// The target.
    pub target: Target,
    /// The target's nodes by key (what a [`Target::Nodes`] of ids means).
    pub target_nodes: Vec<NodeKey>,
    /// Supply reaching the target before the shock: the baseline.
    pub before: Tonnes,
    /// Supply reaching it after.
    pub after: Tonnes,
    /// `before − after`, at least zero.
    pub shortfall: Tonnes,
    /// `shortfall / before`, within [0, 1].
    pub shortfall_share: Share,
    /// Supply by stage, every stage with supply before or after.
    pub by_stage: Vec<Change<Stage>>,
    /// The nodes that lost most, most first (up to
    /// [`SimulationOptions::top`](crate::simulation::SimulationOptions::top)).
    pub nodes: Vec<Change<NodeKey>>,
    /// The countries that lost most, most first.
    pub countries: Vec<Change<Country>>,
    /// Concentration before and after for every mineral and stage whose
    /// supply changed.
    pub concentration: Vec<ConcentrationChange>,
}

impl Outcome {
    pub(crate) fn build(
        sim: &Simulator<'_>,
        scenario: &Scenario,
        propagation: Propagation,
        r: &Resolved,
        effect: &Effect,
    ) -> Outcome {
        let n0 = sim.keys.len();
        let before_nodes: Vec<f64> = if propagation == Propagation::Reroute {
            let mf = sim.network.max_flow();
            mf.node_flows[..n0]
                .iter()
                .map(|&u| u as f64 / crate::network::UNITS_PER_TONNE)
                .collect()
        } else {
            sim.cascade.supply().to_vec()
        };
        let before_of = |v: usize| before_nodes.get(v).copied().unwrap_or(0.0);
        let after_of = |v: usize| effect.nodes.get(v).copied().unwrap_or(0.0);
        let mut stages: BTreeMap<Stage, (f64, f64)> = BTreeMap::new();
        let mut countries: BTreeMap<Country, (f64, f64)> = BTreeMap::new();
        let mut groups: BTreeMap<(Mineral, Stage), Vec<CountryBeforeAfter>> = BTreeMap::new();
        let mut nodes = Vec::new();
        for v in 0..r.n {
            let key = sim.key_of(r, v);
            let (b, a) = (before_of(v), after_of(v));
            let s = stages.entry(key.stage).or_default();
            s.0 += b;
            s.1 += a;
            let c = countries.entry(key.country).or_default();
            c.0 += b;
            c.1 += a;
            groups
                .entry((key.mineral.clone(), key.stage))
                .or_default()
                .push((key.country, b, a));
            if b - a > 0.0 {
                nodes.push(Change::new(key.clone(), b, a));
            }
        }
        let top = sim.options.top;
        nodes.sort_by(|a, b| {
            b.lost
                .get()
                .total_cmp(&a.lost.get())
                .then_with(|| a.of.cmp(&b.of))
        });
        nodes.truncate(top);
        let mut countries: Vec<Change<Country>> = countries
            .into_iter()
            .filter(|(_, (b, a))| b - a > 0.0)
            .map(|(c, (b, a))| Change::new(c, b, a))
            .collect();
        countries.sort_by(|a, b| {
            b.lost
                .get()
                .total_cmp(&a.lost.get())
                .then_with(|| a.of.cmp(&b.of))
        });
        countries.truncate(top);
        let by_stage = stages
            .into_iter()
            .filter(|(_, (b, a))| *b > 0.0 || *a > 0.0)
            .map(|(s, (b, a))| Change::new(s, b, a))
            .collect();
        let options = ConcentrationOptions::new();
        let hhi = |rows: Vec<(Country, Tonnes)>| {
            Concentration::from_outputs(rows, &options)
                .ok()
                .map(|c| (c.hhi, c.shares.first().map(|s| s.country)))
        };
        let mut concentration = Vec::new();
        for ((mineral, stage), rows) in groups {
            let scale = rows.iter().map(|r| r.1.max(r.2)).fold(0.0, f64::max);
            let touched = rows
                .iter()
                .any(|r| (r.1 - r.2).abs() > 1e-9 * scale.max(1.0));
            if !touched {
                continue;
            }
            let before = hhi(rows.iter().map(|r| (r.0, tonnes(r.1))).collect());
            let after = hhi(rows.iter().map(|r| (r.0, tonnes(r.2))).collect());
            concentration.push(ConcentrationChange {
                mineral,
                stage,
                hhi_before: before.map(|x| x.0),
                hhi_after: after.map(|x| x.0),
                top_before: before.and_then(|x| x.1),
                top_after: after.and_then(|x| x.1),
            });
        }
        let before = sim.baseline;
        Outcome {
            scenario: scenario.name.clone(),
            propagation,
            target: sim.target.clone(),
            target_nodes: sim
                .targets
                .iter()
                .filter_map(|&v| sim.keys.get(v as usize).cloned())
                .collect(),
            before: tonnes(before),
            after: tonnes(effect.after),
            shortfall: tonnes(before - effect.after),
            shortfall_share: share(before - effect.after, before),
            by_stage,
            nodes,
            countries,
            concentration,
        }
    }

    /// The outcome as one line of JSON (for a JSON Lines sweep).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn t(x: Tonnes) -> String {
    x.to_string()
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let toward = match &self.target {
            // Ids mean nothing to a reader: name the nodes by key.
            Target::Nodes(_) => self
                .target_nodes
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(" + "),
            other => other.to_string(),
        };
        writeln!(
            f,
            "Scenario {:?} under {} toward {toward}",
            self.scenario, self.propagation
        )?;
        writeln!(
            f,
            "  supply {} before, {} after: shortfall {} ({})",
            self.before, self.after, self.shortfall, self.shortfall_share
        )?;
        let changes = |f: &mut fmt::Formatter<'_>, title: &str, rows: Vec<[String; 5]>| {
            if rows.is_empty() {
                return Ok(());
            }
            writeln!(f)?;
            let mut table = Table::new([title, "before", "after", "lost", "lost %"]);
            for r in rows {
                table.row(r);
            }
            table.write(f, "  ")
        };
        let row = |name: String, c: (Tonnes, Tonnes, Tonnes, Share)| {
            [name, t(c.0), t(c.1), t(c.2), c.3.to_string()]
        };
        changes(
            f,
            "stage",
            self.by_stage
                .iter()
                .map(|c| row(c.of.to_string(), (c.before, c.after, c.lost, c.lost_share)))
                .collect(),
        )?;
        changes(
            f,
            "nodes that lost most",
            self.nodes
                .iter()
                .map(|c| row(c.of.to_string(), (c.before, c.after, c.lost, c.lost_share)))
                .collect(),
        )?;
        changes(
            f,
            "countries that lost most",
            self.countries
                .iter()
                .map(|c| row(c.of.to_string(), (c.before, c.after, c.lost, c.lost_share)))
                .collect(),
        )?;
        if !self.concentration.is_empty() {
            writeln!(f)?;
            let mut table = Table::new([
                "concentration (HHI)",
                "before",
                "after",
                "top before",
                "top after",
            ]);
            let h = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.0}"));
            let c = |x: Option<Country>| x.map_or("-".to_string(), |x| x.to_string());
            for r in &self.concentration {
                table.row([
                    format!("{}/{}", r.mineral, r.stage),
                    h(r.hhi_before),
                    h(r.hhi_after),
                    c(r.top_before),
                    c(r.top_after),
                ]);
            }
            table.write(f, "  ")?;
        }
        Ok(())
    }
}
