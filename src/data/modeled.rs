//! Modeled flows: linking each stage's producers to the next stage's
//! producers where no bilateral data exists.

use std::collections::{BTreeMap, HashSet};

use super::rows::ImportSourceRow;
use crate::chain::{Flow, FlowId, NodeId, NodeKey, SupplyChain};
use crate::error::{Error, Result};
use crate::model::{Country, Mineral, Provenance, Share, Stage, Status, Tonnes};

/// An explicit, optional step that adds **modeled** flows to a chain that
/// has output by stage but no (or few) country-to-country flows.
///
/// # The assumption
/// For each mineral, the stages with producing nodes are taken in chain
/// order (exploration → extraction → processing → refining →
/// manufacturing; a missing stage is skipped, so mine output can link
/// straight to refineries). Each producer `i` at a stage sends to each
/// producer `j` at the next present stage
///
/// > `flow(i → j) = output(i) × output(j) / Σ output(next stage)`
///
/// that is, every supplier sells to every receiver in proportion to the
/// receivers' output. This is the standard proportional (gravity-free)
/// assumption used when bilateral data is missing; it includes domestic
/// links (a country's mines feeding its own refineries).
///
/// **Import sources.** Where import-source shares are given for a receiving
/// country (the USGS import sources of the US, via
/// [`ModeledFlows::import_sources`] or [`Dataset::modeled_flows`](crate::Dataset::modeled_flows))
/// for the supplying stage's product, the receiver's modeled intake from
/// abroad (its proportional intake minus what its own country's supplier
/// sends it) is split by those shares instead: exporter `e` sends
/// `foreign intake × share(e)`. A partner named in the shares but with no
/// node at the supplying stage gets one (with no output figure). The part
/// of the shares not attributed to a named partner (incomplete USGS lines,
/// or a `ROW` share with no `ROW` node) goes to the other foreign suppliers in
/// proportion to their output.
///
/// # What is marked, and what takes precedence
/// Every flow added has [`Status::Modeled`] with the assumption in words
/// in its provenance note, the ids of the sources behind the figures used
/// (both nodes' sources and, for import-share flows, the import source's,
/// when registered in the chain), and the year if one is set.
///
/// A modeled flow from node `a` to node `b` is added **only if the chain
/// holds no flow at all from `a` to `b`** (observed, estimated or modeled).
/// So flows loaded from trade data always take precedence for their pair,
/// and applying the step twice adds nothing the second time.
///
/// What a receiver already gets also counts against its modeled intake:
/// with `I` the tonnes the model assigns receiver `b` (the sum of its
/// planned flows above), `R` what the chain already brings into `b` from
/// nodes of the supplying stage and mineral (any status, any supplier,
/// with or without an output figure), and `M` the planned tonnes on the
/// pairs that still have no flow, those flows are scaled by
/// `min(1, max(0, I − R) / M)`. The receiver's total intake (recorded plus
/// modeled) therefore never exceeds `max(I, R)`: an observed flow is not
/// double-counted by the model, and a scaled flow says so in its note.
/// Flows are never scaled up: when the recorded flows carry less than
/// their pairs' modeled share, the receiver simply gets less than `I`.
/// A supplier's outflows are not re-balanced in turn (the tonnes a scaled
/// receiver no longer takes are not sent elsewhere).
///
/// # Limits
/// - It spreads every supplier over every receiver: real trade is lumpier
///   (contracts, logistics, export bans), so concentration and dependence
///   computed on modeled flows describe output shares, not trade.
/// - Nodes with no output figure (withheld) neither send nor receive.
/// - Aggregates: `ROW` nodes take part like countries; `WLD` nodes are
///   never linked.
/// - Recycling is not linked: the data has no manufacturing output that
///   produces scrap, and recovered metal is mostly used at home, which an
///   all-to-all split would misstate.
/// - Quantities are not converted between bases: a mine's contained metal
///   is apportioned to refiners as is.
///
/// Complexity: O(V + E + Σ |Sₖ|·|Sₖ₊₁|) over consecutive present stages,
/// plus the import-share rows (E for the pairs and inflows already there).
///
/// # Example
/// ```
/// use critical_minerals::{Dataset, Status};
/// let data = Dataset::builtin()?;
/// let mut chain = data.chain(2024)?;
/// let report = data.modeled_flows().year(2024).apply(&mut chain)?;
/// // Copper has mine and refinery output in 2024, so mines link to refineries.
/// assert!(report.added.len() > 0);
/// let f = chain.flow(report.added[0]).unwrap();
/// assert_eq!(f.flow.provenance.status, Status::Modeled);
/// // Applying it again adds nothing: every pair already has a flow.
/// assert!(data.modeled_flows().apply(&mut chain)?.added.is_empty());
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModeledFlows {
    import_sources: Vec<ImportSourceRow>,
    year: Option<i16>,
}

