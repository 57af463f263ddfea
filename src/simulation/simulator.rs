//! The simulator: a chain and a target compiled once into compact arrays
//! (the observed flows, each node's origination, supply and capacity, the
//! cascade in CSR and SCC order, the reroute network), and a scenario
//! resolved against them into factors and additions.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::chain::{NodeKey, SupplyChain};
use crate::error::{Error, Result};
use crate::flow::{Cascade, CascadeBatchWork, FlowNetwork, SupplyEngine};
use crate::model::{
    Agreement, Country, Coverage, Mineral, OneBasis, RestrictionKind, RestrictionStatus,
    RestrictionTargets, Share, Stage, Tonnes,
};
use crate::network::{LinkCapacity, Target, UNITS_PER_TONNE};
use crate::simulation::outcome::Outcome;
use crate::simulation::{Measure, Propagation, Scenario, Shock, SimulationOptions};

/// A [`SupplyChain`] and a [`Target`] compiled for simulation: build once,
/// run as many scenarios as needed under any [`Propagation`] model. The
/// caller's chain is only read, never changed.
///
/// What it compiles (semantics in the [module docs](crate::simulation)):
/// for every node of the selected mineral(s), its observed inflow and
/// outflow, its **origination** (what it put out beyond what it took in:
/// the larger of its output figure and its outflow, minus its inflow), its
/// **supply** `S` (origination plus inflow) and its **capacity** (its stated
/// capacity, else its output, else its throughput, never below `S`); the
/// cascade as a [`Cascade`]; the reroute network as a [`FlowNetwork`].
///
/// The **baseline** `B` is the observed supply reaching the target: the
/// sum over target nodes of their inflow plus their own origination.
///
/// # Example
/// ```
/// use critical_minerals::network::Target;
/// use critical_minerals::simulation::{Propagation, Scenario, Shock, SimulationOptions, Simulator};
/// use critical_minerals::{Country, Flow, Mineral, Node, NodeKey, Stage, SupplyChain, Tonnes};
/// let ni = Mineral::NICKEL;
/// let mut chain = SupplyChain::new();
/// let idn = chain.add_node(Node::new(Country::IDN, ni.clone(), Stage::Extraction))?;
/// let aus = chain.add_node(Node::new(Country::AUS, ni.clone(), Stage::Extraction))?;
/// let jpn = chain.add_node(Node::new(Country::JPN, ni.clone(), Stage::Refining))?;
/// chain.add_flow(idn, jpn, Flow::new(Tonnes::new(300.0)?))?;
/// chain.add_flow(aus, jpn, Flow::new(Tonnes::new(100.0)?))?;
/// let target = Target::country_stage(Country::JPN, Stage::Refining);
/// let sim = Simulator::new(&chain, &target, &SimulationOptions::new())?;
/// assert_eq!(sim.baseline().get(), 400.0);
/// let s = Scenario::new("no-idn").shock(Shock::RemoveCountry { country: Country::IDN });
/// let out = sim.run(&s, Propagation::Cascade)?;
/// assert_eq!(out.shortfall.get(), 300.0);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Simulator<'a> {
    pub(crate) chain: &'a SupplyChain,
    pub(crate) target: Target,
    pub(crate) options: SimulationOptions,
    pub(crate) keys: Vec<NodeKey>,
    pub(crate) index: HashMap<NodeKey, u32>,
    pub(crate) by_country: BTreeMap<Country, Vec<u32>>,
    /// Observed flows between distinct selected nodes: (from, to, tonnes).
    pub(crate) edges: Vec<(u32, u32, f64)>,
    pub(crate) own: Vec<f64>,
    pub(crate) outflow: Vec<f64>,
    pub(crate) capacity: Vec<f64>,
    pub(crate) targets: Vec<u32>,
    pub(crate) baseline: f64,
    pub(crate) cascade: Cascade,
    /// The unshocked reroute network (for removal batches).
    pub(crate) network: FlowNetwork,
    pub(crate) baseline_units: i64,
}

/// What kind of edge a scenario adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Added {
    /// A new link ([`Shock::AddLink`]): reroute only.
    Link,
    /// Scrap from manufacturing into recycling: cascade only (reroute
    /// gives the recycling node that supply directly).
    Scrap,
    /// Recovered material from recycling back into the chain.
    Return,
}