/// What [`ModeledFlows::apply`] did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModeledReport {
    /// The flows added, in the order added.
    pub added: Vec<FlowId>,
    /// Pairs that got no modeled flow because the chain already had a flow
    /// between them.
    pub skipped_existing: usize,
    /// Nodes added for import-source partners that had none.
    pub nodes_added: Vec<NodeId>,
    /// Total tonnes of the flows added.
    pub total: Tonnes,
}

/// One planned flow.
struct Planned {
    from: NodeKey,
    to: NodeKey,
    tonnes: f64,
    sources: Vec<String>,
    note: String,
}

/// A producing node at one stage.
#[derive(Clone)]
struct Producer {
    key: NodeKey,
    output: f64,
    sources: Vec<String>,
}

impl ModeledFlows {
    /// The proportional model with no import shares and no year.
    pub fn new() -> ModeledFlows {
        ModeledFlows::default()
    }

    /// Uses these import-source shares for flows into their importers (rows
    /// of one importer, mineral and product stage form one split).
    pub fn import_sources(
        mut self,
        rows: impl IntoIterator<Item = ImportSourceRow>,
    ) -> ModeledFlows {
        self.import_sources.extend(rows);
        self
    }

    /// Stamps the modeled flows with a year.
    pub fn year(mut self, year: i16) -> ModeledFlows {
        self.year = Some(year);
        self
    }

    /// Adds the modeled flows to `chain` (see the type's docs for the
    /// assumption and its limits).
    ///
    /// # Errors
    /// [`Error::InvalidQuantity`] if a computed flow is not a valid
    /// quantity, or any error of [`SupplyChain::add_flow`]; on error the
    /// chain is left exactly as it was (flows and nodes added are removed).
    pub fn apply(&self, chain: &mut SupplyChain) -> Result<ModeledReport> {
        let plan = self.plan(chain);
        let mut report = ModeledReport::default();
        let existing: HashSet<(NodeId, NodeId)> = chain.flows().map(|f| (f.from, f.to)).collect();
        let scales = intake_scales(chain, &plan, &existing);
        // Every check happens while planning the batch; the batch itself is
        // added all or nothing by the chain.
        let mut planned_pairs: HashSet<(NodeKey, NodeKey)> = HashSet::new();
        let mut batch = Vec::new();
        let mut total = Tonnes::ZERO;
        for mut p in plan {
            if let Some(s) = scales.get(&p.to).filter(|s| s.factor < 1.0) {
                p.tonnes *= s.factor;
                p.note = format!(
                    "{}; scaled by {:.4} because {:.3} t already recorded into {} leave \
                     {:.3} t of its modeled intake of {:.3} t",
                    p.note,
                    s.factor,
                    s.received,
                    p.to,
                    (s.intake - s.received).max(0.0),
                    s.intake
                );
            }
            if p.tonnes <= 0.0 {
                continue;
            }
            let to = chain
                .node_id(&p.to)
                .ok_or_else(|| Error::NodeNotFound { key: p.to.clone() })?;
            let recorded = chain
                .node_id(&p.from)
                .is_some_and(|from| existing.contains(&(from, to)));
            if recorded || !planned_pairs.insert((p.from.clone(), p.to.clone())) {
                report.skipped_existing += 1;
                continue;
            }
            let tonnes = Tonnes::new(p.tonnes)?;
            let mut prov = Provenance::new(Status::Modeled).note(p.note);
            for s in p.sources {
                if chain.source(&s).is_some() && !prov.sources.contains(&s) {
                    prov = prov.source(s);
                }
            }
            let mut flow = Flow::new(tonnes).provenance(prov);
            if let Some(y) = self.year {
                flow = flow.year(y);
            }
            batch.push((p.from, p.to, flow));
            total = total + tonnes;
        }
        let added = chain.add_flows_by_key(batch)?;
        report.added = added.flows;
        report.nodes_added = added.nodes;
        report.total = total;
        Ok(report)
    }