/// A scenario resolved against a simulator: factors and additions on
/// compact indices.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    /// Node count including added nodes.
    pub(crate) n: usize,
    pub(crate) added_keys: Vec<NodeKey>,
    /// Node factor for cascade and exposure: 0 removed, else
    /// min(1, remaining capacity / supply).
    pub(crate) k: Vec<f64>,
    /// Capacity multiplier (0 for a removed node).
    pub(crate) remaining: Vec<f64>,
    /// Added capacity in tonnes.
    pub(crate) extra: Vec<f64>,
    pub(crate) added_edges: Vec<(u32, u32, f64, Added)>,
    /// Edge factors for base edges then added edges, quotas included
    /// (cascade, exposure).
    pub(crate) e: Vec<f64>,
    /// The same without the quota factors (reroute gates quotas instead).
    pub(crate) e_gate: Vec<f64>,
    /// Quota groups: the cap, the covered observed tonnes and the edges
    /// (base then added numbering).
    pub(crate) quotas: Vec<(f64, f64, Vec<u32>)>,
    /// Supply a recycling node gets under reroute.
    pub(crate) recycled: Vec<(u32, f64)>,
    /// The removed nodes, when removal is all the scenario does.
    pub(crate) removal_only: Option<Vec<u32>>,
}

impl Resolved {
    pub(crate) fn structural(&self) -> bool {
        !self.added_edges.is_empty() || !self.added_keys.is_empty()
    }
}

/// One restriction in effect in a scenario.
struct InEffect<'c> {
    imposer: Country,
    minerals: Coverage<Mineral>,
    stages: Coverage<Stage>,
    toward: RestrictionTargets,
    measure: Measure,
    /// Agreements whose no-restriction commitments exempt partners.
    exemptions: Vec<&'c Agreement>,
}

pub(crate) fn to_units(t: f64) -> i64 {
    (t * UNITS_PER_TONNE)
        .round()
        .clamp(0.0, crate::flow::MAX_TOTAL_UNITS as f64) as i64
}

impl<'a> Simulator<'a> {
    /// Compiles `chain` toward `target`. O(V + E).
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for a target id not in the chain;
    /// [`Error::Inconsistent`] when the target matches no node of the
    /// selected mineral(s); [`Error::OutOfDomain`] for a tolerance that is
    /// not finite and positive, or a link multiple that is not finite and
    /// non-negative; [`Error::InvalidQuantity`] when the total supply
    /// exceeds the flow engine's limit (about 1.15e12 t);
    /// [`Error::MixedBasis`] when the figures it would add measure different
    /// things (a world chain's REO production beside product-weight trade:
    /// use a trade-only world chain, or select one mineral whose figures
    /// share a basis).
    pub fn new(
        chain: &'a SupplyChain,
        target: &Target,
        options: &SimulationOptions,
    ) -> Result<Simulator<'a>> {
        if !(options.tolerance.is_finite() && options.tolerance > 0.0) {
            return Err(Error::OutOfDomain {
                field: "simulation tolerance",
                value: options.tolerance.to_string(),
                expected: "must be finite and positive".into(),
            });
        }
        if let LinkCapacity::Multiple(m) = options.links {
            if !(m.is_finite() && m >= 0.0) {
                return Err(Error::OutOfDomain {
                    field: "link capacity multiple (SimulationOptions::links)",
                    value: m.to_string(),
                    expected: "must be finite and non-negative".into(),
                });
            }
        }
        let selected = |m: &Mineral| options.mineral.as_ref().is_none_or(|x| x == m);
        check_one_basis(chain, &selected)?;
        let mut keys = Vec::new();
        let mut index = HashMap::new();
        let mut ids = HashMap::new();
        let mut output = Vec::new();
        let mut stated = Vec::new();
        for (id, node) in chain.nodes() {
            if !selected(node.mineral()) {
                continue;
            }
            ids.insert(id, keys.len() as u32);
            index.insert(node.key.clone(), keys.len() as u32);
            keys.push(node.key.clone());
            output.push(node.output.map(|t| t.get()));
            stated.push(node.capacity.map(|t| t.get()));
        }
        let n = keys.len();
        let mut by_country: BTreeMap<Country, Vec<u32>> = BTreeMap::new();
        for (v, k) in keys.iter().enumerate() {
            by_country.entry(k.country).or_default().push(v as u32);
        }
        let targets = target.resolve(chain, &keys, &ids)?;
        let mut edges = Vec::new();
        let mut inflow = vec![0.0; n];
        let mut outflow = vec![0.0; n];
        for f in chain.flows() {
            let (Some(&u), Some(&v)) = (ids.get(&f.from), ids.get(&f.to)) else {
                continue;
            };
            if u == v {
                continue;
            }
            let t = f.tonnes().get();
            outflow[u as usize] += t;
            inflow[v as usize] += t;
            edges.push((u, v, t));
        }
        let own: Vec<f64> = (0..n)
            .map(|v| (output[v].unwrap_or(0.0).max(outflow[v]) - inflow[v]).max(0.0))
            .collect();
        let cascade = Cascade::new(n, &edges, &own)?;
        let supply = cascade.supply();
        let capacity: Vec<f64> = (0..n)
            .map(|v| stated[v].or(output[v]).unwrap_or(0.0).max(supply[v]))
            .collect();
        let baseline = targets.iter().map(|&t| supply[t as usize]).sum();
        let mut sim = Simulator {
            chain,
            target: target.clone(),
            options: options.clone(),
            keys,
            index,
            by_country,
            edges,
            own,
            outflow,
            capacity,
            targets,
            baseline,
            cascade,
            network: FlowNetwork::new(0, Vec::new(), Vec::new(), Vec::new())?,
            baseline_units: 0,
        };
        let empty = sim.resolve_checked(&Scenario::new("baseline"))?;
        sim.network = sim.reroute_network(&empty)?;
        sim.baseline_units = sim
            .targets
            .iter()
            .map(|&t| {
                let v = t as usize;
                to_units(sim.own[v]) + to_units(sim.cascade.supply()[v] - sim.own[v])
            })
            .sum();
        Ok(sim)
    }

    /// The baseline `B`: the observed supply reaching the target. O(1).
    pub fn baseline(&self) -> Tonnes {
        Tonnes::new(self.baseline).unwrap_or(Tonnes::ZERO)
    }

    /// The options it was built with.
    pub fn options(&self) -> &SimulationOptions {
        &self.options
    }

    /// The target.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Number of nodes simulated.
    pub fn node_count(&self) -> usize {
        self.keys.len()
    }

    /// Runs one scenario under one propagation model, after checking it
    /// against the chain. Cost: exposure O(V + E); cascade O(V + E) plus
    /// sweeps inside loops (recompiled, O(V + E), when the scenario adds
    /// nodes or links); reroute one maximum flow.
    ///
    /// # Errors
    /// What [`Scenario::validate`] returns; [`Error::NotConverged`] when
    /// the cascade does not settle.
    pub fn run(&self, scenario: &Scenario, propagation: Propagation) -> Result<Outcome> {
        let r = self.resolve(scenario)?;
        let after = self.effect(&r, propagation, true)?;
        Ok(Outcome::build(self, scenario, propagation, &r, &after))
    }

    /// The shortfall of every scenario under one model, in tonnes, in the
    /// order given; scenarios run in parallel (rayon) and the results do
    /// not depend on the thread count. Every scenario is checked before
    /// any runs. Under reroute, scenarios that only remove nodes or
    /// countries are answered together from one solved baseline
    /// ([`SupplyEngine::supply_without_each`], warm-started).
    ///
    /// # Errors
    /// As [`Simulator::run`], for the first failing scenario.
    pub fn shortfalls(
        &self,
        scenarios: &[Scenario],
        propagation: Propagation,
    ) -> Result<Vec<Tonnes>> {
        let resolved: Vec<Resolved> = scenarios
            .iter()
            .map(|s| self.resolve(s))
            .collect::<Result<_>>()?;
        self.shortfalls_resolved(&resolved, propagation)
    }

    pub(crate) fn shortfalls_resolved(
        &self,
        resolved: &[Resolved],
        propagation: Propagation,
    ) -> Result<Vec<Tonnes>> {
        let mut out: Vec<Option<f64>> = vec![None; resolved.len()];
        if propagation == Propagation::Reroute {
            let batch: Vec<usize> = (0..resolved.len())
                .filter(|&i| resolved[i].removal_only.is_some())
                .collect();
            if !batch.is_empty() {
                let sets: Vec<Vec<u32>> = batch
                    .iter()
                    .map(|&i| resolved[i].removal_only.clone().unwrap_or_default())
                    .collect();
                let engine = SupplyEngine::new(&self.network);
                let values = engine.supply_without_each(&sets)?;
                for (&i, v) in batch.iter().zip(values) {
                    out[i] = Some(self.reroute_after(v));
                }
            }
        }
        if propagation == Propagation::Cascade {
            // Scenarios that add nothing run Cascade::BATCH to a solve when
            // consecutive ones share their edge factors (removals and
            // capacity cuts: all 1): the same values, to the bit, as one
            // solve each, so the thread count and the chunking change
            // nothing.
            let plain: Vec<usize> = (0..resolved.len())
                .filter(|&i| !resolved[i].structural())
                .collect();
            let batches: Vec<Vec<(usize, f64)>> = plain
                .par_chunks(Cascade::BATCH)
                .filter(|c| c.iter().all(|&i| resolved[i].e == resolved[c[0]].e))
                .map_init(CascadeBatchWork::new, |work, c| {
                    let rs: Vec<&Resolved> = c.iter().map(|&i| &resolved[i]).collect();
                    // A batch that fails (a loop that does not settle)
                    // is left to the one-by-one path, which reports the
                    // first failing scenario.
                    self.cascade_batch(&rs, work)
                        .map(|after| c.iter().copied().zip(after).collect())
                        .unwrap_or_default()
                })
                .collect();
            for (i, after) in batches.into_iter().flatten() {
                out[i] = Some(after);
            }
        }
        let rest: Vec<(usize, Result<f64>)> = (0..resolved.len())
            .into_par_iter()
            .filter(|&i| out[i].is_none())
            .map(|i| {
                (
                    i,
                    self.effect(&resolved[i], propagation, false)
                        .map(|e| e.after),
                )
            })
            .collect();
        for (i, r) in rest {
            out[i] = Some(r?);
        }
        Ok(out
            .into_iter()
            .map(|a| {
                Tonnes::new((self.baseline - a.unwrap_or(0.0)).max(0.0)).unwrap_or(Tonnes::ZERO)
            })
            .collect())
    }

    /// Reroute's supply after, from a max-flow value in units: min(B, flow).
    pub(crate) fn reroute_after(&self, units: i64) -> f64 {
        if units >= self.baseline_units {
            self.baseline
        } else {
            (units as f64 / UNITS_PER_TONNE).min(self.baseline)
        }
    }

    /// Checks and resolves a scenario.
    pub(crate) fn resolve(&self, scenario: &Scenario) -> Result<Resolved> {
        scenario.validate(self.chain)?;
        self.resolve_checked(scenario)
    }

    fn resolve_checked(&self, scenario: &Scenario) -> Result<Resolved> {
        let n0 = self.keys.len();
        let selected = |m: &Mineral| self.options.mineral.as_ref().is_none_or(|x| x == m);
        let mut added_keys: Vec<NodeKey> = Vec::new();
        let mut added_index: HashMap<NodeKey, u32> = HashMap::new();
        let mut remaining = vec![1.0f64; n0];
        let mut extra = vec![0.0f64; n0];
        let mut added_edges: Vec<(u32, u32, f64, Added)> = Vec::new();
        let mut recycled = Vec::new();
        let mut removal: Option<Vec<u32>> = Some(Vec::new());
        let mut discontinued: BTreeMap<&str, Date> = BTreeMap::new();
        for s in &scenario.shocks {
            if let Shock::DiscontinueAgreement { agreement, on } = s {
                let d = discontinued.entry(agreement.as_str()).or_insert(*on);
                *d = (*d).min(*on);
            }
        }
        let lookup = |k: &NodeKey, added_index: &HashMap<NodeKey, u32>| {
            self.index.get(k).or_else(|| added_index.get(k)).copied()
        };
        let mut restrictions: Vec<InEffect<'_>> = Vec::new();
        for s in &scenario.shocks {
            if !matches!(s, Shock::RemoveCountry { .. } | Shock::RemoveNode { .. }) {
                removal = None;
            }
            match s {
                Shock::RemoveCountry { country } => {
                    for &v in self.by_country.get(country).into_iter().flatten() {
                        remaining[v as usize] = 0.0;
                        if let Some(r) = removal.as_mut() {
                            r.push(v);
                        }
                    }
                }
                Shock::RemoveNode { node } => {
                    if let Some(v) = lookup(node, &added_index) {
                        if let Some(x) = remaining.get_mut(v as usize) {
                            *x = 0.0;
                        }
                        if let Some(r) = removal.as_mut() {
                            r.push(v);
                        }
                    }
                }
                Shock::CutCapacity { node, fraction } => {
                    if let Some(v) = lookup(node, &added_index) {
                        if let Some(x) = remaining.get_mut(v as usize) {
                            *x *= 1.0 - fraction.get();
                        }
                    }
                }
                Shock::ExportRestriction {
                    imposer,
                    minerals,
                    stages,
                    toward,
                    measure,
                } => restrictions.push(InEffect {
                    imposer: *imposer,
                    minerals: minerals.clone(),
                    stages: stages.clone(),
                    toward: toward.clone(),
                    measure: *measure,
                    exemptions: Vec::new(),
                }),
                Shock::ApplyRestrictions {
                    on,
                    honour_agreements,
                    licence_let_through,
                } => {
                    for r in self.chain.restrictions() {
                        if r.status_on(*on) != RestrictionStatus::InForce {
                            continue;
                        }
                        let measure = match &r.kind {
                            RestrictionKind::Ban => Measure::Ban,
                            RestrictionKind::Licence => Measure::Licence {
                                let_through: *licence_let_through,
                            },
                            RestrictionKind::Quota { limit } => match limit {
                                crate::model::QuotaLimit::Tonnes(t) => {
                                    Measure::Quota { tonnes: *t }
                                }
                                crate::model::QuotaLimit::Share(s) => {
                                    Measure::Licence { let_through: *s }
                                }
                            },
                            RestrictionKind::TechnologyBan => continue,
                        };
                        let exemptions = if *honour_agreements {
                            self.chain
                                .agreements()
                                .filter(|a| {
                                    a.active_on(*on)
                                        && discontinued.get(a.id.as_str()).is_none_or(|d| d > on)
                                        && a.provisions.iter().any(|p| {
                                            matches!(p, crate::model::Provision::NoExportRestriction { by, .. } if *by == r.imposer)
                                        })
                                })
                                .collect()
                        } else {
                            Vec::new()
                        };
                        restrictions.push(InEffect {
                            imposer: r.imposer,
                            minerals: r.minerals.clone(),
                            stages: r.stages.clone(),
                            toward: r.targets.clone(),
                            measure,
                            exemptions,
                        });
                    }
                }
                Shock::DiscontinueAgreement { .. } => {}
                Shock::AddCapacity {
                    node,
                    tonnes,
                    under,
                } => {
                    if !selected(&node.mineral) {
                        continue;
                    }
                    if under
                        .as_deref()
                        .is_some_and(|id| discontinued.contains_key(id))
                    {
                        continue;
                    }
                    let v = match lookup(node, &added_index) {
                        Some(v) => v,
                        None => {
                            let v = (n0 + added_keys.len()) as u32;
                            added_keys.push(node.clone());
                            added_index.insert(node.clone(), v);
                            remaining.push(1.0);
                            extra.push(0.0);
                            v
                        }
                    };
                    extra[v as usize] += tonnes.get();
                }
                Shock::AddLink {
                    from,
                    to,
                    tonnes,
                    under,
                } => {
                    if !selected(&from.mineral) {
                        continue;
                    }
                    if under
                        .as_deref()
                        .is_some_and(|id| discontinued.contains_key(id))
                    {
                        continue;
                    }
                    // An end created by a voided investment is absent:
                    // the link goes nowhere.
                    if let (Some(u), Some(v)) =
                        (lookup(from, &added_index), lookup(to, &added_index))
                    {
                        added_edges.push((u, v, tonnes.get(), Added::Link));
                    }
                }
                Shock::RaiseRecycling {
                    country,
                    mineral,
                    share,
                } => {
                    for &m in self.by_country.get(country).into_iter().flatten() {
                        let key = &self.keys[m as usize];
                        if key.stage != Stage::Manufacturing
                            || mineral.as_ref().is_some_and(|x| *x != key.mineral)
                        {
                            continue;
                        }
                        let mv = m as usize;
                        let kept = (self.cascade.supply()[mv] - self.outflow[mv]).max(0.0);
                        let tonnes = kept * share.get();
                        if tonnes <= 0.0 {
                            continue;
                        }
                        let at = |stage: Stage| NodeKey::new(*country, key.mineral.clone(), stage);
                        let rkey = at(Stage::Recycling);
                        let r = match lookup(&rkey, &added_index) {
                            Some(r) => r,
                            None => {
                                let r = (n0 + added_keys.len()) as u32;
                                added_keys.push(rkey.clone());
                                added_index.insert(rkey, r);
                                remaining.push(1.0);
                                extra.push(0.0);
                                r
                            }
                        };
                        let dest = [Stage::Refining, Stage::Processing]
                            .into_iter()
                            .find_map(|s| self.index.get(&at(s)).copied())
                            .unwrap_or(m);
                        added_edges.push((m, r, tonnes, Added::Scrap));
                        added_edges.push((r, dest, tonnes, Added::Return));
                        recycled.push((r, tonnes));
                    }
                }
            }
        }
        let n = n0 + added_keys.len();
        let supply = self.cascade.supply();
        let k: Vec<f64> = (0..n)
            .map(|v| {
                if remaining[v] == 0.0 {
                    return 0.0;
                }
                if v >= n0 {
                    return 1.0;
                }
                let s = supply[v];
                if s <= 0.0 {
                    1.0
                } else {
                    ((remaining[v] * self.capacity[v] + extra[v]) / s).min(1.0)
                }
            })
            .collect();
        // Edge factors and quota groups.
        let key_of = |v: u32| -> &NodeKey {
            let v = v as usize;
            if v < n0 {
                &self.keys[v]
            } else {
                &added_keys[v - n0]
            }
        };
        let all_edges: Vec<(u32, u32, f64)> = self
            .edges
            .iter()
            .copied()
            .chain(added_edges.iter().map(|&(u, v, t, _)| (u, v, t)))
            .collect();
        let mut e = vec![1.0f64; all_edges.len()];
        let mut quotas = Vec::new();
        for r in &restrictions {
            let mut covered = Vec::new();
            let mut total = 0.0;
            for (i, &(u, v, t)) in all_edges.iter().enumerate() {
                let (a, b) = (key_of(u), key_of(v));
                if a.country != r.imposer
                    || b.country == r.imposer
                    || !r.toward.reaches(b.country)
                    || !r.minerals.covers(&a.mineral)
                    || !r.stages.covers(&a.stage)
                {
                    continue;
                }
                let exempt = r.exemptions.iter().any(|ag| {
                    ag.commits_no_restriction(r.imposer, b.country)
                        && ag.covers(&a.mineral, a.stage)
                });
                if exempt {
                    continue;
                }
                match r.measure {
                    Measure::Ban => e[i] = 0.0,
                    Measure::Licence { let_through } => e[i] *= let_through.get(),
                    Measure::Quota { .. } => {
                        covered.push(i as u32);
                        total += t;
                    }
                }
            }
            if let Measure::Quota { tonnes } = r.measure {
                if !covered.is_empty() {
                    quotas.push((tonnes.get(), total, covered));
                }
            }
        }
        let e_gate = e.clone();
        for (cap, total, covered) in &quotas {
            if total > cap {
                for &i in covered {
                    e[i as usize] *= cap / total;
                }
            }
        }
        let removal_only = removal.map(|mut r| {
            r.sort_unstable();
            r.dedup();
            r
        });
        Ok(Resolved {
            n,
            added_keys,
            k,
            remaining,
            extra,
            added_edges,
            e,
            e_gate,
            quotas,
            recycled,
            removal_only,
        })
    }

    /// The key of a compact node, base or added.
    pub(crate) fn key_of<'r>(&'r self, r: &'r Resolved, v: usize) -> &'r NodeKey {
        if v < self.keys.len() {
            &self.keys[v]
        } else {
            &r.added_keys[v - self.keys.len()]
        }
    }
}