    /// Computes every flow without touching the chain.
    fn plan(&self, chain: &SupplyChain) -> Vec<Planned> {
        // mineral → stage → producers, in node-id order (deterministic).
        let mut by_mineral: BTreeMap<Mineral, BTreeMap<Stage, Vec<Producer>>> = BTreeMap::new();
        for (_, n) in chain.nodes() {
            let k = &n.key;
            if k.country == Country::WLD || k.stage == Stage::Recycling {
                continue;
            }
            let Some(out) = n.output.filter(|t| t.get() > 0.0) else {
                continue;
            };
            by_mineral
                .entry(k.mineral.clone())
                .or_default()
                .entry(k.stage)
                .or_default()
                .push(Producer {
                    key: k.clone(),
                    output: out.get(),
                    sources: n.provenance.sources.clone(),
                });
        }
        let mut plan = Vec::new();
        for (mineral, stages) in &by_mineral {
            let present: Vec<(&Stage, &Vec<Producer>)> = stages.iter().collect();
            for pair in present.windows(2) {
                let [(s1, suppliers), (s2, receivers)] = pair else {
                    continue;
                };
                let supply: f64 = suppliers.iter().map(|p| p.output).sum();
                let demand: f64 = receivers.iter().map(|p| p.output).sum();
                if demand <= 0.0 || supply <= 0.0 {
                    continue;
                }
                for r in receivers.iter() {
                    let weight = r.output / demand;
                    let shares: Vec<&ImportSourceRow> = self
                        .import_sources
                        .iter()
                        .filter(|row| {
                            row.importer == r.key.country
                                && &row.mineral == mineral
                                && row.stage == **s1
                        })
                        .collect();
                    if shares.is_empty() {
                        for s in suppliers.iter() {
                            plan.push(proportional(s, r, weight, mineral, **s2));
                        }
                    } else {
                        plan.extend(split_by_imports(
                            suppliers, r, weight, supply, &shares, mineral, **s1,
                        ));
                    }
                }
            }
        }
        plan
    }
}

/// How a receiver's planned intake is cut back for what it already gets.
struct IntakeScale {
    /// Tonnes the plan assigns the receiver, over all its pairs.
    intake: f64,
    /// Tonnes the chain already brings in from the supplying stage.
    received: f64,
    /// Factor for its planned flows on pairs with no flow yet.
    factor: f64,
}

/// The factor by which each receiver's new modeled flows are scaled so
/// that, with what it already receives, its intake stays within the
/// modeled one (see [`ModeledFlows`]). O(P + Σ in-degree of the receivers)
/// for P planned flows.
fn intake_scales(
    chain: &SupplyChain,
    plan: &[Planned],
    existing: &HashSet<(NodeId, NodeId)>,
) -> BTreeMap<NodeKey, IntakeScale> {
    // receiver → (supplying stage, planned intake, planned on new pairs)
    let mut planned: BTreeMap<&NodeKey, (Stage, f64, f64)> = BTreeMap::new();
    let mut new_pairs: HashSet<(&NodeKey, &NodeKey)> = HashSet::new();
    for p in plan.iter().filter(|p| p.tonnes > 0.0) {
        let e = planned.entry(&p.to).or_insert((p.from.stage, 0.0, 0.0));
        e.1 += p.tonnes;
        let linked = match (chain.node_id(&p.from), chain.node_id(&p.to)) {
            (Some(a), Some(b)) => existing.contains(&(a, b)),
            _ => false,
        };
        // A pair planned twice is added once (see `apply`).
        if !linked && new_pairs.insert((&p.from, &p.to)) {
            e.2 += p.tonnes;
        }
    }
    let mut scales = BTreeMap::new();
    for (to, (stage, intake, fresh)) in planned {
        let Some(id) = chain.node_id(to) else {
            continue;
        };
        let received: f64 = chain
            .flows_in(id)
            .filter(|f| f.from_key.stage == stage && f.from_key.mineral == to.mineral)
            .map(|f| f.tonnes().get())
            .sum();
        let room = (intake - received).max(0.0);
        let factor = if fresh > room { room / fresh } else { 1.0 };
        scales.insert(
            to.clone(),
            IntakeScale {
                intake,
                received,
                factor,
            },
        );
    }
    scales
}