/// The share of `part` in `whole`, 0 when `whole` is 0.
pub(crate) fn share(part: f64, whole: f64) -> Share {
    Share::ratio(part.max(0.0), whole)
}

/// Every figure a simulation adds (node outputs and capacities, flows of the
/// selected minerals) must measure the same thing: a shortfall in "tonnes"
/// of REO content plus product weight would mean nothing. Figures with no
/// basis are compatible with any. O(V + E).
fn check_one_basis(chain: &SupplyChain, selected: &impl Fn(&Mineral) -> bool) -> Result<()> {
    let hint = "a simulation adds every figure it uses: build the chain on one basis \
                (a trade-only world chain, say) or one product";
    let mut bases = OneBasis::default();
    for (_, n) in chain.nodes() {
        if selected(n.mineral()) && (n.output.is_some() || n.capacity.is_some()) {
            bases.check(&n.key.mineral, n.key.stage, n.basis.as_ref(), || {
                format!("node {}; {hint}", n.key)
            })?;
        }
    }
    for f in chain.flows().filter(|f| selected(&f.from_key.mineral)) {
        bases.check(
            &f.to_key.mineral,
            f.to_key.stage,
            f.flow.basis.as_ref(),
            || format!("flow {} -> {}; {hint}", f.from_key, f.to_key),
        )?;
    }
    Ok(())
}