fn proportional(s: &Producer, r: &Producer, weight: f64, mineral: &Mineral, s2: Stage) -> Planned {
    Planned {
        from: s.key.clone(),
        to: r.key.clone(),
        tonnes: s.output * weight,
        sources: s.sources.iter().chain(&r.sources).cloned().collect(),
        note: format!(
            "modeled: {} output apportioned to {} producers of {} in proportion to their output \
             (receiver {}'s share {:.4}); no bilateral data",
            s.key, s2, mineral, r.key.country, weight
        ),
    }
}

fn split_by_imports(
    suppliers: &[Producer],
    r: &Producer,
    weight: f64,
    supply: f64,
    shares: &[&ImportSourceRow],
    mineral: &Mineral,
    s1: Stage,
) -> Vec<Planned> {
    let mut out = Vec::new();
    let domestic: Option<&Producer> = suppliers.iter().find(|s| s.key.country == r.key.country);
    if let Some(d) = domestic {
        out.push(proportional(d, r, weight, mineral, r.key.stage));
    }
    let foreign_intake = (supply - domestic.map_or(0.0, |d| d.output)) * weight;
    let mut attributed = 0.0;
    let mut named: Vec<Country> = Vec::new();
    for row in shares {
        if row.exporter == r.key.country {
            continue;
        }
        let has_node =
            row.exporter != Country::ROW || suppliers.iter().any(|s| s.key.country == Country::ROW);
        if !has_node {
            continue;
        }
        attributed += row.share.get();
        named.push(row.exporter);
        let from = NodeKey::new(row.exporter, mineral.clone(), s1);
        let mut sources = vec![row.source.clone()];
        if let Some(s) = suppliers.iter().find(|s| s.key == from) {
            sources.extend(s.sources.iter().cloned());
        }
        sources.extend(r.sources.iter().cloned());
        out.push(Planned {
            from,
            to: r.key.clone(),
            tonnes: foreign_intake * row.share.get(),
            sources,
            note: format!(
                "modeled: {}'s proportional intake of {} {} product from abroad, split by the \
                 import-source share of {} ({}, {}–{}, {})",
                r.key.country,
                mineral,
                s1,
                row.exporter,
                row.share,
                row.from_year,
                row.to_year,
                row.source
            ),
        });
    }
    let rest = Share::ratio(1.0 - attributed, 1.0).get();
    let others: Vec<&Producer> = suppliers
        .iter()
        .filter(|s| s.key.country != r.key.country && !named.contains(&s.key.country))
        .collect();
    let others_out: f64 = others.iter().map(|s| s.output).sum();
    if rest > 0.0 && others_out > 0.0 {
        for s in others {
            out.push(Planned {
                from: s.key.clone(),
                to: r.key.clone(),
                tonnes: foreign_intake * rest * s.output / others_out,
                sources: s.sources.iter().chain(&r.sources).cloned().collect(),
                note: format!(
                    "modeled: the {:.1}% of {}'s imports of {} {} product not attributed by the \
                     import-source shares, apportioned to the other suppliers in proportion to \
                     their output",
                    rest * 100.0,
                    r.key.country,
                    mineral,
                    s1
                ),
            });
        }
    }
    out
}
